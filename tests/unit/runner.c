/*
 * runner.c - runs the registered unit tests, each in a forked process;
 * arguments select tests by name (substring). Ends with the line
 * "N passed, N failed[, N skipped]".
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 512
#define EXIT_SKIP 77

static struct {
    const char *name;
    test_fn fn;
} tests[MAX_TESTS];
static int n_tests;

void
test_register(const char *name, test_fn fn)
{
    if (n_tests < MAX_TESTS) {
        tests[n_tests].name = name;
        tests[n_tests].fn = fn;
        n_tests++;
    }
}

const char *
test_path(const char *rel)
{
    static char buf[4096];
    const char *top = getenv("TRUCE_SRCDIR");
    snprintf(buf, sizeof(buf), "%s/%s", top ? top : ".", rel);
    return buf;
}

unsigned
test_rnd(unsigned *state, unsigned n)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 8) % n;
}

const char *
test_shared(const char *rel)
{
    static char buf[4096];
    struct stat sb;
    const char *dir = getenv("TRUCE_SHARED");
    snprintf(buf, sizeof(buf), "%s/%s", dir ? dir : "../shared", rel);
    return stat(buf, &sb) == 0 ? buf : NULL;
}

char *
test_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;
    if (!f)
        FAIL_AT("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        FAIL_AT("cannot read %s", path);
    buf[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return buf;
}

void
test_skip(const char *why)
{
    fprintf(stderr, "  skipped: %s\n", why);
    exit(EXIT_SKIP);
}

static int
cmp_tests(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    qsort(tests, (size_t)n_tests, sizeof(tests[0]), cmp_tests);
    for (int i = 0; i < n_tests; i++) {
        pid_t pid;
        int status = 0;
        bool selected = argc < 2;
        for (int a = 1; a < argc; a++)
            selected |= strstr(tests[i].name, argv[a]) != NULL;
        if (!selected)
            continue;
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
            tests[i].fn();
            exit(0);
        }
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            passed++;
            printf("ok      %s\n", tests[i].name);
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SKIP) {
            skipped++;
            printf("skip    %s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL    %s%s\n", tests[i].name,
                   WIFSIGNALED(status) ? " (crashed)" : "");
        }
    }
    printf("%d passed, %d failed", passed, failed);
    if (skipped)
        printf(", %d skipped", skipped);
    printf("\n");
    return failed ? 1 : 0;
}
