//! Type for the cover: lines of text measured with the house fonts and turned into SVG
//! path data from the glyph outlines.
//!
//! Only the cover needs it (a few lines of large type), so it keeps to the fonts' cmaps
//! and advance widths: no shaping, kerning or hinting. Drawing text as outlines rather
//! than SVG `<text>` makes the cover look the same in every reading system, whatever
//! fonts it has, and keeps its words out of the text of the EPUB.

use std::collections::HashMap;

use ttf_parser::{Face, GlyphId, OutlineBuilder};

use crate::house::House;

/// Fonts tried in order for each character.
pub struct Fonts<'a> {
    faces: Vec<Face<'a>>,
}

impl<'a> Fonts<'a> {
    /// The house fonts named `names`, in that order.
    pub fn load<'n>(
        house: &'a House,
        names: impl IntoIterator<Item = &'n String>,
    ) -> Result<Fonts<'a>, String> {
        let mut faces = Vec::new();
        for n in names {
            let asset = house
                .font(n)
                .ok_or_else(|| format!("font {n} is not loaded"))?;
            faces.push(
                Face::parse(&asset.bytes, 0)
                    .map_err(|e| format!("font {n} is not usable ({e})"))?,
            );
        }
        Ok(Fonts { faces })
    }

    /// The face and glyph for `c`, if any font has it.
    fn glyph(&self, c: char) -> Option<(&Face<'a>, GlyphId)> {
        self.faces
            .iter()
            .find_map(|f| f.glyph_index(c).filter(|g| g.0 != 0).map(|g| (f, g)))
    }

    /// Advance width of `text` at `size` units per em, plus `tracking` em per character.
    pub fn width(&self, text: &str, size: f32, tracking: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(c, size) + tracking * size)
            .sum()
    }

    fn advance(&self, c: char, size: f32) -> f32 {
        match self.glyph(c) {
            Some((f, g)) => {
                f32::from(f.glyph_hor_advance(g).unwrap_or(0)) * size
                    / f32::from(f.units_per_em().max(1))
            }
            None => size / 3.0,
        }
    }
}

/// A line of text as one run.
pub struct Run<'t> {
    pub text: &'t str,
    /// Left end of the baseline, in SVG user units (y grows downwards).
    pub x: f32,
    pub y: f32,
    /// Units per em.
    pub size: f32,
    /// Extra space after each character, in em.
    pub tracking: f32,
}

/// The glyphs of the cover, each outline defined once (`<path id>` in `<defs>`) and
/// placed with `<use>` wherever it is set: a cover repeats its letters, and each
/// definition costs ten times what a placement does.
#[derive(Default)]
pub struct Glyphs {
    /// Definition index by face (its data's address) and glyph id.
    ids: HashMap<(usize, u16), usize>,
    /// Path data of each definition, in order of first use; empty for glyphs without
    /// an outline (spaces).
    defs: Vec<String>,
}

impl Glyphs {
    /// Where the glyphs of `run` go: `(definition, x)` with `x` the glyph origin in
    /// thousandths of an em from the run's start. Glyphs without outlines are left out.
    pub fn place(&mut self, fonts: &Fonts<'_>, run: &Run<'_>) -> Vec<(usize, f32)> {
        let em = run.size.max(0.001) / 1000.0;
        let mut pen = 0.0;
        let mut out = Vec::new();
        for c in run.text.chars() {
            if let Some((face, g)) = fonts.glyph(c) {
                let next = self.defs.len();
                let id = *self
                    .ids
                    .entry((face.raw_face().data.as_ptr() as usize, g.0))
                    .or_insert(next);
                if id == next {
                    let mut d = PathData {
                        scale: 1000.0 / f32::from(face.units_per_em().max(1)),
                        ..PathData::default()
                    };
                    face.outline_glyph(g, &mut d);
                    self.defs.push(d.into_string());
                }
                if self.defs.get(id).is_some_and(|d| !d.is_empty()) {
                    out.push((id, pen));
                }
            }
            pen += (fonts.advance(c, run.size) + run.tracking * run.size) / em;
        }
        out
    }

    /// The definitions with an outline: `(index, path data)`.
    pub fn defs(&self) -> impl Iterator<Item = (usize, &str)> {
        self.defs
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.is_empty())
            .map(|(i, d)| (i, d.as_str()))
    }
}

/// SVG path data (`d`) of one glyph outline, in thousandths of an em with y down.
///
/// Points are rounded to a tenth of a unit and written relative to the previous one,
/// which keeps the numbers short.
#[derive(Default)]
pub struct PathData {
    d: String,
    /// Glyph origin in tenths, and font units → user units.
    origin: (i32, i32),
    scale: f32,
    /// Current point and start of the open subpath, in tenths.
    current: (i32, i32),
    start: (i32, i32),
    /// The last command letter written, so repeats of it can be left implicit.
    last: Option<char>,
}

impl PathData {
    /// The path data written so far.
    pub fn into_string(self) -> String {
        self.d
    }

    /// A font-unit point in tenths of a user unit.
    fn pt(&self, x: f32, y: f32) -> (i32, i32) {
        (
            self.origin.0 + tenths(x * self.scale),
            self.origin.1 - tenths(y * self.scale),
        )
    }

    /// Start command `c` (unless it repeats the last one; `m` is never repeated, since
    /// pairs after an `m` would read as `l`).
    fn command(&mut self, c: char) {
        if self.last != Some(c) || c == 'm' {
            self.d.push(c);
            self.last = Some(c);
        }
    }

    /// Write point `p` relative to the current point (without moving it).
    fn point(&mut self, p: (i32, i32)) {
        self.number(p.0 - self.current.0);
        self.number(p.1 - self.current.1);
    }

    /// A number given in tenths, as short as SVG allows: `12`, `1.5`, `.5`, `-.5`.
    fn number(&mut self, v: i32) {
        let after_command = self.d.ends_with(|c: char| c.is_ascii_alphabetic());
        if v >= 0 && !after_command {
            self.d.push(' ');
        }
        if v < 0 {
            self.d.push('-');
        }
        let (whole, tenth) = (v.unsigned_abs() / 10, v.unsigned_abs() % 10);
        if whole != 0 || tenth == 0 {
            // Digits by hand: `write!` costs more than the rest of the outline writing.
            let mut digits = [0u8; 10];
            let mut n = whole;
            let mut i = digits.len();
            loop {
                i -= 1;
                digits[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            digits[i..].iter().for_each(|&b| self.d.push(char::from(b)));
        }
        if tenth != 0 {
            self.d.push('.');
            self.d.push(char::from(b'0' + tenth as u8));
        }
    }
}

/// `v` in tenths, rounded.
fn tenths(v: f32) -> i32 {
    (v * 10.0).round() as i32
}

impl OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = self.pt(x, y);
        self.command('m');
        self.point(p);
        self.current = p;
        self.start = p;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.pt(x, y);
        if p == self.current {
            return;
        }
        // Horizontal and vertical lines, common in type, need only one number.
        let (dx, dy) = (p.0 - self.current.0, p.1 - self.current.1);
        if dy == 0 {
            self.command('h');
            self.number(dx);
        } else if dx == 0 {
            self.command('v');
            self.number(dy);
        } else {
            self.command('l');
            self.point(p);
        }
        self.current = p;
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (c, p) = (self.pt(x1, y1), self.pt(x, y));
        self.command('q');
        self.point(c);
        self.point(p);
        self.current = p;
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (c1, c2, p) = (self.pt(x1, y1), self.pt(x2, y2), self.pt(x, y));
        self.command('c');
        self.point(c1);
        self.point(c2);
        self.point(p);
        self.current = p;
    }

    fn close(&mut self) {
        self.command('z');
        // `z` returns the current point to the start of the subpath.
        self.current = self.start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_data_is_relative_compact_and_closed() {
        let mut w = PathData {
            origin: (100, 1000),
            scale: 0.5,
            ..PathData::default()
        };
        w.move_to(0.0, 0.0);
        w.line_to(1.0, 0.0);
        w.line_to(1.0, 0.0); // No movement: dropped.
        w.line_to(1.0, 21.0);
        w.line_to(3.0, 23.0);
        w.line_to(1.0, 21.0);
        w.quad_to(0.0, 21.0, 0.0, 0.0);
        w.close();
        w.move_to(3.0, 0.0);
        w.close();
        assert_eq!(
            w.into_string(),
            "m10 100h.5v-10.5l1-1-1 1q-.5 0-.5 10.5zm1.5 0z"
        );
    }

    #[test]
    fn numbers_are_written_in_tenths() {
        let mut w = PathData::default();
        w.command('l');
        for v in [0, 5, -5, 10, 105, -1_000_000, i32::MAX, i32::MIN] {
            w.number(v);
        }
        assert_eq!(
            w.into_string(),
            "l0 .5-.5 1 10.5-100000 214748364.7-214748364.8"
        );
    }

    #[test]
    fn each_glyph_is_defined_once_and_placed_where_set() -> Result<(), String> {
        let house = crate::house::builtin().map_err(|e| e.to_string())?;
        let fonts = Fonts::load(&house, [&house.style.fonts.sans_bold])?;
        let run = Run {
            text: "Ab Ab",
            x: 10.0,
            y: 50.0,
            size: 20.0,
            tracking: 0.0,
        };
        let mut glyphs = Glyphs::default();
        let placed = glyphs.place(&fonts, &run);
        let ids: Vec<usize> = placed.iter().map(|p| p.0).collect();
        assert_eq!(ids, [0, 1, 0, 1], "the space has no outline");
        let defs: Vec<(usize, &str)> = glyphs.defs().collect();
        assert_eq!(defs.len(), 2, "A and b, once each");
        for (_, d) in &defs {
            assert!(d.starts_with('m') && d.ends_with('z'), "{d}");
        }
        assert_eq!(defs[0].1.matches('m').count(), 2, "A has two contours");
        // Origins in thousandths of an em: the second "A" after "Ab ".
        let width = fonts.width("Ab ", 20.0, 0.0) / 20.0 * 1000.0;
        assert!((placed[2].1 - width).abs() < 0.01, "{placed:?}");
        assert!(placed[1].1 > 0.0 && placed[1].1 < placed[2].1);
        // A second run in the same face reuses the definitions.
        let again = glyphs.place(&fonts, &run);
        assert_eq!(again, placed);
        assert_eq!(glyphs.defs().count(), 2);
        Ok(())
    }
}
