//! README promises that no other test held: the 4 MiB cap on a source (built directly
//! or named by a manifest), the 32 MiB cap on an image file, and `check` refusing an
//! encrypted PDF. Each cap is probed on both sides of its boundary, so a cap moved or
//! dropped fails.

use crate::common::{self, brief, fixture, Sandbox};

const SOURCE_CAP: usize = 4 << 20;
const IMAGE_CAP: usize = 32 << 20;

#[test]
fn a_source_over_4_mib_is_refused_for_its_size_and_one_of_4_mib_is_read() {
    let sb = Sandbox::new();
    // Exactly 4 MiB is read (and refused for what it says: no front matter); one byte
    // more is refused for its size before anything is parsed.
    for (len, refused_for_size) in [(SOURCE_CAP, false), (SOURCE_CAP + 1, true)] {
        sb.write("source/big.md", vec![b'a'; len]);
        let run = sb.run(&["build"]).expect_code(1);
        let size = run.stderr.contains("larger than the limit");
        assert_eq!(size, refused_for_size, "{len} bytes:\n{}", run.stderr);
        if size {
            let limit = format!("larger than the limit of {SOURCE_CAP} bytes");
            assert!(run.stderr.contains(&limit), "{}", run.stderr);
        }
        assert!(run.stderr.contains("source/big.md"), "{}", run.stderr);
        assert!(sb.files("dist").iter().all(|f| !f.starts_with("big.")));
    }
}

#[test]
fn an_image_file_over_32_mib_is_refused_at_its_reference() {
    let sb = Sandbox::new();
    sb.write(
        "source/b.md",
        brief("Text.\n\n![A chart](chart.png)\n\nMore text.\n"),
    );
    for (len, refused_for_size) in [(IMAGE_CAP, false), (IMAGE_CAP + 1, true)] {
        // A PNG signature and zeros: damaged, so the file of exactly 32 MiB is read and
        // then refused as an image, the larger one for its size.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.resize(len, 0);
        sb.write("source/chart.png", png);
        let run = sb.run(&["build"]).expect_code(1);
        let size = run.stderr.contains("is larger than");
        assert_eq!(size, refused_for_size, "{len} bytes:\n{}", run.stderr);
        if size {
            assert!(
                run.stderr.contains("is larger than 32 MiB"),
                "{}",
                run.stderr
            );
        }
        // The figure is on line 12 of the brief (8 lines of front matter, a blank,
        // "Text.", a blank).
        assert!(run.stderr.contains("--> source/b.md:12:"), "{}", run.stderr);
        assert!(sb.files("dist").is_empty(), "{:?}", sb.files("dist"));
    }
}

#[test]
fn check_refuses_a_source_over_4_mib_named_by_a_manifest() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    // The source grows past the cap after the build: check reads no more than the cap
    // and names the manifest's field.
    let mut text = std::fs::read(sb.path("source/brief.md")).expect("read");
    text.resize(SOURCE_CAP + 1, b' ');
    sb.write("source/brief.md", text);
    let run = sb.run(&["check", "dist"]).expect_code(1);
    assert!(
        run.stderr.contains("brief.manifest.json") && run.stderr.contains("source.path"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_refuses_an_encrypted_pdf() {
    if !common::need_tool("qpdf") {
        return;
    }
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    sb.run(&["build", "--format", "pdf"]).expect_code(0);
    // An empty user password: any viewer opens it without asking, yet it is encrypted.
    let out = std::process::Command::new("qpdf")
        .args(["--encrypt", "", "owner", "256", "--"])
        .arg(sb.path("dist/brief.pdf"))
        .arg(sb.path("encrypted.pdf"))
        .output()
        .expect("run qpdf");
    assert!(out.status.success(), "qpdf --encrypt: {out:?}");
    std::fs::rename(sb.path("encrypted.pdf"), sb.path("dist/brief.pdf")).expect("rename");
    let run = sb
        .run(&["check", "dist/brief.pdf", "--source", "source"])
        .expect_code(1);
    assert!(
        run.stderr.to_lowercase().contains("encrypt"),
        "{}",
        run.stderr
    );
}
