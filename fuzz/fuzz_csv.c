/*
 * fuzz_csv.c - libFuzzer target: the raw CSV tokenizer (src/csv.c).
 *
 * Each input is tokenized twice over truce__input_open_mem: as RFC 4180
 * CSV (',' with quotes, the ACLED and UCDP dialect) and as tab-separated
 * text without quoting (GDELT). Besides the sanitizers, the invariants of
 * struct truce__csv are checked after every record: at most 256 fields,
 * every field inside the data buffer and NUL-terminated, the caps on the
 * data and raw buffers, line numbers that never go back, and progress (a
 * record consumes at least one byte). A broken invariant aborts.
 */
#include "truce_int.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, char delim)
{
    fprintf(stderr, "fuzz_csv: delimiter '%s': %s\n",
            delim == '\t' ? "\\t" : ",", what);
    abort();
}

static void
check_record(const struct truce__csv *c, char delim)
{
    if (c->nf == 0 || c->nf > TRUCE_CSV_MAX_FIELDS)
        fail("field count out of range", delim);
    if (c->data.len > TRUCE_CSV_MAX_RECORD ||
        c->raw.len > TRUCE_CSV_MAX_RECORD + 8)
        fail("record over its cap", delim);
    for (size_t i = 0; i < c->nf; i++) {
        size_t len;
        const char *f = truce__csv_field(c, i, &len);
        if (c->starts[i] > c->data.len || len > c->data.len - c->starts[i])
            fail("field outside the data buffer", delim);
        if (f[len] != '\0')
            fail("field not NUL-terminated", delim);
        if (i && c->starts[i] < c->starts[i - 1] + c->lens[i - 1] + 1)
            fail("fields overlap", delim);
    }
}

static void
tokenize(const uint8_t *data, size_t size, char delim, bool quotes)
{
    struct truce__input *in = NULL;
    struct truce__csv c;
    size_t calls = 0;
    long last_line = 0;
    if (truce__input_open_mem((const char *)data, size, &in) != TRUCE_OK)
        return;
    truce__csv_init(&c, in, delim, quotes);
    for (;;) {
        truce_status st = truce__csv_next(&c);
        if (st == TRUCE_EOF || st == TRUCE_EIO)
            break;
        if (++calls > size + 1)
            fail("no progress", delim);
        if (c.line < last_line || c.line < 1)
            fail("line number went back", delim);
        last_line = c.line;
        if (st == TRUCE_OK)
            check_record(&c, delim);
        else if (st != TRUCE_EPARSE || !c.err[0])
            fail("a failure without a reason", delim);
    }
    truce__csv_release(&c);
    truce__input_free(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tokenize(data, size, ',', true);
    tokenize(data, size, '\t', false);
    return 0;
}
