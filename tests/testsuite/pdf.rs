//! The PDF edition, judged by poppler and qpdf: goldens of readable dumps, a word-for-word
//! round trip through `pdftotext -raw` against
//! an independent reading of the source (`common/oracle.rs`), embedded subset fonts, `qpdf --check`, and
//! byte-identical rebuilds. `BLESS=1` rewrites the goldens in `tests/fixtures/<case>/expected/`.
//!
//! The external tools must be installed in CI (`CI` set): a missing one fails the test.
//! Elsewhere a missing tool skips the test with a notice.

use crate::common::{self, oracle};

use std::path::{Path, PathBuf};
use std::process::Command;

use briefpress::fonts::Coverage;
use briefpress::model::{plain_text, Block};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn tools() -> bool {
    ["pdftotext", "pdffonts", "pdfinfo", "qpdf"]
        .iter()
        .all(|t| common::need_tool(t))
}

/// Build `source` into a fresh temp dir; return the dir (kept alive) and the PDF path.
fn build(source: &str) -> (tempfile::TempDir, PathBuf) {
    common::build_edition(&Path::new(ROOT).join(source), "pdf")
}

fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            vec!["-"]
        } else {
            vec![]
        })
        .output()
        .expect("run tool");
    assert!(
        out.status.success() || tool == "qpdf",
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    run("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// The readable dump compared with the golden: pages, boxes, fonts, per-page text.
fn dump(pdf: &Path) -> String {
    let n = pages(pdf);
    let mut out = format!("pages: {n}\n");
    let boxes = run("pdfinfo", &["-box", "-f", "1", "-l", &n.to_string()], pdf);
    // Page sizes and boxes; not `File size:`, which changes for meaningless reasons.
    for l in boxes
        .lines()
        .filter(|l| l.contains("Box:") || (l.starts_with("Page ") && l.contains(" size:")))
    {
        out.push_str(&format!(
            "{}\n",
            l.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    out.push_str("fonts:\n");
    for l in run("pdffonts", &[], pdf).lines().skip(2) {
        let f: Vec<&str> = l.split_whitespace().collect();
        // Subset tags hash the glyph set; the name after `+` and the flags are the point.
        let name = f[0].split_once('+').map_or(f[0], |x| x.1);
        let flags = f.len().saturating_sub(5);
        out.push_str(&format!("  {name} {}\n", f[flags..f.len() - 2].join(" ")));
    }
    for p in 1..=n {
        out.push_str(&format!("--- page {p}\n"));
        out.push_str(
            &run(
                "pdftotext",
                &["-raw", "-f", &p.to_string(), "-l", &p.to_string()],
                pdf,
            )
            .replace('\u{c}', ""),
        );
    }
    out
}

fn golden(case: &str, name: &str, actual: &str) {
    common::golden(
        &common::root()
            .join("tests/fixtures")
            .join(case)
            .join("expected")
            .join(name),
        actual,
    );
}

/// Words of `pdftotext -raw`, furniture lines dropped, line ends joined: a soft hyphen
/// (our inserted hyphen, via `/ActualText`) joins without it, a real hyphen keeps it.
fn extracted_words(text: &str, org: &str, date: &str) -> Vec<String> {
    let mut joined = String::new();
    for line in text.lines() {
        let l = line.trim();
        let footer = l
            .strip_prefix(org)
            .is_some_and(|r| r.trim().chars().all(|c| c.is_ascii_digit()));
        let header = l.ends_with(&format!("\u{b7} {date}"));
        if l.is_empty() || footer || header {
            continue;
        }
        if let Some(stem) = joined.strip_suffix('\u{ad}') {
            joined = stem.to_owned();
        } else if !joined.ends_with('-') && !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(l.trim_start_matches('\u{c}'));
    }
    oracle::split(&joined)
}

/// The words of each table header row in `blocks`, as `oracle::split` reads them.
fn header_rows(blocks: &[Block], out: &mut Vec<Vec<String>>) {
    for b in blocks {
        match b {
            Block::Table(t) => out.push(oracle::split(
                &t.head
                    .iter()
                    .map(|c| plain_text(c))
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
            Block::Quote(inner) => header_rows(inner, out),
            Block::List { items, .. } => items.iter().for_each(|i| header_rows(i, out)),
            _ => {}
        }
    }
}

/// Compare extracted words with the content words, allowing furniture tokens: bullets,
/// list and note numbers ("1."), note reference numbers glued to a word, and a table's
/// header row (`headers`) where it is repeated above the rows that run on into a new
/// column or page.
fn assert_same_words(extracted: &[String], expected: &[String], headers: &[Vec<String>]) {
    let (mut i, mut j) = (0, 0);
    while j < expected.len() {
        let Some(e) = extracted.get(i) else {
            panic!(
                "extraction ends early; missing {:?}",
                &expected[j..expected.len().min(j + 8)]
            );
        };
        let want = &expected[j];
        let furniture = e == "\u{2022}"
            || (e.ends_with('.') && e[..e.len() - 1].chars().all(|c| c.is_ascii_digit()));
        let glued_note = e
            .strip_prefix(want.as_str())
            .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit()));
        let repeated = headers.iter().find(|h| {
            !h.is_empty() && extracted[i..].starts_with(h) && !expected[j..].starts_with(h)
        });
        if let Some(h) = repeated {
            i += h.len();
        } else if e == want || glued_note {
            i += 1;
            j += 1;
        } else if furniture || e.chars().all(|c| c.is_ascii_digit()) {
            i += 1;
        } else {
            panic!(
                "word {j}: expected {want:?}, extracted {e:?}\n  context: {:?}",
                &extracted[i.saturating_sub(4)..extracted.len().min(i + 4)]
            );
        }
    }
    let rest: Vec<&String> = extracted[i..].iter().collect();
    assert!(rest.is_empty(), "extra words after the content: {rest:?}");
}

fn check(case: &str, source: &str, max_pages: Option<usize>, min_pages: usize) {
    if !tools() {
        return;
    }
    let (_dir, pdf) = build(source);
    let bytes = std::fs::read(&pdf).expect("read pdf");

    let qpdf = run("qpdf", &["--check"], &pdf);
    assert!(
        qpdf.contains("No syntax or stream encoding errors"),
        "qpdf: {qpdf}"
    );

    let fonts = run("pdffonts", &[], &pdf);
    for l in fonts.lines().skip(2) {
        let f: Vec<&str> = l.split_whitespace().collect();
        let n = f.len();
        assert!(
            n >= 5 && f[n - 5..n - 2] == ["yes", "yes", "yes"],
            "font not emb/sub/uni: {l}"
        );
    }

    let info = run("pdfinfo", &[], &pdf);
    assert!(info.contains("(A4)"), "{info}");
    let n = pages(&pdf);
    assert!(n >= min_pages, "{n} pages, expected at least {min_pages}");
    if let Some(m) = max_pages {
        assert!(n <= m, "{n} pages, expected at most {m}");
    }

    let house = briefpress::house::builtin().expect("house");
    let coverage = Coverage::of_house(&house);
    let doc =
        briefpress::parse::parse_file(&Path::new(ROOT).join(source), &coverage).expect("parse");
    assert!(
        info.contains(&format!("Title:           {}", doc.meta.title)),
        "{info}"
    );
    if let Some(a) = doc.meta.authors.first() {
        assert!(info.contains(&a.name), "{info}");
    }
    // The words of a second reading of the source, not of `content.rs`.
    let expected = oracle::words(&Path::new(ROOT).join(source), &oracle::builtin_house());
    let text = run("pdftotext", &["-raw"], &pdf);
    let words = extracted_words(
        &text,
        &house.style.organisation.name,
        &doc.meta.date.display(&doc.meta.lang),
    );
    let mut headers = Vec::new();
    header_rows(&doc.blocks, &mut headers);
    assert_same_words(&words, &expected, &headers);

    golden(case, "pdf-dump.txt", &dump(&pdf));

    let (_dir2, again) = build(source);
    assert!(
        bytes == std::fs::read(again).expect("read"),
        "rebuild is not byte-identical"
    );
}

#[test]
fn seed_brief() {
    check("seed", "source/2016-11-china-tajikistan.md", Some(2), 1);
    if tools() {
        let (_d, pdf) = build("source/2016-11-china-tajikistan.md");
        let size = std::fs::metadata(&pdf).expect("stat").len();
        assert!(size < 120 * 1024, "seed PDF is {size} bytes");
    }
}

#[test]
fn constructs() {
    check(
        "constructs",
        "tests/fixtures/constructs/constructs.md",
        None,
        1,
    );
}

#[test]
fn multiscript() {
    check(
        "multiscript",
        "tests/fixtures/multiscript/multiscript.md",
        None,
        1,
    );
}

#[test]
fn long() {
    check("long", "tests/fixtures/long/long.md", None, 15);
}

#[test]
fn one_column_layout_verifies() {
    let sb = common::Sandbox::new();
    sb.copy(&common::fixture("constructs"), "source/constructs.md");
    for img in ["chart.png", "photo.jpg"] {
        sb.copy(
            &Path::new(ROOT).join("tests/fixtures/constructs").join(img),
            &format!("source/{img}"),
        );
    }
    let toml = std::fs::read_to_string(Path::new(ROOT).join("branding/house.toml")).expect("house");
    assert!(toml.contains("columns = 2"));
    let toml = toml
        .replace("columns = 2", "columns = 1")
        .replace("\"../fonts/", &format!("\"{ROOT}/fonts/"));
    sb.write("branding/house.toml", toml);
    sb.copy(
        &Path::new(ROOT).join("branding/logo.png"),
        "branding/logo.png",
    );
    let house = ["--house", "branding/house.toml"];
    sb.run(&[&house[..], &["build", "--format", "pdf"]].concat())
        .expect_code(0);
    let run = sb.run(&[&house[..], &["check"]].concat()).expect_code(0);
    assert!(
        run.stderr.contains("ok: dist/constructs.pdf"),
        "{}",
        run.stderr
    );
}
