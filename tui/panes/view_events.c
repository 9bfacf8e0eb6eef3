/* Pane 4, events: the device's own event table, newest first, decoded per type (ranged
 * events with start and duration, parameter changes with old -> new, updates with
 * versions, unknown types raw). Older pages load on demand at the bottom. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "tui/monitor/app.h"
#include "tui/monitor/listfilter.h"
#include "tui/monitor/textbox.h"
#include "tui/format/eventfmt.h"
#include "tui/format/timearg.h"
#include "widgets/text.h"

#define EVENT_TABLE_OID 0x6F3876BCu
#define PAGES_PER_LOAD 3

struct events_state {
    struct rct_event_row *rows;
    size_t n, cap;
    bool started, loading, more, failed;
    uint64_t walk;                /* the ticket of our load while loading */
    int64_t oldest;               /* the next load asks for entries before this */
    int selected, top, page;
    uint64_t pages_generation;    /* replay: the recorded pages the rows came from */
    bool detail;
    int detail_scroll;
    struct list_filter filter;    /* selected and top index the rows it lets through */
    size_t *shown, nshown, shown_cap;
    int list_y;
};

static void *events_create(struct app *app)
{
    (void)app;
    return calloc(1, sizeof(struct events_state));
}

static void events_destroy(void *state)
{
    struct events_state *s = state;
    if (s) {
        free(s->rows);
        free(s->shown);
    }
    free(s);
}

static void load_more(struct app *app, struct events_state *s)
{
    if (s->loading || (s->started && !s->more))
        return;
    int64_t until = s->started ? s->oldest - 1 : session_unix_ms() / 1000 + 86400;
    s->walk = app_history_start(app, EVENT_TABLE_OID, 0, until, PAGES_PER_LOAD);
    if (s->walk) {
        s->started = true;
        s->loading = true;
        s->failed = false;
    }
}

/* Takes our walk's rows once it has ended; a walk another pane cancelled is simply
 * asked again later (from where the rows we have end). */
static void collect(struct app *app, struct events_state *s)
{
    if (!s->loading)
        return;
    enum walk_state state = walk_state_of(&app_device(app)->walks, s->walk);
    if (state == WALK_RUNNING)
        return;
    s->loading = false;
    if (state == WALK_LOST) {
        s->started = s->n > 0;
        s->more = true;
        return;
    }
    const struct history_pager *p = walk_pages(&app_device(app)->walks, s->walk);
    if (p->type != RCT_TYPE_EVENT_TABLE)
        return;
    s->failed = state == WALK_FAILED;
    if (s->n + p->n > s->cap) {
        size_t cap = (s->n + p->n) * 2 + 16;
        struct rct_event_row *grown = realloc(s->rows, cap * sizeof *grown);
        if (!grown)
            return;
        s->rows = grown;
        s->cap = cap;
    }
    for (size_t i = 0; i < p->n; i++) {
        bool dup = false;
        for (size_t k = 0; k < s->n && !dup; k++)
            dup = memcmp(&s->rows[k], &p->rows[i], sizeof p->rows[i]) == 0;
        if (!dup)
            s->rows[s->n++] = p->rows[i];
    }
    s->more = p->more || s->failed;
    if (p->n || !s->failed)
        s->oldest = p->cursor;
}

/* The rows the filter lets through, by the text the list shows. */
static void filter_rows(struct app *app, struct events_state *s)
{
    if (s->shown_cap < s->n) {
        size_t *grown = realloc(s->shown, s->n * sizeof *grown);
        if (!grown) {
            s->nshown = 0;
            return;
        }
        s->shown = grown;
        s->shown_cap = s->n;
    }
    s->nshown = 0;
    struct event_view ev;
    char detail[512], when[40], line[640];
    for (size_t i = 0; i < s->n; i++) {
        if (list_filter_active(&s->filter)) {
            eventfmt_decode(&s->rows[i], &ev);
            eventfmt_detail(&ev, app_devclock(app), detail, sizeof detail);
            devclock_format(app_devclock(app), ev.ts, when, sizeof when);
            snprintf(line, sizeof line, "%s  %s", when, detail);
            if (!list_filter_matches(&s->filter, line))
                continue;
        }
        s->shown[s->nshown++] = i;
    }
}

static void events_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct events_state *s = state;
    const struct wglyphs *g = app->glyphs;
    if (app->replay && s->pages_generation != app_device(app)->pages_generation) {
        /* Replay: the pages reached changed (played on, or started over): read them again. */
        s->pages_generation = app_device(app)->pages_generation;
        s->n = 0;
        s->started = s->loading = s->more = s->failed = false;
    }
    if (!s->started)
        load_more(app, s);
    collect(app, s);
    filter_rows(app, s);
    char head[160];
    snprintf(head, sizeof head, "Event log (%zu), row %d%s", s->n, s->nshown ? s->selected + 1 : 0,
             s->loading ? "  loading from the device"
             : s->failed ? (app->replay ? "  the recording holds no more" : "  the device did not answer (End retries)")
             : s->more ? "  End or PgDn at the bottom loads older" : s->started ? "  all loaded" : "");
    text_put(win, area.y, area.x + 1, area.w - 2, head, app_attr(app, s->loading ? WROLE_WARN : WROLE_TITLE), g);
    if (s->loading)
        text_put(win, area.y, area.x + area.w - 12, 11, g->ellipsis, app_attr(app, WROLE_WARN), g);
    char prompt[120];
    if (list_filter_prompt(&s->filter, (int)s->nshown, (int)s->n, prompt, sizeof prompt)[0])
        text_put_right(win, area.y, area.x, area.w - 1, prompt,
                       app_attr(app, s->filter.typing ? WROLE_HIGHLIGHT : WROLE_LABEL), g);
    int list_h = area.h - 1;
    s->list_y = area.y + 1;
    s->page = list_h > 1 ? list_h : 1;
    if (s->selected >= (int)s->nshown)
        s->selected = (int)s->nshown - 1;
    if (s->selected < 0)
        s->selected = 0;
    if (s->selected < s->top)
        s->top = s->selected;
    if (s->selected >= s->top + list_h)
        s->top = s->selected - list_h + 1;
    struct event_view ev;
    char detail[512], when[40], line[640];
    for (int i = 0; i < list_h && s->top + i < (int)s->nshown; i++) {
        const struct rct_event_row *r = &s->rows[s->shown[s->top + i]];
        eventfmt_decode(r, &ev);
        eventfmt_detail(&ev, app_devclock(app), detail, sizeof detail);
        devclock_format(app_devclock(app), ev.ts, when, sizeof when);
        snprintf(line, sizeof line, "%s  %s", when, detail);
        bool sel = s->top + i == s->selected;
        enum wrole role = ev.is_param_change ? WROLE_WARN : ev.name ? WROLE_VALUE : WROLE_LABEL;
        if (ev.has_end && ev.end == 0)
            role = WROLE_ERROR;
        if (sel) {
            wattron(win, app_attr(app, WROLE_HIGHLIGHT));
            mvwhline(win, area.y + 1 + i, area.x, ' ', area.w);
            wattroff(win, app_attr(app, WROLE_HIGHLIGHT));
        }
        text_put(win, area.y + 1 + i, area.x + 1, area.w - 2, line,
                 sel ? app_attr(app, WROLE_HIGHLIGHT) : app_attr(app, role), g);
    }
    if (s->detail && s->nshown > 0) {
        const struct rct_event_row *r = &s->rows[s->shown[s->selected]];
        eventfmt_decode(r, &ev);
        eventfmt_detail(&ev, app_devclock(app), detail, sizeof detail);
        char text[2048], title[64];
        devclock_format(app_devclock(app), ev.ts, when, sizeof when);
        snprintf(text, sizeof text,
                 "when\t%s\ntype\t0x%02X %s\nwhat\t%s\nraw words\t%08X %08X %08X %08X %08X\n",
                 when, (unsigned)r->type, ev.name ? ev.name : "(not in the table of event types)",
                 detail, (unsigned)r->type, (unsigned)r->ts, (unsigned)r->e2, (unsigned)r->e3,
                 (unsigned)r->e4);
        snprintf(title, sizeof title, "Event %d of %zu (Esc or Enter closes)", s->selected + 1, s->nshown);
        textbox_draw(app, title, text, &s->detail_scroll);
    } else {
        s->detail = false;
    }
    if (app_device(app)->opt.listen_only && s->n == 0)
        text_put(win, area.y + 2, area.x + 2, area.w - 4,
                 "listen-only: the event log is read by request, and none is sent",
                 app_attr(app, WROLE_STALE), g);
    else if (s->n == 0 && s->started && !s->loading)
        text_put(win, area.y + 2, area.x + 2, area.w - 4,
                 s->failed ? "no answer to the history query" : "the device reports no events",
                 app_attr(app, WROLE_STALE), g);
}

static bool events_key(struct app *app, void *state, int ch)
{
    struct events_state *s = state;
    if (s->detail) {
        if (!textbox_key(ch, &s->detail_scroll))
            s->detail = false;
        return true;
    }
    bool changed;
    if (list_filter_key(&s->filter, ch, &changed)) {
        if (changed)
            s->selected = s->top = 0;
        return true;
    }
    bool at_bottom = s->selected >= (int)s->nshown - 1;
    switch (ch) {
    case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT:
        s->detail = s->nshown > 0;
        s->detail_scroll = 0;
        return true;
    case KEY_UP: s->selected--; return true;
    case KEY_DOWN:
        if (at_bottom)
            load_more(app, s);
        s->selected++;
        return true;
    case KEY_PPAGE: s->selected -= s->page; return true;
    case KEY_NPAGE:
        if (s->selected + s->page >= (int)s->nshown)
            load_more(app, s);
        s->selected += s->page;
        return true;
    case KEY_HOME: s->selected = 0; return true;
    case KEY_END:
        if (s->failed)
            s->more = true;
        load_more(app, s);
        s->selected = (int)s->nshown - 1;
        return true;
    default:
        return false;
    }
}

static bool events_click(struct app *app, void *state, int y, int x)
{
    (void)app;
    (void)x;
    struct events_state *s = state;
    if (s->detail || y < s->list_y || y >= s->list_y + s->page)
        return false;
    int row = s->top + (y - s->list_y);
    if (row >= (int)s->nshown)
        return false;
    if (row == s->selected)
        s->detail = true;
    s->selected = row;
    s->detail_scroll = 0;
    return true;
}

static bool events_typing(void *state)
{
    return ((struct events_state *)state)->filter.typing;
}

const struct view view_events = {
    .title = "Events",
    .digit = '4',
    .create = events_create,
    .destroy = events_destroy,
    .draw = events_draw,
    .key = events_key,
    .click = events_click,
    .text_entry = events_typing,
    .help = "\t\nUp Down PgUp PgDn Home\tmove through the log, newest first\n"
            "End, PgDn at the bottom\tload older events from the device\n"
            "Enter, Right, click\tthe selected event in full (old -> new values, raw words)\n"
            "/\tshow only the events with this text (Enter keeps it, Esc clears it)\n",
};
