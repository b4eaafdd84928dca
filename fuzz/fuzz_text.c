/*
 * fuzz_text.c - libFuzzer target: article text into sentences and tokens
 * (src/text.c), the first steps of reading the news.
 *
 * Invariants checked on every input: sentences lie in the input, in
 * order, without overlap, none empty and none starting or ending with
 * white space; the tokens of each sentence lie in it, in order, without
 * overlap, none empty, and no byte of a sentence outside a token is other
 * than white space or skipped markup ('{' ... '}'); a count read at any
 * token (src/count.c) lies in the tokens from there and says a number; so
 * does a date (src/when.c), with its days in order and a minute of a day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "truce_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
white(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct truce__span *sent = NULL;
    size_t n = 0, prev = 0;
    if (truce__sentences(s, size, &sent, &n) != TRUCE_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        struct truce__token *tok = NULL;
        size_t nt = 0, at;
        if (sent[i].start < prev || sent[i].end <= sent[i].start ||
            sent[i].end > size || white(s[sent[i].start]) ||
            white(s[sent[i].end - 1]))
            abort();
        prev = sent[i].end;
        if (truce__tokens(s, sent[i].start, sent[i].end, &tok, &nt) !=
            TRUCE_OK)
            continue;
        at = sent[i].start;
        for (size_t k = 0; k < nt; k++) {
            if (tok[k].start < at || tok[k].end <= tok[k].start ||
                tok[k].end > sent[i].end)
                abort();
            for (size_t b = at; b < tok[k].start; b++) {
                /* between tokens: spaces, or markup skipped */
                if (!white(s[b]) && !memchr(s + at, '{', tok[k].start - at) &&
                    (unsigned char)s[b] < 0x80)
                    abort();
            }
            at = tok[k].end;
        }
        /* a date anywhere stays in its tokens and is a date */
        for (size_t k = 0; k < nt; k++) {
            struct truce__when w;
            if (truce__when_at(s, tok, nt, k, 16925, k % 2, &w) &&
                (w.first != k || w.last < k || w.last >= nt ||
                 w.day0 > w.day1 || w.minute < -1 || w.minute >= 1440 ||
                 w.day1 - w.day0 > 366))
                abort();
        }
        /* a phrase of any table stays in the tokens */
        for (size_t k = 0; k < nt; k++) {
            for (int kind = TRUCE_LEX_ACT; kind <= TRUCE_LEX_BROKER; kind++) {
                size_t used = 0;
                if (truce__lex_at((enum truce__lex_kind)kind, s, tok, nt, k,
                                  &used) &&
                    (used == 0 || k + used > nt))
                    abort();
            }
        }
        /* a count anywhere stays in its tokens and is a count */
        for (size_t k = 0; k < nt; k++) {
            struct truce__count c;
            if (truce__count_at(s, tok, nt, k, &c) &&
                (c.first != k || c.last < k || c.last >= nt ||
                 (c.best < 0 && c.low < 0 && c.high < 0)))
                abort();
        }
        truce__free(tok);
    }
    truce__free(sent);
    return 0;
}
