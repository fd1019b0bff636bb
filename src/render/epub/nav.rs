//! The EPUB navigation document: the table of contents from the headings, and landmarks.
//!
//! It is not content (docs/editions.md): the verifier skips it. What a reader sees of
//! it, the heading of the contents and the cover's name, is in the brief's language
//! (`[labels]` of the house style); the landmarks, hidden, keep fixed English words.

use super::xhtml::{head, Target, HREF};
use super::xml::Xml;

/// File name of the navigation document inside the EPUB folder.
pub const NAV_HREF: &str = "nav.xhtml";
/// File name of the cover page inside the EPUB folder.
pub const COVER_HREF: &str = "cover.xhtml";

/// Write the navigation document.
pub fn nav(
    lang: &str,
    title: &str,
    labels: &crate::house::Words,
    targets: &[Target],
) -> Result<Vec<u8>, String> {
    let mut x = Xml::new();
    head(&mut x, lang, title, None);
    x.open("body", &[]);
    x.nl();
    x.open(
        "nav",
        &[("epub:type", "toc"), ("role", "doc-toc"), ("id", "toc")],
    );
    x.nl();
    x.leaf("h2", &[], &labels.contents);
    x.nl();
    toc(&mut x, targets);
    x.close("nav");
    x.nl();
    x.open(
        "nav",
        &[
            ("epub:type", "landmarks"),
            ("id", "landmarks"),
            ("hidden", "hidden"),
        ],
    );
    x.nl();
    x.leaf("h2", &[], "Landmarks");
    x.open("ol", &[]);
    let body = format!("{HREF}#bp_body");
    for (kind, href, label) in [
        ("cover", COVER_HREF, labels.cover.as_str()),
        ("bodymatter", body.as_str(), "Start of the brief"),
    ] {
        x.open("li", &[]);
        x.leaf("a", &[("epub:type", kind), ("href", href)], label);
        x.close("li");
    }
    x.close("ol");
    x.nl();
    x.close("nav");
    x.nl();
    x.finish_document()
}

/// Nested ordered lists following the heading levels. A heading hangs below the nearest
/// earlier one of a lower level, so a skipped level (`####` after `##`) nests one step.
fn toc(x: &mut Xml, targets: &[Target]) {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); targets.len()];
    let mut roots = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        while stack.last().is_some_and(|&p| targets[p].level >= t.level) {
            stack.pop();
        }
        match stack.last() {
            Some(&p) => children[p].push(i),
            None => roots.push(i),
        }
        stack.push(i);
    }
    list(x, targets, &children, &roots);
}

fn list(x: &mut Xml, targets: &[Target], children: &[Vec<usize>], items: &[usize]) {
    x.open("ol", &[]);
    for &i in items {
        x.open("li", &[]);
        let href = format!("{HREF}#{}", targets[i].id);
        x.leaf("a", &[("href", &href)], &targets[i].text);
        if !children[i].is_empty() {
            list(x, targets, children, &children[i]);
        }
        x.close("li");
    }
    x.close("ol");
    x.nl();
}
