#!/usr/bin/env bash
# Side-by-side timing (outside CI): briefpress build --force (PDF + EPUB + text; never
# the incremental skip of an up-to-date brief) + check,
# against pandoc's EPUB alone and typst's PDF alone, on the seed and on the generated
# 100x book. typst is the `typst` binary when on PATH, else the PyPI package `typst`
# (pip install typst; the same compiler, plus a Python start-up of a few ms).
#
# Each command is started with posix_spawn and timed from spawn to exit by one Python
# process (no shell in between, which used to add a few ms to every command and so
# counted twice against our two commands). Rounds alternate the tools so machine noise
# hits all alike; prints medians, minima and the ratios of the medians.
# Usage: [BRIEFPRESS=binary] benches/compare.sh [ROUNDS]   (needs pandoc: apt-get install pandoc)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-21}"
# BRIEFPRESS names another binary to time (an older build, a static one).
if [ -n "${BRIEFPRESS:-}" ]; then
  bin="$(realpath "$BRIEFPRESS")"
else
  cargo build --release --quiet
  bin="$PWD/target/release/briefpress"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v pandoc >/dev/null || { echo "pandoc is needed: apt-get install pandoc" >&2; exit 1; }
if command -v typst >/dev/null; then
  typst=(typst compile)
elif python3 -c "import typst" 2>/dev/null; then
  typst=(python3 -c "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])")
else
  typst=()
fi

mkdir -p "$work/seed/source" "$work/book/source"
cp source/2016-11-china-tajikistan.md "$work/seed/source/seed.md"
cp benches/seed.typ "$work/seed/seed.typ"
python3 tests/fixtures/make_long.py 100 > "$work/book/source/book.md"
python3 benches/md2typ.py "$work/book/source/book.md" "$work/book/book.typ"

python3 - "$rounds" "$bin" "$work" "${typst[@]}" <<'PY'
import os, shutil, statistics, sys, time

rounds, binary, work, typst = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
null = os.open(os.devnull, os.O_WRONLY)
# Binaries from before the incremental build (an older one timed for comparison) have
# no --force, and always build.
import subprocess
helptext = subprocess.run([binary, "build", "--help"], capture_output=True, text=True).stdout
force = ["--force"] if "--force" in helptext else []
# `build --check` builds and checks in one process (the files read back from disk by
# the same verifier as `check`); binaries from before it run the two commands.
one = "--check" in helptext

def run(argv, cwd):
    """Wall time of one command in ms, from spawn to exit; None if it failed."""
    path = shutil.which(argv[0]) or argv[0]
    os.chdir(cwd)
    start = time.perf_counter_ns()
    pid = os.posix_spawn(path, argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    _, status = os.waitpid(pid, 0)
    took = (time.perf_counter_ns() - start) / 1e6
    return took if os.waitstatus_to_exitcode(status) == 0 else None

for doc in ["seed", "book"]:
    d = os.path.join(work, doc)
    two = [[binary, "build", "-q"] + force, [binary, "check", "-q"]]
    tools = {"ours": [[binary, "build", "-q", "--check"] + force] if one else two}
    if one:
        tools["ours, two commands"] = two
    tools["pandoc"] = [["pandoc", f"source/{doc}.md", "-o", "pandoc.epub"]]
    if typst:
        tools["typst"] = [typst + [f"{doc}.typ", "typst.pdf"]]
    times = {k: [] for k in tools}
    for r in range(rounds + 1):
        order = list(tools) if r % 2 == 0 else list(reversed(tools))
        for k in order:
            parts = [run(argv, d) for argv in tools[k]]
            if r > 0 and None not in parts:  # round 0 warms the caches
                times[k].append(sum(parts))
    if not times["ours"] or not times["pandoc"]:
        sys.exit(f"{doc}: briefpress or pandoc failed")
    med = {k: statistics.median(v) for k, v in times.items() if v}
    print(f"== {doc} ({rounds} alternating rounds; median, min)")
    what = "build --check (one process)" if one else "build, then check"
    print(f"  briefpress {what:27} {med['ours']:8.1f} ms {min(times['ours']):8.1f}")
    if one:
        t = times["ours, two commands"]
        print(f"  briefpress build, then check:          {statistics.median(t):8.1f} ms {min(t):8.1f}"
              f"   (two processes: {statistics.median(t) / med['pandoc']:.2f}x pandoc)")
    print(f"  pandoc EPUB alone:                     {med['pandoc']:8.1f} ms {min(times['pandoc']):8.1f}"
          f"   ours/pandoc = {med['ours'] / med['pandoc']:.2f}")
    if "typst" in med:
        print(f"  typst PDF alone:                       {med['typst']:8.1f} ms {min(times['typst']):8.1f}"
              f"   ours/typst  = {med['ours'] / med['typst']:.2f}")
    else:
        print("  typst: not available (no binary, no PyPI package), skipped")
print("targets: seed ours/pandoc <= 0.25 (issues 7, 15, 17) and ours/typst <= 0.33 (issue 7); book ours/typst <= 0.5 (issue 15)")
PY
