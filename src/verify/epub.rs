//! Reading the EPUB edition back into words: `META-INF/container.xml` → package
//! document → spine in order → the text of each XHTML body, by the rules of
//! `docs/editions.md` (restated here, not shared with the renderer).
//!
//! - Spine items with `linear="no"` and the navigation document are not content.
//! - Inside `<body>`, the subtrees of `<head>`, `<nav>`, `<script>`, `<style>` and of any
//!   element with `aria-hidden="true"`, an `epub:type` naming `noteref`, or a `role` of
//!   `doc-noteref` / `doc-backlink` are furniture and skipped.
//! - Block elements end words; inline elements do not.
//!
//! The archive is opened through [`super::zipsafe`]; nothing is written to disk.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};

use super::compare::{Found, Place};
use super::zipsafe::SafeZip;

/// Deepest element nesting accepted in an XML document.
const MAX_DEPTH: usize = 512;

const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "td",
    "th",
    "figcaption",
    "div",
    "blockquote",
    "section",
    "header",
    "footer",
    "aside",
    "br",
    "body",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "figure",
    "article",
    "main",
    "pre",
    "hr",
];

const SKIPPED: &[&str] = &["head", "nav", "script", "style", "title"];

/// Words of an EPUB, each placed at its file, block element and XHTML line.
pub fn extract(bytes: &[u8]) -> Result<Vec<Found>, String> {
    let mut zip = SafeZip::open(bytes)?;
    if zip.contains("mimetype") {
        let m = zip.read("mimetype")?;
        if m.trim_ascii() != b"application/epub+zip" {
            return Err("the mimetype entry is not application/epub+zip".into());
        }
    } else {
        return Err("no mimetype entry: not an EPUB".into());
    }
    let container = zip.read("META-INF/container.xml")?;
    let opf_path = rootfile(&container).map_err(|e| format!("META-INF/container.xml: {e}"))?;
    let opf = zip.read(&opf_path)?;
    let spine = spine(&opf, &opf_path).map_err(|e| format!("{opf_path}: {e}"))?;
    if spine.is_empty() {
        return Err(format!("{opf_path}: the spine has no content documents"));
    }
    let mut out = Vec::new();
    for name in spine {
        let xhtml = zip.read(&name)?;
        body_words(&xhtml, &name, &mut out).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(out)
}

/// Iterate the events of an XML document, bounded in depth; `f` sees each event.
fn walk(
    bytes: &[u8],
    mut f: impl FnMut(&Event<'_>, usize, u64) -> Result<(), String>,
) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().expand_empty_elements = true;
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        match &ev {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            Event::DocType(d) if d.windows(8).any(|w| w == b"<!ENTITY") => {
                // Entity declarations are how "billion laughs" attacks start; an
                // EPUB has no business declaring entities.
                return Err("the document declares entities (<!ENTITY>); refused".into());
            }
            _ => {}
        }
        f(&ev, depth, pos)?;
        buf.clear();
    }
    if depth != 0 {
        return Err("the document ends inside an element".into());
    }
    Ok(())
}

fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

/// The package document's path from `container.xml`.
fn rootfile(xml: &[u8]) -> Result<String, String> {
    let mut found = None;
    walk(xml, |ev, _, _| {
        if let Event::Start(e) = ev {
            if found.is_none() && e.local_name().as_ref() == b"rootfile" {
                found = attr(e, b"full-path");
            }
        }
        Ok(())
    })?;
    let path = found.ok_or("no <rootfile full-path=…>")?;
    resolve("", &path).ok_or_else(|| format!("rootfile path {path:?} leaves the archive"))
}

/// The content documents of the spine, in order, as archive entry names.
fn spine(opf: &[u8], opf_path: &str) -> Result<Vec<String>, String> {
    let base = opf_path.rsplit_once('/').map_or("", |(d, _)| d);
    // id → (href, media type, properties)
    let mut items: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    let mut refs: Vec<(String, bool)> = Vec::new();
    walk(opf, |ev, _, _| {
        if let Event::Start(e) = ev {
            match e.local_name().as_ref() {
                b"item" => {
                    let id = attr(e, b"id").unwrap_or_default();
                    let href = attr(e, b"href").ok_or("an <item> has no href")?;
                    let media = attr(e, b"media-type").unwrap_or_default();
                    let props = attr(e, b"properties").unwrap_or_default();
                    items.insert(id, (href, media, props));
                }
                b"itemref" => {
                    let idref = attr(e, b"idref").ok_or("an <itemref> has no idref")?;
                    let linear = attr(e, b"linear").is_none_or(|l| l.trim() != "no");
                    refs.push((idref, linear));
                }
                _ => {}
            }
        }
        Ok(())
    })?;
    let mut out = Vec::new();
    for (idref, linear) in refs {
        let (href, media, props) = items
            .get(&idref)
            .ok_or_else(|| format!("the spine names item {idref:?}, which the manifest lacks"))?;
        if !linear || props.split_whitespace().any(|p| p == "nav") {
            continue;
        }
        if media != "application/xhtml+xml" {
            continue; // Not a text document (e.g. an SVG cover): carries no content words.
        }
        let name = resolve(base, &percent_decode(href))
            .ok_or_else(|| format!("item {idref:?} points outside the archive: {href:?}"))?;
        out.push(name);
    }
    Ok(out)
}

/// Join a relative href to a folder inside the archive; `None` if it escapes.
fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.split('#').next().unwrap_or("");
    if href.contains("://") || href.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&crate::hex::unescape(s.as_bytes(), b'%')).into_owned()
}

/// Whether an element and its subtree are furniture.
fn is_furniture(e: &BytesStart<'_>) -> bool {
    let name = e.local_name();
    if SKIPPED.iter().any(|s| s.as_bytes() == name.as_ref()) {
        return true;
    }
    attr(e, b"aria-hidden").is_some_and(|v| v.trim() == "true")
        || attr(e, b"type").is_some_and(|v| v.split_whitespace().any(|t| t == "noteref"))
        || attr(e, b"role").is_some_and(|v| {
            v.split_whitespace()
                .any(|r| r == "doc-noteref" || r == "doc-backlink")
        })
}

/// The words in the `<body>` of one XHTML document.
fn body_words(xhtml: &[u8], file: &str, out: &mut Vec<Found>) -> Result<(), String> {
    // quick-xml gives offsets as u64; a document is far below usize's range.
    let lines = super::profile::line_index(xhtml);
    let line_of = |pos: u64| lines(usize::try_from(pos).unwrap_or(usize::MAX));
    let file: std::sync::Arc<str> = file.into();
    let mut w = Words::default();
    // Depth at which the current skipped subtree started, if any.
    let mut skip_from: Option<usize> = None;
    let mut in_body = false;
    // How many of each block element so far, in the order of BLOCKS.
    let mut counts = [0u32; BLOCKS.len()];
    let mut blocks: Vec<(usize, std::sync::Arc<str>)> = Vec::new();
    walk(xhtml, |ev, depth, pos| {
        let place = |blocks: &[(usize, std::sync::Arc<str>)]| Place {
            file: Some(file.clone()),
            element: blocks.last().map(|(_, l)| l.clone()),
            line: Some(line_of(pos)),
            page: None,
        };
        match ev {
            Event::Start(e) => {
                let name = e.local_name();
                if name.as_ref() == b"body" {
                    in_body = true;
                }
                if skip_from.is_none() && is_furniture(e) {
                    skip_from = Some(depth);
                }
                if let Some(b) = BLOCKS.iter().position(|b| b.as_bytes() == name.as_ref()) {
                    w.flush(out);
                    counts[b] += 1;
                    blocks.push((depth, format!("{} {}", BLOCKS[b], counts[b]).into()));
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                if BLOCKS.iter().any(|b| b.as_bytes() == name.as_ref()) {
                    w.flush(out);
                }
                if blocks.last().is_some_and(|(d, _)| *d == depth + 1) {
                    blocks.pop();
                }
                if skip_from == Some(depth + 1) {
                    skip_from = None;
                }
                if name.as_ref() == b"body" {
                    in_body = false;
                }
            }
            Event::Text(t) if in_body && skip_from.is_none() => {
                let s = t.xml10_content().map_err(|e| format!("bad text: {e}"))?;
                w.push_str(&s, || place(&blocks), out);
            }
            Event::CData(t) if in_body && skip_from.is_none() => {
                let s = t.decode().map_err(|e| format!("bad text: {e}"))?;
                w.push_str(&s, || place(&blocks), out);
            }
            Event::GeneralRef(r) if in_body && skip_from.is_none() => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|e| format!("bad character reference: {e}"))?
                } else {
                    named_entity(&r.decode().map_err(|e| format!("bad entity: {e}"))?)
                };
                let c = c.ok_or("unknown entity reference")?;
                w.push_str(c.encode_utf8(&mut [0; 4]), || place(&blocks), out);
            }
            _ => {}
        }
        Ok(())
    })?;
    w.flush(out);
    Ok(())
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        // Not an XML entity, but common in hand-made XHTML; harmless to accept.
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

/// Assembles words from text fragments that inline elements may split.
#[derive(Default)]
struct Words {
    word: String,
    place: Option<Place>,
}

impl Words {
    /// Add text; `place` says where, and is asked only when a word starts here.
    fn push_str(&mut self, s: &str, place: impl Fn() -> Place, out: &mut Vec<Found>) {
        for ch in s.chars() {
            if ch.is_whitespace() {
                self.flush(out);
            } else {
                if self.word.is_empty() {
                    self.place = Some(place());
                }
                self.word.push(ch);
            }
        }
    }

    fn flush(&mut self, out: &mut Vec<Found>) {
        if self.word.is_empty() {
            return;
        }
        let place = self.place.take().unwrap_or_default();
        super::push_words(std::mem::take(&mut self.word), &place, false, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_and_blocks() {
        let x = br##"<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>T</title></head>
<body><nav>skip</nav><h1>Title</h1><p>One<em>two</em> three<a epub:type="noteref" href="#n1">1</a></p>
<p>four&amp;five&#160;six</p><p aria-hidden="true">hidden</p><ul><li>a</li><li>b<a role="doc-backlink">back</a></li></ul></body></html>"##;
        let mut out = Vec::new();
        body_words(x, "t.xhtml", &mut out).unwrap();
        let w: Vec<&str> = out.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            w,
            ["Title", "Onetwo", "three", "four&five", "six", "a", "b"]
        );
        assert_eq!(out[1].place.to_string(), "t.xhtml, <p 1>, line 2");
    }

    #[test]
    fn hrefs_resolve_inside_the_archive() {
        assert_eq!(
            resolve("EPUB", "text/a.xhtml#x").as_deref(),
            Some("EPUB/text/a.xhtml")
        );
        assert_eq!(
            resolve("EPUB/a", "../b.xhtml").as_deref(),
            Some("EPUB/b.xhtml")
        );
        assert_eq!(resolve("", "../b.xhtml"), None);
        assert_eq!(resolve("", "/etc/passwd"), None);
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let mut out = Vec::new();
        assert!(body_words(b"<html><body><p>x</body></html>", "f", &mut out).is_err());
        assert!(body_words(b"<html><body><p>x</p>", "f", &mut out).is_err());
        let bomb = b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><html><body>&a;</body></html>";
        assert!(body_words(bomb, "f", &mut out).is_err());
    }
}
