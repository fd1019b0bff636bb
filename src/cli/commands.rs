//! One function per subcommand: each turns its arguments into the library's request,
//! calls the library and prints what came back (see [`super::report`]); each returns
//! the exit code.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use briefpress::error::{Error, Result, EXIT_OK};
use briefpress::house::House;
use briefpress::render::Format;

use super::args::{BuildArgs, Cli, Editions};
use super::progress;
use super::report::{check_json, print_bytes, print_out, report_build, report_clean, say, shown};

/// `briefpress new SLUG`: a starter source dated this month (`SOURCE_DATE_EPOCH`'s).
pub(super) fn new_brief(cli: &Cli, slug: &str, source: &Path) -> Result<i32> {
    let now = match source_date_epoch()? {
        Some(s) => s,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0)),
    };
    let path =
        briefpress::scaffold::new_brief(source, slug, &briefpress::scaffold::year_month(now))?;
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
    Ok(EXIT_OK)
}

/// `briefpress house init DIR`: an editable copy of the built-in house style.
pub(super) fn init_house(cli: &Cli, dir: &Path) -> Result<i32> {
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
    Ok(EXIT_OK)
}

/// `briefpress completions SHELL`: the completion script on standard output.
pub(super) fn completions(shell: clap_complete::Shell) -> i32 {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "briefpress", &mut out);
    print_bytes(&out);
    EXIT_OK
}

/// `briefpress man`: the manual page on standard output, or with `--out DIR` a page
/// per command written into `DIR`.
pub(super) fn man(cli: &Cli, out: Option<&Path>) -> Result<i32> {
    match out {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| Error::Usage(format!("cannot write the manual page: {e}")))?;
            print_bytes(&out);
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
            clap_mangen::generate_to(Cli::command(), dir)
                .map_err(|e| Error::io("write manual pages in", dir, e))?;
            if !cli.quiet && !cli.json {
                say(&format!("wrote the manual pages into {}\n", dir.display()));
            }
        }
    }
    Ok(EXIT_OK)
}

/// `briefpress build`: build, report, then open the PDFs (`--open`) and prune
/// (`--prune`).
pub(super) fn build(cli: &Cli, house: &House, args: &BuildArgs) -> Result<i32> {
    if args.open && !args.editions.format.contains(&Format::Pdf) {
        return Err(Error::Usage(
            "--open opens the PDF edition, which --format leaves out\n  = hint: add pdf to --format, or drop --open".into(),
        ));
    }
    let sign_key = match &args.sign_key {
        Some(p) => Some(std::sync::Arc::new(briefpress::sign::SigningKey::read(p)?)),
        None => None,
    };
    let req = briefpress::build::Request {
        jobs: args.jobs.map(usize::from),
        set: args.set.clone(),
        sign_key,
        force: args.force,
        ..args.editions.request()?
    };
    let started = std::time::Instant::now();
    // A bar only where someone watches it: on a terminal, and not with --quiet or --json.
    let bar = progress::Bar::default();
    let progress: &dyn briefpress::build::Progress =
        if !cli.quiet && !cli.json && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            &bar
        } else {
            &briefpress::build::NoProgress
        };
    let ahead = progress::CheckAhead::new(progress, house, &req.set);
    let progress: &dyn briefpress::build::Progress = if args.check { &ahead } else { progress };
    let outcome = briefpress::build::build(&req, house, progress)?;
    // `--check`: the editions of every brief built or up to date (a failed brief does
    // not stop the others being checked), read back from disk by the same verifier as
    // `briefpress check`, in this process (which saves a second start-up: see
    // docs/speed.md).
    let paths: Vec<PathBuf> = outcome
        .built
        .iter()
        .chain(&outcome.fresh)
        .flat_map(|b| b.outputs.iter().map(|o| o.path.clone()))
        .collect();
    let checked = if args.check && !paths.is_empty() {
        let check = briefpress::verify::Request {
            paths,
            source_dir: None,
            require_manifest: false,
            trust_key: None,
            // Editions of briefs in subfolders of the sources are as many levels down.
            out_root: Some(req.out.clone()),
        };
        Some(briefpress::verify::check_with(
            &check,
            house,
            &ahead.into_ahead(),
        )?)
    } else {
        None
    };
    let code = report_build(cli, &outcome, started, checked.as_ref())?;
    if args.open && code == EXIT_OK {
        // Up-to-date briefs too: the author asked to see the PDF, built now or not.
        let pdfs: Vec<&Path> = outcome
            .built
            .iter()
            .chain(&outcome.fresh)
            .flat_map(|b| &b.outputs)
            .filter(|o| o.format == Format::Pdf)
            .map(|o| o.path.as_path())
            .collect();
        briefpress::open::open_pdfs(&pdfs)?;
    }
    if args.prune {
        let cleaned = briefpress::clean::clean(&briefpress::clean::Request {
            sources: args.editions.sources.clone(),
            out: args.editions.out.clone(),
            dry_run: false,
        })?;
        if !cli.json {
            report_clean(cli, &cleaned, false);
        }
    }
    Ok(code)
}

/// `briefpress clean`: remove (or with `dry_run` name) the editions of briefs whose
/// source is gone.
pub(super) fn clean(cli: &Cli, sources: &[PathBuf], out: &Path, dry_run: bool) -> Result<i32> {
    let cleaned = briefpress::clean::clean(&briefpress::clean::Request {
        sources: sources.to_vec(),
        out: out.to_owned(),
        dry_run,
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
        report_clean(cli, &cleaned, dry_run);
    }
    Ok(EXIT_OK)
}

/// `briefpress watch`: build and check each time the files have been quiet for
/// `debounce_ms`, reporting each round, until interrupted.
pub(super) fn watch(cli: &Cli, editions: &Editions, debounce_ms: u64) -> Result<i32> {
    use briefpress::watch::Event;
    let req = briefpress::watch::Request {
        build: editions.request()?,
        house: cli.house.clone(),
        debounce: std::time::Duration::from_millis(debounce_ms),
    };
    let mut started = std::time::Instant::now();
    briefpress::watch::watch(&req, |event| match event {
        Event::Watching(folders) => {
            let list: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
            say(&format!(
                "watching {} for changes (Ctrl-C to stop)\n",
                list.join(", ")
            ));
        }
        Event::Changed(paths) => {
            started = std::time::Instant::now();
            for p in paths {
                say(&format!("changed: {}\n", shown(p)));
            }
        }
        Event::Round(Ok(round)) => {
            // The round's check is reported below, as it came.
            if let Err(e) = report_build(cli, &round.outcome, started, None) {
                say(&format!("{e}\n"));
            }
            match round.report {
                Some(Ok(report)) if !cli.quiet || !report.ok => say(&report.render()),
                Some(Err(e)) => say(&format!("{e}\n")),
                _ => {}
            }
        }
        Event::Round(Err(e)) | Event::Trouble(e) => {
            say(&format!("{e}\n"));
        }
    })?;
    Ok(EXIT_OK)
}

/// `briefpress check`: verify the editions in `paths`; the exit code is the report's.
pub(super) fn check(
    cli: &Cli,
    house: &House,
    paths: Vec<PathBuf>,
    source: Option<&Path>,
    require_manifest: bool,
    trust_key: Option<&str>,
) -> Result<i32> {
    let report = verify(paths, source, require_manifest, trust_key, house)?;
    if cli.json {
        let v = serde_json::to_string_pretty(&check_json(&report)?)
            .map_err(|e| Error::Internal(format!("cannot encode the report: {e}")))?;
        print_out(&format!("{v}\n"));
    } else if !cli.quiet || !report.ok {
        say(&report.render());
    }
    Ok(report.exit_code())
}

/// Check the editions in `paths`.
fn verify(
    paths: Vec<PathBuf>,
    source: Option<&Path>,
    require_manifest: bool,
    trust_key: Option<&str>,
    house: &House,
) -> Result<briefpress::verify::Report> {
    let trust_key = match trust_key {
        Some(k) => Some(briefpress::sign::TrustedKey::parse(k)?),
        None => None,
    };
    let req = briefpress::verify::Request {
        paths,
        source_dir: source.map(Path::to_owned),
        require_manifest: require_manifest || trust_key.is_some(),
        trust_key,
        out_root: None,
    };
    briefpress::verify::check(&req, house)
}

/// `briefpress keygen KEY`: a key pair for signing manifests.
pub(super) fn keygen(cli: &Cli, key: &Path) -> Result<i32> {
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

impl Editions {
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
