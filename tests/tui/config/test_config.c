/* Configuration and themes: good files load, bad ones are refused with the file and the
 * key named, devices resolve, the committed sample is what the option table generates. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/core/session.h"
#include "tui/config/config.h"
#include "tui/config/themes.h"
#include "tui/format/valfmt.h"

static char path[256];

static const char *write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/rcttop-test-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static bool load(const char *text, struct config *cfg, char *err, size_t cap)
{
    config_defaults(cfg);
    bool ok = config_load(cfg, write_file(text), err, cap);
    unlink(path);
    return ok;
}

Test(config, loads_general_options_and_named_devices)
{
    struct config cfg;
    char err[512];
    cr_assert(load("[general]\nrate = 2.5\ntheme = light\ndevice = home\n"
                   "[device:home]\nhost = 192.168.1.50\nlabel = Home\n"
                   "[device:barn]\nhost = 10.0.0.7\nport = 9000\ntimeout = 5\n",
                   &cfg, err, sizeof err), "%s", err);
    cr_assert_float_eq(cfg.rate, 2.5, 1e-9);
    cr_assert_str_eq(cfg.theme, "light");
    cr_assert_eq(cfg.ndevices, 2);
    const struct config_device *barn = config_find_device(&cfg, "barn");
    cr_assert_not_null(barn);
    cr_assert_eq(barn->port, 9000);
    cr_assert_float_eq(barn->timeout, 5, 1e-9);
    cr_assert_eq(config_find_device(&cfg, "home")->port, 8899);
}

struct bad_case { const char *text; const char *must_say; };

Test(config, refuses_bad_files_naming_the_file_and_the_key)
{
    static const struct bad_case cases[] = {
        {"[general]\nrate = 99999\n", "line 2: [general] rate: must be a number from 0.1 to 10000"},
        {"[general]\ncolour = red\n", "line 2: [general] colour: unknown key"},
        {"[general]\nascii = maybe\n", "[general] ascii: must be true or false"},
        {"[weird]\nx = 1\n", "unknown section [weird]"},
        {"[device:x]\nport = 1\n", "[device:x] host: missing"},
        {"[device:x]\nhost = a\nport = 70000\n", "line 3: [device:x] port: must be a whole number"},
        {"[general]\ndevice = nowhere\n", "no [device:nowhere] section"},
        {"[general\nrate = 1\n", "line 1: not INI"},
        {"[general]\nclock = noon\n", "line 2: [general] clock: must be auto, utc or local"},
        {"[general]\nclock = \n", "[general] clock: must not be empty"},
        {"[device:x]\nhost = a\nclock = mars\n", "[device:x] clock: must be auto, utc or local"},
        {"[check]\nstrings = C\n", "[check] strings: must be A, B or AB"},
        {"[check]\nstrings = ABC\n", "[check] strings: too long"},
        {"[alerts]\nexpected_offline = 25:00-01:00\n", "expected_offline: must be HH:MM-HH:MM"},
        {"[alerts]\ntowers = 2\n", "[alerts] towers: must be true or false"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct config cfg;
        char err[512] = "";
        cr_assert_not(load(cases[i].text, &cfg, err, sizeof err), "accepted: %s", cases[i].text);
        cr_assert(strstr(err, cases[i].must_say), "'%s' does not say '%s'", err, cases[i].must_say);
        cr_assert(strstr(err, "/tmp/rcttop-test-"), "names the file: %s", err);
    }
}

Test(config, an_explicit_missing_file_is_an_error_a_missing_default_is_not)
{
    struct config cfg;
    char err[512];
    config_defaults(&cfg);
    cr_assert_not(config_load(&cfg, "/nonexistent/rcttop.ini", err, sizeof err));
    cr_assert(strstr(err, "/nonexistent/rcttop.ini"));
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    config_defaults(&cfg);
    cr_assert(config_load(&cfg, NULL, err, sizeof err));
    cr_assert_str_eq(cfg.path, "");
}

/* A file of the source tree, whole, as a string. */
static void read_source_file(const char *relative, char *buf, size_t cap)
{
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", RCT_SOURCE_DIR, relative);
    FILE *f = fopen(full, "r");
    cr_assert_not_null(f, "%s", full);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

Test(config, the_committed_sample_is_what_the_option_table_generates_and_it_loads)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&mem, &size);
    config_write_sample(out);
    fclose(out);
    static char committed[16384], readme[200000];
    read_source_file("assets/rcttop.ini.sample", committed, sizeof committed);
    cr_assert_str_eq(committed, mem, "regenerate with: rcttop monitor --print-sample-config");
    /* The README shows the same sample, verbatim. */
    read_source_file("README.md", readme, sizeof readme);
    char *block = strstr(readme, "```ini\n");
    cr_assert_not_null(block, "the README has no ```ini block");
    cr_assert(strncmp(block + 7, mem, strlen(mem)) == 0, "the README's sample is stale: copy assets/rcttop.ini.sample into it");
    struct config cfg;
    char err[512];
    cr_assert(load(mem, &cfg, err, sizeof err), "%s", err);
    free(mem);
}

/* Every commented-out line of the sample set for real: the values it shows are the
 * defaults the program runs with. */
Test(config, the_defaults_the_sample_shows_are_the_defaults_in_use)
{
    char *mem = NULL, *set = NULL;
    size_t size = 0, set_size = 0;
    FILE *out = open_memstream(&mem, &size);
    config_write_sample(out);
    fclose(out);
    FILE *uncommented = open_memstream(&set, &set_size);
    for (char *line = strtok(mem, "\n"); line; line = strtok(NULL, "\n"))
        if (line[0] != ';' || (line[1] != ' ' && (strchr(line, '=') || line[1] == '[')))
            fprintf(uncommented, "%s\n", line[0] == ';' ? line + 1 : line);
    fclose(uncommented);
    struct config cfg;
    char err[512];
    cr_assert(load(set, &cfg, err, sizeof err), "%s", err);
    struct health_thresholds t;
    config_default_thresholds(&t);
    cr_assert(memcmp(&t, &cfg.check, sizeof t) == 0, "[check] as shown differs from its defaults");
    struct alert_settings a;
    config_default_alert_settings(&a);
    cr_assert(memcmp(&a, &cfg.alerts, sizeof a) == 0, "[alerts] as shown differs from its defaults");
    cr_assert_float_eq(cfg.devices[0].rate, cfg.rate, 1e-9, "a device's rate is shown as the general one");
    cr_assert_eq(t.event_recurrences, 3);
    cr_assert_float_eq(t.cell_low_warning_v, 3.0, 1e-9);
    cr_assert_eq(a.offline_from_min, -1, "no expected offline window by default");
    free(mem);
    free(set);
}

Test(config, typed_values_land_in_their_fields)
{
    struct config cfg;
    char err[512];
    cr_assert(load("[general]\nmouse = yes\nclock = utc\nhistory_minutes = 30\n"
                   "[device:a]\nhost = 10.0.0.1\nclock = local\n"
                   "[check]\nstrings = B\nevent_recurrences = 5\n"
                   "[alerts]\nexpected_offline = 21:30-06:00\nbell = true\n", &cfg, err, sizeof err),
              "%s", err);
    cr_assert(cfg.mouse);
    cr_assert_str_eq(cfg.clock, "utc");
    cr_assert_eq(cfg.history_minutes, 30);
    cr_assert_str_eq(cfg.devices[0].clock, "local");
    cr_assert_eq(cfg.devices[0].port, 8899);
    cr_assert_str_eq(cfg.check.pv_strings, "B");
    cr_assert_eq(cfg.check.event_recurrences, 5);
    cr_assert_float_eq(cfg.check.soh_warning, 80, 1e-9, "an unset threshold keeps its default");
    cr_assert_eq(cfg.alerts.offline_from_min, 21 * 60 + 30);
    cr_assert_eq(cfg.alerts.offline_to_min, 6 * 60);
    cr_assert(cfg.alerts.ring_bell);
    cr_assert(cfg.alerts.towers, "an unset alert setting keeps its default");
    struct health_thresholds t;
    config_check_thresholds(&cfg, &t);
    cr_assert_eq(t.event_recurrences, 5);
}

/* The configuration's defaults are the protocol's, so the line-mode commands (which start
 * from the session's) and the monitor (from the table) poll the same way. */
Test(config, the_link_defaults_are_the_protocols)
{
    struct config cfg;
    config_defaults(&cfg);
    struct session_config link;
    session_default_config(&link);
    cr_assert_float_eq(cfg.rate, link.link.rate, 1e-9);
    cr_assert_float_eq(cfg.timeout * 1000.0, (double)link.link.timeout_ms, 1e-6);
    cr_assert_eq(cfg.retries, link.link.retries);
    cr_assert_eq(atoi(config_default_text("device:x", "port")), link.port);
}

/* The README and `help monitor` promise the mouse on, like htop, with no file at all. */
Test(config, the_mouse_is_on_by_default)
{
    struct config cfg;
    config_defaults(&cfg);
    cr_assert(cfg.mouse, "config_defaults leaves the mouse off");
    cr_assert_str_eq(config_default_text("general", "mouse"), "true");
    char err[512];
    cr_assert(load("[general]\nmouse = no\n", &cfg, err, sizeof err), "%s", err);
    cr_assert_not(cfg.mouse, "mouse = no still turns it off");
}

/* Every key the sample sets, the help names in its section with its default. */
Test(config, the_help_names_every_key_of_the_sample)
{
    char *sample = NULL, *help = NULL;
    size_t sample_size = 0, help_size = 0;
    FILE *out = open_memstream(&sample, &sample_size);
    config_write_sample(out);
    fclose(out);
    out = open_memstream(&help, &help_size);
    config_write_help(out);
    fclose(out);
    char section[64] = "", key[64];
    size_t keys = 0;
    for (char *line = strtok(sample, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '[') {
            snprintf(section, sizeof section, "%s", line);
            if (strncmp(section, "[device:", 8) == 0)
                snprintf(section, sizeof section, "[device:NAME]");
            cr_assert(strstr(help, section), "no %s in the help", section);
            continue;
        }
        const char *text = line + (line[0] == ';');
        size_t len = strspn(text, "abcdefghijklmnopqrstuvwxyz_0123456789");
        if (len == 0 || strncmp(text + len, " = ", 3) != 0)
            continue;
        char set[128], inherited[128];
        snprintf(key, sizeof key, "%.*s", (int)len, text);
        snprintf(set, sizeof set, "\n  %s = ", key);
        snprintf(inherited, sizeof inherited, "\n  %s (default: the [general] value)", key);
        const char *in_section = strstr(help, section);
        cr_assert(in_section && (strstr(in_section, set) || strstr(in_section, inherited)),
                  "%s %s is not in the help", section, key);
        keys++;
    }
    cr_assert_gt(keys, 40);
    cr_assert(strstr(help, "\n  cell_low_warning_v = 3.0\n"), "%s", help);
    cr_assert(strstr(help, "\n  rate = 4\n      requests per second"), "%s", help);
    for (const char *p = help; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0))
        cr_assert_leq(strcspn(p, "\n"), 80, "a line past 80 columns: %.90s", p);
    free(sample);
    free(help);
}

/* The man page's list of keys is what the table writes, between its two marks; when it
 * is not, the page as it should be is written beside the test to copy over. */
Test(config, the_man_pages_configuration_keys_are_what_the_option_table_generates)
{
    static const char begin[] = ".\\\" Generated from the option table";
    static const char end[] = ".\\\" End of the generated configuration keys.\n";
    static char page[200000];
    read_source_file("assets/rcttop.1", page, sizeof page);
    char *from = strstr(page, begin), *to = strstr(page, end);
    cr_assert(from && to && from < to, "assets/rcttop.1 lacks the marks around the keys");
    from = strchr(strchr(from, '\n') + 1, '\n') + 1;   /* past the mark's two lines */
    char *mem = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&mem, &size);
    config_write_man(out);
    fclose(out);
    bool same = (size_t)(to - from) == size && memcmp(from, mem, size) == 0;
    if (!same) {
        FILE *fresh = fopen("rcttop.1.new", "w");
        cr_assert_not_null(fresh);
        fwrite(page, 1, (size_t)(from - page), fresh);
        fputs(mem, fresh);
        fputs(to, fresh);
        fclose(fresh);
    }
    cr_assert(same, "the man page's keys are stale: cp %s/rcttop.1.new %s/assets/rcttop.1",
              getcwd((char[1024]){0}, 1024), RCT_SOURCE_DIR);
    free(mem);
}

Test(themes, every_builtin_theme_loads_and_a_partial_file_falls_back_to_default)
{
    struct wtheme t;
    char err[512];
    cr_assert_geq(themes_builtin_count(), 4);
    for (size_t i = 0; i < themes_builtin_count(); i++)
        cr_assert(themes_load(themes_builtin_name(i), &t, err, sizeof err), "%s: %s",
                  themes_builtin_name(i), err);
    const char *p = write_file("[theme]\nvalue = 208\n");
    cr_assert(themes_load(p, &t, err, sizeof err), "%s", err);
    cr_assert_eq(t.spec[WROLE_VALUE].fg, 208);
    cr_assert(t.spec[WROLE_FAULT_ACTIVE].set, "missing roles come from the default theme");
    p = write_file("[theme]\nvalue = chartreuse\n");
    cr_assert_not(themes_load(p, &t, err, sizeof err));
    cr_assert(strstr(err, "line 2: [theme] value: not a colour"), "%s", err);
    cr_assert_null(strstr(err, "chartreuse"), "the file's text is not echoed: %s", err);
    cr_assert_not(themes_load("no-such-theme", &t, err, sizeof err));
    unlink(path);
}

Test(valfmt, shows_fractions_as_percent_enums_by_label_and_strings_sanitised)
{
    const struct rct_oid_info *soc = rct_registry_by_name("battery.soc");
    struct rct_value v = {.type = RCT_TYPE_FLOAT};
    v.u.f = 0.721f;
    char buf[64];
    cr_assert_str_eq(valfmt_display(soc, &v, buf, sizeof buf), "72.1 %");
    const struct rct_oid_info *state = rct_registry_by_name("prim_sm.state");
    v.type = RCT_TYPE_ENUM;
    v.u.i = 13;
    cr_assert_str_eq(valfmt_display(state, &v, buf, sizeof buf), "Feed in (13)");
    v.type = RCT_TYPE_STRING;
    snprintf(v.u.s.text, sizeof v.u.s.text, "PS\x1b[2J");
    v.u.s.len = 6;
    cr_assert_str_eq(valfmt_display(NULL, &v, buf, sizeof buf), "PS?[2J");
    const struct rct_oid_info *grid = rct_registry_by_name("g_sync.p_ac_grid_sum_lp");
    v.type = RCT_TYPE_FLOAT;
    v.u.f = -427.3f;
    cr_assert_str_eq(valfmt_display(grid, &v, buf, sizeof buf), "-427 W");
}

Test(config, a_directory_is_refused_by_name)
{
    struct config cfg;
    char err[512];
    config_defaults(&cfg);
    cr_assert_not(config_load(&cfg, "/tmp", err, sizeof err));
    cr_assert(strstr(err, "/tmp") && strstr(err, "directory"), "%s", err);
    struct wtheme t;
    cr_assert_not(themes_load("/tmp/", &t, err, sizeof err));
    cr_assert(strstr(err, "directory"), "%s", err);
}

Test(config, a_file_that_is_not_ini_is_named_with_its_line_and_never_echoed)
{
    const char *secret = "root:x:0:0:SECRET-GECOS:/root:/bin/bash\n"
                         "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
    struct config cfg;
    char err[512];
    cr_assert_not(load(secret, &cfg, err, sizeof err));
    cr_assert(strstr(err, "line 1"), "%s", err);
    cr_assert_null(strstr(err, "SECRET"), "the file's text must not be echoed: %s", err);
    struct wtheme t;
    write_file(secret);
    cr_assert_not(themes_load(path, &t, err, sizeof err));
    unlink(path);
    cr_assert(strstr(err, "line 1"), "%s", err);
    cr_assert_null(strstr(err, "SECRET"), "%s", err);
}

Test(config, a_bad_value_names_file_line_and_key_but_not_the_value)
{
    struct config cfg;
    char err[512];
    cr_assert_not(load("[general]\n\nrate = SECRET\n", &cfg, err, sizeof err));
    cr_assert(strstr(err, "line 3") && strstr(err, "rate"), "%s", err);
    cr_assert_null(strstr(err, "SECRET"), "%s", err);
    cr_assert_not(load("[general]\nrate = 0x10\n", &cfg, err, sizeof err), "hex is not a rate");
    cr_assert_not(load("[device:a]\nhost = 1.2.3.4\nport = 8899.5\n", &cfg, err, sizeof err));
    cr_assert(strstr(err, "port"), "%s", err);
    cr_assert_not(load("[device:a]\nhost = 256.1.1.1\n", &cfg, err, sizeof err));
    cr_assert(strstr(err, "host"), "%s", err);
    cr_assert_not(load("[device:a]\nhost = h:1\n", &cfg, err, sizeof err), "port belongs in port =");
    cr_assert(load("[device:a]\nhost = [::1]\n", &cfg, err, sizeof err) ||
              load("[device:a]\nhost = ::1\n", &cfg, err, sizeof err), "%s", err);
}
