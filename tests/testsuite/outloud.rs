//! Accessibility judged from outside: `outloud` (PyPI; PDF/UA-1 and WCAG 2.2 checks of a
//! tagged PDF, plus semantic checks such as URLs printed without a link and notes
//! tagged twice) must report 0 errors and 0 warnings on every fixture's PDF, screen and
//! print editions, and on `fixtures/outloud/outloud.md`, a policy brief written for
//! this test with bare addresses, notes, a list, a table and a quote. Like qpdf and
//! epubcheck, a missing `outloud` skips these tests outside CI and fails them in CI.
//!
//! Also here: bare addresses in the source (`see https://example.org/x`) are links in
//! every edition — a PDF link annotation, an EPUB `<a href>`, the text edition's link
//! form — and `briefpress check` passes on all three.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, fixture, need_tool, outloud, root, Sandbox, CASES};

/// Build the PDF of `source` in `edition` into `out`; returns the PDF's path.
fn build_pdf(source: &Path, edition: &str, out: &Path) -> PathBuf {
    let run = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "-q",
            "build",
            "--format",
            "pdf",
            "--edition",
            edition,
            "--out",
        ])
        .arg(out)
        .arg(source)
        .output()
        .expect("run briefpress");
    assert!(
        run.status.success(),
        "briefpress build {} failed:\n{}",
        source.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("brief");
    out.join(format!("{stem}.pdf"))
}

/// The policy brief written for this test.
fn policy_brief() -> PathBuf {
    root().join("tests/fixtures/outloud/outloud.md")
}

/// Every source judged: the fixtures and the policy brief.
fn sources() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = CASES
        .iter()
        .map(|c| ((*c).to_owned(), fixture(c)))
        .collect();
    v.push(("outloud".to_owned(), policy_brief()));
    v
}

/// Assert outloud finds nothing in the `edition` PDF of every source.
fn clean_in(edition: &str) {
    if !need_tool("outloud") {
        return;
    }
    let mut failures = Vec::new();
    for (case, path) in sources() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pdf = build_pdf(&path, edition, dir.path());
        failures.extend(outloud::problems(&pdf, &format!("{case} ({edition})")));
    }
    assert!(failures.is_empty(), "outloud:\n{}", failures.join("\n"));
}

#[test]
fn outloud_finds_nothing_in_the_screen_editions() {
    clean_in("screen");
}

#[test]
fn outloud_finds_nothing_in_the_print_editions() {
    clean_in("print");
}

/// The judge can fail: the policy brief's PDF with its link annotations removed has
/// addresses printed without links, which outloud reports as warnings.
#[test]
fn outloud_reports_addresses_without_links() {
    if !need_tool("outloud") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = build_pdf(&policy_brief(), "screen", dir.path());
    let mut doc = lopdf::Document::load(&pdf).expect("load the PDF");
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    let mut removed = 0;
    for id in pages {
        if let Ok(page) = doc.get_object_mut(id).and_then(|o| o.as_dict_mut()) {
            if page.remove(b"Annots").is_some() {
                removed += 1;
            }
        }
    }
    assert!(
        removed > 0,
        "the policy brief's PDF has no link annotations"
    );
    let stripped = dir.path().join("stripped.pdf");
    doc.save(&stripped).expect("save the stripped PDF");
    let v = outloud::run(&stripped);
    assert!(
        v.warnings > 0 && v.findings.iter().any(|f| f.rule == "LNK-010"),
        "outloud did not report the unlinked addresses: {:?}",
        v.findings
    );
}

/// Bare addresses are links in all three editions, and `check` passes on them.
#[test]
fn bare_addresses_are_links_in_every_edition() {
    let sb = Sandbox::new();
    sb.write(
        "source/bare.md",
        common::brief(
            "See https://example.org/report?id=7. Or www.example.org/faq, and write to \
             press@example.org. A [written link](https://example.org/w) stays as it is; \
             [https://example.org/in-a-link](https://example.org/other) is not split.\n",
        ),
    );
    sb.run(&["-q", "build"]).expect_code(0);
    sb.run(&["-q", "check"]).expect_code(0);

    let txt = std::fs::read_to_string(sb.path("dist/bare.txt")).expect("text edition");
    let flat = txt.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "See https://example.org/report?id=7. Or",
        "www.example.org/faq <http://www.example.org/faq>, and",
        "press@example.org <mailto:press@example.org>.",
        "written link <https://example.org/w> stays",
        "https://example.org/in-a-link <https://example.org/other> is",
    ] {
        assert!(flat.contains(want), "text edition lacks {want:?}:\n{txt}");
    }

    let xhtml = epub_text(&sb.path("dist/bare.epub"));
    for want in [
        r#"<a href="https://example.org/report?id=7">https://example.org/report?id=7</a>."#,
        r#"<a href="http://www.example.org/faq">www.example.org/faq</a>,"#,
        r#"<a href="mailto:press@example.org">press@example.org</a>."#,
        r#"<a href="https://example.org/other">https://example.org/in-a-link</a>"#,
    ] {
        assert!(
            xhtml.contains(&want.replace('&', "&amp;")),
            "EPUB lacks {want}"
        );
    }

    let uris = link_uris(&sb.path("dist/bare.pdf"));
    for want in [
        "https://example.org/report?id=7",
        "http://www.example.org/faq",
        "mailto:press@example.org",
        "https://example.org/w",
        "https://example.org/other",
    ] {
        assert!(
            uris.iter().any(|u| u == want),
            "PDF has no link to {want}: {uris:?}"
        );
    }
    assert!(
        !uris.iter().any(|u| u == "https://example.org/in-a-link"),
        "the text of a written link became a link of its own: {uris:?}"
    );
}

/// CommonMark's autolinks as authors write them: an address in angle brackets links
/// to it by mail, as a bare one does, and a scheme in capitals is a scheme (both were
/// refused as "not an absolute web or mail address"; GFM spec examples 605, 612, 613).
#[test]
fn mail_autolinks_and_schemes_in_capitals_link_in_every_edition() {
    let sb = Sandbox::new();
    sb.write(
        "source/auto.md",
        common::brief(
            "Write to <desk@example.org> or <MAILTO:Press@Example.org>, and read \
             <HTTPS://example.org/Report>.\n",
        ),
    );
    sb.run(&["-q", "build"]).expect_code(0);
    sb.run(&["-q", "check"]).expect_code(0);

    let txt = std::fs::read_to_string(sb.path("dist/auto.txt")).expect("text edition");
    let flat = txt.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "desk@example.org <mailto:desk@example.org> or",
        "MAILTO:Press@Example.org <mailto:Press@Example.org>,",
        "HTTPS://example.org/Report <https://example.org/Report>.",
    ] {
        assert!(flat.contains(want), "text edition lacks {want:?}:\n{txt}");
    }
    let xhtml = epub_text(&sb.path("dist/auto.epub"));
    for want in [
        r#"<a href="mailto:desk@example.org">desk@example.org</a>"#,
        r#"<a href="https://example.org/Report">HTTPS://example.org/Report</a>"#,
    ] {
        assert!(xhtml.contains(want), "EPUB lacks {want}");
    }
    let uris = link_uris(&sb.path("dist/auto.pdf"));
    for want in [
        "mailto:desk@example.org",
        "mailto:Press@Example.org",
        "https://example.org/Report",
    ] {
        assert!(
            uris.iter().any(|u| u == want),
            "PDF has no link to {want}: {uris:?}"
        );
    }
}

/// All XHTML content documents of an EPUB, concatenated.
fn epub_text(epub: &Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(''.join(z.read(n).decode() for n in z.namelist() if n.endswith('.xhtml')))",
        ])
        .arg(epub)
        .output()
        .expect("run python3 to read the EPUB");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `/URI` of every link annotation in a PDF.
fn link_uris(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).expect("load the PDF");
    let mut uris = Vec::new();
    for (_, page) in doc.get_pages() {
        let Ok(annots) = doc.get_page_annotations(page) else {
            continue;
        };
        for a in annots {
            let uri = a
                .get(b"A")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok())
                .and_then(|d| d.get(b"URI").ok())
                .and_then(|u| u.as_str().ok());
            if let Some(u) = uri {
                uris.push(String::from_utf8_lossy(u).into_owned());
            }
        }
    }
    uris
}

/// A paragraph dense with links, as pandoc's manual lists LaTeX packages: outloud's
/// reading-order check lists an element's own text before its kids', so with the
/// paragraph's plain text directly in its `P` (no `Span`s) it reported the page as
/// painted out of order (ORD-001, 28 % of sequences "out of place").
#[test]
fn a_paragraph_dense_with_links_reads_in_order() {
    if !need_tool("outloud") {
        return;
    }
    let packages = [
        "amsfonts",
        "amsmath",
        "lm",
        "unicode-math",
        "iftex",
        "listings",
        "fancyvrb",
        "longtable",
        "booktabs",
        "multirow",
        "graphicx",
        "bookmark",
        "xcolor",
        "soul",
        "geometry",
        "setspace",
        "babel",
        "fontspec",
        "selnolig",
        "upquote",
        "microtype",
        "parskip",
        "xurl",
        "footnotehyper",
    ];
    let mut para = String::from("The following packages are needed:");
    for (i, p) in packages.iter().enumerate() {
        para.push_str(&format!(
            " [{p}](https://ctan.org/pkg/{p}) (for part {i} of the output),"
        ));
    }
    para.push_str(" and nothing else.\n\n");
    let sb = Sandbox::new();
    let src = sb.write("source/links.md", common::brief(&para.repeat(4)));
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = build_pdf(&src, "screen", dir.path());
    let problems = outloud::problems(&pdf, "links");
    assert!(problems.is_empty(), "outloud:\n{}", problems.join("\n"));
}
