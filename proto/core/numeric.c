#include "proto/core/numeric.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* 2^52: from here on every double is a whole number. */
#define WHOLE_FROM 4503599627370496.0

/* pi/2 and ln 2 in two parts, the first with enough trailing zero bits that multiplying
 * it by a small whole number is exact (Cody and Waite's argument reduction). */
#define PIO2_HI 1.57079632673412561417e+00
#define PIO2_LO 6.07710050650619224932e-11
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define LOG2_E 1.44269504088896338700e+00
#define SQRT_2 1.41421356237309514547e+00

double num_trunc(double x)
{
    if (!(fabs(x) < WHOLE_FROM))
        return x;  /* whole already, infinite or NaN */
    return (double)(int64_t)x;
}

double num_floor(double x)
{
    double t = num_trunc(x);
    return t > x ? t - 1 : t;
}

double num_ceil(double x)
{
    double t = num_trunc(x);
    return t < x ? t + 1 : t;
}

double num_round(double x)
{
    double t = num_trunc(x);
    if (fabs(x - t) >= 0.5)  /* exact: x and its whole part share their leading bits */
        t += x > 0 ? 1 : -1;
    return t;
}

long num_lround(double x)
{
    return (long)num_round(x);
}

double num_fmod(double x, double y)
{
    if (!isfinite(x) || isnan(y) || y == 0)
        return NAN;
    double ax = fabs(x), ay = fabs(y);
    if (ax < ay)
        return x;  /* an infinite y included */
    /* Binary long division: take away y * 2^n for n from the largest that fits down to 0.
     * Each step is exact (r lies in [d, 2d), so r - d is representable), so the remainder
     * is exact as fmod's is, where x - trunc(x / y) * y would carry x / y's rounding. */
    double d = ay, r = ax;
    while (d * 2 <= r)  /* exact; past the largest double d * 2 is infinite and stops it */
        d *= 2;
    for (; d >= ay; d /= 2)
        if (r >= d)
            r -= d;
    return x < 0 ? -r : r;
}

double num_fmin(double a, double b)
{
    return isnan(a) ? b : isnan(b) ? a : a < b ? a : b;
}

double num_fmax(double a, double b)
{
    return isnan(a) ? b : isnan(b) ? a : a > b ? a : b;
}

double num_pow10(int n)
{
    double r = 1;
    for (int i = 0; i < (n < 0 ? -n : n); i++)
        r *= 10;
    return n < 0 ? 1 / r : r;
}

/* x * 2^k, built from the exponent bits so no libm (or ldexp) is needed. */
static double times_pow2(double x, int k)
{
    while (k > 1023) {
        x *= 8.98846567431157953865e+307;  /* 2^1023 */
        k -= 1023;
    }
    while (k < -1022) {
        x *= 2.22507385850720138309e-308;  /* 2^-1022 */
        k += 1022;
    }
    uint64_t bits = (uint64_t)(k + 1023) << 52;
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return x * scale;
}

/* sin and cos of r in [-pi/4, pi/4] by their Taylor series: the first term left out is
 * below 1e-18. */
static double sin_near0(double r)
{
    double s = r * r;
    return r + r * s * (-1.0 / 6 + s * (1.0 / 120 + s * (-1.0 / 5040 + s * (1.0 / 362880 +
           s * (-1.0 / 39916800 + s * (1.0 / 6227020800 + s * (-1.0 / 1307674368000 +
           s * (1.0 / 355687428096000))))))));
}

static double cos_near0(double r)
{
    double s = r * r;
    return 1 + s * (-1.0 / 2 + s * (1.0 / 24 + s * (-1.0 / 720 + s * (1.0 / 40320 +
           s * (-1.0 / 3628800 + s * (1.0 / 479001600 + s * (-1.0 / 87178291200 +
           s * (1.0 / 20922789888000 + s * (-1.0 / 6402373705728000)))))))));
}

/* x = k * pi/2 + r with r in [-pi/4, pi/4]; returns k mod 4. k * PIO2_HI is exact while
 * |k| < 2^20, so num_sin and num_cos answer NaN beyond, never a wrong number. */
#define REDUCIBLE_UP_TO 1.6e6
static int quadrant(double x, double *r)
{
    double k = num_round(x * (2 / 3.14159265358979323846));
    *r = (x - k * PIO2_HI) - k * PIO2_LO;
    return (int)(((int64_t)num_fmod(k, 4) + 4) % 4);
}

/* sin(k pi/2 + r) for k mod 4 = q; cos(x) is sin(x + pi/2), the next quadrant's. */
static double sin_in_quadrant(int q, double r)
{
    switch (q % 4) {
    case 0: return sin_near0(r);
    case 1: return cos_near0(r);
    case 2: return -sin_near0(r);
    default: return -cos_near0(r);
    }
}

double num_sin(double x)
{
    if (!(fabs(x) <= REDUCIBLE_UP_TO))
        return NAN;
    double r;
    int q = quadrant(x, &r);
    return sin_in_quadrant(q, r);
}

double num_cos(double x)
{
    if (!(fabs(x) <= REDUCIBLE_UP_TO))
        return NAN;
    double r;
    int q = quadrant(x, &r);
    return sin_in_quadrant(q + 1, r);
}

double num_exp(double x)
{
    if (isnan(x))
        return x;
    if (x > 709.782712893384)
        return INFINITY;
    if (x < -745.1332191019412)
        return 0;
    /* x = k ln2 + r, |r| <= ln2 / 2; e^r by its Taylor series to r^13 (error < 1e-17). */
    double k = num_round(x * LOG2_E);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p = 1;
    for (int n = 13; n >= 1; n--)
        p = 1 + p * r / n;  /* Horner: 1 + r (1 + r/2 (1 + ... (1 + r/13))) */
    return times_pow2(p, (int)k);
}

double num_log(double x)
{
    if (isnan(x) || x < 0)
        return NAN;
    if (x == 0)
        return -INFINITY;
    if (isinf(x))
        return x;
    int e = 0;
    if (x < 2.2250738585072014e-308) {  /* subnormal: make it normal first */
        x *= 18014398509481984.0;       /* 2^54 */
        e = -54;
    }
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    e += (int)((bits >> 52) & 0x7ff) - 1023;
    bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    double m;
    memcpy(&m, &bits, sizeof m);  /* x = m 2^e, m in [1, 2) */
    if (m > SQRT_2) {
        m /= 2;
        e++;
    }
    /* ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: the series to s^25. */
    double s = (m - 1) / (m + 1), s2 = s * s, sum = 0;
    for (int n = 25; n >= 3; n -= 2)
        sum = (sum + 1.0 / n) * s2;
    double ln_m = 2 * s * (1 + sum);
    return (e * LN2_HI + ln_m) + e * LN2_LO;
}

double num_pow(double base, double exponent)
{
    if (isnan(base) || isnan(exponent) || base < 0)
        return NAN;
    if (exponent == 0)
        return 1;
    if (base == 0)
        return exponent > 0 ? 0 : INFINITY;
    return num_exp(exponent * num_log(base));
}
