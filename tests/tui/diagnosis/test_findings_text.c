/* The words of findings that `rcttop check` prints and the Health pane shows, on crafted
 * values: the end-to-end scripts match a few words of them on a live simulator, the exact
 * text is held here. */
#include <criterion/criterion.h>
#include <string.h>

#include "support/health_store.h"

TestSuite(findings_text, .init = health_store_setup, .fini = health_store_teardown);

/* 24 cells of a module of a tower ("battery" or "battery_placeholder[0]") at mv, one
 * (index odd) at odd_mv, every cell at the raw temperature byte temp. */
static void put_cells(const char *family, int module, int mv, int odd, int odd_mv, uint8_t temp)
{
    uint8_t p[96];
    for (int c = 0; c < 24; c++) {
        int v = c == odd ? odd_mv : mv;
        p[c * 4] = temp;
        p[c * 4 + 1] = (uint8_t)(v & 0xFF);
        p[c * 4 + 2] = (uint8_t)(v >> 8);
        p[c * 4 + 3] = 0;
    }
    char name[48];
    snprintf(name, sizeof name, "%s.cells[%d]", family, module);
    put_bytes(name, p, sizeof p);
}

/* The module serials of a tower: `with` of its 7 slots have one, the others answered empty. */
static void put_serials(const char *family, int with)
{
    for (int m = 0; m < 7; m++) {
        char name[48];
        snprintf(name, sizeof name, "%s.module_sn[%d]", family, m);
        put_bytes(name, (const uint8_t *)(m < with ? "BM1" : ""), m < with ? 3 : 0);
    }
}

static const struct health_finding *finding(const char *only, const char *id)
{
    struct health_input in = {.store = st, .now_unix = 1790000000};
    size_t n = health_evaluate(&in, &th, only, out, 96);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(out[i].id, id))
            return &out[i];
    cr_assert_fail("no finding %s", id);
    return NULL;
}

Test(findings_text, a_cell_below_freezing_is_said_in_degrees_below_zero)
{
    put_cells("battery", 0, 3300, -1, 0, 254);   /* the raw byte 254 is -2 °C */
    const struct health_finding *f = finding("battery.temperature", "battery.temperature.module0");
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert_str_eq(f->title, "cell temperatures -2..-2 °C (module 0)");
}

Test(findings_text, a_spread_off_the_flat_says_there_is_no_verdict)
{
    put_float("battery.soc", 0.97f);             /* top balancing */
    put_float("battery.current", 1.0f);
    put_cells("battery", 0, 3450, 4, 3330, 20);
    const struct health_finding *f = finding("battery.cells", "battery.cells.module0");
    cr_assert_eq(f->severity, HEALTH_INFO);
    cr_assert_str_eq(f->title, "cell spread 120 mV, no verdict off the flat of the curve (module 0)");
    put_flat("battery");
    f = finding("battery.cells", "battery.cells.module0");
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert_str_eq(f->title, "cell spread 120 mV (module 0)");
}

Test(findings_text, two_towers_count_their_modules_and_name_the_second_by_its_serial)
{
    put_flat("battery");
    put_flat("battery_placeholder[0]");
    put_bytes("battery.bms_sn", (const uint8_t *)"583000001", 9);
    put_bytes("battery_placeholder[0].bms_sn", (const uint8_t *)"583000002", 9);
    put_serials("battery", 2);
    put_serials("battery_placeholder[0]", 3);
    put_cells("battery", 0, 3300, -1, 0, 21);
    put_cells("battery_placeholder[0]", 1, 3300, 9, 3130, 21);
    const struct health_finding *f = finding("battery", "battery.modules");
    cr_assert_eq(f->severity, HEALTH_OK, "%s", f->title);
    cr_assert_str_eq(f->title, "5 battery modules in 2 towers, all with a serial");
    f = finding("battery", "battery.cells.placeholder0.module1");
    cr_assert_eq(f->severity, HEALTH_CRITICAL);
    cr_assert_str_eq(f->title, "cell spread 170 mV (BMS 583000002, module 1)");
}

Test(findings_text, a_device_clock_on_local_time_says_so)
{
    put_u32("flash_rtc.time_stamp", 1790000000 + 3600 + 20);
    put_bytes("flash_rtc.flag_time_auto_switch", (const uint8_t *)"\1", 1);
    const struct health_finding *f = finding("clock", "clock");
    cr_assert_eq(f->severity, HEALTH_OK);
    cr_assert_str_eq(f->title, "device clock within a minute (local time)");
    put_u32("flash_rtc.time_stamp", 1790000000 - 3600);
    put_bytes("flash_rtc.flag_time_auto_switch", (const uint8_t *)"\0", 1);
    f = finding("clock", "clock");
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert_str_eq(f->title, "device clock 1 h 00 min behind");
}

Test(findings_text, a_long_detail_is_kept_whole_to_its_last_word)
{
    /* The PV rule says all its criteria: longer than the 320 bytes details were cut at. */
    put_float("dc_conv.dc_conv_struct[0].p_dc_lp", 1500.0f);
    put_float("dc_conv.dc_conv_struct[1].p_dc_lp", 1400.0f);
    put_float("dc_conv.dc_conv_struct[0].u_sg_lp", 420.0f);
    put_float("dc_conv.dc_conv_struct[1].u_sg_lp", 410.0f);
    const struct health_finding *f = finding("pv.strings", "pv.strings");
    size_t len = strlen(f->detail);
    cr_assert_gt(len, 320, "%zu bytes: %s", len, f->detail);
    const char *end = "a string not in use is never a finding";
    cr_assert_str_eq(f->detail + len - strlen(end), end, "whole: %s", f->detail);
}
