//! PDF/A-3 associated files: embedded file streams, file specifications with an
//! `/AFRelationship`, the catalog's `/AF` array and the `/EmbeddedFiles` name tree.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::meta::pdf_date;
use super::Info;
use crate::render::pdf_string::text_string;

/// Embed `info.attachments` (nothing to do when there are none).
pub fn embed(doc: &mut Document, info: &Info) -> Result<(), String> {
    if info.attachments.is_empty() {
        return Ok(());
    }
    let mut specs: Vec<(String, ObjectId)> = Vec::new();
    for a in &info.attachments {
        if specs.iter().any(|(n, _)| *n == a.name) {
            return Err(format!("two attachments are called {}", a.name));
        }
        let params = Dictionary::from_iter(vec![
            (
                "Size",
                Object::Integer(i64::try_from(a.bytes.len()).unwrap_or(i64::MAX)),
            ),
            ("CreationDate", text_string(&pdf_date(info.created))),
            ("ModDate", text_string(&pdf_date(info.modified))),
        ]);
        let file = crate::render::deflate::stream(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"EmbeddedFile".to_vec())),
                // The MIME type as a name: "text/markdown" is written /text#2Fmarkdown.
                ("Subtype", Object::Name(a.mime.as_bytes().to_vec())),
                ("Params", Object::Dictionary(params)),
            ]),
            &a.bytes,
        );
        let file_id = doc.add_object(file);
        let ef = Dictionary::from_iter(vec![
            ("F", Object::Reference(file_id)),
            ("UF", Object::Reference(file_id)),
        ]);
        let spec = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Filespec".to_vec())),
            ("F", text_string(&ascii_name(&a.name))),
            ("UF", text_string(&a.name)),
            ("Desc", text_string(&a.description)),
            ("EF", Object::Dictionary(ef)),
            (
                "AFRelationship",
                Object::Name(a.relationship.name().as_bytes().to_vec()),
            ),
        ]);
        specs.push((a.name.clone(), doc.add_object(spec)));
    }
    // A name tree's keys must be sorted; /AF keeps the caller's order.
    let af: Vec<Object> = specs.iter().map(|(_, id)| Object::Reference(*id)).collect();
    let mut sorted = specs.clone();
    sorted.sort_by_key(|a| utf16_key(&a.0));
    let mut names = Vec::new();
    for (name, id) in sorted {
        names.push(text_string(&name));
        names.push(Object::Reference(id));
    }
    let tree = Dictionary::from_iter(vec![("Names", Object::Array(names))]);
    let names_ref = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Names").ok())
        .and_then(|n| n.as_reference().ok());
    match names_ref {
        Some(id) => doc
            .get_dictionary_mut(id)
            .map_err(|e| format!("catalog /Names is broken: {e}"))?
            .set("EmbeddedFiles", tree),
        None => {
            let catalog = doc
                .catalog_mut()
                .map_err(|e| format!("the PDF has no catalog: {e}"))?;
            let mut names = match catalog.get(b"Names") {
                Ok(Object::Dictionary(d)) => d.clone(),
                _ => Dictionary::new(),
            };
            names.set("EmbeddedFiles", tree);
            catalog.set("Names", names);
        }
    }
    doc.catalog_mut()
        .map_err(|e| format!("the PDF has no catalog: {e}"))?
        .set("AF", Object::Array(af));
    Ok(())
}

/// The name-tree key as written, so sorting matches the bytes readers compare.
fn utf16_key(name: &str) -> Vec<u8> {
    match text_string(name) {
        Object::String(b, _) => b,
        _ => Vec::new(),
    }
}

/// `/F` is for old readers: the name with anything beyond printable ASCII replaced.
fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '_' })
        .collect()
}
