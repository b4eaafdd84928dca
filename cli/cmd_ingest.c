/*
 * cmd_ingest.c - `truce ingest`: stream event files into the store. Every
 * record is stored (inserted, updated or unchanged) or rejected and
 * reported with file, line and reason; read = inserted + updated +
 * unchanged + rejected. Writes are committed in batches, so a broken run
 * leaves whole batches only, and a rerun completes the job. A file that
 * cannot be read, or a non-empty one from which no record was stored,
 * makes the exit code 2 (DESIGN section 7), saying why on stderr.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#define BATCH 10000

struct tally {
    long read, inserted, updated, unchanged, rejected;
    struct cli_progress progress;
    bool as_json;
    long n_errors; /* errors written so far (JSON) */
    enum truce_date_order date_order; /* --date-order, or unknown */
};

/* A record's error (or the file's, line 0 when it has none), in the
 * output's form; refused_whole also says it on stderr with --format json. */
static void
report_error(struct tally *t, const char *file, long line, const char *why,
             bool refused_whole)
{
    cli_progress_end(&t->progress); /* the line comes back at the next tick */
    if (!t->as_json || refused_whole)
        cli_input_error(file, line, why);
    if (!t->as_json)
        return;
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

/* How the reading of one file ended. */
enum file_end {
    FILE_READ,      /* to its end: every record stored or reported */
    FILE_REFUSED,   /* refused whole: it could not be opened or read */
    FILE_STOPPED    /* stopped on the way; the open batch rolled back */
};

/* Ingests one file. */
static enum file_end
ingest_file(struct cli *c, const char *path, enum truce_format fmt,
            bool strict, struct tally *t)
{
    struct truce_reader *r;
    struct truce_event ev;
    long in_batch = 0;
    truce_status st;
    struct tally before = *t;
    if (truce_reader_open(c->ctx, path, fmt, &r)) {
        report_error(t, path, truce_ctx_errline(c->ctx),
                     truce_ctx_errmsg(c->ctx), true);
        return FILE_REFUSED;
    }
    if (t->date_order)
        truce_reader_set_date_order(r, t->date_order);
    truce_event_init(&ev);
    if (truce_store_begin(c->store)) {
        report_error(t, path, 0, truce_ctx_errmsg(c->ctx), true);
        truce_reader_free(r);
        return FILE_REFUSED;
    }
    while ((st = truce_reader_next(r, &ev)) != TRUCE_EOF) {
        enum truce_put_result res;
        if (st == TRUCE_EPARSE) {
            t->read++;
            t->rejected++;
            report_error(t, path, truce_reader_line(r),
                         truce_ctx_errmsg(c->ctx), false);
            if (strict)
                goto out_rollback;
            continue;
        }
        if (st) {
            report_error(t, path, truce_reader_line(r),
                         truce_ctx_errmsg(c->ctx), true);
            goto out_rollback;
        }
        t->read++;
        if (!(t->read & 1023))
            cli_progress_tick(&t->progress, t->read);
        if (truce_store_put_event(c->store, &ev, &res, NULL)) {
            report_error(t, path, truce_reader_line(r),
                         truce_ctx_errmsg(c->ctx), false);
            goto out_rollback;
        }
        if (res == TRUCE_PUT_INSERTED)
            t->inserted++;
        else if (res == TRUCE_PUT_UPDATED)
            t->updated++;
        else
            t->unchanged++;
        if (++in_batch == BATCH && !strict) {
            if (truce_store_commit(c->store) || truce_store_begin(c->store)) {
                report_error(t, path, truce_reader_line(r),
                             truce_ctx_errmsg(c->ctx), true);
                goto out_rollback;
            }
            in_batch = 0;
            before = *t;
        }
    }
    if (truce_store_commit(c->store)) {
        /* The store's reason (a full disk among them) is the file's too. */
        report_error(t, path, 0, truce_ctx_errmsg(c->ctx), true);
        goto out_rollback;
    }
    cli_recoded_warning(path, r);
    truce_event_release(&ev);
    truce_reader_free(r);
    return FILE_READ;
out_rollback:
    truce_store_rollback(c->store);
    truce_event_release(&ev);
    truce_reader_free(r);
    /* What the rolled-back batch had stored is stored no longer. */
    t->inserted = before.inserted;
    t->updated = before.updated;
    t->unchanged = before.unchanged;
    t->read = before.read + (t->rejected - before.rejected);
    return FILE_STOPPED;
}

/* True, after saying why, when the file just read is not empty but none of
 * its records was stored (DESIGN section 7: that is no success). */
static bool
nothing_stored(const char *path, const struct tally *before,
               const struct tally *t)
{
    long read = t->read - before->read;
    long rejected = t->rejected - before->rejected;
    struct stat sb;
    char why[128];
    if (read > rejected)
        return false;
    if (read > 0) {
        snprintf(why, sizeof(why), "nothing could be stored: %s %ld "
                 "record%s %s rejected", read == 1 ? "its" : "all", read,
                 read == 1 ? "" : "s", read == 1 ? "was" : "were");
        cli_input_error(path, 0, why);
        return true;
    }
    if (stat(path, &sb) == 0 && sb.st_size == 0)
        return false; /* an empty file: nothing to store, nothing lost */
    cli_input_error(path, 0, "nothing could be stored: the file holds no "
                    "records");
    return true;
}

int
cmd_ingest(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"input-format", required_argument, 0, 'i'},
        {"date-order", required_argument, 0, 'o'},
        {"strict", no_argument, 0, 's'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    enum truce_format fmt = TRUCE_FMT_AUTO;
    const char *format = "text";
    struct tally t = {0};
    static const char *const stop_note[] = {
        [FILE_READ] = "",
        [FILE_REFUSED] = " (stopped at a file that could not be read)",
        [FILE_STOPPED] = " (stopped; the unfinished batch was rolled back)"};
    enum file_end end = FILE_READ;
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
        case 'o':
            if (!cli_date_order(optarg, &t.date_order))
                return EXIT_USAGE;
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
    cli_progress_start(&t.progress, "ingest");
    if (t.as_json)
        printf("{\"errors\": [");
    for (int i = optind; i < argc && end == FILE_READ; i++) {
        struct tally before = t;
        end = ingest_file(c, argv[i], fmt, strict, &t);
        cli_progress_end(&t.progress);
        if (end == FILE_READ && nothing_stored(argv[i], &before, &t))
            rc = EXIT_INPUT;
        if (!t.as_json && argc - optind > 1)
            fprintf(stderr, "truce: %s: read %ld, inserted %ld, updated %ld,"
                    " unchanged %ld, rejected %ld%s\n", argv[i],
                    t.read - before.read, t.inserted - before.inserted,
                    t.updated - before.updated,
                    t.unchanged - before.unchanged,
                    t.rejected - before.rejected,
                    stop_note[end]);
    }
    if (end != FILE_READ)
        rc = EXIT_INPUT;
    if (t.as_json)
        printf("%s],\n \"read\": %ld, \"inserted\": %ld, \"updated\": %ld, "
               "\"unchanged\": %ld, \"rejected\": %ld}\n",
               t.n_errors ? "\n  " : "", t.read, t.inserted, t.updated,
               t.unchanged, t.rejected);
    else
        printf("%sread %ld, inserted %ld, updated %ld, unchanged %ld, "
               "rejected %ld%s\n", argc - optind > 1 ? "all files: " : "",
               t.read, t.inserted, t.updated, t.unchanged, t.rejected,
               stop_note[end]);
    return rc;
}
