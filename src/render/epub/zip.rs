//! The OCF container: a ZIP archive written byte-for-byte the same on every build.
//!
//! `mimetype` comes first, stored uncompressed (readers sniff it at a fixed offset);
//! entries follow in the order given, each with the same timestamp and permissions, so
//! rebuilding a brief gives identical bytes.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::model::civil_from_days;

/// The deflate level. Measured on the whole archive (zip 2.6, miniz_oxide, best of 30):
///
/// | level | seed bytes | seed ms | book100 bytes | book100 ms |
/// |------:|-----------:|--------:|--------------:|-----------:|
/// |     1 |     60 685 |    1.19 |        86 735 |       1.65 |
/// |     2 |     56 021 |    1.73 |        74 626 |       2.66 |
/// |     3 |     54 983 |    2.09 |        69 888 |       3.14 |
/// |     6 |     54 179 |    3.77 |        68 078 |       5.03 |
/// |     9 |     54 140 |    4.97 |        67 983 |       6.41 |
///
/// Level 3 is the knee: within 1.6 % (seed) and 2.8 % (book100) of level 9's size in
/// less than half the time; the higher levels' longer match searches buy almost nothing
/// on subset fonts and path data.
const LEVEL: i64 = 3;

/// The deflate level of font files. Subset glyph data is where level 3 costs most and
/// gains least: on the seed's four subsets (57.6 KB) level 1 gives 36.8 KB in 0.70 ms,
/// level 3 34.3 KB in 1.71 ms (miniz_oxide, warm).
const FONT_LEVEL: i64 = 1;

/// One file of the container.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub path: String,
    pub bytes: &'a [u8],
}

/// The EPUB archive: `mimetype`, then `entries` in order, all dated `epoch`.
pub fn archive(entries: &[Entry<'_>], epoch: i64) -> Result<Vec<u8>, String> {
    let time = dos_time(epoch);
    let base = SimpleFileOptions::default()
        .last_modified_time(time)
        .unix_permissions(0o644);
    // Room for everything stored as is, so the buffer is not regrown and copied while
    // the archive is written.
    let room = entries
        .iter()
        .map(|e| e.bytes.len() + 2 * e.path.len() + 100);
    let out = Vec::with_capacity(room.sum::<usize>() + 256);
    let mut w = ZipWriter::new(std::io::Cursor::new(out));
    let stored = base.compression_method(CompressionMethod::Stored);
    let deflated = base
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL));
    let font = deflated.compression_level(Some(FONT_LEVEL));
    let fail = |e: &dyn std::fmt::Display| format!("cannot write the EPUB archive ({e})");
    w.start_file("mimetype", stored).map_err(|e| fail(&e))?;
    w.write_all(b"application/epub+zip").map_err(|e| fail(&e))?;
    for e in entries {
        // PNG and JPEG are compressed already; deflating them again costs time and
        // gains nothing.
        let packed = [".png", ".jpg", ".jpeg"]
            .iter()
            .any(|x| e.path.ends_with(x));
        let options = if packed {
            stored
        } else if [".ttf", ".otf"].iter().any(|x| e.path.ends_with(x)) {
            font
        } else {
            deflated
        };
        w.start_file(e.path.as_str(), options)
            .map_err(|err| fail(&err))?;
        w.write_all(e.bytes).map_err(|err| fail(&err))?;
    }
    let out = w.finish().map_err(|e| fail(&e))?;
    Ok(out.into_inner())
}

/// The DOS date and time of `epoch` (UTC), clamped to the years a ZIP can record.
fn dos_time(epoch: i64) -> DateTime {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (y, m, d, secs) = if y < 1980 {
        (1980, 1, 1, 0)
    } else if y > 2107 {
        (2107, 12, 31, 86_399)
    } else {
        (y, m, d, secs)
    };
    let narrow = |v: i64| u8::try_from(v).unwrap_or(0);
    DateTime::from_date_and_time(
        u16::try_from(y).unwrap_or(1980),
        narrow(i64::from(m)),
        narrow(i64::from(d)),
        narrow(secs / 3600),
        narrow(secs % 3600 / 60),
        narrow(secs % 60),
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_is_first_and_stored() -> Result<(), String> {
        let bytes = archive(
            &[Entry {
                path: "a.txt".into(),
                bytes: b"hello",
            }],
            1_477_958_400,
        )?;
        // Local file header, then method 0 (stored) at offset 8, name at 30.
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(&bytes[8..10], &[0, 0]);
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], b"application/epub+zip");
        assert_eq!(
            bytes,
            archive(
                &[Entry {
                    path: "a.txt".into(),
                    bytes: b"hello"
                }],
                1_477_958_400
            )?
        );
        Ok(())
    }
}
