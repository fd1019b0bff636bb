//! Web fonts for the EPUB: which characters each house face sets, and subsets of the
//! house fonts holding only those glyphs.
//!
//! The XHTML writer records every character it writes under the [`Variant`] the CSS sets it
//! in; [`embed`] then cuts each house font (and the Georgian/Armenian fallbacks, for the
//! characters the main family lacks, and for a letter whose combining marks it lacks
//! the whole letter, marks and all) down to those glyphs, with a Unicode `cmap` that
//! reading systems and browsers need ([`super::sfnt`]). Layout tables (GSUB/GPOS) are not
//! carried into the subsets, so the EPUB has no kerning or ligatures; its text is set by
//! the reading system anyway.

use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::char::is_combining_mark;

use crate::house::{Family, House, Variant};

/// Characters written, per face.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// Indexed by [`Variant::index`].
    chars: [CharSet; 8],
    /// Letters written with combining marks, per face: [`embed`] puts each in one
    /// font, as the PDF's shaper sets it in one.
    clusters: [BTreeSet<String>; 8],
}

/// The letters of `text` that carry combining marks, each with its marks.
fn marked_clusters(text: &str) -> impl Iterator<Item = &str> {
    let is_mark = |c: char| u32::from(c) >= 0x300 && is_combining_mark(c);
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, c) = chars.next()?;
        if is_mark(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, m)) = chars.peek().filter(|&&(_, m)| is_mark(m)) {
            end = i + m.len_utf8();
            chars.next();
        }
        if end > start + c.len_utf8() {
            return text.get(start..end);
        }
    })
}

impl Usage {
    /// Record that `text` is set in `face`.
    pub fn add(&mut self, face: Variant, text: &str) {
        let set = &mut self.chars[face.index()];
        // Characters a reading system may add by itself in any face that is used:
        // hyphens from `hyphens: auto`, list numbers, spaces.
        if set.is_empty() {
            "0123456789.-\u{2010} \u{a0}"
                .chars()
                .for_each(|c| set.insert(c));
        }
        text.chars()
            .filter(|c| !c.is_control())
            .for_each(|c| set.insert(c));
        let clusters = &mut self.clusters[face.index()];
        for cluster in marked_clusters(text) {
            if !clusters.contains(cluster) {
                clusters.insert(cluster.to_owned());
            }
        }
    }

    /// The faces used, in [`Variant`] order, with their characters.
    fn faces(&self) -> impl Iterator<Item = (Variant, &CharSet)> {
        Variant::ALL
            .into_iter()
            .zip(&self.chars)
            .filter(|(_, set)| !set.is_empty())
    }
}

/// A set of characters. The XHTML writer adds every character it writes, so the common
/// ones (below U+0800: Latin, Greek, Cyrillic, Armenian…) are a bitmap, not a tree.
#[derive(Debug, Clone)]
struct CharSet {
    low: Vec<u64>,
    high: BTreeSet<char>,
    empty: bool,
}

/// Characters below this are kept in the bitmap.
const LOW: u32 = 0x800;

impl Default for CharSet {
    fn default() -> CharSet {
        CharSet {
            low: Vec::new(),
            high: BTreeSet::new(),
            empty: true,
        }
    }
}

impl CharSet {
    fn insert(&mut self, c: char) {
        self.empty = false;
        let v = u32::from(c);
        if v < LOW {
            if self.low.is_empty() {
                self.low = vec![0; (LOW / 64) as usize];
            }
            if let Some(word) = self.low.get_mut((v / 64) as usize) {
                *word |= 1 << (v % 64);
            }
        } else {
            self.high.insert(c);
        }
    }

    fn is_empty(&self) -> bool {
        self.empty
    }

    /// The characters in ascending order.
    fn iter(&self) -> impl Iterator<Item = char> + '_ {
        let low = self.low.iter().enumerate().flat_map(|(i, &word)| {
            (0..64u32)
                .filter(move |b| word & (1 << b) != 0)
                .filter_map(move |b| char::from_u32(i as u32 * 64 + b))
        });
        low.chain(self.high.iter().copied())
    }
}

/// One font file of the EPUB with its `@font-face` description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebFont {
    /// Path inside the EPUB folder, e.g. `fonts/NotoSerif-Regular.ttf`.
    pub href: String,
    /// CSS family name.
    pub family: String,
    pub bold: bool,
    pub italic: bool,
    pub bytes: Vec<u8>,
}

/// The CSS family names of a family: the main face first, then its fallbacks.
pub fn family_stack(house: &House, sans: bool) -> Vec<String> {
    let fonts = &house.style.fonts;
    let base = if sans { "House Sans" } else { "House Serif" };
    let n = if sans {
        fonts
            .sans_fallbacks
            .len()
            .max(fonts.sans_bold_fallbacks.len())
    } else {
        fonts
            .serif_fallbacks
            .len()
            .max(fonts.serif_bold_fallbacks.len())
    };
    let mut out = vec![base.to_owned()];
    out.extend((1..=n).map(|i| format!("{base} {i}")));
    out
}

/// Subset fonts for everything recorded in `usage`, in a fixed order.
pub fn embed(house: &House, usage: &Usage) -> Result<Vec<WebFont>, String> {
    // (family, bold, italic) → (font file name in the house style, characters).
    let mut wanted: BTreeMap<(String, bool, bool), (String, BTreeSet<char>)> = BTreeMap::new();
    for (face, chars) in usage.faces() {
        let (main, fallbacks) = files(house, face);
        let stack = family_stack(house, face.family == Family::Sans);
        let main_face = face_of(house, &main)?;
        for c in chars.iter() {
            let slot = if main_face.glyph_index(c).is_some_and(|g| g.0 != 0) {
                Some((stack[0].clone(), face.italic, main.clone()))
            } else {
                // Fallback fonts have no italics; the reading system slants the upright.
                let mut found = None;
                for (i, f) in fallbacks.iter().enumerate() {
                    if face_of(house, f)?.glyph_index(c).is_some_and(|g| g.0 != 0) {
                        found = stack.get(i + 1).map(|fam| (fam.clone(), false, f.clone()));
                        break;
                    }
                }
                found
            };
            // A character no font has was rejected when the source was read; white space
            // and the like may still land here and are left to the reading system.
            if let Some((family, italic, file)) = slot {
                wanted
                    .entry((family, face.bold, italic))
                    .or_insert_with(|| (file, BTreeSet::new()))
                    .1
                    .insert(c);
            }
        }
        // A letter whose marks the main font lacks goes whole into the first fallback
        // that has all of it (a keycap U+20E3 with its digit): a reading system falls
        // back a cluster at a time, and a subset with the mark but not the letter
        // would send it on to a system font, or to a missing-glyph box.
        let has =
            |face: &ttf_parser::Face<'_>, k: char| face.glyph_index(k).is_some_and(|g| g.0 != 0);
        for cluster in &usage.clusters[face.index()] {
            if cluster.chars().all(|k| has(&main_face, k)) {
                continue;
            }
            for (i, f) in fallbacks.iter().enumerate() {
                if !cluster
                    .chars()
                    .all(|k| face_of(house, f).is_ok_and(|ff| has(&ff, k)))
                {
                    continue;
                }
                if let Some(family) = stack.get(i + 1) {
                    wanted
                        .entry((family.clone(), face.bold, false))
                        .or_insert_with(|| (f.clone(), BTreeSet::new()))
                        .1
                        .extend(cluster.chars());
                }
                break;
            }
        }
    }
    let mut out: Vec<WebFont> = Vec::new();
    for ((family, bold, italic), (file, chars)) in wanted {
        let bytes = super::sfnt::subset(font_bytes(house, &file)?, &chars)
            .map_err(|e| format!("cannot subset font {file}: {e}"))?;
        let mut href = format!("fonts/{}.ttf", stem(&file));
        let mut n = 2;
        while out.iter().any(|f| f.href == href) {
            href = format!("fonts/{}-{n}.ttf", stem(&file));
            n += 1;
        }
        out.push(WebFont {
            href,
            family,
            bold,
            italic,
            bytes,
        });
    }
    Ok(out)
}

/// The main font file of a face and its fallbacks, by house-style name.
fn files(house: &House, face: Variant) -> (String, Vec<String>) {
    let (main, fallbacks) = house.style.fonts.files(face);
    (main.clone(), fallbacks.to_vec())
}

fn font_bytes<'h>(house: &'h House, name: &str) -> Result<&'h [u8], String> {
    house
        .font(name)
        .map(|a| a.bytes.as_slice())
        .ok_or_else(|| format!("font {name} is not loaded"))
}

fn face_of<'h>(house: &'h House, name: &str) -> Result<ttf_parser::Face<'h>, String> {
    ttf_parser::Face::parse(font_bytes(house, name)?, 0)
        .map_err(|e| format!("font {name} is not usable ({e})"))
}

/// A file-name stem safe for an EPUB path.
fn stem(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = file.rsplit_once('.').map_or(file, |(b, _)| b);
    let s: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if s.is_empty() {
        "font".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_keeps_each_face_apart_in_order() {
        let mut usage = Usage::default();
        usage.add(Variant::SANS.bold(), "b\u{10D0}a");
        usage.add(Variant::SERIF.italic(), "\u{7FF}\u{800}\n");
        let faces: Vec<(Variant, String)> = usage
            .faces()
            .map(|(f, set)| (f, set.iter().collect()))
            .collect();
        let base = " -.0123456789\u{a0}";
        assert_eq!(
            faces,
            vec![
                (
                    Variant::SERIF.italic(),
                    format!("{base}\u{7FF}\u{800}\u{2010}")
                ),
                (
                    Variant::SANS.bold(),
                    " -.0123456789ab\u{a0}\u{10D0}\u{2010}".into()
                ),
            ]
        );
        for (i, f) in Variant::ALL.into_iter().enumerate() {
            assert_eq!(f.index(), i);
            assert!(i == 0 || Variant::ALL[i - 1] < f);
        }
    }

    #[test]
    fn a_letter_with_a_mark_its_font_lacks_goes_whole_into_a_fallback() -> Result<(), String> {
        assert_eq!(
            marked_clusters("e\u{301}t\u{301}\u{302} 0\u{20E3}x\u{20E3}").collect::<Vec<_>>(),
            ["e\u{301}", "t\u{301}\u{302}", "0\u{20E3}", "x\u{20E3}"]
        );
        let house = crate::house::builtin().map_err(|e| e.to_string())?;
        let mut usage = Usage::default();
        usage.add(Variant::SERIF, "Press 0\u{20E3} or caf\u{E9}");
        let fonts = embed(&house, &usage)?;
        let mut keycaps = 0;
        for f in &fonts {
            let face = ttf_parser::Face::parse(&f.bytes, 0).map_err(|e| e.to_string())?;
            if face.glyph_index('\u{20E3}').is_some() {
                keycaps += 1;
                assert!(
                    face.glyph_index('0').is_some(),
                    "{} has the keycap without its digit",
                    f.href
                );
                assert_ne!(f.family, "House Serif");
            }
        }
        assert_eq!(keycaps, 1, "one font sets the keycap");
        Ok(())
    }

    #[test]
    fn subsets_are_small_and_keep_a_unicode_cmap() -> Result<(), String> {
        let house = crate::house::builtin().map_err(|e| e.to_string())?;
        let mut usage = Usage::default();
        usage.add(Variant::SERIF, "Tajikistan, Қазақстан, საქართველო");
        let fonts = embed(&house, &usage)?;
        assert_eq!(fonts.len(), 2, "main serif and the Georgian fallback");
        for f in &fonts {
            assert!(
                f.bytes.len() < 40_000,
                "{} is {} bytes",
                f.href,
                f.bytes.len()
            );
            let face = ttf_parser::Face::parse(&f.bytes, 0).map_err(|e| e.to_string())?;
            let probe = if f.family == "House Serif" {
                'Қ'
            } else {
                'ს'
            };
            assert!(
                face.glyph_index(probe).is_some(),
                "{} lacks {probe}",
                f.href
            );
        }
        Ok(())
    }
}
