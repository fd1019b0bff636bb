"""Draw branding/logo.png: the briefpress house mark (an original design, not NATO's emblem).

A four-pointed compass star in gold inside a house-blue ring, on the page's white ground.
The logo is opaque on purpose: the PDF edition embeds an opaque PNG's compressed data as
it is (PNG predictors), while a PNG with alpha must be split and compressed again.
Pure standard library (zlib + struct) so it runs anywhere; supersampled 4x for clean edges.
Run: python3 docs/make_logo.py branding/logo.png
"""
import math, struct, sys, zlib

SIZE, SS = 300, 4  # 300 px over 18 mm is 420 ppi: sharp in print
BLUE, GOLD = (0x0B, 0x2F, 0x5B), (0xB0, 0x8D, 0x3C)

def star_contains(x, y, r_out, r_in, points=4, rot=0.0):
    ang = math.atan2(y, x) - rot
    r = math.hypot(x, y)
    seg = math.pi / points
    a = (ang % (2 * seg)) - seg            # -seg..seg, 0 at a tip
    t = abs(a) / seg                        # 0 at tip, 1 at valley
    # the edge between tip (r_out, angle 0) and valley (r_in, angle seg), as a straight line
    tip = (r_out, 0.0)
    val = (r_in * math.cos(seg), r_in * math.sin(seg))
    px, py = r * math.cos(abs(a)), r * math.sin(abs(a))
    cross = (val[0] - tip[0]) * (py - tip[1]) - (val[1] - tip[1]) * (px - tip[0])
    return cross >= 0

def colour_at(x, y):
    c = SIZE / 2
    dx, dy = x - c, y - c
    r = math.hypot(dx, dy)
    if 0.80 * c <= r <= 0.96 * c:
        return BLUE
    if star_contains(dx, dy, 0.74 * c, 0.17 * c):
        return GOLD
    if star_contains(dx, dy, 0.50 * c, 0.12 * c, rot=math.pi / 4):
        return BLUE
    return None

rows = []
for py in range(SIZE):
    row = bytearray([0])
    for px in range(SIZE):
        acc = [0, 0, 0, 0]
        for sy in range(SS):
            for sx in range(SS):
                col = colour_at(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                if col:
                    acc[0] += col[0]; acc[1] += col[1]; acc[2] += col[2]; acc[3] += 1
        # Blend the covered share of the pixel over white paper.
        n, total = acc[3], SS * SS
        row += bytes([(acc[i] + 255 * (total - n)) // total for i in range(3)])
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
