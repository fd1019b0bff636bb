//! Knuth–Plass total-fit line breaking over box/glue/penalty items.
//!
//! Written by hand: the crates that exist either break greedily or bring their own
//! shaping and text model; the algorithm itself is short (Knuth & Plass 1981). This is
//! the classic active-node version with fitness classes folded into one best node per
//! breakpoint, and a last-resort pass that accepts overfull lines so that any input
//! gets broken.

use super::shape::{Item, INF};

/// One line: items `start..end`, glue scaled by `ratio`; `hyphen` when it ends at a
/// penalty whose hyphen is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub ratio: f32,
    pub hyphen: Option<usize>,
}

#[derive(Clone, Copy)]
struct Node {
    pos: usize,
    after: usize,
    w: f32,
    st: f32,
    sh: f32,
    demerits: f64,
    prev: Option<usize>,
    flagged: bool,
    fitness: u8,
}

/// Break `items` into lines of `width` pt.
pub fn break_lines(items: &[Item], width: f32) -> Vec<Line> {
    for tolerance in [1.5_f32, 3.0, 10.0] {
        if let Some(lines) = run(items, width, tolerance, false) {
            return lines;
        }
    }
    run(items, width, f32::MAX, true).unwrap_or_default()
}

/// Break `items` only where they force a break, as if the measure were unbounded: what
/// [`break_lines`] gives for text set on one line, in time linear in the items (total
/// fit over an unbounded measure keeps every breakpoint active, which is quadratic).
pub fn unbroken(items: &[Item]) -> Vec<Line> {
    let sums = Sums::of(items);
    let mut out = Vec::new();
    let mut start = 0;
    for (b, it) in items.iter().enumerate() {
        if matches!(it, Item::Penalty { penalty, .. } if *penalty <= -INF) {
            out.push(sums.line(items, start, b, f32::MAX / 4.0));
            start = after(items, b);
        }
    }
    out
}

/// Prefix sums of widths, stretch and shrink before item i.
struct Sums {
    w: Vec<f32>,
    st: Vec<f32>,
    sh: Vec<f32>,
}

impl Sums {
    fn of(items: &[Item]) -> Sums {
        let n = items.len();
        let mut s = Sums {
            w: vec![0.0f32; n + 1],
            st: vec![0.0f32; n + 1],
            sh: vec![0.0f32; n + 1],
        };
        for (i, it) in items.iter().enumerate() {
            let (w, st, sh) = match it {
                Item::Box(c) => (c.width(), 0.0, 0.0),
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    ..
                } => (*width, *stretch, *shrink),
                Item::Penalty { .. } => (0.0, 0.0, 0.0),
            };
            s.w[i + 1] = s.w[i] + w;
            s.st[i + 1] = s.st[i] + st;
            s.sh[i + 1] = s.sh[i] + sh;
        }
        s
    }

    /// The line from item `start` to the break at `end`, its glue set to fill `width`.
    fn line(&self, items: &[Item], start: usize, end: usize, width: f32) -> Line {
        let l = self.w[end] - self.w[start];
        let (hyphen, pw) = match &items[end] {
            Item::Penalty {
                hyphen: Some(_),
                width,
                ..
            } => (Some(end), *width),
            _ => (None, 0.0),
        };
        let l = l + pw;
        let ratio = if l < width {
            let st = self.st[end] - self.st[start];
            if st > 0.0 {
                ((width - l) / st).min(INF)
            } else {
                0.0
            }
        } else {
            let sh = self.sh[end] - self.sh[start];
            if sh > 0.0 {
                ((width - l) / sh).max(-1.0)
            } else {
                0.0
            }
        };
        Line {
            start,
            end,
            ratio,
            hyphen,
        }
    }
}

/// The first item of the line after a break at `b`: discardable glue and penalties
/// are skipped.
fn after(items: &[Item], b: usize) -> usize {
    let mut j = b;
    while j < items.len() {
        match &items[j] {
            Item::Box(_) => break,
            Item::Penalty { penalty, .. } if *penalty <= -INF && j > b => break,
            _ => j += 1,
        }
    }
    j
}

fn run(items: &[Item], width: f32, tolerance: f32, emergency: bool) -> Option<Vec<Line>> {
    let n = items.len();
    let sums = Sums::of(items);
    let (sw, sst, ssh) = (&sums.w, &sums.st, &sums.sh);
    let mut nodes: Vec<Node> = vec![Node {
        pos: 0,
        after: 0,
        w: 0.0,
        st: 0.0,
        sh: 0.0,
        demerits: 0.0,
        prev: None,
        flagged: false,
        fitness: 1,
    }];
    let mut active: Vec<usize> = vec![0];
    for b in 0..n {
        let (legal, pen, pw, flagged) = match &items[b] {
            Item::Penalty {
                penalty,
                width,
                flagged,
                ..
            } if *penalty < INF => (true, *penalty, *width, *flagged),
            Item::Glue { .. } if b > 0 && matches!(items[b - 1], Item::Box(_)) => {
                (true, 0.0, 0.0, false)
            }
            _ => (false, 0.0, 0.0, false),
        };
        if !legal {
            continue;
        }
        let mut best: Option<Node> = None;
        let mut keep = Vec::new();
        for &a in &active {
            #[cfg(test)]
            tests::EXAMINED.with(|c| c.set(c.get() + 1));
            let an = nodes[a];
            let l = sw[b] - an.w + pw;
            let ratio = if l < width {
                let st = sst[b] - an.st;
                if st > 0.0 {
                    (width - l) / st
                } else {
                    INF
                }
            } else if l > width {
                let sh = ssh[b] - an.sh;
                if sh > 0.0 {
                    (width - l) / sh
                } else {
                    -INF
                }
            } else {
                0.0
            };
            let forced = pen <= -INF;
            if ratio >= -1.0 && !forced {
                keep.push(a);
            }
            let feasible = (-1.0..=tolerance).contains(&ratio);
            if feasible || (emergency && (ratio < -1.0 || forced)) {
                let badness = 100.0 * f64::from(ratio.abs().min(100.0)).powi(3);
                let mut d = (10.0 + badness).powi(2);
                if pen >= 0.0 {
                    d += f64::from(pen).powi(2);
                } else if pen > -INF {
                    d -= f64::from(pen).powi(2);
                }
                if flagged && an.flagged {
                    d += 3000.0;
                }
                let fitness: u8 = if ratio < -0.5 {
                    0
                } else if ratio <= 0.5 {
                    1
                } else if ratio <= 1.0 {
                    2
                } else {
                    3
                };
                if fitness.abs_diff(an.fitness) > 1 {
                    d += 3000.0;
                }
                if !feasible {
                    d += 1e12;
                }
                let total = an.demerits + d;
                if best.is_none_or(|x| total < x.demerits) {
                    let j = after(items, b);
                    best = Some(Node {
                        pos: b,
                        after: j,
                        w: sw[j],
                        st: sst[j],
                        sh: ssh[j],
                        demerits: total,
                        prev: Some(a),
                        flagged,
                        fitness,
                    });
                }
            }
        }
        active = keep;
        if let Some(node) = best {
            nodes.push(node);
            active.push(nodes.len() - 1);
        }
        if active.is_empty() {
            return None;
        }
    }
    // The paragraph ends with a forced break, so the last node is the best ending.
    let last = nodes
        .iter()
        .enumerate()
        .filter(|(_, nd)| nd.pos + 1 == n || nd.after >= n)
        .min_by(|x, y| x.1.demerits.total_cmp(&y.1.demerits))
        .map(|(i, _)| i)?;
    let mut out = Vec::new();
    let mut cur = Some(last);
    while let Some(i) = cur {
        let nd = nodes[i];
        let Some(p) = nd.prev else { break };
        out.push(sums.line(items, nodes[p].after, nd.pos, width));
        cur = nd.prev;
    }
    out.reverse();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{Family, Variant};
    use crate::house::Rgb;
    use crate::render::pdf::shape::{Chunk, Glyph, Style};
    use std::cell::Cell;

    thread_local! {
        /// Pairs of (active node, breakpoint) weighed by `run` on this thread.
        pub static EXAMINED: Cell<usize> = const { Cell::new(0) };
    }

    fn word(width: f32) -> Item {
        Item::Box(Chunk {
            font: 0,
            style: Style {
                variant: Variant {
                    family: Family::Serif,
                    bold: false,
                    italic: false,
                },
                size: 10.0,
                color: Rgb(0, 0, 0),
                link: None,
                artifact: false,
                rise: 0.0,
                tracking: 0.0,
                node: 0,
            },
            glyphs: vec![Glyph {
                gid: 1,
                advance: width,
                cluster: 0,
                text: "w".into(),
            }]
            .into(),
        })
    }

    fn space() -> Item {
        Item::Glue {
            width: 3.0,
            stretch: 1.8,
            shrink: 1.0,
            space: None,
        }
    }

    /// Words of varied widths with spaces and, every `every` words, a forced break.
    fn paragraph(words: usize, every: usize) -> Vec<Item> {
        let mut items = Vec::new();
        for i in 0..words {
            if i > 0 {
                if i % every == 0 {
                    crate::render::pdf::shape::forced_break(&mut items);
                } else {
                    items.push(space());
                }
            }
            items.push(word(8.0 + (i * 7 % 23) as f32));
        }
        crate::render::pdf::shape::forced_break(&mut items);
        items
    }

    /// Text set on one line is broken where it forces a break and nowhere else, as
    /// total fit over an unbounded measure breaks it.
    #[test]
    fn unbroken_is_total_fit_over_an_unbounded_measure() {
        for (words, every) in [(1, 1), (40, 1000), (40, 7), (120, 3)] {
            let items = paragraph(words, every);
            let lines = unbroken(&items);
            assert_eq!(
                lines,
                break_lines(&items, f32::MAX / 4.0),
                "{words}/{every}"
            );
            assert_eq!(lines.len(), (words - 1) / every + 1);
        }
    }

    /// A paragraph of 20,000 words is broken by weighing a bounded number of active
    /// breakpoints at each breakpoint (those a line can still reach), not all earlier
    /// ones: the work grows with the paragraph, not with its square.
    #[test]
    fn active_breakpoints_stay_bounded_in_a_huge_paragraph() {
        let items = paragraph(20_000, usize::MAX);
        EXAMINED.with(|c| c.set(0));
        let lines = break_lines(&items, 250.0);
        let examined = EXAMINED.with(Cell::get);
        assert!(lines.len() > 1000, "{} lines", lines.len());
        assert!(lines.iter().all(|l| l.ratio >= -1.0));
        // About ten words reach across a 250 pt line; a quadratic search would weigh
        // some 200 million pairs.
        assert!(examined < 20_000 * 40, "{examined} pairs weighed");
    }
}
