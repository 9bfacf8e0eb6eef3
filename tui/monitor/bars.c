/* The monitor's frame around a pane: the status bar (device, link, faults and findings,
 * PAUSED/REPLAY/LISTEN-ONLY, as much as fits), the tabs, the key bar and the help. */
#include "tui/monitor/bars.h"

#include <string.h>
#include <time.h>

#include "proto/capture/record.h"
#include "proto/core/plant.h"
#include "tui/monitor/app.h"
#include "tui/plant/plant_view.h"
#include "tui/monitor/replay_driver.h"
#include "tui/monitor/textbox.h"
#include "widgets/text.h"

/* A plant's units as tmux lists its windows: "[1 master* 2 pi! 3 ac]", * the one shown,
 * ! a unit not current (offline, silent) or with a fault or a critical finding; labels cut
 * to label_max columns, or digits alone ("[1* 2! 3]") for 0. */
static void unit_list(const struct app *app, int label_max, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "[");
    for (size_t i = 0; i < app->ndevices && n < cap; i++) {
        const struct device *d = app->devices[i];
        int crit, warn;
        knows_health_counts(&d->knows, &crit, &warn);
        bool trouble = !knows_data_current(&d->knows, d->knows.last_link_state) ||
                       knows_active_faults(&d->knows) > 0 || crit > 0;
        char label[80] = "", fitted[96] = "";
        if (label_max > 0)
            snprintf(label, sizeof label, " %.70s", d->opt.label);
        text_fit(label, label_max + 1, app->glyphs, fitted, sizeof fitted);
        n += (size_t)snprintf(out + n, cap - n, "%s%zu%s%s", i ? " " : "", i + 1, fitted,
                              i == app->current ? "*" : trouble ? "!" : "");
    }
    if (n < cap)
        snprintf(out + n, cap - n, "]");
}

/* The marks count every unit and the plant's own findings: nothing on a unit not shown
 * goes unseen. unsure: some of it is not the devices' state now. */
static void count_marks(const struct app *app, int *faults, bool *faults_unsure, int *crit,
                        int *warn, bool *unsure, size_t *alerts)
{
    *faults = *crit = *warn = 0;
    *faults_unsure = *unsure = false;
    *alerts = 0;
    for (size_t i = 0; i < app->ndevices; i++) {
        const struct device *d = app->devices[i];
        int f = knows_active_faults(&d->knows), hc, hw;
        if (f > 0) {
            *faults += f;
            *faults_unsure |= !knows_faults_current(&d->knows, d->store, session_state(d->session), NULL);
        }
        knows_health_counts(&d->knows, &hc, &hw);
        *crit += hc;
        *warn += hw;
        if (hc || hw)
            *unsure |= !knows_data_current(&d->knows, session_state(d->session));
        *alerts += d->knows.alerts_firing;
    }
    if (app->ndevices > 1 && app->plant) {
        *crit += app->plant->critical;
        *warn += app->plant->warning;
    }
}

void bars_status(struct app *app, int cols)
{
    attr_t st = app_attr(app, WROLE_STATUS);
    wattron(stdscr, st);
    mvhline(0, 0, ' ', cols);
    wattroff(stdscr, st);
    char left[640];
    /* The device's name as last read: it stays put over a replay's seek (see knows). */
    const struct device_knows *k = &app_device(app)->knows;
    const char *model = k->model, *sn = k->serial;
    /* A plant's master or slave says so; a standalone device needs no word. */
    char role[80];
    plant_role_text(app_device(app)->store, role, sizeof role);
    if (!strcmp(role, "standalone"))
        role[0] = '\0';
    if (app->ndevices > 1) {
        char units[300];
        const char *plant = app->opt->units.label;
        /* The labels and the serial while they fit in half the bar; then the labels
         * alone; then the digits and the shown unit's label. */
        static const struct { int label_max; bool serial; } forms[] = {
            {16, true}, {16, false}, {8, false}, {0, false}};
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            int label_max = forms[f].label_max;
            unit_list(app, label_max, units, sizeof units);
            snprintf(left, sizeof left, " rcttop  %s%.63s%s%s%s%.63s  %.63s%s%.63s",
                     plant[0] ? "plant " : "", plant, plant[0] ? "  " : "", units,
                     label_max ? "" : "  ", label_max ? "" : app_device(app)->opt.label, model,
                     forms[f].serial && sn[0] ? "  sn " : "", forms[f].serial ? sn : "");
            if (text_width(left) <= cols / 2)
                break;
        }
    } else {
        snprintf(left, sizeof left, " rcttop  %.300s%s%.63s%s%.63s%s%.79s", app_device(app)->opt.label,
                 model[0] ? "  " : "", model, sn[0] ? "  sn " : "", sn, role[0] ? "  " : "", role);
    }
    /* When space is short the program's name goes before the device's. */
    if (text_width(left) > cols / 2)
        memmove(left, left + 8, strlen(left + 8) + 1), left[0] = ' ';

    const struct session_counters *c = session_counters(app_device(app)->session);
    enum link_state state = session_state(app_device(app)->session);
    char right[256], conn[160], when[32];
    int64_t now_ms = session_mono_ms();
    int64_t heard_s = app_device(app)->knows.last_heard_unix_ms ? (session_unix_ms() - app_device(app)->knows.last_heard_unix_ms) / 1000 : -1;
    if (state == LINK_OFFLINE) {
        int64_t wait = (session_retry_at_ms(app_device(app)->session) - now_ms + 999) / 1000;
        int64_t since = session_unreachable_since_ms(app_device(app)->session) / 1000;
        const char *why = session_state_detail(app_device(app)->session);
        snprintf(conn, sizeof conn, "offline since %s%s%.40s, retry in %llds",
                 app_clock_text(since, when, sizeof when), why[0] ? ": " : "", why,
                 (long long)(wait > 0 ? wait : 0));
    } else {
        knows_link_words(&app_device(app)->knows, state, conn, sizeof conn);
    }
    /* Silence about OIDs the device does not know is no error of the link. */
    uint64_t timeouts = c->timeouts > c->unsupported_requests ? c->timeouts - c->unsupported_requests : 0;
    uint64_t errors = timeouts + c->crc_errors + c->truncated + c->broken;
    char age[48] = "";
    if (heard_s >= 3 && (state == LINK_ONLINE || state == LINK_DEGRADED) && !app_device(app)->knows.silent)
        snprintf(age, sizeof age, "  answered %llds ago", (long long)heard_s);
    time_t now = (time_t)(session_unix_ms() / 1000);
    struct tm tm;
    localtime_r(&now, &tm);
    char clock[16];
    strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    snprintf(right, sizeof right, "%s  %.1f req/s  %llu err%s  %s ", conn, c->rate,
             (unsigned long long)errors, age, app->replay ? "" : clock);  /* REPLAY has the time */
    int faults, hc, hw;
    bool faults_unsure, unsure;
    size_t firing;
    count_marks(app, &faults, &faults_unsure, &hc, &hw, &unsure, &firing);
    char fbuf[64] = "";
    if (faults > 0)  /* '?' when these are the last known faults, not the state now */
        snprintf(fbuf, sizeof fbuf, " %d FAULT%s%s ", faults, faults == 1 ? "" : "S",
                 faults_unsure ? "?" : "");
    /* Findings of the Health pane that are not faults, marked like the faults. */
    if (hc || hw) {
        /* '?' as on the faults: verdicts on the last values read, not on the device now. */
        size_t fl = strlen(fbuf);
        fl += (size_t)snprintf(fbuf + fl, sizeof fbuf - fl, "%s", fl ? "" : " ");
        if (hc)
            fl += (size_t)snprintf(fbuf + fl, sizeof fbuf - fl, "%d CRIT%s ", hc, unsure ? "?" : "");
        if (hw)
            snprintf(fbuf + fl, sizeof fbuf - fl, "%d WARN%s ", hw, unsure ? "?" : "");
    }
    if (firing) {
        /* Alerts that fire now (rcttop watch and the hook see the same). */
        size_t fl = strlen(fbuf);
        snprintf(fbuf + fl, sizeof fbuf - fl, "%s%zu ALERT%s ", fl ? "" : " ", firing,
                 firing == 1 ? "" : "S");
    }
    char listen[80] = "";
    if (app_device(app)->opt.listen_only) {
        unsigned seen;
        uint64_t heard;
        session_heard(app_device(app)->session, &seen, &heard);
        double minutes = (double)(session_mono_ms() - app_device(app)->knows.started_ms) / 60000.0;
        snprintf(listen, sizeof listen, " LISTEN-ONLY %u OIDs, %.0f/min ", seen,
                 minutes > 0.05 ? (double)heard / minutes : 0.0);
        snprintf(right, sizeof right, "%s  %s ", conn, app->replay ? "" : clock);  /* no request rate */
    }
    char replay[96] = "";
    if (app->replay)
        replay_driver_status(app, replay, sizeof replay, cols);
    char pbuf_rec[160];
    const char *pbuf = app->replay ? replay : app->paused ? " PAUSED " : app_device(app)->opt.listen_only ? listen : "";
    if (!app->replay && app_device(app)->opt.record_path[0]) {
        /* Recording is something the user started and must be able to see. */
        snprintf(pbuf_rec, sizeof pbuf_rec, "%s%s", pbuf,
                 app_device(app)->recorder && recorder_error(app_device(app)->recorder) ? " REC FAILED "
                 : app_device(app)->recorder && recorder_full(app_device(app)->recorder) ? " REC FULL " : " REC ");
        pbuf = pbuf_rec;
    }
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
    attr_t conn_attr = state == LINK_OFFLINE || state == LINK_DEGRADED || app_device(app)->knows.silent
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

/* Tab text at a level of detail: 0 the full title, 1 the short one, 2 the short one with
 * one space between tabs (ten tabs at 80 columns), 3 three letters, 4 the digit alone. */
#define TAB_LEVELS 5
static const char *tab_text(const struct app *app, size_t i, int level, char *buf, size_t cap)
{
    const char *title = level >= 1 && app->views[i]->short_title ? app->views[i]->short_title : app->views[i]->title;
    if (level >= 4)
        snprintf(buf, cap, " %c ", app->views[i]->digit);
    else if (level == 3)
        snprintf(buf, cap, " %c %.3s ", app->views[i]->digit, title);
    else if (level == 2)
        snprintf(buf, cap, " %c %s", app->views[i]->digit, title);
    else
        snprintf(buf, cap, " %c %s ", app->views[i]->digit, title);
    return buf;
}

/* The most detailed level at which every tab fits in cols (side by side: each tab's own
 * spaces keep them apart, the active one is drawn reversed). */
static int tab_level(const struct app *app, int cols)
{
    char tab[64];
    for (int level = 0; level < TAB_LEVELS - 1; level++) {
        int total = 1;
        for (size_t i = 0; i < app->nviews; i++)
            total += text_width(tab_text(app, i, level, tab, sizeof tab));
        if (total <= cols)
            return level;
    }
    return TAB_LEVELS - 1;
}

int bars_tab_at(const struct app *app, int x)
{
    int left = 1, level = tab_level(app, COLS);
    for (size_t i = 0; i < app->nviews; i++) {
        char tab[64];
        int w = text_width(tab_text(app, i, level, tab, sizeof tab));
        if (x >= left && x < left + w)
            return (int)i;
        left += w;
    }
    return -1;
}

void bars_tabs(struct app *app, int cols)
{
    move(1, 0);
    clrtoeol();
    int level = tab_level(app, cols), x = 1;
    for (size_t i = 0; i < app->nviews && x < cols; i++) {
        char tab[64];
        tab_text(app, i, level, tab, sizeof tab);
        attr_t a = (int)i == app->current_view ? app_attr(app, WROLE_TAB_ACTIVE) : app_attr(app, WROLE_TAB);
        x += text_put(stdscr, 1, x, cols - x, tab, a, app->glyphs);
    }
}

void bars_keys(struct app *app, int rows, int cols)
{
    move(rows - 1, 0);
    clrtoeol();
    if (app->replay && replay_driver_prompt(app, rows - 1, cols))
        return;
    const char *keys = app->message_until_ms > app_ui_ms() ? app->message
                       : app->replay ? (cols >= 90 ? " Space pause  \u2190\u2192 step  < > 10 steps  + - speed  g go to time  ? help  q quit"
                                        : cols >= 72 ? " Space pause  \u2190\u2192 step  <> 10 steps  +- speed  g time  ? help  q quit"
                                                     : " Space \u2190\u2192 <> +- g  ? help  q quit")
                       : app_device(app)->opt.listen_only ? " listening: a value shows when another client asks for it   ? help  q quit"
                       : app->ndevices > 1 ? " ? help  0-9/Tab panes  [ ] unit  s snapshot  p pause  t theme  q quit"
                       : " ? help  1-9/Tab panes  s snapshot  p pause  t theme  q quit";
    if (app_device(app)->opt.demo && app->message_until_ms <= app_ui_ms() && app_ui_ms() - app->ui_started_ms < 15000)
        keys = cols >= 70 ? " A simulated inverter. For a real one: rcttop --host IP   ? help  q quit"
                          : " simulated inverter   ? help  q quit";
    text_put(stdscr, rows - 1, 0, cols - 6, keys, app_attr(app, WROLE_LABEL), app->glyphs);
    if (app_device(app)->opt.demo && cols > 20)
        text_put(stdscr, rows - 1, cols - 6, 5, "DEMO", app_attr(app, WROLE_WARN) | A_REVERSE, app->glyphs);
}

/* The digit keys and the pane titles, from the pane table: "1 .. 9\tDashboard, ...\n". */
static void pane_digits_help(const struct app *app, char *out, size_t cap)
{
    out[0] = '\0';
    if (app->nviews == 0)
        return;
    size_t n = (size_t)snprintf(out, cap, "%c .. %c\t", app->views[0]->digit,
                                app->views[app->nviews - 1]->digit);
    for (size_t i = 0; i < app->nviews && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", app->views[i]->title);
    if (n < cap)
        snprintf(out + n, cap - n, "\n");
}

static const char global_help[] =
    "Tab, Shift-Tab\tnext / previous pane\n"
    "?, h, F1\tthis help (Up/Down/PgUp/PgDn scroll it, any other key closes it)\n";

/* Several units only: with one, [ ] are the pane's (the History pane's periods). */
static const char units_help[] = "[ ]\tprevious / next unit of the plant: panes 1-9 show it, 0 shows them all\n";

/* Live only: in a replay p pauses the replay (see replay_help). */
static const char pause_help[] = "p\tpause the display (reading goes on)\n";

static const char global_help_rest[] =
    "t\tnext colour theme\n"
    "s\tsave a support snapshot (text and JSON; live, also the last 15 minutes as a recording)\n"
    "r\treconnect now (while offline, instead of waiting for the next try)\n"
    "/\tsearch or filter the list on panes with one\n"
    "Ctrl-L\trepaint the screen\n"
    "q, F10\tquit\n";

static const char replay_help[] =
    "Replay\t\n"
    "Space, p\tpause / play the recording\n"
    "Left Right\tback / forward one step: a twentieth of the recording, 1 s to 1 min\n"
    "Shift-Left Shift-Right, < >\tback / forward ten steps\n"
    "+ -\tfaster / slower (x1/4 .. x64)\n"
    "g\tgo to a recorded time (HH:MM[:SS[.fff]] or YYYY-MM-DD HH:MM[:SS]; start, end)\n"
    "(panes)\tin a replay these keys are the replay's: Enter opens Values groups, [ ] step History\n"
    "\t\n";

static const char legend_help[] =
    "\t\n"
    "What you see\t\n"
    "…\tnot read yet (or cut: Enter shows the whole line where there is one)\n"
    "--\tthe device did not answer for this value\n"
    "not supported\tthe device does not know this OID (it answers the others)\n"
    "dim\tstale: older than its poll period, or the device stopped answering (underlined\n"
    "\twhere the terminal has no dim: vt100, vt220, ansi, putty, rxvt)\n"
    "RO\ta device setting: shown, never written (rcttop is read-only)\n"
    "▶ ◀\tthe direction power flows, as the words next to it say\n"
    "+ -\tgrid: + bought, - fed in; battery: + discharging, - charging\n"
    "?\tafter FAULTS, CRIT, WARN: last known, the device is not answering now\n"
    "REC\t--record is writing every byte both ways to a file\n";

void bars_help(struct app *app)
{
    const char *pane = app->views[app->current_view]->help;
    char text[4096], title[96], digits[256];
    pane_digits_help(app, digits, sizeof digits);
    snprintf(text, sizeof text, "%s%s%s%s%s%s%s%s", app->replay ? replay_help : "", digits,
             global_help, app->ndevices > 1 ? units_help : "", app->replay ? "" : pause_help, global_help_rest, pane ? pane : "",
             legend_help);
    snprintf(title, sizeof title, "Keys: %s (rcttop never writes)", app->views[app->current_view]->title);
    textbox_draw(app, title, text, &app->help_scroll);
}
