/* Internals shared by the simulator's model (sim_model.c), its values (sim_values.c),
 * its logs (sim_history.c) and its protocol server (sim.c). Not part of any public
 * surface. */
#ifndef RCT_SIM_INTERNAL_H
#define RCT_SIM_INTERNAL_H

#include "proto/sim/sim.h"

struct event;
struct rct_oid_info;

#define SIM_DAY_CACHE 6
#define SIM_TOTALS_CACHE 2048
#define SIM_MODULES 2            /* battery modules present (battery.*) */
#define SIM_TOWER2_MODULES 3     /* and in the second tower of the dual-tower profile */
#define SIM_CAPACITY_WH 10000.0

/* Energy totals of one day, Wh; feed is positive here and negated on the wire; ext is
 * what a master's S0 input counts (its slaves' AC, signed). */
struct sim_totals {
    double pv_a, pv_b, ac, load, feed, grid_load, charge, discharge, ext;
};

/* The plant during one simulated minute, plus energies up to its start. */
struct sim_minute {
    float pv_a, pv_b, load, bat, grid, ac, soc, elev, ext;
    struct sim_totals e;
};

struct sim_day {
    int64_t day;                 /* days since 1970-01-01 UTC; -1 = empty slot */
    struct sim_minute m[1441];   /* m[1440] holds the day's end */
};

struct sim_plant {
    float pv_a, pv_b, load, bat, grid, ac, soc, elev, ext;
    float u_l[3], freq;
    struct sim_totals day, month, year, total;
};

struct sim_conn;

struct sim {
    struct event_base *base;
    struct sim_config cfg;
    double start_unix;
    int64_t start_mono_ms;
    struct sim_stats stats;
    struct sim_day *days;        /* SIM_DAY_CACHE slots */
    unsigned next_slot;
    struct { int64_t day; struct sim_totals t; } *totals;  /* SIM_TOTALS_CACHE */
    struct evconnlistener *listener;
    int clients;
    struct sim_conn *conns;       /* open connections, freed with the simulator */
    uint64_t conn_serial;
    bool silent;                  /* a scheduled action stopped the answers */
    struct event *action_timers[SIM_ACTIONS_MAX];
    struct sim_armed { struct sim *sim; size_t index; } armed[SIM_ACTIONS_MAX];
    /* Its place in a plant (sim_plant.c). */
    struct sim *master;           /* a slave's master, NULL otherwise */
    struct sim *slaves[SIM_PLANT_SLAVES_MAX];
    size_t nslaves;
    char host[64];                /* where it serves, once it listens */
    uint16_t port;
    uint32_t unit_number;
};

/* The scheduled actions (sim_script.c): armed when the simulator starts, freed with it. */
void sim_script_start(struct sim *sim);
void sim_script_free(struct sim *sim);

/* The plant of units (sim_plant.c): the values only a plant has, or false for another
 * OID (then the unit's own model answers). */
bool sim_plant_number(struct sim *sim, const struct rct_oid_info *info, double t, double *v);
bool sim_plant_string(const struct sim *sim, const struct rct_oid_info *info, char *buf, size_t cap);
/* net.slave_data for the master at t (sim_values.c): one record a slave; false for
 * another OID or unit. */
bool sim_plant_record_payload(struct sim *sim, const struct rct_oid_info *info, double t,
                              uint8_t *out, size_t cap, size_t *len);

/* Model (sim_model.c). */
void sim_plant_at(struct sim *sim, double t, struct sim_plant *out);
bool sim_oid_unknown(const struct sim *sim, uint32_t oid);
/* The device's timestamp of a true time, and back: its zone when it keeps local time. */
double sim_device_time(const struct sim *sim, double true_t);
double sim_true_time(const struct sim *sim, double device_t);
/* Whether the plant has a battery / a string B. */
bool sim_has_battery(const struct sim *sim);
bool sim_has_string_b(const struct sim *sim);
bool sim_has_pv(const struct sim *sim);
uint32_t sim_hash(uint32_t seed, uint32_t a, uint32_t b);
/* The host's monotonic clock, ms: what simulated time is measured from. */
int64_t sim_mono_ms(void);

#endif
