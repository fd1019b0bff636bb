//! The author's day, through the real binary: incremental builds (up-to-date briefs are
//! skipped, `--force` rebuilds), `check` after a partial build and with a brief whose
//! source is gone, `clean` and `build --prune` after a rename, and `watch` picking up
//! an edit.

use crate::common::{self, brief, fixture, Sandbox};

use std::io::BufRead;
use std::time::{Duration, Instant};

/// `source/a.md`, `b.md`, `c.md`, each with its own words.
fn three() -> Sandbox {
    let sb = Sandbox::new();
    for n in ["a", "b", "c"] {
        sb.write(
            &format!("source/{n}.md"),
            brief(&format!("The words of brief {n}.\n")),
        );
    }
    sb
}

fn last_line(s: &str) -> &str {
    s.trim_end().lines().last().unwrap_or("")
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).expect("json")
}

#[test]
fn unchanged_briefs_are_up_to_date_and_force_rebuilds() {
    let sb = three();
    sb.run(&["build"]).expect_code(0);
    let pdf = std::fs::read(sb.path("dist/a.pdf")).expect("pdf");

    let again = sb.run(&["build"]).expect_code(0);
    assert!(!again.stderr.contains("wrote"), "{}", again.stderr);
    assert!(
        last_line(&again.stderr).starts_with("0 built, 3 up to date in "),
        "{}",
        again.stderr
    );
    // Listed in --json, with the recorded digests.
    let v = json(&sb.run(&["build", "--json"]).expect_code(0).stdout);
    assert_eq!(v["ok"], true);
    assert_eq!(v["built"].as_array().map(Vec::len), Some(0));
    let fresh = v["up_to_date"].as_array().expect("up_to_date");
    assert_eq!(fresh.len(), 3);
    let a_pdf = &fresh[0]["outputs"][0];
    assert_eq!(a_pdf["path"], "dist/a.pdf");
    assert_eq!(a_pdf["bytes"], pdf.len());
    assert_eq!(a_pdf["sha256"].as_str().map(str::len), Some(64));

    // An edited source: that brief alone is built.
    sb.write("source/b.md", brief("The words of brief b, edited.\n"));
    let run = sb.run(&["build"]).expect_code(0);
    assert!(run.stderr.contains("wrote dist/b.pdf"), "{}", run.stderr);
    assert!(!run.stderr.contains("wrote dist/a."), "{}", run.stderr);
    assert!(
        last_line(&run.stderr).starts_with("1 built, 2 up to date"),
        "{}",
        run.stderr
    );

    // An edition that no longer has its recorded digest is built again, byte for byte.
    std::fs::write(sb.path("dist/c.txt"), "tampered\n").expect("write");
    let run = sb.run(&["build"]).expect_code(0);
    assert!(run.stderr.contains("wrote dist/c.txt"), "{}", run.stderr);
    assert!(last_line(&run.stderr).starts_with("1 built, 2 up to date"));
    // So is one that is gone.
    std::fs::remove_file(sb.path("dist/a.epub")).expect("rm");
    let run = sb.run(&["build"]).expect_code(0);
    assert!(run.stderr.contains("wrote dist/a.epub"), "{}", run.stderr);

    // Other options, another date, or --force: every brief is built again.
    for (args, env) in [
        (&["build", "--edition", "print"][..], &[][..]),
        (
            &["build", "--edition", "print"][..],
            &[("SOURCE_DATE_EPOCH", "1500000000")][..],
        ),
        (
            &["build", "--edition", "print", "--force"][..],
            &[("SOURCE_DATE_EPOCH", "1500000000")][..],
        ),
    ] {
        let run = sb.run_env(args, env).expect_code(0);
        assert!(
            last_line(&run.stderr).starts_with("3 briefs built in "),
            "{args:?} {env:?}: {}",
            run.stderr
        );
    }
    // The same date again: up to date; unset, the brief's own date: built again.
    let run = sb
        .run_env(
            &["build", "--edition", "print"],
            &[("SOURCE_DATE_EPOCH", "1500000000")],
        )
        .expect_code(0);
    assert!(last_line(&run.stderr).starts_with("0 built, 3 up to date"));
    let run = sb.run(&["build", "--edition", "print"]).expect_code(0);
    assert!(
        last_line(&run.stderr).starts_with("3 briefs built"),
        "{}",
        run.stderr
    );
    // The editions of a skipped build are the editions a full build writes.
    sb.run(&["build"]).expect_code(0);
    assert_eq!(std::fs::read(sb.path("dist/a.pdf")).expect("pdf"), pdf);
    sb.run(&["check", "--require-manifest"]).expect_code(0);
}

#[test]
fn a_changed_figure_makes_its_brief_out_of_date() {
    let sb = Sandbox::new();
    let case = fixture("constructs");
    let dir = case.parent().expect("folder");
    sb.copy(&case, "source/constructs.md");
    sb.copy(&dir.join("chart.png"), "source/chart.png");
    sb.copy(&dir.join("photo.jpg"), "source/photo.jpg");
    sb.run(&["build", "--format", "txt,epub"]).expect_code(0);
    let run = sb.run(&["build", "--format", "txt,epub"]).expect_code(0);
    assert!(last_line(&run.stderr).starts_with("0 built, 1 up to date"));
    // The photo replaced by the chart: same source bytes, another figure.
    sb.copy(&dir.join("chart.png"), "source/photo.jpg");
    let run = sb.run(&["build", "--format", "txt,epub"]);
    assert!(
        !last_line(&run.stderr).contains("up to date"),
        "{}",
        run.stderr
    );
}

/// The same version number can be other code (between releases, on a developer's
/// machine after a pull): a manifest written by other code, or by a briefpress from
/// before the code was recorded, makes its brief out of date.
#[test]
fn a_manifest_from_other_code_makes_its_brief_out_of_date() {
    let sb = three();
    sb.run(&["build"]).expect_code(0);
    let path = sb.path("dist/a.manifest.json");
    // Edit a's build record, rebuild, and return the record as the rebuild wrote it.
    let edit_and_rebuild = |edit: &dyn Fn(&mut serde_json::Map<String, serde_json::Value>)| {
        let mut m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("manifest")).expect("json");
        edit(m["build"].as_object_mut().expect("build record"));
        std::fs::write(&path, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
        let run = sb.run(&["build"]).expect_code(0);
        assert!(
            last_line(&run.stderr).starts_with("1 built, 2 up to date"),
            "{}",
            run.stderr
        );
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("manifest")).expect("json");
        m["build"].clone()
    };
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("manifest")).expect("json");
    let code = m["build"]["code"]
        .as_str()
        .expect("code recorded")
        .to_owned();
    assert_eq!(code.len(), 64, "{code}");
    // Another code's record; rebuilt, it records this code again.
    let record = edit_and_rebuild(&|b| {
        b.insert("code".into(), "0".repeat(64).into());
    });
    assert_eq!(record["code"].as_str(), Some(code.as_str()));
    // Without the key, as an older briefpress wrote it, the brief is rebuilt too.
    edit_and_rebuild(&|b| {
        b.remove("code");
    });
    sb.run(&["check", "--require-manifest"]).expect_code(0);
}

#[test]
fn check_passes_after_a_partial_build_and_names_the_extra_files() {
    let sb = three();
    sb.run(&["build"]).expect_code(0);
    sb.run(&["build", "--format", "pdf"]).expect_code(0);
    let run = sb.run(&["check", "--require-manifest"]).expect_code(0);
    for n in ["a", "b", "c"] {
        assert!(
            run.stderr.contains(&format!(
                "extra: dist/{n}.epub is not in dist/{n}.manifest.json"
            )),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(&format!("ok: dist/{n}.pdf carries")));
        assert!(!run.stderr.contains(&format!("ok: dist/{n}.txt")));
    }
    let v = json(&sb.run(&["check", "--json"]).expect_code(0).stdout);
    assert_eq!(v["ok"], true);
    let a = &v["briefs"][0];
    assert_eq!(a["extra"], serde_json::json!(["dist/a.epub", "dist/a.txt"]));
    assert_eq!(a["editions"].as_array().map(Vec::len), Some(1));
    // A changed extra file is not checked, so it is no mismatch either; the PDF still is.
    std::fs::write(sb.path("dist/a.txt"), "other words\n").expect("write");
    sb.run(&["check"]).expect_code(0);
    std::fs::write(sb.path("dist/a.pdf"), "not a pdf").expect("write");
    sb.run(&["check"]).expect_code(1);
}

#[test]
fn check_reports_every_brief_when_one_source_is_gone() {
    let sb = three();
    sb.run(&["build"]).expect_code(0);
    std::fs::remove_file(sb.path("source/b.md")).expect("rm");
    let run = sb.run(&["check"]).expect_code(1);
    for n in ["a", "c"] {
        for ext in ["pdf", "epub", "txt"] {
            assert!(
                run.stderr.contains(&format!("ok: dist/{n}.{ext} carries")),
                "{}",
                run.stderr
            );
        }
    }
    assert!(
        run.stderr
            .contains("names source/b.md, which cannot be read"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("briefpress clean"), "{}", run.stderr);
    let v = json(&sb.run(&["check", "--json"]).expect_code(1).stdout);
    assert_eq!(v["ok"], false);
    assert_eq!(v["briefs"].as_array().map(Vec::len), Some(2));
    let failed = v["failed"].as_array().expect("failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["slug"], "b");
    assert_eq!(failed[0]["exit"], 1);
    assert!(failed[0]["errors"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("source/b.md")));
}

#[test]
fn clean_removes_the_files_of_a_renamed_brief_and_nothing_else() {
    let sb = three();
    sb.write("source/e.md", brief("The words of brief e.\n"));
    sb.run(&["build"]).expect_code(0);
    std::fs::rename(sb.path("source/b.md"), sb.path("source/d.md")).expect("rename");
    std::fs::remove_file(sb.path("source/e.md")).expect("rm");
    sb.run(&["build"]).expect_code(0);
    // Files that are not ours: one no manifest names, one changed since its build.
    sb.write("dist/notes.txt", "mine\n");
    sb.write("dist/b.pdf.bak", "mine\n");
    sb.write("dist/e.txt", "edited by hand\n");
    let before = sb.files("dist");

    // A dry run removes nothing.
    let dry = sb.run(&["clean", "--dry-run"]).expect_code(0);
    assert!(
        dry.stderr.contains("would remove dist/b.pdf"),
        "{}",
        dry.stderr
    );
    assert_eq!(sb.files("dist"), before);

    let run = sb.run(&["clean"]).expect_code(0);
    assert!(
        run.stderr.contains("removed dist/b.manifest.json"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("kept dist/e.txt: changed since the build"),
        "{}",
        run.stderr
    );
    let after = sb.files("dist");
    let want: Vec<String> = [
        "a.epub",
        "a.manifest.json",
        "a.pdf",
        "a.txt",
        "b.pdf.bak",
        "c.epub",
        "c.manifest.json",
        "c.pdf",
        "c.txt",
        "d.epub",
        "d.manifest.json",
        "d.pdf",
        "d.txt",
        "e.manifest.json",
        "e.txt",
        "notes.txt",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(after, want);
    // What was kept is still checked and reported; the rest passes.
    std::fs::remove_file(sb.path("dist/e.txt")).expect("rm");
    std::fs::remove_file(sb.path("dist/notes.txt")).expect("rm");
    std::fs::remove_file(sb.path("dist/b.pdf.bak")).expect("rm");
    sb.run(&["clean"]).expect_code(0);
    assert!(!sb.path("dist/e.manifest.json").exists());
    sb.run(&["check", "--require-manifest"]).expect_code(0);

    // build --prune does the same after building.
    std::fs::rename(sb.path("source/c.md"), sb.path("source/f.md")).expect("rename");
    let run = sb.run(&["build", "--prune"]).expect_code(0);
    assert!(run.stderr.contains("removed dist/c.pdf"), "{}", run.stderr);
    assert!(!sb.path("dist/c.manifest.json").exists());
    assert!(sb.path("dist/f.pdf").is_file() && sb.path("dist/a.pdf").is_file());
    sb.run(&["check", "--require-manifest"]).expect_code(0);

    // Run where there is no source folder, clean refuses rather than removing all.
    std::fs::rename(sb.path("source"), sb.path("elsewhere")).expect("rename");
    sb.run(&["clean"]).expect_code(1);
    assert!(sb.path("dist/a.pdf").is_file());
}

/// Lines of a running process's standard error, as they come.
struct Lines {
    rx: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Lines {
    /// Wait up to `limit` for a line containing `what`; the time it took.
    fn wait_for(&mut self, what: &str, limit: Duration) -> Duration {
        let start = Instant::now();
        loop {
            let left = limit.saturating_sub(start.elapsed());
            match self.rx.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.contains(what);
                    self.seen.push(line);
                    if hit {
                        return start.elapsed();
                    }
                }
                Err(_) => panic!(
                    "no line with {what:?} within {limit:?}; saw:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

#[test]
fn watch_rebuilds_and_checks_on_save_and_goes_on_after_an_error() {
    // The edit must be seen within a second: no heavy neighbour in this process.
    let _alone = common::one_at_a_time();
    let sb = Sandbox::new();
    sb.write("source/a.md", brief("The first words.\n"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(["watch", "source/a.md", "--format", "txt,epub"])
        .current_dir(sb.dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Lines {
        rx,
        seen: Vec::new(),
    };
    let long = Duration::from_secs(60);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lines.wait_for("ok: dist/a.txt carries", long);
        lines.wait_for("watching ", long);

        // An edit is picked up within a second, then built and checked.
        sb.write("source/a.md", brief("The second words.\n"));
        let took = lines.wait_for("changed: source/a.md", Duration::from_secs(1));
        assert!(took < Duration::from_secs(1), "{took:?}");
        lines.wait_for("1 brief built", long);
        lines.wait_for("ok: dist/a.txt carries", long);
        let txt = std::fs::read_to_string(sb.path("dist/a.txt")).expect("txt");
        assert!(txt.contains("second words"), "{txt}");

        // A broken save: the error with its place, and the watch goes on.
        sb.write("source/a.md", brief("A ~~struck~~ word.\n"));
        lines.wait_for("--> source/a.md:", long);
        lines.wait_for("0 built, 1 failed", long);
        sb.write("source/a.md", brief("The third words.\n"));
        lines.wait_for("1 brief built", long);
        lines.wait_for("ok: dist/a.epub carries", long);
    }));
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn overrides_signing_and_subfolders_count_as_inputs() {
    let sb = three();
    sb.run(&["build"]).expect_code(0);
    // A --set override is an input: built again, then up to date with the same one.
    let run = sb
        .run(&["build", "--set", "title=Another title"])
        .expect_code(0);
    assert!(
        last_line(&run.stderr).starts_with("3 briefs built"),
        "{}",
        run.stderr
    );
    let run = sb
        .run(&["build", "--set", "title=Another title"])
        .expect_code(0);
    assert!(last_line(&run.stderr).starts_with("0 built, 3 up to date"));
    let run = sb.run(&["build"]).expect_code(0);
    assert!(last_line(&run.stderr).starts_with("3 briefs built"));

    // Signing: an unsigned set is not up to date for a signed build, a signed one is,
    // and a signature made by another key is replaced.
    sb.run(&["keygen", "k1.key"]).expect_code(0);
    sb.run(&["keygen", "k2.key"]).expect_code(0);
    let run = sb.run(&["build", "--sign-key", "k1.key"]).expect_code(0);
    assert!(last_line(&run.stderr).starts_with("3 briefs built"));
    let run = sb.run(&["build", "--sign-key", "k1.key"]).expect_code(0);
    assert!(last_line(&run.stderr).starts_with("0 built, 3 up to date"));
    std::fs::remove_file(sb.path("dist/a.manifest.json.minisig")).expect("rm");
    let run = sb.run(&["build", "--sign-key", "k1.key"]).expect_code(0);
    assert!(
        last_line(&run.stderr).starts_with("1 built, 2 up to date"),
        "{}",
        run.stderr
    );
    let run = sb.run(&["build", "--sign-key", "k2.key"]).expect_code(0);
    assert!(last_line(&run.stderr).starts_with("3 briefs built"));
    sb.run(&["check", "--trust-key", "k2.key.pub"])
        .expect_code(0);

    // A brief in a subfolder, renamed: clean finds its old files in dist/'s subfolder.
    sb.write("source/2026/f.md", brief("The words of brief f.\n"));
    sb.run(&["build"]).expect_code(0);
    assert!(sb.path("dist/2026/f.pdf").exists());
    std::fs::rename(sb.path("source/2026/f.md"), sb.path("source/2026/g.md")).expect("mv");
    let run = sb.run(&["build", "--prune"]).expect_code(0);
    assert!(
        run.stderr.contains("removed dist/2026/f.pdf"),
        "{}",
        run.stderr
    );
    assert!(!sb.path("dist/2026/f.manifest.json").exists());
    assert!(sb.path("dist/2026/g.pdf").exists());
    sb.run(&["check", "--require-manifest"]).expect_code(0);
}
