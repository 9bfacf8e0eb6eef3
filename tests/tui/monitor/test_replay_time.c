/* What `g` and --at accept in a replay: a time of day on the recording's day, a date and
 * time, fractions of a second down to the microsecond (to land on a recorded moment),
 * start and end; nothing else. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "tui/monitor/replay_driver.h"

static int64_t local_us(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = s, .tm_isdst = -1};
    return (int64_t)mktime(&tm) * 1000000;
}

Test(replay_time, times_of_day_dates_fractions_start_and_end)
{
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    int64_t day = local_us(2026, 6, 21, 15, 0, 0), us;
    cr_assert(replay_parse_time("10:31", day, &us));
    cr_assert_eq(us, local_us(2026, 6, 21, 10, 31, 0));
    cr_assert(replay_parse_time("10:31:02", day, &us));
    cr_assert_eq(us, local_us(2026, 6, 21, 10, 31, 2));
    cr_assert(replay_parse_time("10:31:02.5", day, &us));
    cr_assert_eq(us, local_us(2026, 6, 21, 10, 31, 2) + 500000);
    cr_assert(replay_parse_time("10:31:02.123456", day, &us));
    cr_assert_eq(us, local_us(2026, 6, 21, 10, 31, 2) + 123456);
    cr_assert(replay_parse_time("2026-11-26 08:04:26.877653", day, &us));
    cr_assert_eq(us, local_us(2026, 11, 26, 8, 4, 26) + 877653);
    cr_assert(replay_parse_time("2026-11-26T08:04", day, &us));
    cr_assert_eq(us, local_us(2026, 11, 26, 8, 4, 0));
    cr_assert(replay_parse_time("start", day, &us));
    cr_assert_eq(us, INT64_MIN);
    cr_assert(replay_parse_time("end", day, &us));
    cr_assert_eq(us, INT64_MAX);
    static const char *const bad[] = {"", "99:99", "24:00", "10:60", "10:31:02.", "10:31:02.1234567",
                                      "10:31x", "2026-11-26", "2026-02-30 10:00", "1:2",
                                      "2026-11-26 08:04:26.12x", "soon"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert(!replay_parse_time(bad[i], day, &us), "'%s' refused", bad[i]);
}
