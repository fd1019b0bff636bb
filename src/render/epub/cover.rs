//! The cover image: a PNG drawn from the house style, the same every time.
//!
//! Without a text rasteriser the cover carries no words; it shows the page-1 head in
//! shapes: the logo on white, the house-blue band, and a blue field below a gold rule.
//! Its alt text (in the cover page) gives the title.

use image::imageops::{self, FilterType};
use image::{ImageFormat, Rgba, RgbaImage};

use crate::house::Style;

/// Width of the cover in pixels; the height follows the house page proportions.
const WIDTH: u32 = 1200;
/// Thickness of the gold rule above the blue field, in mm; the cover has no counterpart
/// in the page layout, so it is not a house setting.
const ACCENT_RULE: f32 = 1.5;

/// Draw the cover as PNG bytes from the house style and the logo's PNG bytes.
pub fn cover(style: &Style, logo_png: &[u8]) -> Result<Vec<u8>, String> {
    let page = &style.page;
    let px_per_mm = WIDTH as f32 / page.width.max(1.0);
    let height = (page.height * px_per_mm)
        .round()
        .clamp(1.0, 4.0 * WIDTH as f32) as u32;
    let px = |mm: f32| (mm * px_per_mm).round().max(0.0) as u32;
    let rgba = |c: crate::house::Rgb| Rgba([c.0, c.1, c.2, 255]);
    let white = Rgba([255, 255, 255, 255]);
    let blue = rgba(style.colours.blue);
    let accent = rgba(style.colours.accent);

    let mut img = RgbaImage::from_pixel(WIDTH, height, white);
    // The band sits where it sits on page 1, below the masthead.
    let band_top = px(style.masthead.bottom);
    let band_bottom = band_top + px(style.band.height);
    fill(&mut img, band_top, band_bottom, blue);
    // A blue field for the lower part of the cover, under a gold rule.
    let field_top = height * 3 / 5;
    fill(
        &mut img,
        field_top.saturating_sub(px(ACCENT_RULE)),
        field_top,
        accent,
    );
    fill(&mut img, field_top, height, blue);

    // The logo: at the masthead position, and large in the middle of the white area.
    let logo = image::load_from_memory_with_format(logo_png, ImageFormat::Png)
        .map_err(|e| format!("the logo is not a readable PNG ({e})"))?
        .to_rgba8();
    let small = px(style.masthead.logo_height).max(1);
    let small_logo = imageops::resize(&logo, small, small, FilterType::Triangle);
    let masthead_y = px(style.page.margin_top).min(band_top.saturating_sub(small));
    imageops::overlay(
        &mut img,
        &small_logo,
        i64::from(px(page.margin_left)),
        i64::from(masthead_y),
    );
    let space = field_top.saturating_sub(band_bottom);
    let big = (space * 3 / 5).max(1);
    let big_logo = imageops::resize(&logo, big, big, FilterType::Triangle);
    imageops::overlay(
        &mut img,
        &big_logo,
        i64::from((WIDTH - big.min(WIDTH)) / 2),
        i64::from(band_bottom + space.saturating_sub(big) / 2),
    );

    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(img)
        .to_rgb8()
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| format!("cannot encode the cover ({e})"))?;
    Ok(out.into_inner())
}

/// Fill full-width rows `top..bottom` with `colour`.
fn fill(img: &mut RgbaImage, top: u32, bottom: u32, colour: Rgba<u8>) {
    let (w, h) = img.dimensions();
    for y in top.min(h)..bottom.min(h) {
        for x in 0..w {
            img.put_pixel(x, y, colour);
        }
    }
}
