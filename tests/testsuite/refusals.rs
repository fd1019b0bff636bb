//! Every refusal the README lists under "Refused with a located error", one row each,
//! through the real binary: exit code 1, the message, the exact `file:line:column`, a
//! hint, nothing written and the previous edition kept. The table is the README's list
//! written out again; a refusal that stops being made (say, math that quietly builds)
//! fails its row.

use crate::common::{self, Sandbox};

/// The front matter of `common::brief`: the body starts on line 10 of the file.
const BODY_LINE: usize = 10;

/// One refusal: the source, extra files beside it, what the error says and where.
struct Case {
    what: &'static str,
    source: Vec<u8>,
    files: &'static [(&'static str, &'static [u8])],
    message: &'static str,
    /// `line:column` of the first error, 1-based.
    at: (usize, usize),
}

/// A case whose source is the minimal front matter and `body`; `at` counts body lines.
fn body(
    what: &'static str,
    body: &str,
    message: &'static str,
    (line, col): (usize, usize),
) -> Case {
    Case {
        what,
        source: common::brief(body).into_bytes(),
        files: &[],
        message,
        at: (BODY_LINE - 1 + line, col),
    }
}

/// A case with a whole source of its own; `at` counts file lines.
fn whole(what: &'static str, source: &str, message: &'static str, at: (usize, usize)) -> Case {
    Case {
        what,
        source: source.as_bytes().to_vec(),
        files: &[],
        message,
        at,
    }
}

fn with_files(mut c: Case, files: &'static [(&'static str, &'static [u8])]) -> Case {
    c.files = files;
    c
}

/// A 1×1 PNG, read from the constructs fixture so it is a real image.
fn png() -> &'static [u8] {
    static PNG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PNG.get_or_init(|| {
        std::fs::read(common::root().join("tests/fixtures/constructs/chart.png")).expect("png")
    })
}

fn cases() -> Vec<Case> {
    let mut all = file_cases();
    all.extend(body_cases());
    all
}

/// Refusals of the file as a whole: its front matter and its characters.
fn file_cases() -> Vec<Case> {
    let fm = |lines: &str| format!("---\n{lines}---\n\nSome text.\n");
    let ok_fields = "title: T\nregion: R\ndate: 2016-11\nauthors:\n  - name: N\n";
    let mut bad_utf8 = common::brief("Caf\u{e9} au lait.\n").into_bytes();
    // Drop the second byte of `é`: its first byte then stands alone.
    let at = bad_utf8.iter().position(|&b| b == 0xA9).expect("é");
    bad_utf8.remove(at);
    let bad_at = at - 1;
    vec![
        // The front matter.
        whole(
            "missing front matter",
            "Just text.\n",
            "the file has no front matter",
            (1, 1),
        ),
        whole(
            "malformed front matter",
            &fm("title: [unclosed\nregion: R\n"),
            "front matter:",
            (2, 8),
        ),
        whole(
            "missing required field",
            &fm("title: T\ndate: 2016-11\nauthors:\n  - name: N\n"),
            "the front matter has no `region`",
            (1, 1),
        ),
        whole(
            "unknown key",
            &fm(&format!("{ok_fields}regoin: Central Asia\n")),
            "unknown field `regoin`",
            (7, 1),
        ),
        whole(
            "bad date",
            &fm("title: T\nregion: R\ndate: 2016-13\nauthors:\n  - name: N\n"),
            "bad date \"2016-13\"",
            (4, 1),
        ),
        whole(
            "30 February",
            &fm("title: T\nregion: R\ndate: 2016-02-30\nauthors:\n  - name: N\n"),
            "bad date \"2016-02-30\"",
            (4, 1),
        ),
        whole(
            "YAML anchor and alias",
            &fm("title: &t T\nregion: *t\ndate: 2016-11\nauthors:\n  - name: N\n"),
            "YAML anchors and aliases (`&name`, `*name`) are not allowed in the front matter",
            (2, 11),
        ),
        Case {
            what: "invalid UTF-8",
            source: bad_utf8,
            files: &[],
            // The offset of the lone first byte of `é`, counted here.
            message: Box::leak(
                format!("the file is not valid UTF-8 (invalid byte at offset {bad_at})")
                    .into_boxed_str(),
            ),
            at: (BODY_LINE, 4),
        },
        body(
            "control character",
            "A bell \u{7} rings.\n",
            "control character U+0007 is not allowed",
            (1, 8),
        ),
        body(
            "character no house font has",
            "The sign \u{6F22} here.\n",
            "no house font has the character",
            (1, 10),
        ),
    ]
}

/// Refusals of constructs in the Markdown body.
fn body_cases() -> Vec<Case> {
    vec![
        // The body.
        body(
            "raw HTML block",
            "<div>x</div>\n",
            "raw HTML is not allowed",
            (1, 1),
        ),
        body(
            "inline HTML",
            "Text <b>bold</b> here.\n",
            "raw HTML is not allowed",
            (1, 6),
        ),
        body(
            "`#` heading in the body",
            "Intro.\n\n# A second title\n",
            "a `#` heading in the body",
            (3, 1),
        ),
        body(
            "heading deeper than ####",
            "## A\n\n### B\n\n#### C\n\n##### D\n",
            "headings deeper than `####` are not supported",
            (7, 1),
        ),
        body(
            "fenced code block",
            "Intro.\n\n```\nlet x = 1;\n```\n",
            "code blocks are not supported",
            (3, 1),
        ),
        body(
            "indented code block",
            "Intro.\n\n    let x = 1;\n",
            "code blocks are not supported",
            (3, 5),
        ),
        body(
            "struck-out text",
            "It was ~~not~~ so.\n",
            "struck-out text is not supported",
            (1, 8),
        ),
        body(
            "inline math",
            "The area $x^2$ grows.\n",
            "math is not supported",
            (1, 10),
        ),
        body(
            "a formula after amounts of money",
            "US$15m and A$20m, and $x^2$ too.\n",
            "math is not supported",
            (1, 23),
        ),
        body(
            "amounts pandoc too reads as a formula",
            "From $US5bn/$US6bn on.\n",
            "math is not supported",
            (1, 6),
        ),
        body(
            "display math",
            "The area\n$$x^2$$\ngrows.\n",
            "math is not supported",
            (2, 1),
        ),
        body(
            "display math alone",
            "Intro.\n\n$$x^2$$\n",
            "math is not supported",
            (3, 1),
        ),
    ]
    .into_iter()
    .chain(image_and_link_cases())
    .collect()
}

/// Refusals of images and links in the body.
fn image_and_link_cases() -> Vec<Case> {
    let deep = format!("{}deep\n", "> ".repeat(17));
    vec![
        with_files(
            body(
                "image inside running text",
                "See ![A chart](chart.png) here.\n",
                "an image inside running text",
                (1, 5),
            ),
            &[("source/chart.png", b"")],
        ),
        with_files(
            body(
                "image without alt text",
                "![](chart.png)\n",
                "an image without alt text",
                (1, 1),
            ),
            &[("source/chart.png", b"")],
        ),
        with_files(
            body(
                "image path leaving the source folder",
                "![A chart](../chart.png)\n",
                "image path \"../chart.png\" leaves the source folder",
                (1, 1),
            ),
            &[("chart.png", b"")],
        ),
        body(
            "missing image file",
            "![A chart](nope.png)\n",
            "cannot read image source/nope.png",
            (1, 1),
        ),
        with_files(
            body(
                "non-image file",
                "![A chart](notes.png)\n",
                "notes.png is not a PNG or JPEG image",
                (1, 1),
            ),
            &[("source/notes.png", b"these are notes, not a PNG\n")],
        ),
        body(
            "undefined footnote",
            "A claim.[^src]\n",
            "note [^src] is referenced but never defined",
            (1, 9),
        ),
        body(
            "unused footnote",
            "A claim.\n\n[^src]: A source.\n",
            "note [^src] is defined but never referenced",
            (3, 1),
        ),
        body(
            "heading that skips a level",
            "## A\n\nText.\n\n#### C\n",
            "a level-4 heading after a level-2 one skips a level",
            (5, 1),
        ),
        body(
            "nesting deeper than 16 levels",
            &deep,
            "nesting deeper than 16 levels",
            (1, 33),
        ),
        whole(
            "empty body",
            &common::brief(""),
            "the brief has no body",
            (BODY_LINE - 1, 1),
        ),
        body(
            "link that is not absolute",
            "See [the page](page.html).\n",
            "is not an absolute web or mail address",
            (1, 5),
        ),
    ]
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(
                p.strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out.sort();
    out
}

#[test]
fn every_listed_refusal_is_located_exit_1_and_writes_nothing() {
    let mut failures = Vec::new();
    for c in cases() {
        assert!(!c.message.is_empty(), "{}: a row needs its message", c.what);
        let sb = Sandbox::new();
        sb.write("source/b.md", &c.source);
        for (name, bytes) in c.files {
            let bytes = if name.ends_with("chart.png") {
                png()
            } else {
                bytes
            };
            sb.write(name, bytes);
        }
        // A previous edition, which a failed build must leave as it was.
        sb.write("out/b.txt", "the previous edition\n");
        let before = tree(sb.dir.path());
        let run = sb.run(&["build", "source/b.md", "--out", "out"]);
        let location = format!("--> source/b.md:{}:{}\n", c.at.0, c.at.1);
        let after = tree(sb.dir.path());
        let problems: Vec<&str> = [
            (run.code != 1, "exit code is not 1"),
            (!run.stderr.contains(c.message), "message missing"),
            (!run.stderr.contains(&location), "location missing"),
            (!run.stderr.contains("hint: "), "hint missing"),
            (run.stderr.contains("panicked"), "panicked"),
            (after != before, "files written"),
            (
                std::fs::read(sb.path("out/b.txt")).ok().as_deref()
                    != Some(&b"the previous edition\n"[..]),
                "previous edition changed",
            ),
        ]
        .into_iter()
        .filter_map(|(bad, why)| bad.then_some(why))
        .collect();
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {} (expected {:?} at {location:?}; exit {})\n{}",
                c.what,
                problems.join(", "),
                c.message,
                run.code,
                run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// "All problems of a brief are reported at once": every body refusal in one brief.
#[test]
fn all_problems_of_a_brief_are_reported_at_once() {
    let sb = Sandbox::new();
    sb.write(
        "source/b.md",
        common::brief(
            "Intro with ~~strike~~ and $x^2$ and <b>html</b>.\n\n```\ncode\n```\n\n##### Deep\n\nA claim.[^nope]\n",
        ),
    );
    let run = sb.run(&["build", "source/b.md", "--out", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = run.stderr.matches("error: ").count();
    assert!(errors >= 6, "{errors} errors:\n{}", run.stderr);
    for (message, at) in [
        ("struck-out text", "b.md:10:12"),
        ("math is not supported", "b.md:10:27"),
        ("raw HTML", "b.md:10:37"),
        ("note [^nope]", "b.md:18:9"),
    ] {
        assert!(
            run.stderr.contains(message) && run.stderr.contains(at),
            "{message} at {at}:\n{}",
            run.stderr
        );
    }
    // The output folder may be made (and locked) before the brief fails; no file is
    // written into it.
    assert!(sb.files("out").is_empty(), "{:?}", sb.files("out"));
}
