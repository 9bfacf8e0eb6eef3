/* A plant of simulated units: the master's view of its slaves agrees with what each
 * slave serves at the same simulated time, and each slave names its master. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/core/plant.h"
#include "proto/sim/sim.h"

#define NOON 1782043200.0     /* 2026-06-21 12:00 UTC */
#define NIGHT 1782003600.0    /* 2026-06-21 01:00 UTC */

static struct sim *unit(enum sim_profile profile, int role, uint32_t seed)
{
    struct sim_config cfg;
    sim_default_config(&cfg);
    cfg.start_unix = NOON;
    cfg.speed = 0;
    cfg.profile = profile;
    cfg.plant_role = role;
    cfg.seed = seed;
    if (profile == SIM_PROFILE_INVERTER)
        cfg.quirks.night = true;
    struct sim *sim = sim_new(NULL, &cfg);
    cr_assert_not_null(sim);
    return sim;
}

/* master (storage), an inverter and a storage-ac, as `rcttop sim --plant` builds them. */
static struct sim *plant[3];

static void build(void)
{
    plant[0] = unit(SIM_PROFILE_STORAGE, 1, 1);
    plant[1] = unit(SIM_PROFILE_INVERTER, 2, 2);
    plant[2] = unit(SIM_PROFILE_STORAGE_AC, 2, 3);
    for (int i = 0; i < 3; i++) {
        sim_set_address(plant[i], "127.0.0.1", (uint16_t)(40000 + i));
        sim_set_unit_number(plant[i], (uint32_t)i + 1);
    }
    cr_assert(sim_plant_join(plant[0], plant[1]));
    cr_assert(sim_plant_join(plant[0], plant[2]));
}

static void teardown(void)
{
    for (int i = 0; i < 3; i++)
        sim_free(plant[i]);
}

static bool read_value(struct sim *sim, const char *name, double t, struct rct_value *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    cr_assert(info, "%s", name);
    static uint8_t buf[2048];
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

static const char *text(struct sim *sim, const char *name, char *buf, size_t cap)
{
    static struct rct_value v;
    cr_assert(read_value(sim, name, NOON, &v), "%s answered", name);
    cr_assert_eq(v.type, RCT_TYPE_STRING);
    size_t n = strnlen(v.u.s.text, cap - 1);
    memcpy(buf, v.u.s.text, n);
    buf[n] = '\0';
    return buf;
}

TestSuite(sim_plant, .init = build, .fini = teardown);

Test(sim_plant, the_master_counts_its_slaves_and_each_slave_names_it)
{
    char buf[64];
    cr_assert_eq(number(plant[0], "wifi.sockb_protocol", NOON), 1);
    cr_assert_eq(number(plant[0], "net.n_slaves", NOON), 2);
    cr_assert_eq(number(plant[0], "net.n_devices", NOON), 3);
    cr_assert_str_empty(text(plant[0], "wifi.sockb_ip", buf, sizeof buf));
    for (int i = 1; i < 3; i++) {
        cr_assert_eq(number(plant[i], "wifi.sockb_protocol", NOON), 2);
        cr_assert_eq(number(plant[i], "net.n_slaves", NOON), 0);
        cr_assert_str_eq(text(plant[i], "wifi.sockb_ip", buf, sizeof buf), "127.0.0.1");
        cr_assert_eq(number(plant[i], "wifi.sockb_port", NOON), 40000, "the master's port");
    }
}

Test(sim_plant, each_unit_has_its_own_serial)
{
    char a[64], b[64], c[64];
    text(plant[0], "inverter_sn", a, sizeof a);
    text(plant[1], "inverter_sn", b, sizeof b);
    text(plant[2], "inverter_sn", c, sizeof c);
    cr_assert(strcmp(a, b) && strcmp(b, c) && strcmp(a, c), "%s %s %s", a, b, c);
}

Test(sim_plant, s0_external_power_is_the_slaves_signed_ac_sum_at_the_same_time)
{
    bool charging_seen = false;
    for (double t = NIGHT; t < NIGHT + 86400; t += 1800) {
        double sum = 0;
        for (int i = 1; i < 3; i++)
            sum += number(plant[i], "g_sync.p_ac_sum_lp", t);
        double s0 = number(plant[0], "io_board.s0_external_power", t);
        cr_assert_float_eq(s0, sum, 0.5, "at %.0f: S0 %.1f W, slaves %.1f W", t, s0, sum);
        cr_assert_float_eq(number(plant[0], "net.slave_p_total", t), sum, 0.5);
        if (number(plant[2], "g_sync.p_ac_sum_lp", t) < -1)
            charging_seen = true;  /* the storage-ac takes power: the sum is signed */
    }
    cr_assert(charging_seen, "the AC-coupled battery charged at some time of the day");
}

Test(sim_plant, slave_data_holds_one_record_a_slave_agreeing_with_the_slaves)
{
    const struct rct_oid_info *info = rct_registry_by_name("net.slave_data");
    cr_assert(info);
    uint8_t buf[2048];
    size_t len;
    cr_assert(sim_read_payload(plant[0], info->oid, NOON, buf, sizeof buf, &len));
    cr_assert_eq(len, 2 * PLANT_SLAVE_DATA_SIZE);
    for (int i = 1; i < 3; i++) {
        struct plant_slave_data d;
        cr_assert(plant_slave_data_decode(buf + (i - 1) * PLANT_SLAVE_DATA_SIZE,
                                          PLANT_SLAVE_DATA_SIZE, &d));
        char serial[64];
        cr_assert_eq(d.network_id, (uint32_t)i + 1);
        cr_assert_str_eq(d.serial, text(plant[i], "inverter_sn", serial, sizeof serial));
        cr_assert_float_eq(d.ac_power_w, number(plant[i], "g_sync.p_ac_sum_lp", NOON), 0.01);
        bool battery = i == 2;
        cr_assert_eq(!!(d.equipment & PLANT_SLAVE_EQUIP_BATTERY), battery);
        cr_assert_eq(!!(d.equipment & PLANT_SLAVE_EQUIP_PV), !battery);
        if (battery)
            cr_assert_float_eq(d.soc, number(plant[i], "battery.soc", NOON), 1e-5);
        cr_assert_eq(d.fault_index, 0, "no fault raised");
    }
    /* Only the master has slaves to report. */
    cr_assert(sim_read_payload(plant[1], info->oid, NOON, buf, sizeof buf, &len));
    cr_assert_neq(len, PLANT_SLAVE_DATA_SIZE);
}

Test(sim_plant, storage_ac_has_a_battery_and_no_strings_the_inverter_no_battery)
{
    cr_assert_gt(number(plant[2], "battery.soc", NOON), 0);
    for (int s = 0; s < 2; s++) {
        char name[64];
        snprintf(name, sizeof name, "dc_conv.dc_conv_struct[%d].p_dc_lp", s);
        cr_assert_eq(number(plant[2], name, NOON), 0);
        snprintf(name, sizeof name, "dc_conv.dc_conv_struct[%d].enabled", s);
        cr_assert_eq(number(plant[2], name, NOON), 0);
        snprintf(name, sizeof name, "g_sync.u_sg_avg[%d]", s);
        cr_assert_eq(number(plant[2], name, NOON), 0);
    }
    static struct rct_value v;
    cr_assert_not(read_value(plant[1], "battery.soc", NOON, &v), "a PV-only unit has no battery");
    cr_assert_gt(number(plant[1], "dc_conv.dc_conv_struct[0].p_dc_lp", NOON), 0);
}

Test(sim_plant, a_pv_only_slave_sleeps_while_its_pv_gives_nothing)
{
    double pv = number(plant[1], "dc_conv.dc_conv_struct[0].p_dc_lp", NIGHT) +
                number(plant[1], "dc_conv.dc_conv_struct[1].p_dc_lp", NIGHT);
    cr_assert_eq(pv, 0);
    cr_assert_not(sim_awake(plant[1], NIGHT));
    cr_assert(sim_awake(plant[1], NOON));
    cr_assert(sim_awake(plant[2], NIGHT), "a battery unit stays up");
}

Test(sim_plant, joining_refuses_a_second_master_and_itself)
{
    cr_assert_not(sim_plant_join(plant[0], plant[0]));
    cr_assert_not(sim_plant_join(plant[2], plant[1]), "plant[1] has a master already");
}

Test(sim_plant, the_masters_grid_meter_sees_the_whole_plant)
{
    for (double t = NIGHT; t < NIGHT + 86400; t += 3 * 3600) {
        double load = number(plant[0], "g_sync.p_ac_load_sum_lp", t);
        double ac = number(plant[0], "g_sync.p_ac_sum_lp", t);
        double s0 = number(plant[0], "io_board.s0_external_power", t);
        double grid = number(plant[0], "g_sync.p_ac_grid_sum_lp", t);
        cr_assert_float_eq(grid, load - ac - s0, 1, "at %.0f: grid = house - own AC - slaves", t);
        /* Today's energy: the house = own AC + the S0 input's + bought - fed in. */
        double e_load = number(plant[0], "energy.e_load_day", t);
        double e_sum = number(plant[0], "energy.e_ac_day", t) + number(plant[0], "energy.e_ext_day", t) +
                       number(plant[0], "energy.e_grid_load_day", t) +
                       number(plant[0], "energy.e_grid_feed_day", t);
        cr_assert_float_eq(e_load, e_sum, 1, "at %.0f: %.1f Wh, the parts %.1f Wh", t, e_load, e_sum);
    }
    cr_assert_gt(number(plant[0], "energy.e_ext_day", NOON), 0, "the slaves produced by noon");
}
