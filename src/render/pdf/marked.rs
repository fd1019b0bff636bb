//! Marked content in the page content streams: the `BDC`/`BMC`/`EMC` operators that tie
//! text and images to the structure tree ([`super::tags`]) or mark them as artifacts,
//! and the link annotations' place in the tree.
//!
//! printpdf 0.12 writes `BDC` with an inline property dictionary
//! (`Op::BeginMarkedContentWithProperties`), which is all an MCID needs, so marked
//! content is emitted as ordinary printpdf operations — the same route as the inserted
//! hyphen's `/Span << /ActualText >>` — and needs no patching of the streams afterwards.
//! Its annotations, however, are written inline in `/Annots`, and an `/OBJR` needs an
//! indirect object, so [`annotations`] moves them out with lopdf.
//!
//! A line that ends where no space is (after a dash or a slash, between ideographs)
//! ends in an empty `/Span << /ActualText <FEFF00AD> >>`: an invisible soft hyphen, so
//! the reader joins the line's last word to the next line's first ([`join_run`]).

use std::collections::BTreeMap;

use lopdf::{Document, Object, ObjectId};
use printpdf::{DictItem, Op};

use super::flow::Run;
use super::linebreak::Line;
use super::shape::{Chunk, Glyph, Item, INF};
use super::tags::{Marks, NodeId, Tree};
use crate::render::pdf_string::text_string;

/// Open marked content for `node` on `page`: `/<Role> <</MCID n>> BDC`.
pub fn begin(ops: &mut Vec<Op>, tree: &Tree, marks: &mut Marks, page: usize, node: NodeId) {
    let mcid = marks.begin(page, node);
    let mut map = BTreeMap::new();
    map.insert("MCID".to_owned(), DictItem::Int(i64::from(mcid)));
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: tree.role(node).into(),
        properties: DictItem::Dict { map },
    });
}

/// Open an artifact: `/Artifact BMC`.
pub fn artifact(ops: &mut Vec<Op>) {
    ops.push(Op::BeginMarkedContent {
        tag: "Artifact".into(),
    });
}

/// Close the innermost marked content: `EMC`.
pub fn end(ops: &mut Vec<Op>) {
    ops.push(Op::EndMarkedContent);
}

/// The run that ends `line` of `items` when the line breaks inside a word, else `None`.
///
/// A break inside a word is one that neither a space nor an inserted hyphen marks: a
/// break opportunity of UAX #14 after a dash, a slash or an ideograph. Every other
/// line end is a word break to a reader, so this one must say that it is not: the run
/// has no glyphs and is written like an inserted hyphen, inside
/// `/Span << /ActualText <FEFF00AD> >>` (docs/editions.md), which the reader takes as
/// a soft hyphen: it joins the words and the normalisation drops it.
pub fn join_run(items: &[Item], line: &Line) -> Option<Run> {
    if line.hyphen.is_some() {
        return None;
    }
    match items.get(line.end) {
        Some(Item::Penalty {
            penalty,
            hyphen: None,
            ..
        }) if *penalty > -INF && !super::shape::tie_at(items, line.end) => {}
        _ => return None,
    }
    // The last character set on the line, and the text it belongs to: furniture (a note
    // number) is skipped by the reader, so the mark goes with the content before it.
    let boxes = items[line.start..line.end]
        .iter()
        .rev()
        .filter_map(|it| match it {
            Item::Box(c) if !c.style.artifact => Some(c),
            _ => None,
        });
    let (chunk, last) = boxes
        .filter_map(|c| {
            let last = c.glyphs.iter().rev().find_map(|g| g.text.chars().last())?;
            Some((c, last))
        })
        .next()?;
    // A break after white space that is not a word space (a thin space, say) is a word
    // break to the reader already.
    if last.is_whitespace() {
        return None;
    }
    let mut style = chunk.style.clone();
    // The mark is not part of a link: it would get an empty link annotation.
    style.link = None;
    Some(Run {
        chunk: Chunk {
            font: chunk.font,
            style,
            glyphs: Vec::new().into(),
        },
        extra: 0.0,
        hyphen: true,
    })
}

/// The glyphs of a run in pieces, each `(range, actual)`: `actual` is the text a piece
/// shows, to be given as `/ActualText`, when its glyphs' `/ToUnicode` texts would read
/// differently; `None` for runs of clusters that read right.
///
/// `/ToUnicode` gives one text per glyph (`reads`, by original glyph id), but a glyph
/// may show different text in different places: the letter that carries a stack of
/// reordered marks, a mark glyph that only ever follows its letter in one cluster. Such
/// a cluster (a glyph with text and the glyphs after it without) is read from its
/// `/ActualText`. A cluster with the `.notdef` glyph gets none: it shows no character,
/// and the verifier must see that.
pub fn pieces<'r>(
    glyphs: &[Glyph],
    reads: impl Fn(u16) -> Option<&'r str>,
) -> Vec<(std::ops::Range<usize>, Option<String>)> {
    let mut out: Vec<(std::ops::Range<usize>, Option<String>)> = Vec::new();
    let mut k = 0;
    while k < glyphs.len() {
        let end = glyphs[k + 1..]
            .iter()
            .position(|g| !g.text.is_empty())
            .map_or(glyphs.len(), |p| k + 1 + p);
        let cluster = &glyphs[k..end];
        let shows = || cluster.iter().map(|g| g.text.as_str()).collect::<String>();
        // One glyph, one text: the usual case, compared without building strings.
        let right = match cluster {
            [g] => reads(g.gid) == Some(g.text.as_str()),
            _ => cluster
                .iter()
                .map(|g| reads(g.gid))
                .collect::<Option<String>>()
                .is_some_and(|read| read == shows()),
        };
        let notdef = cluster.iter().any(|g| g.gid == 0);
        let actual = (!right && !notdef).then(shows);
        match out.last_mut() {
            Some((r, None)) if actual.is_none() => r.end = end,
            _ => out.push((k..end, actual)),
        }
        k = end;
    }
    out
}

/// Open `/Span << /ActualText (text) >>` (closed by `EMC`).
pub fn actual_text(ops: &mut Vec<Op>, text: &str) {
    let mut data = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        data.extend(unit.to_be_bytes());
    }
    let mut map = BTreeMap::new();
    map.insert(
        "ActualText".to_owned(),
        DictItem::String {
            data,
            literal: false,
        },
    );
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: "Span".into(),
        properties: DictItem::Dict { map },
    });
}

/// A link annotation as the writer drew it: its `Link` element, the text it covers on
/// its line, and the rectangles `[x0, y0, x1, y1]` (pt, from the page's lower left) of
/// its stretches of adjacent runs there.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRun {
    pub node: NodeId,
    pub text: String,
    pub quads: Vec<[f32; 4]>,
    /// The line breaks inside a word of the link: its text goes on at the next line
    /// without a space.
    pub glued: bool,
}

/// The smallest rectangle `[x0, y0, x1, y1]` holding all of `quads`.
pub fn union(quads: &[[f32; 4]]) -> [f32; 4] {
    quads
        .iter()
        .copied()
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
        .unwrap_or_default()
}

/// `/QuadPoints` of rectangles: per rectangle its upper left, upper right, lower left
/// and lower right corner, the order Acrobat and pdf.js read.
fn quad_points(quads: &[[f32; 4]]) -> Object {
    let mut v = Vec::with_capacity(quads.len() * 8);
    for &[x0, y0, x1, y1] in quads {
        for n in [x0, y1, x1, y1, x0, y0, x1, y0] {
            v.push(Object::Real(n));
        }
    }
    Object::Array(v)
}

/// Give every link annotation its place in the structure: move it into an indirect
/// object, add the `/QuadPoints` printpdf does not model, set `/StructParent` (keys from `pages.len()` on, after the pages' own), a
/// `/Contents` description (PDF/UA-1, 7.18.5: the whole link text of its element) and
/// record it for its `Link` element's `/OBJR`. Pages with annotations get `/Tabs /S`
/// (tab order follows the structure). `links[p]` lists page p's annotations in the
/// order printpdf wrote them (the order of the `LinkAnnotation` operations). Returns
/// the next free parent-tree key.
pub fn annotations(
    lo: &mut Document,
    pages: &[ObjectId],
    links: &[Vec<LinkRun>],
    marks: &mut Marks,
) -> Result<i64, String> {
    // The whole text of each link, its lines joined by a space unless a word goes on.
    let mut text: BTreeMap<NodeId, (String, bool)> = BTreeMap::new();
    for l in links.iter().flatten() {
        let (t, glued) = text.entry(l.node).or_default();
        let apart = |c: Option<char>| c.is_none_or(char::is_whitespace);
        if !*glued && !apart(t.chars().last()) && !apart(l.text.chars().next()) {
            t.push(' ');
        }
        t.push_str(&l.text);
        *glued = l.glued;
    }
    let mut key = pages.len() as i64;
    for (p, &page) in pages.iter().enumerate() {
        let want = links.get(p).map_or(&[][..], Vec::as_slice);
        let annots = match lo.get_dictionary(page).and_then(|d| d.get(b"Annots")) {
            Ok(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        if annots.len() != want.len() {
            return Err(format!(
                "page {}: {} link annotations written, {} drawn",
                p + 1,
                annots.len(),
                want.len()
            ));
        }
        if annots.is_empty() {
            continue;
        }
        let mut refs = Vec::new();
        for (a, l) in annots.into_iter().zip(want) {
            let Object::Dictionary(mut d) = a else {
                return Err(format!(
                    "page {}: a link annotation is not a dictionary",
                    p + 1
                ));
            };
            d.set("QuadPoints", quad_points(&l.quads));
            d.set("StructParent", Object::Integer(key));
            let contents = text.get(&l.node).map_or("", |(t, _)| t.trim());
            d.set("Contents", text_string(contents));
            let id = lo.add_object(Object::Dictionary(d));
            marks.annot(p, l.node, id, key);
            refs.push(Object::Reference(id));
            key += 1;
        }
        if let Ok(d) = lo.get_dictionary_mut(page) {
            d.set("Annots", Object::Array(refs));
            d.set("Tabs", Object::Name(b"S".to_vec()));
        }
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(gid: u16, text: &str) -> Glyph {
        Glyph {
            gid,
            advance: 1.0,
            cluster: 0,
            text: text.to_owned(),
        }
    }

    #[test]
    fn only_clusters_that_read_otherwise_get_actual_text() {
        // `/ToUnicode`: 1 → "a", 2 → "\u{1EB9}" (e with dot below), 3 → "\u{301}";
        // glyph 4 has no text of its own anywhere.
        let reads = |gid: u16| match gid {
            1 => Some("a"),
            2 => Some("\u{1EB9}"),
            3 => Some("\u{301}"),
            _ => None,
        };
        let glyphs = [
            glyph(1, "a"),
            glyph(2, "e\u{301}\u{323}"),
            glyph(3, ""),
            glyph(1, "a"),
            glyph(2, "\u{1EB9}"),
            glyph(3, "\u{301}"),
            glyph(4, "x"),
            glyph(0, "\u{2232}"),
        ];
        assert_eq!(
            pieces(&glyphs, reads),
            [
                (0..1, None),
                (1..3, Some("e\u{301}\u{323}".to_owned())),
                (3..6, None),
                (6..7, Some("x".to_owned())),
                // `.notdef` shows no character: no text to paper over that.
                (7..8, None)
            ]
        );
    }
}
