/*
 * bench_extract.c - the speed of `truce extract` on one core, through the
 * library: N articles of wire length (about WORDS words each, made by
 * joining the labelled set's texts, tests/data/news/cases/, in turn as
 * paragraphs) extracted one after another with the set's gazetteer.
 * Prints the articles, their bytes, the seconds (best of 3 runs), articles
 * per second, MB per second and the findings per article.
 *
 * usage: bench_extract TOP [N] [WORDS]      (default 1000 articles, 500 words)
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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


static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The texts of the labelled set, in name order; *count of them. */
static char **
texts(const char *top, size_t *count)
{
    char dir[4096], path[8192];
    DIR *d;
    struct dirent *e;
    char **names = NULL, **out;
    size_t n = 0, k = 0, len;
    snprintf(dir, sizeof(dir), "%s/tests/data/news/cases", top);
    if (!(d = opendir(dir))) {
        fprintf(stderr, "bench_extract: cannot open '%s'\n", dir);
        exit(2);
    }
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".txt")) {
            names = realloc(names, (n + 1) * sizeof(*names));
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    out = calloc(n ? n : 1, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if ((out[k] = slurp(path, &len)))
            k++;
        free(names[i]);
    }
    free(names);
    if (!k) {
        fprintf(stderr, "bench_extract: no texts in '%s'\n", dir);
        exit(2);
    }
    *count = k;
    return out;
}

static size_t
words(const char *s)
{
    size_t w = 0;
    for (const char *p = s; *p; p++)
        if ((p == s || p[-1] == ' ' || p[-1] == '\n') && *p != ' ' &&
            *p != '\n')
            w++;
    return w;
}

/* Article i: texts from (i * 7) on, in turn, until it has `want` words. */
static char *
article(char **t, size_t nt, size_t i, size_t want)
{
    size_t cap = 8192, len = 0, w = 0;
    char *a = malloc(cap);
    for (size_t k = i * 7; w < want; k++) {
        const char *s = t[k % nt];
        size_t l = strlen(s);
        if (len + l + 2 >= cap)
            a = realloc(a, cap = 2 * (len + l + 2));
        memcpy(a + len, s, l);
        len += l;
        a[len++] = '\n';
        w += words(s);
    }
    a[len] = '\0';
    return a;
}

static struct truce_gazetteer *
gazetteer(struct truce_ctx *ctx, const char *top)
{
    char path[4096];
    struct truce_gazetteer *gz;
    snprintf(path, sizeof(path), "%s/tests/data/news/gazetteer.csv", top);
    if (truce_gazetteer_from_file(ctx, path, &gz, NULL)) {
        fprintf(stderr, "bench_extract: %s\n", truce_ctx_errmsg(ctx));
        exit(2);
    }
    return gz;
}

/* Findings: incidents and statements, one "sentence" key each. */
static size_t
findings(const char *json)
{
    size_t n = 0;
    for (const char *p = json; (p = strstr(p, "\"sentence\"")); p++)
        n++;
    return n;
}

int
main(int argc, char **argv)
{
    const char *top = argc > 1 ? argv[1] : ".";
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
    size_t want = argc > 3 ? strtoul(argv[3], NULL, 10) : 500;
    size_t nt, bytes = 0, words_all = 0, found = 0;
    char **t = texts(top, &nt), **arts;
    struct truce_ctx *ctx = NULL;
    struct truce_gazetteer *gz;
    struct truce_extract_opts o = {0};
    double best = 1e30;
    if (truce_ctx_new(&ctx) || !n)
        return 2;
    gz = gazetteer(ctx, top);
    arts = calloc(n, sizeof(*arts));
    for (size_t i = 0; i < n; i++) {
        arts[i] = article(t, nt, i, want);
        bytes += strlen(arts[i]);
        words_all += words(arts[i]);
    }
    o.published = 1462320000; /* 2016-05-04 */
    o.timezone = "Asia/Damascus";
    o.source = "bench";
    for (int run = 0; run < 3; run++) {
        double t0 = now(), dt;
        size_t f = 0;
        for (size_t i = 0; i < n; i++) {
            char *out = NULL;
            if (truce_extract(ctx, arts[i], strlen(arts[i]), &o, gz, &out)) {
                fprintf(stderr, "bench_extract: article %zu: %s\n", i,
                        truce_ctx_errmsg(ctx));
                return 1;
            }
            f += findings(out);
            free(out);
        }
        dt = now() - t0;
        if (dt < best)
            best = dt;
        found = f;
    }
    printf("| articles | words each | MB | seconds (best of 3) | articles/s "
           "| MB/s | findings/article |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    printf("| %zu | %zu | %.2f | %.3f | %.0f | %.2f | %.1f |\n", n,
           words_all / n, (double)bytes / 1e6, best, (double)n / best,
           (double)bytes / 1e6 / best, (double)found / (double)n);
    for (size_t i = 0; i < n; i++)
        free(arts[i]);
    free(arts);
    for (size_t i = 0; i < nt; i++)
        free(t[i]);
    free(t);
    truce_gazetteer_free(gz);
    truce_ctx_free(ctx);
    return 0;
}
