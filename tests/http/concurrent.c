/*
 * concurrent.c - field reports and reviews from several threads while
 * other threads read the map, against a running `truce serve`; then the
 * counts: nothing may be lost, no request may fail.
 *
 * usage: concurrent URL MONITOR_TOKEN ANALYST_TOKEN WRITERS REPORTS READERS
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

struct shared {
    const char *url, *mon, *ana;
    int reports;             /* per writer */
    atomic_int writers_done;
    atomic_long failures, posted, reviewed, reads;
};

struct body {
    char *buf;
    size_t len;
};

static size_t
collect(char *p, size_t size, size_t n, void *ud)
{
    struct body *b = ud;
    size_t k = size * n;
    char *nb = realloc(b->buf, b->len + k + 1);
    if (!nb)
        return 0;
    memcpy(nb + b->len, p, k);
    b->buf = nb;
    b->len += k;
    b->buf[b->len] = '\0';
    return k;
}

/* One request; returns the status (0 on a transport error). */
static long
request(CURL *h, const char *url, const char *token, const char *post,
        struct body *out)
{
    struct curl_slist *hdr = NULL;
    char auth[256];
    long status = 0;
    out->len = 0;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    if (token) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        hdr = curl_slist_append(hdr, auth);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    }
    if (post)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    return status;
}

static void *
writer(void *p)
{
    struct shared *s = p;
    CURL *h = curl_easy_init();
    struct body b = {0};
    char url[512], post[512], id[64];
    for (int i = 0; i < s->reports; i++) {
        const char *at;
        snprintf(url, sizeof(url), "%sapi/reports", s->url);
        snprintf(post, sizeof(post),
                 "{\"date_start\":\"2016-05-%02d\",\"lat\":36.%03d,"
                 "\"lon\":37.%03d,\"category\":\"battle\",\"actor1\":"
                 "\"SAA\",\"actor2\":\"FSA\",\"notes\":\"load %d\"}",
                 1 + i % 28, rand() % 1000, rand() % 1000, i);
        if (request(h, url, s->mon, post, &b) != 201) {
            s->failures++;
            continue;
        }
        s->posted++;
        at = strstr(b.buf, "\"id\":\"");
        if (!at || sscanf(at + 6, "%63[^\"]", id) != 1) {
            s->failures++;
            continue;
        }
        snprintf(url, sizeof(url), "%sapi/events/%s/review", s->url, id);
        if (request(h, url, s->ana, "{\"state\":\"alleged\",\"note\":\"load\"}",
                    &b) == 200)
            s->reviewed++;
        else
            s->failures++;
    }
    free(b.buf);
    curl_easy_cleanup(h);
    s->writers_done++;
    return NULL;
}

static void *
reader(void *p)
{
    struct shared *s = p;
    CURL *h = curl_easy_init();
    struct body b = {0};
    char url[512];
    int writers = *(int *)((char *)p + sizeof(*s));
    while (s->writers_done < writers) {
        snprintf(url, sizeof(url), "%sapi/events?bbox=36,35,38,37&limit=500",
                 s->url);
        if (request(h, url, NULL, NULL, &b) != 200 ||
            !strstr(b.buf, "FeatureCollection"))
            s->failures++;
        else
            s->reads++;
    }
    free(b.buf);
    curl_easy_cleanup(h);
    return NULL;
}

int
main(int argc, char **argv)
{
    struct {
        struct shared s;
        int writers;
    } ctx;
    pthread_t th[64];
    int nw, nr, n = 0;
    if (argc != 7) {
        fprintf(stderr, "usage: concurrent URL MON ANA WRITERS REPORTS "
                        "READERS\n");
        return 2;
    }
    memset(&ctx, 0, sizeof(ctx));
    ctx.s.url = argv[1];
    ctx.s.mon = argv[2];
    ctx.s.ana = argv[3];
    nw = atoi(argv[4]);
    ctx.s.reports = atoi(argv[5]);
    nr = atoi(argv[6]);
    ctx.writers = nw;
    if (nw < 1 || nr < 0 || nw + nr > 64)
        return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    for (int i = 0; i < nw; i++)
        pthread_create(&th[n++], NULL, writer, &ctx.s);
    for (int i = 0; i < nr; i++)
        pthread_create(&th[n++], NULL, reader, &ctx);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    curl_global_cleanup();
    printf("posted %ld, reviewed %ld, reads %ld, failures %ld\n",
           (long)ctx.s.posted, (long)ctx.s.reviewed, (long)ctx.s.reads,
           (long)ctx.s.failures);
    return ctx.s.failures || ctx.s.posted != (long)nw * ctx.s.reports ||
                   ctx.s.reviewed != ctx.s.posted || ctx.s.reads == 0
               ? 1
               : 0;
}
