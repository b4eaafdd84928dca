/*
 * whatif.c - every stored event assessed under a draft agreement set,
 * nothing stored (DESIGN section 12, `truce whatif`): counts by verdict,
 * side and guarantor for each agreement, the overall verdicts, and the
 * events whose overall verdict would change against the stored ones.
 */
#include "store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Keeps a change when it is among the MAX_CHANGED smallest ids: memory
 * bounded however many change. */
static bool
keep_change(struct run *r, const char *id, bool assessed,
            enum truce_verdict before, enum truce_verdict after)
{
    struct change c;
    if (r->n_changed == MAX_CHANGED && strcmp(id, r->changed[0].id) >= 0)
        return true;
    if (!(c.id = truce__strdup(id)))
        return false;
    c.before = before;
    c.after = after;
    c.assessed = assessed;
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

/* Counts an event assessed (r->as, overall) against its stored verdict. */
static truce_status
count_event(struct run *r, const char *id, bool assessed,
            enum truce_verdict before, enum truce_verdict overall)
{
    r->events++;
    r->overall[overall]++;
    for (size_t i = 0; i < r->n_agr; i++) {
        struct per_agreement *pa = &r->agr[i];
        pa->counts[r->as[i].verdict]++;
        if (r->as[i].verdict == TRUCE_V_VIOLATION &&
            !count_violation(pa, &r->as[i]))
            return r->rc = truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    }
    if (assessed && before == overall)
        return TRUCE_OK;
    r->changed_count++;
    if (!keep_change(r, id ? id : "", assessed, before, overall))
        return r->rc = truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
    return TRUCE_OK;
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
    return count_event(r, rec->ev.id, rec->assessed, rec->overall, overall);
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

static truce_status
run_init(struct run *r, struct truce_ctx *ctx,
         const struct truce_agreements *set,
         const struct truce_actors *actors)
{
    memset(r, 0, sizeof(*r));
    r->ctx = ctx;
    r->set = set;
    r->actors = actors;
    r->n_agr = truce_agreements_count(set);
    r->as = truce__calloc(r->n_agr ? r->n_agr : 1, sizeof(*r->as));
    r->agr = truce__calloc(r->n_agr ? r->n_agr : 1, sizeof(*r->agr));
    r->changed = truce__calloc(MAX_CHANGED, sizeof(*r->changed));
    if (!r->as || !r->agr || !r->changed)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_agr; i++) {
        truce_assessment_init(&r->as[i]);
        r->agr[i].by_side = json_object();
        r->agr[i].by_guarantor = json_object();
        if (!r->agr[i].by_side || !r->agr[i].by_guarantor)
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    return TRUCE_OK;
}

static void
run_release(struct run *r)
{
    for (size_t i = 0; r->as && i < r->n_agr; i++)
        truce_assessment_release(&r->as[i]);
    for (size_t i = 0; r->agr && i < r->n_agr; i++) {
        json_decref(r->agr[i].by_side);
        json_decref(r->agr[i].by_guarantor);
    }
    for (size_t i = 0; i < r->n_changed; i++)
        truce__free(r->changed[i].id);
    truce__free(r->changed);
    truce__free(r->as);
    truce__free(r->agr);
    memset(r, 0, sizeof(*r));
}

/* Adds what src counted to dst: src's events come after dst's in key
 * order, so a side or guarantor dst has not met comes after dst's, as one
 * pass over all of them would have met it. */
static bool
add_counts(json_t *dst, json_t *src)
{
    const char *k;
    json_t *v;
    json_object_foreach(src, k, v) {
        json_t *d = json_object_get(dst, k);
        json_int_t n = json_integer_value(v) +
                       (d ? json_integer_value(d) : 0);
        if (json_object_set_new(dst, k, json_integer(n)))
            return false;
    }
    return true;
}

static bool
merge(struct run *dst, struct run *src)
{
    dst->events += src->events;
    for (int v = 0; v <= TRUCE_V_VIOLATION; v++)
        dst->overall[v] += src->overall[v];
    for (size_t i = 0; i < dst->n_agr; i++) {
        for (int v = 0; v <= TRUCE_V_VIOLATION; v++)
            dst->agr[i].counts[v] += src->agr[i].counts[v];
        if (!add_counts(dst->agr[i].by_side, src->agr[i].by_side) ||
            !add_counts(dst->agr[i].by_guarantor, src->agr[i].by_guarantor))
            return false;
    }
    dst->changed_count += src->changed_count;
    for (size_t i = 0; i < src->n_changed; i++) {
        const struct change *c = &src->changed[i];
        if (!keep_change(dst, c->id, c->assessed, c->before, c->after))
            return false;
    }
    return true;
}

/* ------------------------------------------------------ the fast path */

#define MAX_THREADS 8
#define EVENTS_PER_THREAD 5000 /* fewer: one thread */

/* Can the compact events answer q (only from and to are set)? */
static bool
compact_answers(const struct truce_query *q)
{
    return !q->pending_only && !q->id && !q->keys && !q->agreement &&
           !q->has_verdict && !q->has_bbox && q->limit <= 0 &&
           !q->after_key && !q->category && !q->side && !q->unlinked_only &&
           !q->incident && !q->order_by_incident && !q->representatives_only;
}

/* The store's query's time filter (store_sqlite.c, store_pg.c). */
static bool
selected(const struct truce_query *q, const struct truce__cev *e)
{
    int64_t end = e->t1 > e->t0 + 1 ? e->t1 : e->t0 + 1;
    return (!q->has_from || end > q->from) && (!q->has_to || e->t0 < q->to);
}

/* What every part shares: the events, the bulk assessment, each
 * distinct string's actors. */
struct shared {
    const struct truce__compact *c;
    const struct truce__bulk *bulk;
    const struct truce_query *q;
    struct truce_actor_ref (*refs)[TRUCE_MAX_FIELD_ACTORS];
    size_t *n_refs;
    struct truce_actor_ref none[1];
    size_t n_none;
};

/* One thread's share of the events, [from, to), counted in its own run. */
struct part {
    const struct shared *sh;
    size_t from, to;
    bool own_geometry;   /* not the first part's thread */
    struct run r;
    struct truce__bulk_memo *memo;
    pthread_t thread;
    bool started;
    truce_status rc;
};

static void
field_of(const struct shared *sh, uint32_t s, struct truce__fields *f, int k)
{
    if (s == TRUCE__NONE) {
        f->refs[k] = sh->none;
        f->n[k] = sh->n_none;
    } else {
        f->refs[k] = sh->refs[s];
        f->n[k] = sh->n_refs[s];
    }
}

static truce_status
run_part(struct part *p)
{
    const struct shared *sh = p->sh;
    const struct truce__compact *c = sh->c;
    truce_status rc;
    /* the first part tests places against the set's own zones, the
     * others against copies of their own */
    if ((rc = truce__bulk_memo_new(p->r.ctx, sh->bulk, p->own_geometry,
                                   &p->memo)))
        return rc;
    for (size_t i = p->from; i < p->to; i++) {
        const struct truce__cev *e = &c->ev[i];
        struct truce_event ev;
        struct truce__fields f;
        enum truce_verdict overall;
        if (!selected(sh->q, e))
            continue;
        memset(&ev, 0, sizeof(ev));
        ev.id = c->ids + e->id;
        ev.time_kind = (enum truce_time_kind)e->time_kind;
        ev.t0 = e->t0;
        ev.t1 = e->t1;
        ev.lat = e->lat;
        ev.lon = e->lon;
        ev.radius_km = e->radius_km;
        ev.category = (enum truce_category)e->category;
        ev.directed = e->directed;
        /* borrowed from c: the event is not released */
        ev.actor1 = (char *)truce__compact_str(c, e->actor1);
        ev.actor2 = (char *)truce__compact_str(c, e->actor2);
        ev.area = (char *)truce__compact_str(c, e->area);
        field_of(sh, e->actor1, &f, 0);
        field_of(sh, e->actor2, &f, 1);
        if ((rc = truce__bulk_assess(p->r.ctx, sh->bulk, p->memo, &ev, &f,
                                     TRUCE_ASSESS_NO_EXPLAIN, p->r.as,
                                     &overall)) ||
            (rc = count_event(&p->r, ev.id,
                              (e->stored & TRUCE__CEV_ASSESSED) != 0,
                              (enum truce_verdict)(e->stored &
                                                   ~TRUCE__CEV_ASSESSED),
                              overall)))
            return rc;
    }
    return TRUCE_OK;
}

static void *
part_main(void *arg)
{
    struct part *p = arg;
    p->rc = run_part(p);
    return NULL;
}

static int
threads_for(size_t n, int asked)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = n / EVENTS_PER_THREAD;
    if (asked > 0)
        return asked > MAX_THREADS ? MAX_THREADS : asked;
    if (cores < 1)
        cores = 1;
    if (t > (size_t)cores)
        t = (size_t)cores;
    if (t > MAX_THREADS)
        t = MAX_THREADS;
    return t < 1 ? 1 : (int)t;
}

/* Each distinct string of the events resolved once against actors. */
static truce_status
resolve_strings(struct truce_ctx *ctx, const struct truce__compact *c,
                const struct truce_actors *actors, struct shared *sh)
{
    size_t n = c->n_strings ? c->n_strings : 1;
    sh->refs = truce__calloc(n, sizeof(*sh->refs));
    sh->n_refs = truce__calloc(n, sizeof(*sh->n_refs));
    if (!sh->refs || !sh->n_refs)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < c->n_strings; i++)
        sh->n_refs[i] = truce__actors_resolve(actors, truce__compact_str(c, i),
                                              sh->refs[i],
                                              TRUCE_MAX_FIELD_ACTORS);
    sh->n_none = truce__actors_resolve(actors, NULL, sh->none, 1);
    return TRUCE_OK;
}

/* Every event of c under the bulk's agreements, in parts over the cores;
 * the parts' counts merged into r in key order. */
static truce_status
fast_run(struct run *r, struct shared *sh, int threads)
{
    struct part parts[MAX_THREADS];
    int n = threads_for(sh->c->n, threads);
    size_t per = sh->c->n / (size_t)n;
    truce_status rc = TRUCE_OK;
    memset(parts, 0, sizeof(parts));
    for (int k = 0; k < n; k++) {
        struct part *p = &parts[k];
        p->sh = sh;
        p->from = (size_t)k * per;
        p->to = k == n - 1 ? sh->c->n : p->from + per;
        p->own_geometry = k > 0;
        if (k == 0) {
            p->r = *r; /* the caller's run counts the first part */
            continue;
        }
        if (truce_ctx_new(&p->r.ctx)) {
            rc = truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
            break;
        }
        if ((rc = run_init(&p->r, p->r.ctx, r->set, r->actors))) {
            /* said in the part's ctx: say it in the caller's */
            rc = truce__err(r->ctx, rc, "%s", truce_ctx_errmsg(p->r.ctx));
            break;
        }
        if (pthread_create(&p->thread, NULL, part_main, p)) {
            rc = truce__err(r->ctx, TRUCE_ENOMEM, "cannot start a thread");
            break;
        }
        p->started = true;
    }
    if (!rc)
        part_main(&parts[0]);
    rc = rc ? rc : parts[0].rc;
    for (int k = 1; k < n; k++) {
        struct part *p = &parts[k];
        struct truce_ctx *pc = p->r.ctx;
        if (p->started) {
            pthread_join(p->thread, NULL);
            if (!rc && p->rc)
                rc = truce__err(r->ctx, p->rc, "%s", truce_ctx_errmsg(pc));
        }
        if (!rc && !merge(&parts[0].r, &p->r))
            rc = truce__err(r->ctx, TRUCE_ENOMEM, "out of memory");
        truce__bulk_memo_free(pc, p->memo);
        run_release(&p->r);
        truce_ctx_free(pc);
    }
    truce__bulk_memo_free(r->ctx, parts[0].memo);
    *r = parts[0].r;
    return rc;
}

static truce_status
whatif_fast(struct run *r, struct truce_store *st,
            const struct truce_query *q, int threads)
{
    struct shared sh;
    struct truce__compact *c = NULL;
    struct truce__bulk *bulk = NULL;
    bool cached;
    truce_status rc;
    memset(&sh, 0, sizeof(sh));
    if ((rc = truce__compact_get(r->ctx, st, &c, &cached)) ||
        (rc = truce__bulk_new(r->ctx, r->set, r->actors, &bulk)) ||
        (rc = resolve_strings(r->ctx, c, r->actors, &sh)))
        goto out;
    sh.c = c;
    sh.bulk = bulk;
    sh.q = q;
    rc = fast_run(r, &sh, threads);
out:
    truce__free(sh.refs);
    truce__free(sh.n_refs);
    truce__bulk_free(bulk);
    truce__compact_free(c);
    return rc;
}

/* ------------------------------------------------------------ whatif */

truce_status
truce_store_prepare_whatif(struct truce_store *st)
{
    struct truce__compact *c = NULL;
    bool cached;
    truce_status rc;
    truce__clear(st->ctx);
    /* read whole and checked, so that a damaged one is made again now */
    rc = truce__compact_get(st->ctx, st, &c, &cached);
    truce__compact_free(c);
    return rc;
}

truce_status
truce__whatif_run(struct truce_ctx *ctx, struct truce_store *st,
                  const struct truce_agreements *set,
                  const struct truce_actors *actors,
                  const struct truce_query *q, int how,
                  struct truce_buf *out)
{
    struct run r;
    struct truce_query all = *q;
    json_t *doc = NULL;
    char *text = NULL;
    truce_status rc;
    truce__clear(ctx);
    if ((rc = run_init(&r, ctx, set, actors)))
        goto out;
    if (how >= 0 && compact_answers(q)) {
        if ((rc = whatif_fast(&r, st, q, how)))
            goto out;
    } else {
        /* the stored overall verdict is all it reads of the assessments */
        all.no_assessments = true;
        if ((rc = truce_store_query(st, &all, whatif_event, &r))) {
            if (r.rc)
                rc = r.rc;
            goto out;
        }
    }
    if (!(doc = result_json(&r)) ||
        !(text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER)) ||
        truce_buf_adds(out, text))
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
out:
    json_decref(doc);
    free(text);
    run_release(&r);
    return rc;
}

truce_status
truce_whatif(struct truce_ctx *ctx, struct truce_store *st,
             const struct truce_agreements *set,
             const struct truce_actors *actors, const struct truce_query *q,
             struct truce_buf *out)
{
    return truce__whatif_run(ctx, st, set, actors, q, 0, out);
}
