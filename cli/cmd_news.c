/*
 * cmd_news.c - reading the news (DESIGN section 9): `truce gazetteer
 * load`, the places news reports are placed by.
 *
 * A gazetteer file is stored in one transaction: every row is stored
 * (inserted, updated or unchanged) or rejected with its line, and a run
 * that fails (the file cannot be read, the store cannot write) stores
 * nothing, so a rerun completes it.
 */
#include "cli.h"

#include <ctype.h>
#include <getopt.h>
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

int
cmd_extract(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, 0, 'd'},
        {"tz", required_argument, 0, 'z'},
        {"source", required_argument, 0, 's'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct truce_extract_opts o = {0, "UTC", "news", NULL};
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
    if (truce_tz_load(c->ctx, o.timezone, &tz))
        return cli_fail(EXIT_USAGE, "--tz: %s", truce_ctx_errmsg(c->ctx));
    truce_tz_free(tz);
    if ((code = cli_store(c)))
        return code;
    if (truce_store_gazetteer(c->ctx, c->store, &gz))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    o.file = argv[optind];
    if (!(text = read_input(argv[optind], &n))) {
        truce_gazetteer_free(gz);
        return EXIT_INPUT;
    }
    if (truce_extract(c->ctx, text, n, &o, gz, &doc)) {
        cli_input_error(argv[optind], 0, truce_ctx_errmsg(c->ctx));
        free(text);
        truce_gazetteer_free(gz);
        return EXIT_INPUT;
    }
    if (as_json)
        puts(doc);
    else
        print_text(doc);
    free(doc);
    free(text);
    truce_gazetteer_free(gz);
    return 0;
}
