/* `rcttop check`: reads what the diagnosis rules need at the polite rate over one
 * connection, under one time budget, one check per device at a time, and reports the
 * verdicts the way Monitoring Plugins do (check_report.h): exit 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN, and the reason for an UNKNOWN always on the first line. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/core/session.h"
#include "tui/commands/check_report.h"
#include "tui/commands/check_judge.h"
#include "tui/commands/check_plant.h"
#include "tui/commands/check_state.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/commands/oneshot.h"
#include "tui/config/config.h"
#include "tui/config/units.h"
#include "tui/diagnosis/health.h"
#include "tui/format/args.h"
#include "tui/format/timearg.h"
#include "proto/core/version.h"

#define CHECK_DEFAULT_BUDGET_S 45   /* well inside the engines' 60 s */

enum { OPT_ONLY = 3000, OPT_SKIP, OPT_WARNING, OPT_CRITICAL, OPT_VERSION, OPT_PLANT };

static int unknown(const struct check_run *r, const char *why)
{
    return check_print_unknown(why, r->o.format == CLI_FORMAT_JSON, stdout);
}

/* Every comma-separated name must select a rule (or one finding of one). */
static bool names_valid(const char *option, const char *names, bool findings_too)
{
    char bad[128];
    if (health_names_valid(names, findings_too, bad, sizeof bad))
        return true;
    char rules[512];
    cli_usage_error("check", "%s '%s' selects no rule (rules: %s)", option, bad,
                    health_rule_names(rules, sizeof rules));
    return false;
}

static const struct option check_options[] = {
    ONESHOT_LONG_OPTIONS,
    {"only", required_argument, NULL, OPT_ONLY},
    {"skip", required_argument, NULL, OPT_SKIP},
    {"warning", required_argument, NULL, 'w'},
    {"critical", required_argument, NULL, 'c'},
    {"version", no_argument, NULL, 'V'},
    {"plant", required_argument, NULL, OPT_PLANT},
    {NULL, 0, NULL, 0}};

/* The options; false after an error (said by cli_usage_error). */
static bool parse(int argc, char **argv, struct check_run *r, bool *version)
{
    optind = 0;
    int c;
    char why[600];
    while ((c = cli_getopt("check", argc, argv, cli_cmd_check.shortopts,
                           cli_cmd_check.options)) != -1) {
        switch (c) {
        case OPT_ONLY: r->only = optarg; break;
        case OPT_SKIP: snprintf(r->skip, sizeof r->skip, "%s", optarg); break;
        case 'V': *version = true; break;
        case OPT_PLANT: r->plant = optarg; break;
        case 'H':
            if (r->nhosts == CONFIG_PLANT_UNITS_MAX) {
                cli_usage_error("check", "at most %d units (--host given more often)", CONFIG_PLANT_UNITS_MAX);
                return false;
            }
            r->hosts[r->nhosts++] = optarg;
            if (oneshot_option("check", c, optarg, &r->o) <= 0)
                return false;
            break;
        case 't':
            /* -t is the whole run, as every plugin has it; --answer-timeout is per answer. */
            if (!cli_parse_setting("check", "--timeout", "check", "timeout", optarg, &r->budget_s))
                return false;
            r->budget_given = true;
            break;
        case 'w':
        case 'c':
            if (!check_thresholds_parse(optarg, c == 'c', r->user, &r->nuser, why, sizeof why)) {
                cli_usage_error("check", "-%c: %s", c, why);
                return false;
            }
            break;
        default:
            if (oneshot_option("check", c, optarg, &r->o) <= 0)
                return false;
        }
    }
    if (*version)
        return true;
    if (optind < argc) {
        cli_usage_error("check", "unexpected argument '%s'", argv[optind]);
        return false;
    }
    if (r->o.listen_only) {
        cli_usage_error("check", "a check reads what its rules need: not with --listen-only");
        return false;
    }
    if (r->plant && (r->nhosts || r->o.device[0])) {
        cli_usage_error("check", "--plant names its units: not with --host or --device");
        return false;
    }
    if (r->o.format == CLI_FORMAT_CSV) {
        cli_usage_error("check", "--format is text or json");
        return false;
    }
    /* --only runs whole rules; a rule can be switched off for one finding ("faults.bit105"). */
    return (!r->only || names_valid("--only", r->only, false)) &&
           (!r->skip[0] || names_valid("--skip", r->skip, true));
}

/* Reads over one connection. CLI_EXIT_OK, or the reason for an UNKNOWN in why. */
static int read_device(const struct check_run *r, struct check_reads *k, char *why, size_t cap)
{
    memset(&k->pager, 0, sizeof k->pager);
    k->store = store_new();
    if (!k->store) {
        snprintf(why, cap, "out of memory");
        return CHECK_UNKNOWN;
    }
    uint32_t oids[160];
    size_t n = health_needed_oids_of(NULL, r->only, oids, 150);
    const char *id_names[] = {"android_description", "inverter_sn", "svnversion"};
    for (size_t i = 0; i < 3; i++)
        oids[n++] = rct_registry_by_name(id_names[i])->oid;
    if (r->o.replay_path[0]) {
        if (oneshot_read_replay("check", &r->o, k->store) != CLI_EXIT_OK) {
            snprintf(why, cap, "%s", cli_last_error());
            return CHECK_UNKNOWN;
        }
        k->srtt_ms = -1;
        return CLI_EXIT_OK;
    }
    /* The budget left, less a moment to judge and print. */
    double left = r->budget_s - (check_mono_s() - r->started) - 0.3;
    if (left <= 0.5) {
        snprintf(why, cap, "no time left of the %.0f s budget (-t) to read the device", r->budget_s);
        return CHECK_UNKNOWN;
    }
    struct oneshot_link *link = oneshot_link_open("check", &r->o, k->store, left);
    if (!link) {
        snprintf(why, cap, "%s", cli_last_error());
        return CHECK_UNKNOWN;
    }
    int status = oneshot_link_read(link, oids, n);
    double srtt_ms, seconds;
    const struct session_counters *c = oneshot_last_link(&srtt_ms, &seconds);
    if (status != CLI_EXIT_OK && !cli_interrupted(status) && c->connects > 0 && c->answers == 0) {
        /* Connected and silent (a frozen network stack, a unit without power at night):
         * said as such, whether the attempts or the budget ran out first. */
        char where[300];
        args_format_host_port(r->o.host, r->o.port, where, sizeof where);
        snprintf(why, cap, "%s: connected, but no answer in %.0f s (%llu request%s sent)", where,
                 seconds, (unsigned long long)c->requests, c->requests == 1 ? "" : "s");
        oneshot_link_close(link);
        return CHECK_UNKNOWN;
    }
    if (status == ONESHOT_OUT_OF_TIME && c->answers > 0) {
        /* A device that skips many OIDs (each unanswered one costs a timeout) is judged
         * on what it answered in time; the rest is said to be unread, not a failure. */
        k->out_of_time = true;
        oneshot_link_close(link);
        k->link = *oneshot_last_link(&k->srtt_ms, &k->seconds);
        return CLI_EXIT_OK;
    }
    if (status != CLI_EXIT_OK) {
        if (status == ONESHOT_OUT_OF_TIME)
            snprintf(why, cap, "%s did not give the first values within the %.0f s budget (-t)",
                     r->o.host, r->budget_s);
        else
            snprintf(why, cap, "%s", cli_interrupted(status) ? "interrupted" : cli_last_error());
        oneshot_link_close(link);
        return cli_interrupted(status) ? status : CHECK_UNKNOWN;
    }
    for (int round = 0; round < 2 && oneshot_link_usable(link); round++) {
        uint32_t details[160];
        size_t nd = check_details_to_read(k->store, r->only, details, 160);
        if (!nd)
            break;
        oneshot_link_read(link, details, nd);
    }
    /* A week of the event log, by the device's clock. */
    struct devclock dc;
    devclock_judge(&dc, r->o.clock_mode, k->store);
    int64_t device_now = devclock_now(&dc, (int64_t)time(NULL));
    bool events_wanted = (!r->only || health_ids_match(r->only, "events")) && !health_ids_match(r->skip, "events");
    if (events_wanted && oneshot_link_usable(link) &&
        history_pager_init(&k->pager, CHECK_EVENT_TABLE_OID, device_now - 7 * 86400, device_now + 60))
        k->events_read = oneshot_link_history(link, &k->pager) == CLI_EXIT_OK;
    k->out_of_time = !oneshot_link_usable(link);
    oneshot_link_close(link);
    k->link = *oneshot_last_link(&k->srtt_ms, &k->seconds);
    return CLI_EXIT_OK;
}

/* The energy totals of the last check of this device (by serial), and this run's kept. */
static int cmd_check(int argc, char **argv)
{
    static struct check_run r;
    memset(&r, 0, sizeof r);
    oneshot_default_options(&r.o);
    r.o.progress = false;
    r.started = check_mono_s();
    bool version = false;
    if (!parse(argc, argv, &r, &version))
        return unknown(&r, cli_last_error());  /* bad usage is UNKNOWN for a monitoring plugin */
    if (version) {
        printf("rcttop %s\n", rct_version());
        return CHECK_OK;
    }
    static struct config cfg;
    if (!oneshot_apply_config("check", &r.o, &cfg))
        return unknown(&r, cli_last_error());
    struct health_thresholds t;
    config_check_thresholds(&cfg, &t);
    if (!r.budget_given)
        r.budget_s = t.check_timeout_s > 0 ? t.check_timeout_s : CHECK_DEFAULT_BUDGET_S;
    if (r.skip[0]) {
        size_t len = strlen(t.skip);
        snprintf(t.skip + len, sizeof t.skip - len, "%s%s", len ? "," : "", r.skip);
    }
    snprintf(r.skip, sizeof r.skip, "%s", t.skip);
    if (t.skip[0] && !names_valid("[check] skip", t.skip, true))
        return unknown(&r, cli_last_error());
    char where[300], why[1200];
    /* Several units: --host repeated, --plant, or [general] plant without a device named. */
    if (!r.plant && !r.nhosts && !r.o.device[0] && cfg.plant[0] && !r.o.replay_path[0])
        r.plant = cfg.plant;
    static struct unit_list units;
    if (r.plant && !units_from_plant(&cfg, r.plant, &units, why, sizeof why))
        return unknown(&r, why);
    if (!r.plant && r.nhosts > 1 && !units_from_hosts(r.hosts, r.nhosts, r.o.port, &units, why, sizeof why))
        return unknown(&r, why);
    if (r.plant || r.nhosts > 1)
        return check_plant_run(&r, &t, &units);
    args_format_host_port(r.o.host, r.o.port, where, sizeof where);

    /* One check per device at a time: a device serves one request at a time. */
    int lock = -2;
    if (!r.o.replay_path[0]) {
        lock = check_lock(r.o.host, r.o.port, fmin(15, r.budget_s / 3), why, sizeof why);
        if (lock == -1)
            return unknown(&r, why);
        if (lock == -2)
            fprintf(stderr, "rcttop check: running without a lock: %s\n", why);
    }
    static struct check_reads k;
    memset(&k, 0, sizeof k);
    int status = read_device(&r, &k, why, sizeof why);
    check_unlock(lock);
    if (status != CLI_EXIT_OK) {
        history_pager_free(&k.pager);
        store_free(k.store);
        return cli_interrupted(status) ? status : unknown(&r, why);
    }

    struct check_device dev = {.address = where};
    static struct health_finding findings[FINDINGS_MAX];
    static struct check_perf perf[CHECK_PERF_MAX];
    size_t nf, np;
    status = check_judge(&r, &t, &k, &dev, findings, &nf, perf, &np, why, sizeof why);
    if (status != CLI_EXIT_OK) {
        health_findings_release(findings, FINDINGS_MAX);
        history_pager_free(&k.pager);
        store_free(k.store);
        return unknown(&r, why);
    }
    enum health_severity worst = health_worst(findings, nf);
    int exit_status = worst == HEALTH_CRITICAL ? CHECK_CRITICAL : worst == HEALTH_WARNING ? CHECK_WARNING : CHECK_OK;
    dev.seconds = check_mono_s() - r.started;
    if (r.o.format == CLI_FORMAT_JSON)
        check_print_json(exit_status, &dev, findings, nf, perf, np, stdout);
    else
        check_print_text(exit_status, findings, nf, perf, np, stdout);
    health_findings_release(findings, FINDINGS_MAX);
    history_pager_free(&k.pager);
    store_free(k.store);
    if (fflush(stdout) != 0 || ferror(stdout))
        return CHECK_UNKNOWN;
    return exit_status;
}

const struct cli_command cli_cmd_check = {
    .name = "check",
    .summary = "diagnose a site: verdicts with evidence, Monitoring Plugins exit codes",
    .usage =
        "usage: rcttop check [-H HOST[:PORT]... [-p PORT] | --device NAME | --plant NAME]\n"
        "                    [-t SECONDS]\n"
        "                    [-w LABEL=RANGE,...] [-c LABEL=RANGE,...] [--only ID,...]\n"
        "                    [--skip ID,...] [--format text|json] [OPTIONS]\n"
        "\n"
        "Reads what the diagnosis rules need at the polite rate over one connection (about\n"
        "70 values and a week of the event log) and prints the findings, worst first.\n"
        "The first line is 'RCT <STATUS> - summary | perfdata', so it drops into Nagios,\n"
        "Icinga or Checkmk; the reason for an UNKNOWN is always on it.\n"
        "One check per device at a time: a second one waits up to a third of its -t, then\n"
        "says another check is running. Energy totals are kept per serial in\n"
        "$XDG_STATE_HOME/rcttop/ so a counter reset between two checks is found.\n"
        "\n"
        "Several units (-H repeated, --plant NAME, or [general] plant): one result over\n"
        "all, each unit read on its own connection, all at once, within the one -t. The\n"
        "status is the worst of every unit and of the plant's own findings (CRITICAL >\n"
        "WARNING > UNKNOWN > OK); the first line names the unit of each problem ('pi:\n"
        "offline' for one that cannot be read, while the others are still judged); the\n"
        "perfdata labels are UNIT:figure; JSON has a devices array and a plant object.\n"
        "\n"
        "Rules: faults, battery.soh, battery.cells, battery.temperature, battery.resistance,\n"
        "battery.modules, battery.history, insulation, grid.voltage, grid.frequency,\n"
        "pv.strings, clock, events, energy.counters, link. A rule whose inputs the device\n"
        "does not answer says 'info: not available'. Limits: [check] in the configuration\n"
        "(rcttop monitor --print-sample-config lists them with their defaults).\n"
        "\n"
        "  -t, --timeout S         the whole check, connecting included (default %{check.timeout}; [check]\n"
        "                          timeout); --answer-timeout S is per answer (default %{general.timeout})\n"
        "  -w, --warning L=R,...   a warning when figure L is outside Nagios range R\n"
        "  -c, --critical L=R,...  the same, critical (R: 10, 10:, ~:10, 10:20, @10:20)\n"
        "                          figures: soc, soh, battery_power, cell_min, cell_max,\n"
        "                          cell_spread, cell_temp_min, cell_temp_max, riso, grid_l1..3,\n"
        "                          grid_f, pv_a, pv_b, pv_a_voltage, pv_b_voltage, energy_*,\n"
        "                          clock_offset, rtt (e.g. -w soc=20: -c soc=10:)\n"
        "      --only ID,...       only these rules (whole id segments: battery, grid)\n"
        "      --skip ID,...       switch rules or single findings off (events,faults.bit105);\n"
        "                          also [check] skip\n"
        "      --plant NAME        a [plant:NAME] section: every unit it names\n"
        "  -p, --port PORT         TCP port (as -P)\n"
        "  -V, --version           the version\n"
        DEVICE_OPTIONS_HELP
        "\n"
        "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad usage or configuration,\n"
        "device unreachable or silent, the time budget ran out before the fault words were\n"
        "read, the fault words unreadable, another check of the device running).\n",
    .options = check_options,
    .shortopts = ONESHOT_SHORT_OPTIONS "w:c:V",
    .run = cmd_check,
};
