/*
 * cmd_model.c - `truce init`, `truce actors load` and `truce agreements
 * load|list`: the store, the actor dictionary and the agreements.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int
cmd_init(struct cli *c, int argc, char **argv)
{
    int rc;
    if (argc > 1 && strcmp(argv[1], "--db") == 0 && argc > 2)
        c->db = argv[2];
    else if (argc > 1)
        return cli_usage(cli_find("init"));
    if ((rc = cli_store_create(c)))
        return rc;
    printf("truce: store '%s' ready (schema version %d)\n", c->db,
           truce_store_schema_version(c->store));
    return 0;
}

/* A dictionary that knows fewer than half the stored agreements' side
 * members would turn most verdicts into undetermined (actor_unknown):
 * say so at the load. */
static void
warn_unknown_members(struct cli *c)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    size_t known, total;
    if (cli_model(c, &actors, &set))
        return;
    truce_agreements_member_counts(set, &known, &total);
    if (total && known * 2 < total)
        fprintf(stderr, "truce: warning: the dictionary knows %zu of the %zu "
                "side members of the stored agreements; events of the "
                "others will be undetermined (actor_unknown)\n", known,
                total);
    truce_agreements_free(set);
    truce_actors_free(actors);
}

static int
actors_load(struct cli *c, const char *path)
{
    struct truce_actors *a;
    char *text;
    size_t len;
    bool changed;
    int rc;
    if (!(text = cli_read_file(path, &len)))
        return EXIT_INPUT;
    if (truce_actors_parse(c->ctx, text, len, path, &a)) {
        free(text);
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    }
    if ((rc = cli_store(c))) {
        truce_actors_free(a);
        free(text);
        return rc;
    }
    if (truce_store_put_actors(c->store, text, &changed)) {
        truce_actors_free(a);
        free(text);
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    }
    printf("truce: %zu actors loaded from '%s'%s\n", truce_actors_count(a),
           path,
           changed ? " (changed: every event will be re-assessed)"
                   : " (unchanged)");
    truce_actors_free(a);
    free(text);
    warn_unknown_members(c);
    return 0;
}

/* The unmatched names as JSON text (malloc'd), or NULL after a message. */
static char *
unmatched_json(struct cli *c)
{
    struct truce_actors *actors = NULL;
    char *text = NULL;
    if (cli_model(c, &actors, NULL))
        return NULL;
    if (truce_store_unmatched(c->ctx, c->store, actors, &text))
        cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    truce_actors_free(actors);
    return text;
}

/* A JSON array of strings joined with "; ". */
static void
print_joined(FILE *f, json_t *arr, bool csv)
{
    struct truce_buf b;
    json_t *v;
    size_t i;
    truce_buf_init(&b, 0);
    json_array_foreach(arr, i, v) {
        if (i)
            truce_buf_adds(&b, "; ");
        truce_buf_adds(&b, json_string_value(v));
    }
    if (csv)
        cli_csv_field(f, b.buf);
    else
        fputs(b.buf, f);
    truce_buf_release(&b);
}

static int
actors_unmatched(struct cli *c, const char *format)
{
    char *text = unmatched_json(c);
    json_t *doc, *arr, *u;
    size_t i;
    if (!text)
        return EXIT_INPUT;
    doc = json_loads(text, 0, NULL);
    arr = json_object_get(doc, "actors");
    json_array_foreach(arr, i, u) {
        json_object_del(u, "inter_counts");
    }
    if (strcmp(format, "json") == 0) {
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s ? s : "{}");
        free(s);
    } else if (strcmp(format, "csv") == 0) {
        puts("name,count,sources,inter");
        json_array_foreach(arr, i, u) {
            cli_csv_field(stdout, json_string_value(json_object_get(u, "name")));
            printf(",%lld,", (long long)json_integer_value(
                                 json_object_get(u, "count")));
            print_joined(stdout, json_object_get(u, "sources"), true);
            putchar(',');
            print_joined(stdout, json_object_get(u, "inter"), true);
            putchar('\n');
        }
    } else {
        printf("%zu name%s in '%s' match no actor of the dictionary%s\n",
               json_array_size(arr), json_array_size(arr) == 1 ? "" : "s",
               c->db, json_array_size(arr) ? " (events, sources, types):" : "");
        json_array_foreach(arr, i, u) {
            printf("  %6lld  %-48s ", (long long)json_integer_value(
                                          json_object_get(u, "count")),
                   json_string_value(json_object_get(u, "name")));
            print_joined(stdout, json_object_get(u, "sources"), false);
            if (json_array_size(json_object_get(u, "inter"))) {
                fputs("  [", stdout);
                print_joined(stdout, json_object_get(u, "inter"), false);
                putchar(']');
            }
            putchar('\n');
        }
    }
    json_decref(doc);
    free(text);
    return 0;
}

static int
actors_suggest(struct cli *c, const char *output)
{
    char *text = unmatched_json(c), *dict = NULL, *draft = NULL;
    FILE *f;
    int rc = 0;
    if (!text)
        return EXIT_INPUT;
    if (truce_store_get_actors(c->store, &dict) ||
        truce_actors_suggest(c->ctx, dict, text, &draft)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    if (!(f = fopen(output, "w")) || fputs(draft, f) < 0 ||
        fputc('\n', f) < 0 || fclose(f)) {
        rc = cli_fail(EXIT_INPUT, "cannot write '%s': %s", output,
                      strerror(errno));
        goto out;
    }
    {
        json_t *u = json_loads(text, 0, NULL), *d = json_loads(draft, 0, NULL);
        size_t n = 0, i;
        json_t *a;
        json_array_foreach(json_object_get(d, "actors"), i, a) {
            n += json_is_true(json_object_get(a, "suggested"));
        }
        printf("truce: draft dictionary '%s': %zu unmatched name%s as %zu "
               "new actor%s (\"suggested\": true); check the kinds and ids, "
               "then 'truce actors load %s'\n", output,
               json_array_size(json_object_get(u, "actors")),
               json_array_size(json_object_get(u, "actors")) == 1 ? "" : "s",
               n, n == 1 ? "" : "s", output);
        json_decref(u);
        json_decref(d);
    }
out:
    free(text);
    free(dict);
    free(draft);
    return rc;
}

int
cmd_actors(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *format = "text", *output = NULL, *sub;
    int ch;
    if (argc < 2)
        return cli_usage(cli_find("actors"));
    sub = argv[1];
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("actors"));
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json") &&
        strcmp(format, "csv"))
        return cli_fail(EXIT_USAGE, "--format must be text, json or csv");
    if (strcmp(sub, "load") == 0 && optind == argc - 2)
        return actors_load(c, argv[1 + optind]);
    if (strcmp(sub, "unmatched") == 0 && optind == argc - 1)
        return actors_unmatched(c, format);
    if (strcmp(sub, "suggest") == 0 && optind == argc - 1 && output)
        return actors_suggest(c, output);
    return cli_usage(cli_find("actors"));
}

/* ------------------------------------------------------------ load */

static void
print_agreement(const struct truce_agreements *set, long i, bool changed)
{
    struct truce_agreement_info in;
    char from[32];
    truce_agreements_info(set, (size_t)i, &in);
    truce_format_utc(in.first_local, from);
    from[16] = '\0'; /* "2016-05-04T00:01" */
    from[10] = ' ';
    printf("  %-32s %-10s %zu zone%s, %.0f km2, %zu side%s, from %s "
           "%s%s\n",
           in.id, in.kind, in.n_zones, in.n_zones == 1 ? "" : "s",
           in.area_km2, in.n_sides, in.n_sides == 1 ? "" : "s", from,
           in.timezone, changed ? "" : " unchanged");
}

static int
agreements_load(struct cli *c, const char *path, bool strict,
                char *const *outside, size_t n_outside)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    json_t *root = NULL, *o;
    char *text, *dir_copy;
    size_t len, i;
    int rc;
    if (!(text = cli_read_file(path, &len)))
        return EXIT_INPUT;
    if ((rc = cli_model(c, &actors, &set))) {
        free(text);
        return rc;
    }
    dir_copy = strdup(path);
    for (size_t k = 0; k < n_outside; k++) {
        if (truce_agreements_allow_outside(c->ctx, set, outside[k])) {
            rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
            goto out;
        }
    }
    if (truce_agreements_parse(c->ctx, set, text, len, path,
                               dirname(dir_copy), strict)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    if (truce_agreements_prepare(c->ctx, set, actors)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    root = json_loadb(text, len, 0, NULL);
    if (json_is_object(root)) {
        json_t *arr = json_array();
        json_array_append_new(arr, root);
        root = arr;
    }
    if (truce_store_begin(c->store)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    printf("truce: agreements from '%s':\n", path);
    json_array_foreach(root, i, o) {
        const char *id = json_string_value(json_object_get(o, "id"));
        long k = truce_agreements_find(set, id);
        struct truce_agreement_info in;
        bool changed;
        truce_agreements_info(set, (size_t)k, &in);
        if (truce_store_put_agreement(c->store, id, in.json, &changed)) {
            /* the message first: the rollback empties it */
            rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
            truce_store_rollback(c->store);
            goto out;
        }
        print_agreement(set, k, changed);
    }
    if (truce_store_commit(c->store)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    free(dir_copy);
    free(text);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

/* ------------------------------------------------------------ list */

/* The resolved agreement without zone geometry, with areas. */
static json_t *
agreement_summary(const struct truce_agreements *set, size_t i)
{
    struct truce_agreement_info in;
    json_t *o, *zones, *z;
    size_t k;
    truce_agreements_info(set, i, &in);
    o = json_loads(in.json, 0, NULL);
    zones = json_object_get(o, "zones");
    json_array_foreach(zones, k, z) {
        json_object_del(z, "geometry");
    }
    json_object_set_new(o, "area_km2", json_real(in.area_km2));
    return o;
}

static int
agreements_list(struct cli *c, bool as_json)
{
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    size_t n;
    int rc;
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    n = truce_agreements_count(set);
    if (as_json) {
        json_t *arr = json_array(), *doc;
        char *s;
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, agreement_summary(set, i));
        doc = json_pack("{s:o}", "agreements", arr);
        s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
        json_decref(doc);
    } else {
        printf("%zu agreement%s in '%s':\n", n, n == 1 ? "" : "s", c->db);
        for (size_t i = 0; i < n; i++)
            print_agreement(set, (long)i, true);
    }
    truce_agreements_free(set);
    truce_actors_free(actors);
    return 0;
}

int
cmd_agreements(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"strict", no_argument, 0, 's'},
        {"format", required_argument, 0, 'f'},
        {"allow-outside", required_argument, 0, 'o'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *format = "text", *sub;
    char *outside[16];
    size_t n_outside = 0;
    bool strict = false;
    int ch;
    if (argc < 2)
        return cli_usage(cli_find("agreements"));
    sub = argv[1];
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (ch) {
        case 's': strict = true; break;
        case 'f': format = optarg; break;
        case 'o':
            if (n_outside == sizeof(outside) / sizeof(outside[0]))
                return cli_fail(EXIT_USAGE, "at most 16 --allow-outside");
            outside[n_outside++] = optarg;
            break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("agreements"));
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_fail(EXIT_USAGE, "--format must be text or json");
    if (strcmp(sub, "load") == 0 && optind == argc - 2)
        return agreements_load(c, argv[1 + optind], strict, outside,
                               n_outside);
    if (strcmp(sub, "list") == 0 && optind == argc - 1)
        return agreements_list(c, strcmp(format, "json") == 0);
    return cli_usage(cli_find("agreements"));
}
