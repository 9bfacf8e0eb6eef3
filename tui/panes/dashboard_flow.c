/* The dashboard's power flow: PV strings and battery on the DC side of the inverter,
 * house and grid on its AC side, drawn as a diagram where there is room and as lines
 * where there is not; every direction an arrow and words, from the same signs. */
#include "tui/panes/dashboard_flow.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/core/towers.h"
#include "tui/monitor/app.h"
#include "tui/format/valfmt.h"
#include "widgets/box.h"
#include "widgets/text.h"

/* Below this a power is "idle" / "balanced": sensors read a few watts of noise. */
#define DEAD_BAND_W 25.0

void dashboard_read_power(struct app *app, enum dash_oid which, struct power *p)
{
    const struct store_entry *e = store_get(app_device(app)->store, dashboard_oid(which));
    double v;
    if (!e || !e->has_number || !app_number(app, dashboard_oid_name(which), &v) || !isfinite(v)) {
        enum wrole role;
        const char *missing = app_missing_text(app, dashboard_oid(which), &role);
        p->w = NAN;
        p->attr = app_attr(app, e && e->has_number ? WROLE_STALE : role);
        snprintf(p->text, sizeof p->text, "%s", e && e->has_number ? "NaN W" : missing);
        return;
    }
    p->w = v;
    p->attr = app_attr(app, e->state == STORE_FRESH ? WROLE_VALUE : WROLE_STALE);
    valfmt_power(v, true, p->text, sizeof p->text);
}

/* A direction from a sign, with the dead band: -1, 0 or +1 (0 also when unknown). */
static int sign_of(double w)
{
    return isnan(w) || fabs(w) < DEAD_BAND_W ? 0 : w > 0 ? 1 : -1;
}

void dashboard_read_flow(struct app *app, struct flow *f)
{
    dashboard_read_power(app, DASH_PV_A, &f->pv_a);
    dashboard_read_power(app, DASH_PV_B, &f->pv_b);
    dashboard_read_power(app, DASH_BATTERY, &f->bat);
    dashboard_read_power(app, DASH_INVERTER, &f->inv);
    dashboard_read_power(app, DASH_HOUSE, &f->house);
    dashboard_read_power(app, DASH_GRID, &f->grid);
    f->bat_dir = sign_of(f->bat.w);
    f->no_battery = towers_none(app_device(app)->store);
    f->inv_dir = sign_of(f->inv.w);
    f->grid_dir = sign_of(f->grid.w);
}

const char *dashboard_battery_direction(int dir, double w)
{
    return isnan(w) ? "" : dir > 0 ? "discharging" : dir < 0 ? "charging" : "idle";
}

static const char *grid_direction(int dir, double w)
{
    return isnan(w) ? "" : dir > 0 ? "drawing" : dir < 0 ? "feeding in" : "balanced";
}

static void put_right(struct app *app, WINDOW *win, int y, int x, int w, const char *s, attr_t a)
{
    text_put_right(win, y, x, w, s, a, app->glyphs);
}

/* The words line: every direction the arrows show, from the same numbers, in order of
 * the flow. Items that do not fit are left out whole, never cut. */
static void flow_words(struct app *app, const struct flow *f, char *out, size_t cap, int width)
{
    char parts[5][64], num[24];
    int n = 0;
    double pv = f->pv_a.w + f->pv_b.w;
    if (!isnan(pv))
        snprintf(parts[n++], sizeof parts[0], "PV %s", valfmt_power(pv, true, num, sizeof num));
    if (f->no_battery)
        snprintf(parts[n++], sizeof parts[0], "no battery");
    else if (!isnan(f->bat.w))
        snprintf(parts[n++], sizeof parts[0], f->bat_dir ? "battery %s %s" : "battery %s",
                 dashboard_battery_direction(f->bat_dir, f->bat.w), valfmt_power(f->bat.w, true, num, sizeof num));
    if (!isnan(f->grid.w))
        snprintf(parts[n++], sizeof parts[0], f->grid_dir ? "%s %s" : "grid %s",
                 f->grid_dir > 0 ? "buying" : f->grid_dir < 0 ? "feeding in" : "balanced",
                 valfmt_power(f->grid.w, true, num, sizeof num));
    if (!isnan(f->house.w))
        snprintf(parts[n++], sizeof parts[0], "house %s", valfmt_power(f->house.w, true, num, sizeof num));
    out[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        int need = text_width(parts[i]) + (len ? 2 : 0);
        if ((int)text_width(out) + need > width)
            break;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "; " : "", parts[i]);
    }
    (void)app;
}

/* The diagram needs 41 columns and 5 rows (centred in wider boxes):
 *   PV A     2 431 W─┐
 *   PV B     1 102 W─┼─▶ Inverter ─┬─▶ House
 *   Battery  1 250 W◀┘    1 370 W  │  1 856 W
 *     charging                     └─◀ Grid
 *                           drawing     427 W                                          */

static void draw_diagram(struct app *app, WINDOW *win, struct wrect in, const struct flow *f)
{
    const struct wglyphs *g = app->glyphs;
    attr_t lab = app_attr(app, WROLE_LABEL), line = app_attr(app, WROLE_BORDER);
    int x = in.x + (in.w - FLOW_W) / 2;
    int y = in.y + (in.h >= 7 ? 1 : 0);
    int jx = x + 16, ix = x + 21, tx = x + 31, hx = x + 35;
    char buf[64];
    if (in.h >= 7) {
        text_put(win, in.y, x + 8, 8, "DC side", app_attr(app, WROLE_STALE), g);
        text_put(win, in.y, hx - 1, 8, "AC side", app_attr(app, WROLE_STALE), g);
    }
    text_put(win, y, x, 8, "PV A", lab, g);
    put_right(app, win, y, x + 8, 8, f->pv_a.text, f->pv_a.attr);
    snprintf(buf, sizeof buf, "%s%s", g->hline, g->tr);
    text_put(win, y, jx, 2, buf, line, g);
    text_put(win, y + 1, x, 8, "PV B", lab, g);
    put_right(app, win, y + 1, x + 8, 8, f->pv_b.text, f->pv_b.attr);
    /* The DC bus into the inverter (out of it when it charges the battery from AC); no
     * branch down to a battery the device does not have. */
    snprintf(buf, sizeof buf, "%s%s%s%s", g->hline, f->no_battery ? g->tee_up : g->cross, g->hline,
             f->inv_dir < 0 ? g->arrow_left : g->arrow_right);
    text_put(win, y + 1, jx, 4, buf, line, g);
    text_put(win, y + 1, ix, 8, "Inverter", lab | A_BOLD, g);
    put_right(app, win, y + 2, ix, 8, f->inv.text, f->inv.attr);
    /* The battery on the DC side: an arrow into it when charging. */
    if (f->no_battery) {
        text_put(win, y + 2, x, 16, "no battery", app_attr(app, WROLE_STALE), g);
    } else {
        text_put(win, y + 2, x, 8, "Battery", lab, g);
        put_right(app, win, y + 2, x + 8, 8, f->bat.text, f->bat.attr);
        snprintf(buf, sizeof buf, "%s%s", f->bat_dir < 0 ? g->arrow_left : g->hline, g->br);
        text_put(win, y + 2, jx, 2, buf, line, g);
    }
    /* The AC side: the house always takes; the grid gives or takes. */
    snprintf(buf, sizeof buf, "%s%s%s%s", g->hline, g->tee_down, g->hline, g->arrow_right);
    text_put(win, y + 1, tx - 1, 4, buf, line, g);
    text_put(win, y + 1, hx, 6, "House", lab, g);
    text_put(win, y + 2, tx, 1, g->vline, line, g);
    put_right(app, win, y + 2, hx - 2, 8, f->house.text, f->house.attr);
    if (y + 3 < in.y + in.h) {
        snprintf(buf, sizeof buf, "%s%s%s", g->corner_down_left, g->hline,
                 f->grid_dir > 0 ? g->arrow_left : f->grid_dir < 0 ? g->arrow_right : g->hline);
        text_put(win, y + 3, tx, 3, buf, line, g);
        text_put(win, y + 3, hx, 6, "Grid", lab, g);
        const char *bw = f->no_battery ? "" : dashboard_battery_direction(f->bat_dir, f->bat.w);
        text_put(win, y + 3, x + 2, 14, bw, lab, g);
    }
    if (y + 4 < in.y + in.h) {
        put_right(app, win, y + 4, hx - 2, 8, f->grid.text, f->grid.attr);
        const char *gw = grid_direction(f->grid_dir, f->grid.w);
        text_put_right(win, y + 4, x + 18, tx - 1 - (x + 18), gw, lab, g);
    }
}

/* Small boxes (and no box at all on the smallest screens): one line per flow, the
 * direction in words, the most important first. */
static void draw_compact(struct app *app, WINDOW *win, struct wrect in, const struct flow *f)
{
    const struct wglyphs *g = app->glyphs;
    struct power pv;
    pv.w = f->pv_a.w + f->pv_b.w;
    if (isnan(pv.w)) {
        snprintf(pv.text, sizeof pv.text, "%s", f->pv_a.text);
        pv.attr = f->pv_a.attr;
    } else {
        valfmt_power(pv.w, true, pv.text, sizeof pv.text);
        pv.attr = f->pv_a.attr != app_attr(app, WROLE_VALUE) ? f->pv_a.attr : f->pv_b.attr;
    }
    struct { const char *label; const struct power *p; const char *word; } rows[] = {
        {"PV", &pv, ""},
        {"Battery", &f->bat, dashboard_battery_direction(f->bat_dir, f->bat.w)},
        {"Grid", &f->grid, grid_direction(f->grid_dir, f->grid.w)},
        {"House", &f->house, ""},
        {"PV A", &f->pv_a, ""},
        {"PV B", &f->pv_b, ""},
        {"Inverter", &f->inv, f->inv_dir < 0 ? "AC to DC" : f->inv_dir > 0 ? "DC to AC" : ""},
    };
    int label_w = in.w >= 24 ? 9 : 5, value_w = 8;
    for (int i = 0, y = in.y; i < 7 && y < in.y + in.h; i++) {
        if (i == 1 && f->no_battery)
            continue;  /* no battery row on a device without one */
        text_put(win, y, in.x, label_w, rows[i].label, app_attr(app, WROLE_LABEL), g);
        put_right(app, win, y, in.x + label_w, value_w, rows[i].p->text, rows[i].p->attr);
        int wx = in.x + label_w + value_w + 1;
        if (wx < in.x + in.w)
            text_put(win, y, wx, in.x + in.w - wx, rows[i].word, app_attr(app, WROLE_LABEL), g);
        y++;
    }
}

void dashboard_draw_flow(struct app *app, WINDOW *win, struct wrect r, const struct flow *f)
{
    const struct wglyphs *g = app->glyphs;
    if (r.h < 4) {
        draw_compact(app, win, r, f);  /* no room for a border */
        return;
    }
    box_draw(win, r, "Power flow", app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    if (in.h < 1 || in.w < 4)
        return;
    bool diagram = in.w >= FLOW_W && in.h >= 5;
    if (!diagram) {
        draw_compact(app, win, in, f);
        return;
    }
    draw_diagram(app, win, in, f);
    if (in.h < 6)
        return;
    int words_y = in.y + in.h - 1;
    char words[200];
    flow_words(app, f, words, sizeof words, in.w);
    text_put(win, words_y, in.x, in.w, words, app_attr(app, WROLE_LABEL), g);
    /* The inverter's own state where it fits whole (never cut mid-word). */
    if (in.h >= 8) {
        char state[64], line[96];
        enum wrole role;
        app_value_text(app, dashboard_oid(DASH_INVERTER_STATE), state, sizeof state, &role);
        snprintf(line, sizeof line, "inverter state: %s", state);
        if (text_width(line) <= in.w)
            text_put(win, words_y - 1, in.x, in.w, line, app_attr(app, role == WROLE_VALUE ? WROLE_LABEL : role), g);
    }
}

/* battery.bat_status as the device sends it: raw, with its set bits. Reports disagree on
 * what the bits mean (charging, discharging, calibration phases, balancing), so no bit
 * is named as a fact; the direction comes from the sign of the battery power instead. */
