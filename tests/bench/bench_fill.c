/* How long until the 80x24 dashboard is complete: the dashboard's on-screen OIDs read
 * through the real session and scheduler from the in-process simulator with 100 ms of
 * latency, at the default 4 requests/s, with no loss and with 30 % of answers lost.
 * The diagnosis's inputs are read beside them, as in the monitor.
 * Prints each run and the medians. Usage: bench_fill [RUNS [lossy]] (lossy: the 30 % case
 * alone). Real time: ~1 min a run.
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
#include "tui/diagnosis/health.h"
#include "tui/monitor/app.h"
#include "tui/panes/panes.h"

/* The Dashboard, by its key: the pane table begins with the Plant pane. */
static const struct view *dashboard(void)
{
    for (size_t i = 0; i < panes_count; i++)
        if (panes[i]->digit == '1')
            return panes[i];
    return NULL;
}

struct bench {
    struct sim *sim;
    struct event_base *base;
    struct store *store;
    uint32_t oids[128];
    size_t n;
    int64_t t0, filled_ms, drawn_ms;
};

static struct bufferevent *transport(struct event_base *base, void *ctx)
{
    struct bench *b = ctx;
    struct bufferevent *ends[2];
    bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE, ends);
    sim_serve_bufferevent(b->sim, ends[1]);
    return ends[0];
}

/* Whether oid is answered, or known to be unknown to the device (and truly is: a value
 * the device has but a verdict says it has not, on a lossy link, is missing). */
static bool settled(struct bench *b, uint32_t oid)
{
    const struct store_entry *e = store_get(b->store, oid);
    uint8_t payload[2048];
    size_t len;
    bool known = sim_read_payload(b->sim, oid, sim_now(b->sim), payload, sizeof payload, &len);
    return e && (e->has_value || (e->state == STORE_UNSUPPORTED && !known));
}

/* The towers' serials are questions, not values the dashboard draws: whether a second
 * tower is there (drawn only once it answers). */
static bool drawn(uint32_t oid)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    return !info || !strstr(info->name, ".bms_sn");
}

static void on_event(void *ctx, const struct session_event *ev)
{
    struct bench *b = ctx;
    if (ev->cls != SESSION_ANSWER && ev->cls != SESSION_FOREIGN && ev->cls != SESSION_UNSUPPORTED)
        return;
    bool values = true, all = true;
    for (size_t i = 0; i < b->n; i++) {
        bool done = settled(b, b->oids[i]);
        all &= done;
        values &= done || !drawn(b->oids[i]);
    }
    int64_t now = session_mono_ms() - b->t0;
    if (values && !b->drawn_ms)
        b->drawn_ms = now ? now : 1;
    if (all) {
        b->filled_ms = now ? now : 1;
        event_base_loopbreak(b->base);
    }
}

static bool smoke;

static double run(double drop, uint32_t seed, double *drawn_s)
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
    b.n = dashboard()->visible_oids(NULL, NULL, b.oids, 128);
    struct scheduler_config cfg;
    scheduler_default_config(&cfg);
    struct scheduler *sched = scheduler_new(&cfg);
    scheduler_set_watched(sched, b.oids, b.n);
    /* As in the monitor, the diagnosis reads its inputs beside the screen. */
    uint32_t judged[256];
    scheduler_set_diagnosed(sched, judged, health_needed_oids(NULL, judged, 256));
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
    *drawn_s = b.drawn_ms ? (double)b.drawn_ms / 1000.0 : 120.0;
    /* What never came, said: a run that does not finish names its missing values. */
    for (size_t i = 0; !b.filled_ms && i < b.n; i++)
        if (!settled(&b, b.oids[i])) {
            const struct rct_oid_info *info = rct_registry_by_id(b.oids[i]);
            const struct store_entry *e = store_get(b.store, b.oids[i]);
            printf("  missing: %s (%s, %u requests unanswered)\n", info ? info->name : "?",
                   e ? store_state_name(e->state) : "not in the store", e ? (unsigned)e->timeouts : 0);
        }
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
    /* bench_fill RUNS lossy: only the 30 % case. */
    bool lossy_only = argc > 2 && !strcmp(argv[2], "lossy");
    const double drops[] = {0.0, 0.3};
    for (int d = lossy_only ? 1 : 0; d < (smoke ? 1 : 2); d++) {
        double t[50], v[50];
        for (int i = 0; i < runs; i++) {
            t[i] = run(drops[d], (uint32_t)(i + 1), &v[i]);
            if (t[i] < 0) {
                fprintf(stderr, "bench_fill: the dashboard was not complete after 120 s\n");
                return 1;
            }
            printf("loss %2.0f %%  run %d: every value drawn after %.1f s, towers settled after %.1f s\n",
                   drops[d] * 100, i + 1, v[i], t[i]);
            fflush(stdout);
        }
        qsort(t, (size_t)runs, sizeof t[0], cmp);
        qsort(v, (size_t)runs, sizeof v[0], cmp);
        printf("loss %2.0f %%  median: values drawn %.1f s, towers settled %.1f s (%zu OIDs, %s)\n",
               drops[d] * 100, v[runs / 2], t[runs / 2],
               (size_t)dashboard()->visible_oids(NULL, NULL, (uint32_t[128]){0}, 128),
               smoke ? "1000 requests/s, 1 ms latency" : "4 requests/s, 100 ms latency");
    }
    return 0;
}
