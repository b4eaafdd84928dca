/*
 * test_text.c - article text into sentences and tokens (src/text.c): the
 * boundaries wire copy has and the ones it only seems to have, and tokens
 * that keep transliterated names and clock times whole.
 */
#include "test.h"

#include <string.h>

#include "../../src/truce_int.h"

/* The sentences of text joined by " | ". */
static char *
split(const char *text, char *out, size_t n)
{
    struct truce__span *s;
    size_t count, at = 0;
    ASSERT_OK(truce__sentences(text, strlen(text), &s, &count));
    out[0] = '\0';
    for (size_t i = 0; i < count && at + 4 < n; i++)
        at += (size_t)snprintf(out + at, n - at, "%s%.*s", i ? " | " : "",
                               (int)(s[i].end - s[i].start),
                               text + s[i].start);
    truce__free(s);
    return out;
}

TEST(text_sentences)
{
    char buf[1024];
    ASSERT_EQ_STR(split("Rebels shelled Aleppo. Three died.", buf, sizeof(buf)),
                  "Rebels shelled Aleppo. | Three died.");
    /* abbreviations, initials, times and numbers do not end a sentence */
    ASSERT_EQ_STR(split("It went into effect at 12:01 a.m. on Wednesday. Gen. "
                        "Ali Mamlouk and the U.S. envoy met.", buf,
                        sizeof(buf)),
                  "It went into effect at 12:01 a.m. on Wednesday. | Gen. Ali "
                  "Mamlouk and the U.S. envoy met.");
    ASSERT_EQ_STR(split("John F. Kerry spoke. At least 3.5 km away.", buf,
                        sizeof(buf)),
                  "John F. Kerry spoke. | At least 3.5 km away.");
    /* quotes and brackets close with their sentence */
    ASSERT_EQ_STR(split("\xe2\x80\x9cIt is critical.\xe2\x80\x9d The talks "
                        "resumed (in Geneva.) Then what?! \"Nothing.\"",
                        buf, sizeof(buf)),
                  "\xe2\x80\x9cIt is critical.\xe2\x80\x9d | The talks resumed "
                  "(in Geneva.) | Then what?! | \"Nothing.\"");
    /* a line is a paragraph; blank lines and spaces go */
    ASSERT_EQ_STR(split("  ALEPPO, Syria (AP) \xe2\x80\x94 Fighting went on\n"
                        "\n\r\nThe ceasefire held.  \n", buf, sizeof(buf)),
                  "ALEPPO, Syria (AP) \xe2\x80\x94 Fighting went on | The "
                  "ceasefire held.");
    /* a small letter after the stop: one sentence */
    ASSERT_EQ_STR(split("the village of al-Eis. and others", buf, sizeof(buf)),
                  "the village of al-Eis. and others");
    ASSERT_EQ_STR(split("", buf, sizeof(buf)), "");
}

/* The tokens of text as "kind:text" joined by spaces. */
static char *
tokens(const char *text, char *out, size_t n)
{
    struct truce__token *t;
    size_t count, at = 0;
    ASSERT_OK(truce__tokens(text, 0, strlen(text), &t, &count));
    out[0] = '\0';
    for (size_t i = 0; i < count && at + 4 < n; i++)
        at += (size_t)snprintf(out + at, n - at, "%s%c:%.*s", i ? " " : "",
                               t[i].kind == TRUCE_TOK_WORD     ? 'w'
                               : t[i].kind == TRUCE_TOK_NUMBER ? 'n'
                                                               : 'm',
                               (int)(t[i].end - t[i].start), text + t[i].start);
    truce__free(t);
    return out;
}

TEST(text_tokens)
{
    char buf[1024];
    ASSERT_EQ_STR(tokens("Syria's al-Nusra shelled Dar\xe2\x80\x98\xc4\x81, "
                         "killing 1,200 at 12:01.", buf, sizeof(buf)),
                  "w:Syria's w:al-Nusra w:shelled w:Dar\xe2\x80\x98\xc4\x81 "
                  "m:, w:killing n:1,200 w:at n:12:01 m:.");
    ASSERT_EQ_STR(tokens("{mosads}The 3rd day \xe2\x80\x94 \"72-hour\" calm",
                         buf, sizeof(buf)),
                  "w:The w:3rd w:day m:\xe2\x80\x94 m:\" n:72 m:- w:hour m:\" "
                  "w:calm");
    ASSERT_EQ_STR(tokens("- rebels -- (x)", buf, sizeof(buf)),
                  "m:- w:rebels m:- m:- m:( w:x m:)");
    /* bytes that are not UTF-8 are single marks, not a crash */
    ASSERT_EQ_STR(tokens("a\xff" "b", buf, sizeof(buf)), "w:a m:\xff w:b");
}
