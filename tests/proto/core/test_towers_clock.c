/* Device variety in plain data: which battery towers a device has (by what it sent, never
 * by power_mng.n_batteries), the plant role it reports, and how its timestamps are read
 * (UTC, or local wall time written as if UTC, with the drift kept apart from the zone). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/core/devclock.h"
#include "proto/core/plant.h"
#include "proto/core/towers.h"

#define HOST_NOW 1750507200  /* 2025-06-21 12:00 UTC */

static struct store *st;

static void setup(void)
{
    st = store_new();
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
}

static void teardown(void)
{
    store_free(st);
    unsetenv("TZ");
    tzset();
}

TestSuite(towers, .init = setup, .fini = teardown);
TestSuite(devclock, .init = setup, .fini = teardown);
TestSuite(plant, .init = setup, .fini = teardown);

static void put(const char *name, const uint8_t *p, size_t n)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    cr_assert_not_null(info, "%s", name);
    cr_assert_eq(store_put(st, info->oid, p, n, 1000, HOST_NOW), RCT_VALUE_OK, "%s", name);
}

static void put_text(const char *name, const char *text)
{
    put(name, (const uint8_t *)text, strlen(text));
}

static void put_u32(const char *name, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(name, p, 4);
}

static void put_u8(const char *name, uint8_t v)
{
    put(name, &v, 1);
}

static void put_cells(const char *name, int mv)
{
    uint8_t p[96] = {0};
    for (int c = 0; c < 24; c++) {
        p[c * 4] = 20;
        p[c * 4 + 1] = (uint8_t)(mv & 0xFF);
        p[c * 4 + 2] = (uint8_t)(mv >> 8);
    }
    put(name, p, sizeof p);
}

static void unsupported(const char *name)
{
    store_note_unsupported(st, rct_registry_by_name(name)->oid);
}

Test(towers, a_module_is_a_serial_or_cells_never_n_batteries)
{
    put_u8("power_mng.n_batteries", 4);
    put_text("battery.module_sn[0]", "BM1");
    put_text("battery.module_sn[1]", "");
    put_cells("battery.cells[1]", 0);       /* an empty slot: no serial, all-zero cells */
    put_text("battery.module_sn[2]", "");
    put_cells("battery.cells[2]", 3300);    /* cells without a serial: a module */
    int slots[TOWER_SLOTS];
    cr_assert_eq(tower_modules(st, 0, slots), 2);
    cr_assert_eq(slots[0], 0);
    cr_assert_eq(slots[1], 2);
    cr_assert_eq(tower_state(st, 0), TOWER_PRESENT);
}

Test(towers, the_second_family_is_a_tower_only_once_it_answers)
{
    put_text("battery.bms_sn", "583000001");
    put_text("battery.module_sn[0]", "BM1");
    cr_assert_eq(tower_state(st, 1), TOWER_NOT_READ);
    cr_assert_not(tower_worth_asking(st, 1), "its slots wait for its serial");
    unsupported("battery_placeholder[0].bms_sn");
    cr_assert_eq(tower_state(st, 1), TOWER_UNSUPPORTED);
    int which[TOWERS_MAX];
    cr_assert_eq(towers_present(st, which), 1);
    cr_assert_not(towers_none(st));

    store_free(st);
    st = store_new();
    put_text("battery.bms_sn", "583000001");
    put_text("battery_placeholder[0].bms_sn", "583000002");
    cr_assert(tower_worth_asking(st, 1));
    cr_assert_eq(towers_present(st, which), 2);
    char label[64];
    cr_assert_str_eq(tower_label(st, 1, label, sizeof label), "BMS 583000002");
    cr_assert_str_eq(tower_family(1), "battery_placeholder[0]");
    /* The second family's cells decode as cells, like their battery.* twins. */
    put_cells("battery_placeholder[0].cells[0]", 3310);
    cr_assert(tower_module_present(st, 1, 0));
}

Test(towers, no_battery_is_said_only_when_the_device_does_not_know_the_family)
{
    cr_assert_not(towers_none(st), "nothing read yet is not 'no battery'");
    unsupported("battery.soc");
    cr_assert(towers_none(st));
    put_text("battery.module_sn[0]", "BM1");
    cr_assert_not(towers_none(st), "a module read wins");
}

Test(plant, the_role_as_the_device_says_it_and_raw_otherwise)
{
    char buf[80];
    cr_assert_str_eq(plant_role_text(st, buf, sizeof buf), "");
    put_u8("wifi.sockb_protocol", 0);
    cr_assert_str_eq(plant_role_text(st, buf, sizeof buf), "standalone");
    put_u8("wifi.sockb_protocol", 2);
    cr_assert_str_eq(plant_role_text(st, buf, sizeof buf), "slave");
    put_text("wifi.sockb_ip", "192.168.1.160\x1b[2J");
    cr_assert_str_eq(plant_role_text(st, buf, sizeof buf), "slave of 192.168.1.160?[2J",
                     "no control byte reaches the screen");
    put_u8("wifi.sockb_protocol", 7);
    cr_assert(strstr(plant_role_text(st, buf, sizeof buf), "raw"));
}

Test(devclock, utc_takes_the_whole_offset_as_drift)
{
    put_u32("flash_rtc.time_stamp", HOST_NOW + 3600 + 42);
    struct devclock dc;
    devclock_judge(&dc, DEVCLOCK_UTC, st);
    cr_assert(dc.read);
    cr_assert_not(dc.zoned);
    cr_assert_eq(dc.drift_s, 3642);
}

Test(devclock, auto_with_the_dst_flag_takes_the_quarter_hour_as_zone_and_the_rest_as_drift)
{
    put_u32("flash_rtc.time_stamp", HOST_NOW + 7200 - 95);
    put_u8("flash_rtc.flag_time_auto_switch", 1);
    struct devclock dc;
    devclock_judge(&dc, DEVCLOCK_AUTO, st);
    cr_assert(dc.zoned);
    cr_assert_eq(dc.zone_s, 7200);
    cr_assert_eq(dc.drift_s, -95);
    char zone[48];
    cr_assert_str_eq(devclock_zone_text(&dc, zone, sizeof zone), "UTC+02:00");
    /* A quarter-hour zone (Nepal +05:45) is a zone too. */
    put_u32("flash_rtc.time_stamp", HOST_NOW + 5 * 3600 + 45 * 60 + 10);
    devclock_judge(&dc, DEVCLOCK_AUTO, st);
    cr_assert_eq(dc.zone_s, 5 * 3600 + 45 * 60);
    cr_assert_eq(dc.drift_s, 10);
}

Test(devclock, auto_without_the_flag_is_utc)
{
    put_u32("flash_rtc.time_stamp", HOST_NOW + 3600);
    put_u8("flash_rtc.flag_time_auto_switch", 0);
    struct devclock dc;
    devclock_judge(&dc, DEVCLOCK_AUTO, st);
    cr_assert_not(dc.zoned);
    cr_assert_eq(dc.drift_s, 3600);
    cr_assert(strstr(dc.basis, "not set"));
}

Test(devclock, local_uses_this_computers_zone_and_shows_wall_time)
{
    put_u32("flash_rtc.time_stamp", HOST_NOW + 7200 + 30);  /* Berlin in June: UTC+2 */
    struct devclock dc;
    devclock_judge(&dc, DEVCLOCK_LOCAL, st);
    cr_assert(dc.zoned);
    cr_assert_eq(dc.zone_s, 7200);
    cr_assert_eq(dc.drift_s, 30);
    char when[40];
    /* The device's 14:00 wall time, written as 14:00 "UTC", reads 14:00. */
    cr_assert_str_eq(devclock_format(&dc, HOST_NOW + 7200, when, sizeof when), "2025-06-21 14:00:00");
    struct tm wall;
    devclock_wall(&dc, HOST_NOW + 7200, &wall);
    cr_assert_eq(devclock_from_wall(&dc, &wall), HOST_NOW + 7200);
    cr_assert_eq(devclock_now(&dc, HOST_NOW), HOST_NOW + 7230);
}

Test(devclock, an_unset_clock_is_no_clock)
{
    put_u32("flash_rtc.time_stamp", 86400);
    struct devclock dc;
    devclock_judge(&dc, DEVCLOCK_AUTO, st);
    cr_assert_not(dc.read);
    enum devclock_mode m;
    cr_assert(devclock_mode_from_name("local", &m) && m == DEVCLOCK_LOCAL);
    cr_assert_not(devclock_mode_from_name("LOCAL", &m));
}
