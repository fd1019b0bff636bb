//! Signed release manifests, in the [minisign] format.
//!
//! A manifest records the digest of every edition, so whoever can rewrite an edition
//! can also rewrite the manifest to match. A signature made with a key the release
//! manager keeps closes that gap: `build --sign-key KEY` writes
//! `<slug>.manifest.json.minisig` beside each manifest, and `check --trust-key PUB`
//! accepts a brief only if its manifest carries a valid signature by that key. The files
//! are minisign's own, so `minisign -Vm dist/<slug>.manifest.json -p KEY.pub` verifies
//! them too.
//!
//! Keys are made, read (including password-protected secret keys) and signatures
//! verified by the `minisign` crate. Signing is done here with `ed25519-dalek` instead
//! of `minisign::sign`, for one reason: that function adds random noise to every
//! signature (hedged signing), so two builds of the same source would write different
//! signature files. Plain Ed25519 (RFC 8032) is deterministic, and a minisign signature
//! is only two of them: one over the BLAKE2b-512 digest of the file, one over that
//! signature followed by the trusted comment. Each signature made here is verified with
//! the `minisign` crate before it is written.
//!
//! [minisign]: https://jedisct1.github.io/minisign/

use std::io::Cursor;
use std::path::{Path, PathBuf};

use base64::Engine;
use blake2::Digest;
use ed25519_dalek::Signer as _;

use crate::error::{Error, Result};

/// The environment variable that holds the password of an encrypted secret key.
pub const PASSWORD_VAR: &str = "BRIEFPRESS_KEY_PASSWORD";

/// The file name suffix of a signature, as minisign names them.
pub const SUFFIX: &str = ".minisig";

/// Largest key or signature file read: each is a few hundred bytes.
const MAX_KEY_BYTES: u64 = 64 << 10;

/// The signature file of the manifest at `manifest`.
pub fn signature_path(manifest: &Path) -> PathBuf {
    let mut name = manifest.as_os_str().to_owned();
    name.push(SUFFIX);
    PathBuf::from(name)
}

fn key_error(path: &Path, message: impl Into<String>, hint: &'static str) -> Error {
    Error::Key {
        path: path.to_owned(),
        message: message.into(),
        hint,
    }
}

fn read_text(path: &Path, what: &str, hint: &'static str) -> Result<String> {
    let bytes = crate::input::read_regular(path, MAX_KEY_BYTES)
        .map_err(|e| key_error(path, format!("cannot read the {what}: {e}"), hint))?;
    String::from_utf8(bytes).map_err(|_| key_error(path, format!("the {what} is not text"), hint))
}

/// A secret key ready to sign manifests.
pub struct SigningKey {
    key: ed25519_dalek::SigningKey,
    /// minisign's 8-byte key id, written into every signature.
    keynum: [u8; 8],
    /// The same key as the `minisign` crate sees it, to verify what is signed.
    public: minisign::PublicKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", key_id(&self.keynum))
    }
}

/// A key id as minisign prints it: 16 upper-case hex digits of the little-endian id.
fn key_id(keynum: &[u8]) -> String {
    keynum.iter().rev().map(|b| format!("{b:02X}")).collect()
}

const HINT_SECRET: &str = "pass the secret key file `briefpress keygen` (or `minisign -G`) wrote; a password-protected key takes its password from BRIEFPRESS_KEY_PASSWORD";
const HINT_PUBLIC: &str = "pass the public key file (`<key>.pub`, as `briefpress keygen` or `minisign -G` writes it) or the key itself (the base64 line of that file)";

impl SigningKey {
    /// Read a minisign secret key file. An encrypted key is opened with the password in
    /// [`PASSWORD_VAR`]; briefpress never prompts.
    pub fn read(path: &Path) -> Result<SigningKey> {
        let text = read_text(path, "secret key", HINT_SECRET)?;
        let bad = |m: String| key_error(path, m, HINT_SECRET);
        // The key's header says whether it is encrypted (KDF "Sc", scrypt) or not (two
        // zero bytes); asked without a password, the crate would prompt for one.
        let raw = text
            .lines()
            .nth(1)
            .and_then(|l| {
                base64::engine::general_purpose::STANDARD
                    .decode(l.trim())
                    .ok()
            })
            .filter(|b| b.len() == 158 && b.starts_with(b"Ed"))
            .ok_or_else(|| bad("not a minisign secret key".into()))?;
        let boxed = minisign::SecretKeyBox::from_string(&text)
            .map_err(|e| bad(format!("not a minisign secret key: {e}")))?;
        let secret = if raw.get(2..4) == Some(&[0, 0][..]) {
            minisign::SecretKey::from_unencrypted_box(boxed)
                .map_err(|e| bad(format!("cannot open the secret key: {e}")))?
        } else {
            let password = std::env::var(PASSWORD_VAR).map_err(|_| {
                bad(format!(
                    "the secret key is password-protected and {PASSWORD_VAR} is not set"
                ))
            })?;
            minisign::SecretKey::from_box(boxed, Some(password))
                .map_err(|e| bad(format!("cannot open the secret key: {e}")))?
        };
        // minisign's layout of an opened key: algorithm (2 bytes), KDF (2), checksum
        // algorithm (2), salt (32), two limits (8 + 8), key id (8), then the 64-byte
        // Ed25519 secret key (seed, then public key) and a 32-byte checksum.
        let raw = secret.to_bytes();
        let (keynum, seed) = match (raw.get(54..62), raw.get(62..94)) {
            (Some(k), Some(s)) => (k, s),
            _ => return Err(bad("the secret key is too short".into())),
        };
        let keynum: [u8; 8] = keynum
            .try_into()
            .map_err(|_| bad("the secret key is too short".into()))?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| bad("the secret key is too short".into()))?;
        let public = minisign::PublicKey::from_secret_key(&secret)
            .map_err(|e| bad(format!("cannot derive the public key: {e}")))?;
        Ok(SigningKey {
            key: ed25519_dalek::SigningKey::from_bytes(&seed),
            keynum,
            public,
        })
    }

    /// The minisign signature file of `data`, whose trusted comment is `comment`.
    pub fn sign(&self, data: &[u8], comment: &str) -> Result<String> {
        let fault = |m: String| Error::Key {
            path: PathBuf::from(key_id(&self.keynum)),
            message: format!("cannot sign: {m}"),
            hint: "a fault in briefpress or the key: please report it",
        };
        if comment.contains(['\n', '\r']) {
            return Err(fault("a trusted comment is one line".into()));
        }
        let digest = blake2::Blake2b512::digest(data);
        let sig = self.key.sign(&digest).to_bytes();
        // "ED": a signature over the BLAKE2b-512 digest (minisign's default since 0.8).
        let mut line = Vec::with_capacity(74);
        line.extend_from_slice(b"ED");
        line.extend_from_slice(&self.keynum);
        line.extend_from_slice(&sig);
        let mut global = sig.to_vec();
        global.extend_from_slice(comment.as_bytes());
        let global = self.key.sign(&global).to_bytes();
        let b64 = base64::engine::general_purpose::STANDARD;
        let text = format!(
            "untrusted comment: signature from briefpress secret key {}\n{}\ntrusted comment: {comment}\n{}\n",
            key_id(&self.keynum),
            b64.encode(&line),
            b64.encode(global),
        );
        // Held against the reference implementation's reading before it is written.
        let boxed = minisign::SignatureBox::from_string(&text)
            .map_err(|e| fault(format!("the signature does not parse: {e}")))?;
        minisign::verify(&self.public, &boxed, Cursor::new(data), true, false, false)
            .map_err(|e| fault(format!("the signature does not verify: {e}")))?;
        Ok(text)
    }
}

/// A public key trusted to sign manifests.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    key: minisign::PublicKey,
    /// Where it came from, for messages: a file, or "the key given".
    pub origin: String,
}

impl TrustedKey {
    /// A public key from `arg`: the path of a minisign public key file, or the key
    /// itself (the base64 line of such a file).
    pub fn parse(arg: &str) -> Result<TrustedKey> {
        let path = Path::new(arg);
        let looks_like_key = arg.len() == 56 && arg.starts_with("RW") && !path.exists();
        if looks_like_key {
            let key = minisign::PublicKey::from_base64(arg).map_err(|e| {
                key_error(path, format!("not a minisign public key: {e}"), HINT_PUBLIC)
            })?;
            return Ok(TrustedKey {
                key,
                origin: format!("the key {arg}"),
            });
        }
        let text = read_text(path, "public key", HINT_PUBLIC)?;
        let boxed = minisign::PublicKeyBox::from_string(&text)
            .and_then(minisign::PublicKeyBox::into_public_key)
            .map_err(|e| key_error(path, format!("not a minisign public key: {e}"), HINT_PUBLIC))?;
        Ok(TrustedKey {
            key: boxed,
            origin: path.display().to_string(),
        })
    }

    /// Verify the signature beside the manifest whose bytes are `manifest_bytes`;
    /// `Err` says in words why it does not hold. The trusted comment must name `slug`,
    /// so one brief's signed manifest cannot stand in for another's.
    pub fn verify(
        &self,
        signature: &Path,
        manifest_bytes: &[u8],
        slug: &str,
    ) -> std::result::Result<(), String> {
        let text = match crate::input::read_regular(signature, MAX_KEY_BYTES) {
            Ok(b) => {
                String::from_utf8(b).map_err(|_| "the signature file is not text".to_owned())?
            }
            Err(crate::input::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "the manifest is not signed ({} is missing); build with --sign-key",
                    signature.display()
                ))
            }
            Err(e) => return Err(format!("cannot read {}: {e}", signature.display())),
        };
        let boxed = minisign::SignatureBox::from_string(&text)
            .map_err(|e| format!("{} is not a minisign signature: {e}", signature.display()))?;
        minisign::verify(
            &self.key,
            &boxed,
            Cursor::new(manifest_bytes),
            true,
            false,
            false,
        )
        .map_err(|e| {
            format!(
                "the manifest's signature does not verify with {} ({e}): the manifest \
                     was changed after it was signed, or signed with another key",
                self.origin
            )
        })?;
        let comment = boxed
            .trusted_comment()
            .map_err(|e| format!("the signature's trusted comment is unreadable: {e}"))?;
        if comment != trusted_comment(slug) {
            return Err(format!(
                "the signature is for another file (its trusted comment says {comment:?})"
            ));
        }
        Ok(())
    }
}

/// The trusted comment of the signature of `slug`'s manifest.
pub fn trusted_comment(slug: &str) -> String {
    format!("file:{slug}.manifest.json")
}

/// Make a new key pair: the secret key at `path` (unencrypted, or protected by the
/// password in [`PASSWORD_VAR`] when it is set) and the public key at `path.pub`.
/// Neither file may exist already. Returns the public key's path.
pub fn keygen(path: &Path) -> Result<PathBuf> {
    let public_path = {
        let mut p = path.as_os_str().to_owned();
        p.push(".pub");
        PathBuf::from(p)
    };
    let password = std::env::var(PASSWORD_VAR).ok().filter(|p| !p.is_empty());
    let fault = |m: String| key_error(path, m, "run keygen again");
    let pair = match &password {
        Some(p) => minisign::KeyPair::generate_encrypted_keypair(Some(p.clone())),
        None => minisign::KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| fault(format!("cannot make a key: {e}")))?;
    let secret = pair
        .sk
        .to_box(Some("briefpress secret key"))
        .map_err(|e| fault(format!("cannot encode the key: {e}")))?
        .to_string();
    let public = pair
        .pk
        .to_box()
        .map_err(|e| fault(format!("cannot encode the key: {e}")))?
        .to_string();
    if public_path.exists() {
        return Err(exists(&public_path));
    }
    create_new(path, secret.as_bytes(), 0o600)?;
    create_new(&public_path, public.as_bytes(), 0o644)?;
    Ok(public_path)
}

fn exists(path: &Path) -> Error {
    key_error(
        path,
        "the file exists already",
        "keys are never overwritten: choose another name, or remove the old key first",
    )
}

/// Write a new file that must not exist yet (`O_EXCL`), readable as `mode` says.
fn create_new(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists(path)
        } else {
            Error::io("create", path, e)
        }
    })?;
    f.write_all(bytes).map_err(|e| Error::io("write", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(dir: &Path) -> (SigningKey, TrustedKey) {
        let key = dir.join("release.key");
        let public = keygen(&key).unwrap();
        (
            SigningKey::read(&key).unwrap(),
            TrustedKey::parse(public.to_str().unwrap()).unwrap(),
        )
    }

    #[test]
    fn a_signature_verifies_is_deterministic_and_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let (signer, trusted) = pair(dir.path());
        let data = b"{\"slug\":\"seed\"}\n";
        let text = signer.sign(data, &trusted_comment("seed")).unwrap();
        assert_eq!(text, signer.sign(data, &trusted_comment("seed")).unwrap());
        let sig = dir.path().join("seed.manifest.json.minisig");
        std::fs::write(&sig, &text).unwrap();
        trusted.verify(&sig, data, "seed").unwrap();
        let other = trusted.verify(&sig, b"{\"slug\":\"seed\"} \n", "seed");
        assert!(other.unwrap_err().contains("does not verify"));
        let swapped = trusted.verify(&sig, data, "other");
        assert!(swapped.unwrap_err().contains("another file"));
    }

    #[test]
    fn another_key_or_no_signature_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (signer, _) = pair(dir.path());
        let other = tempfile::tempdir().unwrap();
        let (_, stranger) = pair(other.path());
        let data = b"manifest";
        let sig = dir.path().join("x.minisig");
        std::fs::write(&sig, signer.sign(data, &trusted_comment("x")).unwrap()).unwrap();
        assert!(stranger
            .verify(&sig, data, "x")
            .unwrap_err()
            .contains("does not verify"));
        let missing = dir.path().join("none.minisig");
        assert!(stranger
            .verify(&missing, data, "x")
            .unwrap_err()
            .contains("not signed"));
    }

    #[test]
    fn keys_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        keygen(&key).unwrap();
        let before = std::fs::read(&key).unwrap();
        assert!(keygen(&key).is_err());
        assert_eq!(std::fs::read(&key).unwrap(), before);
    }
}
