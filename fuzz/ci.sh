#!/usr/bin/env bash
# A short, fixed-length fuzzing run for CI (called by .ci/run): builds the fuzz targets
# with libFuzzer on the stable toolchain and runs each for FUZZ_SECONDS seconds (default
# 20) from its seeds in corpus/<target>/. A crash, a hang (-timeout) or running out of
# memory (-rss_limit_mb) fails the step and leaves the input in
# target/fuzz-artifacts/<target>/; keep it as a named regression test in
# tests/testsuite/hostile.rs. FUZZ_SECONDS=0 skips the step.
#
# Cost (README.md, "Cost in CI"): only the library and the targets are instrumented
# (instrument.sh); the dependencies are the ones `cargo test` already compiled in
# the main target folder, so on a fresh clone after the tests the build is the
# instrumented library, libFuzzer's C++ and a few small crates: 70 s of CPU and 62 s of
# wall time on a quiet machine, instead of 11 CPU minutes and 8 minutes for
# instrumenting everything in a target folder of its own. The whole step: 3 min 8 s.
set -euo pipefail
# The main crate's target folder (CARGO_TARGET_DIR when set, as cargo reads it).
target="$(realpath -m "${CARGO_TARGET_DIR:-$(dirname "$0")/../target}")"
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-20}"
if [ "$secs" = 0 ]; then
  echo "fuzz: skipped (FUZZ_SECONDS=0)"
  exit 0
fi

# The dependencies are shared with the main target folder only as the main lock file
# resolves them: say so when a package of both lock files is pinned differently (its
# version or its own dependencies), which costs a build of it and of what uses it.
# Copying ../Cargo.lock here and running `cargo tree` brings this lock file back in line.
# Two packages differ by design: `briefpress` (its dev-dependencies are in the main lock
# file only) and `cc` (libfuzzer-sys turns on its `parallel` feature, hence `jobserver`).
drift="$(awk 'BEGIN {RS = ""} FNR == 1 {file++} /^\[\[package\]\]/ {
    split($0, line, "\n"); key = line[2] " " line[3]
    if (line[2] ~ /"(briefpress|cc)"$/) next
    if (file == 1) main[key] = $0; else if ((key in main) && main[key] != $0) print line[2]
  }' ../Cargo.lock Cargo.lock | sed 's/^name = //' | tr -d '"' | tr '\n' ' ')"
if [ -n "$drift" ]; then
  echo "fuzz: warning: fuzz/Cargo.lock and Cargo.lock resolve these differently: $drift" >&2
fi

start=$SECONDS
# Not --locked: this crate's lock file follows the main crate's dependencies, and a new
# dependency there must not fail the fuzz step; the versions pinned here are kept. No
# incremental cache: on a fresh clone it only adds work.
RUSTC_WRAPPER="$PWD/instrument.sh" CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 \
  cargo build --bins
# `times` gives the CPU time of the build (user, then system), the figure that
# "Cost in CI" compares, since other jobs on the machine stretch the wall time.
# (`times` in this shell: in a command substitution it would report a subshell's.)
cpu="$(mktemp)"
times >"$cpu"
echo "fuzz: built the targets in $((SECONDS - start)) s" \
  "(CPU: $(tail -n 1 "$cpu" | sed 's/ / user, /') system)"
rm -f "$cpu"
bin="$target/debug"
for t in source pdf epub text manifest cmap; do
  scratch="$(mktemp -d)"
  mkdir "$scratch/units"
  artifacts="target/fuzz-artifacts/$t/"
  mkdir -p "$artifacts"
  # The scratch folder comes first: libFuzzer writes new units there, never into the
  # seeds kept in the repository. It is the target's TMPDIR too, so that the files a
  # target writes (the manifest reader takes a path) go when it does.
  if ! TMPDIR="$scratch" "$bin/$t" "$scratch/units" "corpus/$t" -max_total_time="$secs" -max_len=400000 \
      -timeout=25 -rss_limit_mb=2048 -artifact_prefix="$artifacts" \
      -print_final_stats=1 >"$scratch.log" 2>&1; then
    tail -n 40 "$scratch.log"
    echo "fuzz: target $t failed; the input: $(ls -d "$artifacts"* | sed 's|^|fuzz/|')" >&2
    exit 1
  fi
  counters="$(sed -n 's/^INFO: Loaded [0-9]* modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$scratch.log")"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch.log")"
  cov="$(grep -o 'cov: [0-9]*' "$scratch.log" | tail -n 1)"
  echo "fuzz: $t: $runs runs in $secs s ($cov of ${counters:-?} edges), no crash"
  rm -rf "$scratch" "$scratch.log"
done
echo "fuzz: done in $((SECONDS - start)) s"
