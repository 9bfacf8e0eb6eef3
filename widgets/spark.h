/* Sparklines and gauges: numbers in, glyph cells out. Missing samples (NaN) are drawn as
 * gaps, never as zero. */
#ifndef WIDGETS_SPARK_H
#define WIDGETS_SPARK_H

#include <curses.h>
#include <stddef.h>

#include "widgets/glyphs.h"

/* Level 0..8 for each of the last `width` values (fewer values: right-aligned, earlier
 * cells -1 = no data; NaN -> -1). Scaled to [lo, hi]; when lo == hi (a flat line) every
 * sample sits on the baseline, level 1. Returns how many cells carry data. */
size_t spark_levels(const double *values, size_t n, double lo, double hi, int width, int *levels);
/* Min and max of the finite values; false if there are none. */
int spark_range(const double *values, size_t n, double *lo, double *hi);
/* Draws the sparkline at (y, x), `width` cells. */
void spark_draw(WINDOW *win, int y, int x, int width, const double *values, size_t n,
                double lo, double hi, attr_t attr, const struct wglyphs *g);

/* Number of filled cells of a gauge `width` wide at fraction f (clamped 0..1); -1 if f
 * is NaN (unknown). */
int gauge_cells(double f, int width);
void gauge_draw(WINDOW *win, int y, int x, int width, double f, attr_t fill_attr,
                attr_t empty_attr, const struct wglyphs *g);

/* Multi-row chart: `height` rows, values scaled to [lo, hi], one column per value
 * (the last `width`). Each cell gets a level 0..8 (row 0 at the top). */
void chart_draw(WINDOW *win, int y, int x, int height, int width, const double *values,
                size_t n, double lo, double hi, attr_t attr, const struct wglyphs *g);

#endif
