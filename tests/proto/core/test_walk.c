/* History walks belong to whoever started them: the monitor's Events and History panes
 * share one connection, and a page of one must never reach the other (the crash of
 * pressing 5, 4, 5 while both were loading). */
#include <criterion/criterion.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/walk.h"

#define EVENT_TABLE 0x6F3876BCu

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* A timeseries page: query time, then n points one minute apart below it. */
static size_t ts_page(uint8_t *buf, uint32_t query, int n)
{
    put_u32(buf, query);
    for (int i = 0; i < n; i++) {
        float f = (float)i;
        uint32_t bits;
        memcpy(&bits, &f, 4);
        put_u32(buf + 4 + 8 * i, query - 60u * (uint32_t)(i + 1));
        put_u32(buf + 8 + 8 * i, bits);
    }
    return 4 + 8 * (size_t)n;
}

/* An event-table page: query time, then n rows of five words. */
static size_t ev_page(uint8_t *buf, uint32_t query, int n)
{
    put_u32(buf, query);
    for (int i = 0; i < n; i++) {
        uint8_t *r = buf + 4 + 20 * i;
        put_u32(r, 0x4C);
        put_u32(r + 4, query - 3600u * (uint32_t)(i + 1));
        put_u32(r + 8, 1);
        put_u32(r + 12, 2);
        put_u32(r + 16, 3);
    }
    return 4 + 20 * (size_t)n;
}

struct fixture {
    struct scheduler *sched;
    struct walk_broker walks;
};

static void setup(struct fixture *f)
{
    struct scheduler_config cfg;
    scheduler_default_config(&cfg);
    cfg.background = false;
    cfg.faults = false;
    f->sched = scheduler_new(&cfg);
    walk_init(&f->walks, f->sched);
}

static void teardown(struct fixture *f)
{
    walk_free(&f->walks);
    scheduler_free(f->sched);
}

/* What the session does: take the next request, answer it with `page`, end it. */
static bool serve(struct fixture *f, const uint8_t *page, size_t len, struct sched_request *sent)
{
    struct sched_request req;
    if (!scheduler_next(f->sched, 0, &req))
        return false;
    if (sent)
        *sent = req;
    walk_on_page(&f->walks, &req, page, (uint16_t)len);
    scheduler_done(f->sched, &req, true, 0);
    walk_on_done(&f->walks, &req, true);
    return true;
}

Test(walk, a_new_walk_cancels_the_running_one_and_its_owner_sees_it_lost)
{
    struct fixture f;
    setup(&f);
    uint32_t series = rct_registry_by_name("logger.minutes_soc_log_ts")->oid;
    /* 5: History starts a series walk. */
    uint64_t history = walk_start(&f.walks, series, 1000000, 1086400, 0);
    cr_assert_neq(history, 0);
    cr_assert_eq(walk_state_of(&f.walks, history), WALK_RUNNING);
    /* 4: Events starts the event table before the series walk is done. */
    uint64_t events = walk_start(&f.walks, EVENT_TABLE, 0, 1086400, 3);
    cr_assert_neq(events, history);
    cr_assert_eq(walk_state_of(&f.walks, history), WALK_LOST);
    cr_assert_null(walk_pages(&f.walks, history), "a lost walk hands out nothing");
    /* The series query that was queued left with its walk: next comes the event table. */
    uint8_t page[4096];
    struct sched_request sent;
    size_t len = ev_page(page, 1086401, 5);
    cr_assert(serve(&f, page, len, &sent));
    cr_assert_eq(sent.oid, EVENT_TABLE);
    /* 5 again: History starts over; Events' walk is lost, with its rows. */
    uint64_t again = walk_start(&f.walks, series, 1000000, 1086400, 0);
    cr_assert_eq(walk_state_of(&f.walks, events), WALK_LOST);
    const struct history_pager *p = walk_pages(&f.walks, again);
    cr_assert_not_null(p);
    cr_assert_eq(p->type, RCT_TYPE_TIMESERIES);
    cr_assert_eq(p->n, 0, "no event rows leak into the series walk");
    teardown(&f);
}

Test(walk, a_late_answer_to_a_cancelled_query_does_not_reach_the_new_walk)
{
    struct fixture f;
    setup(&f);
    uint32_t series = rct_registry_by_name("logger.minutes_soc_log_ts")->oid;
    uint64_t events = walk_start(&f.walks, EVENT_TABLE, 0, 1086400, 3);
    struct sched_request in_flight;
    cr_assert(scheduler_next(f.sched, 0, &in_flight));  /* sent, answer not yet here */
    uint64_t history = walk_start(&f.walks, series, 1000000, 1086400, 0);
    cr_assert_eq(walk_state_of(&f.walks, events), WALK_LOST);
    uint8_t page[4096];
    size_t len = ev_page(page, 1086401, 5);
    walk_on_page(&f.walks, &in_flight, page, (uint16_t)len);
    scheduler_done(f.sched, &in_flight, true, 0);
    cr_assert_not(walk_on_done(&f.walks, &in_flight, true));
    const struct history_pager *p = walk_pages(&f.walks, history);
    cr_assert_eq(p->n, 0);
    cr_assert_eq(p->pages, 0, "the event page was not counted as a series page");
    /* The series' own query is still queued and completes the walk. */
    len = ts_page(page, 1086401, 0);
    cr_assert(serve(&f, page, len, NULL));
    cr_assert_eq(walk_state_of(&f.walks, history), WALK_DONE);
    teardown(&f);
}

Test(walk, pages_a_range_to_the_end_and_keeps_what_came_before_a_bad_page)
{
    struct fixture f;
    setup(&f);
    uint32_t series = rct_registry_by_name("logger.minutes_soc_log_ts")->oid;
    uint64_t t = walk_start(&f.walks, series, 0, 1086400, 0);
    uint8_t page[4096];
    struct sched_request sent;
    size_t len = ts_page(page, 1086401, 10);
    cr_assert(serve(&f, page, len, &sent));
    cr_assert_eq(sent.ts, 1086401);
    cr_assert_eq(walk_state_of(&f.walks, t), WALK_RUNNING);
    const uint8_t broken[] = {0, 0, 0, 1, 2, 3};  /* not 4 + 8n bytes */
    cr_assert(serve(&f, broken, sizeof broken, &sent));
    cr_assert_eq(sent.ts, 1086401 - 600, "the next page asks before the oldest point");
    cr_assert_eq(walk_state_of(&f.walks, t), WALK_FAILED);
    cr_assert_eq(walk_pages(&f.walks, t)->n, 10, "the good page's points stay");
    cr_assert_not(scheduler_next(f.sched, 0, &sent), "a failed walk asks nothing more");
    teardown(&f);
}

Test(walk, a_query_the_device_never_answers_fails_the_walk)
{
    struct fixture f;
    setup(&f);
    uint64_t t = walk_start(&f.walks, EVENT_TABLE, 0, 1086400, 0);
    struct sched_request req;
    cr_assert(scheduler_next(f.sched, 0, &req));
    scheduler_done(f.sched, &req, false, 0);
    cr_assert_not(walk_on_done(&f.walks, &req, false));
    cr_assert_eq(walk_state_of(&f.walks, t), WALK_FAILED);
    teardown(&f);
}

Test(walk, cancel_by_a_stale_ticket_leaves_the_current_walk_alone)
{
    struct fixture f;
    setup(&f);
    uint64_t first = walk_start(&f.walks, EVENT_TABLE, 0, 1086400, 0);
    uint64_t second = walk_start(&f.walks, EVENT_TABLE, 0, 1086400, 0);
    walk_cancel(&f.walks, first);
    cr_assert_eq(walk_state_of(&f.walks, second), WALK_RUNNING);
    walk_cancel(&f.walks, second);
    cr_assert_eq(walk_state_of(&f.walks, second), WALK_LOST);
    struct sched_request req;
    cr_assert_not(scheduler_next(f.sched, 0, &req), "the cancelled query left the queue");
    cr_assert_eq(walk_start(&f.walks, rct_registry_by_name("battery.soc")->oid, 0, 10, 0), 0,
                 "only history OIDs can be walked");
    teardown(&f);
}
