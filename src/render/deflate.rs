//! Deflate compression for both containers, with libdeflate: zlib streams for the PDF
//! (`/FlateDecode`) and raw deflate for the EPUB's ZIP entries.
//!
//! Everything briefpress compresses is a whole buffer in memory, which is the case
//! libdeflate is built for. On the seed's own streams and entries (80.7 KB of subset
//! fonts at [`FONT_LEVEL`], 80.2 KB of page content, markup and SVG at [`LEVEL`]),
//! flate2's miniz_oxide gave 82.1 KB in 2.24 ms and libdeflate 78.1 KB in 1.21 ms:
//! smaller and in half the time. (zlib-rs, flate2's other Rust back end, gave 87.9 KB in
//! 1.62 ms.) flate2 stays for reading compressed data back.
//!
//! A compressor's tables cost about as much to set up as a small stream costs to
//! compress, so each thread keeps one per level ([`with_thread_deflater`]).

use libdeflater::{CompressionLvl, Compressor};

/// Level for text-like data: page content, structure, character maps, pixels, markup.
/// On the 100x book's page content (2.7 MB): level 3 gives 411 KB in 16.0 ms, level 4
/// 391 KB in 16.2 ms, level 6 352 KB in 25.8 ms (miniz_oxide's level 3: 380 KB in 32 ms).
/// On the seed's EPUB markup, 3 and 4 are within 1 % of each other in size and time.
pub const LEVEL: u32 = 4;

/// Level for font programs. Glyph data gains little from longer match searches: on the
/// seed's subsets (PDF and EPUB, 80.7 KB) level 1 gives 49.2 KB in 0.51 ms, level 3
/// 48.5 KB in 0.79 ms.
pub const FONT_LEVEL: u32 = 1;

pub struct Deflater {
    c: Compressor,
}

impl Deflater {
    /// A compressor at `level` (1–12); `None` for a level libdeflate does not have.
    pub fn new(level: u32) -> Option<Deflater> {
        let level = CompressionLvl::new(i32::try_from(level).ok()?).ok()?;
        Some(Deflater {
            c: Compressor::new(level),
        })
    }

    /// `data` as one complete zlib stream, or `None` if compression fails (it does not
    /// for in-memory data: the output buffer is sized to the worst case).
    pub fn zlib(&mut self, data: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0; self.c.zlib_compress_bound(data.len())];
        let n = self.c.zlib_compress(data, &mut out).ok()?;
        out.truncate(n);
        Some(out)
    }

    /// `data` as raw deflate data (no header or checksum), as a ZIP entry holds it.
    pub fn raw(&mut self, data: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0; self.c.deflate_compress_bound(data.len())];
        let n = self.c.deflate_compress(data, &mut out).ok()?;
        out.truncate(n);
        Some(out)
    }
}

thread_local! {
    /// One compressor per level and thread, kept for the life of the thread.
    static DEFLATERS: std::cell::RefCell<Vec<(u32, Deflater)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Run `f` with this thread's compressor at `level`.
pub fn with_thread_deflater<T>(
    level: u32,
    f: impl FnOnce(&mut Deflater) -> Option<T>,
) -> Option<T> {
    DEFLATERS.with(|all| {
        let mut all = all.try_borrow_mut().ok()?;
        let at = match all.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                all.push((level, Deflater::new(level)?));
                all.len() - 1
            }
        };
        all.get_mut(at).and_then(|(_, z)| f(z))
    })
}

/// A stream of `data` compressed at [`LEVEL`] with this thread's compressor
/// (`/FlateDecode`), or as it is if the compressor fails; marked so the final pass does
/// not compress it again.
pub fn stream(mut dict: lopdf::Dictionary, data: &[u8]) -> lopdf::Stream {
    let content = match with_thread_deflater(LEVEL, |z| z.zlib(data)) {
        Some(packed) => {
            dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
            packed
        }
        None => data.to_vec(),
    };
    let mut s = lopdf::Stream::new(dict, content);
    s.allows_compression = false;
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Both forms inflate back with flate2 (an independent implementation), with one
    /// compressor used for every size.
    #[test]
    fn round_trips_and_reuses_the_compressor() -> Result<(), String> {
        let mut d = Deflater::new(6).ok_or("level 6")?;
        for n in [0usize, 1, 100, 70_000] {
            let data: Vec<u8> = (0..n).map(|i| (i * i % 251) as u8).collect();
            let packed = d.zlib(&data).unwrap_or_default();
            let mut back = Vec::new();
            let ok = flate2::read::ZlibDecoder::new(&packed[..]).read_to_end(&mut back);
            assert!(ok.is_ok(), "zlib stream of {n} bytes must inflate");
            assert_eq!(back, data);
            let raw = d.raw(&data).unwrap_or_default();
            let mut back = Vec::new();
            let ok = flate2::read::DeflateDecoder::new(&raw[..]).read_to_end(&mut back);
            assert!(ok.is_ok(), "deflate data of {n} bytes must inflate");
            assert_eq!(back, data);
        }
        assert!(Deflater::new(13).is_none());
        Ok(())
    }
}
