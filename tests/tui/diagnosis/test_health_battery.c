/* The battery rules on crafted values: state of health, cells (spread, limits, a module
 * not reporting), temperatures, resistances, modules against serials, a second tower and
 * a device without a battery. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "support/health_store.h"

/* 24 cells at mv each, one cell (index `odd`) at odd_mv, temperatures t. */
static void put_cells(int module, int mv, int odd, int odd_mv, int t_lo, int t_hi)
{
    uint8_t p[96];
    for (int c = 0; c < 24; c++) {
        int v = c == odd ? odd_mv : mv;
        p[c * 4] = (uint8_t)(c == 0 ? t_lo : c == 1 ? t_hi : (t_lo + t_hi) / 2);
        p[c * 4 + 1] = (uint8_t)(v & 0xFF);
        p[c * 4 + 2] = (uint8_t)(v >> 8);
        p[c * 4 + 3] = 0;
    }
    char name[32];
    snprintf(name, sizeof name, "battery.cells[%d]", module);
    put_bytes(name, p, sizeof p);
}

TestSuite(health_battery, .init = health_store_setup, .fini = health_store_teardown);

Test(health_battery, state_of_health_against_its_limits)
{
    put_float("battery.soh", 0.75f);
    cr_assert_eq(find(run("battery.soh", NULL), "battery.soh")->severity, HEALTH_WARNING);
    put_float("battery.soh", 0.65f);
    cr_assert_eq(find(run("battery.soh", NULL), "battery.soh")->severity, HEALTH_CRITICAL);
    put_float("battery.soh", 0.98f);
    cr_assert_eq(find(run("battery.soh", NULL), "battery.soh")->severity, HEALTH_OK);
}

Test(health_battery, cell_spread_on_the_flat_of_the_curve)
{
    put_flat("battery");
    put_cells(0, 3300, 4, 3262, 20, 22);   /* 38 mV: normal on real towers */
    put_cells(1, 3300, 4, 3200, 20, 22);   /* 100 mV: warning */
    put_cells(2, 3300, 4, 3140, 20, 22);   /* 160 mV: critical */
    size_t n = run("battery.cells", NULL);
    cr_assert_eq(find(n, "battery.cells.module0")->severity, HEALTH_OK);
    cr_assert_eq(find(n, "battery.cells.module1")->severity, HEALTH_WARNING);
    const struct health_finding *m2 = find(n, "battery.cells.module2");
    cr_assert_eq(m2->severity, HEALTH_CRITICAL);
    cr_assert(strstr(m2->detail, "cell 5 lowest at 3.140 V"), "%s", m2->detail);
    cr_assert(strstr(m2->title, "160 mV (module 2)"), "%s", m2->title);
    /* One bad cell is counted once: the modules with a finding are left out of the
     * comparison across modules, and one module alone is no comparison. */
    cr_assert_null(find(n, "battery.cells.across"));
    cr_assert_eq(health_worst(out, n), HEALTH_CRITICAL);
}

Test(health_battery, a_spread_off_the_flat_is_information_with_the_soc)
{
    put_float("battery.soc", 0.97f);         /* top balancing */
    put_float("battery.current", 1.0f);
    put_cells(0, 3450, 4, 3330, 20, 22);     /* 120 mV */
    const struct health_finding *f = find(run("battery.cells", NULL), "battery.cells.module0");
    cr_assert_eq(f->severity, HEALTH_INFO, "%s", f->title);
    cr_assert(strstr(f->detail, "at 97 % SOC"), "%s", f->detail);
    put_flat("battery");
    put_float("battery.current", -40.0f);    /* charging hard */
    f = find(run("battery.cells", NULL), "battery.cells.module0");
    cr_assert_eq(f->severity, HEALTH_INFO, "%s", f->title);
    cr_assert(strstr(f->detail, "40.0 A"), "%s", f->detail);
}

Test(health_battery, absolute_cell_limits_apply_whatever_the_soc)
{
    put_float("battery.soc", 0.99f);
    put_cells(0, 3700, -1, 0, 20, 22);       /* every cell at 3.70 V */
    const struct health_finding *f = find(run("battery.cells", NULL), "battery.cells.module0");
    cr_assert_eq(f->severity, HEALTH_CRITICAL, "%s", f->title);
    cr_assert(strstr(f->title, "above 3.65 V"), "%s", f->title);
    put_cells(0, 3580, -1, 0, 20, 22);
    cr_assert_eq(find(run("battery.cells", NULL), "battery.cells.module0")->severity, HEALTH_WARNING);
    put_float("battery.soc", 0.05f);
    put_cells(0, 3100, 3, 2750, 20, 22);     /* one cell under 2.8 V at the bottom */
    f = find(run("battery.cells", NULL), "battery.cells.module0");
    cr_assert_eq(f->severity, HEALTH_CRITICAL, "%s", f->title);
    cr_assert(strstr(f->title, "cell 4 at 2.750 V, below 2.80 V"), "%s", f->title);
}

Test(health_battery, a_module_with_a_serial_and_all_zero_cells_is_not_reporting)
{
    put_flat("battery");
    put_bytes("battery.module_sn[0]", (const uint8_t *)"BM1", 3);
    put_bytes("battery.module_sn[1]", (const uint8_t *)"BM2", 3);
    put_cells(0, 3300, -1, 0, 20, 22);
    put_cells(1, 0, -1, 0, 0, 0);
    size_t n = run("battery.cells", NULL);
    const struct health_finding *f = find(n, "battery.cells.module1");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert(strstr(f->title, "not reporting"), "%s", f->title);
    /* An empty slot (no serial, cells zero) is no module at all. */
    put_bytes("battery.module_sn[1]", (const uint8_t *)"", 0);
    cr_assert_null(find(run("battery.cells", NULL), "battery.cells.module1"));
}

Test(health_battery, modules_sitting_apart_are_a_finding_of_their_own)
{
    put_flat("battery");
    put_cells(0, 3300, -1, 0, 20, 22);
    put_cells(1, 3300, -1, 0, 20, 22);
    put_cells(2, 3200, -1, 0, 20, 22);       /* the whole module 100 mV lower */
    size_t n = run("battery.cells", NULL);
    const struct health_finding *f = find(n, "battery.cells.across");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, HEALTH_WARNING, "%s", f->title);
    cr_assert_eq(find(n, "battery.cells.module2")->severity, HEALTH_OK);
}

Test(health_battery, cell_temperatures_extremes_and_spread)
{
    put_u8("power_mng.n_batteries", 1);
    put_cells(0, 3300, -1, 0, 20, 58);
    cr_assert_eq(find(run("battery.temperature", NULL), "battery.temperature.module0")->severity, HEALTH_CRITICAL);
    put_cells(0, 3300, -1, 0, 2, 6);   /* cold, above freezing: information */
    cr_assert_eq(find(run("battery.temperature", NULL), "battery.temperature.module0")->severity, HEALTH_INFO);
    put_cells(0, 3300, -1, 0, 20, 30);   /* a spread of 10 °C */
    cr_assert_eq(find(run("battery.temperature", NULL), "battery.temperature.module0")->severity, HEALTH_WARNING);
    put_cells(0, 3300, -1, 0, 20, 24);
    cr_assert_eq(find(run("battery.temperature", NULL), "battery.temperature.module0")->severity, HEALTH_OK);
}

Test(health_battery, a_cell_resistance_far_above_the_median_is_a_weak_cell)
{
    put_u8("power_mng.n_batteries", 1);
    uint8_t p[96] = {0};
    for (int c = 0; c < 24; c++) {
        uint16_t raw = c == 7 ? 1200 : 400;   /* 4.7 vs 1.6 mOhm */
        p[c * 4] = (uint8_t)(raw >> 8);
        p[c * 4 + 1] = (uint8_t)raw;
    }
    put_bytes("battery.cells_resist[0]", p, sizeof p);
    put_cells(0, 3300, -1, 0, 20, 22);  /* the module is there: it has cells */
    const struct health_finding *f = find(run("battery.resistance", NULL), "battery.resistance.module0");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert(strstr(f->title, "weak cell 8"), "%s", f->title);
}

Test(health_battery, modules_reported_against_serials_present)
{
    put_u8("power_mng.n_batteries", 3);
    uint8_t sn[32] = "BM1";
    put_bytes("battery.module_sn[0]", sn, 32);
    put_bytes("battery.module_sn[1]", sn, 32);
    uint8_t empty[32] = {0};
    put_bytes("battery.module_sn[2]", empty, 32);
    const struct health_finding *f = find(run("battery.modules", NULL), "battery.modules");
    cr_assert_eq(f->severity, HEALTH_PENDING, "no count before every slot is read: %s", f->title);
    for (int m = 3; m < 7; m++) {
        char name[32];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        put_bytes(name, empty, 32);
    }
    f = find(run("battery.modules", NULL), "battery.modules");
    cr_assert_eq(f->severity, HEALTH_OK, "power_mng.n_batteries is no ground for a verdict");
    cr_assert(strstr(f->title, "2 battery modules, all with a serial"), "%s", f->title);
    cr_assert(strstr(f->detail, "power_mng.n_batteries = 3, shown raw"), "%s", f->detail);
    /* A slot that did not answer: no count at all. */
    const struct rct_oid_info *slot5 = rct_registry_by_name("battery.module_sn[5]");
    store_free(st);
    st = store_new();
    put_u8("power_mng.n_batteries", 3);
    for (int m = 0; m < 7; m++) {
        char name[32];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        if (m != 5)
            put_bytes(name, m < 2 ? sn : empty, 32);
    }
    store_note_timeout(st, slot5->oid, 2000);
    f = find(run("battery.modules", NULL), "battery.modules");
    cr_assert_eq(f->severity, HEALTH_INFO, "%s", f->title);
    cr_assert(strstr(f->title, "1 slot unanswered: no count"), "%s", f->title);
}

Test(health_battery, a_low_cell_in_module_1_is_seen_whatever_n_batteries_says)
{
    for (int count = 0; count <= 1; count++) {
        put_u8("power_mng.n_batteries", (uint8_t)count);
        put_flat("battery");
        put_cells(0, 3300, -1, 0, 20, 22);
        put_cells(1, 3300, 9, 3140, 20, 22);
        const struct health_finding *f = find(run("battery.cells", NULL), "battery.cells.module1");
        cr_assert_not_null(f, "n_batteries = %d", count);
        cr_assert_eq(f->severity, HEALTH_CRITICAL);
    }
}

Test(health_battery, a_device_without_a_battery_gives_one_no_battery_finding)
{
    for (int m = 0; m < 7; m++) {
        char name[32];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        store_note_unsupported(st, rct_registry_by_name(name)->oid);
        snprintf(name, sizeof name, "battery.cells[%d]", m);
        store_note_unsupported(st, rct_registry_by_name(name)->oid);
    }
    store_note_unsupported(st, rct_registry_by_name("battery.soh")->oid);
    /* The whole battery group, one rule of it (--only), or with its first rule skipped:
     * one "no battery" finding, never one "not supported" per rule. */
    static const char *const only[] = {"battery", "battery.cells", "battery.history", NULL};
    for (int k = 0; k < 4; k++) {
        snprintf(th.skip, sizeof th.skip, "%s", k == 3 ? "battery.soh" : "");
        const char *o = k == 3 ? "battery" : only[k];
        size_t n = run(o, NULL);
        cr_assert_eq(n, 1, "%s: %zu findings, the first %s: %s", o, n, out[0].id, out[0].title);
        cr_assert_str_eq(out[0].id, "battery");
        cr_assert_eq(out[0].severity, HEALTH_INFO);
        cr_assert_str_eq(out[0].title, "no battery (an inverter without storage)");
        cr_assert(strstr(out[0].detail, "battery.soh"), "%s", out[0].detail);
        cr_assert_geq(out[0].nevidence, 1);
    }
    th.skip[0] = '\0';
    size_t n = run(NULL, NULL);
    int battery = 0;
    for (size_t i = 0; i < n; i++)
        battery += !strncmp(out[i].id, "battery", 7);
    cr_assert_eq(battery, 1, "the whole check: one battery finding");
    cr_assert_eq(health_worst(out, n), HEALTH_OK);
    snprintf(th.skip, sizeof th.skip, "battery");
    cr_assert_eq(run("battery", NULL), 0, "skip = battery: nothing about the battery");
}

Test(health_battery, a_low_cell_in_the_second_tower_is_critical_and_names_its_serial)
{
    const char *sn = "583000002";
    put_flat("battery");
    put_flat("battery_placeholder[0]");
    put_bytes("battery.bms_sn", (const uint8_t *)"583000001", 9);
    put_bytes("battery.module_sn[0]", (const uint8_t *)"BM1", 3);
    put_cells(0, 3300, -1, 0, 20, 22);
    put_bytes("battery_placeholder[0].bms_sn", (const uint8_t *)sn, strlen(sn));
    put_bytes("battery_placeholder[0].module_sn[1]", (const uint8_t *)"BM7", 3);
    uint8_t p[96];
    for (int c = 0; c < 24; c++) {
        int v = c == 9 ? 3140 : 3300;
        p[c * 4] = 21;
        p[c * 4 + 1] = (uint8_t)(v & 0xFF);
        p[c * 4 + 2] = (uint8_t)(v >> 8);
        p[c * 4 + 3] = 0;
    }
    put_bytes("battery_placeholder[0].cells[1]", p, sizeof p);
    for (int m = 0; m < 7; m++) {  /* the other slots answered empty */
        char name[48];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        if (m != 0)
            put_bytes(name, (const uint8_t *)"", 0);
        snprintf(name, sizeof name, "battery_placeholder[0].module_sn[%d]", m);
        if (m != 1)
            put_bytes(name, (const uint8_t *)"", 0);
    }
    size_t n = run("battery", NULL);
    const struct health_finding *f = find(n, "battery.cells.placeholder0.module1");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, HEALTH_CRITICAL);
    cr_assert(strstr(f->title, sn), "the tower's BMS serial: %s", f->title);
    cr_assert_eq(find(n, "battery.cells.module0")->severity, HEALTH_OK);
    cr_assert(strstr(find(n, "battery.modules")->title, "2 towers"), "%s", find(n, "battery.modules")->title);
}

Test(health_battery, a_raw_254_degrees_is_minus_2_and_cold_is_information_above_freezing)
{
    for (int m = 0; m < 7; m++) {
        char name[48];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        put_bytes(name, (const uint8_t *)(m ? "" : "BM1"), m ? 0 : 3);
    }
    put_cells(0, 3300, -1, 0, 254, 254);     /* raw 254 = -2 °C */
    const struct health_finding *f = find(run("battery.temperature", NULL), "battery.temperature.module0");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, HEALTH_WARNING, "below 0 °C: %s", f->title);
    cr_assert(strstr(f->title, "-2..-2 °C"), "signed: %s", f->title);
    put_cells(0, 3300, -1, 0, 3, 4);
    f = find(run("battery.temperature", NULL), "battery.temperature.module0");
    cr_assert_eq(f->severity, HEALTH_INFO, "3 °C is cold, not a problem: %s", f->title);
    put_cells(0, 3300, -1, 0, 20, 24);
    cr_assert_eq(find(run("battery.temperature", NULL), "battery.temperature.module0")->severity, HEALTH_OK);
}
