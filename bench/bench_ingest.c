/*
 * bench_ingest.c - where the time of `ingest` + `assess` goes, phase by
 * phase, through the library: reading (CSV parse + event mapping), storing
 * (SQLite, one transaction), and assessing in memory (every event under
 * every agreement, with explanations). Prints a Markdown table row per
 * phase: seconds (best of R runs) and events per second.
 *
 * usage: bench_ingest EVENTS.csv ACTORS.json AGREEMENTS.json [RUNS]
 */
#define _GNU_SOURCE 1
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <truce/truce.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;
    if (!f) {
        fprintf(stderr, "bench: cannot open '%s'\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        exit(2);
    buf[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return buf;
}

static void
die(struct truce_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, truce_ctx_errmsg(ctx));
    exit(2);
}

/* Phase 1: read every event; returns the count. */
static long
phase_read(struct truce_ctx *ctx, const char *path)
{
    struct truce_reader *r;
    struct truce_event ev;
    truce_status st;
    long n = 0;
    if (truce_reader_open(ctx, path, TRUCE_FMT_AUTO, &r))
        die(ctx, "open");
    truce_event_init(&ev);
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        if (st == TRUCE_OK)
            n++;
        else if (st != TRUCE_EPARSE)
            die(ctx, "read");
    }
    truce_event_release(&ev);
    truce_reader_free(r);
    return n;
}

/* Phase 2: read and store into a fresh SQLite file. */
static long
phase_store(struct truce_ctx *ctx, const char *path, const char *db)
{
    struct truce_store *st;
    struct truce_reader *r;
    struct truce_event ev;
    enum truce_put_result res;
    long n = 0;
    char wal[600], shm[600];
    snprintf(wal, sizeof(wal), "%s-wal", db);
    snprintf(shm, sizeof(shm), "%s-shm", db);
    unlink(db);
    unlink(wal);
    unlink(shm);
    if (truce_store_create(ctx, db, &st) || truce_store_begin(st))
        die(ctx, "store");
    if (truce_reader_open(ctx, path, TRUCE_FMT_AUTO, &r))
        die(ctx, "open");
    truce_event_init(&ev);
    while (truce_reader_next(r, &ev) != TRUCE_EOF) {
        if (ev.id && truce_store_put_event(st, &ev, &res, NULL) == TRUCE_OK)
            n++;
    }
    if (truce_store_commit(st))
        die(ctx, "commit");
    truce_event_release(&ev);
    truce_reader_free(r);
    truce_store_close(st);
    return n;
}

/* Phase 3: read and assess in memory (no store). */
static long
phase_assess(struct truce_ctx *ctx, const char *path,
             const struct truce_actors *actors,
             const struct truce_agreements *set, unsigned flags)
{
    struct truce_reader *r;
    struct truce_event ev;
    size_t na = truce_agreements_count(set);
    struct truce_assessment *as = calloc(na, sizeof(*as));
    enum truce_verdict overall;
    long n = 0;
    for (size_t i = 0; i < na; i++)
        truce_assessment_init(&as[i]);
    if (truce_reader_open(ctx, path, TRUCE_FMT_AUTO, &r))
        die(ctx, "open");
    truce_event_init(&ev);
    while (truce_reader_next(r, &ev) != TRUCE_EOF) {
        if (!ev.id)
            continue;
        if (truce_assess_event(ctx, set, actors, &ev, flags, as, &overall))
            die(ctx, "assess");
        n++;
    }
    truce_event_release(&ev);
    truce_reader_free(r);
    for (size_t i = 0; i < na; i++)
        truce_assessment_release(&as[i]);
    free(as);
    return n;
}

int
main(int argc, char **argv)
{
    struct truce_ctx *ctx;
    struct truce_actors *actors;
    struct truce_agreements *set;
    char *text, *dir;
    size_t n;
    int runs = argc > 4 ? atoi(argv[4]) : 5;
    double best[4] = {1e9, 1e9, 1e9, 1e9};
    long count[4] = {0};
    static const char *names[] = {"read (parse + map)", "read + store (SQLite)",
                                  "read + assess, with explanations",
                                  "read + assess, verdicts only"};
    if (argc < 4) {
        fprintf(stderr, "usage: bench_ingest EVENTS ACTORS.json "
                        "AGREEMENTS.json [RUNS]\n");
        return 1;
    }
    if (truce_ctx_new(&ctx))
        return 2;
    text = slurp(argv[2], &n);
    if (truce_actors_parse(ctx, text, n, argv[2], &actors))
        die(ctx, "actors");
    free(text);
    text = slurp(argv[3], &n);
    dir = strdup(argv[3]);
    if (truce_agreements_new(ctx, &set) ||
        truce_agreements_parse(ctx, set, text, n, argv[3], dirname(dir),
                               false) ||
        truce_agreements_prepare(ctx, set, actors))
        die(ctx, "agreements");
    free(text);
    free(dir);
    for (int k = 0; k < runs; k++) {
        double t0 = now();
        count[0] = phase_read(ctx, argv[1]);
        double t1 = now();
        count[1] = phase_store(ctx, argv[1], "/tmp/truce-bench.db");
        double t2 = now();
        count[2] = phase_assess(ctx, argv[1], actors, set, 0);
        double t3 = now();
        count[3] = phase_assess(ctx, argv[1], actors, set,
                                TRUCE_ASSESS_NO_EXPLAIN);
        double t4 = now();
        double d[4] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
        for (int p = 0; p < 4; p++)
            best[p] = d[p] < best[p] ? d[p] : best[p];
    }
    printf("| phase | events | agreements | best of %d, s | events/s |\n",
           runs);
    printf("|---|---:|---:|---:|---:|\n");
    for (int p = 0; p < 4; p++)
        printf("| %s | %ld | %zu | %.3f | %.0f |\n", names[p], count[p],
               truce_agreements_count(set), best[p],
               (double)count[p] / best[p]);
    unlink("/tmp/truce-bench.db");
    truce_agreements_free(set);
    truce_actors_free(actors);
    truce_ctx_free(ctx);
    return 0;
}
