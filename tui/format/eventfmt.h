/* Decoding of event-table rows per assets/events.csv: ranged events with start, end and
 * duration, PRM_CHANGE with the OID's name and old/new values decoded by its type,
 * UPDATE with versions, unknown types raw. Shared by `rcttop events` and the Events pane. */
#ifndef RCT_EVENTFMT_H
#define RCT_EVENTFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/core/devclock.h"

struct event_view {
    uint32_t type;
    const char *name;          /* "NO_GRID"; NULL for an unknown type */
    const char *description;   /* the matching fault label, or NULL */
    int64_t ts;                /* start, or the moment */
    bool has_end;
    int64_t end;               /* when has_end; 0 in the row means "still active" */
    bool has_value;
    float value;               /* "Float value" element */
    bool has_code;
    uint32_t code;             /* "Case number" / "Error code" element */
    const char *code_kind;     /* "case" or "error code" */
    const struct rct_oid_info *changed;   /* PRM_CHANGE: the OID, or NULL if unknown */
    uint32_t changed_oid;
    bool is_param_change;
    bool is_update;
    uint32_t old_raw, new_raw; /* PRM_CHANGE and UPDATE */
    uint32_t e2, e3, e4;       /* always, for raw display */
};

void eventfmt_decode(const struct rct_event_row *row, struct event_view *out);

/* One line of human text without the timestamp: "NO_GRID  Grid failure  until 14:02
 * (3 min 12 s)  case 3", times as the device's wall time (clock NULL: the host's local
 * time). Sanitised, bounded by cap. */
const char *eventfmt_detail(const struct event_view *ev, const struct devclock *clock, char *buf, size_t cap);

/* A value of PRM_CHANGE as the changed OID's type says ("0.07", "true", "3 (label)"). */
const char *eventfmt_param_value(const struct event_view *ev, uint32_t raw, char *buf,
                                 size_t cap);

/* One JSON object (no newline): type, name, ts, and the type's fields. */
void eventfmt_write_json(const struct event_view *ev, FILE *out);

#endif
