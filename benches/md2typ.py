"""Turn a generated long brief (tests/fixtures/make_long.py output) into an equivalent
typst document for benches/compare.sh: same words, two columns, A4, Noto fonts.
Handles only what make_long.py writes: headings, paragraphs, bullets, quotes, pipe
tables and footnotes. Usage: python3 benches/md2typ.py IN.md OUT.typ"""
import re, sys

src = open(sys.argv[1], encoding="utf-8").read()
_, front, body = src.split("---", 2)
title = re.search(r'title: "(.*)"', front).group(1)
notes = dict(re.findall(r"^\[\^(\w+)\]: (.*)$", body, re.M))
body = re.sub(r"^\[\^\w+\]: .*$", "", body, flags=re.M)

def esc(s):
    s = re.sub(r"([#$@*_`<>\[\]\\])", r"\\\1", s)
    return re.sub(r"\\\[\\\^(\w+)\\\]", lambda m: "#footnote[" + esc(notes.get(m.group(1), "")) + "]", s)

out = ['#set page(paper: "a4", margin: (top: 18mm, bottom: 20mm, x: 18mm), columns: 2)',
       '#set text(font: "Noto Serif", size: 10pt, lang: "en", hyphenate: true)',
       '#set par(justify: true)',
       '#place(top, float: true, scope: "parent")[#text(font: "Noto Sans", weight: "bold", size: 22pt)[' + esc(title) + ']]', '']
table = []
for line in body.splitlines():
    if line.startswith("|"):
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not all(set(c) <= set(":-") for c in cells):
            table.append(cells)
        continue
    if table:
        out.append("#table(columns: %d, %s)" % (len(table[0]), ", ".join("[" + esc(c) + "]" for row in table for c in row)))
        table = []
    m = re.match(r"^(#+) (.*)", line)
    if m:
        out.append("=" * (len(m.group(1)) - 1) + " " + esc(m.group(2)))
    elif line.startswith("- "):
        out.append("- " + esc(line[2:]))
    elif line.startswith("> "):
        out.append("#quote[" + esc(line[2:]) + "]")
    else:
        out.append(esc(line))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
