/*
 * text.c - article text cut into sentences and tokens for reading the
 * news (DESIGN section 9), every piece a byte span of the input so that
 * each finding can point at the words it came from.
 *
 * Sentences end at a line end (wire copy is a paragraph a line) and after
 * '.', '!' or '?' (with any closing quotes or brackets) followed by white
 * space and a capital, a digit or an opening quote, unless the period
 * ends an abbreviation ("Gen.", "U.S.", "a.m.") or an initial ("Bashar
 * al-A. Assad"). Tokens are words (letters and digits, with apostrophes
 * and hyphens inside: "al-Nusra", "Syria's"), numbers (digits with ',',
 * '.' or ':' between digits: "1,200", "12:01") and single marks (a
 * UTF-8 character whole: "“", "—"). Markup a web page left in the text
 * ("{mosads}") is skipped.
 */
#include "truce_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

/* Words a period ends without ending the sentence, lower case, their
 * inner periods dropped ("u.s." -> "us"). */
static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt",
    "cmdr", "adm", "brig", "rep", "sen", "gov", "pres", "prof", "rev", "st",
    "mt", "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "inc", "co", "corp", "ltd", "bros",
    "vs", "etc", "approx", "eg", "ie", "us", "un", "uk", "uae", "eu", "am",
    "pm", "ave", "ft", "jr", "sr", "gov't"};

/* One UTF-8 character at s[i] (n bytes left): its code point and length
 * (an invalid byte counts as one character U+FFFD). */
static size_t
char_at(const char *s, size_t i, size_t n, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return (size_t)k;
}

static bool
is_letter(int32_t cp)
{
    utf8proc_category_t c;
    if (cp < 0x80)
        return isalpha(cp) != 0;
    c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static bool
is_upper(int32_t cp)
{
    if (cp < 0x80)
        return isupper(cp) != 0;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

static bool
is_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool
is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x2009 ||
           cp == 0x202F;
}

static bool
is_closing(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
           cp == 0x201D || cp == 0x2019 || cp == 0xBB;
}

static bool
is_opening(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == '(' || cp == '[' ||
           cp == 0x201C || cp == 0x2018 || cp == 0xAB;
}

/* Apostrophes and hyphens that may join the parts of a word. */
static bool
is_joiner(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == '-' || cp == 0x2010 ||
           cp == 0x2011 || cp == 0x02BC || cp == 0x02BF || cp == 0x02BE ||
           cp == 0x2018 || cp == '`';
}

/* True when the word that ends just before the period at dot is an
 * abbreviation or an initial. */
static bool
ends_abbreviation(const char *s, size_t from, size_t dot)
{
    char word[16];
    size_t w = 0, start = dot;
    while (start > from && (isalpha((unsigned char)s[start - 1]) ||
                            s[start - 1] == '.' || s[start - 1] == '\''))
        start--;
    if (start == dot)
        return false;
    for (size_t i = start; i < dot && w + 1 < sizeof(word); i++) {
        if (s[i] != '.')
            word[w++] = (char)tolower((unsigned char)s[i]);
    }
    word[w] = '\0';
    if (w == 1 && isupper((unsigned char)s[start]))
        return true; /* an initial */
    for (size_t i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]);
         i++) {
        if (!strcmp(word, abbreviations[i]))
            return true;
    }
    return false;
}

/* Where the sentence that has a stop at i ends (after closing marks), or
 * 0 when the stop does not end it. */
static size_t
stop_end(const char *s, size_t from, size_t i, size_t n)
{
    size_t j = i + 1, k;
    int32_t cp;
    bool space = false;
    /* a run of stops ("?!", "...") ends together */
    while (j < n && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
        j++;
    while (j < n && (k = char_at(s, j, n, &cp)) && is_closing(cp))
        j += k;
    for (k = j; k < n; ) {
        size_t len = char_at(s, k, n, &cp);
        if (!is_space(cp))
            break;
        space = true;
        k += len;
    }
    if (k >= n || s[k] == '\n' || s[k] == '\r')
        return j;
    if (!space)
        return 0;
    char_at(s, k, n, &cp);
    if (!is_upper(cp) && !is_digit(cp) && !is_opening(cp))
        return 0;
    if (s[i] == '.' && j == i + 1 && ends_abbreviation(s, from, i))
        return 0;
    return j;
}

/* Appends the span [a, b) trimmed of white space, when anything is left. */
static truce_status
add_span(struct truce__span **v, size_t *n, size_t *cap, const char *s,
         size_t a, size_t b)
{
    int32_t cp;
    while (a < b) {
        size_t k = char_at(s, a, b, &cp);
        if (!is_space(cp) && s[a] != '\r' && s[a] != '\n')
            break;
        a += k;
    }
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' ||
                     s[b - 1] == '\r' || s[b - 1] == '\n'))
        b--;
    if (a == b)
        return TRUCE_OK;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        struct truce__span *w = truce__realloc(*v, c * sizeof(*w));
        if (!w)
            return TRUCE_ENOMEM;
        *v = w;
        *cap = c;
    }
    (*v)[*n].start = a;
    (*v)[*n].end = b;
    (*n)++;
    return TRUCE_OK;
}

truce_status
truce__sentences(const char *s, size_t n, struct truce__span **out,
                 size_t *count)
{
    size_t from = 0, cap = 0, i = 0, end;
    truce_status rc = TRUCE_OK;
    *out = NULL;
    *count = 0;
    while (i < n && !rc) {
        if (s[i] == '\n') {
            rc = add_span(out, count, &cap, s, from, i);
            from = ++i;
        } else if ((s[i] == '.' || s[i] == '!' || s[i] == '?') &&
                   (end = stop_end(s, from, i, n))) {
            rc = add_span(out, count, &cap, s, from, end);
            from = i = end;
        } else {
            i++;
        }
    }
    if (!rc)
        rc = add_span(out, count, &cap, s, from, n);
    if (rc) {
        truce__free(*out);
        *out = NULL;
        *count = 0;
    }
    return rc;
}

/* The end of markup a web page left ("{mosads}") starting at i, or i. */
static size_t
markup_end(const char *s, size_t i, size_t end)
{
    size_t j = i + 1;
    if (s[i] != '{')
        return i;
    while (j < end && j < i + 64 && (isalnum((unsigned char)s[j]) ||
                                     s[j] == '_' || s[j] == '-'))
        j++;
    return j < end && s[j] == '}' ? j + 1 : i;
}

static truce_status
add_token(struct truce__token **v, size_t *n, size_t *cap, size_t a,
          size_t b, enum truce__tok kind)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 32;
        struct truce__token *w = truce__realloc(*v, c * sizeof(*w));
        if (!w)
            return TRUCE_ENOMEM;
        *v = w;
        *cap = c;
    }
    (*v)[*n].start = a;
    (*v)[*n].end = b;
    (*v)[*n].kind = kind;
    (*n)++;
    return TRUCE_OK;
}

/* The end of the word that starts at i (a letter or digit). */
static size_t
word_end(const char *s, size_t i, size_t end)
{
    int32_t cp, next;
    while (i < end) {
        size_t k = char_at(s, i, end, &cp);
        if (is_letter(cp) || is_digit(cp) ||
            utf8proc_category(cp) == UTF8PROC_CATEGORY_MN) {
            i += k;
            continue;
        }
        /* a joiner between two letters or digits stays in the word */
        if (is_joiner(cp) && i + k < end) {
            char_at(s, i + k, end, &next);
            if (is_letter(next) || is_digit(next)) {
                i += k;
                continue;
            }
        }
        break;
    }
    return i;
}

/* The end of the number that starts at i (a digit). */
static size_t
number_end(const char *s, size_t i, size_t end)
{
    while (i < end) {
        if (isdigit((unsigned char)s[i]))
            i++;
        else if ((s[i] == ',' || s[i] == '.' || s[i] == ':') && i + 1 < end &&
                 isdigit((unsigned char)s[i + 1]))
            i++;
        else
            break;
    }
    return i;
}

truce_status
truce__tokens(const char *s, size_t start, size_t end,
              struct truce__token **out, size_t *count)
{
    size_t i = start, cap = 0;
    truce_status rc = TRUCE_OK;
    *out = NULL;
    *count = 0;
    while (i < end && !rc) {
        int32_t cp;
        size_t k = char_at(s, i, end, &cp), j;
        if (is_space(cp) || cp == '\n' || cp == '\r') {
            i += k;
        } else if ((j = markup_end(s, i, end)) > i) {
            i = j;
        } else if (is_digit(cp)) {
            j = number_end(s, i, end);
            /* digits run into letters: "3rd", "12pm" are words */
            if (j < end && isalpha((unsigned char)s[j]))
                j = word_end(s, i, end);
            rc = add_token(out, count, &cap, i, j,
                           j == number_end(s, i, end) ? TRUCE_TOK_NUMBER
                                                      : TRUCE_TOK_WORD);
            i = j;
        } else if (is_letter(cp)) {
            j = word_end(s, i, end);
            rc = add_token(out, count, &cap, i, j, TRUCE_TOK_WORD);
            i = j;
        } else {
            rc = add_token(out, count, &cap, i, i + k, TRUCE_TOK_MARK);
            i += k;
        }
    }
    if (rc) {
        truce__free(*out);
        *out = NULL;
        *count = 0;
    }
    return rc;
}
