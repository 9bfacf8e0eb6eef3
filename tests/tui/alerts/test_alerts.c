/* The alert engine on crafted moments: a condition fires once after the hold time and
 * resolves once, one bad read is no event, what is not known is never taken as cleared,
 * the offline window, SOC hysteresis, a missing tower, a finding that grows worse. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tui/alerts/alerts.h"
#include "tui/config/config.h"
#include "tui/alerts/hook.h"

static struct alert_engine engine;
static struct alert_event out[32];

static void setup(void)
{
    struct alert_settings s;
    config_default_alert_settings(&s);
    s.hold_s = 10;
    s.soc_below = 10;
    s.soc_above = 20;
    alert_engine_init(&engine, &s);
}

TestSuite(alerts, .init = setup);

static struct alert_input moment(int64_t t)
{
    struct alert_input in = {.now_unix = 1790000000 + t, .local_minute = 12 * 60, .online_known = true,
                             .online = true, .faults_current = true, .findings_current = true,
                             .soc = NAN, .towers = -1};
    return in;
}

/* Ticks every second from t0 to t1 with the fault bit 16 as given; returns the events. */
static size_t run_fault(int64_t t0, int64_t t1, bool set, bool current, size_t *first_at)
{
    size_t total = 0;
    for (int64_t t = t0; t <= t1; t++) {
        struct alert_input in = moment(t);
        in.faults_current = current;
        in.fault_words[0] = set ? 1u << 16 : 0;
        size_t n = alert_engine_tick(&engine, &in, out + total, 32 - total);
        if (n && first_at && total == 0)
            *first_at = (size_t)t;
        total += n;
    }
    return total;
}

Test(alerts, a_fault_fires_once_after_the_hold_and_resolves_once)
{
    size_t at = 0;
    cr_assert_eq(run_fault(0, 5, false, true, NULL), 0);
    cr_assert_eq(run_fault(6, 40, true, true, &at), 1, "one firing, not one per poll");
    cr_assert_eq(at, 16, "after the hold of 10 s");
    cr_assert_str_eq(out[0].event, "fault");
    cr_assert_eq(out[0].state, ALERT_FIRING);
    cr_assert_eq(out[0].severity, HEALTH_CRITICAL);
    cr_assert_eq(out[0].fault_bit, 16);
    cr_assert_eq(out[0].since_unix, 1790000000 + 6);
    cr_assert(strstr(out[0].message, "fault 16"), "%s", out[0].message);
    cr_assert_eq(run_fault(41, 80, false, true, &at), 1);
    cr_assert_eq(out[0].state, ALERT_RESOLVED);
    cr_assert_eq(out[0].duration_s, 35, "it lasted from 6 to 41");
    cr_assert_eq(at, 51);
}

/* What the Health pane, the hook and watch show of a fault: its bit, label and category,
 * the state's word, and how long it lasted once resolved. */
Test(alerts, a_fault_is_said_with_its_label_and_category_and_how_long_it_lasted)
{
    run_fault(0, 5, false, true, NULL);
    cr_assert_eq(run_fault(6, 40, true, true, NULL), 1);
    cr_assert_str_eq(out[0].message, "fault 16: Battery overcurrent (battery)");
    cr_assert_str_eq(alert_state_name(out[0].state), "firing");
    cr_assert_str_eq(health_severity_name(out[0].severity), "critical");
    cr_assert_eq(run_fault(41, 80, false, true, NULL), 1);
    cr_assert_str_eq(out[0].message, "fault 16: Battery overcurrent (battery) (resolved after 35 s)");
    cr_assert_str_eq(alert_state_name(out[0].state), "resolved");
    cr_assert_str_eq(health_severity_name(out[0].severity), "critical", "the resolve keeps the severity");
}

Test(alerts, a_warning_fault_fires_as_a_warning_and_a_long_one_is_said_in_hours)
{
    struct alert_input in = moment(0);
    in.fault_words[0] = 1u << 13;
    size_t n = 0;
    for (int64_t t = 0; t <= 20 && !n; t++) {
        in.now_unix = 1790000000 + t;
        n = alert_engine_tick(&engine, &in, out, 32);
    }
    cr_assert_eq(n, 1);
    cr_assert_eq(out[0].fault_bit, 13);
    cr_assert_str_eq(health_severity_name(out[0].severity), "warning");
    cr_assert(strncmp(out[0].message, "fault 13: ", 10) == 0, "%s", out[0].message);
    in.fault_words[0] = 0;
    n = 0;
    for (int64_t t = 2 * 3600 + 600; t <= 2 * 3600 + 630 && !n; t++) {
        in.now_unix = 1790000000 + t;
        n = alert_engine_tick(&engine, &in, out, 32);
    }
    cr_assert_eq(n, 1);
    cr_assert(strstr(out[0].message, "(resolved after 2 h 10 min)"), "%s", out[0].message);
}

Test(alerts, one_bad_read_is_no_event)
{
    cr_assert_eq(run_fault(0, 3, true, true, NULL), 0);
    cr_assert_eq(run_fault(4, 40, false, true, NULL), 0);
}

Test(alerts, fault_words_that_are_not_current_are_never_cleared)
{
    run_fault(0, 20, true, true, NULL);
    /* The device went silent: the words are not known, the fault is not "cleared". */
    cr_assert_eq(run_fault(21, 100, false, false, NULL), 0);
    cr_assert_eq(alert_engine_firing(&engine, NULL), 1);
}

Test(alerts, offline_fires_at_once_and_online_after_the_hold_info_in_the_window)
{
    struct alert_input in = moment(0);
    in.online = false;
    in.offline_cause = "connection refused";
    size_t n = alert_engine_tick(&engine, &in, out, 32);
    cr_assert_eq(n, 1, "the silence limit that decides offline is its hold");
    cr_assert_str_eq(out[0].event, "offline");
    cr_assert_eq(out[0].severity, HEALTH_WARNING);
    cr_assert_str_eq(out[0].cause, "connection refused");
    size_t total = 0;
    for (int t = 1; t <= 30; t++) {
        in = moment(t);
        total += alert_engine_tick(&engine, &in, out, 32);
    }
    cr_assert_eq(total, 1);
    cr_assert_eq(out[0].state, ALERT_RESOLVED);
    cr_assert(strstr(out[0].message, "online again"), "%s", out[0].message);

    struct alert_settings s = engine.settings;
    cr_assert(alert_parse_window("22:00-06:30", &s.offline_from_min, &s.offline_to_min));
    alert_engine_init(&engine, &s);
    in = moment(0);
    in.online = false;
    in.local_minute = 23 * 60;  /* a PV-only slave asleep at night */
    cr_assert_eq(alert_engine_tick(&engine, &in, out, 32), 1);
    cr_assert_eq(out[0].severity, HEALTH_INFO);
}

/* `watch` knows when the device went quiet (its last answer, or the start): the offline
 * event says since then, and the online event counts the whole time. */
Test(alerts, offline_since_when_it_went_quiet)
{
    struct alert_input in = moment(30);
    in.online = false;
    in.offline_cause = "connected, but no answer";
    in.offline_since_unix = 1790000000 + 19;
    cr_assert_eq(alert_engine_tick(&engine, &in, out, 32), 1);
    cr_assert_eq(out[0].since_unix, 1790000000 + 19);
    cr_assert_eq(out[0].time_unix, 1790000000 + 30);
    size_t n = 0;
    for (int t = 40; t <= 60 && !n; t++) {
        in = moment(t);
        n = alert_engine_tick(&engine, &in, out, 32);
    }
    cr_assert_eq(n, 1);
    cr_assert_eq(out[0].state, ALERT_RESOLVED);
    cr_assert_eq(out[0].since_unix, 1790000000 + 19);
    cr_assert_eq(out[0].duration_s, 40 - 19, "%lld", (long long)out[0].duration_s);
    /* Not said: since it was observed, as before. */
    struct alert_settings s = engine.settings;
    alert_engine_init(&engine, &s);
    in = moment(70);
    in.online = false;
    cr_assert_eq(alert_engine_tick(&engine, &in, out, 32), 1);
    cr_assert_eq(out[0].since_unix, 1790000000 + 70);
}

Test(alerts, soc_low_with_hysteresis)
{
    double socs[] = {30, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 21};
    size_t fired = 0, resolved = 0;
    int t = 0;
    for (size_t i = 0; i < sizeof socs / sizeof socs[0]; i++, t++) {
        struct alert_input in = moment(t);
        in.soc = socs[i];
        size_t n = alert_engine_tick(&engine, &in, out, 32);
        for (size_t k = 0; k < n; k++) {
            fired += out[k].state == ALERT_FIRING;
            resolved += out[k].state == ALERT_RESOLVED;
        }
    }
    cr_assert_eq(fired, 1);
    cr_assert_eq(resolved, 0, "15 % is not above 20 %: no flapping");
    for (int k = 0; k < 12; k++, t++) {
        struct alert_input in = moment(t);
        in.soc = 21;
        resolved += alert_engine_tick(&engine, &in, out, 32);
    }
    cr_assert_eq(resolved, 1);
}

Test(alerts, a_tower_that_disappears)
{
    size_t events = 0;
    for (int t = 0; t < 40; t++) {
        struct alert_input in = moment(t);
        in.towers = t < 5 ? 2 : t < 25 ? 1 : 2;
        size_t n = alert_engine_tick(&engine, &in, out + events, 32 - events);
        events += n;
    }
    cr_assert_eq(events, 2);
    cr_assert_str_eq(out[0].event, "tower_missing");
    cr_assert_eq(out[0].state, ALERT_FIRING);
    cr_assert_eq(out[1].state, ALERT_RESOLVED);
}

Test(alerts, a_finding_fires_again_when_it_grows_worse_and_faults_findings_are_left_to_faults)
{
    struct health_finding f[2] = {0};
    snprintf(f[0].id, sizeof f[0].id, "battery.cells.module1");
    snprintf(f[0].title, sizeof f[0].title, "cell spread 100 mV (module 1)");
    f[0].severity = HEALTH_WARNING;
    snprintf(f[1].id, sizeof f[1].id, "faults.bit16");
    f[1].severity = HEALTH_CRITICAL;
    size_t events = 0;
    for (int t = 0; t < 40; t++) {
        struct alert_input in = moment(t);
        if (t >= 20)
            f[0].severity = HEALTH_CRITICAL;
        in.findings = f;
        in.nfindings = 2;
        events += alert_engine_tick(&engine, &in, out + events, 32 - events);
    }
    cr_assert_eq(events, 2);
    cr_assert_str_eq(out[0].key, "finding.battery.cells.module1");
    cr_assert_eq(out[0].severity, HEALTH_WARNING);
    cr_assert_eq(out[1].severity, HEALTH_CRITICAL);
    cr_assert_eq(out[1].state, ALERT_FIRING);
}

Test(alerts, windows_and_commands)
{
    int a, b;
    cr_assert(alert_parse_window("21:30-06:00", &a, &b));
    cr_assert_eq(a, 21 * 60 + 30);
    cr_assert_eq(b, 6 * 60);
    const char *bad[] = {"", "21:30", "25:00-06:00", "21:30-06:00 x", "10:00-10:00", "a-b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(alert_parse_window(bad[i], &a, &b), "%s", bad[i]);
    char why[256];
    cr_assert(hook_check_command("sh -c true", why, sizeof why));
    cr_assert_not(hook_check_command("/nonexistent/notify", why, sizeof why));
    cr_assert(strstr(why, "not a program"), "%s", why);
    cr_assert_not(hook_check_command("no-such-program-here-xyz", why, sizeof why));
    cr_assert(strstr(why, "not found in PATH"), "%s", why);
    cr_assert_not(hook_check_command("   ", why, sizeof why));
}
