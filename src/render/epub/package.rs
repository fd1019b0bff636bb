//! The package document (OPF): metadata, manifest and spine.

use super::xml::Xml;
use crate::model::{civil_from_days, plain_text, Block, Document};

/// Path of the package document inside the container.
pub const OPF_PATH: &str = "EPUB/package.opf";

/// One manifest item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    /// Relative to the package document.
    pub href: String,
    pub media_type: String,
    pub properties: Option<&'static str>,
}

/// What the package document says besides the document's own metadata.
#[derive(Debug, Clone)]
pub struct Package<'a> {
    pub doc: &'a Document,
    pub identifier: String,
    pub publisher: &'a str,
    /// Seconds since the epoch for `dcterms:modified`.
    pub epoch: i64,
    pub items: Vec<Item>,
    /// Ids of the spine items, in reading order.
    pub spine: Vec<String>,
}

/// `META-INF/container.xml`, pointing at the package document.
pub fn container() -> Result<Vec<u8>, String> {
    let mut x = Xml::new();
    x.open(
        "container",
        &[
            ("version", "1.0"),
            ("xmlns", "urn:oasis:names:tc:opendocument:xmlns:container"),
        ],
    );
    x.open("rootfiles", &[]);
    x.empty(
        "rootfile",
        &[
            ("full-path", OPF_PATH),
            ("media-type", "application/oebps-package+xml"),
        ],
    );
    x.close("rootfiles");
    x.close("container");
    x.nl();
    x.finish()
}

/// The package document.
pub fn opf(p: &Package<'_>) -> Result<Vec<u8>, String> {
    let meta = &p.doc.meta;
    let mut x = Xml::new();
    x.open(
        "package",
        &[
            ("xmlns", "http://www.idpf.org/2007/opf"),
            ("version", "3.0"),
            ("unique-identifier", "pub-id"),
            ("xml:lang", &meta.lang),
        ],
    );
    x.nl();
    x.open(
        "metadata",
        &[("xmlns:dc", "http://purl.org/dc/elements/1.1/")],
    );
    x.nl();
    let line = |x: &mut Xml, name: &str, attrs: &[(&str, &str)], text: &str| {
        x.leaf(name, attrs, text);
        x.nl();
    };
    line(&mut x, "dc:identifier", &[("id", "pub-id")], &p.identifier);
    line(&mut x, "dc:title", &[("id", "title")], &meta.title);
    line(
        &mut x,
        "meta",
        &[("refines", "#title"), ("property", "title-type")],
        "main",
    );
    if let Some(sub) = &meta.subtitle {
        line(&mut x, "dc:title", &[("id", "subtitle")], sub);
        let attrs = [("refines", "#subtitle"), ("property", "title-type")];
        line(&mut x, "meta", &attrs, "subtitle");
    }
    line(&mut x, "dc:language", &[], &meta.lang);
    for (i, a) in meta.authors.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        let refines = format!("#{id}");
        line(&mut x, "dc:creator", &[("id", &id)], &a.name);
        let attrs = [
            ("refines", refines.as_str()),
            ("property", "role"),
            ("scheme", "marc:relators"),
        ];
        line(&mut x, "meta", &attrs, "aut");
    }
    line(&mut x, "dc:publisher", &[], p.publisher);
    line(&mut x, "dc:date", &[], &meta.date.iso());
    let mut subjects: Vec<&str> = vec![meta.region.as_str()];
    for k in &meta.keywords {
        if !subjects.iter().any(|s| s.eq_ignore_ascii_case(k)) {
            subjects.push(k);
        }
    }
    for s in subjects {
        line(&mut x, "dc:subject", &[], s);
    }
    if let Some(d) = description(p.doc) {
        line(&mut x, "dc:description", &[], &d);
    }
    let modified = timestamp(p.epoch);
    line(
        &mut x,
        "meta",
        &[("property", "dcterms:modified")],
        &modified,
    );
    accessibility(&mut x, p.doc);
    x.close("metadata");
    x.nl();

    x.open("manifest", &[]);
    x.nl();
    for item in &p.items {
        let mut attrs = vec![
            ("id", item.id.as_str()),
            ("href", item.href.as_str()),
            ("media-type", item.media_type.as_str()),
        ];
        attrs.extend(item.properties.map(|v| ("properties", v)));
        x.empty("item", &attrs);
        x.nl();
    }
    x.close("manifest");
    x.nl();
    x.open("spine", &[]);
    x.nl();
    for id in &p.spine {
        x.empty("itemref", &[("idref", id)]);
        x.nl();
    }
    x.close("spine");
    x.nl();
    x.close("package");
    x.nl();
    x.finish()
}

/// Accessibility metadata (EPUB Accessibility 1.1, schema.org properties).
fn accessibility(x: &mut Xml, doc: &Document) {
    let mut meta = |property: &str, value: &str| {
        x.leaf("meta", &[("property", property)], value);
        x.nl();
    };
    meta("schema:accessMode", "textual");
    meta("schema:accessMode", "visual");
    // Every image (figures, cover, logo) has a text alternative or is decorative.
    meta("schema:accessModeSufficient", "textual");
    meta("schema:accessModeSufficient", "textual,visual");
    for f in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "alternativeText",
        "displayTransformability",
    ] {
        meta("schema:accessibilityFeature", f);
    }
    meta("schema:accessibilityHazard", "none");
    let mut summary = String::from(
        "This brief is one reflowable document in reading order with a navigable table \
         of contents built from its headings.",
    );
    let has = |f: fn(&Block) -> bool| doc.blocks.iter().any(|b| contains(b, f));
    if has(|b| matches!(b, Block::Figure(_))) {
        summary.push_str(" Figures have text alternatives and visible captions.");
    }
    if has(|b| matches!(b, Block::Table(_))) {
        summary.push_str(" Tables have header cells.");
    }
    if !doc.notes.is_empty() {
        summary.push_str(" Notes are linked to and from their references.");
    }
    summary.push_str(" It meets WCAG 2.1 Level AA.");
    meta(
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
    );
    // Written in English whatever the brief's language, and marked so: the package's
    // `xml:lang` is the brief's.
    x.leaf(
        "meta",
        &[
            ("property", "schema:accessibilitySummary"),
            ("xml:lang", "en"),
        ],
        &summary,
    );
    x.nl();
}

/// Whether `b` or a block inside it satisfies `f`.
fn contains(b: &Block, f: fn(&Block) -> bool) -> bool {
    f(b) || match b {
        Block::List { items, .. } => items.iter().flatten().any(|b| contains(b, f)),
        Block::Quote(blocks) => blocks.iter().any(|b| contains(b, f)),
        _ => false,
    }
}

/// The first paragraph of the body, shortened at a word to about 300 characters.
fn description(doc: &Document) -> Option<String> {
    const MAX: usize = 300;
    let text = doc.blocks.iter().find_map(|b| match b {
        Block::Paragraph(inl) => Some(plain_text(inl)),
        _ => None,
    })?;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX {
        return Some(text);
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > MAX {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('\u{2026}');
    Some(out)
}

/// `YYYY-MM-DDThh:mm:ssZ` of `epoch`.
pub fn timestamp(epoch: i64) -> String {
    let (y, m, d) = civil_from_days(epoch.div_euclid(86_400));
    let s = epoch.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}
