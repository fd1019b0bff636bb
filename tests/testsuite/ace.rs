//! The EPUB's accessibility judged from outside: Ace by DAISY (npm `@daisy/ace`, run as
//! `ace-puppeteer` with Debian's chromium through `PUPPETEER_EXECUTABLE_PATH`) reports
//! no violation, of any impact, on the EPUB of every fixture. `.ci/run` installs both.

use std::path::Path;
use std::process::Command;

use crate::common::{self, fixture, need_tool, root, CASES};

/// Every violation Ace reports in `report.json`: impact, rule and where.
fn violations(report: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(report).expect("read Ace's report.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("Ace's report is JSON");
    let mut found = Vec::new();
    for file in json["assertions"].as_array().into_iter().flatten() {
        for a in file["assertions"].as_array().into_iter().flatten() {
            found.push(format!(
                "{} {} at {} in {}",
                a["earl:test"]["earl:impact"].as_str().unwrap_or("?"),
                a["earl:test"]["dct:title"].as_str().unwrap_or("?"),
                a["earl:result"]["earl:pointer"]["css"],
                file["earl:testSubject"]["url"].as_str().unwrap_or("?"),
            ));
        }
    }
    found
}

#[test]
fn ace_reports_no_violation_on_any_fixture() {
    if !need_tool("ace-puppeteer") {
        return;
    }
    // Ace starts a chromium with several processes for each EPUB.
    let _alone = common::one_at_a_time();
    for case in CASES {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Command::new(env!("CARGO_BIN_EXE_briefpress"))
            .current_dir(root())
            .args(["-q", "build"])
            .arg(fixture(case))
            .args(["--format", "epub", "--out"])
            .arg(dir.path())
            .output()
            .expect("run briefpress");
        assert!(out.status.success(), "build {case}: {out:?}");
        let stem = fixture(case);
        let stem = stem.file_stem().expect("stem");
        let epub = dir.path().join(stem).with_extension("epub");
        let report = dir.path().join("ace");
        let ace = Command::new("ace-puppeteer")
            .args(["--force", "--silent", "--outdir"])
            .arg(&report)
            .arg(&epub)
            .output()
            .expect("run ace-puppeteer");
        assert!(
            ace.status.success(),
            "ace-puppeteer on {case} failed:\n{}{}",
            String::from_utf8_lossy(&ace.stdout),
            String::from_utf8_lossy(&ace.stderr)
        );
        let found = violations(&report.join("report.json"));
        assert!(
            found.is_empty(),
            "Ace reports on {case}:\n{}",
            found.join("\n")
        );
    }
}
