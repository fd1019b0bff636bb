//! The content document: the brief as one XHTML5 file, in the house order of parts.
//!
//! Masthead, band, title block, body, notes, bios — the same parts as the PDF's page 1
//! head and body (pictured in `docs/page1.png`). The text written is exactly the brief's content (see
//! `docs/editions.md`): note numbers both ways are links marked `doc-noteref` /
//! `doc-backlink`, list numbers and bullets come from CSS, and the region is upper-cased
//! here rather than by CSS. Every character is recorded under the face the stylesheet
//! sets it in, so the embedded fonts can be cut down to what is used.

use std::sync::Arc;

use super::fonts::Usage;
use super::xml::Xml;
use crate::content::{bio_display, caption_display, region_display};
use crate::house::Style;
use crate::house::{Family, Variant};
use crate::model::{plain_text, Align, Block, Document, ImageFormat, Inline, Table};
use crate::render::ties::Ties;

/// File name of the content document inside the EPUB folder.
pub const HREF: &str = "brief.xhtml";
/// The stylesheet, relative to the content document.
pub const CSS_HREF: &str = "css/brief.css";
/// The logo, relative to the content document.
pub const LOGO_HREF: &str = "images/logo.png";

/// A figure image to be stored in the EPUB.
#[derive(Debug, Clone)]
pub struct Image {
    pub href: String,
    pub media_type: &'static str,
    pub bytes: Arc<Vec<u8>>,
}

/// A navigation target: a heading of the brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// 1 for the title, 2 for `##` headings and the notes, and so on.
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The written content document and what it refers to.
#[derive(Debug, Clone)]
pub struct Brief {
    pub xhtml: Vec<u8>,
    pub usage: Usage,
    pub images: Vec<Image>,
    pub targets: Vec<Target>,
}

/// Write the content document of `doc`.
pub fn brief(doc: &Document, style: &Style) -> Result<Brief, String> {
    let mut w = Writer {
        x: Xml::new(),
        usage: Usage::default(),
        face: Variant::SERIF,
        style,
        doc,
        labels: style.labels.words(&doc.meta.lang),
        refs_seen: vec![0; doc.notes.len()],
        images: Vec::new(),
        targets: Vec::new(),
        run: String::new(),
        run_at: 0,
    };
    w.document();
    Ok(Brief {
        xhtml: w.x.finish_document()?,
        usage: w.usage,
        images: w.images,
        targets: w.targets,
    })
}

/// The start of an XHTML document shared with the navigation document.
pub fn head(x: &mut Xml, lang: &str, title: &str, css: Option<&str>) {
    x.raw("html");
    x.nl();
    x.open(
        "html",
        &[
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("xmlns:epub", "http://www.idpf.org/2007/ops"),
            ("xml:lang", lang),
            ("lang", lang),
        ],
    );
    x.nl();
    x.open("head", &[]);
    x.empty("meta", &[("charset", "utf-8")]);
    x.leaf("title", &[], title);
    if let Some(css) = css {
        x.empty(
            "link",
            &[("rel", "stylesheet"), ("type", "text/css"), ("href", css)],
        );
    }
    x.close("head");
    x.nl();
}

struct Writer<'a> {
    x: Xml,
    usage: Usage,
    /// The face the stylesheet sets the current element in.
    face: Variant,
    style: &'a Style,
    doc: &'a Document,
    /// The words the brief's editions print, in its language.
    labels: crate::house::Words,
    /// How many references to each note have been written so far.
    refs_seen: Vec<u32>,
    images: Vec<Image>,
    targets: Vec<Target>,
    /// The text of the block whose inlines are being written, and how far into it
    /// they are: a space is held ([`crate::render::ties`]) by what stands on either
    /// side of it in the whole block, across markup (`**2.5** %`), as in the PDF.
    run: String,
    run_at: usize,
}

impl Writer<'_> {
    /// Write text in the current face.
    fn text(&mut self, s: &str) {
        self.usage.add(self.face, s);
        self.x.text(s);
    }

    /// An element holding text in `face`.
    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], face: Variant, text: &str) {
        let saved = std::mem::replace(&mut self.face, face);
        self.x.open(name, attrs);
        self.text(text);
        self.x.close(name);
        self.face = saved;
    }

    fn with_face(&mut self, face: Variant, f: impl FnOnce(&mut Self)) {
        let saved = std::mem::replace(&mut self.face, face);
        f(self);
        self.face = saved;
    }

    fn document(&mut self) {
        let doc = self.doc;
        head(&mut self.x, &doc.meta.lang, &doc.meta.title, Some(CSS_HREF));
        self.x.open("body", &[]);
        self.x.nl();
        // One banner landmark holds the page head (masthead, band, title block): two
        // `<header>`s at the top level would be two banners, which assistive technology
        // cannot tell apart (Ace: landmark-no-duplicate-banner).
        self.x.open("header", &[("class", "head")]);
        self.x.nl();
        self.masthead();
        self.band();
        self.title_block();
        self.x.close("header");
        self.x.nl();
        self.x.open("main", &[("class", "body"), ("id", "bp_body")]);
        self.x.nl();
        self.with_face(Variant::SERIF, |w| w.blocks(&doc.blocks, false));
        self.x.close("main");
        self.x.nl();
        self.notes();
        self.bios();
    }

    fn masthead(&mut self) {
        self.x.open("div", &[("class", "masthead")]);
        // The wordmark beside the logo names the organisation, so the mark is decorative.
        self.x
            .empty("img", &[("class", "logo"), ("src", LOGO_HREF), ("alt", "")]);
        self.x.open("div", &[("class", "wordmark")]);
        let lines = self.style.organisation.lines.clone();
        for (i, line) in lines.iter().enumerate() {
            let (class, face) = if i == 0 {
                ("wordmark-1", Variant::SANS.bold())
            } else {
                ("wordmark-2", Variant::SANS)
            };
            self.leaf("p", &[("class", class)], face, line);
        }
        self.x.close("div");
        self.x.close("div");
        self.x.nl();
    }

    fn band(&mut self) {
        let meta = &self.doc.meta;
        let region = region_display(&meta.region, &meta.lang);
        let date = meta.date.display(&meta.lang);
        let iso = meta.date.iso();
        self.x.open("div", &[("class", "band")]);
        self.leaf("p", &[("class", "region")], Variant::SANS, &region);
        self.with_face(Variant::SANS, |w| {
            w.x.open("p", &[("class", "date")]);
            w.x.open("time", &[("datetime", &iso)]);
            w.text(&date);
            w.x.close("time");
            w.x.close("p");
        });
        self.x.close("div");
        self.x.nl();
    }

    fn title_block(&mut self) {
        let meta = &self.doc.meta;
        self.x.open("div", &[("class", "title-block")]);
        self.leaf(
            "h1",
            &[("id", "bp_title")],
            Variant::SANS.bold(),
            &meta.title,
        );
        self.targets.push(Target {
            level: 1,
            id: "bp_title".into(),
            text: meta.title.clone(),
        });
        if let Some(sub) = &meta.subtitle {
            self.leaf("p", &[("class", "subtitle")], Variant::SANS, sub);
        }
        for a in &meta.authors {
            self.leaf("p", &[("class", "author")], Variant::SANS, &a.name);
        }
        self.x.close("div");
        self.x.nl();
    }

    fn notes(&mut self) {
        let doc = self.doc;
        if doc.notes.is_empty() {
            return;
        }
        let label = self.labels.notes.clone();
        self.x.open(
            "section",
            &[
                ("class", "notes"),
                ("epub:type", "endnotes"),
                ("role", "doc-endnotes"),
                ("aria-labelledby", "bp_notes"),
            ],
        );
        self.x.nl();
        self.leaf("h2", &[("id", "bp_notes")], Variant::SANS.bold(), &label);
        self.targets.push(Target {
            level: 2,
            id: "bp_notes".into(),
            text: label,
        });
        self.x.open("ol", &[("class", "note-list")]);
        self.x.nl();
        for (i, note) in doc.notes.iter().enumerate() {
            let n = i + 1;
            let id = format!("fn_{n}");
            // A plain list item of the endnotes section, as DPUB-ARIA 1.1 has it:
            // `epub:type="footnote"` here has no matching ARIA role, and `doc-endnote`
            // is deprecated (Ace and epubcheck both flag it).
            self.x.open("li", &[("id", &id)]);
            let refs = self.refs_seen.get(i).copied().unwrap_or(0).max(1);
            self.with_face(Variant::SANS, |w| {
                // The note number, in the margin, links back to the first reference;
                // later references get small numbered backlinks after the note's first
                // paragraph (the house fonts have no arrow glyphs to use instead).
                w.x.open("p", &[("class", "note-marks")]);
                w.backlink("note-num", n, 1, &n.to_string());
                w.x.close("p");
                let extra = |w: &mut Self| {
                    for k in 2..=refs {
                        w.text(" ");
                        w.backlink("note-back", n, k, &k.to_string());
                    }
                };
                match note.blocks.split_first() {
                    Some((Block::Paragraph(inl), rest)) => {
                        w.x.open("p", &[]);
                        w.inlines(inl);
                        extra(w);
                        w.x.close("p");
                        w.blocks(rest, false);
                    }
                    _ => {
                        w.blocks(&note.blocks, false);
                        w.x.open("p", &[]);
                        extra(w);
                        w.x.close("p");
                    }
                }
            });
            self.x.close("li");
            self.x.nl();
        }
        self.x.close("ol");
        self.x.nl();
        self.x.close("section");
        self.x.nl();
    }

    /// A link from note `n` back to its `k`-th reference.
    fn backlink(&mut self, class: &str, n: usize, k: u32, text: &str) {
        let href = format!("#{}", ref_id(n, k));
        // The link shows only a number, which a screen reader would read as another
        // note's number: its accessible name says where it leads.
        let label = self
            .labels
            .back_to_text
            .replace("{n}", &n.to_string())
            .replace("{k}", &k.to_string());
        self.x.open(
            "a",
            &[
                ("class", class),
                ("href", &href),
                ("role", "doc-backlink"),
                ("aria-label", &label),
            ],
        );
        self.text(text);
        self.x.close("a");
    }

    fn bios(&mut self) {
        let authors: Vec<(String, String)> = self
            .doc
            .meta
            .authors
            .iter()
            .filter_map(|a| a.bio.clone().map(|b| (a.name.clone(), b)))
            .collect();
        if authors.is_empty() {
            return;
        }
        self.x.open("footer", &[("class", "bios")]);
        self.x.nl();
        for (name, bio) in authors {
            // The displayed line is exactly `bio_display`; the spans only style its parts.
            let line = bio_display(&name, &bio);
            let dash = line
                .strip_prefix(name.as_str())
                .and_then(|r| r.strip_suffix(bio.as_str()))
                .unwrap_or(" \u{2013} ")
                .to_owned();
            self.x.open("p", &[("class", "bio")]);
            self.leaf(
                "span",
                &[("class", "bio-name")],
                Variant::SANS.bold(),
                &name,
            );
            self.with_face(Variant::SERIF, |w| w.text(&dash));
            let bio = self.held(&bio);
            self.leaf(
                "span",
                &[("class", "bio-text")],
                Variant::SERIF.italic(),
                &bio,
            );
            self.x.close("p");
            self.x.nl();
        }
        self.x.close("footer");
        self.x.nl();
    }

    fn blocks(&mut self, blocks: &[Block], tight: bool) {
        for b in blocks {
            self.block(b, tight);
        }
    }

    fn block(&mut self, b: &Block, tight: bool) {
        match b {
            Block::Heading { level, id, content } => {
                let tag = format!("h{}", level.clamp(&2, &6));
                self.targets.push(Target {
                    level: *level,
                    id: id.clone(),
                    text: plain_text(content),
                });
                self.x.open(&tag, &[("id", id)]);
                self.with_face(Variant::SANS.bold(), |w| w.inlines(content));
                self.x.close(&tag);
                self.x.nl();
            }
            // In a tight list the item's text is set without paragraph spacing.
            Block::Paragraph(inl) if tight => self.inlines(inl),
            Block::Paragraph(inl) => {
                self.x.open("p", &[]);
                self.inlines(inl);
                self.x.close("p");
                self.x.nl();
            }
            Block::List {
                start,
                tight,
                items,
            } => {
                let start_text = start.map(|s| s.to_string());
                let tag = if start.is_some() { "ol" } else { "ul" };
                let mut attrs: Vec<(&str, &str)> = Vec::new();
                if let Some(s) = start_text.as_deref().filter(|s| *s != "1") {
                    attrs.push(("start", s));
                }
                if *tight {
                    attrs.push(("class", "tight"));
                }
                self.x.open(tag, &attrs);
                self.x.nl();
                for item in items {
                    self.x.open("li", &[]);
                    self.blocks(item, *tight);
                    self.x.close("li");
                    self.x.nl();
                }
                self.x.close(tag);
                self.x.nl();
            }
            Block::Quote(blocks) => {
                self.x.open("blockquote", &[]);
                self.x.nl();
                let face = self.face.italic();
                self.with_face(face, |w| w.blocks(blocks, false));
                self.x.close("blockquote");
                self.x.nl();
            }
            Block::Table(t) => self.table(t),
            Block::Figure(f) => {
                let (ext, media_type) = match f.format {
                    ImageFormat::Png => ("png", "image/png"),
                    ImageFormat::Jpeg => ("jpg", "image/jpeg"),
                };
                let href = format!("images/figure-{}.{ext}", f.number);
                let id = format!("bp_figure_{}", f.number);
                let class = if f.wide { "figure wide" } else { "figure" };
                let (width, height) = (f.width.to_string(), f.height.to_string());
                self.x.open("figure", &[("class", class), ("id", &id)]);
                self.x.empty(
                    "img",
                    &[
                        ("src", &href),
                        ("alt", &f.caption),
                        ("width", &width),
                        ("height", &height),
                    ],
                );
                let caption =
                    self.held(&caption_display(&self.labels.figure, f.number, &f.caption));
                self.leaf("figcaption", &[], Variant::SANS, &caption);
                self.x.close("figure");
                self.x.nl();
                self.images.push(Image {
                    href,
                    media_type,
                    bytes: f.data.clone(),
                });
            }
            Block::Rule => {
                self.x.empty("hr", &[]);
                self.x.nl();
            }
        }
    }

    fn table(&mut self, t: &Table) {
        let class = |a: Align| match a {
            Align::None => None,
            Align::Left => Some("left"),
            Align::Center => Some("center"),
            Align::Right => Some("right"),
        };
        self.x.open("table", &[]);
        self.x.nl();
        self.with_face(Variant::SANS, |w| {
            w.x.open("thead", &[]);
            w.x.open("tr", &[]);
            for (i, cell) in t.head.iter().enumerate() {
                let a = class(t.align.get(i).copied().unwrap_or(Align::None));
                let mut attrs = vec![("scope", "col")];
                attrs.extend(a.map(|c| ("class", c)));
                w.x.open("th", &attrs);
                w.with_face(Variant::SANS.bold(), |w| w.inlines(cell));
                w.x.close("th");
            }
            w.x.close("tr");
            w.x.close("thead");
            w.x.nl();
            w.x.open("tbody", &[]);
            w.x.nl();
            for row in &t.rows {
                w.x.open("tr", &[]);
                for (i, cell) in row.iter().enumerate() {
                    let a = class(t.align.get(i).copied().unwrap_or(Align::None));
                    let attrs: Vec<(&str, &str)> = a.map(|c| ("class", c)).into_iter().collect();
                    w.x.open("td", &attrs);
                    w.inlines(cell);
                    w.x.close("td");
                }
                w.x.close("tr");
                w.x.nl();
            }
            w.x.close("tbody");
        });
        self.x.close("table");
        self.x.nl();
    }

    /// What holds a space in this brief ([`crate::render::ties`]).
    fn ties(&self) -> Ties<'_> {
        Ties::new(&self.style.typeset.tie_before_numbers, &self.doc.meta.lang)
    }

    /// A text of its own (a bio, a caption) with its held spaces written as no-break
    /// spaces, as the PDF and the text edition hold them.
    fn held(&self, text: &str) -> String {
        crate::render::ties::hold(text, 0..text.len(), &self.ties()).into_owned()
    }

    /// A block's inlines.
    fn inlines(&mut self, inlines: &[Inline]) {
        let mut run = String::new();
        run_text(inlines, &mut run);
        let outer = (std::mem::replace(&mut self.run, run), self.run_at);
        self.run_at = 0;
        self.inline_run(inlines);
        (self.run, self.run_at) = outer;
    }

    /// Inlines inside a block, in the order [`run_text`] reads them.
    fn inline_run(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => {
                    let at = self.run_at..self.run_at + t.len();
                    let held = crate::render::ties::hold(&self.run, at, &self.ties()).into_owned();
                    self.text(&held);
                    self.run_at += t.len();
                }
                Inline::Code(t) => {
                    self.x.open("code", &[]);
                    self.text(t);
                    self.x.close("code");
                    self.run_at += t.len();
                }
                Inline::Emph(c) => {
                    self.x.open("em", &[]);
                    let face = self.face.italic();
                    self.with_face(face, |w| w.inline_run(c));
                    self.x.close("em");
                }
                Inline::Strong(c) => {
                    self.x.open("strong", &[]);
                    let face = self.face.bold();
                    self.with_face(face, |w| w.inline_run(c));
                    self.x.close("strong");
                }
                Inline::Link { url, content } => {
                    if self.linkable(url) {
                        self.x.open("a", &[("href", url)]);
                        self.inline_run(content);
                        self.x.close("a");
                    } else {
                        self.inline_run(content);
                    }
                }
                Inline::NoteRef(i) => {
                    self.note_ref(*i);
                    self.run_at += note_number(*i).len();
                }
                Inline::LineBreak => {
                    self.x.empty("br", &[]);
                    self.run_at += 1;
                }
            }
        }
    }

    /// Whether a link target can be kept: an absolute URL, or a heading of this brief.
    /// A relative path would point at a file the EPUB does not contain.
    fn linkable(&self, url: &str) -> bool {
        if let Some(frag) = url.strip_prefix('#') {
            return self
                .doc
                .blocks
                .iter()
                .any(|b| matches!(b, Block::Heading { id, .. } if id == frag));
        }
        let scheme = url.split(':').next().unwrap_or("");
        url.contains(':')
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !url.chars().any(char::is_whitespace)
    }

    fn note_ref(&mut self, i: usize) {
        let Some(seen) = self.refs_seen.get_mut(i) else {
            return;
        };
        *seen += 1;
        let k = *seen;
        let n = i + 1;
        let id = ref_id(n, k);
        let href = format!("#fn_{n}");
        self.x.open(
            "a",
            &[
                ("class", "noteref"),
                ("id", &id),
                ("href", &href),
                ("epub:type", "noteref"),
                ("role", "doc-noteref"),
            ],
        );
        let face = Variant {
            family: Family::Sans,
            ..self.face
        };
        self.with_face(face, |w| w.text(&n.to_string()));
        self.x.close("a");
    }
}

/// The id of the `k`-th reference (1-based) to note `n`.
fn ref_id(n: usize, k: u32) -> String {
    if k == 1 {
        format!("fnref_{n}")
    } else {
        format!("fnref_{n}_{k}")
    }
}

/// The text of `inlines` as the PDF's lines read it, a note reference as its number:
/// what [`Writer::inline_run`] holds each text's spaces by.
fn run_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                run_text(c, out);
            }
            Inline::NoteRef(i) => out.push_str(&note_number(*i)),
            Inline::LineBreak => out.push('\n'),
        }
    }
}

/// A note reference's number as the reader sees it.
fn note_number(i: usize) -> String {
    (i + 1).to_string()
}
