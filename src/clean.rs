//! `briefpress clean` and `build --prune`: remove the editions and manifests of briefs
//! whose source is gone (renamed or deleted), and nothing else.
//!
//! Only files a manifest in the output folder names are candidates, and one is removed
//! only when all of these hold: the manifest is one briefpress wrote (it reads and
//! validates), its brief is not among the sources named, the source it records is no
//! longer there, and the edition still has the size and SHA-256 the manifest records
//! (a file someone replaced is not ours to delete; it is kept and reported). The
//! manifest goes last, and only when every edition it lists is gone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::manifest::Manifest;

/// What to clean.
#[derive(Debug, Clone)]
pub struct Request {
    /// Source files or folders: the briefs that still exist.
    pub sources: Vec<PathBuf>,
    /// The output folder.
    pub out: PathBuf,
    /// Report what would be removed without removing it.
    pub dry_run: bool,
}

/// What a clean did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Cleaned {
    /// Files removed (or, in a dry run, that would be).
    pub removed: Vec<PathBuf>,
    /// Files left in place, each with the reason.
    pub kept: Vec<Kept>,
}

/// A file of a gone brief that was left in place.
#[derive(Debug, serde::Serialize)]
pub struct Kept {
    pub path: PathBuf,
    pub reason: String,
}

/// The slugs of the sources `paths` names. An existing folder without sources names
/// none (its last brief may just have been removed); a missing path is an error, so a
/// clean run from the wrong folder removes nothing.
fn current_slugs(paths: &[PathBuf]) -> Result<BTreeSet<String>> {
    let mut slugs = BTreeSet::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io("read", p, e))?;
        let sources = match crate::build::collect_sources(std::slice::from_ref(p)) {
            Ok(s) => s,
            Err(Error::Usage(_) | Error::Hinted { .. }) if meta.is_dir() => Vec::new(),
            Err(e) => return Err(e),
        };
        slugs.extend(sources.iter().map(|s| crate::build::slug_of(s)));
    }
    Ok(slugs)
}

/// Remove the editions and manifests in `req.out` whose source is gone.
pub fn clean(req: &Request) -> Result<Cleaned> {
    let slugs = current_slugs(&req.sources)?;
    let mut cleaned = Cleaned::default();
    match std::fs::metadata(&req.out) {
        Ok(m) if m.is_dir() => {}
        // No output folder: nothing was built, nothing to clean.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cleaned),
        Ok(_) => {
            return Err(Error::Usage(format!(
                "{} is not a folder; name the output folder with --out",
                req.out.display()
            )))
        }
        Err(e) => return Err(Error::io("read", &req.out, e)),
    }
    // Locked like a build, so a clean never races one; killed builds' temporary files
    // are removed on the way.
    let out = crate::write::OutDir::prepare(&req.out, &[])?;
    // Subfolders too: a build mirrors `source/`'s subfolders in the output folder.
    let mut manifests: Vec<(String, PathBuf)> = crate::build::files_below(&out.path)?
        .into_iter()
        .filter_map(|(p, _)| {
            let slug = p
                .file_name()?
                .to_str()?
                .strip_suffix(".manifest.json")?
                .to_owned();
            Some((slug, p))
        })
        .filter(|(slug, _)| !slug.is_empty() && !slugs.contains(slug))
        .collect();
    manifests.sort();
    for (slug, path) in manifests {
        let dir = path.parent().unwrap_or(&out.path).to_owned();
        clean_brief(&slug, &path, &dir, req.dry_run, &mut cleaned);
    }
    Ok(cleaned)
}

/// Remove the files of one brief not among the sources, when its source is gone.
fn clean_brief(slug: &str, path: &Path, dir: &Path, dry_run: bool, cleaned: &mut Cleaned) {
    let m = match Manifest::read(path, slug) {
        Ok(Some(m)) => m,
        Ok(None) => return,
        Err(e) => {
            let reason = e.to_string();
            let reason = reason.trim_start_matches("error: ").lines().next();
            keep(
                cleaned,
                path,
                format!(
                    "not a manifest briefpress can read ({})",
                    reason.unwrap_or_default()
                ),
            );
            return;
        }
    };
    match crate::manifest::resolve_source(path, &m) {
        Ok(source) if std::fs::symlink_metadata(&source).is_err() => {}
        // The source is still there (built from elsewhere, or not named this time).
        Ok(_) => return,
        Err(e) => {
            keep(
                cleaned,
                path,
                e.to_string().trim_start_matches("error: ").to_owned(),
            );
            return;
        }
    }
    let mut all_gone = true;
    for e in &m.editions {
        let file = dir.join(&e.file);
        let Ok(meta) = std::fs::symlink_metadata(&file) else {
            continue;
        };
        let ours = meta.is_file()
            && meta.len() == e.bytes
            && crate::input::read_regular_nofollow(&file, e.bytes.saturating_add(1))
                .is_ok_and(|b| crate::manifest::sha256(&b) == e.sha256);
        if !ours {
            all_gone = false;
            keep(
                cleaned,
                &file,
                format!(
                    "changed since the build that {} records; remove it yourself if it is not needed",
                    path.display()
                ),
            );
            continue;
        }
        if dry_run || std::fs::remove_file(&file).is_ok() {
            cleaned.removed.push(file);
        } else {
            all_gone = false;
            keep(cleaned, &file, "could not be removed".into());
        }
    }
    if !all_gone {
        keep(cleaned, path, "an edition it lists was kept".into());
    } else if dry_run || std::fs::remove_file(path).is_ok() {
        cleaned.removed.push(path.to_owned());
    } else {
        keep(cleaned, path, "could not be removed".into());
    }
}

/// Note a file left in place, with the reason.
fn keep(cleaned: &mut Cleaned, path: &Path, reason: String) {
    cleaned.kept.push(Kept {
        path: path.to_owned(),
        reason,
    });
}
