/* The dashboard's trend columns. The samples come at the pace of the scheduler's tiers
 * (2 s while the dashboard is open, 10 s for a charted series otherwise), each one a
 * little late by the queue and the round trip; the columns come from the terminal's width.
 * A slot is rarely exactly a multiple of the read period, so without carrying, a late
 * read leaves an empty column between two full ones. */
#include "tui/panes/dashboard_trend.h"

#include <math.h>
#include <stdlib.h>

int64_t trend_hold_ms(const struct trend_frame *f)
{
    int64_t slot = f->width > 0 ? f->span_ms / f->width : f->span_ms;
    int64_t hold = 2 * f->period_ms;
    return hold > 2 * slot ? hold : 2 * slot;
}

size_t trend_sum(const struct store_sample *a, size_t na, const struct store_sample *b,
                 size_t nb, const struct trend_frame *f, struct store_sample *out)
{
    int64_t hold = trend_hold_ms(f);
    size_t n = 0, mb = 0;
    for (size_t k = 0; k < na && nb > 0; k++) {
        while (mb + 1 < nb && llabs(b[mb + 1].t_ms - a[k].t_ms) <= llabs(b[mb].t_ms - a[k].t_ms))
            mb++;
        if (llabs(b[mb].t_ms - a[k].t_ms) > hold)
            continue;
        out[n].t_ms = a[k].t_ms;
        out[n++].value = a[k].value + b[mb].value;
    }
    return n;
}

double trend_columns(const struct store_sample *s, size_t n, const struct trend_frame *f,
                     double scale, double *values)
{
    for (int c = 0; c < f->width; c++)
        values[c] = NAN;
    if (f->width <= 0)
        return NAN;
    int64_t slot = f->span_ms / f->width > 0 ? f->span_ms / f->width : 1;
    int64_t hold = trend_hold_ms(f);
    double latest = NAN;
    int last_col = -1;
    int64_t last_t = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t age = f->now_ms - s[k].t_ms;
        if (age > f->span_ms || age < 0)
            continue;
        int c = f->width - 1 - (int)(age / slot);
        if (c < 0)
            c = 0;
        if (last_col >= 0 && s[k].t_ms - last_t <= hold)
            for (int skipped = last_col + 1; skipped < c; skipped++)
                values[skipped] = values[last_col];
        values[c] = s[k].value * scale;
        latest = values[c];
        last_col = c;
        last_t = s[k].t_ms;
    }
    /* The newest value stands for the present until the next read is overdue. */
    if (last_col >= 0 && f->now_ms - last_t <= hold)
        for (int c = last_col + 1; c < f->width; c++)
            values[c] = values[last_col];
    return latest;
}
