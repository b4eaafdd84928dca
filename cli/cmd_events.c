/*
 * cmd_events.c - `truce events` (stored events with their verdicts, as
 * JSON, JSON Lines, CSV or GeoJSON, streamed) and `truce explain` (one
 * event, every agreement's verdict with its chain of facts).
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

enum out_format { OUT_JSON, OUT_JSONL, OUT_CSV, OUT_GEOJSON };

struct emit {
    enum out_format fmt;
    long n;
    struct truce_buf buf;
    struct cli *c;
    struct truce_actors *actors;    /* to word the explanations */
    struct truce_agreements *set;
};

static void
csv_header(void)
{
    puts("id,source,source_id,date_start,date_end,time,lat,lon,radius_km,"
         "category,subcategory,directed,actor1,actor2,fatalities,"
         "civilian_targeting,protected_site,location,admin1,verdict");
}

static void
csv_row(const struct truce_stored *rec)
{
    const struct truce_event *ev = &rec->ev;
    char d0[32], d1[32], t[40];
    cli_csv_times(ev, d0, d1, t);
    cli_csv_field(stdout, ev->id);
    putchar(',');
    cli_csv_field(stdout, ev->source);
    putchar(',');
    cli_csv_field(stdout, ev->source_id);
    printf(",%s,%s,%s,%.6f,%.6f,", d0, d1, t, ev->lat, ev->lon);
    if (ev->radius_km >= 0)
        printf("%g", ev->radius_km);
    printf(",%s,", truce_category_name(ev->category));
    cli_csv_field(stdout, ev->subcategory);
    printf(",%s,", ev->directed ? "true" : "false");
    cli_csv_field(stdout, ev->actor1);
    putchar(',');
    cli_csv_field(stdout, ev->actor2);
    putchar(',');
    if (ev->fatalities >= 0)
        printf("%lld", (long long)ev->fatalities);
    printf(",%s,%s,", ev->civilian_targeting ? "true" : "false",
           ev->protected_site ? "true" : "false");
    cli_csv_field(stdout, ev->location);
    putchar(',');
    cli_csv_field(stdout, ev->admin1);
    printf(",%s\n", rec->assessed ? truce_verdict_name(rec->overall) : "");
}

static truce_status
emit_one(void *ud, struct truce_stored *rec)
{
    struct emit *e = ud;
    truce_status st;
    if (e->fmt == OUT_CSV) {
        csv_row(rec);
        e->n++;
        return TRUCE_OK;
    }
    truce_buf_reset(&e->buf);
    if (rec->assessed &&
        (st = truce_explain_stored(e->c->ctx, e->set, e->actors, &rec->ev,
                                   rec->as, rec->n_as)))
        return st;
    st = truce_event_to_json(&rec->ev, rec->as, rec->n_as, rec->overall,
                             rec->assessed, NULL, &e->buf);
    if (st)
        return st;
    if (e->fmt == OUT_JSONL) {
        puts(e->buf.buf);
    } else if (e->fmt == OUT_JSON) {
        printf("%s\n  %s", e->n ? "," : "", e->buf.buf);
    } else {
        printf("%s\n  {\"type\": \"Feature\", \"geometry\": {\"type\": "
               "\"Point\", \"coordinates\": [%.6f, %.6f]}, \"properties\": "
               "%s}",
               e->n ? "," : "", rec->ev.lon, rec->ev.lat, e->buf.buf);
    }
    e->n++;
    return TRUCE_OK;
}

int
cli_query_opt(int ch, const char *arg, struct truce_query *q)
{
    int64_t day;
    int v;
    switch (ch) {
    case 'a': q->agreement = arg; return 0;
    case 'v':
        if ((v = truce_verdict_parse(arg)) < 0)
            return cli_fail(EXIT_USAGE, "--verdict must be one of %s",
                            TRUCE_NAME_LIST(TRUCE_VERDICTS));
        q->has_verdict = true;
        q->verdict = (enum truce_verdict)v;
        return 0;
    case 'F':
        if (!cli_parse_day(arg, &day))
            return cli_fail(EXIT_USAGE, "--from: not a date: '%s'", arg);
        q->has_from = true;
        q->from = day * 86400;
        return 0;
    case 'T':
        if (!cli_parse_day(arg, &day))
            return cli_fail(EXIT_USAGE, "--to: not a date: '%s'", arg);
        q->has_to = true;
        q->to = (day + 1) * 86400;
        return 0;
    case 'b':
        if (!truce_parse_bbox(arg, q->bbox))
            return cli_fail(EXIT_USAGE, "--bbox must be W,S,E,N in degrees");
        q->has_bbox = true;
        return 0;
    default:
        return -1;
    }
}

int
cmd_events(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"agreement", required_argument, 0, 'a'},
        {"verdict", required_argument, 0, 'v'},
        {"from", required_argument, 0, 'F'},
        {"to", required_argument, 0, 'T'},
        {"bbox", required_argument, 0, 'b'},
        {"format", required_argument, 0, 'f'},
        {"limit", required_argument, 0, 'l'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct truce_query q = {0};
    struct emit e = {OUT_JSON, 0, {0}, c, NULL, NULL};
    char *end;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (!strcmp(optarg, "json")) e.fmt = OUT_JSON;
            else if (!strcmp(optarg, "jsonl")) e.fmt = OUT_JSONL;
            else if (!strcmp(optarg, "csv")) e.fmt = OUT_CSV;
            else if (!strcmp(optarg, "geojson")) e.fmt = OUT_GEOJSON;
            else
                return cli_fail(EXIT_USAGE, "--format must be json, jsonl, "
                                "csv or geojson");
            break;
        case 'l':
            q.limit = strtol(optarg, &end, 10);
            if (*end || q.limit <= 0)
                return cli_fail(EXIT_USAGE, "--limit must be a positive "
                                "number");
            break;
        case 'D': c->db = optarg; break;
        default:
            if ((rc = cli_query_opt(ch, optarg, &q)) < 0)
                return cli_usage(cli_find("events"));
            if (rc)
                return rc;
        }
    }
    if (optind != argc)
        return cli_usage(cli_find("events"));
    if (e.fmt != OUT_CSV && (rc = cli_model(c, &e.actors, &e.set)))
        return rc;
    if ((rc = cli_store(c)))
        return rc;
    truce_buf_init(&e.buf, 0);
    if (e.fmt == OUT_JSON)
        printf("{\"events\": [");
    else if (e.fmt == OUT_GEOJSON)
        printf("{\"type\": \"FeatureCollection\", \"features\": [");
    else if (e.fmt == OUT_CSV)
        csv_header();
    if (truce_store_query(c->store, &q, emit_one, &e))
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    if (e.fmt == OUT_JSON || e.fmt == OUT_GEOJSON)
        printf("%s]}\n", e.n ? "\n" : "");
    truce_buf_release(&e.buf);
    truce_agreements_free(e.set);
    truce_actors_free(e.actors);
    return rc;
}

/* ------------------------------------------------------------ explain */

struct explain {
    struct cli *c;
    bool as_json, found;
    int rc;
    struct truce_actors *actors;
    struct truce_agreements *set;
};

static void
print_text(const struct truce_stored *rec, const struct truce_assessment *as,
           size_t n, enum truce_verdict overall, bool fresh)
{
    const struct truce_event *ev = &rec->ev;
    printf("%s  %s", ev->id, truce_category_name(ev->category));
    if (ev->subcategory)
        printf(" (%s)", ev->subcategory);
    printf("%s%s\n", ev->location ? "  " : "", ev->location ? ev->location
                                                             : "");
    printf("overall verdict: %s%s\n", truce_verdict_name(overall),
           fresh ? " (assessed now: the stored verdict is pending)" : "");
    for (size_t i = 0; i < n; i++) {
        printf("\n[%s] %s", as[i].agreement_id,
               truce_verdict_name(as[i].verdict));
        printf(" (%s)", truce_reason_name(as[i].reason));
        if (as[i].verdict == TRUCE_V_VIOLATION) {
            printf(" side %s; guarantors", as[i].side ? as[i].side : "null");
            for (size_t g = 0; g < as[i].n_guarantors; g++)
                printf(" %s", as[i].guarantors[g]);
        }
        printf("\n  %s\n", as[i].explanation.buf);
    }
    if (n == 0)
        puts("no agreement is loaded: the event is not covered");
}

static truce_status
explain_one(void *ud, struct truce_stored *rec)
{
    struct explain *x = ud;
    struct truce_assessment *as = rec->as;
    size_t n = rec->n_as;
    enum truce_verdict overall = rec->overall;
    bool fresh = !rec->assessed;
    json_t *inc = NULL;
    x->found = true;
    if (fresh) {
        n = truce_agreements_count(x->set);
        as = calloc(n ? n : 1, sizeof(*as));
        for (size_t i = 0; as && i < n; i++)
            truce_assessment_init(&as[i]);
        if (!as || truce_assess_event(x->c->ctx, x->set, x->actors, &rec->ev,
                                      0, as, &overall)) {
            x->rc = cli_fail(EXIT_INPUT, "cannot assess '%s'", rec->ev.id);
            n = as ? n : 0;
            goto out;
        }
    } else if (truce_explain_stored(x->c->ctx, x->set, x->actors, &rec->ev,
                                    as, n)) {
        x->rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(x->c->ctx));
        return TRUCE_EINVAL;
    }
    if ((x->rc = cli_incident_of(x->c, x->actors, rec, &inc)))
        goto out;
    if (x->as_json) {
        struct truce_buf b;
        char *text = inc ? json_dumps(inc, JSON_COMPACT | JSON_PRESERVE_ORDER)
                         : NULL;
        truce_buf_init(&b, 0);
        /* the event object, and its incident as one more member */
        if (!truce_event_to_json(&rec->ev, as, n, overall, true, NULL, &b) &&
            b.len && b.buf[b.len - 1] == '}')
            printf("%.*s, \"incident\": %s}\n", (int)b.len - 1, b.buf,
                   text ? text : "null");
        free(text);
        truce_buf_release(&b);
    } else {
        print_text(rec, as, n, overall, fresh);
        if (inc && json_array_size(json_object_get(inc, "reports")) > 1)
            cli_print_incident(inc, rec->ev.id);
    }
    json_decref(inc);
out:
    if (fresh) {
        for (size_t i = 0; as && i < n; i++)
            truce_assessment_release(&as[i]);
        free(as);
    }
    return TRUCE_OK;
}

int
cmd_explain(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct explain x = {c, false, false, 0, NULL, NULL};
    struct truce_query q = {0};
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "text"))
                return cli_fail(EXIT_USAGE, "--format must be text or json");
            x.as_json = strcmp(optarg, "json") == 0;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("explain"));
        }
    }
    if (optind != argc - 1)
        return cli_usage(cli_find("explain"));
    if ((rc = cli_model(c, &x.actors, &x.set)))
        return rc;
    q.id = argv[optind];
    if (truce_store_query(c->store, &q, explain_one, &x) && !x.rc)
        x.rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    else if (!x.rc && !x.found)
        x.rc = cli_fail(EXIT_INPUT, "no event '%s' in '%s'", q.id, c->db);
    truce_agreements_free(x.set);
    truce_actors_free(x.actors);
    return x.rc;
}
