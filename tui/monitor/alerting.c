/* The monitor's alerts: see alerting.h. */
#include "tui/monitor/alerting.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/core/towers.h"
#include "tui/alerts/hook.h"
#include "tui/monitor/app.h"

struct alerting {
    struct alert_engine engine;
    struct hook_runner *hook;
    bool ring_bell;
    int64_t judged_second;
    bool ever_current;             /* the device answered once: offline means something */
    struct alert_device dev;
};

static void hook_said(void *ctx, const char *line)
{
    struct app *app = ctx;
    knows_link_note(&app->knows, line);
    app->dirty = true;
}

bool alerting_open(struct app *app, const struct alert_settings *settings)
{
    struct alerting *a = calloc(1, sizeof *a);
    if (!a) {
        fprintf(stderr, "rcttop: out of memory\n");
        return false;
    }
    alert_engine_init(&a->engine, settings);
    a->ring_bell = settings->ring_bell;
    if (settings->command[0]) {
        char why[400];
        if (!hook_check_command(settings->command, why, sizeof why)) {
            fprintf(stderr, "rcttop: --on-alert: %s\n", why);
            free(a);
            return false;
        }
        a->hook = hook_runner_new(app->base, settings->command, settings->hook_timeout_s, hook_said, app);
    }
    snprintf(a->dev.address, sizeof a->dev.address, "%s", app->opt->demo ? "demo" : app->opt->host);
    snprintf(a->dev.label, sizeof a->dev.label, "%.63s", app->opt->device_label);
    app->alerting = a;
    return true;
}

void alerting_forget(struct app *app)
{
    if (!app->alerting)
        return;
    struct alert_settings keep = app->alerting->engine.settings;
    alert_engine_init(&app->alerting->engine, &keep);
    app->alerting->ever_current = false;
}

void alerting_close(struct app *app)
{
    if (!app->alerting)
        return;
    hook_runner_free(app->alerting->hook);
    free(app->alerting);
    app->alerting = NULL;
}

void alerting_tick(struct app *app)
{
    struct alerting *a = app->alerting;
    if (!a)
        return;
    int64_t now = session_unix_ms() / 1000;
    if (now == a->judged_second)
        return;
    a->judged_second = now;
    struct monitor_knows *k = &app->knows;
    enum link_state state = session_state(app->session);
    bool current = knows_data_current(k, state);
    const char *detail = session_state_detail(app->session);
    /* Offline is only news about a device that was online: not the moments of connecting. */
    a->ever_current |= current;
    struct alert_input in = {.now_unix = now, .online_known = a->ever_current,
                             .online = current, .offline_cause = detail && detail[0] ? detail : "no answer",
                             .findings_current = current, .findings = k->findings,
                             .nfindings = k->nfindings, .soc = NAN, .towers = -1};
    int64_t read_at;
    in.faults_current = knows_faults_current(k, app->store, state, &read_at);
    memcpy(in.fault_words, k->fault_words, sizeof in.fault_words);
    double soc;
    if (current && app_is_fresh(app, "battery.soc") && app_number(app, "battery.soc", &soc))
        in.soc = soc;
    int which[TOWERS_MAX];
    if (current && tower_state(app->store, 0) != TOWER_NOT_READ)
        in.towers = towers_none(app->store) ? 0 : towers_present(app->store, which);
    time_t t = (time_t)now;
    struct tm tm;
    in.local_minute = localtime_r(&t, &tm) ? tm.tm_hour * 60 + tm.tm_min : -1;
    static struct alert_event events[32];  /* not on the stack: large and mostly unused */
    size_t n = alert_engine_tick(&a->engine, &in, events, 32);
    k->alerts_firing = alert_engine_firing(&a->engine, &k->alerts_serious);
    static struct rct_value v;
    const struct rct_oid_info *sn = rct_registry_by_name("inverter_sn");
    if (!a->dev.serial[0] && store_value(app->store, sn->oid, &v) && v.type == RCT_TYPE_STRING)
        rct_sanitize(v.u.s.text, v.u.s.len, a->dev.serial, sizeof a->dev.serial);
    for (size_t i = 0; i < n; i++) {
        knows_alert_add(k, &events[i]);
        app_note(app, "alert %s: %s", alert_state_name(events[i].state), events[i].message);
        /* The bell: once for each alert into warning or critical, never for the rest. */
        if (a->ring_bell && events[i].state == ALERT_FIRING &&
            (events[i].severity == HEALTH_WARNING || events[i].severity == HEALTH_CRITICAL))
            beep();
        if (a->hook && !app->replay)
            hook_runner_fire(a->hook, &events[i], &a->dev);
        app->dirty = true;
    }
}
