/*
 * event.c - the event record, canonical categories, verdict and reason
 * names, and the helpers every reader shares.
 */
#include "truce_int.h"

#include <ctype.h>
#include <strings.h>

static const char *const category_names[TRUCE_CAT_COUNT] = {
    [TRUCE_CAT_NONE] = "",
#define X(e, n, w) [TRUCE_CAT_##e] = #n,
    TRUCE_CATEGORIES(X)
#undef X
};

static const char *const category_words[TRUCE_CAT_COUNT] = {
    [TRUCE_CAT_NONE] = "",
#define X(e, n, w) [TRUCE_CAT_##e] = w,
    TRUCE_CATEGORIES(X)
#undef X
};

const char *
truce_category_name(enum truce_category c)
{
    return (unsigned)c < TRUCE_CAT_COUNT ? category_names[c] : "";
}

const char *
truce_category_words(enum truce_category c)
{
    return (unsigned)c < TRUCE_CAT_COUNT ? category_words[c] : "";
}

enum truce_category
truce_category_parse(const char *s, size_t n)
{
    for (int c = 1; c < TRUCE_CAT_COUNT; c++) {
        if (strlen(category_names[c]) == n &&
            memcmp(category_names[c], s, n) == 0)
            return (enum truce_category)c;
    }
    return TRUCE_CAT_NONE;
}

bool
truce_category_violent(enum truce_category c)
{
    return c == TRUCE_CAT_BATTLE || c == TRUCE_CAT_REMOTE_VIOLENCE ||
           c == TRUCE_CAT_VAC || c == TRUCE_CAT_ARMED_VIOLENCE;
}

static const char *const verdict_names[] = {
#define X(e, n, w) #n,
    TRUCE_VERDICTS(X)
#undef X
};

static const char *const verdict_words[] = {
#define X(e, n, w) w,
    TRUCE_VERDICTS(X)
#undef X
};

const char *
truce_verdict_name(enum truce_verdict v)
{
    return (unsigned)v <= TRUCE_V_VIOLATION ? verdict_names[v] : "";
}

const char *
truce_verdict_words(enum truce_verdict v)
{
    return (unsigned)v <= TRUCE_V_VIOLATION ? verdict_words[v] : "";
}

static const char *const count_names[] = {
#define X(e, n, w) [TRUCE_COUNT_##e] = #n,
    TRUCE_COUNTS(X)
#undef X
};

const char *
truce_count_name(enum truce_count c)
{
    return (unsigned)c < sizeof(count_names) / sizeof(count_names[0])
               ? count_names[c]
               : "";
}

int
truce_count_parse(const char *s)
{
    for (size_t c = 0; c < sizeof(count_names) / sizeof(count_names[0]); c++)
        if (!strcmp(s, count_names[c]))
            return (int)c;
    return -1;
}

int
truce_verdict_parse(const char *s)
{
    for (int v = 0; v <= TRUCE_V_VIOLATION; v++) {
        if (strcmp(s, verdict_names[v]) == 0)
            return v;
    }
    return -1;
}

static const char *const reason_names[TRUCE_R_COUNT] = {
    [TRUCE_R_NONE] = "",
#define X(e, n, w) [TRUCE_R_##e] = #n,
    TRUCE_REASONS(X)
#undef X
};

static const char *const reason_words[TRUCE_R_COUNT] = {
    [TRUCE_R_NONE] = "",
#define X(e, n, w) [TRUCE_R_##e] = w,
    TRUCE_REASONS(X)
#undef X
};

const char *
truce_reason_name(enum truce_reason r)
{
    return (unsigned)r < TRUCE_R_COUNT ? reason_names[r] : "";
}

const char *
truce_reason_words(enum truce_reason r)
{
    return (unsigned)r < TRUCE_R_COUNT ? reason_words[r] : "";
}

enum truce_reason
truce_reason_parse(const char *s)
{
    for (int r = 1; s && r < TRUCE_R_COUNT; r++) {
        if (strcmp(s, reason_names[r]) == 0)
            return (enum truce_reason)r;
    }
    return TRUCE_R_NONE;
}

const char *
truce_format_name(enum truce_format f)
{
    switch (f) {
    case TRUCE_FMT_ACLED: return "acled";
    case TRUCE_FMT_UCDP: return "ucdp";
    case TRUCE_FMT_GDELT: return "gdelt";
    case TRUCE_FMT_JSONL: return "jsonl";
    case TRUCE_FMT_AUTO: break;
    }
    return "auto";
}

enum truce_format
truce_format_parse(const char *s)
{
    for (int f = TRUCE_FMT_ACLED; f <= TRUCE_FMT_JSONL; f++) {
        if (strcmp(s, truce_format_name((enum truce_format)f)) == 0)
            return (enum truce_format)f;
    }
    return TRUCE_FMT_AUTO;
}

/* ---------------------------------------------------------------- event */

void
truce_event_init(struct truce_event *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->time_kind = TRUCE_TIME_LOCAL;
    ev->fatalities = -1;
    ev->fatalities_low = -1;
    ev->fatalities_high = -1;
    ev->civilian_fatalities = -1;
}

void
truce_event_release(struct truce_event *ev)
{
    truce__free(ev->id);
    truce__free(ev->source);
    truce__free(ev->source_id);
    truce__free(ev->subcategory);
    truce__free(ev->actor1);
    truce__free(ev->actor2);
    truce__free(ev->location);
    truce__free(ev->admin1);
    truce__free(ev->notes);
    truce__free(ev->inter1);
    truce__free(ev->inter2);
    truce__free(ev->area);
    truce__free(ev->raw);
    truce_event_init(ev);
}

truce_status
truce__set_str(char **field, const char *s, size_t n)
{
    char *d;
    if (!s) {
        truce__free(*field);
        *field = NULL;
        return TRUCE_OK;
    }
    if (n == (size_t)-1)
        n = strlen(s);
    d = truce__strndup(s, n);
    if (!d)
        return TRUCE_ENOMEM;
    truce__free(*field);
    *field = d;
    return TRUCE_OK;
}

/* Appends s in lower case (ASCII) and a newline to low, up to cap bytes
 * in all with the NUL (at < cap). A full buffer takes nothing more. */
static size_t
lower_into(char *low, size_t at, size_t cap, const char *s)
{
    if (at + 2 > cap)
        return at;
    for (; s && *s && at + 2 < cap; s++)
        low[at++] = (char)tolower((unsigned char)*s);
    low[at++] = '\n';
    low[at] = '\0';
    return at;
}

/* Protected sites, in the words notes use. */
static const char *const site_words[] = {
    "hospital", "clinic", "medical", "health cent", "health facilit",
    "maternity", "ambulance", "school", "aid convoy", "humanitarian convoy",
    "relief convoy", "food convoy", "convoy of aid", "aid truck",
    "aid warehouse"};

/* What happens to a site that is hit (stems). */
static const char *const hit_words[] = {
    "struck", "strike", " hit", "shell", "bomb", "attack", "damag", "destr",
    "target", "rocket", "missile", "mortar", "raid", "burn", "fire on",
    "fired on", "fired at", "looted", "stormed", "blown up", "explosion"};

/* Phrases about people taken to or treated at a hospital, not about a
 * hospital hit: blanked out before looking for a site. */
static const char *const care_words[] = {
    "taken to", "rushed to", "transferred to", "transported to",
    "evacuated to", "brought to", "admitted to", "sent to", "moved to",
    "died in", "died at", "treated in", "treated at", "treatment in",
    "treatment at", "recovering in", "recovering at", "arrived at",
    "arrived in"};

static bool
has_any(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strstr(s, words[i]))
            return true;
    }
    return false;
}

/* Blanks "taken to [the|a|local] hospital|clinic" and the like in s. */
static void
blank_care(char *s)
{
    for (size_t i = 0; i < sizeof(care_words) / sizeof(care_words[0]); i++) {
        char *p = s;
        while ((p = strstr(p, care_words[i]))) {
            char *q = p + strlen(care_words[i]);
            const char *fill[] = {" the ", " a ", " an ", " local ", " nearby ",
                                  " field "};
            for (size_t k = 0; k < sizeof(fill) / sizeof(fill[0]); k++) {
                size_t fl = strlen(fill[k]) - 1;
                if (strncmp(q, fill[k], fl) == 0)
                    q += fl;
            }
            while (*q == ' ')
                q++;
            if (strncmp(q, "hospital", 8) == 0 || strncmp(q, "clinic", 6) == 0 ||
                strncmp(q, "medical", 7) == 0 ||
                strncmp(q, "health", 6) == 0) {
                while (*q && isalpha((unsigned char)*q))
                    q++;
                memset(p, ' ', (size_t)(q - p));
            }
            p = q > p ? q : p + 1;
        }
    }
}

void
truce_event_flag_protected(struct truce_event *ev)
{
    char low[4096];
    char *sentence, *next;
    if (ev->protected_site || !truce_category_violent(ev->category))
        return;
    lower_into(low, lower_into(low, 0, sizeof(low), ev->subcategory),
               sizeof(low), ev->notes);
    /* A site and a blow in one sentence. */
    for (sentence = low; *sentence; sentence = next) {
        char *end = sentence + strcspn(sentence, ".;!?\n");
        next = *end ? end + 1 : end;
        *end = '\0';
        blank_care(sentence);
        if (has_any(sentence, site_words,
                    sizeof(site_words) / sizeof(site_words[0])) &&
            has_any(sentence, hit_words,
                    sizeof(hit_words) / sizeof(hit_words[0]))) {
            ev->protected_site = true;
            return;
        }
    }
}

void
truce__event_utc(const struct truce_event *ev, const struct truce_tz *tz,
                 int64_t *t0, int64_t *t1)
{
    if (ev->time_kind == TRUCE_TIME_UTC || !tz) {
        *t0 = ev->t0;
        *t1 = ev->t1;
        return;
    }
    *t0 = truce_tz_to_utc(tz, ev->t0);
    *t1 = ev->t1 == ev->t0 ? *t0 : truce_tz_to_utc(tz, ev->t1);
}

static uint64_t
hash_str(uint64_t h, const char *s)
{
    if (!s)
        return truce__hash("\x01", 1, h);
    return truce__hash(s, strlen(s) + 1, h);
}

uint64_t
truce__event_hash(const struct truce_event *ev)
{
    uint64_t h = TRUCE_HASH_SEED;
    int64_t ints[] = {ev->time_kind, ev->t0, ev->t1, ev->date_only,
                      ev->category, ev->directed, ev->fatalities,
                      ev->fatalities_low, ev->fatalities_high,
                      ev->civilian_fatalities, ev->civilian_targeting,
                      ev->protected_site};
    double dbl[] = {ev->lat, ev->lon, ev->radius_km};
    h = truce__hash(ints, sizeof(ints), h);
    h = truce__hash(dbl, sizeof(dbl), h);
    h = hash_str(h, ev->id);
    h = hash_str(h, ev->subcategory);
    h = hash_str(h, ev->actor1);
    h = hash_str(h, ev->actor2);
    h = hash_str(h, ev->location);
    h = hash_str(h, ev->admin1);
    h = hash_str(h, ev->notes);
    if (ev->inter1 || ev->inter2 || ev->area) { /* older hashes hold */
        h = hash_str(h, ev->inter1);
        h = hash_str(h, ev->inter2);
        h = hash_str(h, ev->area);
    }
    return h;
}
