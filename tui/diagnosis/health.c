/* The diagnosis: the rules' ids, and running them (every rule, or those
 * --only names) into findings, worst first. The rules themselves are in rules_*.c. */
#include "tui/diagnosis/health.h"

#include <stdio.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/towers.h"
#include "tui/diagnosis/rules.h"

const char *health_severity_name(enum health_severity s)
{
    static const char *const names[] = {"ok", "info", "warning", "critical", "pending"};
    return (unsigned)s < 5 ? names[s] : "?";
}

static const char *const rule_ids[] = {
    "faults", "battery.soh", "battery.cells", "battery.temperature", "battery.resistance",
    "battery.modules", "battery.history", "insulation", "grid.voltage", "grid.frequency",
    "pv.strings", "clock", "events", "energy.counters", "link", NULL};

const char *const *health_rule_ids(void)
{
    return rule_ids;
}

bool health_names_valid(const char *names, bool findings_too, char *bad, size_t cap)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", names);
    bool any = false;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        bool known = false;
        for (int i = 0; rule_ids[i] && !known; i++)
            known = health_ids_match(tok, rule_ids[i]) || (findings_too && health_ids_match(rule_ids[i], tok));
        if (!known) {
            snprintf(bad, cap, "%s", tok);
            return false;
        }
        any = true;
    }
    if (!any)
        snprintf(bad, cap, "%s", names);
    return any;
}

/* Verdicts first, worst first; then what is only information, then what waits for input. */
static int rank(enum health_severity s)
{
    switch (s) {
    case HEALTH_CRITICAL: return 4;
    case HEALTH_WARNING: return 3;
    case HEALTH_OK: return 2;
    case HEALTH_INFO: return 1;
    default: return 0;
    }
}

static int worst_first(const void *a, const void *b)
{
    const struct health_finding *x = a, *y = b;
    return rank(y->severity) - rank(x->severity);
}

size_t health_evaluate(const struct health_input *in, const struct health_thresholds *t,
                       const char *only, struct health_finding *out, size_t max)
{
    struct rule_ctx c = {in, t, only, out, 0, max, {0}};
    devclock_judge(&c.clock, in->clock_mode, in->store);
    static const struct { const char *id; void (*run)(struct rule_ctx *); } rules[] = {
        {"faults", rule_faults}, {"battery.soh", rule_soh}, {"battery.cells", rule_cells},
        {"battery.temperature", rule_temperature}, {"battery.resistance", rule_resistance},
        {"battery.modules", rule_modules}, {"battery.history", rule_history},
        {"insulation", rule_insulation}, {"grid", rule_grid}, {"pv.strings", rule_pv},
        {"clock", rule_clock}, {"events", rule_events}, {"energy.counters", rule_counters},
        {"link", rule_link},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        bool run = rule_wanted(&c, rules[i].id);
        if (!run && !strcmp(rules[i].id, "grid"))
            run = rule_wanted(&c, "grid.voltage") || rule_wanted(&c, "grid.frequency");
        if (run)
            rules[i].run(&c);
    }
    health_sort_worst_first(out, c.n);
    return c.n;
}

void health_sort_worst_first(struct health_finding *f, size_t n)
{
    /* Stable: insertion sort keeps each severity's findings in rule order. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && worst_first(&f[j - 1], &f[j]) > 0; j--) {
            struct health_finding tmp = f[j];
            f[j] = f[j - 1];
            f[j - 1] = tmp;
        }
}

enum health_severity health_worst(const struct health_finding *f, size_t n)
{
    enum health_severity w = HEALTH_OK;
    for (size_t i = 0; i < n; i++)
        if ((f[i].severity == HEALTH_WARNING || f[i].severity == HEALTH_CRITICAL) && f[i].severity > w)
            w = f[i].severity;
    return w;
}

size_t health_needed_oids(const struct store *store, uint32_t *out, size_t max)
{
    static const char *const fixed[] = {
        "battery.soh", "battery.bms_sn", "power_mng.n_batteries", "iso_struct.Riso", "iso_struct.r_min",
        "iso_struct.Rp", "iso_struct.Rn", "grid_mon[0].u_under.threshold",
        "grid_mon[0].u_over.threshold", "grid_mon[0].f_under.threshold",
        "grid_mon[0].f_over.threshold", "grid_mon[1].u_under.threshold",
        "grid_mon[1].u_over.threshold", "grid_mon[1].f_under.threshold",
        "grid_mon[1].f_over.threshold", "g_sync.u_l_rms[0]", "g_sync.u_l_rms[1]",
        "g_sync.u_l_rms[2]", "grid_pll[0].f", "dc_conv.dc_conv_struct[0].p_dc_lp",
        "dc_conv.dc_conv_struct[1].p_dc_lp", "dc_conv.dc_conv_struct[0].u_sg_lp",
        "dc_conv.dc_conv_struct[1].u_sg_lp", "dc_conv.dc_conv_struct[0].enabled",
        "dc_conv.dc_conv_struct[1].enabled", "flash_rtc.time_stamp",
        "flash_rtc.flag_time_auto_switch", "battery.soc", "battery.current", "g_sync.p_acc_lp",
        "battery_placeholder[0].bms_sn"};
    size_t n = 0;
    for (unsigned w = 0; w < 4 && n < max; w++)
        out[n++] = rct_fault_word_oid(w);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < max; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(fixed[i]);
        if (info)
            out[n++] = info->oid;
    }
    /* Every slot's serial and cells say which modules there are; the details only of
     * those (an empty slot, or a device without a battery, is not asked for them). The
     * other tower's slots only once it answered its serial. */
    static const char *const per_module[] = {"module_sn", "cells", "cells_resist", "cells_stat"};
    for (int t = 0; t < TOWERS_MAX; t++) {
        /* The first round asks the towers' own figures only: a device without a battery
         * is found out by three OIDs, not by every slot's. */
        if (!store || !tower_worth_asking(store, t))
            continue;
        /* The other tower's own figures (the first's are in the fixed list). */
        static const char *const own[] = {"soh", "soc", "current"};
        for (size_t k = 0; t && k < 3 && n < max; k++) {
            const struct rct_oid_info *info = tower_oid(t, own[k]);
            if (info)
                out[n++] = info->oid;
        }
        for (int m = 0; m < TOWER_SLOTS; m++)
            for (size_t k = 0; k < 4 && n < max; k++) {
                if (k >= 2 && !tower_module_present(store, t, m))
                    break;
                const struct rct_oid_info *info = tower_slot_oid(t, per_module[k], m);
                if (info)
                    out[n++] = info->oid;
            }
    }
    const char *const *total_names = health_total_names();
    for (int i = 0; total_names[i] && n < max; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(total_names[i]);
        if (info)
            out[n++] = info->oid;
    }
    return n;
}
