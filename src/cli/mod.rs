//! The command line (part of the binary, not the library): [`args`] declares it with
//! clap, [`run`] parses it and dispatches to the library, [`report`] prints the results.

mod args;
mod progress;
mod report;
mod values;

use clap::{CommandFactory, Parser};

use briefpress::error::{Error, Result, EXIT_OK, EXIT_USAGE};
use briefpress::render::Format;

use args::{Cli, Command, HouseCommand};
use report::{print_bytes, print_out, report_build, report_clean, say, shown};

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
            let path = briefpress::scaffold::new_brief(
                source,
                slug,
                &briefpress::scaffold::year_month(now),
            )?;
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
            let written = briefpress::scaffold::init_house(dir)?;
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
        Some(p) => briefpress::house::load(p)?,
        None => briefpress::house::builtin()?,
    };
    match &cli.command {
        Command::Build {
            editions,
            jobs,
            open,
            set,
            sign_key,
            force,
            prune,
        } => {
            if *open && !editions.format.contains(&Format::Pdf) {
                return Err(Error::Usage(
                    "--open opens the PDF edition, which --format leaves out\n  = hint: add pdf to --format, or drop --open".into(),
                ));
            }
            let sign_key = match sign_key {
                Some(p) => Some(std::sync::Arc::new(briefpress::sign::SigningKey::read(p)?)),
                None => None,
            };
            let req = briefpress::build::Request {
                jobs: jobs.map(usize::from),
                set: set.clone(),
                sign_key,
                force: *force,
                ..editions.request()?
            };
            let started = std::time::Instant::now();
            // A bar only where someone watches it: on a terminal, and not with --quiet
            // or --json.
            let bar = progress::Bar::default();
            let progress: &dyn briefpress::build::Progress = if !cli.quiet
                && !cli.json
                && std::io::IsTerminal::is_terminal(&std::io::stderr())
            {
                &bar
            } else {
                &briefpress::build::NoProgress
            };
            let outcome = briefpress::build::build(&req, &house, progress)?;
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
                briefpress::open::open_pdfs(&pdfs)?;
            }
            if *prune {
                let cleaned = briefpress::clean::clean(&briefpress::clean::Request {
                    sources: editions.sources.clone(),
                    out: editions.out.clone(),
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
            let cleaned = briefpress::clean::clean(&briefpress::clean::Request {
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
        Command::Watch { editions, debounce } => {
            let req = briefpress::watch::Request {
                build: editions.request()?,
                house: cli.house.clone(),
                debounce: std::time::Duration::from_millis(*debounce),
            };
            let mut started = std::time::Instant::now();
            briefpress::watch::watch(&req, |event| match event {
                briefpress::watch::Event::Watching(folders) => {
                    let list: Vec<String> =
                        folders.iter().map(|f| f.display().to_string()).collect();
                    say(&format!(
                        "watching {} for changes (Ctrl-C to stop)\n",
                        list.join(", ")
                    ));
                }
                briefpress::watch::Event::Changed(paths) => {
                    started = std::time::Instant::now();
                    for p in paths {
                        say(&format!("changed: {}\n", shown(p)));
                    }
                }
                briefpress::watch::Event::Round(Ok(round)) => {
                    report_build(cli, &round.outcome, started);
                    match round.report {
                        Some(Ok(report)) if !cli.quiet || !report.ok => say(&report.render()),
                        Some(Err(e)) => say(&format!("{e}\n")),
                        _ => {}
                    }
                }
                briefpress::watch::Event::Round(Err(e)) | briefpress::watch::Event::Trouble(e) => {
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
                Some(k) => Some(briefpress::sign::TrustedKey::parse(k)?),
                None => None,
            };
            let req = briefpress::verify::Request {
                paths: paths.clone(),
                source_dir: source.clone(),
                require_manifest: *require_manifest || trust_key.is_some(),
                trust_key,
            };
            let report = briefpress::verify::check(&req, &house)?;
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
            let public = briefpress::sign::keygen(key)?;
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

impl args::Editions {
    /// The build these arguments ask for (formats in build order, each once), with
    /// `SOURCE_DATE_EPOCH` and otherwise the library's defaults: one job per core, no
    /// overrides or signature, and briefs up to date left alone.
    fn request(&self) -> Result<briefpress::build::Request> {
        let mut formats = self.format.clone();
        formats.sort();
        formats.dedup();
        Ok(briefpress::build::Request {
            sources: self.sources.clone(),
            out: self.out.clone(),
            formats,
            edition: self.edition,
            pdf_standard: self.pdf_standard,
            source_date_epoch: source_date_epoch()?,
            jobs: None,
            set: Vec::new(),
            sign_key: None,
            force: false,
        })
    }
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
