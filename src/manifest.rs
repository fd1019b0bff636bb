//! The release manifest `dist/<slug>.manifest.json`: what a build was made from and
//! what it wrote, as SHA-256 digests, so `briefpress check` can tell a changed file
//! from a content difference.
//!
//! The manifest is deterministic: no wall-clock time, keys in alphabetical order
//! (struct fields are declared sorted, and serde writes them in declaration order),
//! fonts in the order of the house style's font list, editions in build order.
//! `build` writes it last, only after every edition of the brief is in place.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::house::House;
use crate::render::Format;

/// Version of the manifest layout; bump on any incompatible change.
pub const SCHEMA: u32 = 1;

/// Largest manifest `check` will read: a manifest is a few kilobytes.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// A release manifest. Field order is alphabetical on purpose (see module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The briefpress version that built the editions.
    pub briefpress: String,
    /// The content of the brief (see [`crate::content`]).
    pub content: ContentDigest,
    /// Every edition written, in build order.
    pub editions: Vec<EditionDigest>,
    /// Every font of the house style, in the style's order.
    pub fonts: Vec<FileDigest>,
    /// The house style file.
    pub house: FileDigest,
    /// Layout version of this document.
    pub schema: u32,
    /// The brief's slug (file stem of the source and the editions).
    pub slug: String,
    /// The source file.
    pub source: FileDigest,
    /// Seconds since 1970 written into the editions as their date.
    pub source_date_epoch: i64,
}

/// The digest of a brief's content words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentDigest {
    /// [`crate::content::Content::digest`].
    pub sha256: String,
    /// Number of content words.
    pub words: usize,
}

/// A file named by the build and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDigest {
    /// The path as the build was given it (source), or the name in the house style.
    pub path: String,
    pub sha256: String,
}

/// One written edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionDigest {
    pub bytes: u64,
    /// File name, relative to the manifest's folder.
    pub file: String,
    /// `pdf`, `epub` or `txt`.
    pub format: String,
    pub sha256: String,
}

impl EditionDigest {
    /// The digest of edition `bytes` in `format`, written as `file`.
    pub fn of(file: String, format: Format, bytes: &[u8]) -> EditionDigest {
        EditionDigest {
            bytes: bytes.len() as u64,
            file,
            format: format.ext().to_owned(),
            sha256: sha256(bytes),
        }
    }

    /// The format named by [`EditionDigest::format`], if known.
    pub fn format(&self) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.ext() == self.format)
    }
}

/// Lower-case hexadecimal SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::content::hex(&sha2::Sha256::digest(bytes))
}

/// The manifest path for `slug` in the output folder `dir`.
pub fn path_for(dir: &Path, slug: &str) -> PathBuf {
    dir.join(format!("{slug}.manifest.json"))
}

/// Everything a manifest records about one build of one brief.
pub struct Inputs<'a> {
    pub slug: &'a str,
    pub source_path: &'a Path,
    pub source_bytes: &'a [u8],
    pub house: &'a House,
    pub content: &'a crate::content::Content,
    pub epoch: i64,
    /// The editions written, in order.
    pub editions: Vec<EditionDigest>,
}

impl Manifest {
    /// Describe one build.
    pub fn new(i: &Inputs<'_>) -> Manifest {
        Manifest {
            briefpress: env!("CARGO_PKG_VERSION").to_owned(),
            content: {
                let words = i.content.words();
                ContentDigest {
                    sha256: crate::content::digest(&words),
                    words: words.len(),
                }
            },
            editions: i.editions.clone(),
            fonts: house_fonts(i.house),
            house: house_digest(i.house),
            schema: SCHEMA,
            slug: i.slug.to_owned(),
            source: FileDigest {
                // Forward slashes so the manifest reads the same on every system.
                path: i.source_path.to_string_lossy().replace('\\', "/"),
                sha256: sha256(i.source_bytes),
            },
            source_date_epoch: i.epoch,
        }
    }

    /// The manifest as pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising plain structs of strings and numbers cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s.into_bytes()
    }

    /// Read a manifest; a missing file is `Ok(None)`.
    pub fn read(path: &Path) -> Result<Option<Manifest>> {
        use std::io::Read;
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", path, e)),
        };
        let mut bytes = Vec::new();
        file.take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("read", path, e))?;
        let bad = |message: String| Error::Unreadable {
            path: path.to_owned(),
            message,
        };
        if bytes.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(bad(format!(
                "larger than {MAX_MANIFEST_BYTES} bytes; not a briefpress manifest"
            )));
        }
        let m: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| bad(format!("not a briefpress manifest: {e}")))?;
        if m.schema != SCHEMA {
            return Err(bad(format!(
                "manifest schema {} is not supported (this briefpress reads schema {SCHEMA})",
                m.schema
            )));
        }
        Ok(Some(m))
    }
}

/// The digest of the house style file.
pub fn house_digest(house: &House) -> FileDigest {
    FileDigest {
        path: house.origin.replace('\\', "/"),
        sha256: sha256(&house.toml),
    }
}

/// The digests of the house style's fonts.
pub fn house_fonts(house: &House) -> Vec<FileDigest> {
    house
        .fonts
        .iter()
        .map(|f| FileDigest {
            path: f.name.clone(),
            sha256: f.sha256(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_with_sorted_keys() {
        let house = crate::house::builtin().unwrap();
        let content = crate::content::Content::default();
        let m = Manifest::new(&Inputs {
            slug: "x",
            source_path: Path::new("source/x.md"),
            source_bytes: b"abc",
            house: &house,
            content: &content,
            epoch: 0,
            editions: vec![EditionDigest::of("x.txt".into(), Format::Txt, b"hello")],
        });
        let json = m.to_json();
        let back: Manifest = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, m);
        // Top-level keys appear in alphabetical order in the written text.
        let text = String::from_utf8(json).unwrap();
        let keys = [
            "briefpress",
            "content",
            "editions",
            "fonts",
            "house",
            "schema",
            "slug",
            "source",
            "source_date_epoch",
        ];
        let at: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\n  \"{k}\"")).unwrap())
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert_eq!(
            m.source.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
