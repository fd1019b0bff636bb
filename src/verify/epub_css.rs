//! The EPUB's stylesheet against the house stylesheet (see [`super::profile`]): line
//! by line with white space collapsed, so a re-indented copy passes; each line that is
//! not the house's is named by the properties it sets (`display`, `visibility`,
//! `content`, `order`, `unicode-bidi`, `font-size`, `color`, `@font-face`, …), since
//! any of them can hide, add, reorder or redraw the words a reader sees.

use std::collections::BTreeSet;

use super::epub_profile::CONSEQUENCE;
use super::profile::{clip, Finding};

/// Compare the stylesheets line by line, white space collapsed: each edition line that
/// is not a house line is named by the properties it sets.
pub fn diff(name: &str, a: &[u8], b: &[u8]) -> Vec<Finding> {
    let lines = |s: &[u8]| -> Vec<(u32, String)> {
        String::from_utf8_lossy(s)
            .lines()
            .enumerate()
            .map(|(i, l)| {
                let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
                (n, l.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .filter(|(_, l)| !l.is_empty())
            .collect()
    };
    let (ea, eb) = (lines(a), lines(b));
    if ea.iter().map(|l| &l.1).eq(eb.iter().map(|l| &l.1)) {
        return Vec::new(); // only white space differs
    }
    let house: BTreeSet<&str> = eb.iter().map(|(_, l)| l.as_str()).collect();
    let mut out: Vec<Finding> = ea
        .iter()
        .filter(|(_, l)| !house.contains(l.as_str()))
        .take(5)
        .map(|(n, l)| {
            let named = constructs(l);
            let named = if named.is_empty() {
                String::new()
            } else {
                format!(" ({})", named.join(", "))
            };
            Finding::entry(
                name,
                Some(*n),
                format!(
                    "`{}` is not in the house stylesheet{named}; {CONSEQUENCE}",
                    clip(l, 80)
                ),
            )
        })
        .collect();
    if out.is_empty() {
        let edition: BTreeSet<&str> = ea.iter().map(|(_, l)| l.as_str()).collect();
        let what = match eb.iter().find(|(_, l)| !edition.contains(l.as_str())) {
            Some((_, l)) => format!("the house rule `{}` is missing", clip(l, 80)),
            None => "the house rules are in another order (the cascade differs)".into(),
        };
        out.push(Finding::entry(name, None, format!("{what}; {CONSEQUENCE}")));
    }
    out
}

/// The constructs a line of CSS uses that can change what a reader sees.
fn constructs(line: &str) -> Vec<String> {
    let lower = line.to_ascii_lowercase();
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for at in ["@font-face", "@import", "@media", "@supports"] {
        if lower.contains(at) {
            add(match at {
                "@font-face" => "@font-face: a font other than the house subset".into(),
                other => other.to_owned(),
            });
        }
    }
    if lower.contains(":before") || lower.contains(":after") {
        add("::before/::after".into());
    }
    // Declarations: `property: value` between `{`, `;` and `}`.
    for decl in lower.split(['{', ';', '}']) {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        let (prop, value) = (prop.trim(), value.trim());
        if prop.is_empty() || !prop.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
            continue; // a selector's pseudo-class, not a declaration
        }
        add(match prop {
            "display" if value.starts_with("none") => "display:none (hides text)".into(),
            "visibility" => "visibility (can hide text)".into(),
            "content" => "generated text (content)".into(),
            "order" => "flex order (changes the reading order)".into(),
            "unicode-bidi" => "bidi override (unicode-bidi)".into(),
            "direction" => "text direction".into(),
            "font-size" => format!("font size ({value})"),
            "color" => format!("text colour ({value}; may match the background)"),
            "background" | "background-color" => format!("background colour ({value})"),
            "font-family" => "font family".into(),
            "opacity" => "opacity (can hide text)".into(),
            "text-transform" => "text transform (changes letters)".into(),
            p => p.to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_lines_are_named_by_what_they_do() {
        let house = b"p { margin: 0; }\nh1 { color: #000; }\n";
        assert!(diff("s.css", b"p  {  margin: 0; }\n\nh1 { color: #000; }", house).is_empty());
        let f = diff(
            "s.css",
            b"p { margin: 0; }\nh1 { color: #000; }\np::after { content: \"x\"; order: 2 }\n",
            house,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, Some(3));
        assert!(
            f[0].what.contains("::before/::after")
                && f[0].what.contains("generated text")
                && f[0].what.contains("flex order"),
            "{}",
            f[0].what
        );
        let f = diff("s.css", b"h1 { color: #000; }\np { margin: 0; }\n", house);
        assert!(f[0].what.contains("another order"), "{}", f[0].what);
        assert!(constructs("main { border: 1pt; }")
            .iter()
            .all(|c| c == "border"));
    }
}
