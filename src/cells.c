/*
 * cells.c - the map's cells: every stored event's map row in memory, in
 * columns sorted by grid cell and start, counted by cell for a box, a
 * level and filters (truce_cells_*, include/truce/truce.h).
 *
 * The events are kept in two parts, as the store's map index keeps them:
 * the short ones (at most TRUCE__SHORT_DAYS long: nearly all) and the long
 * ones. In each part the entries are sorted by the store's 0.1-degree grid
 * cell and start, with a directory of the cells (each one's first entry),
 * so that a box is walked cell by cell and, in a cell, only the entries
 * whose start can reach the time asked are read (binary search on start).
 * The short part also keeps counts by colour of every prefix of its
 * entries: a cell wholly inside the box, under no filter but time,
 * verdict and incidents, is counted from them without reading its
 * entries (the few that start up to TRUCE__SHORT_DAYS before `from` are
 * read). Cells of level L >= 0 are 2^L grid cells on a side, so an
 * event's cell at any such level follows from its grid cell; finer ones
 * from its place.
 */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MIN_LEVEL (-6)
#define MAX_LEVEL 10
#define N_COLOURS (TRUCE_V_VIOLATION + 1)

enum { F_REP = 1, F_ASSESSED = 2 };

struct agreement_verdict {
    uint16_t agreement;
    uint8_t verdict;
};

/* A list of names, each once, by index. */
struct names {
    char **v;
    size_t n, cap;
};

/* The entries of one part, sorted by (cell, t0, key). */
struct part {
    size_t n, cap;
    int32_t *cell;
    int64_t *t0, *t1e; /* t1e: max(t1, t0 + 1), as the store's filter */
    int64_t *key;
    double *lon, *lat;
    uint8_t *colour;   /* the overall verdict shown (not_covered: none) */
    uint8_t *category;
    uint8_t *flags;
    int32_t *day0, *day1; /* the first and last day as written */
    uint32_t *sides_at;   /* into side_ids */
    uint8_t *n_sides;
    uint32_t *agr_at;     /* into agr */
    uint8_t *n_agr;
    /* the cells met, in order, and the first entry of each (n_dir + 1) */
    int32_t *dir_cell;
    uint32_t *dir_at;
    size_t n_dir;
    /* counts by colour of the entries before each (n + 1 rows; the short
     * part only), of every entry and of incidents' representatives */
    uint32_t (*cum)[N_COLOURS], (*cum_rep)[N_COLOURS];
};

struct truce_cells {
    int64_t version;
    struct part shrt, lng;
    uint16_t *side_ids;
    size_t n_side_ids, cap_side_ids;
    struct agreement_verdict *agr;
    size_t n_agr_total, cap_agr;
    struct names sides, agreements; /* as met in the events */
    struct names stored;            /* the store's agreements */
};

/* ---------------------------------------------------------- names */

static int
names_find(const struct names *ns, const char *s, size_t len)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strlen(ns->v[i]) == len && !memcmp(ns->v[i], s, len))
            return (int)i;
    return -1;
}

/* The index of s (len bytes), added when new; -1 out of memory or past
 * 65,535 names. */
static int
names_add(struct names *ns, const char *s, size_t len)
{
    int i = names_find(ns, s, len);
    char *copy;
    if (i >= 0)
        return i;
    if (ns->n >= 65535)
        return -1;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 16;
        char **v = realloc(ns->v, cap * sizeof(*v));
        if (!v)
            return -1;
        ns->v = v;
        ns->cap = cap;
    }
    if (!(copy = malloc(len + 1)))
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    ns->v[ns->n] = copy;
    return (int)ns->n++;
}

static void
names_free(struct names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
}

/* ------------------------------------------------------- building */

struct build {
    struct truce_cells *c;
    bool oom;
};

static bool
grow_part(struct part *p)
{
    size_t cap = p->cap ? p->cap * 2 : 4096;
#define GROW(f)                                                             \
    do {                                                                    \
        void *q = realloc(p->f, cap * sizeof(*p->f));                       \
        if (!q)                                                             \
            return false;                                                   \
        p->f = q;                                                           \
    } while (0)
    GROW(cell); GROW(t0); GROW(t1e); GROW(key); GROW(lon); GROW(lat);
    GROW(colour); GROW(category); GROW(flags); GROW(day0); GROW(day1);
    GROW(sides_at); GROW(n_sides); GROW(agr_at); GROW(n_agr);
#undef GROW
    p->cap = cap;
    return true;
}

static void
part_free(struct part *p)
{
    free(p->cell); free(p->t0); free(p->t1e); free(p->key); free(p->lon);
    free(p->lat); free(p->colour); free(p->category); free(p->flags);
    free(p->day0); free(p->day1); free(p->sides_at); free(p->n_sides);
    free(p->agr_at); free(p->n_agr); free(p->dir_cell); free(p->dir_at);
    if (p->cum_rep != p->cum)
        free(p->cum_rep);
    free(p->cum);
}

static bool
add_side_id(struct truce_cells *c, int id)
{
    if (c->n_side_ids == c->cap_side_ids) {
        size_t cap = c->cap_side_ids ? c->cap_side_ids * 2 : 1024;
        uint16_t *p = realloc(c->side_ids, cap * sizeof(*p));
        if (!p)
            return false;
        c->side_ids = p;
        c->cap_side_ids = cap;
    }
    c->side_ids[c->n_side_ids++] = (uint16_t)id;
    return true;
}

static bool
add_agreement_verdict(struct truce_cells *c, int agreement, int verdict)
{
    if (c->n_agr_total == c->cap_agr) {
        size_t cap = c->cap_agr ? c->cap_agr * 2 : 1024;
        struct agreement_verdict *p = realloc(c->agr, cap * sizeof(*p));
        if (!p)
            return false;
        c->agr = p;
        c->cap_agr = cap;
    }
    c->agr[c->n_agr_total].agreement = (uint16_t)agreement;
    c->agr[c->n_agr_total++].verdict = (uint8_t)verdict;
    return true;
}

/* The sides of the stored text: a JSON array of ids, or one id (stores
 * before schema 3). */
static bool
read_sides(struct truce_cells *c, struct part *p, size_t i,
           const char *stored)
{
    json_t *arr;
    size_t k;
    json_t *v;
    p->sides_at[i] = (uint32_t)c->n_side_ids;
    p->n_sides[i] = 0;
    if (!stored)
        return true;
    if (stored[0] != '[') {
        int id = names_add(&c->sides, stored, strlen(stored));
        p->n_sides[i] = 1;
        return id >= 0 && add_side_id(c, id);
    }
    if (!(arr = json_loads(stored, JSON_DECODE_ANY, NULL)))
        return true; /* unreadable: no side, as the store's filter finds */
    json_array_foreach(arr, k, v) {
        int id;
        if (!json_is_string(v) || p->n_sides[i] == 255)
            continue;
        id = names_add(&c->sides, json_string_value(v),
                       json_string_length(v));
        if (id < 0 || !add_side_id(c, id)) {
            json_decref(arr);
            return false;
        }
        p->n_sides[i]++;
    }
    json_decref(arr);
    return true;
}

/* {agreement: verdict} as stored (the agreements that apply). */
static bool
read_verdicts(struct truce_cells *c, struct part *p, size_t i,
              const char *stored)
{
    json_t *obj;
    const char *k;
    json_t *v;
    p->agr_at[i] = (uint32_t)c->n_agr_total;
    p->n_agr[i] = 0;
    if (!stored || !(obj = json_loads(stored, 0, NULL)))
        return true;
    json_object_foreach(obj, k, v) {
        int a, verdict;
        if (!json_is_string(v) || p->n_agr[i] == 255 ||
            (verdict = truce_verdict_parse(json_string_value(v))) < 0)
            continue;
        a = names_add(&c->agreements, k, strlen(k));
        if (a < 0 || !add_agreement_verdict(c, a, verdict)) {
            json_decref(obj);
            return false;
        }
        p->n_agr[i]++;
    }
    json_decref(obj);
    return true;
}

static truce_status
take_row(void *ud, const struct truce_map_row *row)
{
    struct build *b = ud;
    struct truce_cells *c = b->c;
    /* short as the store's map index has it */
    struct part *p = row->t1 - row->t0 <= TRUCE__SHORT_DAYS * 86400LL
                         ? &c->shrt
                         : &c->lng;
    size_t i = p->n;
    int v;
    if (i == p->cap && !grow_part(p)) {
        b->oom = true;
        return TRUCE_ENOMEM;
    }
    p->cell[i] = (int32_t)truce__map_cell(row->lon, row->lat);
    p->t0[i] = row->t0;
    p->t1e[i] = row->t1 > row->t0 + 1 ? row->t1 : row->t0 + 1;
    p->key[i] = row->key;
    /* the days /api/events writes: a dated event's local days, an
     * instant's day as written */
    p->day0[i] = (int32_t)(row->t0 / 86400);
    p->day1[i] = (int32_t)(row->date_only ? row->t1 / 86400 - 1
                                          : row->t0 / 86400);
    p->lon[i] = row->lon;
    p->lat[i] = row->lat;
    v = row->verdict ? truce_verdict_parse(row->verdict) : -1;
    p->colour[i] = (uint8_t)(v < 0 ? TRUCE_V_NOT_COVERED : v);
    p->category[i] = (uint8_t)truce_category_parse(
        row->category, row->category ? strlen(row->category) : 0);
    p->flags[i] = (uint8_t)((row->incident == 0 || row->incident == row->key
                                 ? F_REP
                                 : 0) |
                            (row->verdicts ? F_ASSESSED : 0));
    if (!read_sides(c, p, i, row->side) ||
        !read_verdicts(c, p, i, row->verdicts)) {
        b->oom = true;
        return TRUCE_ENOMEM;
    }
    p->n = i + 1;
    return TRUCE_OK;
}

/* What the entries are sorted by, with the entry's place before. */
struct sort_entry {
    int32_t cell;
    int64_t t0, key;
    size_t at;
};

static int
by_cell_start(const void *pa, const void *pb)
{
    const struct sort_entry *a = pa, *b = pb;
    if (a->cell != b->cell)
        return a->cell < b->cell ? -1 : 1;
    if (a->t0 != b->t0)
        return a->t0 < b->t0 ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

/* Puts the columns in the order of perm, through one scratch buffer. */
static bool
permute(struct part *p, const size_t *perm)
{
    size_t n = p->n;
    void *tmp;
    if (!n)
        return true; /* nothing to move (and no columns to move it in) */
    if (!(tmp = malloc(n * sizeof(int64_t))))
        return false;
#define PERMUTE(f)                                                          \
    do {                                                                    \
        __typeof__(p->f) t = tmp;                                           \
        for (size_t i = 0; i < n; i++)                                      \
            t[i] = p->f[perm[i]];                                           \
        memcpy(p->f, t, n * sizeof(*t));                                    \
    } while (0)
    PERMUTE(cell); PERMUTE(t0); PERMUTE(t1e); PERMUTE(key); PERMUTE(lon);
    PERMUTE(lat); PERMUTE(colour); PERMUTE(category); PERMUTE(flags);
    PERMUTE(day0); PERMUTE(day1); PERMUTE(sides_at); PERMUTE(n_sides);
    PERMUTE(agr_at); PERMUTE(n_agr);
#undef PERMUTE
    free(tmp);
    return true;
}

/* Sorted by cell and start (and key, so that equal loads sort alike). */
static bool
sort_part(struct part *p)
{
    struct sort_entry *e = malloc((p->n ? p->n : 1) * sizeof(*e));
    size_t *perm = malloc((p->n ? p->n : 1) * sizeof(*perm));
    bool ok = e && perm;
    for (size_t i = 0; ok && i < p->n; i++) {
        e[i].cell = p->cell[i];
        e[i].t0 = p->t0[i];
        e[i].key = p->key[i];
        e[i].at = i;
    }
    if (ok) {
        qsort(e, p->n, sizeof(*e), by_cell_start);
        for (size_t i = 0; i < p->n; i++)
            perm[i] = e[i].at;
        ok = permute(p, perm);
    }
    free(e);
    free(perm);
    return ok;
}

/* The directory of the cells met, and (with prefix) the prefix counts. */
static bool
index_part(struct part *p, bool prefix)
{
    size_t d = 0;
    bool reps_all = true;
    p->dir_cell = malloc((p->n + 1) * sizeof(*p->dir_cell));
    p->dir_at = malloc((p->n + 1) * sizeof(*p->dir_at));
    if (!p->dir_cell || !p->dir_at)
        return false;
    for (size_t i = 0; i < p->n; i++)
        if (i == 0 || p->cell[i] != p->cell[i - 1]) {
            p->dir_cell[d] = p->cell[i];
            p->dir_at[d++] = (uint32_t)i;
        }
    p->dir_at[d] = (uint32_t)p->n;
    p->n_dir = d;
    if (!prefix)
        return true;
    for (size_t i = 0; i < p->n && reps_all; i++)
        reps_all = (p->flags[i] & F_REP) != 0;
    if (!(p->cum = calloc(p->n + 1, sizeof(*p->cum))))
        return false;
    /* with every entry its own incident's representative, one table */
    p->cum_rep = reps_all ? p->cum : calloc(p->n + 1, sizeof(*p->cum_rep));
    if (!p->cum_rep)
        return false;
    for (size_t i = 0; i < p->n; i++) {
        memcpy(p->cum[i + 1], p->cum[i], sizeof(p->cum[i]));
        p->cum[i + 1][p->colour[i]]++;
        if (!reps_all) {
            memcpy(p->cum_rep[i + 1], p->cum_rep[i], sizeof(p->cum_rep[i]));
            if (p->flags[i] & F_REP)
                p->cum_rep[i + 1][p->colour[i]]++;
        }
    }
    return true;
}

/* The store's agreement ids: an event assessed under the model has an
 * assessment under each, so one with no verdict under it in its map is
 * "not applicable" under it. */
static truce_status
take_agreement(void *ud, const char *id, const char *json)
{
    struct truce_cells *c = ud;
    (void)json;
    return names_add(&c->stored, id, strlen(id)) < 0 ? TRUCE_ENOMEM
                                                     : TRUCE_OK;
}

truce_status
truce_cells_load(struct truce_ctx *ctx, struct truce_store *st,
                 struct truce_cells **out)
{
    struct truce_query q = {0};
    struct build b = {0};
    truce_status rc;
    truce__clear(ctx);
    *out = NULL;
    if (!(b.c = calloc(1, sizeof(*b.c))))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    /* the version first: rows read after it are at least that new */
    if ((rc = truce_store_events_version(st, &b.c->version)) ||
        (rc = truce_store_each_agreement(st, take_agreement, b.c)) ||
        (rc = truce_store_map(st, &q, take_row, &b)) ||
        (rc = sort_part(&b.c->shrt) && sort_part(&b.c->lng) &&
                      index_part(&b.c->shrt, true) &&
                      index_part(&b.c->lng, false)
                  ? TRUCE_OK
                  : TRUCE_ENOMEM)) {
        if (b.oom || rc == TRUCE_ENOMEM)
            truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        else if (ctx != st->ctx)
            truce__err(ctx, rc, "%s", truce_ctx_errmsg(st->ctx));
        truce_cells_free(b.c);
        return rc;
    }
    *out = b.c;
    return TRUCE_OK;
}

void
truce_cells_free(struct truce_cells *c)
{
    if (!c)
        return;
    part_free(&c->shrt);
    part_free(&c->lng);
    free(c->side_ids);
    free(c->agr);
    names_free(&c->sides);
    names_free(&c->agreements);
    names_free(&c->stored);
    free(c);
}

int64_t
truce_cells_version(const struct truce_cells *c)
{
    return c->version;
}

size_t
truce_cells_size(const struct truce_cells *c)
{
    return c->shrt.n + c->lng.n;
}

double
truce_cells_degrees(int level)
{
    return TRUCE__CELL_DEG * ldexp(1.0, level);
}

/* -------------------------------------------------------- counting */

/* The query's filters, resolved against the names once. */
struct filter {
    const struct truce_query *q;
    int agreement;    /* -1 none asked; -2 asked but unknown here */
    int side;         /* likewise */
    int category;     /* TRUCE_CAT_NONE: any */
    bool stored;      /* the agreement asked is one of the store's */
    bool impossible;  /* a side or category no event has */
    bool fast;        /* no filter but time, the colour and incidents */
};

static void
filter_make(const struct truce_cells *c, const struct truce_query *q,
            struct filter *f)
{
    int k;
    memset(f, 0, sizeof(*f));
    f->q = q;
    f->agreement = f->side = -1;
    if (q->agreement)
        f->agreement = (k = names_find(&c->agreements, q->agreement,
                                       strlen(q->agreement))) >= 0
                           ? k
                           : -2;
    f->stored = q->agreement &&
                names_find(&c->stored, q->agreement,
                           strlen(q->agreement)) >= 0;
    if (q->side) {
        f->side = names_find(&c->sides, q->side, strlen(q->side));
        f->impossible |= f->side < 0;
    }
    if (q->category) {
        f->category = (int)truce_category_parse(q->category,
                                                strlen(q->category));
        f->impossible |= f->category == TRUCE_CAT_NONE;
    }
    f->fast = !q->agreement && !q->side && !q->category;
}

static int
verdict_under(const struct truce_cells *c, const struct part *p, size_t i,
              int agreement)
{
    const struct agreement_verdict *a = c->agr + p->agr_at[i];
    for (unsigned k = 0; k < p->n_agr[i]; k++)
        if (a[k].agreement == agreement)
            return a[k].verdict;
    return -1;
}

static bool
has_side(const struct truce_cells *c, const struct part *p, size_t i,
         int side)
{
    const uint16_t *s = c->side_ids + p->sides_at[i];
    for (unsigned k = 0; k < p->n_sides[i]; k++)
        if (s[k] == side)
            return true;
    return false;
}

/* Does entry i pass the filters other than place? Its colour in *colour. */
static bool
passes(const struct truce_cells *c, const struct part *p, size_t i,
       const struct filter *f, int *colour)
{
    const struct truce_query *q = f->q;
    if ((q->representatives_only && !(p->flags[i] & F_REP)) ||
        (q->has_from && p->t1e[i] <= q->from) ||
        (q->has_to && p->t0[i] >= q->to) ||
        (f->category && p->category[i] != f->category) ||
        (f->side >= 0 && !has_side(c, p, i, f->side)))
        return false;
    if (f->agreement == -1) {
        *colour = p->colour[i];
        return !q->has_verdict || *colour == (int)q->verdict;
    }
    {
        int v = f->agreement >= 0 ? verdict_under(c, p, i, f->agreement) : -1;
        *colour = v >= 0 ? v : TRUCE_V_NOT_APPLICABLE;
        if (!q->has_verdict)
            return v >= 0;
        if (q->verdict == TRUCE_V_NOT_APPLICABLE)
            return v < 0 && f->stored && (p->flags[i] & F_ASSESSED);
        return v == (int)q->verdict;
    }
}

/* The first directory entry whose cell is at least cell. */
static size_t
dir_lower(const struct part *p, int32_t cell)
{
    size_t lo = 0, hi = p->n_dir;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->dir_cell[mid] < cell)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first entry of [lo, hi) (one cell's: sorted by start) that starts
 * at t or later. */
static size_t
start_lower(const struct part *p, size_t lo, size_t hi, int64_t t)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->t0[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The grid of an answer: the cells of the level over the box. */
struct grid {
    int level;
    double deg;
    int64_t col0, row0, cols, rows;
};

static int64_t
level_col(const struct grid *g, double lon, int32_t cell)
{
    if (g->level >= 0)
        return (cell % TRUCE__CELL_COLS) >> g->level;
    return (int64_t)floor((lon + 180) / g->deg);
}

static int64_t
level_row(const struct grid *g, double lat, int32_t cell)
{
    if (g->level >= 0)
        return (cell / TRUCE__CELL_COLS) >> g->level;
    return (int64_t)floor((lat + 90) / g->deg);
}

static void
grid_make(const double bbox[4], int level, struct grid *g)
{
    for (;; level++) {
        int32_t lo = (int32_t)truce__map_cell(bbox[0], bbox[1]);
        int32_t hi = (int32_t)truce__map_cell(bbox[2], bbox[3]);
        g->level = level;
        g->deg = truce_cells_degrees(level);
        g->col0 = level_col(g, bbox[0], lo);
        g->row0 = level_row(g, bbox[1], lo);
        g->cols = level_col(g, bbox[2], hi) - g->col0 + 1;
        g->rows = level_row(g, bbox[3], hi) - g->row0 + 1;
        if (g->cols * g->rows <= TRUCE_CELLS_MAX || level >= MAX_LEVEL)
            return;
    }
}

/* Per cell of the grid while counting. */
struct tally {
    long n;
    long by_verdict[N_COLOURS];
    double lon, lat;
};

/* A walk over a box: counting into tallies, or (tallies NULL) taking the
 * keys of what it selects, of one grid cell only when target >= 0. */
struct walk {
    const struct truce_cells *c;
    const struct filter *f;
    const double *box;     /* what is selected */
    double scan[4];        /* the part of it walked */
    struct grid g;
    struct tally *t;
    int64_t target;
    int64_t *keys;
    size_t n_keys, max_keys;
    /* while counting, the latest events: a heap of the latest_n that
     * start last, the earliest of them at the top */
    struct latest { int64_t t0, key; } *heap;
    size_t heap_n, latest_n;
};

/* Is a earlier than b (by start, then key)? */
static bool
earlier(const struct latest *a, const struct latest *b)
{
    return a->t0 != b->t0 ? a->t0 < b->t0 : a->key < b->key;
}

static void
heap_sift_down(struct latest *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        struct latest tmp;
        if (l < n && earlier(&h[l], &h[m]))
            m = l;
        if (r < n && earlier(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
    }
}

/* Keeps an event among the latest_n latest. */
static void
keep_latest(struct walk *w, int64_t t0, int64_t key)
{
    struct latest e = {t0, key};
    if (w->heap_n < w->latest_n) {
        size_t i = w->heap_n++;
        w->heap[i] = e;
        while (i && earlier(&w->heap[i], &w->heap[(i - 1) / 2])) {
            struct latest tmp = w->heap[i];
            w->heap[i] = w->heap[(i - 1) / 2];
            w->heap[(i - 1) / 2] = tmp;
            i = (i - 1) / 2;
        }
    } else if (w->latest_n && earlier(&w->heap[0], &e)) {
        w->heap[0] = e;
        heap_sift_down(w->heap, w->heap_n, 0);
    }
}

/* The grid cell (its index) of a place and its 0.1-degree cell, or -1. */
static int64_t
grid_index(const struct grid *g, double lon, double lat, int32_t cell)
{
    int64_t col = level_col(g, lon, cell) - g->col0;
    int64_t row = level_row(g, lat, cell) - g->row0;
    if (col < 0 || row < 0 || col >= g->cols || row >= g->rows)
        return -1; /* rounding at the box's edge: not in the grid */
    return row * g->cols + col;
}

/* Adds k events of a colour at a place to a tally: at levels of whole
 * 0.1-degree cells, at the centre of theirs, so that counting from the
 * prefix counts and entry by entry give the same means. */
static void
tally_add(struct walk *w, struct tally *t, int colour, long k, double lon,
          double lat, int32_t cell)
{
    if (w->g.level >= 0) {
        lon = -180 + ((cell % TRUCE__CELL_COLS) + 0.5) * TRUCE__CELL_DEG;
        lat = -90 + ((cell / TRUCE__CELL_COLS) + 0.5) * TRUCE__CELL_DEG;
    }
    t->n += k;
    t->by_verdict[colour] += k;
    t->lon += lon * (double)k;
    t->lat += lat * (double)k;
}

static void
take(struct walk *w, const struct part *p, size_t i, int colour)
{
    int64_t at = grid_index(&w->g, p->lon[i], p->lat[i], p->cell[i]);
    if (at < 0)
        return;
    if (w->t) {
        tally_add(w, &w->t[at], colour, 1, p->lon[i], p->lat[i], p->cell[i]);
        if (w->latest_n)
            keep_latest(w, p->t0[i], p->key[i]);
    } else if ((w->target < 0 || at == w->target) &&
               w->n_keys < w->max_keys) {
        w->keys[w->n_keys++] = p->key[i];
    }
}

/* A 0.1-degree cell wholly inside the box, under the fast filters, from
 * the prefix counts of its entries [m, end) (which start in the range
 * asked, so overlap it). */
static void
take_counted(struct walk *w, const struct part *p, size_t m, size_t end,
             int32_t cell)
{
    const struct truce_query *q = w->f->q;
    uint32_t (*cum)[N_COLOURS] = q->representatives_only ? p->cum_rep
                                                         : p->cum;
    int64_t at = grid_index(&w->g, 0, 0, cell);
    if (at < 0)
        return;
    for (int v = 0; v < N_COLOURS; v++) {
        long k = (long)cum[end][v] - (long)cum[m][v];
        if (k && (!q->has_verdict || v == (int)q->verdict))
            tally_add(w, &w->t[at], v, k, 0, 0, cell);
    }
}

/* The latest of a cell counted from its prefix counts, [m, end) (sorted
 * by start): from its end back, until the latest kept start later. */
static void
latest_of_cell(struct walk *w, const struct part *p, size_t m, size_t end)
{
    size_t kept = 0;
    for (size_t i = end; i > m && kept < w->latest_n; i--) {
        int colour;
        if (w->heap_n == w->latest_n && p->t0[i - 1] < w->heap[0].t0)
            return;
        if (passes(w->c, p, i - 1, w->f, &colour)) {
            keep_latest(w, p->t0[i - 1], p->key[i - 1]);
            kept++;
        }
    }
}

/* Walks one part over the scanned box, cell by cell. */
static void
walk_part(struct walk *w, const struct part *p, bool short_part)
{
    const struct truce_query *q = w->f->q;
    const double *b = w->box;
    int32_t lo = (int32_t)truce__map_cell(w->scan[0], w->scan[1]);
    int32_t hi = (int32_t)truce__map_cell(w->scan[2], w->scan[3]);
    int32_t blo = (int32_t)truce__map_cell(b[0], b[1]);
    int32_t bhi = (int32_t)truce__map_cell(b[2], b[3]);
    int32_t r0 = lo / TRUCE__CELL_COLS, r1 = hi / TRUCE__CELL_COLS;
    int32_t c0 = lo % TRUCE__CELL_COLS, c1 = hi % TRUCE__CELL_COLS;
    bool counted = w->t && short_part && w->f->fast && w->g.level >= 0;
    for (int32_t r = r0; r <= r1; r++) {
        int32_t last = r * TRUCE__CELL_COLS + c1;
        for (size_t d = dir_lower(p, r * TRUCE__CELL_COLS + c0);
             d < p->n_dir && p->dir_cell[d] <= last; d++) {
            int32_t cell = p->dir_cell[d];
            int32_t col = cell % TRUCE__CELL_COLS;
            size_t s = p->dir_at[d], e = p->dir_at[d + 1];
            size_t a = s, m = s, end = e;
            /* strictly inside the box's cells: inside the box */
            bool inside = col > blo % TRUCE__CELL_COLS &&
                          col < bhi % TRUCE__CELL_COLS &&
                          r > blo / TRUCE__CELL_COLS &&
                          r < bhi / TRUCE__CELL_COLS;
            if (q->has_from && short_part) {
                a = start_lower(p, s, e,
                                q->from - TRUCE__SHORT_DAYS * 86400LL - 1);
                m = start_lower(p, a, e, q->from);
            }
            if (q->has_to)
                end = start_lower(p, a, e, q->to);
            if (m > end)
                m = end;
            if (counted && inside) {
                take_counted(w, p, m, end, cell);
                latest_of_cell(w, p, m, end);
                end = m; /* and those that may reach from before it */
            }
            for (size_t i = a; i < end; i++) {
                int colour;
                if ((inside || (p->lon[i] >= b[0] && p->lon[i] <= b[2] &&
                                p->lat[i] >= b[1] && p->lat[i] <= b[3])) &&
                    passes(w->c, p, i, w->f, &colour))
                    take(w, p, i, colour);
            }
        }
    }
}

static void
walk_box(struct walk *w)
{
    walk_part(w, &w->c->shrt, true);
    walk_part(w, &w->c->lng, false);
}

static int
by_key(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The keys of what the walk selects (in grid cell target, or all). */
static void
collect(struct walk *w, int64_t target, const double scan[4])
{
    struct walk k = *w;
    k.t = NULL;
    k.target = target;
    memcpy(k.scan, scan, sizeof(k.scan));
    walk_box(&k);
    w->n_keys = k.n_keys;
}

/* Sparse cells give their events as points, FEW_POINTS at most in all
 * (beyond, cells): a world of sparse cells stays an answer of cells. */
#define FEW_POINTS 10000

static bool
sparse(const struct tally *t, size_t few, size_t points_so_far)
{
    return (size_t)t->n <= few && points_so_far + (size_t)t->n <= FEW_POINTS;
}

/* The answer from the tallies: all points, or cells and their few. */
static bool
answer_from(struct walk *w, size_t few, size_t points_max,
            struct truce_cells_answer *out)
{
    size_t n = (size_t)(w->g.cols * w->g.rows), nc = 0, nk = 0;
    bool all;
    for (size_t j = 0; j < n; j++) {
        const struct tally *t = &w->t[j];
        if (!t->n)
            continue;
        out->total += t->n;
        for (int v = 0; v < N_COLOURS; v++)
            out->by_verdict[v] += t->by_verdict[v];
        if (!sparse(t, few, nk))
            nc++;
        else
            nk += (size_t)t->n;
    }
    all = (size_t)out->total <= points_max;
    if (all) {
        nc = 0;
        nk = (size_t)out->total;
    }
    out->cells = calloc(nc ? nc : 1, sizeof(*out->cells));
    w->keys = out->keys = malloc((nk ? nk : 1) * sizeof(*out->keys));
    w->max_keys = nk;
    if (!out->cells || !out->keys)
        return false;
    if (all)
        collect(w, -1, w->box);
    for (size_t j = 0; !all && j < n; j++) {
        const struct tally *t = &w->t[j];
        struct truce_cell *cell;
        int64_t col = w->g.col0 + (int64_t)(j % (size_t)w->g.cols);
        int64_t row = w->g.row0 + (int64_t)(j / (size_t)w->g.cols);
        double cb[4];
        if (!t->n)
            continue;
        cb[0] = -180 + (double)col * w->g.deg;
        cb[1] = -90 + (double)row * w->g.deg;
        cb[2] = cb[0] + w->g.deg;
        cb[3] = cb[1] + w->g.deg;
        if (sparse(t, few, w->n_keys)) {
            /* its events, walked over its box (within the one asked) */
            double scan[4] = {fmax(cb[0], w->box[0]), fmax(cb[1], w->box[1]),
                              fmin(cb[2], w->box[2]), fmin(cb[3], w->box[3])};
            collect(w, (int64_t)j, scan);
            continue;
        }
        cell = &out->cells[out->n_cells++];
        memcpy(cell->bbox, cb, sizeof(cb));
        cell->lon = t->lon / (double)t->n;
        cell->lat = t->lat / (double)t->n;
        cell->n = t->n;
        memcpy(cell->by_verdict, t->by_verdict, sizeof(t->by_verdict));
    }
    out->n_keys = w->n_keys;
    qsort(out->keys, out->n_keys, sizeof(*out->keys), by_key);
    return true;
}

truce_status
truce_cells_count(struct truce_ctx *ctx, const struct truce_cells *c,
                  const struct truce_query *q, int level, size_t few,
                  size_t points_max, struct truce_cells_answer *out)
{
    return truce_cells_count_latest(ctx, c, q, level, few, points_max, 0,
                                    out);
}

/* The latest kept, the last first, into out. */
static bool
latest_from(struct walk *w, struct truce_cells_answer *out)
{
    if (!(out->latest = malloc((w->heap_n ? w->heap_n : 1) *
                               sizeof(*out->latest))))
        return false;
    out->n_latest = w->heap_n;
    /* the heap's top is the earliest: take it off last to first */
    for (size_t k = w->heap_n; k > 0; k--) {
        out->latest[k - 1] = w->heap[0].key;
        w->heap[0] = w->heap[--w->heap_n];
        heap_sift_down(w->heap, w->heap_n, 0);
    }
    return true;
}

truce_status
truce_cells_count_latest(struct truce_ctx *ctx, const struct truce_cells *c,
                         const struct truce_query *q, int level, size_t few,
                         size_t points_max, size_t latest,
                         struct truce_cells_answer *out)
{
    static const double world[4] = {-180, -90, 180, 90};
    struct truce_query box = *q;
    struct walk w = {0};
    struct filter f;
    bool ok, empty = false;
    truce__clear(ctx);
    memset(out, 0, sizeof(*out));
    if (level < MIN_LEVEL || level > MAX_LEVEL)
        return truce__err(ctx, TRUCE_EINVAL, "cells: the level must be "
                          "from %d to %d, not %d", MIN_LEVEL, MAX_LEVEL,
                          level);
    if (few > 16 || points_max > 100000 || latest > 100)
        return truce__err(ctx, TRUCE_EINVAL, "cells: at most 16 points a "
                          "cell, 100,000 in all and the latest 100");
    if (!box.has_bbox)
        memcpy(box.bbox, world, sizeof(world));
    /* the box inside the world; one across the antimeridian or upside
     * down selects nothing (split it in two) */
    box.bbox[0] = fmax(box.bbox[0], -180);
    box.bbox[1] = fmax(box.bbox[1], -90);
    box.bbox[2] = fmin(box.bbox[2], 180);
    box.bbox[3] = fmin(box.bbox[3], 90);
    if (!(box.bbox[0] <= box.bbox[2] && box.bbox[1] <= box.bbox[3]))
        empty = true;
    if (empty)
        memset(box.bbox, 0, sizeof(box.bbox)); /* a grid of one cell */
    filter_make(c, &box, &f);
    grid_make(box.bbox, level, &w.g);
    out->level = w.g.level;
    w.c = c;
    w.f = &f;
    w.box = box.bbox;
    memcpy(w.scan, box.bbox, sizeof(w.scan));
    w.target = -1;
    w.latest_n = latest;
    ok = (w.t = calloc((size_t)(w.g.cols * w.g.rows), sizeof(*w.t))) != NULL &&
         (w.heap = malloc((latest ? latest : 1) * sizeof(*w.heap))) != NULL;
    if (ok && !empty && !f.impossible)
        walk_box(&w);
    ok = ok && answer_from(&w, few, points_max, out) && latest_from(&w, out);
    free(w.t);
    free(w.heap);
    if (!ok) {
        truce_cells_answer_release(out);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    return TRUCE_OK;
}

void
truce_cells_answer_release(struct truce_cells_answer *a)
{
    free(a->cells);
    free(a->keys);
    free(a->latest);
    a->cells = NULL;
    a->keys = NULL;
    a->latest = NULL;
    a->n_cells = a->n_keys = a->n_latest = 0;
}

/* ------------------------------------------------------------ days */

/* Calls fn with every entry q selects (its box too). */
static void
each_selected(const struct truce_cells *c, const struct truce_query *q,
              void (*fn)(void *ud, const struct part *p, size_t i),
              void *ud)
{
    const struct part *parts[2] = {&c->shrt, &c->lng};
    struct filter f;
    filter_make(c, q, &f);
    if (f.impossible)
        return;
    for (int k = 0; k < 2; k++) {
        const struct part *p = parts[k];
        for (size_t i = 0; i < p->n; i++) {
            int colour;
            if (q->has_bbox &&
                (p->lon[i] < q->bbox[0] || p->lon[i] > q->bbox[2] ||
                 p->lat[i] < q->bbox[1] || p->lat[i] > q->bbox[3]))
                continue;
            if (passes(c, p, i, &f, &colour))
                fn(ud, p, i);
        }
    }
}

struct span {
    struct truce_cells_days *d;
    bool any;
};

static void
span_one(void *ud, const struct part *p, size_t i)
{
    struct span *s = ud;
    if (!s->any || p->day0[i] < s->d->first)
        s->d->first = p->day0[i];
    if (!s->any || p->day1[i] > s->d->last)
        s->d->last = p->day1[i];
    s->any = true;
}

static void
step_one(void *ud, const struct part *p, size_t i)
{
    struct span *s = ud;
    int64_t k = ((int64_t)p->day0[i] - s->d->first) / s->d->step;
    if (k < 0 || (size_t)k >= s->d->n)
        return;
    s->d->counts[k][0]++;
    /* the slider's red: the overall verdict, as the page shows it */
    if (p->colour[i] == TRUCE_V_VIOLATION)
        s->d->counts[k][1]++;
}

truce_status
truce_cells_days(struct truce_ctx *ctx, const struct truce_cells *c,
                 const struct truce_query *q, size_t max_steps,
                 struct truce_cells_days *out)
{
    struct span s = {out, false};
    int64_t span;
    truce__clear(ctx);
    memset(out, 0, sizeof(*out));
    if (max_steps < 1 || max_steps > 100000)
        return truce__err(ctx, TRUCE_EINVAL, "cells: from 1 to 100,000 "
                          "steps of days, not %zu", max_steps);
    each_selected(c, q, span_one, &s);
    if (!s.any)
        return TRUCE_OK;
    if (out->last < out->first)
        out->last = out->first;
    span = out->last - out->first + 1;
    out->step = (long)((span + (int64_t)max_steps - 1) / (int64_t)max_steps);
    out->n = (size_t)((span + out->step - 1) / out->step);
    if (!(out->counts = calloc(out->n, sizeof(*out->counts)))) {
        out->n = 0;
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    each_selected(c, q, step_one, &s);
    return TRUCE_OK;
}

void
truce_cells_days_release(struct truce_cells_days *d)
{
    free(d->counts);
    d->counts = NULL;
    d->n = 0;
}
