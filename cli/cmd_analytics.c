/*
 * cmd_analytics.c - `truce boundaries load`, `truce trend` and `truce
 * coverage`: is the ceasefire working, and how much of the country is
 * under one?
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

/* --country NAME|FILE.geojson: a file when one exists at that path, else
 * boundaries loaded under that name. */
int
cli_region(struct cli *c, const char *arg, struct truce_region **out)
{
    struct stat sb;
    char *text = NULL;
    size_t len;
    int rc;
    if (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode)) {
        if (!(text = cli_read_file(arg, &len)))
            return EXIT_INPUT;
    } else {
        if ((rc = cli_store(c)))
            return rc;
        if (truce_store_get_boundaries(c->store, arg, &text))
            return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        if (!text)
            return cli_fail(EXIT_INPUT, "no boundaries named '%s' (load them "
                            "with 'truce boundaries load FILE --name %s') "
                            "and no such file", arg, arg);
        len = strlen(text);
    }
    if (truce_region_parse(c->ctx, text, len, arg, out)) {
        free(text);
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    }
    free(text);
    return 0;
}

/* ------------------------------------------------------- boundaries */

static int
boundaries_load(struct cli *c, const char *path, const char *name,
                const char *idprop)
{
    json_t *root, *feats, *f, *kept;
    json_error_t jerr;
    struct truce_region *r = NULL;
    char *text;
    size_t i, n_kept;
    bool changed;
    int rc;
    root = json_load_file(path, 0, &jerr);
    if (!root)
        return cli_fail(EXIT_INPUT, "%s:%d: %s", path, jerr.line, jerr.text);
    feats = json_object_get(root, "features");
    if (!json_is_array(feats)) {
        json_decref(root);
        return cli_fail(EXIT_INPUT, "%s: not a GeoJSON FeatureCollection",
                        path);
    }
    /* Keep the polygons, and each feature's id from --id-property. */
    kept = json_array();
    json_array_foreach(feats, i, f) {
        const char *gt = json_string_value(
            json_object_get(json_object_get(f, "geometry"), "type"));
        json_t *props = json_object_get(f, "properties"), *idv;
        if (!gt || (strcmp(gt, "Polygon") && strcmp(gt, "MultiPolygon"))) {
            fprintf(stderr, "truce: warning: %s: feature %zu is not a "
                    "polygon; skipped\n", path, i);
            continue;
        }
        idv = idprop ? json_object_get(props, idprop) : NULL;
        if (idprop && !idv) {
            fprintf(stderr, "truce: warning: %s: feature %zu has no "
                    "property '%s'\n", path, i, idprop);
        }
        if (idv)
            json_object_set(f, "id", idv);
        json_array_append(kept, f);
    }
    n_kept = json_array_size(kept);
    json_object_set_new(root, "features", kept);
    json_object_set_new(root, "name", json_string(name));
    if (idprop)
        json_object_set_new(root, "id_property", json_string(idprop));
    text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (truce_region_parse(c->ctx, text, strlen(text), name, &r)) {
        free(text);
        return cli_fail(EXIT_INPUT, "%s: %s", path, truce_ctx_errmsg(c->ctx));
    }
    if ((rc = cli_store(c)) ||
        (truce_store_put_boundaries(c->store, name, text, &changed) &&
         (rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx))))) {
        truce_region_free(c->ctx, r);
        free(text);
        return rc;
    }
    printf("truce: boundaries '%s' from '%s': %zu polygon feature%s, "
           "%.0f km2%s\n", name, path, n_kept, n_kept == 1 ? "" : "s",
           truce_region_area_km2(r), changed ? "" : " (unchanged)");
    truce_region_free(c->ctx, r);
    free(text);
    return 0;
}

int
cmd_boundaries(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, 0, 'n'},
        {"id-property", required_argument, 0, 'p'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *name = NULL, *idprop = NULL;
    int ch;
    if (argc < 2 || strcmp(argv[1], "load"))
        return cli_usage(cli_find("boundaries"));
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'n': name = optarg; break;
        case 'p': idprop = optarg; break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("boundaries"));
        }
    }
    if (!name || optind != argc - 2)
        return cli_usage(cli_find("boundaries"));
    return boundaries_load(c, argv[1 + optind], name, idprop);
}

/* ------------------------------------------------------------ trend */

static void
print_ratio(const char *label, const struct truce_ratio *r)
{
    printf("  %-28s", label);
    if (isfinite(r->estimate))
        printf("%.2f", r->estimate);
    else
        printf("undefined");
    printf(" (95%% CI %.2f to ", r->ci_low);
    if (isfinite(r->ci_high))
        printf("%.2f)\n", r->ci_high);
    else
        printf("infinity)\n");
}

static void
print_window_row(const char *label, const struct truce_window *b,
                 const struct truce_window *a)
{
    printf("  %-28s %6ld  (%5.2f a day)   %6ld  (%5.2f a day)\n", label,
           b->count, isfinite(b->rate_per_day) ? b->rate_per_day : 0,
           a->count, isfinite(a->rate_per_day) ? a->rate_per_day : 0);
}

/* A line of blocks, one per day, the start marked with '|'. */
static void
sparkline(const struct truce_trend *t)
{
    static const char *const blocks[] = {"·", "▁", "▂", "▃", "▄",
                                         "▅", "▆", "▇", "█"};
    long max = 0;
    for (size_t i = 0; i < t->n_daily; i++)
        if (t->daily[i].potential_violations > max)
            max = t->daily[i].potential_violations;
    printf("  daily potential violations (max %ld):\n  ", max);
    for (size_t i = 0; i < t->n_daily; i++) {
        long v = t->daily[i].potential_violations;
        if (i == t->start_index)
            printf("|");
        printf("%s", blocks[max ? (v * 8 + max - 1) / max : 0]);
    }
    printf("\n");
}

static void
print_trend(const struct truce_trend *t)
{
    char s[32], b0[16] = "", b1[16] = "", a0[16] = "", a1[16] = "";
    truce_format_utc(t->start_local, s);
    s[16] = '\0';
    s[10] = ' ';
    if (t->n_daily) {
        truce_format_day(t->daily[0].day, b0);
        truce_format_day((t->start_local - 1) / 86400, b1);
        truce_format_day(t->daily[t->start_index].day, a0);
        truce_format_day(t->daily[t->n_daily - 1].day, a1);
    }
    printf("Trend of %s%s%s: %g-day windows around its start, %s %s\n",
           t->agreement, t->zone ? ", zone " : "", t->zone ? t->zone : "",
           t->window_days, s, t->timezone);
    if (t->note[0])
        printf("  note: %s\n", t->note);
    if (t->counted == TRUCE_COUNT_INCIDENTS)
        printf("  counting incidents: reports of one occurrence count once "
               "(--count events for every report)\n");
    printf("  %-28s %-24s %-24s\n", "", "before", "after");
    printf("  %-28s %s..%s   %s..%s (local days)\n", "window", b0, b1, a0,
           a1);
    print_window_row("potential violations", &t->before, &t->after);
    printf("  %-28s %6ld %24ld\n", "all violent events", t->before.all_violent,
           t->after.all_violent);
    printf("  %-28s %6ld %24ld\n", "fatalities (best)", t->before.fatalities,
           t->after.fatalities);
    print_ratio("rate ratio after/before", &t->rate_ratio);
    if (t->has_control) {
        print_window_row("control region", &t->control_before,
                         &t->control_after);
        print_ratio("control rate ratio", &t->control_ratio);
        if (isfinite(t->ratio_of_ratios.estimate))
            print_ratio("ratio of ratios", &t->ratio_of_ratios);
        else
            printf("  %-28sundefined (a count is zero)\n", "ratio of ratios");
    } else {
        printf("  no control region (no --country, or the agreement covers "
               "it all)\n");
    }
    if (t->n_daily)
        sparkline(t);
}

int
cmd_trend(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"agreement", required_argument, 0, 'a'},
        {"zone", required_argument, 0, 'z'},
        {"window", required_argument, 0, 'w'},
        {"country", required_argument, 0, 'c'},
        {"format", required_argument, 0, 'f'},
        {"count", required_argument, 0, 'C'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *id = NULL, *zone = NULL, *country = NULL;
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_region *region = NULL;
    struct truce_trend t;
    double window = 30;
    bool as_json = false;
    char *end;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'a': id = optarg; break;
        case 'z': zone = optarg; break;
        case 'w':
            window = strtod(optarg, &end);
            if (*end || !(window >= 1 && window <= 3660))
                return cli_fail(EXIT_USAGE, "--window must be 1 to 3660 "
                                "days");
            break;
        case 'c': country = optarg; break;
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        case 'C':
            if (!cli_count(c, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_usage(cli_find("trend"));
        }
    }
    if (!id || optind != argc)
        return cli_usage(cli_find("trend"));
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    if (country && (rc = cli_region(c, country, &region)))
        goto out;
    if (truce_trend_compute(c->ctx, c->store, set, actors, id, zone, window,
                            region, &t)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        goto out;
    }
    if (as_json) {
        struct truce_buf b;
        truce_buf_init(&b, 0);
        truce_trend_to_json(&t, &b);
        puts(b.buf);
        truce_buf_release(&b);
    } else {
        print_trend(&t);
    }
    truce_trend_release(&t);
out:
    truce_region_free(c->ctx, region);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

/* --------------------------------------------------------- coverage */

static void
print_coverage(const struct truce_coverage *cv, bool one_line)
{
    char d[16];
    truce_format_day(cv->day, d);
    if (one_line) {
        printf("%s  %-10s  %5.1f%%  %zu agreement%s in force", d,
               cv->classification, cv->share * 100, cv->n_items,
               cv->n_items == 1 ? "" : "s");
        for (size_t i = 0; i < cv->n_items; i++)
            printf("%s%s", i ? ", " : ": ", cv->items[i].id);
        printf("\n");
        return;
    }
    printf("Coverage of %s on %s (12:00 local): %s\n", cv->country, d,
           cv->classification);
    printf("  country area %.0f km2; covered %.0f km2 (%.1f%%)\n",
           cv->country_area_km2, cv->covered_area_km2, cv->share * 100);
    for (size_t i = 0; i < cv->n_items; i++)
        printf("  %-34s %10.0f km2  %5.1f%%\n", cv->items[i].id,
               cv->items[i].area_km2, cv->items[i].share * 100);
    if (cv->events_total)
        printf("  violent %s in the previous 30 days: %ld in the "
               "country, %ld (%.1f%%) in covered areas\n",
               cv->counted == TRUCE_COUNT_INCIDENTS ? "incidents" : "events",
               cv->events_total, cv->events_inside, cv->event_share * 100);
    else
        printf("  no violent events in the country in the previous 30 "
               "days\n");
}

int
cmd_coverage(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, 0, 'd'},
        {"from", required_argument, 0, 'F'},
        {"to", required_argument, 0, 'T'},
        {"country", required_argument, 0, 'c'},
        {"format", required_argument, 0, 'f'},
        {"count", required_argument, 0, 'C'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *country = NULL;
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_region *region = NULL;
    int64_t from = 0, to = -1;
    bool as_json = false, series = false, have_date = false;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            if (!cli_parse_day(optarg, &from))
                return cli_fail(EXIT_USAGE, "--date: not a date: '%s'",
                                optarg);
            to = from;
            have_date = true;
            break;
        case 'F':
            if (!cli_parse_day(optarg, &from))
                return cli_fail(EXIT_USAGE, "--from: not a date: '%s'",
                                optarg);
            series = have_date = true;
            break;
        case 'T':
            if (!cli_parse_day(optarg, &to))
                return cli_fail(EXIT_USAGE, "--to: not a date: '%s'", optarg);
            series = true;
            break;
        case 'c': country = optarg; break;
        case 'f':
            if (!cli_text_or_json(optarg, &as_json))
                return EXIT_USAGE;
            break;
        case 'D': c->db = optarg; break;
        case 'C':
            if (!cli_count(c, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_usage(cli_find("coverage"));
        }
    }
    if (!have_date || !country || optind != argc || to < from ||
        to - from > 3660)
        return cli_usage(cli_find("coverage"));
    if ((rc = cli_model(c, &actors, &set)) ||
        (rc = cli_region(c, country, &region)))
        goto out;
    if (as_json && series)
        printf("{\"series\": [");
    for (int64_t d = from; d <= to; d++) {
        struct truce_coverage cv;
        if (truce_coverage_compute(c->ctx, c->store, set, region, d, &cv)) {
            rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
            break;
        }
        if (as_json) {
            struct truce_buf b;
            truce_buf_init(&b, 0);
            truce_coverage_to_json(&cv, &b);
            printf("%s%s", series && d > from ? ",\n" : series ? "\n" : "",
                   b.buf);
            truce_buf_release(&b);
        } else {
            print_coverage(&cv, series);
        }
        truce_coverage_release(&cv);
    }
    if (as_json)
        printf(series ? "\n]}\n" : "\n");
out:
    truce_region_free(c->ctx, region);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}

/* ------------------------------------------------------------ report */

int
cmd_report(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"agreement", required_argument, 0, 'a'},
        {"date", required_argument, 0, 'd'},
        {"days", required_argument, 0, 'n'},
        {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'},
        {"count", required_argument, 0, 'C'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *id = NULL, *format = "md", *output = NULL;
    struct truce_actors *actors = NULL;
    struct truce_agreements *set = NULL;
    struct truce_buf b;
    int64_t day = 0;
    bool have_day = false;
    long days = 1;
    char *end;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'a': id = optarg; break;
        case 'd':
            if (!cli_parse_day(optarg, &day))
                return cli_fail(EXIT_USAGE, "--date: not a date: '%s'",
                                optarg);
            have_day = true;
            break;
        case 'n':
            days = strtol(optarg, &end, 10);
            if (*end || days < 1 || days > 366)
                return cli_fail(EXIT_USAGE, "--days must be 1 to 366");
            break;
        case 'f':
            if (strcmp(optarg, "md") && strcmp(optarg, "html") &&
                strcmp(optarg, "json"))
                return cli_fail(EXIT_USAGE, "--format must be md, html or "
                                "json");
            format = optarg;
            break;
        case 'o': output = optarg; break;
        case 'D': c->db = optarg; break;
        case 'C':
            if (!cli_count(c, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_usage(cli_find("report"));
        }
    }
    if (!id || !have_day || optind != argc)
        return cli_usage(cli_find("report"));
    if ((rc = cli_model(c, &actors, &set)))
        return rc;
    truce_buf_init(&b, 0);
    if (truce_report_render(c->ctx, c->store, set, actors, id, day,
                            (int)days, format, &b)) {
        rc = cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    } else if (output) {
        FILE *f = fopen(output, "w");
        if (!f || fwrite(b.buf, 1, b.len, f) != b.len) {
            rc = cli_fail(EXIT_INPUT, "cannot write '%s'", output);
        } else {
            printf("truce: report written to '%s'\n", output);
        }
        if (f && fclose(f) && !rc)
            rc = cli_fail(EXIT_INPUT, "cannot write '%s'", output);
    } else {
        fputs(b.buf, stdout);
    }
    truce_buf_release(&b);
    truce_agreements_free(set);
    truce_actors_free(actors);
    return rc;
}
