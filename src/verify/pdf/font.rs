//! What the visibility checks need of a font beyond its `/ToUnicode` map: the glyph
//! widths (to place every shown string on the page), whether it is a Type 3 font (its
//! glyphs are content streams, outside the profile), and which of its codes draw a
//! glyph other than the text its `/ToUnicode` map claims.
//!
//! The glyph check compares outlines. The font program embedded in an edition is a
//! subset without a `cmap` (glyphs renumbered), so the claim "glyph 23 is `1`" is
//! checked against the house font it was cut from: the outline of glyph 23 in the
//! embedded program must be the outline the house font's `cmap` gives for `1` (for a
//! ligature's several letters, the glyph its GSUB ligatures form from them). A swap hidden by
//! the map (draws "$75", reads "$15") and a visible glyph mapped to nothing or to an
//! invisible character both fail. Letters of scripts that shape by context (Arabic,
//! Indic, …) have several glyphs per character; those claims are not checked. Two
//! simple glyphs with the same `glyf` record have the same outline, so equal records
//! settle a glyph before anything is outlined ([`simple_glyph`]).

use std::collections::HashMap;

use super::doc::{Dict, Doc, Obj};
use super::geometry::obj_num;
use super::MAX_STREAM_BYTES;
use crate::verify::cmap::ToUnicode;

/// Most glyphs of one embedded program checked (a subset has a few hundred).
const MAX_CHECKED_GLYPHS: u32 = 1 << 16;

/// The house fonts, by PostScript name, to check embedded glyphs against.
#[derive(Debug, Default)]
pub struct HouseGlyphs<'h> {
    fonts: Vec<(String, &'h [u8])>,
}

impl<'h> HouseGlyphs<'h> {
    /// The fonts of a house style.
    pub fn new(house: &'h crate::house::House) -> HouseGlyphs<'h> {
        let fonts = house
            .fonts
            .iter()
            .filter_map(|a| {
                let face = ttf_parser::Face::parse(&a.bytes, 0).ok()?;
                let name = face
                    .names()
                    .into_iter()
                    .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
                    .and_then(|n| n.to_string())?;
                Some((name, a.bytes.as_slice()))
            })
            .collect();
        HouseGlyphs { fonts }
    }

    fn by_name(&self, name: &str) -> Option<&'h [u8]> {
        self.fonts.iter().find(|(n, _)| n == name).map(|(_, b)| *b)
    }
}

/// Widths and glyph verdicts of one font.
#[derive(Debug, Default)]
pub(super) struct Metrics {
    /// The font's name without its subset tag.
    pub name: String,
    /// Widths in thousandths of the font size, by code.
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// A Type 3 font: glyphs drawn by content streams.
    pub type3: bool,
    /// Codes whose glyph is not the text the map claims, each with why.
    pub bad: HashMap<u32, String>,
    /// Why none of the font's glyphs could be checked, if so.
    pub unchecked: Option<String>,
}

impl Metrics {
    /// Read widths from a font dictionary and check its glyphs against `house`.
    pub(super) fn read(
        doc: &Doc<'_>,
        dict: &Dict<'_>,
        map: Option<&ToUnicode>,
        house: Option<&HouseGlyphs<'_>>,
    ) -> Metrics {
        let base = match dict.get(b"BaseFont") {
            Some(Obj::Name(n)) => String::from_utf8_lossy(n).into_owned(),
            _ => String::new(),
        };
        let name = match base.split_once('+') {
            Some((tag, rest)) if tag.len() == 6 => rest.to_owned(),
            _ => base,
        };
        let mut m = Metrics {
            name,
            type3: dict.name(b"Subtype") == Some(b"Type3"),
            ..Metrics::default()
        };
        let composite = dict.name(b"Subtype") == Some(b"Type0");
        let descendant = if composite {
            match dict.get(b"DescendantFonts").map(|o| doc.resolve(o)) {
                Some(Ok(o)) => match o.into_owned() {
                    Obj::Array(a) => match a.first().map(|f| doc.resolve(f)) {
                        Some(Ok(f)) => match f.into_owned() {
                            Obj::Dict(d) => Some(d),
                            _ => None,
                        },
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            }
        } else {
            None
        };
        match &descendant {
            Some(d) => m.read_cid_widths(doc, d),
            None => m.read_simple_widths(doc, dict),
        }
        if let (Some(house), Some(d), Some(map)) = (house, &descendant, map) {
            m.check_glyphs(doc, d, map, house);
        } else if house.is_some() && !m.type3 {
            m.unchecked = Some(format!(
                "font {} is not a composite font with a ToUnicode map, as the house \
                 fonts are, so its glyphs cannot be checked against its text",
                m.name
            ));
        }
        m
    }

    /// The width of `code` in thousandths of the font size.
    pub(super) fn width(&self, code: u32) -> f64 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
    }

    fn read_cid_widths(&mut self, doc: &Doc<'_>, d: &Dict<'_>) {
        self.default_width = d.get(b"DW").and_then(obj_num).unwrap_or(1000.0);
        let Some(Ok(w)) = d.get(b"W").map(|o| doc.resolve(o)) else {
            return;
        };
        let Obj::Array(w) = w.into_owned() else {
            return;
        };
        let mut i = 0;
        while i < w.len() {
            let Some(first) = obj_num(&w[i]).map(|f| f as u32) else {
                break;
            };
            match w.get(i + 1) {
                Some(Obj::Array(list)) => {
                    for (k, v) in list.iter().enumerate() {
                        if let Some(v) = obj_num(v) {
                            self.widths.insert(first.saturating_add(k as u32), v);
                        }
                    }
                    i += 2;
                }
                Some(last) => {
                    let last = obj_num(last).map_or(first, |l| l as u32);
                    let v = w.get(i + 2).and_then(obj_num).unwrap_or(self.default_width);
                    // A range is capped: a hostile `0 4294967295 500` is not a loop.
                    for c in first..=last.min(first.saturating_add(0xFFFF)) {
                        self.widths.insert(c, v);
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }

    fn read_simple_widths(&mut self, doc: &Doc<'_>, dict: &Dict<'_>) {
        let first = dict.get(b"FirstChar").and_then(obj_num).unwrap_or(0.0) as u32;
        if let Some(Ok(w)) = dict.get(b"Widths").map(|o| doc.resolve(o)) {
            if let Obj::Array(w) = w.into_owned() {
                for (k, v) in w.iter().enumerate() {
                    let v = match v {
                        Obj::Ref(_) => doc.resolve(v).ok().and_then(|v| obj_num(&v)),
                        v => obj_num(v),
                    };
                    if let Some(v) = v {
                        self.widths.insert(first.saturating_add(k as u32), v);
                    }
                }
            }
        }
        // The standard 14 fonts have no /Widths: a rough average keeps positions sane.
        self.default_width = if self.widths.is_empty() { 500.0 } else { 0.0 };
    }

    /// Check each glyph of the embedded program against the house font's outline for
    /// the text its ToUnicode map claims; a glyph that draws otherwise goes to `bad`.
    fn check_glyphs(
        &mut self,
        doc: &Doc<'_>,
        d: &Dict<'_>,
        map: &ToUnicode,
        house: &HouseGlyphs<'_>,
    ) {
        let name = self.name.clone();
        let Some((program, house_bytes)) = self.programs(doc, d, house, &name) else {
            return;
        };
        let (Ok(sub), Ok(full)) = (
            ttf_parser::Face::parse(&program, 0),
            ttf_parser::Face::parse(house_bytes, 0),
        ) else {
            self.unchecked = Some(format!("font {name}: its program cannot be read"));
            return;
        };
        let cids = glyph_map(doc, d, &sub);
        for (cid, gid) in cids.into_iter().take(MAX_CHECKED_GLYPHS as usize) {
            let Some((reads, draws)) = misdrawn(map, &sub, &full, cid, gid) else {
                continue;
            };
            self.bad.insert(
                cid,
                format!("a glyph of font {name} reads {reads} (ToUnicode) but draws {draws}"),
            );
        }
    }

    /// The embedded TrueType program of the font `d` and the house font of the same
    /// `name`; `None` (with why in `unchecked`, when it matters) when either is not there.
    fn programs<'d, 'h>(
        &mut self,
        doc: &Doc<'d>,
        d: &Dict<'d>,
        house: &HouseGlyphs<'h>,
        name: &str,
    ) -> Option<(std::borrow::Cow<'d, [u8]>, &'h [u8])> {
        let descriptor = doc.dict_at(d, b"FontDescriptor").ok().flatten();
        let Some(descriptor) = descriptor.filter(|fd| {
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                .iter()
                .any(|k| fd.get(k).is_some())
        }) else {
            // Not embedded: there are no glyphs here to compare (the viewer draws with
            // a font of its own).
            return None;
        };
        let Some(house_bytes) = house.by_name(name) else {
            self.unchecked = Some(format!(
                "font {name} is not one of the house fonts, so its glyphs cannot be \
                 checked against its text"
            ));
            return None;
        };
        let program = match descriptor.get(b"FontFile2").map(|o| doc.resolve(o)) {
            Some(Ok(o)) => match o.into_owned() {
                Obj::Stream(s) => doc.data(&s, MAX_STREAM_BYTES).ok(),
                _ => None,
            },
            _ => None,
        };
        let Some(program) = program else {
            self.unchecked = Some(format!(
                "font {name} embeds no TrueType program, as the house fonts are, so its \
                 glyphs cannot be checked against its text"
            ));
            return None;
        };
        Some((program, house_bytes))
    }
}

/// The (CID, glyph) pairs of an embedded font `d` whose program is `sub`.
fn glyph_map(doc: &Doc<'_>, d: &Dict<'_>, sub: &ttf_parser::Face<'_>) -> Vec<(u32, u16)> {
    // CID → glyph: the identity unless a stream maps it.
    let cid_to_gid: Option<Vec<u16>> = match d.get(b"CIDToGIDMap").map(|o| doc.resolve(o)) {
        Some(Ok(o)) => match o.into_owned() {
            Obj::Stream(s) => doc.data(&s, MAX_STREAM_BYTES).ok().map(|b| {
                b.chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect()
            }),
            _ => None,
        },
        _ => None,
    };
    match &cid_to_gid {
        Some(m) => (0u32..).zip(m.iter().copied()).collect(),
        None => (0..u32::from(sub.number_of_glyphs()))
            .map(|g| (g, g as u16))
            .collect(),
    }
}

/// What the glyph `gid` of the embedded program `sub`, mapped from `cid`, reads
/// (its ToUnicode text) and draws, when that is not the outline `full`, the house
/// font, gives the text; `None` for a glyph that draws what it reads, one unmapped,
/// and one of a script that shapes by context.
fn misdrawn(
    map: &ToUnicode,
    sub: &ttf_parser::Face<'_>,
    full: &ttf_parser::Face<'_>,
    cid: u32,
    gid: u16,
) -> Option<(String, String)> {
    let text = map.decode(&[(cid >> 8) as u8, cid as u8], 2);
    if text.contains('\u{FFFD}') {
        return None; // Unmapped: drawing it reads as U+FFFD, a word difference.
    }
    // Default-ignorable characters (a soft hyphen, joiners) are not content and
    // have no glyph of their own: a glyph that also claims one is judged by the
    // letters it claims.
    let text: String = text
        .chars()
        .filter(|&c| !crate::content::ignorable(c))
        .collect();
    // A letter and its combining mark ("o" + U+0303) are one glyph when the font has
    // the precomposed letter: the shaper composes them (as HarfBuzz normalises) before
    // it looks the font up, so the glyph expected is that of their NFC form, "õ".
    let composed: String = unicode_normalization::UnicodeNormalization::nfc(text.chars()).collect();
    let text = if composed.chars().count() == 1 {
        composed
    } else {
        text
    };
    let mut chars = text.chars();
    // The house glyph for the text: `Some(None)` when the text is nothing, which no
    // glyph draws.
    let expected: Option<Option<u16>> = match (chars.next(), chars.next()) {
        (None, _) => Some(None),
        (Some(c), None) => full.glyph_index(c).map(|g| Some(g.0)),
        _ => ligature(full, &text).map(Some),
    };
    if let Some(Some(g)) = expected {
        if simple_glyph(sub, gid).is_some_and(|a| simple_glyph(full, g) == Some(a)) {
            return None;
        }
    }
    let drawn = outline(sub, gid);
    let expected = expected.map(|g| g.map_or_else(Vec::new, |g| outline(full, g)));
    if expected.as_ref() == Some(&drawn) || text.chars().any(contextual) {
        return None;
    }
    let reads = format!("{text:?}");
    let draws = if drawn.is_empty() {
        "nothing visible".to_owned()
    } else {
        match (' '..='~').find(|&c| {
            full.glyph_index(c)
                .is_some_and(|g| outline(full, g.0) == drawn)
        }) {
            Some(c) => format!("{:?}", c.to_string()),
            None => "another glyph".to_owned(),
        }
    };
    Some((reads, draws))
}

/// The ligature glyph the house font forms from the letters of `text`, looked up in
/// its GSUB ligature substitutions (a shaping face would cost more to set up than the
/// whole check: milliseconds per font).
fn ligature(face: &ttf_parser::Face<'_>, text: &str) -> Option<u16> {
    use ttf_parser::gsub::SubstitutionSubtable;
    let gids: Vec<ttf_parser::GlyphId> = text
        .chars()
        .map(|c| face.glyph_index(c))
        .collect::<Option<_>>()?;
    let (first, rest) = gids.split_first()?;
    let gsub = face.tables().gsub?;
    for lookup in gsub.lookups {
        for sub in lookup.subtables.into_iter::<SubstitutionSubtable<'_>>() {
            let SubstitutionSubtable::Ligature(l) = sub else {
                continue;
            };
            let Some(set) = l.coverage.get(*first).and_then(|i| l.ligature_sets.get(i)) else {
                continue;
            };
            for lig in set {
                if usize::from(lig.components.len()) == rest.len()
                    && lig.components.into_iter().zip(rest).all(|(a, b)| a == *b)
                {
                    return Some(lig.glyph.0);
                }
            }
        }
    }
    None
}

/// Whether `c` belongs to a script whose letters take several shapes by context.
fn contextual(c: char) -> bool {
    matches!(u32::from(c),
        0x0590..=0x08FF | 0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x0F00..=0x109F
        | 0x1780..=0x18AF | 0xA800..=0xABFF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// The record of a simple glyph in the font's `glyf` table, which alone gives its
/// outline: two fonts holding the same record draw the same outline, so the glyph
/// check compares records before it outlines (a subset copies simple glyphs
/// unchanged; outlining both glyphs was 40 % of reading the seed's PDF back). `None`
/// for a composite glyph, whose components are numbered differently in each font, an
/// empty one, or a font without `glyf`; those are outlined.
fn simple_glyph<'a>(face: &ttf_parser::Face<'a>, gid: u16) -> Option<&'a [u8]> {
    let tables = face.tables();
    let raw = |tag: &[u8; 4]| face.raw_face().table(ttf_parser::Tag::from_bytes(tag));
    let loca = ttf_parser::loca::Table::parse(
        tables.maxp.number_of_glyphs,
        tables.head.index_to_location_format,
        raw(b"loca")?,
    )?;
    let record = raw(b"glyf")?.get(loca.glyph_range(ttf_parser::GlyphId(gid))?)?;
    let contours = i16::from_be_bytes([*record.first()?, *record.get(1)?]);
    (contours >= 0).then_some(record)
}

/// A glyph's outline as a flat list of commands and coordinates.
fn outline(face: &ttf_parser::Face<'_>, gid: u16) -> Vec<f32> {
    struct Rec(Vec<f32>);
    impl ttf_parser::OutlineBuilder for Rec {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.extend([0.0, x, y]);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.extend([1.0, x, y]);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.extend([2.0, x1, y1, x, y]);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.extend([3.0, x1, y1, x2, y2, x, y]);
        }
        fn close(&mut self) {
            self.0.push(4.0);
        }
    }
    let mut rec = Rec(Vec::new());
    face.outline_glyph(ttf_parser::GlyphId(gid), &mut rec);
    rec.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIF: &[u8] = include_bytes!("../../../fonts/NotoSerif-Regular.ttf");

    /// The glyph check's shortcut holds only while a subset copies a simple glyph's
    /// record unchanged: cut one as an edition does and compare.
    #[test]
    fn a_subset_keeps_simple_glyph_records_and_composites_are_outlined() {
        let full = ttf_parser::Face::parse(SERIF, 0).unwrap();
        let a = full.glyph_index('a').unwrap().0;
        let e_acute = full.glyph_index('é').unwrap().0;
        let mapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&[0, a, e_acute]);
        let bytes = subsetter::subset(SERIF, 0, &mapper).unwrap();
        let sub = ttf_parser::Face::parse(&bytes, 0).unwrap();
        let new = |g: u16| mapper.get(g).unwrap();
        let record = simple_glyph(&full, a).unwrap();
        assert_eq!(simple_glyph(&sub, new(a)), Some(record));
        assert_eq!(outline(&sub, new(a)), outline(&full, a));
        // Noto Serif builds "é" from "e" and the acute: a composite, compared by outline.
        assert_eq!(simple_glyph(&full, e_acute), None);
        assert_eq!(outline(&sub, new(e_acute)), outline(&full, e_acute));
    }
}
