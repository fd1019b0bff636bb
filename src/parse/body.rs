//! The Markdown body: pulldown-cmark events into model [`Block`]s.
//!
//! Every construct the editions cannot carry identically is rejected with a located
//! diagnostic. Parsing goes on after an error so that all problems are reported at once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::autolink::{smart_typed, Typed};
use super::chars::{forbidden, Checker};
use crate::diag::Diagnostic;
use crate::model::{plain_text, Align, Block, Figure, Inline, Note, Table};

/// Deepest nesting of lists, quotes and emphasis we accept. Far beyond any real brief,
/// and low enough that no renderer recursing over the model can exhaust the stack.
pub const MAX_DEPTH: usize = 16;

/// The parsed body.
pub struct Body {
    pub blocks: Vec<Block>,
    pub notes: Vec<Note>,
}

/// Where the body's images come from and what they may be.
pub struct Images<'p> {
    /// The brief's folder: images are resolved in it and must stay inside it.
    pub dir: &'p Path,
    /// The most pixels an image may have.
    pub max_pixels: u64,
}

/// Parse the body starting at byte `base` of `text`. Every character that reaches the
/// model other than as itself (a character reference, smart punctuation) is checked
/// with `chars`.
pub fn parse(
    text: &str,
    base: usize,
    images: &Images<'_>,
    lang: &str,
    chars: &mut Checker<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let events = events(text, base, diags);
    let mut b = Builder {
        source: text,
        base,
        events,
        pos: 0,
        diags,
        chars,
        images,
        note_index: HashMap::new(),
        note_refs: Vec::new(),
        note_defs: BTreeMap::new(),
        figures: 0,
        ids: HashSet::new(),
        last_heading: 1,
        in_link: 0,
        typed: None,
        quotes: super::quotes::double(lang),
        singles: super::quotes::Singles::new(lang),
    };
    let before = b.diags.len();
    let blocks = b.blocks(0, false);
    let notes = b.finish_notes();
    // An empty body is worth its own error only when nothing else explains it.
    if blocks.is_empty() && b.diags.len() == before {
        b.diags.push(
            Diagnostic::new(
                "the brief has no body",
                base.min(text.len().saturating_sub(1))..text.len(),
            )
            .with_hint("write the brief's text in Markdown after the closing `---` line"),
        );
    }
    Body { blocks, notes }
}

/// What refusing a formula says.
const NO_MATH: &str = "math is not supported";
const NO_MATH_HINT: &str =
    "write the formula in words; if the dollar signs are amounts of money, write the first as `\\$`";

/// The body's events, their spans in `text`.
///
/// pulldown-cmark's math finds the formulas a brief must refuse (`$x^2$`, `$$x$$`),
/// but it reads money as one too: in `$5–$7bn`, `$10-$20` or `US$15m and A$20m` the
/// text between two dollar signs becomes a formula. pandoc tells them apart by one
/// rule, which pulldown-cmark does not have: a `$` followed by a digit closes no
/// formula. So where pulldown-cmark's reading has such a formula, the body is read
/// again without math (every dollar sign is then text) and the formulas of the first
/// reading that pass pandoc's rule are refused here.
fn events<'a>(
    text: &'a str,
    base: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH;
    let read = |opts: Options| -> Vec<(Event<'a>, Range<usize>)> {
        Parser::new_ext(&text[base..], opts)
            .into_offset_iter()
            .map(|(e, r)| (e, base + r.start..base + r.end))
            .collect()
    };
    let events = read(opts | Options::ENABLE_MATH);
    let money = |span: &Range<usize>| {
        text.as_bytes()
            .get(span.end)
            .is_some_and(u8::is_ascii_digit)
    };
    if !events
        .iter()
        .any(|(e, span)| matches!(e, Event::InlineMath(_)) && money(span))
    {
        return events;
    }
    for (e, span) in &events {
        let formula = match e {
            Event::InlineMath(_) => !money(span),
            Event::DisplayMath(_) => true,
            _ => false,
        };
        if formula {
            diags.push(Diagnostic::new(NO_MATH, span.clone()).with_hint(NO_MATH_HINT.to_owned()));
        }
    }
    read(opts)
}

struct Builder<'a, 'd, 'c> {
    /// The whole file and where the body starts in it.
    source: &'d str,
    base: usize,
    events: Vec<(Event<'a>, Range<usize>)>,
    pos: usize,
    diags: &'d mut Vec<Diagnostic>,
    chars: &'d mut Checker<'c>,
    images: &'d Images<'d>,
    /// Footnote label → index in order of first reference.
    note_index: HashMap<String, usize>,
    /// (label, span of first reference) by index.
    note_refs: Vec<(String, Range<usize>)>,
    /// Label → (definition blocks, span).
    note_defs: BTreeMap<String, (Vec<Block>, Range<usize>)>,
    figures: u32,
    ids: HashSet<String>,
    /// Level of the last heading (1: the title).
    last_heading: u8,
    /// How many links the parser is inside; bare addresses become links only outside.
    in_link: usize,
    /// What was typed for the text [`Builder::inline_event`] returned last, when that
    /// text is smart punctuation's (`'` for `’`).
    typed: Option<&'static str>,
    /// The double quotation marks of the brief's language ([`super::quotes`]), when
    /// they are not English's.
    quotes: Option<(&'static str, &'static str)>,
    /// The single quotation marks of the brief's language, and whether one is open.
    singles: super::quotes::Singles,
}

impl<'a> Builder<'a, '_, '_> {
    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let e = self.events.get(self.pos).cloned();
        self.pos += 1;
        e
    }

    /// Check text the parser made of `source[span]` (see [`Checker::derived`]).
    fn check_text(&mut self, value: &str, span: &Range<usize>) {
        self.chars
            .derived(value, self.source, span.clone(), span.clone(), self.diags);
    }

    fn error(&mut self, message: impl Into<String>, span: Range<usize>, hint: &str) {
        self.diags
            .push(Diagnostic::new(message, span).with_hint(hint.to_owned()));
    }

    /// Skip the rest of the element whose start was just read.
    fn skip_element(&mut self) {
        let mut level = 1usize;
        while let Some((e, _)) = self.next() {
            match e {
                Event::Start(_) => level += 1,
                Event::End(_) => {
                    level -= 1;
                    if level == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Read blocks until the end of the enclosing element (or of the input at the top).
    /// In a tight list item, loose inline content appears without a paragraph: `tight`
    /// collects it into paragraphs.
    fn blocks(&mut self, depth: usize, tight: bool) -> Vec<Block> {
        let mut out = Vec::new();
        let mut loose = Typed::default();
        while let Some((event, span)) = self.next() {
            match event {
                Event::End(_) => break,
                Event::Start(tag) if is_block(&tag) => {
                    if !loose.is_empty() {
                        out.push(Block::Paragraph(std::mem::take(&mut loose).linkify()));
                    }
                    if let Some(b) = self.block(tag, span, depth) {
                        out.push(b);
                    }
                }
                Event::Rule => out.push(Block::Rule),
                Event::Html(_) => {
                    self.error(
                        "raw HTML is not allowed in a brief",
                        span,
                        "write it in Markdown; HTML cannot be carried identically by the PDF and text editions",
                    );
                }
                Event::DisplayMath(_) => self.error(NO_MATH, span, NO_MATH_HINT),
                other if tight => {
                    self.pos -= 1;
                    let _ = other;
                    loose.append(self.inline_run(depth));
                }
                _ => {
                    self.error(
                        "unexpected content here",
                        span,
                        "put text in a paragraph of its own",
                    );
                }
            }
        }
        if !loose.is_empty() {
            // The text of a tight list item, its bare addresses made links as in any
            // other paragraph.
            out.push(Block::Paragraph(loose.linkify()));
        }
        out
    }

    /// Inline events up to (not including) the next block start or end.
    fn inline_run(&mut self, depth: usize) -> Typed {
        let mut out = Typed::default();
        while let Some((e, _)) = self.events.get(self.pos) {
            match e {
                Event::End(_) => break,
                Event::Start(t) if is_block(t) => break,
                Event::Rule | Event::Html(_) | Event::DisplayMath(_) => break,
                _ => {
                    if let Some(i) = self.inline_event(depth) {
                        out.push(i, self.typed.take());
                    }
                }
            }
        }
        out
    }

    fn block(&mut self, tag: Tag<'a>, span: Range<usize>, depth: usize) -> Option<Block> {
        if depth >= MAX_DEPTH {
            self.error(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                span,
                "flatten the nested lists or quotes",
            );
            self.skip_element();
            return None;
        }
        match tag {
            Tag::Paragraph => self.paragraph(span, depth),
            Tag::Heading { level, .. } => self.heading(level, span, depth),
            Tag::BlockQuote(_) => Some(Block::Quote(self.blocks(depth + 1, false))),
            Tag::List(start) => Some(self.list(start, depth)),
            Tag::Table(aligns) => self.table(aligns, span, depth),
            Tag::FootnoteDefinition(label) => {
                self.footnote_definition(label, span, depth);
                None
            }
            Tag::CodeBlock(_) => {
                self.skip_element();
                self.error(
                    "code blocks are not supported in briefs",
                    span,
                    "quote the text with `>` or write it as a paragraph",
                );
                None
            }
            Tag::HtmlBlock => {
                self.skip_element();
                self.error(
                    "raw HTML is not allowed in a brief",
                    span,
                    "write it in Markdown; HTML cannot be carried identically by the PDF and text editions",
                );
                None
            }
            _ => {
                self.skip_element();
                self.error(
                    "this Markdown construct is not supported",
                    span,
                    "use paragraphs, headings, lists, quotes, tables, images and footnotes",
                );
                None
            }
        }
    }

    /// A `##` to `####` heading: its level checked against the one before, its id made unique.
    fn heading(&mut self, level: HeadingLevel, span: Range<usize>, depth: usize) -> Option<Block> {
        self.singles.reset();
        let content = self.inlines(depth);
        let level = match level {
            HeadingLevel::H2 => 2,
            HeadingLevel::H3 => 3,
            HeadingLevel::H4 => 4,
            HeadingLevel::H1 => {
                self.error(
                    "a `#` heading in the body",
                    span,
                    "the title lives in the front matter; use `##` to `####` for sections",
                );
                return None;
            }
            _ => {
                self.error(
                    "headings deeper than `####` are not supported",
                    span,
                    "use `##`, `###` or `####`",
                );
                return None;
            }
        };
        let text = plain_text(&content);
        if text.trim().is_empty() {
            self.error("empty heading", span, "give the heading some text");
            return None;
        }
        // The title is level 1; a heading may go at most one level deeper than
        // the one before it (PDF/UA and WCAG: no skipped levels).
        if level > self.last_heading + 1 {
            self.error(
                format!(
                    "a level-{level} heading after a level-{} one skips a level",
                    self.last_heading
                ),
                span.clone(),
                &format!(
                    "use `{}` here; screen readers navigate by heading levels",
                    "#".repeat(usize::from(self.last_heading) + 1)
                ),
            );
        }
        self.last_heading = level;
        let id = self.unique_id(&text);
        Some(Block::Heading { level, id, content })
    }

    /// A list whose start was just read: its items, each a run of blocks.
    fn list(&mut self, start: Option<u64>, depth: usize) -> Block {
        let tight = self.list_is_tight();
        let mut items = Vec::new();
        while let Some((e, s)) = self.next() {
            match e {
                Event::Start(Tag::Item) => items.push(self.blocks(depth + 1, true)),
                Event::End(_) => break,
                _ => self.error(
                    "unexpected content in a list",
                    s,
                    "start each item with a marker",
                ),
            }
        }
        Block::List {
            start,
            tight,
            items,
        }
    }

    /// A footnote definition: its blocks kept under its label, or an error when the
    /// label is defined twice.
    fn footnote_definition(
        &mut self,
        label: pulldown_cmark::CowStr<'a>,
        span: Range<usize>,
        depth: usize,
    ) {
        let blocks = self.blocks(depth + 1, false);
        let label = label.to_string();
        match self.note_defs.entry(label) {
            std::collections::btree_map::Entry::Occupied(e) => {
                let label = e.key().clone();
                self.error(
                    format!("note [^{label}] is defined twice"),
                    span,
                    "give each note its own label",
                );
            }
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert((blocks, span));
            }
        }
    }

    /// Whether the list starting at `self.pos` is tight: pulldown-cmark wraps item text
    /// in paragraphs only in loose lists.
    fn list_is_tight(&self) -> bool {
        let mut level = 0usize;
        for (e, _) in &self.events[self.pos..] {
            match e {
                Event::Start(Tag::Paragraph) if level == 1 => return false,
                Event::Start(_) => level += 1,
                Event::End(_) if level == 0 => break,
                Event::End(_) => level -= 1,
                _ => {}
            }
        }
        true
    }

    fn paragraph(&mut self, span: Range<usize>, depth: usize) -> Option<Block> {
        // A paragraph holding one image and nothing else is a figure.
        let alone = matches!(
            self.events.get(self.pos),
            Some((Event::Start(Tag::Image { .. }), _))
        ) && {
            let mut level = 0usize;
            let mut i = self.pos;
            loop {
                match self.events.get(i) {
                    Some((Event::Start(_), _)) => level += 1,
                    Some((Event::End(_), _)) => {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    None => break,
                    _ => {}
                }
                i += 1;
            }
            matches!(
                self.events.get(i + 1),
                Some((Event::End(TagEnd::Paragraph), _))
            )
        };
        if alone {
            let (event, img_span) = self.next()?;
            let Event::Start(Tag::Image {
                dest_url, title, ..
            }) = event
            else {
                return None;
            };
            let alt = plain_text(&self.inlines(depth));
            self.next(); // the paragraph's end
            return self.figure(&dest_url, &title, alt, img_span);
        }
        self.singles.reset();
        let content = self.inlines(depth);
        if plain_text(&content).trim().is_empty()
            && !content.iter().any(|i| matches!(i, Inline::NoteRef(_)))
        {
            let _ = span;
            return None;
        }
        Some(Block::Paragraph(content))
    }

    fn figure(&mut self, url: &str, title: &str, alt: String, span: Range<usize>) -> Option<Block> {
        let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
        if alt.is_empty() {
            self.error(
                "an image without alt text",
                span.clone(),
                "write the caption between the brackets: ![Caption](file.png)",
            );
        }
        let loaded = match super::image::load(self.images.dir, url, self.images.max_pixels) {
            Ok(l) => l,
            Err(refusal) => {
                self.error(refusal.message, span, &refusal.hint);
                return None;
            }
        };
        if alt.is_empty() {
            return None;
        }
        self.figures += 1;
        Some(Block::Figure(Figure {
            number: self.figures,
            caption: alt,
            path: loaded.path,
            data: std::sync::Arc::new(loaded.data),
            format: loaded.format,
            width: loaded.width,
            height: loaded.height,
            wide: title.split_whitespace().any(|w| w == "wide"),
        }))
    }

    fn table(
        &mut self,
        aligns: Vec<Alignment>,
        source: Range<usize>,
        depth: usize,
    ) -> Option<Block> {
        let align: Vec<Align> = aligns
            .iter()
            .map(|a| match a {
                Alignment::None => Align::None,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut head = Vec::new();
        let mut rows = Vec::new();
        while let Some((e, _)) = self.next() {
            match e {
                Event::Start(Tag::TableHead) => head = self.row(depth),
                Event::Start(Tag::TableRow) => rows.push(self.row(depth)),
                Event::End(_) => break,
                _ => {}
            }
        }
        // pulldown-cmark pads rows to the header's width; make sure of it anyway.
        for r in rows.iter_mut().chain(std::iter::once(&mut head)) {
            r.resize(align.len(), Vec::new());
        }
        Some(Block::Table(Table {
            align,
            head,
            rows,
            source,
        }))
    }

    fn row(&mut self, depth: usize) -> Vec<Vec<Inline>> {
        let mut cells = Vec::new();
        while let Some((e, _)) = self.next() {
            match e {
                Event::Start(Tag::TableCell) => {
                    self.singles.reset();
                    cells.push(self.inlines(depth));
                }
                Event::Start(Tag::TableRow) => {}
                Event::End(TagEnd::TableRow) if cells.is_empty() => {}
                Event::End(_) => break,
                _ => {}
            }
        }
        cells
    }

    /// Inline content until the end of the enclosing element.
    fn inlines(&mut self, depth: usize) -> Vec<Inline> {
        let mut out = Typed::default();
        loop {
            match self.events.get(self.pos) {
                None => break,
                Some((Event::End(_), _)) => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {
                    if let Some(i) = self.inline_event(depth) {
                        out.push(i, self.typed.take());
                    }
                }
            }
        }
        // Bare addresses become links, except inside a link (emphasis inside a link is
        // parsed while `in_link` is set, so it is left alone too).
        if self.in_link == 0 {
            out.linkify()
        } else {
            out.into_inlines()
        }
    }

    /// Consume one inline event (with its children) and return what it becomes.
    fn inline_event(&mut self, depth: usize) -> Option<Inline> {
        let (event, span) = self.next()?;
        match event {
            Event::Text(t) => {
                self.check_text(&t, &span);
                self.typed = self
                    .source
                    .get(span.clone())
                    .and_then(|typed| smart_typed(&t, typed));
                // A typed `"` or `'` in the marks of the brief's language.
                let shown = match self.typed {
                    Some("\"") => super::quotes::localise(&t, self.quotes),
                    Some("'") => {
                        let next = self.source.get(span.end..).and_then(|s| s.chars().next());
                        self.singles.localise(&t, next)
                    }
                    _ => None,
                };
                match shown {
                    Some(marks) => {
                        self.check_text(marks, &span);
                        Some(Inline::Text(marks.to_owned()))
                    }
                    None => Some(Inline::Text(t.to_string())),
                }
            }
            Event::Code(t) => {
                self.check_text(&t, &span);
                Some(Inline::Code(t.to_string()))
            }
            Event::SoftBreak => Some(Inline::Text(" ".into())),
            Event::HardBreak => Some(Inline::LineBreak),
            Event::FootnoteReference(label) => Some(Inline::NoteRef(self.note_ref(label, span))),
            Event::InlineHtml(_) | Event::Html(_) => {
                self.error(
                    "raw HTML is not allowed in a brief",
                    span,
                    "write it in Markdown; HTML cannot be carried identically by the PDF and text editions",
                );
                None
            }
            Event::InlineMath(_) | Event::DisplayMath(_) => {
                self.error(NO_MATH, span, NO_MATH_HINT);
                None
            }
            Event::TaskListMarker(_) | Event::Rule => None,
            Event::End(_) => None,
            Event::Start(tag) => self.inline_start(tag, span, depth),
        }
    }

    /// The index of the note a `[^label]` refers to, numbered in order of first reference.
    fn note_ref(&mut self, label: pulldown_cmark::CowStr<'a>, span: Range<usize>) -> usize {
        let label = label.to_string();
        let next = self.note_index.len();
        *self.note_index.entry(label.clone()).or_insert_with(|| {
            self.note_refs.push((label, span));
            next
        })
    }

    /// Consume the inline element whose start tag was just read and return what it becomes.
    fn inline_start(&mut self, tag: Tag<'a>, span: Range<usize>, depth: usize) -> Option<Inline> {
        if depth >= MAX_DEPTH {
            self.error(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                span,
                "simplify the emphasis",
            );
            self.skip_element();
            return None;
        }
        match tag {
            Tag::Emphasis => Some(Inline::Emph(self.inlines(depth + 1))),
            Tag::Strong => Some(Inline::Strong(self.inlines(depth + 1))),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => Some(self.link(link_type, dest_url, span, depth)),
            Tag::Image { .. } => {
                let alt = self.inlines(depth + 1);
                self.error(
                    "an image inside running text",
                    span,
                    "put the image in a paragraph of its own; it becomes a numbered figure",
                );
                Some(Inline::Text(plain_text(&alt)))
            }
            Tag::Strikethrough => {
                self.skip_element();
                self.error(
                    "struck-out text is not supported",
                    span,
                    "delete the text, or say in words that it was withdrawn",
                );
                None
            }
            _ => {
                self.skip_element();
                self.error(
                    "this Markdown construct is not supported here",
                    span,
                    "use emphasis, strong emphasis, links and footnotes inside text",
                );
                None
            }
        }
    }

    /// A link: its content, and its target checked to be an absolute web or mail address.
    /// An e-mail autolink (`<press@example.org>`) links to `mailto:` and the address, as
    /// a bare address in the text does; a scheme is read in any case (`HTTPS://`,
    /// `MAILTO:`, RFC 3986 3.1) and written in lower case, as the editions write it.
    fn link(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: pulldown_cmark::CowStr<'a>,
        span: Range<usize>,
        depth: usize,
    ) -> Inline {
        self.in_link += 1;
        let content = self.inlines(depth + 1);
        self.in_link -= 1;
        let mut url = match link_type {
            pulldown_cmark::LinkType::Email => format!("mailto:{dest_url}"),
            _ => dest_url.to_string(),
        };
        let scheme = ["http://", "https://", "mailto:"].into_iter().find(|p| {
            url.get(..p.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(p))
        });
        if let Some(p) = scheme {
            url.replace_range(..p.len(), p);
        }
        let ok = scheme.is_some() && url.len() > 8 && !url.chars().any(char::is_whitespace);
        if let Some(c) = url.chars().find(|&c| forbidden(c)) {
            self.error(
                format!(
                    "link target {url:?} holds control character U+{:04X}",
                    u32::from(c)
                ),
                span,
                "delete it; it cannot appear in an EPUB or a PDF link",
            );
        } else if !ok {
            self.error(
                format!("link target {url:?} is not an absolute web or mail address"),
                span,
                "links must start with https://, http:// or mailto:",
            );
        }
        let url = crate::model::uri_safe(&url).into_owned();
        Inline::Link { url, content }
    }

    /// A slug for a heading, unique within the document.
    fn unique_id(&mut self, text: &str) -> String {
        let mut base = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                base.push(c);
            } else if !base.ends_with('-') && !base.is_empty() {
                base.push('-');
            }
        }
        let base = base.trim_end_matches('-').to_owned();
        let base = if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            format!("s-{base}")
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// pulldown-cmark leaves a reference to an undefined note as literal text; find
    /// such `[^label]` in the source so it is reported instead of printed. Not inside
    /// code (a regular expression `[^/]`) or raw HTML, and not after a backslash
    /// (`\[^x]` is the text "[^x]"): pulldown-cmark reads neither as a reference.
    fn undefined_references(&mut self) {
        let body = &self.source[self.base..];
        let literal: Vec<Range<usize>> = self
            .events
            .iter()
            .filter(|(e, _)| {
                matches!(
                    e,
                    Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) | Event::InlineMath(_)
                )
            })
            .map(|(_, span)| span.clone())
            .collect();
        let mut from = 0;
        while let Some(i) = body[from..].find("[^") {
            let at = from + i;
            from = at + 2;
            let Some(len) = body[at + 2..].find(']') else {
                break;
            };
            let label = &body[at + 2..at + 2 + len];
            let after = body[at + 3 + len..].chars().next();
            let escaped = body[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
            if label.is_empty()
                || label.contains(char::is_whitespace)
                || after == Some(':')
                || escaped
                || literal.iter().any(|r| r.contains(&(self.base + at)))
            {
                continue;
            }
            if !self.note_index.contains_key(label) && !self.note_defs.contains_key(label) {
                let span = self.base + at..self.base + at + len + 3;
                self.error(
                    format!("note [^{label}] is referenced but never defined"),
                    span,
                    "add a line `[^label]: note text` below the paragraph",
                );
            }
        }
    }

    fn finish_notes(&mut self) -> Vec<Note> {
        self.undefined_references();
        let mut notes = Vec::new();
        let refs = std::mem::take(&mut self.note_refs);
        for (label, span) in &refs {
            match self.note_defs.remove(label) {
                Some((blocks, _)) => notes.push(Note {
                    label: label.clone(),
                    blocks,
                }),
                None => {
                    self.error(
                        format!("note [^{label}] is referenced but never defined"),
                        span.clone(),
                        "add a line `[^label]: note text` below the paragraph",
                    );
                    notes.push(Note {
                        label: label.clone(),
                        blocks: Vec::new(),
                    });
                }
            }
        }
        let unused: Vec<(String, Range<usize>)> = self
            .note_defs
            .iter()
            .map(|(l, (_, s))| (l.clone(), s.clone()))
            .collect();
        for (label, span) in unused {
            self.error(
                format!("note [^{label}] is defined but never referenced"),
                span,
                "reference it in the text with [^label], or delete it",
            );
        }
        notes
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::MetadataBlock(_)
    )
}
