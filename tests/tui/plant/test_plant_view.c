/* A plant's rows, totals and findings on crafted stores: a master with the battery and the
 * grid meter, a PV-only slave, a battery (AC) slave. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/store.h"
#include "tui/config/config.h"
#include "tui/plant/plant_view.h"

static struct store *stores[3];
static struct device_knows knows[3];
static struct plant_unit units[3];
static struct plant_row rows[3];
static const char *const labels[3] = {"master", "pi", "ac"};
static const char *const hosts[3] = {"10.0.0.2", "10.0.0.3", "10.0.0.4"};

static void put(int u, const char *name, const void *bytes, size_t n)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    cr_assert_not_null(info, "%s", name);
    cr_assert_eq(store_put(stores[u], info->oid, bytes, n, 1000, 1790000000), RCT_VALUE_OK, "%s", name);
}

static void put_float(int u, const char *name, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, 4);
    uint8_t p[4] = {(uint8_t)(bits >> 24), (uint8_t)(bits >> 16), (uint8_t)(bits >> 8), (uint8_t)bits};
    put(u, name, p, 4);
}

static void put_u8(int u, const char *name, uint8_t v)
{
    put(u, name, &v, 1);
}

static void unsupported(int u, const char *name)
{
    store_note_unsupported(stores[u], rct_registry_by_name(name)->oid);
}

static void no_battery(int u)
{
    unsupported(u, "battery.soc");
    unsupported(u, "battery.bms_sn");
    unsupported(u, "battery.soh");
}

static void setup(void)
{
    struct health_thresholds t;
    config_default_thresholds(&t);
    for (int i = 0; i < 3; i++) {
        stores[i] = store_new();
        knows_init(&knows[i], &t, 10000);
        knows[i].last_heard_unix_ms = 1790000000000;
        units[i] = (struct plant_unit){.label = labels[i], .host = hosts[i], .port = 8899,
                                       .store = stores[i], .knows = &knows[i], .link = LINK_ONLINE};
    }
    put_u8(0, "wifi.sockb_protocol", 1);
    put_u8(0, "net.n_slaves", 2);
    put_float(0, "dc_conv.dc_conv_struct[0].p_dc_lp", 3000);
    put_float(0, "dc_conv.dc_conv_struct[1].p_dc_lp", 1500);
    put_float(0, "g_sync.p_ac_sum_lp", 4300);
    put_float(0, "battery.soc", 0.62f);
    put_float(0, "g_sync.p_acc_lp", -200);
    put_float(0, "g_sync.p_ac_grid_sum_lp", -4500);
    put_float(0, "g_sync.p_ac_load_sum_lp", 1900);
    put_float(0, "io_board.s0_external_power", 2100);
    for (int s = 1; s < 3; s++) {
        put_u8(s, "wifi.sockb_protocol", 2);
        put(s, "wifi.sockb_ip", "10.0.0.2", 8);
    }
    put_float(1, "dc_conv.dc_conv_struct[0].p_dc_lp", 2000);
    put_float(1, "dc_conv.dc_conv_struct[1].p_dc_lp", 1000);
    put_float(1, "g_sync.p_ac_sum_lp", 2900);
    no_battery(1);
    unsupported(2, "dc_conv.dc_conv_struct[0].p_dc_lp");
    unsupported(2, "dc_conv.dc_conv_struct[1].p_dc_lp");
    put_float(2, "g_sync.p_ac_sum_lp", -800);
    put_float(2, "battery.soc", 0.41f);
    put_float(2, "g_sync.p_acc_lp", -800);
}

static void teardown(void)
{
    for (int i = 0; i < 3; i++)
        store_free(stores[i]);
}

static void rows_now(void)
{
    for (int i = 0; i < 3; i++)
        plant_row_of(&units[i], &rows[i]);
}

TestSuite(plant_view, .init = setup, .fini = teardown);

Test(plant_view, rows_say_each_units_role_and_figures)
{
    rows_now();
    cr_assert_eq(rows[0].role, PLANT_MASTER);
    cr_assert_str_eq(rows[0].role_text, "master, 2 slaves");
    cr_assert_str_eq(rows[1].role_text, "slave of 10.0.0.2");
    cr_assert(rows[0].pv.current && rows[0].pv.value == 4500);
    cr_assert_not(rows[1].has_battery);
    cr_assert(rows[2].pv.unsupported, "a battery inverter has no strings");
    cr_assert(rows[2].has_battery && rows[2].battery.value == -800);
}

Test(plant_view, totals_name_their_sources_and_never_add_the_s0_input_to_pv)
{
    rows_now();
    struct plant_totals t;
    plant_totals_of(rows, 3, &t);
    char text[96];
    cr_assert_eq(t.master, 0);
    cr_assert_eq(t.pv.value, 7500, "strings of every unit: %g", t.pv.value);
    cr_assert_eq(t.pv.counted, 2, "the battery inverter has no strings to count");
    cr_assert_str_eq(plant_total_text(&t.pv, text, sizeof text), "7 500 W");
    cr_assert_eq(t.battery.value, -1000);
    cr_assert_eq(t.house.value, 1900);
    cr_assert_eq(t.grid.value, -4500);
    cr_assert_eq(t.external.value, 2100);
    cr_assert(strstr(t.external.source, "not PV"));
    cr_assert(strstr(t.grid.source, "master"));
}

Test(plant_view, a_unit_not_current_makes_the_total_say_so)
{
    knows[1].silent = true;
    rows_now();
    struct plant_totals t;
    plant_totals_of(rows, 3, &t);
    char text[96];
    cr_assert_eq(t.pv.value, 4500);
    cr_assert_eq(t.pv.not_current, 1);
    cr_assert_str_eq(plant_total_text(&t.pv, text, sizeof text), "at least 4 500 W, 1 unit not current");
    units[0].link = LINK_OFFLINE;
    rows_now();
    plant_totals_of(rows, 3, &t);
    cr_assert_str_eq(plant_total_text(&t.grid, text, sizeof text), "-4 500 W, stale (not current)");
}

Test(plant_view, a_consistent_plant_is_one_ok_finding)
{
    rows_now();
    struct health_finding f[8];
    size_t n = plant_findings(units, rows, 3, f, 8);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(f[0].id, "plant.roles");
    cr_assert_eq(f[0].severity, HEALTH_OK);
    health_findings_release(f, n);
}

Test(plant_view, a_slave_pointing_elsewhere_is_a_warning_with_evidence)
{
    put(2, "wifi.sockb_ip", "10.0.0.9", 8);
    rows_now();
    struct health_finding f[8];
    size_t n = plant_findings(units, rows, 3, f, 8);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(f[0].id, "plant.master_address.ac");
    cr_assert_eq(f[0].severity, HEALTH_WARNING);
    cr_assert(strstr(f[0].detail, "10.0.0.9"), "%s", f[0].detail);
    cr_assert(strstr(f[0].detail, "10.0.0.2:8899"), "%s", f[0].detail);
    health_findings_release(f, n);
}

Test(plant_view, the_master_counting_other_slaves_is_a_warning)
{
    put_u8(0, "net.n_slaves", 1);
    rows_now();
    struct health_finding f[8];
    size_t n = plant_findings(units, rows, 3, f, 8);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(f[0].id, "plant.slaves");
    cr_assert(strstr(f[0].title, "counts 1 slave, the plant has 2"), "%s", f[0].title);
    health_findings_release(f, n);
}

Test(plant_view, a_slave_offline_while_counted_is_a_warning_asleep_is_info)
{
    units[1].link = LINK_OFFLINE;
    rows_now();
    struct health_finding f[8];
    size_t n = plant_findings(units, rows, 3, f, 8);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(f[0].id, "plant.offline.pi");
    cr_assert_eq(f[0].severity, HEALTH_WARNING);
    health_findings_release(f, n);
    units[1].expected_offline = true;
    n = plant_findings(units, rows, 3, f, 8);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(f[0].id, "plant.asleep.pi");
    cr_assert_eq(f[0].severity, HEALTH_INFO);
    health_findings_release(f, n);
}

Test(plant_view, nothing_is_judged_on_a_master_count_not_read)
{
    knows[0].silent = true;
    rows_now();
    struct health_finding f[8];
    size_t n = plant_findings(units, rows, 3, f, 8);
    cr_assert_eq(n, 0, "no verdict on a master that is not current");
}

Test(plant_view, two_masters_are_named)
{
    put_u8(1, "wifi.sockb_protocol", 1);
    rows_now();
    struct health_finding f[8];
    size_t n = plant_findings(units, rows, 3, f, 8);
    cr_assert_geq(n, 1);
    cr_assert_str_eq(f[0].id, "plant.masters");
    struct plant_totals t;
    plant_totals_of(rows, 3, &t);
    cr_assert_eq(t.master, -1, "neither meter is believed");
    health_findings_release(f, n);
}

Test(plant_view, the_masters_report_of_its_slaves_is_decoded_and_shown_raw)
{
    struct plant_slave_data a = {.network_id = 7, .ac_power_w = 2900, .battery_power_w = -800,
                                 .soc = 0.41f, .equipment = 0x02, .state = 3, .fault_index = 0};
    snprintf(a.name, sizeof a.name, "ac");
    snprintf(a.serial, sizeof a.serial, "0000010003");
    struct plant_slave_data b = a;
    snprintf(b.name, sizeof b.name, "p\x01i");  /* a control byte from the device */
    uint8_t bytes[2 * PLANT_SLAVE_DATA_SIZE + 5] = {0};  /* a torn third record is left out */
    plant_slave_data_encode(&a, bytes);
    plant_slave_data_encode(&b, bytes + PLANT_SLAVE_DATA_SIZE);
    put(0, "net.slave_data", bytes, sizeof bytes);
    struct plant_slave_data got[PLANT_SLAVE_REPORTS_MAX];
    cr_assert_eq(plant_slave_reports(stores[0], got, PLANT_SLAVE_REPORTS_MAX), 2);
    char text[300];
    plant_slave_report_text(&got[0], text, sizeof text);
    cr_assert(strstr(text, "ac (sn 0000010003): AC 2 900 W, battery -800 W, SOC 41 %"), "%s", text);
    cr_assert(strstr(text, "state 3, equipment 0x02, fault index 0 (raw)"), "%s", text);
    plant_slave_report_text(&got[1], text, sizeof text);
    cr_assert(!strncmp(text, "p?i (sn", 7), "%s", text);
    cr_assert_eq(plant_slave_reports(stores[1], got, PLANT_SLAVE_REPORTS_MAX), 0, "a slave has none");
}
