/*
 * actors.c - the actor dictionary: many spellings, one id. Names are
 * matched after normalisation (DESIGN section 4) through a hash table of
 * normalised aliases.
 */
#include "truce_int.h"

#include <ctype.h>
#include <stdio.h>

#include <jansson.h>
#include <utf8proc.h>

struct actor {
    char *id, *name;
    enum truce_actor_kind kind;
};

struct slot {
    char *key; /* normalised alias; NULL when empty */
    long actor;
};

struct truce_actors {
    struct actor *actors;
    size_t n;
    struct slot *slots;
    size_t n_slots; /* a power of two */
    size_t n_used;
};

/* ------------------------------------------------------------ normalise */

bool
truce__cp_is_alnum(int32_t cp)
{
    utf8proc_category_t c;
    if (cp < 0x80)
        return isalnum(cp) != 0;
    c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

/* Applies the parenthesis and separator rules to folded text. */
static truce_status
norm_fold(const unsigned char *s, size_t n, struct truce_buf *out)
{
    size_t i = 0, start = out->len;
    int depth = 0;
    bool pending_space = false;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return TRUCE_EPARSE;
        if (cp == '(') {
            depth++;
            pending_space = true;
        } else if (cp == ')' && depth > 0) {
            depth--;
            pending_space = true;
        } else if (depth == 0) {
            if (truce__cp_is_alnum(cp)) {
                if (pending_space && out->len > start &&
                    truce_buf_add(out, " ", 1))
                    return TRUCE_ENOMEM;
                pending_space = false;
                if (truce_buf_add(out, (const char *)s + i, (size_t)k))
                    return TRUCE_ENOMEM;
            } else {
                pending_space = true;
            }
        }
        i += (size_t)k;
    }
    return TRUCE_OK;
}

truce_status
truce_normalise(const char *s, size_t n, struct truce_buf *out)
{
    bool ascii = true;
    truce_status st;
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t m;
    if (truce__utf8_check(s, n) != n)
        return TRUCE_EPARSE;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        char tmp[256];
        if (n < sizeof(tmp)) {
            for (size_t i = 0; i < n; i++)
                tmp[i] = (char)tolower((unsigned char)s[i]);
            return norm_fold((const unsigned char *)tmp, n, out);
        }
    }
    m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                     &mapped,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                         UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    if (m < 0)
        return m == UTF8PROC_ERROR_NOMEM ? TRUCE_ENOMEM : TRUCE_EPARSE;
    st = norm_fold(mapped, (size_t)m, out);
    free(mapped);
    return st;
}

/* ----------------------------------------------------------- the table */

static uint64_t
key_hash(const char *s, size_t n)
{
    return truce__hash(s, n, TRUCE_HASH_SEED);
}

static long
table_get(const struct truce_actors *a, const char *key, size_t n)
{
    size_t mask, i;
    if (!a->n_slots)
        return TRUCE_ACTOR_UNKNOWN_IDX;
    mask = a->n_slots - 1;
    i = (size_t)key_hash(key, n) & mask;
    while (a->slots[i].key) {
        if (strlen(a->slots[i].key) == n &&
            memcmp(a->slots[i].key, key, n) == 0)
            return a->slots[i].actor;
        i = (i + 1) & mask;
    }
    return TRUCE_ACTOR_UNKNOWN_IDX;
}

static truce_status
table_grow(struct truce_actors *a)
{
    size_t ns = a->n_slots ? a->n_slots * 2 : 256;
    struct slot *s = truce__calloc(ns, sizeof(*s));
    if (!s)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < a->n_slots; i++) {
        size_t j;
        if (!a->slots[i].key)
            continue;
        j = (size_t)key_hash(a->slots[i].key, strlen(a->slots[i].key)) &
            (ns - 1);
        while (s[j].key)
            j = (j + 1) & (ns - 1);
        s[j] = a->slots[i];
    }
    truce__free(a->slots);
    a->slots = s;
    a->n_slots = ns;
    return TRUCE_OK;
}

/* Adds key -> actor; an alias already taken by another actor is an error
 * reported through *other. */
static truce_status
table_put(struct truce_actors *a, const char *key, size_t n, long actor,
          long *other)
{
    size_t i, mask;
    *other = -1;
    if (n == 0)
        return TRUCE_OK;
    if ((a->n_used + 1) * 2 > a->n_slots && table_grow(a))
        return TRUCE_ENOMEM;
    mask = a->n_slots - 1;
    i = (size_t)key_hash(key, n) & mask;
    while (a->slots[i].key) {
        if (strlen(a->slots[i].key) == n &&
            memcmp(a->slots[i].key, key, n) == 0) {
            if (a->slots[i].actor != actor)
                *other = a->slots[i].actor;
            return TRUCE_OK;
        }
        i = (i + 1) & mask;
    }
    a->slots[i].key = truce__strndup(key, n);
    if (!a->slots[i].key)
        return TRUCE_ENOMEM;
    a->slots[i].actor = actor;
    a->n_used++;
    return TRUCE_OK;
}

/* --------------------------------------------------------- dictionary */

static int
kind_parse(const char *s)
{
    static const char *const kinds[] = {"state",    "rebel",    "extremist",
                                        "militia",  "external", "civilians",
                                        "unknown"};
    for (int i = 0; i < 7; i++) {
        if (strcmp(s, kinds[i]) == 0)
            return i + 1;
    }
    return 0;
}

truce_status
truce_actors_new_empty(struct truce_actors **out)
{
    *out = truce__calloc(1, sizeof(**out));
    return *out ? TRUCE_OK : TRUCE_ENOMEM;
}

void
truce_actors_free(struct truce_actors *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        truce__free(a->actors[i].id);
        truce__free(a->actors[i].name);
    }
    for (size_t i = 0; i < a->n_slots; i++)
        truce__free(a->slots[i].key);
    truce__free(a->actors);
    truce__free(a->slots);
    truce__free(a);
}

static truce_status
add_alias(struct truce_ctx *ctx, struct truce_actors *a, const char *fname,
          size_t idx, const char *alias, struct truce_buf *tmp)
{
    long other;
    truce_status st;
    truce_buf_reset(tmp);
    st = truce_normalise(alias, strlen(alias), tmp);
    if (st == TRUCE_EPARSE)
        return truce__err(ctx, st, "%s: actors[%zu]: alias '%s' is not "
                          "valid UTF-8", fname, idx, alias);
    if (st)
        return truce__err(ctx, st, "out of memory");
    if (table_put(a, tmp->buf, tmp->len, (long)idx, &other))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    if (other >= 0)
        return truce__err(ctx, TRUCE_EPARSE,
                          "%s: actors[%zu]: alias '%s' already names "
                          "actor '%s'", fname, idx, alias,
                          a->actors[other].id);
    return TRUCE_OK;
}

static truce_status
parse_actor(struct truce_ctx *ctx, struct truce_actors *a, const char *fname,
            size_t idx, json_t *o, struct truce_buf *tmp)
{
    json_t *id = json_object_get(o, "id"), *name = json_object_get(o, "name");
    json_t *kind = json_object_get(o, "kind");
    json_t *aliases = json_object_get(o, "aliases"), *al;
    struct actor *ac = &a->actors[idx];
    size_t k;
    int kd;
    truce_status st;
    if (!json_is_object(o))
        return truce__err(ctx, TRUCE_EPARSE, "%s: actors[%zu] is not an "
                          "object", fname, idx);
    if (!json_is_string(id) || !json_string_length(id))
        return truce__err(ctx, TRUCE_EPARSE, "%s: actors[%zu]: field 'id' "
                          "is missing or not a string", fname, idx);
    if (truce_actors_find_id(a, json_string_value(id)) >= 0)
        return truce__err(ctx, TRUCE_EPARSE, "%s: actors[%zu]: id '%s' "
                          "appears twice", fname, idx, json_string_value(id));
    kd = json_is_string(kind) ? kind_parse(json_string_value(kind)) : 0;
    if (!kd)
        return truce__err(ctx, TRUCE_EPARSE, "%s: actors[%zu] ('%s'): field "
                          "'kind' must be one of state, rebel, extremist, "
                          "militia, external, civilians, unknown", fname, idx,
                          json_string_value(id));
    if (aliases && !json_is_array(aliases))
        return truce__err(ctx, TRUCE_EPARSE, "%s: actors[%zu]: field "
                          "'aliases' is not an array", fname, idx);
    ac->id = truce__strdup(json_string_value(id));
    ac->name = truce__strdup(json_is_string(name) ? json_string_value(name)
                                                  : json_string_value(id));
    ac->kind = (enum truce_actor_kind)kd;
    a->n = idx + 1;
    if (!ac->id || !ac->name)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    if ((st = add_alias(ctx, a, fname, idx, ac->id, tmp)) ||
        (st = add_alias(ctx, a, fname, idx, ac->name, tmp)))
        return st;
    json_array_foreach(aliases, k, al) {
        if (!json_is_string(al))
            return truce__err(ctx, TRUCE_EPARSE, "%s: actors[%zu]: "
                              "aliases[%zu] is not a string", fname, idx, k);
        if ((st = add_alias(ctx, a, fname, idx, json_string_value(al), tmp)))
            return st;
    }
    return TRUCE_OK;
}

truce_status
truce_actors_parse(struct truce_ctx *ctx, const char *text, size_t n,
                   const char *fname, struct truce_actors **out)
{
    json_error_t jerr;
    json_t *root, *list, *o;
    struct truce_actors *a;
    struct truce_buf tmp;
    truce_status st = TRUCE_OK;
    size_t i;
    truce__clear(ctx);
    root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return truce__err(ctx, TRUCE_EPARSE, "%s:%d: %s", fname, jerr.line,
                          jerr.text);
    list = json_object_get(root, "actors");
    if (!json_is_array(list)) {
        json_decref(root);
        return truce__err(ctx, TRUCE_EPARSE, "%s: field 'actors' is missing "
                          "or not an array", fname);
    }
    a = truce__calloc(1, sizeof(*a));
    if (a)
        a->actors = truce__calloc(json_array_size(list), sizeof(*a->actors));
    if (!a || !a->actors) {
        truce__free(a);
        json_decref(root);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    truce_buf_init(&tmp, 0);
    json_array_foreach(list, i, o) {
        if ((st = parse_actor(ctx, a, fname, i, o, &tmp)))
            break;
    }
    truce_buf_release(&tmp);
    json_decref(root);
    if (st) {
        truce_actors_free(a);
        return st;
    }
    *out = a;
    return TRUCE_OK;
}

size_t
truce_actors_count(const struct truce_actors *a)
{
    return a->n;
}

long
truce_actors_find_id(const struct truce_actors *a, const char *id)
{
    for (size_t i = 0; i < a->n; i++) {
        if (a->actors[i].id && strcmp(a->actors[i].id, id) == 0)
            return (long)i;
    }
    return -1;
}

const char *
truce_actors_id(const struct truce_actors *a, long i)
{
    if (i == TRUCE_ACTOR_CIVILIANS_IDX)
        return "civilians";
    return i >= 0 && (size_t)i < a->n ? a->actors[i].id : "unknown";
}

const char *
truce_actors_name(const struct truce_actors *a, long i)
{
    if (i == TRUCE_ACTOR_CIVILIANS_IDX)
        return "Civilians";
    return i >= 0 && (size_t)i < a->n ? a->actors[i].name : "unknown";
}

enum truce_actor_kind
truce__actors_kind(const struct truce_actors *a, long i)
{
    if (i == TRUCE_ACTOR_CIVILIANS_IDX)
        return TRUCE_ACTOR_CIVILIANS;
    return i >= 0 && (size_t)i < a->n ? a->actors[i].kind
                                      : TRUCE_ACTOR_UNKNOWN;
}

/* ---------------------------------------------------------- resolving */

/* Looks up one spelling, normalised. */
static long
lookup_one(const struct truce_actors *a, const char *s, size_t n,
           struct truce_buf *tmp)
{
    truce_buf_reset(tmp);
    if (n == 0 || truce_normalise(s, n, tmp) || tmp->len == 0)
        return TRUCE_ACTOR_UNKNOWN_IDX;
    return table_get(a, tmp->buf, tmp->len);
}

size_t
truce__actor_abbr(const char *s, size_t n)
{
    size_t i = 0;
    if (!n || !isupper((unsigned char)s[0]))
        return 0;
    while (i < n && i < 12 &&
           (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '&'))
        i++;
    return i + 2 < n && s[i] == ':' && s[i + 1] == ' ' ? i : 0;
}

size_t
truce__actor_before_unit(const char *s, size_t n)
{
    const char *close = memchr(s, ')', n);
    size_t k;
    if (!close || !memchr(s, '(', (size_t)(close - s)))
        return 0;
    for (k = (size_t)(close - s) + 1; k < n && s[k] == ' ';)
        k++;
    if (k == n)
        return 0;
    /* A unit's name, not a list: nothing that separates actors. */
    for (size_t i = k; i < n; i++) {
        if (strchr(";,()", s[i]))
            return 0;
    }
    return (size_t)(close - s) + 1;
}

/* Looks up one name: as written, then ACLED's variants of it (without an
 * "ABBR: " prefix, the abbreviation alone, without a unit after the
 * force's period, and both), then the built-in civilians. */
static long
lookup(const struct truce_actors *a, const char *s, size_t n,
       struct truce_buf *tmp)
{
    size_t ab = truce__actor_abbr(s, n), rest = ab ? n - ab - 2 : n;
    const char *r = s + (ab ? ab + 2 : 0);
    size_t unit = truce__actor_before_unit(r, rest);
    long idx = lookup_one(a, s, n, tmp);
    if (idx == TRUCE_ACTOR_UNKNOWN_IDX && ab)
        idx = lookup_one(a, r, rest, tmp);
    if (idx == TRUCE_ACTOR_UNKNOWN_IDX && ab)
        idx = lookup_one(a, s, ab, tmp);
    if (idx == TRUCE_ACTOR_UNKNOWN_IDX && unit)
        idx = lookup_one(a, r, unit, tmp);
    if (idx != TRUCE_ACTOR_UNKNOWN_IDX)
        return idx;
    lookup_one(a, s, n, tmp); /* tmp: the name normalised */
    if (strcmp(tmp->buf, "civilians") == 0 ||
        strncmp(tmp->buf, "civilians ", 10) == 0 ||
        strcmp(tmp->buf, "civilian") == 0)
        return TRUCE_ACTOR_CIVILIANS_IDX;
    return TRUCE_ACTOR_UNKNOWN_IDX;
}

static void
trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

static size_t
add_ref(struct truce_actor_ref *refs, size_t k, size_t max, long actor,
        const char *s, size_t n)
{
    if (k >= max)
        return k;
    refs[k].actor = actor;
    refs[k].text = s;
    refs[k].len = n;
    return k + 1;
}

/* Splits s at sep; each piece is matched whole, and, when sep is ';',
 * a piece that does not match is split again at commas. */
static size_t
resolve_split(const struct truce_actors *a, const char *s, size_t n,
              char sep, struct truce_actor_ref *refs, size_t k, size_t max,
              struct truce_buf *tmp)
{
    const char *end = s + n;
    while (s <= end && k < max) {
        const char *q = memchr(s, sep, (size_t)(end - s));
        const char *pe = q ? q : end;
        const char *p = s;
        size_t pn = (size_t)(pe - s);
        trim(&p, &pn);
        if (pn) {
            long idx = lookup(a, p, pn, tmp);
            if (idx == TRUCE_ACTOR_UNKNOWN_IDX && sep == ';' &&
                memchr(p, ',', pn))
                k = resolve_split(a, p, pn, ',', refs, k, max, tmp);
            else
                k = add_ref(refs, k, max, idx, p, pn);
        }
        if (!q)
            break;
        s = q + 1;
    }
    return k;
}

size_t
truce__actors_resolve(const struct truce_actors *a, const char *field,
                      struct truce_actor_ref *refs, size_t max)
{
    struct truce_buf tmp;
    const char *s = field;
    size_t n = field ? strlen(field) : 0, k;
    long idx;
    trim(&s, &n);
    if (n == 0)
        return 0;
    truce_buf_init(&tmp, 0);
    idx = lookup(a, s, n, &tmp);
    if (idx != TRUCE_ACTOR_UNKNOWN_IDX || (!memchr(s, ';', n) &&
                                           !memchr(s, ',', n))) {
        truce_buf_release(&tmp);
        return add_ref(refs, 0, max, idx, s, n);
    }
    k = resolve_split(a, s, n, memchr(s, ';', n) ? ';' : ',', refs, 0, max,
                      &tmp);
    truce_buf_release(&tmp);
    return k;
}
