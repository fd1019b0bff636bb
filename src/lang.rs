//! Language tags (BCP 47) as briefs and house styles write them: `en`, `pt-BR`,
//! `sr-Latn`. Only their form is checked here; locale data is looked up where it is
//! used ([`crate::dates`], hyphenation patterns, quotation marks, labels).

/// Whether `tag` has the form of a language tag: a language of two or three letters,
/// then subtags of one to eight letters or digits, each after a hyphen.
pub fn is_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// What a brief in `tag` is looked up by, most specific first: the whole tag, then the
/// tag without its last subtag, and so on down to its language (`de-CH-1996`,
/// `de-CH`, `de`). Tags are compared without regard to case, as BCP 47 says.
pub fn fallbacks(tag: &str) -> impl Iterator<Item = &str> {
    let ends = tag.match_indices('-').map(|(i, _)| i).rev();
    std::iter::once(tag).chain(ends.map(|i| &tag[..i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_by_their_form() {
        for good in ["en", "it", "pt-BR", "sr-Latn", "de-CH-1996", "yue"] {
            assert!(is_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "engl",
            "en-",
            "en_GB",
            "en-toolongsubtag",
            "1t",
            "notes",
        ] {
            assert!(!is_tag(bad), "{bad}");
        }
    }

    #[test]
    fn a_tag_falls_back_one_subtag_at_a_time() {
        let f: Vec<&str> = fallbacks("de-CH-1996").collect();
        assert_eq!(f, ["de-CH-1996", "de-CH", "de"]);
        assert_eq!(fallbacks("it").collect::<Vec<_>>(), ["it"]);
    }
}
