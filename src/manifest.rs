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

/// The hint for a manifest value no build writes.
pub const HINT_UNTRUSTED: &str = "a manifest is untrusted input: rebuild the brief to write a new one, or remove it to check the content alone";

/// The hint for a source the manifest names that is not there to be read.
pub const HINT_GONE: &str = "if the brief was renamed or removed, `briefpress clean` removes its editions and manifest; a source outside the project folder (the folder that holds the manifest's folder) is recorded by its file name alone and looked for there and in ./source: pass --source DIR, or rebuild the brief";

/// The hint for a source path that leads out of the project folder.
pub const HINT_ELSEWHERE: &str = "a source outside the project folder (the folder that holds the manifest's folder) is recorded by its file name alone: pass --source DIR, or rebuild the brief";

/// Version of the manifest layout; bump on any incompatible change.
pub const SCHEMA: u32 = 1;

/// Largest manifest `check` will read: a manifest is a few kilobytes (counted while
/// reading, so a file that claims another size or grows still stops here).
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// A release manifest. Field order is alphabetical on purpose (see module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The briefpress version that built the editions.
    pub briefpress: String,
    /// How the editions were made, for incremental builds (see [`crate::incremental`]).
    /// Manifests of older builds lack it; their briefs are then always rebuilt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildRecord>,
    /// The content of the brief (see [`crate::content`]).
    pub content: ContentDigest,
    /// Every edition written, in build order.
    pub editions: Vec<EditionDigest>,
    /// Every font of the house style, in the style's order.
    pub fonts: Vec<FileDigest>,
    /// The house style file.
    pub house: FileDigest,
    /// Front-matter values `build --set` overrode, in the order given; `check` applies
    /// them to the source again (see [`crate::overrides`]). Absent when there were none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<crate::overrides::Set>,
    /// Layout version of this document.
    pub schema: u32,
    /// The brief's slug (file stem of the source and the editions).
    pub slug: String,
    /// The source file.
    pub source: FileDigest,
    /// Seconds since 1970 written into the editions as their date.
    pub source_date_epoch: i64,
}

/// The inputs of a build that the rest of the manifest does not name: the options,
/// where the date came from, the house logo and the brief's figures. Fields sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildRecord {
    /// SHA-256 of the code of the briefpress that built the brief (its sources and
    /// lock file, as compiled): a briefpress changed without a new version number
    /// rebuilds. Empty in manifests from before it was recorded.
    #[serde(default)]
    pub code: String,
    /// The PDF edition: `screen` or `print`.
    pub edition: String,
    /// Where [`Manifest::source_date_epoch`] came from: `source` (the brief's date) or
    /// `environment` (`SOURCE_DATE_EPOCH`).
    pub epoch_from: String,
    /// The figures of the brief, each path relative to the source's folder.
    pub images: Vec<FileDigest>,
    /// SHA-256 of the house logo.
    pub logo: String,
    /// The PDF/A level: `a-2b` or `a-3b`.
    pub pdf_standard: String,
    /// SHA-256 of the print output profile the house names (`[print]`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print_profile: Option<String>,
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

impl ContentDigest {
    /// The digest of `content`: its words taken once, hashed and counted.
    pub fn of(content: &crate::content::Content) -> ContentDigest {
        let words = content.words();
        ContentDigest {
            sha256: crate::content::digest(&words),
            words: words.len(),
        }
    }
}

/// A file named by the build and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDigest {
    /// The source's path relative to the project folder (the folder that holds the
    /// output folder), `/`-separated; or the name in the house style.
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
    crate::hex::encode(&sha2::Sha256::digest(bytes))
}

/// The manifest path for `slug` in the output folder `dir`.
pub fn path_for(dir: &Path, slug: &str) -> PathBuf {
    dir.join(format!("{slug}.manifest.json"))
}

/// Everything a manifest records about one build of one brief.
pub struct Inputs<'a> {
    pub slug: &'a str,
    /// The project folder (see [`project_folder`]): the source's and the house style's
    /// paths are recorded relative to it.
    pub project: &'a Path,
    /// The source file as the build was given it.
    pub source_path: &'a Path,
    pub source_bytes: &'a [u8],
    pub house: &'a House,
    pub content: &'a ContentDigest,
    pub epoch: i64,
    /// The editions written, in order.
    pub editions: Vec<EditionDigest>,
}

impl Manifest {
    /// Describe one build.
    pub fn new(i: &Inputs<'_>) -> Manifest {
        Manifest {
            briefpress: env!("CARGO_PKG_VERSION").to_owned(),
            build: None,
            content: i.content.clone(),
            editions: i.editions.clone(),
            fonts: house_fonts(i.house),
            house: FileDigest {
                path: if Path::new(&i.house.origin).is_file() {
                    record_path(i.project, Path::new(&i.house.origin))
                } else {
                    i.house.origin.clone()
                },
                ..house_digest(i.house)
            },
            overrides: Vec::new(),
            schema: SCHEMA,
            slug: i.slug.to_owned(),
            source: FileDigest {
                path: record_path(i.project, i.source_path),
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

    /// Read the manifest of `slug` at `path`; a missing file is `Ok(None)`.
    ///
    /// A manifest is untrusted input (it travels with the editions): it is read with a
    /// size cap, only from a regular file, and every path in it must be one that a build
    /// could have written (see [`confined`]); otherwise the manifest is refused with an
    /// error naming the field, before any file it names is opened.
    pub fn read(path: &Path, slug: &str) -> Result<Option<Manifest>> {
        Ok(Manifest::read_bytes(path, slug)?.0)
    }

    /// [`Manifest::read`], also returning the bytes read (what a signature covers).
    pub fn read_bytes(path: &Path, slug: &str) -> Result<(Option<Manifest>, Option<Vec<u8>>)> {
        let bad = |message: String| Error::Unreadable {
            path: path.to_owned(),
            message,
        };
        let bytes = match crate::input::read_regular(path, MAX_MANIFEST_BYTES) {
            Ok(b) => b,
            Err(crate::input::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((None, None))
            }
            Err(crate::input::ReadError::Io(e)) => return Err(Error::io("read", path, e)),
            Err(e) => return Err(bad(format!("{e}; not a briefpress manifest"))),
        };
        let m: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| bad(format!("not a briefpress manifest: {e}")))?;
        if m.schema != SCHEMA {
            return Err(bad(format!(
                "manifest schema {} is not supported (this briefpress reads schema {SCHEMA})",
                m.schema
            )));
        }
        m.validate(path, slug)?;
        Ok((Some(m), Some(bytes)))
    }

    /// Refuse values a build cannot have written: another slug, a source path outside
    /// the project folder or not named after the slug, an edition outside the
    /// manifest's folder.
    fn validate(&self, path: &Path, slug: &str) -> Result<()> {
        let bad = |field: &'static str, message: String| Error::Manifest {
            path: path.to_owned(),
            field,
            message,
            hint: HINT_UNTRUSTED,
        };
        if self.slug != slug {
            return Err(bad(
                "slug",
                format!(
                    "{} is not the slug of its file name ({slug:?})",
                    quote(&self.slug)
                ),
            ));
        }
        confined(&self.source.path).map_err(|m| bad("source.path", m))?;
        let stem = Path::new(&self.source.path)
            .file_stem()
            .and_then(|s| s.to_str());
        if stem != Some(slug) {
            return Err(bad(
                "source.path",
                format!(
                    "{} is not a source of the brief {slug:?} (a file named {slug}.md)",
                    quote(&self.source.path)
                ),
            ));
        }
        for e in &self.editions {
            if confined(&e.file).is_err() || e.file.contains('/') {
                return Err(bad(
                    "editions.file",
                    format!(
                        "{} is not a file name in the manifest's folder",
                        quote(&e.file)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// `value` quoted for a message, shortened: it comes from an untrusted file.
fn quote(value: &str) -> String {
    const MAX: usize = 80;
    match value.char_indices().nth(MAX) {
        Some((at, _)) => format!("{:?}…", &value[..at]),
        None => format!("{value:?}"),
    }
}

/// Check that `path`, from a manifest, is relative and stays inside the folder it is
/// resolved in: `/`-separated names, none empty, `.` or `..`, and no NUL.
pub fn confined(path: &str) -> std::result::Result<(), String> {
    if path.is_empty() {
        return Err("is empty".into());
    }
    if path.starts_with('/') || Path::new(path).is_absolute() {
        return Err(format!(
            "{} is an absolute path; a manifest names files relative to the project folder",
            quote(path)
        ));
    }
    if path.contains('\0') {
        return Err(format!("{} holds a NUL character", quote(path)));
    }
    // On Windows a backslash separates folders and a colon starts a drive or a stream;
    // briefpress writes neither there. Elsewhere both are ordinary characters of a name.
    #[cfg(windows)]
    if path.contains('\\') || path.contains(':') {
        return Err(format!("{} holds `\\` or `:`", quote(path)));
    }
    if path
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(format!(
            "{} leaves the project folder or is not a plain relative path (no `..`, `.` or empty names)",
            quote(path)
        ));
    }
    Ok(())
}

/// The project folder of an output folder: the folder that holds it (`dist/..`).
/// `real_out` is the output folder with symlinks resolved.
pub fn project_folder(real_out: &Path) -> PathBuf {
    real_out.parent().unwrap_or(real_out).to_owned()
}

/// The path the manifest records for the file at `source` (the brief's source, or the
/// house style): relative to `project` (the project folder, symlinks resolved),
/// `/`-separated; a file outside the project folder is recorded by its file name alone.
/// The same file gives the same path whatever folder the build runs in.
pub fn record_path(project: &Path, source: &Path) -> String {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = source
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The folder's symlinks are resolved, the file's own name is kept: a source that is
    // itself a symlink is recorded where the build found it.
    let inside = std::fs::canonicalize(parent)
        .ok()
        .and_then(|p| p.strip_prefix(project).ok().map(Path::to_owned));
    match inside {
        Some(rel) => {
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.push(name);
            parts.join("/")
        }
        None => name,
    }
}

/// Whether `m` names its source by file name alone, as [`record_path`] records a
/// source outside the project folder (or one at its top).
pub fn recorded_by_name(m: &Manifest) -> bool {
    !m.source.path.is_empty() && !m.source.path.contains('/')
}

/// Where the source a manifest at `manifest_path` names is: its `source.path` (already
/// [`confined`]) under the project folder of the manifest's folder, with symlinks
/// resolved. A symlink there that leads out of the project folder is refused: the
/// manifest could otherwise reach any file through one planted beside it.
pub fn resolve_source(manifest_path: &Path, m: &Manifest) -> Result<PathBuf> {
    resolve_source_below(manifest_path, m, 0)
}

/// [`resolve_source`] for a manifest `levels` subfolders below the output folder (a
/// build mirrors `source/2024/x.md` as `dist/2024/x.*`): the project folder is the one
/// that holds the output folder, as for a manifest at its top.
pub fn resolve_source_below(manifest_path: &Path, m: &Manifest, levels: usize) -> Result<PathBuf> {
    let dir = manifest_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let real = std::fs::canonicalize(dir).map_err(|e| Error::io("read", dir, e))?;
    let out = real.ancestors().nth(levels).unwrap_or(&real);
    let project = project_folder(out);
    let mut path = project.clone();
    path.extend(m.source.path.split('/'));
    match std::fs::canonicalize(&path) {
        Ok(real) if real.starts_with(&project) => Ok(real),
        Ok(_) => Err(Error::Manifest {
            path: manifest_path.to_owned(),
            field: "source.path",
            message: format!(
                "{} leads through a symbolic link out of the project folder {}",
                quote(&m.source.path),
                project.display()
            ),
            hint: HINT_ELSEWHERE,
        }),
        // Missing: the read says so, naming the manifest.
        Err(_) => Ok(path),
    }
}

/// How many subfolders below its output folder the manifest at `manifest_path`
/// seems to lie, judged from its own folder and its `source.path` alone: a build
/// mirrors `source/2024/x.md` as `dist/2024/x.*`, so the trailing folders the two
/// share (here `2024`) are the mirrored ones. The source path's first folder (the
/// folder of sources the build was given) is never counted. For an edition named on
/// its own, whose output folder nobody said; [`resolve_source_below`] with the
/// answer finds the source only if the guess is right, and the caller keeps it only
/// then.
pub fn mirrored_levels(manifest_path: &Path, m: &Manifest) -> usize {
    let dir = manifest_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(real) = std::fs::canonicalize(dir) else {
        return 0;
    };
    let folders: Vec<&str> = m.source.path.split('/').collect();
    let Some((_, folders)) = folders.split_last() else {
        return 0;
    };
    // The first folder is the sources' own; only those below it are mirrored.
    let mirrored = folders.get(1..).unwrap_or_default();
    let mut here = real.components().rev();
    mirrored
        .iter()
        .rev()
        .take_while(|f| here.next().is_some_and(|c| c.as_os_str() == **f))
        .count()
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
        let content = ContentDigest::of(&crate::content::Content::default());
        let m = Manifest::new(&Inputs {
            slug: "x",
            project: Path::new("/nonexistent"),
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
        // A manifest without the build record (an older build's) still reads.
        assert!(!String::from_utf8(json).unwrap().contains("\"build\""));
        let mut m = m;
        m.build = Some(BuildRecord {
            code: "c0de".into(),
            edition: "screen".into(),
            epoch_from: "source".into(),
            images: Vec::new(),
            logo: String::new(),
            pdf_standard: "a-2b".into(),
            print_profile: None,
        });
        let json = m.to_json();
        let back: Manifest = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, m);
        // Without a house print profile the record has no key for it.
        assert!(!String::from_utf8_lossy(&json).contains("print_profile"));
        // Top-level keys appear in alphabetical order in the written text.
        let text = String::from_utf8(json).unwrap();
        let keys = [
            "briefpress",
            "build",
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

    #[test]
    fn only_plain_relative_paths_are_confined() {
        for ok in ["source/x.md", "x.md", "a/b/c/x.md", "sp ace/x.md", "..x.md"] {
            assert!(confined(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/proc/self/environ",
            "/dev/zero",
            "../x.md",
            "source/../../x.md",
            "source/..",
            "./x.md",
            "source//x.md",
            "source/x.md/",
            "x\0.md",
        ] {
            assert!(confined(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn recorded_paths_are_relative_to_the_project_folder() {
        let dir = tempfile::tempdir().unwrap();
        let project = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(project.join("source/sub")).unwrap();
        let src = project.join("source/sub/x.md");
        std::fs::write(&src, "x").unwrap();
        assert_eq!(record_path(&project, &src), "source/sub/x.md");
        // The same file through a path with `..` in it.
        let roundabout = project.join("source/sub/../sub/x.md");
        assert_eq!(record_path(&project, &roundabout), "source/sub/x.md");
        // Outside the project folder: the file name alone.
        let inner = project.join("source");
        assert_eq!(record_path(&inner.join("sub/elsewhere"), &src), "x.md");
    }

    /// The manifest of a brief `x` built in `project` from `x.md` with the built-in
    /// house and no content, listing `editions`.
    fn manifest_of_x(project: &Path, editions: Vec<EditionDigest>) -> Manifest {
        let house = crate::house::builtin().unwrap();
        let content = ContentDigest::of(&crate::content::Content::default());
        Manifest::new(&Inputs {
            slug: "x",
            project,
            source_path: &project.join("x.md"),
            source_bytes: b"abc",
            house: &house,
            content: &content,
            epoch: 0,
            editions,
        })
    }

    #[test]
    fn a_manifest_for_another_slug_or_with_a_stray_edition_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let txt = EditionDigest::of("x.txt".into(), Format::Txt, b"hello");
        let m = manifest_of_x(dir.path(), vec![txt]);
        let path = dir.path().join("x.manifest.json");
        std::fs::write(&path, m.to_json()).unwrap();
        assert_eq!(Manifest::read(&path, "x").unwrap(), Some(m.clone()));
        let err = Manifest::read(&path, "y").unwrap_err().to_string();
        assert!(err.contains("field `slug`"), "{err}");
        let mut bad = m;
        bad.editions[0].file = "../x.txt".into();
        std::fs::write(&path, bad.to_json()).unwrap();
        let err = Manifest::read(&path, "x").unwrap_err().to_string();
        assert!(err.contains("field `editions.file`"), "{err}");
    }

    /// The folders a manifest and its source share at their ends are the mirrored
    /// ones, but never the sources' own first folder.
    #[test]
    fn mirrored_levels_are_the_trailing_folders_below_the_sources_folder() {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("dist/2024/q1");
        std::fs::create_dir_all(&at).unwrap();
        let mut m = manifest_of_x(dir.path(), Vec::new());
        let path = at.join("x.manifest.json");
        for (source, levels) in [
            ("source/2024/q1/x.md", 2),
            ("briefs/2023/q1/x.md", 1),
            ("source/q1/x.md", 1),
            ("source/x.md", 0),
            ("q1/x.md", 0),
            ("x.md", 0),
        ] {
            m.source.path = source.into();
            assert_eq!(mirrored_levels(&path, &m), levels, "{source}");
        }
    }
}
