/* Human formatting of decoded values: units, percent for fractions, enum labels, and
 * sanitised device strings. Shared by the line-mode commands and every pane. */
#ifndef RCT_VALFMT_H
#define RCT_VALFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/core/devclock.h"

/* Unit "%" in the registry marks a fraction 0..1 that devices send (battery.soc = 0.72);
 * it is shown multiplied by 100. */
bool valfmt_is_fraction(const struct rct_oid_info *info);
/* The named OID's number as shown (a 0..1 fraction as percent); false when the store has
 * none, or it is not finite. */
struct store;
bool valfmt_store_number(const struct store *store, const char *name, double *v);

/* Value as a person reads it: "72.1 %", "3 450.6 W"-style grouping is left to widgets;
 * this gives "72.1 %", "231.2 V", "Feed in (13)", "PS 6.0 BA3L". info may be NULL. */
const char *valfmt_display(const struct rct_oid_info *info, const struct rct_value *value,
                           char *buf, size_t cap);

/* A battery module's composite (its cells, its BMS's statistics, its cell resistances)
 * whole, as lines a person reads: first a summary (valfmt_display's text), then every part,
 * numbered as every pane numbers them (cells 1..24; modules as the device numbers its
 * slots, battery.cells[0] being module 0), with times as the device's wall time (clock
 * NULL: this computer's local time of them). Each line is handed to line() and is short
 * enough for a terminal; nothing is left out. False, with no line, for other values. */
typedef void valfmt_line_fn(void *ctx, const char *line);
bool valfmt_composite_lines(const struct rct_oid_info *info, const struct rct_value *value,
                            const struct devclock *clock, valfmt_line_fn *line, void *ctx);
/* The tower (0: battery.*, 1: battery_placeholder[0].*) and module slot a per-module OID
 * belongs to (cells, cells_stat, cells_resist, module_sn, stack_cycles); false for others. */
bool valfmt_module_slot(const struct rct_oid_info *info, int *tower, int *slot);

/* A logger series (logger.day_ea_log_ts) in words, "PV string A energy per day", and its
 * unit, returned ("Wh"; "%" for a 0..1 fraction as valfmt_is_fraction; "" when not
 * documented): the registry's label where it has one, else read from the name's parts, the
 * way the History pane reads them (minute logs of energies as average W, day, month and
 * year logs as Wh). A name it cannot read says so ("meaning not documented"). */
const char *valfmt_series(const struct rct_oid_info *info, char *label, size_t cap);

/* The number alone, scaled like valfmt_display (for sparklines and gauges). */
bool valfmt_number(const struct rct_oid_info *info, const struct rct_value *value,
                   double *out);

/* The order people read OIDs in (dump, snapshots): identity first, then by group and
 * name. A qsort comparator over `const struct rct_oid_info *` elements. */
int valfmt_reading_order(const void *a, const void *b);

/* One format per quantity, the same in every pane and snapshot: volts with one decimal,
 * hertz and amperes with two, °C and percent with one, watts by valfmt_power, energy in
 * grouped Wh below 10 kWh and grouped kWh above. False for other units (and for absurd
 * magnitudes, left to the generic short form). */
bool valfmt_quantity(double v, const char *unit, char *buf, size_t cap);

/* Power by one rule everywhere: "0 W", "1 370 W" below 10 kW, "12.3 kW", "123 kW",
 * "12.3 MW", and ">999 MW" / "<-999 MW" beyond; "NaN W" when the device sent NaN.
 * At most 8 characters for any input, so no value can push a layout apart.
 * magnitude_only drops the sign (where arrows or words carry the direction). */
const char *valfmt_power(double watts, bool magnitude_only, char *buf, size_t cap);

#endif
