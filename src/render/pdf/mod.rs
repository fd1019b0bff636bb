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

use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::house::House;
use crate::model::Document;

use body::{Setter, MM};
use flow::{paginate, Frame};
use shape::Shaper;

/// Render the PDF edition of `doc` as a lopdf document, for [`crate::render::finish`]
/// to finish in memory (page boxes, PDF/A metadata, file ID) and serialise.
pub fn document(doc: &Document, house: &House) -> Result<lopdf::Document> {
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
    };
    // Layout needs only the logo's size; the logo itself is prepared after it.
    let logo_px = write::image_size(&house.logo.bytes, &doc.slug)?;
    let (head, top) = setter.head(doc, logo_px);
    let sections = setter.document(doc);
    let frame = Frame {
        left: st.page.margin_left * MM,
        top: st.page.margin_top * MM,
        bottom: (st.page.height - st.page.margin_bottom) * MM,
        column_width: st.column_width() * MM,
        gutter: st.page.gutter * MM,
        columns: usize::from(st.page.columns.max(1)),
        section_gap: st.body.leading * st.body.paragraph_space * 2.0,
        space_stretch: st.body.space_stretch,
    };
    let mut pages = paginate(sections, &frame, top);
    if let Some(first) = pages.first_mut() {
        first.splice(0..0, head);
    }
    let running = setter.running(doc);
    for (i, p) in pages.iter_mut().enumerate() {
        p.extend(setter.furniture(&running, i + 1));
    }
    let logo = image::prepare_logo(&house.logo.bytes, house.logo.bytes.is_builtin()).map_err(
        |message| Error::Render {
            slug: doc.slug.clone(),
            format: "pdf",
            message,
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
    write::write(doc, house, book, pages, images, &tree)
}
