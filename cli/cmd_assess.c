/*
 * cmd_assess.c - `truce assess`: the verdict of every new or changed event
 * under every agreement, stored with its explanation; `--all` re-assesses
 * everything; `--stream FILE...` assesses files without a store (compact
 * JSON Lines or CSV out, constant memory).
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

/* ------------------------------------------------------------ stream */

struct stream {
    struct cli *c;
    const struct truce_actors *actors;
    const struct truce_agreements *set;
    struct truce_assessment *as;
    size_t n;                 /* agreements */
    bool csv, explain;
    struct truce_buf out;
    struct cli_progress progress;
    long read;
};

static void
csv_header(const struct stream *s)
{
    fputs("id,date_start,date_end,time,verdict", stdout);
    for (size_t i = 0; i < s->n; i++) {
        struct truce_agreement_info in;
        truce_agreements_info(s->set, i, &in);
        printf(",%s.verdict,%s.reason,%s.side,%s.guarantors", in.id, in.id,
               in.id, in.id);
        if (s->explain)
            printf(",%s.explanation", in.id);
    }
    putchar('\n');
}

/* One event a row: its times as written, the overall verdict, and each
 * agreement's verdict, reason, side and guarantors (joined by ';'). */
static void
csv_row(struct stream *s, const struct truce_event *ev,
        enum truce_verdict overall)
{
    char d0[40] = "", d1[16] = "", t[40] = "";
    if (ev->date_only) {
        truce_format_day(ev->t0 / 86400, d0);
        truce_format_day(ev->t1 / 86400 - 1, d1);
    } else {
        truce_format_utc(ev->t0, t);
        if (ev->time_kind == TRUCE_TIME_LOCAL)
            t[19] = '\0';
    }
    cli_csv_field(stdout, ev->id);
    printf(",%s,%s,%s,%s", d0, d1, t, truce_verdict_name(overall));
    for (size_t i = 0; i < s->n; i++) {
        const struct truce_assessment *a = &s->as[i];
        truce_buf_reset(&s->out);
        for (size_t g = 0; g < a->n_guarantors; g++)
            truce_buf_addf(&s->out, "%s%s", g ? ";" : "", a->guarantors[g]);
        printf(",%s,%s,", truce_verdict_name(a->verdict),
               truce_reason_name(a->reason));
        cli_csv_field(stdout, a->side);
        putchar(',');
        cli_csv_field(stdout, s->out.buf);
        if (s->explain) {
            putchar(',');
            cli_csv_field(stdout, a->explanation.buf);
        }
    }
    putchar('\n');
}

/* One file through the stream; 0, or the exit status after saying why. */
static int
stream_file(struct stream *s, const char *path, enum truce_format fmt,
            enum truce_date_order order)
{
    struct truce_ctx *ctx = s->c->ctx;
    struct truce_reader *r = NULL;
    struct truce_event ev;
    long rejected = 0;
    truce_status st;
    int rc = 0;
    if (truce_reader_open(ctx, path, fmt, &r)) {
        cli_input_error(path, truce_ctx_errline(ctx), truce_ctx_errmsg(ctx));
        return EXIT_INPUT;
    }
    if (order)
        truce_reader_set_date_order(r, order);
    truce_event_init(&ev);
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        enum truce_verdict overall;
        if (!(++s->read & 1023))
            cli_progress_tick(&s->progress, s->read);
        if (st == TRUCE_EPARSE) {
            rejected++;
            cli_progress_end(&s->progress);
            cli_input_error(path, truce_reader_line(r), truce_ctx_errmsg(ctx));
            continue;
        }
        if (st || truce_assess_event(ctx, s->set, s->actors, &ev,
                                     s->explain ? 0 : TRUCE_ASSESS_NO_EXPLAIN,
                                     s->as, &overall)) {
            cli_progress_end(&s->progress);
            rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(ctx));
            break;
        }
        if (s->csv) {
            csv_row(s, &ev, overall);
            continue;
        }
        truce_buf_reset(&s->out);
        if (truce_assessed_to_json(&ev, s->as, s->n, overall, s->explain,
                                   &s->out)) {
            cli_progress_end(&s->progress);
            rc = cli_fail(EXIT_INPUT, "out of memory");
            break;
        }
        fputs(s->out.buf, stdout);
        fputc('\n', stdout);
    }
    cli_progress_end(&s->progress);
    if (rejected)
        fprintf(stderr, "truce: %s: %ld record%s rejected\n", path, rejected,
                rejected == 1 ? "" : "s");
    cli_recoded_warning(path, r);
    truce_event_release(&ev);
    truce_reader_free(r);
    return rc;
}

/* --stream: read, assess, write compact JSON Lines or CSV; nothing is
 * stored (DESIGN section 12). */
static int
assess_stream(struct cli *c, char **files, int n_files, enum truce_format fmt,
              enum truce_date_order order, bool csv, bool explain)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct stream s = {0};
    int rc;
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    s.c = c;
    s.actors = actors;
    s.set = set;
    s.csv = csv;
    s.explain = explain;
    s.n = truce_agreements_count(set);
    s.as = calloc(s.n ? s.n : 1, sizeof(*s.as));
    for (size_t i = 0; s.as && i < s.n; i++)
        truce_assessment_init(&s.as[i]);
    if (!s.as) {
        rc = cli_fail(EXIT_INPUT, "out of memory");
        goto out;
    }
    truce_buf_init(&s.out, 0);
    cli_progress_start(&s.progress, "assess --stream");
    if (csv)
        csv_header(&s);
    for (int f = 0; f < n_files && !rc; f++)
        rc = stream_file(&s, files[f], fmt, order);
    truce_buf_release(&s.out);
out:
    for (size_t i = 0; s.as && i < s.n; i++)
        truce_assessment_release(&s.as[i]);
    free(s.as);
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
        {"stream", no_argument, 0, 's'},
        {"explain", no_argument, 0, 'e'},
        {"input-format", required_argument, 0, 'i'},
        {"date-order", required_argument, 0, 'o'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *format = NULL;
    bool stream = false, explain = false;
    enum truce_format fmt = TRUCE_FMT_AUTO;
    enum truce_date_order order = TRUCE_DATES_UNKNOWN;
    bool all = false;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'a': all = true; break;
        case 'f': format = optarg; break;
        case 's': stream = true; break;
        case 'e': explain = true; break;
        case 'i': fmt = truce_format_parse(optarg); break;
        case 'o':
            if (!cli_date_order(optarg, &order))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("assess"));
        }
    }
    if (stream) {
        if (optind == argc)
            return cli_usage(cli_find("assess"));
        if (format && strcmp(format, "jsonl") && strcmp(format, "csv"))
            return cli_fail(EXIT_USAGE, "--stream --format must be jsonl or "
                            "csv");
        return assess_stream(c, argv + optind, argc - optind, fmt, order,
                             format && !strcmp(format, "csv"), explain);
    }
    if (optind != argc || explain)
        return cli_usage(cli_find("assess"));
    if (format && strcmp(format, "text") && strcmp(format, "json"))
        return cli_fail(EXIT_USAGE, "--format must be text or json");
    return assess_store(c, all, format && strcmp(format, "json") == 0);
}
