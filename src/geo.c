/*
 * geo.c - geometry: zones read from GeoJSON, repaired, unioned and
 * prepared once; the place test of a point with an uncertainty radius;
 * geodesic areas on the WGS84 ellipsoid (PROJ); a spatial index over zone
 * bounds. The only file that includes geos_c.h.
 */
#include "truce_int.h"

#include <math.h>
#include <stdio.h>

#include <geodesic.h>
#include <geos_c.h>
#include <jansson.h>

#define CIRCLE_SEGMENTS 64

struct truce_zoneset {
    GEOSGeometry *uni;                 /* the union of the zones */
    const GEOSPreparedGeometry *prep;  /* prepared union */
    GEOSGeometry **zones;              /* the zones as given */
    const GEOSPreparedGeometry **zprep;
    size_t n;
    double bounds[4];                  /* west, south, east, north */
};

static GEOSContextHandle_t
H(struct truce_ctx *ctx)
{
    return (GEOSContextHandle_t)truce__ctx_geos(ctx);
}

/* ------------------------------------------------------------ reading */

static bool
polygonal(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(h, g);
    return t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
}

static bool
in_range(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    double x0, y0, x1, y1;
    if (GEOSisEmpty_r(h, g))
        return false;
    if (!GEOSGeom_getXMin_r(h, g, &x0) || !GEOSGeom_getYMin_r(h, g, &y0) ||
        !GEOSGeom_getXMax_r(h, g, &x1) || !GEOSGeom_getYMax_r(h, g, &y1))
        return false;
    return x0 >= -180 && x1 <= 180 && y0 >= -90 && y1 <= 90;
}

/* Keeps the polygonal part of a repaired geometry. */
static GEOSGeometry *
polygonal_part(GEOSContextHandle_t h, GEOSGeometry *g)
{
    GEOSGeometry **parts, *out;
    int n, k = 0;
    if (polygonal(h, g) || GEOSGeomTypeId_r(h, g) != GEOS_GEOMETRYCOLLECTION)
        return g;
    n = GEOSGetNumGeometries_r(h, g);
    parts = truce__calloc((size_t)n, sizeof(*parts));
    if (!parts)
        return g;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        if (polygonal(h, p))
            parts[k++] = GEOSGeom_clone_r(h, p);
    }
    out = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
                                      (unsigned)k);
    truce__free(parts);
    GEOSGeom_destroy_r(h, g);
    if (!out)
        return NULL;
    g = GEOSUnaryUnion_r(h, out);
    GEOSGeom_destroy_r(h, out);
    return g;
}

/* Checks the shape of a Polygon's coordinates before GEOS reads them (its
 * GeoJSON reader crashes on an empty position, found by fuzz_agreement). */
static bool
polygon_coords_ok(json_t *poly)
{
    size_t i, k;
    json_t *ring, *pos;
    if (!json_is_array(poly) || json_array_size(poly) == 0)
        return false;
    json_array_foreach(poly, i, ring) {
        if (!json_is_array(ring) || json_array_size(ring) < 4)
            return false;
        json_array_foreach(ring, k, pos) {
            if (!json_is_array(pos) || json_array_size(pos) < 2 ||
                !json_is_number(json_array_get(pos, 0)) ||
                !json_is_number(json_array_get(pos, 1)))
                return false;
        }
    }
    return true;
}

static bool
coords_ok(const json_t *geom)
{
    const char *t = json_string_value(json_object_get(geom, "type"));
    json_t *c = json_object_get(geom, "coordinates"), *p;
    size_t i;
    if (t && !strcmp(t, "Polygon"))
        return polygon_coords_ok(c);
    if (!t || strcmp(t, "MultiPolygon") || !json_is_array(c) ||
        json_array_size(c) == 0)
        return false;
    json_array_foreach(c, i, p) {
        if (!polygon_coords_ok(p))
            return false;
    }
    return true;
}

truce_status
truce__geo_from_geojson(struct truce_ctx *ctx, const void *json,
                        const char *what, bool strict, void **out)
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeoJSONReader *rd;
    GEOSGeometry *g;
    char *text;
    if (!coords_ok(json))
        return truce__err(ctx, TRUCE_EGEOM, "%s: geometry must be a Polygon "
                          "or MultiPolygon of closed rings of at least four "
                          "[longitude, latitude] positions", what);
    text = json_dumps((const json_t *)json, JSON_COMPACT);
    if (!text)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    rd = GEOSGeoJSONReader_create_r(h);
    g = rd ? GEOSGeoJSONReader_readGeometry_r(h, rd, text) : NULL;
    if (rd)
        GEOSGeoJSONReader_destroy_r(h, rd);
    free(text);
    if (!g)
        return truce__err(ctx, TRUCE_EGEOM, "%s: unreadable geometry (%s)",
                          what, truce__ctx_geos_msg(ctx));
    if (!polygonal(h, g)) {
        GEOSGeom_destroy_r(h, g);
        return truce__err(ctx, TRUCE_EGEOM, "%s: geometry must be a Polygon "
                          "or MultiPolygon", what);
    }
    if (!in_range(h, g)) {
        GEOSGeom_destroy_r(h, g);
        return truce__err(ctx, TRUCE_EGEOM, "%s: empty geometry or "
                          "coordinates outside longitude -180..180, "
                          "latitude -90..90", what);
    }
    if (GEOSisValid_r(h, g) != 1) {
        char *why = GEOSisValidReason_r(h, g);
        GEOSGeometry *fixed;
        if (strict) {
            truce__err(ctx, TRUCE_EGEOM, "%s: invalid geometry: %s", what,
                       why ? why : "?");
            GEOSFree_r(h, why);
            GEOSGeom_destroy_r(h, g);
            return TRUCE_EGEOM;
        }
        truce__warn(ctx, "%s: invalid geometry (%s), repaired with "
                    "MakeValid", what, why ? why : "?");
        GEOSFree_r(h, why);
        fixed = GEOSMakeValid_r(h, g);
        GEOSGeom_destroy_r(h, g);
        fixed = fixed ? polygonal_part(h, fixed) : NULL;
        if (!fixed || GEOSisEmpty_r(h, fixed)) {
            if (fixed)
                GEOSGeom_destroy_r(h, fixed);
            return truce__err(ctx, TRUCE_EGEOM, "%s: geometry could not be "
                              "repaired", what);
        }
        g = fixed;
    }
    *out = g;
    return TRUCE_OK;
}

void
truce__geo_free(struct truce_ctx *ctx, void *g)
{
    if (g)
        GEOSGeom_destroy_r(H(ctx), g);
}

char *
truce__geo_to_geojson(struct truce_ctx *ctx, const void *g)
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeoJSONWriter *w = GEOSGeoJSONWriter_create_r(h);
    char *s, *copy;
    if (!w)
        return NULL;
    s = GEOSGeoJSONWriter_writeGeometry_r(h, w, g, -1);
    GEOSGeoJSONWriter_destroy_r(h, w);
    if (!s)
        return NULL;
    copy = truce__strdup(s);
    GEOSFree_r(h, s);
    return copy;
}

/* ------------------------------------------------------------- area */

/* The longest edge, in degrees, that the area takes as a geodesic. GeoJSON
 * edges are straight in longitude and latitude (RFC 7946), geod's are
 * geodesics: longer edges are cut so the two agree (a box from -180 to
 * 180 would otherwise have no area at all). */
#define EDGE_DEG 0.5

static double
ring_area(GEOSContextHandle_t h, const GEOSGeometry *ring,
          const struct geod_geodesic *gd)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    double *lat = NULL, *lon = NULL, area = 0, perim = 0;
    size_t k = 0, cap;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 4)
        return 0;
    cap = n;
    for (unsigned i = 0; i + 1 < n; i++) {
        double x0, y0, x1, y1;
        GEOSCoordSeq_getXY_r(h, cs, i, &x0, &y0);
        GEOSCoordSeq_getXY_r(h, cs, i + 1, &x1, &y1);
        cap += (size_t)(fmax(fabs(x1 - x0), fabs(y1 - y0)) / EDGE_DEG);
    }
    lat = truce__malloc(cap * sizeof(*lat));
    lon = truce__malloc(cap * sizeof(*lon));
    /* The closing vertex repeats the first: geod wants it once. */
    for (unsigned i = 0; lat && lon && i + 1 < n; i++) {
        double x0, y0, x1, y1;
        size_t steps;
        GEOSCoordSeq_getXY_r(h, cs, i, &x0, &y0);
        GEOSCoordSeq_getXY_r(h, cs, i + 1, &x1, &y1);
        steps = 1 + (size_t)(fmax(fabs(x1 - x0), fabs(y1 - y0)) / EDGE_DEG);
        for (size_t j = 0; j < steps && k < cap; j++) {
            double t = (double)j / (double)steps;
            lon[k] = x0 + (x1 - x0) * t;
            lat[k++] = y0 + (y1 - y0) * t;
        }
    }
    if (lat && lon)
        geod_polygonarea(gd, lat, lon, (int)k, &area, &perim);
    truce__free(lat);
    truce__free(lon);
    return fabs(area);
}

static double polygons_area(GEOSContextHandle_t h, const GEOSGeometry *g);
static void geom_bounds(GEOSContextHandle_t h, const GEOSGeometry *g,
                        double b[4]);

double
truce__geo_area_km2(struct truce_ctx *ctx, const void *geom)
{
    GEOSContextHandle_t h = H(ctx);
    double b[4], total = 0;
    geom_bounds(h, geom, b);
    if (b[2] - b[0] <= 180)
        return polygons_area(h, geom) / 1e6;
    /* A ring around half the world or more is ambiguous as geodesics (one
     * from -180 to 180 is no ring at all): measure it in strips of 90
     * degrees of longitude. */
    for (double w = -180; w < 180; w += 90) {
        GEOSGeometry *box = GEOSGeom_createRectangle_r(h, w, -90, w + 90, 90);
        GEOSGeometry *part = box ? GEOSIntersection_r(h, geom, box) : NULL;
        if (part)
            total += polygons_area(h, part);
        if (part)
            GEOSGeom_destroy_r(h, part);
        if (box)
            GEOSGeom_destroy_r(h, box);
    }
    return total / 1e6;
}

/* The geodesic area in m2 of the polygons of g. */
static double
polygons_area(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    struct geod_geodesic gd;
    double total = 0;
    int np;
    geod_init(&gd, 6378137.0, 1 / 298.257223563);
    np = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < np; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        int nh;
        if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON)
            continue;
        total += ring_area(h, GEOSGetExteriorRing_r(h, p), &gd);
        nh = GEOSGetNumInteriorRings_r(h, p);
        for (int k = 0; k < nh; k++)
            total -= ring_area(h, GEOSGetInteriorRingN_r(h, p, k), &gd);
    }
    return total;
}

/* ---------------------------------------------------------- zonesets */

static void
geom_bounds(GEOSContextHandle_t h, const GEOSGeometry *g, double b[4])
{
    GEOSGeom_getXMin_r(h, g, &b[0]);
    GEOSGeom_getYMin_r(h, g, &b[1]);
    GEOSGeom_getXMax_r(h, g, &b[2]);
    GEOSGeom_getYMax_r(h, g, &b[3]);
}

truce_status
truce__zoneset_new(struct truce_ctx *ctx, void **geoms, size_t n,
                   struct truce_zoneset **out)
{
    GEOSContextHandle_t h = H(ctx);
    struct truce_zoneset *z = truce__calloc(1, sizeof(*z));
    GEOSGeometry **clones = NULL, *coll = NULL;
    if (!z)
        goto out_nomem;
    z->zones = truce__calloc(n, sizeof(*z->zones));
    z->zprep = truce__calloc(n, sizeof(*z->zprep));
    clones = truce__calloc(n, sizeof(*clones));
    if (!z->zones || !z->zprep || !clones)
        goto out_nomem;
    for (size_t i = 0; i < n; i++) {
        z->zones[i] = geoms[i];
        geoms[i] = NULL;
        z->n = i + 1;
        clones[i] = GEOSGeom_clone_r(h, z->zones[i]);
        z->zprep[i] = GEOSPrepare_r(h, z->zones[i]);
        if (!clones[i] || !z->zprep[i])
            goto out_geom;
    }
    coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, clones,
                                       (unsigned)n);
    truce__free(clones);
    clones = NULL;
    if (!coll)
        goto out_geom;
    z->uni = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    if (!z->uni || !(z->prep = GEOSPrepare_r(h, z->uni)))
        goto out_geom;
    geom_bounds(h, z->uni, z->bounds);
    *out = z;
    return TRUCE_OK;
out_geom:
    truce__free(clones);
    truce__zoneset_free(ctx, z);
    return truce__err(ctx, TRUCE_EGEOM, "cannot union zones: %s",
                      truce__ctx_geos_msg(ctx));
out_nomem:
    truce__free(clones);
    truce__zoneset_free(ctx, z);
    return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
}

truce_status
truce__zoneset_clone(struct truce_ctx *ctx, const struct truce_zoneset *z,
                     struct truce_zoneset **out)
{
    GEOSContextHandle_t h = H(ctx);
    void **copies = truce__calloc(z->n ? z->n : 1, sizeof(*copies));
    truce_status st;
    *out = NULL;
    if (!copies)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    for (size_t i = 0; i < z->n; i++) {
        if (!(copies[i] = GEOSGeom_clone_r(h, z->zones[i]))) {
            st = truce__err(ctx, TRUCE_EGEOM, "cannot copy a zone: %s",
                            truce__ctx_geos_msg(ctx));
            goto out;
        }
    }
    st = truce__zoneset_new(ctx, copies, z->n, out);
out:
    for (size_t i = 0; i < z->n; i++) {
        if (copies[i])
            GEOSGeom_destroy_r(h, copies[i]);
    }
    truce__free(copies);
    return st;
}

void
truce__zoneset_free(struct truce_ctx *ctx, struct truce_zoneset *z)
{
    GEOSContextHandle_t h;
    if (!z)
        return;
    h = H(ctx);
    for (size_t i = 0; i < z->n; i++) {
        if (z->zprep && z->zprep[i])
            GEOSPreparedGeom_destroy_r(h, z->zprep[i]);
        if (z->zones[i])
            GEOSGeom_destroy_r(h, z->zones[i]);
    }
    if (z->prep)
        GEOSPreparedGeom_destroy_r(h, z->prep);
    if (z->uni)
        GEOSGeom_destroy_r(h, z->uni);
    truce__free(z->zones);
    truce__free(z->zprep);
    truce__free(z);
}

const void *
truce__zoneset_geom(const struct truce_zoneset *z)
{
    return z->uni;
}

void
truce__zoneset_bounds(const struct truce_zoneset *z, double b[4])
{
    memcpy(b, z->bounds, sizeof(z->bounds));
}

/* Metres per degree of latitude and longitude at latitude phi (degrees):
 * the local equirectangular approximation of DESIGN section 3.2. */
static void
metres_per_degree(double phi, double *mlat, double *mlon)
{
    double r = phi * M_PI / 180;
    *mlat = 111132.954 - 559.822 * cos(2 * r) + 1.175 * cos(4 * r);
    *mlon = 111412.84 * cos(r) - 93.5 * cos(3 * r);
    if (*mlon < 1000)
        *mlon = 1000;
}

/* A polygon circumscribing the circle of radius r_km around the point, so
 * that "contains the polygon" implies "contains the circle" and "misses the
 * polygon" implies "misses the circle". */
static GEOSGeometry *
circle(GEOSContextHandle_t h, double lon, double lat, double r_km)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, CIRCLE_SEGMENTS + 1, 2);
    GEOSGeometry *ring;
    double mlat, mlon, rr = r_km * 1000 / cos(M_PI / CIRCLE_SEGMENTS);
    if (!cs)
        return NULL;
    metres_per_degree(lat, &mlat, &mlon);
    for (unsigned i = 0; i <= CIRCLE_SEGMENTS; i++) {
        double a = 2 * M_PI * (i % CIRCLE_SEGMENTS) / CIRCLE_SEGMENTS;
        GEOSCoordSeq_setXY_r(h, cs, i, lon + rr * cos(a) / mlon,
                             lat + rr * sin(a) / mlat);
    }
    ring = GEOSGeom_createLinearRing_r(h, cs);
    return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

static bool
box_disjoint(const double a[4], const double b[4])
{
    return a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1];
}

void
truce__geo_disk(double lon, double lat, double r_km, struct truce__disk *d)
{
    d->lon = lon;
    d->lat = lat;
    d->r_km = r_km;
    d->reach = false;
}

void
truce__geo_disk_reach(struct truce__disk *d)
{
    double rr = d->r_km * 1000 / cos(M_PI / CIRCLE_SEGMENTS);
    if (d->reach)
        return;
    metres_per_degree(d->lat, &d->mlat, &d->mlon);
    /* each vertex is lon + rr * cos(a) / mlon (and so for lat), |cos| <= 1:
     * a relative and an absolute margin cover the roundings */
    d->dlon = rr / d->mlon * (1 + 1e-9) + 1e-9;
    d->dlat = rr / d->mlat * (1 + 1e-9) + 1e-9;
    d->reach = true;
}

void
truce__geo_inner_point(const struct truce__disk *d, double c, double s,
                       double *x, double *y)
{
    double r = d->r_km * 1000 * 0.99;
    *x = d->lon + r * c / d->mlon;
    *y = d->lat + r * s / d->mlat;
}

enum truce__cell_class
truce__zoneset_rect_class(struct truce_ctx *ctx, const struct truce_zoneset *z,
                          const double b[4])
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeometry *g;
    enum truce__cell_class c = TRUCE_CELL_EDGE;
    if (box_disjoint(b, z->bounds))
        return TRUCE_CELL_OUT;
    if (!(g = GEOSGeom_createRectangle_r(h, b[0], b[1], b[2], b[3])))
        return TRUCE_CELL_EDGE;
    if (GEOSPreparedIntersects_r(h, z->prep, g) == 0)
        c = TRUCE_CELL_OUT;
    else if (GEOSPreparedContains_r(h, z->prep, g) == 1)
        c = TRUCE_CELL_IN;
    GEOSGeom_destroy_r(h, g);
    return c;
}


/* The share of an area that may lie on the other side of a zone's edge
 * without making it straddle (slivers between shapes of two sources). */
#define AREA_SLACK 0.005

void *
truce__geo_box(struct truce_ctx *ctx, const double b[4])
{
    return GEOSGeom_createRectangle_r(H(ctx), b[0], b[1], b[2], b[3]);
}

void
truce__geo_bounds(struct truce_ctx *ctx, const void *g, double b[4])
{
    geom_bounds(H(ctx), g, b);
}

enum truce__placement
truce__zoneset_place_area(struct truce_ctx *ctx,
                          const struct truce_zoneset *z, const void *area)
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeometry *in;
    double ab[4], whole = 0, part = 0;
    geom_bounds(h, area, ab);
    if (box_disjoint(ab, z->bounds) ||
        GEOSPreparedIntersects_r(h, z->prep, area) == 0)
        return TRUCE_PLACE_OUTSIDE;
    if (GEOSPreparedCovers_r(h, z->prep, area) == 1)
        return TRUCE_PLACE_WITHIN;
    /* Shapes from two sources never nest exactly: a province drawn apart
     * from the zone's border sticks out by slivers. Less than AREA_SLACK
     * of the area inside the zones is outside, less outside is within. */
    in = GEOSIntersection_r(h, area, z->uni);
    if (!in || GEOSArea_r(h, area, &whole) != 1 ||
        GEOSArea_r(h, in, &part) != 1 || whole <= 0) {
        if (in)
            GEOSGeom_destroy_r(h, in);
        return TRUCE_PLACE_STRADDLES;
    }
    GEOSGeom_destroy_r(h, in);
    if (part <= AREA_SLACK * whole)
        return TRUCE_PLACE_OUTSIDE;
    if (whole - part <= AREA_SLACK * whole)
        return TRUCE_PLACE_WITHIN;
    return TRUCE_PLACE_STRADDLES;
}

enum truce__placement
truce__zoneset_place(struct truce_ctx *ctx, const struct truce_zoneset *z,
                     double lon, double lat, double r_km)
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeometry *g;
    enum truce__placement res;
    if (r_km < 0)
        return TRUCE_PLACE_STRADDLES;
    if (r_km == 0) {
        double pb[4] = {lon, lat, lon, lat};
        if (box_disjoint(pb, z->bounds))
            return TRUCE_PLACE_OUTSIDE;
        g = GEOSGeom_createPointFromXY_r(h, lon, lat);
        if (!g)
            return TRUCE_PLACE_STRADDLES;
        res = GEOSPreparedCovers_r(h, z->prep, g) == 1 ? TRUCE_PLACE_WITHIN
                                                       : TRUCE_PLACE_OUTSIDE;
        GEOSGeom_destroy_r(h, g);
        return res;
    }
    g = circle(h, lon, lat, r_km);
    if (!g)
        return TRUCE_PLACE_STRADDLES;
    {
        double cb[4];
        geom_bounds(h, g, cb);
        if (box_disjoint(cb, z->bounds)) {
            GEOSGeom_destroy_r(h, g);
            return TRUCE_PLACE_OUTSIDE;
        }
    }
    if (GEOSPreparedContains_r(h, z->prep, g) == 1)
        res = TRUCE_PLACE_WITHIN;
    else if (GEOSPreparedIntersects_r(h, z->prep, g) == 0)
        res = TRUCE_PLACE_OUTSIDE;
    else
        res = TRUCE_PLACE_STRADDLES;
    GEOSGeom_destroy_r(h, g);
    return res;
}

long
truce__zoneset_which(struct truce_ctx *ctx, const struct truce_zoneset *z,
                     double lon, double lat)
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, lon, lat);
    long found = -1;
    if (!pt)
        return -1;
    for (size_t i = 0; i < z->n && found < 0; i++) {
        if (GEOSPreparedCovers_r(h, z->zprep[i], pt) == 1)
            found = (long)i;
    }
    GEOSGeom_destroy_r(h, pt);
    return found;
}

/* ------------------------------------------------------ spatial index */

struct truce__index {
    GEOSSTRtree *tree;
    GEOSGeometry **boxes;
    size_t *ids;
    size_t n;
};

struct index_hits {
    size_t *out;
    size_t k, max;
};

static GEOSGeometry *
box_geom(GEOSContextHandle_t h, const double b[4])
{
    return GEOSGeom_createRectangle_r(h, b[0], b[1], b[2], b[3]);
}

truce_status
truce__index_new(struct truce_ctx *ctx, const double (*bounds)[4], size_t n,
                 struct truce__index **out)
{
    GEOSContextHandle_t h = H(ctx);
    struct truce__index *ix = truce__calloc(1, sizeof(*ix));
    if (!ix)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    ix->tree = GEOSSTRtree_create_r(h, 10);
    ix->boxes = truce__calloc(n, sizeof(*ix->boxes));
    ix->ids = truce__calloc(n, sizeof(*ix->ids));
    if (!ix->tree || !ix->boxes || !ix->ids) {
        truce__index_free(ctx, ix);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        ix->ids[i] = i;
        ix->boxes[i] = box_geom(h, bounds[i]);
        ix->n = i + 1;
        if (!ix->boxes[i]) {
            truce__index_free(ctx, ix);
            return truce__err(ctx, TRUCE_EGEOM, "bad zone bounds");
        }
        GEOSSTRtree_insert_r(h, ix->tree, ix->boxes[i], &ix->ids[i]);
    }
    if (n) {
        /* GEOS 3.11 builds the tree on the first query: make that happen
         * now, so that later queries from other threads only read it. */
        size_t dummy;
        double all[4] = {-180, -90, 180, 90};
        truce__index_query(ctx, ix, all, &dummy, 0);
    }
    *out = ix;
    return TRUCE_OK;
}

void
truce__index_free(struct truce_ctx *ctx, struct truce__index *ix)
{
    GEOSContextHandle_t h;
    if (!ix)
        return;
    h = H(ctx);
    if (ix->tree)
        GEOSSTRtree_destroy_r(h, ix->tree);
    for (size_t i = 0; i < ix->n; i++)
        GEOSGeom_destroy_r(h, ix->boxes[i]);
    truce__free(ix->boxes);
    truce__free(ix->ids);
    truce__free(ix);
}

static void
index_hit(void *item, void *ud)
{
    struct index_hits *hits = ud;
    if (hits->k < hits->max)
        hits->out[hits->k++] = *(size_t *)item;
}

static int
cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

size_t
truce__index_query(struct truce_ctx *ctx, const struct truce__index *ix,
                   const double b[4], size_t *out, size_t max)
{
    GEOSContextHandle_t h = H(ctx);
    struct index_hits hits = {out, 0, max};
    GEOSGeometry *q;
    if (!ix->n)
        return 0;
    q = box_geom(h, b);
    if (!q)
        return 0;
    GEOSSTRtree_query_r(h, ix->tree, q, index_hit, &hits);
    GEOSGeom_destroy_r(h, q);
    qsort(out, hits.k, sizeof(*out), cmp_size);
    return hits.k;
}

/* ------------------------------------------------- region arithmetic */

void *
truce__geo_clone(struct truce_ctx *ctx, const void *g)
{
    return g ? GEOSGeom_clone_r(H(ctx), g) : NULL;
}

/* Each operation returns a new geometry, or NULL with the error set. */
static void *
checked(struct truce_ctx *ctx, GEOSGeometry *g, const char *what)
{
    if (!g)
        truce__err(ctx, TRUCE_EGEOM, "%s failed: %s", what,
                   truce__ctx_geos_msg(ctx));
    return g;
}

void *
truce__geo_union(struct truce_ctx *ctx, void *const *geoms, size_t n)
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeometry **clones = truce__calloc(n ? n : 1, sizeof(*clones));
    GEOSGeometry *coll, *out;
    if (!clones) {
        truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        clones[i] = GEOSGeom_clone_r(h, geoms[i]);
    coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, clones,
                                       (unsigned)n);
    truce__free(clones);
    if (!coll)
        return checked(ctx, NULL, "union");
    out = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    return checked(ctx, out, "union");
}

void *
truce__geo_intersection(struct truce_ctx *ctx, const void *a, const void *b)
{
    return checked(ctx, GEOSIntersection_r(H(ctx), a, b), "intersection");
}

void *
truce__geo_difference(struct truce_ctx *ctx, const void *a, const void *b)
{
    return checked(ctx, GEOSDifference_r(H(ctx), a, b), "difference");
}

bool
truce__geo_is_empty(struct truce_ctx *ctx, const void *g)
{
    return !g || GEOSisEmpty_r(H(ctx), g) == 1;
}

/* A zoneset over one geometry (cloned), for region tests. */
truce_status
truce__zoneset_of(struct truce_ctx *ctx, const void *g,
                  struct truce_zoneset **out)
{
    void *copy = truce__geo_clone(ctx, g);
    truce_status st;
    if (!copy)
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    st = truce__zoneset_new(ctx, &copy, 1, out);
    truce__geo_free(ctx, copy); /* NULL once the zoneset took it */
    return st;
}

/* The union of the polygons of a GeoJSON value (FeatureCollection,
 * Feature or geometry) whose features match `where` (NULL: all). */
truce_status
truce__geo_from_any(struct truce_ctx *ctx, const void *json,
                    const void *where, const char *what, bool strict,
                    void **out)
{
    const json_t *root = json;
    const char *type = json_string_value(json_object_get(root, "type"));
    json_t *feats, *f;
    void **parts;
    size_t i, n = 0;
    truce_status st = TRUCE_OK;
    if (type && strcmp(type, "FeatureCollection") == 0) {
        feats = json_incref(json_object_get(root, "features"));
    } else if (type && strcmp(type, "Feature") == 0) {
        feats = json_array();
        json_array_append(feats, (json_t *)root);
    } else {
        feats = json_array();
        json_array_append_new(feats, json_pack("{s:s,s:O}", "type",
                                               "Feature", "geometry", root));
    }
    parts = truce__calloc(json_array_size(feats) + 1, sizeof(*parts));
    if (!parts) {
        json_decref(feats);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    /* Each matching polygonal feature is read (and repaired) on its own,
     * then all are dissolved: touching admin units become one region. */
    json_array_foreach(feats, i, f) {
        json_t *geom = json_object_get(f, "geometry");
        const char *gt = json_string_value(json_object_get(geom, "type"));
        json_t *props = json_object_get(f, "properties"), *want;
        const char *key;
        bool match = true;
        char fwhat[600];
        json_object_foreach((json_t *)where, key, want) {
            json_t *have = json_object_get(props, key);
            if (!have || !(json_equal(want, have) ||
                           (json_is_number(want) && json_is_number(have) &&
                            json_number_value(want) ==
                                json_number_value(have))))
                match = false;
        }
        if (!match || !gt ||
            (strcmp(gt, "Polygon") && strcmp(gt, "MultiPolygon")))
            continue;
        snprintf(fwhat, sizeof(fwhat), "%s: feature %zu", what, i);
        if ((st = truce__geo_from_geojson(ctx, geom, fwhat, strict,
                                          &parts[n])))
            break;
        n++;
    }
    json_decref(feats);
    if (!st && n == 0)
        st = truce__err(ctx, TRUCE_EPARSE, "%s: no polygon%s", what,
                        where ? " matches 'where'" : "");
    if (!st) {
        *out = n == 1 ? parts[0] : truce__geo_union(ctx, parts, n);
        if (n == 1)
            parts[0] = NULL;
        if (!*out)
            st = TRUCE_EGEOM;
    }
    for (i = 0; i < n; i++)
        truce__geo_free(ctx, parts[i]);
    truce__free(parts);
    return st;
}

/* True when the point lies in the zoneset's union (edges included). */
bool
truce__zoneset_covers(struct truce_ctx *ctx, const struct truce_zoneset *z,
                      double lon, double lat)
{
    return truce__zoneset_place(ctx, z, lon, lat, 0) == TRUCE_PLACE_WITHIN;
}

const void *
truce__zoneset_zone(const struct truce_zoneset *z, size_t i)
{
    return i < z->n ? z->zones[i] : NULL;
}

truce_status
truce__geo_reach(struct truce_ctx *ctx, const void *g, double *lat,
                 double *lon, double *radius_km)
{
    GEOSContextHandle_t h = H(ctx);
    GEOSGeometry *c = GEOSGetCentroid_r(h, g), *pts;
    struct geod_geodesic geod;
    double cx, cy, far = 0;
    int n;
    if (!c || GEOSisEmpty_r(h, c) != 0 || GEOSGeomGetX_r(h, c, &cx) != 1 ||
        GEOSGeomGetY_r(h, c, &cy) != 1) {
        if (c)
            GEOSGeom_destroy_r(h, c);
        return truce__err(ctx, TRUCE_EGEOM, "a shape with no centre");
    }
    GEOSGeom_destroy_r(h, c);
    if (!(pts = GEOSGeom_extractUniquePoints_r(h, g)))
        return truce__err(ctx, TRUCE_EGEOM, "a shape with no points");
    geod_init(&geod, 6378137, 1 / 298.257223563);
    n = GEOSGetNumGeometries_r(h, pts);
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, pts, i);
        double x, y, s12;
        if (p && GEOSGeomGetX_r(h, p, &x) == 1 &&
            GEOSGeomGetY_r(h, p, &y) == 1) {
            geod_inverse(&geod, cy, cx, y, x, &s12, NULL, NULL);
            if (s12 > far)
                far = s12;
        }
    }
    GEOSGeom_destroy_r(h, pts);
    *lat = cy;
    *lon = cx;
    *radius_km = far / 1000;
    return TRUCE_OK;
}
