/*
 * unmatched.c - unknown actors as a workflow: the names in the stored
 * events that the dictionary does not know, with how often and where they
 * appear and what the sources say they are; and a draft dictionary that
 * adds an entry for each, spellings of one actor grouped, the kind read
 * from those types, ids made from the names.
 */
#include "truce_int.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

/* ---------------------------------------------------------- collecting */

struct collect {
    struct truce_ctx *ctx;
    const struct truce_actors *actors;
    json_t *names;   /* name -> {"count", "sources": {}, "inter": {}} */
    json_t *seen;    /* names counted for the current event */
};

/* The source's type of the actor in position pos (1 or 2) of ev: ACLED's
 * inter code, or UCDP's side and kind of violence. NULL when none. */
static const char *
actor_type(const struct truce_event *ev, int pos, char *buf, size_t n)
{
    const char *inter = pos == 1 ? ev->inter1 : ev->inter2;
    if (inter)
        return inter;
    if (ev->source && strcmp(ev->source, "ucdp") == 0 && ev->subcategory) {
        snprintf(buf, n, "%s %s", pos == 1 ? "side_a" : "side_b",
                 ev->subcategory);
        return buf;
    }
    return NULL;
}

static truce_status
note_name(struct collect *c, const struct truce_event *ev,
          const struct truce_actor_ref *ref, const char *type)
{
    char name[512];
    json_t *e, *m;
    size_t n = ref->len < sizeof(name) - 1 ? ref->len : sizeof(name) - 1;
    memcpy(name, ref->text, n);
    name[n] = '\0';
    if (!(e = json_object_get(c->names, name))) {
        e = json_pack("{s:I,s:{},s:{}}", "count", (json_int_t)0, "sources",
                      "inter");
        if (!e || json_object_set_new(c->names, name, e))
            return TRUCE_ENOMEM;
    }
    if (!json_object_get(c->seen, name)) {
        json_object_set_new(e, "count",
                            json_integer(json_integer_value(
                                             json_object_get(e, "count")) +
                                         1));
        json_object_set_new(c->seen, name, json_true());
    }
    if (ev->source)
        json_object_set_new(json_object_get(e, "sources"), ev->source,
                            json_true());
    if (type) {
        m = json_object_get(e, "inter");
        json_object_set_new(m, type,
                            json_integer(json_integer_value(
                                             json_object_get(m, type)) +
                                         1));
    }
    return TRUCE_OK;
}

static truce_status
collect_event(void *ud, struct truce_stored *rec)
{
    struct collect *c = ud;
    const char *fields[2] = {rec->ev.actor1, rec->ev.actor2};
    truce_status st = TRUCE_OK;
    json_object_clear(c->seen);
    for (int pos = 1; pos <= 2 && !st; pos++) {
        struct truce_actor_ref refs[TRUCE_MAX_FIELD_ACTORS];
        char buf[64];
        size_t n = truce__actors_resolve(c->actors, fields[pos - 1], refs,
                                         TRUCE_MAX_FIELD_ACTORS);
        const char *type = actor_type(&rec->ev, pos, buf, sizeof(buf));
        for (size_t i = 0; i < n && !st; i++) {
            if (refs[i].actor == TRUCE_ACTOR_UNKNOWN_IDX)
                st = note_name(c, &rec->ev, &refs[i], type);
        }
    }
    return st ? truce__err(c->ctx, st, "out of memory") : TRUCE_OK;
}

/* Keys of an object as a sorted array of strings. */
static json_t *
sorted_keys(json_t *o)
{
    json_t *arr = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        json_array_append_new(arr, json_string(k));
    }
    /* insertion sort: a name has few sources and types */
    for (size_t i = 1; i < json_array_size(arr); i++) {
        for (size_t j = i; j > 0 &&
                           strcmp(json_string_value(json_array_get(arr, j - 1)),
                                  json_string_value(json_array_get(arr, j))) >
                               0;
             j--) {
            json_t *a = json_incref(json_array_get(arr, j - 1));
            json_array_set(arr, j - 1, json_array_get(arr, j));
            json_array_set_new(arr, j, a);
        }
    }
    return arr;
}

static int
by_count(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t cx = json_integer_value(json_object_get(x, "count"));
    json_int_t cy = json_integer_value(json_object_get(y, "count"));
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "name")),
                  json_string_value(json_object_get(y, "name")));
}

truce_status
truce_store_unmatched(struct truce_ctx *ctx, struct truce_store *st,
                      const struct truce_actors *actors, char **out)
{
    struct collect c = {ctx, actors, json_object(), json_object()};
    struct truce_query q = {0};
    json_t **items = NULL, *arr = NULL, *doc;
    const char *name;
    json_t *e;
    size_t n = 0;
    truce_status rc;
    truce__clear(ctx);
    *out = NULL;
    q.no_assessments = true;
    if (!c.names || !c.seen) {
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = truce_store_query(st, &q, collect_event, &c)))
        goto done;
    items = truce__calloc(json_object_size(c.names) + 1, sizeof(*items));
    arr = json_array();
    if (!items || !arr) {
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        goto done;
    }
    json_object_foreach(c.names, name, e) {
        json_t *o = json_pack("{s:s,s:O,s:o,s:o}", "name", name, "count",
                              json_object_get(e, "count"), "sources",
                              sorted_keys(json_object_get(e, "sources")),
                              "inter",
                              sorted_keys(json_object_get(e, "inter")));
        if (!o) {
            rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
            goto done;
        }
        /* how often each type was seen, for the suggestion's kind */
        json_object_set(o, "inter_counts", json_object_get(e, "inter"));
        items[n++] = o;
    }
    qsort(items, n, sizeof(*items), by_count);
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, items[i]);
        items[i] = NULL;
    }
    doc = json_pack("{s:o}", "actors", arr);
    arr = NULL;
    *out = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!*out)
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
done:
    for (size_t i = 0; items && i < n; i++)
        json_decref(items[i]);
    truce__free(items);
    json_decref(arr);
    json_decref(c.names);
    json_decref(c.seen);
    return rc;
}

/* ---------------------------------------------------------- suggesting */

/* The kind a source's actor type stands for, or NULL. */
static const char *
kind_of_type(const char *type, const char *name)
{
    static const char *const acled[] = {NULL,       "state",      "rebel",
                                        "militia",  "militia",    "civilians",
                                        "civilians", "civilians", "external"};
    if (type[0] >= '1' && type[0] <= '8' && !type[1])
        return acled[type[0] - '0'];
    if (strcmp(type, "side_a state-based") == 0)
        return "state";
    if (strcmp(type, "side_b state-based") == 0)
        return "rebel";
    if (strstr(type, "non-state"))
        return "militia";
    if (strcmp(type, "side_b one-sided") == 0)
        return "civilians";
    if (strcmp(type, "side_a one-sided") == 0)
        return strncmp(name, "Government of", 13) == 0 ? "state" : "militia";
    return NULL;
}

/* The kind most of a name's types say, "unknown" without any and for
 * ACLED's generic "Unidentified ..." groups, which stay unknown. */
static const char *
suggest_kind(json_t *counts, const char *name)
{
    static const char *const kinds[] = {"state", "rebel", "militia",
                                        "civilians", "external"};
    json_int_t votes[5] = {0}, best = 0;
    const char *type, *kind = "unknown";
    json_t *v;
    if (strncmp(name, "Unidentified", 12) == 0)
        return kind;
    json_object_foreach(counts, type, v) {
        const char *k = kind_of_type(type, name);
        for (size_t i = 0; k && i < 5; i++) {
            if (strcmp(k, kinds[i]) == 0)
                votes[i] += json_integer_value(v);
        }
    }
    for (size_t i = 0; i < 5; i++) {
        if (votes[i] > best) {
            best = votes[i];
            kind = kinds[i];
        }
    }
    return kind;
}

/* The key that groups spellings of one actor: the name as the dictionary
 * matches it (parenthesised text, so periods such as "(2014-2019)" and
 * "(2019-)", goes) without ACLED's "ABBR: " prefix. A unit after a
 * period stays: two units of one force may be on two sides. */
static truce_status
group_key(const char *name, struct truce_buf *out)
{
    size_t n = strlen(name), ab = truce__actor_abbr(name, n);
    truce_buf_reset(out);
    return ab ? truce_normalise(name + ab + 2, n - ab - 2, out)
              : truce_normalise(name, n, out);
}

/* An id from a name: its normalised form with '-' for spaces, made unique
 * against ids (an object of ids taken). */
static char *
slug(const char *key, json_t *taken)
{
    char base[128], id[160];
    size_t k = 0;
    for (const char *p = key; *p && k + 1 < sizeof(base); p++)
        base[k++] = *p == ' ' ? '-' : *p;
    base[k] = '\0';
    if (!k)
        snprintf(base, sizeof(base), "actor");
    snprintf(id, sizeof(id), "%s", base);
    for (int i = 2; json_object_get(taken, id); i++)
        snprintf(id, sizeof(id), "%s-%d", base, i);
    json_object_set_new(taken, id, json_true());
    return truce__strdup(id);
}

truce_status
truce_actors_suggest(struct truce_ctx *ctx, const char *dictionary,
                     const char *unmatched, char **out)
{
    json_t *dict, *um, *actors, *groups, *taken, *order, *a, *u;
    struct truce_buf key;
    size_t i;
    truce_status rc = TRUCE_OK;
    truce__clear(ctx);
    dict = dictionary ? json_loads(dictionary, 0, NULL)
                      : json_pack("{s:[]}", "actors");
    um = json_loads(unmatched, 0, NULL);
    actors = json_object_get(dict, "actors");
    groups = json_object();
    taken = json_object();
    order = json_array();
    *out = NULL;
    truce_buf_init(&key, 0);
    if (!json_is_array(actors) || !json_is_array(json_object_get(um,
                                                                 "actors"))) {
        rc = truce__err(ctx, TRUCE_EINVAL, "the dictionary or the list of "
                        "unmatched names is not of the expected shape");
        goto done;
    }
    json_array_foreach(actors, i, a) {
        const char *id = json_string_value(json_object_get(a, "id"));
        if (id)
            json_object_set_new(taken, id, json_true());
    }
    /* Group the names by key, in the list's order (most events first). */
    json_array_foreach(json_object_get(um, "actors"), i, u) {
        const char *name = json_string_value(json_object_get(u, "name"));
        json_t *g;
        if (!name || group_key(name, &key) || key.len == 0)
            continue;
        if (!(g = json_object_get(groups, key.buf))) {
            g = json_pack("{s:s,s:[],s:{}}", "name", name, "aliases",
                          "counts");
            json_object_set_new(groups, key.buf, g);
            json_array_append_new(order, json_string(key.buf));
        }
        json_array_append_new(json_object_get(g, "aliases"),
                              json_string(name));
        json_object_update(json_object_get(g, "counts"),
                           json_object_get(u, "inter_counts"));
    }
    json_array_foreach(order, i, u) {
        json_t *g = json_object_get(groups, json_string_value(u));
        const char *name = json_string_value(json_object_get(g, "name"));
        char *id = slug(json_string_value(u), taken);
        json_t *aliases = json_object_get(g, "aliases");
        json_t *entry;
        if (!id) {
            rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
            goto done;
        }
        /* the name itself need not be an alias */
        json_array_remove(aliases, 0);
        entry = json_pack("{s:s,s:s,s:s,s:O,s:b}", "id", id, "name", name,
                          "kind",
                          suggest_kind(json_object_get(g, "counts"), name),
                          "aliases", aliases, "suggested", 1);
        truce__free(id);
        json_array_append_new(actors, entry);
    }
    *out = json_dumps(dict, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!*out)
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
done:
    truce_buf_release(&key);
    json_decref(dict);
    json_decref(um);
    json_decref(groups);
    json_decref(taken);
    json_decref(order);
    return rc;
}
