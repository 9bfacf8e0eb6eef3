/* What the simulated device answers for each OID: the plant model for the values a
 * monitor shows, identity strings, battery modules, faults, and a plausible constant of
 * the right type for everything else (history pages: sim_history.c). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/core/plant.h"
#include "proto/sim/sim_internal.h"
#include "proto/sim/sim_wire.h"

#define INSTALL_DAYS 400

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Encodes a number as the OID's scalar type. */
static size_t put_number(enum rct_type type, double v, uint8_t *out)
{
    switch (type) {
    case RCT_TYPE_BOOL: out[0] = v != 0; return 1;
    case RCT_TYPE_UINT8: case RCT_TYPE_INT8: case RCT_TYPE_ENUM:
        out[0] = (uint8_t)(int)v;
        return 1;
    case RCT_TYPE_UINT16: case RCT_TYPE_INT16: {
        int32_t i = (int32_t)v;
        out[0] = (uint8_t)(i >> 8);
        out[1] = (uint8_t)i;
        return 2;
    }
    case RCT_TYPE_UINT32: put_be32(out, (uint32_t)(int64_t)v); return 4;
    case RCT_TYPE_INT32: put_be32(out, (uint32_t)(int32_t)v); return 4;
    case RCT_TYPE_FLOAT: put_be32(out, float_bits((float)v)); return 4;
    default: return 0;
    }
}

static size_t put_string(const char *s, size_t width, uint8_t *out, size_t cap)
{
    /* Devices send fixed-width, NUL-padded strings. */
    size_t n = width < cap ? width : cap;
    memset(out, 0, n);
    size_t len = strlen(s);
    memcpy(out, s, len < n ? len : n);
    return n;
}

static bool name_is(const struct rct_oid_info *info, const char *name)
{
    return strcmp(info->name, name) == 0;
}

/* Index in "...[N]..." after a given prefix, or -1. */
static int index_after(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0 || name[n] != '[')
        return -1;
    return atoi(name + n + 1);
}

/* Tower 0 is battery.*, tower 1 battery_placeholder[0].* (the dual-tower profile). */
static int tower_modules(int tower)
{
    return tower ? SIM_TOWER2_MODULES : SIM_MODULES;
}

/* Which tower and slot a battery composite belongs to; slot 99 when not a slot. */
static int tower_slot(const char *name, const char *what, int *tower)
{
    char prefix[64];
    for (int t = 0; t < 2; t++) {
        snprintf(prefix, sizeof prefix, "%s.%s", t ? "battery_placeholder[0]" : "battery", what);
        int i = index_after(name, prefix);
        if (i >= 0) {
            *tower = t;
            return i;
        }
    }
    *tower = 0;
    return 99;
}

static size_t battery_cells(struct sim *sim, int tower, int module, double t, uint8_t *out)
{
    for (int c = 0; c < RCT_BAT_CELLS; c++) {
        uint8_t *p = out + c * 4;
        const struct sim_conditions *cond = &sim->cfg.cond;
        if (module >= tower_modules(tower) || (tower == 0 && module == cond->silent_module)) {
            memset(p, 0, 4);
            continue;
        }
        struct sim_plant plant;
        sim_plant_at(sim, t, &plant);
        double soc = plant.soc - 0.02 * tower;
        double mv = 3250 + 120 * soc + 6 * (sim_hash(sim->cfg.seed, 40 + (uint32_t)module + 20u * (uint32_t)tower,
                                                     (uint32_t)c) % 5);
        if (cond->cell_mv > 0)
            mv = cond->cell_mv;
        if (sim->cfg.cond.cell_low_mv > 0 && module == sim->cfg.cond.cell_low_module &&
            tower == sim->cfg.cond.cell_low_tower && c == 4)
            mv -= sim->cfg.cond.cell_low_mv;
        double temp = 21 + tower + fabs(plant.bat) / 900 + sim_hash(sim->cfg.seed, 41, (uint32_t)c) % 3;
        if (cond->cell_temp_set)
            temp = cond->cell_temp_c;
        p[0] = (uint8_t)(int8_t)temp;  /* a signed byte: -2 °C is 254 on the wire */
        p[1] = (uint8_t)((int)mv & 0xFF);
        p[2] = (uint8_t)((int)mv >> 8);
        p[3] = 0;
    }
    return RCT_BAT_CELLS * 4;
}

static size_t battery_stats(struct sim *sim, int tower, int module, uint8_t *out)
{
    /* A device that keeps local time stamps its BMS extremes in it too. */
    uint32_t day_ts = (uint32_t)(sim_device_time(sim, sim->start_unix) - 86400 * (3 + module + tower));
    struct extreme { uint32_t cell, ts; float v; } e[4] = {
        {3, day_ts, 3.021f}, {17, day_ts + 3600, 3.468f},
        {0, day_ts + 7200, 14.0f}, {11, day_ts + 9000, 34.0f}};
    for (int i = 0; i < 4; i++) {
        if (module >= tower_modules(tower))
            e[i] = (struct extreme){0, 0, 0};
        put_le32(out + i * 12, e[i].cell);
        put_le32(out + i * 12 + 4, e[i].ts);
        put_le32(out + i * 12 + 8, float_bits(e[i].v));
    }
    return 48;
}

static size_t battery_resistance(struct sim *sim, int tower, int module, uint8_t *out)
{
    for (int c = 0; c < RCT_BAT_CELLS; c++) {
        uint16_t raw = module >= tower_modules(tower)
                           ? 0
                           : (uint16_t)(300 + sim_hash(sim->cfg.seed, 42 + (uint32_t)module + 20u * (uint32_t)tower,
                                                       (uint32_t)c) % 100);
        if (tower == 0 && module == sim->cfg.cond.weak_cell_module && c == 7)
            raw = (uint16_t)(raw * 3);
        out[c * 4] = (uint8_t)(raw >> 8);
        out[c * 4 + 1] = (uint8_t)raw;
        out[c * 4 + 2] = 0;
        out[c * 4 + 3] = 0;
    }
    return RCT_BAT_CELLS * 4;
}

/* The modelled value of a measurement by name; false if the model has none. */
static bool model_number(struct sim *sim, const struct rct_oid_info *info, double t, double *v)
{
    struct sim_plant p;
    sim_plant_at(sim, t, &p);
    const char *n = info->name;
    int i;
    static const struct { const char *name; size_t offset; } totals[] = {
        {"e_ac", offsetof(struct sim_totals, ac)},
        {"e_load", offsetof(struct sim_totals, load)},
        {"e_grid_feed", offsetof(struct sim_totals, feed)},
        {"e_grid_load", offsetof(struct sim_totals, grid_load)},
        {"e_ext", offsetof(struct sim_totals, ext)},
        {"e_dc[0]", offsetof(struct sim_totals, pv_a)},
        {"e_dc[1]", offsetof(struct sim_totals, pv_b)},
    };
    if (name_is(info, "energy.e_ac_total") && sim->cfg.cond.counter_back) {
        *v = 5.0e6 - (t - sim->start_unix) * 100.0;  /* a total that runs backwards */
        return true;
    }
    if (strncmp(n, "energy.", 7) == 0) {
        static const char *const periods[] = {"day", "month", "year", "total"};
        const struct sim_totals *by_period[] = {&p.day, &p.month, &p.year, &p.total};
        char stem[64];
        for (size_t k = 0; k < sizeof totals / sizeof totals[0]; k++)
            for (size_t q = 0; q < 4; q++) {
                const char *bracket = strchr(totals[k].name, '[');
                /* e_dc_day[0] and e_dc_day_sum[0] put the index after the period. */
                if (bracket)
                    snprintf(stem, sizeof stem, "energy.e_dc_%s%s", periods[q], bracket);
                else
                    snprintf(stem, sizeof stem, "energy.%s_%s", totals[k].name, periods[q]);
                char sum[80];
                if (bracket)
                    snprintf(sum, sizeof sum, "energy.e_dc_%s_sum%s", periods[q], bracket);
                else
                    snprintf(sum, sizeof sum, "%s_sum", stem);
                if (strcmp(n, stem) == 0 || strcmp(n, sum) == 0) {
                    *v = *(const double *)((const char *)by_period[q] + totals[k].offset);
                    if (strcmp(totals[k].name, "e_grid_feed") == 0)
                        *v = -*v;  /* feed-in counters are negative on real devices */
                    return true;
                }
            }
        if (strstr(n, "e_ext_")) {
            *v = 0;
            return true;
        }
        return false;
    }
    double bat_v = 350 + 80 * p.soc;
    /* A connected string shows near its open-circuit voltage in any light, at its MPP
     * voltage when it produces; a dead one (a broken string or connector) stays near 0 V. */
    const struct sim_conditions *sc = &sim->cfg.cond;
    bool light = p.elev > 0 || p.pv_a > 1 || p.pv_b > 1;
    double u_a = p.pv_a > 1 ? 420 + 80 * p.elev : light ? 470 + 30 * p.elev : 4;
    double u_b = p.pv_b > 1 ? 390 + 70 * p.elev : light ? 440 + 30 * p.elev : 3;
    if (sc->dead_string == 'A')
        u_a = 4;
    if (sc->dead_string == 'B')
        u_b = 3;
    if (!sim_has_string_b(sim))
        u_b = 0;  /* nothing connected */
    if (!sim_has_pv(sim))
        u_a = 0;
    /* The second tower (dual-tower profile): its own charge, a little behind the first. */
    double soc2 = p.soc > 0.02 ? p.soc - 0.02 : p.soc;
    const char *tower2 = strncmp(n, "battery_placeholder[0].", 23) == 0 ? n + 23 : NULL;
    const struct sim_conditions *cond = &sim->cfg.cond;
    if (sim_plant_number(sim, info, t, v))
        return true;
    if (name_is(info, "flash_rtc.time_stamp")) *v = floor(sim_device_time(sim, t) + sim->cfg.clock_offset_s);
    else if (name_is(info, "flash_rtc.flag_time_auto_switch")) *v = sim->cfg.clock_local;
    else if (name_is(info, "wifi.sockb_protocol")) *v = sim->cfg.plant_role;
    else if (name_is(info, "dc_conv.dc_conv_struct[0].enabled")) *v = sim_has_pv(sim);
    else if (name_is(info, "dc_conv.dc_conv_struct[1].enabled")) *v = sim_has_string_b(sim);
    else if (tower2 && !strcmp(tower2, "soc")) *v = soc2;
    else if (tower2 && !strcmp(tower2, "soh")) *v = cond->soh_set ? cond->soh : 0.96;
    else if (tower2 && !strcmp(tower2, "voltage")) *v = bat_v - 1.5;
    else if (tower2 && !strcmp(tower2, "current")) *v = p.bat / bat_v / 2;
    else if (tower2 && !strcmp(tower2, "temperature")) *v = 23 + fabs(p.bat) / 900;
    else if (tower2 && !strcmp(tower2, "max_cell_voltage")) *v = (3250 + 120 * soc2 + 24) / 1000.0;
    else if (tower2 && !strcmp(tower2, "min_cell_voltage")) *v = (3250 + 120 * soc2) / 1000.0;
    else if (name_is(info, "iso_struct.Riso")) *v = cond->riso_ohm >= 0 ? cond->riso_ohm : 3.2e6;
    else if (name_is(info, "iso_struct.Rp") || name_is(info, "iso_struct.Rn"))
        *v = 2 * (cond->riso_ohm >= 0 ? cond->riso_ohm : 3.2e6);
    else if (name_is(info, "iso_struct.r_min")) *v = 1e5;  /* 100 kOhm, a common grid-code minimum */

    else if (name_is(info, "adc.u_acc") || name_is(info, "power_mng.u_acc_mix_lp")) *v = bat_v;
    else if (index_after(n, "adc.u_ref_1_5v") >= 0)
        *v = 1.5 + 0.002 * (double)(sim_hash(sim->cfg.seed, 70, info->oid) % 5) - 0.004;
    else if (name_is(info, "g_sync.u_zk_sum_avg") || name_is(info, "g_sync.u_zk_sum_mov_avg")) *v = 700;
    else if (name_is(info, "g_sync.u_zk_p_avg") || name_is(info, "g_sync.u_zk_n_avg")) *v = 350;
    else if (name_is(info, "g_sync.u_sg_avg[0]")) *v = u_a;
    else if (name_is(info, "g_sync.u_sg_avg[1]")) *v = u_b;
    else if (name_is(info, "dc_conv.dc_conv_struct[0].p_dc_lp") || name_is(info, "dc_conv.dc_conv_struct[0].p_dc")) *v = p.pv_a;
    else if (name_is(info, "dc_conv.dc_conv_struct[1].p_dc_lp") || name_is(info, "dc_conv.dc_conv_struct[1].p_dc")) *v = p.pv_b;
    else if (name_is(info, "dc_conv.dc_conv_struct[0].u_sg_lp")) *v = u_a;
    else if (name_is(info, "dc_conv.dc_conv_struct[1].u_sg_lp")) *v = u_b;
    else if (name_is(info, "g_sync.p_ac_load_sum_lp")) *v = p.load;
    else if ((i = index_after(n, "g_sync.p_ac_load")) >= 0) *v = p.load * (i == 0 ? 0.4 : i == 1 ? 0.35 : 0.25);
    else if (name_is(info, "g_sync.p_ac_grid_sum_lp") || name_is(info, "g_sync.p_ac_sc_sum")) *v = p.grid;
    else if ((i = index_after(n, "g_sync.p_ac_sc")) >= 0) *v = p.grid / 3;
    else if (name_is(info, "g_sync.p_acc_lp")) *v = p.bat;
    else if (name_is(info, "g_sync.p_ac_sum_lp") || name_is(info, "g_sync.p_ac_sum")) *v = p.ac;
    else if (index_after(n, "g_sync.p_ac_lp") >= 0 || index_after(n, "g_sync.p_ac") >= 0) *v = p.ac / 3;
    else if ((i = index_after(n, "g_sync.u_l_rms")) >= 0 && i < 3)
        *v = i == 0 && cond->grid_voltage > 0 ? cond->grid_voltage : p.u_l[i];
    else if (index_after(n, "g_sync.u_ptp_rms") >= 0) *v = p.u_l[0] * 1.732;
    else if (name_is(info, "grid_pll[0].f") || index_after(n, "rb485.f_grid") >= 0) *v = p.freq;
    else if ((i = index_after(n, "rb485.u_l_grid")) >= 0 && i < 3) *v = p.u_l[i];
    else if (name_is(info, "battery.soc")) *v = p.soc;
    else if (name_is(info, "battery.soc_target")) *v = p.elev > 0 ? 0.97 : 0.07;
    else if (strstr(n, ".soh")) *v = cond->soh_set ? cond->soh : 0.98;
    else if (name_is(info, "battery.voltage") || name_is(info, "power_mng.u_acc_lp")) *v = bat_v;
    else if (name_is(info, "battery.current")) *v = p.bat / bat_v;
    else if (name_is(info, "battery.temperature")) *v = 22 + fabs(p.bat) / 900;
    else if (name_is(info, "battery.bat_status")) *v = p.bat < -1 ? 8 : p.bat > 1 ? 1024 : 0;
    else if (name_is(info, "battery.cycles")) *v = 412;
    else if (name_is(info, "battery.max_cell_voltage")) *v = (3250 + 120 * p.soc + 24) / 1000.0;
    else if (name_is(info, "battery.min_cell_voltage")) *v = (3250 + 120 * p.soc) / 1000.0;
    else if (name_is(info, "battery.max_cell_temperature")) *v = 24 + fabs(p.bat) / 900;
    else if (name_is(info, "battery.min_cell_temperature")) *v = 21 + fabs(p.bat) / 900;
    else if (name_is(info, "battery.ah_capacity")) *v = 25.0;
    else if (name_is(info, "battery.stored_energy")) *v = p.total.charge;
    else if (name_is(info, "battery.used_energy")) *v = p.total.discharge;
    else if (name_is(info, "db.temp1")) *v = 31 + (p.pv_a + p.pv_b) / 260;
    else if (name_is(info, "db.temp2")) *v = 29 + (p.pv_a + p.pv_b) / 300;
    else if (name_is(info, "db.core_temp")) *v = 42 + (p.pv_a + p.pv_b) / 200;
    else if (name_is(info, "prim_sm.state")) *v = fabs(p.ac) > 5 ? 13 : 0;
    else if (name_is(info, "power_mng.n_batteries")) *v = SIM_MODULES;
    else if (name_is(info, "power_mng.battery_type")) *v = 3;
    else if (name_is(info, "power_mng.is_grid")) *v = 1;
    else if (name_is(info, "power_mng.soc_min")) *v = 0.07;
    else if (name_is(info, "power_mng.soc_max")) *v = 0.97;
    else if (name_is(info, "power_mng.soc_strategy")) *v = 4;
    else if (name_is(info, "power_mng.soc_target_set")) *v = 0.5;
    else if (name_is(info, "power_mng.soc_charge")) *v = 0.05;
    else if (name_is(info, "power_mng.soc_charge_power")) *v = 100;
    else if (name_is(info, "buf_v_control.power_reduction")) *v = 1.0;
    else if (index_after(n, "battery.stack_cycles") >= 0) *v = index_after(n, "battery.stack_cycles") < SIM_MODULES ? 412 : 0;
    else if ((i = index_after(n, "battery_placeholder[0].stack_cycles")) >= 0) *v = i < SIM_TOWER2_MODULES ? 398 : 0;
    else if (strstr(n, "grid_mon[") && strstr(n, "u_over.threshold")) *v = n[9] == '0' ? 264.5 : 253.0;
    else if (strstr(n, "grid_mon[") && strstr(n, "u_under.threshold")) *v = n[9] == '0' ? 184.0 : 195.5;
    else if (strstr(n, "grid_mon[") && strstr(n, "f_over.threshold")) *v = n[9] == '0' ? 51.5 : 50.2;
    else if (strstr(n, "grid_mon[") && strstr(n, "f_under.threshold")) *v = n[9] == '0' ? 47.5 : 49.8;
    else if (strstr(n, "grid_mon[") && strstr(n, ".time")) *v = n[9] == '0' ? 0.1 : 3.0;
    else if (strstr(n, "fault[") && strstr(n, "].flt")) {
        uint32_t words[4];
        sim_fault_words(sim, t, words);
        *v = words[n[6] - '0'];
    } else
        return false;
    return true;
}

/* Voltage settings by what they are about, so no limit contradicts the plant. */
static double voltage_setting(const char *n)
{
    if (strstr(n, "maximum_charge_voltage")) return 460.0;
    if (strstr(n, "minimum_discharge_voltage")) return 320.0;
    if (strstr(n, "stop_discharge_voltage_buffer")) return 10.0;
    if (strstr(n, "dc_conv.start_voltage")) return 150.0;
    if (strstr(n, "mpp_step")) return 5.0;
    if (strstr(n, "rescan_correction")) return 0.0;
    if (strstr(n, "u_target") || strstr(n, "fixed_voltage")) return 500.0;
    if (strstr(n, "u_min") || strstr(n, "u_under") || strstr(n, "u_lock_out")) return 195.5;
    if (strstr(n, "u_max") || strstr(n, "u_over") || strstr(n, "u_lock_in")) return 253.0;
    return 230.0;  /* grid-side thresholds and curves */
}

/* A plausible constant for OIDs the model does not cover, by unit and type. */
static double constant_for(const struct sim *sim, const struct rct_oid_info *info)
{
    const char *u = info->unit;
    if (strcmp(u, "V") == 0) return voltage_setting(info->name);
    if (strcmp(u, "Hz") == 0) return 50.0;
    if (strcmp(u, "%") == 0) return 0.5;
    if (strcmp(u, "°C") == 0) return 25.0;
    if (strcmp(u, "s") == 0) return 60.0;
    size_t nlabels;
    const struct rct_enum_label *labels = rct_enum_labels(info->oid, &nlabels);
    if (labels)
        return labels[0].value;
    if (info->response_type == RCT_TYPE_FLOAT)
        return 0.0;
    return sim_hash(sim->cfg.seed, 50, info->oid) % 4;
}

static const char *identity_string(struct sim *sim, const struct rct_oid_info *info, char *buf,
                                   size_t cap)
{
    const char *n = info->name;
    uint32_t h = sim_hash(sim->cfg.seed, 60, 0);
    int i;
    if (strcmp(n, "inverter_sn") == 0)
        snprintf(buf, cap, "%010u", h % 1000000000u);
    else if (strcmp(n, "android_description") == 0)
        snprintf(buf, cap, "%s", sim->cfg.profile == SIM_PROFILE_STORAGE_AC ? "PS AC 6.0"
                                 : sim->cfg.profile == SIM_PROFILE_INVERTER ? "PI 6.0"
                                                                             : "PS 6.0 BA3L");
    else if (strncmp(n, "svnversion", 10) == 0)
        snprintf(buf, cap, "RCT-%s 3.5.%u", strstr(n, "factory") ? "F" : "W", 5600 + h % 100);
    else if ((i = index_after(n, "battery.module_sn")) >= 0)
    {
        if (i < SIM_MODULES)
            snprintf(buf, cap, "BM%07u", (h + (unsigned)i * 7919u) % 10000000u);
        else
            buf[0] = '\0';  /* an empty slot has no module */
    }
    else if ((i = index_after(n, "battery_placeholder[0].module_sn")) >= 0)
    {
        if (i < SIM_TOWER2_MODULES)
            snprintf(buf, cap, "BM%07u", (h + 5000000u + (unsigned)i * 7919u) % 10000000u);
        else
            buf[0] = '\0';
    }
    else if (strcmp(n, "battery_placeholder[0].bms_sn") == 0)
        snprintf(buf, cap, "583%06u", (h + 500000u) % 1000000u);
    else if (strstr(n, "bms_sn") || strstr(n, "prog_sn"))
        snprintf(buf, cap, "583%06u", h % 1000000u);
    else if (strstr(n, "version"))
        snprintf(buf, cap, "%u.%u", 1 + h % 3, 100 + h % 50);
    else if (sim_plant_string(sim, info, buf, cap))
        ;
    else if (strcmp(n, "wifi.sockb_ip") == 0)
    {
        if (sim->cfg.plant_role == 2)  /* a slave names its master */
            snprintf(buf, cap, "192.168.1.%u", 150 + h % 50);
        else
            buf[0] = '\0';
    }
    else if (strcmp(n, "wifi.ip") == 0)
        snprintf(buf, cap, "192.168.1.%u", 50 + h % 100);
    else if (strcmp(n, "wifi.mask") == 0)
        snprintf(buf, cap, "255.255.255.0");
    else if (strcmp(n, "wifi.gateway") == 0 || strcmp(n, "wifi.dns_address") == 0)
        snprintf(buf, cap, "192.168.1.1");
    else if (strcmp(n, "wifi.connected_ap_ssid") == 0)
        snprintf(buf, cap, "HomeNet");
    else if (strcmp(n, "wifi.password") == 0)
        snprintf(buf, cap, "%s", "");  /* real devices do not reveal it either */
    else if (strcmp(n, "parameter_file") == 0)
        snprintf(buf, cap, "DE_VDE4105");
    else
        snprintf(buf, cap, "%s", "");
    return buf;
}

/* One slave as its master reports it in net.slave_data. */
static void slave_record(struct sim *slave, double t, uint8_t out[PLANT_SLAVE_DATA_SIZE])
{
    struct sim_plant p;
    sim_plant_at(slave, t, &p);
    bool battery = sim_has_battery(slave);
    struct plant_slave_data d = {
        .network_id = slave->unit_number,
        .ac_power_w = p.ac,
        .battery_power_w = battery ? p.bat : 0,
        .soc = battery ? p.soc : 0,
        .equipment = (uint8_t)((sim_has_pv(slave) ? PLANT_SLAVE_EQUIP_PV : 0) |
                               (battery ? PLANT_SLAVE_EQUIP_BATTERY : 0)),
        .state = fabs(p.ac) > 5 ? 13 : 0,  /* as its prim_sm.state */
        .completeness = 1,
        .bms_software_version = battery ? 3160u + slave->cfg.seed % 10 : 0,
    };
    uint32_t words[4];
    sim_fault_words(slave, t, words);
    for (int bit = 0; bit < 128 && !d.fault_index; bit++)
        if (words[bit / 32] & 1u << (bit % 32))
            d.fault_index = (uint16_t)(bit + 1);  /* 0: no fault */
    identity_string(slave, rct_registry_by_name("android_description"), d.name, sizeof d.name);
    identity_string(slave, rct_registry_by_name("svnversion"), d.software_version,
                    sizeof d.software_version);
    identity_string(slave, rct_registry_by_name("inverter_sn"), d.serial, sizeof d.serial);
    plant_slave_data_encode(&d, out);
}

bool sim_plant_record_payload(struct sim *sim, const struct rct_oid_info *info, double t,
                              uint8_t *out, size_t cap, size_t *len)
{
    if (sim->nslaves == 0 || strcmp(info->name, "net.slave_data") != 0 ||
        cap < sim->nslaves * PLANT_SLAVE_DATA_SIZE)
        return false;
    for (size_t i = 0; i < sim->nslaves; i++)
        slave_record(sim->slaves[i], t, out + i * PLANT_SLAVE_DATA_SIZE);
    *len = sim->nslaves * PLANT_SLAVE_DATA_SIZE;
    return true;
}

/* Timeseries value of a logger series at time t (one point of its resolution). */
bool sim_read_payload(struct sim *sim, uint32_t oid, double t, uint8_t *out, size_t cap,
                      size_t *len)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    if (!info || sim_oid_unknown(sim, oid) || cap < 96)
        return false;
    enum rct_type type = info->response_type;
    int module, tower;
    double v;
    char text[96];
    switch (type) {
    case RCT_TYPE_TIMESERIES:
    case RCT_TYPE_EVENT_TABLE:
        /* A plain READ of a history OID: the newest page. */
        return sim_history_payload(sim, oid, (uint32_t)t, out, cap, len);
    case RCT_TYPE_BAT_STATUS:
        module = tower_slot(info->name, "cells", &tower);
        *len = battery_cells(sim, tower, module, t, out);
        return true;
    case RCT_TYPE_BAT_STATISTICS:
        module = tower_slot(info->name, "cells_stat", &tower);
        *len = battery_stats(sim, tower, module, out);
        return true;
    case RCT_TYPE_BAT_RESISTANCE:
        module = tower_slot(info->name, "cells_resist", &tower);
        *len = battery_resistance(sim, tower, module, out);
        return true;
    case RCT_TYPE_STRING:
        *len = put_string(identity_string(sim, info, text, sizeof text), 32, out, cap);
        return true;
    case RCT_TYPE_UNKNOWN:
        if (sim_plant_record_payload(sim, info, t, out, cap, len))
            return true;
        *len = put_string("", 8, out, cap);
        return true;
    default:
        if (!model_number(sim, info, t, &v))
            v = constant_for(sim, info);
        *len = put_number(type, v, out);
        return *len > 0;
    }
}
