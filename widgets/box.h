/* A box with a title in its top border: "┌ Title ─────┐". */
#ifndef WIDGETS_BOX_H
#define WIDGETS_BOX_H

#include <curses.h>

#include "widgets/glyphs.h"
#include "widgets/layout.h"

void box_draw(WINDOW *win, struct wrect r, const char *title, attr_t border, attr_t title_attr,
              const struct wglyphs *g);

#endif
