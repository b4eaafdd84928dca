/*
 * tools.h - what the scorers and benchmarks (tests/news, tests/link,
 * bench/) each need, once: a whole file read into memory, the
 * great-circle distance, a seeded xorshift generator. The tools are
 * programs of their own, not part of the library, and use its public
 * header only.
 */
#ifndef TRUCE_TOOLS_H
#define TRUCE_TOOLS_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The file at path, NUL-terminated (malloc'd), its length in *n; NULL
 * when it cannot be read. */
static inline char *
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

/* The great-circle distance in km between two points in degrees (the
 * mean Earth radius, as src/link.c uses). */
static inline double
km(double lat1, double lon1, double lat2, double lon2)
{
    double p = M_PI / 180, a = sin((lat2 - lat1) * p / 2),
           b = sin((lon2 - lon1) * p / 2);
    double h = a * a + cos(lat1 * p) * cos(lat2 * p) * b * b;
    return 2 * 6371.0088 * asin(sqrt(h > 1 ? 1 : h));
}

/* The next number in [0, 1) of the xorshift generator whose state (never
 * 0) is *s: the same sequence for the same seed, on every machine. */
static inline double
uniform_from(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (double)(*s >> 11) / 9007199254740992.0;
}

#endif
