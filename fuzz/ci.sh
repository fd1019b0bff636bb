#!/usr/bin/env bash
# A short, fixed-length fuzzing run for CI (called by .ci/run): builds the fuzz targets
# with libFuzzer on the stable toolchain (see README.md, "On the stable toolchain") and
# runs each for FUZZ_SECONDS seconds (default 20) from its seeds in corpus/<target>/.
# A crash, a hang (-timeout) or running out of memory (-rss_limit_mb) fails the step and
# leaves the input in target/fuzz-artifacts/<target>/; keep it as a named regression test
# in tests/testsuite/hostile.rs. FUZZ_SECONDS=0 skips the step.
set -euo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-20}"
if [ "$secs" = 0 ]; then
  echo "fuzz: skipped (FUZZ_SECONDS=0)"
  exit 0
fi
host="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
start=$SECONDS
# Not --locked: this crate's lock file follows the main crate's dependencies, and a new
# dependency there must not fail the fuzz step; the versions pinned here are kept.
cargo build --release --target "$host" --bins
echo "fuzz: built the targets in $((SECONDS - start)) s"
bin="target/$host/release"
for t in source pdf epub text manifest cmap; do
  scratch="$(mktemp -d)"
  artifacts="target/fuzz-artifacts/$t/"
  mkdir -p "$artifacts"
  # The scratch folder comes first: libFuzzer writes new units there, never into the
  # seeds kept in the repository.
  if ! "$bin/$t" "$scratch" "corpus/$t" -max_total_time="$secs" -max_len=400000 \
      -timeout=25 -rss_limit_mb=2048 -artifact_prefix="$artifacts" \
      -print_final_stats=1 >"$scratch.log" 2>&1; then
    tail -n 40 "$scratch.log"
    echo "fuzz: target $t failed; the input is in fuzz/$artifacts" >&2
    exit 1
  fi
  echo "fuzz: $t $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$scratch.log" | grep -o '[0-9]*$') runs in $secs s, no crash"
  rm -rf "$scratch" "$scratch.log"
done
