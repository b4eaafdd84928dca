/*
 * review.c - the monitoring cell's side of the store: users and their
 * tokens (hashed with libsodium, compared in constant time), field reports,
 * the review workflow of the 2016 "standard procedures", and its audit
 * trail. The workflow's rules live here; the SQL lives in the backend.
 */
#include "store.h"

#include <stdio.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

void
truce_token_secret(char out[65])
{
    unsigned char raw[32];
    if (sodium_init() < 0) {
        /* libsodium cannot start: no secret rather than a weak one */
        out[0] = '\0';
        return;
    }
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, 65, raw, sizeof(raw));
}

void
truce_token_hash(const char *secret, char out[65])
{
    unsigned char h[32];
    if (sodium_init() < 0) {
        out[0] = '\0';
        return;
    }
    crypto_generichash(h, sizeof(h), (const unsigned char *)secret,
                       strlen(secret), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

static bool
role_ok(const char *role)
{
    return !strcmp(role, "monitor") || !strcmp(role, "analyst") ||
           !strcmp(role, "admin");
}

truce_status
truce_store_model_version(struct truce_store *st, int64_t *out)
{
    truce__clear(st->ctx);
    return st->ops->model_version(st->impl, out);
}

truce_status
truce_store_add_user(struct truce_store *st, const char *name,
                     const char *role, char *token, size_t token_size)
{
    char secret[65], hash[65];
    int64_t id;
    truce_status rc;
    truce__clear(st->ctx);
    if (!name[0] || strlen(name) > 60 || strchr(name, ' '))
        return truce__err(st->ctx, TRUCE_EINVAL, "a user name is 1 to 60 "
                          "characters without spaces");
    if (!role_ok(role))
        return truce__err(st->ctx, TRUCE_EINVAL, "role '%s' is not monitor, "
                          "analyst or admin", role);
    truce_token_secret(secret);
    if (!secret[0])
        return truce__err(st->ctx, TRUCE_EIO, "libsodium cannot start");
    truce_token_hash(secret, hash);
    if ((rc = st->ops->add_user(st->impl, name, role, hash, &id)))
        return rc;
    snprintf(token, token_size, "truce_%lld_%s", (long long)id, secret);
    sodium_memzero(secret, sizeof(secret));
    return TRUCE_OK;
}

/* The user id of a token in its one canonical form, "truce_" + the id in
 * decimal without sign or leading zero + "_" + 64 lower-case hex digits;
 * 0 for anything else. *secret points at the hex digits. */
static int64_t
token_id(const char *token, const char **secret)
{
    const char *p = token + 6;
    int64_t id = 0;
    if (strncmp(token, "truce_", 6) || *p < '1' || *p > '9')
        return 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (id > (INT64_MAX - 9) / 10)
            return 0;
        id = id * 10 + (*p - '0');
    }
    if (*p++ != '_' || strlen(p) != 64)
        return 0;
    for (size_t i = 0; i < 64; i++) {
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return 0;
    }
    *secret = p;
    return id;
}

truce_status
truce_store_check_token(struct truce_store *st, const char *token,
                        char *name, char *role)
{
    char hash[65], want[65];
    const char *p = NULL;
    int64_t id;
    truce_status rc;
    truce__clear(st->ctx);
    /* One message for every refusal: it tells nothing of which. */
    if (!(id = token_id(token, &p)))
        return truce__err(st->ctx, TRUCE_EAUTH, "unknown or wrong token");
    rc = st->ops->get_user(st->impl, id, name, role, want);
    if (rc == TRUCE_ENOTFOUND)
        return truce__err(st->ctx, TRUCE_EAUTH, "unknown or wrong token");
    if (rc)
        return rc;
    truce_token_hash(p, hash);
    if (strlen(want) != 64 || sodium_memcmp(hash, want, 64) != 0)
        /* a revoked user's hash is empty */
        return truce__err(st->ctx, TRUCE_EAUTH, "unknown or wrong token");
    return TRUCE_OK;
}

truce_status
truce_store_revoke_user(struct truce_store *st, const char *name)
{
    int64_t id;
    truce__clear(st->ctx);
    return st->ops->set_user_hash(st->impl, name, "", &id);
}

truce_status
truce_store_rotate_user(struct truce_store *st, const char *name,
                        char *token, size_t token_size)
{
    char secret[65], hash[65];
    int64_t id;
    truce_status rc;
    truce__clear(st->ctx);
    truce_token_secret(secret);
    if (!secret[0])
        return truce__err(st->ctx, TRUCE_EIO, "libsodium cannot start");
    truce_token_hash(secret, hash);
    if ((rc = st->ops->set_user_hash(st->impl, name, hash, &id)))
        return rc;
    snprintf(token, token_size, "truce_%lld_%s", (long long)id, secret);
    sodium_memzero(secret, sizeof(secret));
    return TRUCE_OK;
}

truce_status
truce_store_each_user(struct truce_store *st, truce_text_fn fn, void *ud)
{
    truce__clear(st->ctx);
    return truce__store_after_fn(st, st->ops->each_user(st->impl, fn, ud),
                                 "listing users");
}

/* -------------------------------------------------------------- audit */

/* The event a query found, as JSON (for the audit's "before"). */
struct kept_event {
    char *json;
};

static truce_status
keep_event(void *ud, struct truce_stored *rec)
{
    struct kept_event *k = ud;
    struct truce_buf b;
    truce_buf_init(&b, 0);
    if (truce_event_to_json(&rec->ev, NULL, 0, TRUCE_V_NOT_COVERED, false,
                            NULL, &b)) {
        truce_buf_release(&b);
        return TRUCE_ENOMEM;
    }
    free(k->json);
    k->json = truce_buf_detach(&b);
    return TRUCE_OK;
}

static char *
audit_entry(const char *user, const char *event, const char *action,
            const char *before, const char *after)
{
    json_t *b = before ? json_loads(before, 0, NULL) : json_null();
    json_t *a = after ? json_loads(after, 0, NULL) : json_null();
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o}", "user", user, "event",
                          event, "action", action, "before",
                          b ? b : json_null(), "after", a ? a : json_null());
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

/* The words of a truce_put_result in the audit trail. */
static const char *
stored_word(enum truce_put_result res)
{
    return res == TRUCE_PUT_INSERTED  ? "inserted"
           : res == TRUCE_PUT_UPDATED ? "updated"
                                      : "unchanged";
}

truce_status
truce__store_put_assessed(struct truce_store *st,
                          const struct truce_agreements *set,
                          const struct truce_actors *actors,
                          const struct truce_event *ev, const char *user,
                          const char *action, bool audit_stored,
                          enum truce_put_result *res)
{
    struct truce_ctx *ctx = st->ctx;
    size_t n = truce_agreements_count(set);
    struct truce_assessment *as;
    enum truce_verdict overall;
    int64_t key = 0;
    char after[40], *entry = NULL;
    truce_status rc;
    if (!(as = truce__calloc(n ? n : 1, sizeof(*as))))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        truce_assessment_init(&as[i]);
    if ((rc = truce_store_put_event(st, ev, res, &key)) ||
        (rc = truce_assess_event(ctx, set, actors, ev,
                                 TRUCE_ASSESS_NO_EXPLAIN, as, &overall)) ||
        (rc = truce_store_put_assessments(st, key, as, n, overall)))
        goto out_free;
    snprintf(after, sizeof(after), "{\"stored\":\"%s\"}",
             stored_word(*res));
    entry = audit_entry(user, ev->id, action, NULL,
                        audit_stored ? after : NULL);
    rc = entry ? st->ops->add_audit(st->impl, ev->id, entry)
               : truce__err(ctx, TRUCE_ENOMEM, "out of memory");
out_free:
    free(entry);
    for (size_t i = 0; i < n; i++)
        truce_assessment_release(&as[i]);
    truce__free(as);
    return rc;
}

truce_status
truce_store_add_report(struct truce_store *st,
                       const struct truce_agreements *set,
                       const struct truce_actors *actors,
                       struct truce_event *ev, const char *user,
                       char *id_out)
{
    int64_t n;
    enum truce_put_result res;
    char num[32];
    truce_status rc;
    truce__clear(st->ctx);
    if ((rc = truce_store_begin(st)))
        return rc;
    if ((rc = st->ops->next_field_id(st->impl, &n)))
        goto out_rollback;
    snprintf(num, sizeof(num), "%lld", (long long)n);
    snprintf(id_out, 64, "field:%s", num);
    if (truce__set_str(&ev->source, "field", (size_t)-1) ||
        truce__set_str(&ev->source_id, num, (size_t)-1) ||
        truce__set_str(&ev->id, id_out, (size_t)-1)) {
        rc = truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
        goto out_rollback;
    }
    if ((rc = truce__store_put_assessed(st, set, actors, ev, user, "report",
                                        false, &res)) ||
        (rc = truce_store_commit(st)))
        goto out_rollback;
    return TRUCE_OK;
out_rollback:
    truce__store_abort(st);
    return rc;
}

truce_status
truce_store_get_review(struct truce_store *st, const char *event_id,
                       char **out)
{
    truce__clear(st->ctx);
    return st->ops->get_doc(st->impl, "review", event_id, out);
}

truce_status
truce_store_audit(struct truce_store *st, const char *event, int64_t after,
                  long limit, truce_text_fn fn, void *ud)
{
    truce__clear(st->ctx);
    return truce__store_after_fn(st, st->ops->audit(st->impl, event, after,
                                                    limit, fn, ud),
                                 "reading the audit trail");
}

/* ----------------------------------------------------------- reviews */

static const char *const states[] = {
#define X(e, n, w) #n,
    TRUCE_REVIEW_STATES(X)
#undef X
};
static const char *const state_words[] = {
#define X(e, n, w) w,
    TRUCE_REVIEW_STATES(X)
#undef X
};
static const char *const outcomes[] = {
#define X(e, n, w) #n,
    TRUCE_OUTCOMES(X)
#undef X
};
static const char *const outcome_words[] = {
#define X(e, n, w) w,
    TRUCE_OUTCOMES(X)
#undef X
};

static int
index_of(const char *s, const char *const *v, int n)
{
    for (int i = 0; s && i < n; i++) {
        if (!strcmp(s, v[i]))
            return i;
    }
    return -1;
}

const char *
truce_review_state_name(enum truce_review_state s)
{
    return (unsigned)s < TRUCE_RS_COUNT ? states[s] : "";
}

const char *
truce_review_state_words(enum truce_review_state s)
{
    return (unsigned)s < TRUCE_RS_COUNT ? state_words[s] : "";
}

const char *
truce_outcome_name(enum truce_outcome o)
{
    return (unsigned)o < TRUCE_OUT_COUNT ? outcomes[o] : "";
}

const char *
truce_outcome_words(enum truce_outcome o)
{
    return (unsigned)o < TRUCE_OUT_COUNT ? outcome_words[o] : "";
}

int
truce_review_state_parse(const char *s)
{
    return index_of(s, states, TRUCE_RS_COUNT);
}

int
truce_outcome_parse(const char *s)
{
    return index_of(s, outcomes, TRUCE_OUT_COUNT);
}

bool
truce_review_step_allowed(int from, enum truce_review_state to)
{
    switch (to) {
    case TRUCE_RS_ALLEGED: /* a new case, or one reopened */
        return from == -1 || from == TRUCE_RS_ASSESSED;
    case TRUCE_RS_INFORMATION_REQUESTED:
        return from == TRUCE_RS_ALLEGED || from == TRUCE_RS_RESPONDED;
    case TRUCE_RS_RESPONDED:
        return from == TRUCE_RS_INFORMATION_REQUESTED;
    case TRUCE_RS_ASSESSED:
        return from == TRUCE_RS_ALLEGED || from == TRUCE_RS_RESPONDED;
    case TRUCE_RS_COUNT:
        break;
    }
    return false;
}

static truce_status
review_check(struct truce_store *st, const char *state, const char *note,
             const char *guarantor, const char *outcome, int *to)
{
    *to = truce_review_state_parse(state);
    if (*to < 0)
        return truce__err(st->ctx, TRUCE_EINVAL, "field 'state' must be "
                          "one of %s",
                          TRUCE_NAME_LIST(TRUCE_REVIEW_STATES));
    if (!note || !note[0])
        return truce__err(st->ctx, TRUCE_EINVAL, "field 'note' is missing: "
                          "every step needs a note");
    if (*to == TRUCE_RS_INFORMATION_REQUESTED && (!guarantor || !guarantor[0]))
        return truce__err(st->ctx, TRUCE_EINVAL, "field 'guarantor' is "
                          "missing: name the guarantor asked");
    if (*to == TRUCE_RS_ASSESSED && truce_outcome_parse(outcome) < 0)
        return truce__err(st->ctx, TRUCE_EINVAL, "field 'outcome' must be "
                          "one of %s", TRUCE_NAME_LIST(TRUCE_OUTCOMES));
    if (*to != TRUCE_RS_ASSESSED && outcome && outcome[0])
        return truce__err(st->ctx, TRUCE_EINVAL, "field 'outcome' belongs "
                          "to the step 'assessed'");
    return TRUCE_OK;
}

static char *
review_text(const char *state, const char *outcome, const char *guarantor,
            const char *note, const char *user, json_t *prev)
{
    char at[32];
    json_t *o;
    char *s;
    truce_format_utc((int64_t)time(NULL), at);
    /* the guarantor asked stays with the case until it is reopened */
    if ((!guarantor || !guarantor[0]) && prev && strcmp(state, "alleged"))
        guarantor = json_string_value(json_object_get(prev, "guarantor"));
    o = json_pack("{s:s,s:s?,s:s?,s:s,s:s,s:s}", "state", state, "outcome",
                  outcome && outcome[0] ? outcome : NULL, "guarantor",
                  guarantor && guarantor[0] ? guarantor : NULL, "note", note,
                  "by", user, "at", at);
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

static truce_status
note_found(void *ud, struct truce_stored *rec)
{
    (void)rec;
    (*(int64_t *)ud)++;
    return TRUCE_OK;
}

truce_status
truce_store_review(struct truce_store *st, const char *event_id,
                   const char *user, const char *state, const char *note,
                   const char *guarantor, const char *outcome, char **out)
{
    struct truce_query q = {0};
    char *before = NULL, *after = NULL, *entry = NULL;
    json_t *prev = NULL;
    int to, from;
    bool changed;
    int64_t n_found = 0;
    truce_status rc;
    truce__clear(st->ctx);
    if (out)
        *out = NULL;
    if ((rc = review_check(st, state, note, guarantor, outcome, &to)))
        return rc;
    if ((rc = truce_store_begin(st)))
        return rc;
    q.id = event_id;
    if ((rc = truce_store_query(st, &q, note_found, &n_found)))
        goto out_rollback;
    if (!n_found) {
        rc = truce__err(st->ctx, TRUCE_ENOTFOUND, "no event '%s'", event_id);
        goto out_rollback;
    }
    if ((rc = truce_store_get_review(st, event_id, &before)))
        goto out_rollback;
    prev = before ? json_loads(before, 0, NULL) : NULL;
    from = prev ? index_of(json_string_value(json_object_get(prev, "state")),
                           states, TRUCE_RS_COUNT)
                : -1;
    if (!truce_review_step_allowed(from, (enum truce_review_state)to)) {
        rc = truce__err(st->ctx, TRUCE_ECONFLICT, "a case in state '%s' "
                        "cannot move to '%s'", from < 0 ? "none" : states[from],
                        states[to]);
        goto out_rollback;
    }
    after = review_text(state, outcome, guarantor, note, user, prev);
    entry = after ? audit_entry(user, event_id, "review", before, after)
                  : NULL;
    if (!after || !entry) {
        rc = truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
        goto out_rollback;
    }
    {
        char shown[80];
        bool assessed = to == TRUCE_RS_ASSESSED;
        snprintf(shown, sizeof(shown), "%s%s%s", state, assessed ? ":" : "",
                 assessed ? outcome : "");
        if (!(rc = st->ops->set_review(st->impl, event_id, shown)))
            rc = truce__store_touched(st);
    }
    if (rc ||
        (rc = st->ops->put_doc(st->impl, "review", event_id, after,
                               &changed)) ||
        (rc = st->ops->add_audit(st->impl, event_id, entry)) ||
        (rc = truce_store_commit(st)))
        goto out_rollback;
    json_decref(prev);
    free(before);
    free(entry);
    if (out)
        *out = after;
    else
        free(after);
    return TRUCE_OK;
out_rollback:
    truce__store_abort(st);
    json_decref(prev);
    free(before);
    free(after);
    free(entry);
    return rc;
}

truce_status
truce_store_delete_report(struct truce_store *st, const char *id,
                          const char *user)
{
    struct truce_query q = {0};
    struct kept_event k = {NULL};
    char *entry = NULL;
    truce_status rc;
    truce__clear(st->ctx);
    if (strncmp(id, "field:", 6))
        return truce__err(st->ctx, TRUCE_EINVAL, "only field reports are "
                          "deleted here ('%s' comes from a file: remove it "
                          "there and ingest again)", id);
    if ((rc = truce_store_begin(st)))
        return rc;
    q.id = id;
    q.no_assessments = true;
    if ((rc = truce_store_query(st, &q, keep_event, &k)))
        goto out_rollback;
    if (!k.json) {
        rc = truce__err(st->ctx, TRUCE_ENOTFOUND, "no event '%s'", id);
        goto out_rollback;
    }
    if ((rc = st->ops->delete_event(st->impl, id)) ||
        (rc = truce__store_touched(st)))
        goto out_rollback;
    entry = audit_entry(user, id, "delete", k.json, NULL);
    rc = entry ? st->ops->add_audit(st->impl, id, entry)
               : truce__err(st->ctx, TRUCE_ENOMEM, "out of memory");
    if (rc || (rc = truce_store_commit(st)))
        goto out_rollback;
    free(entry);
    free(k.json);
    return TRUCE_OK;
out_rollback:
    truce__store_abort(st);
    free(entry);
    free(k.json);
    return rc;
}
