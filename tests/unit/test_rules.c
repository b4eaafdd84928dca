/*
 * test_rules.c - the verdict rules, driven by the case files in
 * tests/data/rules: an event line, expectations per agreement, and the
 * overall verdict (the jq tests' style of text triples).
 */
#define _GNU_SOURCE 1
#include "test.h"

#include <libgen.h>

struct model {
    struct truce_ctx *ctx;
    struct truce_actors *actors;
    struct truce_agreements *set;
};

static void
load_model(struct model *m, char *line)
{
    char *actors = strtok(line + 5, " \n"), *agr = strtok(NULL, " \n");
    char *text, *dir;
    size_t n;
    char path[4096];
    ASSERT_OK(truce_ctx_new(&m->ctx));
    snprintf(path, sizeof(path), "%s", test_path(actors));
    text = test_slurp(path, &n);
    if (truce_actors_parse(m->ctx, text, n, path, &m->actors))
        FAIL_AT("%s", truce_ctx_errmsg(m->ctx));
    free(text);
    snprintf(path, sizeof(path), "%s", test_path(agr));
    text = test_slurp(path, &n);
    dir = strdup(path);
    ASSERT_OK(truce_agreements_new(m->ctx, &m->set));
    /* The rule cases share the worked examples' zone file. */
    ASSERT_OK(truce_agreements_allow_outside(m->ctx, m->set,
                                             test_path("tests/data/worked")));
    if (truce_agreements_parse(m->ctx, m->set, text, n, path, dirname(dir),
                               true))
        FAIL_AT("%s", truce_ctx_errmsg(m->ctx));
    ASSERT_OK(truce_agreements_prepare(m->ctx, m->set, m->actors));
    free(dir);
    free(text);
}

static void
join(char *out, size_t max, const char *const *v, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, v[i], max - strlen(out) - 2);
        if (i + 1 < n)
            strncat(out, ",", max - strlen(out) - 1);
    }
}

/* Checks "expect AGREEMENT VERDICT REASON [side=..] [sides=..]
 * [guarantors=..]" against the assessments. */
static int
check_expect(const char *file, int lineno, const char *event_id,
             struct model *m, struct truce_assessment *as, char *line)
{
    char *agr = strtok(line + 7, " \n"), *verdict = strtok(NULL, " \n");
    char *reason = strtok(NULL, " \n"), *opt;
    long k = truce_agreements_find(m->set, agr);
    char got[512];
    int bad = 0;
    if (k < 0) {
        fprintf(stderr, "  %s:%d: no agreement '%s'\n", file, lineno, agr);
        return 1;
    }
    if (strcmp(truce_verdict_name(as[k].verdict), verdict) ||
        strcmp(truce_reason_name(as[k].reason), reason)) {
        fprintf(stderr, "  %s:%d: %s under %s: got %s %s, expected %s %s\n"
                "    %s\n", file, lineno, event_id, agr,
                truce_verdict_name(as[k].verdict),
                truce_reason_name(as[k].reason), verdict, reason,
                as[k].explanation.buf);
        return 1;
    }
    while ((opt = strtok(NULL, " \n"))) {
        char *eq = strchr(opt, '=');
        const char *want = eq ? eq + 1 : "";
        if (!eq)
            continue;
        *eq = '\0';
        if (!strcmp(opt, "side"))
            snprintf(got, sizeof(got), "%s", as[k].side ? as[k].side : "null");
        else if (!strcmp(opt, "sides"))
            join(got, sizeof(got), as[k].sides, as[k].n_sides);
        else
            join(got, sizeof(got), as[k].guarantors, as[k].n_guarantors);
        if (strcmp(got, want)) {
            fprintf(stderr, "  %s:%d: %s under %s: %s is '%s', expected "
                    "'%s'\n", file, lineno, event_id, agr, opt, got, want);
            bad = 1;
        }
    }
    return bad;
}

static void
run_cases(const char *rel)
{
    char file[4096], line[8192], event_id[256] = "";
    FILE *f;
    struct model m = {0};
    struct truce_event ev;
    struct truce_assessment *as = NULL;
    enum truce_verdict overall = TRUCE_V_NOT_COVERED;
    size_t n = 0;
    int lineno = 0, failures = 0, cases = 0;
    snprintf(file, sizeof(file), "%s", test_path(rel));
    f = fopen(file, "r");
    if (!f)
        FAIL_AT("cannot open %s", file);
    truce_event_init(&ev);
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strncmp(line, "load ", 5)) {
            load_model(&m, line);
            n = truce_agreements_count(m.set);
            as = calloc(n, sizeof(*as));
            for (size_t i = 0; i < n; i++)
                truce_assessment_init(&as[i]);
        } else if (!strncmp(line, "event ", 6)) {
            if (!m.set)
                FAIL_AT("%s:%d: event before load", file, lineno);
            if (truce_event_from_json(m.ctx, line + 6, strlen(line + 6), &ev))
                FAIL_AT("%s:%d: %s", file, lineno, truce_ctx_errmsg(m.ctx));
            snprintf(event_id, sizeof(event_id), "%s", ev.id);
            ASSERT_OK(truce_assess_event(m.ctx, m.set, m.actors, &ev, 0, as,
                                         &overall));
            cases++;
        } else if (!strncmp(line, "expect ", 7)) {
            failures += check_expect(file, lineno, event_id, &m, as, line);
        } else if (!strncmp(line, "overall ", 8)) {
            char *want = strtok(line + 8, " \n");
            if (strcmp(truce_verdict_name(overall), want)) {
                fprintf(stderr, "  %s:%d: %s: overall %s, expected %s\n",
                        file, lineno, event_id, truce_verdict_name(overall),
                        want);
                failures++;
            }
        }
    }
    fclose(f);
    truce_event_release(&ev);
    for (size_t i = 0; i < n; i++)
        truce_assessment_release(&as[i]);
    free(as);
    truce_agreements_free(m.set);
    truce_actors_free(m.actors);
    truce_ctx_free(m.ctx);
    if (failures)
        FAIL_AT("%d of the expectations in %s failed", failures, rel);
    ASSERT(cases > 0);
}

TEST(rules_worked_examples)
{
    run_cases("tests/data/rules/worked.txt");
}

TEST(rules_decision_steps)
{
    run_cases("tests/data/rules/decisions.txt");
}

TEST(rules_membership_and_prohibited)
{
    run_cases("tests/data/rules/membership.txt");
}

/* The explanation names the zone, the actors, their sides and guarantors. */
TEST(rules_explanation_chain)
{
    struct model m = {0};
    struct truce_event ev;
    struct truce_assessment as[2];
    enum truce_verdict overall;
    char line[] = "load tests/data/worked/actors.json "
                  "tests/data/worked/agreements.json";
    const char *json =
        "{\"id\":\"acled:SYR8841\",\"date_start\":\"2016-05-05\","
        "\"lat\":36.2012,\"lon\":37.1612,\"category\":\"remote_violence\","
        "\"directed\":true,\"actor1\":\"Military Forces of Syria (2000-)\","
        "\"actor2\":\"Civilians (Syria)\"}";
    const char *x;
    load_model(&m, line);
    truce_event_init(&ev);
    ASSERT_OK(truce_event_from_json(m.ctx, json, strlen(json), &ev));
    truce_assessment_init(&as[0]);
    truce_assessment_init(&as[1]);
    ASSERT_OK(truce_assess_event(m.ctx, m.set, m.actors, &ev, 0, as,
                                 &overall));
    x = as[truce_agreements_find(m.set, "syria-aleppo-2016-05")]
            .explanation.buf;
    ASSERT(strstr(x, "acled:SYR8841") != NULL);
    ASSERT(strstr(x, "2016-05-05 (a local day in Asia/Damascus)") != NULL);
    ASSERT(strstr(x, "within 'Aleppo city' of 'Regime of calm: Aleppo'"));
    ASSERT(strstr(x, "in force since 2016-05-04 00:01 Asia/Damascus"));
    ASSERT(strstr(x, "Category remote_violence is prohibited."));
    ASSERT(strstr(x, "Perpetrator 'Military Forces of Syria (2000-)' is actor"
                     " syrian-government, bound to side 'government' "
                     "(guarantor: russia)."));
    ASSERT(strstr(x, "Target 'Civilians (Syria)' is civilians."));
    ASSERT(strstr(x, "Verdict: violation, attributed to government; "
                     "guarantor russia."));
    truce_assessment_release(&as[0]);
    truce_assessment_release(&as[1]);
    truce_event_release(&ev);
    truce_agreements_free(m.set);
    truce_actors_free(m.actors);
    truce_ctx_free(m.ctx);
}

/* Names once: each verdict, reason and category has one name, parsed back
 * to itself, and the message lists derive from the same lists. */
TEST(names_round_trip)
{
    for (int v = 0; v <= TRUCE_V_VIOLATION; v++) {
        const char *n = truce_verdict_name((enum truce_verdict)v);
        ASSERT(n[0]);
        ASSERT_EQ_INT(truce_verdict_parse(n), v);
        ASSERT(strstr(TRUCE_NAME_LIST(TRUCE_VERDICTS), n));
    }
    for (int r = 1; r < TRUCE_R_COUNT; r++) {
        const char *n = truce_reason_name((enum truce_reason)r);
        ASSERT(n[0]);
        ASSERT_EQ_INT(truce_reason_parse(n), r);
    }
    ASSERT_EQ_INT(truce_reason_parse("breech"), TRUCE_R_NONE);
    for (int c = 1; c < TRUCE_CAT_COUNT; c++) {
        const char *n = truce_category_name((enum truce_category)c);
        ASSERT(n[0]);
        ASSERT_EQ_INT(truce_category_parse(n, strlen(n)), c);
        ASSERT(strstr(TRUCE_NAME_LIST(TRUCE_CATEGORIES), n));
    }
    ASSERT_EQ_STR(TRUCE_NAME_LIST(TRUCE_VERDICTS),
                  "not_covered, not_applicable, permitted, undetermined, "
                  "violation");
    /* every name has words for people, and out of range is "" */
    for (int v = 0; v <= TRUCE_V_VIOLATION; v++)
        ASSERT(truce_verdict_words((enum truce_verdict)v)[0]);
    for (int r = 1; r < TRUCE_R_COUNT; r++)
        ASSERT(truce_reason_words((enum truce_reason)r)[0]);
    for (int c = 1; c < TRUCE_CAT_COUNT; c++)
        ASSERT(truce_category_words((enum truce_category)c)[0]);
    ASSERT_EQ_STR(truce_verdict_words((enum truce_verdict)99), "");
    ASSERT_EQ_STR(truce_reason_words(TRUCE_R_NONE), "");
    ASSERT_EQ_STR(truce_verdict_words(TRUCE_V_NOT_COVERED), "not covered");
    for (int s = 0; s < TRUCE_RS_COUNT; s++) {
        const char *n = truce_review_state_name((enum truce_review_state)s);
        ASSERT(n[0] && truce_review_state_words((enum truce_review_state)s)[0]);
        ASSERT_EQ_INT(truce_review_state_parse(n), s);
        ASSERT(strstr(TRUCE_NAME_LIST(TRUCE_REVIEW_STATES), n));
    }
    for (int o = 0; o < TRUCE_OUT_COUNT; o++) {
        const char *n = truce_outcome_name((enum truce_outcome)o);
        ASSERT(n[0] && truce_outcome_words((enum truce_outcome)o)[0]);
        ASSERT_EQ_INT(truce_outcome_parse(n), o);
    }
    ASSERT_EQ_INT(truce_review_state_parse("closed"), -1);
    ASSERT_EQ_STR(truce_strerror(TRUCE_EAUTH), "not authorised");
    ASSERT_EQ_STR(truce_strerror((truce_status)99), "unknown status");
}

/* The review workflow's steps (docs/api.md), from the one function the
 * store's checks and the API's vocabulary both use. */
TEST(review_steps)
{
    static const struct {
        int from;
        enum truce_review_state to;
        bool ok;
    } steps[] = {
        {-1, TRUCE_RS_ALLEGED, true},
        {-1, TRUCE_RS_ASSESSED, false},
        {-1, TRUCE_RS_RESPONDED, false},
        {TRUCE_RS_ALLEGED, TRUCE_RS_INFORMATION_REQUESTED, true},
        {TRUCE_RS_ALLEGED, TRUCE_RS_ASSESSED, true},
        {TRUCE_RS_ALLEGED, TRUCE_RS_RESPONDED, false},
        {TRUCE_RS_ALLEGED, TRUCE_RS_ALLEGED, false},
        {TRUCE_RS_INFORMATION_REQUESTED, TRUCE_RS_RESPONDED, true},
        {TRUCE_RS_INFORMATION_REQUESTED, TRUCE_RS_ASSESSED, false},
        {TRUCE_RS_RESPONDED, TRUCE_RS_INFORMATION_REQUESTED, true},
        {TRUCE_RS_RESPONDED, TRUCE_RS_ASSESSED, true},
        {TRUCE_RS_ASSESSED, TRUCE_RS_ALLEGED, true},
        {TRUCE_RS_ASSESSED, TRUCE_RS_RESPONDED, false},
        {TRUCE_RS_ASSESSED, TRUCE_RS_COUNT, false},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        ASSERT_EQ_INT(truce_review_step_allowed(steps[i].from, steps[i].to),
                      steps[i].ok);
}
