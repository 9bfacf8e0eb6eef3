/* Pane 1, the dashboard: the power flow as the hardware is (PV strings and battery on
 * the DC side of the inverter, house and grid on its AC side), the battery, the grid,
 * the last minutes as sparklines, today's energy and the fault state. Every direction
 * is drawn as an arrow and said in words, both from the signs of the same numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/towers.h"
#include "tui/monitor/app.h"
#include "tui/panes/dashboard_flow.h"
#include "tui/panes/dashboard_oids.h"
#include "tui/panes/dashboard_trend.h"
#include "tui/format/valfmt.h"
#include "widgets/box.h"
#include "widgets/spark.h"
#include "widgets/text.h"

static size_t dashboard_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)state;
    size_t n = 0;
    for (int i = 0; i < DASH_OID_COUNT && n < max; i++)
        if (dashboard_oid(i))
            out[n++] = dashboard_oid(i);
    /* Which towers there are (their serials), and the figures of a second one. Without an
     * app (a benchmark asking what the dashboard reads first) no tower is known yet. */
    const struct store *store = app ? app_device(app)->store : NULL;
    static const char *const per_tower[] = {"bms_sn", "soc", "voltage"};
    for (int t = 0; t < TOWERS_MAX; t++)
        for (size_t k = 0; k < 3 && n < max; k++) {
            const struct rct_oid_info *info = tower_oid(t, per_tower[k]);
            if (info && (k == 0 || (t > 0 && tower_worth_asking(store, t))))
                out[n++] = info->oid;
        }
    return n;
}

static void bat_status_text(struct app *app, char *out, size_t cap)
{
    double s;
    if (!app_number(app, dashboard_oid_name(DASH_BAT_STATUS), &s) || s < 0) {
        enum wrole role;
        snprintf(out, cap, "BMS status %s", app_missing_text(app, dashboard_oid(DASH_BAT_STATUS), &role));
        return;
    }
    unsigned st = (unsigned)s;
    /* battery.bat_status is shown raw: what its bits mean is not documented. */
    size_t len = (size_t)snprintf(out, cap, "BMS status %u", st);
    if (st == 0)
        return;
    len += (size_t)snprintf(out + len, cap - len, " (bit%s", __builtin_popcount(st) > 1 ? "s" : "");
    int bits = 0;
    for (unsigned b = 0; b < 32 && len < cap; b++)
        if (st & (1u << b))
            len += (size_t)snprintf(out + len, cap - len, "%s %u", bits++ ? "," : "", b);
    if (len < cap)
        snprintf(out + len, cap - len, "; raw, the meaning is not documented)");
}

/* One tower's line when there are two: its serial, SOC and voltage. */
static void draw_tower_row(struct app *app, WINDOW *win, int y, struct wrect in, int t)
{
    char label[80], soc[32], v[32], line[160];
    enum wrole role = WROLE_VALUE, vrole = WROLE_VALUE;
    const struct rct_oid_info *info = tower_oid(t, "soc");
    snprintf(soc, sizeof soc, "--");
    if (info)
        app_value_text(app, info->oid, soc, sizeof soc, &role);
    info = tower_oid(t, "voltage");
    snprintf(v, sizeof v, "--");
    if (info)
        app_value_text(app, info->oid, v, sizeof v, &vrole);
    snprintf(line, sizeof line, "%s  SOC %s  %s", tower_label(app_device(app)->store, t, label, sizeof label), soc, v);
    text_put(win, y, in.x, in.w, line, app_attr(app, role), app->glyphs);
}

static void draw_battery(struct app *app, WINDOW *win, struct wrect r, const struct flow *f)
{
    const struct wglyphs *g = app->glyphs;
    int towers[TOWERS_MAX], ntowers = towers_present(app_device(app)->store, towers);
    box_draw(win, r, ntowers > 1 ? "Battery: 2 towers" : "Battery", app_attr(app, WROLE_BORDER),
             app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    if (in.h < 1 || in.w < 12)
        return;
    if (f->no_battery) {
        text_put(win, in.y, in.x, in.w, "no battery", app_attr(app, WROLE_STALE), g);
        if (in.h >= 2)
            text_put(win, in.y + 1, in.x, in.w, "the device answers no battery OID",
                     app_attr(app, WROLE_STALE), g);
        return;
    }
    double soc;
    bool has_soc = app_number(app, dashboard_oid_name(DASH_SOC), &soc);
    bool soc_fresh = app_is_fresh(app, dashboard_oid_name(DASH_SOC));
    text_put(win, in.y, in.x, 4, "SOC", app_attr(app, WROLE_LABEL), g);
    char pct[16];
    enum wrole missing_role;
    if (has_soc)
        snprintf(pct, sizeof pct, "%3.0f %%", soc);
    else  /* seven columns: "not supported" does not fit */
        snprintf(pct, sizeof pct, "%s", store_get(app_device(app)->store, dashboard_oid(DASH_SOC))->state ==
                 STORE_UNSUPPORTED ? "n/a" : app_missing_text(app, dashboard_oid(DASH_SOC), &missing_role));
    int gw = in.w - 11;
    gauge_draw(win, in.y, in.x + 4, gw, has_soc ? soc / 100.0 : NAN,
               app_attr(app, soc_fresh ? WROLE_OK : WROLE_STALE), app_attr(app, WROLE_BORDER), g);
    text_put_right(win, in.y, in.x + 4 + gw, 7, pct, app_attr(app, has_soc && soc_fresh ? WROLE_VALUE : WROLE_STALE), app->glyphs);
    if (in.h < 2)
        return;
    char line[160], v[32], c[32], t[32], h[32], cy[32];
    enum wrole rv, rc;
    app_value_text(app, dashboard_oid(DASH_BAT_VOLTAGE), v, sizeof v, &rv);
    app_value_text(app, dashboard_oid(DASH_BAT_CURRENT), c, sizeof c, &rc);
    const char *dir = dashboard_battery_direction(f->bat_dir, f->bat.w);
    snprintf(line, sizeof line, "%s%s%s  %s  %s", dir, *dir ? " " : "", f->bat.text, v, c);
    if (text_width(line) > in.w)  /* the current goes before anything is cut */
        snprintf(line, sizeof line, "%s%s%s  %s", dir, *dir ? " " : "", f->bat.text, v);
    text_put(win, in.y + 1, in.x, in.w, line, f->bat.attr, g);
    if (in.h < 3)
        return;
    /* Two towers: one line each (labelled by serial), where the details would go. */
    if (ntowers > 1) {
        for (int i = 0; i < ntowers && 2 + i < in.h; i++)
            draw_tower_row(app, win, in.y + 2 + i, in, towers[i]);
        return;
    }
    enum wrole role;
    app_value_text(app, dashboard_oid(DASH_BAT_TEMPERATURE), t, sizeof t, &role);
    app_value_text(app, dashboard_oid(DASH_BAT_SOH), h, sizeof h, &role);
    app_value_text(app, dashboard_oid(DASH_BAT_CYCLES), cy, sizeof cy, &role);
    snprintf(line, sizeof line, "%s   SOH %s   %s cycles", t, h, cy);
    text_put(win, in.y + 2, in.x, in.w, line, app_attr(app, role), g);
    if (in.h < 4)
        return;
    bat_status_text(app, line, sizeof line);
    text_put(win, in.y + 3, in.x, in.w, line, app_attr(app, WROLE_LABEL), g);
}

static void draw_grid(struct app *app, WINDOW *win, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    box_draw(win, r, "Grid", app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    if (in.h < 1 || in.w < 10)
        return;
    static const enum dash_oid values[] = {DASH_GRID_U_L1, DASH_GRID_U_L2, DASH_GRID_U_L3, DASH_GRID_FREQUENCY};
    int x = in.x;
    for (size_t i = 0; i < 4; i++) {
        char buf[32];
        enum wrole role;
        app_value_text(app, dashboard_oid(values[i]), buf, sizeof buf, &role);
        int w = text_width(buf);
        if (x + w > in.x + in.w)
            break;  /* whole values or none */
        text_put(win, in.y, x, w, buf, app_attr(app, role), g);
        x += w + (i == 2 ? 2 : 1);
    }
    /* Per-phase powers where there is room: the house's and the grid's (+ drawing). */
    static const enum dash_oid phases[2][3] = {
        {DASH_HOUSE_L1, DASH_HOUSE_L2, DASH_HOUSE_L3}, {DASH_GRID_L1, DASH_GRID_L2, DASH_GRID_L3}};
    static const char *const labels[2] = {"House", "Grid"};
    for (int row = 0; row < 2 && in.h >= 2 + row; row++) {
        char line[160], p[3][24];
        attr_t a = app_attr(app, WROLE_LABEL);
        for (int k = 0; k < 3; k++) {
            struct power pw;
            dashboard_read_power(app, phases[row][k], &pw);
            if (row == 1 && !isnan(pw.w))
                valfmt_power(pw.w, false, pw.text, sizeof pw.text);
            snprintf(p[k], sizeof p[k], "%s", pw.text);
            if (pw.attr != app_attr(app, WROLE_VALUE))
                a = pw.attr;
        }
        snprintf(line, sizeof line, "%-5s L1 %s  L2 %s  L3 %s", labels[row], p[0], p[1], p[2]);
        if (text_width(line) <= in.w)
            text_put(win, in.y + 1 + row, in.x, in.w, line, a, g);
    }
}

/* The charted series; PV (pv_sum) is string A plus string B. */
static const struct { const char *label; enum dash_oid which; bool pv_sum; enum wrole role; bool is_signed; } series[] = {
    {"PV", DASH_PV_A, true, WROLE_GRAPH1, false},
    {"House", DASH_HOUSE, false, WROLE_GRAPH2, false},
    {"Grid", DASH_GRID, false, WROLE_GRAPH3, true},
    {"Battery", DASH_BATTERY, false, WROLE_GRAPH4, true},
    {"SOC", DASH_SOC, false, WROLE_GRAPH5, false},
    {"PV A", DASH_PV_A, false, WROLE_GRAPH1, false},
    {"PV B", DASH_PV_B, false, WROLE_GRAPH1, false},
};

static size_t dashboard_sampled(uint32_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof series / sizeof series[0] && n < max; i++)
        if (!series[i].pv_sum)
            out[n++] = dashboard_oid(series[i].which);
    return n;
}

/* Last minutes: one column per time slot holding that slot's last sample, carried over
 * late reads so every width draws continuous lines; a real outage stays a gap
 * (dashboard_trend.h). */
static void draw_history(struct app *app, WINDOW *win, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    struct wrect in = layout_inner(r);
    char title[160];
    /* No battery rows for a device without one. */
    bool battery = !towers_none(app_device(app)->store);
    int shown[sizeof series / sizeof series[0]], nshown = 0;
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++)
        if (battery || (strcmp(series[i].label, "Battery") && strcmp(series[i].label, "SOC")))
            shown[nshown++] = (int)i;
    snprintf(title, sizeof title, "Last %d min", app->opt->cfg.history_minutes);
    if (in.w >= 70)
        snprintf(title, sizeof title, "Last %d min   grid: + bought, - fed in%s", app->opt->cfg.history_minutes,
                 battery ? "   battery: + discharging, - charging" : "");
    else if (in.w >= 44)
        snprintf(title, sizeof title, "Last %d min  (+ bought%s)", app->opt->cfg.history_minutes,
                 battery ? " / discharging" : "");
    box_draw(win, r, title, app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    /* Each row is scaled to its own range: where there is room, its top is written beside
     * it (119 W of grid must not pass for 479 W of house). */
    int label_w = in.w >= 40 ? 9 : 5, value_w = 9, scale_w = in.w >= 76 ? 12 : 0;
    int width = in.w - label_w - value_w - scale_w - 2;
    if (width < 4 || in.h < 1)
        return;
    if (width > 512)
        width = 512;
    int nseries = in.h < nshown ? in.h : nshown;
    /* Taller boxes give the series taller charts, up to six rows each. */
    int base = in.h / nseries, extra = in.h % nseries;
    if (base >= 6) {
        base = 6;
        extra = 0;
    }
    struct trend_frame frame = {session_mono_ms(), (int64_t)app->opt->cfg.history_minutes * 60000,
                                app_device(app)->opt.sched.sampled_period_ms, width};
    static struct store_sample a[STORE_RING], b[STORE_RING], sum[STORE_RING];
    static double values[512];
    int y = in.y;
    for (int row = 0; row < nseries; y += base + (row < extra ? 1 : 0), row++) {
        int i = shown[row], rows_each = base + (row < extra ? 1 : 0);
        text_put(win, y, in.x + 1, label_w, series[i].label, app_attr(app, WROLE_LABEL), g);
        const struct store *store = app_device(app)->store;
        const struct store_sample *samples = a;
        size_t n = store_ring(store, dashboard_oid(series[i].which), a, STORE_RING);
        if (series[i].pv_sum) {
            size_t nb = store_ring(store, dashboard_oid(DASH_PV_B), b, STORE_RING);
            n = trend_sum(a, n, b, nb, &frame, sum);
            samples = sum;
        }
        double latest = trend_columns(samples, n, &frame, strcmp(series[i].label, "SOC") ? 1 : 100, values);
        double lo = 0, hi = 0;
        if (!spark_range(values, (size_t)width, &lo, &hi)) {
            text_put(win, y, in.x + 2 + label_w, width, g->ellipsis, app_attr(app, WROLE_STALE), g);
            continue;
        }
        /* Zero on the baseline for what cannot be negative; signed series span their range
         * including zero. */
        if (lo > 0 || !series[i].is_signed)
            lo = 0;
        if (hi < 0)
            hi = 0;
        if (!strcmp(series[i].label, "SOC"))
            hi = 100;
        bool fresh = app_is_fresh(app, dashboard_oid_name(series[i].which));
        attr_t attr = app_attr(app, fresh ? series[i].role : WROLE_STALE);
        if (rows_each > 1)
            chart_draw(win, y, in.x + 2 + label_w, rows_each, width, values, (size_t)width, lo, hi, attr, g);
        else
            spark_draw(win, y, in.x + 2 + label_w, width, values, (size_t)width, lo, hi, attr, g);
        char num[32];
        if (isnan(latest))
            snprintf(num, sizeof num, "%s", g->ellipsis);
        else if (!strcmp(series[i].label, "SOC"))
            snprintf(num, sizeof num, "%.0f %%", latest);
        else
            valfmt_power(latest, false, num, sizeof num);
        text_put_right(win, y, in.x + 2 + label_w + width, value_w, num,
                       app_attr(app, fresh ? WROLE_VALUE : WROLE_STALE), app->glyphs);
        if (scale_w) {
            /* The row's full scale: the largest magnitude it shows. */
            char top[32], scale[40];
            if (!strcmp(series[i].label, "SOC"))
                snprintf(top, sizeof top, "100 %%");
            else
                valfmt_power(fabs(hi) >= fabs(lo) ? fabs(hi) : fabs(lo), false, top, sizeof top);
            snprintf(scale, sizeof scale, "max %s", top);
            text_put_right(win, y, in.x + 2 + label_w + width + value_w, scale_w, scale,
                           app_attr(app, WROLE_UNIT), app->glyphs);
        }
    }
}

static void draw_today(struct app *app, WINDOW *win, int y, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    /* Feed-in counters are negative on the device; the words say the direction. */
    static const struct { const char *label, *short_label; enum dash_oid a; int b; } items[] = {
        {"PV", "PV", DASH_DAY_PV_A, DASH_DAY_PV_B},
        {"House", "Hs", DASH_DAY_HOUSE, -1},
        {"Fed in", "Out", DASH_DAY_FED_IN, -1},
        {"Bought", "In", DASH_DAY_BOUGHT, -1},
    };
    bool narrow = r.w < 60;
    int x = r.x + 1;
    x += text_put(win, y, x, r.w, "Today", app_attr(app, app_device(app)->knows.silent ? WROLE_STALE : WROLE_TITLE), g) + 2;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        double a = 0, b = 0;
        const char *name_a = dashboard_oid_name(items[i].a);
        const char *name_b = items[i].b < 0 ? NULL : dashboard_oid_name((enum dash_oid)items[i].b);
        bool ok = app_number(app, name_a, &a) && (!name_b || app_number(app, name_b, &b));
        bool fresh = ok && app_is_fresh(app, name_a) && (!name_b || app_is_fresh(app, name_b));
        char line[64];
        const char *label = narrow ? items[i].short_label : items[i].label;
        enum wrole role = fresh ? WROLE_VALUE : WROLE_STALE;
        if (ok) {
            snprintf(line, sizeof line, "%s %.1f kWh", label, fabs(a + b) / 1000);
        } else {
            /* A sum says why it is missing by its first missing part. */
            double unused;
            bool a_missing = !app_number(app, name_a, &unused);
            enum dash_oid part = a_missing ? items[i].a : (enum dash_oid)items[i].b;
            snprintf(line, sizeof line, "%s %s", label, app_missing_text(app, dashboard_oid(part), &role));
        }
        int w = text_width(line);
        if (x + w > r.x + r.w)
            break;  /* whole items or none */
        x += text_put(win, y, x, w, line, app_attr(app, role), g) + 2;
    }
}

static void draw_faults_line(struct app *app, WINDOW *win, int y, struct wrect r)
{
    int n = knows_active_faults(&app_device(app)->knows);
    char line[512], when[32];
    int64_t read_at;
    bool current = app_faults_current(app, &read_at);
    if (n < 0) {
        text_put(win, y, r.x + 1, r.w - 2, "fault state not read yet", app_attr(app, WROLE_STALE), app->glyphs);
        return;
    }
    if (!current) {
        /* Never an all-clear from a device that is not answering. */
        long long ago = read_at ? (long long)(session_unix_ms() / 1000 - read_at) : -1;
        snprintf(line, sizeof line, "fault state unknown: last read %s (%llds ago)%s",
                 app_clock_text(read_at, when, sizeof when), ago,
                 n > 0 ? ", faults were active then (press 3)" : ", none active then");
        text_put(win, y, r.x + 1, r.w - 2, line, app_attr(app, WROLE_WARN), app->glyphs);
        return;
    }
    if (n == 0) {
        int x = r.x + 1 + text_put(win, y, r.x + 1, r.w - 2, "no active faults", app_attr(app, WROLE_OK), app->glyphs);
        /* The Health pane's worst findings beside it: "2 warnings: cell spread 62 mV
         * (module 2); clock 58 min behind". */
        int crit, warn;
        knows_health_counts(&app_device(app)->knows, &crit, &warn);
        if (!crit && !warn)
            return;
        size_t len = (size_t)snprintf(line, sizeof line, ";  ");
        if (crit)
            len += (size_t)snprintf(line + len, sizeof line - len, "%d critical%s", crit, warn ? ", " : "");
        if (warn)
            len += (size_t)snprintf(line + len, sizeof line - len, "%d warning%s", warn, warn == 1 ? "" : "s");
        len += (size_t)snprintf(line + len, sizeof line - len, ":");
        int shown = 0;
        for (size_t i = 0; i < app_device(app)->knows.nfindings && len < sizeof line - 130; i++) {
            const struct health_finding *f = &app_device(app)->knows.findings[i];
            if (f->severity < HEALTH_WARNING || !strncmp(f->id, "faults", 6))
                continue;
            len += (size_t)snprintf(line + len, sizeof line - len, "%s %s", shown++ ? ";" : "", f->title);
        }
        snprintf(line + len, sizeof line - len, "  (press 9)");
        text_put(win, y, x, r.x + r.w - x - 1, line, app_attr(app, crit ? WROLE_ERROR : WROLE_WARN), app->glyphs);
        return;
    }
    size_t len = (size_t)snprintf(line, sizeof line, " %d ACTIVE FAULT%s: ", n, n == 1 ? "" : "S");
    int shown = 0;
    for (unsigned bit = 0; bit < 128 && len < sizeof line - 64; bit++) {
        if (!(app_device(app)->knows.fault_words[bit / 32] & (1u << (bit % 32))))
            continue;
        const char *label = rct_fault_label(bit);
        char fallback[16];
        snprintf(fallback, sizeof fallback, "bit %u", bit);
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", shown++ ? ", " : "",
                                label ? label : fallback);
    }
    snprintf(line + len, sizeof line - len, "  (press 3) ");
    int x = r.x + text_put(win, y, r.x, r.w, line, app_attr(app, WROLE_FAULT_ACTIVE), app->glyphs);
    /* A critical finding that is no fault (a low insulation, a cell far off) is not hidden
     * behind the fault banner: its title follows where there is room. */
    for (size_t i = 0; i < app_device(app)->knows.nfindings; i++) {
        const struct health_finding *f = &app_device(app)->knows.findings[i];
        if (f->severity != HEALTH_CRITICAL || !strncmp(f->id, "faults", 6))
            continue;
        snprintf(line, sizeof line, " also critical: %s (press 9)", f->title);
        if (x < r.x + r.w - 12)
            text_put(win, y, x, r.x + r.w - x - 1, line, app_attr(app, WROLE_ERROR), app->glyphs);
        break;
    }
}

static void dashboard_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    (void)state;
    struct flow f;
    dashboard_read_flow(app, &f);
    /* The last two rows: today and the fault state; they matter at every size. */
    struct wrect body = area, bottom;
    int bottom_h = area.h >= 4 ? 2 : area.h >= 2 ? 1 : 0;
    layout_split_rows(area, area.h - bottom_h, &body, &bottom);
    if (bottom_h == 2) {
        draw_today(app, win, bottom.y, bottom);
        draw_faults_line(app, win, bottom.y + 1, bottom);
    } else if (bottom_h == 1) {
        draw_faults_line(app, win, bottom.y, bottom);
    }
    if (body.h < 1)
        return;
    bool side_by_side = body.w >= 78;
    /* The diagram wants 8 rows (5 + words + border); narrow screens get the list. */
    int flow_h = side_by_side ? (body.h >= 30 ? 10 : body.h >= 20 ? 9 : 8)
                 : body.w >= FLOW_W + 2 ? 8 : body.h >= 9 ? 9 : body.h;
    if (flow_h > body.h)
        flow_h = body.h;
    struct wrect top, rest;
    if (side_by_side) {
        /* Flow left, battery and grid stacked right; wide terminals widen both. */
        int right_h = body.h >= 20 ? 10 : 8;
        int top_h = flow_h > right_h ? flow_h : right_h;
        if (top_h > body.h)
            top_h = body.h;
        layout_split_rows(body, top_h, &top, &rest);
        struct wrect left, right, bat, grid;
        int left_w = top.w >= 120 ? top.w / 2 : 44 + (top.w - 80) / 2;
        layout_split_columns(top, left_w, &left, &right);
        dashboard_draw_flow(app, win, left, &f);
        int bat_h = top.h >= 10 ? 6 : 5;
        layout_split_rows(right, bat_h, &bat, &grid);
        draw_battery(app, win, bat, &f);
        if (grid.h >= 3)
            draw_grid(app, win, grid);
    } else {
        /* Narrow: the flow on top, then the battery and grid boxes, then the history. */
        layout_split_rows(body, flow_h, &top, &rest);
        dashboard_draw_flow(app, win, top, &f);
        if (rest.h >= 3) {
            struct wrect bat, after;
            layout_split_rows(rest, rest.h >= 12 ? 5 : rest.h >= 7 ? 4 : 3, &bat, &after);
            draw_battery(app, win, bat, &f);
            rest = after;
        }
        if (rest.h >= 3) {
            struct wrect grid, after;
            layout_split_rows(rest, rest.h >= 11 ? 5 : 3, &grid, &after);
            draw_grid(app, win, grid);
            rest = after;
        }
    }
    if (rest.h >= 3)
        draw_history(app, win, rest);
}

const struct view view_dashboard = {
    .title = "Dashboard",
    .short_title = "Dash",
    .digit = '1',
    .draw = dashboard_draw,
    .visible_oids = dashboard_visible,
    .sampled_oids = dashboard_sampled,
    .help = "\t\n(dashboard)\tpower flow, battery, grid, last minutes, today\n",
};
