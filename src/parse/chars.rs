//! Characters: every character that reaches the model must be one the editions can carry.
//!
//! Most characters are written as themselves in the source, and [`Checker::source`]
//! finds every bad one in a single pass over the file. Others reach the model by
//! another route: character references (`&#x4e2d;`, `&nbsp;`), smart punctuation (`"`
//! becomes `“`), escapes in the YAML front matter (`"\x1b"`). [`Checker::derived`]
//! checks those where the parser turns source text into model text, and points at the
//! source text that produced them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use crate::diag::Diagnostic;
use crate::fonts::Coverage;

/// Most character problems reported for one brief: past that, one more line of the
/// same kind helps nobody.
const MAX_REPORTED: usize = 50;

/// Characters XML 1.0 cannot carry (C0 controls but tab, line feed and carriage return;
/// DEL and C1 controls, which XML allows but no reader displays; U+FFFE and U+FFFF).
pub fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Checks characters against the XML rules and the house fonts.
pub struct Checker<'c> {
    coverage: &'c Coverage,
    /// Verdicts on characters already looked up (a lookup reads every font's cmap).
    covered: HashMap<char, bool>,
    reported: usize,
    /// Each character reported: the index of its diagnostic (where it first stands)
    /// and how many more places have it, written as itself or as a reference.
    first: BTreeMap<char, (usize, usize)>,
}

impl<'c> Checker<'c> {
    pub fn new(coverage: &'c Coverage) -> Self {
        Checker {
            coverage,
            covered: HashMap::new(),
            reported: 0,
            first: BTreeMap::new(),
        }
    }

    /// Every character written as itself in `text` (the whole file) that the editions
    /// cannot carry.
    pub fn source(&mut self, text: &str, diags: &mut Vec<Diagnostic>) {
        // ASCII, most of any brief, is marked in a table rather than a tree: collecting
        // every character of the 100x book (256 KB) into a `BTreeSet` was 6 % of its
        // `check`.
        let mut ascii = [false; 128];
        let mut used = BTreeSet::new();
        for c in text.chars() {
            match ascii.get_mut(c as usize) {
                Some(seen) => *seen = true,
                None => {
                    used.insert(c);
                }
            }
        }
        used.extend(
            (0u8..128)
                .filter(|&b| ascii[usize::from(b)])
                .map(char::from),
        );
        let missing = self.coverage.missing(&used);
        for &c in &used {
            self.covered.insert(c, !missing.contains(&c));
        }
        // Which ASCII characters need no second look.
        let fine: [bool; 128] = std::array::from_fn(|b| {
            let c = char::from(b as u8);
            !forbidden(c) && !missing.contains(&c)
        });
        // A character is reported where it first stands, with how many more places have
        // it (a drawn tree has dozens); a run of it ("──") is one place, its span the run.
        let mut last: Option<(char, usize)> = None;
        let mut first = std::mem::take(&mut self.first);
        for (i, c) in text.char_indices() {
            if fine.get(c as usize).copied().unwrap_or(false) {
                continue;
            }
            let end = i + c.len_utf8();
            let in_run = last.is_some_and(|(prev, at)| prev == c && at == i);
            last = Some((c, end));
            if let Some((index, more)) = first.get_mut(&c) {
                match diags.get_mut(*index).and_then(|d| d.span.as_mut()) {
                    Some(span) if in_run && span.end == i => span.end = end,
                    _ if in_run => {}
                    _ => *more += 1,
                }
                continue;
            }
            if self.reported >= MAX_REPORTED {
                break;
            }
            if let Some(d) = self.check(c, i..end, "") {
                first.insert(c, (diags.len(), 0));
                diags.push(d);
            }
        }
        self.first = first;
    }

    /// Say in each report how many more places have its character (call once the
    /// whole file is checked, before the diagnostics are sorted).
    pub fn finish(&mut self, diags: &mut [Diagnostic]) {
        for (index, more) in std::mem::take(&mut self.first).into_values() {
            if let Some(d) = diags.get_mut(index).filter(|_| more > 0) {
                let s = if more == 1 { "" } else { "s" };
                d.message
                    .push_str(&format!(", and in {more} more place{s} in this file"));
            }
        }
    }

    /// Check `value`, which the parser made of `source[span]`, for characters that
    /// are not written as themselves in `source[literal]` (those were reported by
    /// [`Checker::source`]). A problem points at `span`.
    pub fn derived(
        &mut self,
        value: &str,
        source: &str,
        span: Range<usize>,
        literal: Range<usize>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let written = source.get(span.clone()).unwrap_or("");
        // Plain text is its own source: nothing new to check, and no set to build.
        if value == written {
            return;
        }
        // Quote the source text unless it is too long for a message.
        let how = if written.chars().count() <= 40 && !written.contains('\n') {
            format!(", written `{written}`")
        } else {
            ", from a character reference".to_owned()
        };
        let mut literal_chars: Option<BTreeSet<char>> = None;
        let mut seen: Vec<char> = Vec::new();
        for c in value.chars() {
            if c.is_ascii() && !forbidden(c) && self.covers(c) || seen.contains(&c) {
                continue;
            }
            seen.push(c);
            let literal = literal_chars
                .get_or_insert_with(|| source.get(literal.clone()).unwrap_or("").chars().collect());
            if literal.contains(&c) {
                continue;
            }
            // A character already reported (written as itself, or by another
            // reference) is one more place of it; the report moves here if this place
            // comes first.
            if let Some(&(index, more)) = self.first.get(&c) {
                self.first.insert(c, (index, more + 1));
                let later = diags
                    .get(index)
                    .and_then(|d| d.span.as_ref())
                    .is_some_and(|s| s.start > span.start);
                if later {
                    if let Some(d) = self.check(c, span.clone(), &how) {
                        self.reported -= 1;
                        if let Some(old) = diags.get_mut(index) {
                            *old = d;
                        }
                    }
                }
                continue;
            }
            if let Some(d) = self.check(c, span.clone(), &how) {
                self.first.insert(c, (diags.len(), 0));
                diags.push(d);
            }
        }
    }

    /// How to do without `c`, which no house font has: the look-alike the fonts have
    /// where there is one (an emoji check mark for the text one).
    fn replacement_hint(&mut self, c: char) -> String {
        const ADD: &str = "add a fallback font that has it to branding/house.toml";
        if ('\u{2500}'..='\u{257F}').contains(&c) {
            return format!(
                "box-drawing characters line up only in a monospaced font, which the house \
                 does not have: write the tree or diagram as a nested list, or {ADD}"
            );
        }
        match look_alike(c).filter(|&l| self.covers(l)) {
            Some(l) => format!(
                "write {l:?} (U+{:04X}), which the house fonts have, or {ADD}",
                u32::from(l)
            ),
            None => format!("replace the character, or {ADD}"),
        }
    }

    /// Whether some house font has `c` (remembered per character).
    fn covers(&mut self, c: char) -> bool {
        let coverage = self.coverage;
        *self.covered.entry(c).or_insert_with(|| coverage.covers(c))
    }

    /// The diagnostic for `c` at `span`, if `c` cannot be carried; `how` ends the
    /// message, saying how `c` got into the text when it was not written as itself
    /// (", written `&#x1b;`").
    pub fn check(&mut self, c: char, span: Range<usize>, how: &str) -> Option<Diagnostic> {
        if self.reported >= MAX_REPORTED {
            return None;
        }
        let d = if forbidden(c) {
            Diagnostic::new(
                format!(
                    "control character U+{:04X} is not allowed{how}",
                    u32::from(c)
                ),
                span,
            )
            .with_hint("delete it; it cannot appear in an EPUB or be printed")
        } else if !self.covers(c) {
            Diagnostic::new(
                format!(
                    "no house font has the character {c:?} (U+{:04X}){how}",
                    u32::from(c)
                ),
                span,
            )
            .with_hint(self.replacement_hint(c))
        } else {
            return None;
        };
        self.reported += 1;
        Some(d)
    }
}

/// The text-style sign that stands for emoji `c` in a brief, if one does: colour
/// emoji need a colour font, and their plain look-alikes are in the symbol fonts.
fn look_alike(c: char) -> Option<char> {
    Some(match c {
        '\u{2705}' | '\u{2611}' => '\u{2714}', // white heavy check mark, ballot box with check: heavy check mark
        '\u{274C}' | '\u{274E}' => '\u{2718}', // cross mark: heavy ballot x
        '\u{27A1}' => '\u{2192}',              // black rightwards arrow: rightwards arrow
        '\u{2B05}' => '\u{2190}',
        '\u{2B06}' => '\u{2191}',
        '\u{2B07}' => '\u{2193}',
        '\u{1F534}' | '\u{1F535}' | '\u{1F7E0}'..='\u{1F7E4}' => '\u{25CF}', // coloured circles: black circle
        '\u{1F7E5}'..='\u{1F7EB}' => '\u{25A0}', // coloured squares: black square
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_reported_where_it_is_written() {
        let src = "a &#x1b; b";
        let all = Coverage::everything();
        let mut c = Checker::new(&all);
        let mut d = Vec::new();
        c.source(src, &mut d);
        assert!(d.is_empty(), "{d:?}");
        c.derived("\u{1b}", src, 2..8, 2..8, &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span, Some(2..8));
        assert!(d[0].message.contains("U+001B"), "{}", d[0].message);
        assert!(d[0].message.contains("`&#x1b;`"), "{}", d[0].message);
    }

    #[test]
    fn an_emoji_with_a_look_alike_in_the_house_fonts_names_it() {
        let coverage = Coverage::of_house(&crate::house::builtin().expect("the built-in house"));
        let mut c = Checker::new(&coverage);
        let hint = |c: &mut Checker, ch: char| {
            c.check(ch, 0..1, "")
                .and_then(|d| d.hint)
                .unwrap_or_default()
        };
        assert!(hint(&mut c, '\u{2705}')
            .starts_with("write '\u{2714}' (U+2714), which the house fonts have"));
        assert!(hint(&mut c, '\u{274C}').starts_with("write '\u{2718}' (U+2718)"));
        assert!(hint(&mut c, '\u{2514}').starts_with("box-drawing characters"));
        assert!(hint(&mut c, '\u{1F600}').starts_with("replace the character, or add"));
    }

    #[test]
    fn a_character_written_as_itself_and_by_references_is_one_report_at_its_first_place() {
        let src = "a &#x1b; b \u{1b} c &#x1b;";
        let lit = src.find('\u{1b}').unwrap_or(0);
        let all = Coverage::everything();
        let mut c = Checker::new(&all);
        let mut d = Vec::new();
        c.source(src, &mut d);
        c.derived("a \u{1b} b", src, 2..8, 2..8, &mut d);
        c.derived(
            "c \u{1b}",
            src,
            lit + 4..src.len(),
            lit + 4..src.len(),
            &mut d,
        );
        c.finish(&mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span, Some(2..8));
        assert!(
            d[0].message
                .ends_with("written `&#x1b;`, and in 2 more places in this file"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn a_literal_character_is_reported_once() {
        let src = "a \u{1b} b";
        let all = Coverage::everything();
        let mut c = Checker::new(&all);
        let mut d = Vec::new();
        c.source(src, &mut d);
        c.derived("a \u{1b} b", src, 0..src.len(), 0..src.len(), &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span, Some(2..3));
    }
}
