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
        return 0;
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

/* A range reaching below zero is drawn about zero: what is below it hangs. */
static bool spans_below_zero(double lo)
{
    return lo < 0;
}

/* One cell about zero: 1..7 standing, -1..-7 hanging, scaled to the larger magnitude.
 * Never a full cell: a full cell would not say which way it stands. */
static int signed_level(double v, double lo, double hi)
{
    if (!isfinite(v))
        return 0;
    double m = fmax(fabs(lo), fabs(hi));
    double f = m > 0 ? fmin(fabs(v) / m, 1) : 0;
    int level = share_of(f, 6) + 1;
    return v < 0 ? -level : level;
}

size_t spark_levels(const double *values, size_t n, double lo, double hi, int width, int *levels)
{
    size_t data = 0;
    size_t first = n > (size_t)width ? n - (size_t)width : 0;
    int pad = width - (int)(n - first);
    for (int i = 0; i < width; i++) {
        if (i < pad) {
            levels[i] = 0;
            continue;
        }
        double v = values[first + (size_t)(i - pad)];
        levels[i] = spans_below_zero(lo) ? signed_level(v, lo, hi) : level_of(v, lo, hi, 8);
        if (levels[i] != 0)
            data++;
    }
    return data;
}

/* A cell of level (spark_levels' and chart_cell_level's sign convention). */
static void put_level(WINDOW *win, int y, int x, int level, attr_t attr, const struct wglyphs *g)
{
    if (level >= 0) {
        mvwaddstr(win, y, x, g->levels[level > 8 ? 8 : level]);
        return;
    }
    int k = -level > 8 ? 8 : -level;
    attr_t hang = g->hanging_reverse ? attr ^ A_REVERSE : attr;
    wattrset(win, hang);
    mvwaddstr(win, y, x, g->hanging[k]);
    wattrset(win, attr);
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
    attr_t before;
    short pair;
    wattr_get(win, &before, &pair, NULL);
    wattrset(win, attr);
    for (int i = 0; i < width; i++)
        put_level(win, y, x + i, levels[i], attr, g);
    wattr_set(win, before, pair, NULL);
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

/* Eighths a signed value fills from the zero line, which lies between rows: `above` rows
 * for what is above zero, the rest for what is below, both at one scale. */
static int signed_chart_level(double v, double lo, double hi, int height, int row)
{
    int below = hi <= 0 ? height : (int)lround(height * -lo / (hi - lo));
    if (below < 1)
        below = 1;
    if (below > height - 1 && hi > 0)
        below = height - 1;
    int above = height - below;
    double per_unit = below * 8 / -lo;
    if (above > 0 && hi > 0 && above * 8 / hi < per_unit)
        per_unit = above * 8 / hi;
    bool hangs = v < 0 || (v == 0 && above == 0);
    int room = (hangs ? below : above) * 8;
    int n = (int)lround(fabs(v) * per_unit);
    n = n < 1 ? 1 : n > room ? room : n;
    /* Cells counted away from the zero line: up for a standing bar, down for a hanging one. */
    int away = hangs ? row - above : above - 1 - row;
    if (away < 0)
        return 0;
    int in_cell = n - away * 8;
    in_cell = in_cell < 0 ? 0 : in_cell > 8 ? 8 : in_cell;
    return hangs ? -in_cell : in_cell;
}

int chart_cell_level(double v, double lo, double hi, int height, int row)
{
    if (!isfinite(v) || height <= 0 || row < 0 || row >= height)
        return 0;
    if (spans_below_zero(lo))
        return height == 1 ? signed_level(v, lo, hi) : signed_chart_level(v, lo, hi, height, row);
    /* The floor (zero) is the lowest eighth, like a sparkline's: a value, unlike no data. */
    int level = v <= lo ? 1 : level_of(v, lo, hi, height * 8);
    int in_row = level - (height - 1 - row) * 8;  /* less the eighths below this row */
    return in_row < 0 ? 0 : in_row > 8 ? 8 : in_row;
}

void chart_draw(WINDOW *win, int y, int x, int height, int width, const double *values,
                size_t n, double lo, double hi, attr_t attr, const struct wglyphs *g)
{
    if (height <= 0 || width <= 0)
        return;
    size_t first = n > (size_t)width ? n - (size_t)width : 0;
    int pad = width - (int)(n - first);
    attr_t before;
    short pair;
    wattr_get(win, &before, &pair, NULL);
    wattrset(win, attr);
    for (int col = 0; col < width; col++) {
        double v = col < pad ? NAN : values[first + (size_t)(col - pad)];
        for (int row = 0; row < height; row++)
            put_level(win, y + row, x + col, chart_cell_level(v, lo, hi, height, row), attr, g);
    }
    wattr_set(win, before, pair, NULL);
}
