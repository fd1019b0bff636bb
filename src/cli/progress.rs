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

/// The build's progress for `build --check`: passed on to `inner`, and beside each
/// brief's rendering, what the check will hold its editions against is worked out
/// ([`briefpress::verify::expect_ahead`]) on a build thread that would otherwise wait
/// for the PDF. That takes the source side of the check (parsing the source again and
/// rendering the house EPUB, about 2.5 ms on the seed) off the end of the run: 60
/// interleaved rounds of the seed's `build --check`, medians 19.1 against 17.0 ms
/// (docs/speed.md).
pub(super) struct CheckAhead<'a> {
    inner: &'a dyn Progress,
    house: &'a briefpress::house::House,
    sets: &'a [briefpress::overrides::Set],
    ahead: std::sync::Mutex<briefpress::verify::Ahead>,
    /// How many briefs were looked at ahead.
    held: std::sync::atomic::AtomicUsize,
}

impl<'a> CheckAhead<'a> {
    pub fn new(
        inner: &'a dyn Progress,
        house: &'a briefpress::house::House,
        sets: &'a [briefpress::overrides::Set],
    ) -> Self {
        CheckAhead {
            inner,
            house,
            sets,
            ahead: Default::default(),
            held: Default::default(),
        }
    }

    /// What was worked out, for the check.
    pub fn into_ahead(self) -> briefpress::verify::Ahead {
        self.ahead.into_inner().unwrap_or_default()
    }
}

impl Progress for CheckAhead<'_> {
    fn start(&self, briefs: usize) {
        self.inner.start(briefs);
    }

    fn brief_done(&self, source: &Path) {
        self.inner.brief_done(source);
    }

    fn finish(&self) {
        self.inner.finish();
    }

    fn alongside(&self, source: &Path) {
        // Only as many briefs as the build has threads: past those, every thread is
        // busy building, and what is worked out ahead would only be held longer.
        let n = self.held.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n >= rayon::current_num_threads() {
            return;
        }
        if let Some(e) = briefpress::verify::expect_ahead(source, self.sets, self.house) {
            if let Ok(mut ahead) = self.ahead.lock() {
                ahead.add(e);
            }
        }
    }
}
