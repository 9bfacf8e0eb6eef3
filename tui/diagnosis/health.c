/* The diagnosis: the rules' one table (id, what it judges, what it
 * reads, the function), and running them into findings, worst first. The rules
 * themselves are in rules_*.c. */
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

/* What each rule reads, beside the per-slot inputs of the battery rules (those depend on
 * the towers found: see health_needed_oids). */
static const char *const faults_needs[] = {"fault[0].flt", "fault[1].flt", "fault[2].flt", "fault[3].flt", NULL};
/* The towers' serials say which towers there are, for every battery rule. */
static const char *const soh_needs[] = {"battery.soh", "battery.bms_sn", "battery_placeholder[0].bms_sn", NULL};
static const char *const cells_needs[] = {"battery.soc", "battery.current", NULL};
static const char *const modules_needs[] = {"power_mng.n_batteries", NULL};
static const char *const insulation_needs[] = {"iso_struct.Riso", "iso_struct.r_min", "iso_struct.Rp",
                                               "iso_struct.Rn", NULL};
static const char *const voltage_needs[] = {
    "grid_mon[0].u_under.threshold", "grid_mon[0].u_over.threshold", "grid_mon[1].u_under.threshold",
    "grid_mon[1].u_over.threshold", "g_sync.u_l_rms[0]", "g_sync.u_l_rms[1]", "g_sync.u_l_rms[2]", NULL};
static const char *const frequency_needs[] = {
    "grid_mon[0].f_under.threshold", "grid_mon[0].f_over.threshold", "grid_mon[1].f_under.threshold",
    "grid_mon[1].f_over.threshold", "grid_pll[0].f", NULL};
static const char *const pv_needs[] = {
    "dc_conv.dc_conv_struct[0].p_dc_lp", "dc_conv.dc_conv_struct[1].p_dc_lp",
    "dc_conv.dc_conv_struct[0].u_sg_lp", "dc_conv.dc_conv_struct[1].u_sg_lp",
    "dc_conv.dc_conv_struct[0].enabled", "dc_conv.dc_conv_struct[1].enabled", NULL};
static const char *const clock_needs[] = {"flash_rtc.time_stamp", "flash_rtc.flag_time_auto_switch", NULL};
static const char *const nothing[] = {NULL};

/* In the order they run: each severity's findings keep it. */
static const struct health_rule rules[] = {
    {"faults", "the active fault bits, by category", faults_needs, rule_faults},
    {"battery.soh", "the state of health of each tower", soh_needs, rule_soh},
    {"battery.cells", "cell voltages and their spread, per module", cells_needs, rule_cells},
    {"battery.temperature", "cell temperatures, per module", nothing, rule_temperature},
    {"battery.resistance", "a cell far above its module's median resistance", nothing, rule_resistance},
    {"battery.modules", "the modules present and their serials", modules_needs, rule_modules},
    {"battery.history", "the BMS's own extremes, per module", nothing, rule_history},
    {"insulation", "the insulation against the device's minimum", insulation_needs, rule_insulation},
    {"grid.voltage", "each phase against the device's trip limits", voltage_needs, rule_grid_voltage},
    {"grid.frequency", "the frequency against the device's trip limits", frequency_needs, rule_grid_frequency},
    {"pv.strings", "the PV strings in use, by voltage first", pv_needs, rule_pv},
    {"clock", "the drift of the device's clock", clock_needs, rule_clock},
    {"events", "recurring events in the last 7 days", nothing, rule_events},
    {"energy.counters", "energy totals that went back", rule_energy_totals, rule_counters},
    {"link", "answers per request, round trip, another client", nothing, rule_link},
};
#define NRULES (sizeof rules / sizeof rules[0])

const struct health_rule *health_rules(size_t *n)
{
    *n = NRULES;
    return rules;
}

/* How many of the first upto rules are in the group: id's first len characters and a '.'. */
static size_t rules_in_group(const char *id, size_t len, size_t upto)
{
    size_t n = 0;
    for (size_t i = 0; i < upto; i++)
        n += !strncmp(rules[i].id, id, len) && rules[i].id[len] == '.';
    return n;
}

const char *health_rule_names(char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < NRULES && len < cap; i++) {
        /* A group of two or more rules ("battery", "grid") is named before its first. */
        const char *id = rules[i].id, *dot = strchr(id, '.');
        size_t group = dot ? (size_t)(dot - id) : 0;
        if (group && rules_in_group(id, group, i) == 0 && rules_in_group(id, group, NRULES) >= 2)
            len += (size_t)snprintf(out + len, cap - len, "%s%.*s", len ? ", " : "", (int)group, id);
        if (len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", id);
    }
    return out;
}

bool health_names_valid(const char *names, bool findings_too, char *bad, size_t cap)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", names);
    bool any = false;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        bool known = false;
        for (size_t i = 0; i < NRULES && !known; i++)
            known = health_ids_match(tok, rules[i].id) || (findings_too && health_ids_match(rules[i].id, tok));
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
    health_findings_release(out, max);
    struct rule_ctx c = {in, t, only, out, 0, max, {0}};
    devclock_judge(&c.clock, in->clock_mode, in->store);
    for (size_t i = 0; i < NRULES; i++)
        if (rule_wanted(&c, rules[i].id))
            rules[i].run(&c);
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

/* Adds the OID of name unless it is there already (rules may share an input). */
static void add_needed(const char *name, uint32_t *out, size_t *n, size_t max)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    if (!info || *n >= max)
        return;
    for (size_t i = 0; i < *n; i++)
        if (out[i] == info->oid)
            return;
    out[(*n)++] = info->oid;
}

size_t health_needed_oids(const struct store *store, uint32_t *out, size_t max)
{
    return health_needed_oids_of(store, NULL, out, max);
}

size_t health_needed_oids_of(const struct store *store, const char *only, uint32_t *out, size_t max)
{
    size_t n = 0;
    bool battery = !only || !*only;
    for (size_t r = 0; r < NRULES; r++) {
        if (only && *only && !health_ids_match(only, rules[r].id))
            continue;
        battery |= !strncmp(rules[r].id, "battery", 7);
        for (const char *const *name = rules[r].needs; *name; name++)
            add_needed(*name, out, &n, max);
    }
    if (!battery)
        return n;  /* no battery rule wanted: neither its power nor its towers' slots */
    /* The battery power is no rule's input; `check` reports it beside the verdicts. */
    add_needed("g_sync.p_acc_lp", out, &n, max);
    /* Every slot's serial and cells say which modules there are; the details only of
     * those (an empty slot, or a device without a battery, is not asked for them). The
     * other tower's slots only once it answered its serial. */
    static const char *const per_module[] = {"module_sn", "cells", "cells_resist", "cells_stat"};
    for (int t = 0; t < TOWERS_MAX; t++) {
        /* The first round asks the towers' own figures only: a device without a battery
         * is found out by three OIDs, not by every slot's. */
        if (!store || !tower_worth_asking(store, t))
            continue;
        /* The other tower's own figures (the first's are in the rules' own lists). */
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
    return n;
}
