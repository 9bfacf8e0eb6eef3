/* The monitor's shared context: the pane interface, the options, struct app (the screen,
 * its devices and the one shown: what the loop, the bars and every pane work on), and
 * the helpers panes draw with. One device is tui/device/device.h; the loop is loop.h. */
#ifndef RCT_APP_H
#define RCT_APP_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "proto/core/devclock.h"
#include "proto/core/history.h"
#include "proto/core/walk.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "tui/config/config.h"
#include "tui/config/units.h"
#include "tui/device/device.h"
#include "widgets/glyphs.h"
#include "widgets/layout.h"
#include "widgets/theme.h"

struct app;

/* One pane: a file tui/panes/view_*.c and one entry in the table in tui/panes/panes.c. */
struct view {
    const char *title;              /* tab text */
    const char *short_title;        /* where the full ones do not fit (NULL: the same) */
    int digit;                      /* the key that opens it: '0' .. '9' */
    void *(*create)(struct app *app);
    void (*destroy)(void *state);
    void (*draw)(struct app *app, void *state, WINDOW *win, struct wrect area);
    /* Returns true if the key was the pane's. */
    bool (*key)(struct app *app, void *state, int ch);
    /* OIDs on screen now (read first by the scheduler); returns how many. */
    size_t (*visible_oids)(struct app *app, void *state, uint32_t *out, size_t max);
    /* OIDs the pane charts over time: sampled all the time, open or not (NULL: none). */
    size_t (*sampled_oids)(uint32_t *out, size_t max);
    /* The pane's own keys for the help overlay: "key\tdescription" lines. */
    const char *help;
    /* A mouse click at screen row y, column x: select what is there (NULL: none). */
    bool (*click)(struct app *app, void *state, int y, int x);
    /* True while the pane captures all printable keys (e.g. typing a search). */
    bool (*text_entry)(void *state);
    /* Its visible OIDs are read on every unit, not only the one shown (the Plant pane). */
    bool every_unit;
};

struct app_options {
    struct config cfg;
    bool demo;
    char host[256];
    uint16_t port;
    char device_label[300];
    double rate, timeout;
    int retries;
    char theme[256];
    bool ascii, mouse;
    bool listen_only;              /* send nothing; show what other clients' answers bring */
    char record_path[1024];        /* --record: every byte both ways (rcttop decode FILE) */
    double record_max_mb;
    bool record_force;             /* --force: --record may replace an existing regular file */
    /* rcttop replay FILE: the monitor fed from a recording */
    char replay_path[1024];
    double replay_speed;           /* 1 = as fast as it was recorded */
    char replay_at[64];            /* start at this recorded time ("": the beginning) */
    bool replay_paused;
    enum devclock_mode clock_mode; /* [device] clock: how the device's timestamps are read */
    char on_alert[512];            /* --on-alert (else [alerts] command) */
    bool ring_bell;                     /* --bell (or [alerts] bell) */
    /* Several units (--host repeated, --plant): each its own device; n 0 = the one device
     * host (or the demo) names. */
    struct unit_list units;
};

struct replay_driver;
struct plant_state;

struct app {
    struct app_options *opt;  /* the caller's, not a copy (it is large) */
    struct event_base *base;
    /* The devices followed (today one) and the one the panes show. */
    struct device **devices;
    size_t ndevices;
    size_t current;
    struct replay_driver *replay;  /* rcttop replay: position, speed, recorded pages */
    struct plant_state *plant;     /* the units together: rows, totals, plant findings */
    struct alert_settings *unit_alerts;  /* each unit's: [alerts] with its expected_offline */
    SCREEN *screen;
    struct wtheme theme;
    enum wcolour_mode colour_mode;
    const struct wglyphs *glyphs;
    size_t theme_index;
    const struct view *const *views;   /* the panes, in tab order */
    size_t nviews;
    int current_view;
    void **view_state;
    bool help_open;
    int help_scroll;
    bool paused;
    bool dirty;                    /* force a redraw */
    bool redraw_now;               /* draw again at once (a replayed walk ended in the draw) */
    bool quit;
    bool ring_bell;                /* --bell (or [alerts] bell): at an alert into warning or worse */
    uint64_t drawn_generation;
    int64_t drawn_second;
    uint32_t watched_hash;
    bool linklog_frozen;           /* the Link pane holds its view (the log goes on) */
    char message[160];             /* a transient note in the key bar */
    int64_t message_until_ms;
    int64_t ui_started_ms;         /* app_ui_ms() at start */
    /* what monitor_run made, for its close to undo whichever way it ends */
    struct event *events[8];
    size_t nevents;
};

/* The device the panes show. */
static inline struct device *app_device(const struct app *app)
{
    return app->devices[app->current];
}

/* Helpers for panes. */
attr_t app_attr(const struct app *app, enum wrole role);
/* Value of an OID as a person reads it, or "…"/"--"; *role says how to draw it
 * (value, stale, error). */
const char *app_value_text(struct app *app, uint32_t oid, char *buf, size_t cap,
                           enum wrole *role);
/* How to draw what was derived from an OID's value: `role` while it is fresh, the stale
 * role once it is old or the device is not answering. */
enum wrole app_role_for(const struct app *app, uint32_t oid, enum wrole role);
/* The scaled number of an OID if it has a value (fresh or stale). */
bool app_number(struct app *app, const char *name, double *out);
/* A transient note in the key bar (four seconds). */
void app_note(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when the fault words on screen are the device's state now: read recently, the
 * link up and the device answering. Otherwise the fault state is unknown and panes say
 * so (never "no active faults"). *read_unix_s: when they were last read (0 = never). */
bool app_faults_current(const struct app *app, int64_t *read_unix_s);
/* True if the named OID's value is fresh (read recently from a device that answers). */
bool app_is_fresh(const struct app *app, const char *name);
/* What stands where a value is missing: "not supported" (the device does not know it),
 * "--" (asked and given up), else the ellipsis (still to come); role: how to draw it. */
const char *app_missing_text(const struct app *app, uint32_t oid, enum wrole *role);
/* "Now" on the device's clock (the host's until the device clock is read): what
 * "today" means for the device's own logs. */
int64_t app_device_now(struct app *app);
/* The device's clock as judged now: its zone, its drift, how to show its timestamps. */
const struct devclock *app_devclock(struct app *app);
/* "device time UTC+01:00, device clock 58 min behind": the zone it keeps, the drift
 * beyond a minute (empty when neither, or unknown). */
const char *app_clock_note(struct app *app, char *buf, size_t cap);
/* "HH:MM:SS" (today) or "YYYY-MM-DD HH:MM" of a wall-clock time, local. */
const char *app_clock_text(int64_t unix_s, char *buf, size_t cap);
/* Starts paging a history OID for the calling pane and returns the walk's ticket (0 if
 * the range is empty); a walk another pane started is cancelled and its ticket reads
 * WALK_LOST. Panes read their walk through walk_state_of/walk_pages(&dev->walks, ticket).
 * max_pages 0 = until the range is covered. */
uint64_t app_history_start(struct app *app, uint32_t oid, int64_t since, int64_t until,
                           unsigned max_pages);
/* The interface's own time (host clock, ms), for notes and banners, even in a replay. */
int64_t app_ui_ms(void);

#endif
