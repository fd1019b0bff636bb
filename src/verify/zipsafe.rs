//! A bounded, read-only view of a zip archive that may not be ours.
//!
//! Before the `zip` crate sees the archive, its central directory is walked here
//! independently: the zip crate keys entries by name and silently merges duplicates,
//! and we want to refuse such archives, not guess which entry a reader would pick.
//! Every name is checked (no `..`, absolute, drive or backslash names, no control
//! characters, no duplicates) and the number of entries is capped. Entries are only
//! ever read into memory, never extracted, and each read is capped by counting the
//! bytes actually decompressed, not by trusting the sizes the headers claim.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

/// Largest archive accepted at all.
pub const MAX_ARCHIVE_BYTES: usize = 256 << 20;
/// Most entries an archive may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes one entry may decompress to.
pub const MAX_ENTRY_BYTES: u64 = 32 << 20;
/// Most bytes all reads from one archive may decompress to together.
pub const MAX_TOTAL_BYTES: u64 = 128 << 20;

const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;

/// An archive whose directory passed the checks.
pub struct SafeZip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: BTreeSet<String>,
    budget: u64,
}

impl std::fmt::Debug for SafeZip<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafeZip")
            .field("names", &self.names)
            .finish()
    }
}

impl<'a> SafeZip<'a> {
    /// Check the directory of `bytes` and open it.
    pub fn open(bytes: &'a [u8]) -> Result<SafeZip<'a>, String> {
        if bytes.len() > MAX_ARCHIVE_BYTES {
            return Err(format!(
                "the archive is larger than {MAX_ARCHIVE_BYTES} bytes"
            ));
        }
        let names = scan_directory(bytes)?;
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a readable zip archive: {e}"))?;
        // Both readings of the directory must agree, or one of them is being fooled.
        if archive.len() != names.len() {
            return Err(format!(
                "the zip directory is inconsistent ({} entries by one reading, {} by another)",
                names.len(),
                archive.len()
            ));
        }
        Ok(SafeZip {
            archive,
            names,
            budget: MAX_TOTAL_BYTES,
        })
    }

    /// Whether an entry of this exact name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// The entry names in sorted order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// The decompressed bytes of entry `name`, capped at [`MAX_ENTRY_BYTES`].
    ///
    /// The zip crate finds the entry and hands over its raw data; deflated data is
    /// inflated whole by libdeflate (already linked for the renderers' compression),
    /// not through the zip crate's streaming reader: on the seed's EPUB, inflating all
    /// its entries took 3.5 M instructions that way and 1.1 M this way (callgrind),
    /// a tenth of a check that holds every entry against the house EPUB.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, String> {
        if !self.names.contains(name) {
            return Err(format!("the archive has no entry {name:?}"));
        }
        let cap = MAX_ENTRY_BYTES.min(self.budget);
        let index = self
            .archive
            .index_for_name(name)
            .ok_or_else(|| format!("the archive has no entry {name:?}"))?;
        let file = self
            .archive
            .by_index_raw(index)
            .map_err(|e| format!("cannot open entry {name:?}: {e}"))?;
        let (method, claimed, crc) = (file.compression(), file.size(), file.crc32());
        let mut raw = Vec::new();
        // The raw data is at most the archive, which is capped.
        file.take(MAX_ARCHIVE_BYTES as u64)
            .read_to_end(&mut raw)
            .map_err(|e| format!("cannot read entry {name:?}: {e}"))?;
        let too_big = || {
            format!(
                "entry {name:?} decompresses to more than {cap} bytes; refusing to read further"
            )
        };
        let out = match method {
            zip::CompressionMethod::Stored => raw,
            zip::CompressionMethod::Deflated => inflate(&raw, claimed, cap)
                .map_err(|e| e.unwrap_or_else(too_big))
                .map_err(|e| format!("cannot decompress entry {name:?}: {e}"))?,
            other => {
                return Err(format!(
                    "entry {name:?} is compressed with {other}, which EPUB does not allow"
                ))
            }
        };
        if out.len() as u64 > cap {
            return Err(too_big());
        }
        if crc32fast::hash(&out) != crc {
            return Err(format!(
                "entry {name:?} does not match its checksum (the archive is corrupt)"
            ));
        }
        self.budget = self.budget.saturating_sub(out.len() as u64);
        Ok(out)
    }
}

/// Inflate raw deflate `data` that its headers say is `claimed` bytes, reading at most
/// `cap`: first into a buffer of the claimed size (which an honest header fills
/// exactly), then, if the header lied, into one of `cap` + 1 bytes, so the count is
/// of bytes decompressed, never of what the headers say. `Err(None)`: more than `cap`.
fn inflate(data: &[u8], claimed: u64, cap: u64) -> Result<Vec<u8>, Option<String>> {
    use libdeflater::DecompressionError as E;
    let mut inflater = libdeflater::Decompressor::new();
    for size in [claimed.min(cap), cap + 1] {
        let mut out = vec![0; usize::try_from(size).map_err(|_| None)?];
        match inflater.deflate_decompress(data, &mut out) {
            Ok(n) => {
                out.truncate(n);
                return Ok(out);
            }
            Err(E::InsufficientSpace) => continue,
            Err(E::BadData) => return Err(Some("the deflate data is corrupt".into())),
        }
    }
    Err(None)
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Walk the central directory and return the checked entry names.
fn scan_directory(b: &[u8]) -> Result<BTreeSet<String>, String> {
    // The end-of-central-directory record is 22 bytes plus a comment of up to 64 KiB.
    let lowest = b.len().saturating_sub(22 + 0xFFFF);
    let eocd = (lowest..=b.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(b, i) == Some(EOCD_SIG))
        .ok_or("not a zip archive (no end-of-central-directory record)")?;
    let short = || "truncated zip directory".to_owned();
    let count = u16_at(b, eocd + 10).ok_or_else(short)?;
    let offset = u32_at(b, eocd + 16).ok_or_else(short)?;
    if count == 0xFFFF || offset == 0xFFFF_FFFF {
        return Err("ZIP64 archives are not supported (an EPUB of a brief is small)".into());
    }
    if count > MAX_ENTRIES {
        return Err(format!(
            "the archive has {count} entries; at most {MAX_ENTRIES} are accepted"
        ));
    }
    let mut names = BTreeSet::new();
    let mut at = offset as usize;
    for _ in 0..count {
        if u32_at(b, at) != Some(CDH_SIG) {
            return Err("corrupt zip directory (bad entry header)".into());
        }
        let name_len = u16_at(b, at + 28).ok_or_else(short)?;
        let extra_len = u16_at(b, at + 30).ok_or_else(short)?;
        let comment_len = u16_at(b, at + 32).ok_or_else(short)?;
        let raw = b.get(at + 46..at + 46 + name_len).ok_or_else(short)?;
        let name = check_name(raw)?;
        if !names.insert(name.clone()) {
            return Err(format!("the archive has two entries named {name:?}"));
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(names)
}

/// Refuse names that could mean something else on some system or escape a folder.
fn check_name(raw: &[u8]) -> Result<String, String> {
    let name = std::str::from_utf8(raw)
        .map_err(|_| format!("entry name {:?} is not UTF-8", String::from_utf8_lossy(raw)))?;
    let bad = |why: &str| Err(format!("entry name {name:?} {why}"));
    if name.is_empty() {
        return bad("is empty");
    }
    if name.chars().any(char::is_control) {
        return bad("contains control characters");
    }
    if name.contains('\\') {
        return bad("contains a backslash");
    }
    if name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        return bad("is absolute");
    }
    if name.split('/').any(|c| c == "..") {
        return bad("contains a `..` component");
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_escape_are_refused() {
        for n in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:/x",
            "a\\b",
            "",
            "a\u{1}",
        ] {
            assert!(check_name(n.as_bytes()).is_err(), "{n:?}");
        }
        assert!(check_name(b"EPUB/text/brief.xhtml").is_ok());
    }

    #[test]
    fn garbage_is_not_a_zip() {
        assert!(SafeZip::open(b"").is_err());
        assert!(SafeZip::open(b"PK\x05\x06").is_err());
        assert!(SafeZip::open(&[0u8; 100]).is_err());
    }
}
