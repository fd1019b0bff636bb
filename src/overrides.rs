//! `build --set key=value`: front-matter values overridden for one build.
//!
//! An override replaces the key's entry in the source's front matter (or adds one) in
//! the text that is parsed; the file on disk is not touched. The release manifest
//! records the overrides beside the digest of the file as it is, and `check` applies
//! them again before it compares, so the editions of an overridden build verify.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::diag::did_you_mean;
use crate::error::Error;

/// The front-matter keys `--set` can change: those holding one line of text.
pub const KEYS: &[&str] = &["title", "subtitle", "region", "date", "lang", "id"];

/// One `key=value` override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Set {
    pub key: String,
    pub value: String,
}

impl std::str::FromStr for Set {
    type Err = String;

    /// Parse `key=value`, refusing unknown keys (with a did-you-mean) and values the
    /// front matter would refuse for that key, so the error names the option.
    fn from_str(s: &str) -> Result<Set, String> {
        let Some((key, value)) = s.split_once('=') else {
            return Err("expected KEY=VALUE, e.g. --set title=\"A new title\"".into());
        };
        let key = key.trim();
        if !KEYS.contains(&key) {
            let hint = did_you_mean(key, KEYS)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            return Err(format!(
                "`{key}` is not a front-matter key --set can change; {hint}the keys are {}",
                KEYS.join(", ")
            ));
        }
        if value.trim().is_empty() {
            return Err(format!("the value of `{key}` is empty"));
        }
        if value.chars().any(char::is_control) {
            return Err(format!(
                "the value of `{key}` holds a control character (a line break?)"
            ));
        }
        if key == "date" {
            crate::parse::front::parse_date(value.trim())
                .map_err(|e| format!("date {value:?}: {e}; write YYYY-MM or YYYY-MM-DD"))?;
        }
        if key == "lang" && !crate::dates::supported(value.trim()) {
            return Err(format!(
                "lang {value:?} is not a language tag with date data (e.g. en, fr, ru)"
            ));
        }
        Ok(Set {
            key: key.to_owned(),
            value: value.to_owned(),
        })
    }
}

/// `source` with each override applied to its front matter: a top-level `key:` entry
/// (with any indented lines that continue it) is replaced by `key: "value"`, and a key
/// the front matter lacks is added before its closing fence. A source without front
/// matter, or not UTF-8, is returned as it is: the parser reports it.
pub fn apply(source: &[u8], sets: &[Set]) -> Vec<u8> {
    apply_placed(source, sets).0
}

/// [`apply`], also giving where each override's entry lies in the new text, so a
/// problem found there can say that the value came from `--set` ([`explain`]).
pub fn apply_placed(source: &[u8], sets: &[Set]) -> (Vec<u8>, Vec<(Range<usize>, Set)>) {
    if sets.is_empty() {
        return (source.to_vec(), Vec::new());
    }
    let Ok(text) = std::str::from_utf8(source) else {
        return (source.to_vec(), Vec::new());
    };
    let mut text = text.to_owned();
    let mut placed: Vec<(Range<usize>, Set)> = Vec::new();
    for set in sets {
        let Some(fm) = crate::parse::front::split(&text) else {
            return (source.to_vec(), Vec::new());
        };
        // A JSON string is a YAML double-quoted scalar with the same escapes.
        let quoted = serde_json::to_string(&set.value).unwrap_or_default();
        let entry = format!("{}: {quoted}\n", set.key);
        let yaml = &text[fm.yaml.clone()];
        let mut at = None;
        let mut offset = fm.yaml.start;
        let mut lines = yaml.split_inclusive('\n').peekable();
        while let Some(line) = lines.next() {
            let start = offset;
            offset += line.len();
            if at.is_none()
                && line
                    .strip_prefix(&set.key)
                    .is_some_and(|r| r.starts_with(':'))
            {
                // The entry runs on over indented (or blank) continuation lines.
                while let Some(next) = lines.peek() {
                    if next.starts_with([' ', '\t']) || next.trim().is_empty() {
                        offset += next.len();
                        lines.next();
                    } else {
                        break;
                    }
                }
                at = Some(start..offset);
            }
        }
        let (start, removed) = match at {
            Some(range) => {
                let start = range.start;
                let removed = range.len();
                text.replace_range(range, &entry);
                (start, removed)
            }
            None => {
                text.insert_str(fm.yaml.end, &entry);
                (fm.yaml.end, 0)
            }
        };
        // Entries placed earlier and lying after this one have moved.
        for (r, _) in &mut placed {
            if r.start >= start + removed {
                let shift = |x: usize| (x + entry.len()).saturating_sub(removed);
                *r = shift(r.start)..shift(r.end);
            }
        }
        placed.push((start..start + entry.len(), set.clone()));
    }
    (text.into_bytes(), placed)
}

/// `err` with a note on each located problem that lies in an entry `--set` placed: the
/// line shown is not in the file on disk, so the hint names the option.
pub fn explain(err: Error, placed: &[(Range<usize>, Set)]) -> Error {
    let Error::Source(mut d) = err else {
        return err;
    };
    for diag in &mut d.diagnostics {
        let Some(span) = &diag.span else { continue };
        if let Some((_, set)) = placed.iter().find(|(r, _)| r.contains(&span.start)) {
            let note = format!("this value comes from --set {}=…", set.key);
            diag.hint = Some(match diag.hint.take() {
                Some(h) => format!("{h} ({note})"),
                None => note,
            });
        }
    }
    Error::Source(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> Set {
        s.parse().expect("valid override")
    }

    #[test]
    fn replaces_adds_and_keeps_the_rest() {
        let src = "---\ntitle: >-\n  Old\n  title\nregion: Asia\n---\n\nBody.\n";
        let out = apply(
            src.as_bytes(),
            &[set("title=New: \"quoted\""), set("subtitle=Sub")],
        );
        let out = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            out,
            "---\ntitle: \"New: \\\"quoted\\\"\"\nregion: Asia\nsubtitle: \"Sub\"\n---\n\nBody.\n"
        );
    }

    #[test]
    fn placed_ranges_cover_each_entry() {
        let src = "---\nregion: Asia\ntitle: Old\n---\n\nBody.\n";
        let sets = [
            set("title=A much longer title"),
            set("region=R"),
            set("id=x"),
        ];
        let (out, placed) = apply_placed(src.as_bytes(), &sets);
        let out = String::from_utf8(out).expect("utf-8");
        assert_eq!(placed.len(), 3);
        for (range, s) in &placed {
            let line = &out[range.clone()];
            assert!(
                line.starts_with(&format!("{}: ", s.key)),
                "{line:?} in {out:?}"
            );
            assert!(line.ends_with('\n'), "{line:?}");
        }
    }

    #[test]
    fn refuses_unknown_keys_and_bad_values() {
        let e = "titel=x".parse::<Set>().expect_err("unknown");
        assert!(e.contains("did you mean `title`?"), "{e}");
        assert!("authors=x".parse::<Set>().is_err());
        assert!("date=2024-13".parse::<Set>().is_err());
        assert!("lang=zz-not".parse::<Set>().is_err());
        assert!("title".parse::<Set>().is_err());
        assert!("title=".parse::<Set>().is_err());
        assert_eq!(set("date=2024-02-29").value, "2024-02-29");
    }

    #[test]
    fn a_source_without_front_matter_is_left_to_the_parser() {
        assert_eq!(
            apply(b"no front matter", &[set("title=x")]),
            b"no front matter"
        );
    }
}
