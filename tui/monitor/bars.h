/* The monitor's frame around a pane: the status bar on the top row, the tabs below it,
 * the key bar at the bottom, and the help overlay. */
#ifndef RCT_BARS_H
#define RCT_BARS_H

struct app;

void bars_status(struct app *app, int cols);
void bars_tabs(struct app *app, int cols);
/* The pane under column x of the tab row, or -1. */
int bars_tab_at(const struct app *app, int x);
void bars_keys(struct app *app, int rows, int cols);
void bars_help(struct app *app);

#endif
