/*
 * score.c - linking scored on a labelled multi-source set made from real
 * events: each UCDP GED Syria event of a year (../shared, never copied)
 * is one incident, reported again, deterministically, the way other
 * sources would: an ACLED row (its point moved up to 0.8 km, a 2 km
 * radius), a news report (the city: a 25 km radius, a day either side,
 * actors often unnamed), a monitor's field report (0.5 km off, category
 * armed_violence, no actors); and look-alikes that are incidents of their
 * own: the same place four days later, the same day 100 km east, other
 * actors at the same place and day, a protest there. truce_link_events
 * groups them all; B-cubed precision and recall against the labels.
 * The UCDP events kept are those a reader could tell apart (more than a
 * week or 160 km plus their radii from the ones kept before); with
 * LINK_SCORE_ALL=1 every one of the year is kept, and reports of two
 * events at one place and day, which no rule can tell apart, count as
 * errors.
 *
 * usage: link_score UCDP.csv ACTORS.json [YEAR [MIN_P MIN_R]]
 * Prints the set's size and the figures; exits 1 below a floor, 2 on bad
 * input. LINK_SCORE_VERBOSE=1 prints each wrong grouping (first 40).
 * LINK_SCORE_JSONL=FILE also writes the set's reports there (JSON Lines,
 * in a shuffled order; "notes" holds the label), to be stored and linked
 * through the store (tests/cli/t1220-link-store.sh).
 */
#define _GNU_SOURCE 1
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <truce/truce.h>

#include "../common/tools.h"

#define DAY 86400LL

struct set {
    struct truce_event *ev;
    size_t *gold;     /* the labelled incident of each event */
    size_t n, cap;
};

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static char *
dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A report of the same occurrence (or a look-alike) as base. */
static struct truce_event *
add(struct set *s, const struct truce_event *base, const char *source,
    size_t gold)
{
    struct truce_event *e;
    char id[96];
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->ev = realloc(s->ev, s->cap * sizeof(*s->ev));
        s->gold = realloc(s->gold, s->cap * sizeof(*s->gold));
        if (!s->ev || !s->gold)
            exit(2);
    }
    e = &s->ev[s->n];
    truce_event_init(e);
    snprintf(id, sizeof(id), "%s:%zu", source, s->n);
    e->id = strdup(id);
    e->source = strdup(source);
    e->time_kind = base->time_kind;
    e->t0 = base->t0;
    e->t1 = base->t1;
    e->date_only = base->date_only;
    e->lat = base->lat;
    e->lon = base->lon;
    e->radius_km = base->radius_km;
    e->category = base->category;
    e->actor1 = dup(base->actor1);
    e->actor2 = dup(base->actor2);
    e->fatalities = -1;
    s->gold[s->n++] = gold;
    return e;
}

/* Moves e's point by up to km in a random direction. */
static void
jitter(struct truce_event *e, double km)
{
    double d = km * uniform_from(&rng_state), a = 2 * M_PI * uniform_from(&rng_state);
    e->lat += d * cos(a) / 111.0;
    e->lon += d * sin(a) / (111.0 * cos(e->lat * M_PI / 180));
}

static void
drop_actors(struct truce_event *e)
{
    free(e->actor1);
    free(e->actor2);
    e->actor1 = e->actor2 = NULL;
}

/* Another side than either of u's: the look-alike's perpetrator. */
static const char *
other_side(const struct truce_event *u)
{
    static const char *const sides[] = {"IS", "SDF", "Syrian insurgents",
                                        "Government of Syria"};
    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
        if (!(u->actor1 && strstr(u->actor1, sides[i])) &&
            !(u->actor2 && strstr(u->actor2, sides[i])))
            return sides[i];
    return "IS";
}

static void
reports_of(struct set *s, const struct truce_event *u, size_t gold,
           size_t *next_gold, size_t k)
{
    struct truce_event *e;
    /* with a look-alike of other actors at the same place and day, a
     * report must name its actors to be told from it */
    bool named = k % 4 == 0;
    if (uniform_from(&rng_state) < 0.7) {
        e = add(s, u, "acled", gold);
        jitter(e, 0.8);
        e->radius_km = fmax(u->radius_km, 2);
    }
    if (uniform_from(&rng_state) < 0.5) {
        e = add(s, u, "news", gold);
        e->radius_km = fmax(u->radius_km, 25);
        if (uniform_from(&rng_state) < 0.5)
            e->t0 -= DAY; /* "on Tuesday or Wednesday" */
        else
            e->t1 += DAY;
        if (!named && uniform_from(&rng_state) < 0.6)
            drop_actors(e);
    }
    if (uniform_from(&rng_state) < 0.2) {
        e = add(s, u, "field", gold);
        jitter(e, 0.5);
        e->radius_km = fmax(u->radius_km, 1);
        e->category = TRUCE_CAT_ARMED_VIOLENCE;
        if (!named)
            drop_actors(e);
    }
    if (k % 4)
        return;
    /* look-alikes, each an incident of its own */
    e = add(s, u, "news", (*next_gold)++);
    e->t0 += 4 * DAY;
    e->t1 += 4 * DAY;
    e->radius_km = fmax(u->radius_km, 5);
    drop_actors(e);
    e = add(s, u, "news", (*next_gold)++);
    e->radius_km = fmax(u->radius_km, 5);
    e->lon += (100 + 2 * e->radius_km) / (111.0 * cos(u->lat * M_PI / 180));
    drop_actors(e);
    e = add(s, u, "acled", (*next_gold)++);
    free(e->actor1);
    free(e->actor2);
    e->actor1 = strdup(other_side(u));
    e->actor2 = strdup("Civilians");
    e = add(s, u, "field", (*next_gold)++);
    e->category = TRUCE_CAT_PROTEST;
    drop_actors(e);
}

struct pair {
    size_t gold, rep, event;
};

static int
by_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->gold != y->gold)
        return x->gold < y->gold ? -1 : 1;
    if (x->rep != y->rep)
        return x->rep < y->rep ? -1 : 1;
    return (x->event > y->event) - (x->event < y->event);
}

#define SPACING_KM 160.0

/* Is u apart from each of the n events kept: more than a week or
 * SPACING_KM plus both radii away? Then its reports and look-alikes (a
 * 25 km news report, one four days later, one 100 km away) cannot be
 * told from another's by any rule. */
static bool
apart(const struct set *s, size_t n, const struct truce_event *u)
{
    for (size_t i = 0; i < n; i++) {
        const struct truce_event *v = &s->ev[i];
        int64_t lo = u->t0 > v->t0 ? u->t0 : v->t0,
                hi = u->t1 < v->t1 ? u->t1 : v->t1;
        /* intervals within a week of each other (UCDP's may be long) */
        if (lo - hi <= 7 * DAY &&
            km(u->lat, u->lon, v->lat, v->lon) <=
                SPACING_KM + fmax(u->radius_km, 25) + fmax(v->radius_km, 25))
            return false;
    }
    return true;
}


/* The reports as JSON Lines, shuffled, each with its label in notes. */
static int
write_jsonl(struct set *s, const char *path)
{
    FILE *f = fopen(path, "w");
    size_t *order = calloc(s->n ? s->n : 1, sizeof(*order));
    uint64_t shuffle = 0x9e3779b97f4a7c15ULL;
    struct truce_buf b;
    char label[32];
    if (!f || !order) {
        fprintf(stderr, "link_score: cannot write %s\n", path);
        return 2;
    }
    for (size_t i = 0; i < s->n; i++)
        order[i] = i;
    for (size_t i = s->n; i > 1; i--) {
        size_t j = (size_t)(uniform_from(&shuffle) * (double)i), t;
        j = j < i ? j : i - 1;
        t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    truce_buf_init(&b, 0);
    for (size_t i = 0; i < s->n; i++) {
        struct truce_event *e = &s->ev[order[i]];
        snprintf(label, sizeof(label), "label %zu", s->gold[order[i]]);
        free(e->notes);
        e->notes = strdup(label);
        b.len = 0;
        if (truce_event_to_json(e, NULL, 0, TRUCE_V_NOT_COVERED, false, NULL, &b) ||
            fprintf(f, "%s\n", b.buf) < 0) {
            fprintf(stderr, "link_score: cannot write %s\n", path);
            return 2;
        }
    }
    truce_buf_release(&b);
    free(order);
    return fclose(f) ? 2 : 0;
}

int
main(int argc, char **argv)
{
    struct truce_ctx *ctx;
    struct truce_reader *r;
    struct truce_actors *actors = NULL;
    struct truce_event u;
    struct set s = {0};
    size_t n_ucdp = 0, next_gold, *rep, n_inc, text_n;
    int year = argc > 3 ? atoi(argv[3]) : 2016, y, m, d;
    double p = 0, rc = 0;
    bool verbose = getenv("LINK_SCORE_VERBOSE") != NULL,
         all = getenv("LINK_SCORE_ALL") != NULL;
    size_t read = 0;
    long shown = 0;
    truce_status st;
    char *text;
    if (argc != 3 && argc != 4 && argc != 6) {
        fprintf(stderr, "usage: link_score UCDP.csv ACTORS.json [YEAR [MIN_P MIN_R]]\n");
        return 2;
    }
    if (truce_ctx_new(&ctx) || !(text = slurp(argv[2], &text_n)) ||
        truce_actors_parse(ctx, text, text_n, argv[2], &actors) ||
        truce_reader_open(ctx, argv[1], TRUCE_FMT_UCDP, &r)) {
        fprintf(stderr, "link_score: %s\n", ctx ? truce_ctx_errmsg(ctx) : "");
        return 2;
    }
    free(text);
    /* the UCDP events of the year, each its incident: those a reader
     * could tell apart from the ones kept before them (more than a week
     * or SPACING_KM plus their radii apart), unless LINK_SCORE_ALL */
    truce_event_init(&u);
    while ((st = truce_reader_next(r, &u)) != TRUCE_EOF) {
        if (st || u.radius_km < 0)
            continue;
        truce_civil_from_days(u.t0 / DAY, &y, &m, &d);
        if (y != year)
            continue;
        read++;
        if (!all && !apart(&s, n_ucdp, &u))
            continue;
        add(&s, &u, "ucdp", n_ucdp);
        n_ucdp++;
    }
    truce_event_release(&u);
    truce_reader_free(r);
    next_gold = n_ucdp;
    for (size_t k = 0; k < n_ucdp; k++) {
        struct truce_event base = s.ev[k];
        reports_of(&s, &base, k, &next_gold, k);
    }
    if (getenv("LINK_SCORE_JSONL") && write_jsonl(&s, getenv("LINK_SCORE_JSONL")))
        return 2;
    rep = calloc(s.n ? s.n : 1, sizeof(*rep));
    if (!rep || truce_link_events(ctx, s.ev, s.n, actors, rep, &n_inc)) {
        fprintf(stderr, "link_score: %s\n", truce_ctx_errmsg(ctx));
        return 2;
    }
    /* B-cubed: per event, the share of its incident that is its labelled
     * one (precision) and of its labelled one that is its incident
     * (recall); their means. |incident & labelled| by counting each
     * (labelled, found) pair after a sort. */
    {
        size_t *inc_size = calloc(s.n, sizeof(size_t)),
               *gold_size = calloc(next_gold, sizeof(size_t));
        struct pair *pairs = calloc(s.n, sizeof(*pairs));
        for (size_t i = 0; i < s.n; i++) {
            inc_size[rep[i]]++;
            gold_size[s.gold[i]]++;
            pairs[i] = (struct pair){s.gold[i], rep[i], i};
        }
        qsort(pairs, s.n, sizeof(*pairs), by_pair);
        for (size_t i = 0, j; i < s.n; i = j) {
            size_t both;
            for (j = i; j < s.n && pairs[j].gold == pairs[i].gold &&
                        pairs[j].rep == pairs[i].rep;
                 j++)
                ;
            both = j - i;
            for (size_t k = i; k < j; k++) {
                size_t e = pairs[k].event;
                p += (double)both / (double)inc_size[rep[e]];
                rc += (double)both / (double)gold_size[s.gold[e]];
                if (verbose && shown < 40 &&
                    (both != inc_size[rep[e]] || both != gold_size[s.gold[e]])) {
                    printf("# %s (labelled %zu) is with %s: %zu of its %zu, "
                           "%zu of the labelled %zu\n", s.ev[e].id, s.gold[e],
                           s.ev[rep[e]].id, both, inc_size[rep[e]], both,
                           gold_size[s.gold[e]]);
                    shown++;
                }
            }
        }
        free(pairs);
        free(inc_size);
        free(gold_size);
    }
    p /= (double)(s.n ? s.n : 1);
    rc /= (double)(s.n ? s.n : 1);
    printf("link: %zu UCDP events of %d (of %zu%s), %zu reports in all "
           "(%zu labelled incidents), %zu found: B-cubed precision %.3f, "
           "recall %.3f\n", n_ucdp, year, read,
           all ? ", all" : ", those apart", s.n, next_gold, n_inc, p, rc);
    for (size_t i = 0; i < s.n; i++)
        truce_event_release(&s.ev[i]);
    free(s.ev);
    free(s.gold);
    free(rep);
    truce_actors_free(actors);
    truce_ctx_free(ctx);
    if (argc == 6 && (p < atof(argv[4]) || rc < atof(argv[5]))) {
        printf("link: below the floor (precision %s, recall %s)\n", argv[4],
               argv[5]);
        return 1;
    }
    return 0;
}
