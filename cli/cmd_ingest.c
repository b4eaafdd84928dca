/*
 * cmd_ingest.c - `truce ingest`: stream event files into the store. Every
 * record is stored (inserted, updated or unchanged) or rejected and
 * reported with file, line and reason; read = inserted + updated +
 * unchanged + rejected. Writes are committed in batches, so a broken run
 * leaves whole batches only, and a rerun completes the job.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define BATCH 10000

struct tally {
    long read, inserted, updated, unchanged, rejected;
    bool as_json;
    long n_errors; /* errors written so far (JSON) */
};

static void
report_error(struct tally *t, const char *file, long line, const char *why)
{
    if (!t->as_json) {
        fprintf(stderr, "truce: %s:%ld: %s\n", file, line, why);
        return;
    }
    {
        json_t *e = json_pack("{s:s,s:I,s:s}", "file", file, "line",
                              (json_int_t)line, "reason", why);
        char *s = json_dumps(e, JSON_COMPACT);
        printf("%s\n    %s", t->n_errors ? "," : "", s ? s : "{}");
        free(s);
        json_decref(e);
        t->n_errors++;
    }
}

/* Ingests one file; returns 0, or EXIT_INPUT when it must stop. */
static int
ingest_file(struct cli *c, const char *path, enum truce_format fmt,
            bool strict, struct tally *t)
{
    struct truce_reader *r;
    struct truce_event ev;
    long in_batch = 0;
    truce_status st;
    struct tally before = *t;
    if (truce_reader_open(c->ctx, path, fmt, &r)) {
        report_error(t, path, 0, truce_ctx_errmsg(c->ctx));
        return EXIT_INPUT;
    }
    truce_event_init(&ev);
    if (truce_store_begin(c->store)) {
        truce_reader_free(r);
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    }
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        enum truce_put_result res;
        if (st == TRUCE_EPARSE) {
            t->read++;
            t->rejected++;
            report_error(t, path, truce_reader_line(r),
                         truce_ctx_errmsg(c->ctx));
            if (strict)
                goto out_rollback;
            continue;
        }
        if (st) {
            report_error(t, path, truce_reader_line(r),
                         truce_ctx_errmsg(c->ctx));
            goto out_rollback;
        }
        t->read++;
        if (truce_store_put_event(c->store, &ev, &res)) {
            report_error(t, path, truce_reader_line(r),
                         truce_ctx_errmsg(c->ctx));
            goto out_rollback;
        }
        if (res == TRUCE_PUT_INSERTED)
            t->inserted++;
        else if (res == TRUCE_PUT_UPDATED)
            t->updated++;
        else
            t->unchanged++;
        if (++in_batch == BATCH && !strict) {
            if (truce_store_commit(c->store) || truce_store_begin(c->store))
                goto out_rollback;
            in_batch = 0;
            before = *t;
        }
    }
    truce_event_release(&ev);
    truce_reader_free(r);
    if (truce_store_commit(c->store))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    return 0;
out_rollback:
    truce_store_rollback(c->store);
    truce_event_release(&ev);
    truce_reader_free(r);
    /* What the rolled-back batch had stored is stored no longer. */
    t->inserted = before.inserted;
    t->updated = before.updated;
    t->unchanged = before.unchanged;
    t->read = before.read + (t->rejected - before.rejected);
    return EXIT_INPUT;
}

int
cmd_ingest(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"input-format", required_argument, 0, 'i'},
        {"strict", no_argument, 0, 's'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    enum truce_format fmt = TRUCE_FMT_AUTO;
    const char *format = "text";
    struct tally t = {0};
    bool strict = false;
    int ch, rc = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'i':
            fmt = truce_format_parse(optarg);
            if (fmt == TRUCE_FMT_AUTO && strcmp(optarg, "auto"))
                return cli_fail(EXIT_USAGE, "unknown input format '%s' "
                                "(acled, ucdp, gdelt, jsonl)", optarg);
            break;
        case 's': strict = true; break;
        case 'f': format = optarg; break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("ingest"));
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_fail(EXIT_USAGE, "--format must be text or json");
    if (optind >= argc)
        return cli_usage(cli_find("ingest"));
    if ((rc = cli_store(c)))
        return rc;
    t.as_json = strcmp(format, "json") == 0;
    if (t.as_json)
        printf("{\"errors\": [");
    for (int i = optind; i < argc && !rc; i++) {
        struct tally before = t;
        rc = ingest_file(c, argv[i], fmt, strict, &t);
        if (!t.as_json && argc - optind > 1)
            fprintf(stderr, "truce: %s: read %ld, inserted %ld, updated %ld,"
                    " unchanged %ld, rejected %ld%s\n", argv[i],
                    t.read - before.read, t.inserted - before.inserted,
                    t.updated - before.updated,
                    t.unchanged - before.unchanged,
                    t.rejected - before.rejected,
                    rc ? " (stopped; the unfinished batch was rolled back)"
                       : "");
    }
    if (t.as_json)
        printf("%s],\n \"read\": %ld, \"inserted\": %ld, \"updated\": %ld, "
               "\"unchanged\": %ld, \"rejected\": %ld}\n",
               t.n_errors ? "\n  " : "", t.read, t.inserted, t.updated,
               t.unchanged, t.rejected);
    else
        printf("%sread %ld, inserted %ld, updated %ld, unchanged %ld, "
               "rejected %ld%s\n", argc - optind > 1 ? "all files: " : "",
               t.read, t.inserted, t.updated, t.unchanged, t.rejected,
               rc ? " (stopped; the unfinished batch was rolled back)" : "");
    return rc;
}
