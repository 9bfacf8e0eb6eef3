/* History walks with one owner each: a ticket names the walk, pages and the end of each
 * query are matched to the walk by OID and query time, and a cancelled walk's queued
 * query leaves the scheduler with it. */
#include "proto/core/walk.h"

#include <string.h>

void walk_init(struct walk_broker *w, struct scheduler *sched)
{
    memset(w, 0, sizeof *w);
    w->sched = sched;
    w->state = WALK_DONE;
}

void walk_free(struct walk_broker *w)
{
    history_pager_free(&w->pager);
}

void walk_set_source(struct walk_broker *w, walk_source_fn fn, void *ctx)
{
    w->source = fn;
    w->source_ctx = ctx;
}

/* A walk over recorded pages runs to its end at once. */
static void walk_from_source(struct walk_broker *w)
{
    uint32_t ts;
    while (history_pager_next_query(&w->pager, &ts)) {
        const uint8_t *payload;
        uint16_t len;
        enum walk_source_answer a = w->source(w->source_ctx, w->pager.oid, ts, &payload, &len);
        if (a == WALK_SOURCE_LATER)
            return;  /* still running: its owner starts it again when pages come */
        if (a == WALK_SOURCE_NONE) {
            w->state = WALK_FAILED;
            return;
        }
        history_pager_page(&w->pager, payload, len);
    }
    w->state = w->pager.status == HISTORY_BAD_PAGE ? WALK_FAILED : WALK_DONE;
}

static void queue_next(struct walk_broker *w)
{
    uint32_t ts;
    if (w->source) {
        walk_from_source(w);
        return;
    }
    if (!history_pager_next_query(&w->pager, &ts)) {
        w->query_out = false;
        w->state = w->pager.status == HISTORY_BAD_PAGE ? WALK_FAILED : WALK_DONE;
        return;
    }
    w->query_out = true;
    w->query_ts = ts;
    scheduler_queue_history(w->sched, w->pager.oid, ts);
}

static void drop_running(struct walk_broker *w)
{
    if (w->state == WALK_RUNNING && w->query_out)
        scheduler_cancel_history(w->sched);
    w->query_out = false;
}

uint64_t walk_start(struct walk_broker *w, uint32_t oid, int64_t since, int64_t until,
                    unsigned max_pages)
{
    struct history_pager next;
    if (!history_pager_init(&next, oid, since, until))
        return 0;
    next.max_pages = max_pages;
    drop_running(w);
    history_pager_free(&w->pager);
    w->pager = next;
    w->ticket = ++w->last_ticket;
    w->state = WALK_RUNNING;
    queue_next(w);
    return w->ticket;
}

void walk_cancel(struct walk_broker *w, uint64_t ticket)
{
    if (ticket == 0 || ticket != w->ticket)
        return;
    drop_running(w);
    history_pager_free(&w->pager);
    w->ticket = 0;
    w->state = WALK_DONE;
}

enum walk_state walk_state_of(const struct walk_broker *w, uint64_t ticket)
{
    return ticket != 0 && ticket == w->ticket ? w->state : WALK_LOST;
}

const struct history_pager *walk_pages(const struct walk_broker *w, uint64_t ticket)
{
    return ticket != 0 && ticket == w->ticket ? &w->pager : NULL;
}

bool walk_busy(const struct walk_broker *w)
{
    return w->ticket != 0 && w->state == WALK_RUNNING;
}

static bool is_current_query(const struct walk_broker *w, const struct sched_request *req)
{
    return w->ticket != 0 && w->state == WALK_RUNNING && w->query_out &&
           req->kind == SCHED_HISTORY && req->oid == w->pager.oid && req->ts == w->query_ts;
}

void walk_on_page(struct walk_broker *w, const struct sched_request *req,
                  const uint8_t *payload, uint16_t len)
{
    if (is_current_query(w, req))
        history_pager_page(&w->pager, payload, len);
}

bool walk_on_done(struct walk_broker *w, const struct sched_request *req, bool ok)
{
    if (!is_current_query(w, req))
        return false;
    if (!ok) {
        w->query_out = false;
        w->state = WALK_FAILED;
        return false;
    }
    queue_next(w);
    return w->query_out;
}
