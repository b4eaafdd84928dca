/*
 * test_gazetteer.c - places for reading the news: the keys names are
 * found by, the reader of gazetteer files (a GeoNames dump written for the
 * test, tests/data/gazetteer/geonames_sample.txt), and lookups by any
 * spelling: alternate names, the built-in variants, a leading article.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/truce_int.h"

static void
key_is(const char *name, const char *want)
{
    struct truce_buf b;
    truce_buf_init(&b, 0);
    if (truce_place_key(name, strlen(name), &b) != TRUCE_OK)
        truce_buf_adds(&b, "(failed)");
    if (strcmp(b.buf ? b.buf : "", want))
        fprintf(stderr, "  key of '%s' is '%s', expected '%s'\n", name,
                b.buf ? b.buf : "", want);
    ASSERT_EQ_STR(b.buf ? b.buf : "", want);
    truce_buf_release(&b);
}

TEST(gazetteer_keys)
{
    struct truce_buf b;
    key_is("Aleppo", "aleppo");
    key_is("Ḩamāh", "hamah");
    key_is("Dar‘ā", "dara");
    key_is("Dar`a", "dara");
    key_is("Deir ez-Zor", "deir ez zor");
    key_is("  Ma'arrat  an-Nu'man ", "maarrat an numan");
    key_is("ÇAĞRI", "cagri");
    key_is("حلب", "حلب");
    key_is("---", "");
    truce_buf_init(&b, 0);
    ASSERT_EQ_INT(truce_place_key("\xff", 1, &b), TRUCE_EPARSE);
    truce_buf_release(&b);
}

/* ASCII keys are made without utf8proc: every ASCII byte between two
 * letters gives the key that the general path (forced by a trailing "é",
 * whose key is "e") gives. */
TEST(gazetteer_keys_ascii_path)
{
    for (int c = 1; c < 0x80; c++) {
        char a[8] = {'a', (char)c, 'b', 0}, u[16];
        struct truce_buf x, y;
        snprintf(u, sizeof(u), "%s\xc3\xa9", a);
        truce_buf_init(&x, 0);
        truce_buf_init(&y, 0);
        ASSERT_OK(truce_place_key(a, 3, &x));
        ASSERT_OK(truce_buf_adds(&x, "e"));
        ASSERT_OK(truce_place_key(u, strlen(u), &y));
        if (strcmp(x.buf, y.buf))
            fprintf(stderr, "  byte 0x%02x: '%s' against '%s'\n", c, x.buf,
                    y.buf);
        ASSERT_EQ_STR(x.buf, y.buf);
        truce_buf_release(&x);
        truce_buf_release(&y);
    }
}

/* The sample file's places in a gazetteer; the reader's counts checked. */
static struct truce_gazetteer *
sample(struct truce_ctx *ctx)
{
    struct truce_gazetteer_reader *r;
    struct truce_gazetteer *gz;
    struct truce_place p;
    long good = 0, bad = 0, lines[2] = {0};
    truce_status st;
    ASSERT_OK(truce_gazetteer_reader_open(
        ctx, test_path("tests/data/gazetteer/geonames_sample.txt"), NULL, &r));
    ASSERT_OK(truce_gazetteer_new(ctx, &gz));
    truce_place_init(&p);
    while ((st = truce_gazetteer_reader_next(r, &p)) != TRUCE_EOF) {
        if (st == TRUCE_EPARSE) {
            ASSERT(truce_ctx_errmsg(ctx)[0]);
            if (bad < 2)
                lines[bad] = truce_gazetteer_reader_line(r);
            bad++;
            continue;
        }
        ASSERT_OK(st);
        ASSERT_OK(truce_gazetteer_add(ctx, gz, &p));
        good++;
    }
    truce_place_release(&p);
    truce_gazetteer_reader_free(r);
    ASSERT_EQ_INT(good, 6);
    ASSERT_EQ_INT(bad, 2);
    ASSERT_EQ_INT(lines[0], 7); /* latitude "north" */
    ASSERT_EQ_INT(lines[1], 8); /* 9 columns */
    ASSERT_OK(truce_gazetteer_finish(ctx, gz));
    return gz;
}

static const char *
found(const struct truce_gazetteer *gz, const char *name)
{
    const struct truce_place *p[4];
    size_t n = truce_gazetteer_find(gz, name, strlen(name), p, 4);
    return n ? p[0]->name : "(none)";
}

TEST(gazetteer_find_any_spelling)
{
    struct truce_ctx *ctx;
    struct truce_gazetteer *gz;
    const struct truce_place *p[4];
    ASSERT_OK(truce_ctx_new(&ctx));
    gz = sample(ctx);
    ASSERT_EQ_INT(truce_gazetteer_count(gz), 6);
    /* the name, its ASCII form, its alternates */
    ASSERT_EQ_STR(found(gz, "Ḩamāh"), "Ḩamāh");
    ASSERT_EQ_STR(found(gz, "Hama"), "Ḩamāh");
    ASSERT_EQ_STR(found(gz, "HAMAH"), "Ḩamāh");
    ASSERT_EQ_STR(found(gz, "Deraa"), "Dar‘ā");
    ASSERT_EQ_STR(found(gz, "Dar'a"), "Dar‘ā");
    /* the built-in variants */
    ASSERT_EQ_STR(found(gz, "Palmyra"), "Tadmur");
    ASSERT_EQ_STR(found(gz, "Deir ez-Zor"), "Dayr az Zawr");
    ASSERT_EQ_STR(found(gz, "Deir al-Zour"), "Dayr az Zawr");
    ASSERT_EQ_STR(found(gz, "Raqqa"), "Ar Raqqah");
    ASSERT_EQ_STR(found(gz, "Taiz"), "Ta‘izz");
    /* an article of another spelling */
    ASSERT_EQ_STR(found(gz, "al-Raqqah"), "Ar Raqqah");
    ASSERT_EQ_STR(found(gz, "Raqqah"), "Ar Raqqah");
    /* nothing for names of no place, or of a place not loaded */
    ASSERT_EQ_STR(found(gz, "Nowhere"), "(none)");
    ASSERT_EQ_STR(found(gz, "Aleppo"), "(none)");
    ASSERT_EQ_INT(truce_gazetteer_find(gz, "", 0, p, 4), 0);
    /* fields kept */
    ASSERT_EQ_INT(truce_gazetteer_find(gz, "Taiz", 4, p, 4), 1);
    ASSERT_EQ_STR(p[0]->country, "YE");
    ASSERT_EQ_STR(p[0]->timezone, "Asia/Aden");
    ASSERT_EQ_STR(p[0]->id, "geonames:9000006");
    ASSERT_EQ_STR(p[0]->feature, "P.PPLA");
    ASSERT_NEAR(p[0]->lat, 13.57952, 1e-9);
    ASSERT_EQ_INT(p[0]->population, 615222);
    truce_gazetteer_free(gz);
    truce_ctx_free(ctx);
}

TEST(gazetteer_most_populous_first)
{
    struct truce_ctx *ctx;
    struct truce_gazetteer *gz;
    const struct truce_place *p[4];
    struct truce_place a, b;
    char ida[] = "a", idb[] = "b", tell[] = "Tell Abyad", tall[] = "Tall Abyad",
         tell2[] = "Tell Abyad";
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce_gazetteer_new(ctx, &gz));
    truce_place_init(&a);
    truce_place_init(&b);
    a.id = ida; a.name = tell; a.lat = 36.69; a.lon = 38.95;
    a.population = 1000;
    b.id = idb; b.name = tall; b.alternates = tell2;
    b.lat = 36.7; b.lon = 38.96; b.population = 44000;
    ASSERT_OK(truce_gazetteer_add(ctx, gz, &a));
    ASSERT_OK(truce_gazetteer_add(ctx, gz, &b));
    ASSERT_OK(truce_gazetteer_finish(ctx, gz));
    ASSERT_EQ_INT(truce_gazetteer_find(gz, "tell abyad", 10, p, 4), 2);
    ASSERT_EQ_STR(p[0]->id, "b");
    ASSERT_EQ_STR(p[1]->id, "a");
    /* a place needs a position */
    a.lat = NAN;
    ASSERT_EQ_INT(truce_gazetteer_add(ctx, gz, &a), TRUCE_EINVAL);
    ASSERT(truce_ctx_errmsg(ctx)[0]);
    truce_gazetteer_free(gz);
    truce_ctx_free(ctx);
}

/* The store's gazetteer: stored places, and the boundaries' named
 * features as places that reach as far as their shapes. */
TEST(gazetteer_from_store_with_boundaries)
{
    struct truce_ctx *ctx;
    struct truce_store *st;
    struct truce_gazetteer *gz;
    const struct truce_place *p[4];
    struct truce_place a;
    enum truce_put_result res;
    char db[TEST_STORE_PATH];
    char id[] = "geonames:170063", name[] = "Aleppo";
    size_t n;
    char *shapes;
    test_store_new(db);
    ASSERT_OK(truce_ctx_new(&ctx));
    ASSERT_OK(truce_store_create(ctx, db, &st));
    truce_place_init(&a);
    a.id = id;
    a.name = name;
    a.lat = 36.20124;
    a.lon = 37.16117;
    a.population = 1602264;
    ASSERT_OK(truce_store_put_place(st, &a, &res));
    ASSERT_EQ_INT(res, TRUCE_PUT_INSERTED);
    ASSERT_OK(truce_store_put_place(st, &a, &res));
    ASSERT_EQ_INT(res, TRUCE_PUT_UNCHANGED);
    shapes = test_slurp(test_path("tests/data/worked/syria-rough.geojson"), &n);
    ASSERT_OK(truce_store_put_boundaries(st, "rough", shapes, NULL));
    free(shapes);
    ASSERT_OK(truce_store_gazetteer(ctx, st, &gz));
    ASSERT_EQ_STR(truce_ctx_errmsg(ctx), "");
    ASSERT_EQ_INT(truce_gazetteer_count(gz), 3);
    ASSERT_EQ_INT(truce_gazetteer_find(gz, "Aleppo", 6, p, 4), 1);
    ASSERT_EQ_STR(p[0]->id, "geonames:170063");
    ASSERT_NEAR(p[0]->radius_km, 0, 0);
    /* a feature's name property: its centre, a radius that covers it */
    n = truce_gazetteer_find(gz, "Aleppo governorate (rough test box)", 35, p, 4);
    ASSERT_EQ_INT(n, 1);
    ASSERT_EQ_STR(p[0]->feature, "boundary");
    ASSERT(p[0]->radius_km > 20 && p[0]->radius_km < 400);
    ASSERT(p[0]->lat > 32 && p[0]->lat < 38 && p[0]->lon > 35 && p[0]->lon < 43);
    ASSERT_EQ_INT(truce_gazetteer_find(gz, "Syria (rough test outline)", 26, p, 4), 1);
    ASSERT(p[0]->radius_km > 300);
    truce_gazetteer_free(gz);
    truce_store_close(st);
    truce_ctx_free(ctx);
    test_store_remove(db);
}
