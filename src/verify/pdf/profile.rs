//! The profile of what a reader can see on a page, and the findings when a page leaves
//! it. [`super::page`] tracks the graphics and text state and hands each shown string
//! here, placed on the page as a box in device space; this module decides whether the
//! string is visible and in reading order, and names what is not.
//!
//! The profile is what briefpress's renderer draws: text filled (render mode 0) at
//! 95–105 % horizontal scale, letter-spacing that never draws letters over each other, a
//! rise only for note numbers, legible sizes, inside the
//! visible page (the CropBox, and the TrimBox when there is one: the print edition
//! is cut there), never clipped, never covered by paint drawn after it, in a colour
//! that stands out from what lies beneath it, and in reading order: along a line left
//! to right, lines top to bottom, columns left to right. Everything else is a finding.

use super::geometry::Rect;
use crate::verify::compare::Place;

/// Smallest text height (pt) a reader is taken to see; our smallest text, a note
/// number in a note, is above 4 pt.
const MIN_HEIGHT: f64 = 3.0;
/// Smallest text width scale: a glyph squeezed below this (pt per em) is not read.
const MIN_WIDTH: f64 = 1.5;
/// How much lighter or darker text must be than what lies beneath it (relative
/// luminance, 0–1). Our faintest pair, white on the house blue, differs by 0.9.
const MIN_CONTRAST: f64 = 0.12;
/// The tightest letter-spacing (`Tc`, em) that leaves letters apart: justification
/// tightens by less than 0.01 em (`crate::house::MIN_LETTER_SPACING`); a tenth of an
/// em pulls every letter into the one before.
const MIN_LETTER_SPACING: f64 = -0.1;
/// The most glyphs may be widened or narrowed (`Tz`, percent off 100): justification
/// scales them by at most `crate::house::MAX_GLYPH_SCALING`, 5 %.
const MAX_SCALING: f64 = 5.0;
/// A `TJ` offset moving the next glyph back (thousandths of an em): kerning moves
/// by less than 0.2 em.
pub(super) const MAX_BACK_OFFSET: f64 = 400.0;
/// A `TJ` offset moving the next glyph on: justification stretches a space by less.
const MAX_ON_OFFSET: f64 = 3000.0;
/// Slack (pt) for boxes meeting page edges and clip paths.
const SLACK: f64 = 1.0;
/// The share of a string's box that paint drawn over it must cover to hide it.
const COVERED: f64 = 0.3;

/// Something on a page a reader does not see as the words say, or a construct outside
/// the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub place: Place,
    /// What it is, for people: the construct by name, then the text involved.
    pub what: String,
}

/// A visible string placed on the page, kept for the checks that need what came before.
#[derive(Debug, Clone)]
pub(super) struct Shown {
    pub bbox: Rect,
    /// Start of the baseline, end of the advance, and the font size in device space.
    pub x: f64,
    pub y: f64,
    pub end: f64,
    pub size: f64,
    pub line: u32,
    pub text: String,
}

/// The state a string is shown in, as far as visibility goes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Look {
    pub render_mode: i64,
    pub scale: f64,
    /// `Tc` in em of the font size.
    pub letter_spacing: f64,
    pub rise: f64,
    /// Font size times the vertical and horizontal scale of text space (pt).
    pub height: f64,
    pub width: f64,
    pub fill: [f64; 3],
    pub clip: Rect,
}

/// Short text for messages.
pub(super) fn quote(text: &str) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s: String = t.chars().take(40).collect();
    if t.chars().count() > 40 {
        s.push('…');
    }
    format!("\"{s}\"")
}

/// Relative luminance of an RGB colour (0–1 components).
fn luminance([r, g, b]: [f64; 3]) -> f64 {
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// The checks of one page.
#[derive(Debug)]
pub(super) struct Profile {
    page: u32,
    /// The visible page: CropBox, within the TrimBox when there is one.
    visible: Rect,
    trimmed: bool,
    /// Visible strings so far, in stream order.
    shown: Vec<Shown>,
    /// Opaque paint so far: its box and colour (`None`: an image).
    paint: Vec<(Rect, Option<[f64; 3]>)>,
    /// Where the current column (since the last move up the page) starts in `shown`.
    column: usize,
    pub findings: Vec<Finding>,
}

impl Profile {
    pub(super) fn new(page: u32, visible: Rect, trimmed: bool) -> Profile {
        Profile {
            page,
            visible,
            trimmed,
            shown: Vec::new(),
            paint: Vec::new(),
            column: 0,
            findings: Vec::new(),
        }
    }

    /// Report `what` at `line`; each kind of finding once per page (a whole page set
    /// in white is one finding, not one per line).
    pub(super) fn find(&mut self, line: u32, kind: &str, what: String) {
        if self.findings.iter().any(|f| f.what.starts_with(kind)) {
            return;
        }
        self.findings.push(Finding {
            place: Place {
                page: Some(self.page),
                line: (line > 0).then_some(line),
                ..Place::default()
            },
            what: format!("{kind}{what}"),
        });
    }

    /// A `TJ` offset of `n` thousandths of an em.
    pub(super) fn offset(&mut self, n: f64, line: u32) {
        if n > MAX_BACK_OFFSET {
            self.find(
                line,
                "a TJ offset moves text back over itself",
                format!(" ({n} thousandths of an em)"),
            );
        } else if n < -MAX_ON_OFFSET {
            self.find(
                line,
                "a TJ offset moves text far along its line",
                format!(" ({} thousandths of an em)", -n),
            );
        }
    }

    /// A content string (not furniture) shown in `look`, with visible glyphs.
    pub(super) fn show(&mut self, s: Shown, look: &Look) {
        self.look_closer(&s, look);
        self.order(&s);
        self.shown.push(s);
    }

    /// The visibility checks of one string, each a finding when it fails.
    fn look_closer(&mut self, s: &Shown, look: &Look) {
        // Quoted only for a finding: this runs for every string of the edition.
        let q = || quote(&s.text);
        let line = s.line;
        if look.render_mode != 0 {
            let how = match look.render_mode {
                3 => "invisible",
                7 => "a clip, invisible",
                4..=6 => "a clip",
                _ => "outlined",
            };
            self.find(
                line,
                "text render mode ",
                format!("{} ({how}): {}", look.render_mode, q()),
            );
        }
        if (look.scale - 100.0).abs() > MAX_SCALING + 1e-3 {
            self.find(
                line,
                "horizontal scaling (Tz) ",
                format!("{}%: {}", look.scale, q()),
            );
        }
        if look.letter_spacing < MIN_LETTER_SPACING {
            self.find(
                line,
                "letter-spacing (Tc) draws letters over each other ",
                format!("({:.2} em): {}", look.letter_spacing, q()),
            );
        }
        if look.rise.abs() > 0.5 * s.size.max(1.0) {
            self.find(line, "text rise (Ts) ", format!("{}: {}", look.rise, q()));
        }
        if look.height < MIN_HEIGHT || look.width < MIN_WIDTH {
            self.find(
                line,
                "text too small to read ",
                format!("({:.2} pt): {}", look.height.min(look.width), q()),
            );
        }
        if !self.visible.contains(&s.bbox, SLACK) {
            let edge = if self.trimmed { "TrimBox" } else { "CropBox" };
            self.find(
                line,
                "text outside the visible page ",
                format!("({edge}): {}", q()),
            );
        }
        if !look.clip.contains(&s.bbox, SLACK) {
            self.find(line, "text clipped by a clipping path: ", q());
        }
        let centre = Rect::new(
            (s.bbox.x0 + s.bbox.x1) / 2.0,
            (s.bbox.y0 + s.bbox.y1) / 2.0,
            (s.bbox.x0 + s.bbox.x1) / 2.0,
            (s.bbox.y0 + s.bbox.y1) / 2.0,
        );
        let beneath = self
            .paint
            .iter()
            .rev()
            .find(|(r, _)| r.contains(&centre, 0.0))
            .map_or(Some([1.0, 1.0, 1.0]), |(_, c)| *c);
        if let Some(bg) = beneath {
            if (luminance(look.fill) - luminance(bg)).abs() < MIN_CONTRAST {
                self.find(
                    line,
                    "text in the colour of what lies beneath it ",
                    format!(
                        "({:.2} {:.2} {:.2} rg): {}",
                        look.fill[0],
                        look.fill[1],
                        look.fill[2],
                        q()
                    ),
                );
            }
        }
    }

    /// Reading order: the string must follow the previous one along its line, start a
    /// line below it, or start a new column to the right of the lines it rises past.
    fn order(&mut self, s: &Shown) {
        let Some(prev) = self.shown.last() else {
            return;
        };
        let tol = 0.3 * prev.size.max(s.size).max(1.0);
        let same_line = (s.y - prev.y).abs() <= tol;
        let out_of_order = if same_line {
            s.x < prev.end - tol.max(SLACK)
        } else if s.y < prev.y {
            false
        } else {
            // Moving up: a new column, right of every line of this column that lies
            // between here and there.
            let behind = self.shown[self.column..]
                .iter()
                .filter(|r| r.y >= prev.y - tol && r.y <= s.y + tol)
                .any(|r| s.x < r.end - tol && s.bbox.x1 > r.x + tol);
            if !behind {
                self.column = self.shown.len();
            }
            behind
        };
        if out_of_order {
            let what = format!(
                ": {} is drawn after {} but reads before it",
                quote(&s.text),
                quote(&prev.text)
            );
            self.find(s.line, "text out of reading order", what);
        }
    }

    /// Opaque paint over `bbox` in `colour` (`None`: an image or shading). Strings drawn
    /// earlier that it covers are hidden.
    pub(super) fn paint(&mut self, bbox: Rect, colour: Option<[f64; 3]>) {
        if bbox.is_empty() {
            return;
        }
        let hidden = self.shown.iter().find(|s| {
            let a = s.bbox.area();
            a > 0.0 && s.bbox.intersect(&bbox).area() >= COVERED * a
        });
        if let Some(s) = hidden {
            let what = format!(": {}", quote(&s.text));
            let at = s.line;
            self.find(at, "text covered by paint drawn after it", what);
        }
        self.paint.push((bbox, colour));
    }
}
