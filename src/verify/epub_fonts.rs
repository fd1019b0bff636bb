//! An embedded font against the house subset it replaces (see [`super::profile`]):
//! the words of an EPUB are only the words a reader sees if each character is drawn
//! by the house glyph for it. A font whose `cmap` sends `3` to the outline of `8`
//! shows other digits than the text holds.
//!
//! Called only when the two files differ, to say how: character by character through
//! both `cmap`s (outline and advance of each glyph), then table by table.

use std::collections::BTreeMap;

/// How the edition's font `a` differs from the house subset `b`, in words.
pub fn diagnose(a: &[u8], b: &[u8]) -> String {
    const AFTER: &str = "a reader may see other characters than the ones checked";
    let (fa, fb) = match (ttf_parser::Face::parse(a, 0), ttf_parser::Face::parse(b, 0)) {
        (Ok(fa), Ok(fb)) => (fa, fb),
        (Err(e), _) => {
            return format!("the font cannot be read as the house subset ({e}); {AFTER}")
        }
        (_, Err(e)) => return format!("the house subset cannot be read ({e})"),
    };
    // The house subset's characters, with their glyphs. The edition's cmap is only
    // asked about single characters: enumerating a hostile one (format 12 groups can
    // each span the whole of Unicode) could take as long as its author likes.
    let gb = glyphs(&fb);
    for (c, h) in &gb {
        let g = char::from_u32(*c).and_then(|ch| glyph(&fa, ch));
        match g {
            Some(g) if g == *h => {}
            Some(g) => {
                // Which house character has the glyph drawn instead, if any.
                let shown = gb
                    .iter()
                    .find(|(_, h)| **h == g)
                    .map_or_else(String::new, |(d, _)| {
                        format!(" (the glyph of {})", show(*d))
                    });
                return format!(
                    "its cmap draws {} with another glyph than the house font's{shown}; {AFTER}",
                    show(*c)
                );
            }
            None => {
                return format!(
                    "its cmap lacks {}, which the house subset has; {AFTER}",
                    show(*c)
                )
            }
        }
    }
    let (ta, tb) = (tables(a), tables(b));
    if ta.get("cmap") != tb.get("cmap") {
        return format!("its cmap maps characters the house subset does not have; {AFTER}");
    }
    let changed: Vec<String> = ta
        .iter()
        .filter(|(tag, data)| tb.get(*tag) != Some(data))
        .map(|(tag, _)| format!("{tag:?}"))
        .collect();
    let missing: Vec<String> = tb
        .keys()
        .filter(|tag| !ta.contains_key(*tag))
        .map(|tag| format!("{tag:?}"))
        .collect();
    match (changed.is_empty(), missing.is_empty()) {
        (true, true) => format!("the font's bytes differ from the house subset; {AFTER}"),
        _ => format!(
            "the font differs from the house subset in its tables ({}{}{}; a substitution or \
             layout table can show other glyphs); {AFTER}",
            changed.join(", "),
            if changed.is_empty() || missing.is_empty() {
                ""
            } else {
                "; missing "
            },
            missing.join(", ")
        ),
    }
}

/// `'3' (U+0033)`.
fn show(c: u32) -> String {
    match char::from_u32(c).filter(|c| !c.is_control() && !c.is_whitespace()) {
        Some(ch) => format!("'{ch}' (U+{c:04X})"),
        None => format!("U+{c:04X}"),
    }
}

/// Each character of the (house) font's Unicode `cmap` with its glyph.
fn glyphs(face: &ttf_parser::Face<'_>) -> BTreeMap<u32, Glyph> {
    let mut chars = Vec::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables {
            if sub.is_unicode() {
                sub.codepoints(|c| chars.push(c));
            }
        }
    }
    chars
        .into_iter()
        .filter_map(|c| Some((c, glyph(face, char::from_u32(c)?)?)))
        .collect()
}

/// A glyph as drawn: its advance and the drawing commands of its outline.
type Glyph = (Option<u16>, Vec<u8>);

/// The glyph `face` draws for `c`, if its cmap maps it.
fn glyph(face: &ttf_parser::Face<'_>, c: char) -> Option<Glyph> {
    let g = face.glyph_index(c)?;
    let mut rec = Record(Vec::new());
    face.outline_glyph(g, &mut rec);
    Some((face.glyph_hor_advance(g), rec.0))
}

/// An outline's drawing commands as bytes, to compare glyphs across fonts.
struct Record(Vec<u8>);

impl Record {
    fn push(&mut self, op: u8, values: &[f32]) {
        self.0.push(op);
        for v in values {
            self.0.extend_from_slice(&v.to_le_bytes());
        }
    }
}

impl ttf_parser::OutlineBuilder for Record {
    fn move_to(&mut self, x: f32, y: f32) {
        self.push(b'M', &[x, y]);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.push(b'L', &[x, y]);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.push(b'Q', &[x1, y1, x, y]);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.push(b'C', &[x1, y1, x2, y2, x, y]);
    }
    fn close(&mut self) {
        self.push(b'Z', &[]);
    }
}

/// The tables of an sfnt font by tag (empty when the directory is broken).
fn tables(font: &[u8]) -> BTreeMap<String, &[u8]> {
    let be16 = |at: usize| {
        font.get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    };
    let be32 = |at: usize| {
        font.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let mut out = BTreeMap::new();
    for i in 0..be16(4).unwrap_or(0) {
        let rec = 12 + 16 * i;
        let (Some(tag), Some(offset), Some(len)) =
            (font.get(rec..rec + 4), be32(rec + 8), be32(rec + 12))
        else {
            break;
        };
        let data = offset
            .checked_add(len)
            .and_then(|end| font.get(offset..end))
            .unwrap_or_default();
        out.insert(String::from_utf8_lossy(tag).into_owned(), data);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A font like `font` with its `cmap` replaced by one mapping each of `map`'s
    /// characters to its glyph id (format 4, one segment each); table checksums are
    /// left stale, as readers do not check them.
    pub(crate) fn with_cmap(font: &[u8], map: &[(u16, u16)]) -> Vec<u8> {
        let put = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_be_bytes());
        let mut segs: Vec<(u16, u16)> = map.to_vec();
        segs.push((0xFFFF, 0));
        let n = segs.len() as u16;
        let mut sub = Vec::new();
        for v in [4, 16 + 8 * n, 0, 2 * n, 2, 0, 0] {
            put(&mut sub, v);
        }
        segs.iter().for_each(|s| put(&mut sub, s.0));
        put(&mut sub, 0);
        segs.iter().for_each(|s| put(&mut sub, s.0));
        segs.iter()
            .for_each(|s| put(&mut sub, s.1.wrapping_sub(s.0)));
        segs.iter().for_each(|_| put(&mut sub, 0));
        let mut cmap = Vec::new();
        for v in [0, 1, 3, 1, 0, 12] {
            put(&mut cmap, v);
        }
        cmap.extend_from_slice(&sub);
        // The new table goes at the end; only its directory record changes.
        let mut out = font.to_vec();
        out.resize(out.len().next_multiple_of(4), 0);
        let at = out.len() as u32;
        out.extend_from_slice(&cmap);
        let count = usize::from(u16::from_be_bytes([font[4], font[5]]));
        for i in 0..count {
            let rec = 12 + 16 * i;
            if &font[rec..rec + 4] == b"cmap" {
                out[rec + 8..rec + 12].copy_from_slice(&at.to_be_bytes());
                out[rec + 12..rec + 16].copy_from_slice(&(cmap.len() as u32).to_be_bytes());
            }
        }
        out
    }

    /// The house sans and a copy whose `cmap` sends `from` to the glyph of `to`.
    fn swapped(from: char, to: char) -> (Vec<u8>, Vec<u8>) {
        let house = crate::house::builtin().unwrap_or_else(|e| panic!("{e}"));
        let bytes = house
            .font("../fonts/NotoSans-Regular.ttf")
            .map(|a| a.bytes.as_slice().to_vec())
            .unwrap_or_else(|| panic!("font"));
        let face = ttf_parser::Face::parse(&bytes, 0).unwrap_or_else(|e| panic!("{e}"));
        let gid = |c: char| face.glyph_index(c).map_or(0, |g| g.0);
        let chars: Vec<char> = ['1', '2', '3', '8']
            .into_iter()
            .chain((from == to).then_some(from))
            .collect();
        let good: Vec<(u16, u16)> = chars.iter().map(|&c| (c as u16, gid(c))).collect();
        let bad: Vec<(u16, u16)> = chars
            .iter()
            .map(|&c| (c as u16, gid(if c == from { to } else { c })))
            .collect();
        (with_cmap(&bytes, &bad), with_cmap(&bytes, &good))
    }

    #[test]
    fn a_cmap_that_draws_other_digits_is_named() {
        let (bad, good) = swapped('3', '8');
        assert_eq!(diagnose(&good, &good), "the font's bytes differ from the house subset; a reader may see other characters than the ones checked");
        let s = diagnose(&bad, &good);
        assert!(s.contains("U+0033") && s.contains("'8'"), "{s}");
        assert!(diagnose(b"junk", &good).contains("cannot be read"));
        let s = diagnose(&good, &bad);
        assert!(s.contains("U+0033") && s.contains("'3'"), "{s}");
        let (more, _) = swapped('9', '9');
        let s = diagnose(&more, &good);
        assert!(
            s.contains("maps characters the house subset does not have"),
            "{s}"
        );
    }
}
