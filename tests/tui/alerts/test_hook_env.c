/* The hook's environment, built by one function for the monitor and `watch`: the device
 * named the same way by both (host:port, a label always), each RCTTOP_* variable, the
 * duration in whole seconds on a resolved event only. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tui/alerts/hook.h"

static const char *var(const struct hook_var vars[HOOK_VARS], const char *name)
{
    for (int i = 0; i < HOOK_VARS; i++)
        if (!strcmp(vars[i].name, name))
            return vars[i].value;
    cr_assert_fail("no %s in the hook's environment", name);
    return NULL;
}

static struct alert_event fault_event(enum alert_state state)
{
    struct alert_event ev = {.state = state, .severity = HEALTH_CRITICAL, .value = 16,
                             .since_unix = 1790000000, .time_unix = 1790000020, .fault_bit = 16};
    snprintf(ev.event, sizeof ev.event, "fault");
    snprintf(ev.key, sizeof ev.key, "fault.16");
    snprintf(ev.message, sizeof ev.message, "fault 16: Battery overcurrent (battery)");
    if (state == ALERT_RESOLVED)
        ev.duration_s = 20;
    return ev;
}

Test(hook_env, the_device_is_host_with_port_and_always_has_a_label)
{
    struct alert_device d;
    alert_device_init(&d, "192.168.1.50", 8899, "Home");
    cr_assert_str_eq(d.address, "192.168.1.50:8899");
    cr_assert_str_eq(d.label, "Home");
    cr_assert_str_eq(d.serial, "");
    /* --host without a configured device: the host names it (as the status bar does). */
    alert_device_init(&d, "inverter.local", 1502, "");
    cr_assert_str_eq(d.address, "inverter.local:1502");
    cr_assert_str_eq(d.label, "inverter.local");
    alert_device_init(&d, "fe80::1", 8899, NULL);
    cr_assert_str_eq(d.address, "[fe80::1]:8899");
    alert_device_init(&d, NULL, 8899, "");
    cr_assert_str_eq(d.address, "demo");
    cr_assert_str_eq(d.label, "demo");
}

Test(hook_env, every_variable_of_a_resolved_event)
{
    struct alert_device d;
    alert_device_init(&d, "127.0.0.1", 8899, "Home");
    snprintf(d.serial, sizeof d.serial, "0210707213");
    struct alert_event ev = fault_event(ALERT_RESOLVED);
    struct hook_var vars[HOOK_VARS];
    hook_environment(&ev, &d, vars);
    static const char *const names[HOOK_VARS] = {
        "RCTTOP_EVENT", "RCTTOP_STATE", "RCTTOP_SEVERITY", "RCTTOP_KEY", "RCTTOP_MESSAGE",
        "RCTTOP_HOST", "RCTTOP_LABEL", "RCTTOP_SERIAL", "RCTTOP_VALUE", "RCTTOP_SINCE",
        "RCTTOP_TIME", "RCTTOP_DURATION"};
    for (int i = 0; i < HOOK_VARS; i++)
        cr_assert_str_eq(vars[i].name, names[i]);
    cr_assert_str_eq(var(vars, "RCTTOP_EVENT"), "fault");
    cr_assert_str_eq(var(vars, "RCTTOP_STATE"), "resolved");
    cr_assert_str_eq(var(vars, "RCTTOP_SEVERITY"), "critical");
    cr_assert_str_eq(var(vars, "RCTTOP_KEY"), "fault.16");
    cr_assert_str_eq(var(vars, "RCTTOP_MESSAGE"), "fault 16: Battery overcurrent (battery)");
    cr_assert_str_eq(var(vars, "RCTTOP_HOST"), "127.0.0.1:8899");
    cr_assert_str_eq(var(vars, "RCTTOP_LABEL"), "Home");
    cr_assert_str_eq(var(vars, "RCTTOP_SERIAL"), "0210707213");
    cr_assert_str_eq(var(vars, "RCTTOP_VALUE"), "16");
    cr_assert_eq(strlen(var(vars, "RCTTOP_SINCE")), strlen("2026-09-21T14:13:20+00:00"), "%s",
                 var(vars, "RCTTOP_SINCE"));
    cr_assert_neq(strcmp(var(vars, "RCTTOP_SINCE"), var(vars, "RCTTOP_TIME")), 0);
    cr_assert_str_eq(var(vars, "RCTTOP_DURATION"), "20", "whole seconds, as duration_s in the JSON");
}

Test(hook_env, a_firing_event_has_no_duration_and_a_value_without_a_number_is_its_text)
{
    struct alert_device d;
    alert_device_init(&d, "127.0.0.1", 8899, "");
    struct alert_event ev = fault_event(ALERT_FIRING);
    ev.value = NAN;
    snprintf(ev.value_text, sizeof ev.value_text, "3.1 V");
    struct hook_var vars[HOOK_VARS];
    hook_environment(&ev, &d, vars);
    cr_assert_str_eq(var(vars, "RCTTOP_DURATION"), "");
    cr_assert_str_eq(var(vars, "RCTTOP_VALUE"), "3.1 V");
    cr_assert_str_eq(var(vars, "RCTTOP_LABEL"), "127.0.0.1");
    cr_assert_str_eq(var(vars, "RCTTOP_SERIAL"), "");
}
