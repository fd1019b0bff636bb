//! The author's day, through the real binary: `new` then `build` then `check`, a house
//! style of a few lines from another folder, `house init`, completions and the man
//! page, `--open`, the rules of `source/`, and diagnostics that fit a terminal.

use crate::common::{self, fixture, Sandbox};

const FORMATS: [&str; 3] = ["pdf", "epub", "txt"];

fn read(sb: &Sandbox, rel: &str) -> Vec<u8> {
    std::fs::read(sb.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn new_then_build_then_check_pass() {
    let sb = Sandbox::new();
    let run = sb
        .run_env(
            &["new", "2024-05-energy"],
            &[("SOURCE_DATE_EPOCH", "1714521600")],
        )
        .expect_code(0);
    assert!(
        run.stderr.contains("wrote source/2024-05-energy.md"),
        "{}",
        run.stderr
    );
    let text = String::from_utf8(read(&sb, "source/2024-05-energy.md")).expect("utf-8");
    // Dated from SOURCE_DATE_EPOCH (1 May 2024), never a fixed date.
    assert!(text.contains("\ndate: 2024-05\n"), "{text}");
    sb.run(&["build"]).expect_code(0);
    for ext in FORMATS {
        assert!(
            sb.path(&format!("dist/2024-05-energy.{ext}")).is_file(),
            "{ext}"
        );
    }
    let check = sb.run(&["check"]).expect_code(0);
    assert_eq!(check.stderr.matches("ok: ").count(), 3, "{}", check.stderr);
}

#[test]
fn new_refuses_to_overwrite_and_bad_slugs() {
    let sb = Sandbox::new();
    sb.write("source/taken.md", "my own words\n");
    let run = sb.run(&["new", "taken"]).expect_code(1);
    assert!(run.stderr.contains("source/taken.md"), "{}", run.stderr);
    assert!(run.stderr.contains("exists already"), "{}", run.stderr);
    assert_eq!(read(&sb, "source/taken.md"), b"my own words\n");
    for bad in [
        "Upper",
        "with space",
        "_draft",
        "../escape",
        "x.md",
        "x-",
        "readme",
    ] {
        let run = sb.run(&["new", bad]).expect_code(2);
        assert!(
            run.stderr.contains("cannot name a brief"),
            "{bad}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"), "{bad}: {}", run.stderr);
    }
    assert_eq!(sb.files("source"), ["taken.md"]);
    assert!(!sb.path("escape.md").exists());
}

/// The seed brief built with the built-in style and with `house` (a path in the
/// sandbox); returns the three editions of each.
fn build_both(sb: &Sandbox, house: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    sb.run(&["build", "source/seed.md", "--out", "plain"])
        .expect_code(0);
    sb.run(&[
        "--house",
        house,
        "build",
        "source/seed.md",
        "--out",
        "styled",
    ])
    .expect_code(0);
    FORMATS
        .iter()
        .map(|ext| {
            (
                read(sb, &format!("plain/seed.{ext}")),
                read(sb, &format!("styled/seed.{ext}")),
            )
        })
        .collect()
}

#[test]
fn a_two_line_house_file_from_another_folder_keeps_the_built_in_fonts_and_logo() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/seed.md");
    sb.write(
        "elsewhere/deep/house.toml",
        "[colours]\nblue = \"#7A1F1F\"\n",
    );
    let house = sb.path("elsewhere/deep/house.toml");
    let editions = build_both(&sb, house.to_str().expect("utf-8 path"));
    // The colour changed the PDF; the words are the same, so the text edition is too.
    assert_ne!(
        editions[0].0, editions[0].1,
        "the PDF should use the new blue"
    );
    assert_eq!(editions[2].0, editions[2].1);
    let check = sb
        .run(&[
            "--house",
            house.to_str().unwrap_or(""),
            "check",
            "styled",
            "--source",
            "source",
        ])
        .expect_code(0);
    assert!(check.stderr.contains("ok: "), "{}", check.stderr);
}

/// A house file that holds part of a section (and leaves the other sections out) falls
/// back to the built-in `house.toml` key by key: stating built-in values gives the
/// built-in editions byte for byte, and changing one key of a section keeps the rest
/// of that section (only the text edition's width changes here).
#[test]
fn a_partial_house_file_falls_back_to_the_built_in_one_key_by_key() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/seed.md");
    sb.write(
        "same/house.toml",
        "[page]\ncolumns = 2\n\n[title]\nsize = 22.0\n",
    );
    for (ext, (plain, styled)) in FORMATS.iter().zip(build_both(&sb, "same/house.toml")) {
        assert!(plain == styled, "{ext}: built-in values restated change it");
    }
    sb.write("narrow/house.toml", "[text]\nwidth = 40\n");
    let editions = build_both(&sb, "narrow/house.toml");
    assert!(
        editions[0].0 == editions[0].1,
        "the PDF keeps the built-in style"
    );
    let text = String::from_utf8(editions[2].1.clone()).expect("utf-8");
    assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
    assert!(
        editions[2].0 != editions[2].1,
        "the text edition is narrower"
    );
}

#[test]
fn a_house_file_that_names_a_file_reads_it_beside_itself() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/seed.md");
    sb.write("h/house.toml", "[masthead]\nlogo = \"mine.png\"\n");
    let run = sb
        .run(&["--house", "h/house.toml", "build", "source/seed.md"])
        .expect_code(1);
    assert!(run.stderr.contains("h/mine.png"), "{}", run.stderr);
}

#[test]
fn house_init_writes_an_editable_copy_that_builds_identically() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/seed.md");
    let run = sb.run(&["house", "init", "style"]).expect_code(0);
    assert!(
        run.stderr.contains("wrote style/house.toml"),
        "{}",
        run.stderr
    );
    assert!(sb.path("style/logo.png").is_file());
    assert!(
        sb.path("style/fonts/OFL.txt").is_file(),
        "the fonts' licence travels with them"
    );
    assert!(sb.path("style/fonts/NotoSerif-Regular.ttf").is_file());
    let toml = String::from_utf8(read(&sb, "style/house.toml")).expect("utf-8");
    assert!(toml.contains("\"fonts/NotoSerif-Regular.ttf\""), "{toml}");
    assert!(!toml.contains("../fonts"), "{toml}");
    for (ext, (plain, styled)) in FORMATS.iter().zip(build_both(&sb, "style/house.toml")) {
        assert!(
            plain == styled,
            "{ext} differs between the built-in style and its copy"
        );
    }
    // A second init refuses before writing anything, and the edited copy is kept.
    sb.write("style/house.toml", "[colours]\nblue = \"#000000\"\n");
    let again = sb.run(&["house", "init", "style"]).expect_code(1);
    assert!(
        again.stderr.contains("style/house.toml"),
        "{}",
        again.stderr
    );
    assert_eq!(
        read(&sb, "style/house.toml"),
        b"[colours]\nblue = \"#000000\"\n"
    );
}

#[test]
fn completions_and_the_man_page() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = sb.run(&["completions", shell]).expect_code(0);
        for word in [
            "briefpress",
            "build",
            "check",
            "new",
            "house",
            "completions",
        ] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    sb.run(&["completions", "tcsh"]).expect_code(2);
    let man = sb.run(&["man"]).expect_code(0);
    assert!(man.stdout.contains(".TH briefpress 1"), "{}", man.stdout);
    for word in [".SH SYNOPSIS", "build", "check", "completions", "house"] {
        assert!(man.stdout.contains(word), "man page lacks {word}");
    }
    // Every page the main one refers to (briefpress-build(1), …) can be written.
    sb.run(&["man", "--out", "man1"]).expect_code(0);
    let pages = sb.files("man1");
    for page in [
        "briefpress.1",
        "briefpress-build.1",
        "briefpress-check.1",
        "briefpress-new.1",
        "briefpress-house-init.1",
    ] {
        assert!(pages.iter().any(|p| p == page), "{page} not in {pages:?}");
    }
    let build = std::fs::read_to_string(sb.path("man1/briefpress-build.1")).expect("page");
    assert!(build.contains("\\-\\-set"), "{build}");
}

/// A fake `xdg-open` (and `open`, for macOS) on PATH that records what it was asked to
/// open in `opened.txt`, or fails when `fail` is set.
fn fake_opener(sb: &Sandbox, fail: bool) -> String {
    use std::os::unix::fs::PermissionsExt;
    let log = sb.path("opened.txt");
    let script = if fail {
        "#!/bin/sh\nexit 4\n".to_owned()
    } else {
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", log.display())
    };
    for name in ["xdg-open", "open"] {
        let p = sb.write(&format!("bin/{name}"), &script);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    format!(
        "{}:{}",
        sb.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn open_hands_the_built_pdf_to_the_viewer() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/seed.md");
    let path = fake_opener(&sb, false);
    sb.run_env(&["build", "--open"], &[("PATH", &path)])
        .expect_code(0);
    let opened = std::fs::read_to_string(sb.path("opened.txt")).expect("the opener ran");
    assert_eq!(opened, "dist/seed.pdf\n");

    // Several briefs: which one to open is asked for, nothing is opened.
    sb.copy(&fixture("seed"), "source/other.md");
    let run = sb
        .run_env(&["build", "--open"], &[("PATH", &path)])
        .expect_code(2);
    assert!(
        run.stderr.contains("hint: name the brief"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(sb.path("opened.txt"))
            .ok()
            .as_deref(),
        Some(opened.as_str())
    );

    // Without the PDF edition there is nothing to open.
    sb.run_env(&["build", "--open", "--format", "txt"], &[("PATH", &path)])
        .expect_code(2);

    // A viewer that fails: the build stands, the error says where the PDF is.
    let failing = fake_opener(&sb, true);
    let run = sb
        .run_env(
            &["build", "--open", "source/seed.md"],
            &[("PATH", &failing)],
        )
        .expect_code(1);
    assert!(
        run.stderr
            .contains("dist/seed.pdf was built but could not be opened"),
        "{}",
        run.stderr
    );
    assert!(sb.path("dist/seed.pdf").is_file());
}

#[test]
fn source_subfolders_are_mirrored_and_only_briefs_are_built() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/top.md");
    sb.copy(&fixture("seed"), "source/2024/deep.md");
    sb.copy(&fixture("seed"), "source/2025/q1/shout.MD");
    sb.write(
        "source/README.md",
        "# Notes about this folder, not a brief\n",
    );
    sb.write("source/2024/readme.md", "not a brief either\n");
    sb.write("source/_draft.md", "half a thought\n");
    sb.write("source/_partials/bit.md", "a fragment\n");
    sb.write("source/notes.txt", "not Markdown\n");
    let run = sb.run(&["build"]).expect_code(0);
    assert!(run.stderr.contains("3 briefs built"), "{}", run.stderr);
    for (dir, slug) in [
        ("dist", "top"),
        ("dist/2024", "deep"),
        ("dist/2025/q1", "shout"),
    ] {
        for ext in FORMATS {
            assert!(
                sb.path(&format!("{dir}/{slug}.{ext}")).is_file(),
                "{dir}/{slug}.{ext}"
            );
        }
    }
    for stray in ["README", "readme", "_draft", "bit", "notes"] {
        assert!(
            !run.stderr.contains(&format!("/{stray}.")),
            "{stray}: {}",
            run.stderr
        );
    }
    // `check` walks the subfolders and finds each brief's source through its manifest.
    let check = sb.run(&["check"]).expect_code(0);
    assert_eq!(check.stderr.matches("ok: ").count(), 9, "{}", check.stderr);
    assert!(
        check.stderr.contains("source/2025/q1/shout.MD"),
        "{}",
        check.stderr
    );
    let json = sb.run(&["check", "--json"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["briefs"].as_array().map(Vec::len), Some(3));

    // The same slug in two subfolders is refused before anything is written.
    sb.copy(&fixture("seed"), "source/2025/top.md");
    let run = sb.run(&["build", "--out", "again"]).expect_code(2);
    assert!(
        run.stderr.contains("both have the slug \"top\""),
        "{}",
        run.stderr
    );
    assert!(!sb.path("again/top.pdf").exists());
}

#[test]
fn nothing_to_build_or_check_is_one_kind_of_exit_with_a_hint() {
    let sb = Sandbox::new();
    let missing = sb.run(&["build"]).expect_code(1);
    assert!(
        missing.stderr.contains("error: source does not exist"),
        "{}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("pass a brief's file"),
        "{}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("briefpress new SLUG"),
        "{}",
        missing.stderr
    );
    sb.write("source/README.md", "# not a brief\n");
    let empty = sb.run(&["build"]).expect_code(1);
    assert!(
        empty.stderr.contains("source holds no briefs"),
        "{}",
        empty.stderr
    );
    assert!(empty.stderr.contains("hint:"), "{}", empty.stderr);
    for run in [&missing, &empty] {
        assert_eq!(run.stderr.matches("hint:").count(), 1, "{}", run.stderr);
    }
    let no_dist = sb.run(&["check"]).expect_code(1);
    assert!(
        no_dist.stderr.contains("error: dist does not exist"),
        "{}",
        no_dist.stderr
    );
    assert!(
        no_dist.stderr.contains("briefpress build"),
        "{}",
        no_dist.stderr
    );
    std::fs::create_dir(sb.path("dist")).expect("mkdir");
    let empty_dist = sb.run(&["check"]).expect_code(1);
    assert!(
        empty_dist.stderr.contains("briefpress build"),
        "{}",
        empty_dist.stderr
    );
}

#[test]
fn diagnostics_are_coloured_only_for_a_terminal_and_never_with_no_color() {
    let sb = Sandbox::new();
    sb.write("source/bad.md", "---\ntitle: x\n---\n\n<b>hi</b>\n");
    const ESC: char = '\u{1b}';
    // Piped (as here): plain text.
    let piped = sb.run(&["build"]).expect_code(1);
    assert!(piped.stderr.contains("error: "), "{}", piped.stderr);
    assert!(!piped.stderr.contains(ESC), "{:?}", piped.stderr);
    // As if on a terminal: colours, the same words once they are taken out.
    let forced = sb
        .run_env(&["build"], &[("CLICOLOR_FORCE", "1")])
        .expect_code(1);
    assert!(
        forced.stderr.contains(&format!("{ESC}[")),
        "{:?}",
        forced.stderr
    );
    assert!(forced.stderr.contains("error"), "{:?}", forced.stderr);
    // NO_COLOR wins.
    let none = sb
        .run_env(&["build"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
        .expect_code(1);
    assert!(!none.stderr.contains(ESC), "{:?}", none.stderr);
    // The same text but for the timing of the summary line.
    let body = |s: &str| {
        s.lines()
            .filter(|l| !l.contains(" failed in "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&none.stderr), body(&piped.stderr));
    // The check report too: its `ok:` lines are green on a terminal, plain when piped.
    std::fs::remove_file(sb.path("source/bad.md")).expect("rm");
    sb.copy(&fixture("seed"), "source/good.md");
    sb.run(&["build"]).expect_code(0);
    let check = sb
        .run_env(&["check"], &[("CLICOLOR_FORCE", "1")])
        .expect_code(0);
    assert!(
        check.stderr.contains(&format!("{ESC}[")),
        "{:?}",
        check.stderr
    );
    let plain = sb.run(&["check"]).expect_code(0);
    assert!(plain.stderr.starts_with("ok: "), "{:?}", plain.stderr);
    sb.write("source/bad.md", "---\ntitle: x\n---\n\n<b>hi</b>\n");
    // JSON is never coloured.
    let json = sb
        .run_env(&["build", "--json"], &[("CLICOLOR_FORCE", "1")])
        .expect_code(1);
    assert!(!json.stdout.contains(ESC), "{:?}", json.stdout);
}

#[test]
fn a_read_only_output_folder_gives_its_hint_once_with_subfolders_too() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/a.md");
    sb.copy(&fixture("seed"), "source/2024/b.md");
    sb.copy(&fixture("seed"), "source/2025/c.md");
    let dist = sb.path("dist");
    std::fs::create_dir(&dist).expect("mkdir");
    let immutable = common::read_only_folder(&dist);
    let run = sb.run(&["build"]);
    common::undo_read_only(&dist, immutable);
    let run = run.expect_code(1);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("hint:").count(), 1, "{}", run.stderr);
}

#[test]
fn set_overrides_front_matter_for_one_build_and_check_agrees() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/seed.md");
    let before = read(&sb, "source/seed.md");
    sb.run(&[
        "build",
        "--set",
        "title=An Overridden Title",
        "--set",
        "date=2019-03",
    ])
    .expect_code(0);
    assert_eq!(
        read(&sb, "source/seed.md"),
        before,
        "the source is not touched"
    );
    let txt = String::from_utf8(read(&sb, "dist/seed.txt")).expect("utf-8");
    assert!(txt.contains("An Overridden Title"), "{txt}");
    assert!(txt.contains("March 2019"), "{txt}");
    assert!(
        !txt.contains("China-Tajikistan military cooperation"),
        "{txt}"
    );
    // The manifest records what was built, and check applies it again.
    let m: serde_json::Value =
        serde_json::from_slice(&read(&sb, "dist/seed.manifest.json")).expect("manifest");
    assert_eq!(
        m["overrides"],
        serde_json::json!([
            {"key": "title", "value": "An Overridden Title"},
            {"key": "date", "value": "2019-03"}
        ])
    );
    sb.run(&["check", "--require-manifest"]).expect_code(0);
    // Without --set the manifest has no `overrides` at all.
    sb.run(&["build", "--out", "plain"]).expect_code(0);
    let plain: serde_json::Value =
        serde_json::from_slice(&read(&sb, "plain/seed.manifest.json")).expect("manifest");
    assert!(plain.get("overrides").is_none(), "{plain}");

    // Unknown keys and bad values are usage errors that name the option.
    let typo = sb.run(&["build", "--set", "titel=x"]).expect_code(2);
    assert!(typo.stderr.contains("--set"), "{}", typo.stderr);
    assert!(
        typo.stderr.contains("did you mean `title`?"),
        "{}",
        typo.stderr
    );
    let date = sb.run(&["build", "--set", "date=2019-13"]).expect_code(2);
    assert!(
        date.stderr.contains("there is no month 13"),
        "{}",
        date.stderr
    );
    sb.run(&["build", "--set", "authors=x"]).expect_code(2);
    sb.run(&["build", "--set", "title"]).expect_code(2);
    // A value the fonts cannot set is a located error in the brief, as in the source.
    let glyph = sb.run(&["build", "--set", "title=\u{1F600} smile"]);
    let glyph = glyph.expect_code(1);
    assert!(
        glyph.stderr.contains("--> source/seed.md:2:"),
        "{}",
        glyph.stderr
    );
    assert!(glyph.stderr.contains("U+1F600"), "{}", glyph.stderr);
    assert!(
        glyph.stderr.contains("this value comes from --set title="),
        "{}",
        glyph.stderr
    );
}
