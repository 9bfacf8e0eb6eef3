/* `rcttop watch`: polls like the monitor (the same session, scheduler, politeness and
 * honest state) and writes what changes as JSON Lines to stdout: alert events as they
 * fire and resolve (tui/alerts), and with --samples a line of the main figures every few
 * seconds. The hook runs for each event. With --listen-only it sends nothing; with
 * --replay FILE it turns a recording into the events it contained (watch_replay.c). */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "proto/core/scheduler.h"
#include "proto/core/session.h"
#include "proto/core/towers.h"
#include "tui/alerts/hook.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/commands/oneshot_options.h"
#include "tui/commands/watch_core.h"
#include "tui/config/config.h"
#include "tui/config/units.h"
#include "tui/device/device.h"

enum { OPT_SAMPLES = 5000, OPT_ON_ALERT, OPT_GIVE_UP_AFTER, OPT_PLANT };

struct watch_live {
    struct watch_core core;
    struct oneshot_options o;
    int offline_from_min, offline_to_min;  /* the unit's own expected_offline (-1: none) */
    struct event_base *base;
    struct device *dev;            /* the one watched: its session, scheduler, store, recorder */
    enum link_state state;
    char cause[200];
    int64_t last_answer_unix;
    int64_t start_unix, start_mono_ms, last_answer_mono_ms;   /* last answer: 0 for none yet */
    double give_up_after_s;        /* 0: never; a service keeps trying */
    struct event *give_up;
    int status;
    uint64_t sampled_hash;
    bool started;
    bool recording_failure_said;
    int *run_status;               /* the run's, shared by its units */
    struct event *tick;
};

static void stop(struct watch_live *w, int status)
{
    *w->run_status = status;
    event_base_loopbreak(w->base);
}

static void on_state(void *ctx, struct device *dev, enum link_state state, const char *detail,
                     int64_t retry_in_ms)
{
    (void)dev;
    (void)retry_in_ms;             /* the device reconnects with the link's backoff */
    struct watch_live *w = ctx;
    w->state = state;
    if (state == LINK_OFFLINE && detail[0])
        snprintf(w->cause, sizeof w->cause, "%s", detail);
}

static void on_event(void *ctx, struct device *dev, const struct session_event *ev)
{
    (void)dev;
    struct watch_live *w = ctx;
    if (ev->cls == SESSION_ANSWER || ev->cls == SESSION_FOREIGN) {
        w->last_answer_unix = session_unix_ms() / 1000;
        w->last_answer_mono_ms = session_mono_ms();
    }
}

/* What is polled: the figures of a sample at the sample pace, what the rules need slowly;
 * the fault words by the scheduler's own tier. */
static void update_polled(struct watch_live *w)
{
    uint32_t figures[32], needed[200];
    size_t nf = watch_core_figure_oids(figures, 32);
    struct store *store = w->dev->store;
    struct scheduler *sched = w->dev->sched;
    size_t nn = health_needed_oids(store, needed, 200);
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < nn; i++)
        h = (h ^ needed[i]) * 1099511628211u;
    if (h == w->sampled_hash)
        return;
    w->sampled_hash = h;
    scheduler_set_watched(sched, figures, nf);
    scheduler_set_sampled(sched, needed, nn);
    for (size_t i = 0; i < nf; i++)
        store_set_max_age(store, figures[i], 3 * scheduler_period_ms(sched, figures[i]) + 4000);
    if (w->started)
        session_kick(w->dev->session);
}

/* How long no answer came (ms): since the last one, else since the start. */
static int64_t quiet_ms(const struct watch_live *w)
{
    return session_mono_ms() - (w->last_answer_mono_ms ? w->last_answer_mono_ms : w->start_mono_ms);
}

static struct watch_moment moment_now(const struct watch_live *w)
{
    /* Answering on this connection: a new connection that has not answered yet is no
     * proof the device is back. */
    bool connected = w->state == LINK_ONLINE || w->state == LINK_DEGRADED;
    const char *cause = w->state == LINK_SILENT ? "connected, but no answer"
                        : w->cause[0] ? w->cause : "not connected";
    /* Offline is news once a connection failed, or once the silence limit passed without
     * an answer: what a device down at boot and a PV-only unit asleep both are. */
    bool verdict = (w->state == LINK_OFFLINE && w->cause[0]) ||
                   (double)quiet_ms(w) >= w->core.silent_after_s * 1000;
    return (struct watch_moment){
        .now_unix = session_unix_ms() / 1000, .connected = connected,
        .last_answer_unix = w->last_answer_unix, .cause = cause,
        .link = session_counters(w->dev->session), .srtt_ms = session_srtt_ms(w->dev->session),
        .link_verdict = verdict,
        .quiet_since_unix = w->last_answer_unix ? w->last_answer_unix : w->start_unix};
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct watch_live *w = arg;
    update_polled(w);
    struct recorder *recorder = w->dev->recorder;
    if (recorder && recorder_error(recorder) && !w->recording_failure_said) {
        fprintf(stderr, "rcttop watch: the recording %s stopped: %s\n", w->o.record_path,
                recorder_error(recorder));
        w->recording_failure_said = true;
    }
    struct watch_moment m = moment_now(w);
    if (!watch_core_tick(&w->core, w->dev->store, &m))
        stop(w, 141);   /* stdout closed: nobody reads the events any more */
}

/* --give-up-after: due S seconds after the last answer (or the start); an answer in
 * between moves it on. */
static void on_give_up(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct watch_live *w = arg;
    int64_t left_ms = (int64_t)(w->give_up_after_s * 1000) - quiet_ms(w);
    if (left_ms > 0) {
        struct timeval tv = {(time_t)(left_ms / 1000), (suseconds_t)(left_ms % 1000 * 1000)};
        evtimer_add(w->give_up, &tv);
        return;
    }
    struct watch_moment m = moment_now(w);
    (void)watch_core_tick(&w->core, w->dev->store, &m);   /* the offline event first */
    watch_core_give_up(&w->core, &m, w->give_up_after_s);
    stop(w, CLI_EXIT_USAGE);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    stop(arg, CLI_EXIT_OK);
}

/* The device as the options name it, polled for what the rules and the samples need;
 * returns when it is called offline (s). */
static double device_options_of(const struct watch_live *w, struct device_options *d)
{
    device_default_options(d);
    snprintf(d->host, sizeof d->host, "%s", w->o.host);
    d->port = w->o.port;
    snprintf(d->label, sizeof d->label, "%s", w->core.dev.label);
    snprintf(d->recorded_as, sizeof d->recorded_as, "%s", w->core.dev.address);
    d->client = "watch";
    d->rate = w->o.rate;
    d->timeout = w->o.timeout_s;
    d->retries = w->o.retries;
    d->listen_only = w->o.listen_only;
    d->clock_mode = w->o.clock_mode;
    snprintf(d->record_path, sizeof d->record_path, "%s", w->o.record_path);
    d->record_max_mb = w->o.record_max_mb;
    d->record_force = w->o.record_force;
    d->thresholds = w->core.thresholds;
    struct scheduler_config *scfg = &d->sched;
    scfg->background = false;               /* only what the rules and the samples need */
    scfg->watched_period_ms = (int64_t)(fmin(w->core.samples_s > 0 ? w->core.samples_s : 10, 10) * 1000);
    scfg->sampled_period_ms = 30000;
    /* Silent after two polls of the fault words (the most frequent question) or two answer
     * timeouts, as the monitor. */
    double timeout_ms = (double)(int64_t)(d->timeout * 1000);
    double silent = fmax(2.0 * (double)scfg->fault_period_ms, 2.0 * timeout_ms) / 1000.0 + 1;
    if (w->o.listen_only)
        silent = fmax(silent, 30);         /* other clients poll at their own pace */
    d->silent_after_ms = (int64_t)(silent * 1000);
    return silent;
}

/* One unit on the run's loop: its device, its hook runner, its tick; false after saying
 * why. */
static bool unit_open(struct watch_live *w, struct event_base *base, int *run_status)
{
    w->base = base;
    w->run_status = run_status;
    static struct device_options dopt;  /* large: not on the stack */
    w->core.silent_after_s = device_options_of(w, &dopt);
    struct device_listener listener = {.ctx = w, .link_state = on_state, .heard = on_event};
    char err[1200];
    w->dev = device_open(&dopt, w->base, &listener, err, sizeof err);
    if (!w->dev) {
        fprintf(stderr, "rcttop watch: %s\n", err);
        return false;
    }
    if (!watch_core_start(&w->core, w->base)) {
        device_close(w->dev, NULL, 0);
        w->dev = NULL;
        return false;
    }
    w->tick = event_new(w->base, -1, EV_PERSIST, on_tick, w);
    struct timeval tv = {1, 0};
    event_add(w->tick, &tv);
    static const char *const first[] = {"inverter_sn", "flash_rtc.time_stamp",
                                        "flash_rtc.flag_time_auto_switch", "battery.bms_sn"};
    update_polled(w);
    w->start_unix = session_unix_ms() / 1000;
    w->start_mono_ms = session_mono_ms();
    w->give_up = w->give_up_after_s > 0 ? evtimer_new(w->base, on_give_up, w) : NULL;
    if (w->give_up) {
        double whole = floor(w->give_up_after_s);
        struct timeval after = {(time_t)whole, (suseconds_t)((w->give_up_after_s - whole) * 1e6)};
        evtimer_add(w->give_up, &after);
    }
    device_start(w->dev, first, w->o.listen_only ? 0 : sizeof first / sizeof first[0]);
    w->started = true;
    return true;
}

static void unit_close(struct watch_live *w)
{
    if (!w->dev)
        return;
    event_free(w->tick);
    if (w->give_up)
        event_free(w->give_up);
    char rec_err[300];
    if (!device_close(w->dev, rec_err, sizeof rec_err) && *w->run_status == CLI_EXIT_OK) {
        fprintf(stderr, "rcttop watch: %s\n", rec_err);
        *w->run_status = CLI_EXIT_USAGE;
    }
    w->dev = NULL;
    watch_core_stop(&w->core, w->base);
}

/* Every unit on one loop, each on its own connection, until a signal or a give-up. */
static int watch_live_run(struct watch_live *units, size_t n)
{
    struct event_base *base = event_base_new();
    if (!base) {
        fprintf(stderr, "rcttop watch: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    int status = CLI_EXIT_OK;
    size_t opened = 0;
    while (opened < n && unit_open(&units[opened], base, &status))
        opened++;
    struct event *sigs[3] = {evsignal_new(base, SIGINT, on_signal, &units[0]),
                             evsignal_new(base, SIGTERM, on_signal, &units[0]),
                             evsignal_new(base, SIGHUP, on_signal, &units[0])};
    for (int i = 0; i < 3; i++)
        event_add(sigs[i], NULL);
    signal(SIGPIPE, SIG_IGN);
    if (opened == n)
        event_base_dispatch(base);
    else
        status = CLI_EXIT_USAGE;
    for (size_t i = 0; i < opened; i++)
        unit_close(&units[i]);
    for (int i = 0; i < 3; i++)
        event_free(sigs[i]);
    event_base_free(base);
    return status;
}

static const struct option watch_options[] = {
    ONESHOT_LONG_OPTIONS,
    {"samples", required_argument, NULL, OPT_SAMPLES},
    {"on-alert", required_argument, NULL, OPT_ON_ALERT},
    {"give-up-after", required_argument, NULL, OPT_GIVE_UP_AFTER},
    {"plant", required_argument, NULL, OPT_PLANT},
    {NULL, 0, NULL, 0}};

/* The units to follow, each a watch_live of its own with the run's options; 0 after
 * saying why. One unit (no --plant, at most one --host) is watched as always. */
static size_t units_of(struct watch_live *units, const struct watch_live *w, const struct config *cfg,
                       const char *plant, const char *const *hosts, size_t nhosts)
{
    static struct unit_list list;
    char why[600];
    if (!plant && nhosts <= 1) {
        units[0] = *w;
        return 1;
    }
    if (w->o.replay_path[0]) {
        cli_usage_error("watch", "--replay is one unit's recording: not with --plant or several --host");
        return 0;
    }
    if (w->give_up_after_s > 0) {
        cli_usage_error("watch", "--give-up-after is for one unit: a plant is watched as a service");
        return 0;
    }
    if (plant ? !units_from_plant(cfg, plant, &list, why, sizeof why)
              : !units_from_hosts(hosts, nhosts, w->o.port, &list, why, sizeof why)) {
        cli_usage_error("watch", "%s", why);
        return 0;
    }
    for (size_t i = 0; i < list.n; i++) {
        const struct unit_spec *u = &list.units[i];
        struct watch_live *d = &units[i];
        *d = *w;
        snprintf(d->o.host, sizeof d->o.host, "%s", u->host);
        d->o.port = u->port;
        snprintf(d->o.label, sizeof d->o.label, "%s", u->label);
        d->offline_from_min = u->offline_from_min;
        d->offline_to_min = u->offline_to_min;
        if (u->rate > 0 && !(w->o.given & ONESHOT_GIVEN_RATE))
            d->o.rate = u->rate;
        if (u->timeout > 0 && !(w->o.given & ONESHOT_GIVEN_TIMEOUT))
            d->o.timeout_s = u->timeout;
        if (u->clock[0] && !(w->o.given & ONESHOT_GIVEN_CLOCK))
            devclock_mode_from_name(u->clock, &d->o.clock_mode);
        if (w->o.record_path[0] &&
            !units_record_path(w->o.record_path, u->label, d->o.record_path, sizeof d->o.record_path)) {
            cli_usage_error("watch", "--record %s: the name for unit %s is too long", w->o.record_path, u->label);
            return 0;
        }
    }
    return list.n;
}

static int cmd_watch(int argc, char **argv)
{
    static struct watch_live w;
    static struct watch_live units[CONFIG_PLANT_UNITS_MAX];
    memset(&w, 0, sizeof w);
    oneshot_default_options(&w.o);
    w.o.progress = false;
    const char *on_alert = NULL, *plant = NULL;
    const char *hosts[CONFIG_PLANT_UNITS_MAX];
    size_t nhosts = 0;
    double samples_s = 0, give_up_after_s = 0;
    optind = 0;
    int c;
    while ((c = cli_getopt("watch", argc, argv, cli_cmd_watch.shortopts,
                           cli_cmd_watch.options)) != -1) {
        if (c == OPT_SAMPLES) {
            if (!cli_parse_number("watch", "--samples", optarg, 1, 86400, &samples_s))
                return CLI_EXIT_USAGE;
        } else if (c == OPT_GIVE_UP_AFTER) {
            if (!cli_parse_number("watch", "--give-up-after", optarg, 1, 31536000, &give_up_after_s))
                return CLI_EXIT_USAGE;
        } else if (c == OPT_ON_ALERT) {
            on_alert = optarg;
        } else if (c == OPT_PLANT) {
            plant = optarg;
        } else if (c == 'H' && nhosts == CONFIG_PLANT_UNITS_MAX) {
            return cli_usage_error("watch", "at most %d units (--host given more often)", CONFIG_PLANT_UNITS_MAX);
        } else if (oneshot_option("watch", c, optarg, &w.o) <= 0) {
            return CLI_EXIT_USAGE;
        } else if (c == 'H') {
            hosts[nhosts++] = optarg;
        }
    }
    if (optind < argc)
        return cli_usage_error("watch", "unexpected argument '%s'", argv[optind]);
    if (w.o.format != CLI_FORMAT_TEXT && w.o.format != CLI_FORMAT_JSON)
        return cli_usage_error("watch", "watch writes JSON Lines; --format is json");
    if (plant && (nhosts || w.o.device[0]))
        return cli_usage_error("watch", "--plant names its units: not with --host or --device");
    static struct config cfg;
    if (!oneshot_apply_config("watch", &w.o, &cfg))
        return CLI_EXIT_USAGE;
    if (!plant && !nhosts && !w.o.device[0] && !w.o.replay_path[0] && cfg.plant[0])
        plant = cfg.plant;
    struct alert_settings settings = cfg.alerts;
    if (on_alert)
        snprintf(settings.command, sizeof settings.command, "%s", on_alert);
    char why[400];
    if (settings.command[0] && !hook_check_command(settings.command, why, sizeof why))
        return cli_usage_error("watch", "--on-alert: %s", why);
    struct health_thresholds t;
    config_check_thresholds(&cfg, &t);
    w.give_up_after_s = give_up_after_s;
    size_t n = units_of(units, &w, &cfg, plant, hosts, nhosts);
    if (!n)
        return CLI_EXIT_USAGE;
    for (size_t i = 0; i < n; i++) {
        struct watch_live *u = &units[i];
        /* A unit's own expected_offline window (a PV-only slave's night), else [alerts]'. */
        struct alert_settings own = settings;
        if (n > 1 && u->offline_from_min >= 0) {
            own.offline_from_min = u->offline_from_min;
            own.offline_to_min = u->offline_to_min;
        }
        watch_core_init(&u->core, &own, &t, u->o.clock_mode, u->o.host, u->o.port, u->o.label, samples_s);
        u->core.dev.unit_line = n > 1;   /* one device: its lines as they always were */
    }
    if (w.o.replay_path[0])
        return watch_replay_run(&units[0].core, w.o.replay_path);
    return watch_live_run(units, n);
}

const struct cli_command cli_cmd_watch = {
    .name = "watch",
    .summary = "alerts as JSON Lines: faults, findings, offline, SOC; a hook per alert",
    .usage =
        "usage: rcttop watch [-H HOST[:PORT]... | --device NAME | --plant NAME] [--samples S]\n"
        "                    [--on-alert CMD]\n"
        "                    [--give-up-after S] [--listen-only] [--replay FILE] [OPTIONS]\n"
        "\n"
        "Polls like the monitor (the same rate, honest state and rules) and writes one JSON\n"
        "object a line to stdout for every alert as it fires and as it resolves:\n"
        "  {\"time\", \"type\":\"event\", \"event\", \"state\":\"firing\"|\"resolved\", \"severity\",\n"
        "   \"key\", \"message\", \"value\", \"since\", \"duration_s\" (resolved), \"device\",\n"
        "   \"fault\" | \"rule\" | \"cause\"}\n"
        "Events: fault (a fault bit raised or cleared), finding (a diagnosis rule at warning or\n"
        "critical), offline (the cause and since when; info inside [alerts] expected_offline;\n"
        "resolved when it answers again: online), soc_low ([alerts] soc_below/soc_above),\n"
        "tower_missing. Each fires once, after [alerts] hold seconds (%{alerts.hold}), never on\n"
        "one bad read; what is not known (fault words of a device that went silent) is never\n"
        "taken as cleared.\n"
        "\n"
        "      --samples S         also a line of the main figures every S seconds\n"
        "                          ({\"type\":\"sample\", \"online\", \"soc\", \"pv_w\", ...})\n"
        "      --on-alert CMD      run CMD (a program and its arguments, no shell) for each\n"
        "                          event: RCTTOP_EVENT, _STATE, _SEVERITY, _KEY, _MESSAGE,\n"
        "                          _HOST, _LABEL, _SERIAL, _VALUE, _SINCE, _TIME, _DURATION in\n"
        "                          its environment, the JSON line on its stdin; one at a time\n"
        "                          per kind of event, killed after [alerts] hook_timeout\n"
        "                          (%{alerts.hook_timeout} s)\n"
        "      --give-up-after S   exit 2 after S seconds without an answer (default: never;\n"
        "                          the last line is {\"type\":\"give_up\", \"message\", \"cause\",\n"
        "                          \"since\", \"device\"}, the message also on stderr)\n"
        "      --plant NAME        a [plant:NAME] section: every unit it names\n"
        DEVICE_OPTIONS_HELP
        "\n"
        "With --listen-only nothing is sent (the answers other clients get are judged); with\n"
        "--replay FILE a recording becomes the events it contained, as fast as it is read.\n"
        "\n"
        "Several units (-H repeated, --plant NAME, or [general] plant): one stream, each\n"
        "unit on its own connection, every line with {\"unit\":{\"label\", \"host\", \"port\",\n"
        "\"serial\"}}; alerts and hooks per unit (RCTTOP_LABEL, _HOST, _SERIAL name it); a\n"
        "unit offline is its own offline event while the others go on. --record FILE\n"
        "writes one file per unit, FILE-stem.LABEL.ext, as the monitor does.\n"
        "\n"
        "Unlike the other commands, watch keeps running (a service): a device refused,\n"
        "unreachable or silent, at the start or later, is retried with growing pauses (up\n"
        "to 10 s) and is an offline event, resolved once it answers again. Exit status: 0\n"
        "after Ctrl-C or SIGTERM, 2 after --give-up-after S or for a bad option or the\n"
        "configuration, 141 when nobody reads stdout any more.\n"
        "\n"
        "example: rcttop watch --host 192.168.1.50 | jq -r 'select(.type==\"event\") | .message'\n",
    .options = watch_options,
    .shortopts = ONESHOT_SHORT_OPTIONS,
    .run = cmd_watch,
};
