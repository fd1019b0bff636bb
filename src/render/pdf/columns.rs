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
    let count = |c: usize, w: f32, row: &[Vec<Piece>]| row.get(c).map_or(1, |p| lines(p, w - pad));
    // Each cell's lines at the current widths.
    let mut now: Vec<Vec<u32>> = cells
        .iter()
        .map(|row| (0..ncols).map(|c| count(c, widths[c], row)).collect())
        .collect();
    // Height counts a thousand times a cell's line: it goes first.
    let score = |now: &[Vec<u32>]| -> u64 {
        now.iter()
            .map(|r| {
                1000 * u64::from(r.iter().copied().max().unwrap_or(1))
                    + r.iter().map(|&n| u64::from(n)).sum::<u64>()
            })
            .sum()
    };
    let mut current = score(&now);
    // Each step saves at least one cell's line, so there are at most as many steps as
    // lines beyond the first in all cells.
    let most_steps: u32 = now.iter().flatten().map(|n| n - 1).sum();
    for _ in 0..most_steps {
        let mut best: Option<(f32, usize, f32, u64)> = None;
        for c in 0..ncols {
            let limit = widths[c] + left;
            let mut steps: Vec<f32> = cells
                .iter()
                .filter_map(|row| row.get(c))
                .filter_map(|p| next_step(p, widths[c] - pad, limit - pad))
                .map(|s| s + pad)
                .collect();
            steps.sort_by(f32::total_cmp);
            steps.dedup_by(|a, b| (*a - *b).abs() < 0.01);
            for &to in &steps {
                let mut trial = now.clone();
                for (r, row) in cells.iter().enumerate() {
                    trial[r][c] = count(c, to, row);
                }
                let s = score(&trial);
                if s >= current {
                    continue;
                }
                let rate = (current - s) as f32 / (to - widths[c]).max(0.01);
                if best.is_none_or(|b| rate > b.0) {
                    best = Some((rate, c, to, s));
                }
            }
        }
        let Some((_, c, to, s)) = best else { break };
        left -= to - widths[c];
        widths[c] = to;
        for (r, row) in cells.iter().enumerate() {
            now[r][c] = count(c, to, row);
        }
        current = s;
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
