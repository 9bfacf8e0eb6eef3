/* The monitor's keys: what a key does before the pane gets it, and opening a pane's state
 * the first time the pane is shown. */
#ifndef RCT_KEYS_H
#define RCT_KEYS_H

#include <stdbool.h>

#include "tui/monitor/app.h"

/* Makes pane `index`'s state if it has none yet; false when out of memory. */
bool keys_open_pane(struct app *app, int index);
/* Shows unit `index` of a plant on panes 1-9 (every unit keeps being read), on pane `digit`
 * ('0'..'9'; 0: the pane open now). False for no such unit. */
bool keys_show_unit(struct app *app, size_t index, int digit);
/* One key (or mouse event, or resize) from the terminal. */
void keys_handle(struct app *app, int ch);

#endif
