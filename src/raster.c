/*
 * raster.c - a zoneset's bounds cut into a grid of cells classified once
 * against the union of its zones (OUT: shares no point with it; IN: inside
 * it; EDGE: the rest), so that the place test of most events needs no
 * geometry (issue 10: assessing a million events at memory speed).
 *
 * truce__raster_place gives what truce__zoneset_place gives, event by
 * event; the cells only decide what they prove:
 *   - the polygon drawn for a radius lies in a box (truce__geo_circle_reach):
 *     when the cells covering the box are all OUT, the polygon misses the
 *     zones (outside); when they are all IN, the zones contain it (within);
 *   - points inside the polygon (its centre, and eight at 0.99 of the
 *     radius) that fall in an IN and in an OUT cell make it meet the zones
 *     without lying in them (straddles);
 *   - anything else goes to truce__zoneset_place.
 * A cell is a closed rectangle whose edges are computed once (edge_x,
 * edge_y), and a box is covered by the closed cells from the one whose
 * edge is at or before its start to the one whose edge is at or after its
 * end, so no rounding of an index can leave a part of the box unlooked at.
 * Counts of the cells that are not IN and not OUT over every prefix
 * rectangle (summed-area tables) make a box's test two lookups.
 */
#include "truce_int.h"

#include <math.h>

#define RASTER_CELLS 512 /* along the longer side of the bounds */
#define SAMPLES 8

struct truce__raster {
    const struct truce_zoneset *z;
    double x0, y0, dx, dy; /* the grid's south-west corner, cell size */
    int nx, ny;
    uint8_t *cls;          /* ny rows of nx cells */
    uint32_t *not_in;      /* (ny + 1) x (nx + 1) prefix counts */
    uint32_t *not_out;
    long edge_cells;
};

static double
edge_x(const struct truce__raster *r, int i)
{
    return r->x0 + i * r->dx;
}

static double
edge_y(const struct truce__raster *r, int j)
{
    return r->y0 + j * r->dy;
}

static void
fill(struct truce__raster *r, int i0, int j0, int i1, int j1, uint8_t c)
{
    for (int j = j0; j < j1; j++)
        memset(r->cls + (size_t)j * r->nx + i0, c, (size_t)(i1 - i0));
}

/* Classifies the cells [i0, i1) x [j0, j1): the whole block at once when
 * the geometry tells (a block inside the zones or apart from them makes
 * every cell of it so), else its quarters. */
static void
classify(struct truce_ctx *ctx, struct truce__raster *r, int i0, int j0,
         int i1, int j1)
{
    double b[4] = {edge_x(r, i0), edge_y(r, j0), edge_x(r, i1),
                   edge_y(r, j1)};
    enum truce__cell_class c = truce__zoneset_rect_class(ctx, r->z, b);
    int im, jm;
    if (c != TRUCE_CELL_EDGE || (i1 - i0 == 1 && j1 - j0 == 1)) {
        fill(r, i0, j0, i1, j1, (uint8_t)c);
        return;
    }
    im = i1 - i0 > 1 ? (i0 + i1) / 2 : i1;
    jm = j1 - j0 > 1 ? (j0 + j1) / 2 : j1;
    classify(ctx, r, i0, j0, im, jm);
    if (im < i1)
        classify(ctx, r, im, j0, i1, jm);
    if (jm < j1) {
        classify(ctx, r, i0, jm, im, j1);
        if (im < i1)
            classify(ctx, r, im, jm, i1, j1);
    }
}

static void
prefix_counts(struct truce__raster *r)
{
    size_t w = (size_t)r->nx + 1;
    for (int j = 0; j < r->ny; j++) {
        uint32_t row_in = 0, row_out = 0;
        for (int i = 0; i < r->nx; i++) {
            uint8_t c = r->cls[(size_t)j * r->nx + i];
            row_in += c != TRUCE_CELL_IN;
            row_out += c != TRUCE_CELL_OUT;
            r->edge_cells += c == TRUCE_CELL_EDGE;
            r->not_in[(j + 1) * w + i + 1] = r->not_in[j * w + i + 1] + row_in;
            r->not_out[(j + 1) * w + i + 1] =
                r->not_out[j * w + i + 1] + row_out;
        }
    }
}

truce_status
truce__raster_new(struct truce_ctx *ctx, const struct truce_zoneset *z,
                  struct truce__raster **out)
{
    struct truce__raster *r;
    double b[4], w, h, cell, pad;
    size_t cells, corners;
    *out = NULL;
    truce__zoneset_bounds(z, b);
    w = b[2] - b[0];
    h = b[3] - b[1];
    if (!(w >= 0 && h >= 0) || w + h <= 0)
        return TRUCE_OK; /* nothing to cut: the geometry answers */
    /* a margin, so that the bounds' own edges fall inside cells */
    pad = 1e-6 * (w > h ? w : h);
    w += 2 * pad;
    h += 2 * pad;
    cell = (w > h ? w : h) / RASTER_CELLS;
    if (!(r = truce__calloc(1, sizeof(*r))))
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    r->z = z;
    r->x0 = b[0] - pad;
    r->y0 = b[1] - pad;
    r->dx = r->dy = cell;
    r->nx = (int)ceil(w / cell);
    r->ny = (int)ceil(h / cell);
    r->nx = r->nx < 1 ? 1 : r->nx > RASTER_CELLS ? RASTER_CELLS : r->nx;
    r->ny = r->ny < 1 ? 1 : r->ny > RASTER_CELLS ? RASTER_CELLS : r->ny;
    /* the last edges reach past the bounds' (ceil, and rounding) */
    while (edge_x(r, r->nx) < b[2] && r->nx < RASTER_CELLS + 2)
        r->nx++;
    while (edge_y(r, r->ny) < b[3] && r->ny < RASTER_CELLS + 2)
        r->ny++;
    cells = (size_t)r->nx * (size_t)r->ny;
    corners = ((size_t)r->nx + 1) * ((size_t)r->ny + 1);
    r->cls = truce__malloc(cells);
    r->not_in = truce__calloc(corners, sizeof(*r->not_in));
    r->not_out = truce__calloc(corners, sizeof(*r->not_out));
    if (!r->cls || !r->not_in || !r->not_out) {
        truce__raster_free(r);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    classify(ctx, r, 0, 0, r->nx, r->ny);
    prefix_counts(r);
    *out = r;
    return TRUCE_OK;
}

void
truce__raster_free(struct truce__raster *r)
{
    if (!r)
        return;
    truce__free(r->cls);
    truce__free(r->not_in);
    truce__free(r->not_out);
    truce__free(r);
}

void
truce__raster_stats(const struct truce__raster *r,
                    struct truce__raster_stats *out)
{
    out->cells = r ? (long)r->nx * r->ny : 0;
    out->edge_cells = r ? r->edge_cells : 0;
}

/* The cells [*a, *b) along one axis whose closed union covers [lo, hi]
 * within the grid; false when [lo, hi] misses the grid. *inside: the grid
 * holds all of [lo, hi]. */
static bool
span(const struct truce__raster *r, bool along_x, double lo, double hi,
     int *a, int *b, bool *inside)
{
    int n = along_x ? r->nx : r->ny;
    double o = along_x ? r->x0 : r->y0, d = along_x ? r->dx : r->dy;
    double (*edge)(const struct truce__raster *, int) =
        along_x ? edge_x : edge_y;
    double f;
    if (hi < edge(r, 0) || lo > edge(r, n))
        return false;
    *inside = lo >= edge(r, 0) && hi <= edge(r, n);
    f = floor((lo - o) / d);
    *a = f < 0 ? 0 : f > n - 1 ? n - 1 : (int)f;
    while (*a > 0 && edge(r, *a) > lo)
        (*a)--;
    while (*a + 1 < n && edge(r, *a + 1) <= lo)
        (*a)++;
    f = ceil((hi - o) / d);
    *b = f < *a + 1 ? *a + 1 : f > n ? n : (int)f;
    while (*b < n && edge(r, *b) < hi)
        (*b)++;
    while (*b - 1 > *a && edge(r, *b - 1) >= hi)
        (*b)--;
    return true;
}

static uint32_t
box_count(const struct truce__raster *r, const uint32_t *t, int i0, int j0,
          int i1, int j1)
{
    size_t w = (size_t)r->nx + 1;
    return t[j1 * w + i1] - t[j0 * w + i1] - t[j1 * w + i0] + t[j0 * w + i0];
}

/* The class the cells give the closed box: OUT when all that cover it are
 * OUT (or it misses the grid), IN when the grid holds it and all are IN,
 * else EDGE. */
static enum truce__cell_class
box_class(const struct truce__raster *r, double w, double s, double e,
          double n)
{
    int i0, i1, j0, j1;
    bool in_x, in_y;
    if (!span(r, true, w, e, &i0, &i1, &in_x) ||
        !span(r, false, s, n, &j0, &j1, &in_y))
        return TRUCE_CELL_OUT;
    if (box_count(r, r->not_out, i0, j0, i1, j1) == 0)
        return TRUCE_CELL_OUT;
    if (in_x && in_y && box_count(r, r->not_in, i0, j0, i1, j1) == 0)
        return TRUCE_CELL_IN;
    return TRUCE_CELL_EDGE;
}

static enum truce__cell_class
point_class(const struct truce__raster *r, double x, double y)
{
    return box_class(r, x, y, x, y);
}

/* Do points inside the polygon of radius r_km fall both inside the zones
 * and outside them? */
static bool
straddles(const struct truce__raster *r, double lon, double lat, double r_km)
{
    bool in = false, out = false;
    enum truce__cell_class c = point_class(r, lon, lat);
    in |= c == TRUCE_CELL_IN;
    out |= c == TRUCE_CELL_OUT;
    for (int k = 0; k < SAMPLES && !(in && out); k++) {
        double x, y;
        truce__geo_inner_point(lon, lat, r_km, 2 * M_PI * k / SAMPLES, &x,
                               &y);
        c = point_class(r, x, y);
        in |= c == TRUCE_CELL_IN;
        out |= c == TRUCE_CELL_OUT;
    }
    return in && out;
}

enum truce__placement
truce__raster_place(struct truce_ctx *ctx, const struct truce__raster *r,
                    double lon, double lat, double r_km)
{
    double dlon, dlat;
    enum truce__cell_class c;
    if (r_km < 0 || !isfinite(lon) || !isfinite(lat) ||
        !isfinite(r_km) || (r_km > 0 && r_km < 1e-6))
        return truce__zoneset_place(ctx, r->z, lon, lat, r_km);
    if (r_km == 0) {
        c = point_class(r, lon, lat);
    } else {
        truce__geo_circle_reach(lon, lat, r_km, &dlon, &dlat);
        c = box_class(r, lon - dlon, lat - dlat, lon + dlon, lat + dlat);
        if (c == TRUCE_CELL_EDGE && straddles(r, lon, lat, r_km))
            return TRUCE_PLACE_STRADDLES;
    }
    if (c == TRUCE_CELL_OUT)
        return TRUCE_PLACE_OUTSIDE;
    if (c == TRUCE_CELL_IN)
        return TRUCE_PLACE_WITHIN;
    return truce__zoneset_place(ctx, r->z, lon, lat, r_km);
}
