//! Reading the PDF edition back into words, by the rules of `docs/editions.md`
//! (restated here, not shared with the renderer).
//!
//! Pages are read in order; each page's content streams run through a small text
//! interpreter that follows Form XObjects (`Do`), decodes shown strings through the
//! fonts' `/ToUnicode` maps ([`super::cmap`]) and
//!
//! - skips everything inside `/Artifact` and `/Lbl` marked content (furniture);
//! - replaces the glyphs of a `/Span` with its `/ActualText` (an inserted hyphen's text
//!   is a soft hyphen, which the normalisation drops);
//! - treats space glyphs and each new text line (`BT`, `Td`, `TD`, `T*`, `Tm`, `'`,
//!   `"`) as word breaks, except that a word ending in a soft hyphen, or in a real
//!   hyphen after a letter, continues on the next line;
//! - ignores `TJ` offsets (kerning and justification are not word breaks).
//!
//! Parsing is bounded: file size, pages, decompressed bytes, nesting of Form XObjects,
//! `q` and marked content. lopdf reports malformed files as errors.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap::{utf16be, ToUnicode};
use super::compare::{Found, Place};

/// Largest PDF accepted.
pub const MAX_PDF_BYTES: usize = 256 << 20;
/// Most bytes any one stream (or a page's streams together) may decompress to.
const MAX_STREAM_BYTES: usize = 64 << 20;
/// Most pages read.
const MAX_PAGES: usize = 10_000;
/// Deepest nesting of Form XObjects followed.
const MAX_FORM_DEPTH: usize = 8;
/// Deepest nesting of `q` and of marked content.
const MAX_STACK: usize = 4_096;
/// Most inherited levels searched for a page's resources.
const MAX_TREE_DEPTH: usize = 64;

/// Words of a PDF, each placed at its page and text line.
pub fn extract(bytes: &[u8]) -> Result<Vec<Found>, String> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(format!("larger than {MAX_PDF_BYTES} bytes"));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err("not a PDF (no %PDF- header)".into());
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..Default::default()
    };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| format!("not a readable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err("the PDF is encrypted; an edition of a brief never is".into());
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err("the PDF has no pages".into());
    }
    if pages.len() > MAX_PAGES {
        return Err(format!("more than {MAX_PAGES} pages"));
    }
    let mut r = Reader::new(&doc);
    for (n, id) in pages {
        r.page = n;
        r.line = 0;
        r.line_has_text = false;
        let content = doc
            .get_page_content_with_limit(id, MAX_STREAM_BYTES)
            .map_err(|e| format!("page {n}: cannot read its content: {e}"))?;
        let resources = page_resources(&doc, id);
        r.run(&content, resources, 0)
            .map_err(|e| format!("page {n}: {e}"))?;
        // A page end is a line end: a hyphenated word may continue overleaf.
        r.line_break();
    }
    r.flush();
    Ok(r.out)
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

fn dict_at<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    deref(doc, d.get(key).ok()?)?.as_dict().ok()
}

/// The page's resources, inherited from its ancestors when the page has none.
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..MAX_TREE_DEPTH {
        if let Some(r) = dict_at(doc, node, b"Resources") {
            return Some(r);
        }
        node = dict_at(doc, node, b"Parent")?;
    }
    None
}

/// How to turn a font's shown strings into text.
#[derive(Debug)]
struct Font {
    map: Option<ToUnicode>,
    /// Code length without a codespace: 2 for Type0 fonts, 1 for simple fonts.
    code_len: usize,
}

impl Font {
    fn decode(&self, bytes: &[u8]) -> String {
        match &self.map {
            Some(m) => m.decode(bytes, self.code_len),
            // A simple font without a map: read the bytes as Latin-1, which is right for
            // the ASCII range of the standard encodings.
            None => bytes.iter().map(|&b| b as char).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Artifact,
    ActualText,
    Other,
}

struct Reader<'a> {
    doc: &'a Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    font: Option<Rc<Font>>,
    saved: Vec<Option<Rc<Font>>>,
    marks: Vec<Mark>,
    forms: Vec<ObjectId>,
    out: Vec<Found>,
    word: String,
    word_place: Place,
    page: u32,
    /// Text lines with text finished on this page.
    line: u32,
    line_has_text: bool,
}

impl<'a> Reader<'a> {
    fn new(doc: &'a Document) -> Reader<'a> {
        Reader {
            doc,
            fonts: HashMap::new(),
            font: None,
            saved: Vec::new(),
            marks: Vec::new(),
            forms: Vec::new(),
            out: Vec::new(),
            word: String::new(),
            word_place: Place::default(),
            page: 0,
            line: 0,
            line_has_text: false,
        }
    }

    /// Run one content stream with its resources.
    fn run(
        &mut self,
        content: &[u8],
        res: Option<&'a Dictionary>,
        depth: usize,
    ) -> Result<(), String> {
        let ops = lopdf::content::Content::decode(content)
            .map_err(|e| format!("malformed content stream: {e}"))?;
        for op in &ops.operations {
            let args = &op.operands;
            match op.operator.as_str() {
                "BT" | "ET" | "Td" | "TD" | "T*" | "Tm" => self.line_break(),
                "Tj" => self.show(args.first()),
                "'" => {
                    self.line_break();
                    self.show(args.first());
                }
                "\"" => {
                    self.line_break();
                    self.show(args.get(2));
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = args.first() {
                        for item in items {
                            self.show(Some(item));
                        }
                    }
                }
                "Tf" => {
                    let name = args.first().and_then(|o| o.as_name().ok());
                    self.font = match (name, res) {
                        (Some(n), Some(r)) => Some(self.font(r, n)?),
                        _ => None,
                    };
                }
                "q" => {
                    if self.saved.len() >= MAX_STACK {
                        return Err("graphics states nested too deeply".into());
                    }
                    self.saved.push(self.font.clone());
                }
                "Q" => {
                    if let Some(f) = self.saved.pop() {
                        self.font = f;
                    }
                }
                "BMC" | "BDC" => self.begin_marked(args, res)?,
                "EMC" => {
                    self.marks.pop();
                }
                "Do" => {
                    if let (Some(Object::Name(n)), Some(r)) = (args.first(), res) {
                        self.form(r, n, depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn hidden(&self) -> bool {
        self.marks.iter().any(|m| *m != Mark::Other)
    }

    fn begin_marked(&mut self, args: &[Object], res: Option<&'a Dictionary>) -> Result<(), String> {
        if self.marks.len() >= MAX_STACK {
            return Err("marked content nested too deeply".into());
        }
        let tag = args.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
        // A label (`/Lbl`: a list bullet or number, a note's number) is furniture in a
        // tagged PDF, where it cannot be an artifact because the structure owns it.
        if tag == b"Artifact" || tag == b"Lbl" {
            self.marks.push(Mark::Artifact);
            return Ok(());
        }
        // Properties are inline or named in the resources' /Properties.
        let props = match args.get(1) {
            Some(Object::Dictionary(d)) => Some(d),
            Some(Object::Name(n)) => res
                .and_then(|r| dict_at(self.doc, r, b"Properties"))
                .and_then(|p| dict_at(self.doc, p, n)),
            _ => None,
        };
        let actual = props
            .and_then(|p| p.get(b"ActualText").ok())
            .and_then(|o| deref(self.doc, o))
            .and_then(|o| o.as_str().ok());
        match actual {
            Some(bytes) => {
                let text = match bytes.strip_prefix(b"\xFE\xFF") {
                    Some(u) => utf16be(u),
                    None => bytes.iter().map(|&b| b as char).collect(),
                };
                self.text(&text);
                self.marks.push(Mark::ActualText);
            }
            None => self.marks.push(Mark::Other),
        }
        Ok(())
    }

    fn font(&mut self, res: &'a Dictionary, name: &[u8]) -> Result<Rc<Font>, String> {
        let fonts = dict_at(self.doc, res, b"Font");
        let entry = fonts.and_then(|f| f.get(name).ok());
        let id = entry.and_then(|o| o.as_reference().ok());
        if let Some(f) = id.and_then(|id| self.fonts.get(&id)) {
            return Ok(f.clone());
        }
        let shown = String::from_utf8_lossy(name).into_owned();
        let dict = entry
            .and_then(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
            .ok_or_else(|| format!("font /{shown} is used but not defined in the resources"))?;
        let composite = dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0");
        let map = match dict.get(b"ToUnicode").ok().and_then(|o| deref(self.doc, o)) {
            Some(Object::Stream(s)) => {
                let bytes = s
                    .get_plain_content_with_limit(MAX_STREAM_BYTES)
                    .map_err(|e| format!("font /{shown}: cannot read its ToUnicode map: {e}"))?;
                Some(ToUnicode::parse(&bytes))
            }
            _ if composite => {
                return Err(format!(
                    "font /{shown} has no /ToUnicode map, so its text cannot be read \
                     (docs/editions.md requires one)"
                ))
            }
            _ => None,
        };
        let font = Rc::new(Font {
            map,
            code_len: if composite { 2 } else { 1 },
        });
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        Ok(font)
    }

    fn form(&mut self, res: &'a Dictionary, name: &[u8], depth: usize) -> Result<(), String> {
        let Some(Ok(id)) = dict_at(self.doc, res, b"XObject")
            .and_then(|x| x.get(name).ok())
            .map(Object::as_reference)
        else {
            return Ok(()); // Not a referenced XObject: nothing we can read text from.
        };
        let Ok(Object::Stream(s)) = self.doc.get_object(id) else {
            return Ok(());
        };
        if s.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() != Some(b"Form") {
            return Ok(()); // An image.
        }
        if depth >= MAX_FORM_DEPTH || self.forms.contains(&id) {
            return Err("Form XObjects nested too deeply or in a cycle".into());
        }
        let content = s
            .get_plain_content_with_limit(MAX_STREAM_BYTES)
            .map_err(|e| format!("cannot read a Form XObject: {e}"))?;
        let inner = dict_at(self.doc, &s.dict, b"Resources").or(Some(res));
        self.forms.push(id);
        self.saved.push(self.font.clone());
        let r = self.run(&content, inner, depth + 1);
        self.font = self.saved.pop().flatten();
        self.forms.pop();
        r
    }

    fn show(&mut self, operand: Option<&Object>) {
        let Some(Object::String(bytes, _)) = operand else {
            return; // TJ offsets and malformed operands show nothing.
        };
        if self.hidden() {
            return;
        }
        let text = match &self.font {
            Some(f) => f.decode(bytes),
            None => "\u{FFFD}".repeat(bytes.len()),
        };
        self.text(&text);
    }

    fn text(&mut self, text: &str) {
        if self.hidden() {
            return;
        }
        for ch in text.chars() {
            if ch.is_whitespace() {
                self.flush();
                continue;
            }
            if self.word.is_empty() {
                self.word_place = Place {
                    page: Some(self.page),
                    line: Some(self.line + 1),
                    ..Place::default()
                };
            }
            self.line_has_text = true;
            self.word.push(ch);
        }
    }

    fn line_break(&mut self) {
        if self.line_has_text {
            self.line += 1;
            self.line_has_text = false;
        }
        let mut rev = self.word.chars().rev();
        let join = match rev.next() {
            Some('\u{AD}') => true,
            Some('-' | '\u{2010}') => rev.next().is_some_and(char::is_alphanumeric),
            _ => false,
        };
        if !join {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let text = crate::content::normalize(&std::mem::take(&mut self.word));
        for t in text.split_whitespace() {
            self.out.push(Found {
                text: t.to_owned(),
                place: self.word_place.clone(),
                optional: false,
            });
        }
    }
}
