//! Tagged PDF (PDF/UA-1): the logical structure tree of a brief and the marked content
//! that ties the page content to it.
//!
//! The setter ([`super::body`], [`super::head`]) builds a [`Tree`] of structure elements
//! in document order while it sets the blocks, and stamps every run of text and every
//! figure with the element it belongs to (`Style::node`, `Draw::Image::node`). The writer
//! (`super::write`) wraps each stretch of a text line that belongs to one element in
//! `/<Role> <</MCID n>> BDC … EMC` and records it in [`Marks`]; [`write()`] then turns the
//! tree and the marks into `/StructTreeRoot`, the structure elements, the `/ParentTree`
//! and the `/StructParent(s)` keys of pages and link annotations.
//!
//! Elements keep the order of the content: the kids of an element are its own marked
//! content and its child elements sorted by where their content first appears in the
//! page content, which the renderer writes in reading order (docs/editions.md). Elements
//! that received no content (a link measured but never drawn) are left out; empty table
//! cells stay so every row keeps its cells.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use crate::render::pdf_string::text_string;

/// Index of a structure element in a [`Tree`].
pub type NodeId = u32;

/// The `Document` element every other element descends from.
pub const ROOT: NodeId = 0;

/// One structure element as the setter describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Standard structure type (ISO 32000-1, 14.8.4), e.g. `P`, `H2`, `TD`.
    pub role: &'static str,
    pub parent: NodeId,
    /// Alternate description (`/Alt`), for figures.
    pub alt: Option<String>,
    /// `/Scope` of a table header cell (`Column`, `Row`).
    pub scope: Option<&'static str>,
    /// `/ListNumbering` of a list (`Disc`, `Decimal`).
    pub numbering: Option<&'static str>,
    /// Element identifier (`/ID`), which PDF/UA-1 requires on `Note`.
    pub id: Option<String>,
    /// Language when it differs from the document's (`/Lang`).
    pub lang: Option<String>,
    children: Vec<NodeId>,
}

/// The structure tree as set: elements in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

impl Tree {
    /// A tree holding only the `Document` element.
    pub fn new() -> Tree {
        Tree {
            nodes: vec![Node::new("Document", ROOT)],
        }
    }

    /// Append a `role` element as the last child of `parent` (the root when `parent`
    /// is unknown).
    pub fn add(&mut self, parent: NodeId, role: &'static str) -> NodeId {
        let parent = if (parent as usize) < self.nodes.len() {
            parent
        } else {
            ROOT
        };
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node::new(role, parent));
        self.nodes[parent as usize].children.push(id);
        id
    }

    /// The element `id`, for setting its attributes.
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        self.nodes.get_mut(id as usize)
    }

    /// The structure type of `id` (`Span` for an unknown id, which never happens).
    pub fn role(&self, id: NodeId) -> &'static str {
        self.nodes.get(id as usize).map_or("Span", |n| n.role)
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree holds nothing but the root (never: the root is always there).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

impl Node {
    fn new(role: &'static str, parent: NodeId) -> Node {
        Node {
            role,
            parent,
            alt: None,
            scope: None,
            numbering: None,
            id: None,
            lang: None,
            children: Vec::new(),
        }
    }
}

/// A piece of page content owned by an element.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kid {
    /// Marked content `mcid` on page `page` (0-based).
    Mcid { page: usize, mcid: u32 },
    /// A link annotation on page `page`, with its parent-tree key.
    Annot {
        page: usize,
        obj: ObjectId,
        key: i64,
    },
}

/// What the writer marked: MCIDs per page, the content each element owns, and
/// figure bounding boxes.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// For each page, the element of each MCID (index = MCID).
    pages: Vec<Vec<NodeId>>,
    /// Content of each element with its position in the whole content order.
    owned: BTreeMap<NodeId, Vec<(u64, Kid)>>,
    seq: u64,
    /// Figure bounding boxes in user space: element → [llx lly urx ury].
    bbox: BTreeMap<NodeId, [f32; 4]>,
}

impl Marks {
    /// Start marked content for `node` on `page`; returns its MCID.
    pub fn begin(&mut self, page: usize, node: NodeId) -> u32 {
        if self.pages.len() <= page {
            self.pages.resize_with(page + 1, Vec::new);
        }
        let ids = &mut self.pages[page];
        let mcid = ids.len() as u32;
        ids.push(node);
        self.seq += 1;
        self.owned
            .entry(node)
            .or_default()
            .push((self.seq, Kid::Mcid { page, mcid }));
        mcid
    }

    /// Record the bounding box of a figure element.
    pub fn bbox(&mut self, node: NodeId, rect: [f32; 4]) {
        self.bbox.insert(node, rect);
    }

    /// Record a link annotation `obj` on `page` owned by `node`, with parent-tree `key`.
    /// It sorts after the element's marked content.
    pub fn annot(&mut self, page: usize, node: NodeId, obj: ObjectId, key: i64) {
        self.owned
            .entry(node)
            .or_default()
            .push((u64::MAX, Kid::Annot { page, obj, key }));
    }
}

/// Sort key of an element: where its content first appears (None: no content).
fn first(
    tree: &Tree,
    marks: &Marks,
    id: NodeId,
    memo: &mut Vec<Option<Option<u64>>>,
) -> Option<u64> {
    if let Some(Some(v)) = memo.get(id as usize) {
        return *v;
    }
    let own = marks
        .owned
        .get(&id)
        .and_then(|k| k.iter().map(|(s, _)| *s).min());
    let kids = tree
        .nodes
        .get(id as usize)
        .map(|n| n.children.clone())
        .unwrap_or_default();
    let mut best = own;
    for k in kids {
        if let Some(s) = first(tree, marks, k, memo) {
            best = Some(best.map_or(s, |b: u64| b.min(s)));
        }
    }
    if let Some(m) = memo.get_mut(id as usize) {
        *m = Some(best);
    }
    best
}

/// Write the structure tree into `lo`: structure elements, `/StructTreeRoot` with its
/// `/ParentTree`, `/StructParents` on every page. `pages` are the page objects in order;
/// `next_key` is the first parent-tree key after the annotations' keys. Returns the
/// `/StructTreeRoot` id.
pub fn write(
    lo: &mut Document,
    tree: &Tree,
    marks: &Marks,
    pages: &[ObjectId],
    next_key: i64,
) -> ObjectId {
    let keys = sort_keys(tree, marks);
    let live = live(tree, &keys);
    let ids: Vec<Option<ObjectId>> = live
        .iter()
        .map(|&l| l.then(|| lo.new_object_id()))
        .collect();
    let root_id = lo.new_object_id();
    let elements = Elements {
        marks,
        pages,
        keys,
        ids,
        root_id,
    };
    for (i, node) in tree.nodes.iter().enumerate() {
        let Some(me) = elements.ids[i] else { continue };
        lo.objects
            .insert(me, Object::Dictionary(elements.element(i, node)));
    }
    let nums = elements.parent_tree(lo);
    let doc_elem = elements.ids[ROOT as usize].map_or(Object::Null, Object::Reference);
    lo.objects.insert(
        root_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Array(vec![doc_elem])),
            (
                "ParentTree",
                Object::Dictionary(Dictionary::from_iter(vec![("Nums", Object::Array(nums))])),
            ),
            ("ParentTreeNextKey", Object::Integer(next_key)),
        ])),
    );
    root_id
}

/// The sort key of every element, by index (see [`first`]).
fn sort_keys(tree: &Tree, marks: &Marks) -> Vec<Option<u64>> {
    let n = tree.nodes.len();
    let mut memo = vec![None; n];
    (0..n as NodeId)
        .map(|i| first(tree, marks, i, &mut memo))
        .collect()
}

/// Which elements are written, by index, given their sort keys.
fn live(tree: &Tree, keys: &[Option<u64>]) -> Vec<bool> {
    let n = tree.nodes.len();
    // An element is written when it owns content somewhere below it, and table cells
    // always (with their row, which then has a written kid).
    let mut live: Vec<bool> = (0..n)
        .map(|i| keys[i].is_some() || matches!(tree.nodes[i].role, "TD" | "TH"))
        .collect();
    for i in (1..n).rev() {
        if live[i] {
            let p = tree.nodes[i].parent as usize;
            live[p] = true;
        }
    }
    live[ROOT as usize] = true;
    live
}

/// What the structure elements are written from: the marks, the page objects, each
/// element's sort key and object id (`None`: not written), and the `/StructTreeRoot`
/// id.
struct Elements<'a> {
    marks: &'a Marks,
    pages: &'a [ObjectId],
    keys: Vec<Option<u64>>,
    ids: Vec<Option<ObjectId>>,
    root_id: ObjectId,
}

impl Elements<'_> {
    /// The `StructElem` dictionary of element `i`, `node`.
    fn element(&self, i: usize, node: &Node) -> Dictionary {
        let (kids, home) = self.kids(i, node);
        let parent = if i == ROOT as usize {
            self.root_id
        } else {
            self.ids[node.parent as usize].unwrap_or(self.root_id)
        };
        let mut d = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(node.role.as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
        ]);
        if let Some(p) = home {
            d.set("Pg", page_ref(self.pages, p));
        }
        d.set("K", Object::Array(kids));
        if let Some(id) = &node.id {
            d.set(
                "ID",
                Object::String(id.as_bytes().to_vec(), StringFormat::Literal),
            );
        }
        if let Some(lang) = &node.lang {
            d.set("Lang", text_string(lang));
        }
        if let Some(alt) = &node.alt {
            d.set("Alt", text_string(alt));
        }
        if let Some(a) = attributes(node, self.marks.bbox.get(&(i as NodeId))) {
            d.set("A", a);
        }
        d
    }

    /// The kids of element `i` (`/K`) in content order, and the page of its first marked
    /// content (its `/Pg`).
    fn kids(&self, i: usize, node: &Node) -> (Vec<Object>, Option<usize>) {
        // Kids in content order; an element without content of its own keeps its place
        // after its previous sibling.
        let mut kids: Vec<((u64, u32), Object, Option<usize>)> = Vec::new();
        let mut prev = 0u64;
        for (order, &c) in node.children.iter().enumerate() {
            let Some(cid) = self.ids[c as usize] else {
                continue;
            };
            let key = self.keys[c as usize].unwrap_or(prev);
            prev = key;
            kids.push(((key, order as u32 + 1), Object::Reference(cid), None));
        }
        let own = self
            .marks
            .owned
            .get(&(i as NodeId))
            .cloned()
            .unwrap_or_default();
        let home = own.iter().find_map(|(_, k)| match k {
            Kid::Mcid { page, .. } => Some(*page),
            Kid::Annot { .. } => None,
        });
        for (seq, kid) in own {
            kids.push(((seq, 0), content_ref(self.pages, kid, home), None));
        }
        kids.sort_by_key(|k| k.0);
        (kids.into_iter().map(|k| k.1).collect(), home)
    }

    /// The parent tree's `/Nums`; sets `/StructParents` on every page.
    fn parent_tree(&self, lo: &mut Document) -> Vec<Object> {
        let ids = &self.ids;
        // The parent tree: page i's array maps each MCID to its element; annotation keys
        // map to their link element.
        let mut nums = Vec::new();
        for (p, page) in self.pages.iter().enumerate() {
            let owners = self.marks.pages.get(p).cloned().unwrap_or_default();
            let refs = owners
                .iter()
                .map(|&o| ids[o as usize].map_or(Object::Null, Object::Reference))
                .collect();
            nums.push(Object::Integer(p as i64));
            nums.push(Object::Array(refs));
            if let Ok(d) = lo.get_dictionary_mut(*page) {
                d.set("StructParents", Object::Integer(p as i64));
            }
        }
        for (key, node) in annotation_keys(self.marks) {
            nums.push(Object::Integer(key));
            nums.push(ids[node as usize].map_or(Object::Null, Object::Reference));
        }
        nums
    }
}

/// A kid that is content: the bare MCID on the element's `home` page, else a marked
/// content reference (`MCR`) or an object reference (`OBJR`) naming its page.
fn content_ref(pages: &[ObjectId], kid: Kid, home: Option<usize>) -> Object {
    match kid {
        Kid::Mcid { page, mcid } if Some(page) == home => Object::Integer(mcid.into()),
        Kid::Mcid { page, mcid } => Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"MCR".to_vec())),
            ("Pg", page_ref(pages, page)),
            ("MCID", Object::Integer(mcid.into())),
        ])),
        Kid::Annot { page, obj, .. } => Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"OBJR".to_vec())),
            ("Pg", page_ref(pages, page)),
            ("Obj", Object::Reference(obj)),
        ])),
    }
}

/// The parent-tree key of every link annotation with the element that owns it, in key
/// order.
fn annotation_keys(marks: &Marks) -> Vec<(i64, NodeId)> {
    let mut annots: Vec<(i64, NodeId)> = marks
        .owned
        .iter()
        .flat_map(|(&node, kids)| {
            kids.iter().filter_map(move |(_, k)| match k {
                Kid::Annot { key, .. } => Some((*key, node)),
                Kid::Mcid { .. } => None,
            })
        })
        .collect();
    annots.sort_unstable();
    annots
}

fn page_ref(pages: &[ObjectId], page: usize) -> Object {
    pages
        .get(page)
        .map_or(Object::Null, |&p| Object::Reference(p))
}

/// The `/A` attribute dictionary of an element, if it has attributes.
fn attributes(node: &Node, bbox: Option<&[f32; 4]>) -> Option<Object> {
    let name = |s: &str| Object::Name(s.as_bytes().to_vec());
    let (owner, entries): (&str, Vec<(&str, Object)>) = if let Some(scope) = node.scope {
        ("Table", vec![("Scope", name(scope))])
    } else if let Some(numbering) = node.numbering {
        ("List", vec![("ListNumbering", name(numbering))])
    } else if let Some(b) = bbox {
        let r = |v: f32| Object::Real((v * 100.0).round() / 100.0);
        (
            "Layout",
            vec![
                ("Placement", name("Block")),
                ("BBox", Object::Array(b.iter().map(|&v| r(v)).collect())),
            ],
        )
    } else {
        return None;
    };
    let mut d = Dictionary::new();
    d.set("O", name(owner));
    for (k, v) in entries {
        d.set(k, v);
    }
    Some(Object::Dictionary(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kids_follow_the_content_order_and_empty_elements_are_dropped() {
        let mut t = Tree::new();
        let p = t.add(ROOT, "P");
        let link = t.add(p, "Link");
        let _unused = t.add(ROOT, "Link");
        let mut m = Marks::default();
        assert_eq!(m.begin(0, p), 0);
        assert_eq!(m.begin(0, link), 1);
        assert_eq!(m.begin(1, p), 0);
        let mut lo = Document::with_version("1.7");
        let pages = vec![lo.new_object_id(), lo.new_object_id()];
        for &pg in &pages {
            lo.objects.insert(pg, Object::Dictionary(Dictionary::new()));
        }
        let root = write(&mut lo, &t, &m, &pages, 2);
        let root = lo.get_dictionary(root).cloned().unwrap_or_default();
        assert!(root.has(b"ParentTree"));
        let elems: Vec<&Dictionary> = lo
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"StructElem"))
            .collect();
        // Document, P, Link; the unused link is gone.
        assert_eq!(elems.len(), 3);
        let para = elems
            .iter()
            .find(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(b"P"));
        let kids = para
            .and_then(|d| d.get(b"K").ok())
            .and_then(|k| k.as_array().ok())
            .cloned()
            .unwrap_or_default();
        // MCID 0, the link, then an MCR on page 2.
        assert_eq!(kids.len(), 3);
        assert_eq!(kids[0], Object::Integer(0));
        assert!(matches!(kids[1], Object::Reference(_)));
        assert!(matches!(kids[2], Object::Dictionary(_)));
    }
}
