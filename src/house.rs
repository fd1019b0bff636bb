//! The house style: `branding/house.toml` loaded into typed structs, plus the files it names.
//!
//! The built-in `branding/house.toml` (the NATO Foundation layout, `docs/page1.png`) is
//! the one definition of every default: it names every key, and no struct here has
//! defaults of its own. Every section rejects unknown keys. The built-in style, its fonts
//! and its logo are embedded in the binary so `briefpress` works from any folder;
//! `--house PATH` loads another style, whose file paths are resolved relative to that
//! file. That file is laid over the built-in one key by key ([`parse_style`]): keys it
//! omits keep the built-in values, fonts and logo included (their bytes come from the
//! binary), so a house file of two lines that only changes `[colours]` works from any
//! folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::{did_you_mean, Diagnostic, SourceDiagnostics};
use crate::error::{Error, Result};

/// The parsed `house.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    pub organisation: Organisation,
    pub labels: Labels,
    pub colours: Colours,
    pub print_colours: PrintColours,
    pub print: Print,
    pub fonts: Fonts,
    pub page: Page,
    pub masthead: Masthead,
    pub band: Band,
    pub title: Title,
    pub body: Body,
    pub bios: Bios,
    pub typeset: Typeset,
    pub furniture: Furniture,
    pub text: Text,
    pub inputs: Inputs,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Masthead wordmark lines; content of every edition.
    pub lines: Vec<String>,
    /// Footer and publisher name; furniture.
    pub name: String,
}

/// Words the editions generate, in one language. The figure label and the notes
/// heading are content (see [`crate::content`]); the others name parts of the EPUB.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// Before a figure's number in its caption ("Figure 1.").
    pub figure: String,
    /// The heading of the notes.
    pub notes: String,
    /// The accessible name of a note's link back to the text (EPUB), spoken by screen
    /// readers where the link shows only a number; `{n}` is the note number and `{k}` the
    /// reference it returns to.
    pub back_to_text: String,
    /// The heading of the EPUB's table of contents.
    pub contents: String,
    /// The EPUB's name for its cover, in its landmarks.
    pub cover: String,
}

/// Some of the [`Words`], in a language of `[labels.TAG]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SomeWords {
    pub figure: Option<String>,
    pub notes: Option<String>,
    pub back_to_text: Option<String>,
    pub contents: Option<String>,
    pub cover: Option<String>,
}

/// `[labels]`: the [`Words`] in the house's own language, and tables `[labels.TAG]`
/// that give some or all of them in another language, for briefs whose `lang` is that
/// tag or starts with it ([`Labels::words`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    pub own: Words,
    /// By language tag, as the house file writes it.
    pub languages: BTreeMap<String, SomeWords>,
}

impl Labels {
    /// The words for a brief in `lang`: each from the table of its tag, else of the
    /// tag shortened by a subtag at a time (`pt-BR`, then `pt`), else the house's own.
    pub fn words(&self, lang: &str) -> Words {
        let tables: Vec<&SomeWords> = crate::lang::fallbacks(lang)
            .filter_map(|tag| {
                let found = self
                    .languages
                    .iter()
                    .find(|(t, _)| t.eq_ignore_ascii_case(tag));
                found.map(|(_, w)| w)
            })
            .collect();
        let pick = |own: &String, of: fn(&SomeWords) -> &Option<String>| {
            tables
                .iter()
                .find_map(|t| of(t).clone())
                .unwrap_or_else(|| own.clone())
        };
        let own = &self.own;
        Words {
            figure: pick(&own.figure, |t| &t.figure),
            notes: pick(&own.notes, |t| &t.notes),
            back_to_text: pick(&own.back_to_text, |t| &t.back_to_text),
            contents: pick(&own.contents, |t| &t.contents),
            cover: pick(&own.cover, |t| &t.cover),
        }
    }
}

/// A key of `[labels]`: one of the words, or a language's table.
enum LabelKey {
    Word(&'static str),
    Language(String),
}

/// The words' keys, in the order `[labels]` lists them.
const WORD_KEYS: [&str; 5] = ["figure", "notes", "back_to_text", "contents", "cover"];

impl<'de> Deserialize<'de> for LabelKey {
    // Checked while the key is read, so that an error points at the key.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        if let Some(word) = WORD_KEYS.iter().find(|w| **w == key) {
            Ok(LabelKey::Word(word))
        } else if crate::lang::is_tag(&key) {
            Ok(LabelKey::Language(key))
        } else {
            let words = WORD_KEYS.map(|w| format!("`{w}`")).join(", ");
            Err(serde::de::Error::custom(format!(
                "unknown field `{key}`, expected one of {words}, \
                 or a language tag such as `it` or `pt-BR` naming a table"
            )))
        }
    }
}

// By hand, because the table mixes the words with the languages' tables, which
// serde's derive cannot read while it rejects unknown keys.
impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Labels;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of labels")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Labels, A::Error> {
                use serde::de::Error as _;
                let mut words: BTreeMap<&str, String> = BTreeMap::new();
                let mut languages: BTreeMap<String, SomeWords> = BTreeMap::new();
                while let Some(key) = map.next_key::<LabelKey>()? {
                    match key {
                        LabelKey::Word(w) => {
                            words.insert(w, map.next_value()?);
                        }
                        LabelKey::Language(tag) => {
                            let table: SomeWords = map.next_value()?;
                            if let Some(other) =
                                languages.keys().find(|t| t.eq_ignore_ascii_case(&tag))
                            {
                                return Err(A::Error::custom(format!(
                                    "`[labels.{tag}]` and `[labels.{other}]` name one \
                                     language (tags are read without regard to case)"
                                )));
                            }
                            languages.insert(tag, table);
                        }
                    }
                }
                let mut take =
                    |k: &'static str| words.remove(k).ok_or_else(|| A::Error::missing_field(k));
                let own = Words {
                    figure: take("figure")?,
                    notes: take("notes")?,
                    back_to_text: take("back_to_text")?,
                    contents: take("contents")?,
                    cover: take("cover")?,
                };
                Ok(Labels { own, languages })
            }
        }
        d.deserialize_map(Visit)
    }
}

/// Colours as `#RRGGBB`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    pub blue: Rgb,
    pub accent: Rgb,
    pub text: Rgb,
    pub band_text: Rgb,
}

/// An sRGB colour, written `#RRGGBB` in the house file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` for CSS.
    pub fn hex(&self) -> String {
        format!("#{}", crate::hex::encode(&[self.0, self.1, self.2]))
    }

    /// Components in 0.0..=1.0 for PDF operators.
    pub fn unit(&self) -> [f32; 3] {
        [self.0, self.1, self.2].map(|c| f32::from(c) / 255.0)
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let hex = s.strip_prefix('#').unwrap_or("");
        let digits = hex.as_bytes();
        let byte = |i: usize| {
            let (h, l) = (digits.get(i).copied()?, digits.get(i + 1).copied()?);
            Some(crate::hex::digit(h)? << 4 | crate::hex::digit(l)?)
        };
        match (digits.len() == 6, byte(0), byte(2), byte(4)) {
            (true, Some(r), Some(g), Some(b)) => Ok(Rgb(r, g, b)),
            _ => Err(serde::de::Error::custom(format!(
                "colour {s:?} is not of the form #RRGGBB"
            ))),
        }
    }
}

/// The print edition's inks for the colours of [`Colours`], field by field (`None`: the
/// colour is converted by rule, [`Cmyk::from_rgb`]). A house file that sets a colour
/// of `[colours]` and not its ink here gets `None` for it, never the ink chosen for
/// the built-in colour (see [`parse_style`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintColours {
    pub blue: Option<Cmyk>,
    pub accent: Option<Cmyk>,
    pub text: Option<Cmyk>,
    pub band_text: Option<Cmyk>,
}

/// The press condition the print edition is made for: its output intent's ICC profile
/// and names (ISO 15930-7; `docs/pdf.md`). Empty (the default): the built-in generic
/// CMYK profile under the condition `Custom`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Print {
    /// An ICC output profile (CMYK, class `prtr`), relative to the house file.
    pub output_profile: String,
    /// The condition's name, e.g. `FOGRA39` (required with a profile).
    pub output_condition_identifier: String,
    /// The registry the name is from, e.g. `http://www.color.org`; may be empty.
    pub registry_name: String,
    /// A description of the condition for people; may be empty.
    pub output_condition: String,
}

/// The keys of `[colours]` and `[print_colours]`, in the order of their fields.
const COLOUR_KEYS: [&str; 4] = ["blue", "accent", "text", "band_text"];

impl Style {
    /// The ink the print edition uses for screen colour `rgb`: the ink of the first
    /// house colour equal to it, else [`Cmyk::from_rgb`].
    pub fn ink(&self, rgb: Rgb) -> Cmyk {
        let c = &self.colours;
        let p = &self.print_colours;
        let pairs = [
            (c.blue, p.blue),
            (c.accent, p.accent),
            (c.text, p.text),
            (c.band_text, p.band_text),
        ];
        pairs
            .iter()
            .find(|(screen, _)| *screen == rgb)
            .and_then(|(_, ink)| *ink)
            .unwrap_or_else(|| Cmyk::from_rgb(rgb))
    }
}

/// Ink percentages of cyan, magenta, yellow and black, each 0–100, written
/// `[c, m, y, k]` in the house file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cmyk(pub [f32; 4]);

impl Cmyk {
    /// Components in 0.0..=1.0 for PDF operators.
    pub fn unit(&self) -> [f32; 4] {
        self.0.map(|v| v / 100.0)
    }

    /// Whether only the black ink is used (text that prints on one plate).
    pub fn is_black_only(&self) -> bool {
        self.0[..3].iter().all(|&v| v == 0.0)
    }

    /// The rule for a colour without a house ink: full grey component replacement, so
    /// black carries everything the three colours share and a neutral grey is black ink
    /// alone (never a four-colour grey). Rounded to whole per cent.
    pub fn from_rgb(rgb: Rgb) -> Cmyk {
        let [r, g, b] = rgb.unit();
        let k = 1.0 - r.max(g).max(b);
        let part = |v: f32| {
            if k >= 1.0 {
                0.0
            } else {
                ((1.0 - v - k) / (1.0 - k) * 100.0).round()
            }
        };
        Cmyk([part(r), part(g), part(b), (k * 100.0).round()])
    }
}

impl<'de> Deserialize<'de> for Cmyk {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Vec::<f64>::deserialize(d)?;
        match v.as_slice() {
            [c, m, y, k] if v.iter().all(|x| (0.0..=100.0).contains(x)) => {
                Ok(Cmyk([*c as f32, *m as f32, *y as f32, *k as f32]))
            }
            _ => Err(serde::de::Error::custom(format!(
                "ink {v:?} is not four per cent values [c, m, y, k] from 0 to 100"
            ))),
        }
    }
}

/// Font files, relative to the house file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub serif_regular: String,
    pub serif_italic: String,
    pub serif_bold: String,
    pub serif_bold_italic: String,
    pub sans_regular: String,
    pub sans_italic: String,
    pub sans_bold: String,
    pub sans_bold_italic: String,
    pub serif_fallbacks: Vec<String>,
    pub serif_bold_fallbacks: Vec<String>,
    pub sans_fallbacks: Vec<String>,
    pub sans_bold_fallbacks: Vec<String>,
}

/// A type family of the house style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Serif,
    Sans,
}

/// A family in one of its four styles: what the PDF shapes with and the EPUB's CSS
/// names. Ordered serif before sans, then by weight, then by slant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Variant {
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
}

impl Variant {
    /// The serif body face.
    pub const SERIF: Variant = Variant {
        family: Family::Serif,
        bold: false,
        italic: false,
    };
    /// The sans face of the head, headings and small print.
    pub const SANS: Variant = Variant {
        family: Family::Sans,
        bold: false,
        italic: false,
    };

    /// All eight variants, in order; `ALL[v.index()] == v`.
    pub const ALL: [Variant; 8] = {
        let mut all = [Variant::SERIF; 8];
        let mut i = 0;
        while i < 8 {
            all[i] = Variant {
                family: if i & 4 != 0 {
                    Family::Sans
                } else {
                    Family::Serif
                },
                bold: i & 2 != 0,
                italic: i & 1 != 0,
            };
            i += 1;
        }
        all
    };

    /// Position of this variant in [`Variant::ALL`].
    pub fn index(self) -> usize {
        usize::from(self.family == Family::Sans) * 4
            + usize::from(self.bold) * 2
            + usize::from(self.italic)
    }

    /// This variant in bold.
    pub fn bold(self) -> Variant {
        Variant { bold: true, ..self }
    }

    /// This variant in italic.
    pub fn italic(self) -> Variant {
        Variant {
            italic: true,
            ..self
        }
    }
}

impl Fonts {
    /// The font file of a variant and the fallbacks for the characters it lacks: the one
    /// table from variant to font file (shaping, the EPUB's web fonts and loading all
    /// read it).
    pub fn files(&self, v: Variant) -> (&String, &[String]) {
        let main = match (v.family, v.bold, v.italic) {
            (Family::Serif, false, false) => &self.serif_regular,
            (Family::Serif, false, true) => &self.serif_italic,
            (Family::Serif, true, false) => &self.serif_bold,
            (Family::Serif, true, true) => &self.serif_bold_italic,
            (Family::Sans, false, false) => &self.sans_regular,
            (Family::Sans, false, true) => &self.sans_italic,
            (Family::Sans, true, false) => &self.sans_bold,
            (Family::Sans, true, true) => &self.sans_bold_italic,
        };
        let fallbacks = match (v.family, v.bold) {
            (Family::Serif, false) => &self.serif_fallbacks,
            (Family::Serif, true) => &self.serif_bold_fallbacks,
            (Family::Sans, false) => &self.sans_fallbacks,
            (Family::Sans, true) => &self.sans_bold_fallbacks,
        };
        (main, fallbacks)
    }

    /// Every font file the style names, main families first, without repeats.
    pub fn all_files(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let main = Variant::ALL.map(|v| self.files(v).0);
        // Each fallback list once: the regular and italic variants share theirs.
        let fallbacks = [
            Variant::SERIF,
            Variant::SERIF.bold(),
            Variant::SANS,
            Variant::SANS.bold(),
        ]
        .into_iter()
        .flat_map(|v| self.files(v).1);
        for f in main.into_iter().chain(fallbacks) {
            if !out.contains(&f.as_str()) {
                out.push(f);
            }
        }
        out
    }
}

/// Page geometry in mm.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    pub columns: u8,
    pub gutter: f32,
    pub bleed: f32,
    pub crop_mark_length: f32,
    pub crop_mark_offset: f32,
    /// Line width of the crop marks, in pt.
    pub crop_mark_width: f32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Masthead {
    /// Logo image, relative to the house file.
    pub logo: String,
    pub logo_height: f32,
    pub bottom: f32,
    pub wordmark_size: f32,
    pub wordmark_second_size: f32,
    pub wordmark_second_tracking: f32,
    pub gap: f32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub height: f32,
    pub size: f32,
    pub tracking: f32,
    pub space_after: f32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    pub size: f32,
    pub leading: f32,
    pub max_lines: u8,
    pub subtitle_size: f32,
    pub subtitle_leading: f32,
    pub author_size: f32,
    pub rule_width: f32,
    pub space_after: f32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub size: f32,
    pub leading: f32,
    pub paragraph_space: f32,
    pub heading2_size: f32,
    pub heading3_size: f32,
    pub heading4_size: f32,
    pub heading_space: f32,
    /// How much a space between paragraphs, headings and blocks may grow (a fraction of
    /// itself) so that the columns of a page end on one line. A space larger than a
    /// paragraph space grows by no more than one does unless a full page needs it
    /// (`render::pdf::flow`).
    pub space_stretch: f32,
    /// How far apart, in lines, the feet of the last page's columns may stay before their
    /// spaces grow: a short column grows only to within this much of the longest.
    pub balance_within: f32,
    pub list_indent: f32,
    pub quote_indent: f32,
    pub quote_rule: f32,
    pub table_size: f32,
    pub caption_size: f32,
    pub note_size: f32,
    pub rule_length: f32,
    pub hyphenate: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bios {
    pub size: f32,
    pub leading: f32,
    /// The longest line of a bio, in characters (an average of the lowercase
    /// alphabet's letters): a bio across the whole text block is hard to read.
    pub measure: f32,
}

/// How lines are broken and words hyphenated (docs/typesetting.md). Demerits are
/// TeX's, with its names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Typeset {
    /// Demerits added to every line, so that fewer lines win (TeX `\linepenalty`).
    pub line_penalty: f32,
    /// Penalty for a break at an inserted hyphen (TeX `\hyphenpenalty`).
    pub hyphen_penalty: f32,
    /// Penalty for a break after a dash or hyphen in the text (`\exhyphenpenalty`).
    pub explicit_hyphen_penalty: f32,
    /// Demerits for two hyphenated lines in a row (`\doublehyphendemerits`).
    pub double_hyphen_demerits: f32,
    /// The most lines in a row that may end in a hyphen (a "hyphen limit", as
    /// InDesign's); 0 for none. A longer run is set only when nothing else keeps
    /// every line within ratio 10, and then costs a hundred times
    /// `double_hyphen_demerits` per line past two.
    pub hyphen_run_limit: u8,
    /// Demerits for a hyphen on a paragraph's second-to-last line
    /// (`\finalhyphendemerits`).
    pub final_hyphen_demerits: f32,
    /// Demerits for adjacent lines whose spacing differs by more than one fitness
    /// class, a tight line beside a loose one (`\adjdemerits`).
    pub adj_demerits: f32,
    /// Demerits for a paragraph whose last line is one piece of a word broken at the
    /// end of the line before ("fig-/ures.").
    pub fragment_demerits: f32,
    /// Demerits for a paragraph of several lines whose last line is one word alone
    /// (a "runt": "war." under a full line).
    pub lone_word_demerits: f32,
    /// Keep a line that ends inside a word with the next line, so that no column or
    /// page ends in a hyphen (TeX's `\brokenpenalty`, made absolute).
    pub no_hyphen_at_column_end: bool,
    /// Letters a hyphenated word keeps before the hyphen (`\lefthyphenmin`).
    pub left_hyphen_min: usize,
    /// Letters a hyphenated word keeps after the hyphen (`\righthyphenmin`).
    pub right_hyphen_min: usize,
    /// Penalty for a break at an inserted hyphen in a word that starts with a
    /// capital (a name, mostly), instead of `hyphen_penalty`: such breaks are taken
    /// only when the spacing needs them. 10000 or more never breaks them.
    pub capitalised_hyphen_penalty: f32,
    /// Penalty for a break between two letters of an address (`https://…`), shown
    /// without a hyphen. A line of an address has no space to stretch; such breaks
    /// let it reach the edge where its slashes and dots fall short.
    pub address_break_penalty: f32,
    /// Words a number after them stays on the line with (`Article 5`, `Fig. 2`), as
    /// written (case and full stop included).
    pub tie_before_numbers: Vec<String>,
    /// Words hyphenated as written here, in any case, instead of by the patterns:
    /// `-` marks the places a break may be; a word without one is never broken.
    pub hyphenation: Vec<String>,
    /// How far a justified line may tighten its letters, in em per letter (negative or
    /// 0; written as `Tc`). The breaker counts it as shrink beside the word spaces'.
    pub letter_spacing_min: f32,
    /// How far a justified line may space its letters out, in em per letter (0 or
    /// more), counted as stretch beside the word spaces'.
    pub letter_spacing_max: f32,
    /// How far a justified line may narrow its glyphs, as a share of their width
    /// (negative or 0; written as `Tz`): pdfTeX's font expansion, InDesign's glyph
    /// scaling. The breaker counts it as shrink beside the spaces' and the letters'.
    pub glyph_scaling_min: f32,
    /// How far a justified line may widen its glyphs, as a share of their width (0 or
    /// more), counted as stretch.
    pub glyph_scaling_max: f32,
    /// Characters that hang into the right margin at the end of a justified line, and
    /// by what share of their width (optical margin alignment).
    pub protrude_right: BTreeMap<String, f32>,
    /// Characters that hang into the left margin at the start of a justified line.
    pub protrude_left: BTreeMap<String, f32>,
}

/// The largest letter-spacing a house may allow in justification (em): past it words
/// look tracked out.
pub const MAX_LETTER_SPACING: f32 = 0.05;
/// The tightest letter-spacing a house may allow (em). pdftotext takes letters that
/// overlap by 1 % of the type size for duplicated text and then loses every word space
/// of the line (measured: a line of the long fixture at -0.01 em extracted as one
/// word); -0.008 em stays clear of that.
pub const MIN_LETTER_SPACING: f32 = -0.009;
/// The most a house may widen or narrow glyphs in justification (a share of their
/// width): past 5 % a reader sees the letters change shape (InDesign's usual limits are
/// 97–103 %, pdfTeX's `microtype` 98–102 %). The verifier allows as much (`Tz`).
pub const MAX_GLYPH_SCALING: f32 = 0.05;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Furniture {
    pub size: f32,
    pub hairline: f32,
    pub header_offset: f32,
    pub footer_offset: f32,
    /// How the running head sets the title.
    pub header_case: HeaderCase,
}

/// The running head's title in capitals (the house's choice: a heading line of eight
/// words or more in lower case reads as prose, to a person skimming and to
/// accessibility checkers that look for text hidden as an artifact) or as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderCase {
    Upper,
    AsWritten,
}

/// The plain-text edition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Wrap width in display columns.
    pub width: usize,
}

/// Bounds on what a brief may bring in.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    /// Largest image a figure may have, in millions of pixels, checked from the image's
    /// header before it is decoded. Decoding costs time and memory in proportion to the
    /// pixel count whatever the file's size: 100 megapixels (a 10000 × 10000 image,
    /// ten times a 300 dpi A4 page) take about 400 MB and a second or two to decode.
    pub max_image_megapixels: u32,
    /// The print edition warns about a figure that prints below this many pixels per
    /// inch at its placed width (300: the usual floor for offset print).
    pub min_print_ppi: u32,
}

/// The largest [`Inputs::max_image_megapixels`] a house style may set: the decoders'
/// own bound (see `render::pdf::image`), about 1 GB of RGBA pixels.
pub const MAX_IMAGE_MEGAPIXELS_CEILING: u32 = 250;

/// A file the house style refers to, with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The name as written in the house file.
    pub name: String,
    pub bytes: Bytes,
}

impl Asset {
    /// Lower-case hex SHA-256 of the bytes (computed at compile time for the
    /// built-in files).
    pub fn sha256(&self) -> String {
        if let Bytes::Static(_) = self.bytes {
            if let Some((_, d)) = builtin_digests::BUILTIN_SHA256
                .iter()
                .find(|(n, _)| *n == self.name)
            {
                return (*d).to_owned();
            }
        }
        use sha2::Digest;
        crate::hex::encode(&sha2::Sha256::digest(self.bytes.as_slice()))
    }
}

mod builtin_digests {
    include!(concat!(env!("OUT_DIR"), "/builtin_sha256.rs"));
}

/// File contents: embedded in the binary (no copy at start-up) or read from disk and
/// shared between threads.
#[derive(Clone, PartialEq, Eq)]
pub enum Bytes {
    Static(&'static [u8]),
    Shared(std::sync::Arc<Vec<u8>>),
}

impl Bytes {
    pub fn as_slice(&self) -> &[u8] {
        self
    }

    /// Whether these are the built-in bytes compiled into the binary: tested when the
    /// binary is built, so a run need not check them again.
    pub fn is_builtin(&self) -> bool {
        matches!(self, Bytes::Static(_))
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Shared(b) => b.as_slice(),
        }
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({} bytes)", self.len())
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes::Shared(std::sync::Arc::new(v))
    }
}

/// A loaded house style: the settings and the bytes of every file they name.
#[derive(Debug, Clone, PartialEq)]
pub struct House {
    pub style: Style,
    /// Where the style came from (`<built-in>` or a path), for messages and manifests.
    pub origin: String,
    /// The house file's own bytes, for hashing into release manifests.
    pub toml: Vec<u8>,
    /// Font files in the order of [`Fonts::all_files`].
    pub fonts: Vec<Asset>,
    pub logo: Asset,
    /// The print edition's output profile ([`Print::output_profile`]), if the style names
    /// one.
    pub print_profile: Option<Asset>,
}

impl House {
    /// Bytes of a font file named in the style.
    pub fn font(&self, name: &str) -> Option<&Asset> {
        self.fonts.iter().find(|a| a.name == name)
    }
}

const BUILTIN_TOML: &str = include_str!("../branding/house.toml");

/// Files embedded for the built-in style, by the names `house.toml` uses.
const BUILTIN_FILES: &[(&str, &[u8])] = &[
    (
        "../fonts/NotoSerif-Regular.ttf",
        include_bytes!("../fonts/NotoSerif-Regular.ttf"),
    ),
    (
        "../fonts/NotoSerif-Italic.ttf",
        include_bytes!("../fonts/NotoSerif-Italic.ttf"),
    ),
    (
        "../fonts/NotoSerif-Bold.ttf",
        include_bytes!("../fonts/NotoSerif-Bold.ttf"),
    ),
    (
        "../fonts/NotoSerif-BoldItalic.ttf",
        include_bytes!("../fonts/NotoSerif-BoldItalic.ttf"),
    ),
    (
        "../fonts/NotoSans-Regular.ttf",
        include_bytes!("../fonts/NotoSans-Regular.ttf"),
    ),
    (
        "../fonts/NotoSans-Italic.ttf",
        include_bytes!("../fonts/NotoSans-Italic.ttf"),
    ),
    (
        "../fonts/NotoSans-Bold.ttf",
        include_bytes!("../fonts/NotoSans-Bold.ttf"),
    ),
    (
        "../fonts/NotoSans-BoldItalic.ttf",
        include_bytes!("../fonts/NotoSans-BoldItalic.ttf"),
    ),
    (
        "../fonts/NotoSerifGeorgian-Regular.ttf",
        include_bytes!("../fonts/NotoSerifGeorgian-Regular.ttf"),
    ),
    (
        "../fonts/NotoSerifGeorgian-Bold.ttf",
        include_bytes!("../fonts/NotoSerifGeorgian-Bold.ttf"),
    ),
    (
        "../fonts/NotoSerifArmenian-Regular.ttf",
        include_bytes!("../fonts/NotoSerifArmenian-Regular.ttf"),
    ),
    (
        "../fonts/NotoSerifArmenian-Bold.ttf",
        include_bytes!("../fonts/NotoSerifArmenian-Bold.ttf"),
    ),
    (
        "../fonts/NotoSansGeorgian-Regular.ttf",
        include_bytes!("../fonts/NotoSansGeorgian-Regular.ttf"),
    ),
    (
        "../fonts/NotoSansGeorgian-Bold.ttf",
        include_bytes!("../fonts/NotoSansGeorgian-Bold.ttf"),
    ),
    (
        "../fonts/NotoSansArmenian-Regular.ttf",
        include_bytes!("../fonts/NotoSansArmenian-Regular.ttf"),
    ),
    (
        "../fonts/NotoSansArmenian-Bold.ttf",
        include_bytes!("../fonts/NotoSansArmenian-Bold.ttf"),
    ),
    (
        "../fonts/NotoSansMath-Regular.ttf",
        include_bytes!("../fonts/NotoSansMath-Regular.ttf"),
    ),
    (
        "../fonts/NotoSansSymbols2-Regular.ttf",
        include_bytes!("../fonts/NotoSansSymbols2-Regular.ttf"),
    ),
    ("logo.png", include_bytes!("../branding/logo.png")),
];

/// The settings of the built-in `house.toml`: every default.
pub fn defaults() -> Result<Style> {
    parse_over(Path::new(BUILTIN_NAME), BUILTIN_TOML, None)
}

/// The name of the built-in house file in messages.
const BUILTIN_NAME: &str = "<built-in house.toml>";

/// The built-in house style with its embedded fonts and logo.
pub fn builtin() -> Result<House> {
    load_assets(
        defaults()?,
        "<built-in>".into(),
        BUILTIN_TOML.as_bytes().to_vec(),
        |name| {
            builtin_file(name).ok_or_else(|| Error::Font {
                path: PathBuf::from(name),
                message: "the built-in house style only has its own fonts and logo; \
                              use --house with a house file beside your files"
                    .into(),
            })
        },
    )
}

/// Load a house style from a file; the files it names are read relative to it.
pub fn load(path: &Path) -> Result<House> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read house style", path, e))?;
    let text = String::from_utf8(bytes.clone()).map_err(|e| {
        Error::Source(Box::new(SourceDiagnostics {
            path: path.to_owned(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
            diagnostics: vec![Diagnostic::new(
                "the house style is not valid UTF-8",
                e.utf8_error().valid_up_to()..e.utf8_error().valid_up_to() + 1,
            )],
        }))
    })?;
    let style = parse_style(path, &text)?;
    let written = written_files(&text);
    let dir = path.parent().unwrap_or(Path::new(".")).to_owned();
    let house = load_assets(style, path.display().to_string(), bytes, |name| {
        // A font or logo the file does not name keeps its built-in default, and the
        // default's bytes come from the binary: they are not beside the user's file.
        if !written.iter().any(|w| w == name) {
            if let Some(b) = builtin_file(name) {
                return Ok(b);
            }
        }
        let p = dir.join(name);
        std::fs::read(&p)
            .map(Bytes::from)
            .map_err(|e| Error::io("read house file", p, e))
    })?;
    if let Some(profile) = &house.print_profile {
        if let Some(problem) = print_profile_problem(&profile.bytes) {
            return Err(Error::Source(Box::new(SourceDiagnostics {
                path: path.to_owned(),
                text: text.clone(),
                diagnostics: vec![Diagnostic::whole_file(format!(
                    "print.output_profile {:?} {problem}",
                    profile.name
                ))
                .with_hint("name the printer's CMYK output profile, or leave it empty for the built-in generic one")],
            })));
        }
    }
    // Every font is checked once, here, where it is read: it is the same parse
    // `rustybuzz::Face::from_slice` starts with, so a font that passes gives a shaping
    // face later. (The built-in fonts are parsed by a unit test, `builtin_fonts_parse`.)
    for font in house.fonts.iter().filter(|f| !f.bytes.is_builtin()) {
        ttf_parser::Face::parse(&font.bytes, 0).map_err(|e| Error::Font {
            path: dir.join(&font.name),
            message: format!("not a usable TrueType/OpenType font ({e})"),
        })?;
    }
    Ok(house)
}

/// The embedded bytes of a built-in font or logo, by its name in the built-in style.
fn builtin_file(name: &str) -> Option<Bytes> {
    BUILTIN_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| Bytes::Static(b))
}

/// The built-in style's files: its `house.toml` text and each font and logo by the name
/// that file gives it (`../fonts/NotoSerif-Regular.ttf`, `logo.png`), with the fonts'
/// licence. `briefpress house init` writes them out.
pub fn builtin_files() -> (&'static str, &'static [(&'static str, &'static [u8])]) {
    (BUILTIN_TOML, BUILTIN_FILES)
}

/// The fonts' licence (SIL Open Font License), which must travel with copies of them.
pub const FONT_LICENCE: &[u8] = include_bytes!("../fonts/OFL.txt");

/// A colour the house file sets in `[colours]` without its ink in `[print_colours]`
/// loses the built-in ink (chosen for the built-in colour): the print edition then
/// converts it by rule rather than printing the old colour. `table` is the house file
/// as written, before it is laid over the built-in one.
fn inks_to_forget(table: &DeTable<'_>) -> [bool; 4] {
    let has = |section: &str, key: &str| matches!(table.get(section).map(Spanned::get_ref), Some(DeValue::Table(t)) if t.contains_key(key));
    COLOUR_KEYS.map(|key| has("colours", key) && !has("print_colours", key))
}

/// Forget the inks [`inks_to_forget`] names, in the order of [`COLOUR_KEYS`].
fn forget_inks(style: &mut Style, forget: [bool; 4]) {
    let p = &mut style.print_colours;
    let inks = [&mut p.blue, &mut p.accent, &mut p.text, &mut p.band_text];
    for (ink, forget) in inks.into_iter().zip(forget) {
        if forget {
            *ink = None;
        }
    }
}

/// The file names a house file spells out itself (under `[fonts]` and `masthead.logo`),
/// as opposed to those it leaves to the defaults. The text has already been parsed by
/// [`parse_style`], so a value of the wrong type cannot be here.
fn written_files(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |v: &toml::Value| match v {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) => out.extend(a.iter().filter_map(|x| x.as_str().map(str::to_owned))),
        _ => {}
    };
    if let Some(fonts) = table.get("fonts").and_then(toml::Value::as_table) {
        fonts.values().for_each(&mut push);
    }
    if let Some(logo) = table
        .get("masthead")
        .and_then(toml::Value::as_table)
        .and_then(|m| m.get("logo"))
    {
        push(logo);
    }
    out
}

fn load_assets(
    style: Style,
    origin: String,
    toml: Vec<u8>,
    read: impl Fn(&str) -> Result<Bytes>,
) -> Result<House> {
    let mut fonts = Vec::new();
    for name in style.fonts.all_files() {
        fonts.push(Asset {
            name: name.to_owned(),
            bytes: read(name)?,
        });
    }
    let logo = Asset {
        name: style.masthead.logo.clone(),
        bytes: read(&style.masthead.logo)?,
    };
    let print_profile = match style.print.output_profile.as_str() {
        "" => None,
        name => Some(Asset {
            name: name.to_owned(),
            bytes: read(name)?,
        }),
    };
    Ok(House {
        style,
        origin,
        toml,
        fonts,
        logo,
        print_profile,
    })
}

/// Why `icc` cannot be a print output intent's profile, if it cannot: PDF/X-4 and PDF/A
/// want an output device (`prtr`) profile, and the print edition paints in CMYK.
pub fn print_profile_problem(icc: &[u8]) -> Option<String> {
    let size = icc
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    if icc.len() < 132 || size != Some(icc.len()) || icc.get(36..40) != Some(b"acsp") {
        return Some("is not an ICC profile (no `acsp` signature or a wrong size field)".into());
    }
    if icc.get(12..16) != Some(b"prtr") || icc.get(16..20) != Some(b"CMYK") {
        return Some("is not a CMYK output (printer) ICC profile".into());
    }
    if icc.get(8).is_none_or(|&v| v > 4) {
        return Some("is an ICC profile newer than version 4".into());
    }
    None
}

/// `over` laid over `base`: every key of `over` replaces the same key of `base`, except
/// that where both hold a table, the two tables are laid one over the other in turn.
/// Keys keep the places they were written in, so an error in `over`'s keys or values
/// is located in its text.
fn lay_over<'i>(mut base: DeTable<'i>, over: DeTable<'i>) -> DeTable<'i> {
    for (key, above) in over {
        let below = base.remove(key.get_ref().as_ref());
        let span = above.span();
        let merged = match (below.map(Spanned::into_inner), above.into_inner()) {
            (Some(DeValue::Table(b)), DeValue::Table(a)) => DeValue::Table(lay_over(b, a)),
            (_, a) => a,
        };
        base.insert(key, Spanned::new(span, merged));
    }
    base
}

/// Parse and check `house.toml` text, laid over the built-in one: what `text` leaves
/// out keeps its built-in value.
pub fn parse_style(path: &Path, text: &str) -> Result<Style> {
    parse_over(path, text, Some(BUILTIN_TOML))
}

/// Parse and check `house.toml` `text`, laid over the house file `base` if there is one.
/// Without a base, `text` must name every key (the built-in file does:
/// `the_builtin_file_names_every_key`).
fn parse_over(path: &Path, text: &str, base: Option<&str>) -> Result<Style> {
    let fail = |d: Diagnostic| {
        Error::Source(Box::new(SourceDiagnostics {
            path: path.to_owned(),
            text: text.to_owned(),
            diagnostics: vec![d],
        }))
    };
    let (mut style, forget) = deserialize_over(text, base).map_err(fail)?;
    forget_inks(&mut style, forget);
    tie_figure_labels(&mut style);
    check_print_and_page(&style).map_err(fail)?;
    check_limits(&style, base).map_err(fail)?;
    Ok(style)
}

/// A caption's label is always followed by its number ("Figura 1."): each language's
/// figure label joins the words a number is tied to, if the list lacks it.
fn tie_figure_labels(style: &mut Style) {
    let labels = &style.labels;
    let figures = std::iter::once(&labels.own.figure)
        .chain(labels.languages.values().filter_map(|w| w.figure.as_ref()));
    for f in figures {
        let ties = &mut style.typeset.tie_before_numbers;
        if !ties.contains(f) {
            ties.push(f.clone());
        }
    }
}

/// Deserialize `text` laid over `base` (if any) into a [`Style`], with the inks it
/// leaves to forget ([`inks_to_forget`]); TOML and schema errors as a diagnostic, with
/// a did-you-mean hint for an unknown key.
fn deserialize_over(
    text: &str,
    base: Option<&str>,
) -> std::result::Result<(Style, [bool; 4]), Diagnostic> {
    let parsed = DeTable::parse(text).and_then(|table| {
        let span = table.span();
        let forget = inks_to_forget(table.get_ref());
        let table = match base {
            Some(base) => lay_over(DeTable::parse(base)?.into_inner(), table.into_inner()),
            None => table.into_inner(),
        };
        Style::deserialize(toml::de::Deserializer::from(Spanned::new(span, table)))
            .map(|style| (style, forget))
    });
    parsed.map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().to_owned();
        let mut d = Diagnostic::new(message.clone(), span.clone());
        if message.starts_with("unknown field") {
            let key = text.get(span).unwrap_or("").trim();
            let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect::<Vec<_>>();
            if let Some(s) = did_you_mean(key, &expected) {
                d = d.with_hint(format!("did you mean `{s}`?"));
            }
        }
        d
    })
}

/// Check that the print profile and condition go together and that the page leaves
/// columns wide enough.
fn check_print_and_page(style: &Style) -> std::result::Result<(), Diagnostic> {
    let pr = &style.print;
    if pr.output_profile.is_empty() != pr.output_condition_identifier.is_empty() {
        return Err(Diagnostic::whole_file(
            "print.output_profile and print.output_condition_identifier go together",
        )
        .with_hint("name the profile and the condition it characterises, or neither"));
    }
    let p = &style.page;
    let text_width = p.width - p.margin_left - p.margin_right;
    let col_width = (text_width - p.gutter * f32::from(p.columns.saturating_sub(1)))
        / f32::from(p.columns.max(1));
    if !(1..=4).contains(&p.columns) || col_width < 30.0 {
        return Err(Diagnostic::whole_file(format!(
            "page.columns = {} leaves columns {col_width:.1} mm wide",
            p.columns
        ))
        .with_hint("use 1 to 4 columns at least 30 mm wide"));
    }
    Ok(())
}

/// Check the image size cap, letter spacing, protrusion and text-edition width
/// against their bounds.
fn check_limits(style: &Style, base: Option<&str>) -> std::result::Result<(), Diagnostic> {
    // A hint names the built-in value, read from the built-in file (not when that file
    // is the one being checked).
    let builtin = || base.and_then(|_| defaults().ok());
    let mp = style.inputs.max_image_megapixels;
    if !(1..=MAX_IMAGE_MEGAPIXELS_CEILING).contains(&mp) {
        let mut hint = format!("use 1 to {MAX_IMAGE_MEGAPIXELS_CEILING}");
        if let Some(d) = builtin() {
            hint.push_str(&format!(
                "; {} is the default",
                d.inputs.max_image_megapixels
            ));
        }
        return Err(Diagnostic::whole_file(format!(
            "inputs.max_image_megapixels = {mp} is out of range"
        ))
        .with_hint(hint));
    }
    let t = &style.typeset;
    if !(MIN_LETTER_SPACING..=0.0).contains(&t.letter_spacing_min)
        || !(0.0..=MAX_LETTER_SPACING).contains(&t.letter_spacing_max)
    {
        return Err(Diagnostic::whole_file(format!(
            "typeset.letter_spacing_min = {} and letter_spacing_max = {} are out of range",
            t.letter_spacing_min, t.letter_spacing_max
        ))
        .with_hint(format!(
            "use {MIN_LETTER_SPACING} to 0 and 0 to {MAX_LETTER_SPACING} (em); \
                 -0.008 and 0.02 are the defaults"
        )));
    }
    if !(-MAX_GLYPH_SCALING..=0.0).contains(&t.glyph_scaling_min)
        || !(0.0..=MAX_GLYPH_SCALING).contains(&t.glyph_scaling_max)
    {
        return Err(Diagnostic::whole_file(format!(
            "typeset.glyph_scaling_min = {} and glyph_scaling_max = {} are out of range",
            t.glyph_scaling_min, t.glyph_scaling_max
        ))
        .with_hint(format!(
            "use -{MAX_GLYPH_SCALING} to 0 and 0 to {MAX_GLYPH_SCALING} (a share of the glyph's width); \
                 0 and 0.03 are the defaults"
        )));
    }
    let mut hanging = t.protrude_right.iter().chain(&t.protrude_left);
    if let Some((c, f)) = hanging.find(|(c, f)| c.chars().count() != 1 || !(0.0..=1.0).contains(*f))
    {
        return Err(Diagnostic::whole_file(format!(
            "typeset: protrusion {c:?} = {f} is out of range"
        ))
        .with_hint("one character each, hanging by 0 to 1 of its width"));
    }
    if style.text.width < 20 {
        let mut d = Diagnostic::whole_file("text.width must be at least 20 columns");
        if let Some(b) = builtin() {
            d = d.with_hint(format!("{} is the archive default", b.text.width));
        }
        return Err(d);
    }
    Ok(())
}

impl Style {
    /// Text block width in mm.
    pub fn text_width(&self) -> f32 {
        self.page.width - self.page.margin_left - self.page.margin_right
    }

    /// Width of one body column in mm.
    pub fn column_width(&self) -> f32 {
        let n = f32::from(self.page.columns.max(1));
        (self.text_width() - self.page.gutter * (n - 1.0)) / n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in file alone, with nothing to fall back on, gives a style: it names
    /// every key, so it can be the defaults of every other house file.
    #[test]
    fn the_builtin_file_names_every_key() {
        let alone = parse_over(Path::new("house.toml"), BUILTIN_TOML, None);
        assert!(alone.is_ok(), "{:?}", alone.err().map(|e| e.to_string()));
        let laid_over_itself = parse_style(Path::new("house.toml"), BUILTIN_TOML);
        assert_eq!(alone.ok(), laid_over_itself.ok());
        // A file that leaves a key out, alone, is refused: nothing else fills it in.
        let short = BUILTIN_TOML.replace("width = 210.0\n", "");
        assert!(parse_over(Path::new("h.toml"), &short, None).is_err());
    }

    /// A partial file keeps every key it leaves out, in a section it has and in the
    /// sections it does not, at the built-in value; an empty file is the built-in style.
    #[test]
    fn a_partial_file_falls_back_key_by_key() -> Result<()> {
        let builtin = defaults()?;
        let text = "[page]\ncolumns = 1\n\n[typeset]\nhyphenation = []\n";
        let style = parse_style(Path::new("h.toml"), text)?;
        let mut expected = builtin.clone();
        expected.page.columns = 1;
        expected.typeset.hyphenation.clear();
        assert_eq!(style, expected);
        assert_eq!(parse_style(Path::new("h.toml"), "")?, builtin);
        Ok(())
    }

    #[test]
    fn a_bad_value_in_a_partial_file_is_located_in_it() {
        let err = parse_style(Path::new("h.toml"), "[colours]\n\nblue = 7\n");
        let Err(Error::Source(d)) = err else {
            panic!("expected a located error")
        };
        let out = d.render();
        assert!(out.contains("h.toml:3:8"), "{out}");
    }

    #[test]
    fn letter_spacing_glyph_scaling_and_protrusion_out_of_range_are_refused() {
        for bad in [
            "[typeset]\nletter_spacing_max = 0.5\n",
            "[typeset]\nglyph_scaling_max = 0.2\n",
            "[typeset]\nglyph_scaling_min = 0.01\n",
            "[typeset]\nglyph_scaling_min = -0.06\n",
            "[typeset]\nletter_spacing_min = 0.01\n",
            "[typeset]\nletter_spacing_min = -0.01\n",
            "[typeset]\nprotrude_right = { \".\" = 1.5 }\n",
            "[typeset]\nprotrude_left = { \"ab\" = 0.5 }\n",
        ] {
            let err = parse_style(Path::new("h.toml"), bad);
            let Err(Error::Source(d)) = err else {
                panic!("accepted: {bad}")
            };
            assert!(d.render().contains("typeset"), "{}", d.render());
        }
        let ok =
            "[typeset]\nletter_spacing_min = 0.0\nletter_spacing_max = 0.0\nprotrude_right = {}\n";
        assert!(parse_style(Path::new("h.toml"), ok).is_ok());
    }

    #[test]
    fn print_inks_follow_the_house_colours_they_were_chosen_for() -> Result<()> {
        let built_in = defaults()?;
        assert_eq!(
            built_in.ink(built_in.colours.text),
            Cmyk([0.0, 0.0, 0.0, 100.0])
        );
        assert!(built_in.ink(built_in.colours.text).is_black_only());
        // A house that changes the blue without its ink does not print the old navy.
        let red = parse_style(Path::new("h.toml"), "[colours]\nblue = \"#7A1F1F\"\n")?;
        assert_eq!(red.print_colours.blue, None);
        assert_eq!(
            red.ink(Rgb(0x7A, 0x1F, 0x1F)),
            Cmyk::from_rgb(Rgb(0x7A, 0x1F, 0x1F))
        );
        assert_eq!(red.print_colours.text, built_in.print_colours.text);
        // Written as a dotted key or an inline table, it is the same change.
        for text in [
            "colours.blue = \"#7A1F1F\"\n",
            "colours = { blue = \"#7A1F1F\" }\n",
        ] {
            let red = parse_style(Path::new("h.toml"), text)?;
            assert_eq!(red.print_colours.blue, None, "{text}");
            assert_eq!(red.print_colours.accent, built_in.print_colours.accent);
        }
        // Given with its ink, the ink is used.
        let both = parse_style(
            Path::new("h.toml"),
            "[colours]\nblue = \"#7A1F1F\"\n[print_colours]\nblue = [0, 90, 80, 40]\n",
        )?;
        assert_eq!(both.ink(both.colours.blue), Cmyk([0.0, 90.0, 80.0, 40.0]));
        Ok(())
    }

    #[test]
    fn colours_without_an_ink_convert_greys_to_black_ink_alone() {
        assert_eq!(
            Cmyk::from_rgb(Rgb(0x1A, 0x1A, 0x1A)),
            Cmyk([0.0, 0.0, 0.0, 90.0])
        );
        assert_eq!(Cmyk::from_rgb(Rgb(0, 0, 0)), Cmyk([0.0, 0.0, 0.0, 100.0]));
        assert_eq!(
            Cmyk::from_rgb(Rgb(255, 255, 255)),
            Cmyk([0.0, 0.0, 0.0, 0.0])
        );
        assert_eq!(
            Cmyk::from_rgb(Rgb(255, 0, 0)),
            Cmyk([0.0, 100.0, 100.0, 0.0])
        );
    }

    #[test]
    fn inks_outside_0_to_100_or_not_four_are_refused() {
        for bad in ["[0, 0, 0]", "[0, 0, 0, 101]", "[-1, 0, 0, 0]", "\"black\""] {
            let text = format!("[print_colours]\ntext = {bad}\n");
            assert!(parse_style(Path::new("h.toml"), &text).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_key_is_located_with_a_hint() {
        let err = parse_style(Path::new("h.toml"), "[page]\ncolums = 2\n");
        let Err(Error::Source(d)) = err else {
            panic!("expected a located error")
        };
        let out = d.render();
        assert!(out.contains("h.toml:2:1"), "{out}");
        assert!(out.contains("did you mean `columns`?"), "{out}");
    }

    /// A brief's words come from the table of its tag, then of its language, then
    /// from the house's own; a table may give only some words, and a house file
    /// changes one word of one language without touching the others.
    #[test]
    fn labels_are_looked_up_by_tag_then_language_then_the_house_words() {
        let text = "[labels]\nnotes = \"Endnotes\"\n\
                    [labels.pt-BR]\ncover = \"Capa do livro\"\n\
                    [labels.it]\nnotes = \"Annotazioni\"\n";
        let style = parse_style(Path::new("h.toml"), text).expect("parses");
        let l = &style.labels;
        let br = l.words("pt-BR");
        assert_eq!(br.cover, "Capa do livro");
        assert_eq!(br.notes, "Notas", "the rest from [labels.pt]");
        assert_eq!(l.words("PT-br").cover, "Capa do livro", "tags ignore case");
        assert_eq!(l.words("pt-PT").cover, "Capa");
        assert_eq!(l.words("it").notes, "Annotazioni");
        assert_eq!(l.words("it").figure, "Figura", "the built-in Italian stays");
        assert_eq!(l.words("en-GB").notes, "Endnotes");
        assert_eq!(l.words("fi").notes, "Endnotes", "no table: the house's own");
        assert_eq!(l.words("fi").contents, "Contents");
    }

    /// A key of `[labels]` that is neither a word nor a language tag, and a word a
    /// language's table does not have, are located with a did-you-mean hint; two
    /// tables for one language are refused.
    #[test]
    fn a_mistyped_label_is_located_with_a_hint() {
        for (text, at, hint) in [
            (
                "[labels]\nfigur = \"Fig.\"\n",
                "h.toml:2:1",
                "did you mean `figure`?",
            ),
            (
                "[labels.it]\nnote = \"Note\"\n",
                "h.toml:2:1",
                "did you mean `notes`?",
            ),
        ] {
            let Err(Error::Source(d)) = parse_style(Path::new("h.toml"), text) else {
                panic!("{text}: expected a located error")
            };
            let out = d.render();
            assert!(out.contains(at) && out.contains(hint), "{text}:\n{out}");
        }
        let Err(Error::Source(d)) =
            parse_style(Path::new("h.toml"), "[labels.IT]\nnotes = \"Note\"\n")
        else {
            panic!("expected an error")
        };
        assert!(d.render().contains("name one language"), "{}", d.render());
    }

    /// The hints of the range checks name the built-in values.
    #[test]
    fn range_hints_name_the_built_in_values() {
        for (text, hint) in [
            (
                "[inputs]\nmax_image_megapixels = 0\n",
                "use 1 to 250; 100 is the default",
            ),
            ("[text]\nwidth = 5\n", "72 is the archive default"),
        ] {
            let Err(Error::Source(d)) = parse_style(Path::new("h.toml"), text) else {
                panic!("{text}: expected an error")
            };
            assert!(d.render().contains(hint), "{}", d.render());
        }
    }

    #[test]
    fn bad_colour_is_rejected() {
        assert!(parse_style(Path::new("h.toml"), "[colours]\nblue = \"navy\"\n").is_err());
    }

    #[test]
    fn compile_time_digests_match_the_embedded_files() {
        use sha2::Digest;
        let house = builtin().expect("built-in house");
        for a in house.fonts.iter().chain(std::iter::once(&house.logo)) {
            let direct = crate::hex::encode(&sha2::Sha256::digest(a.bytes.as_slice()));
            assert_eq!(a.sha256(), direct, "{}", a.name);
        }
    }

    #[test]
    fn column_width_follows_the_grid() {
        let s = defaults().expect("built-in style");
        assert!((s.column_width() - 84.0).abs() < 1e-4);
    }
}
