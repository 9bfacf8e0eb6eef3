/* How long until the 80x24 dashboard is complete: the dashboard's on-screen OIDs read
 * through the real session and scheduler from the in-process simulator with 100 ms of
 * latency, at the default 4 requests/s, with no loss and with 30 % of answers lost.
 * Prints each run and the medians. Usage: bench_fill [RUNS]. Real time: ~1 min a run.
 * bench_fill --smoke: one run with no loss, 1 ms latency, 1000 requests/s and 200 ms
 * timeouts, for ctest. */
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/session.h"
#include "proto/sim/sim.h"
#include "tui/monitor/app.h"
#include "tui/panes/panes.h"

struct bench {
    struct sim *sim;
    struct event_base *base;
    struct store *store;
    uint32_t oids[128];
    size_t n;
    int64_t t0, filled_ms;
};

static struct bufferevent *transport(struct event_base *base, void *ctx)
{
    struct bench *b = ctx;
    struct bufferevent *ends[2];
    bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends);
    sim_serve_bufferevent(b->sim, ends[1]);
    return ends[0];
}

static void on_event(void *ctx, const struct session_event *ev)
{
    struct bench *b = ctx;
    if (ev->cls != SESSION_ANSWER && ev->cls != SESSION_FOREIGN)
        return;
    /* Complete: every OID has a value, or the device has shown it has none (a second
     * tower's serial on a site with one tower), which the dashboard shows as such. */
    for (size_t i = 0; i < b->n; i++) {
        const struct store_entry *e = store_get(b->store, b->oids[i]);
        if (!e || (!e->has_value && e->state != STORE_UNSUPPORTED))
            return;
    }
    b->filled_ms = session_mono_ms() - b->t0;
    event_base_loopbreak(b->base);
}

static bool smoke;

static double run(double drop, uint32_t seed)
{
    struct bench b = {0};
    b.base = event_base_new();
    struct sim_config sc;
    sim_default_config(&sc);
    sc.seed = seed;
    sc.quirks.latency_ms = smoke ? 1 : 100;
    sc.quirks.drop = drop;
    b.sim = sim_new(b.base, &sc);
    /* The dashboard's own list of what it shows, as the monitor hands it over. */
    b.n = panes[0]->visible_oids(NULL, NULL, b.oids, 128);
    struct scheduler_config cfg;
    scheduler_default_config(&cfg);
    struct scheduler *sched = scheduler_new(&cfg);
    scheduler_set_watched(sched, b.oids, b.n);
    b.store = store_new();
    struct session_config scfg;
    session_default_config(&scfg);
    scfg.transport = transport;
    scfg.transport_ctx = &b;
    if (smoke) {
        scfg.link.rate = 1000;
        scfg.link.timeout_ms = 200;  /* in process, an answer takes a millisecond */
    }
    struct session_callbacks cb = {NULL, on_event, NULL, NULL};
    struct session *s = session_new(b.base, &scfg, b.store, sched, &cb, &b);
    b.t0 = session_mono_ms();
    struct timeval limit = {120, 0};
    event_base_loopexit(b.base, &limit);
    session_start(s);
    event_base_dispatch(b.base);
    double seconds = b.filled_ms ? (double)b.filled_ms / 1000.0 : smoke ? -1 : 120.0;
    const struct session_counters *c = session_counters(s);
    printf("  (%llu requests, %llu answers, %llu timeouts, timeout now %lld ms)\n",
           (unsigned long long)c->requests, (unsigned long long)c->answers,
           (unsigned long long)c->timeouts, (long long)session_timeout_ms(s));
    session_free(s);
    store_free(b.store);
    scheduler_free(sched);
    sim_free(b.sim);
    event_base_free(b.base);
    return seconds;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    smoke = argc > 1 && !strcmp(argv[1], "--smoke");
    int runs = smoke ? 1 : argc > 1 ? atoi(argv[1]) : 3;
    if (runs < 1 || runs > 50)
        runs = 3;
    const double drops[] = {0.0, 0.3};
    for (int d = 0; d < (smoke ? 1 : 2); d++) {
        double t[50];
        for (int i = 0; i < runs; i++) {
            t[i] = run(drops[d], (uint32_t)(i + 1));
            if (t[i] < 0) {
                fprintf(stderr, "bench_fill: the dashboard was not complete after 120 s\n");
                return 1;
            }
            printf("loss %2.0f %%  run %d: dashboard complete after %.1f s\n", drops[d] * 100, i + 1, t[i]);
            fflush(stdout);
        }
        qsort(t, (size_t)runs, sizeof t[0], cmp);
        printf("loss %2.0f %%  median %.1f s (%zu OIDs, %s)\n", drops[d] * 100, t[runs / 2],
               (size_t)panes[0]->visible_oids(NULL, NULL, (uint32_t[128]){0}, 128),
               smoke ? "1000 requests/s, 1 ms latency" : "4 requests/s, 100 ms latency");
    }
    return 0;
}
