/* Human formatting of values for screens and text output; the canonical machine forms
 * are proto/codec/value.c's text (rct_value_format) and tui/format/json.c's JSON. */
#include "tui/format/valfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/core/store.h"
#include "proto/core/towers.h"
#include "widgets/text.h"

bool valfmt_is_fraction(const struct rct_oid_info *info)
{
    return info && strcmp(info->unit, "%") == 0;
}

bool valfmt_number(const struct rct_oid_info *info, const struct rct_value *value,
                   double *out)
{
    if (!rct_value_as_double(value, out))
        return false;
    if (valfmt_is_fraction(info))
        *out *= 100.0;
    return true;
}

/* Enough digits to be useful, not so many that noise looks like precision; trailing
 * zeros dropped so 7 % reads "7 %", not "7.000 %". */
static void format_number(double v, char *buf, size_t cap)
{
    double a = fabs(v);
    if (isnan(v)) {
        snprintf(buf, cap, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, cap, v < 0 ? "-inf" : "inf");
        return;
    }
    if (a != 0 && (a >= 1e9 || a < 1e-3)) {
        snprintf(buf, cap, "%.3g", v);  /* "3.4e+38": absurd values stay short */
        return;
    }
    int decimals = a >= 100 ? 1 : a >= 1 ? 2 : 3;
    snprintf(buf, cap, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, cap, "0");
}

/* "%.*f" with the integer part grouped by thousands: "7 405.0". */
static void grouped(double v, int decimals, char *buf, size_t cap)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    text_group(raw, buf, cap);
}

bool valfmt_quantity(double v, const char *unit, char *buf, size_t cap)
{
    bool large_ok = strcmp(unit, "Wh") == 0 || strcmp(unit, "Ohm") == 0;
    if (!isfinite(v) || (fabs(v) >= 1e6 && !(large_ok && fabs(v) < 1e15))) {
        if (strcmp(unit, "W") == 0) {
            valfmt_power(v, false, buf, cap);
            return true;
        }
        return false;  /* the generic short forms: NaN, inf, 3.4e+38 */
    }
    char num[64];
    if (strcmp(unit, "V") == 0 || strcmp(unit, "°C") == 0 || strcmp(unit, "%") == 0) {
        snprintf(num, sizeof num, "%.1f", v);
    } else if (strcmp(unit, "Hz") == 0 || strcmp(unit, "A") == 0) {
        snprintf(num, sizeof num, "%.2f", v);
    } else if (strcmp(unit, "W") == 0) {
        valfmt_power(v, false, buf, cap);
        return true;
    } else if (strcmp(unit, "Ohm") == 0) {
        /* Insulation: what the installer's meter says, 3.20 MOhm, 850.0 kOhm. */
        if (fabs(v) >= 1e6)
            snprintf(buf, cap, "%.2f MOhm", v / 1e6);
        else if (fabs(v) >= 1e3)
            snprintf(buf, cap, "%.1f kOhm", v / 1e3);
        else
            snprintf(buf, cap, "%.0f Ohm", v);
        return true;
    } else if (strcmp(unit, "Wh") == 0) {
        if (fabs(v) >= 1e9) {
            grouped(v / 1e6, 1, num, sizeof num);
            snprintf(buf, cap, "%s MWh", num);
        } else if (fabs(v) >= 10000) {
            grouped(v / 1000.0, 1, num, sizeof num);
            snprintf(buf, cap, "%s kWh", num);
        } else {
            grouped(v, 0, num, sizeof num);
            snprintf(buf, cap, "%s Wh", num);
        }
        return true;
    } else {
        return false;
    }
    if (strcmp(num, "-0.0") == 0 || strcmp(num, "-0.00") == 0)
        memmove(num, num + 1, strlen(num));
    snprintf(buf, cap, "%s %s", num, unit);
    return true;
}

/* Cells are numbered 1..24 here as on every pane and in every finding; the device's own
 * index (0..23, also in its statistics' cell field) is one less. */
struct extremes { int lo, hi, tlo, thi; };

static struct extremes cell_extremes(const struct rct_bat_cell *cells)
{
    struct extremes x = {0, 0, 0, 0};
    for (int c = 1; c < RCT_BAT_CELLS; c++) {
        if (cells[c].millivolt < cells[x.lo].millivolt) x.lo = c;
        if (cells[c].millivolt > cells[x.hi].millivolt) x.hi = c;
        if (cells[c].temp_c < cells[x.tlo].temp_c) x.tlo = c;
        if (cells[c].temp_c > cells[x.thi].temp_c) x.thi = c;
    }
    return x;
}

static double resistance_mohm(const struct rct_value *v, int c)
{
    return v->u.resistance_raw[c] / 256.0;
}

/* The one line of a composite: what a glance needs, the extremes' cells named. */
static void composite_summary(const struct rct_value *v, char *buf, size_t cap)
{
    if (v->type == RCT_TYPE_BAT_STATUS) {
        const struct rct_bat_cell *c = v->u.cells;
        struct extremes x = cell_extremes(c);
        snprintf(buf, cap, "%d cells %.3f V (cell %d) .. %.3f V (cell %d), spread %d mV, %d..%d °C",
                 RCT_BAT_CELLS, c[x.lo].millivolt / 1000.0, x.lo + 1, c[x.hi].millivolt / 1000.0,
                 x.hi + 1, c[x.hi].millivolt - c[x.lo].millivolt, (int)c[x.tlo].temp_c,
                 (int)c[x.thi].temp_c);
    } else if (v->type == RCT_TYPE_BAT_STATISTICS) {
        snprintf(buf, cap, "BMS extremes %.3f..%.3f V, %.1f..%.1f °C", (double)v->u.stats.u_min.value,
                 (double)v->u.stats.u_max.value, (double)v->u.stats.t_min.value,
                 (double)v->u.stats.t_max.value);
    } else {
        int lo = 0, hi = 0;
        for (int c = 1; c < RCT_BAT_CELLS; c++) {
            if (v->u.resistance_raw[c] < v->u.resistance_raw[lo]) lo = c;
            if (v->u.resistance_raw[c] > v->u.resistance_raw[hi]) hi = c;
        }
        snprintf(buf, cap, "%d cells %.2f mOhm (cell %d) .. %.2f mOhm (cell %d)", RCT_BAT_CELLS,
                 resistance_mohm(v, lo), lo + 1, resistance_mohm(v, hi), hi + 1);
    }
}

/* Parts joined a few to a line, so 24 cells take 8 lines of under 80 columns. */
struct row { char text[160]; size_t len; int parts; };

static void row_add(struct row *r, int per_line, const char *part, valfmt_line_fn *line, void *ctx)
{
    int n = snprintf(r->text + r->len, sizeof r->text - r->len, "%s%s", r->parts ? "    " : "", part);
    if (n > 0)
        r->len += (size_t)n < sizeof r->text - r->len ? (size_t)n : sizeof r->text - r->len - 1;
    if (++r->parts == per_line) {
        line(ctx, r->text);
        r->len = 0;
        r->parts = 0;
    }
}

static void row_end(struct row *r, valfmt_line_fn *line, void *ctx)
{
    if (r->parts)
        line(ctx, r->text);
    r->len = 0;
    r->parts = 0;
}

bool valfmt_composite_lines(const struct rct_oid_info *info, const struct rct_value *v,
                            const struct devclock *clock, valfmt_line_fn *line, void *ctx)
{
    (void)info;
    if (v->type != RCT_TYPE_BAT_STATUS && v->type != RCT_TYPE_BAT_STATISTICS &&
        v->type != RCT_TYPE_BAT_RESISTANCE)
        return false;
    char text[160], part[64];
    composite_summary(v, text, sizeof text);
    line(ctx, text);
    struct row r = {.len = 0};
    if (v->type == RCT_TYPE_BAT_STATUS) {
        for (int c = 0; c < RCT_BAT_CELLS; c++) {
            snprintf(part, sizeof part, "cell %2d %5.3f V %3d °C", c + 1,
                     v->u.cells[c].millivolt / 1000.0, (int)v->u.cells[c].temp_c);
            row_add(&r, 3, part, line, ctx);
        }
        row_end(&r, line, ctx);
        /* The status byte's meaning is not documented: shown raw, where it is not 0. */
        size_t len = (size_t)snprintf(text, sizeof text, "status byte (undocumented, raw):");
        bool any = false;
        for (int c = 0; c < RCT_BAT_CELLS; c++) {
            if (!v->u.cells[c].status)
                continue;
            snprintf(part, sizeof part, " cell %d = %u", c + 1, (unsigned)v->u.cells[c].status);
            if (len + strlen(part) >= 80) {
                line(ctx, text);
                len = (size_t)snprintf(text, sizeof text, "   ");
            }
            len += (size_t)snprintf(text + len, sizeof text - len, "%s", part);
            any = true;
        }
        if (any)
            line(ctx, text);
    } else if (v->type == RCT_TYPE_BAT_STATISTICS) {
        const struct { const char *name; const struct rct_bat_extreme *e; const char *unit; } ex[] = {
            {"lowest cell voltage ", &v->u.stats.u_min, "V"}, {"highest cell voltage", &v->u.stats.u_max, "V"},
            {"lowest temperature  ", &v->u.stats.t_min, "°C"}, {"highest temperature ", &v->u.stats.t_max, "°C"}};
        for (size_t i = 0; i < 4; i++) {
            char when[40] = "never";
            if (ex[i].e->ts)
                devclock_format(clock, ex[i].e->ts, when, sizeof when);
            snprintf(text, sizeof text, "%s %7.*f %-2s  cell %2llu  at %s", ex[i].name,
                     ex[i].unit[0] == 'V' ? 3 : 1, (double)ex[i].e->value, ex[i].unit,
                     (unsigned long long)ex[i].e->cell + 1, when);
            line(ctx, text);
        }
    } else {
        for (int c = 0; c < RCT_BAT_CELLS; c++) {
            snprintf(part, sizeof part, "cell %2d %5.2f mOhm", c + 1, resistance_mohm(v, c));
            row_add(&r, 3, part, line, ctx);
        }
        row_end(&r, line, ctx);
    }
    return true;
}

const char *valfmt_series(const struct rct_oid_info *info, char *label, size_t cap)
{
    static const struct { const char *stem, *what; bool energy; } stems[] = {
        {"ea", "PV string A", true}, {"eb", "PV string B", true}, {"eac", "AC output", true},
        {"eac1", "AC phase 1", true}, {"eac2", "AC phase 2", true}, {"eac3", "AC phase 3", true},
        {"eload", "house load", true}, {"egrid_feed", "grid feed-in", true},
        {"egrid_load", "grid draw", true}, {"ebat", "battery", true},
        {"eext", "external input", true}, {"soc", "battery state of charge", false},
        {"soc_targ", "battery state of charge target", false}, {"ua", "PV string A voltage", false},
        {"ub", "PV string B voltage", false}, {"ul1", "grid phase 1 voltage", false},
        {"ul2", "grid phase 2 voltage", false}, {"ul3", "grid phase 3 voltage", false},
        {"ubat", "battery voltage", false}, {"temp_bat", "battery temperature", false}};
    static const struct { const char *prefix, *words; } spans[] = {
        {"logger.minutes_", "minute log"}, {"logger.day_", "per day"},
        {"logger.month_", "per month"}, {"logger.year_", "per year"}};
    const char *name = info ? info->name : "";
    const char *unit = info ? info->unit : "";
    size_t span = sizeof spans / sizeof spans[0], k = 0;
    for (k = 0; k < span && strncmp(name, spans[k].prefix, strlen(spans[k].prefix)) != 0; k++)
        ;
    const char *stem = k < span ? name + strlen(spans[k].prefix) : "";
    size_t stem_len = strlen(stem) > 7 && !strcmp(stem + strlen(stem) - 7, "_log_ts") ? strlen(stem) - 7 : 0;
    for (size_t i = 0; stem_len && i < sizeof stems / sizeof stems[0]; i++) {
        if (strlen(stems[i].stem) != stem_len || strncmp(stem, stems[i].stem, stem_len) != 0)
            continue;
        bool minutes = k == 0;
        if (stems[i].energy)
            snprintf(label, cap, "%s %s%s%s", stems[i].what, minutes ? "power" : "energy",
                     minutes ? ", " : " ", spans[k].words);
        else
            snprintf(label, cap, "%s, %s", info->label[0] ? info->label : stems[i].what, spans[k].words);
        return stems[i].energy ? (minutes ? "W" : "Wh") : unit;
    }
    if (info && info->label[0])
        snprintf(label, cap, "%s", info->label);
    else
        snprintf(label, cap, "meaning not documented");
    return unit;
}

bool valfmt_module_slot(const struct rct_oid_info *info, int *tower, int *slot)
{
    static const char *const per_module[] = {"cells", "cells_stat", "cells_resist", "module_sn",
                                             "stack_cycles"};
    for (int t = 0; info && t < TOWERS_MAX; t++) {
        size_t family = strlen(tower_family(t));
        if (strncmp(info->name, tower_family(t), family) != 0 || info->name[family] != '.')
            continue;
        for (size_t k = 0; k < sizeof per_module / sizeof per_module[0]; k++)
            for (int m = 0; m < TOWER_SLOTS; m++)
                if (tower_slot_oid(t, per_module[k], m) == info) {
                    *tower = t;
                    *slot = m;
                    return true;
                }
    }
    return false;
}

const char *valfmt_display(const struct rct_oid_info *info, const struct rct_value *value,
                           char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    const char *unit = info ? info->unit : "";
    char num[64];
    switch (value->type) {
    case RCT_TYPE_FLOAT: {
        double v = value->u.f;
        if (valfmt_is_fraction(info))
            v *= 100.0;
        if (valfmt_quantity(v, unit, buf, cap))
            return buf;
        format_number(v, num, sizeof num);
        snprintf(buf, cap, "%s%s%s", num, *unit ? " " : "", unit);
        return buf;
    }
    case RCT_TYPE_ENUM: {
        const char *label = info ? rct_enum_label(info->oid, (uint32_t)value->u.i) : NULL;
        if (label)
            snprintf(buf, cap, "%s (%lld)", label, (long long)value->u.i);
        else
            snprintf(buf, cap, "%lld", (long long)value->u.i);
        return buf;
    }
    case RCT_TYPE_BOOL:
        snprintf(buf, cap, "%s", value->u.b ? "yes" : "no");
        return buf;
    case RCT_TYPE_UINT8: case RCT_TYPE_INT8: case RCT_TYPE_UINT16: case RCT_TYPE_INT16:
    case RCT_TYPE_UINT32: case RCT_TYPE_INT32: {
        double v = (double)value->u.i;
        if (valfmt_is_fraction(info)) {
            format_number(v * 100.0, num, sizeof num);
        } else {
            snprintf(num, sizeof num, "%lld", (long long)value->u.i);
        }
        snprintf(buf, cap, "%s%s%s", num, *unit ? " " : "", unit);
        return buf;
    }
    case RCT_TYPE_STRING:
        return rct_sanitize(value->u.s.text, value->u.s.len, buf, cap);
    case RCT_TYPE_BAT_STATUS: case RCT_TYPE_BAT_STATISTICS: case RCT_TYPE_BAT_RESISTANCE:
        composite_summary(value, buf, cap);
        return buf;
    case RCT_TYPE_TIMESERIES:
        snprintf(buf, cap, "%u point%s before %u", (unsigned)value->u.ts.n,
                 value->u.ts.n == 1 ? "" : "s", (unsigned)value->u.ts.query_ts);
        return buf;
    case RCT_TYPE_EVENT_TABLE:
        snprintf(buf, cap, "%u event%s before %u", (unsigned)value->u.ev.n,
                 value->u.ev.n == 1 ? "" : "s", (unsigned)value->u.ev.query_ts);
        return buf;
    default:
        snprintf(buf, cap, "?");
        return buf;
    }
}

const char *valfmt_power(double watts, bool magnitude_only, char *buf, size_t cap)
{
    if (isnan(watts)) {
        snprintf(buf, cap, "NaN W");
        return buf;
    }
    double v = magnitude_only ? fabs(watts) : watts;
    double a = fabs(v);
    const char *sign = v < 0 ? "-" : "";
    if (a < 0.5) {
        snprintf(buf, cap, "0 W");
    } else if (a < 9999.5) {
        long w = lround(a);
        if (w >= 1000)
            snprintf(buf, cap, "%s%ld %03ld W", sign, w / 1000, w % 1000);
        else
            snprintf(buf, cap, "%s%ld W", sign, w);
    } else if (a < 99950) {
        snprintf(buf, cap, "%s%.1f kW", sign, a / 1e3);
    } else if (a < 999500) {
        snprintf(buf, cap, "%s%.0f kW", sign, a / 1e3);
    } else if (a < 99.95e6) {
        snprintf(buf, cap, "%s%.1f MW", sign, a / 1e6);
    } else if (a < 999.5e6) {
        snprintf(buf, cap, "%s%.0f MW", sign, a / 1e6);
    } else {
        snprintf(buf, cap, "%s999 MW", v < 0 ? "<-" : ">");
    }
    return buf;
}

int valfmt_reading_order(const void *a, const void *b)
{
    const struct rct_oid_info *x = *(const struct rct_oid_info *const *)a;
    const struct rct_oid_info *y = *(const struct rct_oid_info *const *)b;
    bool xi = x->kind == RCT_KIND_IDENTITY, yi = y->kind == RCT_KIND_IDENTITY;
    if (xi != yi)
        return xi ? -1 : 1;
    int c = strcmp(x->group, y->group);
    return c ? c : strcmp(x->name, y->name);
}

bool valfmt_store_number(const struct store *store, const char *name, double *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    if (!info || !store_number(store, info->oid, v) || !isfinite(*v))
        return false;
    if (valfmt_is_fraction(info))
        *v *= 100.0;
    return true;
}
