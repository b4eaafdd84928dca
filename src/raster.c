/*
 * raster.c - a zoneset's bounds cut into a grid of cells classified once
 * against the union of its zones (OUT: shares no point with it; IN: inside
 * it; EDGE: the rest), so that the place test of most events needs no
 * geometry (issue 10: assessing a million events at memory speed).
 *
 * truce__raster_place gives what truce__zoneset_place gives, event by
 * event; the cells only decide what they prove:
 *   - the polygon drawn for a radius lies in an ellipse (truce__geo_disk):
 *     when the cells under the ellipse, row by row, are all OUT, the
 *     polygon misses the zones (outside); when they are all IN, the zones
 *     contain it (within);
 *   - points inside the polygon (its centre, 16 at 0.99 of the radius and
 *     8 at half of it) that fall in an IN and in an OUT cell make it meet
 *     the zones without lying in them (straddles);
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
#define MAX_ROWS 256 /* a disk over more rows of cells: its box instead */

struct truce__raster {
    const struct truce_zoneset *z; /* while it is made */
    double x0, y0, dx, dy; /* the grid's south-west corner, cell size */
    int nx, ny;
    uint8_t *cls;          /* ny rows of nx cells */
    struct prefix {        /* (ny + 1) x (nx + 1) prefix counts of cells */
        uint32_t not_in, not_out;
    } *pre;
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
            struct prefix *p = &r->pre[(j + 1) * w + i + 1];
            const struct prefix *up = &r->pre[j * w + i + 1];
            row_in += c != TRUCE_CELL_IN;
            row_out += c != TRUCE_CELL_OUT;
            r->edge_cells += c == TRUCE_CELL_EDGE;
            p->not_in = up->not_in + row_in;
            p->not_out = up->not_out + row_out;
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
    r->pre = truce__calloc(corners, sizeof(*r->pre));
    if (!r->cls || !r->pre) {
        truce__raster_free(r);
        return truce__err(ctx, TRUCE_ENOMEM, "out of memory");
    }
    classify(ctx, r, 0, 0, r->nx, r->ny);
    prefix_counts(r);
    r->z = NULL;
    *out = r;
    return TRUCE_OK;
}

void
truce__raster_free(struct truce__raster *r)
{
    if (!r)
        return;
    truce__free(r->cls);
    truce__free(r->pre);
    truce__free(r);
}

void
truce__raster_stats(const struct truce__raster *r,
                    struct truce__raster_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!r)
        return;
    out->cells = (long)r->nx * r->ny;
    out->edge_cells = r->edge_cells;
    out->nx = r->nx;
    out->ny = r->ny;
    out->x0 = r->x0;
    out->y0 = r->y0;
    out->dx = r->dx;
    out->dy = r->dy;
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
    double f;
    /* o + i * d is edge_x(r, i) (or edge_y), the cells' own edges */
    if (hi < o || lo > o + n * d)
        return false;
    *inside = lo >= o && hi <= o + n * d;
    f = floor((lo - o) / d);
    *a = f < 0 ? 0 : f > n - 1 ? n - 1 : (int)f;
    while (*a > 0 && o + *a * d > lo)
        (*a)--;
    while (*a + 1 < n && o + (*a + 1) * d <= lo)
        (*a)++;
    f = ceil((hi - o) / d);
    *b = f < *a + 1 ? *a + 1 : f > n ? n : (int)f;
    while (*b < n && o + *b * d < hi)
        (*b)++;
    while (*b - 1 > *a && o + (*b - 1) * d >= hi)
        (*b)--;
    return true;
}

/* The cells of [i0, i1) x [j0, j1) that are not IN and not OUT. */
static struct prefix
box_count(const struct truce__raster *r, int i0, int j0, int i1, int j1)
{
    size_t w = (size_t)r->nx + 1;
    const struct prefix *a = &r->pre[j1 * w + i1], *b = &r->pre[j0 * w + i1],
                        *c = &r->pre[j1 * w + i0], *d = &r->pre[j0 * w + i0];
    struct prefix n = {a->not_in - b->not_in - c->not_in + d->not_in,
                       a->not_out - b->not_out - c->not_out + d->not_out};
    return n;
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
    struct prefix k;
    if (!span(r, true, w, e, &i0, &i1, &in_x) ||
        !span(r, false, s, n, &j0, &j1, &in_y))
        return TRUCE_CELL_OUT;
    k = box_count(r, i0, j0, i1, j1);
    if (k.not_out == 0)
        return TRUCE_CELL_OUT;
    if (in_x && in_y && k.not_in == 0)
        return TRUCE_CELL_IN;
    return TRUCE_CELL_EDGE;
}

/* The class of the cell that holds the point: when it lies strictly
 * inside one, that cell's (one look); else as a box of no size. */
static enum truce__cell_class
point_class(const struct truce__raster *r, double x, double y)
{
    double fi = floor((x - r->x0) / r->dx), fj = floor((y - r->y0) / r->dy);
    if (fi >= 0 && fi < r->nx && fj >= 0 && fj < r->ny) {
        int i = (int)fi, j = (int)fj;
        if (edge_x(r, i) < x && x < edge_x(r, i + 1) && edge_y(r, j) < y &&
            y < edge_y(r, j + 1))
            return (enum truce__cell_class)r->cls[(size_t)j * r->nx + i];
    }
    return box_class(r, x, y, x, y);
}

/* The class the cells give the polygon of the disk: row by row, the
 * cells under the ellipse that holds the polygon (its vertices lie on the
 * one of semi-axes dlon, dlat less the margin; the polygon is convex), so
 * that a disk near an edge is not taken for its box. */
static enum truce__cell_class
disk_class(const struct truce__raster *r, const struct truce__disk *d)
{
    int i0, i1, j0, j1;
    bool in_x, in_y, all_in, all_out = true;
    enum truce__cell_class c;
    if (!span(r, false, d->lat - d->dlat, d->lat + d->dlat, &j0, &j1, &in_y))
        return TRUCE_CELL_OUT;
    if (j1 - j0 > MAX_ROWS)
        return box_class(r, d->lon - d->dlon, d->lat - d->dlat,
                         d->lon + d->dlon, d->lat + d->dlat);
    /* the box first: most disks lie wholly on one side */
    if ((c = box_class(r, d->lon - d->dlon, d->lat - d->dlat,
                       d->lon + d->dlon, d->lat + d->dlat)) != TRUCE_CELL_EDGE)
        return c;
    all_in = in_y;
    for (int j = j0; j < j1; j++) {
        double lo = edge_y(r, j), hi = edge_y(r, j + 1), dy, t, hw;
        struct prefix k;
        dy = d->lat < lo ? lo - d->lat : d->lat > hi ? d->lat - hi : 0;
        t = dy / d->dlat;
        hw = t >= 1 ? 0 : d->dlon * sqrt(1 - t * t);
        hw = hw * (1 + 1e-9) + 1e-12;
        if (!span(r, true, d->lon - hw, d->lon + hw, &i0, &i1, &in_x)) {
            all_in = false;
            continue;
        }
        all_in &= in_x;
        k = box_count(r, i0, j, i1, j + 1);
        all_out &= k.not_out == 0;
        all_in &= k.not_in == 0;
        if (!all_in && !all_out)
            return TRUCE_CELL_EDGE;
    }
    return all_out ? TRUCE_CELL_OUT : all_in ? TRUCE_CELL_IN : TRUCE_CELL_EDGE;
}

/* Do points inside the polygon of the disk fall both inside the zones
 * and outside them? Its centre, 16 points at 0.99 of the radius and 8 at
 * half of it (inside the polygon: its edges are at the radius or
 * beyond). */
static bool
straddles(const struct truce__raster *r, const struct truce__disk *d)
{
    static const double c1 = 0.92387953251128674, s1 = 0.38268343236508978,
                        h = 0.70710678118654752;
    static const double dir[16][2] = {
        {1, 0},   {c1, s1},   {h, h},   {s1, c1},   {0, 1},   {-s1, c1},
        {-h, h},  {-c1, s1},  {-1, 0},  {-c1, -s1}, {-h, -h}, {-s1, -c1},
        {0, -1},  {s1, -c1},  {h, -h},  {c1, -s1}};
    bool in = false, out = false;
    enum truce__cell_class c = point_class(r, d->lon, d->lat);
    in |= c == TRUCE_CELL_IN;
    out |= c == TRUCE_CELL_OUT;
    for (int k = 0; k < 24 && !(in && out); k++) {
        double x, y, f = k < 16 ? 1 : 0.5;
        const double *u = dir[k < 16 ? k : 2 * (k - 16) + 1];
        truce__geo_inner_point(d, f * u[0], f * u[1], &x, &y);
        c = point_class(r, x, y);
        in |= c == TRUCE_CELL_IN;
        out |= c == TRUCE_CELL_OUT;
    }
    return in && out;
}

enum truce__placement
truce__raster_place(struct truce_ctx *ctx, const struct truce__raster *r,
                    const struct truce_zoneset *z, struct truce__disk *d)
{
    enum truce__cell_class c;
    if (d->r_km < 0 || !isfinite(d->lon) || !isfinite(d->lat) ||
        !isfinite(d->r_km) || (d->r_km > 0 && d->r_km < 1e-6))
        return truce__zoneset_place(ctx, z, d->lon, d->lat, d->r_km);
    if (d->r_km == 0) {
        c = point_class(r, d->lon, d->lat);
    } else {
        truce__geo_disk_reach(d);
        c = disk_class(r, d);
        if (c == TRUCE_CELL_EDGE && straddles(r, d))
            return TRUCE_PLACE_STRADDLES;
    }
    if (c == TRUCE_CELL_OUT)
        return TRUCE_PLACE_OUTSIDE;
    if (c == TRUCE_CELL_IN)
        return TRUCE_PLACE_WITHIN;
    return truce__zoneset_place(ctx, z, d->lon, d->lat, d->r_km);
}
