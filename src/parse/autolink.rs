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

/// Inlines as the parser reads them, adjacent text joined into one run, with a note of
/// every character smart punctuation put in place of what was typed (`'` and `"` as
/// curly quotes, `--` and `---` as dashes, `...` as an ellipsis). Prose wants the
/// typographic characters; an address wants what was typed: `People's_Republic` with
/// a curly apostrophe, or `a--b` with an en dash, is another address.
#[derive(Debug, Default)]
pub struct Typed {
    inlines: Vec<Inline>,
    marks: Vec<Mark>,
}

/// One character smart punctuation put in text run `run` at byte `at`, `shown` bytes
/// long, in place of `typed`.
#[derive(Debug, Clone, Copy)]
struct Mark {
    run: usize,
    at: usize,
    shown: usize,
    typed: &'static str,
}

impl Typed {
    /// Append `inline`; `typed` is what was written when it is smart punctuation's
    /// text (see [`smart_typed`]).
    pub fn push(&mut self, inline: Inline, typed: Option<&'static str>) {
        let last = self.inlines.len().saturating_sub(1);
        match (self.inlines.last_mut(), inline) {
            (Some(Inline::Text(a)), Inline::Text(b)) => {
                if let Some(typed) = typed {
                    self.marks.push(Mark {
                        run: last,
                        at: a.len(),
                        shown: b.len(),
                        typed,
                    });
                }
                a.push_str(&b);
            }
            (_, inline) => {
                if let (Some(typed), Inline::Text(b)) = (typed, &inline) {
                    self.marks.push(Mark {
                        run: self.inlines.len(),
                        at: 0,
                        shown: b.len(),
                        typed,
                    });
                }
                self.inlines.push(inline);
            }
        }
    }

    /// Append everything of `other`.
    pub fn append(&mut self, other: Typed) {
        let mut marks = other.marks.as_slice();
        for (k, inline) in other.inlines.into_iter().enumerate() {
            // A text run that joins this one's last moves its marks along.
            let (run, offset) = match (self.inlines.last(), &inline) {
                (Some(Inline::Text(a)), Inline::Text(_)) => (self.inlines.len() - 1, a.len()),
                _ => (self.inlines.len(), 0),
            };
            let n = marks.iter().take_while(|m| m.run == k).count();
            let (moved, rest) = marks.split_at(n);
            marks = rest;
            self.marks.extend(moved.iter().map(|m| Mark {
                run,
                at: m.at + offset,
                ..*m
            }));
            self.push(inline, None);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.inlines.is_empty()
    }

    /// The inlines as they are, addresses left as text (inside a link).
    pub fn into_inlines(self) -> Vec<Inline> {
        self.inlines
    }

    /// The inlines with every bare address in their top-level text runs made a link,
    /// whose text and target are the address as it was typed. Emphasis and strong
    /// emphasis are searched by the caller when they are parsed, and links are never
    /// searched.
    pub fn linkify(self) -> Vec<Inline> {
        if !self
            .inlines
            .iter()
            .any(|i| matches!(i, Inline::Text(t) if may_hold(t)))
        {
            return self.inlines;
        }
        let mut out = Vec::with_capacity(self.inlines.len());
        // Marks are in the order of their runs: each run takes the next few.
        let mut marks = self.marks.as_slice();
        for (k, i) in self.inlines.into_iter().enumerate() {
            let n = marks.iter().take_while(|m| m.run == k).count();
            let (mine, rest) = marks.split_at(n);
            marks = rest;
            match i {
                Inline::Text(t) => split(&t, mine, &mut out),
                other => out.push(other),
            }
        }
        out
    }
}

/// What was typed where pulldown-cmark's smart punctuation shows `shown` for the
/// source text `source`, or `None` when `shown` is not its work.
pub fn smart_typed(shown: &str, source: &str) -> Option<&'static str> {
    match (shown, source) {
        ("\u{2019}" | "\u{2018}", "'") => Some("'"),
        ("\u{201C}" | "\u{201D}", "\"") => Some("\""),
        ("\u{2013}", "--") => Some("--"),
        ("\u{2014}", "---") => Some("---"),
        ("\u{2026}", "...") => Some("..."),
        _ => None,
    }
}

/// Replace every bare address in the top-level text runs of `inlines` with a link,
/// as [`Typed::linkify`] with no smart punctuation to undo.
pub fn linkify(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut t = Typed::default();
    for i in inlines {
        t.push(i, None);
    }
    t.linkify()
}

/// A cheap test that rules out most text: every address holds `://`, `www.` or `@`.
fn may_hold(text: &str) -> bool {
    text.contains("://") || text.contains("www.") || text.contains('@')
}

/// Split `text` into text runs and links, appending them to `out`. `marks` are the
/// smart punctuation in `text`.
fn split(text: &str, marks: &[Mark], out: &mut Vec<Inline>) {
    let mut rest = 0;
    let mut at = 0;
    while at < text.len() {
        if let Some((start, end, url)) = find_at(text, at) {
            if start > rest {
                out.push(Inline::Text(text[rest..start].to_owned()));
            }
            // The address as typed: smart punctuation inside it undone, in its text
            // and its target (`People's`, `a--b`, GitHub's `compare/1.0...2.0`).
            // Punctuation it ends with was left outside by `find_at` and stays smart.
            let shown = as_typed(text, start..end, marks);
            let url = format!("{}{shown}", &url[..url.len() - (end - start)]);
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

/// `text[span]` with the smart punctuation of `marks` in it put back as typed.
fn as_typed(text: &str, span: std::ops::Range<usize>, marks: &[Mark]) -> String {
    let mut out = String::with_capacity(span.len());
    let mut from = span.start;
    // Marks are in the order of the text: those of this span follow the first one in it.
    let first = marks.partition_point(|m| m.at < span.start);
    for m in marks[first..]
        .iter()
        .take_while(|m| m.at + m.shown <= span.end)
    {
        out.push_str(&text[from..m.at]);
        out.push_str(m.typed);
        from = m.at + m.shown;
    }
    out.push_str(&text[from..span.end]);
    out
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

    /// Inlines as smart punctuation hands them over: `(shown, typed)` pieces.
    fn smart(pieces: &[(&str, Option<&'static str>)]) -> Vec<Inline> {
        let mut t = Typed::default();
        for (shown, typed) in pieces {
            t.push(text(shown), *typed);
        }
        t.linkify()
    }

    #[test]
    fn an_address_is_linked_as_it_was_typed() {
        // `…/compare/1.0...2.0 here.`: the ellipsis inside is three dots again.
        let got = smart(&[
            ("See https://github.com/o/r/compare/1.0", None),
            ("\u{2026}", Some("...")),
            ("2.0 here.", None),
        ]);
        let url = "https://github.com/o/r/compare/1.0...2.0";
        assert_eq!(got, vec![text("See "), link(url, url), text(" here.")]);
        // One that ends the sentence stays outside, and stays an ellipsis.
        let got = smart(&[
            ("See https://example.org/a", None),
            ("\u{2026}", Some("...")),
        ]);
        let url = "https://example.org/a";
        assert_eq!(got, vec![text("See "), link(url, url), text("\u{2026}")]);
        // Apostrophes and dashes inside: a Wikipedia title, a slug.
        let got = smart(&[
            ("\u{201C}", Some("\"")),
            ("https://en.wikipedia.org/wiki/People", None),
            ("\u{2019}", Some("'")),
            ("s_Republic and https://example.org/a", None),
            ("\u{2013}", Some("--")),
            ("b/c", None),
            ("\u{2014}", Some("---")),
            ("d", None),
            ("\u{201D}", Some("\"")),
            (".", None),
        ]);
        let (a, b) = (
            "https://en.wikipedia.org/wiki/People's_Republic",
            "https://example.org/a--b/c---d",
        );
        assert_eq!(
            got,
            vec![
                text("\u{201C}"),
                link(a, a),
                text(" and "),
                link(b, b),
                text("\u{201D}."),
            ]
        );
        // A character typed as such (an en dash in a Wikipedia title) stays.
        let url = "https://en.wikipedia.org/wiki/2013\u{2013}2018";
        let target = "https://en.wikipedia.org/wiki/2013%E2%80%932018";
        assert_eq!(run_on(url), vec![link(url, target)]);
    }

    #[test]
    fn appended_runs_keep_their_marks() {
        let mut a = Typed::default();
        a.push(text("See https://example.org/x"), None);
        let mut b = Typed::default();
        b.push(text("y"), None);
        b.push(text("\u{2013}"), Some("--"));
        b.push(text("z and O"), None);
        b.push(text("\u{2019}"), Some("'"));
        b.push(text("Neill."), None);
        a.append(b);
        let url = "https://example.org/xy--z";
        assert_eq!(
            a.linkify(),
            vec![text("See "), link(url, url), text(" and O\u{2019}Neill.")]
        );
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
