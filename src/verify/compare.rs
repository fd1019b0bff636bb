//! Word-by-word comparison of an edition's extracted words with the source's content.
//!
//! A linear walk with resynchronisation: at the first disagreement we look ahead in
//! both sequences for the nearest point where a few words agree again, and report the
//! words in between as one difference. This stays linear on long books, unlike a full
//! LCS diff, and reports each local change (changed, missing, extra, moved words) once.

use crate::content::Word;

/// A word extracted from an edition, with a human-readable place in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub text: String,
    /// E.g. "line 12", "page 2, line 5", "EPUB/text/brief.xhtml, paragraph 4".
    pub place: String,
    /// Furniture candidate (a list marker, note number, link target): skipped when it
    /// does not match the expected word.
    pub optional: bool,
}

/// One disagreement between expected and found words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// Where in the edition (the place of the first found word involved, or of the
    /// word after the gap when words are missing).
    pub place: String,
    /// Index of the first expected word involved.
    pub word_index: usize,
    /// The content's words here (empty when the edition has extra words).
    pub expected: Vec<String>,
    /// The edition's words here (empty when words are missing).
    pub found: Vec<String>,
    /// A few content words before the difference, for orientation.
    pub context: String,
}

/// How many agreeing words make a resynchronisation point.
const SYNC: usize = 3;
/// How far ahead to look for it.
const WINDOW: usize = 400;
/// Stop after this many differences: the edition is clearly wrong.
const MAX_DIFFS: usize = 50;

/// Compare expected content words with found words.
pub fn compare(expected: &[Word], found: &[Found]) -> Vec<Difference> {
    let mut diffs = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    while i < expected.len() || j < found.len() {
        if i < expected.len() && j < found.len() && expected[i].text == found[j].text {
            i += 1;
            j += 1;
            continue;
        }
        if j < found.len() && found[j].optional {
            j += 1;
            continue;
        }
        let (di, dj) = resync(expected, found, i, j);
        let place = found
            .get(j)
            .or_else(|| found.last())
            .map_or_else(|| "start of file".to_owned(), |f| f.place.clone());
        let context = expected[i.saturating_sub(6)..i]
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        diffs.push(Difference {
            place,
            word_index: i,
            expected: expected[i..i + di].iter().map(|w| w.text.clone()).collect(),
            found: found[j..j + dj].iter().map(|w| w.text.clone()).collect(),
            context,
        });
        i += di;
        j += dj;
        if diffs.len() >= MAX_DIFFS {
            break;
        }
    }
    diffs
}

/// Smallest (di, dj) with di + dj minimal such that SYNC words agree from i+di, j+dj
/// (or both sequences end there).
fn resync(expected: &[Word], found: &[Found], i: usize, j: usize) -> (usize, usize) {
    let agree = |a: usize, b: usize| {
        let n = SYNC.min(expected.len() - a).min(found.len() - b);
        let tail = expected.len() - a == n && found.len() - b == n;
        (n == SYNC || tail) && (0..n).all(|k| expected[a + k].text == found[b + k].text)
    };
    for total in 1..=2 * WINDOW {
        for di in 0..=total.min(WINDOW) {
            let dj = total - di;
            if dj > WINDOW {
                continue;
            }
            let (a, b) = (i + di, j + dj);
            if a > expected.len() || b > found.len() {
                continue;
            }
            if agree(a, b) {
                return (di, dj);
            }
        }
    }
    (expected.len() - i, found.len() - j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(s: &str) -> Vec<Word> {
        s.split_whitespace()
            .map(|w| Word {
                text: w.into(),
                part: 0,
            })
            .collect()
    }
    fn got(s: &str) -> Vec<Found> {
        s.split_whitespace()
            .enumerate()
            .map(|(i, w)| Found {
                text: w.into(),
                place: format!("word {}", i + 1),
                optional: false,
            })
            .collect()
    }

    #[test]
    fn equal_sequences_have_no_difference() {
        assert!(compare(&exp("a b c d"), &got("a b c d")).is_empty());
    }

    #[test]
    fn changed_missing_and_extra_words_are_named() {
        let d = compare(&exp("a b c d e f g h"), &got("a b X d e g h"));
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            (d[0].expected.clone(), d[0].found.clone()),
            (vec!["c".into()], vec!["X".into()])
        );
        assert_eq!(d[0].place, "word 3");
        assert_eq!(d[1].expected, vec!["f".to_string()]);
        assert!(d[1].found.is_empty());
        let d = compare(&exp("a b c d"), &got("a b c d z"));
        assert_eq!(d[0].found, vec!["z".to_string()]);
    }

    #[test]
    fn swapped_paragraphs_are_caught() {
        let d = compare(
            &exp("p1 p1 p1 p1 p2 p2 p2 p2 q"),
            &got("p2 p2 p2 p2 p1 p1 p1 p1 q"),
        );
        assert!(!d.is_empty());
    }
}
