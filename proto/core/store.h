/* The store: per OID the last good value, when it came, its state, error counts and a
 * ring of recent samples. Nothing in it is ever overwritten by a value that failed. */
#ifndef RCT_STORE_H
#define RCT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"

enum store_state {
    STORE_NEVER_READ = 0,
    STORE_FRESH,
    STORE_STALE,     /* the last good value is older than its maximum age */
    STORE_ERROR,     /* the latest attempts failed (timeouts, bad payloads); old value kept */
    STORE_UNSUPPORTED, /* the device answers other OIDs but never this one */
};
const char *store_state_name(enum store_state state);

#define STORE_RING 512          /* most samples one OID keeps: the widest chart */
#define STORE_PAYLOAD_MAX 2044  /* largest payload a frame carries */
#define STORE_UNKNOWN_MAX 64    /* OIDs outside the registry seen on the wire */

struct store_sample {
    int64_t t_ms;     /* monotonic milliseconds (kept to a tenth of a second) */
    double value;     /* kept as a float: a chart's precision, and the device's own */
};

/* A sample as kept: 8 bytes, not 16; hundreds of OIDs keep a few dozen each. */
struct store_point {
    int32_t t_ds;     /* tenths of a second since the store's first sample */
    float value;
};

/* Laid out without holes: the monitor holds one for each of the registry's 850 OIDs. */
struct store_entry {
    uint32_t oid;
    enum store_state state;
    const struct rct_oid_info *info;  /* NULL for OIDs outside the registry */
    bool has_value;
    bool has_number;
    uint16_t payload_len;
    int32_t error_bytes;              /* a payload that did not decode: its length (else -1) */
    double number;                    /* scalar value as a double (raw, not scaled) */
    int64_t updated_ms;               /* monotonic time of the last good value */
    int64_t updated_unix;             /* wall clock of the same moment */
    int64_t max_age_ms;               /* older than this is stale; 0 = never stale */
    uint32_t ok_count, decode_errors, timeouts;
    int32_t ring_gap_ds;              /* samples thinned to one per this many tenths of a second */
    const char *error_why;            /* the latest failure (static text), NULL: none */
    uint64_t changed_gen;             /* store generation when this entry last changed */
    uint8_t *payload;                 /* last good payload, heap, exact size */
    uint16_t ring_head, ring_len, ring_cap;
    uint16_t ring_want;               /* samples wanted (0: none) */
    struct store_point *ring;         /* allocated on the first numeric sample */
};

struct store;

struct store *store_new(void);
void store_free(struct store *store);
/* Forgets every value, state and sample (another device, a replay's jump back); what was
 * set per OID (maximum age, samples kept) stays. */
void store_clear(struct store *store);

/* Samples are kept only where something draws them: none by default (the one-shot
 * commands chart nothing). For one OID: `count` samples (at most STORE_RING; a later smaller count keeps the
 * larger), charted over `span_ms` (0: none), thinned to one per span/count so they reach
 * back over the whole span. */
void store_keep_samples(struct store *store, uint32_t oid, size_t count, int64_t span_ms);

/* Decodes payload by the OID's response type; on success keeps it as the new value,
 * returns RCT_VALUE_OK and bumps the generation. On failure counts a decode error and
 * keeps the previous value. OIDs outside the registry are kept raw (bounded table). */
enum rct_value_error store_put(struct store *store, uint32_t oid, const uint8_t *payload,
                               size_t len, int64_t now_ms, int64_t now_unix);
/* The latest failure of an entry as words ("no answer", "bad length (3 bytes)"), or "". */
const char *store_error_text(const struct store_entry *e, char *buf, size_t cap);
/* A request for oid got no usable answer. */
void store_note_timeout(struct store *store, uint32_t oid, int64_t now_ms);
/* why: a text that lives as long as the store (a string literal). */
void store_note_error(struct store *store, uint32_t oid, const char *why, int64_t now_ms);
/* The device keeps answering other requests but never this OID: it does not know it.
 * Kept until a value arrives (a later firmware, a retry after a reconnect). */
void store_note_unsupported(struct store *store, uint32_t oid);
/* How old a value may get before it is shown as stale (set by the scheduler's tiers). */
void store_set_max_age(struct store *store, uint32_t oid, int64_t max_age_ms);
/* Re-evaluates FRESH -> STALE for every entry; returns true if anything changed. */
bool store_tick(struct store *store, int64_t now_ms);
/* The device went silent: every FRESH value becomes STALE at once (each turns fresh
 * again only when it is read again). Returns true if anything changed. */
bool store_mark_all_stale(struct store *store);

const struct store_entry *store_get(const struct store *store, uint32_t oid);
/* Decodes the entry's last good payload into *out; false if it has none. */
bool store_value(const struct store *store, uint32_t oid, struct rct_value *out);
/* The numeric value of an entry if it has one (registry scaling not applied). */
bool store_number(const struct store *store, uint32_t oid, double *out);

/* Samples oldest first into out (up to max); returns how many. */
size_t store_ring(const struct store *store, uint32_t oid, struct store_sample *out,
                  size_t max);

/* Increases whenever any entry changes (value, state or counters). */
uint64_t store_generation(const struct store *store);
/* Newest good value's monotonic time over all entries, 0 if none yet. */
int64_t store_newest_ms(const struct store *store);

/* Iteration over every entry, registry order then unknown OIDs. */
size_t store_count(const struct store *store);
const struct store_entry *store_at(const struct store *store, size_t index);

#endif
