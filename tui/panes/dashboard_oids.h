/* The registry OIDs the dashboard reads, named in one table and resolved once, so a name
 * the registry lacks fails a test (tests/tui/panes/test_dashboard_oids.c), never a NULL. */
#ifndef RCT_DASHBOARD_OIDS_H
#define RCT_DASHBOARD_OIDS_H

#include <stddef.h>
#include <stdint.h>

/* In the order the dashboard hands them to the scheduler (what it reads first). */
enum dash_oid {
    DASH_PV_A, DASH_PV_B, DASH_HOUSE, DASH_GRID, DASH_BATTERY, DASH_INVERTER,
    DASH_SOC, DASH_BAT_VOLTAGE, DASH_BAT_CURRENT, DASH_BAT_TEMPERATURE, DASH_BAT_SOH,
    DASH_BAT_CYCLES, DASH_BAT_STATUS,
    DASH_GRID_U_L1, DASH_GRID_U_L2, DASH_GRID_U_L3, DASH_GRID_FREQUENCY,
    DASH_DAY_PV_A, DASH_DAY_PV_B, DASH_DAY_HOUSE, DASH_DAY_FED_IN, DASH_DAY_BOUGHT,
    DASH_INVERTER_STATE,
    DASH_HOUSE_L1, DASH_HOUSE_L2, DASH_HOUSE_L3, DASH_GRID_L1, DASH_GRID_L2, DASH_GRID_L3,
    DASH_DESCRIPTION, DASH_SERIAL,
    DASH_OID_COUNT
};

/* The registry name of one. */
const char *dashboard_oid_name(enum dash_oid which);
/* Its OID; 0 only if the registry lacks the name, which the test rules out. */
uint32_t dashboard_oid(enum dash_oid which);

#endif
