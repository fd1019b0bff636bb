//! Writing outputs atomically: a temporary file in the target folder, then a rename.
//!
//! A failed or interrupted build therefore never leaves a partial file, and the
//! previous edition stays in place until the new one is complete.
//!
//! Files are not `fsync`ed, and an edition replaces the old file by unlink + rename
//! ([`commit`]), not by a rename over it, which on ext4 starts writing the data out
//! there and then. Together these were a fifth of a one-page brief's build. The price
//! is durability against power loss: a file written just before a crash may come back
//! empty or missing. Every output can be rebuilt from its source byte for byte, and
//! `check` compares each edition with the manifest written after them, so such a file
//! is found; like most build tools, briefpress leaves durability to the filesystem.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Write `bytes` to `path` atomically, creating the parent folder if needed.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    commit(vec![stage(path, bytes)?])
}

/// A file written under a temporary name beside its target, waiting to be moved into
/// place by [`commit`]. Dropped without a commit (a sibling edition failed), the
/// temporary file is removed and the target is left as it was.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    committed: bool,
}

/// Write `bytes` under a temporary name beside `path`, creating the folder if needed.
/// The editions of a brief are staged by the threads that render them, as each is done.
pub fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let staged = Staged {
        tmp: dir.join(format!(".{name}.{}.tmp", std::process::id())),
        path: path.to_owned(),
        committed: false,
    };
    std::fs::File::create(&staged.tmp)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| Error::io("write", path, e))?;
    Ok(staged)
}

/// Move staged files into place, in order.
///
/// The old file is removed first and the new one renamed to a free name: on ext4, a
/// rename over an existing file makes the kernel allocate and start writing the new
/// file's blocks there and then (`auto_da_alloc`), about 0.1 ms per file, a tenth of a
/// one-page brief's build for its three editions. Readers never see a partial file
/// either way; between the two calls the file is briefly absent.
pub fn commit(staged: Vec<Staged>) -> Result<()> {
    for mut s in staged {
        match std::fs::remove_file(&s.path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("replace", &s.path, e)),
        }
        std::fs::rename(&s.tmp, &s.path).map_err(|e| Error::io("write", &s.path, e))?;
        s.committed = true;
    }
    Ok(())
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
