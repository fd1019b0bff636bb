#!/usr/bin/env bash
# Side-by-side timing (outside CI): briefpress build (PDF + EPUB + text) + check on the
# seed, against pandoc's EPUB alone and, when a `typst` binary is on PATH, typst's PDF
# alone of an equivalent document (benches/seed.typ). Runs alternate so that machine
# noise hits every tool alike; prints medians and ratios.
# Usage: benches/compare.sh [ROUNDS]   (needs: pandoc — apt-get install pandoc)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-15}"
cargo build --release --quiet
bin="$PWD/target/release/briefpress"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/source"
cp source/2016-11-china-tajikistan.md "$work/source/"
command -v pandoc >/dev/null || { echo "pandoc is needed: apt-get install pandoc" >&2; exit 1; }
have_typst=0; command -v typst >/dev/null && have_typst=1

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
ours=(); pandoc_t=(); typst_t=()
for _ in $(seq "$rounds"); do
  ours+=( $(( $(cd "$work" && ms "$bin" build -q) + $(cd "$work" && ms "$bin" check -q) )) )
  pandoc_t+=( $(ms pandoc "$work/source/2016-11-china-tajikistan.md" -o "$work/pandoc.epub") )
  if [ "$have_typst" = 1 ]; then typst_t+=( $(ms typst compile benches/seed.typ "$work/typst.pdf") ); fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
o=$(median "${ours[@]}"); p=$(median "${pandoc_t[@]}")
printf 'briefpress build (3 editions) + check: %8.1f ms\n' "$(echo "$o/1000" | bc -l)"
printf 'pandoc EPUB alone:                     %8.1f ms   ratio ours/pandoc = %.2f (target <= 0.25)\n' "$(echo "$p/1000" | bc -l)" "$(echo "$o/$p" | bc -l)"
if [ "$have_typst" = 1 ]; then
  t=$(median "${typst_t[@]}")
  printf 'typst PDF alone:                       %8.1f ms   ratio ours/typst  = %.2f (target <= 0.33)\n' "$(echo "$t/1000" | bc -l)" "$(echo "$o/$t" | bc -l)"
else
  echo "typst: not on PATH, comparison skipped"
fi
