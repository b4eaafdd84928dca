/*
 * test_time.c - civil dates, the date-time forms of truce_parse_when, and
 * IANA time zones read from the system tz database.
 *
 * Expected values are computed independently of src/time.c:
 *  - day numbers by Python's datetime (date(y,m,d) - date(1970,1,1)) and by
 *    glibc's timegm() (checked at run time below);
 *  - zone changes by `zdump -v -c 2016,2017 ZONE` (tzdata of Debian 12):
 *
 *    Asia/Damascus  Thu Mar 24 21:59:59 2016 UT = Thu Mar 24 23:59:59 2016 EET  gmtoff=7200
 *    Asia/Damascus  Thu Mar 24 22:00:00 2016 UT = Fri Mar 25 01:00:00 2016 EEST gmtoff=10800
 *    Asia/Damascus  Thu Oct 27 20:59:59 2016 UT = Thu Oct 27 23:59:59 2016 EEST gmtoff=10800
 *    Asia/Damascus  Thu Oct 27 21:00:00 2016 UT = Thu Oct 27 23:00:00 2016 EET  gmtoff=7200
 *    Europe/London     Sun Mar 27 01:00:00 2016 UT = 02:00:00 BST gmtoff=3600
 *    Europe/London     Sun Oct 30 01:00:00 2016 UT = 01:00:00 GMT gmtoff=0
 *    America/New_York  Sun Mar 13 07:00:00 2016 UT = 03:00:00 EDT gmtoff=-14400
 *    America/New_York  Sun Nov  6 06:00:00 2016 UT = 01:00:00 EST gmtoff=-18000
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <stdint.h>
#include <time.h>

#define DAY 86400LL
#define HOUR 3600LL

/* 2016-05-04 is day 16925 (Python: date(2016,5,4) - date(1970,1,1)). */
#define D_2016_05_04 16925LL
#define D_2016_05_03 16924LL
#define D_2016_03_06 16866LL
#define D_2016_03_24 16884LL
#define D_2016_10_27 17101LL

/* ------------------------------------------------------ civil dates */

static int
mdays(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

TEST(time_civil_known_values)
{
    int y, m, d;
    ASSERT_EQ_INT(truce_days_from_civil(1970, 1, 1), 0);
    ASSERT_EQ_INT(truce_days_from_civil(1969, 12, 31), -1);
    ASSERT_EQ_INT(truce_days_from_civil(2016, 2, 29), 16860);
    ASSERT_EQ_INT(truce_days_from_civil(2000, 3, 1), 11017);
    ASSERT_EQ_INT(truce_days_from_civil(2000, 2, 29), 11016);
    ASSERT_EQ_INT(truce_days_from_civil(2016, 5, 4), D_2016_05_04);
    ASSERT_EQ_INT(truce_days_from_civil(1900, 1, 1), -25567);
    ASSERT_EQ_INT(truce_days_from_civil(2100, 12, 31), 47846);
    truce_civil_from_days(0, &y, &m, &d);
    ASSERT(y == 1970 && m == 1 && d == 1);
    truce_civil_from_days(16860, &y, &m, &d);
    ASSERT(y == 2016 && m == 2 && d == 29);
    truce_civil_from_days(11017, &y, &m, &d);
    ASSERT(y == 2000 && m == 3 && d == 1);
    truce_civil_from_days(-1, &y, &m, &d);
    ASSERT(y == 1969 && m == 12 && d == 31);
}

/* Walks every day of 1900-2100 with an independent calendar (month lengths
 * and the Gregorian leap rule), checking both directions, and compares
 * with glibc's timegm on the first of every month. */
TEST(time_civil_roundtrip_1900_2100)
{
    int64_t expect = -25567; /* 1900-01-01 */
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= mdays(y, m); d++) {
                int yy, mm, dd;
                int64_t got = truce_days_from_civil(y, m, d);
                if (got != expect)
                    FAIL_AT("days_from_civil(%d-%02d-%02d) = %lld, expected "
                            "%lld", y, m, d, (long long)got,
                            (long long)expect);
                truce_civil_from_days(expect, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    FAIL_AT("civil_from_days(%lld) = %d-%02d-%02d, expected "
                            "%d-%02d-%02d", (long long)expect, yy, mm, dd, y,
                            m, d);
                if (d == 1) {
                    struct tm tm = {0};
                    tm.tm_year = y - 1900;
                    tm.tm_mon = m - 1;
                    tm.tm_mday = 1;
                    ASSERT_EQ_INT(timegm(&tm), expect * DAY);
                }
                expect++;
            }
        }
    }
    ASSERT_EQ_INT(expect, 47847); /* 2101-01-01 */
}

TEST(time_format)
{
    char b[32];
    truce_format_utc(D_2016_05_03 * DAY + 21 * HOUR, b);
    ASSERT_EQ_STR(b, "2016-05-03T21:00:00Z");
    truce_format_utc(-1, b);
    ASSERT_EQ_STR(b, "1969-12-31T23:59:59Z");
    truce_format_day(16860, b);
    ASSERT_EQ_STR(b, "2016-02-29");
}

/* --------------------------------------------------------- parsing */

static struct truce_when
parse_ok(const char *s)
{
    struct truce_when w;
    truce_status st = truce_parse_when(s, strlen(s), &w);
    if (st != TRUCE_OK)
        FAIL_AT("truce_parse_when(\"%s\") returned %s", s,
                truce_strerror(st));
    return w;
}

static void
check_when(const char *s, int64_t secs, bool has_time, bool has_offset)
{
    struct truce_when w = parse_ok(s);
    if (w.secs != secs || w.has_time != has_time ||
        w.has_offset != has_offset)
        FAIL_AT("\"%s\": secs %lld time %d offset %d, expected secs %lld "
                "time %d offset %d", s, (long long)w.secs, w.has_time,
                w.has_offset, (long long)secs, has_time, has_offset);
}

TEST(time_parse_forms)
{
    int64_t may4 = D_2016_05_04 * DAY;
    check_when("2016-05-04", may4, false, false);
    check_when("2016-05-04T00:01", may4 + 60, true, false);
    check_when("2016-05-04 00:01:30", may4 + 90, true, false);
    /* 00:00 in Damascus (UTC+3) is 21:00 UTC the day before. */
    check_when("2016-05-03T21:00:00Z", D_2016_05_03 * DAY + 21 * HOUR, true,
               true);
    check_when("2016-05-04T00:00:00+03:00", D_2016_05_03 * DAY + 21 * HOUR,
               true, true);
    check_when("2016-05-04T00:00:00+0300", D_2016_05_03 * DAY + 21 * HOUR,
               true, true);
    check_when("2016-05-03T18:00:00-03:00", D_2016_05_03 * DAY + 21 * HOUR,
               true, true);
    check_when("04 May 2016", may4, false, false);
    check_when("4 May 2016", may4, false, false);
    check_when("4 May, 2016", may4, false, false);
    check_when("06 March 2016", D_2016_03_06 * DAY, false, false);
    check_when("  2016-05-04  ", may4, false, false);
}

TEST(time_parse_rejects)
{
    static const char *const bad[] = {
        "2016-02-30", "2016-13-01", "2016-05-04T25:00", "May 4", "",
        "2016-05-04X", "2015-02-29", "2016-00-10", "2016-05-00",
        "2016-05-04T12:60", "31 Foo 2016", "2016-05-04T00:00+3", "   "};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct truce_when w;
        truce_status st = truce_parse_when(bad[i], strlen(bad[i]), &w);
        if (st != TRUCE_EPARSE)
            FAIL_AT("truce_parse_when(\"%s\") returned %s, expected "
                    "malformed input", bad[i], truce_strerror(st));
    }
}

/* The length argument is honoured: the text need not be NUL-terminated. */
TEST(time_parse_uses_length)
{
    const char *s = "2016-05-04T00:01garbage";
    struct truce_when w;
    ASSERT_OK(truce_parse_when(s, 16, &w));
    ASSERT_EQ_INT(w.secs, D_2016_05_04 * DAY + 60);
    ASSERT_OK(truce_parse_when(s, 10, &w));
    ASSERT_EQ_INT(w.secs, D_2016_05_04 * DAY);
    ASSERT(!w.has_time);
}

/* ----------------------------------------------------------- zones */

static struct truce_tz *
load(struct truce_ctx *ctx, const char *name)
{
    struct truce_tz *tz = NULL;
    truce_status st = truce_tz_load(ctx, name, &tz);
    if (st != TRUCE_OK)
        FAIL_AT("truce_tz_load(%s): %s", name, truce_ctx_errmsg(ctx));
    ASSERT_EQ_STR(truce_tz_name(tz), name);
    return tz;
}

TEST(time_tz_damascus_offsets_and_changes)
{
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    /* zdump: change to EEST at 2016-03-24 22:00:00 UT, back to EET at
     * 2016-10-27 21:00:00 UT. */
    int64_t spring = D_2016_03_24 * DAY + 22 * HOUR;
    int64_t autumn = D_2016_10_27 * DAY + 21 * HOUR;
    ASSERT_OK(truce_ctx_new(&ctx));
    tz = load(ctx, "Asia/Damascus");
    /* Winter: 2016-01-15 12:00Z, +2 h; summer: 2016-07-01 12:00Z, +3 h. */
    ASSERT_EQ_INT(truce_tz_offset(tz, truce_days_from_civil(2016, 1, 15) *
                                          DAY + 12 * HOUR), 2 * HOUR);
    ASSERT_EQ_INT(truce_tz_offset(tz, truce_days_from_civil(2016, 7, 1) *
                                          DAY + 12 * HOUR), 3 * HOUR);
    /* 4 May 2016 (the Aleppo extension) is summer time. */
    ASSERT_EQ_INT(truce_tz_offset(tz, D_2016_05_03 * DAY + 21 * HOUR),
                  3 * HOUR);
    /* 27 Feb 2016 00:00 local (the nationwide cessation) is UTC+2. */
    ASSERT_EQ_INT(truce_tz_offset(tz, truce_days_from_civil(2016, 2, 26) *
                                          DAY + 22 * HOUR), 2 * HOUR);
    /* The change instants, to the second. */
    ASSERT_EQ_INT(truce_tz_offset(tz, spring - 1), 2 * HOUR);
    ASSERT_EQ_INT(truce_tz_offset(tz, spring), 3 * HOUR);
    ASSERT_EQ_INT(truce_tz_offset(tz, autumn - 1), 3 * HOUR);
    ASSERT_EQ_INT(truce_tz_offset(tz, autumn), 2 * HOUR);
    /* Local to UTC, ordinary times. */
    ASSERT_EQ_INT(truce_tz_to_utc(tz, D_2016_05_04 * DAY + 60),
                  D_2016_05_03 * DAY + 21 * HOUR + 60);
    ASSERT_EQ_INT(truce_tz_to_utc(tz, truce_days_from_civil(2016, 2, 27) *
                                          DAY),
                  truce_days_from_civil(2016, 2, 26) * DAY + 22 * HOUR);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

TEST(time_tz_damascus_gap_and_overlap)
{
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    int64_t spring = D_2016_03_24 * DAY + 22 * HOUR;
    int64_t mar25 = (D_2016_03_24 + 1) * DAY; /* local 2016-03-25 00:00 */
    int64_t oct27 = D_2016_10_27 * DAY;       /* local 2016-10-27 00:00 */
    ASSERT_OK(truce_ctx_new(&ctx));
    tz = load(ctx, "Asia/Damascus");
    /* Local 00:00-00:59:59 on 25 March never happened (23:59:59 EET was
     * followed by 01:00:00 EEST): it maps to the change instant. */
    ASSERT_EQ_INT(truce_tz_to_utc(tz, mar25), spring);
    ASSERT_EQ_INT(truce_tz_to_utc(tz, mar25 + 30 * 60), spring);
    ASSERT_EQ_INT(truce_tz_to_utc(tz, mar25 + HOUR - 1), spring);
    /* Either side of the gap. */
    ASSERT_EQ_INT(truce_tz_to_utc(tz, mar25 - 1), spring - 1);
    ASSERT_EQ_INT(truce_tz_to_utc(tz, mar25 + HOUR), spring);
    ASSERT_EQ_INT(truce_tz_to_utc(tz, mar25 + HOUR + 60), spring + 60);
    /* Local 23:00-23:59:59 on 27 October happened twice: first in EEST
     * (UTC+3), 23:30 local = 20:30Z; the second time would be 21:30Z. */
    ASSERT_EQ_INT(truce_tz_to_utc(tz, oct27 + 23 * HOUR + 30 * 60),
                  oct27 + 20 * HOUR + 30 * 60);
    ASSERT_EQ_INT(truce_tz_to_utc(tz, oct27 + 23 * HOUR),
                  oct27 + 20 * HOUR);
    /* Just before the repeated hour (UTC+3) and after it (UTC+2). */
    ASSERT_EQ_INT(truce_tz_to_utc(tz, oct27 + 22 * HOUR + 59 * 60),
                  oct27 + 19 * HOUR + 59 * 60);
    ASSERT_EQ_INT(truce_tz_to_utc(tz, oct27 + DAY + 30 * 60),
                  oct27 + 22 * HOUR + 30 * 60);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

TEST(time_tz_london_new_york_utc)
{
    struct truce_ctx *ctx;
    struct truce_tz *lon, *ny, *utc;
    int64_t mar27 = truce_days_from_civil(2016, 3, 27) * DAY;
    int64_t oct30 = truce_days_from_civil(2016, 10, 30) * DAY;
    int64_t mar13 = truce_days_from_civil(2016, 3, 13) * DAY;
    int64_t nov6 = truce_days_from_civil(2016, 11, 6) * DAY;
    int64_t jul1 = truce_days_from_civil(2016, 7, 1) * DAY;
    ASSERT_OK(truce_ctx_new(&ctx));
    lon = load(ctx, "Europe/London");
    ny = load(ctx, "America/New_York");
    utc = load(ctx, "UTC");
    /* London: GMT until 2016-03-27 01:00Z, BST until 2016-10-30 01:00Z. */
    ASSERT_EQ_INT(truce_tz_offset(lon, mar27 + HOUR - 1), 0);
    ASSERT_EQ_INT(truce_tz_offset(lon, mar27 + HOUR), HOUR);
    ASSERT_EQ_INT(truce_tz_offset(lon, oct30 + HOUR - 1), HOUR);
    ASSERT_EQ_INT(truce_tz_offset(lon, oct30 + HOUR), 0);
    ASSERT_EQ_INT(truce_tz_to_utc(lon, jul1 + 12 * HOUR), jul1 + 11 * HOUR);
    /* 01:30 local on 27 March was skipped: the change instant 01:00Z. */
    ASSERT_EQ_INT(truce_tz_to_utc(lon, mar27 + HOUR + 30 * 60),
                  mar27 + HOUR);
    /* 01:30 local on 30 October was repeated: first in BST, 00:30Z. */
    ASSERT_EQ_INT(truce_tz_to_utc(lon, oct30 + HOUR + 30 * 60),
                  oct30 + 30 * 60);
    /* New York: EST (-5) until 2016-03-13 07:00Z, EDT (-4) until
     * 2016-11-06 06:00Z. */
    ASSERT_EQ_INT(truce_tz_offset(ny, mar13 + 7 * HOUR - 1), -5 * HOUR);
    ASSERT_EQ_INT(truce_tz_offset(ny, mar13 + 7 * HOUR), -4 * HOUR);
    ASSERT_EQ_INT(truce_tz_offset(ny, nov6 + 6 * HOUR - 1), -4 * HOUR);
    ASSERT_EQ_INT(truce_tz_offset(ny, nov6 + 6 * HOUR), -5 * HOUR);
    ASSERT_EQ_INT(truce_tz_to_utc(ny, jul1 + 12 * HOUR), jul1 + 16 * HOUR);
    ASSERT_EQ_INT(truce_tz_to_utc(ny, truce_days_from_civil(2016, 1, 15) *
                                          DAY + 12 * HOUR),
                  truce_days_from_civil(2016, 1, 15) * DAY + 17 * HOUR);
    /* 02:30 local on 13 March was skipped: 07:00Z. */
    ASSERT_EQ_INT(truce_tz_to_utc(ny, mar13 + 2 * HOUR + 30 * 60),
                  mar13 + 7 * HOUR);
    /* 01:30 local on 6 November was repeated: first in EDT, 05:30Z. */
    ASSERT_EQ_INT(truce_tz_to_utc(ny, nov6 + HOUR + 30 * 60),
                  nov6 + 5 * HOUR + 30 * 60);
    /* UTC: no offset, ever. */
    ASSERT_EQ_INT(truce_tz_offset(utc, jul1), 0);
    ASSERT_EQ_INT(truce_tz_offset(utc, -2208988800LL), 0);
    ASSERT_EQ_INT(truce_tz_to_utc(utc, jul1 + 12345), jul1 + 12345);
    ASSERT_EQ_INT(truce_tz_to_utc(utc, mar27 + HOUR + 30 * 60),
                  mar27 + HOUR + 30 * 60);
    truce_tz_free(lon);
    truce_tz_free(ny);
    truce_tz_free(utc);
    truce_ctx_free(ctx);
}

TEST(time_tz_unknown_zones)
{
    static const char *const bad[] = {"Asia/Nowhere", "../etc/passwd",
                                      "/etc/passwd", "", "Asia/../UTC",
                                      "Asia/Damascus;rm"};
    struct truce_ctx *ctx;
    ASSERT_OK(truce_ctx_new(&ctx));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct truce_tz *tz = NULL;
        truce_status st = truce_tz_load(ctx, bad[i], &tz);
        if (st != TRUCE_EINVAL)
            FAIL_AT("truce_tz_load(\"%s\") returned %s, expected %s", bad[i],
                    truce_strerror(st), truce_strerror(TRUCE_EINVAL));
        ASSERT(tz == NULL);
    }
    {
        struct truce_tz *tz = NULL;
        ASSERT_EQ_INT(truce_tz_load(ctx, "Asia/Nowhere", &tz), TRUCE_EINVAL);
        ASSERT(strstr(truce_ctx_errmsg(ctx), "Asia/Nowhere") != NULL);
    }
    truce_ctx_free(ctx);
}

/* Loading a zone reads its TZif file and leaves the process's TZ, and
 * the C library's idea of local time, as they were. */
TEST(time_tz_load_leaves_tz_alone)
{
    struct truce_ctx *ctx;
    struct truce_tz *tz;
    ASSERT_OK(truce_ctx_new(&ctx));
    setenv("TZ", "America/New_York", 1);
    tzset();
    tz = load(ctx, "Asia/Damascus");
    ASSERT_EQ_STR(getenv("TZ"), "America/New_York");
    {
        time_t t = (time_t)(truce_days_from_civil(2016, 7, 1) * DAY);
        struct tm tm;
        localtime_r(&t, &tm);
        ASSERT_EQ_INT(tm.tm_gmtoff, -4 * HOUR);
    }
    truce_tz_free(tz);
    unsetenv("TZ");
    tzset();
    tz = load(ctx, "Europe/London");
    ASSERT(getenv("TZ") == NULL);
    truce_tz_free(tz);
    truce_ctx_free(ctx);
}

/* Dates as exports and spreadsheets write them. */
static int64_t
day_ok(const char *s, enum truce_date_order order)
{
    int64_t d = -1;
    if (truce_parse_day(s, strlen(s), order, &d, NULL) != TRUCE_OK)
        FAIL_AT("'%s' was not read", s);
    return d;
}

TEST(parse_day_forms)
{
    int64_t may9 = truce_days_from_civil(2020, 5, 9);
    int64_t aug14 = truce_days_from_civil(2020, 8, 14);
    int64_t d;
    enum truce_date_order hint;
    ASSERT_EQ_INT(day_ok("2020-05-09", 0), may9);
    ASSERT_EQ_INT(day_ok("2020-05-09T00:00:00", 0), may9);
    ASSERT_EQ_INT(day_ok("2020-05-09 23:59:59", 0), may9);
    ASSERT_EQ_INT(day_ok("2020-05-09T22:00:00Z", 0), may9); /* as written */
    ASSERT_EQ_INT(day_ok("9-May-20", 0), may9);
    ASSERT_EQ_INT(day_ok("09-May-2020", 0), may9);
    ASSERT_EQ_INT(day_ok("09 May 2020", 0), may9);
    ASSERT_EQ_INT(day_ok("9 May, 2020", 0), may9);
    ASSERT_EQ_INT(day_ok("9-May-97", 0), truce_days_from_civil(1997, 5, 9));
    ASSERT_EQ_INT(day_ok("14/08/2020 00:00:00", 0), aug14);
    ASSERT_EQ_INT(day_ok("8/14/2020 12:00:00 AM", 0), aug14);
    ASSERT_EQ_INT(day_ok("08/14/2020 00:00", 0), aug14);
    ASSERT_EQ_INT(day_ok("09/05/2014 00:00", TRUCE_DATES_MDY),
                  truce_days_from_civil(2014, 9, 5));
    ASSERT_EQ_INT(day_ok("09/05/2014", TRUCE_DATES_DMY),
                  truce_days_from_civil(2014, 5, 9));
    ASSERT_EQ_INT(day_ok("5/5/2016", 0), truce_days_from_civil(2016, 5, 5));
    ASSERT_EQ_INT(day_ok("20160504", 0), truce_days_from_civil(2016, 5, 4));
    /* Excel: 42495 is 5 May 2016; 61 is 1 March 1900 */
    ASSERT_EQ_INT(day_ok("42495", 0), truce_days_from_civil(2016, 5, 5));
    ASSERT_EQ_INT(day_ok("42495.75", 0), truce_days_from_civil(2016, 5, 5));
    ASSERT_EQ_INT(day_ok("61", 0), truce_days_from_civil(1900, 3, 1));
    /* what the text alone says about the order */
    ASSERT_OK(truce_parse_day("14/08/2020", 10, 0, &d, &hint));
    ASSERT_EQ_INT(hint, TRUCE_DATES_DMY);
    ASSERT_OK(truce_parse_day("8/14/2020", 9, 0, &d, &hint));
    ASSERT_EQ_INT(hint, TRUCE_DATES_MDY);
    ASSERT_EQ_INT(truce_parse_day("09/05/2014", 10, 0, &d, &hint),
                  TRUCE_EINVAL);
    ASSERT_EQ_INT(hint, TRUCE_DATES_UNKNOWN);
    /* read in the order given, a value that cannot be is no date */
    ASSERT_EQ_INT(truce_parse_day("8/14/2020", 9, TRUCE_DATES_DMY, &d, NULL),
                  TRUCE_EPARSE);
    static const char *const bad[] = {
        "", "2020-13-01", "2020-02-30", "31/31/2020", "9-Mai-20", "May 9",
        "12", "2020-05-09T25:00", "8/14/2020 13:00:00 PM", "1/2/3",
        "99999999", "2020/05/09", "9-May-2", "42495x", "-42495"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        truce_status st = truce_parse_day(bad[i], strlen(bad[i]),
                                          TRUCE_DATES_DMY, &d, NULL);
        if (st != TRUCE_EPARSE)
            FAIL_AT("'%s' was read (%d)", bad[i], (int)st);
    }
}
