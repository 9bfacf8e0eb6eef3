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
#include "tui/device/device.h"
#include "tui/format/args.h"

enum { OPT_SAMPLES = 5000, OPT_ON_ALERT };

struct watch_live {
    struct watch_core core;
    struct oneshot_options o;
    struct event_base *base;
    struct device *dev;            /* the one watched: its session, scheduler, store, recorder */
    enum link_state state;
    char cause[200];
    int64_t last_answer_unix;
    bool ever_answered;
    int64_t connected_since_ms;
    int status;
    uint64_t sampled_hash;
    bool started;
    bool recording_failure_said;
};

static void stop(struct watch_live *w, int status)
{
    w->status = status;
    event_base_loopbreak(w->base);
}

static void on_state(void *ctx, struct device *dev, enum link_state state, const char *detail,
                     int64_t retry_in_ms)
{
    (void)dev;
    struct watch_live *w = ctx;
    w->state = state;
    if (state == LINK_OFFLINE && detail[0])
        snprintf(w->cause, sizeof w->cause, "%s", detail);
    if ((state == LINK_ONLINE || state == LINK_SILENT) && !w->connected_since_ms)
        w->connected_since_ms = session_mono_ms();
    if (state == LINK_OFFLINE && retry_in_ms > 0 && !w->ever_answered &&
        !session_ever_connected(w->dev->session)) {
        /* Never reachable: nothing to watch, and a script must know at once. */
        fprintf(stderr, "rcttop watch: cannot reach %s: %s\n", w->core.dev.address, detail);
        stop(w, CLI_EXIT_USAGE);
    }
}

static void on_event(void *ctx, struct device *dev, const struct session_event *ev)
{
    (void)dev;
    struct watch_live *w = ctx;
    if (ev->cls == SESSION_ANSWER || ev->cls == SESSION_FOREIGN) {
        w->last_answer_unix = session_unix_ms() / 1000;
        w->ever_answered = true;
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
    int64_t now = session_unix_ms() / 1000;
    if (!w->ever_answered && w->connected_since_ms &&
        session_mono_ms() - w->connected_since_ms > w->core.silent_after_s * 1000 * 3) {
        fprintf(stderr, "rcttop watch: %s: connected, but the device never answered\n",
                w->core.dev.address);
        stop(w, CLI_EXIT_USAGE);
        return;
    }
    /* Answering on this connection: a new connection that has not answered yet is no
     * proof the device is back. */
    bool connected = w->state == LINK_ONLINE || w->state == LINK_DEGRADED;
    const char *cause = w->state == LINK_SILENT ? "connected, but no answer"
                        : w->cause[0] ? w->cause : "not connected";
    struct watch_moment m = {now, connected, w->last_answer_unix, cause, session_counters(w->dev->session),
                             session_srtt_ms(w->dev->session)};
    if (!watch_core_tick(&w->core, w->dev->store, &m))
        stop(w, 141);   /* stdout closed: nobody reads the events any more */
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

static int watch_live_run(struct watch_live *w)
{
    w->base = event_base_new();
    if (!w->base) {
        fprintf(stderr, "rcttop watch: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    static struct device_options dopt;  /* large, once per process: not on the stack */
    w->core.silent_after_s = device_options_of(w, &dopt);
    struct device_listener listener = {.ctx = w, .link_state = on_state, .heard = on_event};
    char err[1200];
    w->dev = device_open(&dopt, w->base, &listener, err, sizeof err);
    if (!w->dev) {
        fprintf(stderr, "rcttop watch: %s\n", err);
        event_base_free(w->base);
        return CLI_EXIT_USAGE;
    }
    if (!watch_core_start(&w->core, w->base)) {
        device_close(w->dev, NULL, 0);
        event_base_free(w->base);
        return CLI_EXIT_USAGE;
    }
    struct event *tick = event_new(w->base, -1, EV_PERSIST, on_tick, w);
    struct event *sigs[3] = {evsignal_new(w->base, SIGINT, on_signal, w),
                             evsignal_new(w->base, SIGTERM, on_signal, w),
                             evsignal_new(w->base, SIGHUP, on_signal, w)};
    for (int i = 0; i < 3; i++)
        event_add(sigs[i], NULL);
    signal(SIGPIPE, SIG_IGN);
    struct timeval tv = {1, 0};
    event_add(tick, &tv);
    static const char *const first[] = {"inverter_sn", "flash_rtc.time_stamp",
                                        "flash_rtc.flag_time_auto_switch", "battery.bms_sn"};
    update_polled(w);
    w->status = CLI_EXIT_OK;
    device_start(w->dev, first, w->o.listen_only ? 0 : sizeof first / sizeof first[0]);
    w->started = true;
    event_base_dispatch(w->base);
    event_free(tick);
    char rec_err[300];
    if (!device_close(w->dev, rec_err, sizeof rec_err) && w->status == CLI_EXIT_OK) {
        fprintf(stderr, "rcttop watch: %s\n", rec_err);
        w->status = CLI_EXIT_USAGE;
    }
    watch_core_stop(&w->core, w->base);
    for (int i = 0; i < 3; i++)
        event_free(sigs[i]);
    event_base_free(w->base);
    return w->status;
}

static const struct option watch_options[] = {
    ONESHOT_LONG_OPTIONS,
    {"samples", required_argument, NULL, OPT_SAMPLES},
    {"on-alert", required_argument, NULL, OPT_ON_ALERT},
    {NULL, 0, NULL, 0}};

static int cmd_watch(int argc, char **argv)
{
    static struct watch_live w;
    memset(&w, 0, sizeof w);
    oneshot_default_options(&w.o);
    w.o.progress = false;
    const char *on_alert = NULL;
    double samples_s = 0;
    optind = 0;
    int c;
    while ((c = cli_getopt("watch", argc, argv, cli_cmd_watch.shortopts,
                           cli_cmd_watch.options)) != -1) {
        if (c == OPT_SAMPLES) {
            if (!cli_parse_number("watch", "--samples", optarg, 1, 86400, &samples_s))
                return CLI_EXIT_USAGE;
        } else if (c == OPT_ON_ALERT) {
            on_alert = optarg;
        } else if (oneshot_option("watch", c, optarg, &w.o) <= 0) {
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("watch", "unexpected argument '%s'", argv[optind]);
    if (w.o.format != CLI_FORMAT_TEXT && w.o.format != CLI_FORMAT_JSON)
        return cli_usage_error("watch", "watch writes JSON Lines; --format is json");
    static struct config cfg;
    if (!oneshot_apply_config("watch", &w.o, &cfg))
        return CLI_EXIT_USAGE;
    struct alert_settings settings = cfg.alerts;
    if (on_alert)
        snprintf(settings.command, sizeof settings.command, "%s", on_alert);
    char why[400];
    if (settings.command[0] && !hook_check_command(settings.command, why, sizeof why))
        return cli_usage_error("watch", "--on-alert: %s", why);
    struct health_thresholds t;
    config_check_thresholds(&cfg, &t);
    char where[300];
    args_format_host_port(w.o.host, w.o.port, where, sizeof where);
    watch_core_init(&w.core, &settings, &t, w.o.clock_mode, where, w.o.device, samples_s);
    if (w.o.replay_path[0])
        return watch_replay_run(&w.core, w.o.replay_path);
    return watch_live_run(&w);
}

const struct cli_command cli_cmd_watch = {
    .name = "watch",
    .summary = "alerts as JSON Lines: faults, findings, offline, SOC; a hook per alert",
    .usage =
        "usage: rcttop watch [-H HOST[:PORT] | --device NAME] [--samples S] [--on-alert CMD]\n"
        "                    [--listen-only] [--replay FILE] [OPTIONS]\n"
        "\n"
        "Polls like the monitor (the same rate, honest state and rules) and writes one JSON\n"
        "object a line to stdout for every alert as it fires and as it resolves:\n"
        "  {\"time\", \"type\":\"event\", \"event\", \"state\":\"firing\"|\"resolved\", \"severity\",\n"
        "   \"key\", \"message\", \"value\", \"since\", \"duration_s\" (resolved), \"device\",\n"
        "   \"fault\" | \"rule\" | \"cause\"}\n"
        "Events: fault (a fault bit raised or cleared), finding (a diagnosis rule at warning or\n"
        "critical), offline (with the cause; info inside [alerts] expected_offline), soc_low\n"
        "([alerts] soc_below/soc_above), tower_missing. Each fires once, after [alerts] hold\n"
        "seconds (10), never on one bad read; what is not known (fault words of a device that\n"
        "went silent) is never taken as cleared.\n"
        "\n"
        "      --samples S         also a line of the main figures every S seconds\n"
        "                          ({\"type\":\"sample\", \"online\", \"soc\", \"pv_w\", ...})\n"
        "      --on-alert CMD      run CMD (a program and its arguments, no shell) for each\n"
        "                          event: RCTTOP_EVENT, _STATE, _SEVERITY, _KEY, _MESSAGE,\n"
        "                          _HOST, _LABEL, _SERIAL, _VALUE, _SINCE, _TIME, _DURATION in\n"
        "                          its environment, the JSON line on its stdin; one at a time\n"
        "                          per kind of event, killed after [alerts] hook_timeout (30 s)\n"
        DEVICE_OPTIONS_HELP
        "\n"
        "With --listen-only nothing is sent (the answers other clients get are judged); with\n"
        "--replay FILE a recording becomes the events it contained, as fast as it is read.\n"
        "Exit status: 0 after Ctrl-C or SIGTERM, 2 when the device was never reachable.\n"
        "\n"
        "example: rcttop watch --host 192.168.1.50 | jq -r 'select(.type==\"event\") | .message'\n",
    .options = watch_options,
    .shortopts = ONESHOT_SHORT_OPTIONS,
    .run = cmd_watch,
};
