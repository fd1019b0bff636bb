//! Flow: set elements (lines, rules, figures) are poured into columns and pages.
//!
//! Elements chained by `keep_next` move together (widows, orphans, headings kept with
//! what follows); a column section that ends on a page (the last page, or above a
//! full-width figure) is balanced by searching the smallest column height that holds it.

use std::sync::Arc;

use super::shape::Chunk;
use crate::house::Rgb;

/// One text run of a line: a chunk, then `extra` pt of justification space after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub chunk: Chunk,
    pub extra: f32,
    /// An inserted hyphen: written as `/Span <</ActualText (soft hyphen)>>`.
    pub hyphen: bool,
}

/// Something to draw; coordinates in pt from the top-left of the element (after
/// placement: of the page). `y` of text is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    Text {
        x: f32,
        y: f32,
        runs: Vec<Run>,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        /// The `Figure` element it belongs to; `None` for decoration (the logo), which
        /// is written as an artifact.
        node: Option<super::tags::NodeId>,
    },
    /// A heading's place, for the document outline: `x`, `y` are the top-left corner
    /// of its first line box.
    Mark {
        level: u8,
        title: String,
        x: f32,
        y: f32,
    },
}

impl Draw {
    fn moved(mut self, dx: f32, dy: f32) -> Draw {
        let d = &mut self;
        match d {
            Draw::Text { x, y, .. } | Draw::Rect { x, y, .. } | Draw::Image { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Draw::Rule { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            Draw::Mark { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
        self
    }
}

/// A unit of the flow.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Elem {
    pub height: f32,
    pub draws: Vec<Draw>,
    /// No column break between this element and the next.
    pub keep_next: bool,
    /// Vertical space: dropped at the top of a column.
    pub space: bool,
    /// What a table sets around this row, one of its body rows, where the table
    /// breaks ([`RunOn`]).
    pub repeat: Option<Arc<RunOn>>,
}

/// What a table sets where its body breaks between columns or pages, as artifacts:
/// readers of a table continued without its header must turn back to learn what its
/// columns hold (assistive technology reads the header once, from the structure), and
/// a part that stops with no rule under it reads as the table's end.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunOn {
    /// Above the first row of a column: the opening rule and the header row.
    pub head: Elem,
    /// Below the last row of a column the table runs on from: a closing rule.
    pub foot: Elem,
}

impl Elem {
    /// Blank space of `h` pt.
    pub fn space(h: f32) -> Elem {
        Elem {
            height: h,
            space: true,
            repeat: None,
            ..Elem::default()
        }
    }
}

/// A part of the flow: set in the columns, or across the whole text width.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    Columns(Vec<Elem>),
    Wide(Vec<Elem>),
}

/// Page geometry for the flow, in pt.
pub struct Frame {
    pub left: f32,
    pub top: f32,
    pub bottom: f32,
    pub column_width: f32,
    pub gutter: f32,
    pub columns: usize,
    pub section_gap: f32,
    /// How much a space between elements may grow, as a fraction of itself, so that the
    /// columns of a page end on one line (`[body] space_stretch`).
    pub space_stretch: f32,
    /// The paragraph space (pt): a larger space (above a heading) grows by no more than
    /// a paragraph space does, so the growth is shared out evenly and not piled above
    /// the headings ([`growth`]). Zero: every space grows in proportion to itself.
    pub space_unit: f32,
    /// How far (pt) the foot of a column of the last page may stay above the longest
    /// column's before its spaces grow (`[body] balance_within`, in lines there).
    pub balance_within: f32,
}

const EPS: f32 = 0.01;

/// How many elements from `i` fit in one column of height `h`. Only a column at the
/// top of a page (`force`) breaks a keep-together group that does not fit.
fn fill(e: &[Elem], i: usize, h: f32, force: bool) -> usize {
    let mut k = i;
    while k < e.len() && e[k].space {
        k += 1;
    }
    let mut y = repeated(e.get(k));
    let mut placed = false;
    while k < e.len() {
        let mut g = k;
        while g + 1 < e.len() && e[g].keep_next {
            g += 1;
        }
        let gh: f32 = e[k..=g].iter().map(|x| x.height).sum();
        // A column that ends inside a table ends with the table's closing rule.
        if y + gh + foot_after(e, g).map_or(0.0, |f| f.height) <= h + EPS {
            y += gh;
            k = g + 1;
            placed = true;
        } else if !placed && force {
            // A group taller than the column: break it where it must.
            while k <= g && (y + e[k].height <= h + EPS || !placed) {
                y += e[k].height;
                k += 1;
                placed = true;
            }
            break;
        } else {
            break;
        }
    }
    k
}

/// Pour `sections` onto pages; the first page's flow starts at `first_top`.
///
/// The sections are consumed: each element's draws move onto their page (long briefs
/// would otherwise hold every glyph twice).
pub fn paginate(sections: Vec<Section>, frame: &Frame, first_top: f32) -> Vec<Vec<Draw>> {
    let mut pages: Vec<Vec<Draw>> = vec![Vec::new()];
    let mut y = first_top;
    for (si, sec) in sections.into_iter().enumerate() {
        if si > 0 {
            y += frame.section_gap;
        }
        let wide = matches!(sec, Section::Wide(_));
        let (mut elems, cols, width) = match sec {
            Section::Columns(e) => (e, frame.columns.max(1), frame.column_width),
            Section::Wide(e) => (
                e,
                1,
                frame.column_width * frame.columns.max(1) as f32
                    + frame.gutter * (frame.columns.max(1) - 1) as f32,
            ),
        };
        // A space after an element kept with the next is kept too, so a heading and the
        // space below it never end a column.
        chain_spaces(&mut elems);
        let mut tried_shrink = false;
        let mut i = 0;
        while i < elems.len() {
            let avail = frame.bottom - y;
            let mut k = i;
            let fresh = (y - frame.top).abs() < EPS;
            for _ in 0..cols {
                k = fill(&elems, k, avail.max(0.0), fresh);
            }
            if k == i && !fresh && !tried_shrink && wide {
                tried_shrink = true;
                // A full-width figure that does not fit below the text before it is
                // set smaller (down to 60 %) rather than leaving that space empty: it
                // cannot float to the next page, because that would change the
                // reading order of the words around it.
                if let Some(smaller) = shrink_to_fit(&elems[i..], avail) {
                    elems = smaller;
                    i = 0;
                    continue;
                }
            }
            if k == i || (avail <= 0.0) {
                if fresh {
                    // Nothing fits even on an empty page: should not happen (fill always
                    // takes one element), but never loop forever.
                    break;
                }
                pages.push(Vec::new());
                y = frame.top;
                continue;
            }
            let page = pages.len() - 1;
            let h = if k >= elems.len() {
                balance(&elems, i, cols, avail, fresh)
            } else {
                avail
            };
            let (at, used) = place(
                &mut elems,
                i,
                (cols, width),
                h,
                fresh,
                frame,
                y,
                &mut pages[page],
            );
            i = at;
            if i < elems.len() {
                pages.push(Vec::new());
                y = frame.top;
            } else {
                y += used;
            }
        }
    }
    pages
}

/// Set the elements from `i` on into the columns of one page (or of the rest of one),
/// each column `h` high at most, starting `y` from the top. Returns the index of the
/// first element that did not fit and the height the tallest column took.
#[allow(clippy::too_many_arguments)]
fn place(
    elems: &mut [Elem],
    i: usize,
    (cols, width): (usize, f32),
    h: f32,
    fresh: bool,
    frame: &Frame,
    y: f32,
    page: &mut Vec<Draw>,
) -> (usize, f32) {
    // Which elements go in which column, and how far each column's bottom is
    // to be brought down: a full page's columns to the foot of the text block,
    // the columns of a section that ends here to the longest of them.
    let mut spans = Vec::with_capacity(cols);
    let mut at = i;
    for _ in 0..cols {
        let end = fill(elems, at, h, fresh).min(elems.len());
        spans.push(at..end);
        at = end;
    }
    let full = at < elems.len();
    let target = if full {
        Some(h)
    } else if cols > 1 {
        // The last page: a column within `balance_within` of the longest keeps its
        // spacing, and a shorter one grows only to within it, so that its paragraph
        // spaces stay near the rest of the brief's (the seed's right column had them
        // grown from half a line to a line and a quarter).
        spans
            .iter()
            .map(|r| natural(&elems[r.clone()]))
            .reduce(f32::max)
            .map(|longest| longest - frame.balance_within)
    } else {
        None
    };
    let mut used: f32 = 0.0;
    for (c, span) in spans.into_iter().enumerate() {
        let x = frame.left + c as f32 * (width + frame.gutter);
        let grow = target.map_or(Growth::NONE, |t| {
            growth(&elems[span.clone()], t, frame, full)
        });
        let grows = stretchable(&elems[span.clone()]);
        let foot = span
            .end
            .checked_sub(1)
            .filter(|&l| l >= span.start)
            .and_then(|l| foot_after(elems, l))
            .map(|f| f.draws.clone());
        let mut yy = y;
        let mut first = true;
        for (e, grows) in elems[span].iter_mut().zip(grows) {
            if first && e.space {
                continue;
            }
            if first {
                if let Some(r) = &e.repeat {
                    page.extend(r.head.draws.iter().map(|d| d.clone().moved(x, yy)));
                    yy += r.head.height;
                }
            }
            first = false;
            for d in std::mem::take(&mut e.draws) {
                page.push(d.moved(x, yy));
            }
            yy += if grows {
                grow.grown(e.height, frame.space_unit)
            } else {
                e.height
            };
        }
        for d in foot.into_iter().flatten() {
            page.push(d.moved(x, yy));
        }
        used = used.max(yy - y);
    }
    (at, used)
}

/// The height of a column's elements from the first to the last that is not space,
/// with what is repeated above the first.
fn natural(column: &[Elem]) -> f32 {
    let first = column.iter().position(|e| !e.space).unwrap_or(column.len());
    let last = column.iter().rposition(|e| !e.space).map_or(0, |l| l + 1);
    repeated(column.get(first))
        + column
            .get(first..last)
            .map_or(0.0, |c| c.iter().map(|e| e.height).sum())
}

/// The height of what is set above `first` when it begins a column.
fn repeated(first: Option<&Elem>) -> f32 {
    first
        .and_then(|e| e.repeat.as_ref())
        .map_or(0.0, |r| r.head.height)
}

/// What is set below `e[i]` when a column ends after it: the closing rule of the table
/// whose rows run on past it.
fn foot_after(e: &[Elem], i: usize) -> Option<&Elem> {
    let this = e.get(i)?.repeat.as_ref()?;
    let next = e.get(i + 1)?.repeat.as_ref()?;
    Arc::ptr_eq(this, next).then_some(&this.foot)
}

/// How a column's spaces grow: each by `even` times its share up to a paragraph space
/// (so by the same amount, whatever its size), then a space larger than that by
/// `rest` times what it has beyond the paragraph space.
#[derive(Clone, Copy)]
struct Growth {
    even: f32,
    rest: f32,
}

impl Growth {
    const NONE: Growth = Growth {
        even: 0.0,
        rest: 0.0,
    };

    /// A space of `height` grown, with `unit` the paragraph space.
    fn grown(self, height: f32, unit: f32) -> f32 {
        let (shared, beyond) = split(height, unit);
        height + shared * self.even + beyond * self.rest
    }
}

/// How the spaces inside a column grow so that it ends at `target`, each part by at
/// most `space_stretch` of itself. Only the spaces between its first and last element
/// that are not space grow, and not one below an element kept with the next (a
/// heading's), which would set the heading adrift from its text. A column without such
/// spaces, or one already at its target, keeps them as they are.
///
/// The spaces grow evenly first: a space larger than a paragraph's (the line above a
/// heading) by no more than a paragraph space does. Grown in proportion to itself, it
/// took twice as much, and a column with one heading and no other space had a hole of
/// three and a half lines opened above it (the `multiscript` fixture's last page).
/// Only a `full` page's column, which must end at the foot, then grows the larger
/// spaces by the rest, as far as they go; a column of the last page is balanced only
/// as far as even spaces allow.
fn growth(column: &[Elem], target: f32, frame: &Frame, full: bool) -> Growth {
    let (mut shared, mut beyond) = (0.0f32, 0.0f32);
    for (e, _) in column.iter().zip(stretchable(column)).filter(|&(_, s)| s) {
        let (s, b) = split(e.height, frame.space_unit);
        shared += s;
        beyond += b;
    }
    let short = target - natural(column);
    let most = frame.space_stretch.max(0.0);
    if shared <= EPS || short <= EPS {
        return Growth::NONE;
    }
    let even = (short / shared).min(most);
    let left = short - even * shared;
    let rest = if full && beyond > EPS && left > EPS {
        (left / beyond).min(most)
    } else {
        0.0
    };
    Growth { even, rest }
}

/// A space of `height` as the part that grows evenly (up to `unit`, a paragraph
/// space) and the part beyond it. With no paragraph space (`unit` zero), all of it
/// grows evenly, that is in proportion to itself.
fn split(height: f32, unit: f32) -> (f32, f32) {
    if unit > EPS {
        (height.min(unit), (height - unit).max(0.0))
    } else {
        (height, 0.0)
    }
}

/// Which elements of a column are spaces that may grow (see [`growth`]).
fn stretchable(column: &[Elem]) -> Vec<bool> {
    let first = column.iter().position(|e| !e.space).unwrap_or(column.len());
    let last = column.iter().rposition(|e| !e.space).unwrap_or(0);
    (0..column.len())
        .map(|i| i > first && i < last && column[i].space && !column[i - 1].keep_next)
        .collect()
}

/// `elems` (a figure: image, then caption lines) with the image scaled so that the
/// whole fits in `avail`, centred; `None` when that would take it below 60 %.
fn shrink_to_fit(elems: &[Elem], avail: f32) -> Option<Vec<Elem>> {
    let first = elems.first()?;
    let [Draw::Image {
        index,
        x,
        y,
        w,
        h,
        node,
    }] = first.draws.as_slice()
    else {
        return None;
    };
    let rest: f32 = elems[1..].iter().map(|e| e.height).sum();
    let room = avail - rest - (first.height - h);
    let s = room / h;
    if !(0.6..1.0).contains(&s) {
        return None;
    }
    let mut out = elems.to_vec();
    out[0] = Elem {
        height: first.height - h * (1.0 - s),
        draws: vec![Draw::Image {
            index: *index,
            x: x + w * (1.0 - s) / 2.0,
            y: *y,
            w: w * s,
            h: h * s,
            node: *node,
        }],
        keep_next: first.keep_next,
        space: first.space,
        repeat: first.repeat.clone(),
    };
    Some(out)
}

/// The smallest column height that holds `e[i..]` in `cols` columns, at most `avail`.
fn balance(e: &[Elem], i: usize, cols: usize, avail: f32, force: bool) -> f32 {
    if cols <= 1 {
        return avail;
    }
    let fits = |h: f32| {
        let mut k = i;
        for _ in 0..cols {
            k = fill(e, k, h, force);
        }
        k >= e.len()
    };
    let (mut lo, mut hi) = (0.0f32, avail);
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

fn chain_spaces(out: &mut [Elem]) {
    for i in 1..out.len() {
        if out[i].space && out[i - 1].keep_next {
            out[i].keep_next = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEADING: f32 = 13.5;

    /// A body line whose draw marks where it was placed.
    fn line(keep_next: bool) -> Elem {
        Elem {
            height: LEADING,
            draws: vec![Draw::Rect {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h: LEADING,
                color: Rgb(0, 0, 0),
            }],
            keep_next,
            space: false,
            repeat: None,
        }
    }

    fn paragraph(lines: usize, out: &mut Vec<Elem>) {
        for n in 0..lines {
            // The first two and the last two lines stay together, as the body's do.
            out.push(line(n == 0 || n + 2 == lines));
        }
        out.push(Elem::space(LEADING / 2.0));
    }

    fn frame(stretch: f32) -> Frame {
        Frame {
            left: 0.0,
            top: 0.0,
            bottom: 40.0 * LEADING,
            column_width: 100.0,
            gutter: 10.0,
            columns: 2,
            section_gap: LEADING,
            space_stretch: stretch,
            space_unit: 0.0,
            balance_within: 0.0,
        }
    }

    /// The foot (lowest bottom edge) of each column of each page.
    fn feet(pages: &[Vec<Draw>]) -> Vec<[f32; 2]> {
        pages
            .iter()
            .map(|page| {
                let mut feet = [0.0f32; 2];
                for d in page {
                    if let Draw::Rect { x, y, h, .. } = d {
                        let c = usize::from(*x > 50.0);
                        feet[c] = feet[c].max(y + h);
                    }
                }
                feet
            })
            .collect()
    }

    fn brief() -> Vec<Elem> {
        let mut e = Vec::new();
        for n in 0..30 {
            paragraph(3 + n % 5, &mut e);
            if n % 7 == 6 {
                // A heading kept with its paragraph.
                e.push(line(true));
                e.push(Elem::space(LEADING / 2.0));
            }
        }
        e
    }

    #[test]
    fn full_columns_end_at_the_foot_and_the_last_page_within_a_line() {
        let pages = paginate(vec![Section::Columns(brief())], &frame(1.0), 0.0);
        let feet = feet(&pages);
        assert!(feet.len() >= 2, "the brief fills more than a page");
        let (last, full) = feet.split_last().unwrap();
        for f in full {
            for foot in f {
                assert!((foot - 40.0 * LEADING).abs() < 0.01, "{feet:?}");
            }
        }
        // Balanced within a line: a column without spaces to grow cannot do better.
        assert!((last[0] - last[1]).abs() <= LEADING, "{feet:?}");
    }

    #[test]
    fn the_last_page_grows_a_short_column_only_to_within_balance_within() {
        // Three short paragraphs kept whole, then one of twelve lines: balanced, the
        // first column holds the three (10 lines with its two spaces), the second the
        // long one (12 lines), and only the first has spaces to grow.
        let section = || {
            let mut e = Vec::new();
            for (i, lines) in [3, 3, 3, 12].into_iter().enumerate() {
                if i > 0 {
                    e.push(Elem::space(LEADING / 2.0));
                }
                e.extend((0..lines).map(|n| line(n + 1 < lines)));
            }
            vec![Section::Columns(e)]
        };
        let flush = feet(&paginate(section(), &frame(4.0), 0.0));
        let calm = Frame {
            balance_within: LEADING,
            ..frame(4.0)
        };
        let calm = feet(&paginate(section(), &calm, 0.0));
        // Without a tolerance the short column's spaces grow until it ends with the
        // long one; with one line's, only until it ends a line above it.
        assert_eq!(flush, vec![[12.0 * LEADING, 12.0 * LEADING]]);
        assert_eq!(calm, vec![[11.0 * LEADING, 12.0 * LEADING]]);
        // A column already within the tolerance keeps its spacing.
        let within = Frame {
            balance_within: 3.0 * LEADING,
            ..frame(4.0)
        };
        let within = feet(&paginate(section(), &within, 0.0));
        assert_eq!(within, vec![[10.0 * LEADING, 12.0 * LEADING]]);
    }

    #[test]
    fn a_heading_space_grows_as_a_paragraph_space_does_on_the_last_page() {
        // First column: three lines, a line's space, a heading and three lines (eight
        // lines); second: twelve lines kept whole. Only the heading's space can grow.
        let mut e: Vec<Elem> = (0..3).map(|n| line(n < 2)).collect();
        e.push(Elem::space(LEADING));
        e.push(line(true));
        e.extend((0..3).map(|n| line(n < 2)));
        e.push(Elem::space(LEADING / 2.0));
        e.extend((0..12).map(|n| line(n < 11)));
        let frame = |unit: f32| Frame {
            space_unit: unit,
            ..frame(4.0)
        };
        let last = |unit: f32| {
            feet(&paginate(
                vec![Section::Columns(e.clone())],
                &frame(unit),
                0.0,
            ))
        };
        // In proportion to itself, the line's space grew four lines to balance the
        // columns; grown as a half-line paragraph space would be, by two.
        assert_eq!(last(0.0), vec![[12.0 * LEADING, 12.0 * LEADING]]);
        assert_eq!(last(LEADING / 2.0), vec![[10.0 * LEADING, 12.0 * LEADING]]);
    }

    #[test]
    fn on_a_full_page_a_larger_space_takes_what_even_growth_leaves() {
        let unit = Frame {
            space_unit: LEADING / 2.0,
            ..frame(1.0)
        };
        // Every full page still ends at the foot.
        let pages = paginate(vec![Section::Columns(brief_with_headings())], &unit, 0.0);
        let feet = feet(&pages);
        assert!(feet.len() >= 2, "the brief fills more than a page");
        for f in &feet[..feet.len() - 1] {
            for foot in f {
                assert!((foot - 40.0 * LEADING).abs() < 0.01, "{feet:?}");
            }
        }
        // A column of a line, a line's space and a line, two lines short of its
        // target, stretch 1.5: the space grows evenly by 0.75 of a line (1.5 half-line
        // paragraph spaces), and on a full page by as much again from its second half.
        let column = [line(false), Elem::space(LEADING), line(false)];
        let frame = Frame {
            space_stretch: 1.5,
            ..unit
        };
        let grown = |full: bool| {
            growth(&column, 5.0 * LEADING, &frame, full).grown(LEADING, frame.space_unit)
        };
        assert_eq!(grown(false), 1.75 * LEADING);
        assert_eq!(grown(true), 2.5 * LEADING);
    }

    /// [`brief`] with a line's space above each heading.
    fn brief_with_headings() -> Vec<Elem> {
        let mut e = Vec::new();
        for n in 0..30 {
            paragraph(3 + n % 5, &mut e);
            if n % 7 == 6 {
                e.push(Elem::space(LEADING / 2.0));
                e.push(line(true));
            }
        }
        e
    }

    #[test]
    fn without_stretch_the_columns_end_where_their_lines_do() {
        let pages = paginate(vec![Section::Columns(brief())], &frame(0.0), 0.0);
        let feet = feet(&pages);
        assert!(
            feet.iter().any(|f| (f[0] - f[1]).abs() > 1.0),
            "this brief's columns end unevenly unless the spaces grow: {feet:?}"
        );
    }
    /// Rows of a table that run on into the next column and page have the repeated
    /// header set above them there, and no column runs past the foot with it.
    #[test]
    fn a_repeated_header_heads_every_column_a_table_runs_on_into() {
        let rule = |width: f32| Draw::Rule {
            x1: 0.0,
            y1: 0.0,
            x2: 1.0,
            y2: 0.0,
            width,
            color: Rgb(0, 0, 0),
        };
        let header = Arc::new(RunOn {
            head: Elem {
                height: LEADING,
                draws: vec![rule(1.0)],
                ..Elem::default()
            },
            foot: Elem {
                height: 2.0,
                draws: vec![rule(0.5)],
                ..Elem::default()
            },
        });
        let mut e = vec![line(true)];
        for _ in 0..100 {
            e.push(Elem {
                repeat: Some(header.clone()),
                ..line(false)
            });
        }
        let pages = paginate(vec![Section::Columns(e)], &frame(0.0), 0.0);
        let (mut heads, mut feet_rules) = (Vec::new(), Vec::new());
        for (p, page) in pages.iter().enumerate() {
            for d in page {
                if let Draw::Rule { x1, y1, width, .. } = d {
                    let at = (p, usize::from(*x1 > 50.0), *y1);
                    match *width == 1.0 {
                        true => heads.push(at),
                        false => feet_rules.push(at),
                    }
                }
            }
        }
        // 40 lines a column, less the closing rule's room under a column that ends
        // inside the table: the first holds the table's own first line and 38 rows,
        // the second 38 rows under a repeated header, and the last page's two columns,
        // balanced, 12 rows each under one. Each column the table runs on from ends
        // with the closing rule, under its last row.
        assert_eq!(heads, vec![(0, 1, 0.0), (1, 0, 0.0), (1, 1, 0.0)]);
        let l = LEADING;
        assert_eq!(
            feet_rules,
            vec![(0, 0, 39.0 * l), (0, 1, 39.0 * l), (1, 0, 13.0 * l)]
        );
        let rows = |p: usize, c: usize| {
            pages[p]
                .iter()
                .filter(|d| matches!(d, Draw::Rect { x, .. } if usize::from(*x > 50.0) == c))
                .count()
        };
        assert_eq!(
            [rows(0, 0), rows(0, 1), rows(1, 0), rows(1, 1)],
            [39, 38, 12, 12]
        );
        for [left, right] in feet(&pages) {
            assert!(left <= 40.0 * LEADING + EPS && right <= 40.0 * LEADING + EPS);
        }
    }
}
