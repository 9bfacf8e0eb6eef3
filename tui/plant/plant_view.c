/* A plant's rows and totals: see plant_view.h. The findings are plant_rules.c. */
#include "tui/plant/plant_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/core/towers.h"
#include "tui/alerts/alerts.h"
#include "tui/device/device.h"
#include "tui/format/valfmt.h"

void plant_unit_of_device(const struct device *dev, bool expected_offline, struct plant_unit *out)
{
    memset(out, 0, sizeof *out);
    out->label = dev->opt.label;
    out->host = dev->opt.demo ? "demo" : dev->opt.host;
    out->port = dev->opt.port;
    out->store = dev->store;
    out->knows = &dev->knows;
    out->link = dev->knows.last_link_state;
    out->expected_offline = expected_offline;
}

size_t plant_oids(uint32_t *out, size_t max)
{
    static const char *const names[] = {
        "wifi.sockb_protocol", "wifi.sockb_ip", "wifi.sockb_port", "net.n_slaves",
        "android_description", "inverter_sn", "dc_conv.dc_conv_struct[0].p_dc_lp",
        "dc_conv.dc_conv_struct[1].p_dc_lp", "g_sync.p_ac_sum_lp", "battery.soc", "g_sync.p_acc_lp",
        "g_sync.p_ac_grid_sum_lp", "g_sync.p_ac_load_sum_lp", "io_board.s0_external_power",
        "fault[0].flt", "fault[1].flt", "fault[2].flt", "fault[3].flt", "net.slave_data"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && n < max; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(names[i]);
        if (info)
            out[n++] = info->oid;
    }
    return n;
}

/* The scaled figure of a named OID: known, current only while the unit's data is. */
static struct plant_figure figure(const struct store *store, const char *name, bool data_current)
{
    struct plant_figure f = {0};
    const struct rct_oid_info *info = rct_registry_by_name(name);
    const struct store_entry *e = info ? store_get(store, info->oid) : NULL;
    if (!e)
        return f;
    f.unsupported = e->state == STORE_UNSUPPORTED;
    double v;
    if (knows_number(store, name, &v) && isfinite(v)) {
        f.known = true;
        f.value = v;
        f.current = data_current && e->state == STORE_FRESH;
    }
    return f;
}

/* Two figures as their sum: current only when both are; unsupported only when both are
 * (a unit without strings), a missing half leaves the sum unknown. */
static struct plant_figure sum_of(struct plant_figure a, struct plant_figure b)
{
    struct plant_figure f = {0};
    f.unsupported = a.unsupported && b.unsupported;
    if (a.unsupported && b.known)
        a = (struct plant_figure){.known = true, .current = b.current};
    if (b.unsupported && a.known)
        b = (struct plant_figure){.known = true, .current = a.current};
    f.known = a.known && b.known;
    f.current = f.known && a.current && b.current;
    f.value = f.known ? a.value + b.value : 0;
    return f;
}

static void role_words(const struct store *store, struct plant_row *r)
{
    r->role = plant_role(store, &r->role_raw);
    plant_role_text(store, r->role_text, sizeof r->role_text);
    double slaves;
    if (r->role == PLANT_MASTER && knows_number(store, "net.n_slaves", &slaves) && isfinite(slaves)) {
        size_t len = strlen(r->role_text);
        snprintf(r->role_text + len, sizeof r->role_text - len, ", %.0f slave%s", slaves,
                 slaves == 1 ? "" : "s");
    }
}

void plant_row_of(const struct plant_unit *u, struct plant_row *r)
{
    memset(r, 0, sizeof *r);
    const struct store *s = u->store;
    r->data_current = u->knows && knows_data_current(u->knows, u->link);
    role_words(s, r);
    if (u->knows) {
        snprintf(r->model, sizeof r->model, "%s", u->knows->model);
        snprintf(r->serial, sizeof r->serial, "%s", u->knows->serial);
    }
    bool cur = r->data_current;
    r->pv = sum_of(figure(s, "dc_conv.dc_conv_struct[0].p_dc_lp", cur),
                   figure(s, "dc_conv.dc_conv_struct[1].p_dc_lp", cur));
    r->ac = figure(s, "g_sync.p_ac_sum_lp", cur);
    r->has_battery = !towers_none(s);
    if (r->has_battery) {
        r->soc = figure(s, "battery.soc", cur);
        r->battery = figure(s, "g_sync.p_acc_lp", cur);
    } else {
        r->soc.unsupported = r->battery.unsupported = true;
    }
    r->grid = figure(s, "g_sync.p_ac_grid_sum_lp", cur);
    r->house = figure(s, "g_sync.p_ac_load_sum_lp", cur);
    r->external = figure(s, "io_board.s0_external_power", cur);
    r->active_faults = -1;
    r->worst = HEALTH_PENDING;
    if (u->knows) {
        int64_t read_at;
        r->active_faults = knows_active_faults(u->knows);
        r->faults_current = knows_faults_current(u->knows, s, u->link, &read_at);
        if (u->knows->nfindings)
            r->worst = health_worst(u->knows->findings, u->knows->nfindings);
        knows_health_counts(u->knows, &r->critical, &r->warning);
    }
}

/* The unit whose meter is the plant's: the one master, else the only unit. */
static int find_master(const struct plant_row *rows, size_t n)
{
    int master = -1;
    for (size_t i = 0; i < n; i++)
        if (rows[i].role == PLANT_MASTER) {
            if (master >= 0)
                return -1;  /* two say they are: neither is believed (a plant finding) */
            master = (int)i;
        }
    return master >= 0 ? master : n == 1 ? 0 : -1;
}

/* Adds one unit's figure to a sum over units. */
static void add_to(struct plant_total *t, const struct plant_figure *f)
{
    if (f->unsupported)
        return;
    if (f->current) {
        t->known = true;
        t->value += f->value;
        t->counted++;
    } else {
        t->not_current++;
    }
}

/* A total from one unit's meter: its last value (stale, said so) while it is not current. */
static void from_meter(struct plant_total *t, const struct plant_figure *f)
{
    if (f->unsupported)
        return;
    t->known = f->known;
    t->value = f->value;
    if (f->current)
        t->counted = 1;
    else
        t->not_current++;
}

void plant_totals_of(const struct plant_row *rows, size_t n, struct plant_totals *out)
{
    memset(out, 0, sizeof *out);
    out->master = find_master(rows, n);
    out->pv.lower_bound = true;
    snprintf(out->pv.source, sizeof out->pv.source, "strings A + B of %s",
             n == 1 ? "the unit" : "every unit");
    snprintf(out->battery.source, sizeof out->battery.source, "%s",
             n == 1 ? "the unit's battery" : "each unit's battery");
    for (size_t i = 0; i < n; i++) {
        add_to(&out->pv, &rows[i].pv);
        if (rows[i].has_battery)
            add_to(&out->battery, &rows[i].battery);
    }
    if (out->master < 0) {
        const char *why = n > 1 ? "no master in the plant (each unit's own meter on its row)"
                                : "no unit";
        snprintf(out->house.source, sizeof out->house.source, "%s", why);
        snprintf(out->grid.source, sizeof out->grid.source, "%s", why);
        snprintf(out->external.source, sizeof out->external.source, "%s", why);
        return;
    }
    const struct plant_row *m = &rows[out->master];
    const char *whose = n == 1 ? "the unit's meter" : "the master's meter";
    snprintf(out->house.source, sizeof out->house.source, "%s", whose);
    snprintf(out->grid.source, sizeof out->grid.source, "%s", whose);
    snprintf(out->external.source, sizeof out->external.source,
             "the S0 input: the slaves' AC sum as the master sees it; not PV");
    from_meter(&out->house, &m->house);
    from_meter(&out->grid, &m->grid);
    from_meter(&out->external, &m->external);
}

const char *plant_total_text(const struct plant_total *t, char *buf, size_t cap)
{
    char num[24];
    if (!t->known) {
        snprintf(buf, cap, t->not_current ? "unknown (%d unit%s not current)" : "n/a",
                 t->not_current, t->not_current == 1 ? "" : "s");
        return buf;
    }
    valfmt_power(t->value, false, num, sizeof num);
    if (!t->not_current)
        snprintf(buf, cap, "%s", num);
    else if (!t->counted)
        snprintf(buf, cap, "%s, stale (not current)", num);
    else
        snprintf(buf, cap, "%s%s, %d unit%s not current", t->lower_bound ? "at least " : "", num,
                 t->not_current, t->not_current == 1 ? "" : "s");
    return buf;
}

void plant_state_update(struct plant_state *p, struct device *const *devs, size_t n,
                        const struct alert_settings *alerts, int local_minute)
{
    if (n > PLANT_UNITS_MAX)
        n = PLANT_UNITS_MAX;
    p->n = n;
    for (size_t i = 0; i < n; i++) {
        bool asleep = alerts && alert_offline_expected(&alerts[i], local_minute);
        plant_unit_of_device(devs[i], asleep, &p->units[i]);
        plant_row_of(&p->units[i], &p->rows[i]);
    }
    plant_totals_of(p->rows, n, &p->totals);
    health_findings_release(p->findings, p->nfindings);
    p->nfindings = plant_findings(p->units, p->rows, n, p->findings, PLANT_FINDINGS_MAX);
    p->critical = p->warning = 0;
    for (size_t i = 0; i < p->nfindings; i++) {
        p->critical += p->findings[i].severity == HEALTH_CRITICAL;
        p->warning += p->findings[i].severity == HEALTH_WARNING;
    }
}

void plant_state_release(struct plant_state *p)
{
    health_findings_release(p->findings, p->nfindings);
    p->nfindings = 0;
}

size_t plant_slave_reports(const struct store *master, struct plant_slave_data *out, size_t max)
{
    const struct rct_oid_info *info = rct_registry_by_name("net.slave_data");
    const struct store_entry *e = info && master ? store_get(master, info->oid) : NULL;
    if (!e || !e->has_value || !e->payload)
        return 0;
    size_t n = 0;
    for (size_t at = 0; at + PLANT_SLAVE_DATA_SIZE <= e->payload_len && n < max;
         at += PLANT_SLAVE_DATA_SIZE)
        if (plant_slave_data_decode(e->payload + at, PLANT_SLAVE_DATA_SIZE, &out[n]))
            n++;
    return n;
}

const char *plant_slave_report_text(const struct plant_slave_data *d, char *buf, size_t cap)
{
    char name[32], serial[24], ac[24], bat[24], ext[24];
    valfmt_power(d->ac_power_w, false, ac, sizeof ac);
    valfmt_power(d->battery_power_w, false, bat, sizeof bat);
    valfmt_power(d->external_power_w, false, ext, sizeof ext);
    snprintf(buf, cap, "%s (sn %s): AC %s, battery %s, SOC %.0f %%, external %s; state %u, "
             "equipment 0x%02x, fault index %u (raw)",
             d->name[0] ? rct_sanitize(d->name, strlen(d->name), name, sizeof name) : "unnamed",
             rct_sanitize(d->serial, strlen(d->serial), serial, sizeof serial), ac, bat, 100.0 * d->soc, ext,
             (unsigned)d->state, (unsigned)d->equipment, (unsigned)d->fault_index);
    return buf;
}
