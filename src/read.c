/*
 * read.c - the event readers: ACLED CSV, UCDP GED CSV (with or without a
 * header), GDELT 2.0 events and truce JSON Lines, behind one streaming
 * interface. Columns are found by header name; each source's precision
 * codes become a time interval and an uncertainty radius (DESIGN 3.1-3.3).
 */
#include "truce_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

enum col {
    /* ACLED */
    A_ID, A_DATE, A_TPREC, A_ETYPE, A_SUBTYPE, A_ACTOR1, A_ASSOC1, A_ACTOR2,
    A_ASSOC2, A_CIVTARGET, A_ADMIN1, A_LOCATION, A_LAT, A_LON, A_GEOPREC,
    A_NOTES, A_FATAL, A_INTER1, A_INTER2, A_SOURCE,
    /* UCDP */
    U_ID, U_TYPE, U_SIDE_A, U_SIDE_B, U_WHERE_PREC, U_WHERE, U_ADM1, U_LAT,
    U_LON, U_DATE_START, U_DATE_END, U_CIV, U_BEST, U_LOW, U_HIGH,
    U_HEADLINE, U_CONFLICT, U_COUNTRY,
    N_COLS
};

static const char *const col_names[N_COLS] = {
    "event_id_cnty", "event_date", "time_precision", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
    "civilian_targeting", "admin1", "location", "latitude", "longitude",
    "geo_precision", "notes", "fatalities", "inter1", "inter2", "source",
    "id", "type_of_violence", "side_a", "side_b", "where_prec",
    "where_coordinates", "adm_1", "latitude", "longitude", "date_start",
    "date_end", "deaths_civilians", "best", "low", "high",
    "source_headline", "conflict_name", "country"};

/* Other names a column has had: ACLED's exports before 2019 call the
 * associated actors allies. */
static const struct {
    int role;
    const char *name;
} col_aliases[] = {{A_ASSOC1, "ally_actor_1"}, {A_ASSOC2, "ally_actor_2"}};

/* ACLED's event types, current and before 2019, as categories; the old
 * ones are kept as the sub-type when the file has none. */
static const struct {
    const char *type;
    enum truce_category cat;
    bool directed;
} acled_types[] = {
    {"Battles", TRUCE_CAT_BATTLE, false},
    {"Explosions/Remote violence", TRUCE_CAT_REMOTE_VIOLENCE, true},
    {"Violence against civilians", TRUCE_CAT_VAC, true},
    {"Protests", TRUCE_CAT_PROTEST, false},
    {"Riots", TRUCE_CAT_RIOT, false},
    {"Strategic developments", TRUCE_CAT_STRATEGIC, false},
    /* before 2019 */
    {"Battle-No change of territory", TRUCE_CAT_BATTLE, false},
    {"Battle-Government regains territory", TRUCE_CAT_BATTLE, false},
    {"Battle-Non-state actor overtakes territory", TRUCE_CAT_BATTLE, false},
    {"Remote violence", TRUCE_CAT_REMOTE_VIOLENCE, true},
    {"Riots/Protests", TRUCE_CAT_PROTEST, false},
    {"Strategic development", TRUCE_CAT_STRATEGIC, false},
    {"Headquarters or base established", TRUCE_CAT_STRATEGIC, false},
    {"Non-violent transfer of territory", TRUCE_CAT_STRATEGIC, false},
};
#define N_ACLED_TYPES (sizeof(acled_types) / sizeof(acled_types[0]))
#define N_CURRENT_ACLED_TYPES 6

/* The 49 columns of a headerless UCDP GED file (20.1 and later). */
static const char *const ucdp_order[] = {
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id",
    "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a",
    "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude",
    "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a",
    "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
    "gwnoa", "gwnob"};
#define UCDP_NCOLS (sizeof(ucdp_order) / sizeof(ucdp_order[0]))

struct truce_reader {
    struct truce_ctx *ctx;
    char *name;
    enum truce_format fmt;
    struct truce__input *in;
    struct truce__csv csv;
    bool csv_ready;
    int col[N_COLS];       /* column index by role, -1 when absent */
    size_t ncols;          /* columns a record must have */
    struct truce_buf line; /* JSON Lines */
    struct truce_buf tmp;
    long rec_line;
    bool has_header;       /* CSV: the first record names the columns */
    const char *mem;       /* the data of a reader opened on memory */
    size_t mem_len;
    enum truce_date_order date_order; /* of slashed dates, once known */
    bool prescanned;       /* the file was searched for the order */
    long recoded;          /* records read as Windows-1252 */
    json_t *rows;          /* ACLED API JSON: the array of rows */
    size_t row_i;          /* the next row */
    bool json_lines;       /* ACLED API rows as JSON Lines */
    json_t *row;           /* the current ACLED row from JSON (owned with
                              json_lines, else borrowed from rows) */
    char num[N_COLS][32];  /* a JSON row's numbers as text */
};

/* --------------------------------------------------------- sniffing */

static size_t
count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

static enum truce_format
sniff(const char *first)
{
    const char *p = first;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '[' || (*p == '{' && !p[1 + strspn(p + 1, " \t\r")]) ||
        (*p == '{' && strstr(first, "\"event_id_cnty\"")) ||
        (*p == '{' && strstr(first, "\"data\"") &&
         !strstr(first, "\"category\"")))
        return TRUCE_FMT_ACLED; /* the ACLED API's JSON */
    if (*p == '{')
        return TRUCE_FMT_JSONL;
    if (strstr(first, "GLOBALEVENTID"))
        return TRUCE_FMT_GDELT; /* with a header row */
    if (strcasestr(first, "event_id_cnty"))
        return TRUCE_FMT_ACLED;
    if (strstr(first, "type_of_violence"))
        return TRUCE_FMT_UCDP;
    if (count_char(first, '\t') >= 56)
        return TRUCE_FMT_GDELT;
    if (isdigit((unsigned char)*p) && count_char(first, ',') + 1 >= UCDP_NCOLS)
        return TRUCE_FMT_UCDP; /* a headerless GED file */
    return TRUCE_FMT_AUTO;
}

/* ------------------------------------------------------- opening */

static truce_status
map_header(struct truce_reader *r, int first, int last)
{
    struct truce__csv *c = &r->csv;
    for (int k = first; k <= last; k++)
        r->col[k] = -1;
    for (size_t i = 0; i < c->nf; i++) {
        size_t len;
        const char *f = truce__csv_field(c, i, &len);
        while (len && isspace((unsigned char)f[len - 1]))
            len--;
        for (int k = first; k <= last; k++) {
            if (r->col[k] < 0 && strlen(col_names[k]) == len &&
                strncasecmp(col_names[k], f, len) == 0)
                r->col[k] = (int)i;
        }
        for (size_t a = 0; a < sizeof(col_aliases) / sizeof(col_aliases[0]);
             a++) {
            int k = col_aliases[a].role;
            if (k >= first && k <= last && r->col[k] < 0 &&
                strlen(col_aliases[a].name) == len &&
                strncasecmp(col_aliases[a].name, f, len) == 0)
                r->col[k] = (int)i;
        }
    }
    r->ncols = c->nf;
    return TRUCE_OK;
}

static truce_status
require_cols(struct truce_reader *r, int first, int last, const int *need,
             size_t n_need)
{
    for (size_t i = 0; i < n_need; i++) {
        if (r->col[need[i]] < 0)
            return truce__err_at(r->ctx, TRUCE_EPARSE, r->csv.line,
                                 "header has no column '%s'",
                                 col_names[need[i]]);
    }
    (void)first;
    (void)last;
    return TRUCE_OK;
}

static truce_status
start_csv(struct truce_reader *r)
{
    static const int acled_need[] = {A_ID, A_DATE, A_TPREC, A_ETYPE,
                                     A_ACTOR1, A_LAT, A_LON, A_GEOPREC};
    static const int ucdp_need[] = {U_ID, U_TYPE, U_SIDE_A, U_SIDE_B,
                                    U_WHERE_PREC, U_LAT, U_LON,
                                    U_DATE_START, U_DATE_END};
    char first[8192];
    truce_status st;
    truce__input_peek_line(r->in, first, sizeof(first));
    if (r->fmt == TRUCE_FMT_GDELT) {
        /* Tab-separated as GDELT writes it; saved again as comma CSV with a
         * header row too. */
        bool header = strstr(first, "GLOBALEVENTID") != NULL;
        bool commas = header && count_char(first, ',') > count_char(first, '\t');
        truce__csv_init(&r->csv, r->in, commas ? ',' : '\t', commas);
        r->csv_ready = true;
        r->ncols = 0; /* 57 (1.0) or 61 (2.0) columns */
        r->has_header = header;
        if (header && (st = truce__csv_next(&r->csv)) && st != TRUCE_EOF)
            return truce__err_at(r->ctx, TRUCE_EPARSE, r->csv.line,
                                 "unreadable header: %s", r->csv.err);
        return TRUCE_OK;
    }
    truce__csv_init(&r->csv, r->in, ',', true);
    r->csv_ready = true;
    r->has_header = !(r->fmt == TRUCE_FMT_UCDP &&
                      !strstr(first, "type_of_violence"));
    if (!r->has_header) {
        /* No header: the documented column order. */
        for (int k = U_ID; k <= U_COUNTRY; k++) {
            r->col[k] = -1;
            for (size_t i = 0; i < UCDP_NCOLS; i++) {
                if (strcmp(col_names[k], ucdp_order[i]) == 0)
                    r->col[k] = (int)i;
            }
        }
        r->ncols = UCDP_NCOLS;
        return TRUCE_OK;
    }
    st = truce__csv_next(&r->csv);
    if (st == TRUCE_EOF)
        return TRUCE_OK;
    if (st)
        return truce__err_at(r->ctx, TRUCE_EPARSE, r->csv.line,
                             "unreadable header: %s", r->csv.err);
    if (r->fmt == TRUCE_FMT_ACLED) {
        map_header(r, A_ID, A_SOURCE);
        return require_cols(r, A_ID, A_SOURCE, acled_need,
                            sizeof(acled_need) / sizeof(int));
    }
    map_header(r, U_ID, U_COUNTRY);
    return require_cols(r, U_ID, U_COUNTRY, ucdp_need,
                        sizeof(ucdp_need) / sizeof(int));
}

/* ACLED's API answers with JSON: {"status", ..., "data": [rows]}, or the
 * rows as an array, or one row a line. JSON Lines stream; a whole document
 * is read into memory (the API pages its answers). */
static truce_status
start_acled_json(struct truce_reader *r, const char *first)
{
    json_error_t jerr;
    json_t *root = json_loads(first, 0, NULL), *data;
    bool line_row = json_is_object(root) &&
                    json_object_get(root, "event_id_cnty");
    json_decref(root);
    if (line_row) {
        r->json_lines = true;
        return TRUCE_OK;
    }
    if (truce__input_all(r->in, &r->line))
        return truce__err(r->ctx, TRUCE_EIO, "cannot read further: %s",
                          strerror(errno));
    if (truce__utf8_check(r->line.buf, r->line.len) != r->line.len) {
        struct truce_buf u;
        truce_buf_init(&u, 0);
        if (truce__cp1252_to_utf8(r->line.buf, r->line.len, &u)) {
            truce_buf_release(&u);
            return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
        }
        truce_buf_release(&r->line);
        r->line = u;
        r->recoded++;
    }
    root = json_loadb(r->line.buf, r->line.len, 0, &jerr);
    truce_buf_reset(&r->line);
    if (!root)
        return truce__err_at(r->ctx, TRUCE_EPARSE, jerr.line > 0 ? jerr.line
                                                                 : 1,
                             "not JSON: %s", jerr.text);
    data = json_is_array(root) ? root : json_object_get(root, "data");
    if (json_is_object(root) && json_object_get(root, "event_id_cnty")) {
        r->rows = json_array();
        json_array_append(r->rows, root);
    } else if (json_is_array(data)) {
        r->rows = json_incref(data);
    }
    json_decref(root);
    if (!r->rows)
        return truce__err_at(r->ctx, TRUCE_EPARSE, 1, "not ACLED's JSON: "
                             "expected {\"data\": [rows]}, an array of rows "
                             "or one row a line");
    return TRUCE_OK;
}

static truce_status
reader_start(struct truce_ctx *ctx, struct truce__input *in, const char *name,
             enum truce_format fmt, struct truce_reader **out)
{
    struct truce_reader *r = truce__calloc(1, sizeof(*r));
    char first[8192];
    truce_status st;
    if (!r || !(r->name = truce__strdup(name))) {
        truce__free(r);
        truce__input_free(in);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    r->ctx = ctx;
    r->in = in;
    truce_buf_init(&r->line, TRUCE_CSV_MAX_RECORD);
    truce_buf_init(&r->tmp, 0);
    truce__input_peek_line(in, first, sizeof(first));
    if (fmt == TRUCE_FMT_AUTO) {
        fmt = first[0] ? sniff(first) : TRUCE_FMT_JSONL;
        if (fmt == TRUCE_FMT_AUTO) {
            truce_reader_free(r);
            return truce__err_at(ctx, TRUCE_EPARSE, 1, "cannot tell the "
                                 "format (ACLED, UCDP, GDELT or JSON Lines); "
                                 "name it with --input-format");
        }
    }
    r->fmt = fmt;
    {
        const char *p = first + strspn(first, " \t");
        st = fmt == TRUCE_FMT_JSONL ? TRUCE_OK
             : fmt == TRUCE_FMT_ACLED && (*p == '{' || *p == '[')
                 ? start_acled_json(r, first)
                 : start_csv(r);
    }
    if (st) {
        truce_reader_free(r);
        return st;
    }
    *out = r;
    return TRUCE_OK;
}

truce_status
truce_reader_open(struct truce_ctx *ctx, const char *path,
                  enum truce_format fmt, struct truce_reader **out)
{
    struct truce__input *in;
    char why[160];
    truce_status st;
    truce__clear(ctx);
    st = truce__input_open_path(path, &in, why, sizeof(why));
    if (st == TRUCE_EIO)
        return truce__err(ctx, st, "cannot open it: %s", why);
    if (st)
        return truce__err(ctx, st, "out of memory");
    return reader_start(ctx, in, path, fmt, out);
}

truce_status
truce_reader_open_mem(struct truce_ctx *ctx, const char *data, size_t n,
                      const char *name, enum truce_format fmt,
                      struct truce_reader **out)
{
    struct truce__input *in;
    truce_status st;
    truce__clear(ctx);
    if (truce__input_open_mem(data, n, &in))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    if ((st = reader_start(ctx, in, name, fmt, out)))
        return st;
    (*out)->mem = data;
    (*out)->mem_len = n;
    return TRUCE_OK;
}

void
truce_reader_free(struct truce_reader *r)
{
    if (!r)
        return;
    if (r->csv_ready)
        truce__csv_release(&r->csv);
    truce__input_free(r->in);
    truce_buf_release(&r->line);
    truce_buf_release(&r->tmp);
    if (r->json_lines)
        json_decref(r->row);
    json_decref(r->rows);
    truce__free(r->name);
    truce__free(r);
}

void
truce_reader_set_date_order(struct truce_reader *r,
                            enum truce_date_order order)
{
    r->date_order = order;
    r->prescanned = order != TRUCE_DATES_UNKNOWN;
}

long
truce_reader_recoded(const struct truce_reader *r)
{
    return r->recoded;
}

/* The order of day and month that the file's own dates allow: the first
 * slashed date that can be read only one way decides. Reads the file (or
 * memory) anew, the date columns only. */
static enum truce_date_order
prescan_order(struct truce_reader *r)
{
    static const int acled_roles[] = {A_DATE}, ucdp_roles[] = {U_DATE_START,
                                                                U_DATE_END};
    const int *roles = r->fmt == TRUCE_FMT_ACLED ? acled_roles : ucdp_roles;
    size_t n_roles = r->fmt == TRUCE_FMT_ACLED ? 1 : 2;
    enum truce_date_order found = TRUCE_DATES_UNKNOWN;
    struct truce__input *in = NULL;
    struct truce__csv c;
    truce_status st;
    if (!r->csv_ready || r->fmt == TRUCE_FMT_GDELT ||
        (r->mem ? truce__input_open_mem(r->mem, r->mem_len, &in)
                : truce__input_open_file(r->name, &in)))
        return found;
    truce__csv_init(&c, in, r->csv.delim, r->csv.quotes);
    if (r->has_header && truce__csv_next(&c) != TRUCE_OK)
        goto out;
    while (found == TRUCE_DATES_UNKNOWN &&
           (st = truce__csv_next(&c)) != TRUCE_EOF && st != TRUCE_EIO &&
           st != TRUCE_ENOMEM) {
        if (st)
            continue;
        for (size_t k = 0; k < n_roles; k++) {
            size_t len;
            int64_t day;
            const char *s;
            if (r->col[roles[k]] < 0)
                continue;
            s = truce__csv_field(&c, (size_t)r->col[roles[k]], &len);
            if (truce_parse_day(s, len, TRUCE_DATES_UNKNOWN, &day, &found) ==
                    TRUCE_EPARSE)
                found = TRUCE_DATES_UNKNOWN;
            if (found != TRUCE_DATES_UNKNOWN)
                break;
        }
    }
out:
    truce__csv_release(&c);
    truce__input_free(in);
    return found;
}

enum truce_format
truce_reader_format(const struct truce_reader *r)
{
    return r->fmt;
}

long
truce_reader_line(const struct truce_reader *r)
{
    return r->rec_line;
}

/* ------------------------------------------------------ field helpers */

/* Field `role` of a row from JSON: a string as it is, a number as text. */
static const char *
json_fld(struct truce_reader *r, int role, size_t *len)
{
    json_t *v = json_object_get(r->row, col_names[role]);
    for (size_t a = 0; !v && a < sizeof(col_aliases) / sizeof(col_aliases[0]);
         a++) {
        if (col_aliases[a].role == role)
            v = json_object_get(r->row, col_aliases[a].name);
    }
    *len = 0;
    if (json_is_string(v)) {
        *len = json_string_length(v);
        return json_string_value(v);
    }
    if (json_is_integer(v))
        snprintf(r->num[role], sizeof(r->num[role]), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
    else if (json_is_real(v))
        snprintf(r->num[role], sizeof(r->num[role]), "%.17g",
                 json_real_value(v));
    else
        return "";
    *len = strlen(r->num[role]);
    return r->num[role];
}

static const char *
fld(struct truce_reader *r, int role, size_t *len)
{
    const char *s;
    if (r->row) {
        s = json_fld(r, role, len);
    } else if (r->col[role] < 0) {
        *len = 0;
        return "";
    } else {
        s = truce__csv_field(&r->csv, (size_t)r->col[role], len);
    }
    while (*len && isspace((unsigned char)*s)) {
        s++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)s[*len - 1]))
        (*len)--;
    return s;
}

static truce_status
rec_err(struct truce_reader *r, const char *field, const char *why,
        const char *val, size_t len)
{
    if (len > 60)
        len = 60;
    if (val)
        return truce__err(r->ctx, TRUCE_EPARSE, "field '%s': %s: '%.*s'",
                          field, why, (int)len, val);
    return truce__err(r->ctx, TRUCE_EPARSE, "field '%s': %s", field, why);
}

/* Copies a field into dst; empty stays NULL. */
static truce_status
copy_fld(struct truce_reader *r, int role, char **dst)
{
    size_t len;
    const char *s = fld(r, role, &len);
    if (!len)
        return TRUCE_OK;
    return truce__set_str(dst, s, len);
}

static truce_status
coords(struct truce_reader *r, struct truce_event *ev, int lat_role,
       int lon_role)
{
    size_t n1, n2;
    const char *la = fld(r, lat_role, &n1), *lo = fld(r, lon_role, &n2);
    if (!truce__parse_double(la, n1, &ev->lat))
        return rec_err(r, col_names[lat_role], "not a number", la, n1);
    if (!truce__parse_double(lo, n2, &ev->lon))
        return rec_err(r, col_names[lon_role], "not a number", lo, n2);
    if (ev->lat < -90 || ev->lat > 90)
        return rec_err(r, col_names[lat_role], "latitude outside -90..90",
                       la, n1);
    if (ev->lon < -180 || ev->lon > 180)
        return rec_err(r, col_names[lon_role], "longitude outside "
                       "-180..180", lo, n2);
    return TRUCE_OK;
}

static truce_status
count_fld(struct truce_reader *r, int role, int64_t *dst)
{
    size_t len;
    const char *s = fld(r, role, &len);
    if (!len || (len == 2 && memcmp(s, "NA", 2) == 0))
        return TRUCE_OK;
    if (!truce__parse_int(s, len, dst) || *dst < 0)
        return rec_err(r, col_names[role], "not a whole number", s, len);
    return TRUCE_OK;
}

static enum truce_date_order prescan_order(struct truce_reader *r);

/* The forms of a date, for messages. */
#define DATE_FORMS                                                          \
    "a date (2016-05-04, 04 May 2016, 9-May-20, 14/08/2020, 8/14/2020, "   \
    "with or without a time, or an Excel serial number)"

static truce_status
day_fld(struct truce_reader *r, int role, int64_t *days)
{
    size_t len;
    enum truce_date_order hint;
    const char *s = fld(r, role, &len);
    truce_status st = truce_parse_day(s, len, r->date_order, days, &hint);
    if (st == TRUCE_EINVAL && !r->prescanned) {
        r->prescanned = true;
        r->date_order = prescan_order(r);
        st = truce_parse_day(s, len, r->date_order, days, &hint);
    }
    if (st == TRUCE_EINVAL) {
        if (len > 60)
            len = 60;
        /* Every slashed date would be a guess: stop, do not guess. */
        return truce__err(r->ctx, TRUCE_EINVAL, "field '%s': '%.*s' can be "
                          "day/month or month/day, and no date in the file "
                          "tells which; name the order with --date-order "
                          "dmy or --date-order mdy", col_names[role],
                          (int)len, s);
    }
    if (st)
        return rec_err(r, col_names[role], "not " DATE_FORMS, s, len);
    if (r->date_order == TRUCE_DATES_UNKNOWN && hint != TRUCE_DATES_UNKNOWN)
        r->date_order = hint; /* one file, one order */
    return TRUCE_OK;
}

static truce_status
set_id(struct truce_event *ev, const char *source, const char *sid,
       size_t len)
{
    struct truce_buf b;
    if (truce__set_str(&ev->source, source, (size_t)-1) ||
        truce__set_str(&ev->source_id, sid, len))
        return TRUCE_ENOMEM;
    truce_buf_init(&b, 0);
    if (truce_buf_addf(&b, "%s:%.*s", source, (int)len, sid))
        return TRUCE_ENOMEM;
    truce__free(ev->id);
    ev->id = truce_buf_detach(&b);
    return ev->id ? TRUCE_OK : TRUCE_ENOMEM;
}

/* ev->area = scheme + the code or name. */
static truce_status
area_of(struct truce_event *ev, const char *scheme, const char *s, size_t n)
{
    struct truce_buf b;
    truce_buf_init(&b, 0);
    if (truce_buf_adds(&b, scheme) || truce_buf_add(&b, s, n)) {
        truce_buf_release(&b);
        return TRUCE_ENOMEM;
    }
    truce__free(ev->area);
    ev->area = truce_buf_detach(&b);
    return ev->area ? TRUCE_OK : TRUCE_ENOMEM;
}

/* "actor; assoc" as one field. */
static truce_status
join_actor(struct truce_reader *r, int a, int assoc, char **dst)
{
    size_t n1, n2;
    const char *s1 = fld(r, a, &n1), *s2 = fld(r, assoc, &n2);
    truce_buf_reset(&r->tmp);
    if (n1)
        truce_buf_add(&r->tmp, s1, n1);
    if (n1 && n2)
        truce_buf_adds(&r->tmp, "; ");
    if (n2)
        truce_buf_add(&r->tmp, s2, n2);
    if (!r->tmp.len)
        return TRUCE_OK;
    return truce__set_str(dst, r->tmp.buf, r->tmp.len);
}

static bool
eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* ------------------------------------------------------------ ACLED */

static truce_status
acled_category(struct truce_reader *r, struct truce_event *ev)
{
    size_t n, k, sn;
    const char *t = fld(r, A_ETYPE, &n);
    for (k = 0; k < N_ACLED_TYPES && !eq(t, n, acled_types[k].type); k++)
        ;
    if (k == N_ACLED_TYPES) {
        char why[512];
        size_t w = (size_t)snprintf(why, sizeof(why), "unknown event type "
                                    "(read: ");
        for (size_t i = 0; i < N_CURRENT_ACLED_TYPES && w < sizeof(why); i++)
            w += (size_t)snprintf(why + w, sizeof(why) - w, "%s, ",
                                  acled_types[i].type);
        if (w < sizeof(why))
            snprintf(why + w, sizeof(why) - w, "and the types of exports "
                     "before 2019)");
        return rec_err(r, "event_type", why, t, n);
    }
    ev->category = acled_types[k].cat;
    ev->directed = acled_types[k].directed;
    fld(r, A_SUBTYPE, &sn);
    if (!sn && k >= N_CURRENT_ACLED_TYPES)
        return truce__set_str(&ev->subcategory, t, n);
    return copy_fld(r, A_SUBTYPE, &ev->subcategory);
}

static truce_status
acled_time(struct truce_reader *r, struct truce_event *ev)
{
    size_t n;
    const char *p = fld(r, A_TPREC, &n);
    int64_t prec, day;
    truce_status st;
    if (!truce__parse_int(p, n, &prec) || prec < 1 || prec > 3)
        return rec_err(r, "time_precision", "not 1, 2 or 3", p, n);
    if ((st = day_fld(r, A_DATE, &day)))
        return st;
    ev->time_kind = TRUCE_TIME_LOCAL;
    ev->date_only = true;
    if (prec == 1) {
        ev->t0 = day * 86400;
        ev->t1 = (day + 1) * 86400;
    } else if (prec == 2) {
        ev->t0 = (day - 3) * 86400;
        ev->t1 = (day + 4) * 86400;
    } else {
        int y, m, d;
        truce_civil_from_days(day, &y, &m, &d);
        ev->t0 = truce_days_from_civil(y, m, 1) * 86400;
        ev->t1 = (m == 12 ? truce_days_from_civil(y + 1, 1, 1)
                          : truce_days_from_civil(y, m + 1, 1)) * 86400;
    }
    return TRUCE_OK;
}

/* ACLED's inter code as its digit: exports write "1" or "State forces"
 * (1 state forces, 2 rebel groups, 3 political militias, 4 identity
 * militias, 5 rioters, 6 protesters, 7 civilians, 8 external or other
 * forces; 0 none). Other text is kept as written. */
static truce_status
inter_fld(struct truce_reader *r, int role, char **dst)
{
    static const char *const words[] = {"state", "rebel", "political",
                                        "identity", "rioter", "protester",
                                        "civilian", "external"};
    size_t n;
    const char *s = fld(r, role, &n);
    for (size_t i = 0; n > 1 && i < sizeof(words) / sizeof(words[0]); i++) {
        size_t w = strlen(words[i]);
        if (n >= w && strncasecmp(s, words[i], w) == 0) {
            char digit = (char)('1' + i);
            return truce__set_str(dst, &digit, 1);
        }
    }
    return n ? truce__set_str(dst, s, n) : TRUCE_OK;
}

static truce_status
acled_record(struct truce_reader *r, struct truce_event *ev)
{
    size_t n;
    const char *s;
    int64_t gp;
    truce_status st;
    s = fld(r, A_ID, &n);
    if (!n)
        return rec_err(r, "event_id_cnty", "empty", NULL, 0);
    if ((st = set_id(ev, "acled", s, n)) || (st = acled_time(r, ev)) ||
        (st = acled_category(r, ev)) || (st = coords(r, ev, A_LAT, A_LON)))
        return st;
    s = fld(r, A_GEOPREC, &n);
    if (!truce__parse_int(s, n, &gp) || gp < 1 || gp > 3)
        return rec_err(r, "geo_precision", "not 1, 2 or 3", s, n);
    ev->radius_km = gp == 1 ? 0 : gp == 2 ? 25 : 100;
    /* Only the province is known: its area, when the store has it. */
    s = fld(r, A_ADMIN1, &n);
    if (gp == 3 && n && (st = area_of(ev, "admin1:", s, n)))
        return st;
    s = fld(r, A_CIVTARGET, &n);
    ev->civilian_targeting = n > 0;
    if ((st = join_actor(r, A_ACTOR1, A_ASSOC1, &ev->actor1)) ||
        (st = join_actor(r, A_ACTOR2, A_ASSOC2, &ev->actor2)) ||
        (st = count_fld(r, A_FATAL, &ev->fatalities)) ||
        (st = copy_fld(r, A_LOCATION, &ev->location)) ||
        (st = copy_fld(r, A_ADMIN1, &ev->admin1)) ||
        (st = copy_fld(r, A_NOTES, &ev->notes)) ||
        (st = inter_fld(r, A_INTER1, &ev->inter1)) ||
        (st = inter_fld(r, A_INTER2, &ev->inter2)))
        return st;
    return TRUCE_OK;
}

/* ------------------------------------------------------------- UCDP */

static truce_status
ucdp_record(struct truce_reader *r, struct truce_event *ev)
{
    size_t n;
    const char *s;
    int64_t type, wp, d0, d1;
    truce_status st;
    s = fld(r, U_ID, &n);
    if (!n)
        return rec_err(r, "id", "empty", NULL, 0);
    if ((st = set_id(ev, "ucdp", s, n)))
        return st;
    s = fld(r, U_TYPE, &n);
    if (!truce__parse_int(s, n, &type) || type < 1 || type > 3)
        return rec_err(r, "type_of_violence", "not 1, 2 or 3", s, n);
    ev->category = type == 3 ? TRUCE_CAT_VAC : TRUCE_CAT_ARMED_VIOLENCE;
    ev->directed = type == 3;
    ev->civilian_targeting = type == 3;
    if (truce__set_str(&ev->subcategory, type == 1   ? "state-based"
                                         : type == 2 ? "non-state"
                                                     : "one-sided",
                       (size_t)-1))
        return TRUCE_ENOMEM;
    if ((st = day_fld(r, U_DATE_START, &d0)) ||
        (st = day_fld(r, U_DATE_END, &d1)))
        return st;
    if (d1 < d0)
        return rec_err(r, "date_end", "before date_start", NULL, 0);
    ev->time_kind = TRUCE_TIME_LOCAL;
    ev->date_only = true;
    ev->t0 = d0 * 86400;
    ev->t1 = (d1 + 1) * 86400;
    if ((st = coords(r, ev, U_LAT, U_LON)))
        return st;
    s = fld(r, U_WHERE_PREC, &n);
    if (!truce__parse_int(s, n, &wp) || wp < 1 || wp > 7)
        return rec_err(r, "where_prec", "not 1 to 7", s, n);
    {
        static const double radius[] = {0, 0, 25, 50, 100, 150, -1, -1};
        ev->radius_km = radius[wp];
    }
    /* Only the country (or the province) is known: its area (DESIGN
     * 3.2). */
    s = fld(r, U_COUNTRY, &n);
    if (wp == 6 && n && (st = area_of(ev, "name:", s, n)))
        return st;
    s = fld(r, U_ADM1, &n);
    if (wp == 4 && n && (st = area_of(ev, "admin1:", s, n)))
        return st;
    if ((st = copy_fld(r, U_SIDE_A, &ev->actor1)) ||
        (st = copy_fld(r, U_SIDE_B, &ev->actor2)) ||
        (st = count_fld(r, U_BEST, &ev->fatalities)) ||
        (st = count_fld(r, U_LOW, &ev->fatalities_low)) ||
        (st = count_fld(r, U_HIGH, &ev->fatalities_high)) ||
        (st = count_fld(r, U_CIV, &ev->civilian_fatalities)) ||
        (st = copy_fld(r, U_WHERE, &ev->location)) ||
        (st = copy_fld(r, U_ADM1, &ev->admin1)) ||
        (st = copy_fld(r, U_HEADLINE, &ev->notes)))
        return st;
    return TRUCE_OK;
}

/* ------------------------------------------------------------ GDELT */

static const char *
gcol(struct truce_reader *r, size_t i, size_t *len)
{
    return truce__csv_field(&r->csv, i, len);
}

static enum truce_category
cameo_category(const char *code, size_t n)
{
    int v = 0;
    if (n < 2)
        return TRUCE_CAT_OTHER;
    for (size_t i = 0; i < n && i < 3; i++) {
        if (!isdigit((unsigned char)code[i]))
            return TRUCE_CAT_OTHER;
        v = v * 10 + (code[i] - '0');
    }
    if (n == 2)
        v *= 10;
    if (v == 183)
        return TRUCE_CAT_REMOTE_VIOLENCE;
    if (v / 10 == 18 || v / 10 == 20)
        return TRUCE_CAT_VAC;
    switch (v) {
    case 190: case 192: case 193: return TRUCE_CAT_BATTLE;
    case 194: case 195: return TRUCE_CAT_REMOTE_VIOLENCE;
    case 196: return TRUCE_CAT_ARMED_VIOLENCE;
    case 191: return TRUCE_CAT_STRATEGIC;
    default: break;
    }
    return v / 10 == 19 ? TRUCE_CAT_BATTLE : TRUCE_CAT_OTHER;
}

static truce_status
gdelt_record(struct truce_reader *r, struct truce_event *ev)
{
    /* GDELT 2.0 has 61 columns; 1.0 daily files have 57 (no DATEADDED,
     * FeatureIDs differ): ActionGeo starts at 49 there, 51 in 2.0. */
    size_t nf = r->csv.nf, n, g;
    const char *s;
    int64_t date, type;
    truce_status st;
    if (nf != 61 && nf != 58 && nf != 57)
        return truce__err(r->ctx, TRUCE_EPARSE, "expected 61 tab-separated "
                          "columns (GDELT 2.0), found %zu", nf);
    g = nf == 61 ? 51 : 49;
    s = gcol(r, 0, &n);
    if (!n)
        return rec_err(r, "GLOBALEVENTID", "empty", NULL, 0);
    if ((st = set_id(ev, "gdelt", s, n)))
        return st;
    s = gcol(r, 1, &n);
    if (n != 8 || !truce__parse_int(s, n, &date))
        return rec_err(r, "SQLDATE", "not YYYYMMDD", s, n);
    {
        int y = (int)(date / 10000), m = (int)(date / 100 % 100),
            d = (int)(date % 100);
        char iso[16];
        struct truce_when w;
        snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
        if (truce_parse_when(iso, 10, &w))
            return rec_err(r, "SQLDATE", "not a date", s, n);
        ev->time_kind = TRUCE_TIME_LOCAL;
        ev->date_only = true;
        ev->t0 = w.secs;
        ev->t1 = w.secs + 86400;
    }
    s = gcol(r, 26, &n);
    ev->category = cameo_category(s, n);
    ev->directed = true;
    if ((st = truce__set_str(&ev->subcategory, s, n)))
        return st;
    s = gcol(r, g, &n);
    if (!truce__parse_int(s, n, &type) || type < 1 || type > 5)
        return rec_err(r, "ActionGeo_Type", "no place (not 1 to 5)", s, n);
    ev->radius_km = type == 1 ? -1 : (type == 4 || type == 3) ? 0 : 100;
    s = gcol(r, g + 2, &n); /* ActionGeo_CountryCode, FIPS 10-4 */
    if (type == 1 && n && (st = area_of(ev, "fips:", s, n)))
        return st;
    {
        /* 2.0 has an ADM2 code before the latitude; 1.0 has none */
        size_t n1, n2, at = nf == 61 ? g + 5 : g + 4;
        const char *la = gcol(r, at, &n1), *lo = gcol(r, at + 1, &n2);
        if (!truce__parse_double(la, n1, &ev->lat) ||
            !truce__parse_double(lo, n2, &ev->lon) || ev->lat < -90 ||
            ev->lat > 90 || ev->lon < -180 || ev->lon > 180)
            return rec_err(r, "ActionGeo_Lat/Long", "not a valid place", la,
                           n1);
    }
    s = gcol(r, 5, &n);
    if (!n)
        s = gcol(r, 6, &n);
    if (n && (st = truce__set_str(&ev->actor1, s, n)))
        return st;
    s = gcol(r, 15, &n);
    if (!n)
        s = gcol(r, 16, &n);
    if (n && (st = truce__set_str(&ev->actor2, s, n)))
        return st;
    s = gcol(r, g + 1, &n);
    if (n && (st = truce__set_str(&ev->location, s, n)))
        return st;
    s = gcol(r, nf - 1, &n);
    if (n && (st = truce__set_str(&ev->notes, s, n)))
        return st;
    return TRUCE_OK;
}

/* ------------------------------------------------------------ next */

/* The end of the input (TRUCE_EOF, no failure) or why it could not be
 * read further. */
static truce_status
input_failed(struct truce_reader *r, truce_status st)
{
    if (st == TRUCE_EOF)
        return st;
    if (st == TRUCE_EIO)
        return truce__err(r->ctx, st, "cannot read further: %s",
                          strerror(errno));
    return truce__err(r->ctx, st, "out of memory");
}

/* A line that is not UTF-8, read as Windows-1252 instead. */
static truce_status
recode_line(struct truce_reader *r)
{
    truce_buf_reset(&r->tmp);
    if (truce__cp1252_to_utf8(r->line.buf, r->line.len, &r->tmp))
        return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    truce_buf_reset(&r->line);
    if (truce_buf_add(&r->line, r->tmp.buf, r->tmp.len))
        return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    r->recoded++;
    return TRUCE_OK;
}

static truce_status
next_jsonl(struct truce_reader *r, struct truce_event *ev)
{
    for (;;) {
        truce_status st = truce__input_line(r->in, &r->line, &r->rec_line);
        size_t i = 0;
        if (st == TRUCE_EPARSE)
            return truce__err(r->ctx, st, "line longer than 1 MiB");
        if (st)
            return input_failed(r, st);
        while (i < r->line.len && isspace((unsigned char)r->line.buf[i]))
            i++;
        if (i == r->line.len)
            continue; /* blank lines are not records */
        if (truce__utf8_check(r->line.buf, r->line.len) != r->line.len &&
            (st = recode_line(r)))
            return st;
        return truce_event_from_json(r->ctx, r->line.buf, r->line.len, ev);
    }
}

/* The next row of ACLED's JSON, as a row or a line. */
static truce_status
next_acled_json(struct truce_reader *r, struct truce_event *ev)
{
    truce_status st;
    char *raw;
    if (!r->json_lines) {
        if (r->row_i >= json_array_size(r->rows))
            return TRUCE_EOF;
        r->row = json_array_get(r->rows, r->row_i++);
        r->rec_line = (long)r->row_i; /* a document's rows by number */
    } else {
        json_error_t jerr;
        json_decref(r->row);
        r->row = NULL;
        do {
            st = truce__input_line(r->in, &r->line, &r->rec_line);
            if (st == TRUCE_EPARSE)
                return truce__err(r->ctx, st, "line longer than 1 MiB");
            if (st)
                return input_failed(r, st);
        } while (strspn(r->line.buf, " \t\r") == r->line.len);
        if (truce__utf8_check(r->line.buf, r->line.len) != r->line.len &&
            (st = recode_line(r)))
            return st;
        r->row = json_loadb(r->line.buf, r->line.len, 0, &jerr);
        if (!json_is_object(r->row))
            return truce__err(r->ctx, TRUCE_EPARSE, "not a JSON object: %s",
                              r->row ? "another JSON value" : jerr.text);
    }
    if (!json_is_object(r->row))
        return truce__err(r->ctx, TRUCE_EPARSE, "row %zu is not a JSON "
                          "object", r->row_i);
    if ((st = acled_record(r, ev)))
        return st == TRUCE_ENOMEM ? truce__err(r->ctx, st, "out of memory")
                                  : st;
    truce_event_flag_protected(ev);
    if (!(raw = json_dumps(r->row, JSON_COMPACT | JSON_PRESERVE_ORDER)) ||
        truce__set_str(&ev->raw, raw, strlen(raw))) {
        free(raw);
        return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    }
    free(raw);
    return TRUCE_OK;
}

truce_status
truce_reader_next(struct truce_reader *r, struct truce_event *ev)
{
    truce_status st;
    size_t bad;
    truce__clear(r->ctx);
    truce_event_release(ev);
    if (r->fmt == TRUCE_FMT_JSONL)
        return next_jsonl(r, ev);
    if (r->rows || r->json_lines)
        return next_acled_json(r, ev);
    st = truce__csv_next(&r->csv);
    r->rec_line = r->csv.line;
    if (st == TRUCE_EOF || st == TRUCE_EIO)
        return input_failed(r, st);
    if (st)
        return truce__err(r->ctx, st, "%s",
                          r->csv.err[0] ? r->csv.err : truce_strerror(st));
    if (r->ncols && r->csv.nf != r->ncols)
        return truce__err(r->ctx, TRUCE_EPARSE, "expected %zu columns, found "
                          "%zu", r->ncols, r->csv.nf);
    bad = truce__utf8_check(r->csv.raw.buf, r->csv.raw.len);
    if (bad != r->csv.raw.len) {
        /* Not UTF-8: as spreadsheets on Windows save text. */
        if (truce__csv_recode_cp1252(&r->csv))
            return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
        r->recoded++;
    }
    switch (r->fmt) {
    case TRUCE_FMT_ACLED: st = acled_record(r, ev); break;
    case TRUCE_FMT_UCDP: st = ucdp_record(r, ev); break;
    case TRUCE_FMT_GDELT: st = gdelt_record(r, ev); break;
    default: st = TRUCE_EINVAL; break;
    }
    if (st == TRUCE_ENOMEM)
        return truce__err(r->ctx, st, "out of memory");
    if (st)
        return st;
    truce_event_flag_protected(ev);
    if (truce__set_str(&ev->raw, r->csv.raw.buf, r->csv.raw.len))
        return truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    return TRUCE_OK;
}
