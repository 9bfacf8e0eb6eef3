/* The session: one libevent connection to a device (TCP, or any bufferevent a factory
 * hands over, e.g. the in-process simulator). It asks the scheduler what to read, sends
 * it through the read-only request builders, matches answers by OID, stores every
 * reading, and reconnects politely. The event base is passed in, never global. */
#ifndef RCT_SESSION_H
#define RCT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/link.h"
#include "proto/core/scheduler.h"
#include "proto/core/store.h"

struct event_base;
struct bufferevent;

/* Makes a fresh connected (or connecting) bufferevent; NULL on failure. */
typedef struct bufferevent *(*session_transport_fn)(struct event_base *base, void *ctx);

/* Where every byte both ways ('>' sent, '<' received) and every connection note ('!',
 * text) goes as it happens: a recording (proto/capture/record.h: recorder_tap). */
struct session_tap {
    void (*fn)(void *ctx, char kind, int64_t mono_us, const uint8_t *data, size_t len);
    void *ctx;
};

struct session_config {
    const char *host;               /* used when transport is NULL */
    uint16_t port;                  /* default 8899 */
    struct link_config link;
    session_transport_fn transport; /* optional: replaces TCP */
    bool listen_only;               /* send nothing at all: learn from other clients' answers */
    struct session_tap tap;         /* optional: every byte both ways and the notes */
    bool replay;                    /* no connection: fed a recording by session_replay */
    void *transport_ctx;
};
void session_default_config(struct session_config *config);

enum session_frame_class {
    SESSION_SENT = 0,       /* a request we sent */
    SESSION_ANSWER,         /* the answer to our pending request */
    SESSION_FOREIGN,        /* a response nobody here asked for (another client's) */
    SESSION_UNSOLICITED,    /* not a response: other clients' requests, net.package */
    SESSION_TRUNCATED,      /* answer whose payload does not fit the type */
    SESSION_CRC_ERROR,
    SESSION_BROKEN,         /* cut off, bad length */
    SESSION_TIMEOUT,        /* no answer in time (no frame) */
    SESSION_UNSUPPORTED,    /* an OID the device does not know (it answers the others) */
};
const char *session_frame_class_name(enum session_frame_class cls);

/* What happened on the wire, for the Link pane and -v. Valid during the callback only. */
struct session_event {
    int64_t mono_ms;
    int64_t unix_ms;
    enum session_frame_class cls;
    uint8_t command;
    uint32_t oid;
    const uint8_t *payload;
    uint16_t payload_len;
    int64_t rtt_ms;          /* SESSION_ANSWER */
    int attempt;             /* SESSION_SENT / SESSION_TIMEOUT */
    int max_attempts;
    uint16_t crc_received, crc_computed;
};

struct session_counters {
    uint64_t requests, answers, timeouts, retries, gave_up;
    uint64_t crc_errors, truncated, foreign, unsolicited, broken;
    uint64_t noise_bytes, bytes_in, bytes_out;
    uint64_t connects, reconnects;
    uint64_t unsupported;    /* OIDs found not supported by this device */
    uint64_t unsupported_requests;  /* the requests spent finding them out */
    uint64_t suspect_requests;      /* ... and on OIDs not judged yet (unanswered in one round) */
    /* The counters ran from the first record to the last frame heard: times a replay
     * reads back from the recording exactly, so a rate over them is the same in both. */
    int64_t first_us, heard_us;
    double rate;             /* requests per second over the last few seconds */
};

struct session_callbacks {
    /* State changes; retry_in_ms > 0 when offline and a reconnect is planned. */
    void (*on_state)(void *ctx, enum link_state state, const char *detail, int64_t retry_in_ms);
    void (*on_event)(void *ctx, const struct session_event *event);
    /* A scheduled request ended: answered (ok) or given up. */
    void (*on_done)(void *ctx, const struct sched_request *req, bool ok);
    /* A history answer page for our pending history query (req says which query). */
    void (*on_history)(void *ctx, const struct sched_request *req, const uint8_t *payload,
                       uint16_t len);
};

struct session;
struct session *session_new(struct event_base *base, const struct session_config *config,
                            struct store *store, struct scheduler *sched,
                            const struct session_callbacks *callbacks, void *ctx);
void session_free(struct session *session);
/* Starts connecting; everything after that happens in the event loop. */
void session_start(struct session *session);
/* Something new was scheduled (plan, history, watched): send now if allowed. */
void session_kick(struct session *session);
/* Offline and waiting out the backoff: try to connect now (the user pressed retry). */
void session_retry_now(struct session *session);

enum link_state session_state(const struct session *session);
const char *session_state_detail(const struct session *session);
int64_t session_retry_at_ms(const struct session *session);
bool session_ever_connected(const struct session *session);
/* Wall-clock ms since which the device has been out of reach (offline after the last
 * answer, or since the first failed connect); 0 unless offline now. */
int64_t session_unreachable_since_ms(const struct session *session);
/* The answer timeout in force (follows the round-trip estimate) and that estimate
 * (smoothed RTT in ms, -1 before the first answer on this connection). */
int64_t session_timeout_ms(const struct session *session);
/* Listen-only: distinct OIDs heard and answers heard in all. */
void session_heard(const struct session *session, unsigned *distinct_oids, uint64_t *answers);
double session_srtt_ms(const struct session *session);
const struct session_counters *session_counters(const struct session *session);

/* Replay: one record of a recording, with the clock (proto/clock.h) already at its time.
 * Sent bytes become the requests in flight, received bytes are answers as they were,
 * notes drive the link's state; a resent request means the one before timed out. */
void session_replay(struct session *session, char kind, const uint8_t *data, size_t len);

/* Monotonic and wall clock in milliseconds, the clocks the session stamps with. */
int64_t session_mono_ms(void);
int64_t session_unix_ms(void);

#endif
