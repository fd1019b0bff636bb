//! The furniture check: text a PDF marks as an artifact (or `/Lbl`) is skipped by the
//! word reader, so it must be exactly the furniture the house layout puts on a page,
//! computed here from the source and the house style: the running head (the title,
//! in capitals unless the house says otherwise, shortened with "…" when it does not
//! fit, and "REGION · date"), the footer (the
//! organisation's name and the page number), list bullets and numbers, note
//! numbers, and a table's header row repeated where the table runs on into a new
//! column or page. Any other artifact text is extra words a reader sees, and a
//! finding.

use super::page::Furniture;
use super::profile::{quote, Finding};
use crate::content::{header_title_display, normalize, region_display};
use crate::house::House;
use crate::model::{Block, Document, Inline};

/// The furniture a brief's pages may carry.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    title: String,
    tail: String,
    organisation: String,
    /// The largest list or note number in the brief.
    numbers: u64,
    /// The text of every table header cell as the page shows it (note references as
    /// their numbers), normalised as `title` is.
    headers: Vec<String>,
}

/// The text of `inlines` with each note reference as the PDF sets it: its number, and
/// a comma between two that touch.
fn with_note_numbers(inlines: &[Inline], out: &mut String) {
    let mut after_ref = false;
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                with_note_numbers(c, out)
            }
            Inline::NoteRef(n) => {
                if after_ref {
                    out.push(',');
                }
                out.push_str(&(n + 1).to_string());
            }
            Inline::LineBreak => out.push(' '),
        }
        after_ref = matches!(i, Inline::NoteRef(_));
    }
}

/// One piece of text normalised as the word reader does, without its spaces: a
/// running head's spaces may be glyphs or only gaps between them.
fn norm(t: &str) -> String {
    normalize(t).split_whitespace().collect()
}

impl Expected {
    /// The furniture of `doc` set in `house`.
    pub fn of(doc: &Document, house: &House) -> Expected {
        let tail = format!(
            "{} \u{00B7} {}",
            region_display(&doc.meta.region, &doc.meta.lang),
            doc.meta.date.display(&doc.meta.lang)
        );
        let mut numbers = doc.notes.len() as u64;
        let mut headers = Vec::new();
        let mut stack: Vec<&Block> = doc.blocks.iter().collect();
        for n in &doc.notes {
            stack.extend(n.blocks.iter());
        }
        while let Some(b) = stack.pop() {
            match b {
                Block::List { start, items, .. } => {
                    let last = start.unwrap_or(1).saturating_add(items.len() as u64);
                    numbers = numbers.max(last);
                    stack.extend(items.iter().flatten());
                }
                Block::Quote(inner) => stack.extend(inner.iter()),
                Block::Table(t) => {
                    headers.extend(t.head.iter().map(|c| {
                        let mut shown = String::new();
                        with_note_numbers(c, &mut shown);
                        norm(&shown)
                    }));
                }
                _ => {}
            }
        }
        Expected {
            title: norm(&header_title_display(
                &doc.meta.title,
                &doc.meta.lang,
                &house.style,
            )),
            tail: norm(&tail),
            organisation: norm(&house.style.organisation.name),
            numbers,
            headers,
        }
    }

    /// Whether `text` is furniture on page `page` of `pages`.
    fn allows(&self, text: &str, page: u32, pages: u32) -> bool {
        // Note references in a row: "1,2" (the renderer sets a comma between two that
        // touch) or "1 2" (the source has a space between them).
        let refs: Vec<&str> = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .collect();
        if refs.len() > 1
            && refs.iter().all(|r| {
                r.bytes().all(|b| b.is_ascii_digit())
                    && r.parse::<u64>()
                        .is_ok_and(|n| (1..=self.numbers).contains(&n))
            })
        {
            return true;
        }
        let t = norm(text);
        if t == self.title || t == self.tail || t == self.organisation || t == "\u{2022}" {
            return true;
        }
        // The running head's title, cut short to fit.
        if let Some(kept) = t.strip_suffix('\u{2026}') {
            if !kept.is_empty() && self.title.starts_with(kept) {
                return true;
            }
        }
        // A line of a table's repeated header row: part of one header cell, hyphen
        // and all when the cell's word is broken there, and with the numbers of the
        // notes the cell refers to (artifacts too, so in the same piece).
        let line = t.trim_end_matches(['-', '\u{2010}', '\u{AD}']);
        if !line.is_empty() && self.headers.iter().any(|h| h.contains(line)) {
            return true;
        }
        // A page number (only this page's), a list number ("3."), a note number.
        let (digits, dot) = match t.strip_suffix('.') {
            Some(d) => (d, true),
            None => (t.as_str(), false),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let Ok(n) = digits.parse::<u64>() else {
            return false;
        };
        n <= self.numbers || (!dot && n == u64::from(page) && page <= pages)
    }

    /// Findings for the artifact text of a PDF with `pages` pages.
    pub fn check(&self, pieces: &[Furniture], pages: u32) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        for p in pieces {
            let page = p.place.page.unwrap_or(0);
            if self.allows(&p.text, page, pages) {
                continue;
            }
            // One finding per page: a page of extra artifacts is one construct.
            if out.iter().any(|f| f.place.page == p.place.page) {
                continue;
            }
            out.push(Finding {
                place: p.place.clone(),
                what: format!(
                    "text marked as an artifact that is not the house furniture \
                     (running head, footer, page number, list or note marker): {}",
                    quote(&p.text)
                ),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_house_furniture_passes() {
        let e = Expected {
            title: norm("China and Tajikistan"),
            tail: norm("CENTRAL ASIA \u{00B7} November 2016"),
            organisation: norm("NATO Foundation"),
            numbers: 4,
            headers: vec![
                norm("Country1"),
                norm("Shared warning thresholds"),
                norm("2015 2,3"),
            ],
        };
        for ok in [
            "China and Tajikistan",
            "China and \u{2026}",
            "China and Tajikistan",
            "ChinaandTajikistan",
            "CENTRAL ASIA \u{00B7} November 2016",
            "NATO Foundation",
            "\u{2022}",
            "3.",
            "4",
            "7",
            "1,2",
            "1 2",
            "2,3,4",
            "Country",
            "Shared warning",
            "thresh-",
            "olds",
            "Country1",
            "20152,3",
            "2015",
        ] {
            assert!(e.allows(ok, 7, 9), "{ok}");
        }
        for bad in [
            "We pay $1M",
            "7",
            "5.",
            "Tajikistan",
            "Chinese\u{2026}",
            "12",
            "1,5",
            "0,1",
            "1,a",
            "Countries",
            "warning Country",
            "Country town",
            "1Countries",
            "Country2",
            "20154",
        ] {
            assert!(!e.allows(bad, 8, 9), "{bad}");
        }
    }
}
