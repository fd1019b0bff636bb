//! The EPUB stylesheet, generated from the house style so colours, type scale and fonts
//! follow `branding/house.toml` like the PDF does.
//!
//! Sizes are relative (`em` of the reader's chosen body size) rather than points, so the
//! reading system's font-size setting keeps working: a house size of 22 pt over a 10 pt
//! body becomes `2.2em`. Millimetres of the page grid become `em` the same way.

use std::fmt::Write;

use super::fonts::{family_stack, WebFont};
use crate::house::{Body, House, Rgb};

/// Margin of the text on a screen, in body `em`. Screens have no page grid to take it
/// from; the band runs out into this margin as it runs off the trim edge on paper.
const SCREEN_MARGIN: f32 = 1.2;

/// Widest line of text on a large screen, in body `em`: about 70 characters of the
/// serif, the measure of the printed column's 84 mm and a comfortable book line.
const MEASURE: f32 = 34.0;

/// Below this width (in `em` of the reader's size; 30 em is a phone held upright at the
/// default size) justified text without hyphenation leaves holes, so it is set ragged
/// right, and figures take the whole width instead of a column's share.
const NARROW: f32 = 30.0;

/// Dark mode: the page and text colours, and how far the house blue is lightened
/// towards white so headings and links keep their contrast on the dark page.
const DARK_PAGE: Rgb = Rgb(0x12, 0x12, 0x12);
const DARK_TEXT: Rgb = Rgb(0xE8, 0xE6, 0xE3);
const DARK_TINT: f32 = 0.62;

/// The stylesheet for the content document; `fonts` are referred to from `css/`.
///
/// The sections are written in the order a reader meets them, a blank line between
/// each (the figures follow the body's rules without one).
pub fn css(house: &House, fonts: &[WebFont]) -> String {
    let mut out = font_faces(fonts);
    out.push('\n');
    out.push_str(&page(house));
    out.push('\n');
    out.push_str(&masthead(house));
    out.push('\n');
    out.push_str(&title_block(house));
    out.push('\n');
    out.push_str(&body_text(house));
    out.push_str(&figures(house));
    out.push('\n');
    out.push_str(&notes(house));
    out.push('\n');
    out.push_str(&bios(house));
    out.push('\n');
    out.push_str(&narrow());
    out.push('\n');
    out.push_str(&dark_mode(house));
    out
}

/// Points and millimetres as `em` of the body size.
struct Em<'a>(&'a Body);

impl Em<'_> {
    /// Points as `em` of the body size.
    fn pt(&self, v: f32) -> String {
        format!("{}em", round(v / self.0.size))
    }

    /// Millimetres as `em` of the body size.
    fn mm(&self, v: f32) -> String {
        format!("{}em", round(v * 72.0 / 25.4 / self.0.size))
    }

    /// Lines of body leading as `em` of the body size.
    fn lines(&self, n: f32) -> String {
        format!("{}em", round(n * self.0.leading / self.0.size))
    }
}

/// One `@font-face` rule a line for each embedded font.
fn font_faces(fonts: &[WebFont]) -> String {
    let mut out = String::new();
    for f in fonts {
        let _ = writeln!(
            out,
            "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: {}; \
             src: url(\"../{}\") format(\"truetype\"); }}",
            f.family,
            if f.bold { 700 } else { 400 },
            if f.italic { "italic" } else { "normal" },
            f.href
        );
    }
    out
}

/// The page: text colour, the body's type and measure, and the cover page.
fn page(house: &House) -> String {
    let s = &house.style;
    let b = &s.body;
    let text = s.colours.text.hex();
    let serif = stack(house, false, "serif");
    let m = round(SCREEN_MARGIN);
    format!(
        r#"html {{ color: {text}; }}
body {{ font-family: {serif}; line-height: {leading}; margin: 0 auto; max-width: {measure}em; padding: 0 {m}em {m}em; }}

/* The cover page: the cover image whole on the screen, centred. */
body.cover-page {{ padding: 0; max-width: none; }}
.cover {{ margin: 0; text-align: center; }}
.cover img {{ display: block; margin: 0 auto; max-width: 100%; max-height: 100vh; height: auto; }}
"#,
        leading = round(b.leading / b.size),
        measure = round(MEASURE),
    )
}

/// The masthead (mark and wordmark) and the band under it.
fn masthead(house: &House) -> String {
    let s = &house.style;
    let em = Em(&s.body);
    let blue = s.colours.blue.hex();
    let band_text = s.colours.band_text.hex();
    let sans = stack(house, true, "sans-serif");
    let m = round(SCREEN_MARGIN);
    // These two are relative to their own element's smaller type, not the body's.
    let band_h = format!("{}em", round(s.band.height * 72.0 / 25.4 / s.band.size));
    let band_m = round(SCREEN_MARGIN * s.body.size / s.band.size);
    format!(
        r#"/* Masthead: the mark at the left, the wordmark beside it. */
.masthead {{ display: flex; align-items: center; padding-top: {m}em; }}
.masthead .logo {{ height: {logo_h}; width: auto; margin-right: {gap}; }}
.wordmark p {{ margin: 0; font-family: {sans}; color: {blue}; line-height: 1.15; }}
.wordmark-1 {{ font-weight: bold; font-size: {wm1}; }}
.wordmark-2 {{ font-size: {wm2}; letter-spacing: {wm2_track}em; }}

/* Band: house blue, running into the screen margins as it runs off the trim on paper. */
.band {{ display: flex; justify-content: space-between; align-items: center;
  background-color: {blue}; color: {band_text}; font-family: {sans}; font-size: {band_size};
  min-height: {band_h}; margin: {gap} -{band_m}em {band_after}; padding: 0 {band_m}em; }}
.band p {{ margin: 0; }}
.band .region {{ letter-spacing: {band_track}em; }}
"#,
        logo_h = em.mm(s.masthead.logo_height),
        gap = em.mm(s.masthead.gap),
        wm1 = em.pt(s.masthead.wordmark_size),
        wm2 = em.pt(s.masthead.wordmark_second_size),
        wm2_track = round(s.masthead.wordmark_second_tracking),
        band_size = em.pt(s.band.size),
        band_after = em.mm(s.band.space_after),
        band_track = round(s.band.tracking),
    )
}

/// The title block: title, subtitle and author over a rule.
fn title_block(house: &House) -> String {
    let s = &house.style;
    let em = Em(&s.body);
    let blue = s.colours.blue.hex();
    let sans = stack(house, true, "sans-serif");
    format!(
        r#"/* Title block. */
.title-block {{ font-family: {sans}; border-bottom: {rule}pt solid {blue}; padding-bottom: {title_after}; margin-bottom: {title_after}; }}
h1 {{ font-size: {title}; line-height: {title_leading}; color: {blue}; font-weight: bold;
  margin: 0 0 0.3em; text-align: left; hyphens: manual; -webkit-hyphens: manual; }}
.subtitle {{ font-size: {subtitle}; line-height: {subtitle_leading}; margin: 0 0 0.6em; }}
.author {{ font-size: {author}; margin: 0; }}
"#,
        rule = round(s.title.rule_width),
        title_after = em.mm(s.title.space_after),
        title = em.pt(s.title.size),
        title_leading = round(s.title.leading / s.title.size),
        subtitle = em.pt(s.title.subtitle_size),
        subtitle_leading = round(s.title.subtitle_leading / s.title.subtitle_size),
        author = em.pt(s.title.author_size),
    )
}

/// The body: paragraphs, headings, links, lists, quotations and tables.
fn body_text(house: &House) -> String {
    let s = &house.style;
    let b = &s.body;
    let em = Em(b);
    let blue = s.colours.blue.hex();
    let text = s.colours.text.hex();
    let sans = stack(house, true, "sans-serif");
    format!(
        r#"/* Body. */
main p, main li {{ text-align: justify; hyphens: auto; -webkit-hyphens: auto; }}
main p {{ margin: 0 0 {para}; }}
h2, h3, h4, h5, h6 {{ font-family: {sans}; font-weight: bold; color: {blue}; margin: {head_space} 0 {para};
  page-break-after: avoid; break-after: avoid; hyphens: manual; -webkit-hyphens: manual; }}
h2 {{ font-size: {h2}; }}
h3 {{ font-size: {h3}; }}
h4, h5, h6 {{ font-size: {h4}; }}
a {{ color: {blue}; }}
code {{ font-family: inherit; }}
ul, ol {{ margin: 0 0 {para}; padding-left: {list_indent}; }}
ul ul, ul ol, ol ul, ol ol {{ margin-bottom: 0; }}
li::marker {{ color: {blue}; }}
li > p {{ margin: 0 0 {half_para}; }}
blockquote {{ font-style: italic; margin: 0 0 {para}; padding-left: {quote_indent}; border-left: {quote_rule}pt solid {blue}; }}
table {{ border-collapse: collapse; font-family: {sans}; font-size: {table}; margin: 0 0 {para};
  border-top: 1pt solid {text}; border-bottom: 1pt solid {text}; }}
th {{ font-weight: bold; border-bottom: 0.5pt solid {text}; text-align: left; }}
th, td {{ padding: 0.25em 0.6em; vertical-align: top; }}
.left {{ text-align: left; }}
.center {{ text-align: center; }}
.right {{ text-align: right; }}
"#,
        para = em.lines(b.paragraph_space),
        half_para = em.lines(b.paragraph_space / 2.0),
        head_space = em.lines(b.heading_space),
        h2 = em.pt(b.heading2_size),
        h3 = em.pt(b.heading3_size),
        h4 = em.pt(b.heading4_size),
        list_indent = em.mm(b.list_indent),
        quote_indent = em.mm(b.quote_indent),
        quote_rule = round(b.quote_rule),
        table = em.pt(b.table_size),
    )
}

/// Figures and their captions, the section rule and note references.
fn figures(house: &House) -> String {
    let s = &house.style;
    let b = &s.body;
    let em = Em(b);
    let accent = s.colours.accent.hex();
    let sans = stack(house, true, "sans-serif");
    format!(
        r#"figure {{ margin: {para} 0; page-break-inside: avoid; break-inside: avoid; }}
figure img {{ display: block; max-width: 100%; height: auto; }}
figure img {{ max-width: {column}%; }}
figure.wide img {{ width: 100%; max-width: 100%; }}
figcaption {{ font-family: {sans}; font-size: {caption}; margin-top: 0.4em; }}
hr {{ border: 0; border-top: 1pt solid {accent}; width: {rule_len}; margin: {para} auto; }}
a.noteref {{ font-family: {sans}; font-size: 0.7em; vertical-align: super; line-height: 0; text-decoration: none; padding-left: 0.1em; }}
"#,
        // A figure that is not wide keeps to a column's share of the text width.
        column = round(100.0 * s.column_width() / s.text_width().max(1.0)),
        para = em.lines(b.paragraph_space),
        caption = em.pt(b.caption_size),
        rule_len = em.mm(b.rule_length),
    )
}

/// The notes at the end, numbered in the margin.
fn notes(house: &House) -> String {
    let s = &house.style;
    let b = &s.body;
    let em = Em(b);
    let text = s.colours.text.hex();
    let sans = stack(house, true, "sans-serif");
    // Relative to the notes' own smaller type, not the body's.
    let notes_h = format!("{}em", round(b.heading2_size / b.note_size));
    format!(
        r#"/* Notes: numbers in the margin link back to the references. */
.notes {{ font-family: {sans}; font-size: {note}; border-top: {hair}pt solid {text}; margin-top: {head_space}; }}
.notes h2 {{ font-size: {notes_h}; }}
.note-list {{ list-style: none; margin: 0; padding: 0; }}
.note-list li {{ position: relative; padding-left: 2.2em; margin-bottom: 0.4em; }}
.note-list p {{ margin: 0; text-align: left; }}
.note-list .note-marks {{ position: absolute; left: 0; top: 0; }}
.note-marks a {{ text-decoration: none; font-weight: bold; }}
a.note-back {{ font-size: 0.75em; vertical-align: super; line-height: 0; text-decoration: none; }}
"#,
        note = em.pt(b.note_size),
        hair = round(s.furniture.hairline),
        head_space = em.lines(b.heading_space),
    )
}

/// The authors' bios.
fn bios(house: &House) -> String {
    let s = &house.style;
    let b = &s.body;
    let em = Em(b);
    let text = s.colours.text.hex();
    let sans = stack(house, true, "sans-serif");
    format!(
        r#"/* Bios: name in sans bold, a dash, the bio in serif italic. */
.bios {{ border-top: {rule}pt solid {text}; margin-top: {head_space}; padding-top: {para}; font-size: {bio}; line-height: {bio_leading}; }}
.bio {{ margin: 0 0 {para}; }}
.bio-name {{ font-family: {sans}; font-weight: bold; }}
.bio-text {{ font-style: italic; }}
"#,
        rule = round(s.title.rule_width),
        head_space = em.lines(b.heading_space),
        para = em.lines(b.paragraph_space),
        bio = em.pt(s.bios.size),
        bio_leading = round(s.bios.leading / s.bios.size),
    )
}

/// Narrow screens: ragged right, figures the whole width.
fn narrow() -> String {
    format!(
        r#"/* Narrow screens: ragged right (reading systems rarely hyphenate), figures full width. */
@media (max-width: {narrow}em) {{
  main p, main li {{ text-align: left; }}
  figure img {{ max-width: 100%; }}
}}
"#,
        narrow = round(NARROW),
    )
}

/// Dark mode: a dark page, light text and the house blue lightened.
fn dark_mode(house: &House) -> String {
    format!(
        r#"/* Dark mode: a dark page, light text, the house blue lightened; the logo (dark marks on
   white) is inverted with its hues kept, and blended with `lighten` so its background,
   black once inverted, takes the page's colour: no square shows around it. The band
   keeps its colours: white on house blue reads on either page. */
@media (prefers-color-scheme: dark) {{
  html {{ color: {dark_text}; background-color: {dark_page}; }}
  .wordmark p, h1, h2, h3, h4, h5, h6, a, li::marker, .note-marks a {{ color: {dark_blue}; }}
  .title-block, blockquote {{ border-color: {dark_blue}; }}
  table, th, .notes, .bios {{ border-color: {dark_text}; }}
  .masthead .logo {{ filter: invert(1) hue-rotate(180deg); mix-blend-mode: lighten; }}
}}
"#,
        dark_page = DARK_PAGE.hex(),
        dark_text = DARK_TEXT.hex(),
        dark_blue = tint(house.style.colours.blue, DARK_TINT).hex(),
    )
}

/// A CSS `font-family` list: the house family, its fallbacks, a generic family.
fn stack(house: &House, sans: bool, generic: &str) -> String {
    let mut parts: Vec<String> = family_stack(house, sans)
        .into_iter()
        .map(|f| format!("\"{f}\""))
        .collect();
    parts.push(generic.to_owned());
    parts.join(", ")
}

/// `c` moved the fraction `t` of the way towards white.
fn tint(c: Rgb, t: f32) -> Rgb {
    let mix = |v: u8| (f32::from(v) + (255.0 - f32::from(v)) * t).round() as u8;
    Rgb(mix(c.0), mix(c.1), mix(c.2))
}

/// A number with at most three decimals and no trailing zeros, for stable output.
fn round(v: f32) -> String {
    let s = format!("{:.3}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_owned()
    }
}
