/*
 * extract.c - `truce extract` (DESIGN section 9): incidents and agreement
 * statements read from article text, each with its sentence and byte span
 * and the words behind each field (docs/extract.md says what is read and
 * what is not, with examples).
 *
 * A sentence at a time (src/text.c), cut into clauses (after ';', at
 * "while", "but", ", after", "and" before a subject and its act, ...).
 * Each clause's first act (src/lexicon.c), and one joined to it by "and",
 * is an incident unless a negation, a threat, an intent, a trend or a
 * background date says it is none; at each of the clause's places (the
 * gazetteer's; a place tied to another by "west of", "in northern X" is
 * its anchor), on each of its dates (src/when.c; "a day after" told from
 * the last act's); the perpetrator from the lexicon's terms, sides with
 * their arms, claims and blame in later sentences; the dead from counts
 * before "killed" or victims after "killing" (src/count.c); hedges and
 * sites of the act's own clauses. One incident per act x place x date.
 *
 * An agreement statement is an action said of an agreement's noun (or of
 * "it", "they" after one): one per action, area and agreement, its start
 * read after the action's own words, guarantors from later sentences.
 */
#include "truce_int.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#define MAX_PLACES 8
#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

struct found_place {
    const struct truce_place *p;
    size_t first, last;   /* tokens */
    double radius_km;
    bool generic;         /* a country, a governorate, a province */
    bool relative;        /* "west of X", "the eastern edge of X": an anchor */
    bool container;       /* "in northern Hama" after a place: its area */
    bool province;        /* read as its province ("Hama countryside") */
    bool speaker;         /* where a source speaks ("officials in Donetsk
                           * said"): an act's place only when its clause
                           * names no other, never an agreement's area */
    bool origin;          /* where people or fire came from ("buses of
                           * evacuees from Foua and Kafraya"): an act's
                           * place only when its clause names no other */
};

#define N_LEX_KINDS (TRUCE_LEX_BROKER + 1)

/* A token's phrase of one kind: looked up (done), what was found, how
 * many tokens it takes. */
struct memo_cell {
    const struct truce__lex *e;
    uint8_t used;
    bool done;
};

/* A token's date phrase read over the whole sentence, as a past. */
struct when_cell {
    struct truce__when w;
    bool found, done;
};

struct article {
    struct truce_ctx *ctx;
    const char *s;
    size_t n;
    const struct truce_extract_opts *o;
    const struct truce_gazetteer *gz;
    /* what earlier sentences set */
    const struct truce_place *place, *area; /* area: the place's holder */
    double place_radius, area_radius;
    struct truce__when when;
    bool has_when;
    int64_t last_day;     /* the day of the last incident */
    int64_t latest_day;   /* the latest day of any incident */
    bool has_last;
    int64_t told_day;     /* the day earlier sentences last told */
    bool has_told;
    bool evacuation;      /* a deal told was one of evacuation */
    json_t *incidents, *agreements;
    /* the lexicon's phrases at each token of the sentence being read,
     * by kind, each looked up once when first asked (lex_memo) */
    const struct truce__token *memo_t;
    size_t memo_n;
    struct memo_cell *memo[N_LEX_KINDS];
    struct when_cell *when_memo; /* the past-reading dates at each token */
    /* places already asked whether they are areas (is_generic) */
    const struct truce_place *generic_p[16];
    bool generic_v[16];
    size_t generic_n;
    /* the places last called "the town of X", "the village of X", "the
     * city of X": what "the town" says later */
    const struct truce_place *called[3];
    double called_radius[3];
    const char *zone;     /* the article's time zone */
    size_t group;         /* the first statement of the last sentence with any */
    uint64_t hash;
    long serial;
};

/* The token starts with prefix (any case); never reads past the token. */
static bool
tok_starts(const char *s, const struct truce__token *t, const char *prefix)
{
    size_t k = strlen(prefix);
    return t->end - t->start >= k && !strncasecmp(s + t->start, prefix, k);
}

/* The token ends with suffix (any case); never reads past the token. */
static bool
tok_ends(const char *s, const struct truce__token *t, const char *suffix)
{
    size_t k = strlen(suffix);
    return t->end - t->start >= k &&
           !strncasecmp(s + t->end - k, suffix, k);
}

/* The phrase of the lexicon's kind at token i of t (n tokens), as
 * truce__lex_at finds it, from the sentence's memo when t lies in the
 * sentence's tokens (the sentence's own, or a clause's from within it). A
 * phrase found over the whole sentence is the one over the first n
 * tokens when it ends within them; none found is none within them. */
static const struct truce__lex *
lex_memo(const struct article *a, enum truce__lex_kind kind,
         const struct truce__token *t, size_t n, size_t i, size_t *used)
{
    size_t off, at;
    struct memo_cell *c;
    if (!a->memo_t || (unsigned)kind >= N_LEX_KINDS || i >= n ||
        (uintptr_t)t < (uintptr_t)a->memo_t ||
        (uintptr_t)t >= (uintptr_t)(a->memo_t + a->memo_n))
        return truce__lex_at(kind, a->s, t, n, i, used);
    off = ((uintptr_t)t - (uintptr_t)a->memo_t) / sizeof(*t);
    at = off + i;
    if (off + n > a->memo_n)
        return truce__lex_at(kind, a->s, t, n, i, used);
    c = &a->memo[kind][at];
    if (!c->done) {
        size_t u;
        const struct truce__lex *e =
            truce__lex_at(kind, a->s, a->memo_t, a->memo_n, at, &u);
        if (u > UINT8_MAX) /* no phrase is that long: not kept */
            return truce__lex_at(kind, a->s, t, n, i, used);
        c->e = e;
        c->used = (uint8_t)u;
        c->done = true;
    }
    if (c->e && i + c->used > n)
        return truce__lex_at(kind, a->s, t, n, i, used);
    *used = c->e ? c->used : 0;
    return c->e;
}

/* truce__when_at over the sentence's tokens, read as a past, from the
 * sentence's memo; any other reading directly. */
static bool
when_past(const struct article *a, const struct truce__token *t, size_t n,
          size_t i, struct truce__when *w)
{
    struct when_cell *c;
    if (!a->when_memo || t != a->memo_t || n != a->memo_n || i >= n)
        return truce__when_at(a->s, t, n, i, a->o->published, false, w);
    c = &a->when_memo[i];
    if (!c->done) {
        c->found = truce__when_at(a->s, t, n, i, a->o->published, false, &c->w);
        c->done = true;
    }
    *w = c->w;
    return c->found;
}

/* The date phrase at i read as a past within the clause ending at to of
 * the sentence t (n tokens): the sentence's reading when it ends within
 * the clause, else one read within it. */
static bool
clause_when(const struct article *a, const struct truce__token *t, size_t n,
            size_t to, size_t i, struct truce__when *w)
{
    /* two tokens of margin: a reading may look one past its end ("at
     * 0600 hours") */
    if (when_past(a, t, n, i, w) && w->last + 2 < to)
        return true;
    return truce__when_at(a->s, t, to, i, a->o->published, false, w);
}

/* The act of the lexicon at token i of t (n tokens). */
static const struct truce__lex *
act_at(const struct article *a, const struct truce__token *t, size_t n,
       size_t i, size_t *used)
{
    return lex_memo(a, TRUCE_LEX_ACT, t, n, i, used);
}

static json_t *
words(const struct article *a, const struct truce__token *t, size_t first,
      size_t last)
{
    return json_stringn(a->s + t[first].start, t[last].end - t[first].start);
}

/* ----------------------------------------------------------- places */

/* Places named in the sentence: the longest run (up to 5 tokens) that
 * starts with a capital and names a place. */
/* The tokens of a wire dateline ("BEIRUT —", "IDLIB, Syria (AP) —") at
 * the start of a sentence: where the report was filed, not where the act
 * happened. 0 when there is none. */
static size_t
dateline(const struct article *a, const struct truce__token *t, size_t n)
{
    size_t i = 0;
    if (!n || t[0].kind != TRUCE_TOK_WORD)
        return 0;
    for (const char *p = a->s + t[0].start; p < a->s + t[0].end; p++)
        if (islower((unsigned char)*p))
            return 0;
    for (i = 1; i < n && i < 10; i++) {
        const char *w = a->s + t[i].start;
        size_t len = t[i].end - t[i].start;
        if (t[i].kind == TRUCE_TOK_MARK &&
            ((len == 3 && !memcmp(w, "\xe2\x80\x94", 3)) ||
             (len == 3 && !memcmp(w, "\xe2\x80\x93", 3)) || *w == '-'))
            return i + 1;
    }
    return 0;
}

/* A country, a governorate, an oblast: an area that holds towns. An
 * administrative division in GeoNames' features ("A.ADM1") is one too. */
static bool
is_generic(struct article *a, const struct truce_place *p)
{
    const char *name = p->name;
    bool v;
    for (size_t i = 0; i < a->generic_n; i++)
        if (a->generic_p[i] == p)
            return a->generic_v[i];
    v = strstr(name, "Governorate") || strstr(name, "Province") ||
        strstr(name, "province") || strstr(name, "Oblast") ||
        strstr(name, " Region") || (p->feature && !strncmp(p->feature, "A.", 2)) ||
        truce__country_find_name(name);
    if (a->generic_n < COUNT(a->generic_p)) {
        a->generic_p[a->generic_n] = p;
        a->generic_v[a->generic_n++] = v;
    }
    return v;
}

/* Can a place's name start at this token: a capital, or an article
 * written small before a capital ("al-Shaar", "el-Bab", "ash-Sham")? */
static bool
name_starts(const char *w, size_t len)
{
    size_t k = 0;
    if (len && isupper((unsigned char)w[0]))
        return true;
    while (k < len && k < 4 && islower((unsigned char)w[k]))
        k++;
    return k >= 2 && k <= 3 && k + 1 < len && w[k] == '-' &&
           isupper((unsigned char)w[k + 1]);
}

static bool
tok_one_of(const char *s, const struct truce__token *t,
           const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (truce__tok_is(s, t, words[i]))
            return true;
    return false;
}

/* Is one of the n words among the tokens [from, to)? */
static bool
word_within(const struct article *a, const struct truce__token *t,
            size_t from, size_t to, const char *const *words, size_t n)
{
    for (size_t k = from; k < to; k++)
        if (tok_one_of(a->s, &t[k], words, n))
            return true;
    return false;
}


/* Does the place named at tokens [first, last] speak, rather than host
 * an act? Where a source speaks ("Separatist officials in Donetsk
 * accused ..."), or the place itself as an actor ("Kiev said", "accused
 * Kiev of", "Kiev's forces", "held Damascus responsible"). */
enum speaks { SPEAKS_NOT, SPEAKS_IN, SPEAKS_AS };

static enum speaks
names_a_speaker(const struct article *a, const struct truce__token *t,
                size_t n, size_t first, size_t last)
{
    static const char *const say[] = {"said", "says", "say", "accused",
                                      "accuses", "blamed", "blames",
                                      "denied", "denies", "reported",
                                      "claimed", "told", "warned", "insists",
                                      "insisted", "rejected", "rejects"};
    static const char *const armed[] = {"forces", "troops", "military",
                                        "army", "government", "side"};
    const char *e = a->s + t[last].end;
    size_t len = t[last].end - t[last].start;
    bool possessive = len > 2 && e[-2] == '\'' && (e[-1] == 's' || e[-1] == 'S');
    if (last + 1 < n && tok_one_of(a->s, &t[last + 1], say, COUNT(say))) {
        /* "Rebels in the northern Syrian town of Marea accused" */
        for (size_t k = first; k-- > 0 && k + 7 > first;) {
            if (t[k].kind == TRUCE_TOK_MARK)
                break;
            if (truce__tok_is(a->s, &t[k], "in") || truce__tok_is(a->s, &t[k], "from"))
                return SPEAKS_IN;
        }
        return SPEAKS_AS;
    }
    if (possessive && last + 1 < n &&
        tok_one_of(a->s, &t[last + 1], armed, COUNT(armed)))
        return SPEAKS_AS;
    if (last + 1 < n && truce__tok_is(a->s, &t[last + 1], "responsible"))
        return SPEAKS_AS;
    return first > 0 && first == last && last + 1 < n &&
                   (truce__tok_is(a->s, &t[first - 1], "accused") ||
                    truce__tok_is(a->s, &t[first - 1], "blamed")) &&
                   (truce__tok_is(a->s, &t[last + 1], "of") ||
                    truce__tok_is(a->s, &t[last + 1], "for"))
               ? SPEAKS_AS
               : SPEAKS_NOT;
}

/* Does the word say who holds a place or what befalls it ("rebel-held",
 * "government-controlled", "besieged")? */
static bool
holding_word(const struct article *a, const struct truce__token *t)
{
    static const char *const ends[] = {"-held", "-controlled"};
    static const char *const words[] = {"besieged", "embattled", "restive"};
    size_t len = t->end - t->start;
    const char *w = a->s + t->start;
    for (size_t k = 0; k < COUNT(ends); k++) {
        size_t e = strlen(ends[k]);
        if (len > e && !strncasecmp(w + len - e, ends[k], e))
            return true;
    }
    return tok_one_of(a->s, t, words, COUNT(words));
}

/* How the place at token i is tied to what comes before it: "west of
 * Aleppo", "the northern countryside of Latakia", "northeast of the
 * capital Sanaa" place an act relative to it (the radius widened by 25
 * km); "in northern Hama", "district of Aleppo", "near Deir ez-Zor" right
 * after another place (prev) name the area that holds it. Either way it
 * is an anchor, left out beside a place that is not. */
/* Are the tokens between a place ending at last and the word at k an
 * apposition's (", a town", ", the small village")? */
static bool
apposed(const struct article *a, const struct truce__token *t, size_t last,
        size_t k)
{
    static const char *const words[] = {"a", "an", "the", "town", "village",
                                        "city", "suburb", "district", "small",
                                        "large", "rebel-held",
                                        "government-held"};
    if (k < last + 3 || k > last + 5 || !truce__tok_is(a->s, &t[last + 1], ","))
        return false;
    for (size_t j = last + 2; j < k; j++)
        if (!tok_one_of(a->s, &t[j], words, COUNT(words)))
            return false;
    return true;
}

static void
relation(const struct article *a, const struct truce__token *t, size_t i,
         struct found_place *prev, struct found_place *f)
{
    static const char *const skip[] = {
        "the", "capital", "city", "town", "village", "northern", "southern",
        "eastern", "western", "central", "northeastern", "northwestern",
        "southeastern", "southwestern"};
    static const char *const dirs[] = {
        "north", "south", "east", "west", "northern", "southern", "eastern",
        "western", "countryside", "outskirts", "northeast", "northwest",
        "southeast", "southwest", "edge"};
    static const char *const parts[] = {"district", "neighbourhood",
                                        "neighborhood", "quarter", "suburb",
                                        "part", "parts", "area", "areas"};
    static const char *const within[] = {"in", "near", "outside",
                                         "overlooking"};
    size_t j = i;
    /* "the Idlib town of Kafr Takharim", "the Homs village of X": the
     * place before holds this one */
    if (prev && i >= 2 && prev->last + 3 == i && truce__tok_is(a->s, &t[i - 1], "of") &&
        (truce__tok_is(a->s, &t[i - 2], "town") ||
         truce__tok_is(a->s, &t[i - 2], "village") ||
         truce__tok_is(a->s, &t[i - 2], "city"))) {
        prev->relative = prev->container = true;
        return;
    }
    /* back over "the city of", "the capital", "northern", "the besieged",
     * "rebel-held" */
    while (j > 0) {
        if (tok_one_of(a->s, &t[j - 1], skip, COUNT(skip)) ||
            holding_word(a, &t[j - 1]))
            j--;
        else if (j >= 2 && truce__tok_is(a->s, &t[j - 1], "of") &&
                 tok_one_of(a->s, &t[j - 2], skip, 5))
            j -= 2;
        else
            break;
    }
    if (j == 0)
        return;
    j--; /* the word that ties it */
    if (truce__tok_is(a->s, &t[j], "of") && j > 0 &&
        tok_one_of(a->s, &t[j - 1], dirs, COUNT(dirs))) {
        f->radius_km += 25;
        f->first = j - 1;
        f->relative = true;
        /* "Kanaker, a town southwest of Damascus": where the place just
         * named lies, no place of its own */
        if (prev && apposed(a, t, prev->last, j - 1))
            f->container = true;
        return;
    }
    /* an area holding the place just named: not after "and", which
     * lists places side by side ("in Sirwah and in Nihm") */
    bool listed = false;
    for (size_t k = prev ? prev->last + 1 : j; k < j; k++)
        listed |= truce__tok_is(a->s, &t[k], "and");
    /* "the besieged Damascus suburb of Moadamiyeh": the place before
     * the part word holds this one when it is the bigger ("the
     * al-Manshiyeh district of Daraa": Daraa holds al-Manshiyeh) */
    if (prev && j > 0 && prev->last + 2 == j && truce__tok_is(a->s, &t[j], "of") &&
        tok_one_of(a->s, &t[j - 1], parts, COUNT(parts)) &&
        prev->p->population > (f->p->population > 0 ? f->p->population : 0)) {
        prev->relative = prev->container = true;
        return;
    }
    if (prev && !listed && prev->last + 8 >= i && prev->last < j &&
        (tok_one_of(a->s, &t[j], within, COUNT(within)) ||
         (truce__tok_is(a->s, &t[j], "of") && j > 0 &&
          tok_one_of(a->s, &t[j - 1], parts, COUNT(parts)))) &&
        !(j > 0 && truce__tok_is(a->s, &t[j - 1], "and")))
        f->relative = f->container = true;
}

static bool
all_caps(const char *w, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (islower((unsigned char)w[i]))
            return false;
        letters += isupper((unsigned char)w[i]) != 0;
    }
    return letters >= 2;
}

static bool
media_word(const struct article *a, const struct truce__token *t)
{
    static const char *const media[] = {"news", "agency", "radio", "television",
                                        "tv", "times", "post", "herald",
                                        "press", "media", "channel"};
    return isupper((unsigned char)a->s[t->start]) &&
           tok_one_of(a->s, t, media, COUNT(media));
}

/* Does an office of the place follow at t ("the Luhansk regional
 * administration said", "Aleppo police", "Idlib's governor")? The place
 * names who speaks, not where. */
static bool
office_word(const struct article *a, const struct truce__token *t)
{
    static const char *const offices[] = {
        "regional", "administration", "authorities", "police", "governor",
        "council", "officials", "prosecutor", "prosecutors", "mayor",
        "municipality", "directorate"};
    return tok_one_of(a->s, t, offices, COUNT(offices));
}

/* Is the place at token i named after "from" ("evacuees from the
 * besieged government-held towns of Foua", "fired from Idlib")? Back
 * over the words that say what kind of place it is. */
static bool
came_from(const struct article *a, const struct truce__token *t, size_t i)
{
    static const char *const kind[] = {"the", "town", "towns", "village",
                                       "villages", "city", "of", "besieged",
                                       "nearby", "neighbouring",
                                       "neighboring"};
    size_t k = i;
    while (k > 0 && k + 6 > i &&
           (tok_one_of(a->s, &t[k - 1], kind, COUNT(kind)) || holding_word(a, &t[k - 1])))
        k--;
    return k > 0 && truce__tok_is(a->s, &t[k - 1], "from");
}

static size_t
find_places(struct article *a, const struct truce__token *t, size_t n,
            struct found_place *out)
{
    size_t k = 0;
    for (size_t i = dateline(a, t, n); i < n && k < MAX_PLACES; i++) {
        const char *w = a->s + t[i].start;
        size_t best = 0;
        const struct truce_place *hit = NULL;
        size_t named;
        enum speaks speaks;
        if (t[i].kind != TRUCE_TOK_WORD ||
            !name_starts(w, t[i].end - t[i].start))
            continue;
        /* an acronym in capitals ("SANA", the news agency) is no place */
        if (i > 0 && t[i].end - t[i].start <= 5 && all_caps(w, t[i].end - t[i].start))
            continue;
        /* a group's name is no place ("Jabhat Fateh al-Sham") */
        if (lex_memo(a, TRUCE_LEX_ACTOR, t, n, i, &named) && named > 1) {
            i += named - 1;
            continue;
        }
        /* no name of the gazetteer starts with this word */
        if (!truce__gazetteer_may_start(a->gz, w, t[i].end - t[i].start) &&
            !(k && out[k - 1].province))
            continue;
        for (size_t len = 5; len >= 1 && !hit; len--) {
            const struct truce_place *p[1];
            if (i + len > n || t[i + len - 1].kind == TRUCE_TOK_MARK)
                continue;
            if (truce_gazetteer_find(a->gz, w, t[i + len - 1].end - t[i].start,
                                     p, 1)) {
                hit = p[0];
                best = len;
            }
        }
        /* "the provinces of Daraa and Quneitra": a name the gazetteer
         * knows only as "Quneitra province" */
        if (!hit && k && out[k - 1].province && out[k - 1].last + 2 == i &&
            truce__tok_is(a->s, &t[i - 1], "and")) {
            char name[160];
            const struct truce_place *gov[1];
            snprintf(name, sizeof(name), "%.*s province",
                     (int)(t[i].end - t[i].start), w);
            if (truce_gazetteer_find(a->gz, name, strlen(name), gov, 1)) {
                hit = gov[0];
                best = 1;
            }
        }
        if (!hit)
            continue;
        /* "Donetsk News Agency", "Aleppo Media Center": a name, no place;
         * "the Luhansk regional administration", "Kiev said": an actor */
        speaks = names_a_speaker(a, t, n, i, i + best - 1);
        if ((i + best < n && (media_word(a, &t[i + best]) ||
                              office_word(a, &t[i + best]))) ||
            speaks == SPEAKS_AS) {
            i += best - 1;
            continue;
        }
        out[k].p = hit;
        out[k].first = i;
        out[k].last = i + best - 1;
        out[k].radius_km = hit->radius_km > 0 ? hit->radius_km : 5;
        out[k].generic = hit->radius_km > 0 || is_generic(a, hit);
        out[k].relative = out[k].container = out[k].province = false;
        out[k].speaker = speaks == SPEAKS_IN;
        /* "the northern countryside of Hama", "Hama countryside": the
         * governorate when the gazetteer knows it as "Hama province" */
        /* "the provinces of Daraa and Quneitra": provinces both */
        if ((i >= 2 && truce__tok_is(a->s, &t[i - 1], "of") &&
             (truce__tok_is(a->s, &t[i - 2], "countryside") ||
              truce__tok_is(a->s, &t[i - 2], "provinces") ||
              truce__tok_is(a->s, &t[i - 2], "province") ||
              truce__tok_is(a->s, &t[i - 2], "governorate") ||
              truce__tok_is(a->s, &t[i - 2], "governorates"))) ||
            (i + best < n && truce__tok_is(a->s, &t[i + best], "countryside")) ||
            (k && out[k - 1].province && out[k - 1].last + 2 == i &&
             truce__tok_is(a->s, &t[i - 1], "and"))) {
            char name[160];
            const struct truce_place *gov[1];
            snprintf(name, sizeof(name), "%.*s province",
                     (int)(t[i + best - 1].end - t[i].start), w);
            if (truce_gazetteer_find(a->gz, name, strlen(name), gov, 1)) {
                out[k].p = hit = gov[0];
                out[k].generic = out[k].province = true;
            }
        }
        relation(a, t, i, k ? &out[k - 1] : NULL, &out[k]);
        out[k].origin = came_from(a, t, i) ||
                        (k && out[k - 1].origin && out[k - 1].last + 2 == i &&
                         (truce__tok_is(a->s, &t[i - 1], "and") ||
                          truce__tok_is(a->s, &t[i - 1], ",")));
        /* "evacuees from Foua and Kefraya in the Rashideen area": where
         * they were, not the area of where they came from */
        if (k && out[k - 1].origin && !out[k].origin && out[k].container &&
            !out[k].generic)
            out[k].container = out[k].relative = false;
        if (i + best < n && (truce__tok_is(a->s, &t[i + best], "province") ||
                             truce__tok_is(a->s, &t[i + best], "governorate") ||
                             truce__tok_is(a->s, &t[i + best], "countryside"))) {
            if (hit->radius_km <= 0)
                out[k].radius_km = 40;
            out[k].last = i + best;
            out[k].generic = true;
        }
        k++;
        i += best - 1;
    }
    return k;
}

static json_t *
place_json(const struct found_place *f)
{
    /* the id names a boundaries feature, for a draft's zone */
    return json_pack("{s:s,s:f,s:f,s:f,s:s,s:s?}", "name", f->p->name, "lat",
                     f->p->lat, "lon", f->p->lon, "radius_km",
                     round(f->radius_km * 10) / 10, "from",
                     f->p->feature && !strcmp(f->p->feature, "boundary")
                         ? "boundaries"
                         : "gazetteer",
                     "id", f->p->id);
}

/* ------------------------------------------------------------ parts */

static const struct truce__lex *
any(enum truce__lex_kind kind, const struct article *a,
    const struct truce__token *t, size_t from, size_t to, size_t *at,
    size_t *used)
{
    for (size_t i = from; i < to; i++) {
        const struct truce__lex *e = lex_memo(a, kind, t, to, i, used);
        if (e) {
            *at = i;
            return e;
        }
    }
    return NULL;
}

/* The protected site named in [from, to), if any: not the hospital the
 * wounded were taken to ("taken to hospital", "died in hospital"). */
static const struct truce__lex *
site_in(const struct article *a, const struct truce__token *t, size_t from,
        size_t to, size_t *at, size_t *used)
{
    for (size_t i = from; i < to; i++) {
        const struct truce__lex *e = lex_memo(a, TRUCE_LEX_SITE, t, to, i, used);
        if (!e)
            continue;
        if (i > 0 && truce__tok_is(a->s, &t[i], "hospital") &&
            (truce__tok_is(a->s, &t[i - 1], "to") ||
             truce__tok_is(a->s, &t[i - 1], "in")))
            continue;
        *at = i;
        return e;
    }
    return NULL;
}

/* Two groups' counts as one ("26 soldiers and 41 militants"). */
static struct truce__count
added(struct truce__count a, struct truce__count b)
{
    struct truce__count c = a;
    c.best = a.best >= 0 && b.best >= 0 ? a.best + b.best : -1;
    c.low = a.low >= 0 || b.low >= 0
                ? (a.low >= 0 ? a.low : a.best) + (b.low >= 0 ? b.low : b.best)
                : -1;
    c.high = -1;
    c.last = b.last;
    return c;
}

/* "was killed", "were reportedly killed", "had been killed": a verb of
 * being right before k, or an adverb and one before it. */
static bool
passive_before(const struct article *a, const struct truce__token *t, size_t k)
{
    static const char *const be[] = {"was", "were", "been"};
    static const char *const adverbs[] = {"reportedly", "also", "later",
                                          "allegedly", "apparently"};
    return (k >= 1 && tok_one_of(a->s, &t[k - 1], be, COUNT(be))) ||
           (k >= 2 && tok_one_of(a->s, &t[k - 1], adverbs, COUNT(adverbs)) &&
            tok_one_of(a->s, &t[k - 2], be, COUNT(be)));
}

/* Is "10-year-old" written at k, a number, a dash and "year-old"? */
static bool
aged(const struct article *a, const struct truce__token *t, size_t n, size_t k)
{
    return k + 2 < n && t[k].kind == TRUCE_TOK_NUMBER &&
           truce__tok_is(a->s, &t[k + 1], "-") &&
           truce__tok_is(a->s, &t[k + 2], "year-old");
}

/* A person one is kin to or works with, in the singular ("son",
 * "driver", "wife")? */
static bool
kin_word(const struct article *a, const struct truce__token *t)
{
    static const char *const kin[] = {
        "son", "daughter", "wife", "husband", "brother", "sister", "father",
        "mother", "child", "nephew", "niece", "cousin", "driver", "bodyguard",
        "guard", "companion", "colleague", "aide", "deputy", "grandson",
        "granddaughter", "uncle"};
    return tok_one_of(a->s, t, kin, COUNT(kin));
}

/* One group of victims at token k: a count ("two of his bodyguards",
 * "at least 27") or one person ("a child", "a rebel commander"); its
 * last token in *last. */
static bool
victim_group(const struct article *a, const struct truce__token *t,
             size_t n, size_t k, struct truce__count *c, size_t *last)
{
    if (k >= n)
        return false;
    /* "killing all three" */
    if (k + 1 < n && truce__tok_is(a->s, &t[k], "all") &&
        truce__count_at(a->s, t, n, k + 1, c) && c->best > 1) {
        c->first = k;
        *last = c->last;
        return true;
    }
    if (truce__count_at(a->s, t, n, k, c)) {
        /* not a number of hours or kilometres */
        if (c->last + 1 < n && (truce__tok_is(a->s, &t[c->last + 1], "hours") ||
                                truce__tok_is(a->s, &t[c->last + 1], "km")))
            return false;
        *last = c->last + 1 < n && t[c->last + 1].kind == TRUCE_TOK_WORD &&
                        !truce__tok_is(a->s, &t[c->last + 1], "and")
                    ? c->last + 1
                    : c->last;
        return true;
    }
    /* "her two children", "their three sons" */
    if (k + 1 < n && (truce__tok_is(a->s, &t[k], "her") ||
                      truce__tok_is(a->s, &t[k], "his") ||
                      truce__tok_is(a->s, &t[k], "their")) &&
        truce__count_at(a->s, t, n, k + 1, c)) {
        *last = c->last + 1 < n && t[c->last + 1].kind == TRUCE_TOK_WORD
                    ? c->last + 1
                    : c->last;
        return true;
    }
    /* "its driver", "his son", "her husband": one; "him", "her" */
    {
        bool pronoun = truce__tok_is(a->s, &t[k], "him") ||
                       (truce__tok_is(a->s, &t[k], "her") &&
                        (k + 1 >= n || t[k + 1].kind != TRUCE_TOK_WORD));
        bool kin = k + 1 < n &&
                   (truce__tok_is(a->s, &t[k], "its") || truce__tok_is(a->s, &t[k], "his") ||
                    truce__tok_is(a->s, &t[k], "her")) &&
                   kin_word(a, &t[k + 1]);
        if (pronoun || kin) {
            c->best = 1;
            c->low = c->high = -1;
            c->first = k;
            c->last = pronoun ? k : k + 1;
            *last = c->last;
            return true;
        }
    }
    if ((truce__tok_is(a->s, &t[k], "a") || truce__tok_is(a->s, &t[k], "an") ||
         /* "shot dead the head of the local council", "killed the
          * governor of Aden" (a noun in the singular) */
         (truce__tok_is(a->s, &t[k], "the") && k + 1 < n &&
          a->s[t[k + 1].end - 1] != 's' && a->s[t[k + 1].end - 1] != 'S')) &&
        k + 1 < n && (t[k + 1].kind == TRUCE_TOK_WORD || aged(a, t, n, k + 1))) {
        size_t e = k + 1;
        /* "a 10-year-old boy": the age, three tokens */
        if (aged(a, t, n, k + 1))
            e = k + 3;
        /* "a rebel commander": the noun may follow a word */
        if (e + 1 < n && t[e + 1].kind == TRUCE_TOK_WORD &&
            !truce__tok_is(a->s, &t[e + 1], "and") &&
            !truce__tok_is(a->s, &t[e + 1], "in") &&
            !truce__tok_is(a->s, &t[e + 1], "on") &&
            !truce__tok_is(a->s, &t[e + 1], "at"))
            e++;
        c->best = 1;
        c->low = c->high = -1;
        c->first = k;
        c->last = e;
        *last = e;
        return true;
    }
    return false;
}

/* The victims from token k on, groups joined by "and" added. */
static bool
victims(const struct article *a, const struct truce__token *t, size_t n,
        size_t k, struct truce__count *out, size_t *last)
{
    struct truce__count c, more;
    size_t end, e2;
    if (!victim_group(a, t, n, k, &c, &end))
        return false;
    for (;;) {
        /* "a man and his son"; "45 Emirati, 10 Saudi and five Bahraini
         * soldiers": a list of counts */
        if (end + 1 < n && truce__tok_is(a->s, &t[end + 1], "and") &&
            victim_group(a, t, n, end + 2, &more, &e2)) {
        } else if (end + 1 < n && truce__tok_is(a->s, &t[end + 1], ",") &&
                   c.best > 1 && truce__count_at(a->s, t, n, end + 2, &more) &&
                   more.best > 1 && victim_group(a, t, n, end + 2, &more, &e2)) {
        } else {
            break;
        }
        c = added(c, more);
        end = e2;
    }
    *out = c;
    *last = end;
    return true;
}

/* The fatalities of the sentence: a count before "killed", "dead",
 * "died", "deaths" (within 4 tokens), or after "killing"/"killed"; "no
 * casualties" and "no one was killed" are 0. */
static bool
fatalities(const struct article *a, const struct truce__token *t, size_t n,
           struct truce__count *out, size_t *ev_first, size_t *ev_last)
{
    static const char *const death[] = {"killed", "dead", "died", "deaths",
                                        "killing", "lives", "bodies"};
    for (size_t i = 0; i + 1 < n; i++) {
        if ((truce__tok_is(a->s, &t[i], "no") &&
             (truce__tok_is(a->s, &t[i + 1], "casualties") ||
              truce__tok_is(a->s, &t[i + 1], "deaths") ||
              truce__tok_is(a->s, &t[i + 1], "one"))) ||
            /* "Nobody was hurt" */
            (truce__tok_is(a->s, &t[i], "nobody") &&
             (truce__tok_is(a->s, &t[i + 1], "was") ||
              truce__tok_is(a->s, &t[i + 1], "were")))) {
            out->best = 0;
            out->low = out->high = -1;
            *ev_first = i;
            *ev_last = i + 1;
            return true;
        }
    }
    /* not the dateline's day ("DONETSK, June 7 — Shelling killed two") */
    for (size_t i = dateline(a, t, n); i < n; i++) {
        struct truce__count c;
        if (!truce__count_at(a->s, t, n, i, &c))
            continue;
        /* not a date, a clock time or a number of hours */
        if (c.last + 1 < n && (truce__tok_is(a->s, &t[c.last + 1], "hours") ||
                               truce__tok_is(a->s, &t[c.last + 1], "km") ||
                               truce__tok_is(a->s, &t[c.last + 1], "-")))
            continue;
        /* "At least seven fighters from both sides were killed" */
        for (size_t k = c.last + 1; k < n && k <= c.last + 6; k++) {
            if (t[k].kind == TRUCE_TOK_MARK)
                break;
            for (size_t d = 0; d < sizeof(death) / sizeof(death[0]); d++)
                if (truce__tok_is(a->s, &t[k], death[d]) && strcmp(death[d], "killing")) {
                    *out = c;
                    *ev_first = c.first;
                    *ev_last = k;
                    return true;
                }
            /* "26 soldiers and 41 militants were killed": the groups
             * added, the last one's count read on from here */
            if (truce__tok_is(a->s, &t[k], "and") && k + 1 < n) {
                struct truce__count c2;
                if (truce__count_at(a->s, t, n, k + 1, &c2) && c2.best > 0) {
                    for (size_t k2 = c2.last + 1; k2 < n && k2 <= c2.last + 4;
                         k2++)
                        for (size_t d = 0; d < COUNT(death); d++)
                            if (truce__tok_is(a->s, &t[k2], death[d]) &&
                                strcmp(death[d], "killing")) {
                                *out = added(c, c2);
                                *ev_first = c.first;
                                *ev_last = k2;
                                return true;
                            }
                }
            }
        }
    }
    /* "a woman was killed", "a child was among the dead" */
    for (size_t i = 0; i + 3 < n; i++) {
        struct truce__count one;
        size_t end;
        /* "A farmer and his two sons were reportedly killed" */
        if (!(truce__tok_is(a->s, &t[i], "a") || truce__tok_is(a->s, &t[i], "an")) ||
            !victims(a, t, n, i, &one, &end))
            continue;
        /* "a separatist commander known by the nom de guerre Givi was
         * killed": who he was, then his death */
        size_t reach = end + 1 < n && (truce__tok_is(a->s, &t[end + 1], "known") ||
                                       truce__tok_is(a->s, &t[end + 1], "named") ||
                                       truce__tok_is(a->s, &t[end + 1], "nicknamed"))
                           ? end + 9
                           : end + 3;
        for (size_t k = end + 1; k < n && k <= reach; k++) {
            if (t[k].kind == TRUCE_TOK_MARK)
                break;
            if (truce__tok_is(a->s, &t[k], "killed") && passive_before(a, t, k)) {
                *out = one;
                *ev_first = i;
                *ev_last = k;
                return true;
            }
        }
    }
    /* "killing 22 children and six teachers", "killing a rebel commander
     * and two of his bodyguards", "beheaded two men", "shot dead a
     * prominent preacher" */
    for (size_t i = 0; i + 1 < n; i++) {
        static const char *const verbs[] = {"killing", "killed", "beheaded",
                                            "executed", "beheading",
                                            "executing"};
        size_t at = i + 1;
        if ((truce__tok_is(a->s, &t[i], "shot") || truce__tok_is(a->s, &t[i], "shooting")) &&
            truce__tok_is(a->s, &t[i + 1], "dead"))
            at = i + 2;
        else if (!tok_one_of(a->s, &t[i], verbs, COUNT(verbs)))
            continue;
        if (victims(a, t, n, at, out, ev_last)) {
            *ev_first = i;
            return true;
        }
    }
    /* "a civilian was shot dead" */
    for (size_t i = 0; i + 3 < n; i++) {
        struct truce__count one;
        size_t end;
        if (!(truce__tok_is(a->s, &t[i], "a") || truce__tok_is(a->s, &t[i], "an")) ||
            !victim_group(a, t, n, i, &one, &end))
            continue;
        for (size_t k = end + 1; k + 1 < n && k <= end + 3; k++)
            if (truce__tok_is(a->s, &t[k], "shot") &&
                truce__tok_is(a->s, &t[k + 1], "dead") &&
                (truce__tok_is(a->s, &t[k - 1], "was") ||
                 truce__tok_is(a->s, &t[k - 1], "been"))) {
                *out = one;
                *ev_first = i;
                *ev_last = k + 1;
                return true;
            }
    }
    return false;
}

/* "barrel bombs dropped on Daraya", "dropped by a helicopter": the verb
 * at k is a drop of bombs, not a fall in numbers */
static bool
dropped_on(const struct article *a, const struct truce__token *t, size_t n,
           size_t k)
{
    static const char *const where[] = {"on", "onto", "over", "from", "near",
                                        "into"};
    static const char *const by[] = {"a", "an", "the"};
    if (!truce__tok_is(a->s, &t[k], "dropped") || k + 1 >= n)
        return false;
    if (tok_one_of(a->s, &t[k + 1], where, COUNT(where)))
        return true;
    return truce__tok_is(a->s, &t[k + 1], "by") && k + 2 < n &&
           tok_one_of(a->s, &t[k + 2], by, COUNT(by));
}

/* Is there a punctuation mark among the tokens [from, to)? */
static bool
mark_between(const struct truce__token *t, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (t[k].kind == TRUCE_TOK_MARK)
            return true;
    return false;
}

/* A negation, a threat or a future before the act at i, in the sentence;
 * or "not", "never" within the four words before it ("did not carry
 * out air strikes", "had not struck"). */
static const struct truce__lex *
negated(const struct article *a, const struct truce__token *t, size_t n,
        size_t i, size_t act_used)
{
    static const struct truce__lex no = {"not", 0, "not", 0};
    /* what the act does right after it: "fighting eased", "clashes
     * will continue", "strikes would stop" */
    static const char *const after[] = {"eased", "subsided", "stopped",
                                        "halted", "ceased", "will", "would"};
    /* "fighting was at its lowest level in months": a trend */
    static const char *const level[] = {"lowest", "fewer", "decreased",
                                        "declined", "dropped"};
    size_t used;
    for (size_t k = i > 4 ? i - 4 : 0; k < i; k++)
        if (truce__tok_is(a->s, &t[k], "not") || truce__tok_is(a->s, &t[k], "never") ||
            tok_starts(a->s, &t[k], "didn") || tok_starts(a->s, &t[k], "hadn"))
            return &no;
    /* "no air strikes", "no new clashes" */
    for (size_t k = i > 2 ? i - 2 : 0; k < i; k++)
        if (truce__tok_is(a->s, &t[k], "no"))
            return &no;
    /* "fighting was at its lowest level", "clashes decreased": the act's
     * own verb (not "... and fewer than 10 people were hurt") */
    {
        size_t k = i + act_used;
        if (k < n && (truce__tok_is(a->s, &t[k], "was") ||
                      truce__tok_is(a->s, &t[k], "were")))
            k++;
        while (k < n && (truce__tok_is(a->s, &t[k], "at") ||
                         truce__tok_is(a->s, &t[k], "its") ||
                         truce__tok_is(a->s, &t[k], "their")))
            k++;
        if (k < n && tok_one_of(a->s, &t[k], level, COUNT(level)) &&
            !dropped_on(a, t, n, k))
            return &no;
    }
    for (size_t k = i + act_used; k < n && k < i + act_used + 8; k++)
        if (tok_one_of(a->s, &t[k], after, COUNT(after)) &&
            (k < i + act_used + 2 || truce__tok_is(a->s, &t[k], "will") ||
             truce__tok_is(a->s, &t[k], "would")))
            return &no;
    for (size_t k = 0; k < i; k++) {
        const struct truce__lex *e =
            lex_memo(a, TRUCE_LEX_NEGATION, t, i, k, &used);
        /* "held" and "calm" speak of a truce, not of an act; some words
         * govern only the act right after them */
        if (e && strcmp(e->meaning, "held") && strcmp(e->meaning, "calm") &&
            strcmp(e->meaning, "quiet") &&
            !((e->flags & TRUCE__LEX_NEAR) && k + used + 2 < i) &&
            /* "the anniversary of the city's recapture", not "On the
             * anniversary of the massacre, jets struck" */
            !(!strcmp(e->meaning, "anniversary") && mark_between(t, k + used, i)))
            return e;
    }
    return NULL;
}

static void
when_json(json_t *o, const struct truce__when *w, int64_t published)
{
    char d0[16], d1[16], tm[16];
    truce_format_day(w->has_date ? w->day0 : published, d0);
    truce_format_day(w->has_date ? w->day1 : published, d1);
    json_object_set_new(o, "date_start", json_string(d0));
    json_object_set_new(o, "date_end", json_string(d1));
    if (w->minute >= 0) {
        snprintf(tm, sizeof(tm), "%02d:%02d", w->minute / 60, w->minute % 60);
        json_object_set_new(o, "time", json_string(tm));
    } else {
        json_object_set_new(o, "time", json_null());
    }
}

/* The sentence's date phrase, if any. */
static bool
sentence_when(const struct article *a, const struct truce__token *t,
              size_t n, bool future, struct truce__when *w)
{
    /* not the dateline's day: the day the story was filed; of the past,
     * a day before a span ("which they brokered last week, collapsed on
     * Wednesday": Wednesday) */
    bool have_span = false;
    struct truce__when span;
    for (size_t i = dateline(a, t, n); i < n; i++) {
        if ((future ? truce__when_at(a->s, t, n, i, a->o->published, true, w)
                    : when_past(a, t, n, i, w)) &&
            (w->has_date || w->minute >= 0)) {
            if (future || !w->span)
                return true;
            if (!have_span) {
                span = *w;
                have_span = true;
            }
            i = w->last;
        }
    }
    if (have_span)
        *w = span;
    return have_span;
}

/* --------------------------------------------------------- incidents */

/* Is there a verb of saying between the act at i and the words at k
 * ("protesters said the army had looted ... last year")? */
static bool
said_between(const struct article *a, const struct truce__token *t, size_t i,
             size_t k)
{
    static const char *const say[] = {"said", "says", "say", "told",
                                      "claimed"};
    for (size_t j = i + 1; j < k; j++)
        if (tok_one_of(a->s, &t[j], say, COUNT(say)))
            return true;
    return false;
}

/* Is token i inside an agreement's words ("a plan to halt fighting")? */
static bool
agreement_words(const struct article *a, const struct truce__token *t,
                size_t n, size_t i)
{
    for (size_t j = i > 3 ? i - 3 : 0; j <= i; j++) {
        size_t used;
        if (lex_memo(a, TRUCE_LEX_AGREEMENT, t, n, j, &used) &&
            j + used > i)
            return true;
    }
    return false;
}

/* The date of what the sentence reports: of its date phrases, the one
 * nearest its first act, leaving out the day of a statement ("said on
 * Tuesday that an air strike ... last week killed 33"); without an act,
 * the first phrase. */
static bool
act_when(const struct article *a, const struct truce__token *t, size_t n,
         struct truce__when *out)
{
    size_t act = n, used, best = SIZE_MAX;
    bool found = false;
    for (size_t i = 0; i < n && act == n; i++)
        if (act_at(a, t, n, i, &used) && !agreement_words(a, t, n, i))
            act = i;
    if (act == n)
        return sentence_when(a, t, n, false, out);
    /* not the dateline's ("DAMASCUS, March 26 (Reuters) -"): the day the
     * story was filed */
    for (size_t i = dateline(a, t, n); i < n; i++) {
        struct truce__when w;
        size_t dist, k;
        bool speech = false;
        if (!when_past(a, t, n, i, &w) ||
            (!w.has_date && w.minute < 0))
            continue;
        for (k = i > 2 ? i - 2 : 0; k < i + 1 && k < n; k++)
            speech |= truce__tok_is(a->s, &t[k], "said") ||
                      truce__tok_is(a->s, &t[k], "says") ||
                      truce__tok_is(a->s, &t[k], "reported") ||
                      truce__tok_is(a->s, &t[k], "announced") ||
                      truce__tok_is(a->s, &t[k], "told") ||
                      truce__tok_is(a->s, &t[k], "added");
        dist = i > act ? i - act : act - i;
        if (!speech && dist < best && !said_between(a, t, act, i)) {
            best = dist;
            *out = w;
            found = true;
        }
        i = w.last;
    }
    if (found)
        return true;
    /* else the sentence's first, a speech's day too, but not what was
     * said to have happened on another */
    for (size_t i = dateline(a, t, n); i < n; i++)
        if (when_past(a, t, n, i, out) &&
            (out->has_date || out->minute >= 0) &&
            !said_between(a, t, act, i))
            return true;
    return false;
}



/* The term at or before k that ends right before k2 ("Islamic State"
 * before "militants"): the fuller name of one actor. */
static const struct truce__lex *
fuller(const struct article *a, const struct truce__token *t, size_t n,
       size_t k, const struct truce__lex *who, size_t *pk, size_t *used)
{
    for (size_t back = 1; back <= 3 && back <= k; back++) {
        size_t u;
        const struct truce__lex *e =
            lex_memo(a, TRUCE_LEX_ACTOR, t, n, k - back, &u);
        if (e && k - back + u == k && strcmp(e->meaning, "civilians")) {
            *pk = k - back;
            *used = u + *used;
            return e;
        }
    }
    return who;
}

/* The side an adjective names ("government", "Russian"): its kind. */
static const struct truce__lex sides[] = {
    {"government", 0, "state", 0}, {"regime", 0, "state", 0},
    {"syrian", 0, "state", 0},     {"army", 0, "state", 0},
    {"russian", 0, "external", 0}, {"coalition", 0, "external", 0},
    {"israeli", 0, "external", 0}, {"turkish", 0, "external", 0},
    {"american", 0, "external", 0}, {"saudi", 0, "external", 0},
    {"saudi-led", 0, "external", 0}, {"emirati", 0, "external", 0},
    {"houthi", 0, "rebel", 0},     {"rebel", 0, "rebel", 0},
    {"separatist", 0, "rebel", 0}, {"ukrainian", 0, "state", 0}};

static const struct truce__lex *
side_at(const struct article *a, const struct truce__token *t, size_t k)
{
    for (size_t j = 0; j < COUNT(sides); j++)
        if (truce__tok_is(a->s, &t[k], sides[j].phrase))
            return &sides[j];
    return NULL;
}

/* An actor named from token k (its tokens in *used): a term of the
 * lexicon that is not the adjective of a place ("rebel-held",
 * "government-controlled"); a side's adjective before the arms it uses
 * ("Russian aircraft", "government helicopters", "Russian and Syrian
 * jets": the first side named); a state that acts ("the United States
 * fired"). */
static const struct truce__lex *
actor_at(const struct article *a, const struct truce__token *t, size_t n,
         size_t k, size_t *used)
{
    static const char *const held[] = {"held", "controlled", "run",
                                       "besieged", "occupied", "backed",
                                       "allied", "supported"};
    static const char *const arms[] = {
        "warplanes", "jets", "aircraft", "helicopters", "planes", "warships",
        "drones", "gunboats", "artillery", "tanks", "forces", "troops",
        "militiamen", "fighters", "soldiers", "gunners", "snipers",
        "bombers", "government", "regime", "army", "military", "navy"};
    static const char *const acting[] = {"fired", "launched", "carried",
                                         "struck", "bombed", "shelled",
                                         "attacked", "hit"};
    static const struct truce__lex state_abroad = {"", 0, "external", 0};
    const struct truce__lex *e = lex_memo(a, TRUCE_LEX_ACTOR, t, n, k,
                                               used), *side;
    if (e) {
        size_t j = k + *used;
        if (j + 1 < n && truce__tok_is(a->s, &t[j], "-") &&
            tok_one_of(a->s, &t[j + 1], held, COUNT(held)))
            return NULL;
        return e;
    }
    if ((side = side_at(a, t, k))) {
        /* "Russian and Syrian jets", "government helicopters" */
        for (size_t j = k + 1; j < n && j <= k + 3; j++)
            if (tok_one_of(a->s, &t[j], arms, COUNT(arms))) {
                *used = j - k + 1;
                return side;
            }
        return NULL;
    }
    if ((e = lex_memo(a, TRUCE_LEX_BROKER, t, n, k, used)) &&
        k + *used < n) {
        if (tok_one_of(a->s, &t[k + *used], acting, COUNT(acting)))
            return &state_abroad;
        /* "U.S. B-52 bombers", "Russian aircraft" */
        for (size_t j = k + *used; j < n && j <= k + *used + 2; j++)
            if (tok_one_of(a->s, &t[j], arms, COUNT(arms))) {
                *used = j - k + 1;
                return &state_abroad;
            }
    }
    return NULL;
}

/* Is the actor at [k, k + used) a source rather than a side: a
 * possessive before its medium ("the Houthis' Saba news agency"), or the
 * subject of "said", "says", "told", "reported"? */
static bool
speaks(const struct article *a, const struct truce__token *t, size_t n,
       size_t k, size_t used)
{
    static const char *const say[] = {"said", "says", "told", "reported",
                                      "claimed", "accused", "denied"};
    size_t e = k + used;
    const char *w = a->s + t[e - 1].start;
    size_t len = t[e - 1].end - t[e - 1].start;
    if ((len > 2 && w[len - 1] == '\'') ||
        (len > 2 && w[len - 2] == '\'' && (w[len - 1] == 's' || w[len - 1] == 'S')))
        return true;
    return e < n && tok_one_of(a->s, &t[e], say, COUNT(say));
}

/* Who did it: for a battle, the first side the sentence names before the
 * act ("Government troops and rebels clashed") or after "between"
 * ("clashes between Houthi fighters and ..."); else the term nearest
 * before the act ("Islamic State militants killed"), an adjective of the
 * act itself ("government air strikes"), or one named after "by" within a
 * few words ("air strikes by the U.S.-led coalition"). Protesters and
 * rioters are civilians. */
static const struct truce__lex *
perpetrator(const struct article *a, const struct truce__token *t, size_t n,
            size_t act, size_t act_used, const struct truce__lex *e,
            size_t *pk, size_t *used)
{
    static const struct truce__lex protesters = {"protesters", 0, "civilians",
                                                 0};
    const struct truce__lex *who = NULL;
    size_t k;
    /* protesters, and rioters (tests/data/news/README.md) */
    if (e->category == TRUCE_CAT_PROTEST || e->category == TRUCE_CAT_RIOT) {
        *pk = act;
        *used = act_used;
        return &protesters;
    }
    if (e->category == TRUCE_CAT_BATTLE) {
        const struct truce__lex *civ = NULL;
        size_t ck = 0, cu = 0;
        for (k = 0; k < act; k++) {
            if (!(who = actor_at(a, t, n, k, used)))
                continue;
            /* "The Houthis' Saba news agency said ...": a source */
            if (speaks(a, t, n, k, *used)) {
                k += *used - 1;
                continue;
            }
            if (strcmp(who->meaning, "civilians")) {
                size_t more;
                /* "Islamic State militants": the fuller name */
                if (k + *used < act &&
                    actor_at(a, t, n, k + *used, &more))
                    *used += more;
                *pk = k;
                return fuller(a, t, n, k, who, pk, used);
            }
            if (!civ) {
                civ = who;
                ck = k;
                cu = *used;
            }
            k += *used - 1;
        }
        /* "residents stormed a security building": no armed side */
        if (civ) {
            *pk = ck;
            *used = cu;
            return civ;
        }
        /* "clashes (broke out) between X and Y" */
        for (k = act + act_used; k < n && k <= act + act_used + 3; k++) {
            if (!truce__tok_is(a->s, &t[k], "between"))
                continue;
            for (size_t j = k + 1; j < n && j <= k + 4; j++)
                if ((who = actor_at(a, t, n, j, used))) {
                    *pk = j;
                    return who;
                }
            break;
        }
        who = NULL;
    }
    /* an adjective of the act: "government air strikes", "a Russian raid" */
    if (act > 0 && (who = side_at(a, t, act - 1))) {
        *pk = act - 1;
        *used = 1;
        return who;
    }
    for (k = act; k-- > 0;) {
        if ((who = actor_at(a, t, n, k, used)) &&
            strcmp(who->meaning, "civilians")) {
            const struct truce__lex *first;
            /* "Russian and Syrian warplanes": the first named */
            if (k >= 2 && truce__tok_is(a->s, &t[k - 1], "and") &&
                (first = side_at(a, t, k - 2))) {
                *pk = k - 2;
                *used += 2;
                return first;
            }
            *pk = k;
            return fuller(a, t, n, k, who, pk, used);
        }
        who = NULL;
    }
    /* "by the U.S.-led coalition", "which Washington blames on the
     * Syrian government" */
    for (k = act + act_used; k + 1 < n; k++) {
        if (!truce__tok_is(a->s, &t[k], "by") &&
            !(truce__tok_is(a->s, &t[k], "on") && k >= 1 &&
              (truce__tok_is(a->s, &t[k - 1], "blames") ||
               truce__tok_is(a->s, &t[k - 1], "blamed") ||
               truce__tok_is(a->s, &t[k - 1], "blame"))))
            continue;
        for (size_t j = k + 1; j < n && j <= k + 10; j++) {
            who = actor_at(a, t, n, j, used);
            if (who && strcmp(who->meaning, "civilians")) {
                *pk = j;
                return who;
            }
        }
        break;
    }
    return NULL;
}

/* The perpetrator kind of incident x, "unknown" when none was named. */
static const char *
kind_of(json_t *x)
{
    const char *k = json_string_value(
        json_object_get(json_object_get(x, "perpetrator"), "kind"));
    return k ? k : "unknown";
}

/* The kind of an actor named by one word ("the militants") that an
 * earlier incident of the article named in full ("Islamic State
 * militants"); else kind. */
static const char *
named_before(const struct article *a, const struct truce__token *t,
             size_t pk, size_t used, const char *kind)
{
    const char *w = a->s + t[pk + used - 1].start;
    size_t len = t[pk + used - 1].end - t[pk + used - 1].start;
    if (used > 1 && !(used == 2 && truce__tok_is(a->s, &t[pk], "the")))
        return kind;
    for (size_t i = json_array_size(a->incidents); i-- > 0;) {
        json_t *x = json_object_get(json_array_get(a->incidents, i),
                                    "perpetrator");
        const char *text = json_string_value(json_object_get(x, "text"));
        size_t tl = text ? strlen(text) : 0;
        if (tl > len + 1 && text[tl - len - 1] == ' ' &&
            !strncasecmp(text + tl - len, w, len))
            return json_string_value(json_object_get(x, "kind"));
    }
    return kind;
}

/* Does the denial at k deny an act ("Kiev denied shelling residential
 * areas", "denied any involvement", "denied the report", "denied that its
 * jets had bombed the hospital")? Not "had been denied access", nor
 * "Turkey denied that the attackers had crossed from its territory". */
static bool
denial_of_act(const struct article *a, const struct truce__token *t,
              size_t n, size_t k)
{
    static const char *const what[] = {
        "involvement", "responsibility", "accusation", "accusations",
        "allegation", "allegations", "claim", "claims", "report", "reports",
        "it", "this", "charges", "blame", "carried", "carrying", "targeting",
        "targeted", "attack", "attacks", "strike", "strikes", "harmed",
        "hitting", "killing", "killed", "firing", "fired", "responsible"};
    size_t used;
    if (k > 0 && (truce__tok_is(a->s, &t[k - 1], "been") ||
                  truce__tok_is(a->s, &t[k - 1], "were") ||
                  truce__tok_is(a->s, &t[k - 1], "was")))
        return false;
    for (size_t j = k + 1; j < n && j <= k + 10; j++) {
        if (t[j].kind == TRUCE_TOK_MARK && !truce__tok_is(a->s, &t[j], "'"))
            break;
        if (tok_one_of(a->s, &t[j], what, COUNT(what)) || act_at(a, t, n, j, &used))
            return true;
    }
    return false;
}

/* "Islamic State claimed the attacks": the claimant is the perpetrator
 * of the article's directed acts so far that had none. "... denied that
 * the army had targeted the hospital": the acts so far are hedged. */
static void
claimed(struct article *a, const struct truce__token *t, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if ((!truce__tok_is(a->s, &t[k], "denied") &&
             !truce__tok_is(a->s, &t[k], "denies")) ||
            !denial_of_act(a, t, n, k))
            continue;
        /* the acts of the last sentence that told any: "Kiev denied
         * shelling residential areas" after the shelling of Horlivka */
        json_t *last = json_array_get(a->incidents,
                                      json_array_size(a->incidents) - 1);
        json_int_t from = json_integer_value(
            json_array_get(json_object_get(last, "span"), 0));
        for (size_t i = 0; i < json_array_size(a->incidents); i++) {
            json_t *x = json_array_get(a->incidents, i);
            if (json_integer_value(json_array_get(json_object_get(x, "span"),
                                                  0)) != from)
                continue;
            json_object_set_new(x, "hedged", json_true());
            json_object_set_new(json_object_get(x, "evidence"), "hedged",
                                words(a, t, k, k));
        }
        break;
    }
    for (size_t k = 1; k < n; k++) {
        const struct truce__lex *who = NULL;
        size_t used = 0, at = 0;
        bool blamed = truce__tok_is(a->s, &t[k], "blamed") ||
                      truce__tok_is(a->s, &t[k], "blaming");
        /* "Islamic State ... said it had carried out the attack", "said it
         * was behind" */
        bool said_it = k >= 3 && (truce__tok_is(a->s, &t[k], "carried") ||
                                  truce__tok_is(a->s, &t[k], "behind")) &&
                       (truce__tok_is(a->s, &t[k - 1], "had") ||
                        truce__tok_is(a->s, &t[k - 1], "was")) &&
                       truce__tok_is(a->s, &t[k - 2], "it") &&
                       truce__tok_is(a->s, &t[k - 3], "said");
        if (!truce__tok_is(a->s, &t[k], "claimed") && !blamed && !said_it)
            continue;
        if (said_it) {
            /* the claimant: the sentence's first actor */
            for (size_t j = 0; j + 3 < k && !who; j++)
                if ((who = actor_at(a, t, k, j, &used)))
                    at = j;
            if (!who)
                return;
        }
        /* "X claimed the attack"; "the opposition blamed government
         * warplanes" */
        if (said_it) {
            /* found above */
        } else if (blamed) {
            for (size_t j = k + 1; j < n && j <= k + 4 && !who; j++)
                if ((who = actor_at(a, t, n, j, &used)))
                    at = j;
        } else {
            for (size_t j = k; j-- > 0 && !who;)
                if ((who = actor_at(a, t, k, j, &used)))
                    at = j;
        }
        if (!who || !strcmp(who->meaning, "civilians"))
            return;
        for (size_t i = 0; i < json_array_size(a->incidents); i++) {
            json_t *x = json_array_get(a->incidents, i);
            if (strcmp(kind_of(x), "unknown") ||
                !json_is_true(json_object_get(x, "directed")))
                continue;
            json_object_set_new(x, "actor1", words(a, t, at, at + used - 1));
            json_object_set_new(x, "perpetrator",
                                json_pack("{s:o,s:n,s:s}", "text",
                                          words(a, t, at, at + used - 1),
                                          "actor", "kind", who->meaning));
            json_object_set_new(json_object_get(x, "evidence"), "perpetrator",
                                blamed ? words(a, t, k, at + used - 1)
                                       : words(a, t, at, k));
            if (blamed) {
                json_object_set_new(x, "hedged", json_true());
                json_object_set_new(json_object_get(x, "evidence"), "hedged",
                                    words(a, t, k, k));
            }
        }
        return;
    }
}

/* The sub-type of act e by a perpetrator of kind: ground taken is the
 * government's regained or a non-state actor's taken (ACLED). */
static const char *
subcategory(const struct truce__lex *e, const char *kind)
{
    if (!(e->flags & TRUCE__LEX_TERRITORY) || !strcmp(kind, "unknown") ||
        !strcmp(kind, "civilians"))
        return e->meaning;
    return !strcmp(kind, "state") ? "Government regains territory"
                                  : "Non-state actor overtakes territory";
}

/* An assault on civilians: an "assault" or "attack" in a clause that
 * counts civilians among its dead and names no other armed side ("killed
 * at least 135 people, most of them civilians, in an assault"). */
static bool
on_civilians(const struct article *a, const struct truce__token *t,
             size_t n, const struct truce__lex *e)
{
    size_t used, armed = 0;
    bool civilians = false;
    if (strncmp(e->phrase, "assault", 7) && strncmp(e->phrase, "attack", 6))
        return false;
    size_t end = SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        const struct truce__lex *w = actor_at(a, t, n, k, &used);
        if (!w)
            continue;
        if (!strcmp(w->meaning, "civilians"))
            civilians = true;
        else if (k != end) /* "Islamic State militants" are one */
            armed++;
        k += used - 1;
        end = k + 1;
    }
    return civilians && armed <= 1;
}

/* One act to report: its words, the clause of the sentence it is in,
 * and whether the clause's count of the dead goes to it. */
struct act_at {
    size_t at, used;
    const struct truce__lex *e;
    size_t from, to;
    bool count;
    size_t tail;   /* its clause and the clauses of no act after it */
    size_t says;   /* the sentence's closing ", X said", n when none */
    bool undated;  /* no date in its clause: the sentence's or the day's */
};

/* The incident whose subject a participle's clause shares ("Rebels
 * pressed an assault ..., after opening it on Sunday with two suicide car
 * bombs"): the sentence's incident before it, when the clause opens with
 * "after", "before" or "while" and a word in -ing. */
static json_t *
subject_before(const struct article *a, const struct truce__span *sp,
               const struct truce__token *t, const struct act_at *x)
{
    json_t *last;
    const char *w;
    size_t k = x->from, len;
    if (!json_array_size(a->incidents) || k + 1 >= x->to ||
        !(truce__tok_is(a->s, &t[k], "after") ||
          truce__tok_is(a->s, &t[k], "before") ||
          truce__tok_is(a->s, &t[k], "while")))
        return NULL;
    w = a->s + t[k + 1].start;
    len = t[k + 1].end - t[k + 1].start;
    if (len < 5 || strncasecmp(w + len - 3, "ing", 3))
        return NULL;
    last = json_array_get(a->incidents, json_array_size(a->incidents) - 1);
    if (json_integer_value(json_array_get(json_object_get(last, "span"), 0)) !=
            (json_int_t)sp->start ||
        !strcmp(kind_of(last), "unknown"))
        return NULL;
    return last;
}

/* An incident already found of the same category and sub-type at the
 * same place and date by a perpetrator that may be the same: the act
 * reported again. */
static json_t *
reported_before(struct article *a, enum truce_category cat,
                const char *sub, const char *day, const char *place,
                const char *kind)
{
    for (size_t i = 0; i < json_array_size(a->incidents); i++) {
        json_t *x = json_array_get(a->incidents, i);
        const char *k = kind_of(x),
                   *xs = json_string_value(json_object_get(x, "subcategory"));
        /* a battle has two sides: either may be named first */
        if (cat == TRUCE_CAT_BATTLE)
            k = kind;
        if (!strcmp(json_string_value(json_object_get(x, "category")),
                    truce_category_name(cat)) &&
            (!sub || !xs || !strcmp(sub, xs) ||
             /* fighting told again of a battle that took ground */
             (cat == TRUCE_CAT_BATTLE &&
              (!strcmp(sub, "Armed clash") || !strcmp(xs, "Armed clash")))) &&
            !strcmp(json_string_value(json_object_get(x, "date_start")), day) &&
            !strcmp(json_string_value(json_object_get(
                        json_object_get(x, "place"), "name")),
                    place) &&
            (!strcmp(k, kind) || !strcmp(k, "unknown") ||
             !strcmp(kind, "unknown"))) {
            /* told more exactly now: "bombings", then "a car bomb" */
            if (!xs && sub)
                json_object_set_new(x, "subcategory", json_string(sub));
            return x;
        }
    }
    return NULL;
}

/* The index of the last incident of this category told, the count of
 * incidents when none is. */
static size_t
last_told(const struct article *a, enum truce_category cat)
{
    size_t n = json_array_size(a->incidents);
    for (size_t i = n; i-- > 0;)
        if (!strcmp(json_string_value(json_object_get(
                        json_array_get(a->incidents, i), "category")),
                    truce_category_name(cat)))
            return i;
    return n;
}

/* The protected site of the clause [from, to), if any, marked on the
 * incident x it tells of again. */
static void
mark_site(const struct article *a, const struct truce__token *t, size_t from,
          size_t to, json_t *x)
{
    size_t k, used;
    const struct truce__lex *site = site_in(a, t, from, to, &k, &used);
    if (!site || json_is_true(json_object_get(x, "protected_site")))
        return;
    json_object_set_new(x, "protected_site", json_true());
    json_object_set_new(json_object_get(x, "evidence"), "protected_site",
                        words(a, t, k, k + used - 1));
}

/* ... on the last incident of the category told, else the last. */
static void
site_told(struct article *a, const struct truce__token *t, size_t from,
          size_t to, enum truce_category cat)
{
    size_t n = json_array_size(a->incidents), pick = last_told(a, cat);
    if (!n)
        return;
    mark_site(a, t, from, to, json_array_get(a->incidents, pick < n ? pick : n - 1));
}

/* The incident x told before takes the day w told now: its dates, no
 * longer undated, and the words of w as its evidence when w has words. */
static void
date_told_later(struct article *a, const struct truce__token *t, json_t *x,
                const struct truce__when *w)
{
    when_json(x, w, a->o->published);
    json_object_del(x, "_undated");
    if (w->first != SIZE_MAX)
        json_object_set_new(json_object_get(x, "evidence"), "date",
                            words(a, t, w->first, w->last));
}

/* An incident of ground taken at this place, told before without a date
 * of its own, takes the date told now; true when there was one. */
static bool
redated(struct article *a, const struct truce__token *t,
        enum truce_category cat, const char *sub, const char *place,
        const struct truce__when *w)
{
    for (size_t i = 0; i < json_array_size(a->incidents); i++) {
        json_t *x = json_array_get(a->incidents, i);
        const char *xs = json_string_value(json_object_get(x, "subcategory"));
        if (!json_is_true(json_object_get(x, "_undated")) ||
            strcmp(json_string_value(json_object_get(x, "category")),
                   truce_category_name(cat)) ||
            !xs || !sub || strcmp(xs, sub) ||
            strcmp(json_string_value(json_object_get(
                       json_object_get(x, "place"), "name")),
                   place))
            continue;
        date_told_later(a, t, x, w);
        a->last_day = w->day0;
        a->latest_day = a->latest_day > w->day0 ? a->latest_day : w->day0;
        return true;
    }
    return false;
}

/* "The desert town fell late on Saturday", "The city fell on Friday":
 * the fall of a place told before, with its day. */
static bool
town_fell(const struct article *a, const struct truce__token *t, size_t n)
{
    static const char *const towns[] = {"town", "city", "village", "base",
                                        "stronghold"};
    for (size_t k = 1; k + 1 < n; k++)
        if (truce__tok_is(a->s, &t[k], "fell") &&
            tok_one_of(a->s, &t[k - 1], towns, COUNT(towns)) &&
            !truce__tok_is(a->s, &t[k + 1], "silent") &&
            !truce__tok_is(a->s, &t[k + 1], "apart"))
            return true;
    return false;
}

/* The last incident of ground taken told without a day of its own takes
 * the day w of its fall told now ("have driven them out of al-Sukhnah,
 * SANA said on Sunday. The desert town fell late on Saturday"). */
static void
fall_dated(struct article *a, const struct truce__token *t,
           const struct truce__when *w)
{
    for (size_t i = json_array_size(a->incidents); i-- > 0;) {
        json_t *x = json_array_get(a->incidents, i);
        if (!json_is_true(json_object_get(x, "_undated")))
            continue;
        date_told_later(a, t, x, w);
        return;
    }
}

/* Does the sentence tell a death again with a subject that points back
 * ("The writer was killed on Thursday", "He died on Monday")? */
static bool
death_retold(const struct article *a, const struct truce__token *t, size_t n)
{
    if (n < 3 || !(truce__tok_is(a->s, &t[0], "the") || truce__tok_is(a->s, &t[0], "he") ||
                   truce__tok_is(a->s, &t[0], "she")))
        return false;
    for (size_t k = 1; k < n && k < 6; k++)
        if ((truce__tok_is(a->s, &t[k], "killed") && passive_before(a, t, k)) ||
            truce__tok_is(a->s, &t[k], "died"))
            return true;
    return false;
}

/* The incident at index x, when told with no words of a date, takes the
 * day w told now. */
static void
undated_dated(struct article *a, const struct truce__token *t,
              const struct truce__when *w, size_t x)
{
    json_t *o = json_array_get(a->incidents, x);
    if (!o || json_object_get(json_object_get(o, "evidence"), "date"))
        return;
    date_told_later(a, t, o, w);
}

/* The hedge of [from, to) for the act at act: any of the lexicon's, but
 * an accusation only of this act ("accused Tahrir al-Sham of abducting";
 * not "accused the separatists of breaking the truce, saying they had
 * shelled"). */
static const struct truce__lex *
own_hedge(const struct article *a, const struct truce__token *t, size_t from,
          size_t to, size_t act, size_t *k, size_t *used)
{
    while (from < to) {
        const struct truce__lex *h =
            any(TRUCE_LEX_HEDGE, a, t, from, to, k, used);
        if (!h || strcmp(h->phrase, "accused") || (*k < act && act <= *k + 6))
            return h;
        from = *k + 1;
    }
    return NULL;
}

/* Is the time of w no clock time of the act ("at dawn", "shortly before
 * midnight", "just after noon", a time carried from another sentence)? */
static bool
loose_time(const struct article *a, const struct truce__token *t,
           const struct truce__when *w)
{
    static const char *const near[] = {"before", "after", "around",
                                       "shortly", "just", "towards",
                                       "toward", "until"};
    if (w->minute < 0)
        return false;
    
/* nor one carried from another sentence's act or statement */
    if (w->approximate || w->first == SIZE_MAX)
        return true;
    for (size_t k = w->first > 2 ? w->first - 2 : 0; k <= w->first; k++)
        if (tok_one_of(a->s, &t[k], near, COUNT(near)))
            return true;
    return false;
}

static void
add_incident(struct article *a, const struct truce__span *sp,
             const struct truce__token *t, size_t n, const struct act_at *x,
             const struct found_place *pl, const struct truce__when *w)
{
    json_t *o, *why;
    char id[96], at[32];
    size_t k, used, pk = 0, act = x->at, act_used = x->used;
    const struct truce__lex *e = x->e, *who, *site, *hedge, *attr;
    const char *kind, *sub;
    json_t *inherited, *told;
    enum truce_category cat;
    const struct truce__token *ct = t + x->from; /* the clause */
    size_t cn = x->to - x->from;
    struct truce__count c;
    size_t f0, f1;
    char d0[16];
    /* who: in the act's clause, its tokens counted from the clause */
    who = perpetrator(a, ct, cn, act - x->from, act_used, e, &pk, &used);
    pk += x->from;
    kind = who ? named_before(a, t, pk, used, who->meaning) : "unknown";
    inherited = who ? NULL : subject_before(a, sp, t, x);
    if (inherited)
        kind = kind_of(inherited);
    cat = e->category;
    sub = subcategory(e, kind);
    /* civilians who storm and fight riot */
    if (!strcmp(kind, "civilians") &&
        (cat == TRUCE_CAT_BATTLE || cat == TRUCE_CAT_VAC)) {
        cat = TRUCE_CAT_RIOT;
        sub = "Violent demonstration";
    } else if (cat == TRUCE_CAT_BATTLE && on_civilians(a, ct, cn, e)) {
        cat = TRUCE_CAT_VAC;
        sub = "Attack";
    }
    /* one act of a kind at a place and date ("... and hit the town's only
     * field hospital": the site is the act's told) */
    truce_format_day(w->has_date ? w->day0 : a->o->published, d0);
    if ((told = reported_before(a, cat, sub, d0, pl->p->name, kind))) {
        mark_site(a, t, x->from, x->to, told);
        return;
    }
    /* "have retaken the town ..., SANA said on Tuesday. The army took
     * full control of the town late on Monday": the day of ground taken,
     * told again */
    if ((e->flags & TRUCE__LEX_TERRITORY) && !x->undated &&
        redated(a, t, cat, sub, pl->p->name, w))
        return;
    o = json_object();
    why = json_object();
    snprintf(id, sizeof(id), "news:%s:%012llx:%ld", a->o->source,
             (unsigned long long)(a->hash & 0xffffffffffffULL), ++a->serial);
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "sentence", json_stringn(a->s + sp->start,
                                                    sp->end - sp->start));
    json_object_set_new(o, "span", json_pack("[I,I]", (json_int_t)sp->start,
                                             (json_int_t)sp->end));
    json_object_set_new(o, "category", json_string(truce_category_name(cat)));
    json_object_set_new(o, "subcategory", sub ? json_string(sub) : json_null());
    json_object_set_new(why, "category", words(a, t, act, act + act_used - 1));
    json_object_set_new(o, "place", place_json(pl));
    if (pl->first != SIZE_MAX)
        json_object_set_new(why, "place", words(a, t, pl->first, pl->last));
    {
        /* an act's time is a clock time written: not "at dawn", "shortly
         * before midnight", "after dawn prayers" */
        struct truce__when at_time = *w;
        if (loose_time(a, t, w))
            at_time.minute = -1;
        when_json(o, &at_time, a->o->published);
    }
    if ((w->has_date || w->minute >= 0) && w->first != SIZE_MAX)
        json_object_set_new(why, "date", words(a, t, w->first, w->last));
    json_object_set_new(o, "directed", json_boolean(
                            cat != TRUCE_CAT_BATTLE &&
                            cat != TRUCE_CAT_PROTEST && cat != TRUCE_CAT_RIOT));
    if (who) {
        json_object_set_new(o, "actor1", words(a, t, pk, pk + used - 1));
        json_object_set_new(o, "perpetrator",
                            json_pack("{s:o,s:n,s:s}", "text",
                                      words(a, t, pk, pk + used - 1), "actor",
                                      "kind", kind));
        json_object_set_new(why, "perpetrator", words(a, t, pk, pk + used - 1));
    } else if (inherited) {
        json_t *p = json_object_get(inherited, "perpetrator");
        json_object_set(o, "actor1", json_object_get(inherited, "actor1"));
        json_object_set_new(o, "perpetrator", json_deep_copy(p));
        json_object_set(why, "perpetrator", json_object_get(p, "text"));
    } else {
        json_object_set_new(o, "actor1", json_null());
        json_object_set_new(o, "perpetrator",
                            json_pack("{s:n,s:n,s:s}", "text", "actor", "kind",
                                      "unknown"));
    }
    json_object_set_new(o, "actor2", json_null());
    for (k = x->from; k < x->to; k++) {
        const struct truce__lex *v =
            lex_memo(a, TRUCE_LEX_ACTOR, t, x->to, k, &used);
        if (v && !strcmp(v->meaning, "civilians")) {
            json_object_set_new(o, "actor2", words(a, t, k, k + used - 1));
            break;
        }
    }
    if (x->count && (fatalities(a, ct, cn, &c, &f0, &f1) ||
                     (x->tail > x->to &&
                      fatalities(a, t + x->from, x->tail - x->from, &c, &f0,
                                 &f1)))) {
        f0 += x->from;
        f1 += x->from;
        json_object_set_new(o, "fatalities",
                            c.best >= 0 ? json_integer(c.best) : json_null());
        /* a low bound only where one is written ("at least 27") */
        json_object_set_new(o, "fatalities_low",
                            c.low >= 0 ? json_integer(c.low) : json_null());
        json_object_set_new(o, "fatalities_high",
                            c.high >= 0 ? json_integer(c.high) : json_null());
        json_object_set_new(why, "fatalities", words(a, t, f0, f1));
    } else {
        json_object_set_new(o, "fatalities", json_null());
        json_object_set_new(o, "fatalities_low", json_null());
        json_object_set_new(o, "fatalities_high", json_null());
    }
    site = site_in(a, t, x->from, x->to, &k, &used);
    json_object_set_new(o, "protected_site", json_boolean(site != NULL));
    if (site)
        json_object_set_new(why, "protected_site", words(a, t, k, k + used - 1));
    /* a source is the act's own: in its clauses, or closing the
     * sentence */
    hedge = own_hedge(a, t, x->from, x->tail, act, &k, &used);
    if (!hedge)
        hedge = own_hedge(a, t, x->says, n, act, &k, &used);
    json_object_set_new(o, "hedged", json_boolean(hedge != NULL));
    if (hedge)
        json_object_set_new(why, "hedged", words(a, t, k, k + used - 1));
    attr = any(TRUCE_LEX_ATTRIBUTION, a, t, 0, n, &k, &used);
    json_object_set_new(o, "attribution",
                        attr ? json_string(attr->meaning) : json_null());
    if (attr)
        json_object_set_new(why, "attribution", words(a, t, k, k + used - 1));
    snprintf(at, sizeof(at), "%.2f",
             0.4 + (pl->p ? 0.2 : 0) + (w->has_date ? 0.1 : 0) +
                 (who ? 0.1 : 0) - (hedge ? 0.1 : 0));
    json_object_set_new(o, "confidence", json_real(strtod(at, NULL)));
    json_object_set_new(o, "evidence", why);
    if (x->undated && (e->flags & TRUCE__LEX_TERRITORY))
        json_object_set_new(o, "_undated", json_true());
    json_array_append_new(a->incidents, o);
    a->last_day = w->has_date ? w->day0 : a->o->published;
    a->latest_day = a->has_last && a->latest_day > a->last_day ? a->latest_day
                                                               : a->last_day;
    a->has_last = true;
}

/* Is the verb at i in the passive: "was", "were", "been" or "be" among
 * the three words before it, within the clause? */
static bool
passive_near(const struct article *a, const struct truce__token *t,
             size_t from, size_t i)
{
    static const char *const be[] = {"was", "were", "been", "be"};
    return word_within(a, t, i >= from + 3 ? i - 3 : from, i, be, COUNT(be));
}

/* A clash, for killings whose victims bore arms. */
static const struct truce__lex clash_act = {"", TRUCE_CAT_BATTLE,
                                            "Armed clash", 0};

/* Is the object from k a soldier or a fighter ("shot dead a soldier",
 * "killing two rebel fighters")? */
static bool
armed_victim(const struct article *a, const struct truce__token *t, size_t k,
             size_t to)
{
    static const char *const armed[] = {"soldier", "soldiers", "fighter",
                                        "fighters", "rebel", "rebels",
                                        "militant", "militants", "troops",
                                        "serviceman", "servicemen"};
    for (size_t j = k; j < to && j < k + 4; j++) {
        if (t[j].kind == TRUCE_TOK_MARK)
            return false;
        if (tok_one_of(a->s, &t[j], armed, COUNT(armed)))
            return true;
    }
    return false;
}

/* Is the protest at i a government's ("summoned the ambassador to
 * protest", "lodged a formal protest")? A word of diplomacy in its
 * clause, before it. */
static bool
diplomatic(const struct article *a, const struct truce__token *t,
           size_t from, size_t i)
{
    static const char *const words[] = {"summoned", "ambassador", "envoy",
                                        "diplomat", "diplomats", "diplomatic",
                                        "lodged", "formal"};
    for (size_t k = from; k < i; k++)
        if (tok_one_of(a->s, &t[k], words, COUNT(words)))
            return true;
    return false;
}

/* An abduction, for ground-taking verbs whose object is a person. */
static const struct truce__lex abduction_act = {
    "", TRUCE_CAT_VAC, "Abduction/forced disappearance", 0};

/* Is the object from k a person ("a local journalist", "two aid workers",
 * "the priest")? An article or a count, at most two words, then one of
 * the words for people. */
static bool
person_taken(const struct article *a, const struct truce__token *t, size_t k,
             size_t to)
{
    static const char *const who[] = {
        "pensioner", "pensioners", "elder", "elders", "cleric", "clerics",
        "journalist", "journalists", "activist", "activists", "man", "men",
        "woman", "women", "civilian", "civilians", "doctor", "doctors",
        "teacher", "teachers", "priest", "priests", "official", "officials",
        "farmer", "farmers", "lecturer", "member", "members", "worker",
        "workers", "child", "children", "boy", "boys", "girl", "girls",
        "resident", "residents", "people", "hostages", "villagers", "nurse",
        "engineer", "engineers", "student", "students", "monitor",
        "monitors", "blogger", "bloggers", "writer", "writers", "reporter",
        "reporters", "photographer", "photographers", "cameraman", "lawyer",
        "lawyers", "judge", "judges", "imam", "volunteer", "volunteers",
        "driver", "drivers", "trader",
        "traders", "shepherd", "shepherds", "businessman", "businessmen",
        "medic", "medics", "aid"};
    struct truce__count c;
    if (k >= to)
        return false;
    if (truce__tok_is(a->s, &t[k], "a") || truce__tok_is(a->s, &t[k], "an") ||
        truce__tok_is(a->s, &t[k], "the"))
        k++;
    else if (truce__count_at(a->s, t, to, k, &c))
        k = c.last + 1;
    else
        return false;
    for (size_t j = k; j < to && j < k + 4; j++) {
        size_t len = t[j].end - t[j].start;
        /* "a 62-year-old pensioner" (a number, a dash and "year-old") */
        if (aged(a, t, to, j))
            return true;
        /* the object's own words: not "the homes of civilians", "the
         * hill where the men had dug in" */
        if (t[j].kind == TRUCE_TOK_MARK || truce__tok_is(a->s, &t[j], "of") ||
            truce__tok_is(a->s, &t[j], "where") || truce__tok_is(a->s, &t[j], "and") ||
            truce__tok_is(a->s, &t[j], "who") || truce__tok_is(a->s, &t[j], "which"))
            return false;
        /* "a 62-year-old pensioner", "a 12-year-old" (one token or
         * three) */
        if (tok_one_of(a->s, &t[j], who, COUNT(who)) ||
            (len >= 8 && !strncasecmp(a->s + t[j].end - 8, "year-old", 8)))
            return true;
    }
    return false;
}

/* Does the sentence tell of ground left under a deal ("withdrew under a
 * deal", "handed over ... under an agreement")? */
static bool
handed_over(const struct article *a, const struct truce__token *t, size_t n)
{
    static const char *const left[] = {"withdrew", "withdrawn", "handed",
                                       "evacuated", "surrendered"};
    static const char *const deal[] = {"deal", "agreement", "accord"};
    bool gone = false, agreed = false;
    for (size_t k = 0; k < n; k++) {
        gone |= tok_one_of(a->s, &t[k], left, COUNT(left));
        agreed |= gone && tok_one_of(a->s, &t[k], deal, COUNT(deal));
    }
    return agreed;
}

/* The nouns a place is called by, in the order of article.called. */
static const char *const call_nouns[] = {"town", "village", "city"};

/* Which of call_nouns the token is, with its possessive ("the town's"):
 * its index, -1 when none. */
static int
call_noun(const struct article *a, const struct truce__token *t)
{
    size_t len = t->end - t->start;
    const char *w = a->s + t->start;
    for (int i = 0; i < (int)COUNT(call_nouns); i++) {
        size_t k = strlen(call_nouns[i]);
        if (len >= k && !strncasecmp(w, call_nouns[i], k) &&
            (len == k || (len == k + 2 && w[k] == '\'' && w[k + 1] == 's')))
            return i;
    }
    return -1;
}

/* The sentence's places called by a noun: "the town of Zabadani", "the
 * separatist-held town of Horlivka". */
static void
remember_calls(struct article *a, const struct truce__token *t,
               const struct found_place *pl, size_t npl)
{
    for (size_t p = 0; p < npl; p++) {
        size_t f = pl[p].first;
        int k;
        if (f >= 2 && truce__tok_is(a->s, &t[f - 1], "of") &&
            (k = call_noun(a, &t[f - 2])) >= 0 && !pl[p].generic) {
            a->called[k] = pl[p].p;
            a->called_radius[k] = pl[p].radius_km;
        }
    }
}

/* The place "the town", "the village's" in [from, to) speaks of, when
 * one was called so; NULL otherwise. */
static const struct truce_place *
called_back(const struct article *a, const struct truce__token *t,
            size_t from, size_t to, double *radius)
{
    for (size_t k = from; k + 1 < to; k++) {
        int c;
        if (truce__tok_is(a->s, &t[k], "the") &&
            (c = call_noun(a, &t[k + 1])) >= 0 && a->called[c] &&
            !(k + 2 < to && truce__tok_is(a->s, &t[k + 2], "of"))) {
            *radius = a->called_radius[c];
            return a->called[c];
        }
    }
    return NULL;
}

/* Does the clause [from, to) say "on the eve of the truce" (of an
 * agreement's noun)? */
static bool
eve_of(const struct article *a, const struct truce__token *t, size_t from,
       size_t to)
{
    for (size_t k = from; k + 3 < to; k++) {
        size_t used;
        if (truce__tok_is(a->s, &t[k], "eve") && truce__tok_is(a->s, &t[k + 1], "of"))
            for (size_t j = k + 2; j < to && j <= k + 4; j++)
                if (lex_memo(a, TRUCE_LEX_AGREEMENT, t, to, j, &used))
                    return true;
    }
    return false;
}

/* Does the clause [from, to) date its act by the agreement's end ("after
 * the collapse", "after the truce expired") or start ("on the eve of the
 * truce")? Then *w is the day the last statement of a collapse says, or
 * the day before the last start told. */
static bool
after_collapse(const struct article *a, const struct truce__token *t,
               size_t from, size_t to, struct truce__when *w)
{
    static const char *const end[] = {"collapse", "collapsed", "expired",
                                      "ended", "breakdown", "end"};
    const char *day = NULL;
    bool told = false;
    int back = 0;
    for (size_t k = from; k + 2 < to && !told; k++)
        if (truce__tok_is(a->s, &t[k], "after") ||
            truce__tok_is(a->s, &t[k], "since"))
            for (size_t j = k + 1; j < to && j <= k + 4; j++)
                told |= tok_one_of(a->s, &t[j], end, COUNT(end));
    for (size_t i = json_array_size(a->agreements); told && i-- > 0;) {
        json_t *x = json_array_get(a->agreements, i);
        if (!strcmp(json_string_value(json_object_get(x, "action")),
                    "collapsed") &&
            (day = json_string_value(json_object_get(x, "until"))))
            break;
    }
    /* "On the eve of the truce, government artillery shelled Douma": the
     * day before the start told */
    if (!told && eve_of(a, t, from, to))
        for (size_t i = json_array_size(a->agreements); i-- > 0;) {
            json_t *x = json_array_get(a->agreements, i);
            if ((day = json_string_value(json_object_get(x, "effective")))) {
                back = 1;
                break;
            }
        }
    if (!day || truce_parse_day(day, 10, TRUCE_DATES_UNKNOWN, &w->day0, NULL))
        return false;
    w->day0 -= back;
    w->day1 = w->day0;
    w->minute = -1;
    w->has_date = true;
    w->span = w->approximate = w->utc = false;
    w->first = w->last = SIZE_MAX;
    return true;
}

/* Is the act at i a noun after "the" and one word that is neither an
 * actor nor a number ("condemned the Russian bombing"; not "the army
 * took", "the jihadists fought")? */
static bool
told_again(const struct article *a, const struct truce__token *t,
           size_t from, size_t to, size_t i)
{
    static const char *const verbs[] = {"took", "fought", "struck", "hit",
                                        "overran", "retook", "shot", "blew"};
    struct truce__count c;
    size_t used, len = t[i].end - t[i].start;
    if (i < from + 2 || !truce__tok_is(a->s, &t[i - 2], "the") ||
        t[i - 1].kind != TRUCE_TOK_WORD ||
        lex_memo(a, TRUCE_LEX_ACTOR, t, to, i - 1, &used) ||
        truce__count_at(a->s, t, to, i - 1, &c) ||
        tok_one_of(a->s, &t[i], verbs, COUNT(verbs)))
        return false;
    return !(len > 2 && !strncasecmp(a->s + t[i].end - 2, "ed", 2));
}

/* Has an incident of this category been told already? */
static bool
told_before(const struct article *a, enum truce_category cat)
{
    return last_told(a, cat) < json_array_size(a->incidents);
}

/* Is the act at i a party's own account of its deeds ("the coalition
 * said its jets had targeted weapons depots", "said their planes had
 * struck only militant targets")? "said" and "its" or "their" within the
 * five words before it, and "had" or "have" right before it. */
static bool
own_account(const struct article *a, const struct truce__token *t,
            size_t from, size_t i)
{
    if (i < from + 3 || !(truce__tok_is(a->s, &t[i - 1], "had") ||
                          truce__tok_is(a->s, &t[i - 1], "have")))
        return false;
    for (size_t k = i - 2; k > from && k + 5 >= i; k--)
        if ((truce__tok_is(a->s, &t[k], "its") ||
             truce__tok_is(a->s, &t[k], "their")) &&
            (truce__tok_is(a->s, &t[k - 1], "said") ||
             truce__tok_is(a->s, &t[k - 1], "says")))
            return true;
    return false;
}

/* Do the words [from, i) before an act name armed men as its subject
 * ("troops", "fighters"; not "Houthi supporters")? */
static bool
armed_subject(const struct article *a, const struct truce__token *t,
              size_t from, size_t i)
{
    static const char *const men[] = {"troops", "soldiers", "fighters",
                                      "forces", "militiamen", "gunmen",
                                      "militants", "rebels", "jihadists",
                                      "insurgents", "separatists"};
    static const char *const crowd[] = {"thousands", "hundreds", "tens"};
    /* "Tens of thousands of southern separatists rallied": a crowd */
    if (word_within(a, t, from, i, crowd, COUNT(crowd)))
        return false;
    return word_within(a, t, from, i, men, COUNT(men));
}

/* "backed by", "supported by", "covered by" within three words before
 * the act at i. */
static bool
backed(const struct article *a, const struct truce__token *t, size_t i)
{
    /* "Backed by waves of Russian air strikes": a few words between */
    for (size_t k = i > 6 ? i - 6 : 1; k < i; k++)
        if (truce__tok_is(a->s, &t[k], "by") &&
            (truce__tok_is(a->s, &t[k - 1], "backed") ||
             truce__tok_is(a->s, &t[k - 1], "supported") ||
             truce__tok_is(a->s, &t[k - 1], "covered")))
            return true;
    return false;
}

/* Is there an act within the tokens [from, to)? */
static bool
act_within(const struct article *a, const struct truce__token *t, size_t n,
           size_t from, size_t to)
{
    size_t used;
    for (size_t i = from; i < to && i < n; i++)
        if (act_at(a, t, n, i, &used))
            return true;
    return false;
}

/* A subject and its act from token k on: an actor term (after "the",
 * "a", "an") and an act within six tokens after it ("rebels fired
 * rockets"). */
static bool
subject_follows(const struct article *a, const struct truce__token *t,
                size_t n, size_t k)
{
    size_t used;
    if (k < n && (truce__tok_is(a->s, &t[k], "the") ||
                  truce__tok_is(a->s, &t[k], "a") ||
                  truce__tok_is(a->s, &t[k], "an")))
        k++;
    /* "Turkish-backed rebels", "U.S.-led coalition": the backer's words
     * before the actor */
    for (size_t j = k; j < n && j <= k + 4; j++) {
        const char *w = a->s + t[j].start;
        size_t len = t[j].end - t[j].start;
        if ((len > 7 && !strncasecmp(w + len - 7, "-backed", 7)) ||
            (len > 4 && !strncasecmp(w + len - 4, "-led", 4)) ||
            (len > 7 && !strncasecmp(w + len - 7, "-allied", 7))) {
            k = j + 1;
            break;
        }
    }
    if (k >= n || !lex_memo(a, TRUCE_LEX_ACTOR, t, n, k, &used))
        return false;
    return act_within(a, t, n, k + used, k + used + 6);
}

static bool dated_within(const struct article *a,
                         const struct truce__token *t, size_t n, size_t from,
                         size_t to);

/* Is the token at k an act told by a verb in the past ("shelled",
 * "captured", "attacked"), not a noun ("and shelling")? */
static bool
past_act(const struct article *a, const struct truce__token *t, size_t n,
         size_t k)
{
    size_t used, len;
    if (k >= n || !act_at(a, t, n, k, &used) || used != 1)
        return false;
    len = t[k].end - t[k].start;
    return len > 3 && !strncasecmp(a->s + t[k].end - 2, "ed", 2);
}

/* Do the words from k name a source that speaks ("the Syrian Observatory
 * for Human Rights reported", "activists said")? */
static bool
source_speaks(const struct article *a, const struct truce__token *t,
              size_t n, size_t k)
{
    static const char *const say[] = {"said", "reported", "says", "reports"};
    size_t used;
    for (size_t j = k; j < n && j < k + 3; j++)
        if (lex_memo(a, TRUCE_LEX_ATTRIBUTION, t, n, j, &used)) {
            size_t e = j + used;
            /* "the Syrian Observatory for Human Rights": its full name */
            while (e < n && e < j + used + 5 &&
                   !tok_one_of(a->s, &t[e], say, COUNT(say)) &&
                   t[e].kind == TRUCE_TOK_WORD &&
                   isupper((unsigned char)a->s[t[e].start]))
                e++;
            return e < n && tok_one_of(a->s, &t[e], say, COUNT(say));
        }
    return false;
}

/* A count and an act a few words after it at k ("hundreds of people
 * rallied", "two rebels attacked")? */
static bool
counted_act(const struct article *a, const struct truce__token *t, size_t n,
            size_t k)
{
    struct truce__count c;
    /* "hundreds": a low bound, no best */
    if (!truce__count_at(a->s, t, n, k, &c) || (c.best <= 0 && c.low <= 0))
        return false;
    for (size_t j = c.last + 1; j < n && j <= c.last + 4; j++) {
        size_t used;
        if (t[j].kind == TRUCE_TOK_MARK)
            return false;
        if (act_at(a, t, n, j, &used))
            return true;
    }
    return false;
}

/* Does a clause of its own begin at token k (0 < k < n)? After ";"; at
 * "while", "whereas", "but"; at ", after" and ", as"; at "as" or "and"
 * before a subject and its act; at ", and" before an act ("..., and a
 * government shell killed a man"). "and" splits only a clause that has
 * had its act, so that "Government forces and rebels clashed" stays one. */
static bool
clause_starts(const struct article *a, const struct truce__token *t,
              size_t n, size_t k, bool had_act)
{
    bool comma = truce__tok_is(a->s, &t[k - 1], ",");
    if (truce__tok_is(a->s, &t[k - 1], ";"))
        return true;
    if (truce__tok_is(a->s, &t[k], "while") ||
        truce__tok_is(a->s, &t[k], "whereas") ||
        truce__tok_is(a->s, &t[k], "but"))
        return true;
    if (truce__tok_is(a->s, &t[k], "after") || truce__tok_is(a->s, &t[k], "as"))
        return comma || subject_follows(a, t, n, k + 1);
    /* "..., seeking to stop them advancing on the town of Azaz": an aim */
    if (comma && k + 1 < n &&
        (truce__tok_is(a->s, &t[k], "seeking") || truce__tok_is(a->s, &t[k], "trying") ||
         truce__tok_is(a->s, &t[k], "aiming") || truce__tok_is(a->s, &t[k], "hoping")) &&
        truce__tok_is(a->s, &t[k + 1], "to"))
        return true;
    /* "..., hours after a Russian-brokered truce took effect" */
    if (comma && k + 1 < n &&
        (truce__tok_is(a->s, &t[k], "hours") || truce__tok_is(a->s, &t[k], "minutes") ||
         truce__tok_is(a->s, &t[k], "days")) &&
        (truce__tok_is(a->s, &t[k + 1], "after") ||
         truce__tok_is(a->s, &t[k + 1], "before")))
        return true;
    if (truce__tok_is(a->s, &t[k], "which") || truce__tok_is(a->s, &t[k], "where"))
        /* "..., which had been damaged by shelling the previous day": an
         * act of its own, with a day of its own; "..., where separatist
         * forces have kept up artillery fire": what goes on there */
        return subject_follows(a, t, n, k + 1) ||
               (comma && truce__tok_is(a->s, &t[k], "where")) ||
               (comma && truce__tok_is(a->s, &t[k], "which") &&
                act_within(a, t, n, k + 1, k + 7) &&
                dated_within(a, t, n, k + 1, k + 14));
    /* "..., in retaliation for Tuesday's attack", "in response to";
     * "..., in what activists called the worst shelling in weeks" */
    if (comma && k + 1 < n && truce__tok_is(a->s, &t[k], "in") &&
        (truce__tok_is(a->s, &t[k + 1], "retaliation") ||
         truce__tok_is(a->s, &t[k + 1], "what") ||
         truce__tok_is(a->s, &t[k + 1], "response") ||
         truce__tok_is(a->s, &t[k + 1], "revenge")))
        return true;
    /* "State media called the killings a massacre and said the army had
     * shelled ...": another thing said */
    if (had_act && k + 1 < n && truce__tok_is(a->s, &t[k], "and") &&
        (truce__tok_is(a->s, &t[k + 1], "said") || truce__tok_is(a->s, &t[k + 1], "says")))
        return true;
    /* "said they would respect the halt ..., and that government jets
     * had pounded ...": another thing said */
    if (comma && k + 1 < n && truce__tok_is(a->s, &t[k], "and") &&
        truce__tok_is(a->s, &t[k + 1], "that"))
        return true;
    /* "In Mukalla, which government forces retook in April, hundreds
     * of people rallied": after a clause that had its act, a count and an
     * act of its own */
    if (comma && had_act && counted_act(a, t, n, k))
        return true;
    /* "..., and the Syrian Observatory reported clashes": another
     * source, another act */
    if (comma && had_act && truce__tok_is(a->s, &t[k], "and") &&
        source_speaks(a, t, n, k + 1))
        return true;
    if (truce__tok_is(a->s, &t[k], "and") && had_act)
        return subject_follows(a, t, n, k + 1) ||
               (comma && act_within(a, t, n, k + 1, k + 5)) ||
               /* "launched an offensive near Debaltseve on Thursday and
                * shelled the village of Lohvynove": a second deed */
               past_act(a, t, n, k + 1);
    return false;
}

/* The end of the clause that starts at from. */
static size_t
clause_end(const struct article *a, const struct truce__token *t, size_t n,
           size_t from)
{
    size_t used;
    bool had_act = false;
    for (size_t k = from; k < n; k++) {
        if (k > from && clause_starts(a, t, n, k, had_act))
            return k;
        if (act_at(a, t, n, k, &used))
            had_act = true;
    }
    return n;
}

/* Is the date phrase at t[i] the day someone spoke ("said on Tuesday")? */
static bool
speech_day(const struct article *a, const struct truce__token *t, size_t n,
           size_t i)
{
    static const char *const verbs[] = {"said", "says", "reported",
                                        "announced", "told", "added"};
    for (size_t k = i > 2 ? i - 2 : 0; k < i + 1 && k < n; k++)
        for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
            if (truce__tok_is(a->s, &t[k], verbs[v]))
                return true;
    return false;
}

#define MAX_DATES 4

/* "the previous day" (or evening, night, morning, afternoon), "the day
 * before" (a day back), "that evening" (the same day), "the following
 * day", "the next day" (a day on) at token i. */
static bool
previous_day(const struct article *a, const struct truce__token *t, size_t n,
             size_t i, long *days, size_t *used)
{
    static const char *const parts[] = {"day", "evening", "night", "morning",
                                        "afternoon"};
    if (i + 2 < n && truce__tok_is(a->s, &t[i], "the") &&
        ((truce__tok_is(a->s, &t[i + 1], "previous") &&
          tok_one_of(a->s, &t[i + 2], parts, COUNT(parts))) ||
         /* "the day before" alone, not "the day before the talks" */
         (truce__tok_is(a->s, &t[i + 1], "day") &&
          truce__tok_is(a->s, &t[i + 2], "before") &&
          (i + 3 >= n || t[i + 3].kind == TRUCE_TOK_MARK)))) {
        *days = -1;
        *used = 3;
        return true;
    }
    /* "that evening", "that night": the day last told */
    if (i + 1 < n && truce__tok_is(a->s, &t[i], "that") &&
        tok_one_of(a->s, &t[i + 1], parts, COUNT(parts))) {
        *days = 0;
        *used = 2;
        return true;
    }
    /* "the same day", "that same day" */
    if (i + 2 < n && (truce__tok_is(a->s, &t[i], "the") || truce__tok_is(a->s, &t[i], "that")) &&
        truce__tok_is(a->s, &t[i + 1], "same") && truce__tok_is(a->s, &t[i + 2], "day")) {
        *days = 0;
        *used = 3;
        return true;
    }
    /* "the following day", "the next morning" */
    if (i + 2 < n && truce__tok_is(a->s, &t[i], "the") &&
        (truce__tok_is(a->s, &t[i + 1], "following") ||
         truce__tok_is(a->s, &t[i + 1], "next")) &&
        tok_one_of(a->s, &t[i + 2], parts, COUNT(parts))) {
        *days = 1;
        *used = 3;
        return true;
    }
    return false;
}

/* Does [from, to) name a day ("the previous day", "on Monday")? */
static bool
dated_within(const struct article *a, const struct truce__token *t,
             size_t n, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < n; i++) {
        struct truce__when w;
        long days;
        size_t used;
        if (previous_day(a, t, n, i, &days, &used) ||
            (when_past(a, t, n, i, &w) &&
             w.has_date && w.day1 >= a->o->published - 30))
            return true;
    }
    return false;
}

/* A date told from another ("a day after", "two days earlier", "hours
 * later") at token i: its offset in days into *days, its tokens in *used;
 * a count of years or months ("four years after") is background, offset
 * over a month. */
static bool
offset_at(const struct article *a, const struct truce__token *t, size_t n,
          size_t i, long *days, size_t *used)
{
    static const char *const dirs[] = {"after", "earlier", "before", "later"};
    struct truce__count c;
    long count = 0, per;
    size_t k = i;
    if (previous_day(a, t, n, i, days, used))
        return true;
    if (truce__tok_is(a->s, &t[k], "a") || truce__tok_is(a->s, &t[k], "an") ||
        truce__tok_is(a->s, &t[k], "one")) {
        count = 1;
        k++;
    } else if (truce__count_at(a->s, t, n, k, &c) && c.best > 0 &&
               c.best <= 100) {
        count = c.best;
        k = c.last + 1;
    } else if (!truce__tok_is(a->s, &t[k], "hours")) {
        return false;
    }
    if (k >= n)
        return false;
    per = truce__tok_is(a->s, &t[k], "day") || truce__tok_is(a->s, &t[k], "days") ? 1
          : truce__tok_is(a->s, &t[k], "week") || truce__tok_is(a->s, &t[k], "weeks") ? 7
          : truce__tok_is(a->s, &t[k], "month") || truce__tok_is(a->s, &t[k], "months") ? 31
          : truce__tok_is(a->s, &t[k], "year") || truce__tok_is(a->s, &t[k], "years") ? 366
          : truce__tok_is(a->s, &t[k], "hours") ? 0 : -1;
    if (per < 0 || k + 1 >= n || !tok_one_of(a->s, &t[k + 1], dirs, COUNT(dirs)))
        return false;
    /* "X, a day after Y": Y is the day before X */
    *days = (truce__tok_is(a->s, &t[k + 1], "later") ? 1 : -1) * count * per;
    *used = k + 2 - i;
    return true;
}

/* The day a date told from another counts from: the last incident's,
 * else the day earlier sentences last told; false, and the publication
 * day, when there is neither. */
static bool
day_told(const struct article *a, int64_t *day)
{
    *day = a->has_last ? a->last_day : a->has_told ? a->told_day : a->o->published;
    return a->has_last || a->has_told;
}

/* "Hours before it began", "a day after the truce took effect": the
 * words at k name the start of the agreement last told, whose day (when
 * its start is known) goes in *day. */
static bool
start_told(const struct article *a, const struct truce__token *t, size_t n,
           size_t k, int64_t *day)
{
    static const char *const verbs[] = {"began", "started", "took", "came"};
    size_t used, m = json_array_size(a->agreements);
    const char *eff;
    struct truce_when w;
    if (k < n && truce__tok_is(a->s, &t[k], "the") && k + 1 < n &&
        lex_memo(a, TRUCE_LEX_AGREEMENT, t, n, k + 1, &used))
        k += 1 + used;
    else if (k < n && truce__tok_is(a->s, &t[k], "it"))
        k++;
    else
        return false;
    if (k >= n || !tok_one_of(a->s, &t[k], verbs, COUNT(verbs)) || !m)
        return false;
    eff = json_string_value(json_object_get(json_array_get(a->agreements, m - 1),
                                            "effective"));
    if (!eff || truce_parse_when(eff, strlen(eff), &w) != TRUCE_OK)
        return false;
    *day = w.secs >= 0 ? w.secs / 86400 : -((-w.secs + 86399) / 86400);
    return true;
}

/* Do the words before token i say a truce began ("after it began",
 * "since it took effect")? */
static bool
truce_began_before(const struct article *a, const struct truce__token *t,
                   size_t i)
{
    static const char *const verbs[] = {"began", "started", "took", "went",
                                        "came"};
    for (size_t k = i > 4 ? i - 4 : 0; k + 1 < i; k++)
        if (truce__tok_is(a->s, &t[k], "it") &&
            tok_one_of(a->s, &t[k + 1], verbs, COUNT(verbs)))
            return true;
    return false;
}

/* Does a clause of the act's own follow it ("a truck bombing that killed
 * dozens of people", "the shelling, which wounded two")? */
static bool
relative_after(const struct article *a, const struct truce__token *t,
               const struct act_at *x)
{
    size_t k = x->at + x->used;
    if (k < x->to && truce__tok_is(a->s, &t[k], ","))
        k++;
    return k + 1 < x->to &&
           (truce__tok_is(a->s, &t[k], "that") || truce__tok_is(a->s, &t[k], "which")) &&
           t[k + 1].kind == TRUCE_TOK_WORD && tok_ends(a->s, &t[k + 1], "ed");
}

/* The dates of the act at x in its clause: a day told from the day of
 * the article's last act before it ("a day after", "two days earlier");
 * else the date phrase nearest the act, and the ones joined to it by
 * "and", "and again", "then" ("on Friday and again on Saturday"); none
 * when the clause names no date. */
static size_t
clause_dates(const struct article *a, const struct truce__token *t,
             size_t n, const struct act_at *x, struct truce__when *out)
{
    struct truce__when all[16];
    size_t k = 0, best = SIZE_MAX, pick = 0, m;
    /* from three words before the clause: "X, a day after Y" opens Y's
     * clause at "after" */
    for (size_t i = x->from > 3 ? x->from - 3 : 0; i < x->to && i < x->at;
         i++) {
        long days;
        size_t used;
        int64_t base;
        /* "took Azzan on Monday. Hours later, a drone strike ...": after
         * the last act, else after the day last told */
        if (offset_at(a, t, x->to, i, &days, &used) &&
            i + used > x->from && (day_told(a, &base) || days < -30) &&
            /* "in the final hours before the deadline, shells killed
             * three people late on Saturday": a day of its own wins */
            !(days == 0 && dated_within(a, t, n, i + used, x->to))) {
            /* "recaptured Mahin on Monday. IS had seized it on Nov. 1.
             * Hours after the town fell, ...": after the latest day told;
             * "Hours before it began": the truce's start */
            if (!start_told(a, t, x->to, i + used, &base) && a->has_last)
                base = a->latest_day;
            memset(&out[0], 0, sizeof(out[0]));
            out[0].has_date = true;
            out[0].day0 = out[0].day1 = base + days;
            out[0].minute = -1;
            out[0].first = i;
            out[0].last = i + used - 1;
            return 1;
        }
    }
    for (size_t i = x->from > dateline(a, t, n) ? x->from : dateline(a, t, n);
         i < x->to && k < 16; i++) {
        struct truce__when w;
        long days;
        size_t used;
        int64_t base;
        /* "... pounded Manbij 18 times the previous day": a day before
         * the article's last act (else the day last told), as a date
         * phrase of the clause (the act nearest to it takes it) */
        if (i > x->at && day_told(a, &base) &&
            (previous_day(a, t, x->to, i, &days, &used) ||
             /* "killed a boy ... a day earlier" */
             (offset_at(a, t, x->to, i, &days, &used) && days != 0))) {
            memset(&w, 0, sizeof(w));
            w.has_date = true;
            w.day0 = w.day1 = base + days;
            w.minute = -1;
            w.first = i;
            w.last = i + used - 1;
            all[k++] = w;
            i = w.last;
            continue;
        }
        if (!clause_when(a, t, n, x->to, i, &w) ||
            (!w.has_date && w.minute < 0))
            continue;
        /* "less than two days after it began at 6 p.m. on Friday": the
         * truce's start, not the act's */
        if (truce_began_before(a, t, i)) {
            i = w.last;
            continue;
        }
        /* "protesters said the army had looted their homes last year":
         * what they said has its own day */
        if (!speech_day(a, t, n, i) && !said_between(a, t, x->at, i))
            all[k++] = w;
        i = w.last;
    }
    for (size_t i = 0; i < k; i++) {
        size_t d = all[i].first > x->at ? all[i].first - x->at
                                        : x->at - all[i].first;
        if (d < best) {
            best = d;
            pick = i;
        }
    }
    if (!k)
        return 0;
    /* "sentenced them on Tuesday for a truck bombing that killed dozens
     * last July": the act's own clause tells its day */
    if (all[pick].first < x->at && relative_after(a, t, x)) {
        for (size_t i = 0; i < k; i++)
            if (all[i].first > x->at && all[i].has_date) {
                pick = i;
                break;
            }
    }
    out[0] = all[pick];
    /* "after dawn prayers on Thursday": a time, and the day a few words
     * on */
    for (size_t j = pick + 1; j < k && !out[0].has_date; j++)
        if (all[j].has_date && all[j].first <= out[0].last + 4) {
            out[0].day0 = all[j].day0;
            out[0].day1 = all[j].day1;
            out[0].has_date = true;
            out[0].last = all[j].last;
        }
    m = 1;
    for (size_t i = pick + 1; i < k && m < MAX_DATES && all[i].has_date; i++) {
        size_t gap = all[i].first - all[i - 1].last - 1;
        bool joined = gap >= 1 && gap <= 3;
        for (size_t g = all[i - 1].last + 1; joined && g < all[i].first; g++)
            joined = truce__tok_is(a->s, &t[g], "and") ||
                     truce__tok_is(a->s, &t[g], "again") ||
                     truce__tok_is(a->s, &t[g], "then") ||
                     truce__tok_is(a->s, &t[g], ",");
        if (!joined)
            break;
        if (all[i].day0 != out[m - 1].day0)
            out[m++] = all[i];
    }
    return m;
}

/* How far a city's districts reach from its centre, by its people: 8 km
 * at 20,000, 15 km at a million; 0 for a place of unknown size. */
static double
city_reach_km(const struct truce_place *p)
{
    return p->population >= 20000 ? 8 + 4 * log10(p->population / 20000.0)
                                  : 0;
}

/* Is the place at tokens [first, last] named as a part of a city ("the
 * Salah district", "the Osaifera and al-Jahmaliya districts")? */
static bool
named_as_district(const struct article *a, const struct truce__token *t,
                  size_t n, size_t first, size_t last)
{
    static const char *const parts[] = {
        "district", "districts", "neighbourhood", "neighbourhoods",
        "neighborhood", "neighborhoods", "quarter", "quarters"};
    for (size_t k = first + 1; k < n && k <= last + 4; k++) {
        if (tok_one_of(a->s, &t[k], parts, COUNT(parts)))
            return true;
        if (t[k].kind == TRUCE_TOK_MARK)
            return false;
    }
    return false;
}

/* Is place p of the clause [from, to) a city that holds another of its
 * places, one smaller than it and within its reach ("In Taiz, gunmen
 * abducted a journalist in the Salah district": Salah)? */
static bool
holds_another(const struct article *a, const struct truce__token *t,
              size_t n, const struct found_place *pl, size_t npl,
              size_t from, size_t to, size_t p)
{
    const struct truce_place *c = pl[p].p;
    double reach = city_reach_km(c);
    if (reach <= 0 || pl[p].generic)
        return false;
    for (size_t q = 0; q < npl; q++) {
        const struct truce_place *d = pl[q].p;
        if (q == p || pl[q].first < from || pl[q].first >= to ||
            pl[q].generic || d == c ||
            !named_as_district(a, t, n, pl[q].first, pl[q].last) ||
            (d->population >= 0 && d->population * 5 > c->population))
            continue;
        if (truce__km_between(c->lat, c->lon, d->lat, d->lon) <= reach)
            return true;
    }
    return false;
}

/* Does the area g hold the place p: the same country for a country, the
 * same first-level division where both are known, else within 100 km? */
static bool
area_holds(const struct truce_place *g, const struct truce_place *p)
{
    if (truce__country_find_name(g->name))
        return !g->country || !p->country || !*p->country ||
               !strcmp(g->country, p->country);
    if (g->admin1 && *g->admin1 && p->admin1 && *p->admin1)
        return !strcmp(g->admin1, p->admin1) &&
               (!g->country || !p->country || !strcmp(g->country, p->country));
    return truce__km_between(g->lat, g->lon, p->lat, p->lon) <= 100;
}

/* Is the generic place p of the clause [from, to) the area of one of its
 * specific places (anchors of "near X" included)? */
static bool
holds_specific(const struct found_place *pl, size_t npl, size_t from,
               size_t to, size_t p)
{
    for (size_t q = 0; q < npl; q++)
        if (q != p && pl[q].first >= from && pl[q].first < to &&
            !pl[q].generic && !pl[q].container && area_holds(pl[p].p, pl[q].p))
            return true;
    return false;
}

/* The places of the clause [from, to) out of the sentence's: those named
 * in it, a place relative to another ("Douma, northeast of Damascus") left
 * out when one is not. */
static size_t
clause_places(const struct article *a, const struct truce__token *t, size_t n,
              const struct found_place *pl, size_t npl, size_t from,
              size_t to, const struct found_place **out)
{
    size_t k = 0, plain = 0, others = 0, rooted = 0;
    for (size_t p = 0; p < npl; p++) {
        if (pl[p].first >= from && pl[p].first < to && !pl[p].relative)
            plain++;
        others += pl[p].first >= from && pl[p].first < to && !pl[p].speaker;
        /* a place of its own, not the area of one ("from the town of
         * al-Qaryatayn in the Homs countryside") */
        rooted += pl[p].first >= from && pl[p].first < to && !pl[p].origin &&
                  !pl[p].speaker && !pl[p].generic && !pl[p].container &&
                  !pl[p].relative;
    }
    /* a town named beside its province or country: the town alone ("near
     * the town of Popasna" beside "in the Luhansk region" too); a city
     * beside one of its districts: the district; "in the Wadi Barada
     * region and in the northern Hama countryside": both */
    for (size_t p = 0; p < npl && k < MAX_PLACES; p++)
        if (pl[p].first >= from && pl[p].first < to &&
            /* "Separatist authorities in Donetsk said a civilian was shot
             * dead in the village of Zaitseve": Zaitseve; "Rebels in
             * the town of Marea accused Islamic State of firing shells
             * at residential streets": Marea */
            !(others && pl[p].speaker) &&
            !(plain && pl[p].relative) &&
            /* "a car bomb tore through buses of evacuees from Foua at
             * Rashideen": Rashideen */
            !(rooted && pl[p].origin) &&
            !(pl[p].generic && holds_specific(pl, npl, from, to, p)) &&
            !holds_another(a, t, n, pl, npl, from, to, p))
            out[k++] = &pl[p];
    return k;
}

/* Where the sentence's closing source begins (", the Observatory
 * said", ", activists said"): the last comma after which a verb of saying
 * comes; n when there is none. */
static size_t
closing_source(const struct article *a, const struct truce__token *t,
               size_t n)
{
    static const char *const say[] = {"said", "says", "say", "reported",
                                      "showed", "added", "told"};
    for (size_t k = n; k-- > 0;) {
        if (!truce__tok_is(a->s, &t[k], ","))
            continue;
        for (size_t j = k + 1; j < n; j++)
            if (tok_one_of(a->s, &t[j], say, COUNT(say)))
                return k;
        return n;
    }
    return n;
}

static bool
speaks_of_area(const struct article *a, const struct truce__token *t,
               size_t from, size_t to)
{
    static const char *const wide[] = {"city", "districts", "neighbourhoods",
                                       "neighborhoods"};
    return word_within(a, t, from, to, wide, COUNT(wide));
}

static bool
clause_names_place(const struct found_place *pl, size_t npl, size_t from,
                   size_t to)
{
    for (size_t p = 0; p < npl; p++)
        if (pl[p].first >= from && pl[p].first < to)
            return true;
    return false;
}

/* The arms a clause names: 1 aircraft, 2 guns that fire from afar, 3
 * men on the ground, 0 none. The first named wins. */
enum arms { ARMS_NONE, ARMS_AIR, ARMS_GUNS, ARMS_GROUND, ARMS_BOTH };

/* The air strikes beside the shelling of a clause that names both. */
static const struct truce__lex both_air = {"", TRUCE_CAT_REMOTE_VIOLENCE,
                                           "Air/drone strike", 0};

/* The arms a clause names for a remote act (air and guns before the
 * fighters who carry them), and in *first the first named (what decides
 * a ground act: "rebels attacked ... with tanks" is their clash). */
static enum arms
clause_arms(const struct article *a, const struct truce__token *t,
            size_t from, size_t to, enum arms *first)
{
    static const char *const air[] = {"warplanes", "jets", "aircraft",
                                      "helicopters", "planes", "drones",
                                      "drone", "bombers", "warplane", "jet",
                                      "helicopter", "aircraft's"};
    static const char *const guns[] = {"artillery", "mortar", "mortars",
                                       "rockets", "rocket", "shells", "shell",
                                       "tanks", "howitzers", "missiles",
                                       "mortar-fire", "shellfire"};
    static const char *const ground[] = {"fighters", "troops", "militants",
                                         "rebels", "forces", "gunmen",
                                         "soldiers", "separatists", "snipers",
                                         "militiamen", "insurgents"};
    static const char *const strikes[] = {"strikes", "strike", "raids",
                                          "raid"};
    bool by_air = false, by_guns = false, by_ground = false;
    *first = ARMS_NONE;
    for (size_t k = from; k < to; k++) {
        enum arms here = ARMS_NONE;
        if (tok_one_of(a->s, &t[k], air, COUNT(air)) ||
            (k + 1 < to && truce__tok_is(a->s, &t[k], "barrel") &&
             tok_starts(a->s, &t[k + 1], "bomb")) ||
            /* "with artillery and air strikes" */
            (k + 1 < to && truce__tok_is(a->s, &t[k], "air") &&
             tok_one_of(a->s, &t[k + 1], strikes, COUNT(strikes))))
            by_air = true, here = ARMS_AIR;
        else if (tok_one_of(a->s, &t[k], guns, COUNT(guns)))
            by_guns = true, here = ARMS_GUNS;
        else if (tok_one_of(a->s, &t[k], ground, COUNT(ground)))
            by_ground = true, here = ARMS_GROUND;
        if (*first == ARMS_NONE)
            *first = here;
    }
    /* the arms the clause names, whoever carries them; fighters only
     * when it names none ("forces pounded ... with artillery": shelling) */
    return by_air && by_guns ? ARMS_BOTH
           : by_air          ? ARMS_AIR
           : by_guns         ? ARMS_GUNS
           : by_ground       ? ARMS_GROUND
                             : ARMS_NONE;
}

/* The people a clause names as the target after its act at i: civilians,
 * residents, families, people, protesters? */
static bool
civilian_target(const struct article *a, const struct truce__token *t,
                size_t i, size_t to)
{
    static const char *const people[] = {"civilians", "residents", "families",
                                         "people", "protesters", "villagers",
                                         "worshippers", "children", "women",
                                         "men", "mourners", "passengers",
                                         "displaced", "refugees", "family",
                                         "boy", "girl", "child", "woman",
                                         "civilian", "farmer", "shepherd"};
    for (size_t k = i; k < to && k < i + 8; k++)
        if (tok_one_of(a->s, &t[k], people, COUNT(people)))
            return true;
    return false;
}

/* The act a verb of many forms stands for in its clause: "jets pounded"
 * an air strike, "pounded ... with artillery" shelling, "fighters raided
 * positions" a clash, "opened fire on families" an attack on civilians;
 * NULL when a verb that needs its arms ("hit", "targeted") has none. */
static const struct truce__lex *
by_arms(const struct article *a, const struct truce__token *t, size_t from,
        size_t to, size_t i, const struct truce__lex *e)
{
    static const struct truce__lex air = {"", TRUCE_CAT_REMOTE_VIOLENCE,
                                          "Air/drone strike", 0},
                                    guns = {"", TRUCE_CAT_REMOTE_VIOLENCE,
                                            "Shelling/artillery/missile attack",
                                            0},
                                    clash = {"", TRUCE_CAT_BATTLE,
                                             "Armed clash", 0},
                                    unsaid = {"", TRUCE_CAT_REMOTE_VIOLENCE,
                                              NULL, 0},
                                    attack = {"", TRUCE_CAT_VAC, "Attack", 0},
                                    /* shelling and air strikes: the
                                     * caller takes both */
                                    both = {"", TRUCE_CAT_REMOTE_VIOLENCE,
                                            "Shelling/artillery/missile attack",
                                            TRUCE__LEX_BOTH_ARMS};
    enum arms arms, first;
    if (e->flags & TRUCE__LEX_BY_TARGET)
        return civilian_target(a, t, i, to) ? &attack : e;
    if (!(e->flags & TRUCE__LEX_BY_ARMS))
        return e;
    arms = clause_arms(a, t, from, to, &first);
    if (e->category == TRUCE_CAT_BATTLE)
        arms = first;
    switch (arms) {
    case ARMS_AIR: return &air;
    case ARMS_GUNS: return &guns;
    case ARMS_BOTH: return &both;
    case ARMS_GROUND:
        /* fighters raid and attack: a clash; their bombardment is unsaid */
        return e->category == TRUCE_CAT_BATTLE ? &clash
               : (e->flags & TRUCE__LEX_NEEDS_ARMS) ? NULL : &unsaid;
    case ARMS_NONE: break;
    }
    return (e->flags & TRUCE__LEX_NEEDS_ARMS) ? NULL : e;
}

/* Do the words between an act phrase's first word and its last two
 * ("drove Islamic State out of") name an armed side: a generic term of
 * one (not civilians), a name, or "them"? */
static bool
armed_gap(const struct article *a, const struct truce__token *t, size_t i,
          size_t used)
{
    for (size_t k = i + 1; k + 2 < i + used; k++) {
        size_t u;
        const struct truce__lex *v =
            lex_memo(a, TRUCE_LEX_ACTOR, t, i + used, k, &u);
        if ((v && strcmp(v->meaning, "civilians")) ||
            truce__tok_is(a->s, &t[k], "them") ||
            isupper((unsigned char)a->s[t[k].start]))
            return true;
    }
    return false;
}

/* Is the act at i in the passive ("were driven out of X by rebels": the
 * side that took ground is the agent after "by", not the subject)? */
static bool
passive_at(const struct article *a, const struct truce__token *t, size_t i)
{
    static const char *const be[] = {"was", "were", "been", "being", "be",
                                      "is", "are", "got"};
    return i > 0 && tok_one_of(a->s, &t[i - 1], be, COUNT(be));
}

/* A demonstration turned violent: a riot. */
static const struct truce__lex riot_act = {"", TRUCE_CAT_RIOT,
                                           "Violent demonstration", 0};

/* A deed of violence at k, up to to: "stormed", "set it on fire", "threw
 * stones", "threw smoke bombs and firecrackers at riot police". */
static bool
violent_deed(const struct article *a, const struct truce__token *t, size_t k,
             size_t to)
{
    static const char *const deeds[] = {"stormed", "torched", "ransacked",
                                        "attacked", "clashed", "burned",
                                        "burnt", "looted", "fought",
                                        "scuffled"};
    if (tok_one_of(a->s, &t[k], deeds, COUNT(deeds)))
        return true;
    if (truce__tok_is(a->s, &t[k], "set"))
        for (size_t j = k + 1; j < to && j <= k + 4; j++)
            if (truce__tok_is(a->s, &t[j], "fire") ||
                truce__tok_is(a->s, &t[j], "ablaze"))
                return true;
    if (truce__tok_is(a->s, &t[k], "threw") || truce__tok_is(a->s, &t[k], "hurled"))
        for (size_t j = k + 1; j < to && j <= k + 6; j++)
            if (truce__tok_is(a->s, &t[j], "stones") || truce__tok_is(a->s, &t[j], "at"))
                return true;
    return false;
}

/* Do the protesters at the clause's act storm, burn or attack in the rest
 * of it, [from, to)? */
static bool
turned_violent(const struct article *a, const struct truce__token *t,
               size_t from, size_t to)
{
    static const char *const adverbs[] = {"later", "then", "also", "had",
                                          "briefly", "reportedly", "again"};
    size_t k = from;
    /* "residents protesting against the infighting stormed an office":
     * the verb of those who protest, a few words on */
    if (from > 0 && (tok_starts(a->s, &t[from - 1], "protesting") ||
                     tok_starts(a->s, &t[from - 1], "demonstrating")))
        for (size_t j = from; j < to && j < from + 6; j++) {
            if (t[j].kind == TRUCE_TOK_MARK)
                break;
            if (violent_deed(a, t, j, to))
                return true;
        }
    /* the deed of the protesters themselves: their verb, after at most
     * two adverbs ("protesters later stormed") */
    if (from == 0 || !(tok_starts(a->s, &t[from - 1], "protester") ||
                       tok_starts(a->s, &t[from - 1], "protestor") ||
                       tok_starts(a->s, &t[from - 1], "demonstrator")))
        return false;
    while (k < to && k < from + 2 &&
           tok_one_of(a->s, &t[k], adverbs, COUNT(adverbs)))
        k++;
    if (k >= to)
        return false;
    /* their verb, or after a few words that say who they are
     * ("protesters angry at power cuts burned tyres") */
    for (size_t j = k; j < to && j < from + 7; j++) {
        static const char *const stop[] = {"said", "say", "says", "told",
                                           "claimed", "accused", "who",
                                           "that", "demanded", "demanding"};
        /* not what they said was done ("protesters said the army had
         * looted their homes") */
        if (t[j].kind == TRUCE_TOK_MARK || tok_one_of(a->s, &t[j], stop, COUNT(stop)))
            break;
        if (violent_deed(a, t, j, to))
            return true;
    }
    return false;
}

/* The incidents of a sentence, a clause at a time: the clause's first act
 * (not negated, not a background over a month old, not "backed by") at
 * each of the clause's places (else the sentence's places outside other
 * acts' clauses, else the article's) on each of its dates (else the
 * sentence's, else the article's). True when an act was placed: its first
 * place in first[0], the area that holds it (or the place) in first[1]. */
static bool
sentence_incidents(struct article *a, const struct truce__span *sp,
                   const struct truce__token *t, size_t n,
                   const struct found_place *pl, size_t npl,
                   const struct truce__when *sw, struct found_place first[2])
{
    struct act_at acts[16];
    size_t na = 0, says;
    bool acted = false, has_prev = false;
    struct truce__when prev_date;
    for (size_t from = 0; from < n && na < 16;) {
        size_t to = clause_end(a, t, n, from), i;
        for (i = from; i < to; i++) {
            size_t used;
            const struct truce__lex *e =
                act_at(a, t, to, i, &used);
            if (!e || !(e = by_arms(a, t, from, to, i, e)) ||
                ((e->flags & TRUCE__LEX_ARMED_GAP) &&
                 (!armed_gap(a, t, i, used) || passive_at(a, t, i))))
                continue;
            /* "A four-hour pause in fighting ... took effect": the
             * agreement's words, no act */
            if (agreement_words(a, t, n, i)) {
                i += used - 1;
                continue;
            }
            /* "backed by (Russian) air strikes": part of the act that
             * follows */
            if (backed(a, t, i) &&
                /* "forces backed by helicopters drove militants out of
                 * the town": the verb of those backed */
                !(e->flags & TRUCE__LEX_TERRITORY) && !tok_ends(a->s, &t[i], "ed")) {
                i += used - 1;
                continue;
            }
            /* "the bombings came a day after", "killed in the fighting":
             * the acts told already, in a clause that names no place */
            if (i > from && truce__tok_is(a->s, &t[i - 1], "the") &&
                !clause_names_place(pl, npl, from, to)) {
                /* "One of the shells hit a primary school": the site is
                 * the act's told */
                site_told(a, t, from, to, e->category);
                break;
            }
            /* "accused Kiev of starting the fighting by shelling
             * Donetsk's Petrovskyi district": the fighting told, the
             * shelling new */
            if (i > from && (truce__tok_is(a->s, &t[i - 1], "the") ||
                             /* "the second such bombing at the base" */
                             truce__tok_is(a->s, &t[i - 1], "such") ||
                             told_again(a, t, from, to, i)) &&
                /* "The air strikes on Khan Sheikhoun on Tuesday": an act
                 * with a place and a day of its own is new */
                !(clause_names_place(pl, npl, from, to) &&
                  dated_within(a, t, n, from, to)) &&
                (told_before(a, e->category) ||
                 /* "One of the raids on Kafr Zita destroyed a hospital";
                  * "..., calling the raids a breach of the deal" */
                 ((e->flags & TRUCE__LEX_BY_ARMS) &&
                  (json_array_size(a->incidents) || na > 0)))) {
                i += used - 1;
                continue;
            }
            /* "Russia's defence ministry said its planes had struck only
             * militant targets": the strikes told, in their author's
             * words, on no day of their own */
            if (own_account(a, t, from, i) && told_before(a, e->category) &&
                !dated_within(a, t, n, from, to)) {
                i += used - 1;
                continue;
            }
            /* "A U.S. aircraft was damaged ... and later destroyed": what
             * befell it, not what it did */
            if (!strcmp(e->phrase, "destroyed") && passive_near(a, t, from, i)) {
                i += used - 1;
                continue;
            }
            /* "snipers shot dead a soldier": a clash of armed men, not
             * an attack on civilians */
            if (e->category == TRUCE_CAT_VAC && e->meaning && !strcmp(e->meaning, "Attack") &&
                armed_victim(a, t, i + used, to))
                e = &clash_act;
            /* "swapped a captured Saudi soldier": a word of the noun */
            if ((e->flags & TRUCE__LEX_TERRITORY) && i > from &&
                (truce__tok_is(a->s, &t[i - 1], "a") ||
                 truce__tok_is(a->s, &t[i - 1], "an"))) {
                i += used - 1;
                continue;
            }
            /* "men in camouflage seized a local journalist": a person
             * taken, not ground */
            if ((e->flags & TRUCE__LEX_TERRITORY) && person_taken(a, t, i + used, to))
                e = &abduction_act;
            /* "took full control of the city after Ahrar al-Sham
             * fighters withdrew under a deal": ground handed over, no
             * fight */
            if ((e->flags & TRUCE__LEX_TERRITORY) && handed_over(a, t, n))
                break;
            /* "troops marched into the town", "rebels rallied": no
             * protest of armed men */
            if (e->category == TRUCE_CAT_PROTEST && armed_subject(a, t, from, i))
                break;
            /* "walked out in protest at": a reason, not a protest */
            if (e->category == TRUCE_CAT_PROTEST && i > 0 &&
                truce__tok_is(a->s, &t[i - 1], "in"))
                break;
            /* "summoned Russia's ambassador to protest against the
             * raids": a protest of diplomats, no crowd */
            if (e->category == TRUCE_CAT_PROTEST && diplomatic(a, t, from, i))
                break;
            /* "protesters stormed an office and set it on fire" */
            if (e->category == TRUCE_CAT_PROTEST &&
                turned_violent(a, t, i + used, to))
                e = &riot_act;
            if (!negated(a, t + from, to - from, i - from, used)) {
                size_t j = i + used, u2;
                const struct truce__lex *e2;
                struct truce__count cnt;
                acts[na++] =
                    (struct act_at){i, used, e, from, to, true, to, n, false};
                if ((e->flags & TRUCE__LEX_BOTH_ARMS) && na < 16)
                    acts[na++] = (struct act_at){i, used, &both_air, from, to,
                                                 false, to, n, false};
                /* "a car bomb and a suicide bomber struck": both */
                if (j < to && truce__tok_is(a->s, &t[j], "and")) {
                    j++;
                    /* "a roadside bomb and then a suicide bomber" */
                    if (j < to && truce__tok_is(a->s, &t[j], "then"))
                        j++;
                    if (j < to && (truce__tok_is(a->s, &t[j], "a") ||
                                   truce__count_at(a->s, t, to, j, &cnt)))
                        j++;
                    e2 = j < to ? act_at(a, t, to, j, &u2)
                                : NULL;
                    if (e2)
                        e2 = by_arms(a, t, from, to, j, e2);
                    if (e2 && na < 16 &&
                        (!e2->meaning || !e->meaning ||
                         strcmp(e2->meaning, e->meaning)))
                        acts[na++] =
                            (struct act_at){j, u2, e2, from, to, false, to, n,
                                            false};
                }
            }
            break;
        }
        from = to;
    }
    says = closing_source(a, t, n);
    for (size_t x = 0; x < na; x++) {
        acts[x].tail = x + 1 < na && acts[x + 1].from > acts[x].to
                           ? acts[x + 1].from
                           : x + 1 < na ? acts[x].to : n;
        acts[x].says = says;
    }
    for (size_t x = 0; x < na; x++) {
        const struct found_place *here[MAX_PLACES];
        struct truce__when dates[MAX_DATES];
        size_t np = clause_places(a, t, n, pl, npl, acts[x].from, acts[x].to, here);
        size_t nd = clause_dates(a, t, n, &acts[x], dates);
        struct found_place carried = {a->place, SIZE_MAX, SIZE_MAX,
                                      a->place_radius, false, false, false,
                                      false, false, false};
        /* "government-held districts", "across the city": the area */
        if (a->area && speaks_of_area(a, t, acts[x].from, acts[x].to)) {
            carried.p = a->area;
            carried.radius_km = a->area_radius;
        }
        /* "fought their way into the town's western neighbourhoods": the
         * place last called a town */
        {
            double r;
            const struct truce_place *c =
                called_back(a, t, acts[x].from, acts[x].to, &r);
            if (c) {
                carried.p = c;
                carried.radius_km = r;
            }
        }
        if (!np) {
            /* the sentence's places that no other act's clause holds */
            const struct found_place *rest[MAX_PLACES];
            size_t nr = clause_places(a, t, n, pl, npl, 0, n, rest);
            for (size_t p = 0; p < nr; p++) {
                bool other = false;
                for (size_t y = 0; y < na; y++)
                    other |= y != x && rest[p]->first >= acts[y].from &&
                             rest[p]->first < acts[y].to;
                if (!other)
                    here[np++] = rest[p];
            }
        }
        if (!np) {
            /* else the sentence's own place, its first act's */
            const struct found_place *all[MAX_PLACES];
            if (clause_places(a, t, n, pl, npl, 0, n, all))
                here[np++] = all[0];
        }
        if (!np && a->place)
            here[np++] = &carried;
        acts[x].undated = !nd;
        /* "Rebels fired rockets at Foua after the collapse": the day it
         * collapsed */
        if (!nd && after_collapse(a, t, acts[x].from, acts[x].tail, &dates[0]))
            nd = 1;
        /* "launched an offensive near Halfaya on Tuesday and shelled the
         * village of Souran": the deed joined to one told takes its day */
        if (!nd && x > 0 && has_prev && truce__tok_is(a->s, &t[acts[x].from], "and") &&
            past_act(a, t, n, acts[x].from + 1)) {
            dates[0] = prev_date;
            nd = 1;
        }
        if (!nd)
            dates[nd++] = *sw;
        /* "stormed the town at dawn": a time of the day told before */
        else if (!dates[0].has_date && sw->has_date) {
            dates[0].day0 = sw->day0;
            dates[0].day1 = sw->day1;
            dates[0].has_date = true;
        }
        /* background: over a month before publication is no news */
        if (dates[0].has_date && dates[0].day1 < a->o->published - 30)
            continue;
        if (!acted && np) {
            /* carried on: the place, and the area that holds it when one
             * was named ("Sukkari district of Aleppo": Aleppo) */
            first[0] = first[1] = *here[0];
            for (size_t p = 0; p < npl; p++)
                if (pl[p].relative && pl[p].first >= acts[x].from &&
                    pl[p].first < acts[x].to && here[0]->p != pl[p].p) {
                    first[1] = pl[p];
                    break;
                }
            acted = true;
        }
        prev_date = dates[0];
        has_prev = true;
        for (size_t d = 0; d < nd; d++)
            for (size_t p = 0; p < np; p++) {
                acts[x].count = d == nd - 1 && p == 0;
                add_incident(a, sp, t, n, &acts[x], here[p], &dates[d]);
            }
    }
    return acted;
}

/* -------------------------------------------------------- agreements */

static bool
modal(const struct article *a, const struct truce__token *t)
{
    return truce__tok_is(a->s, t, "could") || truce__tok_is(a->s, t, "would") ||
           truce__tok_is(a->s, t, "may") || truce__tok_is(a->s, t, "might") ||
           truce__tok_is(a->s, t, "should") || truce__tok_is(a->s, t, "can");
}

/* One action a sentence says of an agreement: its words. */
struct said {
    const struct truce__lex *e;
    size_t at, used;
};

#define MAX_SAID 6

/* The actions a sentence says of an agreement, in order: "took effect
 * ... but was broken within hours" are two; "could be extended", "would
 * collapse" are none. "agreed", "brokered", "signed" say only how it came
 * about when another action is said ("agreed to extend": extended); a
 * start still to come ("will take effect", "to begin") makes the
 * statement an announcement whatever else is said of it. The same action
 * said again next to itself is one. */
/* A wish or a call within six words before token k ("urged the parties
 * to extend", "called for a truce to begin")? */
static bool
wished(const struct article *a, const struct truce__token *t, size_t k)
{
    static const char *const ask[] = {"urged", "urging", "proposed", "asked",
                                      "demanded", "sought", "hoped", "wants",
                                      "wanted"};
    for (size_t j = k > 6 ? k - 6 : 0; j < k; j++)
        if (tok_one_of(a->s, &t[j], ask, COUNT(ask)) ||
            /* "called for", "called on"; not "called it a violation" */
            ((truce__tok_is(a->s, &t[j], "called") ||
              truce__tok_is(a->s, &t[j], "calling")) &&
             j + 1 < k && (truce__tok_is(a->s, &t[j + 1], "for") ||
                           truce__tok_is(a->s, &t[j + 1], "on"))))
            return true;
    return false;
}

/* Do the words from k on name talks ("two days of talks", "the
 * negotiations", "a round of consultations") as the action's object? */
static bool
of_talks(const struct article *a, const struct truce__token *t, size_t n,
         size_t k)
{
    static const char *const talks[] = {"talks", "negotiations", "meeting",
                                        "meetings", "consultations",
                                        "session", "summit", "conference"};
    /* its object: "ended talks", "two days of talks", not "took effect on
     * March 8 after talks" */
    static const char *const between[] = {"the", "their", "its", "a", "an",
                                          "of", "round", "days", "day",
                                          "weeks", "latest", "peace",
                                          "several", "two", "three", "four",
                                          "five"};
    for (size_t j = k; j < n && j < k + 5; j++) {
        if (tok_one_of(a->s, &t[j], talks, COUNT(talks)))
            return true;
        if (!tok_one_of(a->s, &t[j], between, COUNT(between)))
            return false;
    }
    return false;
}

/* "extend a fragile ceasefire in Syria to the besieged city of
 * Aleppo": an extension to a place, a new agreement there; the place. */
static const struct found_place *
extended_to(const struct article *a, const struct truce__token *t,
            const struct found_place *pl, size_t npl, size_t k, size_t u)
{
    for (size_t p = 0; p < npl; p++) {
        if (pl[p].first < k + u || pl[p].first > k + u + 10)
            continue;
        /* "to" close before the place, no act between ("extended its
         * halt to fighting in Daraa" is no extension to Daraa) */
        for (size_t j = k + u; j < pl[p].first; j++)
            if (truce__tok_is(a->s, &t[j], "to") && pl[p].first <= j + 5 &&
                !act_within(a, t, pl[p].first, j + 1, pl[p].first))
                return &pl[p];
    }
    return NULL;
}

/* Is the action at k said only as a readiness or an offer ("ready to
 * extend the truce if", "willing to observe", "offered to extend")? */
static bool
offered(const struct article *a, const struct truce__token *t, size_t k)
{
    static const char *const ready[] = {"ready", "willing", "prepared",
                                        "offered", "offering", "threatened",
                                        "refused", "declined"};
    for (size_t j = k > 4 ? k - 4 : 0; j + 1 < k; j++)
        if (tok_one_of(a->s, &t[j], ready, COUNT(ready)) &&
            truce__tok_is(a->s, &t[j + 1], "to"))
            return true;
    return false;
}

/* A violation denied by the words just before it ("had seen no ceasefire
 * violations", "without any breach", "not a single violation")? */
static bool
no_violation(const struct article *a, const struct truce__token *t,
             size_t k, const struct truce__lex *e)
{
    static const char *const none[] = {"no", "not", "without", "zero",
                                       "never"};
    if (strcmp(e->meaning, "violated"))
        return false;
    for (size_t j = k > 3 ? k - 3 : 0; j < k; j++)
        if (tok_one_of(a->s, &t[j], none, COUNT(none)))
            return true;
    return false;
}

/* Does the action say the agreement held on a day, not when it began
 * ("held", "was largely holding", "is in force")? */
static bool
holds_on(const struct truce__lex *e)
{
    static const char *const state[] = {"held", "holding", "holds",
                                        "largely held", "in effect",
                                        "in force"};
    for (size_t i = 0; i < COUNT(state); i++)
        if (!strcmp(e->phrase, state[i]))
            return true;
    return false;
}

/* Is the action at x a deal made ("agreed", "signed") on a day over a
 * month before publication ("were agreed in May", "agreed on May 4")? */
static bool
made_long_ago(const struct article *a, const struct truce__token *t,
              const struct said *x, size_t c1)
{
    struct truce__when w;
    if (strcmp(x->e->meaning, "announced") || (x->e->flags & TRUCE__LEX_FUTURE))
        return false;
    /* "agreed in May", "agreed by the United States, Russia and Jordan
     * in July": the day of its making, before the clause goes on */
    for (size_t i = x->at + x->used; i < c1 && i < x->at + x->used + 12; i++) {
        /* not its start or end ("agreed to stop shooting from Sept. 1") */
        if (truce__tok_is(a->s, &t[i], ";") || truce__tok_is(a->s, &t[i], "that") ||
            truce__tok_is(a->s, &t[i], "which") || truce__tok_is(a->s, &t[i], "from") ||
            truce__tok_is(a->s, &t[i], "until") || truce__tok_is(a->s, &t[i], "starting") ||
            /* a comma ends it, not one of a list of names ("by the
             * United States, Russia and Jordan") */
            (truce__tok_is(a->s, &t[i], ",") && i >= x->at + x->used + 4 &&
             !(i + 1 < c1 && isupper((unsigned char)a->s[t[i + 1].start]))))
            break;
        if (truce__when_at(a->s, t, c1, i, a->o->published, false, &w) &&
            w.has_date)
            return w.day1 < a->o->published - 30;
    }
    return false;
}

/* Is "attempts" (or "efforts") the subject of the action at k, a few
 * words before it? */
static bool
attempts_before(const struct article *a, const struct truce__token *t,
                size_t k)
{
    for (size_t j = k; j-- > 0 && j + 8 > k;) {
        if (t[j].kind == TRUCE_TOK_MARK)
            return false;
        if (truce__tok_is(a->s, &t[j], "attempts") || truce__tok_is(a->s, &t[j], "efforts"))
            return true;
    }
    return false;
}

/* Are talks the subject of the action at k ("Talks in Minsk between Kiev
 * and the separatists broke down", "U.N.-sponsored talks ... ended"): a
 * talks word before it in its clause, and no agreement's noun between? */
static bool
talks_subject(const struct article *a, const struct truce__token *t,
              size_t k)
{
    static const char *const talks[] = {"talks", "negotiations", "meeting",
                                        "summit", "consultations"};
    /* "freezing talks ... because of government violations": the talks
     * are not what was violated */
    static const char *const stop[] = {"because", "over", "amid", "despite",
                                       "after", "before", "on", "about",
                                       "of", "said", "accused"};
    for (size_t j = k; j-- > 0 && j + 12 > k;) {
        size_t used;
        struct truce__when w;
        /* "Talks in Minsk on Wednesday ended": a day, no topic */
        if (truce__tok_is(a->s, &t[j], "on") && when_past(a, t, k, j, &w) &&
            w.has_date)
            continue;
        if (truce__tok_is(a->s, &t[j], ",") || truce__tok_is(a->s, &t[j], ";") ||
            tok_one_of(a->s, &t[j], stop, COUNT(stop)) ||
            lex_memo(a, TRUCE_LEX_AGREEMENT, t, k, j, &used))
            return false;
        /* not a name ("the High Negotiations Committee") */
        if (tok_one_of(a->s, &t[j], talks, COUNT(talks)) &&
            (j == 0 || !isupper((unsigned char)a->s[t[j].start])))
            return true;
    }
    return false;
}

/* Does an agreement's noun begin at k ("ceasefire", "truce")? */
static bool
agreement_noun_at(const struct article *a, const struct truce__token *t,
                  size_t n, size_t k)
{
    size_t used;
    return lex_memo(a, TRUCE_LEX_AGREEMENT, t, n, k, &used) != NULL;
}

/* Is the word at k inside what was said or agreed: "said", "announced"
 * or "agreed", then "that", before it in its sentence, and no "if" or
 * "unless" between? */
static bool
said_that(const struct article *a, const struct truce__token *t, size_t k)
{
    static const char *const say[] = {"said", "says", "announced", "agreed"};
    for (size_t j = k; j-- > 1 && j + 20 > k;) {
        if (truce__tok_is(a->s, &t[j], "if") || truce__tok_is(a->s, &t[j], "unless"))
            return false;
        if (truce__tok_is(a->s, &t[j], "that")) {
            for (size_t i = j; i-- > 0 && i + 6 > j;)
                if (tok_one_of(a->s, &t[i], say, COUNT(say)))
                    return true;
            return false;
        }
    }
    return false;
}

/* Is the action at k the verb of a condition ("if the truce holds",
 * "unless the ceasefire is extended"): "if" or "unless" a few words
 * before it, no comma between? */
static bool
conditioned(const struct article *a, const struct truce__token *t, size_t k)
{
    for (size_t j = k; j-- > 0 && j + 6 > k;) {
        if (truce__tok_is(a->s, &t[j], ",") || truce__tok_is(a->s, &t[j], ";"))
            return false;
        if (truce__tok_is(a->s, &t[j], "if") ||
            truce__tok_is(a->s, &t[j], "unless"))
            return true;
    }
    return false;
}

static size_t
sentence_actions(const struct article *a, const struct truce__token *t,
                 size_t n, const struct found_place *pl, size_t npl,
                 struct said *out, const struct found_place **target)
{
    size_t m = 0, w = 0;
    bool future = false, other = false;
    *target = NULL;
    for (size_t k = 0; k < n && m < MAX_SAID; k++) {
        size_t u;
        const struct truce__lex *e;
        if (!(e = lex_memo(a, TRUCE_LEX_ACTION, t, n, k, &u)))
            continue;
        /* "said it would lengthen": reported, not conditional */
        bool reported = k >= 3 && truce__tok_is(a->s, &t[k - 1], "would") &&
                        (truce__tok_is(a->s, &t[k - 2], "it") ||
                         truce__tok_is(a->s, &t[k - 2], "they"));
        if (reported) {
            bool said_it = false;
            for (size_t j = k >= 7 ? k - 7 : 0; j < k - 2; j++)
                said_it |= truce__tok_is(a->s, &t[j], "said") ||
                           truce__tok_is(a->s, &t[j], "says");
            reported = said_it;
        }
        /* "said on Thursday that a 72-hour regime of calm would take
         * effect", "agreed in Minsk that a ceasefire would begin": what
         * was said or agreed, not a condition */
        if (!reported && k >= 1 && truce__tok_is(a->s, &t[k - 1], "would"))
            reported = said_that(a, t, k - 1);
        if ((k >= 1 && !reported &&
             (modal(a, &t[k - 1]) || truce__tok_is(a->s, &t[k - 1], "if"))) ||
            /* "If the truce holds for seven days, ...": a condition */
            conditioned(a, t, k) ||
            /* "urged the parties to extend the truce": a wish */
            wished(a, t, k) || offered(a, t, k) || no_violation(a, t, k, e) ||
            /* "did not extend it", "has never been violated" (not "is
             * not party to", an exclusion) */
            (strcmp(e->phrase, "party to") && k >= 1 &&
             (truce__tok_is(a->s, &t[k - 1], "not") ||
              truce__tok_is(a->s, &t[k - 1], "never"))) ||
            (k >= 2 && truce__tok_is(a->s, &t[k - 2], "not") &&
             truce__tok_is(a->s, &t[k - 1], "been")) ||
            /* "expired without being renewed" */
            (k >= 2 && truce__tok_is(a->s, &t[k - 1], "being") &&
             truce__tok_is(a->s, &t[k - 2], "without")) ||
            (k >= 1 && truce__tok_is(a->s, &t[k - 1], "without")) ||
            (k >= 2 && modal(a, &t[k - 2]) && truce__tok_is(a->s, &t[k - 1], "be")) ||
            /* "ended two days of talks": the talks' end, not a truce's;
             * "Talks in Minsk ... broke down on Saturday" */
            of_talks(a, t, n, k + u) || talks_subject(a, t, k) ||
            /* "previous attempts to stop the fighting have collapsed" */
            attempts_before(a, t, k) ||
            /* "a renewed ceasefire", "an extended truce": a word of the
             * noun */
            (k > 0 && (truce__tok_is(a->s, &t[k - 1], "a") ||
                       truce__tok_is(a->s, &t[k - 1], "an") ||
                       truce__tok_is(a->s, &t[k - 1], "the")) &&
             k + u < n && agreement_noun_at(a, t, n, k + u)) ||
            /* "took effect ..., and rebels will begin leaving": a start to
             * come after one told is another thing's */
            ((e->flags & TRUCE__LEX_FUTURE) && other)) {
            k += u - 1;
            continue;
        }
        if (!strcmp(e->meaning, "extended") &&
            (*target = extended_to(a, t, pl, npl, k, u))) {
            k += u - 1;
            continue;
        }
        out[m++] = (struct said){e, k, u};
        future |= (e->flags & TRUCE__LEX_FUTURE) != 0;
        other |= strcmp(e->meaning, "announced") != 0;
        k += u - 1;
    }
    for (size_t i = 0; i < m; i++) {
        const struct truce__lex *e = out[i].e;
        bool weak = !strcmp(e->meaning, "announced") &&
                    !(e->flags & TRUCE__LEX_FUTURE);
        /* a start to come: an announcement, its other words its parts */
        if (future && !(e->flags & TRUCE__LEX_FUTURE) &&
            strcmp(e->meaning, "violated") && strcmp(e->meaning, "collapsed"))
            continue;
        if (weak && (other || future))
            continue;
        if (w && !strcmp(out[w - 1].e->meaning, e->meaning)) {
            /* "appeared to be holding ..., hours after it took effect at
             * noon": the start told is the one to read */
            if (holds_on(out[w - 1].e) && !holds_on(e))
                out[w - 1] = out[i];
            continue;
        }
        out[w++] = out[i];
    }
    return w;
}

/* Guarantors a sentence names for a side of the article's last statement:
 * "Russia ... ensuring that his government abides ..., while the U.S.
 * does its part with rebel groups": a broker, then within 20 tokens the
 * side it answers for (government, regime, Assad; rebels, opposition). */
static void
add_guarantors(const struct article *a, const struct truce__token *t,
               size_t n)
{
    json_t *last = json_array_get(a->agreements,
                                  json_array_size(a->agreements) - 1);
    json_t *g = last ? json_array() : NULL;
    bool duty = false;
    for (size_t i = 0; g && i < n && !duty; i++)
        duty = tok_starts(a->s, &t[i], "ensur") ||
               tok_starts(a->s, &t[i], "guarant") ||
               truce__tok_is(a->s, &t[i], "charged") ||
               truce__tok_is(a->s, &t[i], "responsible") ||
               truce__tok_is(a->s, &t[i], "part") ||
               tok_starts(a->s, &t[i], "influenc") ||
               tok_starts(a->s, &t[i], "press");
    for (size_t i = 0; duty && i < n; i++) {
        size_t len, other;
        const struct truce__lex *b =
            lex_memo(a, TRUCE_LEX_BROKER, t, n, i, &len);
        if (!b)
            continue;
        for (size_t k = i + len; k < n && k < i + len + 20; k++) {
            const char *side = NULL;
            if (truce__tok_is(a->s, &t[k], "government") ||
                truce__tok_is(a->s, &t[k], "regime") || truce__tok_is(a->s, &t[k], "assad"))
                side = "government";
            else if (tok_starts(a->s, &t[k], "rebel") ||
                     truce__tok_is(a->s, &t[k], "opposition"))
                side = "opposition";
            if (side) {
                json_array_append_new(g, json_pack("{s:s,s:s}", "side", side,
                                                   "guarantor", b->meaning));
                break;
            }
            if (lex_memo(a, TRUCE_LEX_BROKER, t, n, k, &other))
                break;
        }
        i += len - 1;
    }
    /* to the statements whose brokers they are, else to each of the last
     * sentence that had any */
    size_t from = a->group, to_end = json_array_size(a->agreements);
    for (size_t s = 0; g && json_array_size(g) && s < to_end; s++) {
        json_t *b = json_object_get(json_array_get(a->agreements, s), "brokers");
        const char *gid = json_string_value(
            json_object_get(json_array_get(g, 0), "guarantor"));
        for (size_t j = 0; gid && j < json_array_size(b); j++)
            if (!strcmp(json_string_value(json_array_get(b, j)), gid)) {
                from = s;
                to_end = s + 1;
                /* and the rest of that sentence's statements */
                while (to_end < json_array_size(a->agreements) &&
                       json_equal(json_object_get(json_array_get(a->agreements, to_end), "span"),
                                  json_object_get(json_array_get(a->agreements, s), "span")))
                    to_end++;
                s = json_array_size(a->agreements);
                break;
            }
    }
    for (size_t s = from; g && s < to_end; s++) {
        json_t *to = json_object_get(json_array_get(a->agreements, s),
                                     "guarantors");
        size_t j;
        json_t *x;
        json_array_foreach(g, j, x) {
            bool seen = false;
            for (size_t i = 0; i < json_array_size(to); i++)
                seen |= json_equal(json_array_get(to, i), x);
            if (!seen)
                json_array_append(to, x);
        }
    }
    json_decref(g);
}

/* The strings of the array from not yet in the array to, appended. */
static void
add_missing(json_t *to, json_t *from)
{
    size_t i, j;
    json_t *v, *w;
    json_array_foreach(from, i, v) {
        bool seen = false;
        json_array_foreach(to, j, w)
            seen |= json_equal(v, w);
        if (!seen)
            json_array_append(to, v);
    }
}

/* Fills what statement `to` left open from o (an action is not
 * changed: another action is another statement). */
static void
fill_statement(json_t *to, json_t *o)
{
    const char *key, *day = json_string_value(json_object_get(to, "effective")),
                     *tm = json_string_value(json_object_get(o, "effective"));
    json_t *v;
    /* a start's day, then its time: "from Thursday" ... "from 10 a.m.";
     * or the day told again with its time ("since the truce took effect
     * at 00:00 on Sunday") */
    if (day && strlen(day) == 10 && tm && strlen(tm) == 16 &&
        (json_is_true(json_object_get(o, "_time_only")) ||
         !strncmp(day, tm, 10))) {
        char both[32];
        snprintf(both, sizeof(both), "%sT%s", day, tm + 11);
        json_object_set_new(to, "effective", json_string(both));
    }
    json_object_foreach(o, key, v) {
        json_t *old = json_object_get(to, key);
        if (!strcmp(key, "sentence") || !strcmp(key, "span") ||
            !strcmp(key, "evidence") || !strcmp(key, "confidence") ||
            !strcmp(key, "action") || !strcmp(key, "_made") ||
            !strcmp(key, "_time_only"))
            continue;
        if (json_is_null(old) || (json_is_array(old) && !json_array_size(old)))
            json_object_set(to, key, v);
        else if (!strcmp(key, "brokers"))
            add_missing(old, v);
    }
    json_object_update_missing(json_object_get(to, "evidence"),
                               json_object_get(o, "evidence"));
}

static const char *
area_name(json_t *st)
{
    return json_string_value(json_object_get(json_object_get(st, "area"), "name"));
}

/* Adds statement o (taking it), or, when the article has said this action
 * of this area before, fills that one: one statement per agreement, area
 * and action. A statement that names no area and speaks of the last one
 * ("They take effect on Saturday") fills each of the last sentence's. */
static void
add_statement(struct article *a, json_t *o, bool refers_back, size_t group)
{
    const char *action = json_string_value(json_object_get(o, "action")),
               *area = area_name(o);
    bool filled = false;
    size_t n = json_array_size(a->agreements);
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(a->agreements, i);
        const char *xa = area_name(x);
        if (strcmp(json_string_value(json_object_get(x, "action")), action))
            continue;
        if ((area && xa && !strcmp(area, xa)) ||
            (!area && (refers_back ? i >= group : !xa)) ||
            (area && !xa)) {
            fill_statement(x, o);
            filled = true;
            if (area || !refers_back)
                break;
        }
    }
    /* "Russia, which brokered the truce at talks in Cairo, ...": how the
     * truce told before came about, no new statement */
    if (!filled && refers_back && json_is_true(json_object_get(o, "_made")) &&
        n > 0) {
        /* the start told, else the last statement */
        size_t k = n - 1;
        for (size_t i = n; i-- > 0;)
            if (!strcmp(json_string_value(json_object_get(
                            json_array_get(a->agreements, i), "action")),
                        "in_effect")) {
                k = i;
                break;
            }
        fill_statement(json_array_get(a->agreements, k), o);
        filled = true;
    }
    /* "reached a deal ..." then "The agreement ... went into effect":
     * the deal's statement moves on to what is said of it now */
    for (size_t i = group; !filled && refers_back && !area && i < n; i++) {
        json_t *x = json_array_get(a->agreements, i);
        if (json_is_true(json_object_get(x, "_made")) &&
            !json_is_true(json_object_get(o, "_made"))) {
            json_object_set(x, "action", json_object_get(o, "action"));
            json_object_del(x, "_made");
            json_object_set(x, "effective", json_object_get(o, "effective"));
            fill_statement(x, o);
            json_object_set(json_object_get(x, "evidence"), "action",
                            json_object_get(json_object_get(o, "evidence"),
                                            "action"));
            filled = true;
        }
    }
    if (filled)
        json_decref(o);
    else
        json_array_append_new(a->agreements, o);
}

/* "nationwide", "across Syria", "all of Syria", "the whole country". */
static bool
nationwide(const struct article *a, const struct truce__token *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (truce__tok_is(a->s, &t[i], "nationwide") ||
            truce__tok_is(a->s, &t[i], "countrywide") ||
            truce__tok_is(a->s, &t[i], "country-wide") ||
            (i + 1 < n && truce__tok_is(a->s, &t[i], "whole") &&
             truce__tok_is(a->s, &t[i + 1], "country")) ||
            (i + 1 < n && truce__tok_is(a->s, &t[i], "entire") &&
             truce__tok_is(a->s, &t[i + 1], "country")))
            return true;
    }
    return false;
}

/* The groups a sentence leaves out of an agreement: after "exclud*",
 * "except", "not cover", "not include", "not apply", the extremist terms
 * named, by the dictionary's ids. */
static void
add_exclusions(const struct article *a, const struct truce__token *t,
               size_t n, json_t *out)
{
    static const struct {
        const char *stem, *id;
    } groups[] = {{"islamic", "islamic-state"}, {"isis", "islamic-state"},
                  {"isil", "islamic-state"},    {"daesh", "islamic-state"},
                  {"nusra", "al-nusra"},        {"al-nusra", "al-nusra"},
                  {"jabhat", "al-nusra"},       {"al-qaida", "al-qaida"},
                  {"al-qaeda", "al-qaida"}};
    size_t from = n;
    for (size_t i = 0; i < n && from == n; i++) {
        if (tok_starts(a->s, &t[i], "exclud") ||
            truce__tok_is(a->s, &t[i], "except") ||
            (i + 1 < n && truce__tok_is(a->s, &t[i], "not") &&
             (truce__tok_is(a->s, &t[i + 1], "cover") ||
              truce__tok_is(a->s, &t[i + 1], "include") ||
              truce__tok_is(a->s, &t[i + 1], "apply"))))
            from = i;
    }
    for (size_t i = from; i < n; i++) {
        for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
            bool seen = false;
            if (!truce__tok_is(a->s, &t[i], groups[g].stem))
                continue;
            for (size_t j = 0; j < json_array_size(out); j++)
                seen |= !strcmp(json_string_value(json_array_get(out, j)),
                                groups[g].id);
            if (!seen)
                json_array_append_new(out, json_string(groups[g].id));
        }
    }
}

/* Is the phrase [i, last] (or the word before it) an end ("until
 * midnight on Tuesday")? */
static bool
says_until(const struct article *a, const struct truce__token *t, size_t i,
           size_t last)
{
    for (size_t k = i > 0 ? i - 1 : 0; k <= last; k++)
        if (truce__tok_is(a->s, &t[k], "until") || truce__tok_is(a->s, &t[k], "till"))
            return true;
    return false;
}

/* The date phrase at i read as the nearer of a day past and a day to
 * come ("to 6 p.m. on Friday": the Friday nearest publication). */
static bool
nearest_when(const struct article *a, const struct truce__token *t, size_t n,
             size_t i, struct truce__when *w)
{
    struct truce__when ahead;
    int64_t p = a->o->published;
    if (!truce__when_at(a->s, t, n, i, p, false, w))
        return false;
    if (w->has_date &&
        truce__when_at(a->s, t, n, i, p, true, &ahead) && ahead.has_date &&
        llabs(ahead.day0 - p) < llabs(w->day0 - p))
        *w = ahead;
    return true;
}

/* Where an extension's new end is told: the "to" or "until" before a
 * date or time in [from, to) ("by a further 24 hours, to 7 p.m. on
 * Saturday"); to when none. */
static size_t
end_told(const struct article *a, const struct truce__token *t, size_t from,
         size_t to)
{
    struct truce__when w;
    for (size_t k = from; k + 1 < to; k++)
        if ((truce__tok_is(a->s, &t[k], "to") ||
             truce__tok_is(a->s, &t[k], "until") ||
             truce__tok_is(a->s, &t[k], "till")) &&
            truce__when_at(a->s, t, to, k + 1, a->o->published, true, &w) &&
            (w.has_date || w.minute >= 0))
            return k;
    return to;
}

/* The effective time of the action at x in its clause [c0, c1): the
 * time after the words of a start ("took effect at 12:01 a.m. on
 * Wednesday", "held since Monday evening", "from 7 p.m."), else the
 * first in the clause; a day said apart from a time ("at 7 p.m. (1600
 * GMT) on Monday") is found in the sentence. None for a violation or a
 * collapse, which say when they happened. */
static bool
statement_when(const struct article *a, const struct truce__token *t,
               size_t n, const struct said *x, const char *action, size_t c0,
               size_t c1, struct truce__when *w, bool *started)
{
    static const char *const start[] = {"effect", "force", "began", "begin",
                                        "start", "starting", "from", "since",
                                        "observe"};
    bool future = !strcmp(action, "announced"),
         extends = !strcmp(action, "extended");
    size_t from = c0;
    bool found = false;
    if (!strcmp(action, "violated") || !strcmp(action, "collapsed"))
        return false;
    /* an extension's new end is no start */
    if (extends)
        c1 = end_told(a, t, x->at, c1);
    /* the start's words after the action's own, else before them */
    int hit = 0;
    from = x->at;
    for (int pass = 0; pass < (extends ? 1 : 2) && !hit; pass++)
        for (size_t i = pass ? c0 : x->at; i < c1 && !hit; i++)
            if (tok_one_of(a->s, &t[i], start, COUNT(start))) {
                from = i;
                hit = 1;
            }
    *started = false;
    for (int pass = 0; pass < (extends ? 1 : 2) && !found; pass++)
        for (size_t i = pass ? c0 : from; i < c1 && !found; i++) {
            found = (extends ? nearest_when(a, t, c1, i, w)
                             : truce__when_at(a->s, t, c1, i, a->o->published,
                                              future, w)) &&
                    (w->has_date || w->minute >= 0) &&
                    /* not the day someone spoke, nor the end ("until
                     * midnight on Tuesday") */
                    !speech_day(a, t, n, i) && !says_until(a, t, i, w->last);
            if (!found && w->last > i && w->has_date)
                i = w->last;
            *started = found && hit && pass == 0;
        }
    if (found && !w->has_date) {
        struct truce__when day;
        /* the day nearest after the time ("at midnight (2200 GMT on
         * Thursday)"), else any but a speech's */
        for (size_t k = 0, i = w->last + 1; k < n; k++, i++) {
            if (i >= n)
                i = 0;
            /* not "the bloodiest summer since February": a span of
             * something else */
            if (truce__tok_is(a->s, &t[i], "since") ||
                (i > 0 && truce__tok_is(a->s, &t[i - 1], "since")))
                continue;
            if (truce__when_at(a->s, t, n, i, a->o->published, future, &day) &&
                day.has_date && !speech_day(a, t, n, i)) {
                w->day0 = day.day0;
                w->day1 = day.day1;
                w->has_date = true;
                /* "at midnight (2200 GMT on Friday)": the day is GMT's,
                 * and a local time before the GMT one is the next day */
                if (day.utc && day.minute >= 0 && w->minute >= 0 &&
                    w->minute < day.minute) {
                    w->day0++;
                    w->day1++;
                }
                /* "agreed on Tuesday to a ceasefire that will take effect
                 * from midnight": the midnight that ends the day told,
                 * for a start to come (not the GMT day's) */
                else if (future && !day.utc && w->minute == 0 &&
                         i < w->first && day.minute < 0) {
                    w->day0++;
                    w->day1++;
                }
                break;
            }
        }
    }
    return found;
}

/* Do the words at k name monitors ("monitoring mission", "monitors",
 * "observers")? */
static bool
watches(const struct article *a, const struct truce__token *t, size_t n,
        size_t k)
{
    static const char *const eyes[] = {"monitoring", "monitors", "mission",
                                       "observers", "observer"};
    return k < n && tok_one_of(a->s, &t[k], eyes, COUNT(eyes));
}

/* The end a statement says: "expired at 11:59 p.m. on Saturday", "ended
 * on Sunday" (collapsed), "extended ... to 7 p.m. on Saturday", "until
 * Friday" (extended). Written to out as a day or a day and time. */
static bool
statement_until(const struct article *a, const struct truce__token *t,
                size_t n, const struct said *x, const char *action, size_t c1,
                char out[32], size_t *first, size_t *last)
{
    int64_t day = 0;
    bool collapsed = !strcmp(action, "collapsed");
    int minute = -1;
    bool dated = false;
    size_t from = x->at + x->used;
    struct truce__when w;
    if (!collapsed && strcmp(action, "extended"))
        return false;
    if (!collapsed && (from = end_told(a, t, from, c1)) == c1)
        return false;
    *first = *last = from;
    /* a local time and a day, in either order ("at 11:59 p.m. on
     * Saturday (2059 GMT)", "on Sunday at noon") */
    for (size_t i = from; i < c1 && !(dated && minute >= 0); i++) {
        if (!nearest_when(a, t, c1, i, &w) || speech_day(a, t, n, i) || w.span)
            continue;
        if (w.minute >= 0 && !w.utc && minute < 0) {
            minute = w.minute;
            *last = w.last;
        }
        if (w.has_date && !dated) {
            day = w.day0;
            dated = true;
            *last = w.last > *last ? w.last : *last;
        }
        i = w.last;
    }
    if (!dated)
        return false;
    {
        char d[16];
        truce_format_day(day, d);
        if (minute >= 0)
            snprintf(out, 32, "%sT%02d:%02d", d, minute / 60, minute % 60);
        else
            snprintf(out, 32, "%s", d);
    }
    return true;
}

/* "a 72-hour truce", "a seven-day truce", "lasting 24 hours", "for three
 * hours": duration_hours set from tokens [from, to). */
static bool
duration(const struct article *a, const struct truce__token *t, size_t from,
         size_t to, json_t *o, json_t *why)
{
    for (size_t i = from; i < to; i++) {
        struct truce__count c;
        size_t u;
        bool day;
        if (!truce__count_at(a->s, t, to, i, &c) || c.best <= 0)
            continue;
        u = c.last + 1;
        if (u < to && truce__tok_is(a->s, &t[u], "-"))
            u++;
        if (u >= to)
            continue;
        day = truce__tok_is(a->s, &t[u], "day") || truce__tok_is(a->s, &t[u], "days");
        if (!day && !truce__tok_is(a->s, &t[u], "hour") &&
            !truce__tok_is(a->s, &t[u], "hours"))
            continue;
        /* "for three hours each day": a daily window, its hours */
        json_object_set_new(o, "duration_hours",
                            json_integer(c.best * (day ? 24 : 1)));
        json_object_set_new(why, "duration", words(a, t, c.first, u));
        return true;
    }
    return false;
}

/* The action a statement says: a planned pause lengthened before it
 * starts is still announced; a deal reached over a week before the
 * article ("A tenuous peace agreement reached in February has helped")
 * is in effect. */
static const char *
statement_action(const struct article *a, const struct truce__token *t,
                 size_t n, const struct said *x)
{
    struct truce__when w;
    if (!strcmp(x->e->meaning, "extended")) {
        for (size_t k = 0; k < n; k++)
            if (truce__tok_is(a->s, &t[k], "planned"))
                return "announced";
        return x->e->meaning;
    }
    if (strcmp(x->e->meaning, "announced") || (x->e->flags & TRUCE__LEX_FUTURE) ||
        strcmp(x->e->phrase, "reached"))
        return x->e->meaning;
    for (size_t k = x->at + x->used; k < n && k <= x->at + x->used + 2; k++)
        if (truce__when_at(a->s, t, n, k, a->o->published, false, &w) &&
            w.has_date && w.day1 < a->o->published - 7)
            return "in_effect";
    return x->e->meaning;
}

/* The statement of the action at x, its clause [c0, c1), with what the
 * sentence says of brokers, extent, time, duration and exclusions; the
 * area null (the caller sets it). */
static json_t *
statement(const struct article *a, const struct truce__span *sp,
          const struct truce__token *t, size_t n, const struct said *x,
          size_t c0, size_t c1)
{
    json_t *o = json_object(), *why = json_object(), *brokers = json_array(),
           *excluded = json_array();
    struct truce__when w;
    size_t used;
    bool started;
    const char *action;
    char eff[32];
    json_object_set_new(o, "sentence", json_stringn(a->s + sp->start,
                                                    sp->end - sp->start));
    json_object_set_new(o, "span", json_pack("[I,I]", (json_int_t)sp->start,
                                             (json_int_t)sp->end));
    action = statement_action(a, t, n, x);
    json_object_set_new(o, "action", json_string(action));
    json_object_set_new(why, "action", words(a, t, x->at, x->at + x->used - 1));
    for (size_t i = 0; i < n; i++) {
        const struct truce__lex *b =
            lex_memo(a, TRUCE_LEX_BROKER, t, n, i, &used);
        bool seen = false;
        if (!b)
            continue;
        /* "the OSCE monitoring mission said": who watches, not who made
         * it */
        if (watches(a, t, n, i + used)) {
            i += used - 1;
            continue;
        }
        for (size_t j = 0; j < json_array_size(brokers); j++)
            seen |= !strcmp(json_string_value(json_array_get(brokers, j)),
                            b->meaning);
        if (!seen)
            json_array_append_new(brokers, json_string(b->meaning));
        i += used - 1;
    }
    json_object_set_new(o, "brokers", brokers);
    json_object_set_new(o, "area", json_null());
    json_object_set_new(o, "nationwide", json_boolean(nationwide(a, t, n)));
    if (statement_when(a, t, n, x, action, c0, c1, &w, &started) &&
        /* the day a deal was made is not its start; a start said is */
        (started || strcmp(x->e->meaning, "announced") ||
         (x->e->flags & TRUCE__LEX_FUTURE)) &&
        /* nor the day it held ("was largely holding on Monday"), nor
         * the day it was extended ("was extended on Friday by 48 hours":
         * a new period starts where one is said to, "from ...") */
        (started || (!holds_on(x->e) && strcmp(action, "extended")))) {
        char d[16];
        truce_format_day(w.day0, d);
        if (w.minute >= 0)
            snprintf(eff, sizeof(eff), "%sT%02d:%02d", d, w.minute / 60,
                     w.minute % 60);
        else
            snprintf(eff, sizeof(eff), "%s", d);
        json_object_set_new(o, "effective", json_string(eff));
        json_object_set_new(why, "effective", words(a, t, w.first, w.last));
        /* "will run from 10 a.m.": a time whose day another says */
        if (!w.has_date && w.minute >= 0)
            json_object_set_new(o, "_time_only", json_true());
    } else {
        json_object_set_new(o, "effective", json_null());
    }
    json_object_set_new(o, "timezone", json_string(a->zone));
    {
        char until[32];
        size_t f, l;
        if (statement_until(a, t, n, x, action, c1, until, &f, &l)) {
            json_object_set_new(o, "until", json_string(until));
            json_object_set_new(why, "until", words(a, t, f, l));
        } else {
            json_object_set_new(o, "until", json_null());
        }
    }
    json_object_set_new(o, "duration_hours", json_null());
    /* "a 72-hour truce", "lasting 24 hours": in the clause, else the
     * sentence */
    for (int pass = 0; pass < 2; pass++) {
        size_t from = pass ? 0 : c0, to = pass ? n : c1;
        if (duration(a, t, from, to, o, why))
            break;
    }
    add_exclusions(a, t, n, excluded);
    json_object_set_new(o, "excluded", excluded);
    json_object_set_new(o, "guarantors", json_array());
    json_object_set_new(o, "confidence",
                        json_real(json_array_size(brokers) ? 0.8 : 0.6));
    json_object_set_new(o, "evidence", why);
    return o;
}

/* Is the place at token i where people met ("talks in Cairo", "a
 * meeting in Astana")? */
static bool
venue(const struct article *a, const struct truce__token *t, size_t i)
{
    static const char *const met[] = {"talks", "meeting", "negotiations",
                                      "conference", "summit", "signed",
                                      "ceremony"};
    return i >= 2 && (truce__tok_is(a->s, &t[i - 1], "in") ||
                      truce__tok_is(a->s, &t[i - 1], "at")) &&
           tok_one_of(a->s, &t[i - 2], met, COUNT(met));
}

/* Is the place at token i where people are sent ("lets rebels leave for
 * Idlib province", "buses bound for Idlib", "taken to Jarablus")? */
static bool
destination(const struct article *a, const struct truce__token *t, size_t i)
{
    static const char *const go[] = {"leave", "left", "leaving", "head",
                                     "headed", "heading", "bound", "bused",
                                     "evacuated", "transferred", "moved",
                                     "go", "travel", "relocate"};
    if (i < 2 || !(truce__tok_is(a->s, &t[i - 1], "for") ||
                   truce__tok_is(a->s, &t[i - 1], "to") ||
                   truce__tok_is(a->s, &t[i - 1], "towards")))
        return false;
    return tok_one_of(a->s, &t[i - 2], go, COUNT(go));
}

/* Is the place at token i an end of a road named ("on the road between
 * Taiz and Aden", "the highway from Damascus to Homs")? */
static bool
road_end(const struct article *a, const struct truce__token *t, size_t i)
{
    static const char *const roads[] = {"road", "highway", "route",
                                        "motorway"};
    for (size_t k = i; k-- > 0 && k + 8 > i;) {
        if (tok_one_of(a->s, &t[k], roads, COUNT(roads)))
            return true;
        if (!(truce__tok_is(a->s, &t[k], "between") || truce__tok_is(a->s, &t[k], "from") ||
              truce__tok_is(a->s, &t[k], "to") || truce__tok_is(a->s, &t[k], "and") ||
              truce__tok_is(a->s, &t[k], "linking") || truce__tok_is(a->s, &t[k], "the") ||
              (t[k].kind == TRUCE_TOK_WORD && isupper((unsigned char)a->s[t[k].start]))))
            return false;
    }
    return false;
}

/* Is the country at pl a party to what is said ("Ukraine and the
 * separatists have agreed to a local ceasefire around X"): a country
 * with no preposition before it and "and" or a verb after it? */
static bool
party_named(const struct article *a, const struct truce__token *t,
            size_t n, const struct found_place *pl)
{
    static const char *const after[] = {"and", "has", "have", "agreed",
                                        "said", "says"};
    size_t i = pl->first, d = dateline(a, t, n);
    if (pl->last + 1 >= n || !truce__country_find_name(pl->p->name) ||
        (i > d && t[i - 1].kind == TRUCE_TOK_WORD))
        return false;
    return tok_one_of(a->s, &t[pl->last + 1], after, COUNT(after));
}

/* Is the place at token i a member of a group named before it ("the
 * Trilateral Contact Group of Ukraine, Russia and the OSCE")? */
static bool
group_member(const struct article *a, const struct truce__token *t, size_t i)
{
    for (size_t k = i; k-- > 1 && k + 8 > i;) {
        if (truce__tok_is(a->s, &t[k], "of"))
            return truce__tok_is(a->s, &t[k - 1], "group");
        if (!(truce__tok_is(a->s, &t[k], ",") || truce__tok_is(a->s, &t[k], "and") ||
              truce__tok_is(a->s, &t[k], "the") ||
              (t[k].kind == TRUCE_TOK_WORD &&
               isupper((unsigned char)a->s[t[k].start]))))
            return false;
    }
    return false;
}

/* Is the place at token i left out by the words before it ("except
 * around X", "excluding X", "apart from X", "other than X")? */
static bool
left_out(const struct article *a, const struct truce__token *t, size_t i)
{
    for (size_t k = i > 3 ? i - 3 : 0; k < i; k++)
        if (truce__tok_is(a->s, &t[k], "except") ||
            truce__tok_is(a->s, &t[k], "excluding") ||
            (k + 1 < i && truce__tok_is(a->s, &t[k], "apart") &&
             truce__tok_is(a->s, &t[k + 1], "from")) ||
            (k + 1 < i && truce__tok_is(a->s, &t[k], "other") &&
             truce__tok_is(a->s, &t[k + 1], "than")))
            return true;
    return false;
}

/* The areas of a statement: the places of its clause [c0, c1) that are
 * not a time's ("Damascus time") nor the area holding another; else the
 * sentence's outside the other statements' clauses. */
static size_t
statement_areas(const struct article *a, const struct truce__token *t,
                size_t n, const struct found_place *pl, size_t npl,
                size_t c0, size_t c1, const struct found_place **out)
{
    size_t k = 0;
    for (int pass = 0; pass < 2 && !k; pass++)
        for (size_t p = 0; p < npl && k < MAX_PLACES; p++) {
            bool inside = pl[p].first >= c0 && pl[p].first < c1;
            /* else the sentence's before it ("A truce in Yemen took
             * effect ... but was broken within hours") */
            if (pass == 0 ? !inside : pl[p].first >= c0)
                continue;
            /* a venue ("at talks in Cairo") is no area, nor a place left
             * out ("largely holding except around Debalteve") */
            if (venue(a, t, pl[p].first) || left_out(a, t, pl[p].first) ||
                destination(a, t, pl[p].first) || party_named(a, t, n, &pl[p]) ||
                road_end(a, t, pl[p].first) ||
                group_member(a, t, pl[p].first) || pl[p].speaker)
                continue;
            if (pl[p].container ||
                /* "in the Haifan district southeast of Taiz": Haifan (an
                 * anchor right after an area, not one of a list) */
                (pl[p].relative && k > 0 && pl[p].first <= out[k - 1]->last + 2) ||
                (pl[p].last + 1 < n && truce__tok_is(a->s, &t[pl[p].last + 1], "time")) ||
                /* "..., coalition air strikes hit Houthi positions around
                 * Saada": an act's place */
                act_within(a, t, n, pass ? 0 : c0, pl[p].first))
                continue;
            out[k++] = &pl[p];
        }
    return k;
}

/* "The truce will cover the provinces of Daraa and Quneitra", "The zones
 * will cover Idlib province, ...": the areas of the last sentence's
 * statement, one statement each. */
static void
covered_areas(struct article *a, const struct truce__token *t, size_t n,
              const struct found_place *pl, size_t npl)
{
    const struct found_place *areas[MAX_PLACES];
    size_t k, first = a->group, count = json_array_size(a->agreements);
    bool cover = false;
    json_t *base;
    /* the verb, not "a cessation covering all of Syria" */
    for (size_t i = 0; i < n; i++)
        cover |= (truce__tok_is(a->s, &t[i], "cover") ||
                  truce__tok_is(a->s, &t[i], "covers") ||
                  truce__tok_is(a->s, &t[i], "include") ||
                  truce__tok_is(a->s, &t[i], "includes")) &&
                 !(i > 0 && truce__tok_is(a->s, &t[i - 1], "not"));
    if (!cover || !count || count - first != 1 ||
        !(k = statement_areas(a, t, n, pl, npl, 0, n, areas)))
        return;
    base = json_array_get(a->agreements, first);
    for (size_t i = 0; i < k; i++) {
        json_t *x = i ? json_deep_copy(base) : base;
        json_object_set_new(x, "area", place_json(areas[i]));
        json_object_set_new(json_object_get(x, "evidence"), "area",
                            words(a, t, areas[i]->first, areas[i]->last));
        if (i)
            json_array_append_new(a->agreements, x);
    }
}

static bool
has_action(const struct said *said, size_t m, const char *action)
{
    for (size_t i = 0; i < m; i++)
        if (!strcmp(said[i].e->meaning, action))
            return true;
    return false;
}

/* The clause (as incidents are read) that holds token k: [*c0, *c1). */
static void
clause_of(const struct article *a, const struct truce__token *t, size_t n,
          size_t k, size_t *c0, size_t *c1)
{
    size_t from = 0, to;
    while ((to = clause_end(a, t, n, from)) <= k && to < n)
        from = to;
    *c0 = from;
    *c1 = to;
}

static bool
same_period(const struct article *a, const struct truce__token *t, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (truce__tok_is(a->s, &t[i], "same") &&
            (truce__tok_is(a->s, &t[i + 1], "period") ||
             truce__tok_is(a->s, &t[i + 1], "time") ||
             truce__tok_is(a->s, &t[i + 1], "terms")))
            return true;
    return false;
}

/* "... was extended for the same period": the start and length of the
 * article's last statement of that action. */
static void
copy_period(const struct article *a, json_t *o)
{
    const char *action = json_string_value(json_object_get(o, "action"));
    for (size_t i = json_array_size(a->agreements); i-- > 0;) {
        json_t *x = json_array_get(a->agreements, i);
        if (strcmp(json_string_value(json_object_get(x, "action")), action))
            continue;
        if (json_is_null(json_object_get(o, "effective")))
            json_object_set(o, "effective", json_object_get(x, "effective"));
        if (json_is_null(json_object_get(o, "duration_hours")))
            json_object_set(o, "duration_hours",
                            json_object_get(x, "duration_hours"));
        return;
    }
}

/* Is one of the words one or two words before the noun at `at`? */
static bool
word_before_noun(const struct article *a, const struct truce__token *t,
                 size_t at, const char *const *words, size_t n)
{
    return (at >= 1 && tok_one_of(a->s, &t[at - 1], words, n)) ||
           (at >= 2 && tok_one_of(a->s, &t[at - 2], words, n) &&
            t[at - 1].kind == TRUCE_TOK_WORD);
}

/* Is the agreement's noun at `at` of a deal of another kind ("an
 * evacuation deal", "the prisoner swap agreement"), or another, older
 * agreement than the news's ("A previous local truce", "an earlier
 * pause") told with no day of the last month? */
static bool
other_agreement(const struct article *a, const struct truce__token *t,
                size_t n, size_t at)
{
    static const char *const kind[] = {"evacuation", "surrender", "swap",
                                       "prisoner", "exchange",
                                       "reconciliation"};
    static const char *const another[] = {"previous", "earlier", "former",
                                          "similar"};
    struct truce__when w;
    if (word_before_noun(a, t, at, kind, COUNT(kind)))
        return true;
    if (!word_before_noun(a, t, at, another, COUNT(another)))
        return false;
    /* "A similar repair truce collapsed on Friday" is news; "A similar
     * truce declared in September broke down within weeks" is not */
    for (size_t i = 0; i < n; i++)
        if (when_past(a, t, n, i, &w) && w.has_date && !w.span &&
            w.day1 >= a->o->published - 30)
            return false;
    return true;
}

/* Does the sentence name a truce, a ceasefire, a pause: an agreement
 * noun other than "deal" or "agreement"? */
static bool
truce_named(const struct article *a, const struct truce__token *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t used;
        const struct truce__lex *e = lex_memo(a, TRUCE_LEX_AGREEMENT, t, n, i, &used);
        if (e && strcmp(e->meaning, "agreement"))
            return true;
    }
    return false;
}

/* Does the sentence tell of fighters leaving a place ("Buses carrying
 * about 130 rebel fighters", "the evacuation of the town")? Marks the
 * article so that "the deal" told after is the same deal. */
static bool
evacuation_deal(struct article *a, const struct truce__token *t, size_t n)
{
    static const char *const leaving[] = {
        "bus", "buses", "evacuation", "evacuated", "evacuate", "evacuees",
        "departure", "surrender", "surrendered", "left", "leave", "leaving"};
    if (!word_within(a, t, 0, n, leaving, COUNT(leaving)))
        return false;
    a->evacuation = true;
    return true;
}

/* A breach of the agreement told before, without its noun: "Monitors
 * said it had been violated repeatedly", "Both sides accused each other
 * of violations within hours" (not "violated its air space"). */
static bool
breach_told_back(const struct article *a, const struct truce__token *t,
                 size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t used;
        const struct truce__lex *e =
            lex_memo(a, TRUCE_LEX_ACTION, t, n, k, &used);
        if (!e || strcmp(e->meaning, "violated"))
            continue;
        /* "it had been violated", "it was breached" */
        for (size_t j = k > 3 ? k - 3 : 0; j < k; j++)
            if (truce__tok_is(a->s, &t[j], "it"))
                return true;
        /* "accused government forces of breaching it on Wednesday" */
        if (k + used < n && truce__tok_is(a->s, &t[k + used], "it"))
            return true;
        /* "accused each other of (repeated) violations", "each side was
         * accusing the other of violating it" */
        for (size_t j = k > 4 ? k - 4 : 0; j + 1 < k; j++)
            if (truce__tok_is(a->s, &t[j], "other") &&
                truce__tok_is(a->s, &t[j + 1], "of"))
                return k + used >= n || !truce__tok_is(a->s, &t[k + used], "of") ||
                       (k + used + 1 < n &&
                        (truce__tok_is(a->s, &t[k + used + 1], "it") ||
                         truce__tok_is(a->s, &t[k + used + 1], "the")));
    }
    return false;
}

/* "A ceasefire ... was broken within hours of taking effect at 8 a.m. on
 * Monday": a breach told before the start in its sentence has the start
 * too (statements from index first on are the sentence's). */
static void
breach_started(struct article *a, size_t first)
{
    json_t *began = NULL;
    for (size_t i = first; i < json_array_size(a->agreements) && !began; i++) {
        json_t *o = json_array_get(a->agreements, i);
        if (!strcmp(json_string_value(json_object_get(o, "action")), "in_effect") &&
            json_is_string(json_object_get(o, "effective")))
            began = o;
    }
    for (size_t i = first; began && i < json_array_size(a->agreements); i++) {
        json_t *o = json_array_get(a->agreements, i);
        if (strcmp(json_string_value(json_object_get(o, "action")), "violated") ||
            !json_is_null(json_object_get(o, "effective")))
            continue;
        json_object_set(o, "effective", json_object_get(began, "effective"));
        json_object_set(json_object_get(o, "evidence"), "effective",
                        json_object_get(json_object_get(began, "evidence"),
                                        "effective"));
    }
}

static void
sentence_agreement(struct article *a, const struct truce__span *sp,
                   const struct truce__token *t, size_t n,
                   const struct found_place *pl, size_t npl)
{
    struct said said[MAX_SAID];
    size_t at = 0, used, m, group = json_array_size(a->agreements);
    const struct truce__lex *noun = NULL;
    const struct found_place *target;
    struct truce__when start;
    size_t anchor;
    bool refers_back, have_start = false, started;
    add_guarantors(a, t, n);
    /* "local truces have collapsed repeatedly": truces, not a truce */
    for (size_t i = 0; i < n && !noun; i++) {
        const struct truce__lex *e =
            lex_memo(a, TRUCE_LEX_AGREEMENT, t, n, i, &used);
        bool stem, plural;
        if (!e)
            continue;
        /* zones and pauses come in the plural: "the daily humanitarian
         * pauses" are the one agreement's */
        stem = strchr(e->phrase, '*') && strncmp(e->phrase, "de-escalation", 13) &&
               strcmp(e->meaning, "humanitarian pause");
        plural = a->s[t[i + used - 1].end - 1] == 's' ||
                 a->s[t[i + used - 1].end - 1] == 'S';
        if (!(stem && plural)) {
            noun = e;
            at = i;
        }
    }
    /* "They take effect on Saturday": the last statements' agreement */
    /* "the truce", "this truce", "the daily humanitarian pauses" */
    refers_back = noun ? (at > 0 && (truce__tok_is(a->s, &t[at - 1], "the") ||
                                     truce__tok_is(a->s, &t[at - 1], "this") ||
                                     truce__tok_is(a->s, &t[at - 1], "that"))) ||
                             (at > 1 && truce__tok_is(a->s, &t[at - 2], "the") &&
                              t[at - 1].kind == TRUCE_TOK_WORD &&
                              !lex_memo(a, TRUCE_LEX_BROKER, t, n, at - 1,
                                             &used))
                       : group > 0 && n > 0 &&
                             (truce__tok_is(a->s, &t[0], "they") ||
                              truce__tok_is(a->s, &t[0], "it") ||
                              breach_told_back(a, t, n));
    if (!noun && !refers_back)
        return;
    /* "A similar truce declared in September broke down": another,
     * older agreement's; "an evacuation deal": another kind of deal;
     * "would observe any truce": none yet */
    if (noun && at > 0 &&
        (other_agreement(a, t, n, at) || truce__tok_is(a->s, &t[at - 1], "any")))
        return;
    /* "Buses carrying 130 rebel fighters left ... under a deal agreed with
     * the government", then "The deal ... returns the town to state
     * control": a deal of evacuation, no truce */
    if (noun && !strcmp(noun->meaning, "agreement") && !truce_named(a, t, n) &&
        (evacuation_deal(a, t, n) || (refers_back && a->evacuation)))
        return;
    /* "a provisional agreement in principle": talk, not a deal */
    for (size_t i = 0; i + 1 < n; i++)
        if (truce__tok_is(a->s, &t[i], "provisional") ||
            (truce__tok_is(a->s, &t[i], "in") && truce__tok_is(a->s, &t[i + 1], "principle")))
            return;
    if (!(m = sentence_actions(a, t, n, pl, npl, said, &target))) {
        if (noun && refers_back)
            covered_areas(a, t, n, pl, npl);
        return; /* talk of a truce, not news of one */
    }
    /* "the truce that began on Sunday", "which began on April 10": the
     * start of what the sentence says of it, no statement of its own
     * when another is said */
    anchor = SIZE_MAX;
    /* an extension says its own new period: the agreement's start is a
     * statement of its own then ("... that took effect from 6 a.m. on
     * Thursday was extended on Friday by 48 hours") */
    for (size_t i = 0; i < m && m > 1 && !has_action(said, m, "extended"); i++)
        if (!strcmp(said[i].e->meaning, "in_effect") && said[i].at > 0 &&
            (truce__tok_is(a->s, &t[said[i].at - 1], "that") ||
             truce__tok_is(a->s, &t[said[i].at - 1], "which") ||
             /* "violating the truce 15 times since it began", "less than
              * a day after it began at 11:59 p.m. on Friday" */
             (said[i].at > 1 && truce__tok_is(a->s, &t[said[i].at - 1], "it") &&
              (truce__tok_is(a->s, &t[said[i].at - 2], "since") ||
               truce__tok_is(a->s, &t[said[i].at - 2], "after"))))) {
            anchor = i;
            break;
        }
    if (anchor != SIZE_MAX) {
        size_t c1 = anchor + 1 < m ? said[anchor + 1].at : n;
        have_start = statement_when(a, t, n, &said[anchor], "in_effect",
                                    said[anchor].at, c1, &start, &started);
        /* "... that began on April 10 was largely holding": the holding
         * is the statement, told with the anchor's words */
        bool holds = false;
        for (size_t k = said[anchor].at + said[anchor].used; k < n && !holds; k++) {
            size_t u;
            const struct truce__lex *e =
                lex_memo(a, TRUCE_LEX_ACTION, t, n, k, &u);
            holds = e && !strcmp(e->meaning, "in_effect");
        }
        /* "An indefinite ceasefire that took effect ... at midnight on
         * Saturday was violated dozens of times": a time anchor with a
         * start is a statement too; "since it began" alone is not */
        if (!holds && !have_start) {
            memmove(&said[anchor], &said[anchor + 1],
                    (m - anchor - 1) * sizeof(said[0]));
            m--;
        }
    }
    for (size_t i = 0; i < m; i++) {
        size_t c0 = i ? said[i - 1].at + said[i - 1].used : 0,
               c1 = i + 1 < m ? said[i + 1].at : n, na, k0, k1;
        const struct found_place *areas[MAX_PLACES];
        json_t *o;
        /* within the clause of its words ("..., but clashes broke out in
         * Taiz" is not the truce's area) */
        clause_of(a, t, n, said[i].at, &k0, &k1);
        c0 = c0 > k0 ? c0 : k0;
        c1 = c1 < k1 ? c1 : k1;
        /* nor a condition's ("... if the Houthis allow aid into Taiz") */
        for (size_t k = said[i].at; k < c1; k++)
            if (truce__tok_is(a->s, &t[k], "if") || truce__tok_is(a->s, &t[k], "unless") ||
                /* nor a purpose's ("..., to allow engineers to repair the
                 * spring that supplies Damascus") */
                (k + 1 < c1 && truce__tok_is(a->s, &t[k], "to") &&
                 (truce__tok_is(a->s, &t[k + 1], "allow") ||
                  truce__tok_is(a->s, &t[k + 1], "let") ||
                  truce__tok_is(a->s, &t[k + 1], "enable"))) ||
                (k + 1 < c1 && truce__tok_is(a->s, &t[k], "so") &&
                 truce__tok_is(a->s, &t[k + 1], "that"))) {
                c1 = k;
                break;
            }
        o = statement(a, sp, t, n, &said[i], c0, c1);
        /* "Three other zones were agreed in May": a deal of the
         * background, no news (not one that holds now: "A peace agreement
         * reached in February has helped to stem violence") */
        if (!strcmp(json_string_value(json_object_get(o, "action")), "announced") &&
            made_long_ago(a, t, &said[i], c1)) {
            json_decref(o);
            continue;
        }
        if (!strcmp(said[i].e->meaning, "announced") &&
            !(said[i].e->flags & TRUCE__LEX_FUTURE) &&
            !strcmp(json_string_value(json_object_get(o, "action")), "announced"))
            json_object_set_new(o, "_made", json_true());
        if (same_period(a, t, n))
            copy_period(a, o);
        /* the agreement's start, but not an extension's new period's */
        if (have_start && json_is_null(json_object_get(o, "effective")) &&
            strcmp(json_string_value(json_object_get(o, "action")),
                   "extended")) {
            char d[16], eff[32];
            truce_format_day(start.day0, d);
            if (start.minute >= 0)
                snprintf(eff, sizeof(eff), "%sT%02d:%02d", d,
                         start.minute / 60, start.minute % 60);
            else
                snprintf(eff, sizeof(eff), "%s", d);
            json_object_set_new(o, "effective", json_string(eff));
            json_object_set_new(json_object_get(o, "evidence"), "effective",
                                words(a, t, start.first, start.last));
        }
        if (target) {
            areas[0] = target;
            na = 1;
        } else {
            na = statement_areas(a, t, n, pl, npl, c0, c1, areas);
        }
        /* one statement per area: "four de-escalation zones" */
        for (size_t k = 0; k < (na ? na : 1); k++) {
            json_t *x = k + 1 < na ? json_deep_copy(o) : o;
            if (na) {
                json_object_set_new(x, "area", place_json(areas[k]));
                json_object_set_new(json_object_get(x, "evidence"), "area",
                                    words(a, t, areas[k]->first, areas[k]->last));
            }
            /* "The truce was agreed on Wednesday by the Trilateral
             * Contact Group of Ukraine, Russia and the OSCE": how the
             * truce told came about, whatever place it names */
            add_statement(a, x,
                          refers_back &&
                              (!na || json_is_true(json_object_get(x, "_made"))),
                          a->group);
        }
    }
    breach_started(a, group);
    a->group = group < json_array_size(a->agreements) ? group : a->group;
}

/* "the past 24 hours", "the last two days", "the past week" at k */
static bool
past_span(const struct article *a, const struct truce__token *t, size_t n,
          size_t k)
{
    static const char *const units[] = {"hours", "days", "day", "week",
                                        "weeks", "month", "months"};
    if (k + 2 >= n || !truce__tok_is(a->s, &t[k], "the") ||
        !(truce__tok_is(a->s, &t[k + 1], "past") ||
          truce__tok_is(a->s, &t[k + 1], "last")))
        return false;
    for (size_t j = k + 2; j < n && j < k + 5; j++)
        if (tok_one_of(a->s, &t[j], units, COUNT(units)))
            return true;
    return false;
}

/* Does the sentence open on another place ("Elsewhere, ...", "In the
 * east, ...")? */
static bool
elsewhere(const struct article *a, const struct truce__token *t, size_t n)
{
    static const char *const quarters[] = {"east", "west", "north",
                                           "south"};
    if (n && truce__tok_is(a->s, &t[0], "elsewhere"))
        return true;
    return n > 3 && truce__tok_is(a->s, &t[0], "in") &&
           truce__tok_is(a->s, &t[1], "the") &&
           tok_one_of(a->s, &t[2], quarters, COUNT(quarters)) &&
           truce__tok_is(a->s, &t[3], ",");
}

/* A toll in a sentence of no act of its own ("At least 73 fighters were
 * killed on both sides, the Observatory said"): fighters', soldiers' and
 * both sides' dead go to the article's last battle, else to the first
 * act of the last sentence with acts; others' to the last act, unless
 * counted over a span ("since April 22"). Only an act with no count of
 * its own takes it. */
static void
toll_after(struct article *a, const struct truce__token *t, size_t n,
           size_t count)
{
    static const char *const armed[] = {"fighters", "soldiers", "troops",
                                        "militants", "rebels", "sides"};
    struct truce__count c;
    size_t f0, f1, pick = SIZE_MAX;
    bool fighters = false, since = false;
    json_t *x;
    /* "No casualties were reported.": none, for the act before; a tally
     * of a war ("250,000 people have been killed since 2011") is no
     * act's */
    if (!fatalities(a, t, n, &c, &f0, &f1) || c.best < 0 || c.best >= 1000)
        return;
    for (size_t k = 0; k < n; k++) {
        fighters |= tok_one_of(a->s, &t[k], armed, COUNT(armed));
        since |= truce__tok_is(a->s, &t[k], "since") || past_span(a, t, n, k);
    }
    /* "At least 90 fighters have been killed since Tuesday", "in the past
     * 24 hours": a tally of days, no one act's; "In the east, one soldier
     * was killed", "Elsewhere, ...": the dead of another place */
    if (since || elsewhere(a, t, n))
        return;
    for (size_t i = count; i-- > 0 && pick == SIZE_MAX;) {
        x = json_array_get(a->incidents, i);
        if (fighters && !strcmp(json_string_value(json_object_get(x, "category")),
                                "battle"))
            pick = i;
    }
    if (pick == SIZE_MAX && fighters) {
        /* the first act of the last sentence with acts */
        json_t *last = json_object_get(json_array_get(a->incidents, count - 1),
                                       "span");
        pick = count - 1;
        while (pick > 0 &&
               json_equal(json_object_get(json_array_get(a->incidents,
                                                         pick - 1), "span"),
                          last))
            pick--;
    }
    if (pick == SIZE_MAX)
        pick = count - 1;
    x = json_array_get(a->incidents, pick);
    if (!json_is_null(json_object_get(x, "fatalities")))
        return;
    /* the dead of a march are told with it, not after */
    if (c.best > 0 &&
        !strcmp(json_string_value(json_object_get(x, "category")), "protest"))
        return;
    json_object_set_new(x, "fatalities", json_integer(c.best));
    json_object_set_new(x, "fatalities_low",
                        c.low >= 0 ? json_integer(c.low) : json_null());
    json_object_set_new(x, "fatalities_high",
                        c.high >= 0 ? json_integer(c.high) : json_null());
    json_object_set_new(json_object_get(x, "evidence"), "fatalities",
                        words(a, t, f0, f1));
}

/* ------------------------------------------------------------ driver */

/* Does the sentence tell of any act? */
static bool
acts_in(const struct article *a, const struct truce__token *t, size_t n)
{
    size_t used;
    for (size_t i = 0; i < n; i++)
        if (act_at(a, t, n, i, &used))
            return true;
    return false;
}

/* What a sentence of no act tells of an agreement: its noun, what becomes
 * of it ("It began at 6 a.m. on Wednesday"), a start still to come ("are
 * due to stop firing ... from 00:01 on April 1"). All false when the
 * sentence tells of an act (the words of an agreement's own, "a plan to
 * halt fighting", are none). */
struct agreement_told {
    bool noun, action, future;
    bool breach; /* "accused them of breaching the truce on Saturday" */
};

static struct agreement_told
agreement_told(const struct article *a, const struct truce__token *t,
               size_t n)
{
    struct agreement_told none = {false, false, false, false}, told = none;
    for (size_t i = 0; i < n; i++) {
        size_t used;
        const struct truce__lex *e;
        if (lex_memo(a, TRUCE_LEX_AGREEMENT, t, n, i, &used)) {
            told.noun = true;
            i += used - 1;
            continue;
        }
        if (act_at(a, t, n, i, &used))
            return none;
        if ((e = lex_memo(a, TRUCE_LEX_ACTION, t, n, i, &used))) {
            told.action = true;
            told.breach |= !strcmp(e->meaning, "violated");
        }
        told.future |= (e && (e->flags & TRUCE__LEX_FUTURE)) ||
                       truce__tok_is(a->s, &t[i], "will") ||
                       (i + 1 < n && truce__tok_is(a->s, &t[i], "due") &&
                        truce__tok_is(a->s, &t[i + 1], "to"));
    }
    return told;
}

static void
memo_free(struct article *a)
{
    for (size_t k = 0; k < N_LEX_KINDS; k++) {
        truce__free(a->memo[k]);
        a->memo[k] = NULL;
    }
    truce__free(a->when_memo);
    a->when_memo = NULL;
    a->memo_t = NULL;
    a->memo_n = 0;
}

/* The sentence's memo of phrases, empty: filled as its readers ask. */
static truce_status
memo_sentence(struct article *a, const struct truce__token *t, size_t n)
{
    for (size_t k = 0; k < N_LEX_KINDS; k++)
        if (!(a->memo[k] = truce__calloc(n ? n : 1, sizeof(struct memo_cell)))) {
            memo_free(a);
            return truce__err(a->ctx, TRUCE_ENOMEM, "out of memory");
        }
    if (!(a->when_memo = truce__calloc(n ? n : 1, sizeof(struct when_cell)))) {
        memo_free(a);
        return truce__err(a->ctx, TRUCE_ENOMEM, "out of memory");
    }
    a->memo_t = t;
    a->memo_n = n;
    return TRUCE_OK;
}

static truce_status
read_sentence(struct article *a, const struct truce__span *sp)
{
    struct truce__token *t = NULL;
    struct found_place pl[MAX_PLACES];
    struct found_place first[2];
    struct truce__when w;
    struct agreement_told told;
    size_t n, npl, before;
    bool acted;
    truce_status rc;
    if ((rc = truce__tokens(a->s, sp->start, sp->end, &t, &n)))
        return truce__err(a->ctx, rc, "out of memory");
    if ((rc = memo_sentence(a, t, n))) {
        truce__free(t);
        return rc;
    }
    npl = a->gz ? find_places(a, t, n, pl) : 0;
    /* a sentence of an agreement and no act ("It began at 6 a.m. on
     * Wednesday") dates the agreement, not the acts told after it */
    told = agreement_told(a, t, n);
    a->has_told = a->has_when && a->when.has_date && !a->when.span;
    a->told_day = a->when.day0;
    /* an agreement still to come: its date is the agreement's, which no
     * act told after it can have */
    if (act_when(a, t, n, &w) && !(told.noun && told.future) &&
        /* "... collapsed on Saturday. It began at 6 a.m. on Wednesday":
         * the agreement's past told after, not the day of what follows */
        !(a->has_when && w.has_date && a->when.has_date &&
          w.day0 < a->when.day0 && (told.noun || told.action) &&
          /* a breach's day is a day of fighting: what follows may be it */
          !told.breach) &&
        /* "... since the Houthis swept into the port in March": a date
         * of the background dates no act told after it */
        !(w.has_date && w.day1 < a->o->published - 30 && !acts_in(a, t, n))) {
        /* "at dawn" after "on Saturday": a time of the day told */
        if (!w.has_date && a->has_when && a->when.has_date) {
            w.day0 = a->when.day0;
            w.day1 = a->when.day1;
            w.has_date = true;
        }
        a->when = w;
        a->has_when = true;
    } else if (a->has_when) {
        w = a->when;
        w.first = w.last = SIZE_MAX; /* carried: no words of this sentence */
    } else {
        memset(&w, 0, sizeof(w));
        w.minute = -1;
    }
    before = json_array_size(a->incidents);
    acted = sentence_incidents(a, sp, t, n, pl, npl, &w, first);
    if (json_array_size(a->incidents) == before && before)
        toll_after(a, t, n, before);
    if (json_array_size(a->incidents) == before && before && w.has_date &&
        w.first != SIZE_MAX && town_fell(a, t, n))
        fall_dated(a, t, &w);
    /* "Gunmen shot dead the writer outside his home. The writer was
     * killed on Thursday afternoon": the day of the death told */
    if (json_array_size(a->incidents) == before && before && w.has_date &&
        w.first != SIZE_MAX && death_retold(a, t, n))
        undated_dated(a, t, &w, before - 1);
    claimed(a, t, n);
    sentence_agreement(a, sp, t, n, pl, npl);
    /* the article's place: where the sentence's first act was, else the
     * last place it names that is not an anchor */
    if (acted) {
        /* "Air strikes on the al-Shaar district" after "eastern Aleppo":
         * a district of the city told before keeps the city as its area */
        bool kept = first[1].p == first[0].p && a->area && first[0].p &&
                    city_reach_km(a->area) > 0 &&
                    truce__km_between(a->area->lat, a->area->lon,
                                      first[0].p->lat, first[0].p->lon) <=
                        city_reach_km(a->area);
        a->place = first[0].p;
        a->place_radius = first[0].radius_km;
        if (!kept) {
            a->area = first[1].p;
            a->area_radius = first[1].radius_km;
        }
    } else {
        for (size_t p = npl; p-- > 0;)
            if (!pl[p].relative || p == 0) {
                a->place = a->area = pl[p].p;
                a->place_radius = a->area_radius = pl[p].radius_km;
                break;
            }
    }
    remember_calls(a, t, pl, npl);
    memo_free(a);
    truce__free(t);
    return TRUCE_OK;
}

/* Without --tz: the zone of the first agreement whose zones hold the
 * article's first place (its first incident's, else its first
 * statement's area), else UTC (DESIGN section 9); the statements say it.
 * Days were read as local days of the publication day, so the zone
 * changes no date. */
static void
article_zone(struct article *a)
{
    json_t *pl = json_object_get(json_array_get(a->incidents, 0), "place");
    struct truce_agreement_info in;
    long k;
    if (!pl)
        pl = json_object_get(json_array_get(a->agreements, 0), "area");
    if (!json_is_object(pl) || !a->o->agreements)
        return;
    k = truce_agreements_containing(a->ctx, a->o->agreements,
                                    json_real_value(json_object_get(pl, "lat")),
                                    json_real_value(json_object_get(pl, "lon")));
    if (k < 0)
        return;
    truce_agreements_info(a->o->agreements, (size_t)k, &in);
    if (!in.timezone)
        return;
    a->zone = in.timezone;
    for (size_t i = 0; i < json_array_size(a->agreements); i++)
        json_object_set_new(json_array_get(a->agreements, i), "timezone",
                            json_string(a->zone));
}

truce_status
truce_extract(struct truce_ctx *ctx, const char *text, size_t n,
              const struct truce_extract_opts *o,
              const struct truce_gazetteer *gz, char **out)
{
    struct article a = {0};
    struct truce__span *sp = NULL;
    size_t count;
    truce_status rc;
    char day[16];
    json_t *doc;
    truce__clear(ctx);
    *out = NULL;
    if (truce__utf8_check(text, n) != n)
        return truce__err(ctx, TRUCE_EPARSE, "the text is not UTF-8 (byte "
                          "%zu)", truce__utf8_check(text, n));
    a.ctx = ctx;
    a.zone = o->timezone ? o->timezone : "UTC";
    a.s = text;
    a.n = n;
    a.o = o;
    a.gz = gz;
    a.hash = truce__hash(text, n, 1469598103934665603ull);
    a.incidents = json_array();
    a.agreements = json_array();
    if ((rc = truce__sentences(text, n, &sp, &count))) {
        rc = truce__err(ctx, rc, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < count && !rc; i++)
        rc = read_sentence(&a, &sp[i]);
    if (rc)
        goto out;
    if (!o->timezone)
        article_zone(&a);
    /* the mark of a deal's making is the reader's own */
    for (size_t i = 0; i < json_array_size(a.agreements); i++) {
        json_object_del(json_array_get(a.agreements, i), "_made");
        json_object_del(json_array_get(a.agreements, i), "_time_only");
    }
    for (size_t i = 0; i < json_array_size(a.incidents); i++)
        json_object_del(json_array_get(a.incidents, i), "_undated");
    /* incidents carried on dates of no words keep the empty evidence */
    truce_format_day(o->published, day);
    doc = json_pack("{s:s,s:s,s:s,s:s?,s:O,s:O}", "published", day,
                    "timezone", a.zone, "source", o->source, "file",
                    o->file, "incidents", a.incidents, "agreements",
                    a.agreements);
    *out = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                     JSON_REAL_PRECISION(8))
               : NULL;
    json_decref(doc);
    if (!*out)
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
out:
    truce__free(sp);
    json_decref(a.incidents);
    json_decref(a.agreements);
    return rc;
}
