//! Widths for a table's columns when its cells cannot all be set on one line but every
//! word fits whole: the room left over the columns' whole-word minimums goes where it
//! saves lines.
//!
//! CSS's automatic table layout (which browsers use, and which this replaced) shares
//! that room in proportion to each column's one-line width. A column of sentences then
//! takes most of it, though its rows run to two lines whatever it gets, while a label
//! beside it breaks ("Country / 10") and a header over figures stands four lines tall
//! ("Share / of / GDP / (%)"). Here the room is given out step by step: each step
//! widens the one column, to the next width at which one of its cells needs a line
//! fewer, that saves the most for the points it costs. What it saves is counted first
//! in the table's height (the sum over rows of the tallest cell's lines), then in
//! the number of lines of all cells, so a label is kept on one line even in a row that
//! its neighbour keeps two lines tall. What no step can use is shared as CSS shares it.
//!
//! Lines are counted first-fit over each cell's words (greedy, as a browser breaks a
//! cell): the cells themselves are then set by the line breaker, which on lines this
//! short breaks where first-fit does, or nearly. Written by hand: no crate lays out
//! tables for a PDF of our own.

use super::shape::{Item, INF};

/// One unbreakable piece of a cell's text: its width, the width of the space after it
/// when the line goes on, what it adds at the end of a line broken after it (a
/// hyphen), and whether a line must end after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    pub width: f32,
    pub space: f32,
    pub end: f32,
    pub forced: bool,
}

/// The pieces of a cell's items, as the breaker would see its break opportunities.
pub fn pieces(items: &[Item]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut run = 0.0f32;
    let mut open = false;
    let mut push = |run: &mut f32, open: &mut bool, space: f32, end: f32, forced: bool| {
        if *open || forced {
            out.push(Piece {
                width: *run,
                space,
                end,
                forced,
            });
        }
        *run = 0.0;
        *open = false;
    };
    for (i, item) in items.iter().enumerate() {
        let tied = i > 0 && matches!(items[i - 1], Item::Penalty { penalty, .. } if penalty >= INF);
        match item {
            Item::Box(_) => {
                run += item.width();
                open = true;
            }
            Item::Glue { width, .. } if !tied && open => {
                push(&mut run, &mut open, *width, 0.0, false)
            }
            Item::Glue { width, .. } => run += width,
            Item::Penalty { penalty, .. } if *penalty <= -INF => {
                push(&mut run, &mut open, 0.0, 0.0, true)
            }
            Item::Penalty { width, penalty, .. } if *penalty < INF && open => {
                push(&mut run, &mut open, 0.0, *width, false)
            }
            Item::Penalty { .. } => {}
        }
    }
    if open {
        out.push(Piece {
            width: run,
            space: 0.0,
            end: 0.0,
            forced: false,
        });
    }
    // The glue that ends a paragraph is no space between pieces.
    if let Some(last) = out.last_mut() {
        last.space = 0.0;
    }
    out
}

/// Lines the pieces take at `width`, first-fit; a piece wider than the line takes a
/// line of its own.
pub fn lines(pieces: &[Piece], width: f32) -> u32 {
    let mut lines = 0;
    // The width of the current line so far, and the space after its last piece.
    let mut line: Option<(f32, f32)> = None;
    for p in pieces {
        line = match line {
            Some((w, space)) if w + space + p.width + p.end <= width => {
                Some((w + space + p.width, p.space))
            }
            _ => {
                lines += 1;
                Some((p.width, p.space))
            }
        };
        if p.forced {
            line = None;
        }
    }
    lines.max(1)
}

/// The least width at which `pieces` take fewer lines than at `width`, if one up to
/// `limit` does.
fn next_step(pieces: &[Piece], width: f32, limit: f32) -> Option<f32> {
    let now = lines(pieces, width);
    if now <= 1 || lines(pieces, limit) >= now {
        return None;
    }
    // Lines are fewer or as many on a wider line: halve the interval to a hundredth
    // of a point.
    let (mut lo, mut hi) = (width, limit);
    while hi - lo > 0.01 {
        let mid = (lo + hi) / 2.0;
        if lines(pieces, mid) < now {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// The width a cell's pieces take on one line.
fn one_line(pieces: &[Piece]) -> f32 {
    let gaps: f32 = pieces.iter().rev().skip(1).map(|p| p.space).sum();
    pieces.iter().map(|p| p.width).sum::<f32>() + gaps + 1.0
}

/// How many of a column's next steps are weighed in one round: the smallest ones.
/// Every step of a long table would make a round cost as much as the table; the
/// small ones are the cheap ones, and a step left out is weighed in a later round.
const CANDIDATES: usize = 8;

/// A table's cells as the room is given out: each cell's lines, and each column's
/// next steps (the least width at which a cell of it takes a line fewer), sorted.
/// Kept from round to round, only the widened column's changed cells are measured
/// again: weighing every step of every cell each round made a 2,000-row table of five
/// columns of random sentences take 12.3 s to build; this takes 0.70 s (0.60 s with
/// CSS's shares), a 40-row table no time that shows.
struct State<'a> {
    cells: &'a [Vec<Vec<Piece>>],
    pad: f32,
    now: Vec<Vec<u32>>,
    steps: Vec<Vec<(f32, usize)>>,
}

impl State<'_> {
    fn pieces(&self, r: usize, c: usize) -> &[Piece] {
        self.cells[r].get(c).map_or(&[], Vec::as_slice)
    }

    fn lines(&self, r: usize, c: usize, width: f32) -> u32 {
        lines(self.pieces(r, c), width - self.pad)
    }

    /// Cell `(r, c)`'s next step from `width`, if it has one.
    fn step(&self, r: usize, c: usize, width: f32) -> Option<(f32, usize)> {
        let p = self.pieces(r, c);
        next_step(p, width - self.pad, one_line(p)).map(|s| (s + self.pad, r))
    }

    /// What widening column `c` to `to` saves (a thousand a line of the table's
    /// height, one a line of a cell), and the rows whose cells it changes.
    fn saving(&self, c: usize, to: f32, rows: &[(f32, usize)]) -> i64 {
        rows.iter()
            .map(|&(_, r)| {
                let row = &self.now[r];
                let old = row[c];
                let new = self.lines(r, c, to);
                let others = row
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != c)
                    .map(|(_, &n)| n)
                    .max()
                    .unwrap_or(1);
                let high = |n: u32| i64::from(n.max(others));
                1000 * (high(old) - high(new)) + i64::from(old) - i64::from(new)
            })
            .sum()
    }
}

/// Column widths (padding `pad` included in each) for `cells[row][column]` in `room`
/// pt, starting from the whole-word minimums `whole` (which fit) and sharing what no
/// step uses in proportion to how far each column is from its one-line width
/// `natural`.
pub fn fit(
    cells: &[Vec<Vec<Piece>>],
    whole: &[f32],
    natural: &[f32],
    pad: f32,
    room: f32,
) -> Vec<f32> {
    let ncols = whole.len();
    let mut widths = whole.to_vec();
    let mut left = room - whole.iter().sum::<f32>();
    let mut state = State {
        cells,
        pad,
        now: Vec::new(),
        steps: Vec::new(),
    };
    state.now = (0..cells.len())
        .map(|r| (0..ncols).map(|c| state.lines(r, c, widths[c])).collect())
        .collect();
    state.steps = (0..ncols)
        .map(|c| {
            let mut s: Vec<(f32, usize)> = (0..cells.len())
                .filter_map(|r| state.step(r, c, widths[c]))
                .collect();
            s.sort_by(|a, b| a.0.total_cmp(&b.0));
            s
        })
        .collect();
    loop {
        // The best step of this round: (saving per point, column, width, cells).
        let mut best: Option<(f32, usize, f32, usize)> = None;
        for (c, list) in state.steps.iter().enumerate() {
            let mut end = 0;
            for _ in 0..CANDIDATES {
                let Some(&(to, _)) = list.get(end) else { break };
                if to > widths[c] + left {
                    break;
                }
                // Every cell whose step is this width or less changes.
                while list.get(end).is_some_and(|s| s.0 <= to + 0.005) {
                    end += 1;
                }
                let saving = state.saving(c, to, &list[..end]);
                if saving <= 0 {
                    continue;
                }
                let rate = saving as f32 / (to - widths[c]).max(0.01);
                if best.is_none_or(|b| rate > b.0) {
                    best = Some((rate, c, to, end));
                }
            }
        }
        let Some((_, c, to, end)) = best else { break };
        left -= to - widths[c];
        widths[c] = to;
        // The changed cells take their new lines and next steps, merged back in order.
        let changed: Vec<(f32, usize)> = state.steps[c].drain(..end).collect();
        let mut fresh = Vec::new();
        for (_, r) in changed {
            state.now[r][c] = state.lines(r, c, to);
            fresh.extend(state.step(r, c, to));
        }
        fresh.sort_by(|a, b| a.0.total_cmp(&b.0));
        let rest = std::mem::take(&mut state.steps[c]);
        state.steps[c] = merge(rest, fresh);
    }
    // What is left goes as CSS shares it: by how much more each column would take to
    // set its cells on one line, or evenly when none would.
    let wants: Vec<f32> = natural
        .iter()
        .zip(&widths)
        .map(|(n, w)| (n - w).max(0.0))
        .collect();
    let total: f32 = wants.iter().sum();
    for (w, want) in widths.iter_mut().zip(&wants) {
        *w += if total > 0.01 {
            left * want / total
        } else {
            left / ncols.max(1) as f32
        };
    }
    widths
}

/// Two lists sorted by width, as one.
fn merge(a: Vec<(f32, usize)>, b: Vec<(f32, usize)>) -> Vec<(f32, usize)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if y.0 < x.0 => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(s) => out.push(s),
            None => return out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of the given widths with 3 pt spaces.
    fn words(widths: &[f32]) -> Vec<Piece> {
        let mut out: Vec<Piece> = widths
            .iter()
            .map(|&w| Piece {
                width: w,
                space: 3.0,
                end: 0.0,
                forced: false,
            })
            .collect();
        if let Some(l) = out.last_mut() {
            l.space = 0.0;
        }
        out
    }

    #[test]
    fn first_fit_counts_lines() {
        let p = words(&[10.0, 10.0, 10.0]);
        assert_eq!(lines(&p, 36.0), 1);
        assert_eq!(lines(&p, 35.9), 2);
        assert_eq!(lines(&p, 23.0), 2);
        assert_eq!(lines(&p, 22.9), 3);
        assert_eq!(lines(&p, 5.0), 3);
        assert_eq!(lines(&[], 5.0), 1);
        let mut forced = words(&[10.0, 10.0]);
        forced[0].forced = true;
        assert_eq!(lines(&forced, 100.0), 2);
        assert_eq!(
            next_step(&p, 23.0, 100.0).map(|s| (s * 10.0).round()),
            Some(360.0)
        );
        assert_eq!(next_step(&p, 23.0, 30.0), None);
    }

    #[test]
    fn room_goes_where_it_saves_lines() {
        // A label of two words beside a sentence that takes two lines at any width
        // left to it: CSS's shares gave the sentence nearly everything and broke the
        // label; the label now stays whole and the sentence still takes two lines.
        let label = words(&[40.0, 12.0]);
        let sentence = words(&[50.0; 8]);
        let cells: Vec<Vec<Vec<Piece>>> = (0..10)
            .map(|_| vec![label.clone(), sentence.clone()])
            .collect();
        let whole = [40.0, 50.0];
        let natural = [55.0, 8.0 * 50.0 + 7.0 * 3.0];
        let w = fit(&cells, &whole, &natural, 0.0, 300.0);
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01, "{w:?}");
        assert!(w[0] >= 55.0, "the label breaks: {w:?}");
        assert_eq!(lines(&sentence, w[1]), 2, "{w:?}");
    }
}
