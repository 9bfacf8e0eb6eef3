/* libFuzzer target: OID arguments as users type them (names, 0xHEX) through the registry
 * lookups `rcttop get/history/list` use, the search filter, and the companion tables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz_support.h"
#include "proto/codec/registry.h"

static bool is_hex_arg(const char *s)
{
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* The oracle for a search: a case-insensitive substring of name or label. */
static bool matches_text(const struct rct_oid_info *info, const char *text)
{
    return strcasestr(info->name, text) != NULL || strcasestr(info->label, text) != NULL;
}

static void check_info(const struct rct_oid_info *info)
{
    /* Whatever a lookup returns is a registry entry, findable again both ways. */
    if (rct_registry_by_id(info->oid) != info || rct_registry_by_name(info->name) != info)
        __builtin_trap();
    if ((unsigned)info->response_type >= RCT_TYPE_COUNT || (unsigned)info->kind >= RCT_KIND_COUNT)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strdup(data, size);
    if (!text)
        return 0;

    /* rct_registry_lookup: what `get`/`history` resolve each OID argument with. */
    const struct rct_oid_info *info = rct_registry_lookup(text);
    if (info) {
        check_info(info);
        if (is_hex_arg(text)) {
            if (info->oid != (uint32_t)strtoul(text + 2, NULL, 16))
                __builtin_trap();
        } else if (strcmp(info->name, text) != 0) {
            __builtin_trap();
        }
    }
    const struct rct_oid_info *by_name = rct_registry_by_name(text);
    if (by_name) {
        check_info(by_name);
        if (strcmp(by_name->name, text) != 0)
            __builtin_trap();
    }
    if (!is_hex_arg(text) && by_name != info)
        __builtin_trap();

    /* The search of `list PATTERN` / `dump --group/--kind`: every entry it yields matches,
     * in registry order, and it yields every entry that matches. */
    enum rct_kind kind = RCT_KIND_MEASUREMENT;
    bool kind_ok = rct_kind_from_name(text, &kind);
    if (kind_ok && strcmp(rct_kind_name(kind), text) != 0)
        __builtin_trap();
    struct rct_registry_filter filter = {NULL, size ? (int)(data[0] % (RCT_KIND_COUNT + 1)) - 1 : -1,
                                         text};
    size_t expected = 0;
    for (size_t i = 0; i < rct_registry_count(); i++) {
        const struct rct_oid_info *e = rct_registry_at(i);
        if ((filter.kind < 0 || (int)e->kind == filter.kind) && matches_text(e, text))
            expected++;
    }
    size_t found = 0;
    const struct rct_oid_info *prev = NULL;
    for (const struct rct_oid_info *e = rct_registry_next(NULL, &filter); e;
         e = rct_registry_next(e, &filter)) {
        if ((prev && e <= prev) || !matches_text(e, text) ||
            (filter.kind >= 0 && (int)e->kind != filter.kind) || ++found > rct_registry_count())
            __builtin_trap();
        prev = e;
    }
    if (found != expected)
        __builtin_trap();
    /* By group: the text as an exact group name. */
    struct rct_registry_filter group = {text, -1, NULL};
    for (const struct rct_oid_info *e = rct_registry_next(NULL, &group); e;
         e = rct_registry_next(e, &group))
        if (strcmp(e->group, text) != 0)
            __builtin_trap();

    /* The first bytes as numbers: an OID from the wire, an enum value, a fault bit. */
    if (size >= 8) {
        uint32_t oid, value;
        memcpy(&oid, data, 4);
        memcpy(&value, data + 4, 4);
        const struct rct_oid_info *byid = rct_registry_by_id(oid);
        if (byid && byid->oid != oid)
            __builtin_trap();
        size_t count = 0;
        const struct rct_enum_label *labels = rct_enum_labels(oid, &count);
        if ((labels == NULL) != (count == 0))
            __builtin_trap();
        for (size_t i = 0; i < count; i++)
            if (labels[i].oid != oid || !labels[i].label ||
                rct_enum_label(oid, labels[i].value) == NULL)
                __builtin_trap();
        const char *label = rct_enum_label(oid, value);
        if (label && strlen(label) > 4096)
            __builtin_trap();
        const struct rct_event_type *et = rct_event_type_by_id(value);
        if (et && et->type != value)
            __builtin_trap();
        (void)rct_fault_label(value);
        (void)rct_fault_label(value % RCT_FAULT_BITS);
        (void)rct_fault_word_oid(value);
        (void)rct_kind_name((enum rct_kind)(value % 8));
    }
    free(text);
    return 0;
}
