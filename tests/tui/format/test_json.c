/* The JSON writer: commas placed by objects and arrays, device text escaped as untrusted,
 * non-finite numbers as null in every form, decoded values, and writing to memory. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tui/format/json.h"

static char *mem;
static size_t mem_len;
static FILE *stream;
static struct json j;

static void setup(void)
{
    mem = NULL;
    stream = open_memstream(&mem, &mem_len);
    cr_assert_not_null(stream);
    json_open(&j, stream);
}

static void teardown(void)
{
    free(mem);
}

/* What was written so far. */
static const char *written(void)
{
    fflush(stream);
    return mem;
}

static void done(void)
{
    fclose(stream);
}

TestSuite(json, .init = setup, .fini = teardown);

Test(json, places_commas_between_members_and_elements_at_every_depth)
{
    json_object(&j);
    json_key(&j, "a");
    json_array(&j);
    json_int(&j, 1);
    json_object(&j);
    json_end(&j);
    json_array(&j);
    json_end(&j);
    json_bool(&j, false);
    json_end(&j);
    json_key(&j, "b");
    json_object(&j);
    json_key(&j, "c");
    json_null(&j);
    json_key(&j, "d");
    json_uint(&j, 18446744073709551615u);
    json_end(&j);
    json_key(&j, "e");
    json_string(&j, NULL);
    json_end(&j);
    done();
    cr_assert_str_eq(mem, "{\"a\":[1,{},[],false],\"b\":{\"c\":null,\"d\":18446744073709551615},\"e\":null}");
}

Test(json, writes_non_finite_numbers_as_null_in_every_form)
{
    json_array(&j);
    json_number(&j, NAN);
    json_number(&j, INFINITY);
    json_fixed(&j, -INFINITY, 2);
    json_float(&j, NAN);
    json_number(&j, 0.1);
    json_fixed(&j, 49.987, 2);
    json_float(&j, 0.1f);
    json_end(&j);
    done();
    cr_assert_str_eq(mem, "[null,null,null,null,0.1,49.99,0.1]");
}

Test(json, escapes_quotes_backslashes_and_control_bytes_of_device_text)
{
    const char text[] = {'a', '"', '\\', 0x1b, '\n', '\t', '\r', 0x7f, (char)0xff};
    json_string_n(&j, text, sizeof text);
    done();
    cr_assert_str_eq(mem, "\"a\\\"\\\\\\u001b\\n\\t\\r\\u007f\\u00ff\"");
}

/* Our own text ("°C") stays UTF-8; malformed or overlong sequences are escaped bytes. */
Test(json, passes_well_formed_utf8_and_escapes_the_rest)
{
    const char text[] = "21 \xc2\xb0" "C \xc0\xaf \xed\xa0\x80 \xe2\x82";
    json_string_n(&j, text, sizeof text - 1);
    done();
    cr_assert_str_eq(mem, "\"21 \xc2\xb0" "C \\u00c0\\u00af \\u00ed\\u00a0\\u0080 \\u00e2\\u0082\"");
}

Test(json, escapes_keys_as_strings)
{
    json_object(&j);
    json_key(&j, "serial \"5\x01\"");
    json_stringf(&j, "0x%08X", 0x1234ABCDu);
    json_end(&j);
    done();
    cr_assert_str_eq(mem, "{\"serial \\\"5\\u0001\\\"\":\"0x1234ABCD\"}");
}

Test(json, writes_a_nan_float_value_as_null_and_strings_escaped)
{
    const uint8_t nan_bits[] = {0x7f, 0xc0, 0x00, 0x00};
    static struct rct_value v;
    json_array(&j);
    cr_assert_eq(rct_value_decode(RCT_TYPE_FLOAT, nan_bits, 4, &v), RCT_VALUE_OK);
    json_value(&j, &v);
    const uint8_t text[] = {'a', '"', '\\', 0x1b, 0xff};
    cr_assert_eq(rct_value_decode(RCT_TYPE_STRING, text, sizeof text, &v), RCT_VALUE_OK);
    json_value(&j, &v);
    json_end(&j);
    done();
    cr_assert_str_eq(mem, "[null,\"a\\\"\\\\\\u001b\\u00ff\"]");
}

Test(json, writes_composite_values_by_their_fields)
{
    static struct rct_value v;
    memset(&v, 0, sizeof v);
    v.type = RCT_TYPE_BAT_STATISTICS;
    v.u.stats.u_min = (struct rct_bat_extreme){2, 1700000000, 3.25f};
    v.u.stats.u_max = (struct rct_bat_extreme){5, 1700000100, NAN};
    json_value(&j, &v);
    const char *stats = written();
    /* The device's cell index 2 is cell 3, as on the Battery pane and in findings. */
    cr_assert(strstr(stats, "{\"u_min\":{\"cell\":3,\"ts\":1700000000,\"value\":3.25},"
                            "\"u_max\":{\"cell\":6,\"ts\":1700000100,\"value\":null},\"t_min\":"), "%s", stats);
    fputc(' ', stream);
    /* Every cell of a module and of its resistances carries its number. */
    v.type = RCT_TYPE_BAT_STATUS;
    v.u.cells[9] = (struct rct_bat_cell){21, 3100, 0};
    json_value(&j, &v);
    cr_assert(strstr(written(), "{\"cell\":10,\"temp_c\":21,\"mv\":3100,\"status\":0}"), "%s", written());
    cr_assert(strstr(written(), "{\"cell\":24,"), "%s", written());
    fputc(' ', stream);
    v.type = RCT_TYPE_BAT_RESISTANCE;
    v.u.resistance_raw[0] = 512;
    json_value(&j, &v);
    cr_assert(strstr(written(), "[{\"cell\":1,\"mohm\":2.0000},{\"cell\":2,"), "%s", written());
    fputc(' ', stream);
    v.type = RCT_TYPE_TIMESERIES;
    v.u.ts.query_ts = 99;
    v.u.ts.n = 2;
    v.u.ts.p[0].ts = 10;
    v.u.ts.p[0].value = 1.5f;
    v.u.ts.p[1].ts = 20;
    v.u.ts.p[1].value = -INFINITY;
    struct json k;
    json_open(&k, stream);
    json_value(&k, &v);
    done();
    cr_assert(strstr(mem, " {\"query_ts\":99,\"points\":[{\"ts\":10,\"value\":1.5},{\"ts\":20,\"value\":null}]}"),
              "%s", mem);
}

Test(json, writes_to_memory_as_the_hook_needs)
{
    struct json b;
    cr_assert(json_open_buffer(&b));
    json_object(&b);
    json_key(&b, "value");
    json_number(&b, 12.5);
    json_end(&b);
    size_t len;
    char *text = json_close_buffer(&b, &len);
    cr_assert_not_null(text);
    cr_assert_eq(len, strlen("{\"value\":12.5}"));
    cr_assert_str_eq(text, "{\"value\":12.5}");
    free(text);
    done();
}
