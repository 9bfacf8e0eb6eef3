/* The check's report: perfdata, user thresholds, text and JSON. */
#include "tui/commands/check_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/core/towers.h"
#include "tui/format/json.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

bool check_range_parse(const char *text, struct check_range *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->text, sizeof out->text, "%s", text);
    if (strlen(text) >= sizeof out->text)
        return false;
    const char *p = text;
    if (*p == '@') {
        out->inside = true;
        p++;
    }
    const char *colon = strchr(p, ':');
    char *end;
    out->start = 0;
    out->end = INFINITY;
    if (!colon) {
        out->end = strtod(p, &end);
        return end != p && *end == '\0' && isfinite(out->end);
    }
    if (p[0] == '~' && p + 1 == colon)
        out->start = -INFINITY;
    else {
        out->start = strtod(p, &end);
        if (end == p || end != colon || !isfinite(out->start))
            return false;
    }
    if (colon[1] != '\0') {
        out->end = strtod(colon + 1, &end);
        if (end == colon + 1 || *end != '\0' || !isfinite(out->end))
            return false;
    }
    return out->start <= out->end;
}

bool check_range_alerts(const struct check_range *r, double v)
{
    bool within = v >= r->start && v <= r->end;
    return r->inside ? within : !within;
}

static const char *const perf_labels[] = {
    "soc", "soc.placeholder0", "soh", "soh.placeholder0", "battery_power", "cell_min", "cell_max",
    "cell_spread", "cell_temp_min", "cell_temp_max", "riso", "grid_l1", "grid_l2", "grid_l3",
    "grid_f", "pv_a", "pv_b", "pv_a_voltage", "pv_b_voltage", "energy_ac", "energy_load",
    "energy_feed", "energy_grid_load", "energy_pv_a", "energy_pv_b", "clock_offset", "rtt", NULL};

const char *check_perf_labels(void)
{
    static char list[512];
    if (!list[0])
        for (int i = 0; perf_labels[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", perf_labels[i]);
    return list;
}

bool check_thresholds_parse(const char *text, bool critical, struct check_user_threshold *list,
                            size_t *n, char *why, size_t cap)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", text);
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            snprintf(why, cap, "'%.40s' is not LABEL=RANGE (e.g. soc=20: or cell_spread=0.08)", tok);
            return false;
        }
        *eq = '\0';
        bool known = false;
        for (int i = 0; perf_labels[i] && !known; i++)
            known = !strcmp(perf_labels[i], tok);
        if (!known) {
            snprintf(why, cap, "no figure '%.32s' (figures: %s)", tok, check_perf_labels());
            return false;
        }
        if (*n >= CHECK_USER_MAX) {
            snprintf(why, cap, "at most %d thresholds", CHECK_USER_MAX);
            return false;
        }
        struct check_user_threshold *u = &list[(*n)++];
        snprintf(u->label, sizeof u->label, "%s", tok);
        u->critical = critical;
        if (!check_range_parse(eq + 1, &u->range)) {
            snprintf(why, cap, "'%.40s' is no range for %s (N, N:, ~:N, N:M or @N:M)", eq + 1, tok);
            return false;
        }
    }
    return true;
}


struct perf_list {
    struct check_perf *out;
    size_t n, max;
};

static struct check_perf *perf_add(struct perf_list *l, const char *label, double value, int decimals,
                                   const char *uom)
{
    static struct check_perf dummy;
    if (l->n >= l->max)
        return &dummy;
    struct check_perf *p = &l->out[l->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    double scale = pow(10, decimals);
    p->value = round(value * scale) / scale;
    p->decimals = decimals;
    p->uom = uom;
    return p;
}

static void set(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

/* Extremes over every module of every tower: cell voltages (V), the widest spread within
 * one module (V), temperatures (°C, a signed byte). False when no module sent cells. */
struct cell_figures { double v_min, v_max, spread, t_min, t_max; };

static bool cell_figures(const struct store *store, struct cell_figures *c)
{
    static struct rct_value v;
    *c = (struct cell_figures){INFINITY, -INFINITY, 0, INFINITY, -INFINITY};
    bool any = false;
    for (int t = 0; t < TOWERS_MAX; t++)
        for (int m = 0; m < TOWER_SLOTS; m++) {
            const struct rct_oid_info *info = tower_slot_oid(t, "cells", m);
            if (!info || !store_value(store, info->oid, &v) || v.type != RCT_TYPE_BAT_STATUS)
                continue;
            int lo = 100000, hi = 0;
            for (int k = 0; k < RCT_BAT_CELLS; k++) {
                lo = v.u.cells[k].millivolt < lo ? v.u.cells[k].millivolt : lo;
                hi = v.u.cells[k].millivolt > hi ? v.u.cells[k].millivolt : hi;
            }
            if (hi == 0)
                continue;  /* an empty slot, or a module not reporting */
            any = true;
            c->v_min = fmin(c->v_min, lo / 1000.0);
            c->v_max = fmax(c->v_max, hi / 1000.0);
            c->spread = fmax(c->spread, (hi - lo) / 1000.0);
            for (int k = 0; k < RCT_BAT_CELLS; k++) {
                c->t_min = fmin(c->t_min, v.u.cells[k].temp_c);
                c->t_max = fmax(c->t_max, v.u.cells[k].temp_c);
            }
        }
    return any;
}

static const char *evidence_of(const struct health_finding *f, size_t n, const char *id, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].id, id))
            for (int k = 0; k < f[i].nevidence; k++)
                if (!strcmp(f[i].evidence[k].name, name))
                    return f[i].evidence[k].value;
    return NULL;
}

size_t check_perfdata(const struct store *store, const struct health_finding *f, size_t nf,
                      const struct health_thresholds *t, double srtt_ms,
                      const struct check_user_threshold *user, size_t nuser,
                      struct check_perf *out, size_t max)
{
    struct perf_list l = {out, 0, max};
    struct check_perf *p;
    double v;
    int which[TOWERS_MAX];
    bool second = towers_present(store, which) > 1 || tower_state(store, 1) == TOWER_PRESENT;
    if (valfmt_store_number(store, "battery.soc", &v))
        set((p = perf_add(&l, "soc", v, 1, "%"))->min, 16, "0"), set(p->max, 16, "100");
    if (second && valfmt_store_number(store, "battery_placeholder[0].soc", &v))
        set((p = perf_add(&l, "soc.placeholder0", v, 1, "%"))->min, 16, "0"), set(p->max, 16, "100");
    static const char *const soh_names[2][2] = {{"battery.soh", "soh"},
                                                {"battery_placeholder[0].soh", "soh.placeholder0"}};
    for (int k = 0; k < (second ? 2 : 1); k++)
        if (valfmt_store_number(store, soh_names[k][0], &v)) {
            p = perf_add(&l, soh_names[k][1], v, 1, "%");
            set(p->warn, 40, "%g:", t->soh_warning);
            set(p->crit, 40, "%g:", t->soh_critical);
            set(p->min, 16, "0");
            set(p->max, 16, "100");
        }
    if (valfmt_store_number(store, "g_sync.p_acc_lp", &v))
        perf_add(&l, "battery_power", v, 0, "");
    struct cell_figures c;
    if (cell_figures(store, &c)) {
        p = perf_add(&l, "cell_min", c.v_min, 3, "");
        set(p->warn, 40, "%g:", t->cell_low_warning_v);
        set(p->crit, 40, "%g:", t->cell_low_critical_v);
        p = perf_add(&l, "cell_max", c.v_max, 3, "");
        set(p->warn, 40, "%g", t->cell_high_warning_v);
        set(p->crit, 40, "%g", t->cell_high_critical_v);
        p = perf_add(&l, "cell_spread", c.spread, 3, "");
        set(p->warn, 40, "%g", t->cell_spread_warning_mv / 1000);
        set(p->crit, 40, "%g", t->cell_spread_critical_mv / 1000);
        set(p->min, 16, "0");
        p = perf_add(&l, "cell_temp_min", c.t_min, 0, "");
        set(p->warn, 40, "0:");
        p = perf_add(&l, "cell_temp_max", c.t_max, 0, "");
        set(p->warn, 40, "~:%g", t->cell_temp_high);
        set(p->crit, 40, "~:%g", t->cell_temp_critical);
    }
    double rmin;
    if (valfmt_store_number(store, "iso_struct.Riso", &v)) {
        p = perf_add(&l, "riso", v, 0, "");
        if (valfmt_store_number(store, "iso_struct.r_min", &rmin) && rmin > 0) {
            set(p->warn, 40, "%.0f:", rmin * t->riso_margin);
            set(p->crit, 40, "%.0f:", rmin);
        }
        set(p->min, 16, "0");
    }
    double under, over;
    bool volt_limits = health_trip_limits(store, true, &under, &over);
    double margin = (over > 180 ? 230 : 120) * t->grid_voltage_margin_percent / 100;
    for (int k = 0; k < 3; k++) {
        char name[32], label[16];
        snprintf(name, sizeof name, "g_sync.u_l_rms[%d]", k);
        snprintf(label, sizeof label, "grid_l%d", k + 1);
        if (!valfmt_store_number(store, name, &v))
            continue;
        p = perf_add(&l, label, v, 1, "");
        if (volt_limits) {
            set(p->warn, 40, "%g:%g", under + margin, over - margin);
            set(p->crit, 40, "%g:%g", under, over);
        }
    }
    if (valfmt_store_number(store, "grid_pll[0].f", &v)) {
        p = perf_add(&l, "grid_f", v, 2, "");
        if (health_trip_limits(store, false, &under, &over)) {
            set(p->warn, 40, "%g:%g", under + t->grid_frequency_margin_hz, over - t->grid_frequency_margin_hz);
            set(p->crit, 40, "%g:%g", under, over);
        }
    }
    static const char *const pv[][2] = {
        {"dc_conv.dc_conv_struct[0].p_dc_lp", "pv_a"}, {"dc_conv.dc_conv_struct[1].p_dc_lp", "pv_b"},
        {"dc_conv.dc_conv_struct[0].u_sg_lp", "pv_a_voltage"}, {"dc_conv.dc_conv_struct[1].u_sg_lp", "pv_b_voltage"}};
    for (size_t k = 0; k < 4; k++)
        if (valfmt_store_number(store, pv[k][0], &v))
            set(perf_add(&l, pv[k][1], v, k < 2 ? 0 : 1, "")->min, 16, "0");
    /* Energy totals (Wh) are counters: engines graph their rate. Feed-in counts down. */
    static const char *const energy[][2] = {
        {"energy.e_ac_total", "energy_ac"}, {"energy.e_load_total", "energy_load"},
        {"energy.e_grid_feed_total", "energy_feed"}, {"energy.e_grid_load_total", "energy_grid_load"},
        {"energy.e_dc_total[0]", "energy_pv_a"}, {"energy.e_dc_total[1]", "energy_pv_b"}};
    for (size_t k = 0; k < 6; k++)
        if (valfmt_store_number(store, energy[k][0], &v))
            perf_add(&l, energy[k][1], fabs(v), 0, "c");
    const char *drift = evidence_of(f, nf, "clock", "drift");
    if (drift) {
        p = perf_add(&l, "clock_offset", atof(drift), 0, "s");
        set(p->warn, 40, "%g:%g", -t->clock_warning_s, t->clock_warning_s);
    }
    if (srtt_ms >= 0)
        set((p = perf_add(&l, "rtt", srtt_ms / 1000, 3, "s"))->warn, 40, "%g", t->rtt_warning_ms / 1000), set(p->min, 16, "0");
    for (size_t u = 0; u < nuser; u++)
        for (size_t k = 0; k < l.n; k++)
            if (!strcmp(out[k].label, user[u].label))
                set(user[u].critical ? out[k].crit : out[k].warn, 40, "%s", user[u].range.text);
    return l.n;
}

size_t check_user_findings(const struct check_perf *perf, size_t np,
                           const struct check_user_threshold *user, size_t nuser,
                           struct health_finding *f, size_t nf, size_t max)
{
    size_t added = 0;
    for (size_t u = 0; u < nuser && nf + added < max; u++) {
        const struct check_perf *p = NULL;
        for (size_t k = 0; k < np && !p; k++)
            if (!strcmp(perf[k].label, user[u].label))
                p = &perf[k];
        /* -c and -w on one figure: the critical one speaks when both alert. */
        bool shadowed = false;
        for (size_t o = 0; o < nuser; o++)
            shadowed |= o != u && user[o].critical && !user[u].critical &&
                        !strcmp(user[o].label, user[u].label) && p && check_range_alerts(&user[o].range, p->value);
        if (shadowed || (p && !check_range_alerts(&user[u].range, p->value)))
            continue;
        struct health_finding *g = &f[nf + added++];
        health_findings_release(g, 1);
        memset(g, 0, sizeof *g);
        snprintf(g->id, sizeof g->id, "threshold.%s", user[u].label);
        if (!p) {
            g->severity = HEALTH_INFO;
            snprintf(g->title, sizeof g->title, "%s: not read, so not judged against %s", user[u].label,
                     user[u].range.text);
            health_finding_set_detail(g, "the device did not give the figure %s", user[u].label);
            continue;
        }
        g->severity = user[u].critical ? HEALTH_CRITICAL : HEALTH_WARNING;
        snprintf(g->title, sizeof g->title, "%.31s %.*f%s outside the %s range %s", p->label, p->decimals,
                 p->value, p->uom, user[u].critical ? "critical" : "warning", user[u].range.text);
        health_finding_set_detail(g, "%s is %.*f%s (-%c %s=%s)", p->label, p->decimals, p->value,
                 p->uom, user[u].critical ? 'c' : 'w', user[u].label, user[u].range.text);
        snprintf(g->evidence[0].name, sizeof g->evidence[0].name, "%.31s", p->label);
        snprintf(g->evidence[0].value, sizeof g->evidence[0].value, "%g %s", p->value, p->uom);
        g->nevidence = 1;
    }
    return added;
}

void check_device_identity(const struct store *store, struct check_device *d)
{
    static struct rct_value v;
    struct { const char *oid; char *dst; size_t cap; } ids[] = {
        {"android_description", d->model, sizeof d->model},
        {"inverter_sn", d->serial, sizeof d->serial},
        {"svnversion", d->firmware, sizeof d->firmware}};
    for (size_t i = 0; i < 3; i++) {
        ids[i].dst[0] = '\0';
        const struct rct_oid_info *info = rct_registry_by_name(ids[i].oid);
        if (info && store_value(store, info->oid, &v) && v.type == RCT_TYPE_STRING)
            rct_sanitize(v.u.s.text, v.u.s.len, ids[i].dst, ids[i].cap);
    }
}

const char *check_status_name(int status)
{
    static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    return names[status >= 0 && status <= 3 ? status : 3];
}

/* The first line belongs to the engine: '|' starts perfdata there and ';' separates its
 * fields, so neither may appear in the text before it. */
void check_put_plain(const char *text, FILE *out)
{
    for (const char *p = text; *p; p++)
        fputc(*p == '|' || *p == ';' ? '/' : *p == '\n' ? ' ' : *p, out);
}

void check_put_perf(const struct check_perf *p, size_t np, FILE *out)
{
    for (size_t i = 0; i < np; i++) {
        fprintf(out, "%s'%s'=%.*f%s", i ? " " : "", p[i].label, p[i].decimals, p[i].value, p[i].uom);
        /* Trailing empty fields are left off, as the guidelines allow. */
        const char *fields[] = {p[i].warn, p[i].crit, p[i].min, p[i].max};
        int last = 3;
        while (last >= 0 && !fields[last][0])
            last--;
        for (int k = 0; k <= last; k++)
            fprintf(out, ";%s", fields[k]);
    }
}

void check_print_text(int status, const struct health_finding *f, size_t n,
                      const struct check_perf *perf, size_t np, FILE *out)
{
    int crit = 0, warn = 0;
    for (size_t i = 0; i < n; i++) {
        crit += f[i].severity == HEALTH_CRITICAL;
        warn += f[i].severity == HEALTH_WARNING;
    }
    fprintf(out, "RCT %s - ", check_status_name(status));
    if (!crit && !warn)
        fprintf(out, "no problems found (%zu checks)", n);
    else {
        if (crit)
            fprintf(out, "%d critical%s", crit, warn ? ", " : "");
        if (warn)
            fprintf(out, "%d warning%s", warn, warn == 1 ? "" : "s");
        fputs(": ", out);
        int shown = 0;
        for (size_t i = 0; i < n && shown < 4; i++)
            if (f[i].severity == HEALTH_CRITICAL || f[i].severity == HEALTH_WARNING) {
                fputs(shown++ ? " / " : "", out);
                check_put_plain(f[i].title, out);
            }
        if (crit + warn > shown)
            fprintf(out, " / and %d more", crit + warn - shown);
    }
    fputs(" | ", out);
    check_put_perf(perf, np, out);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%-8s  %-30s  %s\n", health_severity_name(f[i].severity), f[i].id, f[i].title);
        fprintf(out, "%-8s  %-30s  %s\n", "", "", f[i].detail);
    }
}

/* An evidence value "3.301 V", "54.0 %", "12 s" as a number and its unit; other text as
 * text only. */
static void json_evidence(struct json *j, const struct health_evidence *e)
{
    json_object(j);
    json_key(j, "name");
    json_string(j, e->name);
    char *end;
    double v = strtod(e->value, &end);
    bool numeric = end != e->value && isfinite(v) && (*end == '\0' || (*end == ' ' && !strchr(end + 1, ' ')));
    if (!strncmp(e->value, "0x", 2))
        numeric = false;  /* a fault word is a bit pattern, shown as the device sends it */
    if (numeric) {
        json_key(j, "value");
        json_number(j, v);
        json_key(j, "unit");
        json_string(j, *end ? end + 1 : "");
    }
    json_key(j, "text");
    json_string(j, e->value);
    json_end(j);
}

/* The rule a finding belongs to: the longest rule id it starts with (by whole segments). */
static const char *rule_of(const char *id)
{
    size_t n;
    const struct health_rule *rules = health_rules(&n);
    const char *best = id;
    size_t best_len = 0;
    for (size_t i = 0; i < n; i++)
        if (health_ids_match(rules[i].id, id) && strlen(rules[i].id) > best_len) {
            best = rules[i].id;
            best_len = strlen(rules[i].id);
        }
    if (!strncmp(id, "threshold.", 10))
        return "threshold";
    return best;
}

void check_json_finding(struct json *j, const struct health_finding *f, const char *unit)
{
    json_object(j);
    if (unit) {
        json_key(j, "unit");
        json_string(j, unit);
    }
    json_key(j, "id");
    json_string(j, f->id);
    json_key(j, "rule");
    json_string(j, rule_of(f->id));
    json_key(j, "severity");
    json_string(j, health_severity_name(f->severity));
    json_key(j, "title");
    json_string(j, f->title);
    json_key(j, "detail");
    json_string(j, f->detail);
    json_key(j, "evidence");
    json_array(j);
    for (int k = 0; k < f->nevidence; k++)
        json_evidence(j, &f->evidence[k]);
    json_end(j);
    json_end(j);
}

void check_json_perf(struct json *j, const struct check_perf *p)
{
    json_object(j);
    json_key(j, "label");
    json_string(j, p->label);
    json_key(j, "value");
    json_fixed(j, p->value, p->decimals);
    json_key(j, "uom");
    json_string(j, p->uom);
    const char *fields[][2] = {{"warn", p->warn}, {"crit", p->crit}, {"min", p->min}, {"max", p->max}};
    for (int k = 0; k < 4; k++)
        if (fields[k][1][0]) {
            json_key(j, fields[k][0]);
            json_string(j, fields[k][1]);
        }
    json_end(j);
}

/* The document's head: the schema, the status and when it was judged. */
void check_json_head(struct json *j, int status)
{
    static const char *const lower[] = {"ok", "warning", "critical", "unknown"};
    char when[40];
    json_object(j);
    json_key(j, "schema");
    json_string(j, CHECK_SCHEMA);
    json_key(j, "status");
    json_string(j, lower[status >= 0 && status <= 3 ? status : 3]);
    json_key(j, "exit_code");
    json_int(j, status);
    json_key(j, "checked_at");
    json_string(j, timearg_iso((int64_t)time(NULL), when, sizeof when));
}

void check_print_json(int status, const struct check_device *d, const struct health_finding *f,
                      size_t n, const struct check_perf *perf, size_t np, FILE *out)
{
    struct json j;
    json_open(&j, out);
    check_json_head(&j, status);
    json_key(&j, "duration_s");
    json_number(&j, round(d->seconds * 10) / 10);
    json_key(&j, "device");
    json_object(&j);
    json_key(&j, "address");
    json_string(&j, d->address);
    const char *names[] = {"model", "serial", "firmware"};
    const char *values[] = {d->model, d->serial, d->firmware};
    for (int i = 0; i < 3; i++)
        if (values[i][0]) {
            json_key(&j, names[i]);
            json_string(&j, values[i]);
        }
    json_end(&j);
    json_key(&j, "findings");
    json_array(&j);
    for (size_t i = 0; i < n; i++)
        check_json_finding(&j, &f[i], NULL);
    json_end(&j);
    json_key(&j, "perfdata");
    json_array(&j);
    for (size_t i = 0; i < np; i++)
        check_json_perf(&j, &perf[i]);
    json_end(&j);
    json_end(&j);
    fputc('\n', out);
}

int check_print_unknown(const char *why, bool json, FILE *out)
{
    if (json) {
        struct json j;
        json_open(&j, out);
        check_json_head(&j, CHECK_UNKNOWN);
        json_key(&j, "reason");
        json_string(&j, why);
        json_key(&j, "findings");
        json_array(&j);
        json_end(&j);
        json_key(&j, "perfdata");
        json_array(&j);
        json_end(&j);
        json_end(&j);
        fputc('\n', out);
    } else {
        fputs("RCT UNKNOWN - ", out);
        check_put_plain(why, out);
        fputc('\n', out);
    }
    fflush(out);
    return CHECK_UNKNOWN;
}
