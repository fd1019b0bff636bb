//! Typographic tests of the PDF edition (docs/typesetting.md): the line breaks of every
//! fixture as a readable golden (`line-breaks.txt`), and the rules of the breaker
//! checked on the built PDFs through `pdftotext -bbox`: nothing overfull, no justified
//! line left short, no ladder of more than two hyphens, no column ending in a hyphen,
//! number ranges whole, the house's hyphenation exceptions kept, the running head cut
//! at a word. `BLESS=1` rewrites the goldens.

use crate::common;

use std::path::Path;
use std::process::Command;

/// The column geometry of the built-in house style, in pt: A4, 18 mm margins, two
/// columns with a 6 mm gutter.
const MM: f32 = 72.0 / 25.4;
const LEFT: f32 = 18.0 * MM;
const COLUMN: f32 = 84.0 * MM;
const GUTTER: f32 = 6.0 * MM;
/// The body's leading, in pt.
const LEADING: f32 = 13.5;
/// How far punctuation may hang outside a column (optical margin alignment): 0.7 of a
/// 10 pt hyphen or full stop is under 2.5 pt.
const HANG: f32 = 3.0;
/// Letters and figures reach the edge within this (pt), never past it.
const EDGE: f32 = 0.6;

/// A word as `pdftotext -bbox` reports it.
#[derive(Debug, Clone)]
struct Word {
    x0: f32,
    y0: f32,
    x1: f32,
    text: String,
}

/// A set line of one column.
#[derive(Debug)]
struct Line {
    page: usize,
    column: usize,
    x0: f32,
    x1: f32,
    y0: f32,
    text: String,
}

impl Line {
    /// The line ends inside a word: an inserted hyphen (a soft hyphen to pdftotext).
    fn hyphenated(&self) -> bool {
        self.text.ends_with('\u{ad}')
    }

    fn right(&self) -> f32 {
        LEFT + self.column as f32 * (COLUMN + GUTTER) + COLUMN
    }

    fn left(&self) -> f32 {
        LEFT + self.column as f32 * (COLUMN + GUTTER)
    }

    /// How far the line may run past the right edge: punctuation hangs into the
    /// margin, a letter or figure stops at the edge.
    fn may_hang(&self) -> f32 {
        let hangs = self.text.ends_with([
            '\u{ad}', '-', '\u{2010}', '\u{2013}', '\u{2014}', '.', ',', ':', ';', '!', '?',
            '\u{2019}', '\u{201D}', '\u{201C}', '\u{BB}', '\'', '"',
        ]);
        if hangs {
            HANG
        } else {
            EDGE
        }
    }

    /// The line reaches the right edge: it ends there, or its punctuation hangs past it.
    fn flush(&self) -> bool {
        self.x1 > self.right() - EDGE && self.x1 <= self.right() + self.may_hang()
    }
}

fn attr(tag: &str, name: &str) -> f32 {
    format!(" {tag}")
        .split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The words of each page of `pdf`.
fn words(pdf: &Path) -> Vec<Vec<Word>> {
    let out = Command::new("pdftotext")
        .args(["-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext -bbox failed");
    let html = String::from_utf8_lossy(&out.stdout);
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut ws = Vec::new();
        for w in page.split("<word ").skip(1) {
            let Some((tag, rest)) = w.split_once('>') else {
                continue;
            };
            let text = rest.split("</word>").next().unwrap_or("");
            ws.push(Word {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                text: unescape(text),
            });
        }
        pages.push(ws);
    }
    pages
}

/// The lines set in the columns (not across them: title, full-width figures, bios),
/// in reading order. Words whose tops lie within 2.5 pt share a line, so a note number
/// raised above its word stays on the word's line; a line is split in two where a gap
/// between its words spans the gutter.
fn lines(pdf: &Path) -> Vec<Line> {
    let gutter = (LEFT + COLUMN, LEFT + COLUMN + GUTTER);
    let mut out = Vec::new();
    for (p, page) in words(pdf).into_iter().enumerate() {
        // Words come in the order of the content stream, which is reading order: a
        // line is a run of words at one height, each right of the one before.
        let mut groups: Vec<Vec<Word>> = Vec::new();
        for w in page {
            match groups.last_mut() {
                Some(g)
                    if (g[0].y0 - w.y0).abs() < 2.5
                        && g.last().is_some_and(|l| w.x0 > l.x1 - 1.0) =>
                {
                    g.push(w)
                }
                _ => groups.push(vec![w]),
            }
        }
        for mut g in groups {
            g.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            // The first word of the right column, when no word before it crosses
            // the gutter; a line of the right column alone starts there.
            let split = g
                .iter()
                .position(|w| w.x0 >= gutter.1 - HANG)
                .filter(|&i| i == 0 || g[i - 1].x1 <= gutter.0 + HANG)
                .unwrap_or(g.len());
            let right = g.split_off(split);
            for (column, seg) in [(0, g), (1, right)] {
                let (Some(first), Some(last)) = (seg.first(), seg.last()) else {
                    continue;
                };
                let (x0, x1) = (first.x0, last.x1);
                let start = LEFT + column as f32 * (COLUMN + GUTTER);
                // Set across the columns, or in the other column than it seems (an
                // opening quote may hang into the margin).
                if x0 < start - HANG || x1 > start + COLUMN + GUTTER / 2.0 {
                    continue;
                }
                out.push(Line {
                    page: p + 1,
                    column,
                    x0,
                    x1,
                    y0: seg.iter().map(|w| w.y0).fold(f32::MAX, f32::min),
                    text: seg
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                });
            }
        }
    }
    out
}

/// The readable golden: one line a set line, `page.column`, `=` when it reaches the
/// column's right edge, and its text.
fn breaks(lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        let flush = if l.flush() { '=' } else { ' ' };
        out.push_str(&format!("{}.{} {flush} {}\n", l.page, l.column + 1, l.text));
    }
    out
}

/// Body paragraph lines (at the column's left edge: not lists or quotes) that are not
/// the last of their paragraph: the next line of the column starts at the same place
/// one leading below (a new paragraph is further down).
fn inner_lines(lines: &[Line]) -> Vec<&Line> {
    lines
        .windows(2)
        .filter(|w| {
            let (a, b) = (&w[0], &w[1]);
            a.page == b.page
                && a.column == b.column
                && (b.y0 - a.y0 - LEADING).abs() < 0.15
                && (a.x0 - b.x0).abs() < HANG
                && a.x0 > a.left() - HANG
                && a.x0 < a.left() + EDGE
                && a.text.contains(' ')
                && !starts_item(&b.text)
        })
        .map(|w| &w[0])
        .collect()
}

/// A line that starts a list item with its marker (a bullet or a number).
fn starts_item(text: &str) -> bool {
    let first = text.split(' ').next().unwrap_or("");
    first == "\u{2022}"
        || (first.ends_with('.')
            && first
                .trim_end_matches('.')
                .chars()
                .all(|c| c.is_ascii_digit()))
}

/// What the rules of docs/typesetting.md forbid in `lines`, one message each.
fn defects(lines: &[Line]) -> Vec<String> {
    let mut bad = Vec::new();
    for l in lines {
        if l.x1 > l.right() + l.may_hang() {
            bad.push(format!(
                "{}.{} overfull by {:.1} pt: {}",
                l.page,
                l.column + 1,
                l.x1 - l.right(),
                l.text
            ));
        }
        let t = l
            .text
            .trim_end_matches(['\u{ad}', '-', '\u{2013}', '\u{2014}']);
        if t.len() < l.text.len()
            && t.ends_with(|c: char| c.is_ascii_digit())
            && !l.text.ends_with('\u{ad}')
        {
            bad.push(format!(
                "{}.{} a number range broken: {}",
                l.page,
                l.column + 1,
                l.text
            ));
        }
    }
    for l in inner_lines(lines) {
        // Justified body text (the 10 pt serif): every line but a paragraph's last
        // reaches the edge. Ragged notes and cells are set smaller and closer.
        if l.x1 < l.right() - EDGE {
            bad.push(format!(
                "{}.{} justified line short by {:.1} pt: {}",
                l.page,
                l.column + 1,
                l.right() - l.x1,
                l.text
            ));
        }
    }
    let mut run = 0;
    for (i, l) in lines.iter().enumerate() {
        run = if l.hyphenated() { run + 1 } else { 0 };
        if run > 2 {
            bad.push(format!(
                "{}.{} a third hyphen in a row: {}",
                l.page,
                l.column + 1,
                l.text
            ));
        }
        let last_of_column = lines
            .get(i + 1)
            .is_none_or(|n| n.page != l.page || n.column != l.column || n.y0 < l.y0);
        if l.hyphenated() && last_of_column {
            bad.push(format!(
                "{}.{} column ends in a hyphen: {}",
                l.page,
                l.column + 1,
                l.text
            ));
        }
    }
    bad
}

fn build(src: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    common::build_edition(src, "pdf")
}

#[test]
fn line_breaks_of_every_fixture_match_their_golden_and_break_no_rule() {
    if !common::need_tool("pdftotext") {
        return;
    }
    for case in common::CASES {
        let (_dir, pdf) = build(&common::fixture(case));
        let lines = lines(&pdf);
        assert!(lines.len() > 10, "{case}: {} lines found", lines.len());
        common::golden(
            &common::root()
                .join("tests/fixtures")
                .join(case)
                .join("expected/line-breaks.txt"),
            &breaks(&lines),
        );
        let bad = defects(&lines);
        assert!(bad.is_empty(), "{case}:\n{}", bad.join("\n"));
    }
}

/// Optical margin alignment is live: in the seed, lines that end in a hyphen or a
/// full stop hang it into the margin (by 0.7 of its width, over 1 pt at 10 pt), while
/// lines that end in a letter stop at the edge (checked by `defects`).
#[test]
fn punctuation_hangs_into_the_margin() {
    if !common::need_tool("pdftotext") {
        return;
    }
    let (_dir, pdf) = build(&common::fixture("seed"));
    let lines = lines(&pdf);
    let hanging: Vec<&Line> = inner_lines(&lines)
        .into_iter()
        .filter(|l| l.x1 > l.right() + 1.0)
        .collect();
    assert!(
        hanging.len() >= 3,
        "{} lines hang: {hanging:?}",
        hanging.len()
    );
    for l in hanging {
        assert!(
            l.text
                .ends_with(['\u{ad}', '-', '.', ',', ';', ':', '\u{2019}', '\u{201D}']),
            "a line hangs past the edge without punctuation: {l:?}"
        );
    }
}

/// The `Tc` each string of each text line (`BT`…`ET`) of a PDF is shown with.
fn spacing_per_line(pdf: &Path) -> Vec<Vec<f32>> {
    let doc = lopdf::Document::load(pdf).expect("load the PDF");
    let mut out = Vec::new();
    for (_, page) in doc.get_pages() {
        let bytes = doc.get_page_content(page);
        let ops = lopdf::content::Content::decode(&bytes).expect("decode content");
        let mut tc = 0.0;
        let mut line = Vec::new();
        for op in &ops.operations {
            match op.operator.as_str() {
                "Tc" => {
                    tc = op
                        .operands
                        .first()
                        .and_then(|o| o.as_float().ok())
                        .unwrap_or(0.0)
                }
                "TJ" | "Tj" => line.push(tc),
                "ET" => out.push(std::mem::take(&mut line)),
                _ => {}
            }
        }
    }
    out
}

/// Letter-spacing reaches every reader alike: a text line shown in several strings
/// (a change of font or colour, an `/ActualText` span) shows all but its last without
/// `Tc`, its spacing in the `TJ` numbers. By the PDF specification `Tc` follows every
/// glyph; pdfminer (pdfplumber) leaves it out after each string's last glyph, and so
/// measured such lines up to 0.6 pt short of the edge or past it.
#[test]
fn letter_spacing_is_placed_alike_by_every_reader() {
    let mut spaced = 0;
    for case in common::CASES {
        let (_dir, pdf) = build(&common::fixture(case));
        for (n, line) in spacing_per_line(&pdf).iter().enumerate() {
            if let Some((last, before)) = line.split_last() {
                assert!(
                    before.iter().all(|tc| *tc == 0.0),
                    "{case}: text line {n} shows a string with Tc before its last: {line:?}"
                );
                if !before.is_empty() && *last != 0.0 {
                    spaced += 1;
                }
            }
        }
    }
    // Not vacuous: the fixtures have letter-spaced lines of several strings.
    assert!(
        spaced > 20,
        "only {spaced} letter-spaced lines of several strings"
    );
}

/// The checks themselves catch what they look for, on lines made up for them.
#[test]
fn the_rules_catch_their_defects() {
    let right = LEFT + COLUMN;
    let line = |y: f32, x1: f32, text: &str| Line {
        page: 1,
        column: 0,
        x0: LEFT,
        x1,
        y0: y,
        text: text.into(),
    };
    let good = [
        line(100.0, right + 2.2, "a justified line with a hy\u{ad}"),
        line(113.5, right, "phen and another hy\u{ad}"),
        line(127.0, right + 1.8, "phen, then a line that ends,"),
        line(140.5, right - 50.0, "the paragraph."),
    ];
    assert_eq!(defects(&good), Vec::<String>::new());
    let bad = [
        line(100.0, right + 1.0, "an overfull line"),
        line(113.5, right - 10.0, "a short justified line"),
        line(127.0, right, "a range 2013\u{2013}"),
        line(140.5, right, "one hy\u{ad}"),
        line(154.0, right, "two hy\u{ad}"),
        line(167.5, right, "three hy\u{ad}"),
    ];
    let found = defects(&bad);
    for what in [
        "overfull",
        "short by",
        "number range",
        "third hyphen",
        "column ends in a hyphen",
    ] {
        assert!(
            found.iter().any(|m| m.contains(what)),
            "{what} not caught: {found:?}"
        );
    }
}

/// A brief whose paragraphs are full of the words the house hyphenates by its
/// exception list, number ranges and long names, set in the columns.
fn words_brief() -> String {
    let para = "The geoeconomic stakes of Kazakhstan and the Russian presence from \
                2013\u{2013}2018 shaped the geoeconomic debate in Kazakhstan, where \
                Russian investment grew between 1990\u{2013}2000 and 2016\u{2013}2024 \
                alongside geoeconomic planning.";
    shifted(para)
}

/// A brief of `para` twelve times, each shifted by a word more, so its words fall at
/// many places of a line.
fn shifted(para: &str) -> String {
    common::brief(&shifted_body(para))
}

/// The body of [`shifted`].
fn shifted_body(para: &str) -> String {
    let mut body = String::new();
    for i in 0..12 {
        body.push_str(&"Indeed ".repeat(i));
        body.push_str(para);
        body.push_str("\n\n");
    }
    body
}

/// The lines of `brief`'s PDF (built as `name`), which must break no rule.
fn lines_without_defects(name: &str, brief: &str) -> Vec<Line> {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join(format!("{name}.md"));
    std::fs::write(&src, brief).expect("write brief");
    let (_out, pdf) = build(&src);
    let lines = lines(&pdf);
    let bad = defects(&lines);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    lines
}

/// The built-in house's hyphenation exceptions: each word (lower-cased) with the
/// prefixes it may be broken after, where the entry has a hyphen and the house's
/// minimums (2 letters before, 3 after) allow it.
fn house_exceptions() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(common::root().join("branding/house.toml")).expect("house");
    let house: toml::Table = text.parse().expect("house.toml");
    let list = house["typeset"]["hyphenation"].as_array().expect("list");
    list.iter()
        .filter_map(toml::Value::as_str)
        .map(|entry| {
            let word: String = entry.chars().filter(|&c| c != '-').collect();
            let len = word.chars().count();
            let mut prefixes = Vec::new();
            let mut at = 0;
            for part in entry.split('-') {
                at += part.chars().count();
                if at >= 2 && len - at >= 3 {
                    prefixes.push(word.chars().take(at).collect::<String>().to_lowercase());
                }
            }
            (word.to_lowercase(), prefixes)
        })
        .collect()
}

#[test]
fn exceptions_names_and_ranges_break_only_where_allowed() {
    if !common::need_tool("pdftotext") {
        return;
    }
    let exceptions = house_exceptions();
    assert!(exceptions.len() > 40, "{exceptions:?}");
    // Every listed word, twelve times at shifting places, beside the number ranges of
    // words_brief.
    let words: Vec<&str> = exceptions.iter().map(|(w, _)| w.as_str()).collect();
    let sentence = format!("Analysts weighed {} together.", words.join(" and "));
    let mut brief = words_brief();
    brief.push_str(&format!("\n{}\n", shifted_body(&sentence)));
    let lines = lines_without_defects("words", &brief);
    let mut broken = 0;
    for (l, next) in lines.iter().zip(lines.iter().skip(1)) {
        if !l.hyphenated() {
            continue;
        }
        let Some(last) = l.text.split(' ').next_back() else {
            continue;
        };
        let head = last
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches('\u{ad}')
            .to_lowercase();
        let tail: String = next
            .text
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let word = format!("{head}{}", tail.to_lowercase());
        if let Some((_, prefixes)) = exceptions.iter().find(|(w, _)| *w == word) {
            broken += 1;
            assert!(
                prefixes.contains(&head),
                "{}.{} breaks {word} against the exception list ({prefixes:?}): {}",
                l.page,
                l.column + 1,
                l.text
            );
        }
    }
    // The listed words do get broken (where allowed): the list is applied, not a
    // list of words never broken.
    assert!(broken >= 20, "only {broken} listed words broken");
}

/// A soft hyphen (U+00AD, as word processors and PDF extracts leave them) is where
/// its word may break, with a hyphen shown, and the only place: before, UAX #14 broke
/// after it with no hyphen ("inter" / "operability"), and the patterns broke the
/// word's parts besides ("counterin-/surgency").
#[test]
fn soft_hyphens_break_a_word_where_they_are_and_nowhere_else() {
    if !common::need_tool("pdftotext") {
        return;
    }
    let soft = [
        "inter\u{ad}operability",
        "counter\u{ad}insurgency",
        "Donau\u{ad}dampfschifffahrts\u{ad}gesellschaft",
        "super\u{ad}califragilisticexpialidocious",
    ];
    // Each word with the prefixes it may be broken after.
    let allowed: Vec<(String, Vec<String>)> = soft
        .iter()
        .map(|w| {
            let parts: Vec<&str> = w.split('\u{ad}').collect();
            let prefixes = (1..parts.len())
                .map(|k| parts[..k].concat().to_lowercase())
                .collect();
            (parts.concat().to_lowercase(), prefixes)
        })
        .collect();
    let sentence = format!("Delegates discussed {} at length.", soft.join(" and "));
    let lines = lines_without_defects("soft", &shifted(&sentence));
    let mut broken = 0;
    for (l, next) in lines.iter().zip(lines.iter().skip(1)) {
        let last = l.text.split(' ').next_back().unwrap_or_default();
        let head: String = last
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let tail: String = next
            .text
            .chars()
            .filter(|&c| c != '\u{ad}')
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let word = format!("{head}{}", tail.to_lowercase());
        let Some((_, prefixes)) = allowed.iter().find(|(w, _)| *w == word) else {
            continue;
        };
        broken += 1;
        assert!(
            l.hyphenated() && prefixes.contains(&head),
            "{}.{} breaks {word} after {head:?}, not at a soft hyphen with a hyphen \
             shown ({prefixes:?}): {}",
            l.page,
            l.column + 1,
            l.text
        );
    }
    assert!(
        broken >= 6,
        "only {broken} words broken at their soft hyphens"
    );
}

/// A table of five columns too wide for an 84 mm column with all its words whole.
/// Inside a quote it stays in the column: years, amounts and country names stay
/// whole, the long words of the topic column are hyphenated, the addresses break at
/// their slashes (scaled alike, the columns once broke "200/0" and "Turkmenista/n"
/// between letters). At the top level it is set across the text width instead, where
/// the topic column's words stay whole.
#[test]
fn a_narrow_table_breaks_its_long_words_and_keeps_the_short_ones_whole() {
    if !common::need_tool("pdftotext") {
        return;
    }
    let mut body = String::from(
        "| Year | Topic | Spending (USD m) | Source | Country |\n|---:|:---|---:|:---|:--|\n",
    );
    let countries = ["Turkmenistan", "Kazakhstan", "Kyrgyzstan", "Uzbekistan"];
    for i in 0..8 {
        body.push_str(&format!(
            "| {} | interoperability allocation budget | {},{:03} | \
             https://example.org/reports/{i}/annex-{i}/details | {} |\n",
            2000 + i,
            10 + i * 7,
            i * 111,
            countries[i % 4]
        ));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let shown_in = |name: &str, body: &str| -> Vec<String> {
        let src = dir.path().join(name);
        std::fs::write(&src, common::brief(body)).expect("write brief");
        let (_out, pdf) = build(&src);
        words(&pdf)
            .into_iter()
            .flatten()
            .map(|w| w.text.replace('\u{ad}', ""))
            .collect()
    };
    let wide = shown_in("wide.md", &body);
    for w in ["interoperability", "Turkmenistan", "Spending"] {
        assert!(wide.iter().any(|s| s == w), "{w} is not whole: {wide:?}");
    }
    let quoted: String = body.lines().map(|l| format!("> {l}\n")).collect();
    let shown = shown_in("quoted.md", &quoted);
    for i in 0..8 {
        for whole in [
            format!("{}", 2000 + i),
            format!("{},{:03}", 10 + i * 7, i * 111),
        ] {
            assert!(shown.contains(&whole), "{whole} is not whole: {shown:?}");
        }
    }
    for c in countries.iter().chain(&["Year", "Country", "Spending"]) {
        assert!(shown.iter().any(|w| w == c), "{c} is not whole: {shown:?}");
    }
    // The topic column is the one that gives: "interoperability" is hyphenated.
    assert!(
        !shown.iter().any(|w| w == "interoperability"),
        "the topic column held its longest word whole: {shown:?}"
    );
}

#[test]
fn the_running_head_is_cut_at_a_word_with_an_ellipsis() {
    if !common::need_tool("pdftotext") {
        return;
    }
    let title = "Regional connectivity and its security costs across the steppe, \
                 the mountains and the rivers of Central Asia, section by section";
    let body = "Regional security in the steppe has long rested on arrangements older \
                than the states that now keep them.\n\n"
        .repeat(120);
    let src_text =
        common::brief(&body).replace("title: A test brief", &format!("title: \"{title}\""));
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("head.md");
    std::fs::write(&src, src_text).expect("write brief");
    let (_out, pdf) = build(&src);
    let out = Command::new("pdftotext")
        .args(["-f", "2", "-l", "2", "-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    let text = String::from_utf8_lossy(&out.stdout);
    let head = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let shown = head
        .split('\u{2026}')
        .next()
        .map(str::trim)
        .unwrap_or_default();
    assert!(
        head.contains('\u{2026}'),
        "no ellipsis in the head: {head:?}"
    );
    // The house sets the running head's title in capitals.
    let title = title.to_uppercase();
    assert!(
        title.starts_with(shown) && title[shown.len()..].starts_with(' '),
        "the head is not cut at a word: {head:?}"
    );
    assert!(
        !shown.ends_with([',', ';', ':']),
        "punctuation before the ellipsis: {head:?}"
    );
}

/// A paragraph of long tokens UAX #14 offers no break in (options, a TeX command, a
/// mail address), shifted by a word each time so they meet the line end at many places.
fn tokens_brief() -> String {
    let para = "Using `--from=markdown+wikilinks_title_after_pipe` results in one form, \
                `\\includegraphics[width=0.5\\textwidth,height=3in]{file.jpg}` in another, \
                and mail to jgm@berkeley.example.edu reaches the author of both. Beamer \
                takes `themeoptions`, `colorthemeoptions`, `fontthemeoptions`, \
                `innerthemeoptions` and `outerthemeoptions`.";
    shifted(para)
}

#[test]
fn long_tokens_break_at_their_punctuation_and_leave_no_line_short() {
    // Found in pandoc's manual: with no break inside such a token, the line before it
    // was "Using" and a hole, 75 pt short of the edge.
    if !common::need_tool("pdftotext") {
        return;
    }
    let lines = lines_without_defects("tokens", &tokens_brief());
    // Some line does end inside a token, and never with an inserted hyphen there.
    let inside = lines.iter().filter(|l| {
        let last = l.text.split(' ').next_back().unwrap_or("");
        ["+", "_", "=", ",", "jgm", "berkeley"]
            .iter()
            .any(|end| last.trim_end_matches('\u{ad}').ends_with(end))
    });
    assert!(inside.count() > 0, "{}", breaks(&lines));
    // Code gets no inserted hyphen: a reader would take it for part of the code.
    let code = [
        "--from",
        "markdown",
        "wikilinks",
        "\\includegraphics",
        "[width",
        "\\textwidth",
        "colorthemeoptions",
        "fontthemeoptions",
        "innerthemeoptions",
        "outerthemeoptions",
    ];
    for l in &lines {
        let last = l.text.split(' ').next_back().unwrap_or("");
        if let Some(part) = last.strip_suffix('\u{ad}') {
            assert!(!code.iter().any(|c| c.starts_with(part)), "{}", l.text);
        }
    }
}

/// Bare addresses in running text, as a brief cites its sources.
const ADDRESSES: [&str; 3] = [
    "https://data.example.org/api/v2/datasets/regional-security-indicators-central-asia-quarterly-revised?format=csv",
    "https://www.defence.example.gov/publications/2024/QuarterlyAssessmentOfRegionalSecurity",
    "https://en.odkb-csto.org/documents/",
];

/// The widest gap between two words of one line of one column, in pt, with the line.
fn widest_gap(pdf: &Path) -> (f32, String) {
    let mut widest = (0.0, String::new());
    for page in words(pdf) {
        for w in page.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let column = |x: f32| x > LEFT + COLUMN + GUTTER / 2.0;
            let gap = b.x0 - a.x1;
            if (a.y0 - b.y0).abs() < 2.5 && column(a.x1) == column(b.x0) && gap > widest.0 {
                widest = (gap, format!("{} | {}", a.text, b.text));
            }
        }
    }
    widest
}

#[test]
fn addresses_break_between_letters_and_leave_no_hole() {
    // A line of an address has no word space to stretch. Broken only after its
    // slashes and dots, it fell short of the edge, and the lines before it were
    // stretched into holes to avoid that: "Analysts noted that the re-" / "port relies
    // on https://data.example" at 6.8 times a word space, both short. Here the widest
    // word space was 4.3 times natural (11 pt) with those breaks alone.
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = format!(
        "Analysts noted that the report relies on {} for most figures, on {} for the \
         assessment and on the communiqués at {} for the rest.",
        ADDRESSES[0], ADDRESSES[1], ADDRESSES[2]
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("addresses.md");
    std::fs::write(&src, shifted(&para)).expect("write brief");
    let (_out, pdf) = build(&src);
    let lines = lines(&pdf);
    let bad = defects(&lines);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // A word space of Noto Serif at 10 pt is 2.6 pt: none grows past three of them.
    let (gap, at) = widest_gap(&pdf);
    assert!(
        gap < 7.8,
        "a word space of {gap:.1} pt: {at}\n{}",
        breaks(&lines)
    );
    let mut between_letters = 0;
    for w in lines.windows(2) {
        let end = w[0].text.split(' ').next_back().unwrap_or("");
        let start = w[1].text.split(' ').next().unwrap_or("");
        assert!(
            !end.ends_with('\u{ad}') || !end.contains("://"),
            "a hyphen inserted into an address:\n{}",
            breaks(&lines)
        );
        let joined = format!("{end}{start}");
        if ADDRESSES.iter().any(|a| a.contains(&joined)) {
            assert!(
                !end.ends_with("htt") && !end.ends_with("http"),
                "an address broken in its scheme:\n{}",
                breaks(&lines)
            );
            if end.ends_with(char::is_alphanumeric) && start.starts_with(char::is_alphanumeric) {
                between_letters += 1;
            }
        }
    }
    assert!(
        between_letters > 0,
        "no line ends between two letters of an address:\n{}",
        breaks(&lines)
    );
}

#[test]
fn a_line_broken_between_letters_ends_at_the_edge_not_past_it() {
    // A word is shaped whole, so a letter kerned against the next one ("contr|act":
    // the r against the a) is narrower than alone. Broken there, the line was set
    // with the kerned width and its last letter ran 0.2 pt past the edge (a Russian
    // opensource.guide article); a line broken between letters now gives the letter
    // its kerning back. The rule's tolerance for letters (`EDGE`) is for a line that
    // stops short; past the edge a tenth of a point is all that rounding explains.
    if !common::need_tool("pdftotext") {
        return;
    }
    // Addresses made of kerned pairs (r against a, T against a, V against a), so that
    // most of the places they break between letters follow a kerned letter.
    let para = "The argument is set out at https://snarky.ca/the-social-contract-of-open-source/ \
                and at https://example.org/rarararararararararararararararararararara/ by \
                its authors, who contrast it with https://example.net/TaVaTaVaTaVaTaVaTaVaTaVaTaVa/.";
    let lines = lines_without_defects("kerned", &shifted(para));
    let mut between_letters = 0;
    for w in lines.windows(2) {
        let end = w[0].text.split(' ').next_back().unwrap_or("");
        let start = w[1].text.split(' ').next().unwrap_or("");
        if end.contains('/')
            && end.ends_with(char::is_alphabetic)
            && start.starts_with(char::is_alphabetic)
        {
            between_letters += 1;
            assert!(
                w[0].x1 <= w[0].right() + 0.1,
                "{}.{} ends {:.2} pt past the edge: {}",
                w[0].page,
                w[0].column + 1,
                w[0].x1 - w[0].right(),
                w[0].text
            );
        }
    }
    assert!(
        between_letters >= 3,
        "{between_letters} lines end between two letters of an address:\n{}",
        breaks(&lines)
    );
}

/// Paths and identifiers in running text (from 18F's guides and the Rust book, run
/// through `tests/sweep.sh`).
const TECHNICAL: [&str; 5] = [
    "/methods/discover/stakeholder-interviews/",
    "src/templates/interview/questions.md",
    "sticky_sidenav_navigation",
    "read_username_from_file",
    "#introduction-to-vendor-management",
];

#[test]
fn paths_and_identifiers_break_with_no_hyphen_shown() {
    // "/methods/dis-cover/" reads as another path: a path or an identifier breaks after
    // its slashes and underscores, or where its words would be hyphenated with no
    // hyphen shown, as code does.
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = format!(
        "The guide lives at {} and its template at {}; the layout sets {} and the \
         example calls {} before the anchor {} is followed by every reader.",
        TECHNICAL[0], TECHNICAL[1], TECHNICAL[2], TECHNICAL[3], TECHNICAL[4]
    );
    let lines = lines_without_defects("technical", &shifted(&para));
    let mut inside = 0;
    for l in &lines {
        let last = l.text.split(' ').next_back().unwrap_or("");
        let part = last.trim_end_matches('\u{ad}');
        let cut = TECHNICAL
            .iter()
            .any(|t| t.len() > part.len() && t.starts_with(part) && !part.is_empty());
        if cut {
            inside += 1;
        }
        if l.hyphenated() {
            assert!(
                !part.contains(['/', '_', '#']),
                "a hyphen inserted into a path or identifier:\n{}",
                breaks(&lines)
            );
        }
    }
    assert!(
        inside > 0,
        "no line ends inside a path:\n{}",
        breaks(&lines)
    );
}

#[test]
fn a_language_without_hyphenation_patterns_is_warned_about() {
    // Swahili, Indonesian and Romanian have no patterns (hypher's): their justified
    // lines break between words only and many are loose (opensource.guide's
    // translations, 12 articles a language: p95 word space 3-4x natural against
    // 1.8-2x with patterns). The build says so, naming the file, in the text report
    // and in `--json`; a language with patterns is not warned about.
    let sb = common::Sandbox::new();
    let body = "Wachangiaji wapya wanahitaji mwongozo ulio wazi.\n";
    let with_lang =
        |lang: &str| common::brief(body).replacen("---\n", &format!("---\nlang: {lang}\n"), 1);
    sb.write("source/sw.md", with_lang("sw"));
    sb.write("source/en.md", with_lang("en-GB"));
    let run = sb.run(&["build"]).expect_code(0);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("sw.md")
            && warnings[0].contains("no hyphenation patterns for the brief's language 'sw'")
            && warnings[0].contains(" en, "),
        "{}",
        warnings[0]
    );
    let json = sb.run(&["--json", "build", "--force"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let built = v["built"].as_array().cloned().unwrap_or_default();
    let warned: Vec<&str> = built
        .iter()
        .filter(|b| b.get("warnings").is_some())
        .filter_map(|b| b["warnings"][0]["file"].as_str())
        .collect();
    assert!(warned.len() == 1 && warned[0].ends_with("sw.md"), "{v}");
    // With hyphenation off in the house there is nothing to warn about.
    sb.write("h/house.toml", "[body]\nhyphenate = false\n");
    let run = sb
        .run(&["--house", "h/house.toml", "build", "--force"])
        .expect_code(0);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
}

#[test]
fn no_more_than_two_lines_in_a_row_end_in_a_hyphen() {
    // Russian words are long for a column of 84 mm, and a paragraph of them reached
    // for a third and fourth hyphen in a row when the ladder only cost more
    // (opensource.guide's Russian translations: runs of three or four in 5 of 12
    // briefs). The house's `hyphen_run_limit` (2) makes a third a last resort; the
    // same brief with no limit shows the ladder it prevents. The text is ours.
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = "Соседние государства обсуждают строительство новых железных дорог, и \
                правительства подписывают соглашения о транзите. Представители \
                министерств подчёркивают, что сотрудничество в энергетике требует \
                доверия, прозрачности и последовательной координации ведомств.";
    let mut body = String::new();
    for i in 0..12 {
        body.push_str(&"Итак ".repeat(i));
        body.push_str(para);
        body.push_str("\n\n");
    }
    let brief = common::brief(&body).replacen("---\n", "---\nlang: ru\n", 1);
    lines_without_defects("ladder", &brief);
    // Glyph scaling alone finds other breaks for these paragraphs; without it the
    // limit is what stands between them and the ladder.
    let ladders = |house: &str| {
        let sb = common::Sandbox::new();
        sb.write("source/ladder.md", &brief);
        sb.write("h/house.toml", house);
        sb.run(&["--house", "h/house.toml", "build", "--format", "pdf"])
            .expect_code(0);
        defects(&lines(&sb.path("dist/ladder.pdf")))
            .into_iter()
            .filter(|d| d.contains("a third hyphen in a row"))
            .count()
    };
    let unscaled = "[typeset]\nglyph_scaling_max = 0.0\n";
    assert_eq!(ladders(unscaled), 0, "a ladder despite the limit");
    let unlimited = format!("{unscaled}hyphen_run_limit = 0\n");
    assert!(ladders(&unlimited) > 0, "no ladder without the limit");
}

#[test]
fn a_no_break_space_stretches_with_the_line_and_never_breaks_it() {
    // French puts a no-break space (U+00A0) before a colon, a semicolon, a question or
    // exclamation mark and inside guillemets. Set as part of its word, it kept its
    // natural width on a justified line whose other spaces grew; now it is a tie, as
    // TeX's `~`. The text is ours.
    if !common::need_tool("pdftotext") {
        return;
    }
    let nb = '\u{A0}';
    let para = format!(
        "La question est simple{nb}: qui finance la défense européenne{nb}? Selon \
         M.{nb}Dupont, le budget atteint 12\u{202F}000{nb}millions d’euros{nb}; \
         «{nb}c’est insuffisant{nb}», ajoute-t-il. Les ministres se réunissent à \
         Bruxelles le 3{nb}mars{nb}; ils examinent l’article{nb}5 et le chapitre{nb}IV \
         du traité{nb}! Les partenaires attendent une réponse claire avant l’été."
    );
    let brief = shifted(&para).replacen("---\n", "---\nlang: fr\n", 1);
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("ties.md");
    std::fs::write(&src, brief).expect("write brief");
    let (_out, pdf) = build(&src);
    let lines = lines(&pdf);
    assert!(defects(&lines).is_empty(), "{}", defects(&lines).join("\n"));
    let pages = words(&pdf);
    let mut tied = 0;
    for l in inner_lines(&lines) {
        let start = l.left() - HANG;
        let mut ws: Vec<&Word> = pages[l.page - 1]
            .iter()
            .filter(|w| (w.y0 - l.y0).abs() < 2.5 && w.x0 >= start && w.x1 <= l.right() + HANG)
            .collect();
        ws.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let gaps: Vec<(f32, &str)> = ws
            .windows(2)
            .map(|p| (p[1].x0 - p[0].x1, p[1].text.as_str()))
            .collect();
        let widest = gaps.iter().map(|g| g.0).fold(0.0f32, f32::max);
        for (gap, next) in &gaps {
            // The space before these is the no-break one.
            if [":", ";", "?", "!", "\u{BB},"].contains(next) {
                tied += 1;
                assert!(
                    widest - gap < 0.3,
                    "{}.{} a no-break space {gap:.2} pt against {widest:.2} pt: {}",
                    l.page,
                    l.column + 1,
                    l.text
                );
            }
        }
    }
    assert!(
        tied > 10,
        "only {tied} no-break spaces inside justified lines"
    );
    // No line starts with what a no-break space holds to the word before it.
    for l in &lines {
        let first = l.text.split(' ').next().unwrap_or("");
        assert!(
            ![":", ";", "?", "!", "\u{BB}", "\u{BB},", "Dupont,", "mars", "5", "IV"]
                .contains(&first),
            "{}.{} a line broken at a no-break space: {}",
            l.page,
            l.column + 1,
            l.text
        );
    }
}

#[test]
fn numbers_stay_on_the_line_of_their_signs() {
    // `≥ 1.5`, `2.5 %`, `§ 4`, and the house's `Article 5`: a break at their space
    // would end a line in a sign or a word that the number belongs to, or start one
    // with a unit (docs/typesetting.md, "Where words may break").
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = "Spending rose by 2.5 % (± 0.3) to € 1.2 bn while inflation reached \
                12 ‰ a month; see § 4 and ¶ 2. Ratios ≥ 1.5 and ≤ 3 were flagged at \
                −20 °C, as № 5 of the rules says for 40 € and more, under Article 5 \
                of the Treaty (Fig. 2), in Chapter IV and in Annex B.";
    let lines = lines_without_defects("signs", &shifted(para));
    let mut seen = 0;
    for l in &lines {
        let first = l.text.split(' ').next().unwrap_or("");
        let last = l.text.split(' ').next_back().unwrap_or("");
        seen += l.text.matches(['≥', '%', '§', '‰']).count();
        assert!(
            !["%", "‰", "°C,"].contains(&first)
                && ![
                    "(±", "§", "¶", "≥", "≤", "№", "Article", "(Fig.", "Chapter", "Annex"
                ]
                .contains(&last),
            "{}.{} a number parted from its sign: {}",
            l.page,
            l.column + 1,
            l.text
        );
    }
    assert!(seen >= 48, "only {seen} signs set");
}

#[test]
fn a_hyphened_word_never_leaves_one_letter_at_a_line_end_or_start() {
    // "e-/mail", "X-/ray" and French "va-t-/il", "vas-/y" leave a stray letter;
    // "va-/t-il" is where French breaks (docs/typesetting.md, "Where words may
    // break").
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = "Readers sent e-mail about X-ray scans and T-shirts; the minister \
                asked: va-t-il signer, ajoute-t-il, ou vas-y seul? The e-mail said \
                U-turns and X-rays were A-list topics, and a-priori U-boats too.";
    let lines = lines_without_defects("letters", &shifted(para));
    let lone = |w: &str| w.chars().filter(|c| c.is_alphanumeric()).count() == 1;
    for (l, next) in lines.iter().zip(lines.iter().skip(1)) {
        let last = l.text.split(' ').next_back().unwrap_or("");
        if !last.ends_with('-') {
            continue;
        }
        // The piece before the hyphen, and the rest of the word on the next line.
        let piece = last.trim_end_matches('-').rsplit('-').next().unwrap_or("");
        let rest = next.text.split(' ').next().unwrap_or("");
        assert!(
            !lone(piece) && !lone(rest),
            "{}.{} one letter at a hyphen's break: {} / {}",
            l.page,
            l.column + 1,
            l.text,
            next.text
        );
    }
    // Without the rule this brief ends two lines in "vas-" (before "y seul?") and
    // two in "a-" (before "priori"): stop 27's build of it.
    assert!(lines.len() > 40, "only {} lines set", lines.len());
}

#[test]
fn no_bio_line_holds_more_than_ninety_characters() {
    // `[bios] measure = 90` characters as a reader counts them, spaces and italics
    // included; measured as 90 average letters, the seed's bio line held 101.
    if !common::need_tool("pdftotext") {
        return;
    }
    let brief = "---\ntitle: Bios at a readable measure\nregion: Northern Europe\n\
                 date: 2025-03\nauthors:\n  - name: Maarja Kask\n    bio: Senior research \
                 fellow for energy security in the Baltic Sea region, previously an adviser \
                 to the Estonian Ministry of Economic Affairs and Communications, and the \
                 author of two books on undersea cables and their protection in peace and \
                 in war.\n  - name: Tom Ode\n    bio: Analyst; writes on maritime \
                 infrastructure, hybrid threats, sanctions and the insurance of the tankers \
                 that call at Baltic ports, with a focus on the shadow fleet.\n---\n\n\
                 One paragraph of text is enough for this brief.\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("bios.md");
    std::fs::write(&src, brief).expect("write brief");
    let (_out, pdf) = build(&src);
    let text = common::pdftotext_raw(&pdf);
    let bios: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Maarja Kask \u{2013}"))
        .take_while(|l| !l.starts_with("NATO Defense College Foundation"))
        .collect();
    assert!(bios.len() >= 5, "bio lines not found in:\n{text}");
    for l in &bios {
        assert!(
            l.chars().count() <= 90,
            "{} characters: {l}",
            l.chars().count()
        );
    }
    // The measure is used, not narrowed past need: each bio's first line is full.
    let first_lines = bios.iter().filter(|l| l.contains(" \u{2013} "));
    for l in first_lines {
        assert!(l.chars().count() >= 80, "a short first line: {l}");
    }
}

#[test]
fn a_paragraph_does_not_end_in_one_short_word_alone() {
    // "…an office that was closed for the" / "week.": a runt under a full line
    // (`lone_word_demerits`). Without the rule this brief ends four of its twelve
    // paragraphs so (stop 27's build of it); with it the breaker takes a word down.
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = "Forecasting itself was not the weak link in the chain of warnings. The \
                hydrologists of both basins saw the crest coming days ahead, and their \
                models agreed within a few centimetres. What failed was the passage of \
                the warning across the border, where it waited for a signature, a \
                translation and a telephone call to an office that was closed for the week.";
    let lines = lines_without_defects("runts", &shifted(para));
    let ends = lines.iter().filter(|l| l.text.ends_with("week.")).count();
    assert_eq!(ends, 12, "paragraph ends found: {ends}");
    for l in &lines {
        // One word (the page number, alone in the footer's right half, is none).
        let alone = !l.text.contains(' ') && l.text.chars().any(char::is_alphabetic);
        assert!(
            !(alone && l.x1 - l.x0 < 0.25 * COLUMN),
            "{}.{} a short word alone on a paragraph's last line: {}",
            l.page,
            l.column + 1,
            l.text
        );
    }
}

#[test]
fn german_nouns_are_hyphenated_as_words_not_names() {
    // German capitalises every noun, so a capital says nothing of a name there: with
    // the house set never to break a capitalised word, a German brief still breaks
    // its nouns (before, none of them; their lines were left loose). The text is ours.
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = "Die Bündnisverpflichtungen der Mitgliedstaaten und die \
                Verteidigungsausgaben bestimmen die Sicherheitszusammenarbeit; die \
                Energieversorgung hängt von Infrastrukturprojekten und \
                Transitvereinbarungen ab, deren Finanzierungsbedingungen selten \
                veröffentlicht werden.";
    let brief = shifted(para).replacen("---\n", "---\nlang: de\n", 1);
    let sb = common::Sandbox::new();
    sb.write("source/nouns.md", &brief);
    sb.write(
        "h/house.toml",
        "[typeset]\ncapitalised_hyphen_penalty = 10000.0\n",
    );
    sb.run(&["--house", "h/house.toml", "build", "--format", "pdf"])
        .expect_code(0);
    let lines = lines(&sb.path("dist/nouns.pdf"));
    let nouns = lines
        .iter()
        .filter(|l| l.hyphenated())
        .filter(|l| {
            let last = l.text.split(' ').next_back().unwrap_or("");
            last.chars().next().is_some_and(char::is_uppercase)
        })
        .count();
    assert!(nouns >= 3, "only {nouns} lines end inside a noun");
}

#[test]
fn polish_one_letter_words_never_end_a_line() {
    // Polish (as Czech and Slovak) typesetting keeps a one-letter preposition or
    // conjunction with the word after it: no line ends in "w", "z", "i", "a", "o"
    // or "u" (src/render/ties.rs). The PDF and the text edition hold the space; the
    // EPUB writes it as a no-break space. The text is ours.
    if !common::need_tool("pdftotext") {
        return;
    }
    let para = "Spotkanie w Warszawie i rozmowy z Litwą o bezpieczeństwie w regionie \
                Morza Bałtyckiego odbyły się w marcu, a ministrowie z Polski i Łotwy \
                mówili o kablach u wybrzeży oraz o sieciach w Estonii i w Finlandii.";
    let brief = shifted(para).replacen("---\n", "---\nlang: pl\n", 1);
    let lines = lines_without_defects("letters-pl", &brief);
    let single = ["w", "z", "i", "a", "o", "u"];
    for l in &lines {
        let last = l.text.split(' ').next_back().unwrap_or("");
        assert!(
            !single.contains(&last),
            "{}.{} ends in a one-letter word: {}",
            l.page,
            l.column + 1,
            l.text
        );
    }
    let sb = common::Sandbox::new();
    sb.write("source/pl.md", &brief);
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    let text = std::fs::read_to_string(sb.path("dist/pl.txt")).expect("text edition");
    for line in text.lines() {
        let last = line.split(' ').next_back().unwrap_or("");
        assert!(!single.contains(&last), "text edition: {line}");
    }
    sb.run(&["build", "--format", "epub"]).expect_code(0);
    let xhtml = epub_xhtml(&sb.path("dist/pl.epub"));
    assert!(
        xhtml.contains("Spotkanie w\u{A0}Warszawie i\u{A0}rozmowy z\u{A0}Litwą"),
        "{xhtml}"
    );
}

/// Every XHTML document of the EPUB at `path`, one after another.
fn epub_xhtml(path: &Path) -> String {
    let file = std::fs::File::open(path).expect("epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut xhtml = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        if f.name().ends_with(".xhtml") {
            std::io::Read::read_to_string(&mut f, &mut xhtml).expect("read");
        }
    }
    xhtml
}

/// Build and check `brief` as `source/{name}.md`; the text each edition shows: the
/// text edition's, the PDF's (`pdftotext -raw`) and the EPUB's XHTML.
fn shown_editions(name: &str, brief: &str) -> [(&'static str, String); 3] {
    let sb = common::Sandbox::new();
    sb.write(&format!("source/{name}.md"), brief);
    sb.run(&["build", "--check"]).expect_code(0);
    let text = std::fs::read_to_string(sb.path(&format!("dist/{name}.txt"))).expect("text");
    let pdf = common::pdftotext_raw(&sb.path(&format!("dist/{name}.pdf")));
    let xhtml = epub_xhtml(&sb.path(&format!("dist/{name}.epub")));
    [("text", text), ("PDF", pdf), ("EPUB", xhtml)]
}

#[test]
fn a_typed_double_quote_is_the_languages_own_in_every_edition() {
    // Smart punctuation curls `"` into English “ ” in every language; Russian prints
    // «…», German „…“, Polish „…”, as typst's smart quotes do. The title and the bios
    // take the same marks as the body. An apostrophe stays ’ in every language.
    if !common::need_tool("pdftotext") {
        return;
    }
    for (lang, open, close) in [
        ("ru", "\u{AB}", "\u{BB}"),
        ("de", "\u{201E}", "\u{201C}"),
        ("pl", "\u{201E}", "\u{201D}"),
        ("en", "\u{201C}", "\u{201D}"),
    ] {
        let brief = format!(
            "---\ntitle: 'The \"reset\" of dell''Italia'\nregion: Europe\ndate: 2024-05\n\
             lang: {lang}\nauthors:\n  - name: A. Tester\n    bio: Fellow at the \"Centre\".\n---\n\n\
             Он назвал это \"перезагрузкой\", and it's the \"Zeitenwende\" of 2022.\n"
        );
        let quoted = |w: &str| format!("{open}{w}{close}");
        for (edition, shown) in shown_editions(lang, &brief) {
            for w in ["перезагрузкой", "Zeitenwende", "reset", "Centre"] {
                assert!(
                    shown.contains(&quoted(w)),
                    "{lang}: {edition} edition has no {}:\n{shown}",
                    quoted(w)
                );
            }
            assert!(shown.contains("it\u{2019}s"), "{lang}: {edition}: {shown}");
        }
    }
}

#[test]
fn a_typed_single_quote_is_the_languages_inner_mark_and_an_apostrophe_stays() {
    // A typed `'` that opens a quotation prints as the language's inner mark, and the
    // `’` that closes it too; an apostrophe, inside a word or at its end with no
    // quotation open, stays ’. In the title as in the body.
    if !common::need_tool("pdftotext") {
        return;
    }
    for (lang, open, close) in [
        ("de", "\u{201A}", "\u{2018}"),
        ("ru", "\u{201E}", "\u{201C}"),
        ("fr", "\u{201C}", "\u{201D}"),
        ("en", "\u{2018}", "\u{2019}"),
    ] {
        let brief = format!(
            "---\ntitle: \"The 'Zeitenwende' of 2022\"\nregion: Europe\ndate: 2024-05\n\
             lang: {lang}\nauthors:\n  - name: A. Tester\n---\n\n\
             He called it 'reset', and it's the neighbours' view that dell'Italia \
             matters.\n\n'Unclosed quote.\n\nThe neighbours' view.\n"
        );
        for (edition, shown) in shown_editions(lang, &brief) {
            let shown = shown.replace('\n', " ");
            for w in ["Zeitenwende", "reset"] {
                let quoted = format!("{open}{w}{close}");
                assert!(
                    shown.contains(&quoted),
                    "{lang}: {edition} has no {quoted}:\n{shown}"
                );
            }
            for apostrophe in [
                "it\u{2019}s",
                "neighbours\u{2019} view",
                "dell\u{2019}Italia",
            ] {
                assert!(
                    shown.contains(apostrophe),
                    "{lang}: {edition}: {apostrophe}:\n{shown}"
                );
            }
            // A quotation left open in one paragraph closes nothing: the apostrophe
            // after it stays one.
            assert_eq!(
                shown.matches("neighbours\u{2019} view").count(),
                2,
                "{lang}: {edition}:\n{shown}"
            );
        }
    }
}

#[test]
fn french_spaces_its_guillemets_and_never_breaks_beside_its_marks() {
    // French typography puts a no-break space inside guillemets and before ; : ! ?.
    // A typed `"` becomes « and » with a narrow no-break space (U+202F) inside; a space
    // the author typed there stays as wide as typed but no line breaks at it, in the
    // PDF, the text edition (both break their own lines) and the EPUB (written as
    // U+00A0 for the reading system).
    if !common::need_tool("pdftotext") {
        return;
    }
    let sentence = "Le ministre a parlé de « détente » puis de \"coopération\" ; pourquoi ? \
                    Parce que : voilà ! Les \"interdépendances\" et les « infrastructures » \
                    transfrontalières sont au cœur du débat ; qui paie ? ";
    let brief = format!(
        "---\ntitle: 'La \"sécurité\" régionale : un essai'\nregion: Europe\ndate: 2024-05\n\
         lang: fr\nauthors:\n  - name: A. Tester\n---\n\n{}\n",
        sentence.repeat(12)
    );
    let sb = common::Sandbox::new();
    sb.write("source/fr.md", &brief);
    sb.run(&["build", "--check"]).expect_code(0);
    let text = std::fs::read_to_string(sb.path("dist/fr.txt")).expect("text");
    let xhtml = epub_xhtml(&sb.path("dist/fr.epub"));
    for (edition, shown) in [("text", &text), ("EPUB", &xhtml)] {
        for w in ["sécurité", "coopération", "interdépendances"] {
            let quoted = format!("\u{AB}\u{202F}{w}\u{202F}\u{BB}");
            assert!(shown.contains(&quoted), "{edition} edition has no {quoted}");
        }
    }
    assert!(
        xhtml.contains("\u{AB}\u{A0}détente\u{A0}\u{BB} puis"),
        "{xhtml}"
    );
    assert!(xhtml.contains("\u{BB}\u{A0}; pourquoi\u{A0}?"), "{xhtml}");
    let pdf = common::pdftotext_raw(&sb.path("dist/fr.pdf"));
    // No line of either edition starts with a closing mark or ends with an opening one.
    let body = |t: &str| {
        t.lines()
            .skip_while(|l| !l.contains("ministre"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (edition, shown) in [("text", body(&text)), ("PDF", body(&pdf))] {
        let lines: Vec<&str> = shown.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(lines.len() > 20, "{edition}: {shown}");
        for line in lines {
            let line = line.trim_matches(|c: char| c.is_whitespace());
            assert!(
                !line.starts_with(['\u{BB}', ';', ':', '!', '?']) && !line.ends_with('\u{AB}'),
                "{edition} edition breaks beside a mark: {line:?}"
            );
        }
    }
}

#[test]
fn a_tables_room_goes_where_it_saves_lines() {
    // Forty rows of a label ("Country 10"), two figures under headers longer than them
    // and a sentence that takes two lines at any width the column could get. CSS's
    // shares by one-line widths gave the sentences most of the room: every label from
    // "Country 10" on broke after "Country", and "Share of GDP (%)" stood four lines
    // tall. Now each label and each figure's row starts on one line, the headers take
    // two, and the sentences still take two.
    if !common::need_tool("pdftotext") {
        return;
    }
    let rows: String = (0..40)
        .map(|i| {
            format!(
                "| Country {i} | {} | {:.2} | Spending rose after the {} review of forces. |\n",
                1000 + i * 37,
                1.1 + f64::from(i) * 0.07,
                2000 + i
            )
        })
        .collect();
    let sb = common::Sandbox::new();
    sb.write(
        "source/tb.md",
        common::brief(&format!(
            "Text before the table.\n\n| Country | Spending (USD m) | Share of GDP (%) | Note |\n\
             |---|--:|--:|---|\n{rows}\nText after the table.\n"
        )),
    );
    sb.run(&["build", "--check"]).expect_code(0);
    let text = common::pdftotext_raw(&sb.path("dist/tb.pdf"));
    let lines: Vec<&str> = text.lines().collect();
    for i in 0..40 {
        let start = format!("Country {i} {} ", 1000 + i * 37);
        assert!(
            lines.iter().any(|l| l.starts_with(&start)),
            "row {i} does not start on one line:\n{text}"
        );
    }
    let header = lines
        .iter()
        .position(|l| l.starts_with("Country Spending"))
        .expect("header");
    assert_eq!(
        lines[header..header + 5],
        ["Country Spending", "(USD m)", "Share of", "GDP (%)", "Note"]
    );
    assert!(
        text.contains("Spending rose after the\n2019 review of forces."),
        "{text}"
    );
}

#[test]
fn a_combining_mark_is_set_in_its_letters_font_or_with_its_own_width() {
    // The keycap U+20E3 after a digit (pandoc's test of emoji shortcodes): the house
    // serif has the digit, not the mark, so the two were set in two fonts, the mark
    // after the digit and over the next word, and `check` found the offset that took
    // the mark's advance back. The cluster now goes to the first font that has all of
    // it. A mark with no letter before it keeps its font's advance instead of none.
    if !common::need_tool("pdftotext") {
        return;
    }
    let sb = common::Sandbox::new();
    sb.write(
        "source/keys.md",
        common::brief("Press 0\u{20e3} then 1\u{20e3}, or \u{20e3} alone here.\n"),
    );
    sb.run(&["build"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    if common::need_tool("mutool") {
        // mutool's structured text names the font of every character: the digit
        // and its keycap are in one.
        let out = Command::new("mutool")
            .args(["draw", "-F", "stext", "-o", "-"])
            .arg(sb.path("dist/keys.pdf"))
            .output()
            .expect("run mutool");
        let stext = String::from_utf8_lossy(&out.stdout);
        for digit in ["0", "1"] {
            let pair = format!("c=\"{digit}\"/>\n<char ");
            assert!(
                stext
                    .split("<font ")
                    .any(|run| run.split(&pair).nth(1).is_some_and(|rest| rest
                        .split("/>")
                        .next()
                        .is_some_and(|c| c.contains("c=\"&#x20e3;\"")))),
                "{digit} and its keycap are in different fonts:\n{stext}"
            );
        }
    }
    let words = words(&sb.path("dist/keys.pdf")).concat();
    let word = |t: &str| {
        words
            .iter()
            .find(|w| w.text == t)
            .unwrap_or_else(|| panic!("no word {t:?} in {words:?}"))
    };
    let (alone, after) = (word("\u{20e3}"), word("alone"));
    assert!(
        alone.x1 - alone.x0 > 5.0 && alone.x1 < after.x0,
        "a mark alone has no width: {alone:?} {after:?}"
    );
}

#[test]
fn a_run_of_no_break_spaces_wider_than_a_line_breaks_at_one() {
    // A table of pandoc's tests pasted as text, its padding as no-break spaces: a row
    // "| Option | Meaning" and 190 no-break spaces before its closing bar is one
    // unbreakable run. It ran 190 pt past the column's edge, over the next column's
    // text, and `check` found that text out of reading order. Where nothing else can
    // break such a run, a tie breaks as a last resort.
    if !common::need_tool("pdftotext") {
        return;
    }
    // And a run of words whose spaces are all no-break spaces: where it breaks at one,
    // the line ends between two words, not inside one (an RFC's code read "firstand").
    let row = format!("| Option | Meaning{}|", "\u{a0}".repeat(190));
    // Letters alone, so that no cut inside a word competes with the ties.
    let tied = "x y z ".repeat(60).trim_end().replace(' ', "\u{a0}");
    let body = format!(
        "{row}\\\n{row}\n\n{tied}\n\n{}\n",
        "Words to fill the second column beside the row. ".repeat(120)
    );
    let sb = common::Sandbox::new();
    sb.write("source/ties.md", common::brief(&body));
    sb.run(&["build"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    for w in words(&sb.path("dist/ties.pdf")).concat() {
        let column = if w.x0 < LEFT + COLUMN + GUTTER / 2.0 {
            0.0
        } else {
            COLUMN + GUTTER
        };
        assert!(
            w.x1 <= LEFT + column + COLUMN + HANG,
            "{w:?} runs past its column's edge"
        );
    }
}

/// A table longer than a column runs on into the next column and onto the next page
/// with its header row set again at the top of each, above its rows, as a reader of a
/// printed table expects. The repeats are artifacts: the structure holds the header
/// once (three `TH`), `check` passes (the furniture check knows a repeated header,
/// and the number of a note in it), and the EPUB and the text carry it once.
#[test]
fn a_table_that_runs_on_repeats_its_header_row() {
    // Notes in the header: their numbers are repeated with it, artifacts in the piece
    // ("20152" for a cell of a year and note 2).
    let mut body =
        String::from("Deployments by year:\n\n| Country[^c] | Year | 2015[^t] |\n|---|--:|--:|\n");
    for i in 1..=140 {
        body.push_str(&format!("| R{i} | {} | {} |\n", 1990 + i % 30, 100 + i * 7));
    }
    body.push_str("\nAfter the table.\n\n[^c]: As the source names it.\n[^t]: Troops in 2015.\n");
    let sb = common::Sandbox::new();
    sb.write("source/runs-on.md", common::brief(&body));
    sb.run(&["build"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    let pdf = sb.path("dist/runs-on.pdf");
    let bytes = std::fs::read(&pdf).expect("read the PDF");
    let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads the PDF");
    let th = doc
        .objects
        .values()
        .filter(|o| {
            o.as_dict()
                .is_ok_and(|d| d.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"TH"))
        })
        .count();
    assert_eq!(th, 3, "the structure holds the header row once");
    if !common::need_tool("pdftotext") {
        return;
    }
    let mut columns = 0;
    for (p, page) in words(&pdf).iter().enumerate() {
        for c in 0..2 {
            let left = LEFT + c as f32 * (COLUMN + GUTTER);
            let here = |w: &&Word| w.x0 >= left - 1.0 && w.x0 < left + COLUMN;
            let rows: Vec<&Word> = page
                .iter()
                .filter(here)
                .filter(|w| {
                    w.text
                        .strip_prefix('R')
                        .is_some_and(|n| n.parse::<u32>().is_ok())
                })
                .collect();
            let heads: Vec<&Word> = page
                .iter()
                .filter(here)
                .filter(|w| w.text.starts_with("Country"))
                .collect();
            if rows.is_empty() {
                assert!(
                    heads.is_empty(),
                    "page {p}, column {c}: a header without rows"
                );
                continue;
            }
            columns += 1;
            let top = rows.iter().map(|w| w.y0).fold(f32::INFINITY, f32::min);
            assert!(
                heads.len() == 1 && heads[0].y0 < top,
                "page {p}, column {c}: rows from {top} pt without their header above: {heads:?}"
            );
        }
    }
    assert!(columns >= 3, "the table ran on into {columns} columns only");
}

#[test]
fn the_words_an_edition_adds_are_in_the_briefs_language() {
    // The figure label and the notes heading (content, in every edition), the spoken
    // name of a note's link back (EPUB) and the EPUB's names for its contents and
    // cover come from `[labels.TAG]` of the house style: Italian for `it`, the
    // Portuguese table for `pt-BR`, English for a language the house has no table for.
    if !common::need_tool("pdftotext") {
        return;
    }
    for (lang, figure, notes, back, contents, cover) in [
        (
            "it",
            "Figura",
            "Note",
            "Torna al richiamo 1 della nota 1 nel testo",
            "Indice",
            "Copertina",
        ),
        (
            "pt-BR",
            "Figura",
            "Notas",
            "Voltar à chamada 1 da nota 1 no texto",
            "Índice",
            "Capa",
        ),
        (
            "fi",
            "Figure",
            "Notes",
            "Back to reference 1 of note 1 in the text",
            "Contents",
            "Cover",
        ),
    ] {
        let sb = common::Sandbox::new();
        sb.copy(
            &common::root().join("tests/fixtures/constructs/chart.png"),
            "source/chart.png",
        );
        sb.write(
            "source/b.md",
            format!(
                "---\ntitle: Una prova\nregion: Europa\ndate: 2024-05\nlang: {lang}\n\
                 authors:\n  - name: A. Tester\n---\n\n\
                 Il testo, con una nota.[^1]\n\n![Il porto all'alba](chart.png)\n\n\
                 [^1]: La nota.\n"
            ),
        );
        sb.run(&["build", "--check"]).expect_code(0);
        let text = std::fs::read_to_string(sb.path("dist/b.txt")).expect("text");
        let pdf = common::pdftotext_raw(&sb.path("dist/b.pdf"));
        let xhtml = epub_xhtml(&sb.path("dist/b.epub"));
        // The label is tied to its number in every language: the EPUB writes the tie
        // as a no-break space.
        let caption = |space: &str| format!("{figure}{space}1. Il porto all\u{2019}alba");
        for (edition, shown, space) in [
            ("text", &text, " "),
            ("PDF", &pdf, " "),
            ("EPUB", &xhtml, "\u{a0}"),
        ] {
            let caption = caption(space);
            assert!(
                shown.contains(&caption),
                "{lang}: {edition} has no {caption:?}:\n{shown}"
            );
        }
        let heading = |s: &str| s.lines().any(|l| l.trim() == notes);
        assert!(
            heading(&text) && heading(&pdf),
            "{lang}: no heading {notes:?}:\n{text}\n{pdf}"
        );
        for part in [
            format!(">{notes}</h2>"),
            format!("aria-label=\"{back}\""),
            format!("<h2>{contents}</h2>"),
            format!(">{cover}</a>"),
        ] {
            assert!(
                xhtml.contains(&part),
                "{lang}: the EPUB has no {part:?}:\n{xhtml}"
            );
        }
    }
}
