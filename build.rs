//! Build script: SHA-256 digests of the files embedded for the built-in house style,
//! so release manifests need not hash 5 MB of fonts on every run; and one digest of
//! the code itself, so an incremental build notices a changed briefpress of the same
//! version (`src/incremental.rs`).

use std::fmt::Write as _;
use std::path::Path;

use sha2::Digest;

fn main() {
    let mut out =
        String::from("/// SHA-256 of each embedded file, by its name in `branding/house.toml`.\n");
    out.push_str("pub const BUILTIN_SHA256: &[(&str, &str)] = &[\n");
    let mut names: Vec<String> = std::fs::read_dir("fonts")
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".ttf"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut files: Vec<(String, String)> = names
        .into_iter()
        .map(|n| (format!("../fonts/{n}"), format!("fonts/{n}")))
        .collect();
    files.push(("logo.png".into(), "branding/logo.png".into()));
    for (name, path) in files {
        println!("cargo::rerun-if-changed={path}");
        let Ok(bytes) = std::fs::read(Path::new(&path)) else {
            continue;
        };
        let digest = sha2::Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let _ = writeln!(out, "    ({name:?}, {hex:?}),");
    }
    out.push_str("];\n");
    println!("cargo::rerun-if-changed=fonts");
    let dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&dir).join("builtin_sha256.rs"), out) {
        println!("cargo::warning=cannot write the built-in digests: {e}");
    }
    // A string literal, for `include!`.
    let code = format!("{:?}\n", code_digest());
    if let Err(e) = std::fs::write(Path::new(&dir).join("code_sha256.rs"), code) {
        println!("cargo::warning=cannot write the code digest: {e}");
    }
}

/// One SHA-256 over the files the binary is compiled from, each as its path (with `/`)
/// and bytes, in path order: the same on every machine for the same checkout. A file
/// that cannot be read counts as its path alone.
fn code_digest() -> String {
    let mut files = vec![
        "Cargo.toml".to_owned(),
        "Cargo.lock".to_owned(),
        "build.rs".to_owned(),
    ];
    below(Path::new("src"), &mut files);
    files.sort();
    let mut hasher = sha2::Sha256::new();
    for f in &files {
        println!("cargo::rerun-if-changed={f}");
        hasher.update(f.as_bytes());
        hasher.update([0]);
        let bytes = std::fs::read(f).unwrap_or_default();
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    // A file added to `src/` is noticed through its folder.
    println!("cargo::rerun-if-changed=src");
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file below `dir`, as a path with `/`.
fn below(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            below(&path, out);
        } else {
            let parts: Vec<String> = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
}
