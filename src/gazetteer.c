/*
 * gazetteer.c - places for reading the news (DESIGN section 9): the
 * reader of gazetteer files (GeoNames dumps, headed CSV), the key a place
 * name is looked up by, and the in-memory index of the stored places with
 * the built-in transliteration variants.
 *
 * A name's key folds case, compatibility forms and marks (Ḩamāh ->
 * "hamah"), drops the apostrophes and ayn/hamza signs transliterations
 * write inside words (Dar‘ā -> "dara"), and turns every other run of
 * non-letters into one space (Deir ez-Zor -> "deir ez zor"). A name that
 * starts with an Arabic article ("al-", "ar ", "as-", ...) is also indexed
 * without it. Names of one place written too differently for any rule
 * (Palmyra / Tadmur, Deir ez-Zor / Dayr az Zawr) come from the table of
 * variants below, which names only groups of spellings of one place.
 */
#include "truce_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

/* ----------------------------------------------------------- the keys */

/* Signs written inside transliterated words: apostrophes, ʿayn and hamza
 * letters, backticks and accents. They vanish from the key. */
static bool
cp_vanishes(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x27: case 0x60: case 0xB4: case 0x2018: case 0x2019:
    case 0x201B: case 0x2032: case 0x02BB: case 0x02BC: case 0x02BD:
    case 0x02BE: case 0x02BF: case 0x02C8:
        return true;
    }
    return false;
}


/* The key of ASCII text, without utf8proc (which does the same to it:
 * case folded, no marks to strip): the news reader asks for a key at
 * every capitalised word. */
static truce_status
place_key_ascii(const char *s, size_t n, struct truce_buf *out)
{
    size_t start = out->len;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            char low = (char)tolower(c);
            if ((space && out->len > start && truce_buf_add(out, " ", 1)) ||
                truce_buf_add(out, &low, 1))
                return TRUCE_ENOMEM;
            space = false;
        } else if (!cp_vanishes(c)) {
            space = true;
        }
    }
    return TRUCE_OK;
}

static bool
all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

truce_status
truce_place_key(const char *s, size_t n, struct truce_buf *out)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t m;
    size_t i = 0, start = out->len;
    bool space = false;
    if (all_ascii(s, n))
        return place_key_ascii(s, n, out);
    if (truce__utf8_check(s, n) != n)
        return TRUCE_EPARSE;
    m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                     &mapped,
                     UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                         UTF8PROC_IGNORE);
    if (m < 0)
        return m == UTF8PROC_ERROR_NOMEM ? TRUCE_ENOMEM : TRUCE_EPARSE;
    while (i < (size_t)m) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(mapped + i, m - (utf8proc_ssize_t)i,
                                              &cp);
        if (k <= 0)
            break;
        if (truce__cp_is_alnum(cp)) {
            if ((space && out->len > start && truce_buf_add(out, " ", 1)) ||
                truce_buf_add(out, (const char *)mapped + i, (size_t)k)) {
                free(mapped);
                return TRUCE_ENOMEM;
            }
            space = false;
        } else if (!cp_vanishes(cp)) {
            space = true;
        }
        i += (size_t)k;
    }
    free(mapped);
    return TRUCE_OK;
}

/* The key without a leading Arabic article ("ar raqqah" -> "raqqah"), or
 * NULL when it has none. Points into key. */
static const char *
without_article(const char *key)
{
    static const char *const articles[] = {"al", "el", "ad", "adh", "an",
                                           "ar", "as", "ash", "at", "ath",
                                           "az", "ed", "er", "es", "et",
                                           "ez"};
    const char *sp = strchr(key, ' ');
    if (!sp || !sp[1])
        return NULL;
    for (size_t i = 0; i < sizeof(articles) / sizeof(articles[0]); i++) {
        size_t k = strlen(articles[i]);
        if ((size_t)(sp - key) == k && !strncmp(key, articles[i], k))
            return sp + 1;
    }
    return NULL;
}

/* ------------------------------------------------------- the variants */

/* Spellings of one place that no rule joins, each group ending in NULL:
 * English exonyms, the romanisations in use (BGN/PCGN as GeoNames writes
 * them, French-style, news style). Facts of usage, not a list of test
 * inputs: a place missing here is still found by the names its gazetteer
 * row gives. */
static const char *const variants[][8] = {
    {"Aleppo", "Halab", "Haleb", NULL},
    {"Damascus", "Dimashq", "Damas", NULL},
    {"Homs", "Hims", "Hums", NULL},
    {"Hama", "Hamah", "Hamat", NULL},
    {"Idlib", "Idleb", NULL},
    {"Latakia", "Lattakia", "Al Ladhiqiyah", "Ladhiqiyah", "Lattaquie",
     NULL},
    {"Daraa", "Dara", "Deraa", "Dera", "Darea", NULL},
    {"Deir ez-Zor", "Dayr az Zawr", "Deir ez Zor", "Deir al-Zour",
     "Deir el-Zor", "Deir Ezzor", "Deir Ez-Zour", NULL},
    {"Palmyra", "Tadmur", "Tadmor", NULL},
    {"Raqqa", "Ar Raqqah", "Raqqah", "Rakka", NULL},
    {"Hasakah", "Al Hasakah", "Hassakeh", "Hasaka", "Al-Hasakah", NULL},
    {"Qamishli", "Al Qamishli", "Qamishlo", "Kamishli", NULL},
    {"Tartus", "Tartous", "Tartous", NULL},
    {"Sweida", "As Suwayda", "Suwayda", "Sweyda", "Soueida", NULL},
    {"Quneitra", "Al Qunaytirah", "Qunaytirah", NULL},
    {"Manbij", "Manbej", "Menbij", NULL},
    {"Kobani", "Ayn al Arab", "Ain al-Arab", "Kobane", NULL},
    {"Afrin", "Efrin", "Afreen", NULL},
    {"Jisr al-Shughur", "Jisr ash Shughur", "Jisr el-Shughur", NULL},
    {"Maarat al-Numan", "Ma`arrat an Nu`man", "Maarat al-Nouman",
     "Maaret al-Numan", NULL},
    {"Douma", "Duma", NULL},
    {"Sanaa", "Sana'a", "San`a'", NULL},
    {"Taiz", "Ta'izz", "Taizz", NULL},
    {"Aden", "'Adan", NULL},
    {"Hodeidah", "Al Hudaydah", "Hudaydah", "Hodeida", NULL},
    {"Saada", "Sa'dah", "Sadah", NULL},
    {"Marib", "Ma'rib", NULL},
    {"Mukalla", "Al Mukalla", NULL},
};

/* ------------------------------------------------------- the index */

struct gz_key {
    char *key;
    size_t place; /* index into places */
};

struct truce_gazetteer {
    struct truce_place *places;
    size_t n, cap;
    struct gz_key *keys;  /* sorted by key, then place */
    size_t n_keys, cap_keys;
};

void
truce_place_init(struct truce_place *p)
{
    memset(p, 0, sizeof(*p));
    p->population = -1;
    p->lat = p->lon = NAN;
}

void
truce_place_release(struct truce_place *p)
{
    truce__free(p->id);
    truce__free(p->name);
    truce__free(p->alternates);
    truce__free(p->country);
    truce__free(p->admin1);
    truce__free(p->feature);
    truce__free(p->timezone);
    truce_place_init(p);
}

static truce_status
copy_place(struct truce_place *to, const struct truce_place *from)
{
    truce_place_init(to);
    to->lat = from->lat;
    to->lon = from->lon;
    to->population = from->population;
    to->radius_km = from->radius_km;
#define COPY(f)                                                             \
    if (from->f && truce__set_str(&to->f, from->f, (size_t)-1))             \
        return TRUCE_ENOMEM;
    COPY(id) COPY(name) COPY(alternates) COPY(country) COPY(admin1)
    COPY(feature) COPY(timezone)
#undef COPY
    return TRUCE_OK;
}

static truce_status
add_key(struct truce_gazetteer *gz, const char *key, size_t place)
{
    struct gz_key *k;
    if (!key[0])
        return TRUCE_OK;
    if (gz->n_keys == gz->cap_keys) {
        size_t cap = gz->cap_keys ? gz->cap_keys * 2 : 256;
        struct gz_key *keys = truce__realloc(gz->keys, cap * sizeof(*keys));
        if (!keys)
            return TRUCE_ENOMEM;
        gz->keys = keys;
        gz->cap_keys = cap;
    }
    k = &gz->keys[gz->n_keys];
    if (!(k->key = truce__strdup(key)))
        return TRUCE_ENOMEM;
    k->place = place;
    gz->n_keys++;
    return TRUCE_OK;
}

/* Indexes one name of place i: its key, and the key without an article. */
static truce_status
add_name(struct truce_gazetteer *gz, const char *name, size_t n, size_t i)
{
    struct truce_buf key;
    const char *bare;
    truce_status rc;
    truce_buf_init(&key, 0);
    if ((rc = truce_place_key(name, n, &key)))
        goto out;
    if (key.len == 0)
        goto out;
    if ((rc = add_key(gz, key.buf, i)))
        goto out;
    if ((bare = without_article(key.buf)))
        rc = add_key(gz, bare, i);
out:
    truce_buf_release(&key);
    return rc == TRUCE_EPARSE ? TRUCE_OK : rc; /* a name not UTF-8: unindexed */
}

static truce_status
index_place(struct truce_gazetteer *gz, size_t i)
{
    const struct truce_place *p = &gz->places[i];
    truce_status rc = add_name(gz, p->name, strlen(p->name), i);
    const char *s = p->alternates;
    while (!rc && s && *s) {
        size_t k = strcspn(s, ",");
        rc = add_name(gz, s, k, i);
        s += k + (s[k] == ',');
    }
    return rc;
}

static int
key_cmp(const void *a, const void *b)
{
    const struct gz_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->place > y->place) - (x->place < y->place);
}

/* The first of the first n keys (sorted) >= key, by binary search. */
static size_t
key_lower(const struct truce_gazetteer *gz, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(gz->keys[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Drops repeated (key, place) pairs; the keys are sorted. */
static void
keys_unique(struct truce_gazetteer *gz)
{
    size_t out = 0;
    for (size_t i = 0; i < gz->n_keys; i++) {
        if (out && !strcmp(gz->keys[out - 1].key, gz->keys[i].key) &&
            gz->keys[out - 1].place == gz->keys[i].place) {
            truce__free(gz->keys[i].key);
            continue;
        }
        gz->keys[out++] = gz->keys[i];
    }
    gz->n_keys = out;
}

/* Gives every place known by one spelling of a group of variants the
 * group's other spellings. */
static truce_status
add_variants(struct truce_gazetteer *gz)
{
    size_t before = gz->n_keys;
    struct truce_buf key;
    truce_status rc = TRUCE_OK;
    truce_buf_init(&key, 0);
    for (size_t g = 0; !rc && g < sizeof(variants) / sizeof(variants[0]);
         g++) {
        for (size_t v = 0; !rc && variants[g][v]; v++) {
            key.len = 0;
            if ((rc = truce_place_key(variants[g][v], strlen(variants[g][v]),
                                      &key)))
                break;
            /* the places this spelling names, among the keys sorted */
            for (size_t k = key_lower(gz, before, key.buf);
                 !rc && k < before && !strcmp(gz->keys[k].key, key.buf); k++) {
                for (size_t w = 0; !rc && variants[g][w]; w++)
                    if (w != v)
                        rc = add_name(gz, variants[g][w],
                                      strlen(variants[g][w]),
                                      gz->keys[k].place);
            }
        }
    }
    truce_buf_release(&key);
    return rc;
}

truce_status
truce_gazetteer_new(struct truce_ctx *ctx, struct truce_gazetteer **out)
{
    truce__clear(ctx);
    *out = truce__calloc(1, sizeof(**out));
    return *out ? TRUCE_OK : truce__err(ctx, TRUCE_ENOMEM, "out of memory");
}

truce_status
truce_gazetteer_add(struct truce_ctx *ctx, struct truce_gazetteer *gz,
                    const struct truce_place *p)
{
    truce_status rc;
    truce__clear(ctx);
    if (!p->name || !p->name[0] || !isfinite(p->lat) || !isfinite(p->lon))
        return truce__err(ctx, TRUCE_EINVAL, "a place needs a name, a "
                          "latitude and a longitude");
    if (gz->n == gz->cap) {
        size_t cap = gz->cap ? gz->cap * 2 : 64;
        struct truce_place *ps = truce__realloc(gz->places, cap * sizeof(*ps));
        if (!ps)
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        gz->places = ps;
        gz->cap = cap;
    }
    if ((rc = copy_place(&gz->places[gz->n], p))) {
        truce_place_release(&gz->places[gz->n]);
        return truce__err(ctx, rc, "out of memory");
    }
    gz->n++;
    if ((rc = index_place(gz, gz->n - 1)))
        return truce__err(ctx, rc, "out of memory");
    return TRUCE_OK;
}

truce_status
truce_gazetteer_finish(struct truce_ctx *ctx, struct truce_gazetteer *gz)
{
    truce_status rc;
    truce__clear(ctx);
    if (!gz->n_keys)
        return TRUCE_OK; /* no places (qsort takes no NULL) */
    qsort(gz->keys, gz->n_keys, sizeof(*gz->keys), key_cmp);
    keys_unique(gz);
    if ((rc = add_variants(gz)))
        return truce__err(ctx, rc, "out of memory");
    qsort(gz->keys, gz->n_keys, sizeof(*gz->keys), key_cmp);
    keys_unique(gz);
    return TRUCE_OK;
}

truce_status
truce_gazetteer_from_file(struct truce_ctx *ctx, const char *path,
                          struct truce_gazetteer **out, long *rejected)
{
    struct truce_gazetteer_reader *r = NULL;
    struct truce_gazetteer *gz = NULL;
    struct truce_place p;
    truce_status st;
    long bad = 0;
    *out = NULL;
    truce__clear(ctx);
    if ((st = truce_gazetteer_reader_open(ctx, path, NULL, &r)) ||
        (st = truce_gazetteer_new(ctx, &gz))) {
        truce_gazetteer_reader_free(r);
        return st;
    }
    truce_place_init(&p);
    while ((st = truce_gazetteer_reader_next(r, &p)) != TRUCE_EOF) {
        if (st == TRUCE_OK)
            st = truce_gazetteer_add(ctx, gz, &p);
        else if (st != TRUCE_EIO)
            bad++;
        if (st == TRUCE_EIO || st == TRUCE_ENOMEM)
            break;
    }
    truce_place_release(&p);
    truce_gazetteer_reader_free(r);
    if ((st == TRUCE_EOF || st == TRUCE_OK) &&
        !(st = truce_gazetteer_finish(ctx, gz))) {
        *out = gz;
        if (rejected)
            *rejected = bad;
        return TRUCE_OK;
    }
    truce_gazetteer_free(gz);
    return st;
}

void
truce_gazetteer_free(struct truce_gazetteer *gz)
{
    if (!gz)
        return;
    for (size_t i = 0; i < gz->n; i++)
        truce_place_release(&gz->places[i]);
    for (size_t i = 0; i < gz->n_keys; i++)
        truce__free(gz->keys[i].key);
    truce__free(gz->places);
    truce__free(gz->keys);
    truce__free(gz);
}

size_t
truce_gazetteer_count(const struct truce_gazetteer *gz)
{
    return gz->n;
}

/* More populous places first; then the order they were added. */
static int
by_population(const void *a, const void *b, void *ud)
{
    const struct truce_gazetteer *gz = ud;
    const struct truce_place *x = &gz->places[*(const size_t *)a],
                             *y = &gz->places[*(const size_t *)b];
    if (x->population != y->population)
        return x->population < y->population ? 1 : -1;
    return (*(const size_t *)a > *(const size_t *)b) -
           (*(const size_t *)a < *(const size_t *)b);
}

/* Does some key start with p? */
static bool
key_prefix(const struct truce_gazetteer *gz, const char *p)
{
    size_t i = key_lower(gz, gz->n_keys, p);
    return i < gz->n_keys && !strncmp(gz->keys[i].key, p, strlen(p));
}

bool
truce__gazetteer_may_start(const struct truce_gazetteer *gz, const char *name,
                           size_t n)
{
    struct truce_buf key;
    const char *bare;
    bool may;
    truce_buf_init(&key, 0);
    if (!gz->n_keys)
        return false;
    if (truce_place_key(name, n, &key) || !key.len) {
        truce_buf_release(&key);
        return true; /* unsure: let the lookups say */
    }
    may = key_prefix(gz, key.buf) ||
          ((bare = without_article(key.buf)) && key_prefix(gz, bare));
    truce_buf_release(&key);
    return may;
}

size_t
truce_gazetteer_find(const struct truce_gazetteer *gz, const char *name,
                     size_t n, const struct truce_place **out, size_t max)
{
    struct truce_buf key;
    size_t found[64], k = 0;
    truce_buf_init(&key, 0);
    if (!gz->n_keys || truce_place_key(name, n, &key) || !key.len) {
        truce_buf_release(&key);
        return 0;
    }
    for (int pass = 0; pass < 2 && k == 0; pass++) {
        const char *want = pass == 0 ? key.buf : without_article(key.buf);
        if (!want)
            break;
        for (size_t i = key_lower(gz, gz->n_keys, want);
             i < gz->n_keys && k < 64 && !strcmp(gz->keys[i].key, want); i++)
            found[k++] = gz->keys[i].place;
    }
    truce_buf_release(&key);
    qsort_r(found, k, sizeof(found[0]), by_population, (void *)gz);
    for (size_t i = 0; i < k && i < max; i++)
        out[i] = &gz->places[found[i]];
    return k;
}

const struct truce_place *
truce_gazetteer_place(const struct truce_gazetteer *gz, size_t i)
{
    return i < gz->n ? &gz->places[i] : NULL;
}
