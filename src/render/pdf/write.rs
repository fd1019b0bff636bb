//! Writing: laid-out pages become printpdf operations (glyph ids with their source
//! text), fonts are subset with `subsetter`, and the document comes out of one pass.
//!
//! printpdf 0.12 without its heavy `text_layout` feature embeds fonts whole and names
//! resources with process-global pseudo-random ids. So we subset each font ourselves,
//! hand printpdf the subset (it then writes the `/W` widths and a `/ToUnicode` CMap from
//! the text we attach to glyphs) and choose every resource id ourselves. What printpdf
//! does not model is added to the lopdf document it produces, in one place,
//! `add_unmodelled`, before anything else sees it: the prepared images with their soft
//! masks, the annotations' `/QuadPoints` and structure, the structure tree, the nested
//! outline ([`super::outline`]) and the catalog entries for them. Nothing printpdf
//! wrote is searched for or replaced afterwards.

use std::collections::BTreeMap;

use lopdf::Object;
use printpdf::{
    Actions, BorderArray, Codepoint, Color, FontId, LinkAnnotation, Mm, Op, ParsedFont,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
    XObjectId, XObjectTransform,
};
use sha2::Digest;

use super::flow::{Draw, Run};
use super::marked::{self, LinkRun};
use super::outline::Entry;
use super::tags::{Marks, Tree};
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::house::{House, Rgb};
use crate::model::Document;
use crate::render::Edition;

/// Glyphs used per font: original glyph id → the text it stands for (its `/ToUnicode`
/// entry; where it shows other text, it gets an `/ActualText`, see `marked::pieces`).
type Usage = BTreeMap<usize, BTreeMap<u16, String>>;

/// How many times each glyph is still to be written, per font and original glyph id.
///
/// printpdf builds `/ToUnicode` from the text attached to each glyph it is given, the
/// last occurrence of a glyph winning (`collect_used_glyphs_from_pages` in printpdf
/// 0.12.8). So only that last occurrence carries the text; the others carry none and
/// cost no allocation. On a 4 MiB source that is 3.6 million strings fewer held until
/// the document is serialized.
type Left = BTreeMap<usize, Vec<u32>>;

pub use super::image::Image;

/// Prepare PNG/JPEG bytes as a PDF image (see [`super::image`]).
pub fn decode(bytes: &[u8], slug: &str) -> Result<Image> {
    super::image::prepare(bytes).map_err(|m| render_err(slug, m))
}

/// The pixel size of image `bytes`, read from its header.
pub fn image_size(bytes: &[u8], slug: &str) -> Result<(u32, u32)> {
    super::image::size(bytes).map_err(|m| render_err(slug, m))
}

fn render_err(slug: &str, message: String) -> Error {
    Error::Render {
        slug: slug.to_owned(),
        format: "pdf",
        message,
        at: None,
        hint: None,
    }
}

fn usage(pages: &[Vec<Draw>]) -> (Usage, Left) {
    let mut u: Usage = BTreeMap::new();
    let mut left: Left = BTreeMap::new();
    for d in pages.iter().flatten() {
        if let Draw::Text { runs, .. } = d {
            for r in runs {
                let m = u.entry(r.chunk.font).or_default();
                let n = left.entry(r.chunk.font).or_default();
                for g in &r.chunk.glyphs {
                    let i = usize::from(g.gid);
                    if n.len() <= i {
                        n.resize(i + 1, 0);
                    }
                    n[i] += 1;
                    let e = m.entry(g.gid).or_default();
                    // The shortest text shown (the first, of equals): a letter stands
                    // for itself, not for itself and the soft hyphen or mark that went
                    // with it somewhere.
                    let shorter = g.text.chars().count() < e.chars().count();
                    if e.is_empty() || (shorter && !g.text.is_empty()) {
                        e.clone_from(&g.text);
                    }
                }
            }
        }
    }
    (u, left)
}

/// One font cut down for the PDF: its index and how printpdf sees it.
struct Cut {
    font: usize,
    parsed: ParsedFont,
    subset: Subset,
}

/// A subset font: original → subset glyph ids, and the PDF advance of each original id.
struct Subset {
    remap: BTreeMap<u16, u16>,
    pdf_adv: BTreeMap<u16, f32>,
}

/// How the layout's colours are painted: as they are (DeviceRGB) on screen; in print
/// as the house's inks ([`crate::house::Style::ink`], DeviceCMYK), so text is black ink
/// alone and the house colours are the press values the house file gives.
#[derive(Clone, Copy)]
struct Inks<'h> {
    print: Option<&'h crate::house::Style>,
}

impl Inks<'_> {
    fn color(self, c: Rgb) -> Color {
        match self.print {
            None => {
                let [r, g, b] = c.unit();
                Color::Rgb(printpdf::Rgb {
                    r,
                    g,
                    b,
                    icc_profile: None,
                })
            }
            Some(style) => {
                let [c, m, y, k] = style.ink(c).unit();
                Color::Cmyk(printpdf::Cmyk {
                    c,
                    m,
                    y,
                    k,
                    icc_profile: None,
                })
            }
        }
    }
}

/// Write the PDF in one pass: fonts subset, pages turned into printpdf operations,
/// printpdf's lopdf document, then what printpdf does not model added to it in one
/// place (`add_unmodelled`) and the streams compressed.
pub fn write(
    doc: &Document,
    house: &House,
    book: &FontBook<'_>,
    pages: Vec<Vec<Draw>>,
    images: Vec<Image>,
    tree: &Tree,
    edition: Edition,
) -> Result<lopdf::Document> {
    let slug = doc.slug.as_str();
    let mut pdf = PdfDocument::new(&doc.meta.title);
    let (used, mut left) = usage(&pages);
    let mut subsets: BTreeMap<usize, Subset> = BTreeMap::new();
    for cut in subset_fonts(book, &used, slug)? {
        pdf.resources.fonts.map.insert(
            FontId(format!("F{}", cut.font)),
            printpdf::PdfFont::new(cut.parsed),
        );
        subsets.insert(cut.font, cut.subset);
    }
    let mut glyphs = Glyphs {
        subsets: &subsets,
        used: &used,
        left: &mut left,
        inks: Inks {
            print: (edition == Edition::Print).then_some(&house.style),
        },
    };
    let mut paged = Paged::default();
    let (pw, ph) = (house.style.page.width, house.style.page.height);
    let page_h = ph * super::body::MM;
    let mut ops = Vec::new();
    // Pages are consumed one by one: each page's laid-out draws are freed as soon as
    // its operations exist (peak memory on long briefs).
    for (pi, draws) in pages.into_iter().enumerate() {
        let mut tg = Tagging {
            tree,
            marks: &mut paged.tagged,
            page: pi,
        };
        for d in &draws {
            draw_ops(&mut ops, d, page_h, &mut glyphs, &mut tg, &mut paged.marks);
        }
        paged.links.push(links(&mut ops, &draws, page_h));
        // Every page's operations are held until the document is serialized: they
        // are allocated once, at their final size (see [`Tj`]).
        let mut exact = Vec::with_capacity(ops.len());
        exact.append(&mut ops);
        paged.pages.push(PdfPage::new(Mm(pw), Mm(ph), exact));
    }
    pdf.with_pages(std::mem::take(&mut paged.pages));
    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    // The printpdf document is not needed past this point; free it before the lopdf
    // one grows (peak memory on long briefs).
    drop(pdf);
    add_unmodelled(&mut lo, doc, images, tree, paged)?;
    compress_streams(&mut lo);
    Ok(lo)
}

/// What the pages leave besides their operations: outline entries, marked content and
/// link annotations per page.
#[derive(Default)]
struct Paged {
    pages: Vec<PdfPage>,
    marks: Vec<Entry>,
    tagged: Marks,
    links: Vec<Vec<LinkRun>>,
}

/// Subset every used font (in parallel: they are independent of each other).
fn subset_fonts(book: &FontBook<'_>, used: &Usage, slug: &str) -> Result<Vec<Cut>> {
    use rayon::prelude::*;
    let used: Vec<(&usize, &BTreeMap<u16, String>)> = used.iter().collect();
    used.into_par_iter()
        .map(|(&font, glyphs)| subset_one(book, font, glyphs, slug))
        .collect()
}

/// Subset one font to the glyphs used, named with a tag derived from the subset.
fn subset_one(
    book: &FontBook<'_>,
    font: usize,
    glyphs: &BTreeMap<u16, String>,
    slug: &str,
) -> Result<Cut> {
    let bytes = book
        .bytes(font)
        .ok_or_else(|| render_err(slug, format!("font {font} missing")))?;
    let gids: Vec<u16> = glyphs.keys().copied().collect();
    let mapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
    let sub = subsetter::subset(bytes, 0, &mapper)
        .map_err(|e| render_err(slug, format!("cannot subset {}: {e:?}", book.name(font))))?;
    let mut warnings = Vec::new();
    let mut parsed = ParsedFont::from_bytes(&sub, 0, &mut warnings)
        .ok_or_else(|| render_err(slug, format!("subset of {} unreadable", book.name(font))))?;
    // The subset tag (ISO 32000-1, 9.6.4) is derived from the subset's bytes, so it is
    // stable across runs and differs between different subsets of one font.
    let digest = sha2::Sha256::digest(&sub);
    let tag: String = digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    parsed.font_name = Some(format!("{tag}+{}", book.name(font)));
    let face = book.face(font);
    let upem = face.map(|f| f.units_per_em() as f32).unwrap_or(1000.0);
    let mut remap = BTreeMap::new();
    let mut pdf_adv = BTreeMap::new();
    for &g in &gids {
        remap.insert(g, mapper.get(g).unwrap_or(0));
        let adv = face
            .and_then(|f| f.glyph_hor_advance(ttf_parser::GlyphId(g)))
            .unwrap_or(0);
        // printpdf writes `/W` as the truncated 1/1000-em advance; kerning offsets are
        // computed against exactly that number.
        pdf_adv.insert(g, (f32::from(adv) * 1000.0 / upem).trunc());
    }
    Ok(Cut {
        font,
        parsed,
        subset: Subset { remap, pdf_adv },
    })
}

/// The operations of one laid-out draw; outline marks are collected in `marks`.
fn draw_ops(
    ops: &mut Vec<Op>,
    d: &Draw,
    page_h: f32,
    glyphs: &mut Glyphs<'_>,
    tg: &mut Tagging<'_, '_>,
    marks: &mut Vec<Entry>,
) {
    match d {
        Draw::Text { x, y, runs } => text_ops(ops, *x, page_h - *y, runs, glyphs, tg),
        Draw::Rect { x, y, w, h, color } => {
            // Rules, the band and other graphics are decoration (artifacts).
            marked::artifact(ops);
            ops.push(Op::SetFillColor {
                col: glyphs.inks.color(*color),
            });
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(*x),
                    y: Pt(page_h - *y - *h),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: Some(printpdf::PaintMode::Fill),
                    winding_order: None,
                },
            });
            marked::end(ops);
        }
        Draw::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
        } => {
            marked::artifact(ops);
            ops.push(Op::SetOutlineColor {
                col: glyphs.inks.color(*color),
            });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            let point = |x: f32, y: f32| printpdf::LinePoint {
                p: Point {
                    x: Pt(x),
                    y: Pt(page_h - y),
                },
                bezier: false,
            };
            ops.push(Op::DrawLine {
                line: printpdf::Line {
                    points: vec![point(*x1, *y1), point(*x2, *y2)],
                    is_closed: false,
                },
            });
            marked::end(ops);
        }
        Draw::Image {
            index,
            x,
            y,
            w,
            h,
            node,
        } => {
            let bottom = page_h - *y - *h;
            match node {
                Some(n) => {
                    marked::begin(ops, tg.tree, tg.marks, tg.page, *n);
                    tg.marks.bbox(*n, [*x, bottom, *x + *w, page_h - *y]);
                }
                None => marked::artifact(ops),
            }
            // printpdf does not hold the image (see [`add_images`]): the unit square
            // is scaled to the image's box here.
            ops.push(Op::UseXobject {
                id: XObjectId(image_name(*index)),
                transform: XObjectTransform {
                    translate_x: Some(Pt(*x)),
                    translate_y: Some(Pt(bottom)),
                    scale_x: Some(*w),
                    scale_y: Some(*h),
                    no_auto_scale: true,
                    ..Default::default()
                },
            });
            marked::end(ops);
        }
        Draw::Mark { level, title, x, y } => marks.push(Entry {
            page: tg.page,
            level: *level,
            title: title.clone(),
            left: *x,
            top: page_h - *y,
        }),
    }
}

/// The resource name of image `index`.
fn image_name(index: usize) -> String {
    format!("Im{index}")
}

/// What text needs to know of the fonts: subset glyph ids and advances, the text of
/// each glyph, and how often each glyph is still to be written.
struct Glyphs<'a> {
    subsets: &'a BTreeMap<usize, Subset>,
    used: &'a Usage,
    left: &'a mut Left,
    inks: Inks<'a>,
}

/// Where text and images of one page are marked: the tree (for roles) and the marks.
struct Tagging<'t, 'm> {
    tree: &'t Tree,
    marks: &'m mut Marks,
    page: usize,
}

/// Operations of one text line: one `BT … ET`, one `Tm`, font changes as needed.
/// Each stretch of runs of one structure element is one marked-content sequence with
/// an MCID; artifacts (note numbers) are separate `/Artifact` sequences, never nested
/// in tagged content; all of them open and close inside the text object.
fn text_ops(
    ops: &mut Vec<Op>,
    x: f32,
    y: f32,
    runs: &[Run],
    glyphs: &mut Glyphs<'_>,
    tg: &mut Tagging<'_, '_>,
) {
    if runs.is_empty() {
        return;
    }
    let mut open: Option<super::tags::NodeId> = None;
    let from = ops.len();
    ops.push(Op::StartTextSection);
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(x), Pt(y)),
    });
    let mut state = TextState::default();
    // Consecutive runs in the same state (font, colour, spacing, structure element)
    // share one `TJ`: a justified line is one array of glyph strings and offsets, not
    // one operator per word and space.
    let mut pending = Tj::default();
    let mut alone = false;
    for r in runs {
        let s = &r.chunk.style;
        let same_state =
            !alone && !r.hyphen && !s.artifact && state.holds(r) && open == Some(s.node);
        if !same_state {
            pending.flush(ops);
        }
        // A hyphen or an artifact is wrapped in its own marked content: its `TJ`
        // stands alone.
        alone = r.hyphen || s.artifact;
        state.set(ops, r, glyphs.inks);
        if s.artifact {
            if open.take().is_some() {
                marked::end(ops);
            }
            marked::artifact(ops);
        } else if open != Some(s.node) {
            if open.is_some() {
                marked::end(ops);
            }
            marked::begin(ops, tg.tree, tg.marks, tg.page, s.node);
            open = Some(s.node);
        }
        if r.hyphen {
            // An inserted hyphen reads as a soft hyphen.
            marked::actual_text(ops, "\u{AD}");
        }
        show_glyphs(ops, &mut pending, r, glyphs);
        if r.extra.abs() > 0.001 {
            // TJ numbers are thousandths of an em, positive moving left, and `Tz`
            // scales them.
            let em = s.size.max(0.1) * (1.0 + s.scale);
            pending.offset(round3(-r.extra * 1000.0 / em));
        }
        if alone {
            pending.flush(ops);
        }
        if r.hyphen {
            ops.push(Op::EndMarkedContentWithProperties);
        }
        if s.artifact {
            marked::end(ops);
        }
    }
    pending.flush(ops);
    if open.is_some() {
        marked::end(ops);
    }
    // `Tc` is text state: it outlives the text object, so it is put back to nothing.
    if spacing_into_numbers(ops, from, state.tracking) != 0.0 {
        ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
    }
    if state.rise != 0.0 {
        ops.push(Op::SetLineOffset { multiplier: 0.0 });
    }
    if state.scale != 0.0 {
        ops.push(Op::SetHorizontalScaling { percent: 100.0 });
    }
    ops.push(Op::EndTextSection);
}

/// Move the letter-spacing (`Tc`) of every string of the line that starts at
/// `ops[from]` but its last into the string's `TJ` numbers; `tracking` is the `Tc` the
/// line ends with. Returns the `Tc` in force after the line.
///
/// ISO 32000-1 (9.4.4) adds `Tc` after every glyph shown, also after the last glyph of
/// a `TJ`. pdfminer, and pdfplumber on it (what the line-quality figures are measured
/// with), adds it only between the glyphs of one `TJ`. On a letter-spaced line shown in
/// several strings (a change of font or colour, a link, an `/ActualText` span) it
/// placed every later glyph short by `Tc` per change, and reported justified lines up
/// to 0.6 pt short of the edge or past it (61 of GitHub's site policies: 7 lines in
/// 10,000) where pdftotext and viewers have them flush. As numbers, the spacing moves
/// every reader alike. The line's last string keeps `Tc`, as the spacing after the
/// line's last glyph moves nothing: a line shown in one string is written as before.
fn spacing_into_numbers(ops: &mut Vec<Op>, from: usize, tracking: f32) -> f32 {
    let line = ops.get(from..).unwrap_or_default();
    let strings = line
        .iter()
        .filter(|op| matches!(op, Op::ShowText { .. }))
        .count();
    let spaced = line
        .iter()
        .any(|op| matches!(op, Op::SetCharacterSpacing { multiplier } if *multiplier != 0.0));
    if strings < 2 || !spaced {
        return tracking;
    }
    let line: Vec<Op> = ops.drain(from..).collect();
    let (mut size, mut tc, mut written, mut shown) = (0.0_f32, 0.0_f32, 0.0_f32, 0);
    for mut op in line {
        match &mut op {
            Op::SetFont { size: s, .. } => size = s.0,
            // Written again below, where a string needs it.
            Op::SetCharacterSpacing { multiplier } => {
                tc = *multiplier;
                continue;
            }
            Op::ShowText { items } => {
                shown += 1;
                let keep = shown == strings || size <= 0.0;
                let want = if keep { tc } else { 0.0 };
                if want != tc {
                    // TJ numbers are thousandths of an em, positive moving left.
                    let d = -tc * 1000.0 / size;
                    for item in items.iter_mut() {
                        if let TextItem::GlyphIds(codes) = item {
                            for c in codes.iter_mut() {
                                c.offset = round3(c.offset + d);
                            }
                        }
                    }
                }
                if want != written {
                    ops.push(Op::SetCharacterSpacing { multiplier: want });
                    written = want;
                }
            }
            _ => {}
        }
        ops.push(op);
    }
    written
}

/// The text state set so far in a text object: font and size, colour, tracking,
/// glyph scaling, rise.
#[derive(Default)]
struct TextState {
    font: Option<(usize, f32)>,
    color: Option<Rgb>,
    tracking: f32,
    scale: f32,
    rise: f32,
}

impl TextState {
    /// Whether run `r` is shown in this state.
    fn holds(&self, r: &Run) -> bool {
        let s = &r.chunk.style;
        self.font == Some((r.chunk.font, s.size))
            && self.color == Some(s.color)
            && self.tracking == s.tracking
            && self.scale == s.scale
            && self.rise == s.rise
    }

    /// Set what run `r` needs and is not set yet.
    fn set(&mut self, ops: &mut Vec<Op>, r: &Run, inks: Inks<'_>) {
        let s = &r.chunk.style;
        if self.font != Some((r.chunk.font, s.size)) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(format!("F{}", r.chunk.font))),
                size: Pt(s.size),
            });
            self.font = Some((r.chunk.font, s.size));
        }
        if self.color != Some(s.color) {
            ops.push(Op::SetFillColor {
                col: inks.color(s.color),
            });
            self.color = Some(s.color);
        }
        if self.tracking != s.tracking {
            ops.push(Op::SetCharacterSpacing {
                multiplier: s.tracking,
            });
            self.tracking = s.tracking;
        }
        if self.scale != s.scale {
            ops.push(Op::SetHorizontalScaling {
                percent: round3(100.0 * (1.0 + s.scale)),
            });
            self.scale = s.scale;
        }
        if self.rise != s.rise {
            ops.push(Op::SetLineOffset { multiplier: s.rise });
            self.rise = s.rise;
        }
    }
}

/// The glyphs of one run, added to the `TJ` being gathered; a cluster that would read
/// otherwise is shown on its own inside `/Span << /ActualText >>`.
fn show_glyphs(ops: &mut Vec<Op>, pending: &mut Tj, r: &Run, glyphs: &mut Glyphs<'_>) {
    let sub = glyphs.subsets.get(&r.chunk.font);
    // Every glyph gets the one text `/ToUnicode` has for it; a cluster that would
    // read otherwise gets an `/ActualText` (see `marked::pieces`).
    let known = glyphs.used.get(&r.chunk.font);
    let mut left = glyphs.left.get_mut(&r.chunk.font);
    let reads = |gid: u16| {
        known
            .and_then(|m| m.get(&gid))
            .map(String::as_str)
            .filter(|t| !t.is_empty())
    };
    let pieces = if r.hyphen {
        vec![(0..r.chunk.glyphs.len(), None)]
    } else {
        marked::pieces(&r.chunk.glyphs, reads)
    };
    for (range, actual) in pieces {
        let mut codes = Vec::with_capacity(range.len());
        for g in &r.chunk.glyphs[range] {
            let (gid, pdf_adv) = match sub {
                Some(sb) => (
                    sb.remap.get(&g.gid).copied().unwrap_or(0),
                    sb.pdf_adv.get(&g.gid).copied().unwrap_or(0.0),
                ),
                None => (0, 0.0),
            };
            let want = g.advance * 1000.0 / r.chunk.style.size.max(0.1);
            let off = round3(pdf_adv - want);
            // Only the glyph's last occurrence carries its text (see [`Left`]).
            let last = match left
                .as_deref_mut()
                .and_then(|l| l.get_mut(usize::from(g.gid)))
            {
                Some(n) => {
                    *n = n.saturating_sub(1);
                    *n == 0
                }
                None => true,
            };
            codes.push(Codepoint {
                gid,
                offset: off,
                cid: if last {
                    reads(g.gid).map(str::to_owned)
                } else {
                    None
                },
            });
        }
        match actual {
            // The mark of a line broken inside a word has no glyphs: no empty string.
            None if codes.is_empty() => {}
            None => pending.glyphs(codes),
            Some(text) => {
                pending.flush(ops);
                marked::actual_text(ops, &text);
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(codes)],
                });
                marked::end(ops);
            }
        }
    }
}

/// The `TJ` being gathered: its items so far and the glyph list it ends with.
///
/// Every page's operations are held until printpdf serializes the document, so what
/// they keep is allocated once, at its final size, when the `TJ` is complete: on a
/// 4 MiB source, lists grown glyph by glyph and kept with their spare capacity (or
/// shrunk afterwards) left about 50 MB more resident at the peak.
#[derive(Default)]
struct Tj {
    items: Vec<TextItem>,
    glyphs: Vec<Codepoint>,
}

impl Tj {
    /// Add glyphs. printpdf writes a list as one string per glyph, so one list per
    /// line is written exactly as one per word.
    fn glyphs(&mut self, codes: Vec<Codepoint>) {
        self.glyphs.extend(codes);
    }

    /// Add an offset: as the offset of the glyph before it where that glyph has none
    /// (printpdf writes a glyph's non-zero offset right after it, as it writes an
    /// offset item), else as an item of its own.
    fn offset(&mut self, offset: f32) {
        if let Some(g) = self
            .glyphs
            .last_mut()
            .filter(|g| g.offset == 0.0 && offset != 0.0)
        {
            g.offset = offset;
            return;
        }
        self.close_glyphs();
        self.items.push(TextItem::Offset(offset));
    }

    fn close_glyphs(&mut self) {
        if !self.glyphs.is_empty() {
            let mut exact = Vec::with_capacity(self.glyphs.len());
            exact.append(&mut self.glyphs);
            self.items.push(TextItem::GlyphIds(exact));
        }
    }

    /// Show what was gathered, if anything, as one `TJ`.
    fn flush(&mut self, ops: &mut Vec<Op>) {
        self.close_glyphs();
        if !self.items.is_empty() {
            let mut items = Vec::with_capacity(self.items.len());
            items.append(&mut self.items);
            ops.push(Op::ShowText { items });
        }
    }
}

fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// Clickable link annotations: one per link and line it occupies, covering its runs on
/// that line (one quadrilateral per stretch of adjacent runs, `/Rect` their union);
/// returns their `Link` elements, texts and quadrilaterals in the order of the
/// annotations.
fn links(ops: &mut Vec<Op>, draws: &[Draw], page_h: f32) -> Vec<LinkRun> {
    let mut out = Vec::new();
    for d in draws {
        let Draw::Text { x, y, runs } = d else {
            continue;
        };
        // This line's links in the order they begin, with their targets.
        let mut line: Vec<(LinkRun, &str)> = Vec::new();
        let mut previous: Option<usize> = None;
        let mut pen = *x;
        for r in runs {
            let w = r.chunk.width();
            let style = &r.chunk.style;
            let here = style.link.as_deref().map(|url| {
                let s = style.size;
                let quad = [pen, page_h - y - s * 0.25, pen + w, page_h - y + s * 0.75];
                // An inserted hyphen is no part of the link's text.
                let text: String = match r.hyphen {
                    true => String::new(),
                    false => r.chunk.glyphs.iter().map(|g| g.text.as_str()).collect(),
                };
                let found = line
                    .iter()
                    .position(|(l, u)| l.node == style.node && *u == url);
                let i = found.unwrap_or_else(|| {
                    line.push((
                        LinkRun {
                            node: style.node,
                            text: String::new(),
                            quads: Vec::new(),
                            glued: false,
                        },
                        url,
                    ));
                    line.len() - 1
                });
                let link = &mut line[i].0;
                link.text.push_str(&text);
                match link.quads.last_mut() {
                    // Adjacent to this link's last run: the same stretch grows.
                    Some(q) if previous == Some(i) => {
                        q[1] = q[1].min(quad[1]);
                        q[2] = quad[2];
                        q[3] = q[3].max(quad[3]);
                    }
                    _ => link.quads.push(quad),
                }
                i
            });
            // A line broken inside a word ends in a hyphen run: the link text before
            // it goes on at the next line without a space.
            if r.hyphen {
                if let Some((link, _)) = here.or(previous).and_then(|i| line.get_mut(i)) {
                    link.glued = true;
                }
            }
            previous = here;
            pen += w + r.extra;
        }
        for (link, url) in line {
            let [x0, y0, x1, y1] = marked::union(&link.quads);
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect {
                        x: Pt(x0),
                        y: Pt(y0),
                        width: Pt(x1 - x0),
                        height: Pt(y1 - y0),
                        mode: None,
                        winding_order: None,
                    },
                    Actions::Uri(url.to_owned()),
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            });
            out.push(link);
        }
    }
    out
}

/// Add to printpdf's lopdf document what printpdf does not model, in this one place:
/// the prepared image streams with their soft masks ([`add_images`]), the link
/// annotations' `/QuadPoints` and place in the structure ([`marked::annotations`]), the
/// structure tree ([`super::tags::write`]), the nested outline ([`super::outline`]) and
/// the catalog's entries for them. The Info dictionary, XMP, `/Lang`, version and file
/// ID are `render::finish`'s (the only way a rendered document leaves this crate), so
/// they are written once, there.
fn add_unmodelled(
    lo: &mut lopdf::Document,
    doc: &Document,
    images: Vec<Image>,
    tree: &Tree,
    mut paged: Paged,
) -> Result<()> {
    let slug = doc.slug.as_str();
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    add_images(lo, &page_ids, images).map_err(|m| render_err(slug, m))?;
    let next_key = marked::annotations(lo, &page_ids, &paged.links, &mut paged.tagged)
        .map_err(|m| render_err(slug, m))?;
    let struct_tree = super::tags::write(lo, tree, &paged.tagged, &page_ids, next_key);
    let outline = super::outline::write(lo, &paged.marks, &page_ids);
    let root = lo
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| render_err(slug, format!("no catalog: {e}")))?;
    let catalog = lo
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(|e| render_err(slug, format!("no catalog: {e}")))?;
    catalog.set("StructTreeRoot", Object::Reference(struct_tree));
    catalog.set(
        "MarkInfo",
        lopdf::Dictionary::from_iter(vec![("Marked", Object::Boolean(true))]),
    );
    catalog.set(
        "ViewerPreferences",
        lopdf::Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]),
    );
    if let Some(o) = outline {
        catalog.set("Outlines", Object::Reference(o));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Ok(())
}

/// Add the prepared images (streams as [`super::image`] made them, soft masks as their
/// own objects) and name them in the `/XObject` resources the pages share. printpdf
/// models images only as pixels it encodes itself, so it is given none: its `UseXobject`
/// operations refer to these names.
fn add_images(
    lo: &mut lopdf::Document,
    page_ids: &[lopdf::ObjectId],
    images: Vec<Image>,
) -> std::result::Result<(), String> {
    if images.is_empty() {
        return Ok(());
    }
    let mut named = Vec::new();
    for (i, img) in images.into_iter().enumerate() {
        let mut stream = img.stream;
        if let Some(mask) = img.smask {
            let mask_id = lo.add_object(mask);
            stream.dict.set("SMask", Object::Reference(mask_id));
        }
        named.push((image_name(i), lo.add_object(stream)));
    }
    // printpdf gives every page the same `/XObject` dictionary, an indirect object.
    let shared = |lo: &lopdf::Document, page: lopdf::ObjectId| {
        let resources = lo.get_dictionary(page).and_then(|d| d.get(b"Resources"));
        let resources = resources.and_then(|r| lo.dereference(r)).map(|(_, o)| o);
        resources
            .and_then(Object::as_dict)
            .and_then(|r| r.get(b"XObject"))
            .and_then(Object::as_reference)
            .map_err(|e| format!("page without an /XObject resource dictionary: {e}"))
    };
    let mut done = std::collections::BTreeSet::new();
    for &page in page_ids {
        let id = shared(lo, page)?;
        if !done.insert(id) {
            continue;
        }
        let dict = lo
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .map_err(|e| format!("/XObject resources unreadable: {e}"))?;
        for (name, image) in &named {
            dict.set(name.as_str(), Object::Reference(*image));
        }
    }
    Ok(())
}

/// Flate-compress every stream that may be compressed and is not yet. Streams are
/// independent, so they are compressed in parallel (one compressor per worker): a core
/// that has finished its own edition helps here. Page content at
/// [`crate::render::deflate::LEVEL`], font programs at the faster `FONT_LEVEL` (the
/// measurements are there; lopdf's own `compress` always uses the slowest level, 9).
fn compress_streams(lo: &mut lopdf::Document) {
    use rayon::prelude::*;
    let mut todo: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if s.allows_compression && !s.dict.has(b"Filter") => Some(s),
            _ => None,
        })
        .collect();
    // Largest first, so the two workers finish together.
    todo.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    todo.par_iter_mut().for_each(|s| {
        // Font programs (`/FontFile2` carries `/Length1`) compress at their own level.
        let level = if s.dict.has(b"Length1") {
            crate::render::deflate::FONT_LEVEL
        } else {
            crate::render::deflate::LEVEL
        };
        let Some(packed) =
            crate::render::deflate::with_thread_deflater(level, |z| z.zlib(&s.content))
        else {
            return;
        };
        if packed.len() < s.content.len() {
            s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            s.set_content(packed);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where each glyph of a text line starts, every glyph 500/1000 em wide, by the
    /// PDF specification (`Tc` after every glyph) or as pdfminer reads it (`Tc`
    /// between the glyphs of one string only).
    fn starts(ops: &[Op], spec: bool) -> Vec<f32> {
        let (mut x, mut size, mut tc) = (0.0_f32, 0.0_f32, 0.0_f32);
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::SetFont { size: s, .. } => size = s.0,
                Op::SetCharacterSpacing { multiplier } => tc = *multiplier,
                Op::ShowText { items } => {
                    let codes: Vec<&Codepoint> = items
                        .iter()
                        .flat_map(|i| match i {
                            TextItem::GlyphIds(c) => c.iter().collect(),
                            _ => Vec::new(),
                        })
                        .collect();
                    for (k, c) in codes.iter().enumerate() {
                        out.push(x);
                        x += 500.0 * size / 1000.0 - c.offset * size / 1000.0;
                        if spec || k + 1 < codes.len() {
                            x += tc;
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn string(offsets: &[f32]) -> Op {
        let codes = offsets
            .iter()
            .map(|&offset| Codepoint {
                gid: 1,
                offset,
                cid: None,
            })
            .collect();
        Op::ShowText {
            items: vec![TextItem::GlyphIds(codes)],
        }
    }

    fn font(size: f32) -> Op {
        Op::SetFont {
            font: PdfFontHandle::External(FontId("F0".into())),
            size: Pt(size),
        }
    }

    #[test]
    fn letter_spacing_of_all_strings_but_the_last_moves_into_numbers() {
        let line = vec![
            Op::StartTextSection,
            font(10.0),
            Op::SetCharacterSpacing { multiplier: 0.2 },
            // A word space's stretch already sits on its glyph.
            string(&[0.0, -40.0, 0.0]),
            font(8.0),
            string(&[0.0, 0.0]),
            Op::SetCharacterSpacing { multiplier: -0.1 },
            string(&[0.0, 0.0]),
        ];
        let want = starts(&line, true);
        // pdfminer's reading of the line as it was: short by Tc per string.
        assert!((starts(&line, false)[6] - want[6]).abs() > 0.3);
        let mut ops = line.clone();
        let after = spacing_into_numbers(&mut ops, 0, -0.1);
        assert_eq!(after, -0.1, "the last string keeps its Tc");
        for spec in [true, false] {
            let got = starts(&ops, spec);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() < 0.001,
                    "spec {spec}: {got:?} against {want:?}"
                );
            }
        }
        // Tc is set once for the last string; a line of one string is left as it is.
        let tcs = ops
            .iter()
            .filter(|op| matches!(op, Op::SetCharacterSpacing { .. }))
            .count();
        assert_eq!(tcs, 1);
        let one = vec![
            font(10.0),
            Op::SetCharacterSpacing { multiplier: 0.2 },
            string(&[0.0]),
        ];
        let mut same = one.clone();
        assert_eq!(spacing_into_numbers(&mut same, 0, 0.2), 0.2);
        assert_eq!(format!("{same:?}"), format!("{one:?}"));
    }
}
