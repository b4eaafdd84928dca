/*
 * fuzz_extract.c - libFuzzer target: the news extractor (src/extract.c)
 * over any bytes, with the labelled set's gazetteer
 * (tests/data/news/gazetteer.csv, read once; run from the repository
 * top). Every input that is UTF-8 must give a JSON document whose
 * findings' spans lie in the input and whose sentences are exactly those
 * bytes; any other input must be refused with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <truce/truce.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct truce_ctx *ctx;
static struct truce_gazetteer *gz;

static void
setup(void)
{
    if (truce_ctx_new(&ctx) ||
        truce_gazetteer_from_file(ctx, "tests/data/news/gazetteer.csv", &gz,
                                  NULL)) {
        fprintf(stderr, "fuzz_extract: run from the repository top\n");
        abort();
    }
}

static void
check_spans(json_t *list, const uint8_t *data, size_t size)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
        json_t *span = json_object_get(x, "span");
        json_int_t a = json_integer_value(json_array_get(span, 0)),
                   b = json_integer_value(json_array_get(span, 1));
        const char *s = json_string_value(json_object_get(x, "sentence"));
        if (a < 0 || b <= a || (size_t)b > size || !s ||
            strlen(s) != (size_t)(b - a) || memcmp(s, data + a, (size_t)(b - a)))
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct truce_extract_opts o = {16925, "Asia/Damascus", "fuzz", NULL, NULL};
    char *doc = NULL;
    json_t *d;
    if (!ctx)
        setup();
    if (memchr(data, 0, size))
        return 0; /* a NUL cannot be in a JSON string of ours */
    if (truce_extract(ctx, (const char *)data, size, &o, gz, &doc)) {
        if (!truce_ctx_errmsg(ctx)[0])
            abort();
        return 0;
    }
    if (!(d = json_loads(doc, 0, NULL)))
        abort();
    check_spans(json_object_get(d, "incidents"), data, size);
    check_spans(json_object_get(d, "agreements"), data, size);
    json_decref(d);
    free(doc);
    return 0;
}
