/* Inside the session: its state, and the steps that live traffic (session.c) and a
 * replayed recording (session_replay.c) share. Not part of the public surface. */
#ifndef RCT_SESSION_INTERNAL_H
#define RCT_SESSION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/codec/frame.h"
#include "proto/codec/request.h"
#include "proto/core/link.h"
#include "proto/core/scheduler.h"
#include "proto/core/session.h"

#define RATE_WINDOW 32
#define SESSION_SUSPECTS_MAX 64

/* An OID that went unanswered while it never was answered: not supported, or lost? */
struct session_suspect {
    uint32_t oid;
    int rounds;                  /* polling rounds it went unanswered in */
    uint64_t requests, answers;  /* known_requests, known_answers when its first round ended */
    bool ripe;                   /* unanswered in two rounds: judged at the next answer */
};

struct session {
    struct event_base *base;
    struct session_config cfg;
    char host[256];
    struct store *store;
    struct scheduler *sched;
    struct session_callbacks cb;
    void *ctx;

    struct bufferevent *bev;
    struct event *timer;
    struct link link;
    struct rct_decoder *dec;
    bool ever_connected;
    char detail[320];
    int64_t unreachable_since_unix_ms;   /* 0 while answers come */

    bool has_current;            /* a request is ours until answered or given up */
    bool resend;                 /* ...and must be sent again */
    struct sched_request current;
    struct rct_request wire;

    struct rct_decoder *sent_dec;        /* replay: the requests in the recording */

    uint32_t last_answered;      /* the last OID read that the device answered */
    struct session_suspect suspects[SESSION_SUSPECTS_MAX];
    size_t nsuspects;
    /* Requests for OIDs the device answered before, and their answers: whether it answers
     * what it knows (silence about the others then means it does not know them). */
    uint64_t known_requests, known_answers;
    bool asked_known;            /* the request in flight is such an OID */
    unsigned blind_probes;       /* well-known OIDs probed before any answer */

    struct session_counters counters;
    int64_t sent_at[RATE_WINDOW];
    unsigned sent_head, sent_len;
};

/* The time of a record of kind ('>', '<', '!') at clock_mono_us(), kept in the counters. */
int64_t session_stamp(struct session *s, char kind);
/* Reports the link's state (and why) to the owner. */
void session_set_state(struct session *s, const char *detail, int64_t retry_in_ms);
/* One frame or event for the owner's log. */
void session_report(struct session *s, enum session_frame_class cls, uint8_t command,
                    uint32_t oid, const uint8_t *payload, uint16_t len, int64_t rtt_ms);
/* The request in flight is done (answered, or given up). */
void session_finish_current(struct session *s, bool ok);
/* The connection is gone: offline until the next attempt, delay_ms from now (-1: the
 * link's own backoff). Returns the delay. */
int64_t session_note_disconnected(struct session *s, int64_t delay_ms);
void session_note_connected(struct session *s);
/* A request went out now (counts it for the rate). */
void session_note_sent(struct session *s, int64_t now);
/* The request in flight timed out with outcome o. */
void session_timed_out(struct session *s, enum link_outcome o, int64_t now);
/* OIDs the device does not know (session_oids.c). A request's first send: an OID never
 * answered, while the device answers others, gets one retry, not all of them. */
void session_oids_first_send(struct session *s);
/* Any send of the request in flight, and its answer: kept for the share answered. */
void session_oids_sent(struct session *s);
void session_oids_answered(struct session *s);
/* A read of an OID never answered gave up: a suspect for one round (asked again in the
 * next, at the end of a one-shot plan), ripe after its second; then an OID the device
 * answers (or, before any answer, one every device knows) is queued as a probe. */
bool session_oids_gave_up(struct session *s, const struct sched_request *req);
/* The device answered `answered`: a ripe suspect is confirmed not supported (the store
 * and scheduler are told) when the device answered most other requests since its first
 * round, else it starts over; the confirmed OIDs go to out (for the log). Returns how
 * many. */
size_t session_oids_confirm(struct session *s, uint32_t answered, int64_t now_ms, uint32_t *out,
                            size_t max);
/* The connection is gone: suspicion needs a device that answers. */
void session_oids_forget(struct session *s);
/* Whether a one-shot plan's request (s->current, not sent yet) is for an OID of a family
 * the device was found not to know (two members found not supported, none answered): a
 * firmware knows a family whole or not at all, so it is settled without a frame. */
bool session_oids_inferred(const struct session *s);
/* Received bytes: decoded, every frame handled. */
void session_feed(struct session *s, const uint8_t *chunk, size_t n);

#endif
