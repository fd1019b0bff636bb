//! Page geometry for the visibility checks: affine matrices (PDF's `[a b c d e f]`),
//! axis-aligned boxes in device space, and numbers read from operands and objects.

use super::doc::Obj;
use super::lexer::Tok;

/// An affine matrix `[a b c d e f]`: a point `(x, y)` maps to
/// `(a·x + c·y + e, b·x + d·y + f)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix(pub [f64; 6]);

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// A translation.
    pub(super) fn translate(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `then` (PDF writes this `self × then`).
    pub(super) fn then(&self, then: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    /// Where `(x, y)` goes.
    pub(super) fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// How long a unit vertical step becomes (the scale a font size is drawn at).
    pub(super) fn vertical_scale(&self) -> f64 {
        let [_, _, c, d, _, _] = self.0;
        c.hypot(d)
    }

    /// How long a unit horizontal step becomes.
    pub(super) fn horizontal_scale(&self) -> f64 {
        let [a, b, _, _, _, _] = self.0;
        a.hypot(b)
    }

    /// The box around the image of the box `r`.
    pub(super) fn bound(&self, r: &Rect) -> Rect {
        let mut out = Rect::EMPTY;
        for (x, y) in [(r.x0, r.y0), (r.x1, r.y0), (r.x0, r.y1), (r.x1, r.y1)] {
            let (x, y) = self.apply(x, y);
            out.add(x, y);
        }
        out
    }
}

/// An axis-aligned box; empty when `x0 > x1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub(super) const EMPTY: Rect = Rect {
        x0: f64::INFINITY,
        y0: f64::INFINITY,
        x1: f64::NEG_INFINITY,
        y1: f64::NEG_INFINITY,
    };

    /// Everything (no clipping yet).
    pub(super) const ALL: Rect = Rect {
        x0: f64::NEG_INFINITY,
        y0: f64::NEG_INFINITY,
        x1: f64::INFINITY,
        y1: f64::INFINITY,
    };

    /// The box with corners `(x0, y0)` and `(x1, y1)`, in either order.
    pub(super) fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        !(self.x0 <= self.x1 && self.y0 <= self.y1)
    }

    /// Grow to take in `(x, y)`.
    pub(super) fn add(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.x0 = self.x0.min(x);
            self.y0 = self.y0.min(y);
            self.x1 = self.x1.max(x);
            self.y1 = self.y1.max(y);
        }
    }

    /// Grow to take in `r`.
    pub(super) fn union(&mut self, r: &Rect) {
        if !r.is_empty() {
            self.x0 = self.x0.min(r.x0);
            self.y0 = self.y0.min(r.y0);
            self.x1 = self.x1.max(r.x1);
            self.y1 = self.y1.max(r.y1);
        }
    }

    /// The part shared with `r`.
    pub(super) fn intersect(&self, r: &Rect) -> Rect {
        Rect {
            x0: self.x0.max(r.x0),
            y0: self.y0.max(r.y0),
            x1: self.x1.min(r.x1),
            y1: self.y1.min(r.y1),
        }
    }

    /// Grown by `d` on every side.
    pub(super) fn grow(&self, d: f64) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    pub(super) fn area(&self) -> f64 {
        if self.is_empty() {
            0.0
        } else {
            (self.x1 - self.x0) * (self.y1 - self.y0)
        }
    }

    /// Whether `r` lies inside this box, give or take `slack` on each side.
    pub(super) fn contains(&self, r: &Rect, slack: f64) -> bool {
        r.x0 >= self.x0 - slack
            && r.y0 >= self.y0 - slack
            && r.x1 <= self.x1 + slack
            && r.y1 <= self.y1 + slack
    }
}

/// The value of a number operand.
pub(super) fn num(tok: &[Tok<'_>]) -> Option<f64> {
    match tok {
        [Tok::Number(raw)] => std::str::from_utf8(raw).ok()?.parse().ok(),
        _ => None,
    }
}

/// The value of a number object.
pub(super) fn obj_num(o: &Obj<'_>) -> Option<f64> {
    match o {
        Obj::Int(n) => Some(*n as f64),
        Obj::Real(r) => Some(*r),
        _ => None,
    }
}

/// A box from an array object of four numbers.
pub(super) fn obj_rect(o: &Obj<'_>) -> Option<Rect> {
    let Obj::Array(a) = o else { return None };
    match a.as_slice() {
        [a, b, c, d] => Some(Rect::new(
            obj_num(a)?,
            obj_num(b)?,
            obj_num(c)?,
            obj_num(d)?,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_as_pdf_writes_them() {
        let m = Matrix([2.0, 0.0, 0.0, 2.0, 10.0, 20.0]);
        let t = Matrix::translate(5.0, 5.0);
        // Text space `t` inside the CTM `m`: t × m.
        assert_eq!(t.then(&m).apply(0.0, 0.0), (20.0, 30.0));
        assert_eq!(m.bound(&Rect::new(0.0, 0.0, 1.0, 1.0)).area(), 4.0);
        assert!(Rect::new(0.0, 0.0, 10.0, 10.0).contains(&Rect::new(1.0, 1.0, 2.0, 2.0), 0.0));
        assert!(Rect::new(0.0, 0.0, 1.0, 1.0)
            .intersect(&Rect::new(2.0, 2.0, 3.0, 3.0))
            .is_empty());
    }
}
