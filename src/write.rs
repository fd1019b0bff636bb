//! Writing outputs atomically: a temporary file in the target folder, then a rename.
//!
//! A failed or interrupted build therefore never leaves a partial file, and the
//! previous edition stays in place until the new one is complete.
//!
//! Files are not `fsync`ed before the rename. Every output can be rebuilt from its
//! source, byte for byte, and on Linux's usual filesystems a rename that replaces a
//! file already flushes the new data first (ext4 `auto_da_alloc`, XFS, Btrfs); the
//! syncs cost about a tenth of a one-page brief's whole build. Like most build
//! tools, briefpress leaves durability against power loss to the filesystem.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Write `bytes` to `path` atomically, creating the parent folder if needed.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("write", path, e)
    })
}

/// Stage several files, then move them all into place; if any write fails, none of
/// the targets is touched.
pub fn atomic_all(files: &[(std::path::PathBuf, Vec<u8>)]) -> Result<()> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Err(e) = std::fs::create_dir_all(dir) {
            cleanup(&staged);
            return Err(Error::io("create folder", dir, e));
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let r = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
        staged.push((tmp.clone(), path.clone()));
        if let Err(e) = r {
            cleanup(&staged);
            return Err(Error::io("write", path, e));
        }
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path).map_err(|e| Error::io("write", path, e))?;
    }
    Ok(())
}

fn cleanup(staged: &[(std::path::PathBuf, std::path::PathBuf)]) {
    for (tmp, _) in staged {
        let _ = std::fs::remove_file(tmp);
    }
}
