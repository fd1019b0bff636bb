//! Figure images: read from the brief's folder within bounds and checked in full.
//!
//! An image is untrusted input. It must be a regular file whose real path lies inside
//! the brief's folder (a symbolic link may point within the folder, never out of it),
//! no larger than [`MAX_IMAGE_BYTES`], and of at most the house's pixel count; the
//! pixel count is read from the header before anything is decoded, because decoding
//! costs time and memory in proportion to it (a 30000 × 30000 PNG of a few hundred
//! bytes took over 20 s and 7 GB). Then the image is decoded once in full, so that a
//! damaged file is an error pointing at its reference in the source, and not a failure
//! while the PDF is rendered, where the source is no longer at hand.

use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use crate::input::{read_regular_nofollow, ReadError};
use crate::model::ImageFormat;

/// Largest image file accepted, in bytes: a 100-megapixel photograph as a good JPEG
/// is about 25 MB.
pub const MAX_IMAGE_BYTES: u64 = 32 << 20;

/// An image read and checked.
pub struct Loaded {
    /// The path as the brief gives it, joined to the brief's folder.
    pub path: PathBuf,
    pub data: Vec<u8>,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

/// Why an image was refused: what is wrong and how to fix it.
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

fn refuse(message: impl Into<String>, hint: impl Into<String>) -> Refusal {
    Refusal {
        message: message.into(),
        hint: hint.into(),
    }
}

/// Read the image `url` (as written in the brief) from `dir`, the brief's folder, and
/// check it; at most `max_pixels` pixels.
pub fn load(dir: &Path, url: &str, max_pixels: u64) -> Result<Loaded, Refusal> {
    let (path, data) = read_inside(dir, url)?;
    let (format, width, height) = check(url, &data, max_pixels)?;
    Ok(Loaded {
        path,
        data,
        format,
        width,
        height,
    })
}

/// Read the file `url` names, refusing a path or a link that leads out of `dir`, and
/// anything but a regular file of at most [`MAX_IMAGE_BYTES`]; the path joined to
/// `dir` and the bytes.
fn read_inside(dir: &Path, url: &str) -> Result<(PathBuf, Vec<u8>), Refusal> {
    let rel = Path::new(url);
    let leaves = url.contains("://")
        || url.starts_with('/')
        || url.contains('\\')
        || rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if url.is_empty() || leaves {
        return Err(refuse(
            format!("image path {url:?} leaves the source folder"),
            "put the image in the brief's folder (or below it) and give a relative path",
        ));
    }
    let path = dir.join(rel);
    // A brief named without a folder (`b.md`) has the empty path as its folder, which
    // cannot be resolved.
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let cannot_read = |e: &dyn std::fmt::Display| {
        refuse(
            format!("cannot read image {}: {e}", path.display()),
            "check the file name; paths are relative to the brief's folder",
        )
    };
    // The real paths settle where every symbolic link on the way leads.
    let real_dir = std::fs::canonicalize(dir).map_err(|e| cannot_read(&e))?;
    let real = std::fs::canonicalize(&path).map_err(|e| cannot_read(&e))?;
    if !real.starts_with(&real_dir) {
        return Err(refuse(
            format!(
                "image {url} is a link that leads out of the source folder, to {}",
                real.display()
            ),
            "copy the image into the brief's folder instead of linking to it",
        ));
    }
    // The real path has no link left to follow; refusing one closes the gap in which
    // the file could be swapped for a link after it was resolved.
    let data = read_regular_nofollow(&real, MAX_IMAGE_BYTES).map_err(|e| match e {
        ReadError::NotRegular(kind) => refuse(
            format!("image {url} is {kind}, not a regular file"),
            "give the path of a PNG or JPEG file",
        ),
        ReadError::TooLarge(_) => refuse(
            format!("image {url} is larger than {} MiB", MAX_IMAGE_BYTES >> 20),
            "reduce the image before publishing",
        ),
        ReadError::Io(e) => cannot_read(&e),
    })?;
    Ok((path, data))
}

/// Check that `data` is a PNG or JPEG of at most `max_pixels` pixels that decodes in
/// full; its format, width and height.
fn check(url: &str, data: &[u8], max_pixels: u64) -> Result<(ImageFormat, u32, u32), Refusal> {
    let (format, codec) = match image::guess_format(data) {
        Ok(image::ImageFormat::Png) => (ImageFormat::Png, image::ImageFormat::Png),
        Ok(image::ImageFormat::Jpeg) => (ImageFormat::Jpeg, image::ImageFormat::Jpeg),
        _ => {
            return Err(refuse(
                format!("{url} is not a PNG or JPEG image"),
                "convert the figure to PNG (diagrams) or JPEG (photographs)",
            ))
        }
    };
    let damaged = |e: &dyn std::fmt::Display| {
        refuse(
            format!("image {url} is damaged: {e}"),
            "re-export the image; the file seems damaged or cut short",
        )
    };
    // The header alone: no pixel is decoded before the size is known to be bearable.
    let (width, height) = image::ImageReader::with_format(Cursor::new(data), codec)
        .into_dimensions()
        .map_err(|e| damaged(&e))?;
    if width == 0 || height == 0 {
        return Err(damaged(&"it has no pixels"));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(refuse(
            format!(
                "image {url} is {width} × {height} pixels ({} megapixels); the limit is {} megapixels",
                pixels.div_ceil(1_000_000),
                max_pixels / 1_000_000
            ),
            "scale the image down (300 dpi at its printed size is plenty), or raise inputs.max_image_megapixels in branding/house.toml",
        ));
    }
    match format {
        ImageFormat::Png => check_png(data).map_err(|e| damaged(&e))?,
        ImageFormat::Jpeg => {
            image::ImageReader::with_format(Cursor::new(data), codec)
                .decode()
                .map_err(|e| damaged(&e))?;
        }
    }
    Ok((format, width, height))
}

/// Decode a PNG in full, a row at a time (memory for one row, not the image): every
/// chunk's checksum and the whole compressed stream are checked.
fn check_png(data: &[u8]) -> Result<(), png::DecodingError> {
    let mut reader = png::Decoder::new(Cursor::new(data)).read_info()?;
    while reader.next_row()?.is_some() {}
    reader.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let data = vec![7u8; (w * h) as usize];
        let written = enc
            .write_header()
            .and_then(|mut wr| wr.write_image_data(&data));
        assert!(written.is_ok(), "{written:?}");
        out
    }

    #[test]
    fn reads_a_good_png_and_refuses_one_over_the_pixel_cap() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.png"), png_of(20, 10)).unwrap();
        let ok = load(dir.path(), "a.png", 200).map(|l| (l.width, l.height));
        assert_eq!(ok.ok(), Some((20, 10)));
        let refused = load(dir.path(), "a.png", 199).err().unwrap();
        assert!(refused.message.contains("20 × 10 pixels"), "{refused:?}");
    }

    #[test]
    fn a_truncated_png_is_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let mut png = png_of(64, 64);
        png.truncate(png.len() - 20);
        std::fs::write(dir.path().join("a.png"), png).unwrap();
        let refused = load(dir.path(), "a.png", 1 << 20).err().unwrap();
        assert!(refused.message.contains("is damaged"), "{refused:?}");
    }
}
