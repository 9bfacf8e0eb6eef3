/* Composite values as people read them: a module's 24 cells, its BMS's statistics and its
 * resistances whole, numbered 1..24 as on every pane, with times as times. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/format/valfmt.h"

static char lines[64][160];
static size_t nlines;

static void keep(void *ctx, const char *line)
{
    (void)ctx;
    cr_assert_lt(nlines, 64);
    cr_assert_lt(strlen(line), 80, "fits a terminal: '%s'", line);
    snprintf(lines[nlines++], sizeof lines[0], "%s", line);
}

static const char *line_with(const char *text)
{
    for (size_t i = 0; i < nlines; i++)
        if (strstr(lines[i], text))
            return lines[i];
    return NULL;
}

static void setup(void)
{
    nlines = 0;
    setenv("TZ", "UTC", 1);
    tzset();
}

TestSuite(valfmt, .init = setup);

Test(valfmt, every_cell_of_a_module_is_shown_and_numbered_from_1)
{
    static struct rct_value v;
    v.type = RCT_TYPE_BAT_STATUS;
    for (int c = 0; c < RCT_BAT_CELLS; c++)
        v.u.cells[c] = (struct rct_bat_cell){22, 3300, 0};
    v.u.cells[9].millivolt = 3119;   /* the device's index 9: cell 10 */
    v.u.cells[23] = (struct rct_bat_cell){-2, 3301, 4};
    cr_assert(valfmt_composite_lines(NULL, &v, NULL, keep, NULL));
    cr_assert_str_eq(lines[0], "24 cells 3.119 V (cell 10) .. 3.301 V (cell 24), spread 182 mV, -2..22 °C");
    cr_assert_not_null(line_with("cell 10 3.119 V  22 °C"), "the low cell: %s", lines[4]);
    cr_assert_not_null(line_with("cell 24 3.301 V  -2 °C"));
    cr_assert_null(line_with("cell 25"));
    cr_assert_null(line_with("cell  0"));
    cr_assert_not_null(line_with("status byte (undocumented, raw): cell 24 = 4"));
    char one[200];
    valfmt_display(NULL, &v, one, sizeof one);
    cr_assert_str_eq(one, lines[0], "one line (Values pane) is the summary");
}

Test(valfmt, bms_statistics_give_cells_from_1_and_times_as_times)
{
    static struct rct_value v;
    v.type = RCT_TYPE_BAT_STATISTICS;
    v.u.stats.u_min = (struct rct_bat_extreme){3, 1796151248, 3.021f};
    v.u.stats.u_max = (struct rct_bat_extreme){17, 0, 3.468f};
    v.u.stats.t_min = (struct rct_bat_extreme){0, 1796151248, 14.0f};
    v.u.stats.t_max = (struct rct_bat_extreme){11, 1796151248, 34.0f};
    cr_assert(valfmt_composite_lines(NULL, &v, NULL, keep, NULL));
    cr_assert_eq(nlines, 5);
    const char *lo = line_with("lowest cell voltage");
    cr_assert_not_null(lo);
    cr_assert(strstr(lo, "3.021 V") && strstr(lo, "cell  4") && strstr(lo, "at 2026-12-01 18:54:08"), "%s", lo);
    cr_assert(strstr(line_with("highest cell voltage"), "cell 18  at never"), "%s", line_with("highest cell voltage"));
    cr_assert(strstr(line_with("lowest temperature"), "cell  1"), "%s", line_with("lowest temperature"));
    cr_assert_null(line_with("@"), "no cell3@1796151248");
}

Test(valfmt, resistances_are_whole_in_milliohm)
{
    static struct rct_value v;
    v.type = RCT_TYPE_BAT_RESISTANCE;
    for (int c = 0; c < RCT_BAT_CELLS; c++)
        v.u.resistance_raw[c] = 320;   /* 1.25 mOhm */
    v.u.resistance_raw[16] = 1024;
    cr_assert(valfmt_composite_lines(NULL, &v, NULL, keep, NULL));
    cr_assert_str_eq(lines[0], "24 cells 1.25 mOhm (cell 1) .. 4.00 mOhm (cell 17)");
    cr_assert_not_null(line_with("cell 17  4.00 mOhm"));
    cr_assert_not_null(line_with("cell 24  1.25 mOhm"));
}

Test(valfmt, other_values_are_no_composite_and_slots_are_named)
{
    struct rct_value v = {.type = RCT_TYPE_FLOAT, .u.f = 1.0f};
    cr_assert_not(valfmt_composite_lines(NULL, &v, NULL, keep, NULL));
    cr_assert_eq(nlines, 0);
    int tower = -1, slot = -1;
    cr_assert(valfmt_module_slot(rct_registry_by_name("battery_placeholder[0].cells_stat[3]"), &tower, &slot));
    cr_assert(tower == 1 && slot == 3, "tower %d slot %d", tower, slot);
    cr_assert(valfmt_module_slot(rct_registry_by_name("battery.cells[0]"), &tower, &slot));
    cr_assert(tower == 0 && slot == 0);
    cr_assert_not(valfmt_module_slot(rct_registry_by_name("battery.soc"), &tower, &slot));
}

Test(valfmt, logger_series_have_words_and_a_unit)
{
    char what[96];
    const char *unit = valfmt_series(rct_registry_by_name("logger.day_ea_log_ts"), what, sizeof what);
    cr_assert_str_eq(what, "PV string A energy per day");
    cr_assert_str_eq(unit, "Wh");
    unit = valfmt_series(rct_registry_by_name("logger.minutes_egrid_load_log_ts"), what, sizeof what);
    cr_assert_str_eq(what, "grid draw power, minute log");
    cr_assert_str_eq(unit, "W");
    unit = valfmt_series(rct_registry_by_name("logger.minutes_soc_log_ts"), what, sizeof what);
    cr_assert_str_eq(what, "battery state of charge, minute log");
    cr_assert_str_eq(unit, "%");
    unit = valfmt_series(rct_registry_by_name("logger.minutes_temp2_log_ts"), what, sizeof what);
    cr_assert_str_eq(what, "Histogram heat sink (battery actuator) temperature", "the registry's label");
    cr_assert_str_eq(unit, "°C");
    unit = valfmt_series(rct_registry_by_name("logger.year_log_ts"), what, sizeof what);
    cr_assert_str_eq(what, "meaning not documented");
    cr_assert_str_eq(unit, "");
}
