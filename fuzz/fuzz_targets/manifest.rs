//! Fuzz the manifest reader (`dist/<slug>.manifest.json`, read by `check`): any bytes
//! must give a manifest or an error, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

/// One file per fuzzing process, rewritten for each input: the reader takes a path.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("briefpress-fuzz-manifest-{}.json", std::process::id()))
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_ok() {
        let _ = briefpress::manifest::Manifest::read(path);
    }
});
