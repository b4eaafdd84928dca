/*
 * link.c - one incident, many reports (DESIGN section 15): which events
 * report one occurrence.
 *
 * Two events may be one incident when their intervals overlap or lie
 * within a day of each other, their points are at most r1 + r2 + 2 km
 * apart (an unknown radius never links), their categories are equal (or
 * one is armed_violence and the other a violent category), their known
 * actors share one (or one names no known actor), and they do not both
 * come from one curated data set (ACLED, UCDP: deduplicated by their
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
#define WEEK (7 * 86400LL)
#define GAP (86400LL)    /* intervals within a day of each other */
#define SLACK_KM 2.0

/* The curated data sets, one bit each. */
enum { CURATED_ACLED = 1, CURATED_UCDP = 2 };

struct item {
    const struct truce_event *ev;
    size_t index;           /* in the caller's array */
    unsigned curated;       /* a bit of the above, or 0 */
    long actors[4];         /* known actor ids (dictionary indexes) */
    size_t n_actors;
};

struct incident {
    size_t rep;             /* item of its representative */
    unsigned curated;       /* the curated data sets of its members */
    size_t seen;            /* the last item that looked at it */
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

static unsigned
curated_of(const char *source)
{
    if (!source)
        return 0;
    if (!strcmp(source, "acled"))
        return CURATED_ACLED;
    if (!strcmp(source, "ucdp"))
        return CURATED_UCDP;
    return 0;
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
    if (a->ev->radius_km != b->ev->radius_km)
        return a->ev->radius_km < b->ev->radius_km;
    if (length_of(a->ev) != length_of(b->ev))
        return length_of(a->ev) < length_of(b->ev);
    return a->curated && !b->curated;
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

static int64_t
bucket_of(int64_t t, int64_t span)
{
    return t >= 0 ? t / span : -((-t + span - 1) / span);
}

static bool
grid_add(struct grid *g, const struct truce_event *rep, int64_t span,
         size_t incident)
{
    struct slot *s = grid_find(g, grid_key(cell(rep->lat), cell(rep->lon),
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
};

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
    if ((in->curated & l->items[e].curated) ||
        !meet(&l->items[e], &l->items[in->rep], &km))
        return;
    gap = time_gap(l->items[e].ev, l->items[in->rep].ev);
    if (*best == SIZE_MAX || km < *best_km || (km == *best_km && gap < *best_gap)) {
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
           dlat = reach / 111.0 + CELL_DEG,
           dlon = reach / (111.0 * fmax(cos(ev->lat * M_PI / 180), 0.01)) +
                  CELL_DEG;
    long y0 = cell(ev->lat - dlat), y1 = cell(ev->lat + dlat),
         x0 = cell(ev->lon - dlon), x1 = cell(ev->lon + dlon);
    size_t best = SIZE_MAX;
    double best_km = 0;
    int64_t best_gap = 0;
    if (x1 - x0 > 720)
        x0 = -360, x1 = 360;
    for (int t = 0; t < 2; t++) {
        struct tier *tr = &l->tiers[t];
        int64_t w0 = bucket_of(ev->t0 - GAP - tr->longest, tr->bucket),
                w1 = bucket_of(ev->t1 + GAP, tr->bucket);
        if (!tr->grid.used)
            continue;
        for (long y = y0; y <= y1; y++)
            for (long x = x0; x <= x1; x++)
                for (int64_t w = w0; w <= w1; w++) {
                    struct slot *s = grid_find(&tr->grid, grid_key(y, x, w),
                                               false);
                    for (size_t k = 0; s && k < s->n; k++)
                        consider(l, e, s->list[k], &best, &best_km,
                                 &best_gap);
                }
    }
    for (size_t k = 0; k < l->n_wide; k++)
        consider(l, e, l->wide[k], &best, &best_km, &best_gap);
    return best;
}

truce_status
truce_link_events(struct truce_ctx *ctx, const struct truce_event *events,
                  size_t n, const struct truce_actors *actors, size_t *rep,
                  size_t *n_incidents)
{
    struct linker l = {0};
    truce_status rc = TRUCE_OK;
    l.tiers[0].bucket = WEEK;
    l.tiers[1].bucket = QUARTER;
    truce__clear(ctx);
    *n_incidents = 0;
    if (!n)
        return TRUCE_OK;
    l.items = truce__calloc(n, sizeof(*l.items));
    l.inc = truce__calloc(n, sizeof(*l.inc));
    if (!l.items || !l.inc) {
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        l.items[i].ev = &events[i];
        l.items[i].index = i;
        l.items[i].curated = curated_of(events[i].source);
        known_actors(&l.items[i], actors);
    }
    qsort(l.items, n, sizeof(*l.items), by_precision);
    for (size_t e = 0; e < n; e++) {
        const struct truce_event *ev = l.items[e].ev;
        size_t k = ev->radius_km < 0 ? SIZE_MAX : best_incident(&l, e);
        if (k == SIZE_MAX) {
            k = l.n_inc++;
            l.inc[k].rep = e;
            l.inc[k].curated = 0;
            if (ev->radius_km >= 0 && !file_incident(&l, ev, k)) {
                rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
                goto out;
            }
        } else if (better_rep(&l.items[e], &l.items[l.inc[k].rep])) {
            /* found again under its new representative's cell and week */
            l.inc[k].rep = e;
            if (!file_incident(&l, ev, k)) {
                rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
                goto out;
            }
        }
        l.inc[k].curated |= l.items[e].curated;
        rep[l.items[e].index] = k; /* the incident, for now */
    }
    /* incidents by their representative's index in the caller's array */
    for (size_t i = 0; i < n; i++)
        rep[i] = l.items[l.inc[rep[i]].rep].index;
    *n_incidents = l.n_inc;
out:
    grid_free(&l.tiers[0].grid);
    grid_free(&l.tiers[1].grid);
    truce__free(l.wide);
    truce__free(l.items);
    truce__free(l.inc);
    return rc;
}
