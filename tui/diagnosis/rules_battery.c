/* The battery's rules: state of health, cell voltages, temperatures and resistances,
 * the modules present and the BMS's own history counters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/devclock.h"
#include "proto/core/towers.h"
#include "tui/diagnosis/rules.h"
#include "tui/format/valfmt.h"

/* The towers to judge: those present, or the first family alone when none is (its
 * verdicts then say why: not read yet, not supported, no modules). */
static int towers_to_judge(const struct rule_ctx *c, int *which)
{
    int n = towers_present(c->in->store, which);
    if (n == 0)
        which[n++] = 0;
    return n;
}

/* How a tower is named in titles: "" on a single-tower site, else "BMS <serial>". */
static const char *tower_words(const struct rule_ctx *c, int t, char *out, size_t cap)
{
    int which[TOWERS_MAX];
    out[0] = '\0';
    if (t != 0 || towers_present(c->in->store, which) > 1)
        tower_label(c->in->store, t, out, cap);
    return out;
}

/* A rule id for tower t: "battery.cells.module3", "battery.cells.placeholder0.module3". */
static const char *tower_id(int t, const char *rule, const char *part, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s%s%s", rule, t ? "." : "", tower_rule_part(t), *part ? "." : "", part);
    return out;
}

/* A device that knows no battery OID at all (an inverter without storage): one finding
 * says so, whichever battery rules run (--only), and they have nothing else to say: six
 * "not supported" lines would read as six faults of a battery that is not there. */
static bool no_battery(struct rule_ctx *c, const char *id)
{
    if (!towers_none(c->in->store))
        return false;
    /* Said once, by the first battery rule that runs and is not switched off. */
    if (health_ids_match(c->t->skip, id))
        return true;
    for (size_t i = 0; i < c->n && i < c->max; i++)
        if (!strcmp(c->out[i].id, "battery"))
            return true;
    static const char *const probes[] = {"battery.soc", "battery.bms_sn", "battery.soh", "battery.module_sn[0]"};
    char unknown[160] = "";
    size_t len = 0;
    for (size_t i = 0; i < sizeof probes / sizeof probes[0] && len < sizeof unknown; i++)
        if (rule_input_state(c, probes[i]) == RULE_INPUT_UNSUPPORTED)
            len += (size_t)snprintf(unknown + len, sizeof unknown - len, "%s%s", len ? ", " : "", probes[i]);
    struct health_finding *f = rule_add(c, "battery", HEALTH_INFO, "no battery (an inverter without storage)",
                                        "the device answers other requests, never %s: no battery rule has "
                                        "anything to judge", unknown);
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        if (rule_input_state(c, probes[i]) == RULE_INPUT_UNSUPPORTED)
            rule_evidence(f, probes[i], "not supported by this device");
    return true;
}

void rule_soh(struct rule_ctx *c)
{
    if (no_battery(c, "battery.soh"))
        return;
    int which[TOWERS_MAX], n = towers_to_judge(c, which);
    for (int i = 0; i < n; i++) {
        int t = which[i];
        char name[64], id[48], where[96];
        snprintf(name, sizeof name, "%s.soh", tower_family(t));
        tower_id(t, "battery.soh", "", id, sizeof id);
        double soh;
        if (!rule_num(c, name, &soh)) {
            rule_not_available(c, id, name, name);
            continue;
        }
        if (!(soh > 0 && soh <= 100)) {
            /* 0 (or beyond 100 %) is a BMS that has not measured it yet, never a dead battery. */
            char title[128];
            snprintf(title, sizeof title, "battery state of health not measured yet (%.48s = %.0f %%)", name, soh);
            struct health_finding *f = rule_add(c, id, HEALTH_INFO, title, "%s reads %.1f %%: no "
                                           "measurement yet, so no verdict", name, soh);
            rule_evidence(f, name, "%.1f %%", soh);
            continue;
        }
        enum health_severity s = soh < c->t->soh_critical ? HEALTH_CRITICAL
                                 : soh < c->t->soh_warning ? HEALTH_WARNING : HEALTH_OK;
        char title[128];
        tower_words(c, t, where, sizeof where);
        snprintf(title, sizeof title, "battery state of health %.0f %%%s%.64s%s", soh, *where ? " (" : "",
                 where, *where ? ")" : "");
        struct health_finding *f = rule_add(c, id, s, title, "SOH %.1f %% (warning below %.0f %%, "
                                       "critical below %.0f %%)", soh, c->t->soh_warning, c->t->soh_critical);
        rule_evidence(f, name, "%.1f %%", soh);
    }
}

/* Modules are the slots with a serial or cells, never power_mng.n_batteries (its meaning
 * is not documented: it may count towers). Every module of every tower present. */
struct module_ref {
    int tower, slot;
    char where[96];   /* "module 2" or "BMS 583012345, module 2" */
    char part[32];    /* "module2" */
};

static int modules_to_judge(const struct rule_ctx *c, struct module_ref *out)
{
    int which[TOWERS_MAX], nt = towers_present(c->in->store, which), n = 0;
    for (int i = 0; i < nt; i++) {
        int slots[TOWER_SLOTS], ns = tower_modules(c->in->store, which[i], slots);
        for (int k = 0; k < ns; k++) {
            struct module_ref *r = &out[n++];
            char tw[96];
            r->tower = which[i];
            r->slot = slots[k];
            tower_words(c, r->tower, tw, sizeof tw);
            snprintf(r->where, sizeof r->where, "%.80s%smodule %d", tw, *tw ? ", " : "", r->slot);
            snprintf(r->part, sizeof r->part, "module%d", r->slot);
        }
    }
    return n;
}

/* FAMILY.WHAT[slot] of a module, with its name for the evidence. */
static bool module_value(const struct rule_ctx *c, const char *what, const struct module_ref *r,
                         struct rct_value *v, char *name, size_t cap)
{
    snprintf(name, cap, "%s.%s[%d]", tower_family(r->tower), what, r->slot);
    return rule_composite(c, name, v);
}

/* Why a per-module rule has no module to judge: details not read, no battery at all, or
 * slots not read yet. */
static void no_modules(struct rule_ctx *c, const char *id, const char *what, const char *probe)
{
    if (no_battery(c, id))
        return;
    bool pending = false;
    for (int m = 0; m < TOWER_SLOTS; m++) {
        char name[48];
        snprintf(name, sizeof name, "battery.module_sn[%d]", m);
        pending |= rule_input_state(c, name) == RULE_INPUT_PENDING;
    }
    int which[TOWERS_MAX];
    bool any = towers_present(c->in->store, which) > 0;
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
             "battery.cells[0..%d])", TOWER_SLOTS - 1, TOWER_SLOTS - 1);
}

#define MODULES_ALL (TOWERS_MAX * TOWER_SLOTS)

/* Where a spread of cell voltages means something: LFP's curve is flat between about 15
 * and 90 % SOC, and at low current. Elsewhere healthy cells part by 100 mV and more (the
 * knees, top balancing, load). Says which, in words, into why. */
static bool on_the_flat(const struct rule_ctx *c, int t, char *why, size_t cap)
{
    char name[64];
    double soc, amps;
    snprintf(name, sizeof name, "%s.soc", tower_family(t));
    if (!rule_num(c, name, &soc)) {
        snprintf(why, cap, "SOC not read");
        return false;
    }
    snprintf(name, sizeof name, "%s.current", tower_family(t));
    bool current = rule_num(c, name, &amps);
    if (soc < c->t->cell_flat_soc_low || soc > c->t->cell_flat_soc_high) {
        snprintf(why, cap, "at %.0f %% SOC, outside %.0f..%.0f %% where the LFP curve is flat", soc,
                 c->t->cell_flat_soc_low, c->t->cell_flat_soc_high);
        return false;
    }
    if (current && fabs(amps) > c->t->cell_flat_current_a) {
        snprintf(why, cap, "at %.0f %% SOC under %.1f A (above %.0f A)", soc, fabs(amps),
                 c->t->cell_flat_current_a);
        return false;
    }
    snprintf(why, cap, "at %.0f %% SOC%s", soc, current ? "" : ", current not read");
    return true;
}

static bool module_has_serial(const struct rule_ctx *c, const struct module_ref *r)
{
    static struct rct_value v;
    char name[64];
    return module_value(c, "module_sn", r, &v, name, sizeof name) && v.type == RCT_TYPE_STRING &&
           v.u.s.len > 0 && v.u.s.text[0] != '\0';
}

struct cell_extremes { int lo, hi, lo_mv, hi_mv, mean_mv; };

static struct cell_extremes extremes_of(const struct rct_value *v)
{
    struct cell_extremes e = {0, 0, 0, 0, 0};
    long sum = 0;
    for (int k = 0; k < RCT_BAT_CELLS; k++) {
        if (v->u.cells[k].millivolt < v->u.cells[e.lo].millivolt) e.lo = k;
        if (v->u.cells[k].millivolt > v->u.cells[e.hi].millivolt) e.hi = k;
        sum += v->u.cells[k].millivolt;
    }
    e.lo_mv = v->u.cells[e.lo].millivolt;
    e.hi_mv = v->u.cells[e.hi].millivolt;
    e.mean_mv = (int)(sum / RCT_BAT_CELLS);
    return e;
}

/* One module's cells: absolute LFP limits always, the spread only on the flat. */
static enum health_severity judge_module_cells(struct rule_ctx *c, const struct module_ref *r,
                                               const struct rct_value *v, const char *name,
                                               bool flat, const char *flat_why)
{
    char id[48], title[128];
    tower_id(r->tower, "battery.cells", r->part, id, sizeof id);
    struct cell_extremes e = extremes_of(v);
    if (e.hi_mv == 0) {
        /* A module that has a serial but sends no cell voltage: its BMS is not reporting. */
        snprintf(title, sizeof title, "%.64s not reporting: every cell reads 0 V", r->where);
        struct health_finding *f = rule_add(c, id, HEALTH_WARNING, title,
            "%s has a serial but all %d cell voltages read 0 mV: its BMS board or the bus to "
            "it is not reporting", r->where, RCT_BAT_CELLS);
        rule_evidence(f, name, "all 0 mV");
        return HEALTH_WARNING;
    }
    double lo_v = e.lo_mv / 1000.0, hi_v = e.hi_mv / 1000.0;
    int spread = e.hi_mv - e.lo_mv;
    const struct health_thresholds *t = c->t;
    enum health_severity absolute = lo_v < t->cell_low_critical_v || hi_v > t->cell_high_critical_v ? HEALTH_CRITICAL
                                    : lo_v < t->cell_low_warning_v || hi_v > t->cell_high_warning_v ? HEALTH_WARNING
                                    : HEALTH_OK;
    enum health_severity by_spread = !flat ? (spread > t->cell_spread_warning_mv ? HEALTH_INFO : HEALTH_OK)
                                     : spread > t->cell_spread_critical_mv ? HEALTH_CRITICAL
                                     : spread > t->cell_spread_warning_mv ? HEALTH_WARNING : HEALTH_OK;
    enum health_severity s = absolute;
    if (by_spread != HEALTH_INFO && by_spread > s)
        s = by_spread;
    else if (by_spread == HEALTH_INFO && s == HEALTH_OK)
        s = HEALTH_INFO;
    bool low_side = lo_v < t->cell_low_warning_v;
    if (absolute != HEALTH_OK && absolute >= by_spread)
        snprintf(title, sizeof title, "cell %d at %.3f V, %s %.2f V (%.64s)", (low_side ? e.lo : e.hi) + 1,
                 low_side ? lo_v : hi_v, low_side ? "below" : "above",
                 low_side ? (lo_v < t->cell_low_critical_v ? t->cell_low_critical_v : t->cell_low_warning_v)
                          : (hi_v > t->cell_high_critical_v ? t->cell_high_critical_v : t->cell_high_warning_v),
                 r->where);
    else if (by_spread == HEALTH_INFO)
        snprintf(title, sizeof title, "cell spread %d mV, no verdict off the flat of the curve (%.64s)",
                 spread, r->where);
    else
        snprintf(title, sizeof title, "cell spread %d mV (%.64s)", spread, r->where);
    struct health_finding *f = rule_add(c, id, s, title,
        "%s: cell %d lowest at %.3f V, cell %d highest at %.3f V, spread %d mV %s; limits %.2f..%.2f V "
        "(warning), %.2f..%.2f V (critical); spread judged only where the LFP curve is flat "
        "(warning above %.0f mV, critical above %.0f mV)", r->where, e.lo + 1, lo_v, e.hi + 1,
        hi_v, spread, flat_why, t->cell_low_warning_v, t->cell_high_warning_v, t->cell_low_critical_v,
        t->cell_high_critical_v, t->cell_spread_warning_mv, t->cell_spread_critical_mv);
    rule_evidence(f, "lowest cell", "%.3f V", lo_v);
    rule_evidence(f, "highest cell", "%.3f V", hi_v);
    rule_evidence(f, "cell spread", "%d mV", spread);
    return s;
}

void rule_cells(struct rule_ctx *c)
{
    static struct rct_value v;
    struct module_ref mods[MODULES_ALL];
    int nmods = modules_to_judge(c, mods), read_any = 0;
    /* Module averages per tower: one weak cell moves its module's mean by 1/24 of its dip,
     * so a module sitting apart from the others is a finding of its own, never the same
     * cell counted twice. */
    int n_ok[TOWERS_MAX] = {0}, mean_lo[TOWERS_MAX], mean_hi[TOWERS_MAX];
    const struct module_ref *lo_at[TOWERS_MAX] = {0}, *hi_at[TOWERS_MAX] = {0};
    bool flat[TOWERS_MAX];
    char flat_why[TOWERS_MAX][96];
    for (int t = 0; t < TOWERS_MAX; t++) {
        mean_lo[t] = 100000, mean_hi[t] = 0;
        flat[t] = on_the_flat(c, t, flat_why[t], sizeof flat_why[t]);
    }
    for (int i = 0; i < nmods; i++) {
        const struct module_ref *r = &mods[i];
        char name[64];
        if (!module_value(c, "cells", r, &v, name, sizeof name))
            continue;
        read_any++;
        if (extremes_of(&v).hi_mv == 0 && !module_has_serial(c, r))
            continue;
        enum health_severity s = judge_module_cells(c, r, &v, name, flat[r->tower], flat_why[r->tower]);
        struct cell_extremes e = extremes_of(&v);
        if (e.hi_mv == 0 || s == HEALTH_WARNING || s == HEALTH_CRITICAL)
            continue;
        n_ok[r->tower]++;
        if (e.mean_mv < mean_lo[r->tower]) { mean_lo[r->tower] = e.mean_mv; lo_at[r->tower] = r; }
        if (e.mean_mv > mean_hi[r->tower]) { mean_hi[r->tower] = e.mean_mv; hi_at[r->tower] = r; }
    }
    if (!read_any) {
        no_modules(c, "battery.cells", "battery.cells[N]", "battery.cells[0]");
        return;
    }
    for (int t = 0; t < TOWERS_MAX; t++) {
        if (n_ok[t] < 2)
            continue;
        int apart = mean_hi[t] - mean_lo[t];
        enum health_severity s = apart <= c->t->cell_spread_warning_mv ? HEALTH_OK
                                 : flat[t] ? HEALTH_WARNING : HEALTH_INFO;
        char id[48], title[128];
        tower_id(t, "battery.cells", "across", id, sizeof id);
        snprintf(title, sizeof title, "module averages %d mV apart%s", apart,
                 s == HEALTH_INFO ? " (no verdict off the flat)" : "");
        struct health_finding *f = rule_add(c, id, s, title,
            "lowest module average in %s (%.3f V), highest in %s (%.3f V), %s; modules with a "
            "finding of their own are left out (warning above %.0f mV where the curve is flat)",
            lo_at[t]->where, mean_lo[t] / 1000.0, hi_at[t]->where, mean_hi[t] / 1000.0, flat_why[t],
            c->t->cell_spread_warning_mv);
        rule_evidence(f, "module averages apart", "%d mV", apart);
    }
}

void rule_temperature(struct rule_ctx *c)
{
    static struct rct_value v;
    struct module_ref mods[MODULES_ALL];
    int nmods = modules_to_judge(c, mods), read = 0;
    for (int i = 0; i < nmods; i++) {
        const struct module_ref *r = &mods[i];
        char name[64];
        if (!module_value(c, "cells", r, &v, name, sizeof name))
            continue;
        read++;
        int lo = 127, hi = -128;
        for (int k = 0; k < RCT_BAT_CELLS; k++) {
            lo = v.u.cells[k].temp_c < lo ? v.u.cells[k].temp_c : lo;
            hi = v.u.cells[k].temp_c > hi ? v.u.cells[k].temp_c : hi;
        }
        /* Cold is normal for LFP in winter: information down to 0 °C (charging is derated
         * below about 5 °C), a warning below it (LFP must not be charged below 0 °C). */
        enum health_severity s = hi > c->t->cell_temp_critical ? HEALTH_CRITICAL
                                 : hi > c->t->cell_temp_high || lo < 0 ||
                                   hi - lo > c->t->cell_temp_spread ? HEALTH_WARNING
                                 : lo < c->t->cell_temp_low ? HEALTH_INFO : HEALTH_OK;
        char id[48], title[128];
        tower_id(r->tower, "battery.temperature", r->part, id, sizeof id);
        snprintf(title, sizeof title, "cell temperatures %d..%d °C%s (%.64s)", lo, hi,
                 s == HEALTH_INFO ? ", cold: charging derated" : "", r->where);
        struct health_finding *f = rule_add(c, id, s, title,
            "%s: %d..%d °C, spread %d °C (warning above %.0f °C, below 0 °C or a spread above "
            "%.0f °C, critical above %.0f °C; below %.0f °C only information: LFP charging is "
            "derated when cold)", r->where, lo, hi, hi - lo, c->t->cell_temp_high,
            c->t->cell_temp_spread, c->t->cell_temp_critical, c->t->cell_temp_low);
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
    struct module_ref mods[MODULES_ALL];
    int nmods = modules_to_judge(c, mods), read = 0;
    for (int i = 0; i < nmods; i++) {
        const struct module_ref *ref = &mods[i];
        char name[64];
        if (!module_value(c, "cells_resist", ref, &v, name, sizeof name))
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
        tower_id(ref->tower, "battery.resistance", ref->part, id, sizeof id);
        if (outlier)
            snprintf(title, sizeof title, "weak cell %d in %.64s (%.2f mOhm)", worst + 1, ref->where, r[worst]);
        else
            snprintf(title, sizeof title, "cell resistances even (%.64s)", ref->where);
        struct health_finding *f = rule_add(c, id, outlier ? HEALTH_WARNING : HEALTH_OK, title,
            "%s: median %.2f mOhm, highest %.2f mOhm (cell %d); warning above %.1f x the median",
            ref->where, median, r[worst], worst + 1, c->t->resistance_outlier);
        rule_evidence(f, name, "median %.2f, max %.2f mOhm", median, r[worst]);
    }
    if (!read)
        no_modules(c, "battery.resistance", "battery.cells_resist[N]", "battery.cells_resist[0]");
}

void rule_modules(struct rule_ctx *c)
{
    static struct rct_value v;
    int serials = 0, modules = 0, read = 0, unanswered_n = 0;
    char unanswered[64] = "";
    if (no_battery(c, "battery.modules"))
        return;
    int which[TOWERS_MAX], ntowers = towers_present(c->in->store, which);
    for (int t = 0; t < TOWERS_MAX; t++) {
        /* The other family counts only once it answered (a single tower may not know it). */
        if (t > 0 && tower_state(c->in->store, t) != TOWER_PRESENT)
            continue;
        for (int m = 0; m < TOWER_SLOTS; m++) {
            char name[64];
            snprintf(name, sizeof name, "%s.module_sn[%d]", tower_family(t), m);
            enum rule_input state = rule_input_state(c, name);
            if (state == RULE_INPUT_PENDING) {
                /* A count of serials from some of the slots is no verdict. */
                rule_pending(c, "battery.modules", "battery.module_sn[0..6]");
                return;
            }
            if (state == RULE_INPUT_NO_ANSWER && unanswered_n++ == 0)
                snprintf(unanswered, sizeof unanswered, "%s", name);
            modules += tower_module_present(c->in->store, t, m);
            if (!rule_composite(c, name, &v))
                continue;
            read++;
            if (v.type == RCT_TYPE_STRING && v.u.s.len > 0 && v.u.s.text[0] != '\0')
                serials++;
        }
    }
    if (!read) {
        rule_not_available(c, "battery.modules", "battery.module_sn[N]", "battery.module_sn[0]");
        return;
    }
    if (unanswered_n) {
        /* A count is only a count when every slot was read. */
        char title[128];
        snprintf(title, sizeof title, "%d battery module%s found, %d slot%s unanswered: no count",
                 modules, modules == 1 ? "" : "s", unanswered_n, unanswered_n == 1 ? "" : "s");
        struct health_finding *f = rule_add(c, "battery.modules", HEALTH_INFO, title,
            "%d of the module_sn slots did not answer (the first: %s), so how many modules "
            "there are is not known", unanswered_n, unanswered);
        rule_evidence(f, "slots unanswered", "%d", unanswered_n);
        return;
    }
    /* power_mng.n_batteries is shown raw beside the count, never judged against it. */
    double n;
    char raw[64] = "not read";
    if (rule_num(c, "power_mng.n_batteries", &n))
        snprintf(raw, sizeof raw, "%.0f", n);
    char title[128], towers[48] = "";
    if (ntowers > 1)
        snprintf(towers, sizeof towers, " in %d towers", ntowers);
    if (!modules)
        snprintf(title, sizeof title, "no battery modules");
    else if (serials == modules)
        snprintf(title, sizeof title, "%d battery module%s%s, all with a serial", modules,
                 modules == 1 ? "" : "s", towers);
    else
        snprintf(title, sizeof title, "%d battery modules%s, %d with a serial", modules, towers, serials);
    struct health_finding *f = rule_add(c, "battery.modules", modules ? HEALTH_OK : HEALTH_INFO, title,
        "modules are the slots with a serial or cells: the module_sn[0..%d] slots hold %d serials, "
        "%d slots are populated; power_mng.n_batteries = %s, shown raw (its meaning is not "
        "documented: it may count towers)", TOWER_SLOTS - 1, serials, modules, raw);
    rule_evidence(f, "power_mng.n_batteries (raw)", "%s", raw);
    rule_evidence(f, "serials present", "%d", serials);
    rule_evidence(f, "modules present", "%d", modules);
    for (int i = 0; i < ntowers; i++) {
        char label[80];
        rule_evidence(f, tower_family(which[i]), "%s", tower_label(c->in->store, which[i], label, sizeof label));
    }
}

void rule_history(struct rule_ctx *c)
{
    static struct rct_value v;
    struct module_ref mods[MODULES_ALL];
    int nmods = modules_to_judge(c, mods), read = 0;
    for (int i = 0; i < nmods; i++) {
        const struct module_ref *r = &mods[i];
        char name[64], id[48], title[128], lo[40], hi[40];
        if (!module_value(c, "cells_stat", r, &v, name, sizeof name))
            continue;
        read++;
        tower_id(r->tower, "battery.history", r->part, id, sizeof id);
        snprintf(title, sizeof title, "BMS extremes (%.64s): %.3f..%.3f V", r->where,
                 (double)v.u.stats.u_min.value, (double)v.u.stats.u_max.value);
        devclock_format(&c->clock, v.u.stats.u_min.ts, lo, sizeof lo);
        devclock_format(&c->clock, v.u.stats.u_max.ts, hi, sizeof hi);
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
