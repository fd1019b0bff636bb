//! The EPUB against the house EPUB (see [`super::profile`]): entry by entry, each file
//! must be the one the house renderer writes for this source, whatever the ZIP around
//! them. Where a file differs, the first construct that differs is named:
//!
//! - XHTML, SVG and the package document are compared event by event (elements with
//!   their attributes, text, comments); an element or attribute the house does not
//!   write there is named by what it can do (`style`, `hidden`, `aria-hidden`, a note
//!   reference or back-link marker, a `<nav>`, SVG `<text>`, `linear="no"`, …). Text
//!   the word reader reads (the body of a content document outside furniture) is left
//!   to the word comparison; all other text (furniture, the navigation document, the
//!   package metadata, the SVG) must be the house's, since a reader shows it too.
//! - The stylesheet is compared line by line ([`super::epub_css`]).
//! - Fonts are compared glyph by glyph through their `cmap` ([`super::epub_fonts`]).
//! - The package's `dcterms:modified` may differ (it follows `SOURCE_DATE_EPOCH`).

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::events::{BytesStart, Event};

use super::compare::Found;
use super::profile::{clip, line_index, Finding};
use super::zipsafe::SafeZip;

/// How a reader may be misled, said once after each named construct.
pub(crate) const CONSEQUENCE: &str = "a reader may see other words than the ones checked";

/// Hold the EPUB `edition` against the house EPUB's entries `house` (path and
/// uncompressed bytes, as [`crate::render::epub::entries`] gives them). `found` are
/// the words read from the edition; `words_differ` says whether they already differ
/// from the content.
///
/// Entry by entry, never archive against archive: the house archive would have to be
/// compressed only to be compared (a third of the seed's check), and the ZIP
/// container is what a faithful re-zip may change anyway. Inflating the edition's
/// entries, which its reader has just read, costs far less.
pub fn check(
    edition: &[u8],
    house: &[(String, Vec<u8>)],
    found: &[Found],
    words_differ: bool,
) -> Vec<Finding> {
    let whole = |what: String| {
        vec![Finding {
            file: None,
            line: None,
            what,
        }]
    };
    let mut ed = match SafeZip::open(edition) {
        Ok(z) => z,
        Err(e) => return whole(format!("the archive cannot be read again: {e}")),
    };
    let ho: BTreeMap<&str, &[u8]> = house
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    // Directory entries (`zip -r` writes them) hold nothing a reader shows.
    let ed_names: BTreeSet<String> = ed
        .names()
        .filter(|n| !n.ends_with('/'))
        .map(str::to_owned)
        .collect();
    let mut out = Vec::new();
    for n in ho.keys().filter(|n| !ed_names.contains(**n)) {
        out.push(Finding::entry(
            n,
            None,
            format!("{} of the house EPUB is missing", kind_of(n)),
        ));
    }
    for n in ed_names.iter().filter(|n| !ho.contains_key(n.as_str())) {
        out.push(Finding::entry(
            n,
            None,
            format!("{} the house EPUB does not have; {CONSEQUENCE}", kind_of(n)),
        ));
    }
    // Files whose text the word reader read: their body text is compared as words.
    let read: BTreeSet<&str> = found
        .iter()
        .filter_map(|f| f.place.file.as_deref())
        .collect();
    for n in &ed_names {
        let Some(b) = ho.get(n.as_str()) else {
            continue;
        };
        let a = match ed.read(n) {
            Ok(a) => a,
            Err(e) => {
                out.push(Finding::entry(n, None, format!("cannot be read: {e}")));
                continue;
            }
        };
        if a == *b {
            continue;
        }
        out.extend(diagnose(n, &a, b, read.contains(n.as_str()), words_differ));
    }
    out
}

/// What an entry is, by its name, for messages.
fn kind_of(name: &str) -> &'static str {
    match extension(name) {
        "css" => "a stylesheet",
        "svg" => "an SVG image",
        "xhtml" | "html" | "htm" => "a content document",
        "ttf" | "otf" | "woff" | "woff2" => "a font",
        "png" | "jpg" | "jpeg" | "gif" | "webp" => "an image",
        "opf" => "a package document",
        _ => "a file",
    }
}

fn extension(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// Name what differs in entry `name` (`a` the edition's bytes, `b` the house's).
fn diagnose(name: &str, a: &[u8], b: &[u8], read: bool, words_differ: bool) -> Vec<Finding> {
    let xml = |kind: Kind| match xml_diff(a, b, kind) {
        Diff::Same => Vec::new(),
        // Only words differ: the word comparison has said where, unless it found
        // nothing (then the file still is not the house's, and that is said here).
        Diff::Words(_) if words_differ => Vec::new(),
        Diff::Words(line) => vec![Finding::entry(
            name,
            Some(line),
            "the text differs from what the house renderer writes here, though the words \
             read the same"
                .into(),
        )],
        Diff::Construct(line, what) => {
            let mut out = vec![Finding::entry(name, Some(line), what)];
            out.extend(
                more_constructs(a, b, kind, line)
                    .into_iter()
                    .map(|(l, what)| Finding::entry(name, Some(l), what)),
            );
            out
        }
    };
    match extension(name) {
        "xhtml" | "html" | "htm" => xml(Kind::Xhtml { read }),
        "svg" => xml(Kind::Svg),
        "opf" | "xml" => xml(Kind::Package),
        "css" => super::epub_css::diff(name, a, b),
        "ttf" | "otf" => vec![Finding::entry(
            name,
            None,
            super::epub_fonts::diagnose(a, b),
        )],
        _ => vec![Finding::entry(
            name,
            None,
            format!("{} differs from the house's", kind_of(name)),
        )],
    }
}

/// What kind of XML document is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `read`: the word reader read this document's body.
    Xhtml {
        read: bool,
    },
    Svg,
    Package,
}

/// The outcome of comparing two XML documents.
#[derive(Debug, PartialEq, Eq)]
enum Diff {
    Same,
    /// Only text the word reader reads differs (first at this line).
    Words(u32),
    /// A construct differs, at this line of the edition.
    Construct(u32, String),
}

/// One event of an XML document, as compared.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    /// Qualified name and attributes (raw values), in document order; `empty` for `<x/>`.
    Open {
        name: String,
        attrs: Vec<(String, String)>,
        empty: bool,
    },
    Close(String),
    /// Character data, with references and CDATA joined in as written.
    Text(String),
    /// A comment, processing instruction, declaration or DOCTYPE, as written.
    Other(&'static str, String),
}

/// The events of an XML document, adjacent text joined, each with its line.
struct Events<'a> {
    reader: quick_xml::Reader<&'a [u8]>,
    line_of: Box<dyn Fn(usize) -> u32 + 'a>,
    /// An event read after text, to be given out after it.
    held: Option<(u32, Ev)>,
    done: bool,
}

impl<'a> Events<'a> {
    fn new(bytes: &'a [u8]) -> Events<'a> {
        let mut reader = quick_xml::Reader::from_reader(bytes);
        reader.config_mut().check_end_names = false;
        Events {
            reader,
            line_of: Box::new(line_index(bytes)),
            held: None,
            done: false,
        }
    }

    /// The next event, `None` at the end; malformed XML is an event of its own.
    fn next(&mut self) -> Option<(u32, Ev)> {
        if let Some(h) = self.held.take() {
            return Some(h);
        }
        let mut text: Option<(u32, String)> = None;
        loop {
            if self.done {
                return text.map(|(l, t)| (l, Ev::Text(t)));
            }
            let line = (self.line_of)(usize::try_from(self.reader.buffer_position()).unwrap_or(0));
            let piece = match self.reader.read_event() {
                Err(e) => {
                    self.done = true;
                    Err(Ev::Other("malformed XML", e.to_string()))
                }
                Ok(Event::Eof) => {
                    self.done = true;
                    continue;
                }
                Ok(Event::Text(t)) => Ok(lossy(&t)),
                Ok(Event::CData(t)) => Ok(format!("<![CDATA[{}]]>", lossy(&t))),
                Ok(Event::GeneralRef(r)) => Ok(format!("&{};", lossy(&r))),
                Ok(Event::Start(e)) => Err(open(&e, false)),
                Ok(Event::Empty(e)) => Err(open(&e, true)),
                Ok(Event::End(e)) => Err(Ev::Close(lossy(e.name().as_ref()))),
                Ok(Event::Comment(c)) => Err(Ev::Other("an XML comment", lossy(&c))),
                Ok(Event::PI(p)) => Err(Ev::Other("a processing instruction", lossy(&p))),
                Ok(Event::Decl(d)) => Err(Ev::Other("the XML declaration", lossy(&d))),
                Ok(Event::DocType(d)) => Err(Ev::Other("a DOCTYPE", lossy(&d))),
            };
            match (piece, &mut text) {
                (Ok(s), Some((_, t))) => t.push_str(&s),
                (Ok(s), None) => text = Some((line, s)),
                (Err(ev), Some(_)) => {
                    self.held = Some((line, ev));
                    return text.map(|(l, t)| (l, Ev::Text(t)));
                }
                (Err(ev), None) => return Some((line, ev)),
            }
        }
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn open(e: &BytesStart<'_>, empty: bool) -> Ev {
    let attrs = e
        .attributes()
        .with_checks(false)
        .map(|a| match a {
            Ok(a) => (lossy(a.key.as_ref()), lossy(&a.value)),
            Err(err) => ("(malformed attribute)".to_owned(), err.to_string()),
        })
        .collect();
    Ev::Open {
        name: lossy(e.name().as_ref()),
        attrs,
        empty,
    }
}

fn attr<'e>(attrs: &'e [(String, String)], name: &str) -> Option<&'e str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Whether an element starts furniture the word reader skips (the rules of
/// `docs/editions.md`, restated): its text is compared here instead.
fn furniture(name: &str, attrs: &[(String, String)]) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name);
    matches!(local, "head" | "nav" | "script" | "style" | "title")
        || attr(attrs, "aria-hidden").is_some_and(|v| v.trim() == "true")
        || attr(attrs, "epub:type").is_some_and(|v| v.split_whitespace().any(|t| t == "noteref"))
        || attr(attrs, "role").is_some_and(|v| {
            v.split_whitespace()
                .any(|r| r == "doc-noteref" || r == "doc-backlink")
        })
}

/// An element open around the point compared: its name, its attributes, and whether
/// it is furniture or inside furniture.
type Frame = (String, Vec<(String, String)>, bool);

/// Compare the edition's XML `a` with the house's `b`, event by event, up to the first
/// construct that differs.
fn xml_diff(a: &[u8], b: &[u8], kind: Kind) -> Diff {
    let (mut ea, mut eb) = (Events::new(a), Events::new(b));
    // The open elements (the same on both sides so far): name, attributes, and
    // whether the element is furniture or inside it.
    let mut stack: Vec<Frame> = Vec::new();
    let mut in_body = false;
    let mut words_at: Option<u32> = None;
    loop {
        let (x, y) = (ea.next(), eb.next());
        let (line, ev) = match (&x, &y) {
            (None, None) => break,
            (Some((l, e)), _) => (*l, Some(e)),
            (None, Some(_)) => (
                u32::try_from(a.iter().filter(|&&c| c == b'\n').count() + 1).unwrap_or(u32::MAX),
                None,
            ),
        };
        let house = y.as_ref().map(|(_, e)| e);
        if ev == house {
            match ev {
                Some(Ev::Open { name, attrs, empty }) => {
                    let furn = stack.last().is_some_and(|s| s.2) || furniture(name, attrs);
                    if name == "body" {
                        in_body = true;
                    }
                    if !empty {
                        stack.push((name.clone(), attrs.clone(), furn));
                    }
                }
                Some(Ev::Close(name)) => {
                    stack.pop();
                    if name == "body" {
                        in_body = false;
                    }
                }
                _ => {}
            }
            continue;
        }
        // Text that differs where the word reader reads it, or where the house writes
        // a value the edition may change (`dcterms:modified`), does not stop the walk.
        if let (Some(Ev::Text(_)), Some(Ev::Text(_))) = (ev, house) {
            let furn = stack.last().is_some_and(|s| s.2);
            if matches!(kind, Kind::Xhtml { read: true }) && in_body && !furn {
                words_at.get_or_insert(line);
                continue;
            }
            let modified = stack
                .last()
                .is_some_and(|(_, attrs, _)| attr(attrs, "property") == Some("dcterms:modified"));
            if kind == Kind::Package && modified {
                continue;
            }
        }
        return Diff::Construct(line, describe(ev, house, &stack, kind));
    }
    words_at.map_or(Diff::Same, Diff::Words)
}

/// Past the first difference the two documents no longer line up, so the rest of the
/// edition is searched for elements the house document does not have anywhere (name
/// and attributes) and that do something by name (`linear="no"`, `style`, …); at most
/// a few, after the first difference at `first`.
fn more_constructs(a: &[u8], b: &[u8], kind: Kind, first: u32) -> Vec<(u32, String)> {
    let mut house = BTreeSet::new();
    let mut eb = Events::new(b);
    while let Some((_, ev)) = eb.next() {
        if let Ev::Open { name, attrs, .. } = ev {
            house.insert((name, attrs));
        }
    }
    let mut out = Vec::new();
    let mut ea = Events::new(a);
    while let Some((line, ev)) = ea.next() {
        let Ev::Open { name, attrs, .. } = ev else {
            continue;
        };
        if line <= first || house.contains(&(name.clone(), attrs.clone())) {
            continue;
        }
        let named: Vec<String> = attrs
            .iter()
            .filter_map(|(k, v)| attribute(k, v))
            .chain(constructs(&name, &[], kind))
            .collect();
        if named.is_empty() {
            continue;
        }
        out.push((
            line,
            format!(
                "element {}: {}: not part of the house EPUB; {CONSEQUENCE}",
                tag(&name, &attrs),
                named.join(", ")
            ),
        ));
        if out.len() >= 5 {
            break;
        }
    }
    out
}

/// An element as written, shortened: `<span style="…">`.
fn tag(name: &str, attrs: &[(String, String)]) -> String {
    let mut s = format!("<{name}");
    for (k, v) in attrs {
        s.push_str(&format!(" {k}=\"{}\"", clip(v, 40)));
    }
    s.push('>');
    clip(&s, 100)
}

/// An event as written, shortened, for messages.
fn show(ev: Option<&Ev>) -> String {
    match ev {
        None => "the end of the document".into(),
        Some(Ev::Open { name, attrs, .. }) => tag(name, attrs),
        Some(Ev::Close(n)) => format!("</{n}>"),
        Some(Ev::Text(t)) if t.trim().is_empty() => "white space".into(),
        Some(Ev::Text(t)) => format!("the text \"{}\"", clip(t, 60)),
        Some(Ev::Other(what, t)) => format!("{what} ({})", clip(t, 40)),
    }
}

/// What an element can do to what a reader sees, by name and attributes.
fn constructs(name: &str, attrs: &[(String, String)], kind: Kind) -> Vec<String> {
    let local = name.rsplit(':').next().unwrap_or(name);
    let mut out: Vec<String> = match local {
        "nav" => vec!["a <nav> in the body (the word reader skips navigation)".into()],
        "style" => vec!["an embedded stylesheet".into()],
        "link" => vec!["a link to another stylesheet".into()],
        "script" => vec!["a script".into()],
        "bdo" | "bdi" => vec!["a bidi override (<bdo>) that reverses the letters".into()],
        "svg" if kind != Kind::Svg => vec!["an inline SVG".into()],
        "text" | "tspan" | "textPath" => vec!["SVG text (<text>)".into()],
        "foreignObject" => vec!["SVG foreign content".into()],
        "img" | "image" | "object" | "embed" | "iframe" => {
            vec![format!("an image or embedded document (<{local}>)")]
        }
        "itemref" => vec!["a spine item".into()],
        "item" => vec!["a manifest item".into()],
        _ => Vec::new(),
    };
    for (k, v) in attrs {
        if let Some(c) = attribute(k, v) {
            out.push(c);
        }
    }
    out
}

/// What an attribute can do to what a reader sees, if it is one of the known risks.
fn attribute(k: &str, v: &str) -> Option<String> {
    let has = |list: &str, t: &str| list.split_whitespace().any(|x| x == t);
    Some(match k {
        "style" => "inline style (style=…)".into(),
        "hidden" => "the hidden attribute".into(),
        "aria-hidden" => "aria-hidden (the word reader skips what it marks)".into(),
        "epub:type" if has(v, "noteref") => {
            "a note reference marker (epub:type=\"noteref\"; the word reader skips its text)".into()
        }
        "role" if has(v, "doc-noteref") || has(v, "doc-backlink") => {
            format!("a note marker (role=\"{v}\"; the word reader skips its text)")
        }
        "linear" => format!(
            "linear=\"{v}\": a spine item outside the reading order, which reading systems \
             still show"
        ),
        "dir" => format!("a text direction (dir=\"{v}\")"),
        "class" => format!(
            "class=\"{}\" (the stylesheet styles elements by class)",
            clip(v, 40)
        ),
        "properties" => format!("properties=\"{v}\""),
        "media-type" => format!("media-type=\"{v}\""),
        "d" => "a glyph outline (<path d=…>): the drawing shows other letters".into(),
        "transform" => "a transform that moves what is drawn".into(),
        "fill" | "opacity" | "fill-opacity" | "visibility" | "display" => {
            format!("{k}=\"{v}\" (colour or visibility)")
        }
        "href" | "xlink:href" | "src" => format!("{k}=\"{}\"", clip(v, 60)),
        _ => return None,
    })
}

/// Where furniture text sits, for a message about it.
fn text_place(stack: &[Frame], kind: Kind) -> String {
    let Some((name, attrs, _)) = stack.last() else {
        return "outside the root element".into();
    };
    let what = match name.as_str() {
        "dc:title" => "the package metadata's title (dc:title)",
        "dc:creator" => "the package metadata's creator (dc:creator)",
        "dc:date" => "the package metadata's date (dc:date)",
        "dc:language" => "the package metadata's language (dc:language)",
        "dc:identifier" => "the package metadata's identifier (dc:identifier)",
        "dc:subject" => "the package metadata's subject (dc:subject)",
        "dc:description" => "the package metadata's description (dc:description)",
        "dc:publisher" => "the package metadata's publisher (dc:publisher)",
        "title" if kind == Kind::Svg => "the SVG's title",
        "title" => "the document title (<title>)",
        _ => "",
    };
    if !what.is_empty() {
        return what.into();
    }
    // The innermost furniture element explains why the word reader skipped the text.
    for (name, attrs, _) in stack.iter().rev() {
        let local = name.rsplit(':').next().unwrap_or(name);
        if local == "nav" {
            return format!(
                "the navigation ({}; it must list the headings as the house does)",
                tag(name, attrs)
            );
        }
        if let Some(c) = attrs.iter().find_map(|(k, v)| {
            matches!(k.as_str(), "aria-hidden" | "epub:type" | "role")
                .then(|| attribute(k, v))
                .flatten()
        }) {
            return format!("{} inside {c}", tag(name, attrs));
        }
    }
    tag(name, attrs)
}

/// The message for the first event that differs: `ev` the edition's, `house` the
/// house's at the same point, `stack` the elements open around both.
fn describe(ev: Option<&Ev>, house: Option<&Ev>, stack: &[Frame], kind: Kind) -> String {
    let why = |c: Vec<String>| {
        if c.is_empty() {
            String::new()
        } else {
            format!("{}: ", c.join(", "))
        }
    };
    match (ev, house) {
        (
            Some(Ev::Open { name, attrs, .. }),
            Some(Ev::Open {
                name: hn,
                attrs: ha,
                ..
            }),
        ) if name == hn => {
            let extra = attrs.iter().find(|(k, v)| attr(ha, k) != Some(v.as_str()));
            match extra {
                Some((k, v)) => {
                    let c = attribute(k, v).unwrap_or_else(|| format!("{k}=\"{}\"", clip(v, 40)));
                    let house_value = attr(ha, k).map_or_else(
                        || "does not write it".to_owned(),
                        |hv| format!("writes {k}=\"{}\"", clip(hv, 40)),
                    );
                    format!(
                        "element {}: {c} is not part of the house EPUB here (the house \
                         renderer {house_value}); {CONSEQUENCE}",
                        tag(name, attrs)
                    )
                }
                None => {
                    let missing = ha
                        .iter()
                        .find(|(k, _)| attr(attrs, k).is_none())
                        .map_or_else(String::new, |(k, v)| format!("{k}=\"{}\"", clip(v, 40)));
                    format!(
                        "element {}: lacks {missing} that the house renderer writes; {CONSEQUENCE}",
                        tag(name, attrs)
                    )
                }
            }
        }
        (Some(Ev::Open { name, attrs, .. }), h) => format!(
            "element {}: {}not part of the house EPUB here (the house renderer writes {}); \
             {CONSEQUENCE}",
            tag(name, attrs),
            why(constructs(name, attrs, kind)),
            show(h)
        ),
        (Some(Ev::Text(t)), Some(Ev::Text(h))) => format!(
            "{}: says \"{}\" where the house renderer writes \"{}\"; {CONSEQUENCE}",
            text_place(stack, kind),
            clip(t, 60),
            clip(h, 60)
        ),
        (Some(Ev::Other(what, t)), h) => format!(
            "{what} ({}) is not part of the house EPUB here (the house renderer writes {}); \
             {CONSEQUENCE}",
            clip(t, 40),
            show(h)
        ),
        (e, Some(Ev::Open { name, attrs, .. })) => format!(
            "{} is missing: the edition has {} where the house renderer writes {}; \
             {CONSEQUENCE}",
            tag(name, attrs),
            show(e),
            why(constructs(name, attrs, kind)) + &tag(name, attrs)
        ),
        (e, h) => format!(
            "{} where the house renderer writes {} (in {}); {CONSEQUENCE}",
            show(e),
            show(h),
            text_place(stack, kind)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUSE: &str = "<?xml version=\"1.0\"?>\n<html><head><title>T</title></head>\n<body>\n\
        <p>One <a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#n\">1</a></p>\n\
        <nav epub:type=\"toc\"><ol><li>Head</li></ol></nav>\n</body></html>\n";

    fn diff(edition: &str, kind: Kind) -> Diff {
        xml_diff(edition.as_bytes(), HOUSE.as_bytes(), kind)
    }

    fn construct(edition: &str, kind: Kind) -> (u32, String) {
        match diff(edition, kind) {
            Diff::Construct(l, s) => (l, s),
            other => panic!("{other:?} for {edition}"),
        }
    }

    const READ: Kind = Kind::Xhtml { read: true };

    #[test]
    fn body_text_is_left_to_the_words_and_the_rest_is_compared() {
        assert_eq!(diff(HOUSE, READ), Diff::Same);
        assert_eq!(diff(&HOUSE.replace("One", "Two"), READ), Diff::Words(4));
        // Not read by the word reader: every text counts.
        let (l, s) = construct(&HOUSE.replace("One", "Two"), Kind::Xhtml { read: false });
        assert_eq!(l, 4, "{s}");
        let (_, s) = construct(&HOUSE.replace(">1<", ">1 and more<"), READ);
        assert!(
            s.contains("note reference marker") && s.contains("1 and more"),
            "{s}"
        );
        let (_, s) = construct(&HOUSE.replace("Head", "Other"), READ);
        assert!(s.contains("navigation"), "{s}");
        let (_, s) = construct(&HOUSE.replace(">T<", ">X<"), READ);
        assert!(s.contains("document title"), "{s}");
    }

    #[test]
    fn elements_and_attributes_are_named() {
        let cases = [
            ("<p>One", "<p style=\"display:none\">One", "inline style"),
            ("<p>One", "<p hidden=\"hidden\">One", "hidden attribute"),
            ("<p>One", "<p aria-hidden=\"true\">One", "aria-hidden"),
            (
                "<p>One",
                "<p>One <span class=\"x\">more</span>",
                "class=\"x\"",
            ),
            ("<p>One", "<p><bdo dir=\"rtl\">enO</bdo>", "bidi override"),
            (
                "<p>One",
                "<nav><p>Extra</p></nav><p>One",
                "<nav> in the body",
            ),
            ("<p>One", "<!-- c --><p>One", "XML comment"),
        ];
        for (from, to, name) in cases {
            let (l, s) = construct(&HOUSE.replacen(from, to, 1), READ);
            assert!(s.contains(name), "{to}: {s}");
            assert_eq!(l, 4, "{to}: {s}");
        }
        let (_, s) = construct(&HOUSE.replace("</p>", "</p><p>Extra</p>"), READ);
        assert!(
            s.contains("<p>") && s.contains("not part of the house"),
            "{s}"
        );
        let noteref = "<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#n\">1</a>";
        let (_, s) = construct(&HOUSE.replace(noteref, ""), READ);
        assert!(
            s.contains("is missing") && s.contains("note reference"),
            "{s}"
        );
        let (_, s) = construct(&HOUSE.replace("<p>One", "<div>One"), READ);
        assert!(
            s.starts_with("element <div>: not part") && s.contains("writes <p>"),
            "{s}"
        );
    }

    #[test]
    fn package_metadata_and_spine_are_named() {
        let opf = "<package><metadata><dc:title>T</dc:title>\
            <meta property=\"dcterms:modified\">2020-01-01T00:00:00Z</meta></metadata>\
            <spine><itemref idref=\"a\"/></spine></package>";
        let later = opf.replace("2020", "2024");
        assert_eq!(
            xml_diff(later.as_bytes(), opf.as_bytes(), Kind::Package),
            Diff::Same
        );
        let t = opf.replace(">T<", ">Fake<");
        match xml_diff(t.as_bytes(), opf.as_bytes(), Kind::Package) {
            Diff::Construct(_, s) => assert!(s.contains("title (dc:title)"), "{s}"),
            d => panic!("{d:?}"),
        }
        let t = opf.replace("idref=\"a\"", "idref=\"a\" linear=\"no\"");
        match xml_diff(t.as_bytes(), opf.as_bytes(), Kind::Package) {
            Diff::Construct(_, s) => assert!(s.contains("linear=\"no\""), "{s}"),
            d => panic!("{d:?}"),
        }
    }
}
