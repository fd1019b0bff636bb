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
    // The PDF renderer writes a PDF/UA-1 structure tree (`pdf::tags`), so the XMP
    // declares `pdfuaid:part` 1.
    let info = finish::Info {
        attachments,
        tagged: true,
        ..finish::Info::new(doc, house, options)
    };
    finish::finish_document(pdf::document(doc, house, ahead, options.edition)?, &info)
}
