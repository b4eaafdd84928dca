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

static void
print_counts(const struct truce_assess_counts *s, size_t n_agr,
             const struct truce_link_counts *lc, bool as_json)
{
    static const enum truce_verdict order[] = {
        TRUCE_V_VIOLATION, TRUCE_V_UNDETERMINED, TRUCE_V_PERMITTED,
        TRUCE_V_NOT_COVERED};
    if (as_json) {
        printf("{\"assessed\": %ld", s->assessed);
        for (size_t i = 0; i < 4; i++)
            printf(", \"%s\": %ld", truce_verdict_name(order[i]),
                   s->by_verdict[order[i]]);
        printf(", ");
        cli_print_link_counts(lc, true);
        printf("}\n");
        return;
    }
    printf("assessed %ld event%s under %zu agreement%s:", s->assessed,
           s->assessed == 1 ? "" : "s", n_agr, n_agr == 1 ? "" : "s");
    for (size_t i = 0; i < 4; i++)
        printf(" %s %ld%s", truce_verdict_name(order[i]),
               s->by_verdict[order[i]], i < 3 ? "," : "\n");
    cli_print_link_counts(lc, false);
}

static int
assess_store(struct cli *c, bool all, bool as_json)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_assess_counts counts = {0};
    struct cli_progress progress;
    int64_t version;
    int rc;
    if ((rc = cli_store(c)))
        return rc;
    if (truce_store_model_version(c->store, &version))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    cli_progress_start(&progress, "assess");
    truce_ctx_set_progress(c->ctx, cli_progress_callback, &progress);
    if (all && truce_store_mark_all(c->store))
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    else if (truce_store_assess_pending(c->ctx, c->store, actors, set,
                                        version, ASSESS_BATCH, 0, &counts)) {
        cli_progress_end(&progress);
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    } else {
        struct truce_link_counts lc;
        cli_progress_end(&progress);
        /* linking does not depend on the agreements: only what is new */
        if (!(rc = cli_link(c, actors, false, &lc)))
            print_counts(&counts, truce_agreements_count(set), &lc, as_json);
    }
    truce_ctx_set_progress(c->ctx, NULL, NULL);
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
    struct cli_progress progress;
    size_t n;
    long rejected = 0, read = 0;
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
    cli_progress_start(&progress, "assess --stream");
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        enum truce_verdict overall;
        if (!(++read & 1023))
            cli_progress_tick(&progress, read);
        if (st == TRUCE_EPARSE) {
            rejected++;
            cli_progress_end(&progress);
            cli_input_error(path, truce_reader_line(r),
                            truce_ctx_errmsg(c->ctx));
            continue;
        }
        if (st || truce_assess_event(c->ctx, set, actors, &ev, 0, as,
                                     &overall)) {
            cli_progress_end(&progress);
            rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
            break;
        }
        truce_buf_reset(&out);
        if (truce_event_to_json(&ev, as, n, overall, true, NULL, &out)) {
            cli_progress_end(&progress);
            rc = cli_fail(EXIT_INPUT, "out of memory");
            break;
        }
        fputs(out.buf, stdout);
        fputc('\n', stdout);
    }
    cli_progress_end(&progress);
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
