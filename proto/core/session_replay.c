/* A session fed a recording instead of a socket: the requests in it become the request
 * in flight, the answers go through the same frame handling as live, a resend means the
 * request before it timed out, and the notes drive connects and disconnects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "proto/core/scheduler.h"
#include "proto/core/session.h"
#include "proto/core/session_internal.h"

/* A request timed out (the recording shows it was sent again, or something else was
 * sent after it): the same consequences as when the timer found it live. */
static void replay_timeout(struct session *s, int64_t now)
{
    if (!s->link.pending)
        return;
    /* The live timer fired at the recorded moment; our estimate may be a hair later. */
    int64_t due = s->link.sent_ms + link_timeout_ms(&s->link);
    enum link_outcome o = link_poll(&s->link, now > due ? now : due);
    if (o != LINK_RECONNECT)  /* (then the recording's "disconnected" note follows) */
        session_timed_out(s, o, now);
}

/* A recording cut out of a longer one (the kept last minutes) starts mid-connection. */
static void assume_connected(struct session *s)
{
    if (link_is_connected(&s->link))
        return;
    session_note_connected(s);
    session_set_state(s, "", 0);
}

static void replay_request(const struct rct_frame *f, void *arg)
{
    struct session *s = arg;
    if (f->error != RCT_FRAME_OK)
        return;
    struct sched_request req = {.oid = f->oid, .kind = SCHED_READ};
    if (f->command == RCT_CMD_WRITE || f->command == RCT_CMD_LONG_WRITE) {
        if (f->payload_len != 4)
            return;  /* not a history query: rcttop never sent one */
        req.kind = SCHED_HISTORY;
        req.ts = (uint32_t)f->payload[0] << 24 | (uint32_t)f->payload[1] << 16 |
                 (uint32_t)f->payload[2] << 8 | f->payload[3];
    } else if (f->command != RCT_CMD_READ) {
        return;
    }
    int64_t now = session_mono_ms();
    assume_connected(s);
    /* The same request again is a retry of it; another one means it was given up. */
    bool same = s->has_current && s->current.oid == req.oid && s->current.kind == req.kind &&
                s->current.ts == req.ts;
    replay_timeout(s, now);
    if (s->has_current && !same)
        session_finish_current(s, false);
    bool retry = same && s->has_current && s->link.pending_oid == req.oid;
    if (!s->has_current) {
        if (req.kind == SCHED_READ && scheduler_take_probe(s->sched, req.oid)) {
            req.max_attempts = 1;  /* as live: a probe is asked once */
            req.probe = true;
        }
        s->has_current = true;
        s->current = req;
        retry = false;
    }
    if (retry) {
        link_resent(&s->link, now);
        s->counters.retries++;
    } else {
        /* Live, an OID never answered gets fewer attempts: the replay must count the same. */
        session_oids_first_send(s);
        link_sent(&s->link, req.oid, now);
    }
    session_oids_sent(s);
    s->resend = false;
    s->counters.requests++;
    session_note_sent(s, now);
    session_report(s, SESSION_SENT, req.kind == SCHED_HISTORY ? RCT_CMD_WRITE : RCT_CMD_READ, req.oid,
           NULL, 0, 0);
}

static void replay_note(struct session *s, const char *text)
{
    int64_t now = session_mono_ms();
    if (!strncmp(text, "connecting", 10)) {
        link_connecting(&s->link, now);
        session_set_state(s, text, 0);
    } else if (!strncmp(text, "connected", 9)) {
        rct_decoder_init(s->dec);
        rct_decoder_init(s->sent_dec);
        session_note_connected(s);
        session_set_state(s, "", 0);
    } else if (!strncmp(text, "disconnected: ", 14)) {
        char why[200];
        snprintf(why, sizeof why, "%.199s", text + 14);
        long long delay = -1;  /* recordings before rcttop noted the delay: the link's own */
        char *retry = strstr(why, "; retry in ");
        if (retry) {
            delay = atoll(retry + 11);
            *retry = '\0';
        }
        rct_decoder_init(s->sent_dec);
        session_set_state(s, why, session_note_disconnected(s, delay < 0 ? -1 : delay));
    }
}

void session_replay(struct session *s, char kind, const uint8_t *data, size_t len)
{
    if (!s->cfg.replay)
        return;
    session_stamp(s, kind);
    if (kind == '>') {
        s->counters.bytes_out += (uint64_t)len;
        rct_decoder_feed(s->sent_dec, data, len, replay_request, s);
    } else if (kind == '<') {
        assume_connected(s);
        session_feed(s, data, len);
    } else if (kind == '!') {
        /* A recording is a file from elsewhere: its notes reach the status bar. */
        char text[256];
        rct_sanitize((const char *)data, len < 200 ? len : 200, text, sizeof text);
        replay_note(s, text);
    }
}
