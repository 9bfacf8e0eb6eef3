/* Pane 4, the link: a live log of frames (time, direction, command, OID, value or
 * error, round trip) and the counters of everything the device got wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/frame.h"
#include "proto/registry.h"
#include "tui/app.h"
#include "tui/outfile.h"
#include "widgets/text.h"

static void link_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    (void)state;
    const struct wglyphs *g = app->glyphs;
    const struct session_counters *c = session_counters(app->session);
    char line[256];
    int log_h = area.h - 3;
    unsigned shown = app->linklog_len < (unsigned)(log_h > 0 ? log_h : 0) ? app->linklog_len
                                                                           : (unsigned)(log_h > 0 ? log_h : 0);
    for (unsigned i = 0; i < shown; i++) {
        unsigned idx = (app->linklog_head + LINKLOG_SIZE - shown + i) % LINKLOG_SIZE;
        const struct linklog_entry *e = &app->linklog[idx];
        time_t t = (time_t)(e->unix_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        char when[16];
        strftime(when, sizeof when, "%H:%M:%S", &tm);
        const struct rct_oid_info *info = rct_registry_by_id(e->oid);
        const char *name = info ? info->name : "";
        const char *cmd = rct_command_name(e->command);
        const char *dir = e->cls == SESSION_SENT ? g->arrow_right : e->cls == SESSION_TIMEOUT ? "x" : g->arrow_left;
        enum wrole role = WROLE_VALUE;
        char tail[64] = "";
        switch (e->cls) {
        case SESSION_ANSWER: snprintf(tail, sizeof tail, "%lld ms", (long long)e->rtt_ms); break;
        case SESSION_FOREIGN: snprintf(tail, sizeof tail, "(not ours: another client)"); role = WROLE_LABEL; break;
        case SESSION_UNSOLICITED: snprintf(tail, sizeof tail, "(unsolicited)"); role = WROLE_STALE; break;
        case SESSION_TIMEOUT:
            snprintf(tail, sizeof tail, "timeout, attempt %d of %d", e->attempt, e->max_attempts);
            role = WROLE_WARN;
            break;
        case SESSION_TRUNCATED: snprintf(tail, sizeof tail, "cut short: retried"); role = WROLE_WARN; break;
        case SESSION_CRC_ERROR: snprintf(tail, sizeof tail, "CRC error"); role = WROLE_ERROR; break;
        case SESSION_BROKEN: snprintf(tail, sizeof tail, "broken frame"); role = WROLE_ERROR; break;
        default: role = WROLE_LABEL; break;
        }
        snprintf(line, sizeof line, "%s.%03lld %s %-14s %-34.34s %-14.14s %s", when,
                 (long long)(e->unix_ms % 1000), dir, cmd ? cmd : session_frame_class_name(e->cls),
                 name, e->value, tail);
        text_put(win, area.y + i, area.x + 1, area.w - 2, line, app_attr(app, role), g);
    }
    int y = area.y + area.h - 2;
    snprintf(line, sizeof line,
             "%srequests %llu  answers %llu  timeouts %llu  retries %llu  gave up %llu  %.1f req/s",
             app->linklog_frozen ? "FROZEN (f)  " : "", (unsigned long long)c->requests, (unsigned long long)c->answers,
             (unsigned long long)c->timeouts, (unsigned long long)c->retries,
             (unsigned long long)c->gave_up, c->rate);
    text_put(win, y, area.x + 1, area.w - 2, line, app_attr(app, WROLE_TITLE), g);
    snprintf(line, sizeof line,
             "CRC errors %llu  truncated %llu  foreign %llu  unsolicited %llu  noise bytes %llu  reconnects %llu",
             (unsigned long long)c->crc_errors, (unsigned long long)c->truncated,
             (unsigned long long)c->foreign, (unsigned long long)c->unsolicited,
             (unsigned long long)c->noise_bytes, (unsigned long long)c->reconnects);
    text_put(win, y + 1, area.x + 1, area.w - 2, line, app_attr(app, WROLE_TITLE), g);
}

static bool link_key(struct app *app, void *state, int ch)
{
    (void)state;
    if (ch == 'f') {
        app->linklog_frozen = !app->linklog_frozen;
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
        for (unsigned i = 0; i < app->linklog_len; i++) {
            unsigned idx = (app->linklog_head + LINKLOG_SIZE - app->linklog_len + i) % LINKLOG_SIZE;
            const struct linklog_entry *e = &app->linklog[idx];
            const struct rct_oid_info *info = rct_registry_by_id(e->oid);
            char when[40];
            time_t t = (time_t)(e->unix_ms / 1000);
            struct tm tm;
            localtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
            fprintf(f, "%s.%03lld %s %s 0x%08X %s %s %lld\n", when,
                    (long long)(e->unix_ms % 1000), session_frame_class_name(e->cls),
                    rct_command_name(e->command) ? rct_command_name(e->command) : "-",
                    (unsigned)e->oid, info ? info->name : "-", e->value[0] ? e->value : "-",
                    (long long)e->rtt_ms);
        }
        fclose(f);
        app_note(app, " link log written to %s", path);
        return true;
    }
    return false;
}

const struct view view_link = {
    .title = "Link",
    .digit = '8',
    .draw = link_draw,
    .key = link_key,
    .help = "\t\nf\tfreeze / resume the log\nw\twrite the log to rcttop-link-TIME.log\n",
};
