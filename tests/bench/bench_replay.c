/* Replay seeking: how long `rcttop replay` takes to play a whole day's recording through
 * (what a seek to the end, or any seek backwards, costs). A session against the
 * in-process simulator is recorded for 10 000 requests, then tiled and stretched to 24 h
 * at the real-device pace of 4 requests/s (about 350 000 requests, 700 000 records), written to
 * /tmp and replayed RUNS times: load, then every record through a replaying session with
 * the monitor's 250 ms ticks (staleness, silence and fault words looked at each tick).
 * Prints each run and the medians. Usage: bench_replay [RUNS], or bench_replay --smoke (one
 * run of 500 requests tiled twice, for ctest). */
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/core/clock.h"
#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "proto/capture/replay.h"
#include "proto/core/session.h"
#include "proto/sim/sim.h"

#define DAY_US (86400 * 1000000LL)
#define TICK_US 250000

static struct sim *sim;
static uint64_t requests = 10000;
static int tiles = 35;

static struct bufferevent *pair_transport(struct event_base *base, void *ctx)
{
    (void)ctx;
    struct bufferevent *ends[2];
    bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends);
    sim_serve_bufferevent(sim, ends[1]);
    return ends[0];
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void record_session(const char *path)
{
    struct event_base *base = event_base_new();
    struct sim_config cfg;
    sim_default_config(&cfg);
    /* A site that answers every OID: the default one ignores the second tower's, and a
     * sweep of the registry would wait out their timeouts for minutes. */
    cfg.profile = SIM_PROFILE_DUAL_TOWER;
    sim = sim_new(base, &cfg);
    struct store *store = store_new();
    struct scheduler_config sc;
    scheduler_default_config(&sc);
    struct scheduler *sched = scheduler_new(&sc);
    char err[256];
    struct recorder *rec = recorder_open(path, "host: bench\noptions: rate 4, timeout 2, retries 3\n",
                                         0, true, err, sizeof err);
    if (!rec) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    struct session_config scfg;
    session_default_config(&scfg);
    scfg.transport = pair_transport;
    scfg.link.rate = 10000;
    scfg.link.timeout_ms = 200;  /* in process, an answer takes microseconds */
    scfg.tap = (struct session_tap){recorder_tap, rec};
    struct session *s = session_new(base, &scfg, store, sched, NULL, NULL);
    session_start(s);
    static uint32_t oids[2048];
    size_t n = 0;
    for (size_t i = 0; i < rct_registry_count() && n < 2048; i++)
        if (rct_registry_at(i)->kind != RCT_KIND_HISTORY)
            oids[n++] = rct_registry_at(i)->oid;
    struct timeval step = {0, 20000};
    while (session_counters(s)->answers < requests) {
        if (scheduler_plan_remaining(sched) == 0) {
            scheduler_plan_once(sched, oids, n);  /* every value, again and again */
            session_kick(s);
        }
        event_base_loopexit(base, &step);
        event_base_dispatch(base);
    }
    recorder_close(rec);
    session_free(s);
    scheduler_free(sched);
    store_free(store);
    sim_free(sim);
    event_base_free(base);
}

/* The recording tiled `tiles` times and stretched so it spans a day. */
static void stretch(const char *in, const char *out)
{
    char err[256], warn[256];
    struct replay *r = replay_load(in, err, sizeof err, warn, sizeof warn);
    if (!r) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    struct recorder *w = recorder_open(out, "host: bench\noptions: rate 4, timeout 2, retries 3\n", 0,
                                       true, err, sizeof err);
    int64_t first = replay_first_mono_us(r), span = replay_last_mono_us(r) - first + 1000;
    double scale = (double)DAY_US / tiles / (double)span;
    for (int t = 0; t < tiles; t++)
        for (size_t i = 0; i < replay_count(r); i++) {
            const struct record_entry *e = replay_record(r, i);
            if (t > 0 && e->kind == '!')
                continue;
            int64_t at = (int64_t)((double)(t * span + (e->mono_us - first)) * scale);
            clock_set_replay(1000000 + at, 1790000000000000LL + at);
            if (e->kind == '!')
                recorder_note(w, (const char *)e->data);
            else
                recorder_bytes(w, e->kind, e->data, e->len);
        }
    clock_live();
    recorder_close(w);
    replay_free(r);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    bool smoke = argc > 1 && !strcmp(argv[1], "--smoke");
    if (smoke) {
        requests = 500;
        tiles = 2;
    }
    int runs = smoke ? 1 : argc > 1 ? atoi(argv[1]) : 3;
    if (runs < 1 || runs > 50)
        runs = 3;
    /* Named by process, so runs side by side (ctest -j, two trees) keep to their own. */
    char raw[64], day[64];
    snprintf(raw, sizeof raw, "/tmp/rcttop-bench-replay-raw-%d", (int)getpid());
    snprintf(day, sizeof day, "/tmp/rcttop-bench-replay-day-%d", (int)getpid());
    record_session(raw);
    stretch(raw, day);
    unlink(raw);
    double load[50], play[50];
    size_t records = 0;
    for (int k = 0; k < runs; k++) {
        char err[256], warn[256];
        double t0 = now_s();
        struct replay *r = replay_load(day, err, sizeof err, warn, sizeof warn);
        if (!r) {
            fprintf(stderr, "bench_replay: %s\n", err);
            return 1;
        }
        struct replay_pages *pages = replay_pages_new();
        replay_pages_index(pages, r);
        double t1 = now_s();
        struct event_base *base = event_base_new();
        struct store *store = store_new();
        struct scheduler_config sc;
        scheduler_default_config(&sc);
        struct scheduler *sched = scheduler_new(&sc);
        struct session_config cfg;
        session_default_config(&cfg);
        cfg.replay = true;
        struct session *s = session_new(base, &cfg, store, sched, NULL, NULL);
        int64_t tick = replay_first_mono_us(r) + TICK_US;
        uint64_t looked = 0;
        records = replay_count(r);
        for (size_t i = 0; i < records; i++) {
            const struct record_entry *e = replay_record(r, i);
            for (; tick <= e->mono_us; tick += TICK_US) {
                clock_set_replay(tick, replay_unix_at(r, tick));
                looked += (uint64_t)store_newest_ms(store);
                for (unsigned w = 0; w < 4; w++)
                    looked += store_get(store, rct_fault_word_oid(w)) != NULL;
            }
            clock_set_replay(e->mono_us, e->unix_us);
            session_replay(s, e->kind, e->data, e->len);
        }
        store_tick(store, session_mono_ms());
        double t2 = now_s();
        clock_live();
        load[k] = t1 - t0;
        play[k] = t2 - t1;
        printf("run %d: load %.3f s, play a day through %.3f s (%zu records, %llu answers)%s\n", k + 1,
               load[k], play[k], records, (unsigned long long)session_counters(s)->answers,
               looked ? "" : " ");
        if (session_counters(s)->answers == 0) {
            fprintf(stderr, "bench_replay: the replay brought no answer\n");
            return 1;
        }
        session_free(s);
        scheduler_free(sched);
        store_free(store);
        event_base_free(base);
        replay_pages_free(pages);
        replay_free(r);
    }
    if (!getenv("RCT_BENCH_KEEP"))
        unlink(day);  /* RCT_BENCH_KEEP=1 keeps it, to replay it in the monitor */
    else
        printf("kept %s\n", day);
    qsort(load, (size_t)runs, sizeof load[0], cmp);
    qsort(play, (size_t)runs, sizeof play[0], cmp);
    printf("median: load %.3f s, a whole day played through in %.3f s (%.1f M records/s)\n",
           load[runs / 2], play[runs / 2], (double)records / play[runs / 2] / 1e6);
    return 0;
}
