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

fn run(items: &[Item], width: f32, tolerance: f32, emergency: bool) -> Option<Vec<Line>> {
    // Prefix sums of widths, stretch and shrink before item i.
    let n = items.len();
    let (mut sw, mut sst, mut ssh) = (
        vec![0.0f32; n + 1],
        vec![0.0f32; n + 1],
        vec![0.0f32; n + 1],
    );
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
        sw[i + 1] = sw[i] + w;
        sst[i + 1] = sst[i] + st;
        ssh[i + 1] = ssh[i] + sh;
    }
    let after = |b: usize| -> usize {
        // The first item of the next line: skip discardable glue and penalties.
        let mut j = b;
        while j < n {
            match &items[j] {
                Item::Box(_) => break,
                Item::Penalty { penalty, .. } if *penalty <= -INF && j > b => break,
                _ => j += 1,
            }
        }
        j
    };
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
                    let j = after(b);
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
        let start = nodes[p].after;
        let l = sw[nd.pos] - sw[start];
        let (hyphen, pw) = match &items[nd.pos] {
            Item::Penalty {
                hyphen: Some(_),
                width,
                ..
            } => (Some(nd.pos), *width),
            _ => (None, 0.0),
        };
        let l = l + pw;
        let ratio = if l < width {
            let st = sst[nd.pos] - sst[start];
            if st > 0.0 {
                ((width - l) / st).min(INF)
            } else {
                0.0
            }
        } else {
            let sh = ssh[nd.pos] - ssh[start];
            if sh > 0.0 {
                ((width - l) / sh).max(-1.0)
            } else {
                0.0
            }
        };
        out.push(Line {
            start,
            end: nd.pos,
            ratio,
            hyphen,
        });
        cur = nd.prev;
    }
    out.reverse();
    Some(out)
}
