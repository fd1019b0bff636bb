//! A small text rasteriser for the cover: glyph outlines from the house fonts, filled
//! with 4× vertical oversampling and exact horizontal coverage.
//!
//! Only the cover needs it (a few lines of large type), so it trades speed for brevity:
//! no hinting, no kerning, no shaping beyond the fonts' cmaps.

use image::{Rgba, RgbaImage};
use ttf_parser::{Face, OutlineBuilder};

/// Sub-scanlines per pixel row.
const OVERSAMPLE: usize = 4;

/// Fonts tried in order for each character.
pub struct Fonts<'a> {
    pub faces: Vec<Face<'a>>,
}

impl Fonts<'_> {
    /// The face and glyph for `c`, if any font has it.
    fn glyph(&self, c: char) -> Option<(&Face<'_>, ttf_parser::GlyphId)> {
        self.faces
            .iter()
            .find_map(|f| f.glyph_index(c).filter(|g| g.0 != 0).map(|g| (f, g)))
    }

    /// Advance width of `text` at `size` pixels per em, plus `tracking` em per character.
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

/// Greedy line breaking of `text` into lines at most `max` pixels wide.
pub fn wrap(fonts: &Fonts<'_>, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fonts.width(&candidate, size, 0.0) > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draw `text` with its baseline at `(x, y)` pixels.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    img: &mut RgbaImage,
    fonts: &Fonts<'_>,
    text: &str,
    x: f32,
    y: f32,
    size: f32,
    tracking: f32,
    colour: Rgba<u8>,
) {
    let mut edges = Edges {
        segs: Vec::new(),
        start: (0.0, 0.0),
        last: (0.0, 0.0),
        ox: 0.0,
        oy: y,
        scale: 0.0,
    };
    let mut pen = x;
    for c in text.chars() {
        if let Some((face, g)) = fonts.glyph(c) {
            edges.ox = pen;
            edges.scale = size / f32::from(face.units_per_em().max(1));
            face.outline_glyph(g, &mut edges);
        }
        pen += fonts.advance(c, size) + tracking * size;
    }
    fill(img, &edges.segs, colour);
}

/// A line segment from one point to another, in pixels.
type Segment = ((f32, f32), (f32, f32));

/// Line segments of glyph outlines in pixel space.
struct Edges {
    segs: Vec<Segment>,
    start: (f32, f32),
    last: (f32, f32),
    ox: f32,
    oy: f32,
    scale: f32,
}

impl Edges {
    fn pt(&self, x: f32, y: f32) -> (f32, f32) {
        (self.ox + x * self.scale, self.oy - y * self.scale)
    }

    fn line(&mut self, p: (f32, f32)) {
        self.segs.push((self.last, p));
        self.last = p;
    }
}

impl OutlineBuilder for Edges {
    fn move_to(&mut self, x: f32, y: f32) {
        self.start = self.pt(x, y);
        self.last = self.start;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.pt(x, y);
        self.line(p);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (p0, p1, p2) = (self.last, self.pt(x1, y1), self.pt(x, y));
        for i in 1..=8 {
            let t = i as f32 / 8.0;
            let u = 1.0 - t;
            self.line((
                u * u * p0.0 + 2.0 * u * t * p1.0 + t * t * p2.0,
                u * u * p0.1 + 2.0 * u * t * p1.1 + t * t * p2.1,
            ));
        }
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (p0, p1, p2, p3) = (self.last, self.pt(x1, y1), self.pt(x2, y2), self.pt(x, y));
        for i in 1..=12 {
            let t = i as f32 / 12.0;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.line((
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            ));
        }
    }

    fn close(&mut self) {
        let s = self.start;
        if self.last != s {
            self.line(s);
        }
    }
}

/// Fill the outlines (non-zero winding) in `colour`, blending by coverage.
fn fill(img: &mut RgbaImage, segs: &[Segment], colour: Rgba<u8>) {
    let (w, h) = img.dimensions();
    let ys = segs.iter().flat_map(|(a, b)| [a.1, b.1]);
    let (top, bottom) = ys.fold((f32::MAX, f32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if segs.is_empty() {
        return;
    }
    let first = top.floor().max(0.0) as u32;
    let last = (bottom.ceil().max(0.0) as u32).min(h);
    if first >= last {
        return;
    }
    // Bucket the segments by the pixel rows they cross, so each row only looks at
    // the few edges of the glyphs it passes through instead of the whole line's.
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); (last - first) as usize];
    for (i, &((_, y0), (_, y1))) in segs.iter().enumerate() {
        let lo = y0.min(y1).floor().max(first as f32) as u32;
        let hi = (y0.max(y1).ceil().max(0.0) as u32).min(last);
        for r in lo..hi {
            rows[(r - first) as usize].push(i);
        }
    }
    let mut cover = vec![0f32; w as usize];
    let mut hits: Vec<(f32, i32)> = Vec::new();
    for row in first..last {
        let mine = &rows[(row - first) as usize];
        if mine.is_empty() {
            continue;
        }
        let (mut lo, mut hi) = (w as usize, 0usize);
        for s in 0..OVERSAMPLE {
            let sy = row as f32 + (s as f32 + 0.5) / OVERSAMPLE as f32;
            hits.clear();
            for &i in mine {
                let ((x0, y0), (x1, y1)) = segs[i];
                if (y0 <= sy && sy < y1) || (y1 <= sy && sy < y0) {
                    let x = x0 + (sy - y0) / (y1 - y0) * (x1 - x0);
                    hits.push((x, if y1 > y0 { 1 } else { -1 }));
                }
            }
            hits.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut winding = 0;
            for pair in hits.windows(2) {
                winding += pair[0].1;
                if winding != 0 {
                    span(&mut cover, pair[0].0, pair[1].0);
                    lo = lo.min(pair[0].0.max(0.0) as usize);
                    hi = hi.max((pair[1].0.ceil().max(0.0) as usize + 1).min(w as usize));
                }
            }
        }
        for (x, slot) in cover.iter_mut().enumerate().take(hi).skip(lo) {
            let c = std::mem::take(slot);
            if c <= 0.0 {
                continue;
            }
            let a = (c / OVERSAMPLE as f32).min(1.0);
            let p = img.get_pixel_mut(x as u32, row);
            for i in 0..3 {
                let v = f32::from(p.0[i]) * (1.0 - a) + f32::from(colour.0[i]) * a;
                p.0[i] = v.round().clamp(0.0, 255.0) as u8;
            }
        }
    }
}

/// Add the horizontal coverage of `[a, b)` to the pixels it overlaps.
fn span(cover: &mut [f32], a: f32, b: f32) {
    let len = cover.len() as f32;
    let (a, b) = (a.clamp(0.0, len), b.clamp(0.0, len));
    let mut x = a.floor();
    while x < b {
        let i = x as usize;
        if let Some(c) = cover.get_mut(i) {
            *c += (b.min(x + 1.0) - a.max(x)).max(0.0);
        }
        x += 1.0;
    }
}
