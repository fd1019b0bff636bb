//! The command line: argument parsing with clap and dispatch to the library.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

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
        /// Open the built PDF in the system's viewer (xdg-open, or open on macOS).
        #[arg(long)]
        open: bool,
        /// Override a front-matter value for this build only (title, subtitle, region,
        /// date, lang, id); repeatable. The manifest records it.
        #[arg(long, value_name = "KEY=VALUE")]
        set: Vec<crate::overrides::Set>,
        /// Sign each release manifest with this minisign secret key
        /// (`<slug>.manifest.json.minisig`); a password-protected key takes its password
        /// from BRIEFPRESS_KEY_PASSWORD.
        #[arg(long, value_name = "KEY")]
        sign_key: Option<PathBuf>,
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
        /// Accept only manifests signed by this minisign public key (a `.pub` file or
        /// the key itself); implies --require-manifest.
        #[arg(long, value_name = "PUBKEY")]
        trust_key: Option<String>,
    },
    /// Make a key pair for signing release manifests: KEY (secret) and KEY.pub.
    /// The secret key is protected by BRIEFPRESS_KEY_PASSWORD when it is set.
    Keygen {
        /// Where to write the secret key; the public key goes beside it as KEY.pub.
        #[arg(value_name = "KEY")]
        key: PathBuf,
    },
    /// Start a new brief: write a starter source/SLUG.md to edit.
    New {
        /// The brief's name: lower-case letters, digits and hyphens (e.g. 2024-05-energy).
        slug: String,
        /// Folder the source goes in.
        #[arg(long, default_value = "source", value_name = "DIR")]
        source: PathBuf,
    },
    /// Work with house styles.
    #[command(subcommand)]
    House(HouseCommand),
    /// Print a shell completion script on standard output.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on standard output, or write one page per command.
    Man {
        /// Write briefpress.1 and a page per subcommand (briefpress-build.1, …) into DIR.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum HouseCommand {
    /// Write an editable copy of the built-in house style (house.toml, fonts/, logo.png)
    /// into DIR.
    Init {
        /// Folder for the copy (created if missing; existing files are never replaced).
        dir: PathBuf,
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
    // Commands that need no house style.
    match &cli.command {
        Command::New { slug, source } => {
            let now = match source_date_epoch()? {
                Some(s) => s,
                None => std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0)),
            };
            let path = crate::scaffold::new_brief(source, slug, &crate::scaffold::year_month(now))?;
            if cli.json {
                print_out(&format!(
                    "{}\n",
                    serde_json::json!({ "ok": true, "wrote": path })
                ));
            } else if !cli.quiet {
                say(&format!(
                    "wrote {}\n  edit it, then: briefpress build {} && briefpress check\n",
                    path.display(),
                    path.display()
                ));
            }
            return Ok(EXIT_OK);
        }
        Command::House(HouseCommand::Init { dir }) => {
            let written = crate::scaffold::init_house(dir)?;
            if cli.json {
                print_out(&format!(
                    "{}\n",
                    serde_json::json!({ "ok": true, "wrote": written })
                ));
            } else if !cli.quiet {
                for p in &written {
                    say(&format!("wrote {}\n", p.display()));
                }
                say(&format!(
                    "edit {}, then build with --house {}\n",
                    dir.join("house.toml").display(),
                    dir.join("house.toml").display()
                ));
            }
            return Ok(EXIT_OK);
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "briefpress", &mut out);
            print_bytes(&out);
            return Ok(EXIT_OK);
        }
        Command::Man { out: None } => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| Error::Usage(format!("cannot write the manual page: {e}")))?;
            print_bytes(&out);
            return Ok(EXIT_OK);
        }
        Command::Man { out: Some(dir) } => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
            clap_mangen::generate_to(Cli::command(), dir)
                .map_err(|e| Error::io("write manual pages in", dir, e))?;
            if !cli.quiet && !cli.json {
                say(&format!("wrote the manual pages into {}\n", dir.display()));
            }
            return Ok(EXIT_OK);
        }
        Command::Build { .. }
        | Command::Clean { .. }
        | Command::Watch { .. }
        | Command::Check { .. }
        | Command::Keygen { .. } => {}
    }
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
            open,
            set,
            sign_key,
            force,
            prune,
        } => {
            if *open && !format.contains(&Format::Pdf) {
                return Err(Error::Usage(
                    "--open opens the PDF edition, which --format leaves out\n  = hint: add pdf to --format, or drop --open".into(),
                ));
            }
            let sign_key = match sign_key {
                Some(p) => Some(std::sync::Arc::new(crate::sign::SigningKey::read(p)?)),
                None => None,
            };
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
                set: set.clone(),
                progress: !cli.quiet
                    && !cli.json
                    && std::io::IsTerminal::is_terminal(&std::io::stderr()),
                sign_key,
                force: *force,
            };
            let started = std::time::Instant::now();
            let outcome = crate::build::build(&req, &house)?;
            let code = report_build(cli, &outcome, started);
            if *open && code == EXIT_OK {
                // Up-to-date briefs too: the author asked to see the PDF, built now or not.
                let pdfs: Vec<&std::path::Path> = outcome
                    .built
                    .iter()
                    .chain(&outcome.fresh)
                    .flat_map(|b| &b.outputs)
                    .filter(|o| o.format == Format::Pdf)
                    .map(|o| o.path.as_path())
                    .collect();
                crate::open::open_pdfs(&pdfs)?;
            }
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
                    set: Vec::new(),
                    sign_key: None,
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
            trust_key,
        } => {
            let trust_key = match trust_key {
                Some(k) => Some(crate::sign::TrustedKey::parse(k)?),
                None => None,
            };
            let req = crate::verify::Request {
                paths: paths.clone(),
                source_dir: source.clone(),
                require_manifest: *require_manifest || trust_key.is_some(),
                trust_key,
            };
            let report = crate::verify::check(&req, &house)?;
            if cli.json {
                let encode = |e: serde_json::Error| {
                    Error::Internal(format!("cannot encode the report: {e}"))
                };
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
        Command::Keygen { key } => {
            let public = crate::sign::keygen(key)?;
            if cli.json {
                let v = serde_json::json!({ "ok": true, "secret_key": key, "public_key": public });
                print_out(&format!("{v}\n"));
            } else if !cli.quiet {
                say(&format!(
                    "wrote {} (secret: keep it out of the repository) and {} (public)\n",
                    key.display(),
                    public.display()
                ));
            }
            Ok(EXIT_OK)
        }
        // Handled above, before the house style is loaded.
        Command::New { .. }
        | Command::House(_)
        | Command::Completions { .. }
        | Command::Man { .. } => Ok(EXIT_OK),
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
/// `eprintln!` would panic there. Diagnostics are coloured ([`crate::diag::paint`]);
/// `anstream` drops the colours unless standard error is a terminal, and always with
/// `NO_COLOR` set (`CLICOLOR_FORCE=1` keeps them when piped).
fn say(s: &str) {
    use std::io::Write;
    let _ = anstream::stderr().write_all(crate::diag::paint(s).as_bytes());
}

/// Write to standard output, ignoring a closed stream.
fn print_out(s: &str) {
    print_bytes(s.as_bytes());
}

/// Write bytes to standard output, ignoring a closed stream.
fn print_bytes(b: &[u8]) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b);
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
