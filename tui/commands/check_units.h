/* What `check` reads of a device, and reading several units at once: each on its own
 * connection (a device serves one request at a time: one in flight per unit), all in
 * parallel on one event loop, under one time budget (-t), with the phases one device
 * has: the values the rules need, the details the first answers make worth reading,
 * a week of the event log. */
#ifndef RCT_CHECK_UNITS_H
#define RCT_CHECK_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/history.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "tui/commands/oneshot_options.h"

#define CHECK_EVENT_TABLE_OID 0x6F3876BCu

struct check_reads {
    struct store *store;
    struct history_pager pager;
    bool events_read;
    bool out_of_time;         /* the budget ran out after the first values */
    struct session_counters link;
    double srtt_ms, seconds;
};

/* What the first answers make worth reading, not read yet: the other tower's slots once
 * it answered its serial, then the details of the modules present. */
size_t check_details_to_read(const struct store *store, const char *only, uint32_t *out,
                             size_t max);

struct oneshot_link;
struct check_unit_read {
    struct oneshot_options o;     /* the check's options with the unit's address */
    const char *label;
    struct check_reads k;
    int status;                   /* CLI_EXIT_OK, else CHECK_UNKNOWN with why */
    bool offline;                 /* unreachable or silent: nothing to judge */
    char why[700];
    /* while reading */
    struct oneshot_link *link;
    int phase;
    bool events_wanted;
    const char *only;             /* --only: the rules whose inputs are read (NULL: all) */
    size_t *remaining;
    struct event_base *base;
};

/* Reads every unit (o, label, events_wanted and only set by the caller) with the first phase's
 * oids, each within budget_s. Returns CLI_EXIT_OK, or the signal's status (130, 143,
 * 129) after Ctrl-C, SIGTERM or a hang-up. Each unit's store is the caller's to free
 * (with its pager), also when unit->status says why it failed. */
int check_units_read(struct check_unit_read *units, size_t n, const uint32_t *oids, size_t noids,
                     double budget_s);

#endif
