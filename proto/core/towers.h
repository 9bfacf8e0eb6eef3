/* Battery towers as the device reports them: one OID family per tower (`battery.*` and
 * `battery_placeholder[0].*`), up to seven module slots each. Users disagree on which
 * family is tower A, B or the sum, so a tower is named by its family and labelled by its
 * BMS serial, never by a number. What is present is decided by what the device sent
 * (a serial, cells that are not all zero), never by power_mng.n_batteries, whose meaning
 * is not documented. */
#ifndef RCT_TOWERS_H
#define RCT_TOWERS_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/core/store.h"

#define TOWERS_MAX 2
#define TOWER_SLOTS 7

enum tower_state {
    TOWER_NOT_READ,      /* its serials are not read yet */
    TOWER_UNSUPPORTED,   /* the device does not know the family (no such tower, or none) */
    TOWER_EMPTY,         /* answered: no serial, no module */
    TOWER_PRESENT,
};

/* The OID family of tower t: "battery" or "battery_placeholder[0]". */
const char *tower_family(int t);
/* FAMILY.what of tower t (NULL if the registry has no such OID). */
const struct rct_oid_info *tower_oid(int t, const char *what);
/* FAMILY.what[slot] of tower t. */
const struct rct_oid_info *tower_slot_oid(int t, const char *what, int slot);
/* A slot holds a module when it has a serial or cells that are not all zero. */
bool tower_module_present(const struct store *store, int t, int slot);
/* The slots holding modules, into slots (TOWER_SLOTS long); returns how many. */
int tower_modules(const struct store *store, int t, int *slots);
enum tower_state tower_state(const struct store *store, int t);
/* The towers present, into which (TOWERS_MAX long); returns how many. */
int towers_present(const struct store *store, int *which);
/* Whether the slots of tower t are worth asking for: the first family unless the device
 * was found not to know it (no battery); another only once it answered its BMS serial (a
 * single-tower device may not know it at all, and each OID it does not know costs a
 * timeout). */
bool tower_worth_asking(const struct store *store, int t);
/* No battery at all: no tower present and the device does not know the first family's
 * OIDs (battery.soc, battery.bms_sn or battery.module_sn[0] found not supported). */
bool towers_none(const struct store *store);
/* "BMS 583012345" by the tower's BMS serial, else its family. */
const char *tower_label(const struct store *store, int t, char *out, size_t cap);
/* The short id part rules use for tower t: "" for the first family, "placeholder0" for
 * the other, so rule ids of a single-tower site stay as they were. */
const char *tower_rule_part(int t);

#endif
