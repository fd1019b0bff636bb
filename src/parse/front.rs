//! Front matter: the YAML block between the opening `---` lines, into [`Meta`].

use std::ops::Range;

use serde::Deserialize;

use super::chars::Checker;
use crate::diag::{did_you_mean, line_col, Diagnostic};
use crate::model::{Author, BriefDate, Meta};

/// The years a brief may be dated in: beyond them a date is a typo (`0000`, `20016`
/// cut to four digits, `2106` for `2016`), and the archive's calendar arithmetic and
/// file formats (ZIP dates start in 1980) need not stretch to them.
pub const YEARS: std::ops::RangeInclusive<u16> = 1900..=2200;

/// Keys the front matter accepts, for did-you-mean hints.
const KEYS: &[&str] = &[
    "title", "subtitle", "region", "date", "authors", "lang", "id", "keywords",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: Option<String>,
    subtitle: Option<String>,
    region: Option<String>,
    date: Option<String>,
    authors: Option<Vec<RawAuthor>>,
    lang: Option<String>,
    id: Option<String>,
    keywords: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthor {
    name: Option<String>,
    bio: Option<String>,
}

/// Where the front matter lies in the file.
pub struct FrontMatter {
    /// Byte range of the YAML text (between the fence lines).
    pub yaml: Range<usize>,
    /// Byte offset where the Markdown body begins.
    pub body_start: usize,
}

/// Find the `---` fences. `None` when the file does not open with front matter.
pub fn split(text: &str) -> Option<FrontMatter> {
    let first = text.lines().next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let yaml_start = text.find('\n')? + 1;
    let mut pos = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Some(FrontMatter {
                yaml: yaml_start..pos,
                body_start: pos + line.len(),
            });
        }
        pos += line.len();
    }
    None
}

/// Parse the YAML at `fm.yaml` of `text` into [`Meta`], pushing every problem found.
/// Characters that YAML escapes put into a field (`"\x1b"`) are checked with `chars`.
pub fn parse(
    text: &str,
    fm: &FrontMatter,
    chars: &mut Checker<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Meta> {
    let yaml = &text[fm.yaml.clone()];
    let raw: RawMeta = match from_yaml(yaml) {
        Ok(r) => r,
        Err(e) => {
            diags.push(yaml_error(text, fm, yaml, &e));
            return None;
        }
    };
    let at = Keys { text, fm, yaml };
    at.check_escapes(&raw, chars, diags);
    let raw = at.smarten(raw, chars, diags);
    let key_span = |key: &str| at.key_span(key);
    let title = nonempty(raw.title, "title", &key_span, diags);
    let region = nonempty(raw.region, "region", &key_span, diags);
    if title.is_none() {
        missing(diags, "title", "\"The brief's title\"");
    }
    if region.is_none() {
        missing(diags, "region", "Central Asia");
    }
    let date = at.date(raw.date, diags);
    let authors = at.authors(raw.authors, diags);
    let lang = at.lang(raw.lang, date, chars, diags);
    let id = raw.id.map(|i| i.trim().to_owned());
    if id.as_deref() == Some("") {
        diags.push(
            Diagnostic::new("`id` is empty", key_span("id"))
                .with_hint("remove the line to derive the identifier from the content"),
        );
    }
    let keywords: Vec<String> = raw
        .keywords
        .unwrap_or_default()
        .iter()
        .map(|k| collapse(k))
        .filter(|k| !k.is_empty())
        .collect();
    Some(Meta {
        title: title?,
        subtitle: raw.subtitle.map(|s| collapse(&s)).filter(|s| !s.is_empty()),
        region: region?,
        date: date?,
        authors: if authors.is_empty() {
            return None;
        } else {
            authors
        },
        lang,
        id,
        keywords,
    })
}

/// The span of the opening `---` fence, where problems with no line of their own point.
const FENCE: Range<usize> = 0..3;

/// Deserialize the front matter's YAML within tight resource limits.
fn from_yaml(yaml: &str) -> Result<RawMeta, serde_saphyr::Error> {
    // Front matter is a dozen short fields: tight limits stop alias bombs and
    // pathological nesting long before they cost anything.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 8;
    budget.max_aliases = 0;
    budget.max_anchors = 0;
    budget.max_nodes = 5_000;
    budget.max_events = 20_000;
    budget.max_total_scalar_bytes = 1 << 20;
    let options = serde_saphyr::options! { budget: Some(budget) };
    serde_saphyr::from_str_with_options(yaml, options)
}

/// Push the diagnostic for a required front-matter key that is absent.
fn missing(diags: &mut Vec<Diagnostic>, key: &str, example: &str) {
    diags.push(
        Diagnostic::new(format!("the front matter has no `{key}`"), FENCE).with_hint(format!(
            "add a line `{key}: {example}` between the `---` lines"
        )),
    );
}

/// The byte span of the line of `text`'s front matter that sets `key` (or of the
/// opening fence): where a problem found later, while rendering, is about that key.
pub fn key_span(text: &str, key: &str) -> Range<usize> {
    match split(text) {
        Some(fm) => Keys {
            text,
            fm: &fm,
            yaml: text.get(fm.yaml.clone()).unwrap_or(""),
        }
        .key_span(key),
        None => FENCE,
    }
}

/// The front matter's text and where it lies, to point diagnostics at its keys.
struct Keys<'a> {
    text: &'a str,
    fm: &'a FrontMatter,
    yaml: &'a str,
}

impl Keys<'_> {
    /// The byte span of the line that sets `key`, or the opening fence.
    fn key_span(&self, key: &str) -> Range<usize> {
        // Point at the key's line when we can find it, else at the opening fence.
        let needle = format!("{key}:");
        self.yaml
            .lines()
            .scan(0usize, |off, l| {
                let start = *off;
                *off += l.len() + 1;
                Some((start, l))
            })
            .find(|(_, l)| l.starts_with(&needle))
            .map_or(FENCE, |(s, l)| {
                self.fm.yaml.start + s..self.fm.yaml.start + s + l.len()
            })
    }

    /// Check every character of every string field that a YAML escape put there.
    fn check_escapes(&self, raw: &RawMeta, chars: &mut Checker<'_>, diags: &mut Vec<Diagnostic>) {
        // Every string of the front matter reaches the editions; what an escape put in
        // is checked like a character written as itself.
        let literal: std::collections::BTreeSet<char> = self.yaml.chars().collect();
        let mut check = |key: &str, value: &str| {
            let line = self.key_span(key);
            for c in value.chars() {
                if literal.contains(&c) {
                    continue;
                }
                let span = escape_span(self.text, line.clone(), c).unwrap_or_else(|| line.clone());
                let how = format!(", from an escape in `{key}`");
                if let Some(d) = chars.check(c, span, &how) {
                    if !diags.contains(&d) {
                        diags.push(d);
                    }
                }
            }
        };
        for (key, value) in [
            ("title", &raw.title),
            ("subtitle", &raw.subtitle),
            ("region", &raw.region),
            ("lang", &raw.lang),
            ("id", &raw.id),
            ("date", &raw.date),
        ] {
            if let Some(v) = value {
                check(key, v);
            }
        }
        for a in raw.authors.iter().flatten() {
            for v in [&a.name, &a.bio].into_iter().flatten() {
                check("authors", v);
            }
        }
        for k in raw.keywords.iter().flatten() {
            check("keywords", k);
        }
    }

    /// `raw` with the fields a reader sees (title, subtitle, region, author names and
    /// bios) given the body's smart punctuation ([`smart_punctuation`]): without it
    /// "dell'Italia" kept a straight quote in the title above a body of curly ones.
    /// The characters it puts in are checked against the house fonts like the rest.
    fn smarten(
        &self,
        mut raw: RawMeta,
        chars: &mut Checker<'_>,
        diags: &mut Vec<Diagnostic>,
    ) -> RawMeta {
        // Typed `"` and `'` in the marks of the brief's language, as in the body; a
        // field that has typographic quotes of a kind typed as such keeps all of that
        // kind as they are.
        let lang = raw.lang.as_deref().unwrap_or("en").trim().to_owned();
        let marks = super::quotes::double(&lang);
        let mut one = |key: &str, value: &mut Option<String>| {
            let Some(v) = value.as_deref() else { return };
            let mut smart = smart_punctuation(v);
            let doubles = marks.is_some() && !v.contains(['\u{201C}', '\u{201D}']);
            let mut singles =
                (!v.contains(['\u{2018}', '\u{2019}'])).then(|| super::quotes::Singles::new(&lang));
            if doubles || singles.is_some() {
                let mut local = String::with_capacity(smart.len());
                let mut chars = smart.chars().peekable();
                while let Some(c) = chars.next() {
                    let mut buf = [0; 4];
                    let c: &str = c.encode_utf8(&mut buf);
                    let shown = match c {
                        "\u{201C}" | "\u{201D}" if doubles => super::quotes::localise(c, marks),
                        "\u{2018}" | "\u{2019}" => singles
                            .as_mut()
                            .and_then(|s| s.localise(c, chars.peek().copied())),
                        _ => None,
                    };
                    local.push_str(shown.unwrap_or(c));
                }
                smart = local;
            }
            if smart == v {
                return;
            }
            for c in smart.chars().filter(|&c| !v.contains(c)) {
                let how = format!(", from smart punctuation in `{key}`");
                if let Some(d) = chars.check(c, self.key_span(key), &how) {
                    if !diags.contains(&d) {
                        diags.push(d);
                    }
                }
            }
            *value = Some(smart);
        };
        one("title", &mut raw.title);
        one("subtitle", &mut raw.subtitle);
        one("region", &mut raw.region);
        for a in raw.authors.iter_mut().flatten() {
            one("authors", &mut a.name);
            one("authors", &mut a.bio);
        }
        raw
    }

    /// The `date` field, parsed; a diagnostic when it is missing or malformed.
    fn date(&self, date: Option<String>, diags: &mut Vec<Diagnostic>) -> Option<BriefDate> {
        match date {
            None => {
                missing(diags, "date", "2016-11");
                None
            }
            Some(d) => match parse_date(d.trim()) {
                Ok(date) => Some(date),
                Err(why) => {
                    diags.push(
                        Diagnostic::new(format!("bad date {d:?}: {why}"), self.key_span("date"))
                            .with_hint(format!(
                                "write the date as YYYY-MM or YYYY-MM-DD with a year from {} to {}, e.g. 2016-11",
                                YEARS.start(),
                                YEARS.end()
                            )),
                    );
                    None
                }
            },
        }
    }

    /// The authors that have a name; a diagnostic for a missing or empty list and for
    /// each author without a name.
    fn authors(&self, authors: Option<Vec<RawAuthor>>, diags: &mut Vec<Diagnostic>) -> Vec<Author> {
        let mut out = Vec::new();
        match authors {
            None => missing(diags, "authors", "[{name: \"Ada Lovelace\", bio: \"…\"}]"),
            Some(list) if list.is_empty() => diags.push(
                Diagnostic::new("`authors` is empty", self.key_span("authors"))
                    .with_hint("list at least one author with a `name`"),
            ),
            Some(list) => {
                for (i, a) in list.into_iter().enumerate() {
                    match a.name.map(|n| collapse(&n)).filter(|n| !n.is_empty()) {
                        Some(name) => out.push(Author {
                            name,
                            bio: a.bio.map(|b| collapse(&b)).filter(|b| !b.is_empty()),
                        }),
                        None => diags.push(
                            Diagnostic::new(
                                format!("author {} has no `name`", i + 1),
                                self.key_span("authors"),
                            )
                            .with_hint("give each author a `name:` (and optionally a `bio:`)"),
                        ),
                    }
                }
            }
        }
        out
    }

    /// The `lang` field (default `en`), checked as a tag, for locale data, and for
    /// the house fonts' cover of the date as that language writes it.
    fn lang(
        &self,
        lang: Option<String>,
        date: Option<BriefDate>,
        chars: &mut Checker<'_>,
        diags: &mut Vec<Diagnostic>,
    ) -> String {
        let lang = lang.map(|l| l.trim().to_owned()).unwrap_or("en".into());
        if !crate::lang::is_tag(&lang) {
            diags.push(
                Diagnostic::new(
                    format!("`lang: {lang}` is not a BCP 47 tag"),
                    self.key_span("lang"),
                )
                .with_hint("use a tag such as en, en-GB, it or ru"),
            );
        } else if !crate::dates::supported(&lang) {
            diags.push(
                Diagnostic::new(
                    format!("briefpress cannot write dates in `lang: {lang}`: the locale data has no such language"),
                    self.key_span("lang"),
                )
                .with_hint("check the language code (ISO 639: en, it, fr, ru, tr, ka, hy …)"),
            );
        } else if let Some(d) = date {
            // The band shows the date in the brief's language: the house fonts must be
            // able to set it, as they must every character of the source.
            let shown = d.display(&lang);
            let how = format!(", in the date as `lang: {lang}` writes it ({shown})");
            for c in shown.chars() {
                if let Some(diag) = chars.check(c, self.key_span("lang"), &how) {
                    diags.push(diag.with_hint(
                        "set `lang` to a language whose script the house fonts cover, or add a font that has it to the house style",
                    ));
                    break;
                }
            }
        }
        lang
    }
}

fn nonempty(
    v: Option<String>,
    key: &str,
    span: &dyn Fn(&str) -> Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let v = collapse(&v?);
    if v.is_empty() {
        diags.push(
            Diagnostic::new(format!("`{key}` is empty"), span(key))
                .with_hint(format!("give `{key}` a value")),
        );
        return None;
    }
    Some(v)
}

/// `s` (white space collapsed) with the smart punctuation the body gets from
/// pulldown-cmark: straight quotes curled, `--` and `---` as en and em dashes, `...`
/// as an ellipsis, and nothing else of Markdown. Every other ASCII punctuation
/// character is escaped first, so `*`, `_`, `[`, `<` and `&` stay as written, and a
/// no-break space before the text keeps it from opening a block (`1. `, `- `, `---`)
/// while it still counts as white space before an opening quote.
fn smart_punctuation(s: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let s = collapse(s);
    if !s.contains(['\'', '"']) && !s.contains("--") && !s.contains("...") {
        return s;
    }
    let mut md = String::with_capacity(s.len() * 2 + 2);
    md.push('\u{A0}');
    for c in s.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.') {
            md.push('\\');
        }
        md.push(c);
    }
    let mut out = String::with_capacity(md.len());
    for event in Parser::new_ext(&md, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    match out.strip_prefix('\u{A0}') {
        Some(rest) => rest.to_owned(),
        None => out,
    }
}

/// Collapse runs of white space (YAML folding may leave newlines) to single spaces. A
/// no-break space (U+00A0, U+2007, U+202F) is the author's or the language's, as
/// `«\u{202F}…\u{202F}»` in French, and stays as it is, as in the body; at either end
/// it goes, like any space.
fn collapse(s: &str) -> String {
    const NO_BREAK: [char; 3] = ['\u{A0}', '\u{2007}', '\u{202F}'];
    s.split(|c: char| c.is_whitespace() && !NO_BREAK.contains(&c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_owned()
}

/// Parse `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<BriefDate, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize, what: &str| -> Result<u16, String> {
        if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("the {what} must be {len} digits"));
        }
        p.parse::<u16>().map_err(|_| format!("bad {what}"))
    };
    if !(2..=3).contains(&parts.len()) {
        return Err("expected YYYY-MM or YYYY-MM-DD".into());
    }
    let year = num(parts[0], 4, "year")?;
    if !YEARS.contains(&year) {
        return Err(format!(
            "the year {year} is outside {}–{}",
            YEARS.start(),
            YEARS.end()
        ));
    }
    let month = num(parts[1], 2, "month")?;
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month}"));
    }
    let day = match parts.get(2) {
        None => None,
        Some(p) => {
            let d = num(p, 2, "day")?;
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            if d == 0 || d > days[usize::from(month - 1)] {
                return Err(format!("month {month} of {year} has no day {d}"));
            }
            Some(d as u8)
        }
    };
    Ok(BriefDate {
        year,
        month: month as u8,
        day,
    })
}

/// Turn a YAML error into a diagnostic located in the whole file.
fn yaml_error(text: &str, fm: &FrontMatter, yaml: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let span = e
        .location()
        .and_then(|loc| {
            let line = usize::try_from(loc.line()).ok()?;
            let col = usize::try_from(loc.column()).ok()?;
            let line_start: usize = yaml
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            let rest = yaml.get(line_start..)?;
            let col_bytes: usize = rest
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            let at = fm.yaml.start + line_start + col_bytes;
            Some(at..(at + 1).min(text.len()))
        })
        .unwrap_or(0..3);
    let full = e.to_string();
    // serde-saphyr appends its own location and snippet; we print ours, so keep the
    // first line only.
    let message = full
        .lines()
        .next()
        .unwrap_or("malformed YAML")
        .trim()
        .to_owned();
    let message = strip_location_suffix(&message);
    // The hints come from the error's kind, not from its text, where the library
    // gives the kind: its wording may change, its variants are its API.
    let d = Diagnostic::new(format!("front matter: {message}"), span.clone());
    match e.without_snippet() {
        serde_saphyr::Error::DuplicateMappingKey { key, .. } => {
            return duplicate_key(text, fm, span, key.as_deref());
        }
        // The budget above refuses anchors and aliases outright; say so in our words,
        // not the YAML library's ("budget breached: Anchors { anchors: 1 }").
        serde_saphyr::Error::Budget { breach, .. } => {
            use serde_saphyr::budget::BudgetBreach;
            let (what, hint) = match breach {
                BudgetBreach::Anchors { .. } | BudgetBreach::Aliases { .. } => (
                    "YAML anchors and aliases (`&name`, `*name`) are not allowed in the front matter",
                    "write each value out in full",
                ),
                _ => (
                    "the front matter is too large or too deeply nested",
                    "a brief's front matter is a dozen short `key: value` lines; move long text into the body",
                ),
            };
            return Diagnostic::new(what, span).with_hint(hint);
        }
        serde_saphyr::Error::SerdeUnknownField { field, .. } => {
            return match did_you_mean(field, KEYS) {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint(format!("the known fields are: {}", KEYS.join(", "))),
            };
        }
        _ => {}
    }
    // Syntax errors come from the scanner as text only; these are the ones a value
    // with an unquoted `: ` or `#` gives.
    if message.contains("mapping values are not allowed")
        || message.contains("did not find expected")
        || message.contains("while scanning")
    {
        d.with_hint("quote values that contain `: ` or `#`, e.g. title: \"A: B\"")
    } else {
        d.with_hint("the front matter is YAML: `key: value` lines; quote values that contain `: `")
    }
}

/// Where on the line `line` of `text` a YAML escape writes `c` (`\x1b`, `\u4e2d`,
/// `\U0001F600`, in either case), if it does.
fn escape_span(text: &str, line: Range<usize>, c: char) -> Option<Range<usize>> {
    let on_line = text.get(line.clone())?.to_ascii_lowercase();
    let n = u32::from(c);
    let forms = [
        format!("\\x{n:02x}"),
        format!("\\u{n:04x}"),
        format!("\\U{n:08x}").to_ascii_lowercase(),
    ];
    forms
        .iter()
        .filter(|f| {
            f.len()
                == if f.starts_with("\\x") {
                    4
                } else if f.starts_with("\\u") {
                    6
                } else {
                    10
                }
        })
        .find_map(|f| {
            on_line
                .find(f.as_str())
                .map(|at| line.start + at..line.start + at + f.len())
        })
}

/// A key given twice, in our words (serde-saphyr's message speaks to programmers
/// about its own options). `span` is where the second one is.
fn duplicate_key(
    text: &str,
    fm: &FrontMatter,
    span: Range<usize>,
    key: Option<&str>,
) -> Diagnostic {
    let Some(key) = key else {
        return Diagnostic::new("front matter: a key is given twice", span)
            .with_hint("give each field once; delete or merge the repeated line");
    };
    // The first occurrence: the first line before the second one that starts (after
    // its indentation) with the key.
    let needle = format!("{key}:");
    let first = text[fm.yaml.start..span.start.max(fm.yaml.start)]
        .split_inclusive('\n')
        .scan(fm.yaml.start, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l))
        })
        .find(|(_, l)| l.trim_start().trim_start_matches("- ").starts_with(&needle))
        .map(|(at, _)| line_col(text, at).line);
    let message = match first {
        Some(line) => format!("front matter: `{key}` is given twice (first on line {line})"),
        None => format!("front matter: `{key}` is given twice"),
    };
    Diagnostic::new(message, span).with_hint(format!(
        "keep one `{key}:` line and delete the other; a field cannot have two values"
    ))
}

/// serde-saphyr's first line reads `error: line 1 column 9: <message>`; keep the message.
fn strip_location_suffix(m: &str) -> String {
    let m = m.strip_prefix("error: ").unwrap_or(m);
    let rest = m
        .strip_prefix("line ")
        .and_then(|r| r.split_once(": "))
        .map_or(m, |(_, msg)| msg);
    match rest.rfind(" at line ") {
        Some(i) => rest[..i].to_owned(),
        None => rest.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(src: &str) -> (Option<Meta>, Vec<Diagnostic>) {
        let fm = split(src).expect("front matter");
        let mut d = Vec::new();
        let coverage = crate::fonts::Coverage::everything();
        let mut chars = Checker::new(&coverage);
        (parse(src, &fm, &mut chars, &mut d), d)
    }

    #[test]
    fn reads_all_fields() {
        let (m, d) = meta(
            "---\ntitle: T\nsubtitle: S\nregion: Central Asia\ndate: 2016-11\nauthors:\n  - name: A B\n    bio: Bio.\nlang: en-GB\nkeywords: [x, y]\n---\nbody\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let m = m.expect("meta");
        assert_eq!(m.title, "T");
        assert_eq!(m.date.display(&m.lang), "November 2016");
        assert_eq!(m.authors[0].bio.as_deref(), Some("Bio."));
        assert_eq!(m.keywords, vec!["x", "y"]);
    }

    #[test]
    fn white_space_collapses_but_a_no_break_space_stays() {
        let (m, d) = meta(
            "---\ntitle: \"  Article\u{A0}5  and\\n  the\\t\u{A0}rest\u{A0} \"\nregion: \"\u{A0}\"\ndate: 2016-11\n---\nbody\n",
        );
        assert_eq!(m, None);
        assert_eq!(d[0].message, "`region` is empty", "{d:?}");
        assert_eq!(
            collapse("  Article\u{A0}5  and\n  the\t\u{A0}rest\u{A0} "),
            "Article\u{A0}5 and the \u{A0}rest"
        );
    }

    #[test]
    fn unknown_key_suggests() {
        let (_, d) = meta("---\ntitel: T\n---\n");
        assert!(d[0].message.contains("unknown field `titel`"), "{d:?}");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(d[0].span, Some(4..5));
    }

    #[test]
    fn dates_are_checked() {
        assert!(parse_date("2016-13").is_err());
        assert!(parse_date("2016-02-30").is_err());
        assert!(parse_date("2016-2").is_err());
        assert_eq!(parse_date("2016-02-29").map(|d| d.day), Ok(Some(29)));
        assert!(parse_date("0000-01").is_err());
        assert!(parse_date("1899-12").is_err());
        assert!(parse_date("2201-01").is_err());
        assert!(parse_date("1900-01").is_ok() && parse_date("2200-12-31").is_ok());
    }

    #[test]
    fn a_duplicate_key_is_named_in_our_words() {
        let (_, d) = meta("---\ntitle: A\nregion: R\ntitle: B\n---\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "front matter: `title` is given twice (first on line 2)"
        );
        assert!(!format!("{d:?}").contains("DuplicateKeyPolicy"));
        assert_eq!(
            d[0].span
                .as_ref()
                .map(|s| line_col("---\ntitle: A\nregion: R\ntitle: B\n", s.start).line),
            Some(4)
        );
    }

    #[test]
    fn reports_every_missing_field() {
        let (m, d) = meta("---\nlang: en\n---\n");
        assert!(m.is_none());
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
    }

    #[test]
    fn shown_fields_get_the_bodys_smart_punctuation_and_nothing_else_of_markdown() {
        for (written, shown) in [
            (
                "La sicurezza dell'Italia",
                "La sicurezza dell\u{2019}Italia",
            ),
            (
                "\"Baltic Sentry\" and 2013--2018...",
                "\u{201C}Baltic Sentry\u{201D} and 2013\u{2013}2018\u{2026}",
            ),
            (
                "1. *Not* a list's & <b>x</b> [y](z) \\ `c` #h",
                "1. *Not* a list\u{2019}s & <b>x</b> [y](z) \\ `c` #h",
            ),
            ("- O'Brien's  notes", "- O\u{2019}Brien\u{2019}s notes"),
            ("'Quoted' first", "\u{2018}Quoted\u{2019} first"),
            ("No quotes: 50% *as is*", "No quotes: 50% *as is*"),
        ] {
            assert_eq!(smart_punctuation(written), shown, "{written}");
        }
    }
}
