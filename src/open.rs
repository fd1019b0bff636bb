//! `build --open`: hand the built PDF to the system's viewer.
//!
//! The viewer is whatever the desktop uses for PDFs: `open` on macOS, `xdg-open`
//! elsewhere on Unix, `cmd /c start` on Windows; `BRIEFPRESS_OPENER` names another
//! program. It is looked up on `PATH`, so tests put a fake opener there.

use std::path::Path;

use crate::error::{Error, Result};

/// The most PDFs one `--open` opens: a folder build of a hundred briefs should not
/// start a hundred viewers.
pub const MAX_OPENED: usize = 1;

/// The program (and its leading arguments) that opens a file with the desktop's viewer.
fn opener() -> Vec<String> {
    if let Some(o) = std::env::var_os("BRIEFPRESS_OPENER").filter(|o| !o.is_empty()) {
        return vec![o.to_string_lossy().into_owned()];
    }
    if cfg!(target_os = "macos") {
        vec!["open".into()]
    } else if cfg!(windows) {
        vec!["cmd".into(), "/c".into(), "start".into(), String::new()]
    } else {
        vec!["xdg-open".into()]
    }
}

/// Open the built PDF. More than [`MAX_OPENED`] is a usage error naming the way to
/// choose one; nothing built is not an error (nothing to open).
pub fn open_pdfs(pdfs: &[&Path]) -> Result<()> {
    if pdfs.len() > MAX_OPENED {
        return Err(Error::Usage(format!(
            "--open opens one brief's PDF, and this build made {}\n  = hint: name the brief to open: briefpress build --open source/<slug>.md",
            pdfs.len()
        )));
    }
    for pdf in pdfs {
        open_one(pdf)?;
    }
    Ok(())
}

fn open_one(pdf: &Path) -> Result<()> {
    let argv = opener();
    let Some((program, lead)) = argv.split_first() else {
        return Ok(());
    };
    let status = std::process::Command::new(program)
        .args(lead)
        .arg(pdf)
        .stdin(std::process::Stdio::null())
        .status();
    let problem = match status {
        Ok(s) if s.success() => return Ok(()),
        Ok(s) => format!("{program} ended with {s}"),
        Err(e) => format!("cannot run {program}: {e}"),
    };
    Err(Error::Hinted {
        message: format!(
            "{} was built but could not be opened: {problem}",
            pdf.display()
        ),
        hint: format!(
            "open {} yourself, or set BRIEFPRESS_OPENER to your PDF viewer",
            pdf.display()
        ),
    })
}
