//! What the command line prints: build and clean reports, the closing summary line, and
//! writing to standard error and output without panicking on a closed stream.

use briefpress::error::{Error, Result, EXIT_OK};

use super::args::Cli;

/// Print what a build gave (text on standard error, or the `--json` document on
/// standard output) and, after `build --check`, what the check found (in the JSON
/// document under `check`); returns the exit code: the highest of the failed briefs'
/// and the check's (a mismatch, 3, outranks a brief that failed to build, 1).
pub(super) fn report_build(
    cli: &Cli,
    outcome: &briefpress::build::Outcome,
    started: std::time::Instant,
    checked: Option<&briefpress::verify::Report>,
) -> Result<i32> {
    let elapsed = started.elapsed().as_secs_f64();
    let summary = summary(
        outcome.built.len(),
        outcome.failed.len(),
        outcome.fresh.len(),
        elapsed,
    );
    if cli.json {
        let failed: Vec<serde_json::Value> = outcome
            .failed
            .iter()
            .map(|f| {
                serde_json::json!({
                    "source": f.source,
                    "exit": f.error.exit_code(),
                    "errors": briefpress::build::error_json(&f.error, &f.source),
                })
            })
            .collect();
        let mut v = serde_json::json!({
            "ok": outcome.failed.is_empty() && checked.is_none_or(|r| r.ok),
            "built": outcome.built,
            "up_to_date": outcome.fresh,
            "failed": failed,
            "summary": summary,
        });
        if let Some(report) = checked {
            v["check"] = check_json(report)?;
        }
        print_out(&format!("{v}\n"));
    } else {
        if !cli.quiet {
            for b in &outcome.built {
                for w in &b.warnings {
                    say(&format!("warning: {}: {}\n", b.source.display(), w.message));
                }
                for o in &b.outputs {
                    say(&format!("wrote {} ({} bytes)\n", o.path.display(), o.bytes));
                }
            }
        }
        for f in &outcome.failed {
            say(&format!("{}\n\n", f.error));
        }
        // The summary is the last line, also with --quiet when a brief failed:
        // it is what tells a long folder build's reader where things stand.
        if !cli.quiet || !outcome.failed.is_empty() {
            say(&format!("{summary}\n"));
        }
        if let Some(report) = checked.filter(|r| !cli.quiet || !r.ok) {
            say(&report.render());
        }
    }
    Ok(build_exit(outcome).max(checked.map_or(EXIT_OK, |r| r.exit_code())))
}

/// The exit code of a build: the worst of its failed briefs', else success.
fn build_exit(outcome: &briefpress::build::Outcome) -> i32 {
    outcome
        .failed
        .iter()
        .map(|f| f.error.exit_code())
        .max()
        .unwrap_or(EXIT_OK)
}

/// A check's report as the `--json` document gives it, with its exit code (as `build
/// --json` and every early error give theirs).
pub(super) fn check_json(report: &briefpress::verify::Report) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(report)
        .map_err(|e| Error::Internal(format!("cannot encode the report: {e}")))?;
    v["exit"] = serde_json::json!(report.exit_code());
    Ok(v)
}

/// Print what a clean removed and kept.
pub(super) fn report_clean(cli: &Cli, cleaned: &briefpress::clean::Cleaned, dry_run: bool) {
    let verb = if dry_run { "would remove" } else { "removed" };
    if !cli.quiet {
        for p in &cleaned.removed {
            say(&format!("{verb} {}\n", p.display()));
        }
    }
    for k in &cleaned.kept {
        say(&format!("kept {}: {}\n", k.path.display(), k.reason));
    }
}

/// `path` relative to the current folder when it lies inside it.
pub(super) fn shown(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    match cwd
        .ok()
        .and_then(|c| path.strip_prefix(c).ok().map(|p| p.to_owned()))
    {
        Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// The closing line of a build: "150 built, 2 failed, 3 up to date in 1.2 s".
fn summary(built: usize, failed: usize, fresh: usize, seconds: f64) -> String {
    let briefs = |n: usize| if n == 1 { "brief" } else { "briefs" };
    if failed == 0 && fresh == 0 {
        return format!("{built} {} built in {seconds:.1} s", briefs(built));
    }
    let mut parts = vec![format!("{built} built")];
    if failed > 0 {
        parts.push(format!("{failed} failed"));
    }
    if fresh > 0 {
        parts.push(format!("{fresh} up to date"));
    }
    format!("{} in {seconds:.1} s", parts.join(", "))
}

/// Write to standard error, ignoring a closed stream (e.g. piped into `head`):
/// `eprintln!` would panic there. Diagnostics are coloured ([`briefpress::diag::paint`]);
/// `anstream` drops the colours unless standard error is a terminal, and always with
/// `NO_COLOR` set (`CLICOLOR_FORCE=1` keeps them when piped).
pub(super) fn say(s: &str) {
    use std::io::Write;
    let _ = anstream::stderr().write_all(briefpress::diag::paint(s).as_bytes());
}

/// Write to standard output, ignoring a closed stream.
pub(super) fn print_out(s: &str) {
    print_bytes(s.as_bytes());
}

/// Write bytes to standard output, ignoring a closed stream.
pub(super) fn print_bytes(b: &[u8]) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b);
}
