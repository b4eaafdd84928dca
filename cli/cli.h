/*
 * cli.h - what the `truce` commands share: the command table entry, the
 * session (context and store), and small output helpers. Only cli/ prints
 * and exits; the library returns statuses.
 */
#ifndef TRUCE_CLI_H
#define TRUCE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <truce/truce.h>
#include <jansson.h>

/* Exit codes of DESIGN section 7. */
#define EXIT_USAGE 1
#define EXIT_INPUT 2

struct cli {
    const char *db;          /* store path */
    struct truce_ctx *ctx;
    struct truce_store *store; /* opened on demand by cli_store */
    enum truce_count count;  /* what the analytics count (--count) */
};

struct cli_cmd {
    const char *name;
    int (*run)(struct cli *c, int argc, char **argv);
    const char *usage;
};

/* Prints "truce: MESSAGE" to stderr and returns code. */
int cli_fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "truce: PATH:LINE: WHY" (or "truce: PATH: WHY" when line is 0) to
 * stderr: a message about an input file. */
void cli_input_error(const char *path, long line, const char *why);
/* Prints the usage line of cmd and returns EXIT_USAGE. */
int cli_usage(const struct cli_cmd *cmd);
/* The command entry by name (for usage lines). */
const struct cli_cmd *cli_find(const char *name);
/* Opens the store once (it must exist); prints and returns non-zero on
 * failure. */
int cli_store(struct cli *c);
/* The same, making the store when there is none (init). */
int cli_store_create(struct cli *c);
/* Loads actors and agreements from the store, prepared. */
int cli_model(struct cli *c, struct truce_actors **actors,
              struct truce_agreements **set);
/* Reads a whole file; NULL (after printing) on failure. */
char *cli_read_file(const char *path, size_t *len);
/* Parses a date (YYYY-MM-DD) to days; false when malformed. */
bool cli_parse_day(const char *s, int64_t *days);
/* --format text|json: sets *as_json; false (after a message) otherwise. */
bool cli_text_or_json(const char *arg, bool *as_json);
/* --count events|incidents|auto into c; false after saying why. */
bool cli_count(struct cli *c, const char *arg);
/* --date-order dmy|mdy; false (after a message) otherwise. */
bool cli_date_order(const char *arg, enum truce_date_order *out);
/* Says on stderr how many records of path were read as Windows-1252. */
void cli_recoded_warning(const char *path, const struct truce_reader *r);
/* Writes s as a CSV field; text that starts with = + - @, a tab or a CR gets
 * a leading ' so that a spreadsheet does not run it. */
void cli_csv_field(FILE *f, const char *s);
/* An event's times as CSV cells write them: date_start and date_end of a
 * dated event, else the time (local ones without an offset); "" for the
 * others. */
void cli_csv_times(const struct truce_event *ev, char d0[32], char d1[32],
                   char t[40]);
/* The same cell appended to b. */
void cli_csv_cell(struct truce_buf *b, const char *s);

/* A progress line on a terminal (cli/progress.c): records, rate and
 * elapsed time, rewritten in place; nothing when stderr is not a tty. */
struct cli_progress {
    bool on, shown;
    const char *what;
    double start, last;
};
void cli_progress_start(struct cli_progress *p, const char *what);
void cli_progress_tick(struct cli_progress *p, long done);
void cli_progress_end(struct cli_progress *p);
/* For truce_ctx_set_progress: ud is a struct cli_progress. */
void cli_progress_callback(void *ud, long done);

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_actors(struct cli *c, int argc, char **argv);
int cmd_agreements(struct cli *c, int argc, char **argv);
int cmd_ingest(struct cli *c, int argc, char **argv);
int cmd_assess(struct cli *c, int argc, char **argv);
int cmd_events(struct cli *c, int argc, char **argv);
int cmd_explain(struct cli *c, int argc, char **argv);
int cmd_incidents(struct cli *c, int argc, char **argv);
int cmd_link(struct cli *c, int argc, char **argv);
int cmd_whatif(struct cli *c, int argc, char **argv);
/* The filters of truce events by their option letters ('a' --agreement,
 * 'v' --verdict, 'F' --from, 'T' --to, 'b' --bbox) into q: 0, the exit
 * status after saying what is wrong, or -1 for a letter of none. */
int cli_query_opt(int ch, const char *arg, struct truce_query *q);
/* Links what is not linked yet (all: everything) into *lc; 0 or the exit
 * status after saying why. */
int cli_link(struct cli *c, bool all, struct truce_link_counts *lc);
/* The incident of the stored event rec with each other report and why it
 * was linked ({"id", "representative", "corroboration", "contested",
 * "reports": [{"id", "source", "representative", "why"}]}) into *out (the
 * caller's; NULL when it is not linked); 0, or the exit status after
 * saying why. Printed by cli_print_incident for `truce explain`. */
int cli_incident_of(struct cli *c, const struct truce_actors *actors,
                    const struct truce_stored *rec, json_t **out);
void cli_print_incident(json_t *inc, const char *event_id);
/* The counts: a line of text, or JSON members to put in an object. */
void cli_print_link_counts(const struct truce_link_counts *lc, bool as_json);
int cmd_summary(struct cli *c, int argc, char **argv);
int cmd_boundaries(struct cli *c, int argc, char **argv);
int cmd_gazetteer(struct cli *c, int argc, char **argv);
int cmd_extract(struct cli *c, int argc, char **argv);
int cmd_trend(struct cli *c, int argc, char **argv);
int cmd_coverage(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_users(struct cli *c, int argc, char **argv);
/* --country NAME|FILE.geojson as a region. */
int cli_region(struct cli *c, const char *arg, struct truce_region **out);

#endif
