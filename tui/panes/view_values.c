/* Pane 2, the values browser: every registry OID grouped and collapsible, with value,
 * unit, label, age and state; incremental search, a kind filter, settings greyed and
 * marked RO, and a detail view. The rows on screen are what the scheduler reads first. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/monitor/app.h"
#include "tui/monitor/listfilter.h"
#include "tui/format/valfmt.h"
#include "widgets/box.h"
#include "widgets/spark.h"
#include "widgets/text.h"

#define MAX_GROUPS 64

struct row {
    int group;                          /* index into groups */
    const struct rct_oid_info *info;    /* NULL for a group header */
    int count;                          /* header: matching OIDs in the group */
};

struct values_state {
    size_t n;
    const struct rct_oid_info **sorted;  /* by group, then name */
    const char *groups[MAX_GROUPS];
    int ngroups;
    bool collapsed[MAX_GROUPS];
    struct row *rows;
    size_t nrows;
    int selected, top, page;
    struct list_filter filter;
    int kind;                            /* -1 all, else enum rct_kind */
    bool detail;
    uint32_t detail_oid;
};

static int by_group_name(const void *a, const void *b)
{
    const struct rct_oid_info *x = *(const struct rct_oid_info *const *)a;
    const struct rct_oid_info *y = *(const struct rct_oid_info *const *)b;
    int c = strcmp(x->group, y->group);
    return c ? c : strcmp(x->name, y->name);
}

static void *values_create(struct app *app)
{
    (void)app;
    struct values_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n = rct_registry_count();
    s->sorted = calloc(s->n, sizeof *s->sorted);
    s->rows = calloc(s->n + MAX_GROUPS, sizeof *s->rows);
    if (!s->sorted || !s->rows) {
        free(s->sorted);
        free(s->rows);
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < s->n; i++)
        s->sorted[i] = rct_registry_at(i);
    qsort(s->sorted, s->n, sizeof *s->sorted, by_group_name);
    for (size_t i = 0; i < s->n; i++)
        if ((s->ngroups == 0 || strcmp(s->groups[s->ngroups - 1], s->sorted[i]->group) != 0) &&
            s->ngroups < MAX_GROUPS)
            s->groups[s->ngroups++] = s->sorted[i]->group;
    s->kind = -1;
    return s;
}

static void values_destroy(void *state)
{
    struct values_state *s = state;
    if (!s)
        return;
    free(s->sorted);
    free(s->rows);
    free(s);
}

static bool matches(const struct values_state *s, const struct rct_oid_info *info)
{
    if (s->kind >= 0 && (int)info->kind != s->kind)
        return false;
    return list_filter_matches(&s->filter, info->name) || list_filter_matches(&s->filter, info->label);
}

static void build_rows(struct values_state *s)
{
    s->nrows = 0;
    int g = -1;
    size_t header = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct rct_oid_info *info = s->sorted[i];
        if (g < 0 || strcmp(s->groups[g], info->group) != 0) {
            g++;
            while (g < s->ngroups && strcmp(s->groups[g], info->group) != 0)
                g++;
            if (g >= s->ngroups)
                break;
            header = s->nrows;
            s->rows[s->nrows++] = (struct row){g, NULL, 0};
        }
        if (!matches(s, info))
            continue;
        s->rows[header].count++;
        /* While searching, groups open by themselves: a match is never hidden. */
        if (!s->collapsed[g] || s->filter.text[0])
            s->rows[s->nrows++] = (struct row){g, info, 0};
    }
    /* Drop headers of groups with no match. */
    size_t out = 0;
    for (size_t i = 0; i < s->nrows; i++)
        if (s->rows[i].info || s->rows[i].count > 0)
            s->rows[out++] = s->rows[i];
    s->nrows = out;
    if (s->selected >= (int)s->nrows)
        s->selected = (int)s->nrows - 1;
    if (s->selected < 0)
        s->selected = 0;
}

static void format_age(const struct store_entry *e, char *buf, size_t cap)
{
    if (!e || !e->has_value) {
        snprintf(buf, cap, "%s", "");
        return;
    }
    int64_t a = (session_mono_ms() - e->updated_ms) / 1000;
    if (a < 60)
        snprintf(buf, cap, "%llds", (long long)a);
    else if (a < 3600)
        snprintf(buf, cap, "%lldm", (long long)(a / 60));
    else
        snprintf(buf, cap, "%lldh", (long long)(a / 3600));
}

static void draw_detail(struct app *app, struct values_state *s, WINDOW *win, struct wrect area)
{
    const struct rct_oid_info *info = rct_registry_by_id(s->detail_oid);
    const struct store_entry *e = store_get(app_device(app)->store, s->detail_oid);
    const struct wglyphs *g = app->glyphs;
    if (!info || !e)
        return;
    struct wrect r = {area.y, area.x + 2, area.h, area.w - 4};
    if (r.w < 20 || r.h < 6)
        r = area;
    for (int y = 0; y < r.h; y++)
        mvwhline(win, r.y + y, r.x, ' ', r.w);
    box_draw(win, r, info->name, app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), g);
    struct wrect in = layout_inner(r);
    char line[512], value[256], age[32];
    enum wrole role;
    int y = in.y;
    attr_t lab = app_attr(app, WROLE_LABEL);
#define DETAIL_LINE(...)                                                            \
    do {                                                                            \
        if (y < in.y + in.h) {                                                      \
            snprintf(line, sizeof line, __VA_ARGS__);                               \
            text_put(win, y++, in.x + 1, in.w - 2, line, lab, g);                   \
        }                                                                           \
    } while (0)
    app_value_text(app, info->oid, value, sizeof value, &role);
    format_age(e, age, sizeof age);
    if (y < in.y + in.h) {
        text_put(win, y, in.x + 1, 8, "value", lab, g);
        text_put(win, y++, in.x + 9, in.w - 10, value, app_attr(app, info->kind == RCT_KIND_SETTING ? WROLE_READ_ONLY : role), g);
    }
    DETAIL_LINE("state    %s%s%s%s", store_state_name(e->state), age[0] ? ", read " : "",
                age[0] ? age : "", age[0] ? " ago" : "");
    DETAIL_LINE("OID      0x%08X   group %s   kind %s", (unsigned)info->oid, info->group, rct_kind_name(info->kind));
    DETAIL_LINE("type     %s (request %s)%s%s", rct_type_name(info->response_type),
                rct_type_name(info->request_type), info->unit[0] ? "   unit " : "", info->unit);
    if (info->label[0])
        DETAIL_LINE("label    %s", info->label);
    char why[96];
    const char *last = store_error_text(e, why, sizeof why);
    DETAIL_LINE("reads    %u ok, %u bad payloads, %u timeouts%s%s", e->ok_count, e->decode_errors,
                e->timeouts, last[0] ? "; last: " : "", last);
    if (e->has_value) {
        char hex[3 * 64 + 8];
        size_t n = 0;
        for (uint16_t i = 0; i < e->payload_len && i < 64; i++)
            n += (size_t)snprintf(hex + n, sizeof hex - n, "%02x", e->payload[i]);
        if (e->payload_len > 64)
            snprintf(hex + n, sizeof hex - n, "%s", g->ellipsis);
        DETAIL_LINE("payload  %s", hex);
    }
    if (e->ring_len > 1 && y < in.y + in.h && in.w > 14) {
        static struct store_sample samples[STORE_RING];
        static double values[STORE_RING];
        size_t n = store_ring(app_device(app)->store, info->oid, samples, STORE_RING);
        for (size_t i = 0; i < n; i++)
            values[i] = samples[i].value;
        double lo = 0, hi = 0;
        spark_range(values, n, &lo, &hi);
        text_put(win, y, in.x + 1, 8, "recent", lab, g);
        spark_draw(win, y++, in.x + 10, in.w - 12, values, n, lo, hi, app_attr(app, WROLE_GRAPH2), g);
    }
    if (info->kind == RCT_KIND_SETTING && y + 1 < in.y + in.h) {
        y++;
        text_put(win, y++, in.x + 1, in.w - 2,
                 "RO  This is a device setting. rcttop never writes to the inverter:",
                 app_attr(app, WROLE_WARN), g);
        text_put(win, y++, in.x + 1, in.w - 2,
                 "    it has no write path at all (see the README for why).",
                 app_attr(app, WROLE_WARN), g);
    }
    if (in.h > 2 && y < in.y + in.h - 1)  /* only on a free row: never over a detail line */
        text_put(win, in.y + in.h - 1, in.x + 1, in.w - 2, "Esc or Enter closes", app_attr(app, WROLE_STALE), g);
#undef DETAIL_LINE
}

static void values_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct values_state *s = state;
    const struct wglyphs *g = app->glyphs;
    build_rows(s);
    /* Header line: search, kind filter, counts. */
    size_t matching = 0;
    for (size_t i = 0; i < s->nrows; i++)
        if (!s->rows[i].info)
            matching += (size_t)s->rows[i].count;
    char head[256];
    if (!list_filter_prompt(&s->filter, -1, -1, head, sizeof head)[0])
        snprintf(head, sizeof head, "/ search");
    int search_w = text_width(head);
    text_put(win, area.y, area.x + 1, area.w / 2, head,
             app_attr(app, s->filter.typing ? WROLE_HIGHLIGHT : WROLE_LABEL), g);
    snprintf(head, sizeof head, "kind: %s   %zu of %zu   row %d of %zu",
             s->kind < 0 ? "all" : rct_kind_name((enum rct_kind)s->kind), matching, s->n,
             s->nrows ? s->selected + 1 : 0, s->nrows);
    if (text_width(head) + (search_w < area.w / 2 ? search_w : area.w / 2) + 3 <= area.w)
        text_put_right(win, area.y, area.x, area.w - 1, head, app_attr(app, WROLE_LABEL), g);

    struct wrect list = {area.y + 1, area.x, area.h - 1, area.w};
    s->page = list.h > 1 ? list.h : 1;
    if (s->selected < s->top)
        s->top = s->selected;
    if (s->selected >= s->top + list.h)
        s->top = s->selected - list.h + 1;
    if (s->top < 0)
        s->top = 0;
    int name_w = area.w >= 100 ? 40 : area.w >= 70 ? 34 : area.w / 2 - 4;
    int value_w = area.w >= 70 ? 16 : 12;
    int age_w = 5;
    int label_x = 3 + name_w + 1 + value_w + 2;
    int label_w = area.w - label_x - age_w - 1;
    for (int i = 0; i < list.h && s->top + i < (int)s->nrows; i++) {
        const struct row *row = &s->rows[s->top + i];
        int y = list.y + i;
        bool sel = s->top + i == s->selected;
        if (sel) {
            wattron(win, app_attr(app, WROLE_HIGHLIGHT));
            mvwhline(win, y, area.x, ' ', area.w);
            wattroff(win, app_attr(app, WROLE_HIGHLIGHT));
        }
        attr_t hl = sel ? app_attr(app, WROLE_HIGHLIGHT) : 0;
        if (!row->info) {
            char text[128];
            bool closed = s->collapsed[row->group] && !s->filter.text[0];
            snprintf(text, sizeof text, "%s %s (%d)", closed ? g->collapsed : g->expanded,
                     s->groups[row->group], row->count);
            text_put(win, y, area.x + 1, area.w - 2, text, sel ? hl : app_attr(app, WROLE_TITLE), g);
            continue;
        }
        const struct rct_oid_info *info = row->info;
        bool ro = info->kind == RCT_KIND_SETTING;
        char value[128], age[32];
        enum wrole role;
        app_value_text(app, info->oid, value, sizeof value, &role);
        attr_t base = sel ? hl : ro ? app_attr(app, WROLE_READ_ONLY) : 0;
        if (ro)
            text_put(win, y, area.x + 1, 2, "RO", base | (sel ? 0 : A_BOLD), g);
        text_put(win, y, area.x + 4, name_w, info->name, base, g);
        text_put_right(win, y, area.x + 4 + name_w, value_w, value,
                       sel ? hl : ro ? app_attr(app, WROLE_READ_ONLY) : app_attr(app, role), g);
        if (label_w > 4)
            text_put(win, y, area.x + label_x, label_w, info->label, sel ? hl : ro ? base : app_attr(app, WROLE_LABEL), g);
        format_age(store_get(app_device(app)->store, info->oid), age, sizeof age);
        text_put_right(win, y, area.x + area.w - age_w - 1, age_w, age, sel ? hl : app_attr(app, WROLE_STALE), g);
    }
    if (s->nrows == 0)
        text_put(win, list.y + 1, area.x + 2, area.w - 4, "no OID matches (Esc clears the search)",
                 app_attr(app, WROLE_STALE), g);
    if (s->detail)
        draw_detail(app, s, win, list);
}

static void toggle_group(struct values_state *s, int group)
{
    s->collapsed[group] = !s->collapsed[group];
    build_rows(s);
    for (size_t i = 0; i < s->nrows; i++)
        if (!s->rows[i].info && s->rows[i].group == group)
            s->selected = (int)i;
}

static bool values_key(struct app *app, void *state, int ch)
{
    (void)app;
    struct values_state *s = state;
    build_rows(s);
    if (s->detail) {
        if (ch == 27 || ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == 'q') {
            s->detail = false;
            return true;
        }
        return false;
    }
    bool changed;
    if (list_filter_key(&s->filter, ch, &changed)) {
        if (changed) {
            s->selected = 0;
            s->top = 0;
        }
        return true;
    }
    const struct row *cur = s->nrows ? &s->rows[s->selected] : NULL;
    switch (ch) {
    case KEY_UP: s->selected--; break;
    case KEY_DOWN: s->selected++; break;
    case KEY_PPAGE: s->selected -= s->page; break;
    case KEY_NPAGE: s->selected += s->page; break;
    case KEY_HOME: s->selected = 0; break;
    case KEY_END: s->selected = (int)s->nrows - 1; break;
    case 27:
        if (s->kind < 0)
            return false;
        s->kind = -1;
        break;
    case 'k': s->kind = s->kind + 1 >= RCT_KIND_COUNT ? -1 : s->kind + 1; s->selected = 0; break;
    case '+': memset(s->collapsed, 0, sizeof s->collapsed); break;
    case '-':
        for (int i = 0; i < s->ngroups; i++)
            s->collapsed[i] = true;
        s->selected = 0;
        break;
    case ' ':
        if (cur)
            toggle_group(s, cur->group);
        break;
    case '\n': case '\r': case KEY_ENTER:
        if (cur && !cur->info)
            toggle_group(s, cur->group);
        else if (cur) {
            s->detail = true;
            s->detail_oid = cur->info->oid;
        }
        break;
    default:
        return false;
    }
    if (s->selected >= (int)s->nrows)
        s->selected = (int)s->nrows - 1;
    if (s->selected < 0)
        s->selected = 0;
    return true;
}

static size_t values_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)app;
    struct values_state *s = state;
    size_t n = 0;
    if (s->detail && n < max)
        out[n++] = s->detail_oid;
    for (int i = 0; i < s->page && s->top + i < (int)s->nrows && n < max; i++) {
        const struct rct_oid_info *info = s->rows[s->top + i].info;
        if (info && info->kind != RCT_KIND_HISTORY)
            out[n++] = info->oid;
    }
    return n;
}

static bool values_typing(void *state)
{
    const struct values_state *s = state;
    return s->filter.typing;
}

const struct view view_values = {
    .title = "Values",
    .short_title = "Vals",
    .digit = '2',
    .create = values_create,
    .destroy = values_destroy,
    .draw = values_draw,
    .key = values_key,
    .visible_oids = values_visible,
    .text_entry = values_typing,
    .help = "\t\n"
            "Up Down PgUp PgDn\tmove; Home End: first, last\n"
            "/\tsearch names and labels (Enter keeps, Esc clears)\n"
            "k\tkind filter: all, measurement, setting, identity, history\n"
            "Enter\topen a group, or the detail of a value\n"
            "Space\topen or close a group; + all open, - all closed\n"
            "RO\ta device setting: shown, never written\n",
};
