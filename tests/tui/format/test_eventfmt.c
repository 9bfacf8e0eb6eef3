/* Event rows decoded per events.csv, and the time arguments of events/history. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/format/eventfmt.h"
#include "tui/format/timearg.h"

static struct event_view ev;
static char text[512];

Test(eventfmt, shows_a_parameter_change_with_the_oid_name_and_typed_values)
{
    const struct rct_event_row row = {0x73, 1699999900, 0x29BDA75F, 0xFF, 0x80};
    eventfmt_decode(&row, &ev);
    cr_assert(ev.is_param_change);
    cr_assert_not_null(ev.changed);
    cr_assert_str_eq(ev.changed->name, "display_struct.brightness");
    eventfmt_detail(&ev, NULL, text, sizeof text);
    cr_assert(strstr(text, "PRM_CHANGE"), "%s", text);
    cr_assert(strstr(text, "display_struct.brightness: 255 -> 128"), "%s", text);
}

Test(eventfmt, decodes_float_parameter_changes_from_their_bit_patterns)
{
    /* power_mng.soc_min 0.07 -> 0.10 (fractions shown as percent). */
    const struct rct_event_row row = {0x73, 1700000000, 0xCE266F0F, 0x3D8F5C29, 0x3DCCCCCD};
    eventfmt_decode(&row, &ev);
    eventfmt_detail(&ev, NULL, text, sizeof text);
    cr_assert(strstr(text, "power_mng.soc_min: 7.0 % -> 10.0 %"), "%s", text);
}

Test(eventfmt, gives_ranged_events_an_end_and_a_duration_and_their_value)
{
    const struct rct_event_row row = {0x64, 1699992800, 0x6553D4F6, 0x43CFA000, 0};
    eventfmt_decode(&row, &ev);
    cr_assert_str_eq(ev.name, "BAT_OVERVOLTAGE");
    cr_assert(ev.has_end);
    cr_assert_eq(ev.end, 0x6553D4F6);
    cr_assert(ev.has_value);
    cr_assert_float_eq(ev.value, 415.25f, 1e-3);
    eventfmt_detail(&ev, NULL, text, sizeof text);
    cr_assert(strstr(text, "(22 s)"), "%s", text);
    cr_assert(strstr(text, "value 415.2 V"), "voltages with one decimal and their unit: %s", text);
}

Test(eventfmt, reports_an_open_ended_event_as_still_active)
{
    const struct rct_event_row row = {0x5A, 1699913600, 0, 3, 0};
    eventfmt_decode(&row, &ev);
    eventfmt_detail(&ev, NULL, text, sizeof text);
    cr_assert(strstr(text, "NO_GRID"), "%s", text);
    cr_assert(strstr(text, "still active"), "%s", text);
    cr_assert(strstr(text, "case 3"), "%s", text);
}

Test(eventfmt, shows_update_versions_and_unknown_types_raw)
{
    const struct rct_event_row update = {0x77, 1699996400, 0, 0x1234, 0x1240};
    eventfmt_decode(&update, &ev);
    eventfmt_detail(&ev, NULL, text, sizeof text);
    cr_assert(strstr(text, "UPDATE"), "%s", text);
    cr_assert(strstr(text, "version 4660 -> 4672"), "%s", text);
    const struct rct_event_row odd = {0xEE, 1, 2, 3, 4};
    eventfmt_decode(&odd, &ev);
    cr_assert_null(ev.name);
    eventfmt_detail(&ev, NULL, text, sizeof text);
    cr_assert(strstr(text, "type 0xEE"), "%s", text);
    cr_assert(strstr(text, "e2=0x00000002 e3=0x00000003 e4=0x00000004"), "%s", text);
}

Test(eventfmt, writes_json_with_type_name_ts_and_fields)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&mem, &size);
    const struct rct_event_row row = {0x73, 1699999900, 0x29BDA75F, 0xFF, 0x80};
    eventfmt_decode(&row, &ev);
    eventfmt_write_json(&ev, out);
    fclose(out);
    cr_assert(strstr(mem, "{\"type\":115,\"name\":\"PRM_CHANGE\""), "%s", mem);
    cr_assert(strstr(mem, "\"ts\":1699999900"), "%s", mem);
    cr_assert(strstr(mem, "\"oid_name\":\"display_struct.brightness\",\"old\":\"255\",\"new\":\"128\""),
              "%s", mem);
    free(mem);
}

Test(timearg, accepts_unix_seconds_dates_and_datetimes_with_zones)
{
    int64_t t;
    cr_assert(timearg_parse("1700000000", &t));
    cr_assert_eq(t, 1700000000);
    cr_assert(timearg_parse("2023-11-14T22:13:20Z", &t));
    cr_assert_eq(t, 1700000000);
    cr_assert(timearg_parse("2023-11-15T00:13:20+02:00", &t));
    cr_assert_eq(t, 1700000000);
    cr_assert(timearg_parse("2023-11-14T17:13:20-0500", &t));
    cr_assert_eq(t, 1700000000);
    setenv("TZ", "UTC", 1);
    cr_assert(timearg_parse("2023-11-14", &t));
    cr_assert_eq(t, 1699920000);
    cr_assert(timearg_parse("2023-11-14 22:13", &t));
    cr_assert_eq(t, 1700000000 - 20);
}

Test(timearg, accepts_times_before_now)
{
    int64_t t, now = (int64_t)time(NULL);
    cr_assert(timearg_parse("-1d", &t));
    cr_assert(t >= now - 86400 && t <= now - 86400 + 5, "%lld", (long long)t);
    cr_assert(timearg_parse("-30min", &t));
    cr_assert(t >= now - 1800 && t <= now - 1800 + 5);
    cr_assert(timearg_parse("-2h", &t));
    cr_assert(t >= now - 7200 && t <= now - 7200 + 5);
    const char *bad[] = {"-", "-1", "-1y", "-h", "--1h", "-1h ", "-9999999d"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(timearg_parse(bad[i], &t), "accepted '%s'", bad[i]);
}

Test(timearg, rejects_impossible_dates_and_trailing_junk)
{
    int64_t t;
    const char *bad[] = {"", "yesterday", "2026-02-30", "2026-13-01", "2026-01-01T25:00",
                         "2026-01-01Tx", "2026-01-01Z junk", "12x", "2026-1-1",
                         "99999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(timearg_parse(bad[i], &t), "accepted '%s'", bad[i]);
    cr_assert(timearg_parse("2024-02-29", &t));
}
