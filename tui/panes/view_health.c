/* Pane 9, health: the diagnosis rules' findings on what the monitor reads, worst first,
 * each opening to its evidence; the same rules as `rcttop check`. With several units, the
 * shown unit's findings and then the plant's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/monitor/app.h"
#include "tui/monitor/listfilter.h"
#include "tui/monitor/textbox.h"
#include "tui/plant/plant_view.h"
#include "widgets/text.h"

struct health_view {
    int selected, top, page;   /* selected and top index the rows shown (the filter's) */
    bool detail;
    int detail_scroll;
    struct list_filter filter;
    int shown[KNOWS_FINDINGS_MAX + PLANT_FINDINGS_MAX];  /* findings that pass the filter */
    int nshown;
    int list_y;                /* screen row of the first finding, for clicks */
};

/* The unit's findings, then (several units) the plant's: one list, indexed through. */
static size_t findings_count(const struct app *app)
{
    size_t n = app_device(app)->knows.nfindings;
    return app->ndevices > 1 && app->plant ? n + app->plant->nfindings : n;
}

static const struct health_finding *finding_at(const struct app *app, size_t i, bool *plant)
{
    size_t own = app_device(app)->knows.nfindings;
    *plant = i >= own;
    return i < own ? &app_device(app)->knows.findings[i] : &app->plant->findings[i - own];
}

static void *health_create(struct app *app)
{
    (void)app;
    return calloc(1, sizeof(struct health_view));
}

static void health_destroy(void *state)
{
    free(state);
}

static enum wrole role_of(enum health_severity s)
{
    return s == HEALTH_CRITICAL ? WROLE_ERROR : s == HEALTH_WARNING ? WROLE_WARN
           : s == HEALTH_OK ? WROLE_OK : s == HEALTH_PENDING ? WROLE_STALE : WROLE_LABEL;
}

static void draw_detail(struct app *app, struct health_view *v, const struct health_finding *f)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text, "verdict\t%s\nrule\t%s\nfinding\t%s\nwhy\t%s\n\t\n",
                                  health_severity_name(f->severity), f->id, f->title, f->detail);
    for (int i = 0; i < f->nevidence && len < sizeof text; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s\t%s\n", f->evidence[i].name,
                                f->evidence[i].value);
    textbox_draw(app, "Evidence (Esc or Enter closes)", text, &v->detail_scroll);
}

/* Verdicts on data that is not the device now say so first, in the warning colour. */
static const char *not_current_banner(struct app *app, char *buf, size_t cap)
{
    char when[32];
    enum link_state state = session_state(app_device(app)->session);
    int64_t heard = app_device(app)->knows.last_heard_unix_ms / 1000;
    const char *what = state == LINK_OFFLINE ? "device offline"
                       : state == LINK_CONNECTING ? "connecting"
                       : app_device(app)->knows.silent || state == LINK_SILENT ? "device not answering" : "not current";
    if (heard > 0)
        snprintf(buf, cap, " NOT CURRENT: %s; verdicts on the values last read at %s ", what,
                 app_clock_text(heard, when, sizeof when));
    else
        snprintf(buf, cap, " NOT CURRENT: %s; nothing read yet ", what);
    return buf;
}

static void filter_rows(struct app *app, struct health_view *v)
{
    v->nshown = 0;
    for (size_t i = 0; i < findings_count(app); i++) {
        bool plant;
        const struct health_finding *f = finding_at(app, i, &plant);
        char text[400];
        snprintf(text, sizeof text, "%s %s%s %s", health_severity_name(f->severity),
                 plant ? "plant: " : "", f->title, f->id);
        if (list_filter_matches(&v->filter, text))
            v->shown[v->nshown++] = (int)i;
    }
}

static void health_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct health_view *v = state;
    filter_rows(app, v);
    const struct wglyphs *g = app->glyphs;
    int crit = 0, warn = 0, ok = 0, info = 0, pending = 0;
    for (size_t i = 0; i < findings_count(app); i++) {
        bool plant;
        enum health_severity s = finding_at(app, i, &plant)->severity;
        crit += s == HEALTH_CRITICAL;
        warn += s == HEALTH_WARNING;
        ok += s == HEALTH_OK;
        info += s == HEALTH_INFO;
        pending += s == HEALTH_PENDING;
    }
    bool current = knows_data_current(&app_device(app)->knows, session_state(app_device(app)->session));
    int y = area.y, h = area.h;
    if (!current && h >= 3) {
        char banner[200];
        not_current_banner(app, banner, sizeof banner);
        attr_t a = app_attr(app, WROLE_WARN) | A_REVERSE;
        wattron(win, a);
        mvwhline(win, y, area.x, ' ', area.w);
        wattroff(win, a);
        text_put(win, y, area.x + 1, area.w - 2, banner, a, g);
        y++;
        h--;
    }
    char head[240], waiting[40] = "";
    if (pending)
        snprintf(waiting, sizeof waiting, ", %d waiting", pending);
    /* With several units the header names whose findings come first (then the plant's). */
    char whose[96] = "";
    if (app->ndevices > 1)
        snprintf(whose, sizeof whose, " of %.60s and the plant", app_device(app)->opt.label);
    snprintf(head, sizeof head, "Health%s: %d critical, %d warning%s, %d ok, %d info%s   row %d of %d",
             whose, crit, warn, warn == 1 ? "" : "s", ok, info, waiting,
             v->nshown ? v->selected + 1 : 0, v->nshown);
    char prompt[120];
    list_filter_prompt(&v->filter, v->nshown, (int)findings_count(app), prompt, sizeof prompt);
    int prompt_w = prompt[0] ? text_width(prompt) + 2 : 0;
    if (prompt_w > area.w / 2)
        prompt_w = area.w / 2;
    text_put(win, y, area.x + 1, area.w - 2 - prompt_w, head,
             app_attr(app, !current ? WROLE_STALE : crit ? WROLE_ERROR : warn ? WROLE_WARN : WROLE_TITLE), g);
    if (prompt_w)
        text_put_right(win, y, area.x, area.w - 1, prompt,
                       app_attr(app, v->filter.typing ? WROLE_HIGHLIGHT : WROLE_LABEL), g);
    if (h >= 4)
        text_put(win, y + h - 1, area.x + 1, area.w - 2,
                 !current ? "the verdicts above are the last ones: they turn current with the next answers"
                 : pending ? "waiting: no verdict until its values are read; the event log is judged by `rcttop check`"
                           : "live, from what is read; the event log is judged by `rcttop check`",
                 app_attr(app, !current ? WROLE_WARN : WROLE_STALE), g);
    int list_h = h - (h >= 4 ? 2 : 1);
    /* The last alerts (fired and resolved), newest first, under the findings: what fired
     * while nobody looked is never lost. */
    int alert_rows = app_device(app)->knows.alerts_len ? (int)app_device(app)->knows.alerts_len : 0;
    if (alert_rows > 4)
        alert_rows = 4;
    if (list_h < alert_rows + 5)
        alert_rows = list_h >= 7 ? 1 : 0;
    if (alert_rows) {
        list_h -= alert_rows + 1;
        int ay = y + 1 + list_h;
        char title[96];
        snprintf(title, sizeof title, "Alerts: %zu firing, last %d of %u", app_device(app)->knows.alerts_firing,
                 alert_rows, app_device(app)->knows.alerts_len);
        text_put(win, ay, area.x + 1, area.w - 2, title, app_attr(app, WROLE_TITLE), g);
        for (int i = 0; i < alert_rows; i++) {
            const struct alert_event *ev = knows_alert_at(&app_device(app)->knows, (unsigned)i);
            char when[32], line[360];
            app_clock_text(ev->time_unix, when, sizeof when);
            snprintf(line, sizeof line, "%s  %-8s %-8s %s", when, alert_state_name(ev->state),
                     health_severity_name(ev->severity), ev->message);
            enum wrole role = ev->state == ALERT_RESOLVED ? WROLE_STALE : role_of(ev->severity);
            text_put(win, ay + 1 + i, area.x + 1, area.w - 2, line, app_attr(app, role), g);
        }
    }
    v->page = list_h > 1 ? list_h : 1;
    int n = v->nshown;
    v->list_y = y + 1;
    if (v->selected >= n)
        v->selected = n - 1;
    if (v->selected < 0)
        v->selected = 0;
    if (v->selected < v->top)
        v->top = v->selected;
    if (v->selected >= v->top + list_h)
        v->top = v->selected - list_h + 1;
    for (int i = 0; i < list_h && v->top + i < n; i++) {
        bool plant;
        const struct health_finding *f = finding_at(app, (size_t)v->shown[v->top + i], &plant);
        char line[300];
        /* Not current: the severity keeps its word with a '?', like the status bar's marks. */
        char word[16];
        snprintf(word, sizeof word, "%s%s", health_severity_name(f->severity),
                 !current && (f->severity == HEALTH_CRITICAL || f->severity == HEALTH_WARNING) ? "?" : "");
        snprintf(line, sizeof line, "%-9s %s%s", word, plant ? "plant: " : "", f->title);
        bool sel = v->top + i == v->selected;
        attr_t a = app_attr(app, sel ? WROLE_HIGHLIGHT : role_of(f->severity));
        if (!current && !sel)
            a = app_attr(app, WROLE_STALE);
        if (sel) {
            wattron(win, a);
            mvwhline(win, y + 1 + i, area.x, ' ', area.w);
            wattroff(win, a);
        }
        text_put(win, y + 1 + i, area.x + 1, area.w - 2, line, a, g);
    }
    bool plant;
    if (v->detail && n > 0)
        draw_detail(app, v, finding_at(app, (size_t)v->shown[v->selected], &plant));
    else
        v->detail = false;
}

static bool health_key(struct app *app, void *state, int ch)
{
    (void)app;
    struct health_view *v = state;
    if (v->detail) {
        if (!textbox_key(ch, &v->detail_scroll))
            v->detail = false;
        return true;
    }
    bool changed;
    if (list_filter_key(&v->filter, ch, &changed)) {
        if (changed)
            v->selected = v->top = 0;
        return true;
    }
    switch (ch) {
    case KEY_UP: v->selected--; return true;
    case KEY_DOWN: v->selected++; return true;
    case KEY_PPAGE: v->selected -= v->page; return true;
    case KEY_NPAGE: v->selected += v->page; return true;
    case KEY_HOME: v->selected = 0; return true;
    case KEY_END: v->selected = 1 << 20; return true;
    case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT:
        v->detail = true;
        v->detail_scroll = 0;
        return true;
    default: return false;
    }
}

static bool health_click(struct app *app, void *state, int y, int x)
{
    (void)app;
    (void)x;
    struct health_view *v = state;
    if (v->detail || y < v->list_y || y >= v->list_y + v->page)
        return false;
    int row = v->top + (y - v->list_y);
    if (row >= v->nshown)
        return false;
    if (row == v->selected)
        v->detail = true;  /* a second click opens it, like Enter */
    v->selected = row;
    v->detail_scroll = 0;
    return true;
}

static bool health_typing(void *state)
{
    return ((struct health_view *)state)->filter.typing;
}

static size_t health_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)state;
    return health_needed_oids(app_device(app)->store, out, max);
}

const struct view view_health = {
    .title = "Health",
    .digit = '9',
    .create = health_create,
    .destroy = health_destroy,
    .draw = health_draw,
    .key = health_key,
    .visible_oids = health_visible,
    .click = health_click,
    .text_entry = health_typing,
    .help = "\t\nUp Down PgUp PgDn Home End\tmove through the findings, worst first\n"
            "Enter, Right, click\tthe finding's evidence: the values and limits it used\n"
            "/\tshow only the findings with this text (Enter keeps it, Esc clears it)\n",
};
