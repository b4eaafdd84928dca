/*
 * store.h - the store backend interface. struct truce_store dispatches
 * every truce_store_* call through these operations, so that a second
 * backend (PostgreSQL through libpq) is a new table of functions, not a
 * rewrite. src/store_sqlite.c is the embedded default.
 */
#ifndef TRUCE_STORE_H
#define TRUCE_STORE_H

#include "truce_int.h"

/* An event's assessments as stored, made by store.c (the encoding is not
 * the backend's): list is [[agreement, verdict, reason, side|null,
 * [sides], [guarantors]], ...] (JSON; a backend may look into it to
 * filter: element 0 the agreement, 1 the verdict, 4 the sides), sides
 * the sides violations are attributed to (a JSON array, in the order met;
 * NULL for none), verdicts {agreement: verdict} of the agreements that
 * apply (the map's), overall the overall verdict's name. */
struct truce__assessments_text {
    const char *overall, *list, *sides, *verdicts;
};

struct truce__store_ops {
    const char *name;
    /* Opens the store at path (making it when create is set, else
     * TRUCE_ENOTFOUND when there is none) and migrates it. */
    truce_status (*open)(struct truce_ctx *ctx, const char *path,
                         bool create, void **impl);
    void (*close)(void *impl);
    int (*schema_version)(void *impl);
    /* Transactions: begin takes the write lock at once; rollback of a
     * transaction the backend already ended (e.g. on a full disk) is a
     * success, so the failure that ended it stays the message. */
    truce_status (*begin)(void *impl);
    truce_status (*commit)(void *impl);
    truce_status (*rollback)(void *impl);
    /* By id and change hash (truce__event_hash): inserted, updated (and
     * marked for re-assessment) or unchanged; *key gets the event's key
     * in each case (kept when it is updated). */
    truce_status (*put_event)(void *impl, const struct truce_event *ev,
                              enum truce_put_result *out, int64_t *key);
    truce_status (*put_place)(void *impl, const struct truce_place *p,
                              enum truce_put_result *out);
    truce_status (*each_place)(void *impl, truce_place_fn fn, void *ud);
    truce_status (*put_doc)(void *impl, const char *kind, const char *id,
                            const char *json, bool *changed);
    truce_status (*get_doc)(void *impl, const char *kind, const char *id,
                            char **out);
    truce_status (*each_doc)(void *impl, const char *kind, truce_text_fn fn,
                             void *ud);
    truce_status (*query)(void *impl, const struct truce_query *q,
                          truce_event_fn fn, void *ud);
    /* Keeps the texts by the event's key and clears its mark. */
    truce_status (*put_assessments)(void *impl, int64_t key,
                                    const struct truce__assessments_text *t);
    truce_status (*mark_all)(void *impl);
    /* Move the counters model_version and places_version read; when is
     * store.c's to decide (the model's documents, a place, boundaries). */
    truce_status (*bump_model_version)(void *impl);
    truce_status (*bump_places_version)(void *impl);
    /* The events' counter (truce_store_events_version), made on first
     * use; store.c moves it once a transaction that wrote events. */
    truce_status (*bump_events_version)(void *impl);
    truce_status (*events_version)(void *impl, int64_t *out);
    /* Forms derived from the events (src/compact.c), kept by name for the
     * events version they were made at: get gives the data kept for
     * exactly that version (malloc'd, truce__free it), TRUCE_ENOTFOUND
     * (no message) when there is none; put keeps it only if the events
     * are still at that version (else does nothing), replacing what was
     * kept under the name. Neither moves a version. */
    truce_status (*get_cache)(void *impl, const char *name, int64_t version,
                              void **data, size_t *len);
    truce_status (*put_cache)(void *impl, const char *name, int64_t version,
                              const void *data, size_t len);
    truce_status (*counts)(void *impl, int64_t *events, int64_t *pending);
    truce_status (*extent)(void *impl, int64_t *t0, int64_t *t1);
    truce_status (*model_version)(void *impl, int64_t *out);
    /* Moves when a place or a boundaries set is stored or changed. */
    truce_status (*places_version)(void *impl, int64_t *out);
    truce_status (*add_user)(void *impl, const char *name, const char *role,
                             const char *hash, int64_t *id);
    /* TRUCE_ENOTFOUND when there is no such user; name 64, role 16 and
     * hash 65 bytes. */
    truce_status (*get_user)(void *impl, int64_t id, char *name, char *role,
                             char *hash);
    /* Sets the token hash of the user called name ("" revokes); its id in
     * *id. TRUCE_ENOTFOUND when there is none. */
    truce_status (*set_user_hash)(void *impl, const char *name,
                                  const char *hash, int64_t *id);
    /* Deletes the event with this id and all kept with it (original
     * record, map index, the links of its incident: its other members are
     * linked again); TRUCE_ENOTFOUND when there is none. */
    truce_status (*delete_event)(void *impl, const char *id);
    /* Calls fn for each user, by id: JSON {"id", "name", "role",
     * "created_at", "active"} (id passed as the text's id). */
    truce_status (*each_user)(void *impl, truce_text_fn fn, void *ud);
    truce_status (*next_field_id)(void *impl, int64_t *out);
    truce_status (*add_audit)(void *impl, const char *event,
                              const char *entry);
    truce_status (*audit)(void *impl, const char *event, int64_t after,
                          long limit, truce_text_fn fn, void *ud);
    truce_status (*map)(void *impl, const struct truce_query *q,
                        truce_map_fn fn, void *ud);
    /* The review state shown on maps ("assessed:<outcome>" once done). */
    truce_status (*set_review)(void *impl, const char *event,
                               const char *state);
    /* Incidents (DESIGN section 15; src/store_link.c decides what to
     * link): a link takes an event's key to its incident's
     * representative's. put_link replaces the event's link (rep 0 removes
     * it); unlink_incident removes the links of every member of the
     * incident of the event with this key, and its own; max_radius is the
     * largest radius stored (0 none). A
     * query's unlinked_only and incident select by them, and its records
     * carry the incident. */
    truce_status (*put_link)(void *impl, int64_t key, int64_t rep);
    truce_status (*unlink_incident)(void *impl, int64_t key);
    truce_status (*max_radius)(void *impl, double *out);
    /* Do the stored events come from more than one source? */
    truce_status (*several_sources)(void *impl, bool *out);
    /* Does the store take no writes now (a hot standby)? A write to one
     * fails with TRUCE_EREADONLY. */
    truce_status (*read_only)(void *impl, bool *out);
};

struct truce_store {
    struct truce_ctx *ctx;
    const struct truce__store_ops *ops;
    void *impl;
    enum truce_count count; /* what the analytics count (the handle's) */
    bool in_tx;          /* between truce__store_begin and its end */
    bool events_touched; /* the transaction wrote what a map shows */
};

/* Transactions of the library: the backend's, plus the events' version
 * (truce_store_events_version): a transaction that wrote events moves it
 * once, as it commits. Every writer of events calls truce__store_touched
 * (outside a transaction it moves the version at once). */
truce_status truce__store_begin(struct truce_store *st);
truce_status truce__store_commit(struct truce_store *st);
truce_status truce__store_rollback(struct truce_store *st);
truce_status truce__store_touched(struct truce_store *st);

/* The backend's get_cache and put_cache (store.h's operations), for
 * src/compact.c. */
truce_status truce__store_get_cache(struct truce_store *st, const char *name,
                                    int64_t version, void **data,
                                    size_t *len);
truce_status truce__store_put_cache(struct truce_store *st, const char *name,
                                    int64_t version, const void *data,
                                    size_t len);

/* The grid of the map index, the same in every backend: cells of
 * TRUCE__CELL_DEG degrees numbered row by row from (-180, -90); events
 * longer than TRUCE__SHORT_DAYS have no cell (a backend finds them by
 * place and time another way); a box of more than TRUCE__MAX_CELLS cells
 * is searched by time alone. */
#define TRUCE__CELL_DEG 0.1
#define TRUCE__CELL_COLS 3600 /* 360 / TRUCE__CELL_DEG */
#define TRUCE__CELL_ROWS 1800
#define TRUCE__SHORT_DAYS 2
#define TRUCE__MAX_CELLS 4096
int64_t truce__map_cell(double lon, double lat);
/* Has the event a cell (is it no longer than TRUCE__SHORT_DAYS)? */
bool truce__map_short(const struct truce_event *ev);
/* The cells of the query's box: their count, and with out (when there are
 * at most TRUCE__MAX_CELLS), them appended between open and close, comma
 * separated (a JSON array "[", "]"; a PostgreSQL array literal "{", "}"). */
size_t truce__map_box_cells(const struct truce_query *q, const char *open,
                            const char *close, struct truce_buf *out);

/* The query's keys (q->keys) appended between open and close, comma
 * separated, as truce__map_box_cells writes cells. */
void truce__keys_list(const struct truce_query *q, const char *open,
                      const char *close, struct truce_buf *out);

/* The backends: the embedded default (src/store_sqlite.c), and
 * PostgreSQL for a URL postgresql://... or postgres://... (src/store_pg.c). */
extern const struct truce__store_ops truce__sqlite_ops;
extern const struct truce__store_ops truce__pg_ops;

/* Reading stored assessments back (a backend's query, for each row):
 * the strings of one record, kept until cleared after the callback. */
struct truce__str_pool {
    char **v;
    size_t n, cap;
};
struct truce__assessments_reader {
    struct truce__str_pool pool;
    struct truce_assessment *buf;
    size_t cap;
};
/* Fills rec's overall, assessed, n_as and as from the stored overall and
 * list texts (NULL: not assessed) of an event marked pending or not; with
 * no_assessments the list is not read nor the overall verdict checked.
 * TRUCE_EDB with a message for a value no truce writes (a damaged store);
 * TRUCE_ENOMEM without one. */
truce_status truce__assessments_read(struct truce_ctx *ctx,
                                     struct truce__assessments_reader *r,
                                     const char *overall, const char *list,
                                     bool pending, bool no_assessments,
                                     struct truce_stored *rec);
/* Frees the strings of the last record read (after the callback). */
void truce__assessments_reader_clear(struct truce__assessments_reader *r);
/* Frees all of it; the reader may be used again. */
void truce__assessments_reader_release(struct truce__assessments_reader *r);

/* The end of a call that ran the caller's callback, given the call's
 * status (the ctx contract, include/truce/truce.h): the callback may have
 * called the library, and what it got past is no failure of this call; a
 * status that it stopped the walk with is, and gets a message ("WHAT
 * stopped: ...") when it has none. TRUCE_EOF from a callback stops the
 * walk without failing (the server's map pages). Returns rc. */
truce_status truce__store_after_fn(struct truce_store *st, truce_status rc,
                                   const char *what);
/* Inside the caller's open transaction: stores ev (*res: what became of
 * it), assesses it under set and actors (a prepared model, borrowed),
 * writes the verdicts by the key put_event gave, and records the audit
 * entry {user, event, action, "before": null, "after": null, or with
 * audit_stored {"stored": "inserted" | "updated" | "unchanged"}}. The
 * caller commits, or rolls back on failure (truce__store_abort). The one
 * path of a field report (truce_store_add_report) and a confirmed news
 * incident (truce_store_add_news). */
truce_status truce__store_put_assessed(struct truce_store *st,
                                       const struct truce_agreements *set,
                                       const struct truce_actors *actors,
                                       const struct truce_event *ev,
                                       const char *user, const char *action,
                                       bool audit_stored,
                                       enum truce_put_result *res);
/* Rolls back the open transaction after a failure, keeping the failure's
 * message (and line) whether or not the rollback works. */
void truce__store_abort(struct truce_store *st);

#endif /* TRUCE_STORE_H */
