/* The compiled-in registry: every OID found both ways, sorted, searchable, filtered by
 * group and kind; the kind rules (writable parameters are settings, logger series are
 * history); enum labels, fault bits and event types. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "support/csv_reader.h"

Test(registry, holds_all_895_oids_sorted_and_finds_each_by_id_and_name)
{
    cr_assert_eq(rct_registry_count(), 895);
    for (size_t i = 0; i < rct_registry_count(); i++) {
        const struct rct_oid_info *info = rct_registry_at(i);
        if (i)
            cr_assert_lt(rct_registry_at(i - 1)->oid, info->oid);
        cr_assert_eq(rct_registry_by_id(info->oid), info);
        cr_assert_eq(rct_registry_by_name(info->name), info, "%s", info->name);
    }
    cr_assert_null(rct_registry_by_id(0x12345678));
    cr_assert_null(rct_registry_by_name("battery.nonsense"));
    cr_assert_null(rct_registry_at(895));
}

Test(registry, looks_up_hex_case_insensitively_and_rejects_junk)
{
    const struct rct_oid_info *soc = rct_registry_by_name("battery.soc");
    cr_assert_eq(soc->oid, 0x959930BF);
    cr_assert_eq(rct_registry_lookup("0x959930bf"), soc);
    cr_assert_eq(rct_registry_lookup("0X959930BF"), soc);
    cr_assert_eq(rct_registry_lookup("battery.soc"), soc);
    cr_assert_null(rct_registry_lookup("0x"));
    cr_assert_null(rct_registry_lookup("0x959930BFF"));
    cr_assert_null(rct_registry_lookup("0xZZ"));
    cr_assert_null(rct_registry_lookup(NULL));
}

Test(registry, searches_names_and_labels_and_filters_by_group_and_kind)
{
    struct rct_registry_filter f = {NULL, -1, "STATE OF CHARGE"};
    const struct rct_oid_info *first = rct_registry_next(NULL, &f);
    cr_assert_not_null(first, "label search is case-insensitive");
    int n = 0;
    f = (struct rct_registry_filter){"battery", RCT_KIND_IDENTITY, NULL};
    for (const struct rct_oid_info *i = rct_registry_next(NULL, &f); i; i = rct_registry_next(i, &f)) {
        cr_assert_str_eq(i->group, "battery");
        cr_assert_eq(i->kind, RCT_KIND_IDENTITY);
        n++;
    }
    cr_assert_gt(n, 3);
    size_t per_kind[RCT_KIND_COUNT] = {0};
    for (size_t i = 0; i < rct_registry_count(); i++)
        per_kind[rct_registry_at(i)->kind]++;
    cr_assert_eq(per_kind[RCT_KIND_HISTORY], 45);
    cr_assert_eq(per_kind[RCT_KIND_MEASUREMENT] + per_kind[RCT_KIND_SETTING] +
                 per_kind[RCT_KIND_IDENTITY] + per_kind[RCT_KIND_HISTORY], 895);
}

Test(registry, makes_every_known_writable_parameter_a_setting)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/written.csv", RCT_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    static struct csv_row row;
    cr_assert(csv_read_row(f, &row));
    int n = 0;
    while (csv_read_row(f, &row)) {
        const struct rct_oid_info *info = rct_registry_by_name(row.field[1]);
        cr_assert_not_null(info, "%s", row.field[1]);
        cr_assert_eq(info->kind, RCT_KIND_SETTING, "%s must be shown read-only", info->name);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, 11);
    static const char *const also[] = {"grid_mon[0].u_over.threshold", "power_mng.schedule[0]",
                                       "wifi.ip", "nsm.p_limit", "display_struct.brightness"};
    for (size_t i = 0; i < sizeof also / sizeof also[0]; i++)
        cr_assert_eq(rct_registry_by_name(also[i])->kind, RCT_KIND_SETTING, "%s", also[i]);
    cr_assert_eq(rct_registry_by_name("battery.soc")->kind, RCT_KIND_MEASUREMENT);
    cr_assert_eq(rct_registry_by_name("inverter_sn")->kind, RCT_KIND_IDENTITY);
}

Test(registry, calls_only_timeseries_and_the_event_table_history)
{
    for (size_t i = 0; i < rct_registry_count(); i++) {
        const struct rct_oid_info *info = rct_registry_at(i);
        bool series = info->response_type == RCT_TYPE_TIMESERIES ||
                      info->response_type == RCT_TYPE_EVENT_TABLE;
        cr_assert_eq(rct_registry_is_history(info), series, "%s", info->name);
        cr_assert_eq(info->kind == RCT_KIND_HISTORY, series, "%s", info->name);
    }
}

Test(registry, knows_enum_labels_fault_bits_and_event_types)
{
    uint32_t state = rct_registry_by_name("prim_sm.state")->oid;
    cr_assert_str_eq(rct_enum_label(state, 13), "Feed in");
    cr_assert_null(rct_enum_label(state, 200));
    size_t n;
    cr_assert_not_null(rct_enum_labels(state, &n));
    cr_assert_eq(n, 14);
    cr_assert_str_eq(rct_fault_label(16), "Battery overcurrent");
    cr_assert_null(rct_fault_label(128), "bits beyond the 128-bit field have no word");
    cr_assert_eq(rct_fault_word_oid(0), 0x37F9D5CA);
    cr_assert_eq(rct_fault_word_oid(4), 0);
    const struct rct_event_type *prm = rct_event_type_by_id(0x73);
    cr_assert_str_eq(prm->name, "PRM_CHANGE");
    cr_assert_str_eq(prm->element[0], "Object ID");
    cr_assert_eq(rct_event_type_count(), 19);
    cr_assert_null(rct_event_type_by_id(0x10));
    enum rct_kind k;
    cr_assert(rct_kind_from_name("setting", &k));
    cr_assert_eq(k, RCT_KIND_SETTING);
    cr_assert_not(rct_kind_from_name("Setting", &k));
}
