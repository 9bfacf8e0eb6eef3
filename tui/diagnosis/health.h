/* Diagnosis: one table of rules that turn what rcttop reads into verdicts with evidence
 * (faults, battery, insulation, grid, PV, clock, event log, energy counters, the link).
 * Shared by `rcttop check` and the Health pane; pure: a store and numbers in, findings
 * out, so every rule is tested on crafted values. */
#ifndef RCT_HEALTH_H
#define RCT_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/devclock.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "proto/codec/value.h"

/* PENDING: no verdict yet, the rule's inputs are not read yet (never a warning early). */
enum health_severity { HEALTH_OK = 0, HEALTH_INFO, HEALTH_WARNING, HEALTH_CRITICAL, HEALTH_PENDING };
const char *health_severity_name(enum health_severity s);   /* "ok", "info", ... "pending" */

#define HEALTH_EVIDENCE_MAX 10

struct health_evidence {
    char name[64];     /* an OID's name, or what was derived ("cell spread") */
    char value[48];
};

struct health_finding {
    char id[48];                 /* the rule's id; "faults.bit16" for one fault bit */
    enum health_severity severity;
    char title[128];             /* one line */
    /* The numbers it used and the limit, whole however long (a heap text of the
     * diagnosis': health_finding_set_detail; never NULL in a finding a rule made). */
    char *detail;
    struct health_evidence evidence[HEALTH_EVIDENCE_MAX];
    int nevidence;
};

/* Sets f's detail, printf-style, freeing the one it had. Findings stay plain values that
 * callers sort and zero: an array's details are freed when health_evaluate writes over the
 * array again, or by health_findings_release; until then they stay reachable from the
 * diagnosis' own list (so a caller that just drops its array at exit leaks nothing). */
void health_finding_set_detail(struct health_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Frees the details of f[0..n) (NULL details are fine) and leaves them NULL. */
void health_findings_release(struct health_finding *f, size_t n);

/* Thresholds, each with its source in the README; `[check]` in the configuration, whose
 * option table (tui/config) holds their defaults: config_default_thresholds. */
struct health_thresholds {
    double soh_warning, soh_critical;            /* percent */
    double cell_spread_warning_mv, cell_spread_critical_mv;
    double cell_low_warning_v, cell_low_critical_v;     /* LFP absolute limits */
    double cell_high_warning_v, cell_high_critical_v;
    double cell_flat_soc_low, cell_flat_soc_high;       /* percent: where a spread means something */
    double cell_flat_current_a;                  /* ... and below this battery current */
    double cell_temp_low, cell_temp_high, cell_temp_critical;   /* °C */
    double cell_temp_spread;                     /* °C within a module */
    double resistance_outlier;                   /* times the module's median */
    double riso_margin;                          /* warn below r_min times this */
    double grid_voltage_margin_percent;          /* of nominal, inside the tightest limit */
    double grid_frequency_margin_hz;             /* inside the tightest limit */
    double pv_string_min_w;                      /* the other string produces this: daylight */
    double pv_dead_v;                            /* a string at or below this voltage sees nothing */
    double pv_light_v;                           /* a string at or above it sees light */
    double clock_warning_s;
    int event_recurrences;                       /* in 7 days, per kind */
    double answer_ratio_warning;                 /* answers / requests */
    double rtt_warning_ms;
    double foreign_per_minute;                   /* another client polling */
    double check_timeout_s;                      /* `check -t`: the whole run */
    char pv_strings[4];                          /* "A", "B", "AB"; "" = the device's setting */
    char skip[256];                              /* rule ids switched off, comma-separated */
};

struct health_input {
    const struct store *store;
    int64_t now_unix;                            /* the host's clock */
    /* How the device's timestamps are read ([device] clock): its zone, its drift. */
    enum devclock_mode clock_mode;
    /* The device's event log of the last 7 days, when it was read. */
    bool events_read;
    bool events_not_asked;                       /* the monitor: the event log is `check`'s */
    const struct rct_event_row *events;
    size_t nevents;
    /* Energy totals read at the start of the check (or earlier in the monitor), to catch
     * a counter going backwards: NaN where not read. Index as health_total_names(). */
    const double *totals_before;
    const char *totals_basis;                    /* when they were read ("the last check at ...") */
    const char *totals_note;                     /* why there is nothing to compare yet */
    /* The link during the reads. */
    const struct session_counters *link;
    double srtt_ms;                              /* < 0: no estimate */
    double link_minutes;                         /* how long the counters ran */
};

/* Evaluates every rule (or those whose id starts with one of the comma-separated
 * prefixes in `only`): critical, warning, ok, info, pending, each in rule order. Returns how many findings were written.
 * out[0..max) starts zeroed or holds an earlier evaluation's findings, whose details are
 * freed first. */
size_t health_evaluate(const struct health_input *in, const struct health_thresholds *t,
                       const char *only, struct health_finding *out, size_t max);
/* True when names (comma-separated) select id: the whole id or whole leading segments
 * of it ("battery" selects battery.cells.module1, "bat" selects nothing). */
bool health_ids_match(const char *names, const char *id);
/* True when every comma-separated name selects a rule (with findings_too, also one finding
 * of a rule: "faults.bit105"); else false with the first that does not in bad. */
bool health_names_valid(const char *names, bool findings_too, char *bad, size_t cap);
/* The OIDs the rules read, as the table lists them, and the battery power `check` reports:
 * with store NULL the first round (the towers' serials and figures, no slot); with the store after it, also every slot's serial and cells of the
 * towers found (the first unless the device knows no battery OID, the other once it
 * answered its serial), and with them read the details of the modules present. */
size_t health_needed_oids(const struct store *store, uint32_t *out, size_t max);
/* The same for the rules only selects (comma-separated ids, as --only; NULL or "": all):
 * a check of one rule reads that rule's inputs, and the battery's only for a battery rule. */
size_t health_needed_oids_of(const struct store *store, const char *only, uint32_t *out,
                             size_t max);
/* The tightest trip limits the device answered (every grid_mon[N] level), for voltage
 * or frequency; false when not read. */
bool health_trip_limits(const struct store *store, bool voltage, double *under, double *over);
/* How serious an active fault bit is, by its category (as the faults rule says it). */
enum health_severity health_fault_severity(unsigned bit);
/* The energy totals the counter rule compares (NULL-terminated). */
const char *const *health_total_names(void);
/* One rule: its id (what --only and --skip name, and the start of its findings' ids),
 * what it judges in a few words, the OIDs it reads (NULL-terminated; the battery rules'
 * per-slot inputs depend on the towers found: health_needed_oids adds them) and the
 * function that judges. A new rule is one function and one row of the table. */
struct rule_ctx;
struct health_rule {
    const char *id;
    const char *title;
    const char *const *needs;
    void (*run)(struct rule_ctx *c);
};
/* The table, in the order the rules run. */
const struct health_rule *health_rules(size_t *n);
/* The names --only and --skip take, for help and errors: every rule id, a group of two or
 * more ("battery") before its first ("faults, battery, battery.soh, ..."). Returns out. */
const char *health_rule_names(char *out, size_t cap);
/* Critical, warning, ok, info, pending; each severity's findings keep their order. */
void health_sort_worst_first(struct health_finding *f, size_t n);
/* The worst severity among findings (HEALTH_OK for none). */
enum health_severity health_worst(const struct health_finding *f, size_t n);

#endif
