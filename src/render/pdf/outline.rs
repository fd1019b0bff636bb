//! The document outline (bookmarks): one entry per heading, nested by heading level,
//! in document order, each pointing at the top-left corner of its heading.
//!
//! printpdf sorts its bookmarks by page and name and cannot nest them, so the outline
//! is written here with lopdf after printpdf has produced the pages.

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::render::pdf_string::text_string;

/// A heading's place in the laid-out pages, in PDF user space (origin bottom-left).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// 0-based page index.
    pub page: usize,
    /// Heading level (`##` is 2).
    pub level: u8,
    pub title: String,
    /// Left edge and top of the heading's first line box, in pt.
    pub left: f32,
    pub top: f32,
}

/// Parent of each entry (`None`: top level): the nearest earlier entry of a lower
/// level. So `##` sits at the top, `###` under the preceding `##`, `####` under the
/// preceding `###` (or under the `##` when there is none), and a first `###` before
/// any `##` is at the top rather than lost.
pub fn parents(levels: &[u8]) -> Vec<Option<usize>> {
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(levels.len());
    for (i, &level) in levels.iter().enumerate() {
        while stack.last().is_some_and(|&j| levels[j] >= level) {
            stack.pop();
        }
        out.push(stack.last().copied());
        stack.push(i);
    }
    out
}

/// Write the outline into `lo`; returns the outline dictionary's id, `None` when the
/// brief has no headings. Every entry is open, so each `/Count` is the number of its
/// descendants (ISO 32000-1, 12.3.3: positive for an open item).
pub fn write(lo: &mut Document, entries: &[Entry], pages: &[ObjectId]) -> Option<ObjectId> {
    // Entries come from laid-out pages, so every page index is valid; a stray one is
    // dropped rather than written as a dangling reference.
    let entries: Vec<&Entry> = entries.iter().filter(|e| e.page < pages.len()).collect();
    if entries.is_empty() {
        return None;
    }
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    let levels: Vec<u8> = entries.iter().map(|e| e.level).collect();
    let parent = parents(&levels);
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => kids[*p].push(i),
            None => top.push(i),
        }
    }
    // Descendant counts, children before parents: a parent always precedes its children.
    let mut count = vec![0i64; entries.len()];
    for i in (0..entries.len()).rev() {
        if let Some(p) = parent[i] {
            count[p] += 1 + count[i];
        }
    }
    let siblings = |i: usize| -> &[usize] {
        match parent[i] {
            Some(p) => &kids[p],
            None => &top,
        }
    };
    for (i, e) in entries.iter().enumerate() {
        let page = pages[e.page];
        let sib = siblings(i);
        let k = sib.iter().position(|&s| s == i).unwrap_or(0);
        let mut d = Dictionary::from_iter(vec![
            ("Title", text_string(&e.title)),
            (
                "Parent",
                Object::Reference(parent[i].map_or(root, |p| ids[p])),
            ),
            (
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Real(round2(e.left)),
                    Object::Real(round2(e.top)),
                    Object::Null,
                ]),
            ),
        ]);
        if k > 0 {
            d.set("Prev", Object::Reference(ids[sib[k - 1]]));
        }
        if let Some(&n) = sib.get(k + 1) {
            d.set("Next", Object::Reference(ids[n]));
        }
        if let (Some(&f), Some(&l)) = (kids[i].first(), kids[i].last()) {
            d.set("First", Object::Reference(ids[f]));
            d.set("Last", Object::Reference(ids[l]));
            d.set("Count", Object::Integer(count[i]));
        }
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let (f, l) = (top.first()?, top.last()?);
    lo.objects.insert(
        root,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(ids[*f])),
            ("Last", Object::Reference(ids[*l])),
            ("Count", Object::Integer(entries.len() as i64)),
        ])),
    );
    Some(root)
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_nest_under_the_nearest_lower_level() {
        // ## ### #### ### ## #### ###
        let p = parents(&[2, 3, 4, 3, 2, 4, 3]);
        assert_eq!(
            p,
            vec![None, Some(0), Some(1), Some(0), None, Some(4), Some(4)]
        );
        // A brief that opens with ###.
        assert_eq!(parents(&[3, 2, 3]), vec![None, None, Some(1)]);
    }
}
