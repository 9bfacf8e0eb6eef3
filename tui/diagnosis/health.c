/* The diagnosis rules. Each reads what it needs from the store, says "info: not
 * available" when the device did not answer its inputs, and otherwise gives one verdict
 * per thing it judges, naming the numbers and the limit it used. */
#include "tui/diagnosis/health.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

#define MODULES_MAX 7
#define WEEK_S (7 * 86400)

const char *health_severity_name(enum health_severity s)
{
    static const char *const names[] = {"ok", "info", "warning", "critical"};
    return (unsigned)s < 4 ? names[s] : "?";
}

void health_default_thresholds(struct health_thresholds *t)
{
    t->soh_warning = 80;              /* typical warranty: 80 % after 10 years */
    t->soh_critical = 70;
    t->cell_spread_warning_mv = 50;   /* LFP cells in balance stay within ~20-30 mV */
    t->cell_spread_critical_mv = 100;
    t->cell_temp_low = 5;             /* LFP charging below ~5 °C is derated */
    t->cell_temp_high = 45;           /* datasheets: operation up to 45-50 °C */
    t->cell_temp_critical = 55;
    t->cell_temp_spread = 8;
    t->resistance_outlier = 1.5;
    t->riso_margin = 2.0;             /* the device's own r_min is the hard limit */
    t->grid_margin_percent = 10;      /* of the band between the device's trip limits */
    t->pv_string_min_w = 500;
    t->clock_warning_s = 300;
    t->event_recurrences = 3;
    t->answer_ratio_warning = 0.9;
    t->rtt_warning_ms = 1000;
    t->foreign_per_minute = 6;
}

static const char *const rule_ids[] = {
    "faults", "battery.soh", "battery.cells", "battery.temperature", "battery.resistance",
    "battery.modules", "battery.history", "insulation", "grid.voltage", "grid.frequency",
    "pv.strings", "clock", "events", "energy.counters", "link", NULL};

const char *const *health_rule_ids(void)
{
    return rule_ids;
}

static const char *const total_names[] = {
    "energy.e_ac_total", "energy.e_load_total", "energy.e_grid_feed_total",
    "energy.e_grid_load_total", "energy.e_dc_total[0]", "energy.e_dc_total[1]", NULL};

const char *const *health_total_names(void)
{
    return total_names;
}

struct ctx {
    const struct health_input *in;
    const struct health_thresholds *t;
    const char *only;
    struct health_finding *out;
    size_t n, max;
};

static bool wanted(const struct ctx *c, const char *id)
{
    if (!c->only || !*c->only)
        return true;
    const char *p = c->only;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len && strncmp(id, p, len) == 0 && (id[len] == '\0' || id[len] == '.'))
            return true;
        p += len + (comma ? 1 : 0);
    }
    return false;
}

static struct health_finding *add(struct ctx *c, const char *id, enum health_severity sev,
                                  const char *title, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static struct health_finding *add(struct ctx *c, const char *id, enum health_severity sev,
                                  const char *title, const char *fmt, ...)
{
    static struct health_finding dummy;
    if (c->n >= c->max)
        return &dummy;
    struct health_finding *f = &c->out[c->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->id, sizeof f->id, "%s", id);
    f->severity = sev;
    snprintf(f->title, sizeof f->title, "%s", title);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    va_end(ap);
    return f;
}

static void evidence(struct health_finding *f, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void evidence(struct health_finding *f, const char *name, const char *fmt, ...)
{
    if (f->nevidence >= HEALTH_EVIDENCE_MAX)
        return;
    struct health_evidence *e = &f->evidence[f->nevidence++];
    snprintf(e->name, sizeof e->name, "%s", name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->value, sizeof e->value, fmt, ap);
    va_end(ap);
}

static void not_available(struct ctx *c, const char *id, const char *what)
{
    char title[96];
    snprintf(title, sizeof title, "%s: not available", id);
    add(c, id, HEALTH_INFO, title, "the device did not answer %s", what);
}

/* A number as shown (fractions as percent); false when the device has not sent it. */
static bool num(const struct ctx *c, const char *name, double *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    if (!info || !store_number(c->in->store, info->oid, v) || !isfinite(*v))
        return false;
    if (valfmt_is_fraction(info))
        *v *= 100.0;
    return true;
}

static bool composite(const struct ctx *c, const char *name, struct rct_value *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    return info && store_value(c->in->store, info->oid, v);
}

/* battery.WHAT[m] of one module, with its name for the evidence. */
static bool module_value(const struct ctx *c, const char *what, int m, struct rct_value *v,
                         char *name, size_t cap)
{
    snprintf(name, cap, "battery.%s[%d]", what, m);
    return composite(c, name, v);
}

/* ---- the rules ---------------------------------------------------------------------- */

static enum health_severity fault_severity(const char *category)
{
    if (!strcmp(category, "information"))
        return HEALTH_INFO;
    if (!strcmp(category, "grid") || !strcmp(category, "communication"))
        return HEALTH_WARNING;
    return HEALTH_CRITICAL;  /* hardware, battery, PV / insulation */
}

static void rule_faults(struct ctx *c)
{
    uint32_t words[4];
    for (unsigned w = 0; w < 4; w++) {
        double v;
        if (!store_number(c->in->store, rct_fault_word_oid(w), &v)) {
            not_available(c, "faults", "fault[0..3].flt");
            return;
        }
        words[w] = (uint32_t)v;
    }
    int active = 0;
    for (unsigned bit = 0; bit < 128; bit++) {
        if (!(words[bit / 32] & (1u << (bit % 32))))
            continue;
        active++;
        const char *label = rct_fault_label(bit), *cat = rct_fault_category(bit);
        char id[32], title[128], word[32];
        snprintf(id, sizeof id, "faults.bit%u", bit);
        snprintf(title, sizeof title, "fault %u: %s", bit, label ? label : "(no label known)");
        struct health_finding *f = add(c, id, fault_severity(cat), title,
                                       "fault[%u].flt bit %u is set (%s)", bit / 32, bit % 32, cat);
        snprintf(word, sizeof word, "fault[%u].flt", bit / 32);
        evidence(f, word, "0x%08X", words[bit / 32]);
    }
    if (!active) {
        struct health_finding *f = add(c, "faults", HEALTH_OK, "no active faults",
                                       "fault[0..3].flt are all zero");
        evidence(f, "fault[0].flt", "0x%08X", words[0]);
    }
}

static void rule_soh(struct ctx *c)
{
    double soh;
    if (!num(c, "battery.soh", &soh)) {
        not_available(c, "battery.soh", "battery.soh");
        return;
    }
    enum health_severity s = soh < c->t->soh_critical ? HEALTH_CRITICAL
                             : soh < c->t->soh_warning ? HEALTH_WARNING : HEALTH_OK;
    char title[96];
    snprintf(title, sizeof title, "battery state of health %.0f %%", soh);
    struct health_finding *f = add(c, "battery.soh", s, title, "SOH %.1f %% (warning below %.0f %%, "
                                   "critical below %.0f %%)", soh, c->t->soh_warning, c->t->soh_critical);
    evidence(f, "battery.soh", "%.1f %%", soh);
}

static int module_count(const struct ctx *c)
{
    double n;
    if (num(c, "power_mng.n_batteries", &n) && n >= 1 && n <= MODULES_MAX)
        return (int)n;
    return 1;
}

static void rule_cells(struct ctx *c)
{
    static struct rct_value v;
    int modules = module_count(c), read = 0;
    int all_lo = 100000, all_hi = 0, all_lo_m = 0, all_hi_m = 0;
    for (int m = 0; m < modules; m++) {
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
        struct health_finding *f = add(c, id, s, title,
            "module %d: cell %d lowest at %.3f V, cell %d highest at %.3f V, spread %d mV "
            "(warning above %.0f mV, critical above %.0f mV)", m, lo + 1,
            v.u.cells[lo].millivolt / 1000.0, hi + 1, v.u.cells[hi].millivolt / 1000.0, spread,
            c->t->cell_spread_warning_mv, c->t->cell_spread_critical_mv);
        evidence(f, name, "cells %d..%d mV", v.u.cells[lo].millivolt, v.u.cells[hi].millivolt);
        evidence(f, "cell spread", "%d mV", spread);
    }
    if (!read) {
        not_available(c, "battery.cells", "battery.cells[N]");
        return;
    }
    if (read > 1) {
        int spread = all_hi - all_lo;
        enum health_severity s = spread > c->t->cell_spread_critical_mv ? HEALTH_WARNING : HEALTH_OK;
        char title[96];
        snprintf(title, sizeof title, "cell spread across modules %d mV", spread);
        struct health_finding *f = add(c, "battery.cells.across", s, title,
            "lowest cell in module %d (%.3f V), highest in module %d (%.3f V)", all_lo_m,
            all_lo / 1000.0, all_hi_m, all_hi / 1000.0);
        evidence(f, "cell spread across modules", "%d mV", spread);
    }
}

static void rule_temperature(struct ctx *c)
{
    static struct rct_value v;
    int modules = module_count(c), read = 0;
    for (int m = 0; m < modules; m++) {
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
        struct health_finding *f = add(c, id, s, title,
            "module %d: %d..%d °C, spread %d °C (limits %.0f..%.0f °C, critical above %.0f °C, "
            "spread %.0f °C)", m, lo, hi, hi - lo, c->t->cell_temp_low, c->t->cell_temp_high,
            c->t->cell_temp_critical, c->t->cell_temp_spread);
        evidence(f, name, "%d..%d °C", lo, hi);
    }
    if (!read)
        not_available(c, "battery.temperature", "battery.cells[N]");
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void rule_resistance(struct ctx *c)
{
    static struct rct_value v;
    int modules = module_count(c), read = 0;
    for (int m = 0; m < modules; m++) {
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
        struct health_finding *f = add(c, id, outlier ? HEALTH_WARNING : HEALTH_OK, title,
            "module %d: median %.2f mOhm, highest %.2f mOhm (cell %d); warning above %.1f x the median",
            m, median, r[worst], worst + 1, c->t->resistance_outlier);
        evidence(f, name, "median %.2f, max %.2f mOhm", median, r[worst]);
    }
    if (!read)
        not_available(c, "battery.resistance", "battery.cells_resist[N]");
}

static void rule_modules(struct ctx *c)
{
    double n;
    if (!num(c, "power_mng.n_batteries", &n)) {
        not_available(c, "battery.modules", "power_mng.n_batteries");
        return;
    }
    static struct rct_value v;
    int present = 0, read = 0;
    for (int m = 0; m < MODULES_MAX; m++) {
        char name[48];
        if (!module_value(c, "module_sn", m, &v, name, sizeof name))
            continue;
        read++;
        if (v.type == RCT_TYPE_STRING && v.u.s.len > 0 && v.u.s.text[0] != '\0')
            present++;
    }
    if (!read) {
        not_available(c, "battery.modules", "battery.module_sn[N]");
        return;
    }
    bool match = present == (int)n;
    char title[96];
    if (match)
        snprintf(title, sizeof title, "%d battery modules, all with a serial", present);
    else
        snprintf(title, sizeof title, "%.0f modules reported, %d serials present", n, present);
    struct health_finding *f = add(c, "battery.modules", match ? HEALTH_OK : HEALTH_WARNING, title,
        "power_mng.n_batteries = %.0f; battery.module_sn[0..%d] hold %d serials", n,
        MODULES_MAX - 1, present);
    evidence(f, "power_mng.n_batteries", "%.0f", n);
    evidence(f, "serials present", "%d", present);
}

static void rule_history(struct ctx *c)
{
    static struct rct_value v;
    int modules = module_count(c), read = 0;
    for (int m = 0; m < modules; m++) {
        char name[48], id[48], title[128], lo[40], hi[40];
        if (!module_value(c, "cells_stat", m, &v, name, sizeof name))
            continue;
        read++;
        snprintf(id, sizeof id, "battery.history.module%d", m);
        snprintf(title, sizeof title, "BMS extremes (module %d): %.3f..%.3f V", m,
                 (double)v.u.stats.u_min.value, (double)v.u.stats.u_max.value);
        timearg_format(v.u.stats.u_min.ts, false, lo, sizeof lo);
        timearg_format(v.u.stats.u_max.ts, false, hi, sizeof hi);
        struct health_finding *f = add(c, id, HEALTH_INFO, title,
            "lowest cell voltage %.3f V (cell %u) at %s, highest %.3f V (cell %u) at %s; "
            "temperatures %.0f..%.0f °C", (double)v.u.stats.u_min.value, v.u.stats.u_min.cell + 1,
            v.u.stats.u_min.ts ? lo : "never", (double)v.u.stats.u_max.value,
            v.u.stats.u_max.cell + 1, v.u.stats.u_max.ts ? hi : "never",
            (double)v.u.stats.t_min.value, (double)v.u.stats.t_max.value);
        evidence(f, name, "%.3f..%.3f V", (double)v.u.stats.u_min.value, (double)v.u.stats.u_max.value);
    }
    if (!read)
        not_available(c, "battery.history", "battery.cells_stat[N]");
}

static void rule_insulation(struct ctx *c)
{
    double riso, rmin, rp = NAN, rn = NAN;
    if (!num(c, "iso_struct.Riso", &riso) || !num(c, "iso_struct.r_min", &rmin) || rmin <= 0) {
        not_available(c, "insulation", "iso_struct.Riso and a usable iso_struct.r_min");
        return;
    }
    num(c, "iso_struct.Rp", &rp);
    num(c, "iso_struct.Rn", &rn);
    enum health_severity s = riso < rmin ? HEALTH_CRITICAL
                             : riso < rmin * c->t->riso_margin ? HEALTH_WARNING : HEALTH_OK;
    char title[128];
    snprintf(title, sizeof title, "insulation %.0f kOhm (the device's minimum %.0f kOhm)", riso / 1000,
             rmin / 1000);
    struct health_finding *f = add(c, "insulation", s, title,
        "iso_struct.Riso %.0f kOhm against iso_struct.r_min %.0f kOhm (warning below %.1f x r_min)",
        riso / 1000, rmin / 1000, c->t->riso_margin);
    evidence(f, "iso_struct.Riso", "%.0f Ohm", riso);
    evidence(f, "iso_struct.r_min", "%.0f Ohm", rmin);
    if (isfinite(rp))
        evidence(f, "iso_struct.Rp", "%.0f Ohm", rp);
    if (isfinite(rn))
        evidence(f, "iso_struct.Rn", "%.0f Ohm", rn);
}

/* How a reading sits in the band between two trip limits. */
static void band(struct ctx *c, const char *id, const char *name, const char *what, double v,
                 double under, double over, const char *unit)
{
    double width = over - under, margin = fmin(v - under, over - v);
    double pct = width > 0 ? 100.0 * margin / width : 0;
    enum health_severity s = margin < 0 ? HEALTH_CRITICAL
                             : pct < c->t->grid_margin_percent ? HEALTH_WARNING : HEALTH_OK;
    char title[128];
    if (margin < 0)
        snprintf(title, sizeof title, "%s %.2f %s outside the trip limits", what, v, unit);
    else
        snprintf(title, sizeof title, "%s %.2f %s, %.0f %% of the band from a trip limit", what, v,
                 unit, pct);
    struct health_finding *f = add(c, id, s, title,
        "%s = %.2f %s; the device trips below %.2f and above %.2f %s (warning within %.0f %% of "
        "the band)", name, v, unit, under, over, unit, c->t->grid_margin_percent);
    evidence(f, name, "%.2f %s", v, unit);
    evidence(f, "trip limits", "%.2f..%.2f %s", under, over, unit);
}

static void rule_grid(struct ctx *c)
{
    double under, over, v;
    bool voltage_limits = num(c, "grid_mon[0].u_under.threshold", &under) &&
                          num(c, "grid_mon[0].u_over.threshold", &over);
    if (wanted(c, "grid.voltage") && !voltage_limits) {
        not_available(c, "grid.voltage", "grid_mon[0].u_under/u_over.threshold");
    } else if (wanted(c, "grid.voltage")) {
        for (int p = 0; p < 3; p++) {
            char name[40], id[32], what[32];
            snprintf(name, sizeof name, "g_sync.u_l_rms[%d]", p);
            snprintf(id, sizeof id, "grid.voltage.L%d", p + 1);
            snprintf(what, sizeof what, "L%d", p + 1);
            if (num(c, name, &v))
                band(c, id, name, what, v, under, over, "V");
            else
                not_available(c, id, name);
        }
    }
    if (!wanted(c, "grid.frequency"))
        return;
    if (!num(c, "grid_mon[0].f_under.threshold", &under) ||
        !num(c, "grid_mon[0].f_over.threshold", &over) || !num(c, "grid_pll[0].f", &v)) {
        not_available(c, "grid.frequency", "grid_pll[0].f and grid_mon[0].f_under/f_over");
        return;
    }
    band(c, "grid.frequency", "grid_pll[0].f", "frequency", v, under, over, "Hz");
}

static void rule_pv(struct ctx *c)
{
    double a, b;
    if (!num(c, "dc_conv.dc_conv_struct[0].p_dc_lp", &a) ||
        !num(c, "dc_conv.dc_conv_struct[1].p_dc_lp", &b)) {
        not_available(c, "pv.strings", "dc_conv.dc_conv_struct[0..1].p_dc_lp");
        return;
    }
    double hi = fmax(a, b), lo = fmin(a, b);
    bool dead = hi > c->t->pv_string_min_w && lo < 10;
    char title[128];
    if (dead)
        snprintf(title, sizeof title, "PV string %s produces nothing while %s makes %.0f W",
                 a < b ? "A" : "B", a < b ? "B" : "A", hi);
    else
        snprintf(title, sizeof title, "PV strings A %.0f W, B %.0f W", a, b);
    struct health_finding *f = add(c, "pv.strings", dead ? HEALTH_WARNING : HEALTH_OK, title,
        "string A %.0f W, string B %.0f W (warning when one is below 10 W while the other is "
        "above %.0f W: daylight, so a string, a connector or an MPP tracker is out)", a, b,
        c->t->pv_string_min_w);
    evidence(f, "dc_conv.dc_conv_struct[0].p_dc_lp", "%.0f W", a);
    evidence(f, "dc_conv.dc_conv_struct[1].p_dc_lp", "%.0f W", b);
    double ua, ub;
    if (num(c, "dc_conv.dc_conv_struct[0].u_sg_lp", &ua))
        evidence(f, "dc_conv.dc_conv_struct[0].u_sg_lp", "%.1f V", ua);
    if (num(c, "dc_conv.dc_conv_struct[1].u_sg_lp", &ub))
        evidence(f, "dc_conv.dc_conv_struct[1].u_sg_lp", "%.1f V", ub);
}

static void rule_clock(struct ctx *c)
{
    const struct rct_oid_info *info = rct_registry_by_name("flash_rtc.time_stamp");
    const struct store_entry *e = store_get(c->in->store, info->oid);
    if (!e || !e->has_number || e->number < 946684800.0) {
        not_available(c, "clock", "flash_rtc.time_stamp");
        return;
    }
    int64_t offset = (int64_t)e->number - e->updated_unix;
    bool off = llabs(offset) > (long long)c->t->clock_warning_s;
    char title[128], span[32], when[40];
    timearg_span_words(offset, span, sizeof span);
    if (llabs(offset) < 60)
        snprintf(title, sizeof title, "device clock within a minute of the host");
    else
        snprintf(title, sizeof title, "device clock %s %s", span, offset < 0 ? "behind" : "ahead");
    struct health_finding *f = add(c, "clock", off ? HEALTH_WARNING : HEALTH_OK, title,
        "flash_rtc.time_stamp %s against the host's %s (warning beyond %.0f s; the device's "
        "logs and 'today' follow its clock)", timearg_format((int64_t)e->number, false, when, sizeof when),
        offset < 0 ? "clock, behind" : "clock, ahead", c->t->clock_warning_s);
    evidence(f, "flash_rtc.time_stamp", "%.0f", e->number);
    evidence(f, "clock offset", "%lld s", (long long)offset);
}

static void rule_events(struct ctx *c)
{
    if (!c->in->events_read) {
        not_available(c, "events", "the event table (logger.error_log_time_stamp)");
        return;
    }
    /* Kinds that recur on a troubled site, by event type (= fault bit). */
    static const struct { const char *kind; unsigned types[10]; } kinds[] = {
        {"grid losses", {90, 89, 126, 0}},
        {"resets", {118, 0}},
        {"switch-on conditions not met", {79, 80, 81, 82, 83, 84, 87, 88, 0}},
    };
    int64_t since = c->in->now_unix - WEEK_S;
    bool any = false;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int count = 0;
        int64_t last = 0;
        for (size_t i = 0; i < c->in->nevents; i++) {
            const struct rct_event_row *r = &c->in->events[i];
            if ((int64_t)r->ts < since)
                continue;
            for (int t = 0; kinds[k].types[t]; t++)
                if (r->type == kinds[k].types[t]) {
                    count++;
                    if ((int64_t)r->ts > last)
                        last = r->ts;
                }
        }
        if (count < c->t->event_recurrences)
            continue;
        any = true;
        char id[48], title[128], when[40];
        snprintf(id, sizeof id, "events.%s", k == 0 ? "grid_losses" : k == 1 ? "resets" : "switch_on");
        snprintf(title, sizeof title, "%d %s in 7 days", count, kinds[k].kind);
        struct health_finding *f = add(c, id, HEALTH_WARNING, title,
            "%d %s in the event log of the last 7 days, the last at %s (warning from %d)", count,
            kinds[k].kind, timearg_format(last, false, when, sizeof when), c->t->event_recurrences);
        evidence(f, kinds[k].kind, "%d", count);
        evidence(f, "last", "%s", when);
    }
    if (!any) {
        struct health_finding *f = add(c, "events", HEALTH_OK, "no recurring events in 7 days",
                                       "%zu events in the last 7 days, none recurring %d times",
                                       c->in->nevents, c->t->event_recurrences);
        evidence(f, "events read", "%zu", c->in->nevents);
    }
}

static void rule_counters(struct ctx *c)
{
    if (!c->in->totals_before) {
        not_available(c, "energy.counters", "two reads of the energy totals");
        return;
    }
    bool any = false, read = false;
    for (int i = 0; total_names[i]; i++) {
        double now;
        double before = c->in->totals_before[i];
        if (!isfinite(before) || !num(c, total_names[i], &now))
            continue;
        read = true;
        /* Feed-in totals are negative and grow downwards: compare magnitudes. */
        if (fabs(now) + 0.5 >= fabs(before))
            continue;
        any = true;
        char id[64], title[128];
        snprintf(id, sizeof id, "energy.counters.%s", total_names[i] + 7);
        snprintf(title, sizeof title, "%s went backwards", total_names[i]);
        struct health_finding *f = add(c, id, HEALTH_WARNING, title,
            "%s was %.0f Wh and is now %.0f Wh (a reset, a firmware update, or a fault)",
            total_names[i], before, now);
        evidence(f, total_names[i], "%.0f -> %.0f Wh", before, now);
    }
    if (!read)
        not_available(c, "energy.counters", "the energy totals");
    else if (!any)
        add(c, "energy.counters", HEALTH_OK, "energy totals only grow",
            "every energy total read twice grew or stayed");
}

static void rule_link(struct ctx *c)
{
    const struct session_counters *k = c->in->link;
    if (!k || k->requests == 0) {
        not_available(c, "link", "any request (no link counters)");
        return;
    }
    if (k->answers == 0) {
        struct health_finding *f = add(c, "link.silent", HEALTH_CRITICAL,
            "connected but silent: no answer at all",
            "%llu requests and not one answer: the device's network stack may be hung "
            "(a cold restart of the inverter is known to help)", (unsigned long long)k->requests);
        evidence(f, "requests", "%llu", (unsigned long long)k->requests);
        return;
    }
    double ratio = (double)k->answers / (double)k->requests;
    double per_min = c->in->link_minutes > 0 ? (double)k->foreign / c->in->link_minutes : 0;
    enum health_severity s = ratio < c->t->answer_ratio_warning ? HEALTH_WARNING : HEALTH_OK;
    if (c->in->srtt_ms > c->t->rtt_warning_ms)
        s = HEALTH_WARNING;
    char title[128];
    snprintf(title, sizeof title, "%.0f %% of requests answered, round trip %.0f ms", 100 * ratio,
             c->in->srtt_ms);
    struct health_finding *f = add(c, "link", s, title,
        "%llu requests, %llu answers, %llu timeouts, %llu CRC errors; smoothed round trip %.0f ms "
        "(warning below %.0f %% answered or above %.0f ms)", (unsigned long long)k->requests,
        (unsigned long long)k->answers, (unsigned long long)k->timeouts,
        (unsigned long long)k->crc_errors, c->in->srtt_ms, 100 * c->t->answer_ratio_warning,
        c->t->rtt_warning_ms);
    evidence(f, "answer ratio", "%.2f", ratio);
    evidence(f, "round trip", "%.0f ms", c->in->srtt_ms);
    if (per_min > c->t->foreign_per_minute) {
        char t2[128];
        snprintf(t2, sizeof t2, "another client polls the device (%.0f answers a minute)", per_min);
        struct health_finding *g = add(c, "link.other_client", HEALTH_INFO, t2,
            "%llu answers to requests rcttop did not send in %.1f min: the vendor portal, an app "
            "or a home automation system is polling too; the device serves one request at a time",
            (unsigned long long)k->foreign, c->in->link_minutes);
        evidence(g, "foreign answers", "%llu", (unsigned long long)k->foreign);
        evidence(g, "unsolicited frames", "%llu", (unsigned long long)k->unsolicited);
    }
}

/* ---- driving ------------------------------------------------------------------------- */

static int worst_first(const void *a, const void *b)
{
    const struct health_finding *x = a, *y = b;
    return (int)y->severity - (int)x->severity;
}

size_t health_evaluate(const struct health_input *in, const struct health_thresholds *t,
                       const char *only, struct health_finding *out, size_t max)
{
    struct ctx c = {in, t, only, out, 0, max};
    static const struct { const char *id; void (*run)(struct ctx *); } rules[] = {
        {"faults", rule_faults}, {"battery.soh", rule_soh}, {"battery.cells", rule_cells},
        {"battery.temperature", rule_temperature}, {"battery.resistance", rule_resistance},
        {"battery.modules", rule_modules}, {"battery.history", rule_history},
        {"insulation", rule_insulation}, {"grid", rule_grid}, {"pv.strings", rule_pv},
        {"clock", rule_clock}, {"events", rule_events}, {"energy.counters", rule_counters},
        {"link", rule_link},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        bool run = wanted(&c, rules[i].id);
        if (!run && !strcmp(rules[i].id, "grid"))
            run = wanted(&c, "grid.voltage") || wanted(&c, "grid.frequency");
        if (run)
            rules[i].run(&c);
    }
    /* Stable: insertion sort keeps each severity's findings in rule order. */
    for (size_t i = 1; i < c.n; i++)
        for (size_t j = i; j > 0 && worst_first(&out[j - 1], &out[j]) > 0; j--) {
            struct health_finding tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return c.n;
}

enum health_severity health_worst(const struct health_finding *f, size_t n)
{
    enum health_severity w = HEALTH_OK;
    for (size_t i = 0; i < n; i++)
        if (f[i].severity > w && f[i].severity != HEALTH_INFO)
            w = f[i].severity;
    return w;
}

size_t health_needed_oids(uint32_t *out, size_t max)
{
    static const char *const fixed[] = {
        "battery.soh", "power_mng.n_batteries", "iso_struct.Riso", "iso_struct.r_min",
        "iso_struct.Rp", "iso_struct.Rn", "grid_mon[0].u_under.threshold",
        "grid_mon[0].u_over.threshold", "grid_mon[0].f_under.threshold",
        "grid_mon[0].f_over.threshold", "g_sync.u_l_rms[0]", "g_sync.u_l_rms[1]",
        "g_sync.u_l_rms[2]", "grid_pll[0].f", "dc_conv.dc_conv_struct[0].p_dc_lp",
        "dc_conv.dc_conv_struct[1].p_dc_lp", "dc_conv.dc_conv_struct[0].u_sg_lp",
        "dc_conv.dc_conv_struct[1].u_sg_lp", "flash_rtc.time_stamp", "battery.soc",
        "g_sync.p_acc_lp"};
    size_t n = 0;
    for (unsigned w = 0; w < 4 && n < max; w++)
        out[n++] = rct_fault_word_oid(w);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < max; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(fixed[i]);
        if (info)
            out[n++] = info->oid;
    }
    static const char *const per_module[] = {"cells", "cells_resist", "cells_stat", "module_sn"};
    for (int m = 0; m < MODULES_MAX; m++)
        for (size_t k = 0; k < 4 && n < max; k++) {
            char name[48];
            snprintf(name, sizeof name, "battery.%s[%d]", per_module[k], m);
            const struct rct_oid_info *info = rct_registry_by_name(name);
            if (info)
                out[n++] = info->oid;
        }
    for (int i = 0; total_names[i] && n < max; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(total_names[i]);
        if (info)
            out[n++] = info->oid;
    }
    return n;
}
