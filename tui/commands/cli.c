/* The command table: each command lives in its own tui/commands/cmd_*.c; adding one is
 * a line in the table below (its name, summary and usage, shown by `rcttop help`). */
#include "tui/commands/cli.h"
#include "proto/core/version.h"

#include <stdlib.h>
#include <string.h>

int cmd_monitor(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_faults(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_completion(int argc, char **argv);

#define DEVICE_OPTIONS_HELP                                                          \
    "  -H, --host HOST[:PORT]  the inverter (default: the configuration's default device,\n" \
    "                          else 127.0.0.1; port 8899)\n"                       \
    "      --device NAME       a [device:NAME] section of the configuration\n"      \
    "      --config FILE       configuration file (default\n"                       \
    "                          $XDG_CONFIG_HOME/rcttop/config.ini, if there is one)\n" \
    "      --clock MODE        device timestamps are auto (default: local time when its\n" \
    "                          daylight-saving flag is set), utc, or local (this TZ)\n" \
    "  -P, -p, --port PORT     TCP port (default 8899)\n"                            \
    "  -r, --rate N            requests per second, 0.1..10000 (default 4: about what\n" \
    "                          real devices sustain; much more makes them drop answers)\n" \
    "  -t, --timeout S         seconds to wait for an answer or a connection (default 2;\n" \
    "                          for check the whole run); --answer-timeout S the same\n" \
    "      --retries N         further attempts per OID (default 3)\n"               \
    "  -f, --format FMT        text (default), csv, or json (JSON Lines)\n"          \
    "  -v, --verbose           log every frame sent and received to standard error\n"  \
    "      --listen-only       get, dump: send nothing; keep what other clients' answers\n" \
    "                          bring (the device copies every answer to every client)\n" \
    "      --wait S            with --listen-only: listen this long (default 30)\n"   \
    "      --record FILE       write every byte both ways, timed (rcttop decode FILE)\n" \
    "      --record-max MB     stop recording past this size\n"                   \
    "      --force             --record may replace an existing file (never a link)\n" \
    "      --replay FILE       get, dump, faults: the values in a recording, not a device\n" \
    "\n"                                                                           \
    "A device that cannot be reached, or that connects but never answers, gives one\n" \
    "line on stderr naming host:port and the cause (the resolver's message, refused,\n" \
    "no answer to N attempts in T s) and exit 2; Ctrl-C prints only what was read,\n" \
    "one summary line, and exits 130 (a hang-up 129, SIGTERM 143); a closed pipe\n"   \
    "(| head) stops the reading at once.\n"

#define WALK_OPTIONS_HELP                                                            \
    "      --max-pages N       stop after N answer pages (default 1000)\n"           \
    "      --max-time S        stop after S seconds (default 300)\n"                 \
    "\n"                                                                           \
    "A walk that stops early (the device stops answering, sends a page that does not\n" \
    "decode, or a budget runs out) still prints what it read, says why on standard\n" \
    "error and exits 1. Exit status: 0 the whole range was read, 1 partial, 2 nothing\n" \
    "could be read, 130 interrupted. A long walk shows how far back it is on stderr.\n\n"

static const struct cli_command commands[] = {
    {"monitor", "the interactive monitor (also what plain 'rcttop' runs)",
     "usage: rcttop [monitor] [--host HOST[:PORT] | --device NAME | --demo] [OPTIONS]\n"
     "\n"
     "The interactive monitor. Without --host, --device or a default device in the\n"
     "configuration it runs the built-in simulated inverter (marked DEMO).\n"
     "\n"
     "  -H, --host HOST[:PORT]  the inverter (port 8899 by default)\n"
     "      --device NAME       a [device:NAME] section of the configuration\n"
     "      --demo              the built-in simulated inverter\n"
     "      --config FILE       configuration file (default\n"
     "                          $XDG_CONFIG_HOME/rcttop/config.ini or ~/.config/rcttop/config.ini)\n"
     "      --clock MODE        device timestamps: auto (default), utc, or local (this TZ)\n"
     "      --theme NAME        default, light, monochrome, colorblind, or a theme file\n"
     "      --ascii             ASCII glyphs only (automatic outside UTF-8 locales)\n"
     "      --mouse, --no-mouse the mouse: click a tab or a row, the wheel scrolls (on by\n"
     "                          default, like htop; hold Shift to select text)\n"
     "      --listen-only       send nothing: show what other clients' answers bring\n"
     "      --on-alert CMD      run CMD for each alert, as `rcttop watch` (see help watch)\n"
     "      --bell              ring the terminal bell once per alert into warning or\n"
     "                          critical ([alerts] bell)\n"
     "      --record FILE       write every byte both ways, timed (rcttop decode FILE)\n"
     "      --record-max MB     stop recording past this size\n"
     "      --force             --record may replace an existing file (never a link)\n"
     "  -r, --rate N            requests per second, 0.1..10000 (default 4: about what\n"
     "                          real devices sustain)\n"
     "  -t, --timeout S         seconds to wait for an answer (default 2)\n"
     "      --retries N         further attempts per request (default 3)\n"
     "      --print-sample-config  print a commented configuration file and exit\n"
     "\n"
     "Keys: 1 Dashboard, 2 Values, 3 Faults, 4 Events, 5 History, 6 Battery, 7 Device,\n"
     "8 Link, 9 Health; Tab/Shift-Tab next/previous pane, ? h F1 help, p pause, t theme,\n"
     "s snapshot, r reconnect now, Ctrl-L repaint, q F10 quit; / filters the list on\n"
     "Values, Faults, Events, Device, Link and Health. Values: k kind filter, Enter detail,\n"
     "Space open/close a group. Events: End loads older, Enter shows one. History:\n"
     "Left/Right or [ ], d m y, g go to a date, T today. Link: arrows scroll, Enter\n"
     "shows a frame, f freeze, w write the log to a file. Health: Enter shows the\n"
     "evidence.\n"
     "\n"
     "The monitor keeps the last 15 minutes of traffic in memory: s writes them beside\n"
     "the snapshot as a recording (rcttop replay FILE shows it again, rcttop decode FILE\n"
     "lists its frames).\n"
     "\n"
     "NO_COLOR in the environment turns colours off. rcttop never writes to the device.\n",
     cmd_monitor},
    {"replay", "the monitor fed from a recording (--record, or one a snapshot wrote)",
     "usage: rcttop replay FILE [--speed X] [--at TIME] [--paused] [OPTIONS]\n"
     "\n"
     "Shows a recording in the monitor, without a network: every pane as it was live,\n"
     "on the recorded clock (values, staleness, faults, findings, the Link pane), and\n"
     "the event log and history pages as far as they were read while recording. The\n"
     "status bar says REPLAY with the recorded time, the speed and the position.\n"
     "\n"
     "      --speed X           0.25 .. 64 times as fast as recorded (default 1)\n"
     "      --at TIME           start at this recorded time (HH:MM[:SS], YYYY-MM-DD HH:MM,\n"
     "                          start, end)\n"
     "      --paused            start paused\n"
     "      --config FILE, --theme NAME, --ascii, --mouse   as for the monitor\n"
     "\n"
     "Keys: Space or p pause/play, Left/Right one step back/forward (a twentieth of the\n"
     "recording, 1 s to 1 min), Shift-Left/Right or < > ten steps, + - speed, g go to a\n"
     "time (also 'start', 'end'); the panes'\n"
     "own keys otherwise (Values groups open with Enter, History steps with [ ]).\n"
     "A seek backwards starts over from the beginning and plays up to the time, so what\n"
     "is shown is always what the monitor knew then.\n",
     cmd_replay},
    {"decode", "decode frames from a hex dump, a binary capture, a recording or a pcap",
     "usage: rcttop decode [--format text|json] [--binary] [--stats] [--port N] [FILE]\n"
     "\n"
     "Reads a hex dump (any whitespace, optional 0x, ':' or '-' separators, several\n"
     "lines) or raw bytes (--binary) from FILE or standard input, and prints every frame:\n"
     "command, OID, name, plant address, payload, decoded value with unit, and errors\n"
     "(a CRC mismatch shows both CRCs). Noise between frames is skipped.\n"
     "\n"
     "An rcttop recording (--record) is recognised too, and so is a pcap or pcapng\n"
     "FILE (tcpdump, Wireshark): the TCP\n"
     "traffic to and from the device's port is reassembled per connection and direction\n"
     "(retransmissions dropped, lost segments noted on stderr) and every frame printed\n"
     "with its time, connection and direction (JSON: keys time, direction, stream).\n"
     "\n"
     "  -f, --format FMT  text (default) or json (JSON Lines, one object per frame)\n"
     "  -b, --binary      input is raw bytes, not hex\n"
     "  -s, --stats       print only totals: bytes, frames by command, errors, noise\n"
     "  -p, --port N      captures: the device's TCP port (default 8899)\n"
     "\n"
     "Exit status: 0 read to the end, 1 a recording or capture damaged part-way (the\n"
     "frames before the damage are printed), 2 nothing readable or bad usage.\n"
     "\n"
     "example: echo 2b0508959930bf3e97b1919c86 | rcttop decode\n",
     cmd_decode},
    {"list", "list the OID registry, filtered",
     "usage: rcttop list [PATTERN] [--kind K] [--group G] [--format text|csv|json]\n"
     "\n"
     "Lists the OIDs rcttop knows. PATTERN matches a substring of the name or label,\n"
     "case-insensitively. K is measurement, setting, identity or history.\n"
     "\n"
     "  -k, --kind K      only OIDs of that kind\n"
     "  -g, --group G     only OIDs of that group (e.g. battery)\n"
     "  -f, --format FMT  text (default), csv or json (JSON Lines)\n"
     "\n"
     "example: rcttop list soc --kind setting\n",
     cmd_list},
    {"sim", "serve a simulated inverter (for tests and tool development)",
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
     "                          single-string (string B never connected)\n"
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
     "      --max-clients N     further connections are closed at once\n"
     "      --quirks all        all of the above at moderate rates (night excepted)\n"
     "\n"
     "The simulator never changes state for a write; it reports any frame a read-only\n"
     "client should never send as FORBIDDEN on standard error.\n"
     "\n"
     "example: rcttop sim --listen 127.0.0.1:8899 --quirks all --fault 16 -v\n",
     cmd_sim},
    {"get", "read OIDs once and print them",
     "usage: rcttop get NAME|0xOID... [OPTIONS]\n"
     "\n"
     "Reads each OID once, in the order given, and prints value, unit and age.\n"
     "Exit status: 0 all read, 1 some did not answer, 2 the device could not be reached.\n"
     "\n" DEVICE_OPTIONS_HELP
     "\n"
     "example: rcttop get battery.soc g_sync.p_ac_grid_sum_lp --host 192.168.1.50\n",
     cmd_get},
    {"dump", "read every OID (or a group or kind) once",
     "usage: rcttop dump [--group G] [--kind K] [OPTIONS]\n"
     "\n"
     "Reads every registry OID once (history series excepted: see 'history', 'events'),\n"
     "with a progress bar on standard error when it is a terminal, and lists the OIDs\n"
     "that never answered at the end. At the default rate a full dump takes ~4 minutes.\n"
     "\n"
     "  -g, --group G           only OIDs of that group (e.g. battery)\n"
     "  -k, --kind K            measurement, setting or identity\n"
     DEVICE_OPTIONS_HELP
     "\n"
     "example: rcttop dump --group battery --format csv > battery.csv\n",
     cmd_dump},
    {"faults", "show active faults (exit 0 none, 1 active, 2 unreadable)",
     "usage: rcttop faults [OPTIONS]\n"
     "\n"
     "Reads fault[0..3].flt (128 fault bits) and prints each active fault with its label.\n"
     "Exit status: 0 no active faults, 1 active faults, 2 the device could not be read,\n"
     "for scripts and monitoring.\n"
     "\n" DEVICE_OPTIONS_HELP,
     cmd_faults},
    {"events", "the device's event log, newest first",
     "usage: rcttop events [--since T] [--until T] [OPTIONS]\n"
     "\n"
     "Pages the device's event table backwards and prints each entry decoded by type:\n"
     "ranged events with end and duration, parameter changes with the OID's name and\n"
     "old -> new value, updates with versions, unknown types raw. T is UNIX seconds, an\n"
     "ISO-8601 date or datetime (local time unless it ends in Z or an offset), or a time\n"
     "ago: -30min, -2h, -1d, -1w. Default: everything the device has.\n"
     "\n"
     "      --since T           oldest entry to show\n"
     "      --until T           newest entry to show (default now)\n"
     WALK_OPTIONS_HELP DEVICE_OPTIONS_HELP,
     cmd_events},
    {"history", "a logger series from the device's own history",
     "usage: rcttop history SERIES [--since T] [--until T] [OPTIONS]\n"
     "\n"
     "Prints one line per stored point of SERIES (a logger OID, see\n"
     "'rcttop list --kind history'), oldest first, without duplicates. T as for 'events'.\n"
     "Default range: the last 24 hours.\n"
     "\n"
     "      --since T           start of the range\n"
     "      --until T           end of the range (default now)\n"
     WALK_OPTIONS_HELP DEVICE_OPTIONS_HELP
     "\n"
     "example: rcttop history logger.minutes_soc_log_ts --since 2026-06-21 --format csv\n",
     cmd_history},
    {"watch", "alerts as JSON Lines: faults, findings, offline, SOC; a hook per alert",
     "usage: rcttop watch [-H HOST[:PORT] | --device NAME] [--samples S] [--on-alert CMD]\n"
     "                    [--listen-only] [--replay FILE] [OPTIONS]\n"
     "\n"
     "Polls like the monitor (the same rate, honest state and rules) and writes one JSON\n"
     "object a line to stdout for every alert as it fires and as it resolves:\n"
     "  {\"time\", \"type\":\"event\", \"event\", \"state\":\"firing\"|\"resolved\", \"severity\",\n"
     "   \"key\", \"message\", \"value\", \"since\", \"duration_s\" (resolved), \"device\",\n"
     "   \"fault\" | \"rule\" | \"cause\"}\n"
     "Events: fault (a fault bit raised or cleared), finding (a diagnosis rule at warning or\n"
     "critical), offline (with the cause; info inside [alerts] expected_offline), soc_low\n"
     "([alerts] soc_below/soc_above), tower_missing. Each fires once, after [alerts] hold\n"
     "seconds (10), never on one bad read; what is not known (fault words of a device that\n"
     "went silent) is never taken as cleared.\n"
     "\n"
     "      --samples S         also a line of the main figures every S seconds\n"
     "                          ({\"type\":\"sample\", \"online\", \"soc\", \"pv_w\", ...})\n"
     "      --on-alert CMD      run CMD (a program and its arguments, no shell) for each\n"
     "                          event: RCTTOP_EVENT, _STATE, _SEVERITY, _KEY, _MESSAGE,\n"
     "                          _HOST, _LABEL, _SERIAL, _VALUE, _SINCE, _TIME, _DURATION in\n"
     "                          its environment, the JSON line on its stdin; one at a time\n"
     "                          per kind of event, killed after [alerts] hook_timeout (30 s)\n"
     DEVICE_OPTIONS_HELP
     "\n"
     "With --listen-only nothing is sent (the answers other clients get are judged); with\n"
     "--replay FILE a recording becomes the events it contained, as fast as it is read.\n"
     "Exit status: 0 after Ctrl-C or SIGTERM, 2 when the device was never reachable.\n"
     "\n"
     "example: rcttop watch --host 192.168.1.50 | jq -r 'select(.type==\"event\") | .message'\n",
     cmd_watch},
    {"check", "diagnose a site: verdicts with evidence, Monitoring Plugins exit codes",
     "usage: rcttop check [-H HOST[:PORT] [-p PORT] | --device NAME] [-t SECONDS]\n"
     "                    [-w LABEL=RANGE,...] [-c LABEL=RANGE,...] [--only ID,...]\n"
     "                    [--skip ID,...] [--format text|json] [OPTIONS]\n"
     "\n"
     "Reads what the diagnosis rules need at the polite rate over one connection (about\n"
     "70 values and a week of the event log; 16-21 s at 4 requests/s) and prints the\n"
     "findings, worst first. The first line is 'RCT <STATUS> - summary | perfdata', so it\n"
     "drops into Nagios, Icinga or Checkmk; the reason for an UNKNOWN is always on it.\n"
     "One check per device at a time: a second one waits up to a third of its -t, then\n"
     "says another check is running. Energy totals are kept per serial in\n"
     "$XDG_STATE_HOME/rcttop/ so a counter reset between two checks is found.\n"
     "\n"
     "Rules: faults, battery.soh, battery.cells, battery.temperature, battery.resistance,\n"
     "battery.modules, battery.history, insulation, grid.voltage, grid.frequency,\n"
     "pv.strings, clock, events, energy.counters, link. A rule whose inputs the device\n"
     "does not answer says 'info: not available'. Limits: [check] in the configuration\n"
     "(rcttop monitor --print-sample-config lists them with their defaults).\n"
     "\n"
     "  -t, --timeout S         the whole check, connecting included (default 45; [check]\n"
     "                          timeout); --answer-timeout S is per answer (default 2)\n"
     "  -w, --warning L=R,...   a warning when figure L is outside Nagios range R\n"
     "  -c, --critical L=R,...  the same, critical (R: 10, 10:, ~:10, 10:20, @10:20)\n"
     "                          figures: soc, soh, battery_power, cell_min, cell_max,\n"
     "                          cell_spread, cell_temp_min, cell_temp_max, riso, grid_l1..3,\n"
     "                          grid_f, pv_a, pv_b, pv_a_voltage, pv_b_voltage, energy_*,\n"
     "                          clock_offset, rtt (e.g. -w soc=20: -c soc=10:)\n"
     "      --only ID,...       only these rules (whole id segments: battery, grid)\n"
     "      --skip ID,...       switch rules or single findings off (events,faults.bit105);\n"
     "                          also [check] skip\n"
     "  -p, --port PORT         TCP port (as -P)\n"
     "  -V, --version           the version\n"
     DEVICE_OPTIONS_HELP
     "\n"
     "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad usage or configuration,\n"
     "device unreachable or silent, the time budget ran out before the fault words were\n"
     "read, the fault words unreadable, another check of the device running).\n",
     cmd_check},
    {"completion", "shell completion for bash or zsh: commands, options, OID names",
     "usage: rcttop completion bash|zsh\n"
     "\n"
     "Prints the completion script for the shell. It holds no lists: at each Tab it asks\n"
     "this rcttop, which answers from its own tables (commands, each command's options,\n"
     "OID names for get and history, groups, kinds, formats, themes, simulator profiles,\n"
     "the devices of the configuration). The Debian package installs both scripts.\n"
     "\n"
     "  bash: source <(rcttop completion bash)      (or put it in\n"
     "        ~/.local/share/bash-completion/completions/rcttop)\n"
     "  zsh:  rcttop completion zsh > ~/.zfunc/_rcttop   (with ~/.zfunc in fpath)\n"
     "\n"
     "example: rcttop get battery.s<Tab>\n",
     cmd_completion},
};

const struct cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

size_t cli_command_count(void)
{
    return sizeof commands / sizeof commands[0];
}

const struct cli_command *cli_command_at(size_t index)
{
    return index < cli_command_count() ? &commands[index] : NULL;
}

void cli_print_main_help(FILE *out)
{
    fprintf(out,
            "rcttop %s: a read-only monitor and diagnosis tool for RCT Power inverters\n"
            "\n"
            "usage: rcttop [OPTIONS]              interactive monitor\n"
            "       rcttop COMMAND [OPTIONS]      one-shot command\n"
            "       rcttop help COMMAND           help for one command\n"
            "\n"
            "commands:\n",
            rct_version());
    for (size_t i = 0; i < cli_command_count(); i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "monitor options (all of them: rcttop help monitor):\n"
            "  -H, --host HOST[:PORT]  the inverter (port 8899 by default)\n"
            "      --device NAME       a [device:NAME] section of the configuration\n"
            "      --demo              the built-in simulated inverter (the default without a\n"
            "                          device)\n"
            "      --config FILE       configuration file\n"
            "  -r, --rate N            requests per second (default 4)\n"
            "      --record FILE       record every byte both ways\n"
            "      --version           the version\n"
            "\n"
            "rcttop never writes to the inverter: the only frames it sends are reads and\n"
            "history queries.\n");
}
