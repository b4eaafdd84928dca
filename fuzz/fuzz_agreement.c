/*
 * fuzz_agreement.c - libFuzzer target: agreement files and the actor
 * dictionary (src/agreement.c, src/actors.c, the GeoJSON path of
 * src/geo.c).
 *
 * Each input is parsed as an agreement file (truce_agreements_parse with no
 * base directory, not strict, so invalid rings are repaired), the set is
 * prepared against an empty dictionary (truce_actors_new_empty) whether or
 * not the parse succeeded (the agreements before a bad one stay in the
 * set), every agreement's info is read, and the same bytes are parsed as an
 * actor dictionary (truce_actors_parse). Everything but the context is
 * freed per input.
 *
 * Note: with no base directory a zone's "file" is opened as written (an
 * absolute path or one relative to the working directory), so run this
 * target from the repository top with stdin redirected from /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <truce/truce.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct truce_ctx *ctx;

/* Warnings (repaired rings, unknown members) are formatted and dropped. */
static void
quiet(void *ud, const char *msg)
{
    *(size_t *)ud += strlen(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static size_t warned;
    struct truce_agreements *set = NULL;
    struct truce_actors *empty = NULL, *dict = NULL;
    const char *text = (const char *)data;
    if (!ctx) {
        if (truce_ctx_new(&ctx) != TRUCE_OK)
            abort();
        truce_ctx_set_warn(ctx, quiet, &warned);
    }
    if (truce_agreements_new(ctx, &set) != TRUCE_OK ||
        truce_actors_new_empty(&empty) != TRUCE_OK)
        abort();
    (void)truce_agreements_parse(ctx, set, text, size, "fuzz", NULL, false);
    if (truce_agreements_prepare(ctx, set, empty) == TRUCE_OK) {
        for (size_t i = 0; i < truce_agreements_count(set); i++) {
            struct truce_agreement_info info;
            truce_agreements_info(set, i, &info);
            if (!info.id || !info.json ||
                truce_agreements_find(set, info.id) != (long)i)
                abort();
        }
    }
    truce_agreements_free(set);
    truce_actors_free(empty);
    if (truce_actors_parse(ctx, text, size, "fuzz", &dict) == TRUCE_OK) {
        size_t n = truce_actors_count(dict);
        for (size_t i = 0; i < n; i++) {
            if (truce_actors_find_id(dict, truce_actors_id(dict, (long)i)) !=
                (long)i)
                abort();
        }
        truce_actors_free(dict);
    }
    return 0;
}
