//! The format-neutral document model: what a brief *is*, independent of any edition.
//!
//! `parse` builds a [`Document`] from a source file; every renderer reads the same
//! [`Document`]. Nothing here knows about pages, XHTML or line widths. What counts as
//! the *content* of a brief (the words every edition must carry) is defined once in
//! [`crate::content`], on top of this model.

use std::path::PathBuf;

/// One brief, parsed and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// File stem of the source, used for output names (`dist/<slug>.pdf`).
    pub slug: String,
    /// Front-matter data.
    pub meta: Meta,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
    /// Footnotes in the order of their first reference; `NoteRef(i)` points at `notes[i]`.
    pub notes: Vec<Note>,
}

/// Front matter of a brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    /// The band label, as written in the source (e.g. "Central Asia").
    pub region: String,
    pub date: BriefDate,
    pub authors: Vec<Author>,
    /// BCP 47 language tag, e.g. `en`.
    pub lang: String,
    /// Stable identifier; when absent, editions derive one from the content.
    pub id: Option<String>,
    pub keywords: Vec<String>,
}

/// An author and the bio printed at the end of the brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Author {
    pub name: String,
    pub bio: Option<String>,
}

/// The publication date: a month, optionally a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BriefDate {
    pub year: u16,
    /// 1..=12
    pub month: u8,
    /// 1..=31 when the source gives a day.
    pub day: Option<u8>,
}

/// A block-level element of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `##` is level 2 … `####` is level 4. `id` is a slug unique within the document.
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// `start` is `Some(n)` for an ordered list beginning at `n`, `None` for bullets.
    /// `tight` lists (no blank lines between items in the source) set items closer.
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table(Table),
    Figure(Figure),
    /// A thematic break.
    Rule,
}

/// Column alignment from the GFM alignment row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// A GFM table; every row has exactly `align.len()` cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub align: Vec<Align>,
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// Where the table is in the source as parsed (bytes), for a renderer that cannot
    /// set it to say so at its line.
    pub source: std::ops::Range<usize>,
}

/// An image with its caption (the Markdown alt text).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// 1-based, in document order.
    pub number: u32,
    /// The caption text (from the alt text), plain.
    pub caption: String,
    /// Path as resolved on disk (absolute or relative to the working directory).
    pub path: PathBuf,
    /// Encoded bytes as read from disk (PNG or JPEG).
    pub data: std::sync::Arc<Vec<u8>>,
    pub format: ImageFormat,
    /// Pixel size.
    pub width: u32,
    pub height: u32,
    /// `true` when the image title says `wide`: set across the full text width.
    pub wide: bool,
}

/// The raster formats a figure may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

/// A footnote's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The label used in the source (`[^label]`), for messages.
    pub label: String,
    pub blocks: Vec<Block>,
}

/// Inline content of paragraphs, headings, list items and cells.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    /// Inline code; set in the body font (briefs rarely quote code).
    Code(String),
    Link {
        /// A valid URI: the parser passes every target through [`uri_safe`].
        url: String,
        content: Vec<Inline>,
    },
    /// Reference to `Document::notes[index]`; displayed as `index + 1`.
    NoteRef(usize),
    /// A hard line break inside a paragraph.
    LineBreak,
}

impl BriefDate {
    /// The date as editions display it in the brief's language, e.g. "November 2016" or
    /// "3 November 2016" for `en`, "ноябрь 2016 г." for `ru` (see [`crate::dates`]).
    pub fn display(&self, lang: &str) -> String {
        crate::dates::display(*self, lang)
    }

    /// ISO 8601 form, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{d:02}", self.year, self.month),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// Seconds since the Unix epoch at 00:00 UTC of this date (the 1st when no day).
    pub fn unix_seconds(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day.unwrap_or(1)),
        ) * 86_400
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm;
/// written out because pulling a date crate for one conversion is not worth it).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month, day) of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Plain text of inline content: what a reader sees, without markup or note numbers.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                push_plain(c, out)
            }
            Inline::NoteRef(_) => {}
            Inline::LineBreak => out.push('\n'),
        }
    }
}

/// `url` with every character RFC 3986 does not allow where it stands percent-encoded
/// (as UTF-8): `[` and `]` outside the host (a CHANGELOG's `…/pull/496]`), quotes,
/// braces, `|`, `\`, `^`, the backtick, and letters beyond ASCII. CommonMark keeps a
/// link destination as written, and an EPUB reading system or a PDF viewer may refuse
/// such a target (epubcheck: "Illegal character in path segment"). A `%` is kept: the
/// author may have encoded already.
pub fn uri_safe(url: &str) -> std::borrow::Cow<'_, str> {
    // The authority (`//host:port`, an IPv6 literal in brackets) runs from after the
    // scheme's `//` to the first `/`, `?` or `#`.
    let authority = url.find("://").map_or(0..0, |at| {
        let start = at + 3;
        let end = url[start..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |e| start + e);
        start..end
    });
    let allowed = |i: usize, c: char| {
        c.is_ascii_alphanumeric()
            || "-._~:/?#@!$&'()*+,;=%".contains(c)
            || (matches!(c, '[' | ']') && authority.contains(&i))
    };
    if url.char_indices().all(|(i, c)| allowed(i, c)) {
        return url.into();
    }
    let mut out = String::with_capacity(url.len() + 8);
    for (i, c) in url.char_indices() {
        if allowed(i, c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_display_and_epoch() {
        let d = BriefDate {
            year: 2016,
            month: 11,
            day: None,
        };
        assert_eq!(d.display("en"), "November 2016");
        assert_eq!(d.display("it-IT"), "novembre 2016");
        assert_eq!(d.iso(), "2016-11");
        assert_eq!(d.unix_seconds(), 1_477_958_400);
        assert_eq!(civil_from_days(d.unix_seconds() / 86_400), (2016, 11, 1));
    }

    #[test]
    fn link_targets_are_made_valid_uris() {
        // Kept as written: what RFC 3986 allows, an encoding already there, IPv6 hosts.
        for ok in [
            "https://example.org/a/b?q=1&r=(2)#frag",
            "https://example.org/%5Bx%5D",
            "http://[2001:db8::1]:8080/path",
            "mailto:a.b@example.org?subject=Hi",
        ] {
            assert_eq!(uri_safe(ok), ok);
        }
        assert_eq!(
            uri_safe("https://github.com/o/r/pull/496]"),
            "https://github.com/o/r/pull/496%5D"
        );
        assert_eq!(
            uri_safe("https://example.org/a[1]/\"q\"{x}|^`\\"),
            "https://example.org/a%5B1%5D/%22q%22%7Bx%7D%7C%5E%60%5C"
        );
        assert_eq!(
            uri_safe("https://de.wikipedia.org/wiki/Ämter"),
            "https://de.wikipedia.org/wiki/%C3%84mter"
        );
    }
}
