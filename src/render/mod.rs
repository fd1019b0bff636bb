//! Renderers: pure functions from the document model and the house style to the bytes
//! of one edition. No file system, clock or environment is touched here; the caller
//! passes everything in [`Options`] and writes the bytes.

pub mod epub;
pub mod pdf;
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

/// Everything a renderer needs besides the document and the house style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub edition: Edition,
    /// Seconds since the Unix epoch for every date written into a file
    /// (`SOURCE_DATE_EPOCH`, else the brief's date).
    pub epoch: i64,
}

/// Render one edition of `doc`.
pub fn render(doc: &Document, house: &House, format: Format, options: &Options) -> Result<Vec<u8>> {
    match format {
        Format::Txt => Ok(text::text(doc, &house.style)),
        Format::Pdf => pdf::pdf(doc, house, options),
        Format::Epub => epub::epub(doc, house, options),
    }
}
