/* The rules about the rest of the site: fault bits by category, insulation, the grid
 * against the trip limits, PV strings, the clock, recurring events, energy counters
 * going back, and the link itself. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/diagnosis/rules.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

static enum health_severity fault_severity(const char *category)
{
    if (!strcmp(category, "information"))
        return HEALTH_INFO;
    if (!strcmp(category, "grid") || !strcmp(category, "communication") || !strcmp(category, "routine"))
        return HEALTH_WARNING;
    return HEALTH_CRITICAL;  /* hardware, battery, PV / insulation, safety */
}

/* What a fault that can be routine means, said with it. */
static const char *fault_note(unsigned bit)
{
    switch (bit) {
    case 105: return "; can be the grid operator's ripple control or an emergency stop switch, "
                     "not a failure of the inverter";
    case 106: return "; routine at the minimum SOC in winter";
    case 127: return "; a safety issue: have the wiring checked";
    default: return "";
    }
}

void rule_faults(struct rule_ctx *c)
{
    uint32_t words[4];
    for (unsigned w = 0; w < 4; w++) {
        double v;
        if (!store_number(c->in->store, rct_fault_word_oid(w), &v)) {
            rule_not_available(c, "faults", "fault[0..3].flt", "fault[0].flt,fault[1].flt,fault[2].flt,fault[3].flt");
            return;
        }
        words[w] = (uint32_t)v;
    }
    int active = 0;
    for (unsigned bit = 0; bit < 128; bit++) {
        if (!(words[bit / 32] & (1u << (bit % 32))))
            continue;
        active++;
        const char *label = rct_fault_label(bit), *cat = rct_fault_category(bit);
        char id[32], title[128], word[32];
        snprintf(id, sizeof id, "faults.bit%u", bit);
        snprintf(title, sizeof title, "fault %u: %s", bit, label ? label : "(no label known)");
        struct health_finding *f = rule_add(c, id, fault_severity(cat), title,
                                       "fault[%u].flt bit %u is set (%s%s)", bit / 32, bit % 32, cat,
                                       fault_note(bit));
        snprintf(word, sizeof word, "fault[%u].flt", bit / 32);
        rule_evidence(f, word, "0x%08X", words[bit / 32]);
    }
    if (!active) {
        struct health_finding *f = rule_add(c, "faults", HEALTH_OK, "no active faults",
                                       "fault[0..3].flt are all zero");
        rule_evidence(f, "fault[0].flt", "0x%08X", words[0]);
    }
}

void rule_insulation(struct rule_ctx *c)
{
    double riso, rmin, rp = NAN, rn = NAN;
    if (!rule_num(c, "iso_struct.Riso", &riso) || !rule_num(c, "iso_struct.r_min", &rmin) || rmin <= 0) {
        rule_not_available(c, "insulation", "iso_struct.Riso and a usable iso_struct.r_min", "iso_struct.Riso,iso_struct.r_min");
        return;
    }
    rule_num(c, "iso_struct.Rp", &rp);
    rule_num(c, "iso_struct.Rn", &rn);
    if (riso <= 0) {
        /* The device measures insulation when it starts up (before connecting to the grid):
         * 0 is no measurement yet, never a short to earth. */
        struct health_finding *f = rule_add(c, "insulation", HEALTH_INFO, "insulation not measured yet",
            "iso_struct.Riso reads %.0f Ohm: the device measures it at start-up, before it "
            "connects to the grid, so no verdict", riso);
        rule_evidence(f, "iso_struct.Riso", "%.0f Ohm (not measured)", riso);
        return;
    }
    enum health_severity s = riso < rmin ? HEALTH_CRITICAL
                             : riso < rmin * c->t->riso_margin ? HEALTH_WARNING : HEALTH_OK;
    char title[128];
    char have[32], least[32];
    valfmt_quantity(riso, "Ohm", have, sizeof have);
    valfmt_quantity(rmin, "Ohm", least, sizeof least);
    snprintf(title, sizeof title, "insulation %s (the device's minimum %s)", have, least);
    struct health_finding *f = rule_add(c, "insulation", s, title,
        "iso_struct.Riso %s against iso_struct.r_min %s (warning below %.1f x r_min; measured "
        "by the device at start-up, before it connects to the grid)", have, least, c->t->riso_margin);
    rule_evidence(f, "iso_struct.Riso", "%.0f Ohm", riso);
    rule_evidence(f, "iso_struct.r_min", "%.0f Ohm", rmin);
    if (isfinite(rp))
        rule_evidence(f, "iso_struct.Rp", "%.0f Ohm", rp);
    if (isfinite(rn))
        rule_evidence(f, "iso_struct.Rn", "%.0f Ohm", rn);
}

/* How a reading sits in the band between two trip limits. */
static void band(struct rule_ctx *c, const char *id, const char *name, const char *what, double v,
                 double under, double over, const char *unit)
{
    double width = over - under, margin = fmin(v - under, over - v);
    double pct = width > 0 ? 100.0 * margin / width : 0;
    enum health_severity s = margin < 0 ? HEALTH_CRITICAL
                             : pct < c->t->grid_margin_percent ? HEALTH_WARNING : HEALTH_OK;
    char title[128];
    if (margin < 0)
        snprintf(title, sizeof title, "%s %.2f %s outside the trip limits", what, v, unit);
    else
        snprintf(title, sizeof title, "%s %.2f %s, %.0f %% of the band from a trip limit", what, v,
                 unit, pct);
    struct health_finding *f = rule_add(c, id, s, title,
        "%s = %.2f %s; the device trips below %.2f and above %.2f %s (warning within %.0f %% of "
        "the band)", name, v, unit, under, over, unit, c->t->grid_margin_percent);
    rule_evidence(f, name, "%.2f %s", v, unit);
    rule_evidence(f, "trip limits", "%.2f..%.2f %s", under, over, unit);
}

void rule_grid(struct rule_ctx *c)
{
    double under, over, v;
    bool voltage_limits = rule_num(c, "grid_mon[0].u_under.threshold", &under) &&
                          rule_num(c, "grid_mon[0].u_over.threshold", &over);
    if (rule_wanted(c, "grid.voltage") && !voltage_limits) {
        rule_not_available(c, "grid.voltage", "grid_mon[0].u_under/u_over.threshold", "grid_mon[0].u_under.threshold,grid_mon[0].u_over.threshold");
    } else if (rule_wanted(c, "grid.voltage")) {
        for (int p = 0; p < 3; p++) {
            char name[40], id[32], what[32];
            snprintf(name, sizeof name, "g_sync.u_l_rms[%d]", p);
            snprintf(id, sizeof id, "grid.voltage.L%d", p + 1);
            snprintf(what, sizeof what, "L%d", p + 1);
            if (rule_num(c, name, &v))
                band(c, id, name, what, v, under, over, "V");
            else
                rule_not_available(c, id, name, name);
        }
    }
    if (!rule_wanted(c, "grid.frequency"))
        return;
    if (!rule_num(c, "grid_mon[0].f_under.threshold", &under) ||
        !rule_num(c, "grid_mon[0].f_over.threshold", &over) || !rule_num(c, "grid_pll[0].f", &v)) {
        rule_not_available(c, "grid.frequency", "grid_pll[0].f and grid_mon[0].f_under/f_over", "grid_pll[0].f,grid_mon[0].f_under.threshold,grid_mon[0].f_over.threshold");
        return;
    }
    band(c, "grid.frequency", "grid_pll[0].f", "frequency", v, under, over, "Hz");
}

void rule_pv(struct rule_ctx *c)
{
    double a, b;
    if (!rule_num(c, "dc_conv.dc_conv_struct[0].p_dc_lp", &a) ||
        !rule_num(c, "dc_conv.dc_conv_struct[1].p_dc_lp", &b)) {
        rule_not_available(c, "pv.strings", "dc_conv.dc_conv_struct[0..1].p_dc_lp", "dc_conv.dc_conv_struct[0].p_dc_lp,dc_conv.dc_conv_struct[1].p_dc_lp");
        return;
    }
    double hi = fmax(a, b), lo = fmin(a, b);
    bool dead = hi > c->t->pv_string_min_w && lo < 10;
    /* A string that never produced in the device's lifetime is not connected (a
     * single-string plant), not broken: said once as information, never a warning. */
    char low_total[40];
    snprintf(low_total, sizeof low_total, "energy.e_dc_total[%d]", a < b ? 0 : 1);
    double lifetime;
    bool never = rule_num(c, low_total, &lifetime) && fabs(lifetime) < 1;
    char title[128];
    if (never)
        snprintf(title, sizeof title, "PV string %s not connected (never produced)", a < b ? "A" : "B");
    else if (dead)
        snprintf(title, sizeof title, "PV string %s produces nothing while %s makes %.0f W",
                 a < b ? "A" : "B", a < b ? "B" : "A", hi);
    else
        snprintf(title, sizeof title, "PV strings A %.0f W, B %.0f W", a, b);
    struct health_finding *f = rule_add(c, "pv.strings", never ? HEALTH_INFO : dead ? HEALTH_WARNING : HEALTH_OK, title,
        "string A %.0f W, string B %.0f W (warning when one is below 10 W while the other is "
        "above %.0f W: daylight, so a string, a connector or an MPP tracker is out; a string "
        "whose lifetime energy is 0 is taken as not connected)", a, b, c->t->pv_string_min_w);
    if (never)
        rule_evidence(f, low_total, "%.0f Wh", lifetime);
    rule_evidence(f, "dc_conv.dc_conv_struct[0].p_dc_lp", "%.0f W", a);
    rule_evidence(f, "dc_conv.dc_conv_struct[1].p_dc_lp", "%.0f W", b);
    double ua, ub;
    if (rule_num(c, "dc_conv.dc_conv_struct[0].u_sg_lp", &ua))
        rule_evidence(f, "dc_conv.dc_conv_struct[0].u_sg_lp", "%.1f V", ua);
    if (rule_num(c, "dc_conv.dc_conv_struct[1].u_sg_lp", &ub))
        rule_evidence(f, "dc_conv.dc_conv_struct[1].u_sg_lp", "%.1f V", ub);
}

void rule_clock(struct rule_ctx *c)
{
    const struct devclock *dc = &c->clock;
    if (!dc->read) {
        rule_not_available(c, "clock", "flash_rtc.time_stamp", "flash_rtc.time_stamp");
        return;
    }
    const struct rct_oid_info *info = rct_registry_by_name("flash_rtc.time_stamp");
    const struct store_entry *e = store_get(c->in->store, info->oid);
    /* Only the drift is judged: the zone the device keeps is how it is meant to run. */
    int64_t drift = dc->drift_s;
    bool off = llabs(drift) > (long long)c->t->clock_warning_s;
    char title[128], span[32], when[40], zone[48];
    timearg_span_words(drift, span, sizeof span);
    devclock_zone_text(dc, zone, sizeof zone);
    if (llabs(drift) < 60)
        snprintf(title, sizeof title, "device clock within a minute%s", dc->zoned ? " (local time)" : "");
    else
        snprintf(title, sizeof title, "device clock %s %s", span, drift < 0 ? "behind" : "ahead");
    struct health_finding *f = rule_add(c, "clock", off ? HEALTH_WARNING : HEALTH_OK, title,
        "flash_rtc.time_stamp %s, read as %s (%s); drift %lld s (warning beyond %.0f s; the "
        "device's logs and 'today' follow its clock)", devclock_format(dc, (int64_t)e->number, when, sizeof when),
        zone, dc->basis, (long long)drift, c->t->clock_warning_s);
    rule_evidence(f, "flash_rtc.time_stamp", "%.0f", e->number);
    rule_evidence(f, "zone assumed", "%s", zone);
    rule_evidence(f, "clock offset", "%lld s", (long long)dc->offset_s);
    rule_evidence(f, "drift", "%lld s", (long long)drift);
}

void rule_events(struct rule_ctx *c)
{
    if (!c->in->events_read && c->in->events_not_asked) {
        rule_add(c, "events", HEALTH_INFO, "events: judged by `rcttop check`",
                 "the monitor reads the event log only when the Events pane asks; `rcttop check` "
                 "reads a week of it and judges recurring events");
        return;
    }
    if (!c->in->events_read) {
        rule_not_available(c, "events", "the event table (logger.error_log_time_stamp)", NULL);
        return;
    }
    /* Kinds that recur on a troubled site, by event type (= fault bit). */
    static const struct { const char *kind; unsigned types[10]; } kinds[] = {
        {"grid losses", {90, 89, 126, 0}},
        {"resets", {118, 0}},
        {"switch-on conditions not met", {79, 80, 81, 82, 83, 84, 87, 88, 0}},
    };
    /* Event times are on the device's scale. */
    int64_t since = devclock_now(&c->clock, c->in->now_unix) - WEEK_S;
    bool any = false;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int count = 0;
        int64_t last = 0;
        for (size_t i = 0; i < c->in->nevents; i++) {
            const struct rct_event_row *r = &c->in->events[i];
            if ((int64_t)r->ts < since)
                continue;
            for (int t = 0; kinds[k].types[t]; t++)
                if (r->type == kinds[k].types[t]) {
                    count++;
                    if ((int64_t)r->ts > last)
                        last = r->ts;
                }
        }
        if (count < c->t->event_recurrences)
            continue;
        any = true;
        char id[48], title[128], when[40];
        snprintf(id, sizeof id, "events.%s", k == 0 ? "grid_losses" : k == 1 ? "resets" : "switch_on");
        snprintf(title, sizeof title, "%d %s in 7 days", count, kinds[k].kind);
        struct health_finding *f = rule_add(c, id, HEALTH_WARNING, title,
            "%d %s in the event log of the last 7 days, the last at %s (warning from %d)", count,
            kinds[k].kind, devclock_format(&c->clock, last, when, sizeof when), c->t->event_recurrences);
        rule_evidence(f, kinds[k].kind, "%d", count);
        rule_evidence(f, "last", "%s", when);
    }
    if (!any) {
        struct health_finding *f = rule_add(c, "events", HEALTH_OK, "no recurring events in 7 days",
                                       "%zu events in the last 7 days, none recurring %d times",
                                       c->in->nevents, c->t->event_recurrences);
        rule_evidence(f, "events read", "%zu", c->in->nevents);
    }
}

void rule_counters(struct rule_ctx *c)
{
    if (!c->in->totals_before) {
        rule_pending(c, "energy.counters", "two reads of the energy totals");
        return;
    }
    const char *const *total_names = health_total_names();
    bool any = false, read = false;
    for (int i = 0; total_names[i]; i++) {
        double now;
        double before = c->in->totals_before[i];
        if (!isfinite(before) || !rule_num(c, total_names[i], &now))
            continue;
        read = true;
        /* Feed-in totals are negative and grow downwards: compare magnitudes. */
        if (fabs(now) + 0.5 >= fabs(before))
            continue;
        any = true;
        char id[64], title[128];
        snprintf(id, sizeof id, "energy.counters.%s", total_names[i] + 7);
        snprintf(title, sizeof title, "%s went backwards", total_names[i]);
        struct health_finding *f = rule_add(c, id, HEALTH_WARNING, title,
            "%s was %.0f Wh and is now %.0f Wh (a reset, a firmware update, or a fault)",
            total_names[i], before, now);
        rule_evidence(f, total_names[i], "%.0f -> %.0f Wh", before, now);
    }
    if (!read)
        rule_not_available(c, "energy.counters", "the energy totals", "energy.e_ac_total");
    else if (!any)
        rule_add(c, "energy.counters", HEALTH_OK, "energy totals only grow",
            "every energy total read twice grew or stayed");
}

void rule_link(struct rule_ctx *c)
{
    const struct session_counters *k = c->in->link;
    if (!k || k->requests == 0) {
        rule_pending(c, "link", "an answer to a request (no link counters yet)");
        return;
    }
    if (k->answers == 0) {
        struct health_finding *f = rule_add(c, "link.silent", HEALTH_CRITICAL,
            "connected but silent: no answer at all",
            "%llu requests and not one answer: the device's network stack may be hung "
            "(a cold restart of the inverter is known to help)", (unsigned long long)k->requests);
        rule_evidence(f, "requests", "%llu", (unsigned long long)k->requests);
        return;
    }
    /* Requests for OIDs this device does not know say nothing about the link. */
    uint64_t asked = k->requests > k->unsupported_requests ? k->requests - k->unsupported_requests : 0;
    double ratio = asked ? (double)k->answers / (double)asked : 1.0;
    if (ratio > 1.0)
        ratio = 1.0;
    double per_min = c->in->link_minutes > 0 ? (double)k->foreign / c->in->link_minutes : 0;
    enum health_severity s = ratio < c->t->answer_ratio_warning ? HEALTH_WARNING : HEALTH_OK;
    if (c->in->srtt_ms > c->t->rtt_warning_ms)
        s = HEALTH_WARNING;
    char title[128];
    snprintf(title, sizeof title, "%.0f %% of requests answered, round trip %.0f ms", 100 * ratio,
             c->in->srtt_ms);
    struct health_finding *f = rule_add(c, "link", s, title,
        "%llu requests, %llu answers, %llu timeouts, %llu CRC errors; %llu requests for %llu OIDs "
        "this device does not know not counted; smoothed round trip %.0f ms (warning below %.0f %% "
        "answered or above %.0f ms)", (unsigned long long)k->requests,
        (unsigned long long)k->answers, (unsigned long long)k->timeouts,
        (unsigned long long)k->crc_errors, (unsigned long long)k->unsupported_requests,
        (unsigned long long)k->unsupported, c->in->srtt_ms, 100 * c->t->answer_ratio_warning,
        c->t->rtt_warning_ms);
    rule_evidence(f, "answer ratio", "%.2f", ratio);
    rule_evidence(f, "round trip", "%.0f ms", c->in->srtt_ms);
    if (per_min > c->t->foreign_per_minute) {
        char t2[128];
        snprintf(t2, sizeof t2, "another client polls the device (%.0f answers a minute)", per_min);
        struct health_finding *g = rule_add(c, "link.other_client", HEALTH_INFO, t2,
            "%llu answers to requests rcttop did not send in %.1f min: the vendor portal, an app "
            "or a home automation system is polling too; the device serves one request at a time",
            (unsigned long long)k->foreign, c->in->link_minutes);
        rule_evidence(g, "foreign answers", "%llu", (unsigned long long)k->foreign);
        rule_evidence(g, "unsolicited frames", "%llu", (unsigned long long)k->unsolicited);
    }
}
