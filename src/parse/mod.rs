//! Parsing: a brief's source file (`source/<slug>.md`) into a [`Document`].
//!
//! The file is YAML front matter between `---` lines followed by a CommonMark body.
//! Every problem is collected as a located [`Diagnostic`]; the brief fails with all of
//! them at once.

pub mod body;
pub mod front;

use std::path::Path;

use crate::diag::{Diagnostic, SourceDiagnostics};
use crate::error::{Error, Result};
use crate::fonts::Coverage;
use crate::model::Document;

/// Largest source file accepted, in bytes (a twenty-page brief is under 200 KB).
const MAX_SOURCE_BYTES: u64 = 4 << 20;

/// Read and parse the brief at `path`. `coverage` tells which characters the house
/// fonts can set; any other character is an error.
pub fn parse_file(path: &Path, coverage: &Coverage) -> Result<Document> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(Error::Source(Box::new(SourceDiagnostics {
            path: path.to_owned(),
            text: String::new(),
            diagnostics: vec![Diagnostic::whole_file(format!(
                "the source is {} bytes; the limit is {MAX_SOURCE_BYTES}",
                meta.len()
            ))
            .with_hint("split the text into several briefs")],
        })));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let slug = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("brief")
        .to_owned();
    let dir = path.parent().unwrap_or(Path::new("."));
    parse_bytes(path, &slug, dir, &bytes, coverage)
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
    let mut diags = check_characters(text, coverage);
    let Some(fm) = front::split(text) else {
        diags.push(
            Diagnostic::new("the file has no front matter", 0..text.len().min(1))
                .with_hint("start the file with a `---` line, the fields (title, region, date, authors), and another `---` line"),
        );
        return Err(fail(text.to_owned(), diags));
    };
    let meta = front::parse(text, &fm, &mut diags);
    let body = body::parse(text, fm.body_start, dir, &mut diags);
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

/// Characters XML cannot carry and characters no house font can set.
fn check_characters(text: &str, coverage: &Coverage) -> Vec<Diagnostic> {
    let used: std::collections::BTreeSet<char> = text.chars().collect();
    let missing = coverage.missing(&used);
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        let forbidden = matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}');
        if forbidden {
            out.push(
                Diagnostic::new(
                    format!("control character U+{:04X} is not allowed", u32::from(c)),
                    i..i + c.len_utf8(),
                )
                .with_hint("delete it; it cannot appear in an EPUB or be printed"),
            );
        } else if missing.contains(&c) {
            out.push(
                Diagnostic::new(
                    format!(
                        "no house font has the character {c:?} (U+{:04X})",
                        u32::from(c)
                    ),
                    i..i + c.len_utf8(),
                )
                .with_hint("replace the character, or add a fallback font that has it to branding/house.toml"),
            );
        }
        if out.len() >= 50 {
            break;
        }
    }
    out
}
