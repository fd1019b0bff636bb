//! Spaces a line must not break at although the source has a plain space there: a
//! number and the unit sign after it (`2.5 %`, `12 ‰`, `−20 °C`, `40 €`), and a sign
//! and the number after it (`§ 4`, `¶ 2`, `№ 5`, `± 0.3`, `≥ 1.5`, `€ 12`). Broken
//! there, a line ends in `≥` or starts with `%`, and the reader has to look across to
//! the next line (or page) for what it qualifies. Style guides ask for a no-break space
//! in these places; authors seldom type one. The house adds words that a number
//! follows (`Article 5`, `Fig. 2`: `[typeset] tie_before_numbers`). The PDF and the text edition, which break
//! their own lines, hold these spaces; the EPUB writes them as no-break spaces
//! ([`hold`]) for the reading system that breaks its lines. Polish, Czech and Slovak
//! also keep a one-letter word with the next ([`one_letter_words`]), and French keeps
//! its spaced punctuation with its word (`french_spaced`): `« détente »`,
//! `pourquoi ?`, `ainsi :`.

use std::borrow::Cow;
use std::ops::Range;

/// What holds a space in a brief: the house's words that a number after them stays
/// with (`[typeset] tie_before_numbers`), and the one-letter words the brief's language
/// keeps off the end of a line ([`one_letter_words`]).
#[derive(Clone, Copy)]
pub struct Ties<'a> {
    words: &'a [String],
    letters: &'static str,
    french: bool,
}

impl<'a> Ties<'a> {
    /// The ties of a brief in `lang` set in a house with `words`.
    pub fn new(words: &'a [String], lang: &str) -> Ties<'a> {
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        Ties {
            words,
            letters: one_letter_words(lang),
            french: primary.eq_ignore_ascii_case("fr"),
        }
    }

    /// Whether the space between the text `before` it and the text `after` it is
    /// held: for a number and its sign; a number after one of the house's words
    /// (`Article 5`, `Fig. 2`, `No. 7`, and with a Roman numeral or a capital letter
    /// for a number, `Chapter IV`, `Annex B`); after a one-letter word the language
    /// keeps with the next (Polish `w Polsce`, Czech `v Praze`); or, in French, inside
    /// guillemets and before `;` `:` `!` `?`.
    pub fn tied(&self, before: &str, after: &str) -> bool {
        if self.french && french_spaced(before, after) {
            return true;
        }
        // The word before the space, after any opening bracket or quote.
        let word = || {
            before
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or(before)
                .trim_start_matches([
                    '(', '[', '\u{201C}', '\u{2018}', '\u{201E}', '\u{AB}', '"', '\'',
                ])
        };
        if !self.words.is_empty() && numbered(after) {
            // After an elided article, the word it is joined to (Italian
            // "dall’art. 5", French "l’Annexe B").
            let word = word();
            let elided = word.rsplit(['\'', '\u{2019}']).next().unwrap_or(word);
            if self.words.iter().any(|w| w == word || w == elided) {
                return true;
            }
        }
        if !self.letters.is_empty() && !after.is_empty() {
            let mut w = word().chars();
            if let (Some(c), None) = (w.next(), w.next()) {
                if self.letters.contains(c) {
                    return true;
                }
            }
        }
        signed(before, after)
    }
}

/// The one-letter words that `lang`'s typesetting keeps off the end of a line, as
/// Polish, Czech and Slovak house rules require: a preposition or conjunction of one
/// letter (`w`, `z`, `i`, `a`; `k`, `s`, `v`) goes to the next line with the word it
/// belongs to. None in other languages: English `a` and Italian `e` may end a line.
pub fn one_letter_words(lang: &str) -> &'static str {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    if primary.eq_ignore_ascii_case("pl") {
        "aiouwzAIOUWZ"
    } else if primary.eq_ignore_ascii_case("cs") || primary.eq_ignore_ascii_case("sk") {
        "aikosuvzAIKOSUVZ"
    } else {
        ""
    }
}

/// A space French typography puts beside a mark and never breaks: after an opening
/// guillemet, before a closing one, and before the "high" punctuation `;` `:` `!` `?`
/// (Imprimerie nationale's rules; LaTeX's babel-french adds these spaces itself).
/// Authors type a plain space there; a line that breaks at it starts with `»` or `?`,
/// or ends with `«`. The space keeps the width the author typed: only the break goes.
fn french_spaced(before: &str, after: &str) -> bool {
    before.ends_with(['\u{AB}', '\u{2039}'])
        || after.starts_with(['\u{BB}', '\u{203A}', ';', ':', '!', '?'])
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

/// The text `block[range]` with each space [`Ties::tied`] to its neighbours written as
/// a no-break space (U+00A0): what tells a reading system not to break there. The
/// neighbours are read in the whole `block`, so a space is held across inline markup
/// (`**2.5** %`) as the PDF holds it. A range that is not in `block` is returned as
/// it is (empty).
pub fn hold<'t>(block: &'t str, range: Range<usize>, ties: &Ties<'_>) -> Cow<'t, str> {
    let start = range.start;
    let Some(text) = block.get(range) else {
        return Cow::Borrowed("");
    };
    let held = |i: usize| ties.tied(&block[..start + i], &block[start + i + 1..]);
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
    use super::{hold, Ties};

    /// `Ties::tied` in an English brief of a house with `words`.
    fn tied(before: &str, after: &str, words: &[String]) -> bool {
        Ties::new(words, "en").tied(before, after)
    }

    #[test]
    fn held_spaces_are_written_as_no_break_spaces() {
        let w = words();
        let ties = Ties::new(&w, "en");
        let all = |t: &str| hold(t, 0..t.len(), &ties).into_owned();
        assert_eq!(
            all("up 2.5 % in 2016, see § 4 and Article 5"),
            "up 2.5\u{A0}% in 2016, see §\u{A0}4 and Article\u{A0}5"
        );
        assert!(matches!(
            hold("in 2016 the", 0..11, &ties),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_space_is_held_by_the_text_around_its_piece() {
        // "**2.5** % and *Article* 5": the pieces " % and " and " 5" hold their
        // first space because of what the emphasis before them ends in.
        let block = "2.5 % and Article 5";
        let w = words();
        let ties = Ties::new(&w, "en");
        assert_eq!(hold(block, 3..10, &ties), "\u{A0}% and ");
        assert_eq!(hold(block, 17..19, &ties), "\u{A0}5");
        assert_eq!(hold(block, 10..17, &ties), "Article");
        assert_eq!(hold(block, 17..40, &ties), "");
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

    /// The built-in house ties the references of the languages it has labels for:
    /// "art. 5", "S. 4", "№ 3", "Abbildung 2", "Figura 1" (a figure label, added by
    /// the house itself).
    #[test]
    fn the_built_in_house_ties_its_languages_references() {
        let house = crate::house::defaults().expect("built-in house");
        let w = &house.typeset.tie_before_numbers;
        for (lang, before, after) in [
            ("it", "dall'art.", "5 della"),
            ("it", "nell\u{2019}Allegato", "B"),
            ("fr", "de l\u{2019}Annexe", "B,"),
            ("it", "(cfr. n.", "12)"),
            ("it", "la Figura", "1 mostra"),
            ("de", "Vgl. S.", "4\u{2013}7"),
            ("de", "in Abbildung", "2 sieht"),
            ("ru", "см. №", "3"),
            ("ru", "на рис.", "2"),
            ("fr", "le n°", "4"),
            ("pl", "(rys.", "1)"),
        ] {
            assert!(
                Ties::new(w, lang).tied(before, after),
                "{lang}: {before} {after}"
            );
        }
        assert!(
            !Ties::new(w, "de").tied("Vgl. S.", "oben"),
            "only before a number"
        );
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

    #[test]
    fn polish_czech_and_slovak_keep_one_letter_words_with_the_next() {
        let pl = Ties::new(&[], "pl");
        assert!(!pl.tied("w", ""));
        assert!(pl.tied("Spotkanie w", "Warszawie"));
        assert!(pl.tied("Polska i", "Litwa"));
        assert!(pl.tied("(z", "Rosji)"));
        assert!(!pl.tied("Spotkanie we", "wtorek"));
        let cs = Ties::new(&[], "cs-CZ");
        assert!(cs.tied("jednání v", "Praze"));
        assert!(cs.tied("cesta k", "moři"));
        // English and Italian let a one-letter word end a line.
        assert!(!Ties::new(&[], "en").tied("such a", "case"));
        assert!(!Ties::new(&[], "it").tied("Roma e", "Milano"));
    }

    #[test]
    fn french_keeps_guillemets_and_high_punctuation_with_their_words() {
        let fr = Ties::new(&[], "fr-FR");
        assert!(fr.tied("parlé de \u{AB}", "détente \u{BB} hier"));
        assert!(fr.tied("parlé de \u{AB} détente", "\u{BB} hier"));
        assert!(fr.tied("\u{2039}", "oui \u{203A}"));
        for mark in [";", ":", "!", "?", "?!"] {
            assert!(fr.tied("Pourquoi", mark), "{mark}");
        }
        assert!(!fr.tied("Pourquoi", "pas"));
        assert!(!fr.tied("\u{BB}", "puis"));
        // Other languages break there as UAX #14 allows.
        let en = Ties::new(&[], "en");
        assert!(!en.tied("the \u{AB}", "reset \u{BB}"));
        assert!(!Ties::new(&[], "it").tied("di \u{AB}", "distensione \u{BB}"));
        let text = "de \u{AB} détente \u{BB} ; voilà !";
        let held = hold(text, 0..text.len(), &fr);
        assert_eq!(
            held,
            "de \u{AB}\u{A0}détente\u{A0}\u{BB}\u{A0}; voilà\u{A0}!"
        );
    }
}
