//! Fonts of the house style: which characters they can set.
//!
//! [`Coverage`] is computed once per house style from the fonts' cmap tables and used
//! when a source is read, so a character that no font has is a located error long
//! before any edition is rendered.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::house::House;

/// The set of characters some house font maps to a glyph.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    chars: BTreeSet<char>,
    all: bool,
}

impl Coverage {
    /// Union of the cmaps of every font in the house style.
    pub fn of_house(house: &House) -> Result<Coverage> {
        let mut chars = BTreeSet::new();
        for font in &house.fonts {
            let face = ttf_parser::Face::parse(&font.bytes, 0).map_err(|e| Error::Font {
                path: PathBuf::from(&font.name),
                message: format!("not a usable TrueType/OpenType font ({e})"),
            })?;
            let Some(cmap) = face.tables().cmap else {
                continue;
            };
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|cp| {
                    if let Some(c) = char::from_u32(cp) {
                        if sub.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                            chars.insert(c);
                        }
                    }
                });
            }
        }
        Ok(Coverage { chars, all: false })
    }

    /// Whether some font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        // Characters handled by layout rather than glyphs.
        matches!(c, '\n' | '\r' | '\t' | '\u{00AD}' | '\u{200B}' | '\u{FEFF}')
            || self.all
            || self.chars.contains(&c)
    }

    /// A coverage that accepts everything (for tests that do not involve fonts).
    pub fn everything() -> Coverage {
        Coverage {
            chars: BTreeSet::new(),
            all: true,
        }
    }
}
