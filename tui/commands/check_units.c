/* Reading the units of a check in parallel: see check_units.h. */
#include "tui/commands/check_units.h"

#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/commands/check_report.h"
#include "tui/commands/oneshot.h"
#include "tui/diagnosis/health.h"
#include "tui/format/args.h"

size_t check_details_to_read(const struct store *store, const char *only, uint32_t *out,
                             size_t max)
{
    uint32_t all[160];
    size_t n = 0, na = health_needed_oids_of(store, only, all, 160);
    for (size_t i = 0; i < na && n < max; i++) {
        const struct store_entry *e = store_get(store, all[i]);
        if (!e || (!e->has_value && e->state != STORE_UNSUPPORTED && !e->timeouts))
            out[n++] = all[i];
    }
    return n;
}

enum { PHASE_VALUES, PHASE_DETAILS1, PHASE_DETAILS2, PHASE_EVENTS, PHASE_DONE };

static void finish(struct check_unit_read *u)
{
    u->k.link = *oneshot_link_counters(u->link, &u->k.srtt_ms, &u->k.seconds);
    u->phase = PHASE_DONE;
    if (--*u->remaining == 0)
        event_base_loopbreak(u->base);
}

/* Why the first values did not come: as the one-device check says it. */
static void first_values_failed(struct check_unit_read *u, int status)
{
    double srtt_ms, seconds;
    const struct session_counters *c = oneshot_link_counters(u->link, &srtt_ms, &seconds);
    char where[300];
    args_format_host_port(u->o.host, u->o.port, where, sizeof where);
    u->offline = true;
    u->status = CHECK_UNKNOWN;
    if (c->connects > 0 && c->answers == 0)
        snprintf(u->why, sizeof u->why, "%s: connected, but no answer in %.0f s (%llu request%s sent)",
                 where, seconds, (unsigned long long)c->requests, c->requests == 1 ? "" : "s");
    else if (status == ONESHOT_OUT_OF_TIME)
        snprintf(u->why, sizeof u->why, "%s did not give the first values within the budget (-t)", where);
    else
        snprintf(u->why, sizeof u->why, "%s", oneshot_link_error(u->link));
}

static void on_phase(void *ctx, struct oneshot_link *link, int status)
{
    struct check_unit_read *u = ctx;
    if (u->phase == PHASE_VALUES && status != CLI_EXIT_OK) {
        if (status == ONESHOT_OUT_OF_TIME && oneshot_link_counters(link, &(double){0}, &(double){0})->answers > 0)
            u->k.out_of_time = true;  /* judged on what it answered in time */
        else
            first_values_failed(u, status);
        finish(u);
        return;
    }
    if (u->phase == PHASE_EVENTS)
        u->k.events_read = status == CLI_EXIT_OK;
    while (++u->phase < PHASE_DONE && oneshot_link_usable(link)) {
        if (u->phase == PHASE_DETAILS1 || u->phase == PHASE_DETAILS2) {
            uint32_t details[160];
            size_t nd = check_details_to_read(u->k.store, u->only, details, 160);
            if (nd) {
                oneshot_link_begin(link, details, nd, NULL);
                return;
            }
            u->phase = PHASE_DETAILS2;
            continue;
        }
        /* A week of the event log, by the device's clock. */
        struct devclock dc;
        devclock_judge(&dc, u->o.clock_mode, u->k.store);
        int64_t device_now = devclock_now(&dc, (int64_t)time(NULL));
        if (u->events_wanted && history_pager_init(&u->k.pager, CHECK_EVENT_TABLE_OID,
                                                   device_now - 7 * 86400, device_now + 60)) {
            oneshot_link_begin(link, NULL, 0, &u->k.pager);
            return;
        }
    }
    u->k.out_of_time = !oneshot_link_usable(link);
    finish(u);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    int *status = arg;
    *status = 128 + (int)fd;
}

int check_units_read(struct check_unit_read *units, size_t n, const uint32_t *oids, size_t noids,
                     double budget_s)
{
    struct event_base *base = event_base_new();
    if (!base)
        return CHECK_UNKNOWN;
    int interrupted = 0;
    struct event *sig[3];
    int signals[3] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++) {
        sig[i] = evsignal_new(base, signals[i], on_signal, &interrupted);
        if (sig[i])
            event_add(sig[i], NULL);
    }
    size_t remaining = n;
    for (size_t i = 0; i < n; i++) {
        struct check_unit_read *u = &units[i];
        memset(&u->k, 0, sizeof u->k);
        u->status = CLI_EXIT_OK;
        u->base = base;
        u->remaining = &remaining;
        u->phase = PHASE_VALUES;
        u->k.store = store_new();
        u->link = u->k.store ? oneshot_link_open_on(base, "check", &u->o, u->k.store, budget_s, on_phase, u)
                             : NULL;
        if (!u->link) {
            u->status = CHECK_UNKNOWN;
            u->offline = true;
            snprintf(u->why, sizeof u->why, "%s", u->k.store ? cli_last_error() : "out of memory");
            u->phase = PHASE_DONE;
            remaining--;
            continue;
        }
        oneshot_link_begin(u->link, oids, noids, NULL);
    }
    /* A signal breaks the loop at once: what was read is not judged. */
    while (remaining > 0 && !interrupted)
        if (event_base_loop(base, EVLOOP_ONCE) != 0)
            break;  /* an error, or nothing left to wait for */
    for (size_t i = 0; i < n; i++)
        oneshot_link_close(units[i].link), units[i].link = NULL;
    for (int i = 0; i < 3; i++)
        if (sig[i])
            event_free(sig[i]);
    event_base_free(base);
    return interrupted ? interrupted : CLI_EXIT_OK;
}
