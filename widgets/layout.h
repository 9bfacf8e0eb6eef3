/* Rectangles and the arithmetic of laying them out: pure functions, no terminal. */
#ifndef WIDGETS_LAYOUT_H
#define WIDGETS_LAYOUT_H

#include <stdbool.h>

struct wrect {
    int y, x, h, w;
};

/* Splits r into a left part of `left_w` columns and the rest (either may be empty). */
void layout_split_columns(struct wrect r, int left_w, struct wrect *left, struct wrect *right);
/* Splits r into a top part of `top_h` rows and the rest. */
void layout_split_rows(struct wrect r, int top_h, struct wrect *top, struct wrect *bottom);
/* The inside of a box drawn around r (one cell of border each side). */
struct wrect layout_inner(struct wrect r);
bool layout_fits(struct wrect r, int min_h, int min_w);

#endif
