/* Several simulated units as one plant: what a master says of its slaves and what a
 * slave says of its master, computed from the slaves' own models at the time asked for,
 * so the plant's totals agree with what each unit serves. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/sim/sim.h"
#include "proto/sim/sim_internal.h"

bool sim_plant_join(struct sim *master, struct sim *slave)
{
    if (!master || !slave || master == slave || slave->master ||
        master->nslaves >= SIM_PLANT_SLAVES_MAX)
        return false;
    master->slaves[master->nslaves++] = slave;
    slave->master = master;
    /* The master's days now depend on the slave's power: what it computed before goes. */
    for (unsigned i = 0; i < SIM_DAY_CACHE; i++)
        master->days[i].day = -1;
    for (unsigned i = 0; i < SIM_TOTALS_CACHE; i++)
        master->totals[i].day = -1;
    return true;
}

void sim_set_address(struct sim *sim, const char *host, uint16_t port)
{
    snprintf(sim->host, sizeof sim->host, "%s", host);
    sim->port = port;
}

void sim_set_unit_number(struct sim *sim, uint32_t number)
{
    sim->unit_number = number;
}

static bool in_plant(const struct sim *sim)
{
    return sim->master || sim->nslaves > 0;
}

double sim_plant_slaves_ac(struct sim *master, double t)
{
    double sum = 0;
    for (size_t i = 0; i < master->nslaves; i++) {
        struct sim_plant p;
        sim_plant_at(master->slaves[i], t, &p);
        sum += p.ac;  /* signed: a charging battery inverter takes power */
    }
    return sum;
}

/* The mean charge of the plant's batteries; false when none has one. */
static bool plant_soc(struct sim *master, double t, double *v)
{
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i <= master->nslaves; i++) {
        struct sim *unit = i == 0 ? master : master->slaves[i - 1];
        if (!sim_has_battery(unit))
            continue;
        struct sim_plant p;
        sim_plant_at(unit, t, &p);
        sum += p.soc;
        n++;
    }
    if (n)
        *v = sum / n;
    return n > 0;
}

bool sim_plant_number(struct sim *sim, const struct rct_oid_info *info, double t, double *v)
{
    if (!in_plant(sim))
        return false;
    const char *n = info->name;
    bool master = sim->nslaves > 0;
    if (!strcmp(n, "wifi.sockb_port"))
        *v = sim->master ? sim->master->port : sim->port;
    else if (!strcmp(n, "net.n_slaves") || !strcmp(n, "net.n_descendants"))
        *v = (double)sim->nslaves;
    else if (!strcmp(n, "net.n_devices"))
        *v = master ? 1.0 + (double)sim->nslaves : 0;
    else if (!strcmp(n, "io_board.s0_external_power") || !strcmp(n, "net.slave_p_total"))
        *v = master ? sim_plant_slaves_ac(sim, t) : 0;
    else if (!strcmp(n, "net.soc_av") && master)
        return plant_soc(sim, t, v);
    else
        return false;
    return true;
}

bool sim_plant_string(const struct sim *sim, const struct rct_oid_info *info, char *buf, size_t cap)
{
    if (!sim->master || strcmp(info->name, "wifi.sockb_ip") != 0)
        return false;
    snprintf(buf, cap, "%s", sim->master->host);
    return true;
}
