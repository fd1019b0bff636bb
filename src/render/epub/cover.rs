//! The cover image: page 1's head redrawn as an SVG, the same bytes every time.
//!
//! Masthead (logo and wordmark), the house-blue band with region and date, the title
//! block in house blue on white, then a blue field under a gold rule with the authors
//! and the organisation's name. Sizes are the house sizes scaled up, since a cover is
//! mostly seen as a thumbnail; the title and subtitle keep page 1's lines (the PDF's
//! Knuth–Plass breaks), scaled down as far as the longest line needs. Type is drawn as glyph outlines of the house fonts (see
//! [`super::outline`]), so the cover needs no fonts from the reading system and its
//! words are not text of the EPUB; the logo is embedded as a `data:` URL, because an
//! SVG shown through `<img>` may not load other files.

use base64::Engine as _;

use super::outline::{Fonts, Glyphs, Run};
use super::xml::Xml;
use crate::content::region_display;
use crate::house::{House, Rgb, Style};
use crate::model::Document;
use crate::render::pdf::head::TitleBlock;

/// Width of the cover in SVG user units; the height follows the house page proportions.
const WIDTH: f32 = 1200.0;
/// How much larger than on page 1 the cover sets the head.
const SCALE: f32 = 2.0;
/// Thickness of the gold rule above the blue field, in mm of the page.
const ACCENT_RULE: f32 = 1.5;
/// The eight bytes every PNG file starts with.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Draw the cover of `doc` as SVG bytes; `label` is its text alternative. The title and
/// subtitle are broken into lines by page 1's own line breaking
/// ([`crate::render::pdf::head::title_block`]), at the cover's larger type.
pub fn cover(doc: &Document, house: &House, label: &str) -> Result<Vec<u8>, String> {
    let title = crate::render::pdf::head::title_block(doc, house, SCALE);
    let layout = Layout::new(house)?;
    if !house.logo.bytes.starts_with(PNG_SIGNATURE) {
        return Err("the logo is not a PNG file".into());
    }

    let mut svg = Svg::new(WIDTH, layout.height, label);
    svg.rect(0.0, layout.height, Rgb(255, 255, 255).hex());
    let (mut runs, band_top) = layout.masthead(&mut svg, &house.logo.bytes);
    layout.title_block(&title, band_top, &mut runs);
    svg.text(&runs, house.style.colours.blue.hex());
    layout.band(&mut svg, doc, band_top);
    layout.field(&mut svg, doc);
    svg.finish()
}

/// Page 1's head measured for the cover, in user units, with the house's sans faces.
struct Layout<'a> {
    style: &'a Style,
    /// User units per millimetre of the page.
    px_mm: f32,
    height: f32,
    /// The page margins, left and right.
    margin: f32,
    right: f32,
    /// The top of the blue field.
    field_top: f32,
    bold: Fonts<'a>,
    regular: Fonts<'a>,
}

impl<'a> Layout<'a> {
    /// The cover's measures and fonts for `house`; fails when a font is not usable.
    fn new(house: &'a House) -> Result<Layout<'a>, String> {
        let style = &house.style;
        let page = &style.page;
        let px_mm = WIDTH / page.width.max(1.0);
        let height = (page.height * px_mm).round().clamp(1.0, 4.0 * WIDTH);
        let margin = page.margin_left * px_mm;
        let right = WIDTH - page.margin_right * px_mm;
        let f = &style.fonts;
        let bold = Fonts::load(
            house,
            std::iter::once(&f.sans_bold).chain(&f.sans_bold_fallbacks),
        )?;
        let regular = Fonts::load(
            house,
            std::iter::once(&f.sans_regular).chain(&f.sans_fallbacks),
        )?;
        Ok(Layout {
            style,
            px_mm,
            height,
            margin,
            right,
            field_top: height * 0.68,
            bold,
            regular,
        })
    }

    /// Millimetres of page 1, scaled for the cover, in user units.
    fn mm(&self, v: f32) -> f32 {
        v * self.px_mm * SCALE
    }

    /// Points of page 1, scaled for the cover, in user units.
    fn pt(&self, v: f32) -> f32 {
        v * 25.4 / 72.0 * self.px_mm * SCALE
    }

    /// Draw the logo; returns the wordmark's runs and the top of the band below.
    fn masthead(&self, svg: &mut Svg, logo: &[u8]) -> (Vec<(&Fonts<'a>, Run<'_>)>, f32) {
        let style = self.style;
        let margin = self.margin;
        // Masthead: the logo at the margins, the wordmark beside it.
        let m = &style.masthead;
        let logo_size = self.mm(m.logo_height).round().max(1.0);
        let top = style.page.margin_top * self.px_mm;
        svg.png(logo, margin, top, logo_size);
        let text_x = margin + logo_size + self.mm(m.gap);
        let centre = top + logo_size / 2.0;
        let mut runs = Vec::new();
        let lines = &style.organisation.lines;
        if let Some(first) = lines.first() {
            let size = self.pt(m.wordmark_size);
            runs.push((
                &self.bold,
                run(first, text_x, centre - size * 0.1, size, 0.0),
            ));
        }
        for (i, line) in lines.iter().enumerate().skip(1) {
            let size = self.pt(m.wordmark_second_size);
            let y = centre + size * (1.1 * i as f32);
            let r = run(line, text_x, y, size, m.wordmark_second_tracking);
            runs.push((&self.regular, r));
        }
        let band_top = top + logo_size + self.mm(m.gap);
        (runs, band_top)
    }

    /// Add the runs of the title and subtitle, set below the band at `band_top`, to `runs`.
    fn title_block<'r>(
        &'r self,
        title: &'r TitleBlock,
        band_top: f32,
        runs: &mut Vec<(&'r Fonts<'a>, Run<'r>)>,
    ) {
        let style = self.style;
        let (margin, field_top) = (self.margin, self.field_top);
        let (bold, regular) = (&self.bold, &self.regular);
        // The title block in the lines page 1's breaking gives at this size (`title`),
        // scaled down until the longest line fits across the cover and title and subtitle
        // fit above the blue field. (Masthead, band, title block, then the field: the
        // order of page 1.)
        let band_h = self.mm(style.band.height);
        let t = &style.title;
        let y0 = band_top + band_h + self.mm(style.band.space_after);
        let width = self.right - margin;
        // Page 1's sizes and leadings, scaled for the cover; a long title is set smaller
        // there, and so it is here.
        let shrunk = title.title_size / t.size.max(1.0);
        let (size, leading) = (self.pt(title.title_size), self.pt(t.leading * shrunk));
        let (sub_size, sub_leading) = (self.pt(t.subtitle_size), self.pt(t.subtitle_leading));
        let widest = |fonts: &Fonts<'_>, lines: &[String], size: f32| {
            lines
                .iter()
                .map(|l| fonts.width(l, size, 0.0))
                .fold(0.0f32, f32::max)
        };
        let widest =
            widest(bold, &title.title, size).max(widest(regular, &title.subtitle, sub_size));
        let mut k = if widest > width { width / widest } else { 1.0 };
        loop {
            let h = title.title.len() as f32 * leading * k
                + (title.subtitle.len() as f32 + 0.5) * sub_leading * k;
            if y0 + h < field_top - self.mm(style.band.space_after) || k < 0.3 {
                break;
            }
            k *= 0.9;
        }
        let mut y = y0;
        for line in &title.title {
            y += leading * k;
            runs.push((bold, run(line, margin, y, size * k, 0.0)));
        }
        y += sub_size * k * 0.5;
        for line in &title.subtitle {
            y += sub_leading * k;
            runs.push((regular, run(line, margin, y, sub_size * k, 0.0)));
        }
    }

    /// Draw the band, from `band_top`, with the region and the date of `doc`.
    fn band(&self, svg: &mut Svg, doc: &Document, band_top: f32) {
        let style = self.style;
        let regular = &self.regular;
        // The band, with the region at the left and the date at the right.
        let band_h = self.mm(style.band.height);
        svg.rect(band_top, band_top + band_h, style.colours.blue.hex());
        let size = self.pt(style.band.size);
        let base = band_top + band_h / 2.0 + size * 0.35;
        let region = region_display(&doc.meta.region, &doc.meta.lang);
        let date = doc.meta.date.display(&doc.meta.lang);
        let date_x = self.right - regular.width(&date, size, 0.0);
        let mut band = vec![(
            regular,
            run(&region, self.margin, base, size, style.band.tracking),
        )];
        band.push((regular, run(&date, date_x, base, size, 0.0)));
        svg.text(&band, style.colours.band_text.hex());
    }

    /// Draw the blue field with its gold rule, the authors of `doc` and the organisation.
    fn field(&self, svg: &mut Svg, doc: &Document) {
        let style = self.style;
        let (px_mm, height, margin) = (self.px_mm, self.height, self.margin);
        let (field_top, regular) = (self.field_top, &self.regular);
        // The blue field under a gold rule: the authors open it, the organisation's name
        // closes it, and the title block above keeps all the white space.
        svg.rect(
            field_top - ACCENT_RULE * px_mm,
            field_top,
            style.colours.accent.hex(),
        );
        svg.rect(field_top, height, style.colours.blue.hex());
        let s = self.pt(style.title.author_size) * 1.3;
        let mut y = field_top + self.mm(style.band.space_after);
        let mut field = Vec::new();
        for a in &doc.meta.authors {
            y += s * 1.4;
            field.push((regular, run(&a.name, margin, y, s, 0.0)));
        }
        let s = self.pt(style.band.size) * 1.2;
        let by = height - style.page.margin_bottom * px_mm;
        let name = &style.organisation.name;
        field.push((regular, run(name, margin, by, s, style.band.tracking)));
        svg.text(&field, style.colours.band_text.hex());
    }
}

fn run(text: &str, x: f32, y: f32, size: f32, tracking: f32) -> Run<'_> {
    Run {
        text,
        x,
        y,
        size,
        tracking,
    }
}

/// A number in user units, to a tenth, without trailing zeros.
fn num(v: f32) -> String {
    let v = (v * 10.0).round() / 10.0;
    format!("{v}")
}

/// The SVG document being drawn, in painting order. The glyph definitions go first
/// (`<defs>`), so the body is written apart and joined on at the end.
struct Svg {
    head: Xml,
    body: Xml,
    glyphs: Glyphs,
    width: f32,
}

impl Svg {
    fn new(width: f32, height: f32, label: &str) -> Svg {
        let mut head = Xml::new();
        let (w, h) = (num(width), num(height));
        head.open(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
                ("version", "1.1"),
                ("width", &w),
                ("height", &h),
                ("viewBox", &format!("0 0 {w} {h}")),
                ("role", "img"),
                ("aria-labelledby", "cover-title"),
            ],
        );
        head.nl();
        head.leaf("title", &[("id", "cover-title")], label);
        head.nl();
        Svg {
            head,
            body: Xml::fragment(),
            glyphs: Glyphs::default(),
            width,
        }
    }

    /// A full-width rectangle from `top` to `bottom`, edges on whole units so they
    /// stay sharp at the cover's own size.
    fn rect(&mut self, top: f32, bottom: f32, fill: String) {
        let (top, bottom) = (top.round().max(0.0), bottom.round().max(0.0));
        if bottom <= top {
            return;
        }
        let attrs = [
            ("y", num(top)),
            ("width", num(self.width)),
            ("height", num(bottom - top)),
            ("fill", fill),
        ];
        self.empty("rect", &attrs);
    }

    /// A square PNG image at `(x, y)`, `size` units wide and high, embedded.
    fn png(&mut self, bytes: &[u8], x: f32, y: f32, size: f32) {
        let href = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        );
        let attrs = [
            ("x", num(x)),
            ("y", num(y)),
            ("width", num(size)),
            ("height", num(size)),
            ("preserveAspectRatio", "none".to_owned()),
            ("xlink:href", href),
        ];
        self.empty("image", &attrs);
    }

    /// The glyphs of `runs`, filled in `fill`: one group per run, scaled to its size,
    /// placing the glyph definitions along the baseline.
    fn text(&mut self, runs: &[(&Fonts<'_>, Run<'_>)], fill: String) {
        let placed: Vec<(&Run<'_>, Vec<(usize, f32)>)> = runs
            .iter()
            .map(|(fonts, r)| (r, self.glyphs.place(fonts, r)))
            .filter(|(_, p)| !p.is_empty())
            .collect();
        if placed.is_empty() {
            return;
        }
        self.body.open("g", &[("fill", &fill)]);
        self.body.nl();
        for (r, glyphs) in placed {
            let transform = format!(
                "translate({} {}) scale({})",
                num(r.x),
                num(r.y),
                scale(r.size / 1000.0)
            );
            self.body.open("g", &[("transform", &transform)]);
            for (id, x) in glyphs {
                let href = format!("#g{id}");
                self.body
                    .empty("use", &[("xlink:href", &href), ("x", &num(x))]);
            }
            self.body.close("g");
            self.body.nl();
        }
        self.body.close("g");
        self.body.nl();
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, String)]) {
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.body.empty(name, &attrs);
        self.body.nl();
    }

    fn finish(mut self) -> Result<Vec<u8>, String> {
        self.head.open("defs", &[]);
        self.head.nl();
        for (id, d) in self.glyphs.defs() {
            self.head
                .empty("path", &[("id", &format!("g{id}")), ("d", d)]);
            self.head.nl();
        }
        self.head.close("defs");
        self.head.nl();
        let mut out = self.head.finish()?;
        out.extend_from_slice(&self.body.finish()?);
        out.extend_from_slice(b"</svg>\n");
        Ok(out)
    }
}

/// A scale factor to six decimals, without trailing zeros.
fn scale(v: f32) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_rfc_4648() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in cases {
            assert_eq!(
                base64::engine::general_purpose::STANDARD.encode(plain.as_bytes()),
                coded
            );
        }
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1200.0), "1200");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(0.04), "0");
    }

    #[test]
    fn scales_keep_six_decimals() {
        assert_eq!(scale(0.044_444_44), "0.044444");
        assert_eq!(scale(0.5), "0.5");
        assert_eq!(scale(2.0), "2");
        assert_eq!(scale(0.0), "0");
    }

    #[test]
    fn cover_glyphs_are_defined_before_use_and_every_use_resolves() -> Result<(), String> {
        let house = crate::house::builtin().map_err(|e| e.to_string())?;
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("source/2016-11-china-tajikistan.md");
        let coverage = crate::fonts::Coverage::of_house(&house);
        let doc = crate::parse::parse_file(&source, &coverage).map_err(|e| e.to_string())?;
        let svg = String::from_utf8(cover(&doc, &house, "alt")?).map_err(|e| e.to_string())?;
        assert!(!svg.contains("<text"), "type is drawn, never set as text");
        let defs_end = svg.find("</defs>").ok_or("no defs")?;
        let defined: Vec<&str> = svg[..defs_end]
            .split("<path id=\"")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .collect();
        let used: Vec<&str> = svg
            .split("xlink:href=\"#")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .collect();
        assert!(
            defined.len() > 20 && used.len() > defined.len(),
            "{} {}",
            defined.len(),
            used.len()
        );
        assert!(
            used.iter().all(|u| defined.contains(u)),
            "every <use> has its path"
        );
        assert!(
            svg.find("<use").is_some_and(|u| u > defs_end),
            "definitions come first"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        Ok(())
    }
}
