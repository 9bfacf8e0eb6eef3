/* One inverter as rcttop follows it: its options, its connection (session, scheduler,
 * store, recorder, or the in-process simulator), what is known about it, its clock, its
 * history walks and its alerts, all on the owner's event loop. No screen: the monitor
 * holds several of these and shows one, `watch` runs one. */
#ifndef RCT_DEVICE_H
#define RCT_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/devclock.h"
#include "proto/core/scheduler.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "proto/core/walk.h"
#include "tui/alerts/alerts.h"
#include "tui/device/knows.h"
#include "tui/diagnosis/health.h"

struct event_base;
struct device;

struct device_options {
    char host[256];
    uint16_t port;
    char label[300];               /* how the screen and the alerts name it */
    char recorded_as[300];         /* the name a recording's header gives it */
    const char *client;            /* the command, in a recording's header: "monitor", "watch" */
    bool demo;                     /* the in-process simulator instead of host */
    bool replay;                   /* fed a recording (session_replay): sends nothing, no hook */
    double rate, timeout;
    int retries;
    bool listen_only;              /* send nothing; learn from other clients' answers */
    enum devclock_mode clock_mode; /* [device] clock: how the device's timestamps are read */
    char record_path[1024];        /* --record: every byte both ways ("": no file) */
    double record_max_mb;
    bool record_force;             /* --record may replace an existing regular file */
    int64_t keep_recent_us;        /* the bytes both ways kept in memory this long (0: none) */
    size_t keep_recent_bytes;
    struct scheduler_config sched;
    struct health_thresholds thresholds;
    /* Silent after this long without an answer (0: two polls of the on-screen values or
     * two answer timeouts, whichever is longer, and a second). */
    int64_t silent_after_ms;
    /* Lent by the owner and left to it (NULL: the device makes its own): the line-mode
     * commands read into a store they print from, and keep one recording over the
     * connections one command makes. A lent recorder replaces record_path. */
    struct store *lent_store;
    struct recorder *lent_recorder;
};

/* What the owner hears from its devices (any may be NULL). */
struct device_listener {
    void *ctx;
    /* Something shown changed: the link, a history page, a note in the link log. */
    void (*changed)(void *ctx, struct device *dev);
    /* The link's state changed (after the link log took note). */
    void (*link_state)(void *ctx, struct device *dev, enum link_state state, const char *detail,
                       int64_t retry_in_ms);
    /* A frame or a timeout on the wire (after the link log took note). */
    void (*heard)(void *ctx, struct device *dev, const struct session_event *ev);
    /* An alert fired or resolved (kept in knows already). */
    void (*alert)(void *ctx, struct device *dev, const struct alert_event *ev);
    /* A scheduled request ended, answered (ok) or given up (after the device's walks). */
    void (*done)(void *ctx, struct device *dev, const struct sched_request *req, bool ok);
    /* The answer page to a history query (after the device's walks). */
    void (*page)(void *ctx, struct device *dev, const struct sched_request *req,
                 const uint8_t *payload, uint16_t len);
};

struct device_alerts;

struct device {
    struct device_options opt;
    struct device_listener listener;
    struct event_base *base;       /* the owner's */
    struct store *store;
    struct scheduler *sched;
    struct session *session;
    struct session_config session_cfg;
    struct sim *sim;               /* demo only */
    struct recorder *recorder;     /* --record, and what is kept in memory */
    /* one history walk at a time; its pages reach only the requester holding its ticket */
    struct walk_broker walks;
    uint64_t pages_generation;     /* replay: history pages reached or forgotten (reload) */
    struct device_knows knows;
    struct device_alerts *alerts;  /* NULL unless device_alerts_open */
    uint32_t diagnosed_hash;       /* the rules' inputs the scheduler was last given */
    struct devclock clock;         /* judged again when the store changes (device_devclock) */
    uint64_t clock_generation;
};

/* Defaults for everything but where the device is. */
void device_default_options(struct device_options *opt);
/* A device on base, not started; NULL after writing why into err. */
struct device *device_open(const struct device_options *opt, struct event_base *base,
                           const struct device_listener *listener, char *err, size_t cap);
/* Connects and polls, the named OIDs first (its clock before "today" means anything);
 * every name must be in the registry (a wrong one stops the program). */
void device_start(struct device *dev, const char *const *first, size_t nfirst);
/* Frees it all (NULL: nothing). False when the recording could not be finished: why in
 * err, and the file stays as far as it was written. */
bool device_close(struct device *dev, char *err, size_t cap);

/* Brings what is derived from the store up to the clock: staleness, silence, faults,
 * totals, findings, alerts. A replay calls it as recorded time passes. */
void device_catch_up(struct device *dev);
/* Keeps the scheduler reading what the diagnosis rules judge (the towers and modules found
 * add inputs), whatever the screen shows; only where it polls on its own (not for a
 * one-shot plan). Part of device_tick. */
void device_diagnose(struct device *dev);
/* The part of device_catch_up that depends on when it runs (a replay runs it at every
 * tick of recorded time it skips over, as the live monitor did). */
void device_tick(struct device *dev);
/* Forgets everything learned from it: a new session and walks, an empty store (a
 * replay's seek backwards starts over). False when out of memory. */
bool device_forget(struct device *dev);

/* The device's clock as judged now: its zone, its drift, how to show its timestamps. */
const struct devclock *device_devclock(struct device *dev);
/* Starts paging a history OID and returns the walk's ticket (0 when the range is empty
 * or nothing may be sent); a walk started before is cancelled. */
uint64_t device_history_start(struct device *dev, uint32_t oid, int64_t since, int64_t until,
                              unsigned max_pages);

#endif
