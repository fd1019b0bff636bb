//! Body typesetting: blocks of the model become flow elements (set lines, rules,
//! figures) in the house style.

use std::sync::Arc;

use super::columns;
use super::flow::{Draw, Elem, Run, RunOn, Section};
use super::linebreak::{break_with, split_wide, unbroken, Line, Params};
use super::shape::{Chunk, Item, Shaper, Style};
use super::tags::{NodeId, Tree, ROOT};
use crate::content::{bio_display, caption_display};
use crate::fonts::{Family, Variant};
use crate::house::Style as House;
use crate::model::{plain_text, Align, Block, Document, Inline, Table};

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// The most a justified word space stretches beyond its width, in em. The verifier
/// takes a larger move along a line for hidden text (3 em); typographically even 1.5 em
/// is a hole, but one only an address that cannot break leaves.
const MAX_STRETCH: f32 = 1.5;

/// Horizontal alignment of set lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HAlign {
    Justify,
    Left,
    Center,
    Right,
}

/// Sets blocks into elements.
pub struct Setter<'s, 'b, 'a> {
    pub shaper: &'s Shaper<'b, 'a>,
    pub house: &'s House,
    /// Figures in the order they appear, for the image table.
    pub figures: Vec<crate::model::Figure>,
    /// Index of the first figure image (the logo takes index 0).
    pub image_base: usize,
    /// The structure tree, grown in document order as blocks are set. A `RefCell`
    /// because inline content (links) is set through `&self` methods.
    pub tags: std::cell::RefCell<Tree>,
    /// Why the brief cannot be set, each with the place in the source it is about:
    /// a table whose columns' unbreakable words do not fit the measure (set
    /// narrower, their letters would run into each other), a page-1 head that does not
    /// fit the page (`title`). A `RefCell` like `tags`: tables are set while the
    /// setter is borrowed for their cells' type.
    pub unfit: std::cell::RefCell<Vec<Unfit>>,
    /// The words the setter prints (the notes heading, the figure label), in the
    /// brief's language.
    pub labels: crate::house::Words,
}

/// A reason the brief cannot be set: where in the source, what is wrong and how to fix
/// it (the diagnostic's message and `= hint:`).
pub struct Unfit {
    pub at: crate::error::SourceAt,
    pub why: String,
    pub fix: String,
}

/// Vertical position of the baseline inside a line of `leading` for type of `size`.
pub fn baseline(leading: f32, size: f32) -> f32 {
    (leading + size * 0.72) / 2.0
}

impl Setter<'_, '_, '_> {
    /// Add a `role` structure element under `parent`.
    pub fn tag(&self, parent: NodeId, role: &'static str) -> NodeId {
        self.tags.borrow_mut().add(parent, role)
    }

    /// `style` for text of the structure element `node`.
    pub fn in_node(style: &Style, node: NodeId) -> Style {
        Style {
            node,
            ..style.clone()
        }
    }

    /// The base text style of the body.
    pub fn body_style(&self) -> Style {
        Style::serif(self.house.body.size, self.house.colours.text)
    }

    /// A style of the sans family.
    pub fn sans(&self, size: f32, bold: bool) -> Style {
        Style {
            variant: Variant {
                family: Family::Sans,
                bold,
                italic: false,
            },
            size,
            ..self.body_style()
        }
    }

    /// Pieces of a block's inline content, tagged as [`Self::pieces`] tags them, except
    /// that in a block with links each stretch of the block's own text between them
    /// becomes a `Span`. The block's kids are then all elements in reading order, so a
    /// reader that lists an element's own content before its kids' content (outloud's
    /// reading-order check, ORD-001) still meets the text in the order it is set, not
    /// all the plain text first and the links after it (found on a page of pandoc's
    /// manual dense with links: 56 of 194 marked sequences "out of place").
    pub fn block_pieces(&self, inl: &[Inline], style: &Style, out: &mut Vec<(String, Style)>) {
        let start = out.len();
        self.pieces(inl, style, out);
        let Some(pieces) = out.get_mut(start..) else {
            return;
        };
        if pieces.iter().all(|(_, s)| s.node == style.node) {
            return;
        }
        let mut span = None;
        for (_, s) in pieces.iter_mut() {
            if s.artifact {
                continue;
            }
            if s.node == style.node {
                s.node = *span.get_or_insert_with(|| self.tag(style.node, "Span"));
            } else {
                span = None;
            }
        }
    }

    /// Pieces of styled text for inline content.
    pub fn pieces(&self, inl: &[Inline], style: &Style, out: &mut Vec<(String, Style)>) {
        for i in inl {
            match i {
                Inline::Text(t) => out.push((t.clone(), style.clone())),
                Inline::Code(t) => out.push((
                    t.clone(),
                    Style {
                        verbatim: true,
                        ..style.clone()
                    },
                )),
                Inline::Emph(c) => {
                    let mut s = style.clone();
                    s.variant.italic = !s.variant.italic;
                    self.pieces(c, &s, out);
                }
                Inline::Strong(c) => {
                    let mut s = style.clone();
                    s.variant.bold = true;
                    self.pieces(c, &s, out);
                }
                Inline::Link { url, content } => {
                    let mut s = style.clone();
                    s.link = Some(url.clone());
                    s.color = self.house.colours.blue;
                    s.node = self.tag(style.node, "Link");
                    self.pieces(content, &s, out);
                }
                Inline::NoteRef(n) => {
                    let mut s = style.clone();
                    s.artifact = true;
                    s.rise = style.size * 0.33;
                    s.size = style.size * 0.65;
                    s.link = None;
                    // A reference right after another would read as one number ("12"
                    // for notes 1 and 2): a comma set like them parts them, as
                    // furniture.
                    let after_ref = out.last().is_some_and(|(t, p)| {
                        p.artifact && p.rise > 0.0 && t.bytes().all(|b| b.is_ascii_digit())
                    });
                    if after_ref {
                        out.push((",".into(), s.clone()));
                    }
                    out.push(((n + 1).to_string(), s));
                }
                Inline::LineBreak => out.push(("\n".into(), style.clone())),
            }
        }
    }

    /// Set pieces into lines of `width` pt at `x`; one element per line.
    pub fn lines(
        &self,
        pieces: &[(String, Style)],
        width: f32,
        x: f32,
        leading: f32,
        align: HAlign,
        hyphenate: bool,
    ) -> Vec<Elem> {
        let items = self
            .shaper
            .items(pieces, hyphenate && self.house.body.hyphenate);
        self.break_and_set(pieces, items, width, x, leading, align)
    }

    /// Break `items` (those of `pieces`) into lines of `width` pt and set them at `x`.
    fn break_and_set(
        &self,
        pieces: &[(String, Style)],
        items: Vec<Item>,
        width: f32,
        x: f32,
        leading: f32,
        align: HAlign,
    ) -> Vec<Elem> {
        let items = split_wide(items, width, |c| self.shaper.unkern_last(c));
        let params = Params::from(&self.house.typeset);
        // Letter-spacing and protrusion serve a justified edge; ragged lines have none,
        // and may fall 2 em short at ratio 1.
        let size = pieces.first().map_or(self.house.body.size, |p| p.1.size);
        let params = match align {
            HAlign::Justify => params,
            _ => params.ragged(2.0 * size),
        };
        let lines = break_with(&items, width, &params);
        self.set(pieces, &items, &lines, width, x, leading, align)
    }

    /// Set pieces on one line (breaking only where the text forces it), at `x`.
    pub fn unbroken(&self, pieces: &[(String, Style)], x: f32, leading: f32) -> Vec<Elem> {
        let items = self.shaper.items(pieces, false);
        let lines = unbroken(&items);
        self.set(
            pieces,
            &items,
            &lines,
            f32::MAX / 4.0,
            x,
            leading,
            HAlign::Left,
        )
    }

    /// Elements of `lines` broken from `items` (the items of `pieces`).
    #[allow(clippy::too_many_arguments)]
    fn set(
        &self,
        pieces: &[(String, Style)],
        items: &[Item],
        lines: &[Line],
        width: f32,
        x: f32,
        leading: f32,
        align: HAlign,
    ) -> Vec<Elem> {
        let size = pieces
            .first()
            .map(|p| p.1.size)
            .unwrap_or(self.house.body.size);
        let n = lines.len();
        let mut out = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            // Justified lines are stretched as far as the breaker set them: a line
            // capped short of the edge shows as a hole at the right.
            // A ragged line is never stretched, but it is shrunk as the breaker
            // shrank it: set at its natural width it would run past the edge.
            let ratio = if align == HAlign::Justify {
                line.ratio
            } else {
                line.ratio.min(0.0)
            };
            let (runs, natural, in_word) = Self::line_runs(items, line, ratio);
            let dx = match align {
                HAlign::Center => (width - natural) / 2.0,
                HAlign::Right => width - natural,
                _ => 0.0,
            };
            // A hanging first glyph (an opening quote) starts in the left margin.
            let dx = dx.max(0.0) - line.left;
            out.push(Elem {
                height: leading,
                draws: vec![Draw::Text {
                    x: x + dx,
                    y: baseline(leading, size),
                    runs,
                }],
                // At least two lines of a paragraph on each side of a break, and no
                // column that ends inside a word.
                keep_next: k + 1 < n
                    && (k < 1
                        || k + 2 >= n
                        || (in_word && self.house.typeset.no_hyphen_at_column_end)),
                space: false,
                repeat: None,
            });
        }
        out
    }

    /// The runs of one broken line at stretch `ratio`: its boxes, its spaces grown or
    /// shrunk, its inserted hyphen and a word part joined across the break. Returns them
    /// with the line's set width and whether the line ends inside a word.
    fn line_runs(items: &[Item], line: &Line, ratio: f32) -> (Vec<Run>, f32, bool) {
        let mut runs: Vec<Run> = Vec::new();
        let mut natural = 0.0;
        // The breaker's letter-spacing and glyph scaling, as `Tc` and `Tz` on every
        // glyph of the line. A word space's glyph takes them too, and the glue's width
        // already counts them. `Tz` scales `Tc`, so `Tc` is written that much smaller.
        let scale = (line.scale * 1e5).round() / 1e5;
        let spaced = |c: &Chunk| {
            let mut c = c.clone();
            c.style.scale = scale;
            c.style.tracking += round3(line.letter * c.style.size / (1.0 + scale));
            c
        };
        for it in &items[line.start..line.end] {
            match it {
                Item::Box(c) => {
                    let chunk = spaced(c);
                    natural += chunk.width();
                    runs.push(Run {
                        chunk,
                        extra: 0.0,
                        hyphen: false,
                    });
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    space: Some(sp),
                } => {
                    // A space grows by at most `MAX_STRETCH` em: a line that would
                    // need more (a few words before an address that cannot break)
                    // is left short rather than torn apart by holes.
                    let w = if ratio >= 0.0 {
                        width + (ratio * stretch).min(MAX_STRETCH * sp.style.size)
                    } else {
                        width + ratio * shrink
                    };
                    let chunk = spaced(sp);
                    let spacing = chunk.width() - sp.width();
                    natural += w + spacing;
                    runs.push(Run {
                        chunk,
                        extra: w - sp.width(),
                        hyphen: false,
                    });
                }
                _ => {}
            }
        }
        // A line that breaks inside a word gives its last glyph back the kerning it had
        // against the letter now on the next line (`shape::Part::unkern`): the break's
        // width less its hyphen's.
        if let Some(Item::Penalty { width, hyphen, .. }) = items.get(line.end) {
            let unkern = width - hyphen.as_ref().map_or(0.0, Chunk::width);
            if let Some(last) = runs.last_mut().filter(|_| unkern.abs() > 1e-4) {
                last.extra += unkern;
                natural += unkern;
            }
        }
        if let Some(h) = line.hyphen {
            if let Item::Penalty {
                hyphen: Some(c), ..
            } = &items[h]
            {
                let chunk = spaced(c);
                natural += chunk.width();
                runs.push(Run {
                    chunk,
                    extra: 0.0,
                    hyphen: true,
                });
            }
        }
        // A line broken inside a word says so (see `marked::join_run`).
        let joined = super::marked::join_run(items, line);
        let in_word = line.hyphen.is_some() || joined.is_some();
        runs.extend(joined.map(|r| Run {
            chunk: spaced(&r.chunk),
            ..r
        }));
        (runs, natural, in_word)
    }

    /// The body, the notes and the bios as flow sections.
    pub fn document(&mut self, doc: &Document) -> Vec<Section> {
        let w = self.house.column_width() * MM;
        let mut sections = Vec::new();
        let mut cur: Vec<Elem> = Vec::new();
        for (i, b) in doc.blocks.iter().enumerate() {
            if let Block::Figure(f) = b {
                if f.wide && f.width > f.height && self.house.page.columns > 1 {
                    sections.push(Section::Columns(std::mem::take(&mut cur)));
                    let tw = self.house.text_width() * MM;
                    let figure = self.figure(f, tw, ROOT);
                    sections.push(Section::Wide(figure));
                    continue;
                }
            }
            // A table whose words do not all fit a column whole is set across the text
            // width, in place like a wide figure, rather than with its words broken
            // down narrow columns (numbers split into pieces of two digits).
            if let Block::Table(t) = b {
                if self.house.page.columns > 1 && self.table_whole_width(t) > w {
                    sections.push(Section::Columns(std::mem::take(&mut cur)));
                    let tw = self.house.text_width() * MM;
                    let mut wide = Vec::new();
                    self.table(t, tw, 0.0, &mut wide, ROOT);
                    sections.push(Section::Wide(wide));
                    continue;
                }
            }
            self.block(
                b,
                w,
                0.0,
                &self.body_style(),
                &mut cur,
                (false, HAlign::Justify),
            );
            keep_lead_in(&doc.blocks, i, &mut cur);
        }
        self.notes(doc, &mut cur);
        if let Some(wide) = self.bios(doc) {
            sections.push(Section::Columns(std::mem::take(&mut cur)));
            sections.push(Section::Wide(wide));
        }
        sections.push(Section::Columns(cur));
        sections.retain(|s| !matches!(s, Section::Columns(e) if e.is_empty()));
        sections
    }

    /// The notes, under their heading, at the end of the columns.
    fn notes(&mut self, doc: &Document, cur: &mut Vec<Elem>) {
        if doc.notes.is_empty() {
            return;
        }
        let w = self.house.column_width() * MM;
        let label = self.labels.notes.clone();
        self.heading(&[Inline::Text(label)], 2, w, cur, ROOT);
        let size = self.house.body.note_size;
        let lead = size * self.house.body.leading / self.house.body.size;
        let base = self.sans(size, false);
        let ind = self.marker_indent(&format!("{}.", doc.notes.len()), &base);
        for (i, n) in doc.notes.iter().enumerate() {
            let marker = format!("{}.", i + 1);
            // One `Note` per note (with the `/ID` PDF/UA-1 asks for): its number in a
            // `Lbl`, then its paragraphs; see `ItemKind::Note`.
            let note = self.tag(ROOT, "Note");
            if let Some(n) = self.tags.borrow_mut().get_mut(note) {
                n.id = Some(format!("note-{}", i + 1));
            }
            let style = Self::in_node(&base, note);
            // Ragged right: notes are set small, full of addresses and numbers, and
            // justified they show holes.
            self.item(
                &n.blocks,
                &marker,
                w,
                0.0,
                &style,
                lead,
                cur,
                true,
                ItemKind::Note,
                ind,
                HAlign::Left,
            );
        }
    }

    /// The authors' bios across the text block (the house layout, as
    /// docs/typesetting.md gives it: after the body and notes, a full-width rule and
    /// the bios, below the balanced columns); `None` without bios.
    fn bios(&mut self, doc: &Document) -> Option<Vec<Elem>> {
        let bios: Vec<_> = doc
            .meta
            .authors
            .iter()
            .filter_map(|a| a.bio.as_ref().map(|b| (a, b)))
            .collect();
        if bios.is_empty() {
            return None;
        }
        let w = self.house.text_width() * MM;
        let mut wide: Vec<Elem> = Vec::new();
        let lead = self.house.bios.leading;
        wide.push(Elem::space(lead));
        wide.push(Elem {
            height: lead * 0.75,
            draws: vec![Draw::Rule {
                x1: 0.0,
                y1: 0.0,
                x2: w,
                y2: 0.0,
                width: self.house.furniture.hairline * 2.0,
                color: self.house.colours.blue,
            }],
            keep_next: true,
            space: false,
            repeat: None,
        });
        let size = self.house.bios.size;
        let mut italic = self.body_style();
        italic.size = size;
        italic.variant.italic = true;
        let mut paragraphs = Vec::new();
        for (a, bio) in bios {
            let p = self.tag(ROOT, "P");
            let italic = Self::in_node(&italic, p);
            let pieces = vec![
                (a.name.clone(), Self::in_node(&self.sans(size, true), p)),
                (" \u{2013} ".to_owned(), italic.clone()),
                (bio.clone(), italic),
            ];
            debug_assert_eq!(
                pieces.iter().map(|p| p.0.as_str()).collect::<String>(),
                bio_display(&a.name, bio)
            );
            paragraphs.push(pieces);
        }
        let params = Params::from(&self.house.typeset);
        let items: Vec<Vec<Item>> = paragraphs
            .iter()
            .map(|p| self.shaper.items(p, self.house.body.hyphenate))
            .collect();
        let measure = self.bio_measure(&items, w, &params);
        for (pieces, items) in paragraphs.iter().zip(items) {
            wide.extend(self.break_and_set(pieces, items, measure, 0.0, lead, HAlign::Justify));
            wide.push(Elem::space(lead * 0.4));
        }
        Some(wide)
    }

    /// The bios' measure: the text block's width `w`, narrowed until no line of any bio
    /// holds more than `[bios] measure` characters as a reader counts them (letters,
    /// spaces and punctuation; a hyphen too). One measure for all, so their right edges
    /// line up. Counting an average letter's width instead let a line of 90 "average"
    /// letters hold 101-106 characters: spaces and italics are narrower.
    fn bio_measure(&self, paragraphs: &[Vec<Item>], w: f32, params: &Params) -> f32 {
        let most = self.house.bios.measure.max(1.0);
        let mut measure = w;
        // Each round narrows the measure in proportion to the longest line's excess;
        // two rounds suffice on every bio seen, four more allow for odd ones.
        for _ in 0..6 {
            let longest = paragraphs
                .iter()
                .map(|items| {
                    let items = split_wide(items.clone(), measure, |c| self.shaper.unkern_last(c));
                    let lines = break_with(&items, measure, params);
                    lines
                        .iter()
                        .map(|l| line_chars(&items, l))
                        .max()
                        .unwrap_or(0)
                })
                .max()
                .unwrap_or(0) as f32;
            if longest <= most {
                break;
            }
            measure *= most / longest;
        }
        // A line whose characters do not narrow with it (a cluster of a hundred
        // combining marks is one glyph wide) must not shrink the bios to a sliver.
        measure.max(0.5 * w)
    }

    fn para_space(&self, out: &mut Vec<Elem>, leading: f32) {
        if !out.is_empty() {
            out.push(Elem::space(self.house.body.paragraph_space * leading));
        }
    }

    /// Set one block at indent `x` in a column of width `w`.
    fn block(
        &mut self,
        b: &Block,
        w: f32,
        x: f32,
        style: &Style,
        out: &mut Vec<Elem>,
        (tight, align): (bool, HAlign),
    ) {
        let body = &self.house.body;
        let lead = style.size * body.leading / body.size;
        match b {
            Block::Heading { level, content, .. } => {
                self.heading(content, *level, w, out, style.node)
            }
            Block::Paragraph(inl) => {
                if !tight {
                    self.para_space(out, lead);
                }
                let style = &Self::in_node(style, self.tag(style.node, "P"));
                let mut p = Vec::new();
                self.block_pieces(inl, style, &mut p);
                out.extend(self.lines(&p, w - x, x, lead, align, true));
            }
            Block::List {
                start,
                tight: t,
                items,
            } => self.list(*start, *t, items, (w, x, lead), style, out, align),
            Block::Quote(blocks) => self.quote(blocks, (w, x, lead), style, out, align),
            Block::Table(t) => {
                self.para_space(out, lead);
                self.table(t, w - x, x, out, style.node);
            }
            Block::Figure(f) => {
                self.para_space(out, lead);
                let mut fig = self.figure(f, w - x, style.node);
                for e in &mut fig {
                    for d in &mut e.draws {
                        *d = shift(d, x);
                    }
                }
                out.extend(fig);
            }
            Block::Rule => {
                self.para_space(out, lead);
                let len = body.rule_length * MM;
                out.push(Elem {
                    height: lead,
                    draws: vec![Draw::Rule {
                        x1: x + (w - x - len) / 2.0,
                        y1: lead / 2.0,
                        x2: x + (w - x + len) / 2.0,
                        y2: lead / 2.0,
                        width: self.house.title.rule_width,
                        color: self.house.colours.accent,
                    }],
                    keep_next: false,
                    space: false,
                    repeat: None,
                });
            }
        }
    }

    /// A bulleted or numbered list: markers in a hanging indent sized to the widest.
    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        start: Option<u64>,
        tight: bool,
        items: &[Vec<Block>],
        (w, x, lead): (f32, f32, f32),
        style: &Style,
        out: &mut Vec<Elem>,
        align: HAlign,
    ) {
        let list = self.tag(style.node, "L");
        if let Some(n) = self.tags.borrow_mut().get_mut(list) {
            n.numbering = Some(if start.is_some() { "Decimal" } else { "Disc" });
        }
        let marker_of = |i: usize| match start {
            Some(s) => format!("{}.", s.saturating_add(i as u64)),
            None => "\u{2022}".to_owned(),
        };
        // The longest number is the last one: every item's text starts where
        // its marker leaves room, so "10." never touches its text.
        let ind = self.marker_indent(&marker_of(items.len().saturating_sub(1)), style);
        for (i, item) in items.iter().enumerate() {
            let marker = marker_of(i);
            if !tight || i == 0 {
                self.para_space(out, lead);
            }
            let li = Self::in_node(style, self.tag(list, "LI"));
            self.item(
                item,
                &marker,
                w,
                x,
                &li,
                lead,
                out,
                tight,
                ItemKind::ListItem,
                ind,
                align,
            );
        }
    }

    /// A block quote: italic, indented, with the house rule down its left side.
    fn quote(
        &mut self,
        blocks: &[Block],
        (w, x, lead): (f32, f32, f32),
        style: &Style,
        out: &mut Vec<Elem>,
        align: HAlign,
    ) {
        let mut s = Self::in_node(style, self.tag(style.node, "BlockQuote"));
        s.variant.italic = true;
        let body = &self.house.body;
        let ind = body.quote_indent * MM;
        let mut inner = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            self.block(b, w, x + ind, &s, &mut inner, (false, align));
            keep_lead_in(blocks, i, &mut inner);
        }
        self.para_space(out, lead);
        let first = inner.iter().position(|e| !e.space).unwrap_or(0);
        for e in inner.iter_mut().skip(first) {
            e.draws.push(Draw::Rule {
                x1: x + body.quote_rule / 2.0,
                y1: 0.0,
                x2: x + body.quote_rule / 2.0,
                y2: e.height,
                width: body.quote_rule,
                color: self.house.colours.blue,
            });
            e.space = false;
        }
        out.extend(inner.into_iter().skip(first));
    }

    /// A list item or note: marker (furniture, house blue) in the hanging indent.
    /// `style.node` is the item's element (`LI` or `Note`); `kind` says how the marker
    /// and the blocks are tagged (see [`ItemKind`]).
    #[allow(clippy::too_many_arguments)]
    fn item(
        &mut self,
        blocks: &[Block],
        marker: &str,
        w: f32,
        x: f32,
        style: &Style,
        lead: f32,
        out: &mut Vec<Elem>,
        tight: bool,
        kind: ItemKind,
        ind: f32,
        align: HAlign,
    ) {
        let body = match kind {
            ItemKind::ListItem => Self::in_node(style, self.tag(style.node, "LBody")),
            ItemKind::Note => style.clone(),
        };
        let mut inner = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            self.block(b, w, x + ind, &body, &mut inner, (tight, align));
            keep_lead_in(blocks, i, &mut inner);
        }
        let Some(first) = inner.iter().position(|e| !e.space) else {
            return;
        };
        let mut ms = style.clone();
        match kind {
            ItemKind::ListItem => ms.artifact = true,
            // The note's number is its label: assistive technology reads it with the
            // note, so the reader can tell which reference the note answers. `/Lbl` is
            // furniture to the verifier like an artifact (`crate::verify::pdf`).
            ItemKind::Note => ms.node = self.tag(style.node, "Lbl"),
        }
        ms.color = self.house.colours.blue;
        ms.link = None;
        ms.variant.italic = false;
        let chunks = self.shaper.chunks(marker, &ms);
        let runs = chunks
            .into_iter()
            .map(|c| Run {
                chunk: c,
                extra: 0.0,
                hyphen: false,
            })
            .collect();
        if let Some(e) = inner.get_mut(first) {
            let y = match e.draws.first() {
                Some(Draw::Text { y, .. }) => *y,
                _ => baseline(lead, style.size),
            };
            // Insert before the line's text, so the content stream keeps reading order.
            e.draws.insert(0, Draw::Text { x, y, runs });
        }
        out.extend(inner);
    }

    /// The hanging indent of a list whose widest marker is `widest`: the house's
    /// indent, or the marker's width and half an em when that is more.
    fn marker_indent(&mut self, widest: &str, style: &Style) -> f32 {
        let width: f32 = self
            .shaper
            .chunks(widest, style)
            .iter()
            .map(|c| c.width())
            .sum();
        (self.house.body.list_indent * MM).max(width + 0.5 * style.size)
    }

    fn heading(
        &mut self,
        content: &[Inline],
        level: u8,
        w: f32,
        out: &mut Vec<Elem>,
        parent: NodeId,
    ) {
        let body = &self.house.body;
        let size = match level {
            0..=2 => body.heading2_size,
            3 => body.heading3_size,
            _ => body.heading4_size,
        };
        if !out.is_empty() {
            out.push(Elem::space(body.heading_space * body.leading));
        }
        let role = match level {
            0..=2 => "H2",
            3 => "H3",
            4 => "H4",
            5 => "H5",
            _ => "H6",
        };
        let mut s = Self::in_node(&self.sans(size, true), self.tag(parent, role));
        s.color = self.house.colours.blue;
        let mut p = Vec::new();
        self.block_pieces(content, &s, &mut p);
        let lead = size * 1.25;
        let mut lines = self.lines(&p, w, 0.0, lead, HAlign::Left, false);
        for l in &mut lines {
            l.keep_next = true;
        }
        if let Some(l) = lines.first_mut() {
            l.draws.push(Draw::Mark {
                level,
                title: plain_text(content),
                x: 0.0,
                y: 0.0,
            });
        }
        if let Some(l) = lines.last_mut() {
            l.height += body.paragraph_space * body.leading * 0.5;
        }
        out.extend(lines);
    }

    /// A figure: the image at width `w` and its caption below, kept together.
    fn figure(&mut self, f: &crate::model::Figure, w: f32, parent: NodeId) -> Vec<Elem> {
        let index = self.image_base + self.figures.len();
        // The image is a `Figure` whose `/Alt` is the caption text; the caption line is
        // a `Caption` beside it, not inside, because `/Alt` replaces everything inside
        // the element for assistive technology.
        let node = self.tag(parent, "Figure");
        if let Some(n) = self.tags.borrow_mut().get_mut(node) {
            n.alt = Some(f.caption.clone());
        }
        let caption = self.tag(parent, "Caption");
        self.figures.push(f.clone());
        let h = w * f.height.max(1) as f32 / f.width.max(1) as f32;
        let mut out = vec![Elem {
            height: h + 3.0,
            draws: vec![Draw::Image {
                index,
                x: 0.0,
                y: 0.0,
                w,
                h,
                node: Some(node),
            }],
            keep_next: true,
            space: false,
            repeat: None,
        }];
        let size = self.house.body.caption_size;
        let text = caption_display(&self.labels.figure, f.number, &f.caption);
        let p = vec![(text, Self::in_node(&self.sans(size, false), caption))];
        let mut cap = self.lines(&p, w, 0.0, size * 1.3, HAlign::Left, false);
        let n = cap.len();
        for (i, c) in cap.iter_mut().enumerate() {
            c.keep_next = i + 1 < n;
        }
        out.extend(cap);
        out
    }

    /// Each of `ncols` columns' natural width (its widest cell on one line), that of
    /// its body cells alone, and its minimum (its widest piece that cannot be broken),
    /// as CSS's automatic table layout has them, `pad` included; `rows` are (header,
    /// cells), set at `size`. The minimum is that of whole words, or with `hyphenate`
    /// that of the pieces between hyphenation points.
    fn column_extents(
        &self,
        rows: &[(bool, &Vec<Vec<Inline>>)],
        ncols: usize,
        size: f32,
        pad: f32,
        hyphenate: bool,
    ) -> Extents {
        let mut natural = vec![0.0f32; ncols];
        let mut minimum = vec![0.0f32; ncols];
        let mut cells = Vec::with_capacity(rows.len());
        for (bold, row) in rows {
            let mut pieces = Vec::with_capacity(row.len());
            for (c, cell) in row.iter().enumerate() {
                let mut p = Vec::new();
                self.pieces(cell, &self.sans(size, *bold), &mut p);
                let items = self
                    .shaper
                    .items(&p, hyphenate && self.house.body.hyphenate);
                // On one line no hyphen is shown.
                let width: f32 = items
                    .iter()
                    .filter(|i| !matches!(i, Item::Penalty { .. }))
                    .map(Item::width)
                    .sum();
                if let Some(n) = natural.get_mut(c) {
                    *n = n.max(width + pad);
                }
                if let Some(m) = minimum.get_mut(c) {
                    *m = m.max(unbreakable(&items) + pad);
                }
                pieces.push(columns::pieces(&items));
            }
            cells.push(pieces);
        }
        Extents {
            natural,
            minimum,
            cells,
        }
    }

    /// The width (pt) table `t` needs to hold every word of its cells whole.
    fn table_whole_width(&self, t: &Table) -> f32 {
        let rows = table_rows(t);
        let (size, pad) = (self.house.body.table_size, TABLE_PAD);
        let ncols = t.align.len().max(1);
        self.column_extents(&rows, ncols, size, pad, false)
            .minimum
            .iter()
            .sum()
    }

    /// A table: columns sized to their content, booktabs rules, rows kept whole and
    /// two together at either end, the header row repeated above rows that run on.
    fn table(&mut self, t: &Table, w: f32, x: f32, out: &mut Vec<Elem>, parent: NodeId) {
        let ncols = t.align.len().max(1);
        let rows = table_rows(t);
        let widths = self.table_widths(t, &rows, ncols, w);
        let rule = |y: f32, width: f32| Draw::Rule {
            x1: x,
            y1: y,
            x2: x + w,
            y2: y,
            width,
            color: self.house.colours.text,
        };
        let top = Elem {
            height: 2.0,
            draws: vec![rule(0.5, 0.8)],
            keep_next: true,
            ..Elem::default()
        };
        // The opening rule and the header row, set again above the body rows that
        // run on into a new column or page, and the closing rule under the last row
        // of a column the table runs on from.
        let mut repeat = top.clone();
        out.push(top);
        let foot = Elem {
            height: 2.0,
            draws: vec![rule(0.5, 0.8)],
            ..Elem::default()
        };
        let mut repeats: Option<Arc<RunOn>> = None;
        let last = rows.len().saturating_sub(1);
        let first_row = rows.iter().position(|r| !r.0).unwrap_or(0);
        let table = self.tag(parent, "Table");
        let head = self.tag(table, "THead");
        let body = self.tag(table, "TBody");
        for (ri, (bold, row)) in rows.iter().enumerate() {
            let tr = self.tag(if *bold { head } else { body }, "TR");
            let (cells, height) = self.table_row(t, row, *bold, &widths, x, tr);
            let mut draws = cells;
            let mut h = height + 1.0;
            if *bold {
                draws.push(rule(h + 0.5, 0.4));
                h += 2.0;
            }
            if ri == last {
                draws.push(rule(h + 0.5, 0.8));
                h += 2.0;
            }
            if *bold {
                repeat
                    .draws
                    .extend(draws.iter().map(|d| as_artifact(d, repeat.height)));
                repeat.height += h;
            } else if repeats.is_none() && rows.first().is_some_and(|r| r.0) {
                repeats = Some(Arc::new(RunOn {
                    head: std::mem::take(&mut repeat),
                    foot: foot.clone(),
                }));
            }
            out.push(Elem {
                height: h,
                draws,
                // Rows as lines of a paragraph: never one alone at either side of a
                // column break (the header with the first two, the last two together).
                keep_next: *bold || ri == first_row || ri + 1 == last,
                space: false,
                repeat: if *bold { None } else { repeats.clone() },
            });
        }
    }

    /// The widths of the `ncols` columns of table `t` (its `rows`) across `w`. Words
    /// are broken only where they must be: the columns first take widths that hold every
    /// word whole; only when those do not fit are the minimums those of hyphenated
    /// words, and a cell is hyphenated only when one of its words is wider than its
    /// column (hyphenated freely, "Shared warning thresh-/olds"). Columns too narrow
    /// for a letter are recorded as unfit.
    fn table_widths(
        &self,
        t: &Table,
        rows: &[(bool, &Vec<Vec<Inline>>)],
        ncols: usize,
        w: f32,
    ) -> Vec<f32> {
        let (size, pad) = (self.house.body.table_size, TABLE_PAD);
        let extents = self.column_extents(rows, ncols, size, pad, false);
        let (natural, whole) = (&extents.natural, &extents.minimum);
        let widths = if natural.iter().sum::<f32>() > w && whole.iter().sum::<f32>() <= w {
            // Every word fits whole, not every cell on one line: the room goes where
            // it saves lines (`columns`).
            columns::fit(&extents.cells, whole, natural, pad, w)
        } else {
            let pieces = if whole.iter().sum::<f32>() <= w {
                whole.clone()
            } else {
                self.column_extents(rows, ncols, size, pad, true).minimum
            };
            column_widths(natural, whole, &pieces, w)
        };
        // A column narrower than its words is set with them broken between letters;
        // one narrower than a letter (1 em of the table's type, padding included) would
        // set the letters of neighbouring cells on top of each other.
        if widths.iter().any(|&cw| cw < size) {
            let across = w >= self.house.text_width() * MM - 0.5;
            self.unfit.borrow_mut().push(Unfit {
                at: crate::error::SourceAt::Span(t.source.clone()),
                why: unfit_table(t, size, w, across),
                fix: "give the table fewer columns (split it in two, or turn it so that its \
                      rows become columns) or shorter words"
                    .into(),
            });
        }
        widths
    }

    /// The set cells of one table row at `x`, its columns `widths` wide, tagged under
    /// `tr`; with the height of its tallest cell.
    fn table_row(
        &mut self,
        t: &Table,
        row: &[Vec<Inline>],
        bold: bool,
        widths: &[f32],
        x: f32,
        tr: NodeId,
    ) -> (Vec<Draw>, f32) {
        let size = self.house.body.table_size;
        let (lead, pad) = (size * 1.3, TABLE_PAD);
        let style = self.sans(size, bold);
        let mut cells = Vec::new();
        let mut height: f32 = 0.0;
        let mut cx = x;
        for (c, cell) in row.iter().enumerate() {
            let cw = widths.get(c).copied().unwrap_or(0.0);
            let align = match t.align.get(c) {
                Some(Align::Right) => HAlign::Right,
                Some(Align::Center) => HAlign::Center,
                _ => HAlign::Left,
            };
            let cell_node = self.tag(tr, if bold { "TH" } else { "TD" });
            if bold {
                if let Some(n) = self.tags.borrow_mut().get_mut(cell_node) {
                    n.scope = Some("Column");
                }
            }
            let mut p = Vec::new();
            self.block_pieces(cell, &Self::in_node(&style, cell_node), &mut p);
            // A column is often exactly as wide as its widest word: a hair more room
            // than that keeps rounding from making the word's line overfull (which
            // the last pass trades for a line running into the next column).
            let room = cw - pad + 0.02;
            let fits = unbreakable(&self.shaper.items(&p, false)) <= room;
            let lines = self.lines(&p, room, cx + pad / 2.0, lead, align, !fits);
            let mut y = 0.0;
            for l in lines {
                for d in l.draws {
                    cells.push(shift_y(&d, y));
                }
                y += l.height;
            }
            height = height.max(y);
            cx += cw;
        }
        (cells, height)
    }
}

/// Keep the last line of `blocks[i]` with what follows when it is a paragraph that
/// ends in a colon and introduces a list or a quote: a lead-in alone at the foot of a
/// column reads as a sentence cut off.
fn keep_lead_in(blocks: &[Block], i: usize, out: &mut [Elem]) {
    let Some(Block::Paragraph(inl)) = blocks.get(i) else {
        return;
    };
    if !matches!(
        blocks.get(i + 1),
        Some(Block::List { .. } | Block::Quote(_))
    ) {
        return;
    }
    if plain_text(inl).trim_end().ends_with(':') {
        if let Some(last) = out.iter_mut().rev().find(|e| !e.space) {
            last.keep_next = true;
        }
    }
}

fn shift(d: &Draw, dx: f32) -> Draw {
    let mut d = d.clone();
    match &mut d {
        Draw::Text { x, .. } | Draw::Rect { x, .. } | Draw::Image { x, .. } => *x += dx,
        Draw::Rule { x1, x2, .. } => {
            *x1 += dx;
            *x2 += dx;
        }
        Draw::Mark { x, .. } => *x += dx,
    }
    d
}

/// `d` moved down by `dy`, its text marked as an artifact and without links: a
/// repeated table header, which the structure holds once.
fn as_artifact(d: &Draw, dy: f32) -> Draw {
    let mut d = shift_y(d, dy);
    if let Draw::Text { runs, .. } = &mut d {
        for r in runs {
            r.chunk.style.artifact = true;
            r.chunk.style.link = None;
        }
    }
    d
}

fn shift_y(d: &Draw, dy: f32) -> Draw {
    let mut d = d.clone();
    match &mut d {
        Draw::Text { y, .. } | Draw::Rect { y, .. } | Draw::Image { y, .. } => *y += dy,
        Draw::Rule { y1, y2, .. } => {
            *y1 += dy;
            *y2 += dy;
        }
        Draw::Mark { y, .. } => *y += dy,
    }
    d
}

/// The widest run of `items` between two places a line may break: the least width a
/// table column can have without letters running into the next column.
fn unbreakable(items: &[Item]) -> f32 {
    let (mut widest, mut run) = (0.0f32, 0.0f32);
    for (i, item) in items.iter().enumerate() {
        let after_box = i > 0 && matches!(items[i - 1], Item::Box(_));
        match item {
            Item::Box(_) => run += item.width(),
            Item::Penalty { width, penalty, .. } if *penalty < crate::render::pdf::shape::INF => {
                // Broken here, the line ends with the penalty's hyphen, if any.
                widest = widest.max(run + width);
                run = 0.0;
            }
            Item::Penalty { .. } => {}
            Item::Glue { .. } if after_box => {
                widest = widest.max(run);
                run = 0.0;
            }
            // A tie (glue behind an infinite penalty) is no break.
            Item::Glue { .. } => run += item.width(),
        }
    }
    widest.max(run)
}

/// A table's columns measured: each column's widest cell on one line and its widest
/// piece that cannot be broken (`pad` included in both), and each cell's pieces
/// (`[row][column]`) for [`columns::fit`].
struct Extents {
    natural: Vec<f32>,
    minimum: Vec<f32>,
    cells: Vec<Vec<Vec<columns::Piece>>>,
}

/// A table cell's padding, both sides together (pt).
const TABLE_PAD: f32 = 2.0 * MM;

/// A table's rows, the header row first (`true`: set bold).
fn table_rows(t: &Table) -> Vec<(bool, &Vec<Vec<Inline>>)> {
    std::iter::once((true, &t.head))
        .chain(t.rows.iter().map(|r| (false, r)))
        .collect()
}

/// Why table `t` cannot be set in `room` pt when a column needs at least `letter` pt,
/// naming it by its first header cells (the fix is the caller's hint).
fn unfit_table(t: &Table, letter: f32, room: f32, across: bool) -> String {
    let mut head: Vec<String> = t
        .head
        .iter()
        .take(3)
        .map(|c| format!("\"{}\"", crate::model::plain_text(c)))
        .collect();
    if t.head.len() > 3 {
        head.push("…".into());
    }
    format!(
        "the table of {} columns headed {} does not fit {} {:.0} mm wide: some of its \
         columns would be narrower than a letter ({:.1} mm), and their letters would run \
         into the next column's",
        t.align.len(),
        head.join(", "),
        if across {
            "across the page, the text"
        } else {
            "a column"
        },
        room / MM,
        letter / MM
    )
}

/// Column widths filling `room`, from each column's natural width (its widest cell on
/// one line), its minimum with whole words (`whole`) and with words hyphenated
/// (`pieces`):
///
/// - all natural widths fit: each its natural width and an equal share of the rest;
/// - all whole-word minimums fit: each its minimum and a share of the rest in
///   proportion to how much more it would take (CSS 2.1's automatic table layout), so
///   no word is broken. A table of the body has this case set by [`columns::fit`],
///   which gives the room where it saves lines; the tests hold that against this;
/// - the hyphenated minimums fit: each its hyphenated minimum, then the columns that
///   need least to hold their words whole get it first. A long word in one column
///   is hyphenated rather than every short one ("Coun-/try", "Turk-/meni-/stan" beside
///   an address column when the rest went by CSS's shares);
/// - not even those fit: the widest give way first, each column keeping its minimum
///   up to one cap that fills the room. A year stays whole while an address breaks
///   between letters; scaled alike, all broke ("200/0", "Turkmenista/n").
fn column_widths(natural: &[f32], whole: &[f32], pieces: &[f32], room: f32) -> Vec<f32> {
    let n = natural.len().max(1) as f32;
    let total: f32 = natural.iter().sum();
    if total <= room {
        let extra = (room - total) / n;
        return natural.iter().map(|w| w + extra).collect();
    }
    let least: f32 = whole.iter().sum();
    if least <= room {
        let wants: f32 = natural
            .iter()
            .zip(whole)
            .map(|(w, m)| (w - m).max(0.0))
            .sum();
        return natural
            .iter()
            .zip(whole)
            .map(|(w, m)| m + (w - m).max(0.0) * (room - least) / wants.max(f32::EPSILON))
            .collect();
    }
    let least: f32 = pieces.iter().sum();
    if least <= room {
        // Each column's width so far and what it lacks to hold its words whole.
        let mut cols: Vec<(f32, f32)> = pieces
            .iter()
            .zip(whole)
            .map(|(&p, &w)| (p, (w - p).max(0.0)))
            .collect();
        let mut order: Vec<usize> = (0..cols.len()).collect();
        order.sort_by(|&a, &b| cols[a].1.total_cmp(&cols[b].1));
        let mut left = room - least;
        for (k, &i) in order.iter().enumerate() {
            let need = cols[i].1;
            if need <= left {
                cols[i].0 += need;
                left -= need;
                continue;
            }
            // The rest goes to the columns that cannot all be whole, by their needs.
            let needs: f32 = order[k..].iter().map(|&j| cols[j].1).sum();
            for &j in &order[k..] {
                cols[j].0 += left * cols[j].1 / needs.max(f32::EPSILON);
            }
            break;
        }
        return cols.into_iter().map(|(w, _)| w).collect();
    }
    let mut sorted = pieces.to_vec();
    sorted.sort_by(f32::total_cmp);
    let (mut left, mut cap) = (room, f32::MAX);
    for (k, &m) in sorted.iter().enumerate() {
        let rest = (sorted.len() - k) as f32;
        if m * rest > left {
            cap = left / rest;
            break;
        }
        left -= m;
    }
    pieces.iter().map(|&m| m.min(cap)).collect()
}

/// `v` rounded to thousandths, as the PDF writes it: a letter-spacing of 1e-6 pt would
/// be written as an operator that changes nothing.
fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// How a list item or a note is tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    /// `LI` holding an `LBody` with the blocks; the marker is an artifact: it is
    /// furniture by the content rule (`crate::content`), and the list's
    /// `/ListNumbering` tells assistive technology the kind of marker.
    ListItem,
    /// `Note` holding a `Lbl` with the note's number, then its paragraphs: one
    /// element per note, its label announced with it (the structure of an `LI` with
    /// its `Lbl` and `LBody`). The text stays in a `P`: readers that list an
    /// element's own content before its child elements (outloud does) would read
    /// a label ahead of text owned by the `Note` itself as out of order.
    Note,
}

/// The characters of a broken line as a reader counts them: its glyphs' text (an
/// accent written as a combining mark is part of its letter), one for each word
/// space, and the hyphen a break inside a word adds.
fn line_chars(items: &[Item], line: &Line) -> usize {
    let inside: usize = items[line.start..line.end]
        .iter()
        .map(|it| match it {
            Item::Box(c) => c
                .glyphs
                .iter()
                .flat_map(|g| g.text.chars())
                .filter(|&ch| !unicode_normalization::char::is_combining_mark(ch))
                .count(),
            Item::Glue { space: Some(_), .. } => 1,
            _ => 0,
        })
        .sum();
    inside + usize::from(line.hyphen.is_some())
}

#[cfg(test)]
mod tests {
    use super::column_widths;
    use crate::render::pdf::columns::{fit, lines, Piece};

    /// Words of the given widths with 3 pt spaces between them.
    fn words(widths: &[f32]) -> Vec<Piece> {
        let n = widths.len();
        widths
            .iter()
            .enumerate()
            .map(|(i, &width)| Piece {
                width,
                space: if i + 1 < n { 3.0 } else { 0.0 },
                end: 0.0,
                forced: false,
            })
            .collect()
    }

    #[test]
    fn a_long_header_over_figures_wraps_and_leaves_the_room_to_the_sentences() {
        // "Country" over "Turkmenistan", "Military expenditure 2023 (million USD)" over
        // "1,750", and a column of sentences, in 238 pt: the room goes where it saves
        // lines, and the table is shorter than with CSS's shares by one-line widths.
        let head = vec![
            words(&[40.0]),
            words(&[35.0, 50.0, 20.0, 35.0, 25.0]),
            words(&[50.0]),
        ];
        let row = vec![words(&[55.0]), words(&[25.0]), words(&[25.0; 20])];
        let cells: Vec<Vec<Vec<Piece>>> = std::iter::once(head)
            .chain(std::iter::repeat_n(row, 6))
            .collect();
        let natural = [55.0, 177.0, 557.0];
        let whole = [55.0, 50.0, 50.0];
        let height = |w: &[f32]| -> u32 {
            cells
                .iter()
                .map(|r| {
                    r.iter()
                        .zip(w)
                        .map(|(p, &cw)| lines(p, cw))
                        .max()
                        .unwrap_or(1)
                })
                .sum()
        };
        let fitted = fit(&cells, &whole, &natural, 0.0, 238.0);
        let css = column_widths(&natural, &whole, &whole, 238.0);
        assert!(
            (fitted.iter().sum::<f32>() - 238.0).abs() < 0.01,
            "{fitted:?}"
        );
        assert!(fitted.iter().zip(&whole).all(|(w, m)| w >= m), "{fitted:?}");
        assert!(
            height(&fitted) < height(&css),
            "fitted {fitted:?}: {} lines; CSS {css:?}: {} lines",
            height(&fitted),
            height(&css)
        );
    }

    #[test]
    fn a_long_cell_never_squeezes_a_short_column_below_its_widest_word() {
        // "Source" (40) beside a 400-wide address that can break down to 200.
        let w = column_widths(&[40.0, 400.0], &[40.0, 200.0], &[40.0, 200.0], 300.0);
        assert_eq!(w, vec![40.0, 260.0]);
        // All natural widths fit: the rest is shared out equally.
        assert_eq!(
            column_widths(&[40.0, 100.0], &[40.0, 50.0], &[40.0, 50.0], 200.0),
            vec![70.0, 130.0]
        );
    }

    #[test]
    fn words_are_hyphenated_where_it_costs_least() {
        // Whole words do not fit (30 + 60 + 50 + 66 > 180); hyphenated they do. The
        // country column (needs 25 more to be whole) is made whole before the topic
        // column (needs 40), which gets what is left.
        let natural = [30.0, 120.0, 60.0, 200.0];
        let whole = [30.0, 60.0, 50.0, 66.0];
        let pieces = [30.0, 20.0, 25.0, 66.0];
        let w = column_widths(&natural, &whole, &pieces, 180.0);
        assert_eq!(w, vec![30.0, 34.0, 50.0, 66.0]);
        assert!((w.iter().sum::<f32>() - 180.0).abs() < 1e-3);
    }

    #[test]
    fn when_nothing_fits_the_widest_give_way_first() {
        // The short column keeps its minimum, and the room is filled exactly.
        let w = column_widths(&[60.0, 300.0], &[60.0, 240.0], &[60.0, 240.0], 150.0);
        assert_eq!(w, vec![60.0, 90.0]);
        // Two wide columns give way alike, down to one cap.
        let m = [30.0, 150.0, 20.0, 100.0];
        let w = column_widths(&[30.0, 200.0, 20.0, 300.0], &m, &m, 170.0);
        assert_eq!(w, vec![30.0, 60.0, 20.0, 60.0]);
        // Even the narrowest do not fit: all are the same share.
        let w = column_widths(&[40.0, 50.0], &[40.0, 50.0], &[40.0, 50.0], 20.0);
        assert_eq!(w, vec![10.0, 10.0]);
    }
}
