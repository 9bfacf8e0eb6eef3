/* `rcttop check`: reads what the diagnosis rules need at the polite rate (the values, a
 * week of the event log, the energy totals once more at the end) and prints verdicts,
 * worst first, the way Monitoring Plugins do (Nagios, Icinga, Checkmk): a first line
 * "RCT <STATUS> - summary | perfdata", exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/core/session.h"
#include "tui/commands/cli_options.h"
#include "tui/format/args.h"
#include "tui/config/config.h"
#include "tui/diagnosis/health.h"
#include "tui/commands/oneshot.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

#define EVENT_TABLE_OID 0x6F3876BCu
#define FINDINGS_MAX 96

enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };
enum { OPT_ONLY = 3000 };

static const char *status_name(int status)
{
    static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    return names[status >= 0 && status <= 3 ? status : 3];
}

static int unknown(const char *why, enum cli_format format)
{
    if (format == CLI_FORMAT_JSON) {
        fputs("{\"status\":\"unknown\",\"reason\":", stdout);
        rct_json_write_string(why, strlen(why), stdout);
        fputs(",\"findings\":[]}\n", stdout);
    } else {
        printf("RCT UNKNOWN - %s\n", why);
    }
    return CHECK_UNKNOWN;
}

static bool number_of(const struct store *store, const char *name, double *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    if (!info || !store_number(store, info->oid, v) || !isfinite(*v))
        return false;
    if (valfmt_is_fraction(info))
        *v *= 100.0;
    return true;
}

static const char *evidence_value(const struct health_finding *f, const char *name)
{
    for (int i = 0; i < f->nevidence; i++)
        if (!strcmp(f->evidence[i].name, name))
            return f->evidence[i].value;
    return NULL;
}

/* Perfdata in the plugin format: label=value[UOM];warn;crit. UOMs only where the
 * guidelines have one (%, s); others are plain numbers with the unit in the label. */
static void perfdata(const struct store *store, const struct health_finding *f, size_t n,
                     const struct health_thresholds *t, double srtt_ms, FILE *out)
{
    double v;
    if (number_of(store, "battery.soc", &v))
        fprintf(out, " soc=%.1f%%;;;0;100", v);
    if (number_of(store, "g_sync.p_acc_lp", &v))
        fprintf(out, " battery_w=%.0f", v);
    int spread = -1;
    for (size_t i = 0; i < n; i++) {
        /* Every module of every tower: battery.cells[.placeholder0].moduleN */
        bool module = strncmp(f[i].id, "battery.cells.", 14) == 0 && strstr(f[i].id, ".module");
        const char *s = module ? evidence_value(&f[i], "cell spread") : NULL;
        if (s && atoi(s) > spread)
            spread = atoi(s);
    }
    if (spread >= 0)
        fprintf(out, " cell_spread_mv=%d;%.0f;%.0f", spread, t->cell_spread_warning_mv,
                t->cell_spread_critical_mv);
    if (number_of(store, "iso_struct.Riso", &v))
        fprintf(out, " riso_ohm=%.0f", v);
    /* The clock's drift: what is off beyond the zone the device keeps. */
    for (size_t i = 0; i < n; i++) {
        const char *drift = !strcmp(f[i].id, "clock") ? evidence_value(&f[i], "drift") : NULL;
        if (drift)
            fprintf(out, " clock_offset=%llds;%.0f", atoll(drift), t->clock_warning_s);
    }
    if (srtt_ms >= 0)
        fprintf(out, " rtt=%.3fs;%.3f", srtt_ms / 1000.0, t->rtt_warning_ms / 1000.0);
}

static void print_text(int status, const struct store *store, const struct health_finding *f,
                       size_t n, const struct health_thresholds *t, double srtt_ms)
{
    int crit = 0, warn = 0;
    for (size_t i = 0; i < n; i++) {
        crit += f[i].severity == HEALTH_CRITICAL;
        warn += f[i].severity == HEALTH_WARNING;
    }
    printf("RCT %s - ", status_name(status));
    if (!crit && !warn)
        printf("no problems found (%zu checks)", n);
    else {
        if (crit)
            printf("%d critical%s", crit, warn ? ", " : "");
        if (warn)
            printf("%d warning%s", warn, warn == 1 ? "" : "s");
        printf(": ");
        int shown = 0;
        for (size_t i = 0; i < n && shown < 4; i++)
            if (f[i].severity >= HEALTH_WARNING)
                printf("%s%s", shown++ ? "; " : "", f[i].title);
        if (crit + warn > shown)
            printf("; and %d more", crit + warn - shown);
    }
    printf(" |");
    perfdata(store, f, n, t, srtt_ms, stdout);
    putchar('\n');
    for (size_t i = 0; i < n; i++) {
        printf("%-8s  %-30s  %s\n", health_severity_name(f[i].severity), f[i].id, f[i].title);
        printf("%-8s  %-30s  %s\n", "", "", f[i].detail);
    }
}

static void print_json(int status, const struct store *store, const char *where,
                       const struct health_finding *f, size_t n)
{
    static const char *const lower[] = {"ok", "warning", "critical", "unknown"};
    printf("{\"status\":\"%s\",\"device\":{\"address\":", lower[status]);
    rct_json_write_string(where, strlen(where), stdout);
    static struct rct_value v;
    static const char *const identity[][2] = {{"model", "android_description"},
                                              {"serial", "inverter_sn"},
                                              {"firmware", "svnversion"}};
    for (size_t i = 0; i < 3; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(identity[i][1]);
        if (info && store_value(store, info->oid, &v) && v.type == RCT_TYPE_STRING) {
            char safe[256];
            rct_sanitize(v.u.s.text, v.u.s.len, safe, sizeof safe);
            printf(",\"%s\":", identity[i][0]);
            rct_json_write_string(safe, strlen(safe), stdout);
        }
    }
    char when[48];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("},\"checked_at\":\"%s\",\"findings\":[", when);
    for (size_t i = 0; i < n; i++) {
        printf("%s{\"id\":", i ? "," : "");
        rct_json_write_string(f[i].id, strlen(f[i].id), stdout);
        printf(",\"severity\":\"%s\",\"title\":", health_severity_name(f[i].severity));
        rct_json_write_string(f[i].title, strlen(f[i].title), stdout);
        fputs(",\"detail\":", stdout);
        rct_json_write_string(f[i].detail, strlen(f[i].detail), stdout);
        fputs(",\"evidence\":{", stdout);
        for (int k = 0; k < f[i].nevidence; k++) {
            printf("%s", k ? "," : "");
            rct_json_write_string(f[i].evidence[k].name, strlen(f[i].evidence[k].name), stdout);
            putchar(':');
            rct_json_write_string(f[i].evidence[k].value, strlen(f[i].evidence[k].value), stdout);
        }
        fputs("}}", stdout);
    }
    fputs("]}\n", stdout);
}

/* Reads oids once more on a new connection and takes into store what came back: values,
 * and what the device does not know or did not answer. With link, its counters and
 * time are added to the check's. */
static void read_more(const struct oneshot_options *o, struct store *store, const uint32_t *oids,
                      size_t n, struct session_counters *link, double *seconds)
{
    struct store *more = NULL;
    if (oneshot_read("check", o, oids, n, &more) == CLI_EXIT_OK) {
        for (size_t i = 0; i < n; i++) {
            const struct store_entry *e = store_get(more, oids[i]);
            if (e && e->has_value)
                store_put(store, oids[i], e->payload, e->payload_len, e->updated_ms, e->updated_unix);
            else if (e && e->state == STORE_UNSUPPORTED)
                store_note_unsupported(store, oids[i]);
            else if (e && e->timeouts)
                store_note_timeout(store, oids[i], e->updated_ms);
        }
        double srtt, took;
        const struct session_counters *l = oneshot_last_link(&srtt, &took);
        if (link) {
            link->requests += l->requests;
            link->answers += l->answers;
            link->timeouts += l->timeouts;
            link->crc_errors += l->crc_errors;
            link->unsupported += l->unsupported;
            link->unsupported_requests += l->unsupported_requests;
            *seconds += took;
        }
    }
    store_free(more);
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        ONESHOT_LONG_OPTIONS,
        {"only", required_argument, NULL, OPT_ONLY},
        {NULL, 0, NULL, 0}};
    struct oneshot_options o;
    oneshot_default_options(&o);
    o.progress = false;
    const char *only = NULL;
    optind = 0;
    int c;
    while ((c = cli_getopt("check", argc, argv, oneshot_short_options, longopts)) != -1) {
        if (c == OPT_ONLY)
            only = optarg;
        else if (oneshot_option("check", c, optarg, &o) <= 0)
            return CHECK_UNKNOWN;  /* bad usage is UNKNOWN for a monitoring plugin */
    }
    if (optind < argc) {
        cli_usage_error("check", "unexpected argument '%s'", argv[optind]);
        return CHECK_UNKNOWN;
    }
    if (o.listen_only) {
        cli_usage_error("check", "a check reads what its rules need: not with --listen-only");
        return CHECK_UNKNOWN;
    }
    if (o.format == CLI_FORMAT_CSV) {
        cli_usage_error("check", "--format is text or json");
        return CHECK_UNKNOWN;
    }
    static struct config cfg;
    if (!oneshot_apply_config("check", &o, &cfg))
        return CHECK_UNKNOWN;
    const char *const *ids = health_rule_ids();
    if (only) {
        /* Every name in --only must select a rule: a rule's id, or whole segments of one
         * ("battery" selects battery.*; "bat", "fault" or a finding's id select nothing). */
        char copy[512];
        snprintf(copy, sizeof copy, "%s", only);
        for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
            bool known = false;
            size_t len = strlen(tok);
            for (int i = 0; ids[i] && !known; i++)
                known = !strncmp(ids[i], tok, len) && (ids[i][len] == '\0' || ids[i][len] == '.');
            if (!known) {
                cli_usage_error("check", "--only '%s' selects no rule (rules: faults, battery, "
                                         "battery.soh, battery.cells, battery.temperature, "
                                         "battery.resistance, battery.modules, battery.history, "
                                         "insulation, grid, grid.voltage, grid.frequency, pv.strings, "
                                         "clock, events, energy.counters, link)", tok);
                printf("RCT UNKNOWN - --only '%s' selects no rule\n", tok);
                return CHECK_UNKNOWN;
            }
        }
        if (!copy[0] || !strtok(strcpy(copy, only), ",")) {
            cli_usage_error("check", "--only names no rule");
            printf("RCT UNKNOWN - --only names no rule\n");
            return CHECK_UNKNOWN;
        }
    }
    struct health_thresholds t;
    health_default_thresholds(&t);
    config_check_thresholds(&cfg, &t);
    char where[300];
    args_format_host_port(o.host, o.port, where, sizeof where);

    /* 1. The values. */
    uint32_t oids[160];
    size_t n = health_needed_oids(NULL, oids, 160);
    const char *id_names[] = {"android_description", "inverter_sn", "svnversion"};
    for (size_t i = 0; i < 3 && n < 160; i++)
        oids[n++] = rct_registry_by_name(id_names[i])->oid;
    struct store *store = NULL;
    int status = oneshot_read("check", &o, oids, n, &store);
    if (status != CLI_EXIT_OK) {
        store_free(store);
        return status == 130 ? 130 : unknown(status == CLI_EXIT_USAGE ? "the device could not be "
                                             "read (see the line above)" : "interrupted", o.format);
    }
    double srtt, seconds;
    struct session_counters link = *oneshot_last_link(&srtt, &seconds);
    /* 1b. What the first answers make worth reading: the other tower's slots once it
     * answered its serial, then the details of the modules present (none on a device
     * without a battery). */
    for (int round = 0; round < 2; round++) {
        uint32_t details[160];
        /* A new connection: an OID the device answered goes first, so the link's timing
         * is learnt and an unknown detail is told from a silent device at once. */
        details[0] = rct_fault_word_oid(0);
        size_t nd = 1;
        size_t all = health_needed_oids(store, details + 1, 159) + 1;
        for (size_t i = 1; i < all; i++) {
            const struct store_entry *e = store_get(store, details[i]);
            if (!e || (!e->has_value && e->state != STORE_UNSUPPORTED && !e->timeouts))
                details[nd++] = details[i];
        }
        if (nd <= 1)
            break;
        read_more(&o, store, details, nd, &link, &seconds);
    }
    double minutes = seconds / 60.0;
    double link_srtt = srtt;
    const char *const *totals = health_total_names();
    double before[16];
    for (int i = 0; totals[i]; i++)
        if (!number_of(store, totals[i], &before[i]))
            before[i] = NAN;

    /* 2. A week of the event log, by the device's clock. */
    struct devclock dc;
    devclock_judge(&dc, o.clock_mode, store);
    int64_t device_now = devclock_now(&dc, (int64_t)time(NULL));
    struct history_pager pager;
    bool events_read = false;
    if ((!only || strstr(only, "events")) &&
        history_pager_init(&pager, EVENT_TABLE_OID, device_now - 7 * 86400, device_now + 60)) {
        events_read = oneshot_history("check", &o, &pager) == CLI_EXIT_OK;
    } else {
        memset(&pager, 0, sizeof pager);
    }

    /* 3. The totals once more: a counter that went back since the first read. */
    uint32_t total_oids[16];
    size_t nt = 0;
    for (int i = 0; totals[i]; i++)
        total_oids[nt++] = rct_registry_by_name(totals[i])->oid;
    read_more(&o, store, total_oids, nt, NULL, NULL);

    struct health_input in = {
        .store = store, .now_unix = (int64_t)time(NULL), .clock_mode = o.clock_mode,
        .events_read = events_read,
        .events = pager.rows, .nevents = pager.n, .totals_before = before,
        .link = &link, .srtt_ms = link_srtt, .link_minutes = minutes};
    static struct health_finding findings[FINDINGS_MAX];
    size_t nf = health_evaluate(&in, &t, only, findings, FINDINGS_MAX);
    /* The fault state is the core of a check: not read means no verdict at all. */
    for (size_t i = 0; i < nf; i++)
        if (!strcmp(findings[i].id, "faults") && findings[i].severity != HEALTH_OK) {
            char why[400];
            snprintf(why, sizeof why, "the fault words could not be read (%s)", findings[i].detail);
            history_pager_free(&pager);
            store_free(store);
            return unknown(why, o.format);
        }
    if (nf == 0) {
        history_pager_free(&pager);
        store_free(store);
        return unknown("no rule was run (--only)", o.format);
    }
    enum health_severity worst = health_worst(findings, nf);
    int exit_status = worst == HEALTH_CRITICAL ? CHECK_CRITICAL : worst == HEALTH_WARNING ? CHECK_WARNING : CHECK_OK;
    if (o.format == CLI_FORMAT_JSON)
        print_json(exit_status, store, where, findings, nf);
    else
        print_text(exit_status, store, findings, nf, &t, link_srtt);
    history_pager_free(&pager);
    store_free(store);
    return exit_status;
}
