/* The link's timing rules as a pure state machine: one request in flight, pacing to the
 * request budget, per-request timeout and retries, reconnect backoff with jitter.
 * The session drives it with events and a clock; tests drive it with a fake clock. */
#ifndef RCT_LINK_H
#define RCT_LINK_H

#include <stdbool.h>
#include <stdint.h>

enum link_state {
    LINK_OFFLINE = 0,     /* not connected; reconnect_at_ms says when to try */
    LINK_CONNECTING,
    LINK_ONLINE,
    LINK_DEGRADED,        /* answered before, but recent requests time out */
    LINK_SILENT,          /* connected, no answer yet on this connection */
};
const char *link_state_name(enum link_state state);

struct link_config {
    double rate;              /* requests per second, 0.1 .. 10000 */
    int64_t timeout_ms;       /* per request */
    int retries;              /* further attempts after the first */
    int64_t connect_timeout_ms;  /* 0: the answer timeout */
    int64_t backoff_base_ms;  /* first reconnect delay */
    int64_t backoff_cap_ms;   /* the longest reconnect delay */
    int degraded_after;       /* consecutive timeouts that make the link DEGRADED */
    int reconnect_after;      /* consecutive timeouts that drop the connection */
    uint32_t seed;            /* jitter; 0: the session draws one */
};
void link_default_config(struct link_config *config);

struct link {
    struct link_config cfg;
    enum link_state state;
    bool pending;
    uint32_t pending_oid;
    int attempt;              /* 1 for the first send of the pending request */
    int64_t sent_ms;
    double tokens;            /* pacing as a token bucket: a send costs one token; tokens */
    int64_t tokens_ms;        /* accrue at `rate` per second, up to link_burst() */
    int64_t connect_started_ms;
    int consecutive_timeouts;
    int failures;             /* connection failures since the last good exchange */
    int64_t reconnect_at_ms;
    uint32_t rng;
    /* Round-trip estimate of this connection, as TCP keeps it (RFC 6298): smoothed RTT
     * and its mean deviation, from first attempts only (a retry's answer is ambiguous). */
    double srtt_ms, rttvar_ms;
    unsigned rtt_samples;
};

/* The shortest answer timeout the estimate may set: devices pause now and then. */
#define LINK_MIN_TIMEOUT_MS 500
/* Answers before the estimate replaces the configured timeout. */
#define LINK_RTT_WARMUP 1

void link_init(struct link *link, const struct link_config *config);
/* Connection lifecycle. */
void link_connecting(struct link *link, int64_t now_ms);
void link_connected(struct link *link, int64_t now_ms);
/* The connection failed or dropped: pending request is dropped (the caller retries it
 * later); returns the delay until the next attempt (exponential, jittered, capped). */
int64_t link_disconnected(struct link *link, int64_t now_ms);

/* May a new request start now? (connected, nothing in flight, pacing allows) */
bool link_can_send(const struct link *link, int64_t now_ms);
void link_sent(struct link *link, uint32_t oid, int64_t now_ms);
/* A retry of the pending request is being sent. */
void link_resent(struct link *link, int64_t now_ms);

enum link_outcome {
    LINK_NOTHING = 0,
    LINK_COMPLETED,       /* the pending request got its answer */
    LINK_RETRY,           /* send the pending request again (when link_can_send) */
    LINK_GAVE_UP,         /* retries exhausted: move on */
    LINK_RECONNECT,       /* too many timeouts in a row: drop and reconnect */
};
/* A good answer for oid arrived; completes the request only if it is the pending OID. */
enum link_outcome link_answer(struct link *link, uint32_t oid, int64_t now_ms);
/* An answer for the pending OID arrived but was unusable (truncated, wrong size). */
enum link_outcome link_bad_answer(struct link *link, uint32_t oid, int64_t now_ms);
/* Call when time passes: reports a timeout's consequence, or a connect timeout. */
enum link_outcome link_poll(struct link *link, int64_t now_ms);
/* The answer timeout in force: the configured one until LINK_RTT_WARMUP answers are in,
 * then SRTT + 4 RTTVAR, never below LINK_MIN_TIMEOUT_MS nor above the configured one. */
int64_t link_timeout_ms(const struct link *link);
/* How long a connect may take before it counts as failed. */
int64_t link_connect_timeout_ms(const struct link *link);
/* Give up waiting: the next reconnect attempt is due now (a user asked to retry). */
void link_retry_now(struct link *link, int64_t now_ms);
/* True while connected (answered or not): requests may be sent. */
bool link_is_connected(const struct link *link);
/* The next moment link_poll or link_can_send may change its answer. */
int64_t link_next_event_ms(const struct link *link);

#endif
