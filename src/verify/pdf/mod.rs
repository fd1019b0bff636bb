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
//! `q` and marked content. lopdf reads the file's objects and reports malformed files
//! as errors; content streams are split into operations by [`lexer`]. Pages are read
//! in parallel ([`page`]) and their words joined in order ([`words`]), so the result
//! does not depend on the number of threads.

mod lexer;
mod page;
mod words;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use lopdf::{Dictionary, Document, Object, ObjectId};
use rayon::prelude::*;

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
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if pages.is_empty() {
        return Err("the PDF has no pages".into());
    }
    if pages.len() > MAX_PAGES {
        return Err(format!("more than {MAX_PAGES} pages"));
    }
    let fonts = Fonts::default();
    let read = |&(n, id): &(u32, ObjectId)| {
        let content = doc
            .get_page_content_with_limit(id, MAX_STREAM_BYTES)
            .map_err(|e| format!("page {n}: cannot read its content: {e}"))?;
        page::read(&doc, &fonts, n, &content, page_resources(&doc, id))
            .map_err(|e| format!("page {n}: {e}"))
    };
    // One page is not worth waking the thread pool for.
    let read: Vec<Result<words::PageWords, String>> = if pages.len() > 1 {
        pages.par_iter().map(read).collect()
    } else {
        pages.iter().map(read).collect()
    };
    // The first error in page order, whichever thread met it first.
    let read = read.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(words::join(read))
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
    /// Read a font dictionary; an error completes "font /F0…".
    fn read(doc: &Document, dict: &Dictionary) -> Result<Font, String> {
        let composite = dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0");
        let map = match dict.get(b"ToUnicode").ok().and_then(|o| deref(doc, o)) {
            Some(Object::Stream(s)) => {
                let bytes = s
                    .get_plain_content_with_limit(MAX_STREAM_BYTES)
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
        Ok(Font {
            map,
            code_len: if composite { 2 } else { 1 },
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
#[derive(Debug, Default)]
struct Fonts(Mutex<HashMap<ObjectId, Arc<Font>>>);

impl Fonts {
    fn get(&self, id: ObjectId) -> Option<Arc<Font>> {
        // A poisoned lock only means another page's reader panicked; the map is intact.
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&id).cloned()
    }

    fn insert(&self, id: ObjectId, font: Arc<Font>) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.insert(id, font);
    }
}
