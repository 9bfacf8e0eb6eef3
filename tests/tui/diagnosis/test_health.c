/* Every diagnosis rule on crafted values: the verdict, its severity and the evidence it
 * names; missing inputs give no verdict (pending, not available, not supported), never a
 * failure. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "support/health_store.h"

TestSuite(health, .init = health_store_setup, .fini = health_store_teardown);

Test(health, a_rule_without_its_inputs_gives_no_verdict)
{
    size_t n = run(NULL, NULL);
    cr_assert_gt(n, 10);
    for (size_t i = 0; i < n; i++)
        cr_assert(out[i].severity == HEALTH_PENDING || out[i].severity == HEALTH_INFO, "%s: %s",
                  out[i].id, out[i].title);
    cr_assert_str_eq(find(n, "insulation")->title, "insulation: waiting for the first reading");
    cr_assert(strstr(find(n, "insulation")->detail, "not read yet"));
    cr_assert_eq(health_worst(out, n), HEALTH_OK, "nothing read is no failure");
}

/* Not read yet, did not answer, not supported: three states, three texts. */
Test(health, not_read_yet_is_never_called_no_answer)
{
    const struct rct_oid_info *soh = rct_registry_by_name("battery.soh");
    size_t n = run("battery.soh", NULL);
    cr_assert_eq(find(n, "battery.soh")->severity, HEALTH_PENDING);
    cr_assert_null(strstr(find(n, "battery.soh")->detail, "did not answer"));
    store_note_timeout(st, soh->oid, 10);
    n = run("battery.soh", NULL);
    cr_assert_eq(find(n, "battery.soh")->severity, HEALTH_INFO);
    cr_assert_str_eq(find(n, "battery.soh")->title, "battery.soh: not available");
    cr_assert(strstr(find(n, "battery.soh")->detail, "did not answer"));
    const struct rct_oid_info *riso = rct_registry_by_name("iso_struct.Riso");
    store_note_unsupported(st, riso->oid);
    put_float("iso_struct.r_min", 100000);
    n = run("insulation", NULL);
    cr_assert_str_eq(find(n, "insulation")->title, "insulation: not supported by this device");
}

Test(health, verdicts_first_then_information_then_what_waits)
{
    put_float("battery.soh", 0.5f);     /* critical */
    put_float("iso_struct.r_min", 100000);
    put_float("iso_struct.Riso", 9000000);  /* ok */
    size_t n = run(NULL, NULL);
    int last = 5;
    for (size_t i = 0; i < n; i++) {
        int rank = out[i].severity == HEALTH_CRITICAL ? 4 : out[i].severity == HEALTH_WARNING ? 3
                   : out[i].severity == HEALTH_OK ? 2 : out[i].severity == HEALTH_INFO ? 1 : 0;
        cr_assert_leq(rank, last, "%s (%s) out of order", out[i].id, health_severity_name(out[i].severity));
        last = rank;
    }
    cr_assert_eq(out[0].severity, HEALTH_CRITICAL);
    cr_assert_eq(health_worst(out, n), HEALTH_CRITICAL);
}

Test(health, events_in_the_monitor_are_left_to_check)
{
    struct health_input in = {.events_not_asked = true};
    size_t n = run("events", &in);
    cr_assert_eq(find(n, "events")->severity, HEALTH_INFO);
    cr_assert(strstr(find(n, "events")->title, "rcttop check"), "%s", find(n, "events")->title);
}

Test(health, active_faults_by_category_with_their_word)
{
    put_faults(1u << 16 | 1u << 13, 0);
    size_t n = run("faults", NULL);
    const struct health_finding *bat = find(n, "faults.bit16"), *grid = find(n, "faults.bit13");
    cr_assert_not_null(bat);
    cr_assert_eq(bat->severity, HEALTH_CRITICAL, "battery faults are critical");
    cr_assert(strstr(bat->title, "Battery overcurrent"));
    cr_assert_str_eq(bat->evidence[0].name, "fault[0].flt");
    cr_assert_eq(grid->severity, HEALTH_WARNING, "grid faults warn");
    cr_assert_eq(out[0].severity, HEALTH_CRITICAL, "worst first");
    put_faults(0, 0);
    n = run("faults", NULL);
    cr_assert_eq(find(n, "faults")->severity, HEALTH_OK);
}

/* The battery on the flat of the LFP curve: 50 % SOC at 2 A. */
/* n_batteries at 1 (or 0) hides no module: a module is a slot with a serial or cells. */
Test(health, insulation_against_the_devices_own_minimum)
{
    put_float("iso_struct.r_min", 100000);
    put_float("iso_struct.Riso", 80000);
    const struct health_finding *f = find(run("insulation", NULL), "insulation");
    cr_assert_eq(f->severity, HEALTH_CRITICAL);
    cr_assert_str_eq(f->evidence[0].name, "iso_struct.Riso");
    put_float("iso_struct.Riso", 150000);
    cr_assert_eq(find(run("insulation", NULL), "insulation")->severity, HEALTH_WARNING);
    put_float("iso_struct.Riso", 3e6);
    cr_assert_eq(find(run("insulation", NULL), "insulation")->severity, HEALTH_OK);
}

Test(health, grid_against_the_tightest_trip_limit)
{
    put_float("grid_mon[0].u_under.threshold", 184);     /* fast level: wide */
    put_float("grid_mon[0].u_over.threshold", 264.5f);
    put_float("grid_mon[1].u_under.threshold", 195.5f);  /* slow level: the tightest */
    put_float("grid_mon[1].u_over.threshold", 253);
    put_float("g_sync.u_l_rms[0]", 258);     /* inside the fast limit, beyond the slow one */
    put_float("g_sync.u_l_rms[1]", 250);     /* within 2 % of 230 V (4.6 V) of 253 V */
    put_float("g_sync.u_l_rms[2]", 231);
    size_t n = run("grid.voltage", NULL);
    const struct health_finding *l1 = find(n, "grid.voltage.L1");
    cr_assert_eq(l1->severity, HEALTH_CRITICAL, "%s", l1->title);
    cr_assert(strstr(l1->title, "above the device's limit 253.0 V"), "%s", l1->title);
    cr_assert(strstr(l1->detail, "grid_mon[1].u_over.threshold"), "the limit is named: %s", l1->detail);
    cr_assert_eq(find(n, "grid.voltage.L2")->severity, HEALTH_WARNING);
    cr_assert_eq(find(n, "grid.voltage.L3")->severity, HEALTH_OK);
    put_float("grid_mon[0].f_under.threshold", 47.5f);
    put_float("grid_mon[0].f_over.threshold", 51.5f);
    put_float("grid_mon[1].f_under.threshold", 49.8f);
    put_float("grid_mon[1].f_over.threshold", 50.2f);
    put_float("grid_pll[0].f", 50.0f);
    cr_assert_eq(find(run("grid.frequency", NULL), "grid.frequency")->severity, HEALTH_OK);
    put_float("grid_pll[0].f", 49.83f);
    cr_assert_eq(find(run("grid.frequency", NULL), "grid.frequency")->severity, HEALTH_WARNING);
    put_float("grid_pll[0].f", 49.7f);
    cr_assert_eq(find(run("grid.frequency", NULL), "grid.frequency")->severity, HEALTH_CRITICAL);
}

static void put_strings(double ua, double pa, double ub, double pb)
{
    put_float("dc_conv.dc_conv_struct[0].u_sg_lp", (float)ua);
    put_float("dc_conv.dc_conv_struct[0].p_dc_lp", (float)pa);
    put_float("dc_conv.dc_conv_struct[1].u_sg_lp", (float)ub);
    put_float("dc_conv.dc_conv_struct[1].p_dc_lp", (float)pb);
}

static enum health_severity pv_verdict(void)
{
    const struct health_finding *f = find(run("pv", NULL), "pv.strings");
    cr_assert_not_null(f);
    return f->severity;
}

Test(health, pv_strings_by_voltage_in_every_season)
{
    put_u8("dc_conv.dc_conv_struct[0].enabled", 1);
    put_u8("dc_conv.dc_conv_struct[1].enabled", 1);
    put_strings(480, 2900, 3, 0);            /* summer noon, B dead */
    cr_assert_eq(pv_verdict(), HEALTH_WARNING);
    cr_assert(strstr(find(run("pv", NULL), "pv.strings")->title, "string B at 3 V"), "%s",
              find(run("pv", NULL), "pv.strings")->title);
    put_strings(450, 120, 2, 0);             /* winter: little power, still found */
    cr_assert_eq(pv_verdict(), HEALTH_WARNING);
    put_strings(380, 40, 350, 0);            /* dawn: B has voltage, no power yet */
    cr_assert_eq(pv_verdict(), HEALTH_OK);
    put_strings(2, 0, 3, 0);                 /* night */
    cr_assert_eq(pv_verdict(), HEALTH_OK);
    put_strings(480, 1500, 390, 12);         /* snow on B's roof face */
    cr_assert_eq(pv_verdict(), HEALTH_OK);
    put_strings(480, 2000, 410, 0);          /* B has voltage, no power: tracker or connector */
    cr_assert_eq(pv_verdict(), HEALTH_WARNING);
    cr_assert(strstr(find(run("pv", NULL), "pv.strings")->title, "tracker"), "%s",
              find(run("pv", NULL), "pv.strings")->title);
    put_strings(520, 0, 480, 0);             /* both see light, nothing comes */
    cr_assert_eq(pv_verdict(), HEALTH_WARNING);
}

Test(health, a_string_not_in_use_is_never_a_finding)
{
    put_u8("dc_conv.dc_conv_struct[0].enabled", 1);
    put_u8("dc_conv.dc_conv_struct[1].enabled", 0);   /* the device's own setting */
    put_strings(480, 2900, 0, 0);
    cr_assert_eq(pv_verdict(), HEALTH_OK);
    cr_assert(strstr(find(run("pv", NULL), "pv.strings")->title, "B not in use"), "%s",
              find(run("pv", NULL), "pv.strings")->title);
    put_u8("dc_conv.dc_conv_struct[1].enabled", 1);
    cr_assert_eq(pv_verdict(), HEALTH_WARNING);
    snprintf(th.pv_strings, sizeof th.pv_strings, "A");   /* [check] strings = A */
    cr_assert_eq(pv_verdict(), HEALTH_OK);
}

Test(health, without_the_setting_a_string_that_never_produced_is_not_in_use)
{
    put_strings(480, 1900, 0, 0);
    put_float("energy.e_dc_total[1]", 0);
    const struct health_finding *f = find(run("pv", NULL), "pv.strings");
    cr_assert_eq(f->severity, HEALTH_OK, "a single-string plant: %s", f->title);
    cr_assert(strstr(f->title, "B not in use"), "%s", f->title);
    put_float("energy.e_dc_total[1]", 3.1e6f);   /* it produced before: broken now */
    cr_assert_eq(pv_verdict(), HEALTH_WARNING);
}

Test(health, a_device_keeping_local_time_warns_only_on_its_drift)
{
    put_u32("flash_rtc.time_stamp", 1790000000 + 3600 + 20);
    put_u8("flash_rtc.flag_time_auto_switch", 1);
    const struct health_finding *f = find(run("clock", NULL), "clock");
    cr_assert_eq(f->severity, HEALTH_OK, "%s", f->title);
    cr_assert(strstr(f->detail, "UTC+01:00"), "the zone assumed is said: %s", f->detail);
    put_u32("flash_rtc.time_stamp", 1790000000 + 3600 + 900 + 120);  /* UTC+01:15, 2 min off */
    f = find(run("clock", NULL), "clock");
    cr_assert_eq(f->severity, HEALTH_OK);
    put_u32("flash_rtc.time_stamp", 1790000000 + 3600 + 400);  /* 400 s beyond the zone */
    f = find(run("clock", NULL), "clock");
    cr_assert_eq(f->severity, HEALTH_WARNING, "%s", f->title);
    /* Told it keeps UTC, the whole hour is drift. */
    put_u32("flash_rtc.time_stamp", 1790000000 + 3600);
    struct health_input in = {.store = st, .now_unix = 1790000000, .clock_mode = DEVCLOCK_UTC};
    cr_assert_eq(find(run("clock", &in), "clock")->severity, HEALTH_WARNING);
}

/* The second tower (battery_placeholder[0].*): judged like the first, named by its serial. */
Test(health, the_device_clock_against_the_host)
{
    put_u32("flash_rtc.time_stamp", 1790000000 - 3600);   /* stored with updated_unix 1790000000 */
    const struct health_finding *f = find(run("clock", NULL), "clock");
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert(strstr(f->title, "1 h 00 min behind"), "%s", f->title);
    put_u32("flash_rtc.time_stamp", 1790000000 + 20);
    cr_assert_eq(find(run("clock", NULL), "clock")->severity, HEALTH_OK);
}

Test(health, recurring_events_in_the_last_seven_days)
{
    struct rct_event_row rows[] = {
        {0x5A, 1790000000 - 3600, 0, 3, 0}, {0x5A, 1790000000 - 86400, 0, 3, 0},
        {0x5A, 1790000000 - 2 * 86400, 0, 3, 0}, {0x5A, 1790000000 - 30 * 86400, 0, 3, 0},
        {0x76, 1790000000 - 100, 0, 0, 0}};
    struct health_input in = {.now_unix = 1790000000, .events_read = true, .events = rows, .nevents = 5};
    size_t n = run("events", &in);
    const struct health_finding *f = find(n, "events.grid_losses");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert(strstr(f->title, "3 grid losses in 7 days"), "the old one does not count: %s", f->title);
    cr_assert_null(find(n, "events.resets"), "one reset is no pattern");
}

Test(health, an_energy_total_that_goes_backwards)
{
    put_float("energy.e_ac_total", 4000000);
    double before[8];
    for (int i = 0; i < 8; i++)
        before[i] = NAN;
    before[0] = 5000000;
    struct health_input in = {.now_unix = 1790000000, .totals_before = before};
    const struct health_finding *f = find(run("energy", &in), "energy.counters.e_ac_total");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, HEALTH_WARNING);
    cr_assert(strstr(f->title, "went back by 1000.0 kWh"), "%s", f->title);
    /* A night's standby draw takes a little off: no reset. */
    before[0] = 4000000 + 400;
    cr_assert_eq(find(run("energy", &in), "energy.counters")->severity, HEALTH_OK);
    /* Nothing kept from an earlier run: information, and why. */
    before[0] = NAN;
    in.totals_note = "no earlier run for this device";
    f = find(run("energy", &in), "energy.counters");
    cr_assert_eq(f->severity, HEALTH_INFO);
    cr_assert(strstr(f->detail, "no earlier run"), "%s", f->detail);
}

Test(health, the_link_silent_slow_and_shared)
{
    /* The first request on its way, not answered yet: no verdict, never "silent". */
    struct session_counters k = {.requests = 1, .answers = 0};
    struct health_input in = {.now_unix = 1790000000, .link = &k, .srtt_ms = -1, .link_minutes = 1};
    cr_assert_null(find(run("link", &in), "link.silent"));
    cr_assert_eq(find(run("link", &in), "link")->severity, HEALTH_PENDING);
    k = (struct session_counters){.requests = 40, .answers = 0, .timeouts = 40};
    cr_assert_eq(find(run("link", &in), "link.silent")->severity, HEALTH_CRITICAL);
    k = (struct session_counters){.requests = 40, .answers = 30, .timeouts = 10, .foreign = 60};
    in.srtt_ms = 80;
    size_t n = run("link", &in);
    const struct health_finding *f = find(n, "link");
    cr_assert_eq(f->severity, HEALTH_WARNING, "75 %% answered");
    cr_assert(strstr(f->title, "75 % of requests answered"), "%s", f->title);
    cr_assert_eq(find(n, "link.other_client")->severity, HEALTH_INFO);
}

/* The request on its way is not unanswered: counted as such, 27 of 31 is 87 %, a warning
 * that came and went on a busy machine. */
Test(health, the_link_ratio_counts_settled_requests_only)
{
    struct session_counters k = {.requests = 31, .answers = 27, .timeouts = 3};
    struct health_input in = {.now_unix = 1790000000, .link = &k, .srtt_ms = 40, .link_minutes = 1};
    const struct health_finding *f = find(run("link", &in), "link");
    cr_assert_eq(f->severity, HEALTH_OK, "%s", f->title);
    cr_assert(strstr(f->title, "90 % of requests answered"), "%s", f->title);
    /* 29 settled: too few to judge, whatever is on its way. */
    k = (struct session_counters){.requests = 30, .answers = 8, .timeouts = 21};
    cr_assert_eq(find(run("link", &in), "link")->severity, HEALTH_PENDING);
    /* Answers cut short count against the link; requests for OIDs the device does not know
     * (their timeouts) do not. */
    k = (struct session_counters){.requests = 44, .answers = 30, .truncated = 6, .timeouts = 8,
                                  .unsupported_requests = 8};
    f = find(run("link", &in), "link");
    cr_assert_eq(f->severity, HEALTH_WARNING, "%s", f->title);
    cr_assert(strstr(f->title, "83 % of requests answered"), "%s", f->title);
}

Test(health, only_selects_rules_and_their_parts)
{
    put_faults(1u << 16, 0);
    put_float("battery.soh", 0.5f);
    size_t n = run("battery", NULL);
    cr_assert_null(find(n, "faults.bit16"));
    cr_assert_not_null(find(n, "battery.soh"));
    n = run("faults,battery.soh", NULL);
    cr_assert_not_null(find(n, "faults.bit16"));
    cr_assert_not_null(find(n, "battery.soh"));
    cr_assert_null(find(n, "battery.modules"));
}

/* Verdicts an installer can act on: what is not measured yet is no failure, a signed
 * temperature byte is read as signed, cold is information down to 0 °C, and faults that
 * can be routine are warnings while a neutral fault is critical. */
Test(health, soh_and_insulation_at_zero_are_not_measured_yet)
{
    put_float("battery.soh", 0);
    const struct health_finding *f = find(run("battery.soh", NULL), "battery.soh");
    cr_assert_eq(f->severity, HEALTH_INFO, "%s", f->title);
    cr_assert(strstr(f->title, "not measured yet"), "%s", f->title);
    put_float("iso_struct.Riso", 0);
    put_float("iso_struct.r_min", 100000);
    f = find(run("insulation", NULL), "insulation");
    cr_assert_eq(f->severity, HEALTH_INFO, "%s", f->title);
    cr_assert(strstr(f->detail, "start-up"), "%s", f->detail);
    put_float("iso_struct.Riso", 3.2e6f);
    cr_assert(strstr(find(run("insulation", NULL), "insulation")->detail, "start-up"));
}

Test(health, routine_faults_warn_and_a_neutral_fault_is_critical)
{
    put_u32("fault[0].flt", 0);
    put_u32("fault[1].flt", 0);
    put_u32("fault[2].flt", 0);
    put_u32("fault[3].flt", (1u << 9) | (1u << 10) | (1u << 31));   /* bits 105, 106, 127 */
    size_t n = run("faults", NULL);
    cr_assert_eq(find(n, "faults.bit105")->severity, HEALTH_WARNING);
    cr_assert(strstr(find(n, "faults.bit105")->detail, "ripple control"), "%s", find(n, "faults.bit105")->detail);
    cr_assert_eq(find(n, "faults.bit106")->severity, HEALTH_WARNING);
    cr_assert_eq(find(n, "faults.bit127")->severity, HEALTH_CRITICAL);
}
