#!/usr/bin/env bash
# Side-by-side timing (outside CI): briefpress build (PDF + EPUB + text) + check,
# against pandoc's EPUB alone and typst's PDF alone, on the seed and on the generated
# 100x book. typst is the `typst` binary when on PATH, else the PyPI package `typst`
# (pip install typst; the same compiler, plus a Python start-up of a few ms).
# Runs alternate so machine noise hits every tool alike; prints medians and ratios.
# Usage: benches/compare.sh [ROUNDS]   (needs pandoc: apt-get install pandoc)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-11}"
cargo build --release --quiet
bin="$PWD/target/release/briefpress"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v pandoc >/dev/null || { echo "pandoc is needed: apt-get install pandoc" >&2; exit 1; }
if command -v typst >/dev/null; then
  typst_pdf() { typst compile "$1" "$2"; }
elif python3 -c "import typst" 2>/dev/null; then
  typst_pdf() { python3 -c "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])" "$1" "$2"; }
else
  typst_pdf() { return 99; }
fi

mkdir -p "$work/seed/source" "$work/book/source"
cp source/2016-11-china-tajikistan.md "$work/seed/source/seed.md"
cp benches/seed.typ "$work/seed/seed.typ"
python3 tests/fixtures/make_long.py 100 > "$work/book/source/book.md"
python3 benches/md2typ.py "$work/book/source/book.md" "$work/book/book.typ"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || return 1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for doc in seed book; do
  d="$work/$doc"; ours=(); pan=(); typ=()
  for _ in $(seq "$rounds"); do
    ours+=( $(( $(cd "$d" && ms "$bin" build -q) + $(cd "$d" && ms "$bin" check -q) )) )
    pan+=( $(ms pandoc "$d/source/$doc.md" -o "$d/pandoc.epub") )
    t=$(ms typst_pdf "$d/$doc.typ" "$d/typst.pdf") && typ+=( "$t" )
  done
  o=$(median "${ours[@]}"); p=$(median "${pan[@]}")
  echo "== $doc"
  printf '  briefpress build (3 editions) + check: %8.1f ms\n' "$(echo "$o/1000" | bc -l)"
  printf '  pandoc EPUB alone:                     %8.1f ms   ours/pandoc = %.2f\n' "$(echo "$p/1000" | bc -l)" "$(echo "$o/$p" | bc -l)"
  if [ "${#typ[@]}" -gt 0 ]; then
    t=$(median "${typ[@]}")
    printf '  typst PDF alone:                       %8.1f ms   ours/typst  = %.2f\n' "$(echo "$t/1000" | bc -l)" "$(echo "$o/$t" | bc -l)"
  else
    echo "  typst: not available (no binary, no PyPI package), skipped"
  fi
done
echo "targets: seed ours/pandoc <= 0.25 and ours/typst <= 0.33; book ours/typst <= 1.0"
