//! Running outloud (PyPI; PDF/UA-1, WCAG 2.2 and semantic checks of a tagged PDF) and
//! reading its JSON report, shared by the `outloud` and `matrix` test modules. The
//! caller checks `need_tool("outloud")` first.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// What outloud said about one PDF.
#[derive(Debug)]
pub struct Verdict {
    pub errors: u64,
    pub warnings: u64,
    /// How many rules ran on the file (a report with none proves nothing).
    pub rules_ran: usize,
    pub findings: Vec<Finding>,
}

/// One finding of outloud's report.
#[derive(Debug)]
pub struct Finding {
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub evidence: String,
    pub page: u64,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} p.{} {} ({})",
            self.rule, self.severity, self.page, self.message, self.evidence
        )
    }
}

/// Run outloud on `pdf`, reading its JSON report. Panics with outloud's output when it
/// cannot run, cannot read the file, or writes a report of another shape.
pub fn run(pdf: &Path) -> Verdict {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("report.json");
    let out = Command::new("outloud")
        .args(["--quiet", "--fail-on", "never", "--json"])
        .arg(&json)
        .arg(pdf)
        .output()
        .expect("run outloud");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "outloud failed on {}:\n{said}",
        pdf.display()
    );
    let text = std::fs::read_to_string(&json)
        .unwrap_or_else(|e| panic!("outloud wrote no JSON report ({e}):\n{said}"));
    let report: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("outloud's JSON report does not parse ({e}):\n{text}"));
    parse(&report).unwrap_or_else(|why| panic!("outloud's report: {why}:\n{text}"))
}

/// Read the one file's result from outloud's JSON report (`{"tool", "generated",
/// "results": [{"path", "verdict", "counts": {"error", "warning", "info"}, "error",
/// "findings": [{"rule", "severity", "message", "evidence"?, "count"?}], "rules":
/// [{"rule", "status"}]}]}`).
fn parse(report: &Value) -> Result<Verdict, String> {
    let tool = report["tool"]["name"].as_str().unwrap_or("");
    if tool != "outloud" {
        return Err(format!("made by {tool:?}, not outloud"));
    }
    let results = report["results"].as_array().ok_or("no `results` list")?;
    let [result] = results.as_slice() else {
        return Err(format!("{} results for one file", results.len()));
    };
    if let Some(e) = result["error"].as_str() {
        return Err(format!("the file was unreadable to outloud: {e}"));
    }
    let count = |key: &str| {
        result["counts"][key]
            .as_u64()
            .ok_or(format!("no `counts.{key}` number"))
    };
    let (errors, warnings) = (count("error")?, count("warning")?);
    let findings: Vec<Finding> = result["findings"]
        .as_array()
        .ok_or("no `findings` list")?
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            Finding {
                rule: text("rule"),
                severity: text("severity"),
                message: text("message"),
                evidence: text("evidence"),
                page: f["page"].as_u64().unwrap_or(0),
            }
        })
        .collect();
    // A count of zero must agree with the findings: a finding of either severity is
    // counted (its `count` says how many places), so none may be listed.
    let listed = findings
        .iter()
        .filter(|f| f.severity == "error" || f.severity == "warning")
        .count();
    if (errors + warnings == 0) != (listed == 0) {
        return Err(format!(
            "counts {errors} errors / {warnings} warnings but {listed} findings listed"
        ));
    }
    let rules_ran = result["rules"]
        .as_array()
        .ok_or("no `rules` list")?
        .iter()
        .filter(|r| r["status"].as_str() == Some("ran"))
        .count();
    Ok(Verdict {
        errors,
        warnings,
        rules_ran,
        findings,
    })
}

/// What outloud finds in `pdf`, errors and warnings alike, one line each, labelled
/// with `label`. Nothing is excused: every fixture's PDF must come out clean.
pub fn problems(pdf: &Path, label: &str) -> Vec<String> {
    let v = run(pdf);
    // outloud runs 60-odd rules on a tagged PDF; a handful means it did not read it.
    if v.rules_ran < 30 {
        return vec![format!("{label}: outloud ran only {} rules", v.rules_ran)];
    }
    v.findings
        .iter()
        .filter(|f| f.severity != "info")
        .map(|f| {
            format!(
                "{label} ({} errors, {} warnings in all): {f}",
                v.errors, v.warnings
            )
        })
        .collect()
}
