/* Keeping the monitor's picture current: see tracking.h. */
#include "tui/monitor/tracking.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "tui/monitor/alerting.h"
#include "tui/monitor/app.h"

static void on_state(void *ctx, enum link_state state, const char *detail, int64_t retry_in_ms)
{
    struct app *app = ctx;
    app->dirty = true;
    knows_link_state(&app->knows, state, detail, retry_in_ms);
}

static void on_event(void *ctx, const struct session_event *ev)
{
    struct app *app = ctx;
    knows_link_event(&app->knows, ev);
}

static void on_history(void *ctx, const struct sched_request *req, const uint8_t *payload,
                       uint16_t len)
{
    struct app *app = ctx;
    if (app->replay)
        app->pages_generation++;  /* a recorded page is reached: the panes read them again */
    else
        walk_on_page(&app->walks, req, payload, len);
}

static void on_done(void *ctx, const struct sched_request *req, bool ok)
{
    struct app *app = ctx;
    if (req->kind != SCHED_HISTORY || app->replay)
        return;
    app->dirty = true;
    if (walk_on_done(&app->walks, req, ok))
        session_kick(app->session);
}

struct session *tracking_open_session(struct app *app)
{
    struct session_callbacks cb = {on_state, on_event, on_done, on_history};
    return session_new(app->base, &app->session_cfg, app->store, app->sched, &cb, app);
}

void tracking_tick(struct app *app)
{
    if (knows_tick(&app->knows, app->store))
        app->dirty = true;
    /* The verdicts and the alerts on them move with each tick, live or replayed alike, so
     * a replay raises the alerts the live monitor raised, when it raised them. */
    knows_update_findings(&app->knows, app->store, app->session);
    alerting_tick(app);
}

void tracking_catch_up(struct app *app)
{
    store_tick(app->store, session_mono_ms());
    tracking_tick(app);
}

void tracking_forget_device(struct app *app)
{
    walk_free(&app->walks);
    session_free(app->session);
    store_clear(app->store);  /* what is set per OID (samples kept, maximum age) stays */
    app->session = tracking_open_session(app);
    if (!app->session) {
        endwin();
        fprintf(stderr, "rcttop: out of memory\n");
        exit(2);
    }
    walk_init(&app->walks, app->sched);
    knows_forget(&app->knows);
    alerting_forget(app);
    app->pages_generation++;
    app->watched_hash = 0;
    app->drawn_generation = 0;
    app->dirty = true;
}
