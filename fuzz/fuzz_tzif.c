/*
 * fuzz_tzif.c - libFuzzer target: the TZif reader behind truce_tz_load
 * (src/time.c: the headers, the data blocks, the footer's POSIX TZ string
 * and its expansion into the change table).
 *
 * Each input is read as a zone file from memory (truce__tz_parse, the
 * function truce__tz_load_at hands a file's bytes to). A rejected input
 * must leave no zone and a message naming the zone; an accepted one is
 * queried as the rest of truce queries zones: truce_tz_offset at instants
 * from before 1900 to after 2100 (every offset must lie within RFC 8536's
 * -25 h to +26 h) and truce_tz_to_utc at the local times of the same
 * instants. A broken invariant aborts. Only the context is kept between
 * inputs, so any leak LeakSanitizer reports is real.
 */
#include "truce_int.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct truce_ctx *ctx;

static void
check_offset(int32_t off)
{
    if (off < -89999 || off > 93599) {
        fprintf(stderr, "fuzz_tzif: offset %ld out of range\n", (long)off);
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* 1800, 1900, 1970, 2000, 2038, 2100, 2200 and between. */
    static const int64_t at[] = {
        -5364662400LL, -2208988801LL, -2208988800LL, -1000000000LL, 0,
        946684800LL, 1459036800LL, 2147483647LL, 2147483648LL,
        4102444799LL, 4102444800LL, 7258118400LL};
    struct truce_tz *tz = (struct truce_tz *)&ctx; /* must become NULL */
    truce_status st;
    if (!ctx && truce_ctx_new(&ctx) != TRUCE_OK)
        abort();
    st = truce__tz_parse(ctx, "fuzz", data, size, &tz);
    if (st != TRUCE_OK) {
        if (tz != NULL || (st != TRUCE_EPARSE && st != TRUCE_ENOMEM) ||
            !strstr(truce_ctx_errmsg(ctx), st == TRUCE_ENOMEM
                                                ? "out of memory"
                                                : "time zone 'fuzz': ")) {
            fprintf(stderr, "fuzz_tzif: bad failure: %s: %s\n",
                    truce_strerror(st), truce_ctx_errmsg(ctx));
            abort();
        }
        return 0;
    }
    if (strcmp(truce_tz_name(tz), "fuzz") != 0)
        abort();
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        for (int64_t d = -86400; d <= 86400; d += 3600) {
            int64_t t = at[i] + d;
            int32_t off = truce_tz_offset(tz, t);
            check_offset(off);
            (void)truce_tz_to_utc(tz, t + off);
            (void)truce_tz_to_utc(tz, t);
        }
    }
    truce_tz_free(tz);
    return 0;
}
