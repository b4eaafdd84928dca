/*
 * stats.c - the statistics of "is it working?": exact intervals for rate
 * ratios (conditional binomial, Clopper-Pearson, with GSL's beta
 * quantiles) and the ratio of two rate ratios on the log scale.
 */
#include "truce_int.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

/* Clopper-Pearson interval for a proportion x out of n. */
static void
clopper_pearson(long x, long n, double level, double *lo, double *hi)
{
    double alpha = 1 - level;
    *lo = x == 0 ? 0 : gsl_cdf_beta_Pinv(alpha / 2, (double)x,
                                         (double)(n - x + 1));
    *hi = x == n ? 1 : gsl_cdf_beta_Pinv(1 - alpha / 2, (double)(x + 1),
                                         (double)(n - x));
}

/* p / (1 - p) scaled by the exposure ratio; p = 1 is unbounded. */
static double
odds_to_ratio(double p, double scale)
{
    return p >= 1 ? INFINITY : p / (1 - p) * scale;
}

void
truce_rate_ratio(long a, double days_a, long b, double days_b, double level,
                 struct truce_ratio *out)
{
    double lo, hi, scale = days_a / days_b;
    out->estimate = a > 0 ? ((double)b / days_b) / ((double)a / days_a)
                          : NAN;
    if (a + b == 0) {
        out->ci_low = 0;
        out->ci_high = INFINITY;
        return;
    }
    clopper_pearson(b, a + b, level, &lo, &hi);
    out->ci_low = odds_to_ratio(lo, scale);
    out->ci_high = odds_to_ratio(hi, scale);
}

void
truce_ratio_of_ratios(long a1, long b1, long a2, long b2, double level,
                      struct truce_ratio *out)
{
    double z, lr, se;
    if (a1 <= 0 || b1 <= 0 || a2 <= 0 || b2 <= 0) {
        out->estimate = out->ci_low = out->ci_high = NAN;
        return;
    }
    z = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2);
    lr = log((double)b1 / (double)a1) - log((double)b2 / (double)a2);
    se = sqrt(1.0 / (double)a1 + 1.0 / (double)b1 + 1.0 / (double)a2 +
              1.0 / (double)b2);
    out->estimate = exp(lr);
    out->ci_low = exp(lr - z * se);
    out->ci_high = exp(lr + z * se);
}
