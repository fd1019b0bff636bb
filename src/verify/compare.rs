//! Word-by-word comparison of an edition's extracted words with the source's content.
//!
//! Myers' O(ND) shortest-edit-script diff: linear in the length of the brief when
//! the editions agree or nearly agree, and bounded by `MAX_EDITS` when they do not
//! (then the rest is reported as one difference). Runs of edits become one
//! [`Difference`] each. Furniture candidates (`Found::optional`) that do not match a
//! content word are dropped from the differences rather than reported.

use std::sync::Arc;

use crate::content::Word;

/// Where a word sits in an edition file. Which fields are set depends on the format:
/// text `line`; PDF `page` and `line` (text line on that page, furniture not counted);
/// EPUB `file` (path inside the container), `element` (e.g. `p 4`, the fourth `<p>` of
/// that file) and `line` (source line of the XHTML).
///
/// `file` and `element` are shared (every word of an element has the same ones), so
/// placing a word costs no allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "shared_str")]
    pub file: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "shared_str")]
    pub element: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// Serialise a shared string as a plain string (serde does `Arc` only with a feature).
fn shared_str<S: serde::Serializer>(v: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_str(v),
        None => s.serialize_none(),
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.to_string());
        }
        if let Some(p) = self.page {
            parts.push(format!("page {p}"));
        }
        if let Some(e) = &self.element {
            parts.push(format!("<{e}>"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if parts.is_empty() {
            parts.push("start of file".into());
        }
        f.write_str(&parts.join(", "))
    }
}

/// A word extracted from an edition, with its place in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub text: String,
    pub place: Place,
    /// Furniture candidate (a list marker, note number, link target): skipped when it
    /// does not match the expected word.
    pub optional: bool,
    /// The word as written, when the reader took furniture glued to it off (a figure's
    /// bracket, a note number): the content may have that text itself, and then the
    /// word as written is the one that matches.
    pub raw: Option<String>,
}

impl Found {
    /// Whether this found word is the content word `w`, read either way.
    pub fn is(&self, w: &str) -> bool {
        self.text == w || self.raw.as_deref() == Some(w)
    }
}

/// One disagreement between expected and found words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// Where in the edition, for people: the place of the first found word involved,
    /// or of the word after the gap when words are missing.
    pub place: String,
    /// The same place as separate fields, for tools.
    pub location: Place,
    /// Index of the first expected word involved.
    pub word_index: usize,
    /// The content's words here (empty when the edition has extra words).
    pub expected: Vec<String>,
    /// The edition's words here (empty when words are missing).
    pub found: Vec<String>,
    /// A few content words before the difference, for orientation.
    pub context: String,
    /// For a difference of presentation rather than of words: a construct that hides
    /// or adds words a reader sees (PDF: text render mode 3, artifact text that is not
    /// furniture, …; EPUB and text edition: what is outside the house profile, see
    /// [`super::profile`]), in words; then `expected` and `found` are empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub construct: Option<String>,
}

/// Edit distance beyond which we stop looking for a minimal script.
const MAX_EDITS: usize = 2_000;
/// Report at most this many differences: the edition is clearly wrong.
const MAX_DIFFS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    Delete, // an expected word missing from the edition
    Insert, // a word in the edition that the content lacks
}

/// Compare expected content words with found words.
pub fn compare(expected: &[Word], found: &[Found]) -> Vec<Difference> {
    if agree(expected, found) {
        return Vec::new();
    }
    let ops = script(expected, found);
    let mut diffs = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    let mut k = 0;
    while k < ops.len() {
        if ops[k] == Op::Equal {
            i += 1;
            j += 1;
            k += 1;
            continue;
        }
        let (i0, j0) = (i, j);
        while k < ops.len() && ops[k] != Op::Equal {
            match ops[k] {
                Op::Delete => i += 1,
                _ => j += 1,
            }
            k += 1;
        }
        let found_words: Vec<String> = found[j0..j]
            .iter()
            .filter(|f| !f.optional)
            .map(|f| f.text.clone())
            .collect();
        if i0 == i && found_words.is_empty() {
            continue; // only furniture was extra
        }
        let location = found[j0..j]
            .iter()
            .find(|f| !f.optional)
            .or_else(|| found.get(j))
            .or_else(|| found.last())
            .map_or_else(Place::default, |f| f.place.clone());
        let context = expected[i0.saturating_sub(6)..i0]
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        diffs.push(Difference {
            place: location.to_string(),
            location,
            word_index: i0,
            expected: expected[i0..i].iter().map(|w| w.text.clone()).collect(),
            found: found_words,
            context,
            construct: None,
        });
        if diffs.len() >= MAX_DIFFS {
            break;
        }
    }
    diffs
}

/// Whether the found words are the expected ones in order, once some furniture
/// candidates are left out: the usual case, decided in one pass.
///
/// When this holds, the edition needs exactly `found.len() - expected.len()`
/// insertions and no deletion, which is the fewest any edit script can have, so
/// there is nothing to report; the diff below is only needed otherwise.
///
/// A candidate that equals the next content word may be that word or furniture
/// before it (a rule of `---` above a paragraph that is `---`): both readings are
/// followed, as the set of content positions the words so far can have reached. The
/// set stays small, as every word that is not a candidate narrows it; past
/// [`MAX_READINGS`] the edition is not said to agree and the diff decides.
fn agree(expected: &[Word], found: &[Found]) -> bool {
    let mut at: Vec<usize> = vec![0];
    let mut next: Vec<usize> = Vec::new();
    for f in found {
        next.clear();
        for &i in &at {
            if f.optional {
                next.push(i);
            }
            if expected.get(i).is_some_and(|w| f.is(&w.text)) {
                next.push(i + 1);
            }
        }
        next.sort_unstable();
        next.dedup();
        if next.is_empty() || next.len() > MAX_READINGS {
            return false;
        }
        std::mem::swap(&mut at, &mut next);
    }
    at.contains(&expected.len())
}

/// Most readings [`agree`] follows at once.
const MAX_READINGS: usize = 64;

/// The shortest edit script turning `a` into `b` (Myers 1986), or, past
/// [`MAX_EDITS`], the common prefix and suffix with everything between replaced.
fn script(a: &[Word], b: &[Found]) -> Vec<Op> {
    // Trim the common prefix and suffix first: in the usual case nothing is left.
    let pre = a.iter().zip(b).take_while(|(x, y)| y.is(&x.text)).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| y.is(&x.text))
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let middle = myers(ma, mb).unwrap_or_else(|| {
        let mut v = vec![Op::Delete; ma.len()];
        v.extend(std::iter::repeat_n(Op::Insert, mb.len()));
        v
    });
    let mut ops = vec![Op::Equal; pre];
    ops.extend(middle);
    ops.extend(std::iter::repeat_n(Op::Equal, suf));
    ops
}

fn myers(a: &[Word], b: &[Found]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m).min(MAX_EDITS as isize);
    let off = max + 1;
    let mut v = vec![0isize; (2 * max + 3) as usize];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=max {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && b[y as usize].is(&a[x as usize].text) {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, &v, d, k, off, n, m));
            }
            k += 2;
        }
    }
    None
}

fn backtrack(
    trace: &[Vec<isize>],
    last: &[isize],
    d: isize,
    k: isize,
    off: isize,
    n: isize,
    m: isize,
) -> Vec<Op> {
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    let mut k = k;
    let _ = last;
    for d in (1..=d).rev() {
        let v = &trace[d as usize];
        let prev_k = if k == -d || (k != d && v[(k - 1 + off) as usize] < v[(k + 1 + off) as usize])
        {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + off) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Equal);
            x -= 1;
            y -= 1;
        }
        ops.push(if prev_k == k + 1 {
            Op::Insert
        } else {
            Op::Delete
        });
        x = prev_x;
        y = prev_y;
        k = prev_k;
    }
    while x > 0 && y > 0 {
        ops.push(Op::Equal);
        x -= 1;
        y -= 1;
    }
    ops.reverse();
    ops
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
                place: Place {
                    line: Some(i as u32 + 1),
                    ..Place::default()
                },
                optional: false,
                raw: None,
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
        assert_eq!(d[0].place, "line 3");
        assert_eq!(d[1].expected, vec!["f".to_string()]);
        assert!(d[1].found.is_empty());
        let d = compare(&exp("a b c d"), &got("a b c d z"));
        assert_eq!(d[0].found, vec!["z".to_string()]);
    }

    #[test]
    fn unmatched_furniture_is_no_difference() {
        let mut found = got("- a b [1] c");
        found[0].optional = true;
        found[3].optional = true;
        assert!(compare(&exp("a b c"), &found).is_empty());
        assert!(compare(&exp("- a b c"), &found).is_empty());
        assert_eq!(compare(&exp("a b c d"), &found).len(), 1);
        found[1].optional = false;
        found[1].text = "x".into();
        assert_eq!(
            compare(&exp("a b c"), &found)[0].found,
            vec!["x".to_string()]
        );
    }

    #[test]
    fn a_candidate_may_be_furniture_or_the_word_it_looks_like() {
        // A heading underline `===` above a paragraph that starts with `===`: the
        // first candidate is furniture and the word is the second, not the reverse.
        let mut found = got("Foo === === x");
        found[1].optional = true;
        assert!(compare(&exp("Foo === x"), &found).is_empty());
        // A word read two ways matches either.
        let mut found = got("Figure 1. cap");
        found[2].raw = Some("cap]".into());
        assert!(compare(&exp("Figure 1. cap]"), &found).is_empty());
        assert!(compare(&exp("Figure 1. cap"), &found).is_empty());
        assert_eq!(compare(&exp("Figure 1. cop"), &found).len(), 1);
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
