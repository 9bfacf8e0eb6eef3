/* Glyph sets: UTF-8 box drawing, blocks and arrows, or plain ASCII for terminals and
 * locales that cannot show them. */
#ifndef WIDGETS_GLYPHS_H
#define WIDGETS_GLYPHS_H

#include <stdbool.h>

struct wglyphs {
    bool utf8;
    const char *hline, *vline, *tl, *tr, *bl, *br;
    const char *tee_down, *tee_right, *corner_down_left;  /* ┬ ├ └ */
    const char *tee_up, *cross;                           /* ┴ ┼ */
    const char *arrow_right, *arrow_left, *arrow_up, *arrow_down;
    const char *ellipsis, *degree;
    const char *levels[9];        /* sparkline: blank, then eight heights */
    /* Below zero: k eighths hanging from the top of the cell. Drawn in reverse video where
     * hanging_reverse (UTF-8 has no upper blocks but 1/8 and 1/2: there the lower block of
     * 8-k eighths is reversed); ASCII has marks of its own, none a height upward. */
    const char *hanging[9];
    bool hanging_reverse;
    const char *fill, *empty;     /* gauge */
    const char *expanded, *collapsed;
};

const struct wglyphs *glyphs_get(bool utf8);

#endif
