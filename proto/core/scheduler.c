/* Tiered read scheduling: one due time per registry OID, a queue of history queries and
 * a one-shot plan. Nothing here knows about sockets or real time. */
#include "proto/core/scheduler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"

#define HISTORY_QUEUE_MAX 64

struct scheduler {
    struct scheduler_config cfg;
    size_t n;
    int64_t *due_ms;        /* per registry index; INT64_MAX = never periodic */
    bool *watched;
    bool *sampled;
    bool *diagnosed;
    bool *is_fault;
    bool *read_ok;          /* answered at least once */
    bool *unsupported;      /* found unknown to the device: asked again only rarely */
    uint8_t *plan_asks;     /* how often the one-shot plan asked it */
    uint32_t *plan;         /* one-shot OIDs, in order */
    size_t plan_len, plan_cap, plan_next;
    struct sched_request history[HISTORY_QUEUE_MAX];
    bool has_probe;
    uint32_t probe;
    size_t history_len;
    bool in_flight;
    struct sched_request current;
    bool current_from_plan;
    bool last_diagnosed;    /* the last periodic pick was for the diagnosis (the share) */
};

void scheduler_default_config(struct scheduler_config *config)
{
    config->fault_period_ms = 5000;
    config->watched_period_ms = 2000;
    config->sampled_period_ms = 10000;
    /* Below a minute, so that with the share's wait every input is at most a minute old. */
    config->diagnosis_period_ms = 50000;
    config->unsupported_retry_ms = 180000;
    config->identity_period_ms = 600000;
    config->background_period_ms = 120000;
    config->setting_period_ms = 600000;
    config->background = true;
    config->faults = true;
    config->plan_second_round = true;
}

static size_t index_of(uint32_t oid)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    return info ? (size_t)(info - rct_registry_at(0)) : SIZE_MAX;
}

int64_t scheduler_period_ms(const struct scheduler *sched, uint32_t oid)
{
    size_t i = index_of(oid);
    if (i == SIZE_MAX)
        return 0;
    const struct rct_oid_info *info = rct_registry_at(i);
    int64_t period = INT64_MAX;
    if (sched->is_fault[i] && sched->cfg.faults)
        period = sched->cfg.fault_period_ms;
    if (sched->watched[i] && sched->cfg.watched_period_ms < period)
        period = sched->cfg.watched_period_ms;
    if (sched->sampled[i] && sched->cfg.sampled_period_ms < period)
        period = sched->cfg.sampled_period_ms;
    if (sched->diagnosed[i] && sched->cfg.diagnosis_period_ms < period)
        period = sched->cfg.diagnosis_period_ms;
    if (period != INT64_MAX)
        return period;
    if (!sched->cfg.background || info->kind == RCT_KIND_HISTORY)
        return 0;
    if (info->kind == RCT_KIND_IDENTITY)
        return sched->cfg.identity_period_ms;
    if (info->kind == RCT_KIND_SETTING)
        return sched->cfg.setting_period_ms;
    return sched->cfg.background_period_ms;
}

static bool periodic(const struct scheduler *sched, size_t i)
{
    const struct rct_oid_info *info = rct_registry_at(i);
    if (info->kind == RCT_KIND_HISTORY)
        return false;  /* history is paged on request, never polled */
    return sched->watched[i] || sched->sampled[i] || sched->diagnosed[i] ||
           (sched->is_fault[i] && sched->cfg.faults) || sched->cfg.background;
}

struct scheduler *scheduler_new(const struct scheduler_config *config)
{
    struct scheduler *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *config;
    s->n = rct_registry_count();
    s->due_ms = calloc(s->n, sizeof *s->due_ms);
    s->watched = calloc(s->n, sizeof *s->watched);
    s->sampled = calloc(s->n, sizeof *s->sampled);
    s->diagnosed = calloc(s->n, sizeof *s->diagnosed);
    s->is_fault = calloc(s->n, sizeof *s->is_fault);
    s->read_ok = calloc(s->n, sizeof *s->read_ok);
    s->unsupported = calloc(s->n, sizeof *s->unsupported);
    s->plan_asks = calloc(s->n, sizeof *s->plan_asks);
    if (!s->due_ms || !s->watched || !s->sampled || !s->diagnosed || !s->is_fault || !s->read_ok || !s->unsupported || !s->plan_asks) {
        scheduler_free(s);
        return NULL;
    }
    for (unsigned w = 0; w < 4; w++) {
        size_t i = index_of(rct_fault_word_oid(w));
        if (i != SIZE_MAX)
            s->is_fault[i] = true;
    }
    /* Everything periodic is due at once; order of first reads comes from the tiers. */
    for (size_t i = 0; i < s->n; i++)
        s->due_ms[i] = 0;
    return s;
}

void scheduler_free(struct scheduler *sched)
{
    if (!sched)
        return;
    free(sched->due_ms);
    free(sched->watched);
    free(sched->sampled);
    free(sched->diagnosed);
    free(sched->is_fault);
    free(sched->read_ok);
    free(sched->unsupported);
    free(sched->plan_asks);
    free(sched->plan);
    free(sched);
}

void scheduler_set_watched(struct scheduler *sched, const uint32_t *oids, size_t n)
{
    bool *was = malloc(sched->n * sizeof *was);
    if (was)
        memcpy(was, sched->watched, sched->n * sizeof *was);
    memset(sched->watched, 0, sched->n * sizeof *sched->watched);
    for (size_t k = 0; k < n; k++) {
        size_t i = index_of(oids[k]);
        if (i == SIZE_MAX)
            continue;
        sched->watched[i] = true;
        /* Newly visible rows are read right away, in the order the caller lists them
         * (most important first), not at their old slow due time. */
        if (was && !was[i])
            sched->due_ms[i] = (int64_t)k - (int64_t)n;
    }
    free(was);
}

void scheduler_set_sampled(struct scheduler *sched, const uint32_t *oids, size_t n)
{
    memset(sched->sampled, 0, sched->n * sizeof *sched->sampled);
    for (size_t k = 0; k < n; k++) {
        size_t i = index_of(oids[k]);
        if (i != SIZE_MAX)
            sched->sampled[i] = true;
    }
}

void scheduler_set_diagnosed(struct scheduler *sched, const uint32_t *oids, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = index_of(oids[k]);
        /* A newly diagnosed input is due now (its first reading decides a verdict), in
         * the order the rules list them. */
        if (i != SIZE_MAX && !sched->diagnosed[i] && !sched->unsupported[i] &&
            sched->due_ms[i] > (int64_t)k - (int64_t)n)
            sched->due_ms[i] = (int64_t)k - (int64_t)n;
    }
    memset(sched->diagnosed, 0, sched->n * sizeof *sched->diagnosed);
    for (size_t k = 0; k < n; k++) {
        size_t i = index_of(oids[k]);
        if (i != SIZE_MAX)
            sched->diagnosed[i] = true;
    }
}

void scheduler_plan_once(struct scheduler *sched, const uint32_t *oids, size_t n)
{
    if (sched->plan_len + n > sched->plan_cap) {
        size_t cap = (sched->plan_len + n) * 2;
        uint32_t *grown = realloc(sched->plan, cap * sizeof *grown);
        if (!grown)
            return;
        sched->plan = grown;
        sched->plan_cap = cap;
    }
    memcpy(sched->plan + sched->plan_len, oids, n * sizeof *oids);
    sched->plan_len += n;
}

bool scheduler_one_shot(const struct scheduler *sched)
{
    return !sched->cfg.background;
}

size_t scheduler_plan_remaining(const struct scheduler *sched)
{
    return sched->plan_len - sched->plan_next + (sched->in_flight && sched->current_from_plan);
}

bool scheduler_plan_again(struct scheduler *sched, uint32_t oid)
{
    /* Two rounds, not more: a plan ends even when a connection drops in every round. */
    size_t i = index_of(oid);
    if (!sched->cfg.plan_second_round || i == SIZE_MAX || sched->plan_asks[i] >= 2)
        return false;
    /* Next, so a line-mode command prints its rows in order and as they are settled. */
    scheduler_plan_once(sched, &oid, 1);
    memmove(sched->plan + sched->plan_next + 1, sched->plan + sched->plan_next,
            (sched->plan_len - 1 - sched->plan_next) * sizeof *sched->plan);
    sched->plan[sched->plan_next] = oid;
    return true;
}

void scheduler_note_unsupported(struct scheduler *sched, uint32_t oid, int64_t now_ms)
{
    size_t i = index_of(oid);
    if (i == SIZE_MAX)
        return;
    sched->unsupported[i] = true;
    if (sched->due_ms[i] != INT64_MAX)
        sched->due_ms[i] = now_ms + sched->cfg.unsupported_retry_ms;
}

bool scheduler_probe_pending(const struct scheduler *sched)
{
    return sched->has_probe || (sched->in_flight && sched->current.probe);
}

void scheduler_probe(struct scheduler *sched, uint32_t oid)
{
    sched->has_probe = true;
    sched->probe = oid;
}

bool scheduler_take_probe(struct scheduler *sched, uint32_t oid)
{
    bool taken = sched->has_probe && sched->probe == oid;
    sched->has_probe = false;
    return taken;
}

void scheduler_queue_history(struct scheduler *sched, uint32_t oid, uint32_t before_ts)
{
    if (sched->history_len >= HISTORY_QUEUE_MAX)
        return;
    sched->history[sched->history_len++] = (struct sched_request){oid, SCHED_HISTORY, before_ts, 0, false, false};
}

void scheduler_cancel_history(struct scheduler *sched)
{
    sched->history_len = 0;
}

/* The most overdue periodic OID of a tier: 0 fault words never answered yet (or late), 1 values on
 * screen never answered yet (a "…" is worse than a value a few seconds old, so a lost
 * answer never lets re-reads jump the queue), 2 fault words, 3 on screen or charted,
 * 4 the diagnosis's inputs, 5 identity, 6 the rest. */
enum { TIER_DIAGNOSED = 4, TIERS = 7 };
static size_t most_overdue(const struct scheduler *sched, int tier, int64_t now_ms)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < sched->n; i++) {
        if (sched->due_ms[i] > now_ms || !periodic(sched, i))
            continue;
        const struct rct_oid_info *info = rct_registry_at(i);
        bool fault = sched->is_fault[i] && sched->cfg.faults;
        /* A fault word overdue by a period goes first too: the fault state must not go
         * unknown while a lossy link fills the screen. */
        bool fault_late = fault && now_ms - sched->due_ms[i] > sched->cfg.fault_period_ms;
        int t = fault && (!sched->read_ok[i] || fault_late) ? 0
                : sched->watched[i] && !sched->read_ok[i] ? 1
                : fault                                   ? 2
                : sched->watched[i] || sched->sampled[i]  ? 3
                : sched->diagnosed[i]                     ? TIER_DIAGNOSED
                : info->kind == RCT_KIND_IDENTITY         ? 5
                                                          : 6;
        if (t != tier)
            continue;
        if (best == SIZE_MAX || sched->due_ms[i] < sched->due_ms[best])
            best = i;
    }
    return best;
}

bool scheduler_next(struct scheduler *sched, int64_t now_ms, struct sched_request *out)
{
    if (sched->in_flight)
        return false;
    sched->current_from_plan = false;
    if (sched->has_probe) {
        *out = (struct sched_request){sched->probe, SCHED_READ, 0, 1, true, false};
        sched->has_probe = false;
    } else if (sched->history_len > 0) {
        *out = sched->history[0];
        memmove(sched->history, sched->history + 1,
                (sched->history_len - 1) * sizeof sched->history[0]);
        sched->history_len--;
    } else if (sched->plan_next < sched->plan_len) {
        *out = (struct sched_request){sched->plan[sched->plan_next++], SCHED_READ, 0, 0, false, true};
        size_t i = index_of(out->oid);
        if (i != SIZE_MAX && sched->plan_asks[i] < UINT8_MAX)
            sched->plan_asks[i]++;
        sched->current_from_plan = true;
    } else {
        size_t pick = SIZE_MAX;
        int tier = 0;
        for (; tier < 3 && pick == SIZE_MAX; tier++)
            pick = most_overdue(sched, tier, now_ms);
        /* The share: when the screen keeps the link busy, every other request is the
         * diagnosis's, so its rules see every input within their period. */
        if (pick == SIZE_MAX && !sched->last_diagnosed)
            pick = most_overdue(sched, TIER_DIAGNOSED, now_ms);
        for (tier = 3; tier < TIERS && pick == SIZE_MAX; tier++)
            pick = most_overdue(sched, tier, now_ms);
        if (pick == SIZE_MAX)
            return false;
        sched->last_diagnosed = sched->diagnosed[pick] && !sched->watched[pick] && !sched->sampled[pick];
        *out = (struct sched_request){rct_registry_at(pick)->oid, SCHED_READ, 0, 0, false, false};
    }
    sched->in_flight = true;
    sched->current = *out;
    return true;
}

static void reschedule(struct scheduler *sched, uint32_t oid, int64_t now_ms)
{
    size_t i = index_of(oid);
    if (i == SIZE_MAX)
        return;
    int64_t period = scheduler_period_ms(sched, oid);
    sched->due_ms[i] = period > 0 ? now_ms + period : INT64_MAX;
}

void scheduler_done(struct scheduler *sched, const struct sched_request *req, bool ok,
                    int64_t now_ms)
{
    /* A given-up OID waits a full period too: a dead OID must not block others. */
    sched->in_flight = false;
    sched->current_from_plan = false;
    size_t i = index_of(req->oid);
    if (ok && req->kind == SCHED_READ && i != SIZE_MAX) {
        sched->read_ok[i] = true;
        sched->unsupported[i] = false;
    }
    if (req->kind == SCHED_READ)
        reschedule(sched, req->oid, now_ms);
}

void scheduler_note_reading(struct scheduler *sched, uint32_t oid, int64_t now_ms)
{
    if (sched->in_flight && sched->current.oid == oid)
        return;  /* the pending request itself; scheduler_done handles it */
    size_t i = index_of(oid);
    if (i != SIZE_MAX) {
        sched->read_ok[i] = true;
        sched->unsupported[i] = false;
    }
    if (i != SIZE_MAX && sched->due_ms[i] != INT64_MAX)
        reschedule(sched, oid, now_ms);
}

int64_t scheduler_next_due_ms(const struct scheduler *sched)
{
    if (sched->has_probe || sched->history_len || sched->plan_next < sched->plan_len)
        return 0;
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < sched->n; i++)
        if (periodic(sched, i) && sched->due_ms[i] < best)
            best = sched->due_ms[i];
    return best;
}
