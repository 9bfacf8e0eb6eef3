/* The centred box of "key\ttext" lines over the pane (the help, and every detail view):
 * as wide as it needs up to the terminal, long lines wrapped, scrolled by *scroll. */
#ifndef RCT_TEXTBOX_H
#define RCT_TEXTBOX_H

#include <stdbool.h>

struct app;

void textbox_draw(struct app *app, const char *title, const char *text, int *scroll);
/* Scroll keys for such a box; false for any other key (which usually closes it). */
bool textbox_key(int ch, int *scroll);

#endif
