/* Layout arithmetic for panes and boxes, clamped so a tiny terminal never yields a
 * negative size. */
#include "widgets/layout.h"

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void layout_split_columns(struct wrect r, int left_w, struct wrect *left, struct wrect *right)
{
    int lw = clamp(left_w, 0, r.w);
    *left = (struct wrect){r.y, r.x, r.h, lw};
    *right = (struct wrect){r.y, r.x + lw, r.h, r.w - lw};
}

void layout_split_rows(struct wrect r, int top_h, struct wrect *top, struct wrect *bottom)
{
    int th = clamp(top_h, 0, r.h);
    *top = (struct wrect){r.y, r.x, th, r.w};
    *bottom = (struct wrect){r.y + th, r.x, r.h - th, r.w};
}

struct wrect layout_inner(struct wrect r)
{
    struct wrect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
    if (in.h < 0)
        in.h = 0;
    if (in.w < 0)
        in.w = 0;
    return in;
}

bool layout_fits(struct wrect r, int min_h, int min_w)
{
    return r.h >= min_h && r.w >= min_w;
}
