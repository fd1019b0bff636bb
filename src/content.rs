//! The one definition of a brief's *content*: the words every edition must carry.
//!
//! # The rule
//!
//! Content is everything a reader reads as part of the brief, in reading order:
//!
//! 1. the masthead lines of the house style (`organisation.lines`);
//! 2. the region, **upper-cased** as the band displays it, and the displayed date
//!    ("November 2016");
//! 3. the title, the subtitle, each author's name;
//! 4. the body: heading text, paragraph text, every list item, block quotes, every table
//!    cell (header row first, then row by row, left to right), and each figure caption
//!    as "Figure N. `alt text`" (the label word comes from `labels.figure`, in the
//!    brief's language: [`crate::house::Labels::words`]);
//! 5. when the brief has footnotes: the heading `labels.notes` (in the brief's
//!    language), then each note's text in order of first reference;
//! 6. for each author with a bio: "Name – bio".
//!
//! **Furniture** is not content and editions may add it freely: page numbers, running
//! heads and footers, list bullets and numbers, footnote numbers (in the text and before
//! each note), rules, the logo, link targets.
//!
//! Content is compared as a sequence of *words*: the text after [`normalize`] (Unicode
//! NFC, default-ignorable characters such as the soft hyphen, joiners and bidi controls
//! removed, typographic ligatures expanded) split at white space.
//! Renderers take their words from [`content`]; the verifier compares against it.

use unicode_normalization::UnicodeNormalization;

use crate::house::{HeaderCase, Style};
use crate::model::{plain_text, Block, Document};

/// The kind of a piece of content, for placing differences in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Masthead,
    Region,
    Date,
    Title,
    Subtitle,
    Author,
    Heading,
    Paragraph,
    ListItem,
    Quote,
    TableCell,
    Caption,
    NotesHeading,
    Note,
    Bio,
}

/// One piece of content with its role.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Part {
    pub role: Role,
    pub text: String,
}

/// The content of a brief: parts in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Content {
    pub parts: Vec<Part>,
}

/// One word of content and the part it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub part: usize,
}

/// The region as every edition displays it: in capitals, as the brief's language
/// writes them ([`upper`]).
pub fn region_display(region: &str, lang: &str) -> String {
    upper(region, lang)
}

/// The title as the PDF's running head sets it (before it is cut to fit): in capitals
/// when the house asks for them (`[furniture] header_case`).
pub fn header_title_display(title: &str, lang: &str, style: &Style) -> String {
    match style.furniture.header_case {
        HeaderCase::Upper => upper(title, lang),
        HeaderCase::AsWritten => title.to_owned(),
    }
}

/// `text` in capitals as `lang` (a BCP 47 tag) writes them. Rust's `to_uppercase` is
/// Unicode's default mapping, which is right for most languages but two families:
/// Turkish and Azerbaijani capitalise the dotted i as İ (U+0130; the dotless ı
/// already maps to I), and Greek capitals drop the accents (tonos, and the polytonic
/// breathings and circumflex; the diaeresis stays): "Ελλάδα" is "ΕΛΛΑΔΑ", not "ΕΛΛΆΔΑ".
pub fn upper(text: &str, lang: &str) -> String {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "tr" | "az" => text
            .chars()
            .map(|c| if c == 'i' { '\u{0130}' } else { c })
            .collect::<String>()
            .to_uppercase(),
        "el" => text
            .nfd()
            .filter(|c| {
                !matches!(
                    c,
                    '\u{0300}' | '\u{0301}' | '\u{0313}' | '\u{0314}' | '\u{0342}' | '\u{0345}'
                )
            })
            .nfc()
            .collect::<String>()
            .to_uppercase(),
        _ => text.to_uppercase(),
    }
}

/// The caption line of a figure as every edition displays it; `figure` is the label
/// in the brief's language ([`crate::house::Labels::words`]).
pub fn caption_display(figure: &str, number: u32, caption: &str) -> String {
    format!("{figure} {number}. {caption}")
}

/// The bio line of an author as every edition displays it, when there is a bio.
pub fn bio_display(name: &str, bio: &str) -> String {
    format!("{name} \u{2013} {bio}")
}

/// The content of `doc` under the house style `style`.
pub fn content(doc: &Document, style: &Style) -> Content {
    let mut c = Content::default();
    for line in &style.organisation.lines {
        c.push(Role::Masthead, line.clone());
    }
    c.push(
        Role::Region,
        region_display(&doc.meta.region, &doc.meta.lang),
    );
    c.push(Role::Date, doc.meta.date.display(&doc.meta.lang));
    c.push(Role::Title, doc.meta.title.clone());
    if let Some(s) = &doc.meta.subtitle {
        c.push(Role::Subtitle, s.clone());
    }
    for a in &doc.meta.authors {
        c.push(Role::Author, a.name.clone());
    }
    let labels = style.labels.words(&doc.meta.lang);
    for b in &doc.blocks {
        c.block(b, &labels.figure, Role::Paragraph);
    }
    if !doc.notes.is_empty() {
        c.push(Role::NotesHeading, labels.notes.clone());
        for n in &doc.notes {
            for b in &n.blocks {
                c.block(b, &labels.figure, Role::Note);
            }
        }
    }
    for a in &doc.meta.authors {
        if let Some(bio) = &a.bio {
            c.push(Role::Bio, bio_display(&a.name, bio));
        }
    }
    c
}

impl Content {
    fn push(&mut self, role: Role, text: String) {
        self.parts.push(Part { role, text });
    }

    /// Add a block; `role` is the role of plain paragraphs in this context
    /// (a paragraph inside a list item is a list item, inside a note a note); `figure`
    /// labels captions.
    fn block(&mut self, b: &Block, figure: &str, role: Role) {
        match b {
            Block::Heading { content, .. } => self.push(Role::Heading, plain_text(content)),
            Block::Paragraph(inl) => self.push(role, plain_text(inl)),
            Block::List { items, .. } => {
                let inner = if role == Role::Paragraph {
                    Role::ListItem
                } else {
                    role
                };
                for item in items {
                    for b in item {
                        self.block(b, figure, inner);
                    }
                }
            }
            Block::Quote(blocks) => {
                let inner = if role == Role::Paragraph {
                    Role::Quote
                } else {
                    role
                };
                for b in blocks {
                    self.block(b, figure, inner);
                }
            }
            Block::Table(t) => {
                for cell in t.head.iter().chain(t.rows.iter().flatten()) {
                    self.push(Role::TableCell, plain_text(cell));
                }
            }
            Block::Figure(f) => {
                self.push(Role::Caption, caption_display(figure, f.number, &f.caption))
            }
            Block::Rule => {}
        }
    }

    /// All words in reading order, normalised.
    pub fn words(&self) -> Vec<Word> {
        let mut out = Vec::new();
        for (i, p) in self.parts.iter().enumerate() {
            for w in words(&p.text) {
                out.push(Word { text: w, part: i });
            }
        }
        out
    }

    /// SHA-256 of the normalised words, one per line: equal for equal content.
    pub fn digest(&self) -> String {
        digest(&self.words())
    }
}

/// [`Content::digest`] of words already taken from the content.
pub fn digest(words: &[Word]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for w in words {
        h.update(w.text.as_bytes());
        h.update(b"\n");
    }
    crate::hex::encode(&h.finalize())
}

/// The documented normalisation applied to every text before it is split into words:
/// default-ignorable characters dropped, Unicode NFC, ligature code points expanded,
/// non-breaking and other Unicode spaces treated as spaces.
///
/// Default-ignorable characters (Unicode's `Default_Ignorable_Code_Point`: the soft
/// hyphen, zero-width space and joiners, bidi marks, embeddings and isolates, variation
/// selectors …) are invisible: a reader sees no word in them, and a PDF shows no glyph
/// for them, so they are not content. They go first, so that a mark after a joiner
/// composes with its letter as it would without the joiner.
pub fn normalize(text: &str) -> String {
    // ASCII is its own normal form and has no ignorable characters or ligatures: only
    // its white space other than the space changes. Most text of most briefs (and
    // nearly every single word) takes this way.
    if text.is_ascii() {
        if !text.bytes().any(|b| (b'\t'..=b'\r').contains(&b)) {
            return text.to_owned();
        }
        return text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
    }
    let visible: std::borrow::Cow<'_, str> = if text.chars().any(ignorable) {
        text.chars()
            .filter(|&c| !ignorable(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let mut out = String::with_capacity(visible.len());
    if unicode_normalization::is_nfc_quick(visible.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        for ch in visible.chars() {
            push_normalized(&mut out, ch);
        }
    } else {
        for ch in visible.nfc() {
            push_normalized(&mut out, ch);
        }
    }
    out
}

/// Whether `c` is a `Default_Ignorable_Code_Point` (Unicode 16, DerivedCoreProperties).
pub fn ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// One character of NFC text, normalised by the rest of the rules of [`normalize`].
fn push_normalized(out: &mut String, ch: char) {
    match ch {
        '\u{FB00}' => out.push_str("ff"),
        '\u{FB01}' => out.push_str("fi"),
        '\u{FB02}' => out.push_str("fl"),
        '\u{FB03}' => out.push_str("ffi"),
        '\u{FB04}' => out.push_str("ffl"),
        '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
        c if c.is_whitespace() => out.push(' '),
        c => out.push(c),
    }
}

/// Normalised words of a text.
pub fn words(text: &str) -> impl Iterator<Item = String> {
    normalize(text)
        .split_whitespace()
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_follow_the_language() {
        assert_eq!(upper("Black Sea: iron", "en"), "BLACK SEA: IRON");
        assert_eq!(upper("Straße", "de"), "STRASSE");
        // Turkish and Azerbaijani: dotted i to İ, dotless ı to I.
        assert_eq!(
            upper("Kıbrıs ve İzmir, istikrar", "tr"),
            "KIBRIS VE İZMİR, İSTİKRAR"
        );
        assert_eq!(upper("Bakı şəhəri", "az-Latn"), "BAKI ŞƏHƏRİ");
        // Greek capitals drop the tonos and keep the diaeresis.
        assert_eq!(upper("Ελλάδα και Κύπρος", "el"), "ΕΛΛΑΔΑ ΚΑΙ ΚΥΠΡΟΣ");
        assert_eq!(upper("προϊόν", "el-GR"), "ΠΡΟΪΟΝ");
        // Other languages keep Unicode's default mapping, accents and all.
        assert_eq!(upper("Ελλάδα", "en"), "ΕΛΛΆΔΑ");
    }

    #[test]
    fn the_running_head_title_follows_the_house_case() {
        let mut style = crate::house::builtin().expect("built-in house").style;
        assert_eq!(style.furniture.header_case, HeaderCase::Upper);
        assert_eq!(
            header_title_display("Su ve iklim", "tr", &style),
            "SU VE İKLİM"
        );
        style.furniture.header_case = HeaderCase::AsWritten;
        assert_eq!(
            header_title_display("Su ve iklim", "tr", &style),
            "Su ve iklim"
        );
    }

    #[test]
    fn normalisation_folds_ligatures_and_spaces() {
        let w: Vec<String> = words("e\u{301}\u{FB01}ne\u{00A0}soft\u{00AD}ly").collect();
        assert_eq!(w, vec!["\u{e9}fine", "softly"]);
    }

    #[test]
    fn each_way_through_normalize_agrees() {
        // ASCII with and without white space other than the space.
        assert_eq!(normalize("a b\tc\nd\x0be\rf"), "a b c d e f");
        assert_eq!(normalize("plain text."), "plain text.");
        // Already NFC, and not: the same result.
        assert_eq!(normalize("caf\u{e9}\u{2009}\u{FB02}y"), "caf\u{e9} fly");
        assert_eq!(normalize("cafe\u{301}\u{2009}\u{FB02}y"), "caf\u{e9} fly");
        // Invisible characters go, before composition.
        assert_eq!(
            normalize("a\u{200D}b \u{202E}qr\u{202C} s\u{200E}t e\u{200D}\u{301} x\u{AD}y"),
            "ab qr st \u{e9} xy"
        );
        assert_eq!(normalize("\u{2267}\u{338}"), "\u{2267}\u{338}");
    }
}
