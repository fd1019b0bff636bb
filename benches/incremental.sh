#!/usr/bin/env bash
# Incremental builds (outside CI): a folder of N briefs (default 2,000), built once;
# then, timed with hyperfine, (1) a build with nothing changed, (2) a build after one
# brief changed, and (3) that one brief built alone into an empty folder, for
# comparison. Each brief is the seed with its title and a sentence made unique.
# The goal: (1) under 1 s; (2) about (3) plus the cost of (1).
# Usage: benches/incremental.sh [N] [RUNS]   (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
runs="${2:-10}"
cargo build --release --quiet
bin="$PWD/target/release/briefpress"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }

mkdir -p "$work/many/source" "$work/one/source"
seed=source/2016-11-china-tajikistan.md
for i in $(seq -w 1 "$n"); do
  sed -e "s/^title: .*/title: Brief number $i/" -e "\$a\\
This is brief $i." "$seed" > "$work/many/source/b$i.md"
done
cd "$work/many"
echo "first build of $n briefs:"
/usr/bin/time -f "  %e s wall, %M KiB peak" "$bin" -q build
last="source/b$(seq -w 1 "$n" | tail -1).md"

# (1) Nothing changed: every brief is found up to date.
hyperfine --warmup 1 --runs "$runs" -N --export-markdown "$work/noop.md" \
  -n "no change, $n briefs" "$bin -q build"
# (2) One brief changed before each run (a sentence is appended, then removed).
hyperfine --runs "$runs" --export-markdown "$work/one-changed.md" \
  --prepare "if grep -q 'Edited' $last; then sed -i '\$d' $last; else echo 'Edited.' >> $last; fi" \
  -n "one of $n changed" "$bin -q build"
# (3) The same brief alone, into an empty folder.
cp "$last" "$work/one/source/"
cd "$work/one"
hyperfine --runs "$runs" --export-markdown "$work/alone.md" \
  --prepare "rm -rf dist" -n "that brief alone" "$bin -q build"
cat "$work/noop.md" "$work/one-changed.md" "$work/alone.md"
