/*
 * store_pg.c - the store on PostgreSQL 15 through libpq, for a team: the
 * schema of store_sqlite.c in PostgreSQL's types (BIGSERIAL keys, BIGINT,
 * DOUBLE PRECISION, BOOLEAN, TEXT compared byte by byte), migrations
 * numbered as SQLite's and counted by a row of meta, events keyed by id
 * with a change hash (one statement a put), the map's B-tree on (grid
 * cell, start, longitude, latitude) and, for the few long events, a
 * partial B-tree on place, the stored assessments looked into with jsonb.
 *
 * Transactions are SQLite's: begin takes the store's write lock at once
 * (an advisory lock held to the end of the transaction), so two processes
 * writing one store take turns and a check made inside a transaction
 * (a review's step, the model's version) still holds when it commits.
 *
 * Every statement is prepared once a connection: the fixed ones on first
 * use, a query's by its text (the last STMT_CACHE shapes). A query with
 * no small limit is read through a cursor, FETCH_ROWS rows at a time, so
 * listing a million events does not hold a million rows in memory.
 *
 * A store made with partition=month in its URL keeps the events in
 * monthly partitions (docs/scale.md): the table is partitioned by range
 * on (long_span, t0), each month of events of at most two days in a
 * partition of its own, made by the first event of that month, and the
 * longer events in one partition beside them; a small table, event_ids,
 * keeps the ids unique and leads a key or an id to its partition. The
 * statements that differ are in part_stmts and row_stmts (those that
 * change one event, planned for its partition), and the queries add the
 * clause that lets PostgreSQL skip the months outside their dates.
 */
#include "store.h"

#include <math.h>
#include <stdio.h>

#include <libpq-fe.h>

#define SCHEMA_VERSION 5
#define STMT_CACHE 16
#define FETCH_ROWS 1000
/* A query limited to at most this many rows is read in one result. */
#define BOUNDED_ROWS 5000
#define MAX_PARAMS 40

/* The OIDs of the parameter types declared below (fixed in pg_type). */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT8 701

/* The key of the advisory lock a write transaction holds ("truce" in
 * ASCII): one writer at a time, as SQLite's BEGIN IMMEDIATE. */
#define WRITE_LOCK "500136502117"

/* The statements of fixed text, prepared on first use. */
enum stmt {
    S_PUT_EVENT,
    S_PUT_ASSESSMENTS,
    S_PUT_LINK,
    S_UNLINK,
    S_FIND_KEY,
    S_DELETE_RAW,
    S_DELETE_EVENT,
    S_GET_DOC,
    S_PUT_DOC,
    S_PUT_PLACE,
    S_META,
    S_NEXT_FIELD_ID,
    S_BUMP_MODEL,
    S_BUMP_PLACES,
    S_BUMP_EVENTS,
    S_MARK_ALL,
    S_COUNTS,
    S_EXTENT,
    S_MAX_RADIUS,
    S_SEVERAL_SOURCES,
    S_ADD_USER,
    S_GET_USER,
    S_SET_USER_HASH,
    S_SET_REVIEW,
    S_ADD_AUDIT,
    S_ROW_OF_ID,       /* a store partitioned by month only (below) */
    S_ROW_OF_KEY,
    N_STMT
};

/* Where an event of a store partitioned by month lives (event_ids). */
struct row {
    int64_t key, t0, hash;
    bool long_span;
};

/* Rows a connection remembers, by key (a power of two). */
#define ROW_CACHE 4096

struct pg {
    struct truce_ctx *ctx;
    PGconn *conn;
    char *where;            /* the URL without its password, for messages */
    bool partitioned;       /* events by month (partition=month) */
    char *conninfo;         /* the URL libpq was given */
    PGconn *ddl;            /* makes months during a transaction */
    truce_status failed;    /* of the last statement that failed */
    /* The starts of the months whose partitions this connection made or
     * found (forgotten when an event could not be stored). */
    int64_t *months;
    size_t n_months, cap_months;
    struct row *rows;       /* where recent events live (ROW_CACHE) */
    bool prepared[N_STMT];
    /* Queries built from a truce_query, kept prepared by their text. */
    struct {
        char *sql;
        unsigned id;        /* named truce_qID */
    } cache[STMT_CACHE];
    unsigned cache_next, cache_ids, cursors;
};

/* ------------------------------------------------------- parameters */

/* The values of a statement's parameters, as text (NULL is SQL's NULL);
 * strings are borrowed, numbers written into num. */
struct params {
    const char *v[MAX_PARAMS];
    char num[MAX_PARAMS][32];
    int n;
};

/* Each adds one parameter and returns its number ($n). */
static int
p_text(struct params *p, const char *s)
{
    if (p->n == MAX_PARAMS)
        return p->n; /* a bug: the statement then fails to run */
    p->v[p->n] = s;
    return ++p->n;
}

static int
p_int(struct params *p, int64_t x)
{
    if (p->n == MAX_PARAMS)
        return p->n;
    snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)x);
    return p_text(p, p->num[p->n]);
}

/* A count: NULL when unknown (< 0). */
static int
p_count(struct params *p, int64_t x)
{
    return x < 0 ? p_text(p, NULL) : p_int(p, x);
}

/* Seventeen digits: the double read back is the one written. */
static int
p_double(struct params *p, double x)
{
    if (p->n == MAX_PARAMS)
        return p->n;
    snprintf(p->num[p->n], sizeof(p->num[0]), "%.17g", x);
    return p_text(p, p->num[p->n]);
}

static int
p_bool(struct params *p, bool x)
{
    return p_text(p, x ? "t" : "f");
}

/* ----------------------------------------------------------- errors */

/* The first line of a libpq message, without its "ERROR:  " prefix. */
static void
first_line(char *out, size_t size, const char *msg)
{
    size_t n;
    static const char *const levels[] = {"ERROR:  ", "FATAL:  ", "PANIC:  "};
    if (!msg)
        msg = "";
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (!strncmp(msg, levels[i], 8))
            msg += 8;
    }
    n = strcspn(msg, "\n");
    snprintf(out, size, "%.*s", (int)n, msg);
}

/* What a failure may come from, beyond its message. */
static const char *
err_hint(struct pg *s, const char *code)
{
    if (PQstatus(s->conn) == CONNECTION_BAD)
        return " (the connection to the PostgreSQL server was lost)";
    if (code && (!strcmp(code, "53100") || !strcmp(code, "53400")))
        return " (is the server's disk full, or a quota reached?)";
    return "";
}

/* True when the server said at the connection's start (or since, on a
 * promotion: libpq keeps what the server reports) that it takes no
 * writes: a hot standby, or read-only transactions by default. */
static bool
read_only_now(struct pg *s)
{
    const char *standby = PQparameterStatus(s->conn, "in_hot_standby");
    const char *ro = PQparameterStatus(s->conn,
                                       "default_transaction_read_only");
    return (standby && !strcmp(standby, "on")) || (ro && !strcmp(ro, "on"));
}

/* A write refused by a server that takes none: TRUCE_EREADONLY, saying
 * which server and where writes go. */
static truce_status
read_only_err(struct pg *s, const char *what)
{
    const char *host = PQhost(s->conn), *port = PQport(s->conn);
    const char *standby = PQparameterStatus(s->conn, "in_hot_standby");
    s->failed = TRUCE_EREADONLY;
    return truce__err(s->ctx, TRUCE_EREADONLY, "store: %s: the PostgreSQL "
                      "server at %s:%s is %s: it takes no writes", what,
                      host && host[0] ? host : "localhost",
                      port && port[0] ? port : "5432",
                      standby && !strcmp(standby, "on")
                          ? "a read-only hot standby (a replica in "
                            "recovery; writes go to the primary)"
                          : "read-only (default_transaction_read_only)");
}

/* The message of a failed statement (r may be NULL), "store: WHAT: ...". */
static truce_status
res_err(struct pg *s, const PGresult *r, const char *what)
{
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *code = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    char line[512];
    /* read_only_sql_transaction: a write on a standby, outside begin */
    if (code && !strcmp(code, "25006"))
        return read_only_err(s, what);
    first_line(line, sizeof(line), m ? m : PQerrorMessage(s->conn));
    s->failed = TRUCE_EDB;
    return truce__err(s->ctx, TRUCE_EDB, "store: %s: %s%s", what,
                      line[0] ? line : "unknown error", err_hint(s, code));
}

/* True when r is a success of the kind a statement gives. */
static bool
res_ok(const PGresult *r)
{
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

/* Runs sql (no parameters; several statements may be joined by ';'). */
static truce_status
exec_sql(struct pg *s, const char *sql, const char *what)
{
    PGresult *r = PQexec(s->conn, sql);
    truce_status rc = res_ok(r) ? TRUCE_OK : res_err(s, r, what);
    PQclear(r);
    return rc;
}

/* ------------------------------------------------------- statements */

static const Oid event_types[] = {
    OID_TEXT,  OID_TEXT,  OID_TEXT,   OID_INT4,  OID_INT8,  OID_INT8,
    OID_BOOL,  OID_FLOAT8, OID_FLOAT8, OID_FLOAT8, OID_TEXT, OID_TEXT,
    OID_BOOL,  OID_TEXT,  OID_TEXT,   OID_INT8,  OID_INT8,  OID_INT8,
    OID_INT8,  OID_BOOL,  OID_BOOL,   OID_TEXT,  OID_TEXT,  OID_TEXT,
    OID_INT8,  OID_TEXT,  OID_TEXT,   OID_TEXT,  OID_INT8,  OID_TEXT};

static const Oid place_types[] = {
    OID_TEXT, OID_TEXT, OID_TEXT, OID_FLOAT8, OID_FLOAT8, OID_FLOAT8,
    OID_TEXT, OID_TEXT, OID_TEXT, OID_INT8,   OID_TEXT,   OID_INT8};

#define EVENT_COLS                                                          \
    "id, source, source_id, time_kind, t0, t1, date_only, lat, lon,"       \
    " radius_km, category, subcategory, directed, actor1, actor2,"         \
    " fatalities, fatalities_low, fatalities_high, civilian_fatalities,"   \
    " civilian_targeting, protected_site, location, admin1, notes, hash,"  \
    " inter1, inter2, area"
#define N_EVENT_COLS 28
/* $1 to $29: the EVENT_COLS and the grid cell. */
#define EVENT_VALUES                                                        \
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"    \
    " $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29"

/* The UTC time now as SQLite's strftime writes it (seconds; with ms). */
#define NOW_UTC                                                             \
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', "                       \
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define NOW_UTC_MS                                                          \
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', "                       \
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

static const struct {
    const char *sql;
    int n;                /* parameters */
    const Oid *types;     /* NULL: as the statement implies */
} stmts[N_STMT] = {
    /* By id and change hash, in one round trip: inserted (a new key),
     * updated (the same key, marked pending), or left alone. The original
     * record is kept apart, with a new or changed event. */
    [S_PUT_EVENT] = {
        "WITH old AS (SELECT key, hash FROM events WHERE id = $1),"
        " ins AS (INSERT INTO events(" EVENT_COLS ", cell) SELECT "
        EVENT_VALUES " WHERE NOT EXISTS (SELECT 1 FROM old) RETURNING key),"
        " upd AS (UPDATE events SET (" EVENT_COLS ", cell, pending) = ("
        EVENT_VALUES ", true) FROM old WHERE events.key = old.key AND"
        " old.hash <> $25 RETURNING events.key),"
        " raw AS (INSERT INTO events_raw(key, raw) SELECT key, $30 FROM ins"
        " UNION ALL SELECT key, $30 FROM upd ON CONFLICT (key) DO UPDATE"
        " SET raw = excluded.raw)"
        " SELECT coalesce((SELECT key FROM ins), (SELECT key FROM old)),"
        " EXISTS (SELECT 1 FROM ins), EXISTS (SELECT 1 FROM upd)",
        30, event_types},
    [S_PUT_ASSESSMENTS] = {
        "UPDATE events SET pending = false, verdict = $1, assessments = $2,"
        " side = $3, verdicts = $4 WHERE key = $5", 5, NULL},
    [S_PUT_LINK] = {
        "UPDATE events SET incident = nullif($2::bigint, 0) WHERE key = $1",
        2, NULL},
    [S_UNLINK] = {
        "UPDATE events SET incident = NULL WHERE incident = (SELECT"
        " incident FROM events WHERE key = $1)", 1, NULL},
    [S_FIND_KEY] = {"SELECT key FROM events WHERE id = $1", 1, NULL},
    [S_DELETE_RAW] = {"DELETE FROM events_raw WHERE key = $1", 1, NULL},
    [S_DELETE_EVENT] = {"DELETE FROM events WHERE key = $1", 1, NULL},
    [S_GET_DOC] = {"SELECT json FROM docs WHERE kind = $1 AND id = $2", 2,
                   NULL},
    /* A row back when the document is new or its text changed. */
    [S_PUT_DOC] = {
        "INSERT INTO docs(kind, id, json) VALUES($1, $2, $3) ON CONFLICT"
        " (kind, id) DO UPDATE SET json = excluded.json, updated_at ="
        " excluded.updated_at WHERE docs.json <> excluded.json RETURNING 1",
        3, NULL},
    /* The old hash (NULL: a new place) and whether the row was written. */
    [S_PUT_PLACE] = {
        "WITH old AS (SELECT hash FROM places WHERE id = $1),"
        " up AS (INSERT INTO places VALUES($1, $2, $3, $4, $5, $6, $7, $8,"
        " $9, $10, $11, $12) ON CONFLICT (id) DO UPDATE SET name ="
        " excluded.name, alternates = excluded.alternates, lat ="
        " excluded.lat, lon = excluded.lon, radius_km = excluded.radius_km,"
        " country = excluded.country, admin1 = excluded.admin1, feature ="
        " excluded.feature, population = excluded.population, timezone ="
        " excluded.timezone, hash = excluded.hash WHERE places.hash <>"
        " excluded.hash RETURNING 1)"
        " SELECT (SELECT hash FROM old), EXISTS (SELECT 1 FROM up)",
        12, place_types},
    [S_META] = {"SELECT value FROM meta WHERE key = $1", 1, NULL},
    [S_NEXT_FIELD_ID] = {
        "UPDATE meta SET value = value + 1 WHERE key = 'field_seq'"
        " RETURNING value", 0, NULL},
    [S_BUMP_MODEL] = {
        "UPDATE meta SET value = value + 1 WHERE key = 'model_version'", 0,
        NULL},
    /* Made on first use, as SQLite's (stores made before it have none). */
    [S_BUMP_PLACES] = {
        "INSERT INTO meta VALUES('places_version', 1) ON CONFLICT (key) DO"
        " UPDATE SET value = meta.value + 1", 0, NULL},
    [S_BUMP_EVENTS] = {
        "INSERT INTO meta VALUES('events_version', 1) ON CONFLICT (key) DO"
        " UPDATE SET value = meta.value + 1", 0, NULL},
    [S_MARK_ALL] = {"UPDATE events SET pending = true WHERE NOT pending", 0,
                    NULL},
    [S_COUNTS] = {"SELECT count(*), count(*) FILTER (WHERE pending) FROM"
                  " events", 0, NULL},
    [S_EXTENT] = {"SELECT min(t0), max(greatest(t1, t0)) FROM events", 0,
                  NULL},
    [S_MAX_RADIUS] = {"SELECT coalesce(max(radius_km), 0) FROM events", 0,
                      NULL},
    [S_SEVERAL_SOURCES] = {
        "SELECT coalesce(min(source) < max(source), false) FROM events", 0,
        NULL},
    /* No row back when the name is taken. */
    [S_ADD_USER] = {
        "INSERT INTO users(name, role, token_hash) VALUES($1, $2, $3) ON"
        " CONFLICT (name) DO NOTHING RETURNING id", 3, NULL},
    [S_GET_USER] = {"SELECT name, role, token_hash FROM users WHERE id = $1",
                    1, NULL},
    [S_SET_USER_HASH] = {
        "UPDATE users SET token_hash = $1 WHERE name = $2 RETURNING id", 2,
        NULL},
    [S_SET_REVIEW] = {"UPDATE events SET review = $1 WHERE id = $2", 2,
                      NULL},
    [S_ADD_AUDIT] = {"INSERT INTO audit(event, entry) VALUES($1, $2)", 2,
                     NULL},
    /* An event's row in a store partitioned by month: its key, partition
     * key and change hash, by id or by key. */
    [S_ROW_OF_ID] = {"SELECT key, long_span, t0, hash FROM event_ids WHERE"
                     " id = $1", 1, NULL},
    [S_ROW_OF_KEY] = {"SELECT key, long_span, t0, hash FROM event_ids WHERE"
                      " key = $1", 1, NULL},
};

/* The statements that differ in a store partitioned by month (the others
 * are the same in both): a new event is inserted with its row of
 * event_ids, which keeps ids unique and each event's key, partition key
 * (long_span, t0) and change hash; an event of more than TRUCE__SHORT_DAYS
 * has no grid cell ($29 IS NULL) and lives in the long spans' partition. */
static const struct {
    const char *sql;
} part_stmts[N_STMT] = {
    [S_PUT_EVENT] = {
        "WITH ins AS (INSERT INTO events(" EVENT_COLS ", cell, long_span)"
        " VALUES (" EVENT_VALUES ", $29 IS NULL) RETURNING key),"
        " ids AS (INSERT INTO event_ids(id, key, long_span, t0, hash) SELECT"
        " $1, key, $29 IS NULL, $5, $25 FROM ins),"
        " raw AS (INSERT INTO events_raw(key, raw) SELECT key, $30 FROM ins)"
        " SELECT key FROM ins"},
    [S_FIND_KEY] = {"SELECT key FROM event_ids WHERE id = $1"},
};

/* In a store partitioned by month, the statements that change one event's
 * row: their parameters, then the row's key, long_span and t0 (from
 * event_ids), which name its partition. They run unprepared, so that
 * PostgreSQL plans each for that one partition: a prepared update of a
 * partitioned table opens every partition and its indexes at each run,
 * even those it prunes (a tenth of a millisecond at four years of
 * months, five times the update itself). An update that moves an event
 * to another month (a corrected date) moves its row there, the key
 * kept. */
enum row_stmt {
    R_PUT_EVENT,
    R_PUT_ASSESSMENTS,
    R_PUT_LINK,
    R_UNLINK,
    R_DELETE_EVENT,
    R_SET_REVIEW,
    N_ROW_STMT
};

static const struct {
    const char *sql;
    bool event;           /* $1 to $30 are an event's (event_types) */
    bool one_row;         /* changes that row only (run_on_key) */
} row_stmts[N_ROW_STMT] = {
    /* a changed event: $1 to $30 as S_PUT_EVENT's, the row $31 to $33 */
    [R_PUT_EVENT] = {
        "WITH upd AS (UPDATE events SET (" EVENT_COLS ", cell, long_span,"
        " pending) = (" EVENT_VALUES ", $29 IS NULL, true) WHERE key ="
        " $31::bigint AND long_span = $32::boolean AND t0 = $33::bigint"
        " RETURNING key),"
        " ids AS (UPDATE event_ids SET long_span = $29 IS NULL, t0 = $5,"
        " hash = $25 FROM upd WHERE event_ids.key = upd.key),"
        " raw AS (INSERT INTO events_raw(key, raw) SELECT key, $30 FROM upd"
        " ON CONFLICT (key) DO UPDATE SET raw = excluded.raw)"
        " SELECT count(*) FROM upd", true},
    [R_PUT_ASSESSMENTS] = {
        "UPDATE events SET pending = false, verdict = $1, assessments = $2,"
        " side = $3, verdicts = $4 WHERE key = $5::bigint AND long_span ="
        " $6::boolean AND t0 = $7::bigint", false, true},
    [R_PUT_LINK] = {
        "UPDATE events SET incident = nullif($1::bigint, 0) WHERE key ="
        " $2::bigint AND long_span = $3::boolean AND t0 = $4::bigint",
        false, true},
    /* every member of the row's incident (in any month) */
    [R_UNLINK] = {
        "UPDATE events SET incident = NULL WHERE incident = (SELECT incident"
        " FROM events WHERE key = $1::bigint AND long_span = $2::boolean"
        " AND t0 = $3::bigint)", false},
    [R_DELETE_EVENT] = {
        "WITH ids AS (DELETE FROM event_ids WHERE key = $1::bigint) DELETE"
        " FROM events WHERE key = $1::bigint AND long_span = $2::boolean AND"
        " t0 = $3::bigint", false},
    [R_SET_REVIEW] = {
        "UPDATE events SET review = $1 WHERE key = $2::bigint AND long_span ="
        " $3::boolean AND t0 = $4::bigint", false},
};

/* The status of the statement that failed last (after run gave NULL):
 * TRUCE_EREADONLY for a write the server refused as a standby's, else
 * TRUCE_EDB. */
static truce_status
failure(const void *impl)
{
    return ((const struct pg *)impl)->failed;
}

/* r when the statement succeeded; else NULL, r cleared and the message
 * set (WHAT failed). */
static PGresult *
checked(struct pg *s, PGresult *r, const char *what)
{
    if (res_ok(r))
        return r;
    res_err(s, r, what);
    PQclear(r);
    return NULL;
}

/* Runs statement k with p (NULL: none). The result on success, for the
 * caller to PQclear; else NULL, with the message set (WHAT failed). */
static PGresult *
run(struct pg *s, enum stmt k, const struct params *p, const char *what)
{
    char name[16];
    PGresult *r;
    snprintf(name, sizeof(name), "truce_s%d", (int)k);
    if (!s->prepared[k]) {
        const char *sql = s->partitioned && part_stmts[k].sql
                              ? part_stmts[k].sql
                              : stmts[k].sql;
        if (!(r = checked(s, PQprepare(s->conn, name, sql, stmts[k].n,
                                        stmts[k].types),
                          what)))
            return NULL;
        PQclear(r);
        s->prepared[k] = true;
    }
    r = PQexecPrepared(s->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL,
                       NULL, 0);
    return checked(s, r, what);
}

/* Runs statement k for its effect only. */
static truce_status
run_cmd(struct pg *s, enum stmt k, const struct params *p, const char *what)
{
    PGresult *r = run(s, k, p, what);
    if (!r)
        return failure(s);
    PQclear(r);
    return TRUCE_OK;
}

/* A query's statement by its text: the cached one, or one prepared now in
 * the place of the oldest. Its name into name. */
static truce_status
cached(struct pg *s, const char *sql, int n_params, char name[24],
       const char *what)
{
    PGresult *r;
    unsigned k;
    for (k = 0; k < STMT_CACHE; k++) {
        if (s->cache[k].sql && !strcmp(s->cache[k].sql, sql)) {
            snprintf(name, 24, "truce_q%u", s->cache[k].id);
            return TRUCE_OK;
        }
    }
    k = s->cache_next++ % STMT_CACHE;
    if (s->cache[k].sql) {
        char drop[48];
        snprintf(drop, sizeof(drop), "DEALLOCATE truce_q%u", s->cache[k].id);
        PQclear(PQexec(s->conn, drop)); /* a failure only keeps it longer */
        truce__free(s->cache[k].sql);
        s->cache[k].sql = NULL;
    }
    s->cache[k].id = ++s->cache_ids;
    snprintf(name, 24, "truce_q%u", s->cache[k].id);
    r = PQprepare(s->conn, name, sql, n_params, NULL);
    if (!res_ok(r)) {
        res_err(s, r, what);
        PQclear(r);
        return TRUCE_EDB;
    }
    PQclear(r);
    if (!(s->cache[k].sql = truce__strdup(sql))) {
        /* prepared but not remembered: the name is never used again */
        return truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
    }
    return TRUCE_OK;
}

/* ---------------------------------------------------- reading rows */

/* A text column, or NULL. */
static const char *
col_text(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}

static int64_t
col_int(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? 0
                                  : strtoll(PQgetvalue(r, row, c), NULL, 10);
}

/* A count: -1 when NULL (unknown). */
static int64_t
col_count(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? -1 : col_int(r, row, c);
}

static double
col_double(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? 0 : strtod(PQgetvalue(r, row, c), NULL);
}

static bool
col_bool(const PGresult *r, int row, int c)
{
    return !PQgetisnull(r, row, c) && PQgetvalue(r, row, c)[0] == 't';
}

/* Calls fn for each row of r (one fetch) until it returns non-OK. */
typedef truce_status (*row_fn)(void *ud, const PGresult *r, int row);

static truce_status
each_row(const PGresult *r, row_fn fn, void *ud)
{
    truce_status rc = TRUCE_OK;
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ud, r, i);
    return rc;
}

/* Streams the rows of sql (with p) to fn. A bounded query (few rows by
 * its limit) runs as a cached prepared statement, read in one result;
 * any other through a cursor, FETCH_ROWS at a time: WITH HOLD outside a
 * transaction, so that fn may begin and commit its own. fn may run other
 * statements on the connection between rows. */
static truce_status
walk(struct pg *s, const char *sql, const struct params *p, bool bounded,
     row_fn fn, void *ud, const char *what)
{
    struct truce_buf b;
    char name[24], fetch[64];
    PGresult *r;
    truce_status rc = TRUCE_OK;
    if (bounded) {
        if ((rc = cached(s, sql, p->n, name, what)))
            return rc;
        r = PQexecPrepared(s->conn, name, p->n, p->v, NULL, NULL, 0);
        rc = res_ok(r) ? each_row(r, fn, ud) : res_err(s, r, what);
        PQclear(r);
        return rc;
    }
    snprintf(name, sizeof(name), "truce_c%u", ++s->cursors);
    truce_buf_init(&b, 0);
    truce_buf_addf(&b, "DECLARE %s NO SCROLL CURSOR %sFOR ", name,
                   PQtransactionStatus(s->conn) == PQTRANS_IDLE ? "WITH HOLD "
                                                                : "");
    if (truce_buf_adds(&b, sql)) {
        truce_buf_release(&b);
        return truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
    }
    r = PQexecParams(s->conn, b.buf, p->n, NULL, p->v, NULL, NULL, 0);
    truce_buf_release(&b);
    if (!res_ok(r)) {
        rc = res_err(s, r, what);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    snprintf(fetch, sizeof(fetch), "FETCH FORWARD %d FROM %s", FETCH_ROWS,
             name);
    for (;;) {
        int n;
        r = PQexec(s->conn, fetch);
        if (!res_ok(r)) {
            rc = res_err(s, r, what);
            PQclear(r);
            break;
        }
        n = PQntuples(r);
        rc = each_row(r, fn, ud);
        PQclear(r);
        if (rc || n < FETCH_ROWS)
            break;
    }
    /* In a failed transaction the cursor goes with its rollback. */
    if (PQtransactionStatus(s->conn) != PQTRANS_INERROR) {
        snprintf(fetch, sizeof(fetch), "CLOSE %s", name);
        PQclear(PQexec(s->conn, fetch));
    }
    return rc;
}

/* ------------------------------------------- an event's row, by month */

/* Remembers where an event lives (read by a query, or just stored), for
 * the writes that follow (an assess batch's, the linking's). */
static void
remember_row(struct pg *s, int64_t key, int64_t t0, bool long_span)
{
    struct row *r;
    if (!s->rows && !(s->rows = truce__calloc(ROW_CACHE, sizeof(*s->rows))))
        return; /* without memory, every write looks its row up */
    r = &s->rows[(uint64_t)key & (ROW_CACHE - 1)];
    r->key = key;
    r->t0 = t0;
    r->long_span = long_span;
}

/* The row of the event with this key if remembered (it may have moved
 * since: an update that finds nothing there looks it up). */
static bool
remembered_row(const struct pg *s, int64_t key, struct row *out)
{
    const struct row *r = s->rows ? &s->rows[(uint64_t)key & (ROW_CACHE - 1)]
                                  : NULL;
    if (!r || r->key != key)
        return false;
    *out = *r;
    return true;
}

/* The row of the event with this id (k S_ROW_OF_ID, the id as text) or
 * key (S_ROW_OF_KEY); *found false when there is none. */
static truce_status
row_of(struct pg *s, enum stmt k, const char *id, int64_t key,
       struct row *out, bool *found)
{
    struct params p = {0};
    PGresult *r;
    if (k == S_ROW_OF_ID)
        p_text(&p, id);
    else
        p_int(&p, key);
    if (!(r = run(s, k, &p, "finding an event")))
        return failure(s);
    if ((*found = PQntuples(r) == 1)) {
        out->key = col_int(r, 0, 0);
        out->long_span = col_bool(r, 0, 1);
        out->t0 = col_int(r, 0, 2);
        out->hash = col_int(r, 0, 3);
    }
    PQclear(r);
    return TRUCE_OK;
}

/* Runs row statement k with p and then the row's key, long_span and t0,
 * unprepared. The result on success, for the caller to PQclear; else
 * NULL, with the message set. */
static PGresult *
run_on_row(struct pg *s, enum row_stmt k, struct params *p,
           const struct row *row, const char *what)
{
    Oid types[MAX_PARAMS] = {0};
    PGresult *r;
    if (row_stmts[k].event)
        memcpy(types, event_types, sizeof(event_types));
    p_int(p, row->key);
    p_bool(p, row->long_span);
    p_int(p, row->t0);
    r = PQexecParams(s->conn, row_stmts[k].sql, p->n, types, p->v, NULL,
                     NULL, 0);
    return checked(s, r, what);
}

/* Runs row statement k on the row of the event with this key, for its
 * effect; nothing when there is no such event (as an update by key that
 * finds no row). A statement on that row alone (one_row) is tried first
 * where the row was last seen, and again where event_ids says it is
 * when it changed nothing there. */
static truce_status
run_on_key(struct pg *s, enum row_stmt k, struct params *p, int64_t key,
           const char *what)
{
    struct row row;
    bool found;
    int n = p->n;
    PGresult *r;
    truce_status rc;
    if (row_stmts[k].one_row && remembered_row(s, key, &row)) {
        if (!(r = run_on_row(s, k, p, &row, what)))
            return failure(s);
        found = strcmp(PQcmdTuples(r), "0") != 0;
        PQclear(r);
        if (found)
            return TRUCE_OK;
        p->n = n; /* the row's three again, from event_ids */
    }
    if ((rc = row_of(s, S_ROW_OF_KEY, NULL, key, &row, &found)) || !found)
        return rc;
    if (!(r = run_on_row(s, k, p, &row, what)))
        return failure(s);
    PQclear(r);
    remember_row(s, row.key, row.t0, row.long_span);
    return TRUCE_OK;
}

/* ---------------------------------------------------------- schema */

/* The first schema's parts. The events' columns after key and id; the
 * tables beside them; the indexes (a PostgreSQL index made on a
 * partitioned table is made on each partition, those to come too). */
#define META_AND_DOCS                                                       \
    "CREATE TABLE meta(key TEXT COLLATE \"C\" PRIMARY KEY,"                 \
    " value BIGINT NOT NULL);"                                              \
    "INSERT INTO meta VALUES('schema_version', 0);"                         \
    "CREATE TABLE docs(kind TEXT COLLATE \"C\" NOT NULL,"                   \
    " id TEXT COLLATE \"C\" NOT NULL, json TEXT NOT NULL,"                  \
    " updated_at TEXT NOT NULL DEFAULT " NOW_UTC ", PRIMARY KEY(kind, id));"
#define EVENT_COLUMNS                                                       \
    " source TEXT COLLATE \"C\", source_id TEXT,"                           \
    " time_kind INTEGER NOT NULL, t0 BIGINT NOT NULL, t1 BIGINT NOT NULL,"  \
    " date_only BOOLEAN NOT NULL, lat DOUBLE PRECISION NOT NULL,"           \
    " lon DOUBLE PRECISION NOT NULL, radius_km DOUBLE PRECISION NOT NULL,"  \
    " category TEXT NOT NULL, subcategory TEXT, directed BOOLEAN NOT NULL," \
    " actor1 TEXT, actor2 TEXT, fatalities BIGINT, fatalities_low BIGINT,"  \
    " fatalities_high BIGINT, civilian_fatalities BIGINT,"                  \
    " civilian_targeting BOOLEAN NOT NULL, protected_site BOOLEAN NOT NULL," \
    " location TEXT, admin1 TEXT, notes TEXT, hash BIGINT NOT NULL,"        \
    " pending BOOLEAN NOT NULL DEFAULT true, verdict TEXT COLLATE \"C\","   \
    " assessments TEXT, side TEXT, verdicts TEXT, cell BIGINT, review TEXT"
/* The original records live apart, so that the rows that assessment reads
 * and rewrites stay small. */
#define EVENTS_RAW "CREATE TABLE events_raw(key BIGINT PRIMARY KEY, raw TEXT);"
#define EVENT_INDEXES                                                       \
    /* the pending events in key order, as assess reads them */             \
    "CREATE INDEX events_pending ON events(key) WHERE pending;"             \
    "CREATE INDEX events_t0 ON events(t0);"                                 \
    "CREATE INDEX events_verdict ON events(verdict);"                       \
    /* A map's box and dates: events of at most two days by grid cell and   \
     * start, with the place in the index; longer ones (a few, with wide    \
     * time boxes: SQLite's R*Tree) by place alone. */                      \
    "CREATE INDEX events_cell ON events(cell, t0, lon, lat) WHERE cell IS"  \
    " NOT NULL;"                                                            \
    "CREATE INDEX events_long ON events(lon, lat) WHERE cell IS NULL;"

/* The steps of store_sqlite.c's migrations, numbered as there, in
 * PostgreSQL's words. Text keys compare byte by byte (COLLATE "C"), as
 * SQLite's do, whatever the database's locale: the order of documents,
 * places and sources is the same on both. */
static const char *const migrations[] = {
    /* 1: the first schema, and the counter of these steps */
    META_AND_DOCS
    "CREATE TABLE events("
    " key BIGSERIAL PRIMARY KEY, id TEXT COLLATE \"C\" NOT NULL UNIQUE,"
    EVENT_COLUMNS ");"
    EVENTS_RAW
    EVENT_INDEXES,
    /* 2: the monitoring cell: users, the audit trail, counters */
    "INSERT INTO meta VALUES('model_version', 0), ('field_seq', 0);"
    "CREATE TABLE users(id BIGSERIAL PRIMARY KEY,"
    " name TEXT COLLATE \"C\" NOT NULL UNIQUE, role TEXT NOT NULL,"
    " token_hash TEXT NOT NULL,"
    " created_at TEXT NOT NULL DEFAULT " NOW_UTC ");"
    "CREATE TABLE audit(id BIGSERIAL PRIMARY KEY,"
    " at TEXT NOT NULL DEFAULT " NOW_UTC_MS ", event TEXT COLLATE \"C\","
    " entry TEXT NOT NULL);"
    "CREATE INDEX audit_event ON audit(event, id);",
    /* 3: the actor types as the source wrote them (ACLED's inter codes),
     * the area of an event placed only at a country */
    "ALTER TABLE events ADD COLUMN inter1 TEXT,"
    " ADD COLUMN inter2 TEXT, ADD COLUMN area TEXT;",
    /* 4: the gazetteer's places (reading the news) */
    "CREATE TABLE places(id TEXT COLLATE \"C\" PRIMARY KEY,"
    " name TEXT NOT NULL, alternates TEXT, lat DOUBLE PRECISION NOT NULL,"
    " lon DOUBLE PRECISION NOT NULL,"
    " radius_km DOUBLE PRECISION NOT NULL DEFAULT 0, country TEXT,"
    " admin1 TEXT, feature TEXT, population BIGINT, timezone TEXT,"
    " hash BIGINT NOT NULL);",
    /* 5: incidents (DESIGN section 15): the key of the representative of
     * an event's incident, NULL while it is not linked (the index finds
     * both an incident's members and the events to link) */
    "ALTER TABLE events ADD COLUMN incident BIGINT;"
    "CREATE INDEX events_incident ON events(incident);"
    /* whether more than one source is loaded, at a glance */
    "CREATE INDEX events_source ON events(source);",
    /* 6: forms derived from the events, kept beside them for the events
     * version they were made at (the bulk assessment's compact events) */
    "CREATE TABLE caches(name TEXT COLLATE \"C\" PRIMARY KEY,"
    " version BIGINT NOT NULL, data BYTEA NOT NULL);",
};

/* Step 1 of a store partitioned by month, in the place of migrations[0];
 * the later steps are the same (a column added to events or an index made
 * on it goes to every partition). The partition key must be in every
 * unique index of a partitioned table, so the key is not the primary key
 * here and the ids' uniqueness is event_ids's (put_event writes both in
 * one statement). The months' partitions are made as their first events
 * come (ensure_month); long spans have theirs from the start. */
static const char *const partitioned_first =
    META_AND_DOCS
    "CREATE TABLE events("
    " key BIGSERIAL NOT NULL, id TEXT COLLATE \"C\" NOT NULL,"
    EVENT_COLUMNS ", long_span BOOLEAN NOT NULL)"
    " PARTITION BY RANGE (long_span, t0);"
    "CREATE TABLE events_multiday PARTITION OF events"
    " FOR VALUES FROM (true, MINVALUE) TO (MAXVALUE, MAXVALUE);"
    "CREATE TABLE event_ids(id TEXT COLLATE \"C\" PRIMARY KEY,"
    " key BIGINT NOT NULL UNIQUE, long_span BOOLEAN NOT NULL,"
    " t0 BIGINT NOT NULL, hash BIGINT NOT NULL);"
    "CREATE INDEX events_key ON events(key);"
    EVENTS_RAW
    EVENT_INDEXES;

/* The store's schema version into *v: 0 when the database has no store
 * (no meta table), -1 when meta has no version (none truce makes). */
static truce_status
read_version(struct pg *s, int *v)
{
    PGresult *r = PQexec(s->conn, "SELECT to_regclass('meta') IS NOT NULL");
    bool made;
    *v = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        res_err(s, r, "reading the schema version");
        PQclear(r);
        return TRUCE_EDB;
    }
    made = col_bool(r, 0, 0);
    PQclear(r);
    if (!made)
        return TRUCE_OK;
    r = PQexec(s->conn, "SELECT value FROM meta WHERE key = "
                        "'schema_version'");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        res_err(s, r, "reading the schema version");
        PQclear(r);
        return TRUCE_EDB;
    }
    *v = PQntuples(r) == 1 ? (int)col_int(r, 0, 0) : -1;
    PQclear(r);
    return TRUCE_OK;
}

static int
pg_version(void *impl)
{
    int v;
    return read_version(impl, &v) ? -1 : v;
}

static void
rollback_quiet(struct pg *s)
{
    PQclear(PQexec(s->conn, "ROLLBACK"));
}

/* Brings the schema to SCHEMA_VERSION, inside the write lock, reading the
 * version again there in case another process migrated first. Without
 * create, a database with no store is TRUCE_ENOTFOUND; with partition, a
 * store made now keeps its events by month (an existing one keeps the
 * layout it was made with). */
static truce_status
migrate(struct pg *s, bool create, bool partition)
{
    int v;
    int want = (int)(sizeof(migrations) / sizeof(migrations[0]));
    char sql[96];
    if (read_version(s, &v))
        return TRUCE_EDB;
    if (v < 0)
        return truce__err(s->ctx, TRUCE_EDB, "store: schema version %d is "
                          "none that truce writes: the store is damaged", v);
    if (v > want)
        return truce__err(s->ctx, TRUCE_EDB, "store: schema version %d is "
                          "newer than this truce (%d)", v, want);
    if (v == want)
        return TRUCE_OK;
    if (v == 0 && !create)
        return truce__err(s->ctx, TRUCE_ENOTFOUND, "no store in '%s' (make "
                          "one with 'truce init', or check --db and "
                          "TRUCE_DB)", s->where);
    if (exec_sql(s, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")",
                 "migrating the schema"))
        return TRUCE_EDB;
    if (read_version(s, &v)) {
        rollback_quiet(s);
        return TRUCE_EDB;
    }
    for (; v < want; v++) {
        PGresult *r = PQexec(s->conn, v == 0 && partition ? partitioned_first
                                                          : migrations[v]);
        if (!res_ok(r)) {
            char line[512];
            first_line(line, sizeof(line),
                       PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
            truce__err(s->ctx, TRUCE_EDB, "store: cannot bring schema "
                       "version %d to %d (%s): is the store damaged?", v,
                       v + 1, line);
            PQclear(r);
            rollback_quiet(s);
            return TRUCE_EDB;
        }
        PQclear(r);
    }
    snprintf(sql, sizeof(sql), "UPDATE meta SET value = %d WHERE key = "
             "'schema_version'", want);
    if (exec_sql(s, sql, "migrating the schema") ||
        exec_sql(s, "COMMIT", "migrating the schema")) {
        rollback_quiet(s);
        return TRUCE_EDB;
    }
    return TRUCE_OK;
}

/* Whether the store's events are partitioned (however it was made). */
static truce_status
read_layout(struct pg *s)
{
    PGresult *r = PQexec(s->conn, "SELECT coalesce((SELECT relkind = 'p'"
                                  " FROM pg_class WHERE oid ="
                                  " to_regclass('events')), false)");
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        res_err(s, r, "reading the store's layout");
        PQclear(r);
        return TRUCE_EDB;
    }
    s->partitioned = col_bool(r, 0, 0);
    PQclear(r);
    return TRUCE_OK;
}

/* ------------------------------------------------------ connection */

/* The URL for libpq, without truce's own parameter partition=month (which
 * libpq would refuse), into *conninfo (caller frees), and whether it was
 * there. Any other value of it is TRUCE_EINVAL. */
static truce_status
take_partition(struct truce_ctx *ctx, const char *url, char **conninfo,
               bool *partition)
{
    const char *q = strchr(url, '?'), *p;
    bool first = true;
    struct truce_buf b;
    truce_status rc;
    *partition = false;
    *conninfo = NULL;
    truce_buf_init(&b, 0);
    rc = truce_buf_add(&b, url, q ? (size_t)(q - url) : strlen(url));
    for (p = q ? q + 1 : NULL; !rc && p && *p; p += strcspn(p, "&")) {
        size_t n;
        p += *p == '&';
        if (!(n = strcspn(p, "&")))
            continue;
        if (n < 10 || strncmp(p, "partition=", 10)) {
            if (!(rc = truce_buf_adds(&b, first ? "?" : "&")))
                rc = truce_buf_add(&b, p, n);
            first = false;
        } else if (n == 15 && !strncmp(p + 10, "month", 5)) {
            *partition = true;
        } else {
            truce_buf_release(&b);
            return truce__err(ctx, TRUCE_EINVAL, "store: '%.*s' in the URL: "
                              "the events are partitioned by month or not at "
                              "all (partition=month)", (int)n, p);
        }
    }
    if (rc || !b.alloc) {
        truce_buf_release(&b);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    *conninfo = truce_buf_detach(&b);
    return TRUCE_OK;
}

/* The URL without its password (in the user part or as a parameter),
 * for messages. Caller frees. */
static char *
url_for_messages(const char *url)
{
    struct truce_buf b;
    const char *p = strstr(url, "://"), *at, *colon, *pw;
    truce_buf_init(&b, 0);
    if (p && (at = strchr(p + 3, '@')) &&
        (colon = memchr(p + 3, ':', (size_t)(at - p - 3)))) {
        truce_buf_add(&b, url, (size_t)(colon - url + 1));
        truce_buf_adds(&b, "***");
        url = at;
    }
    if ((pw = strstr(url, "password="))) {
        truce_buf_add(&b, url, (size_t)(pw - url) + 9);
        truce_buf_adds(&b, "***");
        url = pw + 9 + strcspn(pw + 9, "&");
    }
    truce_buf_adds(&b, url);
    return b.alloc ? truce_buf_detach(&b) : NULL;
}

/* libpq prints notices on stderr by default; the library prints nothing. */
static void
quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Whether a failed connection never reached a server (as opposed to one
 * that answered and refused). */
static bool
unreachable(const char *msg)
{
    static const char *const signs[] = {
        "Connection refused", "could not connect", "timeout expired",
        "could not translate host name", "No such file or directory",
        "Network is unreachable", "No route to host"};
    for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++) {
        if (strstr(msg, signs[i]))
            return true;
    }
    return false;
}

static truce_status
connect_err(struct pg *s)
{
    const char *host = PQhost(s->conn), *port = PQport(s->conn);
    const char *msg = PQerrorMessage(s->conn);
    char line[512];
    /* libpq's message names the server first; its reason is the rest */
    const char *why = strstr(msg, "failed: ");
    first_line(line, sizeof(line), why ? why + 8 : msg);
    if (unreachable(msg))
        return truce__err(s->ctx, TRUCE_EDB, "cannot open store '%s': no "
                          "PostgreSQL server answers at %s:%s (%s; is it "
                          "running, and are host and port right?)",
                          s->where, host && host[0] ? host : "localhost",
                          port && port[0] ? port : "5432", line);
    return truce__err(s->ctx, TRUCE_EDB, "cannot open store '%s': the "
                      "PostgreSQL server at %s:%s refused: %s", s->where,
                      host && host[0] ? host : "localhost",
                      port && port[0] ? port : "5432", line);
}

static void
pg_close(void *impl)
{
    struct pg *s = impl;
    if (!s)
        return;
    for (unsigned i = 0; i < STMT_CACHE; i++)
        truce__free(s->cache[i].sql);
    truce__free(s->months);
    truce__free(s->rows);
    truce__free(s->conninfo);
    PQfinish(s->ddl);
    PQfinish(s->conn);
    truce__free(s->where);
    truce__free(s);
}

static truce_status
pg_open(struct truce_ctx *ctx, const char *path, bool create, void **impl)
{
    /* The URL's own settings come last and win: the defaults are only a
     * connect timeout and the name the server's views show. */
    const char *const keys[] = {"connect_timeout", "application_name",
                                "dbname", NULL};
    const char *values[] = {"10", "truce", NULL, NULL};
    char *conninfo;
    bool partition;
    struct pg *s;
    truce_status rc;
    if ((rc = take_partition(ctx, path, &conninfo, &partition)))
        return rc;
    if (!(s = truce__calloc(1, sizeof(*s))) ||
        !(s->where = url_for_messages(path))) {
        truce__free(s);
        truce__free(conninfo);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    s->ctx = ctx;
    s->conninfo = conninfo;
    values[2] = conninfo;
    s->conn = PQconnectdbParams(keys, values, 1);
    if (!s->conn) {
        pg_close(s);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        rc = connect_err(s);
        pg_close(s);
        return rc;
    }
    PQsetNoticeProcessor(s->conn, quiet_notice, NULL);
    /* Times and numbers as the code reads them, whatever the server's
     * defaults. */
    if ((rc = exec_sql(s, "SET TIME ZONE 'UTC'; SET extra_float_digits = 1;"
                          " SET client_encoding = 'UTF8'",
                       "setting up the connection")) ||
        (rc = migrate(s, create, partition)) || (rc = read_layout(s))) {
        pg_close(s);
        return rc;
    }
    *impl = s;
    return TRUCE_OK;
}

/* ---------------------------------------------------------- months */

/* Has this connection made or found the partition of the month that
 * starts at lo? */
static bool
month_known(const struct pg *s, int64_t lo)
{
    for (size_t i = 0; i < s->n_months; i++) {
        if (s->months[i] == lo)
            return true;
    }
    return false;
}

static truce_status
remember_month(struct pg *s, int64_t lo)
{
    if (s->n_months == s->cap_months) {
        size_t cap = s->cap_months ? 2 * s->cap_months : 64;
        int64_t *m = truce__realloc(s->months, cap * sizeof(*m));
        if (!m)
            return truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
        s->months = m;
        s->cap_months = cap;
    }
    s->months[s->n_months++] = lo;
    return TRUCE_OK;
}

/* A month's partition may have gone (detached by hand): the months are
 * looked for again (a statement each). */
static void
forget_months(struct pg *s)
{
    s->n_months = 0;
}

/* The connection that makes months while the store's own is inside a
 * transaction, opened on first use with the store's URL. */
static truce_status
ddl_conn(struct pg *s, PGconn **out)
{
    const char *const keys[] = {"connect_timeout", "application_name",
                                "dbname", NULL};
    const char *const values[] = {"10", "truce", s->conninfo, NULL};
    if (!s->ddl) {
        s->ddl = PQconnectdbParams(keys, values, 1);
        if (!s->ddl)
            return truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
        PQsetNoticeProcessor(s->ddl, quiet_notice, NULL);
    }
    if (PQstatus(s->ddl) != CONNECTION_OK) {
        char line[512];
        first_line(line, sizeof(line), PQerrorMessage(s->ddl));
        PQfinish(s->ddl);
        s->ddl = NULL;
        return truce__err(s->ctx, TRUCE_EDB, "store: making the partition "
                          "of a month: %s", line);
    }
    *out = s->ddl;
    return TRUCE_OK;
}

/* Runs sql on the months' connection. */
static truce_status
ddl_exec(struct pg *s, const char *sql)
{
    PGconn *c = NULL;
    PGresult *r;
    truce_status rc;
    char line[512];
    if ((rc = ddl_conn(s, &c)))
        return rc;
    r = PQexec(c, sql);
    if (res_ok(r)) {
        PQclear(r);
        return TRUCE_OK;
    }
    first_line(line, sizeof(line), r ? PQresultErrorField(
                                           r, PG_DIAG_MESSAGE_PRIMARY)
                                     : PQerrorMessage(c));
    PQclear(r);
    return truce__err(s->ctx, TRUCE_EDB, "store: making the partition of a "
                      "month: %s", line[0] ? line : "unknown error");
}

/* Whether the table called name (quoted) exists and is a partition. */
static truce_status
month_table(struct pg *s, const char *name, bool *exists, bool *attached)
{
    const char *v[1] = {name};
    PGresult *r = PQexecParams(s->conn, "SELECT relispartition FROM pg_class"
                               " WHERE oid = to_regclass($1)", 1, NULL, v,
                               NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        truce_status rc = res_err(s, r, "making the partition of a month");
        PQclear(r);
        return rc;
    }
    *exists = PQntuples(r) == 1;
    *attached = *exists && col_bool(r, 0, 0);
    PQclear(r);
    return TRUCE_OK;
}

/* Makes the partition of the month of t0 (an event of at most
 * TRUCE__SHORT_DAYS) unless this connection has made or found it. The
 * table is made alone and then attached, which readers and the writers
 * of other months pass (CREATE TABLE ... PARTITION OF would lock the
 * whole table out to the end of its transaction: every reader would wait
 * for the ingest batch that brings a month's first event); nothing is
 * done when it exists. Inside a transaction (which holds the write lock,
 * so no other writer makes one at once) the month is made and committed
 * on a connection of its own, and the transaction then locks the new
 * partition, which makes it read the table's partitions again. Outside
 * one, in a short transaction that takes the write lock. A month made
 * stays if the transaction that needed it rolls back: it is empty. A
 * table of the month's name that is not a partition (a month detached by
 * hand) is refused. */
static truce_status
ensure_month(struct pg *s, int64_t t0)
{
    int64_t days = t0 / 86400 - (t0 % 86400 < 0), lo, hi;
    int y, m, d;
    char name[40], ddl[400];
    bool own, exists = false, attached = false;
    truce_status rc;
    if (days < -3000000 || days > 3000000)
        return truce__err(s->ctx, TRUCE_EINVAL, "store: an event starting "
                          "%lld s from 1970 is beyond the years a "
                          "partitioned store keeps", (long long)t0);
    truce_civil_from_days(days, &y, &m, &d);
    lo = truce_days_from_civil(y, m, 1) * 86400;
    if (month_known(s, lo))
        return TRUCE_OK;
    hi = truce_days_from_civil(m == 12 ? y + 1 : y, m % 12 + 1, 1) * 86400;
    snprintf(name, sizeof(name), "\"events_%04d_%02d\"", y, m);
    snprintf(ddl, sizeof(ddl), "SET lock_timeout = '60s'; CREATE TABLE %s "
             "(LIKE events INCLUDING DEFAULTS); ALTER TABLE events ATTACH "
             "PARTITION %s FOR VALUES FROM (false, %lld) TO (false, %lld)",
             name, name, (long long)lo, (long long)hi);
    own = PQtransactionStatus(s->conn) == PQTRANS_IDLE;
    if (own && (rc = exec_sql(s, "BEGIN; SET LOCAL lock_timeout = '60s';"
                                 " SELECT pg_advisory_xact_lock("
                                 WRITE_LOCK ")",
                              "making the partition of a month")))
        return rc;
    if (!(rc = month_table(s, name, &exists, &attached)) && exists &&
        !attached)
        rc = truce__err(s->ctx, TRUCE_EDB, "store: the table %s is not a "
                        "partition of events (a month detached?): attach it "
                        "again, or rename it, before storing events of that "
                        "month", name);
    if (!rc && !exists && own)
        rc = exec_sql(s, ddl, "making the partition of a month");
    else if (!rc && !exists) {
        char lock[80];
        snprintf(lock, sizeof(lock), "LOCK TABLE %s IN ROW EXCLUSIVE MODE",
                 name);
        if (!(rc = ddl_exec(s, ddl)))
            rc = exec_sql(s, lock, "making the partition of a month");
    }
    if (own && !rc)
        rc = exec_sql(s, "COMMIT", "making the partition of a month");
    if (own && rc)
        rollback_quiet(s);
    return rc ? rc : remember_month(s, lo);
}

static truce_status
pg_begin(void *impl)
{
    struct pg *s = impl;
    /* PostgreSQL only warns of these; SQLite refuses them, and so does
     * every backend. */
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        return truce__err(s->ctx, TRUCE_EDB, "store: beginning a "
                          "transaction: cannot start a transaction within a "
                          "transaction");
    /* Every transaction begun here writes: a standby's is refused at once
     * (its first write would be). */
    if (read_only_now(s))
        return read_only_err(s, "beginning a transaction");
    /* Waits for the writer before; a minute is long enough for any batch
     * of an ingest or an assess run. */
    return exec_sql(s, "BEGIN; SET LOCAL lock_timeout = '60s';"
                       " SELECT pg_advisory_xact_lock(" WRITE_LOCK ")",
                    "beginning a transaction");
}

static truce_status
pg_commit(void *impl)
{
    struct pg *s = impl;
    PGresult *r;
    truce_status rc = TRUCE_OK;
    if (PQtransactionStatus(s->conn) == PQTRANS_IDLE)
        return truce__err(s->ctx, TRUCE_EDB, "store: committing: cannot "
                          "commit - no transaction is active");
    if (PQtransactionStatus(s->conn) == PQTRANS_INERROR) {
        rollback_quiet(s);
        return truce__err(s->ctx, TRUCE_EDB, "store: committing: a "
                          "statement of the transaction failed; nothing of "
                          "it was kept");
    }
    r = PQexec(s->conn, "COMMIT");
    if (!res_ok(r))
        rc = res_err(s, r, "committing");
    PQclear(r);
    return rc;
}

static truce_status
pg_rollback(void *impl)
{
    struct pg *s = impl;
    /* A transaction the server already ended leaves nothing to undo, and
     * the error that ended it is the one to report. */
    if (PQtransactionStatus(s->conn) == PQTRANS_IDLE)
        return TRUCE_OK;
    return exec_sql(s, "ROLLBACK", "rolling back");
}

/* ---------------------------------------------------------- events */

static void
event_params(struct params *p, const struct truce_event *ev, uint64_t hash)
{
    p_text(p, ev->id);
    p_text(p, ev->source);
    p_text(p, ev->source_id);
    p_int(p, ev->time_kind);
    p_int(p, ev->t0);
    p_int(p, ev->t1);
    p_bool(p, ev->date_only);
    p_double(p, ev->lat);
    p_double(p, ev->lon);
    p_double(p, ev->radius_km);
    p_text(p, truce_category_name(ev->category));
    p_text(p, ev->subcategory);
    p_bool(p, ev->directed);
    p_text(p, ev->actor1);
    p_text(p, ev->actor2);
    p_count(p, ev->fatalities);
    p_count(p, ev->fatalities_low);
    p_count(p, ev->fatalities_high);
    p_count(p, ev->civilian_fatalities);
    p_bool(p, ev->civilian_targeting);
    p_bool(p, ev->protected_site);
    p_text(p, ev->location);
    p_text(p, ev->admin1);
    p_text(p, ev->notes);
    p_int(p, (int64_t)hash);
    p_text(p, ev->inter1);
    p_text(p, ev->inter2);
    p_text(p, ev->area);
    if (truce__map_short(ev))
        p_int(p, truce__map_cell(ev->lon, ev->lat));
    else
        p_text(p, NULL);
    p_text(p, ev->raw);
}

/* By id and change hash in a store partitioned by month: the row found
 * in event_ids (one round trip), then the event inserted, or updated in
 * its partition (moved to another when its month changed), or left
 * alone. */
static truce_status
put_event_by_month(struct pg *s, const struct truce_event *ev,
                   enum truce_put_result *out, int64_t *key)
{
    struct params p = {0};
    struct row row;
    uint64_t hash = truce__event_hash(ev);
    bool found;
    PGresult *r;
    truce_status rc;
    if ((truce__map_short(ev) && (rc = ensure_month(s, ev->t0))) ||
        (rc = row_of(s, S_ROW_OF_ID, ev->id, 0, &row, &found)))
        return rc;
    if (found && row.hash == (int64_t)hash) {
        *key = row.key;
        *out = TRUCE_PUT_UNCHANGED;
        return TRUCE_OK;
    }
    event_params(&p, ev, hash);
    r = found ? run_on_row(s, R_PUT_EVENT, &p, &row, "storing an event")
              : run(s, S_PUT_EVENT, &p, "storing an event");
    if (!r) {
        forget_months(s); /* a month's partition may be gone */
        return failure(s);
    }
    *key = found ? row.key : col_int(r, 0, 0);
    *out = found ? TRUCE_PUT_UPDATED : TRUCE_PUT_INSERTED;
    PQclear(r);
    remember_row(s, *key, ev->t0, !truce__map_short(ev));
    return TRUCE_OK;
}

static truce_status
pg_put_event(void *impl, const struct truce_event *ev,
             enum truce_put_result *out, int64_t *key)
{
    struct pg *s = impl;
    struct params p = {0};
    PGresult *r;
    if (s->partitioned)
        return put_event_by_month(s, ev, out, key);
    event_params(&p, ev, truce__event_hash(ev));
    if (!(r = run(s, S_PUT_EVENT, &p, "storing an event")))
        return failure(s);
    *key = col_int(r, 0, 0);
    *out = col_bool(r, 0, 1)   ? TRUCE_PUT_INSERTED
           : col_bool(r, 0, 2) ? TRUCE_PUT_UPDATED
                               : TRUCE_PUT_UNCHANGED;
    PQclear(r);
    return TRUCE_OK;
}

/* -------------------------------------------------------- documents */

static truce_status
pg_get_doc(void *impl, const char *kind, const char *id, char **out)
{
    struct pg *s = impl;
    struct params p = {0};
    PGresult *r;
    truce_status rc = TRUCE_OK;
    *out = NULL;
    p_text(&p, kind);
    p_text(&p, id);
    if (!(r = run(s, S_GET_DOC, &p, "reading a document")))
        return failure(s);
    if (PQntuples(r) == 1 && !(*out = truce__strdup(PQgetvalue(r, 0, 0))))
        rc = truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
    PQclear(r);
    return rc;
}

static truce_status
pg_put_doc(void *impl, const char *kind, const char *id, const char *json,
           bool *changed)
{
    struct pg *s = impl;
    struct params p = {0};
    PGresult *r;
    p_text(&p, kind);
    p_text(&p, id);
    p_text(&p, json);
    if (!(r = run(s, S_PUT_DOC, &p, "writing a document")))
        return failure(s);
    *changed = PQntuples(r) == 1;
    PQclear(r);
    return TRUCE_OK;
}

struct text_walk {
    truce_text_fn fn;
    void *ud;
};

static truce_status
doc_row(void *ud, const PGresult *r, int row)
{
    struct text_walk *w = ud;
    return w->fn(w->ud, PQgetvalue(r, row, 0), PQgetvalue(r, row, 1));
}

static truce_status
pg_each_doc(void *impl, const char *kind, truce_text_fn fn, void *ud)
{
    struct pg *s = impl;
    struct params p = {0};
    struct text_walk w = {fn, ud};
    p_text(&p, kind);
    return walk(s, "SELECT id, json FROM docs WHERE kind = $1 ORDER BY id",
                &p, false, doc_row, &w, "reading documents");
}

static truce_status
pg_bump_places_version(void *impl)
{
    return run_cmd(impl, S_BUMP_PLACES, NULL, "moving the places' version");
}

static truce_status
pg_bump_events_version(void *impl)
{
    return run_cmd(impl, S_BUMP_EVENTS, NULL, "moving the events' version");
}

static truce_status
pg_bump_model_version(void *impl)
{
    return run_cmd(impl, S_BUMP_MODEL, NULL, "moving the model's version");
}

/* ---------------------------------------------------------- places */

/* store_sqlite.c's: a change of any field is a change. */
static uint64_t
place_hash(const struct truce_place *p)
{
    const char *const texts[] = {p->name, p->alternates, p->country,
                                 p->admin1, p->feature, p->timezone};
    double nums[] = {p->lat, p->lon, p->radius_km, (double)p->population};
    uint64_t h = truce__hash(nums, sizeof(nums), 1469598103934665603ull);
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        h = truce__hash(texts[i] ? texts[i] : "\x01", texts[i] ?
                        strlen(texts[i]) + 1 : 1, h);
    return h;
}

static truce_status
pg_put_place(void *impl, const struct truce_place *pl,
             enum truce_put_result *out)
{
    struct pg *s = impl;
    struct params p = {0};
    PGresult *r;
    p_text(&p, pl->id);
    p_text(&p, pl->name);
    p_text(&p, pl->alternates);
    p_double(&p, pl->lat);
    p_double(&p, pl->lon);
    p_double(&p, pl->radius_km);
    p_text(&p, pl->country);
    p_text(&p, pl->admin1);
    p_text(&p, pl->feature);
    p_count(&p, pl->population);
    p_text(&p, pl->timezone);
    p_int(&p, (int64_t)place_hash(pl));
    if (!(r = run(s, S_PUT_PLACE, &p, "storing a place")))
        return failure(s);
    *out = PQgetisnull(r, 0, 0) ? TRUCE_PUT_INSERTED
           : col_bool(r, 0, 1)  ? TRUCE_PUT_UPDATED
                                : TRUCE_PUT_UNCHANGED;
    PQclear(r);
    return TRUCE_OK;
}

struct place_walk {
    struct pg *s;
    truce_place_fn fn;
    void *ud;
};

static truce_status
place_row(void *ud, const PGresult *r, int row)
{
    struct place_walk *w = ud;
    struct truce_place p = {0};
    p.id = (char *)col_text(r, row, 0);
    p.name = (char *)col_text(r, row, 1);
    p.alternates = (char *)col_text(r, row, 2);
    p.lat = col_double(r, row, 3);
    p.lon = col_double(r, row, 4);
    p.radius_km = col_double(r, row, 5);
    p.country = (char *)col_text(r, row, 6);
    p.admin1 = (char *)col_text(r, row, 7);
    p.feature = (char *)col_text(r, row, 8);
    p.population = col_count(r, row, 9);
    p.timezone = (char *)col_text(r, row, 10);
    if (!p.id || !p.name)
        return truce__err(w->s->ctx, TRUCE_EDB, "store: a place with no id "
                          "or name: the store is damaged");
    return w->fn(w->ud, &p);
}

static truce_status
pg_each_place(void *impl, truce_place_fn fn, void *ud)
{
    struct pg *s = impl;
    struct params p = {0};
    struct place_walk w = {s, fn, ud};
    return walk(s, "SELECT id, name, alternates, lat, lon, radius_km, "
                   "country, admin1, feature, population, timezone FROM "
                   "places ORDER BY id",
                &p, false, place_row, &w, "reading the places");
}

static truce_status
pg_mark_all(void *impl)
{
    return run_cmd(impl, S_MARK_ALL, NULL, "marking events");
}

static truce_status
pg_counts(void *impl, int64_t *events, int64_t *pending)
{
    PGresult *r = run(impl, S_COUNTS, NULL, "counting events");
    if (!r)
        return failure(impl);
    *events = col_int(r, 0, 0);
    *pending = col_int(r, 0, 1);
    PQclear(r);
    return TRUCE_OK;
}

/* ------------------------------------------------------ assessments */

/* The texts are store.c's (truce__assessments_text); kept as they come. */
static truce_status
pg_put_assessments(void *impl, int64_t key,
                   const struct truce__assessments_text *t)
{
    struct params p = {0};
    p_text(&p, t->overall);
    p_text(&p, t->list);
    p_text(&p, t->sides);
    p_text(&p, t->verdicts);
    if (((struct pg *)impl)->partitioned)
        return run_on_key(impl, R_PUT_ASSESSMENTS, &p, key,
                          "storing assessments");
    p_int(&p, key);
    return run_cmd(impl, S_PUT_ASSESSMENTS, &p, "storing assessments");
}

/* ------------------------------------------------------------ query */

/* The columns of a query's rows: the key, EVENT_COLS from 1, then these. */
enum {
    COL_VERDICT = N_EVENT_COLS + 1,
    COL_PENDING,
    COL_ASSESSMENTS,
    COL_INCIDENT,
    COL_RAW
};

/* The columns of a map row (struct truce_map_row). */
#define MAP_COLS                                                            \
    "e.key, e.id, e.time_kind, e.t0, e.t1, e.date_only, e.lat, e.lon,"     \
    " e.radius_km, e.category, e.verdict, e.location, e.fatalities,"       \
    " e.side, e.verdicts, e.pending, e.review, e.incident"

/* The box: the place exactly, and the index's way to it (short events by
 * cell and a start no earlier than TRUCE__SHORT_DAYS before the range, long ones
 * by place); the range itself is the time filters'. */
static void
add_bbox(struct truce_buf *sql, struct params *p, const struct truce_query *q,
         const char *cells)
{
    int w = p_double(p, q->bbox[0]), so = p_double(p, q->bbox[1]);
    int e = p_double(p, q->bbox[2]), n = p_double(p, q->bbox[3]);
    int t0min = p_int(p, q->has_from ? q->from - TRUCE__SHORT_DAYS * 86400LL - 1
                                     : INT64_MIN);
    int t0max = p_int(p, q->has_to ? q->to : INT64_MAX);
    truce_buf_addf(sql, " AND e.lon BETWEEN $%d AND $%d AND e.lat BETWEEN "
                   "$%d AND $%d", w, e, so, n);
    if (cells)
        truce_buf_addf(sql, " AND ((e.cell = ANY($%d::bigint[])",
                       p_text(p, cells));
    else
        truce_buf_adds(sql, " AND ((e.cell IS NOT NULL");
    truce_buf_addf(sql, " AND e.t0 >= $%d AND e.t0 < $%d) OR e.cell IS "
                   "NULL)", t0min, t0max);
}

/* In a store partitioned by month, the months a query's dates reach: an
 * event of at most TRUCE__SHORT_DAYS that ends after from starts no
 * earlier than that before it (as add_bbox's index range says), and none
 * starts at or after to; the long spans' partition is read whatever the
 * dates. The clause only repeats the time filters in terms of the
 * partition key (long_span, t0), which lets PostgreSQL skip the other
 * partitions (with a generic plan, when the statement starts). */
static void
add_months(struct truce_buf *sql, struct params *p,
           const struct truce_query *q)
{
    if (!q->has_from && !q->has_to)
        return;
    truce_buf_adds(sql, " AND ((NOT e.long_span");
    if (q->has_from)
        truce_buf_addf(sql, " AND e.t0 >= $%d",
                       p_int(p, q->from - TRUCE__SHORT_DAYS * 86400LL - 1));
    if (q->has_to)
        truce_buf_addf(sql, " AND e.t0 < $%d", p_int(p, q->to));
    truce_buf_adds(sql, ") OR e.long_span)");
}

/* The SQL and parameters of a query (map: the map's columns; partitioned:
 * the store's events by month). cells and keys hold the box's cells and
 * the keys asked for, which p borrows: kept while p is used. */
static void
build_query(const struct truce_query *q, bool map, bool partitioned,
            struct truce_buf *sql, struct params *p, struct truce_buf *cells,
            struct truce_buf *keys)
{
    if (map)
        /* and, one row an incident, its reports (the index counts them) */
        truce_buf_adds(sql, q->representatives_only
                                ? "SELECT " MAP_COLS ", (SELECT count(*) "
                                  "FROM events m WHERE m.incident = "
                                  "e.key) FROM events e"
                                : "SELECT " MAP_COLS ", 1 FROM events e");
    else
        truce_buf_adds(sql, q->with_raw
                                ? "SELECT e.key, " EVENT_COLS ", e.verdict,"
                                  " e.pending, e.assessments, e.incident,"
                                  " r.raw FROM events e LEFT JOIN "
                                  "events_raw r ON r.key = e.key"
                                : "SELECT e.key, " EVENT_COLS ", e.verdict,"
                                  " e.pending, e.assessments, e.incident"
                                  " FROM events e");
    truce_buf_adds(sql, " WHERE true");
    if (q->agreement) {
        truce_buf_addf(sql, " AND EXISTS (SELECT 1 FROM jsonb_array_elements("
                       "e.assessments::jsonb) a WHERE a ->> 0 = $%d",
                       p_text(p, q->agreement));
        if (q->has_verdict)
            truce_buf_addf(sql, " AND a ->> 1 = $%d",
                           p_text(p, truce_verdict_name(q->verdict)));
        truce_buf_adds(sql, ")");
    }
    if (q->pending_only)
        truce_buf_adds(sql, " AND e.pending");
    if (q->unlinked_only)
        truce_buf_adds(sql, " AND e.incident IS NULL");
    if (q->incident)
        truce_buf_addf(sql, " AND e.incident = $%d", p_int(p, q->incident));
    if (q->representatives_only)
        truce_buf_adds(sql, " AND (e.incident IS NULL OR e.incident = "
                            "e.key)");
    if (q->id && partitioned)
        /* the one partition that holds it, by event_ids */
        truce_buf_addf(sql, " AND (e.key, e.long_span, e.t0) = (SELECT key,"
                       " long_span, t0 FROM event_ids WHERE id = $%d)",
                       p_text(p, q->id));
    else if (q->id)
        truce_buf_addf(sql, " AND e.id = $%d", p_text(p, q->id));
    if (q->keys) {
        truce__keys_list(q, "{", "}", keys);
        truce_buf_addf(sql, " AND e.key = ANY($%d::bigint[])",
                       p_text(p, keys->buf));
    }
    if (q->has_verdict && !q->agreement)
        truce_buf_addf(sql, " AND e.verdict = $%d",
                       p_text(p, truce_verdict_name(q->verdict)));
    if (q->category)
        truce_buf_addf(sql, " AND e.category = $%d", p_text(p, q->category));
    if (q->side)
        truce_buf_addf(sql, " AND e.side IS NOT NULL AND EXISTS (SELECT 1 "
                       "FROM jsonb_array_elements(e.assessments::jsonb) a "
                       "WHERE a ->> 1 = 'violation' AND (a -> 4) ? $%d)",
                       p_text(p, q->side));
    if (q->has_from)
        truce_buf_addf(sql, " AND greatest(e.t1, e.t0 + 1) > $%d",
                       p_int(p, q->from));
    if (q->has_to)
        truce_buf_addf(sql, " AND e.t0 < $%d", p_int(p, q->to));
    if (partitioned)
        add_months(sql, p, q);
    if (q->has_bbox && truce__map_box_cells(q, "", "", NULL) <= TRUCE__MAX_CELLS) {
        truce__map_box_cells(q, "{", "}", cells);
        add_bbox(sql, p, q, cells->buf);
    } else if (q->has_bbox) {
        add_bbox(sql, p, q, NULL);
    }
    if (q->after_key > 0)
        truce_buf_addf(sql, " AND e.key > $%d", p_int(p, q->after_key));
    truce_buf_adds(sql, q->order_by_incident
                            ? " ORDER BY coalesce(e.incident, e.key), e.key"
                            : " ORDER BY e.key");
    if (q->limit > 0)
        truce_buf_addf(sql, " LIMIT $%d", p_int(p, q->limit));
}

/* Few rows: read in one result by a prepared statement. */
static bool
bounded(const struct truce_query *q)
{
    return q->id || (q->limit > 0 && q->limit <= BOUNDED_ROWS);
}

/* Runs the query's SQL through walk. */
static truce_status
walk_query(struct pg *s, const struct truce_query *q, bool map, row_fn fn,
           void *ud)
{
    struct truce_buf sql, cells, keys;
    struct params p = {0};
    truce_status rc;
    truce_buf_init(&sql, 0);
    truce_buf_init(&cells, 0);
    truce_buf_init(&keys, 0);
    build_query(q, map, s->partitioned, &sql, &p, &cells, &keys);
    if (!sql.alloc)
        rc = truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
    else
        rc = walk(s, sql.buf, &p, bounded(q), fn, ud, "reading events");
    truce_buf_release(&sql);
    truce_buf_release(&cells);
    truce_buf_release(&keys);
    return rc;
}

static truce_status
row_event(const PGresult *r, int row, struct truce_event *ev, bool with_raw)
{
    const char *cat;
    truce_event_release(ev);
    /* Column 0 is the key; the EVENT_COLS follow from 1. */
    if (truce__set_str(&ev->id, col_text(r, row, 1), (size_t)-1) ||
        truce__set_str(&ev->source, col_text(r, row, 2), (size_t)-1) ||
        truce__set_str(&ev->source_id, col_text(r, row, 3), (size_t)-1) ||
        truce__set_str(&ev->subcategory, col_text(r, row, 12), (size_t)-1) ||
        truce__set_str(&ev->actor1, col_text(r, row, 14), (size_t)-1) ||
        truce__set_str(&ev->actor2, col_text(r, row, 15), (size_t)-1) ||
        truce__set_str(&ev->location, col_text(r, row, 22), (size_t)-1) ||
        truce__set_str(&ev->admin1, col_text(r, row, 23), (size_t)-1) ||
        truce__set_str(&ev->notes, col_text(r, row, 24), (size_t)-1) ||
        truce__set_str(&ev->inter1, col_text(r, row, 26), (size_t)-1) ||
        truce__set_str(&ev->inter2, col_text(r, row, 27), (size_t)-1) ||
        truce__set_str(&ev->area, col_text(r, row, 28), (size_t)-1) ||
        (with_raw &&
         truce__set_str(&ev->raw, col_text(r, row, COL_RAW), (size_t)-1)))
        return TRUCE_ENOMEM;
    ev->time_kind = (enum truce_time_kind)col_int(r, row, 4);
    ev->t0 = col_int(r, row, 5);
    ev->t1 = col_int(r, row, 6);
    ev->date_only = col_bool(r, row, 7);
    ev->lat = col_double(r, row, 8);
    ev->lon = col_double(r, row, 9);
    ev->radius_km = col_double(r, row, 10);
    cat = col_text(r, row, 11);
    ev->category = cat ? truce_category_parse(cat, strlen(cat))
                       : TRUCE_CAT_NONE;
    ev->directed = col_bool(r, row, 13);
    ev->fatalities = col_count(r, row, 16);
    ev->fatalities_low = col_count(r, row, 17);
    ev->fatalities_high = col_count(r, row, 18);
    ev->civilian_fatalities = col_count(r, row, 19);
    ev->civilian_targeting = col_bool(r, row, 20);
    ev->protected_site = col_bool(r, row, 21);
    return TRUCE_OK;
}

/* One record at a time, reused across rows. */
struct event_walk {
    struct pg *s;
    const struct truce_query *q;
    truce_event_fn fn;
    void *ud;
    struct truce_stored rec;
    struct truce__assessments_reader ar;
};

static truce_status
event_row(void *ud, const PGresult *r, int row)
{
    struct event_walk *w = ud;
    truce_status rc;
    w->rec.key = col_int(r, row, 0);
    w->rec.incident = col_int(r, row, COL_INCIDENT);
    if (!(rc = row_event(r, row, &w->rec.ev, w->q->with_raw)) &&
        w->s->partitioned)
        remember_row(w->s, w->rec.key, w->rec.ev.t0,
                     !truce__map_short(&w->rec.ev));
    if (rc ||
        (rc = truce__assessments_read(
             w->s->ctx, &w->ar, col_text(r, row, COL_VERDICT),
             col_text(r, row, COL_ASSESSMENTS),
             col_bool(r, row, COL_PENDING), w->q->no_assessments,
             &w->rec))) {
        if (rc == TRUCE_ENOMEM)
            truce__err(w->s->ctx, rc, "out of memory");
        return rc;
    }
    rc = w->fn(w->ud, &w->rec);
    truce__assessments_reader_clear(&w->ar);
    return rc;
}

static truce_status
pg_query(void *impl, const struct truce_query *q, truce_event_fn fn, void *ud)
{
    struct event_walk w;
    truce_status rc;
    memset(&w, 0, sizeof(w));
    w.s = impl;
    w.q = q;
    w.fn = fn;
    w.ud = ud;
    truce_event_init(&w.rec.ev);
    rc = walk_query(impl, q, false, event_row, &w);
    truce_event_release(&w.rec.ev);
    truce__assessments_reader_release(&w.ar);
    return rc;
}

struct map_walk {
    truce_map_fn fn;
    void *ud;
};

static truce_status
map_row(void *ud, const PGresult *r, int i)
{
    struct map_walk *w = ud;
    struct truce_map_row row;
    row.key = col_int(r, i, 0);
    row.id = col_text(r, i, 1);
    row.time_kind = (enum truce_time_kind)col_int(r, i, 2);
    row.t0 = col_int(r, i, 3);
    row.t1 = col_int(r, i, 4);
    row.date_only = col_bool(r, i, 5);
    row.lat = col_double(r, i, 6);
    row.lon = col_double(r, i, 7);
    row.radius_km = col_double(r, i, 8);
    row.category = col_text(r, i, 9);
    row.verdict = col_bool(r, i, 15) ? NULL : col_text(r, i, 10);
    row.location = col_text(r, i, 11);
    row.fatalities = col_count(r, i, 12);
    row.side = col_text(r, i, 13);
    row.verdicts = col_text(r, i, 14);
    row.review = col_text(r, i, 16);
    row.incident = col_int(r, i, 17);
    row.reports = col_int(r, i, 18);
    if (row.reports < 1)
        row.reports = 1; /* not linked yet: a report of its own */
    return w->fn(w->ud, &row);
}

static truce_status
pg_map(void *impl, const struct truce_query *q, truce_map_fn fn, void *ud)
{
    struct map_walk w = {fn, ud};
    return walk_query(impl, q, true, map_row, &w);
}

static truce_status
pg_extent(void *impl, int64_t *t0, int64_t *t1)
{
    PGresult *r = run(impl, S_EXTENT, NULL, "measuring the events' time "
                                            "span");
    if (!r)
        return failure(impl);
    *t0 = col_int(r, 0, 0); /* NULL (no events): 0 */
    *t1 = col_int(r, 0, 1);
    PQclear(r);
    return TRUCE_OK;
}

/* ------------------------------------------------- the monitoring cell */

/* The counter called key (0 while it has no row). */
static truce_status
meta_value(struct pg *s, const char *key, int64_t *out)
{
    struct params p = {0};
    PGresult *r;
    p_text(&p, key);
    *out = 0;
    if (!(r = run(s, S_META, &p, "reading a counter")))
        return failure(s);
    if (PQntuples(r) == 1)
        *out = col_int(r, 0, 0);
    PQclear(r);
    return TRUCE_OK;
}

static truce_status
pg_places_version(void *impl, int64_t *out)
{
    return meta_value(impl, "places_version", out);
}

static truce_status
pg_events_version(void *impl, int64_t *out)
{
    return meta_value(impl, "events_version", out);
}

/* The caches go as binary parameters and results: a bytea in text would
 * double them. */
static truce_status
pg_get_cache(void *impl, const char *name, int64_t version, void **data,
             size_t *len)
{
    struct pg *s = impl;
    char v[24];
    const char *vals[2] = {name, v};
    PGresult *r;
    *data = NULL;
    *len = 0;
    snprintf(v, sizeof(v), "%lld", (long long)version);
    r = PQexecParams(s->conn, "SELECT data FROM caches WHERE name = $1 AND "
                     "version = $2::bigint", 2, NULL, vals, NULL, NULL, 1);
    if (!(r = checked(s, r, "reading a cache")))
        return failure(s);
    if (PQntuples(r) != 1) {
        PQclear(r);
        return TRUCE_ENOTFOUND;
    }
    *len = (size_t)PQgetlength(r, 0, 0);
    if (!(*data = truce__malloc(*len ? *len : 1))) {
        PQclear(r);
        *len = 0;
        return truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
    }
    memcpy(*data, PQgetvalue(r, 0, 0), *len);
    PQclear(r);
    return TRUCE_OK;
}

static truce_status
pg_put_cache(void *impl, const char *name, int64_t version, const void *data,
             size_t len)
{
    struct pg *s = impl;
    char v[24];
    const char *vals[3] = {name, v, data};
    int lens[3] = {0, 0, (int)len}, formats[3] = {0, 0, 1};
    PGresult *r;
    if (len > INT32_MAX)
        return truce__err(s->ctx, TRUCE_EDB, "store: a cache of %zu bytes "
                          "is more than PostgreSQL takes in one value", len);
    snprintf(v, sizeof(v), "%lld", (long long)version);
    /* kept only while the events are still at that version */
    r = PQexecParams(s->conn, "INSERT INTO caches(name, version, data) "
                     "SELECT $1, $2::bigint, $3 WHERE coalesce((SELECT value "
                     "FROM meta WHERE key = 'events_version'), 0) = "
                     "$2::bigint ON CONFLICT (name) DO UPDATE SET version = "
                     "excluded.version, data = excluded.data", 3, NULL, vals,
                     lens, formats, 0);
    if (!(r = checked(s, r, "writing a cache")))
        return failure(s);
    PQclear(r);
    return TRUCE_OK;
}

static truce_status
pg_model_version(void *impl, int64_t *out)
{
    return meta_value(impl, "model_version", out);
}

static truce_status
pg_next_field_id(void *impl, int64_t *out)
{
    PGresult *r = run(impl, S_NEXT_FIELD_ID, NULL, "reading a counter");
    *out = 0;
    if (!r)
        return failure(impl);
    if (PQntuples(r) == 1)
        *out = col_int(r, 0, 0);
    PQclear(r);
    return TRUCE_OK;
}

static truce_status
pg_add_user(void *impl, const char *name, const char *role, const char *hash,
            int64_t *id)
{
    struct pg *s = impl;
    struct params p = {0};
    PGresult *r;
    bool taken;
    p_text(&p, name);
    p_text(&p, role);
    p_text(&p, hash);
    if (!(r = run(s, S_ADD_USER, &p, "adding a user")))
        return failure(s);
    taken = PQntuples(r) == 0;
    if (!taken)
        *id = col_int(r, 0, 0);
    PQclear(r);
    return taken ? truce__err(s->ctx, TRUCE_EINVAL, "user '%s' exists", name)
                 : TRUCE_OK;
}

static truce_status
pg_get_user(void *impl, int64_t id, char *name, char *role, char *hash)
{
    struct params p = {0};
    PGresult *r;
    truce_status rc = TRUCE_ENOTFOUND;
    p_int(&p, id);
    if (!(r = run(impl, S_GET_USER, &p, "finding a user")))
        return failure(impl);
    if (PQntuples(r) == 1) {
        snprintf(name, 64, "%s", PQgetvalue(r, 0, 0));
        snprintf(role, 16, "%s", PQgetvalue(r, 0, 1));
        snprintf(hash, 65, "%s", PQgetvalue(r, 0, 2));
        rc = TRUCE_OK;
    }
    PQclear(r);
    return rc;
}

static truce_status
pg_set_user_hash(void *impl, const char *name, const char *hash, int64_t *id)
{
    struct pg *s = impl;
    struct params p = {0};
    PGresult *r;
    bool found;
    p_text(&p, hash);
    p_text(&p, name);
    if (!(r = run(s, S_SET_USER_HASH, &p, "changing a user's token")))
        return failure(s);
    if ((found = PQntuples(r) == 1))
        *id = col_int(r, 0, 0);
    PQclear(r);
    return found ? TRUCE_OK
                 : truce__err(s->ctx, TRUCE_ENOTFOUND, "no user '%s'", name);
}

/* Each user as SQLite's json_object writes it: {"id", "name", "role",
 * "created_at", "active"}. */
struct user_walk {
    struct pg *s;
    truce_text_fn fn;
    void *ud;
    struct truce_buf b;
};

static truce_status
user_row(void *ud, const PGresult *r, int row)
{
    struct user_walk *w = ud;
    const char *id = PQgetvalue(r, row, 0);
    truce_buf_reset(&w->b);
    truce_buf_addf(&w->b, "{\"id\":%s,\"name\":", id);
    truce_buf_add_json(&w->b, PQgetvalue(r, row, 1));
    truce_buf_adds(&w->b, ",\"role\":");
    truce_buf_add_json(&w->b, PQgetvalue(r, row, 2));
    truce_buf_adds(&w->b, ",\"created_at\":");
    truce_buf_add_json(&w->b, PQgetvalue(r, row, 3));
    if (truce_buf_addf(&w->b, ",\"active\":%s}",
                       col_bool(r, row, 4) ? "true" : "false"))
        return truce__err(w->s->ctx, TRUCE_ENOMEM, "out of memory");
    return w->fn(w->ud, id, w->b.buf);
}

static truce_status
pg_each_user(void *impl, truce_text_fn fn, void *ud)
{
    struct pg *s = impl;
    struct params p = {0};
    struct user_walk w = {s, fn, ud, {0}};
    truce_status rc;
    truce_buf_init(&w.b, 0);
    rc = walk(s, "SELECT id, name, role, created_at, token_hash <> '' FROM "
                 "users ORDER BY id",
              &p, false, user_row, &w, "listing users");
    truce_buf_release(&w.b);
    return rc;
}

static truce_status
pg_set_review(void *impl, const char *event, const char *state)
{
    struct pg *s = impl;
    struct params p = {0};
    struct row row;
    bool found;
    PGresult *r;
    truce_status rc;
    p_text(&p, state);
    if (!s->partitioned) {
        p_text(&p, event);
        return run_cmd(s, S_SET_REVIEW, &p, "marking a review");
    }
    if ((rc = row_of(s, S_ROW_OF_ID, event, 0, &row, &found)) || !found)
        return rc;
    if (!(r = run_on_row(s, R_SET_REVIEW, &p, &row, "marking a review")))
        return failure(s);
    PQclear(r);
    return TRUCE_OK;
}

static truce_status
pg_add_audit(void *impl, const char *event, const char *entry)
{
    struct params p = {0};
    p_text(&p, event);
    p_text(&p, entry);
    return run_cmd(impl, S_ADD_AUDIT, &p, "writing the audit trail");
}

/* Entries as {"id", "at", ...the stored entry's keys}. */
static truce_status
audit_row(void *ud, const PGresult *r, int row)
{
    struct user_walk *w = ud;
    const char *id = PQgetvalue(r, row, 0), *entry = col_text(r, row, 2);
    truce_buf_reset(&w->b);
    if (truce_buf_addf(&w->b, "{\"id\":%s,\"at\":\"%s\",%s", id,
                       PQgetvalue(r, row, 1),
                       entry && entry[0] == '{' ? entry + 1 : "}"))
        return truce__err(w->s->ctx, TRUCE_ENOMEM, "out of memory");
    return w->fn(w->ud, id, w->b.buf);
}

static truce_status
pg_audit(void *impl, const char *event, int64_t after, long limit,
         truce_text_fn fn, void *ud)
{
    struct pg *s = impl;
    struct params p = {0};
    struct user_walk w = {s, fn, ud, {0}};
    truce_status rc;
    p_text(&p, event);
    p_int(&p, after);
    /* LIMIT NULL is no limit */
    if (limit > 0)
        p_int(&p, limit);
    else
        p_text(&p, NULL);
    truce_buf_init(&w.b, 0);
    rc = walk(s, event ? "SELECT id, at, entry FROM audit WHERE event = $1 "
                         "AND id > $2 ORDER BY id LIMIT $3"
                       : "SELECT id, at, entry FROM audit WHERE $1::text IS "
                         "NULL AND id > $2 ORDER BY id LIMIT $3::bigint",
              &p, limit > 0 && limit <= BOUNDED_ROWS, audit_row, &w,
              "reading the audit trail");
    truce_buf_release(&w.b);
    return rc;
}

/* ------------------------------------------------------------ links */

static truce_status
pg_put_link(void *impl, int64_t key, int64_t rep)
{
    struct params p = {0};
    if (((struct pg *)impl)->partitioned) {
        p_int(&p, rep);
        return run_on_key(impl, R_PUT_LINK, &p, key, "linking an event");
    }
    p_int(&p, key);
    p_int(&p, rep);
    return run_cmd(impl, S_PUT_LINK, &p, "linking an event");
}

static truce_status
pg_unlink_incident(void *impl, int64_t key)
{
    struct params p = {0};
    truce_status rc;
    if (((struct pg *)impl)->partitioned) {
        rc = run_on_key(impl, R_UNLINK, &p, key, "unlinking an incident");
    } else {
        p_int(&p, key);
        rc = run_cmd(impl, S_UNLINK, &p, "unlinking an incident");
    }
    return rc ? rc : pg_put_link(impl, key, 0);
}

static truce_status
pg_max_radius(void *impl, double *out)
{
    PGresult *r = run(impl, S_MAX_RADIUS, NULL, "reading the largest "
                                                "radius");
    *out = 0;
    if (!r)
        return failure(impl);
    *out = col_double(r, 0, 0);
    PQclear(r);
    return TRUCE_OK;
}

static truce_status
pg_several_sources(void *impl, bool *out)
{
    PGresult *r = run(impl, S_SEVERAL_SOURCES, NULL, "reading the sources");
    *out = false;
    if (!r)
        return failure(impl);
    *out = col_bool(r, 0, 0);
    PQclear(r);
    return TRUCE_OK;
}

/* Asked of the server: a standby may have been promoted since. */
static truce_status
pg_read_only(void *impl, bool *out)
{
    PGresult *r = PQexec(((struct pg *)impl)->conn,
                         "SELECT pg_is_in_recovery() OR"
                         " current_setting('transaction_read_only')::boolean");
    *out = false;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        truce_status rc = res_err(impl, r, "asking whether the server takes "
                                           "writes");
        PQclear(r);
        return rc;
    }
    *out = col_bool(r, 0, 0);
    PQclear(r);
    return TRUCE_OK;
}

static truce_status
pg_delete_event(void *impl, const char *id)
{
    struct pg *s = impl;
    struct params p = {0}, k = {0};
    PGresult *r;
    int64_t key = 0;
    truce_status rc;
    p_text(&p, id);
    if (!(r = run(s, S_FIND_KEY, &p, "finding an event")))
        return failure(s);
    if (PQntuples(r) == 1)
        key = col_int(r, 0, 0);
    PQclear(r);
    if (!key)
        return truce__err(s->ctx, TRUCE_ENOTFOUND, "no event '%s'", id);
    p_int(&k, key);
    if ((rc = pg_unlink_incident(s, key)) ||
        (rc = run_cmd(s, S_DELETE_RAW, &k, "deleting an event")))
        return rc;
    if (s->partitioned) {
        struct params none = {0};
        return run_on_key(s, R_DELETE_EVENT, &none, key, "deleting an event");
    }
    return run_cmd(s, S_DELETE_EVENT, &k, "deleting an event");
}

const struct truce__store_ops truce__pg_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_version,
    .put_place = pg_put_place,
    .each_place = pg_each_place,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .put_event = pg_put_event,
    .put_doc = pg_put_doc,
    .get_doc = pg_get_doc,
    .each_doc = pg_each_doc,
    .query = pg_query,
    .put_assessments = pg_put_assessments,
    .mark_all = pg_mark_all,
    .bump_model_version = pg_bump_model_version,
    .bump_places_version = pg_bump_places_version,
    .bump_events_version = pg_bump_events_version,
    .events_version = pg_events_version,
    .get_cache = pg_get_cache,
    .put_cache = pg_put_cache,
    .counts = pg_counts,
    .extent = pg_extent,
    .model_version = pg_model_version,
    .places_version = pg_places_version,
    .add_user = pg_add_user,
    .get_user = pg_get_user,
    .set_user_hash = pg_set_user_hash,
    .delete_event = pg_delete_event,
    .put_link = pg_put_link,
    .unlink_incident = pg_unlink_incident,
    .max_radius = pg_max_radius,
    .several_sources = pg_several_sources,
    .read_only = pg_read_only,
    .each_user = pg_each_user,
    .next_field_id = pg_next_field_id,
    .add_audit = pg_add_audit,
    .audit = pg_audit,
    .set_review = pg_set_review,
    .map = pg_map,
};
