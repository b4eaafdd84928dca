/*
 * test_tzif.c - the TZif reader behind truce_tz_load (src/time.c).
 *
 * The oracle is the C library: each test sets TZ in its own (forked)
 * process, which the library itself never does, and reads the same file
 * with localtime_r. For the zones below truce_tz_offset must equal
 * tm_gmtoff at every hour from 1970 to 2037, at instants every 7 h 13 min
 * 21 s from 2037 to 2100 (the footer's rule, past the file's last
 * transition), and on both sides of every change the C library shows,
 * found to the second by bisection. truce_tz_to_utc must keep the rule of
 * include/truce/truce.h: a skipped local time maps to the instant of the
 * change, a repeated one to its first occurrence; that is checked against
 * a brute-force search over the C library's offsets around each change.
 *
 * Hand-built files (the builder below) cover the footer's rare forms (Jn,
 * n, negative and >24 h times, all-year daylight-saving time), version 1
 * files, leap-second records, and hostile files: each must be a clean
 * TRUCE_EPARSE whose message names the zone and the fault.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include "truce_int.h"

#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HOUR 3600LL
#define DAY 86400LL
#define Y1970 0LL
#define Y2037 2114380800LL /* 2037-01-01 */
#define Y2100 4102444800LL /* 2100-01-01 */
#define ZONEINFO "/usr/share/zoneinfo"

/* ------------------------------------------------------ the C library */

/* Points the C library at the TZif file at path. */
static void
libc_zone(const char *path)
{
    char env[4200];
    snprintf(env, sizeof(env), ":%s", path);
    ASSERT(setenv("TZ", env, 1) == 0);
    tzset();
}

static int32_t
libc_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        FAIL_AT("localtime_r(%lld) failed", (long long)t);
    return (int32_t)tm.tm_gmtoff;
}

/* ------------------------------------------------ comparing with it */

struct change {
    int64_t at;
    int32_t before, after;
};

struct changes {
    struct change v[4096];
    size_t n;
};

static void
check_offset(const struct truce_tz *tz, const char *label, int64_t t,
             int32_t want)
{
    char when[32];
    int32_t got = truce_tz_offset(tz, t);
    if (got != want) {
        truce_format_utc(t, when);
        FAIL_AT("%s at %s (%lld): truce %d s, C library %d s", label, when,
                (long long)t, got, want);
    }
}

/* The local time t + off read back: t itself, or an earlier instant with
 * the same local time (its first occurrence). */
static void
check_round_trip(const struct truce_tz *tz, const char *label, int64_t t,
                 int32_t off)
{
    int64_t u = truce_tz_to_utc(tz, t + off);
    if (u != t && !(u < t && u + truce_tz_offset(tz, u) == t + off))
        FAIL_AT("%s: truce_tz_to_utc(local of %lld) = %lld", label,
                (long long)t, (long long)u);
}

/* One sample; a change since the previous one (at t - step) is found to
 * the second and checked on both sides. */
static void
sample(const struct truce_tz *tz, const char *label, int64_t t, int64_t step,
       int32_t *prev, struct changes *ch)
{
    int32_t off = libc_offset(t);
    check_offset(tz, label, t, off);
    check_round_trip(tz, label, t, off);
    if (off != *prev) {
        int64_t lo = t - step, hi = t;
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (libc_offset(mid) == *prev)
                lo = mid;
            else
                hi = mid;
        }
        check_offset(tz, label, hi - 1, *prev);
        check_offset(tz, label, hi, libc_offset(hi));
        if (ch->n < sizeof(ch->v) / sizeof(ch->v[0])) {
            ch->v[ch->n].at = hi;
            ch->v[ch->n].before = *prev;
            ch->v[ch->n].after = libc_offset(hi);
            ch->n++;
        }
        *prev = off;
    }
}

/* Every hour of 1970-2037, then odd instants to 2100. */
static void
compare_offsets(const struct truce_tz *tz, const char *label,
                struct changes *ch)
{
    const int64_t odd = 7 * HOUR + 13 * 60 + 21;
    int32_t prev = libc_offset(Y1970);
    int64_t t;
    ch->n = 0;
    for (t = Y1970; t < Y2037; t += HOUR)
        sample(tz, label, t, HOUR, &prev, ch);
    for (; t < Y2100; t += odd)
        sample(tz, label, t, odd, &prev, ch);
}

/* What truce_tz_to_utc(lt) must be, by brute force over the C library:
 * the first instant whose local time is lt, or in a gap the instant of
 * the change that skipped it. */
static int64_t
expected_utc(int64_t lt, const struct change *c, const char *label)
{
    int32_t offs[64];
    size_t n = 0;
    int64_t best = INT64_MAX;
    offs[n++] = c->before;
    offs[n++] = c->after;
    /* Every offset within reach: |offset| < 26 h. */
    for (int64_t t = lt - 27 * HOUR; t <= lt + 27 * HOUR; t += HOUR) {
        int32_t o = libc_offset(t);
        size_t i = 0;
        while (i < n && offs[i] != o)
            i++;
        if (i == n && n < 64)
            offs[n++] = o;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t u = lt - offs[i];
        if (libc_offset(u) == offs[i] && u < best)
            best = u;
    }
    if (best != INT64_MAX)
        return best;
    if (lt >= c->at + c->before && lt < c->at + c->after)
        return c->at;
    FAIL_AT("%s: local %lld is in no gap of the change at %lld", label,
            (long long)lt, (long long)c->at);
}

static void
check_to_utc_at(const struct truce_tz *tz, const char *label, int64_t lt,
                const struct change *c)
{
    char when[32];
    int64_t want = expected_utc(lt, c, label), got = truce_tz_to_utc(tz, lt);
    if (got != want) {
        truce_format_utc(lt, when);
        FAIL_AT("%s: truce_tz_to_utc(local %s) = %lld, expected %lld "
                "(change at %lld from %d s to %d s)", label, when,
                (long long)got, (long long)want, (long long)c->at, c->before,
                c->after);
    }
}

/* Local times every quarter hour from 2 h before to 2 h after each change
 * (gap or overlap), and the four edges to the second. */
static void
compare_to_utc(const struct truce_tz *tz, const char *label,
               const struct changes *ch)
{
    for (size_t i = 0; i < ch->n; i++) {
        const struct change *c = &ch->v[i];
        int64_t a = c->at + c->before, b = c->at + c->after;
        int64_t lo = (a < b ? a : b) - 2 * HOUR, hi = (a < b ? b : a) +
                                                      2 * HOUR;
        for (int64_t lt = lo; lt <= hi; lt += 15 * 60)
            check_to_utc_at(tz, label, lt, c);
        check_to_utc_at(tz, label, a - 1, c);
        check_to_utc_at(tz, label, a, c);
        check_to_utc_at(tz, label, b - 1, c);
        check_to_utc_at(tz, label, b, c);
    }
}

/* Loads zone name through truce_tz_load and compares it with the C
 * library's reading of the same file; a zone this system lacks is
 * skipped, saying so. min_changes: changes the C library must show in
 * 1970-2100 (so that a silently failed TZ cannot pass as UTC). */
static void
compare_zone(const char *name, size_t min_changes)
{
    static struct changes ch;
    char path[512];
    struct stat sb;
    struct truce_ctx *ctx;
    struct truce_tz *tz = NULL;
    snprintf(path, sizeof(path), "%s/%s", ZONEINFO, name);
    if (stat(path, &sb) != 0) {
        char why[600];
        snprintf(why, sizeof(why), "zone %s: no %s on this system", name,
                 path);
        test_skip(why);
    }
    ASSERT_OK(truce_ctx_new(&ctx));
    if (truce_tz_load(ctx, name, &tz) != TRUCE_OK)
        FAIL_AT("truce_tz_load(%s): %s", name, truce_ctx_errmsg(ctx));
    libc_zone(path);
    compare_offsets(tz, name, &ch);
    if (ch.n < min_changes)
        FAIL_AT("%s: the C library shows %zu changes in 1970-2100, "
                "expected at least %zu (did it read the file?)", name, ch.n,
                min_changes);
    compare_to_utc(tz, name, &ch);
    printf("  %s: %zu changes in 1970-2100 agree\n", name, ch.n);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

TEST(tzif_libc_asia_damascus) { compare_zone("Asia/Damascus", 10); }
TEST(tzif_libc_asia_aden) { compare_zone("Asia/Aden", 0); }
TEST(tzif_libc_america_new_york) { compare_zone("America/New_York", 10); }
/* 30-minute daylight-saving time. */
TEST(tzif_libc_australia_lord_howe)
{
    compare_zone("Australia/Lord_Howe", 10);
}
TEST(tzif_libc_asia_kathmandu) { compare_zone("Asia/Kathmandu", 1); }
/* Skipped 30 December 2011. */
TEST(tzif_libc_pacific_apia) { compare_zone("Pacific/Apia", 10); }
TEST(tzif_libc_america_sao_paulo) { compare_zone("America/Sao_Paulo", 10); }
/* Ramadan changes listed to 2087, then a footer without DST. */
TEST(tzif_libc_africa_casablanca)
{
    compare_zone("Africa/Casablanca", 10);
}
TEST(tzif_libc_utc) { compare_zone("UTC", 0); }

TEST(tzif_libc_europe_kyiv)
{
    struct stat sb;
    compare_zone(stat(ZONEINFO "/Europe/Kyiv", &sb) == 0 ? "Europe/Kyiv"
                                                         : "Europe/Kiev",
                 200);
}

/* Footers of other shapes in the tz database: negative daylight-saving
 * time (Dublin), a negative transition time (Nuuk, /-1), times past 24 h
 * (Gaza /50, Santiago /24, Cairo /24), two hours of DST (Troll). */
TEST(tzif_libc_europe_dublin) { compare_zone("Europe/Dublin", 10); }
TEST(tzif_libc_america_nuuk) { compare_zone("America/Nuuk", 10); }
TEST(tzif_libc_asia_gaza) { compare_zone("Asia/Gaza", 10); }
TEST(tzif_libc_america_santiago) { compare_zone("America/Santiago", 10); }
TEST(tzif_libc_africa_cairo) { compare_zone("Africa/Cairo", 10); }
TEST(tzif_libc_antarctica_troll) { compare_zone("Antarctica/Troll", 10); }

/* ----------------------------------------------------- hand-built files */

struct tzb {
    unsigned char buf[8192];
    size_t n;
};

static void
put(struct tzb *b, const void *p, size_t n)
{
    ASSERT(b->n + n <= sizeof(b->buf));
    memcpy(b->buf + b->n, p, n);
    b->n += n;
}

static void
put32(struct tzb *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    put(b, c, 4);
}

static void
put64(struct tzb *b, int64_t v)
{
    put32(b, (uint32_t)((uint64_t)v >> 32));
    put32(b, (uint32_t)v);
}

/* A zone: transitions at times[i] to types idx[i], types of offs[i]
 * seconds (isdst 0, designation "ZZZ"), nleap leap-second records, and
 * for versions 2 to 4 the footer (NULL: none written). */
struct spec {
    char version; /* 0, '2', '3', '4' */
    size_t nt;
    const int64_t *times;
    const unsigned char *idx;
    size_t ntypes;
    const int32_t *offs;
    size_t nleap;
    const char *footer;
};

static void
put_head(struct tzb *b, char version, uint32_t leap, uint32_t nt,
         uint32_t ntypes, uint32_t nchar)
{
    static const unsigned char zero[15];
    put(b, "TZif", 4);
    put(b, &version, 1);
    put(b, zero, 15);
    put32(b, 0); /* isutcnt */
    put32(b, 0); /* isstdcnt */
    put32(b, leap);
    put32(b, nt);
    put32(b, ntypes);
    put32(b, nchar);
}

static void
put_data(struct tzb *b, const struct spec *s, int tsize)
{
    for (size_t i = 0; i < s->nt; i++) {
        if (tsize == 4)
            put32(b, (uint32_t)(int32_t)s->times[i]);
        else
            put64(b, s->times[i]);
    }
    for (size_t i = 0; i < s->nt; i++)
        put(b, &s->idx[i], 1);
    for (size_t i = 0; i < s->ntypes; i++) {
        unsigned char tail[2] = {0, 0};
        put32(b, (uint32_t)s->offs[i]);
        put(b, tail, 2);
    }
    put(b, "ZZZ", 4);
    for (size_t i = 0; i < s->nleap; i++) {
        /* 1972-07-01 and every year after: occurrence, correction. */
        int64_t at = 78796800LL + (int64_t)i * 31536000LL;
        if (tsize == 4)
            put32(b, (uint32_t)at);
        else
            put64(b, at);
        put32(b, (uint32_t)(i + 1));
    }
}

static void
build(struct tzb *b, const struct spec *s)
{
    b->n = 0;
    if (s->version == 0) {
        put_head(b, 0, (uint32_t)s->nleap, (uint32_t)s->nt,
                 (uint32_t)s->ntypes, 4);
        put_data(b, s, 4);
        return;
    }
    /* A minimal version 1 block (one type), as zic -b slim writes. */
    put_head(b, s->version, 0, 0, 1, 4);
    put32(b, (uint32_t)s->offs[0]);
    put(b, "\0\0ZZZ", 6);
    put_head(b, s->version, (uint32_t)s->nleap, (uint32_t)s->nt,
             (uint32_t)s->ntypes, 4);
    put_data(b, s, 8);
    if (s->footer) {
        put(b, "\n", 1);
        put(b, s->footer, strlen(s->footer));
        put(b, "\n", 1);
    }
}

/* A folder of files for truce__tz_load_at (and the C library). */
static char dir[64];

static void
tmp_dir(void)
{
    snprintf(dir, sizeof(dir), "/tmp/truce-tzif-XXXXXX");
    ASSERT(mkdtemp(dir) != NULL);
}

static const char *
write_zone(const char *name, const void *p, size_t n)
{
    static char path[256];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    ASSERT(f != NULL);
    ASSERT(fwrite(p, 1, n, f) == n);
    ASSERT(fclose(f) == 0);
    return path;
}

static void
rm_dir(const char *const *names, size_t n)
{
    char path[256];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    ASSERT(rmdir(dir) == 0);
}

/* The offset of zone tz at year-month-day hh:mm:ss UTC. */
static int32_t
at(const struct truce_tz *tz, int y, int m, int d, int hh, int mm, int ss)
{
    return truce_tz_offset(tz, truce_days_from_civil(y, m, d) * DAY +
                                   hh * HOUR + mm * 60 + ss);
}

static const int64_t two_times[] = {-1000000000LL, 1000000000LL};
static const unsigned char two_idx[] = {1, 2};
static const int32_t three_offs[] = {3600, 7200, 10800};

/* A version 1 file: type 0 before the first transition, the last
 * transition's type after the last (there is no footer). */
TEST(tzif_version_1)
{
    struct spec s = {0, 2, two_times, two_idx, 3, three_offs, 0, NULL};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    build(&b, &s);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce__tz_parse(ctx, "v1", b.buf, b.n, &tz));
    ASSERT_EQ_STR(truce_tz_name(tz), "v1");
    ASSERT_EQ_INT(truce_tz_offset(tz, -1000000001LL), 3600);
    ASSERT_EQ_INT(truce_tz_offset(tz, -1000000000LL), 7200);
    ASSERT_EQ_INT(truce_tz_offset(tz, 999999999LL), 7200);
    ASSERT_EQ_INT(truce_tz_offset(tz, 1000000000LL), 10800);
    ASSERT_EQ_INT(truce_tz_offset(tz, Y2100 + 100 * 365 * DAY), 10800);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

/* The span: before 1900 the offset at 1900-01-01, after 2100 the one at
 * 2100-01-01 (as the day-by-day scan of the C library gave). */
TEST(tzif_span_1900_2100)
{
    static const int64_t times[] = {-3000000000LL, -2000000000LL,
                                    4200000000LL};
    static const unsigned char idx[] = {1, 2, 0};
    struct spec s = {'2', 3, times, idx, 3, three_offs, 0, ""};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    build(&b, &s);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce__tz_parse(ctx, "span", b.buf, b.n, &tz));
    /* -3e9 (1874) is before 1900: type 1 holds from the start. */
    ASSERT_EQ_INT(truce_tz_offset(tz, -4000000000LL), 7200);
    ASSERT_EQ_INT(truce_tz_offset(tz, -2000000001LL), 7200);
    ASSERT_EQ_INT(truce_tz_offset(tz, -2000000000LL), 10800);
    /* 4.2e9 (2103) is after 2100: type 2 holds to the end. */
    ASSERT_EQ_INT(truce_tz_offset(tz, 4300000000LL), 10800);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

/* An empty footer (zic writes one for the right/ zones): the last
 * transition's offset holds. Leap-second records are skipped. */
TEST(tzif_empty_footer_and_leap_seconds)
{
    struct spec s = {'4', 2, two_times, two_idx, 3, three_offs, 27, ""};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    build(&b, &s);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce__tz_parse(ctx, "right", b.buf, b.n, &tz));
    ASSERT_EQ_INT(truce_tz_offset(tz, 999999999LL), 7200);
    ASSERT_EQ_INT(truce_tz_offset(tz, 1000000000LL), 10800);
    ASSERT_EQ_INT(truce_tz_offset(tz, Y2100 - 1), 10800);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

/* Footers compared with the C library reading the same hand-built file,
 * hourly over 2001-2037 and on both sides of every change. */
static void
compare_footer(const char *footer, size_t nt, const int64_t *times,
               const unsigned char *idx, size_t ntypes, const int32_t *offs,
               size_t min_changes)
{
    static struct changes ch;
    struct spec s = {'3', nt, times, idx, ntypes, offs, 0, footer};
    static const char *const names[] = {"zone"};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    int32_t prev;
    char label[128];
    snprintf(label, sizeof(label), "footer '%s'", footer);
    build(&b, &s);
    tmp_dir();
    libc_zone(write_zone("zone", b.buf, b.n));
    ASSERT_OK(truce_ctx_new(&ctx));
    if (truce__tz_load_at(ctx, dir, "zone", &tz) != TRUCE_OK)
        FAIL_AT("%s: %s", label, truce_ctx_errmsg(ctx));
    ch.n = 0;
    prev = libc_offset(978307200LL);
    for (int64_t t = 978307200LL; t < Y2037; t += HOUR) /* from 2001 */
        sample(tz, label, t, HOUR, &prev, &ch);
    if (ch.n < min_changes)
        FAIL_AT("%s: %zu changes, expected %zu", label, ch.n, min_changes);
    compare_to_utc(tz, label, &ch);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
    rm_dir(names, 1);
}

static const int64_t one_time[] = {946684800LL}; /* 2000-01-01 */
static const unsigned char one_idx[] = {0};
static const int32_t plus2[] = {7200, 10800};

/* Jn (29 February never counted) and n (counted), a negative time and one
 * past 24 h. */
TEST(tzif_footer_julian_days)
{
    compare_footer("<+02>-2<+03>,J60/-1,300/30", 1, one_time, one_idx, 2,
                   plus2, 70);
}

/* The "M" form: the old rule of Damascus, and Lord Howe's half hour.
 * (One file per test process: the C library keeps a zone file it has read
 * while a file of the same inode and time stands at its name.) */
TEST(tzif_footer_month_week_day)
{
    compare_footer("EET-2EEST,M3.5.5/0,M10.5.5/0", 1, one_time, one_idx, 2,
                   plus2, 70);
}

TEST(tzif_footer_half_hour_south)
{
    static const int32_t lh[] = {37800, 39600};
    compare_footer("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 1, one_time,
                   one_idx, 2, lh, 70);
}

/* Without transitions the footer holds at every instant (RFC 8536). */
TEST(tzif_footer_without_transitions)
{
    static const int32_t est[] = {-18000};
    struct spec s = {'2', 0, NULL, NULL, 1, est, 0,
                     "EST5EDT,M3.2.0,M11.1.0"};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    build(&b, &s);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce__tz_parse(ctx, "rule", b.buf, b.n, &tz));
    /* 1901: second Sunday of March was the 10th, 02:00 EST = 07:00Z. */
    ASSERT_EQ_INT(at(tz, 1901, 3, 10, 6, 59, 59), -5 * HOUR);
    ASSERT_EQ_INT(at(tz, 1901, 3, 10, 7, 0, 0), -4 * HOUR);
    /* 2099: first Sunday of November is the 1st, 02:00 EDT = 06:00Z. */
    ASSERT_EQ_INT(at(tz, 2099, 11, 1, 5, 59, 59), -4 * HOUR);
    ASSERT_EQ_INT(at(tz, 2099, 11, 1, 6, 0, 0), -5 * HOUR);
    ASSERT_EQ_INT(at(tz, 2099, 7, 1, 0, 0, 0), -4 * HOUR);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

/* RFC 8536 section 3.3.1: "EST5EDT,0/0,J365/25" is daylight-saving time
 * all year: no change at any new year. */
TEST(tzif_footer_dst_all_year)
{
    static const int32_t edt[] = {-14400};
    struct spec s = {'3', 1, one_time, one_idx, 1, edt, 0,
                     "EST5EDT,0/0,J365/25"};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    build(&b, &s);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce__tz_parse(ctx, "always", b.buf, b.n, &tz));
    for (int y = 2000; y < 2100; y++) {
        int64_t ny = truce_days_from_civil(y, 1, 1) * DAY;
        for (int64_t t = ny - 6 * HOUR; t <= ny + 6 * HOUR; t += 60)
            ASSERT_EQ_INT(truce_tz_offset(tz, t), -4 * HOUR);
        ASSERT_EQ_INT(truce_tz_offset(tz, ny + 180 * DAY), -4 * HOUR);
    }
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

/* ------------------------------------------------------ hostile files */

/* Parsing must fail with TRUCE_EPARSE, *out NULL, and a message naming
 * the zone and containing `why`. */
static void
expect_bad_mem(const void *p, size_t n, const char *why)
{
    struct truce_ctx *ctx;
    struct truce_tz *tz = (struct truce_tz *)&tz;
    /* An exact-size copy, so that ASan sees any read past the end. */
    void *copy = malloc(n ? n : 1);
    truce_status st;
    ASSERT(copy);
    memcpy(copy, p, n);
    ASSERT_OK(truce_ctx_new(&ctx));
    st = truce__tz_parse(ctx, "Test/Bad", copy, n, &tz);
    if (st != TRUCE_EPARSE)
        FAIL_AT("%zu bytes: %s, expected %s (%s)", n, truce_strerror(st),
                truce_strerror(TRUCE_EPARSE), truce_ctx_errmsg(ctx));
    ASSERT(tz == NULL);
    if (!strstr(truce_ctx_errmsg(ctx), "time zone 'Test/Bad': ") ||
        (why && !strstr(truce_ctx_errmsg(ctx), why)))
        FAIL_AT("message \"%s\", expected one with \"%s\"",
                truce_ctx_errmsg(ctx), why ? why : "");
    truce_ctx_free(ctx);
    free(copy);
}

/* The same through a file in a folder (truce__tz_load_at). */
static void
expect_bad_file(const char *name, const void *p, size_t n, const char *why)
{
    struct truce_ctx *ctx;
    struct truce_tz *tz = NULL;
    truce_status st;
    char prefix[128];
    write_zone(name, p, n);
    ASSERT_OK(truce_ctx_new(&ctx));
    st = truce__tz_load_at(ctx, dir, name, &tz);
    if (st != TRUCE_EPARSE)
        FAIL_AT("%s: %s, expected %s (%s)", name, truce_strerror(st),
                truce_strerror(TRUCE_EPARSE), truce_ctx_errmsg(ctx));
    ASSERT(tz == NULL);
    snprintf(prefix, sizeof(prefix), "time zone '%s': ", name);
    if (!strstr(truce_ctx_errmsg(ctx), prefix) ||
        !strstr(truce_ctx_errmsg(ctx), why))
        FAIL_AT("%s: message \"%s\", expected one with \"%s\"", name,
                truce_ctx_errmsg(ctx), why);
    printf("  %s: %s\n", name, truce_ctx_errmsg(ctx));
    truce_ctx_free(ctx);
}

static void
set32(struct tzb *b, size_t at_, uint32_t v)
{
    b->buf[at_] = (unsigned char)(v >> 24);
    b->buf[at_ + 1] = (unsigned char)(v >> 16);
    b->buf[at_ + 2] = (unsigned char)(v >> 8);
    b->buf[at_ + 3] = (unsigned char)v;
}

/* Offsets in a version 2+ file: the v2 header follows the minimal v1
 * block (44 + 10 bytes). */
#define V2_HEAD 54
#define TZIF_V1_TYPE 44 /* the one type of the minimal v1 block */
#define COUNT_UT 20
#define COUNT_LEAP 28
#define COUNT_TIME 32
#define COUNT_TYPE 36
#define COUNT_CHAR 40

TEST(tzif_hostile_files)
{
    static const char *const names[] = {
        "empty", "short-header", "bad-magic", "bad-version",
        "timecnt-too-large", "typecnt-huge", "no-types", "type-out-of-range",
        "not-ascending", "offset-too-large", "short-v2-header", "no-footer",
        "open-footer", "posix-no-offset", "posix-no-rule", "posix-month-13",
        "posix-time-168", "posix-julian-0", "posix-trailing", "posix-binary",
        "posix-open-name"};
    struct spec good = {'2', 2, two_times, two_idx, 3, three_offs, 0,
                        "EST5EDT,M3.2.0,M11.1.0"};
    struct tzb b;
    tmp_dir();
    build(&b, &good);
    expect_bad_file("empty", b.buf, 0, "empty file");
    expect_bad_file("short-header", b.buf, 30, "header cut short (30 of 44");
    b.buf[2] = 'x';
    expect_bad_file("bad-magic", b.buf, b.n, "not a TZif file");
    build(&b, &good);
    b.buf[4] = '9';
    expect_bad_file("bad-version", b.buf, b.n, "unknown TZif version");
    build(&b, &good);
    set32(&b, V2_HEAD + COUNT_TIME, 1000);
    expect_bad_file("timecnt-too-large", b.buf, b.n, "1000 transitions");
    build(&b, &good);
    set32(&b, V2_HEAD + COUNT_TYPE, 0xffffffffu);
    expect_bad_file("typecnt-huge", b.buf, b.n, "4294967295 types");
    build(&b, &good);
    set32(&b, V2_HEAD + COUNT_TYPE, 0);
    expect_bad_file("no-types", b.buf, b.n, "no local time types");
    {
        static const unsigned char idx[] = {1, 3};
        struct spec s = good;
        s.idx = idx;
        build(&b, &s);
        expect_bad_file("type-out-of-range", b.buf, b.n,
                        "transition 1 has type 3, the file has 3 types");
    }
    {
        static const int64_t times[] = {1000000000LL, 1000000000LL};
        struct spec s = good;
        s.times = times;
        build(&b, &s);
        expect_bad_file("not-ascending", b.buf, b.n,
                        "transition 1 (at 1000000000) is not after");
    }
    {
        static const int32_t offs[] = {3600, 7200, 100000};
        struct spec s = good;
        s.offs = offs;
        build(&b, &s);
        expect_bad_file("offset-too-large", b.buf, b.n,
                        "type 2 has an offset of 100000 s");
    }
    build(&b, &good);
    expect_bad_file("short-v2-header", b.buf, V2_HEAD + 20,
                    "version 2+ header cut short (20 of 44");
    {
        struct spec s = good;
        s.footer = NULL;
        build(&b, &s);
        expect_bad_file("no-footer", b.buf, b.n, "no footer");
        build(&b, &good);
        expect_bad_file("open-footer", b.buf, b.n - 1, "no closing newline");
    }
    {
        static const struct {
            const char *name, *footer, *why;
        } posix[] = {
            {"posix-no-offset", "EST", "no standard-time offset"},
            {"posix-no-rule", "EST5EDT", "daylight-saving time without a "
                                         "rule"},
            {"posix-month-13", "EST5EDT,M13.2.0,M11.1.0",
             "bad start of daylight-saving time"},
            {"posix-time-168", "EST5EDT,M3.2.0,M11.1.0/168",
             "bad end of daylight-saving time"},
            {"posix-julian-0", "EST5EDT,J0,J365", "bad start"},
            {"posix-trailing", "EST5EDT,M3.2.0,M11.1.0,M1.1.0",
             "characters after the rule"},
            {"posix-binary", "\x01\x02\x03", "footer TZ string '??\?'"},
            {"posix-open-name", "<+03-3", "no standard-time name"},
        };
        for (size_t i = 0; i < sizeof(posix) / sizeof(posix[0]); i++) {
            struct spec s = good;
            s.footer = posix[i].footer;
            build(&b, &s);
            expect_bad_file(posix[i].name, b.buf, b.n, posix[i].why);
        }
    }
    rm_dir(names, sizeof(names) / sizeof(names[0]));
}

/* Every strict prefix of a valid file, and every file with one count
 * raised, is a clean error. */
TEST(tzif_hostile_prefixes_and_counts)
{
    static const struct spec specs[] = {
        {0, 2, two_times, two_idx, 3, three_offs, 2, NULL},
        {'2', 2, two_times, two_idx, 3, three_offs, 0, "<+03>-3"},
        {'4', 2, two_times, two_idx, 3, three_offs, 3,
         "EET-2EEST,M3.5.5/0,M10.5.5/0"},
    };
    for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
        struct tzb b;
        size_t head = specs[k].version ? V2_HEAD : 0;
        build(&b, &specs[k]);
        for (size_t n = 0; n < b.n; n++)
            expect_bad_mem(b.buf, n, NULL);
        for (size_t c = COUNT_UT; c <= COUNT_CHAR; c += 4) {
            struct tzb m = b;
            uint32_t v = (uint32_t)m.buf[head + c] << 24 |
                         (uint32_t)m.buf[head + c + 1] << 16 |
                         (uint32_t)m.buf[head + c + 2] << 8 |
                         m.buf[head + c + 3];
            set32(&m, head + c, v + 7);
            expect_bad_mem(m.buf, m.n, NULL);
        }
    }
}

/* In a version 2+ file the 32-bit block is skipped unread: garbage in it
 * (an isdst of 7, a designation index past the end) changes nothing. */
TEST(tzif_v1_block_skipped)
{
    struct spec s = {'2', 2, two_times, two_idx, 3, three_offs, 0,
                     "<+03>-3"};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    build(&b, &s);
    b.buf[TZIF_V1_TYPE + 4] = 7;
    b.buf[TZIF_V1_TYPE + 5] = 200;
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce__tz_parse(ctx, "skip", b.buf, b.n, &tz));
    ASSERT_EQ_INT(truce_tz_offset(tz, 999999999LL), 7200);
    ASSERT_EQ_INT(truce_tz_offset(tz, 1000000000LL), 10800);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

/* A name outside the folder, a folder, a missing file: unknown zones. */
TEST(tzif_load_at_names)
{
    static const char *const names[] = {"Zone"};
    static const char *const bad[] = {"Nope", "../Zone", "/Zone", "",
                                      "Zone/..", "."};
    struct spec good = {'2', 2, two_times, two_idx, 3, three_offs, 0,
                        "<+03>-3"};
    struct tzb b;
    struct truce_ctx *ctx;
    struct truce_tz *tz = NULL;
    build(&b, &good);
    tmp_dir();
    write_zone("Zone", b.buf, b.n);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce__tz_load_at(ctx, dir, "Zone", &tz));
    ASSERT_EQ_STR(truce_tz_name(tz), "Zone");
    ASSERT_EQ_INT(truce_tz_offset(tz, Y2037), 3 * HOUR);
    truce_tz_free(tz);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tz = NULL;
        ASSERT_EQ_INT(truce__tz_load_at(ctx, dir, bad[i], &tz),
                      TRUCE_EINVAL);
        ASSERT(tz == NULL);
        ASSERT(strstr(truce_ctx_errmsg(ctx), "unknown time zone") != NULL);
    }
    truce_ctx_free(ctx);
    rm_dir(names, 1);
}
