//! The progress bar of `briefpress build` on a terminal: indicatif, fed by the library's
//! [`Progress`] reports.

use std::path::Path;
use std::sync::OnceLock;

use briefpress::build::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// A bar drawn on standard error once a build of more than one brief starts; each
/// brief done moves it on and shows the brief's source.
#[derive(Default)]
pub(super) struct Bar(OnceLock<ProgressBar>);

impl Progress for Bar {
    fn start(&self, briefs: usize) {
        // A single brief is done before a bar would say anything.
        if briefs > 1 {
            let bar = ProgressBar::new(briefs as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            let _ = self.0.set(bar);
        }
    }

    fn brief_done(&self, source: &Path) {
        if let Some(bar) = self.0.get() {
            bar.set_message(source.display().to_string());
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}
