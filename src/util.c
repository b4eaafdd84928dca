/*
 * util.c - the pieces every module uses: status names, the allocator, the
 * per-thread context, growable buffers, file reading and number parsing.
 */
#include "truce_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include <geos_c.h>

/* ------------------------------------------------------------- status */

const char *
truce_strerror(truce_status st)
{
    static const char *const words[] = {
#define X(e, w) [TRUCE_##e] = w,
        TRUCE_STATUSES(X)
#undef X
    };
    return (unsigned)st < sizeof(words) / sizeof(words[0]) ? words[st]
                                                           : "unknown status";
}

/* ---------------------------------------------------------- allocator */

/* Fault injection for tests; process-wide, set only by test code before
 * threads start. */
static long alloc_budget = -1;

void
truce__alloc_fail_after(long n)
{
    alloc_budget = n;
}

static bool
alloc_allowed(void)
{
    if (alloc_budget < 0)
        return true;
    if (alloc_budget == 0)
        return false;
    alloc_budget--;
    return true;
}

void *
truce__malloc(size_t n)
{
    return alloc_allowed() ? malloc(n ? n : 1) : NULL;
}

void *
truce__calloc(size_t n, size_t size)
{
    return alloc_allowed() ? calloc(n ? n : 1, size ? size : 1) : NULL;
}

void *
truce__realloc(void *p, size_t n)
{
    return alloc_allowed() ? realloc(p, n ? n : 1) : NULL;
}

void
truce__free(void *p)
{
    free(p);
}

char *
truce__strndup(const char *s, size_t n)
{
    char *d = truce__malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *
truce__strdup(const char *s)
{
    return s ? truce__strndup(s, strlen(s)) : NULL;
}

/* ---------------------------------------------------------------- ctx */

struct truce_ctx {
    GEOSContextHandle_t geos;
    char errmsg[1024];         /* "" unless the last call failed */
    long errline;              /* of the input errmsg refers to, or 0 */
    char geos_msg[512];        /* GEOS's last error, for messages */
    truce_warn_fn warn;
    void *warn_ud;
    truce_progress_fn progress;
    void *progress_ud;
};

static void
geos_notice(const char *msg, void *ud)
{
    (void)msg;
    (void)ud;
}

/* GEOS reports errors of calls that truce may get past: kept apart, for
 * the message of a failure that truce__err records. */
static void
geos_error(const char *msg, void *ud)
{
    struct truce_ctx *ctx = ud;
    snprintf(ctx->geos_msg, sizeof(ctx->geos_msg), "%s", msg);
}

truce_status
truce_ctx_new(struct truce_ctx **out)
{
    struct truce_ctx *ctx = truce__calloc(1, sizeof(*ctx));
    if (!ctx)
        return TRUCE_ENOMEM;
    ctx->geos = GEOS_init_r();
    if (!ctx->geos) {
        truce__free(ctx);
        return TRUCE_ENOMEM;
    }
    GEOSContext_setNoticeMessageHandler_r(ctx->geos, geos_notice, ctx);
    GEOSContext_setErrorMessageHandler_r(ctx->geos, geos_error, ctx);
    *out = ctx;
    return TRUCE_OK;
}

void
truce_ctx_free(struct truce_ctx *ctx)
{
    if (!ctx)
        return;
    GEOS_finish_r(ctx->geos);
    truce__free(ctx);
}

const char *
truce_ctx_errmsg(const struct truce_ctx *ctx)
{
    return ctx->errmsg;
}

long
truce_ctx_errline(const struct truce_ctx *ctx)
{
    return ctx->errline;
}

void
truce_ctx_set_warn(struct truce_ctx *ctx, truce_warn_fn fn, void *ud)
{
    ctx->warn = fn;
    ctx->warn_ud = ud;
}

void
truce_ctx_set_progress(struct truce_ctx *ctx, truce_progress_fn fn, void *ud)
{
    ctx->progress = fn;
    ctx->progress_ud = ud;
}

void
truce__progress(struct truce_ctx *ctx, long done)
{
    if (ctx && ctx->progress)
        ctx->progress(ctx->progress_ud, done);
}

void *
truce__ctx_geos(struct truce_ctx *ctx)
{
    return ctx->geos;
}

const char *
truce__ctx_geos_msg(const struct truce_ctx *ctx)
{
    return ctx->geos_msg[0] ? ctx->geos_msg : "no reason given";
}

void
truce__clear(struct truce_ctx *ctx)
{
    if (!ctx)
        return;
    ctx->errmsg[0] = '\0';
    ctx->errline = 0;
    ctx->geos_msg[0] = '\0';
}

static void
set_err(struct truce_ctx *ctx, long line, const char *fmt, va_list ap)
{
    char msg[sizeof(ctx->errmsg)];
    /* Formatted apart first: the arguments may include the old message. */
    vsnprintf(msg, sizeof(msg), fmt, ap);
    memcpy(ctx->errmsg, msg, sizeof(msg));
    ctx->errline = line;
}

truce_status
truce__err(struct truce_ctx *ctx, truce_status st, const char *fmt, ...)
{
    va_list ap;
    if (!ctx)
        return st;
    va_start(ap, fmt);
    set_err(ctx, 0, fmt, ap);
    va_end(ap);
    return st;
}

truce_status
truce__err_at(struct truce_ctx *ctx, truce_status st, long line,
              const char *fmt, ...)
{
    va_list ap;
    if (!ctx)
        return st;
    va_start(ap, fmt);
    set_err(ctx, line, fmt, ap);
    va_end(ap);
    return st;
}

void
truce__warn(struct truce_ctx *ctx, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    if (!ctx || !ctx->warn)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ctx->warn(ctx->warn_ud, msg);
}

/* ---------------------------------------------------------------- buf */

static char buf_empty[1];

void
truce_buf_init(struct truce_buf *b, size_t max)
{
    b->buf = buf_empty;
    b->len = 0;
    b->alloc = 0;
    b->max = max;
}

void
truce_buf_release(struct truce_buf *b)
{
    if (b->alloc)
        truce__free(b->buf);
    truce_buf_init(b, b->max);
}

void
truce_buf_reset(struct truce_buf *b)
{
    b->len = 0;
    if (b->alloc)
        b->buf[0] = '\0';
}

static truce_status
buf_grow(struct truce_buf *b, size_t extra)
{
    size_t need, want;
    char *p;
    if (extra > SIZE_MAX - b->len - 1)
        return TRUCE_ENOMEM;
    need = b->len + extra + 1;
    if (b->max && need - 1 > b->max)
        return TRUCE_ENOMEM;
    if (need <= b->alloc)
        return TRUCE_OK;
    want = b->alloc ? b->alloc : 64;
    while (want < need)
        want = want > SIZE_MAX / 2 ? need : want * 2;
    p = truce__realloc(b->alloc ? b->buf : NULL, want);
    if (!p)
        return TRUCE_ENOMEM;
    if (!b->alloc)
        p[0] = '\0';
    b->buf = p;
    b->alloc = want;
    return TRUCE_OK;
}

truce_status
truce_buf_add(struct truce_buf *b, const char *s, size_t n)
{
    truce_status st = buf_grow(b, n);
    if (st)
        return st;
    if (n)
        memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return TRUCE_OK;
}

truce_status
truce_buf_adds(struct truce_buf *b, const char *s)
{
    return truce_buf_add(b, s, strlen(s));
}

truce_status
truce_buf_addf(struct truce_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    truce_status st;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return TRUCE_EINVAL;
    if ((size_t)n < sizeof(small))
        return truce_buf_add(b, small, (size_t)n);
    st = buf_grow(b, (size_t)n);
    if (st)
        return st;
    va_start(ap, fmt);
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TRUCE_OK;
}

truce_status
truce_buf_add_json(struct truce_buf *b, const char *s)
{
    const char *run;
    truce_status st = TRUCE_OK;
    if (!s)
        return truce_buf_add(b, "null", 4);
    st |= truce_buf_add(b, "\"", 1);
    for (run = s; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        st |= truce_buf_add(b, run, (size_t)(s - run));
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            st |= truce_buf_add(b, esc, 2);
        } else {
            st |= truce_buf_addf(b, "\\u%04x", ch);
        }
        run = s + 1;
    }
    st |= truce_buf_add(b, run, (size_t)(s - run));
    st |= truce_buf_add(b, "\"", 1);
    return st ? TRUCE_ENOMEM : TRUCE_OK;
}

char *
truce_buf_detach(struct truce_buf *b)
{
    char *p = b->alloc ? b->buf : truce__strdup("");
    truce_buf_init(b, b->max);
    return p;
}

/* ------------------------------------------------------------ helpers */

truce_status
truce__buf_add_and(struct truce_buf *b, const char *const *v, size_t n)
{
    truce_status st = TRUCE_OK;
    for (size_t i = 0; i < n && !st; i++) {
        if (i)
            st = truce_buf_adds(b, i + 1 == n ? " and " : ", ");
        if (!st)
            st = truce_buf_adds(b, v[i]);
    }
    return st;
}

uint64_t
truce__hash(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

size_t
truce__utf8_check(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + k >= n)
            return i;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k + 1;
    }
    return n;
}

bool
truce__parse_double(const char *s, size_t n, double *out)
{
    char tmp[64];
    char *end;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof(tmp))
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    *out = strtod(tmp, &end);
    return end == tmp + n && errno == 0 && isfinite(*out);
}

bool
truce__parse_int(const char *s, size_t n, int64_t *out)
{
    double d;
    if (!truce__parse_double(s, n, &d))
        return false;
    if (d != floor(d) || fabs(d) > 9e15)
        return false;
    *out = (int64_t)d;
    return true;
}
