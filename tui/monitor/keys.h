/* The monitor's keys: what a key does before the pane gets it, and opening a pane's state
 * the first time the pane is shown. */
#ifndef RCT_KEYS_H
#define RCT_KEYS_H

#include <stdbool.h>

#include "tui/monitor/app.h"

/* Makes pane `index`'s state if it has none yet; false when out of memory. */
bool keys_open_pane(struct app *app, int index);
/* One key (or mouse event, or resize) from the terminal. */
void keys_handle(struct app *app, int ch);

#endif
