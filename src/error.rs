//! Errors that stop a command, and the exit code each one maps to.
//!
//! Exit codes (documented in the README): 0 ok, 1 input or build error,
//! 2 usage, 3 verification mismatch, 4 internal fault (a bug, not the user's input).

use std::fmt;
use std::path::PathBuf;

use crate::diag::SourceDiagnostics;

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code for bad input, unreadable files, failed builds.
pub const EXIT_BUILD: i32 = 1;
/// Exit code for a bad command line.
pub const EXIT_USAGE: i32 = 2;
/// Exit code when editions do not carry the source's content.
pub const EXIT_MISMATCH: i32 = 3;
/// Exit code for an internal fault: something briefpress itself got wrong.
pub const EXIT_INTERNAL: i32 = 4;

/// Everything that can make a briefpress command fail.
#[derive(Debug)]
pub enum Error {
    /// Located problems in a source or house-style file.
    Source(Box<SourceDiagnostics>),
    /// A file or folder could not be read or written.
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A font file is unusable, or a character has no glyph in any configured font.
    Font { path: PathBuf, message: String },
    /// A renderer could not produce an edition.
    Render {
        slug: String,
        format: &'static str,
        message: String,
        /// Where in the source the problem is, if it is about one place (a title too
        /// long for page 1, a table too wide for its column): the build points the
        /// message at that line.
        at: Option<SourceAt>,
        /// How to fix it, when the message is about the brief rather than the tool.
        hint: Option<String>,
    },
    /// A bad environment variable such as `SOURCE_DATE_EPOCH`.
    Environment { name: &'static str, message: String },
    /// A bad command line that the argument parser could not catch.
    Usage(String),
    /// Something briefpress itself got wrong (a report that cannot be encoded, a
    /// worker that returned nothing): never the user's input, so never exit 1 or 2.
    Internal(String),
    /// An edition file that cannot be read back by the verifier.
    Unreadable { path: PathBuf, message: String },
    /// The output folder (reported once per build) or an output file cannot be written.
    Output {
        /// "the output folder" or "the output file".
        what: &'static str,
        path: PathBuf,
        message: String,
        hint: &'static str,
    },
    /// A release manifest holds a value `check` refuses to act on: a manifest is
    /// untrusted input. Nothing of any file the value names is read or printed.
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// The field, in dotted form (`source.path`).
        field: &'static str,
        message: String,
        hint: &'static str,
    },
    /// A signing or trusted key, or a signature, that cannot be used (see
    /// [`crate::sign`]).
    Key {
        path: PathBuf,
        message: String,
        hint: &'static str,
    },
    /// A slug too long for the names of its output files.
    SlugTooLong {
        source: PathBuf,
        bytes: usize,
        max: usize,
    },
    /// A command that cannot go on, with what to do instead: nothing to build (a
    /// missing or empty source folder), nothing to check, a PDF the viewer cannot open.
    Hinted { message: String, hint: String },
    /// Several briefs failed; each error is reported.
    Many(Vec<Error>),
}

/// The place in a brief's source a renderer's refusal is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceAt {
    /// A front-matter key, by name: its line.
    Key(&'static str),
    /// Bytes of the source as parsed (a block of the body).
    Span(std::ops::Range<usize>),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => EXIT_USAGE,
            Error::Internal(_) => EXIT_INTERNAL,
            Error::Many(errors) => errors.iter().map(Error::exit_code).max().unwrap_or(1),
            _ => EXIT_BUILD,
        }
    }

    /// Fail with every error of `errors` (the one itself when there is one), or
    /// succeed when there are none: how a command that works through several briefs or
    /// editions reports all that went wrong rather than the first.
    pub fn all(mut errors: Vec<Error>) -> Result<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::Many(errors)),
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Source(d) => write!(f, "{}", d.render().trim_end()),
            Error::Io {
                action,
                path,
                source,
            } => write!(
                f,
                "error: cannot {action} {}: {source}\n  = hint: check that the path exists and is accessible",
                path.display()
            ),
            Error::Font { path, message } => {
                write!(f, "error: font {}: {message}", path.display())
            }
            Error::Render {
                slug,
                format,
                message,
                hint,
                ..
            } => {
                write!(f, "error: cannot render the {format} edition of {slug}: {message}")?;
                match hint {
                    Some(hint) => write!(f, "\n  = hint: {hint}"),
                    None => Ok(()),
                }
            }
            Error::Environment { name, message } => write!(f, "error: {name}: {message}"),
            Error::Usage(m) => write!(f, "error: {m}"),
            Error::Internal(m) => write!(
                f,
                "error: internal fault: {m}\n  = hint: this is a bug in briefpress; please report it with the command that caused it"
            ),
            Error::Unreadable { path, message } => {
                write!(f, "error: cannot read {}: {message}", path.display())
            }
            Error::Output {
                what,
                path,
                message,
                hint,
            } => write!(
                f,
                "error: cannot write to {what} {}: {message}\n  = hint: {hint}",
                path.display()
            ),
            Error::Manifest {
                path,
                field,
                message,
                hint,
            } => write!(
                f,
                "error: manifest {}: field `{field}`: {message}\n  = hint: {hint}",
                path.display()
            ),
            Error::Key {
                path,
                message,
                hint,
            } => write!(
                f,
                "error: key {}: {message}\n  = hint: {hint}",
                path.display()
            ),
            Error::SlugTooLong { source, bytes, max } => write!(
                f,
                "error: the slug of {} is {bytes} bytes long; its output files (<slug>.manifest.json) need a slug of at most {max} bytes\n  = hint: rename the source to a shorter file name",
                source.display()
            ),
            Error::Hinted { message, hint } => {
                write!(f, "error: {message}\n  = hint: {hint}")
            }
            Error::Many(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
