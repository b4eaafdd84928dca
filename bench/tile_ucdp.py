#!/usr/bin/env python3
"""tile_ucdp.py - the UCDP GED file tiled into an archive-sized one (standard library only).

Writes COPIES copies of every row of a UCDP GED CSV, in copy order, with the
same header: copy c (0 = the file as it is) gives each row the id
id + c * 10,000,000 (so that ingest stores every copy) and moves its point
by up to 2 km (a deterministic offset from the id and the copy, latitude,
longitude and geom_wkt alike), the dates and everything else kept. 61
copies of the 2016-2019 Syria file (16,566 rows) are 1,010,526 events.

Usage: tile_ucdp.py UCDP.csv COPIES [-o FILE]   (default: stdout)
"""

import argparse
import csv
import math
import random
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ucdp")
    ap.add_argument("copies", type=int)
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    with open(a.ucdp, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    out = open(a.output, "w", newline="", encoding="utf-8") if a.output else sys.stdout
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for c in range(a.copies):
        for row in body:
            r = list(row)
            if c:
                rid = int(r[col["id"]])
                rng = random.Random(rid * 131 + c)
                lat = float(r[col["latitude"]])
                lon = float(r[col["longitude"]])
                d = 2.0 * math.sqrt(rng.random())          # km, uniform in a disc
                bearing = rng.random() * 2 * math.pi
                lat += d * math.cos(bearing) / 111.32
                lon += d * math.sin(bearing) / (111.32 * max(0.1, math.cos(math.radians(lat))))
                r[col["id"]] = str(rid + c * 10_000_000)
                r[col["latitude"]] = "%.6f" % lat
                r[col["longitude"]] = "%.6f" % lon
                if "geom_wkt" in col:
                    r[col["geom_wkt"]] = "POINT (%.6f %.6f)" % (lon, lat)
            w.writerow(r)
    if a.output:
        out.close()


if __name__ == "__main__":
    main()
