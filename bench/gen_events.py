#!/usr/bin/env python3
"""gen_events.py - synthetic UCDP GED events for benchmarks (standard library only).

Writes N events as a UCDP GED CSV with the same 41-column header as the UCDP GED
Syria file (GED 19.1 columns, no relid/gwnoa), so that `truce ingest` reads it as
UCDP and PostgreSQL can COPY it into the same table:

  - points uniformly at random in Syria's bounding box, 35.7-42.4 E, 32.3-37.3 N
    (so a share of them falls in Turkey, Iraq, Jordan, Lebanon or Israel and is
    outside every zone);
  - dates in 2016: mostly single days, some spans of days, weeks, a month or the
    whole year, as UCDP's date_prec 1-5 describe (date_end never after 2016-12-31);
  - where_prec uniform in 1-7 and type_of_violence uniform in 1-3;
  - side names drawn, weighted by how often UCDP uses them, from real UCDP GED
    Syria dyads of that type of violence (the names are public facts: the
    UCDP actor list; no data row is copied).

Usage: gen_events.py N [-o FILE] [--seed S]   (default: stdout, seed 2016)
The output is deterministic for a given N and seed.
"""

import argparse
import csv
import datetime
import random
import sys

HEADER = [
    "id", "year", "active_year", "type_of_violence", "conflict_new_id",
    "conflict_name", "dyad_new_id", "dyad_name", "side_a_new_id", "side_a",
    "side_b_new_id", "gwnob", "side_b", "number_of_sources", "source_article",
    "source_office", "source_date", "source_headline", "source_original",
    "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
    "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a",
    "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high",
]

# (side_a, side_b, conflict_name, side_a_new_id, side_b_new_id,
#  conflict_new_id, dyad_new_id, weight) by type_of_violence. Real UCDP names
# and ids; weight = events of that dyad in UCDP GED Syria 2016-2019.
DYADS = {
    1: [
        ("Government of Syria", "Syrian insurgents", "Syria: Government", 118, 4456, 299, 11973, 8723),
        ("Government of Syria", "IS", "Syria: Islamic State", 118, 234, 13604, 14620, 2522),
        ("Government of Turkey", "IS", "Turkey: Islamic State", 115, 234, 13902, 14701, 122),
        ("Government of Iraq", "IS", "Iraq: Government", 116, 234, 259, 524, 64),
        ("Government of Syria", "SDF", "Syria: Government/Rojava Kurdistan", 118, 6288, 13809, 14784, 32),
        ("Government of Iran", "Government of Israel", "Iran - Israel", 114, 121, 14609, 15633, 21),
        ("Government of Israel", "Government of Syria", "Israel - Syria", 121, 118, 302, 649, 10),
        ("Government of Israel", "Hezbollah", "Israel: Southern Lebanon", 121, 366, 426, 891, 6),
        ("Government of United States of America", "al-Qaida", "United States of America: Government", 3, 769, 418, 878, 3),
        ("Government of Jordan", "IS", "Jordan: Islamic State", 120, 234, 13886, 14741, 1),
        ("Government of Turkey", "PKK", "Turkey: Kurdistan", 115, 323, 354, 781, 1),
    ],
    2: [
        ("IS", "SDF", "IS - SDF", 234, 6288, 13616, 14637, 2736),
        ("SNA", "SDF", "SNA - SDF", 7514, 6288, 14803, 16135, 194),
        ("Hawar Kilis Operations Room", "IS", "Hawar Kilis Operations Room - IS", 6599, 234, 13832, 14943, 176),
        ("Hawar Kilis Operations Room", "SDF", "Hawar Kilis Operations Room - SDF", 6599, 6288, 13833, 14944, 154),
        ("National Front for Liberation, SNA", "SDF", "National Front for Liberation, SNA - SDF", 7523, 6288, 14808, 16141, 130),
        ("IS", "HTS", "IS - HTS", 234, 6815, 14097, 15241, 115),
        ("23rd Division, Ahrar al-Sham, Jaysh al Nasr, Jaysh al-Nukhba, Nour al-Din al-Zenki, Sham Legion, SNA", "SDF",
         "23rd Division, Ahrar al-Sham, Jaysh al Nasr, Jaysh al-Nukhba, Nour al-Din al-Zenki, Sham Legion, SNA - SDF",
         7520, 6288, 14807, 16140, 106),
        ("23rd Division, Jaysh al Nasr, Jaysh al-Nukhba, Sham Legion, SNA, Syrian Liberation Front", "SDF",
         "23rd Division, Jaysh al Nasr, Jaysh al-Nukhba, Sham Legion, SNA, Syrian Liberation Front - SDF",
         7524, 6288, 14809, 16142, 96),
        ("Ahrar al-Sham, HTS, Southern Front", "IS", "Ahrar al-Sham, HTS, Southern Front - IS", 7056, 234, 14324, 15542, 68),
        ("Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front", "IS", "Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front - IS",
         6532, 234, 13786, 14876, 65),
        ("Suqour al-Sham Brigades, Syrian Liberation Front", "HTS", "Suqour al-Sham Brigades, Syrian Liberation Front - HTS",
         7106, 6815, 14370, 15607, 57),
        ("Ahrar al-Sham", "HTS", "Ahrar al-Sham - HTS", 5554, 6815, 14095, 15239, 54),
    ],
    3: [
        ("IS", "Civilians", "IS - Civilians", 234, 1, 506, 973, 299),
        ("Syrian insurgents", "Civilians", "Syrian insurgents - Civilians", 4456, 1, 13299, 14200, 110),
        ("Government of Syria", "Civilians", "Government of Syria - Civilians", 118, 1, 711, 1178, 31),
        ("SDF", "Civilians", "SDF - Civilians", 6288, 1, 13720, 14773, 26),
        ("Government of Turkey", "Civilians", "Government of Turkey - Civilians", 115, 1, 710, 1177, 14),
        ("Government of Jordan", "Civilians", "Government of Jordan - Civilians", 120, 1, 713, 1180, 2),
    ],
}

WEST, EAST, SOUTH, NORTH = 35.7, 42.4, 32.3, 37.3
YEAR_START = datetime.date(2016, 1, 1)
YEAR_END = datetime.date(2016, 12, 31)
NDAYS = (YEAR_END - YEAR_START).days + 1  # 366: 2016 is a leap year


def event_dates(rng):
    """(date_prec, date_start, date_end) within 2016."""
    u = rng.random()
    d0 = YEAR_START + datetime.timedelta(days=rng.randrange(NDAYS))
    if u < 0.93:
        return 1, d0, d0
    if u < 0.97:
        prec, span = 2, rng.randint(1, 5)         # 2-6 days
    elif u < 0.985:
        prec, span = 3, rng.randint(7, 29)        # 8-30 days
    elif u < 0.995:                               # a calendar month
        d0 = d0.replace(day=1)
        nxt = (d0.replace(year=d0.year + 1, month=1) if d0.month == 12
               else d0.replace(month=d0.month + 1))
        return 4, d0, nxt - datetime.timedelta(days=1)
    else:                                         # the whole year
        return 5, YEAR_START, YEAR_END
    d1 = d0 + datetime.timedelta(days=span)
    if d1 > YEAR_END:
        d1 = YEAR_END
    return prec, d0, d1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of events")
    ap.add_argument("-o", "--output", help="output file (default: stdout)")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--first-id", type=int, default=10_000_001,
                    help="id of the first event (real UCDP ids are < 10^6)")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")
    rng = random.Random(args.seed)
    dyads = {t: [d[:7] for d in ds] for t, ds in DYADS.items()}
    weights = {t: [d[7] for d in ds] for t, ds in DYADS.items()}

    out = (open(args.output, "w", newline="", encoding="utf-8")
           if args.output else sys.stdout)
    try:
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(HEADER)
        rows = []
        for i in range(args.n):
            t = rng.randint(1, 3)
            a, b, conflict, aid, bid, cid, did = rng.choices(
                dyads[t], weights[t])[0]
            prec, d0, d1 = event_dates(rng)
            lat = round(rng.uniform(SOUTH, NORTH), 6)
            lon = round(rng.uniform(WEST, EAST), 6)
            wp = rng.randint(1, 7)
            da = rng.randint(0, 3)
            db = rng.randint(0, 3)
            dc = rng.randint(0, 2) if t != 2 else 0
            du = rng.randint(0, 1)
            best = da + db + dc + du
            low = max(best - rng.randint(0, 1), 0)
            high = best + rng.randint(0, 2)
            ds = d0.isoformat()
            headline = f"Synthetic event {i + 1} (benchmark data, not a real event)"
            # priogrid cell of the point (0.5 degree grid, row-major from -90, -180)
            pg = int((lat + 90) * 2) * 720 + int((lon + 180) * 2) + 1
            rows.append((
                args.first_id + i, 2016, 1, t, cid, conflict, did,
                f"{a} - {b}", aid, a, bid, "", b, 1,
                f'"synthetic,{ds},{headline}"', "synthetic", ds, headline,
                "synthetic", wp, f"synthetic place {i + 1}", "", "",
                f"{lat:.6f}", f"{lon:.6f}", f"POINT ({lon:.6f} {lat:.6f})", pg,
                "Syria", 652, "Middle East", 1, prec, ds, d1.isoformat(),
                da, db, dc, du, low, best, high))
            if len(rows) == 10_000:
                w.writerows(rows)
                rows.clear()
        w.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
