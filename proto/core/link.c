/* Timing rules of the link, kept free of I/O so the properties that protect the device
 * (one in flight, the request budget, polite backoff) are checked with a fake clock. */
#include "proto/core/link.h"

#include <math.h>
#include <stdint.h>


const char *link_state_name(enum link_state state)
{
    switch (state) {
    case LINK_OFFLINE: return "offline";
    case LINK_CONNECTING: return "connecting";
    case LINK_ONLINE: return "online";
    case LINK_DEGRADED: return "degraded";
    case LINK_SILENT: return "connected, no answer yet";
    }
    return "?";
}

void link_default_config(struct link_config *config)
{
    config->rate = 4.0;
    config->timeout_ms = 2000;
    config->retries = 3;
    config->connect_timeout_ms = 0;  /* the answer timeout */
    config->backoff_base_ms = 1000;
    /* A dead device costs one SYN per attempt: waiting longer than this only delays the
     * return of a device that is back. */
    config->backoff_cap_ms = 10000;
    config->degraded_after = 3;
    config->reconnect_after = 8;
    config->seed = 0;  /* the session draws one: clients that lost one device must not return in step */
}

int64_t link_connect_timeout_ms(const struct link *link)
{
    return link->cfg.connect_timeout_ms > 0 ? link->cfg.connect_timeout_ms : link->cfg.timeout_ms;
}

void link_init(struct link *link, const struct link_config *config)
{
    *link = (struct link){0};
    link->cfg = *config;
    if (link->cfg.rate < 0.1)
        link->cfg.rate = 0.1;
    if (link->cfg.rate > 10000)
        link->cfg.rate = 10000;
    link->rng = config->seed ? config->seed : 1;
    link->state = LINK_OFFLINE;
}

/* The largest burst: one request at device rates (the budget is kept request by request,
 * lateness is never made up), 10 ms worth at test-bench rates above 100/s, where a
 * millisecond clock could not space requests evenly. */
static double burst(const struct link *link)
{
    double b = link->cfg.rate / 100.0;
    return b < 1.0 ? 1.0 : b;
}

static void refill(struct link *link, int64_t now_ms)
{
    if (now_ms > link->tokens_ms) {
        link->tokens += (double)(now_ms - link->tokens_ms) * link->cfg.rate / 1000.0;
        link->tokens_ms = now_ms;
    }
    if (link->tokens > burst(link))
        link->tokens = burst(link);
}

static void schedule_next(struct link *link, int64_t now_ms)
{
    refill(link, now_ms);
    link->tokens -= 1.0;
}

static uint32_t next_random(struct link *link)
{
    /* xorshift32: jitter needs spread, not cryptographic strength. */
    uint32_t x = link->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    link->rng = x;
    return x;
}

void link_connecting(struct link *link, int64_t now_ms)
{
    link->state = LINK_CONNECTING;
    link->connect_started_ms = now_ms;
}

void link_connected(struct link *link, int64_t now_ms)
{
    link->state = LINK_SILENT;
    link->pending = false;
    link->consecutive_timeouts = 0;
    link->tokens = 1.0;
    link->tokens_ms = now_ms;
    link->srtt_ms = link->rttvar_ms = 0;
    link->rtt_samples = 0;
}

bool link_is_connected(const struct link *link)
{
    return link->state == LINK_ONLINE || link->state == LINK_DEGRADED ||
           link->state == LINK_SILENT;
}

int64_t link_timeout_ms(const struct link *link)
{
    if (link->rtt_samples < LINK_RTT_WARMUP)
        return link->cfg.timeout_ms;
    double t = link->srtt_ms + 4.0 * link->rttvar_ms;
    if (t < LINK_MIN_TIMEOUT_MS)
        t = LINK_MIN_TIMEOUT_MS;
    if (t > (double)link->cfg.timeout_ms)
        t = (double)link->cfg.timeout_ms;
    return (int64_t)t;
}

static void sample_rtt(struct link *link, double rtt)
{
    if (link->rtt_samples++ == 0) {
        link->srtt_ms = rtt;
        link->rttvar_ms = rtt / 2;
        return;
    }
    double err = rtt - link->srtt_ms;
    link->rttvar_ms += ((err < 0 ? -err : err) - link->rttvar_ms) / 4;
    link->srtt_ms += err / 8;
}

int64_t link_disconnected(struct link *link, int64_t now_ms)
{
    link->state = LINK_OFFLINE;
    link->pending = false;
    link->failures++;
    int64_t delay = link->cfg.backoff_base_ms;
    for (int i = 1; i < link->failures && delay < link->cfg.backoff_cap_ms; i++)
        delay *= 2;
    if (delay > link->cfg.backoff_cap_ms)
        delay = link->cfg.backoff_cap_ms;
    /* +-25 % jitter, so several clients that lost the same device do not return in step;
     * the cap is never exceeded. */
    int64_t spread = delay / 4;
    if (spread > 0)
        delay += (int64_t)(next_random(link) % (uint32_t)(2 * spread + 1)) - spread;
    if (delay > link->cfg.backoff_cap_ms)
        delay = link->cfg.backoff_cap_ms;
    link->reconnect_at_ms = now_ms + delay;
    return delay;
}

void link_retry_now(struct link *link, int64_t now_ms)
{
    if (link->state == LINK_OFFLINE)
        link->reconnect_at_ms = now_ms;
}

bool link_can_send(const struct link *link, int64_t now_ms)
{
    /* Whole-millisecond clock: a send due within this millisecond may go now. */
    if (!link_is_connected(link) || link->pending)
        return false;
    double tokens = link->tokens;
    if (now_ms > link->tokens_ms)
        tokens += (double)(now_ms - link->tokens_ms) * link->cfg.rate / 1000.0;
    return tokens >= 1.0 - 1e-9;
}

void link_sent(struct link *link, uint32_t oid, int64_t now_ms)
{
    link->pending = true;
    link->pending_oid = oid;
    link->attempt = 1;
    link->sent_ms = now_ms;
    schedule_next(link, now_ms);
}

void link_resent(struct link *link, int64_t now_ms)
{
    link->pending = true;
    link->attempt++;
    link->sent_ms = now_ms;
    schedule_next(link, now_ms);
}

enum link_outcome link_answer(struct link *link, uint32_t oid, int64_t now_ms)
{
    if (!link->pending || oid != link->pending_oid)
        return LINK_NOTHING;
    link->pending = false;
    link->consecutive_timeouts = 0;
    link->failures = 0;  /* a good exchange resets the reconnect backoff */
    /* Karn: a retry's answer may belong to an earlier attempt, so it is no sample, except
     * for the very first one: a device that lost the first answers would otherwise keep
     * the long configured timeout for every loss after. */
    if (link->attempt == 1 || link->rtt_samples == 0)
        sample_rtt(link, (double)(now_ms - link->sent_ms));
    link->state = LINK_ONLINE;
    return LINK_COMPLETED;
}

static enum link_outcome retry_or_give_up(struct link *link)
{
    link->pending = false;
    return link->attempt <= link->cfg.retries ? LINK_RETRY : LINK_GAVE_UP;
}

enum link_outcome link_bad_answer(struct link *link, uint32_t oid, int64_t now_ms)
{
    (void)now_ms;
    if (!link->pending || oid != link->pending_oid)
        return LINK_NOTHING;
    return retry_or_give_up(link);
}

enum link_outcome link_poll(struct link *link, int64_t now_ms)
{
    if (link->state == LINK_CONNECTING &&
        now_ms - link->connect_started_ms >= link_connect_timeout_ms(link))
        return LINK_RECONNECT;
    if (!link->pending || now_ms - link->sent_ms < link_timeout_ms(link))
        return LINK_NOTHING;
    link->consecutive_timeouts++;
    if (link->consecutive_timeouts >= link->cfg.degraded_after && link->state == LINK_ONLINE)
        link->state = LINK_DEGRADED;
    if (link->consecutive_timeouts >= link->cfg.reconnect_after) {
        link->pending = false;
        return LINK_RECONNECT;
    }
    return retry_or_give_up(link);
}

int64_t link_next_event_ms(const struct link *link)
{
    switch (link->state) {
    case LINK_OFFLINE:
        return link->reconnect_at_ms;
    case LINK_CONNECTING:
        return link->connect_started_ms + link_connect_timeout_ms(link);
    default:
        if (link->pending)
            return link->sent_ms + link_timeout_ms(link);
        {
            /* When the next token is there (whole milliseconds, rounded up). */
            double missing = 1.0 - link->tokens;
            if (missing <= 0)
                return link->tokens_ms;
            return link->tokens_ms + (int64_t)ceil(missing * 1000.0 / link->cfg.rate - 1e-9);
        }
    }
}
