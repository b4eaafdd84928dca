/*
 * score.c - the news extractor scored on the labelled set
 * (tests/data/news/, README there): each case's text through
 * truce_extract with the set's gazetteer, the incidents found matched to
 * the labelled ones (same category, place within TOL_KM, dates that
 * overlap), then precision, recall and the accuracy of each field over
 * the matched; agreement statements matched by action and area, and how
 * many have their effective local time exact.
 *
 * usage: news_score TOP [MIN_PRECISION MIN_RECALL [MIN_FIELD MIN_STATEMENTS]]
 * MIN_FIELD is the floor of every field's accuracy over the matched
 * incidents, MIN_STATEMENTS that of the labelled statements found with
 * their effective time exact.
 * With NEWS_SCORE_VERBOSE set, each missed and each extra incident is
 * printed, and with NEWS_SCORE_FIELD=name each match whose field differs.
 * NEWS_SCORE_DUMP=DIR writes each case's output JSON to DIR/<case>.json.
 * Prints the figures; exits 1 when a floor is not met, 2 on bad usage.
 * A case whose text file is absent (the seed, read from ../shared) is
 * skipped and said so. NEWS_SCORE_SET=DIR scores another set under TOP
 * (tests/data/news/heldout).
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <truce/truce.h>

#include "../common/tools.h"

#define TOL_KM 30.0


static const char *
str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static bool
same(json_t *a, json_t *b)
{
    return json_equal(a ? a : json_null(), b ? b : json_null());
}

/* The fields compared on matched incidents, and how many were right. */
static const char *const fields[] = {"subcategory", "date_start", "date_end",
                                     "time", "perpetrator_kind",
                                     "fatalities", "fatalities_low",
                                     "protected_site", "hedged", "directed"};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

struct tally {
    long found, labelled, matched, right[N_FIELDS];
    long ag_found, ag_labelled, ag_matched, ag_time;
    long cases, skipped;
};

static json_t *
got_field(json_t *inc, const char *f)
{
    if (!strcmp(f, "perpetrator_kind"))
        return json_object_get(json_object_get(inc, "perpetrator"), "kind");
    return json_object_get(inc, f);
}

static bool
dates_overlap(json_t *a, json_t *b)
{
    return strcmp(str(a, "date_start"), str(b, "date_end")) <= 0 &&
           strcmp(str(b, "date_start"), str(a, "date_end")) <= 0;
}

static bool verbose;

static void
say_missed(const char *what, json_t *x, const char *name)
{
    json_t *pl = json_object_get(x, "place");
    printf("# %s %s: %s at %s %s: %.100s\n", what, name, str(x, "category"),
           json_is_object(pl) ? str(pl, "name") : str(x, "place"),
           str(x, "date_start"),
           json_object_get(x, "sentence") ? str(x, "sentence")
                                          : str(x, "evidence"));
}

static void
score_case(json_t *label, json_t *got, struct tally *t, const char *name)
{
    json_t *li = json_object_get(label, "incidents"),
           *gi = json_object_get(got, "incidents"), *x, *y;
    size_t i, j;
    char used[512] = {0}, lused[512] = {0};
    t->found += (long)json_array_size(gi);
    t->labelled += (long)json_array_size(li);
    json_array_foreach(li, i, x) {
        json_array_foreach(gi, j, y) {
            json_t *pl = json_object_get(y, "place");
            if (j >= sizeof(used) || used[j] ||
                strcmp(str(x, "category"), str(y, "category")) ||
                !dates_overlap(x, y) ||
                km(json_number_value(json_object_get(x, "lat")),
                   json_number_value(json_object_get(x, "lon")),
                   json_number_value(json_object_get(pl, "lat")),
                   json_number_value(json_object_get(pl, "lon"))) > TOL_KM)
                continue;
            used[j] = 1;
            t->matched++;
            for (size_t f = 0; f < N_FIELDS; f++) {
                bool ok = same(json_object_get(x, fields[f]),
                               got_field(y, fields[f]));
                t->right[f] += ok;
                if (verbose && !ok && getenv("NEWS_SCORE_FIELD") &&
                    !strcmp(getenv("NEWS_SCORE_FIELD"), fields[f])) {
                    char *want = json_dumps(json_object_get(x, fields[f]),
                                            JSON_ENCODE_ANY),
                         *have = json_dumps(got_field(y, fields[f]),
                                           JSON_ENCODE_ANY);
                    printf("# field %s %s: want %s, got %s: %.90s\n",
                           fields[f], name, want ? want : "null",
                           have ? have : "null", str(y, "sentence"));
                    free(want);
                    free(have);
                }
            }
            break;
        }
        if (verbose && j == json_array_size(gi))
            say_missed("missed", x, name);
    }
    json_array_foreach(gi, j, y) {
        if (verbose && (j >= sizeof(used) || !used[j]))
            say_missed("extra", y, name);
    }
    li = json_object_get(label, "agreements");
    gi = json_object_get(got, "agreements");
    t->ag_found += (long)json_array_size(gi);
    t->ag_labelled += (long)json_array_size(li);
    memset(used, 0, sizeof(used));
    /* statements matched by action, those with the same effective time
     * first */
    for (int pass = 0; pass < 2; pass++)
    json_array_foreach(li, i, x) {
        if (i < sizeof(lused) && lused[i])
            continue;
        json_array_foreach(gi, j, y) {
            if (j >= sizeof(used) || used[j] ||
                strcmp(str(x, "action"), str(y, "action")) ||
                (pass == 0 && !same(json_object_get(x, "effective"),
                                    json_object_get(y, "effective"))))
                continue;
            if (i < sizeof(lused))
                lused[i] = 1;
            used[j] = 1;
            t->ag_matched++;
            t->ag_time += same(json_object_get(x, "effective"),
                               json_object_get(y, "effective"));
            if (verbose && !same(json_object_get(x, "effective"),
                                 json_object_get(y, "effective")))
                printf("# effective %s: %s, found %s: %.90s\n", name,
                       str(x, "effective"), str(y, "effective"),
                       str(y, "sentence"));
            break;
        }
        if (verbose && pass == 1 && j == json_array_size(gi))
            printf("# missed statement %s: %s %s: %.100s\n", name,
                   str(x, "action"), str(x, "effective"), str(x, "evidence"));
    }
    json_array_foreach(gi, j, y) {
        if (verbose && (j >= sizeof(used) || !used[j]))
            printf("# extra statement %s: %s: %.100s\n", name,
                   str(y, "action"), str(y, "sentence"));
    }
}

/* The set scored, under TOP: tests/data/news, or NEWS_SCORE_SET (the
 * held-out set, tests/data/news/heldout), each with cases/ and its
 * gazetteer.csv. */
static const char *
set_dir(void)
{
    const char *s = getenv("NEWS_SCORE_SET");
    return s && *s ? s : "tests/data/news";
}

static struct truce_gazetteer *
gazetteer(struct truce_ctx *ctx, const char *top)
{
    char path[4096];
    struct truce_gazetteer *gz;
    snprintf(path, sizeof(path), "%s/%s/gazetteer.csv", top, set_dir());
    if (truce_gazetteer_from_file(ctx, path, &gz, NULL)) {
        fprintf(stderr, "news_score: %s\n", truce_ctx_errmsg(ctx));
        exit(2);
    }
    return gz;
}

static double
ratio(long a, long b)
{
    return b ? (double)a / (double)b : 1;
}

/* NEWS_SCORE_DUMP=DIR: each case's output as DIR/<case>.json, so that
 * two builds' outputs can be compared byte for byte (a change meant to
 * keep what is read). */
static void
dump(const char *name, const char *doc)
{
    const char *dir = getenv("NEWS_SCORE_DUMP");
    char path[8192];
    FILE *f;
    if (!dir)
        return;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (!(f = fopen(path, "w")) || fputs(doc, f) == EOF || fclose(f)) {
        fprintf(stderr, "news_score: cannot write %s\n", path);
        exit(2);
    }
}

int
main(int argc, char **argv)
{
    struct truce_ctx *ctx;
    struct truce_gazetteer *gz;
    struct tally t = {0};
    char dir[4096];
    struct dirent **names;
    int n;
    double p, r;
    if (argc != 2 && argc != 4 && argc != 6) {
        fprintf(stderr, "usage: news_score TOP [MIN_PRECISION MIN_RECALL "
                        "[MIN_FIELD MIN_STATEMENTS]]\n");
        return 2;
    }
    verbose = getenv("NEWS_SCORE_VERBOSE") != NULL;
    truce_ctx_new(&ctx);
    gz = gazetteer(ctx, argv[1]);
    snprintf(dir, sizeof(dir), "%s/%s/cases", argv[1], set_dir());
    n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char path[8192], tpath[8192];
        size_t len = strlen(names[i]->d_name), tn;
        json_t *label;
        char *text, *doc = NULL;
        int y, m, d;
        struct truce_extract_opts o = {0, "UTC", "eval", NULL, NULL};
        if (len < 6 || strcmp(names[i]->d_name + len - 5, ".json"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        label = json_load_file(path, 0, NULL);
        if (json_object_get(label, "text_file"))
            snprintf(tpath, sizeof(tpath), "%s/%s", argv[1],
                     str(label, "text_file"));
        else
            snprintf(tpath, sizeof(tpath), "%s/%.*s.txt", dir,
                     (int)(len - 5), names[i]->d_name);
        if (!label || !(text = slurp(tpath, &tn))) {
            printf("# skipped %s: %s is absent\n", names[i]->d_name, tpath);
            t.skipped++;
            json_decref(label);
            continue;
        }
        sscanf(str(label, "published"), "%d-%d-%d", &y, &m, &d);
        o.published = truce_days_from_civil(y, m, d);
        o.timezone = str(label, "timezone");
        if (truce_extract(ctx, text, tn, &o, gz, &doc) == TRUCE_OK) {
            json_t *got = json_loads(doc, 0, NULL);
            dump(names[i]->d_name, doc);
            score_case(label, got, &t, names[i]->d_name);
            json_decref(got);
            t.cases++;
        } else {
            printf("# %s: %s\n", names[i]->d_name, truce_ctx_errmsg(ctx));
        }
        free(doc);
        free(text);
        json_decref(label);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    p = ratio(t.matched, t.found);
    r = ratio(t.matched, t.labelled);
    printf("news: %ld cases (%ld skipped); incidents: %ld labelled, %ld found, "
           "%ld matched: precision %.3f, recall %.3f\n", t.cases, t.skipped,
           t.labelled, t.found, t.matched, p, r);
    for (size_t f = 0; f < N_FIELDS; f++)
        printf("  %-18s %.3f of matched\n", fields[f],
               ratio(t.right[f], t.matched));
    printf("agreements: %ld labelled, %ld found, %ld matched by action; "
           "effective time exact in %ld of %ld labelled\n", t.ag_labelled,
           t.ag_found, t.ag_matched, t.ag_time, t.ag_labelled);
    truce_gazetteer_free(gz);
    truce_ctx_free(ctx);
    if (argc >= 4 && (p < atof(argv[2]) || r < atof(argv[3]))) {
        printf("news: below the floor (precision %s, recall %s)\n", argv[2],
               argv[3]);
        return 1;
    }
    if (argc == 6) {
        int below = 0;
        for (size_t f = 0; f < N_FIELDS; f++)
            if (ratio(t.right[f], t.matched) < atof(argv[4])) {
                printf("news: %s below the floor %s\n", fields[f], argv[4]);
                below = 1;
            }
        if (ratio(t.ag_time, t.ag_labelled) < atof(argv[5])) {
            printf("news: statements with their time exact below the floor "
                   "%s\n", argv[5]);
            below = 1;
        }
        return below;
    }
    return 0;
}
