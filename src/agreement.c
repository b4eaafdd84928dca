/*
 * agreement.c - ceasefire agreements: parsed from the JSON of DESIGN
 * section 6, resolved (extends applied, zone files read and inlined),
 * compiled (time zone loaded, intervals in UTC, zones unioned and
 * prepared), and kept in a set with a spatial index over zone bounds.
 */
#include "truce_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

struct truce_agreements {
    struct truce_ctx *ctx; /* the context that made the GEOS objects */
    struct truce__agreement **items;
    size_t n, cap;
    struct truce__index *index;
    const struct truce_actors *actors;
    struct truce_tz **tzs;  /* time zones, loaded once, shared by name */
    size_t n_tzs;
    char **outside;         /* folders zone files may be in besides the
                               agreement file's own (resolved paths) */
    size_t n_outside;
    struct area_shape {     /* countries' and admin units' shapes */
        char *name;         /* the country's or the unit's name */
        char *of;           /* a unit's boundaries set; NULL: a country */
        char *key;          /* a unit's name for matching (admin_key) */
        void *geom;         /* GEOS, made by ctx */
    } *areas;
    size_t n_areas;
};

static const unsigned default_prohibited =
    (1u << TRUCE_CAT_BATTLE) | (1u << TRUCE_CAT_REMOTE_VIOLENCE) |
    (1u << TRUCE_CAT_VAC) | (1u << TRUCE_CAT_ARMED_VIOLENCE);

/* ---------------------------------------------------------- freeing */

static void
free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        truce__free(v[i]);
    truce__free(v);
}

static void
agreement_free(struct truce_ctx *ctx, struct truce__agreement *a)
{
    if (!a)
        return;
    truce__free(a->id);
    truce__free(a->name);
    truce__free(a->kind);
    truce__free(a->extends);
    truce__free(a->timezone);
    truce__free(a->source);
    free_strings(a->brokers, a->n_brokers); /* a->tz belongs to the set */
    truce__free(a->intervals);
    for (size_t i = 0; i < a->n_zones; i++) {
        truce__free(a->zones[i].name);
        truce__geo_free(ctx, a->zones[i].geom);
    }
    truce__free(a->zones);
    truce__zoneset_free(ctx, a->zoneset);
    for (size_t i = 0; i < a->n_sides; i++) {
        struct truce__side *s = &a->sides[i];
        truce__free(s->id);
        truce__free(s->name);
        free_strings(s->guarantors, s->n_guarantors);
        for (size_t k = 0; k < s->n_members; k++)
            truce__free(s->members[k].actor_id);
        truce__free(s->members);
    }
    truce__free(a->sides);
    free_strings(a->excluded, a->n_excluded);
    truce__free(a->excluded_idx);
    truce__free(a->json);
    truce__free(a);
}

truce_status
truce_agreements_new(struct truce_ctx *ctx, struct truce_agreements **out)
{
    struct truce_agreements *set;
    truce__clear(ctx);
    set = truce__calloc(1, sizeof(*set));
    if (!set)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    set->ctx = ctx;
    *out = set;
    return TRUCE_OK;
}

void
truce_agreements_free(struct truce_agreements *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        agreement_free(set->ctx, set->items[i]);
    truce__free(set->items);
    for (size_t i = 0; i < set->n_tzs; i++)
        truce_tz_free(set->tzs[i]);
    truce__free(set->tzs);
    truce__index_free(set->ctx, set->index);
    for (size_t i = 0; i < set->n_outside; i++)
        truce__free(set->outside[i]);
    truce__free(set->outside);
    for (size_t i = 0; i < set->n_areas; i++) {
        truce__free(set->areas[i].name);
        truce__free(set->areas[i].of);
        truce__free(set->areas[i].key);
        truce__geo_free(set->ctx, set->areas[i].geom);
    }
    truce__free(set->areas);
    truce__free(set);
}

/* An admin unit's name for matching: normalised, without the words for
 * the kind of unit ("Idlib governorate", "Muhafazat Idlib" and "Idlib"
 * alike). */
static truce_status
admin_key(const char *name, struct truce_buf *out)
{
    static const char *const kinds[] = {
        " governorate", " province", " region", " district", " state",
        " oblast", " wilaya", " county", " prefecture", " department"};
    truce_status st;
    truce_buf_reset(out);
    if ((st = truce_normalise(name, strlen(name), out)))
        return st;
    if (strncmp(out->buf, "muhafazat ", 10) == 0) {
        memmove(out->buf, out->buf + 10, out->len - 9);
        out->len -= 10;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t n = strlen(kinds[i]);
        if (out->len > n && strcmp(out->buf + out->len - n, kinds[i]) == 0) {
            out->len -= n;
            out->buf[out->len] = '\0';
            break;
        }
    }
    return TRUCE_OK;
}

truce_status
truce_agreements_add_area(struct truce_ctx *ctx, struct truce_agreements *set,
                          const char *name, const char *of,
                          const char *geojson)
{
    json_error_t jerr;
    json_t *root;
    struct area_shape *v, *e;
    struct truce_buf key;
    void *g = NULL;
    truce_status st;
    char what[300];
    truce__clear(ctx);
    root = json_loads(geojson, 0, &jerr);
    if (!root)
        return truce__err(ctx, TRUCE_EPARSE, "boundaries '%s': %s",
                          of ? of : name, jerr.text);
    snprintf(what, sizeof(what), "boundaries '%s'%s%s", of ? of : name,
             of ? ", feature " : "", of ? name : "");
    st = truce__geo_from_any(ctx, root, NULL, what, false, &g);
    json_decref(root);
    if (st)
        return st;
    v = truce__realloc(set->areas, (set->n_areas + 1) * sizeof(*v));
    if (!v) {
        truce__geo_free(ctx, g);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    set->areas = v;
    e = &v[set->n_areas];
    memset(e, 0, sizeof(*e));
    e->geom = g;
    truce_buf_init(&key, 0);
    if (!(e->name = truce__strdup(name)) ||
        (of && (!(e->of = truce__strdup(of)) || admin_key(name, &key) ||
                !(e->key = truce_buf_detach(&key))))) {
        truce_buf_release(&key);
        truce__free(e->name);
        truce__free(e->of);
        truce__geo_free(ctx, g);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    set->n_areas++;
    return TRUCE_OK;
}

const void *
truce__agreements_area(const struct truce_agreements *set,
                       const struct truce__country *c, const char *admin,
                       const char **name, const char **of)
{
    struct truce_buf key;
    const void *found = NULL;
    truce_buf_init(&key, 0);
    if (admin && admin_key(admin, &key))
        return NULL;
    for (size_t i = 0; i < set->n_areas && !found; i++) {
        const struct area_shape *e = &set->areas[i];
        if ((c && !e->of && truce__country_find_name(e->name) == c) ||
            (admin && e->of && strcmp(e->key, key.buf) == 0)) {
            *name = e->name;
            *of = e->of;
            found = e->geom;
        }
    }
    truce_buf_release(&key);
    return found;
}

truce_status
truce_agreements_allow_outside(struct truce_ctx *ctx,
                               struct truce_agreements *set, const char *dir)
{
    char real[PATH_MAX], **v;
    truce__clear(ctx);
    if (!realpath(dir, real))
        return truce__err(ctx, TRUCE_EIO, "cannot allow zone files in '%s': "
                          "%s", dir, strerror(errno));
    v = truce__realloc(set->outside, (set->n_outside + 1) * sizeof(*v));
    if (!v)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    set->outside = v;
    if (!(v[set->n_outside] = truce__strdup(real)))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    set->n_outside++;
    return TRUCE_OK;
}

/* ------------------------------------------------------ small readers */

/* A parse error about agreement `id` (or index) in fname. */
#define AG_ERR(ctx, w, ...)                                                 \
    truce__err((ctx), TRUCE_EPARSE, "%s: agreement '%s': " w, (fname),     \
               (ag_id), __VA_ARGS__)

static const char *
str_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static truce_status
dup_field(json_t *o, const char *key, char **out)
{
    const char *s = str_field(o, key);
    *out = NULL;
    if (!s)
        return TRUCE_OK;
    *out = truce__strdup(s);
    return *out ? TRUCE_OK : TRUCE_ENOMEM;
}

static truce_status
string_list(struct truce_ctx *ctx, json_t *arr, const char *fname,
            const char *ag_id, const char *what, char ***out, size_t *n)
{
    size_t i;
    json_t *v;
    *out = NULL;
    *n = 0;
    if (!arr || json_is_null(arr))
        return TRUCE_OK;
    if (!json_is_array(arr))
        return AG_ERR(ctx, "field '%s' is not an array", what);
    *out = truce__calloc(json_array_size(arr), sizeof(char *));
    if (!*out)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v))
            return AG_ERR(ctx, "%s[%zu] is not a string", what, i);
        (*out)[i] = truce__strdup(json_string_value(v));
        *n = i + 1;
        if (!(*out)[i])
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    return TRUCE_OK;
}

/* A time of the agreement: local to tz unless it has an offset. */
static truce_status
agreement_time(const struct truce_tz *tz, const char *s, int64_t *utc,
               int64_t *local)
{
    struct truce_when w;
    if (truce_parse_when(s, strlen(s), &w))
        return TRUCE_EPARSE;
    if (w.has_offset) {
        *utc = w.secs;
        if (local)
            *local = w.secs + truce_tz_offset(tz, w.secs);
    } else {
        *utc = truce_tz_to_utc(tz, w.secs);
        if (local)
            *local = w.secs;
    }
    return TRUCE_OK;
}

/* ---------------------------------------------------------- intervals */

static int
cmp_interval(const void *a, const void *b)
{
    const struct truce__interval *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

static truce_status
parse_intervals(struct truce_ctx *ctx, struct truce__agreement *a, json_t *arr,
                const char *fname)
{
    const char *ag_id = a->id;
    size_t i;
    json_t *v;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return AG_ERR(ctx, "field '%s' must be a non-empty array", "in_force");
    a->intervals = truce__calloc(json_array_size(arr), sizeof(*a->intervals));
    if (!a->intervals)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    json_array_foreach(arr, i, v) {
        struct truce__interval *iv = &a->intervals[i];
        const char *from = str_field(v, "from"), *until = str_field(v, "until");
        json_t *ju = json_object_get(v, "until");
        if (!json_is_object(v) || !from)
            return AG_ERR(ctx, "in_force[%zu]: field 'from' is missing", i);
        if (agreement_time(a->tz, from, &iv->from, NULL))
            return AG_ERR(ctx, "in_force[%zu]: 'from' is not a date or "
                          "date-time: '%s'", i, from);
        iv->until = INT64_MAX;
        if (until && agreement_time(a->tz, until, &iv->until, NULL))
            return AG_ERR(ctx, "in_force[%zu]: 'until' is not a date or "
                          "date-time: '%s'", i, until);
        if (!until && ju && !json_is_null(ju))
            return AG_ERR(ctx, "in_force[%zu]: 'until' must be a string or "
                          "null", i);
        if (iv->until <= iv->from)
            return AG_ERR(ctx, "in_force[%zu]: 'until' is not after 'from'",
                          i);
        a->n_intervals = i + 1;
    }
    qsort(a->intervals, a->n_intervals, sizeof(*a->intervals), cmp_interval);
    for (i = 1; i < a->n_intervals; i++) {
        if (a->intervals[i].from < a->intervals[i - 1].until)
            return AG_ERR(ctx, "in_force intervals overlap (%zu and %zu "
                          "after sorting by 'from')", i - 1, i);
    }
    return TRUCE_OK;
}

/* -------------------------------------------------------------- sides */

static truce_status
parse_member(struct truce_ctx *ctx, struct truce__agreement *a,
             struct truce__member *m, json_t *v, const char *fname,
             size_t si, size_t mi)
{
    const char *ag_id = a->id, *actor, *from, *until;
    m->actor = -1;
    if (json_is_string(v)) {
        m->actor_id = truce__strdup(json_string_value(v));
        return m->actor_id ? TRUCE_OK : TRUCE_ENOMEM;
    }
    actor = str_field(v, "actor");
    if (!json_is_object(v) || !actor)
        return AG_ERR(ctx, "sides[%zu].members[%zu] must be an actor id or "
                      "{\"actor\", \"from\", \"until\"}", si, mi);
    if (!(m->actor_id = truce__strdup(actor)))
        return TRUCE_ENOMEM;
    from = str_field(v, "from");
    until = str_field(v, "until");
    if (from) {
        m->has_from = true;
        if (agreement_time(a->tz, from, &m->from, &m->from_local))
            return AG_ERR(ctx, "sides[%zu].members[%zu]: bad 'from' '%s'",
                          si, mi, from);
    }
    if (until) {
        m->has_until = true;
        if (agreement_time(a->tz, until, &m->until, &m->until_local))
            return AG_ERR(ctx, "sides[%zu].members[%zu]: bad 'until' '%s'",
                          si, mi, until);
    }
    if (from && until && m->until <= m->from)
        return AG_ERR(ctx, "sides[%zu].members[%zu]: 'until' is not after "
                      "'from'", si, mi);
    return TRUCE_OK;
}

static truce_status
parse_sides(struct truce_ctx *ctx, struct truce__agreement *a, json_t *arr,
            const char *fname)
{
    const char *ag_id = a->id;
    size_t i, k;
    json_t *s, *m;
    truce_status st;
    if (!arr || json_is_null(arr))
        return TRUCE_OK;
    if (!json_is_array(arr))
        return AG_ERR(ctx, "field '%s' is not an array", "sides");
    a->sides = truce__calloc(json_array_size(arr), sizeof(*a->sides));
    if (!a->sides)
        return TRUCE_ENOMEM;
    json_array_foreach(arr, i, s) {
        struct truce__side *sd = &a->sides[i];
        json_t *members = json_object_get(s, "members");
        a->n_sides = i + 1;
        if (!json_is_object(s) || !str_field(s, "id"))
            return AG_ERR(ctx, "sides[%zu]: field 'id' is missing", i);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(a->sides[j].id, str_field(s, "id")) == 0)
                return AG_ERR(ctx, "sides[%zu]: id '%s' appears twice", i,
                              a->sides[j].id);
        }
        if ((st = dup_field(s, "id", &sd->id)) ||
            (st = dup_field(s, "name", &sd->name)))
            return st;
        {
            /* "guarantor": one id, or a list of them */
            json_t *g = json_object_get(s, "guarantor");
            json_t *list = json_is_string(g) ? json_pack("[O]", g)
                                             : json_incref(g);
            st = string_list(ctx, list, fname, ag_id, "guarantor",
                             &sd->guarantors, &sd->n_guarantors);
            json_decref(list);
            if (st)
                return st;
        }
        if (!json_is_array(members))
            return AG_ERR(ctx, "sides[%zu]: field 'members' is missing or "
                          "not an array", i);
        sd->members = truce__calloc(json_array_size(members),
                                    sizeof(*sd->members));
        if (!sd->members)
            return TRUCE_ENOMEM;
        json_array_foreach(members, k, m) {
            sd->n_members = k + 1;
            if ((st = parse_member(ctx, a, &sd->members[k], m, fname, i, k)))
                return st;
        }
    }
    return TRUCE_OK;
}

static truce_status
parse_prohibited(struct truce_ctx *ctx, struct truce__agreement *a,
                 json_t *arr, const char *fname)
{
    const char *ag_id = a->id;
    size_t i;
    json_t *v;
    if (!arr || json_is_null(arr)) {
        a->prohibited = default_prohibited;
        return TRUCE_OK;
    }
    if (!json_is_array(arr))
        return AG_ERR(ctx, "field '%s' is not an array", "prohibited");
    a->prohibited = 0;
    json_array_foreach(arr, i, v) {
        enum truce_category c = json_is_string(v)
            ? truce_category_parse(json_string_value(v), json_string_length(v))
            : TRUCE_CAT_NONE;
        if (c == TRUCE_CAT_NONE)
            return AG_ERR(ctx, "prohibited[%zu] is not a category (%s)", i,
                          TRUCE_NAME_LIST(TRUCE_CATEGORIES));
        a->prohibited |= 1u << c;
    }
    return TRUCE_OK;
}

/* -------------------------------------------------------------- zones */

/* True when the resolved path lies in the resolved folder dir. */
static bool
path_in(const char *real, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(real, dir, n) == 0 &&
           (real[n] == '/' || (n == 1 && dir[0] == '/'));
}

/* Resolves a zone file named in an agreement file read from base_dir into
 * real (PATH_MAX bytes): it must exist and lie in base_dir or in a folder
 * allowed with truce_agreements_allow_outside. The messages never quote
 * the file's content. */
static truce_status
zone_path(struct truce_ctx *ctx, const struct truce_agreements *set,
          const char *base_dir, const char *file, const char *what,
          char *real)
{
    char path[PATH_MAX], dir[PATH_MAX];
    if (!base_dir)
        return truce__err(ctx, TRUCE_EINVAL, "%s: zone file '%s': zones "
                          "from files are read only from an agreement file "
                          "(truce agreements load)", what, file);
    if (snprintf(path, sizeof(path), "%s%s%s", file[0] == '/' ? "" : base_dir,
                 file[0] == '/' ? "" : "/", file) >= (int)sizeof(path))
        return truce__err(ctx, TRUCE_EINVAL, "%s: zone file '%s': the path "
                          "is too long", what, file);
    if (!realpath(path, real))
        return truce__err(ctx, TRUCE_EIO, "%s: cannot read zone file '%s': "
                          "%s", what, file, strerror(errno));
    if (!realpath(base_dir, dir))
        return truce__err(ctx, TRUCE_EIO, "%s: cannot resolve the folder "
                          "'%s': %s", what, base_dir, strerror(errno));
    if (path_in(real, dir))
        return TRUCE_OK;
    for (size_t i = 0; i < set->n_outside; i++) {
        if (path_in(real, set->outside[i]))
            return TRUCE_OK;
    }
    return truce__err(ctx, TRUCE_EINVAL, "%s: zone file '%s' lies outside "
                      "the agreement file's folder '%s' (allow its folder "
                      "with --allow-outside DIR)", what, file, base_dir);
}

/* Reads the polygons of a GeoJSON file that match `where` into one
 * geometry (*out, a GEOS geometry). */
static truce_status
zone_from_file(struct truce_ctx *ctx, const char *path, json_t *where,
               const char *what, bool strict, void **out)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    truce_status st;
    if (!root) {
        /* jansson's text may quote the file: say only where. */
        if (jerr.line <= 0 && jerr.position == 0)
            return truce__err(ctx, TRUCE_EIO, "%s: cannot read zone file "
                              "'%s'", what, path);
        return truce__err(ctx, TRUCE_EPARSE, "%s: zone file '%s' is not "
                          "JSON (line %d, column %d)", what, path, jerr.line,
                          jerr.column);
    }
    st = truce__geo_from_any(ctx, root, where, what, strict, out);
    json_decref(root);
    if (st == TRUCE_EPARSE && where)
        return truce__err(ctx, st, "%s: no polygon in '%s' matches 'where'",
                          what, path);
    return st;
}

/* Compiles the zones; with base_dir, `file` zones are read and the zone
 * objects in `arr` are rewritten with an inline geometry. */
static truce_status
parse_zones(struct truce_ctx *ctx, const struct truce_agreements *set,
            struct truce__agreement *a, json_t *arr, const char *fname,
            const char *base_dir, bool strict)
{
    const char *ag_id = a->id;
    size_t i;
    json_t *z;
    void **geoms;
    truce_status st = TRUCE_OK;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return AG_ERR(ctx, "field '%s' must be a non-empty array", "zones");
    a->zones = truce__calloc(json_array_size(arr), sizeof(*a->zones));
    geoms = truce__calloc(json_array_size(arr), sizeof(*geoms));
    if (!a->zones || !geoms) {
        truce__free(geoms);
        return TRUCE_ENOMEM;
    }
    json_array_foreach(arr, i, z) {
        char what[512];
        const char *name = str_field(z, "name"), *file = str_field(z, "file");
        json_t *g = json_object_get(z, "geometry");
        snprintf(what, sizeof(what), "%s: agreement '%s': zone %zu ('%s')",
                 fname, ag_id, i, name ? name : "?");
        if (!json_is_object(z) || !name) {
            st = AG_ERR(ctx, "zones[%zu]: field 'name' is missing", i);
            break;
        }
        if (!g && file) {
            char path[PATH_MAX];
            st = zone_path(ctx, set, base_dir, file, what, path);
            if (!st)
                st = zone_from_file(ctx, path, json_object_get(z, "where"),
                                    what, strict, &geoms[i]);
        } else if (g) {
            st = truce__geo_from_geojson(ctx, g, what, strict, &geoms[i]);
        } else {
            st = AG_ERR(ctx, "zones[%zu]: needs 'geometry' or 'file'", i);
        }
        if (st)
            break;
        a->zones[i].name = truce__strdup(name);
        a->n_zones = i + 1;
        if (!a->zones[i].name) {
            st = TRUCE_ENOMEM;
            break;
        }
        {
            char *gj = truce__geo_to_geojson(ctx, geoms[i]);
            json_t *inl = gj ? json_loads(gj, 0, NULL) : NULL;
            truce__free(gj);
            if (!inl) {
                st = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
                break;
            }
            json_object_set_new(z, "geometry", inl);
            if (file)
                json_object_set_new(z, "source_file", json_string(file));
            json_object_del(z, "file"); /* frees the string `file` */
            json_object_del(z, "where");
        }
    }
    if (!st)
        st = truce__zoneset_new(ctx, geoms, a->n_zones, &a->zoneset);
    for (i = 0; i < json_array_size(arr); i++)
        truce__geo_free(ctx, geoms[i]);
    truce__free(geoms);
    if (!st)
        a->area_km2 = truce__geo_area_km2(ctx, truce__zoneset_geom(a->zoneset));
    return st;
}

/* ---------------------------------------------------------- compiling */

static long
set_find(const struct truce_agreements *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->items[i]->id, id) == 0)
            return (long)i;
    }
    return -1;
}

/* Applies `extends`: copies sides, excluded and prohibited from the parent
 * where o lacks them. */
static truce_status
apply_extends(struct truce_ctx *ctx, struct truce_agreements *set, json_t *o,
              const char *fname, const char *ag_id, bool from_file)
{
    const char *parent = str_field(o, "extends");
    static const char *const inherited[] = {"sides", "excluded", "prohibited"};
    json_t *pj;
    long pi;
    bool complete = json_object_get(o, "sides") &&
                    json_object_get(o, "excluded") &&
                    json_object_get(o, "prohibited");
    if (!parent)
        return TRUCE_OK;
    if (strcmp(parent, ag_id) == 0)
        return AG_ERR(ctx, "extends '%s', itself", parent);
    /* A stored agreement (no folder) was resolved when it was loaded and
     * inherits nothing more: its parent may come later in id order. */
    if (complete && !from_file)
        return TRUCE_OK;
    pi = set_find(set, parent);
    if (pi < 0)
        return AG_ERR(ctx, "extends '%s', which is not loaded (load it first "
                      "or earlier in the same file)", parent);
    if (complete)
        return TRUCE_OK;
    pj = json_loads(set->items[pi]->json, 0, NULL);
    if (!pj)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < 3; i++) {
        if (!json_object_get(o, inherited[i]) &&
            json_object_get(pj, inherited[i]))
            json_object_set(o, inherited[i], json_object_get(pj, inherited[i]));
    }
    json_decref(pj);
    return TRUCE_OK;
}

/* The fields that are text: one of another type is an error, not an
 * absent field. */
static truce_status
check_text_fields(struct truce_ctx *ctx, json_t *o, const char *fname,
                  const char *ag_id)
{
    static const char *const fields[] = {"name", "kind", "extends",
                                         "timezone", "source"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        json_t *v = json_object_get(o, fields[i]);
        if (v && !json_is_string(v) && !json_is_null(v))
            return AG_ERR(ctx, "field '%s' is not a string", fields[i]);
    }
    return TRUCE_OK;
}

/* True when two memberships of one actor overlap in time. */
static bool
members_overlap(const struct truce__member *x, const struct truce__member *y)
{
    int64_t x0 = x->has_from ? x->from : INT64_MIN;
    int64_t x1 = x->has_until ? x->until : INT64_MAX;
    int64_t y0 = y->has_from ? y->from : INT64_MIN;
    int64_t y1 = y->has_until ? y->until : INT64_MAX;
    return x0 < y1 && y0 < x1;
}

/* An actor bound to two sides at once, or bound to a side and excluded,
 * contradicts the agreement: a breach would be read two ways (or, with
 * excluded, silently permitted). Both places are named. */
static truce_status
check_memberships(struct truce_ctx *ctx, const struct truce__agreement *a,
                  const char *fname, const char *ag_id)
{
    for (size_t s = 0; s < a->n_sides; s++) {
        for (size_t m = 0; m < a->sides[s].n_members; m++) {
            const struct truce__member *x = &a->sides[s].members[m];
            for (size_t e = 0; e < a->n_excluded; e++) {
                if (strcmp(x->actor_id, a->excluded[e]) == 0)
                    return AG_ERR(ctx, "actor '%s' is a member of side '%s' "
                                  "(sides[%zu].members[%zu]) and excluded "
                                  "(excluded[%zu])", x->actor_id,
                                  a->sides[s].id, s, m, e);
            }
            for (size_t t = s; t < a->n_sides; t++) {
                for (size_t k = t == s ? m + 1 : 0;
                     k < a->sides[t].n_members; k++) {
                    const struct truce__member *y = &a->sides[t].members[k];
                    if (strcmp(x->actor_id, y->actor_id) == 0 &&
                        members_overlap(x, y))
                        return AG_ERR(ctx, "actor '%s' is bound twice at one "
                                      "time: side '%s' (sides[%zu]."
                                      "members[%zu]) and side '%s' (sides"
                                      "[%zu].members[%zu])", x->actor_id,
                                      a->sides[s].id, s, m, a->sides[t].id, t,
                                      k);
                }
            }
        }
    }
    return TRUCE_OK;
}

/* Writes inherited and default fields out, so that the resolved text
 * stands alone. */
static void
make_explicit(json_t *o, const struct truce__agreement *a)
{
    json_t *p = json_array();
    for (int c = 1; c < TRUCE_CAT_COUNT; c++) {
        if (a->prohibited & (1u << c))
            json_array_append_new(
                p, json_string(truce_category_name((enum truce_category)c)));
    }
    json_object_set_new(o, "prohibited", p);
    if (!json_object_get(o, "sides"))
        json_object_set_new(o, "sides", json_array());
    if (!json_object_get(o, "excluded"))
        json_object_set_new(o, "excluded", json_array());
}

/* The set's time zone of this name, loaded on first use. */
static truce_status
set_tz(struct truce_ctx *ctx, struct truce_agreements *set, const char *name,
       struct truce_tz **out)
{
    struct truce_tz **v;
    truce_status st;
    for (size_t i = 0; i < set->n_tzs; i++) {
        if (strcmp(truce_tz_name(set->tzs[i]), name) == 0) {
            *out = set->tzs[i];
            return TRUCE_OK;
        }
    }
    v = truce__realloc(set->tzs, (set->n_tzs + 1) * sizeof(*v));
    if (!v)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    set->tzs = v;
    if ((st = truce_tz_load(ctx, name, out)))
        return st;
    set->tzs[set->n_tzs++] = *out;
    return TRUCE_OK;
}

static truce_status
compile(struct truce_ctx *ctx, struct truce_agreements *set, json_t *src,
        const char *fname, size_t idx, const char *base_dir, bool strict,
        struct truce__agreement **out)
{
    struct truce__agreement *a;
    json_t *o;
    const char *ag_id = str_field(src, "id"), *tz, *kind;
    truce_status st;
    if (!json_is_object(src) || !ag_id || !ag_id[0])
        return truce__err(ctx, TRUCE_EPARSE, "%s: agreement %zu: field 'id' "
                          "is missing or not a string", fname, idx);
    o = json_deep_copy(src);
    a = truce__calloc(1, sizeof(*a));
    if (!o || !a) {
        json_decref(o);
        truce__free(a);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    if ((st = check_text_fields(ctx, o, fname, ag_id)))
        goto out_fail;
    kind = str_field(o, "kind");
    if (kind && strcmp(kind, "nationwide") && strcmp(kind, "local") &&
        strcmp(kind, "humanitarian_pause")) {
        st = AG_ERR(ctx, "kind '%s' is not nationwide, local or "
                    "humanitarian_pause", kind);
        goto out_fail;
    }
    tz = str_field(o, "timezone");
    if (!tz) {
        st = AG_ERR(ctx, "field '%s' is missing", "timezone");
        goto out_fail;
    }
    if ((st = set_tz(ctx, set, tz, &a->tz))) {
        st = AG_ERR(ctx, "unknown time zone '%s'", tz);
        goto out_fail;
    }
    if ((st = dup_field(o, "id", &a->id)) ||
        (st = dup_field(o, "name", &a->name)) ||
        (st = dup_field(o, "kind", &a->kind)) ||
        (st = dup_field(o, "extends", &a->extends)) ||
        (st = dup_field(o, "timezone", &a->timezone)) ||
        (st = dup_field(o, "source", &a->source)))
        goto out_fail;
    if (!a->name && !(a->name = truce__strdup(a->id))) {
        st = TRUCE_ENOMEM;
        goto out_fail;
    }
    if (!a->kind && !(a->kind = truce__strdup("local"))) {
        st = TRUCE_ENOMEM;
        goto out_fail;
    }
    if ((st = apply_extends(ctx, set, o, fname, ag_id, base_dir != NULL)) ||
        (st = string_list(ctx, json_object_get(o, "brokers"), fname, ag_id,
                          "brokers", &a->brokers, &a->n_brokers)) ||
        (st = parse_intervals(ctx, a, json_object_get(o, "in_force"), fname)) ||
        (st = parse_sides(ctx, a, json_object_get(o, "sides"), fname)) ||
        (st = string_list(ctx, json_object_get(o, "excluded"), fname, ag_id,
                          "excluded", &a->excluded, &a->n_excluded)) ||
        (st = parse_prohibited(ctx, a, json_object_get(o, "prohibited"),
                               fname)) ||
        (st = check_memberships(ctx, a, fname, ag_id)) ||
        (st = parse_zones(ctx, set, a, json_object_get(o, "zones"), fname,
                          base_dir, strict)))
        goto out_fail;
    make_explicit(o, a);
    a->json = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (!a->json) {
        st = TRUCE_ENOMEM;
        goto out_fail;
    }
    json_decref(o);
    *out = a;
    return TRUCE_OK;
out_fail:
    if (st == TRUCE_ENOMEM)
        truce__err(ctx, st, "out of memory");
    json_decref(o);
    agreement_free(ctx, a);
    return st;
}

static truce_status
set_put(struct truce_agreements *set, struct truce__agreement *a)
{
    long i = set_find(set, a->id);
    if (i >= 0) {
        agreement_free(set->ctx, set->items[i]);
        set->items[i] = a;
        return TRUCE_OK;
    }
    if (set->n == set->cap) {
        size_t nc = set->cap ? set->cap * 2 : 8;
        struct truce__agreement **v =
            truce__realloc(set->items, nc * sizeof(*v));
        if (!v)
            return TRUCE_ENOMEM;
        set->items = v;
        set->cap = nc;
    }
    set->items[set->n++] = a;
    return TRUCE_OK;
}

truce_status
truce_agreements_parse(struct truce_ctx *ctx, struct truce_agreements *set,
                       const char *text, size_t n, const char *fname,
                       const char *base_dir, bool strict)
{
    json_error_t jerr;
    json_t *root, *o;
    truce_status st = TRUCE_OK;
    size_t i;
    truce__clear(ctx);
    root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return truce__err(ctx, TRUCE_EPARSE, "%s:%d: %s", fname, jerr.line,
                          jerr.text);
    if (json_is_object(root)) {
        json_t *arr = json_array();
        json_array_append_new(arr, root);
        root = arr;
    }
    if (!json_is_array(root)) {
        json_decref(root);
        return truce__err(ctx, TRUCE_EPARSE, "%s: expected an agreement "
                          "object or an array of them", fname);
    }
    json_array_foreach(root, i, o) {
        struct truce__agreement *a = NULL;
        const char *id = str_field(o, "id");
        for (size_t k = 0; id && k < i && !st; k++) {
            const char *other = str_field(json_array_get(root, k), "id");
            if (other && strcmp(id, other) == 0)
                st = truce__err(ctx, TRUCE_EPARSE, "%s: agreements %zu and "
                                "%zu both have the id '%s'", fname, k, i, id);
        }
        if (st || (st = compile(ctx, set, o, fname, i, base_dir, strict, &a)))
            break;
        if ((st = set_put(set, a))) {
            agreement_free(ctx, a);
            truce__err(ctx, st, "out of memory");
            break;
        }
    }
    json_decref(root);
    return st;
}

truce_status
truce_agreements_prepare(struct truce_ctx *ctx, struct truce_agreements *set,
                         const struct truce_actors *actors)
{
    double (*bounds)[4];
    truce_status st;
    truce__clear(ctx);
    set->actors = actors;
    for (size_t i = 0; i < set->n; i++) {
        struct truce__agreement *a = set->items[i];
        for (size_t s = 0; s < a->n_sides; s++) {
            for (size_t m = 0; m < a->sides[s].n_members; m++) {
                struct truce__member *mb = &a->sides[s].members[m];
                mb->actor = truce_actors_find_id(actors, mb->actor_id);
                if (mb->actor < 0)
                    truce__warn(ctx, "agreement '%s': side '%s': member '%s' "
                                "is not in the actor dictionary", a->id,
                                a->sides[s].id, mb->actor_id);
            }
        }
        truce__free(a->excluded_idx);
        a->excluded_idx = truce__calloc(a->n_excluded, sizeof(long));
        if (!a->excluded_idx)
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        for (size_t k = 0; k < a->n_excluded; k++) {
            a->excluded_idx[k] = truce_actors_find_id(actors, a->excluded[k]);
            if (a->excluded_idx[k] < 0)
                truce__warn(ctx, "agreement '%s': excluded actor '%s' is not "
                            "in the actor dictionary", a->id, a->excluded[k]);
        }
    }
    bounds = truce__calloc(set->n, sizeof(*bounds));
    if (!bounds)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    for (size_t i = 0; i < set->n; i++)
        truce__zoneset_bounds(set->items[i]->zoneset, bounds[i]);
    truce__index_free(set->ctx, set->index);
    set->index = NULL;
    st = truce__index_new(ctx, (const double(*)[4])bounds, set->n,
                          &set->index);
    truce__free(bounds);
    return st;
}

void
truce_agreements_member_counts(const struct truce_agreements *set,
                               size_t *known, size_t *total)
{
    *known = *total = 0;
    for (size_t i = 0; i < set->n; i++) {
        const struct truce__agreement *a = set->items[i];
        for (size_t s = 0; s < a->n_sides; s++) {
            for (size_t m = 0; m < a->sides[s].n_members; m++) {
                (*total)++;
                *known += a->sides[s].members[m].actor >= 0;
            }
        }
    }
}

size_t
truce_agreements_count(const struct truce_agreements *set)
{
    return set->n;
}

long
truce_agreements_find(const struct truce_agreements *set, const char *id)
{
    return set_find(set, id);
}

long
truce_agreements_containing(struct truce_ctx *ctx,
                            const struct truce_agreements *set, double lat,
                            double lon)
{
    truce__clear(ctx);
    for (size_t i = 0; set && i < set->n; i++) {
        const struct truce__agreement *a = set->items[i];
        if (a->zoneset && truce__zoneset_place(ctx, a->zoneset, lon, lat, 0) ==
                              TRUCE_PLACE_WITHIN)
            return (long)i;
    }
    return -1;
}

const struct truce__agreement *
truce__agreements_at(const struct truce_agreements *set, size_t i)
{
    return set->items[i];
}

bool
truce__agreements_indexed(const struct truce_agreements *set)
{
    return set->index != NULL;
}

size_t
truce__agreements_candidates(const struct truce_agreements *set,
                             struct truce_ctx *ctx, double w, double s,
                             double e, double n, size_t *out, size_t max)
{
    double b[4] = {w, s, e, n};
    if (!set->index) {
        size_t k = 0;
        for (size_t i = 0; i < set->n && k < max; i++)
            out[k++] = i;
        return k;
    }
    return truce__index_query(ctx, set->index, b, out, max);
}

void
truce_agreements_info(const struct truce_agreements *set, size_t i,
                      struct truce_agreement_info *out)
{
    const struct truce__agreement *a = set->items[i];
    out->id = a->id;
    out->name = a->name;
    out->kind = a->kind;
    out->extends = a->extends;
    out->timezone = a->timezone;
    out->source = a->source;
    out->n_zones = a->n_zones;
    out->n_intervals = a->n_intervals;
    out->n_sides = a->n_sides;
    out->area_km2 = a->area_km2;
    out->first_in_force = a->n_intervals ? a->intervals[0].from : 0;
    out->first_local = out->first_in_force +
                       truce_tz_offset(a->tz, out->first_in_force);
    out->json = a->json;
}
