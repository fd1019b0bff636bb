//! The verifier behind `briefpress check`: reads the written edition files back (never
//! the in-memory model of a build) and proves word for word that each carries the
//! content of its source, as defined once in [`crate::content`].
//!
//! Readers live in sub-modules, one per format; they share nothing with the renderers
//! beyond the content definition and its normalisation.
//!
//! A check has two sides: what each source says ([`Expected`]: the verifier's own parse
//! of the source file, and the house EPUB and text edition it renders from it) and what
//! each edition file shows. `build --check` works out the first side while the
//! editions are still being rendered ([`expect_ahead`]); the check then only reads the
//! files.

pub mod cmap;
pub mod compare;
pub mod epub;
mod epub_css;
mod epub_fonts;
mod epub_profile;
mod hashes;
pub mod pdf;
pub mod profile;
pub mod report;
pub mod text;
mod text_profile;
pub mod zipsafe;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::{self, Word};
use crate::error::{Error, Result};
use crate::fonts::Coverage;
use crate::house::House;
use crate::manifest::Manifest;
use crate::render::Format;

pub use compare::{Difference, Found, Place};
pub use report::{BriefReport, Changed, EditionReport, FailedBrief, FileKind, Report};

/// What to check.
#[derive(Debug, Clone)]
pub struct Request {
    /// Dist folders or edition files.
    pub paths: Vec<PathBuf>,
    /// Where the sources are (`<dir>/<slug>.md`). When `None`, each brief's source is
    /// the one its manifest names, else `source/<slug>.md`.
    pub source_dir: Option<PathBuf>,
    /// Whether a brief without a release manifest fails the check (for CI): without
    /// one, only the content is checked, and a rebuilt edition cannot be told from
    /// the released one.
    pub require_manifest: bool,
    /// Accept only manifests signed by this key (`check --trust-key`).
    pub trust_key: Option<crate::sign::TrustedKey>,
    /// The output folder the named editions were built into (`build --check`): an
    /// edition in a subfolder of it is that many levels below it, as when the folder
    /// itself is named, and its manifest's source is found from the project folder
    /// above it. Without it, a named file's folder is taken for the output folder.
    pub out_root: Option<PathBuf>,
}

/// The edition files of one brief found on the command line.
#[derive(Debug, Default)]
struct Brief {
    editions: Vec<(Format, PathBuf)>,
    /// The folder of the editions, where the manifest is looked for.
    dir: PathBuf,
    /// Whether a whole folder was named: then editions the manifest lists but the
    /// folder lacks are reported missing.
    whole_folder: bool,
    /// How many subfolders below the named folder the editions are (a build mirrors
    /// `source/2024/x.md` as `dist/2024/x.*`); the project folder is above the named one.
    levels: usize,
}

/// Check every edition named by the request.
pub fn check(req: &Request, house: &House) -> Result<Report> {
    check_with(req, house, &Ahead::default())
}

/// Check every edition named by the request, with what the sources say worked out
/// ahead where it was (see [`expect_ahead`]).
pub fn check_with(req: &Request, house: &House, ahead: &Ahead) -> Result<Report> {
    let files = collect(&req.paths, req.out_root.as_deref())?;
    if files.is_empty() {
        return Err(Error::Hinted {
            message: "no editions (.pdf, .epub, .txt) found to check".into(),
            hint: "build them first with briefpress build, or name the folder they are in".into(),
        });
    }
    let coverage = Coverage::of_house(house);
    let glyphs = pdf::HouseGlyphs::new(house);
    let mut briefs = Vec::new();
    let mut failed = Vec::new();
    // Every brief is checked and reported; one that cannot be read (a missing source,
    // an unreadable edition) is listed in `failed` beside the others' verdicts.
    for (slug, brief) in files {
        let failure = |e: Error| FailedBrief {
            slug: slug.clone(),
            exit: e.exit_code(),
            message: e.to_string(),
            errors: crate::build::error_json(&e, &brief.dir.join(&slug)),
        };
        match check_brief(req, house, ahead, &coverage, &glyphs, &slug, &brief) {
            Ok((report, errs)) => {
                briefs.push(report);
                failed.extend(errs.into_iter().map(failure));
            }
            Err(e) => failed.push(failure(e)),
        }
    }
    let ok = failed.is_empty()
        && briefs.iter().all(|b| {
            b.changed.is_empty()
                && b.editions.iter().all(|e| e.differences.is_empty())
                && (b.manifest.is_some() || !req.require_manifest)
                && b.signature.as_ref().is_none_or(|s| s.verified)
        });
    Ok(Report {
        schema: report::SCHEMA,
        ok,
        manifest_required: req.require_manifest,
        briefs,
        failed,
    })
}

/// Where the source of a brief is, and who said so.
#[derive(Debug)]
struct Source {
    path: PathBuf,
    /// The manifest whose `source.path` named it, if it was a manifest.
    named_by: Option<PathBuf>,
}

/// Where the source of `slug` is: `--source`, else the manifest (its `source.path`,
/// confined when the manifest was read, under the project folder: the folder that
/// holds the manifest's folder), else `source/`.
fn source_path(
    req: &Request,
    slug: &str,
    manifest: Option<&Manifest>,
    manifest_path: &Path,
    levels: usize,
) -> Result<Source> {
    if let Some(d) = &req.source_dir {
        return Ok(Source {
            path: d.join(format!("{slug}.md")),
            named_by: None,
        });
    }
    if let Some(m) = manifest {
        let mut path = crate::manifest::resolve_source_below(manifest_path, m, levels)?;
        // An edition named on its own (`check dist/2024/x.pdf`) or a subfolder named as
        // the folder to check: how deep it lies below the output folder is not known,
        // and taken from the manifest when the source is found there.
        let guess = crate::manifest::mirrored_levels(manifest_path, m);
        if levels == 0 && guess > 0 && !path.is_file() {
            let deeper = crate::manifest::resolve_source_below(manifest_path, m, guess)?;
            if deeper.is_file() {
                path = deeper;
            }
        }
        // A source outside the project folder is recorded by its file name alone (a
        // build with `--out elsewhere/out` run in the project): when it is not in the
        // project folder, it is looked for where a check without a manifest looks,
        // `source/` in the current folder. Its digest is still held against the
        // manifest's, so a different file of that name is reported as changed.
        if !path.is_file() && crate::manifest::recorded_by_name(m) {
            let default = Path::new("source").join(&m.source.path);
            if default.is_file() {
                path = default;
            }
        }
        return Ok(Source {
            path: shown(path),
            named_by: Some(manifest_path.to_owned()),
        });
    }
    Ok(Source {
        path: Path::new("source").join(format!("{slug}.md")),
        named_by: None,
    })
}

/// `path` relative to the current folder when it lies inside it, as people type it.
fn shown(path: PathBuf) -> PathBuf {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    match cwd
        .ok()
        .and_then(|c| path.strip_prefix(&c).ok().map(Path::to_owned))
    {
        Some(rel) if !rel.as_os_str().is_empty() => rel,
        _ => path,
    }
}

/// Read a brief's source once, regular files only, with the size cap. When a manifest
/// named it, a refusal is an error about that manifest's `source.path`, and nothing of
/// the file is read past the refusal or printed.
fn read_source(source: &Source) -> Result<Vec<u8>> {
    let Some(manifest) = &source.named_by else {
        return crate::build::read_source(&source.path);
    };
    crate::input::read_regular(&source.path, crate::build::MAX_SOURCE_BYTES).map_err(|e| {
        let missing = matches!(&e, crate::input::ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound);
        Error::Manifest {
            path: manifest.clone(),
            field: "source.path",
            message: format!("names {}, which cannot be read: {e}", source.path.display()),
            hint: if missing {
                crate::manifest::HINT_GONE
            } else {
                crate::manifest::HINT_UNTRUSTED
            },
        }
    })
}

/// Check one brief; unreadable editions are returned as errors beside the report.
fn check_brief(
    req: &Request,
    house: &House,
    ahead: &Ahead,
    coverage: &Coverage,
    glyphs: &pdf::HouseGlyphs<'_>,
    slug: &str,
    brief: &Brief,
) -> Result<(BriefReport, Vec<Error>)> {
    let manifest_path = crate::manifest::path_for(&brief.dir, slug);
    let (manifest, manifest_bytes) = Manifest::read_bytes(&manifest_path, slug)?;
    let signature = signature(req, &manifest_path, manifest_bytes.as_deref(), slug);
    let source = source_path(req, slug, manifest.as_ref(), &manifest_path, brief.levels)?;
    let (listed, extra) = listed_and_extra(manifest.as_ref(), brief);
    let sets = manifest.as_ref().map_or(&[][..], |m| &m.overrides[..]);
    let read_one =
        |(format, path): &(Format, PathBuf)| read_edition(*format, path, manifest.as_ref(), glyphs);
    let fresh;
    let (expected, checked): (&Expected, Vec<Checked>) = match ahead.find(&source.path, sets) {
        // Worked out while the editions were rendered (`build --check`): only the
        // editions are left to read, on the build's threads, each held against it by
        // the thread that read it.
        Some(expected) => (expected, {
            use rayon::prelude::*;
            listed
                .par_iter()
                .map(|e| hold(e, read_one(e), expected))
                .collect()
        }),
        None => {
            let (expected, read) = read_beside_source(&listed, read_one, || {
                let formats = listed.iter().map(|e| e.0);
                expect(&source, house, coverage, manifest.as_ref(), formats)
            });
            fresh = expected?;
            let checked = listed
                .iter()
                .zip(read)
                .map(|(e, r)| hold(e, r, &fresh))
                .collect();
            (&fresh, checked)
        }
    };
    let mut changed = match &manifest {
        Some(m) => hashes::inputs(m, &source.path, &expected.bytes, house, &expected.digest),
        None => Vec::new(),
    };
    let mut editions = Vec::new();
    let mut errors = Vec::new();
    for (hash, report) in checked {
        changed.extend(hash);
        match report {
            Ok(r) => editions.push(r),
            Err(e) => errors.push(e),
        }
    }
    if let (Some(m), true) = (&manifest, brief.whole_folder) {
        changed.extend(hashes::missing(m, &brief.dir, &listed));
    }
    let report = BriefReport {
        slug: slug.to_owned(),
        source: source.path,
        manifest: manifest.is_some().then_some(manifest_path),
        content_words: expected.words.len(),
        content_digest: expected.digest.clone(),
        changed,
        editions,
        signature,
        extra: extra.into_iter().map(|(_, p)| p).collect(),
    };
    Ok((report, errors))
}

/// The manifest's signature checked with the trusted key, when a key was given and
/// the manifest exists.
fn signature(
    req: &Request,
    manifest_path: &Path,
    manifest_bytes: Option<&[u8]>,
    slug: &str,
) -> Option<report::Signature> {
    req.trust_key.as_ref().and_then(|key| {
        let bytes = manifest_bytes?;
        let path = crate::sign::signature_path(manifest_path);
        let problem = key.verify(&path, bytes, slug).err();
        Some(report::Signature {
            verified: problem.is_none(),
            problem,
            path,
        })
    })
}

/// Edition files, each with its format.
type Editions = Vec<(Format, PathBuf)>;

/// The brief's editions the manifest lists, and the others found in its folder.
fn listed_and_extra(manifest: Option<&Manifest>, brief: &Brief) -> (Editions, Editions) {
    // After a partial build (`build --format pdf`) the manifest lists only what it
    // built; the other editions in the folder are older files, reported as extra and
    // not held against this manifest.
    match (manifest, brief.whole_folder) {
        (Some(m), true) => brief
            .editions
            .iter()
            .cloned()
            .partition::<Vec<(Format, PathBuf)>, _>(|(f, _)| {
                m.editions.iter().any(|e| e.format() == Some(*f))
            }),
        _ => (brief.editions.clone(), Vec::new()),
    }
}

/// An edition held against what its source says: its change against the manifest
/// (once read), and its report, or the error that kept it from being read.
type Checked = (Option<report::Changed>, Result<EditionReport>);

/// Hold the edition read at `path` against the words expected (a PDF's constructs
/// against the furniture too, the EPUB and text edition against the pinned house
/// editions).
fn hold(
    (format, path): &(Format, PathBuf),
    read: Result<EditionRead>,
    expected: &Expected,
) -> Checked {
    let (hash, found) = match read {
        Ok(read) => read,
        Err(e) => return (None, Err(e)),
    };
    let report = found.map(|(found, seen, bytes)| {
        let mut differences = compare::compare(&expected.words, &found);
        if let Some(seen) = seen {
            constructs(&seen, &expected.furniture, &mut differences);
        }
        profile::check(
            &expected.pinned,
            *format,
            &bytes,
            &expected.words,
            &found,
            &mut differences,
        );
        EditionReport {
            format: *format,
            words: found.iter().filter(|f| !f.optional).count(),
            differences,
            path: path.clone(),
        }
    });
    (hash, report)
}

/// The source side (`source_side`: what it says) and the editions read, at the same
/// time. When there is enough to read, the editions are read on the pool (the PDF
/// first, the longest to read) beside the source; a brief of a few pages is read on
/// this thread beside a thread for the source: waking the pool's threads costs more
/// than it saves (the seed, alternating 200 runs under load: 8.4 ms of CPU with the
/// pool, 7.4 ms without). The line is drawn between the seed's editions (109 KB) and
/// the 100x book's (1.2 MB), where the pool pays; it was not measured finer.
fn read_beside_source<S: Send>(
    listed: &[(Format, PathBuf)],
    read_one: impl Fn(&(Format, PathBuf)) -> Result<EditionRead> + Sync,
    source_side: impl FnOnce() -> S + Send,
) -> (S, Vec<Result<EditionRead>>) {
    if edition_bytes(listed) >= PARALLEL_FROM {
        use rayon::prelude::*;
        rayon::join(source_side, || listed.par_iter().map(&read_one).collect())
    } else {
        std::thread::scope(|s| {
            let source = s.spawn(source_side);
            let read = listed.iter().map(read_one).collect();
            let source = source
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (source, read)
        })
    }
}

/// How many bytes of editions make a brief worth reading on several threads.
const PARALLEL_FROM: u64 = 512 * 1024;

/// The size of the edition files, as far as they can be seen (one that cannot is
/// counted as nothing: reading it fails soon enough).
fn edition_bytes(editions: &[(Format, PathBuf)]) -> u64 {
    editions
        .iter()
        .filter_map(|(_, p)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Add what a reader of a PDF does not see as its words say (or sees besides them) to
/// its differences: constructs found on its pages first, then artifact text that is
/// not the house furniture. Each is one difference naming the construct.
fn constructs(
    seen: &pdf::Reading,
    furniture: &pdf::furniture::Expected,
    differences: &mut Vec<Difference>,
) {
    if !seen.marked && !differences.is_empty() {
        // Every difference follows from one cause: name it once, not per word.
        let n = differences.len() + seen.findings.len();
        let place = Place {
            page: Some(1),
            ..Place::default()
        };
        *differences = vec![Difference {
            place: place.to_string(),
            location: place,
            word_index: 0,
            expected: Vec::new(),
            found: Vec::new(),
            context: String::new(),
            construct: Some(format!(
                "the PDF has no marked content, so its furniture (running heads, page \
                 numbers, list and note markers) and inserted hyphens cannot be told from \
                 its words ({n} differences follow from that); a rewrite such as \
                 Ghostscript's pdfwrite drops marked content: check the file briefpress wrote"
            )),
        }];
        return;
    }
    let extra = furniture.check(&seen.furniture, seen.pages);
    for f in seen.findings.iter().chain(&extra) {
        differences.push(Difference {
            place: f.place.to_string(),
            location: f.place.clone(),
            word_index: 0,
            expected: Vec::new(),
            found: Vec::new(),
            context: String::new(),
            construct: Some(f.what.clone()),
        });
    }
}

/// What a brief's editions are held against, worked out from its source alone: the
/// source as read, the content words and their digest, the furniture its PDF pages may
/// carry, and the house EPUB and text edition ([`profile::Pinned`]).
#[derive(Debug)]
pub struct Expected {
    /// The source file, as canonical path (to know it again when named otherwise).
    source: Option<PathBuf>,
    /// The `--set` overrides it was parsed with.
    sets: Vec<crate::overrides::Set>,
    /// The bytes read, to hash against the manifest.
    bytes: Vec<u8>,
    words: Vec<Word>,
    digest: String,
    furniture: pdf::furniture::Expected,
    pinned: profile::Pinned,
}

impl Expected {
    /// Parse `bytes`, the source read from `path` (the bytes parsed are the bytes
    /// hashed), with `sets`, and work out what its editions of `formats` must show.
    fn of(
        path: &Path,
        bytes: Vec<u8>,
        sets: &[crate::overrides::Set],
        house: &House,
        coverage: &Coverage,
        formats: impl IntoIterator<Item = Format>,
    ) -> Result<Expected> {
        let doc =
            crate::build::parse_source(path, &crate::overrides::apply(&bytes, sets), coverage)?;
        let furniture = pdf::furniture::Expected::of(&doc, house);
        let words = content::content(&doc, &house.style).words();
        let digest = content::digest(&words);
        let pinned = profile::pin_doc(&doc, house, formats, &digest);
        Ok(Expected {
            source: std::fs::canonicalize(path).ok(),
            sets: sets.to_vec(),
            bytes,
            words,
            digest,
            furniture,
            pinned,
        })
    }

    /// Whether this is what the source at `path`, parsed with `sets`, says.
    fn is_for(&self, path: &Path, sets: &[crate::overrides::Set]) -> bool {
        self.sets == sets
            && self.source.is_some()
            && std::fs::canonicalize(path).ok() == self.source
    }
}

/// What the check of briefs just built will hold them against, worked out ahead (see
/// [`expect_ahead`]).
#[derive(Debug, Default)]
pub struct Ahead {
    briefs: Vec<Expected>,
}

impl Ahead {
    /// Keep `expected` for the check.
    pub fn add(&mut self, expected: Expected) {
        self.briefs.push(expected);
    }

    fn find(&self, path: &Path, sets: &[crate::overrides::Set]) -> Option<&Expected> {
        self.briefs.iter().find(|e| e.is_for(path, sets))
    }
}

/// What the editions of the brief at `source` will be held against, worked out before
/// they are checked: `build --check` runs this beside the rendering, on a thread that
/// would otherwise wait for the PDF. It is the same work [`check`] does on the source
/// side, from the same file, read by the verifier itself and not taken from the build;
/// the check uses it when its source and overrides turn out to be the ones the brief's
/// manifest names. `None` when the source cannot be read or parsed: the check then
/// reads it again and reports why.
pub fn expect_ahead(
    source: &Path,
    sets: &[crate::overrides::Set],
    house: &House,
) -> Option<Expected> {
    let bytes = crate::build::read_source(source).ok()?;
    let coverage = Coverage::of_house(house);
    Expected::of(
        source,
        bytes,
        sets,
        house,
        &coverage,
        [Format::Epub, Format::Txt],
    )
    .ok()
}

/// The content words of the source, their digest, the furniture and the pinned house
/// editions of `formats` (see [`Expected`]), with a build's `--set` overrides recorded
/// in the manifest.
fn expect(
    source: &Source,
    house: &House,
    coverage: &Coverage,
    manifest: Option<&Manifest>,
    formats: impl IntoIterator<Item = Format>,
) -> Result<Expected> {
    let bytes = read_source(source)?;
    // A build with `--set` parsed the source with the overrides its manifest records.
    let sets = manifest.map_or(&[][..], |m| &m.overrides[..]);
    Expected::of(&source.path, bytes, sets, house, coverage, formats)
}

/// One edition file: its change against the manifest (once read), its words, for a PDF
/// what else a reader sees, and for the EPUB and text edition the bytes they were read
/// from (for [`profile::check`]).
type EditionRead = (
    Option<report::Changed>,
    Result<(Vec<Found>, Option<pdf::Reading>, Vec<u8>)>,
);

fn read_edition(
    format: Format,
    path: &Path,
    manifest: Option<&Manifest>,
    glyphs: &pdf::HouseGlyphs<'_>,
) -> Result<EditionRead> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let hash = manifest.and_then(|m| hashes::edition(m, format, path, &bytes));
    if format == Format::Pdf {
        let read = pdf::read_checked(&bytes, Some(glyphs))
            .map(|mut r| (std::mem::take(&mut r.words), Some(r), Vec::new()))
            .map_err(|message| Error::Unreadable {
                path: path.to_owned(),
                message,
            });
        return Ok((hash, read));
    }
    // Only the EPUB and the text edition are held against the house profile.
    let found = extract_bytes(format, path, &bytes);
    Ok((hash, found.map(|f| (f, None, bytes))))
}

/// Read the words of one edition file.
pub fn extract(format: Format, path: &Path) -> Result<Vec<Found>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    extract_bytes(format, path, &bytes)
}

/// Read the words of an edition from its bytes; `path` names it in errors.
pub fn extract_bytes(format: Format, path: &Path, bytes: &[u8]) -> Result<Vec<Found>> {
    let unreadable = |message: String| Error::Unreadable {
        path: path.to_owned(),
        message,
    };
    match format {
        Format::Txt => {
            let text = std::str::from_utf8(bytes).map_err(|e| {
                unreadable(format!(
                    "not UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ))
            })?;
            Ok(text::extract(text))
        }
        Format::Pdf => pdf::extract(bytes).map_err(unreadable),
        Format::Epub => epub::extract(bytes).map_err(unreadable),
    }
}

/// Edition files grouped by slug, from folders or file paths.
fn collect(paths: &[PathBuf], out_root: Option<&Path>) -> Result<BTreeMap<String, Brief>> {
    let mut out: BTreeMap<String, Brief> = BTreeMap::new();
    let add = |p: PathBuf, whole: bool, levels: usize, out: &mut BTreeMap<String, Brief>| {
        // A manifest in a folder names a brief even when every edition it lists is
        // gone, so their absence is reported rather than the brief overlooked.
        if whole {
            if let Some(slug) = p
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".manifest.json"))
            {
                let b = out.entry(slug.to_owned()).or_default();
                b.dir = p.parent().map(Path::to_owned).unwrap_or_default();
                b.whole_folder = true;
                b.levels = levels;
                return;
            }
        }
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        let Some(format) = Format::ALL.into_iter().find(|f| f.ext() == ext) else {
            return;
        };
        let slug = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let b = out.entry(slug).or_default();
        if b.editions.is_empty() {
            b.dir = p.parent().map(Path::to_owned).unwrap_or_default();
            b.levels = levels;
        }
        b.whole_folder |= whole;
        b.editions.push((format, p));
    };
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Hinted {
                message: format!("{} does not exist", p.display()),
                hint: "build the editions first with briefpress build (it writes dist/), \
                       or name the folder or files they are in"
                    .into(),
            },
            _ => Error::io("read", p, e),
        })?;
        if meta.is_dir() {
            for (e, levels) in crate::build::files_below(p)? {
                add(e, true, levels, &mut out);
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
            let levels = out_root
                .and_then(|r| p.parent()?.strip_prefix(r).ok())
                .map_or(0, |sub| sub.components().count());
            add(p.clone(), false, levels, &mut out);
        }
    }
    for b in out.values_mut() {
        b.editions.sort();
        b.editions.dedup();
    }
    Ok(out)
}

/// Normalise the text between two word breaks and add its words to `out`, each at
/// `place` (normalisation may split the text at a no-break space, or empty it).
pub(crate) fn push_words(raw: String, place: &Place, optional: bool, out: &mut Vec<Found>) {
    // The common case, without the copy: printable ASCII is its own normal form.
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_graphic()) {
        out.push(Found {
            text: raw,
            place: place.clone(),
            optional,
            raw: None,
        });
        return;
    }
    for t in content::normalize(&raw).split_whitespace() {
        out.push(Found {
            text: t.to_owned(),
            place: place.clone(),
            optional,
            raw: None,
        });
    }
}

/// Expected content words of a brief, for tests and tools.
pub fn expected_words(doc: &crate::model::Document, house: &House) -> Vec<Word> {
    content::content(doc, &house.style).words()
}
