/* The dashboard's last minutes as chart columns: the store's timed samples in, one value
 * per column out. Plain data, so the bucketing is tested without a terminal
 * (tests/tui/panes/test_dashboard_trend.c). */
#ifndef RCT_DASHBOARD_TREND_H
#define RCT_DASHBOARD_TREND_H

#include <stddef.h>
#include <stdint.h>

#include "proto/core/store.h"

struct trend_frame {
    int64_t now_ms;    /* the present, on the samples' clock: the right-hand column */
    int64_t span_ms;   /* how far back the leftmost column reaches */
    int64_t period_ms; /* how often the series is read at the slowest (the sampled tier) */
    int width;         /* columns */
};

/* How far apart two samples may be and still draw one line: a read that came up to a
 * whole period late, or one lost answer, is not an outage; at least two columns. */
int64_t trend_hold_ms(const struct trend_frame *f);

/* a + b (the two PV strings): each sample of a plus b's sample nearest in time, when that
 * is within trend_hold_ms; an a with no b near it is left out. out has room for na.
 * Returns how many samples out holds. */
size_t trend_sum(const struct store_sample *a, size_t na, const struct store_sample *b,
                 size_t nb, const struct trend_frame *f, struct store_sample *out);

/* values[0..width-1], oldest left: each column the last sample of its slot times scale,
 * NaN where nothing is known. Columns the samples skipped between two samples at most
 * trend_hold_ms apart carry the value before them, and so do the columns after the newest
 * sample while it is younger than that; a longer silence stays a gap. Returns the newest
 * value in the span (times scale), NaN when there is none. */
double trend_columns(const struct store_sample *s, size_t n, const struct trend_frame *f,
                     double scale, double *values);

#endif
