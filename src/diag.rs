//! Located diagnostics: a message about a byte span of a file, rendered like rustc.
//!
//! Spans are byte ranges; line and column are computed only when a diagnostic is
//! printed. Columns count characters (not bytes), starting at 1.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong, in one sentence without a final full stop.
    pub message: String,
    /// Byte range in the file's text; `None` for problems about the whole file.
    pub span: Option<Range<usize>>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        Diagnostic {
            message: message.into(),
            span: Some(span),
            hint: None,
        }
    }

    /// A diagnostic about the whole file.
    pub fn whole_file(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span: None,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// All diagnostics of one file, with the file's text so they can be located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDiagnostics {
    pub path: PathBuf,
    /// The text the spans refer to (lossily decoded if the file was not UTF-8).
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a diagnostic points: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Line and column of a byte offset in `text` (offset clamped to the text).
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    LineCol { line, column }
}

impl SourceDiagnostics {
    /// Location of a diagnostic, if it has a span.
    pub fn locate(&self, d: &Diagnostic) -> Option<LineCol> {
        d.span.as_ref().map(|s| line_col(&self.text, s.start))
    }

    /// Render every diagnostic, rustc style.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            render_one(&mut out, &self.path, &self.text, d);
        }
        out
    }
}

fn render_one(out: &mut String, path: &Path, text: &str, d: &Diagnostic) {
    use std::fmt::Write;
    let _ = writeln!(out, "error: {}", d.message);
    match &d.span {
        Some(span) => {
            let lc = line_col(text, span.start);
            let _ = writeln!(out, "  --> {}:{}:{}", path.display(), lc.line, lc.column);
            let line_text = text
                .lines()
                .nth(lc.line - 1)
                .unwrap_or("")
                .chars()
                .map(visible)
                .collect::<String>();
            let gutter = lc.line.to_string().len();
            let pad = " ".repeat(gutter);
            // Show at most WINDOW characters of a long line, around the column.
            const WINDOW: usize = 96;
            let chars: Vec<char> = line_text.chars().collect();
            let col0 = lc.column - 1;
            let start = if chars.len() <= WINDOW {
                0
            } else {
                col0.saturating_sub(WINDOW / 3).min(chars.len() - WINDOW)
            };
            let end = (start + WINDOW).min(chars.len());
            let mut shown: String = chars[start..end].iter().collect();
            let mut caret_col = col0 - start;
            if start > 0 {
                shown.insert(0, '…');
                caret_col += 1;
            }
            if end < chars.len() {
                shown.push('…');
            }
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {shown}", lc.line);
            // Underline the span up to the end of the shown line, at least one caret.
            let span_chars = text
                .get(span.start..span.end.min(text.len()))
                .map_or(1, |s| s.lines().next().map_or(1, |l| l.chars().count()));
            let width = span_chars.min(end.saturating_sub(col0)).max(1);
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(caret_col),
                "^".repeat(width)
            );
        }
        None => {
            let _ = writeln!(out, "  --> {}", path.display());
        }
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = hint: {hint}");
    }
    out.push('\n');
}

/// A character as the excerpt shows it: a tab as a space, any other C0 control (and DEL)
/// as its Unicode control picture (U+0007 as `␇`), so the caret points at something
/// visible and the terminal never receives a raw control character.
fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7f}' => '\u{2421}',
        _ => c,
    }
}

impl fmt::Display for SourceDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// `text` (diagnostics and reports as briefpress prints them) with terminal colours:
/// `error` (and check's `mismatch`, `changed`, `missing`) in bold red, `warning` and
/// `note` in bold yellow, `ok` in green, the location arrow,
/// gutter and `hint` in bold blue, carets in red. The plain text stays what it was, so
/// the caller decides whether colours are shown (the binary writes through a stream
/// that drops them when it is not a terminal or `NO_COLOR` is set).
pub fn paint(text: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let style = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    let red = style(AnsiColor::Red).bold();
    let yellow = style(AnsiColor::Yellow).bold();
    let green = style(AnsiColor::Green).bold();
    let blue = style(AnsiColor::Blue).bold();
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let indent = &body[..body.len() - body.trim_start().len()];
        let rest = body.trim_start();
        // The first word of a line says what kind of line it is (check's report too).
        let kind = [
            ("error", red),
            ("mismatch", red),
            ("changed", red),
            ("missing", red),
            ("warning", yellow),
            ("note", yellow),
            ("ok", green),
        ]
        .into_iter()
        .find_map(|(word, st)| {
            body.strip_prefix(word)
                .filter(|r| r.starts_with(':'))
                .map(|r| (word, st, r))
        });
        let painted = if let Some((word, st, r)) = kind {
            format!("{st}{word}{st:#}{r}")
        } else if let Some(r) = rest.strip_prefix("--> ") {
            format!("{indent}{blue}-->{blue:#} {r}")
        } else if let Some(r) = rest.strip_prefix("= hint:") {
            format!("{indent}{blue}= hint{blue:#}:{r}")
        } else if let Some((gutter, r)) = gutter_line(body) {
            if !r.is_empty() && r.trim().chars().all(|c| c == '^') {
                format!("{blue}{gutter}{blue:#}{red}{r}{red:#}")
            } else {
                format!("{blue}{gutter}{blue:#}{r}")
            }
        } else {
            body.to_owned()
        };
        out.push_str(&painted);
        out.push_str(end);
    }
    out
}

/// A source excerpt's line split after its gutter (`12 | `, `   | `), if it is one.
fn gutter_line(line: &str) -> Option<(&str, &str)> {
    let bar = line.find(" |")?;
    let head = &line[..bar];
    if !head.trim().chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let cut = (bar + 3).min(line.len());
    Some((&line[..cut], &line[cut..]))
}

/// The closest candidate to `word` by Levenshtein distance (`strsim`, which the
/// binary's argument parser already uses for its own suggestions), if it is plausibly
/// a typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_and_caret() {
        let sd = SourceDiagnostics {
            path: PathBuf::from("source/x.md"),
            text: "---\ntitle: A\n---\n\n<b>hi</b>\n".into(),
            diagnostics: vec![Diagnostic::new("raw HTML is not allowed", 18..21)
                .with_hint("write it as Markdown")],
        };
        let out = sd.render();
        assert!(out.contains("error: raw HTML is not allowed"), "{out}");
        assert!(out.contains("--> source/x.md:5:1"), "{out}");
        assert!(out.contains("5 | <b>hi</b>"), "{out}");
        assert!(out.contains("  | ^^^"), "{out}");
        assert!(out.contains("hint: write it as Markdown"), "{out}");
    }

    #[test]
    fn paint_adds_colour_and_nothing_else() {
        let sd = SourceDiagnostics {
            path: PathBuf::from("source/x.md"),
            text: "---\ntitle: A\n---\n\n<b>hi</b>\n".into(),
            diagnostics: vec![Diagnostic::new("raw HTML is not allowed", 18..21)
                .with_hint("write it as Markdown")],
        };
        let plain = sd.render();
        let painted = paint(&plain);
        assert!(painted.contains("\u{1b}["), "{painted}");
        let stripped: String = {
            let mut s = String::new();
            let mut chars = painted.chars();
            while let Some(c) = chars.next() {
                if c == '\u{1b}' {
                    for c in chars.by_ref() {
                        if c == 'm' {
                            break;
                        }
                    }
                } else {
                    s.push(c);
                }
            }
            s
        };
        assert_eq!(stripped, plain);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncд e", 7), LineCol { line: 2, column: 4 });
    }

    #[test]
    fn suggests_close_keys() {
        assert_eq!(did_you_mean("titel", &["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", &["title", "date"]), None);
    }
}
