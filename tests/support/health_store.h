/* A store of crafted values for the diagnosis tests: one store and the default thresholds
 * per test (health_store_setup / _teardown as a suite's init and fini), values put by OID
 * name as the device sends them. Header-only, tests only. */
#ifndef RCT_TEST_HEALTH_STORE_H
#define RCT_TEST_HEALTH_STORE_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/store.h"
#include "tui/config/config.h"
#include "tui/diagnosis/health.h"

static struct store *st;
static struct health_thresholds th;
static struct health_finding out[96];   /* what run() found */

static inline void health_store_setup(void)
{
    st = store_new();
    config_default_thresholds(&th);
}

static inline void health_store_teardown(void)
{
    store_free(st);
}

static inline void put_bytes(const char *name, const uint8_t *p, size_t n)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    cr_assert_not_null(info, "%s", name);
    cr_assert_eq(store_put(st, info->oid, p, n, 1000, 1790000000), RCT_VALUE_OK, "%s", name);
}

static inline void put_u32(const char *name, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put_bytes(name, p, 4);
}

static inline void put_float(const char *name, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, 4);
    put_u32(name, bits);
}

static inline void put_u8(const char *name, uint8_t v)
{
    put_bytes(name, &v, 1);
}

static inline void put_faults(uint32_t w0, uint32_t w1)
{
    put_u32("fault[0].flt", w0);
    put_u32("fault[1].flt", w1);
    put_u32("fault[2].flt", 0);
    put_u32("fault[3].flt", 0);
}

static inline size_t run(const char *only, const struct health_input *extra)
{
    struct health_input in = {.store = st, .now_unix = 1790000000};
    if (extra)
        in = *extra;
    in.store = st;
    return health_evaluate(&in, &th, only, out, 96);
}

static inline const struct health_finding *find(size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(out[i].id, id))
            return &out[i];
    return NULL;
}

/* SOC and current of a tower ("battery", "battery_placeholder[0]") where the LFP curve is
 * flat: cell spreads are judged there. */
static inline void put_flat(const char *family)
{
    char name[64];
    snprintf(name, sizeof name, "%s.soc", family);
    put_float(name, 0.5f);
    snprintf(name, sizeof name, "%s.current", family);
    put_float(name, 2.0f);
}

#endif
