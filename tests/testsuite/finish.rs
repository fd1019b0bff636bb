//! The PDF finishing layer: page boxes and crop marks, PDF/A-2b/3b metadata, output
//! intent, associated files, determinism; judged by our own PDF/A audit, by lopdf
//! read-backs and by poppler (`pdfinfo`, `pdftoppm`) and `qpdf`.

use crate::common;

use std::process::Command;

use briefpress::house::House;
use briefpress::render::finish::{self, audit, Info};
use briefpress::render::{Edition, Options, PdfStandard};
use lopdf::{Dictionary, Object};
use printpdf::{
    Actions, BorderArray, Color, LinkAnnotation, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

const MM: f32 = 72.0 / 25.4;

/// A two-page A4 document drawn as the renderer will: trim coordinates, a blue band that
/// runs 3 mm past the left, right and top trim edges, text in an embedded TrueType
/// font, and a link annotation.
fn input_pdf() -> Vec<u8> {
    // printpdf names resources with process-global random ids, so the input is made
    // once per test process; determinism is a property of `finish`, judged on one input.
    static INPUT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    INPUT.get_or_init(|| make_input(Edition::Screen)).clone()
}

/// The input as the renderer draws the print edition: the same, in CMYK inks.
fn input_print_pdf() -> Vec<u8> {
    static INPUT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    INPUT.get_or_init(|| make_input(Edition::Print)).clone()
}

fn make_input(edition: Edition) -> Vec<u8> {
    let paint = |rgb: [f32; 3], cmyk: [f32; 4]| match edition {
        Edition::Screen => Color::Rgb(Rgb::new(rgb[0], rgb[1], rgb[2], None)),
        Edition::Print => Color::Cmyk(printpdf::Cmyk::new(
            cmyk[0], cmyk[1], cmyk[2], cmyk[3], None,
        )),
    };
    let mut doc = PdfDocument::new("input");
    let bytes = std::fs::read(common::root().join("fonts/NotoSans-Regular.ttf")).expect("font");
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(&bytes, 0, &mut warnings).expect("parse font");
    let font = doc.add_font(&font);
    let (w, h) = (210.0 * MM, 297.0 * MM);
    let bleed = 3.0 * MM;
    let mut pages = Vec::new();
    for n in 1..=2 {
        let mut ops = vec![
            Op::SetFillColor {
                col: paint([0.043, 0.184, 0.357], [1.0, 0.7, 0.1, 0.5]),
            },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(-bleed),
                    y: Pt(h - 30.0 * MM),
                    width: Pt(w + 2.0 * bleed),
                    height: Pt(30.0 * MM + bleed),
                    mode: Some(printpdf::PaintMode::Fill),
                    winding_order: None,
                },
            },
            Op::SetFillColor {
                col: paint([0.1, 0.1, 0.1], [0.0, 0.0, 0.0, 1.0]),
            },
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font.clone()),
                size: Pt(14.0),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(18.0 * MM),
                    y: Pt(h - 50.0 * MM),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(format!("Page {n}: China and Tajikistan"))],
            },
            Op::EndTextSection,
        ];
        ops.push(Op::LinkAnnotation {
            link: LinkAnnotation::new(
                Rect {
                    x: Pt(18.0 * MM),
                    y: Pt(h - 52.0 * MM),
                    width: Pt(60.0 * MM),
                    height: Pt(6.0 * MM),
                    mode: None,
                    winding_order: None,
                },
                Actions::Uri("https://example.org/brief".into()),
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                None,
                None,
            ),
        });
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(pages);
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    doc.save(&opts, &mut Vec::new())
}

fn house() -> House {
    briefpress::house::builtin().expect("house")
}

/// `Info` for the seed brief, as the pipeline makes it.
fn info(edition: Edition, standard: PdfStandard) -> Info {
    let house = house();
    let coverage = briefpress::fonts::Coverage::of_house(&house);
    let doc = briefpress::parse::parse_file(&common::fixture("seed"), &coverage).expect("seed");
    let options = Options {
        edition,
        epoch: doc.meta.date.unix_seconds(),
        pdf_standard: standard,
    };
    let digest = briefpress::content::content(&doc, &house.style).digest();
    let mut info = Info::new(&doc, &house, &options, &digest);
    if standard == PdfStandard::A3b {
        let source = std::fs::read(common::fixture("seed")).expect("source");
        let text = briefpress::render::text::text(&doc, &house.style);
        info.attachments = Info::source_attachments(&doc.slug, source, text);
    }
    info
}

fn finished(edition: Edition, standard: PdfStandard) -> Vec<u8> {
    let input = match edition {
        Edition::Screen => input_pdf(),
        Edition::Print => input_print_pdf(),
    };
    finish::finish(&input, &info(edition, standard)).expect("finish")
}

const ALL: [(Edition, PdfStandard); 4] = [
    (Edition::Screen, PdfStandard::A2b),
    (Edition::Print, PdfStandard::A2b),
    (Edition::Screen, PdfStandard::A3b),
    (Edition::Print, PdfStandard::A3b),
];

fn boxes(pdf: &[u8]) -> Vec<(String, Vec<f32>)> {
    let doc = lopdf::Document::load_mem(pdf).expect("load");
    let mut out = Vec::new();
    for id in doc.get_pages().into_values() {
        let page = doc.get_dictionary(id).expect("page");
        for key in ["MediaBox", "TrimBox", "BleedBox"] {
            if let Ok(a) = page.get(key.as_bytes()).and_then(Object::as_array) {
                let v = a.iter().filter_map(|o| o.as_float().ok()).collect();
                out.push((key.to_owned(), v));
            }
        }
    }
    out
}

fn close(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.01)
}

#[test]
fn screen_edition_keeps_media_box_equal_to_trim_box_equal_to_a4() {
    let a4 = [0.0, 0.0, 595.276, 841.89];
    let b = boxes(&finished(Edition::Screen, PdfStandard::A2b));
    assert_eq!(b.len(), 4, "{b:?}");
    for (key, v) in b {
        assert!(key != "BleedBox" && close(&v, &a4), "{key} {v:?}");
    }
}

#[test]
fn print_edition_has_bleed_trim_and_room_for_crop_marks() {
    let pdf = finished(Edition::Print, PdfStandard::A2b);
    let b = boxes(&pdf);
    let (bl, out) = (3.0 * MM, 8.0 * MM);
    for page in b.chunks(3) {
        assert!(
            close(&page[0].1, &[-out, -out, 595.276 + out, 841.89 + out]),
            "{page:?}"
        );
        assert!(close(&page[1].1, &[0.0, 0.0, 595.276, 841.89]), "{page:?}");
        assert!(
            close(&page[2].1, &[-bl, -bl, 595.276 + bl, 841.89 + bl]),
            "{page:?}"
        );
    }
    assert_eq!(b.len(), 6);
    // Eight mark strokes per page in the registration separation, as an artifact.
    let doc = lopdf::Document::load_mem(&pdf).expect("load");
    for id in doc.get_pages().into_values() {
        let text = String::from_utf8_lossy(&doc.get_page_content(id)).into_owned();
        assert_eq!(text.matches(" l S").count(), 8);
        assert!(text.contains("/Artifact BMC") && text.contains("/BPRegistration CS"));
    }
}

#[test]
fn poppler_reports_the_print_boxes_and_draws_marks_and_bleed() {
    if !common::need_tool("pdfinfo") || !common::need_tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("print.pdf");
    std::fs::write(&path, finished(Edition::Print, PdfStandard::A2b)).expect("write");
    let info = squash(&run("pdfinfo", &["-box", &path.to_string_lossy()]));
    for want in [
        "MediaBox: -22.68 -22.68 617.95 864.57",
        "TrimBox: 0.00 0.00 595.28 841.89",
        "BleedBox: -8.50 -8.50 603.78 850.39",
        "Page size: 640.63 x 887.24",
    ] {
        assert!(info.contains(want), "missing {want:?} in\n{info}");
    }
    // At 72 dpi one pixel is one point; the media box starts at -22.68 pt.
    let prefix = dir.path().join("page");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "72",
            "-f",
            "1",
            "-l",
            "1",
            &path.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    );
    let png = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("png");
    let img = image::open(png).expect("decode png").to_rgb8();
    let px = |x: f32, y_from_top: f32| {
        let p = img.get_pixel((x + 22.68) as u32, (y_from_top + 22.68) as u32);
        (p[0], p[1], p[2])
    };
    // A crop mark: on the trim line x = 0, above the top edge, beyond the bleed. The
    // hairline is anti-aliased over the pixels around x = 0.
    let mark = (-2..=2).map(|dx| px(dx as f32 * 0.5, -12.0).0).min();
    assert!(
        mark.is_some_and(|r| r < 200),
        "no crop mark at top left: {mark:?}"
    );
    // The band reaches into the bleed (x = -1.5 mm) and is blue.
    let band = px(-4.0, 10.0);
    assert!(band.2 > band.0 + 30, "band not in the bleed: {band:?}");
    // Outside the bleed, between the marks, the sheet is blank.
    assert_eq!(px(-15.0, -15.0), (255, 255, 255));
}

#[test]
fn every_pdfa_rule_holds_for_both_editions_and_standards() {
    for (edition, standard) in ALL {
        let pdf = finished(edition, standard);
        let problems = audit::audit(&pdf, standard).expect("audit");
        assert!(
            problems.is_empty(),
            "{edition:?} {standard:?}: {problems:?}"
        );
        // PDF/X-4 is a subset of PDF 1.6; the screen edition stays at 1.7.
        let header: &[u8] = match edition {
            Edition::Screen => b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
            Edition::Print => b"%PDF-1.6\n%\xE2\xE3\xCF\xD3\n",
        };
        assert!(pdf.starts_with(header), "{edition:?} {standard:?}");
    }
}

/// The print edition's finishing refuses an input painted in DeviceRGB: with the CMYK
/// output intent that PDF/X-4 and PDF/A share, PDF/A forbids it, and the text would
/// not be black ink alone.
#[test]
fn print_finishing_refuses_rgb_paint() {
    let err = finish::finish(&input_pdf(), &info(Edition::Print, PdfStandard::A2b))
        .expect_err("an RGB page finished as print");
    assert!(err.to_string().contains("[no-device-rgb]"), "{err}");
}

/// Break `pdf` with `edit` (on the lopdf document) and return the rules the audit names.
fn broken_rules(
    pdf: &[u8],
    standard: PdfStandard,
    edit: impl FnOnce(&mut lopdf::Document),
) -> Vec<&'static str> {
    let mut doc = lopdf::Document::load_mem(pdf).expect("load");
    edit(&mut doc);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    let mut rules: Vec<&str> = audit::audit(&out, standard)
        .expect("audit")
        .iter()
        .map(|v| v.rule)
        .collect();
    rules.dedup();
    rules
}

fn info_dict(doc: &mut lopdf::Document) -> &mut Dictionary {
    let id = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .expect("info");
    doc.get_dictionary_mut(id).expect("info")
}

fn catalog(doc: &mut lopdf::Document) -> &mut Dictionary {
    doc.catalog_mut().expect("catalog")
}

fn metadata_stream(doc: &mut lopdf::Document) -> &mut lopdf::Stream {
    let id = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(Object::as_reference)
        .expect("metadata");
    doc.get_object_mut(id)
        .and_then(Object::as_stream_mut)
        .expect("stream")
}

/// One case of [`each_rule_catches_the_violation_it_names`]: the rule, the finished PDF
/// the edit starts from, the standard it is audited against, and the edit.
type Case<'a> = (&'static str, &'a [u8], PdfStandard, Edit);
type Edit = Box<dyn FnOnce(&mut lopdf::Document)>;

#[test]
fn each_rule_catches_the_violation_it_names() {
    let a2 = finished(Edition::Screen, PdfStandard::A2b);
    let a3 = finished(Edition::Screen, PdfStandard::A3b);
    let x4 = finished(Edition::Print, PdfStandard::A2b);
    let cases = document_cases(&a2)
        .into_iter()
        .chain(content_cases(&a2, &a3, &x4))
        .chain(pdfx_cases(&x4));
    let mut tested = Vec::new();
    for (rule, pdf, standard, edit) in cases {
        let got = broken_rules(pdf, standard, edit);
        assert!(got.contains(&rule), "{rule}: audit named {got:?}");
        tested.push(rule);
    }
    assert_eq!(tested, audit::RULES, "every rule needs a case here");
}

/// Cases of the rules on the file and its metadata, in `audit::RULES`' order.
fn document_cases(a2: &[u8]) -> Vec<Case<'_>> {
    vec![
        (
            "header",
            a2,
            PdfStandard::A2b,
            Box::new(|d| d.version = "1.4".into()),
        ),
        (
            "trailer-id",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                d.trailer.remove(b"ID");
            }),
        ),
        (
            "no-encryption",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                d.trailer.set("Encrypt", Dictionary::new());
            }),
        ),
        (
            "xmp-present",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                catalog(d).remove(b"Metadata");
            }),
        ),
        (
            "xmp-well-formed",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                metadata_stream(d).set_plain_content(b"<x:xmpmeta><rdf:RDF></x:xmpmeta>".to_vec());
            }),
        ),
        ("xmp-identification", a2, PdfStandard::A3b, Box::new(|_| {})),
        (
            "xmp-matches-info",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                info_dict(d).set("Title", Object::string_literal("Other"));
            }),
        ),
        (
            "info-dates",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                info_dict(d).set("ModDate", Object::string_literal("yesterday"));
            }),
        ),
        (
            "output-intent",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                catalog(d).remove(b"OutputIntents");
            }),
        ),
    ]
}

/// Cases of the rules on what the pages hold, in `audit::RULES`' order.
fn content_cases<'a>(a2: &'a [u8], a3: &'a [u8], x4: &'a [u8]) -> Vec<Case<'a>> {
    vec![
        (
            "no-forbidden-actions",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                let js = Dictionary::from_iter(vec![
                    ("S", Object::Name(b"JavaScript".to_vec())),
                    ("JS", Object::string_literal("app.alert(1)")),
                ]);
                catalog(d).set("OpenAction", js);
            }),
        ),
        (
            "fonts-embedded",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                d.add_object(Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"Font".to_vec())),
                    ("Subtype", Object::Name(b"Type1".to_vec())),
                    ("BaseFont", Object::Name(b"Helvetica".to_vec())),
                ]));
            }),
        ),
        (
            "no-device-cmyk",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                let page = d.get_pages().into_values().next().expect("page");
                d.add_page_contents(page, b"0 0 0 1 k 0 0 10 10 re f".to_vec())
                    .expect("content");
            }),
        ),
        (
            "no-device-rgb",
            x4,
            PdfStandard::A2b,
            Box::new(|d| {
                let page = d.get_pages().into_values().next().expect("page");
                d.add_page_contents(page, b"0 0 1 rg 0 0 10 10 re f".to_vec())
                    .expect("content");
            }),
        ),
        (
            "annotation-flags",
            a2,
            PdfStandard::A2b,
            Box::new(|d| {
                let page = d.get_pages().into_values().next().expect("page");
                let annots = d
                    .get_dictionary(page)
                    .and_then(|p| p.get(b"Annots"))
                    .cloned();
                // printpdf writes annotations as direct dictionaries in /Annots.
                let Ok(Object::Array(mut items)) = annots else {
                    panic!("no /Annots array")
                };
                if let Object::Dictionary(a) = &mut items[0] {
                    a.set("F", Object::Integer(2));
                }
                let page = d.get_dictionary_mut(page).expect("page");
                page.set("Annots", Object::Array(items));
            }),
        ),
        (
            "associated-files",
            a3,
            PdfStandard::A3b,
            Box::new(|d| {
                for o in d.objects.values_mut() {
                    if let Ok(dict) = o.as_dict_mut() {
                        dict.remove(b"AFRelationship");
                    }
                }
            }),
        ),
    ]
}

/// Cases of the PDF/X-4 rules of the print edition, in `audit::RULES`' order.
fn pdfx_cases(x4: &[u8]) -> Vec<Case<'_>> {
    vec![
        (
            "pdfx-identification",
            x4,
            PdfStandard::A2b,
            Box::new(|d| {
                info_dict(d).remove(b"GTS_PDFXVersion");
            }),
        ),
        (
            "pdfx-output-intent",
            x4,
            PdfStandard::A2b,
            Box::new(|d| {
                // PDF/X's intent gets its own copy of the profile: PDF/A-2 wants one
                // object shared by every intent.
                let intents = catalog(d)
                    .get(b"OutputIntents")
                    .and_then(Object::as_array)
                    .cloned()
                    .expect("intents");
                let profile = intents[0]
                    .as_dict()
                    .and_then(|i| i.get(b"DestOutputProfile"))
                    .and_then(Object::as_reference)
                    .expect("profile");
                let copy = d.get_object(profile).cloned().expect("profile");
                let copy = d.add_object(copy);
                let mut intents = intents;
                if let Object::Dictionary(i) = &mut intents[0] {
                    i.set("DestOutputProfile", Object::Reference(copy));
                }
                catalog(d).set("OutputIntents", Object::Array(intents));
            }),
        ),
        (
            "pdfx-trapped",
            x4,
            PdfStandard::A2b,
            Box::new(|d| {
                info_dict(d).set("Trapped", Object::Name(b"Unknown".to_vec()));
            }),
        ),
        (
            "pdfx-document-ids",
            x4,
            PdfStandard::A2b,
            Box::new(|d| {
                let s = metadata_stream(d);
                let xmp = String::from_utf8(s.content.clone()).expect("utf-8");
                let xmp = xmp.replace("<xmpMM:VersionID>1</xmpMM:VersionID>", "");
                s.set_plain_content(xmp.into_bytes());
            }),
        ),
        (
            "pdfx-page-boxes",
            x4,
            PdfStandard::A2b,
            Box::new(|d| {
                let page = d.get_pages().into_values().next().expect("page");
                let page = d.get_dictionary_mut(page).expect("page");
                // A TrimBox reaching past the BleedBox.
                let wide = [-20.0, -20.0, 620.0, 860.0].map(Object::Real);
                page.set("TrimBox", Object::Array(wide.to_vec()));
            }),
        ),
    ]
}

#[test]
fn xmp_values_equal_the_info_dictionary_and_the_brief() {
    let info = info(Edition::Screen, PdfStandard::A2b);
    let pdf = finish::finish(&input_pdf(), &info).expect("finish");
    let doc = lopdf::Document::load_mem(&pdf).expect("load");
    let id = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(Object::as_reference);
    let xmp = doc
        .get_object(id.expect("md"))
        .and_then(Object::as_stream)
        .expect("xmp");
    let props = finish::xmp::read(&xmp.content).expect("xmp parses");
    let get = |ns: &str, l: &str| props.get(&(ns.to_owned(), l.to_owned())).cloned();
    assert_eq!(
        get(finish::xmp::NS_DC, "title"),
        Some(vec![info.title.clone()])
    );
    assert_eq!(
        get(finish::xmp::NS_DC, "creator"),
        Some(info.authors.clone())
    );
    assert_eq!(
        get(finish::xmp::NS_DC, "description"),
        Some(vec![info.subject.clone()])
    );
    assert_eq!(
        get(finish::xmp::NS_DC, "language"),
        Some(vec![info.language.clone()])
    );
    assert_eq!(
        get(finish::xmp::NS_XMP, "CreateDate"),
        Some(vec!["2016-11-01T00:00:00+00:00".to_owned()])
    );
    assert_eq!(
        get(finish::xmp::NS_PDFAID, "part"),
        Some(vec!["2".to_owned()])
    );
    assert_eq!(
        get(finish::xmp::NS_PDFUAID, "part"),
        None,
        "untagged files claim no PDF/UA"
    );
    let tagged = Info {
        tagged: true,
        ..info
    };
    let pdf = finish::finish(&input_pdf(), &tagged).expect("finish tagged");
    let text = String::from_utf8_lossy(&pdf).into_owned();
    assert!(
        text.contains("<pdfuaid:part>1</pdfuaid:part>")
            && text.contains("pdfaSchema:prefix>pdfuaid<")
    );
}

/// Tool output with runs of spaces squashed, so column alignment does not matter.
fn squash(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().expect("run tool");
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pdfinfo_agrees_with_what_finish_wrote() {
    if !common::need_tool("pdfinfo") {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("a.pdf");
    std::fs::write(&path, finished(Edition::Screen, PdfStandard::A2b)).expect("write");
    let p = path.to_string_lossy();
    let out = squash(&run("pdfinfo", &["-isodates", &p]));
    let i = info(Edition::Screen, PdfStandard::A2b);
    for want in [
        format!("Title: {}", i.title),
        format!("Author: {}", i.authors.join(", ")),
        format!("Subject: {}", i.subject),
        format!("Keywords: {}", i.keywords.join(", ")),
        format!("Producer: briefpress {}", env!("CARGO_PKG_VERSION")),
        "CreationDate: 2016-11-01T00:00:00".into(),
        "PDF version: 1.7".into(),
        "Pages: 2".into(),
        "Encrypted: no".into(),
        "Metadata Stream: yes".into(),
        "JavaScript: no".into(),
    ] {
        assert!(out.contains(&want), "missing {want:?} in\n{out}");
    }
    let meta = run("pdfinfo", &["-meta", &p]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    // The print edition is PDF/X-4 (poppler reads the Info key) on PDF 1.6, and still
    // PDF/A-2b in its XMP.
    std::fs::write(&path, finished(Edition::Print, PdfStandard::A2b)).expect("write");
    let out = squash(&run("pdfinfo", &[&p]));
    for want in [
        "PDF version: 1.6",
        "PDF subtype: PDF/X-4",
        "Abbreviation: PDF/X-4",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let meta = run("pdfinfo", &["-meta", &p]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"),
        "{meta}"
    );
}

#[test]
fn qpdf_finds_no_structural_problem() {
    if !common::need_tool("qpdf") {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    for (i, (edition, standard)) in ALL.into_iter().enumerate() {
        let path = dir.path().join(format!("{i}.pdf"));
        std::fs::write(&path, finished(edition, standard)).expect("write");
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .expect("qpdf");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && text.contains("No syntax or stream encoding errors"),
            "{edition:?} {standard:?}: {text}"
        );
        assert!(!text.contains("WARNING"), "{text}");
    }
}

#[test]
fn a3b_embeds_source_and_text_as_associated_files() {
    let info = info(Edition::Screen, PdfStandard::A3b);
    let pdf = finish::finish(&input_pdf(), &info).expect("finish");
    let doc = lopdf::Document::load_mem(&pdf).expect("load");
    let af = doc
        .catalog()
        .and_then(|c| c.get(b"AF"))
        .and_then(Object::as_array)
        .expect("AF");
    assert_eq!(af.len(), 2);
    for (spec, want) in af.iter().zip(&info.attachments) {
        let spec = doc
            .get_dictionary(spec.as_reference().expect("ref"))
            .expect("spec");
        assert_eq!(
            spec.get(b"AFRelationship").and_then(Object::as_name).ok(),
            Some(want.relationship.name().as_bytes())
        );
        let ef = spec.get(b"EF").and_then(Object::as_dict).expect("EF");
        let file = doc.get_object(ef.get(b"F").and_then(Object::as_reference).expect("F"));
        let file = file.and_then(Object::as_stream).expect("file");
        assert_eq!(
            file.dict.get(b"Subtype").and_then(Object::as_name).ok(),
            Some(want.mime.as_bytes())
        );
        assert_eq!(file.decompressed_content().expect("inflate"), want.bytes);
    }
    if common::need_tool("pdfdetach") {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a3.pdf");
        std::fs::write(&path, &pdf).expect("write");
        let list = run("pdfdetach", &["-list", &path.to_string_lossy()]);
        assert!(
            list.contains("2016-11-china-tajikistan.md")
                && list.contains("2016-11-china-tajikistan.txt"),
            "{list}"
        );
    }
}

/// Set in the child process of `finishing_is_deterministic`: the folder it works in.
const CHILD: &str = "BRIEFPRESS_FINISH_CHILD";

#[test]
fn finishing_is_deterministic() {
    // The same input bytes finished by another process (this test binary run again):
    // equal outputs show that nothing of the process — hash seeds, addresses, the
    // clock, printpdf's random resource names — reaches the finished file.
    if let Some(dir) = std::env::var_os(CHILD) {
        let dir = std::path::PathBuf::from(dir);
        for (k, (edition, standard)) in ALL.into_iter().enumerate() {
            let input = std::fs::read(dir.join(format!("{edition:?}.pdf"))).expect("input");
            let out = finish::finish(&input, &info(edition, standard)).expect("finish");
            std::fs::write(dir.join(format!("{k}.pdf")), out).expect("write");
        }
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("Screen.pdf"), input_pdf()).expect("input");
    std::fs::write(dir.path().join("Print.pdf"), input_print_pdf()).expect("input");
    // This test's name in the test binary: its module path without the crate's name.
    let name = concat!(module_path!(), "::finishing_is_deterministic");
    let name = name.split_once("::").map_or(name, |(_, test)| test);
    let child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", name, "--test-threads", "1"])
        .env(CHILD, dir.path())
        .output()
        .expect("run child");
    // The child must have run this test and nothing else (a wrong name runs none).
    assert!(
        child.status.success()
            && String::from_utf8_lossy(&child.stdout).contains("1 passed; 0 failed"),
        "{}{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    for (k, (edition, standard)) in ALL.into_iter().enumerate() {
        let theirs = std::fs::read(dir.path().join(format!("{k}.pdf"))).expect("child output");
        assert!(
            finished(edition, standard) == theirs,
            "{edition:?} {standard:?} differs between processes"
        );
    }
    // The editions get different file IDs; the same content gets the same one.
    let a = finished(Edition::Screen, PdfStandard::A2b);
    let b = finished(Edition::Print, PdfStandard::A2b);
    let id = |pdf: &[u8]| {
        let d = lopdf::Document::load_mem(pdf).expect("load");
        d.trailer
            .get(b"ID")
            .cloned()
            .map(|o| format!("{o:?}"))
            .unwrap_or_default()
    };
    assert_ne!(id(&a), id(&b));
}

#[test]
fn bad_input_and_bad_requests_are_errors_not_panics() {
    let i = info(Edition::Print, PdfStandard::A2b);
    let err = finish::finish(b"not a pdf", &i).expect_err("garbage");
    assert!(
        err.to_string().contains("cannot render the pdf edition"),
        "{err}"
    );
    let mut with_files = info(Edition::Screen, PdfStandard::A3b);
    with_files.standard = PdfStandard::A2b;
    let err = finish::finish(&input_pdf(), &with_files).expect_err("A-2b with files");
    assert!(err.to_string().contains("a-3b"), "{err}");
    // An input that uses DeviceCMYK cannot be made PDF/A with an sRGB intent.
    let i = info(Edition::Screen, PdfStandard::A2b);
    let mut doc = lopdf::Document::load_mem(&input_pdf()).expect("load");
    let page = doc.get_pages().into_values().next().expect("page");
    doc.add_page_contents(page, b"0 0 0 1 k".to_vec())
        .expect("content");
    let mut cmyk = Vec::new();
    doc.save_to(&mut cmyk).expect("save");
    let err = finish::finish(&cmyk, &i).expect_err("cmyk");
    assert!(err.to_string().contains("no-device-cmyk"), "{err}");
}

/// Writes the four finished samples (and the input) into `$FINISH_SAMPLES` for a look
/// with a viewer: `FINISH_SAMPLES=/tmp/s cargo test --test testsuite
/// finish::write_samples -- --ignored`.
#[test]
#[ignore = "writes sample files for manual inspection"]
fn write_samples() {
    let Some(dir) = std::env::var_os("FINISH_SAMPLES") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("input.pdf"), input_pdf()).expect("write");
    for (edition, standard) in ALL {
        let name = format!("{edition:?}-{standard:?}.pdf").to_lowercase();
        std::fs::write(dir.join(name), finished(edition, standard)).expect("write");
    }
}

/// The real seed, not a synthetic input: every edition × standard builds, passes
/// `qpdf --check` and `briefpress check`, is tagged, and the print edition has its
/// boxes where the issue says (TrimBox A4 inside a BleedBox 3 mm larger, inside the
/// MediaBox).
#[test]
fn real_seed_in_every_variant_is_clean_and_verifies() {
    let sb = common::Sandbox::new();
    sb.copy(&common::fixture("seed"), "source/seed.md");
    for (edition, standard) in [
        ("screen", "a-2b"),
        ("print", "a-2b"),
        ("screen", "a-3b"),
        ("print", "a-3b"),
    ] {
        let what = format!("{edition}/{standard}");
        sb.run(&["build", "--edition", edition, "--pdf-standard", standard])
            .expect_code(0);
        sb.run(&["check"]).expect_code(0);
        let pdf = std::fs::read(sb.path("dist/seed.pdf")).expect("pdf");
        let b = boxes(&pdf);
        let get = |name: &str| {
            b.iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let mm = 72.0 / 25.4;
        assert!(
            close(&get("TrimBox"), &[0.0, 0.0, 595.28, 841.89]),
            "{what}: {b:?}"
        );
        if edition == "print" {
            let bleed = 3.0 * mm;
            let want = [-bleed, -bleed, 595.28 + bleed, 841.89 + bleed];
            assert!(close(&get("BleedBox"), &want), "{what}: {b:?}");
            let media = get("MediaBox");
            assert!(media[0] < want[0] && media[2] > want[2], "{what}: {b:?}");
        } else {
            assert!(
                close(&get("MediaBox"), &[0.0, 0.0, 595.28, 841.89]),
                "{what}: {b:?}"
            );
        }
        if common::need_tool("qpdf") {
            let out = std::process::Command::new("qpdf")
                .arg("--check")
                .arg(sb.path("dist/seed.pdf"))
                .output()
                .expect("qpdf");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && text.contains("No syntax or stream encoding errors"),
                "{what}: {text}"
            );
        }
        if common::need_tool("pdfinfo") {
            let info = run(
                "pdfinfo",
                &[sb.path("dist/seed.pdf").to_str().unwrap_or("")],
            );
            assert!(info.contains("Tagged:          yes"), "{what}: {info}");
            let meta = run(
                "pdfinfo",
                &["-meta", sb.path("dist/seed.pdf").to_str().unwrap_or("")],
            );
            let part = if standard == "a-3b" { "3" } else { "2" };
            assert!(
                squash(&meta).contains(&format!("pdfaid:part>{part}<"))
                    || squash(&meta).contains(&format!("pdfaid:part=\"{part}\"")),
                "{what}: {meta}"
            );
        }
    }
}

/// Ghostscript's `inkcov` device on real print editions: the fraction of each page's
/// trim area that each ink covers. With a house whose inks are all black, every page
/// without a figure or the logo (all but the first of the `long` fixture) must carry
/// black ink alone: text, rules and furniture are painted in the house's inks, nothing
/// in RGB or a four-colour black. With the built-in house the body text is black ink
/// alone too, so a page's cyan is no more than its blue headings and rules (the only
/// colour on it), which also carry magenta and yellow: the three cover the same area.
#[test]
fn print_text_is_black_ink_alone() {
    if !common::need_tool("gs") {
        return;
    }
    let sb = common::Sandbox::new();
    sb.copy(
        &common::root().join("tests/fixtures/long/long.md"),
        "source/long.md",
    );
    sb.write(
        "k/house.toml",
        "[print_colours]\nblue = [0, 0, 0, 100]\naccent = [0, 0, 0, 60]\n",
    );
    let inkcov = |pdf: &std::path::Path| -> Vec<[f64; 4]> {
        let out = run(
            "gs",
            &[
                "-q",
                "-dUseTrimBox",
                "-o",
                "-",
                "-sDEVICE=inkcov",
                pdf.to_str().unwrap_or(""),
            ],
        );
        out.lines()
            .filter(|l| l.contains("CMYK"))
            .map(|l| {
                let v: Vec<f64> = l
                    .split_whitespace()
                    .filter_map(|t| t.parse().ok())
                    .collect();
                [v[0], v[1], v[2], v[3]]
            })
            .collect()
    };
    sb.run(&[
        "--house",
        "k/house.toml",
        "build",
        "--edition",
        "print",
        "--format",
        "pdf",
    ])
    .expect_code(0);
    let pages = inkcov(&sb.path("dist/long.pdf"));
    assert!(pages.len() > 3, "{pages:?}");
    for (n, [c, m, y, k]) in pages.iter().enumerate().skip(1) {
        assert!(
            *c == 0.0 && *m == 0.0 && *y == 0.0 && *k > 0.01,
            "page {}: C {c} M {m} Y {y} K {k}",
            n + 1
        );
    }
    sb.run(&["build", "--edition", "print", "--format", "pdf", "--force"])
        .expect_code(0);
    let pages = inkcov(&sb.path("dist/long.pdf"));
    for (n, [c, m, y, k]) in pages.iter().enumerate().skip(1) {
        assert!(
            c == m && m == y && *c < 0.05 && *k > 0.01,
            "page {}: C {c} M {m} Y {y} K {k}",
            n + 1
        );
    }
}

/// The print edition warns, on standard error and in `build --json`, about each figure
/// that prints below the house's `inputs.min_print_ppi` at its placed width, naming the
/// file and its resolution, and still builds; the screen edition does not warn.
#[test]
fn print_warns_about_figures_below_the_resolution_floor() {
    let sb = common::Sandbox::new();
    for f in ["constructs.md", "chart.png", "photo.jpg"] {
        sb.copy(
            &common::root().join("tests/fixtures/constructs").join(f),
            &format!("source/{f}"),
        );
    }
    // chart.png is 800 pixels wide and set across the text width (or a little less,
    // when it is shrunk to fit the page); photo.jpg, 360 pixels, in a column. Each
    // warning's figure follows from the width it names.
    let run = sb
        .run(&["build", "--edition", "print", "--format", "pdf"])
        .expect_code(0);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    for (w, (file, pixels)) in warnings
        .iter()
        .zip([("chart.png", 800.0), ("photo.jpg", 360.0)])
    {
        let number = |after: &str, before: &str| -> f64 {
            let rest = &w[w.find(after).expect(after) + after.len()..];
            rest[..rest.find(before).expect(before)]
                .trim()
                .parse()
                .expect("a number")
        };
        let (ppi, mm) = (number("prints at ", " ppi"), number("width of ", " mm"));
        // The width is given to 0.1 mm: the figure from it may differ by one.
        let expected = pixels / (mm / 25.4);
        assert!(
            w.contains(file) && (ppi - expected).abs() <= 1.0 && ppi < 300.0,
            "{w}: expected {expected:.0} ppi"
        );
    }
    assert!(sb.path("dist/constructs.pdf").exists());
    let json = sb
        .run(&[
            "--json",
            "build",
            "--edition",
            "print",
            "--format",
            "pdf",
            "--force",
        ])
        .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let listed = v["built"][0]["warnings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(listed.len(), 2, "{v}");
    assert!(
        listed[1]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("photo.jpg")),
        "{v}"
    );
    // No warning in the screen edition, and no `warnings` key without one.
    let screen = sb
        .run(&["--json", "build", "--format", "pdf", "--force"])
        .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&screen.stdout).expect("json");
    assert!(v["built"][0].get("warnings").is_none(), "{v}");
    // The floor is the house's: at 120 ppi only the photo falls below it.
    sb.write("h/house.toml", "[inputs]\nmin_print_ppi = 120\n");
    let run = sb
        .run(&[
            "--house",
            "h/house.toml",
            "build",
            "--edition",
            "print",
            "--format",
            "pdf",
            "--force",
        ])
        .expect_code(0);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("photo.jpg"), "{}", run.stderr);
}

/// A link's RGB `/C` colour goes with the screen edition's RGB intent only: the print
/// edition drops it (the links have no border to colour), and the audit names one put
/// back under `no-device-rgb`.
#[test]
fn print_links_carry_no_rgb_colour() {
    let annots = |pdf: &[u8]| -> Vec<Dictionary> {
        let d = lopdf::Document::load_mem(pdf).expect("load");
        let page = d.get_pages().into_values().next().expect("page");
        match d.get_dictionary(page).and_then(|p| p.get(b"Annots")) {
            Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_dict().ok().cloned()).collect(),
            _ => Vec::new(),
        }
    };
    let screen = finished(Edition::Screen, PdfStandard::A2b);
    assert!(
        annots(&screen).iter().all(|a| a.has(b"C")),
        "printpdf writes /C"
    );
    let print = finished(Edition::Print, PdfStandard::A2b);
    let links = annots(&print);
    assert!(!links.is_empty() && links.iter().all(|a| !a.has(b"C")));
    let rules = broken_rules(&print, PdfStandard::A2b, |d| {
        let page = d.get_pages().into_values().next().expect("page");
        let page = d.get_dictionary_mut(page).expect("page");
        if let Ok(Object::Array(a)) = page.get_mut(b"Annots") {
            if let Some(Object::Dictionary(link)) = a.first_mut() {
                link.set("C", Object::Array(vec![0.into(), 1.into(), 1.into()]));
            }
        }
    });
    assert_eq!(rules, vec!["no-device-rgb"]);
}

/// A house that names its press condition (`[print]`) gets it in both output intents,
/// with the profile's bytes as given; a profile that is not a CMYK output profile, or a
/// profile without its condition's name, is refused; and a changed profile rebuilds.
#[test]
fn a_house_press_condition_is_the_print_output_intent() {
    let sb = common::Sandbox::new();
    sb.copy(&common::fixture("seed"), "source/seed.md");
    // Any CMYK output profile will do for the test: the generic one, under another name.
    let profile = briefpress::render::finish::icc_cmyk::generic_cmyk();
    sb.write("h/press.icc", &profile);
    sb.write(
        "h/house.toml",
        "[print]\noutput_profile = \"press.icc\"\noutput_condition_identifier = \"FOGRA39\"\n\
         registry_name = \"http://www.color.org\"\noutput_condition = \"Coated offset\"\n",
    );
    let build = |extra: &[&str]| {
        let mut args = vec!["--house", "h/house.toml", "build", "--edition", "print"];
        args.extend_from_slice(extra);
        sb.run(&args)
    };
    build(&[]).expect_code(0);
    sb.run(&["--house", "h/house.toml", "check"]).expect_code(0);
    let pdf = std::fs::read(sb.path("dist/seed.pdf")).expect("pdf");
    assert_eq!(
        audit::audit(&pdf, PdfStandard::A2b).expect("audit"),
        Vec::new()
    );
    let doc = lopdf::Document::load_mem(&pdf).expect("load");
    let intents = doc
        .catalog()
        .and_then(|c| c.get(b"OutputIntents"))
        .and_then(Object::as_array)
        .cloned()
        .expect("intents");
    assert_eq!(intents.len(), 2);
    for i in &intents {
        let i = i.as_dict().expect("intent");
        let text = |k: &[u8]| {
            i.get(k)
                .and_then(Object::as_str)
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default()
        };
        assert_eq!(text(b"OutputConditionIdentifier"), "FOGRA39");
        assert_eq!(text(b"RegistryName"), "http://www.color.org");
        assert_eq!(text(b"OutputCondition"), "Coated offset");
        let stream = i
            .get(b"DestOutputProfile")
            .and_then(Object::as_reference)
            .and_then(|r| doc.get_object(r))
            .and_then(Object::as_stream)
            .expect("profile");
        assert_eq!(stream.decompressed_content().expect("inflate"), profile);
    }
    // A changed profile is a changed input: the brief is built again.
    let same = build(&[]).expect_code(0);
    assert!(same.stderr.contains("1 up to date"), "{}", same.stderr);
    let mut other = profile.clone();
    let last = other.len() - 1;
    other[last] ^= 1;
    sb.write("h/press.icc", &other);
    let again = build(&[]).expect_code(0);
    assert!(again.stderr.contains("1 brief built"), "{}", again.stderr);
    // An RGB profile is refused, naming the key.
    sb.write("h/press.icc", briefpress::render::finish::icc::srgb_v2());
    let refused = build(&["--force"]).expect_code(1);
    assert!(
        refused.stderr.contains("print.output_profile")
            && refused.stderr.contains("not a CMYK output"),
        "{}",
        refused.stderr
    );
    // A profile without the name of its condition is refused.
    sb.write("h/press.icc", &profile);
    sb.write("h/house.toml", "[print]\noutput_profile = \"press.icc\"\n");
    let refused = build(&["--force"]).expect_code(1);
    assert!(refused.stderr.contains("go together"), "{}", refused.stderr);
}
