#!/usr/bin/env python3
"""Writes examples/acme/static/{logo,favicon,background}.png: small, valid PNGs for the
example's [theme] (a logo < 100 kB, a square favicon, a background < 2 MB). Standard
library only; rerun to regenerate them byte for byte."""
import os, struct, zlib

def png(path, w, h, pixel):
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(w)) for y in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)

BLUE, WHITE = (0x1F, 0x4E, 0x99), (0xFF, 0xFF, 0xFF)
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "acme", "static")

def logo(x, y):
    # A blue mark (a square with a white "A"-like chevron) on white, then a blue bar.
    if x < 64:
        cx = abs(x - 32)
        return WHITE if (20 <= y <= 52 and abs(cx - (y - 12) // 2) <= 3) or (40 <= y <= 44 and cx < 12) else BLUE
    return BLUE if 26 <= y <= 38 and x < 230 else WHITE

def favicon(x, y):
    return WHITE if 10 <= x < 22 and 10 <= y < 22 else BLUE

def background(x, y):
    t = y / 539
    return tuple(round(a + (b - a) * t) for a, b in zip((0xEB, 0xEB, 0xED), (0xD4, 0xDE, 0xEE)))

png(os.path.join(here, "logo.png"), 240, 64, logo)
png(os.path.join(here, "favicon.png"), 32, 32, favicon)
png(os.path.join(here, "background.png"), 960, 540, background)
