/* History walks: one at a time per connection (the device answers one query at a time),
 * each owned by the ticket its requester holds, so a page can only reach the one who asked.
 * Starting a walk cancels the one running; its owner then sees WALK_LOST. Pure logic on
 * the scheduler's history queue and the pager: tested without a device or a screen. A
 * walk owns one pager (history.h, the pages of a range) and adds the queries, the ticket
 * and the page source around it. */
#ifndef RCT_WALK_H
#define RCT_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/core/history.h"
#include "proto/core/scheduler.h"

enum walk_state {
    WALK_RUNNING,   /* pages still coming */
    WALK_DONE,      /* finished: the result is complete (or stopped by its page budget) */
    WALK_FAILED,    /* the device stopped answering or sent a bad page: result is partial */
    WALK_LOST,      /* not this ticket's walk any more (cancelled by a newer one) */
};

/* Where pages come from instead of the device (a replay): the page answering "entries
 * of oid before ts" now, one that comes only later (the walk waits), or none at all. */
enum walk_source_answer { WALK_SOURCE_PAGE, WALK_SOURCE_LATER, WALK_SOURCE_NONE };
typedef enum walk_source_answer (*walk_source_fn)(void *ctx, uint32_t oid, uint32_t ts,
                                                  const uint8_t **payload, uint16_t *len);

struct walk_broker {
    struct scheduler *sched;
    walk_source_fn source;    /* NULL: ask the device through the scheduler */
    void *source_ctx;
    struct history_pager pager;
    uint64_t ticket;          /* the walk that owns `pager`; 0 = none yet */
    uint64_t last_ticket;
    enum walk_state state;
    bool query_out;           /* a query of this walk is queued or in flight */
    uint32_t query_ts;        /* ... asking for entries before this time */
};

void walk_init(struct walk_broker *w, struct scheduler *sched);
void walk_free(struct walk_broker *w);
/* Pages come from fn instead of the device: a walk runs as far as the pages there are
 * when it starts, then ends, or waits (WALK_RUNNING) for a page that comes later. */
void walk_set_source(struct walk_broker *w, walk_source_fn fn, void *ctx);

/* Starts a walk over [since, until] of a history OID, cancelling any walk running.
 * max_pages 0 = no page budget. Returns the new walk's ticket, or 0 when the OID is not
 * a history OID or the range is empty. The caller kicks the session afterwards. */
uint64_t walk_start(struct walk_broker *w, uint32_t oid, int64_t since, int64_t until,
                    unsigned max_pages);
/* Cancels the walk if `ticket` still owns it (its queued query is dropped). */
void walk_cancel(struct walk_broker *w, uint64_t ticket);
enum walk_state walk_state_of(const struct walk_broker *w, uint64_t ticket);
/* The walk's pages so far; NULL unless `ticket` owns the current walk. */
const struct history_pager *walk_pages(const struct walk_broker *w, uint64_t ticket);
/* True while some walk is running (for progress displays). */
bool walk_busy(const struct walk_broker *w);

/* Session hooks: an answer page for a history query, and the end of a scheduled request.
 * walk_on_done returns true when it queued the next query (the caller kicks the session). */
void walk_on_page(struct walk_broker *w, const struct sched_request *req,
                  const uint8_t *payload, uint16_t len);
bool walk_on_done(struct walk_broker *w, const struct sched_request *req, bool ok);

#endif
