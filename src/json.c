/*
 * json.c - events as truce JSON (DESIGN section 6): written for output
 * (with verdicts and assessments) and read as the native JSON Lines input.
 */
#include "truce_int.h"

#include <math.h>
#include <stdio.h>

#include <jansson.h>

/* ------------------------------------------------------------ writing */

static void
set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static void
set_count(json_t *o, const char *k, int64_t v)
{
    json_object_set_new(o, k, v >= 0 ? json_integer(v) : json_null());
}

static void
set_time(json_t *o, const struct truce_event *ev)
{
    char s[40];
    if (ev->date_only) {
        truce_format_day(ev->t0 / 86400, s);
        json_object_set_new(o, "date_start", json_string(s));
        truce_format_day(ev->t1 / 86400 - 1, s);
        json_object_set_new(o, "date_end", json_string(s));
        return;
    }
    if (ev->time_kind == TRUCE_TIME_UTC) {
        truce_format_utc(ev->t0, s);
        json_object_set_new(o, "time", json_string(s));
        if (ev->t1 != ev->t0) {
            truce_format_utc(ev->t1, s);
            json_object_set_new(o, "time_end", json_string(s));
        }
        return;
    }
    /* A local instant: written without an offset. */
    truce_format_utc(ev->t0, s);
    s[19] = '\0';
    json_object_set_new(o, "time", json_string(s));
}

static json_t *
strings_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *
assessment_json(const struct truce_assessment *as)
{
    json_t *o = json_object();
    set_str(o, "agreement", as->agreement_id);
    set_str(o, "verdict", truce_verdict_name(as->verdict));
    set_str(o, "reason", truce_reason_name(as->reason));
    set_str(o, "side", as->side);
    json_object_set_new(o, "sides", strings_array(as->sides, as->n_sides));
    json_object_set_new(o, "guarantors",
                        strings_array(as->guarantors, as->n_guarantors));
    set_str(o, "explanation", as->explanation.buf);
    return o;
}

/* A string member ,"key":value (value NULL: null), written by hand: the
 * stream's hot path. */
static bool
add_member(struct truce_buf *b, const char *key, const char *value,
           bool first)
{
    return !truce_buf_addf(b, "%s\"%s\":", first ? "" : ",", key) &&
           !truce_buf_add_json(b, value);
}

static bool
add_times(struct truce_buf *b, const struct truce_event *ev)
{
    char s[40];
    if (ev->date_only) {
        truce_format_day(ev->t0 / 86400, s);
        if (!add_member(b, "date_start", s, false))
            return false;
        truce_format_day(ev->t1 / 86400 - 1, s);
        return add_member(b, "date_end", s, false);
    }
    truce_format_utc(ev->t0, s);
    if (ev->time_kind != TRUCE_TIME_UTC)
        s[19] = '\0'; /* a local instant: written without an offset */
    if (!add_member(b, "time", s, false))
        return false;
    if (ev->time_kind == TRUCE_TIME_UTC && ev->t1 != ev->t0) {
        truce_format_utc(ev->t1, s);
        return add_member(b, "time_end", s, false);
    }
    return true;
}

truce_status
truce_assessed_to_json(const struct truce_event *ev,
                       const struct truce_assessment *as, size_t n,
                       enum truce_verdict overall, bool explained,
                       struct truce_buf *out)
{
    bool ok = !truce_buf_add(out, "{", 1) && add_member(out, "id", ev->id, true) &&
              add_times(out, ev) &&
              add_member(out, "verdict", truce_verdict_name(overall), false) &&
              !truce_buf_adds(out, ",\"assessments\":[");
    for (size_t i = 0; ok && i < n; i++) {
        ok = !truce_buf_adds(out, i ? ",{" : "{") &&
             add_member(out, "agreement", as[i].agreement_id, true) &&
             add_member(out, "verdict", truce_verdict_name(as[i].verdict),
                        false) &&
             add_member(out, "reason", truce_reason_name(as[i].reason),
                        false) &&
             add_member(out, "side", as[i].side, false) &&
             !truce_buf_adds(out, ",\"guarantors\":[");
        for (size_t g = 0; ok && g < as[i].n_guarantors; g++)
            ok = (!g || !truce_buf_add(out, ",", 1)) &&
                 !truce_buf_add_json(out, as[i].guarantors[g]);
        ok = ok && !truce_buf_add(out, "]", 1) &&
             (!explained || add_member(out, "explanation",
                                       as[i].explanation.buf, false)) &&
             !truce_buf_add(out, "}", 1);
    }
    ok = ok && !truce_buf_adds(out, "]}");
    return ok ? TRUCE_OK : TRUCE_ENOMEM;
}

truce_status
truce_event_to_json(const struct truce_event *ev,
                    const struct truce_assessment *as, size_t n,
                    enum truce_verdict overall, bool with_verdict,
                    const char *review_json, struct truce_buf *out)
{
    json_t *o = json_object();
    if (!o)
        return TRUCE_ENOMEM;
    set_str(o, "id", ev->id);
    set_str(o, "source", ev->source);
    set_str(o, "source_id", ev->source_id);
    set_time(o, ev);
    json_object_set_new(o, "lat", json_real(ev->lat));
    json_object_set_new(o, "lon", json_real(ev->lon));
    json_object_set_new(o, "radius_km", ev->radius_km < 0
                                            ? json_null()
                                            : json_real(ev->radius_km));
    set_str(o, "category", truce_category_name(ev->category));
    set_str(o, "subcategory", ev->subcategory);
    json_object_set_new(o, "directed", json_boolean(ev->directed));
    set_str(o, "actor1", ev->actor1);
    set_str(o, "actor2", ev->actor2);
    set_count(o, "fatalities", ev->fatalities);
    set_count(o, "fatalities_low", ev->fatalities_low);
    set_count(o, "fatalities_high", ev->fatalities_high);
    set_count(o, "civilian_fatalities", ev->civilian_fatalities);
    json_object_set_new(o, "civilian_targeting",
                        json_boolean(ev->civilian_targeting));
    json_object_set_new(o, "protected_site", json_boolean(ev->protected_site));
    set_str(o, "location", ev->location);
    set_str(o, "admin1", ev->admin1);
    set_str(o, "notes", ev->notes);
    if (ev->inter1)
        set_str(o, "inter1", ev->inter1);
    if (ev->inter2)
        set_str(o, "inter2", ev->inter2);
    if (ev->area)
        set_str(o, "area", ev->area);
    if (with_verdict) {
        json_t *arr = json_array();
        set_str(o, "verdict", truce_verdict_name(overall));
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, assessment_json(&as[i]));
        json_object_set_new(o, "assessments", arr);
    }
    if (review_json) {
        json_t *r = json_loads(review_json, 0, NULL);
        if (r)
            json_object_set_new(o, "review", r);
    }
    return truce__json_append(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                     JSON_REAL_PRECISION(10),
                              out);
}

truce_status
truce__json_append(void *o, size_t flags, struct truce_buf *out)
{
    char *text = json_dumps(o, flags);
    truce_status st;
    json_decref(o);
    if (!text)
        return TRUCE_ENOMEM;
    st = truce_buf_adds(out, text);
    free(text);
    return st;
}

/* ------------------------------------------------------------ reading */

static truce_status
bad(struct truce_ctx *ctx, const char *field, const char *why)
{
    return truce__err(ctx, TRUCE_EPARSE, "field '%s': %s", field, why);
}

static truce_status
take_str(struct truce_ctx *ctx, json_t *o, const char *k, char **dst)
{
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return TRUCE_OK;
    if (!json_is_string(v))
        return bad(ctx, k, "not a string");
    return truce__set_str(dst, json_string_value(v), json_string_length(v));
}

static truce_status
take_count(struct truce_ctx *ctx, json_t *o, const char *k, int64_t *dst)
{
    json_t *v = json_object_get(o, k);
    double d;
    if (!v || json_is_null(v))
        return TRUCE_OK;
    if (!json_is_number(v))
        return bad(ctx, k, "not a number");
    d = json_number_value(v);
    if (d < 0 || d != floor(d) || d > 1e12)
        return bad(ctx, k, "not a whole number of 0 or more");
    *dst = (int64_t)d;
    return TRUCE_OK;
}

static truce_status
take_bool(struct truce_ctx *ctx, json_t *o, const char *k, bool *dst)
{
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return TRUCE_OK;
    if (!json_is_boolean(v))
        return bad(ctx, k, "not true or false");
    *dst = json_is_true(v);
    return TRUCE_OK;
}

static truce_status
take_coord(struct truce_ctx *ctx, json_t *o, const char *k, double lim,
           double *dst)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        return bad(ctx, k, v ? "not a number" : "missing");
    *dst = json_number_value(v);
    if (!(fabs(*dst) <= lim))
        return bad(ctx, k, lim == 90 ? "latitude outside -90..90"
                                     : "longitude outside -180..180");
    return TRUCE_OK;
}

static truce_status
take_day(struct truce_ctx *ctx, json_t *o, const char *k, int64_t *days)
{
    json_t *v = json_object_get(o, k);
    struct truce_when w;
    if (!json_is_string(v) ||
        truce_parse_when(json_string_value(v), json_string_length(v), &w) ||
        w.has_time)
        return bad(ctx, k, "not a date (YYYY-MM-DD)");
    *days = w.secs / 86400;
    return TRUCE_OK;
}

static truce_status
take_time(struct truce_ctx *ctx, json_t *o, struct truce_event *ev)
{
    json_t *t = json_object_get(o, "time");
    struct truce_when w;
    int64_t d0, d1;
    truce_status st;
    if (t && !json_is_null(t)) {
        if (!json_is_string(t) ||
            truce_parse_when(json_string_value(t), json_string_length(t),
                             &w))
            return bad(ctx, "time", "not a date-time "
                       "(YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])");
        if (!w.has_time) {
            ev->time_kind = TRUCE_TIME_LOCAL;
            ev->date_only = true;
            ev->t0 = w.secs;
            ev->t1 = w.secs + 86400;
            return TRUCE_OK;
        }
        ev->time_kind = w.has_offset ? TRUCE_TIME_UTC : TRUCE_TIME_LOCAL;
        ev->t0 = ev->t1 = w.secs;
        return TRUCE_OK;
    }
    if (!json_object_get(o, "date_start"))
        return bad(ctx, "time", "missing: give 'time' or 'date_start'");
    if ((st = take_day(ctx, o, "date_start", &d0)))
        return st;
    d1 = d0;
    if (json_object_get(o, "date_end") &&
        !json_is_null(json_object_get(o, "date_end")) &&
        (st = take_day(ctx, o, "date_end", &d1)))
        return st;
    if (d1 < d0)
        return bad(ctx, "date_end", "before date_start");
    ev->time_kind = TRUCE_TIME_LOCAL;
    ev->date_only = true;
    ev->t0 = d0 * 86400;
    ev->t1 = (d1 + 1) * 86400;
    return TRUCE_OK;
}

static truce_status
take_ids(struct truce_ctx *ctx, json_t *o, struct truce_event *ev)
{
    truce_status st;
    if ((st = take_str(ctx, o, "id", &ev->id)) ||
        (st = take_str(ctx, o, "source", &ev->source)) ||
        (st = take_str(ctx, o, "source_id", &ev->source_id)))
        return st;
    if (ev->id && (!ev->source || !ev->source_id)) {
        const char *colon = strchr(ev->id, ':');
        if (!colon || colon == ev->id || !colon[1])
            return bad(ctx, "id", "must be 'source:source_id'");
        if (!ev->source &&
            (st = truce__set_str(&ev->source, ev->id,
                                 (size_t)(colon - ev->id))))
            return st;
        if (!ev->source_id && (st = truce__set_str(&ev->source_id, colon + 1,
                                                   (size_t)-1)))
            return st;
    }
    if (!ev->id) {
        struct truce_buf b;
        if (!ev->source || !ev->source_id)
            return bad(ctx, "id", "missing: give 'id' or 'source' and "
                       "'source_id'");
        truce_buf_init(&b, 0);
        if (truce_buf_addf(&b, "%s:%s", ev->source, ev->source_id))
            return TRUCE_ENOMEM;
        ev->id = truce_buf_detach(&b);
    }
    return TRUCE_OK;
}

truce_status
truce_event_from_json(struct truce_ctx *ctx, const char *text, size_t n,
                      struct truce_event *ev)
{
    json_error_t jerr;
    json_t *o, *v;
    truce_status st;
    truce__clear(ctx);
    truce_event_release(ev);
    o = json_loadb(text, n, 0, &jerr);
    if (!o)
        return truce__err(ctx, TRUCE_EPARSE, "column %d: %s", jerr.column,
                          jerr.text);
    if (!json_is_object(o)) {
        json_decref(o);
        return truce__err(ctx, TRUCE_EPARSE, "not a JSON object");
    }
    if ((st = take_ids(ctx, o, ev)) || (st = take_time(ctx, o, ev)) ||
        (st = take_coord(ctx, o, "lat", 90, &ev->lat)) ||
        (st = take_coord(ctx, o, "lon", 180, &ev->lon)))
        goto out;
    v = json_object_get(o, "radius_km");
    if (json_is_number(v) && json_number_value(v) >= 0 &&
        json_number_value(v) <= TRUCE_MAX_RADIUS_KM)
        ev->radius_km = json_number_value(v);
    else if (json_is_null(v) && json_object_get(o, "radius_km"))
        ev->radius_km = -1;
    else if (v) {
        st = bad(ctx, "radius_km", "not a number from 0 to 20000 (null for "
                 "unknown)");
        goto out;
    }
    v = json_object_get(o, "category");
    ev->category = json_is_string(v)
        ? truce_category_parse(json_string_value(v), json_string_length(v))
        : TRUCE_CAT_NONE;
    if (ev->category == TRUCE_CAT_NONE) {
        char why[300];
        snprintf(why, sizeof(why), "missing or not a category (%s)",
                 TRUCE_NAME_LIST(TRUCE_CATEGORIES));
        st = bad(ctx, "category", why);
        goto out;
    }
    if ((st = take_str(ctx, o, "subcategory", &ev->subcategory)) ||
        (st = take_bool(ctx, o, "directed", &ev->directed)) ||
        (st = take_str(ctx, o, "actor1", &ev->actor1)) ||
        (st = take_str(ctx, o, "actor2", &ev->actor2)) ||
        (st = take_count(ctx, o, "fatalities", &ev->fatalities)) ||
        (st = take_count(ctx, o, "fatalities_low", &ev->fatalities_low)) ||
        (st = take_count(ctx, o, "fatalities_high", &ev->fatalities_high)) ||
        (st = take_count(ctx, o, "civilian_fatalities",
                         &ev->civilian_fatalities)) ||
        (st = take_bool(ctx, o, "civilian_targeting",
                        &ev->civilian_targeting)) ||
        (st = take_bool(ctx, o, "protected_site", &ev->protected_site)) ||
        (st = take_str(ctx, o, "location", &ev->location)) ||
        (st = take_str(ctx, o, "admin1", &ev->admin1)) ||
        (st = take_str(ctx, o, "notes", &ev->notes)) ||
        (st = take_str(ctx, o, "inter1", &ev->inter1)) ||
        (st = take_str(ctx, o, "inter2", &ev->inter2)) ||
        (st = take_str(ctx, o, "area", &ev->area)))
        goto out;
    truce_event_flag_protected(ev);
    st = truce__set_str(&ev->raw, text, n);
out:
    json_decref(o);
    if (st == TRUCE_ENOMEM)
        truce__err(ctx, st, "out of memory");
    return st;
}
