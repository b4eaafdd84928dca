/*
 * time.c - civil dates, the date-time forms truce reads, and IANA time
 * zones from the system tz database.
 *
 * A zone is read once from its TZif file (RFC 8536, versions 1 to 4) under
 * /usr/share/zoneinfo into an immutable table of offset changes; after
 * that, conversions are pure lookups, safe from any thread. Loading
 * changes no process state: no TZ, no locale, no C library zone call.
 *
 * The reader takes the 64-bit data of a version 2+ file (the 32-bit block
 * before it is only measured and skipped), or the 32-bit data of a version
 * 1 file, and checks every count, index and order against the file's size
 * before it reads: a short, inconsistent or hostile file is TRUCE_EPARSE,
 * "time zone 'NAME': " and what is wrong. Before the first transition type
 * 0 holds (RFC 8536 section 3.2). From the last transition on, the
 * footer's POSIX TZ string holds (section 3.3, with the 3.3.1 extension
 * of transition times from -167 h to +167 h): its rule is expanded into
 * changes, year by year up to the end of the span, rather than evaluated
 * at each lookup, so that every lookup stays one binary search. An empty
 * footer (zic writes one for the right/ zones) leaves the last
 * transition's offset in force. Leap-second records are skipped and
 * transition times taken as written, as the C library takes them.
 *
 * The table spans 1900-01-01 to 2100-01-01 (TZ_SCAN_FROM, TZ_SCAN_TO);
 * before it the offset in force at its start holds, after it the one at
 * its end. A transition that leaves the offset as it was (a new
 * abbreviation, or isdst alone) is no change.
 */
#include "truce_int.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The change table spans these instants; outside it the nearest offset
 * holds (the one in force at 1900-01-01 before, at 2100-01-01 after). */
#define TZ_SCAN_FROM (-2208988800LL) /* 1900-01-01 */
#define TZ_SCAN_TO (4102444800LL)    /* 2100-01-01 */
#define TZ_LAST_YEAR 2099            /* the last year before TZ_SCAN_TO */

#define TZ_ROOT "/usr/share/zoneinfo"
/* Zone files are a few kilobytes; a larger file is not one. */
#define TZ_MAX_FILE (1L << 20)
/* RFC 8536 section 3.2: an offset lies within (-25 h, +26 h). */
#define TZ_MIN_OFFSET (-89999)
#define TZ_MAX_OFFSET 93599
#define TZIF_HEAD 44 /* bytes of a TZif header */

/* A name as the tz database writes them: no "..", no leading '/'. */
static bool
tz_name_ok(const char *name)
{
    if (!name[0] || name[0] == '/' || strstr(name, "..") ||
        strlen(name) > 200)
        return false;
    for (const char *c = name; *c; c++) {
        if (!isalnum((unsigned char)*c) && !strchr("/_-+", *c))
            return false;
    }
    return true;
}

/* -------- the change table, filled in time order */

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

/* Offset off is in force from at on; at never decreases from one call to
 * the next. A change at or before the span's start sets the first offset,
 * one after its end is dropped, a change to the offset in force is none,
 * and of two changes at one instant the later holds. */
static truce_status
tz_emit(struct truce_tz *tz, size_t *cap, int64_t at, int32_t off)
{
    int32_t prev;
    assert(!tz->n_changes || at >= tz->changes[tz->n_changes - 1].at);
    if (at <= TZ_SCAN_FROM) {
        tz->first_offset = off;
        return TRUCE_OK;
    }
    if (at > TZ_SCAN_TO)
        return TRUCE_OK;
    if (tz->n_changes && tz->changes[tz->n_changes - 1].at == at)
        tz->n_changes--;
    prev = tz->n_changes ? tz->changes[tz->n_changes - 1].offset
                         : tz->first_offset;
    return off == prev ? TRUCE_OK : tz_add_change(tz, cap, at, off);
}

/* -------- the footer's POSIX TZ string (RFC 8536 section 3.3) */

/* One end of daylight-saving time: a day of the year and a local time. */
struct tz_rule {
    char kind;    /* 'J': Jn, 1-365, 29 Feb never counted; 'D': n, 0-365,
                   * counted; 'M': Mm.w.d */
    int a, b, c;  /* n; or month 1-12, week 1-5 (5: the last), weekday
                   * 0-6 (0: Sunday) */
    int32_t time; /* local time of day, seconds; -167 h to +167 h */
};

struct tz_posix {
    int32_t std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    struct tz_rule start, end; /* into and out of daylight-saving time */
};

/* 1 to max digits. */
static bool
posix_num(const char **p, const char *end, int max, int *out)
{
    int v = 0, k = 0;
    while (*p < end && k < max && isdigit((unsigned char)**p)) {
        v = v * 10 + (*(*p)++ - '0');
        k++;
    }
    *out = v;
    return k > 0;
}

/* "EET", or "<+0545>": three or more letters, or between '<' and '>' three
 * or more letters, digits, '+' and '-'. */
static bool
posix_name(const char **p, const char *end)
{
    const char *s = *p, *from;
    if (s < end && *s == '<') {
        for (from = ++s; s < end && (isalnum((unsigned char)*s) ||
                                     *s == '+' || *s == '-');)
            s++;
        if (s >= end || *s != '>' || s - from < 3)
            return false;
        *p = s + 1;
        return true;
    }
    for (from = s; s < end && isalpha((unsigned char)*s);)
        s++;
    if (s - from < 3)
        return false;
    *p = s;
    return true;
}

/* [+-]hh[:mm[:ss]], hh up to max_h, as seconds. */
static bool
posix_hms(const char **p, const char *end, int max_h, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (*p < end && (**p == '+' || **p == '-'))
        sign = *(*p)++ == '-' ? -1 : 1;
    if (!posix_num(p, end, 3, &h) || h > max_h)
        return false;
    if (*p < end && **p == ':') {
        (*p)++;
        if (!posix_num(p, end, 2, &m) || m > 59)
            return false;
        if (*p < end && **p == ':') {
            (*p)++;
            if (!posix_num(p, end, 2, &s) || s > 59)
                return false;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return true;
}

/* "Jn", "n" or "Mm.w.d", then "/time" or 02:00 by default. */
static bool
posix_rule(const char **p, const char *end, struct tz_rule *r)
{
    const char *s = *p;
    r->b = r->c = 0;
    if (s < end && *s == 'J') {
        s++;
        r->kind = 'J';
        if (!posix_num(&s, end, 3, &r->a) || r->a < 1 || r->a > 365)
            return false;
    } else if (s < end && *s == 'M') {
        s++;
        r->kind = 'M';
        if (!posix_num(&s, end, 2, &r->a) || r->a < 1 || r->a > 12 ||
            s >= end || *s++ != '.' || !posix_num(&s, end, 1, &r->b) ||
            r->b < 1 || r->b > 5 || s >= end || *s++ != '.' ||
            !posix_num(&s, end, 1, &r->c) || r->c > 6)
            return false;
    } else {
        r->kind = 'D';
        if (!posix_num(&s, end, 3, &r->a) || r->a > 365)
            return false;
    }
    r->time = 2 * 3600;
    if (s < end && *s == '/') {
        s++;
        if (!posix_hms(&s, end, 167, &r->time))
            return false;
    }
    *p = s;
    return true;
}

/* Reads "std offset [dst [offset] ,start[/time],end[/time]]". On failure
 * *why says what is wrong. */
static bool
posix_parse(const char *s, size_t n, struct tz_posix *pz, const char **why)
{
    const char *p = s, *end = s + n;
    int32_t v;
    memset(pz, 0, sizeof(*pz));
    if (!posix_name(&p, end))
        return *why = "no standard-time name", false;
    if (!posix_hms(&p, end, 24, &v))
        return *why = "no standard-time offset", false;
    pz->std_off = pz->dst_off = -v;
    if (p == end)
        return true;
    if (!posix_name(&p, end))
        return *why = "no daylight-saving name after the offset", false;
    pz->has_dst = true;
    pz->dst_off = pz->std_off + 3600;
    if (p < end && *p != ',') {
        if (!posix_hms(&p, end, 24, &v))
            return *why = "bad daylight-saving offset", false;
        pz->dst_off = -v;
    }
    /* POSIX leaves a missing rule to the implementation; zic always
     * writes one. */
    if (p == end)
        return *why = "daylight-saving time without a rule", false;
    if (*p++ != ',' || !posix_rule(&p, end, &pz->start))
        return *why = "bad start of daylight-saving time", false;
    if (p >= end || *p++ != ',' || !posix_rule(&p, end, &pz->end))
        return *why = "bad end of daylight-saving time", false;
    if (p != end)
        return *why = "characters after the rule", false;
    return true;
}

/* The UTC instant of rule r's change in year y, with offset `before` in
 * force until then. */
static int64_t
rule_at(const struct tz_rule *r, int y, int32_t before)
{
    int64_t jan1 = truce_days_from_civil(y, 1, 1), day;
    bool leap = days_in_month(y, 2) == 29;
    if (r->kind == 'J') {
        day = jan1 + r->a - 1 + (leap && r->a >= 60);
    } else if (r->kind == 'D') {
        day = jan1 + r->a;
    } else {
        int64_t first = truce_days_from_civil(y, r->a, 1);
        int wday = (int)((first % 7 + 11) % 7); /* 1970-01-01: Thursday */
        int d = (r->c - wday + 7) % 7 + 7 * (r->b - 1);
        while (d >= days_in_month(y, r->a))
            d -= 7;
        day = first + d;
    }
    return day * 86400 + r->time - before;
}

/* Feeds the footer's offsets for the instants from `from` on into the
 * table: every change into and out of daylight-saving time of the years
 * that reach the span, in time order (of two at one instant, the later in
 * the rule's order holds, so daylight-saving time all year is one). */
static truce_status
tz_expand(struct truce_tz *tz, size_t *cap, const struct tz_posix *pz,
          int64_t from)
{
    struct tz_change ch[2 * (TZ_LAST_YEAR - 1900 + 3)];
    size_t n = 0;
    int32_t cur = pz->std_off;
    int y0, m, d;
    truce_status st;
    if (from < TZ_SCAN_FROM)
        from = TZ_SCAN_FROM;
    if (from > TZ_SCAN_TO)
        return TRUCE_OK;
    if (!pz->has_dst)
        return tz_emit(tz, cap, from, pz->std_off);
    truce_civil_from_days(floor_div(from, 86400), &y0, &m, &d);
    /* A year early: its changes can fall up to a week into this one. */
    for (int y = y0 - 1; y <= TZ_LAST_YEAR + 1; y++) {
        assert(n + 2 <= sizeof(ch) / sizeof(ch[0]));
        ch[n].at = rule_at(&pz->start, y, pz->std_off);
        ch[n++].offset = pz->dst_off;
        ch[n].at = rule_at(&pz->end, y, pz->dst_off);
        ch[n++].offset = pz->std_off;
    }
    /* Insertion sort, stable: the list is nearly in order. */
    for (size_t i = 1; i < n; i++) {
        struct tz_change c = ch[i];
        size_t j = i;
        for (; j > 0 && ch[j - 1].at > c.at; j--)
            ch[j] = ch[j - 1];
        ch[j] = c;
    }
    for (size_t i = 0; i < n && ch[i].at <= from; i++)
        cur = ch[i].offset;
    if ((st = tz_emit(tz, cap, from, cur)))
        return st;
    for (size_t i = 0; i < n; i++) {
        if (ch[i].at > from && (st = tz_emit(tz, cap, ch[i].at,
                                             ch[i].offset)))
            return st;
    }
    return TRUCE_OK;
}

/* -------- TZif (RFC 8536) */

/* The bytes being read and, once something is wrong, what. */
struct tzif {
    const unsigned char *p, *end;
    char why[200];
};

/* The counts of a header. */
struct tzif_head {
    int version; /* 1, 2, 3 or 4 */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    size_t size; /* bytes of the data block that follows */
};

/* A checked data block: times of tsize bytes, type indices, types. */
struct tzif_data {
    const unsigned char *times, *idx, *types;
    uint32_t timecnt;
    int tsize;
};

static bool tzif_bad(struct tzif *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
tzif_bad(struct tzif *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->why, sizeof(f->why), fmt, ap);
    va_end(ap);
    return false;
}

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static int32_t
be32s(const unsigned char *p)
{
    uint32_t u = be32(p);
    return u <= INT32_MAX ? (int32_t)u : (int32_t)((int64_t)u - 4294967296LL);
}

static int64_t
tzif_time(const struct tzif_data *d, uint32_t i)
{
    const unsigned char *p = d->times + (size_t)i * (size_t)d->tsize;
    uint64_t u;
    if (d->tsize == 4)
        return be32s(p);
    u = (uint64_t)be32(p) << 32 | be32(p + 4);
    return u <= INT64_MAX ? (int64_t)u : -(int64_t)~u - 1;
}

static int32_t
tzif_offset(const struct tzif_data *d, unsigned type)
{
    return be32s(d->types + 6 * (size_t)type);
}

/* The header at f->p (the first, or with tsize 8 the version 2+ one),
 * and that the data block it announces lies within the file; f->p moves
 * to the block. */
static bool
tzif_head(struct tzif *f, int tsize, struct tzif_head *h)
{
    const unsigned char *p = f->p;
    const char *which = tsize == 4 ? "header" : "version 2+ header";
    size_t left = (size_t)(f->end - p);
    uint64_t need;
    if (left == 0 && tsize == 4)
        return tzif_bad(f, "empty file, not a TZif file");
    if (left < TZIF_HEAD &&
        memcmp(p, "TZif", left < 4 ? left : 4) == 0)
        return tzif_bad(f, "%s cut short (%zu of %d bytes)", which, left,
                        TZIF_HEAD);
    if (left < TZIF_HEAD || memcmp(p, "TZif", 4) != 0)
        return tsize == 4
                   ? tzif_bad(f, "not a TZif file (no 'TZif' at the start)")
                   : tzif_bad(f, "no 'TZif' at the %s", which);
    switch (p[4]) {
    case 0: h->version = 1; break;
    case '2': h->version = 2; break;
    case '3': h->version = 3; break;
    case '4': h->version = 4; break;
    default:
        return tzif_bad(f, "unknown TZif version (byte 0x%02x)", p[4]);
    }
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    if (h->typecnt == 0)
        return tzif_bad(f, "%s: no local time types (typecnt 0)", which);
    if (h->charcnt == 0)
        return tzif_bad(f, "%s: no designations (charcnt 0)", which);
    if (h->isutcnt != 0 && h->isutcnt != h->typecnt)
        return tzif_bad(f, "%s: isutcnt %u is neither 0 nor typecnt %u",
                        which, h->isutcnt, h->typecnt);
    if (h->isstdcnt != 0 && h->isstdcnt != h->typecnt)
        return tzif_bad(f, "%s: isstdcnt %u is neither 0 nor typecnt %u",
                        which, h->isstdcnt, h->typecnt);
    /* Each count is below 2^32: the sum cannot overflow 64 bits. */
    need = (uint64_t)h->timecnt * (uint64_t)(tsize + 1) +
           (uint64_t)h->typecnt * 6 + h->charcnt +
           (uint64_t)h->leapcnt * (uint64_t)(tsize + 4) + h->isstdcnt +
           h->isutcnt;
    if (need > left - TZIF_HEAD)
        return tzif_bad(f, "%s: its counts (%u transitions, %u types, %u "
                        "bytes of designations, %u leap seconds) need %llu "
                        "bytes of data, %zu follow",
                        which, h->timecnt, h->typecnt, h->charcnt,
                        h->leapcnt, (unsigned long long)need,
                        left - TZIF_HEAD);
    h->size = (size_t)need;
    f->p = p + TZIF_HEAD;
    return true;
}

/* Checks the data block at f->p announced by h and moves past it.
 * Leap-second records (right/ zones) are skipped: their transition times
 * are taken as written, as the C library takes them. */
static bool
tzif_data(struct tzif *f, const struct tzif_head *h, int tsize,
          struct tzif_data *d)
{
    const unsigned char *p = f->p;
    d->tsize = tsize;
    d->timecnt = h->timecnt;
    d->times = p;
    d->idx = p + (size_t)h->timecnt * (size_t)tsize;
    d->types = d->idx + h->timecnt;
    for (uint32_t i = 0; i < h->timecnt; i++) {
        if (d->idx[i] >= h->typecnt)
            return tzif_bad(f, "transition %u has type %u, the file has %u "
                            "types", i, d->idx[i], h->typecnt);
        if (i > 0 && tzif_time(d, i) <= tzif_time(d, i - 1))
            return tzif_bad(f, "transition %u (at %lld) is not after the "
                            "one before it (at %lld)", i,
                            (long long)tzif_time(d, i),
                            (long long)tzif_time(d, i - 1));
    }
    for (uint32_t i = 0; i < h->typecnt; i++) {
        const unsigned char *t = d->types + 6 * (size_t)i;
        int32_t off = be32s(t);
        if (off < TZ_MIN_OFFSET || off > TZ_MAX_OFFSET)
            return tzif_bad(f, "type %u has an offset of %ld s, beyond "
                            "-25 h to +26 h", i, (long)off);
        if (t[4] > 1)
            return tzif_bad(f, "type %u has isdst %u, not 0 or 1", i, t[4]);
        if (t[5] >= h->charcnt)
            return tzif_bad(f, "type %u has designation index %u, the file "
                            "has %u bytes of designations", i, t[5],
                            h->charcnt);
    }
    f->p = p + h->size;
    return true;
}

/* The footer: '\n', a TZ string (possibly empty), '\n'. */
static bool
tzif_footer(struct tzif *f, const char **s, size_t *n)
{
    const unsigned char *nl;
    if (f->p >= f->end || *f->p != '\n')
        return tzif_bad(f, "no footer (a newline, a TZ string and a "
                        "newline) after the version 2+ data");
    nl = memchr(f->p + 1, '\n', (size_t)(f->end - f->p - 1));
    if (!nl)
        return tzif_bad(f, "the footer's TZ string has no closing newline");
    *s = (const char *)f->p + 1;
    *n = (size_t)(nl - f->p - 1);
    f->p = nl + 1;
    return true;
}

/* The footer string as a message may show it: 60 bytes at most, bytes
 * outside printable ASCII as '?'. */
static void
tzif_quote(const char *s, size_t n, char out[64])
{
    size_t k = n < 60 ? n : 57;
    for (size_t i = 0; i < k; i++)
        out[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
    memcpy(out + k, n > k ? "..." : "", n > k ? 4 : 1);
}

truce_status
truce__tz_parse(struct truce_ctx *ctx, const char *name, const void *data,
                size_t size, struct truce_tz **out)
{
    struct tzif f = {data ? data : "", NULL, ""};
    struct tzif_head h;
    struct tzif_data d;
    struct tz_posix pz;
    struct truce_tz *tz;
    const char *footer = NULL, *why = NULL;
    size_t n_footer = 0, cap = 0;
    int tsize = 4, version;
    truce_status st = TRUCE_OK;
    *out = NULL;
    f.end = f.p + (data ? size : 0);
    if (!tzif_head(&f, 4, &h))
        goto out_bad;
    version = h.version;
    if (version >= 2) {
        /* The 32-bit data, kept for version 1 readers, is skipped unread
         * (RFC 8536 section 4). */
        f.p += h.size;
        if (!tzif_head(&f, 8, &h))
            goto out_bad;
        if (h.version != version) {
            tzif_bad(&f, "version %d header after a version %d one",
                     h.version, version);
            goto out_bad;
        }
        tsize = 8;
    }
    if (!tzif_data(&f, &h, tsize, &d) ||
        (version >= 2 && !tzif_footer(&f, &footer, &n_footer)))
        goto out_bad;
    if (n_footer && !posix_parse(footer, n_footer, &pz, &why)) {
        char q[64];
        tzif_quote(footer, n_footer, q);
        return truce__err(ctx, TRUCE_EPARSE, "time zone '%s': footer TZ "
                          "string '%s': %s", name, q, why);
    }
    tz = truce__calloc(1, sizeof(*tz));
    if (!tz || !(tz->name = truce__strdup(name))) {
        truce__free(tz);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    /* Before the first transition, type 0 (RFC 8536 section 3.2); from
     * the last on, the footer's rule when there is one. */
    tz->first_offset = tzif_offset(&d, 0);
    for (uint32_t i = 0; i < d.timecnt && !st; i++)
        st = tz_emit(tz, &cap, tzif_time(&d, i),
                     tzif_offset(&d, d.idx[i]));
    if (!st && n_footer)
        st = tz_expand(tz, &cap, &pz,
                       d.timecnt ? tzif_time(&d, d.timecnt - 1)
                                 : TZ_SCAN_FROM);
    if (st) {
        truce_tz_free(tz);
        return truce__err(ctx, st, "out of memory");
    }
    *out = tz;
    return TRUCE_OK;
out_bad:
    return truce__err(ctx, TRUCE_EPARSE, "time zone '%s': %s", name, f.why);
}

truce_status
truce__tz_load_at(struct truce_ctx *ctx, const char *root, const char *name,
                  struct truce_tz **out)
{
    char path[4096];
    struct stat sb;
    unsigned char *buf;
    size_t n = 0, size;
    truce_status st;
    int fd, e;
    *out = NULL;
    if (!tz_name_ok(name) ||
        (size_t)snprintf(path, sizeof(path), "%s/%s", root, name) >=
            sizeof(path))
        return truce__err(ctx, TRUCE_EINVAL, "unknown time zone '%s'",
                          name);
    /* O_NONBLOCK: a FIFO in the folder must not hang the open. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        e = errno;
        if (e == ENOENT || e == ENOTDIR || e == ELOOP)
            return truce__err(ctx, TRUCE_EINVAL, "unknown time zone '%s'",
                              name);
        return truce__err(ctx, TRUCE_EIO, "time zone '%s': cannot open "
                          "'%s': %s", name, path, strerror(e));
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return truce__err(ctx, TRUCE_EINVAL, "unknown time zone '%s'",
                          name);
    }
    if (sb.st_size > TZ_MAX_FILE) {
        close(fd);
        return truce__err(ctx, TRUCE_EPARSE, "time zone '%s': '%s' has %lld "
                          "bytes, more than a zone file", name, path,
                          (long long)sb.st_size);
    }
    size = (size_t)sb.st_size;
    if (!(buf = truce__malloc(size + 1))) {
        close(fd);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    while (n < size) {
        ssize_t k = read(fd, buf + n, size - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            e = errno;
            close(fd);
            truce__free(buf);
            return truce__err(ctx, TRUCE_EIO, "time zone '%s': cannot "
                              "read '%s': %s", name, path, strerror(e));
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    st = truce__tz_parse(ctx, name, buf, n, out);
    truce__free(buf);
    return st;
}

truce_status
truce_tz_load(struct truce_ctx *ctx, const char *name, struct truce_tz **out)
{
    truce__clear(ctx);
    return truce__tz_load_at(ctx, TZ_ROOT, name, out);
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
