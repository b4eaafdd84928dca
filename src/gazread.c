/*
 * gazread.c - reading gazetteer files (DESIGN section 9): GeoNames dumps
 * (tab-separated, 19 columns, no header) and CSV with a header naming at
 * least name, latitude and longitude. Streams, one place a call, through
 * the CSV tokenizer of src/csv.c; a bad row is reported with its line and
 * skipped.
 */
#include "truce_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The columns a place is made of, in the GeoNames dump's order where it
 * has them (its column numbers in `geonames`). */
enum gz_col {
    C_ID, C_NAME, C_ASCII, C_ALT, C_LAT, C_LON, C_FCLASS, C_FCODE,
    C_COUNTRY, C_ADMIN1, C_POP, C_TZ, C_COUNT
};

static const int geonames_col[C_COUNT] = {0, 1, 2, 3, 4, 5, 6, 7,
                                          8, 10, 14, 17};

/* Header names a CSV may use for each column, lower case. */
static const char *const header_names[C_COUNT][5] = {
    [C_ID] = {"geonameid", "id", "place_id", NULL},
    [C_NAME] = {"name", NULL},
    [C_ASCII] = {"asciiname", "ascii_name", NULL},
    [C_ALT] = {"alternatenames", "alternate_names", "alternates", NULL},
    [C_LAT] = {"latitude", "lat", NULL},
    [C_LON] = {"longitude", "lon", "lng", "long", NULL},
    [C_FCLASS] = {"feature_class", "feature class", "fclass", NULL},
    [C_FCODE] = {"feature_code", "feature code", "fcode", NULL},
    [C_COUNTRY] = {"countrycode", "country_code", "country", "cc", NULL},
    [C_ADMIN1] = {"admin1", "admin1code", "admin1_code", NULL},
    [C_POP] = {"population", "pop", NULL},
    [C_TZ] = {"timezone", "time_zone", "tz", NULL},
};

struct truce_gazetteer_reader {
    struct truce_ctx *ctx;
    struct truce__input *in;
    struct truce__csv csv;
    int col[C_COUNT];      /* field index, -1 absent */
    bool geonames;
    bool geonames_ids;     /* the id column is GeoNames' geonameid */
    char country[3];       /* keep only this country, "" all */
    long filtered;
    char *path;
};

static void
set_geonames(struct truce_gazetteer_reader *r)
{
    r->geonames = r->geonames_ids = true;
    for (int c = 0; c < C_COUNT; c++)
        r->col[c] = geonames_col[c];
}

/* Maps a header row to columns; false (after setting the message) when a
 * required column is missing. */
static bool
read_header(struct truce_gazetteer_reader *r)
{
    for (int c = 0; c < C_COUNT; c++)
        r->col[c] = -1;
    for (size_t i = 0; i < r->csv.nf; i++) {
        size_t len;
        const char *f = truce__csv_field(&r->csv, i, &len);
        for (int c = 0; c < C_COUNT; c++) {
            for (int k = 0; header_names[c][k]; k++) {
                if (r->col[c] < 0 && strcasecmp(f, header_names[c][k]) == 0)
                    r->col[c] = (int)i;
            }
        }
    }
    if (r->col[C_ID] >= 0) {
        size_t len;
        r->geonames_ids = !strcasecmp(
            truce__csv_field(&r->csv, (size_t)r->col[C_ID], &len), "geonameid");
    }
    if (r->col[C_NAME] < 0 || r->col[C_LAT] < 0 || r->col[C_LON] < 0) {
        truce__err_at(r->ctx, TRUCE_EPARSE, r->csv.line,
                      "header has no column '%s'",
                      r->col[C_NAME] < 0  ? "name"
                      : r->col[C_LAT] < 0 ? "latitude"
                                          : "longitude");
        return false;
    }
    return true;
}

/* True when the first line looks like a GeoNames dump row: a number, a
 * tab, and at least 15 tabs in all. */
static bool
sniff_geonames(const char *line)
{
    size_t tabs = 0;
    if (!isdigit((unsigned char)line[0]))
        return false;
    for (const char *p = line; *p; p++)
        tabs += *p == '\t';
    return tabs >= 15 && line[strspn(line, "0123456789")] == '\t';
}

/* The reader over in (taken, also on failure); name for messages. */
static truce_status
reader_over(struct truce_ctx *ctx, struct truce__input *in, const char *name,
            const char *country, struct truce_gazetteer_reader **out)
{
    struct truce_gazetteer_reader *r;
    char first[4096];
    truce_status rc;
    *out = NULL;
    if (country && (strlen(country) != 2 ||
                    !isalpha((unsigned char)country[0]) ||
                    !isalpha((unsigned char)country[1]))) {
        truce__input_free(in);
        return truce__err(ctx, TRUCE_EINVAL, "--country must be a two-letter "
                          "country code (SY), not '%s'", country);
    }
    if (!(r = truce__calloc(1, sizeof(*r))) ||
        !(r->path = truce__strdup(name))) {
        truce__free(r);
        truce__input_free(in);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    r->ctx = ctx;
    r->in = in;
    if (country) {
        r->country[0] = (char)toupper((unsigned char)country[0]);
        r->country[1] = (char)toupper((unsigned char)country[1]);
    }
    truce__input_peek_line(r->in, first, sizeof(first));
    if (sniff_geonames(first)) {
        truce__csv_init(&r->csv, r->in, '\t', false);
        set_geonames(r);
    } else {
        truce__csv_init(&r->csv, r->in, strchr(first, '\t') ? '\t' : ',',
                        true);
        rc = truce__csv_next(&r->csv);
        if (rc || !read_header(r)) {
            if (rc == TRUCE_EOF)
                truce__err(ctx, TRUCE_EPARSE, "the file is empty");
            else if (rc)
                truce__err_at(ctx, rc, r->csv.line, "%s", r->csv.err);
            truce_gazetteer_reader_free(r);
            return rc == TRUCE_EIO ? rc : TRUCE_EPARSE;
        }
    }
    *out = r;
    return TRUCE_OK;
}

truce_status
truce_gazetteer_reader_open(struct truce_ctx *ctx, const char *path,
                            const char *country,
                            struct truce_gazetteer_reader **out)
{
    struct truce__input *in;
    truce_status rc;
    truce__clear(ctx);
    *out = NULL;
    if ((rc = truce__input_open_file(path, &in)))
        return truce__err(ctx, rc, "cannot read '%s': %s", path,
                          strerror(errno));
    return reader_over(ctx, in, path, country, out);
}

truce_status
truce_gazetteer_reader_open_mem(struct truce_ctx *ctx, const char *data,
                                size_t n, const char *name,
                                const char *country,
                                struct truce_gazetteer_reader **out)
{
    struct truce__input *in;
    truce__clear(ctx);
    *out = NULL;
    if (truce__input_open_mem(data, n, &in))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    return reader_over(ctx, in, name, country, out);
}

void
truce_gazetteer_reader_free(struct truce_gazetteer_reader *r)
{
    if (!r)
        return;
    truce__csv_release(&r->csv);
    truce__input_free(r->in);
    truce__free(r->path);
    truce__free(r);
}

long
truce_gazetteer_reader_line(const struct truce_gazetteer_reader *r)
{
    return r->csv.line;
}

long
truce_gazetteer_reader_filtered(const struct truce_gazetteer_reader *r)
{
    return r->filtered;
}

static const char *
field(const struct truce_gazetteer_reader *r, enum gz_col c)
{
    size_t len;
    const char *f;
    if (r->col[c] < 0)
        return NULL;
    f = truce__csv_field(&r->csv, (size_t)r->col[c], &len);
    while (*f == ' ')
        f++;
    return *f ? f : NULL;
}

static bool
number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;
    if (!s)
        return false;
    errno = 0;
    v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (errno || *end || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static truce_status
bad_row(struct truce_gazetteer_reader *r, const char *why)
{
    return truce__err_at(r->ctx, TRUCE_EPARSE, r->csv.line, "%s", why);
}

/* The alternate names of the row: its ASCII name when it differs from the
 * name, then the file's list. */
static truce_status
row_alternates(struct truce_gazetteer_reader *r, struct truce_place *p)
{
    const char *alt = field(r, C_ALT), *ascii = field(r, C_ASCII);
    struct truce_buf b;
    truce_status rc = TRUCE_OK;
    truce_buf_init(&b, 0);
    if (ascii && strcmp(ascii, p->name))
        rc = truce_buf_adds(&b, ascii);
    if (!rc && alt && b.len)
        rc = truce_buf_adds(&b, ",");
    if (!rc && alt)
        rc = truce_buf_adds(&b, alt);
    if (!rc && b.len)
        rc = truce__set_str(&p->alternates, b.buf, b.len);
    truce_buf_release(&b);
    return rc;
}

/* Fills p from the current row; an error (its message set) when the row
 * is not a place. */
static truce_status
row_place(struct truce_gazetteer_reader *r, struct truce_place *p)
{
    const char *name = field(r, C_NAME), *id = field(r, C_ID);
    const char *fc = field(r, C_FCLASS), *fcode = field(r, C_FCODE);
    const char *pop = field(r, C_POP);
    char buf[96];
    double pv;
    if (r->geonames && r->csv.nf < 19)
        return truce__err_at(r->ctx, TRUCE_EPARSE, r->csv.line, "a GeoNames "
                             "row has 19 columns, this one %zu", r->csv.nf);
    if (!name)
        return bad_row(r, "field 'name' is empty");
    if (!number(field(r, C_LAT), -90, 90, &p->lat))
        return bad_row(r, "field 'latitude' is not a number from -90 to 90");
    if (!number(field(r, C_LON), -180, 180, &p->lon))
        return bad_row(r, "field 'longitude' is not a number from -180 to "
                          "180");
    if (pop && !number(pop, 0, 1e10, &pv))
        return bad_row(r, "field 'population' is not a number");
    p->population = pop ? (int64_t)pv : -1;
    if (id)
        snprintf(buf, sizeof(buf), "%s%.80s",
                 r->geonames_ids ? "geonames:" : "", id);
    else
        snprintf(buf, sizeof(buf), "%.40s@%.5f,%.5f", name, p->lat, p->lon);
    if (truce__set_str(&p->id, buf, (size_t)-1) ||
        truce__set_str(&p->name, name, (size_t)-1) || row_alternates(r, p))
        return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    if (fc || fcode) {
        snprintf(buf, sizeof(buf), "%.8s%s%.16s", fc ? fc : "",
                 fc && fcode ? "." : "", fcode ? fcode : "");
        if (truce__set_str(&p->feature, buf, (size_t)-1))
            return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    }
    if ((field(r, C_COUNTRY) &&
         truce__set_str(&p->country, field(r, C_COUNTRY), (size_t)-1)) ||
        (field(r, C_ADMIN1) &&
         truce__set_str(&p->admin1, field(r, C_ADMIN1), (size_t)-1)) ||
        (field(r, C_TZ) &&
         truce__set_str(&p->timezone, field(r, C_TZ), (size_t)-1)))
        return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    return TRUCE_OK;
}

truce_status
truce_gazetteer_reader_next(struct truce_gazetteer_reader *r,
                            struct truce_place *p)
{
    truce_status rc;
    truce__clear(r->ctx);
    for (;;) {
        truce_place_release(p);
        rc = truce__csv_next(&r->csv);
        if (rc == TRUCE_EOF)
            return rc;
        if (rc == TRUCE_EIO)
            return truce__err(r->ctx, rc, "cannot read '%s'", r->path);
        if (rc)
            return truce__err_at(r->ctx, rc, r->csv.line, "%s", r->csv.err);
        if (r->country[0]) {
            const char *cc = field(r, C_COUNTRY);
            if (!cc || strcasecmp(cc, r->country)) {
                r->filtered++;
                continue;
            }
        }
        if ((rc = row_place(r, p)))
            truce_place_release(p);
        return rc;
    }
}
