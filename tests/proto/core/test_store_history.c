/* The store never lets a failed decode overwrite a good value and keeps foreign
 * readings; the history pager walks pages backwards, de-duplicates and stops. */
#include <criterion/criterion.h>
#include <string.h>

#include "proto/core/history.h"
#include "proto/codec/registry.h"
#include "proto/core/store.h"

static uint32_t oid_of(const char *name)
{
    return rct_registry_by_name(name)->oid;
}

Test(store, keeps_the_last_good_value_when_a_payload_does_not_decode)
{
    struct store *s = store_new();
    uint32_t soc = oid_of("battery.soc");
    const uint8_t good[] = {0x3f, 0x40, 0x00, 0x00}; /* 0.75 */
    cr_assert_eq(store_put(s, soc, good, 4, 1000, 1), RCT_VALUE_OK);
    const uint8_t cut[] = {0x3e, 0x00};
    cr_assert_eq(store_put(s, soc, cut, 2, 2000, 2), RCT_VALUE_BAD_LENGTH);
    double v;
    cr_assert(store_number(s, soc, &v));
    cr_assert_float_eq(v, 0.75, 1e-9);
    const struct store_entry *e = store_get(s, soc);
    cr_assert_eq(e->updated_ms, 1000);
    cr_assert_eq(e->decode_errors, 1);
    store_free(s);
}

Test(store, moves_from_never_read_to_fresh_to_stale_and_reports_errors)
{
    struct store *s = store_new();
    uint32_t soc = oid_of("battery.soc");
    cr_assert_eq(store_get(s, soc)->state, STORE_NEVER_READ);
    store_set_max_age(s, soc, 5000);
    const uint8_t good[] = {0x3f, 0x40, 0x00, 0x00};
    store_put(s, soc, good, 4, 1000, 1);
    cr_assert_eq(store_get(s, soc)->state, STORE_FRESH);
    cr_assert_not(store_tick(s, 5999));
    cr_assert(store_tick(s, 6001));
    cr_assert_eq(store_get(s, soc)->state, STORE_STALE);
    store_note_timeout(s, soc, 7000);
    cr_assert_eq(store_get(s, soc)->state, STORE_ERROR);
    cr_assert(store_get(s, soc)->has_value, "the old value stays visible");
    store_free(s);
}

static void put_float(struct store *s, uint32_t oid, float f, int64_t t_ms)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    uint8_t b[4] = {(uint8_t)(u >> 24), (uint8_t)(u >> 16), (uint8_t)(u >> 8), (uint8_t)u};
    store_put(s, oid, b, 4, t_ms, 0);
}

Test(store, keeps_a_ring_of_samples_oldest_first_and_bumps_the_generation)
{
    struct store *s = store_new();
    uint32_t p = oid_of("g_sync.p_acc_lp");
    store_keep_samples(s, p, STORE_RING, 0);
    uint64_t gen = store_generation(s);
    for (int i = 0; i < STORE_RING + 10; i++)
        put_float(s, p, (float)i, 1000 + i * 250);
    cr_assert_gt(store_generation(s), gen);
    static struct store_sample out[STORE_RING];
    size_t n = store_ring(s, p, out, STORE_RING);
    cr_assert_eq(n, STORE_RING);
    cr_assert_float_eq(out[0].value, 10.0, 1e-9);
    cr_assert_float_eq(out[n - 1].value, STORE_RING + 9.0, 1e-9);
    /* Times to the tenth of a second, rounded down: a sample never looks newer. */
    cr_assert_eq(out[n - 1].t_ms, 1000 + (STORE_RING + 9) * 250 / 100 * 100);
    cr_assert_eq(out[n - 2].t_ms, 1000 + (STORE_RING + 8) * 250);
    store_free(s);
}

Test(store, keeps_samples_only_where_they_are_drawn)
{
    struct store *s = store_new();
    uint32_t p = oid_of("g_sync.p_acc_lp"), soc = oid_of("battery.soc");
    static struct store_sample out[STORE_RING];
    put_float(s, p, 1.0f, 1000);
    put_float(s, p, 2.0f, 2000);
    cr_assert_eq(store_ring(s, p, out, STORE_RING), 0, "by default a store keeps no samples");
    cr_assert_null(store_get(s, p)->ring, "and allocates none");
    store_keep_samples(s, p, 4, 0);
    store_keep_samples(s, soc, 100, 0);
    store_keep_samples(s, soc, 4, 0);
    for (int i = 0; i < 10; i++) {
        put_float(s, p, (float)i, 3000 + i * 1000);
        put_float(s, soc, (float)i, 3000 + i * 1000);
    }
    cr_assert_eq(store_ring(s, p, out, STORE_RING), 4, "a short trend: the newest few");
    cr_assert_float_eq(out[3].value, 9.0, 1e-9);
    cr_assert_eq(store_ring(s, soc, out, STORE_RING), 10, "asked for more once, it keeps more");
    store_free(s);
}

Test(store, thins_a_charted_series_to_reach_over_its_span)
{
    struct store *s = store_new();
    uint32_t p = oid_of("g_sync.p_acc_lp");
    /* 10 samples over 100 s: one per 10 s, though it is read every second. */
    store_keep_samples(s, p, 10, 100000);
    for (int i = 0; i <= 300; i++)
        put_float(s, p, (float)i, (int64_t)i * 1000);
    static struct store_sample out[STORE_RING];
    size_t n = store_ring(s, p, out, STORE_RING);
    cr_assert_eq(n, 10);
    cr_assert_float_eq(out[n - 1].value, 300.0, 1e-9, "the newest value is always the last read");
    cr_assert_geq(out[n - 1].t_ms - out[0].t_ms, 80000, "the samples span the chart, not 10 s");
    for (size_t i = 1; i + 1 < n; i++)
        cr_assert_eq(out[i].t_ms - out[i - 1].t_ms, 10000, "one sample a slot");
    store_free(s);
}

Test(store, clear_forgets_values_and_keeps_what_was_set_per_oid)
{
    struct store *s = store_new();
    uint32_t p = oid_of("g_sync.p_acc_lp");
    store_keep_samples(s, p, 50, 0);
    store_set_max_age(s, p, 5000);
    put_float(s, p, 7.0f, 1000);
    store_put(s, 0xDEADBEEF, (const uint8_t *)"x", 1, 1000, 0);
    uint64_t gen = store_generation(s);
    store_clear(s);
    cr_assert_gt(store_generation(s), gen);
    cr_assert_not(store_get(s, p)->has_value);
    cr_assert_null(store_get(s, 0xDEADBEEF));
    cr_assert_eq(store_get(s, p)->max_age_ms, 5000);
    static struct store_sample out[STORE_RING];
    cr_assert_eq(store_ring(s, p, out, STORE_RING), 0);
    for (int i = 0; i < 60; i++)
        put_float(s, p, (float)i, 2000 + i);
    cr_assert_eq(store_ring(s, p, out, STORE_RING), 50, "the samples kept are as set before");
    store_free(s);
}

Test(store, files_oids_outside_the_registry_in_a_bounded_side_table)
{
    struct store *s = store_new();
    const uint8_t raw[] = {1, 2, 3};
    for (uint32_t i = 0; i < STORE_UNKNOWN_MAX + 20; i++)
        store_put(s, 0xFFFF0000u + i, raw, 3, 1, 1);
    cr_assert_not_null(store_get(s, 0xFFFF0000u));
    cr_assert_null(store_get(s, 0xFFFF0000u + STORE_UNKNOWN_MAX + 5));
    cr_assert_eq(store_count(s), rct_registry_count() + STORE_UNKNOWN_MAX);
    store_free(s);
}

/* Builds a timeseries page: query ts, then (ts, value) pairs. */
static size_t page(uint8_t *out, uint32_t query, const uint32_t *ts, size_t n)
{
    uint32_t words[64];
    words[0] = query;
    for (size_t i = 0; i < n; i++) {
        float v = (float)ts[i];
        words[1 + 2 * i] = ts[i];
        memcpy(&words[2 + 2 * i], &v, 4);
    }
    for (size_t i = 0; i < 1 + 2 * n; i++) {
        out[4 * i] = (uint8_t)(words[i] >> 24);
        out[4 * i + 1] = (uint8_t)(words[i] >> 16);
        out[4 * i + 2] = (uint8_t)(words[i] >> 8);
        out[4 * i + 3] = (uint8_t)words[i];
    }
    return 4 + 8 * n;
}

Test(history, walks_pages_backwards_dedups_and_stops_at_the_range_start)
{
    struct history_pager p;
    uint32_t oid = oid_of("logger.minutes_soc_log_ts");
    cr_assert(history_pager_init(&p, oid, 1000, 2000));
    uint32_t q;
    cr_assert(history_pager_next_query(&p, &q));
    cr_assert_eq(q, 2001);
    uint8_t buf[512];
    const uint32_t first[] = {1700, 1800, 1900, 2000};
    history_pager_page(&p, buf, page(buf, q, first, 4));
    cr_assert(history_pager_next_query(&p, &q));
    cr_assert_eq(q, 1700, "next page before the oldest received");
    const uint32_t second[] = {1400, 1500, 1600, 1700};  /* 1700 repeated by the device */
    history_pager_page(&p, buf, page(buf, q, second, 4));
    cr_assert(history_pager_next_query(&p, &q));
    const uint32_t third[] = {700, 800, 900, 1000, 1100, 1200, 1300};
    history_pager_page(&p, buf, page(buf, q, third, 7));
    cr_assert_not(history_pager_next_query(&p, &q), "range covered");
    cr_assert_eq(p.status, HISTORY_DONE);
    cr_assert_eq(p.n, 11);
    for (size_t i = 1; i < p.n; i++)
        cr_assert_lt(p.points[i - 1].ts, p.points[i].ts, "ascending and unique");
    cr_assert_eq(p.points[0].ts, 1000);
    cr_assert_eq(p.points[p.n - 1].ts, 2000);
    history_pager_free(&p);
}

Test(history, stops_on_an_empty_or_non_advancing_page_and_on_a_bad_one)
{
    struct history_pager p;
    uint32_t oid = oid_of("logger.minutes_soc_log_ts");
    uint8_t buf[512];
    uint32_t q;
    history_pager_init(&p, oid, 0, 5000);
    history_pager_next_query(&p, &q);
    history_pager_page(&p, buf, page(buf, q, NULL, 0));
    cr_assert_eq(p.status, HISTORY_DONE);
    history_pager_free(&p);

    history_pager_init(&p, oid, 0, 5000);
    history_pager_next_query(&p, &q);
    const uint32_t newer[] = {6000, 7000};  /* nothing older than asked: no progress */
    history_pager_page(&p, buf, page(buf, q, newer, 2));
    cr_assert_eq(p.status, HISTORY_DONE);
    cr_assert_eq(p.n, 0);
    history_pager_free(&p);

    history_pager_init(&p, oid, 0, 5000);
    history_pager_page(&p, buf, 10);  /* 4 + 6: not 4 + 8n */
    cr_assert_eq(p.status, HISTORY_BAD_PAGE);
    history_pager_free(&p);
}

Test(history, refuses_oids_that_are_not_history)
{
    struct history_pager p;
    cr_assert_not(history_pager_init(&p, oid_of("battery.soc"), 0, 10));
    cr_assert_not(history_pager_init(&p, oid_of("logger.minutes_soc_log_ts"), 10, 0));
}

Test(store, a_silent_device_turns_every_fresh_value_stale_at_once_until_read_again)
{
    struct store *s = store_new();
    uint32_t soc = oid_of("battery.soc"), p = oid_of("g_sync.p_acc_lp");
    const uint8_t good[] = {0x3f, 0x40, 0x00, 0x00};
    store_put(s, soc, good, 4, 1000, 1);
    store_put(s, p, good, 4, 1000, 1);
    uint64_t gen = store_generation(s);
    cr_assert(store_mark_all_stale(s));
    cr_assert_gt(store_generation(s), gen, "panes notice");
    cr_assert_eq(store_get(s, soc)->state, STORE_STALE);
    cr_assert_eq(store_get(s, p)->state, STORE_STALE);
    cr_assert(store_get(s, soc)->has_value, "the last value stays, marked stale");
    cr_assert_not(store_mark_all_stale(s), "nothing left to change");
    store_put(s, soc, good, 4, 2000, 2);
    cr_assert_eq(store_get(s, soc)->state, STORE_FRESH, "a new reading is fresh again");
    cr_assert_eq(store_get(s, p)->state, STORE_STALE, "the others stay stale until read");
    store_free(s);
}
