//! The build pipeline: source files → documents → editions → files in the output folder.
//!
//! Each brief is parsed and its editions are rendered side by side, each written to a
//! temporary name as soon as it is done; only when all of them succeeded are they moved
//! into place (all or nothing). A failing brief does not stop the others; all errors
//! are reported at the end.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fonts::Coverage;
use crate::house::House;
use crate::model::Document;
use crate::render::{self, Edition, Format, Options, PdfStandard};

/// What to build.
#[derive(Debug, Clone)]
pub struct Request {
    /// Source files or folders (folders contribute their `*.md` files).
    pub sources: Vec<PathBuf>,
    pub out: PathBuf,
    pub formats: Vec<Format>,
    pub edition: Edition,
    /// PDF/A level of the PDF edition.
    pub pdf_standard: PdfStandard,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub source_date_epoch: Option<i64>,
    /// Briefs built at once; `None` uses every core.
    pub jobs: Option<usize>,
    /// Show a progress bar (the CLI sets it only when standard error is a terminal).
    pub progress: bool,
}

/// One written file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Output {
    pub format: Format,
    pub path: PathBuf,
    pub bytes: usize,
}

/// The result of building one brief.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Built {
    pub source: PathBuf,
    pub slug: String,
    pub outputs: Vec<Output>,
}

/// The sources named by `paths`: files as given, folders' `*.md` files sorted by name.
pub fn collect_sources(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io("read", p, e))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io("list", p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "md") && f.is_file())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{} holds no .md sources",
                    p.display()
                )));
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// The epoch used for a document's dates.
pub fn epoch_for(doc: &Document, source_date_epoch: Option<i64>) -> i64 {
    source_date_epoch.unwrap_or_else(|| doc.meta.date.unix_seconds())
}

/// One edition of a brief, rendered and staged beside its final path.
pub struct Rendered {
    pub format: Format,
    pub path: PathBuf,
    pub staged: crate::write::Staged,
    pub digest: crate::manifest::EditionDigest,
}

/// A brief rendered: its document, its editions staged, and its manifest still without
/// the editions' digests.
pub struct RenderedBrief {
    pub doc: Document,
    pub editions: Vec<Rendered>,
    pub manifest: crate::manifest::Manifest,
}

/// Parse one brief, render the requested editions and stage each in `req.out` (not yet
/// in place: see [`crate::write::commit`]).
pub fn render_brief(
    path: &Path,
    house: &House,
    coverage: &Coverage,
    req: &Request,
) -> Result<RenderedBrief> {
    // When the PDF is made, its fonts and shape plans are made ready while the source
    // is read; and the thread that takes the other editions first shapes the end of
    // the brief for the PDF's layout (see `render::pdf::prepare` and `shape_ahead`).
    let pdf_too = req.formats.contains(&Format::Pdf);
    let ahead = render::pdf::Ahead::new(house);
    let parsed = std::sync::atomic::AtomicBool::new(false);
    let (doc, ()) = rayon::join(
        || {
            let doc = crate::parse::parse_file(path, coverage);
            parsed.store(true, std::sync::atomic::Ordering::Relaxed);
            doc
        },
        || {
            if pdf_too {
                render::pdf::prepare(&ahead, &parsed);
            }
        },
    );
    let doc = doc?;
    let options = Options {
        edition: req.edition,
        epoch: epoch_for(&doc, req.source_date_epoch),
        pdf_standard: req.pdf_standard,
    };
    // The manifest's digests of the source and the content: worked out by the thread
    // that renders the last edition, after it; with the PDF and another edition, that
    // is not the PDF's thread.
    let manifest = || -> Result<crate::manifest::Manifest> {
        let source_bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        Ok(crate::manifest::Manifest::new(&crate::manifest::Inputs {
            slug: &doc.slug,
            source_path: path,
            source_bytes: &source_bytes,
            house,
            content: &crate::content::content(&doc, &house.style),
            epoch: options.epoch,
            editions: Vec::new(),
        }))
    };
    let early_manifest = std::sync::OnceLock::new();
    let last = req.formats.last().copied();
    // The editions of one brief are independent too: on two cores the PDF and the EPUB
    // render side by side, and each is written out (to a temporary name) and hashed by
    // the thread that rendered it. `collect` keeps the requested order.
    let one = |format: Format| -> Result<Rendered> {
        let bytes = match format {
            Format::Pdf => {
                let files = match options.pdf_standard {
                    PdfStandard::A3b => a3b_attachments(path, &doc, house)?,
                    PdfStandard::A2b => Vec::new(),
                };
                render::render_pdf(&doc, house, &options, files, &ahead)?
            }
            Format::Epub | Format::Txt => {
                if pdf_too {
                    render::pdf::shape_ahead(&doc, house, &ahead);
                }
                render::render(&doc, house, format, &options)?
            }
        };
        let file = format!("{}.{}", doc.slug, format.ext());
        let out = req.out.join(&file);
        let staged = crate::write::stage(&out, &bytes)?;
        if Some(format) == last {
            let _ = early_manifest.set(manifest());
        }
        Ok(Rendered {
            format,
            path: out,
            staged,
            digest: crate::manifest::EditionDigest::of(file, format, &bytes),
        })
    };
    let rendered: Vec<Result<Rendered>> = {
        use rayon::prelude::*;
        req.formats.par_iter().map(|&f| one(f)).collect()
    };
    let mut editions = Vec::new();
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(e) => editions.push(e),
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => Ok(RenderedBrief {
            manifest: early_manifest.into_inner().unwrap_or_else(manifest)?,
            doc,
            editions,
        }),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Many(errors)),
    }
}

/// What a PDF/A-3b edition carries inside: the source file as read now (the bytes the
/// document was parsed from) and the text edition, rendered the same way as `<slug>.txt`.
fn a3b_attachments(
    path: &Path,
    doc: &Document,
    house: &House,
) -> Result<Vec<render::finish::Attachment>> {
    let source = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let text = render::text::text(doc, &house.style);
    Ok(render::finish::Info::source_attachments(
        &doc.slug, source, text,
    ))
}

/// Build one brief into `req.out`.
pub fn build_one(path: &Path, house: &House, coverage: &Coverage, req: &Request) -> Result<Built> {
    let RenderedBrief {
        doc,
        editions,
        mut manifest,
    } = render_brief(path, house, coverage, req)?;
    // A manifest must never describe files other than those beside it: remove the old
    // one before replacing the editions, and write the new one only after all of them.
    let manifest_path = crate::manifest::path_for(&req.out, &doc.slug);
    match std::fs::remove_file(&manifest_path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("replace", &manifest_path, e)),
    }
    let mut outputs = Vec::new();
    let mut digests = Vec::new();
    let mut staged = Vec::new();
    for e in editions {
        outputs.push(Output {
            format: e.format,
            path: e.path,
            bytes: usize::try_from(e.digest.bytes).unwrap_or(usize::MAX),
        });
        digests.push(e.digest);
        staged.push(e.staged);
    }
    crate::write::commit(staged)?;
    manifest.editions = digests;
    crate::write::atomic(&manifest_path, &manifest.to_json())?;
    Ok(Built {
        source: path.to_owned(),
        slug: doc.slug.clone(),
        outputs,
    })
}

/// Build every source; returns what was built, or every error.
pub fn build(req: &Request, house: &House) -> Result<Vec<Built>> {
    // Briefs are independent, so they are built in parallel (below). The pool is started
    // first: its threads come up while this one lists the sources.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(req.jobs.unwrap_or(0))
        .build()
        .map_err(|e| {
            Error::Usage(format!(
                "cannot start {} build threads: {e}",
                req.jobs.unwrap_or(0)
            ))
        })?;
    let coverage = Coverage::of_house(house);
    let sources = collect_sources(&req.sources)?;
    let mut slugs = std::collections::BTreeMap::new();
    for s in &sources {
        let slug = s.file_stem().map(|x| x.to_string_lossy().into_owned());
        if let Some(prev) = slugs.insert(slug.clone(), s.clone()) {
            return Err(Error::Usage(format!(
                "{} and {} would both write {}.*",
                prev.display(),
                s.display(),
                slug.unwrap_or_default()
            )));
        }
    }
    let bar = if req.progress && sources.len() > 1 {
        let bar = indicatif::ProgressBar::new(sources.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
        {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };
    // Results are collected in source order, and no renderer depends on the thread it
    // runs on, so the bytes are the same whatever the number of jobs.
    let results: Vec<Result<Built>> = pool.install(|| {
        use rayon::prelude::*;
        let briefs = || {
            sources
                .par_iter()
                .map(|s| {
                    let r = build_one(s, house, &coverage, req);
                    if let Some(bar) = &bar {
                        bar.set_message(s.display().to_string());
                        bar.inc(1);
                    }
                    r
                })
                .collect()
        };
        // What every PDF shares is prepared by the second thread while the first one
        // reads the first brief.
        let shared = || {
            if req.formats.contains(&Format::Pdf) {
                render::pdf::prepare_house(house);
            }
        };
        rayon::join(briefs, shared).0
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut built = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(b) => built.push(b),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(built)
    } else if errors.len() == 1 {
        Err(errors.remove(0))
    } else {
        Err(Error::Many(errors))
    }
}
