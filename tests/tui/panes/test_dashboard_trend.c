/* The dashboard's trend columns: a series read at its period, each read a little late as
 * the queue and the round trip make it, draws no hole at any width; a real outage does. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "tui/panes/dashboard_trend.h"

#define SPAN_MS (15 * 60000)
#define PERIOD_MS 10000

/* Samples every PERIOD_MS plus up to jitter_ms late each (the late read sets the next
 * one's due time, so the lateness adds up, as in the scheduler), from start_ms to end_ms. */
static size_t late_reads(struct store_sample *out, size_t cap, int64_t start_ms, int64_t end_ms,
                         int jitter_ms, unsigned seed)
{
    srand(seed);
    size_t n = 0;
    for (int64_t t = start_ms; t <= end_ms && n < cap; t += PERIOD_MS + rand() % (jitter_ms + 1))
        out[n++] = (struct store_sample){t, 100.0 + (double)(n % 7)};
    return n;
}

/* The first column with a value, or -1; and whether any column after it is NaN. */
static int first_value(const double *values, int width)
{
    for (int c = 0; c < width; c++)
        if (!isnan(values[c]))
            return c;
    return -1;
}

static int holes_after(const double *values, int width, int from)
{
    int holes = 0;
    for (int c = from; c < width; c++)
        holes += isnan(values[c]);
    return holes;
}

Test(dashboard_trend, late_reads_draw_no_hole_at_any_width)
{
    static struct store_sample s[512];
    static double values[512];
    int64_t now = 2000000;
    for (unsigned seed = 1; seed <= 20; seed++) {
        size_t n = late_reads(s, 512, now - SPAN_MS + 5000, now, 1500, seed);
        for (int width = 20; width <= 512; width += 7) {
            struct trend_frame f = {now, SPAN_MS, PERIOD_MS, width};
            double latest = trend_columns(s, n, &f, 1, values);
            cr_assert(!isnan(latest));
            int first = first_value(values, width);
            cr_assert(first >= 0 && first <= 2, "width %d: the series reaches back (first %d)", width, first);
            cr_assert_eq(holes_after(values, width, first), 0,
                         "seed %u, width %d: %d holes in a series read every 10-11.5 s", seed, width,
                         holes_after(values, width, first));
            cr_assert_float_eq(values[width - 1], latest, 1e-9, "the present shows the newest value");
        }
    }
}

Test(dashboard_trend, an_outage_stays_a_gap_and_a_silent_series_ends)
{
    static struct store_sample s[512];
    static double values[512];
    int64_t now = 2000000;
    size_t n = late_reads(s, 512, now - SPAN_MS, now - 600000, 300, 3);
    n += late_reads(s + n, 512 - n, now - 540000, now - 120000, 300, 4);  /* a minute of silence */
    struct trend_frame f = {now, SPAN_MS, PERIOD_MS, 180};
    trend_columns(s, n, &f, 1, values);
    int64_t slot = SPAN_MS / 180;
    int outage_col = 180 - 1 - (int)(570000 / slot);
    cr_assert(isnan(values[outage_col]), "a minute without a read is a gap");
    cr_assert(!isnan(values[180 - 1 - (int)(300000 / slot)]), "before and after it, a line");
    cr_assert(isnan(values[179]), "two minutes since the last read: the present is not drawn");
}

Test(dashboard_trend, scales_and_drops_samples_outside_the_span)
{
    struct store_sample s[] = {{-5000000, 9}, {990000, 0.5}, {1000000 + 5, 7}};
    double values[10];
    struct trend_frame f = {1000000, 60000, PERIOD_MS, 10};
    double latest = trend_columns(s, 3, &f, 100, values);
    cr_assert_float_eq(latest, 50, 1e-9, "the newest in the span, scaled; the future one is left out");
    cr_assert_float_eq(values[8], 50, 1e-9);
    cr_assert(isnan(values[0]), "a sample older than the span is not drawn");
}

Test(dashboard_trend, the_pv_sum_pairs_strings_read_half_a_period_apart)
{
    static struct store_sample a[200], b[200], sum[200];
    static double values[300];
    int64_t now = 2000000;
    size_t na = late_reads(a, 200, now - SPAN_MS, now, 800, 5);
    size_t nb = late_reads(b, 200, now - SPAN_MS + 5600, now, 800, 6);  /* B 5.6 s after A */
    struct trend_frame f = {now, SPAN_MS, PERIOD_MS, 300};
    size_t n = trend_sum(a, na, b, nb, &f, sum);
    cr_assert_geq(n, na - 1, "every A finds its B (%zu of %zu)", n, na);
    for (size_t k = 0; k < n; k++)
        cr_assert(sum[k].value >= 200 && sum[k].value <= 212, "A (100..106) + B (100..106): %g",
                  sum[k].value);
    trend_columns(sum, n, &f, 1, values);
    int first = first_value(values, 300);
    cr_assert_eq(holes_after(values, 300, first), 0);
    cr_assert_eq(trend_sum(a, na, b, 0, &f, sum), 0, "no B: no sum, never A alone");
}
