/* Pane 1, the dashboard: power flow with directions in words and arrows, battery, grid,
 * the last minutes as sparklines, today's energies and a banner when faults are active.
 * A value not read yet shows an ellipsis, a stale one is dimmed: never a made-up 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/registry.h"
#include "tui/app.h"
#include "tui/valfmt.h"
#include "widgets/box.h"
#include "widgets/spark.h"
#include "widgets/text.h"

static const char *const dashboard_oids[] = {
    "dc_conv.dc_conv_struct[0].p_dc_lp", "dc_conv.dc_conv_struct[1].p_dc_lp",
    "g_sync.p_ac_load_sum_lp", "g_sync.p_ac_grid_sum_lp", "g_sync.p_acc_lp",
    "g_sync.p_ac_sum_lp", "battery.soc", "battery.voltage", "battery.current",
    "battery.temperature", "battery.soh", "battery.cycles", "battery.bat_status",
    "g_sync.u_l_rms[0]", "g_sync.u_l_rms[1]", "g_sync.u_l_rms[2]", "grid_pll[0].f",
    "energy.e_dc_day[0]", "energy.e_dc_day[1]", "energy.e_load_day", "energy.e_grid_feed_day",
    "energy.e_grid_load_day", "prim_sm.state", "g_sync.p_ac_load[0]", "g_sync.p_ac_load[1]",
    "g_sync.p_ac_load[2]", "g_sync.p_ac_sc[0]", "g_sync.p_ac_sc[1]", "g_sync.p_ac_sc[2]",
    "android_description", "inverter_sn",
};
#define NDASH (sizeof dashboard_oids / sizeof dashboard_oids[0])

static size_t dashboard_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)app;
    (void)state;
    size_t n = 0;
    for (size_t i = 0; i < NDASH && n < max; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(dashboard_oids[i]);
        if (info)
            out[n++] = info->oid;
    }
    return n;
}

/* "2 431 W" from a number of watts; "…" when unknown. */
static const char *watts(struct app *app, const char *name, char *buf, size_t cap, attr_t *attr,
                         double *value)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    const struct store_entry *e = info ? store_get(app->store, info->oid) : NULL;
    double v;
    if (!e || !e->has_number || !app_number(app, name, &v)) {
        *attr = app_attr(app, e && e->state == STORE_ERROR ? WROLE_ERROR : WROLE_STALE);
        if (value)
            *value = NAN;
        snprintf(buf, cap, "%s", e && e->state == STORE_ERROR ? "--" : app->glyphs->ellipsis);
        return buf;
    }
    *attr = app_attr(app, e->state == STORE_FRESH ? WROLE_VALUE : WROLE_STALE);
    if (value)
        *value = v;
    return valfmt_power(v, true, buf, cap);
}

static void put_right(struct app *app, int y, int x, int w, const char *s, attr_t a)
{
    text_put_right(stdscr, y, x, w, s, a, app->glyphs);
}

static void draw_flow(struct app *app, WINDOW *win, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    box_draw(win, r, "Power flow", app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    if (in.h < 5 || in.w < 36)
        return;
    char a[32], b[32], inv[32], house[32], bat[32], grid[32], line[96];
    attr_t aa, ab, ainv, ahouse, abat, agrid;
    double vbat, vgrid;
    watts(app, "dc_conv.dc_conv_struct[0].p_dc_lp", a, sizeof a, &aa, NULL);
    watts(app, "dc_conv.dc_conv_struct[1].p_dc_lp", b, sizeof b, &ab, NULL);
    watts(app, "g_sync.p_ac_sum_lp", inv, sizeof inv, &ainv, NULL);
    watts(app, "g_sync.p_ac_load_sum_lp", house, sizeof house, &ahouse, NULL);
    watts(app, "g_sync.p_acc_lp", bat, sizeof bat, &abat, &vbat);
    watts(app, "g_sync.p_ac_grid_sum_lp", grid, sizeof grid, &agrid, &vgrid);
    attr_t lab = app_attr(app, WROLE_LABEL), dim = app_attr(app, WROLE_BORDER);
    int y = in.y, x = in.x;
    text_put(win, y, x, 6, "PV A", lab, g);
    put_right(app, y, x + 5, 9, a, aa);
    snprintf(line, sizeof line, " %s%s", g->hline, g->utf8 ? "┐" : "+");
    text_put(win, y, x + 14, 4, line, dim, g);
    text_put(win, y + 1, x, 6, "PV B", lab, g);
    put_right(app, y + 1, x + 5, 9, b, ab);
    snprintf(line, sizeof line, " %s%s%s%s", g->hline, g->utf8 ? "┴" : "+", g->hline, g->arrow_right);
    text_put(win, y + 1, x + 14, 6, line, dim, g);
    text_put(win, y + 1, x + 20, 9, "Inverter", lab | A_BOLD, g);
    put_right(app, y + 1, x + 28, 9, inv, ainv);

    /* Directions: arrows for the eye, words for certainty. */
    const char *bat_word = isnan(vbat) ? "" : vbat < -1 ? "charging" : vbat > 1 ? "discharging" : "idle";
    const char *grid_word = isnan(vgrid) ? "" : vgrid < -1 ? "feeding in" : vgrid > 1 ? "drawing" : "balanced";
    struct { const char *tee, *arrow, *name, *value, *word; attr_t attr; } rows[3] = {
        {g->tee_right, g->arrow_right, "House", house, "", ahouse},
        {g->tee_right, !isnan(vbat) && vbat > 1 ? g->arrow_left : g->arrow_right, "Battery", bat, bat_word, abat},
        {g->corner_down_left, !isnan(vgrid) && vgrid > 1 ? g->arrow_left : g->arrow_right, "Grid", grid, grid_word, agrid},
    };
    for (int i = 0; i < 3 && y + 2 + i < in.y + in.h; i++) {
        int yy = y + 2 + i;
        snprintf(line, sizeof line, "%s%s%s", rows[i].tee, g->hline, rows[i].arrow);
        text_put(win, yy, x + 22, 4, line, dim, g);
        text_put(win, yy, x + 26, 8, rows[i].name, lab, g);
        put_right(app, yy, x + 33, 9, rows[i].value, rows[i].attr);
        if (in.w > 44)
            text_put(win, yy, x + 43, in.w - 43, rows[i].word, app_attr(app, WROLE_LABEL), g);
    }
    if (in.h >= 6) {
        char state[64];
        enum wrole role;
        const struct rct_oid_info *info = rct_registry_by_name("prim_sm.state");
        app_value_text(app, info->oid, state, sizeof state, &role);
        char line2[160];
        /* The directions again in words, for narrow boxes and for colour-blind eyes. */
        if (in.w > 44 || (!*bat_word && !*grid_word))
            snprintf(line2, sizeof line2, "state: %s", state);
        else
            snprintf(line2, sizeof line2, "grid %s, battery %s; %s", *grid_word ? grid_word : "?",
                     *bat_word ? bat_word : "?", state);
        text_put(win, in.y + 5, x, in.w, line2, app_attr(app, role == WROLE_VALUE ? WROLE_LABEL : role), g);
    }
}

static const char *battery_words(struct app *app)
{
    double s;
    if (!app_number(app, "battery.bat_status", &s))
        return "";
    unsigned st = (unsigned)s;
    if ((st & 8) && (st & 1024))
        return "calibrating";
    if (st & 2048)
        return "balancing";
    if (st & 8)
        return "charging";
    if (st & 1024)
        return "discharging";
    return "idle";
}

static void draw_battery(struct app *app, WINDOW *win, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    box_draw(win, r, "Battery", app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    if (in.h < 1 || in.w < 16)
        return;
    double soc;
    bool has_soc = app_number(app, "battery.soc", &soc);
    text_put(win, in.y, in.x, 4, "SOC", app_attr(app, WROLE_LABEL), g);
    char pct[16];
    if (has_soc)
        snprintf(pct, sizeof pct, "%3.0f %%", soc);
    else
        snprintf(pct, sizeof pct, "%s", g->ellipsis);
    int gw = in.w - 12;
    gauge_draw(win, in.y, in.x + 4, gw, has_soc ? soc / 100.0 : NAN, app_attr(app, WROLE_OK),
               app_attr(app, WROLE_BORDER), g);
    put_right(app, in.y, in.x + 4 + gw, 7, pct, app_attr(app, has_soc ? WROLE_VALUE : WROLE_STALE));
    if (in.h < 2)
        return;
    char line[128], p[32], v[32], c[32], t[32], h[32], cy[32];
    attr_t pa;
    enum wrole role;
    watts(app, "g_sync.p_acc_lp", p, sizeof p, &pa, NULL);
    app_value_text(app, rct_registry_by_name("battery.voltage")->oid, v, sizeof v, &role);
    app_value_text(app, rct_registry_by_name("battery.current")->oid, c, sizeof c, &role);
    snprintf(line, sizeof line, "%s  %s  %s  %s", battery_words(app), p, v, c);
    text_put(win, in.y + 1, in.x, in.w, line, app_attr(app, WROLE_VALUE), g);
    if (in.h < 3)
        return;
    app_value_text(app, rct_registry_by_name("battery.temperature")->oid, t, sizeof t, &role);
    app_value_text(app, rct_registry_by_name("battery.soh")->oid, h, sizeof h, &role);
    app_value_text(app, rct_registry_by_name("battery.cycles")->oid, cy, sizeof cy, &role);
    snprintf(line, sizeof line, "%s   SOH %s   %s cycles", t, h, cy);
    text_put(win, in.y + 2, in.x, in.w, line, app_attr(app, WROLE_VALUE), g);
}

static void draw_grid(struct app *app, WINDOW *win, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    box_draw(win, r, "Grid", app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    if (in.h < 1 || in.w < 10)
        return;
    const char *names[] = {"g_sync.u_l_rms[0]", "g_sync.u_l_rms[1]", "g_sync.u_l_rms[2]", "grid_pll[0].f"};
    int x = in.x;
    for (size_t i = 0; i < 4 && x < in.x + in.w; i++) {
        char buf[32];
        enum wrole role;
        app_value_text(app, rct_registry_by_name(names[i])->oid, buf, sizeof buf, &role);
        x += text_put(win, in.y, x, in.x + in.w - x, buf, app_attr(app, role), g) + 1;
    }
    if (in.h >= 2 && in.w >= 40) {
        /* Per-phase household and grid powers where there is room. */
        char line[160], l1[32], l2[32], l3[32];
        attr_t a;
        watts(app, "g_sync.p_ac_load[0]", l1, sizeof l1, &a, NULL);
        watts(app, "g_sync.p_ac_load[1]", l2, sizeof l2, &a, NULL);
        watts(app, "g_sync.p_ac_load[2]", l3, sizeof l3, &a, NULL);
        snprintf(line, sizeof line, "House L1 %s  L2 %s  L3 %s", l1, l2, l3);
        text_put(win, in.y + 1, in.x, in.w, line, app_attr(app, WROLE_LABEL), g);
    }
}

static void draw_history(struct app *app, WINDOW *win, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    char title[64];
    snprintf(title, sizeof title, "Last %d min", app->opt.cfg.history_minutes);
    box_draw(win, r, title, app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    /* The first five always; the strings apart where the box has room. */
    struct { const char *label, *name; enum wrole role; bool signed_scale; } series[] = {
        {"PV", NULL, WROLE_GRAPH1, false},
        {"House", "g_sync.p_ac_load_sum_lp", WROLE_GRAPH2, false},
        {"Grid", "g_sync.p_ac_grid_sum_lp", WROLE_GRAPH3, true},
        {"Battery", "g_sync.p_acc_lp", WROLE_GRAPH4, true},
        {"SOC", "battery.soc", WROLE_GRAPH5, false},
        {"PV A", "dc_conv.dc_conv_struct[0].p_dc_lp", WROLE_GRAPH1, false},
        {"PV B", "dc_conv.dc_conv_struct[1].p_dc_lp", WROLE_GRAPH1, false},
    };
    int width = in.w - 22;
    if (width < 4)
        return;
    int64_t now = session_mono_ms();
    int64_t span = (int64_t)app->opt.cfg.history_minutes * 60000;
    static struct store_sample a[STORE_RING], b[STORE_RING];
    static double values[512];
    for (int i = 0; i < 7 && i < in.h; i++) {
        int y = in.y + i;
        text_put(win, y, in.x + 1, 8, series[i].label, app_attr(app, WROLE_LABEL), g);
        /* One column per time slot; slots without a sample stay empty (NaN). */
        for (int c = 0; c < width && c < 512; c++)
            values[c] = NAN;
        size_t na, nb = 0;
        if (series[i].name) {
            na = store_ring(app->store, rct_registry_by_name(series[i].name)->oid, a, STORE_RING);
        } else {
            na = store_ring(app->store, rct_registry_by_name("dc_conv.dc_conv_struct[0].p_dc_lp")->oid, a, STORE_RING);
            nb = store_ring(app->store, rct_registry_by_name("dc_conv.dc_conv_struct[1].p_dc_lp")->oid, b, STORE_RING);
        }
        double latest = NAN;
        for (size_t k = 0; k < na; k++) {
            int64_t age = now - a[k].t_ms;
            if (age > span)
                continue;
            int c = width - 1 - (int)(age * width / (span ? span : 1));
            if (c < 0 || c >= width)
                continue;
            double v = a[k].value;
            if (!series[i].name) {
                /* PV = A + B at the nearest B sample. */
                double vb = NAN;
                for (size_t m = 0; m < nb; m++)
                    if (llabs(b[m].t_ms - a[k].t_ms) < 5000)
                        vb = b[m].value;
                if (isnan(vb))
                    continue;
                v += vb;
            }
            if (!strcmp(series[i].label, "SOC"))
                v *= 100;
            values[c] = v;
            latest = v;
        }
        double lo = 0, hi = 0;
        if (!spark_range(values, (size_t)width, &lo, &hi)) {
            text_put(win, y, in.x + 10, width, g->ellipsis, app_attr(app, WROLE_STALE), g);
            continue;
        }
        if (series[i].signed_scale) {
            double m = fmax(fabs(lo), fabs(hi));
            lo = -m;
            hi = m;
        } else if (lo > 0) {
            lo = 0;
        }
        if (!strcmp(series[i].label, "SOC")) {
            lo = 0;
            hi = 100;
        }
        spark_draw(win, y, in.x + 10, width, values, (size_t)width, lo, hi,
                   app_attr(app, series[i].role), g);
        char num[32];
        if (isnan(latest))
            snprintf(num, sizeof num, "%s", g->ellipsis);
        else if (!strcmp(series[i].label, "SOC"))
            snprintf(num, sizeof num, "%.0f %%", latest);
        else
            valfmt_power(latest, false, num, sizeof num);
        put_right(app, y, in.x + 11 + width, 10, num, app_attr(app, WROLE_VALUE));
    }
}

static void draw_today(struct app *app, WINDOW *win, int y, struct wrect r)
{
    const struct wglyphs *g = app->glyphs;
    /* Feed-in counters are negative on the device; the words say the direction. */
    static const struct { const char *label; const char *a, *b; } items[] = {
        {"PV", "energy.e_dc_day[0]", "energy.e_dc_day[1]"},
        {"House", "energy.e_load_day", NULL},
        {"Fed in", "energy.e_grid_feed_day", NULL},
        {"Bought", "energy.e_grid_load_day", NULL},
    };
    int x = r.x + 1;
    x += text_put(win, y, x, r.w, "Today", app_attr(app, app->silent ? WROLE_STALE : WROLE_TITLE), g) + 2;
    for (size_t i = 0; i < sizeof items / sizeof items[0] && x < r.x + r.w; i++) {
        double a = 0, b = 0;
        bool ok = app_number(app, items[i].a, &a) && (!items[i].b || app_number(app, items[i].b, &b));
        bool fresh = ok && app_is_fresh(app, items[i].a) && (!items[i].b || app_is_fresh(app, items[i].b));
        char line[64];
        if (ok)
            snprintf(line, sizeof line, "%s %.1f kWh", items[i].label, fabs(a + b) / 1000);
        else
            snprintf(line, sizeof line, "%s %s", items[i].label, g->ellipsis);
        x += text_put(win, y, x, r.x + r.w - x, line, app_attr(app, fresh ? WROLE_VALUE : WROLE_STALE), g) + 2;
    }
}

static void draw_faults_line(struct app *app, WINDOW *win, int y, struct wrect r)
{
    int n = app_active_faults(app);
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
        text_put(win, y, r.x + 1, r.w - 2, "no active faults", app_attr(app, WROLE_OK), app->glyphs);
        return;
    }
    size_t len = (size_t)snprintf(line, sizeof line, " %d ACTIVE FAULT%s: ", n, n == 1 ? "" : "S");
    int shown = 0;
    for (unsigned bit = 0; bit < 128 && len < sizeof line - 64; bit++) {
        if (!(app->fault_words[bit / 32] & (1u << (bit % 32))))
            continue;
        const char *label = rct_fault_label(bit);
        char fallback[16];
        snprintf(fallback, sizeof fallback, "bit %u", bit);
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", shown++ ? ", " : "",
                                label ? label : fallback);
    }
    snprintf(line + len, sizeof line - len, "  (press 3) ");
    text_put(win, y, r.x, r.w, line, app_attr(app, WROLE_FAULT_ACTIVE), app->glyphs);
}

static void dashboard_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    (void)state;
    /* Rows: flow/battery/grid block (8), history (7), today (1), faults (1). */
    /* Taller terminals give the grid box a second line (per-phase house powers). */
    int top_h = area.h >= 24 ? 9 : area.h >= 10 ? 8 : area.h - 2;
    if (top_h < 3)
        top_h = 3;
    struct wrect top, rest, left, right, bat, grid;
    layout_split_rows(area, top_h, &top, &rest);
    int left_w = area.w >= 90 ? area.w / 2 : area.w >= 80 ? 44 : area.w;
    layout_split_columns(top, left_w, &left, &right);
    draw_flow(app, win, left);
    if (right.w >= 20) {
        layout_split_rows(right, 5, &bat, &grid);
        draw_battery(app, win, bat);
        draw_grid(app, win, grid);
    }
    int hist_h = rest.h - 2;
    if (hist_h > 9)
        hist_h = 9;
    if (hist_h >= 3) {
        struct wrect hist, bottom;
        layout_split_rows(rest, hist_h, &hist, &bottom);
        draw_history(app, win, hist);
        rest = bottom;
    }
    if (rest.h >= 1)
        draw_today(app, win, rest.y, rest);
    if (rest.h >= 2)
        draw_faults_line(app, win, rest.y + 1, rest);
    else if (app_active_faults(app) > 0)
        draw_faults_line(app, win, area.y + area.h - 1, area);
}

const struct view view_dashboard = {
    .title = "Dashboard",
    .digit = '1',
    .draw = dashboard_draw,
    .visible_oids = dashboard_visible,
    .help = "\t\n(dashboard)\tpower flow, battery, grid, last minutes, today\n",
};
