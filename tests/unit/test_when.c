/*
 * test_when.c - dates and times as news writes them (src/when.c),
 * resolved against a publication day: Wednesday 4 May 2016 unless said.
 */
#include "test.h"

#include <string.h>

#include "../../src/truce_int.h"

/* The phrase at the first token as "YYYY-MM-DD[..YYYY-MM-DD][ HH:MM][ ~]"
 * ("-" for none), published on pub, future when said. */
static char *
when(const char *text, const char *pub, bool future, char *out, size_t n)
{
    struct truce__token *t;
    struct truce__when w;
    size_t nt;
    int y, m, d;
    int64_t p;
    char a[16], b[16];
    sscanf(pub, "%d-%d-%d", &y, &m, &d);
    p = truce_days_from_civil(y, m, d);
    ASSERT_OK(truce__tokens(text, 0, strlen(text), &t, &nt));
    if (!truce__when_at(text, t, nt, 0, p, future, &w)) {
        snprintf(out, n, "-");
    } else {
        truce_format_day(w.day0, a);
        truce_format_day(w.day1, b);
        snprintf(out, n, "%s%s%s", w.has_date ? a : "",
                 w.has_date && w.day1 != w.day0 ? ".." : "",
                 w.has_date && w.day1 != w.day0 ? b : "");
        if (w.minute >= 0)
            snprintf(out + strlen(out), n - strlen(out), "%s%02d:%02d",
                     w.has_date ? " " : "", w.minute / 60, w.minute % 60);
        if (w.approximate)
            snprintf(out + strlen(out), n - strlen(out), " ~");
        if (w.utc)
            snprintf(out + strlen(out), n - strlen(out), " UTC");
    }
    truce__free(t);
    return out;
}

TEST(when_forms)
{
    static const struct {
        const char *text, *pub;
        bool future;
        const char *want;
    } cases[] = {
        /* weekdays: the latest on or before publication, or the next */
        {"on Wednesday", "2016-05-04", false, "2016-05-04"},
        {"late on Tuesday", "2016-05-04", false, "2016-05-03"},
        {"Thursday night", "2016-05-04", false, "2016-04-28"},
        {"on Saturday", "2016-05-04", true, "2016-05-07"},
        {"at 12:01 a.m. on Wednesday", "2016-05-04", false,
         "2016-05-04 00:01"},
        {"12:01 a.m. on Wednesday morning", "2016-05-04", false,
         "2016-05-04 00:01"},
        /* midnight of the day named; a date after a weekday wins */
        {"midnight Damascus time on Saturday, February 27", "2016-02-26",
         true, "2016-02-27 00:00"},
        {"at midnight on Friday", "2016-02-26", false, "2016-02-26 00:00"},
        /* relative days and spans */
        {"yesterday", "2016-05-04", false, "2016-05-03"},
        {"last night", "2016-05-04", false, "2016-05-03"},
        {"today", "2016-05-04", false, "2016-05-04"},
        {"in recent days", "2016-05-04", false, "2016-04-28..2016-05-04 ~"},
        {"in recent weeks", "2016-05-04", false, "2016-04-07..2016-05-04 ~"},
        {"last week", "2016-05-04", false, "2016-04-25..2016-05-01"},
        {"last year", "2016-05-04", false, "2015-01-01..2015-12-31"},
        {"in 2014", "2016-05-04", false, "2014-01-01..2014-12-31"},
        {"last month", "2016-01-10", false, "2015-12-01..2015-12-31"},
        {"earlier this week", "2016-05-04", false, "2016-05-02..2016-05-03"},
        {"over the weekend", "2016-05-04", false, "2016-04-30..2016-05-01"},
        {"for a third day", "2016-05-04", false, "2016-05-02..2016-05-04"},
        {"for a third day on Monday", "2016-05-04", false, "2016-04-30..2016-05-02"},
        {"for the third straight day", "2016-05-04", false,
         "2016-05-02..2016-05-04"},
        {"for three days", "2016-05-04", false, "2016-05-02..2016-05-04"},
        {"three years ago", "2016-08-21", false, "2013-08-22 ~"},
        {"two days ago", "2016-05-04", false, "2016-05-02"},
        {"a week ago", "2016-05-04", false, "2016-04-27 ~"},
        /* calendar dates */
        {"on Feb. 27", "2016-05-04", false, "2016-02-27"},
        {"February 27, 2016", "2016-05-04", false, "2016-02-27"},
        {"27 February", "2016-05-04", false, "2016-02-27"},
        {"the 27th of February 2016", "2016-05-04", false, "2016-02-27"},
        {"December 30", "2017-01-02", false, "2016-12-30"},
        {"on December 30", "2016-12-28", true, "2016-12-30"},
        {"in February", "2016-05-04", false, "2016-02-01..2016-02-29"},
        {"in December", "2017-01-02", false, "2016-12-01..2016-12-31"},
        {"in May 2017", "2016-05-04", true, "2017-05-01..2017-05-31"},
        /* "last July": the last such month before publication's */
        {"last July", "2017-01-24", false, "2016-07-01..2016-07-31"},
        {"last May", "2016-05-04", false, "2015-05-01..2015-05-31"},
        {"last April", "2016-05-04", false, "2016-04-01..2016-04-30"},
        /* a time told again in brackets joins the day after it */
        {"at 9 p.m. (1800 GMT) on Saturday", "2017-11-05", false,
         "2017-11-04 21:00"},
        /* clock times alone */
        {"at 6 p.m.", "2016-05-04", false, "18:00"},
        {"6pm", "2016-05-04", false, "18:00"},
        {"at 18:30 local time", "2016-05-04", false, "18:30"},
        {"0600 GMT", "2016-05-04", false, "06:00 UTC"},
        {"at sunset", "2016-05-04", false, "19:00 ~"},
        {"at noon on Monday", "2016-05-04", false, "2016-05-02 12:00"},
        /* not dates */
        {"27 people", "2016-05-04", false, "-"},
        {"the rebels", "2016-05-04", false, "-"},
        {"on the road", "2016-05-04", false, "-"},
        {"May God", "2016-05-04", false, "-"},
        {"may strike", "2016-05-04", false, "-"},
        {"in May", "2016-06-04", false, "2016-05-01..2016-05-31"},
        {"May 3", "2016-06-04", false, "2016-05-03"},
    };
    char buf[96];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        when(cases[i].text, cases[i].pub, cases[i].future, buf, sizeof(buf));
        if (strcmp(buf, cases[i].want))
            fprintf(stderr, "  '%s' (published %s%s): got '%s', expected "
                    "'%s'\n", cases[i].text, cases[i].pub,
                    cases[i].future ? ", future" : "", buf, cases[i].want);
        ASSERT_EQ_STR(buf, cases[i].want);
    }
}
