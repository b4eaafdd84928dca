/*
 * test_store.c - the store through its public interface (either backend):
 * opening and reopening a file, the schema version, change detection of
 * events, queries (id, bbox, time range, limit and paging), assessments,
 * documents (agreements, actors) with the re-assessment marks, and
 * transactions.
 *
 * Every store lives in a temporary file made with mkstemp under /tmp, or
 * with TRUCE_TEST_PG_DSN in a schema of its own on that PostgreSQL server
 * (store_fixture.c), and is removed at the end, also when the test fails
 * (atexit). Expected query results are computed by the test from the
 * events it generated.
 *
 * The store keeps verdicts, not their wording: stored assessments come back
 * with an empty explanation (truce_explain_stored words them), and the
 * original record only with truce_query.with_raw.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DAY 86400LL
#define T2016 (16801LL * DAY) /* 2016-01-01T00:00Z */

/* ------------------------------------------------------------ helpers */

struct tmpdb {
    char path[TEST_STORE_PATH];
    struct truce_ctx *ctx;
    struct truce_store *st;
    int64_t last_key; /* of the last put() */
};

static void
db_open(struct tmpdb *d)
{
    if (truce_store_create(d->ctx, d->path, &d->st) != TRUCE_OK)
        FAIL_AT("open %s: %s", d->path, truce_ctx_errmsg(d->ctx));
}

/* A new store (store_fixture.c: a file, or a schema on the test server),
 * removed at exit even when an assertion ends the test. */
static void
db_new(struct tmpdb *d)
{
    memset(d, 0, sizeof(*d));
    test_store_new(d->path);
    ASSERT_OK(truce_ctx_new(&d->ctx));
    db_open(d);
}

static void
db_free(struct tmpdb *d)
{
    truce_store_close(d->st);
    truce_ctx_free(d->ctx);
    test_store_remove(d->path);
}

static void
counts(struct tmpdb *d, int64_t want_events, int64_t want_pending)
{
    int64_t ev = -7, pend = -7;
    ASSERT_OK(truce_store_counts(d->st, &ev, &pend));
    if (ev != want_events || pend != want_pending)
        FAIL_AT("counts: %lld events, %lld pending; expected %lld, %lld",
                (long long)ev, (long long)pend, (long long)want_events,
                (long long)want_pending);
}

/* An ACLED-like event, complete enough to check that every field makes
 * the round trip. */
static void
make_event(struct truce_event *ev, int k, double lon, double lat,
           int64_t t0, int64_t t1)
{
    char buf[64];
    truce_event_init(ev);
    snprintf(buf, sizeof(buf), "acled:SYR%d", k);
    ev->id = strdup(buf);
    ev->source = strdup("acled");
    ev->source_id = strdup(buf + 6);
    ev->time_kind = TRUCE_TIME_UTC;
    ev->t0 = t0;
    ev->t1 = t1;
    ev->lon = lon;
    ev->lat = lat;
    ev->radius_km = 25;
    ev->category = TRUCE_CAT_REMOTE_VIOLENCE;
    ev->subcategory = strdup("Shelling/artillery/missile attack");
    ev->directed = true;
    ev->actor1 = strdup("Military Forces of Syria (2000-)");
    ev->actor2 = strdup("Civilians (Syria)");
    ev->fatalities = 3;
    ev->civilian_targeting = true;
    ev->location = strdup("Aleppo");
    ev->admin1 = strdup("Aleppo");
    ev->notes = strdup("Shelling of a residential area.");
    ev->raw = strdup("SYR...,raw record");
}

/* Stores ev; the key it gets in d->last_key. */
static enum truce_put_result
put(struct tmpdb *d, const struct truce_event *ev)
{
    enum truce_put_result r = 0;
    if (truce_store_put_event(d->st, ev, &r, &d->last_key) != TRUCE_OK)
        FAIL_AT("put %s: %s", ev->id, truce_ctx_errmsg(d->ctx));
    return r;
}

/* Collects the records of a query (copies of what the test checks). */
#define MAX_GOT 256
struct got {
    size_t n;
    int64_t key[MAX_GOT];
    char id[MAX_GOT][32];
    struct truce_event ev[MAX_GOT];
    enum truce_verdict overall[MAX_GOT];
    bool assessed[MAX_GOT];
    size_t n_as[MAX_GOT];
    /* The assessments of the first record, flattened. */
    char as_text[2048];
    long stop_after; /* > 0: stop with ENOTFOUND after this many */
};

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static truce_status
collect(void *ud, struct truce_stored *rec)
{
    struct got *g = ud;
    struct truce_event *e;
    if (g->n >= MAX_GOT)
        return TRUCE_EINVAL;
    g->key[g->n] = rec->key;
    snprintf(g->id[g->n], sizeof(g->id[0]), "%s", rec->ev.id);
    e = &g->ev[g->n];
    *e = rec->ev;
    e->id = dup_or_null(rec->ev.id);
    e->source = dup_or_null(rec->ev.source);
    e->source_id = dup_or_null(rec->ev.source_id);
    e->subcategory = dup_or_null(rec->ev.subcategory);
    e->actor1 = dup_or_null(rec->ev.actor1);
    e->actor2 = dup_or_null(rec->ev.actor2);
    e->location = dup_or_null(rec->ev.location);
    e->admin1 = dup_or_null(rec->ev.admin1);
    e->notes = dup_or_null(rec->ev.notes);
    e->raw = dup_or_null(rec->ev.raw);
    g->overall[g->n] = rec->overall;
    g->assessed[g->n] = rec->assessed;
    g->n_as[g->n] = rec->n_as;
    if (g->n == 0) {
        for (size_t i = 0; i < rec->n_as; i++) {
            const struct truce_assessment *as = &rec->as[i];
            char one[512];
            int k = snprintf(one, sizeof(one), "%s %s %s side=%s sides=",
                             as->agreement_id, truce_verdict_name(as->verdict),
                             truce_reason_name(as->reason),
                             as->side ? as->side : "null");
            for (size_t s = 0; s < as->n_sides; s++)
                k += snprintf(one + k, sizeof(one) - (size_t)k, "%s%s",
                              s ? "," : "", as->sides[s]);
            k += snprintf(one + k, sizeof(one) - (size_t)k, " guarantors=");
            for (size_t s = 0; s < as->n_guarantors; s++)
                k += snprintf(one + k, sizeof(one) - (size_t)k, "%s%s",
                              s ? "," : "", as->guarantors[s]);
            snprintf(one + k, sizeof(one) - (size_t)k, " [%s]\n",
                     as->explanation.buf);
            strncat(g->as_text, one,
                    sizeof(g->as_text) - strlen(g->as_text) - 1);
        }
    }
    g->n++;
    if (g->stop_after > 0 && (long)g->n >= g->stop_after)
        return TRUCE_ENOTFOUND;
    return TRUCE_OK;
}

static void
got_free(struct got *g)
{
    for (size_t i = 0; i < g->n; i++)
        truce_event_release(&g->ev[i]);
    free(g);
}

static struct got *
query(struct tmpdb *d, const struct truce_query *q)
{
    struct got *g = calloc(1, sizeof(*g));
    ASSERT(g != NULL);
    if (truce_store_query(d->st, q, collect, g) != TRUCE_OK)
        FAIL_AT("query: %s", truce_ctx_errmsg(d->ctx));
    return g;
}

static struct truce_query
q_all(void)
{
    struct truce_query q;
    memset(&q, 0, sizeof(q));
    return q;
}

static int64_t
key_of(struct tmpdb *d, const char *id)
{
    struct truce_query q = q_all();
    struct got *g;
    int64_t r;
    q.id = id;
    g = query(d, &q);
    if (g->n != 1)
        FAIL_AT("query by id %s: %zu records", id, g->n);
    r = g->key[0];
    got_free(g);
    return r;
}

/* Equal strings, or both absent. */
#define ASSERT_SAME_STR(a, b)                                               \
    do {                                                                    \
        const char *x_ = (a), *y_ = (b);                                    \
        if ((x_ == NULL) != (y_ == NULL) || (x_ && strcmp(x_, y_) != 0))    \
            FAIL_AT("%s is %s%s%s, expected %s%s%s", #a, x_ ? "\"" : "",     \
                    x_ ? x_ : "NULL", x_ ? "\"" : "", y_ ? "\"" : "",        \
                    y_ ? y_ : "NULL", y_ ? "\"" : "");                       \
    } while (0)

/* Every field but raw (which a query returns only with with_raw). */
static void
same_event(const struct truce_event *a, const struct truce_event *b)
{
    ASSERT_SAME_STR(a->id, b->id);
    ASSERT_SAME_STR(a->source, b->source);
    ASSERT_SAME_STR(a->source_id, b->source_id);
    ASSERT_EQ_INT(a->time_kind, b->time_kind);
    ASSERT_EQ_INT(a->t0, b->t0);
    ASSERT_EQ_INT(a->t1, b->t1);
    ASSERT_EQ_INT(a->date_only, b->date_only);
    ASSERT(a->lat == b->lat && a->lon == b->lon);
    ASSERT(a->radius_km == b->radius_km);
    ASSERT_EQ_INT(a->category, b->category);
    ASSERT_SAME_STR(a->subcategory, b->subcategory);
    ASSERT_EQ_INT(a->directed, b->directed);
    ASSERT_SAME_STR(a->actor1, b->actor1);
    ASSERT_SAME_STR(a->actor2, b->actor2);
    ASSERT_EQ_INT(a->fatalities, b->fatalities);
    ASSERT_EQ_INT(a->fatalities_low, b->fatalities_low);
    ASSERT_EQ_INT(a->fatalities_high, b->fatalities_high);
    ASSERT_EQ_INT(a->civilian_fatalities, b->civilian_fatalities);
    ASSERT_EQ_INT(a->civilian_targeting, b->civilian_targeting);
    ASSERT_EQ_INT(a->protected_site, b->protected_site);
    ASSERT_SAME_STR(a->location, b->location);
    ASSERT_SAME_STR(a->admin1, b->admin1);
    ASSERT_SAME_STR(a->notes, b->notes);
}

/* -------------------------------------------------------------- open */

TEST(store_open_schema_and_reopen)
{
    struct tmpdb d;
    struct truce_event ev;
    struct got *g;
    struct truce_query q = q_all();
    db_new(&d);
    ASSERT_EQ_INT(truce_store_schema_version(d.st), 6);
    counts(&d, 0, 0);
    make_event(&ev, 1, 37.16, 36.2, T2016, T2016 + DAY);
    ev.fatalities_low = 2;
    ev.fatalities_high = 5;
    ev.protected_site = true;
    ev.date_only = true;
    ev.time_kind = TRUCE_TIME_LOCAL;
    ev.radius_km = -1; /* unknown */
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_INSERTED);
    truce_store_close(d.st);
    d.st = NULL;
    /* Reopened: the same schema, the event intact. */
    db_open(&d);
    ASSERT_EQ_INT(truce_store_schema_version(d.st), 6);
    counts(&d, 1, 1);
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    same_event(&g->ev[0], &ev);
    ASSERT(g->ev[0].raw == NULL); /* not asked for */
    ASSERT(!g->assessed[0]);
    ASSERT_EQ_INT(g->n_as[0], 0);
    got_free(g);
    /* The original record, when asked for. */
    q.with_raw = true;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    same_event(&g->ev[0], &ev);
    ASSERT_EQ_STR(g->ev[0].raw, "SYR...,raw record");
    got_free(g);
    /* Putting it again after the reopen: unchanged. */
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UNCHANGED);
    truce_event_release(&ev);
    db_free(&d);
}

TEST(store_absent_fields_round_trip)
{
    struct tmpdb d;
    struct truce_event ev;
    struct got *g;
    struct truce_query q = q_all();
    db_new(&d);
    truce_event_init(&ev);
    ev.id = strdup("jsonl:bare");
    ev.time_kind = TRUCE_TIME_UTC;
    ev.t0 = ev.t1 = T2016;
    ev.category = TRUCE_CAT_BATTLE;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_INSERTED);
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    ASSERT(g->ev[0].actor1 == NULL && g->ev[0].actor2 == NULL);
    ASSERT(g->ev[0].notes == NULL && g->ev[0].source == NULL);
    ASSERT_EQ_INT(g->ev[0].fatalities, -1);
    ASSERT_EQ_INT(g->ev[0].civilian_fatalities, -1);
    ASSERT_EQ_INT(g->ev[0].category, TRUCE_CAT_BATTLE);
    got_free(g);
    truce_event_release(&ev);
    db_free(&d);
}

TEST(store_open_bad_path)
{
    struct truce_ctx *ctx;
    struct truce_store *st = NULL;
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT(truce_store_create(ctx, "/nonexistent-dir/truce/x.db", &st) !=
           TRUCE_OK);
    ASSERT(st == NULL);
    ASSERT(truce_ctx_errmsg(ctx)[0] != '\0');
    truce_ctx_free(ctx);
}

/* Opening (not creating) a store that is not there makes no file. */
TEST(store_open_missing_makes_nothing)
{
    struct truce_ctx *ctx;
    struct truce_store *st = NULL;
    char path[] = "/tmp/truce-missing-XXXXXX";
    char db[64];
    ASSERT(mkdtemp(path));
    snprintf(db, sizeof(db), "%s/typo.db", path);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_EQ_INT(truce_store_open(ctx, db, &st), TRUCE_ENOTFOUND);
    ASSERT(st == NULL);
    ASSERT(strstr(truce_ctx_errmsg(ctx), "truce init"));
    ASSERT(access(db, F_OK) != 0);
    ASSERT_OK(truce_store_create(ctx, db, &st));
    truce_store_close(st);
    ASSERT_OK(truce_store_open(ctx, db, &st));
    truce_store_close(st);
    truce_ctx_free(ctx);
    unlink(db);
    rmdir(path);
}

/* ----------------------------------------------------- change detection */

static struct truce_assessment
one_assessment(const char *agreement, enum truce_verdict v,
               enum truce_reason r)
{
    struct truce_assessment as;
    truce_assessment_init(&as);
    as.agreement_id = agreement;
    as.verdict = v;
    as.reason = r;
    return as;
}

TEST(store_put_event_inserted_unchanged_updated)
{
    struct tmpdb d;
    struct truce_event ev;
    struct truce_assessment as;
    struct got *g;
    struct truce_query q = q_all();
    int64_t key;
    db_new(&d);
    make_event(&ev, 7, 37.16, 36.2, T2016, T2016 + DAY);
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_INSERTED);
    counts(&d, 1, 1);
    key = key_of(&d, "acled:SYR7");
    ASSERT(key > 0);
    ASSERT_EQ_INT(d.last_key, key); /* put_event gives the key */
    /* Assessed: no longer pending. */
    as = one_assessment("a1", TRUCE_V_VIOLATION, TRUCE_R_BREACH);
    ASSERT_OK(truce_store_put_assessments(d.st, key, &as, 1,
                                          TRUCE_V_VIOLATION));
    truce_assessment_release(&as);
    counts(&d, 1, 0);
    /* The same event again: unchanged, still assessed. */
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UNCHANGED);
    ASSERT_EQ_INT(d.last_key, key);
    counts(&d, 1, 0);
    /* A changed field: updated in place (same key), pending again. */
    ev.fatalities = 4;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    counts(&d, 1, 1);
    ASSERT_EQ_INT(key_of(&d, "acled:SYR7"), key);
    ASSERT_EQ_INT(d.last_key, key);
    q.id = "acled:SYR7";
    g = query(&d, &q);
    ASSERT_EQ_INT(g->ev[0].fatalities, 4);
    ASSERT(!g->assessed[0]);
    got_free(g);
    q.id = NULL;
    q.pending_only = true;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    got_free(g);
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UNCHANGED);
    /* Each kind of field counts as a change. */
    free(ev.notes);
    ev.notes = strdup("Shelling of a hospital.");
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    free(ev.actor2);
    ev.actor2 = NULL;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    ev.t1 += DAY;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    ev.radius_km = 0;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    ev.category = TRUCE_CAT_BATTLE;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    ev.directed = false;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    counts(&d, 1, 1);
    q.pending_only = false;
    q.id = "acled:SYR7";
    g = query(&d, &q);
    same_event(&g->ev[0], &ev);
    got_free(g);
    truce_event_release(&ev);
    db_free(&d);
}

/* Moving an event moves it in the spatial index too. */
TEST(store_update_moves_event_in_bbox)
{
    struct tmpdb d;
    struct truce_event ev;
    struct got *g;
    struct truce_query q = q_all();
    db_new(&d);
    make_event(&ev, 1, 37.16, 36.2, T2016, T2016 + DAY);
    put(&d, &ev);
    ev.lon = 36.64; /* Idlib */
    ev.lat = 35.93;
    ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_UPDATED);
    q.has_bbox = true;
    q.bbox[0] = 37.0;
    q.bbox[1] = 36.0;
    q.bbox[2] = 37.3;
    q.bbox[3] = 36.3;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 0);
    got_free(g);
    q.bbox[0] = 36.5;
    q.bbox[1] = 35.8;
    q.bbox[2] = 36.8;
    q.bbox[3] = 36.0;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    got_free(g);
    truce_event_release(&ev);
    db_free(&d);
}

/* ------------------------------------------------------------- queries */

#define NGRID 60

/* Event i: lon 30 + i%10, lat 30 + i/10 (whole degrees), time: day i of
 * 2016, a whole day [t0, t0 + 1 day) for even i, an instant at noon for
 * odd i. */
static void
grid_event(struct truce_event *ev, int i)
{
    int64_t t0 = T2016 + i * DAY;
    if (i % 2)
        make_event(ev, i, 30 + i % 10, 30 + i / 10, t0 + DAY / 2,
                   t0 + DAY / 2);
    else
        make_event(ev, i, 30 + i % 10, 30 + i / 10, t0, t0 + DAY);
}

static void
fill_grid(struct tmpdb *d)
{
    ASSERT_OK(truce_store_begin(d->st));
    for (int i = 0; i < NGRID; i++) {
        struct truce_event ev;
        grid_event(&ev, i);
        ASSERT_EQ_INT(put(d, &ev), TRUCE_PUT_INSERTED);
        truce_event_release(&ev);
    }
    ASSERT_OK(truce_store_commit(d->st));
    counts(d, NGRID, NGRID);
}

/* Checks that the query gave exactly the grid events sel() picks, in
 * ascending key order. */
static void
check_selection(struct got *g, bool (*sel)(int i, const void *), const void *arg)
{
    size_t want = 0;
    bool seen[NGRID] = {false};
    for (int i = 0; i < NGRID; i++)
        want += sel(i, arg);
    for (size_t k = 0; k < g->n; k++) {
        int i = -1;
        sscanf(g->id[k], "acled:SYR%d", &i);
        ASSERT(i >= 0 && i < NGRID);
        if (!sel(i, arg))
            FAIL_AT("query returned %s, which it should not", g->id[k]);
        ASSERT(!seen[i]);
        seen[i] = true;
        if (k)
            ASSERT(g->key[k] > g->key[k - 1]);
    }
    if (g->n != want)
        FAIL_AT("query returned %zu events, expected %zu", g->n, want);
}

static bool
in_bbox(int i, const void *arg)
{
    const double *b = arg;
    double lon = 30 + i % 10, lat = 30 + i / 10;
    return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

TEST(store_query_by_id_and_bbox)
{
    struct tmpdb d;
    struct truce_query q = q_all();
    struct got *g;
    static const double boxes[][4] = {
        {32.5, 30.5, 35.5, 32.5}, /* lon 33-35, lat 31-32: 6 events */
        {29, 29, 41, 41},         /* all */
        {30, 30, 30, 30},         /* one corner point, exactly */
        {36.2, 30, 36.8, 40},     /* between columns: none */
        {-10, -10, -5, -5}};      /* far away */
    db_new(&d);
    fill_grid(&d);
    q.id = "acled:SYR17";
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    ASSERT_EQ_STR(g->id[0], "acled:SYR17");
    ASSERT(g->ev[0].lon == 37 && g->ev[0].lat == 31);
    got_free(g);
    q.id = "acled:none";
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 0);
    got_free(g);
    q.id = NULL;
    q.has_bbox = true;
    for (size_t b = 0; b < sizeof(boxes) / sizeof(boxes[0]); b++) {
        memcpy(q.bbox, boxes[b], sizeof(q.bbox));
        g = query(&d, &q);
        check_selection(g, in_bbox, boxes[b]);
        got_free(g);
    }
    db_free(&d);
}

struct range {
    int64_t from, to;
    bool has_from, has_to;
};

/* The event overlaps [from, to): an interval [t0, t1) meets it, an
 * instant lies in it. */
static bool
in_range(int i, const void *arg)
{
    const struct range *r = arg;
    struct truce_event ev;
    bool ok;
    int64_t t0, t1;
    grid_event(&ev, i);
    t0 = ev.t0;
    t1 = ev.t1;
    truce_event_release(&ev);
    if (t0 == t1)
        ok = (!r->has_from || t0 >= r->from) && (!r->has_to || t0 < r->to);
    else
        ok = (!r->has_from || t1 > r->from) && (!r->has_to || t0 < r->to);
    return ok;
}

TEST(store_query_by_time_range)
{
    struct tmpdb d;
    struct truce_query q = q_all();
    struct got *g;
    const struct range ranges[] = {
        {T2016 + 10 * DAY, T2016 + 20 * DAY, true, true},
        /* Boundaries on day edges and at an instant (day 11 noon). */
        {T2016 + 11 * DAY + DAY / 2, T2016 + 12 * DAY, true, true},
        {T2016 + 11 * DAY, T2016 + 11 * DAY + DAY / 2, true, true},
        {T2016 + 12 * DAY + 1, T2016 + 12 * DAY + 2, true, true},
        {T2016 + 40 * DAY, 0, true, false},
        {0, T2016 + 5 * DAY, false, true},
        {T2016 - 100 * DAY, T2016 - 50 * DAY, true, true}};
    db_new(&d);
    fill_grid(&d);
    for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++) {
        q.has_from = ranges[k].has_from;
        q.has_to = ranges[k].has_to;
        q.from = ranges[k].from;
        q.to = ranges[k].to;
        g = query(&d, &q);
        check_selection(g, in_range, &ranges[k]);
        got_free(g);
    }
    db_free(&d);
}

struct both {
    double bbox[4];
    struct range r;
};

static bool
in_both(int i, const void *arg)
{
    const struct both *b = arg;
    return in_bbox(i, b->bbox) && in_range(i, &b->r);
}

TEST(store_query_bbox_and_time)
{
    struct tmpdb d;
    struct truce_query q = q_all();
    struct got *g;
    struct both b = {{31.5, 30, 36.5, 35},
                     {T2016 + 15 * DAY, T2016 + 45 * DAY, true, true}};
    db_new(&d);
    fill_grid(&d);
    q.has_bbox = true;
    memcpy(q.bbox, b.bbox, sizeof(q.bbox));
    q.has_from = q.has_to = true;
    q.from = b.r.from;
    q.to = b.r.to;
    g = query(&d, &q);
    check_selection(g, in_both, &b);
    ASSERT(g->n > 3);
    got_free(g);
    db_free(&d);
}

static bool
pick_all(int i, const void *arg)
{
    (void)i;
    (void)arg;
    return true;
}

TEST(store_query_limit_and_paging)
{
    struct tmpdb d;
    struct truce_query q = q_all();
    struct got *all;
    int seen[NGRID] = {0};
    size_t pages = 0, total = 0;
    db_new(&d);
    fill_grid(&d);
    q.limit = 7;
    for (;;) {
        struct got *g = query(&d, &q);
        if (g->n == 0) {
            got_free(g);
            break;
        }
        ASSERT(g->n <= 7);
        for (size_t k = 0; k < g->n; k++) {
            int i = -1;
            sscanf(g->id[k], "acled:SYR%d", &i);
            ASSERT(i >= 0 && i < NGRID);
            seen[i]++;
            ASSERT(g->key[k] > q.after_key);
        }
        total += g->n;
        q.after_key = g->key[g->n - 1];
        pages++;
        got_free(g);
        ASSERT(pages < 100);
    }
    for (int i = 0; i < NGRID; i++) {
        if (seen[i] != 1)
            FAIL_AT("event %d seen %d times across pages", i, seen[i]);
    }
    ASSERT_EQ_INT(total, NGRID);
    ASSERT_EQ_INT(pages, (NGRID + 6) / 7);
    /* Without a limit: every event once. */
    q = q_all();
    all = query(&d, &q);
    check_selection(all, pick_all, NULL);
    got_free(all);
    db_free(&d);
}

/* A callback that stops the stream: its status comes back. */
TEST(store_query_callback_stops)
{
    struct tmpdb d;
    struct truce_query q = q_all();
    struct got *g = calloc(1, sizeof(*g));
    db_new(&d);
    fill_grid(&d);
    g->stop_after = 3;
    ASSERT_EQ_INT(truce_store_query(d.st, &q, collect, g), TRUCE_ENOTFOUND);
    ASSERT_EQ_INT(g->n, 3);
    got_free(g);
    db_free(&d);
}

/* --------------------------------------------------------- assessments */

TEST(store_assessments_round_trip)
{
    struct tmpdb d;
    struct truce_event ev;
    struct truce_assessment as[2];
    struct truce_query q = q_all();
    struct got *g;
    int64_t key;
    db_new(&d);
    make_event(&ev, 1, 37.16, 36.2, T2016, T2016 + DAY);
    put(&d, &ev);
    truce_event_release(&ev);
    make_event(&ev, 2, 37.16, 36.2, T2016, T2016 + DAY);
    put(&d, &ev);
    key = key_of(&d, "acled:SYR1");
    /* Verdict, reason, side, sides and guarantors are kept; the wording is
     * not (truce_explain_stored makes it again from the model). */
    as[0] = one_assessment("syria-coh-2016", TRUCE_V_VIOLATION,
                           TRUCE_R_BREACH);
    as[0].n_sides = 2;
    as[0].sides[0] = "government";
    as[0].sides[1] = "opposition";
    as[0].n_guarantors = 2;
    as[0].guarantors[0] = "russia";
    as[0].guarantors[1] = "united-states";
    truce_buf_adds(&as[0].explanation, "Both sides fought.");
    as[1] = one_assessment("syria-aleppo-2016-05", TRUCE_V_UNDETERMINED,
                           TRUCE_R_TIME_IMPRECISE);
    truce_buf_adds(&as[1].explanation, "The day begins before the truce.");
    ASSERT_OK(truce_store_put_assessments(d.st, key, as, 2,
                                          TRUCE_V_VIOLATION));
    counts(&d, 2, 1);
    q.id = "acled:SYR1";
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    ASSERT(g->assessed[0]);
    ASSERT_EQ_INT(g->overall[0], TRUCE_V_VIOLATION);
    ASSERT_EQ_INT(g->n_as[0], 2);
    /* Two lines, in either order. */
    ASSERT(strstr(g->as_text, "syria-aleppo-2016-05 undetermined "
                              "time_imprecise side=null sides= guarantors= "
                              "[]\n") != NULL);
    ASSERT(strstr(g->as_text, "syria-coh-2016 violation breach side=null "
                              "sides=government,opposition guarantors="
                              "russia,united-states []\n") != NULL);
    ASSERT_EQ_INT(strlen(g->as_text),
                  strlen("syria-aleppo-2016-05 undetermined time_imprecise "
                         "side=null sides= guarantors= []\n"
                         "syria-coh-2016 violation breach side=null "
                         "sides=government,opposition guarantors=russia,"
                         "united-states []\n"));
    got_free(g);
    /* The verdict under one agreement selects events. */
    q.id = NULL;
    q.agreement = "syria-coh-2016";
    q.has_verdict = true;
    q.verdict = TRUCE_V_VIOLATION;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    ASSERT_EQ_STR(g->id[0], "acled:SYR1");
    got_free(g);
    q.verdict = TRUCE_V_PERMITTED;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 0);
    got_free(g);
    /* The overall verdict. */
    q.agreement = NULL;
    q.verdict = TRUCE_V_VIOLATION;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 1);
    got_free(g);
    /* Replaced, not added to: one assessment with a single side. */
    truce_assessment_release(&as[0]);
    truce_assessment_release(&as[1]);
    as[0] = one_assessment("syria-coh-2016", TRUCE_V_VIOLATION,
                           TRUCE_R_BREACH);
    as[0].side = "government";
    as[0].n_sides = 1;
    as[0].sides[0] = "government";
    as[0].n_guarantors = 1;
    as[0].guarantors[0] = "russia";
    truce_buf_adds(&as[0].explanation, "x");
    ASSERT_OK(truce_store_put_assessments(d.st, key, as, 1,
                                          TRUCE_V_VIOLATION));
    q = q_all();
    q.id = "acled:SYR1";
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n_as[0], 1);
    ASSERT_EQ_STR(g->as_text, "syria-coh-2016 violation breach "
                              "side=government sides=government "
                              "guarantors=russia []\n");
    got_free(g);
    truce_assessment_release(&as[0]);
    truce_event_release(&ev);
    db_free(&d);
}

/* ----------------------------------------------------------- documents */

struct docs {
    int n;
    char ids[8][32];
    char json[8][128];
};

static truce_status
collect_doc(void *ud, const char *id, const char *json)
{
    struct docs *d = ud;
    if (d->n >= 8)
        return TRUCE_EINVAL;
    snprintf(d->ids[d->n], sizeof(d->ids[0]), "%s", id);
    snprintf(d->json[d->n], sizeof(d->json[0]), "%s", json);
    d->n++;
    return TRUCE_OK;
}

static void
assess_all(struct tmpdb *d)
{
    struct truce_query q = q_all();
    struct got *g = query(d, &q);
    for (size_t k = 0; k < g->n; k++)
        ASSERT_OK(truce_store_put_assessments(d->st, g->key[k], NULL, 0,
                                              TRUCE_V_NOT_COVERED));
    got_free(g);
}

TEST(store_agreements_changed_and_mark_all)
{
    struct tmpdb d;
    struct docs docs;
    bool changed = false;
    char *text = NULL;
    db_new(&d);
    fill_grid(&d);
    assess_all(&d);
    counts(&d, NGRID, 0);
    /* A new agreement: changed, every event pending. */
    ASSERT_OK(truce_store_put_agreement(d.st, "b-truce", "{\"id\":\"b\"}",
                                        &changed));
    ASSERT(changed);
    counts(&d, NGRID, NGRID);
    assess_all(&d);
    counts(&d, NGRID, 0);
    /* The same text: unchanged, nothing marked. */
    changed = true;
    ASSERT_OK(truce_store_put_agreement(d.st, "b-truce", "{\"id\":\"b\"}",
                                        &changed));
    ASSERT(!changed);
    counts(&d, NGRID, 0);
    /* A changed text: marked again. */
    ASSERT_OK(truce_store_put_agreement(d.st, "b-truce",
                                        "{\"id\":\"b\",\"v\":2}", &changed));
    ASSERT(changed);
    counts(&d, NGRID, NGRID);
    assess_all(&d);
    /* A second agreement; changed may be NULL. */
    ASSERT_OK(truce_store_put_agreement(d.st, "a-truce", "{\"id\":\"a\"}",
                                        NULL));
    counts(&d, NGRID, NGRID);
    memset(&docs, 0, sizeof(docs));
    ASSERT_OK(truce_store_each_agreement(d.st, collect_doc, &docs));
    ASSERT_EQ_INT(docs.n, 2);
    ASSERT_EQ_STR(docs.ids[0], "a-truce");
    ASSERT_EQ_STR(docs.ids[1], "b-truce");
    ASSERT_EQ_STR(docs.json[1], "{\"id\":\"b\",\"v\":2}");
    /* mark_all by itself. */
    assess_all(&d);
    counts(&d, NGRID, 0);
    ASSERT_OK(truce_store_mark_all(d.st));
    counts(&d, NGRID, NGRID);
    /* The actor dictionary behaves the same. */
    assess_all(&d);
    ASSERT_OK(truce_store_get_actors(d.st, &text));
    ASSERT(text == NULL);
    ASSERT_OK(truce_store_put_actors(d.st, "{\"actors\":[]}", &changed));
    ASSERT(changed);
    counts(&d, NGRID, NGRID);
    assess_all(&d);
    ASSERT_OK(truce_store_put_actors(d.st, "{\"actors\":[]}", &changed));
    ASSERT(!changed);
    counts(&d, NGRID, 0);
    ASSERT_OK(truce_store_get_actors(d.st, &text));
    ASSERT_EQ_STR(text, "{\"actors\":[]}");
    free(text);
    db_free(&d);
}

/* -------------------------------------------------------- transactions */

TEST(store_rollback_leaves_nothing)
{
    struct tmpdb d;
    struct truce_query q = q_all();
    struct got *g;
    db_new(&d);
    ASSERT_OK(truce_store_begin(d.st));
    for (int i = 0; i < 5; i++) {
        struct truce_event ev;
        grid_event(&ev, i);
        ASSERT_EQ_INT(put(&d, &ev), TRUCE_PUT_INSERTED);
        truce_event_release(&ev);
    }
    ASSERT_OK(truce_store_put_agreement(d.st, "x", "{}", NULL));
    counts(&d, 5, 5); /* visible inside the transaction */
    ASSERT_OK(truce_store_rollback(d.st));
    counts(&d, 0, 0);
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 0);
    got_free(g);
    q.has_bbox = true;
    q.bbox[0] = -180;
    q.bbox[1] = -90;
    q.bbox[2] = 180;
    q.bbox[3] = 90;
    g = query(&d, &q);
    ASSERT_EQ_INT(g->n, 0);
    got_free(g);
    {
        struct docs docs;
        memset(&docs, 0, sizeof(docs));
        ASSERT_OK(truce_store_each_agreement(d.st, collect_doc, &docs));
        ASSERT_EQ_INT(docs.n, 0);
    }
    /* The same events, committed, survive a reopen. */
    fill_grid(&d);
    truce_store_close(d.st);
    d.st = NULL;
    db_open(&d);
    counts(&d, NGRID, NGRID);
    db_free(&d);
}

/* ------------------------------------------------------------ incidents */

static truce_status
keep_audit(void *ud, const char *id, const char *json)
{
    char *buf = ud;
    (void)id;
    snprintf(buf + strlen(buf), 4096 - strlen(buf), "%s\n", json);
    return TRUCE_OK;
}

static truce_status
keep_incident(void *ud, struct truce_stored *rec)
{
    int64_t *inc = ud;
    *inc = rec->incident;
    return TRUCE_OK;
}

static int64_t
incident_of(struct tmpdb *d, const char *id)
{
    struct truce_query q = {0};
    int64_t inc = -1;
    q.id = id;
    ASSERT_OK(truce_store_query(d->st, &q, keep_incident, &inc));
    return inc;
}

/* Two reports of one shelling are linked, a change of one moves its
 * incident's links, a split and a merge are kept with an audit entry each,
 * and the rules refuse what makes no sense. */
TEST(store_link_and_rules)
{
    struct tmpdb d;
    struct truce_event a, b;
    struct truce_link_counts lc;
    char audit[4096] = "";
    int64_t key_a, key_b;
    db_new(&d);
    make_event(&a, 1, 37.16, 36.20, 1462233600, 1462320000);
    make_event(&b, 2, 37.17, 36.21, 1462233600, 1462320000);
    free(b.id);
    free(b.source);
    b.id = strdup("news:x:1");
    b.source = strdup("news");
    put(&d, &a);
    key_a = d.last_key;
    put(&d, &b);
    key_b = d.last_key;
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), 0); /* not linked yet */
    ASSERT_OK(truce_store_link(d.st, false, &lc));
    ASSERT_EQ_INT(lc.linked, 2);
    ASSERT_EQ_INT(lc.incidents, 1);
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), key_a);
    ASSERT_EQ_INT(incident_of(&d, "acled:SYR1"), key_a);
    /* nothing new: nothing linked, nothing written */
    ASSERT_OK(truce_store_link(d.st, false, &lc));
    ASSERT_EQ_INT(lc.linked, 0);
    /* the ACLED row moved far away: both are linked again, apart */
    a.lat = 35.0;
    ASSERT_EQ_INT(put(&d, &a), TRUCE_PUT_UPDATED);
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), 0);
    ASSERT_OK(truce_store_link(d.st, false, &lc));
    ASSERT_EQ_INT(lc.incidents, 2);
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), key_b); /* its own */
    a.lat = 36.20;
    put(&d, &a);
    ASSERT_OK(truce_store_link(d.st, false, &lc));
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), key_a);
    /* split, then merge: each audited, each respected */
    ASSERT_OK(truce_store_link_rule(d.st, TRUCE_LINK_SPLIT, "news:x:1", NULL,
                                    "ana"));
    ASSERT_OK(truce_store_link(d.st, false, &lc));
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), key_b);
    ASSERT_OK(truce_store_link(d.st, true, &lc));
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), key_b);
    ASSERT_EQ_INT(truce_store_link_rule(d.st, TRUCE_LINK_SPLIT, "news:x:1",
                                        NULL, "ana"),
                  TRUCE_EINVAL);
    ASSERT(strstr(truce_ctx_errmsg(d.ctx), "alone in its incident"));
    ASSERT_OK(truce_store_link_rule(d.st, TRUCE_LINK_MERGE, "news:x:1",
                                    "acled:SYR1", "ben"));
    ASSERT_OK(truce_store_link(d.st, false, &lc));
    ASSERT_EQ_INT(incident_of(&d, "news:x:1"), key_a);
    ASSERT_OK(truce_store_audit(d.st, "news:x:1", 0, 10, keep_audit, audit));
    ASSERT(strstr(audit, "\"user\":\"ana\",\"event\":\"news:x:1\","
                         "\"action\":\"link-split\","
                         "\"before\":[\"acled:SYR1\",\"news:x:1\"]"));
    ASSERT(strstr(audit, "\"user\":\"ben\",\"event\":\"news:x:1\","
                         "\"action\":\"link-merge\""));
    ASSERT_EQ_INT(truce_store_link_rule(d.st, TRUCE_LINK_MERGE, "news:x:1",
                                        "news:x:1", "ana"),
                  TRUCE_EINVAL);
    ASSERT_EQ_INT(truce_store_link_rule(d.st, TRUCE_LINK_MERGE, "news:x:1",
                                        "nobody", "ana"),
                  TRUCE_ENOTFOUND);
    truce_event_release(&a);
    truce_event_release(&b);
    db_free(&d);
}

/* ------------------------------------------------------------- users */

static truce_status
keep_users(void *ud, const char *id, const char *json)
{
    char *buf = ud;
    snprintf(buf + strlen(buf), 1024 - strlen(buf), "%s %s\n", id, json);
    return TRUCE_OK;
}

/* Users are listed by id in one JSON shape on either backend, a revoked
 * one inactive; a name is taken once. */
TEST(store_users_listed_alike)
{
    struct tmpdb d;
    char token[128], list[1024] = "", *at;
    db_new(&d);
    ASSERT_OK(truce_store_add_user(d.st, "ana", "analyst", token,
                                   sizeof(token)));
    ASSERT(!strncmp(token, "truce_1_", 8));
    ASSERT_OK(truce_store_add_user(d.st, "mo", "monitor", token,
                                   sizeof(token)));
    ASSERT_EQ_INT(truce_store_add_user(d.st, "ana", "admin", token,
                                       sizeof(token)),
                  TRUCE_EINVAL);
    ASSERT(strstr(truce_ctx_errmsg(d.ctx), "user 'ana' exists"));
    ASSERT_OK(truce_store_revoke_user(d.st, "mo"));
    ASSERT_OK(truce_store_each_user(d.st, keep_users, list));
    /* the creation times differ from run to run: checked for their form */
    {
        static const char first[] = "1 {\"id\":1,\"name\":\"ana\",\"role\":"
                                    "\"analyst\",\"created_at\":\"20";
        ASSERT(!strncmp(list, first, sizeof(first) - 1));
    }
    ASSERT((at = strstr(list, "\n2 {\"id\":2,\"name\":\"mo\",\"role\":"
                              "\"monitor\",\"created_at\":\"")) != NULL);
    ASSERT(strstr(list, "Z\",\"active\":true}\n2 "));
    ASSERT(strstr(at, "Z\",\"active\":false}\n"));
    ASSERT_EQ_INT(truce_store_revoke_user(d.st, "nobody"), TRUCE_ENOTFOUND);
    db_free(&d);
}

/* ------------------------------------------------------- PostgreSQL */

/* No server at the URL: the message names host and port (and not the
 * password). Needs no server. */
TEST(store_pg_unreachable_names_host_and_port)
{
    struct truce_ctx *ctx;
    struct truce_store *st = NULL;
    const char *msg;
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_EQ_INT(truce_store_create(ctx, "postgresql://ana:s3cret@"
                                     "127.0.0.1:1/truce", &st),
                  TRUCE_EDB);
    ASSERT(st == NULL);
    msg = truce_ctx_errmsg(ctx);
    ASSERT(strstr(msg, "no PostgreSQL server answers at 127.0.0.1:1"));
    ASSERT(strstr(msg, "'postgresql://ana:***@127.0.0.1:1/truce'"));
    ASSERT(!strstr(msg, "s3cret"));
    ASSERT_EQ_INT(truce_store_open(ctx, "postgres://127.0.0.1:1/truce?"
                                   "password=s3cret", &st),
                  TRUCE_EDB);
    ASSERT(!strstr(truce_ctx_errmsg(ctx), "s3cret"));
    truce_ctx_free(ctx);
}

static void
need_pg(void)
{
    if (!test_store_pg())
        test_skip("TRUCE_TEST_PG_DSN names no PostgreSQL database");
}

/* A database without a store is not one (opening makes nothing); a store
 * of a later schema is refused. */
TEST(store_pg_missing_and_newer)
{
    char path[TEST_STORE_PATH];
    struct truce_ctx *ctx;
    struct truce_store *st = NULL;
    need_pg();
    test_store_new(path);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_EQ_INT(truce_store_open(ctx, path, &st), TRUCE_ENOTFOUND);
    ASSERT(st == NULL);
    ASSERT(strstr(truce_ctx_errmsg(ctx), "truce init"));
    /* fails the test if opening made the schema */
    test_store_exec(path, "DO $$ BEGIN IF to_regclass('meta') IS NOT NULL "
                          "THEN RAISE 'made'; END IF; END $$");
    ASSERT_OK(truce_store_create(ctx, path, &st));
    ASSERT_EQ_INT(truce_store_schema_version(st), 6);
    truce_store_close(st);
    test_store_exec(path, "UPDATE meta SET value = 99 WHERE key = "
                          "'schema_version'");
    ASSERT_EQ_INT(truce_store_open(ctx, path, &st), TRUCE_EDB);
    ASSERT(strstr(truce_ctx_errmsg(ctx), "schema version 99 is newer than "
                                         "this truce (6)"));
    truce_ctx_free(ctx);
    test_store_remove(path);
}

/* Two handles on one store: a write transaction is seen by the other only
 * once committed, and the other's begin waits for it (the write lock);
 * a review step the first took is no longer open to the second. */
TEST(store_pg_writers_take_turns)
{
    struct tmpdb a;
    struct truce_ctx *ctx;
    struct truce_store *b;
    struct truce_event ev;
    int64_t n = -1, pending;
    int status = 0;
    pid_t pid;
    need_pg();
    db_new(&a);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce_store_open(ctx, a.path, &b));
    ASSERT_OK(truce_store_begin(a.st));
    make_event(&ev, 1, 37.16, 36.2, T2016, T2016 + DAY);
    put(&a, &ev);
    ASSERT_OK(truce_store_counts(b, &n, &pending));
    ASSERT_EQ_INT(n, 0);
    fflush(NULL);
    pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        /* a connection of its own: b's belongs to the parent */
        struct truce_ctx *c2;
        struct truce_store *s2;
        struct timespec t0, t1;
        long ms;
        if (truce_ctx_new(&c2) || truce_store_open(c2, a.path, &s2))
            _exit(2);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (truce_store_begin(s2))
            _exit(3);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms = (t1.tv_sec - t0.tv_sec) * 1000 +
             (t1.tv_nsec - t0.tv_nsec) / 1000000;
        if (truce_store_counts(s2, &n, &pending) || n != 1)
            _exit(4);
        _exit(ms >= 200 ? 0 : 5);
    }
    usleep(400 * 1000);
    ASSERT_OK(truce_store_commit(a.st));
    ASSERT(waitpid(pid, &status, 0) == pid);
    ASSERT(WIFEXITED(status));
    ASSERT_EQ_INT(WEXITSTATUS(status), 0);
    ASSERT_OK(truce_store_counts(b, &n, &pending));
    ASSERT_EQ_INT(n, 1);
    ASSERT_OK(truce_store_review(a.st, ev.id, "ana", "alleged", "seen",
                                 NULL, NULL, NULL));
    ASSERT_EQ_INT(truce_store_review(b, ev.id, "ben", "alleged", "seen too",
                                     NULL, NULL, NULL),
                  TRUCE_ECONFLICT);
    truce_store_close(b);
    truce_ctx_free(ctx);
    truce_event_release(&ev);
    db_free(&a);
}

/* A store that takes no writes (a server whose transactions are read-only
 * by default, as a hot standby's are): said by truce_store_read_only, a
 * transaction refused at its begin with TRUCE_EREADONLY naming why, and a
 * write outside one refused by the server with the same status; reads
 * work. A SQLite file opened for writing takes them. */
TEST(store_read_only)
{
    struct tmpdb a;
    char path[TEST_STORE_PATH + 64];
    const char *schema;
    struct truce_store *ro;
    int64_t n = -1, pending;
    bool yes = true;
    db_new(&a);
    ASSERT_OK(truce_store_read_only(a.st, &yes));
    ASSERT(!yes);
    if (!test_store_pg()) {
        db_free(&a);
        return;
    }
    /* the test store's URL, its connection's options one longer */
    schema = strstr(a.path, "search_path%3D");
    ASSERT(schema != NULL);
    schema += 14 + strcspn(schema + 14, "&");
    snprintf(path, sizeof(path), "%.*s%%20-cdefault_transaction_read_only"
             "%%3Don%s", (int)(schema - a.path), a.path, schema);
    ASSERT_OK(truce_store_open(a.ctx, path, &ro));
    ASSERT_OK(truce_store_read_only(ro, &yes));
    ASSERT(yes);
    ASSERT_OK(truce_store_counts(ro, &n, &pending));
    ASSERT_EQ_INT(n, 0);
    ASSERT_EQ_INT(truce_store_begin(ro), TRUCE_EREADONLY);
    ASSERT(strstr(truce_ctx_errmsg(a.ctx), "beginning a transaction"));
    ASSERT(strstr(truce_ctx_errmsg(a.ctx), "is read-only "
                                           "(default_transaction_read_only)"));
    ASSERT_EQ_INT(truce_store_put_actors(ro, "{\"actors\": []}", NULL),
                  TRUCE_EREADONLY);
    ASSERT(strstr(truce_ctx_errmsg(a.ctx), "it takes no writes"));
    truce_store_close(ro);
    db_free(&a);
}
