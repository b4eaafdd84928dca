/*
 * test_cells.c - the map's cells (src/cells.c) against the store's own
 * map query: random events around the grid's lines, random boxes, times
 * and filters; the counts, the colours and the points must be what the
 * store's query selects, event by event. And the events' version that
 * tells a server when to read them again.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <jansson.h>

#define DAY 86400LL
#define T0 1462060800LL /* 2016-05-01 */
#define N_EVENTS 400

static const char *const agreements[] = {"a1", "a2", "a3"};
static const char *const sides[] = {"gov", "reb", "isis"};
static const enum truce_category categories[] = {
    TRUCE_CAT_REMOTE_VIOLENCE, TRUCE_CAT_BATTLE, TRUCE_CAT_VAC};

struct fx {
    char path[TEST_STORE_PATH];
    struct truce_ctx *ctx;
    struct truce_store *st;
};

static unsigned rnd_state = 12345;

static unsigned
rnd(unsigned n)
{
    return test_rnd(&rnd_state, n);
}

static double
rnd_coord(double lo, double hi)
{
    /* a fifth of them on a grid line of 0.1 degrees exactly */
    if (rnd(5) == 0)
        return lo + (double)rnd((unsigned)((hi - lo) * 10 + 0.5)) / 10.0;
    return lo + (hi - lo) * (double)rnd(1000000) / 1e6;
}

static void
fx_open(struct fx *f)
{
    memset(f, 0, sizeof(*f));
    test_store_new(f->path);
    ASSERT_OK(truce_ctx_new(&f->ctx));
    ASSERT_OK(truce_store_create(f->ctx, f->path, &f->st));
}

static void
fx_close(struct fx *f)
{
    truce_store_close(f->st);
    truce_ctx_free(f->ctx);
    test_store_remove(f->path);
}

static void
random_event(struct truce_event *ev, int k)
{
    char id[32];
    int64_t start = T0 + (int64_t)rnd(60) * DAY + (int64_t)rnd(4) * 21600;
    truce_event_init(ev);
    snprintf(id, sizeof(id), "t:%d", k);
    ev->id = strdup(id);
    ev->source = strdup("t");
    ev->source_id = strdup(id + 2);
    ev->date_only = rnd(2) == 0;
    ev->time_kind = ev->date_only ? TRUCE_TIME_LOCAL : TRUCE_TIME_UTC;
    ev->t0 = ev->date_only ? start - start % DAY : start;
    /* a few long ones (more than two days: no grid cell in the store) */
    ev->t1 = ev->t0 + (rnd(6) == 0 ? (int64_t)(3 + rnd(9)) * DAY
                                   : ev->date_only ? DAY : 3600);
    ev->lon = rnd_coord(36.0, 36.6);
    ev->lat = rnd_coord(35.9, 36.4);
    ev->radius_km = 5;
    ev->category = categories[rnd(3)];
    ev->location = strdup("somewhere");
    ev->fatalities = (int64_t)rnd(4);
}

/* Assessed under each agreement, as `truce assess` does: the verdicts at
 * random, violations attributed to one or two sides. */
static void
random_assessments(struct fx *f, int64_t key)
{
    struct truce_assessment as[3];
    enum truce_verdict overall = TRUCE_V_NOT_COVERED;
    for (int a = 0; a < 3; a++) {
        memset(&as[a], 0, sizeof(as[a]));
        as[a].agreement_id = agreements[a];
        as[a].verdict = (enum truce_verdict)(1 + rnd(4));
        as[a].reason = TRUCE_R_BREACH;
        if (as[a].verdict == TRUCE_V_VIOLATION) {
            as[a].n_sides = 1 + rnd(2);
            as[a].sides[0] = sides[rnd(3)];
            as[a].sides[1] = sides[rnd(3)];
            as[a].side = as[a].sides[0];
        }
        if (as[a].verdict > overall)
            overall = as[a].verdict;
    }
    ASSERT_OK(truce_store_put_assessments(f->st, key, as, 3, overall));
    for (int a = 0; a < 3; a++)
        truce_assessment_release(&as[a]);
}

static void
fill(struct fx *f)
{
    struct truce_event ev;
    enum truce_put_result put;
    int64_t key;
    for (int a = 0; a < 3; a++) {
        char json[64];
        snprintf(json, sizeof(json), "{\"id\":\"%s\"}", agreements[a]);
        ASSERT_OK(truce_store_put_agreement(f->st, agreements[a], json,
                                            NULL));
    }
    ASSERT_OK(truce_store_begin(f->st));
    for (int k = 0; k < N_EVENTS; k++) {
        random_event(&ev, k);
        ASSERT_OK(truce_store_put_event(f->st, &ev, &put, &key));
        if (rnd(10) < 7)
            random_assessments(f, key);
        /* some changed after their assessment: pending again */
        if (rnd(10) == 0) {
            ev.fatalities += 10;
            ASSERT_OK(truce_store_put_event(f->st, &ev, &put, &key));
            ASSERT_EQ_INT(put, TRUCE_PUT_UPDATED);
        }
        truce_event_release(&ev);
    }
    ASSERT_OK(truce_store_commit(f->st));
}

/* What the store's map query selects, with the cells' meanings of an
 * agreement or a verdict alone, and the colour each event is shown in. */
struct expect {
    const struct truce_query *q;
    long total;
    long by_verdict[TRUCE_V_VIOLATION + 1];
    int64_t keys[N_EVENTS], t0[N_EVENTS];
    size_t n_keys;
};

static int
verdict_in(const char *verdicts, const char *agreement)
{
    json_t *o = verdicts ? json_loads(verdicts, 0, NULL) : NULL;
    json_t *v = o ? json_object_get(o, agreement) : NULL;
    int k = v ? truce_verdict_parse(json_string_value(v)) : -1;
    json_decref(o);
    return k;
}

static truce_status
expect_row(void *ud, const struct truce_map_row *row)
{
    struct expect *e = ud;
    const struct truce_query *q = e->q;
    int colour;
    if (q->agreement) {
        int v = verdict_in(row->verdicts, q->agreement);
        if (!q->has_verdict && v < 0)
            return TRUCE_OK; /* it does not apply */
        colour = v < 0 ? TRUCE_V_NOT_APPLICABLE : v;
    } else {
        colour = row->verdict ? truce_verdict_parse(row->verdict)
                              : TRUCE_V_NOT_COVERED;
        if (q->has_verdict && colour != (int)q->verdict)
            return TRUCE_OK;
    }
    e->total++;
    e->by_verdict[colour]++;
    e->t0[e->n_keys] = row->t0;
    e->keys[e->n_keys++] = row->key;
    return TRUCE_OK;
}

static void
expected(struct fx *f, const struct truce_query *q, struct expect *e)
{
    struct truce_query sq = *q;
    memset(e, 0, sizeof(*e));
    e->q = q;
    if (!q->agreement)
        sq.has_verdict = false; /* the colour decides (expect_row) */
    ASSERT_OK(truce_store_map(f->st, &sq, expect_row, e));
}

static void
random_query(struct truce_query *q, char *err, size_t n)
{
    double w = rnd_coord(35.95, 36.5), s = rnd_coord(35.85, 36.3);
    memset(q, 0, sizeof(*q));
    q->has_bbox = rnd(8) != 0;
    q->bbox[0] = w;
    q->bbox[1] = s;
    q->bbox[2] = w + (double)rnd(7) / 10.0 + (rnd(2) ? 0.0 : 0.037);
    q->bbox[3] = s + (double)rnd(6) / 10.0 + (rnd(2) ? 0.0 : 0.051);
    if ((q->has_from = rnd(3) == 0))
        q->from = T0 + (int64_t)rnd(60) * DAY + (rnd(2) ? 0 : 3600);
    if ((q->has_to = rnd(3) == 0))
        q->to = T0 + (int64_t)rnd(70) * DAY + (rnd(2) ? 0 : 7200);
    if (rnd(3) == 0)
        q->agreement = rnd(8) ? agreements[rnd(3)] : "nowhere";
    if ((q->has_verdict = rnd(3) == 0))
        q->verdict = (enum truce_verdict)rnd(5);
    if (rnd(5) == 0)
        q->category = truce_category_name(categories[rnd(3)]);
    if (rnd(5) == 0)
        q->side = rnd(8) ? sides[rnd(3)] : "nobody";
    q->representatives_only = rnd(4) == 0;
    snprintf(err, n, "bbox %.3f,%.3f,%.3f,%.3f%s from %lld to %lld "
             "agreement %s verdict %s category %s side %s",
             q->bbox[0], q->bbox[1], q->bbox[2], q->bbox[3],
             q->has_bbox ? "" : " (not given)",
             q->has_from ? (long long)q->from : 0LL,
             q->has_to ? (long long)q->to : 0LL,
             q->agreement ? q->agreement : "-",
             q->has_verdict ? truce_verdict_name(q->verdict) : "-",
             q->category ? q->category : "-", q->side ? q->side : "-");
}

static void
check_answer(const struct expect *e, const struct truce_cells_answer *a,
             bool all_points, const char *what)
{
    long in_cells = 0;
    if (a->total != e->total)
        FAIL_AT("%s: %ld counted, the store selects %ld", what, a->total,
                e->total);
    for (int v = 0; v <= TRUCE_V_VIOLATION; v++)
        if (a->by_verdict[v] != e->by_verdict[v])
            FAIL_AT("%s: %ld %s, the store %ld", what, a->by_verdict[v],
                    truce_verdict_name((enum truce_verdict)v),
                    e->by_verdict[v]);
    for (size_t i = 0; i < a->n_cells; i++) {
        long sum = 0;
        const struct truce_cell *c = &a->cells[i];
        for (int v = 0; v <= TRUCE_V_VIOLATION; v++)
            sum += c->by_verdict[v];
        ASSERT_EQ_INT(sum, c->n);
        /* the mean place lies in the cell */
        ASSERT(c->lon >= c->bbox[0] - 1e-9 && c->lon <= c->bbox[2] + 1e-9);
        ASSERT(c->lat >= c->bbox[1] - 1e-9 && c->lat <= c->bbox[3] + 1e-9);
        in_cells += c->n;
    }
    ASSERT_EQ_INT(in_cells + (long)a->n_keys, e->total);
    for (size_t i = 0; i + 1 < a->n_keys; i++)
        ASSERT(a->keys[i] < a->keys[i + 1]);
    if (all_points) {
        ASSERT_EQ_INT(a->n_cells, 0);
        ASSERT_EQ_INT(a->n_keys, e->n_keys);
        for (size_t i = 0; i < e->n_keys; i++)
            if (a->keys[i] != e->keys[i])
                FAIL_AT("%s: point %zu is key %lld, the store's %lld", what,
                        i, (long long)a->keys[i], (long long)e->keys[i]);
    } else {
        /* every point is one the store selects */
        for (size_t i = 0; i < a->n_keys; i++) {
            size_t j = 0;
            while (j < e->n_keys && e->keys[j] != a->keys[i])
                j++;
            if (j == e->n_keys)
                FAIL_AT("%s: point key %lld is not selected", what,
                        (long long)a->keys[i]);
        }
    }
}

TEST(cells_match_store_map)
{
    struct fx f;
    struct truce_cells *c;
    fx_open(&f);
    fill(&f);
    ASSERT_OK(truce_cells_load(f.ctx, f.st, &c));
    ASSERT_EQ_INT(truce_cells_size(c), N_EVENTS);
    for (int k = 0; k < 400; k++) {
        struct truce_query q;
        struct expect e;
        struct truce_cells_answer a;
        char what[512];
        int level = (int)rnd(9) - 3;
        random_query(&q, what, sizeof(what));
        expected(&f, &q, &e);
        /* counts only */
        ASSERT_OK(truce_cells_count(f.ctx, c, &q, level, 0, 0, &a));
        check_answer(&e, &a, false, what);
        truce_cells_answer_release(&a);
        /* every point */
        ASSERT_OK(truce_cells_count(f.ctx, c, &q, level, 0, N_EVENTS, &a));
        check_answer(&e, &a, true, what);
        truce_cells_answer_release(&a);
        /* the latest, against the store's rows sorted by start */
        {
            size_t want = rnd(12), got_n;
            ASSERT_OK(truce_cells_count_latest(f.ctx, c, &q, level, 0, 0,
                                               want, &a));
            got_n = want < e.n_keys ? want : e.n_keys;
            ASSERT_EQ_INT(a.n_latest, got_n);
            for (size_t i = 0; i < a.n_latest; i++) {
                /* the i-th latest: i of the selected start later (or as
                 * late with a larger key) */
                size_t j = 0, later = 0;
                while (j < e.n_keys && e.keys[j] != a.latest[i])
                    j++;
                if (j == e.n_keys)
                    FAIL_AT("%s: latest key %lld is not selected", what,
                            (long long)a.latest[i]);
                for (size_t x = 0; x < e.n_keys; x++)
                    later += e.t0[x] > e.t0[j] ||
                             (e.t0[x] == e.t0[j] && e.keys[x] > e.keys[j]);
                if (later != i)
                    FAIL_AT("%s: latest %zu has %zu later", what, i, later);
            }
            check_answer(&e, &a, false, what);
            truce_cells_answer_release(&a);
        }
        /* the cells of few events as points */
        ASSERT_OK(truce_cells_count(f.ctx, c, &q, level, 3, 5, &a));
        check_answer(&e, &a, e.total <= 5, what);
        for (size_t i = 0; i < a.n_cells; i++)
            ASSERT(a.cells[i].n > 3);
        truce_cells_answer_release(&a);
    }
    truce_cells_free(c);
    fx_close(&f);
}

TEST(cells_levels_nest_and_bad_arguments)
{
    struct fx f;
    struct truce_cells *c;
    struct truce_query q = {0};
    struct truce_cells_answer fine, coarse;
    fx_open(&f);
    fill(&f);
    ASSERT_OK(truce_cells_load(f.ctx, f.st, &c));
    q.has_bbox = true;
    q.bbox[0] = 35.0;
    q.bbox[1] = 35.0;
    q.bbox[2] = 37.0;
    q.bbox[3] = 37.0;
    /* each cell of level 2 is the sum of the level-1 cells inside it */
    ASSERT_OK(truce_cells_count(f.ctx, c, &q, 1, 0, 0, &fine));
    ASSERT_OK(truce_cells_count(f.ctx, c, &q, 2, 0, 0, &coarse));
    ASSERT_EQ_INT(fine.level, 1);
    ASSERT_NEAR(truce_cells_degrees(2), 0.4, 1e-12);
    for (size_t i = 0; i < coarse.n_cells; i++) {
        long sum = 0;
        const double *b = coarse.cells[i].bbox;
        for (size_t j = 0; j < fine.n_cells; j++) {
            double x = (fine.cells[j].bbox[0] + fine.cells[j].bbox[2]) / 2;
            double y = (fine.cells[j].bbox[1] + fine.cells[j].bbox[3]) / 2;
            if (x > b[0] && x < b[2] && y > b[1] && y < b[3])
                sum += fine.cells[j].n;
        }
        ASSERT_EQ_INT(sum, coarse.cells[i].n);
    }
    ASSERT_EQ_INT(fine.total, N_EVENTS);
    truce_cells_answer_release(&fine);
    truce_cells_answer_release(&coarse);
    /* the whole world at the finest level: counted coarser */
    q.has_bbox = false;
    ASSERT_OK(truce_cells_count(f.ctx, c, &q, -6, 0, 0, &fine));
    ASSERT(fine.level > 0);
    ASSERT_EQ_INT(fine.total, N_EVENTS);
    truce_cells_answer_release(&fine);
    ASSERT_EQ_INT(truce_cells_count(f.ctx, c, &q, 11, 0, 0, &fine),
                  TRUCE_EINVAL);
    ASSERT(strstr(truce_ctx_errmsg(f.ctx), "level"));
    ASSERT_EQ_INT(truce_cells_count(f.ctx, c, &q, 0, 17, 0, &fine),
                  TRUCE_EINVAL);
    truce_cells_free(c);
    fx_close(&f);
}

static int64_t
version(struct fx *f)
{
    int64_t v = -1;
    ASSERT_OK(truce_store_events_version(f->st, &v));
    return v;
}

TEST(cells_events_version_moves_with_what_maps_show)
{
    struct fx f;
    struct truce_event ev;
    enum truce_put_result put;
    int64_t key, v;
    struct truce_cells *c;
    fx_open(&f);
    ASSERT_EQ_INT(version(&f), 0);
    random_event(&ev, 1);
    /* one transaction of several writes: once */
    ASSERT_OK(truce_store_begin(f.st));
    ASSERT_OK(truce_store_put_event(f.st, &ev, &put, &key));
    random_assessments(&f, key);
    ASSERT_EQ_INT(version(&f), 0);
    ASSERT_OK(truce_store_commit(f.st));
    ASSERT_EQ_INT(version(&f), 1);
    /* unchanged: still */
    ASSERT_OK(truce_store_put_event(f.st, &ev, &put, &key));
    ASSERT_EQ_INT(put, TRUCE_PUT_UNCHANGED);
    ASSERT_EQ_INT(version(&f), 1);
    /* outside a transaction: at once */
    random_assessments(&f, key);
    ASSERT_EQ_INT(version(&f), 2);
    ASSERT_OK(truce_store_mark_all(f.st));
    ASSERT_EQ_INT(version(&f), 3);
    /* rolled back: not */
    ASSERT_OK(truce_store_begin(f.st));
    random_assessments(&f, key);
    ASSERT_OK(truce_store_rollback(f.st));
    ASSERT_EQ_INT(version(&f), 3);
    /* an agreement that changes (marks every event): moves */
    ASSERT_OK(truce_store_put_agreement(f.st, "a9", "{\"id\":\"a9\"}", NULL));
    v = version(&f);
    ASSERT(v > 3);
    ASSERT_OK(truce_cells_load(f.ctx, f.st, &c));
    ASSERT_EQ_INT(truce_cells_version(c), v);
    ASSERT_EQ_INT(truce_cells_size(c), 1);
    truce_cells_free(c);
    /* changed: moves */
    ev.fatalities += 1;
    ASSERT_OK(truce_store_put_event(f.st, &ev, &put, &key));
    ASSERT_EQ_INT(put, TRUCE_PUT_UPDATED);
    ASSERT_EQ_INT(version(&f), v + 1);
    truce_event_release(&ev);
    fx_close(&f);
}

static truce_status
count_row(void *ud, const struct truce_map_row *row)
{
    int64_t *seen = ud;
    seen[0]++;
    seen[seen[0]] = row->key;
    return TRUCE_OK;
}

TEST(cells_edges_one_part_bad_boxes_and_keys)
{
    struct fx f;
    struct truce_event ev;
    enum truce_put_result put;
    int64_t key, keys[3], seen[8] = {0};
    struct truce_cells *c;
    struct truce_cells_answer a;
    struct truce_query q = {0};
    fx_open(&f);
    /* only long events: the short part is empty */
    for (int k = 0; k < 3; k++) {
        random_event(&ev, 900 + k);
        ev.t1 = ev.t0 + 5 * DAY;
        ev.lat = 89.95; /* the top row of the grid */
        ev.lon = -179.95 + k;
        ASSERT_OK(truce_store_put_event(f.st, &ev, &put, &key));
        keys[k] = key;
        truce_event_release(&ev);
    }
    ASSERT_OK(truce_cells_load(f.ctx, f.st, &c));
    ASSERT_OK(truce_cells_count(f.ctx, c, &q, 3, 0, 0, &a));
    ASSERT_EQ_INT(a.total, 3);
    truce_cells_answer_release(&a);
    /* a box past the world's edges counts each event once */
    q.has_bbox = true;
    q.bbox[0] = -200;
    q.bbox[1] = -95;
    q.bbox[2] = 200;
    q.bbox[3] = 95;
    ASSERT_OK(truce_cells_count(f.ctx, c, &q, 8, 0, 0, &a));
    ASSERT_EQ_INT(a.total, 3);
    truce_cells_answer_release(&a);
    /* upside down, or across the antimeridian: nothing */
    q.bbox[0] = 10;
    q.bbox[2] = -10;
    ASSERT_OK(truce_cells_count(f.ctx, c, &q, 0, 3, 100, &a));
    ASSERT_EQ_INT(a.total, 0);
    ASSERT_EQ_INT(a.n_keys, 0);
    truce_cells_answer_release(&a);
    truce_cells_free(c);
    /* the store's query by keys: those, and only those */
    memset(&q, 0, sizeof(q));
    q.keys = keys;
    q.n_keys = 2;
    ASSERT_OK(truce_store_map(f.st, &q, count_row, seen));
    ASSERT_EQ_INT(seen[0], 2);
    ASSERT_EQ_INT(seen[1], keys[0]);
    ASSERT_EQ_INT(seen[2], keys[1]);
    fx_close(&f);
}
