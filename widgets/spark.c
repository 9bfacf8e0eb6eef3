/* Sparklines, gauges and block charts. The level maths is pure so tests can check it
 * without a terminal. */
#include "widgets/spark.h"

#include <math.h>

int spark_range(const double *values, size_t n, double *lo, double *hi)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            continue;
        if (!any || values[i] < *lo)
            *lo = values[i];
        if (!any || values[i] > *hi)
            *hi = values[i];
        any = 1;
    }
    return any;
}

/* f (0..1) of n, rounded halfway up. */
static int share_of(double f, int n)
{
    return (int)lround(f * n);
}

static int level_of(double v, double lo, double hi, int top)
{
    if (!isfinite(v))
        return -1;
    if (hi <= lo)
        return 1;  /* a flat line sits on the baseline: zero must never look like half */
    double f = (v - lo) / (hi - lo);
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    int level = share_of(f, top - 1) + 1;  /* 1..top: the minimum is still visible */
    return level;
}

size_t spark_levels(const double *values, size_t n, double lo, double hi, int width, int *levels)
{
    size_t data = 0;
    size_t first = n > (size_t)width ? n - (size_t)width : 0;
    int pad = width - (int)(n - first);
    for (int i = 0; i < width; i++) {
        if (i < pad) {
            levels[i] = -1;
            continue;
        }
        double v = values[first + (size_t)(i - pad)];
        levels[i] = level_of(v, lo, hi, 8);
        if (levels[i] >= 0)
            data++;
    }
    return data;
}

void spark_draw(WINDOW *win, int y, int x, int width, const double *values, size_t n,
                double lo, double hi, attr_t attr, const struct wglyphs *g)
{
    int levels[512];
    if (width > 512)
        width = 512;
    if (width <= 0)
        return;
    spark_levels(values, n, lo, hi, width, levels);
    wattron(win, attr);
    for (int i = 0; i < width; i++)
        mvwaddstr(win, y, x + i, levels[i] < 0 ? " " : g->levels[levels[i]]);
    wattroff(win, attr);
}

int gauge_cells(double f, int width)
{
    if (isnan(f))
        return -1;
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    return share_of(f, width);
}

void gauge_draw(WINDOW *win, int y, int x, int width, double f, attr_t fill_attr,
                attr_t empty_attr, const struct wglyphs *g)
{
    int cells = gauge_cells(f, width);
    for (int i = 0; i < width; i++) {
        bool filled = cells >= 0 && i < cells;
        wattron(win, filled ? fill_attr : empty_attr);
        /* Unknown is the same "…" as every value not read yet, never a '?' of its own. */
        mvwaddstr(win, y, x + i, cells < 0 ? (i == 0 ? g->ellipsis : " ") : filled ? g->fill : g->empty);
        wattroff(win, filled ? fill_attr : empty_attr);
    }
}

void chart_draw(WINDOW *win, int y, int x, int height, int width, const double *values,
                size_t n, double lo, double hi, attr_t attr, const struct wglyphs *g)
{
    if (height <= 0 || width <= 0)
        return;
    size_t first = n > (size_t)width ? n - (size_t)width : 0;
    int pad = width - (int)(n - first);
    int top = height * 8;
    wattron(win, attr);
    for (int col = 0; col < width; col++) {
        double v = col < pad ? NAN : values[first + (size_t)(col - pad)];
        /* The floor (zero) is the lowest eighth, like a sparkline's: a value, unlike no data. */
        int level = isnan(v) ? -1 : v <= lo ? 1 : level_of(v, lo, hi, top);
        for (int row = 0; row < height; row++) {
            int base = (height - 1 - row) * 8;  /* eighths below this row */
            int in_row = level < 0 ? 0 : level - base;
            if (in_row < 0)
                in_row = 0;
            if (in_row > 8)
                in_row = 8;
            mvwaddstr(win, y + row, x + col, g->levels[in_row]);
        }
    }
    wattroff(win, attr);
}
