//! What `briefpress check` reports: per brief, the files that changed since the
//! release manifest and, per edition, the content differences. The same structures
//! are printed for people ([`Report::render`]) and serialised as the `--json`
//! document described in `docs/check-json.md`.

use std::fmt::Write;
use std::path::PathBuf;

use crate::render::Format;

use super::compare::Difference;

/// Version of the JSON layout; bump on any incompatible change.
pub const SCHEMA: u32 = 1;

/// The verdict on one edition file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EditionReport {
    pub format: Format,
    pub path: PathBuf,
    /// Words read from the file (furniture excluded).
    pub words: usize,
    pub differences: Vec<Difference>,
}

/// Which kind of file a [`Changed`] entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Source,
    House,
    Font,
    Edition,
    /// The content digest: the words the source and house style define.
    Content,
}

/// A file whose digest is not the one the release manifest records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changed {
    pub kind: FileKind,
    /// The file (for fonts, the name in the house style).
    pub path: String,
    /// SHA-256 in the manifest; `null` when the manifest does not list the file.
    pub expected: Option<String>,
    /// SHA-256 now; `null` when the file is missing.
    pub found: Option<String>,
}

/// The verdict on one brief.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BriefReport {
    pub slug: String,
    pub source: PathBuf,
    /// The release manifest used, if there was one.
    pub manifest: Option<PathBuf>,
    /// Number of content words the source defines.
    pub content_words: usize,
    pub content_digest: String,
    /// Files that differ from the manifest (empty without a manifest).
    pub changed: Vec<Changed>,
    pub editions: Vec<EditionReport>,
    /// The manifest's signature, when `check --trust-key` asked for one (absent
    /// otherwise, and when there is no manifest to sign).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    /// Edition files in the folder that the manifest does not list (left from an
    /// earlier build with other formats): reported, not checked, not a failure.
    pub extra: Vec<PathBuf>,
}

/// The verdict on a manifest's signature (`check --trust-key`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Signature {
    /// The signature file (`<slug>.manifest.json.minisig`).
    pub path: PathBuf,
    /// Whether it is a valid signature of the manifest, by the trusted key, for this
    /// brief.
    pub verified: bool,
    /// Why not, in words.
    pub problem: Option<String>,
}

/// A brief that could not be checked (a missing source, an unreadable edition or
/// manifest); the other briefs are checked all the same.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FailedBrief {
    pub slug: String,
    /// The exit code this failure alone would give.
    pub exit: i32,
    /// The error as the terminal shows it.
    pub message: String,
    /// One record per problem: `file`, `line`, `column`, `message`, `hint`.
    pub errors: Vec<serde_json::Value>,
}

/// The verdict on everything checked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Version of the JSON layout ([`SCHEMA`]).
    pub schema: u32,
    pub ok: bool,
    /// Whether a brief without a release manifest fails (`check --require-manifest`).
    pub manifest_required: bool,
    pub briefs: Vec<BriefReport>,
    /// Briefs that could not be checked.
    pub failed: Vec<FailedBrief>,
}

fn short(h: &Option<String>) -> String {
    h.as_deref()
        .map_or_else(|| "none".to_owned(), |h| h.chars().take(12).collect())
}

impl Report {
    /// The exit code: a brief that could not be checked gives its error's code (1),
    /// otherwise a mismatch gives 3.
    pub fn exit_code(&self) -> i32 {
        match self.failed.iter().map(|f| f.exit).max() {
            Some(code) => code,
            None if self.ok => crate::error::EXIT_OK,
            None => crate::error::EXIT_MISMATCH,
        }
    }

    /// Human-readable report: one line per edition, one block per difference.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for b in &self.briefs {
            b.render_manifest(&mut s, self.manifest_required);
            b.render_signature(&mut s);
            b.render_extra(&mut s);
            b.render_editions(&mut s);
        }
        for f in &self.failed {
            let _ = writeln!(s, "{}", f.message.trim_end());
        }
        s
    }
}

impl BriefReport {
    /// Write the note on a missing release manifest and a line per changed file.
    fn render_manifest(&self, s: &mut String, manifest_required: bool) {
        if self.manifest.is_none() {
            let (kind, then) = if manifest_required {
                ("missing", "required by --require-manifest")
            } else {
                (
                    "note",
                    "only the content was checked, not that these are the files the build wrote",
                )
            };
            let _ = writeln!(
                s,
                "{kind}: {} has no release manifest ({}.manifest.json): {then}",
                self.slug, self.slug
            );
        }
        for c in &self.changed {
            let what = match (&c.expected, &c.found) {
                (_, None) => "is missing".to_owned(),
                (None, _) => "is not in the manifest".to_owned(),
                _ => format!(
                    "has changed since the build (sha256 {}… recorded, {}… now)",
                    short(&c.expected),
                    short(&c.found)
                ),
            };
            let kind = serde_json::to_value(c.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let manifest = self
                .manifest
                .as_ref()
                .map_or_else(String::new, |m| format!(" (per {})", m.display()));
            let _ = writeln!(s, "changed: {kind} {} {what}{manifest}", c.path);
        }
    }

    /// Write the verdict on the manifest's signature, if one was asked for.
    fn render_signature(&self, s: &mut String) {
        match &self.signature {
            Some(sig) if sig.verified => {
                let _ = writeln!(
                    s,
                    "ok: {} is a valid signature of the manifest",
                    sig.path.display()
                );
            }
            Some(sig) => {
                let why = sig.problem.as_deref().unwrap_or("it does not verify");
                let _ = writeln!(s, "unsigned: {}: {why}", self.slug);
            }
            None => {}
        }
    }

    /// Write a line per edition file the manifest does not list.
    fn render_extra(&self, s: &mut String) {
        for x in &self.extra {
            let manifest = self
                .manifest
                .as_ref()
                .map_or_else(String::new, |m| m.display().to_string());
            let _ = writeln!(
                s,
                "extra: {} is not in {manifest}: left from an earlier build, not checked \
                 (build that format again, or remove the file)",
                x.display()
            );
        }
    }

    /// Write a line per edition, and one per difference found in it.
    fn render_editions(&self, s: &mut String) {
        for e in &self.editions {
            if e.differences.is_empty() {
                let _ = writeln!(
                    s,
                    "ok: {} carries the content of {} ({} words)",
                    e.path.display(),
                    self.source.display(),
                    self.content_words
                );
                continue;
            }
            let _ = writeln!(
                s,
                "mismatch: {} differs from {} in {} place(s)",
                e.path.display(),
                self.source.display(),
                e.differences.len()
            );
            for d in &e.differences {
                if let Some(c) = &d.construct {
                    let _ = writeln!(s, "  --> {} ({}): {c}", e.format.ext(), d.place);
                    continue;
                }
                let _ = writeln!(
                    s,
                    "  --> {} ({}): expected {:?}, found {:?}{}",
                    e.format.ext(),
                    d.place,
                    d.expected.join(" "),
                    d.found.join(" "),
                    if d.context.is_empty() {
                        String::new()
                    } else {
                        format!(", after \"… {}\"", d.context)
                    }
                );
            }
        }
    }
}
