//! Spaces a line must not break at although the source has a plain space there: a
//! number and the unit sign after it (`2.5 %`, `12 ‰`, `−20 °C`, `40 €`), and a sign
//! and the number after it (`§ 4`, `¶ 2`, `№ 5`, `± 0.3`, `≥ 1.5`, `€ 12`). Broken
//! there, a line ends in `≥` or starts with `%`, and the reader has to look across to
//! the next line (or page) for what it qualifies. Style guides ask for a no-break space
//! in these places; authors seldom type one. The house adds words that a number
//! follows (`Article 5`, `Fig. 2`: `[typeset] tie_before_numbers`). The PDF and the text edition, which break
//! their own lines, hold these spaces; the EPUB writes them as no-break spaces
//! ([`hold`]) for the reading system that breaks its lines.

use std::borrow::Cow;
use std::ops::Range;

/// Whether the space between the text `before` it and the text `after` it is held:
/// for a number and its sign, or a number after one of the house's `words`
/// (`[typeset] tie_before_numbers`: `Article 5`, `Fig. 2`, `No. 7`, and with a Roman
/// numeral or a capital letter for a number, `Chapter IV`, `Annex B`).
pub fn tied(before: &str, after: &str, words: &[String]) -> bool {
    if !words.is_empty() && numbered(after) {
        // The word before the space, after any opening bracket or quote.
        let word = before
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or(before)
            .trim_start_matches(['(', '[', '\u{201C}', '\u{2018}', '"', '\'']);
        if words.iter().any(|w| w == word) {
            return true;
        }
    }
    signed(before, after)
}

/// Whether `after` starts with what numbers a house word: digits (`5`, `12.3`), a
/// Roman numeral (`IV`) or one capital letter (`B`), the last two as a word of
/// their own (`Annex B,` but not `Annex Budget`).
fn numbered(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some(c) if c.is_ascii_uppercase() => {
            let token: String = std::iter::once(c)
                .chain(chars.take_while(|c| c.is_alphanumeric()))
                .collect();
            token.len() == 1
                || token
                    .chars()
                    .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
        }
        _ => false,
    }
}

/// A number and its sign on either side of the space.
fn signed(before: &str, after: &str) -> bool {
    let last = before.chars().next_back();
    let mut next = after.chars();
    let first = next.next();
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    // A number, signed or not: "4", "−20", "+3".
    let number = digit(first)
        || (first.is_some_and(|c| matches!(c, '-' | '+' | '\u{2212}')) && digit(next.next()));
    (digit(last) && first.is_some_and(unit)) || (last.is_some_and(sign) && number)
}

/// The text `block[range]` with each space [`tied`] to its neighbours written as a
/// no-break space (U+00A0): what tells a reading system not to break there. The
/// neighbours are read in the whole `block`, so a space is held across inline markup
/// (`**2.5** %`) as the PDF holds it. A range that is not in `block` is returned as
/// it is (empty).
pub fn hold<'t>(block: &'t str, range: Range<usize>, words: &[String]) -> Cow<'t, str> {
    let start = range.start;
    let Some(text) = block.get(range) else {
        return Cow::Borrowed("");
    };
    let held = |i: usize| tied(&block[..start + i], &block[start + i + 1..], words);
    if !text.match_indices(' ').any(|(i, _)| held(i)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut from = 0;
    for (i, _) in text.match_indices(' ').filter(|&(i, _)| held(i)) {
        out.push_str(&text[from..i]);
        out.push('\u{A0}');
        from = i + 1;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// A sign written after its number.
fn unit(c: char) -> bool {
    matches!(c, '%' | '\u{2030}' | '\u{2031}' | '\u{B0}') || currency(c)
}

/// A sign written before its number: a section or paragraph, a numero, a relation.
fn sign(c: char) -> bool {
    matches!(
        c,
        '\u{A7}'
            | '\u{B6}'
            | '\u{2116}'
            | '\u{B1}'
            | '\u{2213}'
            | '\u{2265}'
            | '\u{2264}'
            | '\u{2248}'
            | '<'
            | '>'
            | '='
            | '~'
            | '\u{D7}'
    ) || currency(c)
}

/// Currency signs (Unicode's category Sc).
fn currency(c: char) -> bool {
    matches!(c, '$' | '\u{A2}'..='\u{A5}' | '\u{58F}' | '\u{20A0}'..='\u{20C0}')
}

#[cfg(test)]
mod tests {
    use super::{hold, tied};

    #[test]
    fn held_spaces_are_written_as_no_break_spaces() {
        let all = |t: &str| hold(t, 0..t.len(), &words()).into_owned();
        assert_eq!(
            all("up 2.5 % in 2016, see § 4 and Article 5"),
            "up 2.5\u{A0}% in 2016, see §\u{A0}4 and Article\u{A0}5"
        );
        assert!(matches!(
            hold("in 2016 the", 0..11, &words()),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_space_is_held_by_the_text_around_its_piece() {
        // "**2.5** % and *Article* 5": the pieces " % and " and " 5" hold their
        // first space because of what the emphasis before them ends in.
        let block = "2.5 % and Article 5";
        assert_eq!(hold(block, 3..10, &words()), "\u{A0}% and ");
        assert_eq!(hold(block, 17..19, &words()), "\u{A0}5");
        assert_eq!(hold(block, 10..17, &words()), "Article");
        assert_eq!(hold(block, 17..40, &words()), "");
    }

    fn words() -> Vec<String> {
        vec!["Article".into(), "Fig.".into()]
    }

    #[test]
    fn the_house_words_keep_their_numbers() {
        let w = words();
        assert!(tied("under Article", "5 of", &w));
        assert!(tied("(Fig.", "2)", &w));
        assert!(!tied("the Article", "itself", &w));
        assert!(!tied("an article", "5", &w));
        assert!(!tied("under Article", "5", &[]));
        // Roman numerals and letters number them too, as words of their own.
        assert!(tied("see Article", "V of", &w));
        assert!(tied("(Fig.", "B)", &w));
        assert!(tied("under Article", "XII.", &w));
        assert!(!tied("under Article", "Vienna", &w));
        assert!(!tied("the Article", "Budget", &w));
    }

    #[test]
    fn numbers_keep_their_signs() {
        for (before, after) in [
            ("by 2.5", "% a year"),
            ("12", "\u{2030}"),
            ("\u{2212}20", "\u{B0}C"),
            ("40", "\u{20AC}"),
            ("see \u{A7}", "4"),
            ("(\u{B1}", "0.3)"),
            ("ratios \u{2265}", "1.5"),
            ("\u{20AC}", "12 bn"),
            ("\u{2264}", "\u{2212}3"),
        ] {
            assert!(tied(before, after, &[]), "{before:?} {after:?}");
        }
        for (before, after) in [
            ("in 2016", "the"),
            ("the", "2016 budget"),
            ("\u{A7}", "a"),
            ("3 \u{D7}", "the baseline"),
            ("per", "cent"),
            ("", "%"),
            ("x", ""),
        ] {
            assert!(!tied(before, after, &[]), "{before:?} {after:?}");
        }
    }
}
