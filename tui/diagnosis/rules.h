/* Inside the diagnosis: the context every rule works in, the helpers they share
 * (rule_kit.c) and the rules themselves (rules_battery.c, rules_site.c), each one row of
 * the table in health.c. Not part of the public surface: callers use health.h. */
#ifndef RCT_RULES_H
#define RCT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/codec/value.h"
#include "tui/diagnosis/health.h"

#define WEEK_S (7 * 86400)

struct rule_ctx {
    const struct health_input *in;
    const struct health_thresholds *t;
    const char *only;
    struct health_finding *out;
    size_t n, max;
    struct devclock clock;   /* judged once from the store, for every rule */
};

/* The energy totals the counter rule compares (the monitor and `check` read them first;
 * health_total_names() outside the diagnosis). */
extern const char *const rule_energy_totals[];

/* True when --only selects the rule id (a whole id or a prefix up to a '.'). */
bool rule_wanted(const struct rule_ctx *c, const char *id);
/* A new finding (a dummy one past max, so rules need not check). */
struct health_finding *rule_add(struct rule_ctx *c, const char *id, enum health_severity sev,
                                const char *title, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void rule_evidence(struct health_finding *f, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What became of one input (an OID's name) so far. */
enum rule_input {
    RULE_INPUT_READ,
    RULE_INPUT_PENDING,       /* not asked yet, or asked and no answer yet */
    RULE_INPUT_NO_ANSWER,     /* asked, and every attempt went unanswered or garbled */
    RULE_INPUT_UNSUPPORTED,   /* the device answers others, never this one */
};
enum rule_input rule_input_state(const struct rule_ctx *c, const char *name);
/* No verdict: "waiting for the first reading" (pending), "not supported by this device"
 * or "not available" (did not answer, or read but unusable), as the states of probes
 * (comma-separated names of the OIDs the rule needs) say; what names them for the reader.
 * probes NULL: the input was asked for and not had. */
void rule_not_available(struct rule_ctx *c, const char *id, const char *what, const char *probes);
/* No verdict yet: what the rule needs is still to come. */
void rule_pending(struct rule_ctx *c, const char *id, const char *what);
/* A number as shown (fractions as percent); false when the device has not sent it. */
bool rule_num(const struct rule_ctx *c, const char *name, double *v);
bool rule_composite(const struct rule_ctx *c, const char *name, struct rct_value *v);

/* The battery (rules_battery.c). */
void rule_soh(struct rule_ctx *c);
void rule_cells(struct rule_ctx *c);
void rule_temperature(struct rule_ctx *c);
void rule_resistance(struct rule_ctx *c);
void rule_modules(struct rule_ctx *c);
void rule_history(struct rule_ctx *c);

/* The rest of the site (rules_site.c). */
void rule_faults(struct rule_ctx *c);
void rule_insulation(struct rule_ctx *c);
void rule_grid_voltage(struct rule_ctx *c);
void rule_grid_frequency(struct rule_ctx *c);
void rule_pv(struct rule_ctx *c);
void rule_clock(struct rule_ctx *c);
void rule_events(struct rule_ctx *c);
void rule_counters(struct rule_ctx *c);
void rule_link(struct rule_ctx *c);

#endif
