//! The `briefpress` binary: a trampoline into [`briefpress::run`].

/// mimalloc instead of the system allocator: shaping and PDF writing make millions of
/// small, short-lived allocations (glyph texts, operators, objects), where it is
/// markedly faster than glibc's malloc. Built with `no_thp`: its arena asks for transparent huge
/// pages, and a short-lived process then spends its time zeroing 2 MiB pages.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = briefpress::run::run(std::env::args_os());
    // Everything is written and closed by now; only standard output may still hold text
    // (help, say). A closed stream is ignored here as everywhere else (`run::print_out`).
    let _ = std::io::Write::flush(&mut std::io::stdout());
    exit(code)
}

/// End the process without running the C library's exit handlers. The only one that
/// does work is the allocator's, which hands every page back to the kernel (one
/// `madvise` per region) a moment before the kernel reclaims them all anyway: about a
/// quarter of a millisecond per run, for a brief that builds in ten.
#[cfg(unix)]
fn exit(code: i32) -> ! {
    // SAFETY: `_exit` only ends the process. No file is left half-written: every
    // edition and manifest was written, closed and renamed before `run` returned, and
    // standard output was flushed above (standard error is unbuffered).
    unsafe { libc::_exit(code) }
}

#[cfg(not(unix))]
fn exit(code: i32) -> ! {
    std::process::exit(code)
}
