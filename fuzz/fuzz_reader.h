/*
 * fuzz_reader.h - what the reader fuzz targets share: open the input as one
 * format with truce_reader_open_mem, drain it until TRUCE_EOF or TRUCE_EIO,
 * write every good event as JSON and drop it. Only the context lives across
 * inputs, so LeakSanitizer sees every per-input object freed.
 */
#ifndef TRUCE_FUZZ_READER_H
#define TRUCE_FUZZ_READER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <truce/truce.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct truce_ctx *ctx;

static void
quiet(void *ud, const char *msg)
{
    (void)ud;
    (void)msg;
}

static int
fuzz_reader(const uint8_t *data, size_t size, enum truce_format fmt,
            const char *name)
{
    struct truce_reader *r = NULL;
    struct truce_event ev;
    struct truce_buf json;
    size_t calls = 0;
    if (!ctx) {
        if (truce_ctx_new(&ctx) != TRUCE_OK)
            abort();
        truce_ctx_set_warn(ctx, quiet, NULL);
    }
    if (truce_reader_open_mem(ctx, (const char *)data, size, "fuzz", fmt,
                              &r) != TRUCE_OK)
        return 0;
    truce_event_init(&ev);
    truce_buf_init(&json, 0);
    for (;;) {
        truce_status st = truce_reader_next(r, &ev);
        if (st == TRUCE_EOF || st == TRUCE_EIO)
            break;
        /* Every record consumes at least one byte: more calls than bytes
         * means the reader stopped making progress. */
        if (++calls > size + 1) {
            fprintf(stderr, "%s: reader makes no progress\n", name);
            abort();
        }
        if (st == TRUCE_OK) {
            truce_buf_reset(&json);
            if (truce_event_to_json(&ev, NULL, 0, TRUCE_V_NOT_COVERED, false,
                                    NULL, &json) != TRUCE_OK)
                abort();
        }
    }
    truce_buf_release(&json);
    truce_event_release(&ev);
    truce_reader_free(r);
    return 0;
}

#endif
