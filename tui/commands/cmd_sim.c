/* `rcttop sim`: serves the simulated inverter on a TCP port for tests and for people
 * developing their own tools, or prints its values (--print-values) and exits. */
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/sim/sim.h"
#include "proto/codec/value.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/commands/sim_args.h"

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

/* One simulated unit: its options, the simulator and where it listens. */
struct unit {
    struct sim_args args;
    struct sim *sim;
    uint16_t port;
};

static const char *role_of(const struct unit *u)
{
    const char *role = sim_role_name((size_t)u->args.cfg.plant_role);
    return role ? role : "?";
}

static void free_units(struct unit *units, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sim_free(units[i].sim);
        if (units[i].args.cfg.record)
            fclose(units[i].args.cfg.record);
    }
    free(units);
}

/* Each unit's configuration: the options as given, or with --plant one a profile. */
static int configure(int argc, char **argv, const struct sim_args *global, struct unit *units,
                     size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!global->nunits) {
            units[i].args = *global;
            continue;
        }
        sim_args_defaults(&units[i].args);
        int status = sim_args_unit(argc, argv, i + 1, &units[i].args);
        if (status)
            return status;
    }
    for (size_t i = 0; i < n; i++) {
        const char *record = units[i].args.record;
        if (record && !(units[i].args.cfg.record = fopen(record, "ab")))
            return cli_usage_error("sim", "cannot write '%s'", record);
    }
    return 0;
}

static bool start_units(struct event_base *base, struct unit *units, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!(units[i].sim = sim_new(base, &units[i].args.cfg)))
            return false;
        if (n > 1)
            sim_set_unit_number(units[i].sim, (uint32_t)(i + 1));
        if (i > 0 && !sim_plant_join(units[0].sim, units[i].sim))
            return false;
    }
    return true;
}

static int print_units(const struct sim_args *global, struct unit *units, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (global->nunits) {
            /* The addresses the units would serve, as --listen gives them. */
            sim_set_address(units[i].sim, global->host,
                            global->port ? (uint16_t)(global->port + i) : 0);
            printf("# unit %zu: %s, %s\n", i + 1, global->unit_names[i], role_of(&units[i]));
        }
        print_values(units[i].sim);
    }
    return CLI_EXIT_OK;
}

static int listen_units(const struct sim_args *global, struct unit *units, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint16_t want = global->port ? (uint16_t)(global->port + i) : 0;
        if (!sim_listen(units[i].sim, global->host, want, &units[i].port))
            return cli_usage_error("sim", "cannot listen on %s:%u (in use, or not an address here)",
                                   global->host, want);
    }
    /* Only once every unit listens, so a script may connect to any it reads. */
    for (size_t i = 0; i < n; i++) {
        if (global->nunits)
            printf("listening on %s:%u (unit %zu: %s, %s)\n", global->host, units[i].port, i + 1,
                   global->unit_names[i], role_of(&units[i]));
        else
            printf("listening on %s:%u\n", global->host, units[i].port);
    }
    fflush(stdout);
    return 0;
}

static void serve(struct event_base *base, const struct sim_args *global, struct unit *units,
                  size_t n)
{
    struct event *sigint = evsignal_new(base, SIGINT, stop_loop, base);
    struct event *sigterm = evsignal_new(base, SIGTERM, stop_loop, base);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    struct event *timeout = NULL;
    double duration = global->duration;
    if (duration > 0) {
        timeout = evtimer_new(base, stop_loop, base);
        struct timeval tv = {(time_t)duration, (suseconds_t)((duration - (double)(time_t)duration) * 1e6)};
        evtimer_add(timeout, &tv);
    }
    signal(SIGPIPE, SIG_IGN);
    event_base_dispatch(base);
    for (size_t i = 0; i < n; i++) {
        const struct sim_stats *st = sim_stats(units[i].sim);
        if (global->cfg.verbose || st->forbidden_frames)
            fprintf(stderr, "[sim] %s%zu%s%llu requests, %llu answers, %llu forbidden frames\n",
                    n > 1 ? "unit " : "", i + 1, n > 1 ? ": " : "", (unsigned long long)st->requests,
                    (unsigned long long)st->answers, (unsigned long long)st->forbidden_frames);
    }
    if (timeout)
        event_free(timeout);
    event_free(sigint);
    event_free(sigterm);
}

static int cmd_sim(int argc, char **argv)
{
    struct sim_args global;
    sim_args_defaults(&global);
    int status = sim_args_parse(argc, argv, &global);
    if (status)
        return status;
    if (!global.nunits && global.nunit_options)
        return cli_usage_error("sim", "--unit N:OPTION is for the units of a --plant");
    size_t n = global.nunits ? global.nunits : 1;
    if (global.port && global.port + n - 1 > 65535)
        return cli_usage_error("sim", "--listen: %zu consecutive ports do not fit from %u", n, global.port);
    struct unit *units = calloc(n, sizeof *units);
    if (!units)
        return cli_usage_error("sim", "out of memory");
    struct event_base *base = NULL;
    status = configure(argc, argv, &global, units, n);
    if (!status && !(base = event_base_new()))
        status = cli_usage_error("sim", "cannot start the event loop");
    if (!status && !start_units(base, units, n))
        status = cli_usage_error("sim", "out of memory");
    if (!status && global.print)
        status = print_units(&global, units, n);
    else if (!status && !(status = listen_units(&global, units, n)))
        serve(base, &global, units, n);
    free_units(units, n);
    if (base)
        event_base_free(base);
    return status;
}

const struct cli_command cli_cmd_sim = {
    .name = "sim",
    .summary = "serve a simulated inverter (for tests and tool development)",
    .usage =
        "usage: rcttop sim [--listen HOST:PORT] [OPTIONS]\n"
        "       rcttop sim --plant LIST [--unit N:OPTION[=VALUE]]... [OPTIONS]\n"
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
        "                          storage-ac (a Power Storage AC: battery, no PV strings);\n"
        "                          old-firmware combines: dual-tower,old-firmware\n"
        "      --clock local|utc   the device keeps local wall time (TZ) written as if UTC,\n"
        "                          with its daylight-saving flag set (default utc)\n"
        "      --role R            the plant role: standalone (default), master, slave\n"
        "A plant of several units on one event loop:\n"
        "      --plant LIST        one unit a profile, the first the master ('master': the\n"
        "                          storage system with the grid meter), the others its\n"
        "                          slaves; '+' combines (dual-tower+old-firmware). Ports\n"
        "                          follow on from --listen's (port 0: each a free one); one\n"
        "                          line a unit once all listen:\n"
        "                          'listening on HOST:PORT (unit N: PROFILE, ROLE)'.\n"
        "                          Slaves name the master in wifi.sockb_ip/sockb_port; the\n"
        "                          master serves net.n_slaves, net.slave_data (108 bytes a\n"
        "                          slave) and io_board.s0_external_power, the slaves'\n"
        "                          signed AC sum at the same time (energy.e_ext_*); its\n"
        "                          grid is house - own AC - S0. Unit N's seed is\n"
        "                          --seed + N - 1. A PV-only (inverter) slave sleeps at\n"
        "                          night: silent while its PV gives nothing (--no-night:\n"
        "                          awake)\n"
        "      --unit N:OPTION     any option above or below for unit N only (repeatable),\n"
        "                          e.g. --unit 2:--drop=0.3, --unit 3:--fault=16; take a\n"
        "                          unit down with --unit N:--at=T:silent (and T:answer)\n"
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
        "      --night             a PV-only unit: silent while its PV gives nothing (night);\n"
        "                          --no-night: never (the default but for PV-only slaves)\n"
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
        "example: rcttop sim --listen 127.0.0.1:8899 --quirks all --fault 16 -v\n"
        "         rcttop sim --plant master,inverter,storage-ac --listen 127.0.0.1:8899 \\\n"
        "             --unit 2:--drop=0.3\n",
    .options = sim_args_options,
    .shortopts = SIM_ARGS_SHORTOPTS,
    .run = cmd_sim,
};
