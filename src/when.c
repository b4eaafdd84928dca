/*
 * when.c - dates and clock times as news writes them (DESIGN section 9),
 * resolved against the article's publication day in its own time zone.
 *
 * A phrase is read from a token on, its parts in any order: a day
 * ("Wednesday", "yesterday", "Feb. 27", "27 February 2016", "on Saturday,
 * February 27"), a span ("in February", "in recent days", "last week",
 * "for a third day", "over the weekend", "earlier this week"), a clock
 * time ("12:01 a.m.", "6 pm", "18:30", "midnight", "noon", "at sunset")
 * and a zone word ("Damascus time", "local time", "GMT"). The rules:
 *
 * - a weekday is the latest such day on or before the publication day
 *   ("on Wednesday" in a Wednesday paper is that day), or the first on or
 *   after it when the verb is future ("will take effect on Saturday");
 * - a month and day without a year is the latest such date on or before
 *   publication (the first after it when future); a month alone is its
 *   whole span;
 * - "in recent days" is the week up to publication, "in recent weeks" four
 *   weeks, "last week" the Monday-to-Sunday week before publication's,
 *   "for a third day" the three days up to publication;
 * - "midnight" is 00:00 of the day named with it, "noon" 12:00, and the
 *   times of the sun are guesses (dawn 05:00, sunset 19:00) marked
 *   approximate.
 */
#include "truce_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The index in words of the token (case folded), or -1. */
static int
one_of(const char *s, const struct truce__token *t,
       const char *const *words, int n)
{
    struct truce__token bare = *t;
    size_t len = t->end - t->start;
    unsigned char c = (unsigned char)s[t->start];
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c + ('a' - 'A'));
    /* a possessive is its word: "Tuesday's attack" */
    if (len > 2 && s[t->end - 2] == '\'' &&
        (s[t->end - 1] == 's' || s[t->end - 1] == 'S'))
        bare.end -= 2;
    else if (len > 4 && !memcmp(s + t->end - 4, "\xe2\x80\x99", 3) &&
             (s[t->end - 1] == 's' || s[t->end - 1] == 'S'))
        bare.end -= 4;
    for (int i = 0; i < n; i++)
        if ((unsigned char)words[i][0] == c && truce__tok_is(s, &bare, words[i]))
            return i;
    return -1;
}

static const char *const weekdays[] = {"monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday",
                                       "sunday"};
static const char *const months[] = {"january", "february", "march",
                                     "april", "may", "june", "july",
                                     "august", "september", "october",
                                     "november", "december"};
static const char *const month_abbr[] = {"jan", "feb", "mar", "apr", "may",
                                         "jun", "jul", "aug", "sep", "oct",
                                         "nov", "dec"};
static const char *const ordinals[] = {"first", "second", "third", "fourth",
                                       "fifth", "sixth", "seventh", "eighth",
                                       "ninth", "tenth"};

/* 0 Monday .. 6 Sunday of a day since 1970-01-01 (a Thursday). */
static int
weekday_of(int64_t day)
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int
month_at(const char *s, const struct truce__token *t)
{
    int m = one_of(s, t, months, 12);
    if (m < 0)
        m = one_of(s, t, month_abbr, 12);
    if (m < 0 && truce__tok_is(s, t, "sept"))
        m = 8;
    return m;
}

/* A day of the month (1..31) or a year (1900..2100) in a number token. */
static long
num(const char *s, const struct truce__token *t, long lo, long hi)
{
    char buf[8];
    size_t n = t->end - t->start;
    long v;
    char *end;
    if (t->kind != TRUCE_TOK_NUMBER || n >= sizeof(buf))
        return -1;
    memcpy(buf, s + t->start, n);
    buf[n] = '\0';
    v = strtol(buf, &end, 10);
    return *end || v < lo || v > hi ? -1 : v;
}

/* "3rd", "27th" as a day of the month. */
static long
day_word(const char *s, const struct truce__token *t)
{
    size_t n = t->end - t->start;
    long v = 0;
    size_t i = 0;
    if (t->kind == TRUCE_TOK_NUMBER)
        return num(s, t, 1, 31);
    while (i < n && i < 3 && isdigit((unsigned char)s[t->start + i]))
        v = v * 10 + (s[t->start + i++] - '0');
    if (i == 0 || i > 2 || n - i != 2 || v < 1 || v > 31)
        return -1;
    return v;
}

/* The day of month m (0-based) and day d nearest publication in the
 * direction the tense says; year y when written (else 0). */
static int64_t
date_near(int y, int m, int d, int64_t published, bool future)
{
    int py, pm, pd;
    int64_t day;
    if (y)
        return truce_days_from_civil(y, m + 1, d);
    truce_civil_from_days(published, &py, &pm, &pd);
    day = truce_days_from_civil(py, m + 1, d);
    if (!future && day > published)
        day = truce_days_from_civil(py - 1, m + 1, d);
    if (future && day < published)
        day = truce_days_from_civil(py + 1, m + 1, d);
    return day;
}

struct reading {
    const char *s;
    const struct truce__token *t;
    size_t n;
    int64_t published;
    bool future;
    struct truce__when *w;
    bool day, span, time;
    bool weekday;              /* the day is a weekday's: a date may follow */
};

/* The digits of s[a, b) from a on, as a number; *end after them. The
 * text need not end with a NUL. */
static long
digits_in(const char *s, size_t a, size_t b, size_t *end)
{
    long v = 0;
    size_t i = a;
    while (i < b && isdigit((unsigned char)s[i]) && v < 100000)
        v = v * 10 + (s[i++] - '0');
    *end = i;
    return i > a ? v : -1;
}

/* A clock time at token i: "12:01 a.m.", "6 pm", "18:30", "0600 GMT".
 * Returns the tokens taken. */
/* Does a four-digit time end at t[k]: "0900 GMT", "0000 hrs", "0000
 * local time", "0000 Damascus time"? */
static bool
military_zone(const char *s, const struct truce__token *t, size_t n, size_t k)
{
    if (truce__tok_is(s, &t[k], "gmt") || truce__tok_is(s, &t[k], "utc") ||
        truce__tok_is(s, &t[k], "hours") || truce__tok_is(s, &t[k], "hrs"))
        return true;
    return k + 1 < n && truce__tok_is(s, &t[k + 1], "time") &&
           (truce__tok_is(s, &t[k], "local") ||
            (t[k].kind == TRUCE_TOK_WORD &&
             isupper((unsigned char)s[t[k].start])));
}

static size_t
clock_at(struct reading *r, size_t i)
{
    const char *s = r->s;
    const struct truce__token *t = r->t;
    size_t k = i, len;
    long h = -1, m = 0;
    if (i >= r->n)
        return 0;
    len = t[i].end - t[i].start;
    if (t[i].kind == TRUCE_TOK_NUMBER && memchr(s + t[i].start, ':', len)) {
        size_t e;
        h = digits_in(s, t[i].start, t[i].end, &e);
        m = e < t[i].end && s[e] == ':' ? digits_in(s, e + 1, t[i].end, &e)
                                        : -1;
        if (e != t[i].end)
            return 0; /* "12:01:30" and the like are no clock time here */
        k = i + 1;
    } else if (t[i].kind == TRUCE_TOK_NUMBER && len == 4 && i + 1 < r->n &&
               military_zone(s, t, r->n, i + 1)) {
        long v = num(s, &t[i], 0, 2359);
        h = v / 100;
        m = v % 100;
        k = i + 1;
    } else if (t[i].kind == TRUCE_TOK_NUMBER) {
        h = num(s, &t[i], 1, 12);
        k = i + 1;
    } else if (t[i].kind == TRUCE_TOK_WORD && len >= 3 && len <= 4 &&
               isdigit((unsigned char)s[t[i].start]) &&
               (!strncasecmp(s + t[i].end - 2, "am", 2) ||
                !strncasecmp(s + t[i].end - 2, "pm", 2))) {
        /* "6pm" */
        size_t e;
        h = digits_in(s, t[i].start, t[i].end, &e);
        if (h < 1 || h > 12 || e != t[i].end - 2)
            return 0;
        if (!strncasecmp(s + t[i].end - 2, "pm", 2) && h != 12)
            h += 12;
        else if (!strncasecmp(s + t[i].end - 2, "am", 2) && h == 12)
            h = 0;
        r->w->minute = (int)(h * 60);
        return 1;
    }
    if (h < 0 || h > 23 || m < 0 || m > 59)
        return 0;
    /* a.m. / p.m. as "a.m." (a . m .), "am", "pm" */
    if (k < r->n && (truce__tok_is(s, &t[k], "a") || truce__tok_is(s, &t[k], "p")) &&
        k + 2 < r->n && truce__tok_is(s, &t[k + 1], ".") && truce__tok_is(s, &t[k + 2], "m")) {
        bool pm = truce__tok_is(s, &t[k], "p");
        k += 3;
        if (k < r->n && truce__tok_is(s, &t[k], "."))
            k++;
        if (h > 12)
            return 0;
        h = pm ? (h % 12) + 12 : h % 12;
    } else if (k < r->n && (truce__tok_is(s, &t[k], "am") || truce__tok_is(s, &t[k], "pm"))) {
        bool pm = truce__tok_is(s, &t[k], "pm");
        k++;
        if (h > 12)
            return 0;
        h = pm ? (h % 12) + 12 : h % 12;
    } else if (t[i].kind == TRUCE_TOK_NUMBER &&
               !memchr(s + t[i].start, ':', len) && len != 4) {
        return 0; /* a bare number is no time */
    }
    r->w->minute = (int)(h * 60 + m);
    return k - i;
}

/* Times by name: midnight, noon, the sun's. */
static size_t
named_time_at(struct reading *r, size_t i)
{
    static const struct {
        const char *word;
        int minute;
        bool approximate;
    } names[] = {{"midnight", 0, false}, {"noon", 720, false},
                 {"midday", 720, false}, {"dawn", 300, true},
                 {"daybreak", 300, true}, {"sunrise", 330, true},
                 {"sunset", 1140, true}, {"sundown", 1140, true},
                 {"dusk", 1140, true},
                 {"nightfall", 1170, true}};
    size_t lead = 0;
    int shift = 0;
    /* "one minute before midnight", "a minute past midnight" */
    if (i + 3 < r->n && (truce__tok_is(r->s, &r->t[i + 1], "minute") ||
                         truce__tok_is(r->s, &r->t[i + 1], "minutes"))) {
        struct truce__count c;
        long m = truce__tok_is(r->s, &r->t[i], "a") ||
                         truce__tok_is(r->s, &r->t[i], "one")
                     ? 1
                 : truce__count_at(r->s, r->t, r->n, i, &c) && c.last == i &&
                         c.best > 0 && c.best < 60
                     ? c.best
                     : 0;
        if (m && (truce__tok_is(r->s, &r->t[i + 2], "before") ||
                  truce__tok_is(r->s, &r->t[i + 2], "to")))
            shift = (int)-m;
        else if (m && (truce__tok_is(r->s, &r->t[i + 2], "after") ||
                       truce__tok_is(r->s, &r->t[i + 2], "past")))
            shift = (int)m;
        if (shift)
            lead = 3;
    }
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        if (truce__tok_is(r->s, &r->t[i + lead], names[k].word) &&
            (!lead || names[k].minute % 720 == 0)) {
            /* before midnight is the evening of the day named */
            r->w->minute = (names[k].minute + shift + 1440) % 1440;
            r->w->approximate |= names[k].approximate;
            return lead + 1;
        }
    }
    return 0;
}

static void
set_day(struct reading *r, int64_t d0, int64_t d1)
{
    r->w->day0 = d0;
    r->w->day1 = d1;
    r->day = true;
}

/* A month and day in either order, a year after: "February 27", "Feb. 27,
 * 2016", "27 February", "27th of February 2016". */
static size_t
calendar_at(struct reading *r, size_t i)
{
    const char *s = r->s;
    const struct truce__token *t = r->t;
    size_t k = i;
    int m;
    long d = -1, y = 0;
    if ((m = month_at(s, &t[k])) >= 0) {
        k++;
        if (k < r->n && truce__tok_is(s, &t[k], "."))
            k++;
        if (k < r->n && (d = day_word(s, &t[k])) > 0)
            k++;
    } else if ((d = day_word(s, &t[k])) > 0) {
        k++;
        if (k < r->n && truce__tok_is(s, &t[k], "of"))
            k++;
        if (k >= r->n || (m = month_at(s, &t[k])) < 0)
            return 0;
        k++;
        if (k < r->n && truce__tok_is(s, &t[k], "."))
            k++;
    } else {
        return 0;
    }
    if (d > 0) {
        size_t c = k < r->n && truce__tok_is(s, &t[k], ",") ? k + 1 : k;
        long yy = c < r->n ? num(s, &t[c], 1900, 2100) : -1;
        if (yy > 0) {
            y = yy;
            k = c + 1;
        }
        set_day(r, date_near((int)y, m, (int)d, r->published, r->future),
                date_near((int)y, m, (int)d, r->published, r->future));
        return k - i;
    }
    /* a month alone: its span, a year after it when written; "May" alone
     * only after a word that asks for a time ("in May"), not as a verb */
    {
        static const char *const before_may[] = {"in", "of", "since",
                                                 "during", "until", "early",
                                                 "late", "mid", "through"};
        long yy = k < r->n ? num(s, &t[k], 1900, 2100) : -1;
        int py, pm, pd, year;
        if (m == 4 && yy < 0 && truce__tok_is(s, &t[i], "may") &&
            (i == 0 || one_of(s, &t[i - 1], before_may, 9) < 0))
            return 0;
        truce_civil_from_days(r->published, &py, &pm, &pd);
        year = yy > 0 ? (int)yy
               : (!r->future && m + 1 > pm) ? py - 1
               : (r->future && m + 1 < pm)  ? py + 1
                                            : py;
        if (yy > 0)
            k++;
        set_day(r, truce_days_from_civil(year, m + 1, 1),
                truce_days_from_civil(m == 11 ? year + 1 : year,
                                      m == 11 ? 1 : m + 2, 1) - 1);
        r->span = true;
        return k - i;
    }
}

/* Words for days and spans relative to publication. */
static size_t
relative_at(struct reading *r, size_t i)
{
    const char *s = r->s;
    const struct truce__token *t = r->t;
    int64_t p = r->published;
    int wd;
    if (truce__tok_is(s, &t[i], "yesterday"))
        return set_day(r, p - 1, p - 1), 1;
    /* "overnight": the night before the paper, either day */
    if (truce__tok_is(s, &t[i], "overnight"))
        return set_day(r, p - 1, p), r->span = r->w->approximate = true, 1;
    if (truce__tok_is(s, &t[i], "today") || truce__tok_is(s, &t[i], "tonight"))
        return set_day(r, p, p), 1;
    if (truce__tok_is(s, &t[i], "tomorrow"))
        return set_day(r, p + 1, p + 1), 1;
    if (i + 1 < r->n && truce__tok_is(s, &t[i], "last") && truce__tok_is(s, &t[i + 1], "night"))
        return set_day(r, p - 1, p - 1), 2;
    if (i + 1 < r->n && truce__tok_is(s, &t[i], "this") &&
        (truce__tok_is(s, &t[i + 1], "morning") || truce__tok_is(s, &t[i + 1], "afternoon") ||
         truce__tok_is(s, &t[i + 1], "evening")))
        return set_day(r, p, p), 2;
    if (i + 2 < r->n && (truce__tok_is(s, &t[i], "in") || truce__tok_is(s, &t[i], "over")) &&
        (truce__tok_is(s, &t[i + 1], "recent") || truce__tok_is(s, &t[i + 1], "past") ||
         truce__tok_is(s, &t[i + 1], "last"))) {
        if (truce__tok_is(s, &t[i + 2], "days"))
            return set_day(r, p - 6, p), r->span = r->w->approximate = true,
                   3;
        if (truce__tok_is(s, &t[i + 2], "weeks"))
            return set_day(r, p - 27, p), r->span = r->w->approximate = true,
                   3;
    }
    if (i + 1 < r->n && truce__tok_is(s, &t[i], "last") &&
        truce__tok_is(s, &t[i + 1], "month")) {
        int y, m, d;
        truce_civil_from_days(p, &y, &m, &d);
        /* the month before publication's, whole */
        return set_day(r, truce_days_from_civil(m == 1 ? y - 1 : y,
                                                m == 1 ? 12 : m - 1, 1),
                       truce_days_from_civil(y, m, 1) - 1),
               r->span = true, 2;
    }
    /* "since it seized Sanaa in 2014": a year, whole */
    if (i + 1 < r->n && truce__tok_is(s, &t[i], "in") &&
        t[i + 1].end - t[i + 1].start == 4) {
        /* num(), not atoi(): the text need not end in a NUL */
        long year = num(s, &t[i + 1], 1900, 2100);
        if (year > 0)
            return set_day(r, truce_days_from_civil((int)year, 1, 1),
                           truce_days_from_civil((int)year + 1, 1, 1) - 1),
                   r->span = true, 2;
    }
    /* "a bombing last July": the last such month before publication's,
     * whole ("last May" in May is a year back) */
    if (i + 1 < r->n && truce__tok_is(s, &t[i], "last") && month_at(s, &t[i + 1]) >= 0) {
        int y, m, d, month = month_at(s, &t[i + 1]) + 1;
        int year;
        truce_civil_from_days(p, &y, &m, &d);
        year = month >= m ? y - 1 : y;
        return set_day(r, truce_days_from_civil(year, month, 1),
                       truce_days_from_civil(month == 12 ? year + 1 : year,
                                             month == 12 ? 1 : month + 1, 1) - 1),
               r->span = true, 2;
    }
    /* "damaged by shelling last year": the year before publication's,
     * whole (background to the news) */
    if (i + 1 < r->n && truce__tok_is(s, &t[i], "last") &&
        truce__tok_is(s, &t[i + 1], "year")) {
        int y, m, d;
        truce_civil_from_days(p, &y, &m, &d);
        return set_day(r, truce_days_from_civil(y - 1, 1, 1),
                       truce_days_from_civil(y, 1, 1) - 1),
               r->span = true, 2;
    }
    /* "a year to the day after the rockets killed 30 people": what
     * follows is a year before (the article's day, near enough) */
    if (i + 4 < r->n && truce__tok_is(s, &t[i], "a") &&
        truce__tok_is(s, &t[i + 1], "year") && truce__tok_is(s, &t[i + 2], "to") &&
        truce__tok_is(s, &t[i + 3], "the") && truce__tok_is(s, &t[i + 4], "day"))
        return set_day(r, p - 365, p - 365), r->w->approximate = true, 5;
    if (i + 1 < r->n && truce__tok_is(s, &t[i], "last") && truce__tok_is(s, &t[i + 1], "week")) {
        int64_t monday = p - weekday_of(p);
        return set_day(r, monday - 7, monday - 1), r->span = true, 2;
    }
    if (i + 2 < r->n && truce__tok_is(s, &t[i], "earlier") && truce__tok_is(s, &t[i + 1], "this") &&
        truce__tok_is(s, &t[i + 2], "week")) {
        int64_t monday = p - weekday_of(p);
        return set_day(r, monday, p > monday ? p - 1 : p), r->span = true, 3;
    }
    if (i + 2 < r->n && truce__tok_is(s, &t[i], "over") && truce__tok_is(s, &t[i + 1], "the") &&
        truce__tok_is(s, &t[i + 2], "weekend")) {
        int64_t sat = p - ((weekday_of(p) + 2) % 7);
        if (sat + 1 > p)
            sat -= 7;
        return set_day(r, sat, sat + 1), r->span = true, 3;
    }
    /* "for a third day", "for the third straight day", "for three days" */
    if (truce__tok_is(s, &t[i], "for") && i + 2 < r->n) {
        size_t k = i + 1;
        int count = -1;
        if (truce__tok_is(s, &t[k], "a") || truce__tok_is(s, &t[k], "the"))
            k++;
        if (k < r->n && (count = one_of(s, &t[k], ordinals, 10)) >= 0) {
            count++;
            k++;
        } else if (k < r->n) {
            struct truce__count c;
            if (truce__count_at(s, t, r->n, k, &c) && c.best > 0 &&
                c.best <= 60) {
                count = (int)c.best;
                k = c.last + 1;
            }
        }
        while (k < r->n && (truce__tok_is(s, &t[k], "straight") ||
                            truce__tok_is(s, &t[k], "consecutive") ||
                            truce__tok_is(s, &t[k], "successive")))
            k++;
        if (count > 0 && k < r->n &&
            (truce__tok_is(s, &t[k], "day") || truce__tok_is(s, &t[k], "days"))) {
            int64_t end = p;
            size_t used = k + 1 - i;
            int on_day;
            /* "for a third day on Tuesday": the days up to that one */
            if (k + 2 < r->n && truce__tok_is(s, &t[k + 1], "on") &&
                (on_day = one_of(s, &t[k + 2], weekdays, 7)) >= 0) {
                end = p - (weekday_of(p) - on_day + 7) % 7;
                used += 2;
            }
            return set_day(r, end - count + 1, end), r->span = true, used;
        }
    }
    /* "three years ago", "two weeks ago", "a month ago" */
    if (i + 2 < r->n && truce__tok_is(s, &t[i + 2], "ago")) {
        struct truce__count c;
        long per = truce__tok_is(s, &t[i + 1], "days") || truce__tok_is(s, &t[i + 1], "day") ? 1
                   : truce__tok_is(s, &t[i + 1], "weeks") || truce__tok_is(s, &t[i + 1], "week")
                       ? 7
                   : truce__tok_is(s, &t[i + 1], "months") || truce__tok_is(s, &t[i + 1], "month")
                       ? 30
                   : truce__tok_is(s, &t[i + 1], "years") || truce__tok_is(s, &t[i + 1], "year")
                       ? 365
                       : 0;
        long count = truce__tok_is(s, &t[i], "a") || truce__tok_is(s, &t[i], "one") ? 1
                     : truce__count_at(s, t, r->n, i, &c) && c.best > 0 &&
                             c.last == i
                         ? c.best
                         : 0;
        if (per && count > 0 && count <= 100) {
            int64_t d = p - count * per;
            r->w->approximate = per > 1;
            return set_day(r, d, d), 3;
        }
    }
    if ((wd = one_of(s, &t[i], weekdays, 7)) >= 0) {
        int back = (weekday_of(p) - wd + 7) % 7;
        int64_t day = r->future ? p + (wd - weekday_of(p) + 7) % 7 : p - back;
        set_day(r, day, day);
        r->weekday = true;
        return 1;
    }
    return 0;
}

/* Words that may sit between a phrase's parts. */
static bool
filler(const char *s, const struct truce__token *t)
{
    static const char *const words[] = {"on", "at", "of", ",", "late",
                                        "early", "morning", "afternoon",
                                        "evening", "night", "the", "around",
                                        "about", "local", "time", "by", "in",
                                        "since", "until"};
    return one_of(s, t, words, (int)(sizeof(words) / sizeof(words[0]))) >= 0;
}

/* A zone word after a time: "Damascus time", "local time", "GMT". */
static size_t
zone_at(struct reading *r, size_t i)
{
    const char *s = r->s;
    const struct truce__token *t = r->t;
    if (truce__tok_is(s, &t[i], "gmt") || truce__tok_is(s, &t[i], "utc") || truce__tok_is(s, &t[i], "zulu")) {
        r->w->utc = true;
        return 1;
    }
    if (i + 1 < r->n && t[i].kind == TRUCE_TOK_WORD &&
        isupper((unsigned char)s[t[i].start]) && truce__tok_is(s, &t[i + 1], "time") &&
        one_of(s, &t[i], weekdays, 7) < 0 && month_at(s, &t[i]) < 0)
        return 2; /* "Damascus time": the article's zone */
    return 0;
}

bool
truce__when_at(const char *s, const struct truce__token *t, size_t n,
               size_t i, int64_t published, bool future,
               struct truce__when *out)
{
    struct reading r = {s, t, n, published, future, out,
                        false, false, false, false};
    size_t k = i, last = i, parts = 0, fillers = 0;
    memset(out, 0, sizeof(*out));
    out->minute = -1;
    out->day0 = out->day1 = published;
    while (k < n && k < i + 16) {
        size_t used = 0;
        /* a date after a weekday says which ("Saturday, February 27") */
        if ((!r.day || r.weekday) && (used = calendar_at(&r, k)))
            r.weekday = false;
        if (!r.day && !used)
            used = relative_at(&r, k);
        /* a weekday after a day already read names it ("three years ago
         * on Sunday", "yesterday, Sunday"): part of the phrase */
        if (r.day && !r.weekday && !used && one_of(s, &t[k], weekdays, 7) >= 0)
            used = 1;
        if (!r.time && !used && (used = clock_at(&r, k)))
            r.time = true;
        if (!r.time && !used && (used = named_time_at(&r, k)))
            r.time = true;
        if (r.time && !used)
            used = zone_at(&r, k);
        if (used) {
            k += used;
            last = k - 1;
            parts++;
            fillers = 0;
            continue;
        }
        /* "at about 9 p.m. (1800 GMT) on Saturday": the time again, in
         * brackets */
        if (r.time && truce__tok_is(s, &t[k], "(")) {
            size_t c = k + 1;
            while (c < n && c < k + 6 && !truce__tok_is(s, &t[c], ")"))
                c++;
            if (c < n && truce__tok_is(s, &t[c], ")")) {
                k = c + 1;
                continue;
            }
        }
        /* a few words between the parts ("late on", "on the morning of") */
        if (filler(s, &t[k]) && ++fillers <= 4) {
            k++;
            continue;
        }
        break;
    }
    if (!parts)
        return false;
    /* "since Friday": from that day to the paper's */
    if (r.day && truce__tok_is(s, &t[i], "since") && out->day0 < published) {
        out->day1 = published;
        r.span = true;
    }
    out->has_date = r.day;
    out->span = r.span;
    out->first = i;
    out->last = last;
    return true;
}
