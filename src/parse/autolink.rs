//! Bare addresses in running text become links: `see https://example.org/x` is a link
//! whose text and target are the address, in every edition (the rule of
//! `docs/editions.md`, "Bare addresses").
//!
//! The rule follows GitHub's autolink extension in spirit, written for this model:
//! - `http://` or `https://` followed by a host that starts with a letter or digit;
//! - `www.` followed by a letter or digit (the target is `http://` and the text);
//! - an e-mail address `local@domain.tld` (the target is `mailto:` and the text).
//!
//! An address starts at the start of the text or after a character that cannot be part
//! of it (so `xhttps://…` and `a.www.…` are left alone) and runs to the next white space
//! or `<`, `>`, `"`. Trailing punctuation that usually ends the sentence (`.,:;!?`, `…`,
//! quotes, closing brackets without a match inside the address) is left outside. Text
//! inside a link is never searched: a link cannot hold a link.

use crate::model::Inline;

/// Replace every bare address in the top-level text runs of `inlines` with a link.
/// Emphasis and strong emphasis are searched by the caller when they are parsed, and
/// links are never searched.
pub fn linkify(inlines: Vec<Inline>) -> Vec<Inline> {
    if !inlines
        .iter()
        .any(|i| matches!(i, Inline::Text(t) if may_hold(t)))
    {
        return inlines;
    }
    let mut out = Vec::with_capacity(inlines.len());
    for i in inlines {
        match i {
            Inline::Text(t) => split(&t, &mut out),
            other => out.push(other),
        }
    }
    out
}

/// A cheap test that rules out most text: every address holds `://`, `www.` or `@`.
fn may_hold(text: &str) -> bool {
    text.contains("://") || text.contains("www.") || text.contains('@')
}

/// Split `text` into text runs and links, appending them to `out`.
fn split(text: &str, out: &mut Vec<Inline>) {
    let mut rest = 0;
    let mut at = 0;
    while at < text.len() {
        if let Some((start, end, url)) = find_at(text, at) {
            if start > rest {
                out.push(Inline::Text(text[rest..start].to_owned()));
            }
            // Smart punctuation has already turned `...` into `…` in the text, and
            // GitHub's compare addresses (`…/compare/1.0...2.0`) hold three dots: an
            // ellipsis inside an address is put back as it was typed, in its text and
            // its target. (Dashes cannot be told apart so: `–` is at home in an
            // address, a Wikipedia title's, and is left as it is.)
            let shown = text[start..end].replace('\u{2026}', "...");
            let url = url.replace('\u{2026}', "...");
            out.push(Inline::Link {
                url: crate::model::uri_safe(&url).into_owned(),
                content: vec![Inline::Text(shown)],
            });
            rest = end;
            at = end;
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if rest < text.len() {
        out.push(Inline::Text(text[rest..].to_owned()));
    }
}

/// The address that starts at byte `at` of `text`, if any: its span and its target.
fn find_at(text: &str, at: usize) -> Option<(usize, usize, String)> {
    let before = text[..at].chars().next_back();
    let tail = &text[at..];
    if tail.starts_with("http://") || tail.starts_with("https://") {
        if before.is_some_and(|c| c.is_alphanumeric() || "/.@-_+:".contains(c)) {
            return None;
        }
        let host = tail.find("://").map_or(0, |i| i + 3);
        if !tail[host..].starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        let end = at + trim(&tail[..run(tail)]);
        return (end > at + host).then(|| (at, end, text[at..end].to_owned()));
    }
    if let Some(host) = tail.strip_prefix("www.") {
        if before.is_some_and(|c| c.is_alphanumeric() || "/.@-_+:".contains(c)) {
            return None;
        }
        if !host.starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        let end = at + trim(&tail[..run(tail)]);
        return Some((at, end, format!("http://{}", &text[at..end])));
    }
    email(text, at)
}

/// Length of the run of characters an address may hold, from the start of `s`.
fn run(s: &str) -> usize {
    s.find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
        .unwrap_or(s.len())
}

/// The length of `addr` without the punctuation that ends the sentence around it: a
/// trailing `.,:;!?`, ellipsis, quote, or closing bracket that has no opening one in the address.
fn trim(addr: &str) -> usize {
    let mut end = addr.len();
    loop {
        let Some(c) = addr[..end].chars().next_back() else {
            return end;
        };
        let unmatched = |open: char, close: char| {
            let s = &addr[..end];
            s.matches(close).count() > s.matches(open).count()
        };
        let drop = match c {
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '’' | '”' | '»' | '*' | '_' | '~'
            | '\u{2026}' => true,
            ')' => unmatched('(', ')'),
            ']' => unmatched('[', ']'),
            '}' => unmatched('{', '}'),
            _ => false,
        };
        if !drop {
            return end;
        }
        end -= c.len_utf8();
    }
}

/// An e-mail address whose local part starts at byte `at`: `local@label.label…`, with
/// ASCII letters, digits and `.-_+` in the local part, letters, digits, `-` and `_` in
/// the labels, at least one dot after the `@`, and no `-` or `_` at the very end.
fn email(text: &str, at: usize) -> Option<(usize, usize, String)> {
    let local_char = |c: char| c.is_ascii_alphanumeric() || ".-_+".contains(c);
    let before = text[..at].chars().next_back();
    if before.is_some_and(|c| local_char(c) || c == '@' || c == '/' || c == ':') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = at;
    while i < bytes.len() && local_char(char::from(bytes[i])) {
        i += 1;
    }
    if i == at || bytes.get(i) != Some(&b'@') || bytes[at] == b'.' {
        return None;
    }
    let domain = i + 1;
    let mut j = domain;
    let mut dots = 0;
    while j < bytes.len() {
        let c = char::from(bytes[j]);
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            j += 1;
        } else if c == '.' && j > domain && bytes.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            dots += 1;
            j += 1;
        } else {
            break;
        }
    }
    let last = bytes.get(j.checked_sub(1)?).copied();
    if dots == 0 || j == domain || matches!(last, Some(b'-' | b'_' | b'.')) {
        return None;
    }
    // `a@b.c-d` followed by a letter (a non-ASCII one) is part of a longer word.
    if text[j..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    Some((at, j, format!("mailto:{}", &text[at..j])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str, url: &str) -> Inline {
        Inline::Link {
            url: url.into(),
            content: vec![Inline::Text(text.into())],
        }
    }

    fn text(t: &str) -> Inline {
        Inline::Text(t.into())
    }

    #[test]
    fn an_ellipsis_inside_an_address_is_three_dots_again() {
        // What smart punctuation made of `…/compare/1.0...2.0 and more`.
        let got = linkify(vec![text(
            "See https://github.com/o/r/compare/1.0\u{2026}2.0 here.",
        )]);
        let url = "https://github.com/o/r/compare/1.0...2.0";
        assert_eq!(got, vec![text("See "), link(url, url), text(" here.")]);
        // One that ends the sentence stays outside, as three typed dots would.
        let got = linkify(vec![text("See https://example.org/a\u{2026}")]);
        let url = "https://example.org/a";
        assert_eq!(got, vec![text("See "), link(url, url), text("\u{2026}")]);
    }

    fn run_on(t: &str) -> Vec<Inline> {
        linkify(vec![text(t)])
    }

    #[test]
    fn web_addresses_become_links_without_trailing_punctuation() {
        assert_eq!(
            run_on("see https://example.org/x."),
            vec![
                text("see "),
                link("https://example.org/x", "https://example.org/x"),
                text(".")
            ]
        );
        assert_eq!(
            run_on("(at http://a.example/b_(c)), then"),
            vec![
                text("(at "),
                link("http://a.example/b_(c)", "http://a.example/b_(c)"),
                text("), then")
            ]
        );
        assert_eq!(
            run_on("“https://example.org/?q=1&r=2”"),
            vec![
                text("“"),
                link(
                    "https://example.org/?q=1&r=2",
                    "https://example.org/?q=1&r=2"
                ),
                text("”")
            ]
        );
    }

    #[test]
    fn www_and_mail_addresses_get_a_scheme() {
        assert_eq!(
            run_on("www.example.org/report; write to press@example.org."),
            vec![
                link("www.example.org/report", "http://www.example.org/report"),
                text("; write to "),
                link("press@example.org", "mailto:press@example.org"),
                text(".")
            ]
        );
    }

    #[test]
    fn text_that_only_looks_like_an_address_stays_text() {
        for t in [
            "xhttps://example.org",
            "https:// example.org",
            "https://",
            "a.www.example.org",
            "www.",
            "user@localhost",
            "@example.org",
            "a@b.c-",
            "ftp://example.org",
            "no address here",
        ] {
            assert_eq!(run_on(t), vec![text(t)], "{t}");
        }
    }

    #[test]
    fn several_addresses_and_other_inlines_keep_their_order() {
        let got = linkify(vec![
            text("a https://x.example b "),
            Inline::NoteRef(0),
            text(" c@d.example"),
        ]);
        assert_eq!(
            got,
            vec![
                text("a "),
                link("https://x.example", "https://x.example"),
                text(" b "),
                Inline::NoteRef(0),
                text(" "),
                link("c@d.example", "mailto:c@d.example"),
            ]
        );
    }
}
