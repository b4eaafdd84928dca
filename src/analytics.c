/*
 * analytics.c - is the ceasefire working? The trend of an agreement
 * (potential violations before and after its start, with a control
 * region) and the coverage of a country by the agreements in force on a
 * date (DESIGN section 10).
 */
#include "truce_int.h"

#include <math.h>
#include <stdio.h>

#include <jansson.h>

#define DAY 86400LL

struct truce_region {
    char *name;
    void *geom;                 /* dissolved polygons */
    struct truce_zoneset *zs;   /* prepared */
    double area_km2;
};

truce_status
truce_region_parse(struct truce_ctx *ctx, const char *text, size_t n,
                   const char *name, struct truce_region **out)
{
    json_error_t jerr;
    json_t *root;
    struct truce_region *r;
    truce_status st;
    truce__clear(ctx);
    root = json_loadb(text, n, 0, &jerr);
    if (!root)
        return truce__err(ctx, TRUCE_EPARSE, "%s:%d: %s", name, jerr.line,
                          jerr.text);
    r = truce__calloc(1, sizeof(*r));
    if (!r || !(r->name = truce__strdup(name))) {
        truce__free(r);
        json_decref(root);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    st = truce__geo_from_any(ctx, root, NULL, name, false, &r->geom);
    json_decref(root);
    if (!st)
        st = truce__zoneset_of(ctx, r->geom, &r->zs);
    if (st) {
        truce_region_free(ctx, r);
        return st;
    }
    r->area_km2 = truce__geo_area_km2(ctx, r->geom);
    *out = r;
    return TRUCE_OK;
}

void
truce_region_free(struct truce_ctx *ctx, struct truce_region *r)
{
    if (!r)
        return;
    truce__zoneset_free(ctx, r->zs);
    truce__geo_free(ctx, r->geom);
    truce__free(r->name);
    truce__free(r);
}

const char *
truce_region_name(const struct truce_region *r)
{
    return r->name;
}

double
truce_region_area_km2(const struct truce_region *r)
{
    return r->area_km2;
}

/* ------------------------------------------------------------ helpers */


static const char *const class_names[] = {
#define X(e, n, w) #n,
    TRUCE_COVERAGE_CLASSES(X)
#undef X
};
static const char *const class_words[] = {
#define X(e, n, w) w,
    TRUCE_COVERAGE_CLASSES(X)
#undef X
};

const char *
truce_coverage_class_name(enum truce_coverage_class c)
{
    return (unsigned)c < TRUCE_COV_COUNT ? class_names[c] : "";
}

const char *
truce_coverage_class_words(enum truce_coverage_class c)
{
    return (unsigned)c < TRUCE_COV_COUNT ? class_words[c] : "";
}

static int64_t
local_day(const struct truce_tz *tz, int64_t utc)
{
    int64_t lt = utc + truce_tz_offset(tz, utc);
    return lt / DAY - (lt < 0 && lt % DAY != 0);
}

static bool
in_force_at(const struct truce__agreement *a, int64_t t)
{
    for (size_t i = 0; i < a->n_intervals; i++) {
        if (a->intervals[i].from <= t && t < a->intervals[i].until)
            return true;
    }
    return false;
}

/* An event counts in a trend when it lasts at most one day. */
static bool
one_day_at_most(const struct truce_event *ev, int64_t t0, int64_t t1)
{
    if (ev->date_only)
        return ev->t1 - ev->t0 <= DAY;
    return t1 - t0 <= DAY;
}

static void
window_rate(struct truce_window *w)
{
    w->rate_per_day = w->days > 0 ? (double)w->count / w->days : NAN;
}

/* ------------------------------------------------------------- trend */

struct trend_run {
    struct truce_ctx *ctx;
    const struct truce_agreements *set;
    const struct truce_actors *actors;
    const struct truce__agreement *a;
    size_t index;
    const struct truce_zoneset *zone;  /* the region counted */
    const struct truce_zoneset *ctrl;  /* control region or NULL */
    struct truce_trend *t;
    int64_t first_day;
    truce_status st;
};

/* Would ev be a violation of A if A were in force then (and, for the
 * control region, there)? */
static bool
potential(struct trend_run *r, const struct truce_event *ev, unsigned extra)
{
    struct truce_assessment as;
    bool v;
    truce_assessment_init(&as);
    r->st = truce_assess_one(r->ctx, r->set, r->actors, ev, r->index,
                             TRUCE_ASSESS_NO_EXPLAIN |
                                 TRUCE_ASSESS_IGNORE_TIME | extra,
                             &as);
    v = as.verdict == TRUCE_V_VIOLATION;
    truce_assessment_release(&as);
    return v;
}

static void
count_in(struct truce_window *w, const struct truce_event *ev, bool pv)
{
    if (truce_category_violent(ev->category)) {
        w->all_violent++;
        if (ev->fatalities > 0)
            w->fatalities += (long)ev->fatalities;
    }
    if (pv)
        w->count++;
}

static truce_status
trend_event(void *ud, struct truce_stored *rec)
{
    struct trend_run *r = ud;
    const struct truce_event *ev = &rec->ev;
    struct truce_trend *t = r->t;
    int64_t t0, t1;
    bool before, after;
    truce__event_utc(ev, r->a->tz, &t0, &t1);
    if (!one_day_at_most(ev, t0, t1))
        return TRUCE_OK;
    before = t0 >= t->before.from &&
             (t0 == t1 ? t0 < t->before.to : t1 <= t->before.to);
    after = t0 >= t->after.from &&
            (t0 == t1 ? t0 < t->after.to : t1 <= t->after.to);
    if (!before && !after)
        return TRUCE_OK;
    if (truce__zoneset_place(r->ctx, r->zone, ev->lon, ev->lat,
                             ev->radius_km) == TRUCE_PLACE_WITHIN) {
        bool pv = potential(r, ev, 0);
        int64_t d = local_day(r->a->tz, t0) - r->first_day;
        count_in(before ? &t->before : &t->after, ev, pv);
        if (d >= 0 && (size_t)d < t->n_daily) {
            struct truce_trend_day *day = &t->daily[d];
            day->potential_violations += pv;
            if (truce_category_violent(ev->category)) {
                day->all_violent++;
                if (ev->fatalities > 0)
                    day->fatalities += (long)ev->fatalities;
            }
        }
    } else if (r->ctrl &&
               truce__zoneset_place(r->ctx, r->ctrl, ev->lon, ev->lat,
                                    ev->radius_km) == TRUCE_PLACE_WITHIN) {
        bool pv = potential(r, ev, TRUCE_ASSESS_IGNORE_PLACE);
        count_in(before ? &t->control_before : &t->control_after, ev, pv);
    }
    return r->st;
}

/* Shortens the windows equally when the data do not reach that far (a
 * store that cannot say how far they reach leaves them whole: the query
 * of the events says what is wrong with it). */
static double
fit_window(struct truce_ctx *ctx, struct truce_store *st,
           const struct truce__agreement *a, double asked, char *note,
           size_t note_len)
{
    int64_t lo, hi, s = a->intervals[0].from, w = (int64_t)(asked * DAY);
    int64_t s_local = s + truce_tz_offset(a->tz, s), room;
    char d0[16], d1[16];
    if (truce_store_extent(st, &lo, &hi)) {
        truce__clear(ctx);
        return asked;
    }
    if (lo == 0 && hi == 0)
        return asked;
    /* The extent is in stored (mostly local) seconds: compare locally. */
    room = w;
    if (s_local - lo < room)
        room = s_local - lo;
    if (hi - s_local < room)
        room = hi - s_local;
    room = room / DAY * DAY;
    if (room >= w)
        return asked;
    truce_format_day(lo / DAY, d0);
    truce_format_day(hi / DAY - (hi % DAY == 0), d1);
    if (room <= 0) {
        snprintf(note, note_len, "the events run from %s to %s and do not "
                 "reach both sides of the agreement's start", d0, d1);
        return 0;
    }
    snprintf(note, note_len, "the events run from %s to %s: both windows "
             "were shortened from %g to %lld days", d0, d1, asked,
             (long long)(room / DAY));
    return (double)(room / DAY);
}

truce_status
truce_trend_compute(struct truce_ctx *ctx, struct truce_store *st,
                    const struct truce_agreements *set,
                    const struct truce_actors *actors, const char *id,
                    const char *zone, double window_days,
                    const struct truce_region *country,
                    struct truce_trend *out)
{
    struct trend_run r = {0};
    struct truce_zoneset *zone_zs = NULL, *ctrl_zs = NULL;
    struct truce_query q = {0};
    long k = truce_agreements_find(set, id);
    int64_t s, w;
    truce_status rc = TRUCE_OK;
    truce__clear(ctx);
    memset(out, 0, sizeof(*out));
    if (k < 0)
        return truce__err(ctx, TRUCE_ENOTFOUND, "no agreement '%s'", id);
    if (!(window_days > 0) || window_days > 3660)
        return truce__err(ctx, TRUCE_EINVAL, "the window must be 1 to 3660 "
                          "days");
    r.a = truce__agreements_at(set, (size_t)k);
    r.ctx = ctx;
    r.set = set;
    r.actors = actors;
    r.index = (size_t)k;
    r.t = out;
    r.zone = r.a->zoneset;
    if (zone) {
        long z = -1;
        for (size_t i = 0; i < r.a->n_zones; i++) {
            if (strcmp(r.a->zones[i].name, zone) == 0)
                z = (long)i;
        }
        if (z < 0)
            return truce__err(ctx, TRUCE_ENOTFOUND, "agreement '%s' has no "
                              "zone '%s'", id, zone);
        rc = truce__zoneset_of(ctx, truce__zoneset_zone(r.a->zoneset,
                                                        (size_t)z),
                               &zone_zs);
        if (rc)
            return rc;
        r.zone = zone_zs;
    }
    out->agreement = truce__strdup(id);
    out->zone = zone ? truce__strdup(zone) : NULL;
    if (!out->agreement || (zone && !out->zone)) {
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        goto out_free;
    }
    out->window_asked = window_days;
    out->window_days = fit_window(ctx, st, r.a, window_days, out->note,
                                  sizeof(out->note));
    s = r.a->intervals[0].from;
    w = (int64_t)(out->window_days * DAY);
    out->start = s;
    out->start_local = s + truce_tz_offset(r.a->tz, s);
    out->timezone = r.a->timezone;
    out->before.from = out->control_before.from = s - w;
    out->before.to = out->control_before.to = s;
    out->after.from = out->control_after.from = s;
    out->after.to = out->control_after.to = s + w;
    out->before.days = out->after.days = out->window_days;
    out->control_before.days = out->control_after.days = out->window_days;
    if (w > 0) {
        r.first_day = local_day(r.a->tz, s - w);
        out->n_daily =
            (size_t)(local_day(r.a->tz, s + w - 1) - r.first_day + 1);
        out->daily = truce__calloc(out->n_daily, sizeof(*out->daily));
        if (!out->daily) {
            rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
            goto out_free;
        }
        for (size_t d = 0; d < out->n_daily; d++)
            out->daily[d].day = r.first_day + (int64_t)d;
        out->start_index = (size_t)(local_day(r.a->tz, s) - r.first_day);
    }
    if (country) {
        void *diff = truce__geo_difference(ctx, country->geom,
                                           truce__zoneset_geom(r.a->zoneset));
        if (!diff) {
            rc = TRUCE_EGEOM;
            goto out_free;
        }
        /* Slivers between two drawings of one border are no region. */
        if (!truce__geo_is_empty(ctx, diff) &&
            truce__geo_area_km2(ctx, diff) > 0.01 * country->area_km2) {
            rc = truce__zoneset_of(ctx, diff, &ctrl_zs);
            if (rc) {
                truce__geo_free(ctx, diff);
                goto out_free;
            }
            r.ctrl = ctrl_zs;
            out->has_control = true;
        }
        truce__geo_free(ctx, diff);
    }
    if ((rc = truce_store_counting(st, &out->counted)))
        goto out_free;
    q.representatives_only = out->counted == TRUCE_COUNT_INCIDENTS;
    if (w > 0) {
        /* Stored times are local for dated events: widen by a day. */
        q.has_from = q.has_to = true;
        q.from = s - w - 2 * DAY;
        q.to = s + w + 2 * DAY;
        rc = truce_store_query(st, &q, trend_event, &r);
        if (rc)
            goto out_free;
    }
    window_rate(&out->before);
    window_rate(&out->after);
    window_rate(&out->control_before);
    window_rate(&out->control_after);
    truce_rate_ratio(out->before.count, out->before.days, out->after.count,
                     out->after.days, 0.95, &out->rate_ratio);
    if (out->has_control) {
        truce_rate_ratio(out->control_before.count, out->control_before.days,
                         out->control_after.count, out->control_after.days,
                         0.95, &out->control_ratio);
        truce_ratio_of_ratios(out->before.count, out->after.count,
                              out->control_before.count,
                              out->control_after.count, 0.95,
                              &out->ratio_of_ratios);
    }
out_free:
    truce__zoneset_free(ctx, zone_zs);
    truce__zoneset_free(ctx, ctrl_zs);
    if (rc)
        truce_trend_release(out);
    return rc;
}

void
truce_trend_release(struct truce_trend *t)
{
    truce__free(t->agreement);
    truce__free(t->zone);
    truce__free(t->daily);
    memset(t, 0, sizeof(*t));
}

/* ----------------------------------------------------------- JSON */

static json_t *
num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
ratio_json(const struct truce_ratio *r)
{
    return json_pack("{s:o,s:o,s:o}", "estimate", num_or_null(r->estimate),
                     "ci_low", num_or_null(r->ci_low), "ci_high",
                     num_or_null(r->ci_high));
}

static json_t *
utc_json(int64_t t)
{
    char s[32];
    truce_format_utc(t, s);
    return json_string(s);
}

static json_t *
window_json(const struct truce_window *w)
{
    return json_pack("{s:o,s:o,s:f,s:I,s:o,s:I,s:I}", "from",
                     utc_json(w->from), "to", utc_json(w->to), "days",
                     w->days, "count", (json_int_t)w->count, "rate_per_day",
                     num_or_null(w->rate_per_day), "all_violent",
                     (json_int_t)w->all_violent, "fatalities",
                     (json_int_t)w->fatalities);
}

static truce_status
dump_into(json_t *o, struct truce_buf *out)
{
    return truce__json_append(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                     JSON_REAL_PRECISION(8),
                              out);
}

truce_status
truce_trend_to_json(const struct truce_trend *t, struct truce_buf *out)
{
    json_t *o = json_object(), *daily = json_array();
    for (size_t i = 0; i < t->n_daily; i++) {
        char d[16];
        truce_format_day(t->daily[i].day, d);
        json_array_append_new(
            daily, json_pack("{s:s,s:I,s:I,s:I}", "date", d,
                             "potential_violations",
                             (json_int_t)t->daily[i].potential_violations,
                             "all_violent",
                             (json_int_t)t->daily[i].all_violent,
                             "fatalities",
                             (json_int_t)t->daily[i].fatalities));
    }
    json_object_set_new(o, "agreement", json_string(t->agreement));
    json_object_set_new(o, "zone", t->zone ? json_string(t->zone)
                                           : json_null());
    json_object_set_new(o, "window_days", json_real(t->window_days));
    json_object_set_new(o, "counted", json_string(truce_count_name(t->counted)));
    json_object_set_new(o, "start", utc_json(t->start));
    {
        char lt[32];
        truce_format_utc(t->start_local, lt);
        lt[19] = '\0';
        json_object_set_new(o, "start_local", json_string(lt));
        json_object_set_new(o, "timezone", json_string(t->timezone));
    }
    json_object_set_new(o, "before", window_json(&t->before));
    json_object_set_new(o, "after", window_json(&t->after));
    json_object_set_new(o, "rate_ratio", ratio_json(&t->rate_ratio));
    json_object_set_new(
        o, "control",
        t->has_control
            ? json_pack("{s:o,s:o,s:o}", "before",
                        window_json(&t->control_before), "after",
                        window_json(&t->control_after), "rate_ratio",
                        ratio_json(&t->control_ratio))
            : json_null());
    json_object_set_new(o, "ratio_of_ratios",
                        t->has_control && isfinite(t->ratio_of_ratios.estimate)
                            ? ratio_json(&t->ratio_of_ratios)
                            : json_null());
    json_object_set_new(o, "daily", daily);
    json_object_set_new(o, "window_days_requested",
                        json_real(t->window_asked));
    json_object_set_new(o, "note", t->note[0] ? json_string(t->note)
                                              : json_null());
    return dump_into(o, out);
}

/* ---------------------------------------------------------- coverage */

struct cover_run {
    struct truce_ctx *ctx;
    const struct truce_region *country;
    struct truce_zoneset *covered; /* NULL when nothing is covered */
    int64_t from, to;              /* stored-time bounds of the 30 days */
    struct truce_coverage *c;
};

static truce_status
cover_event(void *ud, struct truce_stored *rec)
{
    struct cover_run *r = ud;
    const struct truce_event *ev = &rec->ev;
    if (!truce_category_violent(ev->category) || ev->t0 < r->from ||
        (ev->t1 > ev->t0 ? ev->t1 : ev->t0 + 1) > r->to)
        return TRUCE_OK;
    if (!truce__zoneset_covers(r->ctx, r->country->zs, ev->lon, ev->lat))
        return TRUCE_OK;
    r->c->events_total++;
    if (r->covered && truce__zoneset_covers(r->ctx, r->covered, ev->lon,
                                            ev->lat))
        r->c->events_inside++;
    return TRUCE_OK;
}

truce_status
truce_coverage_compute(struct truce_ctx *ctx, struct truce_store *st,
                       const struct truce_agreements *set,
                       const struct truce_region *country, int64_t day,
                       struct truce_coverage *out)
{
    size_t n = truce_agreements_count(set);
    void **clips = truce__calloc(n ? n : 1, sizeof(*clips));
    struct cover_run r = {ctx, country, NULL, 0, 0, out};
    struct truce_query q = {0};
    bool nationwide = false;
    truce_status rc = TRUCE_OK;
    truce__clear(ctx);
    memset(out, 0, sizeof(*out));
    out->items = truce__calloc(n ? n : 1, sizeof(*out->items));
    out->country = truce__strdup(country->name);
    if (!clips || !out->items || !out->country) {
        truce__free(clips);
        truce_coverage_release(out);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    out->day = day;
    out->country_area_km2 = country->area_km2;
    for (size_t i = 0; i < n; i++) {
        const struct truce__agreement *a = truce__agreements_at(set, i);
        int64_t noon = truce_tz_to_utc(a->tz, day * DAY + 12 * 3600);
        struct truce_coverage_item *it;
        void *clip;
        if (!in_force_at(a, noon))
            continue;
        clip = truce__geo_intersection(ctx, truce__zoneset_geom(a->zoneset),
                                       country->geom);
        if (!clip) {
            rc = TRUCE_EGEOM;
            goto out_free;
        }
        it = &out->items[out->n_items];
        clips[out->n_items++] = clip;
        it->id = a->id;
        it->area_km2 = truce__geo_area_km2(ctx, clip);
        it->share = country->area_km2 > 0 ? it->area_km2 / country->area_km2
                                          : 0;
        nationwide |= it->share >= 0.95;
    }
    if (out->n_items) {
        void *u = truce__geo_union(ctx, clips, out->n_items);
        if (!u) {
            rc = TRUCE_EGEOM;
            goto out_free;
        }
        out->covered_area_km2 = truce__geo_area_km2(ctx, u);
        rc = truce__zoneset_of(ctx, u, &r.covered);
        truce__geo_free(ctx, u);
        if (rc)
            goto out_free;
    }
    out->share = country->area_km2 > 0
                     ? out->covered_area_km2 / country->area_km2
                     : 0;
    out->classification = truce_coverage_class_name(
        out->n_items == 0   ? TRUCE_COV_NONE
        : nationwide        ? TRUCE_COV_NATIONWIDE
        : out->n_items == 1 ? TRUCE_COV_PARTIAL
                            : TRUCE_COV_PATCHWORK);
    /* The previous 30 days' violent events (or incidents), by their
     * stored (local) days. */
    if ((rc = truce_store_counting(st, &out->counted)))
        goto out_free;
    q.representatives_only = out->counted == TRUCE_COUNT_INCIDENTS;
    r.from = (day - 30) * DAY;
    r.to = day * DAY;
    q.has_from = q.has_to = true;
    q.from = r.from;
    q.to = r.to;
    rc = truce_store_query(st, &q, cover_event, &r);
    out->event_share = out->events_total
                           ? (double)out->events_inside /
                                 (double)out->events_total
                           : NAN;
out_free:
    for (size_t i = 0; i < out->n_items; i++)
        truce__geo_free(ctx, clips[i]);
    truce__free(clips);
    truce__zoneset_free(ctx, r.covered);
    if (rc)
        truce_coverage_release(out);
    return rc;
}

void
truce_coverage_release(struct truce_coverage *c)
{
    truce__free(c->items);
    truce__free(c->country);
    memset(c, 0, sizeof(*c));
}

truce_status
truce_coverage_to_json(const struct truce_coverage *c, struct truce_buf *out)
{
    json_t *o = json_object(), *items = json_array();
    char d[16];
    for (size_t i = 0; i < c->n_items; i++)
        json_array_append_new(items,
                              json_pack("{s:s,s:f,s:f}", "id", c->items[i].id,
                                        "area_km2", c->items[i].area_km2,
                                        "share", c->items[i].share));
    truce_format_day(c->day, d);
    json_object_set_new(o, "date", json_string(d));
    json_object_set_new(o, "country", json_string(c->country));
    json_object_set_new(o, "country_area_km2",
                        json_real(c->country_area_km2));
    json_object_set_new(o, "agreements", items);
    json_object_set_new(o, "covered_area_km2",
                        json_real(c->covered_area_km2));
    json_object_set_new(o, "share", json_real(c->share));
    json_object_set_new(o, "event_share", num_or_null(c->event_share));
    json_object_set_new(o, "counted", json_string(truce_count_name(c->counted)));
    json_object_set_new(o, "classification",
                        json_string(c->classification));
    json_object_set_new(o, "events_total", json_integer(c->events_total));
    json_object_set_new(o, "events_inside", json_integer(c->events_inside));
    return dump_into(o, out);
}
