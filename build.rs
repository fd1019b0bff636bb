//! Build script: SHA-256 digests of the files embedded for the built-in house style,
//! so release manifests need not hash 5 MB of fonts on every run.

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
}
