/*
 * whatif.c - every stored event assessed under a draft agreement set,
 * nothing stored (DESIGN section 12, `truce whatif`): counts by verdict,
 * side and guarantor for each agreement, the overall verdicts, and the
 * events whose overall verdict would change against the stored ones.
 */
#include "truce_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGED 1000

/* The verdicts an agreement's counts are kept for, in the order written. */
static const enum truce_verdict agreement_verdicts[] = {
    TRUCE_V_VIOLATION, TRUCE_V_UNDETERMINED, TRUCE_V_PERMITTED,
    TRUCE_V_NOT_APPLICABLE};
/* and the overall verdicts */
static const enum truce_verdict overall_verdicts[] = {
    TRUCE_V_VIOLATION, TRUCE_V_UNDETERMINED, TRUCE_V_PERMITTED,
    TRUCE_V_NOT_COVERED};

struct change {
    char *id;
    enum truce_verdict before, after;
    bool assessed; /* the stored verdict is known */
};

struct per_agreement {
    long counts[TRUCE_V_VIOLATION + 1];
    json_t *by_side, *by_guarantor;
};

struct run {
    struct truce_ctx *ctx;
    const struct truce_agreements *set;
    const struct truce_actors *actors;
    struct truce_assessment *as;
    size_t n_agr;
    struct per_agreement *agr;
    long overall[TRUCE_V_VIOLATION + 1];
    long events;
    /* the MAX_CHANGED changes of the smallest ids, a max-heap by id (the
     * largest first, to be pushed out), and how many changed in all */
    struct change *changed;
    size_t n_changed;
    long changed_count;
    truce_status rc;
};

static bool
bump(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return !json_object_set_new(o, key,
                                json_integer(v ? json_integer_value(v) + 1
                                               : 1));
}

static bool
count_violation(struct per_agreement *pa, const struct truce_assessment *a)
{
    bool ok = true;
    for (size_t s = 0; s < a->n_sides; s++)
        ok &= bump(pa->by_side, a->sides[s]);
    for (size_t g = 0; g < a->n_guarantors; g++)
        ok &= bump(pa->by_guarantor, a->guarantors[g]);
    return ok;
}

static void
heap_swap(struct change *h, size_t a, size_t b)
{
    struct change t = h[a];
    h[a] = h[b];
    h[b] = t;
}

static void
heap_up(struct change *h, size_t i)
{
    while (i && strcmp(h[(i - 1) / 2].id, h[i].id) < 0) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void
heap_down(struct change *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, big = i;
        if (l < n && strcmp(h[l].id, h[big].id) > 0)
            big = l;
        if (r < n && strcmp(h[r].id, h[big].id) > 0)
            big = r;
        if (big == i)
            return;
        heap_swap(h, i, big);
        i = big;
    }
}

/* Counts a change and keeps it when it is among the MAX_CHANGED smallest
 * ids: memory bounded however many change. */
static bool
note_change(struct run *r, const struct truce_stored *rec,
            enum truce_verdict after)
{
    const char *id = rec->ev.id ? rec->ev.id : "";
    struct change c;
    if (rec->assessed && rec->overall == after)
        return true;
    r->changed_count++;
    if (r->n_changed == MAX_CHANGED && strcmp(id, r->changed[0].id) >= 0)
        return true;
    if (!(c.id = truce__strdup(id)))
        return false;
    c.before = rec->overall;
    c.after = after;
    c.assessed = rec->assessed;
    if (r->n_changed == MAX_CHANGED) {
        truce__free(r->changed[0].id);
        r->changed[0] = c;
        heap_down(r->changed, r->n_changed, 0);
    } else {
        r->changed[r->n_changed] = c;
        heap_up(r->changed, r->n_changed++);
    }
    return true;
}

static truce_status
whatif_event(void *ud, struct truce_stored *rec)
{
    struct run *r = ud;
    enum truce_verdict overall;
    truce_status rc;
    if ((rc = truce_assess_event(r->ctx, r->set, r->actors, &rec->ev,
                                 TRUCE_ASSESS_NO_EXPLAIN, r->as, &overall)))
        return r->rc = rc;
    r->events++;
    r->overall[overall]++;
    for (size_t i = 0; i < r->n_agr; i++) {
        struct per_agreement *pa = &r->agr[i];
        pa->counts[r->as[i].verdict]++;
        if (r->as[i].verdict == TRUCE_V_VIOLATION &&
            !count_violation(pa, &r->as[i]))
            return r->rc = truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    }
    if (!note_change(r, rec, overall))
        return r->rc = truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    return TRUCE_OK;
}

static int
by_id(const void *pa, const void *pb)
{
    const struct change *a = pa, *b = pb;
    return strcmp(a->id, b->id);
}

static json_t *
verdict_counts(const long *counts, const enum truce_verdict *which, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < n; i++)
        json_object_set_new(o, truce_verdict_name(which[i]),
                            json_integer(counts[which[i]]));
    return o;
}

static json_t *
result_json(struct run *r)
{
    json_t *doc, *by_agr = json_array(), *changed = json_array();
    struct truce_agreement_info info;
    qsort(r->changed, r->n_changed, sizeof(*r->changed), by_id);
    for (size_t i = 0; i < r->n_agr; i++) {
        truce_agreements_info(r->set, i, &info);
        json_array_append_new(
            by_agr,
            json_pack("{s:s,s:o,s:O,s:O}", "id", info.id, "counts",
                      verdict_counts(r->agr[i].counts, agreement_verdicts,
                                     4),
                      "by_side", r->agr[i].by_side, "by_guarantor",
                      r->agr[i].by_guarantor));
    }
    for (size_t i = 0; i < r->n_changed; i++) {
        const struct change *c = &r->changed[i];
        json_array_append_new(
            changed,
            json_pack("{s:s,s:o,s:s}", "id", c->id, "before",
                      c->assessed ? json_string(truce_verdict_name(c->before))
                                  : json_null(),
                      "after", truce_verdict_name(c->after)));
    }
    doc = json_pack("{s:I,s:o,s:o,s:I,s:o}", "events", (json_int_t)r->events,
                    "by_agreement", by_agr, "overall",
                    verdict_counts(r->overall, overall_verdicts, 4),
                    "changed_count", (json_int_t)r->changed_count, "changed",
                    changed);
    return doc;
}

truce_status
truce_whatif(struct truce_ctx *ctx, struct truce_store *st,
             const struct truce_agreements *set,
             const struct truce_actors *actors, const struct truce_query *q,
             struct truce_buf *out)
{
    struct run r = {0};
    struct truce_query all = *q;
    json_t *doc = NULL;
    char *text = NULL;
    truce_status rc = TRUCE_OK;
    truce__clear(ctx);
    r.ctx = ctx;
    r.set = set;
    r.actors = actors;
    r.n_agr = truce_agreements_count(set);
    r.as = truce__calloc(r.n_agr ? r.n_agr : 1, sizeof(*r.as));
    r.agr = truce__calloc(r.n_agr ? r.n_agr : 1, sizeof(*r.agr));
    r.changed = truce__calloc(MAX_CHANGED, sizeof(*r.changed));
    if (!r.as || !r.agr || !r.changed) {
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r.n_agr; i++) {
        truce_assessment_init(&r.as[i]);
        r.agr[i].by_side = json_object();
        r.agr[i].by_guarantor = json_object();
        if (!r.agr[i].by_side || !r.agr[i].by_guarantor) {
            rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
            goto out;
        }
    }
    /* the stored overall verdict is all it reads of the assessments */
    all.no_assessments = true;
    if ((rc = truce_store_query(st, &all, whatif_event, &r))) {
        if (r.rc)
            rc = r.rc;
        goto out;
    }
    if (!(doc = result_json(&r)) ||
        !(text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER)) ||
        truce_buf_adds(out, text))
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
out:
    json_decref(doc);
    free(text);
    for (size_t i = 0; r.as && i < r.n_agr; i++)
        truce_assessment_release(&r.as[i]);
    for (size_t i = 0; r.agr && i < r.n_agr; i++) {
        json_decref(r.agr[i].by_side);
        json_decref(r.agr[i].by_guarantor);
    }
    for (size_t i = 0; i < r.n_changed; i++)
        truce__free(r.changed[i].id);
    truce__free(r.changed);
    truce__free(r.as);
    truce__free(r.agr);
    return rc;
}
