//! The command line (part of the binary, not the library): [`args`] declares it with
//! clap, [`run`] parses it and [`commands`] runs each subcommand through the library,
//! [`report`] prints the results, [`progress`] draws the build's bar on a terminal.

mod args;
mod commands;
mod progress;
mod report;
mod values;

use clap::Parser;

use briefpress::error::{Result, EXIT_OK, EXIT_USAGE};

use args::{Cli, Command, HouseCommand};
use report::{print_out, say};

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

/// Run the command `cli` names (see [`commands`]); returns its exit code.
fn dispatch(cli: &Cli) -> Result<i32> {
    // Commands that need no house style.
    match &cli.command {
        Command::New { slug, source } => return commands::new_brief(cli, slug, source),
        Command::House(HouseCommand::Init { dir }) => return commands::init_house(cli, dir),
        Command::Completions { shell } => return Ok(commands::completions(*shell)),
        Command::Man { out } => return commands::man(cli, out.as_deref()),
        Command::Build(_)
        | Command::Clean { .. }
        | Command::Watch { .. }
        | Command::Check { .. }
        | Command::Keygen { .. } => {}
    }
    let load = || match &cli.house {
        Some(p) => briefpress::house::load(p),
        None => briefpress::house::builtin(),
    };
    // A build runs on rayon's global pool (see `build::build`), with this thread as
    // one of its threads (`use_current_thread`): the first brief starts here at once,
    // and `build --check` goes on to its check here too, instead of handing each over
    // to a pool thread and waiting for it. On this 2-core machine a sleeping thread
    // can take milliseconds to wake; the seed's `build --check` over 150 interleaved
    // rounds went from a median of 11.42 to 10.60 ms (a separate pool, started while
    // the house style loaded, against this). The pool starts after the house style
    // loads, so its other thread comes up shortly before the first brief has work
    // for it (started first, it had gone to sleep by then: 10.75 ms). Only for a
    // build, which ends when its briefs are done: a job queued on this thread runs
    // only while it waits on the pool, and `watch` waits on the file system instead.
    let house = match &cli.command {
        Command::Build(args) if args.jobs.is_none() => {
            let house = load()?;
            // An error means the global pool exists already (a library caller's):
            // the build then runs on it as before.
            let _ = rayon::ThreadPoolBuilder::new()
                .use_current_thread()
                .build_global();
            house
        }
        _ => load()?,
    };
    match &cli.command {
        Command::Build(args) => commands::build(cli, &house, args),
        Command::Clean {
            sources,
            out,
            dry_run,
        } => commands::clean(cli, sources, out, *dry_run),
        Command::Watch { editions, debounce } => commands::watch(cli, editions, *debounce),
        Command::Check {
            paths,
            source,
            require_manifest,
            trust_key,
        } => commands::check(
            cli,
            &house,
            paths.clone(),
            source.as_deref(),
            *require_manifest,
            trust_key.as_deref(),
        ),
        Command::Keygen { key } => commands::keygen(cli, key),
        // Handled above, before the house style is loaded.
        Command::New { .. }
        | Command::House(_)
        | Command::Completions { .. }
        | Command::Man { .. } => Ok(EXIT_OK),
    }
}
