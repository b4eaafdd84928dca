/*
 * test_ctxmsg.c - the context's message through the whole public library
 * interface (include/truce/truce.h, "the ctx contract"): a call that
 * fails sets a message about this failure, and a call that succeeds (or
 * ends a reader with TRUCE_EOF, which is not a failure) leaves the message
 * and its line empty, whatever the ctx held before.
 *
 * Each case plants the sentinel message "STALE" (line 99) with the
 * library's own truce__err_at right before the call, then
 *   (a) makes the call fail: the status is an error, and the message is
 *       neither empty nor "STALE";
 *   (b) makes it succeed: the status is TRUCE_OK (TRUCE_EOF where said),
 *       the message is "" and the line 0.
 * Failures come from bad input, a missing file, a wrong token, a step out
 * of order, an allocation made to fail (truce__alloc_fail_after) or a
 * broken store: a second store whose tables were dropped behind its back
 * (through SQLite, or libpq, directly), so that every statement on it
 * fails as a damaged file would make it fail. With TRUCE_TEST_PG_DSN the
 * stores are on that PostgreSQL server (store_fixture.c).
 *
 * A second test calls each success again with the Nth allocation after
 * the sentinel failing (N = 0, 1, ... until it succeeds): each failure on
 * the way must have a message of its own too.
 *
 * Every call that breaks the contract is printed; each test fails once at
 * the end with their count. The table lists every function of truce.h
 * that takes a ctx (directly, or through a store or reader) and can fail.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include "truce_int.h"

#include <math.h>
#include <sqlite3.h>
#include <unistd.h>

static const char actors_json[] =
    "{\"actors\": ["
    "{\"id\": \"gov\", \"name\": \"Government\", \"kind\": \"state\"},"
    "{\"id\": \"reb\", \"name\": \"Rebels\", \"kind\": \"rebel\"}]}";

static const char agreement_json[] =
    "{\"id\": \"a1\", \"name\": \"Test\", \"kind\": \"local\","
    " \"timezone\": \"UTC\","
    " \"in_force\": [{\"from\": \"2016-02-01\", \"until\": null}],"
    " \"zones\": [{\"name\": \"box\", \"geometry\": {\"type\": \"Polygon\","
    " \"coordinates\": [[[36,35],[37,35],[37,36],[36,36],[36,35]]]}}],"
    " \"sides\": [{\"id\": \"government\", \"guarantor\": \"russia\","
    " \"members\": [\"gov\"]}, {\"id\": \"opposition\", \"guarantor\":"
    " \"turkey\", \"members\": [\"reb\"]}]}";

/* The "country": a box around the zone. */
static const char country_json[] =
    "{\"type\": \"Polygon\", \"coordinates\": "
    "[[[35,34],[38,34],[38,37],[35,37],[35,34]]]}";

static const char event_json[] =
    "{\"id\": \"field:e1\", \"time\": \"2016-03-01T10:00Z\", \"lat\": 35.5,"
    " \"lon\": 36.5, \"radius_km\": 0, \"category\": \"battle\","
    " \"directed\": true, \"actor1\": \"Government\", \"actor2\": "
    "\"Rebels\", \"fatalities\": 2}";

/* The fixture: one ctx, a model, a store that works and one that does not. */
struct fx {
    struct truce_ctx *ctx;
    char dir[64];
    char good_path[TEST_STORE_PATH], broken_path[TEST_STORE_PATH];
    char none_path[TEST_STORE_PATH], new_path[TEST_STORE_PATH];
    struct truce_store *good, *broken;
    struct truce_actors *actors;
    struct truce_agreements *set;
    struct truce_region *country;
    struct truce_event ev;        /* in the zone, stored in good */
    struct truce_assessment as[1]; /* ev under the set */
    enum truce_verdict overall;
    int64_t key;                /* of ev in good */
    char token[128];              /* of the user "ana" in good */
    long oom;                     /* >= 0: plant makes the allocation
                                     after this many fail */
};

static char cleanup_dir[64];

static void
remove_dir(void)
{
    char cmd[128];
    if (!cleanup_dir[0])
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cleanup_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", cleanup_dir);
    cleanup_dir[0] = '\0';
}

/* Plants the sentinel right before the call under test, and arms the
 * failing allocation of the sweep. */
static void
plant(struct fx *f)
{
    truce__err_at(f->ctx, TRUCE_EINVAL, 99, "STALE");
    if (f->oom >= 0)
        truce__alloc_fail_after(f->oom);
}

static truce_status
find_key(void *ud, struct truce_stored *rec)
{
    *(int64_t *)ud = rec->key;
    return TRUCE_OK;
}

static void
setup(struct fx *f)
{
    struct truce_agreement_info in;
    struct truce_query q = {0};
    struct truce_assess_counts counts = {0};
    int64_t version;
    sqlite3 *db;
    char *err = NULL;
    memset(f, 0, sizeof(*f));
    f->oom = -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/truce-ctxmsg-XXXXXX");
    ASSERT(mkdtemp(f->dir) != NULL);
    snprintf(cleanup_dir, sizeof(cleanup_dir), "%s", f->dir);
    atexit(remove_dir);
    if (test_store_pg()) {
        test_store_new(f->good_path);
        test_store_new(f->broken_path);
        test_store_new(f->none_path); /* an empty schema: no store */
        test_store_new(f->new_path);
    } else {
        snprintf(f->good_path, sizeof(f->good_path), "%s/good.db", f->dir);
        snprintf(f->broken_path, sizeof(f->broken_path), "%s/broken.db",
                 f->dir);
        snprintf(f->none_path, sizeof(f->none_path), "%s/none.db", f->dir);
        snprintf(f->new_path, sizeof(f->new_path), "%s/new.db", f->dir);
    }
    ASSERT_OK(truce_ctx_new(&f->ctx));
    ASSERT_OK(truce_actors_parse(f->ctx, actors_json, strlen(actors_json),
                                 "actors.json", &f->actors));
    ASSERT_OK(truce_agreements_new(f->ctx, &f->set));
    ASSERT_OK(truce_agreements_parse(f->ctx, f->set, agreement_json,
                                     strlen(agreement_json), "a1.json", NULL,
                                     false));
    ASSERT_OK(truce_agreements_prepare(f->ctx, f->set, f->actors));
    ASSERT_OK(truce_region_parse(f->ctx, country_json, strlen(country_json),
                                 "country", &f->country));
    truce_event_init(&f->ev);
    ASSERT_OK(truce_event_from_json(f->ctx, event_json, strlen(event_json),
                                    &f->ev));
    truce_assessment_init(&f->as[0]);
    ASSERT_OK(truce_assess_event(f->ctx, f->set, f->actors, &f->ev, 0, f->as,
                                 &f->overall));

    /* The good store: the model, the event (assessed), a user. */
    ASSERT_OK(truce_store_create(f->ctx, f->good_path, &f->good));
    ASSERT_OK(truce_store_put_actors(f->good, actors_json, NULL));
    truce_agreements_info(f->set, 0, &in);
    ASSERT_OK(truce_store_put_agreement(f->good, "a1", in.json, NULL));
    ASSERT_OK(truce_store_put_boundaries(f->good, "country", country_json,
                                         NULL));
    {
        enum truce_put_result res;
        ASSERT_OK(truce_store_put_event(f->good, &f->ev, &res, NULL));
    }
    ASSERT_OK(truce_store_model_version(f->good, &version));
    ASSERT_OK(truce_store_assess_pending(f->ctx, f->good, f->actors, f->set,
                                         version, 10, 0, &counts));
    q.id = f->ev.id;
    ASSERT_OK(truce_store_query(f->good, &q, find_key, &f->key));
    ASSERT(f->key > 0);
    ASSERT_OK(truce_store_add_user(f->good, "ana", "analyst", f->token,
                                   sizeof(f->token)));

    /* The broken store: opened (its statements prepared), then its tables
     * dropped by another connection. */
    ASSERT_OK(truce_store_create(f->ctx, f->broken_path, &f->broken));
    if (test_store_pg()) {
        test_store_exec(f->broken_path, "DROP TABLE events, events_raw, "
                        "docs, meta, users, audit, places");
        return;
    }
    ASSERT(sqlite3_open(f->broken_path, &db) == SQLITE_OK);
    if (sqlite3_exec(db, "DROP TABLE events; DROP TABLE events_raw;"
                         " DROP TABLE events_rtree; DROP TABLE docs;"
                         " DROP TABLE meta; DROP TABLE users;"
                         " DROP TABLE audit; DROP TABLE places;", NULL, NULL,
                         &err) != SQLITE_OK)
        FAIL_AT("dropping the tables: %s", err ? err : "?");
    sqlite3_close(db);
}

static void
teardown(struct fx *f)
{
    truce_store_close(f->good);
    truce_store_close(f->broken);
    truce_assessment_release(&f->as[0]);
    truce_event_release(&f->ev);
    truce_region_free(f->ctx, f->country);
    truce_agreements_free(f->set);
    truce_actors_free(f->actors);
    truce_ctx_free(f->ctx);
    if (test_store_pg()) {
        test_store_remove(f->good_path);
        test_store_remove(f->broken_path);
        test_store_remove(f->none_path);
        test_store_remove(f->new_path);
    }
    remove_dir();
}

/* -------------------------------------------------------------- cases */

/* Each returns the status of the call under test, planting "STALE" right
 * before it (after any set-up of its own). A success may be repeated (the
 * sweep of failed allocations calls it until it succeeds). */
typedef truce_status (*case_fn)(struct fx *f);

/* NAME_fail and NAME_ok: NAME(f, store) on the broken and the good
 * store. */
#define BOTH_STORES(name)                                                   \
    static truce_status name##_fail(struct fx *f)                           \
    {                                                                       \
        return name(f, f->broken);                                          \
    }                                                                       \
    static truce_status name##_ok(struct fx *f)                             \
    {                                                                       \
        return name(f, f->good);                                            \
    }

/* actors and agreements */

static truce_status
actors_parse_fail(struct fx *f)
{
    struct truce_actors *a = NULL;
    plant(f);
    return truce_actors_parse(f->ctx, "{", 1, "bad.json", &a);
}

static truce_status
actors_parse_ok(struct fx *f)
{
    struct truce_actors *a = NULL;
    truce_status st;
    plant(f);
    st = truce_actors_parse(f->ctx, actors_json, strlen(actors_json),
                            "actors.json", &a);
    truce_actors_free(a);
    return st;
}

static truce_status
agreements_new_fail(struct fx *f)
{
    struct truce_agreements *set = NULL;
    truce_status st;
    plant(f);
    truce__alloc_fail_after(0);
    st = truce_agreements_new(f->ctx, &set);
    truce__alloc_fail_after(-1);
    if (!st)
        truce_agreements_free(set);
    return st;
}

static truce_status
agreements_new_ok(struct fx *f)
{
    struct truce_agreements *set = NULL;
    truce_status st;
    plant(f);
    st = truce_agreements_new(f->ctx, &set);
    truce_agreements_free(set);
    return st;
}

/* Parses text into a new set. */
static truce_status
parse_into_new(struct fx *f, const char *text)
{
    struct truce_agreements *set = NULL;
    truce_status st;
    ASSERT_OK(truce_agreements_new(f->ctx, &set));
    plant(f);
    st = truce_agreements_parse(f->ctx, set, text, strlen(text), "x.json",
                                NULL, false);
    truce_agreements_free(set);
    return st;
}

static truce_status
agreements_parse_fail(struct fx *f)
{
    return parse_into_new(f, "[{\"id\": \"a2\"}]");
}

static truce_status
agreements_parse_ok(struct fx *f)
{
    return parse_into_new(f, agreement_json);
}

static truce_status
allow_outside_fail(struct fx *f)
{
    plant(f);
    return truce_agreements_allow_outside(f->ctx, f->set,
                                          "/nonexistent/truce/zones");
}

static truce_status
allow_outside_ok(struct fx *f)
{
    plant(f);
    return truce_agreements_allow_outside(f->ctx, f->set, f->dir);
}

static truce_status
add_area_fail(struct fx *f)
{
    plant(f);
    return truce_agreements_add_area(f->ctx, f->set, "Syria", NULL, "{");
}

static truce_status
add_area_ok(struct fx *f)
{
    plant(f);
    return truce_agreements_add_area(f->ctx, f->set, "Syria", NULL,
                                     country_json);
}

static truce_status
prepare_fail(struct fx *f)
{
    truce_status st;
    plant(f);
    truce__alloc_fail_after(0);
    st = truce_agreements_prepare(f->ctx, f->set, f->actors);
    truce__alloc_fail_after(-1);
    return st;
}

static truce_status
prepare_ok(struct fx *f)
{
    plant(f);
    return truce_agreements_prepare(f->ctx, f->set, f->actors);
}

/* assessment */

static truce_status
assess_one_fail(struct fx *f)
{
    struct truce_assessment as;
    truce_status st;
    truce_assessment_init(&as);
    plant(f);
    truce__alloc_fail_after(0);
    st = truce_assess_one(f->ctx, f->set, f->actors, &f->ev, 0, 0, &as);
    truce__alloc_fail_after(-1);
    truce_assessment_release(&as);
    return st;
}

static truce_status
assess_one_ok(struct fx *f)
{
    struct truce_assessment as;
    truce_status st;
    truce_assessment_init(&as);
    plant(f);
    st = truce_assess_one(f->ctx, f->set, f->actors, &f->ev, 0, 0, &as);
    truce_assessment_release(&as);
    return st;
}

static truce_status
assess_event_fail(struct fx *f)
{
    struct truce_assessment as[1];
    enum truce_verdict v;
    truce_status st;
    truce_assessment_init(&as[0]);
    plant(f);
    truce__alloc_fail_after(0);
    st = truce_assess_event(f->ctx, f->set, f->actors, &f->ev, 0, as, &v);
    truce__alloc_fail_after(-1);
    truce_assessment_release(&as[0]);
    return st;
}

static truce_status
assess_event_ok(struct fx *f)
{
    struct truce_assessment as[1];
    enum truce_verdict v;
    truce_status st;
    truce_assessment_init(&as[0]);
    plant(f);
    st = truce_assess_event(f->ctx, f->set, f->actors, &f->ev, 0, as, &v);
    truce_assessment_release(&as[0]);
    return st;
}

static truce_status
explain_stored_fail(struct fx *f)
{
    truce_status st;
    plant(f);
    truce__alloc_fail_after(0);
    st = truce_explain_stored(f->ctx, f->set, f->actors, &f->ev, f->as, 1);
    truce__alloc_fail_after(-1);
    return st;
}

static truce_status
explain_stored_ok(struct fx *f)
{
    plant(f);
    return truce_explain_stored(f->ctx, f->set, f->actors, &f->ev, f->as, 1);
}

/* readers and JSON */

static truce_status
reader_open_fail(struct fx *f)
{
    struct truce_reader *r = NULL;
    plant(f);
    return truce_reader_open(f->ctx, "/nonexistent/events.jsonl",
                             TRUCE_FMT_AUTO, &r);
}

static truce_status
reader_open_ok(struct fx *f)
{
    char path[128];
    FILE *fp;
    struct truce_reader *r = NULL;
    truce_status st;
    snprintf(path, sizeof(path), "%s/events.jsonl", f->dir);
    fp = fopen(path, "w");
    ASSERT(fp != NULL);
    fprintf(fp, "%s\n", event_json);
    fclose(fp);
    plant(f);
    st = truce_reader_open(f->ctx, path, TRUCE_FMT_AUTO, &r);
    truce_reader_free(r);
    return st;
}

static truce_status
reader_open_mem_fail(struct fx *f)
{
    static const char junk[] = "no format at all\n";
    struct truce_reader *r = NULL;
    plant(f);
    return truce_reader_open_mem(f->ctx, junk, strlen(junk), "junk",
                                 TRUCE_FMT_AUTO, &r);
}

static truce_status
reader_open_mem_ok(struct fx *f)
{
    struct truce_reader *r = NULL;
    truce_status st;
    plant(f);
    st = truce_reader_open_mem(f->ctx, event_json, strlen(event_json),
                               "mem", TRUCE_FMT_JSONL, &r);
    truce_reader_free(r);
    return st;
}

/* Reads `skip` records of text, then plants and reads one more. */
static truce_status
read_nth(struct fx *f, const char *text, int skip)
{
    struct truce_reader *r = NULL;
    struct truce_event ev;
    truce_status st;
    ASSERT_OK(truce_reader_open_mem(f->ctx, text, strlen(text), "mem",
                                    TRUCE_FMT_JSONL, &r));
    truce_event_init(&ev);
    for (int i = 0; i < skip; i++)
        ASSERT_OK(truce_reader_next(r, &ev));
    plant(f);
    st = truce_reader_next(r, &ev);
    truce_event_release(&ev);
    truce_reader_free(r);
    return st;
}

static truce_status
reader_next_fail(struct fx *f)
{
    return read_nth(f, "{\"id\": \"x:1\"}\n", 0);
}

static truce_status
reader_next_ok(struct fx *f)
{
    return read_nth(f, event_json, 0);
}

static truce_status
reader_next_eof(struct fx *f)
{
    return read_nth(f, event_json, 1);
}

static truce_status
event_from_json_fail(struct fx *f)
{
    struct truce_event ev;
    truce_status st;
    truce_event_init(&ev);
    plant(f);
    st = truce_event_from_json(f->ctx, "{}", 2, &ev);
    truce_event_release(&ev);
    return st;
}

static truce_status
event_from_json_ok(struct fx *f)
{
    struct truce_event ev;
    truce_status st;
    truce_event_init(&ev);
    plant(f);
    st = truce_event_from_json(f->ctx, event_json, strlen(event_json), &ev);
    truce_event_release(&ev);
    return st;
}

/* analytics and reports */

static truce_status
region_parse_fail(struct fx *f)
{
    struct truce_region *r = NULL;
    plant(f);
    return truce_region_parse(f->ctx, "{\"type\": \"Point\"}", 17, "pt", &r);
}

static truce_status
region_parse_ok(struct fx *f)
{
    struct truce_region *r = NULL;
    truce_status st;
    plant(f);
    st = truce_region_parse(f->ctx, country_json, strlen(country_json), "c",
                            &r);
    truce_region_free(f->ctx, r);
    return st;
}

static truce_status
trend(struct fx *f, struct truce_store *st, const char *id)
{
    struct truce_trend t;
    truce_status rc;
    plant(f);
    rc = truce_trend_compute(f->ctx, st, f->set, f->actors, id, NULL, 30,
                             f->country, &t);
    if (!rc)
        truce_trend_release(&t);
    return rc;
}

static truce_status
trend_fail(struct fx *f)
{
    return trend(f, f->good, "no-such-agreement");
}

static truce_status
trend_fail_store(struct fx *f)
{
    return trend(f, f->broken, "a1");
}

static truce_status
trend_ok(struct fx *f)
{
    return trend(f, f->good, "a1");
}

static truce_status
coverage(struct fx *f, struct truce_store *st)
{
    struct truce_coverage cv;
    truce_status rc;
    plant(f);
    rc = truce_coverage_compute(f->ctx, st, f->set, f->country,
                                truce_days_from_civil(2016, 3, 2), &cv);
    if (!rc)
        truce_coverage_release(&cv);
    return rc;
}

BOTH_STORES(coverage)

static truce_status
report(struct fx *f, struct truce_store *st, const char *format)
{
    struct truce_buf b;
    truce_status rc;
    truce_buf_init(&b, 0);
    plant(f);
    rc = truce_report_render(f->ctx, st, f->set, f->actors, "a1",
                             truce_days_from_civil(2016, 3, 2), 7, format,
                             &b);
    truce_buf_release(&b);
    return rc;
}

static truce_status
report_fail(struct fx *f)
{
    return report(f, f->good, "pdf");
}

static truce_status
report_fail_store(struct fx *f)
{
    return report(f, f->broken, "json");
}

static truce_status
report_ok(struct fx *f)
{
    return report(f, f->good, "html");
}

/* the store: opening, the model, unmatched names */

static truce_status
store_open_fail(struct fx *f)
{
    struct truce_store *st = NULL;
    plant(f);
    return truce_store_open(f->ctx, f->none_path, &st);
}

static truce_status
store_open_ok(struct fx *f)
{
    struct truce_store *st = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_open(f->ctx, f->good_path, &st);
    truce_store_close(st);
    return rc;
}

static truce_status
store_create_fail(struct fx *f)
{
    struct truce_store *st = NULL;
    char path[128];
    if (test_store_pg()) /* no server answers there */
        snprintf(path, sizeof(path), "postgresql://postgres@127.0.0.1:1/x");
    else
        snprintf(path, sizeof(path), "%s/no/such/folder.db", f->dir);
    plant(f);
    return truce_store_create(f->ctx, path, &st);
}

static truce_status
store_create_ok(struct fx *f)
{
    struct truce_store *st = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_create(f->ctx, f->new_path, &st);
    truce_store_close(st);
    return rc;
}

static truce_status
load_model(struct fx *f, struct truce_store *st)
{
    struct truce_actors *a = NULL;
    struct truce_agreements *set = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_load_model(f->ctx, st, &a, &set);
    truce_agreements_free(set);
    truce_actors_free(a);
    return rc;
}

BOTH_STORES(load_model)

static truce_status
unmatched(struct fx *f, struct truce_store *st)
{
    char *text = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_unmatched(f->ctx, st, f->actors, &text);
    free(text);
    return rc;
}

BOTH_STORES(unmatched)

static truce_status
suggest(struct fx *f, const char *list)
{
    char *text = NULL;
    truce_status rc;
    plant(f);
    rc = truce_actors_suggest(f->ctx, actors_json, list, &text);
    free(text);
    return rc;
}

static truce_status
suggest_fail(struct fx *f)
{
    return suggest(f, "[]");
}

static truce_status
suggest_ok(struct fx *f)
{
    return suggest(f, "{\"actors\": [{\"name\": \"Unknown Brigade\", "
                      "\"count\": 3, \"inter_counts\": {\"2\": 3}}]}");
}

static truce_status
assess_pending(struct fx *f, struct truce_store *st)
{
    struct truce_assess_counts counts = {0};
    plant(f);
    return truce_store_assess_pending(f->ctx, st, f->actors, f->set, 1, 10,
                                      0, &counts);
}

static truce_status
assess_pending_fail(struct fx *f)
{
    return assess_pending(f, f->broken);
}

static truce_status
assess_pending_ok(struct fx *f)
{
    int64_t v;
    struct truce_assess_counts counts = {0};
    ASSERT_OK(truce_store_mark_all(f->good));
    ASSERT_OK(truce_store_model_version(f->good, &v));
    plant(f);
    return truce_store_assess_pending(f->ctx, f->good, f->actors, f->set, v,
                                      10, 0, &counts);
}

static truce_status
assess_pending_conflict(struct fx *f)
{
    int64_t v;
    struct truce_assess_counts counts = {0};
    ASSERT_OK(truce_store_mark_all(f->good));
    ASSERT_OK(truce_store_model_version(f->good, &v));
    plant(f);
    return truce_store_assess_pending(f->ctx, f->good, f->actors, f->set,
                                      v - 1, 10, 0, &counts);
}

/* the store: transactions */

static void
rollback_after(struct fx *f)
{
    truce_store_rollback(f->good);
}

static truce_status
begin_fail(struct fx *f)
{
    ASSERT_OK(truce_store_begin(f->good));
    plant(f);
    return truce_store_begin(f->good); /* within a transaction */
}

static truce_status
begin_ok(struct fx *f)
{
    plant(f);
    return truce_store_begin(f->good);
}

static truce_status
commit_fail(struct fx *f)
{
    plant(f);
    return truce_store_commit(f->good); /* no transaction */
}

static truce_status
commit_ok(struct fx *f)
{
    ASSERT_OK(truce_store_begin(f->good));
    plant(f);
    return truce_store_commit(f->good);
}

/* No transaction is open (as after SQLite ended one itself on a full
 * disk): nothing to undo, a success. */
static truce_status
rollback_none(struct fx *f)
{
    plant(f);
    return truce_store_rollback(f->good);
}

static truce_status
rollback_ok(struct fx *f)
{
    ASSERT_OK(truce_store_begin(f->good));
    plant(f);
    return truce_store_rollback(f->good);
}

/* the store: events, documents, counts */

static truce_status
put_event(struct fx *f, struct truce_store *st)
{
    enum truce_put_result res;
    plant(f);
    return truce_store_put_event(st, &f->ev, &res, NULL);
}

BOTH_STORES(put_event)

static truce_status
put_actors(struct fx *f, struct truce_store *st)
{
    plant(f);
    return truce_store_put_actors(st, actors_json, NULL);
}

BOTH_STORES(put_actors)

static truce_status
get_actors(struct fx *f, struct truce_store *st)
{
    char *text = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_get_actors(st, &text);
    free(text);
    return rc;
}

BOTH_STORES(get_actors)

static truce_status
put_agreement(struct fx *f, struct truce_store *st)
{
    struct truce_agreement_info in;
    truce_agreements_info(f->set, 0, &in);
    plant(f);
    return truce_store_put_agreement(st, "a1", in.json, NULL);
}

BOTH_STORES(put_agreement)

static truce_status
count_text(void *ud, const char *id, const char *json)
{
    (void)id;
    (void)json;
    (*(int *)ud)++;
    return TRUCE_OK;
}

static truce_status
each_agreement(struct fx *f, struct truce_store *st)
{
    int n = 0;
    plant(f);
    return truce_store_each_agreement(st, count_text, &n);
}

BOTH_STORES(each_agreement)

static truce_status
count_event(void *ud, struct truce_stored *rec)
{
    (void)rec;
    (*(int *)ud)++;
    return TRUCE_OK;
}

static truce_status
query(struct fx *f, struct truce_store *st)
{
    struct truce_query q = {0};
    int n = 0;
    plant(f);
    return truce_store_query(st, &q, count_event, &n);
}

BOTH_STORES(query)

/* A callback that stops the query with a status of its own, saying
 * nothing. */
static truce_status
stop_event(void *ud, struct truce_stored *rec)
{
    (void)ud;
    (void)rec;
    return TRUCE_EINVAL;
}

static truce_status
query_fail_callback(struct fx *f)
{
    struct truce_query q = {0};
    plant(f);
    return truce_store_query(f->good, &q, stop_event, NULL);
}

/* A callback that gets past a failing library call of its own. */
static truce_status
shrug_event(void *ud, struct truce_stored *rec)
{
    struct fx *f = ud;
    struct truce_event ev;
    (void)rec;
    truce_event_init(&ev);
    if (truce_event_from_json(f->ctx, "{}", 2, &ev) == TRUCE_OK)
        FAIL_AT("'{}' was read as an event");
    truce_event_release(&ev);
    return TRUCE_OK;
}

static truce_status
query_ok_callback(struct fx *f)
{
    struct truce_query q = {0};
    plant(f);
    return truce_store_query(f->good, &q, shrug_event, f);
}

static truce_status
count_row(void *ud, const struct truce_map_row *row)
{
    (void)row;
    (*(int *)ud)++;
    return TRUCE_OK;
}

static truce_status
map(struct fx *f, struct truce_store *st)
{
    struct truce_query q = {0};
    int n = 0;
    plant(f);
    return truce_store_map(st, &q, count_row, &n);
}

BOTH_STORES(map)

/* A map callback that ends the walk early with TRUCE_EOF (as the server's
 * pages do): not a failure. */
static truce_status
eof_row(void *ud, const struct truce_map_row *row)
{
    (void)ud;
    (void)row;
    return TRUCE_EOF;
}

static truce_status
map_eof_callback(struct fx *f)
{
    struct truce_query q = {0};
    plant(f);
    return truce_store_map(f->good, &q, eof_row, NULL);
}

static truce_status
put_assessments(struct fx *f, struct truce_store *st)
{
    plant(f);
    return truce_store_put_assessments(st, f->key, f->as, 1, f->overall);
}

BOTH_STORES(put_assessments)

static truce_status
mark_all(struct fx *f, struct truce_store *st)
{
    plant(f);
    return truce_store_mark_all(st);
}

BOTH_STORES(mark_all)

static truce_status
extent(struct fx *f, struct truce_store *st)
{
    int64_t t0, t1;
    plant(f);
    return truce_store_extent(st, &t0, &t1);
}

BOTH_STORES(extent)

static truce_status
counts(struct fx *f, struct truce_store *st)
{
    int64_t events, pending;
    plant(f);
    return truce_store_counts(st, &events, &pending);
}

BOTH_STORES(counts)

/* Only a lost connection fails it (the broken store's tables are gone,
 * its server is not). */
static truce_status
read_only_ok(struct fx *f)
{
    bool ro = true;
    plant(f);
    return truce_store_read_only(f->good, &ro) || ro ? TRUCE_EDB : TRUCE_OK;
}

static truce_status
schema_version_ok(struct fx *f)
{
    plant(f);
    return truce_store_schema_version(f->good) > 0 ? TRUCE_OK : TRUCE_EDB;
}

static truce_status
put_boundaries(struct fx *f, struct truce_store *st)
{
    plant(f);
    return truce_store_put_boundaries(st, "country", country_json, NULL);
}

BOTH_STORES(put_boundaries)

static truce_status
get_boundaries(struct fx *f, struct truce_store *st)
{
    char *text = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_get_boundaries(st, "country", &text);
    free(text);
    return rc;
}

BOTH_STORES(get_boundaries)

static truce_status
boundary_geometry(struct fx *f, struct truce_store *st)
{
    char *text = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_boundary_geometry(st, "boundary:country:Syria", &text);
    free(text);
    return rc;
}

BOTH_STORES(boundary_geometry)

static truce_status
each_boundaries(struct fx *f, struct truce_store *st)
{
    int n = 0;
    plant(f);
    return truce_store_each_boundaries(st, count_text, &n);
}

BOTH_STORES(each_boundaries)

/* the monitoring cell */

static truce_status
model_version(struct fx *f, struct truce_store *st)
{
    int64_t v;
    plant(f);
    return truce_store_model_version(st, &v);
}

BOTH_STORES(model_version)

static truce_status
add_user_fail(struct fx *f)
{
    char token[128];
    plant(f);
    return truce_store_add_user(f->good, "bob", "emperor", token,
                                sizeof(token));
}

static truce_status
add_user_fail_store(struct fx *f)
{
    char token[128];
    plant(f);
    return truce_store_add_user(f->broken, "bob", "monitor", token,
                                sizeof(token));
}

static truce_status
add_user_ok(struct fx *f)
{
    static int k;
    char token[128], name[32];
    snprintf(name, sizeof(name), "user%d", ++k);
    plant(f);
    return truce_store_add_user(f->good, name, "monitor", token,
                                sizeof(token));
}

static truce_status
rotate_user_fail(struct fx *f)
{
    char token[128];
    plant(f);
    return truce_store_rotate_user(f->good, "nobody", token, sizeof(token));
}

static truce_status
rotate_user_ok(struct fx *f)
{
    plant(f);
    return truce_store_rotate_user(f->good, "ana", f->token,
                                   sizeof(f->token));
}

static truce_status
revoke_user_fail(struct fx *f)
{
    plant(f);
    return truce_store_revoke_user(f->good, "nobody");
}

static truce_status
revoke_user_ok(struct fx *f)
{
    static int k;
    char token[128], name[32];
    snprintf(name, sizeof(name), "carl%d", ++k);
    ASSERT_OK(truce_store_add_user(f->good, name, "monitor", token,
                                   sizeof(token)));
    plant(f);
    return truce_store_revoke_user(f->good, name);
}

static truce_status
each_user(struct fx *f, struct truce_store *st)
{
    int n = 0;
    plant(f);
    return truce_store_each_user(st, count_text, &n);
}

BOTH_STORES(each_user)

static truce_status
check_token(struct fx *f, struct truce_store *st, const char *token)
{
    char name[64], role[16];
    plant(f);
    return truce_store_check_token(st, token, name, role);
}

static truce_status
check_token_fail(struct fx *f)
{
    return check_token(f, f->good, "truce_1_0000000000000000000000000000000"
                                   "000000000000000000000000000000000");
}

static truce_status
check_token_fail_form(struct fx *f)
{
    return check_token(f, f->good, "not a token");
}

static truce_status
check_token_fail_store(struct fx *f)
{
    return check_token(f, f->broken, f->token);
}

static truce_status
check_token_ok(struct fx *f)
{
    return check_token(f, f->good, f->token);
}

static truce_status
add_report(struct fx *f, struct truce_store *st, char *id)
{
    struct truce_event ev;
    truce_status rc;
    truce_event_init(&ev);
    ASSERT_OK(truce_event_from_json(f->ctx, event_json, strlen(event_json),
                                    &ev));
    plant(f);
    rc = truce_store_add_report(st, f->set, f->actors, &ev, "ana", id);
    truce_event_release(&ev);
    return rc;
}

static truce_status
add_report_fail(struct fx *f)
{
    char id[64];
    return add_report(f, f->broken, id);
}

static truce_status
add_report_ok(struct fx *f)
{
    char id[64];
    return add_report(f, f->good, id);
}

static truce_status
delete_report_fail(struct fx *f)
{
    plant(f);
    return truce_store_delete_report(f->good, "acled:1", "ana");
}

static truce_status
delete_report_fail_missing(struct fx *f)
{
    plant(f);
    return truce_store_delete_report(f->good, "field:999999", "ana");
}

static truce_status
delete_report_ok(struct fx *f)
{
    struct truce_event ev;
    char id[64];
    truce_event_init(&ev);
    ASSERT_OK(truce_event_from_json(f->ctx, event_json, strlen(event_json),
                                    &ev));
    ASSERT_OK(truce_store_add_report(f->good, f->set, f->actors, &ev, "ana",
                                     id));
    truce_event_release(&ev);
    plant(f);
    return truce_store_delete_report(f->good, id, "ana");
}

static truce_status
get_review(struct fx *f, struct truce_store *st)
{
    char *text = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_get_review(st, f->ev.id, &text);
    free(text);
    return rc;
}

BOTH_STORES(get_review)

static truce_status
review(struct fx *f, const char *event, const char *state)
{
    char *text = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_review(f->good, event, "ana", state, "a note", NULL,
                            NULL, &text);
    free(text);
    return rc;
}

static truce_status
review_fail(struct fx *f)
{
    return review(f, f->ev.id, "settled");
}

static truce_status
review_fail_missing(struct fx *f)
{
    return review(f, "field:999999", "alleged");
}

static truce_status
review_fail_order(struct fx *f)
{
    return review(f, f->ev.id, "responded"); /* no case open */
}

/* The first step of a new field report's case. */
static truce_status
review_ok(struct fx *f)
{
    struct truce_event ev;
    char id[64];
    truce_event_init(&ev);
    ASSERT_OK(truce_event_from_json(f->ctx, event_json, strlen(event_json),
                                    &ev));
    ASSERT_OK(truce_store_add_report(f->good, f->set, f->actors, &ev, "ana",
                                     id));
    truce_event_release(&ev);
    return review(f, id, "alleged");
}

static truce_status
audit(struct fx *f, struct truce_store *st)
{
    int n = 0;
    plant(f);
    return truce_store_audit(st, NULL, 0, 100, count_text, &n);
}

BOTH_STORES(audit)

/* incidents (src/store_link.c, src/link.c, src/incident.c) */

static truce_status
store_link(struct fx *f, struct truce_store *st)
{
    struct truce_link_counts lc;
    plant(f);
    return truce_store_link(st, true, &lc);
}

BOTH_STORES(store_link)

static truce_status
link_rule_fail(struct fx *f)
{
    plant(f);
    return truce_store_link_rule(f->good, TRUCE_LINK_MERGE, f->ev.id,
                                 "no-such-event", "ana");
}

static truce_status
link_rule_ok(struct fx *f)
{
    struct truce_event twin = f->ev;
    enum truce_put_result res;
    truce_status rc;
    /* a second report to merge with (stored before the sentinel) */
    twin.id = (char *)"field:twin";
    twin.source = (char *)"field";
    if ((rc = truce_store_put_event(f->good, &twin, &res, NULL)))
        return rc;
    plant(f);
    return truce_store_link_rule(f->good, TRUCE_LINK_MERGE, f->ev.id,
                                 "field:twin", "ana");
}

static truce_status
link_describe_ok(struct fx *f)
{
    struct truce_buf b;
    truce_status rc;
    truce_buf_init(&b, 0);
    plant(f);
    rc = truce_link_describe(f->ctx, &f->ev, &f->ev, f->actors, &b);
    truce_buf_release(&b);
    return rc;
}

static truce_status
incident_json_fail(struct fx *f)
{
    struct truce_incident *in = NULL;
    struct truce_buf b;
    truce_status rc;
    truce_buf_init(&b, 0);
    if (truce_incident_new(f->ctx, &in))
        return TRUCE_OK; /* no failure of the call under test */
    plant(f);
    rc = truce_incident_to_json(f->ctx, in, &b); /* no members */
    truce_incident_free(in);
    truce_buf_release(&b);
    return rc;
}

static truce_status
incident_json_ok(struct fx *f)
{
    struct truce_incident *in = NULL;
    struct truce_stored rec = {0};
    struct truce_buf b;
    truce_status rc;
    bool other;
    truce_buf_init(&b, 0);
    rec.key = rec.incident = f->key;
    rec.ev = f->ev;
    rec.as = f->as;
    rec.n_as = 1;
    rec.overall = f->overall;
    rec.assessed = true;
    plant(f);
    if ((rc = truce_incident_new(f->ctx, &in)))
        return rc;
    plant(f);
    if (!(rc = truce_incident_add(f->ctx, in, &rec, &other))) {
        plant(f);
        rc = truce_incident_to_json(f->ctx, in, &b);
    }
    if (!rc) {
        plant(f);
        rc = truce_incident_sources_words(f->ctx, in, &b);
    }
    truce_incident_free(in);
    truce_buf_release(&b);
    return rc;
}

/* whatif (src/whatif.c) */

static truce_status
whatif(struct fx *f, struct truce_store *st)
{
    struct truce_query q = {0};
    struct truce_buf b;
    truce_status rc;
    truce_buf_init(&b, 0);
    plant(f);
    rc = truce_whatif(f->ctx, st, f->set, f->actors, &q, &b);
    truce_buf_release(&b);
    return rc;
}

BOTH_STORES(whatif)

static truce_status
load_draft(struct fx *f, struct truce_store *st)
{
    struct truce_actors *a = NULL;
    struct truce_agreements *set = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_load_draft(f->ctx, st, agreement_json,
                                sizeof(agreement_json) - 1, "draft.json", ".",
                                &a, &set);
    truce_agreements_free(set);
    truce_actors_free(a);
    return rc;
}

BOTH_STORES(load_draft)

static truce_status
load_draft_bad(struct fx *f)
{
    struct truce_actors *a = NULL;
    struct truce_agreements *set = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_load_draft(f->ctx, f->good, "{\"id\": 3}", 9,
                                "draft.json", ".", &a, &set);
    truce_agreements_free(set);
    truce_actors_free(a);
    return rc;
}

/* time (src/time.c) */

static truce_status
tz_load_fail(struct fx *f)
{
    struct truce_tz *tz = NULL;
    plant(f);
    return truce_tz_load(f->ctx, "Asia/Nowhere", &tz);
}

static truce_status
tz_load_ok(struct fx *f)
{
    struct truce_tz *tz = NULL;
    truce_status rc;
    plant(f);
    rc = truce_tz_load(f->ctx, "UTC", &tz);
    truce_tz_free(tz);
    return rc;
}

/* the gazetteer (src/gazetteer.c, src/gazread.c) */

static truce_status
gz_reader_open_fail(struct fx *f)
{
    struct truce_gazetteer_reader *r = NULL;
    plant(f);
    return truce_gazetteer_reader_open(f->ctx, "/nonexistent/places.txt",
                                       NULL, &r);
}

static truce_status
gz_reader_open_ok(struct fx *f)
{
    struct truce_gazetteer_reader *r = NULL;
    truce_status rc;
    plant(f);
    rc = truce_gazetteer_reader_open(
        f->ctx, test_path("tests/data/gazetteer/geonames_sample.txt"), NULL,
        &r);
    truce_gazetteer_reader_free(r);
    return rc;
}

/* The sample's rows until line 7 (a bad latitude), or the first. */
static truce_status
gz_reader_next(struct fx *f, bool to_bad)
{
    struct truce_gazetteer_reader *r = NULL;
    struct truce_place p;
    truce_status rc;
    ASSERT_OK(truce_gazetteer_reader_open(
        f->ctx, test_path("tests/data/gazetteer/geonames_sample.txt"), NULL,
        &r));
    truce_place_init(&p);
    for (int i = 0; to_bad && i < 6; i++)
        ASSERT_OK(truce_gazetteer_reader_next(r, &p));
    plant(f);
    rc = truce_gazetteer_reader_next(r, &p);
    truce_place_release(&p);
    truce_gazetteer_reader_free(r);
    return rc;
}

static truce_status gz_reader_next_fail(struct fx *f) { return gz_reader_next(f, true); }
static truce_status gz_reader_next_ok(struct fx *f) { return gz_reader_next(f, false); }

static truce_status
gz_add(struct fx *f, bool good)
{
    struct truce_gazetteer *gz = NULL;
    struct truce_place p;
    char id[] = "x", name[] = "Aleppo";
    truce_status rc;
    ASSERT_OK(truce_gazetteer_new(f->ctx, &gz));
    truce_place_init(&p);
    p.id = id;
    p.name = name;
    p.lat = good ? 36.2 : NAN;
    p.lon = 37.16;
    plant(f);
    rc = truce_gazetteer_add(f->ctx, gz, &p);
    if (!rc) {
        plant(f);
        rc = truce_gazetteer_finish(f->ctx, gz);
    }
    truce_gazetteer_free(gz);
    return rc;
}

static truce_status gz_add_fail(struct fx *f) { return gz_add(f, false); }
static truce_status gz_add_ok(struct fx *f) { return gz_add(f, true); }

static truce_status
put_place(struct fx *f, struct truce_store *st)
{
    struct truce_place p;
    enum truce_put_result res;
    char id[] = "test:1", name[] = "Aleppo";
    truce_place_init(&p);
    p.id = id;
    p.name = name;
    p.lat = 36.2;
    p.lon = 37.16;
    plant(f);
    return truce_store_put_place(st, &p, &res);
}

BOTH_STORES(put_place)

static truce_status
count_place(void *ud, const struct truce_place *p)
{
    (void)p;
    ++*(int *)ud;
    return TRUCE_OK;
}

static truce_status
each_place(struct fx *f, struct truce_store *st)
{
    int n = 0;
    plant(f);
    return truce_store_each_place(st, count_place, &n);
}

BOTH_STORES(each_place)

static truce_status
store_gazetteer(struct fx *f, struct truce_store *st)
{
    struct truce_gazetteer *gz = NULL;
    truce_status rc;
    plant(f);
    rc = truce_store_gazetteer(f->ctx, st, &gz);
    truce_gazetteer_free(gz);
    return rc;
}

BOTH_STORES(store_gazetteer)

/* news: an incident as truce_extract writes it */

static const char incident_json[] =
    "{\"id\": \"news:t:0123abcd:1\", \"sentence\": \"Rebels shelled it.\","
    " \"span\": [0, 18], \"category\": \"remote_violence\","
    " \"place\": {\"name\": \"Box\", \"lat\": 35.5, \"lon\": 36.5,"
    " \"radius_km\": 5}, \"date_start\": \"2016-03-01\","
    " \"date_end\": \"2016-03-01\", \"directed\": true,"
    " \"actor1\": \"Rebels\", \"actor2\": null, \"fatalities\": 3}";

static truce_status
incident_event(struct fx *f, const char *json)
{
    struct truce_event ev;
    truce_status rc;
    truce_event_init(&ev);
    plant(f);
    rc = truce_extract_incident_event(f->ctx, json, strlen(json), &ev);
    truce_event_release(&ev);
    return rc;
}

static truce_status
incident_event_fail(struct fx *f)
{
    return incident_event(f, "{\"id\": \"news:t:1\", \"place\": null}");
}

static truce_status
incident_event_ok(struct fx *f)
{
    return incident_event(f, incident_json);
}

static truce_status
add_news(struct fx *f, struct truce_store *st)
{
    struct truce_event ev;
    enum truce_put_result res;
    truce_status rc;
    truce_event_init(&ev);
    ASSERT_OK(truce_extract_incident_event(f->ctx, incident_json,
                                           strlen(incident_json), &ev));
    plant(f);
    rc = truce_store_add_news(st, f->set, f->actors, &ev, "ana", &res);
    truce_event_release(&ev);
    return rc;
}

BOTH_STORES(add_news)

static truce_status
places_version(struct fx *f, struct truce_store *st)
{
    int64_t v;
    plant(f);
    return truce_store_places_version(st, &v);
}

BOTH_STORES(places_version)

/* --------------------------------------------------------------- table */

static truce_status
gz_from_file_fail(struct fx *f)
{
    struct truce_gazetteer *gz = NULL;
    truce_status rc = truce_gazetteer_from_file(f->ctx, "/nonexistent/places.csv",
                                                &gz, NULL);
    truce_gazetteer_free(gz);
    return rc;
}

static truce_status
gz_from_file_ok(struct fx *f)
{
    struct truce_gazetteer *gz = NULL;
    long bad = -1;
    truce_status rc = truce_gazetteer_from_file(
        f->ctx, test_path("tests/data/news/gazetteer.csv"), &gz, &bad);
    if (!rc && (!gz || truce_gazetteer_count(gz) == 0 || bad != 0))
        rc = TRUCE_EINVAL;
    truce_gazetteer_free(gz);
    return rc;
}

/* agreements whose zones hold a point: no failure, the message cleared */
static truce_status
containing_ok(struct fx *f)
{
    return truce_agreements_containing(f->ctx, f->set, 36.2, 37.15) >= -1
               ? TRUCE_OK
               : TRUCE_EINVAL;
}

struct ctx_case {
    const char *name;   /* the function under test */
    case_fn fail, ok;   /* either may be NULL */
    truce_status ok_status;
    void (*after)(struct fx *f); /* after each call (not checked) */
};

#define FAIL_OK(fn, fail, ok) {#fn, fail, ok, TRUCE_OK, NULL}

static const struct ctx_case cases[] = {
    FAIL_OK(truce_actors_parse, actors_parse_fail, actors_parse_ok),
    FAIL_OK(truce_agreements_new, agreements_new_fail, agreements_new_ok),
    FAIL_OK(truce_agreements_parse, agreements_parse_fail,
            agreements_parse_ok),
    FAIL_OK(truce_agreements_allow_outside, allow_outside_fail,
            allow_outside_ok),
    FAIL_OK(truce_agreements_add_area, add_area_fail, add_area_ok),
    FAIL_OK(truce_agreements_prepare, prepare_fail, prepare_ok),
    FAIL_OK(truce_assess_one, assess_one_fail, assess_one_ok),
    FAIL_OK(truce_assess_event, assess_event_fail, assess_event_ok),
    FAIL_OK(truce_explain_stored, explain_stored_fail, explain_stored_ok),
    FAIL_OK(truce_reader_open, reader_open_fail, reader_open_ok),
    FAIL_OK(truce_reader_open_mem, reader_open_mem_fail, reader_open_mem_ok),
    FAIL_OK(truce_reader_next, reader_next_fail, reader_next_ok),
    {"truce_reader_next (end)", NULL, reader_next_eof, TRUCE_EOF, NULL},
    FAIL_OK(truce_event_from_json, event_from_json_fail, event_from_json_ok),
    FAIL_OK(truce_region_parse, region_parse_fail, region_parse_ok),
    FAIL_OK(truce_trend_compute, trend_fail, trend_ok),
    FAIL_OK(truce_trend_compute (store), trend_fail_store, NULL),
    FAIL_OK(truce_coverage_compute, coverage_fail, coverage_ok),
    FAIL_OK(truce_report_render, report_fail, report_ok),
    FAIL_OK(truce_report_render (store), report_fail_store, NULL),
    FAIL_OK(truce_store_open, store_open_fail, store_open_ok),
    FAIL_OK(truce_store_create, store_create_fail, store_create_ok),
    FAIL_OK(truce_store_load_model, load_model_fail, load_model_ok),
    FAIL_OK(truce_store_unmatched, unmatched_fail, unmatched_ok),
    FAIL_OK(truce_actors_suggest, suggest_fail, suggest_ok),
    FAIL_OK(truce_store_assess_pending, assess_pending_fail,
            assess_pending_ok),
    FAIL_OK(truce_store_assess_pending (model moved),
            assess_pending_conflict, NULL),
    {"truce_store_begin", begin_fail, begin_ok, TRUCE_OK, rollback_after},
    {"truce_store_commit", commit_fail, commit_ok, TRUCE_OK, rollback_after},
    {"truce_store_rollback", NULL, rollback_ok, TRUCE_OK, rollback_after},
    {"truce_store_rollback (none open)", NULL, rollback_none, TRUCE_OK, NULL},
    FAIL_OK(truce_store_put_event, put_event_fail, put_event_ok),
    FAIL_OK(truce_store_put_actors, put_actors_fail, put_actors_ok),
    FAIL_OK(truce_store_get_actors, get_actors_fail, get_actors_ok),
    FAIL_OK(truce_store_put_agreement, put_agreement_fail, put_agreement_ok),
    FAIL_OK(truce_store_each_agreement, each_agreement_fail,
            each_agreement_ok),
    FAIL_OK(truce_store_query, query_fail, query_ok),
    FAIL_OK(truce_store_query (callback), query_fail_callback,
            query_ok_callback),
    FAIL_OK(truce_store_map, map_fail, map_ok),
    {"truce_store_map (callback ends it)", NULL, map_eof_callback, TRUCE_EOF,
     NULL},
    FAIL_OK(truce_store_put_assessments, put_assessments_fail,
            put_assessments_ok),
    FAIL_OK(truce_store_mark_all, mark_all_fail, mark_all_ok),
    FAIL_OK(truce_store_extent, extent_fail, extent_ok),
    FAIL_OK(truce_store_counts, counts_fail, counts_ok),
    FAIL_OK(truce_store_read_only, NULL, read_only_ok),
    FAIL_OK(truce_store_schema_version, NULL, schema_version_ok),
    FAIL_OK(truce_store_put_boundaries, put_boundaries_fail,
            put_boundaries_ok),
    FAIL_OK(truce_store_get_boundaries, get_boundaries_fail,
            get_boundaries_ok),
    FAIL_OK(truce_store_boundary_geometry, boundary_geometry_fail,
            boundary_geometry_ok),
    FAIL_OK(truce_store_each_boundaries, each_boundaries_fail,
            each_boundaries_ok),
    FAIL_OK(truce_store_model_version, model_version_fail, model_version_ok),
    FAIL_OK(truce_store_add_user, add_user_fail, add_user_ok),
    FAIL_OK(truce_store_add_user (store), add_user_fail_store, NULL),
    FAIL_OK(truce_store_rotate_user, rotate_user_fail, rotate_user_ok),
    FAIL_OK(truce_store_revoke_user, revoke_user_fail, revoke_user_ok),
    FAIL_OK(truce_store_each_user, each_user_fail, each_user_ok),
    FAIL_OK(truce_store_check_token, check_token_fail, check_token_ok),
    FAIL_OK(truce_store_check_token (form), check_token_fail_form, NULL),
    FAIL_OK(truce_store_check_token (store), check_token_fail_store, NULL),
    FAIL_OK(truce_store_add_report, add_report_fail, add_report_ok),
    FAIL_OK(truce_store_delete_report, delete_report_fail, delete_report_ok),
    FAIL_OK(truce_store_delete_report (missing), delete_report_fail_missing,
            NULL),
    FAIL_OK(truce_store_get_review, get_review_fail, get_review_ok),
    FAIL_OK(truce_store_review, review_fail, review_ok),
    FAIL_OK(truce_store_review (missing), review_fail_missing, NULL),
    FAIL_OK(truce_store_review (order), review_fail_order, NULL),
    FAIL_OK(truce_store_audit, audit_fail, audit_ok),
    FAIL_OK(truce_tz_load, tz_load_fail, tz_load_ok),
    FAIL_OK(truce_gazetteer_reader_open, gz_reader_open_fail, gz_reader_open_ok),
    FAIL_OK(truce_gazetteer_reader_next, gz_reader_next_fail, gz_reader_next_ok),
    FAIL_OK(truce_gazetteer_add, gz_add_fail, gz_add_ok),
    FAIL_OK(truce_store_put_place, put_place_fail, put_place_ok),
    FAIL_OK(truce_store_each_place, each_place_fail, each_place_ok),
    FAIL_OK(truce_store_gazetteer, store_gazetteer_fail, store_gazetteer_ok),
    FAIL_OK(truce_store_places_version, places_version_fail,
            places_version_ok),
    FAIL_OK(truce_extract_incident_event, incident_event_fail,
            incident_event_ok),
    FAIL_OK(truce_store_add_news, add_news_fail, add_news_ok),
    FAIL_OK(truce_agreements_containing, NULL, containing_ok),
    FAIL_OK(truce_gazetteer_from_file, gz_from_file_fail, gz_from_file_ok),
    FAIL_OK(truce_store_link, store_link_fail, store_link_ok),
    FAIL_OK(truce_store_link_rule, link_rule_fail, link_rule_ok),
    FAIL_OK(truce_link_describe, NULL, link_describe_ok),
    FAIL_OK(truce_incident_to_json, incident_json_fail, incident_json_ok),
    FAIL_OK(truce_whatif, whatif_fail, whatif_ok),
    FAIL_OK(truce_store_load_draft, load_draft_fail, load_draft_ok),
    FAIL_OK(truce_store_load_draft (bad draft), load_draft_bad, NULL),
};

/* Checks one call; returns 1 when it broke the contract. *out (may be
 * NULL) gets its status. */
static int
check(struct fx *f, const struct ctx_case *c, bool failing, bool quiet,
      truce_status *out)
{
    truce_status st = failing ? c->fail(f) : c->ok(f);
    const char *msg = truce_ctx_errmsg(f->ctx);
    long line = truce_ctx_errline(f->ctx);
    int bad = 0;
    truce__alloc_fail_after(-1);
    if (out)
        *out = st;
    if (f->oom >= 0 && st != c->ok_status) {
        /* a failure made by the allocation that failed */
        if (!msg[0] || !strcmp(msg, "STALE")) {
            if (!quiet)
                fprintf(stderr, "  %s, allocation %ld failing: %s with the "
                        "message \"%s\"\n", c->name, f->oom,
                        truce_strerror(st), msg);
            bad = 1;
        }
    } else if (failing) {
        if (st == TRUCE_OK || st == TRUCE_EOF) {
            fprintf(stderr, "  %s: expected a failure, got %s\n", c->name,
                    truce_strerror(st));
            bad = 1;
        } else if (!msg[0] || !strcmp(msg, "STALE")) {
            fprintf(stderr, "  %s: failed (%s) with the message \"%s\"\n",
                    c->name, truce_strerror(st), msg);
            bad = 1;
        }
    } else if (st != c->ok_status) {
        fprintf(stderr, "  %s: expected %s, got %s (\"%s\")\n", c->name,
                truce_strerror(c->ok_status), truce_strerror(st), msg);
        bad = 1;
    } else if (msg[0] || line) {
        if (!quiet)
            fprintf(stderr, "  %s%s: %s with the message \"%s\" (line %ld) "
                    "left\n", c->name, f->oom >= 0 ? " (sweep)" : "",
                    truce_strerror(st), msg, line);
        bad = 1;
    }
    if (c->after)
        c->after(f);
    return bad;
}

TEST(ctx_message_set_or_cleared_by_every_call)
{
    struct fx f;
    size_t n = sizeof(cases) / sizeof(cases[0]);
    int bad = 0, calls = 0;
    setup(&f);
    for (size_t i = 0; i < n; i++) {
        if (cases[i].fail) {
            bad += check(&f, &cases[i], true, false, NULL);
            calls++;
        }
        if (cases[i].ok) {
            bad += check(&f, &cases[i], false, false, NULL);
            calls++;
        }
    }
    teardown(&f);
    fprintf(stderr, "  %d of %d calls (%zu cases) broke the ctx contract\n",
            bad, calls, n);
    ASSERT_EQ_INT(bad, 0);
}

/* The successes again with the Nth allocation after the sentinel failing,
 * N = 0, 1, ... until the call succeeds: each failure on the way (out of
 * memory, or what a lost allocation led to) has a message of its own, and
 * the success at the end none. Broken calls are counted by function. */
TEST(ctx_message_set_by_every_failed_allocation)
{
    struct fx f;
    size_t n = sizeof(cases) / sizeof(cases[0]);
    int bad_fns = 0, bad_calls = 0, calls = 0;
    setup(&f);
    for (size_t i = 0; i < n; i++) {
        int bad = 0;
        long k;
        truce_status st = TRUCE_OK;
        if (!cases[i].ok)
            continue;
        for (k = 0; k < 20000; k++) {
            f.oom = k;
            bad += check(&f, &cases[i], false, bad > 0, &st);
            f.oom = -1;
            calls++;
            if (st == cases[i].ok_status)
                break;
        }
        if (st != cases[i].ok_status)
            FAIL_AT("%s never succeeded (%s)", cases[i].name,
                    truce_strerror(st));
        if (bad) {
            fprintf(stderr, "  %s: %d of %ld calls broke the ctx contract\n",
                    cases[i].name, bad, k + 1);
            bad_fns++;
            bad_calls += bad;
        }
    }
    teardown(&f);
    fprintf(stderr, "  %d of %d calls broke the ctx contract, in %d "
            "functions\n", bad_calls, calls, bad_fns);
    ASSERT_EQ_INT(bad_fns, 0);
}

/* An agreement index past the set is refused with a message (it was read
 * out of bounds). */
TEST(ctx_message_assess_one_past_the_set)
{
    struct fx f;
    struct truce_assessment as;
    setup(&f);
    truce_assessment_init(&as);
    plant(&f);
    ASSERT_EQ_INT(truce_assess_one(f.ctx, f.set, f.actors, &f.ev, 1, 0, &as),
                  TRUCE_EINVAL);
    ASSERT(strstr(truce_ctx_errmsg(f.ctx), "no agreement 1") != NULL);
    truce_assessment_release(&as);
    teardown(&f);
}
