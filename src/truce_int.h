/*
 * truce_int.h - private declarations of libtruce. The first #include of
 * every file in src/: feature macros, the allocator, the context and the
 * internal (truce__) functions modules share.
 */
#ifndef TRUCE_INT_H
#define TRUCE_INT_H

#define _GNU_SOURCE 1
#define GEOS_USE_ONLY_R_API 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "truce/truce.h"

/* Allocation goes through these so that tests can make the Nth call fail
 * (truce__alloc_fail_after). */
void *truce__malloc(size_t n);
void *truce__calloc(size_t n, size_t size);
void *truce__realloc(void *p, size_t n);
void truce__free(void *p);
char *truce__strndup(const char *s, size_t n);
char *truce__strdup(const char *s);
/* Tests: after n more successful allocations, fail them all (n < 0: off). */
TRUCE_API void truce__alloc_fail_after(long n);

/* Appends the n names as words: "a", "a and b", "a, b and c". */
truce_status truce__buf_add_and(struct truce_buf *b, const char *const *v,
                                size_t n);

/* The ctx contract (include/truce/truce.h): every public call that can
 * fail and takes a ctx, directly or through an object made with it (a
 * store, a reader), starts with truce__clear, and records the message of
 * its failure with truce__err or truce__err_at. So the message is "" after
 * any call that did not fail; a call that gets past a failure of a call it
 * made clears it again. Warnings (truce__warn) are apart. */
void truce__clear(struct truce_ctx *ctx);
/* Records the error message of ctx and returns st. */
truce_status truce__err(struct truce_ctx *ctx, truce_status st,
                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a message about line `line` of an input (which the message
 * does not name: truce_ctx_errline gives it). */
truce_status truce__err_at(struct truce_ctx *ctx, truce_status st, long line,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Emits a warning through the ctx's callback. */
/* The great-circle distance in km (mean Earth radius). */
double truce__km_between(double lat1, double lon1, double lat2, double lon2);

/* Can a name the gazetteer holds begin with these n bytes (a key of it
 * starts with their key, with or without a leading article)? False means
 * no name starting here can be found; true is only a maybe. */
struct truce_gazetteer;
bool truce__gazetteer_may_start(const struct truce_gazetteer *gz,
                                const char *name, size_t n);
/* Tells the ctx's progress callback, if any, how far a call has gone. */
void truce__progress(struct truce_ctx *ctx, long done);
void truce__warn(struct truce_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The GEOS handle of this context (void * keeps geos_c.h out of modules
 * that do not draw geometry). */
void *truce__ctx_geos(struct truce_ctx *ctx);
/* The last error GEOS reported in this ctx (never NULL), for a message. */
const char *truce__ctx_geos_msg(const struct truce_ctx *ctx);

/* FNV-1a over bytes, for change detection. */
uint64_t truce__hash(const void *p, size_t n, uint64_t h);
#define TRUCE_HASH_SEED 1469598103934665603ULL

/* Checks UTF-8; returns the offset of the first bad byte or n. */
size_t truce__utf8_check(const char *s, size_t n);
/* A letter, a mark or a digit (Unicode categories L, M, N). */
bool truce__cp_is_alnum(int32_t cp);

/* ---- actors ------------------------------------------------------- */
#define TRUCE_ACTOR_UNKNOWN_IDX (-1L)
#define TRUCE_ACTOR_CIVILIANS_IDX (-2L)
#define TRUCE_MAX_FIELD_ACTORS 32

/* Resolves an actor field to its members (DESIGN section 4). text is
 * borrowed by the refs. Returns the member count (0: the field is empty). */
size_t truce__actors_resolve(const struct truce_actors *a, const char *field,
                             struct truce_actor_ref *refs, size_t max);
enum truce_actor_kind truce__actors_kind(const struct truce_actors *a, long i);
/* ACLED's spellings of a name: the length of an "ABBR" before ": " that
 * starts s (a capital first, at most 12 letters, digits, '-' or '&'), else
 * 0; and the length up to the closing parenthesis of a force's period
 * when a unit's name follows it ("... (2000-) Air Force"), else 0. */
size_t truce__actor_abbr(const char *s, size_t n);
size_t truce__actor_before_unit(const char *s, size_t n);

/* ---- geometry (src/geo.c is the only user of GEOS) ----------------- */
struct truce_zoneset; /* the prepared union of an agreement's zones */

/* Reads a GeoJSON geometry object (jansson json_t *) into a GEOS geometry
 * (returned as void *); what names it in messages. Repairs invalid
 * geometry with a warning, or fails when strict. */
truce_status truce__geo_from_geojson(struct truce_ctx *ctx, const void *json,
                                     const char *what, bool strict,
                                     void **out);
void truce__geo_free(struct truce_ctx *ctx, void *g);
/* GeoJSON text of a geometry (malloc'd). */
char *truce__geo_to_geojson(struct truce_ctx *ctx, const void *g);
/* Geodesic area in km2 on the WGS84 ellipsoid. */
double truce__geo_area_km2(struct truce_ctx *ctx, const void *g);
/* The centroid of g and the geodesic distance from it to g's farthest
 * vertex: how far the shape reaches, as a place of the gazetteer. */
truce_status truce__geo_reach(struct truce_ctx *ctx, const void *g,
                              double *lat, double *lon, double *radius_km);

/* Unions the geometries and prepares the result. Each is consumed (set to
 * NULL) as it is taken: on a failure the caller frees what is left. */
truce_status truce__zoneset_new(struct truce_ctx *ctx, void **geoms,
                                size_t n, struct truce_zoneset **out);
void truce__zoneset_free(struct truce_ctx *ctx, struct truce_zoneset *z);
/* A copy of its own (made anew from the zones): GEOS's prepared
 * geometries keep state while they answer (3.11), so threads that test
 * places at once each need theirs. */
truce_status truce__zoneset_clone(struct truce_ctx *ctx,
                                  const struct truce_zoneset *z,
                                  struct truce_zoneset **out);
const void *truce__zoneset_geom(const struct truce_zoneset *z);
void truce__zoneset_bounds(const struct truce_zoneset *z, double b[4]);

enum truce__placement { TRUCE_PLACE_WITHIN = 1, TRUCE_PLACE_OUTSIDE,
                   TRUCE_PLACE_STRADDLES };
/* Place of a point with radius r km (r < 0: unknown) against the union. */
enum truce__placement truce__zoneset_place(struct truce_ctx *ctx,
                                      const struct truce_zoneset *z,
                                      double lon, double lat, double r_km);
/* Place of an area (a geometry: a country, an admin unit) against the
 * union: outside when they do not meet, within when the union covers it,
 * else straddles. */
enum truce__placement truce__zoneset_place_area(struct truce_ctx *ctx,
                                           const struct truce_zoneset *z,
                                           const void *area);
/* A point with a radius of r_km km as truce__zoneset_place draws it: the
 * metres a degree of lat and of lon spans there, and the reach in degrees
 * (with a margin) of the polygon drawn: every vertex lies within
 * lon +- dlon, lat +- dlat. */
struct truce__disk {
    double lon, lat, r_km, mlat, mlon, dlon, dlat;
    bool reach; /* mlat to dlat made (truce__geo_disk_reach) */
};
void truce__geo_disk(double lon, double lat, double r_km,
                     struct truce__disk *d);
/* Makes d's metres per degree and reach, once. */
void truce__geo_disk_reach(struct truce__disk *d);
/* The point at 0.99 r_km km from the centre in the direction whose cosine
 * and sine are c and s, in the polygon's metric: inside the polygon (d's
 * reach made). */
void truce__geo_inner_point(const struct truce__disk *d, double c, double s,
                            double *x, double *y);
/* A closed rectangle against the union: OUT when they share no point, IN
 * when the union contains it, else EDGE (GEOS's exact predicates). */
enum truce__cell_class { TRUCE_CELL_OUT, TRUCE_CELL_IN, TRUCE_CELL_EDGE };
enum truce__cell_class truce__zoneset_rect_class(struct truce_ctx *ctx,
                                                 const struct truce_zoneset *z,
                                                 const double b[4]);

/* ---- rasters (src/raster.c) ------------------------------------------ */
/* A zoneset's bounds cut into cells classified once (OUT, IN, EDGE), so
 * that most place tests need no geometry: truce__raster_place answers as
 * truce__zoneset_place does, event by event, and asks it where the cells
 * cannot tell. Read-only once made: threads may share it. */
struct truce__raster;
truce_status truce__raster_new(struct truce_ctx *ctx,
                               const struct truce_zoneset *z,
                               struct truce__raster **out);
void truce__raster_free(struct truce__raster *r);
/* r is not NULL (truce__raster_new may give NULL for bounds it cannot
 * cut: ask truce__zoneset_place then); z is the zoneset it was made of,
 * or a copy (truce__zoneset_clone): the place tests the cells cannot
 * answer are z's. d: the event's point and radius (truce__geo_disk; its
 * reach is made when the radius needs it, for the next agreement's). */
enum truce__placement truce__raster_place(struct truce_ctx *ctx,
                                          const struct truce__raster *r,
                                          const struct truce_zoneset *z,
                                          struct truce__disk *d);
/* The grid's cells, how many of them are EDGE, and where the grid lies
 * (cell (i, j) spans x0 + i * dx to x0 + (i + 1) * dx, and so in y), for
 * tests that put points on its lines. */
struct truce__raster_stats {
    long cells, edge_cells;
    int nx, ny;
    double x0, y0, dx, dy;
};
void truce__raster_stats(const struct truce__raster *r,
                         struct truce__raster_stats *out);

/* A rectangle (west, south, east, north), and a geometry's bounds. */
void *truce__geo_box(struct truce_ctx *ctx, const double b[4]);
void truce__geo_bounds(struct truce_ctx *ctx, const void *g, double b[4]);

/* ---- areas (src/areas.c) ------------------------------------------- */
/* A country of the built-in table: its codes, name (and another name
 * sources use) and bounding box (west, south, east, north; approximate,
 * mainland and near islands). */
struct truce__country {
    const char *fips, *iso2, *iso3, *name, *alias;
    double box[4];
};
/* The country an event's area names ("fips:SY", "iso:SY", "iso3:SYR",
 * "name:Syria"; names normalised), or NULL. */
const struct truce__country *truce__country_find(const char *area);
/* The country of that name (or other name), or NULL. */
const struct truce__country *truce__country_find_name(const char *name);

/* Index of the first zone (of the ones given at creation) that contains
 * the point, or -1. */
long truce__zoneset_which(struct truce_ctx *ctx,
                          const struct truce_zoneset *z, double lon,
                          double lat);

/* Region arithmetic: each returns a new geometry (free with
 * truce__geo_free), or NULL with the error set in ctx. */
void *truce__geo_clone(struct truce_ctx *ctx, const void *g);
void *truce__geo_union(struct truce_ctx *ctx, void *const *geoms, size_t n);
void *truce__geo_intersection(struct truce_ctx *ctx, const void *a,
                              const void *b);
void *truce__geo_difference(struct truce_ctx *ctx, const void *a,
                            const void *b);
bool truce__geo_is_empty(struct truce_ctx *ctx, const void *g);
truce_status truce__zoneset_of(struct truce_ctx *ctx, const void *g,
                               struct truce_zoneset **out);
/* The dissolved polygons of a GeoJSON value (json_t: FeatureCollection,
 * Feature or geometry) whose features' properties match where (json_t
 * object or NULL). */
truce_status truce__geo_from_any(struct truce_ctx *ctx, const void *json,
                                 const void *where, const char *what,
                                 bool strict, void **out);
/* Zone i as given at creation (borrowed). */
const void *truce__zoneset_zone(const struct truce_zoneset *z, size_t i);
bool truce__zoneset_covers(struct truce_ctx *ctx,
                           const struct truce_zoneset *z, double lon,
                           double lat);

/* An STRtree over boxes (west, south, east, north); query returns the
 * ids (positions in bounds) of the boxes meeting b, ascending. */
struct truce__index;
truce_status truce__index_new(struct truce_ctx *ctx, const double (*bounds)[4],
                              size_t n, struct truce__index **out);
void truce__index_free(struct truce_ctx *ctx, struct truce__index *ix);
size_t truce__index_query(struct truce_ctx *ctx, const struct truce__index *ix,
                          const double b[4], size_t *out, size_t max);

/* ---- agreements (read by rule.c) ---------------------------------- */
struct truce__member {
    char *actor_id;
    long actor;          /* dictionary index after prepare, -1 unknown */
    bool has_from, has_until;
    int64_t from_local, until_local; /* local civil seconds */
    int64_t from, until; /* UTC */
};

struct truce__side {
    char *id, *name;
    char **guarantors;     /* who answers for the side: none, one or more */
    size_t n_guarantors;
    struct truce__member *members;
    size_t n_members;
};

struct truce__interval {
    int64_t from, until; /* UTC; until INT64_MAX when open */
};

struct truce__zone {
    char *name;
    void *geom; /* GEOS geometry, owned by the zoneset after compile */
};

struct truce__agreement {
    char *id, *name, *kind, *extends, *timezone, *source;
    char **brokers;
    size_t n_brokers;
    struct truce_tz *tz;
    struct truce__interval *intervals;
    size_t n_intervals;
    struct truce__zone *zones;
    size_t n_zones;
    struct truce_zoneset *zoneset;
    struct truce__side *sides;
    size_t n_sides;
    char **excluded;
    size_t n_excluded;
    long *excluded_idx; /* after prepare */
    unsigned prohibited; /* bit (1 << category) */
    double area_km2;
    char *json; /* the resolved agreement text */
};

const struct truce__agreement *
truce__agreements_at(const struct truce_agreements *set, size_t i);
/* Agreement indexes whose zones' bounds meet the box; returns the count. */
/* The shape the store gave for country c, or (c NULL) for the admin unit
 * named admin, or NULL; *name gets its name, *of the boundaries set of a
 * unit (NULL for a country). */
const void *truce__agreements_area(const struct truce_agreements *set,
                                   const struct truce__country *c,
                                   const char *admin, const char **name,
                                   const char **of);
size_t truce__agreements_candidates(const struct truce_agreements *set,
                                    struct truce_ctx *ctx, double w, double s,
                                    double e, double n, size_t *out,
                                    size_t max);

/* Has the set an index of its zones' bounds (else every agreement is a
 * candidate for every event)? */
bool truce__agreements_indexed(const struct truce_agreements *set);

/* ---- bulk assessment (src/rule.c) ------------------------------------ */
/* What truce_assess_event gives, event by event, for runs over many
 * events (truce_whatif): each agreement's zones cut into a raster once
 * (src/raster.c), the candidates found by the zones' bounds, and, in a
 * memo of each thread's, the UTC times of local times, the place of each
 * area met and (own_geometry) copies of the zones for the place tests the
 * rasters leave. A bulk is read-only once made: threads share it, each
 * with its own ctx and memo (all but one with own_geometry). It borrows
 * set and actors. */
struct truce__bulk;
struct truce__bulk_memo;
truce_status truce__bulk_new(struct truce_ctx *ctx,
                             const struct truce_agreements *set,
                             const struct truce_actors *actors,
                             struct truce__bulk **out);
void truce__bulk_free(struct truce__bulk *b);
/* Agreement i's raster's statistics (zeros when it has none). */
void truce__bulk_stats(const struct truce__bulk *b, size_t i,
                       struct truce__raster_stats *out);
truce_status truce__bulk_memo_new(struct truce_ctx *ctx,
                                  const struct truce__bulk *b,
                                  bool own_geometry,
                                  struct truce__bulk_memo **out);
/* ctx: the thread's own (the areas' shapes are freed with it). */
void truce__bulk_memo_free(struct truce_ctx *ctx, struct truce__bulk_memo *m);
/* An event's actor fields resolved by the caller (truce__actors_resolve
 * of ev->actor1 and ev->actor2 against the bulk's actors). */
struct truce__fields {
    const struct truce_actor_ref *refs[2];
    size_t n[2];
};
/* truce_assess_event(ctx, set, actors, ev, flags, out, overall); f may be
 * NULL (the fields are resolved here). */
truce_status truce__bulk_assess(struct truce_ctx *ctx,
                                const struct truce__bulk *b,
                                struct truce__bulk_memo *m,
                                const struct truce_event *ev,
                                const struct truce__fields *f, unsigned flags,
                                struct truce_assessment *out,
                                enum truce_verdict *overall);

/* ---- compact events (src/compact.c) ----------------------------------- */
/* The stored events as the verdict needs them, in key order (64 bytes
 * each): strings are indexes into the distinct strings
 * (truce__compact_str), TRUCE__NONE for none; id an offset into ids. */
#define TRUCE__NONE UINT32_MAX
#define TRUCE__CEV_ASSESSED 0x80 /* stored: assessed, and the overall
                                    verdict in the low bits */
struct truce__cev {
    int64_t t0, t1;
    double lat, lon, radius_km;
    uint32_t id, actor1, actor2, area;
    uint8_t time_kind, category, directed, stored;
};
struct truce__compact {
    size_t n;
    struct truce__cev *ev;
    uint32_t n_strings;
    uint32_t *str_off;
    char *ids, *strs;
    size_t ids_len, strs_len;
    void *blob; /* read from the store's cache: the rest points into it */
};
/* The store's events in compact form (truce__compact_free it): read from
 * the store's cache when it was made at the current events version, else
 * made from the events and kept there for the next run (*from_cache says
 * which). */
truce_status truce__compact_get(struct truce_ctx *ctx, struct truce_store *st,
                                struct truce__compact **out,
                                bool *from_cache);
void truce__compact_free(struct truce__compact *c);
const char *truce__compact_str(const struct truce__compact *c, uint32_t i);

/* truce_whatif, how: < 0 by the store's query and truce_assess_event
 * event by event (the reference the tests compare with); 0 by the compact
 * events and the bulk assessment on a thread a core; > 0 so on that many
 * threads. */
truce_status truce__whatif_run(struct truce_ctx *ctx, struct truce_store *st,
                               const struct truce_agreements *set,
                               const struct truce_actors *actors,
                               const struct truce_query *q, int how,
                               struct truce_buf *out);

/* ---- time zones ------------------------------------------------------ */
/* truce_tz_load with the TZif files read from the folder root instead of
 * /usr/share/zoneinfo (tests point it at their own files). */
truce_status truce__tz_load_at(struct truce_ctx *ctx, const char *root,
                               const char *name, struct truce_tz **out);
/* Reads the zone NAME from the size bytes of a TZif file at data (the
 * fuzz target's way in); errors name the zone. *out: truce_tz_free. */
truce_status truce__tz_parse(struct truce_ctx *ctx, const char *name,
                             const void *data, size_t size,
                             struct truce_tz **out);

/* ---- event helpers ---------------------------------------------------- */
/* The UTC interval of ev read in tz (tz may be NULL for UTC events). */
void truce__event_utc(const struct truce_event *ev, const struct truce_tz *tz,
                      int64_t *t0, int64_t *t1);
/* Sets a string field (frees the old one); n == (size_t)-1 uses strlen. */
truce_status truce__set_str(char **field, const char *s, size_t n);
/* Canonical change hash of the event's content (raw excluded). */
uint64_t truce__event_hash(const struct truce_event *ev);
/* dst (truce_event_init'ed) gets copies of what linking reads of src:
 * id, source, actors, times, place, radius, category, toll. false when
 * out of memory (dst released). */
bool truce__event_copy_for_link(struct truce_event *dst,
                                const struct truce_event *src);
/* The degrees of longitude within km of a point at lat (360: every
 * longitude, when the reach crosses a pole). */
double truce__lon_span(double lat, double km);
/* truce_link_pair without the why: the cheap parts of the rule first. */
bool truce__link_may_meet(const struct truce_event *a,
                          const struct truce_event *b,
                          const struct truce_actors *actors);

/* Appends the JSON text of o (consumed) to out with jansson's flags. */
truce_status truce__json_append(void *o, size_t flags, struct truce_buf *out);

/* Minimal checked number parsing on pointer + length. */
bool truce__parse_double(const char *s, size_t n, double *out);
bool truce__parse_int(const char *s, size_t n, int64_t *out);


/* ---- streaming input and CSV (src/csv.c) --------------------------------
 * A byte source (a FILE or a memory buffer) read through a window, the
 * RFC 4180 tokenizer over it, and a line reader for JSON Lines. Records are
 * capped in size and columns; line numbers count from 1. */
#define TRUCE_CSV_MAX_RECORD (1u << 20)
#define TRUCE_CSV_MAX_FIELDS 256

struct truce__input;

truce_status truce__input_open_file(const char *path, struct truce__input **out);
/* The same, why (why_n bytes) saying what went wrong on TRUCE_EIO. A zip
 * archive (GDELT's .export.CSV.zip) is read through its CSV entry (its
 * only entry, or its first .csv), unpacked as it is read. */
truce_status truce__input_open_path(const char *path, struct truce__input **out,
                                    char *why, size_t why_n);
truce_status truce__input_open_mem(const char *data, size_t n,
                                   struct truce__input **out);
void truce__input_free(struct truce__input *in);
/* The first line (without the line end and a leading BOM), for sniffing;
 * up to max bytes. Does not consume. */
size_t truce__input_peek_line(struct truce__input *in, char *out, size_t max);

struct truce__csv {
    struct truce__input *in;
    char delim;      /* ',' or '\t' */
    bool quotes;     /* honour RFC 4180 quoting */
    struct truce_buf data; /* the unescaped fields, NUL after each */
    size_t starts[TRUCE_CSV_MAX_FIELDS];
    size_t lens[TRUCE_CSV_MAX_FIELDS];
    size_t nf;       /* fields in the current record */
    struct truce_buf raw; /* the record as written */
    long line;       /* the line the current record began on */
    char err[160];   /* why the last record failed */
};

void truce__csv_init(struct truce__csv *c, struct truce__input *in, char delim,
                     bool quotes);
void truce__csv_release(struct truce__csv *c);
/* TRUCE_OK (a record), TRUCE_EOF, TRUCE_EPARSE (c->err says why; the
 * record was skipped), TRUCE_EIO. */
truce_status truce__csv_next(struct truce__csv *c);
/* Field i of the current record (pointer into c->data, NUL-terminated). */
static inline const char *
truce__csv_field(const struct truce__csv *c, size_t i, size_t *len)
{
    if (i >= c->nf) {
        *len = 0;
        return "";
    }
    *len = c->lens[i];
    return c->data.buf + c->starts[i];
}

/* Reads the rest of the input into out (after a BOM). */
truce_status truce__input_all(struct truce__input *in, struct truce_buf *out);
/* Appends s[0..n), read as Windows-1252, to out as UTF-8. */
truce_status truce__cp1252_to_utf8(const char *s, size_t n,
                                   struct truce_buf *out);
/* Re-reads the current record's fields and raw text as Windows-1252. */
truce_status truce__csv_recode_cp1252(struct truce__csv *c);

/* Reads the next line into out (without its end, CR stripped), counting
 * lines; TRUCE_EOF at the end. *line gets its number. */
truce_status truce__input_line(struct truce__input *in, struct truce_buf *out,
                               long *line);

/* ---- article text (src/text.c) -------------------------------------- */

/* Bytes [start, end) of a text. */
struct truce__span {
    size_t start, end;
};

/* The sentences of s (n bytes), trimmed, into *out (truce__free it). */
truce_status truce__sentences(const char *s, size_t n,
                              struct truce__span **out, size_t *count);

enum truce__tok {
    TRUCE_TOK_WORD = 1, /* letters and digits, joined by ' or - inside */
    TRUCE_TOK_NUMBER,   /* digits, with , . : between digits */
    TRUCE_TOK_MARK      /* one other character */
};

struct truce__token {
    size_t start, end;  /* bytes of the text */
    enum truce__tok kind;
};

/* The token's text equals word (lower case), in any case of ASCII.
 * Inline: the news readers ask it of every token, many times. */
static inline bool
truce__tok_is(const char *s, const struct truce__token *t, const char *word)
{
    const char *w = s + t->start;
    size_t n = t->end - t->start, i = 0;
    while (i < n && word[i]) {
        unsigned char c = (unsigned char)w[i], d = (unsigned char)word[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        if (d >= 'A' && d <= 'Z')
            d = (unsigned char)(d + ('a' - 'A'));
        if (c != d)
            return false;
        i++;
    }
    return i == n && word[i] == '\0';
}

/* The tokens of s[start, end) into *out (truce__free it). */
truce_status truce__tokens(const char *s, size_t start, size_t end,
                           struct truce__token **out, size_t *count);

/* ---- counts in news text (src/count.c) ------------------------------- */

/* A count: best, the number written, low and high its bounds (-1 when
 * not said); the tokens first..last it was read from. */
struct truce__count {
    long best, low, high;
    size_t first, last;
};

/* The count that starts at token i of t (n tokens of s): "27", "at least
 * 27", "about 20", "three", "twenty-one", "a dozen", "dozens" (low 24),
 * "up to 30" (high 30), "between 20 and 30" (20, low 20, high 30); false
 * when there is none. */
bool truce__count_at(const char *s, const struct truce__token *t, size_t n,
                     size_t i, struct truce__count *out);

/* ---- dates and times in news text (src/when.c) ---------------------- */

/* A date or span and a clock time read from text, in the article's local
 * days (days since 1970-01-01 of its time zone). */
struct truce__when {
    int64_t day0, day1;  /* the days, inclusive (publication's when none) */
    int minute;          /* minute of the day, -1 when no time is written */
    bool has_date;       /* a day or span was written */
    bool span;           /* several days ("in recent days", "in February") */
    bool approximate;    /* "at sunset", "in recent days" */
    bool utc;            /* the time was said in GMT/UTC */
    size_t first, last;  /* the tokens read */
};

/* The date and time phrase from token i on, resolved against the
 * publication day (future: the verb is future, so a weekday or a date is
 * the next one); false when there is none. */
bool truce__when_at(const char *s, const struct truce__token *t, size_t n,
                    size_t i, int64_t published, bool future,
                    struct truce__when *out);

/* ---- the words of the news (src/lexicon.c) -------------------------- */

enum truce__lex_kind {
    TRUCE_LEX_ACT,         /* category and sub-type */
    TRUCE_LEX_ACTOR,       /* a generic term's kind */
    TRUCE_LEX_SITE,        /* a protected site */
    TRUCE_LEX_HEDGE,
    TRUCE_LEX_ATTRIBUTION, /* the source named */
    TRUCE_LEX_NEGATION,    /* no act, or not yet */
    TRUCE_LEX_AGREEMENT,   /* an agreement's noun */
    TRUCE_LEX_ACTION,      /* what happens to it */
    TRUCE_LEX_BROKER       /* a state or body that brokers, by id */
};

/* flags of a lexicon entry */
#define TRUCE__LEX_TERRITORY 1 /* an act that takes ground: who says which */
#define TRUCE__LEX_FUTURE 2    /* an agreement's start still to come */
#define TRUCE__LEX_BY_ARMS 4   /* an act whose form the arms named tell */
#define TRUCE__LEX_NEEDS_ARMS 8 /* ... and no act without them ("hit") */
#define TRUCE__LEX_BY_TARGET 16 /* violence against civilians when they are
                                  its target ("opened fire on families") */
#define TRUCE__LEX_ARMED_GAP 64 /* the words of its "..." name an armed
                                  side ("drove Islamic State out of") */
#define TRUCE__LEX_NEAR 128   /* a negation that governs only an act at
                                * most two words after it ("feared a
                                * ground assault", "must withdraw") */
#define TRUCE__LEX_BOTH_ARMS 32 /* shelling, and air strikes beside it
                                  ("pounded ... with artillery and air
                                  strikes"): two acts */

struct truce__lex {
    const char *phrase;            /* words; a '*' at a word's end: a stem */
    enum truce_category category;  /* acts */
    const char *meaning;           /* sub-type, kind, site, source, action */
    int flags;
};

/* The longest phrase of the table of kind that starts at token i (its
 * tokens in *used), or NULL. */
const struct truce__lex *truce__lex_at(enum truce__lex_kind kind,
                                       const char *s,
                                       const struct truce__token *t,
                                       size_t n, size_t i, size_t *used);

#endif /* TRUCE_INT_H */
