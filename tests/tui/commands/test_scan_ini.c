/* `scan --format ini`: what it writes loads as a configuration; a master and its slaves
 * become a plant (the master first), device text cannot break a line or a section name,
 * two units with one serial still get two names, the default port is left unsaid. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/commands/scan_ini.h"
#include "tui/config/config.h"

static struct scan_result unit(uint32_t last_octet, const char *serial, const char *model,
                               enum plant_role role, const char *master_ip)
{
    struct scan_result r;
    memset(&r, 0, sizeof r);
    r.address = 0x7F000000u | last_octet;
    r.outcome = SCAN_UNIT;
    r.decided = true;
    snprintf(r.serial, sizeof r.serial, "%s", serial);
    snprintf(r.model, sizeof r.model, "%s", model);
    r.role = role;
    r.role_raw = (int)role;
    snprintf(r.role_text, sizeof r.role_text, "%s", role == PLANT_MASTER ? "master" : "slave");
    snprintf(r.master_ip, sizeof r.master_ip, "%s", master_ip);
    r.master_port = -1;
    return r;
}

static char path[64];
static struct config cfg;

/* Writes the results as ini to a file and loads it; the file's text into text. */
static void write_and_load(const struct scan_result *r, size_t n, uint16_t port, char *text, size_t cap)
{
    snprintf(path, sizeof path, "/tmp/rcttop-scan-ini-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    scan_ini_write(r, n, port, "127.0.0.0/29", f);
    fclose(f);
    f = fopen(path, "r");
    size_t len = fread(text, 1, cap - 1, f);
    text[len] = '\0';
    fclose(f);
    char err[1024] = "";
    config_defaults(&cfg);
    bool ok = config_load(&cfg, path, err, sizeof err);
    unlink(path);
    cr_assert(ok, "the ini does not load: %s\n%s", err, text);
}

Test(scan_ini, a_master_and_slaves_become_a_plant_that_loads)
{
    struct scan_result r[] = {unit(1, "0280951065", "PS 6.0 BA3L", PLANT_MASTER, ""),
                              unit(2, "0290358170", "PS 6.0 BA3L", PLANT_SLAVE, "127.0.0.1"),
                              unit(3, "0586685172", "PS 6.0 BA3L", PLANT_SLAVE, "127.0.0.1")};
    r[2].outcome = SCAN_UNIT;
    struct scan_result silent = unit(4, "", "", PLANT_NOT_READ, "");
    silent.outcome = SCAN_OPEN_NOT_RCT;
    struct scan_result all[] = {r[0], r[1], r[2], silent};
    static char text[8192];
    write_and_load(all, 4, 8899, text, sizeof text);
    cr_expect_eq(cfg.ndevices, 3, "the silent listener is no device");
    const struct config_device *d = config_find_device(&cfg, "unit-0290358170");
    cr_assert_not_null(d);
    cr_expect_str_eq(d->host, "127.0.0.2");
    cr_expect_eq(d->port, 8899);
    cr_expect_null(strstr(text, "port ="), "the default port is not written");
    /* One model for all three: the serial tells them apart. */
    cr_expect_str_eq(d->label, "PS 6.0 BA3L 0290358170");
    cr_assert_eq(cfg.nplants, 1);
    cr_expect_str_eq(cfg.plants[0].devices, "unit-0280951065 unit-0290358170 unit-0586685172");
}

Test(scan_ini, another_port_is_written_and_a_lone_master_is_no_plant)
{
    struct scan_result r[] = {unit(7, "SN1", "PS 10.0", PLANT_MASTER, "")};
    static char text[4096];
    write_and_load(r, 1, 9000, text, sizeof text);
    cr_assert_eq(cfg.ndevices, 1);
    cr_expect_eq(cfg.devices[0].port, 9000);
    cr_expect_str_eq(cfg.devices[0].name, "unit-sn1", "section names are lower case");
    cr_expect_str_eq(cfg.devices[0].label, "PS 10.0", "a model of its own is the label");
    cr_expect_eq(cfg.nplants, 0);
}

Test(scan_ini, device_text_cannot_break_the_file)
{
    struct scan_result r[] = {unit(1, "a]b;c\nd", "x = 1 ; [general]", PLANT_STANDALONE, ""),
                              unit(2, "a]b;c\nd", "", PLANT_STANDALONE, ""),
                              unit(3, "", "", PLANT_SLAVE, "10.0.0.9")};
    static char text[8192];
    write_and_load(r, 3, 8899, text, sizeof text);
    cr_assert_eq(cfg.ndevices, 3, "%s", text);
    cr_expect_str_eq(cfg.devices[0].name, "unit-a-b-c-d");
    cr_expect_str_eq(cfg.devices[1].name, "unit-a-b-c-d-2", "one serial twice: two names");
    cr_expect_str_eq(cfg.devices[2].name, "unit-127-0-0-3", "no serial: named by its address");
    cr_expect_null(strchr(cfg.devices[0].label, ';'));
    cr_expect_null(strchr(cfg.devices[0].label, '='));
    cr_expect_eq(cfg.nplants, 0, "a slave without its master is no plant");
    cr_expect(strstr(text, "; 127.0.0.3 is a slave of 10.0.0.9"), "%s", text);
}

Test(scan_ini, slaves_go_to_the_master_they_name_when_there_are_several)
{
    struct scan_result r[] = {unit(1, "M1", "A", PLANT_MASTER, ""), unit(2, "M2", "B", PLANT_MASTER, ""),
                              unit(3, "S1", "C", PLANT_SLAVE, "127.0.0.2"),
                              unit(4, "S2", "D", PLANT_SLAVE, "127.0.0.1")};
    static char text[8192];
    write_and_load(r, 4, 8899, text, sizeof text);
    cr_assert_eq(cfg.nplants, 2, "%s", text);
    cr_expect_str_eq(cfg.plants[0].devices, "unit-m1 unit-s2");
    cr_expect_str_eq(cfg.plants[1].devices, "unit-m2 unit-s1");
}
