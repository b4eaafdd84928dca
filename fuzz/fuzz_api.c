/*
 * fuzz_api.c - libFuzzer target: the server's API (server/api.c) with
 * every route, role, query argument and JSON body, without sockets.
 *
 * An input is a request as text:
 *
 *     METHOD /api/PATH[?QUERY]\n
 *     Name: value\n            (headers, any number)
 *     \n
 *     BODY                     (the rest, as sent)
 *
 * The query is split at '&' and '=' and percent-decoded, as libmicrohttpd
 * does; header names match in any case. In an Authorization header the
 * words @monitor, @analyst and @admin become the tokens of users of those
 * roles, so the fuzzer reaches the routes behind each role.
 *
 * The store is made once (in a temporary folder) from the repository's
 * examples: the actor dictionary, the 2016 agreements, the spring 2016
 * events, assessed, and a user of each role; it is made anew from that
 * copy every RESET inputs, so field reports and reviews do not pile up.
 * Run from the repository top.
 *
 * What is checked: every answer has a status the API documents and a
 * body; a JSON answer parses; a 500 is a finding (nothing an input says
 * may make the server fail).
 */
#define _GNU_SOURCE 1
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>
#include <truce/truce.h>

#include "../server/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RESET 20000
#define MAX_PAIRS 32

static char dir[64], template_db[96], work_db[96];
static char tokens[3][128];          /* monitor, analyst, admin */
static struct api *api;

/* ------------------------------------------------------------ set-up */

static char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len;
    if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)len + 1)) ||
        fread(buf, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "fuzz_api: cannot read %s (run from the repository "
                "top)\n", path);
        abort();
    }
    fclose(f);
    buf[len] = '\0';
    *n = (size_t)len;
    return buf;
}

static void
must(struct truce_ctx *ctx, truce_status st, const char *what)
{
    if (st) {
        fprintf(stderr, "fuzz_api: %s: %s\n", what, truce_ctx_errmsg(ctx));
        abort();
    }
}

static void
make_template(void)
{
    static const char *const roles[] = {"monitor", "analyst", "admin"};
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_agreements *set;
    struct truce_actors *actors;
    struct truce_reader *r;
    struct truce_event ev;
    enum truce_put_result put;
    struct truce_assess_counts counts = {0};
    int64_t version;
    size_t n;
    char *text;
    if (truce_ctx_new(&ctx))
        abort();
    must(ctx, truce_store_create(ctx, template_db, &st), "create");
    text = slurp("examples/actors.json", &n);
    must(ctx, truce_store_put_actors(st, text, NULL), "actors");
    free(text);
    must(ctx, truce_store_get_actors(st, &text), "actors back");
    must(ctx, truce_actors_parse(ctx, text, strlen(text), "actors", &actors),
         "actors parse");
    free(text);
    must(ctx, truce_agreements_new(ctx, &set), "agreements");
    text = slurp("examples/agreements-syria-2016.json", &n);
    must(ctx, truce_agreements_parse(ctx, set, text, n, "agreements",
                                     "examples", false), "agreements parse");
    free(text);
    for (size_t i = 0; i < truce_agreements_count(set); i++) {
        struct truce_agreement_info info;
        truce_agreements_info(set, i, &info);
        must(ctx, truce_store_put_agreement(st, info.id, info.json, NULL),
             "put agreement");
    }
    truce_agreements_free(set);
    truce_actors_free(actors);
    must(ctx, truce_reader_open(ctx, "examples/events/spring-2016.jsonl",
                                TRUCE_FMT_JSONL, &r), "events");
    truce_event_init(&ev);
    must(ctx, truce_store_begin(st), "begin");
    while (truce_reader_next(r, &ev) == TRUCE_OK)
        must(ctx, truce_store_put_event(st, &ev, &put, NULL), "put event");
    must(ctx, truce_store_commit(st), "commit");
    truce_event_release(&ev);
    truce_reader_free(r);
    must(ctx, truce_store_load_model(ctx, st, &actors, &set), "model");
    must(ctx, truce_store_model_version(st, &version), "version");
    must(ctx, truce_store_assess_pending(ctx, st, actors, set, version, 500,
                                         0, &counts), "assess");
    truce_agreements_free(set);
    truce_actors_free(actors);
    for (int i = 0; i < 3; i++)
        must(ctx, truce_store_add_user(st, roles[i], roles[i], tokens[i],
                                       sizeof(tokens[i])), "user");
    truce_store_close(st);
    truce_ctx_free(ctx);
}

/* The work store anew from the template, and the API on it. */
static void
reset(void)
{
    char cmd[256];
    struct api_opts o = {work_db, false};
    api_free(api);
    snprintf(cmd, sizeof(cmd), "cp %s %s && rm -f %s-wal %s-shm",
             template_db, work_db, work_db, work_db);
    if (system(cmd) != 0)
        abort();
    if (!(api = api_new(&o)))
        abort();
}

static void
cleanup(void)
{
    char cmd[128];
    api_free(api);
    api = NULL;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_api: cannot remove %s\n", dir);
}

static void
setup(void)
{
    snprintf(dir, sizeof(dir), "%s/truce-fuzz-api-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir))
        abort();
    snprintf(template_db, sizeof(template_db), "%s/template.db", dir);
    snprintf(work_db, sizeof(work_db), "%s/work.db", dir);
    make_template();
    reset();
    atexit(cleanup);
}

/* ---------------------------------------------------------- a request */

struct pair {
    char *name, *value;
};

struct parsed {
    struct pair args[MAX_PAIRS], headers[MAX_PAIRS];
    size_t n_args, n_headers;
};

static int
hex(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Percent-decodes s in place ('+' is a space). */
static void
unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
            *o++ = (char)(hex(s[1]) * 16 + hex(s[2]));
            s += 2;
        } else {
            *o++ = *s == '+' ? ' ' : *s;
        }
    }
    *o = '\0';
}

static const char *
find(const struct pair *p, size_t n, const char *name, bool fold)
{
    for (size_t i = 0; i < n; i++) {
        if (fold ? !strcasecmp(p[i].name, name) : !strcmp(p[i].name, name))
            return p[i].value;
    }
    return NULL;
}

static const char *
get_arg(void *conn, const char *name)
{
    const struct parsed *p = conn;
    return find(p->args, p->n_args, name, false);
}

static const char *
get_header(void *conn, const char *name)
{
    const struct parsed *p = conn;
    return find(p->headers, p->n_headers, name, true);
}

static void
parse_query(struct parsed *p, char *q)
{
    for (char *tok = strsep(&q, "&"); tok && p->n_args < MAX_PAIRS;
         tok = strsep(&q, "&")) {
        char *eq = strchr(tok, '=');
        if (eq)
            *eq++ = '\0';
        unescape(tok);
        if (eq)
            unescape(eq);
        p->args[p->n_args].name = tok;
        p->args[p->n_args++].value = eq ? eq : (char *)"";
    }
}

/* "Bearer @analyst" names the analyst's token. */
static char *
with_token(char *value, char *out, size_t n)
{
    static const char *const words[] = {"@monitor", "@analyst", "@admin"};
    for (int i = 0; i < 3; i++) {
        char *at = strstr(value, words[i]);
        if (at) {
            snprintf(out, n, "%.*s%s%s", (int)(at - value), value, tokens[i],
                     at + strlen(words[i]));
            return out;
        }
    }
    return value;
}

static void
check(const struct reply *r)
{
    static const unsigned ok[] = {200, 201, 400, 401, 403, 404,
                                  405, 409, 413, 429};
    bool known = false;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        known |= r->status == ok[i];
    if (!known || !r->body || !r->type) {
        fprintf(stderr, "fuzz_api: status %u: %s\n", r->status,
                r->body ? r->body : "(no body)");
        abort();
    }
    if (!strcmp(r->type, "application/json")) {
        json_error_t e;
        json_t *o = json_loadb(r->body, r->len, 0, &e);
        if (!o) {
            fprintf(stderr, "fuzz_api: not JSON (%s): %.200s\n", e.text,
                    r->body);
            abort();
        }
        json_decref(o);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long inputs;
    struct parsed p = {0};
    struct reply r = {0};
    struct api_outcome out;
    struct api_request rq = {0};
    char *text, *line, *rest, *sp, *q, auth[256];
    if (!api)
        setup();
    if (++inputs % RESET == 0)
        reset();
    if (!(text = malloc(size + 1)))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rest = text;
    line = strsep(&rest, "\n");
    if (!(sp = strchr(line, ' ')) || strncmp(sp + 1, "/api", 4)) {
        free(text);
        return 0;
    }
    *sp = '\0';
    rq.method = line;
    rq.path = sp + 5;
    if ((q = strchr(sp + 1, '?'))) {
        *q++ = '\0';
        parse_query(&p, q);
    }
    while (rest && (line = strsep(&rest, "\n")) && *line &&
           p.n_headers < MAX_PAIRS) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon++ = '\0';
        while (*colon == ' ')
            colon++;
        if (!strcasecmp(line, "Authorization"))
            colon = with_token(colon, auth, sizeof(auth));
        p.headers[p.n_headers].name = line;
        p.headers[p.n_headers++].value = colon;
    }
    rq.body = rest;
    rq.body_len = rest ? size - (size_t)(rest - text) : 0;
    rq.arg = get_arg;
    rq.header = get_header;
    rq.conn = &p;
    /* many addresses: wrong tokens are throttled per address */
    rq.addr = 0x0a000000u | (uint32_t)(inputs & 0xffff);
    api_handle(api, &rq, &r, &out);
    check(&r);
    free(r.body);
    free(text);
    return 0;
}
