/*
 * fuzz_gazetteer.c - libFuzzer target: gazetteer files (src/gazread.c)
 * and the index of places (src/gazetteer.c).
 *
 * Each input is read as a gazetteer file (a GeoNames dump or a headed
 * CSV, as the first line says) with truce_gazetteer_reader_open_mem,
 * every place is added to a gazetteer, and once finished every place
 * must be found by its own name (when the name has a key) and every
 * place a lookup returns must be one of the gazetteer's. The same bytes
 * are also looked up as a name. Only the context lives across inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <truce/truce.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct truce_ctx *ctx;

static bool
known(const struct truce_gazetteer *gz, const struct truce_place *p)
{
    for (size_t i = 0; i < truce_gazetteer_count(gz); i++)
        if (truce_gazetteer_place(gz, i) == p)
            return true;
    return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct truce_gazetteer_reader *r = NULL;
    struct truce_gazetteer *gz = NULL;
    struct truce_place p;
    const struct truce_place *hits[8];
    struct truce_buf key;
    size_t calls = 0;
    truce_status st;
    if (!ctx && truce_ctx_new(&ctx) != TRUCE_OK)
        abort();
    if (truce_gazetteer_new(ctx, &gz) != TRUCE_OK)
        abort();
    truce_place_init(&p);
    if (truce_gazetteer_reader_open_mem(ctx, (const char *)data, size, "fuzz",
                                        NULL, &r) == TRUCE_OK) {
        while ((st = truce_gazetteer_reader_next(r, &p)) != TRUCE_EOF &&
               st != TRUCE_EIO) {
            if (++calls > size + 2)
                abort(); /* no progress */
            if (st == TRUCE_OK && truce_gazetteer_add(ctx, gz, &p) != TRUCE_OK)
                abort(); /* a place read is a place that can be added */
        }
        truce_gazetteer_reader_free(r);
    }
    truce_place_release(&p);
    if (truce_gazetteer_finish(ctx, gz) != TRUCE_OK)
        abort();
    truce_buf_init(&key, 0);
    for (size_t i = 0; i < truce_gazetteer_count(gz); i++) {
        const struct truce_place *q = truce_gazetteer_place(gz, i);
        size_t n = truce_gazetteer_find(gz, q->name, strlen(q->name), hits, 8);
        key.len = 0;
        if (truce_place_key(q->name, strlen(q->name), &key) == TRUCE_OK &&
            key.len > 0 && n == 0)
            abort(); /* a place not found by its own name */
        for (size_t k = 0; k < n && k < 8; k++)
            if (!known(gz, hits[k]))
                abort();
    }
    truce_buf_release(&key);
    {
        size_t n = truce_gazetteer_find(gz, (const char *)data, size, hits, 8);
        for (size_t k = 0; k < n && k < 8; k++)
            if (!known(gz, hits[k]))
                abort();
    }
    truce_gazetteer_free(gz);
    return 0;
}
