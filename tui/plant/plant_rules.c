/* The plant's own findings (see plant_view.h): each from what the units say of themselves,
 * never from a guess. A rule whose inputs are not read, or not current where they change,
 * says nothing. */
#include "tui/plant/plant_view.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"

struct plant_judge {
    const struct plant_unit *units;
    const struct plant_row *rows;
    size_t n;
    int master;
    struct health_finding *out;
    size_t max, count;
};

/* A finding "plant.KIND" or, about one unit, "plant.KIND.LABEL". */
static struct health_finding *add(struct plant_judge *j, enum health_severity sev, const char *title,
                                  const char *kind, const char *label)
{
    if (j->count == j->max)
        return NULL;
    struct health_finding *f = &j->out[j->count++];
    memset(f, 0, sizeof *f);
    snprintf(f->id, sizeof f->id, "plant.%s%s%.*s", kind, label ? "." : "", 30, label ? label : "");
    f->severity = sev;
    snprintf(f->title, sizeof f->title, "%s", title);
    return f;
}

static void evidence(struct health_finding *f, const char *name, const char *value)
{
    if (!f || f->nevidence == HEALTH_EVIDENCE_MAX)
        return;
    struct health_evidence *e = &f->evidence[f->nevidence++];
    snprintf(e->name, sizeof e->name, "%.*s", (int)sizeof e->name - 1, name);
    snprintf(e->value, sizeof e->value, "%.*s", (int)sizeof e->value - 1, value);
}

/* The master's address a slave keeps (wifi.sockb_ip), as text; false while not read. */
static bool master_address_of(const struct store *store, char *buf, size_t cap)
{
    const struct rct_oid_info *ip = rct_registry_by_name("wifi.sockb_ip");
    static struct rct_value v;  /* large; one thread */
    if (!ip || !store_value(store, ip->oid, &v) || v.type != RCT_TYPE_STRING || !v.u.s.text[0])
        return false;
    rct_sanitize(v.u.s.text, v.u.s.len, buf, cap);
    return true;
}

/* Whether a slave's master address names the plant's master: 1 yes, 0 no, -1 cannot say
 * (the master is configured by name, not by address: rcttop does not resolve names here). */
static int names_master(const char *said, const struct plant_unit *master)
{
    struct in_addr a, b;
    if (inet_pton(AF_INET, master->host, &b) != 1)
        return -1;
    return inet_pton(AF_INET, said, &a) == 1 && a.s_addr == b.s_addr;
}

static void judge_roles(struct plant_judge *j)
{
    int masters = 0;
    for (size_t i = 0; i < j->n; i++)
        masters += j->rows[i].role == PLANT_MASTER;
    if (masters > 1) {
        struct health_finding *f = add(j, HEALTH_WARNING, "more than one unit says it is the master",
                                       "masters", NULL);
        for (size_t i = 0; f && i < j->n; i++)
            if (j->rows[i].role == PLANT_MASTER)
                evidence(f, j->units[i].label, "wifi.sockb_protocol 1 (master)");
        if (f)
            health_finding_set_detail(f, "%d units have wifi.sockb_protocol 1; a plant has one "
                                      "master, the others are its slaves", masters);
    }
}

static void judge_master_address(struct plant_judge *j, size_t i)
{
    const struct plant_unit *m = &j->units[j->master];
    char said[64], title[128];
    if (!master_address_of(j->units[i].store, said, sizeof said))
        return;
    int same = names_master(said, m);
    double port = NAN;
    bool port_read = knows_number(j->units[i].store, "wifi.sockb_port", &port) && isfinite(port);
    bool port_differs = port_read && m->port && (int)port != m->port;
    if (same < 0 || (same == 1 && !port_differs))
        return;
    snprintf(title, sizeof title, "%s's master address is not the plant's master (%s)",
             j->units[i].label, m->label);
    struct health_finding *f = add(j, HEALTH_WARNING, title, "master_address", j->units[i].label);
    if (!f)
        return;
    char value[48], slave_at[80];
    evidence(f, "wifi.sockb_ip", said);
    snprintf(slave_at, sizeof slave_at, "%s", said);
    if (port_read) {
        snprintf(value, sizeof value, "%.0f", port);
        evidence(f, "wifi.sockb_port", value);
        snprintf(slave_at, sizeof slave_at, "%s:%.0f", said, port);
    }
    snprintf(value, sizeof value, "%s:%u", m->host, (unsigned)m->port);
    evidence(f, "plant master", value);
    health_finding_set_detail(f, "%s connects to %s as its master, but this plant's master %s is "
                              "at %s", j->units[i].label, slave_at, m->label, value);
}

/* How many slaves the master counts now (net.n_slaves, current); -1 when not. */
static int counted_slaves(const struct plant_judge *j)
{
    const struct plant_unit *m = &j->units[j->master];
    const struct rct_oid_info *info = rct_registry_by_name("net.n_slaves");
    const struct store_entry *e = info ? store_get(m->store, info->oid) : NULL;
    double v;
    if (!e || e->state != STORE_FRESH || !j->rows[j->master].data_current ||
        !knows_number(m->store, "net.n_slaves", &v) || !isfinite(v))
        return -1;
    return (int)v;
}

static void judge_slave_count(struct plant_judge *j, int counted)
{
    int configured = (int)j->n - 1;
    if (counted < 0 || counted == configured)
        return;
    char title[128], value[16];
    snprintf(title, sizeof title, "the master counts %d slave%s, the plant has %d", counted,
             counted == 1 ? "" : "s", configured);
    struct health_finding *f = add(j, HEALTH_WARNING, title, "slaves", NULL);
    if (!f)
        return;
    snprintf(value, sizeof value, "%d", counted);
    evidence(f, "net.n_slaves", value);
    snprintf(value, sizeof value, "%d", configured);
    evidence(f, "units configured", value);
    health_finding_set_detail(f, "%s reports net.n_slaves %d; the plant names %d other unit%s%s",
                              j->units[j->master].label, counted, configured,
                              configured == 1 ? "" : "s",
                              counted < configured ? ": a slave is not connected to its master, "
                              "or the plant names a unit that is not part of it"
                                                   : ": the master has slaves this plant does not name");
}

static void judge_offline(struct plant_judge *j, size_t i, int counted)
{
    const struct plant_row *r = &j->rows[i];
    const struct plant_unit *u = &j->units[i];
    if (r->data_current || (int)i == j->master || !u->knows || u->knows->last_heard_unix_ms == 0)
        return;  /* only a unit that answered before and is away now */
    char title[128];
    if (u->expected_offline) {
        snprintf(title, sizeof title, "%s is asleep (offline inside its expected_offline time)", u->label);
        struct health_finding *f = add(j, HEALTH_INFO, title, "asleep", u->label);
        if (f)
            health_finding_set_detail(f, "a PV-only unit loses power at night; its master's "
                                      "clients may see errors for it until morning");
        return;
    }
    if (counted < 0 || counted < (int)j->n - 1)
        return;  /* the master does not count it (the slave count's own finding says so) */
    snprintf(title, sizeof title, "%s is offline, the master still counts it", u->label);
    struct health_finding *f = add(j, HEALTH_WARNING, title, "offline", u->label);
    if (!f)
        return;
    char value[16];
    snprintf(value, sizeof value, "%d", counted);
    evidence(f, "net.n_slaves", value);
    health_finding_set_detail(f, "rcttop gets no answer from %s, while %s reports %d slave%s: the "
                              "unit is up for its master and unreachable here (network, address), "
                              "or the master has not noticed yet", u->label,
                              j->units[j->master].label, counted, counted == 1 ? "" : "s");
}

size_t plant_findings(const struct plant_unit *units, const struct plant_row *rows, size_t n,
                      struct health_finding *out, size_t max)
{
    struct plant_judge j = {.units = units, .rows = rows, .n = n, .out = out, .max = max};
    if (n < 2)
        return 0;  /* one unit: its own findings say it all */
    judge_roles(&j);
    j.master = -1;
    for (size_t i = 0; i < n; i++)
        if (rows[i].role == PLANT_MASTER && j.master < 0)
            j.master = (int)i;
    if (j.master < 0) {
        health_sort_worst_first(out, j.count);
        return j.count;
    }
    int counted = counted_slaves(&j);
    for (size_t i = 0; i < n; i++)
        if (rows[i].role == PLANT_SLAVE)
            judge_master_address(&j, i);
    judge_slave_count(&j, counted);
    for (size_t i = 0; i < n; i++)
        judge_offline(&j, i, counted);
    size_t judged = j.count;
    if (judged == 0 && counted >= 0) {
        char title[128];
        snprintf(title, sizeof title, "%zu units: one master (%s), its slaves point to it", n,
                 units[j.master].label);
        struct health_finding *f = add(&j, HEALTH_OK, title, "roles", NULL);
        if (f)
            health_finding_set_detail(f, "net.n_slaves %d, every slave's wifi.sockb_ip names the "
                                      "master (where it is configured by address)", counted);
    }
    health_sort_worst_first(out, j.count);
    return j.count;
}
