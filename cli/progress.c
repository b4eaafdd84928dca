/*
 * progress.c - a line on the terminal that says how far a long run has
 * gone (records, rate, elapsed), rewritten in place at most five times a
 * second and cleared at the end; nothing at all when stderr is not a
 * terminal, so logs and pipes get only what they always got.
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cli_progress_start(struct cli_progress *p, const char *what)
{
    p->on = isatty(STDERR_FILENO) == 1;
    p->what = what;
    p->start = p->last = now();
    p->shown = false;
}

/* 1234567 as "1,234,567". */
static void
grouped(long n, char out[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof(digits), "%ld", n < 0 ? 0 : n), k = 0;
    for (int i = 0; i < len; i++) {
        out[k++] = digits[i];
        if (i < len - 1 && (len - 1 - i) % 3 == 0)
            out[k++] = ',';
    }
    out[k] = '\0';
}

void
cli_progress_tick(struct cli_progress *p, long done)
{
    double t, secs;
    char n[32], rate[32];
    if (!p->on)
        return;
    t = now();
    if (t - p->last < 0.2 && p->shown)
        return;
    p->last = t;
    secs = t - p->start;
    grouped(done, n);
    grouped(secs > 0 ? (long)((double)done / secs) : 0, rate);
    fprintf(stderr, "\r\033[Ktruce: %s: %s records, %s/s, %.1f s", p->what, n,
            rate, secs);
    fflush(stderr);
    p->shown = true;
}

void
cli_progress_end(struct cli_progress *p)
{
    if (p->on && p->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->shown = false;
}

void
cli_progress_callback(void *ud, long done)
{
    cli_progress_tick(ud, done);
}
