//! The PDF tamper corpus: each case starts from a fresh build of a fixture (manifest
//! removed, so only the content is judged), changes what a reader SEES without
//! changing the words a naive text extractor reads, and must make `check` exit 3
//! naming the construct and the page. The rewrite corpus (qpdf, mutool) must pass.

use crate::common::{self, fixture, need_tool, Run, Sandbox};

use std::path::PathBuf;

use lopdf::{dictionary, Document, Object, ObjectId, Stream};

/// A built edition in a sandbox, with its source beside it.
struct Built {
    sb: Sandbox,
    slug: String,
}

impl Built {
    /// Build `case` as a PDF with extra `args`, and remove the manifest.
    fn new(case: &str, args: &[&str]) -> Built {
        let sb = Sandbox::new();
        let src = fixture(case);
        let slug = src.file_stem().unwrap().to_string_lossy().into_owned();
        // The fixture's images come along.
        for f in std::fs::read_dir(src.parent().unwrap()).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if f.is_file() && (name.ends_with(".png") || name.ends_with(".jpg")) {
                sb.copy(&f, &format!("src/{name}"));
            }
        }
        sb.copy(&src, &format!("src/{slug}.md"));
        let mut all = vec!["-q", "build", "--format", "pdf", "--out", "dist"];
        all.extend_from_slice(args);
        let path = format!("src/{slug}.md");
        all.push(&path);
        sb.run(&all).expect_code(0);
        let _ = std::fs::remove_file(sb.path(&format!("dist/{slug}.manifest.json")));
        Built { sb, slug }
    }

    fn seed() -> Built {
        Built::new("seed", &[])
    }

    fn pdf(&self) -> PathBuf {
        self.sb.path(&format!("dist/{}.pdf", self.slug))
    }

    fn doc(&self) -> Document {
        Document::load(self.pdf()).expect("load")
    }

    fn save(&self, mut doc: Document) {
        doc.save(self.pdf()).expect("save");
    }

    fn check(&self) -> Run {
        let pdf = format!("dist/{}.pdf", self.slug);
        self.sb.run(&["check", "--source", "src", &pdf])
    }

    /// Rewrite page `n`'s content (1-based) with `edit`.
    fn edit_page(&self, n: u32, edit: impl FnOnce(String) -> String) {
        let mut doc = self.doc();
        let page = page_id(&doc, n);
        let content = String::from_utf8(doc.get_page_content(page)).expect("ASCII content");
        let changed = edit(content.clone());
        assert_ne!(changed, content, "the edit changed nothing");
        doc.change_page_content(page, changed.into_bytes())
            .expect("change content");
        self.save(doc);
    }

    /// Check, expect exit 3 and every one of `names` in the report.
    fn expect_caught(&self, names: &[&str]) {
        let run = self.check();
        assert_eq!(run.code, 3, "tamper passed\n{}\n{}", run.stdout, run.stderr);
        let said = format!("{}{}", run.stdout, run.stderr);
        eprintln!("{said}");
        for n in names {
            assert!(said.contains(n), "the report does not name {n:?}:\n{said}");
        }
    }
}

fn page_id(doc: &Document, n: u32) -> ObjectId {
    *doc.get_pages().get(&n).expect("page")
}

/// Replace the first `from` after `anchor` with `to`.
fn after(content: &str, anchor: &str, from: &str, to: &str) -> String {
    let at = content.find(anchor).expect("anchor") + anchor.len();
    let (head, tail) = content.split_at(at);
    format!("{head}{}", tail.replacen(from, to, 1))
}

/// The seed's first body line, its text block opening, and the next line's.
const LINE: &str = "/P <</MCID 8>> BDC";
const LINE_TM: &str = "1 0 0 1 51.023624 558.46106 Tm";
const NEXT_TM: &str = "1 0 0 1 51.023624 544.96106 Tm";

fn before_line(prefix: &str) -> impl FnOnce(String) -> String + '_ {
    move |c| c.replacen(LINE, &format!("{prefix} {LINE}"), 1)
}

#[test]
fn our_own_editions_pass() {
    for case in common::CASES {
        for args in [
            &[][..],
            &["--edition", "print"],
            &["--pdf-standard", "a-3b"],
        ] {
            let b = Built::new(case, args);
            let run = b.check();
            assert_eq!(
                run.code, 0,
                "{case} {args:?}\n{}\n{}",
                run.stdout, run.stderr
            );
        }
    }
}

#[test]
fn hidden_lines_are_caught() {
    let cases: &[(&str, &str, &str)] = &[
        ("render mode 3", "3 Tr", "text render mode 3 (invisible)"),
        (
            "white fill",
            "1 1 1 rg",
            "text in the colour of what lies beneath it",
        ),
        ("Tz 0", "0 Tz", "horizontal scaling (Tz) 0%"),
        // Justification widens glyphs by at most 5 %; 6 % narrower is not ours.
        ("Tz 94", "94 Tz", "horizontal scaling (Tz) 94%"),
        (
            "Tc squeeze",
            "-6 Tc",
            "letter-spacing (Tc) draws letters over each other (-0.60 em)",
        ),
        ("Ts", "-900 Ts", "text rise (Ts) -900"),
        (
            "ExtGState alpha",
            "/Ghost gs",
            "see-through text (fill opacity /ca 0)",
        ),
    ];
    for (what, op, name) in cases {
        let b = Built::seed();
        if op.contains("gs") {
            let mut doc = b.doc();
            let page = page_id(&doc, 1);
            let gs = doc.add_object(dictionary! { "Type" => "ExtGState", "ca" => 0 });
            let res = doc.get_or_create_resources(page).expect("resources");
            let res = res.as_dict_mut().expect("dict");
            res.set("ExtGState", dictionary! { "Ghost" => gs });
            b.save(doc);
        }
        b.edit_page(1, before_line(op));
        eprintln!("case: {what}");
        b.expect_caught(&[name, "page 1, line"]);
    }
}

#[test]
fn text_moved_away_is_caught() {
    let b = Built::seed();
    b.edit_page(1, |c| c.replacen("/F0 10 Tf", "/F0 0.01 Tf", 1));
    b.expect_caught(&["text too small to read", "page 1"]);

    let b = Built::seed();
    b.edit_page(1, |c| {
        c.replacen(LINE_TM, "1 0 0 1 51.023624 958.46106 Tm", 1)
    });
    b.expect_caught(&["text outside the visible page (CropBox)"]);

    // Print: inside the MediaBox (bleed and marks) but outside the TrimBox.
    let b = Built::new("seed", &["--edition", "print"]);
    b.edit_page(1, |c| c.replacen(LINE_TM, "1 0 0 1 -18 558.46106 Tm", 1));
    b.expect_caught(&["text outside the visible page (TrimBox)"]);

    let b = Built::seed();
    b.edit_page(1, |c| after(&c, LINE, "] TJ", " 90000 <0015>] TJ"));
    b.expect_caught(&["a TJ offset moves text back over itself"]);

    let b = Built::seed();
    b.edit_page(1, |c| after(&c, LINE, "] TJ", " -90000 <0015>] TJ"));
    b.expect_caught(&["a TJ offset moves text far along its line"]);
}

#[test]
fn paint_and_clips_over_text_are_caught() {
    // A white rectangle painted over the first body line, as an artifact.
    let b = Built::seed();
    b.edit_page(1, |c| {
        format!("{c}\n/Artifact BMC q 1 1 1 rg 45 554 510 14 re f Q EMC\n")
    });
    b.expect_caught(&["text covered by paint drawn after it", "page 1, line"]);

    // A clip that leaves only a corner of the page.
    let b = Built::seed();
    b.edit_page(1, |c| format!("q 0 0 20 20 re W n\n{c}\nQ\n"));
    b.expect_caught(&["text clipped by a clipping path"]);

    // Optional content: the viewer decides.
    let b = Built::seed();
    b.edit_page(1, |c| {
        let c = c.replacen(LINE, &format!("/OC /oc1 BDC {LINE}"), 1);
        after(&c, LINE, "EMC", "EMC EMC")
    });
    b.expect_caught(&["text in optional content (/OC)"]);
}

/// A glyph string of the body font that shows visible letters.
const WORD: &str = "<0015><002b><0001><0018><0020>";

#[test]
fn extra_words_as_furniture_are_caught() {
    for tag in ["/Artifact BMC", "/Lbl BMC"] {
        let b = Built::seed();
        b.edit_page(1, |c| {
            format!("{c}\n{tag} BT /F0 10 Tf 1 0 0 1 60 60 Tm [{WORD}] TJ ET EMC\n")
        });
        b.expect_caught(&["text marked as an artifact that is not the house furniture"]);
    }
    // A Form XObject with words, drawn twice inside an artifact.
    let b = Built::seed();
    let mut doc = b.doc();
    let page = page_id(&doc, 1);
    let fonts = {
        let res = doc.get_or_create_resources(page).expect("resources");
        res.as_dict()
            .expect("dict")
            .get(b"Font")
            .expect("fonts")
            .clone()
    };
    let body = format!("BT /F0 10 Tf 1 0 0 1 60 60 Tm [{WORD}] TJ ET");
    let form = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => fonts },
        },
        body.into_bytes(),
    ));
    let res = doc.get_or_create_resources(page).expect("resources");
    let res = res.as_dict_mut().expect("dict");
    let mut xo = match res.get(b"XObject") {
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => lopdf::Dictionary::new(),
    };
    xo.set("Fx1", form);
    res.set("XObject", xo);
    b.save(doc);
    b.edit_page(1, |c| format!("{c}\n/Artifact BMC /Fx1 Do /Fx1 Do EMC\n"));
    b.expect_caught(&["text marked as an artifact that is not the house furniture"]);

    // An extra page whose words are all artifacts.
    let b = Built::seed();
    let mut doc = b.doc();
    let first = page_id(&doc, 1);
    let mut page = doc.get_dictionary(first).expect("page").clone();
    let content = doc.add_object(Stream::new(
        dictionary! {},
        format!("/Artifact BMC BT /F0 10 Tf 1 0 0 1 60 700 Tm [{WORD}] TJ ET EMC").into_bytes(),
    ));
    page.set("Contents", content);
    page.remove(b"Annots");
    page.remove(b"StructParents");
    let new = doc.add_object(page);
    let pages_id = doc
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let pages = doc.get_dictionary_mut(pages_id).unwrap();
    let kids = pages.get_mut(b"Kids").unwrap().as_array_mut().unwrap();
    kids.push(new.into());
    pages.set("Count", 2);
    b.save(doc);
    b.expect_caught(&["page 2", "not the house furniture"]);
}

#[test]
fn annotations_and_patterns_are_caught() {
    for (kind, flags) in [("FreeText", 4), ("Stamp", 36)] {
        let b = Built::seed();
        let mut doc = b.doc();
        let page = page_id(&doc, 1);
        let annot = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => kind, "F" => flags,
            "Rect" => vec![60.into(), 60.into(), 300.into(), 80.into()],
            "Contents" => Object::string_literal("We also owe $1M"),
            "DA" => Object::string_literal("/Helv 10 Tf 0 g"),
        });
        let p = doc.get_dictionary_mut(page).unwrap();
        p.set("Annots", vec![annot.into()]);
        b.save(doc);
        b.expect_caught(&[&format!("an annotation other than a link: /{kind}")]);
    }
    // A tiling pattern painting a rectangle: its cell could hold any text.
    let b = Built::seed();
    let mut doc = b.doc();
    let page = page_id(&doc, 1);
    let cell = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "Pattern", "PatternType" => 1, "PaintType" => 1, "TilingType" => 1,
            "BBox" => vec![0.into(), 0.into(), 100.into(), 20.into()],
            "XStep" => 100, "YStep" => 20, "Resources" => dictionary! {},
        },
        b"0 0 1 rg 0 0 50 10 re f".to_vec(),
    ));
    let res = doc.get_or_create_resources(page).expect("resources");
    res.as_dict_mut()
        .unwrap()
        .set("Pattern", dictionary! { "P1" => cell });
    b.save(doc);
    b.edit_page(1, |c| {
        format!("{c}\nq /Pattern cs /P1 scn 60 60 200 20 re f Q\n")
    });
    b.expect_caught(&["a pattern fill"]);
}

#[test]
fn text_that_reads_otherwise_than_it_looks_is_caught() {
    // /ActualText saying other words than the glyphs.
    let b = Built::seed();
    b.edit_page(1, |c| {
        let c = c.replacen(
            LINE,
            &format!("{LINE} /Span <</ActualText (In a move)>> BDC"),
            1,
        );
        after(&c, LINE, "EMC", "EMC EMC")
    });
    b.expect_caught(&["/ActualText that says other words than its glyphs"]);

    // Glyph swaps hidden by the ToUnicode map: "7" reads "1"; a letter reads U+200B.
    for (from, to, name) in [
        (
            "<000E> <0037>",
            "<000E> <0031>",
            "reads \"1\" (ToUnicode) but draws \"7\"",
        ),
        ("<0015> <0049>", "<0015> <200B>", "but draws \"I\""),
        (
            "<0015> <0049>",
            "<0015> <>",
            "reads \"\" (ToUnicode) but draws \"I\"",
        ),
    ] {
        let b = Built::seed();
        let mut doc = b.doc();
        let page = page_id(&doc, 1);
        let fonts = doc.get_page_fonts(page).expect("fonts");
        let font = fonts.get(b"F0".as_slice()).expect("F0");
        let map = font.get(b"ToUnicode").unwrap().as_reference().unwrap();
        let s = doc.get_object_mut(map).unwrap().as_stream_mut().unwrap();
        let text = String::from_utf8(s.decompressed_content().unwrap()).unwrap();
        assert!(text.contains(from), "{text}");
        s.set_plain_content(text.replacen(from, to, 1).into_bytes());
        b.save(doc);
        eprintln!("case: {to}");
        b.expect_caught(&["a glyph hidden by the font's ToUnicode map", name]);
    }

    // Two lines swapped on the page with `Tm` while the stream order stays.
    let b = Built::seed();
    b.edit_page(1, |c| {
        c.replacen(LINE_TM, "@A@", 1)
            .replacen(NEXT_TM, LINE_TM, 1)
            .replacen("@A@", NEXT_TM, 1)
    });
    b.expect_caught(&["text out of reading order", "page 1"]);
}

#[test]
fn faithful_rewrites_pass() {
    let tools: &[(&str, &[&str])] = &[
        ("qpdf", &["--linearize"]),
        ("qpdf", &["--object-streams=generate"]),
        ("qpdf", &["--qdf", "--object-streams=disable"]),
        ("qpdf", &["--stream-data=uncompress"]),
        ("mutool", &["clean", "-gggg"]),
        ("mutool", &["clean", "-d"]),
    ];
    for case in ["seed", "long"] {
        for (tool, args) in tools {
            if !need_tool(tool) {
                continue;
            }
            let b = Built::new(case, &[]);
            let pdf = b.pdf();
            let out = b.sb.path("rewritten.pdf");
            let mut cmd = std::process::Command::new(tool);
            cmd.args(*args).arg(&pdf).arg(&out);
            let status = cmd.status().expect("run tool");
            assert!(status.success(), "{tool} {args:?} failed");
            std::fs::copy(&out, &pdf).expect("copy");
            let run = b.check();
            assert_eq!(
                run.code, 0,
                "{case} rewritten by {tool} {args:?}\n{}\n{}",
                run.stdout, run.stderr
            );
        }
    }
}

/// Ghostscript's `pdfwrite` drops marked content (so furniture and inserted hyphens
/// become words) and writes broken ToUnicode entries for ligatures: `check` names that
/// cause once rather than listing every word it touches.
#[test]
fn ghostscript_rewrite_fails_with_one_message() {
    if !need_tool("gs") {
        return;
    }
    let b = Built::seed();
    let pdf = b.pdf();
    let out = b.sb.path("gs.pdf");
    let status = std::process::Command::new("gs")
        .args(["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite"])
        .arg(format!("-sOutputFile={}", out.display()))
        .arg(&pdf)
        .status()
        .expect("run gs");
    assert!(status.success());
    std::fs::copy(&out, &pdf).expect("copy");
    let run = b.check();
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("differs from") && said.contains("in 1 place(s)"),
        "{said}"
    );
    assert!(said.contains("the PDF has no marked content"), "{said}");
}
