/* The simulated device's side of the protocol over libevent: answers reads and history
 * queries from the model, never changes state for any write, and misbehaves on request
 * the ways real devices do (latency, drops, CRC errors, truncation, noise, foreign and
 * unsolicited frames, disconnects, night silence, unknown OIDs, a client limit). */
#include "proto/sim/sim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/codec/frame.h"
#include "proto/codec/frame_private.h"
#include "proto/core/netio.h"
#include "proto/codec/registry.h"
#include "proto/sim/sim_internal.h"

#define NET_PACKAGE_OID 0x3AA565FCu

struct sim_conn {
    struct sim *sim;
    struct sim_conn *next;
    struct bufferevent *bev;
    struct rct_decoder dec;
    uint32_t rng;
    char peer[64];
    struct event *answer_timer;
    struct event *disconnect_timer;
    struct event *unsolicited_timer;
    bool pending;                 /* an answer is on its way (latency) */
    uint8_t pending_cmd;
    uint32_t pending_oid, pending_addr;
    uint16_t pending_len;
    bool pending_crc_error;
    unsigned history_answers;     /* for the bad_page_after quirk */
    uint64_t bytes_in;            /* from this client */
    uint8_t pending_payload[RCT_FRAME_MAX_PAYLOAD];
};

static void conn_free(struct sim_conn *c);

void sim_default_config(struct sim_config *config)
{
    memset(config, 0, sizeof *config);
    config->cond.weak_cell_module = -1;
    config->cond.cell_low_module = 0;
    config->cond.silent_module = -1;
    config->cond.riso_ohm = -1;
    config->seed = 1;
    config->speed = 1.0;
    config->page_points = 41;     /* about a seventh of a day of 5-minute data */
    config->page_events = 10;
}

void sim_enable_all_quirks(struct sim_quirks *q)
{
    q->latency_ms = 30;
    q->jitter_ms = 40;
    q->drop = 0.03;
    q->crc_errors = 0.03;
    q->truncate = true;
    q->noise = 0.3;
    q->unsolicited_s = 1.0;
    q->foreign = 0.1;
    q->disconnect_every_s = 20;
    q->unknown_oids = 0.02;
    q->max_clients = 4;
    /* night silence is left off: with it a daytime-only unit says nothing for hours */
}

struct sim *sim_new(struct event_base *base, const struct sim_config *config)
{
    struct sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        return NULL;
    sim->days = calloc(SIM_DAY_CACHE, sizeof *sim->days);
    sim->totals = calloc(SIM_TOTALS_CACHE, sizeof *sim->totals);
    if (!sim->days || !sim->totals) {
        sim_free(sim);
        return NULL;
    }
    for (unsigned i = 0; i < SIM_DAY_CACHE; i++)
        sim->days[i].day = -1;
    for (unsigned i = 0; i < SIM_TOTALS_CACHE; i++)
        sim->totals[i].day = -1;
    sim->base = base;
    sim->cfg = *config;
    if (sim->cfg.page_points == 0)
        sim->cfg.page_points = 41;
    if (sim->cfg.page_events == 0)
        sim->cfg.page_events = 10;
    sim->start_unix = config->start_unix > 0 ? config->start_unix : (double)time(NULL);
    sim->start_mono_ms = sim_mono_ms();
    sim_script_start(sim);
    return sim;
}

void sim_free(struct sim *sim)
{
    if (!sim)
        return;
    if (sim->listener)
        evconnlistener_free(sim->listener);
    sim_script_free(sim);
    while (sim->conns)
        conn_free(sim->conns);
    free(sim->days);
    free(sim->totals);
    free(sim);
}

bool sim_awake(struct sim *sim, double t)
{
    if (sim->silent)
        return false;
    if (!sim->cfg.quirks.night)
        return true;
    /* A PV-only unit runs on its strings: with nothing from them it has no power. */
    struct sim_plant p;
    sim_plant_at(sim, t, &p);
    return p.pv_a + p.pv_b > 0;
}

const struct sim_stats *sim_stats(const struct sim *sim)
{
    return &sim->stats;
}

static uint32_t conn_random(struct sim_conn *c)
{
    uint32_t x = c->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c->rng = x;
    return x;
}

static bool chance(struct sim_conn *c, double p)
{
    return p > 0 && (double)conn_random(c) / 4294967296.0 < p;
}

static void log_request(struct sim_conn *c, const struct rct_frame *f, const char *what)
{
    if (!c->sim->cfg.verbose)
        return;
    const struct rct_oid_info *info = rct_registry_by_id(f->oid);
    const char *cmd = rct_command_name(f->command);
    time_t now = time(NULL);
    struct tm tm;
    char when[16];
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%H:%M:%S", &tm);
    fprintf(stderr, "[sim] %s %s %-10s %s (0x%08X)%s%s\n", when, c->peer, cmd ? cmd : "?",
            info ? info->name : "unknown OID", (unsigned)f->oid, what[0] ? "  " : "", what);
}

static void conn_free(struct sim_conn *c)
{
    for (struct sim_conn **p = &c->sim->conns; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    if (c->answer_timer)
        event_free(c->answer_timer);
    if (c->disconnect_timer)
        event_free(c->disconnect_timer);
    if (c->unsolicited_timer)
        event_free(c->unsolicited_timer);
    if (c->bev)
        bufferevent_free(c->bev);
    c->sim->clients--;
    free(c);
}

static void write_noise(struct sim_conn *c)
{
    static const uint8_t at[] = {'A', 'T', '+', '\r'};
    static const uint8_t ext[] = {0x2b, 0x3c, 0xe1};
    uint32_t r = conn_random(c) % 4;
    if (r == 0) {
        bufferevent_write(c->bev, at, sizeof at);
    } else if (r == 1) {
        bufferevent_write(c->bev, ext, sizeof ext);
    } else if (r == 2) {
        /* leftover junk: never a start token, so it cannot fake a frame */
        uint8_t junk[5];
        for (size_t i = 0; i < sizeof junk; i++) {
            junk[i] = (uint8_t)conn_random(c);
            if (junk[i] == RCT_START_TOKEN)
                junk[i] = 0x00;
        }
        bufferevent_write(c->bev, junk, sizeof junk);
    }
}

static void send_frame(struct sim_conn *c, uint8_t cmd, uint32_t addr, uint32_t oid,
                       const uint8_t *payload, size_t len, bool crc_error)
{
    static uint8_t wire[RCT_FRAME_WIRE_MAX(RCT_FRAME_MAX_PAYLOAD)];
    size_t n = rct_frame_encode(cmd, addr, oid, payload, len, wire, sizeof wire);
    if (n == 0)
        return;
    if (crc_error) {
        /* Flip a bit of the last plain byte (the CRC's or the payload's): a plausible
         * frame whose CRC no longer matches, with the framing left intact. */
        for (size_t i = n - 1; i > 3; i--) {
            uint8_t flipped = (uint8_t)(wire[i] ^ 0x01);
            if (wire[i] == RCT_START_TOKEN || wire[i] == RCT_ESCAPE_TOKEN ||
                wire[i - 1] == RCT_ESCAPE_TOKEN || flipped == RCT_START_TOKEN ||
                flipped == RCT_ESCAPE_TOKEN)
                continue;
            wire[i] = flipped;
            c->sim->stats.crc_errors++;
            break;
        }
    }
    /* Real devices put a 0x00 before most frames (sent with the frame, in one go). */
    static uint8_t out[1 + sizeof wire];
    size_t used = 0;
    if (conn_random(c) % 4 != 0)
        out[used++] = 0;
    memcpy(out + used, wire, n);
    rct_send_now(c->bev, out, used + n);
}

static uint8_t response_command(uint8_t request_cmd, size_t payload_len)
{
    bool plant = request_cmd & RCT_PLANT_FLAG;
    bool is_long = payload_len > 251 - (plant ? 4 : 0) || request_cmd == RCT_CMD_WRITE;
    uint8_t cmd = is_long ? RCT_CMD_LONG_RESPONSE : RCT_CMD_RESPONSE;
    return plant ? (uint8_t)(cmd | RCT_PLANT_FLAG) : cmd;
}

static void flush_pending(struct sim_conn *c, bool cut_short)
{
    if (!c->pending)
        return;
    c->pending = false;
    evtimer_del(c->answer_timer);
    size_t len = c->pending_len;
    if (cut_short && len > 1) {
        /* The device stops mid-answer but still closes the frame with a valid CRC. */
        len = 1 + conn_random(c) % (len - 1);
        c->sim->stats.truncated++;
    }
    send_frame(c, response_command(c->pending_cmd, len), c->pending_addr, c->pending_oid,
               c->pending_payload, len, c->pending_crc_error);
    c->sim->stats.answers++;
    /* The device's network bridge copies every answer to every open connection. */
    if (c->sim->cfg.quirks.broadcast)
        for (struct sim_conn *o = c->sim->conns; o; o = o->next)
            if (o != c && o->bev)
                send_frame(o, response_command(c->pending_cmd, len), c->pending_addr,
                           c->pending_oid, c->pending_payload, len, false);
    const struct sim_quirks *q = &c->sim->cfg.quirks;
    if (chance(c, q->foreign)) {
        /* Another client polled something: its answer reaches us too. */
        const struct rct_oid_info *info =
            rct_registry_at(conn_random(c) % rct_registry_count());
        uint8_t payload[RCT_FRAME_MAX_PAYLOAD];
        size_t plen;
        if (info->kind != RCT_KIND_HISTORY &&
            sim_read_payload(c->sim, info->oid, sim_now(c->sim), payload, sizeof payload, &plen)) {
            send_frame(c, response_command(RCT_CMD_READ, plen), 0, info->oid, payload, plen,
                       false);
            c->sim->stats.foreign++;
        }
    }
}

static void on_answer_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    flush_pending(arg, false);
}

static bool is_allowed_request(const struct rct_frame *f)
{
    if ((f->command == RCT_CMD_READ || f->command == RCT_CMD_PLANT_READ) && f->payload_len == 0)
        return true;
    if (f->command == RCT_CMD_WRITE && f->payload_len == 4)
        return rct_registry_is_history(rct_registry_by_id(f->oid));
    return false;
}

static void handle_request(const struct rct_frame *f, void *arg)
{
    struct sim_conn *c = arg;
    struct sim *sim = c->sim;
    const struct sim_quirks *q = &sim->cfg.quirks;
    if (f->error != RCT_FRAME_OK || rct_command_is_response(f->command))
        return;
    sim->stats.requests++;
    if (!is_allowed_request(f)) {
        /* A read-only client never sends these; a real device would obey them. The
         * simulator only counts and reports them, and never changes any state. */
        sim->stats.forbidden_frames++;
        fprintf(stderr, "[sim] FORBIDDEN %s to 0x%08X from %s (ignored)\n",
                rct_command_name(f->command) ? rct_command_name(f->command) : "?",
                (unsigned)f->oid, c->peer);
        return;
    }
    if (c->pending)
        flush_pending(c, q->truncate);

    if (sim->silent) {
        log_request(c, f, "(silent: --at)");
        return;
    }
    double now = sim_now(sim);
    if (!sim_awake(sim, now)) {
        sim->stats.silent_at_night++;
        log_request(c, f, "(night: silent)");
        return;
    }
    bool ok;
    size_t len = 0;
    if (f->command == RCT_CMD_WRITE) {
        uint32_t before = (uint32_t)f->payload[0] << 24 | (uint32_t)f->payload[1] << 16 |
                          (uint32_t)f->payload[2] << 8 | f->payload[3];
        sim->stats.history_queries++;
        ok = sim_history_payload(sim, f->oid, before, c->pending_payload,
                                 sizeof c->pending_payload, &len);
        if (ok && sim->cfg.bad_page_after && ++c->history_answers > sim->cfg.bad_page_after &&
            len >= 4) {
            len = 7;  /* neither 4 + 8n nor 4 + 20n: no page decodes from it */
            sim->stats.bad_pages++;
        }
    } else {
        ok = sim_read_payload(sim, f->oid, now, c->pending_payload, sizeof c->pending_payload,
                              &len);
    }
    if (!ok) {
        sim->stats.unknown++;
        log_request(c, f, "(unknown OID: no answer)");
        return;
    }
    if (chance(c, q->drop)) {
        sim->stats.dropped++;
        log_request(c, f, "(dropped)");
        return;
    }
    log_request(c, f, "");
    if (chance(c, q->noise))
        write_noise(c);
    c->pending = true;
    c->pending_cmd = f->command;
    c->pending_oid = f->oid;
    c->pending_addr = f->address;
    c->pending_len = (uint16_t)len;
    c->pending_crc_error = chance(c, q->crc_errors);
    int delay = q->latency_ms + (q->jitter_ms > 0 ? (int)(conn_random(c) % (uint32_t)(q->jitter_ms + 1)) : 0);
    if (delay <= 0) {
        flush_pending(c, false);
        return;
    }
    struct timeval tv = {delay / 1000, (delay % 1000) * 1000};
    evtimer_add(c->answer_timer, &tv);
}

static void take_bytes(struct sim_conn *c, const uint8_t *chunk, size_t n)
{
    c->sim->stats.bytes_in += (uint64_t)n;
    c->bytes_in += (uint64_t)n;
    if (c->sim->cfg.record) {
        fwrite(chunk, 1, n, c->sim->cfg.record);
        fflush(c->sim->cfg.record);
    }
    rct_decoder_feed(&c->dec, chunk, n, handle_request, c);
}

/* Without simulated latency the device answers at once, like a UART that never sleeps:
 * after an answer it keeps listening for a moment, so a fast client's next request does
 * not wait for this process to be woken (slow on virtual machines). */
#define SIM_LISTEN_US 300

static void on_client_read(struct bufferevent *bev, void *arg)
{
    struct sim_conn *c = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    uint8_t chunk[2048];
    int n;
    while ((n = evbuffer_remove(in, chunk, sizeof chunk)) > 0)
        take_bytes(c, chunk, (size_t)n);
    const struct sim_quirks *q = &c->sim->cfg.quirks;
    evutil_socket_t fd = bufferevent_getfd(bev);
    static long cpus = -1;
    if (cpus < 0)
        cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (fd < 0 || cpus < 2 || q->latency_ms > 0 || q->jitter_ms > 0)
        return;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        ssize_t got = recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (got > 0) {
            take_bytes(c, chunk, (size_t)got);
            clock_gettime(CLOCK_MONOTONIC, &t0);
            continue;
        }
        if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            return;  /* closed or failed: the event loop finds out */
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) * 1000000 + (t.tv_nsec - t0.tv_nsec) / 1000 > SIM_LISTEN_US)
            return;
    }
}

static void on_client_event(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    struct sim_conn *c = arg;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        if (c->sim->cfg.verbose)
            fprintf(stderr, "[sim] %s disconnected (%llu bytes received from it)\n", c->peer,
                    (unsigned long long)c->bytes_in);
        conn_free(c);
    }
}

static void on_disconnect_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct sim_conn *c = arg;
    c->sim->stats.disconnects++;
    if (c->sim->cfg.verbose)
        fprintf(stderr, "[sim] dropping %s (--disconnect-every)\n", c->peer);
    conn_free(c);
}

static void on_unsolicited_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct sim_conn *c = arg;
    /* Real devices push net.package as a WRITE about once a second. */
    uint8_t payload[8];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)conn_random(c);
    send_frame(c, RCT_CMD_WRITE, 0, NET_PACKAGE_OID, payload, sizeof payload, false);
    c->sim->stats.unsolicited++;
}

static void arm_seconds(struct event *ev, double seconds)
{
    struct timeval tv = {(time_t)seconds, (suseconds_t)(fmod(seconds, 1.0) * 1e6)};
    evtimer_add(ev, &tv);
}

bool sim_serve_bufferevent(struct sim *sim, struct bufferevent *bev)
{
    const struct sim_quirks *q = &sim->cfg.quirks;
    sim->stats.connections++;
    if (q->max_clients > 0 && sim->clients >= q->max_clients) {
        sim->stats.refused_connections++;
        bufferevent_free(bev);
        return false;
    }
    struct sim_conn *c = calloc(1, sizeof *c);
    if (!c) {
        bufferevent_free(bev);
        return false;
    }
    sim->clients++;
    c->sim = sim;
    c->next = sim->conns;
    sim->conns = c;
    c->bev = bev;
    c->rng = sim->cfg.seed * 2654435761u + (uint32_t)(++sim->conn_serial) * 40503u + 1u;
    if (sim->unit_number)  /* in a plant, whose client it is */
        snprintf(c->peer, sizeof c->peer, "unit %u client %llu", (unsigned)sim->unit_number,
                 (unsigned long long)sim->conn_serial);
    else
        snprintf(c->peer, sizeof c->peer, "client %llu", (unsigned long long)sim->conn_serial);
    rct_decoder_init(&c->dec);
    c->answer_timer = evtimer_new(sim->base, on_answer_timer, c);
    if (q->disconnect_every_s > 0) {
        c->disconnect_timer = evtimer_new(sim->base, on_disconnect_timer, c);
        arm_seconds(c->disconnect_timer, q->disconnect_every_s);
    }
    if (q->unsolicited_s > 0) {
        c->unsolicited_timer = event_new(sim->base, -1, EV_PERSIST, on_unsolicited_timer, c);
        arm_seconds(c->unsolicited_timer, q->unsolicited_s);
    }
    bufferevent_setcb(bev, on_client_read, NULL, on_client_event, c);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    if (sim->cfg.verbose)
        fprintf(stderr, "[sim] %s connected\n", c->peer);
    return true;
}

static void on_accept(struct evconnlistener *listener, evutil_socket_t fd, struct sockaddr *addr,
                      int socklen, void *arg)
{
    (void)listener;
    (void)addr;
    (void)socklen;
    struct sim *sim = arg;
    /* Small answers go out at once: with Nagle, the 0x00 before a frame held the frame
     * back until the client's delayed ACK, 40 ms and more per answer. */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct bufferevent *bev = bufferevent_socket_new(sim->base, fd, BEV_OPT_CLOSE_ON_FREE);
    if (bev)
        sim_serve_bufferevent(sim, bev);
    else
        evutil_closesocket(fd);
}

bool sim_listen(struct sim *sim, const char *host, uint16_t port, uint16_t *bound_port)
{
    /* Built by hand: libevent's address parser refuses port 0 ("pick one"). */
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    int sslen;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        sslen = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        sslen = sizeof *v6;
    } else if (strcmp(host, "localhost") == 0) {
        v4->sin_family = AF_INET;
        v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        v4->sin_port = htons(port);
        sslen = sizeof *v4;
    } else {
        return false;
    }
    /* This year's energy totals add up every day so far (a quarter of a second in December,
     * seconds in a sanitizer build): added before listening, not on the first answer, which
     * would come as late as that, where a device answers in milliseconds. */
    struct sim_plant warm;
    sim_plant_at(sim, sim_now(sim), &warm);
    sim->listener = evconnlistener_new_bind(sim->base, on_accept, sim,
                                            LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE, 16,
                                            (struct sockaddr *)&ss, sslen);
    if (!sim->listener)
        return false;
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    if (getsockname(evconnlistener_get_fd(sim->listener), (struct sockaddr *)&bound, &blen) != 0)
        return false;
    *bound_port = ntohs(bound.ss_family == AF_INET6
                            ? ((struct sockaddr_in6 *)&bound)->sin6_port
                            : ((struct sockaddr_in *)&bound)->sin_port);
    sim_set_address(sim, host, *bound_port);
    return true;
}
