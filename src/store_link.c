/*
 * store_link.c - incidents in the store (DESIGN section 15): which stored
 * events report one occurrence, kept as links from each event to its
 * incident's representative, and the analysts' splits and merges.
 *
 * The linking of truce_link_events_ruled depends, for an event, only on
 * the events it could be linked with, and theirs: on its connected part
 * of the graph whose edges are the pairs that meet the rule (and the
 * analysts' merges). So new and changed events are linked by taking that
 * part around them from the store (a box and a time window for each
 * event reached, the map index answering), linking it alone and writing
 * what changed; the result is the one linking every event gives
 * (`truce link --all`). Where the part grows past a quarter of the
 * stored events (PART_MIN at least), PART_MIN plus PART_GROWTH times the events it grew from,
 * or PART_MAX, or the actor dictionary changed since the
 * last linking (it decides which actors are compatible), every event is
 * linked instead: the same result, found faster.
 */
#define _GNU_SOURCE 1
#include "store.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PART_MAX 50000
#define PART_MIN 2000
#define PART_GROWTH 20
#define WINDOW (2 * 86400LL) /* a day of the rule, and local times */
#define SLACK_KM 2.0

/* The events being linked: copies of what the rule reads, with keys. */
struct part {
    struct truce_event *ev;
    int64_t *key, *incident;
    size_t n, cap;
    /* key -> index + 1, open addressing */
    int64_t *slot_key;
    size_t *slot_at;
    size_t slots;
    bool oom;
};

static uint64_t
mix(int64_t k)
{
    uint64_t x = (uint64_t)k * 0x9e3779b97f4a7c15ULL;
    return x ^ (x >> 31);
}

static size_t
part_find(const struct part *p, int64_t key)
{
    size_t i;
    if (!p->slots)
        return SIZE_MAX;
    for (i = mix(key) & (p->slots - 1); p->slot_at[i];
         i = (i + 1) & (p->slots - 1))
        if (p->slot_key[i] == key)
            return p->slot_at[i] - 1;
    return SIZE_MAX;
}

static bool
part_index(struct part *p, int64_t key, size_t at)
{
    size_t i;
    if ((p->n + 1) * 2 > p->slots) {
        size_t slots = p->slots ? 2 * p->slots : 1024;
        int64_t *k = truce__calloc(slots, sizeof(*k));
        size_t *a = truce__calloc(slots, sizeof(*a));
        if (!k || !a) {
            truce__free(k);
            truce__free(a);
            return false;
        }
        for (size_t j = 0; j < p->slots; j++) {
            if (!p->slot_at[j])
                continue;
            for (i = mix(p->slot_key[j]) & (slots - 1); a[i];
                 i = (i + 1) & (slots - 1))
                ;
            k[i] = p->slot_key[j];
            a[i] = p->slot_at[j];
        }
        truce__free(p->slot_key);
        truce__free(p->slot_at);
        p->slot_key = k;
        p->slot_at = a;
        p->slots = slots;
    }
    for (i = mix(key) & (p->slots - 1); p->slot_at[i];
         i = (i + 1) & (p->slots - 1))
        ;
    p->slot_key[i] = key;
    p->slot_at[i] = at + 1;
    return true;
}

/* Adds the stored event (a copy of what linking reads) unless it is in;
 * *added says whether it was new. */
static bool
part_add(struct part *p, const struct truce_stored *r, bool *added)
{
    struct truce_event *e;
    *added = false;
    if (part_find(p, r->key) != SIZE_MAX)
        return true;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        struct truce_event *ev = truce__realloc(p->ev, cap * sizeof(*ev));
        int64_t *key, *inc;
        if (!ev)
            return false;
        p->ev = ev;
        if (!(key = truce__realloc(p->key, cap * sizeof(*key))))
            return false;
        p->key = key;
        if (!(inc = truce__realloc(p->incident, cap * sizeof(*inc))))
            return false;
        p->incident = inc;
        p->cap = cap;
    }
    e = &p->ev[p->n];
    truce_event_init(e);
    if (!truce__event_copy_for_link(e, &r->ev))
        return false;
    p->key[p->n] = r->key;
    p->incident[p->n] = r->incident;
    if (!part_index(p, r->key, p->n)) {
        truce_event_release(e);
        return false;
    }
    p->n++;
    *added = true;
    return true;
}

static void
part_free(struct part *p)
{
    for (size_t i = 0; i < p->n; i++)
        truce_event_release(&p->ev[i]);
    truce__free(p->ev);
    truce__free(p->key);
    truce__free(p->incident);
    truce__free(p->slot_key);
    truce__free(p->slot_at);
    memset(p, 0, sizeof(*p));
}

static truce_status
keep_all(void *ud, struct truce_stored *r)
{
    struct part *p = ud;
    bool added;
    if (!part_add(p, r, &added)) {
        p->oom = true;
        return TRUCE_ENOMEM;
    }
    return TRUCE_OK;
}

/* ----------------------------------------------------------- the rules */

struct rules {
    struct truce_link_rule *v;
    size_t n;
    json_t *doc; /* owns the strings */
};

static void
rules_free(struct rules *r)
{
    truce__free(r->v);
    json_decref(r->doc);
    memset(r, 0, sizeof(*r));
}

/* The analysts' rules as stored: {"rules": [{"kind": "split"|"merge",
 * "a", "b", "user", "at"}, ...]} in the document ("link", "rules"). */
static truce_status
rules_load(struct truce_store *st, struct rules *r)
{
    char *text = NULL;
    truce_status rc = st->ops->get_doc(st->impl, "link", "rules", &text);
    json_t *list, *x;
    size_t i;
    memset(r, 0, sizeof(*r));
    if (rc || !text)
        return rc;
    r->doc = json_loads(text, 0, NULL);
    truce__free(text);
    list = json_object_get(r->doc, "rules");
    if (!json_is_array(list))
        return truce__err(st->ctx, TRUCE_EDB, "store: the analysts' link "
                          "rules are not a list: the store is damaged");
    if (!(r->v = truce__calloc(json_array_size(list) + 1, sizeof(*r->v))))
        return truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
    json_array_foreach(list, i, x) {
        const char *kind = json_string_value(json_object_get(x, "kind"));
        r->v[r->n].a = json_string_value(json_object_get(x, "a"));
        r->v[r->n].b = json_string_value(json_object_get(x, "b"));
        if (!kind || !r->v[r->n].a || !r->v[r->n].b ||
            (strcmp(kind, "split") && strcmp(kind, "merge")))
            return truce__err(st->ctx, TRUCE_EDB, "store: link rule %zu is "
                              "none that truce writes: the store is "
                              "damaged", i + 1);
        r->v[r->n].kind = strcmp(kind, "merge") ? TRUCE_LINK_SPLIT
                                                : TRUCE_LINK_MERGE;
        r->n++;
    }
    return TRUCE_OK;
}

/* ------------------------------------------------------------ the part */

/* The dictionary's fingerprint (linking is redone whole when it moved)
 * and, with actors, the dictionary itself, parsed from the same text: the
 * links written are always those of the dictionary their mark names. */
static truce_status
dictionary_of(struct truce_store *st, char out[24],
              struct truce_actors **actors)
{
    char *text = NULL;
    truce_status rc = st->ops->get_doc(st->impl, "actors", "actors", &text);
    snprintf(out, 24, "none");
    if (actors)
        *actors = NULL;
    if (!rc && text)
        snprintf(out, 24, "%016llx",
                 (unsigned long long)truce__hash(text, strlen(text), 0));
    if (!rc && actors)
        rc = text ? truce_actors_parse(st->ctx, text, strlen(text),
                                       "stored actors", actors)
                  : truce_actors_new_empty(actors);
    if (rc == TRUCE_ENOMEM)
        truce__err(st->ctx, rc, "out of memory");
    truce__free(text);
    return rc;
}

static truce_status
linked_mark(struct truce_store *st, char out[24])
{
    char *text = NULL;
    json_t *doc;
    truce_status rc = st->ops->get_doc(st->impl, "link", "state", &text);
    out[0] = 0;
    if (rc || !text)
        return rc;
    doc = json_loads(text, 0, NULL);
    truce__free(text);
    snprintf(out, 24, "%s",
             json_string_value(json_object_get(doc, "dictionary"))
                 ? json_string_value(json_object_get(doc, "dictionary"))
                 : "");
    json_decref(doc);
    return TRUCE_OK;
}

struct grow {
    struct part *part;
    const struct truce_event *from;
    const struct truce_actors *actors;
    size_t *queue;
    size_t n_queue, cap_queue;
    size_t max;      /* beyond, every event is linked instead */
    bool oom;
};

static bool
push(struct grow *g, size_t at)
{
    if (g->n_queue == g->cap_queue) {
        size_t cap = g->cap_queue ? 2 * g->cap_queue : 256;
        size_t *q = truce__realloc(g->queue, cap * sizeof(*q));
        if (!q)
            return false;
        g->queue = q;
        g->cap_queue = cap;
    }
    g->queue[g->n_queue++] = at;
    return true;
}

/* A stored event near the one being grown from: in the part when it
 * meets it (or is of its incident, or named by a merge with it). */
static truce_status
take_near(void *ud, struct truce_stored *r)
{
    struct grow *g = ud;
    bool added;
    if (g->from && !truce__link_may_meet(g->from, &r->ev, g->actors))
        return TRUCE_OK;
    if (!part_add(g->part, r, &added) ||
        (added && !push(g, g->part->n - 1))) {
        g->oom = true;
        return TRUCE_ENOMEM;
    }
    return g->part->n > g->max ? TRUCE_EOF : TRUCE_OK;
}

/* The box and time window that hold every event e may meet. */
static void
near_query(const struct truce_event *e, double max_radius,
           struct truce_query *q)
{
    /* a degree of latitude is at least 110 km; a box that crosses the
     * antimeridian (or a pole) takes every longitude */
    double reach = e->radius_km + max_radius + SLACK_KM,
           dlat = reach / 110.0, dlon = truce__lon_span(e->lat, reach);
    bool around = e->lon - dlon < -180 || e->lon + dlon > 180;
    memset(q, 0, sizeof(*q));
    q->no_assessments = true;
    q->has_bbox = true;
    q->bbox[0] = around ? -180 : e->lon - dlon;
    q->bbox[1] = fmax(e->lat - dlat, -90);
    q->bbox[2] = around ? 180 : e->lon + dlon;
    q->bbox[3] = fmin(e->lat + dlat, 90);
    q->has_from = q->has_to = true;
    q->from = e->t0 - WINDOW;
    q->to = (e->t1 > e->t0 ? e->t1 : e->t0 + 1) + WINDOW;
}

/* Grows the part from its events to every stored event they connect to.
 * *whole is set when it grew past PART_MAX. */
static truce_status
grow_part(struct truce_store *st, struct part *p, const struct rules *rules,
          const struct truce_actors *actors, bool *whole)
{
    struct grow g = {.part = p, .actors = actors};
    double max_radius;
    int64_t events, pending;
    truce_status rc;
    *whole = false;
    if ((rc = st->ops->max_radius(st->impl, &max_radius)) ||
        (rc = st->ops->counts(st->impl, &events, &pending)))
        return rc;
    /* a part of more than a quarter of the events, or far more than the
     * events it grew from (dense places chain day after day): linking all
     * is cheaper than finding it event by event */
    g.max = (size_t)(events / 4) > PART_MIN ? (size_t)(events / 4) : PART_MIN;
    if (g.max > PART_GROWTH * p->n + PART_MIN)
        g.max = PART_GROWTH * p->n + PART_MIN;
    if (g.max > PART_MAX)
        g.max = PART_MAX;
    if (p->n > g.max) {
        *whole = true;
        return TRUCE_OK;
    }
    for (size_t i = 0; i < p->n; i++)
        if (!push(&g, i)) {
            rc = TRUCE_ENOMEM;
            goto out;
        }
    while (g.n_queue && !rc) {
        size_t at = g.queue[--g.n_queue];
        struct truce_query q;
        /* copies: the arrays move as the part grows */
        struct truce_event e = p->ev[at];
        int64_t incident = p->incident[at];
        if (p->n > g.max) {
            *whole = true;
            break;
        }
        g.from = &e;
        if (e.radius_km >= 0) {
            near_query(&e, max_radius, &q);
            rc = st->ops->query(st->impl, &q, take_near, &g);
        }
        /* its incident as stored, and the events of merges with it */
        g.from = NULL;
        if (!rc && incident) {
            memset(&q, 0, sizeof(q));
            q.no_assessments = true;
            q.incident = incident;
            rc = st->ops->query(st->impl, &q, take_near, &g);
        }
        for (size_t r = 0; !rc && r < rules->n; r++) {
            const char *other =
                !strcmp(rules->v[r].a, e.id ? e.id : "") ? rules->v[r].b
                : !strcmp(rules->v[r].b, e.id ? e.id : "") ? rules->v[r].a
                                                           : NULL;
            if (rules->v[r].kind != TRUCE_LINK_MERGE || !other)
                continue;
            memset(&q, 0, sizeof(q));
            q.no_assessments = true;
            q.id = other;
            rc = st->ops->query(st->impl, &q, take_near, &g);
        }
        if (rc == TRUCE_EOF) {
            *whole = true;
            rc = TRUCE_OK;
            break;
        }
    }
out:
    if (g.oom || rc == TRUCE_ENOMEM)
        rc = truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
    truce__free(g.queue);
    return rc;
}

/* Links the part's events (rules among them applying) and writes the
 * links that changed, with the dictionary's mark. */
static truce_status
link_part(struct truce_store *st, struct part *p, const struct rules *rules,
          const struct truce_actors *actors, const char *mark,
          struct truce_link_counts *counts)
{
    size_t *rep = truce__calloc(p->n ? p->n : 1, sizeof(*rep)), n_inc = 0;
    char state[64];
    bool changed;
    truce_status rc;
    if (!rep)
        return truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
    rc = truce_link_events_ruled(st->ctx, p->ev, p->n, actors, rules->v,
                                 rules->n, rep, &n_inc);
    for (size_t i = 0; i < p->n && !rc; i++) {
        if (p->incident[i] == p->key[rep[i]])
            continue;
        rc = st->ops->put_link(st->impl, p->key[i], p->key[rep[i]]);
        if (!rc)
            rc = truce__store_touched(st);
        counts->changed++;
    }
    snprintf(state, sizeof(state), "{\"dictionary\":\"%s\"}", mark);
    if (!rc)
        rc = st->ops->put_doc(st->impl, "link", "state", state, &changed);
    counts->linked += (long)p->n;
    counts->incidents += (long)n_inc;
    truce__free(rep);
    return rc;
}

/* What truce_store_link does, inside its transaction. */
static truce_status
link_in(struct truce_store *st, const struct truce_actors *actors,
        const char *mark, bool all, struct part *p, struct rules *rules,
        struct truce_link_counts *counts)
{
    struct truce_query q = {0};
    char linked[24];
    bool whole = all;
    truce_status rc;
    if ((rc = rules_load(st, rules)) || (rc = linked_mark(st, linked)))
        return rc;
    if (strcmp(mark, linked))
        whole = true;
    q.no_assessments = true;
    if (!whole) {
        q.unlinked_only = true;
        if ((rc = st->ops->query(st->impl, &q, keep_all, p)))
            return rc;
        if (!p->n)
            return TRUCE_OK;
        if ((rc = grow_part(st, p, rules, actors, &whole)))
            return rc;
    }
    if (whole) {
        part_free(p);
        q.unlinked_only = false;
        if ((rc = st->ops->query(st->impl, &q, keep_all, p)))
            return rc;
    }
    counts->all = whole;
    return link_part(st, p, rules, actors, mark, counts);
}

static truce_status
stop_at_first(void *ud, struct truce_stored *r)
{
    (void)r;
    *(bool *)ud = true;
    return TRUCE_EOF;
}

/* Is there anything to link (read without the write lock, so that a
 * server asking often keeps nobody waiting)? */
static truce_status
link_due(struct truce_store *st, bool *due)
{
    struct truce_query q = {0};
    char mark[24], linked[24];
    truce_status rc;
    *due = false;
    if ((rc = dictionary_of(st, mark, NULL)) || (rc = linked_mark(st, linked)))
        return rc;
    if (strcmp(mark, linked)) {
        *due = true;
        return TRUCE_OK;
    }
    q.unlinked_only = true;
    q.no_assessments = true;
    q.limit = 1;
    rc = st->ops->query(st->impl, &q, stop_at_first, due);
    return rc == TRUCE_EOF ? TRUCE_OK : rc;
}

truce_status
truce_store_link(struct truce_store *st, bool all,
                 struct truce_link_counts *counts)
{
    struct part p = {0};
    struct rules rules = {0};
    struct truce_actors *actors = NULL;
    char mark[24];
    bool due = true;
    truce_status rc;
    truce__clear(st->ctx);
    memset(counts, 0, sizeof(*counts));
    if (!all && ((rc = link_due(st, &due)) || !due))
        return rc;
    /* read and written in one transaction: an event changed meanwhile is
     * never given a link made from what it was */
    if ((rc = truce__store_begin(st)))
        return rc;
    if (!(rc = dictionary_of(st, mark, &actors)))
        rc = link_in(st, actors, mark, all, &p, &rules, counts);
    if (p.oom || rc == TRUCE_ENOMEM)
        rc = truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
    if (!rc)
        rc = truce__store_commit(st);
    if (rc) {
        truce__store_abort(st);
        memset(counts, 0, sizeof(*counts));
    }
    part_free(&p);
    rules_free(&rules);
    truce_actors_free(actors);
    return rc;
}

/* ---------------------------------------------- splits and merges */

struct members {
    json_t *ids;     /* of the incident (or the event alone, unlinked) */
    int64_t key, incident;
    bool found;
};

static truce_status
keep_id(void *ud, struct truce_stored *r)
{
    struct members *m = ud;
    m->found = true;
    m->key = r->key;
    m->incident = r->incident;
    return json_array_append_new(m->ids, json_string(r->ev.id ? r->ev.id : ""))
               ? TRUCE_ENOMEM
               : TRUCE_OK;
}

/* The event with this id and the ids of its incident's members. */
static truce_status
members_of(struct truce_store *st, const char *id, struct members *m)
{
    struct truce_query q = {0};
    truce_status rc;
    memset(m, 0, sizeof(*m));
    if (!(m->ids = json_array()))
        return truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
    q.no_assessments = true;
    q.id = id;
    if ((rc = st->ops->query(st->impl, &q, keep_id, m)))
        return rc == TRUCE_ENOMEM ? truce__err(st->ctx, rc, "out of memory")
                                  : rc;
    if (!m->found)
        return truce__err(st->ctx, TRUCE_ENOTFOUND, "no event '%s'", id);
    if (!m->incident)
        return TRUCE_OK;
    json_array_clear(m->ids);
    q.id = NULL;
    q.incident = m->incident;
    rc = st->ops->query(st->impl, &q, keep_id, m);
    return rc == TRUCE_ENOMEM ? truce__err(st->ctx, rc, "out of memory") : rc;
}

static bool
holds(json_t *ids, const char *id)
{
    size_t i;
    json_t *x;
    json_array_foreach(ids, i, x) {
        if (!strcmp(json_string_value(x), id))
            return true;
    }
    return false;
}

/* The stored rules without those drop says to undo, with the new ones. */
static json_t *
rules_rewritten(const struct rules *old, enum truce_link_rule_kind kind,
                const char *a, const char *b, const struct members *ma,
                const struct members *mb, const char *user)
{
    json_t *list = json_array();
    for (size_t r = 0; list && r < old->n; r++) {
        const struct truce_link_rule *x = &old->v[r];
        bool drop;
        if (kind == TRUCE_LINK_SPLIT)
            drop = x->kind == TRUCE_LINK_MERGE &&
                   (!strcmp(x->a, a) || !strcmp(x->b, a));
        else
            drop = x->kind == TRUCE_LINK_SPLIT &&
                   ((holds(ma->ids, x->a) && holds(mb->ids, x->b)) ||
                    (holds(ma->ids, x->b) && holds(mb->ids, x->a)));
        if (!drop)
            json_array_append(list, json_array_get(json_object_get(old->doc,
                                                                   "rules"),
                                                   r));
    }
    if (!list)
        return NULL;
    if (kind == TRUCE_LINK_SPLIT) {
        size_t i;
        json_t *x;
        json_array_foreach(ma->ids, i, x) {
            if (strcmp(json_string_value(x), a))
                json_array_append_new(
                    list, json_pack("{s:s,s:s,s:O,s:s}", "kind", "split",
                                    "a", a, "b", x, "user", user));
        }
    } else {
        /* every member of each incident of now to the other's event */
        size_t i;
        json_t *x;
        json_array_foreach(ma->ids, i, x) {
            json_array_append_new(
                list, json_pack("{s:s,s:O,s:s,s:s}", "kind", "merge", "a", x,
                                "b", b, "user", user));
        }
        json_array_foreach(mb->ids, i, x) {
            if (strcmp(json_string_value(x), b))
                json_array_append_new(
                    list, json_pack("{s:s,s:s,s:O,s:s}", "kind", "merge",
                                    "a", a, "b", x, "user", user));
        }
    }
    return json_pack("{s:o}", "rules", list);
}

truce_status
truce_store_link_rule(struct truce_store *st, enum truce_link_rule_kind kind,
                      const char *a, const char *b, const char *user)
{
    struct members ma = {0}, mb = {0};
    struct rules old = {0};
    json_t *doc = NULL, *entry = NULL;
    char *text = NULL, *audit = NULL;
    bool changed;
    truce_status rc;
    truce__clear(st->ctx);
    if (!a || (kind == TRUCE_LINK_MERGE && !b))
        return truce__err(st->ctx, TRUCE_EINVAL, "a %s names %s",
                          kind == TRUCE_LINK_MERGE ? "merge" : "split",
                          kind == TRUCE_LINK_MERGE ? "two events" : "an event");
    if (kind == TRUCE_LINK_MERGE && !strcmp(a, b))
        return truce__err(st->ctx, TRUCE_EINVAL, "a merge of '%s' with "
                          "itself", a);
    if ((rc = truce__store_begin(st)))
        return rc;
    if ((rc = members_of(st, a, &ma)) ||
        (kind == TRUCE_LINK_MERGE && (rc = members_of(st, b, &mb))) ||
        (rc = rules_load(st, &old)))
        goto out;
    if (kind == TRUCE_LINK_SPLIT && json_array_size(ma.ids) < 2) {
        rc = truce__err(st->ctx, TRUCE_EINVAL, "'%s' is alone in its "
                        "incident%s: nothing to split", a,
                        ma.incident ? "" : " (not linked yet)");
        goto out;
    }
    user = user ? user : "";
    doc = rules_rewritten(&old, kind, a, b, &ma, &mb, user);
    entry = json_pack("{s:s,s:s,s:s,s:O,s:o}", "user", user,
                      "event", a, "action",
                      kind == TRUCE_LINK_MERGE ? "link-merge" : "link-split",
                      "before", ma.ids,
                      "after", kind == TRUCE_LINK_MERGE
                                   ? json_pack("{s:s}", "with", b)
                                   : json_null());
    text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    audit = entry ? json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER)
                  : NULL;
    if (!text || !audit) {
        rc = truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = st->ops->put_doc(st->impl, "link", "rules", text, &changed)) ||
        (rc = st->ops->unlink_incident(st->impl, ma.key)) ||
        (kind == TRUCE_LINK_MERGE &&
         (rc = st->ops->unlink_incident(st->impl, mb.key))) ||
        (rc = truce__store_touched(st)) ||
        (rc = st->ops->add_audit(st->impl, a, audit)))
        goto out;
    rc = truce__store_commit(st);
out:
    if (rc)
        truce__store_abort(st);
    json_decref(ma.ids);
    json_decref(mb.ids);
    json_decref(doc);
    json_decref(entry);
    free(text);
    free(audit);
    rules_free(&old);
    return rc;
}
