//! The command line end to end: the text edition, exit codes, every input error the
//! source format defines (located, exit 1, nothing written; one fixture each in
//! `tests/fixtures/errors/`), atomic outputs, determinism.

use crate::common::{self, brief, fixture, golden, root, Sandbox, CASES};

/// Build one source as text into `out/`.
fn build_txt(sb: &Sandbox, src: &str) -> common::Run {
    sb.run(&["build", src, "--out", "out", "--format", "txt"])
}

/// Assert a located error: exit 1, the message, `file:line:` and nothing written.
fn assert_error(sb: &Sandbox, run: &common::Run, message: &str, location: &str) {
    assert_eq!(run.code, 1, "exit code; stderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains(message),
        "expected {message:?} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(location),
        "expected location {location:?} in:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "no hint in:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        sb.files("out").is_empty(),
        "files written: {:?}",
        sb.files("out")
    );
}

#[test]
fn text_editions_match_their_goldens() {
    for case in CASES {
        let sb = Sandbox::new();
        let src = fixture(case);
        let run = sb.run(&[
            "build",
            src.to_str().unwrap_or(""),
            "--out",
            "out",
            "--format",
            "txt",
        ]);
        let run = run.expect_code(0);
        assert!(run.stderr.contains("wrote"), "{}", run.stderr);
        let stem = src.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let txt = std::fs::read_to_string(sb.path(&format!("out/{stem}.txt"))).expect("txt");
        assert!(
            txt.ends_with('\n') && !txt.ends_with("\n\n"),
            "one final newline"
        );
        assert!(!txt.contains('\r'), "LF only");
        for line in txt.lines() {
            let w = unicode_width::UnicodeWidthStr::width(line);
            let one_word = !line.trim().contains(' ');
            assert!(w <= 72 || one_word, "line wider than 72 columns: {line:?}");
        }
        golden(
            &root().join(format!("tests/fixtures/{case}/expected/{case}.txt")),
            &txt,
        );
    }
}

#[test]
fn seed_text_carries_the_seed_words() {
    let sb = Sandbox::new();
    let src = fixture("seed");
    build_txt(&sb, src.to_str().unwrap_or("")).expect_code(0);
    let txt = std::fs::read_to_string(sb.path("out/2016-11-china-tajikistan.txt")).expect("txt");
    for words in [
        "NATO Foundation",
        "Defense College",
        "CENTRAL ASIA",
        "November 2016",
        "China-Tajikistan military cooperation: changing traditional security",
        "Fabio Indeo",
        "spent $15 million",
        "militants and terrorist coming from",
        "Fabio Indeo – PhD holder in Geopolitics",
    ] {
        let flat = txt.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(words), "{words:?} missing");
    }
}

#[test]
fn check_accepts_the_text_edition_and_catches_a_changed_word() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/2016-11-china-tajikistan.md");
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    let run = sb.run(&["check"]).expect_code(0);
    assert!(
        run.stderr.contains("ok: dist/2016-11-china-tajikistan.txt"),
        "{}",
        run.stderr
    );
    let path = sb.path("dist/2016-11-china-tajikistan.txt");
    let txt = std::fs::read_to_string(&path).expect("txt");
    std::fs::write(&path, txt.replacen("porous", "porus", 1)).expect("tamper");
    let run = sb.run(&["check"]).expect_code(3);
    assert!(
        run.stderr.contains("expected \"porous\", found \"porus\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("txt (line "), "{}", run.stderr);
    let run = sb.run(&["check", "--json"]).expect_code(3);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["ok"], false);
}

#[test]
fn rebuilding_gives_identical_bytes() {
    let sb = Sandbox::new();
    for case in CASES {
        let src = fixture(case);
        let stem = src
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        build_txt(&sb, src.to_str().unwrap_or("")).expect_code(0);
        let a = std::fs::read(sb.path(&format!("out/{stem}.txt"))).expect("first");
        // Removed, so the second build makes it again rather than finding it up to date.
        std::fs::remove_file(sb.path(&format!("out/{stem}.txt"))).expect("rm");
        build_txt(&sb, src.to_str().unwrap_or("")).expect_code(0);
        let b = std::fs::read(sb.path(&format!("out/{stem}.txt"))).expect("second");
        assert_eq!(a, b, "{case}");
    }
}

/// Every input error the source format defines, one fixture each: the source
/// `tests/fixtures/errors/<case>.md` is built as `briefs/<case>.md` (beside copies of the
/// folder's other files, such as `not-an-image.png`), and must fail with exit 1, a hint,
/// nothing written, and the stderr of `<case>.stderr`, the build time left out
/// (`BLESS=1` rewrites it). A golden
/// without its source is an error, so none is left behind unread.
#[test]
fn input_errors_match_their_fixtures() {
    let dir = root().join("tests/fixtures/errors");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/errors")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let cases: Vec<&str> = names.iter().filter_map(|n| n.strip_suffix(".md")).collect();
    assert!(cases.len() >= 15, "fixtures: {cases:?}");
    for n in names.iter().filter_map(|n| n.strip_suffix(".stderr")) {
        assert!(cases.contains(&n), "{n}.stderr has no {n}.md");
    }
    for case in &cases {
        let sb = Sandbox::new();
        for other in names
            .iter()
            .filter(|n| !n.ends_with(".md") && !n.ends_with(".stderr"))
        {
            sb.copy(&dir.join(other), &format!("briefs/{other}"));
        }
        sb.copy(
            &dir.join(format!("{case}.md")),
            &format!("briefs/{case}.md"),
        );
        let run = build_txt(&sb, &format!("briefs/{case}.md"));
        let location = format!("briefs/{case}.md:");
        assert_error(&sb, &run, "error: ", &location);
        golden(
            &dir.join(format!("{case}.stderr")),
            &without_time(&run.stderr),
        );
    }
}

/// `text` with the time of the build's summary line (`0 built, 1 failed in 0.0 s`)
/// written as `<time>`, so a golden does not depend on the machine's speed.
fn without_time(text: &str) -> String {
    text.lines()
        .map(|l| match l.rsplit_once(" in ") {
            Some((head, t)) if head.contains(" failed") && t.ends_with(" s") => {
                format!("{head} in <time>\n")
            }
            _ => format!("{l}\n"),
        })
        .collect()
}

#[test]
fn twenty_thousand_nested_quotes_and_lists_fail_cleanly() {
    for (name, body) in [
        ("quotes", format!("{} deep\n", ">".repeat(20_000))),
        ("lists", format!("{}x\n", "- ".repeat(20_000))),
        (
            "emphasis",
            format!("{}x{}\n", "*".repeat(20_000), "*".repeat(20_000)),
        ),
    ] {
        let sb = Sandbox::new();
        sb.write("b.md", brief(&body));
        let run = build_txt(&sb, "b.md");
        assert!(
            run.stderr.lines().all(|l| l.chars().count() < 200),
            "{name}: long line"
        );
        assert_error(&sb, &run, "nesting deeper than 16 levels", "b.md:10:");
    }
}

#[test]
fn a_failed_build_keeps_the_previous_outputs() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    let before = std::fs::read(sb.path("dist/brief.txt")).expect("built");
    sb.write("source/brief.md", "no front matter\n");
    sb.run(&["build", "--format", "txt"]).expect_code(1);
    assert_eq!(
        std::fs::read(sb.path("dist/brief.txt")).expect("kept"),
        before
    );
    assert_eq!(
        sb.files("dist"),
        vec!["brief.manifest.json", "brief.txt"],
        "no temp files left"
    );
}

#[test]
fn source_date_epoch_is_validated() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    let run = sb.run_env(
        &["build", "--format", "txt"],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("SOURCE_DATE_EPOCH"), "{}", run.stderr);
    assert!(sb.files("dist").is_empty());
    // A valid value is the date written into the files; without it, the brief's date.
    // 1500000000 is 2017-07-14 02:40:00 UTC, worked out by hand.
    for (epoch, iso, pdf) in [
        (
            Some("1500000000"),
            "2017-07-14T02:40:00Z",
            "D:20170714024000",
        ),
        (None, "2016-11-01T00:00:00Z", "D:20161101000000"),
    ] {
        let env: Vec<(&str, &str)> = epoch
            .map(|e| ("SOURCE_DATE_EPOCH", e))
            .into_iter()
            .collect();
        sb.run_env(&["build", "--format", "pdf,epub"], &env)
            .expect_code(0);
        let (opf, zip_time) = epub_dates(&sb.path("dist/brief.epub"));
        assert!(
            opf.contains(&format!("<meta property=\"dcterms:modified\">{iso}</meta>")),
            "{epoch:?}: {opf}"
        );
        // ZIP times count seconds in twos, in the writer's local = UTC time.
        assert_eq!(zip_time, iso[..19].replace('T', " "), "{epoch:?}");
        let doc = lopdf::Document::load(sb.path("dist/brief.pdf")).expect("pdf");
        let info = doc
            .trailer
            .get(b"Info")
            .and_then(lopdf::Object::as_reference)
            .and_then(|r| doc.get_dictionary(r))
            .expect("info");
        for key in [&b"CreationDate"[..], b"ModDate"] {
            let v = info.get(key).and_then(lopdf::Object::as_str).expect("date");
            assert!(
                String::from_utf8_lossy(v).starts_with(pdf),
                "{epoch:?}: {} is {:?}",
                String::from_utf8_lossy(key),
                String::from_utf8_lossy(v)
            );
        }
    }
}

/// The package document of an EPUB and the time of its first entry, `YYYY-MM-DD hh:mm:ss`.
fn epub_dates(path: &std::path::Path) -> (String, String) {
    use std::io::Read;
    let bytes = std::fs::read(path).expect("epub");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let t = z.by_index(0).expect("entry").last_modified().expect("time");
    let time = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let name = (0..z.len())
        .filter_map(|i| z.by_index(i).ok().map(|f| f.name().to_owned()))
        .find(|n| n.ends_with(".opf"))
        .expect("opf");
    let mut opf = String::new();
    z.by_name(&name)
        .expect("opf")
        .read_to_string(&mut opf)
        .expect("read");
    (opf, time)
}

#[test]
fn usage_errors_exit_2() {
    let sb = Sandbox::new();
    sb.run(&["build", "--format", "docx"]).expect_code(2);
    sb.run(&["frobnicate"]).expect_code(2);
    sb.run(&["--help"]).expect_code(0);
}

#[test]
fn json_build_report_parses() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    let run = sb
        .run(&["build", "--format", "txt", "--json"])
        .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["built"][0]["outputs"][0]["format"], "txt");
    let run = sb.run(&["build", "missing.md", "--json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json error");
    assert_eq!(v["ok"], false);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    let run = sb
        .run(&["build", "--format", "txt", "--quiet"])
        .expect_code(0);
    assert!(run.stderr.is_empty() && run.stdout.is_empty());
}

#[test]
fn custom_house_style_changes_the_masthead() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    let toml = std::fs::read_to_string(root().join("branding/house.toml")).expect("house");
    let toml = toml
        .replace(
            "\"NATO Foundation\", \"Defense College\"",
            "\"Other Institute\"",
        )
        .replace("../fonts/", &format!("{}/fonts/", root().display()));
    sb.write("branding/house.toml", toml);
    sb.copy(&root().join("branding/logo.png"), "branding/logo.png");
    sb.run(&["--house", "branding/house.toml", "build", "--format", "txt"])
        .expect_code(0);
    let txt = std::fs::read_to_string(sb.path("dist/brief.txt")).expect("txt");
    assert!(txt.starts_with("Other Institute\n\nCENTRAL ASIA"), "{txt}");
    sb.write("bad.toml", "[page]\ncolums = 2\n");
    let run = sb.run(&["--house", "bad.toml", "build", "--format", "txt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("bad.toml:2:1") && run.stderr.contains("did you mean `columns`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_edition_failing_after_its_siblings_were_staged_leaves_nothing_behind() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    sb.run(&["build"]).expect_code(0);
    let before = sb.files("dist");
    let old_txt = std::fs::read(sb.path("dist/brief.txt")).expect("built");
    // A logo that is a PNG by its signature but damaged inside: the text and EPUB
    // editions render (and are staged), the PDF fails when the logo is prepared.
    let toml = std::fs::read_to_string(root().join("branding/house.toml")).expect("house");
    sb.write(
        "branding/house.toml",
        toml.replace("../fonts/", &format!("{}/fonts/", root().display())),
    );
    let logo = std::fs::read(root().join("branding/logo.png")).expect("logo");
    sb.write("branding/logo.png", &logo[..logo.len() / 2]);
    sb.write(
        "source/brief.md",
        std::fs::read_to_string(sb.path("source/brief.md"))
            .expect("source")
            .replace("In October", "Last October"),
    );
    let run = sb.run(&["--house", "branding/house.toml", "build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("image"), "{}", run.stderr);
    assert_eq!(sb.files("dist"), before, "no temporary or new files left");
    assert_eq!(
        std::fs::read(sb.path("dist/brief.txt")).expect("kept"),
        old_txt,
        "the previous text edition is kept"
    );
}

#[test]
fn parallel_builds_give_the_same_bytes_as_serial_ones() {
    let sb = Sandbox::new();
    for (i, case) in CASES.iter().enumerate() {
        for copy in 0..3 {
            sb.copy(&fixture(case), &format!("briefs/{i}-{copy}-{case}.md"));
        }
    }
    sb.copy(
        &root().join("tests/fixtures/constructs/chart.png"),
        "briefs/chart.png",
    );
    sb.copy(
        &root().join("tests/fixtures/constructs/photo.jpg"),
        "briefs/photo.jpg",
    );
    sb.run(&[
        "build", "briefs", "--out", "one", "--format", "txt", "--jobs", "1",
    ])
    .expect_code(0);
    sb.run(&[
        "build", "briefs", "--out", "two", "--format", "txt", "--jobs", "2",
    ])
    .expect_code(0);
    let one = sb.files("one");
    // Each brief: its text edition and its release manifest.
    assert_eq!(one.len(), CASES.len() * 3 * 2);
    assert_eq!(one, sb.files("two"));
    for f in one {
        let a = std::fs::read(sb.path(&format!("one/{f}"))).expect("one");
        let b = std::fs::read(sb.path(&format!("two/{f}"))).expect("two");
        assert_eq!(a, b, "{f}");
    }
    sb.run(&["build", "briefs", "--jobs", "0"]).expect_code(2);
}

/// A brief in a subfolder of the sources is built into the same subfolder of the output
/// folder, and `build --check` finds its source from there as `check` of the folder
/// does: it used to look for `dist/source/2024/brief.md` and fail the brief.
#[test]
fn build_check_finds_the_sources_of_briefs_in_subfolders() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/2024/brief.md");
    sb.copy(&fixture("seed"), "source/other.md");
    for out in ["dist", "out"] {
        let run = sb.run(&["build", "--check", "--out", out]).expect_code(0);
        for ext in ["pdf", "epub", "txt"] {
            let ok =
                format!("ok: {out}/2024/brief.{ext} carries the content of source/2024/brief.md");
            assert!(run.stderr.contains(&ok), "{}", run.stderr);
        }
        sb.run(&["check", out]).expect_code(0);
        // An edition named on its own, or its subfolder, is found below the output
        // folder by its manifest's source path.
        for named in [format!("{out}/2024/brief.pdf"), format!("{out}/2024")] {
            let run = sb.run(&["check", &named]).expect_code(0);
            assert!(
                run.stderr
                    .contains("carries the content of source/2024/brief.md"),
                "{}",
                run.stderr
            );
        }
    }
}

/// `build --check` checks every brief the build leaves in place, the ones it found up
/// to date too, from the files on disk: an edition edited after its build, with the
/// manifest's record of it edited to match (so the incremental build takes the brief
/// for up to date and writes nothing), fails it as it fails `check`.
#[test]
fn build_check_verifies_what_the_build_left_on_disk() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    let run = sb.run(&["build", "--check"]).expect_code(0);
    for ext in ["pdf", "epub", "txt"] {
        let ok = format!("ok: dist/brief.{ext} carries the content of source/brief.md");
        assert!(run.stderr.contains(&ok), "{}", run.stderr);
    }
    // With --json the build's document carries the check's report: the very one
    // `check --json` gives of the same folder.
    let run = sb.run(&["build", "--check", "--json"]).expect_code(0);
    let built: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(built["up_to_date"][0]["slug"], "brief");
    let alone = sb.run(&["check", "--json"]).expect_code(0);
    let alone: serde_json::Value = serde_json::from_str(&alone.stdout).expect("json");
    assert_eq!(built["check"], alone);

    let txt = sb.path("dist/brief.txt");
    let edited = std::fs::read_to_string(&txt)
        .expect("txt")
        .replacen("porous", "porus", 1);
    std::fs::write(&txt, &edited).expect("tamper");
    let manifest = sb.path("dist/brief.manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).expect("manifest")).expect("json");
    let Some(entry) = m["editions"]
        .as_array_mut()
        .and_then(|e| e.iter_mut().find(|e| e["format"] == "txt"))
    else {
        panic!("no txt edition in the manifest: {m}");
    };
    entry["sha256"] = serde_json::json!(common::sha256_hex(edited.as_bytes()));
    entry["bytes"] = serde_json::json!(edited.len());
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).expect("json")).expect("manifest");

    let run = sb.run(&["build", "--check"]).expect_code(3);
    assert!(
        run.stderr.contains("0 built, 1 up to date"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("expected \"porous\", found \"porus\""),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&txt).expect("txt"), edited);
    let run = sb.run(&["build", "--check", "--json"]).expect_code(3);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(
        (&v["ok"], &v["check"]["exit"]),
        (&serde_json::json!(false), &serde_json::json!(3))
    );
    // A brief that fails to build does not stop the others being checked; the exit
    // code is the higher one: here the mismatch's.
    sb.write("source/broken.md", "no front matter\n");
    let run = sb.run(&["build", "--check", "--json"]).expect_code(3);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["failed"][0]["source"], "source/broken.md");
    assert_eq!(
        v["check"]["briefs"].as_array().map(Vec::len),
        Some(1),
        "{v}"
    );
    // Once the edition is rebuilt, only the broken brief is wrong: exit 1.
    let run = sb.run(&["build", "--check", "--force"]).expect_code(1);
    assert!(
        run.stderr
            .contains("ok: dist/brief.txt carries the content"),
        "{}",
        run.stderr
    );
}
