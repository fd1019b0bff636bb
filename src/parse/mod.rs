//! Parsing: a brief's source file (`source/<slug>.md`) into a [`Document`].
//!
//! The file is YAML front matter between `---` lines followed by a CommonMark body.
//! Every problem is collected as a located [`Diagnostic`]; the brief fails with all of
//! them at once.

pub mod autolink;
pub mod body;
pub mod chars;
pub mod front;
pub mod image;
pub mod quotes;

use std::path::Path;

use crate::diag::{Diagnostic, SourceDiagnostics};
use crate::error::{Error, Result};
use crate::fonts::Coverage;
use crate::input::ReadError;
use crate::model::Document;

/// Largest source file accepted, in bytes (a twenty-page brief is under 200 KB).
pub const MAX_SOURCE_BYTES: u64 = 4 << 20;

/// Read and parse the brief at `path`. `coverage` tells which characters the house
/// fonts can set; any other character is an error.
pub fn parse_file(path: &Path, coverage: &Coverage) -> Result<Document> {
    let bytes = read_source(path)?;
    let slug = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("brief")
        .to_owned();
    let dir = path.parent().unwrap_or(Path::new("."));
    parse_bytes(path, &slug, dir, &bytes, coverage)
}

/// Read the source file at `path`: a regular file (symbolic links are followed) of at
/// most [`MAX_SOURCE_BYTES`], counted while reading, so that neither a device such as
/// `/dev/zero` (whose size reads 0) nor a FIFO (which would block) gets through.
pub fn read_source(path: &Path) -> Result<Vec<u8>> {
    let whole_file = |message: String, hint: &str| {
        Error::Source(Box::new(SourceDiagnostics {
            path: path.to_owned(),
            text: String::new(),
            diagnostics: vec![Diagnostic::whole_file(message).with_hint(hint)],
        }))
    };
    crate::input::read_regular(path, MAX_SOURCE_BYTES).map_err(|e| match e {
        ReadError::Io(e) => Error::io("read", path, e),
        ReadError::NotRegular(kind) => whole_file(
            format!("the source is {kind}, not a regular file"),
            "give the path of a Markdown file (or of a folder of them)",
        ),
        ReadError::TooLarge(cap) => whole_file(
            format!("the source is larger than the limit of {cap} bytes"),
            "split the text into several briefs",
        ),
    })
}

/// Parse source bytes; `path` is used in messages, images are resolved in `dir`.
pub fn parse_bytes(
    path: &Path,
    slug: &str,
    dir: &Path,
    bytes: &[u8],
    coverage: &Coverage,
) -> Result<Document> {
    let fail = |text: String, diagnostics: Vec<Diagnostic>| {
        Error::Source(Box::new(SourceDiagnostics {
            path: path.to_owned(),
            text,
            diagnostics,
        }))
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            // Map the byte offset into the lossy text: the prefix is unchanged.
            return Err(fail(
                lossy,
                vec![Diagnostic::new(
                    format!("the file is not valid UTF-8 (invalid byte at offset {at})"),
                    at..at + 1,
                )
                .with_hint("save the file as UTF-8")],
            ));
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut diags = Vec::new();
    let mut chars = chars::Checker::new(coverage);
    chars.source(text, &mut diags);
    let Some(fm) = front::split(text) else {
        chars.finish(&mut diags);
        diags.push(
            Diagnostic::new("the file has no front matter", 0..text.len().min(1))
                .with_hint("start the file with a `---` line, the fields (title, region, date, authors), and another `---` line"),
        );
        return Err(fail(text.to_owned(), diags));
    };
    let meta = front::parse(text, &fm, &mut chars, &mut diags);
    let images = body::Images {
        dir,
        max_pixels: coverage.max_image_pixels(),
    };
    let lang = meta.as_ref().map_or("en", |m| m.lang.as_str());
    let body = body::parse(text, fm.body_start, &images, lang, &mut chars, &mut diags);
    chars.finish(&mut diags);
    match meta {
        Some(meta) if diags.is_empty() => Ok(Document {
            slug: slug.to_owned(),
            meta,
            blocks: body.blocks,
            notes: body.notes,
        }),
        _ => {
            diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
            Err(fail(text.to_owned(), diags))
        }
    }
}
