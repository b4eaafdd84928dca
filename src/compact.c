/*
 * compact.c - the stored events as the verdict needs them and nothing
 * more (issue 10's compact form): times, point, radius, category,
 * direction, the actor fields and area as indexes into a table of the
 * distinct strings, the id, and the stored overall verdict; 64 bytes an
 * event, in key order.
 *
 * Made from the store's events once, then kept in the store (a cache the
 * backend holds by name for the events version it was made at:
 * truce__store_get_cache/put_cache), so that the next run reads one
 * block instead of a million rows. Any write of events moves the version
 * and the next reader makes it again. A kept block is checked whole
 * before it is used (sizes, offsets, indexes, names); one that does not
 * hold up is made again, never trusted.
 */
#include "store.h"

#include <stdio.h>

#define CACHE_NAME "compact-events"
#define MAGIC "truce-compact-2"
#define ENDIAN 0x01020304u

struct header {
    char magic[16];
    uint32_t cev_size, endian;
    uint64_t names;   /* names_hash(): the numbering of categories and
                         verdicts the events were written with */
    uint64_t n, n_strings, ids_len, strs_len;
    uint64_t sum; /* block_sum of what follows the header */
};

/* The category and verdict names in their order: a block written by a
 * truce that numbers them otherwise is not this one's. */
static uint64_t
names_hash(void)
{
    uint64_t h = 1469598103934665603ull;
    for (int c = TRUCE_CAT_NONE + 1; c < TRUCE_CAT_COUNT; c++) {
        const char *w = truce_category_name((enum truce_category)c);
        h = truce__hash(w, strlen(w) + 1, h);
    }
    for (int v = 0; v <= TRUCE_V_VIOLATION; v++) {
        const char *w = truce_verdict_name((enum truce_verdict)v);
        h = truce__hash(w, strlen(w) + 1, h);
    }
    return h;
}

/* ------------------------------------------------------------ making */

struct builder {
    struct truce__compact *c;
    size_t cap_ev, cap_ids, cap_strs, cap_strings;
    /* the distinct strings: open addressing over their indexes + 1 */
    uint32_t *slots;
    size_t n_slots;
    truce_status rc;
};

static bool
grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 1024;
    void *q;
    if (need <= *cap)
        return true;
    while (c < need)
        c *= 2;
    if (!(q = truce__realloc(*p, c * size)))
        return false;
    *p = q;
    *cap = c;
    return true;
}

static uint64_t
str_hash(const char *s)
{
    return truce__hash(s, strlen(s), 1469598103934665603ull);
}

static bool
rehash(struct builder *b)
{
    size_t n = b->n_slots ? b->n_slots * 2 : 256;
    uint32_t *slots = truce__calloc(n, sizeof(*slots));
    const struct truce__compact *c = b->c;
    if (!slots)
        return false;
    for (uint32_t i = 0; i < c->n_strings; i++) {
        size_t h = (size_t)str_hash(c->strs + c->str_off[i]) & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = i + 1;
    }
    truce__free(b->slots);
    b->slots = slots;
    b->n_slots = n;
    return true;
}

/* The index of s among the distinct strings (added when new), or
 * TRUCE__NONE for NULL; false when out of memory. */
static bool
intern(struct builder *b, const char *s, uint32_t *out)
{
    struct truce__compact *c = b->c;
    size_t h, len;
    if (!s) {
        *out = TRUCE__NONE;
        return true;
    }
    if ((c->n_strings + 1) * 2 > b->n_slots && !rehash(b))
        return false;
    for (h = (size_t)str_hash(s) & (b->n_slots - 1); b->slots[h];
         h = (h + 1) & (b->n_slots - 1)) {
        if (strcmp(c->strs + c->str_off[b->slots[h] - 1], s) == 0) {
            *out = b->slots[h] - 1;
            return true;
        }
    }
    len = strlen(s) + 1;
    if (c->n_strings >= TRUCE__NONE - 1 ||
        !grow((void **)&c->str_off, &b->cap_strings, c->n_strings + 1,
              sizeof(*c->str_off)) ||
        !grow((void **)&c->strs, &b->cap_strs, c->strs_len + len, 1))
        return false;
    if (c->strs_len + len > UINT32_MAX)
        return false;
    memcpy(c->strs + c->strs_len, s, len);
    c->str_off[c->n_strings] = (uint32_t)c->strs_len;
    c->strs_len += len;
    b->slots[h] = c->n_strings + 1;
    *out = c->n_strings++;
    return true;
}

static truce_status
add_event(void *ud, struct truce_stored *rec)
{
    struct builder *b = ud;
    struct truce__compact *c = b->c;
    const struct truce_event *ev = &rec->ev;
    const char *id = ev->id ? ev->id : "";
    size_t len = strlen(id) + 1;
    struct truce__cev *e;
    if (!grow((void **)&c->ev, &b->cap_ev, c->n + 1, sizeof(*c->ev)) ||
        !grow((void **)&c->ids, &b->cap_ids, c->ids_len + len, 1) ||
        c->ids_len + len > UINT32_MAX)
        return b->rc = TRUCE_ENOMEM;
    e = &c->ev[c->n];
    memset(e, 0, sizeof(*e));
    if (!intern(b, ev->actor1, &e->actor1) ||
        !intern(b, ev->actor2, &e->actor2) || !intern(b, ev->area, &e->area))
        return b->rc = TRUCE_ENOMEM;
    memcpy(c->ids + c->ids_len, id, len);
    e->id = (uint32_t)c->ids_len;
    c->ids_len += len;
    e->t0 = ev->t0;
    e->t1 = ev->t1;
    e->lat = ev->lat;
    e->lon = ev->lon;
    e->radius_km = ev->radius_km;
    e->time_kind = (uint8_t)ev->time_kind;
    e->category = (uint8_t)ev->category;
    e->directed = ev->directed;
    e->stored = (uint8_t)(rec->assessed ? TRUCE__CEV_ASSESSED | rec->overall
                                        : 0);
    c->n++;
    return TRUCE_OK;
}

static truce_status
build(struct truce_ctx *ctx, struct truce_store *st, struct truce__compact *c)
{
    struct builder b = {c, 0, 0, 0, 0, NULL, 0, TRUCE_OK};
    struct truce_query all = {0};
    truce_status rc;
    all.no_assessments = true; /* the overall verdict is all it reads */
    rc = truce_store_query(st, &all, add_event, &b);
    truce__free(b.slots);
    if (b.rc == TRUCE_ENOMEM)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    return rc;
}

/* ------------------------------------------------------- the block */

/* A sum of the block's words that any damaged byte changes (four lanes,
 * so that it runs at memory speed: an accidental change is what it is
 * for, not an adversary's). */
static uint64_t
block_sum(const char *p, size_t n)
{
    uint64_t h[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full,
                     0x165667B19E3779F9ull, 0x27D4EB2F165667C5ull};
    size_t i = 0, words = n / 8;
    for (; i + 4 <= words; i += 4) {
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy(&w, p + (i + (size_t)k) * 8, 8);
            h[k] = (h[k] ^ w) * 0x100000001B3ull;
            h[k] ^= h[k] >> 29;
        }
    }
    for (; i < words; i++) {
        uint64_t w;
        memcpy(&w, p + i * 8, 8);
        h[0] = ((h[0] ^ w) * 0x100000001B3ull) ^ (h[0] >> 29);
    }
    return truce__hash(p + words * 8, n % 8, h[0] ^ (h[1] << 1) ^
                       (h[2] << 2) ^ (h[3] << 3) ^ n);
}

static size_t
pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static void
parts(const struct header *h, size_t off[5])
{
    off[0] = sizeof(*h);
    off[1] = off[0] + (size_t)h->n * sizeof(struct truce__cev);
    off[2] = off[1] + pad8((size_t)h->n_strings * sizeof(uint32_t));
    off[3] = off[2] + pad8((size_t)h->ids_len);
    off[4] = off[3] + pad8((size_t)h->strs_len);
}

static void *
to_block(const struct truce__compact *c, size_t *len)
{
    struct header h;
    size_t off[5];
    char *p;
    memset(&h, 0, sizeof(h));
    memcpy(h.magic, MAGIC, sizeof(MAGIC));
    h.cev_size = sizeof(struct truce__cev);
    h.endian = ENDIAN;
    h.names = names_hash();
    h.n = c->n;
    h.n_strings = c->n_strings;
    h.ids_len = c->ids_len;
    h.strs_len = c->strs_len;
    parts(&h, off);
    if (!(p = truce__calloc(1, off[4])))
        return NULL;
    memcpy(p, &h, sizeof(h));
    if (c->n)
        memcpy(p + off[0], c->ev, c->n * sizeof(*c->ev));
    if (c->n_strings)
        memcpy(p + off[1], c->str_off, c->n_strings * sizeof(uint32_t));
    if (c->ids_len)
        memcpy(p + off[2], c->ids, c->ids_len);
    if (c->strs_len)
        memcpy(p + off[3], c->strs, c->strs_len);
    h.sum = block_sum(p + off[0], off[4] - off[0]);
    memcpy(p, &h, sizeof(h));
    *len = off[4];
    return p;
}

static bool
event_sound(const struct truce__compact *c, const struct truce__cev *e)
{
    unsigned v = e->stored & ~TRUCE__CEV_ASSESSED;
    return e->id < c->ids_len &&
           (e->actor1 == TRUCE__NONE || e->actor1 < c->n_strings) &&
           (e->actor2 == TRUCE__NONE || e->actor2 < c->n_strings) &&
           (e->area == TRUCE__NONE || e->area < c->n_strings) &&
           (e->time_kind == TRUCE_TIME_UTC ||
            e->time_kind == TRUCE_TIME_LOCAL) &&
           e->category > TRUCE_CAT_NONE && e->category < TRUCE_CAT_COUNT &&
           e->directed <= 1 &&
           (!(e->stored & TRUCE__CEV_ASSESSED) || v <= TRUCE_V_VIOLATION);
}

/* Points c into a kept block (which c then owns), when the block holds
 * up; false when it does not (c untouched). */
static bool
from_block(struct truce__compact *c, void *blob, size_t len)
{
    struct header h;
    struct truce__compact t;
    size_t off[5];
    char *p = blob;
    if (len < sizeof(h))
        return false;
    memcpy(&h, p, sizeof(h));
    if (memcmp(h.magic, MAGIC, sizeof(MAGIC)) ||
        h.cev_size != sizeof(struct truce__cev) || h.endian != ENDIAN ||
        h.names != names_hash() ||
        h.n > len / sizeof(struct truce__cev) || h.n_strings > len / 4 ||
        h.ids_len > len || h.strs_len > len)
        return false;
    parts(&h, off);
    if (off[4] != len || block_sum(p + off[0], len - off[0]) != h.sum || (h.n && (!h.ids_len || p[off[2] + h.ids_len - 1])) ||
        (h.n_strings && (!h.strs_len || p[off[3] + h.strs_len - 1])))
        return false;
    memset(&t, 0, sizeof(t));
    t.n = (size_t)h.n;
    t.ev = (struct truce__cev *)(p + off[0]);
    t.n_strings = (uint32_t)h.n_strings;
    t.str_off = (uint32_t *)(p + off[1]);
    t.ids = p + off[2];
    t.ids_len = (size_t)h.ids_len;
    t.strs = p + off[3];
    t.strs_len = (size_t)h.strs_len;
    for (uint32_t i = 0; i < t.n_strings; i++) {
        if (t.str_off[i] >= t.strs_len)
            return false;
    }
    for (size_t i = 0; i < t.n; i++) {
        if (!event_sound(&t, &t.ev[i]))
            return false;
    }
    t.blob = blob;
    *c = t;
    return true;
}

/* ------------------------------------------------------------ using */

void
truce__compact_free(struct truce__compact *c)
{
    if (!c)
        return;
    if (c->blob) {
        truce__free(c->blob);
    } else {
        truce__free(c->ev);
        truce__free(c->str_off);
        truce__free(c->ids);
        truce__free(c->strs);
    }
    truce__free(c);
}

const char *
truce__compact_str(const struct truce__compact *c, uint32_t i)
{
    return i == TRUCE__NONE ? NULL : c->strs + c->str_off[i];
}

truce_status
truce__compact_get(struct truce_ctx *ctx, struct truce_store *st,
                   struct truce__compact **out, bool *from_cache)
{
    struct truce__compact *c = truce__calloc(1, sizeof(*c));
    int64_t before, after;
    void *blob = NULL;
    size_t len = 0;
    truce_status rc;
    *out = NULL;
    *from_cache = false;
    if (!c)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    if ((rc = truce_store_events_version(st, &before)))
        goto fail;
    rc = truce__store_get_cache(st, CACHE_NAME, before, &blob, &len);
    if (rc == TRUCE_OK && from_block(c, blob, len)) {
        *out = c;
        *from_cache = true;
        return TRUCE_OK;
    }
    truce__free(blob);
    blob = NULL;
    /* a block that cannot be read is made again, as a damaged one is */
    if (rc == TRUCE_ENOMEM)
        goto fail;
    truce__clear(ctx);
    if ((rc = build(ctx, st, c)) ||
        (rc = truce_store_events_version(st, &after)))
        goto fail;
    /* Kept when no write came between (the rows read are then those of
     * that version); a store that takes no writes, or a full disk, keeps
     * none and loses nothing but time. */
    if (before == after && (blob = to_block(c, &len))) {
        truce__store_put_cache(st, CACHE_NAME, before, blob, len);
        truce__free(blob);
    }
    truce__clear(ctx);
    *out = c;
    return TRUCE_OK;
fail:
    truce__compact_free(c);
    return rc;
}
