/*
 * cmd_incidents.c - `truce incidents` (DESIGN section 15): the stored
 * events grouped into the incidents they report, each with its reports,
 * sources, representative, place, time, toll, verdict and corroboration,
 * as the store keeps them (truce_store_link runs first, for events not
 * linked yet), streamed in incident order; and `truce link`, which links,
 * splits and merges.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

enum inc_format { INC_TEXT, INC_JSON, INC_CSV, INC_GEOJSON };

struct listing {
    struct cli *c;
    struct truce_incident *in;
    const struct truce_query *filter; /* applied to the representative */
    long min_sources;
    enum inc_format fmt;
    bool rep_selected;
    bool oom;
    size_t shown, all;
    struct truce_buf buf;
};

/* Does the representative pass the filters (those of truce events)? */
static bool
selected(const struct truce_query *f, const struct truce_stored *rec)
{
    const struct truce_event *ev = &rec->ev;
    int64_t end = ev->t1 > ev->t0 ? ev->t1 : ev->t0 + 1;
    if ((f->has_from && end <= f->from) || (f->has_to && ev->t0 >= f->to))
        return false;
    if (f->agreement) {
        for (size_t i = 0; i < rec->n_as; i++)
            if (!strcmp(rec->as[i].agreement_id, f->agreement))
                return !f->has_verdict || rec->as[i].verdict == f->verdict;
        return false;
    }
    return !f->has_verdict || (rec->assessed && rec->overall == f->verdict);
}

static void
csv_header(void)
{
    puts("id,representative,events,sources,independent_sources,date_start,"
         "date_end,lat,lon,radius_km,category,fatalities,fatalities_low,"
         "fatalities_high,verdict,corroboration");
}

/* A JSON value as a CSV cell: strings as they are, arrays joined by ';'. */
static void
csv_cell(json_t *v)
{
    if (json_is_string(v)) {
        cli_csv_field(stdout, json_string_value(v));
    } else if (json_is_array(v)) {
        struct truce_buf b;
        size_t i;
        json_t *x;
        truce_buf_init(&b, 0);
        json_array_foreach(v, i, x)
            truce_buf_addf(&b, "%s%s", i ? ";" : "", json_string_value(x));
        cli_csv_field(stdout, b.buf);
        truce_buf_release(&b);
    } else if (!json_is_null(v) && v) {
        char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
        fputs(t ? t : "", stdout);
        free(t);
    }
}

static void
csv_row(json_t *o)
{
    static const char *const cols[] = {
        "id", "representative", "events", "sources", "independent_sources",
        "date_start", "date_end", "lat", "lon", "radius_km", "category",
        "fatalities", "fatalities_low", "fatalities_high", "verdict",
        "corroboration"};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        if (i)
            putchar(',');
        csv_cell(json_object_get(o, cols[i]));
    }
    putchar('\n');
}

/* The incident gathered so far, printed when it passes the filters. */
static truce_status
finish(struct listing *l)
{
    json_t *o;
    json_error_t err;
    struct truce_buf words;
    if (!truce_incident_reports(l->in))
        return TRUCE_OK;
    l->all++;
    if (!l->rep_selected ||
        (long)truce_incident_sources(l->in) < l->min_sources)
        goto out;
    truce_buf_reset(&l->buf);
    if (truce_incident_to_json(l->c->ctx, l->in, &l->buf))
        return TRUCE_EINVAL;
    if (!(o = json_loadb(l->buf.buf, l->buf.len, 0, &err))) {
        l->oom = true;
        return TRUCE_ENOMEM;
    }
    switch (l->fmt) {
    case INC_JSON:
        printf("%s\n  %s", l->shown ? "," : "", l->buf.buf);
        break;
    case INC_GEOJSON:
        printf("%s\n  {\"type\": \"Feature\", \"geometry\": {\"type\": "
               "\"Point\", \"coordinates\": [%.6f, %.6f]}, \"properties\": "
               "%s}",
               l->shown ? "," : "",
               json_real_value(json_object_get(o, "lon")),
               json_real_value(json_object_get(o, "lat")), l->buf.buf);
        break;
    case INC_CSV:
        csv_row(o);
        break;
    case INC_TEXT:
        truce_buf_init(&words, 0);
        truce_incident_sources_words(l->c->ctx, l->in, &words);
        printf("%s  %s..%s  %s  %zu report%s (%s)  %s, %s\n",
               json_string_value(json_object_get(o, "id")),
               json_string_value(json_object_get(o, "date_start")),
               json_string_value(json_object_get(o, "date_end")),
               json_string_value(json_object_get(o, "category")),
               truce_incident_reports(l->in),
               truce_incident_reports(l->in) == 1 ? "" : "s", words.buf,
               json_is_string(json_object_get(o, "verdict"))
                   ? json_string_value(json_object_get(o, "verdict"))
                   : "pending",
               json_string_value(json_object_get(o, "corroboration")));
        truce_buf_release(&words);
        break;
    }
    json_decref(o);
    l->shown++;
out:
    truce_incident_reset(l->in);
    l->rep_selected = false;
    return TRUCE_OK;
}

static truce_status
list_one(void *ud, struct truce_stored *rec)
{
    struct listing *l = ud;
    bool other;
    truce_status rc = truce_incident_add(l->c->ctx, l->in, rec, &other);
    if (!rc && other && !(rc = finish(l)))
        rc = truce_incident_add(l->c->ctx, l->in, rec, &other);
    if (!rc && rec->key == truce_incident_key(l->in))
        l->rep_selected = selected(l->filter, rec);
    return rc;
}

int
cmd_incidents(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"agreement", required_argument, 0, 'a'},
        {"verdict", required_argument, 0, 'v'},
        {"from", required_argument, 0, 'F'},
        {"to", required_argument, 0, 'T'},
        {"min-sources", required_argument, 0, 'm'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_query q = {0}, filter = {0};
    struct truce_link_counts lc;
    struct listing l = {0};
    int ch, rc;
    optind = 1;
    l.c = c;
    l.min_sources = 1;
    l.filter = &filter;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            l.min_sources = strtol(optarg, NULL, 10);
            if (l.min_sources < 1)
                return cli_fail(EXIT_USAGE, "--min-sources must be 1 or more");
            break;
        case 'f':
            if (!strcmp(optarg, "text")) l.fmt = INC_TEXT;
            else if (!strcmp(optarg, "json")) l.fmt = INC_JSON;
            else if (!strcmp(optarg, "csv")) l.fmt = INC_CSV;
            else if (!strcmp(optarg, "geojson")) l.fmt = INC_GEOJSON;
            else
                return cli_fail(EXIT_USAGE, "--format must be text, json, "
                                "csv or geojson");
            break;
        case 'D': c->db = optarg; break;
        default:
            if ((rc = cli_query_opt(ch, optarg, &filter)) < 0)
                return cli_usage(cli_find("incidents"));
            if (rc)
                return rc;
        }
    }
    if (optind != argc)
        return cli_usage(cli_find("incidents"));
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    if (truce_incident_new(c->ctx, &l.in) ||
        truce_store_link(c->store, false, &lc)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    truce_buf_init(&l.buf, 0);
    if (l.fmt == INC_JSON)
        fputs("[", stdout);
    else if (l.fmt == INC_GEOJSON)
        fputs("{\"type\": \"FeatureCollection\", \"features\": [", stdout);
    else if (l.fmt == INC_CSV)
        csv_header();
    q.order_by_incident = true;
    if (truce_store_query(c->store, &q, list_one, &l) || finish(&l))
        rc = cli_fail(EXIT_INPUT, "%s", l.oom ? "out of memory"
                                              : truce_ctx_errmsg(c->ctx));
    if (l.fmt == INC_JSON)
        printf("%s]\n", l.shown ? "\n" : "");
    else if (l.fmt == INC_GEOJSON)
        printf("%s]}\n", l.shown ? "\n" : "");
    else if (l.fmt == INC_TEXT)
        printf("%zu incident(s) shown, %zu in all\n", l.shown, l.all);
    truce_buf_release(&l.buf);
out:
    truce_incident_free(l.in);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

/* ---------------------------------------------------------------- link */

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
cli_link(struct cli *c, bool all, struct truce_link_counts *lc)
{
    if (truce_store_link(c->store, all, lc))
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
    if ((rc = cli_store(c)))
        return rc;
    if ((split || merge) &&
        truce_store_link_rule(c->store,
                              split ? TRUCE_LINK_SPLIT : TRUCE_LINK_MERGE,
                              split ? split : merge,
                              merge ? argv[optind] : NULL, cli_user())) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    if (!(rc = cli_link(c, all, &lc))) {
        fputs(as_json ? "{" : "", stdout);
        cli_print_link_counts(&lc, as_json);
        fputs(as_json ? "}\n" : "", stdout);
    }
out:
    return rc;
}

/* ------------------------------------------------ an event's incident */

int
cli_incident_of(struct cli *c, const struct truce_actors *actors,
                const struct truce_stored *rec, json_t **out)
{
    struct truce_buf b;
    json_error_t err;
    int rc = 0;
    *out = NULL;
    if (!rec->incident)
        return 0;
    truce_buf_init(&b, 0);
    if (truce_store_incident_json(c->store, actors, rec->incident, &b))
        rc = cli_fail(EXIT_INPUT, "the incident of '%s': %s", rec->ev.id,
                      truce_ctx_errmsg(c->ctx));
    else if (!(*out = json_loadb(b.buf, b.len, 0, &err)))
        rc = cli_fail(EXIT_INPUT, "out of memory");
    truce_buf_release(&b);
    return rc;
}

void
cli_print_incident(json_t *inc, const char *event_id)
{
    size_t i;
    json_t *r, *d;
    json_t *reports = json_object_get(inc, "reports");
    printf("\nincident %s: %zu report%s, %s\n",
           json_string_value(json_object_get(inc, "id")),
           json_array_size(reports), json_array_size(reports) == 1 ? "" : "s",
           json_string_value(json_object_get(inc, "corroboration")));
    json_array_foreach(reports, i, r) {
        const char *id = json_string_value(json_object_get(r, "id"));
        printf("  %s (%s)%s%s%s\n", id,
               json_string_value(json_object_get(r, "source")),
               json_is_true(json_object_get(r, "representative"))
                   ? ": the representative"
                   : ": ",
               json_string_value(json_object_get(r, "why"))
                   ? json_string_value(json_object_get(r, "why"))
                   : "",
               !strcmp(id, event_id) ? " (this report)" : "");
    }
    json_array_foreach(json_object_get(inc, "contested"), i, d) {
        const char *id;
        json_t *v;
        bool first = true;
        printf("  the reports differ under %s:",
               json_string_value(json_object_get(d, "agreement")));
        json_object_foreach(json_object_get(d, "verdicts"), id, v) {
            printf("%s %s %s (%s)", first ? "" : ",", id,
                   json_string_value(json_object_get(v, "verdict")),
                   json_string_value(json_object_get(v, "reason")));
            first = false;
        }
        putchar('\n');
    }
}
