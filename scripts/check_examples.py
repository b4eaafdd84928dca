#!/usr/bin/env python3
"""Check the hand-written example data in examples/ and tests/data/.

Standard library only. Checks that every JSON, JSON Lines and GeoJSON file
parses; that every zone ring is closed, counter-clockwise (RFC 7946) and free
of self-intersections; that known places fall inside the zones that must hold
them; that every actor name used by the example events resolves; and, when
../shared/data is present, that every UCDP 2016-2017 side name resolves
through examples/actors.json. Exits 1 on the first class of failure found,
after printing everything it checked.

usage: scripts/check_examples.py [--verbose]
"""
import csv
import glob
import json
import math
import os
import re
import sys
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'data'))
VERBOSE = '--verbose' in sys.argv
failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL', msg)


# ---------------------------------------------------------------- geometry

def seg_dist(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def km_to_ring(p, ring):
    """Distance in km from p to the ring, local equirectangular projection."""
    kx = 111.32 * math.cos(math.radians(p[1]))
    ky = 110.57
    q = (p[0] * kx, p[1] * ky)
    return min(seg_dist(q, (ring[i][0] * kx, ring[i][1] * ky),
                        (ring[i + 1][0] * kx, ring[i + 1][1] * ky))
               for i in range(len(ring) - 1))


def inside(p, ring):
    x, y = p
    res = False
    for i in range(len(ring) - 1):
        (x1, y1), (x2, y2) = ring[i], ring[i + 1]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            res = not res
    return res


def signed_area(ring):
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
               for i in range(len(ring) - 1)) / 2.0


def _orient(a, b, c):
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return 0 if abs(v) < 1e-15 else (1 if v > 0 else -1)


def _on(a, b, c):
    return (min(a[0], b[0]) <= c[0] <= max(a[0], b[0])
            and min(a[1], b[1]) <= c[1] <= max(a[1], b[1]))


def crosses(p1, p2, p3, p4):
    o1, o2, o3, o4 = (_orient(p1, p2, p3), _orient(p1, p2, p4),
                      _orient(p3, p4, p1), _orient(p3, p4, p2))
    if o1 != o2 and o3 != o4:
        return True
    return ((o1 == 0 and _on(p1, p2, p3)) or (o2 == 0 and _on(p1, p2, p4))
            or (o3 == 0 and _on(p3, p4, p1)) or (o4 == 0 and _on(p3, p4, p2)))


def self_intersections(ring):
    n = len(ring) - 1
    bad = []
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue
            if crosses(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                bad.append((i, j))
    return bad


def rings_of(geometry):
    if geometry['type'] == 'Polygon':
        return [geometry['coordinates']]
    if geometry['type'] == 'MultiPolygon':
        return geometry['coordinates']
    raise ValueError('unexpected geometry type ' + geometry['type'])


def load_zone(path):
    """Return {feature name: [exterior ring, ...]} after checking every ring."""
    with open(path, encoding='utf-8') as f:
        fc = json.load(f)
    if fc.get('type') != 'FeatureCollection':
        fail('%s: not a FeatureCollection' % path)
    out = {}
    for k, feat in enumerate(fc['features']):
        name = feat.get('properties', {}).get('name')
        if not name:
            fail('%s: feature %d has no name' % (path, k))
        for poly in rings_of(feat['geometry']):
            for r, ring in enumerate(poly):
                ring = [tuple(p) for p in ring]
                what = '%s: %s ring %d' % (os.path.relpath(path, ROOT), name, r)
                if ring[0] != ring[-1]:
                    fail(what + ' is not closed')
                if len(ring) < 4:
                    fail(what + ' has fewer than 4 positions')
                a = signed_area(ring)
                if (r == 0 and a <= 0) or (r > 0 and a >= 0):
                    fail(what + ' has the wrong orientation (RFC 7946: exterior counter-clockwise)')
                si = self_intersections(ring)
                if si:
                    fail(what + ' self-intersects at segments %s' % si[:5])
                if any(not (-180 <= x <= 180 and -90 <= y <= 90) for x, y in ring):
                    fail(what + ' has a position outside lon/lat range')
                print('ok   %s: %d vertices, closed, ccw, simple' % (what, len(ring) - 1))
            out.setdefault(name, []).append([tuple(p) for p in poly[0]])
    return out


def in_zone(p, zone):
    return any(inside(p, ring) for rings in zone.values() for ring in rings)


def dist_zone(p, zone):
    return min(km_to_ring(p, ring) for rings in zone.values() for ring in rings)


# ---------------------------------------------------------------- actors

def norm(s):
    """DESIGN.md section 4: NFKC, case-fold, drop (...), non-alphanumeric runs -> one space."""
    s = unicodedata.normalize('NFKC', s).casefold()
    prev = None
    while prev != s:
        prev, s = s, re.sub(r'\([^()]*\)', ' ', s)
    out, gap = [], False
    for ch in s:
        if ch.isalnum():
            if gap and out:
                out.append(' ')
            out.append(ch)
            gap = False
        else:
            gap = True
    return ''.join(out)


def resolve(field, index):
    """Actor ids of a field: whole match, else comma/semicolon members."""
    n = norm(field)
    if not n:
        return []
    if n in index:
        return [index[n]]
    res = []
    for m in re.split(r'[,;]', field):
        nm = norm(m)
        if not nm:
            continue
        if nm == 'civilians':
            res.append('civilians')
        else:
            res.append(index.get(nm, 'unknown'))
    return res


# ---------------------------------------------------------------- main

def main():
    os.chdir(ROOT)
    # 1. every JSON / JSONL / GeoJSON parses
    for path in sorted(glob.glob('examples/**/*.json', recursive=True)
                       + glob.glob('examples/**/*.geojson', recursive=True)
                       + glob.glob('tests/data/*.json') + glob.glob('tests/data/*.geojson')):
        try:
            with open(path, encoding='utf-8') as f:
                json.load(f)
            print('ok   %s parses' % path)
        except ValueError as e:
            fail('%s: %s' % (path, e))
    for path in sorted(glob.glob('examples/**/*.jsonl', recursive=True) + glob.glob('tests/data/*.jsonl')):
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        json.loads(line)
                    except ValueError as e:
                        fail('%s:%d: %s' % (path, n, e))
        print('ok   %s parses' % path)

    # 2. zones
    zones = {os.path.basename(p)[:-8]: load_zone(p) for p in sorted(glob.glob('examples/zones/*.geojson'))}
    must = {
        'syria': {'Aleppo': (37.16117, 36.20124), 'Idlib': (36.63393, 35.93062), 'Damascus': (36.29128, 33.5102),
                  'Deir ez-Zor': (40.14084, 35.33588), 'Raqqa': (39.00788, 35.95283), 'Hasakah': (40.74772, 36.50237),
                  'Qamishli': (41.22, 37.05), 'Daraa': (36.10213, 32.61889), 'Latakia': (35.79011, 35.53168),
                  'Kobani/Ayn al-Arab': (38.35, 36.89), 'Manbij': (37.95495, 36.52815), 'Palmyra': (38.28402, 34.5624),
                  'Abu Kamal (al-Bukamal)': (40.92, 34.45), 'Jarabulus': (38.01, 36.82), 'Azaz': (37.05, 36.59),
                  'Tartus': (35.88659, 34.88902), 'Homs': (36.72339, 34.72682), 'Hama': (36.75783, 35.13179)},
        'aleppo-governorate': {'Aleppo': (37.1612, 36.2012), 'Azaz': (37.05, 36.59), 'Manbij': (37.95495, 36.52815),
                               'Jarabulus': (38.01, 36.82), 'Kobani': (38.35, 36.89), 'al-Bab': (37.5157, 36.37051),
                               'Afrin': (36.86954, 36.51194), 'Khan Touman': (37.051, 36.117)},
        'aleppo-city': {'Aleppo': (37.1612, 36.2012)},
        'eastern-ghouta': {'Douma': (36.4027, 33.5718), 'Harasta': (36.364, 33.558), 'Arbin': (36.3664, 33.5372),
                           'Zamalka': (36.352, 33.528), 'Kafr Batna': (36.372, 33.515), 'Deir al-Asafir': (36.425, 33.476)},
        'northern-latakia': {'Salma': (36.141, 35.687), 'Kabani': (36.233, 35.717), 'Rabia': (36.037, 35.785),
                             'Kinsabba': (36.164, 35.743)},
    }
    for zname, places in must.items():
        if zname not in zones:
            fail('zone file %s.geojson missing' % zname)
            continue
        for pname, p in places.items():
            ok = in_zone(p, zones[zname])
            line = '%-4s %s contains %s (%.4fN %.4fE): %s, %.1f km from the boundary' % (
                'ok' if ok else 'FAIL', zname, pname, p[1], p[0], 'inside' if ok else 'OUTSIDE', dist_zone(p, zones[zname]))
            print(line)
            if not ok:
                failures.append(line)
    for zname, pname, p in (('syria', 'Beirut (Lebanon)', (35.50, 33.89)),
                            ('syria', 'Nusaybin (Turkey)', (41.215, 37.075)),
                            ('eastern-ghouta', 'Damascus old city', (36.306, 33.511))):
        if in_zone(p, zones[zname]):
            fail('%s must not contain %s' % (zname, pname))
        else:
            print('ok   %s does not contain %s' % (zname, pname))

    # 3. actors
    with open('examples/actors.json', encoding='utf-8') as f:
        actors = json.load(f)['actors']
    index, kinds = {}, {}
    for a in actors:
        kinds[a['id']] = a['kind']
        for al in a['aliases']:
            n = norm(al)
            if n in index and index[n] != a['id']:
                fail('alias %r is claimed by %s and %s' % (al, index[n], a['id']))
            index[n] = a['id']
    for generic in ('Unidentified Armed Group (Syria)', 'Civilians (Syria)', 'Civilians', 'Protesters (Syria)'):
        if norm(generic) in index:
            fail('generic name %r must not be in the dictionary' % generic)
    print('ok   actors.json: %d actors, %d aliases' % (len(actors), sum(len(a['aliases']) for a in actors)))

    # 4. agreements refer to known actors and existing zone files
    agreements = []
    for path in sorted(glob.glob('examples/agreements-*.json')):
        with open(path, encoding='utf-8') as f:
            agreements += json.load(f)
    ids = {a['id'] for a in agreements}
    for ag in agreements:
        if ag.get('extends') and ag['extends'] not in ids:
            fail('%s extends unknown %s' % (ag['id'], ag['extends']))
        for z in ag['zones']:
            if 'file' in z and not os.path.exists(os.path.join('examples', z['file'])):
                fail('%s: zone file %s not found' % (ag['id'], z['file']))
        for side in ag.get('sides', []):
            for m in side['members']:
                aid = m if isinstance(m, str) else m['actor']
                if aid not in kinds:
                    fail('%s: side %s member %s is not in actors.json' % (ag['id'], side['id'], aid))
        for aid in ag.get('excluded', []):
            if aid not in kinds:
                fail('%s: excluded %s is not in actors.json' % (ag['id'], aid))
    print('ok   agreements: %d, sides and exclusions name known actors' % len(agreements))

    # 5. events: actors resolve, places inside Syria
    n_events = 0
    for path in sorted(glob.glob('examples/events/*.jsonl')):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if not line.strip():
                    continue
                e = json.loads(line)
                n_events += 1
                for k in ('actor1', 'actor2'):
                    res = resolve(e.get(k, ''), index)
                    if VERBOSE:
                        print('     %s %s %r -> %s' % (e['id'], k, e.get(k, ''), res))
                if not in_zone((e['lon'], e['lat']), zones['syria']):
                    fail('%s lies outside syria.geojson' % e['id'])
    print('ok   %d example events checked' % n_events)

    # 6. UCDP names (needs ../shared/data)
    ged = os.path.join(SHARED, 'ucdp-ged-syria', 'ged_syria_2016_2019.csv')
    if not os.path.exists(ged):
        print('skip UCDP coverage: %s not present' % ged)
    else:
        names, members = set(), set()
        with open(ged, encoding='utf-8') as f:
            for r in csv.DictReader(f):
                if r['year'] in ('2016', '2017'):
                    for s in (r['side_a'], r['side_b']):
                        names.add(s)
                        members.update(m.strip() for m in re.split(r'[,;]', s) if m.strip())
        members.discard('Civilians')
        missing = sorted(m for m in members if norm(m) not in index)
        unresolved = sorted(n for n in names if 'unknown' in resolve(n, index))
        print('%-4s UCDP 2016-2017: %d side names, %d distinct members (Civilians excluded), %d covered' % (
            'ok' if not missing else 'FAIL', len(names), len(members), len(members) - len(missing)))
        if missing or unresolved:
            fail('UCDP names not covered: %s %s' % (missing, unresolved))

    print('check_examples: %s' % ('all checks passed' if not failures else '%d problem(s)' % len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
