#!/usr/bin/env python3
"""Writes the seed corpus of the tzif fuzz target (fuzz/corpus/tzif/):
small TZif files (RFC 8536) built here byte by byte, so that no file of
the tz database (third-party data) is copied into the tree. Each seed
covers one shape of the format: version 1 only, versions 2 to 4 with the
32-bit block before the 64-bit one, leap-second records, standard/wall and
UT/local indicators, and footers of every form the reader takes (none
needed, "M", "J" and plain day numbers, negative and >24 h times, an
empty footer, daylight-saving time all year).

Usage: scripts/make-tzif-seeds.py [DIR]   (default fuzz/corpus/tzif)
docs/fuzzing.md describes the target.
"""
import os
import struct
import sys


def block(times, idx, types, chars, leaps, isstd, isut, tsize):
    """The data block: times are signed, tsize 4 or 8 bytes."""
    fmt = ">i" if tsize == 4 else ">q"
    out = b"".join(struct.pack(fmt, t) for t in times)
    out += bytes(idx)
    out += b"".join(struct.pack(">iBB", off, dst, desig)
                    for off, dst, desig in types)
    out += chars
    out += b"".join(struct.pack(fmt, at) + struct.pack(">i", corr)
                    for at, corr in leaps)
    out += bytes(isstd) + bytes(isut)
    return out


def header(version, times, types, chars, leaps, isstd, isut):
    return (b"TZif" + version + bytes(15) +
            struct.pack(">6I", len(isut), len(isstd), len(leaps),
                        len(times), len(types), len(chars)))


def tzif(version, times, idx, types, chars, footer=None, leaps=(),
         isstd=(), isut=()):
    """A whole file; version b"\\0" (1), b"2", b"3" or b"4"."""
    args = (types, chars, leaps, isstd, isut)
    if version == b"\0":
        return (header(version, times, *args) +
                block(times, idx, types, chars, leaps, isstd, isut, 4))
    # The 32-bit block for version 1 readers: the transitions that fit.
    fit = [i for i, t in enumerate(times) if -2**31 <= t < 2**31]
    t32 = [times[i] for i in fit]
    i32 = [idx[i] for i in fit]
    l32 = [(a, c) for a, c in leaps if -2**31 <= a < 2**31]
    out = header(version, t32, types, chars, l32, isstd, isut)
    out += block(t32, i32, types, chars, l32, isstd, isut, 4)
    out += header(version, times, *args)
    out += block(times, idx, types, chars, leaps, isstd, isut, 8)
    return out + b"\n" + footer + b"\n"


EET = [(8712, 0, 0), (7200, 0, 4), (10800, 1, 8)]  # LMT, EET, EEST
EET_CHARS = b"LMT\0EET\0EEST\0"
LEAPS = [(78796800 + i * 31536000, i + 1) for i in range(3)]

SEEDS = {
    "v1-two-transitions.tzif":
        tzif(b"\0", [-1577931912, 1000000000], [1, 2], EET, EET_CHARS),
    "v2-old-damascus-rule.tzif":
        tzif(b"2", [-2**59, -1577931912, 1459036800, 1477598400],
             [0, 1, 2, 1], EET, EET_CHARS, b"EET-2EEST,M3.5.5/0,M10.5.5/0",
             isstd=[0, 0, 0], isut=[0, 0, 0]),
    "v3-plus03.tzif":
        tzif(b"3", [-1577931912, 1666908000], [1, 2],
             [(8712, 0, 0), (7200, 0, 4), (10800, 0, 8)],
             b"LMT\0EET\0+03\0", b"<+03>-3"),
    "v2-rule-only-new-york.tzif":
        tzif(b"2", [], [], [(-18000, 0, 0)], b"EST\0",
             b"EST5EDT,M3.2.0,M11.1.0"),
    "v3-julian-negative-late.tzif":
        tzif(b"3", [946684800], [0], [(7200, 0, 0), (10800, 1, 4)],
             b"+02\0+03\0", b"<+02>-2<+03>,J60/-1,300/30"),
    "v4-leap-seconds-empty-footer.tzif":
        tzif(b"4", [-1000000000, 1000000000], [1, 2], EET, EET_CHARS,
             b"", leaps=LEAPS, isstd=[0, 1, 1], isut=[0, 1, 0]),
    "v3-half-hour-south.tzif":
        tzif(b"3", [1230768000], [1], [(37800, 0, 0), (39600, 1, 6)],
             b"+1030\0+11\0", b"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"),
    "v3-negative-dst-dublin.tzif":
        tzif(b"3", [1230768000], [1], [(3600, 0, 0), (0, 1, 4)],
             b"IST\0GMT\0", b"IST-1GMT0,M10.5.0,M3.5.0/1"),
    "v3-dst-all-year.tzif":
        tzif(b"3", [946684800], [0], [(-14400, 1, 0)], b"EDT\0",
             b"EST5EDT,0/0,J365/25"),
    "v2-utc.tzif":
        tzif(b"2", [], [], [(0, 0, 0)], b"UTC\0", b"UTC0"),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "fuzz", "corpus",
        "tzif")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
