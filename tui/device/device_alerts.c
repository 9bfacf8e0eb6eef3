/* A device's alerts: see device_alerts.h. */
#include "tui/device/device_alerts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/core/towers.h"
#include "tui/alerts/hook.h"
#include "tui/device/device.h"

struct device_alerts {
    struct alert_engine engine;
    struct hook_runner *hook;
    int64_t judged_second;
    bool ever_current;             /* the device answered once: offline means something */
    struct alert_device dev;
};

static void hook_said(void *ctx, const char *line)
{
    struct device *dev = ctx;
    knows_link_note(&dev->knows, line);
    if (dev->listener.changed)
        dev->listener.changed(dev->listener.ctx, dev);
}

bool device_alerts_open(struct device *dev, const struct alert_settings *settings, char *err,
                        size_t cap)
{
    struct device_alerts *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, cap, "out of memory");
        return false;
    }
    alert_engine_init(&a->engine, settings);
    if (settings->command[0]) {
        char why[400];
        if (!hook_check_command(settings->command, why, sizeof why)) {
            snprintf(err, cap, "--on-alert: %s", why);
            free(a);
            return false;
        }
        a->hook = hook_runner_new(dev->base, settings->command, settings->hook_timeout_s, hook_said, dev);
    }
    alert_device_init(&a->dev, dev->opt.demo ? NULL : dev->opt.host, dev->opt.port, dev->opt.label);
    dev->alerts = a;
    return true;
}

void device_alerts_forget(struct device *dev)
{
    if (!dev->alerts)
        return;
    struct alert_settings keep = dev->alerts->engine.settings;
    alert_engine_init(&dev->alerts->engine, &keep);
    dev->alerts->ever_current = false;
}

void device_alerts_close(struct device *dev)
{
    if (!dev->alerts)
        return;
    hook_runner_free(dev->alerts->hook);
    free(dev->alerts);
    dev->alerts = NULL;
}

void device_alerts_tick(struct device *dev)
{
    struct device_alerts *a = dev->alerts;
    if (!a)
        return;
    int64_t now = session_unix_ms() / 1000;
    if (now == a->judged_second)
        return;
    a->judged_second = now;
    struct device_knows *k = &dev->knows;
    enum link_state state = session_state(dev->session);
    bool current = knows_data_current(k, state);
    const char *detail = session_state_detail(dev->session);
    /* Offline is only news about a device that was online: not the moments of connecting. */
    a->ever_current |= current;
    struct alert_input in = {.now_unix = now, .online_known = a->ever_current,
                             .online = current, .offline_cause = detail && detail[0] ? detail : "no answer",
                             .findings_current = current, .findings = k->findings,
                             .nfindings = k->nfindings, .soc = NAN, .towers = -1};
    int64_t read_at;
    in.faults_current = knows_faults_current(k, dev->store, state, &read_at);
    memcpy(in.fault_words, k->fault_words, sizeof in.fault_words);
    double soc;
    if (current && knows_fresh(dev->store, "battery.soc") && knows_number(dev->store, "battery.soc", &soc))
        in.soc = soc;
    int which[TOWERS_MAX];
    if (current && tower_state(dev->store, 0) != TOWER_NOT_READ)
        in.towers = towers_none(dev->store) ? 0 : towers_present(dev->store, which);
    time_t t = (time_t)now;
    struct tm tm;
    in.local_minute = localtime_r(&t, &tm) ? tm.tm_hour * 60 + tm.tm_min : -1;
    static struct alert_event events[32];  /* not on the stack: large and mostly unused */
    size_t n = alert_engine_tick(&a->engine, &in, events, 32);
    k->alerts_firing = alert_engine_firing(&a->engine, &k->alerts_serious);
    static struct rct_value v;
    const struct rct_oid_info *sn = rct_registry_by_name("inverter_sn");
    if (!a->dev.serial[0] && store_value(dev->store, sn->oid, &v) && v.type == RCT_TYPE_STRING)
        rct_sanitize(v.u.s.text, v.u.s.len, a->dev.serial, sizeof a->dev.serial);
    for (size_t i = 0; i < n; i++) {
        knows_alert_add(k, &events[i]);
        if (dev->listener.alert)
            dev->listener.alert(dev->listener.ctx, dev, &events[i]);
        if (a->hook && !dev->opt.replay)
            hook_runner_fire(a->hook, &events[i], &a->dev);
    }
}
