//! The command line's grammar: the arguments and subcommands, declared with clap's
//! derives. `--help`, the completions and the man page are made from these declarations.

use std::path::PathBuf;

use clap::{Arg, Args, Parser, Subcommand};

use briefpress::render::{Edition, Format, PdfStandard};

use super::values;

/// briefpress: one Markdown brief in, a print-ready PDF, an EPUB 3 and a plain-text
/// archive copy out, and proof that all three carry the same words.
#[derive(Debug, Parser)]
#[command(name = "briefpress", version, about, long_about = None)]
pub(super) struct Cli {
    /// House style file (default: the built-in NATO Foundation style).
    #[arg(long, global = true, value_name = "PATH")]
    pub(super) house: Option<PathBuf>,
    /// Print a machine-readable JSON report on standard output.
    #[arg(long, global = true)]
    pub(super) json: bool,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub(super) quiet: bool,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Build briefs into editions.
    Build(BuildArgs),
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
    #[command(mut_args(watch_help))]
    Watch {
        #[command(flatten)]
        editions: Editions,
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

/// What `build` takes besides the global options.
#[derive(Debug, Args)]
pub(super) struct BuildArgs {
    #[command(flatten)]
    pub(super) editions: Editions,
    /// Briefs built in parallel (default: one per core).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(super) jobs: Option<u16>,
    /// Open the built PDF in the system's viewer (xdg-open, or open on macOS).
    #[arg(long)]
    pub(super) open: bool,
    /// Override a front-matter value for this build only (title, subtitle, region,
    /// date, lang, id); repeatable. The manifest records it.
    #[arg(long, value_name = "KEY=VALUE")]
    pub(super) set: Vec<briefpress::overrides::Set>,
    /// Sign each release manifest with this minisign secret key
    /// (`<slug>.manifest.json.minisig`); a password-protected key takes its password
    /// from BRIEFPRESS_KEY_PASSWORD.
    #[arg(long, value_name = "KEY")]
    pub(super) sign_key: Option<PathBuf>,
    /// Build every brief, also those whose editions are up to date.
    #[arg(long)]
    pub(super) force: bool,
    /// Afterwards, remove the editions and manifests of briefs whose source is gone
    /// (as `briefpress clean` does).
    #[arg(long)]
    pub(super) prune: bool,
    /// Then verify the editions of every brief built or up to date as `briefpress
    /// check` does, reading the files just written back from disk; the exit code is
    /// the higher of the build's and the check's.
    #[arg(long)]
    pub(super) check: bool,
}

/// What `build` and `watch` both take: the sources, the output folder and the editions
/// to make of each brief.
#[derive(Debug, Args)]
pub(super) struct Editions {
    /// Source files or folders of sources.
    #[arg(default_value = "source")]
    pub(super) sources: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "dist")]
    pub(super) out: PathBuf,
    /// Editions to build, comma-separated.
    #[arg(long, value_delimiter = ',', default_values = ["pdf", "epub", "txt"], value_parser = values::formats())]
    pub(super) format: Vec<Format>,
    /// PDF edition.
    #[arg(long, value_parser = values::editions(), default_value_t = Edition::Screen)]
    pub(super) edition: Edition,
    /// PDF/A level of the PDF edition (a-3b attaches the source and the text edition).
    #[arg(long, value_parser = values::pdf_standards(), default_value_t = PdfStandard::A2b)]
    pub(super) pdf_standard: PdfStandard,
}

/// `watch --help` gives `--pdf-standard` the shorter line it has always had (without
/// what a-3b attaches). `mut_args` changes the argument where it stands: `mut_arg` would
/// move it last, and the completions list arguments in that order.
fn watch_help(arg: Arg) -> Arg {
    if arg.get_id() == "pdf_standard" {
        arg.help("PDF/A level of the PDF edition")
    } else {
        arg
    }
}

#[derive(Debug, Subcommand)]
pub(super) enum HouseCommand {
    /// Write an editable copy of the built-in house style (house.toml, fonts/, logo.png)
    /// into DIR.
    Init {
        /// Folder for the copy (created if missing; existing files are never replaced).
        dir: PathBuf,
    },
}
