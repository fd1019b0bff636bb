//! PDF/X-4 for the print edition, beside PDF/A-2b or -3b in the same file.
//!
//! What makes the print edition a PDF/X-4 (ISO 15930-7) file, and where it is written:
//! - the renderer paints text and house colours in DeviceCMYK, as the house's inks
//!   (`render::pdf::write`, `[print_colours]` of `house.toml`); text is black ink alone;
//! - one CMYK output profile (the house's `[print]` one, else [`super::icc_cmyk`]) is the
//!   `DestOutputProfile` of both output intents, `GTS_PDFX` and `GTS_PDFA1`: PDF/A-2
//!   (ISO 19005-2, 6.2.3) allows several output intents only when they share that one
//!   indirect object, and with a CMYK intent PDF/A forbids DeviceRGB, so nothing on a
//!   print page is DeviceRGB ([`super::pdfa::conform`]);
//! - `/GTS_PDFXVersion (PDF/X-4)` and `/Trapped /False` in the Info dictionary and
//!   `pdfxid:GTS_PDFXVersion`, `pdf:Trapped`, `xmpMM:VersionID` and
//!   `xmpMM:RenditionClass` in the XMP ([`super::xmp`]), with a PDF/A extension schema
//!   for `pdfxid`;
//! - header `%PDF-1.6`: PDF/X-4 is a subset of PDF 1.6, PDF/A-2 and -3 accept any 1.x
//!   header, and nothing the renderer writes needs 1.7;
//! - TrimBox inside BleedBox inside MediaBox on every page ([`super::print`]).
//!
//! Figures stay RGB: [`figures_in_srgb`] gives their DeviceRGB pixels an ICC-based sRGB
//! colour space (the profile of [`super::icc`]), which PDF/X-4 and PDF/A allow under a
//! CMYK intent. Converting them to CMYK here would bake the textbook conversion of our
//! generic profile into the pixels; left in sRGB, the RIP converts them with the press's
//! own profile and rendering intent, which is what PDF/X-4's colour-managed workflow is
//! for. Grey figures stay DeviceGray, which every output intent allows.
//!
//! The audit ([`super::audit`]) holds each of these as a rule.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::icc;

/// The identification PDF/X-4 files carry.
pub const PDFX_VERSION: &str = "PDF/X-4";

/// The PDF version of a print edition's header.
pub const PDF_VERSION: &str = "1.6";

/// Give every image XObject painted in DeviceRGB (directly or as the base of an
/// indexed space) the ICC-based sRGB colour space instead. Returns how many images
/// were changed; the profile stream is added only when one was.
pub fn figures_in_srgb(doc: &mut Document) -> usize {
    let images: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"Image"[..])
                    && s.dict.get(b"ColorSpace").is_ok_and(names_device_rgb)
            })
        })
        .map(|(&id, _)| id)
        .collect();
    if images.is_empty() {
        return 0;
    }
    let profile = crate::render::deflate::stream(
        Dictionary::from_iter(vec![("N", Object::Integer(3))]),
        &icc::srgb_v2(),
    );
    let profile_id = doc.add_object(profile);
    let srgb = Object::Array(vec![
        Object::Name(b"ICCBased".to_vec()),
        Object::Reference(profile_id),
    ]);
    for id in &images {
        if let Ok(stream) = doc.get_object_mut(*id).and_then(Object::as_stream_mut) {
            if let Ok(space) = stream.dict.get_mut(b"ColorSpace") {
                replace_device_rgb(space, &srgb);
            }
        }
    }
    images.len()
}

/// Whether a colour space is DeviceRGB or an indexed space over it.
fn names_device_rgb(space: &Object) -> bool {
    match space {
        Object::Name(n) => n == b"DeviceRGB",
        Object::Array(a) => {
            a.first().and_then(|o| o.as_name().ok()) == Some(&b"Indexed"[..])
                && a.get(1).and_then(|o| o.as_name().ok()) == Some(&b"DeviceRGB"[..])
        }
        _ => false,
    }
}

fn replace_device_rgb(space: &mut Object, srgb: &Object) {
    match space {
        Object::Name(n) if n == b"DeviceRGB" => *space = srgb.clone(),
        Object::Array(a) => {
            if let Some(base) = a.get_mut(1) {
                *base = srgb.clone();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Stream;

    #[test]
    fn rgb_and_indexed_rgb_images_get_the_srgb_profile_and_grey_ones_do_not() {
        let mut doc = Document::with_version("1.6");
        let image = |space: Object| {
            Stream::new(
                Dictionary::from_iter(vec![
                    ("Subtype", Object::Name(b"Image".to_vec())),
                    ("ColorSpace", space),
                ]),
                Vec::new(),
            )
        };
        let rgb = doc.add_object(image(Object::Name(b"DeviceRGB".to_vec())));
        let indexed = doc.add_object(image(Object::Array(vec![
            Object::Name(b"Indexed".to_vec()),
            Object::Name(b"DeviceRGB".to_vec()),
            Object::Integer(1),
            Object::string_literal(vec![0u8; 6]),
        ])));
        let grey = doc.add_object(image(Object::Name(b"DeviceGray".to_vec())));
        assert_eq!(figures_in_srgb(&mut doc), 2);
        let space = |id| {
            doc.get_object(id)
                .and_then(Object::as_stream)
                .and_then(|s| s.dict.get(b"ColorSpace"))
                .cloned()
                .unwrap_or(Object::Null)
        };
        let iccbased = |o: &Object| {
            o.as_array()
                .is_ok_and(|a| a.first().and_then(|n| n.as_name().ok()) == Some(b"ICCBased"))
        };
        assert!(iccbased(&space(rgb)));
        let indexed = space(indexed);
        assert!(indexed.as_array().is_ok_and(|a| iccbased(&a[1])));
        assert_eq!(space(grey), Object::Name(b"DeviceGray".to_vec()));
        // Nothing to change: no profile added.
        let before = doc.objects.len();
        assert_eq!(figures_in_srgb(&mut doc), 0);
        assert_eq!(doc.objects.len(), before);
    }
}
