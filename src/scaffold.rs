//! Starting points an author asks for: a new brief (`briefpress new SLUG`) and an
//! editable copy of the built-in house style (`briefpress house init DIR`).
//!
//! Both only ever create files: an existing file is never replaced, and the check
//! happens before anything is written, so a refused command leaves the folder as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Why `slug` cannot name a brief, or `None` when it can. A slug is the file stem of the
/// source and of every edition, so it keeps to lower-case ASCII letters, digits and
/// hyphens (safe in every file system and URL), starts with a letter or digit, and is
/// short enough for the longest output name.
pub fn slug_problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        return Some("the slug is empty".into());
    }
    if let Some(c) = slug
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!(
            "{slug:?} holds {c:?}; a slug is lower-case letters a-z, digits and hyphens"
        ));
    }
    if slug.starts_with('-') || slug.ends_with('-') {
        return Some(format!("{slug:?} starts or ends with a hyphen"));
    }
    if slug == "readme" {
        return Some("\"readme\" is the name of source/README.md, which is not a brief".into());
    }
    if slug.len() > crate::build::MAX_SLUG_BYTES {
        return Some(format!(
            "the slug is {} bytes long; at most {} fit the output file names",
            slug.len(),
            crate::build::MAX_SLUG_BYTES
        ));
    }
    None
}

/// The starter brief: every required field filled in with a placeholder to replace, and
/// a body that shows the constructs an author reaches for first. `date` is `YYYY-MM`.
pub fn starter_brief(date: &str) -> String {
    format!(
        r#"---
title: "The title of the brief: replace it"
subtitle: An optional second line; delete it if you do not need one
region: Central Asia
date: {date}
lang: en
authors:
  - name: Your Name
    bio: One or two sentences about you, printed at the end of the brief.
keywords: [keyword, another keyword]
---

The first paragraph opens the brief. Write in plain Markdown: *emphasis*,
**strong** words and [links](https://example.org) work as you would expect.

## A section heading

Sections start with `##`; the title lives in the front matter above, so the body has
no `#` heading. A footnote looks like this.[^source]

- a bulleted list
- with a second item

> A block quote, for a passage you cite.

## Conclusion

Build the brief with `briefpress build`, then prove its editions carry the same words
with `briefpress check`.

[^source]: The text of the footnote, printed with the notes at the end.
"#
    )
}

/// Today as `YYYY-MM` from `seconds` since 1970-01-01 UTC (the CLI passes
/// `SOURCE_DATE_EPOCH` or the clock).
pub fn year_month(seconds: i64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm), enough for a year and a month.
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

/// Write a starter brief for `slug` as `<source_dir>/<slug>.md` (creating the folder),
/// dated `date` (`YYYY-MM`). Refuses a bad slug (exit 2) and an existing file (exit 1).
pub fn new_brief(source_dir: &Path, slug: &str, date: &str) -> Result<PathBuf> {
    if let Some(problem) = slug_problem(slug) {
        return Err(Error::Usage(format!(
            "cannot name a brief {slug:?}: {problem}\n  = hint: try a name such as 2024-05-energy-security"
        )));
    }
    std::fs::create_dir_all(source_dir).map_err(|e| Error::io("create", source_dir, e))?;
    let path = source_dir.join(format!("{slug}.md"));
    create_new(&path, starter_brief(date).as_bytes())?;
    Ok(path)
}

/// Write the built-in house style into `dir` as an editable copy: `house.toml` (its
/// font paths rewritten to `fonts/…`), the fonts with their licence in `fonts/`, and
/// `logo.png`. Refuses, before writing anything, when any of those files exists.
pub fn init_house(dir: &Path) -> Result<Vec<PathBuf>> {
    let (toml, files) = crate::house::builtin_files();
    // The built-in file sits in `branding/` beside `../fonts/`; the copy keeps its fonts
    // in a `fonts/` folder beside it.
    let local = |name: &str| name.strip_prefix("../").unwrap_or(name).to_owned();
    let mut plan: Vec<(PathBuf, &[u8])> = Vec::new();
    let toml = toml.replace("\"../fonts/", "\"fonts/").replace(
        "Paths are relative to this file.",
        "Paths are relative to this file. Keys you delete keep the built-in values.",
    );
    plan.push((dir.join("house.toml"), toml.as_bytes()));
    for (name, bytes) in files {
        plan.push((dir.join(local(name)), bytes));
    }
    plan.push((dir.join("fonts/OFL.txt"), crate::house::FONT_LICENCE));
    if let Some((p, _)) = plan.iter().find(|(p, _)| p.exists()) {
        return Err(Error::Output {
            what: "the house folder",
            path: p.clone(),
            message: "the file exists; nothing was written".into(),
            hint: "choose an empty or new folder for the copy",
        });
    }
    let mut written = Vec::new();
    for (path, bytes) in plan {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        create_new(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Create `path` with `bytes`, failing if it exists (even when it appears between the
/// check and the write).
fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Output {
                what: "the file",
                path: path.to_owned(),
                message: "it exists already; briefpress does not overwrite it".into(),
                hint: "pick another name, or delete or rename the file first",
            })
        }
        Err(e) => return Err(Error::io("create", path, e)),
    };
    f.write_all(bytes).map_err(|e| Error::io("write", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug_problem("2024-05-energy"), None);
        for bad in [
            "", "Upper", "a b", "-a", "a-", "_draft", "x.md", "readme", "é",
        ] {
            assert!(slug_problem(bad).is_some(), "{bad:?}");
        }
        assert!(slug_problem(&"a".repeat(300)).is_some());
    }

    #[test]
    fn year_month_from_seconds() {
        assert_eq!(year_month(0), "1970-01");
        assert_eq!(year_month(1_477_958_400), "2016-11");
        assert_eq!(year_month(951_782_400), "2000-02"); // 29 February 2000
    }
}
