//! The integration tests, one test binary (as mdBook's `tests/testsuite/`): each module
//! below is one subject, `common` the harness they share and `handmade` the hand-made
//! editions of the reader tests. `tests/README.md` says what each module holds. Run one
//! module with `cargo test --test testsuite cli::`, one test with its full name.
//!
//! One process runs every test on parallel threads: a test must not change the
//! process's environment or current folder (none does: child processes get theirs
//! through `Command`), nor fill rayon's global pool, which the library's renderers and
//! readers share with every in-process test (`commonmark` runs on a pool of its own).
//! The few tests that start heavy processes at once, or bound wall time tightly, take
//! [`common::one_at_a_time`].

mod common;
mod handmade;

mod ace;
mod author;
mod check;
mod cli;
mod commonmark;
mod epub;
mod finish;
mod hostile;
mod incremental;
mod inputs;
mod layout;
mod limits;
mod matrix;
mod outloud;
mod pdf;
mod pdfsane;
mod refusals;
mod robust;
mod safety;
mod signing;
mod tagged;
mod tamper_epub;
mod tamper_pdf;
mod toolchain;
mod typeset;
mod workflow;
