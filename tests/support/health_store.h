/* A store of crafted values for the diagnosis tests: one store and the default thresholds
 * per test (health_store_setup / _teardown as a suite's init and fini), values put by OID
 * name as the device sends them. Header-only, tests only. */
#ifndef RCT_TEST_HEALTH_STORE_H
#define RCT_TEST_HEALTH_STORE_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/store.h"
#include "tui/config/config.h"
#include "tui/diagnosis/health.h"

static struct store *st;
static struct health_thresholds th;

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

#endif
