//! The double quotation marks a brief's language prints: straight `"` typed in the
//! source becomes the language's own marks, as typst's smart quotes do (German
//! „Zeitenwende“, Russian «перезагрузка», Polish „reset”), where pulldown-cmark's smart
//! punctuation gives English “ ” in every language. Written by hand: no crate of the
//! tree carries CLDR's delimiters, and the table is short.
//!
//! A typed `'` that opens a quotation becomes the language's single (inner) opening
//! mark, and the `’` that closes it the closing one: German ‚so‘, Russian „так“,
//! French “ainsi”. pulldown-cmark's `’` is also the apostrophe (`geht’s`,
//! `dell’Italia`), so a `’` is taken for a closing mark only after an opening one in
//! the same block and at a word's end; every other `’` stays one ([`Singles`]).
//! French puts a narrow no-break space (U+202F, the
//! *espace fine insécable*) inside its guillemets, and the marks made here carry it:
//! `"détente"` prints `«\u{202F}détente\u{202F}»`, and no line breaks inside. Guillemets
//! an author types with plain spaces are held to their word by the French ties
//! ([`crate::render::ties`]).

/// The opening and closing double quotation marks of BCP 47 language `lang` when they
/// are not English's “ ” (CLDR's delimiters, primary level).
pub fn double(lang: &str) -> Option<(&'static str, &'static str)> {
    let (primary, swiss) = language(lang);
    Some(match primary.as_str() {
        // Swiss German sets guillemets.
        "de" if swiss => ("\u{AB}", "\u{BB}"),
        "de" | "cs" | "sk" | "sl" | "hr" | "bs" | "sr" | "bg" | "lt" | "et" | "is" | "ka" => {
            ("\u{201E}", "\u{201C}")
        }
        "pl" | "hu" | "ro" => ("\u{201E}", "\u{201D}"),
        // French typography spaces its guillemets, and with a space that does not break.
        "fr" => ("\u{AB}\u{202F}", "\u{202F}\u{BB}"),
        "ru" | "uk" | "be" | "kk" | "it" | "es" | "el" | "hy" | "nb" | "nn" | "no" => {
            ("\u{AB}", "\u{BB}")
        }
        "sv" | "fi" => ("\u{201D}", "\u{201D}"),
        _ => return None,
    })
}

/// The opening and closing single quotation marks of BCP 47 language `lang` when they
/// are not English's ‘ ’ (the languages' inner marks, as typst's smart quotes set
/// them).
pub fn single(lang: &str) -> Option<(&'static str, &'static str)> {
    let (primary, swiss) = language(lang);
    Some(match primary.as_str() {
        "de" if swiss => ("\u{2039}", "\u{203A}"),
        "de" | "cs" | "sk" | "sl" | "et" | "is" | "lt" | "lv" => ("\u{201A}", "\u{2018}"),
        "fr" | "it" | "es" | "uk" => ("\u{201C}", "\u{201D}"),
        "ru" | "be" => ("\u{201E}", "\u{201C}"),
        "pl" | "hu" | "ro" | "bg" | "nb" | "nn" | "no" | "sv" | "fi" | "bs" => {
            ("\u{2019}", "\u{2019}")
        }
        _ => return None,
    })
}

/// The primary language of BCP 47 tag `lang`, lowercase, and whether the tag names
/// Switzerland (`de-CH`), whose German sets other marks.
fn language(lang: &str) -> (String, bool) {
    let mut tags = lang.split(['-', '_']);
    let primary = tags.next().unwrap_or("").to_ascii_lowercase();
    (primary, tags.any(|t| t.eq_ignore_ascii_case("CH")))
}

/// Single quotation marks through one block: which `’` close a quotation and which
/// are apostrophes.
#[derive(Debug, Default)]
pub struct Singles {
    marks: Option<(&'static str, &'static str)>,
    open: bool,
}

impl Singles {
    pub fn new(lang: &str) -> Singles {
        Singles {
            marks: single(lang),
            open: false,
        }
    }

    /// A new block: a quotation left open does not run on into it.
    pub fn reset(&mut self) {
        self.open = false;
    }

    /// What smart punctuation's `shown` (made of a typed `'`) prints as, when not as it
    /// is; `next` is the character after it in the source.
    pub fn localise(&mut self, shown: &str, next: Option<char>) -> Option<&'static str> {
        match shown {
            "\u{2018}" => {
                self.open = true;
                self.marks.map(|m| m.0)
            }
            // A closing mark ends a word; an apostrophe may be inside one.
            "\u{2019}" if self.open && !next.is_some_and(char::is_alphanumeric) => {
                self.open = false;
                self.marks.map(|m| m.1)
            }
            _ => None,
        }
    }
}

/// `shown`, a double quotation mark smart punctuation made of a typed `"`, as `lang`
/// prints it (`marks` from [`double`]); anything else as it is.
pub fn localise(shown: &str, marks: Option<(&'static str, &'static str)>) -> Option<&'static str> {
    let (open, close) = marks?;
    match shown {
        "\u{201C}" => Some(open),
        "\u{201D}" => Some(close),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_gets_its_own_double_quotes() {
        let quoted = |lang: &str| {
            let m = double(lang);
            format!(
                "{}x{}",
                localise("\u{201C}", m).unwrap_or("\u{201C}"),
                localise("\u{201D}", m).unwrap_or("\u{201D}")
            )
        };
        assert_eq!(quoted("en"), "\u{201C}x\u{201D}");
        assert_eq!(quoted("en-GB"), "\u{201C}x\u{201D}");
        assert_eq!(quoted("de"), "\u{201E}x\u{201C}");
        assert_eq!(quoted("de-CH"), "\u{AB}x\u{BB}");
        assert_eq!(quoted("ru"), "\u{AB}x\u{BB}");
        assert_eq!(quoted("pl"), "\u{201E}x\u{201D}");
        assert_eq!(quoted("sv"), "\u{201D}x\u{201D}");
        assert_eq!(quoted("tr"), "\u{201C}x\u{201D}");
        assert_eq!(quoted("fr"), "\u{AB}\u{202F}x\u{202F}\u{BB}");
        assert_eq!(quoted("fr-CA"), "\u{AB}\u{202F}x\u{202F}\u{BB}");
        assert_eq!(quoted("it"), "\u{AB}x\u{BB}");
        // A single quote or an apostrophe is never touched here.
        assert_eq!(localise("\u{2019}", double("de")), None);
    }

    #[test]
    fn single_quotes_close_only_what_they_opened_and_apostrophes_stay() {
        // `Er sagte 'so' und geht's`: the opening and the closing mark become
        // German's, the apostrophe inside a word stays.
        let mut de = Singles::new("de-DE");
        assert_eq!(de.localise("\u{2018}", Some('s')), Some("\u{201A}"));
        assert_eq!(de.localise("\u{2019}", Some(' ')), Some("\u{2018}"));
        assert_eq!(de.localise("\u{2019}", Some('s')), None);
        // No quotation open: a word-final apostrophe (`the neighbours’ mountains`).
        assert_eq!(de.localise("\u{2019}", Some(' ')), None);
        // An apostrophe inside a word while a quotation is open (`'geht's'`).
        assert_eq!(de.localise("\u{2018}", Some('g')), Some("\u{201A}"));
        assert_eq!(de.localise("\u{2019}", Some('s')), None);
        assert_eq!(de.localise("\u{2019}", None), Some("\u{2018}"));
        // A quotation left open ends with its block.
        de.localise("\u{2018}", Some('x'));
        de.reset();
        assert_eq!(de.localise("\u{2019}", Some('.')), None);
        let mut ru = Singles::new("ru");
        assert_eq!(ru.localise("\u{2018}", Some('x')), Some("\u{201E}"));
        assert_eq!(ru.localise("\u{2019}", Some(',')), Some("\u{201C}"));
        // English keeps pulldown-cmark's marks.
        let mut en = Singles::new("en");
        assert_eq!(en.localise("\u{2018}", Some('x')), None);
        assert_eq!(en.localise("\u{2019}", Some(' ')), None);
    }
}
