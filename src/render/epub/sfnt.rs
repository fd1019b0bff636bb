//! Web-font subsets: `subsetter` cuts the glyphs, this module adds what a web font needs
//! on top.
//!
//! The PDF's subsets come from `subsetter`, which reads only the glyphs it keeps. It
//! leaves out `cmap` and `OS/2`, since a PDF CID font carries its own character map.
//! Reading systems and browsers reject a web font without them (Chrome's OTS needs
//! both). allsorts writes them, but parses every glyph of the font first, which cost
//! more than the rest of the EPUB together. No crate adds tables to a finished font, so
//! the small part done here by hand is:
//! - a Unicode `cmap` (format 4, plus format 12 beyond the BMP) for the new glyph ids;
//! - the original `OS/2`, with its first and last character fields set to the subset's;
//! - the hinting removed ([`unhint`]), which reading systems do not use;
//! - the table directory rebuilt with checksums (OpenType spec, "Font file" chapter).
//!
//! write-fonts (in the lock file through subsetter) can write the `cmap`
//! (`Cmap::from_mappings`) and the directory (`FontBuilder`), and was measured against
//! this module on the subsets of NotoSerif-Regular and NotoSans-Bold for the long
//! fixture (release build): every character maps to the same glyph, and it is faster
//! (4.7 µs against 9.5 µs a font), but its `cmap` carries a Unicode-platform record
//! beside the Windows one (204 against 196 bytes) and it orders tables differently, so
//! every EPUB's bytes would change. That is the only reason this stays; switching is a
//! deliberate change of the EPUB goldens. Neither crate removes hinting or patches
//! `OS/2`, so [`unhint`] and [`os2_for`] stay either way.

use std::collections::BTreeSet;

/// Font tables by tag.
type Tables = Vec<([u8; 4], Vec<u8>)>;

/// A subset of the TrueType font `bytes` holding the glyphs of `chars` (and the
/// glyphs they are built from), with a Unicode `cmap`. Characters the font lacks are
/// left out.
pub fn subset(bytes: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(bytes, 0).map_err(|e| e.to_string())?;
    let mapped: Vec<(char, u16)> = chars
        .iter()
        .filter_map(|&c| face.glyph_index(c).map(|g| (c, g.0)))
        .filter(|&(_, g)| g != 0)
        .collect();
    // Glyph 0 (.notdef) must come first; sorting keeps it there.
    let mut glyphs: Vec<u16> = vec![0];
    glyphs.extend(mapped.iter().map(|&(_, g)| g));
    glyphs.sort_unstable();
    glyphs.dedup();
    let mapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
    let cut = subsetter::subset(bytes, 0, &mapper).map_err(|e| format!("{e:?}"))?;
    let map: Vec<(u32, u16)> = mapped
        .iter()
        .filter_map(|&(c, g)| mapper.get(g).map(|new| (u32::from(c), new)))
        .collect();
    let mut tables = tables(&cut)?;
    unhint(&mut tables)?;
    tables.push((*b"cmap", cmap(&map)));
    if let Some(os2) = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2")) {
        tables.push((*b"OS/2", os2_for(os2, &map)));
    }
    // The subset keeps the font's flavour: TrueType outlines or CFF (`OTTO`).
    let flavour = cut.get(..4).ok_or("subset font is empty")?;
    assemble(flavour, tables)
}

/// The tables of an sfnt font, by tag, as owned bytes.
fn tables(font: &[u8]) -> Result<Tables, String> {
    let bad = || "subset font has a broken table directory".to_string();
    let count = font.get(4..6).ok_or_else(bad)?;
    let count = usize::from(u16::from_be_bytes([count[0], count[1]]));
    (0..count)
        .map(|i| {
            let rec = font.get(12 + 16 * i..28 + 16 * i).ok_or_else(bad)?;
            let at = |k: usize| u32::from_be_bytes([rec[k], rec[k + 1], rec[k + 2], rec[k + 3]]);
            let (offset, len) = (at(8) as usize, at(12) as usize);
            let data = font.get(offset..offset + len).ok_or_else(bad)?;
            Ok(([rec[0], rec[1], rec[2], rec[3]], data.to_vec()))
        })
        .collect()
}

/// The table with tag `tag`.
fn table<'t>(tables: &'t Tables, tag: &[u8; 4]) -> Option<&'t [u8]> {
    tables
        .iter()
        .find(|(t, _)| t == tag)
        .map(|(_, d)| d.as_slice())
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
}

/// Remove the TrueType hinting: the `fpgm`, `prep` and `cvt ` programs, and each glyph's
/// instructions (which call them), with `loca` and `maxp` to match. Reading systems set
/// EPUB text unhinted, as browsers do outside Windows; for the house fonts the hints
/// were two fifths of every subset (the same choice as `pyftsubset --no-hinting`).
fn unhint(tables: &mut Tables) -> Result<(), String> {
    let bad = |what: &str| format!("subset font has a broken {what} table");
    let (Some(head), Some(maxp), Some(loca), Some(glyf)) = (
        table(tables, b"head"),
        table(tables, b"maxp"),
        table(tables, b"loca"),
        table(tables, b"glyf"),
    ) else {
        return Ok(()); // not TrueType outlines: nothing to remove
    };
    let long = u16_at(head, 50).ok_or_else(|| bad("head"))? != 0;
    let glyphs = usize::from(u16_at(maxp, 4).ok_or_else(|| bad("maxp"))?);
    let offset = |i: usize| -> Option<usize> {
        if long {
            loca.get(4 * i..4 * i + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        } else {
            u16_at(loca, 2 * i).map(|v| 2 * usize::from(v))
        }
    };
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_offsets = vec![0usize];
    for i in 0..glyphs {
        let (a, b) = (
            offset(i).ok_or_else(|| bad("loca"))?,
            offset(i + 1).ok_or_else(|| bad("loca"))?,
        );
        let data = glyf.get(a..b).ok_or_else(|| bad("glyf"))?;
        if !data.is_empty() {
            new_glyf.extend_from_slice(&without_instructions(data).ok_or_else(|| bad("glyf"))?);
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
        new_offsets.push(new_glyf.len());
    }
    let short = new_glyf.len() / 2 <= usize::from(u16::MAX);
    let mut new_loca = Vec::new();
    for &o in &new_offsets {
        if short {
            put16(&mut new_loca, (o / 2) as u16);
        } else {
            put32(&mut new_loca, o as u32);
        }
    }
    let mut new_head = head.to_vec();
    let mut new_maxp = maxp.to_vec();
    new_head
        .get_mut(50..52)
        .ok_or_else(|| bad("head"))?
        .copy_from_slice(&u16::from(!short).to_be_bytes());
    // maxp 1.0, bytes 16–27: no twilight points, storage, function or instruction
    // definitions, stack or instructions (maxZones, before them, stays).
    if let Some(fields) = new_maxp.get_mut(16..28) {
        fields.fill(0);
    }
    tables.retain(|(t, _)| !matches!(t, b"fpgm" | b"prep" | b"cvt "));
    for (tag, data) in tables.iter_mut() {
        match &*tag {
            b"glyf" => *data = std::mem::take(&mut new_glyf),
            b"loca" => *data = std::mem::take(&mut new_loca),
            b"head" => *data = std::mem::take(&mut new_head),
            b"maxp" => *data = std::mem::take(&mut new_maxp),
            _ => {}
        }
    }
    Ok(())
}

/// One `glyf` entry without its instructions (OpenType `glyf`: simple glyphs carry
/// `instructionLength` after the contour ends; composite glyphs carry instructions
/// after the last component when its `WE_HAVE_INSTRUCTIONS` flag is set).
fn without_instructions(data: &[u8]) -> Option<Vec<u8>> {
    let contours = i16::from_be_bytes([*data.first()?, *data.get(1)?]);
    if contours >= 0 {
        let at = 10 + 2 * contours as usize;
        let len = usize::from(u16_at(data, at)?);
        let mut out = data.get(..at)?.to_vec();
        put16(&mut out, 0);
        out.extend_from_slice(data.get(at + 2 + len..)?);
        return Some(out);
    }
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    const INSTRUCTIONS: u16 = 0x0100;
    let mut out = data.get(..10)?.to_vec();
    let mut at = 10;
    loop {
        let flags = u16_at(data, at)?;
        let args = if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        let transform = if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        let end = at + 4 + args + transform;
        put16(&mut out, flags & !INSTRUCTIONS);
        out.extend_from_slice(data.get(at + 2..end)?);
        at = end;
        if flags & MORE_COMPONENTS == 0 {
            return Some(out);
        }
    }
}

/// A `cmap` table for `map` (code point → glyph id, ascending by code point): a Windows
/// Unicode BMP subtable (format 4) and, when any code point lies beyond the BMP, a
/// Windows full-repertoire subtable (format 12).
fn cmap(map: &[(u32, u16)]) -> Vec<u8> {
    let bmp: Vec<(u32, u16)> = map.iter().copied().filter(|&(c, _)| c < 0xFFFF).collect();
    let format4 = format4(&bmp);
    let format12 = map.iter().any(|&(c, _)| c > 0xFFFF).then(|| format12(map));
    let subtables = 1 + u16::from(format12.is_some());
    let mut out = Vec::new();
    put16(&mut out, 0); // version
    put16(&mut out, subtables);
    let mut offset = 4 + 8 * u32::from(subtables);
    put16(&mut out, 3); // Windows
    put16(&mut out, 1); // Unicode BMP
    put32(&mut out, offset);
    if let Some(f12) = &format12 {
        offset += format4.len() as u32;
        put16(&mut out, 3);
        put16(&mut out, 10); // Unicode full repertoire
        put32(&mut out, offset);
        out.extend_from_slice(&format4);
        out.extend_from_slice(f12);
    } else {
        out.extend_from_slice(&format4);
    }
    out
}

/// Runs of consecutive code points whose glyph ids are consecutive too: each is one
/// segment of format 4 or one group of format 12.
fn runs(map: &[(u32, u16)]) -> Vec<(u32, u32, u16)> {
    let mut runs: Vec<(u32, u32, u16)> = Vec::new();
    for &(c, g) in map {
        match runs.last_mut() {
            Some((start, end, first))
                if c == *end + 1 && u32::from(*first) + (c - *start) == u32::from(g) =>
            {
                *end = c;
            }
            _ => runs.push((c, c, g)),
        }
    }
    runs
}

/// cmap subtable format 4 (segment mapping to delta values), all segments by delta.
fn format4(map: &[(u32, u16)]) -> Vec<u8> {
    let mut segments: Vec<(u16, u16, u16)> = runs(map)
        .into_iter()
        .map(|(start, end, g)| (start as u16, end as u16, g.wrapping_sub(start as u16)))
        .collect();
    // The last segment must map 0xFFFF; to glyph 0 here.
    segments.push((0xFFFF, 0xFFFF, 1));
    let n = segments.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16; // floor(log2(n))
    let search_range = 2 << entry_selector; // 2 × 2^floor(log2(n))
    let mut out = Vec::new();
    put16(&mut out, 4);
    put16(&mut out, 16 + 8 * n); // length
    put16(&mut out, 0); // language
    put16(&mut out, 2 * n);
    put16(&mut out, search_range);
    put16(&mut out, entry_selector);
    put16(&mut out, 2 * n - search_range);
    segments.iter().for_each(|s| put16(&mut out, s.1));
    put16(&mut out, 0); // reserved pad
    segments.iter().for_each(|s| put16(&mut out, s.0));
    segments.iter().for_each(|s| put16(&mut out, s.2));
    segments.iter().for_each(|_| put16(&mut out, 0)); // idRangeOffset: none
    out
}

/// cmap subtable format 12 (segmented coverage).
fn format12(map: &[(u32, u16)]) -> Vec<u8> {
    let groups = runs(map);
    let mut out = Vec::new();
    put16(&mut out, 12);
    put16(&mut out, 0); // reserved
    put32(&mut out, 16 + 12 * groups.len() as u32); // length
    put32(&mut out, 0); // language
    put32(&mut out, groups.len() as u32);
    for (start, end, g) in groups {
        put32(&mut out, start);
        put32(&mut out, end);
        put32(&mut out, u32::from(g));
    }
    out
}

/// The font's `OS/2` table with `usFirstCharIndex` and `usLastCharIndex` (bytes 64–67,
/// present in every version) set to the subset's characters.
fn os2_for(os2: &[u8], map: &[(u32, u16)]) -> Vec<u8> {
    let mut out = os2.to_vec();
    let first = map.first().map_or(0, |&(c, _)| c.min(0xFFFF) as u16);
    let last = map.last().map_or(0, |&(c, _)| c.min(0xFFFF) as u16);
    if let Some(field) = out.get_mut(64..68) {
        field[..2].copy_from_slice(&first.to_be_bytes());
        field[2..].copy_from_slice(&last.to_be_bytes());
    }
    out
}

/// A font of `tables` with the sfnt version `flavour`: sorted by tag, each 4-byte
/// aligned, with table checksums and the `head` checksum adjustment.
fn assemble(flavour: &[u8], mut tables: Tables) -> Result<Vec<u8>, String> {
    tables.sort_by_key(|t| t.0);
    let n = u16::try_from(tables.len()).map_err(|_| "too many font tables".to_string())?;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = 16 << entry_selector;
    let mut out = Vec::new();
    out.extend_from_slice(flavour);
    put16(&mut out, n);
    put16(&mut out, search_range);
    put16(&mut out, entry_selector);
    put16(&mut out, n * 16 - search_range);
    let mut offset = 12 + 16 * tables.len();
    let mut adjustment_at = None;
    for (tag, data) in &mut tables {
        if tag == b"head" {
            // Zero while summing; set once the whole font is summed.
            let field = data
                .get_mut(8..12)
                .ok_or_else(|| "subset font has a short head table".to_string())?;
            field.fill(0);
            adjustment_at = Some(offset + 8);
        }
        out.extend_from_slice(tag);
        put32(&mut out, checksum(data));
        put32(&mut out, offset as u32);
        put32(&mut out, data.len() as u32);
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = adjustment_at {
        let value = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&value.to_be_bytes());
    }
    Ok(out)
}

/// The OpenType table checksum: the sum of big-endian u32 words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn house_font(name: &str) -> Vec<u8> {
        let house = crate::house::builtin().unwrap_or_else(|e| panic!("{e}"));
        house
            .font(&format!("../fonts/{name}"))
            .map(|a| a.bytes.as_slice().to_vec())
            .unwrap_or_else(|| panic!("{name} missing"))
    }

    #[test]
    fn subset_maps_every_character_to_the_same_outline_and_advance() {
        let bytes = house_font("NotoSerif-Regular.ttf");
        let chars: BTreeSet<char> = "Tajikistan — “Қазақстан” fiﬁ 0123 é".chars().collect();
        let sub = subset(&bytes, &chars).unwrap_or_else(|e| panic!("{e}"));
        let (old, new) = (
            ttf_parser::Face::parse(&bytes, 0).unwrap_or_else(|e| panic!("{e}")),
            ttf_parser::Face::parse(&sub, 0).unwrap_or_else(|e| panic!("{e}")),
        );
        assert!(sub.len() < bytes.len() / 10, "{} bytes", sub.len());
        for &c in &chars {
            let (Some(a), Some(b)) = (old.glyph_index(c), new.glyph_index(c)) else {
                panic!("{c:?} lost");
            };
            assert_eq!(old.glyph_hor_advance(a), new.glyph_hor_advance(b), "{c:?}");
            assert_eq!(
                old.glyph_bounding_box(a),
                new.glyph_bounding_box(b),
                "{c:?}"
            );
            assert_eq!(outline(&old, a), outline(&new, b), "{c:?}");
        }
        assert_eq!(new.glyph_index('Z'), None, "unused characters are left out");
        let os2 = new
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"OS/2"))
            .unwrap_or_else(|| panic!("OS/2 missing"));
        assert_eq!(&os2[64..68], &[0, 0x20, 0xFB, 0x01], "first ' ', last 'ﬁ'");
    }

    /// The drawing commands of a glyph's outline.
    fn outline(face: &ttf_parser::Face<'_>, g: ttf_parser::GlyphId) -> Vec<String> {
        struct Record(Vec<String>);
        impl ttf_parser::OutlineBuilder for Record {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0.push(format!("M{x} {y}"));
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0.push(format!("L{x} {y}"));
            }
            fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
                self.0.push(format!("Q{x1} {y1} {x} {y}"));
            }
            fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
                self.0.push(format!("C{x1} {y1} {x2} {y2} {x} {y}"));
            }
            fn close(&mut self) {
                self.0.push("Z".into());
            }
        }
        let mut r = Record(Vec::new());
        face.outline_glyph(g, &mut r);
        r.0
    }

    #[test]
    fn hinting_is_removed_from_simple_and_composite_glyphs() {
        let bytes = house_font("NotoSerif-Regular.ttf");
        let chars: BTreeSet<char> = "aé Åİ".chars().collect();
        let sub = subset(&bytes, &chars).unwrap_or_else(|e| panic!("{e}"));
        let t = tables(&sub).unwrap_or_else(|e| panic!("{e}"));
        for gone in [b"fpgm", b"prep", b"cvt "] {
            assert!(table(&t, gone).is_none(), "{gone:?} left");
        }
        let (Some(glyf), Some(maxp)) = (table(&t, b"glyf"), table(&t, b"maxp")) else {
            panic!("glyf and maxp");
        };
        assert_eq!(u16_at(maxp, 26), Some(0), "maxSizeOfInstructions");
        let face = ttf_parser::Face::parse(&sub, 0).unwrap_or_else(|e| panic!("{e}"));
        let (Some(loca), Some(head)) = (table(&t, b"loca"), table(&t, b"head")) else {
            panic!("loca and head");
        };
        let long = u16_at(head, 50) == Some(1);
        let at = |i: usize| {
            if long {
                u32::from_be_bytes([
                    loca[4 * i],
                    loca[4 * i + 1],
                    loca[4 * i + 2],
                    loca[4 * i + 3],
                ]) as usize
            } else {
                2 * usize::from(u16_at(loca, 2 * i).unwrap_or(0))
            }
        };
        let (mut simple, mut composite) = (0, 0);
        for g in 0..usize::from(face.number_of_glyphs()) {
            let data = &glyf[at(g)..at(g + 1)];
            if data.is_empty() {
                continue;
            }
            let contours = i16::from_be_bytes([data[0], data[1]]);
            if contours >= 0 {
                simple += 1;
                let at = 10 + 2 * contours as usize;
                assert_eq!(u16_at(data, at), Some(0), "glyph {g} keeps instructions");
            } else {
                composite += 1;
            }
        }
        assert!(
            simple > 0 && composite > 0,
            "{simple} simple, {composite} composite"
        );
        let old = ttf_parser::Face::parse(&bytes, 0).unwrap_or_else(|e| panic!("{e}"));
        for c in chars.into_iter().filter(|c| !c.is_whitespace()) {
            let (Some(a), Some(b)) = (old.glyph_index(c), face.glyph_index(c)) else {
                panic!("{c:?} lost");
            };
            assert_eq!(outline(&old, a), outline(&face, b), "{c:?}");
        }
    }

    #[test]
    fn directory_checksums_and_head_adjustment_hold() {
        let bytes = house_font("NotoSans-Bold.ttf");
        let chars: BTreeSet<char> = "Brief 2016".chars().collect();
        let sub = subset(&bytes, &chars).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(checksum(&sub), 0xB1B0_AFBA, "whole-font checksum");
        let tables = tables(&sub).unwrap_or_else(|e| panic!("{e}"));
        let tags: Vec<&[u8; 4]> = tables.iter().map(|(t, _)| t).collect();
        assert!(tags.windows(2).all(|w| w[0] < w[1]), "sorted by tag");
        for want in [
            b"OS/2", b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca",
        ] {
            assert!(tags.contains(&want), "{}", String::from_utf8_lossy(want));
        }
        for i in 0..tables.len() {
            let rec = &sub[12 + 16 * i..28 + 16 * i];
            let sum = u32::from_be_bytes([rec[4], rec[5], rec[6], rec[7]]);
            let mut data = tables[i].1.clone();
            if &tables[i].0 == b"head" {
                data[8..12].fill(0);
            }
            assert_eq!(sum, checksum(&data), "{:?}", tables[i].0);
        }
    }

    #[test]
    fn cmap_beyond_the_bmp_gets_a_format_12_subtable() {
        let map = [(0x41, 1), (0x42, 2), (0x44, 3), (0x1_F600, 4)];
        let table = cmap(&map);
        let parsed = ttf_parser::cmap::Table::parse(&table).unwrap_or_else(|| panic!("cmap"));
        for &(c, g) in &map {
            let found = parsed
                .subtables
                .into_iter()
                .filter(|s| s.is_unicode())
                .find_map(|s| s.glyph_index(c));
            assert_eq!(found, Some(ttf_parser::GlyphId(g)), "U+{c:X}");
        }
        assert_eq!(
            runs(&map),
            vec![(0x41, 0x42, 1), (0x44, 0x44, 3), (0x1_F600, 0x1_F600, 4)]
        );
    }
}
