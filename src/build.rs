//! The build pipeline: source files → documents → editions → files in the output folder.
//!
//! Each brief's source is read once (the bytes parsed are the bytes the manifest hashes
//! and the PDF/A-3 edition attaches), and its editions are rendered side by side, each
//! written to a temporary name as soon as it is done; only when all of them and the
//! manifest are on disk are they moved into place (see [`crate::write`]). A failing
//! brief does not stop the others; all errors are reported at the end.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fonts::Coverage;
use crate::house::House;
use crate::model::Document;
use crate::render::{self, Edition, Format, Options, PdfStandard};
use crate::write::OutDir;

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
    /// Front-matter overrides for this build (`--set`), recorded in each manifest.
    pub set: Vec<crate::overrides::Set>,
    /// Sign each manifest with this key (`build --sign-key`, see [`crate::sign`]).
    pub sign_key: Option<std::sync::Arc<crate::sign::SigningKey>>,
    /// Build every brief, even those up to date (see [`crate::incremental`]).
    pub force: bool,
}

/// One written file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Output {
    pub format: Format,
    pub path: PathBuf,
    pub bytes: usize,
    /// SHA-256 of the file, as the manifest records it.
    pub sha256: String,
}

/// The result of building one brief.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Built {
    pub source: PathBuf,
    pub slug: String,
    pub outputs: Vec<Output>,
    /// What the reader should know that did not stop the build (figures below the
    /// print resolution floor); absent from `--json` when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<render::Warning>,
}

/// A source found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The subfolder it lies in below the folder that was named (empty for a file named
    /// itself, or one at the top): its editions go to the same subfolder of the output.
    pub sub: PathBuf,
}

/// How deep [`files_below`] looks: deeper folders are not walked.
const MAX_DEPTH: usize = 16;

/// Every file below `dir`, sorted by path, with how many subfolders down it is. Names
/// starting with `.` (hidden files, briefpress's own temporary files) are passed over,
/// and symbolic links to folders are not followed, so a link cannot make a loop.
pub fn files_below(dir: &Path) -> Result<Vec<(PathBuf, usize)>> {
    let mut out = Vec::new();
    walk(dir, 0, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, level: usize, out: &mut Vec<(PathBuf, usize)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io("list", dir, e))? {
        let Ok(entry) = entry else { continue };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if level < MAX_DEPTH {
                walk(&path, level + 1, out)?;
            }
        } else if path.is_file() {
            out.push((path, level));
        }
    }
    Ok(())
}

/// Whether a file found in a source folder is a brief: a `.md` file (any case) that is
/// not a `README.md` and whose name, and the name of every subfolder it lies in below
/// the named folder, does not start with `_` (drafts, partials, notes to self).
fn is_brief(path: &Path, root: &Path) -> bool {
    let md = path
        .extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("md"));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let below = path.strip_prefix(root).unwrap_or(path);
    md && !name.eq_ignore_ascii_case("readme.md")
        && !below
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('_'))
}

/// The sources named by `paths`: files as given; in folders (and their subfolders,
/// mirrored in the output), every brief (see `is_brief`), sorted by path. A missing
/// path, or a folder without briefs, is an error with what to do instead.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<SourceFile>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Hinted {
                    message: format!("{} does not exist", p.display()),
                    hint: format!(
                        "run briefpress in the folder that holds {0}, pass a brief's file \
                         (briefpress build path/to/brief.md), or start one with \
                         briefpress new SLUG (it makes {0})",
                        if p == Path::new("source") {
                            "source/"
                        } else {
                            "it"
                        }
                    ),
                })
            }
            Err(e) => return Err(Error::io("read", p, e)),
        };
        if !meta.is_dir() {
            out.push(SourceFile {
                path: p.clone(),
                sub: PathBuf::new(),
            });
            continue;
        }
        let before = out.len();
        for (f, _) in files_below(p)? {
            if !is_brief(&f, p) {
                continue;
            }
            let sub = f
                .parent()
                .and_then(|d| d.strip_prefix(p).ok())
                .map(Path::to_owned)
                .unwrap_or_default();
            out.push(SourceFile { path: f, sub });
        }
        if out.len() == before {
            return Err(Error::Hinted {
                message: format!("{} holds no briefs (.md files)", p.display()),
                hint: "write one with briefpress new SLUG; README.md and names starting \
                       with _ are not briefs"
                    .into(),
            });
        }
    }
    Ok(out)
}

/// The paths of the sources named by `paths` (see [`discover`]).
pub fn collect_sources(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    Ok(discover(paths)?.into_iter().map(|s| s.path).collect())
}

/// Largest source file accepted, in bytes (the parser's limit).
pub use crate::parse::MAX_SOURCE_BYTES;

/// Longest file name most filesystems take (`NAME_MAX`), in bytes.
const NAME_MAX: usize = 255;

/// The longest slug whose every output name fits in 255 bytes: the manifest's
/// `<slug>.manifest.json` is the longest of them.
pub const MAX_SLUG_BYTES: usize = NAME_MAX - ".manifest.json".len();

/// The slug of the source at `path`: its file stem, as the parser takes it.
pub fn slug_of(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("brief")
        .to_owned()
}

/// Read a source file once: a regular file, at most [`MAX_SOURCE_BYTES`], counted while
/// reading (see [`crate::parse::read_source`]).
pub fn read_source(path: &Path) -> Result<Vec<u8>> {
    crate::parse::read_source(path)
}

/// Parse the source `bytes` read from `path` (named in messages; its folder is where
/// images are found).
pub fn parse_source(path: &Path, bytes: &[u8], coverage: &Coverage) -> Result<Document> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::parse::parse_bytes(path, &slug_of(path), dir, bytes, coverage)
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
    /// Warnings about this edition ([`render::render_pdf_with_warnings`]).
    pub warnings: Vec<render::Warning>,
}

/// A brief rendered: its document, its editions staged, and its manifest still without
/// the editions' digests.
pub struct RenderedBrief {
    pub doc: Document,
    pub editions: Vec<Rendered>,
    pub manifest: crate::manifest::Manifest,
}

/// The bytes of one edition of the brief `doc` (read from `path` as `source`), and
/// the warnings its rendering gave.
fn edition_bytes(
    format: Format,
    (path, source, doc): (&Path, &[u8], &crate::model::Document),
    house: &House,
    options: &Options,
    content: &crate::manifest::ContentDigest,
) -> Result<(Vec<u8>, Vec<render::Warning>)> {
    Ok(match format {
        Format::Pdf => {
            let files = match options.pdf_standard {
                PdfStandard::A3b => a3b_attachments(source, doc, house),
                PdfStandard::A2b => Vec::new(),
            };
            let (pdf, mut warnings) =
                render::render_pdf_with_warnings(doc, house, options, &content.sha256, files)?;
            warnings.extend(
                render::unhyphenated(doc, house).map(|message| render::Warning {
                    file: path.to_owned(),
                    message,
                }),
            );
            (pdf, warnings)
        }
        Format::Epub | Format::Txt => (
            render::render_edition(doc, house, format, options, &content.sha256)?,
            Vec::new(),
        ),
    })
}

/// Parse one brief, render the requested editions and stage each in `out` (not yet
/// in place: see [`crate::write::commit`]).
pub fn render_brief(
    path: &Path,
    house: &House,
    coverage: &Coverage,
    req: &Request,
    out: &OutDir,
) -> Result<RenderedBrief> {
    // Read once: these bytes are parsed, hashed into the manifest and attached to a
    // PDF/A-3b edition, so all three describe the same source even when the file is
    // edited during the build. `--set` changes the text parsed, not the bytes recorded
    // and attached.
    let source_bytes = read_source(path)?;
    let (text, placed) = crate::overrides::apply_placed(&source_bytes, &req.set);
    let doc =
        parse_source(path, &text, coverage).map_err(|e| crate::overrides::explain(e, &placed))?;
    let source_bytes = &source_bytes[..];
    // The project folder is the one holding the output folder named, also for a brief
    // in a subfolder of it.
    let project = std::fs::canonicalize(&req.out).map_or_else(
        |_| crate::manifest::project_folder(&out.real),
        |r| crate::manifest::project_folder(&r),
    );
    let options = Options {
        edition: req.edition,
        epoch: epoch_for(&doc, req.source_date_epoch),
        pdf_standard: req.pdf_standard,
    };
    // The brief's content (`crate::content`), worked out once: its digest goes into the
    // manifest, the PDF's file identifier and the EPUB's identifier.
    let content = crate::manifest::ContentDigest::of(&crate::content::content(&doc, &house.style));
    // The editions of one brief are independent too: on two cores the PDF and the EPUB
    // render side by side, and each is written out (to a temporary name) and hashed by
    // the thread that rendered it. `collect` keeps the requested order.
    let one = |format: Format| -> Result<Rendered> {
        let (bytes, warnings) = edition_bytes(
            format,
            (path, source_bytes, &doc),
            house,
            &options,
            &content,
        )?;
        let file = format!("{}.{}", doc.slug, format.ext());
        let staged = out.stage(&file, &bytes)?;
        Ok(Rendered {
            format,
            path: out.path.join(&file),
            staged,
            digest: crate::manifest::EditionDigest::of(file, format, &bytes),
            warnings,
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
            Err(e) => errors.push(crate::overrides::explain(locate(e, path, &text), &placed)),
        }
    }
    match errors.len() {
        0 => Ok(RenderedBrief {
            manifest: crate::manifest::Manifest::new(&crate::manifest::Inputs {
                slug: &doc.slug,
                project: &project,
                source_path: path,
                source_bytes,
                house,
                content: &content,
                epoch: options.epoch,
                editions: Vec::new(),
            }),
            doc,
            editions,
        }),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Many(errors)),
    }
}

/// A renderer's refusal that is about one place in the source (a title too long for
/// page 1, a table too wide for its column) as a diagnostic at that place's first line
/// of `text`, the source as parsed; other errors as they are.
fn locate(e: Error, path: &Path, text: &[u8]) -> Error {
    match e {
        Error::Render {
            at: Some(at),
            message,
            hint,
            ..
        } => {
            let text = String::from_utf8_lossy(text).into_owned();
            let span = match at {
                crate::error::SourceAt::Key(key) => crate::parse::front::key_span(&text, key),
                crate::error::SourceAt::Span(r) => {
                    // A block spans lines; the diagnostic marks the first.
                    let line = text
                        .get(r.clone())
                        .and_then(|t| t.find('\n'))
                        .map_or(r.end, |n| r.start + n);
                    r.start..line.max(r.start + 1).min(text.len())
                }
            };
            Error::Source(Box::new(crate::diag::SourceDiagnostics {
                path: path.to_owned(),
                diagnostics: vec![match hint {
                    Some(hint) => crate::diag::Diagnostic::new(message, span).with_hint(hint),
                    None => crate::diag::Diagnostic::new(message, span),
                }],
                text,
            }))
        }
        e => e,
    }
}

/// What a PDF/A-3b edition carries inside: the source file as read for this build (the
/// bytes the document was parsed from) and the text edition, rendered the same way as
/// `<slug>.txt`.
fn a3b_attachments(
    source: &[u8],
    doc: &Document,
    house: &House,
) -> Vec<render::finish::Attachment> {
    let text = render::text::text(doc, &house.style);
    render::finish::Info::source_attachments(&doc.slug, source.to_vec(), text)
}

/// Build one brief into `out`: its editions and manifest replace the previous ones as a
/// set, only once all of them are on disk (see [`crate::write`]).
pub fn build_one(
    path: &Path,
    house: &House,
    coverage: &Coverage,
    req: &Request,
    out: &OutDir,
) -> Result<Built> {
    let slug = slug_of(path);
    // A signature's name is the manifest's and `.minisig`: signing leaves less room.
    let max = match req.sign_key {
        Some(_) => MAX_SLUG_BYTES - crate::sign::SUFFIX.len(),
        None => MAX_SLUG_BYTES,
    };
    if slug.len() > max {
        return Err(Error::SlugTooLong {
            source: path.to_owned(),
            bytes: slug.len(),
            max,
        });
    }
    let RenderedBrief {
        doc,
        editions,
        mut manifest,
    } = render_brief(path, house, coverage, req, out)?;
    let mut outputs = Vec::new();
    let mut digests = Vec::new();
    let mut staged = Vec::new();
    let mut warnings = Vec::new();
    for e in editions {
        warnings.extend(e.warnings);
        outputs.push(Output {
            format: e.format,
            path: e.path,
            bytes: usize::try_from(e.digest.bytes).unwrap_or(usize::MAX),
            sha256: e.digest.sha256.clone(),
        });
        digests.push(e.digest);
        staged.push(e.staged);
    }
    manifest.editions = digests;
    manifest.overrides = req.set.clone();
    manifest.build = Some(crate::incremental::record(req, house, &doc, path));
    let manifest_name = format!("{}.manifest.json", doc.slug);
    // The manifest is staged beside the editions before anything is replaced, so a full
    // disk here leaves the previous set whole; it is renamed last.
    let json = manifest.to_json();
    if let Some(key) = &req.sign_key {
        // Renamed just before the manifest: a set cut short between the two fails
        // `check --trust-key` rather than passing with a stale signature.
        let signature = key.sign(&json, &crate::sign::trusted_comment(&doc.slug))?;
        let name = format!("{manifest_name}{}", crate::sign::SUFFIX);
        staged.push(out.stage(&name, signature.as_bytes())?);
    }
    staged.push(out.stage(&manifest_name, &json)?);
    crate::write::commit(staged)?;
    Ok(Built {
        source: path.to_owned(),
        slug: doc.slug.clone(),
        outputs,
        warnings,
    })
}

/// What a build of several briefs gave: the briefs built, the ones already up to date
/// (not built again), and apart, the ones that failed with their errors. A failed brief
/// does not stop the others.
#[derive(Debug, Default)]
pub struct Outcome {
    pub built: Vec<Built>,
    /// Briefs whose editions were already what this build would write.
    pub fresh: Vec<Built>,
    pub failed: Vec<Failed>,
}

/// A brief that could not be built.
#[derive(Debug)]
pub struct Failed {
    pub source: PathBuf,
    pub error: Error,
}

/// What [`build`] tells its caller as it goes, e.g. to draw a progress bar (the
/// binary draws one on a terminal). Briefs finish on the build's threads, so the
/// methods take `&self`. Every method does nothing unless implemented.
pub trait Progress: Sync {
    /// The sources are found and the output folders ready: `briefs` briefs follow.
    fn start(&self, _briefs: usize) {}
    /// One brief is done (built, up to date or failed), in the order they finish.
    fn brief_done(&self, _source: &Path) {}
    /// The caller's own work on a brief's source, run on the build's threads beside the
    /// brief's rendering: by a thread that would otherwise wait, else after it.
    /// `build --check` works out there what the check will hold the editions against.
    fn alongside(&self, _source: &Path) {}
    /// Every brief is done.
    fn finish(&self) {}
}

/// Progress reported to no one.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Build every brief `req` names, telling `progress` as it goes. An error that stops
/// all of them (no sources, an output folder that cannot be written) is `Err`; a brief's
/// own failure is listed in [`Outcome::failed`] beside the briefs that were built.
pub fn build(req: &Request, house: &House, progress: &dyn Progress) -> Result<Outcome> {
    // Briefs are independent, so they are built in parallel (below), on rayon's global
    // pool unless another number of jobs was asked for. Asking its size starts it: its
    // threads come up while this one lists the sources, and stay up for the caller (the
    // check of `build --check` reads the editions on them).
    let own = match req.jobs {
        Some(n) if n != 0 && n != rayon::current_num_threads() => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Internal(format!("cannot start {n} build threads: {e}")))?,
        ),
        _ => None,
    };
    let coverage = Coverage::of_house(house);
    let found = discover(&req.sources)?;
    // A slug names a brief in `check` and in its identifiers, so it is unique across
    // subfolders too.
    let mut slugs = std::collections::BTreeMap::new();
    let mut subs: std::collections::BTreeMap<&Path, Vec<String>> = Default::default();
    for s in &found {
        let slug = slug_of(&s.path);
        if let Some(prev) = slugs.insert(slug.clone(), s.path.clone()) {
            return Err(Error::Usage(format!(
                "{} and {} both have the slug {slug:?}; slugs must differ, also across subfolders",
                prev.display(),
                s.path.display(),
            )));
        }
        subs.entry(&s.sub).or_default().push(slug);
    }
    // Each output folder (the named one, and the subfolders mirroring the sources') is
    // made once, locked, cleaned and probed, so a problem with it is one error.
    let mut outs = std::collections::BTreeMap::new();
    for (sub, names) in subs {
        let dir = if sub.as_os_str().is_empty() {
            req.out.clone()
        } else {
            req.out.join(sub)
        };
        outs.insert(sub, OutDir::prepare(&dir, &names)?);
    }
    let sources: Vec<PathBuf> = found.iter().map(|s| s.path.clone()).collect();
    progress.start(sources.len());
    // Results are collected in source order, and no renderer depends on the thread it
    // runs on, so the bytes are the same whatever the number of jobs.
    // Worked out once: the house style's and its fonts' digests, the options.
    let key = (!req.force).then(|| crate::incremental::Key::new(req, house));
    let results: Vec<Result<(Built, bool)>> = in_pool(own.as_ref(), || {
        use rayon::prelude::*;
        let briefs = || {
            found
                .par_iter()
                .map(|f| {
                    let s = &f.path;
                    let build = || match outs.get(f.sub.as_path()) {
                        Some(out) => {
                            match key
                                .as_ref()
                                .and_then(|k| crate::incremental::fresh(k, s, out))
                            {
                                Some(b) => Ok((b, true)),
                                None => {
                                    build_one(s, house, &coverage, req, out).map(|b| (b, false))
                                }
                            }
                        }
                        None => Err(Error::Usage(format!(
                            "no output folder for {}",
                            s.display()
                        ))),
                    };
                    let (r, ()) = rayon::join(build, || progress.alongside(s));
                    progress.brief_done(s);
                    r
                })
                .collect()
        };
        briefs()
    });
    progress.finish();
    let mut outcome = Outcome::default();
    for (r, source) in results.into_iter().zip(&sources) {
        match r {
            Ok((b, true)) => outcome.fresh.push(b),
            Ok((b, false)) => outcome.built.push(b),
            Err(error) => outcome.failed.push(Failed {
                source: source.clone(),
                error,
            }),
        }
    }
    Ok(outcome)
}

/// `f` run in `pool`, else in the global pool.
fn in_pool<T: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> T + Send) -> T {
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// A brief's error as JSON records: one per located problem (`file`, `line`,
/// `column`, `message`, `hint`), or one naming the brief for other failures.
pub fn error_json(e: &Error, source: &Path) -> Vec<serde_json::Value> {
    match e {
        Error::Source(d) => d
            .diagnostics
            .iter()
            .map(|diag| {
                let at = d.locate(diag);
                serde_json::json!({
                    "file": d.path,
                    "line": at.map(|a| a.line),
                    "column": at.map(|a| a.column),
                    "message": diag.message,
                    "hint": diag.hint,
                })
            })
            .collect(),
        Error::Many(all) => all.iter().flat_map(|e| error_json(e, source)).collect(),
        other => vec![serde_json::json!({
            "file": source,
            "line": null,
            "column": null,
            "message": other.to_string().trim_start_matches("error: "),
            "hint": null,
        })],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Every report a build makes, in order.
    #[derive(Default)]
    struct Recorded(Mutex<Vec<String>>);

    impl Progress for Recorded {
        fn start(&self, briefs: usize) {
            self.0.lock().unwrap().push(format!("start {briefs}"));
        }
        fn brief_done(&self, source: &Path) {
            let name = source.file_name().unwrap().to_string_lossy();
            self.0.lock().unwrap().push(format!("done {name}"));
        }
        fn finish(&self) {
            self.0.lock().unwrap().push("finish".into());
        }
    }

    #[test]
    fn progress_hears_of_every_brief_also_a_failed_one() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("source");
        std::fs::create_dir(&src).unwrap();
        let seed = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/source/2016-11-china-tajikistan.md"
        );
        std::fs::copy(seed, src.join("a.md")).unwrap();
        std::fs::write(src.join("b.md"), "no front matter\n").unwrap();
        let req = Request {
            sources: vec![src],
            out: dir.path().join("dist"),
            formats: vec![Format::Txt],
            edition: Edition::Screen,
            pdf_standard: PdfStandard::A2b,
            source_date_epoch: Some(0),
            jobs: Some(2),
            set: Vec::new(),
            sign_key: None,
            force: false,
        };
        let house = crate::house::builtin().unwrap();
        let progress = Recorded::default();
        let outcome = build(&req, &house, &progress).unwrap();
        assert_eq!((outcome.built.len(), outcome.failed.len()), (1, 1));
        let mut seen = progress.0.into_inner().unwrap();
        assert_eq!(seen.first().map(String::as_str), Some("start 2"));
        assert_eq!(seen.last().map(String::as_str), Some("finish"));
        // The briefs finish in either order on two threads.
        seen[1..3].sort();
        assert_eq!(seen, ["start 2", "done a.md", "done b.md", "finish"]);
    }
}
