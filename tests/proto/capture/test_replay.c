/* Replay: a session fed a recording ends up knowing what the live session knew (every
 * value with its times, every counter), history pages are answered only as far as they
 * were read, and the monitor's kept window holds the last minutes with the link's state. */
#include <criterion/criterion.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/core/clock.h"
#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "proto/capture/replay.h"
#include "proto/core/session.h"
#include "proto/sim/sim.h"
#include "proto/core/walk.h"

#define EVENT_TABLE 0x6F3876BCu

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* An event-table page: query time, then n rows ten seconds apart below `newest`. */
static size_t ev_page(uint8_t *buf, uint32_t query, uint32_t newest, int n)
{
    put_u32(buf, query);
    for (int i = 0; i < n; i++) {
        uint8_t *r = buf + 4 + 20 * i;
        put_u32(r, 0x4C);
        put_u32(r + 4, newest - 10u * (uint32_t)i);
        put_u32(r + 8, 0);
        put_u32(r + 12, 0);
        put_u32(r + 16, 0);
    }
    return 4 + 20 * (size_t)n;
}

Test(replay_pages, answer_only_from_pages_read_by_then_and_only_where_they_reach)
{
    struct replay_pages *p = replay_pages_new();
    uint8_t page[512];
    const uint8_t *got;
    uint16_t len;
    /* Read at t=100 s (mono 100e6): the query asked before 5000 (in the past at 6000),
     * entries 4990 down to 4900. */
    size_t n = ev_page(page, 5000, 4990, 10);
    replay_pages_add(p, EVENT_TABLE, 5000, 6000, 100000000, page, (uint16_t)n);
    cr_assert_eq(replay_pages_answer(p, EVENT_TABLE, 5000, 100000000, &got, &len), REPLAY_PAGE_FOUND);
    cr_assert_eq(len, n);
    cr_assert_eq(replay_pages_answer(p, EVENT_TABLE, 4950, 100000000, &got, &len), REPLAY_PAGE_FOUND,
                 "a narrower query inside the page is answered by it");
    cr_assert_eq(replay_pages_answer(p, EVENT_TABLE, 5500, 100000000, &got, &len), REPLAY_PAGE_NONE,
                 "above what was asked nothing is known");
    cr_assert_eq(replay_pages_answer(p, EVENT_TABLE, 4900, 100000000, &got, &len), REPLAY_PAGE_NONE,
                 "below the oldest entry nothing is known");
    cr_assert_eq(replay_pages_answer(p, EVENT_TABLE, 5000, 99999999, &got, &len), REPLAY_PAGE_LATER,
                 "before it was read, the page is still to come");
    /* A query into the future (as the Events pane asks) covers everything up to then. */
    n = ev_page(page, 90000, 7000, 5);
    replay_pages_add(p, EVENT_TABLE, 90000, 7000, 200000000, page, (uint16_t)n);
    cr_assert_eq(replay_pages_answer(p, EVENT_TABLE, 95000, 200000000, &got, &len), REPLAY_PAGE_FOUND);
    /* An empty page: nothing older than its query. */
    replay_pages_add(p, EVENT_TABLE, 4000, 6000, 300000000, page, 4);
    cr_assert_eq(replay_pages_answer(p, EVENT_TABLE, 10, 300000000, &got, &len), REPLAY_PAGE_FOUND);
    cr_assert_eq(len, 4);
    cr_assert_eq(replay_pages_count(p), 3);
    replay_pages_add(p, EVENT_TABLE, 4000, 6000, 300000000, page, 3);
    cr_assert_eq(replay_pages_count(p), 3, "a page that does not decode is not kept");
    replay_pages_free(p);
}

static enum walk_source_answer from_pages(void *ctx, uint32_t oid, uint32_t ts,
                                          const uint8_t **payload, uint16_t *len)
{
    static const enum walk_source_answer map[] = {WALK_SOURCE_PAGE, WALK_SOURCE_LATER,
                                                  WALK_SOURCE_NONE};
    return map[replay_pages_answer(ctx, oid, ts, 150000000, payload, len)];
}

Test(replay_pages, a_walk_over_recorded_pages_ends_at_once_or_waits_for_one_read_later)
{
    struct replay_pages *p = replay_pages_new();
    uint8_t page[512];
    size_t n = ev_page(page, 90000, 5000, 10);              /* 5000 .. 4910, read at 100 s */
    replay_pages_add(p, EVENT_TABLE, 90000, 6000, 100000000, page, (uint16_t)n);
    n = ev_page(page, 4910, 4900, 10);                      /* 4900 .. 4810 */
    replay_pages_add(p, EVENT_TABLE, 4910, 6000, 100000000, page, (uint16_t)n);
    struct scheduler_config sc;
    scheduler_default_config(&sc);
    struct scheduler *sched = scheduler_new(&sc);
    struct walk_broker w;
    walk_init(&w, sched);
    walk_set_source(&w, from_pages, p);
    uint64_t t = walk_start(&w, EVENT_TABLE, 4850, 89999, 0);
    cr_assert_eq(walk_state_of(&w, t), WALK_DONE);
    cr_assert_eq(walk_pages(&w, t)->n, 16, "rows 5000 .. 4850");
    t = walk_start(&w, EVENT_TABLE, 0, 89999, 0);
    cr_assert_eq(walk_state_of(&w, t), WALK_FAILED, "older rows were never read");
    cr_assert_eq(walk_pages(&w, t)->n, 20, "the rows there are");
    n = ev_page(page, 4810, 4800, 10);                      /* read at 200 s: later */
    replay_pages_add(p, EVENT_TABLE, 4810, 6000, 200000000, page, (uint16_t)n);
    t = walk_start(&w, EVENT_TABLE, 0, 89999, 0);
    cr_assert_eq(walk_state_of(&w, t), WALK_RUNNING, "waits for the page read later");
    struct sched_request next;
    cr_assert(!scheduler_next(sched, 0, &next) || next.kind != SCHED_HISTORY,
              "and asks the device nothing");
    walk_free(&w);
    scheduler_free(sched);
    replay_pages_free(p);
}

Test(recorder, keeps_the_last_minutes_and_the_link_state_they_start_in)
{
    char err[256];
    struct recorder *r = recorder_open(NULL, "host: test\n", 0, false, err, sizeof err);
    cr_assert(r, "%s", err);
    recorder_keep(r, 60 * 1000000LL, 1 << 20);
    clock_set_replay(1000000, 1700000000000000LL);
    recorder_note(r, "connected to test:8899");
    uint8_t bytes[16] = {0x2b, 1, 4};
    for (int s = 1; s <= 180; s++) {
        clock_set_replay(1000000 + s * 1000000LL, 1700000000000000LL + s * 1000000LL);
        recorder_bytes(r, '>', bytes, sizeof bytes);
    }
    FILE *f = tmpfile();
    cr_assert(recorder_write_kept(r, f));
    recorder_close(r);
    clock_live();
    rewind(f);
    struct { int n, notes; int64_t first_bytes_mono; } seen = {0, 0, 0};
    char header[512];
    char path[] = "/tmp/rcttop-kept-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *copy = fdopen(fd, "wb");
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, copy);
    fclose(copy);
    fclose(f);
    char warn[256];
    struct replay *kept = replay_load(path, err, sizeof err, warn, sizeof warn);
    unlink(path);
    cr_assert(kept, "%s", err);
    for (size_t i = 0; i < replay_count(kept); i++) {
        const struct record_entry *e = replay_record(kept, i);
        if (e->kind == '!') {
            seen.notes++;
            cr_assert_eq(i, 0, "the connection note comes first");
            cr_assert_eq(e->mono_us, 1000000, "with its own time");
        } else if (!seen.first_bytes_mono) {
            seen.first_bytes_mono = e->mono_us;
        }
        seen.n++;
    }
    cr_assert_eq(seen.notes, 1);
    cr_assert_eq(seen.n, 62, "the note and the last 61 seconds (%d)", seen.n);
    cr_assert_eq(seen.first_bytes_mono, 121000000);
    cr_assert_str_eq(replay_header(kept, "host", header, sizeof header), "test");
    cr_assert(strstr(replay_header(kept, "kept", header, sizeof header), "last 1 min"));
    replay_free(kept);
}

/* The window is kept in a compact form: written out, each record must be exactly what the
 * file got, whatever the clocks did (a wall clock set back, times at the int64 limits). */
Test(recorder, writes_the_kept_window_exactly_as_the_file_has_it)
{
    char err[256], path[] = "/tmp/rcttop-file-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    unlink(path);
    struct recorder *r = recorder_open(path, "host: test\n", 0, false, err, sizeof err);
    cr_assert(r, "%s", err);
    recorder_keep(r, 3600 * 1000000LL, 1 << 20);
    static const int64_t mono[] = {5, 1000000, 1000001, 250000000, 250000000, 260000000, 900000000};
    static const int64_t unix_us[] = {1700000000000000LL, 1700000001000000LL, 1600000000000000LL,
                                      INT64_MAX, INT64_MIN, -5, 1700000000000000LL};
    uint8_t data[300];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    for (size_t i = 0; i < sizeof mono / sizeof mono[0]; i++) {
        clock_set_replay(mono[i], unix_us[i]);
        recorder_bytes(r, i % 2 ? '<' : '>', data, 1 + i * 40);
    }
    FILE *kept = tmpfile();
    cr_assert(recorder_write_kept(r, kept));
    cr_assert(recorder_finish(r, err, sizeof err), "%s", err);
    clock_live();
    /* Both end in the same records: the file's after its header, the window's after its own. */
    FILE *file = fopen(path, "rb");
    cr_assert_not_null(file);
    static uint8_t a[8192], b[8192];
    size_t na = fread(a, 1, sizeof a, file), nb;
    fclose(file);
    unlink(path);
    rewind(kept);
    nb = fread(b, 1, sizeof b, kept);
    fclose(kept);
    size_t records = 0;
    for (size_t i = 0; i < sizeof mono / sizeof mono[0]; i++)
        records += 21 + 1 + i * 40;
    cr_assert_geq(na, records);
    cr_assert_geq(nb, records);
    cr_assert_eq(memcmp(a + na - records, b + nb - records, records), 0,
                 "the kept records are byte for byte the file's");
}

/* ---- a live session recorded, then replayed ------------------------------- */

struct live {
    struct event_base *base;
    struct sim *sim;
    struct walk_broker walks;
    struct session *session;
    int done;
};

static struct bufferevent *pair_transport(struct event_base *base, void *ctx)
{
    struct live *t = ctx;
    struct bufferevent *ends[2];
    bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends);
    sim_serve_bufferevent(t->sim, ends[1]);
    return ends[0];
}

static void live_done(void *ctx, const struct sched_request *req, bool ok)
{
    struct live *t = ctx;
    t->done++;
    if (walk_on_done(&t->walks, req, ok))
        session_kick(t->session);
}

static int live_pages_seen;

static void live_page(void *ctx, const struct sched_request *req, const uint8_t *payload,
                      uint16_t len)
{
    struct live *t = ctx;
    live_pages_seen++;
    walk_on_page(&t->walks, req, payload, len);
}

static int replay_pages_seen;

/* Each timeout as the Link pane shows it: which OID, attempt n of m. */
struct timeout_seen {
    uint32_t oid;
    int attempt, max_attempts;
};
#define TIMEOUTS_KEPT 4096
static struct timeout_seen live_timeouts[TIMEOUTS_KEPT], replayed_timeouts[TIMEOUTS_KEPT];
static size_t live_timeouts_n, replayed_timeouts_n;

static void keep_timeout(const struct session_event *ev, struct timeout_seen *to, size_t *n)
{
    if (ev->cls == SESSION_TIMEOUT && *n < TIMEOUTS_KEPT)
        to[(*n)++] = (struct timeout_seen){ev->oid, ev->attempt, ev->max_attempts};
}

static void live_event(void *ctx, const struct session_event *ev)
{
    (void)ctx;
    keep_timeout(ev, live_timeouts, &live_timeouts_n);
}

static void replayed_event(void *ctx, const struct session_event *ev)
{
    (void)ctx;
    keep_timeout(ev, replayed_timeouts, &replayed_timeouts_n);
}

static void replayed_page(void *ctx, const struct sched_request *req, const uint8_t *payload,
                          uint16_t len)
{
    (void)ctx;
    (void)payload;
    (void)len;
    cr_assert_eq(req->oid, EVENT_TABLE);
    replay_pages_seen++;
}

Test(replay, a_replayed_session_knows_what_the_live_one_knew)
{
    struct live t = {0};
    t.base = event_base_new();
    struct sim_config cfg;
    sim_default_config(&cfg);
    cfg.start_unix = 1790000000;
    sim_enable_all_quirks(&cfg.quirks);
    cfg.quirks.latency_ms = 2;
    cfg.quirks.jitter_ms = 3;
    cfg.quirks.disconnect_every_s = 0.4;
    t.sim = sim_new(t.base, &cfg);
    struct store *store = store_new();
    struct scheduler_config sc;
    scheduler_default_config(&sc);
    sc.background = false;
    struct scheduler *sched = scheduler_new(&sc);
    uint32_t oids[80];
    size_t n = 0;
    for (size_t i = 0; i < rct_registry_count() && n < 80; i += 11)
        if (rct_registry_at(i)->kind != RCT_KIND_HISTORY)
            oids[n++] = rct_registry_at(i)->oid;
    scheduler_plan_once(sched, oids, n);
    char path[] = "/tmp/rcttop-replay-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char err[256];
    struct recorder *rec = recorder_open(path, "host: sim\noptions: rate 2000, timeout 0.1, retries 3\n",
                                         0, true, err, sizeof err);
    cr_assert(rec, "%s", err);
    struct session_config scfg;
    session_default_config(&scfg);
    scfg.transport = pair_transport;
    scfg.transport_ctx = &t;
    scfg.link.rate = 2000;
    scfg.link.timeout_ms = 100;
    scfg.link.backoff_base_ms = 10;
    scfg.tap = (struct session_tap){recorder_tap, rec};
    struct session_callbacks cb = {NULL, live_event, live_done, live_page};
    t.session = session_new(t.base, &scfg, store, sched, &cb, &t);
    walk_init(&t.walks, sched);
    session_start(t.session);
    walk_start(&t.walks, EVENT_TABLE, 0, cfg.start_unix, 4);
    session_kick(t.session);
    struct timeval step = {0, 20000};
    /* With every quirk on, a busy machine can make a walk give up before its first page
     * (a 100 ms timeout, a disconnect every 0.4 s): it is started again until one came. */
    for (int i = 0; i < 3000 && (scheduler_plan_remaining(sched) || walk_busy(&t.walks) ||
                                 live_pages_seen == 0); i++) {
        if (!walk_busy(&t.walks) && live_pages_seen == 0)
            walk_start(&t.walks, EVENT_TABLE, 0, cfg.start_unix, 4);
        event_base_loopexit(t.base, &step);
        event_base_dispatch(t.base);
    }
    cr_assert_eq(scheduler_plan_remaining(sched), 0);
    cr_assert_gt(live_pages_seen, 0, "the live walk read an event page");
    recorder_close(rec);
    const struct session_counters live = *session_counters(t.session);

    char warn[256];
    struct replay *r = replay_load(path, err, sizeof err, warn, sizeof warn);
    unlink(path);
    cr_assert(r, "%s", err);
    struct store *store2 = store_new();
    struct scheduler *sched2 = scheduler_new(&sc);
    struct session_config rcfg;
    session_default_config(&rcfg);
    rcfg.replay = true;
    rcfg.link = scfg.link;
    struct session_callbacks rcb = {NULL, replayed_event, NULL, replayed_page};
    struct session *replayed = session_new(t.base, &rcfg, store2, sched2, &rcb, NULL);
    for (size_t i = 0; i < replay_count(r); i++) {
        const struct record_entry *e = replay_record(r, i);
        clock_set_replay(e->mono_us, e->unix_us);
        session_replay(replayed, e->kind, e->data, e->len);
    }
    clock_live();
    size_t compared = 0;
    for (size_t i = 0; i < store_count(store); i++) {
        const struct store_entry *a = store_at(store, i);
        if (!a->has_value || !a->info)
            continue;
        const struct store_entry *b = store_get(store2, a->oid);
        cr_assert(b && b->has_value, "%s replayed", a->info->name);
        cr_assert_eq(a->payload_len, b->payload_len, "%s", a->info->name);
        cr_assert_eq(memcmp(a->payload, b->payload, a->payload_len), 0, "%s", a->info->name);
        cr_assert_eq(a->updated_ms, b->updated_ms, "%s read at the same moment", a->info->name);
        cr_assert_eq(a->updated_unix, b->updated_unix, "%s", a->info->name);
        cr_assert_eq(a->ok_count, b->ok_count, "%s", a->info->name);
        compared++;
    }
    cr_assert_gt(compared, n / 2, "%zu values compared", compared);
    const struct session_counters *c = session_counters(replayed);
    cr_assert_eq(c->requests, live.requests, "%llu requests, live %llu",
                 (unsigned long long)c->requests, (unsigned long long)live.requests);
    cr_assert_eq(c->answers, live.answers);
    cr_assert_eq(c->crc_errors, live.crc_errors);
    cr_assert_eq(c->foreign, live.foreign);
    cr_assert_eq(c->unsolicited, live.unsolicited);
    cr_assert_eq(c->truncated, live.truncated);
    cr_assert_eq(c->broken, live.broken);
    cr_assert_eq(c->bytes_in, live.bytes_in);
    cr_assert_eq(c->bytes_out, live.bytes_out);
    cr_assert_eq(c->connects, live.connects);
    cr_assert_eq(c->reconnects, live.reconnects);
    cr_assert_gt(live.reconnects, 0, "the disconnect quirk was exercised");
    /* Rates over the counters' time (another client's answers a minute) come out the same. */
    cr_assert_eq(c->first_us, live.first_us);
    cr_assert_eq(c->heard_us, live.heard_us);
    cr_assert_gt(live.heard_us, live.first_us);
    /* A timeout nothing follows (the last request given up) leaves no trace to replay. */
    cr_assert_leq(live.timeouts - c->timeouts, 1, "timeouts %llu, live %llu",
                  (unsigned long long)c->timeouts, (unsigned long long)live.timeouts);
    cr_assert_geq(live.timeouts, c->timeouts);
    /* Each replayed timeout is the live one: an OID never answered is given up after
     * fewer attempts live, and the replay must say "1/2" where live said so, not "1/4". */
    cr_assert_gt(live_timeouts_n, 0, "the lost-answer quirk was exercised");
    for (size_t i = 0; i < replayed_timeouts_n; i++) {
        const struct timeout_seen *a = &live_timeouts[i], *b = &replayed_timeouts[i];
        cr_assert(a->oid == b->oid && a->attempt == b->attempt && a->max_attempts == b->max_attempts,
                  "timeout %zu: live 0x%08X %d/%d, replayed 0x%08X %d/%d", i, a->oid, a->attempt,
                  a->max_attempts, b->oid, b->attempt, b->max_attempts);
    }
    cr_assert_gt(replay_pages_seen, 0, "the event pages came through as answers (%d replayed, %d live)",
                 replay_pages_seen, live_pages_seen);
    session_free(replayed);
    scheduler_free(sched2);
    store_free(store2);
    replay_free(r);
    walk_free(&t.walks);
    session_free(t.session);
    scheduler_free(sched);
    store_free(store);
    sim_free(t.sim);
    event_base_free(t.base);
}

Test(recorder, the_header_says_how_the_link_was_set_and_reads_back)
{
    char header[512], options[256];
    record_header(header, sizeof header, "192.168.1.5:8899", "monitor", 4, 2, 3, true);
    cr_assert(strstr(header, "host: 192.168.1.5:8899\n"));
    cr_assert(strstr(header, "command: monitor\n"));
    const char *line = strstr(header, "options: ");
    cr_assert(line);
    snprintf(options, sizeof options, "%.*s", (int)(strchr(line, '\n') - line - 9), line + 9);
    double rate, timeout;
    int retries;
    bool listen_only;
    cr_assert(record_header_options(options, &rate, &timeout, &retries, &listen_only));
    cr_assert(rate == 4 && timeout == 2 && retries == 3 && listen_only);
    cr_assert(!record_header_options("rate 99999, timeout 2, retries 3", &rate, &timeout, &retries,
                                     &listen_only), "out of range is not taken");
    cr_assert(!record_header_options("whatever", &rate, &timeout, &retries, &listen_only));
}
