//! The cover image: page 1's head redrawn as a PNG, the same bytes every time.
//!
//! Masthead (logo and wordmark), the house-blue band with region and date, the title
//! block in house blue on white, then a blue field under a gold rule with the
//! organisation's name. Type comes from the house fonts through [`super::raster`]; sizes
//! are the house sizes scaled up, since a cover is mostly seen as a thumbnail.

use image::imageops::{self, FilterType};
use image::{ImageFormat, Rgba, RgbaImage};

use super::raster::{draw, wrap, Fonts};
use crate::content::region_display;
use crate::house::{House, Rgb};
use crate::model::Document;

/// Width of the cover in pixels; the height follows the house page proportions.
const WIDTH: u32 = 1200;
/// How much larger than on page 1 the cover sets the head.
const SCALE: f32 = 2.0;
/// Thickness of the gold rule above the blue field, in mm of the page.
const ACCENT_RULE: f32 = 1.5;

/// Draw the cover of `doc` as PNG bytes.
pub fn cover(doc: &Document, house: &House) -> Result<Vec<u8>, String> {
    let style = &house.style;
    let page = &style.page;
    let px_mm = WIDTH as f32 / page.width.max(1.0);
    let height = (page.height * px_mm).round().clamp(1.0, 4.0 * WIDTH as f32) as u32;
    // Millimetres and points of page 1, scaled for the cover, in pixels.
    let mm = |v: f32| v * px_mm * SCALE;
    let pt = |v: f32| v * 25.4 / 72.0 * px_mm * SCALE;
    let rgba = |c: Rgb| Rgba([c.0, c.1, c.2, 255]);
    let (blue, accent, band_text) = (
        rgba(style.colours.blue),
        rgba(style.colours.accent),
        rgba(style.colours.band_text),
    );
    let margin = page.margin_left * px_mm;
    let right = WIDTH as f32 - page.margin_right * px_mm;
    let mut img = RgbaImage::from_pixel(WIDTH, height, Rgba([255, 255, 255, 255]));

    let load = |names: Vec<&String>| -> Result<Fonts<'_>, String> {
        let mut faces = Vec::new();
        for n in names {
            let asset = house
                .font(n)
                .ok_or_else(|| format!("font {n} is not loaded"))?;
            faces.push(
                ttf_parser::Face::parse(&asset.bytes, 0)
                    .map_err(|e| format!("font {n} is not usable ({e})"))?,
            );
        }
        Ok(Fonts { faces })
    };
    let f = &style.fonts;
    let bold = load(
        std::iter::once(&f.sans_bold)
            .chain(&f.sans_bold_fallbacks)
            .collect(),
    )?;
    let regular = load(
        std::iter::once(&f.sans_regular)
            .chain(&f.sans_fallbacks)
            .collect(),
    )?;

    // Masthead: the logo at the margins, the wordmark beside it.
    let logo = image::load_from_memory_with_format(&house.logo.bytes, ImageFormat::Png)
        .map_err(|e| format!("the logo is not a readable PNG ({e})"))?
        .to_rgba8();
    let logo_px = mm(style.masthead.logo_height).round().max(1.0) as u32;
    let logo = imageops::resize(&logo, logo_px, logo_px, FilterType::Triangle);
    let top = page.margin_top * px_mm;
    imageops::overlay(&mut img, &logo, margin as i64, top as i64);
    let text_x = margin + logo_px as f32 + mm(style.masthead.gap);
    let m = &style.masthead;
    let centre = top + logo_px as f32 / 2.0;
    let lines = &style.organisation.lines;
    if let Some(first) = lines.first() {
        let size = pt(m.wordmark_size);
        draw(
            &mut img,
            &bold,
            first,
            text_x,
            centre - size * 0.1,
            size,
            0.0,
            blue,
        );
    }
    for (i, line) in lines.iter().enumerate().skip(1) {
        let size = pt(m.wordmark_second_size);
        let y = centre + size * (1.1 * i as f32);
        let track = m.wordmark_second_tracking;
        draw(&mut img, &regular, line, text_x, y, size, track, blue);
    }

    // The band, with the region at the left and the date at the right.
    let band_top = top + logo_px as f32 + mm(m.gap);
    let band_h = mm(style.band.height);
    fill(&mut img, band_top, band_top + band_h, blue);
    let size = pt(style.band.size);
    let base = band_top + band_h / 2.0 + size * 0.35;
    let region = region_display(&doc.meta.region);
    draw(
        &mut img,
        &regular,
        &region,
        margin,
        base,
        size,
        style.band.tracking,
        band_text,
    );
    let date = doc.meta.date.display(&doc.meta.lang);
    let w = regular.width(&date, size, 0.0);
    draw(
        &mut img,
        &regular,
        &date,
        right - w,
        base,
        size,
        0.0,
        band_text,
    );

    // The title block, shrunk until it fits above the blue field.
    // (Masthead, band, title block, then the field: the order of page 1.)
    let field_top = height as f32 * 0.68;
    let t = &style.title;
    let y0 = band_top + band_h + mm(style.band.space_after);
    let width = right - margin;
    // Shrink title and subtitle together until both fit above the field.
    let mut k = 1.0f32;
    let (title, subtitle) = loop {
        let title = wrap(&bold, &doc.meta.title, pt(t.size) * k, width);
        let sub = doc.meta.subtitle.as_deref().unwrap_or("");
        let subtitle = wrap(&regular, sub, pt(t.subtitle_size) * k, width);
        let h = title.len() as f32 * pt(t.leading) * k
            + (subtitle.len() as f32 + 0.5) * pt(t.subtitle_leading) * k;
        if y0 + h < field_top - mm(style.band.space_after) || k < 0.3 {
            break (title, subtitle);
        }
        k *= 0.9;
    };
    let mut y = y0;
    for line in &title {
        y += pt(t.leading) * k;
        draw(&mut img, &bold, line, margin, y, pt(t.size) * k, 0.0, blue);
    }
    y += pt(t.subtitle_size) * k * 0.5;
    for line in &subtitle {
        y += pt(t.subtitle_leading) * k;
        let size = pt(t.subtitle_size) * k;
        draw(&mut img, &regular, line, margin, y, size, 0.0, blue);
    }
    // The blue field under a gold rule, with the organisation's name.
    fill(&mut img, field_top - ACCENT_RULE * px_mm, field_top, accent);
    fill(&mut img, field_top, height as f32, blue);
    // The authors open the field; the title block above keeps all the white space.
    let s = pt(t.author_size) * 1.3;
    let mut y = field_top + mm(style.band.space_after);
    for a in &doc.meta.authors {
        y += s * 1.4;
        draw(&mut img, &regular, &a.name, margin, y, s, 0.0, band_text);
    }
    let s = pt(style.band.size) * 1.2;
    let name = &style.organisation.name;
    let by = height as f32 - page.margin_bottom * px_mm;
    draw(
        &mut img,
        &regular,
        name,
        margin,
        by,
        s,
        style.band.tracking,
        band_text,
    );

    encode(&img)
}

/// The cover as an 8-bit indexed PNG. The cover is flat colour plus anti-aliased
/// text, so a palette of at most 256 colours loses nothing visible; one byte per
/// pixel instead of three makes the file smaller and encoding several times faster.
/// Colours are posterised step by step (dropping low bits) until 256 suffice.
fn encode(img: &RgbaImage) -> Result<Vec<u8>, String> {
    let (w, h) = img.dimensions();
    let fail = |e: &dyn std::fmt::Display| format!("cannot encode the cover ({e})");
    for shift in 0..8u8 {
        let mask = 0xFFu8 << shift;
        let mut palette: Vec<[u8; 3]> = Vec::new();
        let mut index: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
        let mut pixels = Vec::with_capacity((w * h) as usize);
        let mut full = false;
        // Flat areas repeat the previous pixel: skip the map lookup for them.
        let mut last: Option<([u8; 3], u8)> = None;
        for p in img.pixels() {
            let c = [p.0[0] & mask, p.0[1] & mask, p.0[2] & mask];
            if let Some((lc, li)) = last {
                if lc == c {
                    pixels.push(li);
                    continue;
                }
            }
            let i = match index.get(&c) {
                Some(&i) => i,
                None if palette.len() < 256 => {
                    let i = palette.len() as u8;
                    palette.push(c);
                    index.insert(c, i);
                    i
                }
                None => {
                    full = true;
                    break;
                }
            };
            pixels.push(i);
            last = Some((c, i));
        }
        if full {
            continue;
        }
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(palette.concat());
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().map_err(|e| fail(&e))?;
        writer.write_image_data(&pixels).map_err(|e| fail(&e))?;
        writer.finish().map_err(|e| fail(&e))?;
        return Ok(out);
    }
    Err("cannot encode the cover (no palette fits)".into())
}

/// Fill full-width rows from `top` to `bottom` (pixels) with `colour`.
fn fill(img: &mut RgbaImage, top: f32, bottom: f32, colour: Rgba<u8>) {
    let (w, h) = img.dimensions();
    let (top, bottom) = (top.round().max(0.0) as u32, bottom.round().max(0.0) as u32);
    for y in top.min(h)..bottom.min(h) {
        for x in 0..w {
            img.put_pixel(x, y, colour);
        }
    }
}
