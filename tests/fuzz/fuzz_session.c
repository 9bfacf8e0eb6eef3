/* libFuzzer target: the whole client stack (event base, store, scheduler, session, history
 * pagers) against a "device" whose answers are the input, written in input-chosen chunks. */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/frame.h"
#include "proto/core/history.h"
#include "proto/codec/registry.h"
#include "proto/core/scheduler.h"
#include "proto/core/session.h"
#include "proto/core/store.h"

/* Input layout: byte 0 flags, then the bytes the device sends.
 *   bit 0  walk a timeseries (logger.minutes_soc_log_ts, three hours) first
 *   bit 1  walk the event table (30 days) first
 *   bit 2  poll the fault words too
 *   bit 3  requests time out at once: retries, give-ups, DEGRADED
 *   bit 4-7  chunk size (index into chunk_sizes)
 * Flags 0x0C exactly (time-outs, fault words, 1-byte chunks) also reconnect: drop after 8
 * time-outs, 1 ms backoff, and 3 ms of real waiting, so kept to that one rare value. */
#define TS_OID 0x5293B668u
#define EVENTS_OID 0x6F3876BCu
#define T0 1750000000
#define TS_SINCE (T0 - 3 * 3600)
#define EVENTS_SINCE (T0 - 30 * 86400)
#define MAX_DEVICES 8      /* connections a run may open */
#define MAX_ROUNDS 256     /* loop turns while writing: bounds the time per input */
#define MAX_PAGES 4

static const uint32_t plan[] = {
    0x959930BF, /* battery.soc (float, %) */
    0x5F33284E, /* prim_sm.state (enum) */
    0x16A1F844, /* battery.bms_sn (string) */
    0x1AC87AA0, /* g_sync.p_ac_load_sum_lp (float, W) */
    0x0CC4BDAA, /* detect_phase_shift_enable (bool) */
    0x1348AB07, /* battery.cells[4] (battery_module_status) */
    0x37F9D5CA, /* fault[0].flt (uint32) */
};
static const size_t chunk_sizes[16] = {1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 128, 256, 512, 1024, 4096};

struct harness {
    struct event_base *base;
    struct bufferevent *device[MAX_DEVICES];
    int ndevices;
    struct rct_decoder *sent;       /* what the session writes, decoded */
    struct scheduler *sched;
    struct history_pager ts, ev;
    bool ts_on, ev_on;
};

/* Everything the session sends must be a READ, or a WRITE of a 4-byte timestamp to a
 * history OID: the read-only promise, checked on the wire. */
static void check_request(const struct rct_frame *f, void *ctx)
{
    (void)ctx;
    if (f->error != RCT_FRAME_OK)
        __builtin_trap();
    if (f->command == RCT_CMD_READ && f->payload_len == 0)
        return;
    if (f->command == RCT_CMD_WRITE && f->payload_len == 4 &&
        rct_registry_is_history(rct_registry_by_id(f->oid)))
        return;
    __builtin_trap();
}

static void device_read(struct bufferevent *bev, void *arg)
{
    struct harness *h = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    uint8_t chunk[512];
    int n;
    while ((n = evbuffer_remove(in, chunk, sizeof chunk)) > 0)
        rct_decoder_feed(h->sent, chunk, (size_t)n, check_request, h);
}

static struct bufferevent *transport(struct event_base *base, void *ctx)
{
    struct harness *h = ctx;
    struct bufferevent *ends[2];
    if (h->ndevices >= MAX_DEVICES || bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends) != 0)
        return NULL;
    h->device[h->ndevices++] = ends[1];
    rct_decoder_init(h->sent);   /* a new connection starts a new request stream */
    bufferevent_setcb(ends[1], device_read, NULL, NULL, h);
    bufferevent_enable(ends[1], EV_READ | EV_WRITE);
    return ends[0];
}

static void on_state(void *ctx, enum link_state state, const char *detail, int64_t retry_in_ms)
{
    (void)ctx;
    /* Any state the link layer has a name for (the enum grows; the names keep up). */
    if (strcmp(link_state_name(state), "?") == 0 || !detail || strlen(detail) >= 320 ||
        retry_in_ms < 0)
        __builtin_trap();
}

static void on_event(void *ctx, const struct session_event *e)
{
    struct harness *h = ctx;
    if (strcmp(session_frame_class_name(e->cls), "?") == 0 || e->payload_len > RCT_FRAME_MAX_PAYLOAD ||
        (e->payload_len && !e->payload))
        __builtin_trap();
    if (e->cls != SESSION_ANSWER)
        return;
    if (e->oid == TS_OID && h->ts_on)
        history_pager_page(&h->ts, e->payload, e->payload_len);
    else if (e->oid == EVENTS_OID && h->ev_on)
        history_pager_page(&h->ev, e->payload, e->payload_len);
}

/* A history page ended: ask for the next one, as `rcttop history` does. */
static void on_done(void *ctx, const struct sched_request *req, bool ok)
{
    struct harness *h = ctx;
    if (req->kind != SCHED_HISTORY)
        return;
    struct history_pager *p = req->oid == TS_OID ? &h->ts : &h->ev;
    uint32_t ts;
    if (ok && history_pager_next_query(p, &ts))
        scheduler_queue_history(h->sched, req->oid, ts);
}

static void check_store(const struct store *store)
{
    static struct rct_value v;
    for (size_t i = 0; i < store_count(store); i++) {
        const struct store_entry *e = store_at(store, i);
        if (!e || e->ring_len > STORE_RING || e->payload_len > STORE_PAYLOAD_MAX ||
            strcmp(store_state_name(e->state), "?") == 0 ||
            (e->error_why && !memchr(e->error_why, 0, 256)))
            __builtin_trap();
        /* A value the store kept for a known OID is one that decoded; an answer for an
         * OID outside the registry (another client's) is kept as raw bytes by design. */
        if (e->has_value && e->info && !store_value(store, e->oid, &v))
            __builtin_trap();
    }
}

static void check_pager(const struct history_pager *p)
{
    if (p->n > p->cap || p->n > HISTORY_MAX_ITEMS)
        __builtin_trap();
}

static void turn(struct harness *h, int times)
{
    for (int i = 0; i < times; i++)
        event_base_loop(h->base, EVLOOP_NONBLOCK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t flags = data[0];
    data++;
    size--;

    struct harness h;
    memset(&h, 0, sizeof h);
    h.base = event_base_new();
    h.sent = malloc(sizeof *h.sent);
    struct store *store = store_new();
    struct scheduler_config scfg;
    scheduler_default_config(&scfg);
    scfg.background = false;
    scfg.faults = (flags & 4) != 0;
    h.sched = scheduler_new(&scfg);
    if (!h.base || !h.sent || !store || !h.sched)
        __builtin_trap();
    rct_decoder_init(h.sent);

    struct session_config cfg;
    session_default_config(&cfg);
    cfg.transport = transport;
    cfg.transport_ctx = &h;
    cfg.link.rate = 10000;   /* pacing never holds a request back within a run */
    bool timeouts = (flags & 8) != 0, reconnects = flags == 0x0C;
    cfg.link.timeout_ms = timeouts ? 0 : 600000;
    if (timeouts && !reconnects)
        cfg.link.reconnect_after = 1 << 20;   /* stay connected, DEGRADED */
    if (reconnects)
        cfg.link.backoff_base_ms = 1;
    struct session_callbacks cb = {on_state, on_event, on_done, NULL};
    struct session *s = session_new(h.base, &cfg, store, h.sched, &cb, &h);
    if (!s)
        __builtin_trap();

    if (flags & 1) {
        h.ts_on = history_pager_init(&h.ts, TS_OID, TS_SINCE, T0);
        h.ts.max_pages = MAX_PAGES;
        uint32_t ts;
        if (h.ts_on && history_pager_next_query(&h.ts, &ts))
            scheduler_queue_history(h.sched, TS_OID, ts);
    }
    if (flags & 2) {
        h.ev_on = history_pager_init(&h.ev, EVENTS_OID, EVENTS_SINCE, T0);
        h.ev.max_pages = MAX_PAGES;
        uint32_t ts;
        if (h.ev_on && history_pager_next_query(&h.ev, &ts))
            scheduler_queue_history(h.sched, EVENTS_OID, ts);
    }
    scheduler_plan_once(h.sched, plan, sizeof plan / sizeof plan[0]);
    session_start(s);
    turn(&h, 2);

    /* The device's bytes, a chunk per loop turn, into whichever connection is current. */
    size_t chunk = chunk_sizes[flags >> 4];
    if (size / chunk >= MAX_ROUNDS)
        chunk = size / MAX_ROUNDS + 1;
    for (size_t pos = 0; pos < size; pos += chunk) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        if (h.ndevices > 0)
            bufferevent_write(h.device[h.ndevices - 1], data + pos, n);
        turn(&h, 1);
    }
    turn(&h, 4);
    /* Then the device hangs up: the session must drop the connection cleanly. */
    if (h.ndevices > 0 && session_state(s) != LINK_OFFLINE) {
        bufferevent_flush(h.device[h.ndevices - 1], EV_WRITE, BEV_FINISHED);
        turn(&h, 4);
    }
    /* ...and comes back: a few real milliseconds for the backoff timer to reconnect. */
    if (reconnects) {
        struct timeval window = {0, 3000};
        event_base_loopexit(h.base, &window);
        event_base_dispatch(h.base);
        if (h.ndevices > 0)
            bufferevent_write(h.device[h.ndevices - 1], data, size < 64 ? size : 64);
        turn(&h, 4);
    }

    const struct session_counters *c = session_counters(s);
    if (c->answers > c->requests || c->bytes_in > size + 64)
        __builtin_trap();
    check_store(store);
    check_pager(&h.ts);
    check_pager(&h.ev);

    session_free(s);
    for (int i = 0; i < h.ndevices; i++)
        bufferevent_free(h.device[i]);
    scheduler_free(h.sched);
    store_free(store);
    history_pager_free(&h.ts);
    history_pager_free(&h.ev);
    free(h.sent);
    event_base_free(h.base);
    return 0;
}
