/* The table of panes: see panes.h. */
#include "tui/panes/panes.h"

#include "tui/monitor/app.h"

extern const struct view view_plant, view_dashboard, view_values, view_faults, view_events, view_history,
    view_battery, view_device, view_link, view_health;

const struct view *const panes[] = {&view_plant, &view_dashboard, &view_values, &view_faults,
                                    &view_events, &view_history, &view_battery, &view_device,
                                    &view_link, &view_health};
const size_t panes_count = sizeof panes / sizeof panes[0];
_Static_assert(sizeof panes / sizeof panes[0] <= PANES_MAX, "PANES_MAX is too small");

size_t panes_for_units(size_t units, const struct view **out)
{
    size_t n = 0;
    for (size_t i = 0; i < panes_count; i++)
        if (units > 1 || !panes[i]->every_unit)
            out[n++] = panes[i];
    return n;
}
