//! Writing outputs: a brief's files are replaced as a set, each by a rename over its
//! old name, and only once every new file of the set is complete on disk.
//!
//! The protocol, for one brief (see also the README, "What a build guarantees"):
//!
//! 1. [`OutDir::prepare`] makes the output folder, takes an exclusive lock on it (two
//!    builds into one folder take turns), removes temporary files that killed builds
//!    left, and proves the folder writable, each problem reported once.
//! 2. [`OutDir::stage`] writes each new file (editions, then the manifest) under a fresh
//!    temporary name: `.briefpress-<16 random hex digits>.tmp`, created exclusively
//!    (`O_CREAT|O_EXCL`, which never follows a symlink) with `O_NOFOLLOW`. The name is
//!    short, so a slug as long as a file name can be still has room; it is random, so
//!    nobody can plant a symlink at it in advance.
//! 3. [`commit`] first checks that every final name can take a file (not a folder, not
//!    too long), then renames the editions over their old names, the manifest last.
//!    Nothing of the previous set is deleted or replaced before this step.
//!
//! A failure before step 3 (a render error, a full disk, a folder at an edition's name)
//! leaves the whole previous set as it was. A kill during step 3 leaves every file
//! either whole-old or whole-new, never partial or missing; the editions renamed by then
//! are new while the manifest is still the old one, which `check` reports as editions
//! changed since their build (exit 3) until the next build completes the set.
//!
//! Durability: files are not `fsync`ed. Measured on the seed brief with the release
//! binary (hyperfine, 150 runs each, on a shared 2-core machine at load 18): fastest
//! run 12.8 ms without, 29.8 ms with `fdatasync` of each staged file (in the thread
//! that wrote it) and `fsync` of the folder after the renames; medians 72 and 81 ms.
//! Durability would more than double an idle build, so it is left to the filesystem:
//! after a power loss, files of a build the kernel had not yet written out may come
//! back old, or, on filesystems without ext4's flush-on-replace heuristic
//! (`auto_da_alloc`), empty. Every output can be rebuilt from its source byte for byte,
//! and `check` compares each edition with its manifest, so such a file is found.
//!
//! Renaming over the old file (rather than removing it first, as briefpress once did to
//! save ext4's flush-on-replace, about 0.1 ms a file on an idle disk) is what keeps a
//! file from ever being missing; on a busy disk that flush can take milliseconds, which
//! only widens the moment in which a kill leaves a mix of old and new files.
//!
//! The files a commit replaces are held open across their renames and closed on
//! another thread (`hold`), so that freeing them is not part of the rename.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The fixed prefix of every temporary file briefpress writes in an output folder.
const TMP_PREFIX: &str = ".briefpress-";
/// The fixed suffix of every temporary file.
const TMP_SUFFIX: &str = ".tmp";
/// Hex digits of the random part of a temporary name.
const TMP_RANDOM: usize = 16;

/// An output folder made ready for a build, locked for as long as this value lives.
#[derive(Debug)]
pub struct OutDir {
    /// The folder as the user named it (used in messages and reported paths).
    pub path: PathBuf,
    /// The folder with symlinks resolved, absolute.
    pub real: PathBuf,
    /// The open folder holding the lock; closing it releases the lock.
    _lock: Option<File>,
}

/// A file written under a temporary name in the output folder, waiting to be moved
/// into place by [`commit`]. Dropped without a commit (a sibling edition failed), the
/// temporary file is removed and the target is left as it was.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl OutDir {
    /// Make `path` ready to take outputs: create it, lock it, remove temporary files
    /// left by killed builds (those of briefpress's pattern, and those of the older
    /// pattern `.<slug>.<ext>.<pid>.tmp` for the `slugs` about to be built), and check
    /// that a file can be created in it. Each problem is one error with a fitting hint.
    pub fn prepare(path: &Path, slugs: &[String]) -> Result<OutDir> {
        make_folder(path)?;
        let lock = lock(path)?;
        let real = std::fs::canonicalize(path).map_err(|e| out_error(path, &e))?;
        remove_stale(path, slugs)?;
        // Probe: one file created and removed, so an unwritable folder is one error
        // here rather than one per edition of every brief later.
        let probe = create_tmp(path).map_err(|e| out_error(path, &e))?;
        let _ = std::fs::remove_file(probe.0);
        Ok(OutDir {
            path: path.to_owned(),
            real,
            _lock: lock,
        })
    }

    /// Write `bytes` under a new temporary name in this folder, for the file `name`.
    /// The editions of a brief are staged by the threads that render them.
    pub fn stage(&self, name: &str, bytes: &[u8]) -> Result<Staged> {
        let path = self.path.join(name);
        let (tmp, mut file) = create_tmp(&self.path).map_err(|e| Error::io("write", &path, e))?;
        // From here the temporary file is owned by `staged`: dropped on error, removed.
        let staged = Staged {
            tmp,
            path,
            committed: false,
        };
        file.write_all(bytes)
            .map_err(|e| Error::io("write", &staged.path, e))?;
        Ok(staged)
    }
}

/// Create the output folder, or say precisely why it cannot be one.
fn make_folder(path: &Path) -> Result<()> {
    match std::fs::create_dir_all(path) {
        Ok(()) => {}
        Err(e) => return Err(out_error(path, &e)),
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::Output {
            what: "the output folder",
            path: path.to_owned(),
            message: "it is a file, not a folder".into(),
            hint: "name a folder with --out (it is created if missing)",
        }),
        Err(e) => Err(out_error(path, &e)),
    }
}

/// The one error for an output folder that cannot be made or written, with a hint that
/// fits what went wrong.
fn out_error(path: &Path, e: &std::io::Error) -> Error {
    use std::io::ErrorKind;
    // A file where the folder or one of its parents should be: `create_dir_all` says
    // "File exists" or "Not a directory", neither of which says what to do.
    let file_in_the_way = path
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()));
    if let Some(file) = file_in_the_way {
        let message = if file == path {
            "it is a file, not a folder".to_owned()
        } else {
            format!("{} is a file, not a folder", file.display())
        };
        return Error::Output {
            what: "the output folder",
            path: path.to_owned(),
            message,
            hint: "name a folder with --out (it is created if missing)",
        };
    }
    let hint = match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "make the folder writable, or choose another with --out"
        }
        _ => "choose another output folder with --out",
    };
    Error::Output {
        what: "the output folder",
        path: path.to_owned(),
        message: e.to_string(),
        hint,
    }
}

/// Take an exclusive lock on the folder for this process's build (`File::lock`, which
/// is `flock` on Unix). A filesystem without locks is built in unlocked, as before
/// locks were taken.
#[cfg(unix)]
fn lock(path: &Path) -> Result<Option<File>> {
    use std::fs::TryLockError;
    let dir = File::open(path).map_err(|e| out_error(path, &e))?;
    match dir.try_lock() {
        Ok(()) => Ok(Some(dir)),
        Err(TryLockError::WouldBlock) => {
            let _ = std::io::stderr().write_all(
                format!(
                    "note: waiting for another briefpress build writing to {}\n",
                    path.display()
                )
                .as_bytes(),
            );
            dir.lock().map_err(|e| out_error(path, &e))?;
            Ok(Some(dir))
        }
        Err(TryLockError::Error(_)) => Ok(None),
    }
}

#[cfg(not(unix))]
fn lock(_path: &Path) -> Result<Option<File>> {
    Ok(None)
}

/// Whether `name` is a temporary file a briefpress build wrote into an output folder:
/// the current pattern, or the older `.<slug>.<ext>.<pid>.tmp` of one of `slugs`.
fn is_stale_tmp(name: &str, slugs: &[String]) -> bool {
    if let Some(random) = name
        .strip_prefix(TMP_PREFIX)
        .and_then(|n| n.strip_suffix(TMP_SUFFIX))
    {
        return random.len() == TMP_RANDOM && random.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let Some(rest) = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(TMP_SUFFIX))
    else {
        return false;
    };
    let Some((file, pid)) = rest.rsplit_once('.') else {
        return false;
    };
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    slugs.iter().any(|slug| {
        file.strip_prefix(slug.as_str())
            .is_some_and(|ext| [".pdf", ".epub", ".txt", ".manifest.json"].contains(&ext))
    })
}

/// Remove the temporary files killed builds left in `dir`. The folder is locked, so no
/// other build is writing any of them now.
fn remove_stale(dir: &Path, slugs: &[String]) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| out_error(dir, &e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        // Only regular files (or symlinks, which are removed, never followed).
        let regular = entry.file_type().is_ok_and(|t| !t.is_dir());
        if regular && is_stale_tmp(name, slugs) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Sixteen hex digits no one outside this process can predict: SipHash under the
/// standard library's random keys, which it draws from the operating system
/// (`getrandom`) once per thread and steps for each new `RandomState`.
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

/// Create the file `path`, failing if any file, folder or symlink (even a dangling one)
/// has the name: `create_new` is `O_CREAT|O_EXCL`, which never follows a symlink, and
/// `O_NOFOLLOW` says so twice.
fn open_new(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    options.open(path)
}

/// Create a new temporary file in `dir`, exclusively and without following symlinks,
/// under a fresh random name; a name already taken (by chance or by a planted file)
/// is passed over for another.
fn create_tmp(dir: &Path) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..16 {
        let tmp = dir.join(format!("{TMP_PREFIX}{}{TMP_SUFFIX}", random_hex()));
        match open_new(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Move staged files into place, in order: a brief's editions, then its manifest.
///
/// Every target is checked first, so a target that cannot take a file (a folder, a name
/// too long) fails the commit before anything is replaced. Then each file is renamed
/// over its old name: `rename(2)` replaces it atomically, so a reader or a kill sees the
/// whole old file or the whole new one, and a symlink at the name is replaced, never
/// followed.
pub fn commit(staged: Vec<Staged>) -> Result<()> {
    let mut replaced = Vec::new();
    for s in &staged {
        match std::fs::symlink_metadata(&s.path) {
            Ok(m) if m.is_dir() => {
                return Err(Error::Output {
                    what: "the output file",
                    path: s.path.clone(),
                    message: "a folder has its name".into(),
                    hint: "move or remove the folder; nothing was replaced",
                })
            }
            Ok(m) if m.is_file() => replaced.extend(hold(&s.path)),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("write", &s.path, e)),
        }
    }
    for mut s in staged {
        std::fs::rename(&s.tmp, &s.path).map_err(|e| Error::io("write", &s.path, e))?;
        s.committed = true;
    }
    release(replaced);
    Ok(())
}

/// A handle on the regular file at `path`, which a rename is about to replace; `None`
/// for anything else there (opened without following a symlink and without waiting
/// on a FIFO, then looked at through the handle) or when it cannot be opened.
///
/// Why hold it: the filesystem frees a file's inode and blocks when its last name and
/// its last handle are gone. Replaced by a rename with no handle open, it is freed
/// inside the rename: on ext4 about 0.13 ms a file (this machine, an edition of the
/// seed: rename over an old file 0.15-0.19 ms, to a fresh name 0.01 ms, 40 runs
/// each), 0.5-0.6 ms for a brief's four files, on the path every rebuild waits for.
/// Held, it is freed when [`release`] closes the handle on another thread.
fn hold(path: &Path) -> Option<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = options.open(path).ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// Close the handles [`hold`] kept on replaced files on one of rayon's threads, while
/// this one goes on (a `build --check` to its check, a build to its next brief). A
/// process that exits first closes them itself, as it did before they were held.
fn release(replaced: Vec<File>) {
    if !replaced.is_empty() {
        rayon::spawn(move || drop(replaced));
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_and_others_are_not() {
        let slugs = vec!["brief".to_owned()];
        let fresh = format!("{TMP_PREFIX}{}{TMP_SUFFIX}", random_hex());
        assert!(is_stale_tmp(&fresh, &slugs));
        assert!(is_stale_tmp(".brief.pdf.1234.tmp", &slugs));
        assert!(is_stale_tmp(".brief.manifest.json.7.tmp", &slugs));
        assert!(!is_stale_tmp(".other.pdf.1234.tmp", &slugs));
        assert!(!is_stale_tmp(".brief.pdf.x1.tmp", &slugs));
        assert!(!is_stale_tmp("brief.pdf", &slugs));
        assert!(!is_stale_tmp(".briefpress-notes.tmp", &slugs));
        assert!(!is_stale_tmp(".briefpress-0123456789abcdefg.tmp", &slugs));
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_never_written_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, b"precious").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(open_new(&link).is_err());
        assert!(open_new(&dangling).is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"precious");
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn random_names_differ() {
        let names: std::collections::BTreeSet<String> = (0..100).map(|_| random_hex()).collect();
        assert_eq!(names.len(), 100);
    }

    #[test]
    fn a_failed_commit_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::prepare(dir.path(), &[]).unwrap();
        std::fs::write(dir.path().join("a.txt"), b"old a").unwrap();
        std::fs::create_dir(dir.path().join("b.txt")).unwrap();
        let a = out.stage("a.txt", b"new a").unwrap();
        let b = out.stage("b.txt", b"new b").unwrap();
        assert!(commit(vec![a, b]).is_err());
        assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), b"old a");
        // The staged files were removed with the failed commit.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn only_a_regular_file_is_held_and_a_held_file_is_still_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, b"old").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        // A FIFO is not waited on (the test would hang) and, like a symlink, not held.
        assert!(hold(&fifo).is_none());
        assert!(hold(&link).is_none());
        let held = hold(&file).unwrap();
        let out = OutDir::prepare(dir.path(), &[]).unwrap();
        let staged = out.stage("a.txt", b"new").unwrap();
        commit(vec![staged]).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        // The handle still reads the file it was opened on.
        let mut old = Vec::new();
        std::io::Read::read_to_end(&mut &held, &mut old).unwrap();
        assert_eq!(old, b"old");
    }
}
