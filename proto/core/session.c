/* libevent session: connects, paces requests, matches answers by OID, stores every
 * reading (asked for or not) and reconnects with backoff. Callbacks record and report;
 * nothing here draws or prints. */
#include "proto/core/session.h"
#include "proto/core/session_internal.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/core/clock.h"
#include "proto/codec/frame.h"
#include "proto/core/netio.h"
#include "proto/codec/registry.h"
#include "proto/codec/request.h"

int64_t session_mono_ms(void)
{
    return clock_mono_us() / 1000;
}

int64_t session_unix_ms(void)
{
    return clock_unix_us() / 1000;
}

void session_default_config(struct session_config *config)
{
    memset(config, 0, sizeof *config);
    config->host = "127.0.0.1";
    config->port = 8899;
    link_default_config(&config->link);
}

static void pump(struct session *s);

int64_t session_stamp(struct session *s, char kind)
{
    int64_t now = clock_mono_us();
    if (!s->counters.first_us)
        s->counters.first_us = now;
    if (kind == '<')
        s->counters.heard_us = now;
    return now;
}

/* One reading of the clock for the session and the recording alike. */
static void tap(struct session *s, char kind, const uint8_t *data, size_t len)
{
    int64_t now = session_stamp(s, kind);
    if (s->cfg.tap.fn)
        s->cfg.tap.fn(s->cfg.tap.ctx, kind, now, data, len);
}

static void tap_note(struct session *s, const char *text)
{
    tap(s, '!', (const uint8_t *)text, strlen(text));
}

void session_set_state(struct session *s, const char *detail, int64_t retry_in_ms)
{
    snprintf(s->detail, sizeof s->detail, "%s", detail ? detail : "");
    if (s->cb.on_state)
        s->cb.on_state(s->ctx, s->link.state, s->detail, retry_in_ms);
}

void session_report(struct session *s, enum session_frame_class cls, uint8_t command,
                   uint32_t oid, const uint8_t *payload, uint16_t len, int64_t rtt_ms)
{
    if (!s->cb.on_event)
        return;
    struct session_event ev = {
        .mono_ms = session_mono_ms(), .unix_ms = session_unix_ms(), .cls = cls,
        .command = command, .oid = oid, .payload = payload, .payload_len = len,
        .rtt_ms = rtt_ms, .attempt = s->link.attempt,
        .max_attempts = s->current.max_attempts ? s->current.max_attempts : s->link.cfg.retries + 1};
    s->cb.on_event(s->ctx, &ev);
}

void session_finish_current(struct session *s, bool ok)
{
    if (!s->has_current)
        return;
    struct sched_request done = s->current;
    s->has_current = false;
    s->resend = false;
    if (!ok) {
        s->counters.gave_up++;
        session_oids_gave_up(s, &done);
    }
    scheduler_done(s->sched, &done, ok, session_mono_ms());
    if (s->cb.on_done)
        s->cb.on_done(s->ctx, &done, ok);
}

/* The connection is gone (live, or as a recording says): the link goes offline until
 * the next attempt, delay_ms from now (-1: the link's own backoff). Returns the delay. */
int64_t session_note_disconnected(struct session *s, int64_t delay_ms)
{
    rct_decoder_init(s->dec);
    /* The request in flight is sent again after the reconnect: a late answer to it on
     * the old connection is gone with that connection. */
    if (s->has_current)
        s->resend = true;
    if (!s->unreachable_since_unix_ms)
        s->unreachable_since_unix_ms = session_unix_ms();
    int64_t now = session_mono_ms();
    session_oids_forget(s);
    int64_t delay = link_disconnected(&s->link, now);
    if (delay_ms >= 0) {
        delay = delay_ms;
        s->link.reconnect_at_ms = now + delay;
    }
    return delay;
}

/* A connection is up (live, or as a recording says). */
void session_note_connected(struct session *s)
{
    link_connected(&s->link, session_mono_ms());
    if (s->ever_connected)
        s->counters.reconnects++;
    s->ever_connected = true;
    s->counters.connects++;
}

static void drop_connection(struct session *s, const char *why)
{
    if (s->bev) {
        bufferevent_free(s->bev);
        s->bev = NULL;
    }
    int64_t delay = session_note_disconnected(s, -1);
    char detail[200];
    snprintf(detail, sizeof detail, "%s", why);
    if (s->cfg.tap.fn) {
        char note[300];
        snprintf(note, sizeof note, "disconnected: %s; retry in %lld ms", why, (long long)delay);
        tap_note(s, note);
    }
    session_set_state(s, detail, delay);
    pump(s);
}

static void on_frame(const struct rct_frame *f, void *arg)
{
    struct session *s = arg;
    int64_t now = session_mono_ms();
    if (f->error == RCT_FRAME_CRC_MISMATCH) {
        s->counters.crc_errors++;
        if (s->cb.on_event) {
            struct session_event ev = {.mono_ms = now, .unix_ms = session_unix_ms(),
                                       .cls = SESSION_CRC_ERROR, .command = f->command,
                                       .oid = f->oid, .crc_received = f->crc_received,
                                       .crc_computed = f->crc_computed};
            s->cb.on_event(s->ctx, &ev);
        }
        return;
    }
    if (f->error != RCT_FRAME_OK) {
        s->counters.broken++;
        session_report(s, SESSION_BROKEN, f->command, f->oid, NULL, 0, 0);
        return;
    }
    if (!rct_command_is_response(f->command)) {
        s->counters.unsolicited++;
        session_report(s, SESSION_UNSOLICITED, f->command, f->oid, f->payload, f->payload_len, 0);
        return;
    }
    /* A plant response carries another device's values: never file them as ours. */
    bool ours = !f->plant && s->has_current && !s->resend && s->link.pending &&
                f->oid == s->current.oid;
    if (!ours) {
        s->counters.foreign++;
        if (s->cfg.listen_only && s->link.state != LINK_ONLINE) {
            /* Listening, another client's answers are how the device shows it is alive. */
            s->link.state = LINK_ONLINE;
            s->unreachable_since_unix_ms = 0;
            session_set_state(s, "", 0);
        }
        if (!f->plant && store_put(s->store, f->oid, f->payload, f->payload_len, now,
                                   session_unix_ms() / 1000) == RCT_VALUE_OK)
            scheduler_note_reading(s->sched, f->oid, now);
        session_report(s, SESSION_FOREIGN, f->command, f->oid, f->payload, f->payload_len, 0);
        return;
    }
    enum rct_value_error err =
        store_put(s->store, f->oid, f->payload, f->payload_len, now, session_unix_ms() / 1000);
    if (err == RCT_VALUE_BAD_LENGTH) {
        /* Cut short by an overlapping request (valid CRC, short payload): ask again. */
        s->counters.truncated++;
        session_report(s, SESSION_TRUNCATED, f->command, f->oid, f->payload, f->payload_len, 0);
        enum link_outcome o = link_bad_answer(&s->link, f->oid, now);
        if (o == LINK_RETRY)
            s->resend = true;
        else if (o == LINK_GAVE_UP) {
            store_note_error(s->store, f->oid, "answers cut short", now);
            session_finish_current(s, false);
        }
        pump(s);
        return;
    }
    int64_t rtt = now - s->link.sent_ms;
    enum link_state before = s->link.state;
    link_answer(&s->link, f->oid, now);
    s->unreachable_since_unix_ms = 0;
    s->counters.answers++;
    session_oids_answered(s);
    session_report(s, SESSION_ANSWER, f->command, f->oid, f->payload, f->payload_len, rtt);
    if (s->current.kind == SCHED_READ)
        s->last_answered = f->oid;
    uint32_t unknown[SESSION_SUSPECTS_MAX];
    size_t nunknown = session_oids_confirm(s, f->oid, now, unknown, SESSION_SUSPECTS_MAX);
    for (size_t i = 0; i < nunknown; i++)
        session_report(s, SESSION_UNSUPPORTED, 0, unknown[i], NULL, 0, 0);
    if (s->current.kind == SCHED_HISTORY && s->cb.on_history)
        s->cb.on_history(s->ctx, &s->current, f->payload, f->payload_len);
    if (s->link.state != before || strcmp(s->detail, "") != 0)
        session_set_state(s, "", 0);
    session_finish_current(s, true);
    pump(s);
}

void session_feed(struct session *s, const uint8_t *chunk, size_t n)
{
    tap(s, '<', chunk, n);
    s->counters.bytes_in += (uint64_t)n;
    uint64_t noise_before = s->dec->stats.noise_bytes;
    rct_decoder_feed(s->dec, chunk, n, on_frame, s);
    s->counters.noise_bytes += s->dec->stats.noise_bytes - noise_before;
}

static void on_read(struct bufferevent *bev, void *arg)
{
    struct session *s = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    uint8_t chunk[4096];
    int n;
    clock_hold();
    while ((n = evbuffer_remove(in, chunk, sizeof chunk)) > 0) {
        session_feed(s, chunk, (size_t)n);
        if (!s->bev)
            break;  /* a callback dropped the connection */
    }
    clock_release();
}

static void handle_bev_event(struct session *s, struct bufferevent *bev, short what);
static void arm_timer(struct session *s, int64_t now);

static void on_bev_event(struct bufferevent *bev, short what, void *arg)
{
    clock_hold();
    handle_bev_event(arg, bev, what);
    clock_release();
}

static void handle_bev_event(struct session *s, struct bufferevent *bev, short what)
{
    if (what & BEV_EVENT_CONNECTED) {
        /* One small request at a time: Nagle would only hold it back. */
        evutil_socket_t fd = bufferevent_getfd(bev);
        int one = 1;
        if (fd >= 0)
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        session_note_connected(s);
        if (s->cfg.tap.fn) {
            char note[300];
            if (s->cfg.transport)
                snprintf(note, sizeof note, "connected");
            else
                snprintf(note, sizeof note, "connected to %s:%u", s->host, s->cfg.port);
            tap_note(s, note);
        }
        session_set_state(s, "", 0);
        pump(s);
        return;
    }
    if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF)) {
        char why[180];
        int err = EVUTIL_SOCKET_ERROR();
        int dns_err = s->cfg.transport ? 0 : bufferevent_socket_get_dns_error(bev);
        if (what & BEV_EVENT_EOF)
            snprintf(why, sizeof why, "connection closed by the device");
        else if (dns_err)
            snprintf(why, sizeof why, "%s", evutil_gai_strerror(dns_err));
        else if (err)
            snprintf(why, sizeof why, "%s", evutil_socket_error_to_string(err));
        else
            snprintf(why, sizeof why, "connection failed");
        drop_connection(s, why);
    }
}

static void start_connect(struct session *s)
{
    link_connecting(&s->link, session_mono_ms());
    char detail[300];
    if (s->cfg.transport) {
        s->bev = s->cfg.transport(s->base, s->cfg.transport_ctx);
        snprintf(detail, sizeof detail, "connecting");
    } else {
        s->bev = bufferevent_socket_new(s->base, -1, BEV_OPT_CLOSE_ON_FREE);
        snprintf(detail, sizeof detail, "connecting to %s:%u", s->host, s->cfg.port);
    }
    tap_note(s, detail);
    if (!s->bev) {
        drop_connection(s, "cannot create a connection");
        return;
    }
    bufferevent_setcb(s->bev, on_read, NULL, on_bev_event, s);
    bufferevent_enable(s->bev, EV_READ | EV_WRITE);
    session_set_state(s, detail, 0);
    if (s->cfg.transport) {
        /* A factory's transport is connected already (e.g. a bufferevent pair). */
        handle_bev_event(s, s->bev, BEV_EVENT_CONNECTED);
        return;
    }
    if (bufferevent_socket_connect_hostname(s->bev, NULL, AF_UNSPEC, s->host, s->cfg.port) != 0) {
        char why[300];
        snprintf(why, sizeof why, "cannot connect to %s:%u", s->host, s->cfg.port);
        drop_connection(s, why);
        return;
    }
    /* A host that drops SYNs never reports back: the connect timeout is ours to keep. */
    if (s->bev)
        arm_timer(s, session_mono_ms());
}

void session_note_sent(struct session *s, int64_t now)
{
    s->sent_at[s->sent_head] = now;
    s->sent_head = (s->sent_head + 1) % RATE_WINDOW;
    if (s->sent_len < RATE_WINDOW)
        s->sent_len++;
    if (s->sent_len >= 2) {
        int64_t oldest = s->sent_at[(s->sent_head + RATE_WINDOW - s->sent_len) % RATE_WINDOW];
        int64_t span = now - oldest;
        s->counters.rate = span > 0 ? (double)(s->sent_len - 1) * 1000.0 / (double)span : 0;
    }
}

static void send_current(struct session *s, int64_t now, bool retry)
{
    if (s->current.kind == SCHED_HISTORY) {
        if (rct_request_history(s->current.oid, s->current.ts, &s->wire) != RCT_REQUEST_OK) {
            session_finish_current(s, false);
            return;
        }
    } else {
        rct_request_read(s->current.oid, &s->wire);
    }
    if (retry) {
        link_resent(&s->link, now);
        s->counters.retries++;
    } else {
        session_oids_first_send(s);
        link_sent(&s->link, s->current.oid, now);
    }
    session_oids_sent(s);
    s->resend = false;
    s->counters.requests++;
    s->counters.bytes_out += s->wire.len;
    session_note_sent(s, now);
    tap(s, '>', s->wire.bytes, s->wire.len);
    rct_send_now(s->bev, s->wire.bytes, s->wire.len);
    session_report(s, SESSION_SENT, s->current.kind == SCHED_HISTORY ? RCT_CMD_WRITE : RCT_CMD_READ,
           s->current.oid, NULL, 0, 0);
}

/* The current request settled as not supported without a frame (its family is unknown
 * to this firmware): said in the Link log as a verdict would be. */
static void settle_unsupported(struct session *s, int64_t now)
{
    struct sched_request done = s->current;
    s->has_current = false;
    scheduler_done(s->sched, &done, false, now);
    store_note_unsupported(s->store, done.oid);
    scheduler_note_unsupported(s->sched, done.oid, now);
    s->counters.unsupported++;
    session_report(s, SESSION_UNSUPPORTED, 0, done.oid, NULL, 0, 0);
    if (s->cb.on_done)
        s->cb.on_done(s->ctx, &done, false);
}

/* The request in flight got no answer in time: sent again (LINK_RETRY) or given up. */
void session_timed_out(struct session *s, enum link_outcome o, int64_t now)
{
    s->counters.timeouts++;
    store_note_timeout(s->store, s->current.oid, now);
    session_report(s, SESSION_TIMEOUT, 0, s->current.oid, NULL, 0, 0);
    if (o == LINK_RETRY && s->current.max_attempts > 0 && s->link.attempt >= s->current.max_attempts)
        o = LINK_GAVE_UP;  /* a probe is asked once */
    if (o == LINK_RETRY)
        s->resend = true;
    else
        session_finish_current(s, false);
    if (s->link.state == LINK_DEGRADED)
        session_set_state(s, "requests time out", 0);
}

static void arm_timer(struct session *s, int64_t now)
{
    int64_t at = link_next_event_ms(&s->link);
    /* Listening sends nothing, so what the scheduler has due is no reason to wake: it
     * stays due forever, and the loop would spin on it. */
    if (s->cfg.listen_only && link_is_connected(&s->link) && !s->link.pending)
        at = now + 1000;
    else if (link_is_connected(&s->link) && !s->link.pending && !s->has_current) {
        int64_t due = scheduler_next_due_ms(s->sched);
        if (due > at)
            at = due;
    }
    int64_t wait = at - now;
    if (wait < 0)
        wait = 0;
    if (wait > 1000)
        wait = 1000;  /* re-check at least once a second; cheap, and keeps staleness moving */
    struct timeval tv = {(time_t)(wait / 1000), (suseconds_t)(wait % 1000) * 1000};
    evtimer_add(s->timer, &tv);
}

static void pump(struct session *s)
{
    if (s->cfg.replay)
        return;  /* nothing is sent in a replay, and its time is the recording's */
    int64_t now = session_mono_ms();
    if (s->link.state == LINK_OFFLINE) {
        if (now >= s->link.reconnect_at_ms && s->timer) {
            start_connect(s);
            return;
        }
        arm_timer(s, now);
        return;
    }
    enum link_outcome o = link_poll(&s->link, now);
    if (o == LINK_RECONNECT) {
        char why[120];
        if (s->link.state == LINK_CONNECTING)
            snprintf(why, sizeof why, "no answer to the connect in %.1f s (a wrong address, or a "
                     "host that drops it)", (double)link_connect_timeout_ms(&s->link) / 1000.0);
        else
            snprintf(why, sizeof why, "device stopped answering");
        drop_connection(s, why);
        return;
    }
    if (o == LINK_RETRY || o == LINK_GAVE_UP)
        session_timed_out(s, o, now);
    if (!s->cfg.listen_only && link_can_send(&s->link, now)) {
        if (s->has_current && s->resend) {
            send_current(s, now, s->link.attempt >= 1 && s->link.pending_oid == s->current.oid);
        } else {
            while (!s->has_current && scheduler_next(s->sched, now, &s->current)) {
                s->has_current = true;
                if (session_oids_inferred(s))
                    settle_unsupported(s, now);
                else
                    send_current(s, now, false);
            }
        }
    }
    if (s->bev || s->link.state == LINK_OFFLINE)
        arm_timer(s, now);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct session *s = arg;
    clock_hold();
    /* Staleness moves on with time; the UI notices through the store generation. */
    store_tick(s->store, session_mono_ms());
    pump(s);
    clock_release();
}

struct session *session_new(struct event_base *base, const struct session_config *config,
                            struct store *store, struct scheduler *sched,
                            const struct session_callbacks *callbacks, void *ctx)
{
    struct session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->dec = malloc(sizeof *s->dec);
    s->timer = evtimer_new(base, on_timer, s);
    if (!s->dec || !s->timer) {
        session_free(s);
        return NULL;
    }
    rct_decoder_init(s->dec);
    if (config->replay) {
        s->sent_dec = malloc(sizeof *s->sent_dec);
        if (!s->sent_dec) {
            session_free(s);
            return NULL;
        }
        rct_decoder_init(s->sent_dec);
    }
    s->base = base;
    s->cfg = *config;
    snprintf(s->host, sizeof s->host, "%s", config->host ? config->host : "");
    s->cfg.host = s->host;
    s->store = store;
    s->sched = sched;
    if (callbacks)
        s->cb = *callbacks;
    s->ctx = ctx;
    struct link_config lc = config->link;
    if (lc.seed == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        lc.seed = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() * 2654435761u;
        if (lc.seed == 0)
            lc.seed = 1;
    }
    link_init(&s->link, &lc);
    return s;
}

void session_free(struct session *s)
{
    if (!s)
        return;
    if (s->bev)
        bufferevent_free(s->bev);
    if (s->timer)
        event_free(s->timer);
    free(s->dec);
    free(s->sent_dec);
    free(s);
}

void session_start(struct session *s)
{
    if (s->cfg.replay)
        return;  /* the recording says when it connected */
    clock_hold();
    start_connect(s);
    clock_release();
}

void session_retry_now(struct session *s)
{
    if (s->cfg.replay || s->link.state != LINK_OFFLINE)
        return;
    clock_hold();
    link_retry_now(&s->link, session_mono_ms());
    pump(s);
    clock_release();
}

void session_kick(struct session *s)
{
    clock_hold();
    pump(s);
    clock_release();
}
