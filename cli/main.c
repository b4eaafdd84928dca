/*
 * main.c - the `truce` command line: global options, the command table,
 * and the helpers every command uses.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void print_warning(void *ud, const char *msg);

static const struct cli_cmd cmds[] = {
    {"init", cmd_init, "truce [--db PATH] init"},
    {"actors", cmd_actors,
     "truce actors load FILE.json | actors unmatched [--format "
     "text|json|csv] | actors suggest --output FILE.json"},
    {"agreements", cmd_agreements,
     "truce agreements load [--strict] [--allow-outside DIR] FILE.json | "
     "agreements list "
     "[--format text|json]"},
    {"ingest", cmd_ingest,
     "truce ingest [--input-format acled|ucdp|gdelt|jsonl] [--date-order "
     "dmy|mdy] [--strict] [--format text|json] FILE..."},
    {"assess", cmd_assess,
     "truce assess [--all] [--format text|json] | assess --stream "
     "[--explain] [--format jsonl|csv] [--input-format F] [--date-order "
     "dmy|mdy] FILE..."},
    {"events", cmd_events,
     "truce events [--agreement ID] [--verdict V] [--from DATE] [--to DATE] "
     "[--bbox W,S,E,N] [--format json|jsonl|csv|geojson] [--limit N]"},
    {"explain", cmd_explain, "truce explain EVENT_ID [--format text|json]"},
    {"incidents", cmd_incidents,
     "truce incidents [--agreement ID] [--verdict V] [--from DATE] "
     "[--to DATE] [--min-sources N] [--format text|json|csv|geojson]"},
    {"whatif", cmd_whatif,
     "truce whatif AGREEMENTS.json [--from DATE] [--to DATE] "
     "[--format text|json]"},
    {"link", cmd_link,
     "truce link [--all] [--split EVENT | --merge EVENT EVENT] "
     "[--format text|json]"},
    {"summary", cmd_summary,
     "truce summary [--agreement ID] [--format text|json]"},
    {"gazetteer", cmd_gazetteer,
     "truce gazetteer load FILE [--country CC] [--format text|json]"},
    {"extract", cmd_extract,
     "truce extract --date YYYY-MM-DD [--tz ZONE] [--source NAME] "
     "[--format text|json] [--ingest] [--agreements-out FILE.json] "
     "FILE.txt|-"},
    {"boundaries", cmd_boundaries,
     "truce boundaries load FILE.geojson --name NAME [--id-property P]"},
    {"trend", cmd_trend,
     "truce trend --agreement ID [--zone NAME] [--window DAYS] "
     "[--country NAME|FILE.geojson] [--count auto|events|incidents] "
     "[--format text|json]"},
    {"coverage", cmd_coverage,
     "truce coverage (--date DATE | --from D1 --to D2) "
     "--country NAME|FILE.geojson [--count auto|events|incidents] "
     "[--format text|json]"},
    {"report", cmd_report,
     "truce report --agreement ID --date DATE [--days N] "
     "[--count auto|events|incidents] [--format md|html|json] "
     "[--output FILE]"},
    {"serve", cmd_serve,
     "truce serve [--bind 127.0.0.1] [--port 8080] [--threads N] "
     "[--read-token-required] [--web DIR] [--max-per-ip N] "
     "[--header-timeout S] [--body-timeout S] [--allow-host NAME] "
     "[--log FILE]"},
    {"users", cmd_users,
     "truce users add NAME --role monitor|analyst|admin | users list "
     "[--format text|json] | users revoke NAME | users rotate NAME"},
};

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

int
cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("truce: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

bool
cli_date_order(const char *arg, enum truce_date_order *out)
{
    if (strcmp(arg, "dmy") == 0)
        *out = TRUCE_DATES_DMY;
    else if (strcmp(arg, "mdy") == 0)
        *out = TRUCE_DATES_MDY;
    else {
        cli_fail(EXIT_USAGE, "--date-order must be dmy (14/08/2020) or mdy "
                 "(8/14/2020)");
        return false;
    }
    return true;
}

void
cli_recoded_warning(const char *path, const struct truce_reader *r)
{
    long n = truce_reader_recoded(r);
    if (n > 0)
        fprintf(stderr, "truce: %s: warning: %ld record%s not UTF-8, read "
                "as Windows-1252\n", path, n, n == 1 ? " was" : "s were");
}

void
cli_input_error(const char *path, long line, const char *why)
{
    if (line > 0)
        fprintf(stderr, "truce: %s:%ld: %s\n", path, line, why);
    else
        fprintf(stderr, "truce: %s: %s\n", path, why);
}

const struct cli_cmd *
cli_find(const char *name)
{
    for (size_t i = 0; i < N_CMDS; i++) {
        if (strcmp(cmds[i].name, name) == 0)
            return &cmds[i];
    }
    return NULL;
}

int
cli_usage(const struct cli_cmd *cmd)
{
    fprintf(stderr, "usage: %s\n", cmd->usage);
    return EXIT_USAGE;
}

static int
usage_all(void)
{
    fputs("usage: truce [--db PATH] COMMAND [ARGS]\n\ncommands:\n", stderr);
    for (size_t i = 0; i < N_CMDS; i++)
        fprintf(stderr, "  %s\n", cmds[i].usage);
    return EXIT_USAGE;
}

static int
open_store(struct cli *c, bool create)
{
    if (c->store)
        return 0;
    if ((create ? truce_store_create : truce_store_open)(c->ctx, c->db,
                                                         &c->store))
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    truce_store_set_count(c->store, c->count);
    return 0;
}

bool
cli_count(struct cli *c, const char *arg)
{
    int k = truce_count_parse(arg);
    if (k < 0) {
        cli_fail(EXIT_USAGE, "--count must be one of %s",
                 TRUCE_NAME_LIST(TRUCE_COUNTS));
        return false;
    }
    c->count = (enum truce_count)k;
    return true;
}

int
cli_store(struct cli *c)
{
    return open_store(c, false);
}

int
cli_store_create(struct cli *c)
{
    return open_store(c, true);
}

int
cli_model(struct cli *c, struct truce_actors **actors,
          struct truce_agreements **set)
{
    int rc = cli_store(c);
    truce_status st;
    if (rc)
        return rc;
    /* What the stored model lacks (members not in the dictionary) was said
     * when it was loaded; it is not said again at every command. */
    truce_ctx_set_warn(c->ctx, NULL, NULL);
    st = truce_store_load_model(c->ctx, c->store, actors, set);
    truce_ctx_set_warn(c->ctx, print_warning, NULL);
    if (st)
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    return 0;
}

char *
cli_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) {
        cli_fail(EXIT_INPUT, "cannot open '%s'", path);
        return NULL;
    }
    do {
        if (n + 65536 + 1 > cap) {
            char *nb;
            cap = cap ? cap * 2 : 131072;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                cli_fail(EXIT_INPUT, "'%s': out of memory", path);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, 65536, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        fclose(f);
        cli_fail(EXIT_INPUT, "cannot read '%s'", path);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool
cli_parse_day(const char *s, int64_t *days)
{
    struct truce_when w;
    if (truce_parse_when(s, strlen(s), &w) || w.has_time)
        return false;
    *days = w.secs / 86400;
    return true;
}

bool
cli_text_or_json(const char *arg, bool *as_json)
{
    if (strcmp(arg, "json") && strcmp(arg, "text")) {
        cli_fail(EXIT_USAGE, "--format must be text or json");
        return false;
    }
    *as_json = !strcmp(arg, "json");
    return true;
}

void
cli_csv_cell(struct truce_buf *b, const char *s)
{
    /* A spreadsheet runs a cell that starts like a formula: such text gets
     * a leading ' (OWASP's advice against CSV injection). */
    bool formula, quote;
    if (!s)
        return;
    formula = s[0] && strchr("=+-@\t\r", s[0]);
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        truce_buf_add(b, "\"", 1);
    if (formula)
        truce_buf_add(b, "'", 1);
    for (const char *run = s;; s++) {
        if (*s == '"' || !*s) {
            truce_buf_add(b, run, (size_t)(s - run + (*s == '"')));
            if (!*s)
                break;
            run = s; /* the quote again: doubled */
        }
    }
    if (quote)
        truce_buf_add(b, "\"", 1);
}

void
cli_csv_times(const struct truce_event *ev, char d0[32], char d1[32],
              char t[40])
{
    d0[0] = d1[0] = t[0] = '\0';
    if (ev->date_only) {
        truce_format_day(ev->t0 / 86400, d0);
        truce_format_day(ev->t1 / 86400 - 1, d1);
    } else {
        truce_format_utc(ev->t0, t);
        if (ev->time_kind == TRUCE_TIME_LOCAL)
            t[19] = '\0';
    }
}

void
cli_csv_field(FILE *f, const char *s)
{
    struct truce_buf b;
    truce_buf_init(&b, 0);
    cli_csv_cell(&b, s);
    fwrite(b.buf, 1, b.len, f);
    truce_buf_release(&b);
}

static void
print_warning(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "truce: warning: %s\n", msg);
}

int
main(int argc, char **argv)
{
    struct cli c = {0};
    const struct cli_cmd *cmd;
    int i = 1, rc;
    c.db = getenv("TRUCE_DB");
    if (!c.db || !c.db[0])
        c.db = "truce.db";
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            c.db = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            c.db = argv[i] + 5;
            i++;
        } else if (!strcmp(argv[i], "--version")) {
            printf("truce %s\n", TRUCE_VERSION);
            return 0;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage_all();
            return 0;
        } else {
            return usage_all();
        }
    }
    if (i >= argc)
        return usage_all();
    cmd = cli_find(argv[i]);
    if (!cmd)
        return cli_fail(EXIT_USAGE, "'%s' is not a truce command (see "
                        "'truce --help')", argv[i]);
    for (int k = i + 1; k < argc; k++) {
        if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
            printf("usage: %s\n", cmd->usage);
            return 0;
        }
    }
    if (truce_ctx_new(&c.ctx))
        return cli_fail(EXIT_INPUT, "out of memory");
    truce_ctx_set_warn(c.ctx, print_warning, NULL);
    rc = cmd->run(&c, argc - i, argv + i);
    truce_store_close(c.store);
    truce_ctx_free(c.ctx);
    return rc;
}
