//! Build and check under hostile input and faults, through the real binary: manifests
//! that name files outside the project, devices or FIFOs; symlinks planted in the
//! output folder; stale temporary files; builds killed with SIGKILL at random moments;
//! an edition whose name is taken by a folder; sources edited during a build; manifests
//! checked from another folder; long slugs; output folders that cannot be one.

use crate::common::{self, fixture, Run, Sandbox};

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A value that must never appear in any output: set in the environment of `check`.
const CANARY: &str = "BRIEFPRESS_CANARY_6b1f0c_do_not_print";

/// Copy the seed to `source/brief.md` and build `formats` into `dist/`.
fn seed_built(formats: &str) -> Sandbox {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    sb.run(&["build", "--format", formats]).expect_code(0);
    sb
}

/// Run briefpress in `dir` with `args` and the canary in its environment; fail the test
/// (instead of hanging) if it has not finished in `secs` seconds.
fn run_bounded(dir: &Path, args: &[&str], secs: u64) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("BRIEFPRESS_TEST_SECRET", CANARY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn briefpress");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("briefpress {args:?} did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Rewrite `source.path` in the sandbox's manifest of `brief`.
fn set_source_path(sb: &Sandbox, value: &str) {
    let p = sb.path("dist/brief.manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&p).expect("manifest")).expect("json");
    m["source"]["path"] = serde_json::Value::String(value.to_owned());
    std::fs::write(&p, serde_json::to_vec_pretty(&m).expect("encode")).expect("write");
}

/// `check` and `check --json` both refuse the manifest: exit 1, the manifest and the
/// field named, and nothing of the canary (the environment, or a planted file) shown.
fn assert_refused(sb: &Sandbox, what: &str) {
    for json in [false, true] {
        let args: &[&str] = if json {
            &["check", "--json"]
        } else {
            &["check"]
        };
        let run = run_bounded(sb.dir.path(), args, 60).expect_code(1);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(
            all.contains("dist/brief.manifest.json") && all.contains("source.path"),
            "{what}: the error must name the manifest and the field:\n{all}"
        );
        assert!(!all.contains(CANARY), "{what}: printed the canary:\n{all}");
        assert!(
            !all.contains("BRIEFPRESS_TEST_SECRET"),
            "{what}: printed the environment:\n{all}"
        );
        if json {
            let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
            assert_eq!(v["ok"], false, "{what}");
            assert_eq!(v["exit"], 1, "{what}");
        }
    }
}

#[test]
fn a_manifest_naming_the_process_environment_is_refused_and_nothing_is_printed() {
    let sb = seed_built("txt");
    set_source_path(&sb, "/proc/self/environ");
    assert_refused(&sb, "/proc/self/environ");
    // The same file through a symlink planted inside the project, under the right name.
    std::fs::remove_file(sb.path("source/brief.md")).expect("rm");
    std::os::unix::fs::symlink("/proc/self/environ", sb.path("source/brief.md")).expect("ln");
    set_source_path(&sb, "source/brief.md");
    assert_refused(&sb, "a symlink to /proc/self/environ");
}

#[test]
fn a_manifest_naming_a_device_is_refused_at_once() {
    let sb = seed_built("txt");
    set_source_path(&sb, "/dev/zero");
    assert_refused(&sb, "/dev/zero");
    std::fs::remove_file(sb.path("source/brief.md")).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", sb.path("source/brief.md")).expect("ln");
    set_source_path(&sb, "source/brief.md");
    assert_refused(&sb, "a symlink to /dev/zero");
}

#[test]
fn a_manifest_naming_a_fifo_is_refused_without_hanging() {
    let sb = seed_built("txt");
    std::fs::remove_file(sb.path("source/brief.md")).expect("rm");
    let fifo = sb.path("source/brief.md");
    let ok = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(ok.success());
    assert_refused(&sb, "a FIFO");
    let run = run_bounded(sb.dir.path(), &["check"], 60).expect_code(1);
    assert!(run.stderr.contains("FIFO"), "{}", run.stderr);
}

#[test]
fn a_manifest_naming_a_file_outside_the_project_is_refused() {
    let sb = seed_built("txt");
    // A real, well-formed brief outside the project, with the canary in its text: were
    // it read, a parse error or a mismatch would print it.
    let outside = tempfile::tempdir().expect("tmp");
    let secret = outside.path().join("brief.md");
    std::fs::write(&secret, format!("not a brief {CANARY}\n")).expect("write");
    let rel = pathdiff(&secret, sb.dir.path());
    assert!(rel.starts_with("../"), "{rel}");
    for value in [
        rel.as_str(),
        &secret.to_string_lossy(),
        "source/../../brief.md",
        "./source/brief.md",
        "source//brief.md",
        "",
    ] {
        set_source_path(&sb, value);
        assert_refused(&sb, value);
    }
    // A path inside the project that is not this brief's source.
    sb.write("notes/secret.md", format!("x {CANARY}\n"));
    set_source_path(&sb, "notes/secret.md");
    assert_refused(&sb, "another file in the project");
    // A symlinked folder inside the project leading out of it.
    std::os::unix::fs::symlink(outside.path(), sb.path("elsewhere")).expect("ln");
    set_source_path(&sb, "elsewhere/brief.md");
    assert_refused(&sb, "a symlinked folder leading out");
    // And the manifest itself is read with a cap and only as a regular file.
    let m = sb.path("dist/brief.manifest.json");
    std::fs::remove_file(&m).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &m).expect("ln");
    let run = run_bounded(sb.dir.path(), &["check"], 60).expect_code(1);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    std::fs::remove_file(&m).expect("rm");
    std::fs::write(&m, vec![b' '; 2 << 20]).expect("big");
    let run = run_bounded(sb.dir.path(), &["check"], 60).expect_code(1);
    assert!(
        run.stderr.contains("larger than the limit"),
        "{}",
        run.stderr
    );
}

/// `path` relative to `base` (both absolute), with `..` steps.
fn pathdiff(path: &Path, base: &Path) -> String {
    let path = std::fs::canonicalize(path).expect("canonical");
    let base = std::fs::canonicalize(base).expect("canonical");
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = base.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_owned(); ups];
    parts.extend(
        path.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[test]
fn symlinks_planted_in_the_output_folder_are_replaced_never_followed() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    let victim = sb.write("victim.txt", "precious\n");
    let victim2 = sb.write("victim2.txt", "precious too\n");
    std::fs::create_dir_all(sb.path("dist")).expect("mkdir");
    // At the final names, at names of the temporary pattern, and at the names the
    // earlier predictable pattern used (`.<slug>.<ext>.<pid>.tmp`).
    let links = [
        "dist/brief.txt",
        "dist/brief.manifest.json",
        "dist/.briefpress-0123456789abcdef.tmp",
        "dist/.brief.txt.4242.tmp",
    ];
    for (i, l) in links.iter().enumerate() {
        let target = if i % 2 == 0 { &victim } else { &victim2 };
        std::os::unix::fs::symlink(target, sb.path(l)).expect("ln");
    }
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    assert_eq!(std::fs::read_to_string(&victim).expect("v"), "precious\n");
    assert_eq!(
        std::fs::read_to_string(&victim2).expect("v"),
        "precious too\n"
    );
    for name in ["dist/brief.txt", "dist/brief.manifest.json"] {
        let meta = std::fs::symlink_metadata(sb.path(name)).expect("meta");
        assert!(
            meta.file_type().is_file(),
            "{name} is not a regular file now"
        );
    }
    assert_eq!(sb.files("dist"), ["brief.manifest.json", "brief.txt"]);
    sb.run(&["check"]).expect_code(0);
}

#[test]
fn temporary_files_left_by_killed_builds_are_removed_by_the_next_build() {
    let sb = seed_built("txt");
    let stale = [
        ".briefpress-00000000deadbeef.tmp",
        ".briefpress-ffffffffffffffff.tmp",
        ".brief.pdf.12345.tmp",
        ".brief.manifest.json.99.tmp",
    ];
    for s in stale {
        sb.write(&format!("dist/{s}"), "half a file");
    }
    // Files that merely look alike are someone else's and stay.
    let kept = [".other.txt.12.tmp", ".briefpress-notes.tmp", ".keep"];
    for k in kept {
        sb.write(&format!("dist/{k}"), "mine");
    }
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    let mut expected: Vec<String> = kept.iter().map(|k| (*k).to_owned()).collect();
    expected.extend(["brief.manifest.json".into(), "brief.txt".into()]);
    expected.sort();
    assert_eq!(sb.files("dist"), expected);
}

/// Every file of a folder, by name.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The seed with one word changed: a second, different source for the same brief.
fn seed_variant() -> String {
    let text = std::fs::read_to_string(fixture("seed")).expect("seed");
    assert!(text.contains("porous"));
    text.replacen("porous", "leaky", 1)
}

/// The complete set of outputs of `source` as a brief called `brief`, built in a
/// project of the same layout.
fn reference_set(source: &str, formats: &str) -> BTreeMap<String, Vec<u8>> {
    let sb = Sandbox::new();
    sb.write("source/brief.md", source);
    sb.run(&["build", "--format", formats]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    contents(&sb.path("dist"))
}

/// A tiny xorshift generator: the delays need not be good random numbers, only varied
/// and reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_whole_files_and_the_next_build_completes_the_set() {
    const ROUNDS: usize = 40;
    let formats = "pdf,epub,txt";
    let a = std::fs::read_to_string(fixture("seed")).expect("seed");
    let b = seed_variant();
    let sets = [reference_set(&a, formats), reference_set(&b, formats)];
    let names: Vec<&String> = sets[0].keys().collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        names.iter().all(|n| sets[0][*n] != sets[1][*n]),
        "the sets must differ"
    );
    let sb = Sandbox::new();
    sb.write("source/brief.md", &a);
    // How long an uninterrupted build takes, to spread the kills over all of it.
    let start = Instant::now();
    sb.run(&["build", "--format", formats]).expect_code(0);
    let full = start.elapsed().as_micros() as u64;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("kill rounds: build takes {full} µs, rng seed {seed}");
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut mixed = 0;
    for round in 0..ROUNDS {
        assert!(Instant::now() < deadline, "the kill rounds took too long");
        let (old, new) = if round % 2 == 0 { (0, 1) } else { (1, 0) };
        assert_eq!(
            contents(&sb.path("dist")),
            sets[old],
            "round {round}: start"
        );
        sb.write("source/brief.md", if new == 1 { &b } else { &a });
        // Half the kills anywhere in the build, half in its last part, where the files
        // are renamed into place.
        let delay = if round % 2 == 0 {
            rng.below(full * 11 / 10)
        } else {
            full * 7 / 10 + rng.below(full * 4 / 10)
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefpress"))
            .args(["build", "--format", formats, "--quiet"])
            .current_dir(sb.dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        // Every output present and whole: the old file or the new one, byte for byte.
        let now = contents(&sb.path("dist"));
        let mut from = Vec::new();
        for name in &names {
            let bytes = now
                .get(*name)
                .unwrap_or_else(|| panic!("round {round}: {name} is missing ({status})"));
            let which = sets
                .iter()
                .position(|s| &s[*name] == bytes)
                .unwrap_or_else(|| panic!("round {round}: {name} is neither old nor new"));
            from.push(which);
        }
        for stray in now.keys().filter(|k| !names.contains(k)) {
            assert!(
                stray.starts_with(".briefpress-") && stray.ends_with(".tmp"),
                "round {round}: unexpected file {stray}"
            );
        }
        // A mix of the two sets is what a kill while renaming leaves; `check` must
        // not pass it.
        if from.iter().any(|&w| w != from[0]) {
            mixed += 1;
            eprintln!(
                "round {round}: delay {delay} µs, status {status}, from {from:?} for {names:?}"
            );
            let run = sb.run(&["check"]);
            assert_ne!(run.code, 0, "round {round}: a mixed set passed check");
        }
        // The next build completes the new set and leaves no temporary file.
        sb.run(&["build", "--format", formats]).expect_code(0);
        assert_eq!(
            contents(&sb.path("dist")),
            sets[new],
            "round {round}: rebuilt"
        );
    }
    eprintln!("kill rounds: {mixed} of {ROUNDS} left a mixed set");
}

#[test]
fn a_build_that_fails_on_one_edition_replaces_nothing() {
    let sb = seed_built("pdf,epub,txt");
    let before = contents(&sb.path("dist"));
    // The EPUB's name is taken by a folder; the PDF and text editions come first.
    std::fs::remove_file(sb.path("dist/brief.epub")).expect("rm");
    std::fs::create_dir(sb.path("dist/brief.epub")).expect("mkdir");
    sb.write("source/brief.md", seed_variant());
    let run = sb.run(&["build"]).expect_code(1);
    assert!(run.stderr.contains("brief.epub"), "{}", run.stderr);
    for name in ["brief.pdf", "brief.txt", "brief.manifest.json"] {
        assert_eq!(
            std::fs::read(sb.path(&format!("dist/{name}"))).expect("kept"),
            before[name],
            "{name} was replaced by a failed build"
        );
    }
    assert_eq!(
        sb.files("dist"),
        [
            "brief.epub",
            "brief.manifest.json",
            "brief.pdf",
            "brief.txt"
        ],
        "no temporary file left"
    );
}

/// Build in `sb` with every file the process writes limited to `limit` bytes, as a full
/// disk would stop it: writes past the limit fail (`EFBIG`) instead of killing it.
fn build_with_file_limit(sb: &Sandbox, formats: &str, limit: u64) -> Run {
    // prlimit(1) sets the limit in bytes; the shell ignores SIGXFSZ first, and an
    // ignored signal stays ignored across exec, so a write past the limit fails.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("trap '' XFSZ; exec prlimit --fsize=\"$0\":\"$0\" -- \"$@\"")
        .arg(limit.to_string())
        .arg(env!("CARGO_BIN_EXE_briefpress"))
        .args(["build", "--format", formats])
        .current_dir(sb.dir.path())
        .env_remove("SOURCE_DATE_EPOCH");
    let out = cmd.output().expect("run briefpress");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_build_whose_disk_fills_replaces_nothing() {
    // At the manifest: a short brief, whose text edition fits in 2 KiB and whose
    // manifest (a digest for every font) does not.
    let sb = Sandbox::new();
    sb.write("source/brief.md", common::brief("First words."));
    sb.run(&["build", "--format", "txt"]).expect_code(0);
    let before = contents(&sb.path("dist"));
    assert!(before["brief.txt"].len() < 2048 && before["brief.manifest.json"].len() > 2048);
    sb.write(
        "source/brief.md",
        common::brief("Second words, a new version."),
    );
    let run = build_with_file_limit(&sb, "txt", 2048).expect_code(1);
    assert!(run.stderr.contains("brief.manifest.json"), "{}", run.stderr);
    assert_eq!(
        contents(&sb.path("dist")),
        before,
        "the previous set changed"
    );
    // In the middle of the editions: the PDF is larger than the limit, the EPUB is not.
    let sb = seed_built("pdf,epub,txt");
    let before = contents(&sb.path("dist"));
    assert!(before["brief.pdf"].len() > 50_000 && before["brief.epub"].len() < 50_000);
    sb.write("source/brief.md", seed_variant());
    let run = build_with_file_limit(&sb, "pdf,epub,txt", 50_000).expect_code(1);
    assert!(run.stderr.contains("brief.pdf"), "{}", run.stderr);
    assert_eq!(
        contents(&sb.path("dist")),
        before,
        "the previous set changed"
    );
}

#[test]
fn the_source_is_read_once_while_it_is_being_edited() {
    if !common::need_tool("pdfdetach") {
        return;
    }
    let a = std::fs::read_to_string(fixture("seed")).expect("seed");
    let b = seed_variant();
    let txts = [
        reference_set(&a, "txt")["brief.txt"].clone(),
        reference_set(&b, "txt")["brief.txt"].clone(),
    ];
    let shas = [sha256(a.as_bytes()), sha256(b.as_bytes())];
    let sb = Sandbox::new();
    sb.write("source/brief.md", &a);
    // Swap the two versions in place, whole (write aside, then rename), all the time.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let stop = stop.clone();
        let (dir, a, b) = (sb.path("source"), a.clone(), b.clone());
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let tmp = dir.join(".edit");
                std::fs::write(&tmp, if i.is_multiple_of(2) { &b } else { &a }).expect("edit");
                std::fs::rename(&tmp, dir.join("brief.md")).expect("rename");
                i += 1;
                std::thread::sleep(Duration::from_micros(300));
            }
        })
    };
    let mut seen = [false, false];
    for round in 0..8 {
        sb.run(&["build", "--format", "pdf,txt", "--pdf-standard", "a-3b"])
            .expect_code(0);
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(sb.path("dist/brief.manifest.json")).expect("m"))
                .expect("json");
        let recorded = m["source"]["sha256"].as_str().expect("sha").to_owned();
        let which = shas
            .iter()
            .position(|s| *s == recorded)
            .unwrap_or_else(|| panic!("round {round}: the manifest hashes neither version"));
        seen[which] = true;
        let txt = std::fs::read(sb.path("dist/brief.txt")).expect("txt");
        assert_eq!(
            txt, txts[which],
            "round {round}: the text edition is of the other version"
        );
        let out = sb.path("attached.md");
        let _ = std::fs::remove_file(&out);
        let st = Command::new("pdfdetach")
            .args(["-save", "1", "-o"])
            .arg(&out)
            .arg(sb.path("dist/brief.pdf"))
            .status()
            .expect("pdfdetach");
        assert!(st.success());
        let attached = std::fs::read(&out).expect("attached");
        assert_eq!(
            sha256(&attached),
            recorded,
            "round {round}: the PDF attaches another version than the manifest hashes"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    editor.join().expect("editor");
    eprintln!("versions seen: {seen:?}");
}

fn sha256(bytes: &[u8]) -> String {
    briefpress::manifest::sha256(bytes)
}

#[test]
fn a_manifest_made_from_a_relative_path_is_checked_from_another_folder() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "proj/source/brief.md");
    // A house style of the project's own, its fonts reached through a symlink.
    let root = common::root();
    sb.copy(
        &root.join("branding/house.toml"),
        "proj/branding/house.toml",
    );
    sb.copy(&root.join("branding/logo.png"), "proj/branding/logo.png");
    std::os::unix::fs::symlink(root.join("fonts"), sb.path("proj/fonts")).expect("ln");
    let manifest = || std::fs::read(sb.path("proj/dist/brief.manifest.json")).expect("m");
    // Built from above the project, with relative paths.
    let house = "proj/branding/house.toml";
    let src = "proj/source/brief.md";
    let args = [
        "--house",
        house,
        "build",
        "--format",
        "txt",
        src,
        "--out",
        "proj/dist",
    ];
    sb.run(&args).expect_code(0);
    let first = manifest();
    let m: serde_json::Value = serde_json::from_slice(&first).expect("json");
    assert_eq!(m["source"]["path"], "source/brief.md");
    assert_eq!(m["house"]["path"], "branding/house.toml");
    // Checked from an unrelated folder, by absolute path, and from inside the project
    // by a relative one.
    let elsewhere = tempfile::tempdir().expect("tmp");
    let dist = sb.path("proj/dist");
    let house = sb.path(house).to_string_lossy().into_owned();
    let args = ["--house", &house, "check", &dist.to_string_lossy()];
    let run = run_bounded(elsewhere.path(), &args, 60).expect_code(0);
    assert!(run.stderr.contains("ok:"), "{}", run.stderr);
    let args = ["--house", &house, "check", "../dist"];
    run_bounded(&sb.path("proj/source"), &args, 60).expect_code(0);
    // Built again from inside the project: the same manifest, byte for byte.
    // (--force: with the same inputs the brief is up to date and would not be built.)
    let args = [
        "--house",
        "branding/house.toml",
        "build",
        "--force",
        "--format",
        "txt",
    ];
    run_bounded(&sb.path("proj"), &args, 60).expect_code(0);
    assert_eq!(first, manifest());
    // And from the output folder itself, through absolute paths.
    let src = sb.path("proj/source").to_string_lossy().into_owned();
    let args = [
        "--house", &house, "build", "--force", "--format", "txt", &src, "--out", ".",
    ];
    run_bounded(&dist, &args, 60).expect_code(0);
    assert_eq!(first, manifest());
}

#[test]
fn a_source_outside_the_project_is_recorded_by_name_and_checked_with_source() {
    let sb = Sandbox::new();
    let elsewhere = tempfile::tempdir().expect("tmp");
    let src = elsewhere.path().join("brief.md");
    std::fs::copy(fixture("seed"), &src).expect("copy");
    let src = src.to_string_lossy().into_owned();
    sb.run(&["build", "--format", "txt", &src]).expect_code(0);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.path("dist/brief.manifest.json")).expect("m"))
            .expect("json");
    assert_eq!(m["source"]["path"], "brief.md");
    let run = sb.run(&["check"]).expect_code(1);
    assert!(run.stderr.contains("field `source.path`"), "{}", run.stderr);
    assert!(run.stderr.contains("pass --source DIR"), "{}", run.stderr);
    let dir = elsewhere.path().to_string_lossy().into_owned();
    sb.run(&["check", "--source", &dir]).expect_code(0);
}

/// `build --out public/briefs` in a project: the project folder is `public/`, which
/// does not hold `source/`, so the source is recorded by name; `check public/briefs`
/// from the project finds it in `./source`, as a check without a manifest would, and
/// still holds it against the manifest's digest.
#[test]
fn a_nested_output_folder_is_checked_from_the_project_without_source() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/brief.md");
    sb.run(&["build", "--out", "public/briefs"]).expect_code(0);
    let m: serde_json::Value = serde_json::from_slice(
        &std::fs::read(sb.path("public/briefs/brief.manifest.json")).expect("m"),
    )
    .expect("json");
    assert_eq!(m["source"]["path"], "brief.md");
    sb.run(&["check", "public/briefs"]).expect_code(0);
    sb.run(&["check", "public/briefs/brief.pdf"]).expect_code(0);
    // Another file of that name in ./source is the source changed, not a pass.
    let edited = std::fs::read_to_string(fixture("seed"))
        .expect("seed")
        .replace("In October,", "In November,");
    sb.write("source/brief.md", &edited);
    let run = sb.run(&["check", "public/briefs"]).expect_code(3);
    assert!(
        run.stderr.contains("changed: source source/brief.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_longest_slug_a_file_name_allows_builds_and_a_longer_one_is_refused_cleanly() {
    let sb = Sandbox::new();
    let seed = std::fs::read(fixture("seed")).expect("seed");
    // `<slug>.manifest.json` must fit in 255 bytes: 241 is the longest slug.
    let longest = "s".repeat(241);
    sb.write(&format!("source/{longest}.md"), &seed);
    sb.run(&["build"]).expect_code(0);
    let mut expected: Vec<String> = ["epub", "manifest.json", "pdf", "txt"]
        .iter()
        .map(|e| format!("{longest}.{e}"))
        .collect();
    expected.sort();
    assert_eq!(sb.files("dist"), expected);
    sb.run(&["check"]).expect_code(0);
    // A 250-character slug: its manifest's name cannot exist; one clear error, before
    // anything is rendered or written.
    let sb = Sandbox::new();
    let long = "l".repeat(250);
    sb.write(&format!("source/{long}.md"), &seed);
    let run = sb.run(&["build"]).expect_code(1);
    assert!(run.stderr.contains("at most 241 bytes"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(sb.files("dist").is_empty(), "{:?}", sb.files("dist"));
}

#[test]
fn an_output_folder_that_cannot_be_one_is_one_error_with_a_fitting_hint() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/a.md");
    sb.copy(&fixture("seed"), "source/b.md");
    sb.write("out.txt", "a file");
    for out in ["out.txt", "out.txt/sub"] {
        let run = sb.run(&["build", "--out", out]).expect_code(1);
        assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("out.txt is a file, not a folder")
                || run.stderr.contains("out.txt: it is a file, not a folder"),
            "{out}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("File exists"), "{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(sb.path("out.txt")).expect("kept"),
        "a file"
    );
}

#[test]
fn a_read_only_output_folder_is_one_error() {
    let sb = Sandbox::new();
    sb.copy(&fixture("seed"), "source/a.md");
    sb.copy(&fixture("seed"), "source/b.md");
    let dist = sb.path("dist");
    std::fs::create_dir(&dist).expect("mkdir");
    let read_only = common::read_only_folder(&dist);
    let run = sb.run(&["build"]);
    common::undo_read_only(&dist, read_only);
    let run = run.expect_code(1);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot write to the output folder dist"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: make the folder writable"),
        "{}",
        run.stderr
    );
}
