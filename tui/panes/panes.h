/* The monitor's panes in tab order (digit keys 1..9): adding a pane is one file here and
 * one entry in panes.c. */
#ifndef RCT_PANES_H
#define RCT_PANES_H

#include <stddef.h>

struct view;

extern const struct view *const panes[];
extern const size_t panes_count;

#endif
