//! Comparing files with the digests of their release manifest: a changed file is
//! reported as such, apart from content differences.

use std::path::{Path, PathBuf};

use crate::house::House;
use crate::manifest::{self, sha256, Manifest};
use crate::render::Format;

use super::report::{Changed, FileKind};

fn changed(kind: FileKind, path: String, expected: Option<&str>, found: Option<String>) -> Changed {
    Changed {
        kind,
        path,
        expected: expected.map(str::to_owned),
        found,
    }
}

/// The source, the house style, its fonts and the content digest against `m`.
pub fn inputs(
    m: &Manifest,
    source: &Path,
    source_bytes: &[u8],
    house: &House,
    content_digest: &str,
) -> Vec<Changed> {
    let mut out = Vec::new();
    let s = sha256(source_bytes);
    if s != m.source.sha256 {
        let p = source.display().to_string();
        out.push(changed(
            FileKind::Source,
            p,
            Some(&m.source.sha256),
            Some(s),
        ));
    }
    let h = manifest::house_digest(house);
    if h.sha256 != m.house.sha256 {
        out.push(changed(
            FileKind::House,
            h.path,
            Some(&m.house.sha256),
            Some(h.sha256),
        ));
    }
    let now = manifest::house_fonts(house);
    for f in &m.fonts {
        match now.iter().find(|n| n.path == f.path) {
            Some(n) if n.sha256 == f.sha256 => {}
            Some(n) => out.push(changed(
                FileKind::Font,
                f.path.clone(),
                Some(&f.sha256),
                Some(n.sha256.clone()),
            )),
            None => out.push(changed(
                FileKind::Font,
                f.path.clone(),
                Some(&f.sha256),
                None,
            )),
        }
    }
    for n in now
        .into_iter()
        .filter(|n| !m.fonts.iter().any(|f| f.path == n.path))
    {
        out.push(changed(FileKind::Font, n.path, None, Some(n.sha256)));
    }
    if content_digest != m.content.sha256 {
        out.push(changed(
            FileKind::Content,
            "content digest".into(),
            Some(&m.content.sha256),
            Some(content_digest.to_owned()),
        ));
    }
    out
}

/// One edition file against `m`.
pub fn edition(m: &Manifest, format: Format, path: &Path, bytes: &[u8]) -> Option<Changed> {
    let recorded = m.editions.iter().find(|e| e.format() == Some(format));
    let now = sha256(bytes);
    match recorded {
        Some(e) if e.sha256 == now => None,
        Some(e) => Some(changed(
            FileKind::Edition,
            path.display().to_string(),
            Some(&e.sha256),
            Some(now),
        )),
        None => Some(changed(
            FileKind::Edition,
            path.display().to_string(),
            None,
            Some(now),
        )),
    }
}

/// Editions the manifest lists that the folder lacks.
pub fn missing(m: &Manifest, dir: &Path, present: &[(Format, PathBuf)]) -> Vec<Changed> {
    m.editions
        .iter()
        .filter(|e| !present.iter().any(|(f, _)| e.format() == Some(*f)))
        .map(|e| {
            let p = dir.join(&e.file).display().to_string();
            changed(FileKind::Edition, p, Some(&e.sha256), None)
        })
        .collect()
}
