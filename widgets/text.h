/* Text helpers for cells: display width, cutting to a width with a visible ellipsis,
 * thousands grouping, and drawing strings clipped to a rectangle. */
#ifndef WIDGETS_TEXT_H
#define WIDGETS_TEXT_H

#include <curses.h>
#include <stddef.h>

#include "widgets/glyphs.h"
#include "widgets/layout.h"

/* Columns a UTF-8 string takes (invalid bytes count as one each). */
int text_width(const char *s);
/* Copies s into buf so it takes at most `width` columns; a cut string ends with the
 * glyph set's ellipsis. Returns buf. */
const char *text_fit(const char *s, int width, const struct wglyphs *g, char *buf, size_t cap);
/* "2431" -> "2 431", "-12345.6" -> "-12 345.6": groups the integer part by thousands. */
const char *text_group(const char *number, char *buf, size_t cap);
/* Plain ASCII for terminals and locales without UTF-8: "22.0 °C" -> "22.0 C", box and
 * arrow characters to their ASCII look, any other non-ASCII character to '?'. */
const char *text_ascii(const char *s, char *buf, size_t cap);
/* Draws s at (y, x) cut to `width` columns (ASCII only with an ASCII glyph set) with attribute attr; returns columns used. */
int text_put(WINDOW *win, int y, int x, int width, const char *s, attr_t attr,
             const struct wglyphs *g);
/* Right-aligned within `width` columns ending at x + width. */
void text_put_right(WINDOW *win, int y, int x, int width, const char *s, attr_t attr,
                    const struct wglyphs *g);

#endif
