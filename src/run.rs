//! The command line: argument parsing with clap and dispatch to the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::{Error, Result, EXIT_OK, EXIT_USAGE};
use crate::render::{Edition, Format, PdfStandard};

/// briefpress: one Markdown brief in, a print-ready PDF, an EPUB 3 and a plain-text
/// archive copy out, and proof that all three carry the same words.
#[derive(Debug, Parser)]
#[command(name = "briefpress", version, about, long_about = None)]
struct Cli {
    /// House style file (default: the built-in NATO Foundation style).
    #[arg(long, global = true, value_name = "PATH")]
    house: Option<PathBuf>,
    /// Print a machine-readable JSON report on standard output.
    #[arg(long, global = true)]
    json: bool,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build briefs into editions.
    Build {
        /// Source files or folders of sources.
        #[arg(default_value = "source")]
        sources: Vec<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Editions to build, comma-separated.
        #[arg(long, value_delimiter = ',', default_values = ["pdf", "epub", "txt"])]
        format: Vec<Format>,
        /// PDF edition.
        #[arg(long, value_enum, default_value_t = Edition::Screen)]
        edition: Edition,
        /// PDF/A level of the PDF edition (a-3b attaches the source and the text edition).
        #[arg(long, value_enum, default_value_t = PdfStandard::A2b)]
        pdf_standard: PdfStandard,
        /// Briefs built in parallel (default: one per core).
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Build every brief, also those whose editions are up to date.
        #[arg(long)]
        force: bool,
        /// Afterwards, remove the editions and manifests of briefs whose source is gone
        /// (as `briefpress clean` does).
        #[arg(long)]
        prune: bool,
    },
    /// Remove the editions and manifests of briefs whose source is gone (renamed or
    /// deleted); files a manifest does not name, or that changed since their build,
    /// are left alone.
    Clean {
        /// Source files or folders: the briefs that still exist.
        #[arg(default_value = "source")]
        sources: Vec<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Say what would be removed, and remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Build and check, then again each time a source or the house style is saved
    /// (until interrupted).
    Watch {
        /// Source files or folders of sources.
        #[arg(default_value = "source")]
        sources: Vec<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Editions to build, comma-separated.
        #[arg(long, value_delimiter = ',', default_values = ["pdf", "epub", "txt"])]
        format: Vec<Format>,
        /// PDF edition.
        #[arg(long, value_enum, default_value_t = Edition::Screen)]
        edition: Edition,
        /// PDF/A level of the PDF edition.
        #[arg(long, value_enum, default_value_t = PdfStandard::A2b)]
        pdf_standard: PdfStandard,
        /// Milliseconds the files must be quiet before a rebuild.
        #[arg(long, value_name = "MS", default_value_t = 100)]
        debounce: u64,
    },
    /// Verify that the editions carry their sources' content.
    Check {
        /// Dist folders or edition files.
        #[arg(default_value = "dist")]
        paths: Vec<PathBuf>,
        /// Folder holding the sources (`<slug>.md`); default: the source each
        /// manifest names, else `source/`.
        #[arg(long, value_name = "DIR")]
        source: Option<PathBuf>,
        /// Fail (exit 3) for a brief that has no release manifest beside its editions,
        /// as CI should: without one only the content is checked.
        #[arg(long)]
        require_manifest: bool,
    },
}

/// Run the command line `args`; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match dispatch(&cli) {
        Ok(code) => code,
        Err(e) => {
            say(&format!("{e}\n"));
            if cli.json {
                let v = serde_json::json!({ "ok": false, "error": e.to_string(), "exit": e.exit_code() });
                print_out(&format!("{v}\n"));
            }
            e.exit_code()
        }
    }
}

fn dispatch(cli: &Cli) -> Result<i32> {
    let house = match &cli.house {
        Some(p) => crate::house::load(p)?,
        None => crate::house::builtin()?,
    };
    match &cli.command {
        Command::Build {
            sources,
            out,
            format,
            edition,
            pdf_standard,
            jobs,
            force,
            prune,
        } => {
            let mut formats = format.clone();
            formats.sort();
            formats.dedup();
            let req = crate::build::Request {
                sources: sources.clone(),
                out: out.clone(),
                formats,
                edition: *edition,
                pdf_standard: *pdf_standard,
                source_date_epoch: source_date_epoch()?,
                jobs: jobs.map(usize::from),
                progress: !cli.quiet
                    && !cli.json
                    && std::io::IsTerminal::is_terminal(&std::io::stderr()),
                force: *force,
            };
            let started = std::time::Instant::now();
            let outcome = crate::build::build(&req, &house)?;
            let code = report_build(cli, &outcome, started);
            if *prune {
                let cleaned = crate::clean::clean(&crate::clean::Request {
                    sources: sources.clone(),
                    out: out.clone(),
                    dry_run: false,
                })?;
                if !cli.json {
                    report_clean(cli, &cleaned, false);
                }
            }
            Ok(code)
        }
        Command::Clean {
            sources,
            out,
            dry_run,
        } => {
            let cleaned = crate::clean::clean(&crate::clean::Request {
                sources: sources.clone(),
                out: out.clone(),
                dry_run: *dry_run,
            })?;
            if cli.json {
                let v = serde_json::json!({
                    "ok": true,
                    "dry_run": dry_run,
                    "removed": cleaned.removed,
                    "kept": cleaned.kept,
                });
                print_out(&format!("{v}\n"));
            } else {
                report_clean(cli, &cleaned, *dry_run);
            }
            Ok(EXIT_OK)
        }
        Command::Watch {
            sources,
            out,
            format,
            edition,
            pdf_standard,
            debounce,
        } => {
            let mut formats = format.clone();
            formats.sort();
            formats.dedup();
            let req = crate::watch::Request {
                build: crate::build::Request {
                    sources: sources.clone(),
                    out: out.clone(),
                    formats,
                    edition: *edition,
                    pdf_standard: *pdf_standard,
                    source_date_epoch: source_date_epoch()?,
                    jobs: None,
                    progress: false,
                    force: false,
                },
                house: cli.house.clone(),
                debounce: std::time::Duration::from_millis(*debounce),
            };
            let mut started = std::time::Instant::now();
            crate::watch::watch(&req, |event| match event {
                crate::watch::Event::Watching(folders) => {
                    let list: Vec<String> =
                        folders.iter().map(|f| f.display().to_string()).collect();
                    say(&format!(
                        "watching {} for changes (Ctrl-C to stop)\n",
                        list.join(", ")
                    ));
                }
                crate::watch::Event::Changed(paths) => {
                    started = std::time::Instant::now();
                    for p in paths {
                        say(&format!("changed: {}\n", shown(p)));
                    }
                }
                crate::watch::Event::Round(Ok(round)) => {
                    report_build(cli, &round.outcome, started);
                    match round.report {
                        Some(Ok(report)) if !cli.quiet || !report.ok => say(&report.render()),
                        Some(Err(e)) => say(&format!("{e}\n")),
                        _ => {}
                    }
                }
                crate::watch::Event::Round(Err(e)) | crate::watch::Event::Trouble(e) => {
                    say(&format!("{e}\n"));
                }
            })?;
            Ok(EXIT_OK)
        }
        Command::Check {
            paths,
            source,
            require_manifest,
        } => {
            let req = crate::verify::Request {
                paths: paths.clone(),
                source_dir: source.clone(),
                require_manifest: *require_manifest,
            };
            let report = crate::verify::check(&req, &house)?;
            if cli.json {
                let encode =
                    |e: serde_json::Error| Error::Usage(format!("cannot encode the report: {e}"));
                let mut v = serde_json::to_value(&report).map_err(encode)?;
                // The exit code, as `build --json` and every early error give it.
                v["exit"] = serde_json::json!(report.exit_code());
                let v = serde_json::to_string_pretty(&v).map_err(encode)?;
                print_out(&format!("{v}\n"));
            } else if !cli.quiet || !report.ok {
                say(&report.render());
            }
            Ok(report.exit_code())
        }
    }
}

/// Print what a build gave (text on standard error, or the `--json` document on
/// standard output); returns the exit code.
fn report_build(cli: &Cli, outcome: &crate::build::Outcome, started: std::time::Instant) -> i32 {
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
                    "errors": crate::build::error_json(&f.error, &f.source),
                })
            })
            .collect();
        let v = serde_json::json!({
            "ok": outcome.failed.is_empty(),
            "built": outcome.built,
            "up_to_date": outcome.fresh,
            "failed": failed,
            "summary": summary,
        });
        print_out(&format!("{v}\n"));
    } else {
        if !cli.quiet {
            for b in &outcome.built {
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
    }
    outcome
        .failed
        .iter()
        .map(|f| f.error.exit_code())
        .max()
        .unwrap_or(EXIT_OK)
}

/// Print what a clean removed and kept.
fn report_clean(cli: &Cli, cleaned: &crate::clean::Cleaned, dry_run: bool) {
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
fn shown(path: &std::path::Path) -> String {
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
/// `eprintln!` would panic there.
fn say(s: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(s.as_bytes());
}

/// Write to standard output, ignoring a closed stream.
fn print_out(s: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(s.as_bytes());
}

/// `SOURCE_DATE_EPOCH` if set: a non-negative integer of seconds.
fn source_date_epoch() -> Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Environment {
            name: "SOURCE_DATE_EPOCH",
            message: "not valid text; set it to seconds since 1970-01-01 UTC".into(),
        }),
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => match v.trim().parse::<i64>() {
            Ok(n) if (0..=253_402_300_799).contains(&n) => Ok(Some(n)),
            _ => Err(Error::Environment {
                name: "SOURCE_DATE_EPOCH",
                message: format!(
                    "{v:?} is not a number of seconds since 1970-01-01 UTC (e.g. 1477958400)"
                ),
            }),
        },
    }
}
