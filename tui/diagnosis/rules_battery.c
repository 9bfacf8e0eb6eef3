/* The battery's rules: state of health, cell voltages, temperatures and resistances,
 * the modules present and the BMS's own history counters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/diagnosis/rules.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

void rule_soh(struct rule_ctx *c)
{
    double soh;
    if (!rule_num(c, "battery.soh", &soh)) {
        rule_not_available(c, "battery.soh", "battery.soh", "battery.soh");
        return;
    }
    enum health_severity s = soh < c->t->soh_critical ? HEALTH_CRITICAL
                             : soh < c->t->soh_warning ? HEALTH_WARNING : HEALTH_OK;
    char title[96];
    snprintf(title, sizeof title, "battery state of health %.0f %%", soh);
    struct health_finding *f = rule_add(c, "battery.soh", s, title, "SOH %.1f %% (warning below %.0f %%, "
                                   "critical below %.0f %%)", soh, c->t->soh_warning, c->t->soh_critical);
    rule_evidence(f, "battery.soh", "%.1f %%", soh);
}

/* Modules are the slots with a serial or cells, never power_mng.n_batteries (its meaning
 * is not documented: it may count towers). */
static bool present(const struct rule_ctx *c, int m)
{
    return health_module_present(c->in->store, m);
}

/* battery.WHAT[m] of a module present (false for an empty slot). */
static bool module_value(const struct rule_ctx *c, const char *what, int m, struct rct_value *v,
                         char *name, size_t cap)
{
    return present(c, m) && rule_module_value(c, what, m, v, name, cap);
}

/* Why a per-module rule has no module to judge: details not read, no battery at all, or
 * slots not read yet. */
static void no_modules(struct rule_ctx *c, const char *id, const char *what, const char *probe)
{
    bool any = false, pending = false;
    for (int m = 0; m < MODULES_MAX; m++) {
        char name[48];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        any |= present(c, m);
        pending |= rule_input_state(c, name) == RULE_INPUT_PENDING;
    }
    if (any || pending) {
        rule_not_available(c, id, what, any ? probe : "battery.module_sn[0]");
        return;
    }
    if (rule_input_state(c, "battery.module_sn[0]") != RULE_INPUT_READ) {
        rule_not_available(c, id, what, "battery.module_sn[0]");
        return;
    }
    char title[96];
    snprintf(title, sizeof title, "%s: no battery modules", id);
    rule_add(c, id, HEALTH_INFO, title, "no slot holds a serial or cells (battery.module_sn[0..%d], "
             "battery.cells[0..%d])", MODULES_MAX - 1, MODULES_MAX - 1);
}

void rule_cells(struct rule_ctx *c)
{
    static struct rct_value v;
    int read = 0;
    int all_lo = 100000, all_hi = 0, all_lo_m = 0, all_hi_m = 0;
    for (int m = 0; m < MODULES_MAX; m++) {
        char name[48];
        if (!module_value(c, "cells", m, &v, name, sizeof name))
            continue;
        read++;
        int lo = 0, hi = 0;
        for (int k = 1; k < RCT_BAT_CELLS; k++) {
            if (v.u.cells[k].millivolt < v.u.cells[lo].millivolt) lo = k;
            if (v.u.cells[k].millivolt > v.u.cells[hi].millivolt) hi = k;
        }
        int spread = v.u.cells[hi].millivolt - v.u.cells[lo].millivolt;
        if (v.u.cells[lo].millivolt < all_lo) { all_lo = v.u.cells[lo].millivolt; all_lo_m = m; }
        if (v.u.cells[hi].millivolt > all_hi) { all_hi = v.u.cells[hi].millivolt; all_hi_m = m; }
        enum health_severity s = spread > c->t->cell_spread_critical_mv ? HEALTH_CRITICAL
                                 : spread > c->t->cell_spread_warning_mv ? HEALTH_WARNING : HEALTH_OK;
        char id[48], title[128];
        snprintf(id, sizeof id, "battery.cells.module%d", m);
        snprintf(title, sizeof title, "cell spread %d mV (module %d)", spread, m);
        struct health_finding *f = rule_add(c, id, s, title,
            "module %d: cell %d lowest at %.3f V, cell %d highest at %.3f V, spread %d mV "
            "(warning above %.0f mV, critical above %.0f mV)", m, lo + 1,
            v.u.cells[lo].millivolt / 1000.0, hi + 1, v.u.cells[hi].millivolt / 1000.0, spread,
            c->t->cell_spread_warning_mv, c->t->cell_spread_critical_mv);
        rule_evidence(f, name, "cells %d..%d mV", v.u.cells[lo].millivolt, v.u.cells[hi].millivolt);
        rule_evidence(f, "cell spread", "%d mV", spread);
    }
    if (!read) {
        no_modules(c, "battery.cells", "battery.cells[N]", "battery.cells[0]");
        return;
    }
    if (read > 1) {
        int spread = all_hi - all_lo;
        enum health_severity s = spread > c->t->cell_spread_critical_mv ? HEALTH_WARNING : HEALTH_OK;
        char title[96];
        snprintf(title, sizeof title, "cell spread across modules %d mV", spread);
        struct health_finding *f = rule_add(c, "battery.cells.across", s, title,
            "lowest cell in module %d (%.3f V), highest in module %d (%.3f V)", all_lo_m,
            all_lo / 1000.0, all_hi_m, all_hi / 1000.0);
        rule_evidence(f, "cell spread across modules", "%d mV", spread);
    }
}

void rule_temperature(struct rule_ctx *c)
{
    static struct rct_value v;
    int read = 0;
    for (int m = 0; m < MODULES_MAX; m++) {
        char name[48];
        if (!module_value(c, "cells", m, &v, name, sizeof name))
            continue;
        read++;
        int lo = 255, hi = 0;
        for (int k = 0; k < RCT_BAT_CELLS; k++) {
            lo = v.u.cells[k].temp_c < lo ? v.u.cells[k].temp_c : lo;
            hi = v.u.cells[k].temp_c > hi ? v.u.cells[k].temp_c : hi;
        }
        enum health_severity s = hi > c->t->cell_temp_critical ? HEALTH_CRITICAL
                                 : hi > c->t->cell_temp_high || lo < c->t->cell_temp_low ||
                                   hi - lo > c->t->cell_temp_spread ? HEALTH_WARNING : HEALTH_OK;
        char id[48], title[128];
        snprintf(id, sizeof id, "battery.temperature.module%d", m);
        snprintf(title, sizeof title, "cell temperatures %d..%d °C (module %d)", lo, hi, m);
        struct health_finding *f = rule_add(c, id, s, title,
            "module %d: %d..%d °C, spread %d °C (limits %.0f..%.0f °C, critical above %.0f °C, "
            "spread %.0f °C)", m, lo, hi, hi - lo, c->t->cell_temp_low, c->t->cell_temp_high,
            c->t->cell_temp_critical, c->t->cell_temp_spread);
        rule_evidence(f, name, "%d..%d °C", lo, hi);
    }
    if (!read)
        no_modules(c, "battery.temperature", "battery.cells[N]", "battery.cells[0]");
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void rule_resistance(struct rule_ctx *c)
{
    static struct rct_value v;
    int read = 0;
    for (int m = 0; m < MODULES_MAX; m++) {
        char name[48];
        if (!module_value(c, "cells_resist", m, &v, name, sizeof name))
            continue;
        read++;
        double r[RCT_BAT_CELLS], sorted[RCT_BAT_CELLS];
        for (int k = 0; k < RCT_BAT_CELLS; k++)
            sorted[k] = r[k] = v.u.resistance_raw[k] / 256.0;
        qsort(sorted, RCT_BAT_CELLS, sizeof sorted[0], by_value);
        double median = (sorted[11] + sorted[12]) / 2;
        int worst = 0;
        for (int k = 1; k < RCT_BAT_CELLS; k++)
            if (r[k] > r[worst])
                worst = k;
        bool outlier = median > 0 && r[worst] > median * c->t->resistance_outlier;
        char id[48], title[128];
        snprintf(id, sizeof id, "battery.resistance.module%d", m);
        if (outlier)
            snprintf(title, sizeof title, "weak cell %d in module %d (%.2f mOhm)", worst + 1, m, r[worst]);
        else
            snprintf(title, sizeof title, "cell resistances even (module %d)", m);
        struct health_finding *f = rule_add(c, id, outlier ? HEALTH_WARNING : HEALTH_OK, title,
            "module %d: median %.2f mOhm, highest %.2f mOhm (cell %d); warning above %.1f x the median",
            m, median, r[worst], worst + 1, c->t->resistance_outlier);
        rule_evidence(f, name, "median %.2f, max %.2f mOhm", median, r[worst]);
    }
    if (!read)
        no_modules(c, "battery.resistance", "battery.cells_resist[N]", "battery.cells_resist[0]");
}

void rule_modules(struct rule_ctx *c)
{
    static struct rct_value v;
    int serials = 0, modules = 0, read = 0;
    for (int m = 0; m < MODULES_MAX; m++) {
        char name[48];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        if (rule_input_state(c, name) == RULE_INPUT_PENDING) {
            /* A count of serials from some of the slots is no verdict. */
            rule_pending(c, "battery.modules", "battery.module_sn[0..6]");
            return;
        }
        modules += present(c, m);
        if (!rule_module_value(c, "module_sn", m, &v, name, sizeof name))
            continue;
        read++;
        if (v.type == RCT_TYPE_STRING && v.u.s.len > 0 && v.u.s.text[0] != '\0')
            serials++;
    }
    if (!read) {
        rule_not_available(c, "battery.modules", "battery.module_sn[N]", "battery.module_sn[0]");
        return;
    }
    /* power_mng.n_batteries is shown raw beside the count, never judged against it. */
    double n;
    char raw[64] = "not read";
    if (rule_num(c, "power_mng.n_batteries", &n))
        snprintf(raw, sizeof raw, "%.0f", n);
    char title[128];
    if (!modules)
        snprintf(title, sizeof title, "no battery modules");
    else if (serials == modules)
        snprintf(title, sizeof title, "%d battery module%s, all with a serial", modules, modules == 1 ? "" : "s");
    else
        snprintf(title, sizeof title, "%d battery modules, %d with a serial", modules, serials);
    struct health_finding *f = rule_add(c, "battery.modules", modules ? HEALTH_OK : HEALTH_INFO, title,
        "modules are the slots with a serial or cells: battery.module_sn[0..%d] hold %d serials, "
        "%d slots are populated; power_mng.n_batteries = %s, shown raw (its meaning is not "
        "documented: it may count towers)", MODULES_MAX - 1, serials, modules, raw);
    rule_evidence(f, "power_mng.n_batteries (raw)", "%s", raw);
    rule_evidence(f, "serials present", "%d", serials);
    rule_evidence(f, "modules present", "%d", modules);
}

void rule_history(struct rule_ctx *c)
{
    static struct rct_value v;
    int read = 0;
    for (int m = 0; m < MODULES_MAX; m++) {
        char name[48], id[48], title[128], lo[40], hi[40];
        if (!module_value(c, "cells_stat", m, &v, name, sizeof name))
            continue;
        read++;
        snprintf(id, sizeof id, "battery.history.module%d", m);
        snprintf(title, sizeof title, "BMS extremes (module %d): %.3f..%.3f V", m,
                 (double)v.u.stats.u_min.value, (double)v.u.stats.u_max.value);
        timearg_format(v.u.stats.u_min.ts, false, lo, sizeof lo);
        timearg_format(v.u.stats.u_max.ts, false, hi, sizeof hi);
        struct health_finding *f = rule_add(c, id, HEALTH_INFO, title,
            "lowest cell voltage %.3f V (cell %u) at %s, highest %.3f V (cell %u) at %s; "
            "temperatures %.0f..%.0f °C", (double)v.u.stats.u_min.value, v.u.stats.u_min.cell + 1,
            v.u.stats.u_min.ts ? lo : "never", (double)v.u.stats.u_max.value,
            v.u.stats.u_max.cell + 1, v.u.stats.u_max.ts ? hi : "never",
            (double)v.u.stats.t_min.value, (double)v.u.stats.t_max.value);
        rule_evidence(f, name, "%.3f..%.3f V", (double)v.u.stats.u_min.value, (double)v.u.stats.u_max.value);
    }
    if (!read)
        no_modules(c, "battery.history", "battery.cells_stat[N]", "battery.cells_stat[0]");
}
