/* Pane 0, plant: one row per unit (role, link, PV, AC, battery, grid, faults, worst
 * finding), then the plant's totals each with its source, then the plant findings and the
 * master's own report of its slaves. Shown only with several units (panes_for_units). It
 * reads app->plant (tui/plant) and each unit's link state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/format/valfmt.h"
#include "tui/monitor/app.h"
#include "tui/monitor/keys.h"
#include "tui/plant/plant_view.h"
#include "widgets/box.h"
#include "widgets/text.h"

struct plant_pane {
    int selected;
    int rows_y;                /* screen row of the first unit, for clicks */
    int nrows_shown;
};

static void *plant_create(struct app *app)
{
    struct plant_pane *p = calloc(1, sizeof *p);
    if (p)
        p->selected = (int)app->current;
    return p;
}

static void plant_destroy(void *state)
{
    free(state);
}

static enum wrole severity_role(enum health_severity s)
{
    return s == HEALTH_CRITICAL ? WROLE_ERROR : s == HEALTH_WARNING ? WROLE_WARN
           : s == HEALTH_OK ? WROLE_OK : s == HEALTH_PENDING ? WROLE_STALE : WROLE_LABEL;
}

/* A figure as a cell: its power, "n/a" where the unit has no such thing, "…" not yet. */
static const char *power_cell(const struct plant_figure *f, const char *dots, char *buf, size_t cap)
{
    if (f->unsupported)
        snprintf(buf, cap, "n/a");
    else if (!f->known)
        snprintf(buf, cap, "%s", dots);
    else
        valfmt_power(f->value, false, buf, cap);
    return buf;
}

static const char *battery_cell(const struct plant_row *r, const char *dots, char *buf, size_t cap)
{
    char soc[16], w[24];
    if (!r->has_battery)
        return snprintf(buf, cap, "no battery"), buf;
    snprintf(soc, sizeof soc, "%s", dots);
    if (r->soc.known)
        snprintf(soc, sizeof soc, "%.0f %%", r->soc.value);
    snprintf(buf, cap, "%s %s", soc, power_cell(&r->battery, dots, w, sizeof w));
    return buf;
}

/* The link in a word or two: what the status bar says at length. */
static const char *link_cell(const struct app *app, size_t i, char *buf, size_t cap)
{
    const struct device *d = app->devices[i];
    enum link_state st = session_state(d->session);
    if (st == LINK_OFFLINE)
        snprintf(buf, cap, "offline");
    else if (d->knows.silent || st == LINK_SILENT)
        snprintf(buf, cap, "no answer");
    else
        snprintf(buf, cap, "%s", link_state_name(st));
    return buf;
}

static const char *worst_cell(const struct plant_row *r, const char *dots, char *buf, size_t cap)
{
    if (r->active_faults > 0)
        snprintf(buf, cap, "%d FAULT%s%s", r->active_faults, r->active_faults == 1 ? "" : "S",
                 r->faults_current ? "" : "?");
    else
        snprintf(buf, cap, "%s%s", r->worst == HEALTH_PENDING ? dots : health_severity_name(r->worst),
                 r->data_current || r->worst == HEALTH_PENDING ? "" : "?");
    return buf;
}

/* Columns in the order they go when the pane is narrow: last first. */
enum { COL_UNIT, COL_LINK, COL_PV, COL_AC, COL_BATTERY, COL_GRID, COL_WORST, COL_ROLE,
       COL_MODEL, COL_SERIAL, NCOLS };
static const struct { const char *title; int width; bool right; } columns[NCOLS] = {
    [COL_UNIT] = {"unit", 8, false},      [COL_LINK] = {"link", 9, false},
    [COL_PV] = {"PV A+B", 8, true},       [COL_AC] = {"AC", 8, true},
    [COL_BATTERY] = {"battery", 13, true}, [COL_GRID] = {"grid", 8, true},
    [COL_WORST] = {"worst", 8, false},    [COL_ROLE] = {"role", 18, false},
    [COL_MODEL] = {"model", 12, false},   [COL_SERIAL] = {"serial", 10, false},
};
/* Left to right as drawn. */
static const int drawn_order[NCOLS] = {COL_UNIT, COL_MODEL, COL_SERIAL, COL_ROLE, COL_LINK,
                                       COL_PV, COL_AC, COL_BATTERY, COL_GRID, COL_WORST};

/* The unit column is as wide as the longest label (up to 22): "127.0.0.1:40001" whole. */
static int unit_width;

static int width_of(int c)
{
    return c == COL_UNIT ? unit_width : columns[c].width;
}

static int columns_that_fit(int width)
{
    int used = 2, n = 0;
    while (n < NCOLS && used + width_of(n) + 2 <= width)
        used += width_of(n++) + 2;
    return n;
}

static void put_cell(struct app *app, WINDOW *win, int y, int x, int c, const char *text, attr_t a)
{
    if (columns[c].right)
        text_put_right(win, y, x, width_of(c), text, a, app->glyphs);
    else
        text_put(win, y, x, width_of(c), text, a, app->glyphs);
}

static void draw_units(struct app *app, struct plant_pane *p, WINDOW *win, struct wrect r)
{
    const struct plant_state *ps = app->plant;
    char title[64];
    snprintf(title, sizeof title, "Units (%zu)", ps->n);
    box_draw(win, r, title, app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), app->glyphs);
    unit_width = columns[COL_UNIT].width;
    for (size_t i = 0; i < ps->n; i++) {
        int w = text_width(ps->units[i].label);
        unit_width = w > unit_width ? (w < 22 ? w : 22) : unit_width;
    }
    int fit = columns_that_fit(r.w - 2);
    int y = r.y + 1, x0 = r.x + 3;
    int x = x0;
    for (int k = 0; k < NCOLS; k++) {
        int c = drawn_order[k];
        if (c >= fit)
            continue;
        put_cell(app, win, y, x, c, columns[c].title, app_attr(app, WROLE_LABEL));
        x += width_of(c) + 2;
    }
    p->rows_y = y + 1;
    p->nrows_shown = 0;
    for (size_t i = 0; i < ps->n && y + 1 < r.y + r.h - 1; i++) {
        y++;
        p->nrows_shown++;
        const struct plant_row *row = &ps->rows[i];
        bool sel = (int)i == p->selected;
        attr_t base = app_attr(app, row->data_current ? WROLE_VALUE : WROLE_STALE);
        if (sel) {
            attr_t h = app_attr(app, WROLE_HIGHLIGHT);
            wattron(win, h);
            mvwhline(win, y, r.x + 1, ' ', r.w - 2);
            wattroff(win, h);
            base = h;
        }
        text_put(win, y, r.x + 1, 2, i == app->current ? app->glyphs->arrow_right : " ", base, app->glyphs);
        char cell[96];
        const char *dots = app->glyphs->ellipsis;
        x = x0;
        for (int k = 0; k < NCOLS; k++) {
            int c = drawn_order[k];
            if (c >= fit)
                continue;
            attr_t a = base;
            const char *text = "";
            switch (c) {
            case COL_UNIT: text = ps->units[i].label; break;
            case COL_MODEL: text = row->model[0] ? row->model : dots; break;
            case COL_SERIAL: text = row->serial[0] ? row->serial : dots; break;
            case COL_ROLE: text = row->role_text[0] ? row->role_text : dots; break;
            case COL_LINK:
                text = link_cell(app, i, cell, sizeof cell);
                if (!row->data_current && !sel)
                    a = app_attr(app, WROLE_WARN);
                break;
            case COL_PV: text = power_cell(&row->pv, dots, cell, sizeof cell); break;
            case COL_AC: text = power_cell(&row->ac, dots, cell, sizeof cell); break;
            case COL_BATTERY: text = battery_cell(row, dots, cell, sizeof cell); break;
            case COL_GRID:
                /* Only the plant's meter: a slave's grid OIDs are no meter of the plant. */
                text = (int)i == ps->totals.master || ps->n == 1 ? power_cell(&row->grid, dots, cell, sizeof cell)
                                                                 : "·";
                break;
            case COL_WORST:
                text = worst_cell(row, dots, cell, sizeof cell);
                if (!sel)
                    a = app_attr(app, row->active_faults > 0 ? WROLE_FAULT_ACTIVE : severity_role(row->worst));
                break;
            }
            put_cell(app, win, y, x, c, text, a);
            x += width_of(c) + 2;
        }
    }
}

static void total_line(struct app *app, WINDOW *win, int y, struct wrect r, const char *name,
                       const struct plant_total *t, const char *extra)
{
    char value[96], line[400];
    plant_total_text(t, value, sizeof value);
    snprintf(line, sizeof line, "%-9s %-34s %s%s", name, value, t->source, extra);
    attr_t a = app_attr(app, !t->known ? WROLE_STALE : t->not_current ? WROLE_WARN : WROLE_VALUE);
    text_put(win, y, r.x + 2, r.w - 4, line, a, app->glyphs);
}

static void draw_totals(struct app *app, WINDOW *win, struct wrect r)
{
    const struct plant_totals *t = &app->plant->totals;
    box_draw(win, r, "Plant now", app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), app->glyphs);
    int y = r.y + 1, last = r.y + r.h - 2;
    const char *bat_dir = !t->battery.known ? "" : t->battery.value > 50 ? " (discharging)"
                          : t->battery.value < -50 ? " (charging)" : " (idle)";
    const char *grid_dir = !t->grid.known ? "" : t->grid.value > 50 ? " (buying)"
                           : t->grid.value < -50 ? " (feeding in)" : "";
    if (y <= last) total_line(app, win, y++, r, "PV", &t->pv, "");
    if (y <= last) total_line(app, win, y++, r, "Battery", &t->battery, bat_dir);
    if (y <= last) total_line(app, win, y++, r, "House", &t->house, "");
    if (y <= last) total_line(app, win, y++, r, "Grid", &t->grid, grid_dir);
    if (y <= last && (t->external.known || t->external.not_current))
        total_line(app, win, y++, r, "External", &t->external, "");
}

/* The plant findings and each unit's worst, most serious first, as many as fit; returns
 * the row below them. */
static int draw_findings(struct app *app, WINDOW *win, int y, int last, struct wrect r)
{
    const struct plant_state *ps = app->plant;
    for (size_t i = 0; i < ps->nfindings && y <= last; i++) {
        const struct health_finding *f = &ps->findings[i];
        char line[300];
        snprintf(line, sizeof line, "plant: %s  %s", health_severity_name(f->severity), f->title);
        text_put(win, y++, r.x + 1, r.w - 2, line, app_attr(app, severity_role(f->severity)), app->glyphs);
    }
    for (size_t u = 0; u < ps->n && y <= last; u++) {
        const struct device_knows *k = ps->units[u].knows;
        if (!k)
            continue;
        for (size_t i = 0; i < k->nfindings && y <= last; i++) {
            const struct health_finding *f = &k->findings[i];
            if (f->severity != HEALTH_CRITICAL && f->severity != HEALTH_WARNING)
                continue;
            char line[300];
            snprintf(line, sizeof line, "%s: %s  %s", ps->units[u].label, health_severity_name(f->severity), f->title);
            text_put(win, y++, r.x + 1, r.w - 2, line, app_attr(app, severity_role(f->severity)), app->glyphs);
        }
    }
    return y;
}

/* What the master says of its slaves (net.slave_data), raw, below a blank row. */
static void draw_slave_reports(struct app *app, WINDOW *win, int y, int last, struct wrect r)
{
    const struct plant_state *ps = app->plant;
    int master = ps->totals.master;
    if (master < 0 || y + 2 > last)
        return;
    struct plant_slave_data d[PLANT_SLAVE_REPORTS_MAX];
    size_t n = plant_slave_reports(ps->units[master].store, d, PLANT_SLAVE_REPORTS_MAX);
    if (!n)
        return;
    char title[160];
    snprintf(title, sizeof title, "%s reports (net.slave_data, raw: its fields' meaning is not documented)",
             ps->units[master].label);
    text_put(win, ++y, r.x + 1, r.w - 2, title, app_attr(app, WROLE_LABEL), app->glyphs);
    for (size_t i = 0; i < n && ++y <= last; i++) {
        char line[300];
        text_put(win, y, r.x + 3, r.w - 4, plant_slave_report_text(&d[i], line, sizeof line),
                 app_attr(app, WROLE_STALE), app->glyphs);
    }
}

static void plant_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct plant_pane *p = state;
    const struct plant_state *ps = app->plant;
    if (p->selected >= (int)ps->n)
        p->selected = ps->n ? (int)ps->n - 1 : 0;
    int units_h = (int)ps->n + 3;
    int totals_h = 7;
    if (units_h > area.h)
        units_h = area.h;
    struct wrect units = {area.y, area.x, units_h, area.w};
    draw_units(app, p, win, units);
    int y = area.y + units_h;
    int left = area.y + area.h - y;
    if (left >= 4) {
        int h = left < totals_h ? left : totals_h;
        draw_totals(app, win, (struct wrect){y, area.x, h, area.w});
        y += h;
    }
    y = draw_findings(app, win, y, area.y + area.h - 1, area);
    draw_slave_reports(app, win, y, area.y + area.h - 1, area);
}

static bool plant_key(struct app *app, void *state, int ch)
{
    struct plant_pane *p = state;
    int n = (int)app->plant->n;
    switch (ch) {
    case KEY_UP: case 'k': if (p->selected > 0) p->selected--; return true;
    case KEY_DOWN: case 'j': if (p->selected + 1 < n) p->selected++; return true;
    case KEY_HOME: p->selected = 0; return true;
    case KEY_END: p->selected = n ? n - 1 : 0; return true;
    case '\n': case '\r': case KEY_ENTER:
        return keys_show_unit(app, (size_t)p->selected, '1');
    default: return false;
    }
}

static bool plant_click(struct app *app, void *state, int y, int x)
{
    (void)x;
    struct plant_pane *p = state;
    int row = y - p->rows_y;
    if (row < 0 || row >= p->nrows_shown)
        return false;
    if (row == p->selected)  /* a second click opens it, as Enter does */
        return keys_show_unit(app, (size_t)row, '1');
    p->selected = row;
    (void)app;
    return true;
}

static size_t plant_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)app;
    (void)state;
    return plant_oids(out, max);
}

const struct view view_plant = {
    .title = "Plant",
    .digit = '0',
    .create = plant_create,
    .destroy = plant_destroy,
    .draw = plant_draw,
    .key = plant_key,
    .visible_oids = plant_visible,
    .click = plant_click,
    .every_unit = true,
    .help = "\t\nUp Down\tselect a unit\nEnter\topen the selected unit's dashboard (panes 1-9 show it)\n"
            "[ ]\tprevious / next unit without leaving the pane\n"
            "(totals)\teach names its source; a unit not current is named, never left out\n",
};
