//! Hostile input through the real binary: characters that reach the editions by a
//! character reference, an escape or smart punctuation; images and sources that are not
//! what they seem (too many pixels, devices, FIFOs, links out of the folder, cut short);
//! front matter a person gets wrong. Each is refused with a located error, exit 1,
//! quickly, and nothing is written.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{brief, root, Sandbox};

/// What one bounded run gave, and how long it took.
struct Timed {
    code: i32,
    stderr: String,
    took: Duration,
}

/// Run `briefpress build <src> --out out` (all editions) in the sandbox; kill it and
/// fail if it takes longer than `limit`, so a test cannot hang.
fn build(sb: &Sandbox, src: &str, limit: Duration) -> Timed {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(["build", src, "--out", "out"])
        .current_dir(sb.dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run briefpress");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("briefpress build {src} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    Timed {
        code: status.code().unwrap_or(-1),
        stderr,
        took,
    }
}

/// Long enough for a debug build of a small brief on a busy machine; far shorter than
/// any of the hangs and decodes these tests guard against.
const LIMIT: Duration = Duration::from_secs(60);

/// Assert a refusal: exit 1, each of `wanted` in the message, a hint, no panic and
/// nothing written.
fn refused(sb: &Sandbox, run: &Timed, wanted: &[&str]) {
    assert_eq!(run.code, 1, "exit code; stderr:\n{}", run.stderr);
    for w in wanted {
        assert!(run.stderr.contains(w), "expected {w:?} in:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("hint:"), "no hint in:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        sb.files("out").is_empty(),
        "files written: {:?}",
        sb.files("out")
    );
}

/// A PNG file of chunks, each with its length and checksum.
fn png_of(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in chunks {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let at = out.len();
        out.extend_from_slice(*kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(&out[at..]);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    out
}

/// A valid PNG header for a `w` × `h` RGBA image, with a few bytes of image data: a
/// decoder that trusts the header would set out to allocate `w * h * 4` bytes.
fn huge_png(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let idat = {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&[0; 64]).expect("deflate");
        z.finish().expect("deflate")
    };
    png_of(&[(b"IHDR", &ihdr), (b"IDAT", &idat), (b"IEND", &[])])
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn a_character_reference_no_font_has_is_refused_where_it_is_written() {
    let sb = Sandbox::new();
    sb.write("b.md", brief("The sign &#x4e2d; has no glyph.\n"));
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &[
            "no house font has the character '中' (U+4E2D)",
            "`&#x4e2d;`",
            "b.md:10:10",
        ],
    );
}

#[test]
fn a_control_character_reference_is_refused() {
    let sb = Sandbox::new();
    sb.write("b.md", brief("Escape &#x1b; here and &#27; there.\n"));
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &[
            "control character U+001B is not allowed, written `&#x1b;`, and in 1 more place in this file",
            "b.md:10:8",
        ],
    );
    // One character, one report, where it first stands.
    assert!(!run.stderr.contains("b.md:10:24"), "{}", run.stderr);
}

#[test]
fn every_route_into_the_model_is_checked() {
    // A named entity, a heading, a table cell, a note, an image's alt text and a link's
    // text and target: each carries a character no font has or a control character.
    let sb = Sandbox::new();
    sb.copy(
        &root().join("tests/fixtures/constructs/chart.png"),
        "chart.png",
    );
    let body = "## Head &#x4e2d;\n\nText.[^n] [link &#x4e2e;](https://example.org/&#x1b;)\n\n\
                | a | b |\n|---|---|\n| &#x4e2f; | &amp; |\n\n\
                ![Chart &#x4e30;](chart.png)\n\n[^n]: Note &#x4e31;.\n";
    sb.write("b.md", brief(body));
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &[
            "b.md:10:9",
            "U+4E2E",
            "link target",
            "U+001B",
            "U+4E2F",
            "U+4E30",
            "U+4E31",
        ],
    );
    assert!(!run.stderr.contains("'&'"), "{}", run.stderr);
}

#[test]
fn a_yaml_escape_in_the_front_matter_is_checked() {
    let sb = Sandbox::new();
    let src = brief("Text.\n").replace("title: A test brief", "title: \"A \\x1b brief\"");
    sb.write("b.md", src);
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &[
            "control character U+001B",
            "from an escape in `title`",
            "b.md:2:11",
        ],
    );
}

#[test]
fn an_image_of_too_many_pixels_is_refused_from_its_header() {
    let sb = Sandbox::new();
    let png = huge_png(30_000, 30_000);
    assert!(png.len() < 200, "the test image itself is small");
    sb.write("big.png", png);
    sb.write("b.md", brief("Before.\n\n![A huge image](big.png)\n"));
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &[
            "30000 × 30000 pixels",
            "limit is 100 megapixels",
            "b.md:12:1",
        ],
    );
    // Decoding it took 23–90 s and 7 GB; reading the header takes milliseconds.
    assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
}

#[cfg(unix)]
#[test]
fn an_image_that_links_to_dev_zero_is_refused() {
    let sb = Sandbox::new();
    std::os::unix::fs::symlink("/dev/zero", sb.path("zero.png")).expect("symlink");
    sb.write("b.md", brief("![Zeros](zero.png)\n"));
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &["zero.png", "out of the source folder", "b.md:10:1"],
    );
}

#[cfg(unix)]
#[test]
fn an_image_that_is_a_fifo_is_refused_without_blocking() {
    let sb = Sandbox::new();
    mkfifo(&sb.path("pipe.png"));
    sb.write("b.md", brief("![A pipe](pipe.png)\n"));
    let run = build(&sb, "b.md", LIMIT);
    refused(&sb, &run, &["pipe.png is a named pipe (FIFO)", "b.md:10:1"]);
}

#[cfg(unix)]
#[test]
fn an_image_link_out_of_the_folder_is_refused_and_one_inside_is_followed() {
    let sb = Sandbox::new();
    let chart = root().join("tests/fixtures/constructs/chart.png");
    sb.copy(&chart, "secret.png");
    sb.copy(&chart, "briefs/img/chart.png");
    std::os::unix::fs::symlink("../secret.png", sb.path("briefs/out.png")).expect("symlink");
    std::os::unix::fs::symlink("img/chart.png", sb.path("briefs/in.png")).expect("symlink");
    sb.write("briefs/b.md", brief("![A secret](out.png)\n"));
    let run = build(&sb, "briefs/b.md", LIMIT);
    refused(
        &sb,
        &run,
        &[
            "image out.png is a link that leads out of the source folder",
            "b.md:10:1",
        ],
    );
    sb.write("briefs/c.md", brief("![A chart](in.png)\n"));
    let run = build(&sb, "briefs/c.md", LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_source_that_links_to_dev_zero_is_refused() {
    let sb = Sandbox::new();
    std::os::unix::fs::symlink("/dev/zero", sb.path("b.md")).expect("symlink");
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &["the source is a device, not a regular file", "b.md"],
    );
}

#[cfg(unix)]
#[test]
fn a_source_that_is_a_fifo_is_refused_without_blocking() {
    let sb = Sandbox::new();
    mkfifo(&sb.path("b.md"));
    let run = build(&sb, "b.md", LIMIT);
    refused(&sb, &run, &["the source is a named pipe (FIFO)"]);
}

#[test]
fn a_truncated_png_is_refused_at_its_reference() {
    let sb = Sandbox::new();
    sb.copy(
        &root().join("tests/fixtures/errors/truncated.png"),
        "cut.png",
    );
    sb.write("b.md", brief("Text.\n\n![A chart cut short](cut.png)\n"));
    let run = build(&sb, "b.md", LIMIT);
    refused(&sb, &run, &["image cut.png is damaged", "b.md:12:1"]);
}

#[test]
fn a_year_out_of_range_is_refused() {
    for (year, what) in [
        ("0000", "the year 0 is outside 1900–2200"),
        ("2999", "2999"),
    ] {
        let sb = Sandbox::new();
        sb.write(
            "b.md",
            brief("Text.\n").replace("date: 2016-11", &format!("date: {year}-01")),
        );
        let run = build(&sb, "b.md", LIMIT);
        refused(&sb, &run, &[what, "b.md:4:1", "a year from 1900 to 2200"]);
    }
}

#[test]
fn a_duplicate_key_is_reported_in_our_words() {
    let sb = Sandbox::new();
    sb.write(
        "b.md",
        brief("Text.\n").replace(
            "region: Central Asia\n",
            "region: Central Asia\ntitle: Again\n",
        ),
    );
    let run = build(&sb, "b.md", LIMIT);
    refused(
        &sb,
        &run,
        &[
            "`title` is given twice (first on line 2)",
            "b.md:4:1",
            "keep one `title:` line",
        ],
    );
    assert!(!run.stderr.contains("DuplicateKeyPolicy"), "{}", run.stderr);
}
