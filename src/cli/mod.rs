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
    // A build runs on rayon's global pool (see `build::build`), whose threads take most
    // of a millisecond to come up on a small machine: started here, they come up while
    // the house style loads (thread-stamped ticks of the seed's build: the first brief
    // began 0.35-0.7 ms after the sources were listed when the pool started later).
    // Starting them is itself work for the thread that asks (0.27 ms for two), so a
    // helper asks while this thread loads the house style (0.4 ms for the built-in
    // one): the first brief then begins 0.2 ms sooner.
    let house = match &cli.command {
        Command::Build(args) if args.jobs.is_none() => std::thread::scope(|s| {
            let pool = s.spawn(rayon::current_num_threads);
            let house = load();
            let _ = pool.join();
            house
        })?,
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
