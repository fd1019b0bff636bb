//! `briefpress watch`: build and check once, then again each time a source (or the
//! house style) is saved, until interrupted. A failing round is reported and the watch
//! goes on.
//!
//! File events come from the operating system through `notify`, debounced by
//! `notify-debouncer-mini`: an editor's save (often a write to a temporary file and a
//! rename) is one round. Each round is an ordinary incremental build, so only the
//! briefs whose inputs changed are rendered, and only those are checked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;

use crate::build::Outcome;
use crate::error::{Error, Result};

/// What to watch and build.
#[derive(Debug, Clone)]
pub struct Request {
    /// The build each round makes (its sources are the files and folders watched).
    pub build: crate::build::Request,
    /// The house style file, reloaded each round; `None` for the built-in style.
    pub house: Option<PathBuf>,
    /// How long the files must be quiet before a round starts.
    pub debounce: Duration,
}

/// One build and check.
#[derive(Debug)]
pub struct Round {
    pub outcome: Outcome,
    /// The check of the briefs built this round (`None` when none was built).
    pub report: Option<Result<crate::verify::Report>>,
}

/// What the watch tells its caller.
#[derive(Debug)]
pub enum Event<'a> {
    /// The folders watched, once the watch has started.
    Watching(&'a [PathBuf]),
    /// Files that changed; a round follows.
    Changed(&'a [PathBuf]),
    /// A round done, or the error that stopped it (a missing source folder, a house
    /// style that does not load).
    Round(Result<Round>),
    /// The file watcher reported a problem; the watch goes on.
    Trouble(Error),
}

/// Watch and build until the watcher stops (in practice, until interrupted), calling
/// `on` with each event.
pub fn watch(req: &Request, mut on: impl FnMut(Event<'_>)) -> Result<()> {
    let watched = folders(req)?;
    let folders: Vec<PathBuf> = watched.iter().map(|(f, _)| f.clone()).collect();
    let out = std::fs::canonicalize(&req.build.out).ok();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_mini::new_debouncer(req.debounce, tx)
        .map_err(|e| trouble(Path::new("."), &e))?;
    for (f, recursive) in &watched {
        let mode = if *recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        debouncer
            .watcher()
            .watch(f, mode)
            .map_err(|e| trouble(f, &e))?;
    }
    // The files as they are before the first round: reading a file (as each round
    // does) is an event too on some systems, so a file counts as changed only when its
    // size, time or presence differs from what was last seen. Taken first, so an edit
    // saved during the first round still starts a second one.
    let mut seen = Snapshot::default();
    for (f, recursive) in &watched {
        seen.add_folder(f, *recursive);
    }
    on(Event::Round(round(req)));
    on(Event::Watching(&folders));
    for events in rx {
        match events {
            Ok(events) => {
                let mut changed: Vec<PathBuf> = events
                    .into_iter()
                    .map(|e| e.path)
                    .filter(|p| relevant(p, out.as_deref()))
                    // A folder's own events (its entries read or listed) are not edits.
                    .filter(|p| !folders.contains(p) && !p.is_dir())
                    .collect();
                changed.sort();
                changed.dedup();
                changed.retain(|p| seen.update(p));
                if changed.is_empty() {
                    continue;
                }
                on(Event::Changed(&changed));
                on(Event::Round(round(req)));
            }
            Err(e) => on(Event::Trouble(trouble(Path::new("."), &e))),
        }
    }
    Ok(())
}

/// Size and modification time of each file seen in the folders watched.
#[derive(Debug, Default)]
struct Snapshot(std::collections::HashMap<PathBuf, Option<(u64, std::time::SystemTime)>>);

impl Snapshot {
    fn state(path: &Path) -> Option<(u64, std::time::SystemTime)> {
        let m = std::fs::metadata(path).ok()?;
        Some((m.len(), m.modified().ok()?))
    }

    fn add_folder(&mut self, dir: &Path, recursive: bool) {
        let files: Vec<PathBuf> = if recursive {
            crate::build::files_below(dir)
                .map(|f| f.into_iter().map(|(p, _)| p).collect())
                .unwrap_or_default()
        } else {
            std::fs::read_dir(dir)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default()
        };
        for p in files {
            let state = Snapshot::state(&p);
            self.0.insert(p, state);
        }
    }

    /// Record the state of `path` now; whether it differs from the last one seen.
    fn update(&mut self, path: &Path) -> bool {
        let now = Snapshot::state(path);
        self.0.insert(path.to_owned(), now) != Some(now)
    }
}

/// The folders to watch, with symlinks resolved (events name paths under them): each
/// source folder with its subfolders (a build mirrors them), and the folder of each
/// source file and of the house style on its own.
fn folders(req: &Request) -> Result<Vec<(PathBuf, bool)>> {
    let mut out: Vec<(PathBuf, bool)> = Vec::new();
    for p in req.build.sources.iter().chain(&req.house) {
        let meta = std::fs::metadata(p).map_err(|e| Error::io("read", p, e))?;
        let recursive = meta.is_dir();
        let dir = if recursive {
            p.as_path()
        } else {
            p.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        out.push((
            std::fs::canonicalize(dir).map_err(|e| Error::io("read", dir, e))?,
            recursive,
        ));
    }
    // One entry per folder, recursive when any source asked for it.
    out.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

/// Whether a change to `path` calls for a round: not an editor's swap or backup file,
/// not a temporary file of briefpress's, not the output folder or anything in it.
fn relevant(path: &Path, out: Option<&Path>) -> bool {
    if out.is_some_and(|o| path.starts_with(o)) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !(name.is_empty()
        || name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.starts_with('#'))
}

/// The watcher's error as one of briefpress's.
fn trouble(path: &Path, e: &notify_debouncer_mini::notify::Error) -> Error {
    Error::Usage(format!("cannot watch {} for changes: {e}", path.display()))
}

/// Load the house style, build, and check what was built.
fn round(req: &Request) -> Result<Round> {
    let house = match &req.house {
        Some(p) => crate::house::load(p)?,
        None => crate::house::builtin()?,
    };
    let outcome = crate::build::build(&req.build, &house, &crate::build::NoProgress)?;
    let paths: Vec<PathBuf> = outcome
        .built
        .iter()
        .flat_map(|b| b.outputs.iter().map(|o| o.path.clone()))
        .collect();
    let report = (!paths.is_empty()).then(|| {
        crate::verify::check(
            &crate::verify::Request {
                paths,
                source_dir: None,
                require_manifest: false,
                trust_key: None,
                out_root: Some(req.build.out.clone()),
            },
            &house,
        )
    });
    Ok(Round { outcome, report })
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn editor_files_and_outputs_do_not_start_a_round() {
        let out = Path::new("/p/dist");
        assert!(relevant(Path::new("/p/source/a.md"), Some(out)));
        assert!(relevant(Path::new("/p/source/fig.png"), Some(out)));
        for quiet in [
            "/p/source/.a.md.swp",
            "/p/source/a.md~",
            "/p/source/#a.md#",
            "/p/dist/a.pdf",
            "/p/dist",
        ] {
            assert!(!relevant(Path::new(quiet), Some(out)), "{quiet}");
        }
    }
}
