/* Pane 7, device: identity and firmware, then the device's settings by area (network,
 * grid protection, grid support, power management, the rest), every setting greyed and
 * marked RO: shown so an installer can check them, never written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/plant.h"
#include "tui/monitor/app.h"
#include "tui/monitor/listfilter.h"
#include "widgets/text.h"

struct section { const char *title; const char *groups; int kind; };

static const struct section sections[] = {
    {"Identity and firmware", NULL, RCT_KIND_IDENTITY},
    {"Network", "wifi modbus net", RCT_KIND_SETTING},
    {"Grid protection", "grid_mon frt switch_on_cond line_mon grid_lt", RCT_KIND_SETTING},
    {"Grid support curves", "nsm", RCT_KIND_SETTING},
    {"Power management", "power_mng bat_mng_struct buf_v_control p_rec battery battery_placeholder", RCT_KIND_SETTING},
    {"Other settings", "", RCT_KIND_SETTING},
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

struct device_row { int section; const struct rct_oid_info *info; };

struct device_state {
    struct device_row *rows;
    size_t n;
    int top, page;             /* top indexes the rows shown (the filter's) */
    struct list_filter filter;
    size_t *shown, nshown;
};

static bool in_groups(const char *list, const char *group)
{
    size_t n = strlen(group);
    for (const char *p = list; (p = strstr(p, group)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static int section_of(const struct rct_oid_info *info)
{
    if (info->kind == RCT_KIND_IDENTITY)
        return 0;
    if (info->kind != RCT_KIND_SETTING)
        return -1;
    for (size_t s = 1; s + 1 < NSECTIONS; s++)
        if (in_groups(sections[s].groups, info->group))
            return (int)s;
    return (int)NSECTIONS - 1;
}

static int by_name(const void *a, const void *b)
{
    const struct device_row *x = a, *y = b;
    return strcmp(x->info->name, y->info->name);
}

static void *device_create(struct app *app)
{
    (void)app;
    struct device_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->rows = calloc(rct_registry_count() + NSECTIONS, sizeof *s->rows);
    s->shown = calloc(rct_registry_count() + NSECTIONS, sizeof *s->shown);
    if (!s->rows || !s->shown) {
        free(s->rows);
        free(s->shown);
        free(s);
        return NULL;
    }
    for (size_t sec = 0; sec < NSECTIONS; sec++) {
        s->rows[s->n++] = (struct device_row){(int)sec, NULL};
        size_t first = s->n;
        for (size_t i = 0; i < rct_registry_count(); i++)
            if (section_of(rct_registry_at(i)) == (int)sec)
                s->rows[s->n++] = (struct device_row){(int)sec, rct_registry_at(i)};
        qsort(s->rows + first, s->n - first, sizeof *s->rows, by_name);
    }
    return s;
}

static void device_destroy(void *state)
{
    struct device_state *s = state;
    if (s) {
        free(s->rows);
        free(s->shown);
    }
    free(s);
}

/* The rows the filter lets through (by name and label); a section's title stays while
 * one of its rows does. */
static void filter_rows(struct device_state *s)
{
    s->nshown = 0;
    size_t title = SIZE_MAX;
    for (size_t i = 0; i < s->n; i++) {
        const struct device_row *r = &s->rows[i];
        if (!r->info) {
            title = i;
            if (!list_filter_active(&s->filter))
                s->shown[s->nshown++] = i;
            continue;
        }
        char text[400];
        snprintf(text, sizeof text, "%s %s", r->info->name, r->info->label);
        if (!list_filter_matches(&s->filter, text))
            continue;
        if (title != SIZE_MAX && list_filter_active(&s->filter))
            s->shown[s->nshown++] = title;
        title = SIZE_MAX;
        s->shown[s->nshown++] = i;
    }
}

static void device_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct device_state *s = state;
    const struct wglyphs *g = app->glyphs;
    filter_rows(s);
    s->page = area.h - 1;
    if (s->top > (int)s->nshown - s->page)
        s->top = (int)s->nshown - s->page;
    if (s->top < 0)
        s->top = 0;
    char pos[120];
    snprintf(pos, sizeof pos, "lines %d-%d of %zu", s->nshown ? s->top + 1 : 0,
             s->top + s->page < (int)s->nshown ? s->top + s->page : (int)s->nshown, s->nshown);
    if (list_filter_active(&s->filter))
        list_filter_prompt(&s->filter, (int)s->nshown, (int)s->n, pos, sizeof pos);
    const char *ro_note = "Read-only: rcttop shows the device's settings and never writes them.";
    /* What is typed must show: the read-only note gives way to the filter where both do
     * not fit. */
    bool pos_fits = text_width(ro_note) + text_width(pos) + 4 <= area.w;
    bool note = pos_fits || !list_filter_active(&s->filter);
    if (note)
        text_put(win, area.y, area.x + 1, pos_fits ? area.w - text_width(pos) - 4 : area.w - 2,
                 ro_note, app_attr(app, WROLE_READ_ONLY), g);
    if (pos_fits || !note)
        text_put_right(win, area.y, area.x, area.w - 1, pos,
                       app_attr(app, s->filter.typing ? WROLE_HIGHLIGHT : WROLE_STALE), g);
    /* What the settings below mean together: the plant role and how the clock is read. */
    char plant[80], zone[48], line[320];
    const struct devclock *dc = app_devclock(app);
    plant_role_text(app_device(app)->store, plant, sizeof plant);
    devclock_zone_text(dc, zone, sizeof zone);
    snprintf(line, sizeof line, "Plant role: %s   Clock: %s%s, drift %lld s (%s)", plant[0] ? plant : app->glyphs->ellipsis,
             dc->read ? "" : "not read yet, ", zone, (long long)dc->drift_s, dc->basis);
    if (area.h >= 4) {
        text_put(win, area.y + 1, area.x + 1, area.w - 2, line, app_attr(app, WROLE_LABEL), g);
        area.y++;
        area.h--;
        s->page = area.h - 1;
    }
    int name_w = area.w >= 100 ? 42 : 36;
    for (int i = 0; i < s->page && s->top + i < (int)s->nshown; i++) {
        const struct device_row *r = &s->rows[s->shown[s->top + i]];
        int y = area.y + 1 + i;
        if (!r->info) {
            text_put(win, y, area.x + 1, area.w - 2, sections[r->section].title, app_attr(app, WROLE_TITLE), g);
            continue;
        }
        char value[128];
        enum wrole role;
        app_value_text(app, r->info->oid, value, sizeof value, &role);
        bool ro = r->info->kind == RCT_KIND_SETTING;
        attr_t a = ro ? app_attr(app, WROLE_READ_ONLY) : app_attr(app, WROLE_VALUE);
        if (ro)
            text_put(win, y, area.x + 1, 2, "RO", a | A_BOLD, g);
        text_put(win, y, area.x + 4, name_w, r->info->name, a, g);
        text_put(win, y, area.x + 5 + name_w, 20, value, ro ? a : app_attr(app, role), g);
        text_put(win, y, area.x + 26 + name_w, area.w - name_w - 27, r->info->label, ro ? a : app_attr(app, WROLE_LABEL), g);
    }
}

static bool device_key(struct app *app, void *state, int ch)
{
    (void)app;
    struct device_state *s = state;
    bool changed;
    if (list_filter_key(&s->filter, ch, &changed)) {
        if (changed)
            s->top = 0;
        return true;
    }
    switch (ch) {
    case KEY_UP: s->top--; return true;
    case KEY_DOWN: s->top++; return true;
    case KEY_PPAGE: s->top -= s->page; return true;
    case KEY_NPAGE: s->top += s->page; return true;
    case KEY_HOME: s->top = 0; return true;
    case KEY_END: s->top = (int)s->n; return true;
    default: return false;
    }
}

static size_t device_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)app;  /* the rows shown, as the last drawing left them */
    struct device_state *s = state;
    filter_rows(s);
    size_t n = 0;
    static const char *const summary[] = {"wifi.sockb_protocol", "wifi.sockb_ip", "flash_rtc.time_stamp",
                                          "flash_rtc.flag_time_auto_switch"};
    for (size_t i = 0; i < 4 && n < max; i++)
        out[n++] = rct_registry_by_name(summary[i])->oid;
    for (int i = 0; i < s->page && s->top + i < (int)s->nshown && n < max; i++)
        if (s->rows[s->shown[s->top + i]].info)
            out[n++] = s->rows[s->shown[s->top + i]].info->oid;
    return n;
}

static bool device_typing(void *state)
{
    return ((struct device_state *)state)->filter.typing;
}

const struct view view_device = {
    .title = "Device",
    .short_title = "Dev",
    .digit = '7',
    .create = device_create,
    .destroy = device_destroy,
    .draw = device_draw,
    .key = device_key,
    .visible_oids = device_visible,
    .text_entry = device_typing,
    .help = "\t\nUp Down PgUp PgDn Home End\tscroll identity and settings (all read-only)\n"
            "/\tshow only the rows whose name or label has this text (Esc clears)\n",
};
