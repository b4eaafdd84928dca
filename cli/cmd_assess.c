/*
 * cmd_assess.c - `truce assess`: the verdict of every new or changed event
 * under every agreement, stored with its explanation; `--all` re-assesses
 * everything; `--stream FILE...` assesses files without a store (compact
 * JSON Lines or CSV out, constant memory).
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <pthread.h>
#include <unistd.h>
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
        /* linking does not depend on the agreements: only what is new;
         * then the compact events the next what-if reads (a help to it:
         * when they cannot be made, the assessment stands and whatif
         * makes them itself) */
        if (!(rc = cli_link(c, false, &lc)) &&
            truce_store_prepare_whatif(c->store))
            fprintf(stderr, "truce: warning: the compact events for "
                    "whatif were not kept: %s\n", truce_ctx_errmsg(c->ctx));
        if (!rc)
            print_counts(&counts, truce_agreements_count(set), &lc, as_json);
    }
    truce_ctx_set_progress(c->ctx, NULL, NULL);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

/* ------------------------------------------------------------ stream */

/* The stream runs as a pipeline: this thread reads events into batches,
 * one assessing thread a core (each with its own context, store handle
 * and model) assesses a batch and words its lines, and this thread writes
 * the batches in the order read. SLOTS batches are in flight at most:
 * constant memory. */
#define BATCH 1024
#define SLOTS 8
#define MAX_WORKERS 8

enum slot_state { SLOT_FREE, SLOT_READY, SLOT_DONE };

struct slot {
    struct truce_event ev[BATCH];
    size_t n;
    struct truce_buf out;     /* the batch's lines */
    enum slot_state state;
    bool failed;
    char why[256];
};

struct pipeline;

struct worker {
    struct pipeline *p;
    pthread_t thread;
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_actors *actors;
    struct truce_agreements *set;
    struct truce_assessment *as;
    size_t n;                 /* agreements */
};

struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct slot *slots;       /* SLOTS */
    size_t filled, taken;     /* batches filled by the reader, taken */
    bool eof;
    bool csv, explain;
};

/* One event a CSV row: its times as written, the overall verdict, and each
 * agreement's verdict, reason, side and guarantors (joined by ';'). */
static void
csv_row(struct worker *w, const struct truce_event *ev,
        enum truce_verdict overall, struct truce_buf *b)
{
    char d0[32], d1[32], t[40];
    cli_csv_times(ev, d0, d1, t);
    cli_csv_cell(b, ev->id);
    truce_buf_addf(b, ",%s,%s,%s,%s", d0, d1, t, truce_verdict_name(overall));
    for (size_t i = 0; i < w->n; i++) {
        const struct truce_assessment *a = &w->as[i];
        truce_buf_addf(b, ",%s,%s,", truce_verdict_name(a->verdict),
                       truce_reason_name(a->reason));
        cli_csv_cell(b, a->side);
        truce_buf_add(b, ",", 1);
        for (size_t g = 0; g < a->n_guarantors; g++) {
            if (g)
                truce_buf_add(b, ";", 1);
            cli_csv_cell(b, a->guarantors[g]);
        }
        if (w->p->explain) {
            truce_buf_add(b, ",", 1);
            cli_csv_cell(b, a->explanation.buf);
        }
    }
    truce_buf_add(b, "\n", 1);
}

/* Assesses a batch and words its lines into the slot. */
static void
assess_batch(struct worker *w, struct slot *sl)
{
    truce_buf_reset(&sl->out);
    for (size_t k = 0; k < sl->n; k++) {
        enum truce_verdict overall;
        if (truce_assess_event(w->ctx, w->set, w->actors, &sl->ev[k],
                               w->p->explain ? 0 : TRUCE_ASSESS_NO_EXPLAIN,
                               w->as, &overall)) {
            sl->failed = true;
            snprintf(sl->why, sizeof(sl->why), "%s: %s",
                     sl->ev[k].id ? sl->ev[k].id : "an event",
                     truce_ctx_errmsg(w->ctx));
            return;
        }
        if (w->p->csv) {
            csv_row(w, &sl->ev[k], overall, &sl->out);
        } else if (truce_assessed_to_json(&sl->ev[k], w->as, w->n, overall,
                                          w->p->explain, &sl->out) ||
                   truce_buf_add(&sl->out, "\n", 1)) {
            sl->failed = true;
            snprintf(sl->why, sizeof(sl->why), "out of memory");
            return;
        }
    }
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    struct pipeline *p = w->p;
    for (;;) {
        struct slot *sl;
        pthread_mutex_lock(&p->mu);
        while (p->taken == p->filled && !p->eof)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->taken == p->filled) { /* eof, and nothing left */
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        sl = &p->slots[p->taken++ % SLOTS];
        pthread_mutex_unlock(&p->mu);
        assess_batch(w, sl);
        pthread_mutex_lock(&p->mu);
        sl->state = SLOT_DONE;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* A worker's own context, store handle and model; 0 or an exit status. */
static int
worker_start(struct cli *c, struct pipeline *p, struct worker *w)
{
    w->p = p;
    if (truce_ctx_new(&w->ctx))
        return cli_fail(EXIT_INPUT, "out of memory");
    if (truce_store_open(w->ctx, c->db, &w->st) ||
        truce_store_load_model(w->ctx, w->st, &w->actors, &w->set))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(w->ctx));
    w->n = truce_agreements_count(w->set);
    w->as = calloc(w->n ? w->n : 1, sizeof(*w->as));
    if (!w->as)
        return cli_fail(EXIT_INPUT, "out of memory");
    for (size_t i = 0; i < w->n; i++)
        truce_assessment_init(&w->as[i]);
    if (pthread_create(&w->thread, NULL, worker_main, w)) {
        w->thread = 0;
        return cli_fail(EXIT_INPUT, "cannot start a thread");
    }
    return 0;
}

static void
worker_free(struct worker *w)
{
    for (size_t i = 0; w->as && i < w->n; i++)
        truce_assessment_release(&w->as[i]);
    free(w->as);
    truce_agreements_free(w->set);
    truce_actors_free(w->actors);
    truce_store_close(w->st);
    truce_ctx_free(w->ctx);
}

/* Writes the batches done, in the order read; with wait, waits for the
 * next one first. false when a batch failed (said). */
static bool
write_done(struct pipeline *p, size_t *written, bool wait)
{
    for (;;) {
        struct slot *sl = &p->slots[*written % SLOTS];
        bool ok;
        pthread_mutex_lock(&p->mu);
        while (wait && *written < p->filled && sl->state != SLOT_DONE)
            pthread_cond_wait(&p->cv, &p->mu);
        if (*written == p->filled || sl->state != SLOT_DONE) {
            pthread_mutex_unlock(&p->mu);
            return true;
        }
        pthread_mutex_unlock(&p->mu);
        ok = !sl->failed;
        if (ok)
            fwrite(sl->out.buf, 1, sl->out.len, stdout);
        else
            cli_fail(EXIT_INPUT, "%s", sl->why);
        pthread_mutex_lock(&p->mu);
        sl->state = SLOT_FREE;
        (*written)++;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (!ok)
            return false;
        wait = false;
    }
}

static bool
slot_free(struct pipeline *p, struct slot *sl)
{
    bool free_now;
    pthread_mutex_lock(&p->mu);
    free_now = sl->state == SLOT_FREE;
    pthread_mutex_unlock(&p->mu);
    return free_now;
}

struct reading {
    struct cli *c;
    struct pipeline *p;
    struct cli_progress progress;
    size_t written;
    long read;
};

/* One file into the pipeline; 0, or the exit status after saying why. */
static int
stream_file(struct reading *rd, const char *path, enum truce_format fmt,
            enum truce_date_order order)
{
    struct truce_ctx *ctx = rd->c->ctx;
    struct pipeline *p = rd->p;
    struct truce_reader *r = NULL;
    long rejected = 0;
    truce_status st = TRUCE_OK;
    int rc = 0;
    if (truce_reader_open(ctx, path, fmt, &r)) {
        cli_input_error(path, truce_ctx_errline(ctx), truce_ctx_errmsg(ctx));
        return EXIT_INPUT;
    }
    if (order)
        truce_reader_set_date_order(r, order);
    while (st != TRUCE_EOF && !rc) {
        struct slot *sl = &p->slots[p->filled % SLOTS];
        /* the slot is free once its batch is written */
        while (!slot_free(p, sl) && !rc)
            if (!write_done(p, &rd->written, true))
                rc = EXIT_INPUT;
        sl->n = 0;
        sl->failed = false;
        while (!rc && sl->n < BATCH &&
               (st = truce_reader_next(r, &sl->ev[sl->n])) != TRUCE_EOF) {
            if (!(++rd->read & 1023))
                cli_progress_tick(&rd->progress, rd->read);
            if (st == TRUCE_EPARSE) {
                rejected++;
                cli_progress_end(&rd->progress);
                cli_input_error(path, truce_reader_line(r),
                                truce_ctx_errmsg(ctx));
                continue;
            }
            if (st) {
                cli_progress_end(&rd->progress);
                rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(ctx));
                break;
            }
            sl->n++;
        }
        if (sl->n && !rc) {
            pthread_mutex_lock(&p->mu);
            sl->state = SLOT_READY;
            p->filled++;
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
        }
        if (!rc && !write_done(p, &rd->written, false))
            rc = EXIT_INPUT;
    }
    cli_progress_end(&rd->progress);
    if (rejected)
        fprintf(stderr, "truce: %s: %ld record%s rejected\n", path, rejected,
                rejected == 1 ? "" : "s");
    cli_recoded_warning(path, r);
    truce_reader_free(r);
    return rc;
}

static void
csv_header(const struct truce_agreements *set, bool explain)
{
    fputs("id,date_start,date_end,time,verdict", stdout);
    for (size_t i = 0; i < truce_agreements_count(set); i++) {
        struct truce_agreement_info in;
        truce_agreements_info(set, i, &in);
        printf(",%s.verdict,%s.reason,%s.side,%s.guarantors", in.id, in.id,
               in.id, in.id);
        if (explain)
            printf(",%s.explanation", in.id);
    }
    putchar('\n');
}

static long
cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : n;
}

/* --stream: read, assess, write compact JSON Lines or CSV; nothing is
 * stored (DESIGN section 12). */
static int
assess_stream(struct cli *c, char **files, int n_files, enum truce_format fmt,
              enum truce_date_order order, bool csv, bool explain)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct pipeline p = {.csv = csv, .explain = explain};
    struct worker w[MAX_WORKERS];
    struct reading rd = {.c = c, .p = &p};
    long n_workers = cores(), started = 0;
    int rc;
    memset(w, 0, sizeof(w));
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    if (!(p.slots = calloc(SLOTS, sizeof(*p.slots)))) {
        rc = cli_fail(EXIT_INPUT, "out of memory");
        goto out;
    }
    for (size_t s = 0; s < SLOTS; s++) {
        truce_buf_init(&p.slots[s].out, 0);
        for (size_t k = 0; k < BATCH; k++)
            truce_event_init(&p.slots[s].ev[k]);
    }
    for (; started < n_workers && !rc; started++)
        rc = worker_start(c, &p, &w[started]);
    if (csv && !rc)
        csv_header(set, explain);
    cli_progress_start(&rd.progress, "assess --stream");
    for (int f = 0; f < n_files && !rc; f++)
        rc = stream_file(&rd, files[f], fmt, order);
    /* the rest, then the workers go */
    if (!rc && !write_done(&p, &rd.written, true))
        rc = EXIT_INPUT;
    while (!rc && rd.written < p.filled)
        if (!write_done(&p, &rd.written, true))
            rc = EXIT_INPUT;
    pthread_mutex_lock(&p.mu);
    p.eof = true;
    p.filled = p.taken; /* nothing more to take, after a failure too */
    pthread_cond_broadcast(&p.cv);
    pthread_mutex_unlock(&p.mu);
out:
    for (long k = 0; k < started; k++) {
        if (w[k].thread)
            pthread_join(w[k].thread, NULL);
        worker_free(&w[k]);
    }
    for (size_t s = 0; p.slots && s < SLOTS; s++) {
        truce_buf_release(&p.slots[s].out);
        for (size_t k = 0; k < BATCH; k++)
            truce_event_release(&p.slots[s].ev[k]);
    }
    free(p.slots);
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
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
