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
//!   `"`) as word breaks, except that a word ending in a soft hyphen (an inserted
//!   hyphen's or a line end's `/ActualText`) continues on the next line;
//! - ignores `TJ` offsets (kerning and justification are not word breaks).
//!
//! Parsing is bounded: file size, pages, decompressed bytes, nesting of Form XObjects,
//! `q` and marked content. The file's objects are read lazily by `doc`, which knows
//! the plain form briefpress writes; any other file (or a damaged one) is first read
//! by lopdf, which repairs what it can, and written out in that form. Content streams
//! are split into operations by `lexer`. Pages are read in parallel (`page`) and
//! their words joined in order (`words`), so the result does not depend on the
//! number of threads.

mod doc;
mod font;
pub mod furniture;
mod geometry;
mod lexer;
mod page;
mod profile;
mod words;

pub use font::HouseGlyphs;
pub use page::Furniture;
pub use profile::Finding;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use self::doc::{Dict, Doc, Id, Obj, OpenError};
use super::cmap::ToUnicode;
use super::compare::Found;

/// Largest PDF accepted.
pub const MAX_PDF_BYTES: usize = 256 << 20;
/// Most bytes any one stream (or a page's streams together) may decompress to.
const MAX_STREAM_BYTES: usize = 64 << 20;
/// Most pages read.
const MAX_PAGES: usize = 10_000;
/// Deepest nesting of Form XObjects followed.
const MAX_FORM_DEPTH: usize = 8;
/// Most content bytes one page may run, its Form XObjects included (a form can be
/// drawn many times).
const MAX_RUN_BYTES: usize = 256 << 20;
/// Deepest nesting of `q` and of marked content.
const MAX_STACK: usize = 4_096;
/// Most inherited levels searched for a page's resources.
const MAX_TREE_DEPTH: usize = 64;
/// Most bytes lopdf may decompress in all when it rewrites a file in the plain form.
const MAX_REWRITE_BYTES: usize = 256 << 20;

const ENCRYPTED: &str = "the PDF is encrypted; an edition of a brief never is";

/// Words of a PDF, each placed at its page and text line.
pub fn extract(bytes: &[u8]) -> Result<Vec<Found>, String> {
    read_checked(bytes, None).map(|r| r.words)
}

/// What a reader sees in a PDF: its words, the constructs that hide or add text
/// (`profile`), and the text drawn as furniture, to be checked against the house
/// layout ([`furniture`]). With `house`, glyphs are checked against the house fonts.
#[derive(Debug, Default)]
pub struct Reading {
    pub words: Vec<Found>,
    pub findings: Vec<Finding>,
    pub furniture: Vec<Furniture>,
    /// Number of pages.
    pub pages: u32,
    /// Some page has marked content. Without any, furniture and inserted hyphens cannot
    /// be told from content (Ghostscript's `pdfwrite` drops marked content).
    pub marked: bool,
}

/// Read a PDF as [`Reading`].
pub fn read_checked(bytes: &[u8], house: Option<&HouseGlyphs<'_>>) -> Result<Reading, String> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(format!("larger than {MAX_PDF_BYTES} bytes"));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err("not a PDF (no %PDF- header)".into());
    }
    match read(bytes, house) {
        Ok(words) => Ok(words),
        Err(OpenError::Encrypted) => Err(ENCRYPTED.into()),
        // Not the plain form, damaged, or wrong inside: let lopdf have a go. A file
        // that is wrong inside fails again below, with the same message.
        Err(OpenError::Other(_)) => match read(&rewrite(bytes)?, house) {
            Ok(words) => Ok(words),
            Err(OpenError::Encrypted) => Err(ENCRYPTED.into()),
            Err(OpenError::Other(e)) => Err(e),
        },
    }
}

/// Read a file in the plain form.
fn read(bytes: &[u8], house: Option<&HouseGlyphs<'_>>) -> Result<Reading, OpenError> {
    let doc = Doc::open(bytes)?;
    let pages = doc.pages().map_err(OpenError::Other)?;
    if pages.is_empty() {
        return Err(OpenError::Other("the PDF has no pages".into()));
    }
    if pages.len() > MAX_PAGES {
        return Err(OpenError::Other(format!("more than {MAX_PAGES} pages")));
    }
    let pages: Vec<(u32, Id)> = (1..).zip(pages).collect();
    let fonts = Fonts {
        map: Mutex::default(),
        house,
    };
    let read = |&(n, id): &(u32, Id)| {
        let page = match doc.get(id) {
            Ok(Obj::Dict(d)) => d,
            Ok(_) => Dict::default(),
            Err(e) => return Err(format!("page {n}: {e}")),
        };
        let content = doc
            .page_content(&page, MAX_STREAM_BYTES)
            .map_err(|e| format!("page {n}: cannot read its content: {e}"))?;
        let res = page_resources(&doc, &page).map_err(|e| format!("page {n}: {e}"))?;
        page::read(&doc, &fonts, n, &page, &content, res).map_err(|e| format!("page {n}: {e}"))
    };
    // One page is not worth waking the thread pool for.
    let read: Vec<Result<(words::PageWords, page::PageCheck), String>> = if pages.len() > 1 {
        pages.par_iter().map(read).collect()
    } else {
        pages.iter().map(read).collect()
    };
    // Which page spends the budget last depends on the threads: say it of the file.
    if doc.tangled() {
        return Err(OpenError::Other(doc::TANGLED.into()));
    }
    // The first error in page order, whichever thread met it first.
    let read = read
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(OpenError::Other)?;
    let count = read.len() as u32;
    let mut out = Reading {
        pages: count,
        ..Reading::default()
    };
    let mut words = Vec::with_capacity(read.len());
    for (w, check) in read {
        words.push(w);
        out.findings.extend(check.findings);
        out.marked |= check.marked;
        out.furniture.extend(check.furniture);
    }
    out.words = words::join(words);
    Ok(out)
}

/// Have lopdf read a PDF and write it out in the plain form [`doc`] reads: a classic
/// cross-reference table, no object streams, filters other than `/FlateDecode` undone.
fn rewrite(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use lopdf::Object;
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..Default::default()
    };
    let mut doc = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|e| format!("not a readable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err(ENCRYPTED.into());
    }
    // lopdf leaves out an object it cannot parse, or reads a stream whose /Length runs
    // past its data (a gigabyte, say) as its bare dictionary, and reads on; writing
    // that out would turn a damaged file into one with text missing: a mismatch,
    // rather than the unreadable file it is.
    if let Some(why) = damaged_object(bytes, &doc) {
        return Err(why);
    }
    let mut budget = MAX_REWRITE_BYTES;
    for o in doc.objects.values_mut() {
        let Object::Stream(s) = o else { continue };
        // lopdf finds a stream's end when its /Length is missing or wrong; write it.
        s.dict.set("Length", s.content.len() as i64);
        let flate = s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"FlateDecode");
        if !s.is_compressed() || (flate && s.dict.get(b"DecodeParms").is_err()) {
            continue;
        }
        // A stream lopdf cannot decode either stays as it is: reading it fails later,
        // if the text needs it at all.
        if let Ok(data) = s.decompressed_content_with_limit(budget.min(MAX_STREAM_BYTES)) {
            budget -= data.len();
            s.dict.remove(b"Filter");
            s.dict.remove(b"DecodeParms");
            s.set_content(data);
        }
    }
    doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| format!("not a readable PDF: {e}"))?;
    Ok(out)
}

/// What is wrong with the first object (by number) that lopdf could not read whole:
/// one the file refers to and its cross-reference table lists but lopdf left out, or a
/// dictionary with a `/Length` where lopdf may have dropped the stream after it. Our
/// own parser, asked about that one object, names the problem.
fn damaged_object(bytes: &[u8], doc: &lopdf::Document) -> Option<String> {
    use lopdf::{xref::XrefEntry, Object};
    let offset = |n: u32| match doc.reference_table.get(n) {
        Some(&XrefEntry::Normal { offset, generation }) => Some((generation, offset as usize)),
        _ => None,
    };
    let mut suspects: Vec<(Id, usize)> = Vec::new();
    let mut todo: Vec<&Object> = Vec::new();
    for (&(n, g), o) in &doc.objects {
        if let Object::Dictionary(d) = o {
            if let (true, Some((_, at))) = (d.has(b"Length"), offset(n)) {
                suspects.push(((n, g), at));
            }
        }
        todo.push(o);
    }
    todo.extend(doc.trailer.iter().map(|(_, v)| v));
    // An explicit stack: nesting depth is whatever the file has.
    while let Some(o) = todo.pop() {
        match o {
            Object::Reference(id) if !doc.objects.contains_key(id) => {
                if let Some((g, at)) = offset(id.0) {
                    suspects.push(((id.0, g), at));
                }
            }
            Object::Array(a) => todo.extend(a.iter()),
            Object::Dictionary(d) => todo.extend(d.iter().map(|(_, v)| v)),
            Object::Stream(s) => todo.extend(s.dict.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    if suspects.is_empty() {
        return None;
    }
    suspects.sort_unstable();
    suspects.dedup();
    // All objects, so that an indirect `/Length` can be followed.
    let all = doc
        .reference_table
        .entries
        .iter()
        .filter_map(|(&n, e)| match *e {
            XrefEntry::Normal { offset, generation } => Some(((n, generation), offset as usize)),
            _ => None,
        });
    let ours = Doc::with_offsets(bytes, all);
    suspects
        .into_iter()
        .find_map(|(id, at)| match ours.get(id) {
            Err(e) => Some(format!("{e} (at byte {at})")),
            Ok(_) if !doc.objects.contains_key(&id) => Some(format!(
                "object {} {} (at byte {at}) cannot be read",
                id.0, id.1
            )),
            Ok(_) => None,
        })
}

/// The page's resources, inherited from its ancestors when the page has none.
fn page_resources<'a>(doc: &Doc<'a>, page: &Dict<'a>) -> Result<Option<Dict<'a>>, String> {
    let mut node = std::borrow::Cow::Borrowed(page);
    for _ in 0..MAX_TREE_DEPTH {
        if let Some(r) = doc.dict_at(&node, b"Resources")? {
            return Ok(Some(r));
        }
        match doc.dict_at(&node, b"Parent")? {
            Some(parent) => node = std::borrow::Cow::Owned(parent),
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// How to turn a font's shown strings into text.
#[derive(Debug)]
struct Font {
    map: Option<ToUnicode>,
    /// Code length without a codespace: 2 for Type0 fonts, 1 for simple fonts.
    code_len: usize,
    /// Widths and glyph checks, for [`profile`].
    metrics: font::Metrics,
}

impl Font {
    /// Read a font dictionary; an error completes "font /F0…".
    fn read(
        doc: &Doc<'_>,
        dict: &Dict<'_>,
        house: Option<&HouseGlyphs<'_>>,
    ) -> Result<Font, String> {
        let composite = dict.name(b"Subtype") == Some(b"Type0");
        let to_unicode = match dict.get(b"ToUnicode") {
            Some(o) => doc.resolve(o).map_err(|e| format!(": {e}"))?.into_owned(),
            None => Obj::Null,
        };
        let map = match to_unicode {
            Obj::Stream(s) => {
                let bytes = doc
                    .data(&s, MAX_STREAM_BYTES)
                    .map_err(|e| format!(": cannot read its ToUnicode map: {e}"))?;
                Some(ToUnicode::parse(&bytes))
            }
            _ if composite => {
                return Err(" has no /ToUnicode map, so its text cannot be read \
                     (docs/editions.md requires one)"
                    .into())
            }
            _ => None,
        };
        let metrics = font::Metrics::read(doc, dict, map.as_ref(), house);
        Ok(Font {
            map,
            code_len: if composite { 2 } else { 1 },
            metrics,
        })
    }

    fn decode_into(&self, bytes: &[u8], out: &mut String) {
        match &self.map {
            Some(m) => m.decode_into(bytes, self.code_len, out),
            // A simple font without a map: read the bytes as Latin-1, which is right for
            // the ASCII range of the standard encodings.
            None => out.extend(bytes.iter().map(|&b| b as char)),
        }
    }
}

/// Fonts read so far, by object, shared by the pages read in parallel.
#[derive(Debug)]
struct Fonts<'h> {
    map: Mutex<HashMap<Id, Arc<Font>>>,
    /// The house fonts glyphs are checked against, if any.
    house: Option<&'h HouseGlyphs<'h>>,
}

impl Fonts<'_> {
    fn get(&self, id: Id) -> Option<Arc<Font>> {
        // A poisoned lock only means another page's reader panicked; the map is intact.
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&id).cloned()
    }

    fn insert(&self, id: Id, font: Arc<Font>) {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        map.insert(id, font);
    }
}
