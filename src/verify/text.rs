//! Reading the plain-text edition back into words, by the layout rules of
//! [`crate::render::text`] (restated here, not shared, so a renderer bug cannot hide).
//!
//! - Lines made only of `=`, `-`, `*` and spaces are rules and underlines: skipped.
//! - Leading `>` quote markers, list markers (`-`, `N.`) and note markers (`[N]`) at a
//!   line start, note references glued to a word (`word[3]`) and link targets
//!   (`<https://…>`) are furniture candidates: skipped unless the content has them.
//!   Punctuation right after a link target belongs to the word before it.
//! - A figure is `[Figure N. caption]`: a block (between blank lines) that opens with
//!   `[` (not a note marker) and closes with `]` loses those two brackets.

use super::compare::{Found, Place};

/// Words of a text edition, each with its line number.
pub fn extract(text: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let lines = unbracket_figures(text.lines().collect());
    for (n, line) in lines.iter().enumerate() {
        let place = Place {
            line: Some(u32::try_from(n + 1).unwrap_or(u32::MAX)),
            ..Place::default()
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || is_rule(trimmed) {
            continue;
        }
        let mut at_start = true;
        for token in line.split_whitespace() {
            let marker = at_start && is_line_marker(token);
            if !marker {
                at_start = false;
            }
            if let Some((target, rest)) = link_target(token) {
                out.push(found(target, &place, true));
                if !rest.is_empty() {
                    match out.iter_mut().rev().find(|f| !f.optional) {
                        Some(prev) => prev.text.push_str(&crate::content::normalize(rest)),
                        None => out.push(found(rest, &place, false)),
                    }
                }
                continue;
            }
            // A note reference glued to the end of a word: `word[3]` or `word.[3]`.
            match split_note_ref(token) {
                Some((word, note)) if !word.is_empty() => {
                    out.push(found(word, &place, false));
                    out.push(found(note, &place, true));
                }
                _ => out.push(found(token, &place, marker || is_note_ref(token))),
            }
        }
    }
    out
}

/// A link target `<scheme:…>` and any punctuation glued after it.
fn link_target(token: &str) -> Option<(&str, &str)> {
    let close = token.rfind('>')?;
    let (target, rest) = token.split_at(close + 1);
    let ok = target.starts_with('<')
        && target.contains(':')
        && rest.chars().all(|c| c.is_ascii_punctuation() && c != '<');
    ok.then_some((target, rest))
}

/// Remove the brackets around figure captions (see the module docs).
fn unbracket_figures(mut lines: Vec<&str>) -> Vec<std::borrow::Cow<'_, str>> {
    let mut out: Vec<std::borrow::Cow<'_, str>> = lines.drain(..).map(Into::into).collect();
    let mut start = 0;
    while start < out.len() {
        let end = (start..out.len())
            .find(|&i| out[i].trim().is_empty())
            .unwrap_or(out.len());
        if end > start {
            let first = out[start].trim_start();
            let opens =
                first.starts_with('[') && !first.split_whitespace().next().is_some_and(is_note_ref);
            let closes = out[end - 1].trim_end().ends_with(']');
            if opens && closes {
                let last = out[end - 1].trim_end();
                let cut = last.len() - 1;
                out[end - 1] = format!("{} ", &last[..cut]).into();
                out[start] = out[start].replacen('[', " ", 1).into();
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
    use super::*;

    #[test]
    fn skips_rules_and_marks_furniture() {
        let f =
            extract("Title\n=====\n- item[2] <https://x.org>\n> 3. quoted\n\n[Figure 1. A\ncap]\n");
        let words: Vec<(&str, bool)> = f.iter().map(|w| (w.text.as_str(), w.optional)).collect();
        assert_eq!(
            words,
            vec![
                ("Title", false),
                ("-", true),
                ("item", false),
                ("[2]", true),
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
        assert_eq!(f[2].place.to_string(), "line 3");
        let f = extract("a link <https://x.org/a>, then\n");
        let words: Vec<&str> = f
            .iter()
            .filter(|w| !w.optional)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(words, ["a", "link,", "then"]);
    }
}
