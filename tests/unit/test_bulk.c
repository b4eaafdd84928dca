/*
 * test_bulk.c - the bulk assessment (src/rule.c's truce__bulk_assess, with
 * src/raster.c's zone rasters) against truce_assess_event, event by event:
 * verdict, reason, side, sides and guarantors under every agreement, and
 * the overall verdict. On an adversarial set made here (points on, just
 * inside and just outside the zones' vertices and edges and the rasters'
 * cells, every radius kind, times at the in-force edges, local and UTC,
 * areas, actor fields of every status) and on the real UCDP Syria file
 * (../shared) under the example agreements and under zones cut from
 * OCHA's governorates (detailed borders).
 */
#define _GNU_SOURCE 1
#include "test.h"
#include "truce_int.h"

#include <jansson.h>
#include <math.h>

struct model {
    struct truce_ctx *ctx;
    struct truce_actors *actors;
    struct truce_agreements *set;
};

static void
model_open(struct model *m, const char *extra, const char *extra_dir)
{
    size_t n;
    char *text;
    memset(m, 0, sizeof(*m));
    ASSERT_OK(truce_ctx_new(&m->ctx));
    text = test_slurp(test_path("examples/actors.json"), &n);
    ASSERT_OK(truce_actors_parse(m->ctx, text, n, "actors.json", &m->actors));
    free(text);
    ASSERT_OK(truce_agreements_new(m->ctx, &m->set));
    text = test_slurp(test_path("examples/agreements-syria-2016.json"), &n);
    ASSERT_OK(truce_agreements_parse(m->ctx, m->set, text, n, "agreements",
                                     test_path("examples"), false));
    free(text);
    if (extra && truce_agreements_parse(m->ctx, m->set, extra, strlen(extra),
                                        "extra", extra_dir, false))
        FAIL_AT("%s", truce_ctx_errmsg(m->ctx));
    text = test_slurp(test_path("examples/zones/syria.geojson"), &n);
    ASSERT_OK(truce_agreements_add_area(m->ctx, m->set, "Syria", NULL, text));
    free(text);
    ASSERT_OK(truce_agreements_prepare(m->ctx, m->set, m->actors));
}

static void
model_close(struct model *m)
{
    truce_agreements_free(m->set);
    truce_actors_free(m->actors);
    truce_ctx_free(m->ctx);
}

static bool
same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Compares the two paths on one event; counts what differs. */
struct compare {
    struct model *m;
    struct truce__bulk *bulk;
    struct truce__bulk_memo *memo;
    struct truce_assessment *ref, *fast;
    size_t n;
    long events, differ;
    long verdicts[TRUCE_V_VIOLATION + 1]; /* the reference's overall ones */
};

static void
compare_open(struct compare *c, struct model *m)
{
    memset(c, 0, sizeof(*c));
    c->m = m;
    c->n = truce_agreements_count(m->set);
    ASSERT_OK(truce__bulk_new(m->ctx, m->set, m->actors, &c->bulk));
    ASSERT_OK(truce__bulk_memo_new(m->ctx, c->bulk, false, &c->memo));
    c->ref = calloc(c->n, sizeof(*c->ref));
    c->fast = calloc(c->n, sizeof(*c->fast));
    ASSERT(c->ref && c->fast);
    for (size_t i = 0; i < c->n; i++) {
        truce_assessment_init(&c->ref[i]);
        truce_assessment_init(&c->fast[i]);
    }
}

static void
compare_close(struct compare *c)
{
    for (size_t i = 0; i < c->n; i++) {
        truce_assessment_release(&c->ref[i]);
        truce_assessment_release(&c->fast[i]);
    }
    free(c->ref);
    free(c->fast);
    truce__bulk_memo_free(c->m->ctx, c->memo);
    truce__bulk_free(c->bulk);
}

static void
compare_one(struct compare *c, const struct truce_event *ev)
{
    enum truce_verdict ro, fo;
    bool bad;
    ASSERT_OK(truce_assess_event(c->m->ctx, c->m->set, c->m->actors, ev,
                                 TRUCE_ASSESS_NO_EXPLAIN, c->ref, &ro));
    ASSERT_OK(truce__bulk_assess(c->m->ctx, c->bulk, c->memo, ev, NULL,
                                 TRUCE_ASSESS_NO_EXPLAIN, c->fast, &fo));
    c->events++;
    c->verdicts[ro]++;
    bad = ro != fo;
    for (size_t i = 0; i < c->n; i++) {
        const struct truce_assessment *r = &c->ref[i], *f = &c->fast[i];
        bad |= r->verdict != f->verdict || r->reason != f->reason ||
               !same_str(r->side, f->side) || r->n_sides != f->n_sides ||
               r->n_guarantors != f->n_guarantors;
        for (size_t s = 0; s < r->n_sides && s < f->n_sides; s++)
            bad |= !same_str(r->sides[s], f->sides[s]);
        for (size_t g = 0; g < r->n_guarantors && g < f->n_guarantors; g++)
            bad |= !same_str(r->guarantors[g], f->guarantors[g]);
        if (r->verdict != f->verdict && c->differ < 10)
            fprintf(stderr, "  event %s (%.9f, %.9f, r %g, t %lld..%lld): "
                    "agreement %zu: %s (%s), fast %s (%s)\n",
                    ev->id ? ev->id : "?", ev->lat, ev->lon, ev->radius_km,
                    (long long)ev->t0, (long long)ev->t1, i,
                    truce_verdict_name(r->verdict),
                    truce_reason_name(r->reason),
                    truce_verdict_name(f->verdict),
                    truce_reason_name(f->reason));
    }
    c->differ += bad;
}

/* ------------------------------------------------ the adversarial set */

static unsigned rnd_state = 777;

static unsigned
rnd(unsigned n)
{
    return test_rnd(&rnd_state, n);
}

/* Every [x, y] of a GeoJSON value's coordinates, appended to pts. */
static void
collect(json_t *v, double (**pts)[2], size_t *n, size_t *cap)
{
    size_t i;
    json_t *x;
    if (json_is_object(v)) {
        const char *k;
        json_object_foreach(v, k, x) collect(x, pts, n, cap);
        return;
    }
    if (!json_is_array(v))
        return;
    if (json_array_size(v) >= 2 && json_is_number(json_array_get(v, 0)) &&
        json_is_number(json_array_get(v, 1))) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 256;
            *pts = realloc(*pts, *cap * sizeof(**pts));
            ASSERT(*pts);
        }
        (*pts)[*n][0] = json_number_value(json_array_get(v, 0));
        (*pts)[*n][1] = json_number_value(json_array_get(v, 1));
        (*n)++;
        return;
    }
    json_array_foreach(v, i, x) collect(x, pts, n, cap);
}

static const char *const actor_fields[] = {
    NULL, "Government of Syria", "Syrian insurgents", "IS", "Civilians",
    "Jabhat Fateh al-Sham", "Ahrar al-Sham", "SDF", "Russia",
    "Government of Syria; Russia", "nobody we know",
    "Syrian insurgents; IS", "Government of Turkey"};

static const char *const areas[] = {"iso:SY", "name:Syria", "iso:TR",
                                    "iso:LB", "admin1:Aleppo", "iso:ZZ"};

/* The agreements' in-force edges, local and UTC, from their JSON. */
static size_t
time_edges(struct model *m, int64_t *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < truce_agreements_count(m->set); i++) {
        const struct truce__agreement *a = truce__agreements_at(m->set, i);
        for (size_t j = 0; j < a->n_intervals && k + 2 <= max; j++) {
            out[k++] = a->intervals[j].from;
            out[k++] = a->intervals[j].until;
        }
    }
    return k;
}

static void
adversarial_event(struct truce_event *ev, const double *pt, long n,
                  const int64_t *edges, size_t n_edges)
{
    static const double radii[] = {0, 0, 0, 1e-7, 1e-3, 0.5, 1, 5, 25, 25,
                                   50, 100, 150, -1};
    static const double nudges[] = {0, 0, 1e-12, -1e-12, 1e-9, -1e-9,
                                    1e-6, -1e-6, 1e-3, -1e-3, 0.05, -0.05};
    static const int64_t dt[] = {0, 0, 1, -1, 60, -60, 3 * 3600, -3 * 3600,
                                 86400, -86400, -10 * 86400LL};
    static const int64_t len[] = {0, 0, 1, 3599, 86399, 86400, 3 * 86400,
                                  20 * 86400LL};
    char id[32];
    int64_t t;
    truce_event_release(ev);
    truce_event_init(ev);
    snprintf(id, sizeof(id), "adv-%ld", n);
    ev->id = strdup(id);
    ev->lon = pt[0] + nudges[rnd(12)];
    ev->lat = pt[1] + nudges[rnd(12)];
    ev->radius_km = radii[rnd(14)];
    t = edges[rnd((unsigned)n_edges)] + dt[rnd(11)];
    ev->time_kind = rnd(2) ? TRUCE_TIME_UTC : TRUCE_TIME_LOCAL;
    if (ev->time_kind == TRUCE_TIME_LOCAL)
        t += 3 * 3600; /* about Damascus's offset: near the edge still */
    ev->t0 = t;
    ev->t1 = t + len[rnd(8)];
    ev->date_only = false;
    ev->category = (enum truce_category)(1 + rnd(TRUCE_CAT_COUNT - 1));
    ev->directed = rnd(2);
    if (actor_fields[rnd(13)])
        ev->actor1 = strdup(actor_fields[rnd(12) + 1]);
    if (rnd(4))
        ev->actor2 = strdup(actor_fields[rnd(12) + 1]);
    if (rnd(20) == 0)
        ev->area = strdup(areas[rnd(6)]);
}

TEST(bulk_adversarial_same_as_reference)
{
    static const char *const zone_files[] = {
        "examples/zones/aleppo-city.geojson",
        "examples/zones/aleppo-governorate.geojson",
        "examples/zones/eastern-ghouta.geojson",
        "examples/zones/northern-latakia.geojson",
        "examples/zones/syria.geojson"};
    struct model m;
    struct compare c;
    struct truce_event ev;
    double (*pts)[2] = NULL, (*cand)[2] = NULL;
    size_t n_pts = 0, cap = 0, n_cand = 0;
    int64_t edges[64];
    size_t n_edges;
    model_open(&m, NULL, NULL);
    compare_open(&c, &m);
    for (size_t f = 0; f < sizeof(zone_files) / sizeof(*zone_files); f++) {
        json_t *doc = json_load_file(test_path(zone_files[f]), 0, NULL);
        ASSERT(doc);
        collect(doc, &pts, &n_pts, &cap);
        json_decref(doc);
    }
    ASSERT(n_pts > 20);
    /* vertices, points along the edges, and a lattice over the country */
    cand = calloc(n_pts * 4 + 40000, sizeof(*cand));
    ASSERT(cand);
    for (size_t i = 0; i < n_pts; i++) {
        const double *p = pts[i], *q = pts[(i + 1) % n_pts];
        static const double along[] = {0, 0.5, 1.0 / 3, 0.999999};
        for (int k = 0; k < 4; k++) {
            cand[n_cand][0] = p[0] + along[k] * (q[0] - p[0]);
            cand[n_cand][1] = p[1] + along[k] * (q[1] - p[1]);
            n_cand++;
        }
    }
    for (int y = 0; y < 200; y++) {
        for (int x = 0; x < 200; x++) {
            cand[n_cand][0] = 35.5 + 7.0 * x / 199;
            cand[n_cand][1] = 32.2 + 5.2 * y / 199;
            n_cand++;
        }
    }
    n_edges = time_edges(&m, edges, 64);
    ASSERT(n_edges >= 4);
    truce_event_init(&ev);
    /* on the rasters' own lines: cell corners and edges of each grid, and
     * disks whose polygon's reach ends on a line (what a rounding of the
     * cells' look-up would get wrong) */
    for (long n = 0; n < 60000; n++) {
        struct truce__raster_stats rs;
        truce__bulk_stats(c.bulk, rnd((unsigned)c.n), &rs);
        if (!rs.cells)
            continue;
        double pt[2] = {rs.x0 + rnd((unsigned)rs.nx + 1) * rs.dx,
                        rs.y0 + rnd((unsigned)rs.ny + 1) * rs.dy};
        if (rnd(3) == 0) /* along a line, between corners */
            pt[rnd(2)] += (double)rnd(1000) / 1000 * (rnd(2) ? rs.dx : rs.dy);
        adversarial_event(&ev, pt, 200000 + n, edges, n_edges);
        ev.lon = pt[0];
        ev.lat = pt[1];
        if (rnd(2)) {
            /* a radius whose box reaches a line k cells away */
            struct truce__disk d;
            double k = 1 + rnd(40);
            truce__geo_disk(ev.lon, ev.lat, 1, &d);
            truce__geo_disk_reach(&d);
            ev.radius_km = (k * rs.dx) / d.dlon * (1 - rnd(3) * 1e-12);
        } else {
            ev.radius_km = 0;
        }
        free(ev.area); /* the point's own place */
        ev.area = NULL;
        compare_one(&c, &ev);
    }
    for (long n = 0; n < 120000; n++) {
        adversarial_event(&ev, cand[rnd((unsigned)n_cand)], n, edges,
                          n_edges);
        compare_one(&c, &ev);
    }
    printf("  %ld events: %ld violation, %ld undetermined, %ld permitted, "
           "%ld not covered; %ld differ\n", c.events,
           c.verdicts[TRUCE_V_VIOLATION], c.verdicts[TRUCE_V_UNDETERMINED],
           c.verdicts[TRUCE_V_PERMITTED], c.verdicts[TRUCE_V_NOT_COVERED],
           c.differ);
    ASSERT_EQ_INT(c.differ, 0);
    /* the set reaches every verdict, so the comparison is not idle */
    ASSERT(c.verdicts[TRUCE_V_VIOLATION] > 1000);
    ASSERT(c.verdicts[TRUCE_V_UNDETERMINED] > 1000);
    ASSERT(c.verdicts[TRUCE_V_PERMITTED] > 1000);
    ASSERT(c.verdicts[TRUCE_V_NOT_COVERED] > 1000);
    /* and the rasters decide: cells of each class */
    for (size_t i = 0; i < c.n; i++) {
        struct truce__raster_stats rs;
        truce__bulk_stats(c.bulk, i, &rs);
        ASSERT(rs.cells > 1000);
        ASSERT(rs.edge_cells > 0 && rs.edge_cells < rs.cells / 4);
    }
    truce_event_release(&ev);
    free(pts);
    free(cand);
    compare_close(&c);
    model_close(&m);
}

/* Zones cut from OCHA's governorates: borders of thousands of vertices. */
static const char governorates[] =
    "[{\"id\": \"ocha-aleppo\", \"name\": \"Aleppo governorate (OCHA)\","
    " \"timezone\": \"Asia/Damascus\","
    " \"in_force\": [{\"from\": \"2016-02-27T00:00\"}],"
    " \"zones\": [{\"name\": \"Aleppo\", \"file\": \"syr_admin1.geojson\","
    " \"where\": {\"ADM1_EN\": \"Aleppo\"}}],"
    " \"sides\": [{\"id\": \"government\", \"members\": [\"syrian-government\","
    " \"russian-forces\"], \"guarantors\": [\"russia\"]},"
    " {\"id\": \"opposition\", \"members\": [\"syrian-insurgents\"],"
    " \"guarantors\": [\"united-states\"]}],"
    " \"excluded\": [\"islamic-state\"],"
    " \"prohibited\": [\"battle\", \"remote_violence\"]},"
    " {\"id\": \"ocha-west\", \"name\": \"Idlib, Hama and Latakia (OCHA)\","
    " \"timezone\": \"Asia/Damascus\","
    " \"in_force\": [{\"from\": \"2017-05-06T00:00\","
    " \"until\": \"2018-09-17T00:00\"}],"
    " \"zones\": [{\"name\": \"Idlib\", \"file\": \"syr_admin1.geojson\","
    " \"where\": {\"ADM1_EN\": \"Idleb\"}}, {\"name\": \"Hama\", \"file\":"
    " \"syr_admin1.geojson\", \"where\": {\"ADM1_EN\": \"Hama\"}},"
    " {\"name\": \"Lattakia\", \"file\": \"syr_admin1.geojson\", \"where\":"
    " {\"ADM1_EN\": \"Lattakia\"}}],"
    " \"sides\": [{\"id\": \"government\", \"members\": [\"syrian-government\"],"
    " \"guarantors\": [\"russia\", \"iran\"]}, {\"id\": \"opposition\","
    " \"members\": [\"syrian-insurgents\"], \"guarantors\": [\"turkey\"]}],"
    " \"prohibited\": [\"battle\", \"remote_violence\","
    " \"violence_against_civilians\"]}]";

TEST(bulk_ucdp_syria_same_as_reference)
{
    const char *p1 = test_shared("data/ucdp-ged-syria/ged_syria_2016_2019.csv");
    char *csv = p1 ? strdup(p1) : NULL; /* test_shared's buffer is static */
    const char *p2 = test_shared("data/ocha-cod-ab-syria");
    char *dir = p2 ? strdup(p2) : NULL;
    struct model m;
    struct compare c;
    struct truce_reader *r;
    struct truce_event ev;
    truce_status st;
    long bad_records = 0;
    if (!csv || !dir) {
        free(csv);
        free(dir);
        test_skip("../shared/data (UCDP GED Syria, OCHA boundaries) is "
                  "absent");
    }
    model_open(&m, governorates, dir);
    compare_open(&c, &m);
    ASSERT_OK(truce_reader_open(m.ctx, csv, TRUCE_FMT_UCDP, &r));
    truce_event_init(&ev);
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        if (st == TRUCE_EPARSE) { /* skipped, as ingest reports it */
            bad_records++;
            continue;
        }
        if (st)
            FAIL_AT("%s: %s", csv, truce_ctx_errmsg(m.ctx));
        compare_one(&c, &ev);
        /* and again on the country's edges: the radius's polygon across
         * the border */
        if (c.events % 7 == 0) {
            ev.radius_km = ev.radius_km > 0 ? ev.radius_km / 5 : 2;
            compare_one(&c, &ev);
        }
    }
    ASSERT(bad_records < 100);
    truce_reader_free(r);
    truce_event_release(&ev);
    printf("  %ld events: %ld violation, %ld undetermined, %ld permitted, "
           "%ld not covered; %ld differ\n", c.events,
           c.verdicts[TRUCE_V_VIOLATION], c.verdicts[TRUCE_V_UNDETERMINED],
           c.verdicts[TRUCE_V_PERMITTED], c.verdicts[TRUCE_V_NOT_COVERED],
           c.differ);
    ASSERT(c.events > 16000);
    ASSERT_EQ_INT(c.differ, 0);
    ASSERT(c.verdicts[TRUCE_V_VIOLATION] > 100);
    compare_close(&c);
    model_close(&m);
    free(csv);
    free(dir);
}

/* ------------------------------------------------ truce_whatif's paths */

/* A draft of the example agreements, edited: the cessation from 1 June,
 * and the Aleppo zone widened. */
static char *
draft_json(void)
{
    json_t *all = json_load_file(test_path("examples/agreements-syria-2016.json"),
                                 0, NULL), *out = json_array(), *a;
    size_t i;
    char *text;
    ASSERT(all && out);
    json_array_foreach(all, i, a) {
        const char *id = json_string_value(json_object_get(a, "id"));
        if (strcmp(id, "syria-coh-2016") == 0) {
            json_object_set_new(a, "in_force",
                                json_pack("[{s:s,s:s}]", "from",
                                          "2016-06-01T00:00", "until",
                                          "2016-12-30T00:00"));
            json_array_append(out, a);
        } else if (strcmp(id, "syria-aleppo-2016-05") == 0) {
            json_object_set_new(
                a, "zones",
                json_pack("[{s:s,s:{s:s,s:[[[f,f],[f,f],[f,f],[f,f],[f,f]]]}}]",
                          "name", "Aleppo and its west", "geometry", "type",
                          "Polygon", "coordinates", 36.6, 35.9, 37.4, 35.9,
                          37.4, 36.5, 36.6, 36.5, 36.6, 35.9));
            json_array_append(out, a);
        }
    }
    text = json_dumps(out, 0);
    json_decref(all);
    json_decref(out);
    ASSERT(text);
    return text;
}

struct wfx {
    char path[TEST_STORE_PATH];
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_actors *actors;
    struct truce_agreements *set;
};

static void
put_events(struct wfx *f, long n, long first)
{
    struct model m;
    struct truce_event ev;
    int64_t edges[64];
    size_t n_edges;
    double pt[2];
    enum truce_put_result put;
    model_open(&m, NULL, NULL);
    n_edges = time_edges(&m, edges, 64);
    truce_event_init(&ev);
    ASSERT_OK(truce_store_begin(f->st));
    for (long k = 0; k < n; k++) {
        /* about the zones: a box over north-west Syria, some farther */
        pt[0] = 35.8 + (rnd(4) ? 2.0 : 6.0) * rnd(100000) / 1e5;
        pt[1] = 35.0 + (rnd(4) ? 2.0 : 4.0) * rnd(100000) / 1e5;
        adversarial_event(&ev, pt, first + k, edges, n_edges);
        ASSERT_OK(truce_store_put_event(f->st, &ev, &put, NULL));
    }
    ASSERT_OK(truce_store_commit(f->st));
    truce_event_release(&ev);
    model_close(&m);
}

static void
wfx_open(struct wfx *f)
{
    struct model m;
    struct truce_assess_counts counts = {0};
    int64_t version;
    size_t n;
    char *text;
    memset(f, 0, sizeof(*f));
    test_store_new(f->path);
    ASSERT_OK(truce_ctx_new(&f->ctx));
    ASSERT_OK(truce_store_create(f->ctx, f->path, &f->st));
    text = test_slurp(test_path("examples/actors.json"), &n);
    ASSERT_OK(truce_store_put_actors(f->st, text, NULL));
    free(text);
    model_open(&m, NULL, NULL);
    for (size_t i = 0; i < truce_agreements_count(m.set); i++) {
        struct truce_agreement_info info;
        truce_agreements_info(m.set, i, &info);
        ASSERT_OK(truce_store_put_agreement(f->st, info.id, info.json, NULL));
    }
    model_close(&m);
    put_events(f, 24000, 0);
    ASSERT_OK(truce_store_load_model(f->ctx, f->st, &f->actors, &f->set));
    ASSERT_OK(truce_store_model_version(f->st, &version));
    ASSERT_OK(truce_store_assess_pending(f->ctx, f->st, f->actors, f->set,
                                         version, 1000, 0, &counts));
    ASSERT_EQ_INT(counts.assessed, 24000);
    truce_agreements_free(f->set);
    truce_actors_free(f->actors);
    f->set = NULL;
    f->actors = NULL;
}

static void
wfx_close(struct wfx *f)
{
    truce_agreements_free(f->set);
    truce_actors_free(f->actors);
    truce_store_close(f->st);
    truce_ctx_free(f->ctx);
    test_store_remove(f->path);
}

/* The what-if by the reference path and by the fast one (threads: 1 and
 * 3) must be the same text, count for count, change for change. */
static void
same_whatif(struct wfx *f, const struct truce_query *q, const char *draft,
            long min_changed)
{
    struct truce_buf ref, one, three;
    json_t *doc;
    truce_buf_init(&ref, 0);
    truce_buf_init(&one, 0);
    truce_buf_init(&three, 0);
    truce_agreements_free(f->set);
    truce_actors_free(f->actors);
    char *dir = strdup(test_path("examples"));
    ASSERT(dir);
    if (truce_store_load_draft(f->ctx, f->st, draft, strlen(draft), "draft",
                               dir, &f->actors, &f->set))
        FAIL_AT("%s", truce_ctx_errmsg(f->ctx));
    free(dir);
    ASSERT_OK(truce__whatif_run(f->ctx, f->st, f->set, f->actors, q, -1,
                                &ref));
    ASSERT_OK(truce__whatif_run(f->ctx, f->st, f->set, f->actors, q, 1,
                                &one));
    ASSERT_OK(truce__whatif_run(f->ctx, f->st, f->set, f->actors, q, 3,
                                &three));
    ASSERT_EQ_STR(one.buf, ref.buf);
    ASSERT_EQ_STR(three.buf, ref.buf);
    doc = json_loads(ref.buf, 0, NULL);
    ASSERT(doc);
    ASSERT(json_integer_value(json_object_get(doc, "changed_count")) >=
           min_changed);
    json_decref(doc);
    truce_buf_release(&ref);
    truce_buf_release(&one);
    truce_buf_release(&three);
}

TEST(whatif_fast_same_as_reference)
{
    struct wfx f;
    struct truce_query all = {0}, months = {0};
    char *draft = draft_json();
    wfx_open(&f);
    ASSERT_OK(truce_store_prepare_whatif(f.st));
    /* more than the 1,000 changes listed: the parts' lists merge */
    same_whatif(&f, &all, draft, 1001);
    same_whatif(&f, &all, "[]", 0);
    months.has_from = months.has_to = true;
    months.from = 1462060800; /* 2016-05-01 */
    months.to = 1467331200;   /* 2016-07-01 */
    same_whatif(&f, &months, draft, 1);
    /* new events after the compact form was kept: it is made again */
    put_events(&f, 3000, 24000);
    same_whatif(&f, &all, draft, 1001);
    /* a filter the compact form does not answer goes the store's way */
    all.category = "battle";
    same_whatif(&f, &all, draft, 1);
    free(draft);
    wfx_close(&f);
}

/* A zone whose edges lie on its raster's own lines (a square with a notch
 * cut on grid lines): points on those lines and disks whose polygons
 * reach just to them, from inside and outside. The raster's answer must
 * be the geometry's for each. */
static char *
notched_zone(double w, double s, double e, double n, const double notch[4])
{
    char *text;
    if (asprintf(&text,
                 "[{\"id\": \"notch\", \"name\": \"notch\", \"timezone\": "
                 "\"UTC\", \"in_force\": [{\"from\": \"2016-01-01T00:00\"}],"
                 " \"zones\": [{\"name\": \"n\", \"geometry\": {\"type\": "
                 "\"Polygon\", \"coordinates\": [[[%.17g, %.17g], [%.17g, "
                 "%.17g], [%.17g, %.17g], [%.17g, %.17g], [%.17g, %.17g], "
                 "[%.17g, %.17g], [%.17g, %.17g], [%.17g, %.17g], [%.17g, "
                 "%.17g]]]}}], \"sides\": [], \"prohibited\": [\"battle\"]}]",
                 w, s, e, s, e, n, notch[2], n, notch[2], notch[1], notch[0],
                 notch[1], notch[0], n, w, n, w, s) < 0)
        return NULL;
    return text;
}

static struct truce_agreements *
one_agreement(struct truce_ctx *ctx, const struct truce_actors *actors,
              const char *json)
{
    struct truce_agreements *set;
    ASSERT_OK(truce_agreements_new(ctx, &set));
    if (truce_agreements_parse(ctx, set, json, strlen(json), "notch", NULL,
                               false))
        FAIL_AT("%s", truce_ctx_errmsg(ctx));
    ASSERT_OK(truce_agreements_prepare(ctx, set, actors));
    return set;
}

TEST(bulk_grid_aligned_zone_same_as_geometry)
{
    static const double offs[] = {0, 0, 1e-12, -1e-12, 1e-10, -1e-10, 1e-7,
                                  -1e-7};
    struct model m;
    struct truce_agreements *square, *notched;
    struct truce__raster *r = NULL, *r2 = NULL;
    struct truce__raster_stats rs, rs2;
    const struct truce_zoneset *z;
    double notch[4];
    char *json;
    long tests = 0, differ = 0, kinds[4] = {0};
    model_open(&m, NULL, NULL);
    /* the square's grid first, then the notch on its lines: the bounds,
     * so the grid, stay the same */
    json = notched_zone(36, 34, 38, 36, (double[4]){36.5, 35, 37, 36});
    square = one_agreement(m.ctx, m.actors, json);
    free(json);
    ASSERT_OK(truce__raster_new(m.ctx, truce__agreements_at(square, 0)->zoneset,
                                &r));
    truce__raster_stats(r, &rs);
    notch[0] = rs.x0 + 200 * rs.dx;
    notch[1] = rs.y0 + 300 * rs.dy;
    notch[2] = rs.x0 + 301 * rs.dx;
    notch[3] = 36;
    json = notched_zone(36, 34, 38, 36, notch);
    notched = one_agreement(m.ctx, m.actors, json);
    free(json);
    z = truce__agreements_at(notched, 0)->zoneset;
    ASSERT_OK(truce__raster_new(m.ctx, z, &r2));
    truce__raster_stats(r2, &rs2);
    ASSERT(rs2.x0 == rs.x0 && rs2.dx == rs.dx && rs2.y0 == rs.y0);
    for (long k = 0; k < 200000; k++) {
        /* a point on a notch edge (x on its lines, or y on its floor) */
        int side = (int)rnd(3);
        double f = (double)rnd(100001) / 100000, lon, lat, rk;
        struct truce__disk d;
        enum truce__placement want, got;
        if (side < 2) {
            lon = side ? notch[2] : notch[0];
            lat = notch[1] + f * (36 - notch[1]);
        } else {
            lon = notch[0] + f * (notch[2] - notch[0]);
            lat = notch[1];
        }
        rk = 0;
        if (rnd(3)) {
            /* a disk whose polygon's extreme vertex reaches the edge */
            rk = 0.5 + rnd(600) / 10.0;
            truce__geo_disk(lon, lat, rk, &d);
            truce__geo_disk_reach(&d);
            switch (rnd(4)) {
            case 0: lon -= (d.dlon - 1e-9) / (1 + 1e-9); break;
            case 1: lon += (d.dlon - 1e-9) / (1 + 1e-9); break;
            case 2: lat -= (d.dlat - 1e-9) / (1 + 1e-9); break;
            default: lat += (d.dlat - 1e-9) / (1 + 1e-9); break;
            }
        }
        lon += offs[rnd(8)];
        lat += offs[rnd(8)];
        truce__geo_disk(lon, lat, rk, &d);
        want = truce__zoneset_place(m.ctx, z, lon, lat, rk);
        got = truce__raster_place(m.ctx, r2, z, &d);
        tests++;
        kinds[want]++;
        if (want != got && differ++ < 10)
            fprintf(stderr, "  (%.17g, %.17g) r %.17g: geometry %d, raster "
                    "%d\n", lon, lat, rk, want, got);
    }
    printf("  %ld place tests on the grid's lines: %ld within, %ld outside, "
           "%ld straddle; %ld differ\n", tests, kinds[TRUCE_PLACE_WITHIN],
           kinds[TRUCE_PLACE_OUTSIDE], kinds[TRUCE_PLACE_STRADDLES], differ);
    ASSERT_EQ_INT(differ, 0);
    ASSERT(kinds[TRUCE_PLACE_WITHIN] > 1000 &&
           kinds[TRUCE_PLACE_OUTSIDE] > 1000 &&
           kinds[TRUCE_PLACE_STRADDLES] > 1000);
    truce__raster_free(r);
    truce__raster_free(r2);
    truce_agreements_free(square);
    truce_agreements_free(notched);
    model_close(&m);
}
