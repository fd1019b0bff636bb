//! The verifier behind `briefpress check`: reads the written edition files back (never
//! the in-memory model of a build) and proves word for word that each carries the
//! content of its source, as defined once in [`crate::content`].
//!
//! Readers live in sub-modules, one per format; they share nothing with the renderers
//! beyond the content definition and its normalisation.

pub mod compare;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::{self, Word};
use crate::error::{Error, Result};
use crate::fonts::Coverage;
use crate::house::House;
use crate::render::Format;

pub use compare::{Difference, Found};

/// What to check.
#[derive(Debug, Clone)]
pub struct Request {
    /// Dist folders or edition files.
    pub paths: Vec<PathBuf>,
    /// Where the sources are (`<dir>/<slug>.md`).
    pub source_dir: PathBuf,
}

/// The verdict on one edition file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EditionReport {
    pub format: Format,
    pub path: PathBuf,
    /// Words read from the file (furniture excluded).
    pub words: usize,
    pub differences: Vec<Difference>,
}

/// The verdict on one brief.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BriefReport {
    pub slug: String,
    pub source: PathBuf,
    /// Number of content words the source defines.
    pub content_words: usize,
    pub content_digest: String,
    pub editions: Vec<EditionReport>,
}

/// The verdict on everything checked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Version of the JSON layout.
    pub schema: u32,
    pub ok: bool,
    pub briefs: Vec<BriefReport>,
}

impl Report {
    /// Human-readable report, one line per edition and one block per difference.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        for b in &self.briefs {
            for e in &b.editions {
                if e.differences.is_empty() {
                    let _ = writeln!(
                        s,
                        "ok: {} carries the content of {} ({} words)",
                        e.path.display(),
                        b.source.display(),
                        b.content_words
                    );
                    continue;
                }
                let _ = writeln!(
                    s,
                    "mismatch: {} differs from {} in {} place(s)",
                    e.path.display(),
                    b.source.display(),
                    e.differences.len()
                );
                for d in &e.differences {
                    let _ = writeln!(
                        s,
                        "  --> {} ({}): expected {:?}, found {:?}{}",
                        e.format.ext(),
                        d.place,
                        d.expected.join(" "),
                        d.found.join(" "),
                        if d.context.is_empty() {
                            String::new()
                        } else {
                            format!(", after \"… {}\"", d.context)
                        }
                    );
                }
            }
        }
        s
    }
}

/// Check every edition named by the request.
pub fn check(req: &Request, house: &House) -> Result<Report> {
    let files = collect(&req.paths)?;
    if files.is_empty() {
        return Err(Error::Usage(
            "no editions (.pdf, .epub, .txt) found to check".into(),
        ));
    }
    let coverage = Coverage::of_house(house)?;
    let mut briefs = Vec::new();
    let mut errors = Vec::new();
    for (slug, editions) in files {
        let source = req.source_dir.join(format!("{slug}.md"));
        let doc = match crate::parse::parse_file(&source, &coverage) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let c = content::content(&doc, &house.style);
        let expected = c.words();
        let mut reports = Vec::new();
        for (format, path) in editions {
            match extract(format, &path) {
                Ok(found) => reports.push(EditionReport {
                    format,
                    words: found.iter().filter(|f| !f.optional).count(),
                    differences: compare::compare(&expected, &found),
                    path,
                }),
                Err(e) => errors.push(e),
            }
        }
        briefs.push(BriefReport {
            slug,
            source,
            content_words: expected.len(),
            content_digest: c.digest(),
            editions: reports,
        });
    }
    if !errors.is_empty() {
        return Err(if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        });
    }
    let ok = briefs
        .iter()
        .all(|b| b.editions.iter().all(|e| e.differences.is_empty()));
    Ok(Report {
        schema: 1,
        ok,
        briefs,
    })
}

/// Read the words of one edition file.
pub fn extract(format: Format, path: &Path) -> Result<Vec<Found>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    match format {
        Format::Txt => {
            let text = String::from_utf8(bytes).map_err(|e| Error::Unreadable {
                path: path.to_owned(),
                message: format!(
                    "not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            })?;
            Ok(text::extract(&text))
        }
        Format::Pdf | Format::Epub => Err(Error::Unreadable {
            path: path.to_owned(),
            message: format!("the {} reader is not implemented yet", format.ext()),
        }),
    }
}

/// Edition files grouped by slug, from folders or file paths.
fn collect(paths: &[PathBuf]) -> Result<BTreeMap<String, Vec<(Format, PathBuf)>>> {
    let mut out: BTreeMap<String, Vec<(Format, PathBuf)>> = BTreeMap::new();
    let add = |p: PathBuf, out: &mut BTreeMap<String, Vec<(Format, PathBuf)>>| {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        let Some(format) = Format::ALL.into_iter().find(|f| f.ext() == ext) else {
            return;
        };
        let slug = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.entry(slug).or_default().push((format, p));
    };
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io("read", p, e))?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io("list", p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file())
                .collect();
            entries.sort();
            for e in entries {
                add(e, &mut out);
            }
        } else {
            let known = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| Format::ALL.iter().any(|f| f.ext() == e));
            if !known {
                return Err(Error::Usage(format!(
                    "{} is not an edition (.pdf, .epub or .txt)",
                    p.display()
                )));
            }
            add(p.clone(), &mut out);
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    Ok(out)
}

/// Expected content words of a brief, for tests and tools.
pub fn expected_words(doc: &crate::model::Document, house: &House) -> Vec<Word> {
    content::content(doc, &house.style).words()
}
