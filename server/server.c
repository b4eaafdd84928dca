/*
 * server.c - the HTTP server of a monitoring cell (docs/api.md): JSON over
 * libmicrohttpd with a thread pool, and the dashboard's static files.
 *
 * Every worker thread owns its context, its store connection and its copy
 * of the model, made on its first request and reloaded when the store's
 * model version moves; nothing mutable is shared between threads. Requests
 * keep their state (the upload body) in *req_cls, freed when MHD says the
 * request is complete.
 */
#define _GNU_SOURCE 1
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include <truce/truce.h>

#define MAX_BODY (1u << 20)
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

struct server {
    struct server_opts o;
    char web_real[PATH_MAX];   /* o.web resolved, "" when it is missing */
    pthread_key_t key;         /* -> struct worker of the calling thread */
    pthread_mutex_t lock;      /* fails, and the log's lines */
    struct fail_slot fails[FAIL_SLOTS];
    FILE *log;                 /* the access log, or NULL */
    pthread_t reassessor;      /* re-assesses pending events (below) */
    atomic_bool stop;          /* tells it to stop */
    atomic_long reassessed;    /* events it has assessed */
};

struct worker {
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_actors *actors;
    struct truce_agreements *set;
    int64_t version;           /* of the model loaded */
};

struct request {
    struct truce_buf body;
    bool too_large;
    /* for the access log */
    struct timespec t0;
    uint32_t addr;             /* the client's IPv4 address, host order */
    char method[12], path[256], user[64];
    unsigned status;
    size_t bytes;
    bool auth_failed;
};

/* The answer a handler gives: status and a malloc'd body. */
struct reply {
    unsigned status;
    char *body;
    size_t len;
    const char *type;
};

/* ------------------------------------------------------------ workers */

static void
worker_free(void *p)
{
    struct worker *w = p;
    if (!w)
        return;
    truce_agreements_free(w->set);
    truce_actors_free(w->actors);
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
worker_get(struct server *s)
{
    struct worker *w = pthread_getspecific(s->key);
    if (w)
        return w;
    w = calloc(1, sizeof(*w));
    if (!w || truce_ctx_new(&w->ctx)) {
        free(w);
        return NULL;
    }
    if (truce_store_open(w->ctx, s->o.db, &w->st)) {
        fprintf(stderr, "truce: %s\n", truce_ctx_errmsg(w->ctx));
        worker_free(w);
        return NULL;
    }
    pthread_setspecific(s->key, w);
    return w;
}

/* ------------------------------------------------------------ replies */

/* True when s is valid UTF-8 (no overlongs, no surrogates). */
static bool
utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1
                                   : (c & 0xF0) == 0xE0     ? 2
                                   : (c & 0xF8) == 0xF0     ? 3
                                                            : 4;
        unsigned cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F
                                                              : c & 0x07;
        if (n == 4 || (n == 1 && c < 0xC2))
            return false;
        for (unsigned i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        p += n + 1;
    }
    return true;
}

static void
reply_text(struct reply *r, unsigned status, char *body, const char *type)
{
    free(r->body);
    r->status = status;
    r->body = body;
    r->len = body ? strlen(body) : 0;
    r->type = type;
}

static void
reply_json(struct reply *r, unsigned status, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(10));
    json_decref(o);
    reply_text(r, status, text, "application/json");
}

static void
reply_error(struct reply *r, unsigned status, const char *fmt, ...)
{
    static const struct {
        unsigned status;
        const char *code;
    } codes[] = {{400, "bad_request"}, {401, "unauthorized"},
                 {403, "forbidden"},   {404, "not_found"},
                 {405, "method_not_allowed"}, {409, "conflict"},
                 {413, "too_large"},   {429, "too_many_requests"},
                 {500, "internal"}};
    const char *code = "internal";
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (codes[i].status == status)
            code = codes[i].code;
    }
    /* A message that echoes input which is not UTF-8 keeps its status:
     * the bytes that are not ASCII become '?'. */
    if (!utf8_ok(msg)) {
        for (char *p = msg; *p; p++) {
            if ((unsigned char)*p >= 0x80)
                *p = '?';
        }
    }
    reply_json(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code,
                                    "message", msg));
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
                                               : 500;
    reply_error(r, status, "%s", truce_ctx_errmsg(w->ctx)[0]
                                     ? truce_ctx_errmsg(w->ctx)
                                     : truce_strerror(st));
}

/* ----------------------------------------------------------- requests */

struct call {
    struct server *s;
    struct worker *w;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;          /* after /api */
    const char *body;
    size_t body_len;
    struct reply *r;
    struct request *req;
    char user[64];             /* the caller, once a route needs a role */
};

static struct fail_slot *
fail_slot(struct server *s, uint32_t addr)
{
    size_t i = (addr * 2654435761u) % FAIL_SLOTS;
    return &s->fails[i];
}

/* True when the address has failed too often lately. */
static bool
throttled(struct server *s, uint32_t addr)
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
note_failure(struct server *s, uint32_t addr)
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
    const char *v = MHD_lookup_connection_value(c->conn,
                                                MHD_GET_ARGUMENT_KIND, name);
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
    const char *h = MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND,
                                                "Authorization");
    char role[16];
    truce_status st;
    name[0] = '\0';
    if (!h)
        return 0;
    if (throttled(c->s, c->req->addr)) {
        reply_error(c->r, 429, "too many wrong tokens from this address: "
                    "wait a minute");
        c->req->auth_failed = true;
        return -1;
    }
    if (strncmp(h, "Bearer ", 7)) {
        note_failure(c->s, c->req->addr);
        c->req->auth_failed = true;
        reply_error(c->r, 401, "the Authorization header must be 'Bearer "
                    "TOKEN'");
        return -1;
    }
    st = truce_store_check_token(c->w->st, h + 7, name, role);
    if (st == TRUCE_EAUTH) {
        note_failure(c->s, c->req->addr);
        c->req->auth_failed = true;
        reply_error(c->r, 401, "unknown or wrong token");
        return -1;
    }
    snprintf(c->req->user, sizeof(c->req->user), "%s", name);
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
    p->last = row->rowid;
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
    p->n++;
    return truce_buf_adds(b, "}}");
}

static void
get_events(struct call *c)
{
    struct truce_query q = {0};
    struct page p = {0};
    const char *v;
    int64_t day;
    bool given;
    truce_status st;
    long limit = DEFAULT_LIMIT;
    q.verdict = -1;
    if (!arg_day(c, "from", &day, &given))
        return;
    if (given) {
        q.has_from = true;
        q.from = day * 86400;
    }
    if (!arg_day(c, "to", &day, &given))
        return;
    if (given) {
        q.has_to = true;
        q.to = (day + 1) * 86400;
    }
    if ((v = arg(c, "bbox"))) {
        if (!truce_parse_bbox(v, q.bbox)) {
            reply_error(c->r, 400, "parameter 'bbox' must be W,S,E,N in "
                        "degrees");
            return;
        }
        q.has_bbox = true;
    }
    if ((v = arg(c, "verdict")) && (q.verdict = truce_verdict_parse(v)) < 0) {
        reply_error(c->r, 400, "parameter 'verdict' is not a verdict (%s): "
                    "'%s'", TRUCE_NAME_LIST(TRUCE_VERDICTS), v);
        return;
    }
    if ((v = arg(c, "category")) &&
        truce_category_parse(v, strlen(v)) == TRUCE_CAT_NONE) {
        reply_error(c->r, 400, "parameter 'category' is not a category: "
                    "'%s'", v);
        return;
    }
    q.category = v;
    q.side = arg(c, "side");
    q.agreement = arg(c, "agreement");
    if (!arg_long(c, "limit", 1, MAX_LIMIT, &limit))
        return;
    if ((v = arg(c, "cursor"))) {
        char *end;
        if (v[0] != 'c' || (q.after_rowid = strtoll(v + 1, &end, 16)) <= 0 ||
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
    if (p.more)
        truce_buf_addf(&p.out, "],\"next_cursor\":\"c%llx\"}",
                       (unsigned long long)p.last);
    else
        truce_buf_adds(&p.out, "],\"next_cursor\":null}");
    reply_text(c->r, 200, truce_buf_detach(&p.out), "application/geo+json");
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
    q.verdict = -1;
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

struct found {
    int64_t rowid;
};

static truce_status
note_rowid(void *ud, struct truce_stored *rec)
{
    ((struct found *)ud)->rowid = rec->rowid;
    return TRUCE_OK;
}

static void
post_report(struct call *c)
{
    char user[64], id[64];
    json_t *o;
    char *text;
    struct truce_event ev;
    struct truce_query q = {0};
    struct found f = {0};
    struct truce_assessment *as;
    enum truce_verdict overall;
    size_t n;
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
    if ((st = truce_store_add_report(c->w->st, &ev, user, id))) {
        reply_failure(c->r, c->w, st);
        truce_event_release(&ev);
        return;
    }
    /* assessed at once */
    n = truce_agreements_count(c->w->set);
    as = calloc(n ? n : 1, sizeof(*as));
    for (size_t i = 0; as && i < n; i++)
        truce_assessment_init(&as[i]);
    q.id = id;
    q.verdict = -1;
    st = as ? truce_assess_event(c->w->ctx, c->w->set, c->w->actors, &ev,
                                 TRUCE_ASSESS_NO_EXPLAIN, as, &overall)
            : TRUCE_ENOMEM;
    if (!st)
        st = truce_store_query(c->w->st, &q, note_rowid, &f);
    if (!st && f.rowid)
        st = truce_store_put_assessments(c->w->st, f.rowid, as, n, overall);
    for (size_t i = 0; as && i < n; i++)
        truce_assessment_release(&as[i]);
    free(as);
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
    if (!arg_long(c, "window", 1, 3660, &window) || !country_region(c, &region))
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
    if (!arg_day(c, "date", &day, &given))
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
    if (!arg_day(c, "date", &day, &given) ||
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
    char name[64];
    int role = caller(c, name);
    static const char *const roles[] = {"", "monitor", "analyst", "admin"};
    if (role < 0)
        return;
    if (role == 0) {
        reply_error(c->r, 401, "no token given");
        return;
    }
    reply_json(c->r, 200, json_pack("{s:s,s:s}", "user", name, "role",
                                    roles[role]));
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
};

static void r_health(struct call *c, const char *a) { (void)a; get_health(c); }
static void r_me(struct call *c, const char *a) { (void)a; get_me(c); }
static void r_agreements(struct call *c, const char *a) { get_agreements(c, a); }
static void r_boundaries(struct call *c, const char *a) { get_boundaries(c, a); }
static void r_events(struct call *c, const char *a) { (void)a; get_events(c); }
static void r_event(struct call *c, const char *a) { reply_event(c, a, 200); }
static void r_review(struct call *c, const char *a) { post_review(c, a); }
static void r_delete(struct call *c, const char *a) { delete_event(c, a); }
static void r_report_post(struct call *c, const char *a) { (void)a; post_report(c); }
static void r_trend(struct call *c, const char *a) { (void)a; get_trend(c); }
static void r_coverage(struct call *c, const char *a) { (void)a; get_coverage(c); }
static void r_report(struct call *c, const char *a) { (void)a; get_report(c); }
static void r_audit(struct call *c, const char *a) { (void)a; get_audit(c); }

/* The API: every route once. 404 and 405 (with the methods allowed) come
 * from this table, and so does `truce serve --routes`. */
static const struct route routes[] = {
    {"GET", EXACT, "/health", 0, r_health, "the store's counts"},
    {"GET", EXACT, "/me", 0, r_me, "the user and role of a token"},
    {"GET", EXACT, "/agreements", 0, r_agreements, "the agreements"},
    {"GET", SEGMENT, "/agreements/", 0, r_agreements, "one agreement"},
    {"GET", EXACT, "/boundaries", 0, r_boundaries, "the boundaries' names"},
    {"GET", SEGMENT, "/boundaries/", 0, r_boundaries, "one boundaries set"},
    {"GET", EXACT, "/events", 0, r_events, "events as GeoJSON, paged"},
    {"GET", SEGMENT, "/events/", 0, r_event, "one event, explained"},
    {"DELETE", SEGMENT, "/events/", 3, r_delete, "deleting a field report"},
    {"POST", REVIEW, "/events/", 2, r_review, "reviewing a case"},
    {"POST", EXACT, "/reports", 1, r_report_post, "filing a field report"},
    {"GET", EXACT, "/trend", 0, r_trend, "an agreement's trend"},
    {"GET", EXACT, "/coverage", 0, r_coverage, "a country's coverage"},
    {"GET", EXACT, "/report", 0, r_report, "the daily report"},
    {"GET", EXACT, "/audit", 0, r_audit, "the audit trail"},
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
                r->match == EXACT ? ""
                : strcmp(r->path, "/boundaries/") == 0 ? "{name}"
                                                        : "{id}",
                r->match == REVIEW ? "/review" : "", r->what,
                r->role ? ", role " : "", roles[r->role]);
    }
}

/* ------------------------------------------------------ static files */

static const char *
content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".json", "application/json"},
                 {".geojson", "application/geo+json"},
                 {".png", "image/png"},
                 {".svg", "image/svg+xml"},
                 {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++) {
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    }
    return "application/octet-stream";
}

/* The page `/` answers with when the dashboard's files are not there. */
static void
reply_no_dashboard(struct reply *r, const char *web)
{
    struct truce_buf b;
    truce_status st;
    truce_buf_init(&b, 0);
    st = truce_buf_adds(&b, "<!doctype html>\n<html lang=\"en\"><head><meta "
                        "charset=\"utf-8\"><title>truce: the dashboard is "
                        "not built</title></head>\n<body><h1>The dashboard "
                        "is not built</h1>\n<p>truce serve looks for its "
                        "files in <code>");
    for (const char *p = web; *p && !st; p++) {
        const char *esc = *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                          : *p == '&' ? "&amp;" : *p == '"' ? "&quot;" : NULL;
        st = esc ? truce_buf_adds(&b, esc) : truce_buf_add(&b, p, 1);
    }
    if (!st)
        st = truce_buf_adds(&b, "</code>, and <code>index.html</code> is not "
                            "there.</p>\n<p>Build them in the truce source "
                            "folder with <code>make</code> (or <code>make "
                            "web</code>) and reload this page, or start "
                            "<code>truce serve --web DIR</code> with the "
                            "folder they were built into.</p>\n<p>The API "
                            "answers without them: <a href=\"/api/health\">"
                            "/api/health</a>.</p></body></html>\n");
    if (st) {
        truce_buf_release(&b);
        reply_error(r, 500, "out of memory");
        return;
    }
    reply_text(r, 404, truce_buf_detach(&b), "text/html; charset=utf-8");
}

/* A static file response, or NULL after filling r with an error. */
static struct MHD_Response *
static_file(struct server *s, const char *url, struct reply *r,
            const char **type)
{
    char path[PATH_MAX], real[PATH_MAX];
    size_t n = strlen(s->web_real);
    struct stat sb;
    struct MHD_Response *resp;
    int fd = -1;
    if (url[0] != '/' || strstr(url, "..") || strchr(url, '\\') ||
        strstr(url, "//")) {
        reply_error(r, 400, "a path starts with '/' and may not contain "
                    "'..', '//' or '\\'");
        return NULL;
    }
    /* Only regular files that lie in the dashboard's folder once every
     * symbolic link is resolved, and none at the last step. */
    if (n && snprintf(path, sizeof(path), "%s%s", s->web_real,
                      !strcmp(url, "/") ? "/index.html" : url) <
                 (int)sizeof(path) &&
        realpath(path, real) && !strncmp(real, s->web_real, n) &&
        real[n] == '/')
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        if (!strcmp(url, "/"))
            reply_no_dashboard(r, s->o.web);
        else
            reply_error(r, 404, "no such file: %s", url);
        return NULL;
    }
    resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    if (!resp) {
        close(fd);
        reply_error(r, 500, "cannot send %s", url);
        return NULL;
    }
    *type = content_type(path);
    return resp;
}

/* ------------------------------------------------------------ MHD glue */

/* The headers every answer carries: no sniffing of types, no framing by
 * other sites, no referrer, and a content policy that lets the dashboard
 * load only its own files (the report's inline styles allowed). */
static void
add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "SAMEORIGIN");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(
        resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' "
        "'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
        "frame-src 'self' blob:; frame-ancestors 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'");
}

/* ------------------------------------------------- re-assessment */

/* Sleeps about 200 ms, or less when told to stop. */
static void
nap(struct server *s)
{
    for (int i = 0; i < 4 && !atomic_load(&s->stop); i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* The background re-assessment: events marked pending (new field reports
 * aside, which are assessed at once) by `truce agreements load`, `actors
 * load` or an ingest while the server runs are assessed in batches of 500
 * under the store's current model, each batch in a transaction that reads
 * never wait for (WAL), and written only while the model is still the one
 * it was decided under. Until then such an event is served as pending:
 * never a verdict of one version beside an explanation of another. */
static void *
reassess_main(void *arg)
{
    struct server *s = arg;
    struct truce_ctx *ctx = NULL;
    struct truce_store *st = NULL;
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    int64_t version = -1;
    if (truce_ctx_new(&ctx) || truce_store_open(ctx, s->o.db, &st))
        goto out;
    while (!atomic_load(&s->stop)) {
        struct truce_assess_counts counts = {0};
        int64_t events = 0, pending = 0, now;
        truce_status rc;
        if (truce_store_counts(st, &events, &pending) || pending == 0 ||
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

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct reply *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ret;
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    r->body = NULL;
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    add_security_headers(resp);
    ret = MHD_queue_response(conn, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The Host a request names must be one this server answers for: its
 * loopback names and bound address, and the --allow-host names (bound to
 * every address without any, any host). So a page of another site whose
 * name resolves here (DNS rebinding) cannot read the API. */
static bool
host_allowed(const struct server *s, struct MHD_Connection *conn)
{
    static const char *const local[] = {"localhost", "127.0.0.1", "[::1]"};
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                "Host");
    size_t n;
    if (!h)
        return true; /* HTTP/1.0 */
    n = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":");
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
        if (strlen(local[i]) == n && strncasecmp(h, local[i], n) == 0)
            return true;
    }
    if (strlen(s->o.bind) == n && strncmp(h, s->o.bind, n) == 0)
        return true;
    for (size_t i = 0; i < s->o.n_hosts; i++) {
        if (strlen(s->o.hosts[i]) == n && strncasecmp(h, s->o.hosts[i], n) == 0)
            return true;
    }
    return !s->o.n_hosts && strcmp(s->o.bind, "0.0.0.0") == 0;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **req_cls)
{
    struct server *s = cls;
    struct request *req = *req_cls;
    struct reply r = {0};
    (void)version;
    if (!req) {
        const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                      "Content-Length");
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
            conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        req = calloc(1, sizeof(*req));
        if (!req)
            return MHD_NO;
        truce_buf_init(&req->body, MAX_BODY);
        *req_cls = req;
        clock_gettime(CLOCK_MONOTONIC, &req->t0);
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            req->addr = ntohl(
                ((const struct sockaddr_in *)ci->client_addr)->sin_addr.s_addr);
        snprintf(req->method, sizeof(req->method), "%s", method);
        snprintf(req->path, sizeof(req->path), "%s", url);
        /* A body said to be too large is refused before it is read. */
        if (len && strtoull(len, NULL, 10) > MAX_BODY)
            req->too_large = true;
        else
            return MHD_YES;
    }
    if (*upload_data_size && !req->too_large) {
        if (truce_buf_add(&req->body, upload_data, *upload_data_size))
            req->too_large = true;
        *upload_data_size = 0;
        if (!req->too_large)
            return MHD_YES;
    }
    if (req->too_large) {
        /* Answered at once; the connection closes rather than read on. */
        *upload_data_size = 0;
        reply_error(&r, 413, "the body is larger than 1 MiB");
    } else if (!utf8_ok(url)) {
        reply_error(&r, 400, "the path is not UTF-8");
    } else if (!host_allowed(s, conn)) {
        reply_error(&r, 403, "this server does not answer for that host "
                    "(truce serve --allow-host NAME)");
    } else if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api")) {
        struct worker *w = worker_get(s);
        struct call c = {s, w, conn, method, url + 4, req->body.buf,
                         req->body.len, &r, req, ""};
        if (!w)
            reply_error(&r, 500, "the store cannot be opened");
        else if (worker_model(w))
            reply_failure(&r, w, TRUCE_EDB);
        else
            api(&c);
    } else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        reply_error(&r, 405, "%s is not allowed on %s", method, url);
    } else {
        const char *type = NULL;
        struct MHD_Response *resp = static_file(s, url, &r, &type);
        if (resp) {
            enum MHD_Result ret;
            MHD_add_response_header(resp, "Content-Type", type);
            add_security_headers(resp);
            req->status = MHD_HTTP_OK;
            ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
            MHD_destroy_response(resp);
            return ret;
        }
    }
    if (!r.body)
        reply_error(&r, 500, "no answer");
    req->status = r.status;
    req->bytes = r.len;
    return send_reply(conn, &r);
}

/* One JSON line of the access log: when, who, what, how it went. No
 * token, no body, no query. */
static void
log_request(struct server *s, const struct request *req)
{
    struct timespec now;
    struct tm tm;
    time_t t = time(NULL);
    char when[32], line[1024];
    struct truce_buf b;
    double ms;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (double)(now.tv_sec - req->t0.tv_sec) * 1e3 +
         (double)(now.tv_nsec - req->t0.tv_nsec) / 1e6;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    truce_buf_init(&b, sizeof(line));
    truce_buf_addf(&b, "{\"time\":\"%s\",\"client\":\"%u.%u.%u.%u\","
                   "\"method\":", when, req->addr >> 24,
                   (req->addr >> 16) & 255, (req->addr >> 8) & 255,
                   req->addr & 255);
    truce_buf_add_json(&b, utf8_ok(req->method) ? req->method : "?");
    truce_buf_adds(&b, ",\"path\":");
    truce_buf_add_json(&b, utf8_ok(req->path) ? req->path : "(not UTF-8)");
    truce_buf_addf(&b, ",\"status\":%u,\"bytes\":%zu,\"ms\":%.1f,"
                   "\"user\":", req->status, req->bytes, ms);
    truce_buf_add_json(&b, req->user[0] ? req->user : NULL);
    truce_buf_adds(&b, req->auth_failed ? ",\"auth\":\"failed\"}\n" : "}\n");
    pthread_mutex_lock(&s->lock);
    fputs(b.buf, s->log);
    fflush(s->log);
    pthread_mutex_unlock(&s->lock);
    truce_buf_release(&b);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **req_cls,
          enum MHD_RequestTerminationCode toe)
{
    struct request *req = *req_cls;
    struct server *s = cls;
    (void)conn;
    (void)toe;
    if (!req)
        return;
    if (s->log)
        log_request(s, req);
    truce_buf_release(&req->body);
    free(req);
    *req_cls = NULL;
}

int
server_run(const struct server_opts *o)
{
    struct server s;
    struct sockaddr_in addr;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    sigset_t set;
    int sig;
    memset(&s, 0, sizeof(s));
    s.o = *o;
    pthread_mutex_init(&s.lock, NULL);
    if (o->log && !(s.log = fopen(o->log, "a"))) {
        fprintf(stderr, "truce: --log: cannot open '%s': %s\n", o->log,
                strerror(errno));
        return 2;
    }
    if (!realpath(o->web, s.web_real))
        s.web_real[0] = '\0';
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1) {
        fprintf(stderr, "truce: --bind: not an IPv4 address: '%s'\n",
                o->bind);
        return 1;
    }
    if (pthread_key_create(&s.key, worker_free)) {
        fprintf(stderr, "truce: cannot make thread state\n");
        return 2;
    }
    /* Signals are taken by this thread only: the workers inherit a mask. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
            MHD_USE_TURBO,
        (uint16_t)o->port, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)(o->threads ? o->threads : 4),
        MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
        /* one client cannot hold every slot with slow connections */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)(o->per_ip ? o->per_ip : 128), MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "truce: cannot listen on %s:%u: %s\n", o->bind,
                o->port, strerror(errno));
        pthread_key_delete(s.key);
        return 2;
    }
    atomic_init(&s.stop, false);
    atomic_init(&s.reassessed, 0);
    if (pthread_create(&s.reassessor, NULL, reassess_main, &s)) {
        fprintf(stderr, "truce: cannot start the re-assessment thread\n");
        MHD_stop_daemon(d);
        pthread_key_delete(s.key);
        return 2;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("truce: serving http://%s:%u/\n", o->bind,
           info ? (unsigned)info->port : o->port);
    fflush(stdout);
    sigdelset(&set, SIGPIPE);
    sigwait(&set, &sig);
    fprintf(stderr, "truce: stopping (signal %d)\n", sig);
    atomic_store(&s.stop, true);
    pthread_join(s.reassessor, NULL);
    MHD_stop_daemon(d);
    if (s.log)
        fclose(s.log);
    pthread_mutex_destroy(&s.lock);
    pthread_key_delete(s.key);
    return 0;
}
