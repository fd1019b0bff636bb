//! The release manager's day, through the real binary: a folder build reports every
//! brief (what was built, each failure with its located errors, a closing summary), in
//! text and in `--json`; dates follow the brief's language.

use crate::common::Sandbox;

fn brief(title: &str, lang: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nregion: Central Asia\ndate: 2016-11\nlang: {lang}\nauthors:\n  - name: A B\n    bio: Bio.\n---\n\n{body}\n"
    )
}

/// Three good briefs and two broken ones in `source/`.
fn folder() -> Sandbox {
    let sb = Sandbox::new();
    for n in ["a", "b", "c"] {
        sb.write(
            &format!("source/{n}.md"),
            brief(&format!("Brief {n}"), "en", "Some words."),
        );
    }
    sb.write(
        "source/d.md",
        brief("Broken d", "en", "A ~~struck~~ word and $x$ math."),
    );
    sb.write("source/e.md", "no front matter here\n");
    sb
}

#[test]
fn a_folder_build_reports_every_brief_and_a_summary() {
    let sb = folder();
    let run = sb.run(&["build"]).expect_code(1);
    // The good briefs were built and said so.
    for n in ["a", "b", "c"] {
        assert!(sb.path(&format!("dist/{n}.pdf")).is_file(), "{n}");
        assert!(
            run.stderr.contains(&format!("wrote dist/{n}.pdf")),
            "{}",
            run.stderr
        );
    }
    // Each failure with its place, and nothing of the failed briefs written.
    assert!(run.stderr.contains("--> source/d.md:11:"), "{}", run.stderr);
    assert!(run.stderr.contains("source/e.md"), "{}", run.stderr);
    assert!(!sb.path("dist/d.pdf").exists() && !sb.path("dist/e.pdf").exists());
    // The last line sums it up.
    let last = run.stderr.trim_end().lines().last().unwrap_or("");
    assert!(last.starts_with("3 built, 2 failed in "), "{last:?}");
    assert!(last.ends_with(" s"), "{last:?}");

    // With --quiet, only the failures and the summary (the good briefs are now up to
    // date).
    let quiet = sb.run(&["--quiet", "build"]).expect_code(1);
    assert!(!quiet.stderr.contains("wrote"), "{}", quiet.stderr);
    assert!(
        quiet.stderr.contains("0 built, 2 failed, 3 up to date"),
        "{}",
        quiet.stderr
    );
}

#[test]
fn a_folder_build_in_json_lists_built_and_failed_briefs() {
    let sb = folder();
    let run = sb.run(&["build", "--json"]).expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["ok"], false);
    let built = v["built"].as_array().expect("built");
    assert_eq!(built.len(), 3);
    for b in built {
        for o in b["outputs"].as_array().expect("outputs") {
            let sha = o["sha256"].as_str().expect("sha256");
            assert_eq!(sha.len(), 64, "{o}");
        }
    }
    let failed = v["failed"].as_array().expect("failed");
    assert_eq!(failed.len(), 2);
    let d = failed
        .iter()
        .find(|f| f["source"].as_str().is_some_and(|s| s.ends_with("d.md")))
        .expect("d failed");
    let errors = d["errors"].as_array().expect("errors");
    // Both problems of d are there, each located with a hint.
    assert_eq!(errors.len(), 2, "{d}");
    for e in errors {
        assert_eq!(e["line"], 11, "{e}");
        assert!(e["column"].as_u64().is_some_and(|c| c > 1), "{e}");
        assert!(e["hint"].as_str().is_some_and(|h| !h.is_empty()), "{e}");
        assert!(
            e["file"].as_str().is_some_and(|f| f.ends_with("d.md")),
            "{e}"
        );
    }
    assert!(v["summary"]
        .as_str()
        .is_some_and(|s| s.starts_with("3 built, 2 failed")));
    // A clean build says how many in how long.
    let ok = Sandbox::new();
    ok.write("source/a.md", brief("Brief a", "en", "Words."));
    let run = ok.run(&["build"]).expect_code(0);
    let last = run.stderr.trim_end().lines().last().unwrap_or("");
    assert!(last.starts_with("1 brief built in "), "{last:?}");
}

#[test]
fn dates_are_written_in_the_brief_language_or_refused() {
    let sb = Sandbox::new();
    sb.write("source/ru.md", brief("Бриф", "ru", "Текст."));
    sb.write("source/tr.md", brief("Rapor", "tr", "Metin."));
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    // CLDR keeps "2016 г." together with a no-break space; compare words, not spaces.
    let spaces = |t: String| t.replace(['\u{a0}', '\u{202f}'], " ");
    let ru = spaces(std::fs::read_to_string(sb.path("dist/ru.txt")).expect("ru"));
    assert!(ru.contains("ноябрь 2016 г."), "{ru}");
    let tr = spaces(std::fs::read_to_string(sb.path("dist/tr.txt")).expect("tr"));
    assert!(tr.contains("Kasım 2016"), "{tr}");
    sb.run(&["check"]).expect_code(0);

    // A language with no date data, and one whose date the house fonts cannot set.
    let bad = Sandbox::new();
    bad.write("source/xx.md", brief("T", "xx", "Words."));
    bad.write("source/zh.md", brief("T", "zh", "Words."));
    let run = bad.run(&["build"]).expect_code(1);
    assert!(
        run.stderr.contains("cannot write dates in `lang: xx`")
            && run.stderr.contains("--> source/xx.md:5:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("in the date as `lang: zh` writes it")
            && run.stderr.contains("--> source/zh.md:5:1"),
        "{}",
        run.stderr
    );
}
