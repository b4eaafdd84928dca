/*
 * store_sqlite.c - the embedded store: one SQLite file in WAL mode, a
 * schema version with migrations, events keyed by id with a change hash,
 * an R*Tree over event places, each event's assessments (one compact JSON
 * array beside the event, rewritten with it in one update), and
 * documents (the actor dictionary, agreements).
 */
#include "store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>

#include <sqlite3.h>

#define SCHEMA_VERSION 1

#define STMT_CACHE 16

struct sq {
    struct truce_ctx *ctx;
    sqlite3 *db;
    /* Queries built from a truce_query, kept prepared by their SQL text:
     * a server asks the same few shapes over and over. */
    struct {
        char *sql;
        sqlite3_stmt *st;
        bool busy;            /* stepping now: a nested query needs its own */
    } cache[STMT_CACHE];
    unsigned cache_next;
    sqlite3_stmt *version;
    sqlite3_stmt *find, *insert, *update, *rt_insert, *rt_delete, *raw_put;
    sqlite3_stmt *ev_done;
    sqlite3_stmt *link_put;
};

/* A hint for the errors a full disk (or a file size limit) gives. */
static const char *
disk_hint(struct sq *s)
{
    int e = sqlite3_errcode(s->db);
    return e == SQLITE_FULL || e == SQLITE_IOERR
               ? " (is the disk full, or the file at a size limit?)"
               : "";
}

static truce_status
db_err(struct sq *s, const char *what)
{
    return truce__err(s->ctx, TRUCE_EDB, "store: %s: %s%s", what,
                      sqlite3_errmsg(s->db), disk_hint(s));
}

static truce_status
exec_sql(struct sq *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        truce__err(s->ctx, TRUCE_EDB, "store: %s%s", msg ? msg : "?",
                   disk_hint(s));
        sqlite3_free(msg);
        return TRUCE_EDB;
    }
    return TRUCE_OK;
}

/* Rolls back after a failure whose message stands (a failing rollback
 * would put its own in its place). */
static void
rollback_quiet(struct sq *s)
{
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---------------------------------------------------------- schema */

static const char *const migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE docs(kind TEXT NOT NULL, id TEXT NOT NULL,"
    " json TEXT NOT NULL, updated_at TEXT NOT NULL DEFAULT"
    " (strftime('%Y-%m-%dT%H:%M:%SZ','now')), PRIMARY KEY(kind, id));"
    "CREATE TABLE events("
    " rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " source TEXT, source_id TEXT, time_kind INTEGER NOT NULL,"
    " t0 INTEGER NOT NULL, t1 INTEGER NOT NULL, date_only INTEGER NOT NULL,"
    " lat REAL NOT NULL, lon REAL NOT NULL, radius_km REAL NOT NULL,"
    " category TEXT NOT NULL, subcategory TEXT, directed INTEGER NOT NULL,"
    " actor1 TEXT, actor2 TEXT, fatalities INTEGER, fatalities_low INTEGER,"
    " fatalities_high INTEGER, civilian_fatalities INTEGER,"
    " civilian_targeting INTEGER NOT NULL, protected_site INTEGER NOT NULL,"
    " location TEXT, admin1 TEXT, notes TEXT,"
    " hash INTEGER NOT NULL, pending INTEGER NOT NULL DEFAULT 1,"
    " verdict TEXT, assessments TEXT, side TEXT, verdicts TEXT,"
    " cell INTEGER, review TEXT);"
    /* The original records live apart, so that the rows that assessment
     * reads and rewrites stay small. */
    "CREATE TABLE events_raw(rowid INTEGER PRIMARY KEY, raw TEXT);"
    "CREATE INDEX events_pending ON events(pending) WHERE pending = 1;"
    "CREATE INDEX events_t0 ON events(t0);"
    "CREATE INDEX events_verdict ON events(verdict);"
    /* A map's box and dates: events of at most two days are found by grid
     * cell and start, with the place in the index (a B-tree), longer ones
     * (a few, with wide time boxes) by an R*Tree over place and time (days
     * since 1970, widened by a day for local times). */
    "CREATE INDEX events_cell ON events(cell, t0, lon, lat) WHERE cell IS"
    " NOT NULL;"
    "CREATE VIRTUAL TABLE events_rtree USING rtree(id, minx, maxx, miny,"
    " maxy, mint, maxt);",
    /* 2: the monitoring cell: users, the audit trail, counters */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT INTO meta VALUES('model_version', 0), ('field_seq', 0);"
    "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL, token_hash TEXT NOT NULL, created_at TEXT NOT"
    " NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL DEFAULT"
    " (strftime('%Y-%m-%dT%H:%M:%fZ','now')), event TEXT, entry TEXT NOT"
    " NULL);"
    "CREATE INDEX audit_event ON audit(event, id);",
    /* 3: the actor types as the source wrote them (ACLED's inter codes),
     * the area of an event placed only at a country */
    "ALTER TABLE events ADD COLUMN inter1 TEXT;"
    "ALTER TABLE events ADD COLUMN inter2 TEXT;"
    "ALTER TABLE events ADD COLUMN area TEXT;",
    /* 4: the gazetteer's places (reading the news) */
    "CREATE TABLE places(id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " alternates TEXT, lat REAL NOT NULL, lon REAL NOT NULL,"
    " radius_km REAL NOT NULL DEFAULT 0, country TEXT, admin1 TEXT,"
    " feature TEXT, population INTEGER, timezone TEXT,"
    " hash INTEGER NOT NULL) WITHOUT ROWID;",
    /* 5: incidents (DESIGN section 15): the key of the representative of
     * an event's incident, NULL while it is not linked (the index finds
     * both an incident's members and the events to link) */
    "ALTER TABLE events ADD COLUMN incident INTEGER;"
    "CREATE INDEX events_incident ON events(incident);"
    /* whether more than one source is loaded, at a glance */
    "CREATE INDEX events_source ON events(source);",
    /* 6: forms derived from the events, kept beside them for the events
     * version they were made at (the bulk assessment's compact events) */
    "CREATE TABLE caches(name TEXT PRIMARY KEY, version INTEGER NOT NULL,"
    " data BLOB NOT NULL);",
};

/* The store's schema version (SQLite's user_version) into *v. */
static truce_status
read_version(struct sq *s, int *v)
{
    sqlite3_stmt *st;
    int r;
    *v = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL))
        return db_err(s, "reading the schema version");
    if ((r = sqlite3_step(st)) == SQLITE_ROW)
        *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (r != SQLITE_ROW)
        return db_err(s, "reading the schema version");
    return TRUCE_OK;
}

static int
sq_version(void *impl)
{
    int v;
    return read_version(impl, &v) ? -1 : v;
}

static truce_status
migrate(struct sq *s)
{
    int v;
    int want = (int)(sizeof(migrations) / sizeof(migrations[0]));
    char sql[64];
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
    if (exec_sql(s, "BEGIN IMMEDIATE"))
        return TRUCE_EDB;
    /* Another process may have migrated meanwhile. */
    if (read_version(s, &v)) {
        rollback_quiet(s);
        return TRUCE_EDB;
    }
    for (; v < want; v++) {
        if (exec_sql(s, migrations[v])) {
            truce__err(s->ctx, TRUCE_EDB, "store: cannot bring schema "
                       "version %d to %d (%s): is the store damaged?", v,
                       v + 1, sqlite3_errmsg(s->db));
            rollback_quiet(s);
            return TRUCE_EDB;
        }
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", want);
    if (exec_sql(s, sql) || exec_sql(s, "COMMIT")) {
        rollback_quiet(s);
        return TRUCE_EDB;
    }
    return TRUCE_OK;
}

static truce_status
prepare(struct sq *s, sqlite3_stmt **st, const char *sql)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
                           NULL) != SQLITE_OK)
        return db_err(s, "preparing a statement");
    return TRUCE_OK;
}

#define EVENT_COLS                                                          \
    "id, source, source_id, time_kind, t0, t1, date_only, lat, lon,"       \
    " radius_km, category, subcategory, directed, actor1, actor2,"         \
    " fatalities, fatalities_low, fatalities_high, civilian_fatalities,"   \
    " civilian_targeting, protected_site, location, admin1, notes, hash,"  \
    " inter1, inter2, area"
/* Where EVENT_COLS end in a row that starts with the rowid, and what a
 * query's rows have after them. */
#define N_EVENT_COLS 28
enum {
    COL_VERDICT = N_EVENT_COLS + 1,
    COL_PENDING,
    COL_ASSESSMENTS,
    COL_INCIDENT,
    COL_RAW
};

static void
sq_close(void *impl)
{
    struct sq *s = impl;
    if (!s)
        return;
    sqlite3_finalize(s->find);
    sqlite3_finalize(s->insert);
    sqlite3_finalize(s->update);
    sqlite3_finalize(s->rt_insert);
    sqlite3_finalize(s->rt_delete);
    sqlite3_finalize(s->raw_put);
    sqlite3_finalize(s->ev_done);
    sqlite3_finalize(s->link_put);
    sqlite3_finalize(s->version);
    for (unsigned i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(s->cache[i].st);
        truce__free(s->cache[i].sql);
    }
    sqlite3_close(s->db);
    truce__free(s);
}

static truce_status
sq_open(struct truce_ctx *ctx, const char *path, bool create, void **impl)
{
    struct sq *s;
    struct stat sb;
    truce_status rc;
    /* Without SQLITE_OPEN_CREATE, SQLite answers a missing file with a
     * bare "unable to open database file": say what is wrong. */
    if (!create && stat(path, &sb) != 0 && errno == ENOENT)
        return truce__err(ctx, TRUCE_ENOTFOUND, "no store '%s' (make one "
                          "with 'truce init', or check --db and TRUCE_DB)",
                          path);
    if (!(s = truce__calloc(1, sizeof(*s))))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    s->ctx = ctx;
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                            (create ? SQLITE_OPEN_CREATE : 0),
                        NULL) != SQLITE_OK) {
        rc = truce__err(ctx, TRUCE_EDB, "cannot open store '%s': %s", path,
                        s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sq_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if ((rc = exec_sql(s, "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA cache_size = -65536;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA foreign_keys = ON;")) ||
        (rc = migrate(s)) ||
        (rc = prepare(s, &s->find,
                      "SELECT rowid, hash FROM events WHERE id = ?")) ||
        (rc = prepare(s, &s->insert,
                      "INSERT INTO events(" EVENT_COLS ", cell) VALUES("
                      "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                      "?,?,?,?,?,?,?,?,?)")) ||
        (rc = prepare(s, &s->update,
                      "UPDATE events SET (" EVENT_COLS ", cell, pending) = ("
                      "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                      "?,?,?,?,?,?,?,?,?,1) WHERE rowid = ?30")) ||
        (rc = prepare(s, &s->rt_insert,
                      "INSERT OR REPLACE INTO events_rtree VALUES(?,?,?,?,?,?,?)"))
        || (rc = prepare(s, &s->rt_delete,
                         "DELETE FROM events_rtree WHERE id = ?"))
        || (rc = prepare(s, &s->raw_put,
                         "INSERT OR REPLACE INTO events_raw VALUES(?,?)"))
        || (rc = prepare(s, &s->ev_done,
                         "UPDATE events SET pending = 0, verdict = ?, "
                         "assessments = ?, side = ?, verdicts = ? "
                         "WHERE rowid = ?"))) {
        sq_close(s);
        return rc;
    }
    *impl = s;
    return TRUCE_OK;
}

static truce_status
sq_begin(void *impl)
{
    return exec_sql(impl, "BEGIN IMMEDIATE");
}

static truce_status
sq_commit(void *impl)
{
    return exec_sql(impl, "COMMIT");
}

static truce_status
sq_rollback(void *impl)
{
    struct sq *s = impl;
    /* SQLite ends a transaction itself on some errors (a full disk, out
     * of memory): nothing is left to undo, and the error that ended it
     * is the one to report. */
    if (sqlite3_get_autocommit(s->db))
        return TRUCE_OK;
    return exec_sql(s, "ROLLBACK");
}

/* ---------------------------------------------------------- events */

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void
bind_count(sqlite3_stmt *st, int i, int64_t v)
{
    if (v >= 0)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static void
bind_event(sqlite3_stmt *st, const struct truce_event *ev, uint64_t hash)
{
    bind_text(st, 1, ev->id);
    bind_text(st, 2, ev->source);
    bind_text(st, 3, ev->source_id);
    sqlite3_bind_int(st, 4, ev->time_kind);
    sqlite3_bind_int64(st, 5, ev->t0);
    sqlite3_bind_int64(st, 6, ev->t1);
    sqlite3_bind_int(st, 7, ev->date_only);
    sqlite3_bind_double(st, 8, ev->lat);
    sqlite3_bind_double(st, 9, ev->lon);
    sqlite3_bind_double(st, 10, ev->radius_km);
    bind_text(st, 11, truce_category_name(ev->category));
    bind_text(st, 12, ev->subcategory);
    sqlite3_bind_int(st, 13, ev->directed);
    bind_text(st, 14, ev->actor1);
    bind_text(st, 15, ev->actor2);
    bind_count(st, 16, ev->fatalities);
    bind_count(st, 17, ev->fatalities_low);
    bind_count(st, 18, ev->fatalities_high);
    bind_count(st, 19, ev->civilian_fatalities);
    sqlite3_bind_int(st, 20, ev->civilian_targeting);
    sqlite3_bind_int(st, 21, ev->protected_site);
    bind_text(st, 22, ev->location);
    bind_text(st, 23, ev->admin1);
    bind_text(st, 24, ev->notes);
    sqlite3_bind_int64(st, 25, (sqlite3_int64)hash);
    bind_text(st, 26, ev->inter1);
    bind_text(st, 27, ev->inter2);
    bind_text(st, 28, ev->area);
}

static truce_status
step_done(struct sq *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? TRUCE_OK : db_err(s, what);
}

static void
bind_cell(sqlite3_stmt *st, int i, const struct truce_event *ev)
{
    if (truce__map_short(ev))
        sqlite3_bind_int64(st, i, truce__map_cell(ev->lon, ev->lat));
    else
        sqlite3_bind_null(st, i);
}

static truce_status
put_index(struct sq *s, int64_t rowid, const struct truce_event *ev)
{
    truce_status rc;
    sqlite3_bind_int64(s->raw_put, 1, rowid);
    bind_text(s->raw_put, 2, ev->raw);
    if ((rc = step_done(s, s->raw_put, "keeping the original record")))
        return rc;
    if (truce__map_short(ev)) {
        sqlite3_bind_int64(s->rt_delete, 1, rowid);
        return step_done(s, s->rt_delete, "indexing an event");
    }
    sqlite3_bind_int64(s->rt_insert, 1, rowid);
    sqlite3_bind_double(s->rt_insert, 2, ev->lon);
    sqlite3_bind_double(s->rt_insert, 3, ev->lon);
    sqlite3_bind_double(s->rt_insert, 4, ev->lat);
    sqlite3_bind_double(s->rt_insert, 5, ev->lat);
    sqlite3_bind_double(s->rt_insert, 6, (double)ev->t0 / 86400.0 - 1);
    sqlite3_bind_double(s->rt_insert, 7,
                        (double)(ev->t1 > ev->t0 ? ev->t1 : ev->t0) / 86400.0 +
                            1);
    return step_done(s, s->rt_insert, "indexing an event");
}

static truce_status
sq_put_event(void *impl, const struct truce_event *ev,
             enum truce_put_result *out, int64_t *key)
{
    struct sq *s = impl;
    uint64_t hash = truce__event_hash(ev);
    int rc;
    truce_status st;
    sqlite3_bind_text(s->find, 1, ev->id, -1, SQLITE_STATIC);
    rc = sqlite3_step(s->find);
    if (rc == SQLITE_ROW) {
        int64_t rowid = sqlite3_column_int64(s->find, 0);
        uint64_t old = (uint64_t)sqlite3_column_int64(s->find, 1);
        sqlite3_reset(s->find);
        *key = rowid;
        if (old == hash) {
            *out = TRUCE_PUT_UNCHANGED;
            return TRUCE_OK;
        }
        bind_event(s->update, ev, hash);
        bind_cell(s->update, N_EVENT_COLS + 1, ev);
        sqlite3_bind_int64(s->update, N_EVENT_COLS + 2, rowid);
        if ((st = step_done(s, s->update, "updating an event")))
            return st;
        *out = TRUCE_PUT_UPDATED;
        return put_index(s, rowid, ev);
    }
    sqlite3_reset(s->find);
    if (rc != SQLITE_DONE)
        return db_err(s, "finding an event");
    bind_event(s->insert, ev, hash);
    bind_cell(s->insert, N_EVENT_COLS + 1, ev);
    if ((st = step_done(s, s->insert, "inserting an event")))
        return st;
    *out = TRUCE_PUT_INSERTED;
    {
        /* a new short event is in no R*Tree: only its original is kept */
        int64_t rowid = sqlite3_last_insert_rowid(s->db);
        *key = rowid;
        if (truce__map_short(ev)) {
            sqlite3_bind_int64(s->raw_put, 1, rowid);
            bind_text(s->raw_put, 2, ev->raw);
            return step_done(s, s->raw_put, "keeping the original record");
        }
        return put_index(s, rowid, ev);
    }
}

/* -------------------------------------------------------- documents */

static truce_status
sq_get_doc(void *impl, const char *kind, const char *id, char **out)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_OK;
    int r;
    *out = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT json FROM docs WHERE kind = ? AND "
                           "id = ?", -1, &st, NULL))
        return db_err(s, "reading a document");
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    if ((r = sqlite3_step(st)) == SQLITE_ROW) {
        *out = truce__strdup((const char *)sqlite3_column_text(st, 0));
        if (!*out)
            rc = truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
    } else if (r != SQLITE_DONE) {
        rc = db_err(s, "reading a document");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The places' counter, kept in meta beside the model's, made on first
 * use (stores made before it have none: 0). */
static truce_status
sq_bump_places_version(void *impl)
{
    return exec_sql(impl, "INSERT INTO meta VALUES('places_version', 1) ON "
                          "CONFLICT(key) DO UPDATE SET value = value + 1");
}

/* The events' counter, likewise made on first use. */
static truce_status
sq_bump_events_version(void *impl)
{
    return exec_sql(impl, "INSERT INTO meta VALUES('events_version', 1) ON "
                          "CONFLICT(key) DO UPDATE SET value = value + 1");
}

static truce_status
sq_bump_model_version(void *impl)
{
    return exec_sql(impl, "UPDATE meta SET value = value + 1 WHERE key = "
                          "'model_version'");
}

static truce_status
sq_put_doc(void *impl, const char *kind, const char *id, const char *json,
           bool *changed)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    char *old = NULL;
    truce_status rc = sq_get_doc(s, kind, id, &old);
    if (rc)
        return rc;
    *changed = !old || strcmp(old, json) != 0;
    truce__free(old);
    if (!*changed)
        return TRUCE_OK;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO docs(kind, id, "
                           "json) VALUES(?,?,?)", -1, &st, NULL))
        return db_err(s, "writing a document");
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? TRUCE_OK
                                         : db_err(s, "writing a document");
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_each_doc(void *impl, const char *kind, truce_text_fn fn, void *ud)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_OK;
    int r;
    if (sqlite3_prepare_v2(s->db, "SELECT id, json FROM docs WHERE kind = ? "
                           "ORDER BY id", -1, &st, NULL))
        return db_err(s, "reading documents");
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW && !rc)
        rc = fn(ud, (const char *)sqlite3_column_text(st, 0),
                (const char *)sqlite3_column_text(st, 1));
    if (!rc && r != SQLITE_DONE && r != SQLITE_ROW)
        rc = db_err(s, "reading documents");
    sqlite3_finalize(st);
    return rc;
}

/* A text column, or NULL. */
static const char *
col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* ---------------------------------------------------------- places */

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
sq_put_place(void *impl, const struct truce_place *p,
             enum truce_put_result *out)
{
    struct sq *s = impl;
    uint64_t hash = place_hash(p);
    sqlite3_stmt *st;
    truce_status rc;
    int r;
    if (sqlite3_prepare_v2(s->db, "SELECT hash FROM places WHERE id = ?", -1,
                           &st, NULL))
        return db_err(s, "finding a place");
    sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW && (uint64_t)sqlite3_column_int64(st, 0) == hash) {
        sqlite3_finalize(st);
        *out = TRUCE_PUT_UNCHANGED;
        return TRUCE_OK;
    }
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return db_err(s, "finding a place");
    *out = r == SQLITE_ROW ? TRUCE_PUT_UPDATED : TRUCE_PUT_INSERTED;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO places VALUES("
                           "?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL))
        return db_err(s, "storing a place");
    bind_text(st, 1, p->id);
    bind_text(st, 2, p->name);
    bind_text(st, 3, p->alternates);
    sqlite3_bind_double(st, 4, p->lat);
    sqlite3_bind_double(st, 5, p->lon);
    sqlite3_bind_double(st, 6, p->radius_km);
    bind_text(st, 7, p->country);
    bind_text(st, 8, p->admin1);
    bind_text(st, 9, p->feature);
    bind_count(st, 10, p->population);
    bind_text(st, 11, p->timezone);
    sqlite3_bind_int64(st, 12, (int64_t)hash);
    rc = step_done(s, st, "storing a place");
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_each_place(void *impl, truce_place_fn fn, void *ud)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_OK;
    int r;
    if (sqlite3_prepare_v2(s->db, "SELECT id, name, alternates, lat, lon, "
                           "radius_km, country, admin1, feature, population, "
                           "timezone FROM places ORDER BY id", -1, &st, NULL))
        return db_err(s, "reading the places");
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct truce_place p = {0};
        p.id = (char *)col_text(st, 0);
        p.name = (char *)col_text(st, 1);
        p.alternates = (char *)col_text(st, 2);
        p.lat = sqlite3_column_double(st, 3);
        p.lon = sqlite3_column_double(st, 4);
        p.radius_km = sqlite3_column_double(st, 5);
        p.country = (char *)col_text(st, 6);
        p.admin1 = (char *)col_text(st, 7);
        p.feature = (char *)col_text(st, 8);
        p.population = sqlite3_column_type(st, 9) == SQLITE_NULL
                           ? -1
                           : sqlite3_column_int64(st, 9);
        p.timezone = (char *)col_text(st, 10);
        if (!p.id || !p.name)
            rc = truce__err(s->ctx, TRUCE_EDB, "store: a place with no id "
                            "or name: the store is damaged");
        else
            rc = fn(ud, &p);
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_err(s, "reading the places");
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_mark_all(void *impl)
{
    return exec_sql(impl, "UPDATE events SET pending = 1 WHERE pending = 0");
}

static truce_status
sq_counts(void *impl, int64_t *events, int64_t *pending)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*), "
                           "(SELECT count(*) FROM events WHERE pending = 1) "
                           "FROM events", -1, &st, NULL))
        return db_err(s, "counting events");
    if (sqlite3_step(st) == SQLITE_ROW) {
        *events = sqlite3_column_int64(st, 0);
        *pending = sqlite3_column_int64(st, 1);
    } else {
        rc = db_err(s, "counting events");
    }
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------ assessments */

/* The texts are store.c's (truce__assessments_text); kept as they come. */
static truce_status
sq_put_assessments(void *impl, int64_t key,
                   const struct truce__assessments_text *t)
{
    struct sq *s = impl;
    bind_text(s->ev_done, 1, t->overall);
    bind_text(s->ev_done, 2, t->list);
    bind_text(s->ev_done, 3, t->sides);
    bind_text(s->ev_done, 4, t->verdicts);
    sqlite3_bind_int64(s->ev_done, 5, key);
    return step_done(s, s->ev_done, "storing assessments");
}

/* ------------------------------------------------------------ query */

static int64_t
col_count(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? -1
               : sqlite3_column_int64(st, i);
}

static truce_status
row_event(sqlite3_stmt *st, struct truce_event *ev, bool with_raw)
{
    const char *cat;
    truce_event_release(ev);
    /* Column 0 is the rowid; the EVENT_COLS follow from 1. */
    if (truce__set_str(&ev->id, col_text(st, 1), (size_t)-1) ||
        truce__set_str(&ev->source, col_text(st, 2), (size_t)-1) ||
        truce__set_str(&ev->source_id, col_text(st, 3), (size_t)-1) ||
        truce__set_str(&ev->subcategory, col_text(st, 12), (size_t)-1) ||
        truce__set_str(&ev->actor1, col_text(st, 14), (size_t)-1) ||
        truce__set_str(&ev->actor2, col_text(st, 15), (size_t)-1) ||
        truce__set_str(&ev->location, col_text(st, 22), (size_t)-1) ||
        truce__set_str(&ev->admin1, col_text(st, 23), (size_t)-1) ||
        truce__set_str(&ev->notes, col_text(st, 24), (size_t)-1) ||
        truce__set_str(&ev->inter1, col_text(st, 26), (size_t)-1) ||
        truce__set_str(&ev->inter2, col_text(st, 27), (size_t)-1) ||
        truce__set_str(&ev->area, col_text(st, 28), (size_t)-1) ||
        (with_raw &&
         truce__set_str(&ev->raw, col_text(st, COL_RAW), (size_t)-1)))
        return TRUCE_ENOMEM;
    ev->time_kind = (enum truce_time_kind)sqlite3_column_int(st, 4);
    ev->t0 = sqlite3_column_int64(st, 5);
    ev->t1 = sqlite3_column_int64(st, 6);
    ev->date_only = sqlite3_column_int(st, 7) != 0;
    ev->lat = sqlite3_column_double(st, 8);
    ev->lon = sqlite3_column_double(st, 9);
    ev->radius_km = sqlite3_column_double(st, 10);
    cat = col_text(st, 11);
    ev->category = cat ? truce_category_parse(cat, strlen(cat))
                       : TRUCE_CAT_NONE;
    ev->directed = sqlite3_column_int(st, 13) != 0;
    ev->fatalities = col_count(st, 16);
    ev->fatalities_low = col_count(st, 17);
    ev->fatalities_high = col_count(st, 18);
    ev->civilian_fatalities = col_count(st, 19);
    ev->civilian_targeting = sqlite3_column_int(st, 20) != 0;
    ev->protected_site = sqlite3_column_int(st, 21) != 0;
    return TRUCE_OK;
}

/* The columns of a map row (struct truce_map_row). */
#define MAP_COLS                                                            \
    "e.rowid, e.id, e.time_kind, e.t0, e.t1, e.date_only, e.lat, e.lon,"   \
    " e.radius_km, e.category, e.verdict, e.location, e.fatalities,"       \
    " e.side, e.verdicts, e.pending, e.review, e.incident"

/* Gives back a statement from build_query: a cached one is reset, an
 * uncached one (made while its twin was busy) finalized. */
static void
query_done(struct sq *s, sqlite3_stmt *st)
{
    for (unsigned k = 0; k < STMT_CACHE; k++) {
        if (s->cache[k].st == st) {
            sqlite3_reset(st);
            s->cache[k].busy = false;
            return;
        }
    }
    sqlite3_finalize(st);
}

static truce_status
build_query(struct sq *s, const struct truce_query *q, bool map,
            sqlite3_stmt **out)
{
    struct truce_buf sql;
    sqlite3_stmt *st;
    int i = 1;
    truce_buf_init(&sql, 0);
    if (map)
        /* and, one row an incident, its reports (the index counts them) */
        truce_buf_adds(&sql, q->representatives_only
                                 ? "SELECT " MAP_COLS ", (SELECT count(*) "
                                   "FROM events m WHERE m.incident = "
                                   "e.rowid) FROM events e"
                                 : "SELECT " MAP_COLS ", 1 FROM events e");
    else
        truce_buf_adds(&sql, "SELECT e.rowid, " EVENT_COLS
                             ", e.verdict, e.pending, e.assessments,"
                             " e.incident");
    if (!map)
        truce_buf_adds(&sql, q->with_raw ? ", r.raw FROM events e LEFT JOIN "
                                           "events_raw r ON r.rowid = "
                                           "e.rowid"
                                         : " FROM events e");
    truce_buf_adds(&sql, " WHERE 1");
    if (q->agreement)
        truce_buf_adds(&sql, " AND EXISTS (SELECT 1 FROM json_each("
                             "e.assessments) a WHERE a.value ->> 0 = "
                             ":agreement");
    if (q->agreement && q->has_verdict)
        truce_buf_adds(&sql, " AND a.value ->> 1 = :verdict");
    if (q->agreement)
        truce_buf_adds(&sql, ")");
    if (q->pending_only)
        truce_buf_adds(&sql, " AND e.pending = 1");
    if (q->unlinked_only)
        truce_buf_adds(&sql, " AND e.incident IS NULL");
    if (q->incident)
        truce_buf_adds(&sql, " AND e.incident = :incident");
    if (q->representatives_only)
        truce_buf_adds(&sql, " AND (e.incident IS NULL OR e.incident = "
                             "e.rowid)");
    if (q->id)
        truce_buf_adds(&sql, " AND e.id = :id");
    if (q->keys)
        truce_buf_adds(&sql, " AND e.rowid IN (SELECT value FROM "
                             "json_each(:keys))");
    if (q->has_verdict && !q->agreement)
        truce_buf_adds(&sql, " AND e.verdict = :verdict");
    if (q->category)
        truce_buf_adds(&sql, " AND e.category = :category");
    if (q->side)
        truce_buf_adds(&sql, " AND e.side IS NOT NULL AND EXISTS (SELECT 1 "
                             "FROM json_each(e.assessments) a, json_each("
                             "a.value -> 4) x WHERE a.value ->> 1 = "
                             "'violation' AND x.value = :side)");
    if (q->has_from)
        truce_buf_adds(&sql, " AND max(e.t1, e.t0 + 1) > :from");
    if (q->has_to)
        truce_buf_adds(&sql, " AND e.t0 < :to");
    if (q->has_bbox) {
        /* short events by cell and start, long ones by the R*Tree */
        truce_buf_adds(&sql, " AND e.lon BETWEEN :w AND :e AND e.lat BETWEEN "
                             ":s AND :n AND e.rowid IN (");
        if (truce__map_box_cells(q, "", "", NULL) <= TRUCE__MAX_CELLS)
            truce_buf_adds(&sql, "SELECT rowid FROM events WHERE cell IN "
                                 "(SELECT value FROM json_each(:cells)) AND "
                                 "t0 >= :t0min AND t0 < :t0max AND lon "
                                 "BETWEEN :w AND :e AND lat BETWEEN :s AND "
                                 ":n");
        else
            truce_buf_adds(&sql, "SELECT rowid FROM events WHERE t0 >= "
                                 ":t0min AND t0 < :t0max AND cell IS NOT "
                                 "NULL AND lon BETWEEN :w AND :e AND lat "
                                 "BETWEEN :s AND :n");
        truce_buf_adds(&sql, " UNION ALL SELECT id FROM events_rtree "
                             "WHERE minx <= :e AND maxx >= :w AND miny <= :n "
                             "AND maxy >= :s AND mint <= :tday AND "
                             "maxt >= :fday)");
    }
    if (q->after_key > 0)
        truce_buf_adds(&sql, " AND e.rowid > :after");
    truce_buf_adds(&sql, q->order_by_incident
                             ? " ORDER BY coalesce(e.incident, e.rowid), "
                               "e.rowid"
                             : " ORDER BY e.rowid");
    if (q->limit > 0)
        truce_buf_adds(&sql, " LIMIT :limit");
    st = NULL;
    for (unsigned k = 0; k < STMT_CACHE; k++) {
        if (s->cache[k].sql && !strcmp(s->cache[k].sql, sql.buf)) {
            if (s->cache[k].busy) {
                /* nested: a statement of its own, finalized after */
                if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL)) {
                    truce_buf_release(&sql);
                    return db_err(s, "querying events");
                }
                break;
            }
            st = s->cache[k].st;
            s->cache[k].busy = true;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            break;
        }
    }
    if (!st) {
        unsigned k = s->cache_next++ % STMT_CACHE;
        for (unsigned tries = 0; s->cache[k].busy && tries < STMT_CACHE;
             tries++)
            k = s->cache_next++ % STMT_CACHE;
        if (sqlite3_prepare_v3(s->db, sql.buf, -1, SQLITE_PREPARE_PERSISTENT,
                               &st, NULL) != SQLITE_OK) {
            truce_buf_release(&sql);
            return db_err(s, "querying events");
        }
        sqlite3_finalize(s->cache[k].st);
        truce__free(s->cache[k].sql);
        s->cache[k].st = st;
        s->cache[k].sql = truce_buf_detach(&sql);
        s->cache[k].busy = true;
    }
    truce_buf_release(&sql);
    for (i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *name = sqlite3_bind_parameter_name(st, i) + 1;
        if (!strcmp(name, "agreement"))
            sqlite3_bind_text(st, i, q->agreement, -1, SQLITE_STATIC);
        else if (!strcmp(name, "id"))
            sqlite3_bind_text(st, i, q->id, -1, SQLITE_STATIC);
        else if (!strcmp(name, "verdict"))
            sqlite3_bind_text(st, i, truce_verdict_name(q->verdict), -1,
                              SQLITE_STATIC);
        else if (!strcmp(name, "from"))
            sqlite3_bind_int64(st, i, q->from);
        else if (!strcmp(name, "to"))
            sqlite3_bind_int64(st, i, q->to);
        else if (!strcmp(name, "w"))
            sqlite3_bind_double(st, i, q->bbox[0]);
        else if (!strcmp(name, "s"))
            sqlite3_bind_double(st, i, q->bbox[1]);
        else if (!strcmp(name, "e"))
            sqlite3_bind_double(st, i, q->bbox[2]);
        else if (!strcmp(name, "n"))
            sqlite3_bind_double(st, i, q->bbox[3]);
        else if (!strcmp(name, "fday"))
            sqlite3_bind_double(st, i, q->has_from ? (double)q->from / 86400.0
                                                   : -1e9);
        else if (!strcmp(name, "tday"))
            sqlite3_bind_double(st, i, q->has_to ? (double)q->to / 86400.0
                                                 : 1e9);
        else if (!strcmp(name, "cells")) {
            struct truce_buf cells;
            truce_buf_init(&cells, 0);
            truce__map_box_cells(q, "[", "]", &cells);
            sqlite3_bind_text(st, i, cells.buf, (int)cells.len,
                              SQLITE_TRANSIENT);
            truce_buf_release(&cells);
        } else if (!strcmp(name, "keys")) {
            struct truce_buf keys;
            truce_buf_init(&keys, 0);
            truce__keys_list(q, "[", "]", &keys);
            sqlite3_bind_text(st, i, keys.buf ? keys.buf : "[]", -1,
                              SQLITE_TRANSIENT);
            truce_buf_release(&keys);
        } else if (!strcmp(name, "t0min"))
            sqlite3_bind_int64(st, i, q->has_from
                                          ? q->from - TRUCE__SHORT_DAYS * 86400LL - 1
                                          : INT64_MIN);
        else if (!strcmp(name, "t0max"))
            sqlite3_bind_int64(st, i, q->has_to ? q->to : INT64_MAX);
        else if (!strcmp(name, "after"))
            sqlite3_bind_int64(st, i, q->after_key);
        else if (!strcmp(name, "incident"))
            sqlite3_bind_int64(st, i, q->incident);
        else if (!strcmp(name, "limit"))
            sqlite3_bind_int64(st, i, q->limit);
        else if (!strcmp(name, "category"))
            sqlite3_bind_text(st, i, q->category, -1, SQLITE_STATIC);
        else if (!strcmp(name, "side"))
            sqlite3_bind_text(st, i, q->side, -1, SQLITE_STATIC);
    }
    *out = st;
    return TRUCE_OK;
}

static truce_status
sq_query(void *impl, const struct truce_query *q, truce_event_fn fn, void *ud)
{
    struct sq *s = impl;
    sqlite3_stmt *st = NULL;
    struct truce_stored rec;
    struct truce__assessments_reader ar = {0};
    truce_status rc;
    int r;
    if ((rc = build_query(s, q, false, &st)))
        return rc;
    memset(&rec, 0, sizeof(rec));
    truce_event_init(&rec.ev);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        rec.key = sqlite3_column_int64(st, 0);
        rec.incident = sqlite3_column_int64(st, COL_INCIDENT);
        if ((rc = row_event(st, &rec.ev, q->with_raw)) ||
            (rc = truce__assessments_read(
                 s->ctx, &ar, col_text(st, COL_VERDICT),
                 col_text(st, COL_ASSESSMENTS),
                 sqlite3_column_int(st, COL_PENDING) != 0,
                 q->no_assessments, &rec)))
            break;
        rc = fn(ud, &rec);
        truce__assessments_reader_clear(&ar);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_err(s, "reading events");
    if (rc == TRUCE_ENOMEM)
        truce__err(s->ctx, rc, "out of memory");
    query_done(s, st);
    truce_event_release(&rec.ev);
    truce__assessments_reader_release(&ar);
    return rc;
}

static truce_status
sq_extent(void *impl, int64_t *t0, int64_t *t1)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_OK;
    int r;
    *t0 = *t1 = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT min(t0), max(max(t1, t0)) FROM "
                           "events", -1, &st, NULL))
        return db_err(s, "measuring the events' time span");
    if ((r = sqlite3_step(st)) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *t0 = sqlite3_column_int64(st, 0);
        *t1 = sqlite3_column_int64(st, 1);
    } else if (r != SQLITE_ROW) {
        rc = db_err(s, "measuring the events' time span");
    }
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------- the monitoring cell */

static truce_status
meta_value(struct sq *s, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    int r;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return db_err(s, "reading a counter");
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? TRUCE_OK
                                               : db_err(s, "reading a counter");
}

static truce_status
sq_places_version(void *impl, int64_t *out)
{
    return meta_value(impl, "SELECT value FROM meta WHERE key = "
                            "'places_version'", out);
}

static truce_status
sq_events_version(void *impl, int64_t *out)
{
    return meta_value(impl, "SELECT value FROM meta WHERE key = "
                            "'events_version'", out);
}

static truce_status
sq_get_cache(void *impl, const char *name, int64_t version, void **data,
             size_t *len)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    sqlite3_blob *blob = NULL;
    sqlite3_int64 rowid;
    int r, n = 0;
    truce_status rc = TRUCE_OK;
    *data = NULL;
    *len = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT rowid FROM caches WHERE name = ?1 "
                           "AND version = ?2 AND typeof(data) = 'blob'", -1,
                           &st, NULL))
        return db_err(s, "reading a cache");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, version);
    r = sqlite3_step(st);
    rowid = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (r == SQLITE_DONE)
        return TRUCE_ENOTFOUND;
    if (r != SQLITE_ROW)
        return db_err(s, "reading a cache");
    /* Read straight into a buffer of ours: the blob is large. The file's
     * pages mapped while it is read, so that they are not copied through
     * the page cache of the connection (0.2 s to 0.1 s for 80 MB); off
     * again once the blob is closed (SQLite keeps a mapping in use), as
     * the rest of the store runs. The open blob is one read of one row:
     * its length and bytes agree. */
    sqlite3_exec(s->db, "PRAGMA mmap_size = 4294967296", NULL, NULL, NULL);
    if (sqlite3_blob_open(s->db, "main", "caches", "data", rowid, 0, &blob)) {
        rc = db_err(s, "reading a cache");
    } else if (!(*data = truce__malloc((n = sqlite3_blob_bytes(blob)) > 0
                                            ? (size_t)n
                                            : 1))) {
        rc = truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
    } else if (sqlite3_blob_read(blob, *data, n, 0)) {
        rc = db_err(s, "reading a cache");
    }
    sqlite3_blob_close(blob);
    sqlite3_exec(s->db, "PRAGMA mmap_size = 0", NULL, NULL, NULL);
    if (rc) {
        truce__free(*data);
        *data = NULL;
        return rc;
    }
    *len = (size_t)n;
    return TRUCE_OK;
}

static truce_status
sq_put_cache(void *impl, const char *name, int64_t version, const void *data,
             size_t len)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    int r;
    /* kept only while the events are still at that version */
    if (sqlite3_prepare_v2(s->db, "INSERT INTO caches(name, version, data) "
                           "SELECT ?1, ?2, ?3 WHERE coalesce((SELECT value "
                           "FROM meta WHERE key = 'events_version'), 0) = ?2 "
                           "ON CONFLICT(name) DO UPDATE SET version = "
                           "excluded.version, data = excluded.data", -1, &st,
                           NULL))
        return db_err(s, "writing a cache");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, version);
    sqlite3_bind_blob64(st, 3, data, len, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? TRUCE_OK : db_err(s, "writing a cache");
}

static truce_status
sq_model_version(void *impl, int64_t *out)
{
    struct sq *s = impl;
    int r;
    *out = 0;
    if (!s->version &&
        sqlite3_prepare_v3(s->db, "SELECT value FROM meta WHERE key = "
                           "'model_version'", -1, SQLITE_PREPARE_PERSISTENT,
                           &s->version, NULL))
        return db_err(s, "reading the model version");
    r = sqlite3_step(s->version);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(s->version, 0);
    sqlite3_reset(s->version);
    return r == SQLITE_ROW || r == SQLITE_DONE
               ? TRUCE_OK
               : db_err(s, "reading the model version");
}

static truce_status
sq_next_field_id(void *impl, int64_t *out)
{
    return meta_value(impl, "UPDATE meta SET value = value + 1 WHERE key = "
                            "'field_seq' RETURNING value", out);
}

static truce_status
sq_add_user(void *impl, const char *name, const char *role, const char *hash,
            int64_t *id)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    int r;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO users(name, role, token_hash)"
                           " VALUES(?,?,?)", -1, &st, NULL))
        return db_err(s, "adding a user");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r == SQLITE_CONSTRAINT)
        return truce__err(s->ctx, TRUCE_EINVAL, "user '%s' exists", name);
    if (r != SQLITE_DONE)
        return db_err(s, "adding a user");
    *id = sqlite3_last_insert_rowid(s->db);
    return TRUCE_OK;
}

static truce_status
sq_get_user(void *impl, int64_t id, char *name, char *role, char *hash)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_ENOTFOUND;
    if (sqlite3_prepare_v2(s->db, "SELECT name, role, token_hash FROM users "
                           "WHERE id = ?", -1, &st, NULL))
        return db_err(s, "finding a user");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(name, 64, "%s", col_text(st, 0));
        snprintf(role, 16, "%s", col_text(st, 1));
        snprintf(hash, 65, "%s", col_text(st, 2));
        rc = TRUCE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------ links */

/* Runs sql (one statement) with its ?1 and ?2 bound to a and b. */
static truce_status
exec_keys(struct sq *s, const char *sql, int64_t a, int64_t b,
          const char *what)
{
    sqlite3_stmt *st;
    truce_status rc;
    if ((rc = prepare(s, &st, sql)))
        return rc;
    sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) > 1)
        sqlite3_bind_int64(st, 2, b);
    rc = step_done(s, st, what);
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_put_link(void *impl, int64_t key, int64_t rep)
{
    struct sq *s = impl;
    truce_status rc;
    if (!s->link_put &&
        (rc = prepare(s, &s->link_put, "UPDATE events SET incident = "
                                       "nullif(?2, 0) WHERE rowid = ?1")))
        return rc;
    sqlite3_bind_int64(s->link_put, 1, key);
    sqlite3_bind_int64(s->link_put, 2, rep);
    return step_done(s, s->link_put, "linking an event");
}

static truce_status
sq_unlink_incident(void *impl, int64_t key)
{
    struct sq *s = impl;
    truce_status rc = exec_keys(
        s, "UPDATE events SET incident = NULL WHERE incident = (SELECT "
           "incident FROM events WHERE rowid = ?1)", key, 0,
        "unlinking an incident");
    return rc ? rc : sq_put_link(s, key, 0);
}

static truce_status
sq_max_radius(void *impl, double *out)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc;
    *out = 0;
    if ((rc = prepare(s, &st, "SELECT coalesce(max(radius_km), 0) FROM "
                              "events")))
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_double(st, 0);
    else
        rc = db_err(s, "reading the largest radius");
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_several_sources(void *impl, bool *out)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc;
    *out = false;
    /* each extreme alone, so that SQLite takes it from the index (both in
     * one query scan the table: 80 ms a call at a million events) */
    if ((rc = prepare(s, &st, "SELECT coalesce((SELECT min(source) FROM "
                              "events) < (SELECT max(source) FROM events), "
                              "0)")))
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0) != 0;
    else
        rc = db_err(s, "reading the sources");
    sqlite3_finalize(st);
    return rc;
}

/* A file SQLite could open for reading only (its permissions). */
static truce_status
sq_read_only(void *impl, bool *out)
{
    struct sq *s = impl;
    *out = sqlite3_db_readonly(s->db, "main") == 1;
    return TRUCE_OK;
}

static truce_status
sq_delete_event(void *impl, const char *id)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    int64_t rowid = 0;
    truce_status rc;
    if (sqlite3_prepare_v2(s->db, "SELECT rowid FROM events WHERE id = ?", -1,
                           &st, NULL))
        return db_err(s, "finding an event");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        rowid = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!rowid)
        return truce__err(s->ctx, TRUCE_ENOTFOUND, "no event '%s'", id);
    if ((rc = sq_unlink_incident(s, rowid)))
        return rc;
    sqlite3_bind_int64(s->rt_delete, 1, rowid);
    if ((rc = step_done(s, s->rt_delete, "deleting an event")))
        return rc;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM events_raw WHERE rowid = ?1;",
                           -1, &st, NULL))
        return db_err(s, "deleting an event");
    sqlite3_bind_int64(st, 1, rowid);
    rc = step_done(s, st, "deleting an event");
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM events WHERE rowid = ?1", -1,
                           &st, NULL))
        return db_err(s, "deleting an event");
    sqlite3_bind_int64(st, 1, rowid);
    rc = step_done(s, st, "deleting an event");
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_set_user_hash(void *impl, const char *name, const char *hash, int64_t *id)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_ENOTFOUND;
    if (sqlite3_prepare_v2(s->db, "UPDATE users SET token_hash = ? WHERE "
                           "name = ? RETURNING id", -1, &st, NULL))
        return db_err(s, "changing a user's token");
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = TRUCE_OK;
    }
    sqlite3_finalize(st);
    if (rc == TRUCE_ENOTFOUND)
        return truce__err(s->ctx, rc, "no user '%s'", name);
    return rc;
}

static truce_status
sq_each_user(void *impl, truce_text_fn fn, void *ud)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    truce_status rc = TRUCE_OK;
    int r;
    if (sqlite3_prepare_v2(s->db, "SELECT id, json_object('id', id, 'name', "
                           "name, 'role', role, 'created_at', created_at, "
                           "'active', json(CASE WHEN token_hash = '' THEN "
                           "'false' ELSE 'true' END)) FROM users ORDER BY id",
                           -1, &st, NULL))
        return db_err(s, "listing users");
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(ud, col_text(st, 0), col_text(st, 1));
    if (!rc && r != SQLITE_DONE)
        rc = db_err(s, "listing users");
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_set_review(void *impl, const char *event, const char *state)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    int r;
    if (sqlite3_prepare_v2(s->db, "UPDATE events SET review = ? WHERE id = ?",
                           -1, &st, NULL))
        return db_err(s, "marking a review");
    bind_text(st, 1, state);
    sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? TRUCE_OK : db_err(s, "marking a review");
}

static truce_status
sq_add_audit(void *impl, const char *event, const char *entry)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    int r;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO audit(event, entry) "
                           "VALUES(?,?)", -1, &st, NULL))
        return db_err(s, "writing the audit trail");
    bind_text(st, 1, event);
    sqlite3_bind_text(st, 2, entry, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? TRUCE_OK : db_err(s, "writing the audit trail");
}

/* Entries as {"id", "at", ...the stored entry's keys}. */
static truce_status
sq_audit(void *impl, const char *event, int64_t after, long limit,
         truce_text_fn fn, void *ud)
{
    struct sq *s = impl;
    sqlite3_stmt *st;
    struct truce_buf b;
    truce_status rc = TRUCE_OK;
    int r;
    if (sqlite3_prepare_v2(s->db, event
                           ? "SELECT id, at, entry FROM audit WHERE event = "
                             "?1 AND id > ?2 ORDER BY id LIMIT ?3"
                           : "SELECT id, at, entry FROM audit WHERE id > ?2 "
                             "ORDER BY id LIMIT ?3",
                           -1, &st, NULL))
        return db_err(s, "reading the audit trail");
    if (event)
        sqlite3_bind_text(st, 1, event, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after);
    sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
    truce_buf_init(&b, 0);
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        char id[32];
        const char *entry = col_text(st, 2);
        snprintf(id, sizeof(id), "%lld",
                 (long long)sqlite3_column_int64(st, 0));
        truce_buf_reset(&b);
        if (truce_buf_addf(&b, "{\"id\":%s,\"at\":\"%s\",%s", id,
                           col_text(st, 1), entry && entry[0] == '{'
                                                ? entry + 1
                                                : "}"))
            rc = truce__err(s->ctx, TRUCE_ENOMEM, "out of memory");
        else
            rc = fn(ud, id, b.buf);
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_err(s, "reading the audit trail");
    truce_buf_release(&b);
    sqlite3_finalize(st);
    return rc;
}

static truce_status
sq_map(void *impl, const struct truce_query *q, truce_map_fn fn, void *ud)
{
    struct sq *s = impl;
    sqlite3_stmt *st = NULL;
    struct truce_map_row row;
    truce_status rc = TRUCE_OK;
    int r;
    if ((rc = build_query(s, q, true, &st)))
        return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = col_text(st, 10);
        row.key = sqlite3_column_int64(st, 0);
        row.id = col_text(st, 1);
        row.time_kind = (enum truce_time_kind)sqlite3_column_int(st, 2);
        row.t0 = sqlite3_column_int64(st, 3);
        row.t1 = sqlite3_column_int64(st, 4);
        row.date_only = sqlite3_column_int(st, 5) != 0;
        row.lat = sqlite3_column_double(st, 6);
        row.lon = sqlite3_column_double(st, 7);
        row.radius_km = sqlite3_column_double(st, 8);
        row.category = col_text(st, 9);
        row.verdict = sqlite3_column_int(st, 15) == 0 ? v : NULL;
        row.location = col_text(st, 11);
        row.fatalities = col_count(st, 12);
        row.side = col_text(st, 13);
        row.verdicts = col_text(st, 14);
        row.review = col_text(st, 16);
        row.incident = sqlite3_column_int64(st, 17);
        row.reports = sqlite3_column_int64(st, 18);
        if (row.reports < 1)
            row.reports = 1; /* not linked yet: a report of its own */
        if ((rc = fn(ud, &row)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_err(s, "reading events");
    query_done(s, st);
    return rc;
}

const struct truce__store_ops truce__sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_version,
    .put_place = sq_put_place,
    .each_place = sq_each_place,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .put_event = sq_put_event,
    .put_doc = sq_put_doc,
    .get_doc = sq_get_doc,
    .each_doc = sq_each_doc,
    .query = sq_query,
    .put_assessments = sq_put_assessments,
    .mark_all = sq_mark_all,
    .bump_model_version = sq_bump_model_version,
    .bump_places_version = sq_bump_places_version,
    .bump_events_version = sq_bump_events_version,
    .events_version = sq_events_version,
    .get_cache = sq_get_cache,
    .put_cache = sq_put_cache,
    .counts = sq_counts,
    .extent = sq_extent,
    .model_version = sq_model_version,
    .places_version = sq_places_version,
    .add_user = sq_add_user,
    .get_user = sq_get_user,
    .set_user_hash = sq_set_user_hash,
    .delete_event = sq_delete_event,
    .put_link = sq_put_link,
    .unlink_incident = sq_unlink_incident,
    .max_radius = sq_max_radius,
    .several_sources = sq_several_sources,
    .read_only = sq_read_only,
    .each_user = sq_each_user,
    .next_field_id = sq_next_field_id,
    .add_audit = sq_add_audit,
    .audit = sq_audit,
    .set_review = sq_set_review,
    .map = sq_map,
};
