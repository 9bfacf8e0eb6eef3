/* The monitor's panes in tab order (digit keys 0..9): adding a pane is one file here and
 * one entry in panes.c. */
#ifndef RCT_PANES_H
#define RCT_PANES_H

#include <stddef.h>

struct view;

extern const struct view *const panes[];
extern const size_t panes_count;
#define PANES_MAX 16

/* The panes a monitor of that many units shows, into out (room for PANES_MAX): every pane
 * but the plant's where there is one unit, whose Plant pane would be a one-row copy of the
 * dashboard and whose tab would cost the 80-column tab line its full names. */
size_t panes_for_units(size_t units, const struct view **out);

#endif
