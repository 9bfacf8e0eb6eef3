/* The report of a check over several units: the worst status as Monitoring::Plugin's
 * max_state_alt orders them, perfdata labels that carry their unit and stay valid, the
 * first line naming the unit of each problem worst first, and a recording per unit named
 * as the monitor names it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/commands/check_units_report.h"
#include "tui/config/units.h"

Test(check_units, the_worst_status_is_critical_then_warning_then_unknown_then_ok)
{
    cr_assert_eq(check_status_worst(CHECK_OK, CHECK_UNKNOWN), CHECK_UNKNOWN);
    cr_assert_eq(check_status_worst(CHECK_UNKNOWN, CHECK_WARNING), CHECK_WARNING);
    cr_assert_eq(check_status_worst(CHECK_WARNING, CHECK_UNKNOWN), CHECK_WARNING);
    cr_assert_eq(check_status_worst(CHECK_CRITICAL, CHECK_WARNING), CHECK_CRITICAL);
    cr_assert_eq(check_status_worst(CHECK_UNKNOWN, CHECK_CRITICAL), CHECK_CRITICAL);
    cr_assert_eq(check_status_worst(CHECK_OK, CHECK_OK), CHECK_OK);
}

static struct health_finding finding(const char *id, enum health_severity s, const char *title)
{
    struct health_finding f;
    memset(&f, 0, sizeof f);
    snprintf(f.id, sizeof f.id, "%s", id);
    snprintf(f.title, sizeof f.title, "%s", title);
    f.severity = s;
    return f;
}

Test(check_units, a_units_status_is_its_worst_finding)
{
    struct health_finding f[3] = {finding("a", HEALTH_OK, "fine"), finding("b", HEALTH_WARNING, "meh"),
                                  finding("c", HEALTH_INFO, "note")};
    cr_assert_eq(check_status_of_findings(f, 3), CHECK_WARNING);
    f[0].severity = HEALTH_CRITICAL;
    cr_assert_eq(check_status_of_findings(f, 3), CHECK_CRITICAL);
    cr_assert_eq(check_status_of_findings(f, 0), CHECK_OK);
}

Test(check_units, perfdata_labels_carry_their_unit_and_lose_what_perfdata_cannot_hold)
{
    struct check_perf p[2];
    memset(p, 0, sizeof p);
    snprintf(p[0].label, sizeof p[0].label, "soc");
    snprintf(p[1].label, sizeof p[1].label, "soc.placeholder0");
    check_perf_prefix(p, 2, "garage");
    cr_assert_str_eq(p[0].label, "garage:soc");
    cr_assert_str_eq(p[1].label, "garage:soc.placeholder0");
    snprintf(p[0].label, sizeof p[0].label, "riso");
    check_perf_prefix(p, 1, "Bob's=roof");
    cr_assert_str_eq(p[0].label, "Bob_s_roof:riso");
}

/* The first line as the report writes it. */
static char *first_line(int status, const struct check_unit_report *u, size_t n,
                        const struct check_plant_report *plant)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    check_units_first_line(status, u, n, plant, out);
    fclose(out);
    return text;
}

Test(check_units, the_first_line_names_each_problems_unit_worst_first)
{
    struct health_finding ac[2] = {finding("insulation", HEALTH_CRITICAL, "insulation 80 kOhm < 100 kOhm"),
                                   finding("faults", HEALTH_OK, "no active faults")};
    struct health_finding master[2] = {finding("battery.soh", HEALTH_WARNING, "battery state of health 75 %"),
                                       finding("faults", HEALTH_OK, "no active faults")};
    struct health_finding plant_f[1] = {finding("plant.slaves", HEALTH_WARNING, "the master counts 3 slaves; the plant has 2")};
    struct check_unit_report u[3] = {
        {.label = "master", .status = CHECK_WARNING, .findings = master, .nf = 2},
        {.label = "pi", .status = CHECK_UNKNOWN, .offline = true, .why = "cannot reach pi:8899"},
        {.label = "ac", .status = CHECK_CRITICAL, .findings = ac, .nf = 2}};
    struct check_plant_report plant = {.label = "home", .findings = plant_f, .nf = 1};
    int status = check_units_status(u, 3, &plant);
    cr_assert_eq(status, CHECK_CRITICAL);
    char *line = first_line(status, u, 3, &plant);
    /* ';' separates perfdata fields: the plant finding's own is made '/' */
    cr_assert_str_eq(line, "RCT CRITICAL - ac: insulation 80 kOhm < 100 kOhm; pi: offline; "
                           "master: battery state of health 75 %; home: the master counts 3 slaves/ the plant has 2");
    free(line);
}

Test(check_units, no_problem_says_how_many_units_and_checks)
{
    struct health_finding a[2] = {finding("faults", HEALTH_OK, "x"), finding("link", HEALTH_OK, "y")};
    struct health_finding b[1] = {finding("faults", HEALTH_OK, "x")};
    struct check_unit_report u[2] = {{.label = "a", .findings = a, .nf = 2}, {.label = "b", .findings = b, .nf = 1}};
    struct check_plant_report plant = {.label = "plant"};
    int status = check_units_status(u, 2, &plant);
    cr_assert_eq(status, CHECK_OK);
    char *line = first_line(status, u, 2, &plant);
    cr_assert_str_eq(line, "RCT OK - 2 units, no problems found (3 checks)");
    free(line);
}

Test(check_units, an_unknown_unit_alone_makes_the_check_unknown_with_its_reason)
{
    struct health_finding a[1] = {finding("faults", HEALTH_OK, "x")};
    struct check_unit_report u[2] = {
        {.label = "a", .findings = a, .nf = 1},
        {.label = "b", .status = CHECK_UNKNOWN, .why = "the fault words could not be read (timeout)"}};
    int status = check_units_status(u, 2, NULL);
    cr_assert_eq(status, CHECK_UNKNOWN);
    char *line = first_line(status, u, 2, NULL);
    cr_assert_str_eq(line, "RCT UNKNOWN - b: the fault words could not be read (timeout)");
    free(line);
}

Test(check_units, many_problems_are_cut_with_how_many_more)
{
    struct health_finding f[8];
    for (int i = 0; i < 8; i++)
        f[i] = finding("x", HEALTH_WARNING, "w");
    struct check_unit_report u[1] = {{.label = "u", .status = CHECK_WARNING, .findings = f, .nf = 8}};
    char *line = first_line(CHECK_WARNING, u, 1, NULL);
    cr_assert_str_eq(line, "RCT WARNING - u: w; u: w; u: w; u: w; u: w; u: w; and 2 more");
    free(line);
}

Test(check_units, a_units_recording_is_named_as_the_monitor_names_it)
{
    char out[256];
    cr_assert(units_record_path("plant.rctrec", "master", out, sizeof out));
    cr_assert_str_eq(out, "plant.master.rctrec");
    cr_assert(units_record_path("/tmp/a.b/plant", "10.0.0.3:8899", out, sizeof out));
    cr_assert_str_eq(out, "/tmp/a.b/plant.10_0_0_3_8899");
    cr_assert(units_record_path("dir/.hidden", "x", out, sizeof out));
    cr_assert_str_eq(out, "dir/.hidden.x");
    cr_assert_not(units_record_path("plant.rctrec", "master", out, 8));
}
