/*
 * count.c - numbers as news writes them (DESIGN section 9): digits
 * ("27", "1,200"), words ("three", "twenty-one", "two hundred", "a
 * dozen"), vague plurals ("dozens", "scores", "hundreds") and the words
 * that bound them ("at least", "more than", "about", "up to").
 *
 * What a count gives: best, the number written (NULL, -1, for a vague
 * plural); low, the least it can be ("at least 27" and "more than 27":
 * 27; "dozens": 24, two dozen); high, the most ("up to 30": 30). "About
 * 20" is best 20 with no bounds; "between 20 and 30" is 20, low 20, high
 * 30.
 */
#include "truce_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const units[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {"", "", "twenty", "thirty", "forty",
                                   "fifty", "sixty", "seventy", "eighty",
                                   "ninety"};

/* The value of a number word ("seven", "forty", "forty-two"), or -1. */
static long
word_value(const char *w, size_t n)
{
    const char *dash;
    /* number words are of letters, three to nine of them, or joined */
    if (n < 3 || !isalpha((unsigned char)w[0]))
        return -1;
    dash = memchr(w, '-', n);
    if (dash) {
        long a = word_value(w, (size_t)(dash - w)),
             b = word_value(dash + 1, n - (size_t)(dash - w) - 1);
        return a >= 20 && a % 10 == 0 && a < 100 && b > 0 && b < 10 ? a + b
                                                                    : -1;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strlen(units[i]) == n && !strncasecmp(w, units[i], n))
            return (long)i;
    for (size_t i = 2; i < sizeof(tens) / sizeof(tens[0]); i++)
        if (strlen(tens[i]) == n && !strncasecmp(w, tens[i], n))
            return (long)i * 10;
    return -1;
}

/* Digits with thousands commas ("1,200"), or -1. */
static long
digits_value(const char *s, size_t n)
{
    long v = 0;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',' && digits)
            continue; /* thousands */
        if (!isdigit((unsigned char)s[i]) || v > 100000000)
            return -1;
        v = v * 10 + (s[i] - '0');
        digits++;
    }
    return digits ? v : -1;
}

/* Vague plurals and what they mean at the least. */
static const struct {
    const char *word;
    long low;
} plurals[] = {{"dozens", 24}, {"scores", 40}, {"tens", 20},
               {"hundreds", 200}, {"thousands", 2000}, {"several", 3},
               {"multiple", 2}, {"many", 5}, {"numerous", 5}};

/* The number that starts at token i: its value and the tokens it takes
 * ("two hundred" two, "a dozen" two, "twenty one" two). */
static bool
number_at(const char *s, const struct truce__token *t, size_t n, size_t i,
          long *value, size_t *used)
{
    long v = -1;
    size_t k = i;
    if (i >= n)
        return false;
    if (t[i].kind == TRUCE_TOK_NUMBER) {
        v = digits_value(s + t[i].start, t[i].end - t[i].start);
        k = i + 1;
    } else if ((truce__tok_is(s, &t[i], "a") || truce__tok_is(s, &t[i], "an")) &&
               i + 1 < n) {
        if (truce__tok_is(s, &t[i + 1], "dozen"))
            v = 12, k = i + 2;
        else if (truce__tok_is(s, &t[i + 1], "hundred"))
            v = 100, k = i + 2;
        else if (truce__tok_is(s, &t[i + 1], "thousand"))
            v = 1000, k = i + 2;
    } else if (t[i].kind == TRUCE_TOK_WORD) {
        v = word_value(s + t[i].start, t[i].end - t[i].start);
        k = i + 1;
        /* "twenty one" */
        if (v >= 20 && v < 100 && v % 10 == 0 && k < n &&
            t[k].kind == TRUCE_TOK_WORD) {
            long u = word_value(s + t[k].start, t[k].end - t[k].start);
            if (u > 0 && u < 10)
                v += u, k++;
        }
        if (v < 0 && truce__tok_is(s, &t[i], "dozen"))
            v = 12, k = i + 1;
    }
    if (v < 0)
        return false;
    /* "two hundred", "three thousand", "two dozen" */
    if (k < n && v > 0 && v < 1000) {
        if (truce__tok_is(s, &t[k], "hundred"))
            v *= 100, k++;
        else if (truce__tok_is(s, &t[k], "thousand"))
            v *= 1000, k++;
        else if (truce__tok_is(s, &t[k], "dozen"))
            v *= 12, k++;
    }
    *value = v;
    *used = k - i;
    return true;
}

/* The bounding words before a number ("at least", "more than", ...):
 * how many tokens, and what they make of it. */
enum bound { B_NONE, B_LOW, B_ABOUT, B_HIGH };

static size_t
bound_at(const char *s, const struct truce__token *t, size_t n, size_t i,
         enum bound *b)
{
    static const struct {
        const char *w1, *w2;
        enum bound b;
    } words[] = {
        {"at", "least", B_LOW},       {"more", "than", B_LOW},
        {"over", NULL, B_LOW},        {"upwards", "of", B_LOW},
        {"no", "fewer", B_LOW},       {"about", NULL, B_ABOUT},
        {"around", NULL, B_ABOUT},    {"some", NULL, B_ABOUT},
        {"nearly", NULL, B_ABOUT},    {"almost", NULL, B_ABOUT},
        {"approximately", NULL, B_ABOUT}, {"roughly", NULL, B_ABOUT},
        {"an", "estimated", B_ABOUT}, {"up", "to", B_HIGH},
        {"as", "many", B_HIGH},       {"fewer", "than", B_HIGH},
        {"less", "than", B_HIGH},
    };
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
        if (!truce__tok_is(s, &t[i], words[k].w1))
            continue;
        if (!words[k].w2) {
            *b = words[k].b;
            return 1;
        }
        if (i + 1 < n && truce__tok_is(s, &t[i + 1], words[k].w2)) {
            /* "as many as", "no fewer than" take a third word */
            size_t more = (i + 2 < n && (truce__tok_is(s, &t[i + 2], "as") ||
                                         truce__tok_is(s, &t[i + 2], "than")))
                              ? 1
                              : 0;
            *b = words[k].b;
            return 2 + more;
        }
    }
    *b = B_NONE;
    return 0;
}

bool
truce__count_at(const char *s, const struct truce__token *t, size_t n,
                size_t i, struct truce__count *out)
{
    enum bound b;
    size_t skip, used;
    long v;
    if (i >= n)
        return false;
    /* "between 20 and 30": the least as the count, its bounds both */
    if (truce__tok_is(s, &t[i], "between") &&
        number_at(s, t, n, i + 1, &v, &used) && i + 1 + used < n &&
        truce__tok_is(s, &t[i + 1 + used], "and")) {
        long hi;
        size_t u2;
        if (number_at(s, t, n, i + 2 + used, &hi, &u2) && hi >= v) {
            out->first = i;
            out->last = i + 1 + used + u2;
            out->best = out->low = v;
            out->high = hi;
            return true;
        }
    }
    skip = bound_at(s, t, n, i, &b);
    out->best = out->low = out->high = -1;
    out->first = i;
    if (number_at(s, t, n, i + skip, &v, &used)) {
        out->last = i + skip + used - 1;
        out->best = v;
        if (b == B_LOW)
            out->low = v;
        else if (b == B_HIGH)
            out->high = v;
        /* "dozens" after a number word is not this count's */
        return true;
    }
    for (size_t k = 0; k < sizeof(plurals) / sizeof(plurals[0]); k++) {
        if (i + skip < n && truce__tok_is(s, &t[i + skip], plurals[k].word)) {
            out->last = i + skip;
            out->low = plurals[k].low;
            return true;
        }
    }
    return false;
}
