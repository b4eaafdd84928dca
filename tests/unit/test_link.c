/*
 * test_link.c - one incident, many reports (DESIGN section 15): the
 * linking rule case by case (time, distance against the radii, category,
 * actors, curated data sets), the representative, and the same incidents
 * from the events in any order.
 */
#include "test.h"

#include "truce_int.h"

#include <stdint.h>

#define DAY 86400LL
#define T0 1462320000LL /* 2016-05-04 */

static const char dict_json[] =
    "{\"actors\": ["
    " {\"id\": \"syrian-government\", \"name\": \"Government of Syria\","
    "  \"kind\": \"state\", \"aliases\": [\"Syrian Arab Army\"]},"
    " {\"id\": \"ahrar-al-sham\", \"name\": \"Ahrar al-Sham\","
    "  \"kind\": \"rebel\"},"
    " {\"id\": \"islamic-state\", \"name\": \"Islamic State\","
    "  \"kind\": \"extremist\"}"
    "]}";

/* An event of source src: at (lat, lon) within r km, days [d0, d1). */
static struct truce_event
ev(const char *id, const char *src, double lat, double lon, double r,
   int d0, int d1, enum truce_category cat, const char *a1, const char *a2)
{
    struct truce_event e;
    memset(&e, 0, sizeof(e));
    e.id = (char *)id;
    e.source = (char *)src;
    e.lat = lat;
    e.lon = lon;
    e.radius_km = r;
    e.t0 = T0 + d0 * DAY;
    e.t1 = T0 + d1 * DAY;
    e.category = cat;
    e.actor1 = (char *)a1;
    e.actor2 = (char *)a2;
    e.fatalities = -1;
    return e;
}

#define SHELL TRUCE_CAT_REMOTE_VIOLENCE

/* The events of the cases: [0..4] one shelling of Aleppo reported five
 * times; the rest, look-alikes that are other incidents. */
static size_t
cases(struct truce_event *e)
{
    size_t n = 0;
    /* one shelling, five reports */
    e[n++] = ev("acled:1", "acled", 36.20, 37.16, 1, 0, 1, SHELL,
                "Syrian Arab Army", "Civilians");
    e[n++] = ev("ucdp:9", "ucdp", 36.21, 37.15, 5, 0, 1, SHELL,
                "Government of Syria", NULL);
    e[n++] = ev("news:a:1", "news", 36.20, 37.16, 25, 0, 2, SHELL, NULL,
                NULL);
    e[n++] = ev("field:3", "field", 36.19, 37.17, 2, 0, 1,
                TRUCE_CAT_ARMED_VIOLENCE, NULL, NULL);
    e[n++] = ev("news:b:1", "news", 36.22, 37.14, 10, 1, 2, SHELL,
                "Syrian Arab Army", NULL);
    /* look-alikes */
    e[n++] = ev("acled:2", "acled", 36.20, 37.16, 1, 0, 1, SHELL,
                "Syrian Arab Army", "Civilians"); /* ACLED twice: two */
    e[n++] = ev("news:c:1", "news", 36.20, 37.16, 2, 4, 5, SHELL, NULL,
                NULL); /* three days later */
    e[n++] = ev("news:d:1", "news", 35.13, 36.75, 2, 0, 1, SHELL, NULL,
                NULL); /* the same day in Hama */
    e[n++] = ev("ucdp:10", "ucdp", 36.20, 37.16, 1, 0, 1, SHELL,
                "Islamic State", NULL); /* another perpetrator */
    e[n++] = ev("field:4", "field", 36.20, 37.16, 1, 0, 1,
                TRUCE_CAT_PROTEST, NULL, NULL); /* a protest */
    e[n++] = ev("news:e:1", "news", 36.20, 37.16, -1, 0, 1, SHELL, NULL,
                NULL); /* an unknown radius never links */
    return n;
}

static struct truce_actors *
dict(struct truce_ctx *ctx)
{
    struct truce_actors *a = NULL;
    ASSERT_OK(truce_actors_parse(ctx, dict_json, sizeof(dict_json) - 1,
                                 "dict.json", &a));
    return a;
}

TEST(link_rule_case_by_case)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_event e[16];
    size_t rep[16], n, k;
    ASSERT_OK(truce_ctx_new(&ctx));
    a = dict(ctx);
    n = cases(e);
    ASSERT_OK(truce_link_events(ctx, e, n, a, rep, &k));
    /* the five reports: one incident, its representative the most precise
     * (radius 1 km: ACLED's, not UCDP's 5 km) */
    for (size_t i = 0; i < 5; i++) {
        if (rep[i] != 0)
            fprintf(stderr, "  %s is with %s\n", e[i].id, e[rep[i]].id);
        ASSERT_EQ_INT(rep[i], 0);
    }
    /* each look-alike its own incident */
    for (size_t i = 5; i < n; i++) {
        if (rep[i] != i)
            fprintf(stderr, "  %s is with %s\n", e[i].id, e[rep[i]].id);
        ASSERT_EQ_INT(rep[i], i);
    }
    ASSERT_EQ_INT(k, 1 + (n - 5));
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

/* A curated set's two reports never share an incident, and a third report
 * that meets both joins the nearer. */
TEST(link_curated_and_nearest)
{
    struct truce_ctx *ctx;
    struct truce_event e[3];
    size_t rep[3], k;
    ASSERT_OK(truce_ctx_new(&ctx));
    e[0] = ev("acled:1", "acled", 36.200, 37.16, 3, 0, 1, SHELL, NULL, NULL);
    e[1] = ev("acled:2", "acled", 36.230, 37.16, 3, 0, 1, SHELL, NULL, NULL);
    e[2] = ev("news:x:1", "news", 36.225, 37.16, 4, 0, 1, SHELL, NULL, NULL);
    ASSERT_OK(truce_link_events(ctx, e, 3, NULL, rep, &k));
    ASSERT_EQ_INT(k, 2);
    ASSERT_EQ_INT(rep[0], 0);
    ASSERT_EQ_INT(rep[1], 1);
    ASSERT_EQ_INT(rep[2], 1); /* 0.6 km from acled:2, 2.8 km from acled:1 */
    truce_ctx_free(ctx);
}

/* The distance rule at its edge: r1 + r2 + 2 km. */
TEST(link_distance_edge)
{
    struct truce_ctx *ctx;
    struct truce_event e[2];
    size_t rep[2], k;
    /* 0.1 degree of latitude is 11.12 km */
    ASSERT_OK(truce_ctx_new(&ctx));
    e[0] = ev("news:a:1", "news", 36.0, 37.0, 4.5, 0, 1, SHELL, NULL, NULL);
    e[1] = ev("news:b:1", "news", 36.1, 37.0, 4.7, 0, 1, SHELL, NULL, NULL);
    ASSERT_OK(truce_link_events(ctx, e, 2, NULL, rep, &k));
    ASSERT_EQ_INT(k, 1); /* 11.12 <= 4.5 + 4.7 + 2 = 11.2 */
    e[1].radius_km = 4.6;
    ASSERT_OK(truce_link_events(ctx, e, 2, NULL, rep, &k));
    ASSERT_EQ_INT(k, 2); /* 11.12 > 11.1 */
    truce_ctx_free(ctx);
}

static uint64_t
next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The same events in 50 random orders: the same incidents, by id. */
TEST(link_independent_of_order)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_event e[16], shuffled[16];
    size_t rep[16], rep2[16], n, k, k2;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    ASSERT_OK(truce_ctx_new(&ctx));
    a = dict(ctx);
    n = cases(e);
    ASSERT_OK(truce_link_events(ctx, e, n, a, rep, &k));
    for (int round = 0; round < 50; round++) {
        size_t order[16];
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = next(&seed) % (i + 1), x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        for (size_t i = 0; i < n; i++)
            shuffled[i] = e[order[i]];
        ASSERT_OK(truce_link_events(ctx, shuffled, n, a, rep2, &k2));
        ASSERT_EQ_INT(k2, k);
        /* shuffled[i] is e[order[i]]: its representative's id is the
         * same as in the first linking */
        for (size_t i = 0; i < n; i++)
            ASSERT_EQ_STR(shuffled[rep2[i]].id, e[rep[order[i]]].id);
    }
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

/* Representatives of long intervals (a month, three years) are found by
 * reports inside them, as short ones are. */
TEST(link_long_intervals)
{
    struct truce_ctx *ctx;
    struct truce_event e[4];
    size_t rep[4], k;
    ASSERT_OK(truce_ctx_new(&ctx));
    e[0] = ev("ucdp:1", "ucdp", 36.2, 37.16, 1, 0, 30, SHELL, NULL, NULL);
    e[1] = ev("news:a:1", "news", 36.2, 37.16, 5, 20, 21, SHELL, NULL, NULL);
    e[2] = ev("field:1", "field", 35.0, 36.0, 1, 0, 1100, SHELL, NULL, NULL);
    e[3] = ev("news:b:1", "news", 35.0, 36.0, 5, 900, 901, SHELL, NULL, NULL);
    ASSERT_OK(truce_link_events(ctx, e, 4, NULL, rep, &k));
    ASSERT_EQ_INT(k, 2);
    ASSERT_EQ_INT(rep[1], 0);
    ASSERT_EQ_INT(rep[3], 2);
    truce_ctx_free(ctx);
}

/* An analyst's split keeps an event out of the incident of one it is split
 * from, and the others find their incident as before; a merge joins two
 * incidents under the better representative. */
TEST(link_split_and_merge)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_event e[16];
    size_t rep[16], n, k, k0;
    struct truce_link_rule split[] = {{TRUCE_LINK_SPLIT, "news:a:1", "acled:1"},
                                      {TRUCE_LINK_SPLIT, "news:a:1", "ucdp:9"},
                                      {TRUCE_LINK_SPLIT, "news:a:1", "field:3"},
                                      {TRUCE_LINK_SPLIT, "news:a:1", "news:b:1"},
                                      {TRUCE_LINK_SPLIT, "nobody", "acled:1"}};
    struct truce_link_rule merge[] = {{TRUCE_LINK_MERGE, "news:c:1", "field:3"},
                                      {TRUCE_LINK_MERGE, "news:d:1", "news:c:1"},
                                      {TRUCE_LINK_MERGE, "news:d:1", "news:d:1"}};
    ASSERT_OK(truce_ctx_new(&ctx));
    a = dict(ctx);
    n = cases(e);
    ASSERT_OK(truce_link_events(ctx, e, n, a, rep, &k0));
    ASSERT_OK(truce_link_events_ruled(ctx, e, n, a, split, 5, rep, &k));
    /* the news report goes to the other ACLED row's incident, the only
     * other it meets */
    ASSERT_EQ_INT(k, k0);
    ASSERT_EQ_INT(rep[2], 5);
    for (size_t i = 0; i < 5; i++)
        if (i != 2)
            ASSERT_EQ_INT(rep[i], 0);
    /* split from one member only: it cannot join that incident at all */
    ASSERT_OK(truce_link_events_ruled(ctx, e, n, a, split + 3, 1, rep, &k));
    ASSERT_EQ_INT(rep[4], 0);
    ASSERT_EQ_INT(rep[2], 5);
    /* merges: three days later and in Hama, into the shelling's incident
     * (its representative still the ACLED row, the most precise) */
    ASSERT_OK(truce_link_events_ruled(ctx, e, n, a, merge, 3, rep, &k));
    ASSERT_EQ_INT(k, k0 - 2);
    ASSERT_EQ_INT(rep[6], 0);
    ASSERT_EQ_INT(rep[7], 0);
    ASSERT_EQ_INT(rep[3], 0);
    ASSERT_EQ_INT(rep[5], 5);
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

/* Why two reports were linked, part by part, and in words. */
TEST(link_pair_why)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_event e[16];
    struct truce_link_why w;
    struct truce_buf b;
    ASSERT_OK(truce_ctx_new(&ctx));
    a = dict(ctx);
    cases(e);
    ASSERT(truce_link_pair(&e[0], &e[4], a, &w));
    ASSERT(w.time_ok && w.place_ok && w.categories_ok && w.actors_ok);
    ASSERT_EQ_INT(w.gap, 0);
    ASSERT(w.reach_km == 1 + 10 + 2);
    ASSERT(w.shared_actor >= 0);
    ASSERT_EQ_STR(truce_actors_name(a, w.shared_actor), "Government of Syria");
    ASSERT(!truce_link_pair(&e[0], &e[5], a, &w)); /* ACLED twice */
    ASSERT(!w.sources_ok && w.place_ok);
    ASSERT(!truce_link_pair(&e[0], &e[6], a, &w)); /* three days later */
    ASSERT(!w.time_ok);
    ASSERT_EQ_INT(w.gap, 3 * DAY);
    ASSERT(!truce_link_pair(&e[0], &e[8], a, &w)); /* Islamic State */
    ASSERT(!w.actors_ok);
    truce_buf_init(&b, 0);
    ASSERT_OK(truce_link_describe(ctx, &e[0], &e[4], a, &b));
    ASSERT(strstr(b.buf, "the times overlap"));
    ASSERT(strstr(b.buf, "within 1 + 10 + 2 km"));
    ASSERT(strstr(b.buf, "both remote_violence"));
    ASSERT(strstr(b.buf, "both name Government of Syria"));
    truce_buf_release(&b);
    truce_buf_init(&b, 0);
    ASSERT_OK(truce_link_describe(ctx, &e[0], &e[9], a, &b));
    ASSERT(strstr(b.buf, "remote_violence and protest (categories apart)"));
    truce_buf_release(&b);
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

/* The partition of the first n events as text: the groups by their first
 * member, each "id id ...;" in index order. */
static void
groups(const struct truce_event *e, const size_t *rep, size_t n, char *out,
       size_t cap)
{
    out[0] = '\0';
    for (size_t f = 0; f < n; f++) {
        bool first = true;
        for (size_t i = 0; i < f; i++)
            first &= rep[i] != rep[f];
        if (!first)
            continue; /* its group was written at its first member */
        for (size_t i = f; i < n; i++)
            if (rep[i] == rep[f])
                snprintf(out + strlen(out), cap - strlen(out), "%s%s",
                         i == f ? "" : " ", e[i].id);
        snprintf(out + strlen(out), cap - strlen(out), ";");
    }
}

/* Two incidents equally near and as soon: the tie goes to the more
 * precise representative, not to the order the grid is walked in, which
 * an event elsewhere (here a long one 3,000 km away) would change. */
TEST(link_ties_independent_of_other_events)
{
    struct truce_ctx *ctx;
    struct truce_event e[5];
    size_t rep[5], k;
    char with[256], without[256];
    ASSERT_OK(truce_ctx_new(&ctx));
    /* instants: 4 May 14:00, 5 May 12:00 (twice), 6 May 10:00; n3 lies
     * half-way between the two ACLED rows, 22 hours from each */
    e[0] = ev("news:n2", "news", 36.25, 37.171875, 1, 0, 0, TRUCE_CAT_BATTLE,
              NULL, NULL);
    e[1] = ev("acled:1", "acled", 36.25, 37.1171875, 1, 1, 1,
              TRUCE_CAT_BATTLE, NULL, NULL);
    e[2] = ev("acled:2", "acled", 36.25, 37.1328125, 1, 1, 1,
              TRUCE_CAT_BATTLE, NULL, NULL);
    e[3] = ev("news:n3", "news", 36.25, 37.125, 1, 2, 2, TRUCE_CAT_BATTLE,
              NULL, NULL);
    e[0].t0 = e[0].t1 = T0 + 14 * 3600;
    e[1].t0 = e[1].t1 = e[2].t0 = e[2].t1 = T0 + DAY + 12 * 3600;
    e[3].t0 = e[3].t1 = T0 + 2 * DAY + 10 * 3600;
    e[4] = ev("ucdp:far", "ucdp", 10, 10, 0, -5, 5, TRUCE_CAT_BATTLE, NULL,
              NULL);
    ASSERT_OK(truce_link_events(ctx, e, 4, NULL, rep, &k));
    groups(e, rep, 4, without, sizeof(without));
    ASSERT_OK(truce_link_events(ctx, e, 5, NULL, rep, &k));
    groups(e, rep, 4, with, sizeof(with));
    ASSERT_EQ_STR(with, without);
    truce_ctx_free(ctx);
}

/* Near a pole, and across the antimeridian, reports a few hundred metres
 * apart are one incident. */
TEST(link_poles_and_antimeridian)
{
    struct truce_ctx *ctx;
    struct truce_event e[4];
    size_t rep[4], k;
    ASSERT_OK(truce_ctx_new(&ctx));
    e[0] = ev("news:p1", "news", 89.99, 0, 1, 0, 1, SHELL, NULL, NULL);
    e[1] = ev("news:p2", "news", 89.99, 3, 1, 0, 1, SHELL, NULL, NULL);
    e[2] = ev("news:a1", "news", 36.0, 179.999, 1, 0, 1, SHELL, NULL, NULL);
    e[3] = ev("news:a2", "news", 36.0, -179.999, 1, 0, 1, SHELL, NULL, NULL);
    ASSERT_OK(truce_link_events(ctx, e, 4, NULL, rep, &k));
    ASSERT_EQ_INT(k, 2);
    ASSERT_EQ_INT(rep[0], rep[1]);
    ASSERT_EQ_INT(rep[2], rep[3]);
    ASSERT(truce__lon_span(89.99, 5) == 360);
    ASSERT(truce__lon_span(0, 111.3) > 1.0);
    truce_ctx_free(ctx);
}

/* A merge with a report of unknown radius keeps the precise one as the
 * representative; a split made after a merge holds against it. */
TEST(link_merge_unknown_radius_and_split_after_merge)
{
    struct truce_ctx *ctx;
    struct truce_event e[4];
    size_t rep[4], k;
    struct truce_link_rule merge[] = {{TRUCE_LINK_MERGE, "news:u", "acled:1"}};
    struct truce_link_rule both[] = {{TRUCE_LINK_MERGE, "news:a", "news:b"},
                                     {TRUCE_LINK_SPLIT, "news:a", "field:x"}};
    ASSERT_OK(truce_ctx_new(&ctx));
    e[0] = ev("acled:1", "acled", 36.2, 37.16, 1, 0, 1, SHELL, NULL, NULL);
    e[1] = ev("news:u", "news", 36.2, 37.16, -1, 0, 1, SHELL, NULL, NULL);
    ASSERT_OK(truce_link_events_ruled(ctx, e, 2, NULL, merge, 1, rep, &k));
    ASSERT_EQ_INT(k, 1);
    ASSERT_EQ_INT(rep[1], 0); /* acled:1, not the unknown radius */
    /* a and b merged; x meets b; a split from x: a stays apart */
    e[0] = ev("news:a", "news", 35.0, 36.0, 1, 0, 1, SHELL, NULL, NULL);
    e[1] = ev("news:b", "news", 36.2, 37.16, 1, 0, 1, SHELL, NULL, NULL);
    e[2] = ev("field:x", "field", 36.2, 37.16, 0.5, 0, 1, SHELL, NULL, NULL);
    ASSERT_OK(truce_link_events_ruled(ctx, e, 3, NULL, both, 1, rep, &k));
    ASSERT_EQ_INT(k, 1); /* the merge alone: all three */
    ASSERT_OK(truce_link_events_ruled(ctx, e, 3, NULL, both, 2, rep, &k));
    ASSERT_EQ_INT(k, 2);
    ASSERT_EQ_INT(rep[1], rep[2]);
    ASSERT(rep[0] != rep[2]);
    truce_ctx_free(ctx);
}
