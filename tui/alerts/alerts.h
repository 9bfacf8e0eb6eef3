/* Alerts: the one truth about what "changed" means, shared by the monitor, `rcttop watch`
 * and the hook. Each tick gets what is known now (the fault words, the diagnosis findings,
 * whether the device answers, a few figures) and gives the transitions: a condition that
 * held for the hold time fires once, and resolves once when it has been gone as long. Never
 * an event per poll, no flapping on one bad read, nothing decided on what is not known
 * (fault words that are not current are not "cleared"). Plain data, no terminal, no I/O. */
#ifndef RCT_ALERTS_H
#define RCT_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/diagnosis/health.h"

/* [alerts] in the configuration, whose option table (tui/config) holds the defaults:
 * config_default_alert_settings. */
struct alert_settings {
    double hold_s;                 /* a condition must hold this long to fire or to resolve */
    double soc_below, soc_above;   /* SOC low fires below soc_below, resolves above soc_above
                                    * (percent; soc_below 0 = off) */
    bool towers;                   /* a battery tower that disappears */
    int offline_from_min, offline_to_min;   /* expected offline window, minutes of the local
                                             * day (-1: none): offline is info inside it */
    char command[512];             /* the hook: a program and its arguments ("" = none) */
    double hook_timeout_s;
    bool ring_bell;
};
/* True when minute (into the local day; -1 unknown) is inside expected_offline. */
bool alert_offline_expected(const struct alert_settings *s, int minute);
/* "22:00-06:30" into minutes of the day; false for anything else. */
bool alert_parse_window(const char *text, int *from_min, int *to_min);

enum alert_state { ALERT_FIRING, ALERT_RESOLVED };
const char *alert_state_name(enum alert_state s);   /* "firing", "resolved" */

struct alert_event {
    char event[24];        /* the kind: "fault", "finding", "offline", "soc_low", "tower_missing" */
    char key[64];          /* which one: "fault.16", "finding.battery.cells.module1", "offline" */
    enum alert_state state;
    enum health_severity severity;
    char message[256];
    double value;          /* the figure it is about (NaN: none) */
    char value_text[48];
    int64_t since_unix;    /* when the condition began */
    int64_t time_unix;     /* when it fired or resolved */
    int64_t duration_s;    /* resolved: how long it lasted */
    /* what kind it is about */
    int fault_bit;         /* fault: the bit, else -1 */
    char category[24];     /* fault: its category */
    char rule[48];         /* finding: the rule's finding id */
    char cause[128];       /* offline: why */
};

/* What is known at one moment. Unknown parts are said so, and nothing is decided on them. */
struct alert_input {
    int64_t now_unix;            /* wall time (a replay: the recorded time) */
    int local_minute;            /* minutes into the local day, for the offline window */
    bool online_known;
    bool online;                 /* connected and answering */
    const char *offline_cause;
    int64_t offline_since_unix;  /* when it stopped answering, if known (0: when observed) */
    bool faults_current;         /* the fault words are the device's state now */
    uint32_t fault_words[4];
    bool findings_current;       /* the findings are on current data */
    const struct health_finding *findings;
    size_t nfindings;
    double soc;                  /* percent, NaN: not known */
    int towers;                  /* battery towers present, -1: not known */
};

#define ALERT_TRACKS_MAX 256

struct alert_track {
    char key[64];
    bool active;                 /* the condition holds now */
    int64_t changed_unix;        /* when it last changed */
    bool fired;
    int64_t fired_since;         /* when the condition that fired began */
    struct alert_event last;     /* the words of its last firing */
};

struct alert_engine {
    struct alert_settings settings;
    size_t ntracks;
    int towers_seen;             /* the most towers ever present */
    struct alert_track tracks[ALERT_TRACKS_MAX];   /* read only below ntracks */
};

void alert_engine_init(struct alert_engine *e, const struct alert_settings *s);
/* The transitions at this moment into out (at most max); returns how many. */
size_t alert_engine_tick(struct alert_engine *e, const struct alert_input *in,
                         struct alert_event *out, size_t max);
/* How many alerts are firing now, and how many of them are warning or critical. */
size_t alert_engine_firing(const struct alert_engine *e, size_t *serious);

#endif
