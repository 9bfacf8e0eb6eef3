/* `rcttop sim`: serves the simulated inverter on a TCP port for tests and for people
 * developing their own tools, or prints its values (--print-values) and exits. */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/sim/sim.h"
#include "proto/codec/value.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/format/args.h"
#include "tui/format/timearg.h"

enum {
    OPT_SEED = 256, OPT_START, OPT_SPEED, OPT_FAULT, OPT_FAULTS_CYCLE, OPT_PAGE_POINTS,
    OPT_PAGE_EVENTS, OPT_BAD_PAGE_AFTER, OPT_CLOCK_OFFSET, OPT_CELL_LOW, OPT_WEAK_CELL, OPT_RISO, OPT_GRID_VOLTAGE, OPT_DEAD_STRING, OPT_STUCK_STRING, OPT_SOC, OPT_CELL_MV, OPT_SILENT_MODULE, OPT_CELL_TEMP, OPT_SOH, OPT_AT, OPT_SCRIPT, OPT_COUNTER_BACK, OPT_GRID_LOSSES, OPT_BROADCAST, OPT_LATENCY, OPT_JITTER, OPT_DROP, OPT_CRC, OPT_TRUNCATE, OPT_NOISE,
    OPT_UNSOLICITED, OPT_FOREIGN, OPT_DISCONNECT, OPT_NIGHT, OPT_UNKNOWN, OPT_ANSWER_ONLY, OPT_MAX_CLIENTS,
    OPT_QUIRKS, OPT_RECORD, OPT_DURATION, OPT_PRINT, OPT_PROFILE, OPT_CLOCK, OPT_ROLE,
};

static void stop_loop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopexit(arg, NULL);
}

static int print_values(struct sim *sim)
{
    static struct rct_value value;
    static uint8_t payload[RCT_STRING_MAX + 8];
    static char text[16384];
    double t = sim_now(sim);
    for (size_t i = 0; i < rct_registry_count(); i++) {
        const struct rct_oid_info *info = rct_registry_at(i);
        size_t len;
        if (info->kind == RCT_KIND_HISTORY ||
            !sim_read_payload(sim, info->oid, t, payload, sizeof payload, &len))
            continue;
        if (rct_value_decode(info->response_type, payload, len, &value) != RCT_VALUE_OK)
            continue;
        rct_value_format(&value, text, sizeof text);
        char safe[sizeof text];
        printf("%s %s\n", info->name, rct_sanitize(text, strlen(text), safe, sizeof safe));
    }
    return CLI_EXIT_OK;
}

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

static const struct option sim_options[] = {
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
    {"unknown-oids", required_argument, NULL, OPT_UNKNOWN},
    {"answer-only", required_argument, NULL, OPT_ANSWER_ONLY},
    {"max-clients", required_argument, NULL, OPT_MAX_CLIENTS},
    {"quirks", required_argument, NULL, OPT_QUIRKS},
    {"record", required_argument, NULL, OPT_RECORD},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"print-values", no_argument, NULL, OPT_PRINT},
    {NULL, 0, NULL, 0},
};

static int cmd_sim(int argc, char **argv)
{
    struct sim_config cfg;
    sim_default_config(&cfg);
    char host[256] = "127.0.0.1";
    uint16_t port = 8899;
    double duration = 0, v;
    bool print = false;
    const char *record = NULL;
    struct sim_quirks *q = &cfg.quirks;
    const char *why;
    optind = 0;
    int c;
    while ((c = cli_getopt("sim", argc, argv, cli_cmd_sim.shortopts, cli_cmd_sim.options)) != -1) {
        switch (c) {
        case 'l':
            if (!args_parse_listen_address(optarg, host, sizeof host, &port, &why))
                return cli_usage_error("sim", "--listen '%s' %s", optarg, why);
            break;
        case 'v': cfg.verbose = true; break;
        case OPT_SEED:
            if (!cli_parse_integer("sim", "--seed", optarg, 0, 4294967295.0, &v)) return 2;
            cfg.seed = (uint32_t)v;
            break;
        case OPT_START: {
            int64_t t;
            if (!timearg_parse(optarg, &t) || t <= 0)
                return cli_usage_error("sim", "--start wants UNIX seconds or an ISO-8601 date, not '%s'", optarg);
            cfg.start_unix = (double)t;
            break;
        }
        case OPT_SPEED:
            if (!cli_parse_number("sim", "--speed", optarg, 0, 100000, &cfg.speed)) return 2;
            break;
        case OPT_FAULT:
            if (!cli_parse_integer("sim", "--fault", optarg, 0, 127, &v)) return 2;
            cfg.faults[(int)v / 32] |= 1u << ((int)v % 32);
            break;
        case OPT_FAULTS_CYCLE:
            if (!cli_parse_number("sim", "--faults-cycle", optarg, 1, 86400, &cfg.faults_cycle_s)) return 2;
            break;
        case OPT_PAGE_POINTS:
            if (!cli_parse_integer("sim", "--page-points", optarg, 1, 250, &v)) return 2;
            cfg.page_points = (unsigned)v;
            break;
        case OPT_PAGE_EVENTS:
            if (!cli_parse_integer("sim", "--page-events", optarg, 1, 100, &v)) return 2;
            cfg.page_events = (unsigned)v;
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
                                  &cfg.cond.cell_low_mv))
                return 2;
            cfg.cond.cell_low_module = (int)m;
            cfg.cond.cell_low_tower = (int)t - 1;
            break;
        }
        case OPT_WEAK_CELL:
            if (!cli_parse_integer("sim", "--weak-cell", optarg, 0, 6, &v)) return 2;
            cfg.cond.weak_cell_module = (int)v;
            break;
        case OPT_RISO:
            if (!cli_parse_number("sim", "--riso", optarg, 0, 1e9, &cfg.cond.riso_ohm)) return 2;
            break;
        case OPT_GRID_VOLTAGE:
            if (!cli_parse_number("sim", "--grid-voltage", optarg, 100, 300, &cfg.cond.grid_voltage)) return 2;
            break;
        case OPT_DEAD_STRING:
            if (strcmp(optarg, "A") && strcmp(optarg, "B"))
                return cli_usage_error("sim", "--dead-string wants A or B");
            cfg.cond.dead_string = optarg[0];
            break;
        case OPT_STUCK_STRING:
            if (strcmp(optarg, "A") && strcmp(optarg, "B"))
                return cli_usage_error("sim", "--stuck-string wants A or B");
            cfg.cond.stuck_string = optarg[0];
            break;
        case OPT_SOC:
            if (!cli_parse_number("sim", "--soc", optarg, 1, 100, &v)) return 2;
            cfg.cond.soc_hold = v / 100.0;
            break;
        case OPT_CELL_MV:
            if (!cli_parse_integer("sim", "--cell-mv", optarg, 1000, 5000, &v)) return 2;
            cfg.cond.cell_mv = (int)v;
            break;
        case OPT_SILENT_MODULE:
            if (!cli_parse_integer("sim", "--silent-module", optarg, 0, 6, &v)) return 2;
            cfg.cond.silent_module = (int)v;
            break;
        case OPT_CELL_TEMP:
            if (!cli_parse_integer("sim", "--cell-temp", optarg, -40, 100, &v)) return 2;
            cfg.cond.cell_temp_set = true;
            cfg.cond.cell_temp_c = (int)v;
            break;
        case OPT_SOH:
            if (!cli_parse_number("sim", "--soh", optarg, 0, 255, &v)) return 2;
            cfg.cond.soh_set = true;
            cfg.cond.soh = v / 100.0;
            break;
        case OPT_AT: {
            char bad[160];
            if (cfg.nactions >= SIM_ACTIONS_MAX)
                return cli_usage_error("sim", "at most %d scheduled actions", SIM_ACTIONS_MAX);
            if (!sim_action_parse(optarg, &cfg.actions[cfg.nactions], bad, sizeof bad))
                return cli_usage_error("sim", "--at: %s", bad);
            cfg.nactions++;
            break;
        }
        case OPT_SCRIPT:
            if (!read_script(optarg, &cfg))
                return 2;
            break;
        case OPT_COUNTER_BACK: cfg.cond.counter_back = true; break;
        case OPT_PROFILE: {
            char bad[200];
            if (!sim_profiles_parse(optarg, &cfg, bad, sizeof bad))
                return cli_usage_error("sim", "--profile: %s", bad);
            break;
        }
        case OPT_CLOCK:
            if (strcmp(optarg, "local") && strcmp(optarg, "utc"))
                return cli_usage_error("sim", "--clock wants local or utc, not '%s'", optarg);
            cfg.clock_local = !strcmp(optarg, "local");
            break;
        case OPT_ROLE:
            if (!sim_role_from_name(optarg, &cfg.plant_role))
                return cli_usage_error("sim", "--role wants standalone, master or slave, not '%s'", optarg);
            break;
        case OPT_BROADCAST: q->broadcast = true; break;
        case OPT_GRID_LOSSES:
            if (!cli_parse_integer("sim", "--grid-losses", optarg, 0, 7, &v)) return 2;
            cfg.cond.grid_losses = (int)v;
            break;
        case OPT_CLOCK_OFFSET:
            if (!cli_parse_number("sim", "--clock-offset", optarg, -31536000, 31536000,
                                  &cfg.clock_offset_s)) return 2;
            break;
        case OPT_BAD_PAGE_AFTER:
            if (!cli_parse_integer("sim", "--bad-page-after", optarg, 1, 1000000, &v)) return 2;
            cfg.bad_page_after = (unsigned)v;
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
        case OPT_NIGHT: q->night = true; break;
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
        case OPT_RECORD: record = optarg; break;
        case OPT_DURATION:
            if (!cli_parse_number("sim", "--duration", optarg, 0.1, 1e7, &duration)) return 2;
            break;
        case OPT_PRINT: print = true; break;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("sim", "unexpected argument '%s'", argv[optind]);

    struct event_base *base = event_base_new();
    if (!base)
        return cli_usage_error("sim", "cannot start the event loop");
    if (record) {
        cfg.record = fopen(record, "ab");
        if (!cfg.record) {
            event_base_free(base);
            return cli_usage_error("sim", "cannot write '%s'", record);
        }
    }
    struct sim *sim = sim_new(base, &cfg);
    int status = CLI_EXIT_OK;
    if (!sim) {
        status = cli_usage_error("sim", "out of memory");
    } else if (print) {
        status = print_values(sim);
    } else {
        uint16_t bound;
        if (!sim_listen(sim, host, port, &bound)) {
            status = cli_usage_error("sim", "cannot listen on %s:%u (in use, or not an address here)",
                                     host, port);
        } else {
            printf("listening on %s:%u\n", host, bound);
            fflush(stdout);
            struct event *sigint = evsignal_new(base, SIGINT, stop_loop, base);
            struct event *sigterm = evsignal_new(base, SIGTERM, stop_loop, base);
            event_add(sigint, NULL);
            event_add(sigterm, NULL);
            struct event *timeout = NULL;
            if (duration > 0) {
                timeout = evtimer_new(base, stop_loop, base);
                struct timeval tv = {(time_t)duration, (suseconds_t)((duration - (double)(time_t)duration) * 1e6)};
                evtimer_add(timeout, &tv);
            }
            signal(SIGPIPE, SIG_IGN);
            event_base_dispatch(base);
            const struct sim_stats *st = sim_stats(sim);
            if (cfg.verbose || st->forbidden_frames)
                fprintf(stderr, "[sim] %llu requests, %llu answers, %llu forbidden frames\n",
                        (unsigned long long)st->requests, (unsigned long long)st->answers,
                        (unsigned long long)st->forbidden_frames);
            if (timeout)
                event_free(timeout);
            event_free(sigint);
            event_free(sigterm);
        }
    }
    sim_free(sim);
    if (cfg.record)
        fclose(cfg.record);
    event_base_free(base);
    return status;
}

const struct cli_command cli_cmd_sim = {
    .name = "sim",
    .summary = "serve a simulated inverter (for tests and tool development)",
    .usage =
        "usage: rcttop sim [--listen HOST:PORT] [OPTIONS]\n"
        "\n"
        "Serves a simulated RCT Power inverter: a plant with sun on two PV strings, a\n"
        "household load, a battery, the grid, energy counters, fault bits, an event log,\n"
        "history for any past time and 24-cell battery modules. Deterministic for a seed.\n"
        "Prints 'listening on HOST:PORT' once ready (port 0 picks a free one).\n"
        "\n"
        "  -l, --listen HOST:PORT  address to serve (default 127.0.0.1:8899)\n"
        "  -v, --verbose           log each request to standard error\n"
        "      --seed N            the simulated site (default 1)\n"
        "      --profile P         the kind of site: storage (default, with a battery),\n"
        "                          inverter (no battery: no battery OID is answered),\n"
        "                          old-firmware (no cells_stat / cells_resist OIDs),\n"
        "                          dual-tower (a second tower in battery_placeholder[0].*),\n"
        "                          single-string (string B never connected);\n"
        "                          old-firmware combines: dual-tower,old-firmware\n"
        "      --clock local|utc   the device keeps local wall time (TZ) written as if UTC,\n"
        "                          with its daylight-saving flag set (default utc)\n"
        "      --role R            the plant role: standalone (default), master, slave\n"
        "      --start T           simulated time at start: UNIX seconds or ISO-8601\n"
        "                          (default now)\n"
        "      --speed X           simulated seconds per real second (default 1; 0 freezes)\n"
        "      --fault BIT         fault bit 0..127 active (repeatable)\n"
        "      --faults-cycle S    fault 16 (battery overcurrent) comes and goes every S s\n"
        "      --page-points N     timeseries points per history answer (default 41)\n"
        "      --page-events N     event rows per history answer (default 10)\n"
        "      --bad-page-after N  history answers after the Nth on a connection are malformed\n"
        "      --clock-offset S    the device clock runs S seconds ahead (negative: behind)\n"
        "      --broadcast         every answer goes to every connected client (real devices)\n"
        "Conditions to diagnose (rcttop check):\n"
        "      --cell-low [TOWER:]MODULE:MV  a cell MV below the others (tower 2 is\n"
        "                          battery_placeholder[0].*)\n"
        "      --cell-mv MV        every cell at MV (3700: overcharged)\n"
        "      --silent-module M   module M keeps its serial, its cells read 0 V\n"
        "      --cell-temp C       every cell at C degrees (-2 is sent as 254)\n"
        "      --weak-cell MODULE  a cell with 3x the resistance\n"
        "      --soc PCT           the battery held idle at PCT (50: the flat of the curve)\n"
        "      --soh PCT           battery.soh held at PCT (0: not measured yet)\n"
        "      --riso OHM          insulation (r_min is 100 kOhm; 0: not measured yet)\n"
        "      --grid-voltage V    L1 held at V (limits 195.5..253 V slow, 184..264.5 V fast)\n"
        "      --dead-string A|B   that string near 0 V, no power (broken or not connected)\n"
        "      --stuck-string A|B  that string sees light and gives no power (tracker)\n"
        "      --counter-back      energy.e_ac_total runs backwards\n"
        "      --grid-losses N     grid losses in the last week\n"
        "      also --foreign P, --fault BIT, --clock-offset S, --start T (dawn, winter)\n"
        "Changes on a schedule (seconds after the start), for alerts and `rcttop watch`:\n"
        "      --at T:WHAT         fault=BIT, clear=BIT, silent (stop answering), answer,\n"
        "                          cell-low=[TOWER:]MODULE:MV, cell-ok, soc=PCT (repeatable)\n"
        "      --script FILE       one 'T WHAT' a line, '#' comments\n"
        "      --print-values      print every OID's value at the start time and exit\n"
        "      --record FILE       append every byte clients send to FILE\n"
        "      --duration S        stop after S seconds\n"
        "\n"
        "Quirks of real devices, each off by default:\n"
        "      --latency MS        answer delay\n"
        "      --jitter MS         plus up to MS random delay\n"
        "      --drop P            probability an answer never comes\n"
        "      --crc-errors P      probability an answer has a wrong CRC\n"
        "      --truncate          a request arriving during an answer's latency cuts that\n"
        "                          answer short (with a valid CRC), as devices do\n"
        "      --noise P           probability of junk, 0x00, AT+\\r or 2b 3c e1 before answers\n"
        "      --unsolicited S     a net.package WRITE frame every S seconds\n"
        "      --foreign P         probability of an extra answer meant for another client\n"
        "      --disconnect-every S  drop each connection after S seconds\n"
        "      --night             a PV-only unit: silent while the simulated sun is down\n"
        "      --unknown-oids P    fraction of OIDs this firmware does not answer\n"
        "      --answer-only NAMES  answers reads of these OIDs only (comma-separated), and\n"
        "                          every history query; 'minimal': a dozen live values, not\n"
        "                          even the serial or the clock (a gateway in front of one)\n"
        "      --max-clients N     further connections are closed at once\n"
        "      --quirks all        all of the above at moderate rates (night excepted)\n"
        "\n"
        "The simulator never changes state for a write; it reports any frame a read-only\n"
        "client should never send as FORBIDDEN on standard error.\n"
        "\n"
        "example: rcttop sim --listen 127.0.0.1:8899 --quirks all --fault 16 -v\n",
    .options = sim_options,
    .shortopts = "l:v",
    .run = cmd_sim,
};
