/* The simulator's kinds of site: each differs from the default the way real sites do,
 * and stays coherent (what one OID says, the others agree with). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/sim/sim.h"

#define T0 1750507200.0  /* 2025-06-21 12:00 UTC: summer, daylight saving in Berlin */

static struct sim *make(enum sim_profile profile, bool clock_local)
{
    struct sim_config cfg;
    sim_default_config(&cfg);
    cfg.start_unix = T0;
    cfg.speed = 0;
    cfg.profile = profile;
    cfg.clock_local = clock_local;
    return sim_new(NULL, &cfg);
}

static bool read_value(struct sim *sim, const char *name, double t, struct rct_value *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    cr_assert(info, "%s", name);
    uint8_t buf[256];
    size_t len;
    if (!sim_read_payload(sim, info->oid, t, buf, sizeof buf, &len))
        return false;
    cr_assert_eq(rct_value_decode(info->response_type, buf, len, v), RCT_VALUE_OK, "%s", name);
    return true;
}

static double number(struct sim *sim, const char *name, double t)
{
    static struct rct_value v;
    cr_assert(read_value(sim, name, t, &v), "%s answered", name);
    double d;
    cr_assert(rct_value_as_double(&v, &d), "%s is a number", name);
    return d;
}

Test(sim_profiles, names_round_trip_and_unknown_names_are_refused)
{
    const char *names[] = {"storage", "inverter", "old-firmware", "dual-tower", "single-string",
                           "storage-ac"};
    for (int i = 0; i < 6; i++) {
        enum sim_profile p;
        cr_assert(sim_profile_from_name(names[i], &p), "%s", names[i]);
        cr_assert_eq((int)p, i);
    }
    enum sim_profile p;
    cr_assert_not(sim_profile_from_name("dual_tower", &p));
}

Test(sim_profiles, a_single_tower_site_does_not_know_the_second_family)
{
    struct sim *s = make(SIM_PROFILE_STORAGE, false);
    static struct rct_value v;
    cr_assert_not(read_value(s, "battery_placeholder[0].bms_sn", T0, &v));
    cr_assert_not(read_value(s, "battery_placeholder[0].cells[0]", T0, &v));
    cr_assert(read_value(s, "battery.cells[0]", T0, &v));
    sim_free(s);
}

Test(sim_profiles, dual_tower_has_a_second_tower_with_its_own_serials_and_cells)
{
    struct sim *s = make(SIM_PROFILE_DUAL_TOWER, false);
    static struct rct_value a, b, cells;
    cr_assert(read_value(s, "battery.bms_sn", T0, &a));
    cr_assert(read_value(s, "battery_placeholder[0].bms_sn", T0, &b));
    cr_assert_neq(strlen(b.u.s.text), 0);
    cr_assert_str_neq(a.u.s.text, b.u.s.text, "each tower has its own BMS serial");
    cr_assert(read_value(s, "battery_placeholder[0].module_sn[2]", T0, &b));
    cr_assert_neq(strlen(b.u.s.text), 0, "three modules in the second tower");
    cr_assert(read_value(s, "battery_placeholder[0].module_sn[3]", T0, &b));
    cr_assert_eq(strlen(b.u.s.text), 0, "slot 3 is empty");
    /* Decoded as cells (the registry's plain "string" is corrected), about 3.3 V each. */
    cr_assert(read_value(s, "battery_placeholder[0].cells[0]", T0, &cells));
    cr_assert_eq(cells.type, RCT_TYPE_BAT_STATUS);
    cr_assert(cells.u.cells[0].millivolt > 3000 && cells.u.cells[0].millivolt < 3500);
    cr_assert(read_value(s, "battery_placeholder[0].cells_stat[0]", T0, &cells));
    cr_assert_eq(cells.type, RCT_TYPE_BAT_STATISTICS);
    double soc2 = number(s, "battery_placeholder[0].soc", T0);
    cr_assert(soc2 >= 0 && soc2 <= 1);
    sim_free(s);
}

Test(sim_profiles, a_low_cell_can_sit_in_the_second_tower)
{
    struct sim_config cfg;
    sim_default_config(&cfg);
    cfg.start_unix = T0;
    cfg.speed = 0;
    cfg.profile = SIM_PROFILE_DUAL_TOWER;
    cfg.cond.cell_low_mv = 160;
    cfg.cond.cell_low_module = 1;
    cfg.cond.cell_low_tower = 1;
    struct sim *s = sim_new(NULL, &cfg);
    static struct rct_value first, second;
    cr_assert(read_value(s, "battery.cells[1]", T0, &first));
    cr_assert(read_value(s, "battery_placeholder[0].cells[1]", T0, &second));
    int lo1 = 100000, hi1 = 0, lo2 = 100000, hi2 = 0;
    for (int c = 0; c < RCT_BAT_CELLS; c++) {
        lo1 = first.u.cells[c].millivolt < lo1 ? first.u.cells[c].millivolt : lo1;
        hi1 = first.u.cells[c].millivolt > hi1 ? first.u.cells[c].millivolt : hi1;
        lo2 = second.u.cells[c].millivolt < lo2 ? second.u.cells[c].millivolt : lo2;
        hi2 = second.u.cells[c].millivolt > hi2 ? second.u.cells[c].millivolt : hi2;
    }
    cr_assert_lt(hi1 - lo1, 50, "the first tower is healthy");
    cr_assert_geq(hi2 - lo2, 160, "the second tower's module 1 has the low cell");
    sim_free(s);
}

Test(sim_profiles, an_inverter_has_no_battery_power_and_knows_no_battery_oid)
{
    struct sim *s = make(SIM_PROFILE_INVERTER, false);
    static struct rct_value v;
    cr_assert_not(read_value(s, "battery.soc", T0, &v));
    for (double t = T0 - 86400; t < T0; t += 1800)
        cr_assert_float_eq(number(s, "g_sync.p_acc_lp", t), 0, 1e-6, "no battery power at %.0f", t);
    sim_free(s);
}

Test(sim_profiles, single_string_never_produced_on_b_while_a_dead_string_did)
{
    struct sim *single = make(SIM_PROFILE_SINGLE_STRING, false);
    cr_assert_float_eq(number(single, "dc_conv.dc_conv_struct[1].p_dc_lp", T0), 0, 1e-6);
    cr_assert_float_eq(number(single, "dc_conv.dc_conv_struct[1].u_sg_lp", T0), 0, 1e-6);
    cr_assert_float_eq(number(single, "energy.e_dc_total[1]", T0), 0, 1e-6, "nothing in its lifetime");
    cr_assert_float_eq(number(single, "dc_conv.dc_conv_struct[1].enabled", T0), 0, 1e-6);
    cr_assert_gt(number(single, "dc_conv.dc_conv_struct[0].p_dc_lp", T0), 100, "string A works at noon");
    sim_free(single);

    struct sim_config cfg;
    sim_default_config(&cfg);
    cfg.start_unix = T0;
    cfg.speed = 0;
    cfg.cond.dead_string = 'B';
    struct sim *dead = sim_new(NULL, &cfg);
    cr_assert_float_eq(number(dead, "dc_conv.dc_conv_struct[1].p_dc_lp", T0), 0, 1e-6);
    cr_assert_gt(number(dead, "energy.e_dc_total[1]", T0), 1000, "a dead string produced before");
    cr_assert_float_eq(number(dead, "dc_conv.dc_conv_struct[1].enabled", T0), 1, 1e-6);
    sim_free(dead);
}

Test(sim_profiles, a_local_clock_stamps_wall_time_as_if_utc_with_the_dst_flag_set)
{
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    struct sim *local = make(SIM_PROFILE_STORAGE, true);
    struct sim *utc = make(SIM_PROFILE_STORAGE, false);
    double ts_local = number(local, "flash_rtc.time_stamp", T0);
    double ts_utc = number(utc, "flash_rtc.time_stamp", T0);
    cr_assert_float_eq(ts_utc, T0, 1);
    cr_assert_float_eq(ts_local - T0, 7200, 1, "summer time in Berlin: UTC+2 written as UTC");
    cr_assert_float_eq(number(local, "flash_rtc.flag_time_auto_switch", T0), 1, 1e-6);
    cr_assert_float_eq(number(utc, "flash_rtc.flag_time_auto_switch", T0), 0, 1e-6);
    /* Its logs are on the same scale: the newest 5-minute point is near its own clock. */
    const struct rct_oid_info *soc_log = rct_registry_by_name("logger.minutes_soc_log_ts");
    uint8_t page[2048];
    size_t len;
    cr_assert(sim_history_payload(local, soc_log->oid, (uint32_t)ts_local + 1, page, sizeof page, &len));
    static struct rct_value v;
    cr_assert_eq(rct_value_decode(RCT_TYPE_TIMESERIES, page, len, &v), RCT_VALUE_OK);
    cr_assert_gt(v.u.ts.n, 0);
    double newest = v.u.ts.p[v.u.ts.n - 1].ts;
    cr_assert(newest > ts_local - 900 && newest <= ts_local, "newest %.0f against the clock %.0f", newest, ts_local);
    sim_free(local);
    sim_free(utc);
    unsetenv("TZ");
    tzset();
}
