//! Signed release manifests (`keygen`, `build --sign-key`, `check --trust-key`), through
//! the real binary: a manifest recomputed after an edit no longer passes, whatever the
//! editions say; the signature files are minisign's own, judged by the `minisign` tool.

use crate::common::{self, Sandbox};

const SLUG: &str = "2016-11-china-tajikistan";

/// The seed in `source/`, a key pair in `keys/`, and a signed build in `dist/`.
fn signed() -> Sandbox {
    let sb = Sandbox::new();
    sb.copy(&common::fixture("seed"), &format!("source/{SLUG}.md"));
    std::fs::create_dir_all(sb.path("keys")).unwrap();
    sb.run(&["keygen", "keys/release.key"]).expect_code(0);
    sb.run(&["build", "--sign-key", "keys/release.key"])
        .expect_code(0);
    sb
}

fn manifest(sb: &Sandbox) -> std::path::PathBuf {
    sb.path(&format!("dist/{SLUG}.manifest.json"))
}

#[test]
fn a_signed_build_verifies_with_the_public_key_file_or_the_key_itself() {
    let sb = signed();
    let sig = sb.path(&format!("dist/{SLUG}.manifest.json.minisig"));
    let text = std::fs::read_to_string(&sig).unwrap();
    assert!(
        text.contains(&format!("trusted comment: file:{SLUG}.manifest.json\n")),
        "{text}"
    );
    let run = sb
        .run(&["check", "--trust-key", "keys/release.key.pub"])
        .expect_code(0);
    assert!(
        run.stderr.contains("is a valid signature of the manifest"),
        "{}",
        run.stderr
    );
    // The key itself, as `minisign -P` takes it: the second line of the .pub file.
    let public = std::fs::read_to_string(sb.path("keys/release.key.pub")).unwrap();
    let key = public.lines().nth(1).unwrap();
    sb.run(&["check", "--trust-key", key]).expect_code(0);
    // The JSON report carries the verdict.
    let run = sb
        .run(&["--json", "check", "--trust-key", key])
        .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["briefs"][0]["signature"]["verified"], true, "{v}");
    // Without --trust-key no signature is asked for or reported.
    let run = sb.run(&["--json", "check"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(v["briefs"][0].get("signature").is_none(), "{v}");
}

#[test]
fn signatures_are_deterministic() {
    let sb = signed();
    let sig = sb.path(&format!("dist/{SLUG}.manifest.json.minisig"));
    let first = std::fs::read(&sig).unwrap();
    sb.run(&["build", "--sign-key", "keys/release.key"])
        .expect_code(0);
    assert_eq!(first, std::fs::read(&sig).unwrap());
}

#[test]
fn a_manifest_recomputed_after_an_edit_fails_with_the_key_but_not_without() {
    let sb = signed();
    // Re-wrap the text edition (the same words: content alone cannot tell) and write
    // its new digest into the manifest, as a forger would.
    let txt = sb.path(&format!("dist/{SLUG}.txt"));
    let old = std::fs::read(&txt).unwrap();
    let new = String::from_utf8(old.clone())
        .unwrap()
        .replace("\n", "\r\n");
    std::fs::write(&txt, &new).unwrap();
    let m = std::fs::read_to_string(manifest(&sb)).unwrap();
    let forged = m
        .replace(
            &common::sha256_hex(&old),
            &common::sha256_hex(new.as_bytes()),
        )
        .replace(
            &format!("\"bytes\": {}", old.len()),
            &format!("\"bytes\": {}", new.len()),
        );
    assert_ne!(m, forged, "the digest was found and replaced");
    std::fs::write(manifest(&sb), forged).unwrap();
    // The recomputed manifest satisfies a plain check...
    sb.run(&["check", "--require-manifest"]).expect_code(0);
    // ...but not one that trusts only the release key.
    let run = sb
        .run(&["check", "--trust-key", "keys/release.key.pub"])
        .expect_code(3);
    assert!(
        run.stderr.contains(&format!(
            "unsigned: {SLUG}: the manifest's signature does not verify"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_signature_another_key_or_no_manifest_fail() {
    let sb = signed();
    std::fs::create_dir_all(sb.path("other")).unwrap();
    sb.run(&["keygen", "other/k"]).expect_code(0);
    let run = sb
        .run(&["check", "--trust-key", "other/k.pub"])
        .expect_code(3);
    assert!(run.stderr.contains("does not verify"), "{}", run.stderr);
    std::fs::remove_file(sb.path(&format!("dist/{SLUG}.manifest.json.minisig"))).unwrap();
    let run = sb
        .run(&["check", "--trust-key", "keys/release.key.pub"])
        .expect_code(3);
    assert!(
        run.stderr.contains("the manifest is not signed"),
        "{}",
        run.stderr
    );
    // --trust-key implies --require-manifest.
    std::fs::remove_file(manifest(&sb)).unwrap();
    let run = sb
        .run(&["check", "--trust-key", "keys/release.key.pub"])
        .expect_code(3);
    assert!(
        run.stderr.contains("has no release manifest"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_keys_are_located_errors() {
    let sb = signed();
    sb.write("keys/garbage", "not a key\n");
    let run = sb
        .run(&["build", "--sign-key", "keys/garbage"])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("error: key keys/garbage: not a minisign secret key"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= hint:"), "{}", run.stderr);
    // A public key given where the secret one is wanted.
    sb.run(&["build", "--sign-key", "keys/release.key.pub"])
        .expect_code(1);
    let run = sb
        .run(&["check", "--trust-key", "keys/garbage"])
        .expect_code(1);
    assert!(
        run.stderr.contains("not a minisign public key"),
        "{}",
        run.stderr
    );
    // keygen never overwrites a key.
    let before = std::fs::read(sb.path("keys/release.key")).unwrap();
    let run = sb.run(&["keygen", "keys/release.key"]).expect_code(1);
    assert!(run.stderr.contains("exists already"), "{}", run.stderr);
    assert_eq!(before, std::fs::read(sb.path("keys/release.key")).unwrap());
}

#[test]
fn a_password_protected_key_takes_its_password_from_the_environment() {
    let sb = Sandbox::new();
    sb.copy(&common::fixture("seed"), &format!("source/{SLUG}.md"));
    let pw = [("BRIEFPRESS_KEY_PASSWORD", "correct horse")];
    sb.run_env(&["keygen", "k"], &pw).expect_code(0);
    let run = sb.run(&["build", "--sign-key", "k"]).expect_code(1);
    assert!(
        run.stderr
            .contains("password-protected and BRIEFPRESS_KEY_PASSWORD is not set"),
        "{}",
        run.stderr
    );
    assert!(!sb.path("dist").join(format!("{SLUG}.pdf")).exists());
    let wrong = [("BRIEFPRESS_KEY_PASSWORD", "wrong")];
    sb.run_env(&["build", "--sign-key", "k"], &wrong)
        .expect_code(1);
    sb.run_env(&["build", "--sign-key", "k"], &pw)
        .expect_code(0);
    sb.run(&["check", "--trust-key", "k.pub"]).expect_code(0);
}

/// The reference implementation verifies our signatures, and ours verifies its.
#[test]
fn minisign_itself_agrees() {
    if !common::need_tool("minisign") {
        return;
    }
    let sb = signed();
    let m = manifest(&sb);
    let out = std::process::Command::new("minisign")
        .args(["-V", "-p"])
        .arg(sb.path("keys/release.key.pub"))
        .arg("-m")
        .arg(&m)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Signed by minisign (an unencrypted key, so it does not prompt) with our comment.
    let sig = sb.path(&format!("dist/{SLUG}.manifest.json.minisig"));
    std::fs::remove_file(&sig).unwrap();
    let out = std::process::Command::new("minisign")
        .args(["-S", "-s"])
        .arg(sb.path("keys/release.key"))
        .arg("-m")
        .arg(&m)
        .args(["-t", &format!("file:{SLUG}.manifest.json")])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sb.run(&["check", "--trust-key", "keys/release.key.pub"])
        .expect_code(0);
}
