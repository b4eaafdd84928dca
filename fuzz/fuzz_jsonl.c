/*
 * fuzz_jsonl.c - libFuzzer target: the truce JSON Lines reader
 * (one event object a line, DESIGN section 6).
 *
 * Each input is opened with truce_reader_open_mem as TRUCE_FMT_JSONL and
 * drained until TRUCE_EOF or TRUCE_EIO; every good event is also written as
 * JSON (truce_event_to_json) and dropped. Only the context lives across
 * inputs, so LeakSanitizer sees every per-input object freed. Built and run
 * by scripts/build-fuzz.sh (`make fuzz`); the files of fuzz/corpus/jsonl and
 * fuzz/regressions/jsonl are replayed by tests/unit/test_fuzz_regressions.c.
 */
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
    if (truce_reader_open_mem(ctx, (const char *)data, size, "fuzz",
                              TRUCE_FMT_JSONL, &r) != TRUCE_OK)
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
            fprintf(stderr, "fuzz_jsonl: reader makes no progress\n");
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
