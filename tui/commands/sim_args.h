/* The options of `rcttop sim`, parsed into what the simulator is to be: one unit's
 * configuration, or with --plant one a unit, each from the global options with its own
 * (--unit N:OPTION) on top. */
#ifndef RCT_SIM_ARGS_H
#define RCT_SIM_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "proto/sim/sim.h"

#define SIM_ARGS_UNITS_MAX (1 + SIM_PLANT_SLAVES_MAX)
#define SIM_ARGS_UNIT_OPTIONS_MAX 64

struct sim_args {
    struct sim_config cfg;
    char host[256];
    uint16_t port;
    double duration;
    bool print;
    const char *record;
    bool role_set, profile_set, night_set;
    /* --plant: the profiles a unit (the first the master); --unit N:OPTION, in order. */
    size_t nunits;
    char unit_names[SIM_ARGS_UNITS_MAX][64];     /* as given */
    char unit_profiles[SIM_ARGS_UNITS_MAX][64];  /* for sim_profiles_parse */
    struct { int unit; const char *option; } unit_options[SIM_ARGS_UNIT_OPTIONS_MAX];
    size_t nunit_options;
};

extern const struct option sim_args_options[];
#define SIM_ARGS_SHORTOPTS "l:v"

void sim_args_defaults(struct sim_args *args);
/* Applies argv's options onto args (in order, later ones win); 0, or the exit status of
 * a usage error already reported. */
int sim_args_parse(int argc, char **argv, struct sim_args *args);
/* Unit n's configuration (1 the master) of a --plant: the global options, its profile,
 * role, seed and night default, then its --unit options. 0 or an exit status. */
int sim_args_unit(int argc, char **argv, size_t n, struct sim_args *unit);

#endif
