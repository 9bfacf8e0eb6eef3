/* What the monitor knows, without a terminal: fault bits and their changes as the words
 * are read, silence after the limit (and every value stale with it), the link log's ring,
 * findings counted without the fault ones, the device clock's offset. The clock is set
 * by hand (the replay's clock), so every time is exact. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/clock.h"
#include "proto/core/store.h"
#include "tui/config/config.h"
#include "tui/device/knows.h"

#define T0_UNIX 1764590400LL  /* 2025-12-01 12:00:00 UTC */
#define BASE_MS 100000        /* the monotonic clock at t = 0 (0 would read "never") */

static struct store *store;
static struct device_knows k;

static void at(int64_t mono_ms)
{
    clock_set_replay((BASE_MS + mono_ms) * 1000, (T0_UNIX * 1000 + mono_ms) * 1000);
}

static void put_u32(const char *name, uint32_t v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    cr_assert_not_null(info, "%s", name);
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    int64_t now = session_mono_ms();
    cr_assert_eq(store_put(store, info->oid, p, 4, now, session_unix_ms() / 1000), RCT_VALUE_OK);
}

static void fault_words(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3)
{
    uint32_t w[4] = {w0, w1, w2, w3};
    for (unsigned i = 0; i < 4; i++) {
        const struct rct_oid_info *info = rct_registry_by_id(rct_fault_word_oid(i));
        put_u32(info->name, w[i]);
    }
}

static void setup(void)
{
    at(0);
    store = store_new();
    struct health_thresholds t;
    config_default_thresholds(&t);
    knows_init(&k, &t, 5000);
    k.started_ms = BASE_MS;
}

static void teardown(void)
{
    store_free(store);
    clock_live();
}

TestSuite(knows, .init = setup, .fini = teardown);

Test(knows, fault_state_is_unknown_until_all_four_words_are_read)
{
    cr_assert_eq(knows_active_faults(&k), -1);
    put_u32(rct_registry_by_id(rct_fault_word_oid(0))->name, 1);
    knows_tick(&k, store);
    cr_assert_eq(knows_active_faults(&k), -1, "three words still unread");
    fault_words(1, 0, 0, 0);
    cr_assert(knows_tick(&k, store), "a fault seen is a change to show");
    cr_assert_eq(knows_active_faults(&k), 1);
    cr_assert(knows_faults_current(&k, store, LINK_ONLINE, NULL));
    cr_assert_not(knows_faults_current(&k, store, LINK_OFFLINE, NULL), "offline: not current");
}

Test(knows, a_fault_that_comes_and_goes_is_two_changes_stamped_when_read)
{
    fault_words(0, 0, 0, 0);
    knows_tick(&k, store);
    at(1000);
    fault_words(0, 1u << 3, 0, 0);
    knows_tick(&k, store);
    cr_assert_eq(k.fault_since[35], T0_UNIX + 1);
    at(3000);
    fault_words(0, 0, 0, 0);
    cr_assert(knows_tick(&k, store));
    cr_assert_not(knows_tick(&k, store), "nothing new: no change");
    cr_assert_eq(k.fault_changes_len, 2);
    cr_assert(k.fault_changes[0].active && k.fault_changes[0].bit == 35);
    cr_assert(!k.fault_changes[1].active && k.fault_changes[1].unix_s == T0_UNIX + 3);
    cr_assert_eq(knows_active_faults(&k), 0);
}

Test(knows, silence_after_the_limit_marks_every_value_stale_and_a_reading_ends_it)
{
    fault_words(0, 0, 0, 0);
    knows_tick(&k, store);
    cr_assert_not(k.silent);
    cr_assert_eq(k.last_heard_unix_ms, T0_UNIX * 1000);
    at(5000);
    cr_assert_not(knows_tick(&k, store), "at the limit, not past it");
    at(5001);
    cr_assert(knows_tick(&k, store), "silent now: a change to show");
    cr_assert(k.silent);
    const struct store_entry *e = store_get(store, rct_fault_word_oid(0));
    cr_assert_neq(e->state, STORE_FRESH, "silence turns the values stale");
    cr_assert_not(knows_faults_current(&k, store, LINK_ONLINE, NULL));
    at(6000);
    fault_words(0, 0, 0, 0);
    cr_assert(knows_tick(&k, store));
    cr_assert_not(k.silent);
}

Test(knows, silence_counts_from_the_start_when_nothing_was_ever_heard)
{
    k.started_ms = BASE_MS + 2000;
    at(7000);
    knows_tick(&k, store);
    cr_assert_not(k.silent);
    at(7001);
    knows_tick(&k, store);
    cr_assert(k.silent);
    cr_assert_eq(k.last_heard_unix_ms, 0, "never heard");
}

Test(knows, the_link_log_keeps_the_newest_rows_in_order)
{
    for (unsigned i = 0; i < LINKLOG_SIZE + 10; i++) {
        struct session_event ev = {.unix_ms = i, .cls = SESSION_ANSWER, .oid = i};
        knows_link_event(&k, &ev);
    }
    cr_assert_eq(k.linklog_len, LINKLOG_SIZE);
    cr_assert_eq(k.linklog_added, LINKLOG_SIZE + 10);
    cr_assert_eq(knows_linklog_at(&k, 0)->oid, 10u, "the oldest kept");
    cr_assert_eq(knows_linklog_at(&k, LINKLOG_SIZE - 1)->oid, LINKLOG_SIZE + 9u, "the newest");
}

Test(knows, a_link_state_is_logged_once_but_every_offline_is)
{
    cr_assert(knows_link_state(&k, LINK_CONNECTING, "connecting to x", 0));
    cr_assert_not(knows_link_state(&k, LINK_CONNECTING, "connecting to x", 0));
    cr_assert(knows_link_state(&k, LINK_OFFLINE, "refused", 1500));
    cr_assert(knows_link_state(&k, LINK_OFFLINE, "refused", 3000));
    cr_assert_eq(k.linklog_len, 3);
    cr_assert_str_eq(knows_linklog_at(&k, 2)->note, "offline: refused, retry in 3 s");
}

/* README: "connected, no answer yet" is a device that never answered on any connection;
 * one that answered and went silent is "no answer for N s (last answer HH:MM:SS)", in the
 * status bar and in the link log when the monitor connects to it again. */
Test(knows, a_device_that_answered_and_went_silent_is_never_no_answer_yet)
{
    setenv("TZ", "UTC", 1);
    tzset();
    char words[96];
    cr_assert_str_eq(knows_link_words(&k, LINK_SILENT, words, sizeof words), "connected, no answer yet");
    fault_words(0, 0, 0, 0);
    knows_tick(&k, store);
    cr_assert_str_eq(knows_link_words(&k, LINK_ONLINE, words, sizeof words), "online");
    at(42000);
    knows_tick(&k, store);
    cr_assert(k.silent);
    const char *want = "no answer for 42 s (last answer 12:00:00)";
    cr_assert_str_eq(knows_link_words(&k, LINK_ONLINE, words, sizeof words), want);
    cr_assert_str_eq(knows_link_words(&k, LINK_DEGRADED, words, sizeof words), want);
    cr_assert_str_eq(knows_link_words(&k, LINK_SILENT, words, sizeof words), want,
                     "connected again, the device still silent");
    cr_assert_str_eq(knows_link_words(&k, LINK_CONNECTING, words, sizeof words), "connecting");
    cr_assert_str_eq(knows_link_words(&k, LINK_OFFLINE, words, sizeof words), "offline");
    knows_link_state(&k, LINK_SILENT, "", 0);
    cr_assert_str_eq(knows_linklog_at(&k, k.linklog_len - 1)->note, want, "the link log says the same");
    /* A new connection a moment after an answer: no silence to report, no "no answer yet". */
    at(43000);
    fault_words(0, 0, 0, 0);
    knows_tick(&k, store);
    cr_assert_str_eq(knows_link_words(&k, LINK_SILENT, words, sizeof words), "connected again (last answer 12:00:43)");
}

Test(knows, health_counts_leave_the_fault_findings_to_the_fault_mark)
{
    k.nfindings = 3;
    strcpy(k.findings[0].id, "faults.bit16");
    k.findings[0].severity = HEALTH_CRITICAL;
    strcpy(k.findings[1].id, "battery.soh");
    k.findings[1].severity = HEALTH_WARNING;
    strcpy(k.findings[2].id, "insulation");
    k.findings[2].severity = HEALTH_CRITICAL;
    int crit, warn;
    knows_health_counts(&k, &crit, &warn);
    cr_assert_eq(crit, 1);
    cr_assert_eq(warn, 1);
}

Test(knows, forgetting_keeps_the_limits_and_drops_what_the_device_said)
{
    fault_words(1, 0, 0, 0);
    knows_tick(&k, store);
    knows_forget(&k);
    cr_assert_eq(knows_active_faults(&k), -1);
    cr_assert_eq(k.fault_changes_len, 0);
    cr_assert_eq(k.silent_after_ms, 5000);
    cr_assert(isnan(k.totals_first[0]));
}
