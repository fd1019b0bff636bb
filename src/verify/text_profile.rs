//! The text edition against the house text edition (see [`super::profile`]).
//!
//! The word reader ([`super::text`]) must accept link targets (`<…>`), list and note
//! markers as furniture, and cannot tell from the file alone whether the source has a
//! link or a note there. The house text edition can: the edition's tokens (runs of
//! non-space) must be the house edition's, in order. Line endings and where lines wrap
//! do not matter; quote markers (`>` at a line start) are compared as the quote depth
//! of each token, since re-wrapping a quote moves them. A run of tokens that differs
//! and holds a link target or a marker is named here; a run of plain words is left to
//! the word comparison.

use std::borrow::Cow;
use std::ops::Range;

use super::profile::{clip, Finding};

/// One token of a text edition.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token<'a> {
    text: Cow<'a, str>,
    line: u32,
    /// How many `>` quote markers open its line.
    depth: u32,
}

/// The tokens of a text edition, normalised as content words are.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let mut depth = 0;
        let mut at_start = true;
        for t in line.split_whitespace() {
            if at_start && t == ">" {
                depth += 1;
                continue;
            }
            at_start = false;
            let text = if t.is_ascii() {
                Cow::Borrowed(t)
            } else {
                Cow::Owned(crate::content::normalize(t))
            };
            out.push(Token {
                text,
                line: line_no,
                depth,
            });
        }
    }
    out
}

/// What kind of furniture a token is or carries, if any.
fn furniture(t: &str) -> Option<&'static str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if t.contains('<') && t.contains('>') {
        return Some("link target");
    }
    if t == "-" || t == "*" {
        return Some("list marker");
    }
    if t.strip_suffix('.').is_some_and(digits) {
        return Some("list number");
    }
    if let Some(open) = t.rfind('[') {
        if t[open + 1..].strip_suffix(']').is_some_and(digits) {
            return Some("note marker");
        }
    }
    if t.len() > 1 && t.chars().all(|c| matches!(c, '=' | '-' | '*')) {
        return Some("rule");
    }
    None
}

/// Hold the text edition `edition` against the house text `house`; `words_differ`
/// says whether the word comparison already found differences.
pub fn check(edition: &[u8], house: &[u8], words_differ: bool) -> Vec<Finding> {
    if edition == house {
        return Vec::new();
    }
    let (Ok(a), Ok(b)) = (std::str::from_utf8(edition), std::str::from_utf8(house)) else {
        return Vec::new(); // not UTF-8: the word reader has refused it already
    };
    let (ta, tb) = (tokens(a), tokens(b));
    let last_line = ta.last().map_or(1, |t| t.line);
    let line_at = |j: usize| ta.get(j).map_or(last_line, |t| t.line);
    let mut out = Vec::new();
    let mut words_only = None;
    let hunks = diff(&tb, &ta);
    // Quote depth of the tokens both have, between the runs that differ.
    let (mut i, mut j) = (0, 0);
    // One finding per line, for the first token whose quoting differs.
    let mut quote_lines: Vec<u32> = Vec::new();
    for (h, e) in hunks
        .iter()
        .cloned()
        .chain(std::iter::once((tb.len()..tb.len(), ta.len()..ta.len())))
    {
        while i < h.start && j < e.start {
            let line = ta[j].line;
            if ta[j].depth != tb[i].depth && quote_lines.len() < 3 && !quote_lines.contains(&line) {
                quote_lines.push(line);
                out.push(quote_finding(&ta[j], &tb[i]));
            }
            i += 1;
            j += 1;
        }
        (i, j) = (h.end, e.end);
        if h.is_empty() && e.is_empty() {
            continue;
        }
        let Some(finding) = furniture_finding(&ta[e.clone()], &tb[h.clone()], line_at(e.start))
        else {
            words_only.get_or_insert(line_at(e.start));
            continue;
        };
        out.push(finding);
        if out.len() >= 20 {
            break;
        }
    }
    if let (Some(line), true, false) = (words_only, out.is_empty(), words_differ) {
        out.push(Finding {
            file: None,
            line: Some(line),
            what: "the text differs from the house text edition here, though the words read \
                   the same"
                .into(),
        });
    }
    out
}

/// The finding for a token quoted `edition.depth` deep where the house text quotes it
/// `house.depth` deep.
fn quote_finding(edition: &Token<'_>, house: &Token<'_>) -> Finding {
    Finding {
        file: None,
        line: Some(edition.line),
        what: format!(
            "quote markers: \"{}\" is quoted {} deep where the house text quotes \
             it {} deep; a reader may take it for other words than the source's",
            clip(&edition.text, 40),
            edition.depth,
            house.depth
        ),
    }
}

/// The finding for a run of tokens that differs (`edition`'s against `house`'s) at
/// `line` of the edition, when it holds a link target or a marker; `None` for plain words.
fn furniture_finding(edition: &[Token<'_>], house: &[Token<'_>], line: u32) -> Option<Finding> {
    let kinds: Vec<&str> = edition
        .iter()
        .chain(house)
        .filter_map(|t| furniture(&t.text))
        .collect();
    if kinds.is_empty() {
        return None;
    }
    let mut kinds_named: Vec<&str> = Vec::new();
    for k in kinds {
        if !kinds_named.contains(&k) {
            kinds_named.push(k);
        }
    }
    Some(Finding {
        file: None,
        line: Some(line),
        what: format!(
            "{}: the edition has {} where the house text has {}; link targets and \
             markers must be the source's links and notes",
            kinds_named.join(", "),
            show(edition),
            show(house)
        ),
    })
}

/// Tokens as a finding quotes them: their text, clipped, in quotes, or `nothing`.
fn show(ts: &[Token<'_>]) -> String {
    if ts.is_empty() {
        "nothing".to_owned()
    } else {
        format!(
            "\"{}\"",
            clip(
                &ts.iter()
                    .map(|t| t.text.as_ref())
                    .collect::<Vec<_>>()
                    .join(" "),
                80
            )
        )
    }
}

/// The runs that differ between `a` and `b` (ranges of each), in order, by token text
/// ([`super::compare::differing_runs`]).
fn diff(a: &[Token<'_>], b: &[Token<'_>]) -> Vec<(Range<usize>, Range<usize>)> {
    let a: Vec<&str> = a.iter().map(|t| t.text.as_ref()).collect();
    let b: Vec<&str> = b.iter().map(|t| t.text.as_ref()).collect();
    super::compare::differing_runs(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUSE: &str = "Title\n=====\n\nA paragraph with a link <https://x.org/a>, and a\nnote[1] here.\n\n- one\n- two\n\n> quoted words\n> go on\n\n[1] The note.\n";

    fn check_str(edition: &str) -> Vec<Finding> {
        check(edition.as_bytes(), HOUSE.as_bytes(), false)
    }

    #[test]
    fn wrapping_and_line_endings_do_not_matter() {
        assert!(check_str(HOUSE).is_empty());
        assert!(check_str(&HOUSE.replace('\n', "\r\n")).is_empty());
        let rewrapped = HOUSE
            .replace(
                "link <https://x.org/a>, and a\nnote[1]",
                "link\n<https://x.org/a>, and a note[1]",
            )
            .replace("> quoted words\n> go on", "> quoted\n> words go on");
        assert!(
            check_str(&rewrapped).is_empty(),
            "{:?}",
            check_str(&rewrapped)
        );
    }

    #[test]
    fn furniture_must_be_the_sources() {
        let cases = [
            (HOUSE.replace("x.org/a", "evil.example"), "link target", 4),
            (
                HOUSE.replace("paragraph with", "paragraph <https://x.org/b> with"),
                "link target",
                4,
            ),
            (HOUSE.replace("note[1]", "note[2]"), "note marker", 5),
            (HOUSE.replace("- two", "- two\n- three"), "list marker", 9),
            (
                HOUSE.replace("A paragraph", "[7] A paragraph"),
                "note marker",
                4,
            ),
            (HOUSE.replace("=====", "==="), "rule", 2),
        ];
        for (edition, kind, line) in cases {
            let f = check_str(&edition);
            assert_eq!(f.len(), 1, "{kind}: {f:?}");
            assert!(f[0].what.starts_with(kind), "{}", f[0].what);
            assert_eq!(f[0].line, Some(line), "{}", f[0].what);
        }
        let f = check_str(&HOUSE.replace("A paragraph", "> A paragraph"));
        assert_eq!(f.len(), 1, "one finding per line: {f:?}");
        assert!(f[0].what.starts_with("quote markers"), "{f:?}");
    }

    #[test]
    fn plain_word_changes_are_left_to_the_words() {
        let edition = HOUSE.replace("paragraph", "paragraf");
        assert!(check(edition.as_bytes(), HOUSE.as_bytes(), true).is_empty());
        let f = check_str(&edition);
        assert!(f[0].what.contains("words read the same"), "{f:?}");
    }

    #[test]
    fn the_diff_finds_minimal_runs() {
        let t = |s: &'static str| tokens(s);
        let (a, b) = (t("a b c d e"), t("a x c d e f"));
        assert_eq!(diff(&a, &b), vec![(1..2, 1..2), (5..5, 5..6)]);
        let (a, b) = (t("a b c"), t("c b a"));
        let runs = diff(&a, &b);
        assert!(!runs.is_empty());
        assert!(diff(&a, &a).is_empty());
    }
}
