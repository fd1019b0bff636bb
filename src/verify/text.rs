//! Reading the plain-text edition back into words, by the layout rules of
//! [`crate::render::text`] (restated here, not shared, so a renderer bug cannot hide).
//!
//! - Lines made only of `=`, `-`, `*`, `>` and spaces are rules and underlines:
//!   furniture candidates (a paragraph may be `---` itself).
//! - Leading `>` quote markers, list markers (`-`, `N.`) and note markers (`[N]`) at a
//!   line start and link targets (`<https://…>`) are furniture candidates: skipped
//!   unless the content has them. A note reference glued to a word (`word[3]`) is
//!   taken off it, unless the content has the word with it.
//! - Whatever is glued after a link target (`<…>`, up to white space) continues the
//!   word before it: the target was written inside that word. Note references in it
//!   are read as notes and as the content's text (the next link's, `[[4]](…)`); a
//!   note number standing alone before the target may be the link's text, and then
//!   takes the glue itself.
//! - A figure is `[Figure N. caption]`: a block (between blank lines) that opens with
//!   `[` (not a note marker) and closes with `]` loses those two brackets, unless the
//!   content has them (a paragraph `[[foo]]`). A closing bracket glued after a link
//!   target (`[Source: NATO <https://…>]`) is glue like any other, read either way.

use super::compare::{Found, Place};

/// Words of a text edition, each with its line number.
pub fn extract(text: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let figures = figures(&lines);
    for (n, line) in lines.iter().enumerate() {
        let place = Place {
            line: Some(u32::try_from(n + 1).unwrap_or(u32::MAX)),
            ..Place::default()
        };
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let rule = is_rule(trimmed);
        let (opens, closes) = figures.get(n).copied().unwrap_or_default();
        let count = line.split_whitespace().count();
        let mut at_start = true;
        for (k, token) in line.split_whitespace().enumerate() {
            let marker = at_start && is_line_marker(token);
            if !marker {
                at_start = false;
            }
            let first = opens && k == 0;
            // A block's last token that is a link target keeps its closing bracket
            // as glue: the bracket is the figure's or the content's, and the word the
            // target was written in takes it either way (`[Source: NATO <…>]`).
            let last = closes && k + 1 == count && (first || link_target(token).is_none());
            if first || last {
                out.push(bracketed(token, first, last, &place));
            } else if rule {
                out.push(found(token, &place, true));
            } else {
                self::token(token, marker, &place, &mut out);
            }
        }
    }
    out
}

/// One token of an ordinary line.
fn token(token: &str, marker: bool, place: &Place, out: &mut Vec<Found>) {
    if let Some((target, rest)) = link_target(token) {
        let mut t = found(target, place, true);
        if !rest.is_empty() {
            // Or the whole token is a word of the content that looks like a target.
            t.raw = Some(crate::content::normalize(token));
            glue(rest, place, out);
        }
        out.push(t);
        return;
    }
    // A note reference glued to a word: `word[3]`, `word.[3]`, or before the
    // punctuation that follows the word, `word[3].` (the source's `word[^n].`).
    match without_note_refs(token) {
        Some(word) if !word.is_empty() => {
            let mut f = found(&word, place, false);
            f.raw = Some(crate::content::normalize(token));
            out.push(f);
        }
        _ => out.push(found(token, place, marker || is_note_ref(token))),
    }
}

/// `token` with every note reference glued to it taken out (`End[1].` → `End.`,
/// `a[1][2]` → `a`, `[2],[3]` → `,`), if it has one and is not one alone.
fn without_note_refs(token: &str) -> Option<String> {
    let mut word = String::new();
    let mut rest = token;
    let mut found_one = false;
    while let Some(open) = rest.find('[') {
        let after = &rest[open..];
        let close = after.find(']');
        match close {
            // A token that is a note reference and nothing else is a line marker,
            // judged by the caller; one that opens with a reference (a table cell
            // `[2],[3]`, from `[^2],[^3]`) loses it like any other.
            Some(c) if is_note_ref(&after[..=c]) && !(token.len() == c + 1 && open == 0) => {
                word.push_str(&rest[..open]);
                rest = &after[c + 1..];
                found_one = true;
            }
            _ => {
                word.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    word.push_str(rest);
    found_one.then_some(word)
}

/// Text glued after a link target: it continues the word before the target, which
/// keeps its reading without it. Note references in it are read both ways: as notes
/// (furniture: the word's text goes on without them) and as the content's own text
/// (the word's other reading goes on with them). The second is the next link's text
/// when links follow each other, `requested[[3]](…)[[4]](…).` being written
/// `requested[3] <…>[4] <…>.`; the first, a note after a link, `[text](…)[^1].`.
fn glue(rest: &str, place: &Place, out: &mut Vec<Found>) {
    // The references may stand before the punctuation that ends the word
    // (`<https://…>[1].`, from the source's `[text](…)[^n].`).
    let word = match (split_note_ref(rest), without_note_refs(rest)) {
        (Some((word, _)), _) => word.to_owned(),
        (None, Some(word)) => word,
        (None, None) => rest.to_owned(),
    };
    let word = crate::content::normalize(&word);
    let written = crate::content::normalize(rest);
    // A note number standing alone just before the target may be the content's own
    // word, the end of the link text (`[statement [1]](…):` is written `statement
    // [1] <…>:`): read that way the glue continues the number, and the word before
    // the number keeps its reading without the glue.
    let number = out
        .last_mut()
        .filter(|f| f.optional && is_note_ref(&f.text));
    let number_takes_it = number.is_some();
    if let Some(number) = number {
        number.raw = Some(format!("{}{written}", number.text));
    }
    // What the word's other reading gains: nothing when the number took the glue; the
    // glue as written when it holds references; else the glue, except for a word with
    // one reading, which gains the reading without it (the target and its glue may be
    // a word of the content that looks like a target, `<…::a>::…`).
    let refs = !number_takes_it && written != word;
    match out.iter_mut().rev().find(|f| !f.optional) {
        Some(prev) => {
            match &mut prev.raw {
                Some(raw) if refs => raw.push_str(&written),
                Some(raw) if !number_takes_it => raw.push_str(&word),
                Some(_) => {}
                None if refs => prev.raw = Some(format!("{}{written}", prev.text)),
                None => prev.raw = Some(prev.text.clone()),
            }
            prev.text.push_str(&word);
        }
        None if !word.is_empty() => {
            let mut f = found(&word, place, false);
            f.raw = Some(written);
            out.push(f);
        }
        None => {}
    }
}

/// The first or last token of a figure block (or both), its bracket taken off.
fn bracketed(token: &str, first: bool, last: bool, place: &Place) -> Found {
    let mut text = token;
    if first {
        text = text.strip_prefix('[').unwrap_or(text);
    }
    if last {
        text = text.strip_suffix(']').unwrap_or(text);
    }
    if text.is_empty() {
        // A bracket standing alone is furniture, or a word of the content.
        return found(token, place, true);
    }
    let mut f = found(text, place, false);
    f.raw = Some(crate::content::normalize(token));
    f
}

/// A link target `<scheme:…>` and whatever is glued after it.
fn link_target(token: &str) -> Option<(&str, &str)> {
    let close = token.find('>')?;
    let (target, rest) = token.split_at(close + 1);
    let ok = target.starts_with('<') && target.contains(':');
    ok.then_some((target, rest))
}

/// For each line, whether it opens and whether it closes a figure block (see the
/// module docs).
fn figures(lines: &[&str]) -> Vec<(bool, bool)> {
    let mut out = vec![(false, false); lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let end = (start..lines.len())
            .find(|&i| lines[i].trim().is_empty())
            .unwrap_or(lines.len());
        if end > start {
            // A block that opens with a note reference (`[1][]`, from `[^1][]`) is not a
            // figure, whatever follows the reference.
            let head = lines[start].split_whitespace().next().unwrap_or("");
            let opens =
                head.starts_with('[') && !head.find(']').is_some_and(|c| is_note_ref(&head[..=c]));
            let closes = lines[end - 1].trim_end().ends_with(']');
            if opens && closes {
                out[start].0 = true;
                out[end - 1].1 = true;
            }
        }
        start = end + 1;
    }
    out
}

fn found(text: &str, place: &Place, optional: bool) -> Found {
    Found {
        text: crate::content::normalize(text),
        place: place.clone(),
        optional,
        raw: None,
    }
}

fn is_rule(line: &str) -> bool {
    line.chars()
        .all(|c| matches!(c, '=' | '-' | '*' | ' ' | '>'))
        && line.chars().any(|c| matches!(c, '=' | '-' | '*'))
}

fn is_line_marker(token: &str) -> bool {
    token == ">"
        || token == "-"
        || is_note_ref(token)
        || token
            .strip_suffix('.')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_note_ref(token: &str) -> bool {
    token
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn split_note_ref(token: &str) -> Option<(&str, &str)> {
    let open = token.rfind('[')?;
    let (word, note) = token.split_at(open);
    is_note_ref(note).then_some((word, note))
}

#[cfg(test)]
mod tests {
    #[test]
    fn note_references_glued_anywhere_in_a_word_are_furniture() {
        use super::without_note_refs;
        assert_eq!(without_note_refs("End[1]."), Some("End.".into()));
        assert_eq!(without_note_refs("word.[3]"), Some("word.".into()));
        assert_eq!(without_note_refs("a[1][2],"), Some("a,".into()));
        assert_eq!(without_note_refs("[1]"), None);
        assert_eq!(without_note_refs("[[foo]]"), None);
        assert_eq!(without_note_refs("x[a]"), None);
        // A cell that opens with references (`[^2],[^3]` in the source).
        assert_eq!(without_note_refs("[2],[3]"), Some(",".into()));
        assert_eq!(without_note_refs("[2]text"), Some("text".into()));
    }

    use super::*;

    /// Each found word's text and whether it is a furniture candidate.
    fn text_and_optional(found: &[Found]) -> Vec<(&str, bool)> {
        found
            .iter()
            .map(|w| (w.text.as_str(), w.optional))
            .collect()
    }

    #[test]
    fn skips_rules_and_marks_furniture() {
        let f =
            extract("Title\n=====\n- item[2] <https://x.org>\n> 3. quoted\n\n[Figure 1. A\ncap]\n");
        let words = text_and_optional(&f);
        assert_eq!(
            words,
            vec![
                ("Title", false),
                ("=====", true),
                ("-", true),
                ("item", false),
                ("<https://x.org>", true),
                (">", true),
                ("3.", true),
                ("quoted", false),
                ("Figure", false),
                ("1.", false),
                ("A", false),
                ("cap", false)
            ]
        );
        assert_eq!(f[3].place.to_string(), "line 3");
        assert_eq!(f[3].raw.as_deref(), Some("item[2]"));
        let f = extract("a link <https://x.org/a>, then\n");
        let words: Vec<&str> = f
            .iter()
            .filter(|w| !w.optional)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(words, ["a", "link,", "then"]);
    }

    #[test]
    fn glued_text_and_brackets_read_both_ways() {
        // Letters and a closing quote glued after a link target continue the word.
        let f = extract("a link <https://x.org/a>s and \u{201C}b <https://y.org>\u{201D}[1]\n");
        let words = text_and_optional(&f);
        assert_eq!(
            words,
            [
                ("a", false),
                ("links", false),
                ("<https://x.org/a>", true),
                ("and", false),
                ("\u{201C}b\u{201D}", false),
                ("<https://y.org>", true),
            ]
        );
        // The reference glued after the target: a note, or the content's own text.
        assert!(f[4].is("\u{201C}b\u{201D}[1]"));
        // A reference before the punctuation after a link target, read both ways too.
        let f = extract("My cmark <https://x.org/a>[1].\n");
        let words = text_and_optional(&f);
        assert_eq!(
            words,
            [
                ("My", false),
                ("cmark.", false),
                ("<https://x.org/a>", true)
            ]
        );
        assert!(f[1].is("cmark[1]."));
        // Links whose texts are numbers, one after another (rust-lang/rfcs 2169:
        // `requested[[3]](…)[[4]](…)[[5]](…).`): one word, read with the numbers.
        let f = extract("requested[3] <https://a.org>[4] <https://b.org>[5]\n<https://c.org>.\n");
        assert!(f[0].is("requested.") && f[0].is("requested[3][4][5]."));
        // Numbers standing alone before their targets (rust-lang/rfcs 3180 and 3559:
        // `linking (staticlib) [[1]](…), [[2]](…), Android`, `bugs ([[1]](…), [[2]](…)),`):
        // each takes the glue after its target, and the word before keeps its own.
        let f = extract("(staticlib) [1]\n<https://a.org>,\n[2] <https://b.org>, Android\n");
        assert!(f[0].is("(staticlib)") && f[1].is("[1],") && f[3].is("[2],"));
        let f = extract("bugs ([1]\n<https://a.org>, [2]\n<https://b.org>), and\n");
        assert!(f[1].is("([1],") && f[3].is("[2]),"));
        // A target with plain glue may be one word of the content that looks like one
        // (rust-lang/rfcs 0132, its code taken out: `rewritten to <…::a>::….`).
        let f = extract("rewritten to <\u{2026}::a>::\u{2026}.\n");
        assert!(f[1].is("to") && f[1].is("to::\u{2026}."));
        assert!(f[2].is("<\u{2026}::a>::\u{2026}."));
        // A link text that ends in what looks like a note number: the glue after the
        // target continues the number read as a word, and the word before otherwise.
        let f = extract("vision statement [1]\n<https://x.org/a>: An overview\n");
        assert!(f[1].is("statement") && f[1].is("statement:"));
        assert!(f[2].optional && f[2].is("[1]") && f[2].is("[1]:"));
        // A block that opens with a note reference is not a figure (`[^1][]`).
        let f = extract("x\n\n[1][]\n");
        assert_eq!(f[1].text, "[]");
        // A block in brackets is a figure or a paragraph in brackets: both readings.
        let f = extract("x\n\n[[[foo]]]\n");
        assert_eq!(f[1].text, "[[foo]]");
        assert!(f[1].is("[[[foo]]]") && f[1].is("[[foo]]"));
    }
}
