//! The `briefpress` binary: a trampoline into [`briefpress::run`].

fn main() {
    std::process::exit(briefpress::run::run(std::env::args_os()));
}
