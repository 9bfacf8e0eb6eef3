/* The dozen mathematical functions rcttop uses, so that it does not load libm: mapping
 * libm costs a process about 400 kB of resident memory whatever it calls, which is a
 * tenth of the monitor's (tests/bench/bench_memory.sh). fabs, isnan, isfinite and the
 * like stay <math.h>'s: the compiler inlines them.
 *
 * Rounding is exact, as C's, for every finite double. The transcendental functions are
 * for the simulator's curves and the like, within a few units in the last place of
 * libm's over the ranges rcttop meets (tests/proto/core/test_numeric.c compares). */
#ifndef RCT_NUMERIC_H
#define RCT_NUMERIC_H

double num_trunc(double x);
double num_floor(double x);
double num_ceil(double x);
/* Halfway cases away from zero, as round(). */
double num_round(double x);
/* num_round as a long; x must round into a long's range, as lround's result is otherwise
 * unspecified. */
long num_lround(double x);
/* The remainder of x / y with x's sign, exact as fmod()'s. */
double num_fmod(double x, double y);
/* The smaller / larger; a NaN loses to a number, as fmin() and fmax(). */
double num_fmin(double a, double b);
double num_fmax(double a, double b);
/* 10 to an integer power, exact for 0..22. */
double num_pow10(int n);

/* For |x| up to 1.6e6 (NaN beyond: the argument reduction would no longer be exact). */
double num_sin(double x);
double num_cos(double x);
double num_exp(double x);
/* The natural logarithm; NaN below zero, minus infinity at zero. */
double num_log(double x);
/* base to a real power, for base >= 0 (NaN for a negative base), as e^(exponent ln base):
 * the rounding of that product costs about |exponent ln base| units in the last place. */
double num_pow(double base, double exponent);

#endif
