/*
 * assess.c - assessing the store's pending events (new, changed, or marked
 * by a change of agreements or dictionary) in batches, each written in one
 * transaction, and only while the model they were decided under is still
 * the store's: a batch decided under agreements that changed meanwhile is
 * not written, so no verdict is stored against agreements it was not
 * decided under. Used by `truce assess` and by the server's background
 * re-assessment.
 */
#include "store.h"

struct batch_item {
    int64_t key;
    enum truce_verdict overall;
    struct truce_assessment *as;
};

struct run {
    struct truce_ctx *ctx;
    const struct truce_agreements *set;
    const struct truce_actors *actors;
    size_t n_agr;
    struct batch_item *items;
    size_t n;
    int64_t last_key;
};

static truce_status
decide(void *ud, struct truce_stored *rec)
{
    struct run *r = ud;
    struct batch_item *it = &r->items[r->n];
    truce_status st;
    it->key = rec->key;
    st = truce_assess_event(r->ctx, r->set, r->actors, &rec->ev,
                            TRUCE_ASSESS_NO_EXPLAIN, it->as, &it->overall);
    if (st)
        return st;
    r->n++;
    r->last_key = rec->key;
    return TRUCE_OK;
}

/* Writes the batch in one transaction if the model is still version. */
static truce_status
write_batch(struct run *r, struct truce_store *st, int64_t version,
            struct truce_assess_counts *counts)
{
    int64_t now;
    truce_status rc;
    if ((rc = truce_store_begin(st)))
        return rc;
    if ((rc = truce_store_model_version(st, &now)))
        goto out_rollback;
    if (now != version) {
        rc = truce__err(r->ctx, TRUCE_ECONFLICT, "the agreements or the "
                        "dictionary changed while assessing: assess again");
        goto out_rollback;
    }
    for (size_t i = 0; i < r->n; i++) {
        if ((rc = truce_store_put_assessments(st, r->items[i].key,
                                              r->items[i].as, r->n_agr,
                                              r->items[i].overall)))
            goto out_rollback;
    }
    if ((rc = truce_store_commit(st)))
        goto out_rollback;
    for (size_t i = 0; i < r->n; i++) {
        counts->by_verdict[r->items[i].overall]++;
        counts->assessed++;
    }
    return TRUCE_OK;
out_rollback:
    truce__store_abort(st);
    return rc;
}

truce_status
truce_store_assess_pending(struct truce_ctx *ctx, struct truce_store *st,
                           const struct truce_actors *actors,
                           const struct truce_agreements *set,
                           int64_t version, size_t batch, long max,
                           struct truce_assess_counts *counts)
{
    struct run r = {ctx, set, actors, truce_agreements_count(set), NULL, 0,
                    0};
    struct truce_query q = {0};
    truce_status rc = TRUCE_OK;
    long done = 0;
    truce__clear(ctx);
    if (batch == 0)
        batch = 1;
    r.items = truce__calloc(batch, sizeof(*r.items));
    for (size_t i = 0; r.items && i < batch; i++) {
        r.items[i].as = truce__calloc(r.n_agr ? r.n_agr : 1,
                                      sizeof(*r.items[i].as));
        if (!r.items[i].as)
            break;
        for (size_t k = 0; k < r.n_agr; k++)
            truce_assessment_init(&r.items[i].as[k]);
    }
    if (!r.items || !r.items[batch - 1].as) {
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        goto out;
    }
    q.pending_only = true;
    q.no_assessments = true; /* about to be replaced */
    while (max <= 0 || done < max) {
        r.n = 0;
        q.after_key = r.last_key;
        q.limit = max > 0 && (long)batch > max - done ? max - done
                                                      : (long)batch;
        if ((rc = truce_store_query(st, &q, decide, &r)) || r.n == 0)
            break;
        if ((rc = write_batch(&r, st, version, counts)))
            break;
        done += (long)r.n;
        truce__progress(ctx, done);
    }
out:
    for (size_t i = 0; r.items && i < batch; i++) {
        for (size_t k = 0; r.items[i].as && k < r.n_agr; k++)
            truce_assessment_release(&r.items[i].as[k]);
        truce__free(r.items[i].as);
    }
    truce__free(r.items);
    return rc;
}
