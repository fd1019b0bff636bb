//! Knuth–Plass total-fit line breaking over box/glue/penalty items.
//!
//! Written by hand: the crates that exist either break greedily or bring their own
//! shaping and text model; the algorithm itself is short (Knuth & Plass 1981). This is
//! the classic active-node version with fitness classes folded into one best node per
//! breakpoint, and a last-resort pass that accepts overfull lines so that any input
//! gets broken.
//!
//! Justified lines also have micro-typography, as pdfTeX's: letter-spacing within the
//! house's limits counts as stretch and shrink beside the word spaces', and punctuation
//! at a line's ends hangs into the margin (protrusion), which widens the room the line
//! has to fill. Both are weighed while breaking, not applied afterwards, so they change
//! which breaks are chosen (docs/typesetting.md).

use super::shape::{tie_at, Chunk, Glyph, Item, INF};
use crate::house::Typeset;

/// One line: items `start..end`, glue scaled by `ratio`; `hyphen` when it ends at a
/// penalty whose hyphen is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub ratio: f32,
    pub hyphen: Option<usize>,
    /// Letter-spacing added to every glyph of the line, in em of its size (negative:
    /// tighter).
    pub letter: f32,
    /// How much wider (negative: narrower) every glyph of the line is set, as a share
    /// of its width (`Tz` 100 % plus this).
    pub scale: f32,
    /// How far the line's first glyph hangs into the left margin, in pt.
    pub left: f32,
    /// How far its last glyph hangs into the right margin, in pt.
    pub right: f32,
}

/// What the breaker weighs, from the house's `[typeset]` (docs/typesetting.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub line_penalty: f64,
    pub double_hyphen_demerits: f64,
    /// Lines in a row that may end in a hyphen, but in the last pass; 0: any number.
    pub hyphen_run_limit: u8,
    pub final_hyphen_demerits: f64,
    pub adj_demerits: f64,
    pub fragment_demerits: f64,
    pub lone_word_demerits: f64,
    /// Letter-spacing a line may lose and gain, in em per glyph (both 0 or more).
    pub letter_shrink: f32,
    pub letter_stretch: f32,
    /// Share of their width the glyphs of a line may lose and gain (both 0 or more).
    pub scale_shrink: f32,
    pub scale_stretch: f32,
    /// Characters that hang into the left and right margin, by a share of their width.
    pub protrude_left: Vec<(char, f32)>,
    pub protrude_right: Vec<(char, f32)>,
    /// Stretch (pt) every line but the last has at its end, for lines set ragged: as
    /// TeX's `\rightskip` of `0pt plus 2em` (ragged2e), a line may fall that much
    /// short at ratio 1, so short lines cost little and a hyphen is taken only where
    /// a line would otherwise be very short. Without it a narrow table cell was
    /// broken as if justified, "al-" / "location bud-" / "get budget de-" / "fence".
    pub ragged_stretch: f32,
}

impl From<&Typeset> for Params {
    fn from(t: &Typeset) -> Params {
        let chars = |m: &std::collections::BTreeMap<String, f32>| {
            m.iter()
                .filter_map(|(c, f)| c.chars().next().map(|c| (c, *f)))
                .collect()
        };
        Params {
            line_penalty: f64::from(t.line_penalty),
            double_hyphen_demerits: f64::from(t.double_hyphen_demerits),
            hyphen_run_limit: t.hyphen_run_limit,
            final_hyphen_demerits: f64::from(t.final_hyphen_demerits),
            adj_demerits: f64::from(t.adj_demerits),
            fragment_demerits: f64::from(t.fragment_demerits),
            lone_word_demerits: f64::from(t.lone_word_demerits),
            letter_shrink: (-t.letter_spacing_min).max(0.0),
            letter_stretch: t.letter_spacing_max.max(0.0),
            scale_shrink: (-t.glyph_scaling_min).max(0.0),
            scale_stretch: t.glyph_scaling_max.max(0.0),
            protrude_left: chars(&t.protrude_left),
            protrude_right: chars(&t.protrude_right),
            ragged_stretch: 0.0,
        }
    }
}

impl Params {
    /// No weights and no micro-typography: for [`unbroken`], which only adds widths.
    fn neutral() -> Params {
        Params {
            line_penalty: 0.0,
            double_hyphen_demerits: 0.0,
            hyphen_run_limit: 0,
            final_hyphen_demerits: 0.0,
            adj_demerits: 0.0,
            fragment_demerits: 0.0,
            lone_word_demerits: 0.0,
            letter_shrink: 0.0,
            letter_stretch: 0.0,
            scale_shrink: 0.0,
            scale_stretch: 0.0,
            protrude_left: Vec::new(),
            protrude_right: Vec::new(),
            ragged_stretch: 0.0,
        }
    }

    /// The same weights without micro-typography: for lines set ragged, which are
    /// never stretched and whose ends do not meet a margin.
    #[must_use]
    pub fn plain(mut self) -> Params {
        self.letter_shrink = 0.0;
        self.letter_stretch = 0.0;
        self.scale_shrink = 0.0;
        self.scale_stretch = 0.0;
        self.protrude_left.clear();
        self.protrude_right.clear();
        self
    }

    /// [`Params::plain`] for lines set ragged, each with `stretch` pt at its end
    /// ([`Params::ragged_stretch`]).
    #[must_use]
    pub fn ragged(self, stretch: f32) -> Params {
        Params {
            ragged_stretch: stretch.max(0.0),
            ..self.plain()
        }
    }

    fn share(table: &[(char, f32)], g: &Glyph) -> f32 {
        let mut cs = g.text.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) => table.iter().find(|(t, _)| *t == c).map_or(0.0, |(_, f)| *f),
            _ => 0.0,
        }
    }
}

#[derive(Clone, Copy)]
struct Node {
    pos: usize,
    after: usize,
    w: f32,
    st: f32,
    sh: f32,
    /// Glyphs before `after`, weighed by their size (pt): what letter-spacing acts on.
    mass: f32,
    /// Advance of the glyphs before `after` (pt): what glyph scaling acts on.
    adv: f32,
    demerits: f64,
    prev: Option<usize>,
    /// The line ends in a hyphen, inserted or written (TeX's flagged penalty).
    flagged: bool,
    /// The line ends inside a word: the next line starts with the rest of it.
    in_word: bool,
    /// Lines in a row, this one included, that end in a hyphen.
    hyphens: u8,
    fitness: u8,
}

/// Break `items` into lines of `width` pt, weighing breaks by `params`.
///
/// Three passes with a growing tolerance for loose lines; should none find a way,
/// a last pass takes the least bad breaks whatever their looseness, so a line is
/// always stretched to the edge rather than left short.
pub fn break_with(items: &[Item], width: f32, params: &Params) -> Vec<Line> {
    for tolerance in [3.0_f32, 10.0] {
        if let Some(lines) = run(items, width, tolerance, false, params) {
            return lines;
        }
    }
    run(items, width, f32::MAX, true, params).unwrap_or_default()
}

/// `items` with breaks of last resort, when some run between two breaks is wider than
/// `width` (a word no line can hold, as in a narrow table cell; ties in a row): then
/// every box of the paragraph is cut between its glyph clusters, and every tie may
/// break, so nothing runs past the edge of its column. The cuts are taken only where
/// nothing else fits. A cut shows no hyphen (it may be inside an address) and the PDF
/// marks it as inside a word, as a break after a slash is; a tie's break is a word
/// break.
///
/// `unkern` gives the advance a piece's last glyph gets back at a cut after it
/// ([`super::shape::Shaper::unkern_last`]): the word was shaped whole.
pub fn split_wide(items: Vec<Item>, width: f32, unkern: impl Fn(&Chunk) -> f32) -> Vec<Item> {
    // The widest run between two breaks, as a line must hold it.
    let mut wide = false;
    let mut run = 0.0f32;
    for (i, it) in items.iter().enumerate() {
        let after_box = i > 0 && matches!(items[i - 1], Item::Box(_));
        match it {
            Item::Box(c) => run += c.width(),
            Item::Penalty {
                penalty, width: pw, ..
            } if *penalty < INF => {
                wide |= run + pw > width + 0.01;
                run = 0.0;
            }
            Item::Penalty { .. } => {}
            Item::Glue { .. } if after_box => {
                wide |= run > width + 0.01;
                run = 0.0;
            }
            // A tie (glue behind an infinite penalty) is no break: its run goes on.
            Item::Glue { width: w, .. } => run += w,
        }
    }
    if !wide {
        return items;
    }
    let mut out = Vec::with_capacity(items.len() * 2);
    let mut items = items.into_iter().peekable();
    while let Some(it) = items.next() {
        match it {
            // A tie (no-break spaces, `§ 4`) breaks too where nothing else can: a run
            // of them wider than the line (code pasted with its spaces as no-break
            // spaces) ran past the column's edge into the next one.
            Item::Penalty {
                penalty,
                width,
                flagged,
                hyphen,
            } if penalty >= INF
                && matches!(items.peek(), Some(Item::Glue { space: Some(_), .. })) =>
            {
                out.push(Item::Penalty {
                    penalty: EMERGENCY,
                    width,
                    flagged,
                    hyphen,
                });
            }
            Item::Box(c) if c.glyphs.len() > 1 && !c.style.artifact => {
                // A piece starts at each glyph that begins a cluster.
                let mut piece: Vec<Glyph> = Vec::new();
                for g in c.glyphs.iter() {
                    if !piece.is_empty() && !g.text.is_empty() {
                        let piece = Chunk {
                            glyphs: std::mem::take(&mut piece).into(),
                            ..c.clone()
                        };
                        let width = unkern(&piece);
                        out.push(Item::Box(piece));
                        out.push(Item::Penalty {
                            width,
                            penalty: EMERGENCY,
                            flagged: false,
                            hyphen: None,
                        });
                    }
                    piece.push(g.clone());
                }
                out.push(Item::Box(Chunk {
                    glyphs: piece.into(),
                    ..c
                }));
            }
            other => out.push(other),
        }
    }
    out
}

/// The penalty of a break between two letters that no rule allows: taken only when
/// a word is wider than its line.
const EMERGENCY: f32 = 5_000.0;

/// Break `items` only where they force a break, as if the measure were unbounded: what
/// [`break_with`] gives for text set on one line, in time linear in the items (total
/// fit over an unbounded measure keeps every breakpoint active, which is quadratic).
pub fn unbroken(items: &[Item]) -> Vec<Line> {
    let params = Params::neutral();
    let sums = Sums::of(items, &params);
    let mut out = Vec::new();
    let mut start = 0;
    for (b, it) in items.iter().enumerate() {
        if matches!(it, Item::Penalty { penalty, .. } if *penalty <= -INF) {
            out.push(sums.line(items, start, b, f32::MAX / 4.0, &params));
            start = after(items, b);
        }
    }
    out
}

/// Prefix sums of widths, stretch and shrink before item i, and what a line that
/// starts or ends at item i hangs into the margin.
struct Sums {
    w: Vec<f32>,
    st: Vec<f32>,
    sh: Vec<f32>,
    /// Glyphs before item i weighed by their size, in pt ([`Node::mass`]).
    mass: Vec<f32>,
    /// Advance of the glyphs before item i, in pt ([`Node::adv`]).
    adv: Vec<f32>,
    /// Word spaces before item i.
    spaces: Vec<u32>,
    /// What a line ending at a break at item i adds at its end ([`End`]); empty
    /// without micro-typography.
    ends: Vec<End>,
    /// How far a line starting at item i hangs into the left margin (pt); empty
    /// without micro-typography.
    left: Vec<f32>,
    /// Letter-spacing the lines may use, em per glyph.
    letter_shrink: f32,
    letter_stretch: f32,
    /// Glyph scaling the lines may use, a share of the glyphs' width.
    scale_shrink: f32,
    scale_stretch: f32,
}

/// What a line ending at a break adds at its end: how far its last glyph hangs into
/// the right margin (pt), the size of that glyph (the letter-spacing after it does not
/// show, so it does not count), and the mass and advance of the hyphen shown there.
#[derive(Clone, Copy, Default)]
struct End {
    hang: f32,
    last: f32,
    hyphen_mass: f32,
    hyphen_adv: f32,
}

/// The glyphs of `c` weighed by their size.
fn mass_of(c: &Chunk) -> f32 {
    c.glyphs.len() as f32 * c.style.size
}

/// The advance of the glyphs of `c`, as shaped (pt).
fn adv_of(c: &Chunk) -> f32 {
    c.glyphs.iter().map(|g| g.advance).sum()
}

impl Sums {
    fn of(items: &[Item], params: &Params) -> Sums {
        let n = items.len();
        let micro = params.letter_stretch > 0.0
            || params.letter_shrink > 0.0
            || params.scale_stretch > 0.0
            || params.scale_shrink > 0.0
            || !params.protrude_left.is_empty()
            || !params.protrude_right.is_empty();
        let mut s = Sums {
            w: vec![0.0f32; n + 1],
            st: vec![0.0f32; n + 1],
            sh: vec![0.0f32; n + 1],
            mass: vec![0.0f32; n + 1],
            adv: vec![0.0f32; n + 1],
            spaces: vec![0; n + 1],
            ends: Vec::new(),
            left: Vec::new(),
            letter_shrink: params.letter_shrink,
            letter_stretch: params.letter_stretch,
            scale_shrink: params.scale_shrink,
            scale_stretch: params.scale_stretch,
        };
        if micro {
            s.ends = vec![End::default(); n + 1];
            s.left = vec![0.0f32; n + 1];
        }
        for (i, it) in items.iter().enumerate() {
            let (w, st, sh, m, a) = match it {
                Item::Box(c) => (c.width(), 0.0, 0.0, mass_of(c), adv_of(c)),
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    space,
                } => (
                    *width,
                    *stretch,
                    *shrink,
                    space.as_ref().map_or(0.0, mass_of),
                    space.as_ref().map_or(0.0, adv_of),
                ),
                Item::Penalty { .. } => (0.0, 0.0, 0.0, 0.0, 0.0),
            };
            s.w[i + 1] = s.w[i] + w;
            s.st[i + 1] = s.st[i] + st;
            s.sh[i + 1] = s.sh[i] + sh;
            s.mass[i + 1] = s.mass[i] + m;
            s.adv[i + 1] = s.adv[i] + a;
            let space = matches!(it, Item::Glue { space: Some(_), .. });
            s.spaces[i + 1] = s.spaces[i] + u32::from(space);
            if micro {
                s.ends[i] = end_at(items, i, params);
                if let Item::Box(c) = it {
                    if let Some(g) = c.glyphs.first() {
                        s.left[i] = Params::share(&params.protrude_left, g) * g.advance;
                    }
                }
            }
        }
        s
    }

    /// What a line ending at item `b` adds at its end.
    fn end(&self, b: usize) -> End {
        self.ends.get(b).copied().unwrap_or_default()
    }

    /// How far a line starting at item `j` hangs into the left margin.
    fn hang_left(&self, j: usize) -> f32 {
        self.left.get(j).copied().unwrap_or(0.0)
    }

    /// The stretch and shrink (pt) the letters of a line give, by letter-spacing and
    /// glyph scaling, when it starts where the prefix mass is `mass` and the prefix
    /// advance `adv` and ends at the break at `b`. The last line of a paragraph
    /// (`last`) keeps its letters as they are: it is set at its natural spacing, and
    /// shrinks, when it must, by its spaces alone, as without micro-typography.
    fn letters(&self, (mass, adv): (f32, f32), b: usize, last: bool) -> (f32, f32) {
        if last
            || (self.letter_stretch == 0.0
                && self.letter_shrink == 0.0
                && self.scale_stretch == 0.0
                && self.scale_shrink == 0.0)
        {
            return (0.0, 0.0);
        }
        let e = self.end(b);
        let m = (self.mass[b] - mass + e.hyphen_mass - e.last).max(0.0);
        let a = (self.adv[b] - adv + e.hyphen_adv).max(0.0);
        (
            m * self.letter_stretch + a * self.scale_stretch,
            m * self.letter_shrink + a * self.scale_shrink,
        )
    }

    /// The line from item `start` to the break at `end`, its glue and letters set to
    /// fill `width` and its ends hung into the margins.
    fn line(&self, items: &[Item], start: usize, end: usize, width: f32, params: &Params) -> Line {
        let (hyphen, pw, forced) = match &items[end] {
            Item::Penalty {
                hyphen: Some(_),
                width,
                ..
            } => (Some(end), *width, false),
            // A break inside a word with no hyphen has a width too: what its last
            // glyph gets back of its kerning (`shape::Part::unkern`).
            Item::Penalty { penalty, width, .. } => (None, *width, *penalty <= -INF),
            _ => (None, 0.0, false),
        };
        let l = self.w[end] - self.w[start] + pw;
        let left = self.hang_left(start);
        // The last line of a paragraph is set ragged: nothing of it meets the right
        // margin.
        let right = if forced { 0.0 } else { self.end(end).hang };
        let (lst, lsh) = self.letters((self.mass[start], self.adv[start]), end, forced);
        let st = self.st[end] - self.st[start] + if forced { 0.0 } else { params.ragged_stretch };
        let sh = self.sh[end] - self.sh[start];
        let ratio = fit(l, width + left + right, st, sh, lst, lsh, true);
        // The letters' share: up to ratio 1 (and down to -1) they go as far as the
        // ratio, past it they stay at their limits.
        let (letter, scale) = if ratio >= 0.0 && lst > 0.0 {
            let r = ratio.min(1.0);
            (r * params.letter_stretch, r * params.scale_stretch)
        } else if ratio < 0.0 && lsh > 0.0 {
            let r = ratio.max(-1.0);
            (r * params.letter_shrink, r * params.scale_shrink)
        } else {
            (0.0, 0.0)
        };
        Line {
            start,
            end,
            ratio,
            hyphen,
            letter,
            scale,
            left,
            right,
        }
    }
}

/// What a line ending at a break at item `b` adds at its end ([`End`]).
fn end_at(items: &[Item], b: usize, params: &Params) -> End {
    let last_of = |c: &Chunk| {
        c.glyphs.last().map_or(End::default(), |g| End {
            hang: Params::share(&params.protrude_right, g) * g.advance,
            last: c.style.size,
            hyphen_mass: 0.0,
            hyphen_adv: 0.0,
        })
    };
    match &items[b] {
        Item::Penalty {
            hyphen: Some(h), ..
        } => End {
            hyphen_mass: mass_of(h),
            hyphen_adv: adv_of(h),
            ..last_of(h)
        },
        Item::Penalty { .. } | Item::Glue { .. } => match b.checked_sub(1).map(|i| &items[i]) {
            Some(Item::Box(c)) => last_of(c),
            _ => End::default(),
        },
        Item::Box(_) => End::default(),
    }
}

/// The ratio of a line of natural width `l` set in `room`: how far its glue (`st`,
/// `sh`) and its letters (`lst`, `lsh`) stretch (positive) or shrink (negative). Up to
/// 1 both stretch alike; past it the letters stay at their limit and the glue alone
/// goes on, so a ratio above 1 is the glue's. Without letter-spacing this is TeX's
/// ratio. `clamp` bounds it as a set line has it (shrink to -1, nothing to stretch 0).
/// A line with no glue to stretch (one token that spaces cannot widen) that falls
/// short of the edge is `INF` plus the points it falls short by, for
/// [`Pass::demerits`] to tell a nearly full one from a nearly empty one.
fn fit(l: f32, room: f32, st: f32, sh: f32, lst: f32, lsh: f32, clamp: bool) -> f32 {
    if l < room {
        let need = room - l;
        let all = st + lst;
        if all <= 0.0 {
            return if clamp { 0.0 } else { INF + need };
        }
        let r = if need <= all || lst == 0.0 {
            need / all
        } else if st > 0.0 {
            1.0 + (need - all) / st
        } else if clamp {
            1.0
        } else {
            INF + (need - all)
        };
        if clamp {
            r.min(INF)
        } else {
            r
        }
    } else if l > room {
        let all = sh + lsh;
        if all <= 0.0 {
            return if clamp { 0.0 } else { -INF };
        }
        let r = (room - l) / all;
        if clamp {
            r.max(-1.0)
        } else {
            r
        }
    } else {
        0.0
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

/// The fitness class of a line set at `ratio`: 0 tight, 1 decent, 2 loose, 3 very
/// loose (TeX's four classes, in the opposite order).
fn fitness(ratio: f32) -> u8 {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

/// How far the glue (and letters) of the line from node `an` to the break `b` (whose
/// penalty adds `pw` pt) must stretch (positive) or shrink (negative) to fill `width`.
#[allow(clippy::too_many_arguments)]
fn ratio_of(
    sums: &Sums,
    items: &[Item],
    an: &Node,
    b: usize,
    pw: f32,
    width: f32,
    ragged: f32,
) -> f32 {
    let l = sums.w[b] - an.w + pw;
    let room = width + sums.hang_left(an.after) + sums.end(b).hang;
    let last = matches!(items[b], Item::Penalty { penalty, .. } if penalty <= -INF);
    let (lst, lsh) = sums.letters((an.mass, an.adv), b, last);
    fit(
        l,
        room,
        sums.st[b] - an.st + if last { 0.0 } else { ragged },
        sums.sh[b] - an.sh,
        lst,
        lsh,
        false,
    )
}

/// A legal breakpoint: its penalty, the width the penalty adds, and whether the line
/// it ends is flagged (ends in a hyphen) or ends inside a word.
#[derive(Clone, Copy)]
struct Break {
    pen: f32,
    pw: f32,
    flagged: bool,
    in_word: bool,
}

/// The breakpoint at `items[b]`, or `None` where no line may end.
fn break_at(items: &[Item], b: usize) -> Option<Break> {
    match &items[b] {
        Item::Penalty {
            penalty,
            width,
            flagged,
            ..
        } if *penalty < INF => {
            // A penalty between two boxes breaks a word (at a hyphen, a dash or
            // a slash); a forced break ends the paragraph or a line of it; a tie's
            // is a space.
            let in_word = *penalty > -INF && !tie_at(items, b);
            Some(Break {
                pen: *penalty,
                pw: *width,
                flagged: *flagged,
                in_word,
            })
        }
        Item::Glue { .. } if b > 0 && matches!(items[b - 1], Item::Box(_)) => Some(Break {
            pen: 0.0,
            pw: 0.0,
            flagged: false,
            in_word: false,
        }),
        _ => None,
    }
}

/// One pass of total fit over a paragraph: its items, measure, tolerance and sums.
struct Pass<'a> {
    items: &'a [Item],
    width: f32,
    tolerance: f32,
    emergency: bool,
    params: &'a Params,
    sums: Sums,
}

/// One pass of total fit; `None` when no way of breaking keeps every line within
/// `tolerance` (and, unless `emergency`, from being overfull).
fn run(
    items: &[Item],
    width: f32,
    tolerance: f32,
    emergency: bool,
    params: &Params,
) -> Option<Vec<Line>> {
    let n = items.len();
    let pass = Pass {
        items,
        width,
        tolerance,
        emergency,
        params,
        sums: Sums::of(items, params),
    };
    let mut nodes: Vec<Node> = vec![Node {
        pos: 0,
        after: 0,
        w: 0.0,
        st: 0.0,
        sh: 0.0,
        mass: 0.0,
        adv: 0.0,
        demerits: 0.0,
        prev: None,
        flagged: false,
        in_word: false,
        hyphens: 0,
        fitness: 1,
    }];
    let mut active: Vec<usize> = vec![0];
    for b in 0..n {
        let Some(brk) = break_at(items, b) else {
            continue;
        };
        active = pass.advance(&mut nodes, &active, b, brk);
        if active.is_empty() {
            return None;
        }
    }
    pass.best_lines(&nodes)
}

impl Pass<'_> {
    /// Try each active node as the start of a line ending at the break `b`: the best
    /// new nodes join the active list, and nodes too far back for any later break
    /// leave it. Returns the new active list.
    fn advance(&self, nodes: &mut Vec<Node>, active: &[usize], b: usize, brk: Break) -> Vec<usize> {
        let forced = brk.pen <= -INF;
        // The best way to reach this break in each fitness class, as TeX keeps them
        // (the class decides the demerits of the next line), and for each number of
        // hyphenated lines it ends, up to three (which decides whether the next may
        // end in a hyphen too).
        let mut best: [Option<Node>; 16] = [None; 16];
        let limit = self.params.hyphen_run_limit;
        let mut keep = Vec::new();
        for &a in active {
            #[cfg(test)]
            tests::EXAMINED.with(|c| c.set(c.get() + 1));
            let an = nodes[a];
            let ratio = ratio_of(
                &self.sums,
                self.items,
                &an,
                b,
                brk.pw,
                self.width,
                self.params.ragged_stretch,
            );
            if ratio >= -1.0 && !forced {
                keep.push(a);
            }
            let feasible = (-1.0..=self.tolerance).contains(&ratio);
            if !(feasible || (self.emergency && (ratio < -1.0 || forced))) {
                continue;
            }
            let hyphens = if brk.flagged {
                an.hyphens.saturating_add(1)
            } else {
                0
            };
            // The house's hyphen limit holds in every pass but the last, which sets a
            // longer run (at a cost) rather than a line looser than ratio 10.
            if limit > 0 && hyphens > limit && !self.emergency {
                continue;
            }
            let class = fitness(ratio);
            let total = an.demerits + self.demerits(&an, b, brk, ratio, class, feasible);
            let slot = &mut best[usize::from(class) * 4 + usize::from(hyphens.min(3))];
            if slot.is_none_or(|x| total < x.demerits) {
                let j = after(self.items, b);
                *slot = Some(Node {
                    pos: b,
                    after: j,
                    w: self.sums.w[j],
                    st: self.sums.st[j],
                    sh: self.sums.sh[j],
                    mass: self.sums.mass[j],
                    adv: self.sums.adv[j],
                    demerits: total,
                    prev: Some(a),
                    flagged: brk.flagged,
                    in_word: brk.in_word,
                    hyphens,
                    fitness: class,
                });
            }
        }
        for node in best.into_iter().flatten() {
            nodes.push(node);
            keep.push(nodes.len() - 1);
        }
        keep
    }

    /// The demerits of the line from node `an` to the break `b`, set at `ratio` (of
    /// fitness `class`; `feasible` when within the pass's tolerance).
    fn demerits(
        &self,
        an: &Node,
        b: usize,
        brk: Break,
        ratio: f32,
        class: u8,
        feasible: bool,
    ) -> f64 {
        let params = self.params;
        let (pen, flagged) = (brk.pen, brk.flagged);
        let forced = pen <= -INF;
        let badness = 100.0 * f64::from(ratio.abs().min(100.0)).powi(3);
        let mut d = (params.line_penalty + badness).powi(2);
        if pen >= 0.0 {
            d += f64::from(pen).powi(2);
        } else if pen > -INF {
            d -= f64::from(pen).powi(2);
        }
        if flagged && an.flagged {
            d += params.double_hyphen_demerits;
            if an.hyphens >= 2 {
                // A third hyphen in a row: a ladder.
                d += params.double_hyphen_demerits * 100.0;
            }
        }
        if forced && an.flagged {
            d += params.final_hyphen_demerits;
        }
        // The paragraph's last line holds no word space: the end of a word broken on
        // the line before, or one short word alone (under a quarter of the measure:
        // "war." under a full line; "multilaterally." fills enough to pass).
        let one_piece = self.sums.spaces[b] == self.sums.spaces[an.after];
        if forced && one_piece && an.prev.is_some() {
            if an.in_word {
                d += params.fragment_demerits;
            } else if b + 1 == self.items.len() && self.sums.w[b] - an.w < 0.25 * self.width {
                // Not before a hard line break: the author ended that line.
                d += params.lone_word_demerits;
            }
        }
        if class.abs_diff(an.fitness) > 1 {
            d += params.adj_demerits;
        }
        // Lines with nothing to stretch all have the worst badness; the further one
        // falls short of the edge, the worse. Without this the last pass took a break
        // after "“/" 44 pt short over one inside the path that followed, 1 pt short
        // (an 18F guide through tests/sweep.sh). The weight, 1e4 per square point,
        // tells such breaks apart and trades a 44 pt hole for another line set no
        // looser than ratio 3.5 (1e4 · 44² ≈ (100 · 3.5³)²), not for one torn apart.
        if ratio > INF {
            d += 1e4 * f64::from(ratio - INF).powi(2);
        }
        // In the last pass a line that runs past the edge costs more than any
        // line left loose (a loose line costs at most 1e16): so a word wider than
        // its line is cut where it may be ([`split_wide`]) rather than set overfull.
        if ratio < -1.0 {
            d += 1e20;
        } else if !feasible {
            d += 1e12;
        }
        d
    }

    /// The lines of the best way of breaking found, followed back from its last node.
    fn best_lines(&self, nodes: &[Node]) -> Option<Vec<Line>> {
        let n = self.items.len();
        // The paragraph ends with a forced break, so the best node there is the best ending.
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
            out.push(
                self.sums
                    .line(self.items, nodes[p].after, nd.pos, self.width, self.params),
            );
            cur = nd.prev;
        }
        out.reverse();
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::shape::{Chunk, Glyph, Style};
    use std::cell::Cell;

    /// The built-in house's weights.
    fn house_params() -> Params {
        let house = crate::house::defaults().expect("built-in style");
        Params::from(&house.typeset)
    }

    /// Break `items` into lines of `width` pt with the built-in house's weights, without
    /// micro-typography.
    fn break_lines(items: &[Item], width: f32) -> Vec<Line> {
        break_with(items, width, &house_params().plain())
    }

    thread_local! {
        /// Pairs of (active node, breakpoint) weighed by `run` on this thread.
        pub static EXAMINED: Cell<usize> = const { Cell::new(0) };
    }

    fn word(width: f32) -> Item {
        Item::Box(Chunk {
            font: 0,
            style: Style::serif(10.0, crate::house::Rgb(0, 0, 0)),
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

    /// A token that spaces cannot widen, broken where it may (after a slash, say):
    /// neither line can be justified, and the fuller first line is the better.
    #[test]
    fn of_two_lines_with_nothing_to_stretch_the_fuller_is_taken() {
        let at = |penalty| Item::Penalty {
            width: 0.0,
            penalty,
            flagged: false,
            hyphen: None,
        };
        let mut items = vec![word(10.0), at(100.0), word(80.0), at(100.0), word(15.0)];
        crate::render::pdf::shape::forced_break(&mut items);
        let lines = break_lines(&items, 100.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0].end, 3,
            "the first line ends 10 pt short, not 90 pt"
        );
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

    /// A word of `letters` glyphs 6 pt wide each.
    fn long_word(letters: usize) -> Item {
        let Item::Box(mut c) = word(6.0) else {
            unreachable!("word() makes a box")
        };
        c.glyphs = (0..letters)
            .map(|i| Glyph {
                gid: 1,
                advance: 6.0,
                cluster: i,
                text: "w".into(),
            })
            .collect::<Vec<_>>()
            .into();
        Item::Box(c)
    }

    /// A word wider than the measure is cut between its letters, so no line is
    /// overfull; a paragraph whose words fit is left as it is.
    #[test]
    fn a_word_wider_than_its_line_is_cut_and_nothing_is_overfull() {
        let mut items = vec![word(20.0), space(), long_word(30), space(), word(20.0)];
        crate::render::pdf::shape::forced_break(&mut items);
        let fits = split_wide(items.clone(), 400.0, |_| 0.0);
        assert_eq!(fits, items);
        let cut = split_wide(items, 100.0, |_| 0.0);
        let lines = break_lines(&cut, 100.0);
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines {
            // The line at its tightest: every space shrunk as far as it may.
            let tightest: f32 = cut[l.start..l.end]
                .iter()
                .map(|it| match it {
                    Item::Glue { width, shrink, .. } => width - shrink,
                    other => other.width(),
                })
                .sum();
            assert!(tightest <= 100.0 + 0.01, "overfull: {tightest} {l:?}");
        }
    }

    /// A word of `text`, one 5 pt glyph a letter.
    fn text(text: &str) -> Item {
        let Item::Box(mut c) = word(5.0) else {
            unreachable!("word() makes a box")
        };
        c.glyphs = text
            .chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                gid: 1,
                advance: 5.0,
                cluster: i,
                text: ch.to_string(),
            })
            .collect::<Vec<_>>()
            .into();
        Item::Box(c)
    }

    /// A word space whose glyph is 3 pt wide.
    fn spaced() -> Item {
        let Item::Box(mut c) = word(3.0) else {
            unreachable!("word() makes a box")
        };
        c.glyphs = vec![Glyph {
            gid: 2,
            advance: 3.0,
            cluster: 0,
            text: " ".into(),
        }]
        .into();
        Item::Glue {
            width: 3.0,
            stretch: 1.8,
            shrink: 1.0,
            space: Some(c),
        }
    }

    /// The width a set line takes up to its last glyph's edge: its items at the line's
    /// ratio, its glyphs scaled, with the letter-spacing after every glyph but the last.
    fn set_width(items: &[Item], l: &Line) -> f32 {
        let mut w = 0.0;
        let mut glyphs = 0.0;
        for it in &items[l.start..l.end] {
            match it {
                Item::Box(c) => {
                    w += c.width() * (1.0 + l.scale);
                    glyphs += c.glyphs.len() as f32;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    space,
                } => {
                    w += width + l.ratio * if l.ratio >= 0.0 { stretch } else { shrink };
                    w += space.as_ref().map_or(0.0, |c| c.width() * l.scale);
                    glyphs += space.as_ref().map_or(0.0, |c| c.glyphs.len() as f32);
                }
                Item::Penalty { .. } => {}
            }
        }
        w + (glyphs - 1.0) * l.letter * 10.0
    }

    /// Four words of 5 pt glyphs with 3 pt spaces, the first three 136 pt, and a forced
    /// break: a paragraph of two lines at most widths near 136 pt.
    fn four_words() -> Vec<Item> {
        let mut items = vec![text("abcdefgh"), spaced(), text("ijklmnop"), spaced()];
        items.push(text("qrstuvwxyz"));
        items.push(spaced());
        items.push(text("the end of it all"));
        crate::render::pdf::shape::forced_break(&mut items);
        items
    }

    /// Letter-spacing and glyph scaling count as stretch: a line the spaces alone would
    /// leave loose is filled by spaces and letters together, each within its limit, to
    /// the edge.
    #[test]
    fn letters_stretch_beside_the_spaces_and_the_line_still_fills() {
        let items = four_words();
        // The first three words: 26 glyphs of 5 pt and two 3 pt spaces = 136 pt.
        let width = 140.0;
        let plain = break_with(&items, width, &house_params().plain());
        let micro = break_with(&items, width, &house_params());
        let (p, m) = (plain[0], micro[0]);
        assert_eq!((p.start, p.end), (m.start, m.end));
        assert!(p.ratio > 1.0, "{p:?}");
        assert!(m.ratio > 0.0 && m.ratio < 0.5, "{m:?}");
        assert!(m.letter > 0.0 && m.letter <= 0.02, "{m:?}");
        assert!(m.scale > 0.0 && m.scale <= 0.03, "{m:?}");
        // Both go as far as the ratio takes them.
        assert!((m.letter / 0.02 - m.scale / 0.03).abs() < 1e-4, "{m:?}");
        assert!((set_width(&items, &m) - width).abs() < 1e-3, "{m:?}");
        assert_eq!((p.letter, p.scale), (0.0, 0.0));
        // The last line keeps its natural spacing and widths.
        assert_eq!(micro.last().map(|l| (l.letter, l.scale)), Some((0.0, 0.0)));
    }

    /// A house that lets glyphs narrow (`glyph_scaling_min` below 0) counts that as
    /// shrink: a line its spaces and letters cannot tighten enough fits with its glyphs
    /// narrowed, within the limit, to the edge.
    #[test]
    fn narrowed_glyphs_count_as_shrink_and_the_line_still_fits() {
        let items = four_words();
        // The first three words are 136 pt; the spaces shrink by 2 pt, the letters'
        // spacing by 2.24 pt, narrowing 2 % by 2.72 pt.
        let width = 131.0;
        let mut params = house_params();
        let letters_only = break_with(&items, width, &params);
        assert_ne!(letters_only[0].end, 5, "three words fit: {letters_only:?}");
        params.scale_shrink = 0.02;
        let narrowed = break_with(&items, width, &params);
        let n = narrowed[0];
        assert_eq!(n.end, 5, "{n:?}");
        assert!(n.ratio < 0.0 && n.ratio >= -1.0, "{n:?}");
        assert!(n.scale < 0.0 && n.scale >= -0.02, "{n:?}");
        assert!((set_width(&items, &n) - width).abs() < 1e-3, "{n:?}");
    }

    /// A full stop or a hyphen at the end of a justified line hangs 0.7 of its width
    /// into the margin, an opening quote at its start 0.5; letters do not.
    #[test]
    fn punctuation_hangs_into_the_margins() {
        let mut items = vec![text("\u{201C}abcdefgh"), spaced(), text("ijkl.")];
        items.push(spaced());
        items.push(text("mnopqrst"));
        items.push(spaced());
        items.push(text("end"));
        crate::render::pdf::shape::forced_break(&mut items);
        let lines = break_with(&items, 74.0, &house_params());
        assert_eq!(lines.len(), 2, "{lines:?}");
        let first = lines[0];
        assert!((first.left - 2.5).abs() < 1e-4, "{first:?}");
        assert!((first.right - 3.5).abs() < 1e-4, "{first:?}");
        let room = 74.0 + first.left + first.right;
        assert!((set_width(&items, &first) - room).abs() < 1e-3, "{first:?}");
        assert_eq!((lines[1].left, lines[1].right), (0.0, 0.0));
        let plain = break_with(&items, 74.0, &house_params().plain());
        assert_eq!((plain[0].left, plain[0].right), (0.0, 0.0));
    }
}
