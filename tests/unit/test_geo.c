/*
 * test_geo.c - geometry through the public API: agreements with inline
 * zones (truce_agreements_parse + prepare), their geodesic areas
 * (truce_agreements_info), repair of invalid rings, coordinate ranges, and
 * the place test of DESIGN section 5 step 2 via truce_assess_one.
 *
 * Expected areas were computed outside truce, with GeographicLib's
 * Planimeter (Debian package geographiclib-tools; WGS84, geodesic edges,
 * input "lat lon" per vertex), e.g.
 *     printf '0 0\n1 0\n1 1\n0 1\n' | Planimeter
 *     -> 4 443770.917248 -12308778361.5            (m, m^2)
 * and cross-checked with the exact area of an ellipsoidal graticule cell,
 *     A = dlambda * a^2/2 * (q(phi2) - q(phi1)),
 *     q(phi) = (1-e^2) * (sin phi/(1 - e^2 sin^2 phi)
 *              - 1/(2e) ln((1 - e sin phi)/(1 + e sin phi))),
 * (parallels as edges), which gives 12308.464 km2 at the equator and
 * 10066.275 km2 for 35-36N: both within 0.003% of Planimeter. (A simple
 * spherical zone with geodetic latitudes, R^2 dlambda (sin phi2 - sin
 * phi1), is 0.45% too large at the equator, so it is not used.)
 *
 *   cell lon 0..1, lat 0..1                         12308.778 km2
 *   cell lat 35..36 (any 1 degree of longitude)     10066.273 km2
 *   square lon/lat 10..12                           48357.252 km2
 *   square lon/lat 10.5..11.5                       12088.937 km2
 *   lon 0..1.5, lat 0..1 (vertices every 0.5 deg)   18462.814 km2
 *   triangle (0.5,0.5) (1,1) (1,0)  [lon,lat]        3077.194 km2
 *
 * Place distances use the local equirectangular approximation of DESIGN
 * section 3.2 on a sphere of radius 6371.0088 km (the IUGG mean radius):
 * dx = R cos(lat) dlon, dy = R dlat. It differs from the ellipsoid by well
 * under 1% at these latitudes, so radii 5% either side of the distance are
 * unambiguous.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <math.h>

#define R_EARTH_KM 6371.0088
#define DEG (M_PI / 180.0)

static const char actors_json[] =
    "{\"actors\": [{\"id\": \"gov\", \"name\": \"Government\","
    " \"kind\": \"state\"}]}";

struct warns {
    int n;
    char last[1024];
    char all[4096];
};

static void
on_warn(void *ud, const char *msg)
{
    struct warns *w = ud;
    w->n++;
    snprintf(w->last, sizeof(w->last), "%s", msg);
    strncat(w->all, msg, sizeof(w->all) - strlen(w->all) - 2);
    strncat(w->all, "\n", sizeof(w->all) - strlen(w->all) - 1);
}

struct model {
    struct truce_ctx *ctx;
    struct truce_actors *actors;
    struct truce_agreements *set;
    struct warns warns;
};

/* An agreement in UTC, in force from 2016-01-01, with side "government"
 * (member gov, guarantor russia) and the zones given as a JSON array
 * text. */
static char *
agreement_text(const char *id, const char *zones)
{
    struct truce_buf b;
    truce_buf_init(&b, 0);
    truce_buf_addf(&b,
                   "{\"id\": \"%s\", \"name\": \"Test %s\", \"kind\": "
                   "\"local\", \"timezone\": \"UTC\", \"in_force\": "
                   "[{\"from\": \"2016-01-01\", \"until\": null}], "
                   "\"zones\": %s, \"sides\": [{\"id\": \"government\", "
                   "\"guarantor\": \"russia\", \"members\": [\"gov\"]}]}",
                   id, id, zones);
    return truce_buf_detach(&b);
}

static void
model_init(struct model *m)
{
    memset(m, 0, sizeof(*m));
    ASSERT_OK(truce_ctx_new(&m->ctx));
    truce_ctx_set_warn(m->ctx, on_warn, &m->warns);
    if (truce_actors_parse(m->ctx, actors_json, sizeof(actors_json) - 1,
                           "actors.json", &m->actors))
        FAIL_AT("%s", truce_ctx_errmsg(m->ctx));
    ASSERT_OK(truce_agreements_new(m->ctx, &m->set));
}

static truce_status
model_add(struct model *m, const char *id, const char *zones, bool strict)
{
    char *text = agreement_text(id, zones);
    truce_status st = truce_agreements_parse(m->ctx, m->set, text,
                                             strlen(text), "test.json", NULL,
                                             strict);
    free(text);
    return st;
}

static void
model_add_ok(struct model *m, const char *id, const char *zones)
{
    if (model_add(m, id, zones, false) != TRUCE_OK)
        FAIL_AT("agreement %s: %s", id, truce_ctx_errmsg(m->ctx));
}

static void
model_free(struct model *m)
{
    truce_agreements_free(m->set);
    truce_actors_free(m->actors);
    truce_ctx_free(m->ctx);
}

static double
area_of(struct model *m, const char *id)
{
    struct truce_agreement_info info;
    long i = truce_agreements_find(m->set, id);
    if (i < 0)
        FAIL_AT("agreement %s not in the set", id);
    truce_agreements_info(m->set, (size_t)i, &info);
    return info.area_km2;
}

/* Within a relative tolerance (0.1%). */
#define ASSERT_AREA(got, want) ASSERT_NEAR((got), (want), (want) * 1e-3)

/* --------------------------------------------------------------- areas */

TEST(geo_area_one_degree_cells)
{
    struct model m;
    struct truce_agreement_info info;
    model_init(&m);
    model_add_ok(&m, "equator",
                 "[{\"name\": \"Equator cell\", \"geometry\": {\"type\": "
                 "\"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],[0,1],"
                 "[0,0]]]}}]");
    model_add_ok(&m, "syria",
                 "[{\"name\": \"35N cell\", \"geometry\": {\"type\": "
                 "\"Polygon\", \"coordinates\": [[[36,35],[37,35],[37,36],"
                 "[36,36],[36,35]]]}}]");
    /* The same cell with its ring clockwise: the same area. */
    model_add_ok(&m, "clockwise",
                 "[{\"name\": \"35N cell cw\", \"geometry\": {\"type\": "
                 "\"Polygon\", \"coordinates\": [[[36,35],[36,36],[37,36],"
                 "[37,35],[36,35]]]}}]");
    ASSERT_OK(truce_agreements_prepare(m.ctx, m.set, m.actors));
    ASSERT_EQ_INT(truce_agreements_count(m.set), 3);
    ASSERT_AREA(area_of(&m, "equator"), 12308.778);
    ASSERT_AREA(area_of(&m, "syria"), 10066.273);
    ASSERT_AREA(area_of(&m, "clockwise"), 10066.273);
    truce_agreements_info(m.set, 0, &info);
    ASSERT_EQ_STR(info.id, "equator");
    ASSERT_EQ_STR(info.timezone, "UTC");
    ASSERT_EQ_INT(info.n_zones, 1);
    ASSERT_EQ_INT(info.n_intervals, 1);
    ASSERT_EQ_INT(info.n_sides, 1);
    /* 2016-01-01 00:00 UTC = day 16801 (Python's datetime). */
    ASSERT_EQ_INT(info.first_in_force, 16801LL * 86400);
    ASSERT_EQ_INT(m.warns.n, 0);
    model_free(&m);
}

TEST(geo_area_polygon_with_hole)
{
    struct model m;
    model_init(&m);
    model_add_ok(&m, "holed",
                 "[{\"name\": \"Ring\", \"geometry\": {\"type\": \"Polygon\","
                 " \"coordinates\": [[[10,10],[12,10],[12,12],[10,12],"
                 "[10,10]], [[10.5,10.5],[10.5,11.5],[11.5,11.5],"
                 "[11.5,10.5],[10.5,10.5]]]}}]");
    ASSERT_OK(truce_agreements_prepare(m.ctx, m.set, m.actors));
    /* 48357.252 - 12088.937 */
    ASSERT_AREA(area_of(&m, "holed"), 36268.315);
    model_free(&m);
}

TEST(geo_area_multipolygon_and_union)
{
    struct model m;
    model_init(&m);
    model_add_ok(&m, "multi",
                 "[{\"name\": \"Two cells\", \"geometry\": {\"type\": "
                 "\"MultiPolygon\", \"coordinates\": [[[[0,0],[1,0],[1,1],"
                 "[0,1],[0,0]]], [[[36,35],[37,35],[37,36],[36,36],"
                 "[36,35]]]]}}]");
    /* Two zones that overlap by half: the area of their union. */
    model_add_ok(&m, "overlap",
                 "[{\"name\": \"West\", \"geometry\": {\"type\": \"Polygon\","
                 " \"coordinates\": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},"
                 " {\"name\": \"East\", \"geometry\": {\"type\": \"Polygon\","
                 " \"coordinates\": [[[0.5,0],[1.5,0],[1.5,1],[0.5,1],"
                 "[0.5,0]]]}}]");
    ASSERT_OK(truce_agreements_prepare(m.ctx, m.set, m.actors));
    /* 12308.778 + 10066.273 */
    ASSERT_AREA(area_of(&m, "multi"), 22375.051);
    ASSERT_AREA(area_of(&m, "overlap"), 18462.814);
    model_free(&m);
}

static const char bowtie[] =
    "[{\"name\": \"Bowtie zone\", \"geometry\": {\"type\": \"Polygon\","
    " \"coordinates\": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]";

TEST(geo_bowtie_repaired_with_warning)
{
    struct model m;
    model_init(&m);
    model_add_ok(&m, "tie", bowtie);
    ASSERT_EQ_INT(m.warns.n, 1);
    ASSERT(strstr(m.warns.last, "Bowtie zone") != NULL);
    ASSERT(strstr(m.warns.last, "tie") != NULL);
    ASSERT_OK(truce_agreements_prepare(m.ctx, m.set, m.actors));
    ASSERT_EQ_INT(m.warns.n, 1); /* gov is in the dictionary */
    /* Repaired into its two triangles, 2 x 3077.194 km2. */
    ASSERT_AREA(area_of(&m, "tie"), 6154.388);
    model_free(&m);
}

TEST(geo_bowtie_refused_when_strict)
{
    struct model m;
    model_init(&m);
    ASSERT_EQ_INT(model_add(&m, "tie", bowtie, true), TRUCE_EGEOM);
    ASSERT(strstr(truce_ctx_errmsg(m.ctx), "Bowtie zone") != NULL);
    ASSERT_EQ_INT(truce_agreements_count(m.set), 0);
    ASSERT_EQ_INT(m.warns.n, 0);
    model_free(&m);
}

TEST(geo_coordinates_out_of_range)
{
    static const char *const zones[] = {
        "[{\"name\": \"East of 180\", \"geometry\": {\"type\": \"Polygon\","
        " \"coordinates\": [[[179,0],[181,0],[181,1],[179,1],[179,0]]]}}]",
        "[{\"name\": \"South of -90\", \"geometry\": {\"type\": \"Polygon\","
        " \"coordinates\": [[[0,-89],[1,-89],[1,-91],[0,-91],[0,-89]]]}}]",
        "[{\"name\": \"Swapped\", \"geometry\": {\"type\": \"Polygon\","
        " \"coordinates\": [[[36,120],[37,120],[37,121],[36,121],"
        "[36,120]]]}}]"};
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        struct model m;
        truce_status st;
        model_init(&m);
        st = model_add(&m, "far", zones[i], false);
        if (st != TRUCE_EGEOM)
            FAIL_AT("zones[%zu]: parse returned %s, expected %s", i,
                    truce_strerror(st), truce_strerror(TRUCE_EGEOM));
        ASSERT_EQ_INT(truce_agreements_count(m.set), 0);
        model_free(&m);
    }
}

TEST(geo_not_polygonal_refused)
{
    struct model m;
    model_init(&m);
    ASSERT(model_add(&m, "pt",
                     "[{\"name\": \"A point\", \"geometry\": {\"type\": "
                     "\"Point\", \"coordinates\": [37, 36]}}]",
                     false) != TRUCE_OK);
    ASSERT(strstr(truce_ctx_errmsg(m.ctx), "A point") != NULL);
    ASSERT_EQ_INT(truce_agreements_count(m.set), 0);
    model_free(&m);
}

/* --------------------------------------------------------- place test */

/* Box: lon 37..38, lat 36..36.5. */
static const char box[] =
    "[{\"name\": \"Box\", \"geometry\": {\"type\": \"Polygon\","
    " \"coordinates\": [[[37,36],[38,36],[38,36.5],[37,36.5],[37,36]]]}}]";

/* Two halves of the same box sharing the edge at lon 37.5. */
static const char halves[] =
    "[{\"name\": \"West half\", \"geometry\": {\"type\": \"Polygon\","
    " \"coordinates\": [[[37,36],[37.5,36],[37.5,36.5],[37,36.5],"
    "[37,36]]]}},"
    " {\"name\": \"East half\", \"geometry\": {\"type\": \"Polygon\","
    " \"coordinates\": [[[37.5,36],[38,36],[38,36.5],[37.5,36.5],"
    "[37.5,36]]]}}]";

/* Assesses a battle by gov (undirected, no second actor) on 2016-06-01
 * 12:00Z at (lon, lat) with radius r under agreement id. The actors and
 * time make it a breach, so the verdict shows the place: within ->
 * violation, straddles -> undetermined (location_imprecise), outside ->
 * not_applicable (outside_zone). */
static void
assess_at(struct model *m, const char *id, double lon, double lat, double r,
          struct truce_assessment *as)
{
    struct truce_event ev;
    long i = truce_agreements_find(m->set, id);
    ASSERT(i >= 0);
    truce_event_init(&ev);
    ev.id = strdup("test:1");
    ev.time_kind = TRUCE_TIME_UTC;
    ev.t0 = ev.t1 = (16801LL + 152) * 86400 + 12 * 3600; /* 2016-06-01 */
    ev.lon = lon;
    ev.lat = lat;
    ev.radius_km = r;
    ev.category = TRUCE_CAT_BATTLE;
    ev.directed = false;
    ev.actor1 = strdup("gov");
    truce_assessment_init(as);
    if (truce_assess_one(m->ctx, m->set, m->actors, &ev, (size_t)i, 0, as))
        FAIL_AT("assess: %s", truce_ctx_errmsg(m->ctx));
    truce_event_release(&ev);
}

static void
expect_place(struct model *m, const char *id, double lon, double lat,
             double r, enum truce_verdict v, enum truce_reason reason)
{
    struct truce_assessment as;
    assess_at(m, id, lon, lat, r, &as);
    if (as.verdict != v || as.reason != reason)
        FAIL_AT("(%.4f, %.4f) r=%.3f km under %s: %s/%s, expected %s/%s\n"
                "  %s", lon, lat, r, id, truce_verdict_name(as.verdict),
                truce_reason_name(as.reason), truce_verdict_name(v),
                truce_reason_name(reason), as.explanation.buf);
    truce_assessment_release(&as);
}

#define WITHIN TRUCE_V_VIOLATION, TRUCE_R_BREACH
#define STRADDLES TRUCE_V_UNDETERMINED, TRUCE_R_LOCATION_IMPRECISE
#define OUTSIDE TRUCE_V_NOT_APPLICABLE, TRUCE_R_OUTSIDE_ZONE

static double
km_dlat(double dlat_deg)
{
    return R_EARTH_KM * dlat_deg * DEG;
}

static double
km_dlon(double dlon_deg, double lat_deg)
{
    return R_EARTH_KM * cos(lat_deg * DEG) * dlon_deg * DEG;
}

static struct model *
box_model(void)
{
    static struct model m;
    model_init(&m);
    model_add_ok(&m, "box", box);
    model_add_ok(&m, "halves", halves);
    ASSERT_OK(truce_agreements_prepare(m.ctx, m.set, m.actors));
    ASSERT_EQ_INT(m.warns.n, 0);
    return &m;
}

TEST(geo_place_inside_radius_zero)
{
    struct model *m = box_model();
    struct truce_assessment as;
    expect_place(m, "box", 37.5, 36.25, 0, WITHIN);
    expect_place(m, "box", 37.5, 36.1, 0, WITHIN);
    /* The verdict that a place within gives, in full. */
    assess_at(m, "box", 37.5, 36.25, 0, &as);
    ASSERT_EQ_STR(as.side, "government");
    ASSERT_EQ_INT(as.n_guarantors, 1);
    ASSERT_EQ_STR(as.guarantors[0], "russia");
    ASSERT(strstr(as.explanation.buf, "'Box'") != NULL);
    truce_assessment_release(&as);
    model_free(m);
}

/* Nearest edge is the southern one (0.1 degree of latitude). */
TEST(geo_place_radius_around_lat_edge)
{
    struct model *m = box_model();
    double d = km_dlat(0.1); /* 11.12 km; the other edges are >= 29 km */
    ASSERT(km_dlon(0.5, 36.1) > 1.5 * d && km_dlat(0.4) > 1.5 * d);
    expect_place(m, "box", 37.5, 36.1, 0.95 * d, WITHIN);
    expect_place(m, "box", 37.5, 36.1, 1.05 * d, STRADDLES);
    model_free(m);
}

/* Nearest edge is the western one (0.1 degree of longitude at 36.25N). */
TEST(geo_place_radius_around_lon_edge)
{
    struct model *m = box_model();
    double d = km_dlon(0.1, 36.25); /* 8.97 km; the others >= 27 km */
    ASSERT(km_dlat(0.25) > 1.5 * d);
    expect_place(m, "box", 37.1, 36.25, 0.95 * d, WITHIN);
    expect_place(m, "box", 37.1, 36.25, 1.05 * d, STRADDLES);
    model_free(m);
}

/* A point outside, 0.2 degree of longitude east of the box. */
TEST(geo_place_outside_near_edge)
{
    struct model *m = box_model();
    double d = km_dlon(0.2, 36.25); /* 17.93 km */
    expect_place(m, "box", 38.2, 36.25, 0, OUTSIDE);
    expect_place(m, "box", 38.2, 36.25, 0.95 * d, OUTSIDE);
    expect_place(m, "box", 38.2, 36.25, 1.05 * d, STRADDLES);
    model_free(m);
}

TEST(geo_place_unknown_radius_and_far_away)
{
    struct model *m = box_model();
    /* An unknown radius always straddles, inside or far away. */
    expect_place(m, "box", 37.5, 36.25, -1, STRADDLES);
    expect_place(m, "box", 40.0, 30.0, -1, STRADDLES);
    /* Far away with a known radius: outside. */
    expect_place(m, "box", 40.0, 30.0, 0, OUTSIDE);
    expect_place(m, "box", 40.0, 30.0, 50, OUTSIDE);
    expect_place(m, "box", -70.0, -30.0, 100, OUTSIDE);
    model_free(m);
}

/* The place test is against the union of the zones: a circle over the
 * inner edge shared by two zones lies within. */
TEST(geo_place_union_of_zones)
{
    struct model *m = box_model();
    double d = km_dlon(0.5, 36.25); /* to the outer west/east edges */
    expect_place(m, "halves", 37.5, 36.25, 5, WITHIN);
    expect_place(m, "halves", 37.5, 36.25, 0, WITHIN);
    expect_place(m, "halves", 37.6, 36.25, 0, WITHIN);
    ASSERT(d > 20);
    expect_place(m, "halves", 37.5, 36.25, 20, WITHIN);
    /* 0.25 degree of latitude to the north and south edges: 27.8 km. */
    expect_place(m, "halves", 37.5, 36.25, 1.05 * km_dlat(0.25), STRADDLES);
    model_free(m);
}
