//! The page-1 head (masthead with logo and wordmark, the full-bleed band, the title
//! block) and the running furniture of every page (header from page 2, footer).

use super::body::{HAlign, Setter, MM};
use super::flow::{Draw, Elem, Run};
use super::shape::{Shaper, Style};
use super::tags::ROOT;
use crate::content::{header_title_display, region_display};
use crate::fonts::FontBook;
use crate::house::House;
use crate::model::Document;

/// Page 1's title block as broken into lines: the PDF sets it so, and the EPUB's cover
/// draws the same lines ([`title_block`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TitleBlock {
    /// The title's lines.
    pub title: Vec<String>,
    /// The size the title is set at on page 1, in pt: the house's `title.size`, or
    /// smaller for a long title.
    pub title_size: f32,
    /// The subtitle's lines; none without a subtitle.
    pub subtitle: Vec<String>,
}

/// How the head of page 1 breaks `doc`'s title and subtitle into lines (Knuth–Plass,
/// with the head's rules), for an edition that shows page 1's head in its own way: at
/// `enlarged` times page 1's type across the same width (1: page 1's own lines; the
/// EPUB cover sets its type twice as large, so its lines are the ones page 1 would
/// break at half its measure).
pub fn title_block(doc: &Document, house: &House, enlarged: f32) -> TitleBlock {
    let h = &house.style;
    let book = FontBook::new(house);
    let shaper = Shaper::new(&book, &doc.meta.lang, false, &h.typeset);
    let setter = Setter {
        shaper: &shaper,
        house: h,
        figures: Vec::new(),
        image_base: 1,
        tags: std::cell::RefCell::new(super::tags::Tree::new()),
        unfit: std::cell::RefCell::new(Vec::new()),
        labels: h.labels.words(&doc.meta.lang),
    };
    let tw = setter.block_width() / enlarged.max(1.0);
    let (lines, title_size) = setter.title_lines(
        doc.meta.title.clone(),
        setter.sans(h.title.size, true),
        (setter.title_top(), setter.under_title(doc)),
        tw,
    );
    let subtitle = doc.meta.subtitle.iter().flat_map(|s| {
        let p = [(s.clone(), setter.sans(h.title.subtitle_size, false))];
        setter.lines(&p, tw, 0.0, h.title.subtitle_leading, HAlign::Left, false)
    });
    TitleBlock {
        title: lines.iter().map(line_text).collect(),
        title_size,
        subtitle: subtitle.map(|l| line_text(&l)).collect(),
    }
}

/// The text a set line shows, as its glyphs carry it (an inserted hyphen left out).
fn line_text(line: &Elem) -> String {
    let mut out = String::new();
    for d in &line.draws {
        if let Draw::Text { runs, .. } = d {
            for r in runs.iter().filter(|r| !r.hyphen) {
                for g in &r.chunk.glyphs {
                    out.push_str(&g.text);
                }
            }
        }
    }
    out.trim().to_owned()
}

impl Setter<'_, '_, '_> {
    fn runs(&self, text: &str, style: &Style) -> (Vec<Run>, f32) {
        let chunks = self.shaper.chunks(text, style);
        let w = chunks.iter().map(|c| c.width()).sum();
        let runs = chunks
            .into_iter()
            .map(|chunk| Run {
                chunk,
                extra: 0.0,
                hyphen: false,
            })
            .collect();
        (runs, w)
    }

    /// Text set on one line with real spaces between words (each word shaped apart
    /// so the spaces are glyphs of their own).
    fn one_line(&self, text: &str, style: &Style) -> (Vec<Run>, f32) {
        let p = vec![(text.to_owned(), style.clone())];
        let lines = self.unbroken(&p, 0.0, style.size);
        let mut runs = Vec::new();
        for l in lines {
            for d in l.draws {
                if let Draw::Text { runs: r, .. } = d {
                    runs.extend(r);
                }
            }
        }
        let w = runs.iter().map(|r| r.chunk.width() + r.extra).sum();
        (runs, w)
    }

    /// The page-1 head; returns its drawings and where the body columns start (pt).
    pub fn head(&self, doc: &Document, logo_px: (u32, u32)) -> (Vec<Draw>, f32) {
        let h = self.house;
        let mut d = Vec::new();
        self.masthead(logo_px, &mut d);
        self.band(doc, &mut d);
        let mut y = self.title_block(doc, &mut d);
        // The title is set smaller until the head fits above the foot of the text
        // area (`title_lines`), but not below the body's size: past that, the head's
        // last words would be painted over the footer and off the page, where no
        // reader sees them, and `check` would rightly refuse the edition. Say so
        // instead, as for a table too wide for its column.
        let bottom = (h.page.height - h.page.margin_bottom) * MM;
        if y > bottom {
            self.unfit.borrow_mut().push(super::body::Unfit {
                at: crate::error::SourceAt::Key("title"),
                why: unfit_head(&doc.meta.title, y - bottom, h.body.size),
                fix: "shorten the title (what it leaves out can open the first paragraph)".into(),
            });
        }
        y += 4.0;
        let left = h.page.margin_left * MM;
        let right = (h.page.width - h.page.margin_right) * MM;
        d.push(Draw::Rule {
            x1: left,
            y1: y,
            x2: right,
            y2: y,
            width: h.title.rule_width,
            color: h.colours.blue,
        });
        (d, y + h.title.space_after * MM)
    }

    /// Masthead: logo bottom-aligned on `masthead.bottom`, wordmark beside it.
    fn masthead(&self, logo_px: (u32, u32), d: &mut Vec<Draw>) {
        let h = self.house;
        let left = h.page.margin_left * MM;
        let lh = h.masthead.logo_height * MM;
        let lw = lh * logo_px.0.max(1) as f32 / logo_px.1.max(1) as f32;
        let ltop = (h.masthead.bottom - h.masthead.logo_height) * MM;
        d.push(Draw::Image {
            index: 0,
            x: left,
            y: ltop,
            w: lw,
            h: lh,
            node: None,
        });
        let wx = left + lw + h.masthead.gap * MM;
        let mut y = ltop + lh / 2.0 - 1.0;
        for (i, line) in h.organisation.lines.iter().enumerate() {
            let mut s = if i == 0 {
                self.sans(h.masthead.wordmark_size, true)
            } else {
                let mut s = self.sans(h.masthead.wordmark_second_size, false);
                s.tracking = h.masthead.wordmark_second_tracking * s.size;
                s
            };
            s.color = h.colours.blue;
            s.node = self.tag(ROOT, "P");
            let (runs, _) = self.one_line(line, &s);
            d.push(Draw::Text { x: wx, y, runs });
            y += h.masthead.wordmark_second_size * 1.5;
        }
    }

    /// Band: full bleed, region left and date right.
    fn band(&self, doc: &Document, d: &mut Vec<Draw>) {
        let h = self.house;
        let left = h.page.margin_left * MM;
        let right = (h.page.width - h.page.margin_right) * MM;
        let btop = (h.masthead.bottom + h.masthead.gap) * MM;
        let bh = h.band.height * MM;
        let bleed = h.page.bleed * MM;
        d.push(Draw::Rect {
            x: -bleed,
            y: btop,
            w: h.page.width * MM + 2.0 * bleed,
            h: bh,
            color: h.colours.blue,
        });
        let mut bs = self.sans(h.band.size, false);
        bs.color = h.colours.band_text;
        let base = btop + bh / 2.0 + h.band.size * 0.35;
        let mut rs = bs.clone();
        rs.node = self.tag(ROOT, "P");
        rs.tracking = h.band.tracking * h.band.size;
        let (runs, _) = self.one_line(&region_display(&doc.meta.region, &doc.meta.lang), &rs);
        d.push(Draw::Text {
            x: left,
            y: base,
            runs,
        });
        bs.node = self.tag(ROOT, "P");
        let (runs, w) = self.one_line(&doc.meta.date.display(&doc.meta.lang), &bs);
        d.push(Draw::Text {
            x: right - w,
            y: base,
            runs,
        });
    }

    /// Title block: ragged, never hyphenated; title, subtitle, then the authors' names.
    /// Returns the baseline position below its last line (pt from the top).
    fn title_block(&self, doc: &Document, d: &mut Vec<Draw>) -> f32 {
        let h = self.house;
        let left = h.page.margin_left * MM;
        let right = (h.page.width - h.page.margin_right) * MM;
        let tw = right - left;
        let mut y = self.title_top();
        let mut ts = self.sans(h.title.size, true);
        ts.color = h.colours.blue;
        // The title is the document's `H1`; subtitle and names are paragraphs.
        ts.node = self.tag(ROOT, "H1");
        // What follows the title is set first, once: its height is what the title is
        // fitted against.
        let under = self.under_lines(doc, true);
        let below = under_height(&under);
        let (title, _) = self.title_lines(doc.meta.title.clone(), ts, (y, below), tw);
        let mut set = |lines: Vec<Elem>, y: &mut f32| {
            for l in lines {
                for dr in &l.draws {
                    if let Draw::Text { x, y: by, runs } = dr {
                        d.push(Draw::Text {
                            x: left + x,
                            y: *y + by,
                            runs: runs.clone(),
                        });
                    }
                }
                *y += l.height;
            }
        };
        set(title, &mut y);
        y += TITLE_GAP;
        for (gap, lines) in under {
            y += gap;
            set(lines, &mut y);
        }
        y
    }

    /// What page 1's head sets under the title (below [`TITLE_GAP`]), in order: the
    /// subtitle, then the authors' names, each with the gap above it (4 pt before the
    /// first name), its text, style and leading.
    fn under_blocks(&self, doc: &Document) -> Vec<(f32, String, Style, f32)> {
        let h = self.house;
        let subtitle = doc.meta.subtitle.iter().map(|s| {
            let style = self.sans(h.title.subtitle_size, false);
            (s.clone(), style, h.title.subtitle_leading)
        });
        let names = doc.meta.authors.iter().map(|a| {
            let style = self.sans(h.title.author_size, false);
            (a.name.clone(), style, h.title.author_size * 1.3)
        });
        let mut gap = 0.0;
        let mut authors_started = false;
        let mut out = Vec::new();
        for (text, style, lead) in subtitle.chain(names) {
            if style.size == h.title.author_size && !authors_started {
                // A little air between the title (or subtitle) and the names.
                gap += 4.0;
                authors_started = true;
            }
            out.push((std::mem::take(&mut gap), text, style, lead));
        }
        out
    }

    /// [`Self::under_blocks`] set across the text block, each with the gap above it;
    /// `tagged`, each block a paragraph of the structure (the head that is set), else
    /// without structure elements (only to be measured).
    fn under_lines(&self, doc: &Document, tagged: bool) -> Vec<(f32, Vec<Elem>)> {
        let w = self.block_width();
        self.under_blocks(doc)
            .into_iter()
            .map(|(gap, text, mut style, lead)| {
                if tagged {
                    style.node = self.tag(ROOT, "P");
                }
                let lines = self.lines(&[(text, style)], w, 0.0, lead, HAlign::Left, false);
                (gap, lines)
            })
            .collect()
    }

    /// The height (pt) that page 1's head sets under the title: [`TITLE_GAP`], then
    /// [`Self::under_blocks`], measured only.
    fn under_title(&self, doc: &Document) -> f32 {
        under_height(&self.under_lines(doc, false))
    }

    /// Where the title block starts on page 1: below the band (pt from the top).
    fn title_top(&self) -> f32 {
        let h = self.house;
        // Summed as the head adds them up, so the two agree to the last bit.
        (h.masthead.bottom + h.masthead.gap) * MM + h.band.height * MM + h.band.space_after * MM
    }

    /// Width of the text block (pt), as the head measures it.
    fn block_width(&self) -> f32 {
        let p = &self.house.page;
        (p.width - p.margin_right) * MM - p.margin_left * MM
    }

    /// The title set in `style` across the text block from `y` down (ragged, never
    /// hyphenated), one element per line, and the size it is set at: a title longer
    /// than `title.max_lines` is set smaller, down to three quarters of its size, rather
    /// than pushing the body off page 1; one that even so would push what follows it
    /// (`below` pt: subtitle and names, [`Self::under_title`]) below the text area is
    /// set smaller still until all of it fits, down to the size of the body text, since
    /// words painted over the footer or off the page are lost to a reader. (Only titles
    /// of some thousands of characters come to that; one that does not fit even then is
    /// refused in [`Self::head`].) These are the title's lines in every edition: the
    /// EPUB's cover draws them as they are ([`title_block`]).
    fn title_lines(
        &self,
        text: String,
        style: Style,
        (y, below): (f32, f32),
        tw: f32,
    ) -> (Vec<Elem>, f32) {
        let h = self.house;
        let lead = h.title.leading;
        let mut p = vec![(text, style)];
        let mut lines = self.lines(&p, tw, 0.0, lead, HAlign::Left, false);
        let (size0, max) = (h.title.size, usize::from(h.title.max_lines.max(1)));
        while lines.len() > max && p[0].1.size > size0 * 0.75 {
            p[0].1.size -= 1.0;
            let lead = lead * p[0].1.size / size0;
            lines = self.lines(&p, tw, 0.0, lead, HAlign::Left, false);
        }
        let bottom = (h.page.height - h.page.margin_bottom) * MM;
        let height = |lines: &[Elem]| lines.iter().map(|l| l.height).sum::<f32>();
        while y + height(&lines) + below > bottom && p[0].1.size - 1.0 >= h.body.size {
            p[0].1.size -= 1.0;
            let lead = lead * p[0].1.size / size0;
            lines = self.lines(&p, tw, 0.0, lead, HAlign::Left, false);
        }
        (lines, p[0].1.size)
    }

    /// The parts of the running header and footer that every page shares, set once
    /// per brief: a long brief has hundreds of pages, and fitting the title into the
    /// header shapes it once per character it loses.
    pub fn running(&self, doc: &Document) -> Running {
        let h = self.house;
        let left = h.page.margin_left * MM;
        let right = (h.page.width - h.page.margin_right) * MM;
        let mut s = self.sans(h.furniture.size, false);
        s.artifact = true;
        let tail = format!(
            "{} \u{00B7} {}",
            region_display(&doc.meta.region, &doc.meta.lang),
            doc.meta.date.display(&doc.meta.lang)
        );
        let (tail, tail_width) = self.one_line(&tail, &s);
        let room = (right - left) - tail_width - 8.0 * MM;
        let shown = header_title_display(&doc.meta.title, &doc.meta.lang, h);
        let title = self.header_title(&shown, &s, room);
        let (footer, _) = self.one_line(&h.organisation.name, &s);
        Running {
            title,
            tail,
            tail_width,
            footer,
            style: s,
        }
    }

    /// The title as it fits in `room` pt of the header: cut at the end of the last
    /// word that leaves room for an ellipsis (within a word only when the first word
    /// alone is too wide), with no punctuation left before the ellipsis.
    fn header_title(&self, full: &str, s: &Style, room: f32) -> Vec<Run> {
        let head = head_of(full, |t| self.one_line(t, s).1 > 2.0 * room);
        let (tr, tw) = self.one_line(head, s);
        if tw <= room {
            return tr;
        }
        let mut keep = head;
        loop {
            let shorter = keep.trim_end();
            let cut = match shorter.rfind(char::is_whitespace) {
                Some(i) if !shorter[..i].trim_end().is_empty() => &shorter[..i],
                // One word left: cut it letter by letter.
                _ => {
                    let mut c = shorter.chars();
                    c.next_back();
                    c.as_str()
                }
            };
            let cut = cut.trim_end_matches(|c: char| {
                c.is_whitespace() || ",;:.\u{2013}\u{2014}-(".contains(c)
            });
            let title = format!("{cut}\u{2026}");
            let (tr, tw) = self.one_line(&title, s);
            if tw <= room || cut.is_empty() {
                return tr;
            }
            keep = cut;
        }
    }

    /// Running header (from page 2) and footer of page `n` (1-based).
    pub fn furniture(&self, running: &Running, n: usize) -> Vec<Draw> {
        let h = self.house;
        let left = h.page.margin_left * MM;
        let right = (h.page.width - h.page.margin_right) * MM;
        let mut d = Vec::new();
        if n > 1 {
            let y = (h.page.margin_top - h.furniture.header_offset) * MM;
            d.push(Draw::Text {
                x: left,
                y,
                runs: running.title.clone(),
            });
            d.push(Draw::Text {
                x: right - running.tail_width,
                y,
                runs: running.tail.clone(),
            });
            d.push(Draw::Rule {
                x1: left,
                y1: y + 3.0,
                x2: right,
                y2: y + 3.0,
                width: h.furniture.hairline,
                color: h.colours.blue,
            });
        }
        let y = (h.page.height - h.page.margin_bottom + h.furniture.footer_offset) * MM;
        d.push(Draw::Text {
            x: left,
            y,
            runs: running.footer.clone(),
        });
        let (nr, nw) = self.runs(&n.to_string(), &running.style);
        d.push(Draw::Text {
            x: right - nw,
            y,
            runs: nr,
        });
        d
    }
}

/// The running furniture's parts that are the same on every page ([`Setter::running`]).
pub struct Running {
    /// The title, cut to fit beside the tail.
    title: Vec<Run>,
    /// Region and date, set flush right.
    tail: Vec<Run>,
    tail_width: f32,
    /// The organisation's name.
    footer: Vec<Run>,
    /// The furniture's type.
    style: Style,
}

/// The shortest head of `text` that is `too_wide`, tried at 64, 128, 256 … characters;
/// all of `text` when no such head is. Fitting a title into the header shortens it one
/// character at a time, each time setting it again: from the whole of a title many
/// times the header's width that is quadratic. Past a head twice the room, every
/// longer cut is wider than the room as well (widths grow with the text; kerning takes
/// back far less than a word), so starting from that head ends at the same cut; a title
/// shorter than that head is fitted from its whole, as ever.
fn head_of(text: &str, too_wide: impl Fn(&str) -> bool) -> &str {
    let mut chars = 64;
    loop {
        let Some((cut, _)) = text.char_indices().nth(chars) else {
            return text;
        };
        let head = &text[..cut];
        if too_wide(head) {
            return head;
        }
        chars *= 2;
    }
}

/// Space (pt) between page 1's title and what follows it.
const TITLE_GAP: f32 = 4.0;

/// The height (pt) of what [`Setter::under_lines`] set, with [`TITLE_GAP`] above it.
fn under_height(under: &[(f32, Vec<Elem>)]) -> f32 {
    TITLE_GAP
        + under
            .iter()
            .map(|(gap, lines)| gap + lines.iter().map(|l| l.height).sum::<f32>())
            .sum::<f32>()
}

/// Why page 1's head cannot be set: its title, subtitle and names run `over` pt below
/// the text area even with the title at the body's size.
fn unfit_head(title: &str, over: f32, body_size: f32) -> String {
    format!(
        "the title ({} characters) and what follows it (subtitle, authors' names) do not \
         fit on page 1: with the title at the body's size ({body_size} pt) they still run \
         {:.0} mm below the text area, over the footer and off the page",
        title.chars().count(),
        over / MM
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// What [`title_block`] gives the EPUB's cover is what page 1 sets: the same lines
    /// of the title at the same size, for a title that fits and one set smaller.
    #[test]
    fn the_title_block_has_the_lines_of_page_one() -> crate::error::Result<()> {
        let house = crate::house::builtin()?;
        let coverage = crate::fonts::Coverage::of_house(&house);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("source/2016-11-china-tajikistan.md");
        let mut doc = crate::parse::parse_file(&path, &coverage)?;
        let long = "Regional security in the steppe and the mountains: ".repeat(4);
        for (title, lines) in [(doc.meta.title.clone(), 3), (long.trim().to_owned(), 4)] {
            doc.meta.title = title;
            let block = title_block(&doc, &house, 1.0);
            let book = FontBook::new(&house);
            let shaper = Shaper::new(&book, &doc.meta.lang, true, &house.style.typeset);
            let setter = Setter {
                shaper: &shaper,
                house: &house.style,
                figures: Vec::new(),
                image_base: 1,
                tags: std::cell::RefCell::new(crate::render::pdf::tags::Tree::new()),
                unfit: std::cell::RefCell::new(Vec::new()),
                labels: house.style.labels.words(&doc.meta.lang),
            };
            let (draws, _) = setter.head(&doc, (300, 300));
            let set: Vec<String> = draws
                .iter()
                .filter_map(|d| match d {
                    Draw::Text { runs, .. }
                        if runs.first().is_some_and(|r| {
                            r.chunk.style.size == block.title_size && r.chunk.style.variant.bold
                        }) =>
                    {
                        Some(line_text(&Elem {
                            height: 0.0,
                            draws: vec![d.clone()],
                            keep_next: false,
                            space: false,
                            repeat: None,
                        }))
                    }
                    _ => None,
                })
                .collect();
            assert_eq!(block.title, set, "{}", doc.meta.title);
            assert_eq!(block.title.len(), lines, "{:?}", block.title);
            assert_eq!(block.title.join(" "), doc.meta.title);
        }
        assert!(title_block(&doc, &house, 1.0).title_size < house.style.title.size);
        Ok(())
    }

    /// The head of a long title to fit into the running header is found in a few
    /// tries that together measure about twice the head, whatever the title's length;
    /// a title that is never too wide is fitted whole.
    #[test]
    fn the_head_of_a_long_title_takes_few_measurements() {
        let title = "Regional security in the steppe, ".repeat(150);
        let (tries, measured) = (Cell::new(0), Cell::new(0));
        let head = head_of(&title, |t| {
            tries.set(tries.get() + 1);
            measured.set(measured.get() + t.len());
            t.chars().count() > 300
        });
        assert_eq!(head.chars().count(), 512);
        assert!(title.starts_with(head));
        assert_eq!(tries.get(), 4, "64, 128, 256, 512");
        assert!(measured.get() < 2 * head.len());
        assert_eq!(head_of(&title, |_| false), title);
        assert_eq!(head_of("é", |_| true), "é");
    }
}
