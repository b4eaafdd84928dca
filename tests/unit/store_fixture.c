/*
 * store_fixture.c - where the unit tests put a store: a file under /tmp,
 * or, when TRUCE_TEST_PG_DSN (or TRUCE_TEST_PG) names a PostgreSQL
 * database, a schema of its own in that database, reached by a URL whose
 * search_path is that schema. So the same tests run on either backend:
 *
 *     TRUCE_TEST_PG_DSN=postgresql://postgres@127.0.0.1:5432/truce \
 *         build/unit_tests store
 *
 * With TRUCE_TEST_PG_PARTITION=month as well, each store is made with its
 * events partitioned by month (partition=month in its URL, docs/scale.md).
 *
 * Each store is removed by test_store_remove, and at exit (an assertion
 * ends the test's process) whatever is left.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <unistd.h>

#include <libpq-fe.h>

#define MAX_LEFT 8

static char left[MAX_LEFT][TEST_STORE_PATH];
static bool at_exit_set;

const char *
test_store_pg(void)
{
    const char *dsn = getenv("TRUCE_TEST_PG_DSN");
    if (!dsn || !dsn[0])
        dsn = getenv("TRUCE_TEST_PG");
    return dsn && dsn[0] ? dsn : NULL;
}

/* The schema a test store URL names ("" for a file). */
static const char *
schema_of(const char *path)
{
    const char *p = strstr(path, "search_path%3D");
    return p ? p + 14 : "";
}

/* The server's notices (a DROP ... CASCADE lists what went) are noise. */
static void
quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* truce's parameter, which libpq does not know. */
#define PARTITION_PARAM "&partition=month"

void
test_store_exec(const char *url, const char *sql)
{
    char plain[TEST_STORE_PATH];
    const char *p = strstr(url, PARTITION_PARAM);
    PGconn *c;
    PGresult *r;
    snprintf(plain, sizeof(plain), "%.*s%s",
             p ? (int)(p - url) : (int)strlen(url), url,
             p ? p + strlen(PARTITION_PARAM) : "");
    c = PQconnectdb(plain);
    if (PQstatus(c) != CONNECTION_OK)
        FAIL_AT("cannot reach the test server: %s", PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet, NULL);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK &&
        PQresultStatus(r) != PGRES_TUPLES_OK)
        FAIL_AT("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* Drops the schema or removes the file (and SQLite's -wal and -shm). */
static void
remove_store(const char *path)
{
    char p[TEST_STORE_PATH + 8];
    if (!path[0])
        return;
    if (schema_of(path)[0]) {
        PGconn *c = PQconnectdb(test_store_pg());
        snprintf(p, sizeof(p), "DROP SCHEMA IF EXISTS %.*s CASCADE",
                 (int)strcspn(schema_of(path), "&"), schema_of(path));
        PQsetNoticeProcessor(c, quiet, NULL);
        if (PQstatus(c) == CONNECTION_OK)
            PQclear(PQexec(c, p));
        PQfinish(c);
        return;
    }
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

static void
remove_left(void)
{
    for (int i = 0; i < MAX_LEFT; i++) {
        remove_store(left[i]);
        left[i][0] = '\0';
    }
}

/* Remembers path for the exit. */
static void
keep(const char *path)
{
    if (!at_exit_set) {
        atexit(remove_left);
        at_exit_set = true;
    }
    for (int i = 0; i < MAX_LEFT; i++) {
        if (!left[i][0]) {
            snprintf(left[i], sizeof(left[i]), "%s", path);
            return;
        }
    }
}

void
test_store_new(char path[TEST_STORE_PATH])
{
    static unsigned seq;
    const char *dsn = test_store_pg();
    if (dsn) {
        char schema[64], sql[96];
        snprintf(schema, sizeof(schema), "truce_test_%ld_%u", (long)getpid(),
                 ++seq);
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
        test_store_exec(dsn, sql);
        const char *part = getenv("TRUCE_TEST_PG_PARTITION");
        bool month = part && !strcmp(part, "month");
        if (snprintf(path, TEST_STORE_PATH, "%s%soptions=-csearch_path%%3D%s%s",
                     dsn, strchr(dsn, '?') ? "&" : "?", schema,
                     month ? PARTITION_PARAM : "") >= TEST_STORE_PATH)
            FAIL_AT("TRUCE_TEST_PG_DSN is too long");
    } else {
        int fd;
        snprintf(path, TEST_STORE_PATH, "/tmp/truce-store-XXXXXX");
        fd = mkstemp(path);
        ASSERT(fd >= 0);
        close(fd);
    }
    keep(path);
}

void
test_store_remove(const char *path)
{
    remove_store(path);
    for (int i = 0; i < MAX_LEFT; i++) {
        if (!strcmp(left[i], path))
            left[i][0] = '\0';
    }
}
