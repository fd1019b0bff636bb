//! The tagged structure (PDF/UA-1) and the outline of the PDF edition, read back from the
//! written files with lopdf and a small content-stream interpreter of our own (not the
//! renderer's code): a readable dump of the structure tree per fixture
//! (`expected/struct-tree.txt`, `BLESS=1` rewrites it), every MCID owned exactly once and
//! mapped by the parent tree, no untagged text or graphics, link annotations in the
//! tree, `pdfinfo` "Tagged: yes", `qpdf --check`, and the nested outline of `long` with
//! destinations on the headings' pages at the headings' positions.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use briefpress::verify::cmap::{utf16be, ToUnicode};
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Build the PDF of `case` into a fresh temp dir.
fn build(case: &str) -> (tempfile::TempDir, PathBuf) {
    common::build_edition(&common::fixture(case), "pdf")
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    deref(doc, d.get(key).ok()?).as_dict().ok()
}

fn name(d: &Dictionary, key: &[u8]) -> String {
    d.get(key)
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

fn text_of(o: &Object) -> String {
    match o.as_str() {
        Ok(b) => match b.strip_prefix(b"\xFE\xFF") {
            Some(u) => utf16be(u),
            None => String::from_utf8_lossy(b).into_owned(),
        },
        Err(_) => String::new(),
    }
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => f32::NAN,
    }
}

/// What the content streams hold, by our own reading.
#[derive(Default)]
struct Content {
    /// (page index, MCID) → text shown in it (inserted hyphens read as nothing).
    text: BTreeMap<(usize, i64), String>,
    /// (page index, MCID) → (x, y) of the text line where its first text is shown.
    at: BTreeMap<(usize, i64), (f32, f32)>,
    /// Page index → where each text line starts (the `Tm` origins).
    lines: BTreeMap<usize, Vec<(f32, f32)>>,
    /// Showing or painting operators outside both an MCID span and an artifact.
    untagged: Vec<String>,
    /// Tagged content nested in an artifact or the other way round.
    mixed: Vec<String>,
    /// MCIDs opened twice on one page.
    duplicates: Vec<String>,
}

#[derive(Clone)]
enum Mark {
    Artifact,
    Mcid(i64),
    ActualText,
    Other,
}

fn read_content(doc: &Document) -> Content {
    let mut c = Content::default();
    for (p, (_, page)) in doc.get_pages().into_iter().enumerate() {
        let pd = doc.get_dictionary(page).expect("page dict");
        let maps = to_unicode_maps(doc, pd);
        let bytes = doc.get_page_content(page);
        let ops = lopdf::content::Content::decode(&bytes).expect("decode content");
        let mut stack: Vec<Mark> = Vec::new();
        let mut font: Vec<u8> = Vec::new();
        let mut line = (0.0, 0.0);
        let mut seen = BTreeSet::new();
        for op in &ops.operations {
            let a = &op.operands;
            let mcid = stack.iter().rev().find_map(|m| match m {
                Mark::Mcid(n) => Some(*n),
                _ => None,
            });
            let artifact = stack.iter().any(|m| matches!(m, Mark::Artifact));
            let hidden = stack.iter().any(|m| matches!(m, Mark::ActualText));
            match op.operator.as_str() {
                "BMC" | "BDC" => {
                    let m = open_mark(&mut c, p, a, (mcid, artifact), &mut seen);
                    stack.push(m);
                }
                "EMC" => {
                    stack.pop();
                }
                "Tf" => {
                    font = a
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .unwrap_or_default()
                        .to_vec()
                }
                "Tm" if a.len() == 6 => {
                    line = (num(&a[4]), num(&a[5]));
                    c.lines.entry(p).or_default().push(line);
                }
                "Tj" | "TJ" | "'" | "\"" | "Do" | "S" | "f" | "F" | "B" | "b" | "s" | "f*" => {
                    match mcid {
                        None if !artifact => c.untagged.push(format!(
                            "page {}: {} outside marked content",
                            p + 1,
                            op.operator
                        )),
                        Some(n)
                            if matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\"")
                                && !hidden =>
                        {
                            let map = maps.get(&font);
                            let mut shown = String::new();
                            let items = match a.first() {
                                Some(Object::Array(v)) => v.clone(),
                                Some(o) => vec![o.clone()],
                                None => vec![],
                            };
                            for it in items {
                                if let (Ok(b), Some(m)) = (it.as_str(), map) {
                                    shown.push_str(&m.decode(b, 2));
                                }
                            }
                            c.at.entry((p, n)).or_insert(line);
                            c.text.entry((p, n)).or_default().push_str(&shown);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    c
}

/// The ToUnicode map of each font of page dictionary `pd`, by resource name.
fn to_unicode_maps(doc: &Document, pd: &lopdf::Dictionary) -> BTreeMap<Vec<u8>, ToUnicode> {
    let fonts = dict(doc, pd, b"Resources").and_then(|r| dict(doc, r, b"Font"));
    let mut maps: BTreeMap<Vec<u8>, ToUnicode> = BTreeMap::new();
    if let Some(f) = fonts {
        for (k, v) in f.iter() {
            let fd = deref(doc, v).as_dict().expect("font dict");
            if let Ok(Object::Stream(s)) = fd.get(b"ToUnicode").map(|o| deref(doc, o)) {
                let bytes = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                maps.insert(k.clone(), ToUnicode::parse(&bytes));
            }
        }
    }
    maps
}

/// The mark a `BMC`/`BDC` with operands `a` opens on page `p`, inside the MCID and
/// artifact given; nesting faults and MCIDs seen twice go to `c`.
fn open_mark(
    c: &mut Content,
    p: usize,
    a: &[Object],
    (mcid, artifact): (Option<i64>, bool),
    seen: &mut BTreeSet<i64>,
) -> Mark {
    let tag = a.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
    let props = a.get(1).and_then(|o| o.as_dict().ok());
    let m = if tag == b"Artifact" {
        Mark::Artifact
    } else if let Some(n) = props.and_then(|d| d.get(b"MCID").ok()) {
        Mark::Mcid(n.as_i64().expect("MCID integer"))
    } else if props.is_some_and(|d| d.has(b"ActualText")) {
        Mark::ActualText
    } else {
        Mark::Other
    };
    // An inserted hyphen reads as its soft hyphen, so the dump can join
    // the word across the line end.
    if let (Mark::ActualText, Some(n)) = (&m, mcid) {
        c.text.entry((p, n)).or_default().push('\u{AD}');
    }
    match &m {
        Mark::Artifact if mcid.is_some() => {
            c.mixed.push(format!("page {}: artifact in MCID", p + 1))
        }
        Mark::Mcid(n) => {
            if artifact || mcid.is_some() {
                c.mixed.push(format!("page {}: MCID {n} nested", p + 1));
            }
            if !seen.insert(*n) {
                c.duplicates.push(format!("page {}: MCID {n}", p + 1));
            }
        }
        _ => {}
    }
    m
}

/// The structure tree as text, checking ownership on the way.
struct Tree<'a> {
    doc: &'a Document,
    pages: BTreeMap<ObjectId, usize>,
    content: &'a Content,
    /// (page, MCID) → the element that owns it, from the tree's `/K`.
    owner: BTreeMap<(usize, i64), Vec<ObjectId>>,
    /// Annotation → the element whose `/OBJR` points at it.
    objr: BTreeMap<ObjectId, Vec<ObjectId>>,
    /// Link annotations read so far (see [`link_box`]).
    links: Vec<LinkBox>,
    /// Headings in tree order: (level, text, page, first MCID).
    headings: Vec<(u8, String, usize, i64)>,
    out: String,
}

fn short(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = s.chars().collect();
    if chars.len() > 60 {
        format!("{}…", chars[..59].iter().collect::<String>())
    } else {
        s
    }
}

impl Tree<'_> {
    /// The dump's attributes of element `d` (of role `role`): alternate text, language,
    /// ID and the attribute dictionary's names; a bounding box is checked on the way.
    fn attributes(&self, d: &lopdf::Dictionary, role: &str) -> String {
        let mut line = String::new();
        if let Ok(alt) = d.get(b"Alt") {
            line += &format!(" alt=\"{}\"", short(&text_of(alt)));
        }
        if let Ok(l) = d.get(b"Lang") {
            line += &format!(" lang={}", text_of(l));
        }
        if let Ok(i) = d.get(b"ID") {
            line += &format!(" id={}", text_of(i));
        }
        if let Some(a) = dict(self.doc, d, b"A") {
            for (k, v) in a.iter() {
                let k = String::from_utf8_lossy(k);
                match v {
                    Object::Name(n) if k != "O" => {
                        line += &format!(" {}={}", k.to_lowercase(), String::from_utf8_lossy(n))
                    }
                    Object::Array(b) if k == "BBox" => {
                        assert_eq!(b.len(), 4, "{role}: BBox of four numbers");
                        let v: Vec<f32> = b.iter().map(num).collect();
                        assert!(v[0] < v[2] && v[1] < v[3], "{role}: empty BBox {v:?}");
                        line += " bbox";
                    }
                    _ => {}
                }
            }
        }
        line
    }

    fn walk(&mut self, id: ObjectId, depth: usize) {
        let d = self.doc.get_dictionary(id).expect("struct elem").clone();
        let role = name(&d, b"S");
        let home = d
            .get(b"Pg")
            .ok()
            .and_then(|o| o.as_reference().ok())
            .and_then(|p| self.pages.get(&p).copied());
        let mut line = format!("{}{role}", "  ".repeat(depth));
        line += &self.attributes(&d, &role);
        let kids = match d.get(b"K").map(|k| deref(self.doc, k)) {
            Ok(Object::Array(v)) => v.clone(),
            Ok(o) => vec![o.clone()],
            Err(_) => vec![],
        };
        let mut text = String::new();
        let mut children = Vec::new();
        let mut first: Option<(usize, i64)> = None;
        let mut annots = 0;
        for k in &kids {
            let mc = match k {
                Object::Integer(n) => Some((home.expect("an MCID needs /Pg"), *n)),
                Object::Dictionary(m) if name(m, b"Type") == "MCR" => {
                    let pg = m.get(b"Pg").and_then(Object::as_reference).ok();
                    let pg = pg.and_then(|p| self.pages.get(&p).copied()).or(home);
                    let n = m.get(b"MCID").and_then(Object::as_i64).expect("MCR MCID");
                    Some((pg.expect("MCR page"), n))
                }
                Object::Dictionary(m) if name(m, b"Type") == "OBJR" => {
                    let obj = m.get(b"Obj").and_then(Object::as_reference).expect("OBJR");
                    self.objr.entry(obj).or_default().push(id);
                    annots += 1;
                    None
                }
                Object::Reference(r) => {
                    children.push(*r);
                    None
                }
                _ => panic!("{role}: unexpected kid {k:?}"),
            };
            if let Some(key) = mc {
                first.get_or_insert(key);
                self.owner.entry(key).or_default().push(id);
                let t = self.content.text.get(&key).cloned().unwrap_or_default();
                if text.ends_with('\u{AD}') {
                    text.pop();
                } else if !text.is_empty() && !text.ends_with(' ') {
                    text.push(' ');
                }
                text.push_str(t.trim());
            }
        }
        if let Some(level) = role.strip_prefix('H').and_then(|l| l.parse::<u8>().ok()) {
            if let Some((p, n)) = first {
                self.headings.push((level, short(&text), p, n));
            }
        }
        if !text.trim().is_empty() {
            line += &format!(" \"{}\"", short(&text));
        }
        if annots > 0 {
            line += &format!(" +{annots} annot");
        }
        self.out += &line;
        self.out.push('\n');
        for c in children {
            let parent = self.doc.get_dictionary(c).expect("kid").get(b"P");
            assert_eq!(
                parent.and_then(Object::as_reference).ok(),
                Some(id),
                "{role}: a kid's /P is not its parent"
            );
            self.walk(c, depth + 1);
        }
    }
}

struct Checked {
    dump: String,
    headings: Vec<(u8, String, usize, i64)>,
    content: Content,
}

fn check_structure(pdf: &Path) -> Checked {
    let doc = Document::load(pdf).expect("load PDF");
    let catalog = doc.catalog().expect("catalog").clone();
    let mark = dict(&doc, &catalog, b"MarkInfo").expect("/MarkInfo");
    assert_eq!(mark.get(b"Marked").ok(), Some(&Object::Boolean(true)));
    let vp = dict(&doc, &catalog, b"ViewerPreferences").expect("/ViewerPreferences");
    assert_eq!(
        vp.get(b"DisplayDocTitle").ok(),
        Some(&Object::Boolean(true))
    );
    assert!(catalog.has(b"Lang"), "catalog /Lang");
    let root = dict(&doc, &catalog, b"StructTreeRoot").expect("/StructTreeRoot");
    let content = read_content(&doc);
    assert!(
        content.untagged.is_empty(),
        "untagged: {:?}",
        content.untagged
    );
    assert!(content.mixed.is_empty(), "nesting: {:?}", content.mixed);
    assert!(
        content.duplicates.is_empty(),
        "dup: {:?}",
        content.duplicates
    );
    let pages = page_index(&doc);
    let mut tree = Tree {
        doc: &doc,
        pages: pages.clone(),
        content: &content,
        owner: BTreeMap::new(),
        objr: BTreeMap::new(),
        links: Vec::new(),
        headings: Vec::new(),
        out: String::new(),
    };
    let top = match root.get(b"K").expect("root /K") {
        Object::Array(v) => v.clone(),
        o => vec![o.clone()],
    };
    assert_eq!(top.len(), 1, "one Document element");
    let doc_elem = top[0].as_reference().expect("Document ref");
    tree.walk(doc_elem, 0);
    // Every MCID in the content is owned by exactly one element, and nothing else is.
    let in_content: BTreeSet<(usize, i64)> = content
        .at
        .keys()
        .copied()
        .chain(content.text.keys().copied())
        .collect();
    for (key, owners) in &tree.owner {
        assert_eq!(owners.len(), 1, "MCID {key:?} owned {} times", owners.len());
    }
    let owned: BTreeSet<(usize, i64)> = tree.owner.keys().copied().collect();
    assert!(
        in_content.is_subset(&owned),
        "MCIDs not in the tree: {:?}",
        in_content.difference(&owned).collect::<Vec<_>>()
    );
    let referenced = check_parent_tree(&doc, root, &pages, &mut tree);
    one_annotation_per_line(&tree.links, &content);
    assert_eq!(
        referenced,
        owned.len(),
        "every MCID is in the parent tree once"
    );
    Checked {
        dump: tree.out,
        headings: tree.headings,
        content,
    }
}

/// The parent tree maps each page's MCIDs to their owners, and each annotation to the
/// element whose OBJR names it; the annotations' boxes go to `tree.links`. Returns the
/// number of MCIDs the parent tree names.
fn check_parent_tree(
    doc: &Document,
    root: &lopdf::Dictionary,
    pages: &BTreeMap<ObjectId, usize>,
    tree: &mut Tree<'_>,
) -> usize {
    let parent_tree = dict(doc, root, b"ParentTree").expect("/ParentTree");
    let nums = parent_tree
        .get(b"Nums")
        .and_then(Object::as_array)
        .expect("/Nums");
    let mut map: BTreeMap<i64, Object> = BTreeMap::new();
    for pair in nums.chunks(2) {
        map.insert(pair[0].as_i64().expect("key"), pair[1].clone());
    }
    let next = root
        .get(b"ParentTreeNextKey")
        .and_then(Object::as_i64)
        .expect("next key");
    assert!(map.keys().all(|&k| k < next), "ParentTreeNextKey too small");
    let mut referenced = 0;
    for (&page, &p) in pages {
        let pd = doc.get_dictionary(page).expect("page");
        let key = pd
            .get(b"StructParents")
            .and_then(Object::as_i64)
            .expect("/StructParents");
        let arr = map
            .get(&key)
            .and_then(|o| deref(doc, o).as_array().ok())
            .expect("page array");
        for (mcid, o) in arr.iter().enumerate() {
            let owner = tree.owner.get(&(p, mcid as i64)).expect("MCID in the tree");
            assert_eq!(
                o.as_reference().ok(),
                Some(owner[0]),
                "parent tree, page {p} MCID {mcid}"
            );
            referenced += 1;
        }
        let annots = pd
            .get(b"Annots")
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default();
        if !annots.is_empty() {
            assert_eq!(name(pd, b"Tabs"), "S", "page {}: /Tabs /S", p + 1);
        }
        for a in annots {
            let aid = a.as_reference().expect("annotation is indirect");
            let ad = doc.get_dictionary(aid).expect("annotation");
            let k = ad
                .get(b"StructParent")
                .and_then(Object::as_i64)
                .expect("/StructParent");
            let owners = tree.objr.get(&aid).expect("annotation has an OBJR");
            assert_eq!(owners.len(), 1);
            assert_eq!(
                map.get(&k).and_then(|o| o.as_reference().ok()),
                Some(owners[0])
            );
            assert!(!text_of(ad.get(b"Contents").expect("/Contents")).is_empty());
            tree.links.push(link_box(ad, p, owners[0]));
        }
    }
    referenced
}

/// A link annotation: its page, its `Link` element, `/Rect` and `/QuadPoints` (as
/// rectangles `[x0, y0, x1, y1]`).
struct LinkBox {
    page: usize,
    owner: ObjectId,
    rect: [f32; 4],
    quads: Vec<[f32; 4]>,
}

/// Read an annotation's `/Rect` and `/QuadPoints`; each quadrilateral must be an upright
/// rectangle inside `/Rect`, and `/Rect` their union.
fn link_box(ad: &Dictionary, page: usize, owner: ObjectId) -> LinkBox {
    let rect: Vec<f32> = ad
        .get(b"Rect")
        .and_then(Object::as_array)
        .expect("/Rect")
        .iter()
        .map(num)
        .collect();
    let points: Vec<f32> = ad
        .get(b"QuadPoints")
        .and_then(Object::as_array)
        .expect("a link annotation has /QuadPoints")
        .iter()
        .map(num)
        .collect();
    assert!(
        !points.is_empty() && points.len().is_multiple_of(8),
        "/QuadPoints: {points:?}"
    );
    let quads: Vec<[f32; 4]> = points
        .chunks(8)
        .map(|q| {
            let xs = [q[0], q[2], q[4], q[6]];
            let ys = [q[1], q[3], q[5], q[7]];
            let lo = |v: [f32; 4]| v.iter().copied().fold(f32::MAX, f32::min);
            let hi = |v: [f32; 4]| v.iter().copied().fold(f32::MIN, f32::max);
            [lo(xs), lo(ys), hi(xs), hi(ys)]
        })
        .collect();
    let near = |a: f32, b: f32| (a - b).abs() < 0.01;
    let union = quads
        .iter()
        .fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |u, q| {
            [
                u[0].min(q[0]),
                u[1].min(q[1]),
                u[2].max(q[2]),
                u[3].max(q[3]),
            ]
        });
    assert!(
        (0..4).all(|i| near(union[i], rect[i])),
        "/Rect {rect:?} is not the union of the quadrilaterals {quads:?}"
    );
    LinkBox {
        page,
        owner,
        rect: [rect[0], rect[1], rect[2], rect[3]],
        quads,
    }
}

/// One annotation per link and line: no two annotations of one `Link` element lie on
/// one text line. An annotation's line is the line start (a `Tm` origin) whose baseline
/// is inside its `/Rect` and which is the nearest at or left of the `/Rect` (the page
/// may have columns).
fn one_annotation_per_line(links: &[LinkBox], content: &Content) {
    let mut seen: BTreeMap<(usize, ObjectId, u32, u32), [f32; 4]> = BTreeMap::new();
    for l in links {
        let starts = content.lines.get(&l.page).map_or(&[][..], Vec::as_slice);
        let (x, y) = starts
            .iter()
            .copied()
            .filter(|&(x, y)| x <= l.rect[0] + 0.01 && y >= l.rect[1] && y <= l.rect[3])
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or_else(|| panic!("no text line under the link at {:?}", l.rect));
        let key = (l.page, l.owner, x.to_bits(), y.to_bits());
        if let Some(other) = seen.insert(key, l.rect) {
            panic!(
                "page {}: one link has two annotations on the line at ({x}, {y}): {other:?} and {:?}",
                l.page + 1,
                l.rect
            );
        }
    }
}

/// A link long enough to wrap: one annotation per line it occupies, each with one
/// quadrilateral (its runs on the line are adjacent), all in the one `Link` element,
/// every `/Contents` the whole link text.
#[test]
fn a_wrapped_link_has_one_annotation_per_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let words = "the regional security archive of the institute ".repeat(12);
    let src = dir.path().join("wrapped.md");
    std::fs::write(
        &src,
        common::brief(&format!(
            "Before the link, [{}](https://example.org/archive) and after it.\n",
            words.trim()
        )),
    )
    .expect("write source");
    let (_out, pdf) = common::build_edition(&src, "pdf");
    let checked = check_structure(&pdf);
    let link = checked
        .dump
        .lines()
        .find(|l| l.trim_start().starts_with("Link "))
        .expect("a Link element");
    let doc = Document::load(&pdf).expect("load");
    let mut annots = Vec::new();
    for (_, page) in doc.get_pages() {
        let pd = doc.get_dictionary(page).expect("page");
        for a in pd
            .get(b"Annots")
            .and_then(Object::as_array)
            .into_iter()
            .flatten()
        {
            let ad = doc
                .get_dictionary(a.as_reference().expect("indirect"))
                .expect("annotation");
            let p = doc
                .get_pages()
                .values()
                .position(|&q| q == page)
                .expect("page");
            annots.push(link_box(ad, p, page));
            assert_eq!(
                text_of(ad.get(b"Contents").expect("/Contents")),
                words.trim(),
                "/Contents is the whole link text"
            );
        }
    }
    assert!(
        annots.len() >= 3,
        "the link wraps: {} annotations",
        annots.len()
    );
    assert!(
        link.ends_with(&format!("+{} annot", annots.len())),
        "{link}"
    );
    for a in &annots {
        assert_eq!(a.quads.len(), 1, "adjacent runs make one quadrilateral");
    }
    one_annotation_per_line(&annots, &checked.content);
}

fn case(name: &str) {
    let (_dir, pdf) = build(name);
    let checked = check_structure(&pdf);
    common::golden(
        &common::root().join(format!("tests/fixtures/{name}/expected/struct-tree.txt")),
        &checked.dump,
    );
    if common::need_tool("pdfinfo") {
        let out = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
        let info = String::from_utf8_lossy(&out.stdout);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
            "pdfinfo: {info}"
        );
    }
    if common::need_tool("qpdf") {
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(&pdf)
            .output()
            .expect("qpdf");
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && !s.contains("WARNING"), "qpdf: {s}");
    }
}

#[test]
fn seed_is_tagged() {
    case("seed");
}

#[test]
fn constructs_is_tagged() {
    case("constructs");
}

#[test]
fn multiscript_is_tagged() {
    case("multiscript");
}

/// The outline of `long`: one entry per heading in document order, nested by level, each
/// pointing at its heading's page and position.
#[test]
fn long_is_tagged_and_its_outline_nests() {
    case("long");
    let (_dir, pdf) = build("long");
    let checked = check_structure(&pdf);
    let doc = Document::load(&pdf).expect("load");
    let pages = page_index(&doc);
    let catalog = doc.catalog().expect("catalog");
    let outlines = dict(&doc, catalog, b"Outlines").expect("/Outlines");
    let mut entries = Vec::new();
    let total = outline_entries(
        &doc,
        outlines.get(b"First").and_then(Object::as_reference).ok(),
        0,
        &pages,
        &mut entries,
    );
    assert_eq!(
        outlines.get(b"Count").and_then(Object::as_i64).ok(),
        Some(total)
    );
    // The headings of the source, in order, then the notes heading.
    let src = std::fs::read_to_string(common::fixture("long")).expect("source");
    let mut want: Vec<(usize, String)> = src
        .lines()
        .filter_map(|l| {
            let hashes = l.chars().take_while(|&c| c == '#').count();
            (2..=4)
                .contains(&hashes)
                .then(|| (hashes - 2, l[hashes..].trim().to_owned()))
        })
        .collect();
    if src.contains("[^") {
        want.push((0, "Notes".to_owned()));
    }
    let got: Vec<(usize, String)> = entries.iter().map(|e| (e.0, e.1.clone())).collect();
    assert_eq!(got, want, "outline titles and nesting");
    assert!(entries.iter().any(|e| e.0 == 2), "three levels deep");
    // Each destination is on its heading's page, at its left edge, just above its first
    // baseline (within one line of 11 pt type).
    let headings: Vec<_> = checked.headings.iter().filter(|h| h.0 >= 2).collect();
    assert_eq!(headings.len(), entries.len());
    for (e, h) in entries.iter().zip(headings) {
        assert_eq!(short(&e.1), h.1, "outline and structure agree");
        assert_eq!(e.2, h.2, "{}: destination page", e.1);
        let (x, y) = checked.content.at[&(h.2, h.3)];
        assert!(
            (e.3 - x).abs() < 0.5,
            "{}: left {} vs text at {x}",
            e.1,
            e.3
        );
        assert!(
            e.4 > y && e.4 - y < 14.0,
            "{}: top {} vs baseline {y}",
            e.1,
            e.4
        );
    }
    let pages_used: BTreeSet<usize> = entries.iter().map(|e| e.2).collect();
    assert!(pages_used.len() > 5, "headings spread over the pages");
}

/// The outline items from `first` on and their descendants, depth-first, as (depth,
/// title, page, left, top) in `out`; returns how many there are.
fn outline_entries(
    doc: &Document,
    first: Option<ObjectId>,
    depth: usize,
    pages: &BTreeMap<ObjectId, usize>,
    out: &mut Vec<(usize, String, usize, f32, f32)>,
) -> i64 {
    let mut n = 0;
    let mut cur = first;
    while let Some(id) = cur {
        let d = doc.get_dictionary(id).expect("outline item");
        let dest = d.get(b"Dest").and_then(Object::as_array).expect("/Dest");
        assert_eq!(dest[1].as_name().ok(), Some(&b"XYZ"[..]));
        let page = pages[&dest[0].as_reference().expect("dest page")];
        out.push((
            depth,
            text_of(d.get(b"Title").expect("title")),
            page,
            num(&dest[2]),
            num(&dest[3]),
        ));
        let kids = outline_entries(
            doc,
            d.get(b"First").and_then(Object::as_reference).ok(),
            depth + 1,
            pages,
            out,
        );
        if kids > 0 {
            assert_eq!(
                d.get(b"Count").and_then(Object::as_i64).ok(),
                Some(kids),
                "open item counts its descendants"
            );
        }
        n += 1 + kids;
        cur = d.get(b"Next").and_then(Object::as_reference).ok();
    }
    n
}

/// Page object id → 0-based page number.
fn page_index(doc: &Document) -> BTreeMap<ObjectId, usize> {
    doc.get_pages()
        .into_values()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect()
}
