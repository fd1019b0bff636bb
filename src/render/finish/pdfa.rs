//! PDF/A conformance: document information, XMP metadata, the output intent (sRGB for
//! the screen edition; for print the CMYK one it shares with PDF/X-4, see [`super::pdfx`]),
//! the file identifier, the header, and annotation flags.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::meta::{author_line, file_id, file_id_hex, keyword_line, pdf_date};
use super::{icc, icc_cmyk, pdfx, xmp, Info};
use crate::render::pdf_string::text_string;
use crate::render::Edition;

/// Annotation flags PDF/A forbids (Invisible, Hidden, NoView, ToggleNoView) and the one it
/// requires (Print): ISO 19005-2, 6.3.2.
const FORBIDDEN_FLAGS: i64 = 1 | 2 | 32 | 256;
const PRINT_FLAG: i64 = 4;

/// The output condition our profile describes.
pub const OUTPUT_CONDITION: &str = "sRGB IEC61966-2.1";

/// Make every annotation printable and visible, as PDF/A requires. With `cmyk` (the
/// print edition's CMYK output intent) an RGB `/C` or `/IC` colour is dropped: PDF/A
/// allows it only with an RGB intent, and our links have no border for it to colour.
pub fn fix_annotations(doc: &mut Document, cmyk: bool) -> Result<(), String> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        let annots = match doc.get_dictionary(page).map(|d| d.get(b"Annots")) {
            Ok(Ok(a)) => a.clone(),
            _ => continue,
        };
        let (holder, mut items) = match annots {
            Object::Array(items) => (None, items),
            Object::Reference(id) => match doc.get_object(id) {
                Ok(Object::Array(items)) => (Some(id), items.clone()),
                _ => return Err(format!("page {page:?}: /Annots is not an array")),
            },
            _ => return Err(format!("page {page:?}: /Annots is not an array")),
        };
        for item in &mut items {
            match item {
                Object::Reference(id) => {
                    if let Ok(d) = doc.get_dictionary_mut(*id) {
                        set_print_flag(d);
                        if cmyk {
                            drop_rgb_colours(d);
                        }
                    }
                }
                Object::Dictionary(d) => {
                    set_print_flag(d);
                    if cmyk {
                        drop_rgb_colours(d);
                    }
                }
                _ => {}
            }
        }
        let array = Object::Array(items);
        match holder {
            Some(id) => {
                if let Ok(o) = doc.get_object_mut(id) {
                    *o = array;
                }
            }
            None => {
                if let Ok(d) = doc.get_dictionary_mut(page) {
                    d.set("Annots", array);
                }
            }
        }
    }
    Ok(())
}

fn drop_rgb_colours(annot: &mut Dictionary) {
    for key in [&b"C"[..], b"IC"] {
        if annot
            .get(key)
            .and_then(Object::as_array)
            .is_ok_and(|a| a.len() == 3)
        {
            annot.remove(key);
        }
    }
}

fn set_print_flag(annot: &mut Dictionary) {
    let flags = annot.get(b"F").and_then(Object::as_i64).unwrap_or(0);
    annot.set(
        "F",
        Object::Integer((flags | PRINT_FLAG) & !FORBIDDEN_FLAGS),
    );
}

/// Write the Info dictionary, XMP metadata, output intent, header version, binary
/// marker and file ID; drop what the renderer wrote for these.
pub fn conform(doc: &mut Document, info: &Info) -> Result<(), String> {
    let print = info.edition == Edition::Print;
    let info_id = doc.add_object(info_dictionary(info, print));
    let metadata_id = doc.add_object(metadata(info));
    let profile_id = doc.add_object(output_profile(info, print));
    let intents = if print {
        print_intents(info, profile_id)
    } else {
        vec![screen_intent(profile_id)]
    };
    let catalog = doc
        .catalog_mut()
        .map_err(|e| format!("the PDF has no catalog: {e}"))?;
    catalog.set("Metadata", Object::Reference(metadata_id));
    catalog.set("OutputIntents", Object::Array(intents));
    catalog.set("Lang", text_string(&info.language));
    doc.trailer.set("Info", Object::Reference(info_id));
    let id = Object::String(file_id(info).to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    doc.version = if print { pdfx::PDF_VERSION } else { "1.7" }.into();
    // Four bytes above 127 on the second line mark the file as binary (ISO 19005-2, 6.1.2).
    doc.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];
    // The renderer's own metadata, output intent or info are now unreferenced.
    prune(doc);
    renumber(doc);
    Ok(())
}

/// The document information dictionary; the print edition's adds the PDF/X keys.
fn info_dictionary(info: &Info, print: bool) -> Dictionary {
    let date = pdf_date(info.created);
    let modified = pdf_date(info.modified);
    let mut entries: Vec<(&str, Object)> = vec![("Title", text_string(&info.title))];
    if !info.authors.is_empty() {
        entries.push(("Author", text_string(&author_line(&info.authors))));
    }
    entries.push(("Subject", text_string(&info.subject)));
    if !info.keywords.is_empty() {
        entries.push(("Keywords", text_string(&keyword_line(&info.keywords))));
    }
    entries.extend([
        ("Creator", text_string(&info.producer)),
        ("Producer", text_string(&info.producer)),
        ("CreationDate", text_string(&date)),
        ("ModDate", text_string(&modified)),
    ]);
    if print {
        entries.push(("GTS_PDFXVersion", text_string(pdfx::PDFX_VERSION)));
        // Nobody trapped the file; PDF/X wants that said, not left unknown.
        entries.push(("Trapped", Object::Name(b"False".to_vec())));
    }
    Dictionary::from_iter(entries)
}

/// The catalog's `/Metadata` stream: the XMP packet.
fn metadata(info: &Info) -> Stream {
    let packet = xmp::packet(info, &file_id_hex(info));
    Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        packet.into_bytes(),
    )
    // Left uncompressed so archive tools that do not inflate streams can read it.
    .with_compression(false)
}

/// The ICC profile of the output intents: CMYK for the print edition, else sRGB.
fn output_profile(info: &Info, print: bool) -> Stream {
    // The print edition's one CMYK profile serves both intents (see `pdfx`): the
    // house's press condition, else the generic one.
    let (profile, components) = match (print, &info.output) {
        (true, Some(o)) => (o.profile.to_vec(), 4),
        (true, None) => (icc_cmyk::generic_cmyk(), 4),
        (false, _) => (icc::srgb_v2(), 3),
    };
    crate::render::deflate::stream(
        Dictionary::from_iter(vec![("N", Object::Integer(components))]),
        &profile,
    )
}

/// The print edition's output intents, PDF/X and PDF/A, on the CMYK profile `profile_id`.
fn print_intents(info: &Info, profile_id: ObjectId) -> Vec<Object> {
    let (id, registry, condition, about) = match &info.output {
        Some(o) => (
            o.identifier.as_str(),
            o.registry_name.as_str(),
            o.condition.as_str(),
            o.condition.as_str(),
        ),
        None => (
            icc_cmyk::OUTPUT_CONDITION_ID,
            "",
            icc_cmyk::OUTPUT_CONDITION,
            icc_cmyk::DESCRIPTION,
        ),
    };
    let intent = |subtype: &[u8]| {
        let mut d = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"OutputIntent".to_vec())),
            ("S", Object::Name(subtype.to_vec())),
            ("OutputConditionIdentifier", text_string(id)),
        ]);
        for (key, value) in [
            ("RegistryName", registry),
            ("OutputCondition", condition),
            ("Info", about),
        ] {
            if !value.is_empty() {
                d.set(key, text_string(value));
            }
        }
        d.set("DestOutputProfile", Object::Reference(profile_id));
        Object::Dictionary(d)
    };
    vec![intent(b"GTS_PDFX"), intent(b"GTS_PDFA1")]
}

/// The screen edition's output intent, PDF/A on the sRGB profile `profile_id`.
fn screen_intent(profile_id: ObjectId) -> Object {
    Object::Dictionary(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", text_string(OUTPUT_CONDITION)),
        ("RegistryName", text_string("http://www.color.org")),
        ("Info", text_string(icc::DESCRIPTION)),
        ("DestOutputProfile", Object::Reference(profile_id)),
    ]))
}

/// Remove every object not reachable from the trailer. lopdf's `prune_objects` does
/// the same but clones each array and dictionary it walks through, which on a long
/// brief's structure tree cost as much as writing the file.
fn prune(doc: &mut Document) {
    fn refs<'a>(o: &'a Object, out: &mut Vec<&'a Object>) {
        match o {
            Object::Array(a) => out.extend(a.iter()),
            Object::Dictionary(d) => out.extend(d.iter().map(|(_, v)| v)),
            Object::Stream(s) => out.extend(s.dict.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    let mut seen: std::collections::HashSet<lopdf::ObjectId> = std::collections::HashSet::new();
    let mut todo: Vec<&Object> = doc.trailer.iter().map(|(_, v)| v).collect();
    while let Some(o) = todo.pop() {
        match o {
            Object::Reference(id) => {
                if seen.insert(*id) {
                    if let Some(target) = doc.objects.get(id) {
                        todo.push(target);
                    }
                }
            }
            other => refs(other, &mut todo),
        }
    }
    doc.objects.retain(|id, _| seen.contains(id));
}

/// Number the objects 1, 2, 3 … in their present order. Pruning leaves holes in the
/// numbering (printpdf's own Info dictionary, its unused metadata), and lopdf writes a
/// hole as a gap between two cross-reference sections: a number neither in use nor
/// free, which ISO 32000-1 (7.5.4) does not allow and which readers repair with a
/// warning. A reference to an object that does not exist becomes `null` (what it
/// means anyway), so it cannot land on a renumbered object.
fn renumber(doc: &mut Document) {
    let map: std::collections::HashMap<ObjectId, ObjectId> = doc
        .objects
        .keys()
        .zip(1u32..)
        .map(|(&old, new)| (old, (new, 0)))
        .collect();
    let objects = std::mem::take(&mut doc.objects);
    let mut todo: Vec<&mut Object> = Vec::new();
    doc.objects = objects
        .into_iter()
        .filter_map(|(old, o)| map.get(&old).map(|&new| (new, o)))
        .collect();
    todo.extend(doc.objects.values_mut());
    todo.extend(doc.trailer.iter_mut().map(|(_, v)| v));
    // An explicit stack: nesting depth is whatever the input PDF had.
    while let Some(o) = todo.pop() {
        match o {
            Object::Reference(id) => match map.get(id) {
                Some(&new) => *id = new,
                None => *o = Object::Null,
            },
            Object::Array(a) => todo.extend(a.iter_mut()),
            Object::Dictionary(d) => todo.extend(d.iter_mut().map(|(_, v)| v)),
            Object::Stream(s) => todo.extend(s.dict.iter_mut().map(|(_, v)| v)),
            _ => {}
        }
    }
    doc.max_id = u32::try_from(doc.objects.len()).unwrap_or(u32::MAX);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_flag_is_set_and_hidden_flags_cleared() {
        let mut d = Dictionary::from_iter(vec![("F", Object::Integer(2 | 32))]);
        set_print_flag(&mut d);
        assert_eq!(d.get(b"F").and_then(Object::as_i64).ok(), Some(4));
    }
}
