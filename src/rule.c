/*
 * rule.c - the verdict of an event under an agreement (DESIGN section 5,
 * normative): time, place, activity, actors, precision, in that order,
 * with the chain of facts written out in plain words.
 */
#include "truce_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>

enum rel { REL_WITHIN = 1, REL_OUTSIDE, REL_STRADDLES };

enum fstat {
    F_ABSENT = 0,
    F_EXCLUDED,
    F_UNKNOWN,
    F_BOUND,
    F_CIVILIANS,
    F_NON_PARTY
};

/* An actor field resolved under one agreement at one time. */
struct field {
    const char *text;   /* as reported; NULL when absent */
    const struct truce_actor_ref *refs; /* n of them */
    size_t n;
    enum fstat st;      /* the field's status */
    uint32_t sides;     /* bit s: bound to side s */
};

/* The actor fields of an event, resolved once against the dictionary. */
struct resolved {
    struct field f[2];
    struct truce_actor_ref refs[2][TRUCE_MAX_FIELD_ACTORS]; /* f's, made
                                                               here */
    const void *area;      /* the event's area, when it is placed at one */
    char area_label[200];  /* which area, for the explanation */
};

void
truce_assessment_init(struct truce_assessment *as)
{
    memset(as, 0, sizeof(*as));
    truce_buf_init(&as->explanation, 0);
}

void
truce_assessment_release(struct truce_assessment *as)
{
    truce_buf_release(&as->explanation);
    truce_assessment_init(as);
}

static void
reset(struct truce_assessment *as)
{
    struct truce_buf keep = as->explanation;
    memset(as, 0, sizeof(*as));
    as->explanation = keep;
    truce_buf_reset(&as->explanation);
}

/* ------------------------------------------------------------ time */

static enum rel
time_relation(const struct truce__agreement *a, int64_t t0, int64_t t1)
{
    if (t0 == t1) {
        for (size_t i = 0; i < a->n_intervals; i++) {
            if (a->intervals[i].from <= t0 && t0 < a->intervals[i].until)
                return REL_WITHIN;
        }
        return REL_OUTSIDE;
    }
    {
        bool meets = false;
        int64_t covered_to = INT64_MIN; /* end of the run covering t0 */
        for (size_t i = 0; i < a->n_intervals; i++) {
            const struct truce__interval *iv = &a->intervals[i];
            if (iv->from < t1 && t0 < iv->until)
                meets = true;
            if (iv->from <= t0 && t0 < iv->until)
                covered_to = iv->until;
            else if (covered_to != INT64_MIN && iv->from == covered_to)
                covered_to = iv->until;
        }
        if (!meets)
            return REL_OUTSIDE;
        return covered_to != INT64_MIN && covered_to >= t1 ? REL_WITHIN
                                                           : REL_STRADDLES;
    }
}

static void
local_str(const struct truce_tz *tz, int64_t utc, char out[40])
{
    int64_t lt = utc + truce_tz_offset(tz, utc), days, rem;
    int y, m, d;
    days = lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400);
    rem = lt - days * 86400;
    truce_civil_from_days(days, &y, &m, &d);
    snprintf(out, 40, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60));
}

static void
describe_time(const struct truce_event *ev, const struct truce__agreement *a,
              struct truce_buf *b)
{
    char s0[40], s1[40];
    if (ev->date_only) {
        int64_t d0 = ev->t0 / 86400, d1 = ev->t1 / 86400 - 1;
        truce_format_day(d0, s0);
        if (d1 <= d0) {
            truce_buf_addf(b, "on %s (a local day in %s)", s0, a->timezone);
        } else {
            truce_format_day(d1, s1);
            truce_buf_addf(b, "between %s and %s (local days in %s)", s0, s1,
                           a->timezone);
        }
        return;
    }
    if (ev->time_kind == TRUCE_TIME_UTC) {
        truce_format_utc(ev->t0, s0);
        local_str(a->tz, ev->t0, s1);
        truce_buf_addf(b, "at %s (%s in %s)", s0, s1, a->timezone);
        return;
    }
    {
        int64_t days = ev->t0 / 86400, rem = ev->t0 % 86400;
        truce_format_day(days, s0);
        truce_buf_addf(b, "at %s %02d:%02d (local time in %s)", s0,
                       (int)(rem / 3600), (int)(rem / 60 % 60), a->timezone);
    }
}

/* "in force since 2016-05-04 00:01 Asia/Damascus", or each period. */
static void
describe_force(const struct truce__agreement *a, struct truce_buf *b)
{
    char s0[40], s1[40];
    local_str(a->tz, a->intervals[0].from, s0);
    if (a->n_intervals == 1 && a->intervals[0].until == INT64_MAX) {
        truce_buf_addf(b, "in force since %s %s", s0, a->timezone);
        return;
    }
    truce_buf_adds(b, "in force");
    for (size_t i = 0; i < a->n_intervals && i < 4; i++) {
        local_str(a->tz, a->intervals[i].from, s0);
        truce_buf_addf(b, "%s from %s", i ? "," : "", s0);
        if (a->intervals[i].until != INT64_MAX) {
            local_str(a->tz, a->intervals[i].until, s1);
            truce_buf_addf(b, " until %s", s1);
        }
    }
    if (a->n_intervals > 4)
        truce_buf_addf(b, " and %zu more periods", a->n_intervals - 4);
    truce_buf_addf(b, " %s", a->timezone);
}

/* ---------------------------------------------------------- actors */

static const char *const fstat_words[] = {
    "absent", "excluded", "unknown", "bound", "civilians", "a non-party"};

/* Status of one member at time t (UTC); sets *sides for bound members. */
static enum fstat
member_status(const struct truce__agreement *a,
              const struct truce_actors *actors, long actor, int64_t t,
              uint32_t *sides)
{
    *sides = 0;
    if (actor < 0 && actor != TRUCE_ACTOR_CIVILIANS_IDX)
        return F_UNKNOWN;
    for (size_t k = 0; k < a->n_excluded; k++) {
        if (a->excluded_idx && a->excluded_idx[k] == actor)
            return F_EXCLUDED;
    }
    for (size_t s = 0; s < a->n_sides && s < 32; s++) {
        for (size_t m = 0; m < a->sides[s].n_members; m++) {
            const struct truce__member *mb = &a->sides[s].members[m];
            if (mb->actor != actor)
                continue;
            if ((mb->has_from && t < mb->from) ||
                (mb->has_until && t >= mb->until))
                continue;
            *sides |= 1u << s;
        }
    }
    if (*sides)
        return F_BOUND;
    switch (truce__actors_kind(actors, actor)) {
    case TRUCE_ACTOR_CIVILIANS: return F_CIVILIANS;
    case TRUCE_ACTOR_UNKNOWN: return F_UNKNOWN;
    default: return F_NON_PARTY;
    }
}

/* The status of a whole field: the first present of excluded, unknown,
 * bound, civilians, non-party. */
static void
field_status(struct field *f, const struct truce__agreement *a,
             const struct truce_actors *actors, int64_t t)
{
    bool seen[F_NON_PARTY + 1] = {false};
    static const enum fstat order[] = {F_EXCLUDED, F_UNKNOWN, F_BOUND,
                                       F_CIVILIANS, F_NON_PARTY};
    f->sides = 0;
    f->st = F_ABSENT;
    if (f->n == 0)
        return;
    for (size_t i = 0; i < f->n; i++) {
        uint32_t s;
        enum fstat st = member_status(a, actors, f->refs[i].actor, t, &s);
        seen[st] = true;
        f->sides |= s;
    }
    for (size_t i = 0; i < 5; i++) {
        if (seen[order[i]]) {
            f->st = order[i];
            return;
        }
    }
}

static void
describe_member(struct truce_buf *b, const struct truce__agreement *a,
                const struct truce_actors *actors,
                const struct truce_actor_ref *r, int64_t t)
{
    uint32_t sides;
    enum fstat st = member_status(a, actors, r->actor, t, &sides);
    if (r->actor == TRUCE_ACTOR_CIVILIANS_IDX) {
        truce_buf_adds(b, "civilians");
        return;
    }
    if (r->actor < 0) {
        truce_buf_adds(b, "not an actor the dictionary knows (unknown)");
        return;
    }
    truce_buf_addf(b, "actor %s", truce_actors_id(actors, r->actor));
    if (st == F_BOUND) {
        bool first = true;
        for (size_t s = 0; s < a->n_sides && s < 32; s++) {
            if (!(sides & (1u << s)))
                continue;
            const struct truce__side *sd = &a->sides[s];
            truce_buf_addf(b, "%s bound to side '%s' (guarantor%s: ",
                           first ? "," : " and", sd->id,
                           sd->n_guarantors > 1 ? "s" : "");
            truce__buf_add_and(b, (const char *const *)sd->guarantors,
                               sd->n_guarantors);
            truce_buf_adds(b, sd->n_guarantors ? ")" : "none)");
            first = false;
        }
    } else if (st == F_EXCLUDED) {
        truce_buf_adds(b, ", excluded from the agreement");
    } else if (st == F_CIVILIANS) {
        truce_buf_adds(b, ", civilians");
    } else if (st == F_UNKNOWN) {
        truce_buf_adds(b, ", of unknown kind");
    } else {
        truce_buf_adds(b, ", a party to no side (non-party)");
    }
}

static void
describe_field(struct truce_buf *b, const char *role, const struct field *f,
               const struct truce__agreement *a,
               const struct truce_actors *actors, int64_t t)
{
    if (f->n == 0) {
        truce_buf_addf(b, " %s: none reported.", role);
        return;
    }
    if (f->n == 1) {
        truce_buf_addf(b, " %s '%s' is ", role, f->text);
        describe_member(b, a, actors, &f->refs[0], t);
        truce_buf_adds(b, ".");
        return;
    }
    truce_buf_addf(b, " %s '%s' has %zu members:", role, f->text, f->n);
    for (size_t i = 0; i < f->n; i++) {
        truce_buf_addf(b, "%s '%.*s' is ", i ? ";" : "", (int)f->refs[i].len,
                       f->refs[i].text);
        describe_member(b, a, actors, &f->refs[i], t);
    }
    truce_buf_addf(b, "; the field counts as %s.", fstat_words[f->st]);
}

/* ------------------------------------------------------ attribution */

static void
attribute(struct truce_assessment *as, const struct truce__agreement *a,
          uint32_t sides)
{
    for (size_t s = 0; s < a->n_sides && s < 32; s++) {
        if (!(sides & (1u << s)) || as->n_sides >= TRUCE_MAX_SIDES)
            continue;
        as->sides[as->n_sides++] = a->sides[s].id;
        for (size_t k = 0; k < a->sides[s].n_guarantors; k++) {
            const char *gk = a->sides[s].guarantors[k];
            bool dup = false;
            for (size_t g = 0; g < as->n_guarantors; g++)
                dup |= strcmp(as->guarantors[g], gk) == 0;
            if (!dup && as->n_guarantors < TRUCE_MAX_SIDES)
                as->guarantors[as->n_guarantors++] = gk;
        }
    }
    as->side = as->n_sides == 1 ? as->sides[0] : NULL;
}

static void
decide(struct truce_assessment *as, enum truce_verdict v, enum truce_reason r)
{
    as->verdict = v;
    as->reason = r;
}

/* Step 4 for directed events. */
static void
decide_directed(struct truce_assessment *as, const struct truce__agreement *a,
                const struct field *p, const struct field *t)
{
    switch (p->st) {
    case F_ABSENT:
    case F_UNKNOWN:
        decide(as, TRUCE_V_UNDETERMINED, TRUCE_R_ACTOR_UNKNOWN);
        return;
    case F_EXCLUDED:
        decide(as, TRUCE_V_PERMITTED, TRUCE_R_ACTOR_EXCLUDED);
        return;
    case F_NON_PARTY:
    case F_CIVILIANS:
        decide(as, TRUCE_V_PERMITTED, TRUCE_R_ACTOR_NOT_PARTY);
        return;
    case F_BOUND:
        break;
    }
    if (t->st == F_EXCLUDED) {
        decide(as, TRUCE_V_PERMITTED, TRUCE_R_TARGET_EXCLUDED);
        return;
    }
    decide(as, TRUCE_V_VIOLATION, TRUCE_R_BREACH);
    attribute(as, a, p->sides);
}

/* Step 4 for undirected events: the first rule that matches. */
static void
decide_undirected(struct truce_assessment *as,
                  const struct truce__agreement *a, const struct field *x,
                  const struct field *y)
{
    bool xb = x->st == F_BOUND, yb = y->st == F_BOUND;
    if (x->st == F_EXCLUDED || y->st == F_EXCLUDED) {
        decide(as, TRUCE_V_PERMITTED, TRUCE_R_ACTOR_EXCLUDED);
    } else if (x->st == F_UNKNOWN || y->st == F_UNKNOWN) {
        decide(as, TRUCE_V_UNDETERMINED, TRUCE_R_ACTOR_UNKNOWN);
    } else if (xb && yb) {
        decide(as, TRUCE_V_VIOLATION, TRUCE_R_BREACH);
        attribute(as, a, x->sides | y->sides);
    } else if ((xb && (y->st == F_CIVILIANS || y->st == F_ABSENT)) ||
               (yb && (x->st == F_CIVILIANS || x->st == F_ABSENT))) {
        decide(as, TRUCE_V_VIOLATION, TRUCE_R_BREACH);
        attribute(as, a, xb ? x->sides : y->sides);
    } else {
        decide(as, TRUCE_V_PERMITTED, TRUCE_R_ACTOR_NOT_PARTY);
    }
}

/* ------------------------------------------------------------ verdict */

static void
conclude(struct truce_assessment *as, struct truce_buf *b)
{
    size_t i;
    truce_buf_addf(b, " Verdict: %s", truce_verdict_name(as->verdict));
    if (as->verdict != TRUCE_V_VIOLATION) {
        truce_buf_addf(b, " (%s).", truce_reason_name(as->reason));
        return;
    }
    if (as->side)
        truce_buf_addf(b, ", attributed to %s", as->side);
    else {
        truce_buf_adds(b, ", attributed to no single side (sides ");
        for (i = 0; i < as->n_sides; i++)
            truce_buf_addf(b, "%s%s", i ? ", " : "", as->sides[i]);
        truce_buf_adds(b, ")");
    }
    truce_buf_adds(b, as->n_guarantors > 1 ? "; guarantors " : "; guarantor ");
    for (i = 0; i < as->n_guarantors; i++)
        truce_buf_addf(b, "%s%s", i ? ", " : "", as->guarantors[i]);
    if (!as->n_guarantors)
        truce_buf_adds(b, "none named");
    truce_buf_adds(b, ".");
}

static void
resolve_fields(const struct truce_actors *actors, const struct truce_event *ev,
               struct resolved *rs)
{
    const char *texts[2] = {ev->actor1, ev->actor2};
    for (int k = 0; k < 2; k++) {
        struct field *f = &rs->f[k];
        f->text = texts[k];
        f->refs = rs->refs[k];
        f->n = truce__actors_resolve(actors, texts[k], rs->refs[k],
                                     TRUCE_MAX_FIELD_ACTORS);
    }
}

/* An event placed only at an area (DESIGN 3.2): the country's shape from
 * the store, else its box from the built-in table (made into *box, which
 * the caller frees); b becomes the area's bounds. An area truce does not
 * know leaves the event a point of unknown radius. */
static truce_status
resolve_area(struct truce_ctx *ctx, const struct truce_agreements *set,
             const struct truce_event *ev, struct resolved *rs, void **box,
             double b[4])
{
    const struct truce__country *c;
    const char *name = NULL, *of = NULL;
    bool admin;
    rs->area = NULL;
    rs->area_label[0] = '\0';
    if (!ev->area)
        return TRUCE_OK;
    admin = strncmp(ev->area, "admin1:", 7) == 0;
    c = admin ? NULL : truce__country_find(ev->area);
    if ((c || admin) && (rs->area = truce__agreements_area(
                             set, c, admin ? ev->area + 7 : NULL, &name, &of))) {
        if (of)
            snprintf(rs->area_label, sizeof(rs->area_label), "%s (its "
                     "feature '%s' of the boundaries '%s' in the store)",
                     ev->area + 7, name, of);
        else
            snprintf(rs->area_label, sizeof(rs->area_label), "%s (the "
                     "boundaries '%s' in the store)", c->name, name);
    } else if (c) {
        if (!(*box = truce__geo_box(ctx, c->box)))
            return truce__err(ctx, TRUCE_EGEOM, "cannot make the box of %s",
                              c->name);
        rs->area = *box;
        snprintf(rs->area_label, sizeof(rs->area_label), "%s (its box "
                 "%.2f, %.2f to %.2f, %.2f from truce's table of countries)",
                 c->name, c->box[0], c->box[1], c->box[2], c->box[3]);
    } else {
        return TRUCE_OK;
    }
    truce__geo_bounds(ctx, rs->area, b);
    return TRUCE_OK;
}

static void
event_box(const struct truce_event *ev, double b[4])
{
    double r = ev->radius_km;
    if (r < 0) {
        b[0] = -180;
        b[1] = -90;
        b[2] = 180;
        b[3] = 90;
        return;
    }
    {
        double dlat = r / 110.0 + 1e-9;
        /* a point far from the poles needs no cosine: 0 / x is 0 */
        double c = r == 0 && fabs(ev->lat) < 89 ? 1
                                                : cos(ev->lat * M_PI / 180);
        double dlon = c > 0.01 ? r / (111.0 * c) + 1e-9 : 360;
        b[0] = ev->lon - dlon;
        b[1] = ev->lat - dlat;
        b[2] = ev->lon + dlon;
        b[3] = ev->lat + dlat;
    }
}

static const char *
place_words(enum truce__placement p)
{
    return p == TRUCE_PLACE_WITHIN    ? "lies within"
           : p == TRUCE_PLACE_OUTSIDE ? "lies outside"
                                      : "straddles the edge of";
}

/* How assess_at finds the place: by the geometry, or by a raster of the
 * agreement's zones (the same answer); an area's place may be known. */
struct place_how {
    const struct truce__raster *raster;    /* NULL: the geometry */
    struct truce__disk *disk;              /* the event's, with a raster */
    const struct truce_zoneset *zoneset;   /* NULL: the agreement's */
    enum truce__placement area_place;      /* 0: not known yet */
};

static enum truce__placement
place_of(struct truce_ctx *ctx, const struct truce__agreement *a,
         const struct truce_event *ev, const struct resolved *rs,
         bool candidate, unsigned flags, const struct place_how *how)
{
    const struct truce_zoneset *z =
        how && how->zoneset ? how->zoneset : a->zoneset;
    if (flags & TRUCE_ASSESS_IGNORE_PLACE)
        return TRUCE_PLACE_WITHIN;
    if (!candidate)
        return TRUCE_PLACE_OUTSIDE;
    if (rs->area)
        return how && how->area_place
                   ? how->area_place
                   : truce__zoneset_place_area(ctx, z, rs->area);
    if (how && how->raster)
        return truce__raster_place(ctx, how->raster, z, how->disk);
    return truce__zoneset_place(ctx, z, ev->lon, ev->lat, ev->radius_km);
}

/* The verdict of ev under a, its times t0, t1 in UTC under a's zone
 * (truce__event_utc). */
static void
assess_at(struct truce_ctx *ctx, const struct truce__agreement *a,
          const struct truce_actors *actors, const struct truce_event *ev,
          struct resolved *rs, bool candidate, unsigned flags, int64_t t0,
          int64_t t1, const struct place_how *how,
          struct truce_assessment *as)
{
    struct truce_buf *b = &as->explanation;
    bool explain = !(flags & TRUCE_ASSESS_NO_EXPLAIN);
    enum rel tr;
    enum truce__placement pl;
    struct field *x = &rs->f[0], *y = &rs->f[1];
    reset(as);
    as->agreement_id = a->id;
    tr = time_relation(a, t0, t1);
    if (explain) {
        truce_buf_addf(b, "Event %s ", ev->id ? ev->id : "(no id)");
        describe_time(ev, a, b);
    }
    if (tr == REL_OUTSIDE && !(flags & TRUCE_ASSESS_IGNORE_TIME)) {
        decide(as, TRUCE_V_NOT_APPLICABLE, TRUCE_R_NOT_IN_FORCE);
        if (explain) {
            truce_buf_addf(b, " falls outside the time of '%s' (", a->name);
            describe_force(a, b);
            truce_buf_adds(b, ").");
            conclude(as, b);
        }
        return;
    }
    pl = place_of(ctx, a, ev, rs, candidate, flags, how);
    if (explain) {
        long z = pl == TRUCE_PLACE_WITHIN && !rs->area
                     ? truce__zoneset_which(ctx, a->zoneset, ev->lon, ev->lat)
                     : -1;
        if (rs->area)
            truce_buf_addf(b, "; its place is only %s, which %s the zones "
                           "of '%s' (", rs->area_label, place_words(pl),
                           a->name);
        else if (pl == TRUCE_PLACE_WITHIN)
            truce_buf_addf(b, " lies within '%s' of '%s' (",
                           z >= 0 ? a->zones[z].name : "the zones", a->name);
        else if (ev->radius_km < 0)
            truce_buf_addf(b, "; its place (%.4f, %.4f; radius unknown) %s "
                           "the zones of '%s' (", ev->lat, ev->lon,
                           place_words(pl), a->name);
        else
            truce_buf_addf(b, "; its place (%.4f, %.4f; radius %.0f km) %s "
                           "the zones of '%s' (", ev->lat, ev->lon,
                           ev->radius_km, place_words(pl), a->name);
        describe_force(a, b);
        truce_buf_adds(b, ").");
        if (tr == REL_STRADDLES)
            truce_buf_adds(b, " Its time straddles the agreement's in-force "
                           "period.");
        else if (tr == REL_OUTSIDE)
            truce_buf_adds(b, " It falls outside the in-force period, which "
                           "this count ignores.");
    }
    if (pl == TRUCE_PLACE_OUTSIDE) {
        decide(as, TRUCE_V_NOT_APPLICABLE, TRUCE_R_OUTSIDE_ZONE);
        if (explain)
            conclude(as, b);
        return;
    }
    if (!(a->prohibited & (1u << ev->category))) {
        decide(as, TRUCE_V_PERMITTED, TRUCE_R_ACTIVITY_PERMITTED);
        if (explain) {
            truce_buf_addf(b, " Category %s is not prohibited.",
                           truce_category_name(ev->category));
            conclude(as, b);
        }
        return;
    }
    if (explain)
        truce_buf_addf(b, " Category %s is prohibited.",
                       truce_category_name(ev->category));
    field_status(x, a, actors, t0);
    field_status(y, a, actors, t0);
    if (ev->directed)
        decide_directed(as, a, x, y);
    else
        decide_undirected(as, a, x, y);
    if (explain) {
        describe_field(b, ev->directed ? "Perpetrator" : "Actor 1", x, a,
                       actors, t0);
        describe_field(b, ev->directed ? "Target" : "Actor 2", y, a, actors,
                       t0);
    }
    if (flags & TRUCE_ASSESS_IGNORE_TIME)
        tr = REL_WITHIN; /* step 1 is skipped, so is its imprecision */
    if (as->verdict == TRUCE_V_VIOLATION &&
        (tr == REL_STRADDLES || pl == TRUCE_PLACE_STRADDLES)) {
        bool time_first = tr == REL_STRADDLES;
        as->verdict = TRUCE_V_UNDETERMINED;
        as->reason = time_first ? TRUCE_R_TIME_IMPRECISE
                                : TRUCE_R_LOCATION_IMPRECISE;
        as->side = NULL;
        as->n_sides = 0;
        as->n_guarantors = 0;
        if (explain)
            truce_buf_addf(b, " It would be a breach, but its %s is too "
                           "imprecise to tell.",
                           time_first ? "time" : "place");
    }
    if (explain)
        conclude(as, b);
}

static void
assess(struct truce_ctx *ctx, const struct truce__agreement *a,
       const struct truce_actors *actors, const struct truce_event *ev,
       struct resolved *rs, bool candidate, unsigned flags,
       struct truce_assessment *as)
{
    int64_t t0, t1;
    truce__event_utc(ev, a->tz, &t0, &t1);
    assess_at(ctx, a, actors, ev, rs, candidate, flags, t0, t1, NULL, as);
}

truce_status
truce_assess_one(struct truce_ctx *ctx, const struct truce_agreements *set,
                 const struct truce_actors *actors,
                 const struct truce_event *ev, size_t i, unsigned flags,
                 struct truce_assessment *out)
{
    struct resolved rs;
    double b[4];
    size_t cand[64], nc;
    bool candidate = false;
    void *box = NULL;
    truce_status st;
    truce__clear(ctx);
    if (i >= truce_agreements_count(set))
        return truce__err(ctx, TRUCE_EINVAL, "no agreement %zu: the set has "
                          "%zu", i, truce_agreements_count(set));
    resolve_fields(actors, ev, &rs);
    event_box(ev, b);
    if ((st = resolve_area(ctx, set, ev, &rs, &box, b)))
        return st;
    nc = truce__agreements_candidates(set, ctx, b[0], b[1], b[2], b[3], cand,
                                      64);
    for (size_t k = 0; k < nc; k++)
        candidate |= cand[k] == i;
    if (truce_agreements_count(set) > 64)
        candidate = true;
    assess(ctx, truce__agreements_at(set, i), actors, ev, &rs, candidate,
           flags, out);
    truce__geo_free(ctx, box);
    out->agreement = i;
    return out->explanation.len || (flags & TRUCE_ASSESS_NO_EXPLAIN)
               ? TRUCE_OK
               : truce__err(ctx, TRUCE_ENOMEM, "out of memory");
}

truce_status
truce_assess_event(struct truce_ctx *ctx, const struct truce_agreements *set,
                   const struct truce_actors *actors,
                   const struct truce_event *ev, unsigned flags,
                   struct truce_assessment *out, enum truce_verdict *overall)
{
    struct resolved rs;
    size_t n = truce_agreements_count(set), *cand, nc, k = 0;
    double b[4];
    void *box = NULL;
    truce_status st;
    enum truce_verdict best = TRUCE_V_NOT_COVERED;
    truce__clear(ctx);
    cand = truce__calloc(n ? n : 1, sizeof(*cand));
    if (!cand)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    resolve_fields(actors, ev, &rs);
    event_box(ev, b);
    if ((st = resolve_area(ctx, set, ev, &rs, &box, b))) {
        truce__free(cand);
        return st;
    }
    nc = truce__agreements_candidates(set, ctx, b[0], b[1], b[2], b[3], cand,
                                      n);
    for (size_t i = 0; i < n; i++) {
        bool candidate = k < nc && cand[k] == i;
        if (candidate)
            k++;
        assess(ctx, truce__agreements_at(set, i), actors, ev, &rs, candidate,
               flags, &out[i]);
        out[i].agreement = i;
        if (!(flags & TRUCE_ASSESS_NO_EXPLAIN) && !out[i].explanation.len) {
            truce__free(cand);
            truce__geo_free(ctx, box);
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        }
        if (out[i].verdict > best && out[i].verdict != TRUCE_V_NOT_APPLICABLE)
            best = out[i].verdict;
    }
    truce__free(cand);
    truce__geo_free(ctx, box);
    *overall = best;
    return TRUCE_OK;
}

truce_status
truce_explain_stored(struct truce_ctx *ctx, const struct truce_agreements *set,
                     const struct truce_actors *actors,
                     const struct truce_event *ev, struct truce_assessment *as,
                     size_t n)
{
    struct truce_assessment fresh;
    truce_status st = TRUCE_OK;
    truce__clear(ctx);
    truce_assessment_init(&fresh);
    for (size_t i = 0; i < n && !st; i++) {
        long k = truce_agreements_find(set, as[i].agreement_id);
        truce_buf_reset(&as[i].explanation);
        if (k < 0) {
            st = truce_buf_addf(&as[i].explanation, "Agreement '%s' is no "
                                "longer loaded; the stored verdict stands "
                                "unexplained.", as[i].agreement_id);
            continue;
        }
        if ((st = truce_assess_one(ctx, set, actors, ev, (size_t)k, 0,
                                   &fresh))) {
            truce_assessment_release(&fresh);
            return st; /* with its message */
        }
        if (fresh.verdict != as[i].verdict || fresh.reason != as[i].reason ||
            (fresh.side == NULL) != (as[i].side == NULL) ||
            (fresh.side && strcmp(fresh.side, as[i].side)))
            st = truce_buf_addf(&as[i].explanation, "The stored verdict "
                                "predates the current agreements or actor "
                                "dictionary; run 'truce assess'. Under them "
                                "now: %s", fresh.explanation.buf);
        else
            st = truce_buf_add(&as[i].explanation, fresh.explanation.buf,
                               fresh.explanation.len);
    }
    truce_assessment_release(&fresh);
    return st ? truce__err(ctx, st, "out of memory") : TRUCE_OK;
}

/* ------------------------------------------------------------- bulk */

#define TZ_MEMO 4096  /* local times converted, per thread */
#define TZ_CLASSES 8  /* distinct zones whose times an event keeps */
#define AREA_MEMO 256 /* distinct areas kept, per thread */

struct truce__bulk {
    const struct truce_agreements *set;
    const struct truce_actors *actors;
    size_t n;
    bool indexed;                  /* the set has a bounds index */
    double (*bounds)[4];           /* each agreement's zones' bounds */
    size_t *tz_class;              /* each agreement's: the same for the
                                      same time zone (< TZ_CLASSES), or
                                      TZ_CLASSES for one of more */
    struct truce__raster **rasters; /* each agreement's, or NULL */
};

struct tz_slot {
    const struct truce_tz *tz;
    int64_t local, utc;
};

struct area_entry {
    char *name;           /* the event's area, as stored */
    const void *area;     /* its shape (borrowed, or box) */
    void *box;            /* made here, freed with the memo */
    double b[4];
    char label[200];
    bool *candidate;      /* per agreement */
    enum truce__placement *place; /* per agreement (when a candidate) */
};

struct truce__bulk_memo {
    size_t n;
    struct truce_zoneset **zones; /* this thread's copies, or NULL */
    struct tz_slot tz[TZ_MEMO];
    struct area_entry areas[AREA_MEMO];
    size_t n_areas;
};

static bool
boxes_meet(const double a[4], const double b[4])
{
    /* GEOS's envelopes, closed: what the bounds index answers */
    return !(a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1]);
}

truce_status
truce__bulk_new(struct truce_ctx *ctx, const struct truce_agreements *set,
                const struct truce_actors *actors, struct truce__bulk **out)
{
    struct truce__bulk *b = truce__calloc(1, sizeof(*b));
    size_t n = truce_agreements_count(set);
    truce_status st;
    *out = NULL;
    if (!b || !(b->bounds = truce__calloc(n ? n : 1, sizeof(*b->bounds))) ||
        !(b->tz_class = truce__calloc(n ? n : 1, sizeof(*b->tz_class))) ||
        !(b->rasters = truce__calloc(n ? n : 1, sizeof(*b->rasters)))) {
        truce__bulk_free(b);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    b->set = set;
    b->actors = actors;
    b->n = n;
    b->indexed = truce__agreements_indexed(set);
    for (size_t i = 0, classes = 0; i < n; i++) {
        const struct truce__agreement *a = truce__agreements_at(set, i);
        double c[2];
        b->tz_class[i] = TZ_CLASSES;
        for (size_t k = 0; k < i && a->timezone; k++) {
            const char *z = truce__agreements_at(set, k)->timezone;
            if (z && strcmp(z, a->timezone) == 0) {
                b->tz_class[i] = b->tz_class[k];
                break;
            }
        }
        if (b->tz_class[i] == TZ_CLASSES && classes < TZ_CLASSES)
            b->tz_class[i] = classes++;
        truce__zoneset_bounds(a->zoneset, b->bounds[i]);
        if ((st = truce__raster_new(ctx, a->zoneset, &b->rasters[i]))) {
            truce__bulk_free(b);
            return st;
        }
        /* a point test once, so that the prepared geometry has made what
         * it makes on first use before threads share it */
        c[0] = (b->bounds[i][0] + b->bounds[i][2]) / 2;
        c[1] = (b->bounds[i][1] + b->bounds[i][3]) / 2;
        truce__zoneset_place(ctx, a->zoneset, c[0], c[1], 0);
    }
    *out = b;
    return TRUCE_OK;
}

void
truce__bulk_free(struct truce__bulk *b)
{
    if (!b)
        return;
    for (size_t i = 0; b->rasters && i < b->n; i++)
        truce__raster_free(b->rasters[i]);
    truce__free(b->rasters);
    truce__free(b->bounds);
    truce__free(b->tz_class);
    truce__free(b);
}

void
truce__bulk_stats(const struct truce__bulk *b, size_t i,
                  struct truce__raster_stats *out)
{
    truce__raster_stats(i < b->n ? b->rasters[i] : NULL, out);
}

truce_status
truce__bulk_memo_new(struct truce_ctx *ctx, const struct truce__bulk *b,
                     bool own_geometry, struct truce__bulk_memo **out)
{
    struct truce__bulk_memo *m = truce__calloc(1, sizeof(*m));
    truce_status st;
    *out = NULL;
    if (!m || (own_geometry && !(m->zones = truce__calloc(
                                     b->n ? b->n : 1, sizeof(*m->zones))))) {
        truce__free(m);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    m->n = b->n;
    for (size_t i = 0; own_geometry && i < b->n; i++) {
        if ((st = truce__zoneset_clone(
                 ctx, truce__agreements_at(b->set, i)->zoneset,
                 &m->zones[i]))) {
            truce__bulk_memo_free(ctx, m);
            return st;
        }
    }
    *out = m;
    return TRUCE_OK;
}

void
truce__bulk_memo_free(struct truce_ctx *ctx, struct truce__bulk_memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_areas; i++) {
        truce__free(m->areas[i].name);
        truce__geo_free(ctx, m->areas[i].box);
        truce__free(m->areas[i].candidate);
        truce__free(m->areas[i].place);
    }
    for (size_t i = 0; m->zones && i < m->n; i++)
        truce__zoneset_free(ctx, m->zones[i]);
    truce__free(m->zones);
    truce__free(m);
}

/* The zones a thread tests places against: its own, or the set's. */
static const struct truce_zoneset *
zones_of(const struct truce__bulk *b, const struct truce__bulk_memo *m,
         size_t i)
{
    return m->zones ? m->zones[i] : truce__agreements_at(b->set, i)->zoneset;
}

static int64_t
utc_of(struct truce__bulk_memo *m, const struct truce_tz *tz, int64_t local)
{
    uint64_t h = (uint64_t)local * 0x9E3779B97F4A7C15ull ^
                 (uint64_t)(uintptr_t)tz;
    struct tz_slot *s = &m->tz[(h >> 20) % TZ_MEMO];
    if (s->tz != tz || s->local != local) {
        s->tz = tz;
        s->local = local;
        s->utc = truce_tz_to_utc(tz, local);
    }
    return s->utc;
}

/* truce__event_utc, remembering the conversions */
static void
event_utc_memo(struct truce__bulk_memo *m, const struct truce_event *ev,
               const struct truce_tz *tz, int64_t *t0, int64_t *t1)
{
    if (ev->time_kind == TRUCE_TIME_UTC || !tz) {
        *t0 = ev->t0;
        *t1 = ev->t1;
        return;
    }
    *t0 = utc_of(m, tz, ev->t0);
    *t1 = ev->t1 == ev->t0 ? *t0 : utc_of(m, tz, ev->t1);
}

static void
area_entry_free(struct truce_ctx *ctx, struct area_entry *e)
{
    truce__free(e->name);
    truce__geo_free(ctx, e->box);
    truce__free(e->candidate);
    truce__free(e->place);
    memset(e, 0, sizeof(*e));
}

/* The area of ev resolved, and its place under each agreement, as
 * truce_assess_event finds them; kept for the next event of that area. */
static truce_status
area_lookup(struct truce_ctx *ctx, const struct truce__bulk *b,
            struct truce__bulk_memo *m, const struct truce_event *ev,
            struct area_entry *scratch, struct area_entry **out)
{
    struct area_entry *e;
    struct resolved rs;
    truce_status st;
    for (size_t i = 0; i < m->n_areas; i++) {
        if (strcmp(m->areas[i].name, ev->area) == 0) {
            *out = &m->areas[i];
            return TRUCE_OK;
        }
    }
    e = m->n_areas < AREA_MEMO ? &m->areas[m->n_areas] : scratch;
    memset(e, 0, sizeof(*e));
    e->name = truce__strdup(ev->area);
    e->candidate = truce__calloc(b->n ? b->n : 1, sizeof(*e->candidate));
    e->place = truce__calloc(b->n ? b->n : 1, sizeof(*e->place));
    if (!e->name || !e->candidate || !e->place) {
        area_entry_free(ctx, e);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    event_box(ev, e->b);
    if ((st = resolve_area(ctx, b->set, ev, &rs, &e->box, e->b))) {
        area_entry_free(ctx, e);
        return st;
    }
    e->area = rs.area;
    memcpy(e->label, rs.area_label, sizeof(e->label));
    for (size_t i = 0; i < b->n; i++) {
        e->candidate[i] = !b->indexed || boxes_meet(e->b, b->bounds[i]);
        if (e->candidate[i] && e->area)
            e->place[i] = truce__zoneset_place_area(ctx, zones_of(b, m, i),
                                                    e->area);
    }
    if (e != scratch)
        m->n_areas++;
    *out = e;
    return TRUCE_OK;
}

truce_status
truce__bulk_assess(struct truce_ctx *ctx, const struct truce__bulk *b,
                   struct truce__bulk_memo *m, const struct truce_event *ev,
                   const struct truce__fields *f, unsigned flags,
                   struct truce_assessment *out, enum truce_verdict *overall)
{
    struct resolved rs;
    struct area_entry scratch, *area = NULL;
    struct truce__disk disk;
    double box[4];
    int64_t u0[TZ_CLASSES], u1[TZ_CLASSES]; /* UTC times by zone */
    bool made[TZ_CLASSES] = {false};
    truce_status st;
    enum truce_verdict best = TRUCE_V_NOT_COVERED;
    truce__clear(ctx);
    if (f) {
        const char *texts[2] = {ev->actor1, ev->actor2};
        for (int k = 0; k < 2; k++) {
            rs.f[k].text = texts[k];
            rs.f[k].refs = f->refs[k];
            rs.f[k].n = f->n[k];
        }
    } else {
        resolve_fields(b->actors, ev, &rs);
    }
    rs.area = NULL;
    rs.area_label[0] = '\0';
    if (ev->area) {
        if ((st = area_lookup(ctx, b, m, ev, &scratch, &area)))
            return st;
        if (!area->area) { /* an area truce does not know: a point */
            if (area == &scratch)
                area_entry_free(ctx, &scratch);
            area = NULL;
        }
    }
    if (area) {
        rs.area = area->area;
        if (!(flags & TRUCE_ASSESS_NO_EXPLAIN))
            memcpy(rs.area_label, area->label, sizeof(rs.area_label));
        memcpy(box, area->b, sizeof(box));
    } else {
        event_box(ev, box);
    }
    truce__geo_disk(ev->lon, ev->lat, ev->radius_km, &disk);
    for (size_t i = 0; i < b->n; i++) {
        const struct truce__agreement *a = truce__agreements_at(b->set, i);
        struct place_how how = {b->rasters[i], &disk, zones_of(b, m, i), 0};
        bool candidate = area ? area->candidate[i]
                              : !b->indexed || boxes_meet(box, b->bounds[i]);
        size_t k = b->tz_class[i];
        int64_t t0, t1;
        if (area)
            how.area_place = area->place[i];
        if (k < TZ_CLASSES && made[k]) { /* the zone of an earlier one */
            t0 = u0[k];
            t1 = u1[k];
        } else {
            event_utc_memo(m, ev, a->tz, &t0, &t1);
            if (k < TZ_CLASSES) {
                made[k] = true;
                u0[k] = t0;
                u1[k] = t1;
            }
        }
        assess_at(ctx, a, b->actors, ev, &rs, candidate, flags, t0, t1, &how,
                  &out[i]);
        out[i].agreement = i;
        if (!(flags & TRUCE_ASSESS_NO_EXPLAIN) && !out[i].explanation.len) {
            if (area == &scratch)
                area_entry_free(ctx, &scratch);
            return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        }
        if (out[i].verdict > best && out[i].verdict != TRUCE_V_NOT_APPLICABLE)
            best = out[i].verdict;
    }
    if (area == &scratch)
        area_entry_free(ctx, &scratch);
    *overall = best;
    return TRUCE_OK;
}
