/*
 * truce.h - the public interface of libtruce, a ceasefire-monitoring engine.
 *
 * libtruce holds ceasefire agreements (zones, time zone, sides, guarantors,
 * exclusions), reads conflict events (ACLED, UCDP, GDELT, truce JSON Lines),
 * decides for every event under every agreement whether it is a violation
 * (DESIGN.md section 5), explains the decision, and keeps everything in a
 * store behind one narrow interface (SQLite today).
 *
 * Conventions (docs/architecture.md):
 *  - fallible functions return truce_status; results go through OUT
 *    parameters, placed last;
 *  - the last error message lives in the per-thread struct truce_ctx
 *    (truce_ctx_errmsg), the library never prints or exits;
 *  - the ctx contract: every call that can fail and takes a ctx, directly
 *    or through an object made with one (a store, a reader), empties the
 *    message and its line (truce_ctx_errline) when it starts, and sets
 *    them when it fails, to what went wrong in this call. So after such a
 *    call the message is "" exactly when the call did not fail (TRUCE_EOF
 *    from truce_reader_next is no failure; truce_store_schema_version
 *    fails with -1): read it before the next such call. A call that runs
 *    a callback of yours (truce_store_query, _map, _each_*, _audit)
 *    empties it again when it succeeds, whatever the callback's own calls
 *    left, and says so when the callback stops it with a status and no
 *    message. Calls that cannot fail (the _free, _count, _find, _info and
 *    _name functions, truce_ctx_set_warn) leave the message as it is.
 *    Warnings (truce_ctx_set_warn) are apart from it;
 *  - objects returned through "**out" are owned by the caller and freed with
 *    the matching _free; borrowed pointers are const;
 *  - one struct truce_ctx per thread; objects made with a ctx are used from
 *    that ctx's thread only. A prepared struct truce_agreements is no
 *    exception: its zones' prepared geometries keep state while they answer
 *    (GEOS 3.11), so threads that assess at once each load their own set
 *    (the stream's and the server's threads do); truce_whatif's threads
 *    test places against copies of their own. A struct truce_actors is
 *    read-only and may be shared.
 */
#ifndef TRUCE_H
#define TRUCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TRUCE_API __attribute__((visibility("default")))
#define TRUCE_VERSION "0.1.0"

/* ---------------------------------------------------------------- status */

/* The statuses, each once: X(ENUM, "words"). The enum and truce_strerror
 * derive from this list. */
#define TRUCE_STATUSES(X)                                                   \
    X(OK, "success")                                                        \
    X(ENOMEM, "out of memory")                                              \
    X(EIO, "input/output error")  /* a file could not be read or written */ \
    X(EPARSE, "malformed input")  /* errmsg names file, line and field */   \
    X(EGEOM, "invalid geometry")  /* invalid or unusable geometry */        \
    X(EDB, "store error")         /* the store failed */                    \
    X(EINVAL, "invalid value")    /* out of range or inconsistent */        \
    X(ENOTFOUND, "not found")     /* no such record */                      \
    X(EOF, "end of input")        /* a reader is done (not an error) */     \
    X(ECONFLICT, "out of order")  /* a step out of order (a review) */      \
    X(EAUTH, "not authorised")    /* an unknown or wrong token */         \
    X(EREADONLY, "read-only store") /* writes refused: a hot standby */

typedef enum truce_status {
#define TRUCE_X_(e, w) TRUCE_##e,
    TRUCE_STATUSES(TRUCE_X_)
#undef TRUCE_X_
} truce_status;

/* Names a status ("out of memory", ...). Never NULL, static storage. */
TRUCE_API const char *truce_strerror(truce_status st);

/* ------------------------------------------------------------------- ctx */

/* Per-thread context: the GEOS handle, the last error message and the
 * warning callback. Not shared between threads. */
struct truce_ctx;

/* Receives a warning (e.g. a repaired ring); msg is valid during the call. */
typedef void (*truce_warn_fn)(void *ud, const char *msg);

/* Makes a context. *out is freed with truce_ctx_free. */
TRUCE_API truce_status truce_ctx_new(struct truce_ctx **out);
/* Frees a context; NULL is a no-op. */
TRUCE_API void truce_ctx_free(struct truce_ctx *ctx);
/* The message of the failure of the last call made with this context, ""
 * when it did not fail (the ctx contract above). Valid until the next call
 * that takes the context. */
TRUCE_API const char *truce_ctx_errmsg(const struct truce_ctx *ctx);
/* The line (1-based) of the input that the last failure's message refers
 * to, or 0 when it names none. Messages that have one leave out the file
 * and the line: the caller, who knows the file, puts them in front. */
TRUCE_API long truce_ctx_errline(const struct truce_ctx *ctx);
/* Installs the warning callback (NULL drops warnings). */
TRUCE_API void truce_ctx_set_warn(struct truce_ctx *ctx, truce_warn_fn fn,
                                  void *ud);
/* How far a long call has gone: `done` of its records so far. */
typedef void (*truce_progress_fn)(void *ud, long done);
/* Installs the progress callback (NULL: none), called by
 * truce_store_assess_pending after each batch; it must not call back. */
TRUCE_API void truce_ctx_set_progress(struct truce_ctx *ctx,
                                      truce_progress_fn fn, void *ud);

/* ------------------------------------------------------------------- buf */

/* A growable NUL-terminated string; buf is never NULL after _init. max is a
 * hard cap on len (0: no cap); appending past it fails with TRUCE_ENOMEM. */
struct truce_buf {
    char *buf;    /* the text, always NUL-terminated */
    size_t len;   /* bytes used, without the NUL */
    size_t alloc; /* bytes allocated (0 while buf points at a static "") */
    size_t max;   /* cap on len, 0 for none */
};

TRUCE_API void truce_buf_init(struct truce_buf *b, size_t max);
TRUCE_API void truce_buf_release(struct truce_buf *b);
TRUCE_API void truce_buf_reset(struct truce_buf *b);
TRUCE_API truce_status truce_buf_add(struct truce_buf *b, const char *s,
                                     size_t n);
TRUCE_API truce_status truce_buf_adds(struct truce_buf *b, const char *s);
TRUCE_API truce_status truce_buf_addf(struct truce_buf *b, const char *fmt,
                                      ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string, quoted and escaped; NULL appends null. */
TRUCE_API truce_status truce_buf_add_json(struct truce_buf *b, const char *s);
/* Hands the text to the caller (free() it) and re-initialises b. */
TRUCE_API char *truce_buf_detach(struct truce_buf *b);

/* ------------------------------------------------------------------ time */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
TRUCE_API int64_t truce_days_from_civil(int y, int m, int d);
TRUCE_API void truce_civil_from_days(int64_t days, int *y, int *m, int *d);

/* A parsed date or date-time. secs counts seconds since 1970-01-01 00:00 of
 * the written clock: UTC when has_offset (the offset already applied),
 * local civil time otherwise. */
struct truce_when {
    int64_t secs;
    bool has_time;   /* a time of day was written */
    bool has_offset; /* an offset or Z was written: secs is UTC */
};

/* Parses "2016-05-04", "2016-05-04T00:01[:SS]", the same with "Z" or
 * "+03:00", a space instead of T, and "04 May 2016" / "4 May 2016". */
TRUCE_API truce_status truce_parse_when(const char *s, size_t n,
                                        struct truce_when *out);

/* The order of day and month in dates written with slashes. */
enum truce_date_order {
    TRUCE_DATES_UNKNOWN = 0,
    TRUCE_DATES_DMY,       /* 14/08/2020 */
    TRUCE_DATES_MDY        /* 8/14/2020 */
};

/* Parses the day of a date as data files and spreadsheets write it, the
 * time of day (if any) read and dropped: what truce_parse_when reads (the
 * date as written, before any offset), "9-May-20", "09-May-2020",
 * "dd/mm/yyyy" and "m/d/yyyy" (two-digit years too) with an optional
 * "hh:mm[:ss]" and "AM"/"PM", "yyyymmdd", and Excel serial numbers (days
 * since 1899-12-30, with a fraction for the time). Slashed dates are read
 * in `order`; *hint (may be NULL) gets the order the text alone allows:
 * DMY when its first number is over 12, MDY when its second is, else
 * UNKNOWN. A slashed date that could be read either way, with order
 * UNKNOWN, is TRUCE_EINVAL; anything else unreadable, TRUCE_EPARSE. Years
 * 1000 to 9999. */
TRUCE_API truce_status truce_parse_day(const char *s, size_t n,
                                       enum truce_date_order order,
                                       int64_t *days,
                                       enum truce_date_order *hint);

/* Parses "W,S,E,N" in degrees (west <= east, south <= north, within
 * -180..180 and -90..90). */
TRUCE_API bool truce_parse_bbox(const char *s, double out[4]);

/* Formats UTC seconds as "2016-05-03T21:00:00Z" (out: 21+ bytes). */
TRUCE_API void truce_format_utc(int64_t secs, char out[32]);
/* Formats days as "2016-05-04" (out: 11+ bytes). */
TRUCE_API void truce_format_day(int64_t days, char out[16]);

/* An IANA time zone read from the system tz database, as an immutable table
 * of offset changes; safe to share between threads once loaded. */
struct truce_tz;

/* Loads the zone NAME ("Asia/Damascus") from its TZif file under
 * /usr/share/zoneinfo, changing no process state (no TZ); fails with
 * TRUCE_EINVAL when the tz database has no such zone, TRUCE_EPARSE when its
 * file is damaged, TRUCE_EIO when it cannot be read. *out is freed with
 * truce_tz_free. */
TRUCE_API truce_status truce_tz_load(struct truce_ctx *ctx, const char *name,
                                     struct truce_tz **out);
TRUCE_API void truce_tz_free(struct truce_tz *tz);
TRUCE_API const char *truce_tz_name(const struct truce_tz *tz);
/* UTC offset in seconds in force at UTC instant t. */
TRUCE_API int32_t truce_tz_offset(const struct truce_tz *tz, int64_t t);
/* UTC instant of local civil time lt. A local time skipped by a change
 * (spring forward) maps to the instant of the change; a repeated one (fall
 * back) to its first occurrence. */
TRUCE_API int64_t truce_tz_to_utc(const struct truce_tz *tz, int64_t lt);

/* ------------------------------------------------------------ categories */

/* The canonical categories, each once: X(ENUM, name, "words"). The enum,
 * the names, their parsing, every list of them in a message and the
 * words the dashboard shows (GET /api/vocabulary) derive from this list.
 * OTHER is not violent (GDELT roots outside 18-20). */
#define TRUCE_CATEGORIES(X)                                                 \
    X(BATTLE, battle, "battle")                                             \
    X(REMOTE_VIOLENCE, remote_violence, "remote violence")                  \
    X(VAC, violence_against_civilians, "violence against civilians")        \
    X(PROTEST, protest, "protest")                                          \
    X(RIOT, riot, "riot")                                                   \
    X(STRATEGIC, strategic_development, "strategic development")            \
    X(ARMED_VIOLENCE, armed_violence, "armed violence")                     \
    X(OTHER, other, "other")

enum truce_category {
    TRUCE_CAT_NONE = 0,
#define TRUCE_X_(e, s, w) TRUCE_CAT_##e,
    TRUCE_CATEGORIES(TRUCE_X_)
#undef TRUCE_X_
    TRUCE_CAT_COUNT
};

/* A list's names for messages: TRUCE_NAME_LIST(TRUCE_CATEGORIES) is
 * "battle, remote_violence, ..., other" (a string, from the list). */
#define TRUCE_X_LISTED_(e, s, w) ", " #s
#define TRUCE_NAME_LIST(LIST) (&(LIST(TRUCE_X_LISTED_))[2])

TRUCE_API const char *truce_category_name(enum truce_category c);
/* TRUCE_CAT_NONE when the name is not a canonical category. */
TRUCE_API enum truce_category truce_category_parse(const char *s, size_t n);
/* True for battle, remote_violence, violence_against_civilians and
 * armed_violence. */
TRUCE_API bool truce_category_violent(enum truce_category c);

/* ----------------------------------------------------------------- event */

enum truce_time_kind {
    TRUCE_TIME_UTC = 1,   /* t0, t1: UTC seconds; t0 == t1 is an instant */
    TRUCE_TIME_LOCAL = 2  /* t0, t1: local civil seconds, read in the time
                             zone of the agreement being tested */
};

/* The largest uncertainty radius an event may have: about half the Earth's
 * circumference (a larger one is a mistake; unknown is < 0). */
#define TRUCE_MAX_RADIUS_KM 20000.0

/* One reported incident. Strings are owned by the event (malloc'd, freed by
 * truce_event_release); NULL means absent. */
struct truce_event {
    char *id;        /* "source:source_id" */
    char *source;    /* "acled", "ucdp", "gdelt", "field", "news", ... */
    char *source_id;
    enum truce_time_kind time_kind;
    int64_t t0, t1;  /* [t0, t1) (an instant when equal) */
    bool date_only;  /* local whole days: output as date_start/date_end */
    double lat, lon;
    double radius_km; /* uncertainty radius; < 0 is unknown (infinite) */
    enum truce_category category;
    char *subcategory;   /* the source's own sub-type */
    bool directed;       /* actor1 perpetrates against actor2 */
    char *actor1, *actor2; /* as reported; ';' joins an ACLED assoc actor */
    int64_t fatalities;  /* best estimate; -1 unknown */
    int64_t fatalities_low, fatalities_high, civilian_fatalities; /* -1 */
    bool civilian_targeting;
    bool protected_site; /* a hospital, medical facility or school was hit */
    char *location, *admin1, *notes;
    char *inter1, *inter2; /* the source's types of actor1 and actor2 as
                              written (ACLED's inter codes); NULL if none */
    char *area;          /* the area the source places the event in when it
                            gives no better place: "fips:SY" (GDELT),
                            "name:Syria" (UCDP), "iso:SY", "iso3:SYR";
                            NULL for a point */
    char *raw;           /* the original record as read */
};

TRUCE_API void truce_event_init(struct truce_event *ev);
TRUCE_API void truce_event_release(struct truce_event *ev);
/* Sets protected_site from the sub-type and notes (hospital, clinic, medical,
 * school, ...). Called by every reader. */
TRUCE_API void truce_event_flag_protected(struct truce_event *ev);

/* ---------------------------------------------------------------- actors */

enum truce_actor_kind {
    TRUCE_ACTOR_STATE = 1,
    TRUCE_ACTOR_REBEL,
    TRUCE_ACTOR_EXTREMIST,
    TRUCE_ACTOR_MILITIA,
    TRUCE_ACTOR_EXTERNAL,
    TRUCE_ACTOR_CIVILIANS,
    TRUCE_ACTOR_UNKNOWN
};

/* The actor dictionary: ids, names, kinds and the aliases that map many
 * spellings to one id. Read-only once made. */
struct truce_actors;

/* Parses a dictionary ({"actors": [...]}). fname names the input in
 * errors. *out is freed with truce_actors_free. */
TRUCE_API truce_status truce_actors_parse(struct truce_ctx *ctx,
                                          const char *text, size_t n,
                                          const char *fname,
                                          struct truce_actors **out);
/* An empty dictionary (every name resolves to unknown or civilians). */
TRUCE_API truce_status truce_actors_new_empty(struct truce_actors **out);
TRUCE_API void truce_actors_free(struct truce_actors *a);
TRUCE_API size_t truce_actors_count(const struct truce_actors *a);
/* Index of the actor with this id, or -1. */
TRUCE_API long truce_actors_find_id(const struct truce_actors *a,
                                    const char *id);
TRUCE_API const char *truce_actors_id(const struct truce_actors *a, long i);
TRUCE_API const char *truce_actors_name(const struct truce_actors *a, long i);

/* Normalises a name for matching (DESIGN section 4): NFKC, case-folded,
 * parenthesised text removed, non-alphanumeric runs made one space, trimmed.
 * Appends to out. TRUCE_EPARSE on invalid UTF-8. */
TRUCE_API truce_status truce_normalise(const char *s, size_t n,
                                       struct truce_buf *out);

/* One member of a resolved actor field. */
struct truce_actor_ref {
    long actor;   /* dictionary index; -1 unknown; -2 civilians (built in) */
    const char *text; /* the member's text as written (borrowed) */
    size_t len;       /* its length (text is not NUL-terminated) */
};

/* ------------------------------------------------------------ agreements */

/* The verdicts, weakest first (the overall verdict is the strongest),
 * each once: X(ENUM, name). NOT_COVERED is overall only: no agreement
 * applies. */
#define TRUCE_VERDICTS(X)                                                   \
    X(NOT_COVERED, not_covered, "not covered")                              \
    X(NOT_APPLICABLE, not_applicable, "not applicable")                     \
    X(PERMITTED, permitted, "permitted")                                    \
    X(UNDETERMINED, undetermined, "undetermined")                           \
    X(VIOLATION, violation, "violation")

enum truce_verdict {
#define TRUCE_X_(e, s, w) TRUCE_V_##e,
    TRUCE_VERDICTS(TRUCE_X_)
#undef TRUCE_X_
};

/* The reasons of a verdict, each once: X(ENUM, name, "words"). */
#define TRUCE_REASONS(X)                                                    \
    X(BREACH, breach, "a prohibited act by a bound side")                   \
    X(NOT_IN_FORCE, not_in_force, "the agreement was not in force then")    \
    X(OUTSIDE_ZONE, outside_zone, "outside the agreement\u2019s zones")     \
    X(ACTIVITY_PERMITTED, activity_permitted,                               \
      "the activity is not prohibited")                                     \
    X(ACTOR_EXCLUDED, actor_excluded, "an excluded group was involved")     \
    X(TARGET_EXCLUDED, target_excluded, "the target is an excluded group")  \
    X(ACTOR_NOT_PARTY, actor_not_party, "no party to the agreement acted")  \
    X(ACTOR_UNKNOWN, actor_unknown, "the perpetrator is unknown")           \
    X(TIME_IMPRECISE, time_imprecise, "the date is too imprecise to be sure") \
    X(LOCATION_IMPRECISE, location_imprecise,                               \
      "the place is too imprecise to be sure")

enum truce_reason {
    TRUCE_R_NONE = 0,
#define TRUCE_X_(e, s, w) TRUCE_R_##e,
    TRUCE_REASONS(TRUCE_X_)
#undef TRUCE_X_
    TRUCE_R_COUNT
};

TRUCE_API const char *truce_verdict_name(enum truce_verdict v);
/* The words of a verdict, a reason or a category for people ("not
 * covered", "the agreement was not in force then"); "" when out of range. */
TRUCE_API const char *truce_verdict_words(enum truce_verdict v);
TRUCE_API const char *truce_reason_words(enum truce_reason r);
TRUCE_API const char *truce_category_words(enum truce_category c);
/* -1 when s names no verdict. */
TRUCE_API int truce_verdict_parse(const char *s);
TRUCE_API const char *truce_reason_name(enum truce_reason r);
/* TRUCE_R_NONE when s names no reason. */
TRUCE_API enum truce_reason truce_reason_parse(const char *s);

/* A set of agreements, compiled: time zones loaded, zones read, unioned and
 * prepared, a spatial index over them, members resolved against an actor
 * dictionary. Made from agreement JSON texts; read-only once prepared. */
struct truce_agreements;

TRUCE_API truce_status truce_agreements_new(struct truce_ctx *ctx,
                                            struct truce_agreements **out);
TRUCE_API void truce_agreements_free(struct truce_agreements *set);

/* Parses an agreement file (one object or an array). Zone files are read
 * relative to base_dir; fname names the input in errors. Each agreement is
 * resolved (extends applied against agreements already in the set or
 * earlier in the file; zones inlined as GeoJSON geometry) and added,
 * replacing one of the same id. Invalid rings are repaired with a warning
 * naming the feature, or rejected when strict. */
TRUCE_API truce_status truce_agreements_parse(struct truce_ctx *ctx,
                                              struct truce_agreements *set,
                                              const char *text, size_t n,
                                              const char *fname,
                                              const char *base_dir,
                                              bool strict);

/* Lets zone files lie in dir too (and below it). Without it, a zone
 * `file` must lie in base_dir, the agreement file's folder: an agreement
 * file names no file elsewhere on the machine. */
TRUCE_API truce_status truce_agreements_allow_outside(
    struct truce_ctx *ctx, struct truce_agreements *set, const char *dir);

/* Gives the set the shape (GeoJSON text) of a country named name (of
 * NULL: a boundaries set named as the country) or of an admin unit named
 * name (a feature of the boundaries set of): events placed only at that
 * country or unit are tested against the zones as this area, a country's
 * shape before the built-in table's box. */
TRUCE_API truce_status truce_agreements_add_area(struct truce_ctx *ctx,
                                                 struct truce_agreements *set,
                                                 const char *name,
                                                 const char *of,
                                                 const char *geojson);

/* Resolves side members against the dictionary (borrowed until the set is
 * freed or prepared again) and builds the spatial index. Must be called
 * after the last parse and before truce_assess_event. Unknown member ids
 * are reported as warnings. */
TRUCE_API truce_status truce_agreements_prepare(struct truce_ctx *ctx,
                                                struct truce_agreements *set,
                                                const struct truce_actors *a);

TRUCE_API size_t truce_agreements_count(const struct truce_agreements *set);
/* After prepare: how many side members of all the agreements the
 * dictionary knows (*known) of how many (*total). */
TRUCE_API void truce_agreements_member_counts(
    const struct truce_agreements *set, size_t *known, size_t *total);
/* -1 when not found. */
TRUCE_API long truce_agreements_find(const struct truce_agreements *set,
                                     const char *id);
/* The first agreement whose zones hold the point, -1 when none does. */
TRUCE_API long truce_agreements_containing(struct truce_ctx *ctx,
                                           const struct truce_agreements *set,
                                           double lat, double lon);

/* Read-only facts about agreement i. */
struct truce_agreement_info {
    const char *id, *name, *kind, *extends, *timezone, *source;
    size_t n_zones, n_intervals, n_sides;
    double area_km2;          /* geodesic area of the union of its zones */
    int64_t first_in_force;   /* UTC start of its first interval */
    int64_t first_local;      /* the same in local civil seconds */
    const char *json;         /* the resolved agreement, zones inlined */
};
TRUCE_API void truce_agreements_info(const struct truce_agreements *set,
                                     size_t i,
                                     struct truce_agreement_info *out);

/* ------------------------------------------------------------ assessment */

#define TRUCE_MAX_SIDES 8

/* The verdict of one event under one agreement. The strings point into the
 * agreement set (borrowed); the explanation is owned. */
struct truce_assessment {
    size_t agreement;          /* index in the set */
    const char *agreement_id;
    enum truce_verdict verdict;
    enum truce_reason reason;
    const char *side;          /* the side attributed, or NULL */
    size_t n_sides;            /* sides involved in a breach */
    const char *sides[TRUCE_MAX_SIDES];
    size_t n_guarantors;
    const char *guarantors[TRUCE_MAX_SIDES];
    struct truce_buf explanation;
};

TRUCE_API void truce_assessment_init(struct truce_assessment *as);
TRUCE_API void truce_assessment_release(struct truce_assessment *as);

enum truce_assess_flags {
    TRUCE_ASSESS_NO_EXPLAIN = 1 << 0, /* skip the explanation text */
    TRUCE_ASSESS_IGNORE_TIME = 1 << 1, /* skip step 1 (trend's potential
                                          violations) */
    TRUCE_ASSESS_IGNORE_PLACE = 1 << 2 /* skip step 2 (a control region
                                          outside the agreement's zones) */
};

/* Assesses ev under agreement i of a prepared set (DESIGN section 5). */
TRUCE_API truce_status truce_assess_one(struct truce_ctx *ctx,
                                        const struct truce_agreements *set,
                                        const struct truce_actors *actors,
                                        const struct truce_event *ev,
                                        size_t i, unsigned flags,
                                        struct truce_assessment *out);

/* Assesses ev under every agreement of the set: out[k] for agreement k
 * (out holds truce_agreements_count entries, each _init'ed by the caller).
 * *overall gets the strongest verdict. */
TRUCE_API truce_status truce_assess_event(struct truce_ctx *ctx,
                                          const struct truce_agreements *set,
                                          const struct truce_actors *actors,
                                          const struct truce_event *ev,
                                          unsigned flags,
                                          struct truce_assessment *out,
                                          enum truce_verdict *overall);

/* Fills in the explanations of stored assessments (the store keeps
 * verdicts, not their wording): ev is assessed again under each stored
 * assessment's agreement and the words are kept when the verdict, reason
 * and side agree with the stored ones. Otherwise (the agreement is no
 * longer loaded, or the store predates the model) the explanation says so.
 */
TRUCE_API truce_status truce_explain_stored(struct truce_ctx *ctx,
                                            const struct truce_agreements *set,
                                            const struct truce_actors *actors,
                                            const struct truce_event *ev,
                                            struct truce_assessment *as,
                                            size_t n);

/* --------------------------------------------------------------- readers */

enum truce_format {
    TRUCE_FMT_AUTO = 0,
    TRUCE_FMT_ACLED,
    TRUCE_FMT_UCDP,
    TRUCE_FMT_GDELT,
    TRUCE_FMT_JSONL
};

TRUCE_API const char *truce_format_name(enum truce_format f);
/* TRUCE_FMT_AUTO when s names none. */
TRUCE_API enum truce_format truce_format_parse(const char *s);

/* A streaming event reader over a file or a memory buffer. */
struct truce_reader;

/* Opens path (fmt AUTO sniffs the first line). *out freed with
 * truce_reader_free. */
TRUCE_API truce_status truce_reader_open(struct truce_ctx *ctx,
                                         const char *path,
                                         enum truce_format fmt,
                                         struct truce_reader **out);
/* Reads from data[0..n) (borrowed for the reader's life); name is used in
 * messages. */
TRUCE_API truce_status truce_reader_open_mem(struct truce_ctx *ctx,
                                             const char *data, size_t n,
                                             const char *name,
                                             enum truce_format fmt,
                                             struct truce_reader **out);
TRUCE_API void truce_reader_free(struct truce_reader *r);
/* The format in use (after sniffing). */
TRUCE_API enum truce_format truce_reader_format(const struct truce_reader *r);

/* Reads the next record into ev (released and refilled). TRUCE_OK: a
 * record; TRUCE_EOF: no more (not a failure: the message is empty);
 * TRUCE_EPARSE: a bad record, skipped, with the reason in truce_ctx_errmsg
 * and its line in truce_reader_line; the next call goes on after it.
 * TRUCE_EIO: the input failed; stop. */
TRUCE_API truce_status truce_reader_next(struct truce_reader *r,
                                         struct truce_event *ev);
/* The line (1-based) where the last record returned began; for a JSON
 * document of rows (ACLED's API), the row's number. */
TRUCE_API long truce_reader_line(const struct truce_reader *r);
/* Reads slashed dates in this order (call before the first record).
 * Without it, the first date that can be read only one way decides, and
 * the file is searched for one when a date could be either. */
TRUCE_API void truce_reader_set_date_order(struct truce_reader *r,
                                           enum truce_date_order order);
/* Records that were not UTF-8 and were read as Windows-1252 so far. */
TRUCE_API long truce_reader_recoded(const struct truce_reader *r);

/* ------------------------------------------------------------------ JSON */

/* Appends the event object of DESIGN section 6 to out. With assessments
 * (n may be 0), adds "verdict" (overall) and "assessments". review_json, if
 * not NULL, is a JSON object text added as "review". */
/* Appends the compact line of `assess --stream` (DESIGN section 12):
 * {"id", "date_start" and "date_end" or "time", "verdict" (overall),
 * "assessments": [{"agreement", "verdict", "reason", "side",
 * "guarantors"}]}, each assessment with its "explanation" when explained. */
TRUCE_API truce_status truce_assessed_to_json(
    const struct truce_event *ev, const struct truce_assessment *as,
    size_t n, enum truce_verdict overall, bool explained,
    struct truce_buf *out);

TRUCE_API truce_status truce_event_to_json(const struct truce_event *ev,
                                           const struct truce_assessment *as,
                                           size_t n, enum truce_verdict overall,
                                           bool with_verdict,
                                           const char *review_json,
                                           struct truce_buf *out);

/* Parses one JSON Lines event (a JSON object text). */
TRUCE_API truce_status truce_event_from_json(struct truce_ctx *ctx,
                                             const char *text, size_t n,
                                             struct truce_event *ev);

/* ------------------------------------------------------------- gazetteer */

/* A place of the gazetteer (DESIGN section 9). Strings are owned (freed by
 * truce_place_release); NULL when unknown. */
struct truce_place {
    char *id;          /* "geonames:170063", the file's id, or name@lat,lon */
    char *name;
    char *alternates;  /* other names, comma-separated */
    double lat, lon;
    double radius_km;  /* how far the place reaches: 0 for a point */
    char *country;     /* ISO 3166 alpha-2 as the file writes it */
    char *admin1;
    char *feature;     /* GeoNames "P.PPLA" (class.code) */
    int64_t population; /* -1 unknown */
    char *timezone;
};

TRUCE_API void truce_place_init(struct truce_place *p);
TRUCE_API void truce_place_release(struct truce_place *p);

/* The key a place name is found by, appended to out: case, compatibility
 * forms and marks folded, apostrophes and ayn/hamza signs dropped, other
 * non-letters one space ("Dar‘ā" -> "dara", "Deir ez-Zor" -> "deir ez
 * zor"). TRUCE_EPARSE when s is not UTF-8. */
TRUCE_API truce_status truce_place_key(const char *s, size_t n,
                                       struct truce_buf *out);

/* A reader of a gazetteer file: a GeoNames dump (tab-separated, 19
 * columns, no header) or CSV (or TSV) with a header naming at least name,
 * latitude and longitude (geonameid, asciiname, alternatenames,
 * countrycode, admin1, population, timezone, feature_class, feature_code
 * are read when there). country (NULL: all) keeps only the places of that
 * two-letter code. */
struct truce_gazetteer_reader;
TRUCE_API truce_status truce_gazetteer_reader_open(
    struct truce_ctx *ctx, const char *path, const char *country,
    struct truce_gazetteer_reader **out);
/* The same over n bytes of memory (borrowed until the reader is freed);
 * name names them in messages. */
TRUCE_API truce_status truce_gazetteer_reader_open_mem(
    struct truce_ctx *ctx, const char *data, size_t n, const char *name,
    const char *country, struct truce_gazetteer_reader **out);
/* The next place into p (released and refilled): TRUCE_OK, TRUCE_EOF,
 * TRUCE_EPARSE (a bad row, skipped: the message and
 * truce_gazetteer_reader_line say which), TRUCE_EIO (stop). */
TRUCE_API truce_status truce_gazetteer_reader_next(
    struct truce_gazetteer_reader *r, struct truce_place *p);
TRUCE_API long truce_gazetteer_reader_line(
    const struct truce_gazetteer_reader *r);
/* Rows left out by the country filter so far. */
TRUCE_API long truce_gazetteer_reader_filtered(
    const struct truce_gazetteer_reader *r);
TRUCE_API void truce_gazetteer_reader_free(struct truce_gazetteer_reader *r);

/* The places in memory, looked up by any of their names' keys, with the
 * built-in transliteration variants (Palmyra / Tadmur, Deir ez-Zor /
 * Dayr az Zawr, ...) and a leading Arabic article optional. Add places,
 * then finish once before finding. Immutable after finish: safe to share
 * between threads. */
struct truce_gazetteer;
TRUCE_API truce_status truce_gazetteer_new(struct truce_ctx *ctx,
                                           struct truce_gazetteer **out);
/* Adds a copy of p (it needs a name and a position). */
TRUCE_API truce_status truce_gazetteer_add(struct truce_ctx *ctx,
                                           struct truce_gazetteer *gz,
                                           const struct truce_place *p);
TRUCE_API truce_status truce_gazetteer_finish(struct truce_ctx *ctx,
                                              struct truce_gazetteer *gz);
TRUCE_API void truce_gazetteer_free(struct truce_gazetteer *gz);
TRUCE_API size_t truce_gazetteer_count(const struct truce_gazetteer *gz);
/* A gazetteer of the places of a file (truce_gazetteer_reader_open's
 * formats), finished: its lines that are not places are skipped, their
 * number in *rejected (may be NULL). *out is freed with
 * truce_gazetteer_free. For tools and tests; truce reads the store's. */
TRUCE_API truce_status truce_gazetteer_from_file(struct truce_ctx *ctx,
                                                 const char *path,
                                                 struct truce_gazetteer **out,
                                                 long *rejected);
TRUCE_API const struct truce_place *
truce_gazetteer_place(const struct truce_gazetteer *gz, size_t i);
/* The places a name (n bytes) names, the most populous first, into out
 * (up to max, borrowed); returns how many there are (up to 64). */
TRUCE_API size_t truce_gazetteer_find(const struct truce_gazetteer *gz,
                                      const char *name, size_t n,
                                      const struct truce_place **out,
                                      size_t max);

/* --------------------------------------------------------------- extract */

/* How an article is read: published is its local day (days since
 * 1970-01-01), timezone its zone's name, source a short name for ids
 * ("seed"), file the name in the output (may be NULL). */
struct truce_extract_opts {
    int64_t published;
    const char *timezone;   /* NULL: the zone of the first of agreements
                               whose zones hold the article's first place,
                               else "UTC" (DESIGN section 9) */
    const char *source;
    const char *file;
    const struct truce_agreements *agreements; /* may be NULL */
};

/* The incidents and agreement statements of an article (DESIGN section
 * 9) as the JSON document of `truce extract --format json`, each finding
 * with its sentence, its byte span and, under "evidence", the words behind
 * each field; *out is malloc'd. gz (may be NULL) places the incidents. */
TRUCE_API truce_status truce_extract(struct truce_ctx *ctx, const char *text,
                                     size_t n,
                                     const struct truce_extract_opts *o,
                                     const struct truce_gazetteer *gz,
                                     char **out);

/* The event an incident of truce_extract's document stands for: json (n
 * bytes) is one object of its "incidents", as truce_extract wrote it or as
 * an analyst edited it. The event has the incident's id ("news:SOURCE:
 * HASH:N"; source "news", source_id the rest), date_start and date_end,
 * the place's lat, lon, radius_km and name (as location), category,
 * subcategory, directed, actor1, actor2 and the fatalities (best, low,
 * high); its notes say "unverified, read from the news: " and the
 * sentence. ev (truce_event_init'ed by the caller) is released and
 * refilled; it owns its strings (truce_event_release). TRUCE_EPARSE or
 * TRUCE_EINVAL, the message naming the incident and the field, when it
 * is not JSON, has no news id, no place with lat and lon, or a field the
 * event shape refuses. Used by `truce extract --ingest` and `POST
 * /api/extract/incidents`. */
TRUCE_API truce_status truce_extract_incident_event(struct truce_ctx *ctx,
                                                    const char *json,
                                                    size_t n,
                                                    struct truce_event *ev);

/* ------------------------------------------------------------- incidents */

/* Which of n events report one incident (DESIGN section 15): rep[i] (n
 * entries, the caller's) gets the index of the representative of event
 * i's incident (rep[r] == r for a representative), *n_incidents their
 * number. Deterministic: the same events in any order give the same
 * incidents. actors (may be NULL: no actor is known) resolves the actors
 * the rule compares. */
TRUCE_API truce_status truce_link_events(struct truce_ctx *ctx,
                                         const struct truce_event *events,
                                         size_t n,
                                         const struct truce_actors *actors,
                                         size_t *rep, size_t *n_incidents);

/* An analyst's correction of the linking, by event id: a split keeps the
 * two events out of one incident (the automatic linking respects it), a
 * merge puts their incidents together. Rules naming an event not among
 * those linked are left aside. */
enum truce_link_rule_kind { TRUCE_LINK_SPLIT = 1, TRUCE_LINK_MERGE };
struct truce_link_rule {
    enum truce_link_rule_kind kind;
    const char *a, *b;
};

/* truce_link_events under the analysts' rules (n_rules of them): an event
 * joins no incident holding one it is split from; after the linking the
 * incidents of each merge's events are one, its representative the best
 * member (radius, interval, curated first, then the order of precision). */
TRUCE_API truce_status truce_link_events_ruled(
    struct truce_ctx *ctx, const struct truce_event *events, size_t n,
    const struct truce_actors *actors, const struct truce_link_rule *rules,
    size_t n_rules, size_t *rep, size_t *n_incidents);

/* How two events meet the rule of DESIGN section 15, part by part. */
struct truce_link_why {
    bool meets;            /* all of the parts below */
    bool time_ok, place_ok, categories_ok, actors_ok, sources_ok;
    int64_t gap;           /* seconds between the intervals (0: overlap) */
    double km;             /* between the points */
    double reach_km;       /* r1 + r2 + 2; -1 when a radius is unknown */
    long shared_actor;     /* a known actor both name (dictionary index), -1 */
};

/* Do a and b meet the linking rule (the curated sets included)? *why (may
 * be NULL) gets each part. */
TRUCE_API bool truce_link_pair(const struct truce_event *a,
                               const struct truce_event *b,
                               const struct truce_actors *actors,
                               struct truce_link_why *why);

/* Appends to out why a and b were linked (or what keeps them apart): "the
 * times overlap, 1.3 km apart, within 1 + 25 + 2 km, both remote_violence,
 * both name Syrian Arab Army". */
TRUCE_API truce_status truce_link_describe(struct truce_ctx *ctx,
                                           const struct truce_event *a,
                                           const struct truce_event *b,
                                           const struct truce_actors *actors,
                                           struct truce_buf *out);

/* ----------------------------------------------------------------- store */

/* The store: events, their assessments, agreements and the actor
 * dictionary. One connection, used from one thread. The interface is kept
 * narrow so that another backend (PostgreSQL) can follow. */
struct truce_store;

/* Opens a store that exists and migrates it to the current schema;
 * TRUCE_ENOTFOUND when there is none at path (a mistyped path makes no
 * empty store). */
TRUCE_API truce_status truce_store_open(struct truce_ctx *ctx,
                                        const char *path,
                                        struct truce_store **out);
/* The same, making the store when there is none (truce init). */
TRUCE_API truce_status truce_store_create(struct truce_ctx *ctx,
                                          const char *path,
                                          struct truce_store **out);
TRUCE_API void truce_store_close(struct truce_store *st);
TRUCE_API int truce_store_schema_version(struct truce_store *st);

TRUCE_API truce_status truce_store_begin(struct truce_store *st);
TRUCE_API truce_status truce_store_commit(struct truce_store *st);
TRUCE_API truce_status truce_store_rollback(struct truce_store *st);

enum truce_put_result {
    TRUCE_PUT_INSERTED = 1,
    TRUCE_PUT_UPDATED,
    TRUCE_PUT_UNCHANGED
};

/* Stores ev by id: new, changed (updated and marked for re-assessment) or
 * unchanged, in *out. *key (may be NULL) gets the store's key of the event
 * (struct truce_stored), new or kept, for truce_store_put_assessments in
 * the same transaction. */
TRUCE_API truce_status truce_store_put_event(struct truce_store *st,
                                             const struct truce_event *ev,
                                             enum truce_put_result *out,
                                             int64_t *key);

/* Stores a place of the gazetteer by id: new, changed or unchanged. */
TRUCE_API truce_status truce_store_put_place(struct truce_store *st,
                                             const struct truce_place *p,
                                             enum truce_put_result *out);
/* Calls fn for each stored place, in id order (p is borrowed for the call). */
typedef truce_status (*truce_place_fn)(void *ud, const struct truce_place *p);
TRUCE_API truce_status truce_store_each_place(struct truce_store *st,
                                              truce_place_fn fn, void *ud);
/* A counter that moves whenever a place or a boundaries set is stored
 * or changed (0 before the first), so that a long-lived reader (a server
 * worker) knows when to make its gazetteer again. */
TRUCE_API truce_status truce_store_places_version(struct truce_store *st,
                                                  int64_t *out);
/* The stored places and the boundaries' named features (a feature's id,
 * else its "name" property: its centroid, and radius_km that covers it;
 * feature "boundary") as a gazetteer, finished. */
TRUCE_API truce_status truce_store_gazetteer(struct truce_ctx *ctx,
                                             struct truce_store *st,
                                             struct truce_gazetteer **out);

/* Stores the actor dictionary text; when it differs from the stored one,
 * every event is marked for re-assessment. *changed may be NULL. */
TRUCE_API truce_status truce_store_put_actors(struct truce_store *st,
                                              const char *json, bool *changed);
/* The stored dictionary text (malloc'd, caller frees), or NULL if none. */
TRUCE_API truce_status truce_store_get_actors(struct truce_store *st,
                                              char **out);

/* Stores a resolved agreement; when new or changed, marks every event for
 * re-assessment. *changed may be NULL. */
TRUCE_API truce_status truce_store_put_agreement(struct truce_store *st,
                                                 const char *id,
                                                 const char *json,
                                                 bool *changed);
/* Calls fn for each stored agreement text, in id order. */
typedef truce_status (*truce_text_fn)(void *ud, const char *id,
                                      const char *json);
TRUCE_API truce_status truce_store_each_agreement(struct truce_store *st,
                                                  truce_text_fn fn, void *ud);

/* The names in the stored events that resolve to no actor of the
 * dictionary: *out (malloc'd) gets {"actors": [{"name", "count",
 * "sources", "inter", "inter_counts"}]}, most events first: count is the
 * events that name it, sources the events' sources, inter the types the
 * sources give it (ACLED's inter codes; "side_a state-based" and the like
 * for UCDP) and inter_counts how often each. */
TRUCE_API truce_status truce_store_unmatched(struct truce_ctx *ctx,
                                             struct truce_store *st,
                                             const struct truce_actors *a,
                                             char **out);
/* A draft dictionary: the dictionary text (NULL: an empty one) with an
 * entry added for each group of unmatched names (from
 * truce_store_unmatched's text): spellings of one actor grouped (the same
 * name without parenthesised periods, ACLED's "ABBR: " or a unit), the
 * most frequent the name, the kind from the sources' types (ACLED's inter
 * 1 state, 2 rebel, 3 and 4 militia, 5 to 7 civilians, 8 external; UCDP's
 * sides), the id made from the name, "suggested": true. *out is
 * malloc'd. */
TRUCE_API truce_status truce_actors_suggest(struct truce_ctx *ctx,
                                            const char *dictionary,
                                            const char *unmatched,
                                            char **out);

/* Loads the stored actors and agreements, compiled and prepared. set may
 * be NULL; actors may be NULL only when set is (the set borrows them). */
TRUCE_API truce_status truce_store_load_model(struct truce_ctx *ctx,
                                              struct truce_store *st,
                                              struct truce_actors **actors,
                                              struct truce_agreements **set);

/* The stored model with a draft agreement file (text, n bytes, named
 * fname, its zone files relative to base_dir; NULL: zones inline only, a
 * zone file refused without looking for it) read over the stored
 * agreements: an agreement of the draft replaces the stored one of its id,
 * a new id is added, `extends` may name a stored one (truce whatif). */
TRUCE_API truce_status truce_store_load_draft(
    struct truce_ctx *ctx, struct truce_store *st, const char *text,
    size_t n, const char *fname, const char *base_dir,
    struct truce_actors **actors, struct truce_agreements **set);

/* What an event query selects. Zero-initialise, then set fields. */
struct truce_query {
    bool pending_only;     /* only events marked for (re-)assessment */
    const char *id;        /* one event */
    const int64_t *keys;   /* non-NULL: only the events of these keys */
    size_t n_keys;
    const char *agreement; /* with has_verdict: the verdict under it */
    bool has_verdict;      /* only events of verdict (overall, or under
                              agreement); unset: any verdict */
    enum truce_verdict verdict;
    bool has_from, has_to;
    int64_t from, to;      /* UTC seconds: event overlaps [from, to) */
    bool has_bbox;
    double bbox[4];        /* west, south, east, north */
    long limit;            /* <= 0: no limit */
    int64_t after_key;     /* paging: events with a larger key (> 0) */
    bool with_raw;         /* also return the original record (ev.raw) */
    bool no_assessments;   /* leave the stored assessments unread (and an
                              unreadable stored verdict unchecked) */
    const char *category;  /* a canonical category */
    const char *side;      /* events with a violation attributed to it */
    bool unlinked_only;    /* only events not linked into an incident yet */
    int64_t incident;      /* > 0: the members of the incident whose
                              representative has this key */
    bool order_by_incident; /* in incident order (each incident's members
                               together), then key order */
    bool representatives_only; /* one event per incident: its
                                  representative (or an unlinked event) */
};

/* A stored event as returned by a query: the event, its key, and its stored
 * assessments (agreement id, verdict, reason, side, sides, guarantors; the
 * explanation is empty: truce_explain_stored words it). */
struct truce_stored {
    int64_t key; /* the store's key of the event: > 0, increasing in
                    insertion order, kept when the event is updated;
                    opaque otherwise (paging, truce_store_put_assessments) */
    int64_t incident; /* the key of its incident's representative (its
                         own when it is one); 0 while not linked */
    struct truce_event ev;
    enum truce_verdict overall;
    bool assessed;
    size_t n_as;
    struct truce_assessment *as; /* owned by the store until the callback
                                    returns */
};

typedef truce_status (*truce_event_fn)(void *ud, struct truce_stored *rec);

/* Streams the events the query selects, in key order, to fn; fn may
 * return non-OK to stop (that status is returned; TRUCE_EOF stops without
 * a failure). */
TRUCE_API truce_status truce_store_query(struct truce_store *st,
                                         const struct truce_query *q,
                                         truce_event_fn fn, void *ud);

/* The few fields a map draws, read straight from the store (the strings
 * are valid during the callback only): the fast path of an API that serves
 * many points. verdict is NULL until assessed; side is the first side a
 * violation is attributed to; verdicts is {agreement: verdict} as JSON
 * (the agreements that apply). */
struct truce_map_row {
    int64_t key; /* as truce_stored's */
    int64_t incident; /* as truce_stored's */
    const char *id, *category, *verdict, *location, *side, *verdicts;
    const char *review; /* the review state, "assessed:<outcome>", or NULL */
    enum truce_time_kind time_kind;
    int64_t t0, t1;
    bool date_only;
    double lat, lon, radius_km;
    int64_t fatalities; /* -1 unknown */
    int64_t reports;    /* with representatives_only, the reports of its
                           incident; else 1 */
};

typedef truce_status (*truce_map_fn)(void *ud,
                                     const struct truce_map_row *row);

/* Streams the map rows the query selects, in key order; fn stops it as
 * in truce_store_query. */
TRUCE_API truce_status truce_store_map(struct truce_store *st,
                                       const struct truce_query *q,
                                       truce_map_fn fn, void *ud);

/* ---------------------------------------------------------- map cells */

/* What a map shows of every stored event, in memory: place, time, the
 * verdict it is coloured by, category, sides, incident (src/cells.c).
 * Made from the store once and read by many threads; counts by grid cell
 * for a box, a zoom and the filters of /api/events in a few milliseconds
 * at a million events (docs/api.md, GET /api/cells). */
struct truce_cells;

/* Reads every stored event's map row into *out (free with
 * truce_cells_free). Its version is the store's events version read
 * first: the rows are at least that new (a write meanwhile moves the
 * version again, and a reader reads them again). */
TRUCE_API truce_status truce_cells_load(struct truce_ctx *ctx,
                                        struct truce_store *st,
                                        struct truce_cells **out);
TRUCE_API void truce_cells_free(struct truce_cells *c);
/* The store's events version it was read at; the events it holds. */
TRUCE_API int64_t truce_cells_version(const struct truce_cells *c);
TRUCE_API size_t truce_cells_size(const struct truce_cells *c);

/* The edge of a cell of a level: 0.1 degrees x 2^level (level -6..10),
 * cells numbered from (-180, -90) so that those of a level nest in the
 * next one's. */
TRUCE_API double truce_cells_degrees(int level);

/* One cell of an answer: its box, the mean place of its events, their
 * count and the count by the verdict they are coloured by (the overall
 * one, or the one under the query's agreement). */
struct truce_cell {
    double bbox[4];
    double lon, lat;
    long n;
    long by_verdict[TRUCE_V_VIOLATION + 1];
};

/* An answer: every event (or incident) the query selects is counted once
 * in total and by_verdict; it is either in a cell or, when the box holds
 * at most points_max (<= 100,000) of them or its cell at most `few`
 * (<= 16), one of the keys
 * (in key order: truce_query.keys gives them back from the store). */
struct truce_cells_answer {
    long total;
    long by_verdict[TRUCE_V_VIOLATION + 1];
    struct truce_cell *cells; /* owned: truce_cells_answer_release */
    size_t n_cells;
    int64_t *keys;            /* owned */
    size_t n_keys;
    int64_t *latest;          /* owned: the keys of the `latest` events
                                 that start last, the last first */
    size_t n_latest;
    int level;
};

/* Counts what q selects (its box, from, to, agreement, verdict, category,
 * side and representatives_only, with the meaning they have in
 * truce_store_map, except that an agreement without a verdict selects the
 * events it applies to, and a verdict without an agreement the colour
 * shown: pending events have none) in cells of the level. A box of more
 * than TRUCE_CELLS_MAX cells at that level is counted at a coarser level
 * (the answer's level). */
#define TRUCE_CELLS_MAX 16384
TRUCE_API truce_status truce_cells_count(struct truce_ctx *ctx,
                                         const struct truce_cells *c,
                                         const struct truce_query *q,
                                         int level, size_t few,
                                         size_t points_max,
                                         struct truce_cells_answer *out);

/* As truce_cells_count, with also the keys of the `latest` (<= 100)
 * selected events that start last (ties: the larger key first) in
 * out->latest: a map's list of the latest events of a view. */
TRUCE_API truce_status truce_cells_count_latest(
    struct truce_ctx *ctx, const struct truce_cells *c,
    const struct truce_query *q, int level, size_t few, size_t points_max,
    size_t latest, struct truce_cells_answer *out);
TRUCE_API void truce_cells_answer_release(struct truce_cells_answer *a);

/* The days of what q selects, for a date slider: from the first day of
 * the first event (its day as /api/events writes it) to the last of the
 * last, in at most max_steps steps of `step` days each, with the count
 * of events and of violations (the overall verdict) starting in each. */
struct truce_cells_days {
    int64_t first, last; /* days since 1970; n == 0: no event */
    long step;
    size_t n;
    long (*counts)[2];   /* owned: truce_cells_days_release */
};
TRUCE_API truce_status truce_cells_days(struct truce_ctx *ctx,
                                        const struct truce_cells *c,
                                        const struct truce_query *q,
                                        size_t max_steps,
                                        struct truce_cells_days *out);
TRUCE_API void truce_cells_days_release(struct truce_cells_days *d);

/* Counts of an assessment run, added to by truce_store_assess_pending. */
struct truce_assess_counts {
    long assessed;
    long by_verdict[TRUCE_V_VIOLATION + 1]; /* overall verdicts */
};

/* Assesses the pending events under the model (actors and set, loaded
 * when the store's model version was `version`), `batch` events a
 * transaction, all of them or up to max (max > 0); adds to *counts. A
 * batch is written only while the store's model version is still
 * `version`: else nothing of it is written and TRUCE_ECONFLICT says the
 * agreements or the dictionary changed (load the model again). */
TRUCE_API truce_status truce_store_assess_pending(
    struct truce_ctx *ctx, struct truce_store *st,
    const struct truce_actors *actors, const struct truce_agreements *set,
    int64_t version, size_t batch, long max,
    struct truce_assess_counts *counts);

/* Replaces the assessments of the event with this key and clears its
 * re-assessment mark. */
TRUCE_API truce_status truce_store_put_assessments(
    struct truce_store *st, int64_t key, const struct truce_assessment *as,
    size_t n, enum truce_verdict overall);

/* Marks every event for re-assessment. */
TRUCE_API truce_status truce_store_mark_all(struct truce_store *st);

/* The span of the stored events' times as stored (local civil seconds for
 * local times, UTC otherwise): the smallest start and the largest end; both
 * 0 when the store has no events. */
TRUCE_API truce_status truce_store_extent(struct truce_store *st,
                                          int64_t *t0, int64_t *t1);

/* An incident as DESIGN section 15 lists it, gathered from its members
 * as a query with order_by_incident streams them. Made by
 * truce_incident_new, owned by the caller (truce_incident_free). */
struct truce_incident;

TRUCE_API truce_status truce_incident_new(struct truce_ctx *ctx,
                                          struct truce_incident **out);
TRUCE_API void truce_incident_free(struct truce_incident *in);
/* Empties it for the next incident. */
TRUCE_API void truce_incident_reset(struct truce_incident *in);
/* Adds a member (its assessments read, the strings copied); *other is set,
 * and nothing added, when rec is of another incident than those added
 * since the reset: finish this one, reset, and add rec again. */
TRUCE_API truce_status truce_incident_add(struct truce_ctx *ctx,
                                          struct truce_incident *in,
                                          const struct truce_stored *rec,
                                          bool *other);
/* Its representative's key (0 while empty), its reports, its sources. */
TRUCE_API int64_t truce_incident_key(const struct truce_incident *in);
TRUCE_API size_t truce_incident_reports(const struct truce_incident *in);
TRUCE_API size_t truce_incident_sources(const struct truce_incident *in);
/* Appends the incident's object: {"id", "events", "sources",
 * "independent_sources", "reports_by_source", "representative",
 * "date_start", "date_end", "lat", "lon", "radius_km", "category",
 * "fatalities", "verdict", "fatalities_low", "fatalities_high",
 * "assessments" (the representative's), "corroboration" ("single": one
 * source; "corroborated": two or more, the same verdict under every
 * agreement; "contested": verdicts differ) and "contested" ([{"agreement",
 * "verdicts": {event id: {"verdict", "reason"}}}], where they differ)}. TRUCE_EINVAL
 * when it has no members or none was its representative. */
TRUCE_API truce_status truce_incident_to_json(struct truce_ctx *ctx,
                                              const struct truce_incident *in,
                                              struct truce_buf *out);
/* Appends "3 sources: acled, news ×2". */
TRUCE_API truce_status truce_incident_sources_words(
    struct truce_ctx *ctx, const struct truce_incident *in,
    struct truce_buf *out);

/* What the analytics (trend, coverage, report) count, each once:
 * X(ENUM, name, "words"). */
#define TRUCE_COUNTS(X)                                                     \
    X(AUTO, auto, "incidents when more than one source is loaded, else "   \
                  "events")                                                 \
    X(EVENTS, events, "every stored report")                                \
    X(INCIDENTS, incidents, "each incident once, as its representative")

enum truce_count {
#define TRUCE_X_(e, s, w) TRUCE_COUNT_##e,
    TRUCE_COUNTS(TRUCE_X_)
#undef TRUCE_X_
};

TRUCE_API const char *truce_count_name(enum truce_count c);
/* The count of this name, -1 for none. */
TRUCE_API int truce_count_parse(const char *s);

/* What the analytics read from this store handle count (TRUCE_COUNT_AUTO
 * when never set); the handle's own setting, not the store's. */
TRUCE_API void truce_store_set_count(struct truce_store *st,
                                     enum truce_count count);
/* What the handle's setting comes to now: TRUCE_COUNT_INCIDENTS for
 * AUTO when the stored events come from more than one source. */
TRUCE_API truce_status truce_store_counting(struct truce_store *st,
                                            enum truce_count *out);

/* Appends the incident of representative key: {"id", "representative",
 * "corroboration", "contested", "reports_by_source", "reports": [{"id",
 * "source", "representative", "why"}]}, why saying how each other report
 * meets the representative (truce_link_describe), or that an analyst
 * merged it. TRUCE_ENOTFOUND when no event has that key as incident. Used
 * by `truce explain` and GET /api/events/ID. */
TRUCE_API truce_status truce_store_incident_json(
    struct truce_store *st, const struct truce_actors *actors, int64_t key,
    struct truce_buf *out);

/* Every stored event the query selects assessed under set (a draft:
 * truce_store_load_draft) and actors, nothing stored (DESIGN section 12,
 * `truce whatif`): appends {"events", "by_agreement": [{"id", "counts":
 * {"violation", "undetermined", "permitted", "not_applicable"}, "by_side",
 * "by_guarantor"}], "overall": {"violation", "undetermined", "permitted",
 * "not_covered"}, "changed_count", "changed": [{"id", "before", "after"}]}
 * (overall verdicts; before is the stored one, null while pending;
 * changed lists at most 1,000, by id). */
TRUCE_API truce_status truce_whatif(struct truce_ctx *ctx,
                                    struct truce_store *st,
                                    const struct truce_agreements *set,
                                    const struct truce_actors *actors,
                                    const struct truce_query *q,
                                    struct truce_buf *out);

/* Makes the compact form of the stored events that truce_whatif reads,
 * unless the store keeps it already for the current events: it is kept in
 * the store until events are written again. `truce assess` ends with it,
 * so that the first what-if after an assessment does not make it. */
TRUCE_API truce_status truce_store_prepare_whatif(struct truce_store *st);

/* What a linking did (truce_store_link). */
struct truce_link_counts {
    long linked;     /* events linked (those new or changed, and the
                        events they connect to; every event when all) */
    long changed;    /* of them, events whose incident changed */
    long incidents;  /* the incidents they form */
    bool all;        /* every event was linked */
};

/* Links the stored events not linked yet (new, changed, or of an incident
 * one of them left) into incidents (DESIGN section 15) under the stored
 * actor dictionary (read in the same transaction) and the analysts'
 * splits and merges, with the events they connect to, and writes what
 * changed in one transaction: the same incidents as linking every event
 * (all set: `truce link --all`), which it does when the dictionary changed
 * since the last linking. */
TRUCE_API truce_status truce_store_link(struct truce_store *st, bool all,
                                        struct truce_link_counts *counts);

/* An analyst's correction, kept in the store with an audit entry by user
 * (on the event split off, or on a): TRUCE_LINK_SPLIT takes the event a
 * out of its incident, kept apart from each of its members of now (b
 * NULL); TRUCE_LINK_MERGE puts the incidents of events a and b together
 * (their members of now: each is kept with the other incident's event).
 * A split of a undoes the merges that name it; a merge undoes the splits
 * between members of the two incidents. The incidents concerned are
 * linked again at the next truce_store_link. TRUCE_ENOTFOUND for an
 * event that is not stored; TRUCE_EINVAL for a split of an event alone in
 * its incident, or a merge of an event with itself. */
TRUCE_API truce_status truce_store_link_rule(struct truce_store *st,
                                             enum truce_link_rule_kind kind,
                                             const char *a, const char *b,
                                             const char *user);

/* Counts: events, events pending assessment. */
TRUCE_API truce_status truce_store_counts(struct truce_store *st,
                                          int64_t *events, int64_t *pending);

/* Whether the store takes no writes now, into *out: a PostgreSQL hot
 * standby (a streaming replica in recovery) or a server whose transactions
 * are read-only; a SQLite file opened read-only. Writing to such a store
 * fails with TRUCE_EREADONLY and a message naming the standby. Asks the
 * server each time (a standby may be promoted). */
TRUCE_API truce_status truce_store_read_only(struct truce_store *st,
                                             bool *out);

/* ------------------------------------------------------------ statistics */

/* A ratio with its 95% interval. estimate is NAN where undefined (a zero
 * denominator); ci_high is INFINITY where unbounded. */
struct truce_ratio {
    double estimate, ci_low, ci_high;
};

/* The rate ratio (b / days_b) / (a / days_a) with the exact interval of
 * the conditional binomial (Clopper-Pearson on b out of a + b), at the
 * given confidence level (0.95). Zero counts still give an interval. */
TRUCE_API void truce_rate_ratio(long a, double days_a, long b, double days_b,
                                double level, struct truce_ratio *out);
/* The ratio of two rate ratios over equal windows, (b1/a1) / (b2/a2), with
 * a Wald interval on the log scale (SE = sqrt(1/a1+1/b1+1/a2+1/b2));
 * undefined (all NAN) when a count is zero. */
TRUCE_API void truce_ratio_of_ratios(long a1, long b1, long a2, long b2,
                                     double level, struct truce_ratio *out);

/* ------------------------------------------------------------ analytics */

/* One window of a trend: [from, to) in UTC. */
struct truce_window {
    int64_t from, to;
    double days;
    long count;          /* potential violations */
    double rate_per_day;
    long all_violent;    /* violent events in the region */
    long fatalities;     /* best estimates of those events */
};

struct truce_trend_day {
    int64_t day;         /* local day (days since 1970-01-01) */
    long potential_violations, all_violent, fatalities;
};

/* Is the ceasefire working? (DESIGN section 10). */
struct truce_trend {
    char *agreement, *zone;     /* zone NULL: all of the agreement's */
    double window_days;         /* after shortening to the data */
    double window_asked;
    int64_t start;              /* the agreement's first in-force instant */
    int64_t start_local;        /* the same in local civil seconds */
    const char *timezone;       /* the agreement's (borrowed from the set) */
    size_t start_index;         /* the day of the start in daily[] */
    struct truce_window before, after;
    struct truce_ratio rate_ratio;
    bool has_control;
    struct truce_window control_before, control_after;
    struct truce_ratio control_ratio, ratio_of_ratios;
    struct truce_trend_day *daily;
    size_t n_daily;
    char note[256];             /* e.g. why the windows were shortened */
    enum truce_count counted;   /* events or incidents */
};

/* The region outside an agreement against which its trend is compared,
 * or the country of a coverage: a GeoJSON value (FeatureCollection,
 * Feature or geometry) whose polygons are dissolved into one. */
struct truce_region;
TRUCE_API truce_status truce_region_parse(struct truce_ctx *ctx,
                                          const char *text, size_t n,
                                          const char *name,
                                          struct truce_region **out);
TRUCE_API void truce_region_free(struct truce_ctx *ctx,
                                 struct truce_region *r);
TRUCE_API const char *truce_region_name(const struct truce_region *r);
TRUCE_API double truce_region_area_km2(const struct truce_region *r);

/* Computes the trend of agreement `id` (zone: one of its zones, or NULL)
 * over windows of window_days before and after its start, from the events
 * in the store; country (may be NULL) gives the control region, the
 * country minus the agreement's zones. */
TRUCE_API truce_status truce_trend_compute(struct truce_ctx *ctx,
                                           struct truce_store *st,
                                           const struct truce_agreements *set,
                                           const struct truce_actors *actors,
                                           const char *id, const char *zone,
                                           double window_days,
                                           const struct truce_region *country,
                                           struct truce_trend *out);
TRUCE_API void truce_trend_release(struct truce_trend *t);
/* Appends the JSON of DESIGN section 10 (trend --format json). */
TRUCE_API truce_status truce_trend_to_json(const struct truce_trend *t,
                                           struct truce_buf *out);

struct truce_coverage_item {
    const char *id;       /* the agreement (borrowed from the set) */
    double area_km2;      /* its zones clipped to the country */
    double share;         /* of the country's area */
};

/* How a country is covered, each once: X(ENUM, name, "words"). */
#define TRUCE_COVERAGE_CLASSES(X)                                           \
    X(NATIONWIDE, nationwide,                                               \
      "one agreement covers (nearly) the whole country")                    \
    X(PATCHWORK, patchwork, "several local agreements, none nationwide")    \
    X(PARTIAL, partial, "one agreement covers part of the country")         \
    X(NONE, none, "no agreement in force")

enum truce_coverage_class {
#define TRUCE_X_(e, s, w) TRUCE_COV_##e,
    TRUCE_COVERAGE_CLASSES(TRUCE_X_)
#undef TRUCE_X_
    TRUCE_COV_COUNT
};

/* Names and words of coverage classes; "" when out of range. */
TRUCE_API const char *truce_coverage_class_name(enum truce_coverage_class c);
TRUCE_API const char *truce_coverage_class_words(
    enum truce_coverage_class c);

/* How much of a country is under a cessation on a date. */
struct truce_coverage {
    int64_t day;                 /* the date (12:00 local) */
    char *country;
    double country_area_km2;
    struct truce_coverage_item *items; /* the agreements in force */
    size_t n_items;
    double covered_area_km2, share;
    long events_total, events_inside; /* violent events, previous 30 days */
    double event_share;          /* NAN when there were none */
    const char *classification;  /* a TRUCE_COVERAGE_CLASSES name */
    enum truce_count counted;    /* events or incidents */
};

TRUCE_API truce_status truce_coverage_compute(
    struct truce_ctx *ctx, struct truce_store *st,
    const struct truce_agreements *set, const struct truce_region *country,
    int64_t day, struct truce_coverage *out);
TRUCE_API void truce_coverage_release(struct truce_coverage *c);
TRUCE_API truce_status truce_coverage_to_json(const struct truce_coverage *c,
                                              struct truce_buf *out);

/* The monitoring report of agreement `id` for the `days` local days ending
 * on last_day: violations by zone, category, side and guarantor against the
 * previous period, notable incidents, undetermined events, a guarantor
 * scorecard and the trend so far. format: "json", "md" or "html"
 * (self-contained, inline SVG charts). Appends to out. */
TRUCE_API truce_status truce_report_render(struct truce_ctx *ctx,
                                           struct truce_store *st,
                                           const struct truce_agreements *set,
                                           const struct truce_actors *actors,
                                           const char *id, int64_t last_day,
                                           int days, const char *format,
                                           struct truce_buf *out);

/* Reference boundaries (countries, admin units) kept in the store. */
TRUCE_API truce_status truce_store_put_boundaries(struct truce_store *st,
                                                  const char *name,
                                                  const char *geojson,
                                                  bool *changed);
/* The stored GeoJSON (malloc'd) or NULL when there is no such name. */
TRUCE_API truce_status truce_store_get_boundaries(struct truce_store *st,
                                                  const char *name,
                                                  char **out);
TRUCE_API truce_status truce_store_each_boundaries(struct truce_store *st,
                                                   truce_text_fn fn, void *ud);
/* The GeoJSON geometry (malloc'd) of the boundaries feature a gazetteer
 * place stands for (its id "boundary:SET:NAME", as truce_store_gazetteer
 * makes them), or NULL when the id names no stored feature. */
TRUCE_API truce_status truce_store_boundary_geometry(struct truce_store *st,
                                                     const char *place_id,
                                                     char **out);

/* ------------------------------------------------- the monitoring cell */

/* A counter that changes whenever the agreements or the dictionary in the
 * store change, so that long-lived readers (server workers) know when to
 * load the model again. */
TRUCE_API truce_status truce_store_model_version(struct truce_store *st,
                                                 int64_t *out);

/* A counter that moves once a committed transaction (or a write outside
 * one) that changed what a map shows of the events: an event stored,
 * changed or deleted, its assessments, its mark for re-assessment, its
 * review state, its incident's links. Readers that keep the events in
 * memory (the server's map cells) know from it when to read them again.
 * 0 in a store nothing has written events to yet. */
TRUCE_API truce_status truce_store_events_version(struct truce_store *st,
                                                  int64_t *out);

/* Adds a user with role "monitor", "analyst" or "admin" and writes a new
 * token to token (at least 80 bytes): shown once, only its hash is kept. */
TRUCE_API truce_status truce_store_add_user(struct truce_store *st,
                                            const char *name,
                                            const char *role,
                                            char *token, size_t token_size);
/* A new token for the user called name (the old one stops working), as
 * truce_store_add_user writes it. TRUCE_ENOTFOUND when there is none. */
TRUCE_API truce_status truce_store_rotate_user(struct truce_store *st,
                                               const char *name,
                                               char *token,
                                               size_t token_size);
/* Revokes the token of the user called name: no token works for the user
 * until a rotate gives a new one. */
TRUCE_API truce_status truce_store_revoke_user(struct truce_store *st,
                                               const char *name);
/* Calls fn for each user, by id, with a JSON object {"id", "name",
 * "role", "created_at", "active"} (no token, no hash). */
TRUCE_API truce_status truce_store_each_user(struct truce_store *st,
                                             truce_text_fn fn, void *ud);
/* Checks a token in constant time; TRUCE_EAUTH when it is unknown, wrong,
 * revoked or not in its one canonical form ("truce_" + id + "_" + 64
 * lower-case hex digits). name and role (64 and 16 bytes) get the
 * user's. */
TRUCE_API truce_status truce_store_check_token(struct truce_store *st,
                                               const char *token, char *name,
                                               char *role);

/* Stores a field report: gives it the id field:N (the next N), stores it,
 * assesses it at once under set and actors (a prepared model, borrowed)
 * and records an audit entry by user ("action": "report"), all in one
 * transaction: a failure stores nothing. The event's source and id are
 * set by this call; the id also in id_out (64 bytes). */
TRUCE_API truce_status truce_store_add_report(
    struct truce_store *st, const struct truce_agreements *set,
    const struct truce_actors *actors, struct truce_event *ev,
    const char *user, char *id_out);

/* Stores an incident an analyst confirmed, an event of source news made
 * by truce_extract_incident_event (else TRUCE_EINVAL): by its id (new, or
 * updated when it was stored before), assessed at once under set and
 * actors (a prepared model, borrowed), with an audit entry by user
 * ("action": "news", "after": {"stored": "inserted" | "updated" |
 * "unchanged"}), all in one transaction: a failure stores nothing. *out
 * (may be NULL) gets what became of the event. */
TRUCE_API truce_status truce_store_add_news(struct truce_store *st,
                                            const struct truce_agreements *set,
                                            const struct truce_actors *actors,
                                            const struct truce_event *ev,
                                            const char *user,
                                            enum truce_put_result *out);

/* Deletes a field report (an id "field:N"; an event from a file is
 * refused: it would come back with the file), with an audit entry by
 * user that keeps the report as it was. */
TRUCE_API truce_status truce_store_delete_report(struct truce_store *st,
                                                 const char *id,
                                                 const char *user);

/* The states of a case under review, each once: X(ENUM, name, "words"),
 * and the outcomes an assessment may reach. The review's checks and
 * messages and the words and steps the dashboard shows (GET
 * /api/vocabulary) derive from these lists and truce_review_step_allowed. */
#define TRUCE_REVIEW_STATES(X)                                              \
    X(ALLEGED, alleged, "alleged")                                          \
    X(INFORMATION_REQUESTED, information_requested,                         \
      "information requested from a guarantor")                             \
    X(RESPONDED, responded, "the guarantor responded")                      \
    X(ASSESSED, assessed, "assessed")

#define TRUCE_OUTCOMES(X)                                                   \
    X(CONFIRMED_VIOLATION, confirmed_violation, "confirmed violation")      \
    X(NOT_A_VIOLATION, not_a_violation, "not a violation")                  \
    X(INCONCLUSIVE, inconclusive, "inconclusive")

enum truce_review_state {
#define TRUCE_X_(e, s, w) TRUCE_RS_##e,
    TRUCE_REVIEW_STATES(TRUCE_X_)
#undef TRUCE_X_
    TRUCE_RS_COUNT
};

enum truce_outcome {
#define TRUCE_X_(e, s, w) TRUCE_OUT_##e,
    TRUCE_OUTCOMES(TRUCE_X_)
#undef TRUCE_X_
    TRUCE_OUT_COUNT
};

/* Names and words of states and outcomes; "" when out of range. */
TRUCE_API const char *truce_review_state_name(enum truce_review_state s);
TRUCE_API const char *truce_review_state_words(enum truce_review_state s);
TRUCE_API const char *truce_outcome_name(enum truce_outcome o);
TRUCE_API const char *truce_outcome_words(enum truce_outcome o);
/* -1 when s names no state (or outcome). */
TRUCE_API int truce_review_state_parse(const char *s);
TRUCE_API int truce_outcome_parse(const char *s);
/* May a case in state `from` (-1: not under review yet) move to `to`? A
 * case starts alleged; alleged goes to information_requested or assessed;
 * information_requested to responded; responded to information_requested
 * or assessed; assessed is reopened as alleged. */
TRUCE_API bool truce_review_step_allowed(int from, enum truce_review_state to);

/* The review of an event as a JSON object text (malloc'd), or NULL. */
TRUCE_API truce_status truce_store_get_review(struct truce_store *st,
                                              const char *event_id,
                                              char **out);
/* One step of the review workflow (docs/api.md): alleged ->
 * information_requested (guarantor) -> responded -> assessed (outcome).
 * TRUCE_ENOTFOUND: no such event; TRUCE_EINVAL: a bad value (errmsg names
 * it); TRUCE_ECONFLICT: a step out of order. Writes the audit entry in the
 * same transaction. *out (may be NULL) gets the new review text. */
TRUCE_API truce_status truce_store_review(struct truce_store *st,
                                          const char *event_id,
                                          const char *user,
                                          const char *state,
                                          const char *note,
                                          const char *guarantor,
                                          const char *outcome, char **out);
/* Audit entries (JSON object texts) after id `after` (0: from the first),
 * for one event or all (event NULL), at most limit, to fn (id = the
 * entry's id as text). */
TRUCE_API truce_status truce_store_audit(struct truce_store *st,
                                         const char *event, int64_t after,
                                         long limit, truce_text_fn fn,
                                         void *ud);

/* Token helpers (libsodium): a new random secret as hex (65 bytes), and
 * the hex BLAKE2b hash of a secret (65 bytes). */
TRUCE_API void truce_token_secret(char out[65]);
TRUCE_API void truce_token_hash(const char *secret, char out[65]);

#ifdef __cplusplus
}
#endif

#endif /* TRUCE_H */
