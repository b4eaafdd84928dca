/*
 * csv.c - the streaming input window and the RFC 4180 tokenizer, the hot
 * path of every CSV reader (ACLED, UCDP, GDELT). Hand-written for speed and
 * fuzzed (fuzz/fuzz_csv.c): quoted fields with delimiters, doubled quotes
 * and line breaks, CRLF and LF line ends, a UTF-8 BOM, capped record size
 * and column count. Memory is constant in the input size.
 */
#define _GNU_SOURCE 1 /* fopencookie */
#include "truce_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

#define WINDOW (1u << 16)

struct truce__input {
    FILE *f;
    const char *mem;  /* when reading memory */
    size_t mem_len, mem_pos;
    char *win;        /* the window over a file */
    size_t len, pos;  /* bytes in the window, next byte */
    bool eof, error;
    long line;        /* the line of the next byte */
    bool started;     /* the BOM check has been done */
};

/* ------------------------------------------------ a zipped file (libzip) */

/* A zip archive's CSV entry read as a stream (GDELT's 15-minute
 * .export.CSV.zip files), nothing unpacked to disk. */
struct zipped {
    zip_t *archive;
    zip_file_t *entry;
};

static ssize_t
zipped_read(void *cookie, char *buf, size_t n)
{
    struct zipped *z = cookie;
    zip_int64_t got = zip_fread(z->entry, buf, n);
    if (got < 0) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)got;
}

static int
zipped_close(void *cookie)
{
    struct zipped *z = cookie;
    int rc = zip_fclose(z->entry);
    zip_discard(z->archive);
    truce__free(z);
    return rc ? EOF : 0;
}

/* The entry to read: the archive's only one, else its first .csv. */
static zip_int64_t
csv_entry(zip_t *archive)
{
    zip_int64_t n = zip_get_num_entries(archive, 0);
    if (n == 1)
        return 0;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(archive, (zip_uint64_t)i, 0);
        size_t len = name ? strlen(name) : 0;
        if (len > 4 && !strcasecmp(name + len - 4, ".csv"))
            return i;
    }
    return -1;
}

/* A stream of the zip archive at path's CSV entry; NULL with why said. */
static FILE *
open_zipped(const char *path, char *why, size_t why_n)
{
    static const cookie_io_functions_t io = {.read = zipped_read,
                                             .close = zipped_close};
    struct zipped *z = truce__calloc(1, sizeof(*z));
    zip_int64_t entry;
    int err = 0;
    FILE *f;
    if (!z) {
        snprintf(why, why_n, "out of memory");
        return NULL;
    }
    if (!(z->archive = zip_open(path, ZIP_RDONLY, &err))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        snprintf(why, why_n, "not a zip archive truce can read: %s",
                 zip_error_strerror(&ze));
        zip_error_fini(&ze);
        truce__free(z);
        return NULL;
    }
    if ((entry = csv_entry(z->archive)) < 0 ||
        !(z->entry = zip_fopen_index(z->archive, (zip_uint64_t)entry, 0))) {
        snprintf(why, why_n, entry < 0 ? "the zip archive holds no .csv "
                                         "file (nor one file alone)"
                                       : "cannot read the zip archive's "
                                         "entry: %s",
                 zip_strerror(z->archive));
        zip_discard(z->archive);
        truce__free(z);
        return NULL;
    }
    if (!(f = fopencookie(z, "rb", io))) {
        snprintf(why, why_n, "out of memory");
        zip_fclose(z->entry);
        zip_discard(z->archive);
        truce__free(z);
    }
    return f;
}

/* Is the file a zip archive (its first bytes "PK\3\4")? It is left at its
 * start. */
static bool
is_zip(FILE *f)
{
    unsigned char magic[4];
    bool zip = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "PK\3\4", 4);
    rewind(f);
    return zip;
}

truce_status
truce__input_open_file(const char *path, struct truce__input **out)
{
    char why[160];
    return truce__input_open_path(path, out, why, sizeof(why));
}

truce_status
truce__input_open_path(const char *path, struct truce__input **out,
                       char *why, size_t why_n)
{
    struct truce__input *in = truce__calloc(1, sizeof(*in));
    why[0] = '\0';
    if (!in)
        return TRUCE_ENOMEM;
    in->f = fopen(path, "rb");
    if (in->f && is_zip(in->f)) {
        fclose(in->f);
        if (!(in->f = open_zipped(path, why, why_n))) {
            truce__input_free(in);
            return TRUCE_EIO;
        }
    }
    in->win = truce__malloc(WINDOW);
    if (!in->f || !in->win) {
        truce_status st = in->f ? TRUCE_ENOMEM : TRUCE_EIO;
        int e = errno; /* fopen's reason, for the message */
        truce__input_free(in);
        snprintf(why, why_n, "%s", strerror(e));
        errno = e;
        return st;
    }
    in->line = 1;
    *out = in;
    return TRUCE_OK;
}

truce_status
truce__input_open_mem(const char *data, size_t n, struct truce__input **out)
{
    struct truce__input *in = truce__calloc(1, sizeof(*in));
    if (!in)
        return TRUCE_ENOMEM;
    in->mem = data;
    in->mem_len = n;
    in->line = 1;
    *out = in;
    return TRUCE_OK;
}

void
truce__input_free(struct truce__input *in)
{
    if (!in)
        return;
    if (in->f)
        fclose(in->f);
    truce__free(in->win);
    truce__free(in);
}

/* Refills the window; false at the end or on error. */
static bool
refill(struct truce__input *in)
{
    if (in->mem) {
        in->eof = true;
        return false;
    }
    if (in->eof)
        return false;
    in->len = fread(in->win, 1, WINDOW, in->f);
    in->pos = 0;
    if (in->len == 0) {
        in->eof = true;
        in->error = ferror(in->f) != 0;
        return false;
    }
    return true;
}

static inline const char *
cur(struct truce__input *in)
{
    return in->mem ? in->mem + in->mem_pos : in->win + in->pos;
}

static inline size_t
avail(struct truce__input *in)
{
    if (in->mem)
        return in->mem_len - in->mem_pos;
    if (in->pos == in->len && !refill(in))
        return 0;
    return in->len - in->pos;
}

static inline void
advance(struct truce__input *in, size_t n)
{
    if (in->mem)
        in->mem_pos += n;
    else
        in->pos += n;
}

/* Next byte or -1. */
static inline int
getb(struct truce__input *in)
{
    int c;
    if (!avail(in))
        return -1;
    c = (unsigned char)*cur(in);
    advance(in, 1);
    if (c == '\n')
        in->line++;
    return c;
}

static inline int
peekb(struct truce__input *in)
{
    return avail(in) ? (unsigned char)*cur(in) : -1;
}

static void
skip_bom(struct truce__input *in)
{
    if (in->started)
        return;
    in->started = true;
    if (in->mem) {
        if (in->mem_len >= 3 && memcmp(in->mem, "\xEF\xBB\xBF", 3) == 0)
            in->mem_pos = 3;
        return;
    }
    if (!avail(in))
        return;
    while (in->len < 3 && !in->eof) {
        size_t got = fread(in->win + in->len, 1, WINDOW - in->len, in->f);
        if (got == 0)
            break;
        in->len += got;
    }
    if (in->len >= 3 && memcmp(in->win, "\xEF\xBB\xBF", 3) == 0)
        in->pos = 3;
}

size_t
truce__input_peek_line(struct truce__input *in, char *out, size_t max)
{
    const char *p;
    size_t n, k = 0;
    skip_bom(in);
    n = avail(in);
    p = cur(in);
    while (k < n && k + 1 < max && p[k] != '\n')
        k++;
    if (k && p[k - 1] == '\r' && k < n && p[k] == '\n')
        k--;
    memcpy(out, p, k);
    out[k] = '\0';
    return k;
}

truce_status
truce__input_all(struct truce__input *in, struct truce_buf *out)
{
    skip_bom(in);
    truce_buf_reset(out);
    for (;;) {
        size_t n = avail(in);
        if (n == 0)
            break;
        if (truce_buf_add(out, cur(in), n))
            return TRUCE_ENOMEM;
        advance(in, n);
    }
    return in->error ? TRUCE_EIO : TRUCE_OK;
}

/* Windows-1252's 0x80-0x9F; the five bytes it leaves undefined become
 * U+FFFD. 0xA0-0xFF are U+00A0-U+00FF. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

truce_status
truce__cp1252_to_utf8(const char *s, size_t n, struct truce_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        char u[3];
        truce_status st;
        if (c < 0x80) {
            st = truce_buf_add(out, s + i, 1);
        } else {
            unsigned cp = c < 0xA0 ? cp1252_high[c - 0x80] : c;
            if (cp < 0x800) {
                u[0] = (char)(0xC0 | (cp >> 6));
                u[1] = (char)(0x80 | (cp & 0x3F));
                st = truce_buf_add(out, u, 2);
            } else {
                u[0] = (char)(0xE0 | (cp >> 12));
                u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[2] = (char)(0x80 | (cp & 0x3F));
                st = truce_buf_add(out, u, 3);
            }
        }
        if (st)
            return st;
    }
    return TRUCE_OK;
}

truce_status
truce__csv_recode_cp1252(struct truce__csv *c)
{
    struct truce_buf data, raw;
    truce_buf_init(&data, 0);
    truce_buf_init(&raw, TRUCE_CSV_MAX_RECORD * 3);
    for (size_t i = 0; i < c->nf; i++) {
        size_t start = data.len;
        if (truce__cp1252_to_utf8(c->data.buf + c->starts[i], c->lens[i],
                                  &data) ||
            truce_buf_add(&data, "", 1)) {
            truce_buf_release(&data);
            return TRUCE_ENOMEM;
        }
        c->starts[i] = start;
        c->lens[i] = data.len - 1 - start;
    }
    if (truce__cp1252_to_utf8(c->raw.buf, c->raw.len, &raw)) {
        truce_buf_release(&data);
        truce_buf_release(&raw);
        return TRUCE_ENOMEM;
    }
    data.max = c->data.max;
    raw.max = c->raw.max;
    truce_buf_release(&c->data);
    truce_buf_release(&c->raw);
    c->data = data;
    c->raw = raw;
    return TRUCE_OK;
}

truce_status
truce__input_line(struct truce__input *in, struct truce_buf *out, long *line)
{
    int c;
    skip_bom(in);
    truce_buf_reset(out);
    *line = in->line;
    if (peekb(in) < 0)
        return in->error ? TRUCE_EIO : TRUCE_EOF;
    for (;;) {
        size_t n = avail(in), k = 0;
        const char *p = cur(in);
        if (n == 0)
            break;
        while (k < n && p[k] != '\n')
            k++;
        if (out->len + k > TRUCE_CSV_MAX_RECORD) {
            /* An over-long line: drop the rest of it. */
            while ((c = getb(in)) >= 0 && c != '\n')
                ;
            truce_buf_reset(out);
            return TRUCE_EPARSE;
        }
        if (truce_buf_add(out, p, k))
            return TRUCE_ENOMEM;
        advance(in, k);
        if (k < n) {
            getb(in); /* the newline */
            break;
        }
    }
    if (out->len && out->buf[out->len - 1] == '\r')
        out->buf[--out->len] = '\0';
    return in->error ? TRUCE_EIO : TRUCE_OK;
}

/* ------------------------------------------------------------- CSV */

void
truce__csv_init(struct truce__csv *c, struct truce__input *in, char delim,
                bool quotes)
{
    memset(c, 0, sizeof(*c));
    c->in = in;
    c->delim = delim;
    c->quotes = quotes;
    truce_buf_init(&c->data, TRUCE_CSV_MAX_RECORD);
    truce_buf_init(&c->raw, TRUCE_CSV_MAX_RECORD + 8);
}

void
truce__csv_release(struct truce__csv *c)
{
    truce_buf_release(&c->data);
    truce_buf_release(&c->raw);
}

/* Skips to the end of the current physical line after an error. */
static void
csv_skip_line(struct truce__csv *c)
{
    int ch;
    while ((ch = getb(c->in)) >= 0 && ch != '\n')
        ;
}

static truce_status
csv_fail(struct truce__csv *c, const char *why, bool skip)
{
    snprintf(c->err, sizeof(c->err), "%s", why);
    if (skip)
        csv_skip_line(c);
    return TRUCE_EPARSE;
}

/* Ends a field; at_eol says the record's line end was already read, so a
 * failure must not skip the next line. */
static truce_status
end_field(struct truce__csv *c, size_t start, bool at_eol)
{
    if (c->nf >= TRUCE_CSV_MAX_FIELDS)
        return csv_fail(c, "too many columns (more than 256)", !at_eol);
    c->starts[c->nf] = start;
    c->lens[c->nf] = c->data.len - start;
    c->nf++;
    /* A NUL byte after each field, so that fields are C strings. */
    if (truce_buf_add(&c->data, "", 1))
        return csv_fail(c, "record too large (over 1 MiB)", !at_eol);
    return TRUCE_OK;
}

/* Appends the unquoted run up to a delimiter, quote, CR or LF. */
static bool
take_run(struct truce__csv *c)
{
    for (;;) {
        size_t n = avail(c->in), k = 0;
        const char *p = cur(c->in);
        if (n == 0)
            return true;
        while (k < n && p[k] != c->delim && p[k] != '\n' && p[k] != '\r' &&
               !(c->quotes && p[k] == '"'))
            k++;
        if (truce_buf_add(&c->data, p, k) || truce_buf_add(&c->raw, p, k))
            return false;
        advance(c->in, k);
        if (k < n)
            return true;
    }
}

/* After an over-long quoted field: drops the rest of it (through its
 * closing quote, "" pairs included) and of its line. */
static truce_status
overflow_quoted(struct truce__csv *c)
{
    int ch;
    while ((ch = getb(c->in)) >= 0) {
        if (ch == '"') {
            if (peekb(c->in) != '"')
                break;
            getb(c->in);
        }
    }
    return csv_fail(c, "record too large (over 1 MiB)", true);
}

/* Reads a quoted field's body after its opening quote, through the
 * closing one: runs between quotes are copied whole; "" is one quote. */
static truce_status
take_quoted(struct truce__csv *c)
{
    if (truce_buf_add(&c->raw, "\"", 1))
        return csv_fail(c, "record too large (over 1 MiB)", true);
    for (;;) {
        size_t n = avail(c->in), k;
        const char *p = cur(c->in), *q;
        if (n == 0)
            return csv_fail(c, "unterminated quoted field", false);
        q = memchr(p, '"', n);
        k = q ? (size_t)(q - p) : n;
        if (truce_buf_add(&c->data, p, k) || truce_buf_add(&c->raw, p, k))
            return overflow_quoted(c);
        for (size_t i = 0; i < k; i++)
            c->in->line += p[i] == '\n';
        advance(c->in, k);
        if (!q)
            continue;
        getb(c->in); /* the quote */
        if (truce_buf_add(&c->raw, "\"", 1))
            return csv_fail(c, "record too large (over 1 MiB)", true);
        if (peekb(c->in) != '"')
            return TRUCE_OK;
        getb(c->in);
        if (truce_buf_add(&c->raw, "\"", 1) ||
            truce_buf_add(&c->data, "\"", 1))
            return overflow_quoted(c);
    }
}

truce_status
truce__csv_next(struct truce__csv *c)
{
    int ch;
    size_t start;
    skip_bom(c->in);
    truce_buf_reset(&c->data);
    truce_buf_reset(&c->raw);
    c->nf = 0;
    c->err[0] = '\0';
    /* Blank lines between records are skipped. */
    while ((ch = peekb(c->in)) == '\n' || ch == '\r')
        getb(c->in);
    c->line = c->in->line;
    if (ch < 0)
        return c->in->error ? TRUCE_EIO : TRUCE_EOF;
    start = c->data.len;
    for (;;) {
        if (!take_run(c))
            return csv_fail(c, "record too large (over 1 MiB)", true);
        ch = getb(c->in);
        if (ch == '"' && c->quotes) {
            truce_status st = take_quoted(c);
            if (st)
                return st;
            continue; /* text after the closing quote joins the field */
        }
        if (ch == c->delim) {
            char b = (char)ch;
            if (end_field(c, start, false))
                return TRUCE_EPARSE;
            if (truce_buf_add(&c->raw, &b, 1))
                return csv_fail(c, "record too large (over 1 MiB)", true);
            start = c->data.len;
            continue;
        }
        /* CR, LF or the end: the record ends. */
        if (ch == '\r' && peekb(c->in) == '\n')
            getb(c->in);
        if (end_field(c, start, true))
            return TRUCE_EPARSE;
        return c->in->error ? TRUCE_EIO : TRUCE_OK;
    }
}
