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

enum health_severity health_fault_severity(unsigned bit)
{
    const char *cat = rct_fault_category(bit);
    return fault_severity(cat ? cat : "hardware");
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

/* The tightest of the device's trip limits for one quantity: the highest lower limit and
 * the lowest upper limit over every grid_mon[N] level it answered (a fast level trips in
 * 0.1 s at a wide limit, a slow one after seconds at a narrow one: the narrow one decides). */
struct trip_limits {
    double under, over;
    char under_name[48], over_name[48];
    bool read;
};

static struct trip_limits tightest(const struct rule_ctx *c, const char *under_what, const char *over_what)
{
    struct trip_limits l = {-INFINITY, INFINITY, "", "", false};
    for (int level = 0; level < 4; level++) {
        char uname[48], oname[48];
        double u, o;
        snprintf(uname, sizeof uname, "grid_mon[%d].%s.threshold", level, under_what);
        snprintf(oname, sizeof oname, "grid_mon[%d].%s.threshold", level, over_what);
        if (rule_num(c, uname, &u) && u > 0 && u > l.under) {
            l.under = u;
            snprintf(l.under_name, sizeof l.under_name, "%s", uname);
        }
        if (rule_num(c, oname, &o) && o > 0 && o < l.over) {
            l.over = o;
            snprintf(l.over_name, sizeof l.over_name, "%s", oname);
        }
    }
    l.read = isfinite(l.under) && isfinite(l.over) && l.over > l.under;
    return l;
}

bool health_trip_limits(const struct store *store, bool voltage, double *under, double *over)
{
    struct health_input in = {.store = store};
    struct rule_ctx c = {.in = &in};   /* the limits are the device's: no threshold of ours */
    struct trip_limits l = voltage ? tightest(&c, "u_under", "u_over") : tightest(&c, "f_under", "f_over");
    *under = l.under;
    *over = l.over;
    return l.read;
}

/* A reading against the tightest limits: critical beyond one, a warning within margin of one. */
static void judge_band(struct rule_ctx *c, const char *id, const char *name, const char *what, double v,
                       const struct trip_limits *l, double margin, const char *unit, int decimals)
{
    bool low = v - l->under < l->over - v;
    double limit = low ? l->under : l->over, inside = low ? v - l->under : l->over - v;
    const char *limit_name = low ? l->under_name : l->over_name;
    enum health_severity s = inside < 0 ? HEALTH_CRITICAL : inside < margin ? HEALTH_WARNING : HEALTH_OK;
    char title[128];
    if (inside < 0)
        snprintf(title, sizeof title, "%s %.*f %s, %s the device's limit %.*f %s", what, decimals, v, unit,
                 low ? "below" : "above", decimals, limit, unit);
    else
        snprintf(title, sizeof title, "%s %.*f %s, %.*f %s inside the limit %.*f %s", what, decimals, v,
                 unit, decimals, inside, unit, decimals, limit, unit);
    struct health_finding *f = rule_add(c, id, s, title,
        "%s = %.*f %s; the tightest limits the device trips at are %.*f %s (%s) and %.*f %s (%s); "
        "warning within %.*f %s of one", name, decimals, v, unit, decimals, l->under, unit,
        l->under_name, decimals, l->over, unit, l->over_name, decimals, margin, unit);
    rule_evidence(f, name, "%.*f %s", decimals, v, unit);
    rule_evidence(f, limit_name, "%.*f %s", decimals, limit, unit);
}

void rule_grid_voltage(struct rule_ctx *c)
{
    double v;
    struct trip_limits volts = tightest(c, "u_under", "u_over");
    if (!volts.read) {
        rule_not_available(c, "grid.voltage", "grid_mon[N].u_under/u_over.threshold", "grid_mon[0].u_under.threshold,grid_mon[0].u_over.threshold");
        return;
    }
    /* The margin is a share of the nominal voltage: 230 V (120 V on a low-voltage grid). */
    double nominal = volts.over > 180 ? 230 : 120;
    double margin = nominal * c->t->grid_voltage_margin_percent / 100.0;
    for (int p = 0; p < 3; p++) {
        char name[40], id[32], what[32];
        snprintf(name, sizeof name, "g_sync.u_l_rms[%d]", p);
        snprintf(id, sizeof id, "grid.voltage.L%d", p + 1);
        snprintf(what, sizeof what, "L%d", p + 1);
        if (rule_num(c, name, &v))
            judge_band(c, id, name, what, v, &volts, margin, "V", 1);
        else
            rule_not_available(c, id, name, name);
    }
}

void rule_grid_frequency(struct rule_ctx *c)
{
    double v;
    struct trip_limits hz = tightest(c, "f_under", "f_over");
    if (!hz.read || !rule_num(c, "grid_pll[0].f", &v)) {
        rule_not_available(c, "grid.frequency", "grid_pll[0].f and grid_mon[N].f_under/f_over", "grid_pll[0].f,grid_mon[0].f_under.threshold,grid_mon[0].f_over.threshold");
        return;
    }
    judge_band(c, "grid.frequency", "grid_pll[0].f", "frequency", v, &hz, c->t->grid_frequency_margin_hz, "Hz", 2);
}

/* Which strings are in use: [check] strings, else the device's own "solar generator N
 * connected" setting, else both (then a string that never produced in the device's
 * lifetime is taken as not connected). Says where it came from. */
static unsigned strings_in_use(const struct rule_ctx *c, const char **basis)
{
    if (c->t->pv_strings[0]) {
        *basis = "[check] strings";
        return (strchr(c->t->pv_strings, 'A') ? 1u : 0u) | (strchr(c->t->pv_strings, 'B') ? 2u : 0u);
    }
    double a, b;
    if (rule_num(c, "dc_conv.dc_conv_struct[0].enabled", &a) && rule_num(c, "dc_conv.dc_conv_struct[1].enabled", &b)) {
        *basis = "the device's setting dc_conv_struct[N].enabled";
        return (a != 0 ? 1u : 0u) | (b != 0 ? 2u : 0u);
    }
    *basis = "both (the device's setting not read)";
    unsigned used = 3;
    for (int k = 0; k < 2; k++) {
        char name[40];
        double lifetime;
        snprintf(name, sizeof name, "energy.e_dc_total[%d]", k);
        if (rule_num(c, name, &lifetime) && fabs(lifetime) < 1) {
            used &= ~(1u << k);
            *basis = "a lifetime energy of 0 Wh";
        }
    }
    return used;
}

/* PV strings by voltage first: a connected string shows near its open-circuit voltage in
 * the faintest light, so a string near 0 V while the other is well above it is not
 * connected or broken, in winter as in summer, and dawn, dusk or snow on one roof face
 * (voltage, little power) are no finding. */
void rule_pv(struct rule_ctx *c)
{
    double p[2], u[2];
    if (!rule_num(c, "dc_conv.dc_conv_struct[0].p_dc_lp", &p[0]) ||
        !rule_num(c, "dc_conv.dc_conv_struct[1].p_dc_lp", &p[1]) ||
        !rule_num(c, "dc_conv.dc_conv_struct[0].u_sg_lp", &u[0]) ||
        !rule_num(c, "dc_conv.dc_conv_struct[1].u_sg_lp", &u[1])) {
        rule_not_available(c, "pv.strings", "dc_conv.dc_conv_struct[0..1].p_dc_lp and u_sg_lp",
                           "dc_conv.dc_conv_struct[0].p_dc_lp,dc_conv.dc_conv_struct[1].p_dc_lp,"
                           "dc_conv.dc_conv_struct[0].u_sg_lp,dc_conv.dc_conv_struct[1].u_sg_lp");
        return;
    }
    const char *basis;
    unsigned used = strings_in_use(c, &basis);
    const struct health_thresholds *t = c->t;
    const char *names = "AB";
    enum health_severity s = HEALTH_OK;
    char title[128] = "";
    if (used == 3) {
        for (int k = 0; k < 2 && s == HEALTH_OK; k++) {
            int o = 1 - k;
            if (u[k] <= t->pv_dead_v && u[o] >= t->pv_light_v) {
                s = HEALTH_WARNING;
                snprintf(title, sizeof title, "PV string %c at %.0f V while %c sees light at %.0f V: not "
                         "connected or broken", names[k], u[k], names[o], u[o]);
            } else if (u[k] >= t->pv_light_v && p[k] < 5 && p[o] >= t->pv_string_min_w) {
                s = HEALTH_WARNING;
                snprintf(title, sizeof title, "PV string %c at %.0f V gives no power while %c makes %.0f W: "
                         "tracker or connector", names[k], u[k], names[o], p[o]);
            }
        }
        if (s == HEALTH_OK && u[0] >= t->pv_light_v && u[1] >= t->pv_light_v && p[0] + p[1] < 5 &&
            fmax(u[0], u[1]) >= 2 * t->pv_light_v) {
            s = HEALTH_WARNING;
            snprintf(title, sizeof title, "no PV power although both strings see light (%.0f V, %.0f V)", u[0], u[1]);
        }
    }
    if (s == HEALTH_OK) {
        char part[2][48];
        for (int k = 0; k < 2; k++)
            if (used & (1u << k))
                snprintf(part[k], sizeof part[k], "%c %.0f V %.0f W", names[k], u[k], p[k]);
            else
                snprintf(part[k], sizeof part[k], "%c not in use", names[k]);
        if (!used)
            snprintf(title, sizeof title, "no PV string in use");
        else
            snprintf(title, sizeof title, "PV strings %s, %s", part[0], part[1]);
    }
    struct health_finding *f = rule_add(c, "pv.strings", s, title,
        "strings in use: %s%s (%s); a warning when one is at or below %.0f V while the other is "
        "at %.0f V or more (a connected string shows its open-circuit voltage in the faintest "
        "light: not connected or broken), when one has voltage and under 5 W while the other "
        "makes %.0f W or more, or when both see light and give nothing; a string not in use is "
        "never a finding", used & 1 ? "A" : "", used & 2 ? "B" : used ? "" : "none", basis,
        t->pv_dead_v, t->pv_light_v, t->pv_string_min_w);
    for (int k = 0; k < 2; k++) {
        char pn[48], un[48];
        snprintf(pn, sizeof pn, "dc_conv.dc_conv_struct[%d].p_dc_lp", k);
        snprintf(un, sizeof un, "dc_conv.dc_conv_struct[%d].u_sg_lp", k);
        rule_evidence(f, un, "%.1f V", u[k]);
        rule_evidence(f, pn, "%.0f W", p[k]);
    }
    rule_evidence(f, "strings in use", "%s%s", used & 1 ? "A" : "", used & 2 ? "B" : used ? "" : "none");
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

/* Totals may fall a little at night (the inverter's own standby draw is booked against
 * them); a reset or a swapped board takes them back by far more. */
#define COUNTER_NIGHT_DECREASE_WH 1000.0

void rule_counters(struct rule_ctx *c)
{
    if (!c->in->totals_before) {
        rule_pending(c, "energy.counters", "two reads of the energy totals");
        return;
    }
    const char *const *total_names = health_total_names();
    const char *since = c->in->totals_basis ? c->in->totals_basis : "the first read";
    bool any = false, read = false, compared = false;
    for (int i = 0; total_names[i]; i++) {
        double now;
        double before = c->in->totals_before[i];
        if (!rule_num(c, total_names[i], &now))
            continue;
        read = true;
        if (!isfinite(before))
            continue;
        compared = true;
        /* Feed-in totals are negative and grow downwards: compare magnitudes. */
        double back = fabs(before) - fabs(now);
        if (back <= COUNTER_NIGHT_DECREASE_WH)
            continue;
        any = true;
        char id[64], title[128];
        snprintf(id, sizeof id, "energy.counters.%s", total_names[i] + 7);
        snprintf(title, sizeof title, "%s went back by %.1f kWh", total_names[i], back / 1000);
        struct health_finding *f = rule_add(c, id, HEALTH_WARNING, title,
            "%s was %.0f Wh at %s and is now %.0f Wh (a reset, a firmware update, a replaced "
            "board or a fault; up to %.0f Wh back is the standby draw of a night)",
            total_names[i], before, since, now, COUNTER_NIGHT_DECREASE_WH);
        rule_evidence(f, total_names[i], "%.0f -> %.0f Wh", before, now);
    }
    if (!read)
        rule_not_available(c, "energy.counters", "the energy totals", "energy.e_ac_total");
    else if (!compared) {
        char title[128];
        snprintf(title, sizeof title, "energy totals: nothing to compare with yet");
        rule_add(c, "energy.counters", HEALTH_INFO, title, "%s",
                 c->in->totals_note ? c->in->totals_note : "the totals were read once");
    } else if (!any)
        rule_add(c, "energy.counters", HEALTH_OK, "energy totals only grow",
            "every energy total grew or stayed since %s (up to %.0f Wh back is the standby draw "
            "of a night)", since, COUNTER_NIGHT_DECREASE_WH);
}

/* Requests settled (answered, timed out, cut short) before the answer ratio and the round
 * trip are judged: with 10, two answers lost to a busy moment were 83 % and a warning;
 * with 30 it takes four to go below 90 %. */
#define LINK_JUDGED_AFTER 30

void rule_link(struct rule_ctx *c)
{
    const struct session_counters *k = c->in->link;
    if (!k || k->requests == 0) {
        rule_pending(c, "link", "an answer to a request (no link counters yet)");
        return;
    }
    if (k->answers == 0 && k->timeouts < 2) {
        /* A request sent and not answered yet is no silence: the first answer can be late
         * on a busy link or machine. Silence is attempts that timed out. */
        rule_pending(c, "link", "the first answer (a request is on its way)");
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
    /* The ratio is over requests that are settled: the one on its way is not yet unanswered
     * (counted as such, one early timeout read as 82 % answered, a warning that flickered
     * and went). Requests for OIDs this device does not know say nothing about the link. */
    uint64_t settled = k->answers + k->timeouts + k->truncated;
    uint64_t unknown = k->unsupported_requests + k->suspect_requests;
    uint64_t asked = settled > unknown ? settled - unknown : 0;
    if (asked < LINK_JUDGED_AFTER) {
        /* One slow first answer, or one OID not yet known to be unknown to this device, is
         * no verdict on the link: a warning would flicker and go. */
        char what[96];
        snprintf(what, sizeof what, "%d settled requests to judge the link by (%llu so far)",
                 LINK_JUDGED_AFTER, (unsigned long long)asked);
        rule_pending(c, "link", what);
        return;
    }
    double ratio = asked ? (double)k->answers / (double)asked : 1.0;
    if (ratio > 1.0)
        ratio = 1.0;
    double per_min = c->in->link_minutes > 0 ? (double)k->foreign / c->in->link_minutes : 0;
    enum health_severity s = ratio < c->t->answer_ratio_warning ? HEALTH_WARNING : HEALTH_OK;
    if (c->in->srtt_ms > c->t->rtt_warning_ms)
        s = HEALTH_WARNING;
    char title[128], rtt[32];
    if (c->in->srtt_ms >= 0)
        snprintf(rtt, sizeof rtt, "%.0f ms", c->in->srtt_ms);
    else
        snprintf(rtt, sizeof rtt, "not measured");
    snprintf(title, sizeof title, "%.0f %% of requests answered, round trip %s", 100 * ratio, rtt);
    struct health_finding *f = rule_add(c, "link", s, title,
        "%llu requests, %llu answers, %llu timeouts, %llu CRC errors; %llu requests for %llu OIDs "
        "this device does not know not counted; smoothed round trip %s (warning below %.0f %% "
        "answered or above %.0f ms)", (unsigned long long)k->requests,
        (unsigned long long)k->answers, (unsigned long long)k->timeouts,
        (unsigned long long)k->crc_errors, (unsigned long long)k->unsupported_requests,
        (unsigned long long)k->unsupported, rtt, 100 * c->t->answer_ratio_warning,
        c->t->rtt_warning_ms);
    rule_evidence(f, "answer ratio", "%.2f", ratio);
    rule_evidence(f, "round trip", "%s", rtt);
    /* The monitor judges the last minutes the device was there, not the outages. */
    rule_evidence(f, "judged over", "%.1f min of requests", c->in->link_minutes);
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
