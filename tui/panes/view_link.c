/* Pane 8, the link: a live log of frames (time, direction, command, OID, value or
 * error, round trip) and the counters of everything the device got wrong. */
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "tui/monitor/app.h"
#include "tui/monitor/listfilter.h"
#include "tui/monitor/textbox.h"
#include "tui/config/outfile.h"
#include "widgets/text.h"

struct link_view {
    uint64_t selected;      /* sequence number of the selected row (0 = follow the newest) */
    int page;
    bool detail;
    int detail_scroll;
    struct list_filter filter;
    int filter_scroll;      /* filtered: matching rows hidden below the view (0 = newest) */
    int filter_matches;
};

static void *link_create(struct app *app)
{
    (void)app;
    return calloc(1, sizeof(struct link_view));
}

static void link_destroy(void *state)
{
    free(state);
}

/* Row k of the log, oldest first: its sequence number is added - len + k. */
static const struct linklog_entry *entry_at(const struct app *app, unsigned k)
{
    return knows_linklog_at(&app_device(app)->knows, k);
}

/* The one frame with a payload rcttop sends is a history query (a timestamp written to a
 * log OID); calling it WRITE would alarm an installer. A WRITE from anyone else (the
 * device's net.package every second, another client) keeps its name. */
static bool is_history_query(const struct linklog_entry *e)
{
    return e->command == RCT_CMD_WRITE && (e->cls == SESSION_SENT || e->cls == SESSION_TIMEOUT);
}

/* What a frame did, in words. */
static const char *command_word(const struct linklog_entry *e)
{
    if (is_history_query(e))
        return "history query";
    const char *cmd = rct_command_name(e->command);
    return cmd ? cmd : session_frame_class_name(e->cls);
}

static void describe(const struct app *app, const struct linklog_entry *e, const char **dir,
                     const char **what, char *tail, size_t cap, enum wrole *role)
{
    const struct wglyphs *g = app->glyphs;
    *dir = e->is_state ? "*" : e->cls == SESSION_SENT ? g->arrow_right : e->cls == SESSION_TIMEOUT ? "x" : g->arrow_left;
    *what = e->is_state ? "link" : command_word(e);
    *role = WROLE_VALUE;
    tail[0] = '\0';
    if (e->is_state) {
        snprintf(tail, cap, "%s", e->note);
        *role = WROLE_TITLE;
        return;
    }
    switch (e->cls) {
    case SESSION_ANSWER: snprintf(tail, cap, "%lld ms", (long long)e->rtt_ms); break;
    case SESSION_FOREIGN: snprintf(tail, cap, "another client's"); *role = WROLE_LABEL; break;
    case SESSION_UNSOLICITED: snprintf(tail, cap, "unsolicited"); *role = WROLE_STALE; break;
    case SESSION_TIMEOUT:
        snprintf(tail, cap, "timeout %d/%d", e->attempt, e->max_attempts);
        *role = WROLE_WARN;
        break;
    case SESSION_TRUNCATED: snprintf(tail, cap, "cut short"); *role = WROLE_WARN; break;
    case SESSION_CRC_ERROR: snprintf(tail, cap, "CRC error"); *role = WROLE_ERROR; break;
    case SESSION_BROKEN: snprintf(tail, cap, "broken frame"); *role = WROLE_ERROR; break;
    default: *role = WROLE_LABEL; break;
    }
}

static void draw_detail(struct app *app, struct link_view *v, const struct linklog_entry *e)
{
    char text[2048], when[40], tail[128];
    const char *dir, *what;
    enum wrole role;
    describe(app, e, &dir, &what, tail, sizeof tail, &role);
    time_t t = (time_t)(e->unix_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    size_t len = (size_t)snprintf(text, sizeof text, "time\t%s.%03lld\n", when, (long long)(e->unix_ms % 1000));
    if (e->is_state) {
        snprintf(text + len, sizeof text - len, "link\t%s\n", e->note);
    } else {
        const struct rct_oid_info *info = rct_registry_by_id(e->oid);
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "kind\t%s\ncommand\t%s%s\nOID\t0x%08X %s\nlabel\t%s\nvalue\t%s\nnote\t%s\n",
                                session_frame_class_name(e->cls), what,
                                is_history_query(e) ? " (on the wire a WRITE of a timestamp to "
                                "a log OID: which page of history to send; the only payload rcttop "
                                "ever sends, never a setting)" : "", (unsigned)e->oid,
                                info ? info->name : "(not in the registry)", info ? info->label : "",
                                e->value[0] ? e->value : "-", tail);
        len += (size_t)snprintf(text + len, sizeof text - len, "payload\t%u bytes:", e->raw_len);
        for (unsigned i = 0; i < e->raw_len && i < sizeof e->raw && len + 4 < sizeof text; i++)
            len += (size_t)snprintf(text + len, sizeof text - len, " %02x", e->raw[i]);
        if (e->raw_len > sizeof e->raw && len + 8 < sizeof text)
            len += (size_t)snprintf(text + len, sizeof text - len, " ...");
        snprintf(text + len, sizeof text - len, "\n");
    }
    textbox_draw(app, "Link: one frame (Esc or Enter closes)", text, &v->detail_scroll);
}

/* One row of the log as the pane shows it; the name and value columns padded in display
 * cells, not bytes. */
static void format_row(const struct app *app, const struct linklog_entry *e, int name_w, char *line,
                       size_t cap, enum wrole *role)
{
    const struct wglyphs *g = app->glyphs;
    time_t t = (time_t)(e->unix_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    char when[16], tail[128], name[96], value[64];
    strftime(when, sizeof when, "%H:%M:%S", &tm);
    const char *dir, *what;
    describe(app, e, &dir, &what, tail, sizeof tail, role);
    if (e->is_state) {
        snprintf(line, cap, "%s.%03lld %s %s", when, (long long)(e->unix_ms % 1000), dir, tail);
        return;
    }
    const struct rct_oid_info *info = rct_registry_by_id(e->oid);
    text_fit(info ? info->name : "", name_w, g, name, sizeof name);
    text_fit(e->value, 12, g, value, sizeof value);
    int nw = text_width(name), vw = text_width(value);
    snprintf(line, cap, "%s.%03lld %s %-14s %s%*s %s%*s %s", when, (long long)(e->unix_ms % 1000),
             dir, what, name, name_w - nw, "", value, 12 - vw, "", tail);
}

/* Filtered: the matching rows, newest at the bottom, scrolled by filter_scroll. */
static void draw_filtered(struct app *app, struct link_view *v, WINDOW *win, struct wrect area,
                          int log_h, int name_w)
{
    static unsigned match[LINKLOG_SIZE];
    unsigned n = 0;
    char line[512];
    enum wrole role;
    for (unsigned k = 0; k < app_device(app)->knows.linklog_len; k++) {
        format_row(app, entry_at(app, k), name_w, line, sizeof line, &role);
        if (list_filter_matches(&v->filter, line))
            match[n++] = k;
    }
    if (v->filter_scroll > (int)n - log_h)
        v->filter_scroll = (int)n - log_h;
    if (v->filter_scroll < 0)
        v->filter_scroll = 0;
    int end = (int)n - v->filter_scroll, start = end - log_h < 0 ? 0 : end - log_h;
    for (int i = start; i < end; i++) {
        format_row(app, entry_at(app, match[i]), name_w, line, sizeof line, &role);
        text_put(win, area.y + (i - start), area.x + 1, area.w - 2, line, app_attr(app, role), app->glyphs);
    }
    v->filter_matches = (int)n;
    if (n == 0)
        text_put(win, area.y, area.x + 1, area.w - 2, "no row matches", app_attr(app, WROLE_STALE), app->glyphs);
}

static void link_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct link_view *v = state;
    const struct wglyphs *g = app->glyphs;
    const struct session_counters *c = session_counters(app_device(app)->session);
    char line[512];
    int log_h = area.h - 3;
    if (log_h < 1)
        log_h = 1;
    v->page = log_h;
    uint64_t first_seq = app_device(app)->knows.linklog_added - app_device(app)->knows.linklog_len;  /* oldest row kept */
    uint64_t newest = app_device(app)->knows.linklog_added ? app_device(app)->knows.linklog_added - 1 : 0;
    bool follow = v->selected == 0 && !app->linklog_frozen;
    if (app->linklog_frozen && v->selected == 0)
        v->selected = newest + 1;  /* frozen: hold the newest row seen */
    uint64_t sel = follow ? newest : v->selected - 1;
    if (sel < first_seq)
        sel = first_seq;
    if (sel > newest)
        sel = newest;
    if (!follow)
        v->selected = sel + 1;
    /* The window ends at the selection or lower, as much history above it as fits; near
     * the oldest row it starts there (Home shows a full page from the top). */
    uint64_t end = sel + 1;
    if (end < first_seq + (uint64_t)log_h)
        end = first_seq + (uint64_t)log_h < newest + 1 ? first_seq + (uint64_t)log_h : newest + 1;
    uint64_t start = end > (uint64_t)log_h ? end - (uint64_t)log_h : 0;
    if (start < first_seq)
        start = first_seq;
    /* Columns that grow with the terminal: the OID's name gets what is left. */
    int name_w = area.w - 2 - 13 - 2 - 15 - 13 - 12;
    if (name_w > 60)
        name_w = 60;
    if (name_w < 8)
        name_w = 8;
    if (list_filter_active(&v->filter)) {
        draw_filtered(app, v, win, area, log_h, name_w);
    } else {
        for (uint64_t seq = start; seq < end && app_device(app)->knows.linklog_len; seq++) {
            const struct linklog_entry *e = entry_at(app, (unsigned)(seq - first_seq));
            enum wrole role;
            format_row(app, e, name_w, line, sizeof line, &role);
            int y = area.y + (int)(seq - start);
            bool is_sel = !follow && seq == sel;
            if (is_sel) {
                wattron(win, app_attr(app, WROLE_HIGHLIGHT));
                mvwhline(win, y, area.x, ' ', area.w);
                wattroff(win, app_attr(app, WROLE_HIGHLIGHT));
            }
            text_put(win, y, area.x + 1, area.w - 2, line,
                     is_sel ? app_attr(app, WROLE_HIGHLIGHT) : app_attr(app, role), g);
        }
    }
    int y = area.y + area.h - 3;
    if (y < area.y)
        y = area.y;
    snprintf(line, sizeof line, "%s%s  row %llu of %u",
             app->linklog_frozen ? "FROZEN (f resumes)" : follow ? "live" : "scrolled (End: newest)",
             follow ? "" : "  Enter: frame detail",
             (unsigned long long)(sel - first_seq + 1), app_device(app)->knows.linklog_len);
    if (list_filter_active(&v->filter))
        list_filter_prompt(&v->filter, v->filter_matches, (int)app_device(app)->knows.linklog_len, line, sizeof line);
    if (area.h >= 4)
        text_put(win, y, area.x + 1, area.w - 2, line,
                 app_attr(app, v->filter.typing ? WROLE_HIGHLIGHT : WROLE_STALE), g);
    /* The counters in words where they fit, shorter where they do not: never cut. */
    snprintf(line, sizeof line,
             "requests %llu  answers %llu  timeouts %llu  retries %llu  gave up %llu  %.1f req/s",
             (unsigned long long)c->requests, (unsigned long long)c->answers,
             (unsigned long long)c->timeouts, (unsigned long long)c->retries,
             (unsigned long long)c->gave_up, c->rate);
    if (text_width(line) > area.w - 2)
        snprintf(line, sizeof line, "req %llu  ans %llu  timeout %llu  retry %llu  gave up %llu  %.1f/s",
                 (unsigned long long)c->requests, (unsigned long long)c->answers,
                 (unsigned long long)c->timeouts, (unsigned long long)c->retries,
                 (unsigned long long)c->gave_up, c->rate);
    if (area.h >= 3)
        text_put(win, y + 1, area.x + 1, area.w - 2, line, app_attr(app, WROLE_TITLE), g);
    snprintf(line, sizeof line,
             "CRC errors %llu  truncated %llu  foreign %llu  unsolicited %llu  noise bytes %llu  reconnects %llu",
             (unsigned long long)c->crc_errors, (unsigned long long)c->truncated,
             (unsigned long long)c->foreign, (unsigned long long)c->unsolicited,
             (unsigned long long)c->noise_bytes, (unsigned long long)c->reconnects);
    if (text_width(line) > area.w - 2)
        snprintf(line, sizeof line, "CRC %llu  cut %llu  foreign %llu  unasked %llu  noise %llu B  reconn %llu",
                 (unsigned long long)c->crc_errors, (unsigned long long)c->truncated,
                 (unsigned long long)c->foreign, (unsigned long long)c->unsolicited,
                 (unsigned long long)c->noise_bytes, (unsigned long long)c->reconnects);
    if (area.h >= 2)
        text_put(win, y + 2, area.x + 1, area.w - 2, line, app_attr(app, WROLE_TITLE), g);
    if (v->detail && app_device(app)->knows.linklog_len && !follow)
        draw_detail(app, v, entry_at(app, (unsigned)(sel - first_seq)));
    else
        v->detail = false;
}

static bool link_key(struct app *app, void *state, int ch)
{
    struct link_view *v = state;
    if (v->detail) {
        if (!textbox_key(ch, &v->detail_scroll))
            v->detail = false;
        return true;
    }
    bool changed;
    if (list_filter_key(&v->filter, ch, &changed)) {
        if (changed)
            v->filter_scroll = 0;
        return true;
    }
    if (list_filter_active(&v->filter)) {
        switch (ch) {
        case KEY_UP: v->filter_scroll++; return true;
        case KEY_DOWN: v->filter_scroll--; return true;
        case KEY_PPAGE: v->filter_scroll += v->page; return true;
        case KEY_NPAGE: v->filter_scroll -= v->page; return true;
        case KEY_HOME: v->filter_scroll = LINKLOG_SIZE; return true;
        case KEY_END: v->filter_scroll = 0; return true;
        default: break;
        }
    }
    uint64_t newest = app_device(app)->knows.linklog_added;  /* selected is seq + 1 */
    uint64_t cur = v->selected ? v->selected : newest;
    switch (ch) {
    case KEY_UP: v->selected = cur > 1 ? cur - 1 : 1; return true;
    case KEY_DOWN: v->selected = cur + 1 >= newest && !app->linklog_frozen ? 0 : cur + 1; return true;
    case KEY_PPAGE: v->selected = cur > (uint64_t)v->page ? cur - (uint64_t)v->page : 1; return true;
    case KEY_NPAGE:
        v->selected = cur + (uint64_t)v->page >= newest && !app->linklog_frozen ? 0 : cur + (uint64_t)v->page;
        return true;
    case KEY_HOME: v->selected = 1; return true;
    case KEY_END: v->selected = app->linklog_frozen ? newest : 0; return true;
    case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT:
        if (v->selected == 0)
            v->selected = newest;  /* the newest row, held */
        v->detail = true;
        v->detail_scroll = 0;
        return true;
    case 27: v->selected = 0; return true;
    default: break;
    }
    if (ch == 'f') {
        app->linklog_frozen = !app->linklog_frozen;
        v->selected = app->linklog_frozen ? app_device(app)->knows.linklog_added : 0;
        app_note(app, " link log %s", app->linklog_frozen ? "frozen (f resumes)" : "live");
        return true;
    }
    if (ch == 'w') {
        char path[1024], err[1200];
        FILE *f = outfile_create("rcttop-link", time(NULL), ".log", path, sizeof path, err,
                                 sizeof err);
        if (!f) {
            app_note(app, " link log: %s", err);
            return true;
        }
        for (unsigned i = 0; i < app_device(app)->knows.linklog_len; i++) {
            const struct linklog_entry *e = entry_at(app, i);
            char when[40];
            time_t t = (time_t)(e->unix_ms / 1000);
            struct tm tm;
            localtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
            if (e->is_state) {
                fprintf(f, "%s.%03lld link %s\n", when, (long long)(e->unix_ms % 1000), e->note);
                continue;
            }
            const struct rct_oid_info *info = rct_registry_by_id(e->oid);
            fprintf(f, "%s.%03lld %s %s 0x%08X %s %s %lld\n", when,
                    (long long)(e->unix_ms % 1000), session_frame_class_name(e->cls),
                    is_history_query(e) ? "history-query"
                    : rct_command_name(e->command) ? rct_command_name(e->command) : "-",
                    (unsigned)e->oid, info ? info->name : "-", e->value[0] ? e->value : "-",
                    (long long)e->rtt_ms);
        }
        /* A full disk: say so, and leave no empty or half file that looks like a log. */
        bool written = !ferror(f);
        written &= fclose(f) == 0;
        if (!written) {
            int why = errno;
            unlink(path);
            app_note(app, " the link log could not be written: %s", strerror(why ? why : EIO));
            return true;
        }
        app_note(app, " link log written to %s", path);
        return true;
    }
    return false;
}

static bool link_typing(void *state)
{
    return ((struct link_view *)state)->filter.typing;
}

const struct view view_link = {
    .title = "Link",
    .digit = '8',
    .create = link_create,
    .destroy = link_destroy,
    .draw = link_draw,
    .key = link_key,
    .text_entry = link_typing,
    .help = "\t\nUp Down PgUp PgDn Home End\tscroll the log (the view holds still while you look)\n"
            "Enter, Right\tthe selected frame in full: OID, value, payload bytes\n"
            "Esc\tback to the live end of the log\n"
            "f\tfreeze / resume the view (rows keep being recorded)\n"
            "/\tshow only the rows with this text, e.g. an OID or 'timeout' (Esc clears)\n"
            "w\twrite the log to rcttop-link-YYYYMMDDTHHMMSS.log\n",
};
