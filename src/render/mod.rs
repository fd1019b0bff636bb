//! Renderers: pure functions from the document model and the house style to the bytes
//! of one edition. No file system, clock or environment is touched here; the caller
//! passes everything in [`Options`] and writes the bytes.

pub mod deflate;
pub mod epub;
pub mod finish;
pub mod pdf;
pub mod pdf_string;
pub mod text;
pub mod ties;

use crate::error::Result;
use crate::house::House;
use crate::model::Document;

/// The editions briefpress produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// MediaBox = TrimBox = A4, live links, outline.
    #[default]
    Screen,
    /// Bleed and crop marks for the printer.
    Print,
}

/// Which PDF/A conformance level the PDF edition claims (see the README, "Print, archive and accessible PDF").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum PdfStandard {
    /// PDF/A-2b: archival, self-contained, no attachments.
    #[default]
    #[serde(rename = "a-2b")]
    A2b,
    /// PDF/A-3b: as A-2b, with the Markdown source and the text edition attached.
    #[serde(rename = "a-3b")]
    A3b,
}

impl Edition {
    /// Both editions.
    pub const ALL: [Edition; 2] = [Edition::Screen, Edition::Print];

    /// The edition's name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Screen => "screen",
            Edition::Print => "print",
        }
    }
}

impl PdfStandard {
    /// Both levels.
    pub const ALL: [PdfStandard; 2] = [PdfStandard::A2b, PdfStandard::A3b];

    /// The level's name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            PdfStandard::A2b => "a-2b",
            PdfStandard::A3b => "a-3b",
        }
    }
}

/// Each of [`Format`], [`Edition`] and [`PdfStandard`] is written as its name and read
/// back from it ([`std::str::FromStr`]), as the command line takes it.
macro_rules! named {
    ($type:ident, $name:ident, $what:literal) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$name())
            }
        }

        impl std::str::FromStr for $type {
            type Err = UnknownName;

            fn from_str(given: &str) -> std::result::Result<Self, UnknownName> {
                let names = $type::ALL.map(|v| v.$name());
                $type::ALL
                    .into_iter()
                    .find(|v| v.$name() == given)
                    .ok_or_else(|| UnknownName::new($what, given, &names))
            }
        }
    };
}

named!(Format, ext, "a format");
named!(Edition, name, "an edition");
named!(PdfStandard, name, "a PDF/A level");

/// A name that is none of a [`Format`]'s, [`Edition`]'s or [`PdfStandard`]'s: the
/// message names the ones there are, and the closest when it looks like a typo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(String);

impl UnknownName {
    fn new(what: &str, given: &str, names: &[&str]) -> UnknownName {
        let hint = crate::diag::did_you_mean(given, names)
            .map(|n| format!(" (did you mean {n}?)"))
            .unwrap_or_default();
        UnknownName(format!(
            "{given:?} is not {what}: expected {}{hint}",
            names.join(", ")
        ))
    }
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnknownName {}

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

/// Render one edition of `doc`, working its content digest out here (see
/// [`render_edition`]). A PDF gets no attachments here; the build pipeline calls
/// [`render_pdf`] itself for PDF/A-3b.
pub fn render(doc: &Document, house: &House, format: Format, options: &Options) -> Result<Vec<u8>> {
    let digest = match format {
        Format::Txt => String::new(),
        Format::Pdf | Format::Epub => crate::content::content(doc, &house.style).digest(),
    };
    render_edition(doc, house, format, options, &digest)
}

/// Render one edition of `doc` whose content ([`crate::content`]) has the digest
/// `content_digest`: the PDF derives its file identifier from it, the EPUB its
/// identifier when the source has no `id`. The build works the content out once per
/// brief and passes it to every edition and the manifest.
pub fn render_edition(
    doc: &Document,
    house: &House,
    format: Format,
    options: &Options,
    content_digest: &str,
) -> Result<Vec<u8>> {
    match format {
        Format::Txt => Ok(text::text(doc, &house.style)),
        Format::Pdf => render_pdf(doc, house, options, content_digest, Vec::new()),
        Format::Epub => epub::epub(doc, house, options, content_digest),
    }
}

/// Something about an edition its reader should know that does not stop the build: a
/// figure that prints below the house's resolution floor, a brief whose language has
/// no hyphenation patterns ([`unhyphenated`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Warning {
    /// The file the warning is about (a figure, or the brief's source).
    pub file: std::path::PathBuf,
    pub message: String,
}

/// What to tell the author of a brief whose language (`lang` in its front matter) has
/// no hyphenation patterns while the house hyphenates its body: the justified lines of
/// its PDF are then broken between words only, and in a column of 80 mm many are set
/// loose (word spaces 3-4x their natural width in Swahili or Indonesian text; 1.8-2x
/// in the languages with patterns). A mistyped language (`eng`, `english`) is found
/// the same way. The languages with patterns are named, as a `lang` to use instead.
pub fn unhyphenated(doc: &Document, house: &House) -> Option<String> {
    if !house.style.body.hyphenate || pdf::shape::patterns(&doc.meta.lang).is_some() {
        return None;
    }
    let letters = b'a'..=b'z';
    let known: Vec<String> = letters
        .clone()
        .flat_map(|a| letters.clone().map(move |b| [a, b]))
        .filter(|&code| hypher::Lang::from_iso(code).is_some())
        .map(|code| String::from_utf8_lossy(&code).into_owned())
        .collect();
    Some(format!(
        "no hyphenation patterns for the brief's language '{}': the PDF's justified lines \
         are broken between words only, and some may be set loose; `lang` takes a \
         language with patterns as its first subtag ({})",
        doc.meta.lang,
        known.join(", ")
    ))
}

/// Render the PDF edition and finish it ([`finish::finish`]): page boxes, crop marks,
/// PDF/A metadata and, for PDF/A-3b, `attachments` as associated files;
/// `content_digest` as for [`render_edition`].
pub fn render_pdf(
    doc: &Document,
    house: &House,
    options: &Options,
    content_digest: &str,
    attachments: Vec<finish::Attachment>,
) -> Result<Vec<u8>> {
    render_pdf_with_warnings(doc, house, options, content_digest, attachments).map(|(pdf, _)| pdf)
}

/// [`render_pdf`], with the warnings about the edition: in print, each figure that
/// prints below `inputs.min_print_ppi` of the house style at its placed width.
pub fn render_pdf_with_warnings(
    doc: &Document,
    house: &House,
    options: &Options,
    content_digest: &str,
    attachments: Vec<finish::Attachment>,
) -> Result<(Vec<u8>, Vec<Warning>)> {
    // The PDF renderer writes a PDF/UA-1 structure tree (`pdf::tags`), so the XMP
    // declares `pdfuaid:part` 1.
    let info = finish::Info {
        attachments,
        tagged: true,
        ..finish::Info::new(doc, house, options, content_digest)
    };
    let (pdf, placements) = pdf::document(doc, house, options.edition)?;
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

    #[test]
    fn every_name_reads_back_as_its_value() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
        for e in Edition::ALL {
            assert_eq!(e.to_string().parse::<Edition>(), Ok(e));
        }
        for p in PdfStandard::ALL {
            assert_eq!(p.to_string().parse::<PdfStandard>(), Ok(p));
        }
        assert_eq!("a-3b".parse::<PdfStandard>(), Ok(PdfStandard::A3b));
    }

    #[test]
    fn the_names_are_the_manifests() {
        // The manifest writes these values through serde; the command line reads them
        // through `FromStr`: one spelling for both.
        for f in Format::ALL {
            assert_eq!(serde_json::json!(f), f.ext());
        }
        for e in Edition::ALL {
            assert_eq!(serde_json::json!(e), e.name());
        }
        for p in PdfStandard::ALL {
            assert_eq!(serde_json::json!(p), p.name());
        }
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let e = "docx".parse::<Format>().err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("\"docx\" is not a format: expected pdf, epub, txt")
        );
        let e = "a-3".parse::<PdfStandard>().err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("\"a-3\" is not a PDF/A level: expected a-2b, a-3b (did you mean a-3b?)")
        );
        // Names are matched exactly: case too.
        assert!("PDF".parse::<Format>().is_err());
    }

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
