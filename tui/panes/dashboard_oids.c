/* The dashboard's OIDs by name (dashboard_oids.h): the one table of the names, looked up
 * in the registry on first use and kept. */
#include "tui/panes/dashboard_oids.h"

#include <stdbool.h>

#include "proto/codec/registry.h"

static const char *const names[DASH_OID_COUNT] = {
    [DASH_PV_A] = "dc_conv.dc_conv_struct[0].p_dc_lp",
    [DASH_PV_B] = "dc_conv.dc_conv_struct[1].p_dc_lp",
    [DASH_HOUSE] = "g_sync.p_ac_load_sum_lp",
    [DASH_GRID] = "g_sync.p_ac_grid_sum_lp",
    [DASH_BATTERY] = "g_sync.p_acc_lp",
    [DASH_INVERTER] = "g_sync.p_ac_sum_lp",
    [DASH_SOC] = "battery.soc",
    [DASH_BAT_VOLTAGE] = "battery.voltage",
    [DASH_BAT_CURRENT] = "battery.current",
    [DASH_BAT_TEMPERATURE] = "battery.temperature",
    [DASH_BAT_SOH] = "battery.soh",
    [DASH_BAT_CYCLES] = "battery.cycles",
    [DASH_BAT_STATUS] = "battery.bat_status",
    [DASH_GRID_U_L1] = "g_sync.u_l_rms[0]",
    [DASH_GRID_U_L2] = "g_sync.u_l_rms[1]",
    [DASH_GRID_U_L3] = "g_sync.u_l_rms[2]",
    [DASH_GRID_FREQUENCY] = "grid_pll[0].f",
    [DASH_DAY_PV_A] = "energy.e_dc_day[0]",
    [DASH_DAY_PV_B] = "energy.e_dc_day[1]",
    [DASH_DAY_HOUSE] = "energy.e_load_day",
    [DASH_DAY_FED_IN] = "energy.e_grid_feed_day",
    [DASH_DAY_BOUGHT] = "energy.e_grid_load_day",
    [DASH_INVERTER_STATE] = "prim_sm.state",
    [DASH_HOUSE_L1] = "g_sync.p_ac_load[0]",
    [DASH_HOUSE_L2] = "g_sync.p_ac_load[1]",
    [DASH_HOUSE_L3] = "g_sync.p_ac_load[2]",
    [DASH_GRID_L1] = "g_sync.p_ac_sc[0]",
    [DASH_GRID_L2] = "g_sync.p_ac_sc[1]",
    [DASH_GRID_L3] = "g_sync.p_ac_sc[2]",
    [DASH_DESCRIPTION] = "android_description",
    [DASH_SERIAL] = "inverter_sn",
};

const char *dashboard_oid_name(enum dash_oid which)
{
    return names[which];
}

uint32_t dashboard_oid(enum dash_oid which)
{
    static uint32_t oids[DASH_OID_COUNT];
    static bool resolved;
    if (!resolved) {
        for (int i = 0; i < DASH_OID_COUNT; i++) {
            const struct rct_oid_info *info = rct_registry_by_name(names[i]);
            oids[i] = info ? info->oid : 0;
        }
        resolved = true;
    }
    return oids[which];
}
