//! The whole pipeline on generated briefs: random mixtures of every construct (and
//! awkward text: long words, empty cells, notes in lists, headings in quotes, scripts
//! needing fallback fonts) must either build all three editions, which then verify, or
//! fail with located diagnostics — never panic. A brief is rejected exactly when it
//! holds one of the refused constructs mixed in now and then, and the words of every
//! edition are judged against a second reading of the source (`common/oracle.rs`), not
//! against the content model under test.

use crate::common::oracle;

use briefpress::render::{self, Edition, Format, Options, PdfStandard};
use proptest::prelude::*;

/// Refused constructs (README, "Refused with a located error") and the message of each.
const REFUSED: &[(&str, &str)] = &[
    ("It was ~~struck~~ out.", "struck-out text"),
    ("The area $x^2$ grows.", "math is not supported"),
    ("$$x^2$$", "math is not supported"),
    ("Raw <b>HTML</b> here.", "raw HTML"),
    ("```\nlet code = 1;\n```", "code"),
    ("![](chart.png)", "alt"),
    (
        "See ![A chart](chart.png) inline.",
        "an image inside running text",
    ),
];

fn piece() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("Plain words in a sentence.".to_owned()),
        Just("A *stressed* and **strong** and ***both*** phrase.".to_owned()),
        Just("A [link](https://example.org/a) inside.".to_owned()),
        Just("Supercalifragilisticexpialidociouslyunhyphenatablewordthatgoesonandon".to_owned()),
        Just("Georgian საქართველო and Armenian Հայաստան and Greek Ελλάδα.".to_owned()),
        Just("Quotes \"straight\" and 'single' -- dashes --- and dots...".to_owned()),
        Just("A note.[^a]".to_owned()),
        Just("Line one\\\nline two.".to_owned()),
        Just("x".to_owned()),
        Just("Numbers 1,234.5 and 7.000 and $15 million.".to_owned()),
        // Dollar signs pulldown-cmark's math would pair into a formula.
        Just("Ranges of $5–$7bn, $10-$20 and US$15m/A$20m.".to_owned()),
        // Bare addresses as typed, with what smart punctuation would change inside
        // and quotes around that it does change.
        Just("See https://en.wikipedia.org/wiki/People's_Republic--2015/1.0...2.0 now.".to_owned()),
        Just("Or \"www.example.org/a---b\" and 'https://example.org/it's'.".to_owned()),
    ]
}

fn block() -> impl Strategy<Value = String> {
    let p = prop::collection::vec(piece(), 1..4)
        .prop_map(|v: Vec<String>| v.join(" "))
        .boxed();
    prop_oneof![
        // About one brief in six holds a refused construct.
        2 => prop::sample::select(REFUSED).prop_map(|(s, _)| s.to_owned()),
        8 => p.clone(),
        8 => p.clone()
            .prop_map(|t| format!("## {}", t.replace("[^a]", ""))),
        8 => p.clone()
            .prop_map(|t| format!("- {t}\n- {t}\n  - nested {t}")),
        8 => p.clone()
            .prop_map(|t| format!("1. {t}\n2. second\n\n   loose {t}")),
        8 => p.clone().prop_map(|t| format!("> {t}\n>\n> > deeper {t}")),
        // A quote whose last word is a link: the text edition writes its target there,
        // ending the quoted line in `>` (a crate's README once lost that `>`).
        4 => p.clone().prop_map(|t| format!("> {t} see [the source](https://example.org/q/)")),
        8 => p.clone().prop_map(|t| format!(
            "| A | B |\n|:--|--:|\n| {} | |\n| 1 | 2 |",
            t.replace('|', "/")
        )),
        8 => Just("---".to_owned()),
        8 => Just("![A chart](chart.png \"wide\")".to_owned()),
        8 => Just("![A photograph](photo.jpg)".to_owned()),
    ]
}

fn brief(blocks: Vec<String>) -> String {
    let body = blocks.join("\n\n");
    let note = if body.contains("[^a]") {
        "\n\n[^a]: The note, with *emphasis*."
    } else {
        ""
    };
    format!(
        "---\ntitle: A generated brief\nregion: Nowhere\ndate: 2020-02-29\nauthors:\n  - name: Gen Erated\n    bio: Made by a test.\n---\n\n{body}{note}\n"
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_briefs_build_and_verify_or_fail_cleanly(blocks in prop::collection::vec(block(), 1..12)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for img in ["chart.png", "photo.jpg"] {
            std::fs::copy(root.join("tests/fixtures/constructs").join(img), dir.path().join(img)).expect("copy");
        }
        let src = dir.path().join("gen.md");
        let refused: Vec<&str> = REFUSED
            .iter()
            .filter(|(piece, _)| blocks.iter().any(|b| b == piece))
            .map(|(_, message)| *message)
            .collect();
        std::fs::write(&src, brief(blocks)).expect("write");
        let house = briefpress::house::builtin().expect("house");
        let coverage = briefpress::fonts::Coverage::of_house(&house);
        let doc = match briefpress::parse::parse_file(&src, &coverage) {
            Ok(d) => {
                prop_assert!(refused.is_empty(), "built, though it holds {refused:?}");
                d
            }
            // A rejected source must say where: every diagnostic carries a span, and
            // each refused construct it holds is named.
            Err(briefpress::error::Error::Source(d)) => {
                let report = d.render();
                prop_assert!(!refused.is_empty(), "a valid brief was rejected:\n{report}");
                prop_assert!(d.diagnostics.iter().all(|x| x.span.is_some()), "{report}");
                for message in &refused {
                    prop_assert!(report.contains(message), "{message:?} not in:\n{report}");
                }
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        // The content model against the second reading, then every edition against it.
        let oracle_words = oracle::words(&src, &oracle::builtin_house());
        let model: Vec<String> = briefpress::verify::expected_words(&doc, &house)
            .into_iter()
            .map(|w| w.text)
            .collect();
        prop_assert_eq!(&model, &oracle_words, "the content model disagrees with the oracle");
        let expected: Vec<briefpress::content::Word> = oracle_words
            .into_iter()
            .map(|text| briefpress::content::Word { text, part: 0 })
            .collect();
        for edition in [Edition::Screen, Edition::Print] {
            let options = Options { edition, epoch: doc.meta.date.unix_seconds(), pdf_standard: PdfStandard::A2b };
            for f in [Format::Txt, Format::Pdf, Format::Epub] {
                if edition == Edition::Print && f != Format::Pdf {
                    continue;
                }
                let bytes = render::render(&doc, &house, f, &options)
                    .map_err(|e| TestCaseError::fail(format!("{f:?}: {e}")))?;
                let path = dir.path().join(format!("gen.{}", f.ext()));
                std::fs::write(&path, &bytes).expect("write edition");
                let found = briefpress::verify::extract(f, &path)
                    .map_err(|e| TestCaseError::fail(format!("{f:?} unreadable: {e}")))?;
                let diffs = briefpress::verify::compare::compare(&expected, &found);
                prop_assert!(diffs.is_empty(), "{:?} {:?}: {:?}", f, edition, &diffs[..diffs.len().min(3)]);
            }
        }
    }
}
