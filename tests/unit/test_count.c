/*
 * test_count.c - numbers as news writes them (src/count.c).
 */
#include "test.h"

#include <string.h>

#include "../../src/truce_int.h"

/* The count at the first token of text as "best low high used", or "-". */
static char *
count(const char *text, char *out, size_t n)
{
    struct truce__token *t;
    struct truce__count c;
    size_t nt;
    ASSERT_OK(truce__tokens(text, 0, strlen(text), &t, &nt));
    if (truce__count_at(text, t, nt, 0, &c))
        snprintf(out, n, "%ld %ld %ld %zu", c.best, c.low, c.high,
                 c.last - c.first + 1);
    else
        snprintf(out, n, "-");
    truce__free(t);
    return out;
}

TEST(count_forms)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"27 people", "27 -1 -1 1"},
        {"1,200 families", "1200 -1 -1 1"},
        {"at least 27 civilians", "27 27 -1 3"},
        {"more than 30 killed", "30 30 -1 3"},
        {"about 20 fighters", "20 -1 -1 2"},
        {"some 300", "300 -1 -1 2"},
        {"up to 40", "40 -1 40 3"},
        {"as many as 15 people", "15 -1 15 4"},
        {"three women", "3 -1 -1 1"},
        {"Three women", "3 -1 -1 1"},
        {"twenty-one soldiers", "21 -1 -1 1"},
        {"twenty one soldiers", "21 -1 -1 2"},
        {"two hundred families", "200 -1 -1 2"},
        {"a dozen rockets", "12 -1 -1 2"},
        {"two dozen", "24 -1 -1 2"},
        {"at least a dozen", "12 12 -1 4"},
        {"dozens of people", "-1 24 -1 1"},
        {"at least dozens", "-1 24 -1 3"},
        {"hundreds", "-1 200 -1 1"},
        {"several", "-1 3 -1 1"},
        {"zero", "0 -1 -1 1"},
        {"between 20 and 30 people", "20 20 30 4"},
        {"between twenty and thirty", "20 20 30 4"},
        {"between 30 and 20", "-"},
        {"between them", "-"},
        {"the rebels", "-"},
        {"12:01 a.m.", "-"},
        {"3.5 km", "-"},
        {"at least", "-"},
        {"", "-"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        count(cases[i].text, buf, sizeof(buf));
        if (strcmp(buf, cases[i].want))
            fprintf(stderr, "  '%s': got '%s', expected '%s'\n", cases[i].text,
                    buf, cases[i].want);
        ASSERT_EQ_STR(buf, cases[i].want);
    }
}
