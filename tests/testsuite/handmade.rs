//! Small editions made by hand that follow `docs/editions.md`, for testing the readers
//! before (and independently of) the real renderers, plus file-level tampering.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use briefpress::content::{Part, Role};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

/// The content parts of a source, under the built-in house style.
pub fn parts_of(src: &Path) -> Vec<Part> {
    let house = briefpress::house::builtin().expect("house");
    let cov = briefpress::fonts::Coverage::of_house(&house);
    let doc = briefpress::parse::parse_file(src, &cov).expect("parse");
    briefpress::content::content(&doc, &house.style).parts
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An XHTML paragraph for a part, with an inline element splitting its first word
/// and furniture the reader must skip.
fn xhtml_part(p: &Part, n: usize) -> String {
    let text = esc(&p.text);
    let (first, rest) = text.split_at(text.char_indices().nth(2).map_or(text.len(), |(i, _)| i));
    let tag = match p.role {
        Role::Heading | Role::NotesHeading => "h2",
        Role::Title => "h1",
        Role::ListItem => "li",
        _ => "p",
    };
    let bullet = if tag == "li" {
        "<span aria-hidden=\"true\">• </span>"
    } else {
        ""
    };
    let noteref = if p.role == Role::Paragraph {
        format!("<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"notes.xhtml#n{n}\">{n}</a>")
    } else if p.role == Role::Note {
        "<a role=\"doc-backlink\" href=\"body.xhtml\">↩ back</a>".to_owned()
    } else {
        String::new()
    };
    format!(
        "<{tag} class=\"{:?}\">{bullet}<em>{first}</em>{rest}{noteref}</{tag}>\n",
        p.role
    )
}

fn xhtml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" \
         xmlns:epub=\"http://www.idpf.org/2007/ops\"><head><title>Not content</title></head>\n<body>\n{body}</body></html>\n"
    )
}

/// An EPUB carrying `parts`: a cover (linear="no"), a nav document, the body, and the
/// notes and bios in a second spine item.
pub fn epub(parts: &[Part]) -> Vec<u8> {
    let split = parts
        .iter()
        .position(|p| matches!(p.role, Role::NotesHeading | Role::Bio))
        .unwrap_or(parts.len());
    let body: String = parts[..split]
        .iter()
        .enumerate()
        .map(|(i, p)| xhtml_part(p, i))
        .collect();
    let notes: String = parts[split..]
        .iter()
        .enumerate()
        .map(|(i, p)| xhtml_part(p, i))
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("mimetype".into(), b"application/epub+zip".to_vec()),
        (
            "META-INF/container.xml".into(),
            br#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#.to_vec(),
        ),
        (
            "EPUB/package.opf".into(),
            br#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>
<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="body" href="text/body.xhtml" media-type="application/xhtml+xml"/>
<item id="notes" href="text/notes%20and%20bios.xhtml" media-type="application/xhtml+xml"/>
</manifest><spine><itemref idref="cover" linear="no"/><itemref idref="nav"/><itemref idref="body"/><itemref idref="notes"/></spine></package>"#.to_vec(),
        ),
        ("EPUB/cover.xhtml".into(), xhtml("<p>COVER PAGE</p>").into_bytes()),
        ("EPUB/nav.xhtml".into(), xhtml("<nav epub:type=\"toc\"><ol><li>Contents</li></ol></nav><p>Navigation</p>").into_bytes()),
        ("EPUB/text/body.xhtml".into(), xhtml(&body).into_bytes()),
    ];
    if !notes.is_empty() {
        files.push((
            "EPUB/text/notes and bios.xhtml".into(),
            xhtml(&notes).into_bytes(),
        ));
    }
    zip_of(&files)
}

/// A zip archive of `files` in order (the first stored, the rest deflated).
pub fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, (name, bytes)) in files.iter().enumerate() {
        let method = if i == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let o = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(name.as_str(), o).expect("start");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// The entries of a zip archive, in order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).expect("entry");
            let mut v = Vec::new();
            f.read_to_end(&mut v).expect("read");
            (f.name().to_owned(), v)
        })
        .collect()
}

/// Rewrite the entries of an EPUB: `f` returns the new bytes, or `None` to drop.
pub fn rewrite_epub(bytes: &[u8], f: impl Fn(&str, &[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = unzip(bytes)
        .into_iter()
        .filter_map(|(n, b)| f(&n, &b).map(|b| (n, b)))
        .collect();
    zip_of(&files)
}

// ---- PDF ----

const LIGATURE: u16 = 0xFFF0;
const SOFT_HYPHEN: u16 = 0xFFF1;

/// Glyph codes for every character of the parts (two bytes each, Identity-H style).
struct Codes(BTreeMap<char, u16>);

impl Codes {
    fn new(parts: &[Part]) -> Codes {
        let mut m = BTreeMap::new();
        for c in parts
            .iter()
            .flat_map(|p| p.text.chars())
            .chain(" -0123456789Page".chars())
        {
            let n = m.len() as u16 + 1;
            m.entry(c).or_insert(n);
        }
        Codes(m)
    }
    fn encode(&self, s: &str) -> Object {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let code = if rest.starts_with("fi") {
                rest = &rest[2..];
                LIGATURE
            } else {
                rest = &rest[c.len_utf8()..];
                self.0.get(&c).copied().unwrap_or(0)
            };
            out.extend(code.to_be_bytes());
        }
        Object::String(out, StringFormat::Hexadecimal)
    }
    fn to_unicode(&self) -> Vec<u8> {
        let mut s = String::from(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
             1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
        );
        let utf16 = |t: &str| {
            t.encode_utf16()
                .map(|u| format!("{u:04X}"))
                .collect::<String>()
        };
        let mut entries: Vec<(u16, String)> = self
            .0
            .iter()
            .map(|(c, n)| (*n, utf16(&c.to_string())))
            .collect();
        entries.push((LIGATURE, utf16("fi")));
        entries.push((SOFT_HYPHEN, utf16("-")));
        for chunk in entries.chunks(100) {
            s.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for (n, t) in chunk {
                s.push_str(&format!("<{n:04X}> <{t}>\n"));
            }
            s.push_str("endbfchar\n");
        }
        s.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
        s.into_bytes()
    }
}

fn op(name: &str, operands: Vec<Object>) -> Operation {
    Operation::new(name, operands)
}

/// The operations that set one part: one `BT`…`ET` block, lines of six words, a
/// hyphenated line end (ActualText soft hyphen), and a word split by a `TJ` offset.
fn part_ops(codes: &Codes, p: &Part, y: &mut i64) -> Vec<Operation> {
    let words: Vec<&str> = p.text.split_whitespace().collect();
    // `TL` makes `T*` go down a line (the hyphenated word's tail is on a line of its own).
    let mut ops = vec![
        op("BT", vec![]),
        op("Tf", vec!["F1".into(), 9.into()]),
        op("TL", vec![10.into()]),
    ];
    for (li, line) in words.chunks(6).enumerate() {
        *y -= 10;
        ops.push(op(
            "Tm",
            vec![
                1.into(),
                0.into(),
                0.into(),
                1.into(),
                50.into(),
                (*y).into(),
            ],
        ));
        for (wi, w) in line.iter().enumerate() {
            if wi > 0 {
                ops.push(op("Tj", vec![codes.encode(" ")]));
            }
            let last = wi + 1 == line.len() && li + 1 < words.len().div_ceil(6);
            let chars: Vec<char> = w.chars().collect();
            if last && chars.len() >= 6 && chars.iter().all(|c| c.is_alphabetic()) {
                // Hyphenate: head, inserted hyphen as soft hyphen, tail on the next line.
                let head: String = chars[..3].iter().collect();
                let tail: String = chars[3..].iter().collect();
                ops.push(op("Tj", vec![codes.encode(&head)]));
                let mut props = lopdf::Dictionary::new();
                props.set(
                    "ActualText",
                    Object::String(vec![0xFE, 0xFF, 0x00, 0xAD], StringFormat::Hexadecimal),
                );
                ops.push(op("BDC", vec!["Span".into(), Object::Dictionary(props)]));
                ops.push(op(
                    "Tj",
                    vec![Object::String(
                        SOFT_HYPHEN.to_be_bytes().to_vec(),
                        StringFormat::Hexadecimal,
                    )],
                ));
                ops.push(op("EMC", vec![]));
                ops.push(op("T*", vec![]));
                ops.push(op("Tj", vec![codes.encode(&tail)]));
                *y -= 10;
            } else if chars.len() >= 4 {
                let (a, b) = w.split_at(w.char_indices().nth(2).map_or(w.len(), |(i, _)| i));
                ops.push(op(
                    "TJ",
                    vec![Object::Array(vec![
                        codes.encode(a),
                        (-30).into(),
                        codes.encode(b),
                    ])],
                ));
            } else {
                ops.push(op("Tj", vec![codes.encode(w)]));
            }
        }
    }
    ops.push(op("ET", vec![]));
    ops
}

fn artifact(codes: &Codes, text: &str) -> Vec<Operation> {
    vec![
        op("BMC", vec!["Artifact".into()]),
        op("BT", vec![]),
        op("Tf", vec!["F1".into(), 8.into()]),
        op("Td", vec![280.into(), 20.into()]),
        op("Tj", vec![codes.encode(text)]),
        op("ET", vec![]),
        op("EMC", vec![]),
    ]
}

/// A PDF carrying `parts`, `per_page` parts a page; the title goes through a Form
/// XObject; page numbers are artifacts.
pub fn pdf(parts: &[Part], per_page: usize) -> Vec<u8> {
    let codes = Codes::new(parts);
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let tu = doc.add_object(Stream::new(dictionary! {}, codes.to_unicode()));
    let cid = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Handmade", "DW" => 500,
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Handmade", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid)], "ToUnicode" => Object::Reference(tu),
    });
    let resources =
        doc.add_object(dictionary! { "Font" => dictionary! { "F1" => Object::Reference(font) } });
    let mut kids = Vec::new();
    for (pi, chunk) in parts.chunks(per_page.max(1)).enumerate() {
        // The page number alone, as the house footer has it: artifact text must be the
        // house furniture.
        let mut ops = artifact(&codes, &format!("{}", pi + 1));
        let mut y = 800;
        let mut xobjects = lopdf::Dictionary::new();
        for (i, p) in chunk.iter().enumerate() {
            if p.role == Role::Title {
                // The form draws in page space, continuing down the page.
                let form_ops = part_ops(&codes, p, &mut y);
                let form = Stream::new(
                    dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()], "Resources" => Object::Reference(resources) },
                    Content {
                        operations: form_ops,
                    }
                    .encode()
                    .expect("encode"),
                );
                let name = format!("T{i}");
                xobjects.set(name.as_bytes(), Object::Reference(doc.add_object(form)));
                ops.push(op("Do", vec![Object::Name(name.into_bytes())]));
            } else {
                ops.extend(part_ops(&codes, p, &mut y));
            }
        }
        let content = doc.add_object(Stream::new(
            dictionary! {},
            Content { operations: ops }.encode().expect("encode"),
        ));
        // A page as tall as its text: text below the page would be invisible.
        let bottom = (y - 20).min(0);
        let mut res = dictionary! { "Font" => dictionary! { "F1" => Object::Reference(font) } };
        res.set("XObject", xobjects);
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => Object::Reference(pages_id), "Contents" => Object::Reference(content),
            "Resources" => res, "MediaBox" => vec![0.into(), bottom.into(), 595.into(), 842.into()],
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog =
        doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => Object::Reference(pages_id) });
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// Edit the decoded operations of page `page` (1-based) of a PDF.
pub fn rewrite_page(bytes: &[u8], page: u32, f: impl FnOnce(&mut Vec<Operation>)) -> Vec<u8> {
    let mut doc = Document::load_mem(bytes).expect("load");
    let id = doc.get_pages()[&page];
    let content = doc.get_page_content(id);
    let mut ops = Content::decode(&content).expect("decode").operations;
    f(&mut ops);
    let new = doc.add_object(Stream::new(
        dictionary! {},
        Content { operations: ops }.encode().expect("encode"),
    ));
    doc.get_dictionary_mut(id)
        .expect("page")
        .set("Contents", Object::Reference(new));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// Remove page `page` (1-based) from the page tree.
pub fn drop_page(bytes: &[u8], page: u32) -> Vec<u8> {
    let mut doc = Document::load_mem(bytes).expect("load");
    let id = doc.get_pages()[&page];
    let parent = doc
        .get_dictionary(id)
        .and_then(|d| d.get(b"Parent"))
        .and_then(Object::as_reference)
        .expect("parent");
    let pages = doc.get_dictionary_mut(parent).expect("pages");
    if let Ok(Object::Array(kids)) = pages.get_mut(b"Kids") {
        kids.retain(|k| k.as_reference().ok() != Some(id));
    }
    let count = pages.get(b"Count").and_then(Object::as_i64).unwrap_or(1);
    pages.set("Count", count - 1);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// Index ranges of the `BT`…`ET` blocks of a list of operations that are not inside
/// artifacts.
pub fn text_blocks(ops: &[Operation]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut artifact = 0;
    for (i, o) in ops.iter().enumerate() {
        match o.operator.as_str() {
            "BMC" | "BDC"
                if o.operands.first().and_then(|n| n.as_name().ok()) == Some(b"Artifact") =>
            {
                artifact += 1
            }
            "BT" if artifact == 0 => start = Some(i),
            "ET" => {
                if let Some(s) = start.take() {
                    out.push(s..i + 1);
                }
            }
            "EMC" if artifact > 0 => artifact -= 1,
            _ => {}
        }
    }
    out
}
