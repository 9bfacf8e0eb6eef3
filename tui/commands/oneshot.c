/* One-shot reads through the same device module as the monitor and `watch`, driven to
 * completion in a private event loop: the link adds phases, a time budget, progress,
 * signals and the reasons a command gives up. */
#include "tui/commands/oneshot.h"
#include "tui/config/config.h"

#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <poll.h>
#include <sys/stat.h>
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
#include "tui/device/device.h"
#include "tui/format/args.h"
#include "tui/format/timearg.h"

static struct session_counters last_link;
/* One recording per process, across the runs a command makes (check makes three). */
static struct recorder *recording;
static bool recording_failure_said;

bool oneshot_end_recording(const char *command)
{
    if (!recording)
        return true;
    char err[300];
    bool ok = recorder_finish(recording, err, sizeof err);
    recording = NULL;
    if (!ok && !recording_failure_said)
        cli_usage_error(command, "%s", err);
    return ok && !recording_failure_said;
}

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
    recording = recorder_open(o->record_path, header, (uint64_t)(o->record_max_mb * 1e6), o->record_force, err,
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

struct oneshot_link {
    const char *command;
    const struct oneshot_options *opts;
    struct event_base *base;
    struct device *dev;
    struct history_pager *pager;
    struct store *store;
    size_t total;
    size_t finished;
    int status;
    int failed_reconnects;
    bool progress_drawn;
    bool stderr_tty;      /* asked once: not a terminal query per answer */
    int progress_shown;   /* the bar's filled cells and count as last drawn */
    int64_t progress_ms;
    bool stopped;
    bool dead;            /* unreachable, lost, out of time or interrupted: no further phase */
    int dead_status;
    struct event *sigint, *sigterm, *sighup, *deadline, *stdout_watch;
    double budget_s;
    int64_t started_ms, walk_started_ms, walk_reported_ms;
    char where[300];      /* host:port as the user wrote it */
    char error[600];
    struct event *phase_budget;
    /* On a caller's loop (oneshot_link_open_on): each phase ends by calling done. */
    oneshot_phase_done done;
    void *done_ctx;
    bool phase_active, began;
    char last_error[600];
};

static void draw_progress(struct oneshot_link *r)
{
    if (!r->opts->progress || !r->stderr_tty || r->total == 0)
        return;
    int width = 30;
    int filled = (int)((double)r->finished / (double)r->total * width);
    /* Redrawn when the bar moves, at most ten times a second otherwise, and at the end:
     * a fast sweep would spend more on the bar than on the device. */
    int64_t now = session_mono_ms();
    if (r->progress_drawn && filled == r->progress_shown && r->finished != r->total &&
        now - r->progress_ms < 100)
        return;
    r->progress_shown = filled;
    r->progress_ms = now;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "##############################",
            width - filled, "", r->finished, r->total);
    r->progress_drawn = true;
}

static void on_phase_end(evutil_socket_t fd, short what, void *arg);

static void stop(struct oneshot_link *r, int status)
{
    if (r->done && (!r->phase_active || r->stopped))
        return;  /* between phases, or said already: the next phase sees r->dead */
    r->status = status;
    r->stopped = true;
    if (!r->done) {
        event_base_loopbreak(r->base);
        return;
    }
    /* Not from inside the device's callback: the next phase may start in done. */
    struct timeval now = {0, 0};
    event_base_once(r->base, -1, EV_TIMEOUT, on_phase_end, r, &now);
}

/* The link cannot serve another phase: the device is gone, time is up, or Ctrl-C. */
static void stop_for_good(struct oneshot_link *r, int status)
{
    r->dead = true;
    r->dead_status = status;
    stop(r, status);
}

static void on_state(void *ctx, struct device *dev, enum link_state state, const char *detail,
                     int64_t retry_in_ms)
{
    (void)dev;
    struct oneshot_link *r = ctx;
    if (r->opts->verbose)
        fprintf(stderr, "rcttop %s: %s%s%s\n", r->command, link_state_name(state),
                detail[0] ? ": " : "", detail);
    if (state != LINK_OFFLINE || retry_in_ms <= 0)
        return;
    if (!session_ever_connected(r->dev->session)) {
        snprintf(r->error, sizeof r->error, "cannot reach %s: %s", r->where, detail);
        stop_for_good(r, CLI_EXIT_USAGE);
    } else if (++r->failed_reconnects > 3) {
        snprintf(r->error, sizeof r->error, "lost %s and could not reconnect: %s",
                 r->where, detail);
        stop_for_good(r, r->pager && r->pager->pages ? CLI_EXIT_PARTIAL : CLI_EXIT_USAGE);
    }
}

static void on_event(void *ctx, struct device *dev, const struct session_event *ev)
{
    (void)dev;
    struct oneshot_link *r = ctx;
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
static void walk_progress(struct oneshot_link *r)
{
    int64_t now = session_mono_ms();
    bool tty = r->stderr_tty;
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

static void next_history_query(struct oneshot_link *r)
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
    scheduler_queue_history(r->dev->sched, r->pager->oid, ts);
    session_kick(r->dev->session);
}

/* A pipe or socket on stdout is watched by the event loop: when its reader goes, the
 * kernel reports an error on our end at once. Nothing is asked per request. */
static void on_stdout_event(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    struct oneshot_link *r = arg;
    struct pollfd p = {fd, POLLOUT, 0};
    if (poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
        /* `dump | head -1`: nobody reads what is left to read, so the device is not asked. */
        snprintf(r->error, sizeof r->error, "standard output was closed; stopped reading");
        stop_for_good(r, 141);
        return;
    }
    event_del(r->stdout_watch);  /* a socket with something to read: not ours to judge */
}

static void watch_stdout(struct oneshot_link *r)
{
    /* Only a pipe or socket can lose its reader: files and terminals are not watched. */
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return;
    r->stdout_watch = event_new(r->base, STDOUT_FILENO, EV_READ | EV_PERSIST, on_stdout_event, r);
    if (r->stdout_watch)
        event_add(r->stdout_watch, NULL);
}

static void on_done(void *ctx, struct device *dev, const struct sched_request *req, bool ok)
{
    (void)dev;
    struct oneshot_link *r = ctx;
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
    const struct session_counters *c = session_counters(r->dev->session);
    if (r->opts->on_read && !req->probe)
        r->opts->on_read(r->opts->on_read_ctx, r->store);
    /* A probe (the session's: is a silent OID unknown, or the device silent?) is not one
     * of the user's OIDs. */
    if (!req->probe)
        r->finished++;
    draw_progress(r);
    bool waiting = scheduler_probe_pending(r->dev->sched);
    if (!ok && c->answers == 0 && c->foreign == 0 && !waiting && !r->opts->optional_reads) {
        /* Not one answer from the device: asking the other OIDs would only repeat this. */
        snprintf(r->error, sizeof r->error, "%s: no answer to %d attempts in %.1f s (connected, "
                 "but the device does not answer)", r->where, r->opts->retries + 1,
                 (double)(session_mono_ms() - r->started_ms) / 1000.0);
        stop_for_good(r, CLI_EXIT_USAGE);
        return;
    }
    if (scheduler_plan_remaining(r->dev->sched) == 0 && !waiting)
        stop(r, CLI_EXIT_OK);
}

static void on_history(void *ctx, struct device *dev, const struct sched_request *req,
                       const uint8_t *payload, uint16_t len)
{
    (void)dev;
    struct oneshot_link *r = ctx;
    if (r->pager && req->oid == r->pager->oid)
        history_pager_page(r->pager, payload, len);
}

static void on_walk_budget(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct oneshot_link *r = arg;
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
    (void)what;
    struct oneshot_link *r = arg;
    /* Reads print their own one-line summary; a walk says how far it got. Ctrl-C, a hang-up
     * (the SSH session went) or SIGTERM all keep what was read, and exit as shells report
     * the signal: 130, 129, 143. */
    if (r->pager)
        snprintf(r->error, sizeof r->error, "interrupted after %u pages; the entries read are "
                 "printed", r->pager->pages);
    stop_for_good(r, 128 + (int)fd);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct oneshot_link *r = arg;
    snprintf(r->error, sizeof r->error, "%s: the time budget of %.0f s ran out (-t)", r->where, r->budget_s);
    stop_for_good(r, ONESHOT_OUT_OF_TIME);
}

static struct timeval timeval_of_ms(int64_t ms)
{
    return (struct timeval){(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
}

static void link_free(struct oneshot_link *r)
{
    device_close(r->dev, NULL, 0);  /* the recording is the process's: finished at its end */
    if (r->sigint)
        event_free(r->sigint);
    if (r->sigterm)
        event_free(r->sigterm);
    if (r->sighup)
        event_free(r->sighup);
    if (r->deadline)
        event_free(r->deadline);
    if (r->stdout_watch)
        event_free(r->stdout_watch);
    if (r->phase_budget)
        event_free(r->phase_budget);
    if (r->base && !r->done)
        event_base_free(r->base);
    free(r);
}

static struct oneshot_link *link_open(struct event_base *base, const char *command,
                                      const struct oneshot_options *o, struct store *store,
                                      double budget_s, oneshot_phase_done done, void *done_ctx)
{
    struct oneshot_link *r = calloc(1, sizeof *r);
    if (!r) {
        cli_usage_error(command, "out of memory");
        return NULL;
    }
    r->command = command;
    r->opts = o;
    r->store = store;
    r->budget_s = budget_s;
    r->done = done;
    r->done_ctx = done_ctx;
    r->stderr_tty = isatty(STDERR_FILENO);
    args_format_host_port(o->host, o->port, r->where, sizeof r->where);
    r->base = base ? base : event_base_new();
    if (!r->base || !open_recording(command, o)) {
        if (!r->base)
            cli_usage_error(command, "out of memory");
        link_free(r);
        return NULL;
    }
    static struct device_options d;  /* large: not on the stack */
    device_default_options(&d);
    snprintf(d.host, sizeof d.host, "%s", o->host);
    d.port = o->port;
    snprintf(d.label, sizeof d.label, "%s", r->where);
    d.client = command;
    d.rate = o->rate;
    d.timeout = o->timeout_s;
    d.retries = o->retries;
    d.listen_only = o->listen_only;
    d.clock_mode = o->clock_mode;
    d.sched.background = false;  /* only what the command asks for */
    d.sched.faults = false;
    /* Values a command can do without get one round: no verdict on them is needed. */
    d.sched.plan_second_round = !o->optional_reads;
    d.lent_store = store;
    d.lent_recorder = recording;
    struct device_listener listener = {.ctx = r, .link_state = on_state, .heard = on_event,
                                       .done = on_done, .page = on_history};
    char err[600];
    r->dev = device_open(&d, r->base, &listener, err, sizeof err);
    if (!r->dev) {
        link_free(r);
        cli_usage_error(command, "%s", err);
        return NULL;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!done) {
        /* On a caller's loop the caller handles the signals and stdout. */
        r->sigint = evsignal_new(r->base, SIGINT, on_signal, r);
        r->sigterm = evsignal_new(r->base, SIGTERM, on_signal, r);
        r->sighup = evsignal_new(r->base, SIGHUP, on_signal, r);
        if (!r->sigint || !r->sigterm || !r->sighup) {
            link_free(r);
            cli_usage_error(command, "out of memory");
            return NULL;
        }
        event_add(r->sigint, NULL);
        event_add(r->sigterm, NULL);
        event_add(r->sighup, NULL);
        watch_stdout(r);
    }
    if (budget_s > 0) {
        /* One budget for everything the link does: connecting, reading, paging. */
        r->deadline = evtimer_new(r->base, on_deadline, r);
        struct timeval tv = timeval_of_ms((int64_t)(budget_s * 1000));
        if (r->deadline)
            evtimer_add(r->deadline, &tv);
    }
    r->started_ms = session_mono_ms();
    device_start(r->dev, NULL, 0);
    return r;
}

struct oneshot_link *oneshot_link_open(const char *command, const struct oneshot_options *o,
                                       struct store *store, double budget_s)
{
    return link_open(NULL, command, o, store, budget_s, NULL, NULL);
}

struct oneshot_link *oneshot_link_open_on(struct event_base *base, const char *command,
                                          const struct oneshot_options *o, struct store *store,
                                          double budget_s, oneshot_phase_done done, void *ctx)
{
    return link_open(base, command, o, store, budget_s, done, ctx);
}

/* Starts one phase (a list of OIDs, a history walk, or listening); false when it is over
 * before it began (an earlier failure decided it, or nothing to do). */
static bool phase_begin(struct oneshot_link *r, const uint32_t *oids, size_t n, struct history_pager *pager)
{
    const struct oneshot_options *o = r->opts;
    r->began = false;
    /* A failure during start (e.g. a refused connection, an unknown host) or an earlier
     * phase already decided the outcome; said once. */
    if (r->dead) {
        r->status = r->dead_status;
        return false;
    }
    r->began = true;
    r->error[0] = '\0';
    r->pager = pager;
    r->total = pager ? 1 : n;
    r->finished = 0;
    r->progress_drawn = false;
    r->failed_reconnects = 0;
    r->stopped = false;
    r->status = CLI_EXIT_OK;
    r->phase_active = true;
    if (o->listen_only) {
        /* Nothing is asked: the run is the listening time. */
        r->phase_budget = evtimer_new(r->base, on_listen_done, r);
        struct timeval tv = timeval_of_ms((int64_t)(o->wait_s * 1000));
        if (r->phase_budget)
            evtimer_add(r->phase_budget, &tv);
    } else if (pager) {
        pager->max_pages = o->max_pages;
        r->walk_started_ms = session_mono_ms();
        r->phase_budget = evtimer_new(r->base, on_walk_budget, r);
        struct timeval tv = timeval_of_ms((int64_t)(o->max_time_s * 1000));
        if (r->phase_budget && o->max_time_s > 0)
            evtimer_add(r->phase_budget, &tv);
    }
    if (n && !o->listen_only) {
        scheduler_plan_once(r->dev->sched, oids, n);
        session_kick(r->dev->session);
    }
    if (pager)
        next_history_query(r);
    return (n || pager || o->listen_only) && !r->stopped;
}

/* Ends the phase: its reason said (or kept, on a caller's loop), the counters kept. */
static int phase_finish(struct oneshot_link *r)
{
    const struct oneshot_options *o = r->opts;
    r->phase_active = false;
    if (r->error[0] && !r->done)
        cli_usage_error(r->command, "%s", r->error);
    if (r->error[0] || r->began)
        snprintf(r->last_error, sizeof r->last_error, "%s", r->error);
    r->error[0] = '\0';
    if (!r->began)
        return r->status;  /* decided before: the first failure's reason stays */
    if (r->progress_drawn)
        fputc('\n', stderr);
    if (recording && recorder_error(recording) && !recording_failure_said) {
        /* A full disk: said at once, and the command will not exit 0. */
        cli_usage_error(r->command, "the recording %s stopped: %s", o->record_path, recorder_error(recording));
        recording_failure_said = true;
    }
    last_link = *session_counters(r->dev->session);
    last_srtt_ms = session_srtt_ms(r->dev->session);
    last_seconds = (double)(session_mono_ms() - r->started_ms) / 1000.0;
    if (r->phase_budget)
        event_free(r->phase_budget);
    r->phase_budget = NULL;
    r->pager = NULL;
    return r->status;
}

static void on_phase_end(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct oneshot_link *r = arg;
    int status = phase_finish(r);
    r->done(r->done_ctx, r, status);
}

static int link_phase(struct oneshot_link *r, const uint32_t *oids, size_t n, struct history_pager *pager)
{
    if (phase_begin(r, oids, n, pager))
        event_base_dispatch(r->base);
    return phase_finish(r);
}

void oneshot_link_begin(struct oneshot_link *r, const uint32_t *oids, size_t n, struct history_pager *pager)
{
    if (!phase_begin(r, oids, n, pager)) {
        r->phase_active = true;
        r->stopped = false;
        stop(r, r->status);
    }
}

const char *oneshot_link_error(const struct oneshot_link *link)
{
    return link->last_error;
}

const struct session_counters *oneshot_link_counters(const struct oneshot_link *link,
                                                     double *srtt_ms, double *seconds)
{
    *srtt_ms = session_srtt_ms(link->dev->session);
    *seconds = (double)(session_mono_ms() - link->started_ms) / 1000.0;
    return session_counters(link->dev->session);
}

int oneshot_link_read(struct oneshot_link *link, const uint32_t *oids, size_t n)
{
    return link_phase(link, oids, n, NULL);
}

int oneshot_link_history(struct oneshot_link *link, struct history_pager *pager)
{
    return link_phase(link, NULL, 0, pager);
}

bool oneshot_link_usable(const struct oneshot_link *link)
{
    return !link->dead;
}

void oneshot_link_close(struct oneshot_link *link)
{
    if (link)
        link_free(link);
}
