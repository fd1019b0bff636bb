//! The toolchain promise of the README: `rust-version` in `Cargo.toml` is the newest
//! minimum any dependency in `Cargo.lock` declares, so a toolchain of that version
//! resolves and builds the locked tree (clippy's `incompatible_msrv` holds our own code
//! to it). A dependency update that raises the floor fails here, not on a user's machine.

use std::process::Command;

/// A version as its numbers, `1.91` and `1.91.0` alike.
fn numbers(v: &str) -> Vec<u32> {
    let mut n: Vec<u32> = v.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    n.resize(3, 0);
    n
}

#[test]
fn rust_version_is_the_newest_minimum_of_the_locked_dependencies() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--locked", "--format-version", "1"])
        .args(["--filter-platform", "x86_64-unknown-linux-gnu"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let ours = packages
        .iter()
        .find(|p| p["name"] == "briefpress")
        .and_then(|p| p["rust_version"].as_str())
        .expect("briefpress declares a rust-version");
    let newest = packages
        .iter()
        .filter(|p| p["name"] != "briefpress")
        .filter_map(|p| Some((numbers(p["rust_version"].as_str()?), p["name"].as_str()?)))
        .max()
        .expect("some dependency declares a rust-version");
    assert!(
        newest.0 <= numbers(ours),
        "{} needs Rust {:?}, newer than our rust-version {ours}: raise it (and the README)",
        newest.1,
        newest.0
    );
    assert_eq!(
        newest.0,
        numbers(ours),
        "no dependency needs {ours}: the README promises the newest minimum among them ({} needs {:?})",
        newest.1,
        newest.0
    );
}
