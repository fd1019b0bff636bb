//! Reading input files safely: sources, images, manifests and editions are untrusted.
//!
//! Every file briefpress reads goes through [`read_regular`]: it opens the path without
//! blocking (a FIFO would otherwise hang the open), refuses anything that is not a
//! regular file (devices such as `/dev/zero`, FIFOs, sockets, folders), and counts the
//! bytes while reading, so a file whose size reads 0 (`/proc` files) or that grows while
//! being read still stops at the cap. The standard library has no such call, and the
//! crates that wrap `open(2)` flags (nix, rustix) would be a dependency for two flags.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing file, permissions, ...).
    Io(std::io::Error),
    /// The path names something other than a regular file; the string says what.
    NotRegular(&'static str),
    /// The file holds more than the cap, in bytes.
    TooLarge(u64),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge(cap) => write!(f, "it is larger than the limit of {cap} bytes"),
        }
    }
}

/// Open `path` for reading without blocking on a FIFO; symlinks are followed unless
/// `follow` is false.
fn open(path: &Path, follow: bool) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK;
        if !follow {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    #[cfg(not(unix))]
    let _ = follow;
    options.open(path)
}

/// What kind of file `meta` describes, in words, if it is not a regular file.
fn kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("a device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Read the regular file at `path`, at most `cap` bytes; symlinks are followed.
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    read_with(path, cap, true)
}

/// Like [`read_regular`], but a symlink at the last component of `path` is refused.
pub fn read_regular_nofollow(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    read_with(path, cap, false)
}

fn read_with(path: &Path, cap: u64, follow: bool) -> Result<Vec<u8>, ReadError> {
    let file = open(path, follow).map_err(|e| {
        // O_NOFOLLOW on a symlink fails with ELOOP: say so in words.
        #[cfg(unix)]
        if !follow && e.raw_os_error() == Some(libc::ELOOP) {
            return ReadError::NotRegular("a symbolic link");
        }
        ReadError::Io(e)
    })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(k) = kind(&meta) {
        return Err(ReadError::NotRegular(k));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte past the cap tells a file at the cap from a larger one.
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_and_refuses_one_over_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read_regular(&p, 5).ok(), Some(b"hello".to_vec()));
        assert!(matches!(read_regular(&p, 4), Err(ReadError::TooLarge(4))));
        assert!(matches!(
            read_regular(dir.path(), 10),
            Err(ReadError::NotRegular("a folder"))
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn refuses_devices_and_counts_proc_files_while_reading() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular("a device"))
        ));
        // /proc files report size 0; the cap still holds while reading.
        let r = read_regular(Path::new("/proc/self/status"), 8);
        assert!(matches!(r, Err(ReadError::TooLarge(8))), "{r:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fifo");
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes())
            .unwrap();
        // SAFETY: `c` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_regular(&p, 10),
            Err(ReadError::NotRegular("a named pipe (FIFO)"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn nofollow_refuses_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t");
        std::fs::write(&target, b"x").unwrap();
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(read_regular(&link, 10).is_ok());
        assert!(matches!(
            read_regular_nofollow(&link, 10),
            Err(ReadError::NotRegular("a symbolic link"))
        ));
    }
}
