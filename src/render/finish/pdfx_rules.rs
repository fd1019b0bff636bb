//! The PDF/X-4 rules of the audit ([`super::audit`]): what the print edition claims and
//! how [`super::pdfx`] meets it. They follow ISO 15930-7 as secondary sources give it
//! (the standard was not at hand, so no clause numbers); the rules are listed in
//! `docs/pdf.md` and each is broken on purpose in `tests/testsuite/finish.rs`.

use lopdf::{Document, Object};

use super::audit::{catalog, deref, profile_bytes, Report};
use super::pdfx::PDFX_VERSION;
use super::xmp::{Properties, NS_PDF, NS_PDFXID, NS_XMPMM};
use crate::render::pdf_string::decode_text;

/// Whether the file claims PDF/X anywhere: Info, output intents or XMP.
pub(super) fn claims_pdfx(doc: &Document, props: Option<&Properties>) -> bool {
    info(doc).has(b"GTS_PDFXVersion")
        || !intents(doc, b"GTS_PDFX").is_empty()
        || props.is_some_and(|p| p.contains_key(&key(NS_PDFXID, "GTS_PDFXVersion")))
}

/// Check every PDF/X-4 rule.
pub(super) fn check(doc: &Document, props: Option<&Properties>, bad: &mut Report) {
    let info = info(doc);
    let get = |ns: &str, local: &str| {
        props
            .and_then(|p| p.get(&key(ns, local)))
            .and_then(|v| v.first().cloned())
    };
    // Identification in both places.
    let in_info = info
        .get(b"GTS_PDFXVersion")
        .and_then(Object::as_str)
        .ok()
        .map(decode_text);
    if in_info.as_deref() != Some(PDFX_VERSION) {
        bad(
            "pdfx-identification",
            format!("Info /GTS_PDFXVersion is {in_info:?}, not {PDFX_VERSION:?}"),
        );
    }
    let in_xmp = get(NS_PDFXID, "GTS_PDFXVersion");
    if in_xmp.as_deref() != Some(PDFX_VERSION) {
        bad(
            "pdfx-identification",
            format!("XMP pdfxid:GTS_PDFXVersion is {in_xmp:?}, not {PDFX_VERSION:?}"),
        );
    }
    // Trapping stated, True or False, the same in the XMP.
    let trapped = info.get(b"Trapped").and_then(Object::as_name).ok();
    match trapped {
        Some(b"True" | b"False") => {
            let t = String::from_utf8_lossy(trapped.unwrap_or_default()).into_owned();
            if get(NS_PDF, "Trapped").as_deref() != Some(t.as_str()) {
                bad(
                    "pdfx-trapped",
                    format!("Info /Trapped is /{t} but XMP pdf:Trapped is not {t}"),
                );
            }
        }
        _ => bad(
            "pdfx-trapped",
            "Info /Trapped is not /True or /False".into(),
        ),
    }
    // The document's identity and version in the XMP.
    for local in ["DocumentID", "VersionID", "RenditionClass"] {
        if get(NS_XMPMM, local).is_none_or(|v| v.is_empty()) {
            bad("pdfx-document-ids", format!("XMP has no xmpMM:{local}"));
        }
    }
    output_intent(doc, bad);
    page_boxes(doc, bad);
}

/// One `GTS_PDFX` intent naming its condition, with an embedded CMYK output
/// profile; and (ISO 19005-2, 6.2.3) every intent with a profile points at that one
/// indirect object.
fn output_intent(doc: &Document, bad: &mut Report) {
    let x = intents(doc, b"GTS_PDFX");
    let [intent] = x.as_slice() else {
        return bad(
            "pdfx-output-intent",
            format!("{} GTS_PDFX output intents (want 1)", x.len()),
        );
    };
    let named = intent
        .get(b"OutputConditionIdentifier")
        .and_then(Object::as_str)
        .is_ok_and(|s| !s.is_empty());
    if !named {
        bad(
            "pdfx-output-intent",
            "the GTS_PDFX intent has no /OutputConditionIdentifier".into(),
        );
    }
    let Ok(reference) = intent
        .get(b"DestOutputProfile")
        .and_then(Object::as_reference)
    else {
        return bad(
            "pdfx-output-intent",
            "the GTS_PDFX intent has no embedded /DestOutputProfile".into(),
        );
    };
    let profile = doc.get_object(reference).and_then(Object::as_stream).ok();
    let icc = profile.and_then(profile_bytes).unwrap_or_default();
    let n = profile.and_then(|p| p.dict.get(b"N").and_then(Object::as_i64).ok());
    if icc.get(12..16) != Some(b"prtr") || icc.get(16..20) != Some(b"CMYK") || n != Some(4) {
        bad(
            "pdfx-output-intent",
            "the PDF/X profile is not a CMYK output (prtr) profile with /N 4".into(),
        );
    }
    let all = intents_all(doc);
    for other in &all {
        if let Ok(o) = other.get(b"DestOutputProfile") {
            if o.as_reference().ok() != Some(reference) {
                bad(
                    "pdfx-output-intent",
                    "output intents with different /DestOutputProfile objects".into(),
                );
            }
        }
    }
}

/// Every page has a TrimBox, inside its BleedBox (when there is one), inside its
/// MediaBox.
fn page_boxes(doc: &Document, bad: &mut Report) {
    for (n, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).cloned().unwrap_or_default();
        let rect = |key: &[u8]| -> Option<[f32; 4]> {
            let a = page
                .get(key)
                .map(|o| deref(doc, o))
                .and_then(Object::as_array)
                .ok()?;
            let v: Vec<f32> = a.iter().filter_map(|o| o.as_float().ok()).collect();
            match v.as_slice() {
                [x0, y0, x1, y1] => Some([x0.min(*x1), y0.min(*y1), x0.max(*x1), y0.max(*y1)]),
                _ => None,
            }
        };
        let inside = |a: [f32; 4], b: [f32; 4]| {
            a[0] >= b[0] - 1e-3 && a[1] >= b[1] - 1e-3 && a[2] <= b[2] + 1e-3 && a[3] <= b[3] + 1e-3
        };
        let (Some(media), Some(trim)) = (rect(b"MediaBox"), rect(b"TrimBox")) else {
            bad(
                "pdfx-page-boxes",
                format!("page {n} has no MediaBox or TrimBox"),
            );
            continue;
        };
        let bleed = rect(b"BleedBox").unwrap_or(media);
        if !inside(trim, bleed) || !inside(bleed, media) {
            bad(
                "pdfx-page-boxes",
                format!("page {n}: TrimBox inside BleedBox inside MediaBox does not hold"),
            );
        }
    }
}

fn key(ns: &str, local: &str) -> (String, String) {
    (ns.to_owned(), local.to_owned())
}

fn info(doc: &Document) -> lopdf::Dictionary {
    doc.trailer
        .get(b"Info")
        .map(|o| deref(doc, o))
        .and_then(Object::as_dict)
        .cloned()
        .unwrap_or_default()
}

fn intents_all(doc: &Document) -> Vec<lopdf::Dictionary> {
    catalog(doc)
        .get(b"OutputIntents")
        .map(|o| deref(doc, o))
        .and_then(Object::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|o| deref(doc, o).as_dict().ok().cloned())
                .collect()
        })
        .unwrap_or_default()
}

fn intents(doc: &Document, subtype: &[u8]) -> Vec<lopdf::Dictionary> {
    intents_all(doc)
        .into_iter()
        .filter(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(subtype))
        .collect()
}
