/*
 * cmd_assess.c - `truce assess`: the verdict of every new or changed event
 * under every agreement, stored with its explanation; `--all` re-assesses
 * everything; `--stream FILE` assesses a file without a store (JSON Lines
 * out, constant memory).
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define ASSESS_BATCH 2000

/* One event's assessments, kept until the batch is written. */
struct pending {
    int64_t rowid;
    enum truce_verdict overall;
    struct truce_assessment *as;
};

struct assess_state {
    struct cli *c;
    const struct truce_agreements *set;
    const struct truce_actors *actors;
    size_t n_agr;
    struct pending *batch;
    size_t n;
    int64_t last_rowid;
    long counts[TRUCE_V_VIOLATION + 1];
    long assessed;
};

static truce_status
assess_one(void *ud, struct truce_stored *rec)
{
    struct assess_state *s = ud;
    struct pending *p = &s->batch[s->n];
    truce_status st;
    p->rowid = rec->rowid;
    st = truce_assess_event(s->c->ctx, s->set, s->actors, &rec->ev,
                            TRUCE_ASSESS_NO_EXPLAIN, p->as,
                            &p->overall);
    if (st)
        return st;
    s->n++;
    s->last_rowid = rec->rowid;
    return TRUCE_OK;
}

static int
write_batch(struct assess_state *s)
{
    if (truce_store_begin(s->c->store))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(s->c->ctx));
    for (size_t i = 0; i < s->n; i++) {
        if (truce_store_put_assessments(s->c->store, s->batch[i].rowid,
                                        s->batch[i].as, s->n_agr,
                                        s->batch[i].overall)) {
            truce_store_rollback(s->c->store);
            return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(s->c->ctx));
        }
        s->counts[s->batch[i].overall]++;
        s->assessed++;
    }
    if (truce_store_commit(s->c->store))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(s->c->ctx));
    return 0;
}

static void
print_counts(const struct assess_state *s, bool as_json)
{
    static const enum truce_verdict order[] = {
        TRUCE_V_VIOLATION, TRUCE_V_UNDETERMINED, TRUCE_V_PERMITTED,
        TRUCE_V_NOT_COVERED};
    if (as_json) {
        printf("{\"assessed\": %ld", s->assessed);
        for (size_t i = 0; i < 4; i++)
            printf(", \"%s\": %ld", truce_verdict_name(order[i]),
                   s->counts[order[i]]);
        printf("}\n");
        return;
    }
    printf("assessed %ld event%s under %zu agreement%s:", s->assessed,
           s->assessed == 1 ? "" : "s", s->n_agr, s->n_agr == 1 ? "" : "s");
    for (size_t i = 0; i < 4; i++)
        printf(" %s %ld%s", truce_verdict_name(order[i]), s->counts[order[i]],
               i < 3 ? "," : "\n");
}

static int
assess_store(struct cli *c, bool all, bool as_json)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct assess_state s = {0};
    struct truce_query q = {0};
    int rc;
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    s.c = c;
    s.set = set;
    s.actors = actors;
    s.n_agr = truce_agreements_count(set);
    s.batch = calloc(ASSESS_BATCH, sizeof(*s.batch));
    for (size_t i = 0; s.batch && i < ASSESS_BATCH; i++) {
        s.batch[i].as = calloc(s.n_agr ? s.n_agr : 1, sizeof(*s.batch[i].as));
        if (!s.batch[i].as) {
            rc = cli_fail(EXIT_INPUT, "out of memory");
            goto out;
        }
        for (size_t k = 0; k < s.n_agr; k++)
            truce_assessment_init(&s.batch[i].as[k]);
    }
    if (!s.batch) {
        rc = cli_fail(EXIT_INPUT, "out of memory");
        goto out;
    }
    if (all && truce_store_mark_all(c->store)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    q.pending_only = true;
    q.no_assessments = true; /* about to be replaced */
    q.verdict = -1;
    q.limit = ASSESS_BATCH;
    for (;;) {
        s.n = 0;
        q.after_rowid = s.last_rowid;
        if (truce_store_query(c->store, &q, assess_one, &s)) {
            rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
            goto out;
        }
        if (s.n == 0)
            break;
        if ((rc = write_batch(&s)))
            goto out;
    }
    print_counts(&s, as_json);
out:
    for (size_t i = 0; s.batch && i < ASSESS_BATCH; i++) {
        for (size_t k = 0; s.batch[i].as && k < s.n_agr; k++)
            truce_assessment_release(&s.batch[i].as[k]);
        free(s.batch[i].as);
    }
    free(s.batch);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

/* --stream: read, assess, write JSON Lines; nothing is stored. */
static int
assess_stream(struct cli *c, const char *path, enum truce_format fmt,
              enum truce_date_order order)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_reader *r = NULL;
    struct truce_assessment *as;
    struct truce_event ev;
    struct truce_buf out;
    size_t n;
    long rejected = 0;
    truce_status st;
    int rc;
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    n = truce_agreements_count(set);
    as = calloc(n ? n : 1, sizeof(*as));
    for (size_t i = 0; as && i < n; i++)
        truce_assessment_init(&as[i]);
    if (!as) {
        rc = cli_fail(EXIT_INPUT, "out of memory");
        goto out;
    }
    if (truce_reader_open(c->ctx, path, fmt, &r)) {
        cli_input_error(path, truce_ctx_errline(c->ctx),
                        truce_ctx_errmsg(c->ctx));
        rc = EXIT_INPUT;
        goto out;
    }
    if (order)
        truce_reader_set_date_order(r, order);
    truce_event_init(&ev);
    truce_buf_init(&out, 0);
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        enum truce_verdict overall;
        if (st == TRUCE_EPARSE) {
            rejected++;
            cli_input_error(path, truce_reader_line(r),
                            truce_ctx_errmsg(c->ctx));
            continue;
        }
        if (st || truce_assess_event(c->ctx, set, actors, &ev, 0, as,
                                     &overall)) {
            rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
            break;
        }
        truce_buf_reset(&out);
        if (truce_event_to_json(&ev, as, n, overall, true, NULL, &out)) {
            rc = cli_fail(EXIT_INPUT, "out of memory");
            break;
        }
        fputs(out.buf, stdout);
        fputc('\n', stdout);
    }
    if (rejected)
        fprintf(stderr, "truce: %s: %ld record%s rejected\n", path, rejected,
                rejected == 1 ? "" : "s");
    cli_recoded_warning(path, r);
    truce_buf_release(&out);
    truce_event_release(&ev);
out:
    truce_reader_free(r);
    for (size_t i = 0; as && i < n; i++)
        truce_assessment_release(&as[i]);
    free(as);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

int
cmd_assess(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"all", no_argument, 0, 'a'},
        {"format", required_argument, 0, 'f'},
        {"stream", required_argument, 0, 's'},
        {"input-format", required_argument, 0, 'i'},
        {"date-order", required_argument, 0, 'o'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *format = "text", *stream = NULL;
    enum truce_format fmt = TRUCE_FMT_AUTO;
    enum truce_date_order order = TRUCE_DATES_UNKNOWN;
    bool all = false;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'a': all = true; break;
        case 'f': format = optarg; break;
        case 's': stream = optarg; break;
        case 'i': fmt = truce_format_parse(optarg); break;
        case 'o':
            if (!cli_date_order(optarg, &order))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("assess"));
        }
    }
    if (optind != argc)
        return cli_usage(cli_find("assess"));
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_fail(EXIT_USAGE, "--format must be text or json");
    if (stream)
        return assess_stream(c, stream, fmt, order);
    return assess_store(c, all, strcmp(format, "json") == 0);
}
