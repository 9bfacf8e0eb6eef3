/* The simulator's schedule: state that changes at given times (faults raised and cleared,
 * silence, a cell dropping, the charge), so what watches a device can be tested end to
 * end. A write from a client never changes anything; only this schedule does. */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/sim/sim.h"
#include "proto/sim/sim_internal.h"

static bool number(const char *text, double min, double max, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !(v >= min && v <= max))
        return false;
    *out = v;
    return true;
}

bool sim_action_parse(const char *text, struct sim_action *out, char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    char copy[96];
    snprintf(copy, sizeof copy, "%s", text);
    char *colon = strchr(copy, ':');
    if (!colon) {
        snprintf(why, cap, "'%.60s' is not SECONDS:WHAT (e.g. 20:fault=16)", text);
        return false;
    }
    *colon = '\0';
    if (!number(copy, 0, 86400 * 7, &out->at_s)) {
        snprintf(why, cap, "'%.40s' is not a number of seconds from 0", copy);
        return false;
    }
    char *what = colon + 1, *eq = strchr(what, '=');
    char *arg = eq ? eq + 1 : NULL;
    if (eq)
        *eq = '\0';
    double v;
    if (!strcmp(what, "fault") || !strcmp(what, "clear")) {
        if (!arg || !number(arg, 0, 127, &v) || v != (int)v) {
            snprintf(why, cap, "%s= wants a fault bit 0..127", what);
            return false;
        }
        out->kind = !strcmp(what, "fault") ? SIM_ACT_FAULT : SIM_ACT_CLEAR;
        out->bit = (int)v;
    } else if (!strcmp(what, "silent") || !strcmp(what, "answer") || !strcmp(what, "cell-ok")) {
        out->kind = !strcmp(what, "silent") ? SIM_ACT_SILENT : !strcmp(what, "answer") ? SIM_ACT_ANSWER
                                                                                     : SIM_ACT_CELL_OK;
        if (arg) {
            snprintf(why, cap, "%s takes no value", what);
            return false;
        }
    } else if (!strcmp(what, "soc")) {
        if (!arg || !number(arg, 1, 100, &out->value)) {
            snprintf(why, cap, "soc= wants a percentage 1..100");
            return false;
        }
        out->kind = SIM_ACT_SOC;
    } else if (!strcmp(what, "cell-low")) {
        /* [TOWER:]MODULE:MV */
        int t = 1, m, mv;
        char tail;
        if (!arg || (sscanf(arg, "%d:%d:%d%c", &t, &m, &mv, &tail) != 3 &&
                     (t = 1, sscanf(arg, "%d:%d%c", &m, &mv, &tail) != 2)) ||
            t < 1 || t > 2 || m < 0 || m > 6 || mv < 1 || mv > 3000) {
            snprintf(why, cap, "cell-low= wants [TOWER:]MODULE:MV (e.g. 1:150)");
            return false;
        }
        out->kind = SIM_ACT_CELL_LOW;
        out->tower = t - 1;
        out->module = m;
        out->value = mv;
    } else {
        snprintf(why, cap, "unknown action '%.40s' (fault=BIT, clear=BIT, silent, answer, "
                           "cell-low=[T:]M:MV, cell-ok, soc=PCT)", what);
        return false;
    }
    return true;
}

static void apply(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct sim_armed *a = arg;
    struct sim *sim = a->sim;
    const struct sim_action *act = &sim->cfg.actions[a->index];
    struct sim_conditions *cond = &sim->cfg.cond;
    switch (act->kind) {
    case SIM_ACT_FAULT: sim->cfg.faults[act->bit / 32] |= 1u << (act->bit % 32); break;
    case SIM_ACT_CLEAR: sim->cfg.faults[act->bit / 32] &= ~(1u << (act->bit % 32)); break;
    case SIM_ACT_SILENT: sim->silent = true; break;
    case SIM_ACT_ANSWER: sim->silent = false; break;
    case SIM_ACT_CELL_LOW:
        cond->cell_low_tower = act->tower;
        cond->cell_low_module = act->module;
        cond->cell_low_mv = act->value;
        break;
    case SIM_ACT_CELL_OK: cond->cell_low_mv = 0; break;
    case SIM_ACT_SOC: cond->soc_hold = act->value / 100.0; break;
    }
    static const char *const names[] = {"fault raised", "fault cleared", "silent", "answering again",
                                        "a cell low", "cells even", "SOC held"};
    if (sim->unit_number)
        fprintf(stderr, "[sim] unit %u at %.0f s: %s", (unsigned)sim->unit_number, act->at_s,
                names[act->kind]);
    else
        fprintf(stderr, "[sim] at %.0f s: %s", act->at_s, names[act->kind]);
    if (act->kind == SIM_ACT_FAULT || act->kind == SIM_ACT_CLEAR)
        fprintf(stderr, " (bit %d)", act->bit);
    fputc('\n', stderr);
}

void sim_script_start(struct sim *sim)
{
    for (size_t i = 0; i < sim->cfg.nactions && i < SIM_ACTIONS_MAX; i++) {
        sim->armed[i] = (struct sim_armed){sim, i};
        sim->action_timers[i] = evtimer_new(sim->base, apply, &sim->armed[i]);
        double at = sim->cfg.actions[i].at_s;
        struct timeval tv = {(time_t)at, (suseconds_t)((at - (double)(time_t)at) * 1e6)};
        if (sim->action_timers[i])
            evtimer_add(sim->action_timers[i], &tv);
    }
}

void sim_script_free(struct sim *sim)
{
    for (size_t i = 0; i < SIM_ACTIONS_MAX; i++)
        if (sim->action_timers[i]) {
            event_free(sim->action_timers[i]);
            sim->action_timers[i] = NULL;
        }
}
