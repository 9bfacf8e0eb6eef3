/* The OID registry and its companion tables (enum labels, fault bits, event types),
 * compiled in from the assets/ CSV files at build time; lookups by id, name and search text. */
#ifndef RCT_REGISTRY_H
#define RCT_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/codec/value.h"

enum rct_kind {
    RCT_KIND_MEASUREMENT = 0,
    RCT_KIND_SETTING,
    RCT_KIND_IDENTITY,
    RCT_KIND_HISTORY,
    RCT_KIND_COUNT
};
const char *rct_kind_name(enum rct_kind kind);   /* "measurement", ... */
/* Parses a kind name; returns false if it is none. */
bool rct_kind_from_name(const char *name, enum rct_kind *out);

struct rct_oid_info {
    uint32_t oid;
    const char *name;
    const char *group;
    enum rct_type request_type;
    enum rct_type response_type;
    const char *unit;    /* "" when none */
    const char *label;   /* "" when none */
    enum rct_kind kind;
};

size_t rct_registry_count(void);
/* Entries are sorted by OID; index 0 .. count-1. */
const struct rct_oid_info *rct_registry_at(size_t index);
const struct rct_oid_info *rct_registry_by_id(uint32_t oid);
const struct rct_oid_info *rct_registry_by_name(const char *name);
/* Parses "0x959930BF" or a name; NULL if neither names a registry OID. */
const struct rct_oid_info *rct_registry_lookup(const char *name_or_hex);

/* Filter for iteration; NULL/negative fields match everything. */
struct rct_registry_filter {
    const char *group;        /* exact group name */
    int kind;                 /* enum rct_kind, or -1 */
    const char *text;         /* case-insensitive substring of name or label */
};
/* Next entry after `prev` (NULL starts) that matches; NULL at the end. */
const struct rct_oid_info *rct_registry_next(const struct rct_oid_info *prev,
                                             const struct rct_registry_filter *filter);
/* True for OIDs whose response is a timeseries or the event table. */
bool rct_registry_is_history(const struct rct_oid_info *info);

/* Enum labels. */
struct rct_enum_label { uint32_t oid; uint32_t value; const char *label; };
const char *rct_enum_label(uint32_t oid, uint32_t value);  /* NULL when unknown */
/* All labels of one OID: *count set, NULL when the OID has none. */
const struct rct_enum_label *rct_enum_labels(uint32_t oid, size_t *count);

/* Fault bits: 0..127 are fault[bit/32].flt bit bit%32. */
#define RCT_FAULT_BITS 128
const char *rct_fault_label(unsigned bit);   /* NULL when the bit has no label */
/* The area a fault bit is about: grid, battery, pv_insulation, hardware, communication or
 * information (assets/faults.csv; "hardware" for a bit outside the table). */
const char *rct_fault_category(unsigned bit);
/* The OID of fault[word].flt, word 0..3. */
uint32_t rct_fault_word_oid(unsigned word);

/* Event-table entry types. */
struct rct_event_type {
    uint8_t type;
    const char *name;
    const char *element[3];   /* meaning of e2, e3, e4; "" when undocumented */
};
const struct rct_event_type *rct_event_type_by_id(uint32_t type);  /* NULL if unknown */
size_t rct_event_type_count(void);
const struct rct_event_type *rct_event_type_at(size_t index);

#endif
