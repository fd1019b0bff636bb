//! The PDF edition: shape, break, flow and write a brief in the house layout.
//!
//! Stages: [`shape`] (rustybuzz, per font run) → [`linebreak`] (Knuth–Plass) →
//! [`body`]/[`head`] (blocks and the page-1 head become flow elements) → [`flow`]
//! (columns and pages) → [`write`](mod@write) (printpdf operations, font subsets, lopdf finish).
//! The contract with the verifier's reader is `docs/editions.md`.

pub mod body;
pub mod flow;
pub mod head;
pub mod image;
pub mod linebreak;
pub mod marked;
pub mod outline;
pub mod shape;
pub mod tags;
pub mod write;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::fonts::{Family, FontBook, Variant};
use crate::house::House;
use crate::model::Document;

use body::{Setter, MM};
use flow::{paginate, Frame};
use shape::{ShapeCache, Shaper};

/// Prepare what every PDF of `house` shares (its logo), so the briefs of a build find it
/// ready; a build runs this beside its first brief.
pub fn prepare_house(house: &House) {
    let _ = image::prepare_shared(&house.logo.bytes, house.logo.bytes.is_builtin());
}

/// What a brief's PDF layout can have ready before it starts: the house fonts parsed
/// (shared, so each is parsed once), shape plans built and words shaped, by threads
/// that would otherwise wait ([`prepare`], [`shape_ahead`]). None of it changes what is
/// laid out: a word's glyphs depend only on its font and its text.
pub struct Ahead<'h> {
    book: FontBook<'h>,
    cache: Arc<ShapeCache>,
    /// The layout's place in the body ([`body::Setter::progress`]).
    progress: AtomicUsize,
    /// Set once the layout no longer needs words shaped.
    laid_out: AtomicBool,
}

impl<'h> Ahead<'h> {
    /// Nothing ready yet.
    pub fn new(house: &'h House) -> Ahead<'h> {
        Ahead {
            book: FontBook::new(house),
            cache: Arc::default(),
            progress: AtomicUsize::new(0),
            laid_out: AtomicBool::new(false),
        }
    }
}

/// Sets its flag when dropped: on every way out of the layout.
struct SetOnDrop<'f>(&'f AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Make the fonts a brief is most likely set in ready for Latin text (faces parsed,
/// Latin-1 coverage read, plans built), until `stop` is set: a build runs this while
/// the brief's source is still being read, on a thread that would otherwise wait.
/// The order is the house's use: body, its italic and bold, then the sans for headings
/// and the head.
pub fn prepare(ahead: &Ahead<'_>, stop: &AtomicBool) {
    let shaper = Shaper::sharing(&ahead.book, "", false, Arc::clone(&ahead.cache));
    let variants = [
        (Family::Serif, false, false),
        (Family::Sans, true, false),
        (Family::Serif, false, true),
        (Family::Sans, false, false),
        (Family::Serif, true, false),
    ];
    for (family, bold, italic) in variants {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let variant = Variant {
            family,
            bold,
            italic,
        };
        if let Some(&font) = ahead.book.chain(variant).first() {
            shaper.prepare(font, "a");
        }
    }
}

/// Shape the words of the end of `doc` for the layout of its PDF (which `ahead` is then
/// passed to), from the last block back, until it meets that layout coming forward.
///
/// Shaping is most of the layout's time. When a build makes the PDF and the EPUB side
/// by side, the EPUB's thread runs this first, while the PDF's thread sets the head
/// and the body from the start; the layout then finds the end of the brief shaped.
/// The glyphs of a word do not depend on which thread shaped it, so neither do the
/// bytes of the PDF. On one thread the layout is over before this starts, and it
/// returns at once.
pub fn shape_ahead(doc: &Document, house: &House, ahead: &Ahead<'_>) {
    if ahead.laid_out.load(Ordering::Relaxed) {
        return;
    }
    // Hyphenation points are not shaped (the words are shaped whole), so they are
    // left to the layout.
    let shaper = Shaper::sharing(&ahead.book, &doc.meta.lang, false, Arc::clone(&ahead.cache));
    let mut setter = Setter {
        shaper: &shaper,
        house: &house.style,
        figures: Vec::new(),
        image_base: 1,
        tags: std::cell::RefCell::new(tags::Tree::new()),
        progress: None,
    };
    setter.shape_ahead(doc, &ahead.progress, &ahead.laid_out);
}

/// A figure as the layout placed it: what the print edition's resolution warning
/// ([`crate::render::Warning`]) is worked out from.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The figure's number and its file.
    pub number: u32,
    pub path: std::path::PathBuf,
    /// The image's width in pixels and its width on the page in points.
    pub pixels: u32,
    pub width_pt: f32,
}

impl Placement {
    /// Pixels per inch at the placed width.
    pub fn ppi(&self) -> f32 {
        self.pixels as f32 * 72.0 / self.width_pt.max(f32::MIN_POSITIVE)
    }
}

/// Render the PDF edition of `doc` as a lopdf document, for [`crate::render::finish`]
/// to finish in memory (page boxes, PDF/A metadata, file ID) and serialise. What
/// `ahead` has ready is taken from there. The print `edition` paints in the house's
/// inks (DeviceCMYK), the screen edition in its RGB colours.
pub fn document(
    doc: &Document,
    house: &House,
    ahead: &Ahead<'_>,
    edition: crate::render::Edition,
) -> Result<(lopdf::Document, Vec<Placement>)> {
    // Both editions are drawn in trim coordinates with full-bleed elements running
    // into the bleed; `render::finish` sets the page boxes and crop marks of the
    // print edition (docs/editions.md, "Page boxes").
    let st = &house.style;
    let laying_out = SetOnDrop(&ahead.laid_out);
    let book = &ahead.book;
    let shaper = Shaper::sharing(
        book,
        &doc.meta.lang,
        st.body.hyphenate,
        Arc::clone(&ahead.cache),
    )
    .with_rules(&st.typeset);
    let mut setter = Setter {
        shaper: &shaper,
        house: st,
        figures: Vec::new(),
        image_base: 1,
        tags: std::cell::RefCell::new(tags::Tree::new()),
        progress: Some(&ahead.progress),
    };
    // Layout needs only the logo's size; the logo itself is prepared once per process
    // (see `prepare_house`).
    let logo_px = write::image_size(&house.logo.bytes, &doc.slug)?;
    let (head, top) = setter.head(doc, logo_px);
    let sections = setter.document(doc);
    drop(laying_out);
    let frame = Frame {
        left: st.page.margin_left * MM,
        top: st.page.margin_top * MM,
        bottom: (st.page.height - st.page.margin_bottom) * MM,
        column_width: st.column_width() * MM,
        gutter: st.page.gutter * MM,
        columns: usize::from(st.page.columns.max(1)),
        section_gap: st.body.leading * st.body.paragraph_space * 2.0,
    };
    let mut pages = paginate(sections, &frame, top);
    if let Some(first) = pages.first_mut() {
        first.splice(0..0, head);
    }
    // Figure images follow the logo (index 0) in the image table, in document order.
    let placements: Vec<Placement> = pages
        .iter()
        .flatten()
        .filter_map(|d| match d {
            flow::Draw::Image { index, w, .. } => {
                let f = setter.figures.get(index.checked_sub(setter.image_base)?)?;
                Some(Placement {
                    number: f.number,
                    path: f.path.clone(),
                    pixels: f.width,
                    width_pt: *w,
                })
            }
            _ => None,
        })
        .collect();
    let running = setter.running(doc);
    for (i, p) in pages.iter_mut().enumerate() {
        p.extend(setter.furniture(&running, i + 1));
    }
    let logo = match &*image::prepare_shared(&house.logo.bytes, house.logo.bytes.is_builtin()) {
        Ok(logo) => logo.clone(),
        Err(message) => {
            return Err(Error::Render {
                slug: doc.slug.clone(),
                format: "pdf",
                message: message.clone(),
            })
        }
    };
    let mut images = vec![logo];
    let figures: Vec<Result<write::Image>> = {
        use rayon::prelude::*;
        setter
            .figures
            .par_iter()
            .map(|f| write::decode(&f.data, &doc.slug))
            .collect()
    };
    for f in figures {
        images.push(f?);
    }
    let tree = setter.tags.into_inner();
    let pdf = write::write(doc, house, book, pages, images, &tree, edition)?;
    Ok((pdf, placements))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{render_pdf, Edition, Options, PdfStandard};

    /// A PDF laid out with words shaped ahead by another shaper is the PDF laid out
    /// alone, byte for byte; and once the layout is done, shaping ahead does nothing.
    #[test]
    fn shaping_ahead_changes_nothing_but_who_shapes() -> Result<()> {
        let house = crate::house::builtin()?;
        let coverage = crate::fonts::Coverage::of_house(&house);
        let options = Options {
            edition: Edition::Screen,
            epoch: 1_477_958_400,
            pdf_standard: PdfStandard::A2b,
        };
        for source in [
            "source/2016-11-china-tajikistan.md",
            "tests/fixtures/constructs/constructs.md",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
            let doc = crate::parse::parse_file(&path, &coverage)?;
            let alone = render_pdf(&doc, &house, &options, Vec::new(), &Ahead::new(&house))?;
            let ahead = Ahead::new(&house);
            prepare(&ahead, &AtomicBool::new(false));
            shape_ahead(&doc, &house, &ahead);
            let shaped = ahead.cache.count();
            assert!(shaped > 50, "{source}: only {shaped} words shaped ahead");
            let helped = render_pdf(&doc, &house, &options, Vec::new(), &ahead)?;
            assert!(alone == helped, "{source}: the PDFs differ");
            let after = Ahead::new(&house);
            after.laid_out.store(true, Ordering::Relaxed);
            shape_ahead(&doc, &house, &after);
            assert_eq!(after.cache.count(), 0, "{source}: shaped after the layout");
        }
        Ok(())
    }
}
