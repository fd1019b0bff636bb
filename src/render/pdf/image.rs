//! Images as PDF image XObjects, prepared here rather than by printpdf.
//!
//! printpdf turns every image into raw pixels and compresses them again, and splits
//! alpha into a soft mask it also compresses: for the 300 px house logo that was a
//! third of the seed's PDF time. Most of it is avoidable, because PDF can read the
//! compressed data of a JPEG and (with PNG predictors, ISO 32000-1 §7.4.4.4) of an
//! opaque PNG as it is:
//!
//! - JPEG (greyscale or RGB): the file's bytes, `/DCTDecode`, never re-encoded.
//! - PNG, 8-bit greyscale or RGB, or indexed (1–8 bit) without transparency,
//!   not interlaced: the concatenated `IDAT` data, `/FlateDecode` with
//!   `/DecodeParms << /Predictor 15 … >>`; not recompressed at all.
//! - Anything else (alpha, 16-bit, interlaced, CMYK JPEG…): decoded, colour and alpha
//!   split, each compressed once at the PDF's stream level (3: image data compresses
//!   about as well as at level 6, at a third of the cost).
//!
//! Every image is still decoded in full once, so a damaged file is an error here and
//! never a broken picture in the PDF. printpdf places each image as a 1×1 placeholder
//! (an image always fills the unit square, so the placement matrix is the same) and
//! `write::fix_images` swaps in the stream prepared here.

use lopdf::{Dictionary, Object, Stream};

/// An image ready to embed: its pixel size, its XObject stream and, when it has
/// transparency, the soft-mask stream.
#[derive(Debug, Clone)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub stream: Stream,
    pub smask: Option<Stream>,
}

/// Most pixels an image may have to be decoded here. The parser refuses figures over
/// the house's own, lower bound with a located error (`parse::image`); this bound
/// holds for any bytes that reach this module (a house logo, a document made without
/// the parser), so no header can make it allocate more than about 1 GB.
const MAX_PIXELS: u64 = crate::house::MAX_IMAGE_MEGAPIXELS_CEILING as u64 * 1_000_000;

/// An error unless a `w` × `h` image is within [`MAX_PIXELS`].
fn bounded(w: u32, h: u32) -> Result<(), String> {
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "image: {w} × {h} pixels is more than the {} megapixels that can be decoded",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// The pixel size of PNG or JPEG `bytes`, from the header alone.
pub fn size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let format = image::guess_format(bytes).map_err(|_| "not a PNG or JPEG image")?;
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err("not a PNG or JPEG image".into());
    }
    image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| format!("image: {e}"))
}

/// [`prepare`] for the house logo. The data of a `builtin` logo (the built-in house
/// logo, compiled in and decoded in full by a unit test) is taken as it is, without
/// decoding it again on every run.
pub fn prepare_logo(bytes: &[u8], builtin: bool) -> Result<Image, String> {
    prepare_checked(bytes, !builtin)
}

/// Prepare PNG or JPEG `bytes` as a PDF image.
pub fn prepare(bytes: &[u8]) -> Result<Image, String> {
    prepare_checked(bytes, true)
}

/// [`prepare`]; with `check` false, PNG data that goes into the PDF as it is is not
/// decoded first.
fn prepare_checked(bytes: &[u8], check: bool) -> Result<Image, String> {
    match image::guess_format(bytes) {
        Ok(image::ImageFormat::Png) => png(bytes, check),
        Ok(image::ImageFormat::Jpeg) => jpeg(bytes),
        _ => Err("not a PNG or JPEG image".into()),
    }
}

fn jpeg(bytes: &[u8]) -> Result<Image, String> {
    let (w, h) = size(bytes)?;
    bounded(w, h)?;
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
        .map_err(|e| format!("image: {e}"))?;
    let space: &[u8] = match img.color() {
        image::ColorType::L8 => b"DeviceGray",
        image::ColorType::Rgb8 => b"DeviceRGB",
        _ => {
            let rgba = img.to_rgba8();
            return Ok(pixels(
                img.width(),
                img.height(),
                png::ColorType::Rgba,
                &rgba,
            ));
        }
    };
    let mut dict = image_dict(img.width(), img.height(), 8, Object::Name(space.to_vec()));
    dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
    Ok(Image {
        width: img.width(),
        height: img.height(),
        stream: fixed(dict, bytes.to_vec()),
        smask: None,
    })
}

fn png(bytes: &[u8], check: bool) -> Result<Image, String> {
    let bad = |e: png::DecodingError| format!("image: {e}");
    // The header alone decides between passing the data through and decoding it.
    let info = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .map_err(bad)?
        .info()
        .clone();
    let (w, h) = (info.width, info.height);
    bounded(w, h)?;
    let depth = info.bit_depth as u8;
    let passthrough = !info.interlaced
        && info.trns.is_none()
        && match info.color_type {
            png::ColorType::Grayscale | png::ColorType::Rgb => depth == 8,
            png::ColorType::Indexed => true,
            _ => false,
        };
    // Decoding in full checks every chunk's CRC and the whole compressed stream, also
    // when the data then goes into the PDF as it is.
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(if passthrough {
        png::Transformations::IDENTITY
    } else {
        png::Transformations::EXPAND | png::Transformations::STRIP_16
    });
    let mut reader = decoder.read_info().map_err(bad)?;
    if !passthrough {
        let size = reader
            .output_buffer_size()
            .ok_or("image: too large to decode")?;
        let mut buf = vec![0; size];
        let frame = reader.next_frame(&mut buf).map_err(bad)?;
        buf.truncate(frame.buffer_size());
        return Ok(pixels(w, h, frame.color_type, &buf));
    }
    // Data passed through is still decoded in full, a row at a time (no image-sized
    // buffer), to check it; unless it is built in and so checked by a test.
    if check {
        while reader.next_row().map_err(bad)?.is_some() {}
        reader.finish().map_err(bad)?;
    }
    let space = match info.color_type {
        png::ColorType::Grayscale => Object::Name(b"DeviceGray".to_vec()),
        png::ColorType::Rgb => Object::Name(b"DeviceRGB".to_vec()),
        _ => {
            let palette = info.palette.as_deref().ok_or("image: palette missing")?;
            let colours = palette.len() / 3;
            if colours == 0 {
                return Err("image: empty palette".into());
            }
            Object::Array(vec![
                Object::Name(b"Indexed".to_vec()),
                Object::Name(b"DeviceRGB".to_vec()),
                Object::Integer(colours as i64 - 1),
                Object::String(palette.to_vec(), lopdf::StringFormat::Hexadecimal),
            ])
        }
    };
    let colors = if info.color_type == png::ColorType::Rgb {
        3
    } else {
        1
    };
    let mut dict = image_dict(w, h, depth, space);
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    dict.set(
        "DecodeParms",
        Dictionary::from_iter(vec![
            ("Predictor", Object::Integer(15)),
            ("Colors", Object::Integer(colors)),
            ("BitsPerComponent", Object::Integer(i64::from(depth))),
            ("Columns", Object::Integer(i64::from(w))),
        ]),
    );
    Ok(Image {
        width: w,
        height: h,
        stream: fixed(dict, idat(bytes)?),
        smask: None,
    })
}

/// The concatenated data of a PNG's `IDAT` chunks: one zlib stream of filtered rows,
/// which is what `/FlateDecode` with PNG predictors reads.
fn idat(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut at = 8; // the signature, already checked by the decoder
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let data = bytes
            .get(at + 8..at + 8 + len)
            .ok_or("image: truncated PNG chunk")?;
        if &head[4..8] == b"IDAT" {
            out.extend_from_slice(data);
        }
        at += 12 + len;
    }
    Ok(out)
}

/// Decoded 8-bit pixels of `kind` (grey or RGB, with or without alpha): the colour
/// channels and, if any pixel is not opaque, a soft mask.
fn pixels(w: u32, h: u32, kind: png::ColorType, data: &[u8]) -> Image {
    let (channels, grey) = match kind {
        png::ColorType::Grayscale => (1, true),
        png::ColorType::GrayscaleAlpha => (2, true),
        png::ColorType::Rgb => (3, false),
        _ => (4, false),
    };
    let alpha = channels % 2 == 0;
    let colours = channels - usize::from(alpha);
    let (colour, mask) = if alpha {
        let n = data.len() / channels;
        let (mut c, mut a) = (Vec::with_capacity(n * colours), Vec::with_capacity(n));
        for p in data.chunks_exact(channels) {
            c.extend_from_slice(&p[..colours]);
            a.push(p[colours]);
        }
        (c, a.iter().any(|&v| v != 255).then_some(a))
    } else {
        (data.to_vec(), None)
    };
    let space: &[u8] = if grey { b"DeviceGray" } else { b"DeviceRGB" };
    let stream =
        crate::render::deflate::stream(image_dict(w, h, 8, Object::Name(space.to_vec())), &colour);
    let smask = mask.map(|a| {
        crate::render::deflate::stream(
            image_dict(w, h, 8, Object::Name(b"DeviceGray".to_vec())),
            &a,
        )
    });
    Image {
        width: w,
        height: h,
        stream,
        smask,
    }
}

fn image_dict(w: u32, h: u32, bits: u8, space: Object) -> Dictionary {
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(w))),
        ("Height", Object::Integer(i64::from(h))),
        ("BitsPerComponent", Object::Integer(i64::from(bits))),
        ("ColorSpace", space),
    ])
}

/// A stream whose content is final (already encoded): never compressed again.
fn fixed(dict: Dictionary, content: Vec<u8>) -> Stream {
    let mut s = Stream::new(dict, content);
    s.allows_compression = false;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(data: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .map(|_| out)
            .unwrap_or_default()
    }

    fn encode_png(w: u32, h: u32, colour: png::ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(colour);
        enc.set_depth(png::BitDepth::Eight);
        if colour == png::ColorType::Indexed {
            enc.set_palette(vec![255, 0, 0, 0, 0, 255]);
        }
        if let Ok(mut wr) = enc.write_header() {
            let _ = wr.write_image_data(data);
        }
        out
    }

    #[test]
    fn opaque_png_passes_through_with_predictors() {
        let data: Vec<u8> = (0..4 * 3 * 3).map(|i| (i * 7) as u8).collect();
        let png = encode_png(4, 3, png::ColorType::Rgb, &data);
        let img = prepare(&png)
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(img.smask.is_none());
        let parms = img
            .stream
            .dict
            .get(b"DecodeParms")
            .and_then(Object::as_dict);
        assert!(parms.is_ok(), "predictor parameters expected");
        // The stream is the file's own compressed rows: inflating it gives one filter
        // byte per row followed by the row's bytes.
        let rows = inflate(&img.stream.content);
        assert_eq!(rows.len(), 3 * (1 + 4 * 3));
        assert!(!img.stream.allows_compression);
    }

    #[test]
    fn indexed_png_keeps_its_palette() {
        let png = encode_png(2, 2, png::ColorType::Indexed, &[0, 1, 1, 0]);
        let img = prepare(&png).unwrap_or_else(|e| panic!("{e}"));
        let space = img
            .stream
            .dict
            .get(b"ColorSpace")
            .and_then(Object::as_array);
        let space = space.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(space[0], Object::Name(b"Indexed".to_vec()));
        assert_eq!(space[2], Object::Integer(1));
    }

    #[test]
    fn alpha_is_split_into_a_soft_mask() {
        let data = [10, 20, 30, 0, 40, 50, 60, 255];
        let png = encode_png(2, 1, png::ColorType::Rgba, &data);
        let img = prepare(&png).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(inflate(&img.stream.content), vec![10, 20, 30, 40, 50, 60]);
        let mask = img.smask.unwrap_or_else(|| panic!("soft mask expected"));
        assert_eq!(inflate(&mask.content), vec![0, 255]);
    }

    #[test]
    fn damaged_png_is_an_error() {
        let data: Vec<u8> = (0..64 * 3 * 64).map(|i| (i % 251) as u8).collect();
        let mut png = encode_png(64, 64, png::ColorType::Rgb, &data);
        let n = png.len();
        png.truncate(n - 40);
        assert!(prepare(&png).is_err());
        assert!(prepare(b"GIF89a").is_err());
    }

    #[test]
    fn a_header_past_the_bound_is_refused_before_decoding() {
        // A 60000 × 60000 header: decoding would need 14 GB.
        let mut png = encode_png(1, 1, png::ColorType::Rgba, &[0; 4]);
        png[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..29]);
        png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        let start = std::time::Instant::now();
        let err = prepare(&png).err().unwrap_or_default();
        assert!(err.contains("60000 × 60000"), "{err}");
        assert!(start.elapsed().as_secs() < 2);
    }

    #[test]
    fn size_is_read_from_the_header() {
        let png = encode_png(5, 7, png::ColorType::Rgb, &[1; 5 * 7 * 3]);
        assert_eq!(size(&png), Ok((5, 7)));
        assert!(size(b"GIF89a").is_err());
    }

    /// What `prepare_logo` takes on trust at run time: the built-in logo decodes in
    /// full, and the image made without decoding it is the one made with.
    #[test]
    fn builtin_logo_decodes_and_is_prepared_the_same_unchecked() -> Result<(), String> {
        let house = crate::house::builtin().map_err(|e| e.to_string())?;
        assert!(house.logo.bytes.is_builtin());
        let checked = prepare_checked(&house.logo.bytes, true)?;
        let unchecked = prepare_checked(&house.logo.bytes, false)?;
        assert_eq!(
            (checked.width, checked.height),
            (unchecked.width, unchecked.height)
        );
        assert_eq!(checked.stream.content, unchecked.stream.content);
        assert_eq!(checked.stream.dict, unchecked.stream.dict);
        Ok(())
    }
}
