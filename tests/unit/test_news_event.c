/*
 * test_news_event.c - an incident of truce_extract's document as an event
 * (truce_extract_incident_event), stored as an analyst confirmed it
 * (truce_store_add_news: assessed at once, with its audit entry), and the
 * places' counter the server's gazetteer watches; a field report
 * (truce_store_add_report) stored the same way.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include "truce_int.h"

#include <stdio.h>
#include <unistd.h>

static const char incident[] =
    "{\"id\": \"news:wire:3f2a9c1d04be:2\","
    " \"sentence\": \"Rebel shelling hit a hospital in Aleppo.\","
    " \"span\": [40, 81], \"category\": \"remote_violence\","
    " \"subcategory\": \"Shelling/artillery/missile attack\","
    " \"place\": {\"name\": \"Aleppo\", \"lat\": 36.2, \"lon\": 37.16,"
    " \"radius_km\": 10, \"from\": \"gazetteer\"},"
    " \"date_start\": \"2016-05-03\", \"date_end\": \"2016-05-04\","
    " \"time\": null, \"directed\": true, \"actor1\": \"Rebel\","
    " \"actor2\": null, \"fatalities\": 3, \"fatalities_low\": 3,"
    " \"fatalities_high\": null, \"protected_site\": true,"
    " \"evidence\": {\"category\": \"shelling\"}}";

TEST(news_incident_becomes_an_event)
{
    struct truce_ctx *ctx;
    struct truce_event ev;
    ASSERT_OK(truce_ctx_new(&ctx));
    truce_event_init(&ev);
    ASSERT_OK(truce_extract_incident_event(ctx, incident, strlen(incident),
                                           &ev));
    ASSERT_EQ_STR(ev.id, "news:wire:3f2a9c1d04be:2");
    ASSERT_EQ_STR(ev.source, "news");
    ASSERT_EQ_STR(ev.source_id, "wire:3f2a9c1d04be:2");
    ASSERT(ev.date_only);
    ASSERT_EQ_INT(ev.t1 - ev.t0, 2 * 86400);
    ASSERT_NEAR(ev.lat, 36.2, 1e-9);
    ASSERT_NEAR(ev.lon, 37.16, 1e-9);
    ASSERT_NEAR(ev.radius_km, 10, 1e-9);
    ASSERT_EQ_INT(ev.category, TRUCE_CAT_REMOTE_VIOLENCE);
    ASSERT_EQ_STR(ev.subcategory, "Shelling/artillery/missile attack");
    ASSERT(ev.directed);
    ASSERT_EQ_STR(ev.actor1, "Rebel");
    ASSERT(ev.actor2 == NULL);
    ASSERT_EQ_INT(ev.fatalities, 3);
    ASSERT_EQ_STR(ev.location, "Aleppo");
    ASSERT_EQ_STR(ev.notes, "unverified, read from the news: Rebel shelling "
                            "hit a hospital in Aleppo.");
    ASSERT(ev.protected_site); /* from the sentence, as every reader does */
    ASSERT_EQ_STR(truce_ctx_errmsg(ctx), "");
    truce_event_release(&ev);
    truce_ctx_free(ctx);
}

/* What an analyst may get wrong is named: the field and the incident. */
TEST(news_incident_refused_with_its_field)
{
    static const struct {
        const char *json, *words;
    } bad[] = {
        {"[1]", "not a JSON object"},
        {"{\"id\": \"acled:1\", \"place\": {\"lat\": 1, \"lon\": 2}}",
         "field 'id'"},
        {"{\"id\": \"news:t:1\", \"place\": null}", "field 'place'"},
        {"{\"id\": \"news:t:1\", \"place\": {\"name\": \"X\"}}",
         "field 'place'"},
        {"{\"id\": \"news:t:1\", \"place\": {\"lat\": 1, \"lon\": 2},"
         " \"date_start\": \"2016-02-30\", \"category\": \"battle\"}",
         "date_start"},
        {"{\"id\": \"news:t:1\", \"place\": {\"lat\": 1, \"lon\": 2},"
         " \"date_start\": \"2016-02-03\", \"category\": \"party\"}",
         "field 'category'"},
        {"{\"id\": \"news:t:1\", \"place\": {\"lat\": 91, \"lon\": 2},"
         " \"date_start\": \"2016-02-03\", \"category\": \"battle\"}",
         "field 'lat'"},
    };
    struct truce_ctx *ctx;
    struct truce_event ev;
    ASSERT_OK(truce_ctx_new(&ctx));
    truce_event_init(&ev);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        truce_status st = truce_extract_incident_event(
            ctx, bad[i].json, strlen(bad[i].json), &ev);
        if (st == TRUCE_OK || !strstr(truce_ctx_errmsg(ctx), bad[i].words))
            FAIL_AT("case %zu: %s, message \"%s\", expected \"%s\" in it", i,
                    truce_strerror(st), truce_ctx_errmsg(ctx),
                    bad[i].words);
    }
    truce_event_release(&ev);
    truce_ctx_free(ctx);
}

static truce_status
take_stored(void *ud, struct truce_stored *rec)
{
    struct truce_stored *out = ud;
    out->key = rec->key;
    out->overall = rec->overall;
    out->assessed = rec->assessed;
    out->n_as = rec->n_as;
    return TRUCE_OK;
}

static truce_status
count_entry(void *ud, const char *id, const char *json)
{
    (void)id;
    if (strstr(json, "\"action\":\"news\"") && strstr(json, "\"ana\""))
        ++*(int *)ud;
    return TRUCE_OK;
}

/* A store with one agreement (a box around Aleppo, in force from May
 * 2016) and its prepared model. */
struct fx {
    char db[TEST_STORE_PATH];
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_actors *actors;
    struct truce_agreements *set;
};

static const char agreement[] =
    "{\"id\": \"a1\", \"name\": \"Test\", \"kind\": \"local\","
    " \"timezone\": \"UTC\","
    " \"in_force\": [{\"from\": \"2016-05-01\", \"until\": null}],"
    " \"zones\": [{\"name\": \"box\", \"geometry\": {\"type\":"
    " \"Polygon\", \"coordinates\": [[[36,35],[38,35],[38,37],[36,37],"
    "[36,35]]]}}], \"sides\": []}";

static void
fx_open(struct fx *f)
{
    test_store_new(f->db);
    ASSERT_OK(truce_ctx_new(&f->ctx));
    ASSERT_OK(truce_store_create(f->ctx, f->db, &f->st));
    ASSERT_OK(truce_actors_new_empty(&f->actors));
    ASSERT_OK(truce_agreements_new(f->ctx, &f->set));
    ASSERT_OK(truce_agreements_parse(f->ctx, f->set, agreement,
                                     strlen(agreement), "a1.json", NULL,
                                     false));
    ASSERT_OK(truce_agreements_prepare(f->ctx, f->set, f->actors));
}

static void
fx_close(struct fx *f)
{
    truce_agreements_free(f->set);
    truce_actors_free(f->actors);
    truce_store_close(f->st);
    truce_ctx_free(f->ctx);
    test_store_remove(f->db);
}

TEST(news_incident_stored_assessed_and_audited)
{
    struct fx f;
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_actors *actors;
    struct truce_agreements *set;
    struct truce_event ev;
    struct truce_query q = {0};
    struct truce_stored got = {0};
    enum truce_put_result res = 0;
    int64_t v0, v1, events, pending;
    int entries = 0;
    struct truce_place p;
    char pid[] = "t:1", pname[] = "Aleppo";
    fx_open(&f);
    ctx = f.ctx;
    st = f.st;
    actors = f.actors;
    set = f.set;
    truce_event_init(&ev);
    ASSERT_OK(truce_extract_incident_event(ctx, incident, strlen(incident),
                                           &ev));
    ASSERT_OK(truce_store_add_news(st, set, actors, &ev, "ana", &res));
    ASSERT_EQ_INT(res, TRUCE_PUT_INSERTED);
    q.id = ev.id;
    ASSERT_OK(truce_store_query(st, &q, take_stored, &got));
    ASSERT(got.key > 0);
    ASSERT(got.assessed);
    ASSERT_EQ_INT(got.n_as, 1);
    ASSERT_OK(truce_store_counts(st, &events, &pending));
    ASSERT_EQ_INT(events, 1);
    ASSERT_EQ_INT(pending, 0); /* assessed in the same transaction */
    ASSERT_OK(truce_store_audit(st, ev.id, 0, 10, count_entry, &entries));
    ASSERT_EQ_INT(entries, 1);
    /* again, edited: the same event, updated */
    ev.fatalities = 4;
    ASSERT_OK(truce_store_add_news(st, set, actors, &ev, "ana", &res));
    ASSERT_EQ_INT(res, TRUCE_PUT_UPDATED);
    /* only news events */
    ASSERT_OK(truce__set_str(&ev.source, "field", (size_t)-1));
    ASSERT_EQ_INT(truce_store_add_news(st, set, actors, &ev, "ana", &res),
                  TRUCE_EINVAL);
    ASSERT(strstr(truce_ctx_errmsg(ctx), "not of source news"));
    /* the places' counter moves with a place stored */
    ASSERT_OK(truce_store_places_version(st, &v0));
    truce_place_init(&p);
    p.id = pid;
    p.name = pname;
    p.lat = 36.2;
    p.lon = 37.16;
    ASSERT_OK(truce_store_put_place(st, &p, &res));
    ASSERT_OK(truce_store_places_version(st, &v1));
    ASSERT(v1 > v0);
    ASSERT_OK(truce_store_put_place(st, &p, &res)); /* unchanged */
    ASSERT_OK(truce_store_places_version(st, &v0));
    ASSERT_EQ_INT(v0, v1);
    /* and with a boundaries set stored or changed, not with the same one */
    {
        static const char b[] = "{\"type\": \"FeatureCollection\", "
                                "\"features\": []}";
        bool changed;
        ASSERT_OK(truce_store_put_boundaries(st, "Test", b, &changed));
        ASSERT(changed);
        ASSERT_OK(truce_store_places_version(st, &v1));
        ASSERT(v1 > v0);
        ASSERT_OK(truce_store_put_boundaries(st, "Test", b, &changed));
        ASSERT(!changed);
        ASSERT_OK(truce_store_places_version(st, &v0));
        ASSERT_EQ_INT(v0, v1);
    }
    truce_event_release(&ev);
    fx_close(&f);
}

static truce_status
count_any(void *ud, const char *id, const char *json)
{
    (void)id;
    (void)json;
    ++*(int *)ud;
    return TRUCE_OK;
}

/* A field report is stored, assessed and audited in one transaction: with
 * each allocation made to fail in turn, the store holds either the whole
 * report (event, verdicts, audit entry) or nothing of it. */
TEST(field_report_assessed_in_one_transaction)
{
    static const char report[] =
        "{\"id\": \"field:new\", \"time\": \"2016-05-03T10:00Z\","
        " \"lat\": 36.2, \"lon\": 37.16, \"radius_km\": 0,"
        " \"category\": \"battle\", \"directed\": true,"
        " \"actor1\": \"Rebel\", \"fatalities\": 1}";
    struct fx f;
    struct truce_query q = {0};
    struct truce_stored got = {0};
    int64_t events = 0, pending = 0;
    bool stored = false;
    long k, failed = 0;
    fx_open(&f);
    for (k = 1; k < 100000 && !stored; k++) {
        struct truce_event ev;
        char id[64];
        int entries = 0;
        truce_status rc;
        truce_event_init(&ev);
        if (truce_event_from_json(f.ctx, report, strlen(report), &ev))
            FAIL_AT("%ld: %s", k, truce_ctx_errmsg(f.ctx));
        truce__alloc_fail_after(k);
        rc = truce_store_add_report(f.st, f.set, f.actors, &ev, "mona", id);
        truce__alloc_fail_after(-1);
        truce_event_release(&ev);
        ASSERT_OK(truce_store_counts(f.st, &events, &pending));
        ASSERT_OK(truce_store_audit(f.st, NULL, 0, 10, count_any, &entries));
        if (rc) {
            ASSERT(truce_ctx_errmsg(f.ctx)[0] || rc == TRUCE_ENOMEM);
            ASSERT_EQ_INT(events, 0);
            ASSERT_EQ_INT(entries, 0);
            failed++;
            continue;
        }
        stored = true;
        ASSERT_EQ_INT(events, 1);
        ASSERT_EQ_INT(pending, 0); /* assessed in the same transaction */
        ASSERT_EQ_INT(entries, 1);
        q.id = id;
        ASSERT_OK(truce_store_query(f.st, &q, take_stored, &got));
        ASSERT(got.key > 0);
        ASSERT(got.assessed);
        ASSERT_EQ_INT(got.n_as, 1);
    }
    ASSERT(stored);
    ASSERT(failed > 3); /* failures inside the transaction were met */
    fx_close(&f);
}
