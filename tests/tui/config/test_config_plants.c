/* [plant:NAME] sections and the units a command follows: --host repeated, a plant, one
 * device. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tui/config/config.h"
#include "tui/config/units.h"

static char path[256];

static bool load(struct config *cfg, const char *text, char *err, size_t cap)
{
    snprintf(path, sizeof path, "/tmp/rcttop-test-plants-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    config_defaults(cfg);
    err[0] = '\0';
    bool ok = config_load(cfg, path, err, cap);
    unlink(path);
    return ok;
}

static const char *const three =
    "[device:master]\nhost = 10.0.0.2\nlabel = Master\n"
    "[device:pi]\nhost = 10.0.0.3\nrate = 2\n"
    "[device:ac]\nhost = 10.0.0.4\nport = 8900\n"
    "[plant:home]\ndevices = master pi, ac\nlabel = Home\n";

Test(config_plants, a_plant_names_its_devices_in_order)
{
    static struct config cfg;
    char err[512];
    cr_assert(load(&cfg, three, err, sizeof err), "%s", err);
    cr_assert_eq(cfg.nplants, 1);
    static struct unit_list units;
    cr_assert(units_from_plant(&cfg, "home", &units, err, sizeof err), "%s", err);
    cr_assert_eq(units.n, 3);
    cr_assert_str_eq(units.label, "Home");
    cr_assert_str_eq(units.units[0].label, "Master");
    cr_assert_str_eq(units.units[1].label, "pi", "no label: the section's name");
    cr_assert_eq(units.units[1].rate, 2);
    cr_assert_eq(units.units[2].port, 8900);
    cr_assert_str_eq(units.units[2].host, "10.0.0.4");
}

Test(config_plants, a_plant_naming_a_missing_device_is_refused_at_load)
{
    static struct config cfg;
    char err[512];
    cr_assert_not(load(&cfg, "[device:a]\nhost = 10.0.0.2\n[plant:p]\ndevices = a b\n", err, sizeof err));
    cr_assert(strstr(err, "[plant:p] devices: no [device:b] section"), "%s", err);
}

Test(config_plants, a_device_named_twice_or_none_is_refused)
{
    static struct config cfg;
    char err[512];
    cr_assert_not(load(&cfg, "[device:a]\nhost = 10.0.0.2\n[plant:p]\ndevices = a a\n", err, sizeof err));
    cr_assert(strstr(err, "a is named twice"), "%s", err);
    cr_assert_not(load(&cfg, "[device:a]\nhost = 10.0.0.2\n[plant:p]\nlabel = x\n", err, sizeof err));
    cr_assert(strstr(err, "[plant:p] devices: missing"), "%s", err);
    cr_assert_not(load(&cfg, "[device:a]\nhost = h\n[plant:p]\ndevices = , ,\n", err, sizeof err));
    cr_assert(strstr(err, "names no device"), "%s", err);
}

Test(config_plants, the_default_plant_must_exist)
{
    static struct config cfg;
    char err[512];
    cr_assert_not(load(&cfg, "[general]\nplant = nowhere\n", err, sizeof err));
    cr_assert(strstr(err, "[general] plant = nowhere: no [plant:nowhere] section"), "%s", err);
}

Test(config_plants, an_unknown_plant_is_named)
{
    static struct config cfg;
    static struct unit_list units;
    char err[512];
    cr_assert(load(&cfg, three, err, sizeof err), "%s", err);
    cr_assert_not(units_from_plant(&cfg, "away", &units, err, sizeof err));
    cr_assert(strstr(err, "no plant 'away'"), "%s", err);
}

Test(units, hosts_are_labelled_by_host_or_host_and_port_where_they_share_one)
{
    static struct unit_list units;
    char err[256];
    const char *hosts[] = {"127.0.0.1:4001", "127.0.0.1:4002", "10.0.0.9"};
    cr_assert(units_from_hosts(hosts, 3, 8899, &units, err, sizeof err), "%s", err);
    cr_assert_eq(units.n, 3);
    cr_assert_str_eq(units.units[0].label, "127.0.0.1:4001");
    cr_assert_str_eq(units.units[1].label, "127.0.0.1:4002");
    cr_assert_str_eq(units.units[2].label, "10.0.0.9");
    cr_assert_eq(units.units[2].port, 8899);
}

Test(units, a_host_given_twice_or_a_bad_one_is_refused)
{
    static struct unit_list units;
    char err[256];
    const char *twice[] = {"10.0.0.2", "10.0.0.2:8899"};
    cr_assert_not(units_from_hosts(twice, 2, 8899, &units, err, sizeof err));
    cr_assert(strstr(err, "10.0.0.2:8899 is given twice"), "%s", err);
    const char *bad[] = {"10.0.0.2:99999"};
    cr_assert_not(units_from_hosts(bad, 1, 8899, &units, err, sizeof err));
    cr_assert(strstr(err, "--host '10.0.0.2:99999'"), "%s", err);
}

Test(config_plants, a_unit_keeps_its_own_expected_offline_window)
{
    const char *text = "[device:master]\nhost = 10.0.0.2\n"
                       "[device:pi]\nhost = 10.0.0.3\nexpected_offline = 21:30-06:00\n"
                       "[plant:home]\ndevices = master pi\n";
    char file[] = "/tmp/rcttop-plant-window-XXXXXX";
    int fd = mkstemp(file);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    static struct config cfg;
    char err[512];
    config_defaults(&cfg);
    cr_assert(config_load(&cfg, file, err, sizeof err), "%s", err);
    unlink(file);
    struct unit_list units;
    cr_assert(units_from_plant(&cfg, "home", &units, err, sizeof err), "%s", err);
    cr_assert_eq(units.units[0].offline_from_min, -1, "the master has none of its own");
    cr_assert_eq(units.units[1].offline_from_min, 21 * 60 + 30);
    cr_assert_eq(units.units[1].offline_to_min, 6 * 60);
}
