/* The dashboard's OIDs: every name in its table is one the registry has, and what it hands
 * the scheduler at start (no app, no towers known yet) is that table and the tower serials. */
#include <criterion/criterion.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/towers.h"
#include "tui/monitor/app.h"
#include "tui/panes/dashboard_oids.h"
#include "tui/panes/panes.h"

Test(dashboard_oids, every_name_resolves_in_the_registry_to_the_oid_the_dashboard_uses)
{
    for (int i = 0; i < DASH_OID_COUNT; i++) {
        const char *name = dashboard_oid_name(i);
        cr_assert_not_null(name, "entry %d of the table has no name", i);
        const struct rct_oid_info *info = rct_registry_by_name(name);
        cr_assert_not_null(info, "the registry has no OID named %s", name);
        cr_assert_eq(dashboard_oid(i), info->oid, "%s", name);
    }
}

Test(dashboard_oids, names_no_oid_twice)
{
    for (int i = 0; i < DASH_OID_COUNT; i++)
        for (int j = i + 1; j < DASH_OID_COUNT; j++)
            cr_assert_neq(dashboard_oid(i), dashboard_oid(j), "%s and %s", dashboard_oid_name(i),
                          dashboard_oid_name(j));
}

Test(dashboard_oids, the_tower_figures_it_shows_are_in_the_registry)
{
    static const char *const per_tower[] = {"bms_sn", "soc", "voltage"};
    for (int t = 0; t < TOWERS_MAX; t++)
        for (size_t k = 0; k < 3; k++)
            cr_assert_not_null(tower_oid(t, per_tower[k]), "tower %d has no %s", t, per_tower[k]);
}

Test(dashboard_oids, lists_its_table_and_the_tower_serials_without_an_app)
{
    const struct view *dashboard = panes[1];
    cr_assert_eq(dashboard->digit, '1');
    uint32_t oids[128];
    size_t n = dashboard->visible_oids(NULL, NULL, oids, 128);
    cr_assert_eq(n, (size_t)DASH_OID_COUNT + TOWERS_MAX);
    for (int i = 0; i < DASH_OID_COUNT; i++)
        cr_assert_eq(oids[i], dashboard_oid(i), "%s", dashboard_oid_name(i));
    for (int t = 0; t < TOWERS_MAX; t++)
        cr_assert_eq(oids[DASH_OID_COUNT + t], tower_oid(t, "bms_sn")->oid, "tower %d", t);
}

Test(dashboard_oids, charts_only_what_it_names)
{
    const struct view *dashboard = panes[1];
    uint32_t sampled[32];
    size_t n = dashboard->sampled_oids(sampled, 32);
    cr_assert_gt(n, 0);
    for (size_t k = 0; k < n; k++) {
        bool named = false;
        for (int i = 0; i < DASH_OID_COUNT && !named; i++)
            named = sampled[k] == dashboard_oid(i);
        cr_assert(named, "sampled OID 0x%08X is not in the dashboard's table", sampled[k]);
    }
}
