//! Inputs that once made the PDF layout super-linear build and verify (issue 13,
//! point 7). Their speed is measured by `benches/stages.rs`, never by a timed test.

use crate::common::{self, Sandbox};

/// A brief whose title has 5,000 characters builds all three editions, and `check`
/// proves they carry its words: the title is set smaller on page 1 and cut to fit the
/// running header of the pages after it.
#[test]
fn a_five_thousand_character_title_builds_and_verifies() {
    let words = [
        "regional",
        "security",
        "in",
        "the",
        "steppe",
        "has",
        "long",
        "rested",
        "on",
        "arrangements",
        "older",
        "than",
        "states",
    ];
    let mut title = String::new();
    for w in words.iter().cycle() {
        if title.len() + w.len() + 1 > 5000 {
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(w);
    }
    assert!(title.len() > 4990);
    let body = "Pipelines and railways have changed the map faster than treaties could follow.\n\n"
        .repeat(60);
    let source =
        common::brief(&body).replacen("title: A test brief", &format!("title: \"{title}\""), 1);
    let sb = Sandbox::new();
    sb.write("source/long-title.md", source);
    sb.run(&["build", "-q"]).expect_code(0);
    for ext in ["pdf", "epub", "txt"] {
        assert!(
            sb.path(&format!("dist/long-title.{ext}")).is_file(),
            "{ext}"
        );
    }
    sb.run(&["check"]).expect_code(0);
    // All of the title is on page 1, inside the page: set at 3/4 size it would run
    // far below the page's edge, painted where no reader sees it.
    if common::need_tool("pdftotext") {
        let out = std::process::Command::new("pdftotext")
            .args(["-f", "1", "-l", "1"])
            .arg(sb.path("dist/long-title.pdf"))
            .arg("-")
            .output()
            .expect("pdftotext runs");
        let page1 = String::from_utf8_lossy(&out.stdout);
        let page1: Vec<&str> = page1.split_whitespace().collect();
        let title: Vec<&str> = title.split_whitespace().collect();
        assert!(
            page1.windows(title.len()).any(|w| w == title.as_slice()),
            "page 1 does not show the whole title"
        );
    }
}

/// A title of 5,000 characters in long words takes more lines than the short words
/// above and cannot fit on page 1 even at the body's size. The build refuses it with
/// the reason and the remedy at the title's line, and writes no edition, instead of
/// painting the rest of the title off the page (which `check` would then refuse).
#[test]
fn a_title_too_long_for_page_one_is_refused_with_the_reason() {
    let title = vec!["cooperation"; 418].join(" ");
    assert!(title.chars().count() > 4990);
    let source = common::brief("Body text.\n").replacen(
        "title: A test brief",
        &format!("title: \"{title}\""),
        1,
    );
    let sb = Sandbox::new();
    sb.write("source/too-long.md", source);
    let run = sb.run(&["build"]).expect_code(1);
    for said in [
        "--> source/too-long.md:2:1",
        "the title (5015 characters) and what follows it (subtitle, authors' names) do not fit on page 1",
        "= hint: shorten the title",
    ] {
        assert!(
            run.stderr.contains(said),
            "{said:?} not in:\n{}",
            run.stderr
        );
    }
    for ext in ["pdf", "epub", "txt"] {
        assert!(!sb.path(&format!("dist/too-long.{ext}")).exists(), "{ext}");
    }
}

/// A numbered list of twelve items: the hanging indent leaves room for "10." and
/// beyond, so no number touches its text (pdftotext reads "10. Item", not "10.Item"),
/// and the brief verifies. The same for twelve notes.
#[test]
fn a_list_of_twelve_items_keeps_its_numbers_apart_from_the_text() {
    let mut body = String::from("The reasons:\n\n");
    for i in 1..=12 {
        body.push_str(&format!(
            "{i}. Reason number {i}, long enough to wrap onto a second line of the column[^n{i}].\n"
        ));
    }
    body.push('\n');
    for i in 1..=12 {
        body.push_str(&format!("[^n{i}]: Note {i} on the reason.\n"));
    }
    let sb = Sandbox::new();
    sb.write("source/twelve.md", common::brief(&body));
    sb.run(&["build", "-q"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    if common::need_tool("pdftotext") {
        let text = common::pdftotext_raw(&sb.path("dist/twelve.pdf"));
        for n in 10..=12 {
            assert!(
                text.contains(&format!("{n}. Reason number {n}")),
                "item {n} glued to its number:\n{text}"
            );
            assert!(
                text.contains(&format!("{n}. Note {n}")),
                "note {n} glued to its number:\n{text}"
            );
        }
    }
}

/// A table of `n` columns headed V1…Vn over one row of numbers.
fn wide_table(n: usize) -> String {
    let row = |f: &dyn Fn(usize) -> String| {
        format!("|{}|\n", (1..=n).map(f).collect::<Vec<_>>().join("|"))
    };
    format!(
        "Before the table.\n\n{}{}{}\nAfter the table.\n",
        row(&|i| format!("V{i}")),
        row(&|_| ":--".into()),
        row(&|i| (i * 7).to_string())
    )
}

/// A table of 12 short columns is set in the column, no cell running into the next
/// (pdftotext reads each "V<i>" as a word of its own), and verifies; one of 20, too
/// wide for a column with its words whole, is set across the text width with them
/// whole, and verifies; one whose columns would be narrower than a letter even across
/// the page (72 columns: pandoc's test documents have one) is refused with a message
/// that names it, points at its first line and says what to do, and nothing is
/// written. It used to be set with its letters on top of each other.
#[test]
fn a_wide_table_is_set_narrow_or_refused_never_overprinted() {
    let sb = Sandbox::new();
    sb.write("source/twelve.md", common::brief(&wide_table(12)));
    sb.write("source/twenty.md", common::brief(&wide_table(20)));
    sb.run(&["build", "-q"]).expect_code(0);
    sb.run(&["check"]).expect_code(0);
    if common::need_tool("pdftotext") {
        for (name, n) in [("twelve", 12), ("twenty", 20)] {
            let text = common::pdftotext_raw(&sb.path(&format!("dist/{name}.pdf")));
            let head = (1..=n)
                .map(|i| format!("V{i}"))
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                text.contains(&head),
                "{name}: header cells run together:\n{text}"
            );
        }
    }
    let sb = Sandbox::new();
    let source = common::brief(&wide_table(72));
    sb.write("source/wide.md", &source);
    let run = sb.run(&["build"]).expect_code(1);
    // The refusal is located at the table's first line, as any error in the source is.
    let line = 1 + source
        .lines()
        .position(|l| l.starts_with("|V1|"))
        .expect("the table's header line");
    for said in [
        "the table of 72 columns headed \"V1\", \"V2\", \"V3\", … does not fit across the page, the text 174 mm wide",
        "= hint: give the table fewer columns",
        &format!("--> source/wide.md:{line}:1"),
    ] {
        assert!(
            run.stderr.contains(said),
            "{said:?} not in:\n{}",
            run.stderr
        );
    }
    assert!(!sb.path("dist/wide.pdf").exists() && !sb.path("dist/wide.txt").exists());
}
