//! Renderers: pure functions from the document model and the house style to the bytes
//! of one edition. No file system, clock or environment is touched here; the caller
//! passes everything in [`Options`] and writes the bytes.

pub mod deflate;
pub mod epub;
pub mod finish;
pub mod pdf;
pub mod pdf_string;
pub mod text;

use crate::error::Result;
use crate::house::House;
use crate::model::Document;

/// The editions briefpress produces.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Epub,
    Txt,
}

impl Format {
    /// All formats, in the order they are built.
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Epub, Format::Txt];

    /// The file extension, also the format's name on the command line.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
            Format::Txt => "txt",
        }
    }
}

/// Which PDF edition to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// MediaBox = TrimBox = A4, live links, outline.
    #[default]
    Screen,
    /// Bleed and crop marks for the printer.
    Print,
}

/// Which PDF/A conformance level the PDF edition claims (see the README, "Print, archive and accessible PDF").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
pub enum PdfStandard {
    /// PDF/A-2b: archival, self-contained, no attachments.
    #[default]
    #[value(name = "a-2b")]
    #[serde(rename = "a-2b")]
    A2b,
    /// PDF/A-3b: as A-2b, with the Markdown source and the text edition attached.
    #[value(name = "a-3b")]
    #[serde(rename = "a-3b")]
    A3b,
}

/// Everything a renderer needs besides the document and the house style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub edition: Edition,
    /// Seconds since the Unix epoch for every date written into a file
    /// (`SOURCE_DATE_EPOCH`, else the brief's date).
    pub epoch: i64,
    /// The PDF/A level of the PDF edition.
    pub pdf_standard: PdfStandard,
}

/// Render one edition of `doc`. A PDF gets no attachments here; the build pipeline
/// calls [`render_pdf`] itself for PDF/A-3b.
pub fn render(doc: &Document, house: &House, format: Format, options: &Options) -> Result<Vec<u8>> {
    match format {
        Format::Txt => Ok(text::text(doc, &house.style)),
        Format::Pdf => render_pdf(doc, house, options, Vec::new(), &pdf::Ahead::new(house)),
        Format::Epub => epub::epub(doc, house, options),
    }
}

/// Something about an edition its reader should know that does not stop the build: a
/// figure that prints below the house's resolution floor.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Warning {
    /// The file the warning is about (a figure).
    pub file: std::path::PathBuf,
    pub message: String,
}

/// Render the PDF edition and finish it ([`finish::finish`]): page boxes, crop marks,
/// PDF/A metadata and, for PDF/A-3b, `attachments` as associated files. What other
/// threads made ready in `ahead` ([`pdf::prepare`], [`pdf::shape_ahead`]) is used.
pub fn render_pdf(
    doc: &Document,
    house: &House,
    options: &Options,
    attachments: Vec<finish::Attachment>,
    ahead: &pdf::Ahead<'_>,
) -> Result<Vec<u8>> {
    render_pdf_with_warnings(doc, house, options, attachments, ahead).map(|(pdf, _)| pdf)
}

/// [`render_pdf`], with the warnings about the edition: in print, each figure that
/// prints below `inputs.min_print_ppi` of the house style at its placed width.
pub fn render_pdf_with_warnings(
    doc: &Document,
    house: &House,
    options: &Options,
    attachments: Vec<finish::Attachment>,
    ahead: &pdf::Ahead<'_>,
) -> Result<(Vec<u8>, Vec<Warning>)> {
    // The PDF renderer writes a PDF/UA-1 structure tree (`pdf::tags`), so the XMP
    // declares `pdfuaid:part` 1.
    let info = finish::Info {
        attachments,
        tagged: true,
        ..finish::Info::new(doc, house, options)
    };
    let (pdf, placements) = pdf::document(doc, house, ahead, options.edition)?;
    let warnings = match options.edition {
        Edition::Print => low_resolution(&placements, house.style.inputs.min_print_ppi),
        Edition::Screen => Vec::new(),
    };
    Ok((finish::finish_document(pdf, &info)?, warnings))
}

/// A warning for each placed figure below `min_ppi`; a figure placed twice is named
/// once, at its lowest resolution.
fn low_resolution(placements: &[pdf::Placement], min_ppi: u32) -> Vec<Warning> {
    let mut out: Vec<Warning> = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    let mut sorted: Vec<&pdf::Placement> = placements.iter().collect();
    sorted.sort_by(|a, b| a.number.cmp(&b.number).then(a.ppi().total_cmp(&b.ppi())));
    for p in sorted {
        let ppi = p.ppi();
        if seen.contains(&p.number) || ppi >= min_ppi as f32 {
            continue;
        }
        seen.push(p.number);
        let mm = p.width_pt * 25.4 / 72.0;
        let needed = (min_ppi as f32 * p.width_pt / 72.0).ceil();
        out.push(Warning {
            file: p.path.clone(),
            message: format!(
                "figure {} ({}) prints at {:.0} ppi at its width of {mm:.1} mm, below \
                 the {min_ppi} ppi print needs; an image {needed} pixels wide would do",
                p.number,
                p.path.display(),
                ppi.floor(),
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(number: u32, pixels: u32, width_pt: f32) -> pdf::Placement {
        pdf::Placement {
            number,
            path: format!("fig{number}.png").into(),
            pixels,
            width_pt,
        }
    }

    #[test]
    fn figures_at_the_floor_pass_and_below_it_are_named_once() {
        // 300 pixels on 72 pt (one inch) is exactly 300 ppi.
        assert!(low_resolution(&[placed(1, 300, 72.0)], 300).is_empty());
        let w = low_resolution(
            &[
                placed(2, 299, 72.0),
                placed(2, 299, 36.0),
                placed(3, 150, 72.0),
            ],
            300,
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].file, std::path::PathBuf::from("fig2.png"));
        assert!(w[0].message.contains("prints at 299 ppi"), "{w:?}");
        assert!(w[0].message.contains("an image 300 pixels wide"), "{w:?}");
        assert!(w[1].message.contains("figure 3") && w[1].message.contains("150 ppi"));
    }
}
