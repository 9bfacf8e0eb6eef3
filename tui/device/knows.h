/* What is known about one device beyond its store's values: the fault bits seen this
 * session and when they changed, whether it has gone silent, the energy totals as first
 * read, the diagnosis findings, its alerts, and the Link pane's log. Plain data: device.c
 * keeps it current from the session's callbacks and the store; screen code only reads it. */
#ifndef RCT_KNOWS_H
#define RCT_KNOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/link.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "tui/alerts/alerts.h"
#include "tui/device/linkwindow.h"
#include "tui/diagnosis/health.h"

#define LINKLOG_SIZE 256

struct linklog_entry {
    int64_t unix_ms;
    bool is_state;                 /* a connection event or a note (note says which), not a frame */
    union {                        /* a row is one or the other, so they share the room */
        char note[128];
        struct {
            uint8_t raw[64];       /* the frame's payload (first 64 bytes) */
            uint16_t raw_len;
            enum session_frame_class cls;
            uint8_t command;
            uint32_t oid;
            int64_t rtt_ms;
            int attempt, max_attempts;
            char value[48];
        };
    };
};

#define FAULT_CHANGES_MAX 64

struct fault_change {
    int64_t unix_s;
    unsigned bit;
    bool active;
};

#define KNOWS_FINDINGS_MAX 96
#define KNOWS_ALERTS_MAX 32
#define KNOWS_TOTALS_MAX 8

struct device_knows {
    /* the link, as the Link pane shows it (its log: below) */
    unsigned linklog_head, linklog_len;
    uint64_t linklog_added;        /* rows ever added (the Link pane keeps its place) */
    enum link_state last_link_state;
    /* faults seen this session */
    uint32_t fault_words[4];
    bool fault_known;
    int64_t fault_since[128];
    struct fault_change fault_changes[FAULT_CHANGES_MAX];
    unsigned fault_changes_len;
    /* the one truth about whether what is shown is current */
    bool silent;                   /* nothing heard for longer than silent_after_ms */
    int64_t silent_after_ms;
    int64_t last_heard_unix_ms;    /* wall clock of the newest reading; 0 = never */
    int64_t started_ms;            /* watching began (on the clock: a replay's is recorded) */
    /* The device's model and serial as last read, kept by knows_forget: a replay that
     * seeks back forgets the values for a moment, and its name must not flicker. */
    char model[64], serial[64];
    uint64_t stale_marked_generation;
    /* the diagnosis, kept current from the store (the Health pane, the dashboard line) */
    struct health_thresholds thresholds;
    enum devclock_mode clock_mode;   /* [device] clock, for the rules */
    size_t nfindings;
    uint64_t findings_generation;
    uint64_t findings_traffic;     /* link counters the findings were judged with */
    double totals_first[KNOWS_TOTALS_MAX];  /* energy totals as first read: "went backwards" */
    struct link_window link;       /* the link rule's counters: recent, outages left out */
    /* the alerts of this session (below), and how many fire now */
    unsigned alerts_head, alerts_len;
    size_t alerts_firing, alerts_serious;
    /* The logs and lists, each read only below its count. */
    struct linklog_entry linklog[LINKLOG_SIZE];
    struct health_finding findings[KNOWS_FINDINGS_MAX];
    struct alert_event alerts[KNOWS_ALERTS_MAX];   /* newest last */
};

/* HH:MM:SS today, else the date too (as the panes write times). */
const char *knows_clock_text(int64_t unix_s, char *buf, size_t cap);
/* Starts knowing nothing, with the rules' thresholds and when silence begins. k is zeroed
 * memory (calloc, a static): its logs are read only below their counts. */
void knows_init(struct device_knows *k, const struct health_thresholds *t,
                int64_t silent_after_ms);
/* Forgets everything learned from the device (thresholds and silence limit stay). */
void knows_forget(struct device_knows *k);

/* The part that depends on when it runs (a replay runs it for every tick of recorded time
 * it skips): silence, fault changes, totals. True when something shown changed. */
bool knows_tick(struct device_knows *k, struct store *store);
/* The findings over what the store holds now (only when the store changed). */
void knows_update_findings(struct device_knows *k, const struct store *store,
                           const struct session *session);

/* The session's reports, as rows of the link log. True when the row was added. */
bool knows_link_state(struct device_knows *k, enum link_state state, const char *detail,
                      int64_t retry_in_ms);
void knows_link_event(struct device_knows *k, const struct session_event *ev);
/* A note of rcttop's own in the link log (an alert hook's outcome). */
void knows_link_note(struct device_knows *k, const char *text);
/* An alert event, kept (the oldest goes when full). */
void knows_alert_add(struct device_knows *k, const struct alert_event *ev);
/* Alert k, newest first (k < alerts_len). */
const struct alert_event *knows_alert_at(const struct device_knows *k, unsigned newest_first);
/* Row k of the log, oldest first (k < linklog_len). */
const struct linklog_entry *knows_linklog_at(const struct device_knows *k, unsigned index);

/* Number of active fault bits (or -1 when the fault words are not read yet). */
int knows_active_faults(const struct device_knows *k);
/* True when the fault words held are the device's state now: read recently, the link up
 * and the device answering. *read_unix_s: when they were last read (0 = never). */
bool knows_faults_current(const struct device_knows *k, const struct store *store,
                          enum link_state state, int64_t *read_unix_s);
/* The link in words while it is not offline (offline has its own: since when, why, the
 * retry), the same in the status bar, the link log, a snapshot and every pane: the link
 * state's name, except that a device that answered before and is silent now is "no
 * answer for N s (last answer HH:MM:SS)", never "connected, no answer yet", which is for
 * a device that never answered. */
const char *knows_link_words(const struct device_knows *k, enum link_state state, char *out, size_t cap);
/* True while what the monitor holds is the device now: connected, answering, not silent.
 * Otherwise every verdict is on the last values read and says so. */
bool knows_data_current(const struct device_knows *k, enum link_state state);
/* The scaled number of the named OID if the store has a value (fresh or stale). */
bool knows_number(const struct store *store, const char *name, double *out);
/* True if the named OID's value is fresh (read recently from a device that answers). */
bool knows_fresh(const struct store *store, const char *name);
/* Counts of current findings by severity (warning and critical; faults.* left out: the
 * fault mark covers those). */
void knows_health_counts(const struct device_knows *k, int *critical, int *warning);

#endif
