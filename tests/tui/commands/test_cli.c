/* Command-line parsing is strict and friendly: integers are integers, decimals are plain
 * decimals, host:port takes names, IPv4 and bracketed IPv6 and writes them back the same
 * way, port 0 is refused; CSV never hands a spreadsheet a formula; power fits its field. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/config/config.h"
#include "tui/format/args.h"
#include "proto/codec/registry.h"
#include "tui/format/valfmt.h"

struct host_case {
    const char *text;
    bool ok;
    const char *host;
    unsigned port;
    const char *printed;
};

static const struct host_case host_cases[] = {
        {"inverter.local", true, "inverter.local", 8899, "inverter.local:8899"},
        {"192.168.1.50:9000", true, "192.168.1.50", 9000, "192.168.1.50:9000"},
        {"[::1]", true, "::1", 8899, "[::1]:8899"},
        {"[::1]:1", true, "::1", 1, "[::1]:1"},
        {"fe80::1", true, "fe80::1", 8899, "[fe80::1]:8899"},
        {"a:b:c", false, NULL, 0, NULL},
        {"256.1.1.1:1", false, NULL, 0, NULL},
        {"h:0", false, NULL, 0, NULL},
        {"h:65536", false, NULL, 0, NULL},
        {"h:+1", false, NULL, 0, NULL},
        {"h: 1", false, NULL, 0, NULL},
        {"h:1.5", false, NULL, 0, NULL},
        {"h:", false, NULL, 0, NULL},
        {":8899", false, NULL, 0, NULL},
        {"[::1", false, NULL, 0, NULL},
        {"[::1]x", false, NULL, 0, NULL},
        {"bad\x1b[31mhost", false, NULL, 0, NULL},
        {"two words", false, NULL, 0, NULL},
        {"http://1.2.3.4", false, NULL, 0, NULL},
};

Test(cli, parses_host_and_port_and_prints_them_back_the_same_way)
{
    for (size_t i = 0; i < sizeof host_cases / sizeof host_cases[0]; i++) {
        const struct host_case *c = &host_cases[i];
        char host[256] = "unchanged", back[300];
        uint16_t port = 8899;
        const char *why = NULL;
        bool ok = args_parse_host_port(c->text, host, sizeof host, &port, &why);
        cr_assert_eq(ok, c->ok, "'%s'", c->text);
        if (!ok) {
            cr_assert_not_null(why);
            cr_assert_str_eq(host, "unchanged", "a refused value changes nothing");
            continue;
        }
        cr_assert_str_eq(host, c->host);
        cr_assert_eq(port, c->port);
        cr_assert_str_eq(args_format_host_port(host, port, back, sizeof back), c->printed);
    }
}

Test(cli, a_url_is_told_to_give_the_address_alone)
{
    char host[256];
    uint16_t port = 8899;
    const char *why = NULL;
    cr_assert_not(args_parse_host_port("http://192.168.1.50/", host, sizeof host, &port, &why));
    cr_assert(strstr(why, "URL") && strstr(why, "8899"), "%s", why);
}

Test(cli, integers_must_be_whole_decimal_numbers)
{
    double v;
    cr_assert(cli_parse_integer("t", "--port", "8899", 1, 65535, &v));
    cr_assert_eq(v, 8899);
    cr_redirect_stderr();
    cr_assert_not(cli_parse_integer("t", "--port", "8899.5", 1, 65535, &v));
    cr_assert_not(cli_parse_integer("t", "--retries", "2.5", 0, 10, &v));
    cr_assert_not(cli_parse_integer("t", "--port", "0", 1, 65535, &v));
    cr_assert_not(cli_parse_integer("t", "--port", "", 1, 65535, &v));
    cr_assert_not(cli_parse_integer("t", "--port", " 1", 1, 65535, &v));
}

Test(cli, decimals_are_plain_decimal_numbers)
{
    double v;
    cr_assert(cli_parse_number("t", "--rate", "2.5", 0.1, 10000, &v));
    cr_assert_float_eq(v, 2.5, 1e-12);
    cr_assert(cli_parse_number("t", "--rate", ".5", 0.1, 10000, &v));
    cr_redirect_stderr();
    const char *bad[] = {"0x10", "1e3", "inf", "nan", "+1", " 1", "1 ", "1.", "-", "", "1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(cli_parse_number("t", "--rate", bad[i], 0, 1e9, &v), "'%s'", bad[i]);
}

/* The command line takes what the configuration takes: one range, from the option table. */
Test(cli, options_that_set_a_key_take_the_keys_range)
{
    double min, max, v;
    bool whole;
    cr_assert(config_number_range("general", "rate", &min, &max, &whole));
    cr_assert_not(whole);
    cr_assert(cli_parse_setting("t", "--rate", "general", "rate", "4", &v));
    cr_redirect_stderr();
    char text[32];
    snprintf(text, sizeof text, "%g", min / 2);
    cr_assert_not(cli_parse_setting("t", "--rate", "general", "rate", text, &v), "'%s'", text);
    cr_assert(config_number_range("general", "retries", &min, &max, &whole));
    cr_assert(whole);
    cr_assert_not(cli_parse_setting("t", "--retries", "general", "retries", "1.5", &v));
    snprintf(text, sizeof text, "%.0f", max + 1);
    cr_assert_not(cli_parse_setting("t", "--retries", "general", "retries", text, &v));
    cr_assert(config_number_range("check", "timeout", &min, &max, &whole));
    snprintf(text, sizeof text, "%g", max);
    cr_assert(cli_parse_setting("t", "-t", "check", "timeout", text, &v));
    cr_assert_not(config_number_range("general", "theme", &min, &max, &whole), "a string has no range");
    cr_assert_not(config_number_range("nowhere", "rate", &min, &max, &whole));
}

static char *usage_text(const char *usage)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cli_print_usage(usage, out);
    fclose(out);
    return text;
}

/* A default or range the help gives comes from the option table: every placeholder of
 * every command's usage fills, and a wrong one stays visible. */
Test(cli, every_usage_fills_its_defaults_from_the_option_table)
{
    for (size_t i = 0; i < cli_commands_count; i++) {
        char *text = usage_text(cli_commands[i]->usage);
        cr_assert_null(strstr(text, "%{"), "%s: %s", cli_commands[i]->name, strstr(text, "%{"));
        free(text);
    }
    char *main_help = NULL;
    size_t main_size = 0;
    FILE *out = open_memstream(&main_help, &main_size);
    cli_print_main_help(out);
    fclose(out);
    cr_assert_null(strstr(main_help, "%{"), "rcttop --help: %s", strstr(main_help, "%{"));
    free(main_help);
    char *text = usage_text("rate %{general.rate} in %{general.rate:range}, port %{device.port}");
    char want[160];
    double min, max;
    bool whole;
    cr_assert(config_number_range("general", "rate", &min, &max, &whole));
    snprintf(want, sizeof want, "rate %s in %g..%g, port %s", config_default_text("general", "rate"),
             min, max, config_default_text("device:x", "port"));
    cr_assert_str_eq(text, want);
    free(text);
    text = usage_text("%{general.nonesuch} %{general.theme:range} %{broken %{a:b.c} %{nodot}");
    cr_assert_str_eq(text, "%{general.nonesuch} %{general.theme:range} %{broken %{a:b.c} %{nodot}");
    free(text);
}

Test(cli, echoed_control_characters_are_made_visible)
{
    char out[256] = "";
    FILE *f = fmemopen(out, sizeof out, "w");
    cli_put_visible("a\x1b[31mb\r\n", f);
    fclose(f);
    cr_assert_str_eq(out, "a\\x1b[31mb\\x0d\\x0a");
}

static const char *csv(const char *text, char *out, size_t cap)
{
    memset(out, 0, cap);
    FILE *f = fmemopen(out, cap, "w");
    cli_csv_field(text, f);
    fclose(f);
    return out;
}

Test(cli, csv_neutralises_text_a_spreadsheet_would_run)
{
    char out[256];
    cr_assert_str_eq(csv("=HYPERLINK(\"http://x\")", out, sizeof out), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    cr_assert_str_eq(csv("+cmd", out, sizeof out), "\"'+cmd\"");
    cr_assert_str_eq(csv("-cmd", out, sizeof out), "\"'-cmd\"");
    cr_assert_str_eq(csv("@SUM(1)", out, sizeof out), "\"'@SUM(1)\"");
    cr_assert_str_eq(csv("\tx", out, sizeof out), "\"'\tx\"");
    cr_assert_str_eq(csv("\rx", out, sizeof out), "\"'\rx\"");
    cr_assert_str_eq(csv("-12.5", out, sizeof out), "-12.5", "a negative number stays a number");
    cr_assert_str_eq(csv("-3.4e+38", out, sizeof out), "-3.4e+38");
    cr_assert_str_eq(csv("PS 6.0 BA3L", out, sizeof out), "PS 6.0 BA3L");
    cr_assert_str_eq(csv("a,b", out, sizeof out), "\"a,b\"");
}

Test(valfmt, power_fits_eight_characters_for_any_value)
{
    char buf[32];
    cr_assert_str_eq(valfmt_power(0.2, false, buf, sizeof buf), "0 W");
    cr_assert_str_eq(valfmt_power(1370, false, buf, sizeof buf), "1 370 W");
    cr_assert_str_eq(valfmt_power(-1370, false, buf, sizeof buf), "-1 370 W");
    cr_assert_str_eq(valfmt_power(-1370, true, buf, sizeof buf), "1 370 W");
    cr_assert_str_eq(valfmt_power(12345, false, buf, sizeof buf), "12.3 kW");
    cr_assert_str_eq(valfmt_power(3.4e38, false, buf, sizeof buf), ">999 MW");
    cr_assert_str_eq(valfmt_power(-3.4e38, false, buf, sizeof buf), "<-999 MW");
    const double odd[] = {NAN, INFINITY, -INFINITY, 9999.4, 9999.6, 99949, 99951, 999499,
                          999501, 99.94e6, 99.96e6, 999.4e6, 999.6e6, -1e300, 1e-300};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        valfmt_power(odd[i], false, buf, sizeof buf);
        cr_assert_leq(strlen(buf), 8, "%g -> '%s'", odd[i], buf);
    }
}

Test(valfmt, any_number_a_device_can_send_stays_short)
{
    const struct rct_oid_info *p = rct_registry_by_name("g_sync.p_acc_lp");
    const struct rct_oid_info *soc = rct_registry_by_name("battery.soc");
    const float floats[] = {NAN, INFINITY, -INFINITY, 3.4028235e38f, -3.4028235e38f, 1e-30f,
                            -1e-30f, 123456789.0f, 0.0f, -0.0f};
    char buf[64];
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
        struct rct_value v = {.type = RCT_TYPE_FLOAT};
        v.u.f = floats[i];
        valfmt_display(p, &v, buf, sizeof buf);
        cr_assert_leq(strlen(buf), 12, "%g W -> '%s'", (double)floats[i], buf);
        valfmt_display(soc, &v, buf, sizeof buf);
        cr_assert_leq(strlen(buf), 12, "%g %% -> '%s'", (double)floats[i], buf);
    }
    struct rct_value big = {.type = RCT_TYPE_UINT32};
    big.u.i = 4294967295LL;
    valfmt_display(p, &big, buf, sizeof buf);
    cr_assert_leq(strlen(buf), 14, "'%s'", buf);
}
