/* Sparklines and gauges: numbers in, glyph cells out. Missing samples (NaN) are drawn as
 * gaps, never as zero. A range reaching below zero is drawn about zero: values below it
 * hang from the top of the cell (or below the zero line of a taller chart), so feeding in
 * or charging never looks like a small positive bar. */
#ifndef WIDGETS_SPARK_H
#define WIDGETS_SPARK_H

#include <curses.h>
#include <stddef.h>

#include "widgets/glyphs.h"

/* A level for each of the last `width` values (fewer values: right-aligned, earlier cells
 * 0 = no data; NaN -> 0). With lo >= 0: 1..8 scaled to [lo, hi]; when lo == hi (a flat
 * line) every sample sits on the baseline, level 1. With lo < 0: scaled to the larger of
 * |lo| and |hi|, 1..7 standing for values from zero up, -1..-7 hanging for values below
 * zero (never a full cell, which would not say its sign). Returns how many cells carry
 * data. */
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

/* The eighths of the cell at `row` (0 at the top) of a `height`-row chart of v: 0..8
 * standing on the cell's floor, or -1..-8 hanging from its top. With lo >= 0 the bar stands
 * on the chart's floor, scaled to [lo, hi]. With lo < 0 the zero line lies between two
 * rows (shared as |lo| and hi are): values from zero up stand on it, values below hang from
 * it, both at one scale; a one-row chart is spark_levels' cell. NaN: 0. */
int chart_cell_level(double v, double lo, double hi, int height, int row);
/* Multi-row chart: `height` rows, one column per value (the last `width`), each cell as
 * chart_cell_level says. */
void chart_draw(WINDOW *win, int y, int x, int height, int width, const double *values,
                size_t n, double lo, double hi, attr_t attr, const struct wglyphs *g);

#endif
