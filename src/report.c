/*
 * report.c - the daily (or N-day) monitoring report of an agreement,
 * modelled on the daily reports of monitoring missions: violations by zone,
 * category, side and guarantor against the previous period, notable
 * incidents with their explanations, undetermined events for an analyst,
 * a guarantor scorecard and the trend so far. Rendered as JSON, Markdown
 * or self-contained HTML with inline SVG charts.
 */
#include "truce_int.h"

#include <math.h>
#include <stdio.h>

#include <jansson.h>

#define DAY 86400LL
#define MAX_NOTABLE 6
#define MAX_UNDETERMINED 50

/* A count now and in the previous period, by name. */
struct tally {
    json_t *now, *prev; /* name -> count */
};

struct report {
    struct truce_ctx *ctx;
    const struct truce_agreements *set;
    const struct truce_actors *actors;
    const struct truce__agreement *a;
    size_t index;
    int64_t p0, p1;          /* the period, local days [p0, p1] */
    int64_t q0;              /* the previous period starts (ends p0 - 1) */
    long total, total_prev, undetermined_total;
    struct tally zone, category, side, guarantor;
    json_t *notable;         /* candidates: array of objects */
    json_t *undetermined;    /* array of objects */
    json_t *scorecard;       /* date -> {guarantor -> n, "mutual" -> n} */
    enum truce_count counted; /* events, or incidents (representatives) */
};

static void
bump(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    json_object_set_new(o, key, json_integer(v ? json_integer_value(v) + 1
                                               : 1));
}

static int64_t
event_day(const struct truce_event *ev, const struct truce_tz *tz)
{
    int64_t t = ev->t0;
    if (ev->time_kind == TRUCE_TIME_UTC)
        t += truce_tz_offset(tz, ev->t0);
    return t / DAY - (t < 0 && t % DAY != 0);
}

static const struct truce_assessment *
find_as(const struct truce_stored *rec, const char *id)
{
    for (size_t i = 0; i < rec->n_as; i++) {
        if (!strcmp(rec->as[i].agreement_id, id))
            return &rec->as[i];
    }
    return NULL;
}

static void
day_str(int64_t d, char out[16])
{
    truce_format_day(d, out);
}

/* Words the explanation of one stored assessment. */
static const char *
explain(struct report *r, const struct truce_stored *rec,
        struct truce_assessment *as)
{
    if (truce_explain_stored(r->ctx, r->set, r->actors, &rec->ev, as, 1))
        return "";
    return as->explanation.buf;
}

static void
count_violation(struct report *r, const struct truce_stored *rec,
                const struct truce_assessment *as, bool now, int64_t day)
{
    const struct truce_event *ev = &rec->ev;
    long z = truce__zoneset_which(r->ctx, r->a->zoneset, ev->lon, ev->lat);
    const char *zone = z >= 0 ? r->a->zones[z].name : "(near a zone edge)";
    struct truce_buf side;
    truce_buf_init(&side, 0);
    if (as->side || as->n_sides < 2) {
        truce_buf_adds(&side, as->side ? as->side
                              : as->n_sides ? as->sides[0] : "?");
    } else { /* "mutual: a, b and c" */
        truce_buf_adds(&side, "mutual: ");
        truce__buf_add_and(&side, as->sides, as->n_sides);
    }
    bump(now ? r->zone.now : r->zone.prev, zone);
    bump(now ? r->category.now : r->category.prev,
         truce_category_name(ev->category));
    bump(now ? r->side.now : r->side.prev, side.buf);
    truce_buf_release(&side);
    for (size_t g = 0; g < as->n_guarantors; g++)
        bump(now ? r->guarantor.now : r->guarantor.prev, as->guarantors[g]);
    if (!now)
        return;
    {
        char d[16];
        json_t *card;
        day_str(day, d);
        card = json_object_get(r->scorecard, d);
        if (!card) {
            card = json_object();
            json_object_set_new(r->scorecard, d, card);
        }
        if (as->side && as->n_guarantors)
            bump(card, as->guarantors[0]);
        else
            bump(card, "mutual");
    }
}

struct gather {
    struct truce_ctx *ctx;
    struct truce_incident *in;
};

static truce_status
gather_member(void *ud, struct truce_stored *rec)
{
    struct gather *g = ud;
    bool other;
    return truce_incident_add(g->ctx, g->in, rec, &other);
}

static truce_status
incident_members(struct truce_ctx *ctx, struct truce_store *st, int64_t key,
                 struct truce_incident *in)
{
    struct truce_query q = {0};
    struct gather g = {ctx, in};
    q.incident = key;
    q.no_assessments = true;
    return truce_store_query(st, &q, gather_member, &g);
}

static json_t *
incident(struct report *r, const struct truce_stored *rec,
         struct truce_assessment *as, int64_t day)
{
    const struct truce_event *ev = &rec->ev;
    json_t *g = json_array();
    char d[16];
    day_str(day, d);
    for (size_t i = 0; i < as->n_guarantors; i++)
        json_array_append_new(g, json_string(as->guarantors[i]));
    return json_pack(
        "{s:s,s:s,s:s?,s:s?,s:b,s:s,s:s?,s:s?,s:I,s:b,s:b,s:s,s:s,s:s?,s:o,"
        "s:s,s:I}",
        "id", ev->id, "date", d, "source", ev->source,
        /* read from the news by truce extract, confirmed by no one */
        "location", ev->location, "unverified",
        ev->source && !strcmp(ev->source, "news"), "category",
        truce_category_name(ev->category), "actor1", ev->actor1, "actor2",
        ev->actor2, "fatalities", (json_int_t)(ev->fatalities > 0
                                                   ? ev->fatalities
                                                   : 0),
        "protected_site", ev->protected_site, "civilian_targeting",
        ev->civilian_targeting, "verdict", truce_verdict_name(as->verdict),
        "reason", truce_reason_name(as->reason), "side", as->side,
        "guarantors", g, "explanation", explain(r, rec, as),
        "incident_key", (json_int_t)rec->incident);
}

/* Each listed incident's reports and sources, from its members in the
 * store ("reports", "sources": "3 sources: acled, news \u00d72"); the key
 * the listing kept to find them goes. */
static truce_status
add_sources(struct truce_ctx *ctx, struct truce_store *st, json_t *list)
{
    struct truce_incident *in = NULL;
    struct truce_buf words;
    truce_status rc;
    size_t i;
    json_t *row;
    if ((rc = truce_incident_new(ctx, &in)))
        return rc;
    truce_buf_init(&words, 0);
    json_array_foreach(list, i, row) {
        json_int_t key = json_integer_value(json_object_get(row, "incident_key"));
        json_object_del(row, "incident_key");
        if (!key)
            continue;
        truce_incident_reset(in);
        truce_buf_reset(&words);
        if ((rc = incident_members(ctx, st, key, in)) ||
            (rc = truce_incident_sources_words(ctx, in, &words)))
            break;
        json_object_set_new(row, "reports",
                            json_integer((json_int_t)truce_incident_reports(in)));
        json_object_set_new(row, "sources", json_string(words.buf));
    }
    truce_buf_release(&words);
    truce_incident_free(in);
    return rc;
}

static truce_status
report_event(void *ud, struct truce_stored *rec)
{
    struct report *r = ud;
    struct truce_assessment *as =
        (struct truce_assessment *)find_as(rec, r->a->id);
    int64_t day = event_day(&rec->ev, r->a->tz);
    bool now = day >= r->p0 && day <= r->p1;
    bool prev = day >= r->q0 && day < r->p0;
    if (!as || !rec->assessed || (!now && !prev))
        return TRUCE_OK;
    if (as->verdict == TRUCE_V_VIOLATION) {
        if (now)
            r->total++;
        else
            r->total_prev++;
        count_violation(r, rec, as, now, day);
        if (now)
            json_array_append_new(r->notable, incident(r, rec, as, day));
    } else if (as->verdict == TRUCE_V_UNDETERMINED && now) {
        r->undetermined_total++;
        if (json_array_size(r->undetermined) < MAX_UNDETERMINED)
            json_array_append_new(r->undetermined,
                                  incident(r, rec, as, day));
    }
    return TRUCE_OK;
}

/* Most notable first: protected sites, then fatalities, then civilian
 * targeting. */
static int
notable_rank(json_t *o)
{
    return (json_is_true(json_object_get(o, "protected_site")) ? 1 << 28
                                                                : 0) +
           (int)json_integer_value(json_object_get(o, "fatalities")) * 2 +
           (json_is_true(json_object_get(o, "civilian_targeting")) ? 1 : 0);
}

static void
keep_notable(json_t *all)
{
    size_t n = json_array_size(all);
    /* a small selection sort: the array is one period's violations */
    for (size_t i = 0; i < n && i < MAX_NOTABLE; i++) {
        size_t best = i;
        for (size_t k = i + 1; k < n; k++) {
            if (notable_rank(json_array_get(all, k)) >
                notable_rank(json_array_get(all, best)))
                best = k;
        }
        if (best != i) {
            json_t *a = json_incref(json_array_get(all, i));
            json_t *b = json_incref(json_array_get(all, best));
            json_array_set_new(all, i, b);
            json_array_set_new(all, best, a);
        }
    }
    while (json_array_size(all) > MAX_NOTABLE)
        json_array_remove(all, json_array_size(all) - 1);
}

static json_t *
tally_json(const struct tally *t, const char *key)
{
    json_t *arr = json_array(), *v;
    const char *k;
    json_object_foreach(t->now, k, v) {
        json_t *p = json_object_get(t->prev, k);
        json_array_append_new(arr, json_pack("{s:s,s:I,s:I}", key, k,
                                             "count", json_integer_value(v),
                                             "previous",
                                             p ? json_integer_value(p) : 0));
    }
    json_object_foreach(t->prev, k, v) {
        if (!json_object_get(t->now, k))
            json_array_append_new(arr, json_pack("{s:s,s:I,s:I}", key, k,
                                                 "count", (json_int_t)0,
                                                 "previous",
                                                 json_integer_value(v)));
    }
    return arr;
}

static void
tally_init(struct tally *t)
{
    t->now = json_object();
    t->prev = json_object();
}

static void
tally_release(struct tally *t)
{
    json_decref(t->now);
    json_decref(t->prev);
}

/* The report as JSON (new reference), or NULL with the error set and its
 * status in *rc. */
static json_t *
report_json(struct truce_ctx *ctx, struct truce_store *st,
            const struct truce_agreements *set,
            const struct truce_actors *actors, const char *id,
            int64_t last_day, int days, truce_status *rc)
{
    struct report r = {0};
    struct truce_query q = {0};
    struct truce_trend trend;
    struct truce_buf tb;
    json_t *doc = NULL, *card;
    long k = truce_agreements_find(set, id);
    char d0[16], d1[16], q0[16], q1[16];
    const char *before;
    if (k < 0) {
        *rc = truce__err(ctx, TRUCE_ENOTFOUND, "no agreement '%s'", id);
        return NULL;
    }
    r.ctx = ctx;
    r.set = set;
    r.actors = actors;
    r.index = (size_t)k;
    r.a = truce__agreements_at(set, (size_t)k);
    r.p1 = last_day;
    r.p0 = last_day - days + 1;
    r.q0 = r.p0 - days;
    tally_init(&r.zone);
    tally_init(&r.category);
    tally_init(&r.side);
    tally_init(&r.guarantor);
    r.notable = json_array();
    r.undetermined = json_array();
    r.scorecard = json_object();
    if ((*rc = truce_store_counting(st, &r.counted)))
        goto out;
    q.representatives_only = r.counted == TRUCE_COUNT_INCIDENTS;
    q.has_from = q.has_to = true;
    q.from = (r.q0 - 1) * DAY;
    q.to = (r.p1 + 2) * DAY;
    if ((*rc = truce_store_query(st, &q, report_event, &r)))
        goto out;
    keep_notable(r.notable);
    if ((*rc = add_sources(ctx, st, r.notable)) ||
        (*rc = add_sources(ctx, st, r.undetermined)))
        goto out;
    if ((*rc = truce_trend_compute(ctx, st, set, actors, id, NULL, 30, NULL,
                                   &trend)))
        goto out;
    truce_buf_init(&tb, 0);
    truce_trend_to_json(&trend, &tb);
    truce_trend_release(&trend);
    day_str(r.p0, d0);
    day_str(r.p1, d1);
    day_str(r.q0, q0);
    day_str(r.p0 - 1, q1);
    /* every day of the period has a scorecard row */
    card = json_array();
    for (int64_t d = r.p0; d <= r.p1; d++) {
        char ds[16];
        json_t *row;
        day_str(d, ds);
        row = json_object_get(r.scorecard, ds);
        json_array_append_new(card, json_pack("{s:s,s:o}", "date", ds,
                                              "counts",
                                              row ? json_incref(row)
                                                  : json_object()));
    }
    {
        /* Before the agreement took effect nothing was a violation: a
         * previous period then has none to compare, only potential ones. */
        struct truce_agreement_info in;
        int64_t start;
        truce_agreements_info(set, r.index, &in);
        start = in.first_local / DAY - (in.first_local < 0 &&
                                        in.first_local % DAY != 0);
        before = r.p0 - 1 < start ? "all" : r.q0 < start ? "part" : "none";
    }
    doc = json_pack(
        "{s:s,s:s,s:s,s:s,s:i,s:{s:s,s:s},s:{s:s,s:s,s:s},"
        "s:{s:I,s:I,s:o,s:o,s:o,s:o},s:O,s:I,s:O,s:o,s:o,s:s}",
        "agreement", r.a->id, "name", r.a->name, "timezone", r.a->timezone,
        "date", d1, "days", days, "period", "from", d0, "to", d1, "previous",
        "from", q0, "to", q1, "before_start", before, "violations", "total",
        (json_int_t)r.total,
        "previous", (json_int_t)r.total_prev, "by_zone",
        tally_json(&r.zone, "zone"), "by_category",
        tally_json(&r.category, "category"), "by_side",
        tally_json(&r.side, "side"), "by_guarantor",
        tally_json(&r.guarantor, "guarantor"), "notable", r.notable,
        "undetermined_total", (json_int_t)r.undetermined_total,
        "undetermined", r.undetermined, "scorecard", card, "trend",
        json_loads(tb.buf, 0, NULL), "counted", truce_count_name(r.counted));
    truce_buf_release(&tb);
out:
    tally_release(&r.zone);
    tally_release(&r.category);
    tally_release(&r.side);
    tally_release(&r.guarantor);
    json_decref(r.notable);
    json_decref(r.undetermined);
    json_decref(r.scorecard);
    if (!doc && !*rc)
        *rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    return doc;
}

/* ------------------------------------------------------------ text */

static const char *
jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long
jint(json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static void
change_str(long long now, long long prev, char out[32])
{
    if (prev == 0)
        snprintf(out, 32, now ? "new" : "-");
    else
        snprintf(out, 32, "%+.0f%%", 100.0 * (double)(now - prev) /
                                         (double)prev);
}

static void
md_table(struct truce_buf *b, json_t *rows, const char *key,
         const char *title)
{
    size_t i;
    json_t *row;
    truce_buf_addf(b, "\n| %s | this period | previous | change |\n"
                      "|---|---:|---:|---:|\n", title);
    if (!json_array_size(rows))
        truce_buf_adds(b, "| (none) | 0 | 0 | - |\n");
    json_array_foreach(rows, i, row) {
        char ch[32];
        change_str(jint(row, "count"), jint(row, "previous"), ch);
        truce_buf_addf(b, "| %s | %lld | %lld | %s |\n", jstr(row, key),
                       jint(row, "count"), jint(row, "previous"), ch);
    }
}

/* What the previous period can say, when it lies before the agreement's
 * start (DESIGN 10: then there were only potential violations). */
static const char *
previous_note(json_t *doc)
{
    const char *b = jstr(json_object_get(doc, "previous"), "before_start");
    return !strcmp(b, "all")    ? " (before the agreement took effect: no "
                                  "violations then to compare, only "
                                  "potential ones)"
           : !strcmp(b, "part") ? " (partly before the agreement took "
                                  "effect)"
                                : "";
}

/* Markdown passes HTML through: every string of the document (field
 * reports' text among them) gets <, >, & as entities and | escaped, so
 * that what a report's reader sees is the text, never markup. */
static void
md_escape_strings(json_t *v)
{
    size_t i;
    const char *k;
    json_t *x;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) {
            md_escape_strings(x);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            md_escape_strings(x);
        }
    } else if (json_is_string(v) && strpbrk(json_string_value(v), "<>&|")) {
        struct truce_buf e;
        truce_buf_init(&e, 0);
        for (const char *p = json_string_value(v); *p; p++) {
            const char *r = *p == '<'   ? "&lt;"
                            : *p == '>' ? "&gt;"
                            : *p == '&' ? "&amp;"
                            : *p == '|' ? "\\|"
                                        : NULL;
            if (r)
                truce_buf_adds(&e, r);
            else
                truce_buf_add(&e, p, 1);
        }
        json_string_set(v, e.buf);
        truce_buf_release(&e);
    }
}

static void
render_md(json_t *doc, struct truce_buf *b)
{
    json_t *v = json_object_get(doc, "violations"), *row, *t;
    json_t *rr;
    size_t i;
    char ch[32];
    change_str(jint(v, "total"), jint(v, "previous"), ch);
    truce_buf_addf(b, "# Monitoring report: %s\n\n", jstr(doc, "name"));
    truce_buf_addf(b, "Agreement `%s`, %lld day%s to %s (local days, %s); "
                      "previous period %s to %s%s.\n\n",
                   jstr(doc, "agreement"), jint(doc, "days"),
                   jint(doc, "days") == 1 ? "" : "s", jstr(doc, "date"),
                   jstr(doc, "timezone"),
                   jstr(json_object_get(doc, "previous"), "from"),
                   jstr(json_object_get(doc, "previous"), "to"),
                   previous_note(doc));
    truce_buf_addf(b, "**%lld violation%s** (previous period: %lld, %s); "
                      "%lld event%s undetermined.\n",
                   jint(v, "total"), jint(v, "total") == 1 ? "" : "s",
                   jint(v, "previous"), ch, jint(doc, "undetermined_total"),
                   jint(doc, "undetermined_total") == 1 ? "" : "s");
    truce_buf_adds(b, "\n## Violations\n");
    md_table(b, json_object_get(v, "by_zone"), "zone", "Zone");
    md_table(b, json_object_get(v, "by_category"), "category", "Category");
    md_table(b, json_object_get(v, "by_side"), "side", "Side");
    md_table(b, json_object_get(v, "by_guarantor"), "guarantor",
             "Guarantor to answer");
    truce_buf_adds(b, "\n## Guarantor scorecard\n\nViolations attributed to "
                      "each guarantor's side, by day; mutual violations "
                      "involve several sides.\n\n| date | attributions |\n"
                      "|---|---|\n");
    json_array_foreach(json_object_get(doc, "scorecard"), i, row) {
        json_t *counts = json_object_get(row, "counts"), *n;
        const char *g;
        bool any = false;
        truce_buf_addf(b, "| %s | ", jstr(row, "date"));
        json_object_foreach(counts, g, n) {
            truce_buf_addf(b, "%s%s %lld", any ? ", " : "", g,
                           (long long)json_integer_value(n));
            any = true;
        }
        truce_buf_adds(b, any ? " |\n" : "none |\n");
    }
    truce_buf_adds(b, "\n## Notable incidents\n");
    if (!json_array_size(json_object_get(doc, "notable")))
        truce_buf_adds(b, "\nNo violation in this period.\n");
    json_array_foreach(json_object_get(doc, "notable"), i, row) {
        truce_buf_addf(b, "\n### %s — %s%s\n\n%s, %s%s; %lld killed.\n\n%s\n",
                       jstr(row, "date"), jstr(row, "location"),
                       json_is_true(json_object_get(row, "unverified"))
                           ? " (news, unverified)"
                           : "",
                       jstr(row, "category"),
                       json_is_true(json_object_get(row, "protected_site"))
                           ? "a protected site, "
                           : "",
                       json_is_true(json_object_get(row,
                                                    "civilian_targeting"))
                           ? "civilians targeted"
                           : "",
                       jint(row, "fatalities"), jstr(row, "explanation"));
        if (jint(row, "reports") > 1)
            truce_buf_addf(b, "\nReported %lld times (%s).\n",
                           jint(row, "reports"), jstr(row, "sources"));
    }
    truce_buf_addf(b, "\n## Undetermined: for an analyst (%lld)\n\n",
                   jint(doc, "undetermined_total"));
    if (!json_array_size(json_object_get(doc, "undetermined")))
        truce_buf_adds(b, "None.\n");
    json_array_foreach(json_object_get(doc, "undetermined"), i, row) {
        truce_buf_addf(b, "- %s `%s` %s%s: **%s**\n", jstr(row, "date"),
                       jstr(row, "id"), jstr(row, "location"),
                       json_is_true(json_object_get(row, "unverified"))
                           ? " (news, unverified)"
                           : "",
                       jstr(row, "reason"));
    }
    t = json_object_get(doc, "trend");
    rr = json_object_get(t, "rate_ratio");
    truce_buf_addf(b, "\n## The trend so far\n\nPotential violations in %g "
                      "days before the agreement's start: %lld; after: "
                      "%lld. ",
                   json_number_value(json_object_get(t, "window_days")),
                   jint(json_object_get(t, "before"), "count"),
                   jint(json_object_get(t, "after"), "count"));
    if (json_is_number(json_object_get(rr, "estimate"))) {
        char hi[32];
        if (json_is_number(json_object_get(rr, "ci_high")))
            snprintf(hi, sizeof(hi), "%.2f",
                     json_number_value(json_object_get(rr, "ci_high")));
        else
            snprintf(hi, sizeof(hi), "infinity");
        truce_buf_addf(b, "Rate ratio after/before %.2f (95%% CI %.2f to "
                          "%s).\n",
                       json_number_value(json_object_get(rr, "estimate")),
                       json_number_value(json_object_get(rr, "ci_low")), hi);
    } else {
        truce_buf_adds(b, "The rate ratio is undefined (nothing before).\n");
    }
    if (json_is_string(json_object_get(t, "note")))
        truce_buf_addf(b, "\nNote: %s.\n", jstr(t, "note"));
}

/* ------------------------------------------------------------ HTML */

static void
html_text(struct truce_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': truce_buf_adds(b, "&lt;"); break;
        case '>': truce_buf_adds(b, "&gt;"); break;
        case '&': truce_buf_adds(b, "&amp;"); break;
        case '"': truce_buf_adds(b, "&quot;"); break;
        default: truce_buf_add(b, s, 1); break;
        }
    }
}

/* Daily potential violations as bars, the agreement's start marked. */
static void
svg_daily(struct truce_buf *b, json_t *trend)
{
    json_t *daily = json_object_get(trend, "daily"), *d;
    size_t n = json_array_size(daily), i;
    double w = 720, h = 220, left = 40, bottom = 30, top = 20;
    double bw = n ? (w - left - 10) / (double)n : 1;
    long long max = 1;
    const char *start = jstr(trend, "start_local");
    json_array_foreach(daily, i, d) {
        if (jint(d, "potential_violations") > max)
            max = jint(d, "potential_violations");
    }
    max = (max + 3) / 4 * 4; /* four whole-number gridlines */
    truce_buf_addf(b, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                      "aria-label=\"daily potential violations\" "
                      "class=\"chart\">\n", w, h);
    /* axis and gridlines */
    for (int g = 0; g <= 4; g++) {
        double y = top + (h - top - bottom) * (1 - g / 4.0);
        truce_buf_addf(b, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" "
                          "y2=\"%.1f\" class=\"grid\"/><text x=\"%.0f\" "
                          "y=\"%.1f\" class=\"tick\" text-anchor=\"end\">"
                          "%.0f</text>\n",
                       left, w - 10, y, y, left - 6, y + 4,
                       (double)max * g / 4.0);
    }
    json_array_foreach(daily, i, d) {
        long long v = jint(d, "potential_violations");
        double bh = (h - top - bottom) * (double)v / (double)max;
        double x = left + bw * (double)i;
        bool after = strncmp(jstr(d, "date"), start, 10) >= 0;
        truce_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                          "height=\"%.1f\" class=\"%s\"><title>%s: %lld"
                          "</title></rect>\n",
                       x + 1, h - bottom - bh, bw > 2 ? bw - 2 : bw, bh,
                       after ? "bar-after" : "bar-before", jstr(d, "date"),
                       v);
        if (i % 7 == 0)
            truce_buf_addf(b, "<text x=\"%.1f\" y=\"%.0f\" class=\"tick\">"
                              "%.5s</text>\n",
                           x, h - 10, jstr(d, "date") + 5);
        if (!strncmp(jstr(d, "date"), start, 10))
            truce_buf_addf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" "
                              "y2=\"%.0f\" class=\"start\"/><text x=\"%.1f\""
                              " y=\"%.0f\" class=\"start-label\">in force "
                              "from %.5s %.5s</text>\n",
                           x, x, top - 8, h - bottom, x + 4, top - 8 + 10,
                           start + 5, start + 11);
    }
    truce_buf_adds(b, "</svg>\n");
}

/* Before/after rates per day with the after rate's 95% interval. */
static void
svg_before_after(struct truce_buf *b, json_t *trend)
{
    json_t *bf = json_object_get(trend, "before");
    json_t *af = json_object_get(trend, "after");
    json_t *rr = json_object_get(trend, "rate_ratio");
    double rb = json_number_value(json_object_get(bf, "rate_per_day"));
    double ra = json_number_value(json_object_get(af, "rate_per_day"));
    double lo = json_number_value(json_object_get(rr, "ci_low")) * rb;
    double hi = json_is_number(json_object_get(rr, "ci_high"))
                    ? json_number_value(json_object_get(rr, "ci_high")) * rb
                    : ra * 2 + 1;
    double max = fmax(fmax(rb, ra), hi), h = 220, bottom = 30, top = 20;
    double scale = max > 0 ? (h - top - bottom) / max : 0;
    truce_buf_adds(b, "<svg viewBox=\"0 0 320 220\" role=\"img\" "
                      "aria-label=\"before and after\" class=\"chart "
                      "small\">\n");
    truce_buf_addf(b, "<rect x=\"50\" y=\"%.1f\" width=\"80\" height=\"%.1f\""
                      " class=\"bar-before\"/><text x=\"90\" y=\"%.0f\" "
                      "class=\"tick\" text-anchor=\"middle\">before</text>"
                      "<text x=\"90\" y=\"%.1f\" class=\"value\" "
                      "text-anchor=\"middle\">%.2f/day</text>\n",
                   h - bottom - rb * scale, rb * scale, h - 10,
                   h - bottom - rb * scale - 6, rb);
    truce_buf_addf(b, "<rect x=\"190\" y=\"%.1f\" width=\"80\" "
                      "height=\"%.1f\" class=\"bar-after\"/><text x=\"230\" "
                      "y=\"%.0f\" class=\"tick\" text-anchor=\"middle\">"
                      "after</text>\n",
                   h - bottom - ra * scale, ra * scale, h - 10);
    truce_buf_addf(b, "<line x1=\"230\" x2=\"230\" y1=\"%.1f\" y2=\"%.1f\" "
                      "class=\"ci\"/><line x1=\"220\" x2=\"240\" y1=\"%.1f\""
                      " y2=\"%.1f\" class=\"ci\"/><line x1=\"220\" x2=\"240\""
                      " y1=\"%.1f\" y2=\"%.1f\" class=\"ci\"/>"
                      "<text x=\"230\" y=\"%.1f\" class=\"value\" "
                      "text-anchor=\"middle\">%.2f/day</text>"
                      "<text x=\"246\" y=\"%.1f\" class=\"tick\">95%% CI"
                      "</text>\n",
                   h - bottom - hi * scale, h - bottom - lo * scale,
                   h - bottom - hi * scale, h - bottom - hi * scale,
                   h - bottom - lo * scale, h - bottom - lo * scale,
                   fmin(h - bottom - ra * scale, h - bottom - hi * scale) - 6,
                   ra, h - bottom - hi * scale + 4);
    truce_buf_adds(b, "</svg>\n");
}

static void
html_table(struct truce_buf *b, json_t *rows, const char *key,
           const char *title)
{
    size_t i;
    json_t *row;
    truce_buf_addf(b, "<table><thead><tr><th>%s</th><th>this period</th>"
                      "<th>previous</th><th>change</th></tr></thead><tbody>",
                   title);
    if (!json_array_size(rows))
        truce_buf_adds(b, "<tr><td>(none)</td><td>0</td><td>0</td>"
                          "<td>-</td></tr>");
    json_array_foreach(rows, i, row) {
        char ch[32];
        change_str(jint(row, "count"), jint(row, "previous"), ch);
        truce_buf_adds(b, "<tr><td>");
        html_text(b, jstr(row, key));
        truce_buf_addf(b, "</td><td>%lld</td><td>%lld</td><td>%s</td></tr>",
                       jint(row, "count"), jint(row, "previous"), ch);
    }
    truce_buf_adds(b, "</tbody></table>\n");
}

static const char html_style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#1d2733;"
    "max-width:980px;margin:24px auto;padding:0 16px;background:#fbfbf8}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;"
    "border-bottom:1px solid #d5dbe1;padding-bottom:4px}"
    ".sub{color:#5a6978;font-size:13px}.kpis{display:flex;gap:12px;"
    "margin:16px 0}.kpi{background:#fff;border:1px solid #d5dbe1;"
    "border-radius:6px;padding:10px 14px;min-width:150px}.kpi b{display:"
    "block;font-size:24px}.kpi span{font-size:12px;color:#5a6978}"
    ".kpi.bad b{color:#b03a2e}.charts{display:flex;gap:16px;flex-wrap:wrap}"
    ".chart{background:#fff;border:1px solid #d5dbe1;border-radius:6px;"
    "width:620px;height:auto}.chart.small{width:300px}"
    ".grid{stroke:#e6eaee}.tick{font-size:10px;fill:#5a6978}.value{"
    "font-size:11px;fill:#1d2733}.bar-before{fill:#9aa9b8}.bar-after{fill:"
    "#c0504d}.start{stroke:#1d2733;stroke-dasharray:4 3}.start-label{"
    "font-size:10px;fill:#1d2733}.ci{stroke:#1d2733;stroke-width:1.5}"
    "table{border-collapse:collapse;margin:8px 16px 8px 0;font-size:13px;"
    "display:inline-table;vertical-align:top}th,td{border-bottom:1px solid "
    "#e6eaee;padding:4px 10px;text-align:right}th:first-child,td:first-"
    "child{text-align:left}.incident{background:#fff;border-left:4px solid "
    "#c0504d;padding:8px 12px;margin:8px 0;font-size:13px}.incident h3{"
    "font-size:14px;margin:0 0 4px}.tag{display:inline-block;font-size:11px;"
    "background:#f3e1df;color:#8a2b22;border-radius:3px;padding:0 6px;"
    "margin-right:4px}.undet{font-size:13px}.undet td{text-align:left}";

static void
render_html(json_t *doc, struct truce_buf *b)
{
    json_t *v = json_object_get(doc, "violations"), *row;
    json_t *t = json_object_get(doc, "trend");
    json_t *rr = json_object_get(t, "rate_ratio");
    size_t i;
    char ch[32];
    change_str(jint(v, "total"), jint(v, "previous"), ch);
    truce_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                      "charset=\"utf-8\"><title>");
    html_text(b, jstr(doc, "name"));
    truce_buf_addf(b, " — report %s</title><style>%s</style></head><body>\n",
                   jstr(doc, "date"), html_style);
    truce_buf_adds(b, "<h1>");
    html_text(b, jstr(doc, "name"));
    truce_buf_addf(b, "</h1><div class=\"sub\">Monitoring report for %lld "
                      "day%s to %s (local days, %s) · agreement <code>",
                   jint(doc, "days"), jint(doc, "days") == 1 ? "" : "s",
                   jstr(doc, "date"), jstr(doc, "timezone"));
    html_text(b, jstr(doc, "agreement"));
    truce_buf_addf(b, "</code> · previous period %s to %s%s</div>\n",
                   jstr(json_object_get(doc, "previous"), "from"),
                   jstr(json_object_get(doc, "previous"), "to"),
                   previous_note(doc));
    truce_buf_addf(b, "<div class=\"kpis\"><div class=\"kpi bad\"><b>%lld"
                      "</b><span>violations (previous %lld, %s)</span></div>"
                      "<div class=\"kpi\"><b>%lld</b><span>undetermined, for"
                      " an analyst</span></div>",
                   jint(v, "total"), jint(v, "previous"), ch,
                   jint(doc, "undetermined_total"));
    if (json_is_number(json_object_get(rr, "estimate")))
        truce_buf_addf(b, "<div class=\"kpi\"><b>%.2f</b><span>rate ratio "
                          "after/before its start (95%% CI %.2f–%.2f)</span>"
                          "</div>",
                       json_number_value(json_object_get(rr, "estimate")),
                       json_number_value(json_object_get(rr, "ci_low")),
                       json_is_number(json_object_get(rr, "ci_high"))
                           ? json_number_value(json_object_get(rr,
                                                               "ci_high"))
                           : INFINITY);
    truce_buf_adds(b, "</div>\n<h2>The trend so far</h2><div class=\"sub\">"
                      "Potential violations per day (events the agreement "
                      "forbids, in its zones) before and after it took "
                      "effect.</div><div class=\"charts\">");
    svg_daily(b, t);
    svg_before_after(b, t);
    truce_buf_adds(b, "</div>\n<h2>Violations in this period</h2>\n");
    html_table(b, json_object_get(v, "by_zone"), "zone", "Zone");
    html_table(b, json_object_get(v, "by_category"), "category", "Category");
    html_table(b, json_object_get(v, "by_side"), "side", "Side");
    html_table(b, json_object_get(v, "by_guarantor"), "guarantor",
               "Guarantor to answer");
    truce_buf_adds(b, "<h2>Guarantor scorecard</h2><table><thead><tr><th>"
                      "date</th><th>attributed violations</th></tr></thead>"
                      "<tbody>");
    json_array_foreach(json_object_get(doc, "scorecard"), i, row) {
        json_t *n;
        const char *g;
        bool any = false;
        truce_buf_addf(b, "<tr><td>%s</td><td>", jstr(row, "date"));
        json_object_foreach(json_object_get(row, "counts"), g, n) {
            truce_buf_addf(b, "%s", any ? ", " : "");
            html_text(b, g);
            truce_buf_addf(b, " %lld", (long long)json_integer_value(n));
            any = true;
        }
        truce_buf_adds(b, any ? "</td></tr>" : "none</td></tr>");
    }
    truce_buf_adds(b, "</tbody></table>\n<h2>Notable incidents</h2>\n");
    if (!json_array_size(json_object_get(doc, "notable")))
        truce_buf_adds(b, "<p>No violation in this period.</p>\n");
    json_array_foreach(json_object_get(doc, "notable"), i, row) {
        truce_buf_addf(b, "<div class=\"incident\"><h3>%s — ",
                       jstr(row, "date"));
        html_text(b, jstr(row, "location"));
        truce_buf_adds(b, "</h3>");
        if (json_is_true(json_object_get(row, "unverified")))
            truce_buf_adds(b, "<span class=\"tag\">news, unverified</span>");
        if (json_is_true(json_object_get(row, "protected_site")))
            truce_buf_adds(b, "<span class=\"tag\">protected site</span>");
        if (json_is_true(json_object_get(row, "civilian_targeting")))
            truce_buf_adds(b, "<span class=\"tag\">civilians targeted</span>");
        truce_buf_addf(b, "<span class=\"tag\">%lld killed</span>",
                       jint(row, "fatalities"));
        if (jint(row, "reports") > 1) {
            truce_buf_adds(b, "<span class=\"tag\">");
            html_text(b, jstr(row, "sources"));
            truce_buf_adds(b, "</span>");
        }
        truce_buf_adds(b, "<p>");
        html_text(b, jstr(row, "explanation"));
        truce_buf_adds(b, "</p></div>\n");
    }
    truce_buf_addf(b, "<h2>Undetermined: for an analyst (%lld)</h2>",
                   jint(doc, "undetermined_total"));
    truce_buf_adds(b, "<table class=\"undet\"><tbody>");
    json_array_foreach(json_object_get(doc, "undetermined"), i, row) {
        truce_buf_addf(b, "<tr><td>%s</td><td><code>", jstr(row, "date"));
        html_text(b, jstr(row, "id"));
        truce_buf_adds(b, "</code></td><td>");
        html_text(b, jstr(row, "location"));
        if (json_is_true(json_object_get(row, "unverified")))
            truce_buf_adds(b, " <span class=\"tag\">news, unverified</span>");
        truce_buf_addf(b, "</td><td><b>%s</b></td></tr>",
                       jstr(row, "reason"));
    }
    truce_buf_adds(b, "</tbody></table>\n<p class=\"sub\">Made by truce from"
                      " the events in its store; every verdict is explained "
                      "by <code>truce explain</code>.</p></body></html>\n");
}

truce_status
truce_report_render(struct truce_ctx *ctx, struct truce_store *st,
                    const struct truce_agreements *set,
                    const struct truce_actors *actors, const char *id,
                    int64_t last_day, int days, const char *format,
                    struct truce_buf *out)
{
    json_t *doc;
    truce_status rc = TRUCE_OK;
    truce__clear(ctx);
    if (days < 1 || days > 366)
        return truce__err(ctx, TRUCE_EINVAL, "--days must be 1 to 366");
    if (strcmp(format, "json") && strcmp(format, "md") &&
        strcmp(format, "html"))
        return truce__err(ctx, TRUCE_EINVAL, "unknown report format '%s'",
                          format);
    doc = report_json(ctx, st, set, actors, id, last_day, days, &rc);
    if (!doc)
        return rc;
    if (!strcmp(format, "json")) {
        truce__json_append(json_incref(doc),
                           JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                               JSON_REAL_PRECISION(8),
                           out);
        truce_buf_adds(out, "\n");
    } else if (!strcmp(format, "md")) {
        json_t *safe = json_deep_copy(doc);
        if (!safe) {
            json_decref(doc);
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        }
        md_escape_strings(safe);
        render_md(safe, out);
        json_decref(safe);
    } else {
        render_html(doc, out);
    }
    json_decref(doc);
    return TRUCE_OK;
}
