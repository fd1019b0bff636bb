//! briefpress: a publishing toolchain for short policy briefs.
//!
//! One canonical source per brief (`source/<slug>.md`) is parsed into one format-neutral
//! [`model::Document`]; renderers turn it into a PDF, an EPUB 3 and a plain-text edition;
//! the verifier reads the written files back and proves they carry the same
//! [`content`]. Data flows one way:
//!
//! ```text
//! source ─ parse ─▶ model ─┬─ render::pdf  ─┐
//! house  ─ house ─────────┼─ render::epub ─┼─ write ─▶ dist/ ─ verify ◀─ content(model)
//! fonts  ─ fonts ─────────┴─ render::text ─┘
//! ```
//!
//! The `briefpress` binary (`src/main.rs` and its `cli` module) is the command line over
//! this library: it parses the arguments, calls [`build::build`], [`verify::check`] and
//! the others, and prints what they return.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod build;
pub mod clean;
pub mod content;
pub mod dates;
pub mod diag;
pub mod error;
pub mod fonts;
pub mod hex;
pub mod house;
pub mod incremental;
pub mod input;
pub mod lang;
pub mod manifest;
pub mod model;
pub mod open;
pub mod overrides;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod sign;
pub mod verify;
pub mod watch;
pub mod write;
