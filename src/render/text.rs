//! The plain-text archive edition: UTF-8, LF, wrapped by display width.
//!
//! Layout rules (the verifier reads the file back by these rules):
//! - the masthead lines, a blank line, the region (upper case) at the left and the date
//!   at the right, the title underlined with `=`, the subtitle, the authors;
//! - a full-width rule of `-` before the body and before the bios;
//! - headings on their own line, underlined with `=` (`##`), `-` (`###`) or nothing;
//! - paragraphs wrapped and separated by a blank line; `-` bullets and `N.` numbers with
//!   hanging indents; quotes prefixed with `> `; tables as aligned columns with a `-`
//!   rule under the header, or, when a cell would have to wrap, each row (header first)
//!   as a `- ` item with each cell a paragraph; figures as `[Figure N. caption]`; a thematic break as a
//!   centred `* * *`;
//! - footnote references as `[N]` after the word; the notes as `[N] text` under the
//!   notes heading; links as `text <url>` (text glued after the link stays glued to the
//!   target: `text <url>s`; link text ending in a space gives `text <url> `).

use unicode_width::UnicodeWidthStr;

use super::ties::Ties;
use crate::content::{bio_display, caption_display, region_display};
use crate::house::Style;
use crate::model::{uri_safe, Align, Block, Document, Inline, Table};

/// Render the plain-text edition.
pub fn text(doc: &Document, style: &Style) -> Vec<u8> {
    let width = style.text.width;
    let ties = &Ties::new(&style.typeset.tie_before_numbers, &doc.meta.lang);
    let labels = style.labels.words(&doc.meta.lang);
    let mut w = Writer {
        out: String::new(),
        width,
        ties,
        figure: &labels.figure,
    };
    for line in &style.organisation.lines {
        w.line(line);
    }
    w.blank();
    let region = region_display(&doc.meta.region, &doc.meta.lang);
    let date = doc.meta.date.display(&doc.meta.lang);
    let gap = width.saturating_sub(region.width() + date.width());
    if gap >= 2 {
        w.line(&format!("{region}{}{date}", " ".repeat(gap)));
    } else {
        w.line(&region);
        w.line(&date);
    }
    w.blank();
    let title_lines = wrap(&doc.meta.title, width, "", "", ties);
    let longest = title_lines.iter().map(|l| l.width()).max().unwrap_or(0);
    for l in &title_lines {
        w.line(l);
    }
    w.line(&"=".repeat(longest.max(1)));
    if let Some(sub) = &doc.meta.subtitle {
        w.blank();
        w.para(sub, "", "");
    }
    w.blank();
    for a in &doc.meta.authors {
        w.para(&a.name, "", "");
    }
    w.blank();
    w.line(&"-".repeat(width));
    w.blank();
    w.blocks(&doc.blocks, "", "");
    if !doc.notes.is_empty() {
        w.line(&labels.notes);
        w.line(&"=".repeat(labels.notes.width().max(1)));
        w.blank();
        for (i, n) in doc.notes.iter().enumerate() {
            let marker = format!("[{}] ", i + 1);
            let rest = " ".repeat(marker.width());
            w.item(&n.blocks, "", &marker, &rest, false);
        }
    }
    let bios: Vec<String> = doc
        .meta
        .authors
        .iter()
        .filter_map(|a| a.bio.as_ref().map(|b| bio_display(&a.name, b)))
        .collect();
    if !bios.is_empty() {
        w.line(&"-".repeat(width));
        w.blank();
        for b in bios {
            w.para(&b, "", "");
            w.blank();
        }
    }
    // Exactly one final newline.
    let mut out = w.out.trim_end().to_owned();
    out.push('\n');
    out.into_bytes()
}

struct Writer<'a> {
    out: String,
    width: usize,
    /// What holds a space ([`super::ties`]).
    ties: &'a Ties<'a>,
    /// The label of figures' captions, in the brief's language.
    figure: &'a str,
}

impl Writer<'_> {
    fn line(&mut self, s: &str) {
        self.out.push_str(s.trim_end());
        self.out.push('\n');
    }

    fn blank(&mut self) {
        if !self.out.ends_with("\n\n") && !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// A wrapped paragraph: `first` prefixes the first line, `rest` the others.
    fn para(&mut self, text: &str, first: &str, rest: &str) {
        for l in wrap(text, self.width, first, rest, self.ties) {
            self.line(&l);
        }
    }

    fn blocks(&mut self, blocks: &[Block], first: &str, rest: &str) {
        let mut prefix = first.to_owned();
        for b in blocks {
            self.block(b, &prefix, rest);
            // Only the first line of the first block carries a list marker.
            prefix = rest.to_owned();
        }
    }

    fn block(&mut self, b: &Block, first: &str, rest: &str) {
        match b {
            Block::Heading { level, content, .. } => {
                let text = inline_text(content, false);
                let lines = wrap(&text, self.width, first, rest, self.ties);
                let longest = lines.iter().map(|l| l.width()).max().unwrap_or(0);
                for l in &lines {
                    self.line(l);
                }
                match level {
                    2 => self.line(&format!(
                        "{rest}{}",
                        "=".repeat(longest.saturating_sub(rest.width()))
                    )),
                    3 => self.line(&format!(
                        "{rest}{}",
                        "-".repeat(longest.saturating_sub(rest.width()))
                    )),
                    _ => {}
                }
                self.blank_in(rest);
            }
            Block::Paragraph(inl) => {
                let text = inline_text(inl, true);
                for (i, chunk) in text.split('\n').enumerate() {
                    let p = if i == 0 { first } else { rest };
                    self.para(chunk, p, rest);
                }
                self.blank_in(rest);
            }
            Block::List {
                start,
                tight,
                items,
            } => {
                let last = start.map_or(0, |n| n + items.len() as u64);
                let marker_width = format!("{last}. ").width();
                for (i, item) in items.iter().enumerate() {
                    let marker = match start {
                        // Numbers are right-aligned so the text column stays straight.
                        Some(n) => format!("{:>w$}. ", n + i as u64, w = marker_width - 2),
                        None => "- ".to_owned(),
                    };
                    let lead = if i == 0 { first } else { rest };
                    let hang = format!("{rest}{}", " ".repeat(marker.width()));
                    self.item(item, lead, &marker, &hang, *tight);
                }
                if *tight {
                    self.blank_in(rest);
                }
            }
            Block::Quote(blocks) => {
                let q_first = format!("{first}> ");
                let q_rest = format!("{rest}> ");
                self.blocks(blocks, &q_first, &q_rest);
                // The blank separating quoted paragraphs keeps the `>` prefix; end it here.
                // Only a line that is the bare prefix goes: a quoted line may itself end
                // in `>` (a link target, `<https://…>`).
                let bare_line = format!("\n{}\n", q_rest.trim_end());
                while self.out.ends_with(&bare_line) {
                    let cut = self.out.len() - bare_line.len() + 1;
                    self.out.truncate(cut);
                }
                self.blank_in(rest);
            }
            Block::Table(t) => {
                for l in table(t, self.width.saturating_sub(rest.width()), self.ties) {
                    self.line(&format!("{rest}{l}"));
                }
                self.blank_in(rest);
            }
            Block::Figure(f) => {
                let text = format!("[{}]", caption_display(self.figure, f.number, &f.caption));
                self.para(&text, first, rest);
                self.blank_in(rest);
            }
            Block::Rule => {
                let mark = "* * *";
                let pad = (self.width.saturating_sub(mark.len())) / 2;
                self.line(&format!("{}{mark}", " ".repeat(pad)));
                self.blank_in(rest);
            }
        }
    }

    /// A list item or note: `marker` after `lead` on the first line, `hang` after.
    /// In a tight list no blank line separates the items.
    fn item(&mut self, blocks: &[Block], lead: &str, marker: &str, hang: &str, tight: bool) {
        let first = format!("{lead}{marker}");
        if blocks.is_empty() {
            self.line(&first);
        }
        let start = self.out.len();
        self.blocks(blocks, &first, hang);
        if tight {
            // A tight item keeps its lines together: drop the blank lines its
            // paragraphs and nested lists ended with.
            let mut item = self.out.split_off(start);
            while item.contains("\n\n") {
                item = item.replace("\n\n", "\n");
            }
            self.out.push_str(&item);
        } else {
            self.blank_in(hang);
        }
    }

    /// A blank line; inside a quote the blank keeps the quote's `>`.
    fn blank_in(&mut self, prefix: &str) {
        let bare = prefix.trim_end();
        if bare.ends_with('>') {
            let l = format!("{bare}\n");
            if !self.out.ends_with(&format!("\n{l}")) {
                self.out.push_str(&l);
            }
        } else {
            self.blank();
        }
    }
}

/// Inline content as plain text; `furniture` adds note numbers and link targets.
fn inline_text(inlines: &[Inline], furniture: bool) -> String {
    let mut s = String::new();
    push_inline(inlines, furniture, &mut s);
    s
}

fn push_inline(inlines: &[Inline], furniture: bool, s: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) => push_inline(c, furniture, s),
            Inline::Link { url, content } => {
                let start = s.len();
                push_inline(content, furniture, s);
                let text = &s[start..];
                if !furniture || crate::model::plain_text(content) == *url {
                    continue;
                }
                // The target goes after the link text, split from it by a space; what
                // follows the link without a space stays glued to the target, and
                // the reader joins it back to the link text. Link text that ends in
                // white space (or has no words) takes the target at a word start.
                // Already a valid URI in the model; made so again here, as the text edition's
                // `<target>` must be one word that ends at its `>`.
                let target = uri_safe(url);
                if text.trim().is_empty() {
                    continue; // No words to point from: the target is left out.
                } else if text.ends_with(char::is_whitespace) {
                    s.push_str(&format!("<{target}> "));
                } else {
                    s.push_str(&format!(" <{target}>"));
                }
            }
            Inline::NoteRef(n) => {
                if furniture {
                    s.push_str(&format!("[{}]", n + 1));
                }
            }
            Inline::LineBreak => s.push('\n'),
        }
    }
}

/// Whether a line may break at the white space `c`. No-break spaces (U+00A0, the
/// figure space U+2007 and the narrow U+202F: "10\u{202F}000", "§\u{A0}4") hold
/// their neighbours together, in this edition as in the others.
fn breakable(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// The words of `text` between breakable white space, each with the space that
/// follows it as this edition writes it: a run of ASCII white space (line ends and
/// tabs included) as one space, as a reading system shows it; other spaces (thin,
/// hair, em…) as written, so the archive keeps the author's spacing.
fn words(text: &str) -> impl Iterator<Item = (&str, String)> {
    let mut rest = text.trim_start_matches(breakable);
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(breakable).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let gap_len = after.find(|c| !breakable(c)).unwrap_or(after.len());
        let gap: String = after[..gap_len].chars().filter(|c| !c.is_ascii()).collect();
        rest = &after[gap_len..];
        Some((word, if gap.is_empty() { " ".to_owned() } else { gap }))
    })
}

/// The pieces a line may break between: [`words`], those a space holds together
/// ([`super::ties`]: `2.5 %`, `§ 4`) joined by it.
fn units(text: &str, ties: &Ties<'_>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (word, after) in words(text) {
        match out.last_mut() {
            Some((unit, gap)) if ties.tied(unit, word) => {
                unit.push_str(gap);
                unit.push_str(word);
                *gap = after;
            }
            _ => out.push((word.to_owned(), after)),
        }
    }
    out
}

/// Greedy wrap by display width, at breakable white space only. A word (or words a
/// tie holds) longer than the line stays whole.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str, ties: &Ties<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = first.to_owned();
    // The space after the line's last word, written if another word joins it.
    let mut gap: Option<String> = None;
    for (word, after) in units(text, ties) {
        if let Some(g) = gap.take() {
            if cur.width() + g.width() + word.width() > width {
                lines.push(std::mem::replace(&mut cur, rest.to_owned()));
            } else {
                cur.push_str(&g);
            }
        }
        cur.push_str(&word);
        gap = Some(after);
    }
    if gap.is_some() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A table as aligned text columns, cells wrapped when the table is too wide.
fn table(t: &Table, width: usize, ties: &Ties<'_>) -> Vec<String> {
    let n = t.align.len().max(1);
    let cells = |row: &[Vec<Inline>]| -> Vec<String> {
        (0..n)
            .map(|i| row.get(i).map_or(String::new(), |c| inline_text(c, true)))
            .collect()
    };
    let head = cells(&t.head);
    let rows: Vec<Vec<String>> = t.rows.iter().map(|r| cells(r)).collect();
    let gap = 2;
    let natural: Vec<usize> = (0..n)
        .map(|i| {
            std::iter::once(&head)
                .chain(&rows)
                .map(|r| r[i].width())
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let longest_word: Vec<usize> = (0..n)
        .map(|i| {
            std::iter::once(&head)
                .chain(&rows)
                .flat_map(|r| units(&r[i], ties).into_iter().map(|(w, _)| w.width()))
                .max()
                .unwrap_or(1)
        })
        .collect();
    let mut widths = natural.clone();
    let avail = width.saturating_sub(gap * (n - 1));
    // Shrink the widest column (never below its longest word) until the table fits.
    while widths.iter().sum::<usize>() > avail {
        let Some((i, _)) = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| **w > longest_word[*i])
            .max_by_key(|(_, w)| **w)
        else {
            break;
        };
        widths[i] -= 1;
    }
    if natural.iter().zip(&widths).any(|(n, w)| n > w) {
        return stacked(&head, &rows, width, ties);
    }
    let mut out = Vec::new();
    let render_row = |row: &[String], out: &mut Vec<String>| {
        let wrapped: Vec<Vec<String>> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| wrap(c, *w, "", "", ties))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let mut s = String::new();
            for (i, col) in wrapped.iter().enumerate() {
                let cell = col.get(line).map_or("", String::as_str);
                let pad = widths[i].saturating_sub(cell.width());
                let (l, r) = match t.align[i] {
                    Align::Right => (pad, 0),
                    Align::Center => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                if i > 0 {
                    s.push_str(&" ".repeat(gap));
                }
                s.push_str(&" ".repeat(l));
                s.push_str(cell);
                s.push_str(&" ".repeat(r));
            }
            out.push(s.trim_end().to_owned());
        }
    };
    render_row(&head, &mut out);
    out.push(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join(&" ".repeat(gap)),
    );
    for r in &rows {
        render_row(r, &mut out);
    }
    out
}

/// A table too wide for aligned columns without wrapping a cell: wrapped cells side
/// by side would be read line by line across the columns, out of order. Instead each
/// row (the header first) is a `-` item and each of its cells a paragraph of its own.
fn stacked(head: &[String], rows: &[Vec<String>], width: usize, ties: &Ties<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate() {
            let first = if i == 0 { "- " } else { "  " };
            out.extend(wrap(cell, width, first, "  ", ties));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No house words, in English: only a number and its sign hold a space.
    fn none() -> Ties<'static> {
        Ties::new(&[], "en")
    }

    /// The text edition of a brief whose body is `body`, with the built-in house.
    fn text_of(body: &str) -> String {
        let source = format!(
            "---\ntitle: T\nregion: R\ndate: 2016-11\nauthors:\n  - name: N\n---\n\n{body}"
        );
        let house = crate::house::builtin().expect("house");
        let coverage = crate::fonts::Coverage::of_house(&house);
        let path = std::path::Path::new("t.md");
        let doc = crate::parse::parse_bytes(path, "t", path, source.as_bytes(), &coverage)
            .expect("parse");
        String::from_utf8(text(&doc, &house.style)).expect("utf-8")
    }

    #[test]
    fn a_quote_that_ends_with_a_link_target_keeps_its_closing_bracket() {
        // Found on a crate's README: the quote's trailing `>` lines were trimmed by
        // their last character, which took the target's `>` and the line end with it.
        let t = text_of("> For details read the docs on [docs.rs](https://docs.rs/x/)\n\nNext.\n");
        assert!(
            t.contains("> For details read the docs on docs.rs\n> <https://docs.rs/x/>\n\nNext.")
                || t.contains(
                    "> For details read the docs on docs.rs <https://docs.rs/x/>\n\nNext."
                ),
            "{t}"
        );
    }

    #[test]
    fn wrap_keeps_long_words_whole() {
        let l = wrap("a verylongword b", 5, "", "", &none());
        assert_eq!(l, vec!["a", "verylongword", "b"]);
    }

    #[test]
    fn wrap_keeps_no_break_and_thin_spaces() {
        // A no-break space holds its words on one line; a thin space is kept as
        // written, ASCII white space becomes one space.
        let l = wrap(
            "troops: 10\u{202F}000 and §\u{A0}4, a\u{2009}b\tc  d",
            11,
            "",
            "",
            &none(),
        );
        assert_eq!(
            l,
            vec![
                "troops:",
                "10\u{202F}000 and",
                "§\u{A0}4, a\u{2009}b c",
                "d"
            ]
        );
    }

    #[test]
    fn the_edition_keeps_the_sources_no_break_spaces() {
        // They were written as plain spaces, and a line could break at them.
        let body = "A long line of words to fill the width before the figure of \
                    troops: 10\u{202F}000 in §\u{A0}4.\n";
        let t = text_of(body);
        assert!(
            t.contains("10\u{202F}000") && t.contains("§\u{A0}4."),
            "{t:?}"
        );
    }

    #[test]
    fn wrap_keeps_numbers_with_their_signs() {
        let l = wrap("up by 2.5 % and see § 4 now", 9, "", "", &none());
        assert_eq!(l, vec!["up by", "2.5 % and", "see § 4", "now"]);
        let l = wrap(
            "under Article 5 of it",
            12,
            "",
            "",
            &Ties::new(&["Article".into()], "en"),
        );
        assert_eq!(l, vec!["under", "Article 5 of", "it"]);
        // A Roman numeral or a capital letter numbers a house word too.
        let words = ["Chapter".into(), "Annex".into()];
        let l = wrap(
            "in Chapter IV and Annex B.",
            10,
            "",
            "",
            &Ties::new(&words, "en"),
        );
        assert_eq!(l, vec!["in", "Chapter IV", "and", "Annex B."]);
    }

    #[test]
    fn wrap_uses_display_width() {
        // Each CJK character is two columns wide.
        let l = wrap("漢字漢字 ab", 9, "", "", &none());
        assert_eq!(l, vec!["漢字漢字", "ab"]);
    }
}
