/*
 * cmd_summary.c - `truce summary`: what the store says, at a glance: events
 * by overall verdict, each agreement's verdicts by reason, violations by
 * side and guarantor, and the notable events (protected sites, most
 * fatalities) with their explanations. One pass over the events.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_NOTABLE 5

struct notable {
    char *id, *agreement, *explanation;
    long long fatalities;
    bool protected_site;
};

struct summary {
    long events, assessed;
    long overall[TRUCE_V_VIOLATION + 1];
    json_t *by_reason;   /* agreement -> "verdict/reason" -> count */
    json_t *by_side;     /* agreement -> side (guarantor) -> count */
    struct notable top[MAX_NOTABLE];
    size_t n_top;
    const char *only;    /* one agreement, or NULL */
    struct cli *c;
    struct truce_actors *actors;
    struct truce_agreements *set;
};

static void
bump(json_t *o, const char *k1, const char *k2)
{
    json_t *inner = json_object_get(o, k1), *v;
    if (!inner) {
        inner = json_object();
        json_object_set_new(o, k1, inner);
    }
    v = json_object_get(inner, k2);
    json_object_set_new(inner, k2,
                        json_integer(v ? json_integer_value(v) + 1 : 1));
}

/* Keeps the most notable violations: protected sites first, then by
 * fatalities. */
static void
consider(struct summary *s, const struct truce_event *ev,
         struct truce_assessment *as)
{
    struct notable cand = {0};
    size_t pos;
    long long fat = ev->fatalities < 0 ? 0 : ev->fatalities;
    for (pos = 0; pos < s->n_top; pos++) {
        const struct notable *t = &s->top[pos];
        if (!strcmp(t->id, ev->id))
            return;
        if (ev->protected_site > t->protected_site ||
            (ev->protected_site == t->protected_site && fat > t->fatalities))
            break;
    }
    if (pos >= MAX_NOTABLE ||
        truce_explain_stored(s->c->ctx, s->set, s->actors, ev, as, 1))
        return;
    cand.id = strdup(ev->id);
    cand.agreement = strdup(as->agreement_id);
    cand.explanation = strdup(as->explanation.buf);
    cand.fatalities = fat;
    cand.protected_site = ev->protected_site;
    if (s->n_top == MAX_NOTABLE) {
        struct notable *last = &s->top[MAX_NOTABLE - 1];
        free(last->id);
        free(last->agreement);
        free(last->explanation);
        s->n_top--;
    }
    memmove(&s->top[pos + 1], &s->top[pos],
            (s->n_top - pos) * sizeof(s->top[0]));
    s->top[pos] = cand;
    s->n_top++;
}

static truce_status
tally(void *ud, struct truce_stored *rec)
{
    struct summary *s = ud;
    bool counted = false;
    s->events++;
    if (!rec->assessed)
        return TRUCE_OK;
    s->assessed++;
    s->overall[rec->overall]++;
    for (size_t i = 0; i < rec->n_as; i++) {
        struct truce_assessment *as = &rec->as[i];
        char key[128];
        if (s->only && strcmp(s->only, as->agreement_id))
            continue;
        snprintf(key, sizeof(key), "%s/%s", truce_verdict_name(as->verdict),
                 truce_reason_name(as->reason));
        bump(s->by_reason, as->agreement_id, key);
        if (as->verdict != TRUCE_V_VIOLATION)
            continue;
        if (as->side)
            snprintf(key, sizeof(key), "%s (%s)", as->side,
                     as->n_guarantors ? as->guarantors[0] : "no guarantor");
        else
            snprintf(key, sizeof(key), "mutual: %zu sides", as->n_sides);
        bump(s->by_side, as->agreement_id, key);
        if (!counted) {
            consider(s, &rec->ev, as);
            counted = true;
        }
    }
    return TRUCE_OK;
}

static int
verdict_rank(const char *key)
{
    static const char *const order[] = {"violation", "undetermined",
                                        "permitted", "not_applicable"};
    for (int i = 0; i < 4; i++) {
        if (!strncmp(key, order[i], strlen(order[i])))
            return i;
    }
    return 4;
}

static int
cmp_keys(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int d = verdict_rank(x) - verdict_rank(y);
    return d ? d : strcmp(x, y);
}

static void
print_nested(const char *title, json_t *o)
{
    const char *agr, *k, *keys[64];
    json_t *inner, *v;
    printf("\n%s\n", title);
    if (!json_object_size(o))
        printf("  (none)\n");
    json_object_foreach(o, agr, inner) {
        size_t n = 0;
        printf("  %s\n", agr);
        json_object_foreach(inner, k, v) {
            if (n < 64)
                keys[n++] = k;
        }
        qsort(keys, n, sizeof(keys[0]), cmp_keys);
        for (size_t i = 0; i < n; i++)
            printf("    %-36s %6lld\n", keys[i],
                   (long long)json_integer_value(json_object_get(inner,
                                                                 keys[i])));
    }
}

static void
print_text(const struct summary *s, const char *db)
{
    static const enum truce_verdict order[] = {
        TRUCE_V_VIOLATION, TRUCE_V_UNDETERMINED, TRUCE_V_PERMITTED,
        TRUCE_V_NOT_COVERED};
    printf("%ld events in '%s', %ld assessed\n", s->events, db, s->assessed);
    printf("\nOverall verdicts (the strongest over all agreements)\n");
    for (size_t i = 0; i < 4; i++)
        printf("  %-36s %6ld\n", truce_verdict_name(order[i]),
               s->overall[order[i]]);
    print_nested("Verdicts by agreement and reason", s->by_reason);
    print_nested("Violations by side (guarantor)", s->by_side);
    printf("\nNotable violations (protected sites first, then fatalities)\n");
    if (!s->n_top)
        printf("  (none)\n");
    for (size_t i = 0; i < s->n_top; i++)
        printf("\n  %s%s, %lld killed, under %s:\n    %s\n", s->top[i].id,
               s->top[i].protected_site ? " [protected site]" : "",
               s->top[i].fatalities, s->top[i].agreement,
               s->top[i].explanation);
}

static void
print_json(const struct summary *s)
{
    json_t *doc = json_object(), *ov = json_object(), *top = json_array();
    char *text;
    for (int v = TRUCE_V_NOT_COVERED; v <= TRUCE_V_VIOLATION; v++) {
        if (v != TRUCE_V_NOT_APPLICABLE)
            json_object_set_new(ov, truce_verdict_name((enum truce_verdict)v),
                                json_integer(s->overall[v]));
    }
    for (size_t i = 0; i < s->n_top; i++)
        json_array_append_new(
            top, json_pack("{s:s,s:s,s:I,s:b,s:s}", "id", s->top[i].id,
                           "agreement", s->top[i].agreement, "fatalities",
                           (json_int_t)s->top[i].fatalities, "protected_site",
                           s->top[i].protected_site, "explanation",
                           s->top[i].explanation));
    json_object_set_new(doc, "events", json_integer(s->events));
    json_object_set_new(doc, "assessed", json_integer(s->assessed));
    json_object_set_new(doc, "overall", ov);
    json_object_set(doc, "by_reason", s->by_reason);
    json_object_set(doc, "violations_by_side", s->by_side);
    json_object_set_new(doc, "notable", top);
    text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(text);
    free(text);
    json_decref(doc);
}

int
cmd_summary(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"agreement", required_argument, 0, 'a'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct summary s = {0};
    struct truce_query q = {0};
    bool as_json = false;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'a': s.only = optarg; break;
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("summary"));
        }
    }
    if (optind != argc)
        return cli_usage(cli_find("summary"));
    if ((rc = cli_model(c, &s.actors, &s.set)))
        return rc;
    s.c = c;
    s.by_reason = json_object();
    s.by_side = json_object();
    if (truce_store_query(c->store, &q, tally, &s))
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    else if (as_json)
        print_json(&s);
    else
        print_text(&s, c->db);
    for (size_t i = 0; i < s.n_top; i++) {
        free(s.top[i].id);
        free(s.top[i].agreement);
        free(s.top[i].explanation);
    }
    json_decref(s.by_reason);
    json_decref(s.by_side);
    truce_agreements_free(s.set);
    truce_actors_free(s.actors);
    return rc;
}
