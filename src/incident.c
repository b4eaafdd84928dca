/*
 * incident.c - an incident as DESIGN section 15 lists it, gathered from
 * its members as a store query streams them (in incident order): the
 * reports, their sources, the representative's place, time, toll and
 * assessments, the members' range of tolls, and the corroboration, with
 * the agreements the members disagree on when it is contested.
 */
#include "store.h"

#include <stdlib.h>

#include <jansson.h>
#include <string.h>

struct truce_incident {
    int64_t key;            /* its representative's key; 0: none yet */
    json_t *events;         /* ids */
    json_t *by_source;      /* {source: reports}, in the order met */
    json_t *verdicts;       /* {agreement: {event id: verdict}} */
    json_t *rep;            /* the representative's event object */
    char day0[16], day1[16]; /* its first and last days */
    int64_t low, high;      /* the members' tolls, -1 unknown */
    size_t n;
    struct truce_buf buf;
};

truce_status
truce_incident_new(struct truce_ctx *ctx, struct truce_incident **out)
{
    struct truce_incident *in = truce__calloc(1, sizeof(*in));
    truce__clear(ctx);
    *out = NULL;
    if (!in)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    truce_buf_init(&in->buf, 0);
    truce_incident_reset(in);
    *out = in;
    return TRUCE_OK;
}

void
truce_incident_reset(struct truce_incident *in)
{
    json_decref(in->events);
    json_decref(in->by_source);
    json_decref(in->verdicts);
    json_decref(in->rep);
    in->events = in->by_source = in->verdicts = in->rep = NULL;
    in->key = 0;
    in->low = in->high = -1;
    in->n = 0;
}

void
truce_incident_free(struct truce_incident *in)
{
    if (!in)
        return;
    truce_incident_reset(in);
    truce_buf_release(&in->buf);
    truce__free(in);
}

int64_t
truce_incident_key(const struct truce_incident *in)
{
    return in->key;
}

size_t
truce_incident_reports(const struct truce_incident *in)
{
    return in->n;
}

size_t
truce_incident_sources(const struct truce_incident *in)
{
    return in->by_source ? json_object_size(in->by_source) : 0;
}

static int64_t
day_of(int64_t t)
{
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* The incident a stored record belongs to: its representative's key, its
 * own while it is not linked. */
static int64_t
incident_of(const struct truce_stored *rec)
{
    return rec->incident ? rec->incident : rec->key;
}

truce_status
truce_incident_add(struct truce_ctx *ctx, struct truce_incident *in,
                   const struct truce_stored *rec, bool *other)
{
    const struct truce_event *ev = &rec->ev;
    const char *source = ev->source ? ev->source : "";
    json_t *count;
    truce__clear(ctx);
    *other = in->n && in->key != incident_of(rec);
    if (*other)
        return TRUCE_OK;
    if (!in->n &&
        (!(in->events = json_array()) || !(in->by_source = json_object()) ||
         !(in->verdicts = json_object())))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    in->key = incident_of(rec);
    if (json_array_append_new(in->events, json_string(ev->id ? ev->id : "")))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    count = json_object_get(in->by_source, source);
    if (json_object_set_new(in->by_source, source,
                            json_integer(count ? json_integer_value(count) + 1
                                               : 1)))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    if (ev->fatalities >= 0) {
        in->low = in->low < 0 || ev->fatalities < in->low ? ev->fatalities
                                                          : in->low;
        in->high = ev->fatalities > in->high ? ev->fatalities : in->high;
    }
    for (size_t i = 0; i < rec->n_as; i++) {
        const char *agr = rec->as[i].agreement_id;
        json_t *m = json_object_get(in->verdicts, agr);
        if (!m && json_object_set_new(in->verdicts, agr, m = json_object()))
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        if (json_object_set_new(
                m, ev->id ? ev->id : "",
                json_pack("{s:s,s:s}", "verdict",
                          truce_verdict_name(rec->as[i].verdict), "reason",
                          truce_reason_name(rec->as[i].reason))))
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    in->n++;
    if (rec->key == in->key) {
        json_error_t err;
        truce_format_day(day_of(ev->t0), in->day0);
        truce_format_day(day_of(ev->t1 > ev->t0 ? ev->t1 - 1 : ev->t0),
                         in->day1);
        truce_buf_reset(&in->buf);
        if (truce_event_to_json(ev, rec->as, rec->n_as, rec->overall,
                                rec->assessed, NULL, &in->buf))
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        json_decref(in->rep);
        if (!(in->rep = json_loadb(in->buf.buf, in->buf.len, 0, &err)))
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    return TRUCE_OK;
}

/* The agreements under which the members' verdicts differ, each with
 * every member's verdict. */
static json_t *
disagreements(const struct truce_incident *in)
{
    json_t *out = json_array(), *m;
    const char *agr;
    json_object_foreach(in->verdicts, agr, m) {
        const char *first = NULL, *id;
        json_t *v;
        bool differ = json_object_size(m) < in->n;
        json_object_foreach(m, id, v) {
            const char *verdict =
                json_string_value(json_object_get(v, "verdict"));
            if (!first)
                first = verdict;
            else if (strcmp(first, verdict))
                differ = true;
        }
        if (differ)
            json_array_append_new(out, json_pack("{s:s,s:O}", "agreement",
                                                 agr, "verdicts", m));
    }
    return out;
}

static const char *
corroboration_of(const struct truce_incident *in, json_t *contested)
{
    if (json_object_size(in->by_source) < 2)
        return "single";
    return json_array_size(contested) ? "contested" : "corroborated";
}

truce_status
truce_incident_to_json(struct truce_ctx *ctx, const struct truce_incident *in,
                       struct truce_buf *out)
{
    json_t *o, *sources, *contested, *rep = in->rep;
    const char *name;
    json_t *count;
    char *text;
    truce_status rc = TRUCE_OK;
    truce__clear(ctx);
    if (!in->n || !rep)
        return truce__err(ctx, TRUCE_EINVAL, "an incident of no reports, "
                          "or without its representative");
    sources = json_array();
    json_object_foreach(in->by_source, name, count)
        json_array_append_new(sources, json_string(name));
    contested = disagreements(in);
    o = json_pack(
        "{s:s+,s:O,s:o,s:I,s:O,s:O,s:o,s:o,s:O,s:O,s:O,s:O,s:O,s:O}", "id",
        "incident:", json_string_value(json_object_get(rep, "id")), "events",
        in->events, "sources", sources, "independent_sources",
        (json_int_t)json_object_size(in->by_source), "reports_by_source",
        in->by_source, "representative", json_object_get(rep, "id"),
        "date_start", json_string(in->day0), "date_end",
        json_string(in->day1), "lat", json_object_get(rep, "lat"),
        "lon", json_object_get(rep, "lon"), "radius_km",
        json_object_get(rep, "radius_km"), "category",
        json_object_get(rep, "category"), "fatalities",
        json_object_get(rep, "fatalities"), "verdict",
        json_object_get(rep, "verdict") ? json_object_get(rep, "verdict")
                                        : json_null());
    if (!o) {
        json_decref(contested);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    json_object_set_new(o, "fatalities_low",
                        in->low >= 0 ? json_integer(in->low) : json_null());
    json_object_set_new(o, "fatalities_high",
                        in->high >= 0 ? json_integer(in->high) : json_null());
    json_object_set(o, "assessments",
                    json_object_get(rep, "assessments")
                        ? json_object_get(rep, "assessments")
                        : json_null());
    json_object_set_new(o, "corroboration",
                        json_string(corroboration_of(in, contested)));
    json_object_set_new(o, "contested", contested);
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                             JSON_REAL_PRECISION(10));
    json_decref(o);
    if (!text || truce_buf_adds(out, text))
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    free(text);
    return rc;
}

truce_status
truce_incident_sources_words(struct truce_ctx *ctx,
                             const struct truce_incident *in,
                             struct truce_buf *out)
{
    const char *name;
    json_t *count;
    bool ok = true, first = true;
    truce__clear(ctx);
    ok &= !truce_buf_addf(out, "%zu source%s: ", truce_incident_sources(in),
                          truce_incident_sources(in) == 1 ? "" : "s");
    json_object_foreach(in->by_source, name, count) {
        ok &= !truce_buf_addf(out, "%s%s", first ? "" : ", ", name);
        if (json_integer_value(count) > 1)
            ok &= !truce_buf_addf(out, " \xc3\x97%lld",
                                  (long long)json_integer_value(count));
        first = false;
    }
    return ok ? TRUCE_OK : truce__err(ctx, TRUCE_ENOMEM, "out of memory");
}

/* ------------------------------------------ an incident's reports, why */

struct members {
    struct truce_ctx *ctx;
    struct truce_incident *in;
    struct truce_event *ev; /* what the rule reads, copied */
    size_t n, cap;
    size_t rep;             /* index of the representative */
};

static truce_status
keep_member(void *ud, struct truce_stored *r)
{
    struct members *m = ud;
    struct truce_event *e;
    bool other;
    truce_status rc;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 8;
        struct truce_event *ev = truce__realloc(m->ev, cap * sizeof(*ev));
        if (!ev)
            return truce__err(m->ctx, TRUCE_ENOMEM, "out of memory");
        m->ev = ev;
        m->cap = cap;
    }
    if ((rc = truce_incident_add(m->ctx, m->in, r, &other)))
        return rc;
    e = &m->ev[m->n];
    truce_event_init(e);
    if (!truce__event_copy_for_link(e, &r->ev))
        return truce__err(m->ctx, TRUCE_ENOMEM, "out of memory");
    if (r->key == r->incident)
        m->rep = m->n;
    m->n++;
    return TRUCE_OK;
}

/* The reports with why each joined the representative. */
static json_t *
reports_why(struct members *m, const struct truce_actors *actors,
            struct truce_buf *b)
{
    json_t *reports = json_array();
    for (size_t i = 0; reports && i < m->n; i++) {
        json_t *r = json_pack("{s:s,s:s,s:b}", "id",
                              m->ev[i].id ? m->ev[i].id : "", "source",
                              m->ev[i].source ? m->ev[i].source : "",
                              "representative", i == m->rep);
        if (!r || json_array_append_new(reports, r)) {
            json_decref(reports);
            return NULL;
        }
        if (i == m->rep)
            continue;
        truce_buf_reset(b);
        if ((!truce_link_pair(&m->ev[m->rep], &m->ev[i], actors, NULL) &&
             truce_buf_adds(b, "an analyst's merge; by the rule: ")) ||
            truce_link_describe(m->ctx, &m->ev[m->rep], &m->ev[i], actors,
                                b) ||
            json_object_set_new(r, "why", json_string(b->buf))) {
            json_decref(reports);
            return NULL;
        }
    }
    return reports;
}

truce_status
truce_store_incident_json(struct truce_store *st,
                          const struct truce_actors *actors, int64_t key,
                          struct truce_buf *out)
{
    struct truce_ctx *ctx = st->ctx;
    struct members m = {.ctx = ctx, .rep = SIZE_MAX};
    struct truce_query q = {0};
    struct truce_buf b;
    json_t *whole = NULL, *reports = NULL, *o = NULL;
    json_error_t err;
    char *text = NULL;
    truce_status rc;
    truce__clear(ctx);
    if ((rc = truce_incident_new(ctx, &m.in)))
        return rc;
    truce_buf_init(&b, 0);
    q.incident = key;
    if ((rc = truce_store_query(st, &q, keep_member, &m)))
        goto out;
    if (m.rep == SIZE_MAX) {
        rc = truce__err(ctx, TRUCE_ENOTFOUND, "no incident of key %lld",
                        (long long)key);
        goto out;
    }
    if ((rc = truce_incident_to_json(ctx, m.in, &b)))
        goto out;
    if (!(whole = json_loadb(b.buf, b.len, 0, &err)) ||
        !(reports = reports_why(&m, actors, &b)) ||
        !(o = json_pack("{s:O,s:O,s:O,s:O,s:O,s:o}", "id",
                        json_object_get(whole, "id"), "representative",
                        json_object_get(whole, "representative"),
                        "corroboration",
                        json_object_get(whole, "corroboration"), "contested",
                        json_object_get(whole, "contested"),
                        "reports_by_source",
                        json_object_get(whole, "reports_by_source"),
                        "reports", reports)) ||
        !(text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) ||
        truce_buf_adds(out, text))
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
out:
    json_decref(whole);
    json_decref(o);
    free(text);
    truce_buf_release(&b);
    for (size_t i = 0; i < m.n; i++)
        truce_event_release(&m.ev[i]);
    truce__free(m.ev);
    truce_incident_free(m.in);
    return rc;
}
