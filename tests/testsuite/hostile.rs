//! The readers on input that is not ours: random and mutated bytes (proptest), hostile
//! zip archives, malformed XML and PDF. Each must give an error (or words), never a
//! panic, a hang or a file written to disk. Inputs that once broke a reader are kept
//! here as named regression tests.

use crate::common;
use crate::handmade;

use std::path::Path;

use briefpress::render::Format;
use briefpress::verify::{epub, extract_bytes, pdf, text};
use proptest::prelude::*;

fn seed_parts() -> Vec<briefpress::content::Part> {
    handmade::parts_of(&common::fixture("seed"))
}

fn epub_err(bytes: &[u8]) -> String {
    match extract_bytes(Format::Epub, Path::new("x.epub"), bytes) {
        Ok(w) => panic!("accepted ({} words)", w.len()),
        Err(e) => e.to_string(),
    }
}

fn a_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    handmade::zip_of(&files)
}

const CONTAINER: &[u8] = br#"<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="p.opf"/></rootfiles></container>"#;

#[test]
fn zip_entry_names_that_escape_are_refused() {
    for name in [
        "../evil.xhtml",
        "/etc/passwd",
        "a\\..\\b",
        "C:/x",
        "a/../../b",
    ] {
        let z = a_zip(&[("mimetype", b"application/epub+zip"), (name, b"x")]);
        let e = epub_err(&z);
        assert!(e.contains("entry name"), "{name}: {e}");
    }
}

#[test]
fn duplicate_zip_entries_are_refused() {
    let mut z = a_zip(&[
        ("mimetype", b"application/epub+zip"),
        ("dupA1", b"first"),
        ("dupA2", b"second"),
    ]);
    // Rename the second entry to the first one's name in every header.
    let mut i = 0;
    while let Some(p) = z[i..].windows(5).position(|w| w == b"dupA2") {
        z[i + p + 4] = b'1';
        i += p + 5;
    }
    let e = epub_err(&z);
    assert!(e.contains("two entries named"), "{e}");
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let e = epub_err(&a_zip(&files));
    assert!(e.contains("entries"), "{e}");
}

#[test]
fn a_zip_bomb_is_capped_while_reading() {
    let zeros = vec![0u8; 40 << 20];
    let z = a_zip(&[
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", &zeros),
    ]);
    assert!(z.len() < 1 << 20, "compressed small");
    let e = epub_err(&z);
    assert!(e.contains("decompresses to more than"), "{e}");
}

#[test]
fn lying_sizes_do_not_fool_the_cap() {
    // 40 MiB, past the 32 MiB cap of one entry, whose headers claim 10 bytes: only a
    // reader that counts what it decompresses (not what the headers say) refuses it.
    let big = vec![b'a'; 40 << 20];
    assert!(big.len() as u64 > briefpress::verify::zipsafe::MAX_ENTRY_BYTES);
    let mut z = a_zip(&[
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", &big),
    ]);
    assert!(z.len() < 1 << 20, "compressed small");
    // Claim in both headers (local and central) that the entry is 10 bytes long.
    let claimed = (big.len() as u32).to_le_bytes();
    let mut i = 0;
    let mut patched = 0;
    while let Some(p) = z[i..].windows(4).position(|w| w == claimed) {
        z[i + p..i + p + 4].copy_from_slice(&10u32.to_le_bytes());
        i += p + 4;
        patched += 1;
    }
    assert_eq!(
        patched, 2,
        "the size sits in the local and the central header"
    );
    let e = epub_err(&z);
    assert!(
        e.contains("decompresses to more than"),
        "the cap must count the bytes read, not trust the headers: {e}"
    );
}

#[test]
fn an_entry_that_fails_its_checksum_is_refused() {
    // The reader inflates entries itself (libdeflate), so it must check each entry's
    // CRC-32 itself: a flipped bit in the data, or a checksum that does not match it,
    // is a corrupt archive, not a brief.
    let z = a_zip(&[
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
    ]);
    let crc = crc32fast::hash(CONTAINER).to_le_bytes();
    let mut wrong = z.clone();
    let mut patched = 0;
    let mut i = 0;
    while let Some(p) = wrong[i..].windows(4).position(|w| w == crc) {
        wrong[i + p] ^= 0x55;
        i += p + 4;
        patched += 1;
    }
    assert_eq!(
        patched, 2,
        "the checksum sits in the local and the central header"
    );
    let e = epub_err(&wrong);
    assert!(e.contains("checksum"), "{e}");
    // The intact archive gets past the container (and fails later, on its missing
    // package document), so the checksum is what was refused above.
    let e = epub_err(&z);
    assert!(!e.contains("checksum"), "{e}");
}

#[test]
fn malformed_and_hostile_xml_is_an_error() {
    let bomb = br#"<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><container>&b;</container>"#;
    for container in [
        &b"<container><rootfiles>"[..],
        b"not xml at all <<<",
        bomb,
        b"",
    ] {
        let z = a_zip(&[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", container),
        ]);
        let e = epub_err(&z);
        assert!(e.contains("container.xml"), "{e}");
    }
    // A spine pointing outside the archive, and one naming a missing item.
    for opf in [
        &br#"<package><manifest><item id="a" href="../../x.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>"#[..],
        br#"<package><manifest/><spine><itemref idref="nope"/></spine></package>"#,
    ] {
        let z = a_zip(&[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", CONTAINER),
            ("p.opf", opf),
        ]);
        let e = epub_err(&z);
        assert!(e.contains("p.opf"), "{e}");
    }
}

#[test]
fn nothing_is_extracted_to_disk() {
    // The briefs live three folders deep in the sandbox, so that entry names climbing
    // out of `dist/` (or out of the working folder) still land inside the sandbox,
    // where the test can look: nothing may appear anywhere in it.
    let outer = common::Sandbox::new();
    let work = outer.path("a/b/c");
    outer.copy(
        &common::fixture("seed"),
        "a/b/c/source/2016-11-china-tajikistan.md",
    );
    let before = tree(outer.dir.path());
    for name in [
        "../escape.txt",
        "../../escape.txt",
        "../../../escape.txt",
        "../../../../escape.txt",
    ] {
        let z = a_zip(&[("mimetype", b"application/epub+zip"), (name, b"x")]);
        outer.write("a/b/c/dist/2016-11-china-tajikistan.epub", &z);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefpress"))
            .args(["check", "dist"])
            .current_dir(&work)
            .output()
            .expect("run briefpress");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("entry name"), "{name}: {stderr}");
        let mut want = before.clone();
        want.extend(["a/b/c/dist", "a/b/c/dist/2016-11-china-tajikistan.epub"].map(String::from));
        want.sort();
        assert_eq!(tree(outer.dir.path()), want, "{name}");
    }
}

/// Every file and folder under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            let rel = p.strip_prefix(dir).expect("inside");
            out.push(rel.to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

#[test]
fn malformed_pdfs_are_errors() {
    let good = handmade::pdf(&seed_parts(), 6);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("header only", b"%PDF-1.7\n".to_vec()),
        ("not a pdf", b"hello world".to_vec()),
        ("truncated", good[..good.len() / 3].to_vec()),
        ("no pages", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj trailer<</Root 1 0 R>>".to_vec()),
    ];
    for (what, bytes) in cases {
        assert!(pdf::extract(&bytes).is_err(), "{what} was accepted");
    }
}

#[test]
fn a_form_xobject_that_draws_itself_is_an_error() {
    use lopdf::{dictionary, Object, Stream};
    let good = handmade::pdf(&seed_parts(), 100);
    let mut doc = lopdf::Document::load_mem(&good).expect("load");
    let form_id = doc
        .objects
        .iter()
        .find(|(_, o)| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Form")
            })
        })
        .map(|(id, _)| *id)
        .expect("form");
    let res = dictionary! { "XObject" => dictionary! { "T0" => Object::Reference(form_id) } };
    let form = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => res },
        b"/T0 Do".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    let e = pdf::extract(&out).expect_err("cycle");
    assert!(e.contains("cycle"), "{e}");
}

#[test]
fn pdfs_in_other_forms_read_the_same() {
    let good = handmade::pdf(&seed_parts(), 6);
    let words = |b: &[u8]| -> Vec<String> {
        pdf::extract(b)
            .expect("read")
            .into_iter()
            .map(|f| format!("{} {}", f.text, f.place))
            .collect()
    };
    // Object streams and a cross-reference stream (read through lopdf).
    let mut doc = lopdf::Document::load_mem(&good).expect("load");
    let mut modern = Vec::new();
    doc.save_modern(&mut modern).expect("save");
    assert!(modern.windows(6).any(|w| w == b"ObjStm"));
    assert_eq!(words(&modern), words(&good));
    // An incremental update: page 1 again, now drawing its content twice.
    let doc = lopdf::Document::load_mem(&good).expect("load");
    let page = doc.page_iter().next().expect("page");
    let head = format!("\n{} {} obj\n", page.0, page.1);
    let text = String::from_utf8_lossy(&good).into_owned();
    let at = text.find(&head).expect("page object") + head.len();
    let dict = &text[at..at + text[at..].find("\nendobj").expect("endobj")];
    let contents = doc.get_page_contents(page);
    let twice = format!("/Contents[{0} 0 R {0} 0 R]", contents[0].0);
    let cut = dict.find("/Contents").expect("contents");
    let dict = format!("{}{twice}/Old{}", &dict[..cut], &dict[cut + 1..]);
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(|r| r.as_reference())
        .expect("root");
    let mut updated = good.clone();
    let offset = updated.len() + 1;
    updated.extend(format!("\n{} {} obj\n{dict}\nendobj\n", page.0, page.1).bytes());
    let xref = updated.len();
    updated.extend(
        format!(
            "xref\n{} 1\n{offset:010} 00000 n \ntrailer\n<</Size {}/Root {} 0 R/Prev {}>>\nstartxref\n{xref}\n%%EOF\n",
            page.0,
            doc.max_id + 1,
            root.0,
            text.rfind("startxref").and_then(|i| text[i + 9..].split_whitespace().next()).expect("prev")
        )
        .bytes(),
    );
    let (once, twice) = (words(&good), words(&updated));
    assert!(twice.len() > once.len(), "the updated page is read");
}

/// Replace `len` bytes at `at` by `new` and move the cross-reference table's offsets
/// (and `startxref`) by the difference, so the file is damaged only where edited.
fn splice_keeping_xref(bytes: &[u8], at: usize, len: usize, new: &[u8]) -> Vec<u8> {
    let delta = new.len() as i64 - len as i64;
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(new);
    out.extend_from_slice(&bytes[at + len..]);
    let sx = out
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("startxref");
    let old: i64 = String::from_utf8_lossy(&out[sx + 9..])
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("offset");
    let table = usize::try_from(old + delta).expect("offset");
    // The table and trailer are ASCII (briefpress writes the file ID in hex).
    let tail = String::from_utf8(out[table..sx].to_vec()).expect("an ASCII table");
    assert!(tail.starts_with("xref"), "a classic table");
    out.truncate(table);
    for line in tail.split_inclusive('\n') {
        match line.strip_suffix(" n \n") {
            Some(entry) if entry.len() == 16 => {
                let offset: i64 = entry[..10].parse().expect("offset");
                let moved = if offset as usize > at {
                    offset + delta
                } else {
                    offset
                };
                out.extend(format!("{moved:010}{}", &line[10..]).bytes());
            }
            _ => out.extend(line.bytes()),
        }
    }
    out.extend(format!("startxref\n{table}\n%%EOF\n").bytes());
    out
}

/// The seed brief built into a sandbox: the sandbox and its PDF edition's path.
fn built_seed() -> (common::Sandbox, String) {
    let sb = common::Sandbox::new();
    sb.copy(
        &common::fixture("seed"),
        "source/2016-11-china-tajikistan.md",
    );
    sb.run(&["build"]).expect_code(0);
    (sb, "dist/2016-11-china-tajikistan.pdf".to_owned())
}

#[test]
fn a_stream_length_of_a_gigabyte_makes_the_pdf_unreadable() {
    let (sb, rel) = built_seed();
    let good = std::fs::read(sb.path(&rel)).expect("read");
    // The content stream of page 1: the first stream after the first `/Contents`.
    let doc = lopdf::Document::load_mem(&good).expect("load");
    let page = doc.page_iter().next().expect("page 1");
    let content = doc.get_page_contents(page)[0];
    let find = |from: usize, what: &[u8]| {
        good[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|p| p + from)
    };
    let head = find(0, format!("\n{} {} obj", content.0, content.1).as_bytes())
        .expect("the content stream");
    let at = find(head, b"/Length ").expect("its /Length") + 8;
    let len = good[at..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .expect("digits");
    let bad = splice_keeping_xref(&good, at, len, b"1000000000");
    assert!(
        lopdf::Document::load_mem(&bad).is_ok(),
        "lopdf still opens it"
    );
    sb.write(&rel, &bad);
    let run = sb.run(&["check", "dist"]).expect_code(1);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("object {} {}", content.0, content.1))
            && run
                .stderr
                .contains("/Length 1000000000 runs past the end of the file"),
        "names the object and its /Length: {}",
        run.stderr
    );
}

#[test]
fn a_cyclic_page_tree_is_named_as_such() {
    use lopdf::{dictionary, Object};
    let (sb, rel) = built_seed();
    let mut doc = lopdf::Document::load(sb.path(&rel)).expect("load");
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .expect("the page tree");
    // A subtree below the root whose kids include the root again.
    let sub = doc.add_object(dictionary! {
        "Type" => "Pages",
        "Kids" => vec![Object::Reference(root)],
        "Count" => 1,
        "Parent" => Object::Reference(root),
    });
    let kids = doc
        .get_dictionary_mut(root)
        .and_then(|d| d.get_mut(b"Kids"))
        .and_then(Object::as_array_mut)
        .expect("kids");
    kids.push(Object::Reference(sub));
    let mut bad = Vec::new();
    doc.save_to(&mut bad).expect("save");
    sb.write(&rel, &bad);
    let run = sb.run(&["check", "dist"]).expect_code(1);
    assert!(
        run.stderr.contains("the page tree is cyclic"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("no pages"), "{}", run.stderr);
}

/// `bytes` with a few bytes overwritten. The length is kept: a cut end would lose the
/// PDF's cross-reference table or the ZIP's directory, and the reader would stop at its
/// first check instead of reading the mutant through.
fn mutate(bytes: &[u8], edits: &[(usize, u8)]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for (at, v) in edits {
        if !b.is_empty() {
            let i = at % b.len();
            b[i] = *v;
        }
    }
    b
}

/// Run `read` and fail when it takes longer than a reader may on an input this small
/// (a hang, or work that grows with a number the input made up).
fn in_time<T>(what: &str, read: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    const LIMIT: std::time::Duration = std::time::Duration::from_secs(10);
    let start = std::time::Instant::now();
    let out = read();
    let took = start.elapsed();
    if took > LIMIT {
        return Err(TestCaseError::fail(format!("{what} took {took:?}")));
    }
    Ok(out)
}

proptest! {
    // 256 cases take a few seconds; PROPTEST_CASES=5000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = in_time("pdf", || pdf::extract(&bytes))?;
        let _ = in_time("epub", || epub::extract(&bytes))?;
        let _ = in_time("text", || text::extract(&String::from_utf8_lossy(&bytes)))?;
        let mut pdfish = b"%PDF-1.7\n".to_vec();
        pdfish.extend(&bytes);
        let _ = in_time("pdf", || pdf::extract(&pdfish))?;
    }

    #[test]
    fn mutated_editions_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
    ) {
        thread_local! {
            static GOOD: (Vec<u8>, Vec<u8>) = {
                let parts = seed_parts();
                (handmade::pdf(&parts, 6), handmade::epub(&parts))
            };
        }
        GOOD.with(|(p, e)| {
            let _ = in_time("pdf", || pdf::extract(&mutate(p, &edits)))?;
            let _ = in_time("epub", || epub::extract(&mutate(e, &edits)))?;
            // Most edits of the archive land in compressed data and stop at its CRC;
            // the same edits made to the entries before zipping reach the XML reader.
            let inner = handmade::rewrite_epub(e, |name, bytes| {
                Some(if name == "mimetype" { bytes.to_vec() } else { mutate(bytes, &edits) })
            });
            let _ = in_time("epub entries", || epub::extract(&inner))?;
            Ok::<(), TestCaseError>(())
        })?;
    }
}
