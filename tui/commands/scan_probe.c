/* The scan engine: see scan_probe.h. One session, scheduler and store per address in
 * flight, all on one event base; a verdict frees them at the next turn of the loop (never
 * inside the session's own callback) and lets the next address start. Not a whole device
 * (tui/device) per address: what a device knows is sized for the monitor, some 400 kB,
 * and a scan needs only the session's answers, 64 or more at a time. */
#include "tui/commands/scan_probe.h"

#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/scheduler.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "tui/format/iprange.h"

const char *const scan_identity_oids[] = {"inverter_sn", "android_description", "wifi.sockb_protocol",
                                          "wifi.sockb_ip", "wifi.sockb_port"};
const size_t scan_identity_count = sizeof scan_identity_oids / sizeof scan_identity_oids[0];

struct scan;

struct probe {
    struct scan *scan;
    struct scan_result *result;
    struct store *store;
    struct scheduler *sched;
    struct session *session;
    struct event *budget;
    int64_t started_ms;
    bool finished;
};

struct scan {
    const struct scan_options *o;
    struct event_base *base;
    struct event *reap, *sigint, *sigterm, *sighup;
    struct probe **active;
    size_t nactive;
    size_t next, total, done, units;
    uint32_t oids[8];
    struct scan_result *results;
    int status;
    bool stopping, out_of_memory;
};

static void copy_string(const struct store *store, const char *name, char *out, size_t cap)
{
    static struct rct_value v;  /* large; one thread */
    const struct rct_oid_info *info = rct_registry_by_name(name);
    out[0] = '\0';
    if (info && store_value(store, info->oid, &v) && v.type == RCT_TYPE_STRING)
        rct_sanitize(v.u.s.text, v.u.s.len, out, cap);  /* a device's text is not trusted */
}

static void take_identity(struct probe *p)
{
    struct scan_result *r = p->result;
    copy_string(p->store, "inverter_sn", r->serial, sizeof r->serial);
    copy_string(p->store, "android_description", r->model, sizeof r->model);
    copy_string(p->store, "wifi.sockb_ip", r->master_ip, sizeof r->master_ip);
    r->role = plant_role(p->store, &r->role_raw);
    plant_role_text(p->store, r->role_text, sizeof r->role_text);
    double port;
    const struct rct_oid_info *info = rct_registry_by_name("wifi.sockb_port");
    /* The master's port on a slave; on any other unit it is its own client port. */
    r->master_port = r->role == PLANT_SLAVE && info && store_number(p->store, info->oid, &port) &&
                             port >= 0 && port <= 65535 ? (long)port : -1;
    size_t unread = 0;
    for (size_t i = 0; i < scan_identity_count; i++) {
        const struct rct_oid_info *id = rct_registry_by_name(scan_identity_oids[i]);
        const struct store_entry *e = id ? store_get(p->store, id->oid) : NULL;
        if (!e || !e->has_value)
            unread++;
    }
    if (unread)
        snprintf(r->detail, sizeof r->detail, "%zu of %zu identity values not read", unread,
                 scan_identity_count);
}

/* The verdict on one address; the probe is freed by the reaper. */
static void finish(struct probe *p, enum scan_outcome outcome, const char *detail)
{
    if (p->finished)
        return;
    p->finished = true;
    struct scan *s = p->scan;
    struct scan_result *r = p->result;
    r->outcome = outcome;
    r->decided = true;
    r->seconds = (double)(session_mono_ms() - p->started_ms) / 1000.0;
    if (outcome == SCAN_UNIT) {
        take_identity(p);
        s->units++;
    } else {
        snprintf(r->detail, sizeof r->detail, "%s", detail);
    }
    s->done++;
    if (s->o->progress)
        s->o->progress(s->o->progress_ctx, s->done, s->total, s->units);
    event_active(s->reap, EV_TIMEOUT, 0);
}

static bool speaks_rct(const struct probe *p)
{
    const struct session_counters *c = session_counters(p->session);
    return c->answers > 0 || c->foreign > 0;
}

static void on_state(void *ctx, enum link_state state, const char *detail, int64_t retry_in_ms)
{
    (void)retry_in_ms;
    struct probe *p = ctx;
    if (state != LINK_OFFLINE || p->finished)
        return;
    if (!session_ever_connected(p->session))
        finish(p, SCAN_CLOSED, detail);
    else if (speaks_rct(p))
        finish(p, SCAN_UNIT, "");  /* what was read before it went */
    else
        finish(p, SCAN_OPEN_NOT_RCT, detail[0] ? detail : "closed the connection");
}

static void on_done(void *ctx, const struct sched_request *req, bool ok)
{
    (void)req;
    struct probe *p = ctx;
    if (p->finished)
        return;
    bool waiting = scheduler_probe_pending(p->sched);
    if (!ok && !speaks_rct(p) && !waiting) {
        /* Not one RCT frame back: asking the other OIDs would only repeat this. */
        char why[120];
        snprintf(why, sizeof why, "accepts TCP, no RCT answer in %.1f s",
                 (double)(session_mono_ms() - p->started_ms) / 1000.0);
        finish(p, SCAN_OPEN_NOT_RCT, why);
        return;
    }
    if (scheduler_plan_remaining(p->sched) == 0 && !waiting)
        finish(p, speaks_rct(p) ? SCAN_UNIT : SCAN_OPEN_NOT_RCT, "no RCT answer");
}

/* A unit that trickles its answers (or a host that holds the connect open and sends
 * bytes that are not frames) still gets a verdict in bounded time. */
static void on_budget(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct probe *p = arg;
    finish(p, speaks_rct(p) ? SCAN_UNIT : SCAN_OPEN_NOT_RCT, "no verdict within its time budget");
}

static void probe_free(struct probe *p)
{
    if (!p)
        return;
    session_free(p->session);
    scheduler_free(p->sched);
    store_free(p->store);
    if (p->budget)
        event_free(p->budget);
    free(p);
}

static bool probe_start(struct scan *s, struct scan_result *r)
{
    const struct scan_options *o = s->o;
    struct probe *p = calloc(1, sizeof *p);
    if (!p)
        return false;
    p->scan = s;
    p->result = r;
    p->store = store_new();
    struct scheduler_config sc;
    scheduler_default_config(&sc);
    sc.background = false;  /* only the identity: a scan is no poll */
    sc.faults = false;
    sc.plan_second_round = false;
    p->sched = scheduler_new(&sc);
    char host[16];
    iprange_format(r->address, host, sizeof host);
    struct session_config cfg;
    session_default_config(&cfg);
    cfg.host = host;
    cfg.port = o->port;
    cfg.link.rate = o->rate;
    cfg.link.timeout_ms = (int64_t)(o->timeout_s * 1000);
    cfg.link.connect_timeout_ms = cfg.link.timeout_ms;
    cfg.link.retries = o->retries;
    struct session_callbacks cb = {.on_state = on_state, .on_done = on_done};
    p->session = p->store && p->sched ? session_new(s->base, &cfg, p->store, p->sched, &cb, p) : NULL;
    p->budget = evtimer_new(s->base, on_budget, p);
    if (!p->session || !p->budget) {
        probe_free(p);
        return false;
    }
    /* The connect, then each OID with its retries, and some slack for the probes the
     * session asks when an OID goes unanswered. */
    double budget_s = o->timeout_s * (double)(1 + (o->retries + 1) * (int)(scan_identity_count + 2)) +
                      (double)scan_identity_count / o->rate;
    struct timeval tv = {(time_t)budget_s, (suseconds_t)((budget_s - (double)(time_t)budget_s) * 1e6)};
    evtimer_add(p->budget, &tv);
    s->active[s->nactive++] = p;
    p->started_ms = session_mono_ms();
    scheduler_plan_once(p->sched, s->oids, scan_identity_count);
    session_start(p->session);  /* a refusal may come back at once: finish is ready for it */
    return true;
}

/* Frees the probes with a verdict and starts the next addresses. */
static void on_reap(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct scan *s = arg;
    size_t kept = 0;
    for (size_t i = 0; i < s->nactive; i++) {
        if (s->active[i]->finished || s->stopping)
            probe_free(s->active[i]);
        else
            s->active[kept++] = s->active[i];
    }
    s->nactive = kept;
    while (!s->stopping && s->next < s->total && s->nactive < (size_t)s->o->concurrency) {
        if (!probe_start(s, &s->results[s->next])) {
            s->out_of_memory = true;
            s->stopping = true;
            break;
        }
        s->next++;
    }
    if (s->stopping || (s->next == s->total && s->nactive == 0))
        event_base_loopbreak(s->base);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    struct scan *s = arg;
    s->status = 128 + (int)fd;
    s->stopping = true;
    event_active(s->reap, EV_TIMEOUT, 0);
}

static void scan_free(struct scan *s)
{
    for (size_t i = 0; i < s->nactive; i++)
        probe_free(s->active[i]);
    free(s->active);
    struct event *events[] = {s->reap, s->sigint, s->sigterm, s->sighup};
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        if (events[i])
            event_free(events[i]);
    if (s->base)
        event_base_free(s->base);
}

int scan_run(const struct scan_options *o, struct scan_result **results, size_t *n, char *err,
             size_t cap)
{
    struct scan s = {.o = o, .total = (size_t)((uint64_t)o->last - o->first + 1)};
    *results = NULL;
    *n = 0;
    for (size_t i = 0; i < scan_identity_count; i++)
        s.oids[i] = rct_registry_by_name(scan_identity_oids[i])->oid;
    s.results = calloc(s.total, sizeof *s.results);
    s.active = calloc((size_t)o->concurrency, sizeof *s.active);
    s.base = event_base_new();
    if (s.base) {
        s.reap = event_new(s.base, -1, 0, on_reap, &s);
        s.sigint = evsignal_new(s.base, SIGINT, on_signal, &s);
        s.sigterm = evsignal_new(s.base, SIGTERM, on_signal, &s);
        s.sighup = evsignal_new(s.base, SIGHUP, on_signal, &s);
    }
    if (!s.results || !s.active || !s.reap || !s.sigint || !s.sigterm || !s.sighup) {
        scan_free(&s);
        free(s.results);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s.total; i++) {
        s.results[i].address = o->first + (uint32_t)i;
        s.results[i].role = PLANT_NOT_READ;
        s.results[i].role_raw = -1;
        s.results[i].master_port = -1;
    }
    event_add(s.sigint, NULL);
    event_add(s.sigterm, NULL);
    event_add(s.sighup, NULL);
    signal(SIGPIPE, SIG_IGN);
    event_active(s.reap, EV_TIMEOUT, 0);
    event_base_dispatch(s.base);
    bool out_of_memory = s.out_of_memory;
    int status = s.status;
    /* The addresses reached, all with a verdict: the ones in flight at a signal are left
     * out with those never tried. */
    size_t reached = status ? 0 : s.total;
    if (status)
        for (size_t i = 0; i < s.next; i++)
            if (s.results[i].decided)
                s.results[reached++] = s.results[i];
    scan_free(&s);
    if (out_of_memory) {
        free(s.results);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    *results = s.results;
    *n = reached;
    return status;
}
