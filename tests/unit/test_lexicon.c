/*
 * test_lexicon.c - the tables of news words (src/lexicon.c): stems,
 * phrases of several words, the longest phrase first.
 */
#include "test.h"

#include <string.h>

#include "../../src/truce_int.h"

/* What the table of kind finds at the first token: "meaning/used", or
 * "-". For acts, "category:sub-type/used". */
static char *
lex(enum truce__lex_kind kind, const char *text, char *out, size_t n)
{
    struct truce__token *t;
    size_t nt, used = 0;
    const struct truce__lex *e;
    ASSERT_OK(truce__tokens(text, 0, strlen(text), &t, &nt));
    e = truce__lex_at(kind, text, t, nt, 0, &used);
    if (!e)
        snprintf(out, n, "-");
    else if (kind == TRUCE_LEX_ACT)
        snprintf(out, n, "%s:%s/%zu", truce_category_name(e->category),
                 e->meaning, used);
    else
        snprintf(out, n, "%s/%zu", e->meaning, used);
    truce__free(t);
    return out;
}

TEST(lexicon_phrases)
{
    static const struct {
        enum truce__lex_kind kind;
        const char *text, *want;
    } cases[] = {
        {TRUCE_LEX_ACT, "shelled the town", "remote_violence:Shelling/artillery/missile attack/1"},
        {TRUCE_LEX_ACT, "Shelling", "remote_violence:Shelling/artillery/missile attack/1"},
        {TRUCE_LEX_ACT, "air strikes hit", "remote_violence:Air/drone strike/2"},
        {TRUCE_LEX_ACT, "airstrikes", "remote_violence:Air/drone strike/1"},
        {TRUCE_LEX_ACT, "barrel bombs", "remote_violence:Air/drone strike/2"},
        {TRUCE_LEX_ACT, "car bomb exploded", "remote_violence:Remote explosive/landmine/IED/2"},
        {TRUCE_LEX_ACT, "suicide car bomber", "remote_violence:Suicide bomb/3"},
        {TRUCE_LEX_ACT, "suicide bombing", "remote_violence:Suicide bomb/2"},
        {TRUCE_LEX_ACT, "clashes erupted", "battle:Armed clash/1"},
        {TRUCE_LEX_ACT, "kidnapped", "violence_against_civilians:Abduction/forced disappearance/1"},
        {TRUCE_LEX_ACT, "protesters", "protest:Peaceful protest/1"},
        {TRUCE_LEX_ACT, "talks", "-"},
        /* a stem does not reach over a hyphen */
        {TRUCE_LEX_ACT, "shell-shocked", "-"},
        {TRUCE_LEX_ACTOR, "rebel-held districts", "-"},
        {TRUCE_LEX_ACTOR, "the regime's forces", "state/2"},
        {TRUCE_LEX_ACTOR, "Government forces", "state/2"},
        {TRUCE_LEX_ACTOR, "rebels", "rebel/1"},
        {TRUCE_LEX_ACTOR, "Islamic State group", "extremist/3"},
        {TRUCE_LEX_ACTOR, "al-Nusra Front", "extremist/1"},
        {TRUCE_LEX_ACTOR, "Houthi rebels", "rebel/1"},
        {TRUCE_LEX_ACTOR, "Saudi-led coalition", "external/2"},
        {TRUCE_LEX_SITE, "hospitals", "hospital/1"},
        {TRUCE_LEX_SITE, "a school", "-"},
        {TRUCE_LEX_SITE, "medical centers", "medical centre/2"},
        {TRUCE_LEX_HEDGE, "reportedly", "reportedly/1"},
        {TRUCE_LEX_HEDGE, "reports of continued fighting", "reports of/2"},
        {TRUCE_LEX_ATTRIBUTION, "state media reported", "state media/2"},
        {TRUCE_LEX_ATTRIBUTION, "the Syrian Observatory for Human Rights", "-"},
        {TRUCE_LEX_ATTRIBUTION, "Syrian Observatory for Human Rights", "SOHR/5"},
        {TRUCE_LEX_NEGATION, "no reports of fighting", "no reports of/3"},
        {TRUCE_LEX_AGREEMENT, "cessation of hostilities", "cessation of hostilities/3"},
        {TRUCE_LEX_AGREEMENT, "ceasefire", "ceasefire/1"},
        {TRUCE_LEX_AGREEMENT, "cease-fire", "ceasefire/1"},
        {TRUCE_LEX_AGREEMENT, "de-escalation zones", "de-escalation zone/2"},
        {TRUCE_LEX_ACTION, "went into effect at", "in_effect/3"},
        {TRUCE_LEX_ACTION, "will take effect", "announced/3"},
        {TRUCE_LEX_ACTION, "extended", "extended/1"},
        {TRUCE_LEX_ACTION, "collapsed", "collapsed/1"},
        {TRUCE_LEX_BROKER, "U.S. officials", "united-states/4"},
        {TRUCE_LEX_BROKER, "the U.S.", "-"},
        {TRUCE_LEX_BROKER, "United States", "united-states/2"},
        {TRUCE_LEX_BROKER, "U.N. envoy", "united-nations/4"},
        {TRUCE_LEX_BROKER, "Russia's", "russia/1"},
    };
    char buf[128];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lex(cases[i].kind, cases[i].text, buf, sizeof(buf));
        if (strcmp(buf, cases[i].want))
            fprintf(stderr, "  '%s': got '%s', expected '%s'\n", cases[i].text,
                    buf, cases[i].want);
        ASSERT_EQ_STR(buf, cases[i].want);
    }
}
