/*
 * cmd_whatif.c - `truce whatif AGREEMENTS.json` (DESIGN section 12): every
 * stored event assessed under the stored agreements with the draft file
 * read over them, nothing stored; counts by verdict, side and guarantor,
 * and the events whose overall verdict would change.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static void
print_counts(json_t *counts)
{
    const char *k;
    json_t *v;
    bool first = true;
    json_object_foreach(counts, k, v) {
        printf("%s%s %lld", first ? "" : ", ", k,
               (long long)json_integer_value(v));
        first = false;
    }
}

static void
print_text(json_t *doc)
{
    size_t i;
    json_t *a, *c;
    printf("%lld events under the draft:\n",
           (long long)json_integer_value(json_object_get(doc, "events")));
    json_array_foreach(json_object_get(doc, "by_agreement"), i, a) {
        printf("  %-32s ", json_string_value(json_object_get(a, "id")));
        print_counts(json_object_get(a, "counts"));
        if (json_object_size(json_object_get(a, "by_side"))) {
            printf("; violations by side: ");
            print_counts(json_object_get(a, "by_side"));
        }
        putchar('\n');
    }
    printf("  overall: ");
    print_counts(json_object_get(doc, "overall"));
    printf("\n%lld event(s) would change their overall verdict%s\n",
           (long long)json_integer_value(json_object_get(doc, "changed_count")),
           json_array_size(json_object_get(doc, "changed")) ? ":" : "");
    json_array_foreach(json_object_get(doc, "changed"), i, c) {
        if (i == 20) {
            printf("  ... (--format json lists up to 1,000)\n");
            break;
        }
        printf("  %s: %s -> %s\n", json_string_value(json_object_get(c, "id")),
               json_is_string(json_object_get(c, "before"))
                   ? json_string_value(json_object_get(c, "before"))
                   : "pending",
               json_string_value(json_object_get(c, "after")));
    }
}

int
cmd_whatif(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, 0, 'F'},
        {"to", required_argument, 0, 'T'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_query q = {0};
    struct truce_buf out;
    bool as_json = false;
    char *text = NULL, *dir = NULL;
    size_t len;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        default:
            if ((rc = cli_query_opt(ch, optarg, &q)) < 0)
                return cli_usage(cli_find("whatif"));
            if (rc)
                return rc;
        }
    }
    if (optind != argc - 1)
        return cli_usage(cli_find("whatif"));
    if ((rc = cli_store(c)))
        return rc;
    if (!(text = cli_read_file(argv[optind], &len)))
        return EXIT_INPUT;
    dir = strdup(argv[optind]);
    truce_buf_init(&out, 0);
    if (!dir || truce_store_load_draft(c->ctx, c->store, text, len,
                                       argv[optind], dirname(dir), &actors,
                                       &set) ||
        truce_whatif(c->ctx, c->store, set, actors, &q, &out)) {
        rc = cli_fail(EXIT_INPUT, "%s", dir ? truce_ctx_errmsg(c->ctx)
                                            : "out of memory");
    } else if (as_json) {
        puts(out.buf);
    } else {
        json_error_t err;
        json_t *doc = json_loadb(out.buf, out.len, 0, &err);
        print_text(doc);
        json_decref(doc);
    }
    truce_buf_release(&out);
    free(text);
    free(dir);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}
