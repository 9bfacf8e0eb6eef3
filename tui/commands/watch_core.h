/* What `rcttop watch` does at each second, live or from a recording: judges what is known
 * (online, the fault words, the findings, a few figures) into alert events, writes them
 * and the samples as JSON Lines, and hands each event to the hook. */
#ifndef RCT_WATCH_CORE_H
#define RCT_WATCH_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/devclock.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "tui/alerts/alerts.h"
#include "tui/alerts/hook.h"

#define WATCH_FINDINGS_MAX 96

struct watch_core {
    struct alert_engine engine;
    struct alert_settings settings;
    struct health_thresholds thresholds;
    enum devclock_mode clock_mode;
    struct alert_device dev;
    double samples_s;                  /* 0: no sample lines */
    double silent_after_s;             /* no answer this long: offline */
    struct hook_runner *hook;
    struct health_finding findings[WATCH_FINDINGS_MAX];
    size_t nfindings;
    uint64_t findings_generation;
    double totals_first[8];
    bool totals_taken, ever_online;
    bool offline_known;                /* the link judged once (a connect failed, or silence) */
    int64_t last_sample_unix;
    uint64_t events_written;
};

/* One moment as the source knows it. */
struct watch_moment {
    int64_t now_unix;
    bool connected;                    /* a connection is up */
    int64_t last_answer_unix;          /* the newest answer (0: none yet) */
    const char *cause;                 /* why not, when not connected or silent */
    /* The link has judged: a connection failed, or none answered within the silence limit
     * (live only: before that, not answering yet is no news, as in the monitor). */
    bool link_verdict;
    int64_t quiet_since_unix;          /* the last answer, else the start (0: not known) */
    const struct session_counters *link;   /* NULL in a replay */
    double srtt_ms;
};

void watch_core_init(struct watch_core *w, const struct alert_settings *settings,
                     const struct health_thresholds *t, enum devclock_mode clock_mode,
                     const char *host, uint16_t port, const char *label, double samples_s);
/* The hook runner, when a command is set; false after saying why. */
struct event_base;
bool watch_core_start(struct watch_core *w, struct event_base *base);
/* Lets the hooks still running finish (each has its timeout), then frees the runner. */
void watch_core_stop(struct watch_core *w, struct event_base *base);
/* Judges the moment; false when stdout can no longer be written. */
bool watch_core_tick(struct watch_core *w, const struct store *store, const struct watch_moment *m);
/* --give-up-after: the last line (type "give_up": why, since when) and the same on
 * standard error. */
void watch_core_give_up(struct watch_core *w, const struct watch_moment *m, double after_s);
/* The OIDs a sample line shows. */
size_t watch_core_figure_oids(uint32_t *out, size_t max);
/* --replay FILE: the recording's moments in order, as fast as they can be judged. */
int watch_replay_run(struct watch_core *w, const char *path);

#endif
