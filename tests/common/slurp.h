/*
 * slurp.h - a whole file read into memory, for the scorers and benchmarks
 * (tests/news, tests/link, bench/): NUL-terminated, malloc'd, its length
 * in *n; NULL when it cannot be read. One copy for the tools, which are
 * programs of their own and not part of the library.
 */
#ifndef TRUCE_TOOL_SLURP_H
#define TRUCE_TOOL_SLURP_H

#include <stdio.h>
#include <stdlib.h>

static char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long len;
    *n = 0;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[len] = '\0';
        *n = (size_t)len;
    }
    return b;
}

#endif
