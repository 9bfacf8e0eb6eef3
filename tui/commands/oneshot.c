/* One-shot reads over the same session/scheduler/store path as the monitor, driven to
 * completion in a private event loop. */
#include "tui/commands/oneshot.h"
#include "tui/config/config.h"

#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "proto/capture/record.h"
#include "proto/core/session.h"
#include "tui/format/args.h"
#include "tui/format/timearg.h"

const char oneshot_short_options[] = "H:P:r:t:f:v";

void oneshot_default_options(struct oneshot_options *opts)
{
    memset(opts, 0, sizeof *opts);
    snprintf(opts->host, sizeof opts->host, "127.0.0.1");
    opts->port = 8899;
    opts->rate = 4;
    opts->timeout_s = 2;
    opts->retries = 3;
    opts->format = CLI_FORMAT_TEXT;
    opts->progress = true;
    opts->max_pages = ONESHOT_DEFAULT_MAX_PAGES;
    opts->max_time_s = ONESHOT_DEFAULT_MAX_TIME_S;
    opts->wait_s = 30;
}

int oneshot_option(const char *command, int opt, const char *arg, struct oneshot_options *o)
{
    double v;
    const char *why;
    switch (opt) {
    case 'H':
        if (!args_parse_host_port(arg, o->host, sizeof o->host, &o->port, &why)) {
            cli_usage_error(command, "--host '%s' %s", arg, why);
            return -1;
        }
        o->given |= ONESHOT_GIVEN_HOST;
        return 1;
    case 'P':
        if (!cli_parse_integer(command, "--port", arg, 1, 65535, &v))
            return -1;
        o->port = (uint16_t)v;
        o->given |= ONESHOT_GIVEN_PORT;
        return 1;
    case 'r':
        o->given |= ONESHOT_GIVEN_RATE;
        return cli_parse_number(command, "--rate", arg, 0.1, 10000, &o->rate) ? 1 : -1;
    case 't':
        o->given |= ONESHOT_GIVEN_TIMEOUT;
        return cli_parse_number(command, "--timeout", arg, 0.05, 600, &o->timeout_s) ? 1 : -1;
    case 1000:
        if (!cli_parse_integer(command, "--retries", arg, 0, 10, &v))
            return -1;
        o->retries = (int)v;
        o->given |= ONESHOT_GIVEN_RETRIES;
        return 1;
    case 'f':
        if (!cli_format_parse(arg, &o->format)) {
            cli_usage_error(command, "unknown format '%s' (text, csv or json)", arg);
            return -1;
        }
        return 1;
    case 'v':
        o->verbose = true;
        return 1;
    case 1001:
        o->listen_only = true;
        return 1;
    case 1002:
        return cli_parse_number(command, "--wait", arg, 0.1, 86400, &o->wait_s) ? 1 : -1;
    case 1003:
        snprintf(o->record_path, sizeof o->record_path, "%s", arg);
        return 1;
    case 1004:
        return cli_parse_number(command, "--record-max", arg, 0.01, 1e6, &o->record_max_mb) ? 1 : -1;
    case 1005:
        snprintf(o->replay_path, sizeof o->replay_path, "%s", arg);
        return 1;
    case 1006:
        snprintf(o->device, sizeof o->device, "%s", arg);
        return 1;
    case 1007:
        snprintf(o->config_path, sizeof o->config_path, "%s", arg);
        return 1;
    case 1008:
        if (!devclock_mode_from_name(arg, &o->clock_mode)) {
            cli_usage_error(command, "--clock wants auto, utc or local, not '%s'", arg);
            return -1;
        }
        o->given |= ONESHOT_GIVEN_CLOCK;
        return 1;
    default:
        return 0;
    }
}

bool oneshot_apply_config(const char *command, struct oneshot_options *o, struct config *out)
{
    static struct config cfg;
    config_defaults(&cfg);
    char err[1400];
    if (!config_load(&cfg, o->config_path[0] ? o->config_path : NULL, err, sizeof err)) {
        fprintf(stderr, "rcttop %s: %s\n", command, err);
        return false;
    }
    if (out)
        *out = cfg;
    if (o->replay_path[0])
        return true;  /* a recording names its own device */
    if (!(o->given & ONESHOT_GIVEN_RATE))
        o->rate = cfg.rate;
    if (!(o->given & ONESHOT_GIVEN_TIMEOUT))
        o->timeout_s = cfg.timeout;
    if (!(o->given & ONESHOT_GIVEN_RETRIES))
        o->retries = cfg.retries;
    if (!(o->given & ONESHOT_GIVEN_CLOCK))
        devclock_mode_from_name(cfg.clock, &o->clock_mode);
    const char *name = o->device[0] ? o->device : !(o->given & ONESHOT_GIVEN_HOST) ? cfg.device : "";
    if (!name[0])
        return true;
    if (o->device[0] && (o->given & ONESHOT_GIVEN_HOST)) {
        cli_usage_error(command, "--device and --host exclude each other");
        return false;
    }
    const struct config_device *d = config_find_device(&cfg, name);
    if (!d) {
        cli_usage_error(command, "no device '%s' in %s", name,
                        cfg.path[0] ? cfg.path : "the configuration (there is no config file)");
        return false;
    }
    snprintf(o->host, sizeof o->host, "%s", d->host);
    if (!(o->given & ONESHOT_GIVEN_PORT))
        o->port = (uint16_t)d->port;
    if (d->rate > 0 && !(o->given & ONESHOT_GIVEN_RATE))
        o->rate = d->rate;
    if (d->timeout > 0 && !(o->given & ONESHOT_GIVEN_TIMEOUT))
        o->timeout_s = d->timeout;
    if (d->clock[0] && !(o->given & ONESHOT_GIVEN_CLOCK))
        devclock_mode_from_name(d->clock, &o->clock_mode);
    return true;
}

static struct session_counters last_link;
/* One recording per process, across the runs a command makes (check makes three). */
static struct recorder *recording;

static void close_recording(void)
{
    recorder_close(recording);
    recording = NULL;
}

static bool open_recording(const char *command, const struct oneshot_options *o)
{
    if (!o->record_path[0] || recording)
        return true;
    char header[1024], err[1200], where[300];
    record_header(header, sizeof header, args_format_host_port(o->host, o->port, where, sizeof where),
                  command, o->rate, o->timeout_s, o->retries, o->listen_only);
    recording = recorder_open(o->record_path, header, (uint64_t)(o->record_max_mb * 1e6), err,
                              sizeof err);
    if (!recording) {
        cli_usage_error(command, "%s", err);
        return false;
    }
    atexit(close_recording);
    return true;
}
static double last_srtt_ms = -1, last_seconds;

const struct session_counters *oneshot_last_link(double *srtt_ms, double *seconds)
{
    *srtt_ms = last_srtt_ms;
    *seconds = last_seconds;
    return &last_link;
}

struct run {
    const char *command;
    const struct oneshot_options *opts;
    struct event_base *base;
    struct session *session;
    struct scheduler *sched;
    struct history_pager *pager;
    struct store *store;
    size_t total;
    size_t finished;
    int status;
    int failed_reconnects;
    bool progress_drawn;
    bool stopped;
    int64_t started_ms, walk_started_ms, walk_reported_ms;
    char where[300];      /* host:port as the user wrote it */
    char error[600];
};

static void draw_progress(struct run *r)
{
    if (!r->opts->progress || !isatty(STDERR_FILENO) || r->total == 0)
        return;
    int width = 30;
    int filled = (int)((double)r->finished / (double)r->total * width);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "##############################",
            width - filled, "", r->finished, r->total);
    r->progress_drawn = true;
}

static void stop(struct run *r, int status)
{
    r->status = status;
    r->stopped = true;
    event_base_loopbreak(r->base);
}

static void on_state(void *ctx, enum link_state state, const char *detail, int64_t retry_in_ms)
{
    struct run *r = ctx;
    if (r->opts->verbose)
        fprintf(stderr, "rcttop %s: %s%s%s\n", r->command, link_state_name(state),
                detail[0] ? ": " : "", detail);
    if (state != LINK_OFFLINE || retry_in_ms <= 0)
        return;
    if (!session_ever_connected(r->session)) {
        snprintf(r->error, sizeof r->error, "cannot reach %s: %s", r->where, detail);
        stop(r, CLI_EXIT_USAGE);
    } else if (++r->failed_reconnects > 3) {
        snprintf(r->error, sizeof r->error, "lost %s and could not reconnect: %s",
                 r->where, detail);
        stop(r, r->pager && r->pager->pages ? CLI_EXIT_PARTIAL : CLI_EXIT_USAGE);
    }
}

static void on_event(void *ctx, const struct session_event *ev)
{
    struct run *r = ctx;
    if (ev->cls == SESSION_ANSWER)
        r->failed_reconnects = 0;
    if (!r->opts->verbose)
        return;
    const struct rct_oid_info *info = rct_registry_by_id(ev->oid);
    const char *cmd = ev->command == RCT_CMD_WRITE ? "history-query" : rct_command_name(ev->command);
    fprintf(stderr, "%s %-11s %-14s %s", ev->cls == SESSION_SENT ? "->" : "<-",
            session_frame_class_name(ev->cls), cmd ? cmd : "", info ? info->name : "");
    if (ev->cls == SESSION_ANSWER)
        fprintf(stderr, "  %lld ms", (long long)ev->rtt_ms);
    if (ev->cls == SESSION_TIMEOUT)
        fprintf(stderr, "  attempt %d of %d", ev->attempt, ev->max_attempts);
    fputc('\n', stderr);
}

/* Long walks say how far back they are: in place on a terminal, else every 10 s. */
static void walk_progress(struct run *r)
{
    int64_t now = session_mono_ms();
    bool tty = isatty(STDERR_FILENO);
    if (!r->opts->progress || now - r->walk_started_ms < 2000 ||
        (!tty && now - r->walk_reported_ms < 10000))
        return;
    r->walk_reported_ms = now;
    char when[40];
    timearg_format(r->pager->cursor, false, when, sizeof when);
    fprintf(stderr, "%srcttop %s: page %u, back to %s, %zu entries%s", tty ? "\r" : "",
            r->command, r->pager->pages, when, r->pager->n, tty ? "\033[K" : "\n");
    r->progress_drawn = tty;
}

static void next_history_query(struct run *r)
{
    uint32_t ts;
    if (!history_pager_next_query(r->pager, &ts)) {
        if (r->pager->status == HISTORY_BAD_PAGE) {
            snprintf(r->error, sizeof r->error, "page %u of the answer did not decode; %s",
                     r->pager->pages + 1, r->pager->pages ? "older entries are missing"
                                                           : "nothing was read");
            stop(r, r->pager->pages ? CLI_EXIT_PARTIAL : CLI_EXIT_USAGE);
        } else if (r->pager->more) {
            snprintf(r->error, sizeof r->error, "stopped after %u pages (--max-pages); entries "
                     "before the oldest shown were not read", r->pager->pages);
            stop(r, CLI_EXIT_PARTIAL);
        } else {
            stop(r, CLI_EXIT_OK);
        }
        return;
    }
    scheduler_queue_history(r->sched, r->pager->oid, ts);
    session_kick(r->session);
}

static void on_done(void *ctx, const struct sched_request *req, bool ok)
{
    struct run *r = ctx;
    if (r->pager) {
        if (req->kind != SCHED_HISTORY || req->oid != r->pager->oid)
            return;
        if (!ok) {
            const struct store_entry *e = store_get(r->store, req->oid);
            bool garbled = e && e->decode_errors > 0;
            snprintf(r->error, sizeof r->error, "%s %s the history query for entries before "
                     "%u (%d attempts)%s", r->where,
                     garbled ? "kept sending answers that do not decode to" : "did not answer",
                     req->ts, r->opts->retries + 1,
                     r->pager->pages ? "; older entries are missing" : "");
            stop(r, r->pager->pages ? CLI_EXIT_PARTIAL : CLI_EXIT_USAGE);
            return;
        }
        walk_progress(r);
        next_history_query(r);
        return;
    }
    const struct session_counters *c = session_counters(r->session);
    /* A probe (the session's: is a silent OID unknown, or the device silent?) is not one
     * of the user's OIDs. */
    if (!req->probe)
        r->finished++;
    draw_progress(r);
    bool waiting = scheduler_probe_pending(r->sched);
    if (!ok && c->answers == 0 && c->foreign == 0 && !waiting) {
        /* Not one answer from the device: asking the other OIDs would only repeat this. */
        snprintf(r->error, sizeof r->error, "%s: no answer to %d attempts in %.1f s (connected, "
                 "but the device does not answer)", r->where, r->opts->retries + 1,
                 (double)(session_mono_ms() - r->started_ms) / 1000.0);
        stop(r, CLI_EXIT_USAGE);
        return;
    }
    if (scheduler_plan_remaining(r->sched) == 0 && !waiting)
        stop(r, CLI_EXIT_OK);
}

static void on_history(void *ctx, const struct sched_request *req, const uint8_t *payload,
                       uint16_t len)
{
    struct run *r = ctx;
    if (r->pager && req->oid == r->pager->oid)
        history_pager_page(r->pager, payload, len);
}

static void on_walk_budget(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct run *r = arg;
    snprintf(r->error, sizeof r->error, "stopped after %.0f s (--max-time) at page %u; entries "
             "before the oldest shown were not read", r->opts->max_time_s, r->pager->pages);
    stop(r, r->pager->pages ? CLI_EXIT_PARTIAL : CLI_EXIT_USAGE);
}

static void on_listen_done(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    stop(arg, CLI_EXIT_OK);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct run *r = arg;
    /* Reads print their own one-line summary; a walk says how far it got. */
    if (r->pager)
        snprintf(r->error, sizeof r->error, "interrupted after %u pages; the entries read are "
                 "printed", r->pager->pages);
    stop(r, 130);
}

static int run_session(struct run *r, struct store *store, const uint32_t *oids, size_t n)
{
    const struct oneshot_options *o = r->opts;
    args_format_host_port(o->host, o->port, r->where, sizeof r->where);
    r->base = event_base_new();
    struct scheduler_config scfg;
    scheduler_default_config(&scfg);
    scfg.background = false;
    scfg.faults = false;
    r->sched = scheduler_new(&scfg);
    if (!r->base || !r->sched) {
        if (r->base)
            event_base_free(r->base);
        scheduler_free(r->sched);
        return cli_usage_error(r->command, "out of memory");
    }
    if (n && !o->listen_only)
        scheduler_plan_once(r->sched, oids, n);
    struct session_config cfg;
    session_default_config(&cfg);
    cfg.host = o->host;
    cfg.port = o->port;
    cfg.link.rate = o->rate;
    cfg.link.timeout_ms = (int64_t)(o->timeout_s * 1000);
    cfg.link.retries = o->retries;
    cfg.listen_only = o->listen_only;
    if (!open_recording(r->command, o)) {
        scheduler_free(r->sched);
        event_base_free(r->base);
        return CLI_EXIT_USAGE;
    }
    if (recording)
        cfg.tap = (struct session_tap){recorder_tap, recording};
    struct session_callbacks cb = {on_state, on_event, on_done, on_history};
    r->store = store;
    r->session = session_new(r->base, &cfg, store, r->sched, &cb, r);
    struct event *sigint = evsignal_new(r->base, SIGINT, on_signal, r);
    struct event *sigterm = evsignal_new(r->base, SIGTERM, on_signal, r);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct event *budget = NULL;
    if (o->listen_only) {
        /* Nothing is asked: the run is the listening time. */
        budget = evtimer_new(r->base, on_listen_done, r);
        int64_t ms = (int64_t)(o->wait_s * 1000);
        struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
        if (budget)
            evtimer_add(budget, &tv);
    } else if (r->pager) {
        r->pager->max_pages = o->max_pages;
        r->walk_started_ms = session_mono_ms();
        budget = evtimer_new(r->base, on_walk_budget, r);
        int64_t ms = (int64_t)(o->max_time_s * 1000);
        struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
        if (budget && o->max_time_s > 0)
            evtimer_add(budget, &tv);
    }
    r->status = CLI_EXIT_OK;
    r->started_ms = session_mono_ms();
    session_start(r->session);
    if (r->pager)
        next_history_query(r);
    /* A failure during start (e.g. a refused connection) already decided the outcome. */
    if ((n || r->pager || o->listen_only) && !r->stopped)
        event_base_dispatch(r->base);
    if (r->progress_drawn)
        fputc('\n', stderr);
    if (r->error[0])
        fprintf(stderr, "rcttop %s: %s\n", r->command, r->error);
    last_link = *session_counters(r->session);
    last_srtt_ms = session_srtt_ms(r->session);
    last_seconds = (double)(session_mono_ms() - r->started_ms) / 1000.0;
    session_free(r->session);
    if (budget)
        event_free(budget);
    event_free(sigint);
    event_free(sigterm);
    scheduler_free(r->sched);
    event_base_free(r->base);
    return r->status;
}

/* --replay: every answer in a recording, in order, into the store (the last value of each
 * OID wins, with the time it was recorded), as if read now from the device then. */
struct replay {
    struct store *store;
    struct rct_decoder dec;
    int64_t unix_us, mono_us;
    int64_t last_mono_us, now_ms;  /* ages count back from the recording's end */
    uint64_t answers;
};

static void replay_end(const struct record_entry *e, void *arg)
{
    struct replay *rp = arg;
    if (e->mono_us > rp->last_mono_us)
        rp->last_mono_us = e->mono_us;
}

static void replay_frame(const struct rct_frame *f, void *arg)
{
    struct replay *rp = arg;
    if (f->error != RCT_FRAME_OK || f->plant || !rct_command_is_response(f->command))
        return;
    int64_t at = rp->now_ms - (rp->last_mono_us - rp->mono_us) / 1000;
    if (store_put(rp->store, f->oid, f->payload, f->payload_len, at, rp->unix_us / 1000000) ==
        RCT_VALUE_OK)
        rp->answers++;
}

static void replay_record(const struct record_entry *e, void *arg)
{
    struct replay *rp = arg;
    if (e->kind == '!' && !strncmp((const char *)e->data, "connected", e->len < 9 ? e->len : 9))
        rct_decoder_init(&rp->dec);
    if (e->kind != '<')
        return;
    rp->unix_us = e->unix_us;
    rp->mono_us = e->mono_us;
    rct_decoder_feed(&rp->dec, e->data, e->len, replay_frame, rp);
}

static int replay_read(const char *command, const struct oneshot_options *opts, struct store *store)
{
    FILE *in = fopen(opts->replay_path, "rb");
    if (!in)
        return cli_usage_error(command, "cannot open the recording '%s': %s", opts->replay_path,
                               strerror(errno));
    static struct replay rp;
    memset(&rp, 0, sizeof rp);
    rp.store = store;
    rct_decoder_init(&rp.dec);
    char header[2048], err[256];
    record_read(in, replay_end, &rp, header, sizeof header, err, sizeof err);
    rewind(in);
    rp.now_ms = session_mono_ms();
    bool ok = record_read(in, replay_record, &rp, header, sizeof header, err, sizeof err);
    fclose(in);
    if (!ok && rp.answers == 0)
        return cli_usage_error(command, "%s: %s", opts->replay_path, err);
    if (!ok)
        fprintf(stderr, "rcttop %s: %s: %s (what came before is used)\n", command,
                opts->replay_path, err);
    return CLI_EXIT_OK;
}

int oneshot_read(const char *command, const struct oneshot_options *opts, const uint32_t *oids,
                 size_t n, struct store **store)
{
    *store = store_new();
    if (!*store)
        return cli_usage_error(command, "out of memory");
    if (opts->replay_path[0])
        return replay_read(command, opts, *store);
    struct run r = {.command = command, .opts = opts, .total = n};
    return run_session(&r, *store, oids, n);
}

int oneshot_history(const char *command, const struct oneshot_options *opts,
                    struct history_pager *pager)
{
    if (opts->replay_path[0])
        return cli_usage_error(command, "history is not replayed from recordings yet; "
                                        "use 'rcttop decode FILE'");
    if (opts->listen_only)
        return cli_usage_error(command, "history is paged on request: not with --listen-only");
    struct store *store = store_new();
    if (!store)
        return cli_usage_error(command, "out of memory");
    struct run r = {.command = command, .opts = opts, .pager = pager, .total = 1};
    int status = run_session(&r, store, NULL, 0);
    store_free(store);
    return status;
}
