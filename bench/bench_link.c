/*
 * bench_link.c - the time truce_link_events takes on a million events: the
 * UCDP GED Syria file (../shared) tiled COPIES times, each copy with fresh
 * ids, its points moved up to 5 km and every other copy's source "news"
 * (so that copies may link), then linked in memory, best of 3 runs. Prints
 * the events, the incidents found, seconds and events a second, and the
 * peak RSS.
 *
 * usage: bench_link UCDP.csv ACTORS.json [COPIES [OUT.jsonl]]   (default 61)
 *
 * With OUT.jsonl, the tiled events are also written there (JSON Lines), for
 * bench/link-store.sh to time `truce assess` and `truce link --all` of
 * them through the store.
 */
#define _GNU_SOURCE 1
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <truce/truce.h>

#include "../tests/common/tools.h"

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_state = 88172645463325252ULL;


int
main(int argc, char **argv)
{
    struct truce_ctx *ctx;
    struct truce_actors *actors;
    struct truce_reader *r;
    struct truce_event u, *base = NULL, *ev;
    size_t nb = 0, cap = 0, copies = argc > 3 ? strtoul(argv[3], NULL, 10) : 61,
           n, *rep, k = 0, text_n;
    double best = 1e30;
    struct rusage ru;
    truce_status st;
    char *text;
    if (argc < 3 || truce_ctx_new(&ctx) || !(text = slurp(argv[2], &text_n)) ||
        truce_actors_parse(ctx, text, text_n, argv[2], &actors) ||
        truce_reader_open(ctx, argv[1], TRUCE_FMT_UCDP, &r)) {
        fprintf(stderr, "usage: bench_link UCDP.csv ACTORS.json [COPIES]\n");
        return 2;
    }
    free(text);
    truce_event_init(&u);
    while ((st = truce_reader_next(r, &u)) != TRUCE_EOF) {
        if (st)
            continue;
        if (nb == cap) {
            cap = cap ? 2 * cap : 32768;
            base = realloc(base, cap * sizeof(*base));
        }
        base[nb] = u;             /* takes u's strings */
        truce_event_init(&u);
        nb++;
    }
    truce_reader_free(r);
    n = nb * copies;
    ev = calloc(n, sizeof(*ev));
    rep = calloc(n, sizeof(*rep));
    if (!ev || !rep)
        return 2;
    for (size_t c = 0; c < copies; c++)
        for (size_t i = 0; i < nb; i++) {
            struct truce_event *e = &ev[c * nb + i];
            char id[64];
            double d = 5 * uniform_from(&rng_state), a = 2 * M_PI * uniform_from(&rng_state);
            *e = base[i];            /* borrows the strings */
            snprintf(id, sizeof(id), "t%zu:%zu", c, i);
            e->id = strdup(id);
            e->source = c % 2 ? (char *)"news" : base[i].source;
            e->t0 += (int64_t)c * 1461 * 86400;
            e->t1 += (int64_t)c * 1461 * 86400;
            e->lat += d * cos(a) / 111.0;
            e->lon += d * sin(a) / (111.0 * cos(e->lat * M_PI / 180));
        }
    if (argc > 4) {
        FILE *f = fopen(argv[4], "w");
        struct truce_buf b;
        truce_buf_init(&b, 0);
        for (size_t i = 0; f && i < n; i++) {
            truce_buf_reset(&b);
            if (truce_event_to_json(&ev[i], NULL, 0, TRUCE_V_NOT_COVERED,
                                    false, NULL, &b) ||
                fprintf(f, "%s\n", b.buf) < 0)
                break;
        }
        truce_buf_release(&b);
        if (!f || fclose(f)) {
            fprintf(stderr, "bench_link: cannot write %s\n", argv[4]);
            return 2;
        }
    }
    for (int run = 0; run < 3; run++) {
        double t0 = now(), dt;
        if (truce_link_events(ctx, ev, n, actors, rep, &k)) {
            fprintf(stderr, "bench_link: %s\n", truce_ctx_errmsg(ctx));
            return 1;
        }
        dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("| events | incidents | seconds (best of 3) | events/s | peak RSS MB |\n"
           "|---:|---:|---:|---:|---:|\n| %zu | %zu | %.2f | %.0f | %.0f |\n",
           n, k, best, (double)n / best, (double)ru.ru_maxrss / 1024);
    for (size_t i = 0; i < n; i++)
        free(ev[i].id);
    free(ev);
    free(rep);
    for (size_t i = 0; i < nb; i++)
        truce_event_release(&base[i]);
    free(base);
    truce_actors_free(actors);
    truce_ctx_free(ctx);
    return 0;
}
