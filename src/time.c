/*
 * time.c - civil dates, the date-time forms truce reads, and IANA time
 * zones from the system tz database.
 *
 * A zone is loaded once into an immutable table of offset changes, found
 * through the C library (localtime_r under TZ=name) while a process-wide
 * lock is held, since TZ is process state. After loading, conversions are
 * pure lookups, safe from any thread.
 */
#include "truce_int.h"

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* ------------------------------------------------------- civil dates */

int64_t
truce_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days_from_civil. */
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
truce_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp, yy;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    yy = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void
truce_format_utc(int64_t secs, char out[32])
{
    int y, m, d;
    int64_t days = floor_div(secs, 86400), rem = secs - days * 86400;
    truce_civil_from_days(days, &y, &m, &d);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void
truce_format_day(int64_t days, char out[16])
{
    int y, m, d;
    truce_civil_from_days(days, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* --------------------------------------------------------- parsing */

static bool
take_digits(const char **p, const char *end, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (*p >= end || !isdigit((unsigned char)**p))
            return false;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return true;
}

static int
month_from_name(const char *s, size_t n)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    static const char *full[] = {"january", "february", "march", "april",
                                 "may", "june", "july", "august",
                                 "september", "october", "november",
                                 "december"};
    char low[16];
    if (n < 3 || n >= sizeof(low))
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[n] = '\0';
    for (int i = 0; i < 12; i++) {
        if ((n == 3 && memcmp(low, names[i], 3) == 0) ||
            strcmp(low, full[i]) == 0)
            return i + 1;
    }
    return 0;
}

/* "04 May 2016", "4 May 2016", "4 May, 2016". */
static bool
parse_dmy(const char *p, const char *end, int *y, int *m, int *d)
{
    const char *w;
    int day = 0, nd = 0;
    while (p < end && isdigit((unsigned char)*p) && nd < 2) {
        day = day * 10 + (*p++ - '0');
        nd++;
    }
    if (nd == 0 || p >= end || (*p != ' ' && *p != '-'))
        return false;
    p++;
    w = p;
    while (p < end && isalpha((unsigned char)*p))
        p++;
    *m = month_from_name(w, (size_t)(p - w));
    if (!*m)
        return false;
    if (p < end && *p == ',')
        p++;
    if (p >= end || (*p != ' ' && *p != '-'))
        return false;
    p++;
    if (!take_digits(&p, end, 4, y) || p != end)
        return false;
    *d = day;
    return true;
}

truce_status
truce_parse_when(const char *s, size_t n, struct truce_when *out)
{
    const char *p = s, *end = s + n;
    int y, mo, d, h = 0, mi = 0, se = 0;
    int64_t secs;
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    memset(out, 0, sizeof(*out));
    if (!(end - p >= 5 && p[4] == '-')) {
        if (!parse_dmy(p, end, &y, &mo, &d))
            return TRUCE_EPARSE;
        goto check_date;
    }
    if (!take_digits(&p, end, 4, &y) || p >= end || *p++ != '-' ||
        !take_digits(&p, end, 2, &mo) || p >= end || *p++ != '-' ||
        !take_digits(&p, end, 2, &d))
        return TRUCE_EPARSE;
    if (p < end) {
        if (*p != 'T' && *p != ' ' && *p != 't')
            return TRUCE_EPARSE;
        p++;
        if (!take_digits(&p, end, 2, &h) || p >= end || *p++ != ':' ||
            !take_digits(&p, end, 2, &mi))
            return TRUCE_EPARSE;
        if (p < end && *p == ':') {
            p++;
            if (!take_digits(&p, end, 2, &se))
                return TRUCE_EPARSE;
            if (p < end && *p == '.') {
                p++;
                while (p < end && isdigit((unsigned char)*p))
                    p++;
            }
        }
        if (h > 24 || mi > 59 || se > 60 || (h == 24 && (mi || se)))
            return TRUCE_EPARSE;
        out->has_time = true;
        if (p < end) {
            int oh, om = 0, sign;
            if (*p == 'Z' || *p == 'z') {
                p++;
                out->secs = 0;
                out->has_offset = true;
                sign = 0;
                oh = 0;
            } else if (*p == '+' || *p == '-') {
                sign = *p == '-' ? -1 : 1;
                p++;
                if (!take_digits(&p, end, 2, &oh))
                    return TRUCE_EPARSE;
                if (p < end && *p == ':')
                    p++;
                if (p < end && !take_digits(&p, end, 2, &om))
                    return TRUCE_EPARSE;
                if (oh > 18 || om > 59)
                    return TRUCE_EPARSE;
                out->has_offset = true;
            } else {
                return TRUCE_EPARSE;
            }
            if (p != end)
                return TRUCE_EPARSE;
            out->secs = -(int64_t)sign * (oh * 3600 + om * 60);
        }
    }
check_date:
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return TRUCE_EPARSE;
    secs = truce_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    out->secs += secs;
    /* Years 1000 to 9999 after any offset: what is read can be written. */
    if (out->secs < truce_days_from_civil(1000, 1, 1) * 86400 ||
        out->secs >= truce_days_from_civil(10000, 1, 1) * 86400)
        return TRUCE_EPARSE;
    return TRUCE_OK;
}

/* ---------------------------------------------------- days as written */

/* Reads 1 to max digits. */
static bool
take_number(const char **p, const char *end, int max, int *out, int *nd)
{
    int v = 0, k = 0;
    while (*p < end && k < max && isdigit((unsigned char)**p)) {
        v = v * 10 + (*(*p)++ - '0');
        k++;
    }
    *out = v;
    if (nd)
        *nd = k;
    return k > 0;
}

/* A two-digit year as strptime's %y reads it: 69-99 are 19xx, 00-68 20xx. */
static int
full_year(int y, int digits)
{
    return digits > 2 ? y : y >= 69 ? 1900 + y : 2000 + y;
}

/* " hh:mm[:ss[.fff]]" with " AM"/" PM" after it, or nothing. */
static bool
time_of_day(const char *p, const char *end)
{
    int h, m, s = 0;
    if (p == end)
        return true;
    if ((*p != ' ' && *p != 'T') || ++p >= end || !take_number(&p, end, 2, &h, NULL) ||
        p >= end || *p++ != ':' || !take_number(&p, end, 2, &m, NULL))
        return false;
    if (p < end && *p == ':') {
        p++;
        if (!take_number(&p, end, 2, &s, NULL))
            return false;
        if (p < end && *p == '.')
            for (p++; p < end && isdigit((unsigned char)*p);)
                p++;
    }
    if (end - p == 3 && p[0] == ' ' &&
        (strncasecmp(p + 1, "AM", 2) == 0 || strncasecmp(p + 1, "PM", 2) == 0)) {
        if (h < 1 || h > 12)
            return false;
        p = end;
    }
    return p == end && h <= 24 && m <= 59 && s <= 60;
}

static truce_status
day_of(int y, int m, int d, int64_t *days)
{
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > days_in_month(y, m))
        return TRUCE_EPARSE;
    *days = truce_days_from_civil(y, m, d);
    return TRUCE_OK;
}

/* "a/b/yyyy[ time]" in the given order. */
static truce_status
slashed(const char *p, const char *end, enum truce_date_order order,
        int64_t *days, enum truce_date_order *hint)
{
    int a, b, y, ny;
    if (!take_number(&p, end, 2, &a, NULL) || p >= end || *p++ != '/' ||
        !take_number(&p, end, 2, &b, NULL) || p >= end || *p++ != '/' ||
        !take_number(&p, end, 4, &y, &ny) || ny == 1 || ny == 3 ||
        !time_of_day(p, end))
        return TRUCE_EPARSE;
    y = full_year(y, ny);
    *hint = a > 12 ? TRUCE_DATES_DMY : b > 12 ? TRUCE_DATES_MDY
                                              : TRUCE_DATES_UNKNOWN;
    if (order == TRUCE_DATES_UNKNOWN)
        order = *hint;
    if (order == TRUCE_DATES_UNKNOWN && a != b)
        return TRUCE_EINVAL;
    return order == TRUCE_DATES_MDY ? day_of(y, a, b, days)
                                    : day_of(y, b, a, days);
}

/* "9-May-20", "09-May-2020", "9 May 2020" with a time after it. */
static truce_status
named_month(const char *p, const char *end, int64_t *days)
{
    int d, y, ny, m;
    const char *w;
    char sep;
    if (!take_number(&p, end, 2, &d, NULL) || p >= end ||
        (*p != '-' && *p != ' '))
        return TRUCE_EPARSE;
    sep = *p++;
    for (w = p; p < end && isalpha((unsigned char)*p);)
        p++;
    if (!(m = month_from_name(w, (size_t)(p - w))))
        return TRUCE_EPARSE;
    if (p < end && *p == ',')
        p++;
    if (p >= end || (*p != sep && *p != ' '))
        return TRUCE_EPARSE;
    p++;
    if (!take_number(&p, end, 4, &y, &ny) || ny == 1 || ny == 3 ||
        !time_of_day(p, end))
        return TRUCE_EPARSE;
    return day_of(full_year(y, ny), m, d, days);
}

/* "yyyymmdd", or an Excel serial number ("42495", "42495.5"). */
static truce_status
digits_only(const char *p, const char *end, int64_t *days)
{
    const char *q = p;
    int64_t v = 0;
    while (q < end && isdigit((unsigned char)*q) && q - p < 9)
        v = v * 10 + (*q++ - '0');
    if (q == end && end - p == 8 && (p[0] == '1' || p[0] == '2'))
        return day_of((int)(v / 10000), (int)(v / 100 % 100), (int)(v % 100),
                      days);
    if (q < end && *q == '.')
        for (q++; q < end && isdigit((unsigned char)*q);)
            q++;
    if (q != end || end - p < 1 || !isdigit((unsigned char)p[0]))
        return TRUCE_EPARSE;
    /* Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that
     * never was, so from day 61 on the days count from 1899-12-30. */
    if (v < 61 || v > 2958465)
        return TRUCE_EPARSE;
    *days = truce_days_from_civil(1899, 12, 30) + v;
    return TRUCE_OK;
}

truce_status
truce_parse_day(const char *s, size_t n, enum truce_date_order order,
                int64_t *days, enum truce_date_order *hint)
{
    const char *p = s, *end = s + n;
    enum truce_date_order h = TRUCE_DATES_UNKNOWN;
    truce_status st;
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    if (end - p >= 10 && p[4] == '-' && isdigit((unsigned char)p[5])) {
        int y, m, d;
        const char *q = p;
        struct truce_when w;
        if (!take_digits(&q, end, 4, &y) || *q++ != '-' ||
            !take_digits(&q, end, 2, &m) || *q++ != '-' ||
            !take_digits(&q, end, 2, &d) ||
            truce_parse_when(p, (size_t)(end - p), &w))
            st = TRUCE_EPARSE;
        else
            st = day_of(y, m, d, days);
    } else if (memchr(p, '/', (size_t)(end - p))) {
        st = slashed(p, end, order, days, &h);
    } else if (end > p && isdigit((unsigned char)*p) &&
               (memchr(p, '-', (size_t)(end - p)) ||
                memchr(p, ' ', (size_t)(end - p)))) {
        st = named_month(p, end, days);
    } else {
        st = digits_only(p, end, days);
    }
    if (hint)
        *hint = h;
    return st;
}

/* ------------------------------------------------------------ zones */

struct tz_change {
    int64_t at;     /* UTC instant of the change */
    int32_t offset; /* offset from then on */
};

struct truce_tz {
    char *name;
    int32_t first_offset; /* before the first change */
    struct tz_change *changes;
    size_t n_changes;
};

/* Zones are scanned over this span; outside it the nearest offset holds. */
#define TZ_SCAN_FROM (-2208988800LL) /* 1900-01-01 */
#define TZ_SCAN_TO (4102444800LL)    /* 2100-01-01 */
#define TZ_STEP (86400LL)

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static bool
tz_name_ok(const char *name)
{
    char path[512];
    struct stat sb;
    if (!name[0] || name[0] == '/' || strstr(name, "..") ||
        strlen(name) > 200)
        return false;
    for (const char *c = name; *c; c++) {
        if (!isalnum((unsigned char)*c) && !strchr("/_-+", *c))
            return false;
    }
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int32_t
offset_now(int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!localtime_r(&tt, &tm))
        return 0;
    return (int32_t)tm.tm_gmtoff;
}

static truce_status
tz_add_change(struct truce_tz *tz, size_t *cap, int64_t at, int32_t off)
{
    if (tz->n_changes == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        struct tz_change *c =
            truce__realloc(tz->changes, ncap * sizeof(*c));
        if (!c)
            return TRUCE_ENOMEM;
        tz->changes = c;
        *cap = ncap;
    }
    tz->changes[tz->n_changes].at = at;
    tz->changes[tz->n_changes].offset = off;
    tz->n_changes++;
    return TRUCE_OK;
}

/* Fills the change table; TZ must name the zone. */
static truce_status
tz_scan(struct truce_tz *tz)
{
    size_t cap = 0;
    int64_t t = TZ_SCAN_FROM;
    int32_t cur = offset_now(t);
    tz->first_offset = cur;
    while (t < TZ_SCAN_TO) {
        int64_t next = t + TZ_STEP;
        int32_t off = offset_now(next);
        if (off != cur) {
            int64_t lo = t, hi = next; /* offset(lo) == cur, (hi) == off */
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (offset_now(mid) == cur)
                    lo = mid;
                else
                    hi = mid;
            }
            if (tz_add_change(tz, &cap, hi, off))
                return TRUCE_ENOMEM;
            cur = off;
        }
        t = next;
    }
    return TRUCE_OK;
}

truce_status
truce_tz_load(struct truce_ctx *ctx, const char *name, struct truce_tz **out)
{
    struct truce_tz *tz;
    char *saved = NULL;
    const char *old;
    truce_status st;
    if (!tz_name_ok(name))
        return truce__err(ctx, TRUCE_EINVAL, "unknown time zone '%s'",
                          name);
    tz = truce__calloc(1, sizeof(*tz));
    if (!tz || !(tz->name = truce__strdup(name))) {
        truce__free(tz);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&tz_lock);
    old = getenv("TZ");
    if (old)
        saved = strdup(old);
    setenv("TZ", name, 1);
    tzset();
    st = tz_scan(tz);
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
    pthread_mutex_unlock(&tz_lock);
    if (st) {
        truce_tz_free(tz);
        return truce__err(ctx, st, "out of memory");
    }
    *out = tz;
    return TRUCE_OK;
}

void
truce_tz_free(struct truce_tz *tz)
{
    if (!tz)
        return;
    truce__free(tz->name);
    truce__free(tz->changes);
    truce__free(tz);
}

const char *
truce_tz_name(const struct truce_tz *tz)
{
    return tz->name;
}

/* Index of the last change at or before t, or -1. */
static long
tz_find(const struct truce_tz *tz, int64_t t)
{
    size_t lo = 0, hi = tz->n_changes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->changes[mid].at <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

int32_t
truce_tz_offset(const struct truce_tz *tz, int64_t t)
{
    long i = tz_find(tz, t);
    return i < 0 ? tz->first_offset : tz->changes[i].offset;
}

int64_t
truce_tz_to_utc(const struct truce_tz *tz, int64_t lt)
{
    int32_t before = truce_tz_offset(tz, lt - 2 * 86400);
    int32_t after = truce_tz_offset(tz, lt + 2 * 86400);
    int64_t ua = lt - before, ub = lt - after;
    bool va = truce_tz_offset(tz, ua) == before;
    bool vb = truce_tz_offset(tz, ub) == after;
    long i;
    if (va && vb)
        return ua < ub ? ua : ub;
    if (va)
        return ua;
    if (vb)
        return ub;
    /* In a gap: the instant of the change that skipped lt. */
    i = tz_find(tz, ua > ub ? ua : ub);
    return i < 0 ? ua : tz->changes[i].at;
}

bool
truce_parse_bbox(const char *s, double b[4])
{
    char *end;
    for (int i = 0; i < 4; i++) {
        b[i] = strtod(s, &end);
        if (end == s || (i < 3 && *end != ',') || (i == 3 && *end))
            return false;
        s = end + 1;
    }
    return b[0] <= b[2] && b[1] <= b[3] && b[0] >= -180 && b[2] <= 180 &&
           b[1] >= -90 && b[3] <= 90;
}
