//! The double quotation marks a brief's language prints: straight `"` typed in the
//! source becomes the language's own marks, as typst's smart quotes do (German
//! „Zeitenwende“, Russian «перезагрузка», Polish „reset”), where pulldown-cmark's smart
//! punctuation gives English “ ” in every language. Written by hand: no crate of the
//! tree carries CLDR's delimiters, and the table is short.
//!
//! Single quotes stay as pulldown-cmark curls them: its `’` is both a closing single
//! quote and an apostrophe (`geht’s`, `dell’Italia`), which no table may turn into
//! another language's closing mark. French puts a narrow no-break space (U+202F, the
//! *espace fine insécable*) inside its guillemets, and the marks made here carry it:
//! `"détente"` prints `«\u{202F}détente\u{202F}»`, and no line breaks inside. Guillemets
//! an author types with plain spaces are held to their word by the French ties
//! ([`crate::render::ties`]).

/// The opening and closing double quotation marks of BCP 47 language `lang` when they
/// are not English's “ ” (CLDR's delimiters, primary level).
pub fn double(lang: &str) -> Option<(&'static str, &'static str)> {
    let mut tags = lang.split(['-', '_']);
    let primary = tags.next().unwrap_or("").to_ascii_lowercase();
    let swiss = tags.any(|t| t.eq_ignore_ascii_case("CH"));
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
        // A single quote or an apostrophe is never touched.
        assert_eq!(localise("\u{2019}", double("de")), None);
    }
}
