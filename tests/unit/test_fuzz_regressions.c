/*
 * test_fuzz_regressions.c - replays every file of fuzz/regressions/<target>/
 * and fuzz/corpus/<target>/ through the code path of fuzz/fuzz_<target>.c,
 * without libFuzzer, so that `make check` (and its ASan + UBSan pass)
 * re-runs the crash files the fuzzers found. A replay passes when it
 * returns; a crash, a sanitizer report or a leak fails the test, and the
 * name of the file being replayed is printed first.
 *
 * The targets: acled, ucdp, gdelt, jsonl (truce_reader_open_mem, drained,
 * each good event written as JSON), csv (the raw tokenizer, ',' with quotes
 * and '\t' without) and agreement (truce_agreements_parse + _prepare with
 * an empty dictionary, and truce_actors_parse) and tzif (truce__tz_parse,
 * then offsets and local times read back). docs/fuzzing.md.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include "truce_int.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

/* ------------------------------------------------------ the code paths */

/* One context for all the files of a test, like the fuzzers' static one. */
static struct truce_ctx *the_ctx;

static struct truce_ctx *
replay_ctx(void)
{
    if (!the_ctx)
        ASSERT_OK(truce_ctx_new(&the_ctx));
    return the_ctx;
}

static void
replay_reader(const char *data, size_t size, enum truce_format fmt)
{
    struct truce_ctx *ctx = replay_ctx();
    struct truce_reader *r = NULL;
    struct truce_event ev;
    struct truce_buf json;
    size_t calls = 0;
    truce_status st;
    if (truce_reader_open_mem(ctx, data, size, "replay", fmt, &r) != TRUCE_OK)
        return;
    ASSERT_EQ_INT(truce_reader_format(r), fmt);
    truce_event_init(&ev);
    truce_buf_init(&json, 0);
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF && st != TRUCE_EIO) {
        /* Progress: every record consumes at least one byte. */
        ASSERT(++calls <= size + 1);
        if (st == TRUCE_OK) {
            truce_buf_reset(&json);
            ASSERT_OK(truce_event_to_json(&ev, NULL, 0, TRUCE_V_NOT_COVERED,
                                          false, NULL, &json));
            ASSERT(json.len > 0 && json.buf[0] == '{');
        }
    }
    /* A memory buffer cannot fail to read. */
    ASSERT_EQ_INT(st, TRUCE_EOF);
    truce_buf_release(&json);
    truce_event_release(&ev);
    truce_reader_free(r);
}

static void
replay_tokenizer(const char *data, size_t size, char delim, bool quotes)
{
    struct truce__input *in = NULL;
    struct truce__csv c;
    size_t calls = 0;
    truce_status st;
    ASSERT_OK(truce__input_open_mem(data, size, &in));
    truce__csv_init(&c, in, delim, quotes);
    while ((st = truce__csv_next(&c)) != TRUCE_EOF && st != TRUCE_EIO) {
        ASSERT(++calls <= size + 1);
        if (st != TRUCE_OK)
            continue;
        ASSERT(c.nf >= 1 && c.nf <= TRUCE_CSV_MAX_FIELDS);
        for (size_t i = 0; i < c.nf; i++) {
            size_t len;
            const char *f = truce__csv_field(&c, i, &len);
            ASSERT(c.starts[i] + len < c.data.len + 1);
            ASSERT(f[len] == '\0');
        }
    }
    ASSERT_EQ_INT(st, TRUCE_EOF);
    truce__csv_release(&c);
    truce__input_free(in);
}

static void
replay_csv(const char *data, size_t size)
{
    replay_tokenizer(data, size, ',', true);
    replay_tokenizer(data, size, '\t', false);
}

static void
replay_acled(const char *data, size_t size)
{
    replay_reader(data, size, TRUCE_FMT_ACLED);
}

static void
replay_ucdp(const char *data, size_t size)
{
    replay_reader(data, size, TRUCE_FMT_UCDP);
}

static void
replay_gdelt(const char *data, size_t size)
{
    replay_reader(data, size, TRUCE_FMT_GDELT);
}

static void
replay_jsonl(const char *data, size_t size)
{
    replay_reader(data, size, TRUCE_FMT_JSONL);
}

static void
replay_agreement(const char *data, size_t size)
{
    struct truce_ctx *ctx = replay_ctx();
    struct truce_agreements *set = NULL;
    struct truce_actors *empty = NULL, *dict = NULL;
    ASSERT_OK(truce_agreements_new(ctx, &set));
    ASSERT_OK(truce_actors_new_empty(&empty));
    (void)truce_agreements_parse(ctx, set, data, size, "replay", NULL, false);
    if (truce_agreements_prepare(ctx, set, empty) == TRUCE_OK) {
        for (size_t i = 0; i < truce_agreements_count(set); i++) {
            struct truce_agreement_info info;
            truce_agreements_info(set, i, &info);
            ASSERT(info.id && info.json);
            ASSERT_EQ_INT(truce_agreements_find(set, info.id), i);
        }
    }
    truce_agreements_free(set);
    truce_actors_free(empty);
    if (truce_actors_parse(ctx, data, size, "replay", &dict) == TRUCE_OK)
        truce_actors_free(dict);
}

static void
replay_tzif(const char *data, size_t size)
{
    static const int64_t at[] = {-5364662400LL, -2208988800LL, 0,
                                 1459036800LL, 2147483648LL, 4102444800LL,
                                 7258118400LL};
    struct truce_ctx *ctx = replay_ctx();
    struct truce_tz *tz = NULL;
    truce_status st = truce__tz_parse(ctx, "replay", data, size, &tz);
    if (st != TRUCE_OK) {
        ASSERT(tz == NULL);
        ASSERT(strstr(truce_ctx_errmsg(ctx), "time zone 'replay': "));
        return;
    }
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        int32_t off = truce_tz_offset(tz, at[i]);
        ASSERT(off >= -89999 && off <= 93599);
        (void)truce_tz_to_utc(tz, at[i] + off);
    }
    truce_tz_free(tz);
}

/* -------------------------------------------------------- replaying */

/* The file being replayed, named when the process dies. */
static char current[4096];

static void
name_current(void)
{
    static const char pre[] = "  while replaying ";
    if (!current[0])
        return;
    /* Only async-signal-safe calls: this runs from a signal handler or a
     * sanitizer's death callback. */
    if (write(2, pre, sizeof(pre) - 1) < 0 ||
        write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
        return;
}

static void
on_fatal(int sig)
{
    name_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Sanitizers call this before they end the process (weak: absent from the
 * plain build). */
extern void __sanitizer_set_death_callback(void (*cb)(void))
    __attribute__((weak));

static void
watch_crashes(void)
{
    signal(SIGSEGV, on_fatal);
    signal(SIGBUS, on_fatal);
    signal(SIGABRT, on_fatal);
    signal(SIGFPE, on_fatal);
    signal(SIGILL, on_fatal);
    atexit(name_current); /* a failed ASSERT exits */
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(name_current);
}

static char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    struct truce_buf b;
    char chunk[65536];
    size_t k;
    if (!f)
        FAIL_AT("cannot open %s", path);
    truce_buf_init(&b, 0);
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ASSERT_OK(truce_buf_add(&b, chunk, k));
    fclose(f);
    *n = b.len;
    /* An exact-size copy, so that ASan sees a read past the end. */
    {
        char *copy = malloc(b.len ? b.len : 1);
        ASSERT(copy);
        memcpy(copy, b.buf, b.len);
        truce_buf_release(&b);
        return copy;
    }
}

/* fuzz_gazetteer's path: read, index, every place found by its name. */
static void
replay_gazetteer(const char *data, size_t size)
{
    struct truce_ctx *ctx = replay_ctx();
    struct truce_gazetteer_reader *r = NULL;
    struct truce_gazetteer *gz = NULL;
    struct truce_place p;
    const struct truce_place *hits[8];
    struct truce_buf key;
    truce_status st;
    size_t calls = 0;
    ASSERT_OK(truce_gazetteer_new(ctx, &gz));
    truce_place_init(&p);
    if (truce_gazetteer_reader_open_mem(ctx, data, size, "replay", NULL,
                                        &r) == TRUCE_OK) {
        while ((st = truce_gazetteer_reader_next(r, &p)) != TRUCE_EOF &&
               st != TRUCE_EIO) {
            ASSERT(++calls <= size + 2);
            if (st == TRUCE_OK)
                ASSERT_OK(truce_gazetteer_add(ctx, gz, &p));
        }
        truce_gazetteer_reader_free(r);
    }
    truce_place_release(&p);
    ASSERT_OK(truce_gazetteer_finish(ctx, gz));
    truce_buf_init(&key, 0);
    for (size_t i = 0; i < truce_gazetteer_count(gz); i++) {
        const struct truce_place *q = truce_gazetteer_place(gz, i);
        key.len = 0;
        if (truce_place_key(q->name, strlen(q->name), &key) == TRUCE_OK &&
            key.len > 0)
            ASSERT(truce_gazetteer_find(gz, q->name, strlen(q->name), hits,
                                        8) > 0);
    }
    truce_buf_release(&key);
    truce_gazetteer_free(gz);
}

/* fuzz_text's path: sentences, then the tokens of each, in bounds. */
static void
replay_text(const char *data, size_t size)
{
    struct truce__span *sent = NULL;
    size_t n = 0;
    ASSERT_OK(truce__sentences(data, size, &sent, &n));
    for (size_t i = 0; i < n; i++) {
        struct truce__token *tok = NULL;
        size_t nt = 0;
        ASSERT(sent[i].start < sent[i].end && sent[i].end <= size);
        ASSERT_OK(truce__tokens(data, sent[i].start, sent[i].end, &tok, &nt));
        for (size_t k = 0; k < nt; k++)
            ASSERT(tok[k].start >= sent[i].start && tok[k].end <= sent[i].end);
        truce__free(tok);
    }
    truce__free(sent);
}

/* fuzz_extract's path (without a gazetteer): a document, or a message. */
static void
replay_extract(const char *data, size_t size)
{
    struct truce_extract_opts o = {16925, "Asia/Damascus", "replay", NULL, NULL};
    char *doc = NULL;
    if (truce_extract(replay_ctx(), data, size, &o, NULL, &doc) == TRUCE_OK)
        ASSERT(doc && doc[0] == '{');
    else
        ASSERT(truce_ctx_errmsg(replay_ctx())[0]);
    free(doc);
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays the files of DIR (sorted, dot files and notes skipped); returns
 * how many. */
static size_t
replay_dir(const char *dir, void (*fn)(const char *, size_t))
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' ||
            (len > 3 && strcmp(e->d_name + len - 3, ".md") == 0))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = realloc(names, cap * sizeof(*names));
            ASSERT(names);
        }
        names[n] = strdup(e->d_name);
        ASSERT(names[n]);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_names);
    for (size_t i = 0; i < n; i++) {
        size_t size;
        char *data;
        snprintf(current, sizeof(current), "%s/%s", dir, names[i]);
        data = slurp(current, &size);
        fn(data, size);
        free(data);
        free(names[i]);
    }
    current[0] = '\0';
    free(names);
    return n;
}

static void
replay_target(const char *target, void (*fn)(const char *, size_t))
{
    char corpus[4096], regressions[4096];
    size_t n;
    watch_crashes();
    snprintf(corpus, sizeof(corpus), "%s", test_path("fuzz/corpus"));
    snprintf(regressions, sizeof(regressions), "%s",
             test_path("fuzz/regressions"));
    {
        char dir[4200];
        snprintf(dir, sizeof(dir), "%s/%s", corpus, target);
        n = replay_dir(dir, fn);
        /* The seeds are part of the tree: their absence is a setup error. */
        if (n == 0)
            FAIL_AT("no seed files in %s", dir);
        snprintf(dir, sizeof(dir), "%s/%s", regressions, target);
        replay_dir(dir, fn);
    }
    truce_ctx_free(the_ctx);
    the_ctx = NULL;
}

TEST(fuzz_replay_acled) { replay_target("acled", replay_acled); }
TEST(fuzz_replay_ucdp) { replay_target("ucdp", replay_ucdp); }
TEST(fuzz_replay_gdelt) { replay_target("gdelt", replay_gdelt); }
TEST(fuzz_replay_jsonl) { replay_target("jsonl", replay_jsonl); }
TEST(fuzz_replay_csv) { replay_target("csv", replay_csv); }
TEST(fuzz_replay_agreement) { replay_target("agreement", replay_agreement); }
TEST(fuzz_replay_tzif) { replay_target("tzif", replay_tzif); }
TEST(fuzz_replay_gazetteer) { replay_target("gazetteer", replay_gazetteer); }
TEST(fuzz_replay_text) { replay_target("text", replay_text); }
TEST(fuzz_replay_extract) { replay_target("extract", replay_extract); }
