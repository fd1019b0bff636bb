//! The PDF edition: shape, break, flow and write a brief in the house layout.
//!
//! Stages: [`shape`] (rustybuzz, per font run) → [`linebreak`] (Knuth–Plass) →
//! [`body`]/[`head`] (blocks and the page-1 head become flow elements; a table's
//! column widths from `columns`) → [`flow`]
//! (columns and pages) → [`write`](mod@write) (printpdf operations, font subsets, lopdf finish).
//! The contract with the verifier's reader is `docs/editions.md`.

pub mod body;
mod columns;
pub mod flow;
pub mod head;
pub mod image;
pub mod linebreak;
pub mod marked;
pub mod outline;
pub mod shape;
pub mod tags;
pub mod write;

use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::house::House;
use crate::model::Document;

use body::{Setter, MM};
use flow::{paginate, Frame};
use shape::Shaper;

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
/// to finish in memory (page boxes, PDF/A metadata, file ID) and serialise. The print
/// `edition` paints in the house's inks (DeviceCMYK), the screen edition in its RGB
/// colours.
pub fn document(
    doc: &Document,
    house: &House,
    edition: crate::render::Edition,
) -> Result<(lopdf::Document, Vec<Placement>)> {
    // Both editions are drawn in trim coordinates with full-bleed elements running
    // into the bleed; `render::finish` sets the page boxes and crop marks of the
    // print edition (docs/editions.md, "Page boxes").
    let st = &house.style;
    let book = &FontBook::new(house);
    let shaper = Shaper::new(book, &doc.meta.lang, st.body.hyphenate, &st.typeset);
    let mut setter = Setter {
        shaper: &shaper,
        house: st,
        figures: Vec::new(),
        image_base: 1,
        tags: std::cell::RefCell::new(tags::Tree::new()),
        unfit: std::cell::RefCell::new(Vec::new()),
        labels: st.labels.words(&doc.meta.lang),
    };
    // Layout needs only the logo's size; the logo itself is prepared after it.
    let logo_px = write::image_size(&house.logo.bytes, &doc.slug)?;
    let (head, top) = setter.head(doc, logo_px);
    let sections = setter.document(doc);
    if let Some(unfit) = setter.unfit.borrow_mut().drain(..).next() {
        return Err(Error::Render {
            slug: doc.slug.clone(),
            format: "pdf",
            message: unfit.why,
            at: Some(unfit.at),
            hint: Some(unfit.fix),
        });
    }
    let frame = Frame {
        left: st.page.margin_left * MM,
        top: st.page.margin_top * MM,
        bottom: (st.page.height - st.page.margin_bottom) * MM,
        column_width: st.column_width() * MM,
        gutter: st.page.gutter * MM,
        columns: usize::from(st.page.columns.max(1)),
        section_gap: st.body.leading * st.body.paragraph_space * 2.0,
        space_stretch: st.body.space_stretch,
        space_unit: st.body.paragraph_space.max(0.0) * st.body.leading,
        balance_within: st.body.balance_within.max(0.0) * st.body.leading,
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
    let logo = image::prepare_logo(&house.logo.bytes, house.logo.bytes.is_builtin()).map_err(
        |message| Error::Render {
            slug: doc.slug.clone(),
            format: "pdf",
            message,
            at: None,
            hint: None,
        },
    )?;
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
