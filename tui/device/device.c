/* One inverter followed on the owner's event loop: see device.h. The session's callbacks
 * only record (into the store, the link log, the history walks) and tell the owner. */
#include "tui/device/device.h"

#include <event2/bufferevent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "proto/sim/sim.h"
#include "tui/config/config.h"
#include "tui/device/device_alerts.h"

static void tell_changed(struct device *dev)
{
    if (dev->listener.changed)
        dev->listener.changed(dev->listener.ctx, dev);
}

static void on_state(void *ctx, enum link_state state, const char *detail, int64_t retry_in_ms)
{
    struct device *dev = ctx;
    knows_link_state(&dev->knows, state, detail, retry_in_ms);
    tell_changed(dev);
    if (dev->listener.link_state)
        dev->listener.link_state(dev->listener.ctx, dev, state, detail, retry_in_ms);
}

static void on_event(void *ctx, const struct session_event *ev)
{
    struct device *dev = ctx;
    knows_link_event(&dev->knows, ev);
    if (dev->listener.heard)
        dev->listener.heard(dev->listener.ctx, dev, ev);
}

static void on_history(void *ctx, const struct sched_request *req, const uint8_t *payload,
                       uint16_t len)
{
    struct device *dev = ctx;
    if (dev->opt.replay)
        dev->pages_generation++;  /* a recorded page is reached: the panes read them again */
    else
        walk_on_page(&dev->walks, req, payload, len);
    if (dev->listener.page)
        dev->listener.page(dev->listener.ctx, dev, req, payload, len);
}

static void on_done(void *ctx, const struct sched_request *req, bool ok)
{
    struct device *dev = ctx;
    if (req->kind == SCHED_HISTORY && !dev->opt.replay) {
        tell_changed(dev);
        if (walk_on_done(&dev->walks, req, ok))
            session_kick(dev->session);
    }
    if (dev->listener.done)
        dev->listener.done(dev->listener.ctx, dev, req, ok);
}

static struct session *open_session(struct device *dev)
{
    struct session_callbacks cb = {on_state, on_event, on_done, on_history};
    return session_new(dev->base, &dev->session_cfg, dev->store, dev->sched, &cb, dev);
}

static struct bufferevent *demo_transport(struct event_base *base, void *ctx)
{
    struct device *dev = ctx;
    struct bufferevent *ends[2];
    if (bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends) != 0)
        return NULL;
    sim_serve_bufferevent(dev->sim, ends[1]);
    return ends[0];
}

void device_default_options(struct device_options *opt)
{
    memset(opt, 0, sizeof *opt);
    struct session_config cfg;
    session_default_config(&cfg);
    opt->port = cfg.port;
    opt->client = "monitor";
    opt->rate = cfg.link.rate;
    opt->timeout = (double)cfg.link.timeout_ms / 1000.0;
    opt->retries = cfg.link.retries;
    scheduler_default_config(&opt->sched);
    config_default_thresholds(&opt->thresholds);
}

static void session_config_of(struct device *dev, struct session_config *cfg)
{
    const struct device_options *o = &dev->opt;
    session_default_config(cfg);
    cfg->host = o->host;
    cfg->port = o->port;
    cfg->link.rate = o->rate;
    cfg->link.timeout_ms = (int64_t)(o->timeout * 1000);
    cfg->link.retries = o->retries;
    cfg->listen_only = o->listen_only;
    cfg->replay = o->replay;
    if (dev->recorder)
        cfg->tap = (struct session_tap){recorder_tap, dev->recorder};
    if (o->demo) {
        cfg->transport = demo_transport;
        cfg->transport_ctx = dev;
    }
}

/* The recording: the file with --record, and what is kept in memory for a snapshot. */
static bool open_recorder(struct device *dev, char *err, size_t cap)
{
    const struct device_options *o = &dev->opt;
    if (o->lent_recorder) {
        dev->recorder = o->lent_recorder;
        return true;
    }
    if (o->replay || (!o->record_path[0] && !o->keep_recent_us))
        return true;
    char header[1024];
    record_header(header, sizeof header, o->recorded_as, o->client, o->rate, o->timeout, o->retries,
                  o->listen_only);
    dev->recorder = recorder_open(o->record_path[0] ? o->record_path : NULL, header,
                                  (uint64_t)(o->record_max_mb * 1e6), o->record_force, err, cap);
    if (!dev->recorder)
        return false;
    if (o->keep_recent_us)
        recorder_keep(dev->recorder, o->keep_recent_us, o->keep_recent_bytes);
    return true;
}

static struct sim *open_demo(struct event_base *base)
{
    struct sim_config sc;
    sim_default_config(&sc);
    sc.seed = 1;
    sc.quirks.latency_ms = 15;
    sc.quirks.jitter_ms = 20;
    return sim_new(base, &sc);
}

struct device *device_open(const struct device_options *opt, struct event_base *base,
                           const struct device_listener *listener, char *err, size_t cap)
{
    struct device *dev = calloc(1, sizeof *dev);
    if (!dev) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    dev->opt = *opt;
    if (listener)
        dev->listener = *listener;
    dev->base = base;
    dev->store = opt->lent_store ? opt->lent_store : store_new();
    dev->sched = scheduler_new(&dev->opt.sched);
    if (!dev->store || !dev->sched || (opt->demo && !(dev->sim = open_demo(base)))) {
        snprintf(err, cap, "out of memory");
        device_close(dev, NULL, 0);
        return NULL;
    }
    if (!open_recorder(dev, err, cap)) {
        device_close(dev, NULL, 0);
        return NULL;
    }
    session_config_of(dev, &dev->session_cfg);
    int64_t silent_after_ms = dev->opt.silent_after_ms;
    if (!silent_after_ms) {
        silent_after_ms = 2 * dev->opt.sched.watched_period_ms;
        if (silent_after_ms < 2 * dev->session_cfg.link.timeout_ms)
            silent_after_ms = 2 * dev->session_cfg.link.timeout_ms;
        silent_after_ms += 1000;
    }
    knows_init(&dev->knows, &dev->opt.thresholds, silent_after_ms);
    dev->knows.clock_mode = dev->opt.clock_mode;
    dev->session = open_session(dev);
    walk_init(&dev->walks, dev->sched);
    if (!dev->session) {
        snprintf(err, cap, "out of memory");
        device_close(dev, NULL, 0);
        return NULL;
    }
    return dev;
}

void device_start(struct device *dev, const char *const *first, size_t nfirst)
{
    dev->knows.started_ms = session_mono_ms();
    uint32_t oids[16];
    size_t n = 0;
    for (size_t i = 0; i < nfirst && n < sizeof oids / sizeof oids[0]; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(first[i]);
        if (!info) {
            /* A name the program itself wrote: said and stopped, so a test run finds it. */
            fprintf(stderr, "rcttop: internal error: no OID named '%s'\n", first[i]);
            abort();
        }
        oids[n++] = info->oid;
    }
    if (n)
        scheduler_plan_once(dev->sched, oids, n);
    session_start(dev->session);
}

bool device_close(struct device *dev, char *err, size_t cap)
{
    if (!dev)
        return true;
    device_alerts_close(dev);
    walk_free(&dev->walks);
    if (dev->session)
        session_free(dev->session);
    char why[300];
    bool lent = dev->recorder == dev->opt.lent_recorder;
    bool recorded = !dev->recorder || lent || recorder_finish(dev->recorder, why, sizeof why);
    if (!recorded && err)
        snprintf(err, cap, "%s", why);
    sim_free(dev->sim);
    scheduler_free(dev->sched);
    if (dev->store != dev->opt.lent_store)
        store_free(dev->store);
    knows_forget(&dev->knows);
    free(dev);
    return recorded;
}

void device_diagnose(struct device *dev)
{
    if (!dev->opt.sched.background || dev->opt.replay)
        return;
    uint32_t oids[256];
    size_t n = health_needed_oids(dev->store, oids, sizeof oids / sizeof oids[0]);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ oids[i]) * 16777619u;
    h ^= (uint32_t)n;
    if (h == dev->diagnosed_hash)
        return;
    dev->diagnosed_hash = h;
    scheduler_set_diagnosed(dev->sched, oids, n);
    /* Read once a minute, an input is current for three of its periods (one the screen
     * reads more often keeps its own shorter age). */
    for (size_t i = 0; i < n; i++) {
        const struct store_entry *e = store_get(dev->store, oids[i]);
        if (e && e->max_age_ms == 0)
            store_set_max_age(dev->store, oids[i], 3 * scheduler_period_ms(dev->sched, oids[i]) + 4000);
    }
}

void device_tick(struct device *dev)
{
    device_diagnose(dev);
    if (knows_tick(&dev->knows, dev->store))
        tell_changed(dev);
    /* The verdicts and the alerts on them move with each tick, live or replayed alike, so
     * a replay raises the alerts the live monitor raised, when it raised them. */
    knows_update_findings(&dev->knows, dev->store, dev->session);
    device_alerts_tick(dev);
}

void device_catch_up(struct device *dev)
{
    store_tick(dev->store, session_mono_ms());
    device_tick(dev);
}

bool device_forget(struct device *dev)
{
    walk_free(&dev->walks);
    session_free(dev->session);
    store_clear(dev->store);  /* what is set per OID (samples kept, maximum age) stays */
    dev->session = open_session(dev);
    if (!dev->session)
        return false;
    walk_init(&dev->walks, dev->sched);
    knows_forget(&dev->knows);
    device_alerts_forget(dev);
    dev->pages_generation++;
    return true;
}

const struct devclock *device_devclock(struct device *dev)
{
    uint64_t gen = store_generation(dev->store) + 1;  /* never 0: 0 means not judged */
    if (dev->clock_generation != gen) {
        devclock_judge(&dev->clock, dev->opt.clock_mode, dev->store);
        dev->clock_generation = gen;
    }
    return &dev->clock;
}

uint64_t device_history_start(struct device *dev, uint32_t oid, int64_t since, int64_t until,
                              unsigned max_pages)
{
    if (dev->opt.listen_only && !dev->opt.replay)
        return 0;  /* a history page needs a request: none is sent when listening */
    uint64_t ticket = walk_start(&dev->walks, oid, since, until, max_pages);
    if (ticket)
        session_kick(dev->session);
    return ticket;
}
