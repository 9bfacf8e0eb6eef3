/* Pane 6, battery: per tower (labelled by its BMS serial) and per module the 24 cell voltages and temperatures with the extremes
 * marked and the spread, the BMS statistics with their times, cell resistances, cycles,
 * state of health and serial numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/towers.h"
#include "tui/monitor/app.h"
#include "widgets/box.h"
#include "widgets/text.h"


struct battery_state {
    int scroll;          /* lines scrolled off the top */
    int total, page;     /* lines of the last drawing, and rows on screen */
};

/* Module blocks are drawn on virtual rows; only those inside the pane reach the screen. */
struct clip {
    int top, bottom;     /* screen rows that may be drawn, [top, bottom) */
    int offset;          /* virtual row -> screen row */
};

static void put(WINDOW *win, const struct clip *cl, int vy, int x, int w, const char *text,
                attr_t attr, const struct wglyphs *g)
{
    int y = vy - cl->offset;
    if (y >= cl->top && y < cl->bottom)
        text_put(win, y, x, w, text, attr, g);
}

static void *battery_create(struct app *app)
{
    (void)app;
    return calloc(1, sizeof(struct battery_state));
}

static void battery_destroy(void *state)
{
    free(state);
}

/* The towers to show: those present; the first family alone when none is (it says why). */
static int towers_shown(struct app *app, int *which)
{
    int n = towers_present(app_device(app)->store, which);
    if (n == 0)
        which[n++] = 0;
    return n;
}

static int module_count(struct app *app)
{
    int which[TOWERS_MAX], nt = towers_shown(app, which), n = 0;
    for (int i = 0; i < nt; i++) {
        int slots[TOWER_SLOTS];
        n += tower_modules(app_device(app)->store, which[i], slots);
    }
    return n;
}

static size_t battery_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)state;
    static const char *const overall[] = {"power_mng.n_batteries", "flash_rtc.flag_time_auto_switch"};
    static const char *const per_tower[] = {"bms_sn", "soc", "soh", "cycles", "temperature", "voltage", "current"};
    static const char *const per_module[] = {"module_sn", "cells", "cells_stat", "cells_resist",
                                             "stack_cycles"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof overall / sizeof overall[0] && n < max; i++)
        out[n++] = rct_registry_by_name(overall[i])->oid;
    /* Per tower its figures, every slot's serial and cells (which modules there are), the
     * rest of those present. The other family only once it answers its BMS serial. */
    for (int t = 0; t < TOWERS_MAX; t++) {
        bool worth = tower_worth_asking(app_device(app)->store, t);
        for (size_t k = 0; k < sizeof per_tower / sizeof per_tower[0] && n < max; k++) {
            const struct rct_oid_info *info = tower_oid(t, per_tower[k]);
            if (info && (worth || k == 0))
                out[n++] = info->oid;
        }
        for (int m = 0; m < TOWER_SLOTS && worth; m++)
            for (size_t k = 0; k < sizeof per_module / sizeof per_module[0] && n < max; k++) {
                if (k >= 2 && !tower_module_present(app_device(app)->store, t, m))
                    break;
                const struct rct_oid_info *info = tower_slot_oid(t, per_module[k], m);
                if (info)
                    out[n++] = info->oid;
            }
    }
    return n;
}

/* A tower's own line: its serial, modules, charge, health and figures (two towers only);
 * a figure its family has no OID for is left out. */
static int draw_tower_line(struct app *app, WINDOW *win, const struct clip *cl, int y,
                           struct wrect area, int t)
{
    static const struct { const char *what, *label, *after; } fields[] = {
        {"soc", "SOC ", ""}, {"soh", "SOH ", ""}, {"cycles", "", " cycles"},
        {"temperature", "", ""}, {"voltage", "", ""}, {"current", "", ""}};
    char label[96], line[400], value[32];
    int slots[TOWER_SLOTS], n = tower_modules(app_device(app)->store, t, slots);
    size_t len = (size_t)snprintf(line, sizeof line, "Tower %s   %d module%s",
                                  tower_label(app_device(app)->store, t, label, sizeof label), n, n == 1 ? "" : "s");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && len < sizeof line; i++) {
        const struct rct_oid_info *info = tower_oid(t, fields[i].what);
        enum wrole role;
        if (!info)
            continue;
        app_value_text(app, info->oid, value, sizeof value, &role);
        len += (size_t)snprintf(line + len, sizeof line - len, "   %s%s%s", fields[i].label, value, fields[i].after);
    }
    if (len < sizeof line)
        snprintf(line + len, sizeof line - len, "   (%s.*)", tower_family(t));
    const struct rct_oid_info *bms = tower_oid(t, "bms_sn");
    put(win, cl, y++, area.x + 1, area.w - 2, line,
        app_attr(app, bms ? app_role_for(app, bms->oid, WROLE_TITLE) : WROLE_STALE), app->glyphs);
    return y;
}

static int draw_module(struct app *app, WINDOW *win, const struct clip *cl, int y,
                       struct wrect area, int t, int m)
{
    const struct wglyphs *g = app->glyphs;
    static struct rct_value v;
    char line[256], sn[64] = "", cyc[32] = "";
    enum wrole role;
    const struct rct_oid_info *info = tower_slot_oid(t, "module_sn", m);
    if (info)
        app_value_text(app, info->oid, sn, sizeof sn, &role);
    info = tower_slot_oid(t, "stack_cycles", m);
    if (info)
        app_value_text(app, info->oid, cyc, sizeof cyc, &role);
    /* Numbered as the device numbers them (battery.module_sn[0] is module 0), the same
     * as the Device pane and the registry's labels. */
    snprintf(line, sizeof line, "Module %d   sn %s   %s cycles", m, sn, cyc);
    info = tower_slot_oid(t, "module_sn", m);
    put(win, cl, y++, area.x + 1, area.w - 2, line,
        app_attr(app, info ? app_role_for(app, info->oid, WROLE_TITLE) : WROLE_STALE), g);

    const struct rct_oid_info *cells = tower_slot_oid(t, "cells", m);
    if (!cells || !store_value(app_device(app)->store, cells->oid, &v)) {
        put(win, cl, y++, area.x + 3, area.w - 4, "cells not read yet", app_attr(app, WROLE_STALE), g);
        return y;
    }
    int lo = 0, hi = 0, tlo = 0, thi = 0;
    for (int c = 1; c < RCT_BAT_CELLS; c++) {
        if (v.u.cells[c].millivolt < v.u.cells[lo].millivolt) lo = c;
        if (v.u.cells[c].millivolt > v.u.cells[hi].millivolt) hi = c;
        if (v.u.cells[c].temp_c < v.u.cells[tlo].temp_c) tlo = c;
        if (v.u.cells[c].temp_c > v.u.cells[thi].temp_c) thi = c;
    }
    int per_row = (area.w - 4) / 18;
    per_row = per_row > 8 ? 8 : per_row < 1 ? 1 : per_row;
    int col_w = (area.w - 4) / per_row;
    for (int c = 0; c < RCT_BAT_CELLS; c++) {
        int row = c / per_row, col = c % per_row;
        const struct rct_bat_cell *cell = &v.u.cells[c];
        snprintf(line, sizeof line, "%2d %5.3f V %2d °C%s", c + 1, cell->millivolt / 1000.0,
                 (int)cell->temp_c, c == lo ? g->arrow_down : c == hi ? g->arrow_up : " ");
        /* Old cells are drawn stale, extremes included: an arrow on old data is no alarm. */
        enum wrole r = app_role_for(app, cells->oid, c == lo ? WROLE_WARN : c == hi ? WROLE_OK : WROLE_VALUE);
        put(win, cl, y + row, area.x + 3 + col * col_w, col_w - 1, line, app_attr(app, r), g);
    }
    y += (RCT_BAT_CELLS + per_row - 1) / per_row;
    snprintf(line, sizeof line, "min %.3f V (cell %d)  max %.3f V (cell %d)  spread %d mV   %d..%d °C",
             v.u.cells[lo].millivolt / 1000.0, lo + 1, v.u.cells[hi].millivolt / 1000.0, hi + 1,
             v.u.cells[hi].millivolt - v.u.cells[lo].millivolt, (int)v.u.cells[tlo].temp_c,
             (int)v.u.cells[thi].temp_c);
    put(win, cl, y++, area.x + 3, area.w - 4, line, app_attr(app, app_role_for(app, cells->oid, WROLE_LABEL)), g);

    const struct rct_oid_info *stats = tower_slot_oid(t, "cells_stat", m);
    if (stats && store_value(app_device(app)->store, stats->oid, &v)) {
        const struct { const char *name; const struct rct_bat_extreme *e; const char *unit; } ex[] = {
            {"lowest cell voltage ", &v.u.stats.u_min, "V"}, {"highest cell voltage", &v.u.stats.u_max, "V"},
            {"lowest temperature  ", &v.u.stats.t_min, "°C"}, {"highest temperature ", &v.u.stats.t_max, "°C"}};
        for (size_t i = 0; i < 4; i++) {
            char when[40] = "never";
            if (ex[i].e->ts)
                devclock_format(app_devclock(app), ex[i].e->ts, when, sizeof when);
            snprintf(line, sizeof line, "%s %7.*f %s  cell %2u  at %s", ex[i].name,
                     ex[i].unit[0] == 'V' ? 3 : 1, (double)ex[i].e->value, ex[i].unit,
                     (unsigned)ex[i].e->cell + 1, when);
            put(win, cl, y++, area.x + 3, area.w - 4, line, app_attr(app, app_role_for(app, stats->oid, WROLE_VALUE)), g);
        }
    }
    const struct rct_oid_info *res = tower_slot_oid(t, "cells_resist", m);
    if (res && store_value(app_device(app)->store, res->oid, &v)) {
        double rmin = 1e9, rmax = 0;
        for (int c = 0; c < RCT_BAT_CELLS; c++) {
            double r = v.u.resistance_raw[c] / 256.0;
            rmin = fmin(rmin, r);
            rmax = fmax(rmax, r);
        }
        snprintf(line, sizeof line, "cell resistance %.2f .. %.2f mOhm", rmin, rmax);
        put(win, cl, y++, area.x + 3, area.w - 4, line, app_attr(app, app_role_for(app, res->oid, WROLE_LABEL)), g);
    }
    return y + 1;
}

static void battery_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct battery_state *s = state;
    const struct wglyphs *g = app->glyphs;
    char line[256], soh[32], cycles[32], bms[64], temp[32];
    enum wrole role;
    int which[TOWERS_MAX], ntowers = towers_shown(app, which);
    app_value_text(app, rct_registry_by_name("battery.soh")->oid, soh, sizeof soh, &role);
    app_value_text(app, rct_registry_by_name("battery.cycles")->oid, cycles, sizeof cycles, &role);
    app_value_text(app, rct_registry_by_name("battery.bms_sn")->oid, bms, sizeof bms, &role);
    app_value_text(app, rct_registry_by_name("battery.temperature")->oid, temp, sizeof temp, &role);
    bool current = knows_data_current(&app_device(app)->knows, session_state(app_device(app)->session)) &&
                   app_is_fresh(app, "battery.soh");
    int nmod = module_count(app), n;
    /* A device without a battery: the one line, no header of figures that never come. */
    if (nmod == 0 && towers_none(app_device(app)->store)) {
        text_put(win, area.y, area.x + 1, area.w - 2,
                 "No battery: this device answers no battery OID (an inverter without storage).",
                 app_attr(app, WROLE_TITLE), g);
        s->total = 0;
        return;
    }
    /* One tower: its figures in the title. Two: each tower has its own line below. */
    if (ntowers > 1)
        n = snprintf(line, sizeof line, "Battery  %d towers   %d module%s", ntowers, nmod, nmod == 1 ? "" : "s");
    else
        n = snprintf(line, sizeof line, "Battery  SOH %s   %s cycles   %s   BMS %s   %d module%s", soh, cycles,
                     temp, bms, nmod, nmod == 1 ? "" : "s");
    const struct store_entry *soh_entry = store_get(app_device(app)->store, rct_registry_by_name("battery.soh")->oid);
    if (!current && soh_entry && soh_entry->has_value && n > 0 && (size_t)n < sizeof line) {
        char when[32];
        snprintf(line + n, sizeof line - (size_t)n, "   (not current: read %s)",
                 app_clock_text(soh_entry->updated_unix, when, sizeof when));
    }
    text_put(win, area.y, area.x + 1, area.w - 2, line, app_attr(app, current ? WROLE_TITLE : WROLE_STALE), g);
    /* Modules one after another on virtual rows; the pane scrolls by line. */
    s->page = area.h - 2;
    if (s->page < 1)
        s->page = 1;
    struct clip cl = {area.y + 1, area.y + area.h - 1, 0};
    if (nmod == 0) {
        const struct store_entry *sn = store_get(app_device(app)->store, tower_slot_oid(0, "module_sn", 0)->oid);
        const char *why = sn && sn->has_value ? "No battery modules: no slot holds a serial or cells."
                                              : "Battery modules not read yet";
        text_put(win, area.y + 2, area.x + 3, area.w - 4, why, app_attr(app, WROLE_STALE), g);
        s->total = 0;
        return;
    }
    /* Measure first (nothing drawn), then clamp the scroll and draw. */
    for (int pass = 0; pass < 2; pass++) {
        struct clip measure = {0, 0, 0};
        const struct clip *use = pass ? &cl : &measure;
        int y = area.y + 1;
        for (int i = 0; i < ntowers; i++) {
            int slots[TOWER_SLOTS], ns = tower_modules(app_device(app)->store, which[i], slots);
            if (ntowers > 1)
                y = draw_tower_line(app, win, use, y, area, which[i]);
            for (int k = 0; k < ns; k++)
                y = draw_module(app, win, use, y, area, which[i], slots[k]);
        }
        if (pass == 0) {
            s->total = y - (area.y + 1);
            if (s->scroll > s->total - s->page)
                s->scroll = s->total - s->page;
            if (s->scroll < 0)
                s->scroll = 0;
            cl.offset = s->scroll;
        }
    }
    if (s->total > s->page) {
        char pos[48];
        snprintf(pos, sizeof pos, "lines %d-%d of %d", s->scroll + 1, s->scroll + s->page, s->total);
        text_put_right(win, area.y + area.h - 1, area.x, area.w - 1, pos, app_attr(app, WROLE_STALE), g);
    }
}

static bool battery_key(struct app *app, void *state, int ch)
{
    (void)app;
    struct battery_state *s = state;
    switch (ch) {
    case KEY_DOWN: s->scroll++; return true;
    case KEY_UP: s->scroll--; return true;
    case KEY_NPAGE: s->scroll += s->page; return true;
    case KEY_PPAGE: s->scroll -= s->page; return true;
    case KEY_HOME: s->scroll = 0; return true;
    case KEY_END: s->scroll = 1 << 20; return true;
    default: return false;
    }
}

const struct view view_battery = {
    .title = "Battery",
    .short_title = "Batt",
    .digit = '6',
    .create = battery_create,
    .destroy = battery_destroy,
    .draw = battery_draw,
    .key = battery_key,
    .visible_oids = battery_visible,
    .help = "\t\nUp Down PgUp PgDn\tscroll by line, by page\nHome End\tfirst / last module\n",
};
