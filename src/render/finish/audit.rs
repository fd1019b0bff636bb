//! A checker for the PDF/A rules briefpress relies on (veraPDF is not available to us),
//! and for the print edition's PDF/X-4 rules (`pdfx_rules.rs`).
//!
//! Each rule has a short id, listed with its clause in the README ("The PDF/A rules we check"); `tests/testsuite/finish.rs`
//! shows that a finished file passes every rule and that breaking a file breaks the rule.

use std::collections::BTreeSet;
use std::fmt;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::meta::{author_line, keyword_line, part};
use super::xmp::{self, NS_DC, NS_PDF, NS_PDFAID, NS_XMP};
use crate::render::pdf_string::decode_text;
use crate::render::PdfStandard;

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule's id, e.g. `trailer-id`.
    pub rule: &'static str,
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.rule, self.detail)
    }
}

/// Every rule id, in the order the README ("The PDF/A rules we check") lists them.
pub const RULES: &[&str] = &[
    "header",
    "trailer-id",
    "no-encryption",
    "xmp-present",
    "xmp-well-formed",
    "xmp-identification",
    "xmp-matches-info",
    "info-dates",
    "output-intent",
    "no-forbidden-actions",
    "fonts-embedded",
    "no-device-cmyk",
    "no-device-rgb",
    "annotation-flags",
    "associated-files",
    "pdfx-identification",
    "pdfx-output-intent",
    "pdfx-trapped",
    "pdfx-document-ids",
    "pdfx-page-boxes",
];

/// Check `pdf` against every rule for `standard`, and against the PDF/X-4 rules when
/// the file claims PDF/X in any way (an Info `/GTS_PDFXVersion`, a `GTS_PDFX` output
/// intent or XMP `pdfxid:GTS_PDFXVersion`). `Err` only when the bytes are not a
/// readable PDF at all.
pub fn audit(pdf: &[u8], standard: PdfStandard) -> Result<Vec<Violation>, String> {
    let doc = Document::load_mem(pdf).map_err(|e| format!("cannot read the PDF: {e}"))?;
    Ok(audit_document(&doc, pdf, standard, false))
}

/// [`audit`] of a document still in memory, with `pdf` the bytes it was just saved as
/// (for the header rules). `finish` uses this: parsing the file again would only test
/// lopdf's writer against its own reader, at a quarter of the PDF stage's time; the
/// independent re-reading of the written file is `briefpress check`'s job.
/// `pdfx`: hold the file to the PDF/X-4 rules even if it does not claim PDF/X (the
/// print edition must).
pub fn audit_document(
    doc: &Document,
    pdf: &[u8],
    standard: PdfStandard,
    pdfx: bool,
) -> Vec<Violation> {
    let mut v = Vec::new();
    let mut bad = |rule: &'static str, detail: String| v.push(Violation { rule, detail });
    let props = xmp_properties(doc);
    let pdfx = pdfx || super::pdfx_rules::claims_pdfx(doc, props.as_ref());
    header(pdf, pdfx, &mut bad);
    trailer(doc, &mut bad);
    metadata(doc, standard, &mut bad);
    let space = output_intent(doc, &mut bad);
    objects(doc, standard, space, &mut bad);
    pages(doc, space, &mut bad);
    if pdfx {
        super::pdfx_rules::check(doc, props.as_ref(), &mut bad);
    }
    v
}

/// The XMP packet's properties, if it has one that parses (the `xmp-*` rules report
/// what is wrong with it).
fn xmp_properties(doc: &Document) -> Option<xmp::Properties> {
    let stream = catalog(doc)
        .get(b"Metadata")
        .map(|o| deref(doc, o).clone())
        .ok()?;
    xmp::read(&stream.as_stream().ok()?.content).ok()
}

/// The colour space of the PDF/A output intent's profile, which decides which device
/// space PDF/A forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IntentSpace {
    Rgb,
    Cmyk,
    /// No readable intent (reported by `output-intent`); device colour is not judged.
    Unknown,
}

pub(super) type Report<'a> = dyn FnMut(&'static str, String) + 'a;

fn header(pdf: &[u8], pdfx: bool, bad: &mut Report) {
    // PDF/X-4 is a subset of PDF 1.6; PDF/A-2 and -3 accept any 1.x header.
    let want: &[u8] = if pdfx { b"%PDF-1.6" } else { b"%PDF-1.7" };
    let eol = pdf
        .get(want.len())
        .is_some_and(|&b| b == b'\n' || b == b'\r');
    if !pdf.starts_with(want) || !eol {
        bad(
            "header",
            format!(
                "the file does not start with {}",
                String::from_utf8_lossy(want)
            ),
        );
    }
    let second = pdf.splitn(3, |&b| b == b'\n').nth(1).unwrap_or(&[]);
    let binary = second.len() >= 5 && second[0] == b'%' && second[1..5].iter().all(|&b| b > 127);
    if !binary {
        bad(
            "header",
            "no binary comment (4 bytes > 127) on line 2".into(),
        );
    }
}

fn trailer(doc: &Document, bad: &mut Report) {
    if doc.trailer.has(b"Encrypt") {
        bad("no-encryption", "the trailer has /Encrypt".into());
    }
    let ids = doc.trailer.get(b"ID").and_then(Object::as_array);
    match ids.map(|a| a.iter().map(Object::as_str).collect::<Vec<_>>()) {
        Ok(parts) if parts.len() == 2 => match (&parts[0], &parts[1]) {
            (Ok(a), Ok(b)) if a.len() == 16 && a == b => {}
            _ => bad("trailer-id", "/ID is not two equal 16-byte strings".into()),
        },
        _ => bad("trailer-id", "the trailer has no /ID of two strings".into()),
    }
}

/// The catalog, or an empty dictionary (its absence is caught by lopdf already).
pub(super) fn catalog(doc: &Document) -> Dictionary {
    doc.catalog().cloned().unwrap_or_default()
}

pub(super) fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn metadata(doc: &Document, standard: PdfStandard, bad: &mut Report) {
    let cat = catalog(doc);
    let stream = cat
        .get(b"Metadata")
        .map(|o| deref(doc, o))
        .and_then(Object::as_stream);
    let Ok(stream) = stream else {
        bad("xmp-present", "the catalog has no /Metadata stream".into());
        return;
    };
    let typed = stream.dict.get(b"Type").and_then(Object::as_name).ok() == Some(&b"Metadata"[..])
        && stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"XML"[..]);
    if !typed || stream.dict.has(b"Filter") {
        bad(
            "xmp-present",
            "/Metadata is not an unfiltered /Type /Metadata /Subtype /XML stream".into(),
        );
    }
    let props = match xmp::read(&stream.content) {
        Ok(p) => p,
        Err(e) => return bad("xmp-well-formed", e),
    };
    let get = |ns: &str, local: &str| props.get(&(ns.to_owned(), local.to_owned())).cloned();
    let want_part = part(standard).to_string();
    if get(NS_PDFAID, "part") != Some(vec![want_part.clone()]) {
        bad(
            "xmp-identification",
            format!("pdfaid:part is not {want_part}"),
        );
    }
    if get(NS_PDFAID, "conformance") != Some(vec!["B".into()]) {
        bad("xmp-identification", "pdfaid:conformance is not B".into());
    }
    let info = doc
        .trailer
        .get(b"Info")
        .map(|o| deref(doc, o))
        .and_then(Object::as_dict)
        .cloned()
        .unwrap_or_default();
    let text = |key: &[u8]| info.get(key).and_then(Object::as_str).ok().map(decode_text);
    let one = |ns: &str, local: &str| get(ns, local).and_then(|v| v.first().cloned());
    let pairs: [(&str, Option<String>, Option<String>); 8] = [
        ("Title", text(b"Title"), one(NS_DC, "title")),
        (
            "Author",
            text(b"Author"),
            get(NS_DC, "creator").map(|c| author_line(&c)),
        ),
        ("Subject", text(b"Subject"), one(NS_DC, "description")),
        (
            "Keywords",
            text(b"Keywords"),
            one(NS_PDF, "Keywords").or_else(|| get(NS_DC, "subject").map(|k| keyword_line(&k))),
        ),
        ("Creator", text(b"Creator"), one(NS_XMP, "CreatorTool")),
        ("Producer", text(b"Producer"), one(NS_PDF, "Producer")),
        (
            "CreationDate",
            text(b"CreationDate").map(|d| pdf_to_xmp_date(&d)),
            one(NS_XMP, "CreateDate"),
        ),
        (
            "ModDate",
            text(b"ModDate").map(|d| pdf_to_xmp_date(&d)),
            one(NS_XMP, "ModifyDate"),
        ),
    ];
    for (key, in_info, in_xmp) in pairs {
        if let Some(i) = in_info {
            if Some(&i) != in_xmp.as_ref() {
                bad(
                    "xmp-matches-info",
                    format!("Info /{key} is {i:?} but the XMP says {in_xmp:?}"),
                );
            }
        }
    }
    for key in ["CreationDate", "ModDate"] {
        if let Some(d) = text(key.as_bytes()) {
            if pdf_to_xmp_date(&d).is_empty() {
                bad(
                    "info-dates",
                    format!("Info /{key} {d:?} is not a full PDF date"),
                );
            }
        }
    }
}

/// `D:YYYYMMDDHHmmSS+HH'mm'` or `…Z` as an XMP date; empty if malformed.
pub fn pdf_to_xmp_date(d: &str) -> String {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|s| s.iter().all(u8::is_ascii_digit))
            .map(|_| &d[r])
    };
    let (Some(y), Some(mo), Some(da), Some(h), Some(mi), Some(s)) = (
        digits(2..6),
        digits(6..8),
        digits(8..10),
        digits(10..12),
        digits(12..14),
        digits(14..16),
    ) else {
        return String::new();
    };
    if !d.starts_with("D:") {
        return String::new();
    }
    let zone = match &d[16..] {
        "Z" | "Z00'00'" => "Z".to_owned(),
        z if z.len() == 7 && z.is_ascii() && (z.starts_with('+') || z.starts_with('-')) => {
            format!("{}:{}", &z[..3], &z[4..6])
        }
        _ => return String::new(),
    };
    format!("{y}-{mo}-{da}T{h}:{mi}:{s}{zone}")
}

fn output_intent(doc: &Document, bad: &mut Report) -> IntentSpace {
    let cat = catalog(doc);
    let intents = cat
        .get(b"OutputIntents")
        .map(|o| deref(doc, o))
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    let pdfa: Vec<&Dictionary> = intents
        .iter()
        .filter_map(|o| deref(doc, o).as_dict().ok())
        .filter(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(&b"GTS_PDFA1"[..]))
        .collect();
    let [intent] = pdfa.as_slice() else {
        bad(
            "output-intent",
            format!("{} GTS_PDFA1 output intents (want 1)", pdfa.len()),
        );
        return IntentSpace::Unknown;
    };
    let Ok(profile) = intent
        .get(b"DestOutputProfile")
        .map(|o| deref(doc, o))
        .and_then(Object::as_stream)
    else {
        bad("output-intent", "no /DestOutputProfile stream".into());
        return IntentSpace::Unknown;
    };
    let Some(icc) = profile_bytes(profile) else {
        bad("output-intent", "the ICC profile cannot be decoded".into());
        return IntentSpace::Unknown;
    };
    let be32 = |at: usize| {
        icc.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    if icc.len() < 132 || be32(0) != Some(icc.len()) {
        bad("output-intent", "the ICC size field does not match".into());
    }
    let n = profile.dict.get(b"N").and_then(Object::as_i64).ok();
    let space = match (icc.get(16..20), n) {
        (Some(b"RGB "), Some(3)) => IntentSpace::Rgb,
        (Some(b"CMYK"), Some(4)) => IntentSpace::Cmyk,
        _ => {
            bad(
                "output-intent",
                "the ICC profile is not RGB with /N 3 or CMYK with /N 4".into(),
            );
            IntentSpace::Unknown
        }
    };
    let class = icc.get(12..16).unwrap_or(&[]);
    if ![&b"mntr"[..], b"prtr", b"scnr", b"spac"].contains(&class) {
        bad(
            "output-intent",
            "the ICC device class is not an output class".into(),
        );
    }
    if icc.get(8).is_none_or(|&v| v > 4) || icc.get(36..40) != Some(b"acsp") {
        bad(
            "output-intent",
            "not an ICC profile of version 4 or older".into(),
        );
    }
    space
}

/// The bytes of an ICC profile stream, inflated if it is filtered.
pub(super) fn profile_bytes(profile: &lopdf::Stream) -> Option<Vec<u8>> {
    if profile.dict.has(b"Filter") {
        profile.decompressed_content().ok()
    } else {
        Some(profile.content.clone())
    }
}

/// Rules that look at every object: actions, fonts, colour spaces, attachments.
fn objects(doc: &Document, standard: PdfStandard, space: IntentSpace, bad: &mut Report) {
    // URI actions are allowed only as the action of a link annotation.
    let mut link_actions: BTreeSet<ObjectId> = BTreeSet::new();
    for o in doc.objects.values() {
        if let Ok(d) = o.as_dict() {
            if d.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"Link"[..]) {
                if let Ok(id) = d.get(b"A").and_then(Object::as_reference) {
                    link_actions.insert(id);
                }
            }
        }
    }
    let af: BTreeSet<ObjectId> = catalog(doc)
        .get(b"AF")
        .map(|o| deref(doc, o))
        .and_then(Object::as_array)
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    for (&id, o) in &doc.objects {
        let dict = match o {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        walk(dict, &mut |d, in_link| {
            check_dict(d, in_link || link_actions.contains(&id), space, bad)
        });
        let is = |k: &[u8], v: &[u8]| dict.get(k).and_then(Object::as_name).ok() == Some(v);
        if is(b"Type", b"Font") && !is(b"Subtype", b"Type0") && !is(b"Subtype", b"Type3") {
            let embedded = dict
                .get(b"FontDescriptor")
                .map(|o| deref(doc, o))
                .and_then(Object::as_dict)
                .is_ok_and(|fd| {
                    [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                        .iter()
                        .any(|k| fd.has(k))
                });
            if !embedded {
                let name = dict
                    .get(b"BaseFont")
                    .and_then(Object::as_name)
                    .unwrap_or(b"?");
                bad(
                    "fonts-embedded",
                    format!("font {} is not embedded", String::from_utf8_lossy(name)),
                );
            }
        }
        if is(b"Type", b"EmbeddedFile") {
            if standard == PdfStandard::A2b {
                bad("associated-files", "PDF/A-2b with an embedded file".into());
            } else if !dict.has(b"Subtype") || !dict.has(b"Params") {
                bad(
                    "associated-files",
                    format!("embedded file {id:?} lacks /Subtype or /Params"),
                );
            }
        }
        if is(b"Type", b"Filespec") && dict.has(b"EF") {
            if !dict.has(b"AFRelationship") {
                bad(
                    "associated-files",
                    format!("file spec {id:?} has no /AFRelationship"),
                );
            }
            if !af.contains(&id) {
                bad(
                    "associated-files",
                    format!("file spec {id:?} is not in the catalog's /AF"),
                );
            }
        }
    }
}

/// Call `f` on `d` and every dictionary nested directly in it (not through references);
/// the flag says whether the dictionary is the direct `/A` of a link annotation.
fn walk(d: &Dictionary, f: &mut dyn FnMut(&Dictionary, bool)) {
    fn go(o: &Object, in_link: bool, depth: usize, f: &mut dyn FnMut(&Dictionary, bool)) {
        // Direct objects nest only as deep as the file spells them; the bound protects
        // the stack against hostile input.
        if depth > 64 {
            return;
        }
        match o {
            Object::Dictionary(d) => {
                f(d, in_link);
                let link = d.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"Link"[..]);
                for (k, v) in d.iter() {
                    go(v, link && k == b"A", depth + 1, f);
                }
            }
            Object::Array(a) => a.iter().for_each(|v| go(v, false, depth + 1, f)),
            _ => {}
        }
    }
    f(d, false);
    let link = d.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"Link"[..]);
    for (k, v) in d.iter() {
        go(v, link && k == b"A", 1, f);
    }
}

/// Forbidden keys, actions and colour spaces in one dictionary.
fn check_dict(d: &Dictionary, link_action: bool, space: IntentSpace, bad: &mut Report) {
    for key in [&b"JS"[..], b"JavaScript", b"AA"] {
        if d.has(key) {
            bad(
                "no-forbidden-actions",
                format!("a dictionary has /{}", String::from_utf8_lossy(key)),
            );
        }
    }
    if let Ok(s) = d.get(b"S").and_then(Object::as_name) {
        let forbidden = [
            &b"JavaScript"[..],
            b"Launch",
            b"Sound",
            b"Movie",
            b"ResetForm",
            b"ImportData",
            b"Hide",
            b"SetOCGState",
            b"Rendition",
            b"Trans",
            b"GoTo3DView",
            b"SubmitForm",
        ];
        if forbidden.contains(&s) || (s == b"URI" && !link_action) {
            bad(
                "no-forbidden-actions",
                format!("action /{}", String::from_utf8_lossy(s)),
            );
        }
    }
    if d.get(b"FS").and_then(Object::as_name).ok() == Some(&b"URL"[..]) {
        bad(
            "no-forbidden-actions",
            "a file specification points at a URL".into(),
        );
    }
    let names = |device: &[u8]| {
        d.iter().any(|(_, v)| match v {
            Object::Name(n) => n == device,
            Object::Array(a) => a.iter().any(|x| x.as_name().ok() == Some(device)),
            _ => false,
        })
    };
    match space {
        IntentSpace::Rgb if names(b"DeviceCMYK") => bad(
            "no-device-cmyk",
            "DeviceCMYK with an RGB output intent".into(),
        ),
        IntentSpace::Cmyk if names(b"DeviceRGB") => bad(
            "no-device-rgb",
            "DeviceRGB with a CMYK output intent".into(),
        ),
        _ => {}
    }
    // An annotation's colour with three components is RGB (ISO 32000-1, 12.5.2).
    let annotation = d.get(b"Type").and_then(Object::as_name).ok() == Some(&b"Annot"[..]);
    let rgb_colour = [&b"C"[..], b"IC"].iter().any(|k| {
        d.get(k)
            .and_then(Object::as_array)
            .is_ok_and(|a| a.len() == 3)
    });
    if space == IntentSpace::Cmyk && annotation && rgb_colour {
        bad(
            "no-device-rgb",
            "an annotation with an RGB /C or /IC and a CMYK output intent".into(),
        );
    }
}

/// Per-page rules: annotation flags and CMYK operators in content streams.
fn pages(doc: &Document, space: IntentSpace, bad: &mut Report) {
    for (n, id) in doc.get_pages() {
        // lopdf's `get_page_annotations` skips direct dictionaries, which printpdf writes.
        let annots = doc
            .get_dictionary(id)
            .and_then(|p| p.get(b"Annots"))
            .map(|a| deref(doc, a))
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default();
        for a in annots.iter().filter_map(|a| deref(doc, a).as_dict().ok()) {
            let f = a.get(b"F").and_then(Object::as_i64).unwrap_or(0);
            if f & 4 == 0 || f & (1 | 2 | 32 | 256) != 0 {
                bad(
                    "annotation-flags",
                    format!("page {n}: annotation flags {f}"),
                );
            }
        }
        let (rule, operators, device): (_, &[&[u8]], _) = match space {
            IntentSpace::Rgb => ("no-device-cmyk", &[b"k", b"K"], "DeviceCMYK"),
            IntentSpace::Cmyk => ("no-device-rgb", &[b"rg", b"RG"], "DeviceRGB"),
            IntentSpace::Unknown => continue,
        };
        let content = doc.get_page_content(id);
        match uses_operator(&content, operators) {
            Ok(false) => {}
            Ok(true) => bad(rule, format!("page {n} paints in {device}")),
            Err(e) => bad(rule, format!("page {n}: unreadable content: {e}")),
        }
    }
}

/// Whether a content stream uses one of `operators`. A small lexer rather than
/// `lopdf::content::Content::decode`: decoding every operation of every page into
/// objects cost more than the rest of finishing, and only operator names matter here.
/// Strings, hex strings, names, comments and inline-image data are skipped.
fn uses_operator(content: &[u8], operators: &[&[u8]]) -> Result<bool, String> {
    let delim = |b: u8| {
        b.is_ascii_whitespace()
            || matches!(
                b,
                b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
            )
    };
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b if b.is_ascii_whitespace() => i += 1,
            b'%' => {
                while i < content.len() && content[i] != b'\n' && content[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                let mut depth = 0usize;
                loop {
                    match content.get(i) {
                        None => return Err("unterminated string".into()),
                        Some(b'\\') => i += 1,
                        Some(b'(') => depth += 1,
                        Some(b')') => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' if content.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if content.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => match content[i..].iter().position(|&b| b == b'>') {
                Some(e) => i += e + 1,
                None => return Err("unterminated hex string".into()),
            },
            b'[' | b']' | b'{' | b'}' => i += 1,
            b'/' => {
                i += 1;
                while i < content.len() && !delim(content[i]) {
                    i += 1;
                }
            }
            _ => {
                let start = i;
                while i < content.len() && !delim(content[i]) {
                    i += 1;
                }
                if i == start {
                    return Err(format!("unexpected byte {:#04x}", content[i]));
                }
                match &content[start..i] {
                    op if operators.contains(&op) => return Ok(true),
                    // Inline image data is binary: skip to the `EI` that ends it.
                    b"ID" => {
                        let rest = &content[i..];
                        match rest.windows(4).position(|w| {
                            w[0].is_ascii_whitespace()
                                && &w[1..3] == b"EI"
                                && (w[3].is_ascii_whitespace())
                        }) {
                            Some(e) => i += e + 3,
                            None => return Err("unterminated inline image".into()),
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operator_scan_sees_operators_not_strings_or_names() {
        let paints_cmyk = |c: &[u8]| uses_operator(c, &[b"k", b"K"]);
        assert_eq!(paints_cmyk(b"0 0 0 1 k 0 0 m"), Ok(true));
        assert_eq!(paints_cmyk(b"q 1 0 0 1 K Q"), Ok(true));
        assert_eq!(
            paints_cmyk(b"BT (k K) Tj <6b> Tj /k gs [(K)] TJ ET % k"),
            Ok(false)
        );
        assert_eq!(
            paints_cmyk(b"/P <</MCID 3>> BDC 0.1 0.2 0.3 rg EMC"),
            Ok(false)
        );
        assert!(paints_cmyk(b"(unterminated").is_err());
        let paints_rgb = |c: &[u8]| uses_operator(c, &[b"rg", b"RG"]);
        assert_eq!(paints_rgb(b"0 0 0 1 k 0.1 0.2 0.3 rg"), Ok(true));
        assert_eq!(paints_rgb(b"/rg gs (rg) Tj 0 0 0 1 k"), Ok(false));
    }

    #[test]
    fn pdf_dates_convert_to_xmp_dates() {
        assert_eq!(
            pdf_to_xmp_date("D:20161101000000+00'00'"),
            "2016-11-01T00:00:00+00:00"
        );
        assert_eq!(pdf_to_xmp_date("D:20161101000000Z"), "2016-11-01T00:00:00Z");
        assert_eq!(pdf_to_xmp_date("D:2016"), "");
        assert_eq!(pdf_to_xmp_date("D:2016110100000é"), "");
    }
}
