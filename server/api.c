/*
 * api.c - the API of `truce serve` (docs/api.md): one route table from
 * which matching, 404 and 405, roles and `truce serve --routes` derive,
 * and the handlers on the public library interface. It knows nothing of
 * HTTP's transport: server/http.c hands over each request (server/http.h).
 *
 * Every thread that calls api_handle owns its context, its store
 * connection and its copy of the model, made on its first request and
 * reloaded when the store's model version moves; nothing mutable is
 * shared between threads but the failed-token table (under a lock) and
 * the re-assessment's counters (atomics).
 */
#define _GNU_SOURCE 1
#include "http.h"
#include "server.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <truce/truce.h>

#define DEFAULT_LIMIT 1000
#define MAX_LIMIT 10000

/* Failed tokens by client address: after FAIL_MAX in FAIL_WINDOW
 * seconds, an address gets 429 for its tokens until the window ends. */
#define FAIL_SLOTS 1024
#define FAIL_MAX 10
#define FAIL_WINDOW 60

struct fail_slot {
    uint32_t addr;             /* IPv4, host order; 0: empty */
    time_t since;              /* the window's start */
    unsigned count;
};

struct api {
    struct api_opts o;
    pthread_key_t key;         /* -> struct worker of the calling thread */
    pthread_mutex_t lock;      /* fails */
    struct fail_slot fails[FAIL_SLOTS];
    bool started;              /* the re-assessment thread runs */
    pthread_t reassessor;      /* re-assesses pending events (below) */
    atomic_bool stop;          /* tells it to stop */
    atomic_long reassessed;    /* events it has assessed */
    /* The map's cells (GET /api/cells), shared by the workers: the newest
     * loaded; a large one is loaded anew by a thread of its own while the
     * old one is served. */
    pthread_mutex_t cells_lock;
    pthread_cond_t cells_cv;   /* a load ended */
    struct cells_ref *cells;
    bool cells_loading, cells_loader;
    pthread_t cells_thread;

};

struct worker {
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_actors *actors;
    struct truce_agreements *set;
    int64_t version;           /* of the model loaded */
    struct truce_gazetteer *gz; /* for articles, made on the first one */
    int64_t gz_version;        /* the store's places version it was made at */
};



static void
worker_free(void *p)
{
    struct worker *w = p;
    if (!w)
        return;
    truce_agreements_free(w->set);
    truce_actors_free(w->actors);
    truce_gazetteer_free(w->gz);
    truce_store_close(w->st);
    truce_ctx_free(w->ctx);
    free(w);
}

/* The model of this worker, reloaded when the store's version moved. */
static truce_status
worker_model(struct worker *w)
{
    int64_t v;
    struct truce_actors *a = NULL;
    struct truce_agreements *set = NULL;
    truce_status rc = truce_store_model_version(w->st, &v);
    if (rc || (w->set && v == w->version))
        return rc;
    if ((rc = truce_store_load_model(w->ctx, w->st, &a, &set)))
        return rc;
    truce_agreements_free(w->set);
    truce_actors_free(w->actors);
    w->actors = a;
    w->set = set;
    w->version = v;
    return TRUCE_OK;
}

static struct worker *
worker_get(struct api *s, struct reply *r)
{
    struct worker *w = pthread_getspecific(s->key);
    if (w)
        return w;
    w = calloc(1, sizeof(*w));
    if (!w || truce_ctx_new(&w->ctx)) {
        free(w);
        reply_error(r, 500, "the store cannot be opened: out of memory");
        return NULL;
    }
    if (truce_store_open(w->ctx, s->o.db, &w->st)) {
        /* said to the caller; the next request tries again */
        reply_error(r, 500, "the store cannot be opened: %s",
                    truce_ctx_errmsg(w->ctx));
        worker_free(w);
        return NULL;
    }
    pthread_setspecific(s->key, w);
    return w;
}

/* The status of a library failure. */
static void
reply_failure(struct reply *r, struct worker *w, truce_status st)
{
    unsigned status = st == TRUCE_ENOTFOUND    ? 404
                      : st == TRUCE_EINVAL ||
                        st == TRUCE_EPARSE     ? 400
                      : st == TRUCE_ECONFLICT  ? 409
                      : st == TRUCE_EAUTH      ? 401
                      : st == TRUCE_EREADONLY  ? 503 /* a standby */
                                               : 500;
    reply_error(r, status, "%s", truce_ctx_errmsg(w->ctx)[0]
                                     ? truce_ctx_errmsg(w->ctx)
                                     : truce_strerror(st));
}

/* ----------------------------------------------------------- requests */

struct call {
    struct api *s;
    struct worker *w;
    const struct api_request *rq;
    const char *method;
    const char *path;          /* after /api */
    const char *body;
    size_t body_len;
    struct reply *r;
    struct api_outcome *out;
    char user[64];             /* the caller, once a route needs a role */
    int role;                  /* theirs: 1 monitor, 2 analyst, 3 admin */
};

static struct fail_slot *
fail_slot(struct api *s, uint32_t addr)
{
    size_t i = (addr * 2654435761u) % FAIL_SLOTS;
    return &s->fails[i];
}

/* True when the address has failed too often lately. */
static bool
throttled(struct api *s, uint32_t addr)
{
    struct fail_slot *f;
    bool yes;
    pthread_mutex_lock(&s->lock);
    f = fail_slot(s, addr);
    yes = f->addr == addr && f->count >= FAIL_MAX &&
          time(NULL) - f->since < FAIL_WINDOW;
    pthread_mutex_unlock(&s->lock);
    return yes;
}

static void
note_failure(struct api *s, uint32_t addr)
{
    struct fail_slot *f;
    time_t now = time(NULL);
    pthread_mutex_lock(&s->lock);
    f = fail_slot(s, addr);
    if (f->addr != addr || now - f->since >= FAIL_WINDOW) {
        f->addr = addr;
        f->since = now;
        f->count = 0;
    }
    f->count++;
    pthread_mutex_unlock(&s->lock);
}

static const char *
arg(struct call *c, const char *name)
{
    const char *v = c->rq->arg(c->rq->conn, name);
    return v && v[0] ? v : NULL;
}

static bool
arg_day(struct call *c, const char *name, int64_t *day, bool *given)
{
    const char *v = arg(c, name);
    struct truce_when when;
    *given = v != NULL;
    if (!v)
        return true;
    if (truce_parse_when(v, strlen(v), &when) || when.has_time) {
        reply_error(c->r, 400, "parameter '%s' is not a date (YYYY-MM-DD): "
                    "'%s'", name, v);
        return false;
    }
    *day = when.secs / 86400;
    return true;
}

static bool
arg_long(struct call *c, const char *name, long lo, long hi, long *out)
{
    const char *v = arg(c, name);
    char *end;
    long x;
    if (!v)
        return true;
    x = strtol(v, &end, 10);
    if (*end || x < lo || x > hi) {
        reply_error(c->r, 400, "parameter '%s' must be a whole number from "
                    "%ld to %ld", name, lo, hi);
        return false;
    }
    *out = x;
    return true;
}

/* Who is calling: 0 none, 1 monitor, 2 analyst, 3 admin; -1 after a
 * reply (a bad token). */
static int
caller(struct call *c, char *name)
{
    const char *h = c->rq->header(c->rq->conn, "Authorization");
    char role[16];
    truce_status st;
    name[0] = '\0';
    if (!h)
        return 0;
    if (throttled(c->s, c->rq->addr)) {
        reply_error(c->r, 429, "too many wrong tokens from this address: "
                    "wait a minute");
        c->out->auth_failed = true;
        return -1;
    }
    if (strncmp(h, "Bearer ", 7)) {
        note_failure(c->s, c->rq->addr);
        c->out->auth_failed = true;
        reply_error(c->r, 401, "the Authorization header must be 'Bearer "
                    "TOKEN'");
        return -1;
    }
    st = truce_store_check_token(c->w->st, h + 7, name, role);
    if (st == TRUCE_EAUTH) {
        note_failure(c->s, c->rq->addr);
        c->out->auth_failed = true;
        reply_error(c->r, 401, "unknown or wrong token");
        return -1;
    }
    snprintf(c->out->user, sizeof(c->out->user), "%s", name);
    if (st) {
        reply_failure(c->r, c->w, st);
        return -1;
    }
    return !strcmp(role, "admin") ? 3 : !strcmp(role, "analyst") ? 2 : 1;
}

/* Requires a role of at least `need`; false after a reply. */
static bool
require(struct call *c, int need, char *name, const char *what)
{
    int have = caller(c, name);
    if (have < 0)
        return false;
    c->role = have;
    if (have == 0) {
        reply_error(c->r, 401, "%s needs a token (Authorization: Bearer)",
                    what);
        return false;
    }
    if (have < need) {
        reply_error(c->r, 403, "%s needs the %s role", what,
                    need == 2 ? "analyst" : need == 3 ? "admin" : "monitor");
        return false;
    }
    return true;
}

/* ------------------------------------------------------- agreements */

static json_t *
agreement_summary(struct worker *w, size_t i, bool with_zones)
{
    struct truce_agreement_info in;
    json_t *o, *zones, *z, *fc;
    size_t k;
    truce_agreements_info(w->set, i, &in);
    o = json_loads(in.json, 0, NULL);
    zones = json_object_get(o, "zones");
    fc = json_array();
    json_array_foreach(zones, k, z) {
        if (with_zones)
            json_array_append_new(
                fc, json_pack("{s:s,s:O,s:{s:O,s:s}}", "type", "Feature",
                              "geometry", json_object_get(z, "geometry"),
                              "properties", "name", json_object_get(z, "name"),
                              "agreement", in.id));
        json_object_del(z, "geometry");
    }
    json_object_set_new(o, "area_km2", json_real(in.area_km2));
    if (with_zones)
        json_object_set_new(o, "zones", json_pack("{s:s,s:o}", "type",
                                                  "FeatureCollection",
                                                  "features", fc));
    else
        json_decref(fc);
    return o;
}

static void
get_agreements(struct call *c, const char *id)
{
    size_t n = truce_agreements_count(c->w->set);
    json_t *arr;
    if (id) {
        long k = truce_agreements_find(c->w->set, id);
        if (k < 0) {
            reply_error(c->r, 404, "no agreement '%s'", id);
            return;
        }
        reply_json(c->r, 200, agreement_summary(c->w, (size_t)k, true));
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, agreement_summary(c->w, i, false));
    reply_json(c->r, 200, json_pack("{s:o}", "agreements", arr));
}

static truce_status
add_boundary(void *ud, const char *id, const char *json)
{
    json_t *o = json_loads(json, 0, NULL);
    json_array_append_new(ud, json_pack("{s:s,s:I}", "name", id, "features",
                                        (json_int_t)json_array_size(
                                            json_object_get(o, "features"))));
    json_decref(o);
    return TRUCE_OK;
}

static void
get_boundaries(struct call *c, const char *name)
{
    json_t *arr;
    char *text = NULL;
    if (name) {
        if (truce_store_get_boundaries(c->w->st, name, &text)) {
            reply_failure(c->r, c->w, TRUCE_EDB);
            return;
        }
        if (!text) {
            reply_error(c->r, 404, "no boundaries named '%s'", name);
            return;
        }
        reply_text(c->r, 200, text, "application/geo+json");
        return;
    }
    arr = json_array();
    if (truce_store_each_boundaries(c->w->st, add_boundary, arr)) {
        json_decref(arr);
        reply_failure(c->r, c->w, TRUCE_EDB);
        return;
    }
    reply_json(c->r, 200, json_pack("{s:o}", "boundaries", arr));
}

/* ------------------------------------------------------------ events */

struct page {
    struct truce_buf out;
    long limit, n;
    int64_t last;
    bool more;
};

/* Fast number and date writing for the map's hot path (printf's float
 * formatting was a tenth of its time). */
static char *
put_uint(char *p, uint64_t v, int min_digits)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < min_digits);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* A coordinate with six decimals (about 0.1 m). */
static void
add_coord(struct truce_buf *b, double v)
{
    char out[32], *p = out;
    int64_t micro = (int64_t)llround(v * 1e6);
    if (micro < 0) {
        *p++ = '-';
        micro = -micro;
    }
    p = put_uint(p, (uint64_t)(micro / 1000000), 1);
    *p++ = '.';
    p = put_uint(p, (uint64_t)(micro % 1000000), 6);
    truce_buf_add(b, out, (size_t)(p - out));
}

/* YYYY-MM-DD of a day number. */
static void
day_text(int64_t days, char out[16])
{
    int y, m, d;
    char *p;
    truce_civil_from_days(days, &y, &m, &d);
    if (y < 1000 || y > 9999) {
        truce_format_day(days, out);
        return;
    }
    p = put_uint(out, (uint64_t)y, 4);
    *p++ = '-';
    p = put_uint(p, (uint64_t)m, 2);
    *p++ = '-';
    p = put_uint(p, (uint64_t)d, 2);
    *p = '\0';
}

/* "side" (the one side when one alone is attributed a violation, else
 * null) and "sides" (all of them) from the stored sides: a JSON array, or
 * one id as stores before schema 3 wrote it. */
static void
map_sides(struct truce_buf *b, const char *stored)
{
    bool array = stored && stored[0] == '[';
    bool one = stored && (!array || !strstr(stored, "\",\""));
    truce_buf_adds(b, ",\"side\":");
    if (!one)
        truce_buf_adds(b, "null");
    else if (array) /* ["x"] */
        truce_buf_add(b, stored + 1, strlen(stored) - 2);
    else
        truce_buf_add_json(b, stored);
    truce_buf_adds(b, ",\"sides\":");
    if (array) {
        truce_buf_adds(b, stored);
    } else if (stored) {
        truce_buf_adds(b, "[");
        truce_buf_add_json(b, stored);
        truce_buf_adds(b, "]");
    } else {
        truce_buf_adds(b, "[]");
    }
}

/* One GeoJSON feature per row, written directly: the map's hot path. */
static truce_status
page_row(void *ud, const struct truce_map_row *row)
{
    struct page *p = ud;
    struct truce_buf *b = &p->out;
    char d0[32], d1[16];
    if (p->n == p->limit) {
        p->more = true;
        return TRUCE_EOF; /* one more than the page: stop */
    }
    p->last = row->key;
    if (row->date_only) {
        day_text(row->t0 / 86400, d0);
        day_text(row->t1 / 86400 - 1, d1);
    } else {
        truce_format_utc(row->t0, d0);
        if (row->time_kind == TRUCE_TIME_LOCAL)
            d0[19] = '\0';
        memcpy(d1, d0, 10); /* the day of an instant, as written */
        d1[10] = '\0';
    }
    if (p->n)
        truce_buf_add(b, ",", 1);
    truce_buf_adds(b, "{\"type\":\"Feature\",\"id\":");
    truce_buf_add_json(b, row->id);
    truce_buf_adds(b, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
    add_coord(b, row->lon);
    truce_buf_add(b, ",", 1);
    add_coord(b, row->lat);
    truce_buf_adds(b, "]},\"properties\":{\"id\":");
    truce_buf_add_json(b, row->id);
    truce_buf_adds(b, ",\"date\":");
    truce_buf_add_json(b, row->date_only ? d0 : d1);
    truce_buf_adds(b, ",\"date_end\":");
    truce_buf_add_json(b, row->date_only ? d1 : NULL);
    truce_buf_adds(b, ",\"time\":");
    truce_buf_add_json(b, row->date_only ? NULL : d0);
    truce_buf_adds(b, ",\"category\":");
    truce_buf_add_json(b, row->category);
    truce_buf_adds(b, ",\"verdict\":");
    truce_buf_add_json(b, row->verdict);
    truce_buf_adds(b, ",\"location\":");
    truce_buf_add_json(b, row->location);
    truce_buf_adds(b, ",\"fatalities\":");
    if (row->fatalities >= 0) {
        char n[24];
        truce_buf_add(b, n, (size_t)(put_uint(n, (uint64_t)row->fatalities,
                                              1) - n));
    } else {
        truce_buf_adds(b, "null");
    }
    if (row->radius_km >= 0 && row->radius_km == floor(row->radius_km) &&
        row->radius_km < 1e9) {
        char n[24];
        truce_buf_adds(b, ",\"radius_km\":");
        truce_buf_add(b, n, (size_t)(put_uint(n, (uint64_t)row->radius_km,
                                              1) - n));
    } else if (row->radius_km >= 0) {
        truce_buf_addf(b, ",\"radius_km\":%g", row->radius_km);
    } else {
        truce_buf_adds(b, ",\"radius_km\":null");
    }
    map_sides(b, row->side);
    truce_buf_adds(b, ",\"review\":");
    truce_buf_add_json(b, row->review);
    truce_buf_adds(b, ",\"verdicts\":");
    truce_buf_adds(b, row->verdicts ? row->verdicts : "{}");
    if (row->reports > 1)
        truce_buf_addf(b, ",\"reports\":%lld", (long long)row->reports);
    p->n++;
    return truce_buf_adds(b, "}}");
}

/* The days from and to (inclusive, as written) into q; false after
 * answering 400. */
static bool
arg_days(struct call *c, struct truce_query *q)
{
    int64_t day;
    bool given;
    if (!arg_day(c, "from", &day, &given))
        return false;
    if (given) {
        q->has_from = true;
        q->from = day * 86400;
    }
    if (!arg_day(c, "to", &day, &given))
        return false;
    if (given) {
        q->has_to = true;
        q->to = (day + 1) * 86400;
    }
    return true;
}

/* The count=auto|events|incidents of events, trend, coverage and report,
 * set on the worker's store for this request; false after answering 400. */
static bool
arg_count(struct call *c)
{
    const char *v = arg(c, "count");
    int k = v ? truce_count_parse(v) : (int)TRUCE_COUNT_AUTO;
    if (k < 0) {
        reply_error(c->r, 400, "parameter 'count' must be one of %s",
                    TRUCE_NAME_LIST(TRUCE_COUNTS));
        return false;
    }
    truce_store_set_count(c->w->st, (enum truce_count)k);
    return true;
}

/* The filters of /api/events (bbox, from, to, verdict, category, side,
 * agreement, count) into q; false after answering 400. */
static bool
arg_filters(struct call *c, struct truce_query *q)
{
    const char *v;
    truce_status st;
    enum truce_count counted;
    if (!arg_days(c, q))
        return false;
    if ((v = arg(c, "bbox"))) {
        if (!truce_parse_bbox(v, q->bbox)) {
            reply_error(c->r, 400, "parameter 'bbox' must be W,S,E,N in "
                        "degrees");
            return false;
        }
        q->has_bbox = true;
    }
    if ((v = arg(c, "verdict"))) {
        int k = truce_verdict_parse(v);
        if (k < 0) {
            reply_error(c->r, 400, "parameter 'verdict' is not a verdict "
                        "(%s): '%s'", TRUCE_NAME_LIST(TRUCE_VERDICTS), v);
            return false;
        }
        q->has_verdict = true;
        q->verdict = (enum truce_verdict)k;
    }
    if ((v = arg(c, "category")) &&
        truce_category_parse(v, strlen(v)) == TRUCE_CAT_NONE) {
        reply_error(c->r, 400, "parameter 'category' is not a category: "
                    "'%s'", v);
        return false;
    }
    q->category = v;
    q->side = arg(c, "side");
    q->agreement = arg(c, "agreement");
    if (!arg_count(c))
        return false;
    /* one point an incident when incidents are counted */
    if ((st = truce_store_counting(c->w->st, &counted))) {
        reply_failure(c->r, c->w, st);
        return false;
    }
    q->representatives_only = counted == TRUCE_COUNT_INCIDENTS;
    return true;
}

static void
get_events(struct call *c)
{
    struct truce_query q = {0};
    struct page p = {0};
    const char *v;
    truce_status st;
    long limit = DEFAULT_LIMIT;
    if (!arg_filters(c, &q) || !arg_long(c, "limit", 1, MAX_LIMIT, &limit))
        return;
    if ((v = arg(c, "cursor"))) {
        char *end;
        if (v[0] != 'c' || (q.after_key = strtoll(v + 1, &end, 16)) <= 0 ||
            *end) {
            reply_error(c->r, 400, "parameter 'cursor' is not a cursor this "
                        "server gave");
            return;
        }
    }
    p.limit = limit;
    q.limit = limit + 1;
    truce_buf_init(&p.out, 0);
    truce_buf_adds(&p.out, "{\"type\":\"FeatureCollection\",\"features\":[");
    st = truce_store_map(c->w->st, &q, page_row, &p);
    if (st && st != TRUCE_EOF) {
        truce_buf_release(&p.out);
        reply_failure(c->r, c->w, st);
        return;
    }
    truce_buf_addf(&p.out, "],\"counted\":\"%s\"",
                   q.representatives_only ? "incidents" : "events");
    if (p.more)
        truce_buf_addf(&p.out, ",\"next_cursor\":\"c%llx\"}",
                       (unsigned long long)p.last);
    else
        truce_buf_adds(&p.out, ",\"next_cursor\":null}");
    reply_text(c->r, 200, truce_buf_detach(&p.out), "application/geo+json");
}

/* ------------------------------------------------------ map cells */

/* Cells of at most this many events are loaded again by the request that
 * finds them old (a few milliseconds); larger ones in the background. */
#define CELLS_INLINE 100000
#define DEFAULT_FEW 3
#define DEFAULT_POINTS 2000
#define MAX_STEPS 1500 /* of the dashboard's date slider */

struct cells_ref {
    struct truce_cells *c;
    int refs;
};

static void
cells_unref(struct api *s, struct cells_ref *r)
{
    bool last;
    if (!r)
        return;
    pthread_mutex_lock(&s->cells_lock);
    last = --r->refs == 0;
    pthread_mutex_unlock(&s->cells_lock);
    if (last) {
        truce_cells_free(r->c);
        free(r);
    }
}

/* Makes c the served cells (loads run one at a time, so the last loaded
 * is the newest: also when the store went back to an older version, as
 * a restored backup does). */
static void
cells_install(struct api *s, struct truce_cells *c)
{
    struct cells_ref *r = calloc(1, sizeof(*r)), *old;
    if (!r) {
        truce_cells_free(c);
        return;
    }
    r->c = c;
    r->refs = 1; /* the api's */
    pthread_mutex_lock(&s->cells_lock);
    old = s->cells;
    s->cells = r;
    pthread_mutex_unlock(&s->cells_lock);
    cells_unref(s, old);
}

/* A load has ended: the next may start, and who waits for one looks. */
static void
cells_loaded(struct api *s)
{
    pthread_mutex_lock(&s->cells_lock);
    s->cells_loading = false;
    pthread_cond_broadcast(&s->cells_cv);
    pthread_mutex_unlock(&s->cells_lock);
}

static void *
cells_loader_main(void *arg)
{
    struct api *s = arg;
    struct truce_ctx *ctx = NULL;
    struct truce_store *st = NULL;
    struct truce_cells *c = NULL;
    if (!truce_ctx_new(&ctx) && !truce_store_open(ctx, s->o.db, &st) &&
        !truce_cells_load(ctx, st, &c))
        cells_install(s, c);
    truce_store_close(st);
    truce_ctx_free(ctx);
    cells_loaded(s);
    return NULL;
}

/* Starts loading in the background unless a load runs; with cells_lock
 * held. */
static void
cells_load_later(struct api *s)
{
    if (s->cells_loading)
        return;
    if (s->cells_loader)
        pthread_join(s->cells_thread, NULL); /* it has ended */
    s->cells_loader = s->cells_loading =
        pthread_create(&s->cells_thread, NULL, cells_loader_main, s) == 0;
}

/* The cells to answer from, referenced (cells_unref), as of the store's
 * events version now, or older (*stale) while a load runs: one load at a
 * time, here for up to CELLS_INLINE events (the others wait for it, or
 * answer from the older cells), in the background beyond. NULL after
 * answering the failure. */
static struct cells_ref *
cells_get(struct call *c, bool *stale)
{
    struct api *s = c->s;
    struct cells_ref *r;
    struct truce_cells *fresh;
    int64_t v;
    truce_status st;
    *stale = false;
    if ((st = truce_store_events_version(c->w->st, &v))) {
        reply_failure(c->r, c->w, st);
        return NULL;
    }
    pthread_mutex_lock(&s->cells_lock);
    for (;;) {
        r = s->cells;
        if (r && truce_cells_version(r->c) == v)
            break;
        if (r && (s->cells_loading || truce_cells_size(r->c) > CELLS_INLINE)) {
            cells_load_later(s);
            *stale = true;
            break;
        }
        if (!s->cells_loading) {
            s->cells_loading = true;
            pthread_mutex_unlock(&s->cells_lock);
            st = truce_cells_load(c->w->ctx, c->w->st, &fresh);
            if (!st)
                cells_install(s, fresh);
            cells_loaded(s);
            if (st) {
                reply_failure(c->r, c->w, st);
                return NULL;
            }
            pthread_mutex_lock(&s->cells_lock);
            r = s->cells;
            *stale = truce_cells_version(r->c) != v;
            break;
        }
        /* none yet: the load that runs */
        pthread_cond_wait(&s->cells_cv, &s->cells_lock);
    }
    r->refs++;
    pthread_mutex_unlock(&s->cells_lock);
    return r;
}

/* The zoom of a web map (Leaflet's, 0-22) as a level of cells about 73
 * pixels wide: 0.1 degrees x 2^(10 - zoom). */
static int
level_of_zoom(long zoom)
{
    long level = 10 - zoom;
    return (int)(level < -6 ? -6 : level > 10 ? 10 : level);
}

static void
add_by_verdict(struct truce_buf *b, const long *by)
{
    truce_buf_adds(b, "{");
    for (int v = 0; v <= TRUCE_V_VIOLATION; v++)
        truce_buf_addf(b, "%s\"%s\":%ld", v ? "," : "",
                       truce_verdict_name((enum truce_verdict)v), by[v]);
    truce_buf_adds(b, "}");
}

static void
add_cell(struct truce_buf *b, const struct truce_cell *cell, bool first)
{
    truce_buf_adds(b, first ? "{\"bbox\":[" : ",{\"bbox\":[");
    for (int k = 0; k < 4; k++) {
        if (k)
            truce_buf_add(b, ",", 1);
        add_coord(b, cell->bbox[k]);
    }
    truce_buf_adds(b, "],\"lon\":");
    add_coord(b, cell->lon);
    truce_buf_adds(b, ",\"lat\":");
    add_coord(b, cell->lat);
    truce_buf_addf(b, ",\"n\":%ld,\"by_verdict\":", cell->n);
    add_by_verdict(b, cell->by_verdict);
    truce_buf_adds(b, "}");
}

/* "days": the slider's steps over what q selects (without its dates). */
static truce_status
add_days(struct call *c, const struct truce_cells *cells,
         const struct truce_query *q, struct truce_buf *b)
{
    struct truce_query all = *q;
    struct truce_cells_days d;
    char first[16], last[16];
    truce_status st;
    all.has_from = all.has_to = false;
    if ((st = truce_cells_days(c->w->ctx, cells, &all, MAX_STEPS, &d)))
        return st;
    if (!d.n) {
        truce_buf_adds(b, ",\"days\":null");
        return TRUCE_OK;
    }
    day_text(d.first, first);
    day_text(d.last, last);
    truce_buf_addf(b, ",\"days\":{\"first\":\"%s\",\"last\":\"%s\","
                   "\"step\":%ld,\"counts\":[", first, last, d.step);
    for (size_t i = 0; i < d.n; i++)
        truce_buf_addf(b, "%s[%ld,%ld]", i ? "," : "", d.counts[i][0],
                       d.counts[i][1]);
    truce_buf_adds(b, "]}");
    truce_cells_days_release(&d);
    return TRUCE_OK;
}

/* The answer's points: the features of its keys, from the store. */
static truce_status
cells_points(struct call *c, const struct truce_query *filters,
             const struct truce_cells_answer *a, struct page *p)
{
    struct truce_query q = {0};
    if (!a->n_keys)
        return TRUCE_OK;
    q.keys = a->keys;
    q.n_keys = a->n_keys;
    q.representatives_only = filters->representatives_only;
    p->limit = (long)a->n_keys + 1;
    return truce_store_map(c->w->st, &q, page_row, p);
}

/* "latest": the features of the answer's latest, in its order. */
static truce_status
add_latest(struct call *c, const struct truce_query *filters,
           const struct truce_cells_answer *a, struct truce_buf *b)
{
    struct page lp = {0};
    truce_status st = TRUCE_OK;
    truce_buf_init(&lp.out, 0);
    lp.limit = (long)a->n_latest + 1;
    for (size_t i = 0; i < a->n_latest && !st; i++) {
        struct truce_query q = {0};
        q.keys = &a->latest[i];
        q.n_keys = 1;
        q.representatives_only = filters->representatives_only;
        st = truce_store_map(c->w->st, &q, page_row, &lp);
    }
    if (!st) {
        truce_buf_adds(b, ",\"latest\":[");
        truce_buf_add(b, lp.out.buf ? lp.out.buf : "", lp.out.len);
        truce_buf_adds(b, "]");
    }
    truce_buf_release(&lp.out);
    return st;
}

static void
get_cells(struct call *c)
{
    struct truce_query q = {0};
    struct truce_cells_answer a = {0};
    struct cells_ref *ref;
    struct page p = {0};
    long zoom = 6, few = DEFAULT_FEW, points = DEFAULT_POINTS, days = 0;
    long latest = 0;
    bool stale;
    truce_status st;
    if (!arg_filters(c, &q) || !arg_long(c, "zoom", 0, 22, &zoom) ||
        !arg_long(c, "few", 0, 16, &few) ||
        !arg_long(c, "points", 0, MAX_LIMIT, &points) ||
        !arg_long(c, "days", 0, 1, &days) ||
        !arg_long(c, "latest", 0, 100, &latest) ||
        !(ref = cells_get(c, &stale)))
        return;
    truce_buf_init(&p.out, 0);
    truce_buf_adds(&p.out, "{\"type\":\"FeatureCollection\",\"features\":[");
    if ((st = truce_cells_count_latest(c->w->ctx, ref->c, &q,
                                       level_of_zoom(zoom), (size_t)few,
                                       (size_t)points, (size_t)latest, &a)) ||
        ((st = cells_points(c, &q, &a, &p)) && st != TRUCE_EOF))
        goto fail;
    truce_buf_addf(&p.out, "],\"counted\":\"%s\",\"version\":%lld,"
                   "\"stale\":%s,\"level\":%d,\"cell_deg\":%g,"
                   "\"total\":%ld,\"by_verdict\":",
                   q.representatives_only ? "incidents" : "events",
                   (long long)truce_cells_version(ref->c),
                   stale ? "true" : "false", a.level,
                   truce_cells_degrees(a.level), a.total);
    add_by_verdict(&p.out, a.by_verdict);
    if ((days && (st = add_days(c, ref->c, &q, &p.out))) ||
        (latest && (st = add_latest(c, &q, &a, &p.out))))
        goto fail;
    truce_buf_adds(&p.out, ",\"cells\":[");
    for (size_t i = 0; i < a.n_cells; i++)
        add_cell(&p.out, &a.cells[i], i == 0);
    truce_buf_adds(&p.out, "]}");
    reply_text(c->r, 200, truce_buf_detach(&p.out), "application/geo+json");
    st = TRUCE_OK;
fail:
    cells_unref(c->s, ref);
    truce_cells_answer_release(&a);
    if (st) {
        truce_buf_release(&p.out);
        reply_failure(c->r, c->w, st);
    }
}

/* ------------------------------------------------------- one event */

struct detail {
    struct worker *w;
    json_t *doc;
    truce_status st;
};

static truce_status
add_history(void *ud, const char *id, const char *json)
{
    (void)id;
    json_array_append_new(ud, json_loads(json, 0, NULL));
    return TRUCE_OK;
}

static truce_status
detail_event(void *ud, struct truce_stored *rec)
{
    struct detail *d = ud;
    struct truce_buf b;
    char *review = NULL;
    json_t *history = json_array();
    truce_status st;
    truce_buf_init(&b, 0);
    if ((rec->assessed &&
         (st = truce_explain_stored(d->w->ctx, d->w->set, d->w->actors,
                                    &rec->ev, rec->as, rec->n_as))) ||
        (st = truce_store_get_review(d->w->st, rec->ev.id, &review)) ||
        (st = truce_event_to_json(&rec->ev, rec->as, rec->n_as, rec->overall,
                                  rec->assessed, review, &b)) ||
        (st = truce_store_audit(d->w->st, rec->ev.id, 0, 1000, add_history,
                                history))) {
        json_decref(history);
        free(review);
        truce_buf_release(&b);
        return st;
    }
    d->doc = json_loads(b.buf, 0, NULL);
    /* the incident it reports, with the other reports and why */
    if (d->doc && rec->incident) {
        truce_buf_reset(&b);
        if ((st = truce_store_incident_json(d->w->st, d->w->actors,
                                            rec->incident, &b))) {
            json_decref(history);
            free(review);
            truce_buf_release(&b);
            return st;
        }
        json_object_set_new(d->doc, "incident", json_loads(b.buf, 0, NULL));
    } else if (d->doc) {
        json_object_set_new(d->doc, "incident", json_null());
    }
    if (d->doc && !json_object_get(d->doc, "review"))
        json_object_set_new(d->doc, "review", json_null());
    if (d->doc)
        json_object_set_new(d->doc, "history", history);
    else
        json_decref(history);
    free(review);
    truce_buf_release(&b);
    return TRUCE_OK;
}

static void
reply_event(struct call *c, const char *id, unsigned status)
{
    struct truce_query q = {0};
    struct detail d = {c->w, NULL, TRUCE_OK};
    truce_status st;
    q.id = id;
    st = truce_store_query(c->w->st, &q, detail_event, &d);
    if (st) {
        reply_failure(c->r, c->w, st);
        return;
    }
    if (!d.doc) {
        reply_error(c->r, 404, "no event '%s'", id);
        return;
    }
    reply_json(c->r, status, d.doc);
}

/* --------------------------------------------------- field reports */

static void
post_report(struct call *c)
{
    char user[64], id[64];
    json_t *o;
    char *text;
    struct truce_event ev;
    truce_status st;
    snprintf(user, sizeof(user), "%s", c->user);
    o = json_loadb(c->body, c->body_len, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        reply_error(c->r, 400, "the body must be a JSON object (a field "
                    "report in the event shape)");
        return;
    }
    /* The server names the report; a name given by the client is ignored. */
    json_object_set_new(o, "id", json_string("field:new"));
    json_object_del(o, "source");
    json_object_del(o, "source_id");
    text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    truce_event_init(&ev);
    st = truce_event_from_json(c->w->ctx, text, strlen(text), &ev);
    free(text);
    if (st) {
        reply_error(c->r, 400, "%s", truce_ctx_errmsg(c->w->ctx));
        truce_event_release(&ev);
        return;
    }
    /* A monitor reports what has happened: a start after tomorrow (in any
     * time zone) is a mistyped date. */
    if (ev.t0 > (int64_t)time(NULL) + 2 * 86400) {
        reply_error(c->r, 400, "field 'date_start' (or 'time'): the report "
                    "starts in the future; check the date");
        truce_event_release(&ev);
        return;
    }
    /* stored, assessed at once and audited, in one transaction */
    st = truce_store_add_report(c->w->st, c->w->set, c->w->actors, &ev, user,
                                id);
    truce_event_release(&ev);
    if (st) {
        reply_failure(c->r, c->w, st);
        return;
    }
    reply_event(c, id, 201);
}

/* An admin deletes a field report (a mistyped one, a test); the audit
 * keeps what it was. */
static void
delete_event(struct call *c, const char *id)
{
    truce_status st = truce_store_delete_report(c->w->st, id, c->user);
    json_t *o;
    if (st) {
        reply_failure(c->r, c->w, st);
        return;
    }
    o = json_pack("{s:s,s:b}", "id", id, "deleted", 1);
    reply_json(c->r, 200, o);
}

/* ------------------------------------------------------------ news */

/* The gazetteer of this worker (the store's places and boundaries), made
 * on the first article and again when the store's places change. */
static truce_status
worker_gazetteer(struct worker *w)
{
    int64_t v;
    struct truce_gazetteer *gz;
    truce_status rc = truce_store_places_version(w->st, &v);
    if (rc || (w->gz && v == w->gz_version))
        return rc;
    if ((rc = truce_store_gazetteer(w->ctx, w->st, &gz)))
        return rc;
    truce_gazetteer_free(w->gz);
    w->gz = gz;
    w->gz_version = v;
    return TRUCE_OK;
}

/* An optional string field of o; false after a reply (not a string). */
static bool
body_str(struct call *c, json_t *o, const char *k, const char **out)
{
    json_t *v = json_object_get(o, k);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        reply_error(c->r, 400, "field '%s' must be a string", k);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* An analyst reads an article: {"text", "date", "tz"?, "source"?} to
 * truce_extract's document (DESIGN section 9), each finding with the
 * byte span of its sentence, for the dashboard to show in the text. */
static void
post_extract(struct call *c)
{
    struct truce_extract_opts o = {0, NULL, "news", NULL, NULL};
    struct truce_when when;
    struct truce_tz *tz = NULL;
    json_error_t jerr;
    json_t *b;
    const char *text, *date, *zone, *source;
    char *doc = NULL;
    truce_status st;
    b = json_loadb(c->body, c->body_len, 0, &jerr);
    if (!json_is_object(b)) {
        if (b)
            reply_error(c->r, 400, "the body must be a JSON object "
                        "{\"text\", \"date\", \"tz\", \"source\"}");
        else
            reply_error(c->r, 400, "the body is not JSON (%s, column %d); "
                        "the text must be UTF-8", jerr.text, jerr.column);
        json_decref(b);
        return;
    }
    if (!body_str(c, b, "text", &text) || !body_str(c, b, "date", &date) ||
        !body_str(c, b, "tz", &zone) || !body_str(c, b, "source", &source))
        goto out;
    if (!text || !text[0]) {
        reply_error(c->r, 400, "field 'text' is missing: the article's "
                    "text");
        goto out;
    }
    if (!date || strlen(date) != 10 ||
        truce_parse_when(date, 10, &when) || when.has_time) {
        reply_error(c->r, 400, "field 'date' must be the day the article "
                    "was published, YYYY-MM-DD%s%s%s", date ? ": '" : "",
                    date ? date : "", date ? "'" : "");
        goto out;
    }
    o.published = when.secs / 86400;
    if (zone && zone[0]) {
        if (truce_tz_load(c->w->ctx, zone, &tz)) {
            reply_error(c->r, 400, "field 'tz': %s",
                        truce_ctx_errmsg(c->w->ctx));
            goto out;
        }
        truce_tz_free(tz);
        o.timezone = zone;
    }
    if (source) {
        size_t k = strspn(source, "abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
        if (!source[0] || source[k] || k > 40) {
            reply_error(c->r, 400, "field 'source' must be a short name "
                        "(letters, digits, '-', '_', '.'; at most 40): it "
                        "goes into the findings' ids");
            goto out;
        }
        o.source = source;
    }
    /* without a zone, the agreement's whose zones hold the place */
    if (!o.timezone && !(st = worker_model(c->w)))
        o.agreements = c->w->set;
    if ((st = worker_gazetteer(c->w)) ||
        (st = truce_extract(c->w->ctx, text, strlen(text), &o, c->w->gz,
                            &doc))) {
        reply_failure(c->r, c->w, st);
        goto out;
    }
    reply_text(c->r, 200, doc, "application/json");
out:
    json_decref(b);
}

/* An analyst stores one incident of /api/extract's answer, as it came or
 * edited: an event of source news, unverified, assessed at once, with an
 * audit entry (truce_store_add_news). 201 when new, 200 when it was
 * stored before (the same incident id), with the event object. */
static void
post_extract_incident(struct call *c)
{
    char user[64], id[256];
    struct truce_event ev;
    enum truce_put_result res = TRUCE_PUT_INSERTED;
    truce_status st;
    snprintf(user, sizeof(user), "%s", c->user);
    truce_event_init(&ev);
    st = truce_extract_incident_event(c->w->ctx, c->body ? c->body : "",
                                      c->body_len, &ev);
    if (st) {
        reply_error(c->r, 400, "%s", truce_ctx_errmsg(c->w->ctx));
        truce_event_release(&ev);
        return;
    }
    snprintf(id, sizeof(id), "%s", ev.id);
    st = truce_store_add_news(c->w->st, c->w->set, c->w->actors, &ev, user,
                              &res);
    truce_event_release(&ev);
    if (st) {
        reply_failure(c->r, c->w, st);
        return;
    }
    reply_event(c, id, res == TRUCE_PUT_INSERTED ? 201 : 200);
}

/* ----------------------------------------------------------- review */

static void
post_review(struct call *c, const char *id)
{
    char user[64], *review = NULL;
    json_t *o;
    truce_status st;
    snprintf(user, sizeof(user), "%s", c->user);
    o = json_loadb(c->body, c->body_len, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        reply_error(c->r, 400, "the body must be a JSON object {\"state\", "
                    "\"note\", \"guarantor\", \"outcome\"}");
        return;
    }
    st = truce_store_review(
        c->w->st, id, user, json_string_value(json_object_get(o, "state")),
        json_string_value(json_object_get(o, "note")),
        json_string_value(json_object_get(o, "guarantor")),
        json_string_value(json_object_get(o, "outcome")), &review);
    json_decref(o);
    free(review);
    if (st) {
        reply_failure(c->r, c->w, st);
        return;
    }
    reply_event(c, id, 200);
}

/* An analyst's split or merge of incidents: {"event": ID} splits the
 * event off its incident, {"events": [A, B]} merges A's and B's; linked
 * again at once, the answer is the event (A) with its incident. */
static void
post_incident(struct call *c, const char *what)
{
    char user[64];
    struct truce_link_counts lc;
    const char *a, *b = NULL;
    bool merge = !strcmp(what, "merge");
    json_t *o;
    truce_status st;
    if (!merge && strcmp(what, "split")) {
        reply_error(c->r, 404, "no route POST /api/incidents/%s (split or "
                    "merge)", what);
        return;
    }
    o = json_loadb(c->body, c->body_len, 0, NULL);
    snprintf(user, sizeof(user), "%s", c->user);
    a = json_string_value(json_object_get(o, "event"));
    if (merge) {
        json_t *ev = json_object_get(o, "events");
        a = json_string_value(json_array_get(ev, 0));
        b = json_string_value(json_array_get(ev, 1));
        if (json_array_size(ev) != 2)
            a = NULL;
    }
    if (!json_is_object(o) || !a || (merge && !b)) {
        json_decref(o);
        reply_error(c->r, 400, merge ? "the body must be {\"events\": [A, B]}"
                                     : "the body must be {\"event\": ID}");
        return;
    }
    st = truce_store_link_rule(c->w->st,
                               merge ? TRUCE_LINK_MERGE : TRUCE_LINK_SPLIT, a,
                               b, user);
    if (!st)
        st = truce_store_link(c->w->st, false, &lc);
    if (st) {
        json_decref(o);
        reply_failure(c->r, c->w, st);
        return;
    }
    reply_event(c, a, 200);
    json_decref(o);
}

static void
get_audit(struct call *c)
{
    json_t *arr = json_array(), *last;
    long limit = 100;
    int64_t after = 0;
    const char *v;
    char cur[32];
    if (!arg_long(c, "limit", 1, 1000, &limit)) {
        json_decref(arr);
        return;
    }
    if ((v = arg(c, "cursor"))) {
        char *end;
        if (v[0] != 'a' || (after = strtoll(v + 1, &end, 10)) < 0 || *end) {
            json_decref(arr);
            reply_error(c->r, 400, "parameter 'cursor' is not a cursor this "
                        "server gave");
            return;
        }
    }
    if (truce_store_audit(c->w->st, NULL, after, limit + 1, add_history,
                          arr)) {
        json_decref(arr);
        reply_failure(c->r, c->w, TRUCE_EDB);
        return;
    }
    if ((long)json_array_size(arr) > limit) {
        json_array_remove(arr, (size_t)limit);
        last = json_array_get(arr, (size_t)limit - 1);
        snprintf(cur, sizeof(cur), "a%lld",
                 (long long)json_integer_value(json_object_get(last, "id")));
        reply_json(c->r, 200, json_pack("{s:o,s:s}", "entries", arr,
                                        "next_cursor", cur));
        return;
    }
    reply_json(c->r, 200, json_pack("{s:o,s:n}", "entries", arr,
                                    "next_cursor"));
}

/* --------------------------------------------------------- analytics */

static bool
country_region(struct call *c, struct truce_region **out)
{
    const char *name = arg(c, "country");
    char *text = NULL;
    *out = NULL;
    if (!name)
        return true;
    if (truce_store_get_boundaries(c->w->st, name, &text) || !text) {
        reply_error(c->r, 404, "no boundaries named '%s'", name);
        return false;
    }
    if (truce_region_parse(c->w->ctx, text, strlen(text), name, out)) {
        free(text);
        reply_failure(c->r, c->w, TRUCE_EGEOM);
        return false;
    }
    free(text);
    return true;
}

static void
reply_buf(struct call *c, struct truce_buf *b, const char *type)
{
    reply_text(c->r, 200, truce_buf_detach(b), type);
}

static void
get_trend(struct call *c)
{
    const char *id = arg(c, "agreement");
    struct truce_region *region;
    struct truce_trend t;
    struct truce_buf b;
    long window = 30;
    truce_status st;
    if (!id) {
        reply_error(c->r, 400, "parameter 'agreement' is missing");
        return;
    }
    if (!arg_count(c) || !arg_long(c, "window", 1, 3660, &window) ||
        !country_region(c, &region))
        return;
    st = truce_trend_compute(c->w->ctx, c->w->st, c->w->set, c->w->actors, id,
                             arg(c, "zone"), (double)window, region, &t);
    truce_region_free(c->w->ctx, region);
    if (st) {
        reply_failure(c->r, c->w, st);
        return;
    }
    truce_buf_init(&b, 0);
    truce_trend_to_json(&t, &b);
    truce_trend_release(&t);
    reply_buf(c, &b, "application/json");
}

static void
get_coverage(struct call *c)
{
    struct truce_region *region;
    struct truce_coverage cv;
    struct truce_buf b;
    int64_t day;
    bool given;
    truce_status st;
    if (!arg_count(c) || !arg_day(c, "date", &day, &given))
        return;
    if (!given || !arg(c, "country")) {
        reply_error(c->r, 400, "parameters 'date' and 'country' are needed");
        return;
    }
    if (!country_region(c, &region))
        return;
    st = truce_coverage_compute(c->w->ctx, c->w->st, c->w->set, region, day,
                                &cv);
    truce_region_free(c->w->ctx, region);
    if (st) {
        reply_failure(c->r, c->w, st);
        return;
    }
    truce_buf_init(&b, 0);
    truce_coverage_to_json(&cv, &b);
    truce_coverage_release(&cv);
    reply_buf(c, &b, "application/json");
}

static void
get_report(struct call *c)
{
    const char *id = arg(c, "agreement"), *fmt = arg(c, "format");
    struct truce_buf b;
    int64_t day;
    bool given;
    long days = 1;
    truce_status st;
    if (!fmt)
        fmt = "json";
    if (!arg_count(c) || !arg_day(c, "date", &day, &given) ||
        !arg_long(c, "days", 1, 366, &days))
        return;
    if (!id || !given) {
        reply_error(c->r, 400, "parameters 'agreement' and 'date' are "
                    "needed");
        return;
    }
    truce_buf_init(&b, 0);
    st = truce_report_render(c->w->ctx, c->w->st, c->w->set, c->w->actors, id,
                             day, (int)days, fmt, &b);
    if (st) {
        truce_buf_release(&b);
        reply_failure(c->r, c->w, st);
        return;
    }
    reply_buf(c, &b, !strcmp(fmt, "html")   ? "text/html; charset=utf-8"
                     : !strcmp(fmt, "md") ? "text/markdown; charset=utf-8"
                                          : "application/json");
}

/* Who the token belongs to, so that a page can show what its user may do. */
static void
get_me(struct call *c)
{
    static const char *const roles[] = {"", "monitor", "analyst", "admin"};
    reply_json(c->r, 200, json_pack("{s:s,s:s}", "user", c->user, "role",
                                    roles[c->role]));
}

static void
get_health(struct call *c)
{
    int64_t events = 0, pending = 0;
    truce_store_counts(c->w->st, &events, &pending);
    reply_json(c->r, 200,
               json_pack("{s:s,s:I,s:I,s:I,s:I}", "status", "ok", "events",
                         (json_int_t)events, "pending", (json_int_t)pending,
                         "agreements",
                         (json_int_t)truce_agreements_count(c->w->set),
                         "reassessed",
                         (json_int_t)atomic_load(&c->s->reassessed)));
}

/* -------------------------------------------------------- vocabulary */

/* [{"name", "words"}, ...] of names[i], words[i] for i < n. */
static json_t *
named_words(size_t n, const char *(*name)(int), const char *(*words)(int))
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s}", "name",
                                             name((int)i), "words",
                                             words((int)i)));
    return arr;
}

/* The list functions as (int) -> text, for named_words. */
static const char *v_name(int i) { return truce_verdict_name((enum truce_verdict)i); }
static const char *v_words(int i) { return truce_verdict_words((enum truce_verdict)i); }
static const char *r_name(int i) { return truce_reason_name((enum truce_reason)(i + 1)); }
static const char *r_words(int i) { return truce_reason_words((enum truce_reason)(i + 1)); }
static const char *c_name(int i) { return truce_category_name((enum truce_category)(i + 1)); }
static const char *c_words(int i) { return truce_category_words((enum truce_category)(i + 1)); }
static const char *s_name(int i) { return truce_review_state_name((enum truce_review_state)i); }
static const char *s_words(int i) { return truce_review_state_words((enum truce_review_state)i); }
static const char *o_name(int i) { return truce_outcome_name((enum truce_outcome)i); }
static const char *o_words(int i) { return truce_outcome_words((enum truce_outcome)i); }
static const char *k_name(int i) { return truce_coverage_class_name((enum truce_coverage_class)i); }
static const char *k_words(int i) { return truce_coverage_class_words((enum truce_coverage_class)i); }

/* The states a case may move to from `from` (-1: not under review). */
static json_t *
next_states(int from)
{
    json_t *arr = json_array();
    for (int to = 0; arr && to < TRUCE_RS_COUNT; to++) {
        if (truce_review_step_allowed(from, (enum truce_review_state)to))
            json_array_append_new(arr, json_string(truce_review_state_name(
                                           (enum truce_review_state)to)));
    }
    return arr;
}

/* The names the API's answers use and the words for people, from the
 * library's lists: the dashboard keeps no copy. Verdicts come in rank
 * order, the least first. */
static void
get_vocabulary(struct call *c)
{
    json_t *states = named_words(TRUCE_RS_COUNT, s_name, s_words);
    for (size_t i = 0; i < json_array_size(states); i++)
        json_object_set_new(json_array_get(states, i), "next",
                            next_states((int)i));
    reply_json(c->r, 200,
               json_pack("{s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o}}", "verdicts",
                         named_words(TRUCE_V_VIOLATION + 1, v_name, v_words),
                         "reasons",
                         named_words(TRUCE_R_COUNT - 1, r_name, r_words),
                         "categories",
                         named_words(TRUCE_CAT_COUNT - 1, c_name, c_words),
                         "coverage_classes",
                         named_words(TRUCE_COV_COUNT, k_name, k_words),
                         "review", "start", next_states(-1), "states",
                         states, "outcomes",
                         named_words(TRUCE_OUT_COUNT, o_name, o_words)));
}

/* ---------------------------------------------------------- routes */

/* How a route's path matches: exactly; PREFIX + one segment (the
 * argument); or PREFIX + one segment + "/review". */
enum route_match { EXACT, SEGMENT, REVIEW };

struct route {
    const char *method;        /* GET also answers HEAD */
    enum route_match match;
    const char *path;          /* after /api */
    int role;                  /* 0 open (or a token when reads need one),
                                  1 monitor, 2 analyst, 3 admin */
    void (*fn)(struct call *c, const char *arg);
    const char *what;          /* for messages and docs/api.md */
    const char *arg;           /* the segment's name in docs ("{id}" when
                                  NULL) */
};

/* POST /api/whatif: the body is a draft agreement file (an agreement or a
 * list, zones inline: a draft sent over the network names no files), read
 * over the stored agreements; every stored event (from/to) is assessed
 * under it and nothing is stored. */
static void
post_whatif(struct call *c)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_query q = {0};
    struct truce_buf b;
    truce_status st;
    if (!arg_days(c, &q))
        return;
    truce_buf_init(&b, 0);
    /* no folder: a zone file is refused before any file is looked at */
    st = truce_store_load_draft(c->w->ctx, c->w->st, c->body, c->body_len,
                                "the draft", NULL, &actors, &set);
    if (st && st != TRUCE_ENOMEM && st != TRUCE_EDB) {
        /* what is wrong is the draft's (a zone file among it) */
        reply_error(c->r, 400, "%s", truce_ctx_errmsg(c->w->ctx));
        truce_buf_release(&b);
        return;
    }
    if (!st)
        st = truce_whatif(c->w->ctx, c->w->st, set, actors, &q, &b);
    truce_agreements_free(set);
    truce_actors_free(actors);
    if (st) {
        truce_buf_release(&b);
        reply_failure(c->r, c->w, st);
        return;
    }
    reply_buf(c, &b, "application/json");
}

static void r_health(struct call *c, const char *a) { (void)a; get_health(c); }
static void r_me(struct call *c, const char *a) { (void)a; get_me(c); }
static void r_vocabulary(struct call *c, const char *a) { (void)a; get_vocabulary(c); }
static void r_agreements(struct call *c, const char *a) { get_agreements(c, a); }
static void r_boundaries(struct call *c, const char *a) { get_boundaries(c, a); }
static void r_events(struct call *c, const char *a) { (void)a; get_events(c); }
static void r_cells(struct call *c, const char *a) { (void)a; get_cells(c); }
static void r_event(struct call *c, const char *a) { reply_event(c, a, 200); }
static void r_review(struct call *c, const char *a) { post_review(c, a); }
static void r_delete(struct call *c, const char *a) { delete_event(c, a); }
static void r_report_post(struct call *c, const char *a) { (void)a; post_report(c); }
static void r_trend(struct call *c, const char *a) { (void)a; get_trend(c); }
static void r_coverage(struct call *c, const char *a) { (void)a; get_coverage(c); }
static void r_report(struct call *c, const char *a) { (void)a; get_report(c); }
static void r_audit(struct call *c, const char *a) { (void)a; get_audit(c); }
static void r_incident(struct call *c, const char *a) { post_incident(c, a); }
static void r_whatif(struct call *c, const char *a) { (void)a; post_whatif(c); }
static void r_extract(struct call *c, const char *a) { (void)a; post_extract(c); }
static void r_extract_incident(struct call *c, const char *a) { (void)a; post_extract_incident(c); }

/* The API: every route once. 404 and 405 (with the methods allowed) come
 * from this table, and so does `truce serve --routes`. */
static const struct route routes[] = {
    {"GET", EXACT, "/health", 0, r_health, "the store's counts", NULL},
    {"GET", EXACT, "/me", 1, r_me, "the user and role of a token", NULL},
    {"GET", EXACT, "/vocabulary", 0, r_vocabulary,
     "names and words of verdicts, reasons, categories, review steps", NULL},
    {"GET", EXACT, "/agreements", 0, r_agreements, "the agreements", NULL},
    {"GET", SEGMENT, "/agreements/", 0, r_agreements, "one agreement", NULL},
    {"GET", EXACT, "/boundaries", 0, r_boundaries, "the boundaries' names", NULL},
    {"GET", SEGMENT, "/boundaries/", 0, r_boundaries, "one boundaries set",
     "{name}"},
    {"GET", EXACT, "/events", 0, r_events, "events as GeoJSON, paged", NULL},
    {"GET", EXACT, "/cells", 0, r_cells, "counts by map cell, and points",
     NULL},
    {"GET", SEGMENT, "/events/", 0, r_event, "one event, explained", NULL},
    {"DELETE", SEGMENT, "/events/", 3, r_delete, "deleting a field report", NULL},
    {"POST", REVIEW, "/events/", 2, r_review, "reviewing a case", NULL},
    {"POST", EXACT, "/reports", 1, r_report_post, "filing a field report", NULL},
    {"GET", EXACT, "/trend", 0, r_trend, "an agreement's trend", NULL},
    {"GET", EXACT, "/coverage", 0, r_coverage, "a country's coverage", NULL},
    {"GET", EXACT, "/report", 0, r_report, "the daily report", NULL},
    {"GET", EXACT, "/audit", 0, r_audit, "the audit trail", NULL},
    {"POST", EXACT, "/whatif", 2, r_whatif,
     "every stored event under a draft agreement set, nothing stored", NULL},
    {"POST", SEGMENT, "/incidents/", 2, r_incident,
     "an analyst's split or merge of incidents", "{split|merge}"},
    {"POST", EXACT, "/extract", 2, r_extract,
     "reading an article: incidents and agreement statements", NULL},
    {"POST", EXACT, "/extract/incidents", 2, r_extract_incident,
     "storing an incident read in an article", NULL},
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

/* The route's argument when path matches its pattern (any method), else
 * NULL; arg gets the segment. */
static bool
route_matches(const struct route *r, const char *path, char *arg, size_t n)
{
    size_t k = strlen(r->path);
    const char *rest = path + k, *slash;
    arg[0] = '\0';
    if (r->match == EXACT)
        return strcmp(path, r->path) == 0;
    if (strncmp(path, r->path, k) || !*rest)
        return false;
    slash = strchr(rest, '/');
    if (r->match == SEGMENT && slash)
        return false;
    if (r->match == REVIEW && (!slash || slash == rest ||
                               strcmp(slash, "/review") != 0))
        return false;
    snprintf(arg, n, "%.*s", (int)(slash ? (size_t)(slash - rest)
                                         : strlen(rest)), rest);
    return true;
}

static bool
method_is(const char *route, const char *method)
{
    return strcmp(route, method) == 0 ||
           (strcmp(route, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

static void
api(struct call *c)
{
    char arg[512], allow[64] = "";
    bool get = method_is("GET", c->method);
    if (get && c->s->o.read_token && caller(c, c->user) <= 0) {
        if (!c->r->body)
            reply_error(c->r, 401, "this server needs a token for reads");
        return;
    }
    for (size_t i = 0; i < N_ROUTES; i++) {
        const struct route *r = &routes[i];
        if (!route_matches(r, c->path, arg, sizeof(arg)))
            continue;
        if (!method_is(r->method, c->method)) {
            if (!strstr(allow, r->method))
                snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow),
                         "%s%s", allow[0] ? ", " : "", r->method);
            continue;
        }
        if (r->role && !require(c, r->role, c->user, r->what))
            return;
        r->fn(c, r->match == EXACT ? NULL : arg);
        return;
    }
    if (allow[0])
        reply_error(c->r, 405, "%s is not allowed on /api%s (allowed: %s)",
                    c->method, c->path, allow);
    else
        reply_error(c->r, 404, "no such resource: /api%s", c->path);
}

void
server_print_routes(FILE *f)
{
    for (size_t i = 0; i < N_ROUTES; i++) {
        const struct route *r = &routes[i];
        static const char *const roles[] = {"", "monitor", "analyst",
                                            "admin"};
        fprintf(f, "%s /api%s%s%s\t%s%s%s\n", r->method, r->path,
                r->match == EXACT ? "" : r->arg ? r->arg : "{id}",
                r->match == REVIEW ? "/review" : "", r->what,
                r->role ? ", role " : "", roles[r->role]);
    }
}

/* Sleeps about 200 ms, or less when told to stop. */
static void
nap(struct api *s)
{
    for (int i = 0; i < 4 && !atomic_load(&s->stop); i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* Whether the store takes no writes now (a hot standby: the primary's
 * server assesses and links, and the standby replays it); then the
 * re-assessment waits a second before it asks again, writing nothing,
 * so a standby's log stays quiet. A failure to ask counts as writable:
 * the writes then say what is wrong. */
static bool
standby_wait(struct api *s, struct truce_store *st)
{
    bool ro = false;
    if (truce_store_read_only(st, &ro) || !ro)
        return false;
    for (int i = 0; i < 5; i++)
        nap(s);
    return true;
}

/* The background re-assessment: events marked pending (new field reports
 * aside, which are assessed at once) by `truce agreements load`, `actors
 * load` or an ingest while the server runs are assessed in batches of 500
 * under the store's current model, each batch in a transaction that reads
 * never wait for (WAL), and written only while the model is still the one
 * it was decided under; with none pending, the reports not linked yet
 * (field reports among them) are linked into incidents. Until then such an event is served as pending:
 * never a verdict of one version beside an explanation of another. On a
 * read-only store (a hot standby) it writes nothing (standby_wait). */
static void *
reassess_main(void *arg)
{
    struct api *s = arg;
    struct truce_ctx *ctx = NULL;
    struct truce_store *st = NULL;
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    int64_t version = -1;
    if (truce_ctx_new(&ctx) || truce_store_open(ctx, s->o.db, &st))
        goto out;
    while (!atomic_load(&s->stop)) {
        struct truce_assess_counts counts = {0};
        struct truce_link_counts linked;
        int64_t events = 0, pending = 0, now;
        truce_status rc;
        if (standby_wait(s, st))
            continue;
        if (truce_store_counts(st, &events, &pending) ||
            truce_store_model_version(st, &now)) {
            nap(s);
            continue;
        }
        if (now != version || !set) {
            truce_agreements_free(set);
            truce_actors_free(actors);
            set = NULL;
            actors = NULL;
            if (truce_store_load_model(ctx, st, &actors, &set)) {
                nap(s);
                continue;
            }
            version = now;
        }
        if (pending == 0) {
            /* then the incidents of new and changed reports */
            if (truce_store_link(st, false, &linked) ||
                linked.linked == 0)
                nap(s);
            continue;
        }
        rc = truce_store_assess_pending(ctx, st, actors, set, version, 500,
                                        500, &counts);
        atomic_fetch_add(&s->reassessed, counts.assessed);
        if (rc == TRUCE_ECONFLICT)
            version = -1; /* the model moved: load it again */
        else if (rc || counts.assessed == 0)
            nap(s);
    }
out:
    truce_agreements_free(set);
    truce_actors_free(actors);
    truce_store_close(st);
    truce_ctx_free(ctx);
    return NULL;
}

/* ---------------------------------------------------------- the API */

struct api *
api_new(const struct api_opts *o)
{
    struct api *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->o = *o;
    if (pthread_key_create(&a->key, worker_free)) {
        free(a);
        return NULL;
    }
    pthread_mutex_init(&a->lock, NULL);
    pthread_mutex_init(&a->cells_lock, NULL);
    pthread_cond_init(&a->cells_cv, NULL);
    atomic_init(&a->stop, false);
    atomic_init(&a->reassessed, 0);
    return a;
}

bool
api_start_reassessment(struct api *a)
{
    if (a->started)
        return true;
    /* the map's cells, read before the first map asks */
    pthread_mutex_lock(&a->cells_lock);
    cells_load_later(a);
    pthread_mutex_unlock(&a->cells_lock);
    a->started = pthread_create(&a->reassessor, NULL, reassess_main, a) == 0;
    return a->started;
}

void
api_free(struct api *a)
{
    if (!a)
        return;
    if (a->started) {
        atomic_store(&a->stop, true);
        pthread_join(a->reassessor, NULL);
    }
    if (a->cells_loader)
        pthread_join(a->cells_thread, NULL);
    cells_unref(a, a->cells);
    pthread_mutex_destroy(&a->cells_lock);
    pthread_cond_destroy(&a->cells_cv);
    /* the calling thread's state; other threads' went as they ended */
    worker_free(pthread_getspecific(a->key));
    pthread_setspecific(a->key, NULL);
    pthread_key_delete(a->key);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

void
api_handle(struct api *a, const struct api_request *rq, struct reply *r,
           struct api_outcome *out)
{
    struct worker *w = worker_get(a, r);
    struct call c = {a, w, rq, rq->method, rq->path, rq->body, rq->body_len,
                     r, out, "", 0};
    out->user[0] = '\0';
    out->auth_failed = false;
    if (!w)
        ; /* r says why */
    else if (worker_model(w))
        reply_failure(r, w, TRUCE_EDB);
    else
        api(&c);
    if (!r->body)
        reply_error(r, 500, "no answer");
}
