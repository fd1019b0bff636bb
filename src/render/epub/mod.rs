//! The EPUB 3 edition: one reflowable brief in the house layout, with subset house
//! fonts, a generated SVG cover and accessibility metadata.
//!
//! The container holds, in this fixed order: `mimetype`, `META-INF/container.xml`,
//! `EPUB/package.opf`, `EPUB/nav.xhtml`, `EPUB/cover.xhtml`, `EPUB/brief.xhtml` (the
//! content, see `docs/editions.md`), `EPUB/css/brief.css`, the images (logo, cover,
//! figures) and the fonts. Everything is derived from the document, the house style and
//! `options.epoch`, so a rebuild gives the same bytes.

mod cover;
mod css;
mod fonts;
mod nav;
mod outline;
mod package;
mod sfnt;
mod xhtml;
mod xml;
mod zip;

use crate::error::{Error, Result};
use crate::house::House;
use crate::model::Document;
use crate::render::Options;

use self::package::{Item, Package};
use self::zip::Entry;

/// Render the EPUB edition of `doc` as the bytes of a `.epub` file; `content_digest`
/// ([`crate::content::Content::digest`] of `doc`) names it when the source has no `id`.
pub fn epub(
    doc: &Document,
    house: &House,
    options: &Options,
    content_digest: &str,
) -> Result<Vec<u8>> {
    build(doc, house, options, content_digest, |entries| {
        zip::archive(entries, options.epoch)
    })
    .map_err(|message| Error::Render {
        slug: doc.slug.clone(),
        format: "epub",
        message,
        at: None,
        hint: None,
    })
}

/// The files of `doc`'s EPUB as [`epub`] writes them, uncompressed: path inside the
/// container and bytes, `mimetype` first. The verifier holds an edition's entries
/// against these; it never needs the archive itself, and compressing it was a third
/// of the seed's check (4.6 of 12.5 M instructions of the pinned EPUB, callgrind).
pub fn entries(
    doc: &Document,
    house: &House,
    options: &Options,
    content_digest: &str,
) -> Result<Files, String> {
    build(doc, house, options, content_digest, |entries| {
        Ok(std::iter::once(&zip::mimetype())
            .chain(entries)
            .map(|e| (e.path.clone(), e.bytes.to_vec()))
            .collect())
    })
}

/// The files of an EPUB: path inside the container and uncompressed bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// Render the files of `doc`'s EPUB and hand them to `pack`, in the container's order.
fn build<T>(
    doc: &Document,
    house: &House,
    options: &Options,
    content_digest: &str,
    pack: impl FnOnce(&[Entry<'_>]) -> Result<T, String>,
) -> Result<T, String> {
    let style = &house.style;
    let brief = xhtml::brief(doc, style)?;
    // The navigation document and the cover page are shown in the reading system's own
    // fonts, so only the content document counts towards the subsets.
    let web_fonts = fonts::embed(house, &brief.usage)?;
    let css = css::css(house, &web_fonts);
    let labels = style.labels.words(&doc.meta.lang);
    let nav = nav::nav(&doc.meta.lang, &doc.meta.title, &labels, &brief.targets)?;
    let cover_alt = format!("{}: {}", style.organisation.name, doc.meta.title);
    let cover_page = cover_page(&doc.meta.lang, &doc.meta.title, &cover_alt)?;
    let cover_svg = cover::cover(doc, house, &cover_alt)?;

    let mut items = vec![
        item("nav", nav::NAV_HREF, "application/xhtml+xml", Some("nav")),
        item("cover", nav::COVER_HREF, "application/xhtml+xml", None),
        item("brief", xhtml::HREF, "application/xhtml+xml", None),
        item("css", xhtml::CSS_HREF, "text/css", None),
        item("logo", xhtml::LOGO_HREF, "image/png", None),
        item(
            "cover-image",
            COVER_IMAGE,
            "image/svg+xml",
            Some("cover-image"),
        ),
    ];
    // The files borrow their bytes: figures and fonts are not copied on the way into
    // the archive.
    let mut files: Vec<(&str, &[u8])> = vec![
        (nav::NAV_HREF, &nav),
        (nav::COVER_HREF, &cover_page),
        (xhtml::HREF, &brief.xhtml),
        (xhtml::CSS_HREF, css.as_bytes()),
        (xhtml::LOGO_HREF, &house.logo.bytes),
        (COVER_IMAGE, &cover_svg),
    ];
    for (i, img) in brief.images.iter().enumerate() {
        let id = format!("figure-{}", i + 1);
        items.push(item(&id, &img.href, img.media_type, None));
        files.push((&img.href, &img.bytes));
    }
    for (i, f) in web_fonts.iter().enumerate() {
        let id = format!("font-{}", i + 1);
        items.push(item(&id, &f.href, "font/ttf", None));
        files.push((&f.href, &f.bytes));
    }

    let package = Package {
        doc,
        identifier: identifier(doc, content_digest),
        publisher: &style.organisation.name,
        epoch: options.epoch,
        items,
        spine: vec!["cover".into(), "brief".into()],
    };
    let (container, opf) = (package::container()?, package::opf(&package)?);
    let mut entries = vec![
        Entry {
            path: "META-INF/container.xml".into(),
            bytes: &container,
        },
        Entry {
            path: package::OPF_PATH.into(),
            bytes: &opf,
        },
    ];
    entries.extend(files.into_iter().map(|(href, bytes)| Entry {
        path: format!("EPUB/{href}"),
        bytes,
    }));
    pack(&entries)
}

/// Path of the cover image inside the EPUB folder.
const COVER_IMAGE: &str = "images/cover.svg";

fn item(id: &str, href: &str, media_type: &str, properties: Option<&'static str>) -> Item {
    Item {
        id: id.into(),
        href: href.into(),
        media_type: media_type.into(),
        properties,
    }
}

/// The source's `id`, else a name-based UUID of the content (its `digest`), so the
/// identifier stays the same across rebuilds and changes only when the words do.
fn identifier(doc: &Document, digest: &str) -> String {
    match &doc.meta.id {
        Some(id) => id.clone(),
        None => {
            let name = format!("urn:briefpress:content:sha256:{digest}");
            let uuid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes());
            format!("urn:uuid:{uuid}")
        }
    }
}

/// The cover page: the cover image alone.
fn cover_page(lang: &str, title: &str, alt: &str) -> Result<Vec<u8>, String> {
    let mut x = xml::Xml::new();
    xhtml::head(&mut x, lang, title, Some(xhtml::CSS_HREF));
    x.open("body", &[("class", "cover-page")]);
    x.nl();
    x.open("section", &[("epub:type", "cover"), ("class", "cover")]);
    x.empty(
        "img",
        &[("src", COVER_IMAGE), ("alt", alt), ("role", "doc-cover")],
    );
    x.close("section");
    x.nl();
    x.finish_document()
}
