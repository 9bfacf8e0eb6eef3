/* The options of `rcttop sim`: see sim_args.h. */
#include "tui/commands/sim_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/format/args.h"
#include "tui/format/timearg.h"

enum {
    OPT_SEED = 256, OPT_START, OPT_SPEED, OPT_FAULT, OPT_FAULTS_CYCLE, OPT_PAGE_POINTS,
    OPT_PAGE_EVENTS, OPT_BAD_PAGE_AFTER, OPT_CLOCK_OFFSET, OPT_CELL_LOW, OPT_WEAK_CELL, OPT_RISO, OPT_GRID_VOLTAGE, OPT_DEAD_STRING, OPT_STUCK_STRING, OPT_SOC, OPT_CELL_MV, OPT_SILENT_MODULE, OPT_CELL_TEMP, OPT_SOH, OPT_AT, OPT_SCRIPT, OPT_COUNTER_BACK, OPT_GRID_LOSSES, OPT_BROADCAST, OPT_LATENCY, OPT_JITTER, OPT_DROP, OPT_CRC, OPT_TRUNCATE, OPT_NOISE,
    OPT_UNSOLICITED, OPT_FOREIGN, OPT_DISCONNECT, OPT_NIGHT, OPT_UNKNOWN, OPT_ANSWER_ONLY, OPT_MAX_CLIENTS,
    OPT_QUIRKS, OPT_RECORD, OPT_DURATION, OPT_PRINT, OPT_PROFILE, OPT_CLOCK, OPT_ROLE, OPT_PLANT, OPT_UNIT, OPT_NO_NIGHT,
};

/* --script FILE: one "SECONDS WHAT" (or SECONDS:WHAT) a line; '#' starts a comment. */
static bool read_script(const char *path, struct sim_config *cfg)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        cli_usage_error("sim", "--script %s: %s", path, strerror(errno));
        return false;
    }
    char line[256];
    int number = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, in)) {
        number++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line + strspn(line, " \t");
        if (!*p)
            continue;
        char *sep = p + strcspn(p, " \t");
        if (*sep)
            *sep = ':';
        char why[160];
        if (cfg->nactions >= SIM_ACTIONS_MAX) {
            cli_usage_error("sim", "--script %s: more than %d actions", path, SIM_ACTIONS_MAX);
            ok = false;
        } else if (!sim_action_parse(p, &cfg->actions[cfg->nactions], why, sizeof why)) {
            cli_usage_error("sim", "--script %s: line %d: %s", path, number, why);
            ok = false;
        } else {
            cfg->nactions++;
        }
    }
    fclose(in);
    return ok;
}
const struct option sim_args_options[] = {
    {"listen", required_argument, NULL, 'l'},
    {"verbose", no_argument, NULL, 'v'},
    {"seed", required_argument, NULL, OPT_SEED},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"start", required_argument, NULL, OPT_START},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"fault", required_argument, NULL, OPT_FAULT},
    {"faults-cycle", required_argument, NULL, OPT_FAULTS_CYCLE},
    {"page-points", required_argument, NULL, OPT_PAGE_POINTS},
    {"page-events", required_argument, NULL, OPT_PAGE_EVENTS},
    {"bad-page-after", required_argument, NULL, OPT_BAD_PAGE_AFTER},
    {"clock-offset", required_argument, NULL, OPT_CLOCK_OFFSET},
    {"clock", required_argument, NULL, OPT_CLOCK},
    {"role", required_argument, NULL, OPT_ROLE},
    {"plant", required_argument, NULL, OPT_PLANT},
    {"unit", required_argument, NULL, OPT_UNIT},
    {"cell-low", required_argument, NULL, OPT_CELL_LOW},
    {"weak-cell", required_argument, NULL, OPT_WEAK_CELL},
    {"riso", required_argument, NULL, OPT_RISO},
    {"grid-voltage", required_argument, NULL, OPT_GRID_VOLTAGE},
    {"dead-string", required_argument, NULL, OPT_DEAD_STRING},
    {"stuck-string", required_argument, NULL, OPT_STUCK_STRING},
    {"soc", required_argument, NULL, OPT_SOC},
    {"cell-mv", required_argument, NULL, OPT_CELL_MV},
    {"silent-module", required_argument, NULL, OPT_SILENT_MODULE},
    {"cell-temp", required_argument, NULL, OPT_CELL_TEMP},
    {"soh", required_argument, NULL, OPT_SOH},
    {"at", required_argument, NULL, OPT_AT},
    {"script", required_argument, NULL, OPT_SCRIPT},
    {"counter-back", no_argument, NULL, OPT_COUNTER_BACK},
    {"grid-losses", required_argument, NULL, OPT_GRID_LOSSES},
    {"broadcast", no_argument, NULL, OPT_BROADCAST},
    {"latency", required_argument, NULL, OPT_LATENCY},
    {"jitter", required_argument, NULL, OPT_JITTER},
    {"drop", required_argument, NULL, OPT_DROP},
    {"crc-errors", required_argument, NULL, OPT_CRC},
    {"truncate", no_argument, NULL, OPT_TRUNCATE},
    {"noise", required_argument, NULL, OPT_NOISE},
    {"unsolicited", required_argument, NULL, OPT_UNSOLICITED},
    {"foreign", required_argument, NULL, OPT_FOREIGN},
    {"disconnect-every", required_argument, NULL, OPT_DISCONNECT},
    {"night", no_argument, NULL, OPT_NIGHT},
    {"no-night", no_argument, NULL, OPT_NO_NIGHT},
    {"unknown-oids", required_argument, NULL, OPT_UNKNOWN},
    {"answer-only", required_argument, NULL, OPT_ANSWER_ONLY},
    {"max-clients", required_argument, NULL, OPT_MAX_CLIENTS},
    {"quirks", required_argument, NULL, OPT_QUIRKS},
    {"record", required_argument, NULL, OPT_RECORD},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"print-values", no_argument, NULL, OPT_PRINT},
    {NULL, 0, NULL, 0},
};

void sim_args_defaults(struct sim_args *a)
{
    memset(a, 0, sizeof *a);
    sim_default_config(&a->cfg);
    snprintf(a->host, sizeof a->host, "127.0.0.1");
    a->port = 8899;
}

/* --plant master,inverter,storage-ac: a unit a name; '+' combines profiles within one
 * (dual-tower+old-firmware); "master" is the storage system that leads. */
static bool plant_list(const char *list, struct sim_args *a)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", list);
    a->nunits = 0;
    for (char *save = NULL, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        if (a->nunits == SIM_ARGS_UNITS_MAX) {
            cli_usage_error("sim", "--plant: at most %d units", SIM_ARGS_UNITS_MAX);
            return false;
        }
        char profiles[64], why[200];
        snprintf(profiles, sizeof profiles, "%s", strcmp(name, "master") ? name : "storage");
        for (char *p = profiles; *p; p++)
            if (*p == '+')
                *p = ',';
        struct sim_config probe;
        sim_default_config(&probe);
        if (!sim_profiles_parse(profiles, &probe, why, sizeof why)) {
            cli_usage_error("sim", "--plant: %s", why);
            return false;
        }
        snprintf(a->unit_names[a->nunits], sizeof a->unit_names[0], "%s", name);
        snprintf(a->unit_profiles[a->nunits++], sizeof a->unit_profiles[0], "%s", profiles);
    }
    if (a->nunits < 2) {
        cli_usage_error("sim", "--plant wants a master and at least one slave (e.g. master,inverter)");
        return false;
    }
    return true;
}

/* --unit N:OPTION[=VALUE]: kept for the per-unit pass, checked there. */
static bool unit_option(const char *text, struct sim_args *a)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (end == text || *end != ':' || n < 1 || n > SIM_ARGS_UNITS_MAX || !end[1]) {
        cli_usage_error("sim", "--unit wants N:OPTION[=VALUE] (e.g. 2:--drop=0.3), not '%s'", text);
        return false;
    }
    if (a->nunit_options == SIM_ARGS_UNIT_OPTIONS_MAX) {
        cli_usage_error("sim", "at most %d --unit options", SIM_ARGS_UNIT_OPTIONS_MAX);
        return false;
    }
    a->unit_options[a->nunit_options].unit = (int)n;
    a->unit_options[a->nunit_options++].option = end + 1;
    return true;
}

int sim_args_parse(int argc, char **argv, struct sim_args *a)
{
    struct sim_quirks *q = &a->cfg.quirks;
    const char *why;
    double v;
    optind = 0;
    int c;
    while ((c = cli_getopt("sim", argc, argv, SIM_ARGS_SHORTOPTS, sim_args_options)) != -1) {
        switch (c) {
        case 'l':
            if (!args_parse_listen_address(optarg, a->host, sizeof a->host, &a->port, &why))
                return cli_usage_error("sim", "--listen '%s' %s", optarg, why);
            break;
        case 'v': a->cfg.verbose = true; break;
        case OPT_SEED:
            if (!cli_parse_integer("sim", "--seed", optarg, 0, 4294967295.0, &v)) return 2;
            a->cfg.seed = (uint32_t)v;
            break;
        case OPT_START: {
            int64_t t;
            if (!timearg_parse(optarg, &t) || t <= 0)
                return cli_usage_error("sim", "--start wants UNIX seconds or an ISO-8601 date, not '%s'", optarg);
            a->cfg.start_unix = (double)t;
            break;
        }
        case OPT_SPEED:
            if (!cli_parse_number("sim", "--speed", optarg, 0, 100000, &a->cfg.speed)) return 2;
            break;
        case OPT_FAULT:
            if (!cli_parse_integer("sim", "--fault", optarg, 0, 127, &v)) return 2;
            a->cfg.faults[(int)v / 32] |= 1u << ((int)v % 32);
            break;
        case OPT_FAULTS_CYCLE:
            if (!cli_parse_number("sim", "--faults-cycle", optarg, 1, 86400, &a->cfg.faults_cycle_s)) return 2;
            break;
        case OPT_PAGE_POINTS:
            if (!cli_parse_integer("sim", "--page-points", optarg, 1, 250, &v)) return 2;
            a->cfg.page_points = (unsigned)v;
            break;
        case OPT_PAGE_EVENTS:
            if (!cli_parse_integer("sim", "--page-events", optarg, 1, 100, &v)) return 2;
            a->cfg.page_events = (unsigned)v;
            break;
        case OPT_CELL_LOW: {
            /* MODULE:MV, or TOWER:MODULE:MV with tower 1 (battery.*) or 2 (battery_placeholder[0].*) */
            char *first = strchr(optarg, ':'), *second = first ? strchr(first + 1, ':') : NULL;
            double m, t = 1;
            if (!first)
                return cli_usage_error("sim", "--cell-low wants [TOWER:]MODULE:MV, e.g. 1:150 or 2:0:160");
            *first = '\0';
            if (second) {
                *second = '\0';
                if (!cli_parse_integer("sim", "--cell-low tower", optarg, 1, 2, &t)) return 2;
            }
            if (!cli_parse_integer("sim", "--cell-low module", second ? first + 1 : optarg, 0, 6, &m) ||
                !cli_parse_number("sim", "--cell-low mV", second ? second + 1 : first + 1, 1, 3000,
                                  &a->cfg.cond.cell_low_mv))
                return 2;
            a->cfg.cond.cell_low_module = (int)m;
            a->cfg.cond.cell_low_tower = (int)t - 1;
            break;
        }
        case OPT_WEAK_CELL:
            if (!cli_parse_integer("sim", "--weak-cell", optarg, 0, 6, &v)) return 2;
            a->cfg.cond.weak_cell_module = (int)v;
            break;
        case OPT_RISO:
            if (!cli_parse_number("sim", "--riso", optarg, 0, 1e9, &a->cfg.cond.riso_ohm)) return 2;
            break;
        case OPT_GRID_VOLTAGE:
            if (!cli_parse_number("sim", "--grid-voltage", optarg, 100, 300, &a->cfg.cond.grid_voltage)) return 2;
            break;
        case OPT_DEAD_STRING:
            if (strcmp(optarg, "A") && strcmp(optarg, "B"))
                return cli_usage_error("sim", "--dead-string wants A or B");
            a->cfg.cond.dead_string = optarg[0];
            break;
        case OPT_STUCK_STRING:
            if (strcmp(optarg, "A") && strcmp(optarg, "B"))
                return cli_usage_error("sim", "--stuck-string wants A or B");
            a->cfg.cond.stuck_string = optarg[0];
            break;
        case OPT_SOC:
            if (!cli_parse_number("sim", "--soc", optarg, 1, 100, &v)) return 2;
            a->cfg.cond.soc_hold = v / 100.0;
            break;
        case OPT_CELL_MV:
            if (!cli_parse_integer("sim", "--cell-mv", optarg, 1000, 5000, &v)) return 2;
            a->cfg.cond.cell_mv = (int)v;
            break;
        case OPT_SILENT_MODULE:
            if (!cli_parse_integer("sim", "--silent-module", optarg, 0, 6, &v)) return 2;
            a->cfg.cond.silent_module = (int)v;
            break;
        case OPT_CELL_TEMP:
            if (!cli_parse_integer("sim", "--cell-temp", optarg, -40, 100, &v)) return 2;
            a->cfg.cond.cell_temp_set = true;
            a->cfg.cond.cell_temp_c = (int)v;
            break;
        case OPT_SOH:
            if (!cli_parse_number("sim", "--soh", optarg, 0, 255, &v)) return 2;
            a->cfg.cond.soh_set = true;
            a->cfg.cond.soh = v / 100.0;
            break;
        case OPT_AT: {
            char bad[160];
            if (a->cfg.nactions >= SIM_ACTIONS_MAX)
                return cli_usage_error("sim", "at most %d scheduled actions", SIM_ACTIONS_MAX);
            if (!sim_action_parse(optarg, &a->cfg.actions[a->cfg.nactions], bad, sizeof bad))
                return cli_usage_error("sim", "--at: %s", bad);
            a->cfg.nactions++;
            break;
        }
        case OPT_SCRIPT:
            if (!read_script(optarg, &a->cfg))
                return 2;
            break;
        case OPT_COUNTER_BACK: a->cfg.cond.counter_back = true; break;
        case OPT_PROFILE: {
            a->profile_set = true;
            char bad[200];
            if (!sim_profiles_parse(optarg, &a->cfg, bad, sizeof bad))
                return cli_usage_error("sim", "--profile: %s", bad);
            break;
        }
        case OPT_CLOCK:
            if (strcmp(optarg, "local") && strcmp(optarg, "utc"))
                return cli_usage_error("sim", "--clock wants local or utc, not '%s'", optarg);
            a->cfg.clock_local = !strcmp(optarg, "local");
            break;
        case OPT_PLANT:
            if (!plant_list(optarg, a))
                return CLI_EXIT_USAGE;
            break;
        case OPT_UNIT:
            if (!unit_option(optarg, a))
                return CLI_EXIT_USAGE;
            break;
        case OPT_ROLE:
            a->role_set = true;
            if (!sim_role_from_name(optarg, &a->cfg.plant_role))
                return cli_usage_error("sim", "--role wants standalone, master or slave, not '%s'", optarg);
            break;
        case OPT_BROADCAST: q->broadcast = true; break;
        case OPT_GRID_LOSSES:
            if (!cli_parse_integer("sim", "--grid-losses", optarg, 0, 7, &v)) return 2;
            a->cfg.cond.grid_losses = (int)v;
            break;
        case OPT_CLOCK_OFFSET:
            if (!cli_parse_number("sim", "--clock-offset", optarg, -31536000, 31536000,
                                  &a->cfg.clock_offset_s)) return 2;
            break;
        case OPT_BAD_PAGE_AFTER:
            if (!cli_parse_integer("sim", "--bad-page-after", optarg, 1, 1000000, &v)) return 2;
            a->cfg.bad_page_after = (unsigned)v;
            break;
        case OPT_LATENCY:
            if (!cli_parse_integer("sim", "--latency", optarg, 0, 60000, &v)) return 2;
            q->latency_ms = (int)v;
            break;
        case OPT_JITTER:
            if (!cli_parse_integer("sim", "--jitter", optarg, 0, 60000, &v)) return 2;
            q->jitter_ms = (int)v;
            break;
        case OPT_DROP:
            if (!cli_parse_number("sim", "--drop", optarg, 0, 1, &q->drop)) return 2;
            break;
        case OPT_CRC:
            if (!cli_parse_number("sim", "--crc-errors", optarg, 0, 1, &q->crc_errors)) return 2;
            break;
        case OPT_TRUNCATE: q->truncate = true; break;
        case OPT_NOISE:
            if (!cli_parse_number("sim", "--noise", optarg, 0, 1, &q->noise)) return 2;
            break;
        case OPT_UNSOLICITED:
            if (!cli_parse_number("sim", "--unsolicited", optarg, 0.05, 3600, &q->unsolicited_s)) return 2;
            break;
        case OPT_FOREIGN:
            if (!cli_parse_number("sim", "--foreign", optarg, 0, 1, &q->foreign)) return 2;
            break;
        case OPT_DISCONNECT:
            if (!cli_parse_number("sim", "--disconnect-every", optarg, 0.1, 86400, &q->disconnect_every_s)) return 2;
            break;
        case OPT_NIGHT: q->night = true; a->night_set = true; break;
        case OPT_NO_NIGHT: q->night = false; a->night_set = true; break;
        case OPT_UNKNOWN:
            if (!cli_parse_number("sim", "--unknown-oids", optarg, 0, 1, &q->unknown_oids)) return 2;
            break;
        case OPT_ANSWER_ONLY: {
            char bad[200];
            if (!sim_answer_only_parse(q, optarg, bad, sizeof bad))
                return cli_usage_error("sim", "--answer-only: %s", bad);
            break;
        }
        case OPT_MAX_CLIENTS:
            if (!cli_parse_integer("sim", "--max-clients", optarg, 1, 1000, &v)) return 2;
            q->max_clients = (int)v;
            break;
        case OPT_QUIRKS:
            if (strcmp(optarg, "all") == 0)
                sim_enable_all_quirks(q);
            else if (strcmp(optarg, "none") != 0)
                return cli_usage_error("sim", "--quirks takes 'all' or 'none', not '%s'", optarg);
            break;
        case OPT_RECORD: a->record = optarg; break;
        case OPT_DURATION:
            if (!cli_parse_number("sim", "--duration", optarg, 0.1, 1e7, &a->duration)) return 2;
            break;
        case OPT_PRINT: a->print = true; break;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("sim", "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* Options that describe the whole run, not one unit of it. */
static bool plant_wide(const char *option)
{
    static const char *const names[] = {"listen", "plant", "unit", "role", "print-values",
                                        "duration", "verbose"};
    const char *name = option + strspn(option, "-");
    size_t len = strcspn(name, "=");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == len && !strncmp(name, names[i], len))
            return true;
    return len == 1 && (name[0] == 'l' || name[0] == 'v');  /* -l, -v */
}

int sim_args_unit(int argc, char **argv, size_t n, struct sim_args *unit)
{
    int status = sim_args_parse(argc, argv, unit);
    if (status)
        return status;
    if (unit->role_set || unit->profile_set)
        return cli_usage_error("sim", "--plant gives each unit its profile and role: "
                               "no --role or --profile with it");
    size_t nunits = unit->nunits;
    uint32_t seed = unit->cfg.seed;
    char why[200];
    sim_profiles_parse(unit->unit_profiles[n - 1], &unit->cfg, why, sizeof why);
    unit->cfg.plant_role = n == 1 ? 1 : 2;
    unit->cfg.seed = seed + (uint32_t)(n - 1);  /* its own site: its own serial */
    /* A PV-only slave runs on its strings and sleeps at night, unless told otherwise. */
    if (n > 1 && unit->cfg.profile == SIM_PROFILE_INVERTER && !unit->night_set)
        unit->cfg.quirks.night = true;
    char *uargv[SIM_ARGS_UNIT_OPTIONS_MAX + 2];
    char texts[SIM_ARGS_UNIT_OPTIONS_MAX][256];
    int uargc = 0;
    uargv[uargc++] = argv[0];
    for (size_t i = 0; i < unit->nunit_options; i++) {
        const char *option = unit->unit_options[i].option;
        if ((size_t)unit->unit_options[i].unit > nunits)
            return cli_usage_error("sim", "--unit %d: the plant has %zu units",
                                   unit->unit_options[i].unit, nunits);
        if ((size_t)unit->unit_options[i].unit != n)
            continue;
        if (plant_wide(option))
            return cli_usage_error("sim", "--unit %zu:%s: that option is for the whole plant", n, option);
        snprintf(texts[uargc - 1], sizeof texts[0], "%s%s", option[0] == '-' ? "" : "--", option);
        uargv[uargc] = texts[uargc - 1];
        uargc++;
    }
    uargv[uargc] = NULL;
    struct sim_args own = *unit;
    own.role_set = own.profile_set = false;
    status = sim_args_parse(uargc, uargv, &own);
    if (status)
        return status;
    if (own.role_set || own.profile_set)
        return cli_usage_error("sim", "--unit %zu: a unit's profile and role come from --plant", n);
    *unit = own;
    return 0;
}
