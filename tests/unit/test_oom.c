/*
 * test_oom.c - allocation failure, the Nth allocation at a time (curl's
 * torture tests): parsers and readers must fail cleanly (a status, no
 * crash, no leak under ASan) and succeed once memory is there.
 */
#include "test.h"

void truce__alloc_fail_after(long n);

/* Runs step with the Nth allocation failing, N = 0, 1, ... until it
 * succeeds; every failure must be a status, never a crash. */
static void
torture(const char *what, truce_status (*step)(struct truce_ctx *, void *),
        void *ud)
{
    struct truce_ctx *ctx;
    long n;
    ASSERT_OK(truce_ctx_new(&ctx));
    for (n = 0; n < 100000; n++) {
        truce_status st;
        truce__alloc_fail_after(n);
        st = step(ctx, ud);
        truce__alloc_fail_after(-1);
        if (st == TRUCE_OK)
            break;
        if (st != TRUCE_ENOMEM && st != TRUCE_EPARSE && st != TRUCE_EGEOM &&
            st != TRUCE_EINVAL && st != TRUCE_EIO)
            FAIL_AT("%s: allocation %ld failing gave %s", what, n,
                    truce_strerror(st));
    }
    ASSERT(n > 3 && n < 100000); /* it did allocate, and it did finish */
    truce_ctx_free(ctx);
}

struct text {
    char *buf;
    size_t n;
};

static truce_status
parse_actors(struct truce_ctx *ctx, void *ud)
{
    struct text *t = ud;
    struct truce_actors *a = NULL;
    truce_status st = truce_actors_parse(ctx, t->buf, t->n, "actors", &a);
    truce_actors_free(a);
    return st;
}

static truce_status
parse_agreements(struct truce_ctx *ctx, void *ud)
{
    struct text *t = ud;
    struct truce_agreements *set = NULL;
    struct truce_actors *a = NULL;
    truce_status st = truce_agreements_new(ctx, &set);
    if (!st)
        st = truce_actors_new_empty(&a);
    if (!st)
        st = truce_agreements_parse(ctx, set, t->buf, t->n, "agreements",
                                    NULL, false);
    if (!st)
        st = truce_agreements_prepare(ctx, set, a);
    truce_agreements_free(set);
    truce_actors_free(a);
    return st;
}

static truce_status
read_all(struct truce_ctx *ctx, void *ud)
{
    struct text *t = ud;
    struct truce_reader *r = NULL;
    struct truce_event ev;
    truce_status st = truce_reader_open_mem(ctx, t->buf, t->n, "acled",
                                            TRUCE_FMT_AUTO, &r);
    long good = 0;
    if (st)
        return st;
    truce_event_init(&ev);
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        if (st == TRUCE_OK)
            good++;
        else if (st != TRUCE_EPARSE)
            break;
    }
    truce_event_release(&ev);
    truce_reader_free(r);
    if (st == TRUCE_EOF && good == 0)
        return TRUCE_EPARSE; /* a failed allocation rejected every record */
    return st == TRUCE_EOF ? TRUCE_OK : st;
}

static truce_status
load_zone(struct truce_ctx *ctx, void *ud)
{
    struct truce_tz *tz = NULL;
    truce_status st = truce_tz_load(ctx, ud, &tz);
    truce_tz_free(tz);
    return st;
}

/* The file's bytes, the zone, its name, the change table as it grows. */
TEST(oom_tz_load)
{
    torture("tz", load_zone, (void *)"America/New_York");
}

TEST(oom_actor_dictionary)
{
    struct text t;
    t.buf = test_slurp(test_path("examples/actors.json"), &t.n);
    torture("actors", parse_actors, &t);
    free(t.buf);
}

TEST(oom_agreements)
{
    struct text t;
    const char *json =
        "[{\"id\":\"a\",\"timezone\":\"Asia/Damascus\",\"in_force\":[{\"from\":"
        "\"2016-02-27\"}],\"zones\":[{\"name\":\"box\",\"geometry\":{\"type\":"
        "\"Polygon\",\"coordinates\":[[[36,35],[37,35],[37,36],[36,36],[36,"
        "35]]]}}],\"sides\":[{\"id\":\"s\",\"guarantor\":\"g\",\"members\":"
        "[\"x\",{\"actor\":\"y\",\"from\":\"2016-03-01\"}]}],\"excluded\":"
        "[\"z\"]},{\"id\":\"b\",\"extends\":\"a\",\"timezone\":\"UTC\","
        "\"in_force\":[{\"from\":\"2016-05-04T00:01\"}],\"zones\":[{\"name\":"
        "\"box\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[36,35],"
        "[36.5,35],[36.5,35.5],[36,35.5],[36,35]]]}}]}]";
    t.buf = (char *)json;
    t.n = strlen(json);
    torture("agreements", parse_agreements, &t);
}

TEST(oom_acled_reader)
{
    struct text t;
    t.buf = test_slurp(test_path("tests/data/acled_sample.csv"), &t.n);
    torture("acled", read_all, &t);
    free(t.buf);
}
