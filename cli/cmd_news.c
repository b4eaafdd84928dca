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
