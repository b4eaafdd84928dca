/*
 * test_stats.c - rate ratios with exact intervals, checked against
 * published Clopper-Pearson bounds, and the ratio of rate ratios checked
 * against a hand computation.
 */
#include "test.h"

#include <math.h>

/* Published exact (Clopper-Pearson) 95% bounds for x events out of n
 * (e.g. the binomial tables of Documenta Geigy and of Conover, Practical
 * Nonparametric Statistics): with equal windows the rate ratio is x/(n-x)
 * and its bounds are p/(1-p) at the proportion bounds. */
static const struct {
    long x, n;
    double lo, hi;
} table[] = {
    {0, 10, 0.0, 0.30850},
    {1, 10, 0.00253, 0.44502},
    {5, 10, 0.18709, 0.81291},
    {0, 20, 0.0, 0.16843},
    {10, 20, 0.27196, 0.72804},
    {0, 5, 0.0, 0.52182},
};

TEST(stats_rate_ratio_clopper_pearson_table)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        struct truce_ratio r;
        long b = table[i].x, a = table[i].n - table[i].x;
        double lo = table[i].lo / (1 - table[i].lo);
        double hi = table[i].hi / (1 - table[i].hi);
        truce_rate_ratio(a, 30, b, 30, 0.95, &r);
        ASSERT_NEAR(r.estimate, (double)b / (double)a, 1e-12);
        ASSERT_NEAR(r.ci_low, lo, 2e-4 * (1 + lo));
        ASSERT_NEAR(r.ci_high, hi, 2e-4 * (1 + hi));
        ASSERT(r.ci_low <= r.estimate && r.estimate <= r.ci_high);
    }
}

/* Unequal windows scale the ratio and both bounds by days_a / days_b. */
TEST(stats_rate_ratio_unequal_windows)
{
    struct truce_ratio eq, un;
    truce_rate_ratio(5, 10, 5, 10, 0.95, &eq);
    truce_rate_ratio(5, 10, 5, 20, 0.95, &un);
    ASSERT_NEAR(un.estimate, 0.5, 1e-12);
    ASSERT_NEAR(un.ci_low, eq.ci_low / 2, 1e-12);
    ASSERT_NEAR(un.ci_high, eq.ci_high / 2, 1e-12);
}

/* Zero counts: the interval still exists. */
TEST(stats_rate_ratio_zero_counts)
{
    struct truce_ratio r;
    truce_rate_ratio(0, 30, 0, 30, 0.95, &r);
    ASSERT(isnan(r.estimate));
    ASSERT_NEAR(r.ci_low, 0, 0);
    ASSERT(isinf(r.ci_high));
    truce_rate_ratio(0, 30, 4, 30, 0.95, &r); /* nothing before */
    ASSERT(isnan(r.estimate));
    ASSERT(r.ci_low > 0);
    ASSERT(isinf(r.ci_high));
    truce_rate_ratio(5, 30, 0, 30, 0.95, &r); /* nothing after */
    ASSERT_NEAR(r.estimate, 0, 0);
    ASSERT_NEAR(r.ci_low, 0, 0);
    /* the upper bound of 0 out of 5 is 1 - 0.025^(1/5) */
    ASSERT_NEAR(r.ci_high, (1 - pow(0.025, 0.2)) / pow(0.025, 0.2), 1e-9);
}

/* (10/20) / (40/40) = 0.5; SE of the log = sqrt(1/20 + 1/10 + 1/40 +
 * 1/40) = sqrt(0.2); bounds 0.5 * exp(-+1.959964 * 0.4472136). */
TEST(stats_ratio_of_ratios)
{
    struct truce_ratio r;
    truce_ratio_of_ratios(20, 10, 40, 40, 0.95, &r);
    ASSERT_NEAR(r.estimate, 0.5, 1e-12);
    ASSERT_NEAR(r.ci_low, 0.5 * exp(-1.959964 * sqrt(0.2)), 1e-6);
    ASSERT_NEAR(r.ci_high, 0.5 * exp(1.959964 * sqrt(0.2)), 1e-6);
    ASSERT_NEAR(r.ci_low, 0.20811, 1e-4);
    ASSERT_NEAR(r.ci_high, 1.20127, 1e-4);
    truce_ratio_of_ratios(20, 0, 40, 40, 0.95, &r);
    ASSERT(isnan(r.estimate) && isnan(r.ci_low) && isnan(r.ci_high));
}
