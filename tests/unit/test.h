/*
 * test.h - a small unit-test harness: TEST(name) defines and registers a
 * test; ASSERT_* stop it with file, line and the values compared. The
 * runner (runner.c) forks each test, so a crash fails one test only, and
 * ends with "N passed, N failed".
 */
#ifndef TRUCE_TEST_H
#define TRUCE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <truce/truce.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
/* Path of a file under the source tree (tests/data/...); static buffer. */
const char *test_path(const char *rel);
/* Path of the shared data folder, or NULL when it is absent. */
const char *test_shared(const char *rel);
/* A whole file, NUL-terminated (malloc'd); fails the test when it cannot
 * be read. */
char *test_slurp(const char *path, size_t *n);
/* A number in [0, n) from a linear congruential sequence kept in *state:
 * the same numbers on every run, so that a failing case can be found
 * again. */
unsigned test_rnd(unsigned *state, unsigned n);
/* Marks the running test as skipped, with a reason, and ends it. */
void test_skip(const char *why) __attribute__((noreturn));

/* Stores (store_fixture.c). The PostgreSQL database the tests' stores go
 * to (TRUCE_TEST_PG_DSN, or TRUCE_TEST_PG), or NULL: SQLite files. */
const char *test_store_pg(void);
#define TEST_STORE_PATH 512
/* A new place for a store, a path or a URL for truce_store_create: a
 * file under /tmp, or a schema of its own on the test server. Removed
 * by test_store_remove, or at exit. */
void test_store_new(char path[TEST_STORE_PATH]);
void test_store_remove(const char *path);
/* Runs sql on a PostgreSQL URL (a test store's: in its schema); fails the
 * test when it cannot. */
void test_store_exec(const char *url, const char *sql);

#define TEST(name)                                                          \
    static void test_##name(void);                                          \
    __attribute__((constructor)) static void register_##name(void)          \
    {                                                                       \
        test_register(#name, test_##name);                                  \
    }                                                                       \
    static void test_##name(void)

#define FAIL_AT(...)                                                        \
    do {                                                                    \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                   \
        fprintf(stderr, __VA_ARGS__);                                       \
        fputc('\n', stderr);                                                \
        exit(1);                                                            \
    } while (0)

#define ASSERT(cond)                                                        \
    do {                                                                    \
        if (!(cond))                                                        \
            FAIL_AT("assertion failed: %s", #cond);                         \
    } while (0)

#define ASSERT_EQ_INT(a, b)                                                 \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (a_ != b_)                                                       \
            FAIL_AT("%s == %lld, expected %s == %lld", #a, a_, #b, b_);     \
    } while (0)

#define ASSERT_EQ_STR(a, b)                                                 \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                              \
            FAIL_AT("%s is \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)",\
                    b_ ? b_ : "(null)");                                    \
    } while (0)

#define ASSERT_NEAR(a, b, eps)                                              \
    do {                                                                    \
        double a_ = (a), b_ = (b);                                          \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                        \
            FAIL_AT("%s == %.9g, expected %.9g (within %g)", #a, a_, b_,    \
                    (double)(eps));                                         \
    } while (0)

#define ASSERT_OK(expr)                                                     \
    do {                                                                    \
        truce_status st_ = (expr);                                          \
        if (st_ != TRUCE_OK)                                                \
            FAIL_AT("%s returned %s", #expr, truce_strerror(st_));          \
    } while (0)

#endif
