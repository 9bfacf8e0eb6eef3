/* The link's timing rules on a fake clock: one request in flight, the request budget,
 * timeouts and bounded retries, backoff that grows, is capped, jitters and resets. */
#include <criterion/criterion.h>

#include "proto/core/link.h"

static struct link link;

static void online(double rate)
{
    struct link_config cfg;
    link_default_config(&cfg);
    cfg.rate = rate;
    link_init(&link, &cfg);
    link_connecting(&link, 0);
    link_connected(&link, 0);
}

Test(link, never_allows_a_second_request_while_one_is_in_flight)
{
    online(10000);
    cr_assert(link_can_send(&link, 0));
    link_sent(&link, 1, 0);
    for (int64_t t = 0; t < 1999; t += 7)
        cr_assert_not(link_can_send(&link, t), "second request allowed at %lld", (long long)t);
    cr_assert_eq(link_answer(&link, 2, 100), LINK_NOTHING, "another OID's answer completes nothing");
    cr_assert_not(link_can_send(&link, 100));
    cr_assert_eq(link_answer(&link, 1, 120), LINK_COMPLETED);
    cr_assert(link_can_send(&link, 120));
}

Test(link, keeps_the_request_rate_whatever_the_answer_speed)
{
    online(4);
    int64_t t = 0;
    int sent = 0;
    for (; t <= 10000; t++) {
        if (link_can_send(&link, t)) {
            link_sent(&link, 1, t);
            sent++;
        }
        if (link.pending)
            link_answer(&link, 1, t);  /* instant answers */
    }
    cr_assert_eq(sent, 41, "4 requests/s for 10 s (+1 at t=0), got %d", sent);
}

Test(link, retries_a_timed_out_request_then_gives_up)
{
    online(4);
    link_sent(&link, 9, 0);
    cr_assert_eq(link_poll(&link, 1999), LINK_NOTHING);
    cr_assert_eq(link_poll(&link, 2000), LINK_RETRY);
    int64_t t = 2000;
    for (int attempt = 2; attempt <= 4; attempt++) {
        cr_assert(link_can_send(&link, t + 250));
        t += 250;
        link_resent(&link, t);
        cr_assert_eq(link.attempt, attempt);
        t += 2000;
        enum link_outcome o = link_poll(&link, t);
        cr_assert_eq(o, attempt < 4 ? LINK_RETRY : LINK_GAVE_UP, "attempt %d", attempt);
    }
}

Test(link, retries_an_answer_cut_short)
{
    online(4);
    link_sent(&link, 5, 0);
    cr_assert_eq(link_bad_answer(&link, 6, 10), LINK_NOTHING);
    cr_assert_eq(link_bad_answer(&link, 5, 10), LINK_RETRY);
}

Test(link, is_not_online_until_the_device_answers)
{
    online(4);
    cr_assert_eq(link.state, LINK_SILENT, "connected is not online");
    cr_assert_str_eq(link_state_name(link.state), "connected, no answer yet");
    int64_t t = 0;
    for (int i = 0; i < 6; i++) {
        t += 250;
        link_sent(&link, 7, t);
        t += 2000;
        link_poll(&link, t);
        cr_assert_eq(link.state, LINK_SILENT, "a device that never answers is never online");
    }
    link_sent(&link, 7, t);
    link_answer(&link, 7, t + 50);
    cr_assert_eq(link.state, LINK_ONLINE);
}

Test(link, the_answer_timeout_follows_the_round_trip_once_a_few_answers_are_in)
{
    online(4);
    int64_t t = 0;
    for (int i = 0; i < LINK_RTT_WARMUP - 1; i++) {
        link_sent(&link, 1, t);
        link_answer(&link, 1, t + 100);
        t += 250;
        cr_assert_eq(link_timeout_ms(&link), 2000, "the configured timeout until warmed up");
    }
    for (int i = 0; i < 20; i++) {
        link_sent(&link, 1, t);
        link_answer(&link, 1, t + 100);
        t += 250;
    }
    cr_assert_eq(link_timeout_ms(&link), LINK_MIN_TIMEOUT_MS, "100 ms answers: the floor");
    link_sent(&link, 2, t);
    cr_assert_eq(link_poll(&link, t + LINK_MIN_TIMEOUT_MS - 1), LINK_NOTHING);
    cr_assert_eq(link_poll(&link, t + LINK_MIN_TIMEOUT_MS), LINK_RETRY, "a loss costs 0.5 s, not 2 s");
    for (int i = 0; i < 40; i++) {
        link_sent(&link, 1, t);
        link_answer(&link, 1, t + (i % 2 ? 1900 : 100));
        t += 2000;
    }
    cr_assert_eq(link_timeout_ms(&link), 2000, "erratic answers: never above the configured timeout");
    link_connected(&link, t);
    cr_assert_eq(link_timeout_ms(&link), 2000, "a new connection starts from the configured value");
}

Test(link, turns_degraded_then_reconnects_after_many_timeouts)
{
    online(4);
    link_sent(&link, 99, 0);
    link_answer(&link, 99, 10);
    int64_t t = 0;
    enum link_outcome o = LINK_NOTHING;
    for (int i = 0; i < 8 && o != LINK_RECONNECT; i++) {
        t += 250;
        link_sent(&link, (uint32_t)i, t);
        t += 2000;
        o = link_poll(&link, t);
        if (i == 2)
            cr_assert_eq(link.state, LINK_DEGRADED);
    }
    cr_assert_eq(o, LINK_RECONNECT);
}

Test(link, backoff_grows_is_capped_with_jitter_and_resets_after_success)
{
    online(4);
    int64_t prev = 0;
    for (int i = 0; i < 12; i++) {
        int64_t d = link_disconnected(&link, 0);
        int64_t nominal = 1000LL << (i < 6 ? i : 6);
        if (nominal > 10000)
            nominal = 10000;
        cr_assert(d >= nominal * 3 / 4 && d <= 10000, "failure %d: %lld ms", i + 1, (long long)d);
        if (i > 0 && nominal < 8000)
            cr_assert_gt(d, prev * 5 / 4 - 1, "grows");
        prev = d;
        link_connecting(&link, 0);
    }
    cr_assert_leq(prev, 10000);
    link_connected(&link, 0);
    link_sent(&link, 1, 0);
    link_answer(&link, 1, 10);
    int64_t after = link_disconnected(&link, 100);
    cr_assert_leq(after, 1250, "backoff reset after a good exchange: %lld", (long long)after);
}

Test(link, a_connect_that_hangs_times_out)
{
    struct link_config cfg;
    link_default_config(&cfg);
    link_init(&link, &cfg);
    link_connecting(&link, 0);
    cr_assert_not(link_can_send(&link, 10));
    cr_assert_eq(link_poll(&link, cfg.timeout_ms - 1), LINK_NOTHING, "bounded by the answer timeout");
    cr_assert_eq(link_poll(&link, cfg.timeout_ms), LINK_RECONNECT);
}

Test(link, retry_now_moves_the_reconnect_forward_only_while_offline)
{
    online(4);
    int64_t d = link_disconnected(&link, 1000);
    cr_assert_gt(link.reconnect_at_ms, 1000);
    link_retry_now(&link, 1001);
    cr_assert_eq(link.reconnect_at_ms, 1001, "waited %lld ms", (long long)d);
    link_connecting(&link, 1001);
    link_retry_now(&link, 1500);
    cr_assert_eq(link.state, LINK_CONNECTING);
}

Test(link, different_seeds_spread_the_reconnects)
{
    struct link_config cfg;
    link_default_config(&cfg);
    int64_t first[8];
    int distinct = 0;
    for (uint32_t seed = 1; seed <= 8; seed++) {
        cfg.seed = seed * 7919u;
        link_init(&link, &cfg);
        link_connecting(&link, 0);
        for (int k = 0; k < 4; k++)
            first[seed - 1] = link_disconnected(&link, 0);
        bool seen = false;
        for (uint32_t j = 0; j + 1 < seed; j++)
            seen |= first[j] == first[seed - 1];
        distinct += !seen;
    }
    cr_assert_geq(distinct, 5, "clients spread out: %d distinct delays of 8", distinct);
}
