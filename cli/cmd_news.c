/*
 * cmd_news.c - reading the news (DESIGN section 9): `truce gazetteer
 * load`, the places news reports are placed by.
 *
 * A gazetteer file is stored in one transaction: every row is stored
 * (inserted, updated or unchanged) or rejected with its line, and a run
 * that fails (the file cannot be read, the store cannot write) stores
 * nothing, so a rerun completes it.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

struct gz_tally {
    long read, inserted, updated, unchanged, rejected;
};

/* Stores every place of the reader; a status other than OK means the run
 * failed and must be rolled back (the message says why). */
static truce_status
load_places(struct cli *c, struct truce_gazetteer_reader *r, const char *path,
            struct gz_tally *t)
{
    struct truce_place p;
    truce_status rc;
    truce_place_init(&p);
    while ((rc = truce_gazetteer_reader_next(r, &p)) != TRUCE_EOF) {
        enum truce_put_result res;
        if (rc == TRUCE_EPARSE) {
            t->read++;
            t->rejected++;
            cli_input_error(path, truce_ctx_errline(c->ctx),
                            truce_ctx_errmsg(c->ctx));
            continue;
        }
        if (rc)
            break;
        t->read++;
        if ((rc = truce_store_put_place(c->store, &p, &res)))
            break;
        t->inserted += res == TRUCE_PUT_INSERTED;
        t->updated += res == TRUCE_PUT_UPDATED;
        t->unchanged += res == TRUCE_PUT_UNCHANGED;
    }
    truce_place_release(&p);
    return rc == TRUCE_EOF ? TRUCE_OK : rc;
}

static int
gazetteer_load(struct cli *c, const char *path, const char *country,
               bool as_json)
{
    struct truce_gazetteer_reader *r = NULL;
    struct gz_tally t = {0};
    truce_status rc;
    int code;
    if ((code = cli_store(c)))
        return code;
    if (truce_gazetteer_reader_open(c->ctx, path, country, &r)) {
        cli_input_error(path, truce_ctx_errline(c->ctx),
                        truce_ctx_errmsg(c->ctx));
        return EXIT_INPUT;
    }
    if ((rc = truce_store_begin(c->store)) ||
        (rc = load_places(c, r, path, &t)) ||
        (rc = truce_store_commit(c->store))) {
        /* the message first: the rollback empties it */
        cli_input_error(path, 0, truce_ctx_errmsg(c->ctx));
        truce_store_rollback(c->store);
        truce_gazetteer_reader_free(r);
        fprintf(stderr, "truce: %s: nothing was stored; run it again once "
                "that is mended\n", path);
        return EXIT_INPUT;
    }
    if (as_json) {
        json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "file", path,
                              "read", (json_int_t)t.read, "inserted",
                              (json_int_t)t.inserted, "updated",
                              (json_int_t)t.updated, "unchanged",
                              (json_int_t)t.unchanged, "rejected",
                              (json_int_t)t.rejected, "other_countries",
                              (json_int_t)truce_gazetteer_reader_filtered(r));
        char *text = o ? json_dumps(o, JSON_PRESERVE_ORDER) : NULL;
        puts(text ? text : "{}");
        free(text);
        json_decref(o);
    } else
        printf("%s: read %ld, inserted %ld, updated %ld, unchanged %ld, "
               "rejected %ld%s\n", path, t.read, t.inserted, t.updated,
               t.unchanged, t.rejected,
               truce_gazetteer_reader_filtered(r) ? " (and rows of other "
                                                    "countries left out)"
                                                  : "");
    truce_gazetteer_reader_free(r);
    if (t.read > 0 && t.read == t.rejected) {
        cli_input_error(path, 0, "nothing could be stored: every row was "
                        "rejected");
        return EXIT_INPUT;
    }
    if (t.read == 0) {
        cli_input_error(path, 0, country ? "nothing could be stored: no "
                        "place of that country" : "nothing could be "
                        "stored: the file holds no places");
        return EXIT_INPUT;
    }
    return 0;
}

int
cmd_gazetteer(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"country", required_argument, 0, 'c'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *country = NULL;
    bool as_json = false;
    int ch;
    if (argc < 2 || strcmp(argv[1], "load"))
        return cli_usage(cli_find("gazetteer"));
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            country = optarg;
            if (strlen(country) != 2 || !isalpha((unsigned char)country[0]) ||
                !isalpha((unsigned char)country[1]))
                return cli_fail(EXIT_USAGE, "--country must be a two-letter "
                                "country code (SY)");
            break;
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("gazetteer"));
        }
    }
    if (optind != argc - 2)
        return cli_usage(cli_find("gazetteer"));
    return gazetteer_load(c, argv[1 + optind], country, as_json);
}

/* ---------------------------------------------------------- extract */

/* Reads FILE or stdin ("-") whole. */
static char *
read_input(const char *path, size_t *n)
{
    struct truce_buf b;
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    char chunk[65536];
    size_t k;
    if (!f) {
        cli_input_error(path, 0, "cannot be read");
        return NULL;
    }
    truce_buf_init(&b, 0);
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (truce_buf_add(&b, chunk, k)) {
            truce_buf_release(&b);
            if (f != stdin)
                fclose(f);
            cli_input_error(path, 0, "out of memory");
            return NULL;
        }
    }
    if (f != stdin)
        fclose(f);
    *n = b.len;
    return b.buf ? truce_buf_detach(&b) : calloc(1, 1);
}

/* One finding as text: what, then each field with the words behind it. */
static void
print_finding(json_t *x, const char *what, const char *const *fields)
{
    json_t *ev = json_object_get(x, "evidence");
    printf("%s: %s\n  sentence [%lld, %lld): %s\n", what,
           json_string_value(json_object_get(x, "category"))
               ? json_string_value(json_object_get(x, "category"))
               : json_string_value(json_object_get(x, "action")),
           (long long)json_integer_value(json_array_get(json_object_get(x, "span"), 0)),
           (long long)json_integer_value(json_array_get(json_object_get(x, "span"), 1)),
           json_string_value(json_object_get(x, "sentence")));
    for (size_t i = 0; fields[i]; i++) {
        json_t *v = json_object_get(x, fields[i]);
        char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
                                           JSON_REAL_PRECISION(8))
                       : NULL;
        const char *words = json_string_value(json_object_get(ev, fields[i]));
        printf("  %-16s %s%s%s%s\n", fields[i], text ? text : "null",
               words ? "  <- \"" : "", words ? words : "", words ? "\"" : "");
        free(text);
    }
}

static void
print_text(const char *doc)
{
    static const char *const inc[] = {"category", "subcategory", "place",
                                      "date", "date_start", "date_end",
                                      "time", "perpetrator", "actor2",
                                      "fatalities", "protected_site",
                                      "hedged", "attribution", "confidence",
                                      NULL};
    static const char *const agr[] = {"action", "brokers", "area",
                                      "nationwide", "effective", "timezone",
                                      "duration", "duration_hours",
                                      "excluded", "guarantors", "confidence",
                                      NULL};
    json_t *o = json_loads(doc, 0, NULL), *x;
    size_t i;
    printf("published %s (%s), source %s\n",
           json_string_value(json_object_get(o, "published")),
           json_string_value(json_object_get(o, "timezone")),
           json_string_value(json_object_get(o, "source")));
    json_array_foreach(json_object_get(o, "incidents"), i, x)
        print_finding(x, "incident", inc);
    json_array_foreach(json_object_get(o, "agreements"), i, x)
        print_finding(x, "agreement", agr);
    printf("%zu incident(s), %zu agreement statement(s)\n",
           json_array_size(json_object_get(o, "incidents")),
           json_array_size(json_object_get(o, "agreements")));
    json_decref(o);
}

/* A circle of radius_km around (lat, lon) as a GeoJSON Polygon of 32
 * sides, for a draft zone. */
static json_t *
circle_polygon(double lat, double lon, double radius_km)
{
    json_t *ring = json_array();
    double dlat = radius_km / 111.32,
           dlon = radius_km / (111.32 * cos(lat * M_PI / 180));
    for (int i = 0; i <= 32; i++) {
        double a = 2 * M_PI * (i % 32) / 32;
        json_array_append_new(ring, json_pack("[f,f]",
                                              round((lon + dlon * cos(a)) * 1e5) / 1e5,
                                              round((lat + dlat * sin(a)) * 1e5) / 1e5));
    }
    return json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", ring);
}

/* "Aleppo city" -> "aleppo-city": an id part from a name. */
static void
slug(const char *name, char *out, size_t n)
{
    size_t k = 0;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)name; *p && k + 2 < n;
         p++) {
        if (isalnum(*p)) {
            if (dash && k)
                out[k++] = '-';
            out[k++] = (char)tolower(*p);
            dash = false;
        } else {
            dash = true;
        }
    }
    out[k] = '\0';
}

/* The agreement statements as draft agreements (DESIGN section 6) for an
 * analyst to review and `truce agreements load`; a statement without an
 * area is left out (said on stderr). Returns how many were written. */
/* A draft's zone: the boundary's shape when the area is a boundaries
 * feature of the store, else a circle of the area's radius (at least 10
 * km). */
static json_t *
draft_zone(struct cli *c, json_t *area)
{
    const char *name = json_string_value(json_object_get(area, "name")),
               *from = json_string_value(json_object_get(area, "from"));
    char *g = NULL;
    json_t *geom = NULL;
    if (from && !strcmp(from, "boundaries") &&
        !truce_store_boundary_geometry(
            c->store, json_string_value(json_object_get(area, "id")), &g) &&
        g)
        geom = json_loads(g, 0, NULL);
    free(g);
    if (geom)
        return json_pack("{s:s+,s:o}", "name", name, " (the boundary)",
                         "geometry", geom);
    return json_pack(
        "{s:s+,s:o}", "name", name, " (the article's area, a circle)",
        "geometry",
        circle_polygon(json_number_value(json_object_get(area, "lat")),
                       json_number_value(json_object_get(area, "lon")),
                       fmax(json_number_value(json_object_get(area, "radius_km")), 10)));
}

static long
draft_agreements(struct cli *c, json_t *doc, const char *path,
                 const char *source)
{
    json_t *out = json_array(), *x;
    size_t i;
    long n = 0;
    json_array_foreach(json_object_get(doc, "agreements"), i, x) {
        json_t *area = json_object_get(x, "area"), *sides = json_array(), *g;
        const char *eff = json_string_value(json_object_get(x, "effective"));
        char id[160], where[96], day[16];
        size_t k;
        if (!json_is_object(area)) {
            fprintf(stderr, "truce: %s: the statement \"%.60s...\" names no "
                    "area: no draft agreement\n", path,
                    json_string_value(json_object_get(x, "sentence")));
            json_decref(sides);
            continue;
        }
        snprintf(day, sizeof(day), "%.10s",
                 eff ? eff : json_string_value(json_object_get(doc, "published")));
        slug(json_string_value(json_object_get(area, "name")), where,
             sizeof(where));
        snprintf(id, sizeof(id), "news-%s-%s", where, day);
        json_array_foreach(json_object_get(x, "guarantors"), k, g) {
            const char *side = json_string_value(json_object_get(g, "side"));
            json_t *s = NULL, *y;
            size_t j;
            json_array_foreach(sides, j, y)
                if (!strcmp(json_string_value(json_object_get(y, "id")), side))
                    s = y;
            if (s) {
                json_t *old = json_object_get(s, "guarantor");
                if (json_is_string(old))
                    json_object_set_new(s, "guarantor",
                                        json_pack("[O,O]", old,
                                                  json_object_get(g, "guarantor")));
                else
                    json_array_append(old, json_object_get(g, "guarantor"));
                continue;
            }
            json_array_append_new(sides, json_pack(
                "{s:s,s:s+,s:O,s:[]}", "id", side, "name", side,
                " side (from the article: add its members)", "guarantor",
                json_object_get(g, "guarantor"), "members"));
        }
        json_array_append_new(out, json_pack(
            "{s:s,s:s+,s:s,s:O,s:O,s:[{s:s,s:O}],s:[o],s:o,s:O,s:s++}",
            "id", id, "name", "Draft from the news: ",
            json_string_value(json_object_get(x, "action")), "kind",
            json_is_true(json_object_get(x, "nationwide")) ? "nationwide"
                                                            : "local",
            "brokers", json_object_get(x, "brokers"), "timezone",
            json_object_get(x, "timezone"), "in_force", "from",
            eff ? eff : day, "until", json_object_get(x, "until"), "zones",
            draft_zone(c, area), "sides", sides, "excluded", json_object_get(x, "excluded"),
            "source", "news: ", source, ", read by truce extract"));
        n++;
    }
    if (json_dump_file(out, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(8))) {
        json_decref(out);
        return -1;
    }
    json_decref(out);
    return n;
}

/* The incidents as events of source "news" (truce_extract_incident_event:
 * DESIGN section 6's event shape, unverified, the sentence in notes),
 * stored in one transaction and marked for assessment. An incident that
 * makes no event (one without a place) is said on stderr and left out.
 * Returns how many were stored, -1 on failure (nothing is stored). */
static long
ingest_incidents(struct cli *c, json_t *doc)
{
    json_t *x;
    size_t i;
    long n = 0;
    if (truce_store_begin(c->store))
        return -1;
    json_array_foreach(json_object_get(doc, "incidents"), i, x) {
        char *text = json_dumps(x, JSON_COMPACT);
        struct truce_event e;
        enum truce_put_result res;
        truce_event_init(&e);
        if (!text || truce_extract_incident_event(c->ctx, text, strlen(text),
                                                  &e)) {
            fprintf(stderr, "truce: %s: not stored\n",
                    text ? truce_ctx_errmsg(c->ctx) : "out of memory");
            free(text);
            truce_event_release(&e);
            continue;
        }
        free(text);
        if (truce_store_put_event(c->store, &e, &res, NULL)) {
            fprintf(stderr, "truce: incident %s: %s\n", e.id,
                    truce_ctx_errmsg(c->ctx));
            truce_event_release(&e);
            truce_store_rollback(c->store);
            return -1;
        }
        n++;
        truce_event_release(&e);
    }
    if (truce_store_commit(c->store))
        return -1;
    return n;
}

int
cmd_extract(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, 0, 'd'},
        {"tz", required_argument, 0, 'z'},
        {"source", required_argument, 0, 's'},
        {"format", required_argument, 0, 'f'},
        {"ingest", no_argument, 0, 'i'},
        {"agreements-out", required_argument, 0, 'a'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct truce_extract_opts o = {0, NULL, "news", NULL, NULL};
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    const char *drafts = NULL;
    bool ingest = false;
    struct truce_gazetteer *gz = NULL;
    struct truce_tz *tz = NULL;
    bool as_json = false, dated = false;
    char *text, *doc = NULL;
    size_t n;
    int ch, code;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            if (!cli_parse_day(optarg, &o.published))
                return cli_fail(EXIT_USAGE, "--date must be YYYY-MM-DD");
            dated = true;
            break;
        case 'z': o.timezone = optarg; break;
        case 's': o.source = optarg; break;
        case 'i': ingest = true; break;
        case 'a': drafts = optarg; break;
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("extract"));
        }
    }
    if (!dated || optind != argc - 1)
        return cli_usage(cli_find("extract"));
    if (o.timezone && truce_tz_load(c->ctx, o.timezone, &tz))
        return cli_fail(EXIT_USAGE, "--tz: %s", truce_ctx_errmsg(c->ctx));
    truce_tz_free(tz);
    if ((code = cli_store(c)))
        return code;
    /* without --tz, the zone of the agreement whose zones hold the place */
    if (!o.timezone && (code = cli_model(c, &actors, &set)))
        return code;
    o.agreements = set;
    if (truce_store_gazetteer(c->ctx, c->store, &gz))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    o.file = argv[optind];
    if (!(text = read_input(argv[optind], &n))) {
        truce_gazetteer_free(gz);
        truce_agreements_free(set);
        truce_actors_free(actors);
        return EXIT_INPUT;
    }
    if (truce_extract(c->ctx, text, n, &o, gz, &doc)) {
        cli_input_error(argv[optind], 0, truce_ctx_errmsg(c->ctx));
        free(text);
        truce_gazetteer_free(gz);
        truce_agreements_free(set);
        truce_actors_free(actors);
        return EXIT_INPUT;
    }
    code = 0;
    if (drafts || ingest) {
        json_t *d = json_loads(doc, 0, NULL);
        long k;
        if (drafts) {
            if ((k = draft_agreements(c, d, drafts, o.source)) < 0) {
                cli_input_error(drafts, 0, "cannot be written");
                code = EXIT_INPUT;
            } else {
                fprintf(stderr, "truce: %ld draft agreement(s) written to %s: "
                        "review them, then truce agreements load %s\n", k,
                        drafts, drafts);
            }
        }
        if (ingest && !code) {
            if ((k = ingest_incidents(c, d)) < 0) {
                cli_fail(EXIT_INPUT, "the incidents were not stored: %s",
                         truce_ctx_errmsg(c->ctx));
                code = EXIT_INPUT;
            } else {
                fprintf(stderr, "truce: %ld incident(s) stored as events of "
                        "source news (unverified); truce assess assesses "
                        "them\n", k);
            }
        }
        json_decref(d);
    }
    if (as_json)
        puts(doc);
    else
        print_text(doc);
    free(doc);
    free(text);
    truce_gazetteer_free(gz);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return code;
}
