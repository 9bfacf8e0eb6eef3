/* Value decoders: exact sizes per type, signedness, endianness of the battery types,
 * float formatting and sanitising of device strings (JSON: tests/tui/format/test_json.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/value.h"

static struct rct_value v;

struct size_case { enum rct_type type; size_t good; };

Test(value_decode, rejects_every_payload_size_but_the_types_own)
{
    static const struct size_case cases[] = {
        {RCT_TYPE_BOOL, 1}, {RCT_TYPE_UINT8, 1}, {RCT_TYPE_INT8, 1}, {RCT_TYPE_ENUM, 1},
        {RCT_TYPE_UINT16, 2}, {RCT_TYPE_INT16, 2}, {RCT_TYPE_UINT32, 4}, {RCT_TYPE_INT32, 4},
        {RCT_TYPE_FLOAT, 4}, {RCT_TYPE_BAT_STATUS, 96}, {RCT_TYPE_BAT_RESISTANCE, 96},
        {RCT_TYPE_BAT_STATISTICS, 48},
    };
    static uint8_t payload[200];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t len = 0; len < sizeof payload; len++) {
            enum rct_value_error e = rct_value_decode(cases[c].type, payload, len, &v);
            cr_assert_eq(e == RCT_VALUE_OK, len == cases[c].good, "%s with %zu bytes",
                         rct_type_name(cases[c].type), len);
        }
}

Test(value_decode, rejects_truncated_timeseries_and_event_tables)
{
    static uint8_t payload[300];
    for (size_t len = 0; len < sizeof payload; len++) {
        cr_assert_eq(rct_value_decode(RCT_TYPE_TIMESERIES, payload, len, &v) == RCT_VALUE_OK,
                     len >= 4 && (len - 4) % 8 == 0, "timeseries %zu", len);
        cr_assert_eq(rct_value_decode(RCT_TYPE_EVENT_TABLE, payload, len, &v) == RCT_VALUE_OK,
                     len >= 4 && (len - 4) % 20 == 0, "event table %zu", len);
    }
}

Test(value_decode, reads_signed_and_unsigned_integers_big_endian)
{
    const uint8_t p[] = {0xff, 0xfe, 0xfd, 0xfc};
    cr_assert_eq(rct_value_decode(RCT_TYPE_INT16, p, 2, &v), RCT_VALUE_OK);
    cr_assert_eq(v.u.i, -2);
    cr_assert_eq(rct_value_decode(RCT_TYPE_UINT16, p, 2, &v), RCT_VALUE_OK);
    cr_assert_eq(v.u.i, 0xfffe);
    cr_assert_eq(rct_value_decode(RCT_TYPE_UINT32, p, 4, &v), RCT_VALUE_OK);
    cr_assert_eq(v.u.i, 0xfffefdfcLL);
    cr_assert_eq(rct_value_decode(RCT_TYPE_INT32, p, 4, &v), RCT_VALUE_OK);
    cr_assert_eq(v.u.i, (int32_t)0xfffefdfc);
    cr_assert_eq(rct_value_decode(RCT_TYPE_INT8, p, 1, &v), RCT_VALUE_OK);
    cr_assert_eq(v.u.i, -1);
}

Test(value_decode, cuts_strings_at_the_first_nul_and_ignores_garbage_after_it)
{
    const uint8_t p[] = {'P', 'S', ' ', '6', 0, 0x1b, '[', '2', 'J'};
    cr_assert_eq(rct_value_decode(RCT_TYPE_STRING, p, sizeof p, &v), RCT_VALUE_OK);
    cr_assert_str_eq(v.u.s.text, "PS 6");
    cr_assert_eq(v.u.s.len, 4);
    cr_assert_eq(rct_value_decode(RCT_TYPE_STRING, p, 0, &v), RCT_VALUE_OK);
    cr_assert_str_eq(v.u.s.text, "");
}

Test(value_format, prints_the_shortest_float_that_round_trips)
{
    char buf[64];
    rct_format_float(0.2962766f, buf, sizeof buf);
    cr_assert_str_eq(buf, "0.2962766");
    rct_format_float(32768.0f, buf, sizeof buf);
    cr_assert_str_eq(buf, "32768.0");
    rct_format_float(NAN, buf, sizeof buf);
    cr_assert_str_eq(buf, "nan");
    rct_format_float(-INFINITY, buf, sizeof buf);
    cr_assert_str_eq(buf, "-inf");
    float samples[] = {1e-7f, 3.4028235e38f, 1.17549435e-38f, -0.1f, 3898788.5f, 123456789.0f};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        rct_format_float(samples[i], buf, sizeof buf);
        cr_assert_eq(strtof(buf, NULL), samples[i], "%s", buf);
    }
}

Test(value_sanitize, replaces_control_and_non_ascii_bytes)
{
    char buf[16];
    rct_sanitize("ab\x1b[2J\xc3\xa9", 8, buf, sizeof buf);
    cr_assert_str_eq(buf, "ab?[2J??");
    rct_sanitize("abcdef", 6, buf, 4);
    cr_assert_str_eq(buf, "abc");
}

Test(value_type, names_round_trip_through_the_registry_spelling)
{
    for (int t = 1; t < RCT_TYPE_COUNT; t++)
        cr_assert_eq(rct_type_from_name(rct_type_name((enum rct_type)t)), (enum rct_type)t);
    cr_assert_eq(rct_type_from_name("nonsense"), RCT_TYPE_UNKNOWN);
}
