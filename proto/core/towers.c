/* Battery towers: see towers.h. */
#include "proto/core/towers.h"

#include <stdio.h>
#include <string.h>

static const char *const families[TOWERS_MAX] = {"battery", "battery_placeholder[0]"};

const char *tower_family(int t)
{
    return t >= 0 && t < TOWERS_MAX ? families[t] : families[0];
}

const struct rct_oid_info *tower_oid(int t, const char *what)
{
    char name[96];
    snprintf(name, sizeof name, "%s.%s", tower_family(t), what);
    return rct_registry_by_name(name);
}

const struct rct_oid_info *tower_slot_oid(int t, const char *what, int slot)
{
    char name[96];
    snprintf(name, sizeof name, "%s.%s[%d]", tower_family(t), what, slot);
    return rct_registry_by_name(name);
}

/* A string value that is not empty. */
static bool has_text(const struct store *store, const struct rct_oid_info *info)
{
    static struct rct_value v;
    return info && store_value(store, info->oid, &v) && v.type == RCT_TYPE_STRING && v.u.s.len > 0 &&
           v.u.s.text[0] != '\0';
}

bool tower_module_present(const struct store *store, int t, int slot)
{
    if (has_text(store, tower_slot_oid(t, "module_sn", slot)))
        return true;
    static struct rct_value v;
    const struct rct_oid_info *cells = tower_slot_oid(t, "cells", slot);
    if (!cells || !store_value(store, cells->oid, &v) || v.type != RCT_TYPE_BAT_STATUS)
        return false;
    for (int c = 0; c < RCT_BAT_CELLS; c++)
        if (v.u.cells[c].millivolt != 0)
            return true;
    return false;
}

int tower_modules(const struct store *store, int t, int *slots)
{
    int n = 0;
    for (int m = 0; m < TOWER_SLOTS; m++)
        if (tower_module_present(store, t, m))
            slots[n++] = m;
    return n;
}

static enum store_state state_of(const struct store *store, const struct rct_oid_info *info)
{
    const struct store_entry *e = info ? store_get(store, info->oid) : NULL;
    return e ? e->state : STORE_NEVER_READ;
}

static bool was_read(const struct store *store, const struct rct_oid_info *info)
{
    const struct store_entry *e = info ? store_get(store, info->oid) : NULL;
    return e && e->has_value;
}

enum tower_state tower_state(const struct store *store, int t)
{
    int slots[TOWER_SLOTS];
    const struct rct_oid_info *bms = tower_oid(t, "bms_sn");
    if (tower_modules(store, t, slots) > 0 || has_text(store, bms))
        return TOWER_PRESENT;
    /* Empty only when the serial and every slot answered: a slot not read yet may hold one. */
    bool all_read = was_read(store, bms) || t == 0;
    for (int m = 0; m < TOWER_SLOTS && all_read; m++)
        all_read = was_read(store, tower_slot_oid(t, "module_sn", m));
    if (all_read)
        return TOWER_EMPTY;
    if (state_of(store, bms) == STORE_UNSUPPORTED ||
        state_of(store, tower_slot_oid(t, "module_sn", 0)) == STORE_UNSUPPORTED)
        return TOWER_UNSUPPORTED;
    return TOWER_NOT_READ;
}

int towers_present(const struct store *store, int *which)
{
    int n = 0;
    for (int t = 0; t < TOWERS_MAX; t++)
        if (tower_state(store, t) == TOWER_PRESENT)
            which[n++] = t;
    return n;
}

bool towers_none(const struct store *store)
{
    int which[TOWERS_MAX];
    if (towers_present(store, which) > 0)
        return false;
    static const char *const probes[] = {"soc", "bms_sn", "soh"};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        if (state_of(store, tower_oid(0, probes[i])) == STORE_UNSUPPORTED)
            return true;
    return state_of(store, tower_slot_oid(0, "module_sn", 0)) == STORE_UNSUPPORTED;
}

bool tower_worth_asking(const struct store *store, int t)
{
    if (t == 0)
        return !store || !towers_none(store);
    return store && was_read(store, tower_oid(t, "bms_sn"));
}

const char *tower_label(const struct store *store, int t, char *out, size_t cap)
{
    static struct rct_value v;
    const struct rct_oid_info *bms = tower_oid(t, "bms_sn");
    if (has_text(store, bms) && store_value(store, bms->oid, &v))
        snprintf(out, cap, "BMS %s", v.u.s.text);
    else
        snprintf(out, cap, "%s.*", tower_family(t));
    return out;
}

const char *tower_rule_part(int t)
{
    return t == 0 ? "" : "placeholder0";
}
