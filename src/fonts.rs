//! Fonts of the house style: which characters they can set.
//!
//! [`Coverage`] answers, when a source is read, which of its characters no house font
//! has, so such a character is a located error long before any edition is rendered.
//! It looks up only the characters a brief uses (a few dozen) in each font's cmap,
//! rather than expanding every cmap into a set: that keeps a one-brief build fast.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::house::{Bytes, House};
pub use crate::house::{Family, Variant};

/// The fonts whose cmaps decide which characters can be set.
///
/// It also carries the house's bound on figure images
/// ([`crate::house::Inputs::max_image_megapixels`]): the parser takes what it needs of
/// the house style in this one value, so every caller that reads a brief applies both.
#[derive(Debug, Clone)]
pub struct Coverage {
    fonts: Vec<(String, Bytes)>,
    all: bool,
    max_image_pixels: u64,
}

impl Default for Coverage {
    fn default() -> Self {
        Coverage {
            fonts: Vec::new(),
            all: false,
            max_image_pixels: default_max_image_pixels(),
        }
    }
}

/// The built-in house style's image bound, in pixels (the decoders' own bound, should
/// that style not load).
fn default_max_image_pixels() -> u64 {
    let megapixels = crate::house::defaults()
        .map_or(crate::house::MAX_IMAGE_MEGAPIXELS_CEILING, |s| {
            s.inputs.max_image_megapixels
        });
    u64::from(megapixels) * 1_000_000
}

impl Coverage {
    /// The coverage of every font in the house style (checked when the house was
    /// loaded: [`crate::house::load`]).
    pub fn of_house(house: &House) -> Coverage {
        Coverage {
            fonts: house
                .fonts
                .iter()
                .map(|f| (f.name.clone(), f.bytes.clone()))
                .collect(),
            all: false,
            max_image_pixels: u64::from(house.style.inputs.max_image_megapixels) * 1_000_000,
        }
    }

    /// The most pixels a figure's image may have.
    pub fn max_image_pixels(&self) -> u64 {
        self.max_image_pixels
    }

    /// The characters of `chars` that no font has a glyph for.
    pub fn missing(&self, chars: &BTreeSet<char>) -> BTreeSet<char> {
        let mut left: BTreeSet<char> = chars
            .iter()
            .copied()
            .filter(|&c| !layout_only(c) && !self.all)
            .collect();
        for (_, bytes) in &self.fonts {
            if left.is_empty() {
                break;
            }
            let Ok(face) = ttf_parser::Face::parse(bytes, 0) else {
                continue;
            };
            left.retain(|&c| face.glyph_index(c).is_none_or(|g| g.0 == 0));
        }
        left
    }

    /// Whether some font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.missing(&BTreeSet::from([c])).is_empty()
    }

    /// A coverage that accepts everything (for tests that do not involve fonts).
    pub fn everything() -> Coverage {
        Coverage {
            fonts: Vec::new(),
            all: true,
            max_image_pixels: default_max_image_pixels(),
        }
    }
}

/// The house fonts parsed for shaping, with the fallback chain of each variant.
///
/// Faces borrow the font bytes held by the [`House`]; index `i` is `house.fonts[i]`.
/// A font is parsed for shaping when first asked for: setting up a shaping face reads
/// its layout tables, and a brief uses a handful of the house's sixteen fonts.
pub struct FontBook<'a> {
    faces: Vec<OnceLock<Option<rustybuzz::Face<'a>>>>,
    names: Vec<OnceLock<String>>,
    house: &'a House,
    /// The fallback chain of each of the eight variants, indexed by [`Variant::index`].
    chains: Vec<Vec<usize>>,
    /// Per font, which of U+0000–U+00FF it has: [`FontBook::has`] is asked for every
    /// character shaped, and a cmap lookup per Latin letter was a tenth of the layout.
    /// Filled per font on first use (a brief uses few of the house fonts).
    latin1: Vec<OnceLock<[u64; 4]>>,
}

impl<'a> FontBook<'a> {
    /// The house fonts (checked when the house was loaded); each is parsed for shaping
    /// on first use.
    pub fn new(house: &'a House) -> FontBook<'a> {
        let n = house.fonts.len();
        let mut book = FontBook {
            faces: (0..n).map(|_| OnceLock::new()).collect(),
            names: (0..n).map(|_| OnceLock::new()).collect(),
            house,
            chains: Vec::new(),
            latin1: (0..n).map(|_| OnceLock::new()).collect(),
        };
        // Chains are asked for once per shaped run: work them out once.
        book.chains = Variant::ALL.map(|v| book.make_chain(v)).to_vec();
        book
    }

    /// The shaping face of font `i`.
    pub fn face(&self, i: usize) -> Option<&rustybuzz::Face<'a>> {
        let bytes = self.bytes(i)?;
        self.faces
            .get(i)?
            .get_or_init(|| rustybuzz::Face::from_slice(bytes, 0))
            .as_ref()
    }

    /// The font file bytes of font `i`.
    pub fn bytes(&self, i: usize) -> Option<&'a [u8]> {
        self.house.fonts.get(i).map(|a| a.bytes.as_slice())
    }

    /// The PostScript name of font `i` (for `/BaseFont`).
    pub fn name(&self, i: usize) -> &str {
        let Some(cell) = self.names.get(i) else {
            return "Font";
        };
        cell.get_or_init(|| {
            let file = self.house.fonts.get(i).map_or("", |f| f.name.as_str());
            self.face(i)
                .and_then(postscript_name)
                .unwrap_or_else(|| fallback_name(file))
        })
    }

    /// Fonts to try for `v`, best first: the variant's own file, its fallbacks, then every
    /// other house font, so that any character [`Coverage`] accepted finds a glyph.
    pub fn chain(&self, v: Variant) -> &[usize] {
        self.chains.get(v.index()).map(Vec::as_slice).unwrap_or(&[])
    }

    fn make_chain(&self, v: Variant) -> Vec<usize> {
        let (main, fallbacks) = self.house.style.fonts.files(v);
        let mut out = Vec::new();
        let names = std::iter::once(main).chain(fallbacks.iter());
        for name in names {
            if let Some(i) = self.house.fonts.iter().position(|a| &a.name == name) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        for i in 0..self.faces.len() {
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    /// Whether font `i` has a glyph for `c`.
    pub fn has(&self, i: usize, c: char) -> bool {
        let Some(face) = self.face(i) else {
            return false;
        };
        let lookup = |c: char| face.glyph_index(c).is_some_and(|g| g.0 != 0);
        let n = u32::from(c);
        match self.latin1.get(i) {
            Some(cell) if n < 256 => {
                let bits = cell.get_or_init(|| {
                    let mut bits = [0u64; 4];
                    for (m, c) in (0..256u32).filter_map(|m| Some((m, char::from_u32(m)?))) {
                        if lookup(c) {
                            bits[m as usize / 64] |= 1 << (m % 64);
                        }
                    }
                    bits
                });
                bits[n as usize / 64] & (1 << (n % 64)) != 0
            }
            _ => lookup(c),
        }
    }
}

/// The PostScript name from the `name` table, restricted to the characters a PDF name
/// may carry without escapes.
fn postscript_name(face: &rustybuzz::Face<'_>) -> Option<String> {
    let names = face.names();
    let name = (0..names.len())
        .filter_map(|i| names.get(i))
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())?;
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!clean.is_empty()).then_some(clean)
}

fn fallback_name(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    let stem = stem.split('.').next().unwrap_or(stem);
    let clean: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if clean.is_empty() {
        "Font".into()
    } else {
        clean
    }
}

/// Characters handled by layout rather than glyphs.
fn layout_only(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{00AD}' | '\u{200B}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use crate::error::{Error, Result};

    /// What `house::load` checks of fonts from disk, and a run takes on trust of the
    /// built-in ones.
    #[test]
    fn builtin_fonts_parse() -> Result<()> {
        let house = crate::house::builtin()?;
        assert!(!house.fonts.is_empty());
        for font in &house.fonts {
            assert!(font.bytes.is_builtin());
            let face = ttf_parser::Face::parse(&font.bytes, 0);
            assert!(face.is_ok(), "{}: {face:?}", font.name);
            assert!(
                rustybuzz::Face::from_slice(&font.bytes, 0).is_some(),
                "{}",
                font.name
            );
        }
        Ok(())
    }

    #[test]
    fn a_broken_font_from_disk_is_refused() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("create", "tmp", e))?;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let toml = std::fs::read_to_string(root.join("branding/house.toml"))
            .map_err(|e| Error::io("read", "house.toml", e))?;
        let house = crate::house::builtin()?;
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(dir.path().join(name), bytes).map_err(|e| Error::io("write", name, e))
        };
        write("house.toml", toml.as_bytes())?;
        for (i, font) in house.fonts.iter().enumerate() {
            let bytes: &[u8] = if i == 0 { &[0; 64] } else { &font.bytes };
            if let Some(parent) = dir.path().join(&font.name).parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
            }
            write(&font.name, bytes)?;
        }
        if let Some(parent) = dir.path().join(&house.logo.name).parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        write(&house.logo.name, &house.logo.bytes)?;
        let err = crate::house::load(&dir.path().join("house.toml")).err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("not a usable"), "{err}");
        assert!(err.contains(&house.fonts[0].name), "{err}");
        Ok(())
    }
}
