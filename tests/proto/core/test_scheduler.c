/* Scheduler tiers on a fake clock: history and one-shot plans first, fault words and
 * watched OIDs often, identity once, history never polled, one request at a time. */
#include <criterion/criterion.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/scheduler.h"

static struct scheduler *sched;

static uint32_t oid_of(const char *name)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    cr_assert_not_null(info, "%s", name);
    return info->oid;
}

static void setup(bool background)
{
    struct scheduler_config cfg;
    scheduler_default_config(&cfg);
    cfg.background = background;
    cfg.faults = background;
    sched = scheduler_new(&cfg);
}

static void teardown(void)
{
    scheduler_free(sched);
}

Test(scheduler, hands_out_one_request_at_a_time, .fini = teardown)
{
    setup(true);
    struct sched_request r, again;
    cr_assert(scheduler_next(sched, 0, &r));
    cr_assert_not(scheduler_next(sched, 0, &again), "nothing while one is in flight");
    scheduler_done(sched, &r, true, 10);
    cr_assert(scheduler_next(sched, 10, &again));
}

Test(scheduler, reads_fault_words_first_then_watched_then_identity, .fini = teardown)
{
    setup(true);
    uint32_t watched[] = {oid_of("battery.soc"), oid_of("g_sync.p_acc_lp")};
    scheduler_set_watched(sched, watched, 2);
    uint32_t order[8];
    for (int i = 0; i < 8; i++) {
        struct sched_request r;
        cr_assert(scheduler_next(sched, 0, &r));
        order[i] = r.oid;
        scheduler_done(sched, &r, true, 0);
    }
    for (unsigned w = 0; w < 4; w++) {
        bool found = false;
        for (int i = 0; i < 4; i++)
            found |= order[i] == rct_fault_word_oid(w);
        cr_assert(found, "fault word %u among the first four", w);
    }
    cr_assert((order[4] == watched[0] && order[5] == watched[1]),
              "then what the screen shows, in the screen's order");
    cr_assert_eq(rct_registry_by_id(order[6])->kind, RCT_KIND_IDENTITY);
}

Test(scheduler, rereads_watched_oids_on_their_period_and_never_polls_history, .fini = teardown)
{
    setup(true);
    uint32_t soc = oid_of("battery.soc");
    scheduler_set_watched(sched, &soc, 1);
    int soc_reads = 0, history_reads = 0;
    for (int64_t t = 0; t < 60000; t += 250) {  /* 4 requests per second for a minute */
        struct sched_request r;
        if (!scheduler_next(sched, t, &r))
            continue;
        if (r.oid == soc)
            soc_reads++;
        if (rct_registry_is_history(rct_registry_by_id(r.oid)))
            history_reads++;
        scheduler_done(sched, &r, true, t);
    }
    /* Every 2 s after the previous read, sharing slots with the fault words. */
    cr_assert(soc_reads >= 24 && soc_reads <= 31, "every 2 s: %d", soc_reads);
    cr_assert_eq(history_reads, 0);
}

Test(scheduler, runs_a_one_shot_plan_in_order_before_anything_periodic, .fini = teardown)
{
    setup(false);
    uint32_t plan[] = {oid_of("inverter_sn"), oid_of("battery.soc"), oid_of("db.temp1")};
    scheduler_plan_once(sched, plan, 3);
    cr_assert_eq(scheduler_plan_remaining(sched), 3);
    for (int i = 0; i < 3; i++) {
        struct sched_request r;
        cr_assert(scheduler_next(sched, 0, &r));
        cr_assert_eq(r.oid, plan[i]);
        scheduler_done(sched, &r, i != 1, 0);  /* a given-up OID still completes the plan */
    }
    cr_assert_eq(scheduler_plan_remaining(sched), 0);
    struct sched_request r;
    cr_assert_not(scheduler_next(sched, 0, &r), "background off: nothing else");
}

Test(scheduler, puts_history_queries_ahead_of_everything, .fini = teardown)
{
    setup(true);
    uint32_t plan[] = {oid_of("battery.soc")};
    scheduler_plan_once(sched, plan, 1);
    uint32_t events = oid_of("logger.error_log_time_stamp");
    scheduler_queue_history(sched, events, 1700000000);
    struct sched_request r;
    cr_assert(scheduler_next(sched, 0, &r));
    cr_assert_eq(r.kind, SCHED_HISTORY);
    cr_assert_eq(r.oid, events);
    cr_assert_eq(r.ts, 1700000000);
}

Test(scheduler, an_unasked_reading_postpones_the_next_read_of_that_oid, .fini = teardown)
{
    setup(true);
    uint32_t soc = oid_of("battery.soc");
    scheduler_set_watched(sched, &soc, 1);
    scheduler_note_reading(sched, soc, 0);
    for (int i = 0; i < 10; i++) {
        struct sched_request r;
        cr_assert(scheduler_next(sched, 100, &r));
        cr_assert_neq(r.oid, soc, "just read by another client's answer");
        scheduler_done(sched, &r, true, 100);
    }
}

Test(scheduler, a_lost_answer_never_lets_rereads_jump_ahead_of_values_not_yet_shown, .fini = teardown)
{
    setup(false);
    uint32_t watched[] = {oid_of("battery.soc"), oid_of("g_sync.p_acc_lp"), oid_of("battery.voltage")};
    scheduler_set_watched(sched, watched, 3);
    struct sched_request r;
    cr_assert(scheduler_next(sched, 0, &r));
    scheduler_done(sched, &r, true, 0);            /* battery.soc answered */
    cr_assert(scheduler_next(sched, 250, &r));
    cr_assert_eq(r.oid, watched[1]);
    scheduler_done(sched, &r, false, 5000);        /* p_acc_lp lost, given up at 5 s */
    cr_assert(scheduler_next(sched, 5000, &r));
    cr_assert_eq(r.oid, watched[2], "the value never read comes before soc's re-read");
}

Test(scheduler, charted_oids_are_sampled_whatever_is_on_screen, .fini = teardown)
{
    setup(true);
    uint32_t grid = oid_of("g_sync.p_ac_grid_sum_lp");
    uint32_t other[] = {oid_of("battery.soh"), oid_of("battery.cycles")};
    scheduler_set_sampled(sched, &grid, 1);
    scheduler_set_watched(sched, other, 2);  /* another pane is open */
    int64_t last = -1, worst_gap = 0;
    for (int64_t t = 0; t < 180000; t += 250) {  /* the device's budget, three minutes */
        struct sched_request r;
        if (!scheduler_next(sched, t, &r))
            continue;
        if (r.oid == grid) {
            if (last >= 0 && t - last > worst_gap)
                worst_gap = t - last;
            last = t;
        }
        scheduler_done(sched, &r, true, t);
    }
    cr_assert_geq(last, 0, "sampled at all");
    cr_assert_leq(worst_gap, 12000, "no gap longer than the sampling period and a slot or so: %lld ms",
                  (long long)worst_gap);
    cr_assert_eq(scheduler_period_ms(sched, grid), 10000);
}

/* The registry's first `want` measurement OIDs after skipping `skip`, none a fault word. */
static size_t some_oids(size_t skip, size_t want, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < rct_registry_count() && n < want; i++) {
        const struct rct_oid_info *info = rct_registry_at(i);
        bool fault = false;
        for (unsigned w = 0; w < 4; w++)
            fault |= info->oid == rct_fault_word_oid(w);
        if (info->kind != RCT_KIND_MEASUREMENT || fault)
            continue;
        if (skip) {
            skip--;
            continue;
        }
        out[n++] = info->oid;
    }
    return n;
}

Test(scheduler, the_diagnosis_sees_every_input_each_minute_while_the_screen_asks_too_much, .fini = teardown)
{
    setup(true);
    /* A pane asking 30 values every 2 s (15 a second) on a link of 4 a second. */
    uint32_t shown[30], judged[70];
    size_t nshown = some_oids(0, 30, shown), njudged = some_oids(30, 70, judged);
    cr_assert_eq(nshown, 30);
    cr_assert_eq(njudged, 70);
    scheduler_set_watched(sched, shown, nshown);
    scheduler_set_diagnosed(sched, judged, njudged);
    int64_t last_read[70], worst_gap = 0;
    for (size_t k = 0; k < njudged; k++)
        last_read[k] = -1;
    int shown_reads = 0, first_judged_at = -1;
    for (int64_t now = 0; now < 300000; now += 250) {
        struct sched_request r;
        if (!scheduler_next(sched, now, &r))
            continue;
        for (size_t k = 0; k < njudged; k++)
            if (r.oid == judged[k]) {
                int64_t since = last_read[k] < 0 ? now : now - last_read[k];
                worst_gap = since > worst_gap ? since : worst_gap;
                last_read[k] = now;
                if (first_judged_at < 0)
                    first_judged_at = (int)now;
            }
        for (size_t k = 0; k < nshown; k++)
            shown_reads += r.oid == shown[k];
        scheduler_done(sched, &r, true, now);
    }
    for (size_t k = 0; k < njudged; k++)
        cr_assert_geq(last_read[k], 0, "input %zu read", k);
    cr_assert_leq(worst_gap, 60000, "every input within a minute of start and of its last read: %lld ms",
                  (long long)worst_gap);
    cr_assert_geq(first_judged_at, 30 * 250, "the values on screen are shown first (%d)", first_judged_at);
    cr_assert_geq(shown_reads, 1200 * 4 / 10, "the screen keeps most of the link: %d of 1200", shown_reads);
}

Test(scheduler, an_unsupported_verdict_is_tried_again_within_a_few_minutes, .fini = teardown)
{
    setup(true);
    uint32_t soc = oid_of("battery.soc");
    scheduler_set_watched(sched, &soc, 1);
    scheduler_note_unsupported(sched, soc, 0);
    bool asked_early = false, asked_again = false;
    for (int64_t now = 0; now <= 5 * 60000; now += 100) {
        struct sched_request r;
        if (!scheduler_next(sched, now, &r))
            continue;
        if (r.oid == soc) {
            asked_early |= now < 60000;
            asked_again = true;
        }
        scheduler_done(sched, &r, r.oid != soc, now);
    }
    cr_assert_not(asked_early, "not at the pace of the screen");
    cr_assert(asked_again, "a wrong verdict heals");
}

Test(scheduler, a_plan_asks_an_oid_at_most_twice, .fini = teardown)
{
    setup(false);
    uint32_t soc = oid_of("battery.soc");
    scheduler_plan_once(sched, &soc, 1);
    int asked = 0;
    struct sched_request r;
    while (scheduler_next(sched, 0, &r)) {
        cr_assert(r.planned);
        asked++;
        scheduler_done(sched, &r, false, 0);
        scheduler_plan_again(sched, soc);
    }
    cr_assert_eq(asked, 2);
}
