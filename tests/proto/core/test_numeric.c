/* rcttop's own rounding and transcendental functions against libm's (the tests may load
 * libm; the program does not): rounding and fmod exactly equal, the rest within a few units in the
 * last place, over the ranges rcttop meets and their edges. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "proto/core/numeric.h"

/* A spread of doubles: halfway cases, whole numbers, tiny and huge values, both signs. */
static double sample(int i)
{
    static const double edges[] = {0.0, 0.5, 1.5, 2.5, 0.49999999999999994, 1 - 1e-16, 1e-300,
                                   4503599627370495.5, 4503599627370496.0, 9007199254740993.0,
                                   1e300, 123456.5, 1764547200.25, 2.675, 1e-9, 99.5};
    int n = (int)(sizeof edges / sizeof edges[0]);
    double v = i < 2 * n ? edges[i % n] : ldexp((double)((i * 2654435761u) % 1000003), i % 80 - 40) / 7;
    return i % 2 ? -v : v;
}

static void close_to(double got, double want, double ulps, const char *what, double x)
{
    if (isnan(want)) {
        cr_assert(isnan(got), "%s(%.17g) = %.17g, not NaN", what, x, got);
        return;
    }
    double tolerance = ulps * (nextafter(fabs(want), INFINITY) - fabs(want));
    cr_assert(fabs(got - want) <= tolerance, "%s(%.17g) = %.17g, libm says %.17g", what, x, got,
              want);
}

Test(numeric, rounding_is_exactly_cs)
{
    for (int i = 0; i < 4000; i++) {
        double x = sample(i);
        cr_assert_eq(num_trunc(x), trunc(x), "trunc(%.17g)", x);
        cr_assert_eq(num_floor(x), floor(x), "floor(%.17g) = %.17g", x, num_floor(x));
        cr_assert_eq(num_ceil(x), ceil(x), "ceil(%.17g) = %.17g", x, num_ceil(x));
        cr_assert_eq(num_round(x), round(x), "round(%.17g) = %.17g", x, num_round(x));
        if (fabs(x) < 1e18)
            cr_assert_eq(num_lround(x), lround(x), "lround(%.17g)", x);
    }
    cr_assert(isnan(num_floor(NAN)) && isnan(num_round(NAN)));
    cr_assert_eq(num_ceil(INFINITY), INFINITY);
    cr_assert_eq(num_floor(-INFINITY), -INFINITY);
}

Test(numeric, fmod_min_max_and_powers_of_ten)
{
    cr_assert_eq(num_fmod(1764547200.25, 1.0), 0.25);
    cr_assert_eq(num_fmod(-7, 3), fmod(-7, 3), "the remainder takes x's sign");
    cr_assert_eq(num_fmod(86400 * 400.0 + 17, 3600), 17);
    cr_assert_eq(num_fmod(5, INFINITY), 5);
    static const double far[][2] = {{1e308, 3e-308}, {1.7976931348623157e308, 0.1},
                                    {3.5e-323, 1e-323}, {7e-300, 4.9e-324}, {-1e300, 7}};
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++)
        cr_assert_eq(num_fmod(far[i][0], far[i][1]), fmod(far[i][0], far[i][1]), "fmod(%g, %g)",
                     far[i][0], far[i][1]);
    /* A quotient that rounds up to a whole number: the remainder keeps x's sign. */
    for (int i = 1; i < 20000; i++) {
        double x = i * 0.1, y = 0.1 * (i % 97 + 1);
        double got = num_fmod(x, y);
        cr_assert(got >= 0 && got < y, "fmod(%.17g, %.17g) = %.17g", x, y, got);
        cr_assert_eq(got, fmod(x, y), "fmod(%.17g, %.17g) = %.17g, not %.17g", x, y, got, fmod(x, y));
        cr_assert(num_fmod(-x, y) <= 0, "fmod(%.17g, %.17g)", -x, y);
    }
    cr_assert(isnan(num_fmod(5, 0)) && isnan(num_fmod(INFINITY, 3)));
    for (int i = 0; i < 2000; i++) {
        double x = sample(i), y = sample(i + 7);
        if (y != 0)
            cr_assert_eq(num_fmod(x, y), fmod(x, y), "fmod(%.17g, %.17g) = %.17g, not %.17g", x, y,
                         num_fmod(x, y), fmod(x, y));
        cr_assert_eq(num_fmin(x, y), fmin(x, y));
        cr_assert_eq(num_fmax(x, y), fmax(x, y));
    }
    cr_assert_eq(num_fmin(NAN, 3), 3);
    cr_assert_eq(num_fmax(2, NAN), 2);
    for (int n = 0; n <= 22; n++)
        cr_assert_eq(num_pow10(n), pow(10, n), "10^%d", n);
    close_to(num_pow10(-3), 0.001, 2, "pow10", -3);
}

Test(numeric, sin_and_cos_within_a_few_ulps)
{
    for (int i = -200000; i <= 200000; i++) {
        double x = i * 0.000123456789 * (i % 7 + 1);  /* to +-173 radians */
        double s = sin(x), c = cos(x);
        /* Near a zero the result is small and its ulp tiny: compare absolutely there. */
        cr_assert(fabs(num_sin(x) - s) <= 4e-16 * fmax(1, fabs(x) / 8), "sin(%.17g) = %.17g, not %.17g",
                  x, num_sin(x), s);
        cr_assert(fabs(num_cos(x) - c) <= 4e-16 * fmax(1, fabs(x) / 8), "cos(%.17g) = %.17g, not %.17g",
                  x, num_cos(x), c);
    }
    for (double x = 1e5; x < 1.6e6; x *= 1.37) {  /* the far end of exact reduction */
        cr_assert(fabs(num_sin(x) - sin(x)) <= 1e-9, "sin(%.17g) = %.17g, not %.17g", x, num_sin(x), sin(x));
        cr_assert(fabs(num_cos(-x) - cos(-x)) <= 1e-9, "cos(%.17g)", -x);
    }
    cr_assert(isnan(num_sin(1e7)) && isnan(num_cos(-1e22)), "beyond it: NaN, not a wrong number");
    cr_assert(isnan(num_sin(INFINITY)) && isnan(num_cos(NAN)));
    cr_assert_eq(num_sin(0), 0);
    cr_assert_eq(num_cos(0), 1);
}

Test(numeric, exp_log_and_pow_within_a_few_ulps)
{
    for (int i = -70000; i <= 70000; i++) {
        double x = i * 0.01013;  /* -709 .. 709 */
        close_to(num_exp(x), exp(x), 4, "exp", x);
    }
    cr_assert_eq(num_exp(800), INFINITY);
    cr_assert_eq(num_exp(-800), 0);
    cr_assert_eq(num_exp(0), 1);
    close_to(num_exp(-740), exp(-740), 1e3, "exp (subnormal)", -740);
    for (int i = 1; i < 4000; i++) {
        double x = fabs(sample(i));
        if (x > 0 && isfinite(x))
            close_to(num_log(x), log(x), 4, "log", x);
    }
    cr_assert_eq(num_log(1), 0);
    cr_assert_eq(num_log(0), -INFINITY);
    cr_assert(isnan(num_log(-1)));
    for (int i = 0; i <= 10000; i++) {
        double b = i / 10000.0;
        /* e^(y ln b) carries the rounding of y ln b: about |y ln b| ulps more. */
        if (b > 0) {
            close_to(num_pow(b, 1.2), pow(b, 1.2), 4 + 4 * fabs(1.2 * log(b)), "pow(x, 1.2)", b);
            close_to(num_pow(b * 50, 0.5), pow(b * 50, 0.5), 4 + 4 * fabs(0.5 * log(b * 50)),
                     "pow(x, 0.5)", b * 50);
        }
    }
    cr_assert_eq(num_pow(0, 1.2), 0);
    cr_assert_eq(num_pow(7, 0), 1);
    cr_assert(isnan(num_pow(-2, 1.5)));
}
