/* The monitor's shell: event loop wiring, status bar, tabs, help overlay, key map and
 * the redraw timer (the only place that draws: at most `refresh` times a second, only
 * when something changed, through ncurses' diffing so unchanged cells cost nothing). */
#include "tui/monitor/app.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <langinfo.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "proto/core/clock.h"
#include "proto/capture/record.h"
#include "proto/capture/replay.h"
#include "proto/codec/registry.h"
#include "proto/sim/sim.h"
#include "tui/monitor/replay_driver.h"
#include "tui/config/themes.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"
#include "widgets/box.h"
#include "widgets/text.h"

extern const struct view view_dashboard, view_values, view_faults, view_events, view_history,
    view_battery, view_device, view_link, view_health;

static const struct view *const views[] = {&view_dashboard, &view_values, &view_faults,
                                           &view_events, &view_history, &view_battery, &view_device,
                                           &view_link, &view_health};
#define NVIEWS (sizeof views / sizeof views[0])
#define MIN_ROWS 8
#define MIN_COLS 30
/* What the monitor keeps in memory for a snapshot: the last 15 minutes, up to 64 MB. */
#define KEEP_US (15 * 60 * 1000000LL)
#define KEEP_MAX_BYTES (64u << 20)

size_t app_view_count(void)
{
    return NVIEWS;
}

const struct view *app_view_at(size_t index)
{
    return index < NVIEWS ? views[index] : NULL;
}

attr_t app_attr(const struct app *app, enum wrole role)
{
    return app->theme.attr[role];
}

int64_t app_ui_ms(void)
{
    return clock_host_mono_us() / 1000;
}

void app_note(struct app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->message, sizeof app->message, fmt, ap);
    va_end(ap);
    app->message_until_ms = app_ui_ms() + 4000;
    app->dirty = true;
}

const char *app_value_text(struct app *app, uint32_t oid, char *buf, size_t cap,
                           enum wrole *role)
{
    const struct store_entry *e = store_get(app->store, oid);
    static struct rct_value value;  /* large; the UI runs on one thread */
    if (!e || !e->has_value || !store_value(app->store, oid, &value)) {
        bool failed = e && e->state == STORE_ERROR;
        *role = failed ? WROLE_ERROR : WROLE_STALE;
        snprintf(buf, cap, "%s", failed ? "--" : app->glyphs->ellipsis);
        return buf;
    }
    *role = e->state == STORE_FRESH ? WROLE_VALUE : WROLE_STALE;
    return valfmt_display(e->info, &value, buf, cap);
}

bool app_number(struct app *app, const char *name, double *out)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    if (!info)
        return false;
    const struct store_entry *e = store_get(app->store, info->oid);
    if (!e || !e->has_number)
        return false;
    *out = valfmt_is_fraction(info) ? e->number * 100.0 : e->number;
    return true;
}

int app_active_faults(const struct app *app)
{
    if (!app->fault_known)
        return -1;
    int n = 0;
    for (unsigned w = 0; w < 4; w++)
        n += __builtin_popcount(app->fault_words[w]);
    return n;
}

bool app_faults_current(const struct app *app, int64_t *read_unix_s)
{
    bool current = app->fault_known && !app->silent;
    int64_t oldest = 0;
    for (unsigned w = 0; w < 4; w++) {
        const struct store_entry *e = store_get(app->store, rct_fault_word_oid(w));
        if (!e || !e->has_value) {
            current = false;
            oldest = 0;
            break;
        }
        current = current && e->state == STORE_FRESH;
        if (oldest == 0 || e->updated_unix < oldest)
            oldest = e->updated_unix;
    }
    enum link_state state = session_state(app->session);
    current = current && (state == LINK_ONLINE || state == LINK_DEGRADED);
    if (read_unix_s)
        *read_unix_s = oldest;
    return current;
}

bool app_clock_offset(const struct app *app, int64_t *offset_s)
{
    const struct rct_oid_info *info = rct_registry_by_name("flash_rtc.time_stamp");
    const struct store_entry *e = info ? store_get(app->store, info->oid) : NULL;
    if (!e || !e->has_number || e->number < 946684800.0)  /* before 2000: not a clock */
        return false;
    *offset_s = (int64_t)e->number - e->updated_unix;
    return true;
}

int64_t app_device_now(const struct app *app)
{
    int64_t offset = 0;
    app_clock_offset(app, &offset);
    return session_unix_ms() / 1000 + offset;
}

const char *app_clock_note(const struct app *app, char *buf, size_t cap)
{
    int64_t off;
    buf[0] = '\0';
    if (!app_clock_offset(app, &off) || (off > -60 && off < 60))
        return buf;
    char span[32];
    snprintf(buf, cap, "device clock %s %s host", timearg_span_words(off, span, sizeof span),
             off < 0 ? "behind" : "ahead of");
    return buf;
}

bool app_is_fresh(const struct app *app, const char *name)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    const struct store_entry *e = info ? store_get(app->store, info->oid) : NULL;
    return e && e->has_value && e->state == STORE_FRESH;
}

const char *app_clock_text(int64_t unix_s, char *buf, size_t cap)
{
    time_t t = (time_t)unix_s, now = (time_t)(session_unix_ms() / 1000);
    struct tm tm, today;
    localtime_r(&t, &tm);
    localtime_r(&now, &today);
    bool same_day = tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday;
    strftime(buf, cap, same_day ? "%H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
    return buf;
}

/* Nothing heard for longer than silent_after_ms: every value on every pane turns stale
 * at once (the store is the one truth the panes read), not one by one as they expire. */
static void track_silence(struct app *app)
{
    int64_t now = session_mono_ms();
    int64_t newest = store_newest_ms(app->store);
    int64_t since = newest > 0 ? newest : app->started_ms;
    app->last_heard_unix_ms = newest > 0 ? session_unix_ms() - (now - newest) : 0;
    bool silent = now - since > app->silent_after_ms;
    if (silent != app->silent)
        app->dirty = true;
    app->silent = silent;
    if (silent && store_generation(app->store) != app->stale_marked_generation) {
        store_mark_all_stale(app->store);
        app->stale_marked_generation = store_generation(app->store);
    }
}

/* Energy totals as first read, for the "went backwards" rule. */
static void track_totals(struct app *app)
{
    const char *const *totals = health_total_names();
    for (int i = 0; totals[i] && i < 8; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(totals[i]);
        double v;
        if (isnan(app->totals_first[i]) && info && store_number(app->store, info->oid, &v))
            app->totals_first[i] = v;
    }
}

/* The rules over what the monitor has read; the event log is `rcttop check`'s (the
 * monitor pages it only on demand). Re-evaluated when the store changed. */
static void track_health(struct app *app)
{
    uint64_t gen = store_generation(app->store);
    if (gen == app->findings_generation)
        return;
    app->findings_generation = gen;
    track_totals(app);
    struct health_input in = {
        .store = app->store, .now_unix = session_unix_ms() / 1000, .events_read = false,
        .totals_before = app->totals_first, .link = session_counters(app->session),
        .srtt_ms = session_srtt_ms(app->session),
        .link_minutes = (double)(session_mono_ms() - app->started_ms) / 60000.0};
    app->nfindings = health_evaluate(&in, &app->thresholds, NULL, app->findings, 96);
}

void app_health_counts(const struct app *app, int *critical, int *warning)
{
    *critical = *warning = 0;
    for (size_t i = 0; i < app->nfindings; i++) {
        if (!strncmp(app->findings[i].id, "faults", 6))
            continue;
        *critical += app->findings[i].severity == HEALTH_CRITICAL;
        *warning += app->findings[i].severity == HEALTH_WARNING;
    }
}

/* ---- session callbacks: record only ------------------------------------- */

/* A new row of the Link pane's log (the oldest goes when it is full). Rows keep coming
 * while the pane is frozen: freezing holds the view, not the record. */
static struct linklog_entry *linklog_add(struct app *app)
{
    struct linklog_entry *e = &app->linklog[app->linklog_head];
    app->linklog_head = (app->linklog_head + 1) % LINKLOG_SIZE;
    if (app->linklog_len < LINKLOG_SIZE)
        app->linklog_len++;
    app->linklog_added++;
    memset(e, 0, sizeof *e);
    return e;
}

static void on_state(void *ctx, enum link_state state, const char *detail, int64_t retry_in_ms)
{
    struct app *app = ctx;
    app->dirty = true;
    if (state == app->last_link_state && state != LINK_OFFLINE)
        return;
    app->last_link_state = state;
    struct linklog_entry *e = linklog_add(app);
    e->unix_ms = session_unix_ms();
    e->is_state = true;
    if (state == LINK_OFFLINE)
        snprintf(e->note, sizeof e->note, "offline: %.60s, retry in %lld s", detail,
                 (long long)((retry_in_ms + 999) / 1000));
    else
        snprintf(e->note, sizeof e->note, "%s%s%.60s", link_state_name(state), detail[0] ? ": " : "",
                 detail);
}

static void on_event(void *ctx, const struct session_event *ev)
{
    struct app *app = ctx;
    struct linklog_entry *e = linklog_add(app);
    e->unix_ms = ev->unix_ms;
    e->cls = ev->cls;
    e->command = ev->command;
    e->oid = ev->oid;
    e->rtt_ms = ev->rtt_ms;
    e->attempt = ev->attempt;
    e->max_attempts = ev->max_attempts;
    if (ev->payload) {
        e->raw_len = ev->payload_len;
        memcpy(e->raw, ev->payload, ev->payload_len < sizeof e->raw ? ev->payload_len : sizeof e->raw);
    }
    const struct rct_oid_info *info = rct_registry_by_id(ev->oid);
    if (ev->payload && info && rct_type_is_scalar(info->response_type)) {
        struct rct_value v;
        if (rct_value_decode(info->response_type, ev->payload, ev->payload_len, &v) == RCT_VALUE_OK)
            valfmt_display(info, &v, e->value, sizeof e->value);
        else
            snprintf(e->value, sizeof e->value, "%u bytes", ev->payload_len);
    } else if (ev->cls == SESSION_CRC_ERROR) {
        snprintf(e->value, sizeof e->value, "crc %04X != %04X", ev->crc_received, ev->crc_computed);
    } else if (ev->payload_len) {
        snprintf(e->value, sizeof e->value, "%u bytes", ev->payload_len);
    }
}

uint64_t app_history_start(struct app *app, uint32_t oid, int64_t since, int64_t until,
                           unsigned max_pages)
{
    if (app->opt.listen_only && !app->replay)
        return 0;  /* a history page needs a request: none is sent when listening */
    uint64_t ticket = walk_start(&app->walks, oid, since, until, max_pages);
    if (ticket)
        session_kick(app->session);
    if (ticket && app->replay)
        app->redraw_now = true;  /* a recorded walk has ended already: show it, load the next */
    return ticket;
}

static void on_history(void *ctx, const struct sched_request *req, const uint8_t *payload,
                       uint16_t len)
{
    struct app *app = ctx;
    if (app->replay)
        app->pages_generation++;  /* a recorded page is reached: the panes read them again */
    else
        walk_on_page(&app->walks, req, payload, len);
}

static void on_done(void *ctx, const struct sched_request *req, bool ok)
{
    struct app *app = ctx;
    if (req->kind != SCHED_HISTORY || app->replay)
        return;
    app->dirty = true;
    if (walk_on_done(&app->walks, req, ok))
        session_kick(app->session);
}

/* ---- faults --------------------------------------------------------------- */

static void track_faults(struct app *app)
{
    uint32_t words[4];
    int64_t read_at[4];
    for (unsigned w = 0; w < 4; w++) {
        double v;
        const struct store_entry *e = store_get(app->store, rct_fault_word_oid(w));
        if (!store_number(app->store, rct_fault_word_oid(w), &v) || !e)
            return;
        words[w] = (uint32_t)v;
        read_at[w] = e->updated_unix;
    }
    for (unsigned bit = 0; bit < 128; bit++) {
        int64_t now = read_at[bit / 32];  /* a change is seen when its word is read */
        bool was = app->fault_known && (app->fault_words[bit / 32] & (1u << (bit % 32)));
        bool is = words[bit / 32] & (1u << (bit % 32));
        if (was == is)
            continue;
        if (is)
            app->fault_since[bit] = now;
        if (app->fault_changes_len == FAULT_CHANGES_MAX) {
            memmove(app->fault_changes, app->fault_changes + 1,
                    (FAULT_CHANGES_MAX - 1) * sizeof app->fault_changes[0]);
            app->fault_changes_len--;
        }
        app->fault_changes[app->fault_changes_len++] = (struct fault_change){now, bit, is};
        app->dirty = true;
    }
    memcpy(app->fault_words, words, sizeof words);
    app->fault_known = true;
}

/* ---- drawing -------------------------------------------------------------- */

static const char *identity(struct app *app, const char *name, char *buf, size_t cap)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    enum wrole role;
    if (!info)
        return "";
    app_value_text(app, info->oid, buf, cap, &role);
    return role == WROLE_VALUE || role == WROLE_STALE ? buf : "";
}

static void draw_status(struct app *app, int cols)
{
    attr_t st = app_attr(app, WROLE_STATUS);
    wattron(stdscr, st);
    mvhline(0, 0, ' ', cols);
    wattroff(stdscr, st);
    char left[512], model[64], sn[64];
    identity(app, "android_description", model, sizeof model);
    identity(app, "inverter_sn", sn, sizeof sn);
    if (!strcmp(model, app->glyphs->ellipsis))
        model[0] = '\0';
    if (!strcmp(sn, app->glyphs->ellipsis))
        sn[0] = '\0';
    snprintf(left, sizeof left, " rcttop  %s%s%s%s%s", app->opt.device_label, model[0] ? "  " : "",
             model, sn[0] ? "  sn " : "", sn);
    /* When space is short the program's name goes before the device's. */
    if (text_width(left) > cols / 2)
        memmove(left, left + 8, strlen(left + 8) + 1), left[0] = ' ';

    const struct session_counters *c = session_counters(app->session);
    enum link_state state = session_state(app->session);
    char right[256], conn[160], when[32];
    int64_t now_ms = session_mono_ms();
    int64_t heard_s = app->last_heard_unix_ms ? (session_unix_ms() - app->last_heard_unix_ms) / 1000 : -1;
    if (state == LINK_OFFLINE) {
        int64_t wait = (session_retry_at_ms(app->session) - now_ms + 999) / 1000;
        int64_t since = session_unreachable_since_ms(app->session) / 1000;
        const char *why = session_state_detail(app->session);
        snprintf(conn, sizeof conn, "offline since %s%s%.40s, retry in %llds",
                 app_clock_text(since, when, sizeof when), why[0] ? ": " : "", why,
                 (long long)(wait > 0 ? wait : 0));
    } else if (app->silent && state != LINK_CONNECTING && state != LINK_SILENT && heard_s >= 0) {
        snprintf(conn, sizeof conn, "no answer for %llds", (long long)heard_s);
    } else {
        snprintf(conn, sizeof conn, "%s", link_state_name(state));
    }
    uint64_t errors = c->timeouts + c->crc_errors + c->truncated + c->broken;
    char age[48] = "";
    if (heard_s >= 3 && (state == LINK_ONLINE || state == LINK_DEGRADED) && !app->silent)
        snprintf(age, sizeof age, "  answered %llds ago", (long long)heard_s);
    time_t now = (time_t)(session_unix_ms() / 1000);
    struct tm tm;
    localtime_r(&now, &tm);
    char clock[16];
    strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    snprintf(right, sizeof right, "%s  %.1f req/s  %llu err%s  %s ", conn, c->rate,
             (unsigned long long)errors, age, app->replay ? "" : clock);  /* REPLAY has the time */
    int faults = app_active_faults(app);
    char fbuf[64] = "";
    if (faults > 0)  /* '?' when these are the last known faults, not the state now */
        snprintf(fbuf, sizeof fbuf, " %d FAULT%s%s ", faults, faults == 1 ? "" : "S",
                 app_faults_current(app, NULL) ? "" : "?");
    int hc, hw;
    app_health_counts(app, &hc, &hw);
    /* Findings of the Health pane that are not faults, marked like the faults. */
    if (hc || hw) {
        size_t fl = strlen(fbuf);
        fl += (size_t)snprintf(fbuf + fl, sizeof fbuf - fl, "%s", fl ? "" : " ");
        if (hc)
            fl += (size_t)snprintf(fbuf + fl, sizeof fbuf - fl, "%d CRIT ", hc);
        if (hw)
            snprintf(fbuf + fl, sizeof fbuf - fl, "%d WARN ", hw);
    }
    char listen[80] = "";
    if (app->opt.listen_only) {
        unsigned seen;
        uint64_t heard;
        session_heard(app->session, &seen, &heard);
        double minutes = (double)(session_mono_ms() - app->started_ms) / 60000.0;
        snprintf(listen, sizeof listen, " LISTEN-ONLY %u OIDs, %.0f/min ", seen,
                 minutes > 0.05 ? (double)heard / minutes : 0.0);
        snprintf(right, sizeof right, "%s  %s ", conn, app->replay ? "" : clock);  /* no request rate */
    }
    char replay[96] = "";
    if (app->replay)
        replay_driver_status(app, replay, sizeof replay, cols);
    const char *pbuf = app->replay ? replay : app->paused ? " PAUSED " : app->opt.listen_only ? listen : "";
    /* Priorities when space is short: faults and PAUSED, then the link, then the
     * device's name; the details of the link go first. */
    int fw = text_width(fbuf), pw = text_width(pbuf);
    int rw = text_width(right);
    if (fw + pw + rw + 12 > cols) {
        snprintf(right, sizeof right, "%s ", conn);
        rw = text_width(right);
    }
    if (fw + pw + rw + 1 > cols)
        rw = cols - fw - pw - 1 > 0 ? cols - fw - pw - 1 : 0;
    int left_w = cols - rw - fw - pw - 2;
    if (left_w > 0)
        text_put(stdscr, 0, 0, left_w, left, st | A_BOLD, app->glyphs);
    int x = cols - rw;
    attr_t conn_attr = state == LINK_OFFLINE || state == LINK_DEGRADED || app->silent
                           ? app_attr(app, WROLE_WARN) | A_REVERSE : st;
    text_put(stdscr, 0, x, rw, right, st, app->glyphs);
    text_put(stdscr, 0, x, rw < text_width(conn) ? rw : text_width(conn), conn, conn_attr, app->glyphs);
    x -= fw + 1;
    if (fw)
        text_put(stdscr, 0, x, fw, fbuf, app_attr(app, WROLE_FAULT_ACTIVE), app->glyphs);
    x -= pw;
    if (pw)
        text_put(stdscr, 0, x, pw, pbuf, app_attr(app, WROLE_WARN) | A_REVERSE, app->glyphs);
}

/* Tab text at a level of detail: 0 the full title, 1 the short one, 2 three letters,
 * 3 the digit alone. */
static const char *tab_text(size_t i, int level, char *buf, size_t cap)
{
    const char *title = level >= 1 && views[i]->short_title ? views[i]->short_title : views[i]->title;
    if (level >= 3)
        snprintf(buf, cap, " %c ", views[i]->digit);
    else if (level == 2)
        snprintf(buf, cap, " %c %.3s ", views[i]->digit, title);
    else
        snprintf(buf, cap, " %c %s ", views[i]->digit, title);
    return buf;
}

/* The most detailed level at which every tab fits in cols (side by side: each tab's own
 * spaces keep them apart, the active one is drawn reversed). */
static int tab_level(int cols)
{
    char tab[64];
    for (int level = 0; level < 3; level++) {
        int total = 1;
        for (size_t i = 0; i < NVIEWS; i++)
            total += text_width(tab_text(i, level, tab, sizeof tab));
        if (total <= cols)
            return level;
    }
    return 3;
}

static void draw_tabs(struct app *app, int cols)
{
    move(1, 0);
    clrtoeol();
    int level = tab_level(cols), x = 1;
    for (size_t i = 0; i < NVIEWS && x < cols; i++) {
        char tab[64];
        tab_text(i, level, tab, sizeof tab);
        attr_t a = (int)i == app->current_view ? app_attr(app, WROLE_TAB_ACTIVE) : app_attr(app, WROLE_TAB);
        x += text_put(stdscr, 1, x, cols - x, tab, a, app->glyphs);
    }
}

static void draw_keys(struct app *app, int rows, int cols)
{
    move(rows - 1, 0);
    clrtoeol();
    if (app->replay && replay_driver_prompt(app, rows - 1, cols))
        return;
    const char *keys = app->message_until_ms > app_ui_ms() ? app->message
                       : app->replay ? (cols >= 90 ? " Space pause  \u2190\u2192 1 min  < > 10 min  + - speed  g go to time  ? help  q quit"
                                        : cols >= 72 ? " Space pause  \u2190\u2192 1 min  <> 10 min  +- speed  g time  ? help  q quit"
                                                     : " Space \u2190\u2192 <> +- g  ? help  q quit")
                       : app->opt.listen_only ? " listening: a value shows when another client asks for it   ? help  q quit"
                       : " ? help  1-9/Tab panes  s snapshot  p pause  t theme  q quit";
    if (app->opt.demo && app->message_until_ms <= app_ui_ms() && app_ui_ms() - app->ui_started_ms < 15000)
        keys = cols >= 70 ? " A simulated inverter. For a real one: rcttop --host IP   ? help  q quit"
                          : " simulated inverter   ? help  q quit";
    text_put(stdscr, rows - 1, 0, cols - 6, keys, app_attr(app, WROLE_LABEL), app->glyphs);
    if (app->opt.demo && cols > 20)
        text_put(stdscr, rows - 1, cols - 6, 5, "DEMO", app_attr(app, WROLE_WARN) | A_REVERSE, app->glyphs);
}

static const char global_help[] =
    "1 .. 9\tDashboard, Values, Faults, Events, History, Battery, Device, Link, Health\n"
    "Tab, Shift-Tab\tnext / previous pane\n"
    "?\tthis help (Up/Down/PgUp/PgDn scroll it, any other key closes it)\n";

/* Live only: in a replay p pauses the replay (see replay_help). */
static const char pause_help[] = "p\tpause the display (reading goes on)\n";

static const char global_help_rest[] =
    "t\tnext colour theme\n"
    "s\tsave a support snapshot (text and JSON; live, also the last 15 minutes as a recording)\n"
    "Ctrl-L\trepaint the screen\n"
    "q\tquit\n";

static const char replay_help[] =
    "Replay\t\n"
    "Space, p\tpause / play the recording\n"
    "Left Right\tback / forward one minute (Shift: ten minutes)\n"
    "< >\tback / forward ten minutes\n"
    "+ -\tfaster / slower (x1/4 .. x64)\n"
    "g\tgo to a recorded time (HH:MM[:SS[.fff]] or YYYY-MM-DD HH:MM[:SS]; start, end)\n"
    "(panes)\tin a replay these keys are the replay's: Enter opens Values groups, [ ] step History\n"
    "\t\n";

static const char legend_help[] =
    "\t\n"
    "What you see\t\n"
    "…\tnot read yet (or cut: Enter shows the whole line where there is one)\n"
    "--\tthe device did not answer for this value\n"
    "dim\tstale: older than its poll period, or the device stopped answering\n"
    "RO\ta device setting: shown, never written (rcttop is read-only)\n"
    "▶ ◀\tthe direction power flows, as the words next to it say\n"
    "+ -\tgrid: + bought, - fed in; battery: + discharging, - charging\n"
    "?\tafter FAULTS: last known, the device is not answering now\n";

/* "key\ttext" lines split in two; returns how many. */
static int split_lines(const char *text, char lines[][2][160], int max)
{
    int n = 0;
    for (const char *p = text; *p && n < max;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *tab = memchr(p, '\t', len);
        size_t klen = tab ? (size_t)(tab - p) : len;
        snprintf(lines[n][0], sizeof lines[n][0], "%.*s", (int)klen, p);
        snprintf(lines[n][1], sizeof lines[n][1], "%.*s", tab ? (int)(len - klen - 1) : 0,
                 tab ? tab + 1 : "");
        n++;
        p += len + (nl ? 1 : 0);
    }
    return n;
}

/* Cuts text at a word boundary so it takes at most `width` columns; returns the bytes
 * taken (the rest continues on the next row). */
static size_t wrap_at(const char *text, int width)
{
    size_t len = strlen(text), best = 0;
    char buf[160];
    for (size_t i = 1; i <= len && i < sizeof buf; i++) {
        if (i < len && text[i] != ' ')
            continue;
        snprintf(buf, sizeof buf, "%.*s", (int)i, text);
        if (text_width(buf) > width)
            break;
        best = i;
    }
    if (best == 0) {  /* one word longer than the row: cut it */
        size_t i = 0;
        while (i < len && i < sizeof buf - 1) {
            snprintf(buf, sizeof buf, "%.*s", (int)(i + 1), text);
            if (text_width(buf) > width)
                break;
            i++;
        }
        best = i ? i : 1;
    }
    return best;
}

void app_text_box(struct app *app, const char *title_text, const char *text, int *scroll)
{
    int rows = LINES, cols = COLS;
    static char lines[96][2][160];
    int n = split_lines(text, lines, 96);
    int key_w = 4, text_w = 10;
    for (int i = 0; i < n; i++) {
        int kw = text_width(lines[i][0]), tw = text_width(lines[i][1]);
        if (kw > key_w && kw <= 24)
            key_w = kw;
        if (tw > text_w)
            text_w = tw;
    }
    int w = key_w + text_w + 5;
    if (w > cols)
        w = cols;
    if (rows < 5 || w < 12)
        return;
    int kw = key_w < w / 3 ? key_w : w / 3;
    int tw = w - kw - 5;
    /* Rows after wrapping: (line index, byte offset) pairs. */
    static struct { short line; short offset; } view[512];
    int nview = 0;
    for (int i = 0; i < n && nview < 512; i++) {
        size_t off = 0, len = strlen(lines[i][1]);
        do {
            view[nview].line = (short)i;
            view[nview].offset = (short)off;
            nview++;
            if (off < len)
                off += wrap_at(lines[i][1] + off, tw);
            while (off < len && lines[i][1][off] == ' ')
                off++;
        } while (off < len && nview < 512);
    }
    int h = nview + 2;
    if (h > rows - 2)
        h = rows - 2;
    int visible = h - 2;
    if (*scroll > nview - visible)
        *scroll = nview - visible;
    if (*scroll < 0)
        *scroll = 0;
    struct wrect r = {(rows - h) / 2, (cols - w) / 2, h, w};
    for (int y = 0; y < r.h; y++)
        mvhline(r.y + y, r.x, ' ', r.w);
    char title[160];
    if (nview > visible)
        snprintf(title, sizeof title, "%s  %d-%d of %d", title_text, *scroll + 1, *scroll + visible, nview);
    else
        snprintf(title, sizeof title, "%s", title_text);
    box_draw(stdscr, r, title, app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), app->glyphs);
    for (int i = 0; i < visible; i++) {
        int v = *scroll + i;
        const char (*l)[160] = lines[view[v].line];
        int y = r.y + 1 + i;
        if (view[v].offset == 0)
            text_put(stdscr, y, r.x + 2, kw, l[0], app_attr(app, WROLE_TITLE), app->glyphs);
        const char *rest = l[1] + view[v].offset;
        size_t take = strlen(rest) ? wrap_at(rest, tw) : 0;
        char row[160];
        snprintf(row, sizeof row, "%.*s", (int)take, rest);
        text_put(stdscr, y, r.x + 3 + kw, tw, row, app_attr(app, WROLE_VALUE), app->glyphs);
    }
}

bool app_text_box_key(int ch, int *scroll)
{
    switch (ch) {
    case KEY_UP: (*scroll)--; return true;
    case KEY_DOWN: (*scroll)++; return true;
    case KEY_PPAGE: *scroll -= LINES / 2; return true;
    case KEY_NPAGE: *scroll += LINES / 2; return true;
    case KEY_HOME: *scroll = 0; return true;
    case KEY_END: *scroll = 1 << 20; return true;
    case KEY_RESIZE: return true;
    default: return false;
    }
}

static void draw_help(struct app *app)
{
    const char *pane = views[app->current_view]->help;
    char text[4096], title[96];
    snprintf(text, sizeof text, "%s%s%s%s%s%s", app->replay ? replay_help : "", global_help,
             app->replay ? "" : pause_help, global_help_rest, pane ? pane : "", legend_help);
    snprintf(title, sizeof title, "Keys: %s (rcttop never writes)", views[app->current_view]->title);
    app_text_box(app, title, text, &app->help_scroll);
}

static void update_watched(struct app *app)
{
    uint32_t oids[512];
    const struct view *v = views[app->current_view];
    size_t n = v->visible_oids ? v->visible_oids(app, app->view_state[app->current_view], oids, 512) : 0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ oids[i]) * 16777619u;
    h ^= (uint32_t)n;
    if (h == app->watched_hash)
        return;
    app->watched_hash = h;
    scheduler_set_watched(app->sched, oids, n);
    /* The on-screen OIDs expire as fast as they are polled. */
    for (size_t i = 0; i < n; i++)
        store_set_max_age(app->store, oids[i], 3 * scheduler_period_ms(app->sched, oids[i]) + 4000);
    session_kick(app->session);
}

static void draw_once(struct app *app);

static void draw(struct app *app)
{
    /* In a replay, walks over recorded pages end within the draw that starts them; a pane
     * that loads several series in turn is drawn again until it has them all. */
    for (int pass = 0; pass < 16; pass++) {
        app->redraw_now = false;
        draw_once(app);
        if (!app->redraw_now)
            break;
    }
    refresh();
}

static void draw_once(struct app *app)
{
    int rows = LINES, cols = COLS;
    erase();
    if (rows < MIN_ROWS || cols < MIN_COLS) {
        /* The longest form that fits whole. */
        char msg[96];
        snprintf(msg, sizeof msg, "terminal too small (%dx%d, need %dx%d)", cols, rows, MIN_COLS, MIN_ROWS);
        if (text_width(msg) > cols)
            snprintf(msg, sizeof msg, "too small: %dx%d < %dx%d", cols, rows, MIN_COLS, MIN_ROWS);
        if (text_width(msg) > cols)
            snprintf(msg, sizeof msg, "too small");
        if (text_width(msg) > cols)
            snprintf(msg, sizeof msg, "small");
        int w = text_width(msg);
        if (w > cols)
            w = cols;
        text_put(stdscr, rows / 2, (cols - w) / 2, cols, msg, app_attr(app, WROLE_WARN), app->glyphs);
        return;
    }
    draw_status(app, cols);
    draw_tabs(app, cols);
    struct wrect area = {2, 0, rows - 3, cols};
    const struct view *v = views[app->current_view];
    v->draw(app, app->view_state[app->current_view], stdscr, area);
    draw_keys(app, rows, cols);
    if (app->help_open)
        draw_help(app);
    update_watched(app);
}

/* ---- keys ----------------------------------------------------------------- */

static void switch_view(struct app *app, int index)
{
    if (index < 0 || index >= (int)NVIEWS || index == app->current_view)
        return;
    app->current_view = index;
    app->dirty = true;
}

static void cycle_theme(struct app *app)
{
    size_t n = themes_builtin_count();
    app->theme_index = (app->theme_index + 1) % n;
    char err[256];
    struct wtheme next;
    if (!themes_load(themes_builtin_name(app->theme_index), &next, err, sizeof err)) {
        app_note(app, " theme: %s", err);
        return;
    }
    app->theme = next;
    wtheme_apply(&app->theme, app->colour_mode);
    app_note(app, " theme: %s%s", app->theme.name,
             app->colour_mode == WCOLOUR_MONO ? " (no colours on this terminal)" : "");
}

static void handle_key(struct app *app, int ch)
{
    const struct view *v = views[app->current_view];
    void *st = app->view_state[app->current_view];
    if (app->help_open) {
        app->dirty = true;
        if (!app_text_box_key(ch, &app->help_scroll))
            app->help_open = false;
        return;
    }
    if (v->text_entry && v->text_entry(st)) {
        if (v->key(app, st, ch))
            app->dirty = true;
        return;
    }
    if (app->replay && replay_driver_key(app, ch)) {
        app->dirty = true;
        return;
    }
    switch (ch) {
    case 'q': case 'Q': app->quit = true; return;
    case '?': app->help_open = true; app->help_scroll = 0; app->dirty = true; return;
    case 'p': case 'P':
        app->paused = !app->paused;
        app->dirty = true;
        return;
    case 12:  /* Ctrl-L */
        clearok(curscr, TRUE);
        app->dirty = true;
        return;
    case 't': cycle_theme(app); return;
    case 's': {
        char where[1200];
        app_snapshot(app, where, sizeof where);
        app_note(app, " %s", where);
        return;
    }
    case '\t': switch_view(app, (app->current_view + 1) % (int)NVIEWS); return;
    case KEY_BTAB: switch_view(app, (app->current_view + (int)NVIEWS - 1) % (int)NVIEWS); return;
    case KEY_RESIZE: app->dirty = true; return;
    case KEY_MOUSE: {
        MEVENT m;
        if (getmouse(&m) == OK && m.y == 1 && (m.bstate & BUTTON1_CLICKED)) {
            int x = 1, level = tab_level(COLS);
            for (size_t i = 0; i < NVIEWS; i++) {
                char tab[64];
                int w = text_width(tab_text(i, level, tab, sizeof tab));
                if (m.x >= x && m.x < x + w)
                    switch_view(app, (int)i);
                x += w;
            }
        }
        return;
    }
    default:
        break;
    }
    if (ch >= '1' && ch <= '9') {
        for (size_t i = 0; i < NVIEWS; i++)
            if (views[i]->digit == ch) {
                switch_view(app, (int)i);
                return;
            }
        app_note(app, " pane %c is not in this version of rcttop", ch);
        return;
    }
    if (v->key && v->key(app, st, ch))
        app->dirty = true;
}

static void on_stdin(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    int ch;
    clock_hold();
    /* Keys act on the state as of now (a snapshot is of this moment, not the last tick). */
    app_catch_up(app);
    while ((ch = getch()) != ERR)
        handle_key(app, ch);
    if (app->quit) {
        event_base_loopbreak(app->base);
    } else if (app->dirty) {
        /* Keys redraw even while paused: pausing freezes values, not navigation. */
        app->dirty = false;
        draw(app);
    }
    clock_release();
}

static void on_winch(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    app->dirty = true;
    draw(app);
}

static void on_quit_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    app->quit = true;
    event_base_loopbreak(app->base);
}

void app_track_tick(struct app *app)
{
    track_silence(app);
    track_faults(app);
    track_totals(app);
}

void app_catch_up(struct app *app)
{
    store_tick(app->store, session_mono_ms());
    app_track_tick(app);
    track_health(app);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    clock_hold();
    app_catch_up(app);
    int64_t second = session_unix_ms() / 1000;
    bool changed = store_generation(app->store) != app->drawn_generation;
    /* A paused display stays exactly as it was until a key is pressed, whatever the link
     * or a history walk brings meanwhile (a replay has a pause of its own). */
    if ((!app->paused || app->replay) && (changed || app->dirty || second != app->drawn_second)) {
        app->drawn_generation = store_generation(app->store);
        app->drawn_second = second;
        app->dirty = false;
        draw(app);
    }
    clock_release();
}

/* ---- setup ---------------------------------------------------------------- */

static struct bufferevent *demo_transport(struct event_base *base, void *ctx)
{
    struct app *app = ctx;
    struct bufferevent *ends[2];
    if (bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends) != 0)
        return NULL;
    sim_serve_bufferevent(app->sim, ends[1]);
    return ends[0];
}

static struct session *open_session(struct app *app)
{
    struct session_callbacks cb = {on_state, on_event, on_done, on_history};
    return session_new(app->base, &app->session_cfg, app->store, app->sched, &cb, app);
}

void app_forget_device(struct app *app)
{
    walk_free(&app->walks);
    session_free(app->session);
    store_free(app->store);
    app->store = store_new();
    app->session = app->store ? open_session(app) : NULL;
    if (!app->store || !app->session) {
        endwin();
        fprintf(stderr, "rcttop: out of memory\n");
        exit(2);
    }
    walk_init(&app->walks, app->sched);
    replay_driver_attach_walks(app);
    app->linklog_head = app->linklog_len = 0;
    app->linklog_added = 0;
    app->last_link_state = LINK_OFFLINE;
    memset(app->fault_words, 0, sizeof app->fault_words);
    app->fault_known = false;
    memset(app->fault_since, 0, sizeof app->fault_since);
    app->fault_changes_len = 0;
    app->silent = false;
    app->last_heard_unix_ms = 0;
    app->nfindings = 0;
    app->findings_generation = 0;
    app->stale_marked_generation = 0;
    for (int i = 0; i < 8; i++)
        app->totals_first[i] = NAN;
    app->pages_generation++;
    app->watched_hash = 0;
    app->drawn_generation = 0;
    app->dirty = true;
}

static enum wcolour_mode pick_colour_mode(void)
{
    const char *no_color = getenv("NO_COLOR");
    if ((no_color && *no_color) || !has_colors())
        return WCOLOUR_MONO;
    start_color();
    use_default_colors();
    return COLORS >= 256 ? WCOLOUR_256 : COLORS >= 8 ? WCOLOUR_8 : WCOLOUR_MONO;
}

int app_run(const struct app_options *opts)
{
    struct app *app = calloc(1, sizeof *app);
    if (!app)
        return 2;
    app->opt = *opts;
    char err[512];
    if (!themes_load(opts->theme, &app->theme, err, sizeof err)) {
        fprintf(stderr, "rcttop: %s\n", err);
        free(app);
        return 2;
    }
    for (size_t i = 0; i < themes_builtin_count(); i++)
        if (strcmp(themes_builtin_name(i), app->theme.name) == 0)
            app->theme_index = i;
    app->base = event_base_new();
    app->store = store_new();
    health_default_thresholds(&app->thresholds);
    config_check_thresholds(&opts->cfg, &app->thresholds);
    for (int i = 0; i < 8; i++)
        app->totals_first[i] = NAN;
    struct scheduler_config scfg;
    scheduler_default_config(&scfg);
    app->sched = scheduler_new(&scfg);
    struct session_config cfg;
    session_default_config(&cfg);
    cfg.host = opts->host;
    cfg.port = opts->port;
    cfg.link.rate = opts->rate;
    cfg.link.timeout_ms = (int64_t)(opts->timeout * 1000);
    cfg.link.retries = opts->retries;
    cfg.listen_only = opts->listen_only;
    if (opts->replay_path[0] && !replay_driver_open(app, &cfg)) {
        free(app);
        return 2;
    }
    if (!app->replay) {
        char header[1024], rerr[1200];
        record_header(header, sizeof header, opts->demo ? "demo" : opts->device_label, "monitor",
                      opts->rate, opts->timeout, opts->retries, opts->listen_only);
        /* Always the last 15 minutes in memory (written beside a snapshot); the file only
         * with --record. */
        app->recorder = recorder_open(opts->record_path[0] ? opts->record_path : NULL, header,
                                      (uint64_t)(opts->record_max_mb * 1e6), rerr, sizeof rerr);
        if (!app->recorder) {
            fprintf(stderr, "rcttop: %s\n", rerr);
            return 2;
        }
        recorder_keep(app->recorder, KEEP_US, KEEP_MAX_BYTES);
        cfg.record = app->recorder;
    }
    if (opts->demo) {
        struct sim_config sc;
        sim_default_config(&sc);
        sc.seed = 1;
        sc.quirks.latency_ms = 15;
        sc.quirks.jitter_ms = 20;
        app->sim = sim_new(app->base, &sc);
        cfg.transport = demo_transport;
        cfg.transport_ctx = app;
    }
    /* About two poll periods of the on-screen values, or two answer timeouts if longer. */
    app->silent_after_ms = 2 * scfg.watched_period_ms;
    if (app->silent_after_ms < 2 * cfg.link.timeout_ms)
        app->silent_after_ms = 2 * cfg.link.timeout_ms;
    app->silent_after_ms += 1000;
    app->session_cfg = cfg;
    app->session = open_session(app);
    walk_init(&app->walks, app->sched);
    replay_driver_attach_walks(app);
    app->view_state = calloc(NVIEWS, sizeof *app->view_state);
    if (!app->base || !app->store || !app->sched || !app->session || !app->view_state ||
        (opts->demo && !app->sim)) {
        fprintf(stderr, "rcttop: out of memory\n");
        return 2;
    }
    for (size_t i = 0; i < NVIEWS; i++)
        app->view_state[i] = views[i]->create ? views[i]->create(app) : NULL;

    /* Signals through libevent, installed before ncurses so it keeps its hands off. */
    struct event *winch = evsignal_new(app->base, SIGWINCH, on_winch, app);
    struct event *sigint = evsignal_new(app->base, SIGINT, on_quit_signal, app);
    struct event *sigterm = evsignal_new(app->base, SIGTERM, on_quit_signal, app);
    struct event *sighup = evsignal_new(app->base, SIGHUP, on_quit_signal, app);
    event_add(winch, NULL);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    event_add(sighup, NULL);
    signal(SIGPIPE, SIG_IGN);

    set_escdelay(25);
    app->screen = newterm(NULL, stdout, stdin);
    if (!app->screen) {
        fprintf(stderr, "rcttop: cannot start the terminal interface (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        return 2;
    }
    set_term(app->screen);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Home and End come in several dialects (xterm, VT220/screen/tmux, rxvt); a TERM that
     * names another terminal than the one in use must not make them dead keys. */
    static const struct { const char *seq; int key; } extra_keys[] = {
        {"\033[1~", KEY_HOME}, {"\033[7~", KEY_HOME}, {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME},
        {"\033[4~", KEY_END}, {"\033[8~", KEY_END}, {"\033[F", KEY_END}, {"\033OF", KEY_END},
    };
    for (size_t i = 0; i < sizeof extra_keys / sizeof extra_keys[0]; i++)
        if (key_defined(extra_keys[i].seq) == 0)
            define_key(extra_keys[i].seq, extra_keys[i].key);
    nodelay(stdscr, TRUE);
    curs_set(0);
    if (opts->mouse)
        mousemask(BUTTON1_CLICKED, NULL);
    const char *codeset = nl_langinfo(CODESET);
    app->glyphs = glyphs_get(!opts->ascii && codeset && strcmp(codeset, "UTF-8") == 0);
    app->colour_mode = pick_colour_mode();
    wtheme_apply(&app->theme, app->colour_mode);

    struct event *input = event_new(app->base, STDIN_FILENO, EV_READ | EV_PERSIST, on_stdin, app);
    event_add(input, NULL);
    struct event *tick = event_new(app->base, -1, EV_PERSIST, on_tick, app);
    int refresh_ms = 1000 / (opts->cfg.refresh > 0 ? opts->cfg.refresh : 4);
    struct timeval tv = {refresh_ms / 1000, (refresh_ms % 1000) * 1000};
    event_add(tick, &tv);

    app->ui_started_ms = app_ui_ms();
    if (app->replay) {
        replay_driver_start(app);
    } else {
        app->started_ms = session_mono_ms();
        /* The device's clock first: "today" in its logs is its day, not the host's. */
        const struct rct_oid_info *clock_info = rct_registry_by_name("flash_rtc.time_stamp");
        if (clock_info)
            scheduler_plan_once(app->sched, &clock_info->oid, 1);
        session_start(app->session);
    }
    app->dirty = true;
    draw(app);
    event_base_dispatch(app->base);

    endwin();
    delscreen(app->screen);
    event_free(input);
    event_free(tick);
    event_free(winch);
    event_free(sigint);
    event_free(sigterm);
    event_free(sighup);
    for (size_t i = 0; i < NVIEWS; i++)
        if (views[i]->destroy)
            views[i]->destroy(app->view_state[i]);
    free(app->view_state);
    walk_free(&app->walks);
    session_free(app->session);
    replay_driver_free(app);
    recorder_close(app->recorder);
    sim_free(app->sim);
    scheduler_free(app->sched);
    store_free(app->store);
    event_base_free(app->base);
    free(app);
    return 0;
}
