/* A plant: several units that work together (a master with the battery and the grid meter,
 * slaves for more PV or more battery), and what is computed across them: one row per
 * unit, the totals each with its source, and the findings only the plant as a whole
 * shows. Plain data: the Plant pane, `check` and `watch` read it; nothing here draws.
 *
 * Every total says what it is made of. A unit whose value is stale or missing is named in
 * the total ("at least 7 500 W, 1 unit not current"), never left out of a quietly smaller
 * sum; the master's S0 input (the slaves' AC sum as the master sees it, signed: a charging
 * battery inverter makes it smaller) is its own line and never part of PV. */
#ifndef RCT_PLANT_VIEW_H
#define RCT_PLANT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/link.h"
#include "proto/core/plant.h"
#include "proto/core/store.h"
#include "tui/device/knows.h"
#include "tui/diagnosis/health.h"

#define PLANT_UNITS_MAX 16

struct device;

/* What the plant needs of one unit: where it is, what it read, whether that is current. */
struct plant_unit {
    const char *label;             /* how it is named ("master", "garage", "10.0.0.3") */
    const char *host;              /* as configured: a name or an address */
    uint16_t port;
    const struct store *store;
    const struct device_knows *knows;   /* NULL: nothing known beyond the store */
    enum link_state link;
    bool expected_offline;         /* now is inside its expected_offline window */
};

/* The unit as rcttop follows it (the monitor's and `watch`'s devices). */
void plant_unit_of_device(const struct device *dev, bool expected_offline, struct plant_unit *out);

/* The OIDs a plant row is made of, into out (at most max); returns how many. */
#define PLANT_OIDS_MAX 24
size_t plant_oids(uint32_t *out, size_t max);

/* A figure with its state: known (a value was read), current (fresh from a device that
 * answers), or absent because the device does not have it (not supported). */
struct plant_figure {
    bool known, current, unsupported;
    double value;
};

/* One row of the Plant pane. */
struct plant_row {
    enum plant_role role;
    int role_raw;
    char role_text[96];            /* "master, 2 slaves", "slave of 10.0.0.2", "standalone" */
    char model[64], serial[64];
    bool data_current;             /* connected, answering, not silent */
    bool has_battery;              /* false once the battery's OIDs are not supported */
    struct plant_figure pv;        /* strings A + B */
    struct plant_figure ac;        /* the unit's own AC power */
    struct plant_figure soc;       /* percent */
    struct plant_figure battery;   /* W, negative while charging */
    struct plant_figure grid;      /* W, negative while feeding in: the master's meter only */
    struct plant_figure house;     /* W: the master's meter only */
    struct plant_figure external;  /* W: the S0 input (a master with slaves wired to it) */
    int active_faults;             /* -1: the fault words not read */
    bool faults_current;
    enum health_severity worst;    /* of the unit's findings (faults included) */
    int critical, warning;         /* its findings' counts, faults.* left out */
};

void plant_row_of(const struct plant_unit *u, struct plant_row *out);

/* A plant total: the sum over the units that count, and who is missing from it. */
struct plant_total {
    bool known;                    /* at least one unit gave a value */
    double value;
    int counted;                   /* units in the sum */
    int not_current;               /* units that should count but whose value is stale or missing */
    bool lower_bound;              /* the missing ones can only add to it (PV): "at least" */
    char source[160];              /* where it comes from, in words */
};

struct plant_totals {
    int master;                    /* the unit whose meter counts (-1: none found) */
    struct plant_total pv, battery, house, grid, external;
};

/* Totals over rows[0..n) as plant_row_of made them. */
void plant_totals_of(const struct plant_row *rows, size_t n, struct plant_totals *out);
/* "7 500 W", "at least 7 500 W, 1 unit not current", "unknown (master not current)". */
const char *plant_total_text(const struct plant_total *t, char *buf, size_t cap);

/* The plant's own findings, ids under "plant.": a slave whose master address is not the
 * plant's master, a master counting another number of slaves than the plant has, a slave
 * offline while its master still counts it, a PV-only unit asleep at night. Only what the
 * devices' own data shows; where a figure is missing or not current, nothing is judged.
 * Returns how many were written to out (details on the heap: health_findings_release). */
size_t plant_findings(const struct plant_unit *units, const struct plant_row *rows, size_t n,
                      struct health_finding *out, size_t max);

/* Everything the Plant pane, the status bar and the Health pane read of a plant, kept
 * current by plant_state_update from its devices. */
#define PLANT_FINDINGS_MAX 24
struct plant_state {
    size_t n;
    struct plant_unit units[PLANT_UNITS_MAX];
    struct plant_row rows[PLANT_UNITS_MAX];
    struct plant_totals totals;
    size_t nfindings;
    struct health_finding findings[PLANT_FINDINGS_MAX];
    int critical, warning;         /* the plant findings' counts */
};

/* The master's own report of its slaves (net.slave_data, 108 bytes a record), decoded into
 * out: how many whole records it holds. Shown raw beside the slaves' own values: what its
 * state, equipment bits and fault index mean is not documented. */
#define PLANT_SLAVE_REPORTS_MAX 8
size_t plant_slave_reports(const struct store *master, struct plant_slave_data *out, size_t max);
/* "pi (sn 0000010002): AC 2 900 W, battery 0 W, SOC 0 %, external 0 W; state 1, equipment
 * 0x01, fault index 0 (raw)", its texts made printable. */
const char *plant_slave_report_text(const struct plant_slave_data *d, char *buf, size_t cap);

struct alert_settings;
/* Judges devs[0..n) again (alerts[i]: unit i's settings, whose expected_offline window
 * counts; NULL: none; local_minute into the local day, -1 unknown). */
void plant_state_update(struct plant_state *p, struct device *const *devs, size_t n,
                        const struct alert_settings *alerts, int local_minute);
/* Frees the findings' details. */
void plant_state_release(struct plant_state *p);

#endif
