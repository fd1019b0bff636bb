//! Finishing: post-processing of a rendered PDF into the file the publications office ships.
//!
//! [`finish`] takes the renderer's bytes and an [`Info`] and returns new bytes: page boxes
//! and crop marks for the print edition ([`print`](mod@print)), PDF/A-2b or -3b conformance (document
//! information, XMP metadata, the output intent, file ID; [`pdfa`], [`xmp`], [`icc`]),
//! PDF/X-4 for the print edition (its CMYK output intent shared with PDF/A, figures in
//! ICC-based sRGB, identification; [`pdfx`], [`icc_cmyk`]), associated files for
//! PDF/A-3b ([`attach`]). Before returning, the result is checked
//! against every PDF/A rule we rely on, and in print every PDF/X-4 rule ([`audit`], listed
//! in `docs/pdf.md`), so a file
//! that would not conform is an error, not a silent shipment.
//!
//! Like the renderers it is pure: bytes and data in, bytes out; no clock, file system or
//! environment. Equal input gives equal bytes (lopdf keeps objects in a `BTreeMap` and
//! dictionaries in insertion order, and everything added here is added in a fixed order).

pub mod attach;
pub mod audit;
pub mod icc;
pub mod icc_cmyk;
pub mod meta;
pub mod pdfa;
pub mod pdfx;
mod pdfx_rules;
pub mod print;
pub mod xmp;

use crate::error::{Error, Result};
use crate::house::{House, Page};
use crate::model::Document;
use crate::render::{Edition, Options, PdfStandard};

/// How an attached file relates to the PDF (PDF/A-3 `/AFRelationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// The file the PDF was made from (the Markdown source).
    Source,
    /// Another representation of the same content (the text edition).
    Alternative,
}

impl Relationship {
    /// The PDF name.
    pub fn name(self) -> &'static str {
        match self {
            Relationship::Source => "Source",
            Relationship::Alternative => "Alternative",
        }
    }
}

/// A file embedded as a PDF/A-3 associated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name shown by readers, e.g. `2016-11-china-tajikistan.md`.
    pub name: String,
    /// MIME type, e.g. `text/markdown`.
    pub mime: String,
    /// A short description for the reader's attachment panel.
    pub description: String,
    pub bytes: Vec<u8>,
    pub relationship: Relationship,
}

/// Everything [`finish`] writes into the file besides what the renderer drew.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    /// The brief's slug, for error messages.
    pub slug: String,
    pub title: String,
    pub authors: Vec<String>,
    /// The region, as written in the source.
    pub subject: String,
    pub keywords: Vec<String>,
    /// BCP 47 language tag.
    pub language: String,
    /// Seconds since the Unix epoch (UTC).
    pub created: i64,
    pub modified: i64,
    /// `briefpress <version>`; also the XMP creator tool.
    pub producer: String,
    pub edition: Edition,
    /// Page geometry from the house style (mm).
    pub page: Page,
    pub standard: PdfStandard,
    /// Whether the renderer wrote a tagged (PDF/UA-1) structure; adds `pdfuaid:part`.
    pub tagged: bool,
    /// Associated files; only allowed with [`PdfStandard::A3b`].
    pub attachments: Vec<Attachment>,
    /// Stable text the file identifier and XMP document ID are derived from.
    pub id_seed: String,
    /// The print edition's output condition, when the house names one (else the
    /// generic profile of [`icc_cmyk`]).
    pub output: Option<OutputCondition>,
}

/// A press condition and its ICC output profile, from `[print]` of the house style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputCondition {
    pub profile: crate::house::Bytes,
    pub identifier: String,
    pub registry_name: String,
    pub condition: String,
}

impl Info {
    /// The information for `doc` as configured by `house` and `options`, without attachments
    /// (the build pipeline adds them for PDF/A-3b, see [`Info::source_attachments`]);
    /// `content_digest` is [`crate::content::Content::digest`] of `doc`, the seed of the
    /// file identifier.
    pub fn new(doc: &Document, house: &House, options: &Options, content_digest: &str) -> Info {
        Info {
            slug: doc.slug.clone(),
            title: doc.meta.title.clone(),
            authors: doc.meta.authors.iter().map(|a| a.name.clone()).collect(),
            subject: doc.meta.region.clone(),
            keywords: doc.meta.keywords.clone(),
            language: doc.meta.lang.clone(),
            created: options.epoch,
            modified: options.epoch,
            producer: format!("briefpress {}", env!("CARGO_PKG_VERSION")),
            edition: options.edition,
            page: house.style.page.clone(),
            standard: options.pdf_standard,
            tagged: false,
            attachments: Vec::new(),
            id_seed: content_digest.to_owned(),
            output: house.print_profile.as_ref().map(|p| {
                let pr = &house.style.print;
                OutputCondition {
                    profile: p.bytes.clone(),
                    identifier: pr.output_condition_identifier.clone(),
                    registry_name: pr.registry_name.clone(),
                    condition: pr.output_condition.clone(),
                }
            }),
        }
    }

    /// The PDF/A-3b attachments of a brief: its canonical source and its text edition.
    pub fn source_attachments(slug: &str, source: Vec<u8>, text: Vec<u8>) -> Vec<Attachment> {
        vec![
            Attachment {
                name: format!("{slug}.md"),
                mime: "text/markdown".into(),
                description: "The canonical Markdown source of this brief".into(),
                bytes: source,
                relationship: Relationship::Source,
            },
            Attachment {
                name: format!("{slug}.txt"),
                mime: "text/plain".into(),
                description: "The plain-text edition of this brief".into(),
                bytes: text,
                relationship: Relationship::Alternative,
            },
        ]
    }
}

/// Finish a rendered PDF: page boxes and crop marks for print, PDF/A metadata, output
/// intent, associated files and file ID. Fails if the input is not a readable PDF, is
/// encrypted, or the result breaks a PDF/A rule that `finish` cannot repair.
pub fn finish(pdf: &[u8], info: &Info) -> Result<Vec<u8>> {
    let fail = |message: String| render_error(&info.slug, message);
    if !info.attachments.is_empty() && info.standard != PdfStandard::A3b {
        return Err(fail(
            "attachments need PDF/A-3b (--pdf-standard a-3b); PDF/A-2b only embeds PDF/A files"
                .into(),
        ));
    }
    let doc =
        lopdf::Document::load_mem(pdf).map_err(|e| fail(format!("cannot read the PDF: {e}")))?;
    finish_document(doc, info)
}

/// [`finish`] for a document already in memory (the renderer's, without a round trip
/// through bytes). The PDF/A audit runs on the finished document as saved.
pub fn finish_document(mut doc: lopdf::Document, info: &Info) -> Result<Vec<u8>> {
    let fail = |message: String| render_error(&info.slug, message);
    if !info.attachments.is_empty() && info.standard != PdfStandard::A3b {
        return Err(fail(
            "attachments need PDF/A-3b (--pdf-standard a-3b); PDF/A-2b only embeds PDF/A files"
                .into(),
        ));
    }
    if doc.trailer.has(b"Encrypt") {
        return Err(fail(
            "the PDF is encrypted, which PDF/A forbids; render it without encryption".into(),
        ));
    }
    print::apply(&mut doc, info).map_err(fail)?;
    pdfa::fix_annotations(&mut doc, info.edition == Edition::Print).map_err(fail)?;
    attach::embed(&mut doc, info).map_err(fail)?;
    if info.edition == Edition::Print {
        pdfx::figures_in_srgb(&mut doc);
    }
    pdfa::conform(&mut doc, info).map_err(fail)?;
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| fail(format!("cannot write the PDF: {e}")))?;
    let problems = audit::audit_document(&doc, &out, info.standard, info.edition == Edition::Print);
    drop(doc);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(fail(format!(
            "the finished file breaks PDF/A rules:\n  {}",
            list.join("\n  ")
        )));
    }
    Ok(out)
}

/// An [`Error::Render`] for the PDF edition.
pub(crate) fn render_error(slug: &str, message: String) -> Error {
    Error::Render {
        slug: slug.to_owned(),
        format: "pdf",
        message,
        at: None,
        hint: None,
    }
}

/// Millimetres to PDF points, rounded to 1/1000 pt so the numbers in the file are short
/// and the same on every platform.
pub(crate) fn pt(mm: f32) -> f32 {
    let v = f64::from(mm) * 72.0 / 25.4;
    ((v * 1000.0).round() / 1000.0) as f32
}
