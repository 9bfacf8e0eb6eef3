/* The monitor's loop: event wiring (session or in-process simulator, keys, SIGWINCH,
 * signals), the key map, and the redraw timer: the only place that draws, at most
 * `refresh` times a second, only when something changed, through ncurses' diffing. */
#include "tui/monitor/loop.h"

#include <event2/event.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "proto/core/clock.h"
#include "tui/config/themes.h"
#include "tui/monitor/app.h"
#include "tui/monitor/bars.h"
#include "tui/monitor/keys.h"
#include "tui/monitor/replay_driver.h"
#include "tui/monitor/snapshot.h"
#include "tui/monitor/textbox.h"
#include "tui/device/device_alerts.h"
#include "tui/plant/plant_view.h"
#include "widgets/text.h"

#define MIN_ROWS 8
#define MIN_COLS 30
/* What the monitor keeps in memory for a snapshot: the last 15 minutes, up to 64 MB. */
#define KEEP_US (15 * 60 * 1000000LL)
/* The "recent" line of a value's detail view: as wide as the view at 80 columns. */
#define RECENT_SAMPLES 64
#define KEEP_MAX_BYTES (64u << 20)

/* What any pane charts: read all the time at the chart's pace, so a chart has no holes
 * for the minutes another pane was open. With several units the plant's figures of each
 * join them: the status bar's marks and the plant findings count every unit. The first
 * *charted are the charts' own. */
static size_t sampled_list(const struct app *app, uint32_t *oids, size_t *charted)
{
    size_t n = 0;
    for (size_t i = 0; i < app->nviews; i++)
        if (app->views[i]->sampled_oids)
            n += app->views[i]->sampled_oids(oids + n, 64 - n);
    *charted = n;
    if (app->ndevices > 1)
        n += plant_oids(oids + n, PLANT_OIDS_MAX);
    return n;
}

/* How long a value stays fresh: three of its reads missed at the pace of the fastest tier
 * it is in now (a value that left the screen goes back to its background pace, not stale
 * at the screen's), counting a pane that watches more than the request rate covers in one
 * period as read round by round. */
static void set_max_ages(struct app *app, struct device *dev, const uint32_t *watched,
                         size_t nwatched)
{
    uint32_t sampled[64 + PLANT_OIDS_MAX];
    size_t charted, nsampled = sampled_list(app, sampled, &charted);
    /* Those joining a tier get an age of some kind first: the pass below sets the right
     * one for every OID that has an age. */
    for (size_t i = 0; i < nsampled; i++)
        store_set_max_age(dev->store, sampled[i], 1);
    for (size_t i = 0; i < nwatched; i++)
        store_set_max_age(dev->store, watched[i], 1);
    int64_t round_ms = dev->opt.rate > 0 ? (int64_t)(1000.0 * (double)nwatched / dev->opt.rate) : 0;
    for (size_t i = 0; i < rct_registry_count(); i++) {
        uint32_t oid = rct_registry_at(i)->oid;
        const struct store_entry *e = store_get(dev->store, oid);
        int64_t period = e && e->max_age_ms > 0 ? scheduler_period_ms(dev->sched, oid) : 0;
        if (period <= 0)
            continue;  /* never given an age (a history OID, read on demand): none now */
        bool on_screen = false;
        for (size_t k = 0; k < nwatched && !on_screen; k++)
            on_screen = watched[k] == oid;
        if (on_screen && round_ms > period)
            period = round_ms;
        store_set_max_age(dev->store, oid, 3 * period + 4000);
    }
}

/* The on-screen OIDs of one unit: read first, with a short trend from now on for their
 * detail view (those only read in the background keep none). */
static void watch_on(struct app *app, struct device *dev, const uint32_t *oids, size_t n)
{
    scheduler_set_watched(dev->sched, oids, n);
    set_max_ages(app, dev, oids, n);
    for (size_t i = 0; i < n; i++)
        store_keep_samples(dev->store, oids[i], RECENT_SAMPLES, 0);
    session_kick(dev->session);
}

static void update_watched(struct app *app)
{
    uint32_t oids[512];
    const struct view *v = app->views[app->current_view];
    size_t n = v->visible_oids ? v->visible_oids(app, app->view_state[app->current_view], oids, 512) : 0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ oids[i]) * 16777619u;
    h ^= (uint32_t)n;
    h = (h ^ (uint32_t)app->current) * 16777619u;
    h = (h ^ (uint32_t)v->every_unit) * 16777619u;
    if (h == app->watched_hash)
        return;
    app->watched_hash = h;
    /* A pane of every unit (the Plant pane) reads its figures on each; another pane only
     * on the unit it shows, and the others go back to their background pace. */
    for (size_t d = 0; d < app->ndevices; d++)
        if (v->every_unit || d == app->current)
            watch_on(app, app->devices[d], oids, n);
        else
            watch_on(app, app->devices[d], NULL, 0);
}

static void sample_charted(struct app *app)
{
    uint32_t oids[64 + PLANT_OIDS_MAX];
    size_t charted, n = sampled_list(app, oids, &charted);
    for (size_t d = 0; d < app->ndevices; d++) {
        struct device *dev = app->devices[d];
        scheduler_set_sampled(dev->sched, oids, n);
        set_max_ages(app, dev, NULL, 0);
        /* Samples only for what is drawn: a chart's series over the chart's span, at most
         * one per column of the widest chart; what is on screen a short trend (above). */
        for (size_t i = 0; i < charted; i++)
            store_keep_samples(dev->store, oids[i], STORE_RING,
                               (int64_t)app->opt->cfg.history_minutes * 60000);
    }
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
    bars_status(app, cols);
    bars_tabs(app, cols);
    struct wrect area = {2, 0, rows - 3, cols};
    const struct view *v = app->views[app->current_view];
    v->draw(app, app->view_state[app->current_view], stdscr, area);
    bars_keys(app, rows, cols);
    if (app->help_open)
        bars_help(app);
    update_watched(app);
}

static void catch_up(struct app *app)
{
    for (size_t i = 0; i < app->ndevices; i++)
        device_catch_up(app->devices[i]);
    time_t t = (time_t)(session_unix_ms() / 1000);
    struct tm tm;
    int minute = localtime_r(&t, &tm) ? tm.tm_hour * 60 + tm.tm_min : -1;
    plant_state_update(app->plant, app->devices, app->ndevices, app->unit_alerts, minute);
}

static void on_stdin(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    int ch;
    clock_hold();
    /* Keys act on the state as of now (a snapshot is of this moment, not the last tick). */
    catch_up(app);
    while ((ch = getch()) != ERR)
        keys_handle(app, ch);
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

/* Ctrl-Z: ours, not ncurses' (its handler flushes the keys typed right after fg, so the
 * first one would be lost). The terminal is given back, the process stops, and on fg
 * the screen is drawn again; keys typed meanwhile are still in the queue. */
static void on_suspend(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    endwin();
    fflush(stdout);
    kill(getpid(), SIGSTOP);
    /* Continued (fg): the size may have changed while stopped. */
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE);
    app->dirty = true;
    draw(app);
}

/* Memory freed inside the heap (what start-up parsed, a buffer that grew and moved) stays
 * resident until given back: once a minute it is. */
static void give_back_freed_memory(int64_t second)
{
#ifdef __GLIBC__
    static int64_t last;
    if (second - last >= 60) {
        last = second;
        malloc_trim(0);
    }
#else
    (void)second;
#endif
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    clock_hold();
    catch_up(app);
    int64_t second = session_unix_ms() / 1000;
    give_back_freed_memory(second);
    uint64_t generation = 0;  /* any unit's: the Plant pane and the status bar show them all */
    for (size_t i = 0; i < app->ndevices; i++)
        generation += store_generation(app->devices[i]->store);
    bool changed = generation != app->drawn_generation;
    /* A paused display stays exactly as it was until a key is pressed, whatever the link
     * or a history walk brings meanwhile (a replay has a pause of its own). */
    if ((!app->paused || app->replay) && (changed || app->dirty || second != app->drawn_second)) {
        app->drawn_generation = generation;
        app->drawn_second = second;
        app->dirty = false;
        draw(app);
    }
    clock_release();
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

/* ---- open, run, close -------------------------------------------------------- */

static void device_options_of(const struct app_options *o, struct device_options *d)
{
    device_default_options(d);
    snprintf(d->host, sizeof d->host, "%s", o->host);
    d->port = o->port;
    snprintf(d->label, sizeof d->label, "%s", o->device_label);
    d->demo = o->demo;
    d->rate = o->rate;
    d->timeout = o->timeout;
    d->retries = o->retries;
    d->listen_only = o->listen_only;
    d->clock_mode = o->clock_mode;
    snprintf(d->record_path, sizeof d->record_path, "%s", o->record_path);
    d->record_max_mb = o->record_max_mb;
    d->record_force = o->record_force;
    /* Always the last 15 minutes in memory (written beside a snapshot); the file only
     * with --record. */
    d->keep_recent_us = KEEP_US;
    d->keep_recent_bytes = KEEP_MAX_BYTES;
    config_check_thresholds(&o->cfg, &d->thresholds);
}

static void on_device_changed(void *ctx, struct device *dev)
{
    (void)dev;
    struct app *app = ctx;
    app->dirty = true;
}

static void on_device_alert(void *ctx, struct device *dev, const struct alert_event *ev)
{
    (void)dev;
    struct app *app = ctx;
    app_note(app, "alert %s: %s", alert_state_name(ev->state), ev->message);
    /* The bell: once for each alert into warning or critical, never for the rest. */
    if (app->ring_bell && ev->state == ALERT_FIRING &&
        (ev->severity == HEALTH_WARNING || ev->severity == HEALTH_CRITICAL))
        beep();
    app->dirty = true;
}

/* Unit i of a plant, as the options and its [device:NAME] section set it; false when its
 * recording's name would be too long. */
static bool unit_options_of(const struct app_options *o, size_t i, struct device_options *d)
{
    const struct unit_spec *u = &o->units.units[i];
    snprintf(d->host, sizeof d->host, "%s", u->host);
    d->port = u->port;
    snprintf(d->label, sizeof d->label, "%s", u->label);
    d->demo = false;
    if (u->rate > 0)
        d->rate = u->rate;
    if (u->timeout > 0)
        d->timeout = u->timeout;
    if (u->clock[0])
        devclock_mode_from_name(u->clock, &d->clock_mode);
    return !o->record_path[0] ||
           units_record_path(o->record_path, u->label, d->record_path, sizeof d->record_path);
}

/* The devices the options name (or the recording), each with its alerts; false after
 * saying why. */
static bool open_devices(struct app *app)
{
    const struct app_options *opts = app->opt;
    size_t n = opts->units.n ? opts->units.n : 1;
    app->devices = calloc(n, sizeof *app->devices);
    app->plant = calloc(1, sizeof *app->plant);
    app->unit_alerts = calloc(n, sizeof *app->unit_alerts);
    if (!app->devices || !app->plant || !app->unit_alerts) {
        fprintf(stderr, "rcttop: out of memory\n");
        return false;
    }
    struct alert_settings alerts = opts->cfg.alerts;
    if (opts->on_alert[0])
        snprintf(alerts.command, sizeof alerts.command, "%s", opts->on_alert);
    app->ring_bell = alerts.ring_bell || opts->ring_bell;
    static struct device_options dopt;  /* large, once per process: not on the stack */
    for (size_t i = 0; i < n; i++) {
        device_options_of(opts, &dopt);
        if (opts->units.n && !unit_options_of(opts, i, &dopt)) {
            fprintf(stderr, "rcttop: --record %s: too long a name for unit %s's recording\n",
                    opts->record_path, opts->units.units[i].label);
            return false;
        }
        if (opts->replay_path[0] && !replay_driver_open(app, &dopt))
            return false;
        snprintf(dopt.recorded_as, sizeof dopt.recorded_as, "%s", dopt.demo ? "demo" : dopt.label);
        struct device_listener listener = {.ctx = app, .changed = on_device_changed, .alert = on_device_alert};
        char err[1200];
        app->devices[i] = device_open(&dopt, app->base, &listener, err, sizeof err);
        if (!app->devices[i]) {
            fprintf(stderr, "rcttop: %s%s%s\n", n > 1 ? dopt.label : "", n > 1 ? ": " : "", err);
            return false;
        }
        app->ndevices = i + 1;
        /* A unit's own expected_offline window (a PV-only slave's night), else [alerts]'. */
        app->unit_alerts[i] = alerts;
        if (opts->units.n && opts->units.units[i].offline_from_min >= 0) {
            app->unit_alerts[i].offline_from_min = opts->units.units[i].offline_from_min;
            app->unit_alerts[i].offline_to_min = opts->units.units[i].offline_to_min;
        }
        if (!device_alerts_open(app->devices[i], &app->unit_alerts[i], err, sizeof err)) {
            fprintf(stderr, "rcttop: %s\n", err);
            return false;
        }
    }
    if (app->replay)
        replay_driver_attach_walks(app);
    return true;
}

static bool watch_event(struct app *app, struct event *ev, const struct timeval *tv)
{
    if (!ev || app->nevents == sizeof app->events / sizeof app->events[0]) {
        if (ev)
            event_free(ev);
        return false;
    }
    app->events[app->nevents++] = ev;
    return event_add(ev, tv) == 0;
}

/* Signals through libevent, installed before ncurses so it keeps its hands off. */
static bool open_signals(struct app *app)
{
    bool ok = watch_event(app, evsignal_new(app->base, SIGTSTP, on_suspend, app), NULL) &&
              watch_event(app, evsignal_new(app->base, SIGWINCH, on_winch, app), NULL) &&
              watch_event(app, evsignal_new(app->base, SIGINT, on_quit_signal, app), NULL) &&
              watch_event(app, evsignal_new(app->base, SIGTERM, on_quit_signal, app), NULL) &&
              watch_event(app, evsignal_new(app->base, SIGHUP, on_quit_signal, app), NULL);
    signal(SIGPIPE, SIG_IGN);
    return ok;
}

static bool open_screen(struct app *app)
{
    set_escdelay(25);
    app->screen = newterm(NULL, stdout, stdin);
    if (!app->screen) {
        fprintf(stderr, "rcttop: cannot start the terminal interface (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        return false;
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
    if (app->opt->mouse) {
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(0);  /* a press is a click at once: no wait for a double click */
    }
    const char *codeset = nl_langinfo(CODESET);
    app->glyphs = glyphs_get(!app->opt->ascii && codeset && strcmp(codeset, "UTF-8") == 0);
    app->colour_mode = pick_colour_mode();
    wtheme_apply(&app->theme, app->colour_mode);
    wtheme_fit_terminal(&app->theme, termattrs());
    return true;
}

/* Everything the run needs; false after saying why (monitor_close undoes what was made). */
static bool monitor_open(struct app *app)
{
    char err[512];
    if (!themes_load(app->opt->theme, &app->theme, err, sizeof err)) {
        fprintf(stderr, "rcttop: %s\n", err);
        return false;
    }
    for (size_t i = 0; i < themes_builtin_count(); i++)
        if (strcmp(themes_builtin_name(i), app->theme.name) == 0)
            app->theme_index = i;
    app->base = event_base_new();
    if (!app->base) {
        fprintf(stderr, "rcttop: out of memory\n");
        return false;
    }
    if (!open_devices(app))
        return false;
    /* Several units open on the plant; one on its dashboard. */
    int first = app->ndevices > 1 ? '0' : '1';
    for (size_t i = 0; i < app->nviews; i++)
        if (app->views[i]->digit == first)
            app->current_view = (int)i;
    app->view_state = calloc(app->nviews, sizeof *app->view_state);
    if (!app->view_state || !keys_open_pane(app, app->current_view) || !open_signals(app)) {
        fprintf(stderr, "rcttop: out of memory\n");
        return false;
    }
    sample_charted(app);
    if (!open_screen(app))
        return false;
    int refresh_ms = 1000 / (app->opt->cfg.refresh > 0 ? app->opt->cfg.refresh : 4);
    struct timeval tv = {refresh_ms / 1000, (refresh_ms % 1000) * 1000};
    if (!watch_event(app, event_new(app->base, STDIN_FILENO, EV_READ | EV_PERSIST, on_stdin, app), NULL) ||
        !watch_event(app, event_new(app->base, -1, EV_PERSIST, on_tick, app), &tv)) {
        endwin();
        fprintf(stderr, "rcttop: out of memory\n");
        return false;
    }
    return true;
}

static void monitor_loop(struct app *app)
{
    app->ui_started_ms = app_ui_ms();
    if (app->replay) {
        replay_driver_start(app);
    } else {
        /* The device's clock first: "today" in its logs is its day, not the host's. */
        /* With it the daylight-saving flag (how its times are meant) and the plant role. */
        static const char *const first[] = {"flash_rtc.time_stamp", "flash_rtc.flag_time_auto_switch",
                                            "wifi.sockb_protocol", "wifi.sockb_ip"};
        for (size_t i = 0; i < app->ndevices; i++)
            device_start(app->devices[i], first, sizeof first / sizeof first[0]);
    }
    app->dirty = true;
    draw(app);
    event_base_dispatch(app->base);
}

/* Undoes monitor_open as far as it went; the exit status (2 also when the recording
 * could not be finished, said after the screen is gone, where it stays readable). */
static int monitor_close(struct app *app, bool ran)
{
    if (app->screen) {
        endwin();
        delscreen(app->screen);
    }
    for (size_t i = 0; i < app->nevents; i++)
        event_free(app->events[i]);
    for (size_t i = 0; app->view_state && i < app->nviews; i++)
        if (app->views[i]->destroy && app->view_state[i])
            app->views[i]->destroy(app->view_state[i]);
    free(app->view_state);
    bool recorded = true;
    for (size_t i = 0; i < app->ndevices; i++) {
        char err[300], path[1024];
        snprintf(path, sizeof path, "%s", app->devices[i]->opt.record_path);
        if (!device_close(app->devices[i], err, sizeof err)) {
            fprintf(stderr, "rcttop: %s: %s\n", path, err);
            recorded = recorded && !path[0];  /* only what is kept in memory: no loss */
        }
    }
    free(app->devices);
    free(app->unit_alerts);
    if (app->plant)
        plant_state_release(app->plant);
    free(app->plant);
    replay_driver_free(app);
    if (app->base)
        event_base_free(app->base);
    free(app);
    return ran && recorded ? 0 : 2;
}

int monitor_run(struct app_options *opts, const struct view *const *views, size_t nviews)
{
    struct app *app = calloc(1, sizeof *app);
    if (!app)
        return 2;
    app->opt = opts;
    app->views = views;
    app->nviews = nviews;
    bool ran = monitor_open(app);
    if (ran)
        monitor_loop(app);
    return monitor_close(app, ran);
}
