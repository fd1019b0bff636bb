//! The house profile: an EPUB or text edition must not only carry the source's words,
//! it must show them the way the house renderer does, or a reader may see other words
//! than the ones checked (hidden, reordered, drawn by another font, added by a
//! stylesheet).
//!
//! An evaluating reader would have to know every way a reading system can hide or add
//! text; the verifier has the source and the house style instead, so it renders the
//! EPUB and the text edition itself ([`pin_doc`]) and holds each file against them
//! ([`check`]). What may differ is only what no reader sees: the ZIP container (entry
//! order, compression, directory entries), the EPUB's `dcterms:modified` (it follows
//! `SOURCE_DATE_EPOCH`), and in the text edition line endings and where lines wrap.
//! Everything else that differs is reported by name and place ([`Finding`]):
//! `epub_profile` reads the archive, `epub_fonts` the fonts, `text_profile` the
//! text edition. The words themselves are still read independently of the renderer
//! (`epub`, `text`), so a renderer that loses words is caught as before.

use std::sync::Arc;

use super::compare::{Difference, Found, Place};
use crate::content::Word;
use crate::house::House;
use crate::render::{Format, Options};

/// Most constructs reported for one edition: past a few, the file is clearly not ours.
const MAX_FINDINGS: usize = 20;

/// A construct of an edition outside the house profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The entry of the archive (EPUB), if the finding is inside one.
    pub file: Option<String>,
    /// The line in that entry, or in the text edition.
    pub line: Option<u32>,
    /// What it is and why it matters, in words.
    pub what: String,
}

impl Finding {
    /// A finding in archive entry `file`.
    pub fn entry(file: &str, line: Option<u32>, what: String) -> Finding {
        Finding {
            file: Some(file.to_owned()),
            line,
            what,
        }
    }
}

/// The editions the house renderer writes for one brief, to hold the files against.
#[derive(Debug, Default)]
pub struct Pinned {
    /// The house EPUB's entries, uncompressed ([`crate::render::epub::entries`]).
    epub: Option<Result<crate::render::epub::Files, String>>,
    txt: Option<Result<Vec<u8>, String>>,
}

/// The house editions a brief's EPUB and text edition are held against, rendered from
/// the source already parsed (so the words and the pinned editions come from the same
/// bytes). `content_digest` is the digest of its content, as the checker worked it out.
pub fn pin_doc(
    doc: &crate::model::Document,
    house: &House,
    formats: impl IntoIterator<Item = Format>,
    content_digest: &str,
) -> Pinned {
    let formats: Vec<Format> = formats.into_iter().collect();
    let (epub, txt) = (
        formats.contains(&Format::Epub),
        formats.contains(&Format::Txt),
    );
    // The epoch only reaches `dcterms:modified` and the ZIP's timestamps, which the
    // comparison leaves aside; with the one a build takes by default, an edition
    // built so is the same bytes as the house's, and one comparison settles it.
    let options = Options {
        edition: Default::default(),
        epoch: crate::build::epoch_for(doc, None),
        pdf_standard: Default::default(),
    };
    Pinned {
        epub: epub.then(|| crate::render::epub::entries(doc, house, &options, content_digest)),
        txt: txt.then(|| Ok(crate::render::text::text(doc, &house.style))),
    }
}

/// Hold the edition `bytes` (of `format`) against the pinned house edition and add a
/// [`Difference`] with a `construct` for each finding. `differences` holds the word
/// differences already found: where a file differs only in words, those say it.
pub fn check(
    pinned: &Pinned,
    format: Format,
    bytes: &[u8],
    expected: &[Word],
    found: &[Found],
    differences: &mut Vec<Difference>,
) {
    let words_differ = !differences.is_empty();
    let findings = match (format, &pinned.epub, &pinned.txt) {
        (Format::Epub, Some(Ok(house)), _) => {
            super::epub_profile::check(bytes, house, found, words_differ)
        }
        (Format::Txt, _, Some(Ok(house))) => super::text_profile::check(bytes, house, words_differ),
        (Format::Epub, Some(Err(e)), _) | (Format::Txt, _, Some(Err(e))) => vec![Finding {
            file: None,
            line: None,
            what: format!(
                "the house edition cannot be written for this brief ({e}), so what a \
                 reader sees in this one cannot be checked"
            ),
        }],
        // Not pinned at all: the formats asked for and the editions read disagree.
        (Format::Epub, None, _) | (Format::Txt, _, None) => vec![Finding {
            file: None,
            line: None,
            what: "no house edition was written to hold this one against".into(),
        }],
        _ => Vec::new(),
    };
    differences.extend(
        findings
            .into_iter()
            .take(MAX_FINDINGS)
            .map(|f| difference(f, expected, found)),
    );
}

/// A finding as a difference of the report: placed, and after the content words the
/// edition shows before it.
fn difference(f: Finding, expected: &[Word], found: &[Found]) -> Difference {
    let location = Place {
        file: f.file.as_deref().map(Arc::from),
        line: f.line,
        ..Place::default()
    };
    let words: Vec<&Found> = found.iter().filter(|w| !w.optional).collect();
    let same_file = |w: &&Found| w.place.file.as_deref() == f.file.as_deref();
    let word_index = words
        .iter()
        .position(|w| {
            same_file(w)
                && f.line
                    .is_none_or(|l| w.place.line.is_some_and(|wl| wl >= l))
        })
        // After the last word of its file; 0 for a file without words.
        .or_else(|| words.iter().rposition(same_file).map(|i| i + 1))
        .unwrap_or(0)
        .min(expected.len());
    let context = expected[word_index.saturating_sub(6)..word_index]
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Difference {
        place: location.to_string(),
        location,
        word_index,
        expected: Vec::new(),
        found: Vec::new(),
        context,
        construct: Some(f.what),
    }
}

/// Shorten `s` to about `max` characters for a message, marking the cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// A function from byte offset to 1-based line number.
pub(crate) fn line_index(bytes: &[u8]) -> impl Fn(usize) -> u32 + '_ {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    move |pos| u32::try_from(starts.partition_point(|&s| s <= pos)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_placed_after_the_words_before_them() {
        let place = |file: &str, line| Place {
            file: Some(Arc::from(file)),
            line: Some(line),
            ..Place::default()
        };
        // Built the way the readers build them, so new fields need no change here.
        let mut found: Vec<Found> = Vec::new();
        for (t, l) in [("a", 3), ("b", 5), ("c", 9)] {
            crate::verify::push_words(t.into(), &place("x.xhtml", l), false, &mut found);
        }
        let expected: Vec<Word> = ["a", "b", "c"]
            .iter()
            .map(|t| Word {
                text: (*t).into(),
                part: 0,
            })
            .collect();
        let d = difference(
            Finding::entry("x.xhtml", Some(5), "it".into()),
            &expected,
            &found,
        );
        assert_eq!((d.word_index, d.context.as_str()), (1, "a"));
        assert_eq!(d.place, "x.xhtml, line 5");
        let d = difference(
            Finding::entry("y.css", None, "it".into()),
            &expected,
            &found,
        );
        assert_eq!(d.word_index, 0);
        assert_eq!(clip("a  b\nc", 3), "a b…");
        let line = line_index(b"a\nb\n");
        assert_eq!((line(0), line(2), line(4)), (1, 2, 3));
    }
}
