/*
 * store.c - the public store interface, dispatching to a backend
 * (src/store.h). Also the pieces common to every backend: loading the
 * model (actors and agreements) out of the store.
 */
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

truce_status
truce__store_after_fn(struct truce_store *st, truce_status rc,
                      const char *what)
{
    if (rc == TRUCE_OK || rc == TRUCE_EOF)
        truce__clear(st->ctx);
    else if (!truce_ctx_errmsg(st->ctx)[0])
        truce__err(st->ctx, rc, "%s stopped: %s", what, truce_strerror(rc));
    return rc;
}

void
truce__store_abort(struct truce_store *st)
{
    char msg[1024];
    long line = truce_ctx_errline(st->ctx);
    snprintf(msg, sizeof(msg), "%s", truce_ctx_errmsg(st->ctx));
    truce__store_rollback(st);
    truce__err_at(st->ctx, TRUCE_EDB, line, "%s", msg);
}

/* The backend a path names: a PostgreSQL URL (libpq's two schemes), or
 * else a SQLite file. */
static const struct truce__store_ops *
backend_of(const char *path)
{
    if (strncmp(path, "postgres://", 11) == 0 ||
        strncmp(path, "postgresql://", 13) == 0)
        return &truce__pg_ops;
    return &truce__sqlite_ops;
}

static truce_status
store_open(struct truce_ctx *ctx, const char *path, bool create,
           struct truce_store **out)
{
    struct truce_store *st;
    truce_status rc;
    st = truce__calloc(1, sizeof(*st));
    if (!st)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    st->ctx = ctx;
    st->ops = backend_of(path);
    rc = st->ops->open(ctx, path, create, &st->impl);
    if (rc) {
        truce__free(st);
        return rc;
    }
    *out = st;
    return TRUCE_OK;
}

truce_status
truce_store_open(struct truce_ctx *ctx, const char *path,
                 struct truce_store **out)
{
    truce__clear(ctx);
    return store_open(ctx, path, false, out);
}

truce_status
truce_store_create(struct truce_ctx *ctx, const char *path,
                   struct truce_store **out)
{
    truce__clear(ctx);
    return store_open(ctx, path, true, out);
}

void
truce_store_close(struct truce_store *st)
{
    if (!st)
        return;
    st->ops->close(st->impl);
    truce__free(st);
}

int
truce_store_schema_version(struct truce_store *st)
{
    truce__clear(st->ctx);
    return st->ops->schema_version(st->impl);
}

truce_status
truce__store_begin(struct truce_store *st)
{
    truce_status rc = st->ops->begin(st->impl);
    st->in_tx = rc == TRUCE_OK;
    st->events_touched = false;
    return rc;
}

truce_status
truce__store_commit(struct truce_store *st)
{
    truce_status rc = TRUCE_OK;
    if (st->events_touched)
        rc = st->ops->bump_events_version(st->impl);
    if (!rc)
        rc = st->ops->commit(st->impl);
    /* a failed commit leaves the transaction to the caller's rollback */
    if (!rc)
        st->in_tx = st->events_touched = false;
    return rc;
}

truce_status
truce__store_rollback(struct truce_store *st)
{
    st->in_tx = st->events_touched = false;
    return st->ops->rollback(st->impl);
}

truce_status
truce__store_touched(struct truce_store *st)
{
    if (st->in_tx) {
        st->events_touched = true;
        return TRUCE_OK;
    }
    return st->ops->bump_events_version(st->impl);
}

truce_status
truce_store_begin(struct truce_store *st)
{
    truce__clear(st->ctx);
    return truce__store_begin(st);
}

truce_status
truce_store_commit(struct truce_store *st)
{
    truce__clear(st->ctx);
    return truce__store_commit(st);
}

truce_status
truce_store_rollback(struct truce_store *st)
{
    truce__clear(st->ctx);
    return truce__store_rollback(st);
}

truce_status
truce_store_events_version(struct truce_store *st, int64_t *out)
{
    truce__clear(st->ctx);
    return st->ops->events_version(st->impl, out);
}

truce_status
truce__store_get_cache(struct truce_store *st, const char *name,
                       int64_t version, void **data, size_t *len)
{
    return st->ops->get_cache(st->impl, name, version, data, len);
}

truce_status
truce__store_put_cache(struct truce_store *st, const char *name,
                       int64_t version, const void *data, size_t len)
{
    return st->ops->put_cache(st->impl, name, version, data, len);
}

int64_t
truce__map_cell(double lon, double lat)
{
    double row = floor((lat + 90) / TRUCE__CELL_DEG);
    double col = floor((lon + 180) / TRUCE__CELL_DEG);
    /* a place past the world's edges (or NaN) in its edge cell */
    if (!(row >= 0))
        row = 0;
    if (!(col >= 0))
        col = 0;
    if (row > TRUCE__CELL_ROWS - 1)
        row = TRUCE__CELL_ROWS - 1;
    if (col > TRUCE__CELL_COLS - 1)
        col = TRUCE__CELL_COLS - 1;
    return (int64_t)row * TRUCE__CELL_COLS + (int64_t)col;
}

bool
truce__map_short(const struct truce_event *ev)
{
    return ev->t1 - ev->t0 <= TRUCE__SHORT_DAYS * 86400LL;
}

size_t
truce__map_box_cells(const struct truce_query *q, const char *open,
                     const char *close, struct truce_buf *out)
{
    int64_t lo = truce__map_cell(q->bbox[0], q->bbox[1]),
            hi = truce__map_cell(q->bbox[2], q->bbox[3]);
    int64_t r0 = lo / TRUCE__CELL_COLS, r1 = hi / TRUCE__CELL_COLS;
    int64_t c0 = lo % TRUCE__CELL_COLS, c1 = hi % TRUCE__CELL_COLS;
    size_t n = (size_t)((r1 - r0 + 1) * (c1 - c0 + 1));
    size_t start;
    if (!out || n > TRUCE__MAX_CELLS)
        return n;
    truce_buf_adds(out, open);
    start = out->len;
    for (int64_t r = r0; r <= r1; r++) {
        for (int64_t c = c0; c <= c1; c++)
            truce_buf_addf(out, "%s%lld", out->len > start ? "," : "",
                           (long long)(r * TRUCE__CELL_COLS + c));
    }
    truce_buf_adds(out, close);
    return n;
}

void
truce__keys_list(const struct truce_query *q, const char *open,
                 const char *close, struct truce_buf *out)
{
    truce_buf_adds(out, open);
    for (size_t i = 0; i < q->n_keys; i++)
        truce_buf_addf(out, i ? ",%lld" : "%lld", (long long)q->keys[i]);
    truce_buf_adds(out, close);
}

void
truce_store_set_count(struct truce_store *st, enum truce_count count)
{
    st->count = count;
}

truce_status
truce_store_counting(struct truce_store *st, enum truce_count *out)
{
    bool several = false;
    truce_status rc = TRUCE_OK;
    truce__clear(st->ctx);
    *out = st->count;
    if (st->count == TRUCE_COUNT_AUTO &&
        !(rc = st->ops->several_sources(st->impl, &several)))
        *out = several ? TRUCE_COUNT_INCIDENTS : TRUCE_COUNT_EVENTS;
    return rc;
}

truce_status
truce_store_put_event(struct truce_store *st, const struct truce_event *ev,
                      enum truce_put_result *out, int64_t *key)
{
    int64_t k = 0;
    truce_status rc;
    truce__clear(st->ctx);
    rc = st->ops->put_event(st->impl, ev, out, &k);
    /* a changed event is linked again, and so are the others of its
     * incident (DESIGN section 15) */
    if (!rc && *out == TRUCE_PUT_UPDATED)
        rc = st->ops->unlink_incident(st->impl, k);
    if (!rc && *out != TRUCE_PUT_UNCHANGED)
        rc = truce__store_touched(st);
    if (key)
        *key = rc ? 0 : k;
    return rc;
}

/* Stores a document of the model (the dictionary, an agreement). A change
 * marks every event for re-assessment and moves the model's version,
 * which long-lived readers (server workers, assess runs) watch. */
static truce_status
put_model_doc(struct truce_store *st, const char *kind, const char *id,
              const char *json, bool *changed)
{
    bool ch = false;
    truce_status rc;
    truce__clear(st->ctx);
    rc = st->ops->put_doc(st->impl, kind, id, json, &ch);
    if (!rc && ch && !(rc = st->ops->mark_all(st->impl)) &&
        !(rc = st->ops->bump_model_version(st->impl)))
        rc = truce__store_touched(st);
    if (changed)
        *changed = ch;
    return rc;
}

truce_status
truce_store_put_actors(struct truce_store *st, const char *json,
                       bool *changed)
{
    return put_model_doc(st, "actors", "actors", json, changed);
}

truce_status
truce_store_get_actors(struct truce_store *st, char **out)
{
    truce__clear(st->ctx);
    return st->ops->get_doc(st->impl, "actors", "actors", out);
}

truce_status
truce_store_put_agreement(struct truce_store *st, const char *id,
                          const char *json, bool *changed)
{
    return put_model_doc(st, "agreement", id, json, changed);
}

truce_status
truce_store_each_agreement(struct truce_store *st, truce_text_fn fn, void *ud)
{
    truce__clear(st->ctx);
    return truce__store_after_fn(
        st, st->ops->each_doc(st->impl, "agreement", fn, ud),
        "reading the agreements");
}

truce_status
truce_store_query(struct truce_store *st, const struct truce_query *q,
                  truce_event_fn fn, void *ud)
{
    truce__clear(st->ctx);
    return truce__store_after_fn(st, st->ops->query(st->impl, q, fn, ud),
                                 "reading events");
}

truce_status
truce_store_mark_all(struct truce_store *st)
{
    truce_status rc;
    truce__clear(st->ctx);
    if (!(rc = st->ops->mark_all(st->impl)))
        rc = truce__store_touched(st);
    return rc;
}

truce_status
truce_store_counts(struct truce_store *st, int64_t *events, int64_t *pending)
{
    truce__clear(st->ctx);
    return st->ops->counts(st->impl, events, pending);
}

truce_status
truce_store_read_only(struct truce_store *st, bool *out)
{
    truce__clear(st->ctx);
    *out = false;
    return st->ops->read_only(st->impl, out);
}

/* ------------------------------------- the stored form of assessments */

/* What a verdict is stored as is decided here, for every backend: a
 * backend keeps the texts (struct truce__assessments_text) and hands them
 * back to truce__assessments_read. */

static void
json_list(struct truce_buf *b, const char *const *v, size_t n)
{
    truce_buf_add(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            truce_buf_add(b, ",", 1);
        truce_buf_add_json(b, v[i]);
    }
    truce_buf_add(b, "]", 1);
}

/* Encodes as struct truce__assessments_text says (src/store.h), by hand:
 * assess writes one per event. */
truce_status
truce_store_put_assessments(struct truce_store *st, int64_t key,
                            const struct truce_assessment *as, size_t n,
                            enum truce_verdict overall)
{
    struct truce__assessments_text t;
    struct truce_buf arr, map;
    const char *sides[TRUCE_MAX_SIDES];
    size_t n_sides = 0;
    char sides_json[1024] = "";
    bool first = true;
    truce_status rc;
    truce__clear(st->ctx);
    truce_buf_init(&arr, 0);
    truce_buf_init(&map, 0);
    truce_buf_add(&arr, "[", 1);
    truce_buf_add(&map, "{", 1);
    for (size_t i = 0; i < n; i++) {
        truce_buf_add(&arr, i ? ",[" : "[", i ? 2 : 1);
        truce_buf_add_json(&arr, as[i].agreement_id);
        truce_buf_addf(&arr, ",\"%s\",\"%s\",",
                       truce_verdict_name(as[i].verdict),
                       truce_reason_name(as[i].reason));
        truce_buf_add_json(&arr, as[i].side);
        truce_buf_add(&arr, ",", 1);
        json_list(&arr, as[i].sides, as[i].n_sides);
        truce_buf_add(&arr, ",", 1);
        json_list(&arr, as[i].guarantors, as[i].n_guarantors);
        truce_buf_add(&arr, "]", 1);
        if (as[i].verdict != TRUCE_V_NOT_APPLICABLE) { /* kept small */
            if (!first)
                truce_buf_add(&map, ",", 1);
            truce_buf_add_json(&map, as[i].agreement_id);
            truce_buf_addf(&map, ":\"%s\"", truce_verdict_name(as[i].verdict));
            first = false;
        }
        for (size_t k = 0; as[i].verdict == TRUCE_V_VIOLATION &&
                           k < as[i].n_sides && n_sides < TRUCE_MAX_SIDES;
             k++) {
            size_t j = 0;
            while (j < n_sides && strcmp(sides[j], as[i].sides[k]))
                j++;
            if (j == n_sides)
                sides[n_sides++] = as[i].sides[k];
        }
    }
    if (n_sides) {
        struct truce_buf sj;
        truce_buf_init(&sj, 0);
        json_list(&sj, sides, n_sides);
        if (sj.alloc && sj.len < sizeof(sides_json))
            memcpy(sides_json, sj.buf, sj.len + 1);
        truce_buf_release(&sj);
    }
    truce_buf_add(&arr, "]", 1);
    rc = truce_buf_add(&map, "}", 1);
    if (rc || !arr.alloc) {
        truce_buf_release(&arr);
        truce_buf_release(&map);
        return truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
    }
    t.overall = truce_verdict_name(overall);
    t.list = arr.buf;
    t.sides = sides_json[0] ? sides_json : NULL;
    t.verdicts = map.buf;
    rc = st->ops->put_assessments(st->impl, key, &t);
    if (!rc)
        rc = truce__store_touched(st);
    truce_buf_release(&arr);
    truce_buf_release(&map);
    return rc;
}

static const char *
pool_add(struct truce__str_pool *p, const char *s)
{
    char *d;
    if (!s)
        return NULL;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 32;
        char **v = truce__realloc(p->v, nc * sizeof(*v));
        if (!v)
            return NULL;
        p->v = v;
        p->cap = nc;
    }
    d = truce__strdup(s);
    if (d)
        p->v[p->n++] = d;
    return d;
}

static void
pool_clear(struct truce__str_pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        truce__free(p->v[i]);
    p->n = 0;
}

/* False when out of memory. */
static bool
parse_list(struct truce__str_pool *p, json_t *a, const char **dst, size_t *n)
{
    json_t *v;
    size_t i;
    *n = 0;
    json_array_foreach(a, i, v) {
        if (*n < TRUCE_MAX_SIDES && json_is_string(v) &&
            !(dst[(*n)++] = pool_add(p, json_string_value(v))))
            return false;
    }
    return true;
}

/* A stored value that no version of truce writes: the store is damaged
 * (or was written by hand), and is refused rather than guessed at. */
static truce_status
bad_stored(struct truce_ctx *ctx, const char *id, const char *what,
           const char *v)
{
    return truce__err(ctx, TRUCE_EDB, "store: event '%s' has %s%s%s%s; "
                      "the store is damaged (run 'truce assess --all' to "
                      "write the verdicts anew)", id ? id : "?", what,
                      v ? " '" : "", v ? v : "", v ? "'" : "");
}

/* The verdict named v (NULL: not_covered, as for an unassessed event);
 * false when v names none. */
static bool
verdict_of(const char *v, enum truce_verdict *out)
{
    int k = v ? truce_verdict_parse(v) : 0;
    *out = k < 0 ? TRUCE_V_NOT_COVERED : (enum truce_verdict)k;
    return k >= 0;
}

/* Reads the stored assessments (truce_store_put_assessments) into *buf;
 * each is [agreement, verdict, reason, side, sides, guarantors]. */
static truce_status
row_assessments(struct truce_ctx *ctx, const char *text,
                struct truce_stored *rec, struct truce__str_pool *p,
                struct truce_assessment **buf, size_t *cap)
{
    json_t *arr = text ? json_loads(text, 0, NULL) : NULL, *o;
    size_t i;
    rec->n_as = 0;
    if (text && !json_is_array(arr)) {
        json_decref(arr);
        return bad_stored(ctx, rec->ev.id, "unreadable assessments", NULL);
    }
    if (json_array_size(arr) > *cap) {
        size_t nc = json_array_size(arr);
        struct truce_assessment *nb = truce__realloc(*buf, nc * sizeof(*nb));
        if (!nb) {
            json_decref(arr);
            return TRUCE_ENOMEM;
        }
        for (size_t k = *cap; k < nc; k++)
            truce_assessment_init(&nb[k]);
        *buf = nb;
        *cap = nc;
    }
    json_array_foreach(arr, i, o) {
        struct truce_assessment *as = &(*buf)[rec->n_as++];
        const char *id = json_string_value(json_array_get(o, 0));
        const char *v = json_string_value(json_array_get(o, 1));
        const char *why = json_string_value(json_array_get(o, 2));
        const char *side = json_string_value(json_array_get(o, 3));
        const char *what = NULL, *val = NULL;
        truce_buf_reset(&as->explanation);
        as->agreement = 0;
        as->reason = truce_reason_parse(why);
        if (!id) {
            what = "an assessment without an agreement";
        } else if (!v) {
            what = "an assessment without a verdict";
        } else if (!verdict_of(v, &as->verdict)) {
            what = "an unknown verdict";
            val = v;
        } else if (why && why[0] && as->reason == TRUCE_R_NONE) {
            what = "an unknown reason";
            val = why;
        }
        if (what) {
            truce_status st = bad_stored(ctx, rec->ev.id, what, val);
            json_decref(arr); /* val points into it */
            return st;
        }
        if (!(as->agreement_id = pool_add(p, id)) ||
            (!(as->side = pool_add(p, side)) && side) ||
            !parse_list(p, json_array_get(o, 4), as->sides, &as->n_sides) ||
            !parse_list(p, json_array_get(o, 5), as->guarantors,
                        &as->n_guarantors)) {
            json_decref(arr);
            return TRUCE_ENOMEM;
        }
    }
    json_decref(arr);
    return TRUCE_OK;
}

truce_status
truce__assessments_read(struct truce_ctx *ctx,
                        struct truce__assessments_reader *r,
                        const char *overall, const char *list, bool pending,
                        bool no_assessments, struct truce_stored *rec)
{
    truce_status rc;
    rec->assessed = !pending && overall;
    if (!verdict_of(overall, &rec->overall) && !no_assessments)
        return bad_stored(ctx, rec->ev.id, "an unknown verdict", overall);
    rc = row_assessments(ctx, no_assessments ? NULL : list, rec, &r->pool,
                         &r->buf, &r->cap);
    rec->as = r->buf;
    return rc;
}

void
truce__assessments_reader_clear(struct truce__assessments_reader *r)
{
    pool_clear(&r->pool);
}

void
truce__assessments_reader_release(struct truce__assessments_reader *r)
{
    pool_clear(&r->pool);
    truce__free(r->pool.v);
    for (size_t i = 0; i < r->cap; i++)
        truce_assessment_release(&r->buf[i]);
    truce__free(r->buf);
    memset(r, 0, sizeof(*r));
}

/* --------------------------------------------------------- the model */

struct load_state {
    struct truce_ctx *ctx;
    struct truce_agreements *set;
};

static truce_status
load_agreement(void *ud, const char *id, const char *json)
{
    struct load_state *ls = ud;
    char name[300];
    snprintf(name, sizeof(name), "stored agreement '%s'", id);
    return truce_agreements_parse(ls->ctx, ls->set, json, strlen(json), name,
                                  NULL, false);
}

/* Boundaries named as a country are that country's area, and each of
 * their features with an id an admin unit's (DESIGN 3.2). */
static truce_status
load_area(void *ud, const char *name, const char *json)
{
    struct load_state *ls = ud;
    json_t *root, *f;
    size_t i;
    truce_status rc = TRUCE_OK;
    if (truce__country_find_name(name) &&
        (rc = truce_agreements_add_area(ls->ctx, ls->set, name, NULL, json)))
        return rc;
    root = json_loads(json, 0, NULL);
    json_array_foreach(json_object_get(root, "features"), i, f) {
        const char *id = json_string_value(json_object_get(f, "id"));
        char *text;
        if (!id || !(text = json_dumps(f, JSON_COMPACT)))
            continue;
        rc = truce_agreements_add_area(ls->ctx, ls->set, id, name, text);
        free(text);
        if (rc)
            break;
    }
    json_decref(root);
    return rc;
}

/* A draft agreement file read over the stored agreements (whatif). */
struct draft {
    const char *text, *fname, *base_dir;
    size_t n;
};

static truce_status load_model(struct truce_ctx *ctx, struct truce_store *st,
                               const struct draft *draft,
                               struct truce_actors **actors,
                               struct truce_agreements **set);

truce_status
truce_store_load_model(struct truce_ctx *ctx, struct truce_store *st,
                       struct truce_actors **actors,
                       struct truce_agreements **set)
{
    return load_model(ctx, st, NULL, actors, set);
}

truce_status
truce_store_load_draft(struct truce_ctx *ctx, struct truce_store *st,
                       const char *text, size_t n, const char *fname,
                       const char *base_dir, struct truce_actors **actors,
                       struct truce_agreements **set)
{
    struct draft d = {text, fname, base_dir, n};
    if (!actors || !set)
        return truce__err(ctx, TRUCE_EINVAL, "a draft needs the actors and "
                          "the set out");
    return load_model(ctx, st, &d, actors, set);
}

static truce_status
load_model(struct truce_ctx *ctx, struct truce_store *st,
           const struct draft *draft, struct truce_actors **actors,
           struct truce_agreements **set)
{
    char *text = NULL;
    struct truce_actors *a = NULL;
    struct load_state ls = {ctx, NULL};
    truce_status rc;
    truce__clear(ctx);
    if (set && !actors)
        return truce__err(ctx, TRUCE_EINVAL, "a model's agreements need its "
                          "actors");
    rc = truce_store_get_actors(st, &text);
    if (rc)
        return rc;
    if (text)
        rc = truce_actors_parse(ctx, text, strlen(text), "stored actors", &a);
    else if ((rc = truce_actors_new_empty(&a)))
        truce__err(ctx, rc, "out of memory");
    truce__free(text);
    if (rc)
        return rc;
    if (set) {
        rc = truce_agreements_new(ctx, &ls.set);
        if (!rc)
            rc = truce_store_each_agreement(st, load_agreement, &ls);
        if (!rc)
            rc = truce_store_each_boundaries(st, load_area, &ls);
        if (!rc && draft)
            rc = truce_agreements_parse(ctx, ls.set, draft->text, draft->n,
                                        draft->fname, draft->base_dir,
                                        false);
        if (!rc)
            rc = truce_agreements_prepare(ctx, ls.set, a);
        if (rc) {
            truce_agreements_free(ls.set);
            truce_actors_free(a);
            return rc;
        }
        *set = ls.set;
    }
    if (actors)
        *actors = a;
    else if (!set)
        truce_actors_free(a);
    return TRUCE_OK;
}

/* ------------------------------------------------------- boundaries */

truce_status
truce_store_put_boundaries(struct truce_store *st, const char *name,
                           const char *geojson, bool *changed)
{
    bool ch = false;
    truce_status rc;
    truce__clear(st->ctx);
    rc = st->ops->put_doc(st->impl, "boundary", name, geojson, &ch);
    /* readers of the gazetteer (server workers) watch the places' version */
    if (!rc && ch)
        rc = st->ops->bump_places_version(st->impl);
    if (changed)
        *changed = ch;
    return rc;
}

truce_status
truce_store_put_place(struct truce_store *st, const struct truce_place *p,
                      enum truce_put_result *out)
{
    truce_status rc;
    truce__clear(st->ctx);
    if (!p->id || !p->name || !isfinite(p->lat) || !isfinite(p->lon))
        return truce__err(st->ctx, TRUCE_EINVAL, "a place needs an id, a "
                          "name, a latitude and a longitude");
    if ((rc = st->ops->put_place(st->impl, p, out)) ||
        *out == TRUCE_PUT_UNCHANGED)
        return rc;
    return st->ops->bump_places_version(st->impl);
}

truce_status
truce_store_each_place(struct truce_store *st, truce_place_fn fn, void *ud)
{
    truce__clear(st->ctx);
    return truce__store_after_fn(st, st->ops->each_place(st->impl, fn, ud),
                                 "reading the places");
}

struct gz_load {
    struct truce_ctx *ctx;
    struct truce_gazetteer *gz;
};

static truce_status
add_stored_place(void *ud, const struct truce_place *p)
{
    struct gz_load *l = ud;
    return truce_gazetteer_add(l->ctx, l->gz, p);
}

/* A feature's name: its id (boundaries load --id-property), else its
 * "name" property. */
static const char *
feature_name(json_t *f)
{
    const char *id = json_string_value(json_object_get(f, "id"));
    return id ? id
              : json_string_value(json_object_get(
                    json_object_get(f, "properties"), "name"));
}

/* The named features of a boundaries set as places: the centroid, and a
 * radius that covers the shape. */
static truce_status
add_boundary_places(void *ud, const char *set, const char *json)
{
    struct gz_load *l = ud;
    json_t *root = json_loads(json, 0, NULL), *f;
    truce_status rc = TRUCE_OK;
    size_t i;
    json_array_foreach(json_object_get(root, "features"), i, f) {
        const char *name = feature_name(f);
        char id[192], what[160];
        struct truce_place p;
        void *g = NULL;
        if (!name || !name[0])
            continue;
        snprintf(what, sizeof(what), "boundaries '%s', feature %zu", set, i);
        if (truce__geo_from_geojson(l->ctx, json_object_get(f, "geometry"),
                                    what, false, &g))
            continue; /* not a shape: not a place (it was checked at load) */
        truce_place_init(&p);
        rc = truce__geo_reach(l->ctx, g, &p.lat, &p.lon, &p.radius_km);
        truce__geo_free(l->ctx, g);
        if (rc) {
            rc = TRUCE_OK;
            continue;
        }
        snprintf(id, sizeof(id), "boundary:%.80s:%.80s", set, name);
        p.id = id;
        p.name = (char *)name;
        p.feature = (char *)"boundary";
        if ((rc = truce_gazetteer_add(l->ctx, l->gz, &p)))
            break;
    }
    json_decref(root);
    if (!rc)
        truce__clear(l->ctx); /* the shapes skipped are no failure */
    return rc;
}

truce_status
truce_store_gazetteer(struct truce_ctx *ctx, struct truce_store *st,
                      struct truce_gazetteer **out)
{
    struct gz_load l = {ctx, NULL};
    truce_status rc;
    truce__clear(ctx);
    *out = NULL;
    if ((rc = truce_gazetteer_new(ctx, &l.gz)))
        return rc;
    if ((rc = truce_store_each_place(st, add_stored_place, &l)) ||
        (rc = truce_store_each_boundaries(st, add_boundary_places, &l)) ||
        (rc = truce_gazetteer_finish(ctx, l.gz))) {
        truce_gazetteer_free(l.gz);
        return rc;
    }
    *out = l.gz;
    return TRUCE_OK;
}

truce_status
truce_store_get_boundaries(struct truce_store *st, const char *name,
                           char **out)
{
    truce__clear(st->ctx);
    return st->ops->get_doc(st->impl, "boundary", name, out);
}

truce_status
truce_store_boundary_geometry(struct truce_store *st, const char *place_id,
                              char **out)
{
    const char *set, *name;
    char *doc = NULL, sname[96];
    json_t *fc, *f;
    size_t i;
    truce_status rc;
    *out = NULL;
    truce__clear(st->ctx);
    if (!place_id || strncmp(place_id, "boundary:", 9))
        return TRUCE_OK;
    set = place_id + 9;
    if (!(name = strchr(set, ':')) || (size_t)(name - set) >= sizeof(sname))
        return TRUCE_OK;
    snprintf(sname, sizeof(sname), "%.*s", (int)(name - set), set);
    name++;
    if ((rc = truce_store_get_boundaries(st, sname, &doc)) || !doc)
        return rc;
    fc = json_loads(doc, 0, NULL);
    free(doc);
    json_array_foreach(json_object_get(fc, "features"), i, f) {
        const char *fn = feature_name(f);
        json_t *g = json_object_get(f, "geometry");
        if (fn && !strcmp(fn, name) && json_is_object(g)) {
            if (!(*out = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(10))))
                rc = truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
            break;
        }
    }
    json_decref(fc);
    return rc;
}

truce_status
truce_store_each_boundaries(struct truce_store *st, truce_text_fn fn,
                            void *ud)
{
    truce__clear(st->ctx);
    return truce__store_after_fn(
        st, st->ops->each_doc(st->impl, "boundary", fn, ud),
        "reading the boundaries");
}

truce_status
truce_store_extent(struct truce_store *st, int64_t *t0, int64_t *t1)
{
    truce__clear(st->ctx);
    return st->ops->extent(st->impl, t0, t1);
}

truce_status
truce_store_map(struct truce_store *st, const struct truce_query *q,
                truce_map_fn fn, void *ud)
{
    truce__clear(st->ctx);
    return truce__store_after_fn(st, st->ops->map(st->impl, q, fn, ud),
                                 "reading the map");
}
