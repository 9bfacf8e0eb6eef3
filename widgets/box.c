/* Boxes drawn with the glyph set's line characters, so ASCII terminals get +-| boxes. */
#include "widgets/box.h"

#include "widgets/text.h"

void box_draw(WINDOW *win, struct wrect r, const char *title, attr_t border, attr_t title_attr,
              const struct wglyphs *g)
{
    if (r.h < 2 || r.w < 2)
        return;
    wattron(win, border);
    mvwaddstr(win, r.y, r.x, g->tl);
    mvwaddstr(win, r.y, r.x + r.w - 1, g->tr);
    mvwaddstr(win, r.y + r.h - 1, r.x, g->bl);
    mvwaddstr(win, r.y + r.h - 1, r.x + r.w - 1, g->br);
    for (int x = 1; x < r.w - 1; x++) {
        mvwaddstr(win, r.y, r.x + x, g->hline);
        mvwaddstr(win, r.y + r.h - 1, r.x + x, g->hline);
    }
    for (int y = 1; y < r.h - 1; y++) {
        mvwaddstr(win, r.y + y, r.x, g->vline);
        mvwaddstr(win, r.y + y, r.x + r.w - 1, g->vline);
    }
    wattroff(win, border);
    if (title && *title && r.w > 6) {
        mvwaddstr(win, r.y, r.x + 1, " ");
        int used = text_put(win, r.y, r.x + 2, r.w - 5, title, title_attr, g);
        mvwaddstr(win, r.y, r.x + 2 + used, " ");
    }
}
