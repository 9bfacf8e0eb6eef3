/* The monitor's loop: event wiring (session or in-process simulator, keys, SIGWINCH,
 * signals), the key map, and the redraw timer: the only place that draws, at most
 * `refresh` times a second, only when something changed, through ncurses' diffing. */
#include "tui/monitor/loop.h"
#include "tui/monitor/alerting.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "proto/core/clock.h"
#include "proto/sim/sim.h"
#include "tui/config/themes.h"
#include "tui/monitor/app.h"
#include "tui/monitor/bars.h"
#include "tui/monitor/replay_driver.h"
#include "tui/monitor/snapshot.h"
#include "tui/monitor/textbox.h"
#include "tui/monitor/tracking.h"
#include "widgets/text.h"

#define MIN_ROWS 8
#define MIN_COLS 30
/* What the monitor keeps in memory for a snapshot: the last 15 minutes, up to 64 MB. */
#define KEEP_US (15 * 60 * 1000000LL)
/* The "recent" line of a value's detail view: as wide as the view at 80 columns. */
#define RECENT_SAMPLES 64
#define KEEP_MAX_BYTES (64u << 20)

static void update_watched(struct app *app)
{
    uint32_t oids[512];
    const struct view *v = app->views[app->current_view];
    size_t n = v->visible_oids ? v->visible_oids(app, app->view_state[app->current_view], oids, 512) : 0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ oids[i]) * 16777619u;
    h ^= (uint32_t)n;
    if (h == app->watched_hash)
        return;
    app->watched_hash = h;
    scheduler_set_watched(app->sched, oids, n);
    /* The on-screen OIDs expire as fast as they are polled, and keep a short trend from
     * now on for their detail view (those only read in the background keep none). */
    for (size_t i = 0; i < n; i++) {
        store_set_max_age(app->store, oids[i], 3 * scheduler_period_ms(app->sched, oids[i]) + 4000);
        store_keep_samples(app->store, oids[i], RECENT_SAMPLES, 0);
    }
    session_kick(app->session);
}

/* What any pane charts is read all the time at the chart's pace: a chart has no holes
 * for the minutes another pane was open. */
static void sample_charted(struct app *app, const struct scheduler_config *scfg)
{
    uint32_t oids[64];
    size_t n = 0;
    for (size_t i = 0; i < app->nviews; i++)
        if (app->views[i]->sampled_oids)
            n += app->views[i]->sampled_oids(oids + n, sizeof oids / sizeof oids[0] - n);
    scheduler_set_sampled(app->sched, oids, n);
    /* Samples only for what is drawn: a chart's series over the chart's span, at most one
     * per column of the widest chart; what is on screen a short trend (above). */
    for (size_t i = 0; i < n; i++) {
        store_set_max_age(app->store, oids[i], 3 * scfg->sampled_period_ms + 4000);
        store_keep_samples(app->store, oids[i], STORE_RING, (int64_t)app->opt->cfg.history_minutes * 60000);
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

/* ---- keys ----------------------------------------------------------------- */

/* A pane's state is made when the pane is first opened: panes never opened cost nothing
 * (the Values and Device panes index the whole registry). */
static bool open_view_state(struct app *app, int index)
{
    const struct view *v = app->views[index];
    if (app->view_state[index] || !v->create)
        return true;
    app->view_state[index] = v->create(app);
    return app->view_state[index] != NULL;
}

static void switch_view(struct app *app, int index)
{
    if (index < 0 || index >= (int)app->nviews || index == app->current_view)
        return;
    if (!open_view_state(app, index)) {
        app_note(app, " out of memory: the %s pane cannot open", app->views[index]->title);
        return;
    }
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
    wtheme_fit_terminal(&app->theme, termattrs());
    app_note(app, " theme: %s%s", app->theme.name,
             app->colour_mode == WCOLOUR_MONO ? " (no colours on this terminal)" : "");
}

static void handle_key(struct app *app, int ch)
{
    const struct view *v = app->views[app->current_view];
    void *st = app->view_state[app->current_view];
    if (app->help_open) {
        app->dirty = true;
        if (!textbox_key(ch, &app->help_scroll))
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
    case 'q': case 'Q': case KEY_F(10): app->quit = true; return;
    case '?': case 'h': case KEY_F(1):
        app->help_open = true;
        app->help_scroll = 0;
        app->dirty = true;
        return;
    case 'r':
        if (app->replay || app->opt->demo) {
            app_note(app, " r: nothing to reconnect to here");
        } else if (session_state(app->session) == LINK_OFFLINE) {
            /* In the Link pane's log too: a later message (an alert resolving as the
             * device answers) soon takes the status line. */
            knows_link_note(&app->knows, "reconnecting now (r pressed)");
            session_retry_now(app->session);
            app_note(app, " reconnecting now");
        } else {
            app_note(app, " r: the link is %s; nothing to retry", link_state_name(session_state(app->session)));
        }
        return;
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
        snapshot_write(app, where, sizeof where);
        app_note(app, " %s", where);
        return;
    }
    case '\t': switch_view(app, (app->current_view + 1) % (int)app->nviews); return;
    case KEY_BTAB: switch_view(app, (app->current_view + (int)app->nviews - 1) % (int)app->nviews); return;
    case KEY_RESIZE: app->dirty = true; return;
    case KEY_MOUSE: {
        MEVENT m;
        if (getmouse(&m) != OK)
            return;
        if (m.y == 1 && (m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) {
            switch_view(app, bars_tab_at(app, m.x));
            return;
        }
        /* The wheel is three lines of Up or Down to the pane; a click is the pane's. */
        int wheel = m.bstate & BUTTON4_PRESSED ? KEY_UP : m.bstate & BUTTON5_PRESSED ? KEY_DOWN : 0;
        for (int i = 0; wheel && i < 3 && v->key; i++)
            app->dirty |= v->key(app, st, wheel);
        if (!wheel && v->click && (m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) &&
            v->click(app, st, m.y, m.x))
            app->dirty = true;
        return;
    }
    default:
        break;
    }
    if (ch >= '1' && ch <= '9') {
        for (size_t i = 0; i < app->nviews; i++)
            if (app->views[i]->digit == ch) {
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
    tracking_catch_up(app);
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
    tracking_catch_up(app);
    int64_t second = session_unix_ms() / 1000;
    give_back_freed_memory(second);
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

static struct bufferevent *demo_transport(struct event_base *base, void *ctx)
{
    struct app *app = ctx;
    struct bufferevent *ends[2];
    if (bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends) != 0)
        return NULL;
    sim_serve_bufferevent(app->sim, ends[1]);
    return ends[0];
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

int monitor_run(struct app_options *opts, const struct view *const *views, size_t nviews)
{
    struct app *app = calloc(1, sizeof *app);
    if (!app)
        return 2;
    app->opt = opts;
    app->views = views;
    app->nviews = nviews;
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
                                      (uint64_t)(opts->record_max_mb * 1e6), opts->record_force,
                                      rerr, sizeof rerr);
        if (!app->recorder) {
            fprintf(stderr, "rcttop: %s\n", rerr);
            return 2;
        }
        recorder_keep(app->recorder, KEEP_US, KEEP_MAX_BYTES);
        cfg.tap = (struct session_tap){recorder_tap, app->recorder};
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
    /* Silent after about two poll periods of the on-screen values, or two answer
     * timeouts if longer. */
    int64_t silent_after_ms = 2 * scfg.watched_period_ms;
    if (silent_after_ms < 2 * cfg.link.timeout_ms)
        silent_after_ms = 2 * cfg.link.timeout_ms;
    struct health_thresholds thresholds;
    config_check_thresholds(&opts->cfg, &thresholds);
    knows_init(&app->knows, &thresholds, silent_after_ms + 1000);
    app->knows.clock_mode = opts->clock_mode;
    app->session_cfg = cfg;
    app->session = tracking_open_session(app);
    struct alert_settings alerts = opts->cfg.alerts;
    if (opts->on_alert[0])
        snprintf(alerts.command, sizeof alerts.command, "%s", opts->on_alert);
    alerts.ring_bell |= opts->ring_bell;
    if (!alerting_open(app, &alerts))
        return 2;
    walk_init(&app->walks, app->sched);
    if (app->replay)
        replay_driver_attach_walks(app);
    app->view_state = calloc(app->nviews, sizeof *app->view_state);
    if (!app->base || !app->store || !app->sched || !app->session || !app->view_state ||
        (opts->demo && !app->sim) || !open_view_state(app, app->current_view)) {
        fprintf(stderr, "rcttop: out of memory\n");
        return 2;
    }
    sample_charted(app, &scfg);

    /* Signals through libevent, installed before ncurses so it keeps its hands off. */
    struct event *winch = evsignal_new(app->base, SIGWINCH, on_winch, app);
    struct event *sigint = evsignal_new(app->base, SIGINT, on_quit_signal, app);
    struct event *sigterm = evsignal_new(app->base, SIGTERM, on_quit_signal, app);
    struct event *sighup = evsignal_new(app->base, SIGHUP, on_quit_signal, app);
    struct event *sigtstp = evsignal_new(app->base, SIGTSTP, on_suspend, app);
    event_add(sigtstp, NULL);
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
    if (opts->mouse) {
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(0);  /* a press is a click at once: no wait for a double click */
    }
    const char *codeset = nl_langinfo(CODESET);
    app->glyphs = glyphs_get(!opts->ascii && codeset && strcmp(codeset, "UTF-8") == 0);
    app->colour_mode = pick_colour_mode();
    wtheme_apply(&app->theme, app->colour_mode);
    wtheme_fit_terminal(&app->theme, termattrs());

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
        app->knows.started_ms = session_mono_ms();
        /* The device's clock first: "today" in its logs is its day, not the host's. */
        /* With it the daylight-saving flag (how its times are meant) and the plant role. */
        static const char *const first[] = {"flash_rtc.time_stamp", "flash_rtc.flag_time_auto_switch",
                                            "wifi.sockb_protocol", "wifi.sockb_ip"};
        uint32_t first_oids[4];
        size_t nfirst = 0;
        for (size_t i = 0; i < 4; i++) {
            const struct rct_oid_info *info = rct_registry_by_name(first[i]);
            if (info)
                first_oids[nfirst++] = info->oid;
        }
        scheduler_plan_once(app->sched, first_oids, nfirst);
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
    event_free(sigtstp);
    for (size_t i = 0; i < app->nviews; i++)
        if (app->views[i]->destroy && app->view_state[i])
            app->views[i]->destroy(app->view_state[i]);
    free(app->view_state);
    alerting_close(app);
    walk_free(&app->walks);
    session_free(app->session);
    replay_driver_free(app);
    char rec_err[300];
    bool recorded = recorder_finish(app->recorder, rec_err, sizeof rec_err);
    if (!recorded)  /* after endwin: said where it stays readable */
        fprintf(stderr, "rcttop: %s: %s\n", opts->record_path, rec_err);
    sim_free(app->sim);
    scheduler_free(app->sched);
    store_free(app->store);
    event_base_free(app->base);
    free(app);
    return recorded || !opts->record_path[0] ? 0 : 2;
}
