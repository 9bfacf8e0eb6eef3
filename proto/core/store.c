/* Store of readings: registry OIDs by registry index plus a bounded side table for OIDs
 * the device sends that the registry does not know. */
#include "proto/core/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store {
    size_t nregistry;
    size_t nunknown;
    uint64_t generation;
    int64_t newest_ms;
    bool has_epoch;
    int64_t epoch_ms;              /* the time samples count from */
    struct store_entry *entries;   /* nregistry + STORE_UNKNOWN_MAX */
};

const char *store_state_name(enum store_state state)
{
    switch (state) {
    case STORE_NEVER_READ: return "never read";
    case STORE_FRESH: return "fresh";
    case STORE_STALE: return "stale";
    case STORE_ERROR: return "error";
    case STORE_UNSUPPORTED: return "not supported by this device";
    }
    return "?";
}

struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->nregistry = rct_registry_count();
    s->entries = calloc(s->nregistry + STORE_UNKNOWN_MAX, sizeof *s->entries);
    if (!s->entries) {
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < s->nregistry; i++) {
        s->entries[i].info = rct_registry_at(i);
        s->entries[i].oid = s->entries[i].info->oid;
    }
    return s;
}

void store_clear(struct store *store)
{
    for (size_t i = 0; i < store->nregistry + store->nunknown; i++) {
        struct store_entry *e = &store->entries[i];
        free(e->payload);
        if (i >= store->nregistry) {
            free(e->ring);
            memset(e, 0, sizeof *e);
            continue;
        }
        /* What was set for the OID stays; the sample buffer is kept for reuse. */
        struct store_entry kept = {.oid = e->oid, .info = e->info, .max_age_ms = e->max_age_ms,
                                   .ring_want = e->ring_want, .ring_gap_ds = e->ring_gap_ds,
                                   .ring_cap = e->ring_cap, .ring = e->ring};
        *e = kept;
    }
    store->nunknown = 0;
    store->newest_ms = 0;
    store->generation++;
}

void store_keep_samples(struct store *store, uint32_t oid, size_t count, int64_t span_ms)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    if (!info || count == 0)
        return;
    struct store_entry *e = &store->entries[(size_t)(info - rct_registry_at(0))];
    /* Only ever more: a chart's series that is also on screen keeps the chart's samples. */
    if (count > e->ring_want)
        e->ring_want = (uint16_t)(count < STORE_RING ? count : STORE_RING);
    if (span_ms > 0) {
        int64_t gap = span_ms / 100 / e->ring_want;
        e->ring_gap_ds = (int32_t)(gap < INT32_MAX ? gap : INT32_MAX);
    }
}

void store_free(struct store *store)
{
    if (!store)
        return;
    for (size_t i = 0; i < store->nregistry + store->nunknown; i++) {
        free(store->entries[i].payload);
        free(store->entries[i].ring);
    }
    free(store->entries);
    free(store);
}

static struct store_entry *find(const struct store *store, uint32_t oid)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    if (info)
        return &store->entries[(size_t)(info - rct_registry_at(0))];
    for (size_t i = 0; i < store->nunknown; i++)
        if (store->entries[store->nregistry + i].oid == oid)
            return &store->entries[store->nregistry + i];
    return NULL;
}

static struct store_entry *find_or_add(struct store *store, uint32_t oid)
{
    struct store_entry *e = find(store, oid);
    if (e || store->nunknown >= STORE_UNKNOWN_MAX)
        return e;
    e = &store->entries[store->nregistry + store->nunknown++];
    e->oid = oid;
    return e;
}

static void changed(struct store *store, struct store_entry *e)
{
    e->changed_gen = ++store->generation;
}

/* The buffer at the capacity wanted now, the newest samples kept. */
static bool ring_fit(struct store_entry *e, uint16_t cap)
{
    if (e->ring && e->ring_cap == cap)
        return true;
    struct store_point *fresh = malloc(cap * sizeof *fresh);
    if (!fresh)
        return false;
    uint16_t n = e->ring_len < cap ? e->ring_len : cap;
    for (uint16_t i = 0; i < n; i++)
        fresh[i] = e->ring[(e->ring_head + e->ring_cap - n + i) % e->ring_cap];
    free(e->ring);
    e->ring = fresh;
    e->ring_cap = cap;
    e->ring_len = n;
    e->ring_head = (uint16_t)(n % cap);
    return true;
}

static void ring_push(struct store *store, struct store_entry *e, int64_t t_ms, double v)
{
    if (e->ring_want == 0 || !ring_fit(e, e->ring_want))
        return;
    if (!store->has_epoch) {
        store->has_epoch = true;
        store->epoch_ms = t_ms;
    }
    /* Whole tenths of a second, rounded down: a sample never looks newer than it is. */
    int64_t rel = t_ms - store->epoch_ms;
    int64_t ds = rel >= 0 ? rel / 100 : -((-rel + 99) / 100);
    ds = ds > INT32_MAX ? INT32_MAX : ds < INT32_MIN ? INT32_MIN : ds;
    struct store_point point = {(int32_t)ds, (float)v};
    /* Thinned: the newest sample stands in for its slot until it is a gap after the one
     * before it; until then a newer one replaces it. So the samples kept span the chart
     * however fast the OID is read, and the last one is always the latest value. */
    if (e->ring_gap_ds > 0 && e->ring_len >= 2) {
        uint16_t last = (uint16_t)((e->ring_head + e->ring_cap - 1) % e->ring_cap);
        uint16_t before = (uint16_t)((e->ring_head + e->ring_cap - 2) % e->ring_cap);
        if ((int64_t)e->ring[last].t_ds - e->ring[before].t_ds < e->ring_gap_ds) {
            e->ring[last] = point;
            return;
        }
    }
    e->ring[e->ring_head] = point;
    e->ring_head = (uint16_t)((e->ring_head + 1) % e->ring_cap);
    if (e->ring_len < e->ring_cap)
        e->ring_len++;
}

enum rct_value_error store_put(struct store *store, uint32_t oid, const uint8_t *payload,
                               size_t len, int64_t now_ms, int64_t now_unix)
{
    struct store_entry *e = find_or_add(store, oid);
    if (!e)
        return RCT_VALUE_UNKNOWN_TYPE;  /* side table full: dropped, never misfiled */
    if (len > STORE_PAYLOAD_MAX) {
        e->decode_errors++;
        changed(store, e);
        return RCT_VALUE_BAD_LENGTH;
    }
    struct rct_value v;
    enum rct_value_error err = RCT_VALUE_OK;
    bool scalar = false;
    double number = 0;
    /* OIDs of unknown type (and outside the registry) are kept as raw bytes. */
    if (e->info && e->info->response_type != RCT_TYPE_UNKNOWN) {
        err = rct_value_decode(e->info->response_type, payload, len, &v);
        if (err == RCT_VALUE_OK)
            scalar = rct_value_as_double(&v, &number);
    }
    if (err != RCT_VALUE_OK) {
        e->decode_errors++;
        e->error_why = rct_value_strerror(err);
        e->error_bytes = (int32_t)len;
        /* A good value already held stays as it was; with none, the OID is in error. */
        if (!e->has_value)
            e->state = STORE_ERROR;
        changed(store, e);
        return err;
    }
    if (e->payload_len != len || !e->payload) {
        uint8_t *copy = realloc(e->payload, len ? len : 1);
        if (!copy)
            return RCT_VALUE_BAD_LENGTH;
        e->payload = copy;
    }
    if (len)
        memcpy(e->payload, payload, len);
    e->payload_len = (uint16_t)len;
    e->has_value = true;
    e->has_number = scalar;
    e->number = number;
    e->updated_ms = now_ms;
    e->updated_unix = now_unix;
    e->state = STORE_FRESH;
    e->ok_count++;
    e->error_why = NULL;
    if (scalar)
        ring_push(store, e, now_ms, number);
    if (now_ms > store->newest_ms)
        store->newest_ms = now_ms;
    changed(store, e);
    return RCT_VALUE_OK;
}

void store_note_timeout(struct store *store, uint32_t oid, int64_t now_ms)
{
    struct store_entry *e = find_or_add(store, oid);
    if (!e)
        return;
    e->timeouts++;
    store_note_error(store, oid, "no answer", now_ms);
}

const char *store_error_text(const struct store_entry *e, char *buf, size_t cap)
{
    if (!e || !e->error_why)
        return "";
    if (e->error_bytes < 0)
        return e->error_why;
    snprintf(buf, cap, "%s (%d bytes)", e->error_why, (int)e->error_bytes);
    return buf;
}

void store_note_error(struct store *store, uint32_t oid, const char *why, int64_t now_ms)
{
    (void)now_ms;
    struct store_entry *e = find_or_add(store, oid);
    if (!e)
        return;
    e->error_why = why;
    e->error_bytes = -1;
    /* An old good value stays visible; the state says the latest attempt failed. */
    e->state = STORE_ERROR;
    changed(store, e);
}

void store_note_unsupported(struct store *store, uint32_t oid)
{
    struct store_entry *e = find_or_add(store, oid);
    if (!e || e->has_value)
        return;
    e->error_why = "not supported by this device";
    e->error_bytes = -1;
    e->state = STORE_UNSUPPORTED;
    changed(store, e);
}

void store_set_max_age(struct store *store, uint32_t oid, int64_t max_age_ms)
{
    struct store_entry *e = find(store, oid);
    if (e)
        e->max_age_ms = max_age_ms;
}

bool store_tick(struct store *store, int64_t now_ms)
{
    bool any = false;
    for (size_t i = 0; i < store->nregistry + store->nunknown; i++) {
        struct store_entry *e = &store->entries[i];
        if (e->state == STORE_FRESH && e->max_age_ms > 0 &&
            now_ms - e->updated_ms > e->max_age_ms) {
            e->state = STORE_STALE;
            changed(store, e);
            any = true;
        }
    }
    return any;
}

bool store_mark_all_stale(struct store *store)
{
    bool any = false;
    for (size_t i = 0; i < store->nregistry + store->nunknown; i++) {
        struct store_entry *e = &store->entries[i];
        if (e->state == STORE_FRESH) {
            e->state = STORE_STALE;
            changed(store, e);
            any = true;
        }
    }
    return any;
}

const struct store_entry *store_get(const struct store *store, uint32_t oid)
{
    return find(store, oid);
}

bool store_value(const struct store *store, uint32_t oid, struct rct_value *out)
{
    const struct store_entry *e = find(store, oid);
    if (!e || !e->has_value || !e->info)
        return false;
    return rct_value_decode(e->info->response_type, e->payload, e->payload_len, out) ==
           RCT_VALUE_OK;
}

bool store_number(const struct store *store, uint32_t oid, double *out)
{
    const struct store_entry *e = find(store, oid);
    if (!e || !e->has_number)
        return false;
    *out = e->number;
    return true;
}

size_t store_ring(const struct store *store, uint32_t oid, struct store_sample *out,
                  size_t max)
{
    const struct store_entry *e = find(store, oid);
    if (!e || !e->ring)
        return 0;
    size_t n = e->ring_len < max ? e->ring_len : max;
    size_t start = (e->ring_head + e->ring_cap - n) % e->ring_cap;
    for (size_t i = 0; i < n; i++) {
        const struct store_point *p = &e->ring[(start + i) % e->ring_cap];
        out[i] = (struct store_sample){store->epoch_ms + (int64_t)p->t_ds * 100, p->value};
    }
    return n;
}

uint64_t store_generation(const struct store *store)
{
    return store->generation;
}

int64_t store_newest_ms(const struct store *store)
{
    return store->newest_ms;
}

size_t store_count(const struct store *store)
{
    return store->nregistry + store->nunknown;
}

const struct store_entry *store_at(const struct store *store, size_t index)
{
    return index < store->nregistry + store->nunknown ? &store->entries[index] : NULL;
}
