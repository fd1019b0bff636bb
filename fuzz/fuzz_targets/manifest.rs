//! Fuzz the manifest reader (`dist/<slug>.manifest.json`, read by `check`): any bytes
//! must give a manifest or an error, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

/// One folder per fuzzing process: the reader takes a path, and the manifest's file
/// name must be `<slug>.manifest.json`.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("briefpress-fuzz-manifest-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

/// The slug the input claims (its `"slug": "…"`), when it is a plain file-name stem, so
/// that the seeds get past the slug check; otherwise `brief`.
fn slug(data: &[u8]) -> &str {
    std::str::from_utf8(data)
        .ok()
        .and_then(|s| s.split("\"slug\": \"").nth(1))
        .and_then(|s| s.split('"').next())
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 100
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .unwrap_or("brief")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let slug = slug(data);
    let path = scratch().join(format!("{slug}.manifest.json"));
    if std::fs::write(&path, data).is_ok() {
        let _ = briefpress::manifest::Manifest::read(&path, slug);
        let _ = std::fs::remove_file(&path);
    }
});
