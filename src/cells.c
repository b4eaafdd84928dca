/*
 * cells.c - the map's cells: every stored event's map row in memory, in
 * columns sorted by grid cell and start, counted by cell for a box, a
 * level and filters (truce_cells_*, include/truce/truce.h).
 *
 * A box is walked one row of the store's 0.1-degree grid at a time: the
 * events of a grid row's cells inside the box are one run of the sorted
 * columns, found by binary search. Cells of level L >= 0 are 2^L grid
 * cells on a side, so an event's cell at any level follows from its grid
 * cell; finer ones from its place.
 */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MIN_LEVEL (-6)
#define MAX_LEVEL 10

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

struct truce_cells {
    size_t n;
    int64_t version;
    /* one entry an event, sorted by (cell, t0) */
    int32_t *cell;
    int64_t *t0, *t1e; /* t1e: max(t1, t0 + 1), as the store's filter */
    int64_t *key;
    double *lon, *lat;
    uint8_t *colour;   /* the overall verdict shown (not_covered: none) */
    uint8_t *category;
    uint8_t *flags;
    int32_t *day0, *day1; /* the first and last day as written */
    uint32_t *sides_at;  /* into side_ids */
    uint8_t *n_sides;
    uint32_t *agr_at;    /* into agr */
    uint8_t *n_agr;
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
    size_t cap;
    bool oom;
    struct truce_ctx *ctx;
};

static bool
grow_columns(struct truce_cells *c, size_t cap)
{
#define GROW(f)                                                             \
    do {                                                                    \
        void *p = realloc(c->f, cap * sizeof(*c->f));                       \
        if (!p)                                                             \
            return false;                                                   \
        c->f = p;                                                           \
    } while (0)
    GROW(cell); GROW(t0); GROW(t1e); GROW(key); GROW(lon); GROW(lat);
    GROW(colour); GROW(category); GROW(flags); GROW(day0); GROW(day1);
    GROW(sides_at);
    GROW(n_sides); GROW(agr_at); GROW(n_agr);
#undef GROW
    return true;
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
read_sides(struct truce_cells *c, size_t i, const char *stored)
{
    json_t *arr;
    size_t k;
    json_t *v;
    c->sides_at[i] = (uint32_t)c->n_side_ids;
    c->n_sides[i] = 0;
    if (!stored)
        return true;
    if (stored[0] != '[') {
        int id = names_add(&c->sides, stored, strlen(stored));
        c->n_sides[i] = 1;
        return id >= 0 && add_side_id(c, id);
    }
    if (!(arr = json_loads(stored, JSON_DECODE_ANY, NULL)))
        return true; /* unreadable: no side, as the store's filter finds */
    json_array_foreach(arr, k, v) {
        int id;
        if (!json_is_string(v) || c->n_sides[i] == 255)
            continue;
        id = names_add(&c->sides, json_string_value(v),
                       json_string_length(v));
        if (id < 0 || !add_side_id(c, id)) {
            json_decref(arr);
            return false;
        }
        c->n_sides[i]++;
    }
    json_decref(arr);
    return true;
}

/* {agreement: verdict} as stored (the agreements that apply). */
static bool
read_verdicts(struct truce_cells *c, size_t i, const char *stored)
{
    json_t *obj;
    const char *k;
    json_t *v;
    c->agr_at[i] = (uint32_t)c->n_agr_total;
    c->n_agr[i] = 0;
    if (!stored || !(obj = json_loads(stored, 0, NULL)))
        return true;
    json_object_foreach(obj, k, v) {
        int a, verdict;
        if (!json_is_string(v) || c->n_agr[i] == 255 ||
            (verdict = truce_verdict_parse(json_string_value(v))) < 0)
            continue;
        a = names_add(&c->agreements, k, strlen(k));
        if (a < 0 || !add_agreement_verdict(c, a, verdict)) {
            json_decref(obj);
            return false;
        }
        c->n_agr[i]++;
    }
    json_decref(obj);
    return true;
}

static truce_status
take_row(void *ud, const struct truce_map_row *row)
{
    struct build *b = ud;
    struct truce_cells *c = b->c;
    size_t i = c->n;
    int v;
    if (i == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        if (!grow_columns(c, cap)) {
            b->oom = true;
            return TRUCE_ENOMEM;
        }
        b->cap = cap;
    }
    c->cell[i] = (int32_t)truce__map_cell(row->lon, row->lat);
    c->t0[i] = row->t0;
    c->t1e[i] = row->t1 > row->t0 + 1 ? row->t1 : row->t0 + 1;
    c->key[i] = row->key;
    /* the days /api/events writes: a dated event's local days, an
     * instant's day as written */
    c->day0[i] = (int32_t)(row->t0 / 86400);
    c->day1[i] = (int32_t)(row->date_only ? row->t1 / 86400 - 1
                                          : row->t0 / 86400);
    c->lon[i] = row->lon;
    c->lat[i] = row->lat;
    v = row->verdict ? truce_verdict_parse(row->verdict) : -1;
    c->colour[i] = (uint8_t)(v < 0 ? TRUCE_V_NOT_COVERED : v);
    c->category[i] = (uint8_t)truce_category_parse(
        row->category, row->category ? strlen(row->category) : 0);
    c->flags[i] = (uint8_t)((row->incident == 0 || row->incident == row->key
                                 ? F_REP
                                 : 0) |
                            (row->verdicts ? F_ASSESSED : 0));
    if (!read_sides(c, i, row->side) || !read_verdicts(c, i, row->verdicts)) {
        b->oom = true;
        return TRUCE_ENOMEM;
    }
    c->n = i + 1;
    return TRUCE_OK;
}

/* What the columns are sorted by, with the entry's place before. */
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
permute(struct truce_cells *c, const size_t *perm)
{
    size_t n = c->n;
    void *tmp = malloc(n * sizeof(int64_t) + 1);
    if (!tmp)
        return false;
#define PERMUTE(f)                                                          \
    do {                                                                    \
        __typeof__(c->f) t = tmp;                                           \
        for (size_t i = 0; i < n; i++)                                      \
            t[i] = c->f[perm[i]];                                           \
        memcpy(c->f, t, n * sizeof(*t));                                    \
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
sort_columns(struct truce_cells *c)
{
    struct sort_entry *e = malloc((c->n ? c->n : 1) * sizeof(*e));
    size_t *perm = malloc((c->n ? c->n : 1) * sizeof(*perm));
    bool ok = e && perm;
    for (size_t i = 0; ok && i < c->n; i++) {
        e[i].cell = c->cell[i];
        e[i].t0 = c->t0[i];
        e[i].key = c->key[i];
        e[i].at = i;
    }
    if (ok) {
        qsort(e, c->n, sizeof(*e), by_cell_start);
        for (size_t i = 0; i < c->n; i++)
            perm[i] = e[i].at;
        ok = permute(c, perm);
    }
    free(e);
    free(perm);
    return ok;
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
    b.ctx = ctx;
    /* the version first: rows read after it are at least that new */
    if ((rc = truce_store_events_version(st, &b.c->version)) ||
        (rc = truce_store_each_agreement(st, take_agreement, b.c)) ||
        (rc = truce_store_map(st, &q, take_row, &b)) ||
        (rc = sort_columns(b.c) ? TRUCE_OK : TRUCE_ENOMEM)) {
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
    free(c->cell); free(c->t0); free(c->t1e); free(c->key); free(c->lon);
    free(c->lat); free(c->colour); free(c->category); free(c->flags);
    free(c->day0); free(c->day1); free(c->sides_at); free(c->n_sides);
    free(c->agr_at); free(c->n_agr);
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
    return c->n;
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
}

static int
verdict_under(const struct truce_cells *c, size_t i, int agreement)
{
    const struct agreement_verdict *a = c->agr + c->agr_at[i];
    for (unsigned k = 0; k < c->n_agr[i]; k++)
        if (a[k].agreement == agreement)
            return a[k].verdict;
    return -1;
}

static bool
has_side(const struct truce_cells *c, size_t i, int side)
{
    const uint16_t *s = c->side_ids + c->sides_at[i];
    for (unsigned k = 0; k < c->n_sides[i]; k++)
        if (s[k] == side)
            return true;
    return false;
}

/* Does event i pass the filters other than place? Its colour in *colour. */
static bool
passes(const struct truce_cells *c, size_t i, const struct filter *f,
       int *colour)
{
    const struct truce_query *q = f->q;
    if ((q->representatives_only && !(c->flags[i] & F_REP)) ||
        (q->has_from && c->t1e[i] <= q->from) ||
        (q->has_to && c->t0[i] >= q->to) ||
        (f->category && c->category[i] != f->category) ||
        (f->side >= 0 && !has_side(c, i, f->side)))
        return false;
    if (f->agreement == -1) {
        *colour = c->colour[i];
        return !q->has_verdict || *colour == (int)q->verdict;
    }
    {
        int v = f->agreement >= 0 ? verdict_under(c, i, f->agreement) : -1;
        *colour = v >= 0 ? v : TRUCE_V_NOT_APPLICABLE;
        if (!q->has_verdict)
            return v >= 0;
        if (q->verdict == TRUCE_V_NOT_APPLICABLE)
            return v < 0 && f->stored && (c->flags[i] & F_ASSESSED);
        return v == (int)q->verdict;
    }
}

/* The first entry whose cell is at least cell. */
static size_t
lower_bound(const struct truce_cells *c, int32_t cell)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->cell[mid] < cell)
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
    long by_verdict[TRUCE_V_VIOLATION + 1];
    double lon, lat;
};

struct counting {
    const struct truce_cells *c;
    struct grid g;
    struct tally *t;
    size_t few, points_max;
    int64_t *few_keys;  /* few per cell */
    int64_t *all_keys;  /* up to points_max + 1 */
    size_t n_all;
};

static void
count_one(struct counting *k, size_t i, int colour)
{
    const struct truce_cells *c = k->c;
    int64_t col = level_col(&k->g, c->lon[i], c->cell[i]) - k->g.col0;
    int64_t row = level_row(&k->g, c->lat[i], c->cell[i]) - k->g.row0;
    struct tally *t;
    if (col < 0 || row < 0 || col >= k->g.cols || row >= k->g.rows)
        return; /* rounding at the box's edge: not in the grid */
    t = &k->t[row * k->g.cols + col];
    if (k->few && (size_t)t->n < k->few)
        k->few_keys[(size_t)(row * k->g.cols + col) * k->few + (size_t)t->n] =
            c->key[i];
    if (k->n_all <= k->points_max)
        k->all_keys[k->n_all] = c->key[i];
    k->n_all++;
    t->n++;
    t->by_verdict[colour]++;
    t->lon += c->lon[i];
    t->lat += c->lat[i];
}

/* Walks the box one grid row at a time. */
static void
walk_box(struct counting *k, const struct filter *f)
{
    const struct truce_cells *c = k->c;
    const double *b = f->q->bbox;
    int32_t lo = (int32_t)truce__map_cell(b[0], b[1]);
    int32_t hi = (int32_t)truce__map_cell(b[2], b[3]);
    int32_t r0 = lo / TRUCE__CELL_COLS, r1 = hi / TRUCE__CELL_COLS;
    int32_t c0 = lo % TRUCE__CELL_COLS, c1 = hi % TRUCE__CELL_COLS;
    for (int32_t r = r0; r <= r1; r++) {
        int32_t last = r * TRUCE__CELL_COLS + c1;
        for (size_t i = lower_bound(c, r * TRUCE__CELL_COLS + c0);
             i < c->n && c->cell[i] <= last; i++) {
            int colour;
            if (c->lon[i] < b[0] || c->lon[i] > b[2] || c->lat[i] < b[1] ||
                c->lat[i] > b[3] || !passes(c, i, f, &colour))
                continue;
            count_one(k, i, colour);
        }
    }
}

static int
by_key(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The answer from the tallies: all points, or cells and their few. */
static bool
answer_from(struct counting *k, struct truce_cells_answer *out)
{
    size_t n = (size_t)(k->g.cols * k->g.rows), nc = 0, nk = 0;
    bool all = k->n_all <= k->points_max;
    for (size_t j = 0; j < n; j++) {
        const struct tally *t = &k->t[j];
        if (!t->n)
            continue;
        out->total += t->n;
        for (int v = 0; v <= TRUCE_V_VIOLATION; v++)
            out->by_verdict[v] += t->by_verdict[v];
        if (!all && (size_t)t->n > k->few)
            nc++;
        else if (!all)
            nk += (size_t)t->n;
    }
    if (all)
        nk = k->n_all;
    out->cells = calloc(nc ? nc : 1, sizeof(*out->cells));
    out->keys = malloc((nk ? nk : 1) * sizeof(*out->keys));
    if (!out->cells || !out->keys)
        return false;
    if (all)
        memcpy(out->keys, k->all_keys, nk * sizeof(*out->keys));
    for (size_t j = 0; !all && j < n; j++) {
        const struct tally *t = &k->t[j];
        struct truce_cell *cell;
        int64_t col = k->g.col0 + (int64_t)(j % (size_t)k->g.cols);
        int64_t row = k->g.row0 + (int64_t)(j / (size_t)k->g.cols);
        if (!t->n)
            continue;
        if ((size_t)t->n <= k->few) {
            memcpy(out->keys + out->n_keys, k->few_keys + j * k->few,
                   (size_t)t->n * sizeof(*out->keys));
            out->n_keys += (size_t)t->n;
            continue;
        }
        cell = &out->cells[out->n_cells++];
        cell->bbox[0] = -180 + (double)col * k->g.deg;
        cell->bbox[1] = -90 + (double)row * k->g.deg;
        cell->bbox[2] = cell->bbox[0] + k->g.deg;
        cell->bbox[3] = cell->bbox[1] + k->g.deg;
        cell->lon = t->lon / (double)t->n;
        cell->lat = t->lat / (double)t->n;
        cell->n = t->n;
        memcpy(cell->by_verdict, t->by_verdict, sizeof(t->by_verdict));
    }
    if (all)
        out->n_keys = nk;
    qsort(out->keys, out->n_keys, sizeof(*out->keys), by_key);
    return true;
}

truce_status
truce_cells_count(struct truce_ctx *ctx, const struct truce_cells *c,
                  const struct truce_query *q, int level, size_t few,
                  size_t points_max, struct truce_cells_answer *out)
{
    static const double world[4] = {-180, -90, 180, 90};
    struct truce_query box = *q;
    struct counting k = {0};
    struct filter f;
    bool ok;
    truce__clear(ctx);
    memset(out, 0, sizeof(*out));
    if (level < MIN_LEVEL || level > MAX_LEVEL)
        return truce__err(ctx, TRUCE_EINVAL, "cells: the level must be "
                          "from %d to %d, not %d", MIN_LEVEL, MAX_LEVEL,
                          level);
    if (!box.has_bbox)
        memcpy(box.bbox, world, sizeof(world));
    if (few > 16 || points_max > 100000)
        return truce__err(ctx, TRUCE_EINVAL, "cells: at most 16 points a "
                          "cell and 100,000 in all");
    grid_make(box.bbox, level, &k.g);
    out->level = k.g.level;
    k.c = c;
    k.few = few;
    k.points_max = points_max;
    k.t = calloc((size_t)(k.g.cols * k.g.rows), sizeof(*k.t));
    k.few_keys = few ? malloc((size_t)(k.g.cols * k.g.rows) * few *
                              sizeof(int64_t))
                     : NULL;
    k.all_keys = malloc((points_max + 1) * sizeof(int64_t));
    ok = k.t && (!few || k.few_keys) && k.all_keys;
    if (ok && box.bbox[0] <= box.bbox[2] && box.bbox[1] <= box.bbox[3]) {
        filter_make(c, &box, &f);
        if (!f.impossible)
            walk_box(&k, &f);
    }
    ok = ok && answer_from(&k, out);
    free(k.t);
    free(k.few_keys);
    free(k.all_keys);
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
    a->cells = NULL;
    a->keys = NULL;
    a->n_cells = a->n_keys = 0;
}

/* ------------------------------------------------------------ days */

/* Walks every event q selects (its box too) and calls fn with it. */
static void
each_selected(const struct truce_cells *c, const struct truce_query *q,
              void (*fn)(void *ud, size_t i, int colour), void *ud)
{
    struct filter f;
    filter_make(c, q, &f);
    if (f.impossible)
        return;
    for (size_t i = 0; i < c->n; i++) {
        int colour;
        if (q->has_bbox &&
            (c->lon[i] < q->bbox[0] || c->lon[i] > q->bbox[2] ||
             c->lat[i] < q->bbox[1] || c->lat[i] > q->bbox[3]))
            continue;
        if (passes(c, i, &f, &colour))
            fn(ud, i, colour);
    }
}

struct span {
    const struct truce_cells *c;
    struct truce_cells_days *d;
    bool any;
};

static void
span_one(void *ud, size_t i, int colour)
{
    struct span *s = ud;
    (void)colour;
    if (!s->any || s->c->day0[i] < s->d->first)
        s->d->first = s->c->day0[i];
    if (!s->any || s->c->day1[i] > s->d->last)
        s->d->last = s->c->day1[i];
    s->any = true;
}

static void
step_one(void *ud, size_t i, int colour)
{
    struct span *s = ud;
    int64_t k = ((int64_t)s->c->day0[i] - s->d->first) / s->d->step;
    (void)colour;
    if (k < 0 || (size_t)k >= s->d->n)
        return;
    s->d->counts[k][0]++;
    /* the slider's red: the overall verdict, as the page shows it */
    if (s->c->colour[i] == TRUCE_V_VIOLATION)
        s->d->counts[k][1]++;
}

truce_status
truce_cells_days(struct truce_ctx *ctx, const struct truce_cells *c,
                 const struct truce_query *q, size_t max_steps,
                 struct truce_cells_days *out)
{
    struct span s = {c, out, false};
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
