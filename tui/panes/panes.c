/* The table of panes: see panes.h. */
#include "tui/panes/panes.h"

#include "tui/monitor/app.h"

extern const struct view view_dashboard, view_values, view_faults, view_events, view_history,
    view_battery, view_device, view_link, view_health;

const struct view *const panes[] = {&view_dashboard, &view_values, &view_faults,
                                    &view_events, &view_history, &view_battery, &view_device,
                                    &view_link, &view_health};
const size_t panes_count = sizeof panes / sizeof panes[0];
