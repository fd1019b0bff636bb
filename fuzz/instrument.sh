#!/usr/bin/env bash
# The rustc wrapper of fuzz/ci.sh (RUSTC_WRAPPER): adds libFuzzer's coverage
# instrumentation to the code under test only, the `briefpress` library and the fuzz
# targets, and compiles every other crate exactly as cargo asks. The dependencies then
# compile as the main crate's `cargo test` compiles them and ci.sh reuses those from the
# shared ../target instead of building instrumented copies (README.md, "Cost in CI").
#
# Cargo does not see these flags: an instrumented unit and a plain one of the same
# package and profile would share a file name. The fuzz crate's profile
# (Cargo.toml) gives `briefpress` settings the main crate's dev profile does not have,
# so the instrumented library never takes the place of the one the tests use; and the
# targets refuse to link a `briefpress` without coverage counters (a plain build of
# this crate into the same folder), with which libFuzzer would run blind.
set -euo pipefail
rustc="$1"
shift
name=""
library=""
prev=""
for arg in "$@"; do
  case "$prev:$arg" in
    --crate-name:*) name="$arg" ;;
    --extern:briefpress=*) library="${arg#briefpress=}" ;;
  esac
  prev="$arg"
done
if [ -n "$library" ] && ! grep -a -q __sancov_cntrs "$library"; then
  echo "instrument.sh: $library has no coverage counters (built without this wrapper);" \
    "remove it and build again" >&2
  exit 1
fi
case "${CARGO_PKG_NAME:-}:$name" in
  # Build scripts run on this machine and must link without libFuzzer.
  *:build_script_*) ;;
  briefpress:briefpress | briefpress-fuzz:?*)
    # -sanitizer-coverage-trace-compares lets libFuzzer learn the keywords and bounds
    # the readers compare with; it costs about 5% of the library's build (measured in
    # README.md, "Cost in CI"). `--cfg fuzzing` as cargo-fuzz sets it.
    exec "$rustc" "$@" --cfg fuzzing -Cpasses=sancov-module \
      -Cllvm-args=-sanitizer-coverage-level=4 \
      -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
      -Cllvm-args=-sanitizer-coverage-pc-table \
      -Cllvm-args=-sanitizer-coverage-trace-compares
    ;;
esac
exec "$rustc" "$@"
