//! Every CommonMark spec example as the body of a brief (`tests/fixtures/commonmark/`,
//! CC-BY-SA 4.0): each is either refused with located diagnostics, or builds all three
//! editions, each of which then passes `check` (its words read back from the written
//! bytes are the content of its source). A brief that builds but does not verify is
//! the verifier crying wolf on our own output, and never acceptable.
//!
//! Also the two briefs that first showed it: a title that breaks after an en dash and
//! a URL that breaks after a `/`, both through the real binary.

use crate::common;

use std::path::Path;

use briefpress::error::Error;
use briefpress::render::{self, Edition, Format, Options, PdfStandard};
use rayon::prelude::*;

/// One spec example.
#[derive(serde::Deserialize)]
struct Example {
    markdown: String,
    example: u32,
}

/// What became of one example.
#[derive(Debug)]
enum Outcome {
    Verified,
    Refused,
    /// Builds, but an edition's words differ from the content (or it does not build or
    /// read back at all): the message says which and where.
    Mismatched(String),
}

fn brief(body: &str) -> String {
    format!(
        "---\ntitle: A CommonMark example\nregion: Nowhere\ndate: 2020-02-29\nauthors:\n  \
         - name: Spec Example\n---\n\n{body}"
    )
}

/// Build the three editions of the brief at `src` in process and read each back.
fn run(
    src: &Path,
    house: &briefpress::house::House,
    coverage: &briefpress::fonts::Coverage,
) -> Outcome {
    let doc = match briefpress::parse::parse_file(src, coverage) {
        Ok(d) => d,
        Err(Error::Source(d)) => {
            // A refusal must say where and how: every diagnostic has a span, and the
            // rendered report names `file:line:col` and gives a hint.
            let shown = d.render();
            let name = src.file_name().map(|n| n.to_string_lossy().into_owned());
            let located = d.diagnostics.iter().all(|x| x.span.is_some())
                && name.is_some_and(|n| shown.contains(&format!("{n}:")));
            let hinted = d.diagnostics.iter().all(|x| x.hint.is_some());
            return if located && hinted {
                Outcome::Refused
            } else {
                Outcome::Mismatched(format!("refused without a location or hint:\n{shown}"))
            };
        }
        Err(e) => return Outcome::Mismatched(format!("failed unlocated: {e}")),
    };
    let expected = briefpress::verify::expected_words(&doc, house);
    let options = Options {
        edition: Edition::Screen,
        epoch: doc.meta.date.unix_seconds(),
        pdf_standard: PdfStandard::A2b,
    };
    for f in [Format::Txt, Format::Pdf, Format::Epub] {
        let bytes = match render::render(&doc, house, f, &options) {
            Ok(b) => b,
            Err(e) => return Outcome::Mismatched(format!("{f:?} does not build: {e}")),
        };
        let found = match briefpress::verify::extract_bytes(f, src, &bytes) {
            Ok(w) => w,
            Err(e) => return Outcome::Mismatched(format!("{f:?} unreadable: {e}")),
        };
        let diffs = briefpress::verify::compare::compare(&expected, &found);
        if let Some(d) = diffs.first() {
            return Outcome::Mismatched(format!(
                "{f:?}: {} difference(s); first at {}: expected {:?}, found {:?}",
                diffs.len(),
                d.place,
                d.expected,
                d.found
            ));
        }
    }
    Outcome::Verified
}

#[test]
fn every_commonmark_example_is_refused_with_a_place_or_verifies() {
    let spec = common::root().join("tests/fixtures/commonmark/spec.json");
    let examples: Vec<Example> =
        serde_json::from_slice(&std::fs::read(&spec).expect("read spec.json")).expect("spec.json");
    assert_eq!(examples.len(), 652, "the vendored spec is 0.31.2");
    let house = briefpress::house::builtin().expect("house");
    let coverage = briefpress::fonts::Coverage::of_house(&house);
    let dir = tempfile::tempdir().expect("temp dir");
    // Only some examples are wanted: `COMMONMARK_EXAMPLES=25,27` (for debugging).
    let only: Option<Vec<u32>> = std::env::var("COMMONMARK_EXAMPLES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    // The examples run on every core, so no other heavy test beside them, and on a
    // thread pool of their own: the renderers and readers use rayon's global pool, which
    // serves work queued from outside it only when its own queues are empty, so other
    // tests of this process calling them (`hostile`'s reads, under a time limit of 10 s)
    // would wait for all 652 examples. With the global pool, one such read took 8.4 s.
    let _alone = common::one_at_a_time();
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("commonmark-{i}"))
        .build()
        .expect("thread pool");
    let outcomes: Vec<(u32, Outcome)> = pool.install(|| {
        examples
            .par_iter()
            .filter(|e| only.as_ref().is_none_or(|o| o.contains(&e.example)))
            .map(|e| {
                let src = dir.path().join(format!("example-{:03}.md", e.example));
                std::fs::write(&src, brief(&e.markdown)).expect("write source");
                (e.example, run(&src, &house, &coverage))
            })
            .collect()
    });
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
    let verified = count(|o| matches!(o, Outcome::Verified));
    let refused = count(|o| matches!(o, Outcome::Refused));
    let mismatched: Vec<String> = outcomes
        .iter()
        .filter_map(|(n, o)| match o {
            Outcome::Mismatched(m) => Some(format!("example {n}: {m}")),
            _ => None,
        })
        .collect();
    println!(
        "CommonMark {} examples: {verified} verified, {refused} refused, {} mismatched",
        outcomes.len(),
        mismatched.len()
    );
    assert!(mismatched.is_empty(), "{}", mismatched.join("\n"));
    assert_eq!(verified + refused, outcomes.len());
    // Refusing is not the easy way out for what a brief may hold: the autolinks to web
    // and mail addresses (594, 595; 597 `<MAILTO:…>` and the e-mail autolinks 604 and
    // 605, refused until stop 30) are links.
    let must: [u32; 5] = [594, 595, 597, 604, 605];
    for (n, o) in &outcomes {
        assert!(
            !must.contains(n) || matches!(o, Outcome::Verified),
            "example {n} is not a verified brief: {o:?}"
        );
    }
}

/// Build `body` under `title` with the real binary, check it, and return the PDF's text
/// as poppler reads it (`None` without pdftotext).
fn build_and_check(title: &str, body: &str) -> Option<String> {
    let sb = common::Sandbox::new();
    sb.write(
        "source/brief.md",
        format!(
            "---\ntitle: \"{title}\"\nregion: Central Asia\ndate: 2018-11\nauthors:\n  \
             - name: Test Author\n---\n\n{body}"
        ),
    );
    sb.run(&["build"]).expect_code(0);
    let run = sb.run(&["check"]).expect_code(0);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(said.matches("ok: ").count(), 3, "{said}");
    if !common::need_tool("pdftotext") {
        return None;
    }
    Some(common::pdftotext_raw(&sb.path("dist/brief.pdf")))
}

/// A table of 18F's derisking guide (public domain, CC0; found by `tests/sweep.sh`):
/// five columns in one, where a column is set exactly as wide as its widest word
/// ("vulnerabilities"). Rounding once made that word's line overfull, and the last pass
/// set "security vulnerabilities" on one line, across the next column's text: `check`
/// found the text out of reading order.
#[test]
fn a_table_column_as_wide_as_its_widest_word_checks() {
    let rows = [
    "| **Deliverable** | **Performance Standard(s)** | **Acceptable Quality Level** | **Method of Assessment** |\n",
    "| --- | --- | --- | --- |\n",
    "| **Tested Code** | Code delivered under the order must have substantial test code coverage and a clean code baseVersion-controlled, public repository of code comprising the product, which will remain in the government domain | Minimum of 90% test coverage of all code | Combination of manual review and automated testing |\n",
    "| **Properly Styled Code** | [GSA 18F Front-End Guide](https://frontend.18f.gov/) | 0 linting errors and 0 warnings | Combination of manual review and automated testing |\n",
    "| **Accessibility** | Web Content Accessibility Guidelines 2.1 AA standards | 0 errors reported using an automated scanner, and 0 errors reported in manual testing | [Pa11y](https://github.com/pa11y/pa11y) |\n",
    "| **Deployed** | Code must successfully build and deploy into staging environment | Successful build with a single command | Combination of manual review and automated testing |\n",
    "| **Documented** | All dependencies are listed and the licenses are documented. Major functionality in the software/source code is documented. Individual methods are documented inline using comments that permit the use of documentation-generation tools such as [JSDoc](http://usejsdoc.org/). A system diagram is provided. | Combination of manual review and automated testing, if available | Manual review |\n",
    "| **Security** | [OWASP Application Security Verification Standard 4.0, Level 2](https://www.owasp.org/images/d/d4/OWASP_Application_Security_Verification_Standard_4.0-en.pdf) | Code submitted must be free of medium- and high-level static and dynamic security vulnerabilities | Clean tests from a static testing SaaS (such as [npm audit](https://docs.npmjs.com/cli/audit)) and from [OWASP ZAP](https://www.owasp.org/index.php/OWASP_Zed_Attack_Proxy_Project), along with documentation explaining any false positives |\n",
    "| **User research** | Usability testing and other user research methods must be conducted at regular intervals throughout the development process (not just at the beginning or end) | Artifacts from usability testing and/or other research methods with end users are available at the end of every applicable sprint, in accordance with the vendor’s research plan | Manual review |\n",
    ];
    build_and_check("A quality assurance table", &rows.concat());
}

/// Whether some line of `text` ends with `end` and the next starts with `start`.
fn breaks_between(text: &str, end: &str, start: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines
        .windows(2)
        .any(|w| w[0].ends_with(end) && w[1].starts_with(start))
}

#[test]
fn a_title_with_a_number_range_keeps_it_whole_and_checks() {
    // The title column is narrow enough that this title once broke inside "2013–2018",
    // leaving "2018" alone (issue 17); the break after a dash between digits is gone.
    let text = build_and_check("Water and power on the Amu Darya, 2013–2018", "Body.\n");
    if let Some(text) = text {
        assert!(
            !breaks_between(&text, "2013\u{2013}", "2018"),
            "the title breaks inside the range:\n{text}"
        );
        assert!(text.contains("2013\u{2013}2018"), "{text}");
    }
}

#[test]
fn a_url_broken_in_its_line_checks() {
    // A long address in a paragraph and in a narrow table column: both run over a line
    // end, breaking after a `/` or `-` or between two letters (a line of an address has
    // no space to stretch), never in the scheme; and the editions check.
    let body = "The data are at \
        <https://data.example.org/central-asia/water/amu-darya/allocations/2013-2018/monthly.csv> \
        and nowhere else.\n\n| Source | Address |\n|---|---|\n| Ministry | \
        https://www.example.org/reports/central-asia/water/2018/amu-darya-basin-allocation-final.pdf |\n";
    let text = build_and_check("Addresses", body);
    if let Some(text) = text {
        for url in [
            "https://data.example.org/central-asia/water/amu-darya/allocations/2013-2018/monthly.csv",
            "https://www.example.org/reports/central-asia/water/2018/amu-darya-basin-allocation-final.pdf",
        ] {
            assert!(
                breaks_in_url(&text, url),
                "the address no longer breaks in the PDF, or breaks elsewhere than after a \
                 slash or hyphen or between letters: {url}\n{text}"
            );
        }
    }
}

/// Amounts of money as policy briefs write them: pulldown-cmark's math pairs their
/// dollar signs into formulas (`$5–$` of `$5–$7bn`), which the parser used to refuse
/// as math. They build, check, and every edition shows them as typed.
#[test]
fn amounts_of_money_are_not_formulas() {
    let amounts = [
        "$5–$7bn",
        "$10-$20",
        "US$15m",
        "A$20m",
        "$5/$6",
        "$3bn.$4bn",
        "$US5bn",
        "$US6bn",
    ];
    let body = "Aid rose from $5–$7bn, prices from $10-$20 and $5/$6 a barrel; \
        US$15m and A$20m were pledged, and $3bn.$4bn more came in 2017.\n\n\
        | Donor | Pledge |\n|---|---|\n| Japan | \\$US5bn/$US6bn |\n";
    let sb = common::Sandbox::new();
    sb.write("source/brief.md", common::brief(body));
    sb.run(&["build"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    let text = std::fs::read_to_string(sb.path("dist/brief.txt")).expect("text edition");
    for a in amounts {
        assert!(
            text.contains(a),
            "{a} missing from the text edition:\n{text}"
        );
    }
    if common::need_tool("pdftotext") {
        let pdf = common::pdftotext_raw(&sb.path("dist/brief.pdf"));
        let words: String = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        for a in amounts {
            assert!(words.contains(a), "{a} missing from the PDF:\n{pdf}");
        }
    }
}

/// A no-break space after a hyphen or a bar, as in code set as a paragraph
/// ("unwrap_or_else(|entry|\u{a0}entry.insert(0))") or a suspended hyphen
/// ("high-\u{a0}and low-level"): UAX #14 breaks before the space, and such a line
/// ended in "high-", which `check` rightly read as "high-and". Found in Rust RFCs whose
/// code was turned into paragraphs with no-break spaces.
#[test]
fn a_no_break_space_after_a_hyphen_holds() {
    let pairs = [
        "high-\u{a0}and low-level APIs",
        "pre-\u{a0}and post-war plans",
        "the closure |entry|\u{a0}entry.insert(0) runs",
        "the arrow <-\u{a0}this one",
    ];
    let paragraph: Vec<&str> = pairs.iter().copied().cycle().take(120).collect();
    let body = format!("{}.\n", paragraph.join(", "));
    if let Some(text) = build_and_check("No-break spaces", &body) {
        for line in text.lines() {
            assert!(
                !["high-", "pre-", "|entry|", "<-"]
                    .iter()
                    .any(|end| line.trim_end().ends_with(end)),
                "a line ends before a no-break space: {line}\n{text}"
            );
        }
    }
}

/// An arrow typed as "->" stays whole: UAX #14 breaks after its hyphen, which set "-"
/// at a line's end and ">" at the next line's start (a Rust RFC's signatures). A
/// hyphen breaks a line only before a word.
#[test]
fn an_arrow_typed_as_hyphen_and_sign_stays_whole() {
    let body = format!(
        "{}.\n",
        [
            "the flow China->Tajikistan->Afghanistan",
            "fn ttl(&self) -> io::Result"
        ]
        .iter()
        .cycle()
        .take(80)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
    );
    if let Some(text) = build_and_check("Arrows", &body) {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for w in lines.windows(2) {
            assert!(
                !(w[0].ends_with('-') && w[1].starts_with('>')),
                "an arrow broken across lines: {} / {}",
                w[0],
                w[1]
            );
        }
    }
}

/// Tabs in running text, as code pasted into a paragraph has them: after punctuation
/// (`0).1;\t//`), at the start of a line after a forced break, in a table cell and in
/// the title (a YAML `\t`). The content reads each as a word space; the PDF shaped
/// some of them as a glyph of their own, which `check` reported as a glyph drawing
/// something else than it reads (a Rust RFC).
#[test]
fn tabs_in_text_are_word_spaces() {
    let body = "static VAL: usize = (Vec::new(), 0).1;\t// The vector would be dropped\\\n\
        \t0\t// Discards the input\n\n| Code | Note |\n|---|---|\n| 1;\t// | x\ty |\n";
    if let Some(text) = build_and_check("Tabs\\tin a\\ttitle; a\\tb", body) {
        assert!(!text.contains('\t'), "a tab in the PDF's text:\n{text}");
        assert!(text.contains("0).1; //"), "{text}");
    }
}

/// `[^…]` that pulldown-cmark does not read as a note reference: in code (a regular
/// expression from a Rust RFC, `[^/]`) and after a backslash. The parser's own scan
/// for undefined notes refused both as notes "referenced but never defined"; they are
/// text, and every edition shows them.
#[test]
fn a_note_mark_in_code_or_escaped_is_text() {
    let body = "A regex: `(//(/[^/]|!)|/\\*(\\*[^*]|!))`, and \\[^x] as typed.\n";
    if let Some(text) = build_and_check("Regular expressions", body) {
        for shown in ["(//(/[^/]|!)|/\\*(\\*[^*]|!))", "[^x]"] {
            assert!(text.contains(shown), "{shown} not in the PDF:\n{text}");
        }
    }
    let sb = common::Sandbox::new();
    sb.write(
        "source/brief.md",
        common::brief("Escaped twice, \\\\[^y] is a reference.\n"),
    );
    let run = sb.run(&["build"]).expect_code(1);
    assert!(
        run.stderr
            .contains("note [^y] is referenced but never defined"),
        "{}",
        run.stderr
    );
}

/// Whether `url` runs over a line end in `text` and every break in it comes after a
/// `/` or `-` or between two letters or digits, past the scheme: the end of one line and the
/// start of the next, joined, are a piece of it.
fn breaks_in_url(text: &str, url: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut broken = false;
    for w in lines.windows(2) {
        let (Some(end), Some(start)) = (
            w[0].split_whitespace().last(),
            w[1].split_whitespace().next(),
        ) else {
            continue;
        };
        if url.contains(&format!("{end}{start}")) && !url.contains(&format!("{end} {start}")) {
            let letters = end.chars().last().is_some_and(char::is_alphanumeric)
                && start.chars().next().is_some_and(char::is_alphanumeric);
            let in_scheme = url.starts_with(end) && !end.contains("://");
            if !(end.ends_with(['/', '-']) || letters) || in_scheme {
                return false;
            }
            broken = true;
        }
    }
    broken
}

#[test]
fn invisible_characters_and_lone_marks_check() {
    // A dot above without a precomposed q, an overlay on a, a soft hyphen, joiners, a
    // right-to-left override, a left-to-right mark, bidi isolates; two marks on e that
    // the font composes in another order, and the same letter and mark on their own.
    build_and_check(
        "Invisible characters",
        "q\u{307} a\u{338}b x\u{AD}y a\u{200D}b c\u{200C}d \u{202E}qr\u{202C} s\u{200E}t \
         \u{2066}g\u{2069} e\u{301}\u{323}f \u{1EB9} \u{301}.\n",
    );
}

#[test]
fn letters_written_with_combining_marks_check() {
    // Letters typed as a base and a combining mark, which the house font has
    // precomposed: the shaper composes each pair into one glyph whose ToUnicode keeps
    // the two characters. Found in an npm package's AUTHORS file ("To\u{303}nis").
    build_and_check(
        "Combining marks",
        "To\u{303}nis from Ta\u{308}by met Ze\u{301}phyrine in A\u{30A}lesund, \
         Gdan\u{301}sk and Ac\u{327}aí; pin\u{303}a and *e\u{301}te\u{301}* **n\u{303}**.\n",
    );
}

#[test]
fn capitals_follow_the_brief_language_in_every_edition() {
    // The region in capitals as Turkish writes them: KIBRIS VE İZMİR, not KIBRIS VE
    // IZMIR, in the text edition, and the same in the PDF and EPUB (check). (The test
    // oracle knows English month names only, so it does not read this brief.)
    let sb = common::Sandbox::new();
    sb.write(
        "source/tr.md",
        "---\ntitle: \"İklim ve güvenlik\"\nregion: Kıbrıs ve İzmir\ndate: 2024-03\n\
         lang: tr\nauthors:\n  - name: Ayşe Yılmaz\n---\n\nİklim değişikliği bölgede güvenliği \
         etkiliyor.\n",
    );
    sb.run(&["build"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    let text = std::fs::read_to_string(sb.path("dist/tr.txt")).expect("text edition");
    assert!(text.contains("KIBRIS VE İZMİR"), "{text}");
}

#[test]
fn signs_arrows_and_symbols_are_set_from_the_fallback_fonts() {
    // Signs a policy brief uses that Noto Serif and Noto Sans lack: the minus sign,
    // comparisons, arrows, check marks. They come from Noto Sans Math and Noto Sans
    // Symbols 2, in body text, bold, italic, a list, a table and the title.
    let body = "Allies spending **≥ 2 %** rose; growth was *−0.4 %*, the gap ≈ 1.3 \
                and ≠ 1.2, limits ≤ 3 and ∞. Wales → Madrid ⇒ The Hague.\n\n\
                - ✓ met\n- ✗ missed, ⚠ falling\n- ★ ● ■ ▲\n\n\
                | Target | Status |\n|---|---|\n| ≥ 2 % | ✓ |\n";
    let Some(text) = build_and_check("Pledges → results ✓", body) else {
        return;
    };
    for sign in [
        "≥", "−0.4", "≈", "≠", "≤", "∞", "→", "⇒", "✓", "✗", "⚠", "★", "●", "■", "▲",
    ] {
        assert!(
            text.contains(sign),
            "{sign} missing from the PDF's text:\n{text}"
        );
    }
    assert!(text.contains("Pledges → results ✓"), "{text}");
}

#[test]
fn bracketed_paragraphs_ending_in_a_link_check() {
    // A paragraph in brackets whose last word is a link with a target the text edition
    // writes out (`[Source: NATO <https://…>]`): its closing bracket is glued to the
    // target, and a figure's would be too. Found in pandoc's tests (wiki links).
    build_and_check(
        "Bracketed sources",
        "[Source: [NATO](https://www.nato.int/cps/en/natohq/topics_49212.htm)]\n\n\
         [[https://example.org|title]]\n\n[see https://example.org|title]\n\n\
         [[NATO](https://nato.int/a)]\n\n[Source: https://de.wikipedia.org/wiki/Ämter].\n",
    );
}

#[test]
fn note_references_opening_a_cell_or_paragraph_check() {
    // A cell of note references only (found in Node.js's BUILDING.md), a paragraph and
    // a list item that open with one.
    build_and_check(
        "Leading notes",
        "| Platform | Notes |\n|---|---|\n| Windows | [^2],[^3] |\n| Linux | [^2] |\n\n\
         [^2]Opens this paragraph.\n\n- [^3], then a list item.\n\n\
         [^2]: The second note.\n[^3]: The third note.\n",
    );
}

#[test]
fn furniture_look_alikes_in_the_text_edition_check() {
    // Words that look like the text edition's furniture, links glued to what follows
    // them, and a table whose cells must wrap.
    let long = "a cell long enough that a table of three such columns cannot be set \
                in aligned columns in seventy-two characters";
    let body = format!(
        "## Foo\n\n\\===\n\n\\[\\[foo\\]\\]\n\n\\[Figure 1. Not a figure\\]\n\n\
         A [link](https://example.org/a)s and \u{201C}[quoted](https://example.org/b)\u{201D} \
         and [spaced ](https://example.org/c)words.\n\n\
         | One | Two | Three |\n|---|---|---|\n| {long} | {long} | {long} |\n| x | y | z |\n"
    );
    build_and_check("Look-alikes", &body);
}

#[test]
fn dashes_slashes_and_wrapping_cells_everywhere_check() {
    // Words that break inside (dashes, slashes, hyphens) in every block a brief has, so
    // that many lines of every kind end inside a word; and tables whose cells wrap.
    let words = [
        "2013–2018",
        "a/b/c/d",
        "https://example.org/a/b/c/d/e/f/g/h",
        "pre-",
        "and",
        "post-war",
        "China–Tajikistan",
        "Supercalifragilistic/expialidocious/word",
        "1990—2000",
        "en–dash–chain–of–words",
        "self-/co-",
        "(see",
        "2016–)",
        "“word”",
    ];
    let mut next = words.iter().cycle().step_by(3);
    let mut para = |n: usize| {
        (0..n)
            .filter_map(|_| next.next().copied())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut body = String::new();
    for i in 0..12 {
        let block = match i % 5 {
            0 => para(60),
            1 => format!("## {}", para(8)),
            2 => format!("- {}\n- {}", para(30), para(20)),
            3 => format!("> {}", para(40)),
            _ => format!(
                "| A | B | C |\n|---|---|---|\n| {} | {} | {} |",
                para(6),
                para(9),
                para(4)
            ),
        };
        body.push_str(&block);
        body.push_str("\n\n");
    }
    build_and_check("Dashes 2013–2018 and a/b/c/d/e/f/g/h/i/j/k/l/m", &body);
}

#[test]
fn long_tokens_broken_at_their_punctuation_check() {
    // Options, TeX commands and mail addresses break inside (pandoc's manual); the line
    // ends in the invisible mark, so `check` and pdftotext join each token again.
    let para = "Using `--from=markdown+wikilinks_title_after_pipe` results in one form, \
                `\\includegraphics[width=0.5\\textwidth,height=3in]{file.jpg}` in another, \
                and mail to jgm@berkeley.example.edu reaches the author of both.";
    let mut body = String::new();
    for i in 0..8 {
        body.push_str(&"Indeed ".repeat(i));
        body.push_str(para);
        body.push_str("\n\n");
    }
    let text = build_and_check("Tokens", &body);
    if let Some(text) = text {
        // pdftotext prints the mark after a break inside a token as nothing at all.
        let joined = text.replace("\u{ad}\n", "").replace('\n', "");
        let tokens = [
            "--from=markdown+wikilinks_title_after_pipe",
            "\\includegraphics[width=0.5\\textwidth,height=3in]{file.jpg}",
            "jgm@berkeley.example.edu",
        ];
        for token in tokens {
            assert_eq!(joined.matches(token).count(), 8, "{token}\n{text}");
        }
        let whole: usize = tokens.iter().map(|t| text.matches(t).count()).sum();
        assert!(whole < 24, "no token breaks inside:\n{text}");
    }
}

#[test]
fn note_references_in_a_row_and_after_links_check() {
    // From pulldown-cmark's footnote tests, each of which `check` refused on our own
    // editions: references that touch (`[^a][^b]`) were set as "12" in the PDF, one
    // number to a reader; with a space between, the checker joined them into "12";
    // the text edition's `<…>[1].` after a link kept the reference in the word; and
    // `[^a][]` was read as a figure in brackets.
    let body = "Lorem ipsum.[^a][^b] Footnotes [^a] [^b] here. See \
                [the site](https://example.org/x)[^a].\n\n[^a][]\n\n[^a]: Foo\n\n[^b]: Bar\n";
    let text = build_and_check("Notes in a row", body);
    if let Some(text) = text {
        assert!(text.contains("ipsum.1,2"), "{text}");
    }
}

#[test]
fn link_text_ending_in_a_bracketed_number_checks() {
    // From 18F's product guides (tests/sweep.sh): a list of links whose texts end in
    // "[1]", "[2]", each followed by a colon. The text edition writes "statement [1]
    // <…>:", and check read the "[1]" as a note reference and glued the colon onto
    // "statement", crying wolf on our own text edition in every such brief.
    let body = "## Resources\n\n\
                - [What is a vision statement [1]](https://example.org/a): An overview.\n\
                - [What is a vision statement [2]](https://example.org/b): A template.\n\
                - How to craft a roadmap [3]: A workshop.\n";
    let text = build_and_check("Bracketed numbers in link texts", body);
    if let Some(text) = text {
        assert!(
            ["[1]", "[2]", "[3]"].iter().all(|n| text.contains(n)),
            "{text}"
        );
    }
}

#[test]
fn links_whose_texts_are_numbers_check() {
    // From rust-lang/rfcs (tests/sweep.sh): citations written as links whose texts are
    // bracketed numbers, one after another and glued to a word (RFC 2169), and alone
    // between words and commas (RFCs 3180 and 3559). The text edition writes
    // "requested[3] <…>[4] <…>." and "(staticlib) [1] <…>, [2] <…>,"; check read every
    // number as a note reference and glued what followed onto the word before it.
    let body = "Access to a modulo operation has often been requested\
                [[3]](https://example.org/3)[[4]](https://example.org/4)[[5]](https://example.org/5).\n\n\
                iOS requires static linking (staticlib) [[1]](https://example.org/1), \
                [[2]](https://example.org/2), Android dynamic linking.\n\n\
                LLVM suffers from long-standing bugs ([[1]](https://example.org/a), \
                [[2]](https://example.org/b)), with no plan to resolve them.\n";
    let text = build_and_check("Numbers as link texts", body);
    if let Some(text) = text {
        assert!(
            ["[3]", "[4]", "[5]", "[1]", "[2]"]
                .iter()
                .all(|n| text.contains(n)),
            "{text}"
        );
    }
}

/// One input of pulldown-cmark's own test suite (`tests/fixtures/pulldown-cmark/`).
#[derive(serde::Deserialize)]
struct SuiteCase {
    name: String,
    markdown: String,
}

#[test]
fn every_pulldown_cmark_suite_case_is_refused_with_a_place_or_checks() {
    // The inputs pulldown-cmark tests itself with (footnotes, tables, smart punctuation,
    // its regressions), through the real binary: one folder of briefs, one `build`, one
    // `check`, so the furniture and profile checks that only `check` runs are judged
    // too. Eleven of them once made `check` cry wolf on our own editions.
    let path = common::root().join("tests/fixtures/pulldown-cmark/suite.json");
    let cases: Vec<SuiteCase> =
        serde_json::from_slice(&std::fs::read(&path).expect("read suite.json")).expect("json");
    assert_eq!(
        cases.len(),
        502,
        "the vendored suite is pulldown-cmark 0.13.6's"
    );
    let _alone = common::one_at_a_time();
    let named: Vec<(String, &str)> = cases
        .iter()
        .map(|c| (c.name.clone(), c.markdown.as_str()))
        .collect();
    let refused = build_all_and_check(&named);
    let built = cases.len() - refused.len();
    println!(
        "pulldown-cmark suite: {built} built and checked, {} refused",
        refused.len()
    );
    assert!(built > 250, "only {built} of the cases build");
}

/// One GFM extension example (`tests/fixtures/gfm/`).
#[derive(serde::Deserialize)]
struct GfmExample {
    markdown: String,
    example: u32,
    extension: String,
}

#[test]
fn every_gfm_extension_example_is_refused_with_a_place_or_checks() {
    // Tables, extended autolinks, strikethrough, the tag filter and task list items as
    // GitHub's spec writes them, through the real binary: one `build`, one `check`.
    let path = common::root().join("tests/fixtures/gfm/extensions.json");
    let examples: Vec<GfmExample> =
        serde_json::from_slice(&std::fs::read(&path).expect("read extensions.json")).expect("json");
    assert_eq!(examples.len(), 24, "the vendored examples are GFM 0.29's");
    let named: Vec<(String, &str)> = examples
        .iter()
        .map(|e| {
            let name = format!("gfm-{:03}-{}", e.example, e.extension);
            (name, e.markdown.as_str())
        })
        .collect();
    let refused = build_all_and_check(&named);
    // Only struck-out text and raw HTML are refused, by design: every table and every
    // autolink is a brief.
    assert_eq!(refused, ["gfm-491-strikethrough", "gfm-653-tagfilter"]);
}

/// Build `(name, body)` briefs in one folder with the real binary, one `build` and one
/// `check`, so the furniture and profile checks that only `check` runs are judged too.
/// Every brief refused must be refused with a place, and `check` must pass on all
/// that built. Returns the names refused.
fn build_all_and_check(briefs: &[(String, &str)]) -> Vec<String> {
    let sb = common::Sandbox::new();
    for (name, body) in briefs {
        sb.write(&format!("source/{name}.md"), brief(body));
    }
    let build = sb.run(&["build"]);
    let refused: Vec<String> = briefs
        .iter()
        .filter(|(name, _)| !sb.path(&format!("dist/{name}.pdf")).exists())
        .map(|(name, _)| name.clone())
        .collect();
    let unlocated: Vec<&String> = refused
        .iter()
        .filter(|name| !build.stderr.contains(&format!("--> source/{name}.md:")))
        .collect();
    assert!(
        unlocated.is_empty(),
        "refused without a place: {unlocated:?}\n{}",
        build.stderr
    );
    let check = sb.run(&["check", "-q"]);
    assert_eq!(
        check.code, 0,
        "check cries wolf on our own editions:\n{}{}",
        check.stdout, check.stderr
    );
    refused
}
