/*
 * test_csv.c - the streaming input window, the RFC 4180 tokenizer
 * (truce__csv_*) and the JSON Lines line reader (truce__input_line).
 *
 * Most cases run twice: over a memory buffer and over a temporary file, since
 * the two go through different code (the file through a 64 KiB window).
 */
#define _GNU_SOURCE 1
#include "test.h"

#include "truce_int.h"

#include <unistd.h>

/* ------------------------------------------------------------ helpers */

enum src { SRC_MEM, SRC_FILE };

struct tok {
    struct truce__input *in;
    struct truce__csv c;
    char path[64];
};

/* The temporary file of the running test (one process per test), removed
 * at exit even when an assertion ends the test. */
static char cleanup_path[64];

static void
cleanup_at_exit(void)
{
    if (cleanup_path[0])
        unlink(cleanup_path);
}

static void
tok_open(struct tok *t, enum src src, const char *data, size_t n, char delim,
         bool quotes)
{
    memset(t, 0, sizeof(*t));
    if (src == SRC_MEM) {
        ASSERT_OK(truce__input_open_mem(data, n, &t->in));
    } else {
        int fd;
        snprintf(t->path, sizeof(t->path), "/tmp/truce-csv-XXXXXX");
        fd = mkstemp(t->path);
        ASSERT(fd >= 0);
        snprintf(cleanup_path, sizeof(cleanup_path), "%s", t->path);
        atexit(cleanup_at_exit);
        ASSERT(write(fd, data, n) == (ssize_t)n);
        close(fd);
        ASSERT_OK(truce__input_open_file(t->path, &t->in));
    }
    truce__csv_init(&t->c, t->in, delim, quotes);
}

static void
tok_close(struct tok *t)
{
    truce__csv_release(&t->c);
    truce__input_free(t->in);
    if (t->path[0])
        unlink(t->path);
}

/* Reads the next record and checks its status, line and fields (a NULL
 * terminated list). */
static void
expect_rec(struct tok *t, long line, const char *const *fields)
{
    truce_status st = truce__csv_next(&t->c);
    size_t n = 0;
    if (st != TRUCE_OK)
        FAIL_AT("csv_next returned %s (%s), expected a record at line %ld",
                truce_strerror(st), t->c.err, line);
    while (fields[n])
        n++;
    if (t->c.nf != n)
        FAIL_AT("record at line %ld has %zu fields, expected %zu", t->c.line,
                t->c.nf, n);
    if (t->c.line != line)
        FAIL_AT("record begins at line %ld, expected %ld", t->c.line, line);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *f = truce__csv_field(&t->c, i, &len);
        if (len != strlen(fields[i]) || memcmp(f, fields[i], len) != 0)
            FAIL_AT("line %ld field %zu is \"%.*s\", expected \"%s\"", line,
                    i, (int)len, f, fields[i]);
        ASSERT(f[len] == '\0');
    }
}

#define REC(t, line, ...)                                                   \
    do {                                                                    \
        static const char *const f_[] = {__VA_ARGS__, NULL};                \
        expect_rec((t), (line), f_);                                        \
    } while (0)

static void
expect_status(struct tok *t, truce_status want)
{
    truce_status st = truce__csv_next(&t->c);
    if (st != want)
        FAIL_AT("csv_next returned %s, expected %s", truce_strerror(st),
                truce_strerror(want));
}

/* Runs body for a memory buffer and for a file with the same bytes. */
#define BOTH(data, n, delim, quotes, ...)                                   \
    do {                                                                    \
        for (int s_ = SRC_MEM; s_ <= SRC_FILE; s_++) {                      \
            struct tok t_;                                                  \
            struct tok *t = &t_;                                            \
            tok_open(t, (enum src)s_, (data), (n), (delim), (quotes));      \
            __VA_ARGS__;                                                    \
            tok_close(t);                                                   \
        }                                                                   \
    } while (0)

/* The same over a string literal (its length without the NUL). */
#define BOTHS(lit, delim, quotes, ...)                                      \
    BOTH(lit, sizeof(lit) - 1, delim, quotes, __VA_ARGS__)

/* ------------------------------------------------------------ records */

TEST(csv_plain_fields)
{
    BOTHS("a,b,c\n1,,3\n,\n", ',', true, {
        REC(t, 1, "a", "b", "c");
        REC(t, 2, "1", "", "3");
        REC(t, 3, "", "");
        expect_status(t, TRUCE_EOF);
        expect_status(t, TRUCE_EOF);
    });
}

TEST(csv_quoted_fields)
{
    BOTHS("\"x, y\",z,\"\"\n\"he said \"\"hi\"\"\",\"\"\"\"\n", ',', true, {
        REC(t, 1, "x, y", "z", "");
        REC(t, 2, "he said \"hi\"", "\"");
        expect_status(t, TRUCE_EOF);
    });
}

TEST(csv_newlines_inside_quotes_count_lines)
{
    BOTHS("id,notes\n1,\"first line\nsecond line\nthird\"\n2,plain\n"
           "3,\"crlf\r\ninside\"\r\n4,x\r\n",
         ',', true, {
             REC(t, 1, "id", "notes");
             REC(t, 2, "1", "first line\nsecond line\nthird");
             REC(t, 5, "2", "plain");
             REC(t, 6, "3", "crlf\r\ninside");
             REC(t, 8, "4", "x");
             expect_status(t, TRUCE_EOF);
         });
}

TEST(csv_crlf_and_lf)
{
    BOTHS("a,b\r\nc,d\ne,f\r\n", ',', true, {
        REC(t, 1, "a", "b");
        REC(t, 2, "c", "d");
        REC(t, 3, "e", "f");
        expect_status(t, TRUCE_EOF);
    });
}

TEST(csv_utf8_bom)
{
    BOTHS("\xEF\xBB\xBF" "event_id_cnty,year\nSYR1,2016\n", ',', true, {
        REC(t, 1, "event_id_cnty", "year");
        REC(t, 2, "SYR1", "2016");
        expect_status(t, TRUCE_EOF);
    });
    /* A BOM later in the input is data, not skipped. */
    BOTHS("a\n\xEF\xBB\xBF" "b\n", ',', true, {
        REC(t, 1, "a");
        REC(t, 2, "\xEF\xBB\xBF" "b");
    });
    /* A BOM alone is an empty input. */
    BOTHS("\xEF\xBB\xBF", ',', true, { expect_status(t, TRUCE_EOF); });
}

TEST(csv_blank_lines_between_records)
{
    BOTHS("a\n\n\nb\r\n\r\nc,d\n\n", ',', true, {
        REC(t, 1, "a");
        REC(t, 4, "b");
        REC(t, 6, "c", "d");
        expect_status(t, TRUCE_EOF);
    });
}

TEST(csv_empty_input)
{
    BOTH("", 0, ',', true, {
        expect_status(t, TRUCE_EOF);
        expect_status(t, TRUCE_EOF);
    });
    BOTHS("\n\r\n\n", ',', true, { expect_status(t, TRUCE_EOF); });
}

TEST(csv_final_line_without_newline)
{
    BOTHS("a,b\nc,d", ',', true, {
        REC(t, 1, "a", "b");
        REC(t, 2, "c", "d");
        expect_status(t, TRUCE_EOF);
    });
    BOTHS("a,\"q,\"\"r\"\"\"", ',', true, {
        REC(t, 1, "a", "q,\"r\"");
        expect_status(t, TRUCE_EOF);
    });
}

TEST(csv_unterminated_quote)
{
    BOTHS("a,b\n1,\"never closed\n2,3\n", ',', true, {
        REC(t, 1, "a", "b");
        expect_status(t, TRUCE_EPARSE);
        ASSERT(strstr(t->c.err, "unterminated") != NULL);
        expect_status(t, TRUCE_EOF);
    });
}

TEST(csv_tab_separated_without_quotes)
{
    BOTHS("a\t\"b\tc\"\t\n1\t2,3\t\"\n", '\t', false, {
        REC(t, 1, "a", "\"b", "c\"", "");
        REC(t, 2, "1", "2,3", "\"");
        expect_status(t, TRUCE_EOF);
    });
}

/* ------------------------------------------------------------- limits */

static char *
big_input(const char *head, size_t fill, char c, const char *tail,
          size_t *n)
{
    size_t hn = strlen(head), tn = strlen(tail);
    char *s = malloc(hn + fill + tn + 1);
    ASSERT(s != NULL);
    memcpy(s, head, hn);
    memset(s + hn, c, fill);
    memcpy(s + hn + fill, tail, tn + 1);
    *n = hn + fill + tn;
    return s;
}

TEST(csv_record_over_1mib)
{
    size_t n;
    char *s = big_input("ok,1\n", TRUCE_CSV_MAX_RECORD + 100, 'X',
                        ",y\nafter,2\n", &n);
    BOTH(s, n, ',', true, {
        REC(t, 1, "ok", "1");
        expect_status(t, TRUCE_EPARSE);
        ASSERT(strstr(t->c.err, "1 MiB") != NULL);
        REC(t, 3, "after", "2");
        expect_status(t, TRUCE_EOF);
    });
    free(s);
    /* Over the cap in many small fields. */
    {
        size_t k = 0, nfields = 200;
        size_t each = TRUCE_CSV_MAX_RECORD / 150;
        char *m = malloc(nfields * (each + 1) + 64);
        memcpy(m, "h\n", 2);
        k = 2;
        for (size_t i = 0; i < nfields; i++) {
            memset(m + k, 'a' + (int)(i % 26), each);
            k += each;
            m[k++] = i + 1 < nfields ? ',' : '\n';
        }
        memcpy(m + k, "next\n", 5);
        k += 5;
        BOTH(m, k, ',', true, {
            REC(t, 1, "h");
            expect_status(t, TRUCE_EPARSE);
            REC(t, 3, "next");
            expect_status(t, TRUCE_EOF);
        });
        free(m);
    }
}

/* A record just under the cap is read whole. */
TEST(csv_record_just_under_1mib)
{
    size_t n;
    char *s = big_input("\"", TRUCE_CSV_MAX_RECORD - 16, 'Q',
                        "\",z\nafter\n", &n);
    BOTH(s, n, ',', true, {
        size_t len;
        ASSERT_OK(truce__csv_next(&t->c));
        ASSERT_EQ_INT(t->c.nf, 2);
        truce__csv_field(&t->c, 0, &len);
        ASSERT_EQ_INT(len, TRUCE_CSV_MAX_RECORD - 16);
        REC(t, 2, "after");
    });
    free(s);
}

/* A field of exactly the cap: whether the record is taken or refused, the
 * record after it must still be read. */
TEST(csv_record_at_1mib_boundary_keeps_next)
{
    size_t n;
    char *s = big_input("", TRUCE_CSV_MAX_RECORD, 'B', "\nnext,1\n", &n);
    BOTH(s, n, ',', true, {
        truce_status st = truce__csv_next(&t->c);
        ASSERT(st == TRUCE_OK || st == TRUCE_EPARSE);
        REC(t, 2, "next", "1");
        expect_status(t, TRUCE_EOF);
    });
    free(s);
}

/* An over-long quoted field that holds line breaks: the whole record is
 * skipped, not just its first physical line, and the next record is read. */
TEST(csv_record_over_1mib_quoted_multiline)
{
    size_t n;
    char *s = big_input("a,b\n1,\"", TRUCE_CSV_MAX_RECORD + 10, 'M',
                        "\nstill, inside\nthe field\",9\nafter,2\n", &n);
    BOTH(s, n, ',', true, {
        REC(t, 1, "a", "b");
        expect_status(t, TRUCE_EPARSE);
        REC(t, 5, "after", "2");
        expect_status(t, TRUCE_EOF);
    });
    free(s);
}

static char *
columns(size_t ncols, const char *tail, size_t *n)
{
    struct truce_buf b;
    truce_buf_init(&b, 0);
    for (size_t i = 0; i < ncols; i++)
        truce_buf_addf(&b, "%s%zu", i ? "," : "", i);
    truce_buf_adds(&b, tail);
    *n = b.len;
    return truce_buf_detach(&b);
}

TEST(csv_256_columns_accepted)
{
    size_t n;
    char *s = columns(256, "\nnext\n", &n);
    BOTH(s, n, ',', true, {
        size_t len;
        ASSERT_OK(truce__csv_next(&t->c));
        ASSERT_EQ_INT(t->c.nf, 256);
        ASSERT_EQ_STR(truce__csv_field(&t->c, 255, &len), "255");
        ASSERT_EQ_STR(truce__csv_field(&t->c, 0, &len), "0");
        /* Past the last field: "" and length 0. */
        ASSERT_EQ_STR(truce__csv_field(&t->c, 256, &len), "");
        ASSERT_EQ_INT(len, 0);
        REC(t, 2, "next");
    });
    free(s);
}

TEST(csv_more_than_256_columns)
{
    size_t n;
    char *s = columns(300, "\nnext,1\n", &n);
    BOTH(s, n, ',', true, {
        expect_status(t, TRUCE_EPARSE);
        ASSERT(strstr(t->c.err, "256") != NULL);
        REC(t, 2, "next", "1");
        expect_status(t, TRUCE_EOF);
    });
    free(s);
}

/* 257 columns: the 257th field ends at the line end, not at a delimiter;
 * the record after it must not be swallowed. */
TEST(csv_257_columns_keeps_next_record)
{
    size_t n;
    char *s = columns(257, "\nnext,1\nlast\n", &n);
    BOTH(s, n, ',', true, {
        expect_status(t, TRUCE_EPARSE);
        REC(t, 2, "next", "1");
        REC(t, 3, "last");
        expect_status(t, TRUCE_EOF);
    });
    free(s);
}

/* Many records through the file window (64 KiB): quoted fields, doubled
 * quotes, CRLF and embedded newlines land on window boundaries. Expected
 * fields and line numbers come from the generator. */
TEST(csv_many_records_across_windows)
{
    struct truce_buf b;
    size_t nrec = 6000;
    long *lines = calloc(nrec, sizeof(long));
    long line = 1;
    truce_buf_init(&b, 0);
    for (size_t i = 0; i < nrec; i++) {
        lines[i] = line;
        truce_buf_addf(&b, "%zu,\"q, %zu \"\"x\"\"\",\"l1\nl2\"%s", i, i,
                       i % 3 ? "\r\n" : "\n");
        line += 2;
    }
    BOTH(b.buf, b.len, ',', true, {
        for (size_t i = 0; i < nrec; i++) {
            char f0[32], f1[64];
            const char *fields[] = {f0, f1, "l1\nl2", NULL};
            snprintf(f0, sizeof(f0), "%zu", i);
            snprintf(f1, sizeof(f1), "q, %zu \"x\"", i);
            expect_rec(t, lines[i], fields);
        }
        expect_status(t, TRUCE_EOF);
    });
    truce_buf_release(&b);
    free(lines);
}

TEST(csv_peek_line)
{
    BOTHS("\xEF\xBB\xBF" "a,b\r\nc\n", ',', true, {
        char out[64];
        size_t k = truce__input_peek_line(t->in, out, sizeof(out));
        ASSERT_EQ_INT(k, 3);
        ASSERT_EQ_STR(out, "a,b");
        /* Peeking does not consume. */
        REC(t, 1, "a", "b");
        REC(t, 2, "c");
    });
}

/* --------------------------------------------------------- JSON Lines */

static void
expect_line(struct truce__input *in, struct truce_buf *b, const char *want,
            long want_line)
{
    long line = 0;
    truce_status st = truce__input_line(in, b, &line);
    if (st != TRUCE_OK)
        FAIL_AT("input_line returned %s, expected \"%s\"", truce_strerror(st),
                want);
    ASSERT_EQ_STR(b->buf, want);
    ASSERT_EQ_INT(b->len, strlen(want));
    ASSERT_EQ_INT(line, want_line);
}

TEST(jsonl_lines_crlf)
{
    static const char data[] = "\xEF\xBB\xBF{\"id\":\"a\"}\r\n{\"id\":\"b\"}\r\n"
                               "\r\n{\"id\":\"c\\r\"}\n{\"id\":\"d\"}";
    for (int s = SRC_MEM; s <= SRC_FILE; s++) {
        struct tok t;
        struct truce_buf b;
        long line = 0;
        tok_open(&t, (enum src)s, data, sizeof(data) - 1, ',', true);
        truce_buf_init(&b, 0);
        expect_line(t.in, &b, "{\"id\":\"a\"}", 1);
        expect_line(t.in, &b, "{\"id\":\"b\"}", 2);
        expect_line(t.in, &b, "", 3);
        expect_line(t.in, &b, "{\"id\":\"c\\r\"}", 4);
        expect_line(t.in, &b, "{\"id\":\"d\"}", 5);
        ASSERT_EQ_INT(truce__input_line(t.in, &b, &line), TRUCE_EOF);
        ASSERT_EQ_INT(truce__input_line(t.in, &b, &line), TRUCE_EOF);
        truce_buf_release(&b);
        tok_close(&t);
    }
}

TEST(jsonl_overlong_line_skipped)
{
    size_t n;
    char *s = big_input("{\"a\":1}\n{\"x\":\"", TRUCE_CSV_MAX_RECORD + 5, 'x',
                        "\"}\r\n{\"b\":2}\r\n", &n);
    for (int src = SRC_MEM; src <= SRC_FILE; src++) {
        struct tok t;
        struct truce_buf b;
        long line = 0;
        tok_open(&t, (enum src)src, s, n, ',', true);
        truce_buf_init(&b, 0);
        expect_line(t.in, &b, "{\"a\":1}", 1);
        ASSERT_EQ_INT(truce__input_line(t.in, &b, &line), TRUCE_EPARSE);
        ASSERT_EQ_INT(line, 2);
        expect_line(t.in, &b, "{\"b\":2}", 3);
        ASSERT_EQ_INT(truce__input_line(t.in, &b, &line), TRUCE_EOF);
        truce_buf_release(&b);
        tok_close(&t);
    }
    free(s);
}

TEST(csv_missing_file_is_eio)
{
    struct truce__input *in = NULL;
    ASSERT_EQ_INT(truce__input_open_file("/nonexistent/truce/x.csv", &in),
                  TRUCE_EIO);
}

/* A file refused at its header: the message leaves the file and the line
 * to the caller, and the line is there; the next failure of another kind
 * names none. */
TEST(reader_open_error_line)
{
    static const char acled[] =
        "event_id_cnty,event_date,year,time_precision,event_type,actor1,"
        "longitude,geo_precision\nX1,2016-05-04,2016,1,Battles,A,37.1,1\n";
    struct truce_ctx *ctx;
    struct truce_reader *r = NULL;
    ASSERT(truce_ctx_new(&ctx) == TRUCE_OK);
    ASSERT_EQ_INT(truce_reader_open_mem(ctx, acled, sizeof(acled) - 1,
                                        "x.csv", TRUCE_FMT_ACLED, &r),
                  TRUCE_EPARSE);
    ASSERT(r == NULL);
    ASSERT_EQ_STR(truce_ctx_errmsg(ctx), "header has no column 'latitude'");
    ASSERT_EQ_INT(truce_ctx_errline(ctx), 1);
    ASSERT_EQ_INT(truce_reader_open_mem(ctx, "hello\n", 6, "y.txt",
                                        TRUCE_FMT_AUTO, &r),
                  TRUCE_EPARSE);
    ASSERT(strstr(truce_ctx_errmsg(ctx), "cannot tell the format") ==
           truce_ctx_errmsg(ctx));
    ASSERT_EQ_INT(truce_ctx_errline(ctx), 1);
    ASSERT_EQ_INT(truce_reader_open(ctx, "/nonexistent/z.csv",
                                    TRUCE_FMT_AUTO, &r),
                  TRUCE_EIO);
    ASSERT_EQ_STR(truce_ctx_errmsg(ctx),
                  "cannot open it: No such file or directory");
    ASSERT_EQ_INT(truce_ctx_errline(ctx), 0);
    truce_ctx_free(ctx);
}

/* A protected site only when one was hit: sentences in the manner of
 * ACLED's and UCDP's notes. */
static bool
protected_for(enum truce_category cat, const char *notes)
{
    struct truce_event ev;
    bool p;
    truce_event_init(&ev);
    ev.category = cat;
    ev.notes = strdup(notes);
    truce_event_flag_protected(&ev);
    p = ev.protected_site;
    truce_event_release(&ev);
    return p;
}

TEST(protected_site_only_when_hit)
{
    static const struct {
        enum truce_category cat;
        const char *notes;
        bool want;
    } cases[] = {
        {TRUCE_CAT_REMOTE_VIOLENCE, "On 3 May 2016, a rocket fired by "
         "opposition forces struck al-Dabeet maternity hospital in Aleppo "
         "city, killing 3 civilians.", true},
        {TRUCE_CAT_REMOTE_VIOLENCE, "Regime aircraft shelled a field "
         "hospital in Kafr Nabl, putting it out of service.", true},
        {TRUCE_CAT_REMOTE_VIOLENCE, "An airstrike hit a school in Haas; 22 "
         "children were killed.", true},
        {TRUCE_CAT_VAC, "Unidentified gunmen attacked an aid convoy near "
         "Urum al-Kubra, destroying 18 trucks.", true},
        {TRUCE_CAT_REMOTE_VIOLENCE, "The M2 hospital was damaged by barrel "
         "bombs dropped by a regime helicopter.", true},
        {TRUCE_CAT_ARMED_VIOLENCE, "Clinic destroyed in shelling by "
         "government forces", true},
        {TRUCE_CAT_BATTLE, "Clashes in Bustan al-Qasr. Government forces "
         "shelled the school used as a base by the rebels.", true},
        /* not a site that was hit */
        {TRUCE_CAT_PROTEST, "Medical interns protested outside the Ministry "
         "of Health demanding their salaries; the hospital staff joined "
         "the strike.", false},
        {TRUCE_CAT_BATTLE, "A civilian was killed and another was rushed to "
         "the hospital after clashes between the SAA and rebels.", false},
        {TRUCE_CAT_BATTLE, "Two fighters were wounded in an attack and taken "
         "to a hospital in Idleb.", false},
        {TRUCE_CAT_REMOTE_VIOLENCE, "A man died in hospital of wounds "
         "sustained in shelling last week.", false},
        {TRUCE_CAT_VAC, "Gunmen shot dead a nurse on her way home; she was "
         "transferred to the local hospital where she died.", false},
        {TRUCE_CAT_REMOTE_VIOLENCE, "Shelling of the market in Douma. "
         "Hospitals in the area reported 40 wounded.", false},
        {TRUCE_CAT_STRATEGIC, "Rebels looted the hospital stores.", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (protected_for(cases[i].cat, cases[i].notes) != cases[i].want)
            FAIL_AT("case %zu: protected_site should be %s: %s", i,
                    cases[i].want ? "true" : "false", cases[i].notes);
    }
}
