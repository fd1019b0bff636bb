//! The OCF container: a ZIP archive written byte-for-byte the same on every build.
//!
//! `mimetype` comes first, stored uncompressed and without extra fields (readers sniff
//! it at a fixed offset); entries follow in the order given, each with the same
//! timestamp and permissions, so rebuilding a brief gives identical bytes.
//!
//! Written here rather than with the `zip` crate (which the verifier still reads the
//! archive with): its writer compresses each entry through a streaming flate2 encoder
//! it creates per entry, and can take no data compressed elsewhere. An EPUB is a dozen
//! small entries, all in memory; each is compressed whole with libdeflate by
//! [`crate::render::deflate`], and the container around them is plain ZIP (APPNOTE
//! 6.3.x, sections 4.3–4.4): local headers, a central directory and its end record, no
//! ZIP64 (an entry or archive of 4 GiB is refused), no data descriptors.

use crate::model::civil_from_days;
use crate::render::deflate::{self, with_thread_deflater};

/// The deflate level of text entries (markup, CSS, SVG): the PDF's (see
/// [`deflate::LEVEL`]). On the seed's 44.5 KB of them, with libdeflate, level 1 gives
/// 21.1 KB in 0.29 ms, level 3 19.9 KB in 0.42 ms, level 4 20.1 KB in 0.42 ms, level 6
/// 19.7 KB in 0.54 ms (warm): past 3 the SVG cover and the markup gain little.
const LEVEL: u32 = deflate::LEVEL;

/// The deflate level of font files: subset glyph data gains little from longer match
/// searches (see [`deflate::FONT_LEVEL`]).
const FONT_LEVEL: u32 = deflate::FONT_LEVEL;

/// One file of the container.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub path: String,
    pub bytes: &'a [u8],
}

/// The `mimetype` entry every EPUB begins with.
pub fn mimetype() -> Entry<'static> {
    Entry {
        path: "mimetype".into(),
        bytes: b"application/epub+zip",
    }
}

/// Version needed to extract: 2.0 (deflate).
const VERSION_NEEDED: u16 = 20;
/// Version made by: Unix (3, so the external attributes carry permissions), spec 2.0.
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// General purpose flag bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;
/// External attributes: a regular file, `rw-r--r--`.
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;

/// An entry as written: where its local header starts and what the central directory
/// repeats of it.
struct Written<'e> {
    name: &'e str,
    method: u16,
    crc: u32,
    packed: u32,
    size: u32,
    offset: u32,
}

/// The EPUB archive: `mimetype`, then `entries` in order, all dated `epoch`.
pub fn archive(entries: &[Entry<'_>], epoch: i64) -> Result<Vec<u8>, String> {
    let (time, date) = dos_time(epoch);
    let mut out = Vec::with_capacity(
        entries
            .iter()
            .map(|e| e.bytes.len() / 2 + 2 * e.path.len() + 100)
            .sum::<usize>()
            + 256,
    );
    let mut written = Vec::with_capacity(entries.len() + 1);
    let mimetype = mimetype();
    for e in std::iter::once(&mimetype).chain(entries) {
        // PNG and JPEG are compressed already; deflating them again costs time and
        // gains nothing. `mimetype` must be stored.
        let stored = e.path == "mimetype"
            || [".png", ".jpg", ".jpeg"]
                .iter()
                .any(|x| e.path.ends_with(x));
        let level = if [".ttf", ".otf"].iter().any(|x| e.path.ends_with(x)) {
            FONT_LEVEL
        } else {
            LEVEL
        };
        let packed = if stored {
            None
        } else {
            let packed = with_thread_deflater(level, |z| z.raw(e.bytes))
                .ok_or_else(|| format!("cannot compress {}", e.path))?;
            // Data that does not shrink is stored as it is, as zip tools do.
            Some(packed).filter(|p| p.len() < e.bytes.len())
        };
        let (method, data) = match &packed {
            Some(p) => (8, p.as_slice()),
            None => (0, e.bytes),
        };
        let w = Written {
            name: &e.path,
            method,
            crc: libdeflater::crc32(e.bytes),
            packed: u32_of(data.len(), &e.path)?,
            size: u32_of(e.bytes.len(), &e.path)?,
            offset: u32_of(out.len(), &e.path)?,
        };
        out.extend_from_slice(&0x0403_4b50_u32.to_le_bytes());
        w.shared_fields(&mut out, time, date)?;
        out.extend_from_slice(w.name.as_bytes());
        out.extend_from_slice(data);
        written.push(w);
    }
    let directory = u32_of(out.len(), "the central directory")?;
    for w in &written {
        out.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        put16(&mut out, VERSION_MADE_BY);
        w.shared_fields(&mut out, time, date)?;
        put16(&mut out, 0); // comment
        put16(&mut out, 0); // disk number
        put16(&mut out, 0); // internal attributes
        out.extend_from_slice(&EXTERNAL_ATTRIBUTES.to_le_bytes());
        out.extend_from_slice(&w.offset.to_le_bytes());
        out.extend_from_slice(w.name.as_bytes());
    }
    let directory_size = u32_of(out.len() - directory as usize, "the central directory")?;
    let count = u16_of(written.len(), "the archive's entry count")?;
    out.extend_from_slice(&0x0605_4b50_u32.to_le_bytes());
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // the directory's disk
    put16(&mut out, count);
    put16(&mut out, count);
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory.to_le_bytes());
    put16(&mut out, 0); // comment
    Ok(out)
}

impl Written<'_> {
    /// The fields the local header and the central directory entry share, from the
    /// version needed to the extra field's length (APPNOTE 4.3.7 and 4.3.12).
    fn shared_fields(&self, out: &mut Vec<u8>, time: u16, date: u16) -> Result<(), String> {
        put16(out, VERSION_NEEDED);
        put16(out, flags(self.name));
        put16(out, self.method);
        put16(out, time);
        put16(out, date);
        out.extend_from_slice(&self.crc.to_le_bytes());
        out.extend_from_slice(&self.packed.to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes());
        put16(out, u16_of(self.name.len(), self.name)?);
        put16(out, 0); // no extra field
        Ok(())
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The general purpose flags of an entry named `name`.
fn flags(name: &str) -> u16 {
    if name.is_ascii() {
        0
    } else {
        UTF8_NAME
    }
}

fn u32_of(n: usize, what: &str) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("{what} is too large for a ZIP archive (4 GiB)"))
}

fn u16_of(n: usize, what: &str) -> Result<u16, String> {
    u16::try_from(n).map_err(|_| format!("{what} is too long for a ZIP archive"))
}

/// The DOS time and date of `epoch` (UTC), clamped to the years a ZIP can record.
fn dos_time(epoch: i64) -> (u16, u16) {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (y, m, d, secs) = if y < 1980 {
        (1980, 1, 1, 0)
    } else if y > 2107 {
        (2107, 12, 31, 86_398)
    } else {
        (y, i64::from(m), i64::from(d), secs)
    };
    let narrow = |v: i64| u16::try_from(v).unwrap_or(0);
    let time = narrow(secs / 3600) << 11 | narrow(secs % 3600 / 60) << 5 | narrow(secs % 60 / 2);
    let date = narrow(y - 1980) << 9 | narrow(m) << 5 | narrow(d);
    (time, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CRC-32 (IEEE, reflected), bit by bit: an implementation apart from the one the
    /// writer uses.
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A whole archive written out by hand from APPNOTE 4.3: two stored entries, every
    /// field in order. The writer must give exactly these bytes.
    #[test]
    fn a_stored_archive_is_the_appnote_layout_byte_for_byte() -> Result<(), String> {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the CRC check value");
        let bytes = archive(
            &[Entry {
                path: "a.png".into(),
                bytes: b"hello",
            }],
            1_477_958_400,
        )?;
        // 2016-11-01 00:00:00: DOS date (36 << 9) | (11 << 5) | 1, time 0.
        let (time, date) = ([0u8, 0], [0x61u8, 0x49]);
        let mut want: Vec<u8> = Vec::new();
        let mut offsets = Vec::new();
        let entries: [(&str, &[u8]); 2] =
            [("mimetype", b"application/epub+zip"), ("a.png", b"hello")];
        // Local headers: signature, version 2.0, flags 0, method 0 (stored), time,
        // date, CRC, sizes (packed = plain), name length, extra 0, name, data.
        for (name, data) in entries {
            offsets.push(want.len() as u32);
            want.extend([0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0]);
            want.extend(time);
            want.extend(date);
            want.extend(crc32(data).to_le_bytes());
            want.extend((data.len() as u32).to_le_bytes());
            want.extend((data.len() as u32).to_le_bytes());
            want.extend((name.len() as u16).to_le_bytes());
            want.extend([0, 0]);
            want.extend(name.as_bytes());
            want.extend(data);
        }
        let directory = want.len() as u32;
        // Central directory: made by Unix 2.0, then as above, then comment, disk and
        // internal attributes 0, external attributes `-rw-r--r--`, the local offset.
        for ((name, data), offset) in entries.iter().zip(&offsets) {
            want.extend([0x50, 0x4B, 0x01, 0x02, 20, 3, 20, 0, 0, 0, 0, 0]);
            want.extend(time);
            want.extend(date);
            want.extend(crc32(data).to_le_bytes());
            want.extend((data.len() as u32).to_le_bytes());
            want.extend((data.len() as u32).to_le_bytes());
            want.extend((name.len() as u16).to_le_bytes());
            want.extend([0, 0, 0, 0, 0, 0, 0, 0]);
            want.extend([0, 0, 0xA4, 0x81]);
            want.extend(offset.to_le_bytes());
            want.extend(name.as_bytes());
        }
        let size = want.len() as u32 - directory;
        want.extend([0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 2, 0, 2, 0]);
        want.extend(size.to_le_bytes());
        want.extend(directory.to_le_bytes());
        want.extend([0, 0]);
        assert_eq!(bytes, want);
        Ok(())
    }

    /// The archive reads back with the `zip` crate (an independent reader): every
    /// entry, in order, with its bytes, method, date and permissions.
    #[test]
    fn reads_back_with_the_zip_crate() -> Result<(), String> {
        use std::io::Read;
        let text = "Árvíztűrő tükörfúrógép. ".repeat(200);
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..5000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        let entries = [
            Entry {
                path: "EPUB/brief.xhtml".into(),
                bytes: text.as_bytes(),
            },
            Entry {
                path: "EPUB/images/a.png".into(),
                bytes: b"\x89PNG not really",
            },
            Entry {
                path: "EPUB/fonts/f.ttf".into(),
                bytes: &noise,
            },
            Entry {
                path: "EPUB/ünï.txt".into(),
                bytes: b"",
            },
        ];
        let bytes = archive(&entries, 1_477_958_400 + 13 * 3600 + 5 * 60 + 7)?;
        let mut z =
            ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
        assert_eq!(z.len(), 5);
        let expect: [(&str, &[u8], ::zip::CompressionMethod); 5] = [
            (
                "mimetype",
                b"application/epub+zip",
                ::zip::CompressionMethod::Stored,
            ),
            (
                "EPUB/brief.xhtml",
                text.as_bytes(),
                ::zip::CompressionMethod::Deflated,
            ),
            (
                "EPUB/images/a.png",
                b"\x89PNG not really",
                ::zip::CompressionMethod::Stored,
            ),
            // Random bytes do not shrink, so they are stored.
            ("EPUB/fonts/f.ttf", &noise, ::zip::CompressionMethod::Stored),
            ("EPUB/ünï.txt", b"", ::zip::CompressionMethod::Stored),
        ];
        for (i, (name, data, method)) in expect.iter().enumerate() {
            let mut f = z.by_index(i).map_err(|e| e.to_string())?;
            assert_eq!(f.name(), *name);
            assert_eq!(f.compression(), *method, "{name}");
            assert_eq!(f.unix_mode(), Some(0o100_644), "{name}");
            let t = f.last_modified().ok_or("no date")?;
            assert_eq!(
                (
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                ),
                (2016, 11, 1, 13, 5, 6),
                "{name}: DOS times count seconds in twos"
            );
            let mut back = Vec::new();
            f.read_to_end(&mut back).map_err(|e| e.to_string())?;
            assert_eq!(back, *data, "{name}");
        }
        Ok(())
    }

    #[test]
    fn dates_outside_the_dos_range_are_clamped() {
        assert_eq!(dos_time(0), (0, 1 << 5 | 1));
        assert_eq!(dos_time(i64::from(u32::MAX) * 4).1 >> 9, 127);
    }
}
