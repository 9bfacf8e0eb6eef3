/* rcttop sim's options for a plant: each unit gets the global options, its profile, role
 * and seed, then its own --unit options, and nothing of another unit's. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/commands/sim_args.h"

static int units_of(char **argv, int argc, struct sim_args *units, size_t cap)
{
    struct sim_args global;
    sim_args_defaults(&global);
    int status = sim_args_parse(argc, argv, &global);
    if (status)
        return status;
    cr_assert_leq(global.nunits, cap);
    for (size_t i = 0; i < global.nunits; i++) {
        sim_args_defaults(&units[i]);
        if ((status = sim_args_unit(argc, argv, i + 1, &units[i])))
            return status;
    }
    return 0;
}

Test(sim_args, a_plant_gives_each_unit_its_profile_role_and_seed)
{
    char *argv[] = {"sim", "--plant", "master,inverter,storage-ac", "--seed", "10", "--latency", "5", NULL};
    static struct sim_args u[3];
    cr_assert_eq(units_of(argv, 7, u, 3), 0);
    cr_assert_eq(u[0].cfg.plant_role, 1);
    cr_assert_eq(u[0].cfg.profile, SIM_PROFILE_STORAGE);
    cr_assert_eq(u[1].cfg.plant_role, 2);
    cr_assert_eq(u[1].cfg.profile, SIM_PROFILE_INVERTER);
    cr_assert_eq(u[2].cfg.plant_role, 2);
    cr_assert_eq(u[2].cfg.profile, SIM_PROFILE_STORAGE_AC);
    cr_assert(u[0].cfg.seed != u[1].cfg.seed && u[1].cfg.seed != u[2].cfg.seed);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(u[i].cfg.quirks.latency_ms, 5, "global options reach unit %d", i + 1);
    cr_assert(u[1].cfg.quirks.night, "a PV-only slave sleeps at night by default");
    cr_assert_not(u[0].cfg.quirks.night);
    cr_assert_not(u[2].cfg.quirks.night);
}

Test(sim_args, unit_options_reach_their_unit_only)
{
    char *argv[] = {"sim", "--plant", "master,inverter,storage-ac", "--unit", "2:--drop=0.3",
                    "--unit", "3:fault=16", "--unit", "2:--no-night", "--unit", "3:--at=5:silent", NULL};
    static struct sim_args u[3];
    cr_assert_eq(units_of(argv, 11, u, 3), 0);
    cr_assert_float_eq(u[1].cfg.quirks.drop, 0.3, 1e-9);
    cr_assert_float_eq(u[0].cfg.quirks.drop, 0, 1e-9);
    cr_assert_float_eq(u[2].cfg.quirks.drop, 0, 1e-9);
    cr_assert_not(u[1].cfg.quirks.night, "--no-night opts out");
    cr_assert_eq(u[2].cfg.faults[0], 1u << 16);
    cr_assert_eq(u[0].cfg.faults[0], 0);
    cr_assert_eq(u[2].cfg.nactions, 1);
    cr_assert_eq(u[2].cfg.actions[0].kind, SIM_ACT_SILENT);
    cr_assert_eq(u[1].cfg.nactions, 0);
}

Test(sim_args, refuses_what_a_unit_cannot_have)
{
    static struct sim_args u[3];
    char *beyond[] = {"sim", "--plant", "master,inverter", "--unit", "3:--drop=0.1", NULL};
    cr_assert_neq(units_of(beyond, 5, u, 3), 0);
    char *listen[] = {"sim", "--plant", "master,inverter", "--unit", "2:--listen=127.0.0.1:1", NULL};
    cr_assert_neq(units_of(listen, 5, u, 3), 0);
    char *role[] = {"sim", "--plant", "master,inverter", "--unit", "2:--role=master", NULL};
    cr_assert_neq(units_of(role, 5, u, 3), 0);
    char *alone[] = {"sim", "--plant", "master", NULL};
    cr_assert_neq(units_of(alone, 3, u, 3), 0);
    char *bad[] = {"sim", "--plant", "master,solar", NULL};
    cr_assert_neq(units_of(bad, 3, u, 3), 0);
}
