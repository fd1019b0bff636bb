//! The PDF editions as other readers see them: every fixture and a brief with a very
//! long title, in both editions and both PDF/A standards, opened by poppler (`pdfinfo`),
//! qpdf (`qpdf --check`) and MuPDF (`mutool info`), each of which must succeed without a
//! word on stderr (they warn there when they have to repair a file). The
//! cross-reference table is checked here by hand, independently of our reader and of
//! lopdf: every object number below `/Size` is in use or on the free list.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A title of 40 words: poppler once failed to find the trailer of such files.
fn long_title() -> String {
    let words = [
        "A", "very", "long", "title", "about", "water", "rights", "along", "the", "rivers",
    ];
    (0..40)
        .map(|i| words[i % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fixtures' sources plus the long-title brief, written into `sb`.
fn sources(sb: &common::Sandbox) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = common::CASES.iter().map(|c| common::fixture(c)).collect();
    let brief = common::brief("Some words in a paragraph.\n\n## A heading\n\nMore words.\n")
        .replacen(
            "title: A test brief",
            &format!("title: {}", long_title()),
            1,
        );
    out.push(sb.write("src/long-title.md", brief));
    out
}

/// Build the PDF editions of `sources` with `flags` into `out`.
fn build(sources: &[PathBuf], out: &Path, flags: &[&str]) -> Vec<PathBuf> {
    let run = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(["build", "--format", "pdf", "--out"])
        .arg(out)
        .args(flags)
        .args(sources)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run briefpress");
    assert!(
        run.status.success(),
        "build {flags:?} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    sources
        .iter()
        .map(|s| {
            let stem = s.file_stem().and_then(|s| s.to_str()).expect("stem");
            out.join(format!("{stem}.pdf"))
        })
        .collect()
}

/// Every edition we check: (what, file).
fn editions(sb: &common::Sandbox) -> Vec<(String, PathBuf)> {
    let sources = sources(sb);
    let mut out = Vec::new();
    for (name, flags) in [
        ("screen", &[][..]),
        ("print", &["--edition", "print"][..]),
        ("a-3b", &["--pdf-standard", "a-3b"][..]),
    ] {
        let dir = sb.path(name);
        for pdf in build(&sources, &dir, flags) {
            let file = pdf.file_name().map(|f| f.to_string_lossy().into_owned());
            out.push((format!("{name} {}", file.unwrap_or_default()), pdf));
        }
    }
    out
}

/// The object numbers of a classic cross-reference table and the `/Size` of its
/// trailer, read from the text after the last `startxref`: (in use with their
/// offsets, free, size).
fn xref(bytes: &[u8]) -> (Vec<(u32, usize)>, Vec<u32>, u32) {
    let at = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("startxref");
    let offset: usize = String::from_utf8_lossy(&bytes[at + 9..])
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("startxref offset");
    // The table and trailer are ASCII (the file ID is written in hex).
    let table = std::str::from_utf8(&bytes[offset..]).expect("an ASCII table and trailer");
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("xref"), "a classic table at startxref");
    let (mut used, mut free) = (Vec::new(), Vec::new());
    let mut line = lines.next().expect("a subsection");
    while !line.starts_with("trailer") {
        let mut head = line
            .split_whitespace()
            .map(|n| n.parse::<u32>().expect(line));
        let (first, count) = (head.next().expect(line), head.next().expect(line));
        for n in first..first + count {
            let entry = lines.next().expect("an entry");
            assert_eq!(entry.len(), 19, "entry {n} is 20 bytes with its line end");
            let offset = entry[..10].parse().expect(entry);
            match entry.split_whitespace().nth(2) {
                Some("n") => used.push((n, offset)),
                Some("f") => free.push(n),
                other => panic!("entry {n}: type {other:?}"),
            }
        }
        line = lines.next().expect("trailer");
    }
    let trailer = &table[table.find("trailer").expect("trailer")..];
    let size = trailer
        .split("/Size")
        .nth(1)
        .and_then(|s| {
            s.trim_start()
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .expect("/Size in the trailer");
    (used, free, size)
}

#[test]
fn the_xref_table_has_no_gaps() {
    let sb = common::Sandbox::new();
    for (what, pdf) in editions(&sb) {
        let bytes = std::fs::read(&pdf).expect("read");
        let (used, free, size) = xref(&bytes);
        let mut all: Vec<u32> = used.iter().map(|u| u.0).chain(free.clone()).collect();
        all.sort_unstable();
        let expected: Vec<u32> = (0..size).collect();
        assert_eq!(all, expected, "{what}: object numbers 0..{size}");
        assert_eq!(free, [0], "{what}: only object 0 is free");
        // Each entry in use points at its object.
        for (n, offset) in used {
            let head = format!("{n} 0 obj");
            assert!(
                bytes[offset..].starts_with(head.as_bytes()),
                "{what}: the entry of object {n} points at its object"
            );
        }
    }
}

/// Run `tool args… file`; it must exit 0 and print nothing on stderr.
fn judge(what: &str, tool: &str, args: &[&str], file: &Path) {
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .expect("run the tool");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "{tool} {args:?} on {what}: {}\n--- stderr\n{stderr}\n--- stdout\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn poppler_qpdf_and_mupdf_read_every_edition_without_a_warning() {
    let tools = [
        ("pdfinfo", &[][..]),
        ("qpdf", &["--check"][..]),
        ("mutool", &["info"][..]),
    ];
    let present: Vec<_> = tools
        .into_iter()
        .filter(|(tool, _)| common::need_tool(tool))
        .collect();
    if present.is_empty() {
        return;
    }
    let sb = common::Sandbox::new();
    let editions = editions(&sb);
    assert_eq!(editions.len(), 3 * (common::CASES.len() + 1));
    for (what, pdf) in &editions {
        for (tool, args) in &present {
            judge(what, tool, args, pdf);
        }
    }
    // The long title reaches the file whole.
    if present.iter().any(|(t, _)| *t == "pdfinfo") {
        let (_, pdf) = editions
            .iter()
            .find(|(w, _)| w.ends_with("long-title.pdf"))
            .expect("the long-title edition");
        let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
        let info = String::from_utf8_lossy(&out.stdout);
        assert!(info.contains(&long_title()), "{info}");
    }
}
