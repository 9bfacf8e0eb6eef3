/* Lookups over the compiled-in registry tables (generated from assets/ at build time):
 * by OID, by name, by search text, plus enum labels, fault bits and event types. */
#include "proto/codec/registry.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const struct rct_oid_info rct_gen_registry[];
extern const size_t rct_gen_registry_count;
extern const unsigned short rct_gen_registry_by_name[];
extern const struct rct_enum_label rct_gen_enums[];
extern const size_t rct_gen_enum_count;
extern const char *const rct_gen_fault_labels[128];
extern const char *const rct_gen_fault_categories[128];
extern const struct rct_event_type rct_gen_event_types[];
extern const size_t rct_gen_event_type_count;

static const char *const kind_names[RCT_KIND_COUNT] = {"measurement", "setting", "identity",
                                                       "history"};

const char *rct_kind_name(enum rct_kind kind)
{
    return (unsigned)kind < RCT_KIND_COUNT ? kind_names[kind] : "unknown";
}

bool rct_kind_from_name(const char *name, enum rct_kind *out)
{
    for (int k = 0; k < RCT_KIND_COUNT; k++)
        if (name && strcmp(name, kind_names[k]) == 0) {
            *out = (enum rct_kind)k;
            return true;
        }
    return false;
}

size_t rct_registry_count(void)
{
    return rct_gen_registry_count;
}

const struct rct_oid_info *rct_registry_at(size_t index)
{
    return index < rct_gen_registry_count ? &rct_gen_registry[index] : NULL;
}

const struct rct_oid_info *rct_registry_by_id(uint32_t oid)
{
    size_t lo = 0, hi = rct_gen_registry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t at = rct_gen_registry[mid].oid;
        if (at == oid)
            return &rct_gen_registry[mid];
        if (at < oid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct rct_oid_info *rct_registry_by_name(const char *name)
{
    if (!name)
        return NULL;
    size_t lo = 0, hi = rct_gen_registry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct rct_oid_info *info = &rct_gen_registry[rct_gen_registry_by_name[mid]];
        int cmp = strcmp(info->name, name);
        if (cmp == 0)
            return info;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct rct_oid_info *rct_registry_lookup(const char *name_or_hex)
{
    if (!name_or_hex)
        return NULL;
    if (name_or_hex[0] == '0' && (name_or_hex[1] == 'x' || name_or_hex[1] == 'X')) {
        const char *digits = name_or_hex + 2;
        size_t n = strlen(digits);
        if (n == 0 || n > 8 || strspn(digits, "0123456789abcdefABCDEF") != n)
            return NULL;
        return rct_registry_by_id((uint32_t)strtoul(digits, NULL, 16));
    }
    return rct_registry_by_name(name_or_hex);
}

static bool contains_ci(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (const char *p = haystack; *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

static bool matches(const struct rct_oid_info *info, const struct rct_registry_filter *filter)
{
    if (!filter)
        return true;
    if (filter->group && strcmp(info->group, filter->group) != 0)
        return false;
    if (filter->kind >= 0 && (int)info->kind != filter->kind)
        return false;
    if (filter->text && !contains_ci(info->name, filter->text) &&
        !contains_ci(info->label, filter->text))
        return false;
    return true;
}

const struct rct_oid_info *rct_registry_next(const struct rct_oid_info *prev,
                                             const struct rct_registry_filter *filter)
{
    size_t i = prev ? (size_t)(prev - rct_gen_registry) + 1 : 0;
    for (; i < rct_gen_registry_count; i++)
        if (matches(&rct_gen_registry[i], filter))
            return &rct_gen_registry[i];
    return NULL;
}

bool rct_registry_is_history(const struct rct_oid_info *info)
{
    return info && (info->response_type == RCT_TYPE_TIMESERIES ||
                    info->response_type == RCT_TYPE_EVENT_TABLE);
}

static size_t enum_lower_bound(uint32_t oid)
{
    size_t lo = 0, hi = rct_gen_enum_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rct_gen_enums[mid].oid < oid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct rct_enum_label *rct_enum_labels(uint32_t oid, size_t *count)
{
    size_t first = enum_lower_bound(oid), last = first;
    while (last < rct_gen_enum_count && rct_gen_enums[last].oid == oid)
        last++;
    *count = last - first;
    return last > first ? &rct_gen_enums[first] : NULL;
}

const char *rct_enum_label(uint32_t oid, uint32_t value)
{
    size_t n;
    const struct rct_enum_label *labels = rct_enum_labels(oid, &n);
    for (size_t i = 0; i < n; i++)
        if (labels[i].value == value)
            return labels[i].label;
    return NULL;
}

const char *rct_fault_category(unsigned bit)
{
    return bit < RCT_FAULT_BITS ? rct_gen_fault_categories[bit] : "hardware";
}

const char *rct_fault_label(unsigned bit)
{
    return bit < RCT_FAULT_BITS ? rct_gen_fault_labels[bit] : NULL;
}

uint32_t rct_fault_word_oid(unsigned word)
{
    static const char *const names[4] = {"fault[0].flt", "fault[1].flt", "fault[2].flt",
                                         "fault[3].flt"};
    const struct rct_oid_info *info = word < 4 ? rct_registry_by_name(names[word]) : NULL;
    return info ? info->oid : 0;
}

const struct rct_event_type *rct_event_type_by_id(uint32_t type)
{
    for (size_t i = 0; i < rct_gen_event_type_count; i++)
        if (rct_gen_event_types[i].type == type)
            return &rct_gen_event_types[i];
    return NULL;
}

size_t rct_event_type_count(void)
{
    return rct_gen_event_type_count;
}

const struct rct_event_type *rct_event_type_at(size_t index)
{
    return index < rct_gen_event_type_count ? &rct_gen_event_types[index] : NULL;
}
