/*
 * link.c - one incident, many reports (DESIGN section 15): which events
 * report one occurrence.
 *
 * Two events may be one incident when their intervals overlap or lie
 * within a day of each other, their points are at most r1 + r2 + 2 km
 * apart (an unknown radius never links), their categories are equal (or
 * one is armed_violence and the other a violent category), their known
 * actors share one (or one names no known actor), and they do not both
 * come from one curated data set (ACLED, UCDP, any data set but the
 * reports of news, field monitors and GDELT: deduplicated by their
 * makers). Events are taken from the most precise to the least (radius,
 * then interval, then start, then id); each joins the incident whose
 * representative it matches, the nearest first (then the smallest time
 * gap), unless a member already comes from its curated data set, or
 * starts one. The representative is the most precise member (radius,
 * interval, curated first).
 *
 * Candidates come from a hash of the representatives by grid cell (half
 * a degree) and week (or quarter, for long intervals) of their start,
 * never from a scan of every event: a linking is O(n log n) for the sort
 * and about O(n) after it.
 */
#include "truce_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define CELL_DEG 0.5
#define CELLS_AROUND 720 /* cells of CELL_DEG around a parallel */
#define WEEK (7 * 86400LL)
#define GAP (86400LL)    /* intervals within a day of each other */
#define SLACK_KM 2.0

/* The incident's curated data sets kept with it; beyond, its members
 * are looked at. */
#define CURATED_KEPT 4

struct item {
    const struct truce_event *ev;
    size_t index;           /* in the caller's array */
    uint64_t curated;       /* its curated data set (a hash), or 0 */
    long actors[4];         /* known actor ids (dictionary indexes) */
    size_t n_actors;
    size_t next;            /* the next member of its incident, SIZE_MAX */
    size_t incident;
    bool split;             /* named by an analyst's split */
};

struct incident {
    size_t rep;             /* item of its representative */
    uint64_t curated[CURATED_KEPT]; /* its members' curated data sets */
    unsigned n_curated;     /* in curated; more than CURATED_KEPT: see
                               the members */
    size_t seen;            /* the last item that looked at it */
    size_t first;           /* its first member (a chain through next) */
    size_t merged;          /* union-find of analysts' merges */
};

struct slot {
    int64_t key;
    size_t *list;           /* incidents */
    size_t n, cap;
    bool used;
};

struct grid {
    struct slot *slots;
    size_t cap, used;
};

/* The data set an event comes from, when it is a curated one: every
 * source but the reports that are not deduplicated (news, field
 * monitors, GDELT) and events of no source. */
static uint64_t
curated_of(const char *source)
{
    static const char *const reports[] = {"news", "field", "gdelt"};
    if (!source || !*source)
        return 0;
    for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
        if (!strcmp(source, reports[i]))
            return 0;
    return truce__hash(source, strlen(source), 0) | 1;
}

static int64_t
length_of(const struct truce_event *e)
{
    return e->t1 - e->t0;
}

/* The order of precision: radius, interval, start, id (unknown radii
 * last). */
static int
by_precision(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    const struct truce_event *x = a->ev, *y = b->ev;
    bool ux = x->radius_km < 0, uy = y->radius_km < 0;
    if (ux != uy)
        return ux ? 1 : -1;
    if (x->radius_km != y->radius_km)
        return x->radius_km < y->radius_km ? -1 : 1;
    if (length_of(x) != length_of(y))
        return length_of(x) < length_of(y) ? -1 : 1;
    if (x->t0 != y->t0)
        return x->t0 < y->t0 ? -1 : 1;
    return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

/* Is a a better representative than b: smaller radius, shorter
 * interval, curated first? */
static bool
better_rep(const struct item *a, const struct item *b)
{
    /* an unknown radius (an analyst's merge may bring one) comes last */
    if ((a->ev->radius_km < 0) != (b->ev->radius_km < 0))
        return b->ev->radius_km < 0;
    if (a->ev->radius_km != b->ev->radius_km)
        return a->ev->radius_km < b->ev->radius_km;
    if (length_of(a->ev) != length_of(b->ev))
        return length_of(a->ev) < length_of(b->ev);
    return a->curated && !b->curated;
}

double
truce__lon_span(double lat, double km)
{
    /* from the haversine: sin(dlon / 2) <= sin(d / 2R) / cos(the highest
     * latitude within reach); a degree of latitude is at least 110 km */
    double top = fabs(lat) + km / 110.0, s;
    if (top >= 90)
        return 360;
    s = sin(fmin(km / (2 * 6371.0), M_PI / 2)) / cos(top * M_PI / 180);
    return s >= 1 ? 360 : 2 * asin(s) * 180 / M_PI * 1.001 + 1e-6;
}

double
truce__km_between(double lat1, double lon1, double lat2, double lon2)
{
    double p = M_PI / 180, a = sin((lat2 - lat1) * p / 2),
           b = sin((lon2 - lon1) * p / 2);
    double h = a * a + cos(lat1 * p) * cos(lat2 * p) * b * b;
    return 2 * 6371.0088 * asin(sqrt(h > 1 ? 1 : h));
}

static int64_t
time_gap(const struct truce_event *a, const struct truce_event *b)
{
    int64_t lo = a->t0 > b->t0 ? a->t0 : b->t0,
            hi = a->t1 < b->t1 ? a->t1 : b->t1;
    return lo > hi ? lo - hi : 0;
}

static bool
violent(enum truce_category c)
{
    return c == TRUCE_CAT_BATTLE || c == TRUCE_CAT_REMOTE_VIOLENCE ||
           c == TRUCE_CAT_VAC;
}

static bool
categories_meet(enum truce_category a, enum truce_category b)
{
    return a == b || (a == TRUCE_CAT_ARMED_VIOLENCE && violent(b)) ||
           (b == TRUCE_CAT_ARMED_VIOLENCE && violent(a));
}

static bool
actors_meet(const struct item *a, const struct item *b)
{
    if (!a->n_actors || !b->n_actors)
        return true;
    for (size_t i = 0; i < a->n_actors; i++)
        for (size_t j = 0; j < b->n_actors; j++)
            if (a->actors[i] == b->actors[j])
                return true;
    return false;
}

/* Do the two events meet the rule (all but the curated sets)? Their
 * distance in *km. */
static bool
meet(const struct item *a, const struct item *b, double *km)
{
    const struct truce_event *x = a->ev, *y = b->ev;
    if (x->radius_km < 0 || y->radius_km < 0 ||
        !categories_meet(x->category, y->category) ||
        time_gap(x, y) > GAP || !actors_meet(a, b))
        return false;
    *km = truce__km_between(x->lat, x->lon, y->lat, y->lon);
    return *km <= x->radius_km + y->radius_km + SLACK_KM;
}

static void
known_actors(struct item *it, const struct truce_actors *actors)
{
    struct truce_actor_ref refs[TRUCE_MAX_FIELD_ACTORS];
    const char *fields[2] = {it->ev->actor1, it->ev->actor2};
    it->n_actors = 0;
    for (int f = 0; f < 2 && actors; f++) {
        size_t k = truce__actors_resolve(actors, fields[f], refs,
                                         TRUCE_MAX_FIELD_ACTORS);
        for (size_t i = 0; i < k; i++) {
            bool seen = false;
            if (refs[i].actor < 0)
                continue; /* unknown, or civilians: no actor of its own */
            for (size_t j = 0; j < it->n_actors; j++)
                seen |= it->actors[j] == refs[i].actor;
            if (!seen && it->n_actors < sizeof(it->actors) / sizeof(it->actors[0]))
                it->actors[it->n_actors++] = refs[i].actor;
        }
    }
}

/* ---------------------------------------------------------------- grid */

static int64_t
grid_key(long cy, long cx, int64_t week)
{
    return ((int64_t)(cy & 0x3ff) << 50) | ((int64_t)(cx & 0x7ff) << 39) |
           (week & 0x7fffffffffLL);
}

static uint64_t
mix(int64_t k)
{
    uint64_t x = (uint64_t)k;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static struct slot *
grid_find(struct grid *g, int64_t key, bool add)
{
    size_t i;
    if (add && (g->used + 1) * 2 > g->cap) {
        struct grid bigger = {truce__calloc(g->cap ? g->cap * 2 : 1024,
                                            sizeof(struct slot)),
                              g->cap ? g->cap * 2 : 1024, 0};
        if (!bigger.slots)
            return NULL;
        for (size_t k = 0; k < g->cap; k++) {
            if (!g->slots[k].used)
                continue;
            i = mix(g->slots[k].key) & (bigger.cap - 1);
            while (bigger.slots[i].used)
                i = (i + 1) & (bigger.cap - 1);
            bigger.slots[i] = g->slots[k];
            bigger.used++;
        }
        truce__free(g->slots);
        *g = bigger;
    }
    if (!g->cap)
        return NULL;
    i = mix(key) & (g->cap - 1);
    while (g->slots[i].used) {
        if (g->slots[i].key == key)
            return &g->slots[i];
        i = (i + 1) & (g->cap - 1);
    }
    if (!add)
        return NULL;
    g->slots[i].used = true;
    g->slots[i].key = key;
    g->used++;
    return &g->slots[i];
}

static long
cell(double deg)
{
    return (long)floor(deg / CELL_DEG);
}

/* A column of cells brought into [-CELLS_AROUND/2, CELLS_AROUND/2): the
 * same column on the other side of the antimeridian. */
static long
wrap_cell(long x)
{
    return ((x + CELLS_AROUND / 2) % CELLS_AROUND + CELLS_AROUND) %
               CELLS_AROUND - CELLS_AROUND / 2;
}

/* The cell of a longitude (180 is -180). */
static long
lon_cell(double lon)
{
    return wrap_cell(cell(lon));
}

static int64_t
bucket_of(int64_t t, int64_t span)
{
    return t >= 0 ? t / span : -((-t + span - 1) / span);
}

static bool
grid_add(struct grid *g, const struct truce_event *rep, int64_t span,
         size_t incident)
{
    struct slot *s = grid_find(g, grid_key(cell(rep->lat), lon_cell(rep->lon),
                                           bucket_of(rep->t0, span)),
                               true);
    if (!s)
        return false;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        size_t *l = truce__realloc(s->list, cap * sizeof(*l));
        if (!l)
            return false;
        s->list = l;
        s->cap = cap;
    }
    s->list[s->n++] = incident;
    return true;
}

static void
grid_free(struct grid *g)
{
    for (size_t i = 0; i < g->cap; i++)
        truce__free(g->slots[i].list);
    truce__free(g->slots);
}

/* ---------------------------------------------------------------- link */

/* Representatives by the length of their interval: up to two weeks in a
 * grid of weeks, up to two years in one of quarters, the rest (few) in a
 * list scanned for every event; so that a long one does not make every
 * event look back as far as it reaches. */
#define SHORT_INTERVAL (14 * 86400LL)
#define LONG_INTERVAL (731 * 86400LL)
#define QUARTER (91 * 86400LL)

struct tier {
    struct grid grid;
    int64_t bucket;        /* seconds a time bucket spans */
    int64_t longest;       /* the longest representative interval in it */
};

struct linker {
    struct item *items;
    struct incident *inc;
    size_t n_inc;
    struct tier tiers[2];  /* weeks, quarters */
    size_t *wide;          /* incidents with a longer representative */
    size_t n_wide, cap_wide;
    size_t (*splits)[2];   /* item pairs kept apart, lower first, sorted */
    size_t n_splits;
};

static int
by_pair(const void *pa, const void *pb)
{
    const size_t *a = pa, *b = pb;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Does an analyst keep items x and y apart? */
static bool
kept_apart(const struct linker *l, size_t x, size_t y)
{
    size_t key[2] = {x < y ? x : y, x < y ? y : x};
    return l->n_splits &&
           bsearch(key, l->splits, l->n_splits, sizeof(*l->splits), by_pair);
}

/* Does incident k hold a member an analyst keeps apart from item e? */
static bool
split_from(const struct linker *l, size_t e, size_t k)
{
    if (!l->items[e].split)
        return false;
    for (size_t m = l->inc[k].first; m != SIZE_MAX; m = l->items[m].next)
        if (l->items[m].split && kept_apart(l, e, m))
            return true;
    return false;
}

/* Does a member of incident k come from the curated data set c? */
static bool
holds_curated(const struct linker *l, size_t k, uint64_t c)
{
    const struct incident *in = &l->inc[k];
    if (!c)
        return false;
    for (unsigned i = 0; i < in->n_curated && i < CURATED_KEPT; i++)
        if (in->curated[i] == c)
            return true;
    if (in->n_curated <= CURATED_KEPT)
        return false;
    for (size_t m = in->first; m != SIZE_MAX; m = l->items[m].next)
        if (l->items[m].curated == c)
            return true;
    return false;
}

static void
add_curated(struct incident *in, uint64_t c)
{
    if (!c)
        return;
    for (unsigned i = 0; i < in->n_curated && i < CURATED_KEPT; i++)
        if (in->curated[i] == c)
            return;
    if (in->n_curated < CURATED_KEPT)
        in->curated[in->n_curated] = c;
    if (in->n_curated <= CURATED_KEPT)
        in->n_curated++;
}

/* Incident k for event e: kept in *best when e meets its representative
 * nearer (or as near and sooner) than the best so far. */
static void
consider(struct linker *l, size_t e, size_t k, size_t *best, double *best_km,
         int64_t *best_gap)
{
    struct incident *in = &l->inc[k];
    double km;
    int64_t gap;
    if (in->seen == e + 1)
        return;
    in->seen = e + 1;
    if (holds_curated(l, k, l->items[e].curated) ||
        !meet(&l->items[e], &l->items[in->rep], &km) || split_from(l, e, k))
        return;
    gap = time_gap(l->items[e].ev, l->items[in->rep].ev);
    /* nearest, then soonest, then the more precise representative: an
     * order of the candidates alone, so that no event elsewhere (nor the
     * order the grid is walked in) decides a tie */
    if (*best == SIZE_MAX || km < *best_km ||
        (km == *best_km &&
         (gap < *best_gap ||
          (gap == *best_gap && in->rep < l->inc[*best].rep)))) {
        *best = k;
        *best_km = km;
        *best_gap = gap;
    }
}

/* Files incident k under its representative rep: in the grid, or among
 * the wide ones when its interval is long. */
static bool
file_incident(struct linker *l, const struct truce_event *rep, size_t k)
{
    struct tier *tr = &l->tiers[length_of(rep) > SHORT_INTERVAL];
    if (length_of(rep) > LONG_INTERVAL) {
        if (l->n_wide == l->cap_wide) {
            size_t cap = l->cap_wide ? 2 * l->cap_wide : 64;
            size_t *w = truce__realloc(l->wide, cap * sizeof(*w));
            if (!w)
                return false;
            l->wide = w;
            l->cap_wide = cap;
        }
        l->wide[l->n_wide++] = k;
        return true;
    }
    if (length_of(rep) > tr->longest)
        tr->longest = length_of(rep);
    return grid_add(&tr->grid, rep, tr->bucket, k);
}

/* The incident e joins: the representatives it meets, nearest first,
 * then the smallest time gap; SIZE_MAX when none. */
static size_t
best_incident(struct linker *l, size_t e)
{
    const struct truce_event *ev = l->items[e].ev;
    /* representatives are at least as precise: within 2r + 2 km */
    double reach = 2 * ev->radius_km + SLACK_KM,
           dlat = reach / 110.0 + CELL_DEG,
           dlon = truce__lon_span(ev->lat, reach) + CELL_DEG;
    long y0 = cell(ev->lat - dlat), y1 = cell(ev->lat + dlat),
         x0 = cell(ev->lon - dlon), x1 = cell(ev->lon + dlon);
    size_t best = SIZE_MAX;
    double best_km = 0;
    int64_t best_gap = 0;
    if (x1 - x0 + 1 >= CELLS_AROUND)
        x0 = -CELLS_AROUND / 2, x1 = CELLS_AROUND / 2 - 1;
    for (int t = 0; t < 2; t++) {
        struct tier *tr = &l->tiers[t];
        int64_t w0 = bucket_of(ev->t0 - GAP - tr->longest, tr->bucket),
                w1 = bucket_of(ev->t1 + GAP, tr->bucket);
        if (!tr->grid.used)
            continue;
        for (long y = y0; y <= y1; y++)
            for (long x = x0; x <= x1; x++)
                for (int64_t w = w0; w <= w1; w++) {
                    /* across the antimeridian, the cells of the other side */
                    struct slot *s = grid_find(
                        &tr->grid, grid_key(y, wrap_cell(x), w), false);
                    for (size_t k = 0; s && k < s->n; k++)
                        consider(l, e, s->list[k], &best, &best_km,
                                 &best_gap);
                }
    }
    for (size_t k = 0; k < l->n_wide; k++)
        consider(l, e, l->wide[k], &best, &best_km, &best_gap);
    return best;
}

/* ------------------------------------------------- analysts' rules */

static int
by_id(const void *pa, const void *pb, void *ud)
{
    const struct item *items = ud;
    const char *a = items[*(const size_t *)pa].ev->id,
               *b = items[*(const size_t *)pb].ev->id;
    return strcmp(a ? a : "", b ? b : "");
}

/* The item of the event with this id, SIZE_MAX when there is none. */
static size_t
item_of(const struct item *items, const size_t *sorted, size_t n,
        const char *id)
{
    size_t lo = 0, hi = n;
    while (id && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = items[sorted[mid]].ev->id;
        int c = strcmp(m ? m : "", id);
        if (!c)
            return sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* The splits as sorted item pairs (and their items marked), the merges'
 * items in merges[2k], merges[2k+1] (SIZE_MAX where the event is not
 * among these). */
static truce_status
rules_to_items(struct linker *l, size_t n, const struct truce_link_rule *rules,
               size_t n_rules, size_t *merges)
{
    size_t *sorted = truce__calloc(n, sizeof(*sorted));
    if (!sorted)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < n; i++)
        sorted[i] = i;
    qsort_r(sorted, n, sizeof(*sorted), by_id, l->items);
    l->splits = truce__calloc(n_rules ? n_rules : 1, sizeof(*l->splits));
    if (!l->splits) {
        truce__free(sorted);
        return TRUCE_ENOMEM;
    }
    for (size_t r = 0; r < n_rules; r++) {
        size_t a = item_of(l->items, sorted, n, rules[r].a),
               b = item_of(l->items, sorted, n, rules[r].b);
        merges[2 * r] = merges[2 * r + 1] = SIZE_MAX;
        if (a == SIZE_MAX || b == SIZE_MAX || a == b)
            continue;
        if (rules[r].kind == TRUCE_LINK_MERGE) {
            merges[2 * r] = a;
            merges[2 * r + 1] = b;
            continue;
        }
        l->splits[l->n_splits][0] = a < b ? a : b;
        l->splits[l->n_splits][1] = a < b ? b : a;
        l->n_splits++;
        l->items[a].split = l->items[b].split = true;
    }
    qsort(l->splits, l->n_splits, sizeof(*l->splits), by_pair);
    truce__free(sorted);
    return TRUCE_OK;
}

static size_t
root_of(struct incident *inc, size_t k)
{
    while (inc[k].merged != k) {
        inc[k].merged = inc[inc[k].merged].merged;
        k = inc[k].merged;
    }
    return k;
}

/* Would joining merged incidents a and b put two events an analyst split
 * together? (A split made after a merge holds against it.) */
static bool
merge_splits(struct linker *l, size_t a, size_t b)
{
    for (size_t i = 0; i < l->n_splits; i++) {
        size_t x = root_of(l->inc, l->items[l->splits[i][0]].incident),
               y = root_of(l->inc, l->items[l->splits[i][1]].incident);
        if ((x == a && y == b) || (x == b && y == a))
            return true;
    }
    return false;
}

/* Is item a a better representative than item b, both of one incident:
 * radius, interval, a curated source first, then the order of precision
 * (the items' order)? The representative the linking keeps as members
 * join, and the one of incidents an analyst merged. */
static bool
better_member(const struct linker *l, size_t a, size_t b)
{
    const struct item *x = &l->items[a], *y = &l->items[b];
    if (x->ev->radius_km != y->ev->radius_km ||
        length_of(x->ev) != length_of(y->ev) ||
        !x->curated != !y->curated)
        return better_rep(x, y);
    return a < b;
}

/* ---------------------------------------------------------------- all */

static truce_status
link_all(struct linker *l, size_t n)
{
    for (size_t e = 0; e < n; e++) {
        struct item *it = &l->items[e];
        size_t k = it->ev->radius_km < 0 ? SIZE_MAX : best_incident(l, e);
        if (k == SIZE_MAX) {
            k = l->n_inc++;
            l->inc[k].rep = e;
            l->inc[k].n_curated = 0;
            l->inc[k].first = SIZE_MAX;
            l->inc[k].merged = k;
            if (it->ev->radius_km >= 0 && !file_incident(l, it->ev, k))
                return TRUCE_ENOMEM;
        } else if (better_rep(it, &l->items[l->inc[k].rep])) {
            /* found again under its new representative's cell and week */
            l->inc[k].rep = e;
            if (!file_incident(l, it->ev, k))
                return TRUCE_ENOMEM;
        }
        add_curated(&l->inc[k], it->curated);
        it->incident = k;
        it->next = l->inc[k].first;
        l->inc[k].first = e;
    }
    return TRUCE_OK;
}

truce_status
truce_link_events_ruled(struct truce_ctx *ctx,
                        const struct truce_event *events, size_t n,
                        const struct truce_actors *actors,
                        const struct truce_link_rule *rules, size_t n_rules,
                        size_t *rep, size_t *n_incidents)
{
    struct linker l = {0};
    size_t *merges = NULL;
    truce_status rc = TRUCE_OK;
    l.tiers[0].bucket = WEEK;
    l.tiers[1].bucket = QUARTER;
    truce__clear(ctx);
    *n_incidents = 0;
    if (!n)
        return TRUCE_OK;
    l.items = truce__calloc(n, sizeof(*l.items));
    l.inc = truce__calloc(n, sizeof(*l.inc));
    merges = truce__calloc(2 * n_rules + 1, sizeof(*merges));
    size_t joined = 0; /* incidents merged into others */
    if (!l.items || !l.inc || !merges) {
        rc = TRUCE_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        l.items[i].ev = &events[i];
        l.items[i].index = i;
        l.items[i].curated = curated_of(events[i].source);
        known_actors(&l.items[i], actors);
    }
    qsort(l.items, n, sizeof(*l.items), by_precision);
    if ((rc = rules_to_items(&l, n, rules, n_rules, merges)) ||
        (rc = link_all(&l, n)))
        goto out;
    /* an analyst's merges join whole incidents; each incident's
     * representative is then its best member */
    for (size_t r = 0; r < n_rules; r++) {
        size_t a, b;
        if (merges[2 * r] == SIZE_MAX)
            continue;
        a = root_of(l.inc, l.items[merges[2 * r]].incident);
        b = root_of(l.inc, l.items[merges[2 * r + 1]].incident);
        if (a != b && !merge_splits(&l, a, b)) {
            l.inc[b].merged = a;
            joined++;
        }
    }
    for (size_t k = 0; k < l.n_inc; k++)
        l.inc[k].rep = SIZE_MAX;
    for (size_t e = 0; e < n; e++) {
        size_t k = root_of(l.inc, l.items[e].incident);
        if (l.inc[k].rep == SIZE_MAX || better_member(&l, e, l.inc[k].rep))
            l.inc[k].rep = e;
    }
    for (size_t e = 0; e < n; e++)
        rep[l.items[e].index] =
            l.items[l.inc[root_of(l.inc, l.items[e].incident)].rep].index;
    *n_incidents = l.n_inc - joined;
out:
    if (rc == TRUCE_ENOMEM)
        truce__err(ctx, rc, "out of memory");
    grid_free(&l.tiers[0].grid);
    grid_free(&l.tiers[1].grid);
    truce__free(l.wide);
    truce__free(l.items);
    truce__free(l.inc);
    truce__free(l.splits);
    truce__free(merges);
    return rc;
}

truce_status
truce_link_events(struct truce_ctx *ctx, const struct truce_event *events,
                  size_t n, const struct truce_actors *actors, size_t *rep,
                  size_t *n_incidents)
{
    return truce_link_events_ruled(ctx, events, n, actors, NULL, 0, rep,
                                   n_incidents);
}

/* --------------------------------------------------------- why linked */

static bool
copy_str(char **dst, const char *src)
{
    *dst = src ? truce__strdup(src) : NULL;
    return !src || *dst;
}

bool
truce__event_copy_for_link(struct truce_event *dst,
                           const struct truce_event *src)
{
    if (!copy_str(&dst->id, src->id) || !copy_str(&dst->source, src->source) ||
        !copy_str(&dst->actor1, src->actor1) ||
        !copy_str(&dst->actor2, src->actor2)) {
        truce_event_release(dst);
        return false;
    }
    dst->t0 = src->t0;
    dst->t1 = src->t1;
    dst->time_kind = src->time_kind;
    dst->lat = src->lat;
    dst->lon = src->lon;
    dst->radius_km = src->radius_km;
    dst->category = src->category;
    dst->fatalities = src->fatalities;
    return true;
}

bool
truce__link_may_meet(const struct truce_event *a, const struct truce_event *b,
                     const struct truce_actors *actors)
{
    uint64_t ca = curated_of(a->source);
    /* the cheap parts first, the actors (resolved by name) last */
    if (a->radius_km < 0 || b->radius_km < 0 ||
        !categories_meet(a->category, b->category) ||
        time_gap(a, b) > GAP ||
        truce__km_between(a->lat, a->lon, b->lat, b->lon) >
            a->radius_km + b->radius_km + SLACK_KM ||
        (ca && a->source && b->source && !strcmp(a->source, b->source)))
        return false;
    return truce_link_pair(a, b, actors, NULL);
}

bool
truce_link_pair(const struct truce_event *a, const struct truce_event *b,
                const struct truce_actors *actors, struct truce_link_why *why)
{
    struct item x = {.ev = a, .curated = curated_of(a->source)},
                y = {.ev = b, .curated = curated_of(b->source)};
    struct truce_link_why w = {.shared_actor = -1, .reach_km = -1};
    known_actors(&x, actors);
    known_actors(&y, actors);
    w.gap = time_gap(a, b);
    w.time_ok = w.gap <= GAP;
    w.km = truce__km_between(a->lat, a->lon, b->lat, b->lon);
    if (a->radius_km >= 0 && b->radius_km >= 0)
        w.reach_km = a->radius_km + b->radius_km + SLACK_KM;
    w.place_ok = w.reach_km >= 0 && w.km <= w.reach_km;
    w.categories_ok = categories_meet(a->category, b->category);
    w.actors_ok = actors_meet(&x, &y);
    for (size_t i = 0; i < x.n_actors && w.shared_actor < 0; i++)
        for (size_t j = 0; j < y.n_actors; j++)
            if (x.actors[i] == y.actors[j])
                w.shared_actor = x.actors[i];
    w.sources_ok = !x.curated || !a->source || !b->source ||
                   strcmp(a->source, b->source);
    w.meets = w.time_ok && w.place_ok && w.categories_ok && w.actors_ok &&
              w.sources_ok;
    if (why)
        *why = w;
    return w.meets;
}

truce_status
truce_link_describe(struct truce_ctx *ctx, const struct truce_event *a,
                    const struct truce_event *b,
                    const struct truce_actors *actors, struct truce_buf *out)
{
    struct truce_link_why w;
    bool ok = true;
    truce__clear(ctx);
    truce_link_pair(a, b, actors, &w);
    if (w.gap == 0)
        ok &= !truce_buf_adds(out, "the times overlap");
    else
        ok &= !truce_buf_addf(out, "%.1f h apart%s", (double)w.gap / 3600,
                              w.time_ok ? " (within a day)"
                                        : " (more than a day)");
    if (w.reach_km < 0)
        ok &= !truce_buf_addf(out, ", %.1f km apart (a radius unknown)",
                              w.km);
    else
        ok &= !truce_buf_addf(out, ", %.1f km apart, %s %g + %g + %g km",
                              w.km, w.place_ok ? "within" : "beyond",
                              a->radius_km, b->radius_km, SLACK_KM);
    if (a->category == b->category)
        ok &= !truce_buf_addf(out, ", both %s",
                              truce_category_name(a->category));
    else
        ok &= !truce_buf_addf(out, ", %s and %s%s",
                              truce_category_name(a->category),
                              truce_category_name(b->category),
                              w.categories_ok ? "" : " (categories apart)");
    if (w.shared_actor >= 0)
        ok &= !truce_buf_addf(out, ", both name %s",
                              truce_actors_name(actors, w.shared_actor));
    else if (w.actors_ok)
        ok &= !truce_buf_adds(out, ", one names no known actor");
    else
        ok &= !truce_buf_adds(out, ", no known actor in common");
    if (!w.sources_ok)
        ok &= !truce_buf_addf(out, ", both from %s (deduplicated by its "
                              "makers)", a->source);
    return ok ? TRUCE_OK : truce__err(ctx, TRUCE_ENOMEM, "out of memory");
}
