/* The scheduler decides what to read next: history queries and one-shot plans first,
 * then fault words, the OIDs on screen, identity once, and everything else slowly.
 * Pure logic on an injected clock (milliseconds), so it is tested without time passing. */
#ifndef RCT_SCHEDULER_H
#define RCT_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sched_kind { SCHED_READ, SCHED_HISTORY };

struct sched_request {
    uint32_t oid;
    enum sched_kind kind;
    uint32_t ts;          /* history queries: entries before this UNIX time */
    int max_attempts;     /* 0: the link's retries */
    bool probe;           /* asked to learn whether the device answers, not for its value */
    bool planned;         /* from the one-shot plan */
};

/* Poll periods per tier, in milliseconds. */
struct scheduler_config {
    int64_t fault_period_ms;      /* fault[0..3].flt */
    int64_t watched_period_ms;    /* OIDs on screen */
    int64_t sampled_period_ms;    /* OIDs charted over time, read whatever is on screen */
    int64_t diagnosis_period_ms;  /* the diagnosis rules' inputs, whatever is on screen */
    int64_t unsupported_retry_ms; /* an OID found unsupported is asked again this often */
    int64_t identity_period_ms;   /* serials, versions */
    int64_t background_period_ms; /* other measurements */
    int64_t setting_period_ms;    /* settings change rarely */
    bool background;              /* read unwatched OIDs at all (off for one-shot commands) */
    bool faults;                  /* poll the fault words */
    bool plan_second_round;       /* a plan asks an unanswered OID again at its end */
};
void scheduler_default_config(struct scheduler_config *config);

struct scheduler;
struct scheduler *scheduler_new(const struct scheduler_config *config);
void scheduler_free(struct scheduler *sched);

/* Replaces the set of OIDs on screen; they are read first and kept fresh. */
void scheduler_set_watched(struct scheduler *sched, const uint32_t *oids, size_t n);
/* Replaces the set of OIDs sampled all the time (a chart's series): read at least every
 * sampled_period_ms whichever pane is open, so a chart has no holes. */
void scheduler_set_sampled(struct scheduler *sched, const uint32_t *oids, size_t n);
/* Replaces the set of OIDs the diagnosis judges: each read within diagnosis_period_ms
 * of being set and again at that pace, whatever is on screen. When the screen asks more
 * than the link can give, every other request goes to a diagnosed OID that is due, so a
 * finding never waits for its pane to be opened; unanswered on-screen values and the
 * fault words still go first. */
void scheduler_set_diagnosed(struct scheduler *sched, const uint32_t *oids, size_t n);
/* Adds OIDs to read once each, in order, before anything periodic. */
void scheduler_plan_once(struct scheduler *sched, const uint32_t *oids, size_t n);
/* The device does not know oid: it is asked again only every unsupported_retry_ms, so a
 * wrong verdict (a lossy link) heals. */
void scheduler_note_unsupported(struct scheduler *sched, uint32_t oid, int64_t now_ms);
/* Asks oid once, before anything else, with no retry: does the device answer at all? */
void scheduler_probe(struct scheduler *sched, uint32_t oid);
/* A probe is queued or in flight (its answer is still to come). */
bool scheduler_probe_pending(const struct scheduler *sched);
/* A replay, which sends nothing: the recording's next request is oid. True if it is the
 * probe queued; the queue is emptied either way, since live the probe goes first. */
bool scheduler_take_probe(struct scheduler *sched, uint32_t oid);
/* Reads only what it is told (a line-mode command), nothing in the background. */
bool scheduler_one_shot(const struct scheduler *sched);
/* OIDs of the one-shot plan not yet answered or given up. */
size_t scheduler_plan_remaining(const struct scheduler *sched);
/* Asks oid once more, next in the one-shot plan, after any probe (a second round for an
 * OID that went unanswered in the first: a lossy link is not a device that does not know
 * it). At most twice in all. */
/* False when it is not asked again (twice already, not in the registry, or no second
 * rounds): the round it had is all it gets. */
bool scheduler_plan_again(struct scheduler *sched, uint32_t oid);
/* Queues a history query (timeseries or event table) ahead of everything else. */
void scheduler_queue_history(struct scheduler *sched, uint32_t oid, uint32_t before_ts);
/* Drops every queued (not yet sent) history query: their walk was cancelled. */
void scheduler_cancel_history(struct scheduler *sched);

/* The next request due at now_ms, or false if nothing is due. Marks it in flight. */
bool scheduler_next(struct scheduler *sched, int64_t now_ms, struct sched_request *out);
/* The in-flight request ended: answered (ok) or given up after retries. */
void scheduler_done(struct scheduler *sched, const struct sched_request *req, bool ok,
                    int64_t now_ms);
/* A reading arrived without being asked for: it counts as a read of that OID. */
void scheduler_note_reading(struct scheduler *sched, uint32_t oid, int64_t now_ms);
/* How often this OID is read now (for staleness: a value older than ~3 periods is stale). */
int64_t scheduler_period_ms(const struct scheduler *sched, uint32_t oid);
/* Earliest time something periodic becomes due (for timers); INT64_MAX if never. */
int64_t scheduler_next_due_ms(const struct scheduler *sched);

#endif
