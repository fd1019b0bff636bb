//! Page boxes for both editions, and crop marks for the print edition.
//!
//! Contract with the renderer (`docs/editions.md`, "Page boxes"): every page is drawn in
//! trim coordinates, (0,0)–(W,H), and full-bleed elements already run `bleed` mm past the
//! trim edges. So the print edition needs no content translation: the MediaBox grows to
//! a box with a negative origin that holds the bleed and the marks, the TrimBox stays at
//! (0,0)–(W,H), and link annotations keep their coordinates.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::{pt, Info};
use crate::render::Edition;

/// Resource name of the registration colour space the marks are painted in.
const REGISTRATION: &str = "BPRegistration";

/// Set MediaBox/TrimBox/BleedBox on every page and, for print, draw the crop marks.
pub fn apply(doc: &mut Document, info: &Info) -> Result<(), String> {
    let g = &info.page;
    let (w, h) = (pt(g.width), pt(g.height));
    let trim = [0.0, 0.0, w, h];
    // Marks must stay outside the bleed, whatever the house file says.
    let offset = pt(g.crop_mark_offset.max(g.bleed));
    let outer = offset + pt(g.crop_mark_length);
    let bleed = pt(g.bleed);
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err("the PDF has no pages".into());
    }
    let registration = match info.edition {
        Edition::Print => Some(doc.add_object(registration_space())),
        Edition::Screen => None,
    };
    for page in pages {
        let resources = match registration {
            Some(cs) => Some(resources_with(doc, page, cs)?),
            None => None,
        };
        let mut contents = Vec::new();
        if resources.is_some() {
            // Wrap the renderer's content in q … Q so a graphics state it leaves behind
            // (colour, line width, a transformation) cannot change the marks.
            let open = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
            let marks = crop_marks(w, h, offset, outer, g.crop_mark_width);
            let close = doc.add_object(Stream::new(Dictionary::new(), marks));
            contents.push(Object::Reference(open));
            contents.extend(existing_contents(doc, page)?);
            contents.push(Object::Reference(close));
        }
        let dict = doc
            .get_dictionary_mut(page)
            .map_err(|e| format!("page {page:?} is not a dictionary: {e}"))?;
        for key in [&b"CropBox"[..], b"BleedBox", b"ArtBox"] {
            dict.remove(key);
        }
        match resources {
            Some(res) => {
                let media = [-outer, -outer, w + outer, h + outer];
                dict.set("MediaBox", rect(media));
                dict.set("TrimBox", rect(trim));
                dict.set("BleedBox", rect([-bleed, -bleed, w + bleed, h + bleed]));
                dict.set("Resources", res);
                dict.set("Contents", Object::Array(contents));
            }
            None => {
                dict.set("MediaBox", rect(trim));
                dict.set("TrimBox", rect(trim));
            }
        }
    }
    Ok(())
}

/// `[/Separation /All /DeviceGray f]`: ink on every plate (registration), so the printer
/// can align the plates on the marks. The alternate space is DeviceGray, which PDF/A
/// allows with any output intent (DeviceCMYK would clash with our sRGB intent).
fn registration_space() -> Object {
    let tint = Dictionary::from_iter(vec![
        ("FunctionType", Object::Integer(2)),
        ("Domain", Object::Array(vec![0.into(), 1.into()])),
        ("C0", Object::Array(vec![1.into()])),
        ("C1", Object::Array(vec![0.into()])),
        ("N", Object::Integer(1)),
    ]);
    Object::Array(vec![
        Object::Name(b"Separation".to_vec()),
        Object::Name(b"All".to_vec()),
        Object::Name(b"DeviceGray".to_vec()),
        Object::Dictionary(tint),
    ])
}

/// The page's resources (its own or inherited), with the registration colour space added.
fn resources_with(doc: &Document, page: ObjectId, cs: ObjectId) -> Result<Dictionary, String> {
    let mut res = Dictionary::new();
    let mut node = page;
    // A page tree deeper than this is malformed; stop instead of looping on a cycle.
    for _ in 0..64 {
        let dict = doc
            .get_dictionary(node)
            .map_err(|e| format!("broken page tree at {node:?}: {e}"))?;
        if let Ok(r) = dict.get(b"Resources") {
            res = deref_dict(doc, r)?;
            break;
        }
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => node = parent,
            Err(_) => break,
        }
    }
    let mut spaces = match res.get(b"ColorSpace") {
        Ok(o) => deref_dict(doc, o)?,
        Err(_) => Dictionary::new(),
    };
    spaces.set(REGISTRATION, Object::Reference(cs));
    res.set("ColorSpace", spaces);
    Ok(res)
}

fn deref_dict(doc: &Document, o: &Object) -> Result<Dictionary, String> {
    doc.dereference(o)
        .and_then(|(_, o)| o.as_dict())
        .cloned()
        .map_err(|e| format!("resources are not a dictionary: {e}"))
}

/// The page's content streams as references, in order.
fn existing_contents(doc: &Document, page: ObjectId) -> Result<Vec<Object>, String> {
    let dict = doc
        .get_dictionary(page)
        .map_err(|e| format!("page {page:?}: {e}"))?;
    match dict.get(b"Contents") {
        Err(_) => Ok(Vec::new()),
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            // An indirect array of streams is legal; flatten it.
            Ok(Object::Array(items)) => Ok(items.clone()),
            _ => Ok(vec![Object::Reference(*id)]),
        },
        Ok(Object::Array(items)) => Ok(items.clone()),
        Ok(other) => Err(format!(
            "page {page:?} has contents of type {}",
            other.enum_variant()
        )),
    }
}

/// Eight thin lines in the registration colour, two per corner, extending the trim
/// edges outwards from `offset` to `outer` points; marked as an artifact (not content).
fn crop_marks(w: f32, h: f32, offset: f32, outer: f32, width: f32) -> Vec<u8> {
    let mut s = format!("Q\n/Artifact BMC\nq\n/{REGISTRATION} CS 1 SCN\n{width:.3} w 0 J\n");
    for (x, sx) in [(0.0, -1.0), (w, 1.0)] {
        for (y, sy) in [(0.0, -1.0), (h, 1.0)] {
            let line = |x0: f32, y0: f32, x1: f32, y1: f32| {
                format!("{x0:.3} {y0:.3} m {x1:.3} {y1:.3} l S\n")
            };
            s += &line(x + sx * offset, y, x + sx * outer, y);
            s += &line(x, y + sy * offset, x, y + sy * outer);
        }
    }
    s += "Q\nEMC\n";
    s.into_bytes()
}

fn rect(r: [f32; 4]) -> Object {
    Object::Array(r.iter().map(|&v| Object::Real(v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_lie_outside_the_bleed_and_inside_the_media_box() {
        let (w, h, off, out) = (100.0, 200.0, 8.5, 22.7);
        let text = String::from_utf8(crop_marks(w, h, off, out, 0.25)).unwrap_or_default();
        let mut lines = 0;
        for l in text.lines().filter(|l| l.ends_with(" l S")) {
            lines += 1;
            let n: Vec<f32> = l
                .split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect();
            for p in n.chunks(2) {
                let (x, y) = (p[0], p[1]);
                let outside_trim_by = (-x).max(x - w).max(-y).max(y - h);
                assert!(outside_trim_by >= off - 1e-3, "{l}");
                assert!(x >= -out - 1e-3 && x <= w + out + 1e-3, "{l}");
                assert!(y >= -out - 1e-3 && y <= h + out + 1e-3, "{l}");
            }
        }
        assert_eq!(lines, 8);
        assert!(text.starts_with("Q\n/Artifact BMC"));
    }
}
