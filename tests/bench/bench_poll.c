/* Polling throughput: one full read of N registry OIDs through the real session and
 * scheduler against the in-process simulator at --rate 10000, for N = 100 .. 900.
 * Prints requests/s per run and the median, and how the time grows with N.
 * Usage: bench_poll [RUNS], or bench_poll --smoke (one run of 100 OIDs, for ctest). */
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/session.h"
#include "proto/sim/sim.h"

struct bench {
    struct sim *sim;
    struct event_base *base;
    struct scheduler *sched;
    size_t done;
};

static struct bufferevent *transport(struct event_base *base, void *ctx)
{
    struct bench *b = ctx;
    struct bufferevent *ends[2];
    bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends);
    sim_serve_bufferevent(b->sim, ends[1]);
    return ends[0];
}

static void on_done(void *ctx, const struct sched_request *req, bool ok)
{
    (void)req;
    (void)ok;
    struct bench *b = ctx;
    b->done++;
    if (scheduler_plan_remaining(b->sched) == 0)
        event_base_loopbreak(b->base);
}

static double run(size_t n)
{
    struct bench b = {0};
    b.base = event_base_new();
    struct sim_config sc;
    sim_default_config(&sc);
    sc.speed = 0;
    /* A site that answers every OID, as bench_replay's: the default one ignores the second
     * tower's, and their timeouts, not the polling, would be timed. */
    sc.profile = SIM_PROFILE_DUAL_TOWER;
    b.sim = sim_new(b.base, &sc);
    /* The model computes this year's daily totals once; keep that out of the timing. */
    uint8_t warm[64];
    size_t warm_len;
    sim_read_payload(b.sim, rct_registry_by_name("energy.e_ac_year")->oid, sim_now(b.sim), warm,
                     sizeof warm, &warm_len);
    struct scheduler_config cfg;
    scheduler_default_config(&cfg);
    cfg.background = false;
    cfg.faults = false;
    b.sched = scheduler_new(&cfg);
    uint32_t *oids = malloc(n * sizeof *oids);
    size_t k = 0;
    for (size_t i = 0; i < rct_registry_count() && k < n; i++)
        if (rct_registry_at(i)->kind != RCT_KIND_HISTORY)
            oids[k++] = rct_registry_at(i)->oid;
    scheduler_plan_once(b.sched, oids, k);
    struct store *store = store_new();
    struct session_config scfg;
    session_default_config(&scfg);
    scfg.transport = transport;
    scfg.transport_ctx = &b;
    scfg.link.rate = 10000;
    struct session_callbacks cb = {NULL, NULL, on_done, NULL};
    struct session *s = session_new(b.base, &scfg, store, b.sched, &cb, &b);
    int64_t t0 = session_mono_ms();
    struct timeval limit = {120, 0};
    event_base_loopexit(b.base, &limit);
    session_start(s);
    event_base_dispatch(b.base);
    double seconds = (double)(session_mono_ms() - t0) / 1000.0;
    if (scheduler_plan_remaining(b.sched) != 0) {
        fprintf(stderr, "bench_poll: %zu of %zu OIDs read in 120 s\n", b.done, k);
        seconds = -1;
    }
    session_free(s);
    store_free(store);
    scheduler_free(b.sched);
    sim_free(b.sim);
    event_base_free(b.base);
    free(oids);
    return seconds < 0 ? -1 : seconds > 0 ? seconds : 1e-3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    bool smoke = argc > 1 && !strcmp(argv[1], "--smoke");
    int runs = smoke ? 1 : argc > 1 ? atoi(argv[1]) : 5;
    if (runs < 1 || runs > 50) {
        fprintf(stderr, "usage: bench_poll [RUNS 1..50 | --smoke]\n");
        return 2;
    }
    static const size_t sizes[] = {100, 300, 500, 700, 850};
    size_t nsizes = smoke ? 1 : sizeof sizes / sizeof sizes[0];
    double base_median = 0;
    for (size_t s = 0; s < nsizes; s++) {
        double t[50];
        for (int r = 0; r < runs; r++)
            if ((t[r] = run(sizes[s])) < 0)
                return 1;
        qsort(t, (size_t)runs, sizeof t[0], cmp);
        double median = t[runs / 2];
        if (s == 0)
            base_median = median;
        printf("%4zu OIDs: median %.3f s, %.0f requests/s, time x%.2f for x%.1f OIDs\n", sizes[s],
               median, (double)sizes[s] / median, median / base_median, sizes[s] / 100.0);
    }
    return 0;
}
