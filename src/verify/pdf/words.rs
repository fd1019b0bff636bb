//! Words from the text a page shows: white space and new text lines break words, and
//! a word ending in a soft hyphen continues on the next line, which may be on the next
//! page. The renderer ends every line it breaks inside a word so (an inserted hyphen,
//! or an invisible mark after a dash or a slash); a real hyphen at a line end is no
//! sign by itself, since "pre- and post-war" may break after "pre-".
//!
//! Each page is assembled on its own ([`Words`]) and the pages are then joined in order
//! ([`join`]). The join gives the same words as one pass over all pages would: a
//! page's first word is kept raw (not yet normalised) while it may still continue the
//! previous page's last word, and that last word is kept raw too.

use crate::verify::compare::{Found, Place};

/// The words of one page, ready to be joined to its neighbours.
#[derive(Debug, Default)]
pub(super) struct PageWords {
    /// The first word, raw, when nothing broke words before it on this page: it
    /// continues the previous page's unfinished word, if there is one.
    head: Option<(String, Place)>,
    /// The finished words after `head`.
    words: Vec<Found>,
    /// The unfinished word at the page's end (it ends in a hyphen), raw.
    tail: Option<(String, Place)>,
    /// Nothing broke words anywhere on the page: `tail` continues the previous
    /// page's unfinished word.
    unbroken: bool,
}

/// Assembles the words of one page.
#[derive(Debug)]
pub(super) struct Words {
    page: u32,
    /// Text lines with text finished on this page.
    line: u32,
    line_has_text: bool,
    word: String,
    place: Place,
    /// No word break yet on this page.
    unbroken: bool,
    out: PageWords,
}

impl Words {
    pub(super) fn new(page: u32) -> Words {
        Words {
            page,
            line: 0,
            line_has_text: false,
            word: String::new(),
            place: Place::default(),
            unbroken: true,
            out: PageWords::default(),
        }
    }

    /// The page number.
    pub(super) fn page(&self) -> u32 {
        self.page
    }

    /// The text line being read (1-based), for placing findings.
    pub(super) fn line(&self) -> u32 {
        self.line + 1
    }

    /// Text shown (or the `/ActualText` standing for it).
    pub(super) fn text(&mut self, text: &str) {
        for ch in text.chars() {
            if ch.is_whitespace() {
                self.flush();
                self.unbroken = false;
                continue;
            }
            if self.word.is_empty() {
                self.place = Place {
                    page: Some(self.page),
                    line: Some(self.line + 1),
                    ..Place::default()
                };
            }
            self.line_has_text = true;
            self.word.push(ch);
        }
    }

    /// A new text line.
    pub(super) fn line_break(&mut self) {
        if self.line_has_text {
            self.line += 1;
            self.line_has_text = false;
        }
        if !self.word.is_empty() && !continues(&self.word) {
            self.flush();
            self.unbroken = false;
        }
    }

    fn flush(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let word = std::mem::take(&mut self.word);
        let place = std::mem::take(&mut self.place);
        if self.unbroken {
            self.out.head = Some((word, place));
        } else {
            push_words(word, &place, &mut self.out.words);
        }
    }

    /// The page's words; its end is a line end (a hyphenated word may continue overleaf).
    pub(super) fn finish(mut self) -> PageWords {
        self.line_break();
        if !self.word.is_empty() {
            self.out.tail = Some((std::mem::take(&mut self.word), self.place));
        }
        self.out.unbroken = self.unbroken;
        self.out
    }
}

/// Whether a word at a line end continues on the next line: it ends in a soft hyphen.
fn continues(word: &str) -> bool {
    word.ends_with('\u{AD}')
}

/// Normalise a raw word and add its pieces to `out` (normalisation may split a word at
/// a no-break space, or empty it).
fn push_words(raw: String, place: &Place, out: &mut Vec<Found>) {
    crate::verify::push_words(raw, place, false, out);
}

/// The words of all pages, in order.
pub(super) fn join(pages: Vec<PageWords>) -> Vec<Found> {
    // Sized once: the pages' words are moved, not copied again as the vector grows.
    let mut out = Vec::with_capacity(pages.iter().map(|p| p.words.len() + 2).sum());
    // The previous page's unfinished word.
    let mut carry: Option<(String, Place)> = None;
    for p in pages {
        match (carry.take(), p.head) {
            (Some((mut word, place)), Some((head, _))) => {
                word.push_str(&head);
                push_words(word, &place, &mut out);
            }
            (Some((mut word, place)), None) if p.unbroken => {
                // The whole page continued the word (or showed nothing).
                if let Some((tail, _)) = p.tail {
                    word.push_str(&tail);
                }
                carry = Some((word, place));
                continue;
            }
            (Some((word, place)), None) => push_words(word, &place, &mut out),
            (None, Some((head, place))) => push_words(head, &place, &mut out),
            (None, None) => {}
        }
        out.extend(p.words);
        carry = p.tail;
    }
    if let Some((word, place)) = carry {
        push_words(word, &place, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages of events: text, or `|` for a line break.
    fn read(pages: &[&[&str]]) -> Vec<String> {
        let pages = pages
            .iter()
            .enumerate()
            .map(|(i, events)| {
                let mut w = Words::new(i as u32 + 1);
                for e in *events {
                    match *e {
                        "|" => w.line_break(),
                        t => w.text(t),
                    }
                }
                w.finish()
            })
            .collect();
        join(pages)
            .into_iter()
            .map(|f| format!("{} {}", f.text, f.place))
            .collect()
    }

    #[test]
    fn words_continue_across_lines_and_pages() {
        assert_eq!(
            read(&[
                &["a China-\u{AD}", "|", "Tajik", "|", "border con\u{AD}"],
                &["|", "tinues here"]
            ]),
            [
                "a page 1, line 1",
                "China-Tajik page 1, line 1",
                "border page 1, line 3",
                "continues page 1, line 3",
                "here page 2, line 1"
            ]
        );
        // A whole page inside one word, and a page that starts with a space.
        assert_eq!(
            read(&[&["long\u{AD}"], &["er\u{AD}"], &["word"], &["x-"], &[" y"]]),
            [
                "longerword page 1, line 1",
                "x- page 4, line 1",
                "y page 5, line 1"
            ]
        );
        // A hyphen or a dash at a line end without the mark ends the word there: the
        // line broke at a space ("pre- and post-war"); with the mark it does not.
        assert_eq!(
            read(&[&["(-", "|", "2 pre-", "|", "and"], &[]]),
            [
                "(- page 1, line 1",
                "2 page 1, line 2",
                "pre- page 1, line 2",
                "and page 1, line 3"
            ]
        );
        assert_eq!(
            read(&[
                &["2013\u{2013}", "\u{AD}", "|", "2018 x/", "\u{AD}"],
                &["|", "y"]
            ]),
            ["2013\u{2013}2018 page 1, line 1", "x/y page 1, line 2"]
        );
    }
}
