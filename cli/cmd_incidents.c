/*
 * cmd_incidents.c - `truce incidents` (DESIGN section 15): the stored
 * events grouped into the incidents they report (truce_link_events),
 * each with its reports, sources, representative, place, time, toll,
 * verdict and corroboration, as the store keeps them (truce_store_link
 * runs first, for events not linked yet). `truce link` (cmd_link) links,
 * splits and merges.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

struct rec {
    char *verdicts;        /* "agreement=verdict;..." of the stored ones */
    enum truce_verdict overall;
    int64_t key, incident;
};

struct all {
    struct truce_event *ev;
    struct rec *rec;
    size_t n, cap;
    bool oom;
};

static char *
dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static truce_status
keep(void *ud, struct truce_stored *r)
{
    struct all *a = ud;
    struct truce_event *e;
    struct truce_buf v;
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 1024;
        struct truce_event *ev = realloc(a->ev, cap * sizeof(*ev));
        struct rec *rec = ev ? realloc(a->rec, cap * sizeof(*rec)) : NULL;
        if (ev)
            a->ev = ev;
        if (!ev || !rec) {
            a->oom = true;
            return TRUCE_ENOMEM;
        }
        a->rec = rec;
        a->cap = cap;
    }
    e = &a->ev[a->n];
    truce_event_init(e);
    e->id = dup(r->ev.id);
    e->source = dup(r->ev.source);
    e->t0 = r->ev.t0;
    e->t1 = r->ev.t1;
    e->lat = r->ev.lat;
    e->lon = r->ev.lon;
    e->radius_km = r->ev.radius_km;
    e->category = r->ev.category;
    e->actor1 = dup(r->ev.actor1);
    e->actor2 = dup(r->ev.actor2);
    e->fatalities = r->ev.fatalities;
    truce_buf_init(&v, 0);
    for (size_t i = 0; i < r->n_as; i++)
        if (truce_buf_addf(&v, "%s=%s;", r->as[i].agreement_id,
                           truce_verdict_name(r->as[i].verdict)))
            a->oom = true;
    a->rec[a->n].verdicts = strdup(v.buf);
    a->rec[a->n].overall = r->overall;
    a->rec[a->n].key = r->key;
    a->rec[a->n].incident = r->incident;
    truce_buf_release(&v);
    a->n++;
    return a->oom ? TRUCE_ENOMEM : TRUCE_OK;
}

/* By incident (its representative's key), the representative first, then
 * in the store's order. */
static int
by_incident(const void *x, const void *y, void *ud)
{
    const struct rec *rec = ud;
    const struct rec *a = &rec[*(const size_t *)x], *b = &rec[*(const size_t *)y];
    bool ra = a->key == a->incident, rb = b->key == b->incident;
    if (a->incident != b->incident)
        return a->incident < b->incident ? -1 : 1;
    if (ra != rb)
        return ra ? -1 : 1;
    return (a->key > b->key) - (a->key < b->key);
}

/* The incident of the members m[0..k) (m[0] its representative). */
static json_t *
incident_json(const struct all *a, const size_t *m, size_t k)
{
    const struct truce_event *r = &a->ev[m[0]];
    json_t *o, *events = json_array(), *sources = json_array();
    long lo = -1, hi = -1;
    bool same = true;
    char d0[16], d1[16], id[300];
    for (size_t i = 0; i < k; i++) {
        const struct truce_event *e = &a->ev[m[i]];
        bool seen = false;
        json_array_append_new(events, json_string(e->id));
        for (size_t j = 0; j < json_array_size(sources); j++)
            seen |= !strcmp(json_string_value(json_array_get(sources, j)),
                            e->source ? e->source : "");
        if (!seen)
            json_array_append_new(sources, json_string(e->source ? e->source : ""));
        if (e->fatalities >= 0) {
            lo = lo < 0 || e->fatalities < lo ? e->fatalities : lo;
            hi = e->fatalities > hi ? e->fatalities : hi;
        }
        same &= !strcmp(a->rec[m[i]].verdicts, a->rec[m[0]].verdicts);
    }
    truce_format_day(r->t0 / 86400, d0);
    truce_format_day((r->t1 > r->t0 ? r->t1 - 1 : r->t0) / 86400, d1);
    snprintf(id, sizeof(id), "incident:%s", r->id);
    o = json_pack("{s:s,s:o,s:O,s:I,s:s,s:s,s:s,s:f,s:f,s:f,s:s}", "id", id,
                  "events", events, "sources", sources, "independent_sources",
                  (json_int_t)json_array_size(sources), "representative", r->id,
                  "date_start", d0, "date_end", d1, "lat", r->lat, "lon",
                  r->lon, "radius_km", r->radius_km, "category",
                  truce_category_name(r->category));
    json_object_set_new(o, "fatalities", r->fatalities >= 0
                                             ? json_integer(r->fatalities)
                                             : json_null());
    json_object_set_new(o, "fatalities_low", lo >= 0 ? json_integer(lo) : json_null());
    json_object_set_new(o, "fatalities_high", hi >= 0 ? json_integer(hi) : json_null());
    json_object_set_new(o, "verdict",
                        json_string(truce_verdict_name(a->rec[m[0]].overall)));
    /* corroborated: two sources or more agree on the verdict under every
     * agreement; contested: the members' verdicts differ */
    json_object_set_new(o, "corroboration",
                        json_string(json_array_size(sources) < 2 ? "single"
                                    : same                      ? "corroborated"
                                                                : "contested"));
    json_decref(sources);
    return o;
}

int
cmd_incidents(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"min-sources", required_argument, 0, 'm'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_query q = {0};
    struct truce_link_counts lc;
    struct all a = {0};
    size_t *order = NULL, n_inc = 0, shown = 0;
    long min_sources = 1;
    bool as_json = false;
    json_t *out = json_array();
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            min_sources = strtol(optarg, NULL, 10);
            if (min_sources < 1)
                return cli_fail(EXIT_USAGE, "--min-sources must be 1 or more");
            break;
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("incidents"));
        }
    }
    if (optind != argc)
        return cli_usage(cli_find("incidents"));
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    q.no_assessments = false;
    if (truce_store_link(c->store, actors, false, &lc) ||
        truce_store_query(c->store, &q, keep, &a) ||
        !(order = calloc(a.n ? a.n : 1, sizeof(*order)))) {
        rc = cli_fail(EXIT_INPUT, "%s", a.oom || (a.n && !order)
                                            ? "out of memory"
                                            : truce_ctx_errmsg(c->ctx));
        goto out;
    }
    /* members by incident, the representative first */
    for (size_t i = 0; i < a.n; i++)
        order[i] = i;
    qsort_r(order, a.n, sizeof(*order), by_incident, a.rec);
    for (size_t i = 0, j; i < a.n; i = j) {
        size_t *m = &order[i], k;
        json_t *inc;
        for (j = i; j < a.n && a.rec[order[j]].incident ==
                                   a.rec[order[i]].incident; j++)
            ;
        k = j - i;
        n_inc++;
        inc = incident_json(&a, m, k);
        if ((long)json_integer_value(json_object_get(inc, "independent_sources")) <
            min_sources) {
            json_decref(inc);
            continue;
        }
        json_array_append_new(out, inc);
        shown++;
    }
    if (as_json) {
        char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(8));
        puts(s ? s : "[]");
        free(s);
    } else {
        size_t i;
        json_t *x;
        json_array_foreach(out, i, x) {
            printf("%s  %s..%s  %s  %zu report%s (%s)  %s, %s\n",
                   json_string_value(json_object_get(x, "id")),
                   json_string_value(json_object_get(x, "date_start")),
                   json_string_value(json_object_get(x, "date_end")),
                   json_string_value(json_object_get(x, "category")),
                   json_array_size(json_object_get(x, "events")),
                   json_array_size(json_object_get(x, "events")) == 1 ? "" : "s",
                   json_string_value(json_array_get(json_object_get(x, "sources"), 0)),
                   json_string_value(json_object_get(x, "verdict")),
                   json_string_value(json_object_get(x, "corroboration")));
        }
        printf("%zu incident(s) of %zu report(s) shown, %zu in all\n", shown,
               a.n, n_inc);
    }
out:
    json_decref(out);
    for (size_t i = 0; i < a.n; i++) {
        truce_event_release(&a.ev[i]);
        free(a.rec[i].verdicts);
    }
    free(a.ev);
    free(a.rec);
    free(order);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

void
cli_print_link_counts(const struct truce_link_counts *lc, bool as_json)
{
    if (as_json) {
        printf("\"linked\": %ld, \"changed\": %ld, \"incidents\": %ld, "
               "\"all\": %s", lc->linked, lc->changed, lc->incidents,
               lc->all ? "true" : "false");
        return;
    }
    printf("linked %ld report%s into %ld incident%s (%ld moved)%s\n",
           lc->linked, lc->linked == 1 ? "" : "s", lc->incidents,
           lc->incidents == 1 ? "" : "s", lc->changed,
           lc->all ? ", every stored report" : "");
}

int
cli_link(struct cli *c, const struct truce_actors *actors, bool all,
         struct truce_link_counts *lc)
{
    if (truce_store_link(c->store, actors, all, lc))
        return cli_fail(EXIT_INPUT, "linking: %s", truce_ctx_errmsg(c->ctx));
    return 0;
}

/* The analyst's name in the audit trail: the login running the command. */
static const char *
cli_user(void)
{
    const char *u = getenv("USER");
    static char who[80];
    snprintf(who, sizeof(who), "cli:%s", u && *u ? u : "unknown");
    return who;
}

int
cmd_link(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"all", no_argument, 0, 'a'},
        {"split", required_argument, 0, 's'},
        {"merge", required_argument, 0, 'm'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    const char *split = NULL, *merge = NULL;
    struct truce_link_counts lc;
    bool all = false, as_json = false;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'a': all = true; break;
        case 's': split = optarg; break;
        case 'm': merge = optarg; break;
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("link"));
        }
    }
    /* --merge A B: the second event follows the options */
    if ((split && merge) || optind != argc - (merge ? 1 : 0))
        return cli_usage(cli_find("link"));
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    if ((split || merge) &&
        truce_store_link_rule(c->store,
                              split ? TRUCE_LINK_SPLIT : TRUCE_LINK_MERGE,
                              split ? split : merge,
                              merge ? argv[optind] : NULL, cli_user())) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    if (!(rc = cli_link(c, actors, all, &lc))) {
        fputs(as_json ? "{" : "", stdout);
        cli_print_link_counts(&lc, as_json);
        fputs(as_json ? "}\n" : "", stdout);
    }
out:
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}
