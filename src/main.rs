//! The `briefpress` binary: a trampoline into its command line ([`cli::run`]).

// As in the library: the command line reads input, so nothing in it may panic on it.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cli;

/// mimalloc instead of the system allocator: shaping and PDF writing make millions of
/// small, short-lived allocations (glyph texts, operators, objects), where it is
/// markedly faster than glibc's malloc. Built with `no_thp`: its arena asks for transparent huge
/// pages, and a short-lived process then spends its time zeroing 2 MiB pages.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = cli::run(std::env::args_os());
    // A closed standard output is ignored here as everywhere else (`cli::report::print_out`).
    let _ = std::io::Write::flush(&mut std::io::stdout());
    std::process::exit(code)
}
