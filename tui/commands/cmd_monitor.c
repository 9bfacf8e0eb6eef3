/* `rcttop` with no command: the interactive monitor. Resolves the device (--host,
 * --device, the config's default, else the built-in demo), checks the terminal before
 * touching it, and hands over to the app. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <term.h>
#include <unistd.h>

#include "proto/capture/record.h"
#include "tui/monitor/app.h"
#include "tui/monitor/loop.h"
#include "tui/panes/panes.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/format/args.h"
#include "tui/config/config.h"
#include "tui/config/units.h"
#include "tui/monitor/replay_driver.h"
#include "tui/format/timearg.h"

enum { OPT_DEMO = 3000, OPT_CONFIG, OPT_THEME, OPT_ASCII, OPT_MOUSE, OPT_NO_MOUSE, OPT_DEVICE, OPT_SAMPLE, OPT_RETRIES, OPT_LISTEN_ONLY, OPT_RECORD, OPT_RECORD_MAX, OPT_CLOCK, OPT_ON_ALERT, OPT_BELL, OPT_FORCE, OPT_PLANT };

/* A terminal we can drive: known to terminfo and able to address the cursor. */
static bool terminal_usable(char *why, size_t cap)
{
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        snprintf(why, cap, "standard input and output must be a terminal");
        return false;
    }
    const char *term = getenv("TERM");
    int err = 0;
    if (!term || !*term || setupterm(NULL, STDOUT_FILENO, &err) != OK) {
        snprintf(why, cap, "the terminal type '%s' is unknown here (TERM is %s)",
                 term ? term : "", err == -1 ? "set but there is no terminfo database" : "not in terminfo");
        return false;
    }
    char *cup = tigetstr("cup");
    bool ok = cup && cup != (char *)-1;
    if (!ok)
        snprintf(why, cap, "the terminal type '%s' cannot move the cursor", term);
    del_curterm(cur_term);
    return ok;
}

/* The monitor's options as the configuration file sets them; false after saying why. */
static bool options_from_config(struct app_options *o, const char *config_path)
{
    memset(o, 0, sizeof *o);
    config_defaults(&o->cfg);
    char err[1200];
    if (!config_load(&o->cfg, config_path, err, sizeof err)) {
        fprintf(stderr, "rcttop: %s\n", err);
        return false;
    }
    o->rate = o->cfg.rate;
    o->timeout = o->cfg.timeout;
    o->retries = o->cfg.retries;
    snprintf(o->theme, sizeof o->theme, "%s", o->cfg.theme);
    o->ascii = o->cfg.ascii;
    o->mouse = o->cfg.mouse;
    devclock_mode_from_name(o->cfg.clock, &o->clock_mode);
    return true;
}

static const struct option monitor_options[] = {
    {"host", required_argument, NULL, 'H'},
    {"port", required_argument, NULL, 'P'},
    {"device", required_argument, NULL, OPT_DEVICE},
    {"plant", required_argument, NULL, OPT_PLANT},
    {"demo", no_argument, NULL, OPT_DEMO},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"theme", required_argument, NULL, OPT_THEME},
    {"ascii", no_argument, NULL, OPT_ASCII},
    {"mouse", no_argument, NULL, OPT_MOUSE},
    {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
    {"listen-only", no_argument, NULL, OPT_LISTEN_ONLY},
    {"record", required_argument, NULL, OPT_RECORD},
    {"record-max", required_argument, NULL, OPT_RECORD_MAX},
    {"rate", required_argument, NULL, 'r'},
    {"timeout", required_argument, NULL, 't'},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"print-sample-config", no_argument, NULL, OPT_SAMPLE},
    {"clock", required_argument, NULL, OPT_CLOCK},
    {"on-alert", required_argument, NULL, OPT_ON_ALERT},
    {"bell", no_argument, NULL, OPT_BELL},
    {"force", no_argument, NULL, OPT_FORCE},
    {NULL, 0, NULL, 0},
};

static int cmd_monitor(int argc, char **argv)
{
    const char *config_path = NULL, *device = NULL, *host = NULL, *theme = NULL, *plant = NULL;
    const char *hosts[CONFIG_PLANT_UNITS_MAX + 1];
    size_t nhosts = 0;
    bool demo = false, ascii = false, listen_only = false, ring_bell = false, force = false;
    const char *on_alert = NULL;
    int mouse = -1;
    const char *record = NULL, *clock = NULL;
    double record_max = 0;
    double rate = -1, timeout = -1, retries = -1, port = -1;
    optind = 0;
    int c;
    while ((c = cli_getopt("", argc, argv, cli_cmd_monitor.shortopts,
                           cli_cmd_monitor.options)) != -1) {
        switch (c) {
        case 'H':
            if (nhosts == CONFIG_PLANT_UNITS_MAX)
                return cli_usage_error("", "at most %d units (--host given more often)",
                                       CONFIG_PLANT_UNITS_MAX);
            host = hosts[nhosts++] = optarg;
            break;
        case OPT_PLANT: plant = optarg; break;
        case 'P': if (!cli_parse_integer("", "--port", optarg, 1, 65535, &port)) return 2; break;
        case OPT_DEVICE: device = optarg; break;
        case OPT_DEMO: demo = true; break;
        case OPT_CONFIG: config_path = optarg; break;
        case OPT_THEME: theme = optarg; break;
        case OPT_ASCII: ascii = true; break;
        case OPT_MOUSE: mouse = 1; break;
        case OPT_NO_MOUSE: mouse = 0; break;
        case OPT_LISTEN_ONLY: listen_only = true; break;
        case OPT_RECORD: record = optarg; break;
        case OPT_RECORD_MAX: if (!cli_parse_number("", "--record-max", optarg, 0.01, 1e6, &record_max)) return 2; break;
        case 'r': if (!cli_parse_setting("", "--rate", "general", "rate", optarg, &rate)) return 2; break;
        case 't': if (!cli_parse_setting("", "--timeout", "general", "timeout", optarg, &timeout)) return 2; break;
        case OPT_RETRIES: if (!cli_parse_setting("", "--retries", "general", "retries", optarg, &retries)) return 2; break;
        case OPT_SAMPLE: config_write_sample(stdout); return 0;
        case OPT_CLOCK: clock = optarg; break;
        case OPT_ON_ALERT: on_alert = optarg; break;
        case OPT_BELL: ring_bell = true; break;
        case OPT_FORCE: force = true; break;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "rcttop: unknown command '%s' (try 'rcttop --help')\n", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    static struct app_options o;  /* large, once per process: not on the stack */
    if (!options_from_config(&o, config_path))
        return CLI_EXIT_USAGE;
    o.port = 8899;
    if (plant && (device || host || demo))
        return cli_usage_error("", "--plant names its units: not with --host, --device or --demo");
    if (!device && !host && !demo && !plant && o.cfg.plant[0])
        plant = o.cfg.plant;
    if (!device && !host && !demo && !plant && o.cfg.device[0])
        device = o.cfg.device;
    char err[1200];
    if (plant && !units_from_plant(&o.cfg, plant, &o.units, err, sizeof err))
        return cli_usage_error("", "%s", err);
    if (nhosts > 1 && demo)
        return cli_usage_error("", "--demo and --host exclude each other (the demo is a "
                                   "simulated inverter)");
    if (nhosts > 1 && !units_from_hosts(hosts, nhosts, port > 0 ? (uint16_t)port : 8899, &o.units,
                                        err, sizeof err))
        return cli_usage_error("", "%s", err);
    if (o.units.n)
        host = NULL;  /* each unit's own, below */
    if (device) {
        const struct config_device *d = config_find_device(&o.cfg, device);
        if (!d) {
            fprintf(stderr, "rcttop: no device '%s' in %s\n", device,
                    o.cfg.path[0] ? o.cfg.path : "the configuration (there is no config file)");
            return CLI_EXIT_USAGE;
        }
        snprintf(o.host, sizeof o.host, "%s", d->host);
        o.port = (uint16_t)d->port;
        if (d->rate > 0)
            o.rate = d->rate;
        if (d->timeout > 0)
            o.timeout = d->timeout;
        snprintf(o.device_label, sizeof o.device_label, "%s", config_device_label(d));
        if (d->clock[0])
            devclock_mode_from_name(d->clock, &o.clock_mode);
    }
    if (clock && !devclock_mode_from_name(clock, &o.clock_mode))
        return cli_usage_error("", "--clock wants auto, utc or local, not '%s'", clock);
    if (host) {
        const char *why;
        if (demo)
            return cli_usage_error("", "--demo and --host exclude each other (the demo is a "
                                       "simulated inverter)");
        if (!args_parse_host_port(host, o.host, sizeof o.host, &o.port, &why))
            return cli_usage_error("", "--host '%s' %s", host, why);
        snprintf(o.device_label, sizeof o.device_label, "%s", o.host);
    }
    if (port > 0)
        o.port = (uint16_t)port;
    o.demo = demo || (!o.host[0] && !o.units.n);
    if (o.demo)
        snprintf(o.device_label, sizeof o.device_label, "demo");
    if (rate > 0)
        o.rate = rate;
    if (timeout > 0)
        o.timeout = timeout;
    if (retries >= 0)
        o.retries = (int)retries;
    if (theme)
        snprintf(o.theme, sizeof o.theme, "%s", theme);
    o.ascii |= ascii;
    if (mouse >= 0)
        o.mouse = mouse;
    o.listen_only = listen_only;
    o.ring_bell = ring_bell;
    if (on_alert)
        snprintf(o.on_alert, sizeof o.on_alert, "%s", on_alert);
    if (record)
        snprintf(o.record_path, sizeof o.record_path, "%s", record);
    o.record_max_mb = record_max;
    o.record_force = force;
    char why[256];
    if (!terminal_usable(why, sizeof why)) {
        fprintf(stderr,
                "rcttop: %s.\n"
                "The monitor needs a terminal that can address the cursor; the line-mode\n"
                "commands work anywhere: rcttop get, dump, faults, events, history\n"
                "(see 'rcttop --help').\n",
                why);
        return CLI_EXIT_USAGE;
    }
    const struct view *shown[PANES_MAX];
    return monitor_run(&o, shown, panes_for_units(o.units.n, shown));
}

enum { OPT_SPEED = 4000, OPT_AT, OPT_PAUSED };

static const struct option replay_options[] = {
    {"speed", required_argument, NULL, OPT_SPEED},
    {"at", required_argument, NULL, OPT_AT},
    {"paused", no_argument, NULL, OPT_PAUSED},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"theme", required_argument, NULL, OPT_THEME},
    {"ascii", no_argument, NULL, OPT_ASCII},
    {"mouse", no_argument, NULL, OPT_MOUSE},
    {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
    {NULL, 0, NULL, 0},
};

static int cmd_replay(int argc, char **argv)
{
    const char *config_path = NULL, *theme = NULL, *at = NULL;
    bool ascii = false, paused = false;
    int mouse = -1;
    double speed = 1;
    optind = 0;
    int c;
    while ((c = cli_getopt("replay", argc, argv, cli_cmd_replay.shortopts,
                           cli_cmd_replay.options)) != -1) {
        switch (c) {
        case OPT_SPEED: if (!cli_parse_number("replay", "--speed", optarg, 0.25, 64, &speed)) return 2; break;
        case OPT_AT: at = optarg; break;
        case OPT_PAUSED: paused = true; break;
        case OPT_CONFIG: config_path = optarg; break;
        case OPT_THEME: theme = optarg; break;
        case OPT_ASCII: ascii = true; break;
        case OPT_MOUSE: mouse = 1; break;
        case OPT_NO_MOUSE: mouse = 0; break;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("replay", optind >= argc ? "which recording? (rcttop replay FILE)"
                                                        : "one recording at a time");
    static struct app_options o;  /* large, once per process: not on the stack */
    if (!options_from_config(&o, config_path))
        return CLI_EXIT_USAGE;
    if (theme)
        snprintf(o.theme, sizeof o.theme, "%s", theme);
    o.ascii |= ascii;
    if (mouse >= 0)
        o.mouse = mouse;
    snprintf(o.replay_path, sizeof o.replay_path, "%s", argv[optind]);
    o.replay_speed = speed;
    o.replay_paused = paused;
    if (at) {
        int64_t unix_us;
        /* A time of day alone is on the recording's first day: known once it is read. */
        if (!replay_parse_time(at, 0, &unix_us))
            return cli_usage_error("replay", "--at '%s' is not a time (HH:MM[:SS], YYYY-MM-DD "
                                             "HH:MM[:SS], start or end)", at);
        snprintf(o.replay_at, sizeof o.replay_at, "%s", at);
    }
    /* The file first: a wrong path is the likelier mistake, and it is said the same anywhere. */
    struct stat st;
    if (stat(o.replay_path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "rcttop: %s is a directory, not a recording\n", o.replay_path);
        return CLI_EXIT_USAGE;
    }
    FILE *f = fopen(o.replay_path, "rb");
    uint8_t head[16];
    size_t got = f ? fread(head, 1, sizeof head, f) : 0;
    if (!f) {
        fprintf(stderr, "rcttop: cannot open %s: %s\n", o.replay_path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    fclose(f);
    if (!record_is_recording(head, got)) {
        fprintf(stderr, "rcttop: %s is not an rcttop recording (made with --record, or beside a "
                        "snapshot); 'rcttop decode' reads pcap files\n", o.replay_path);
        return CLI_EXIT_USAGE;
    }
    char why[256];
    if (!terminal_usable(why, sizeof why)) {
        fprintf(stderr, "rcttop: %s.\nrcttop replay needs a terminal; 'rcttop decode FILE' lists a "
                        "recording's frames anywhere.\n", why);
        return CLI_EXIT_USAGE;
    }
    const struct view *shown[PANES_MAX];
    return monitor_run(&o, shown, panes_for_units(1, shown));
}

const struct cli_command cli_cmd_monitor = {
    .name = "monitor",
    .summary = "the interactive monitor (also what plain 'rcttop' runs)",
    .usage =
        "usage: rcttop [monitor] [--host HOST[:PORT]... | --device NAME | --plant NAME | --demo]\n"
        "              [OPTIONS]\n"
        "\n"
        "The interactive monitor. Without --host, --device, --plant or a default in the\n"
        "configuration it runs the built-in simulated inverter (marked DEMO).\n"
        "\n"
        "  -H, --host HOST[:PORT]  the inverter (port %{device.port} by default); repeat it for\n"
        "                          the units of a plant, each on its own connection\n"
        "      --device NAME       a [device:NAME] section of the configuration\n"
        "      --plant NAME        a [plant:NAME] section: every unit it names\n"
        "      --demo              the built-in simulated inverter\n"
        "      --config FILE       configuration file (default\n"
        "                          $XDG_CONFIG_HOME/rcttop/config.ini or ~/.config/rcttop/config.ini)\n"
        "      --clock MODE        device timestamps: auto, utc, or local (this TZ); default\n"
        "                          %{general.clock}\n"
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
        "  -r, --rate N            requests per second, %{general.rate:range} (default %{general.rate}: about what\n"
        "                          real devices sustain)\n"
        "  -t, --timeout S         seconds to wait for an answer (default %{general.timeout})\n"
        "      --retries N         further attempts per request (default %{general.retries})\n"
        "      --print-sample-config  print a commented configuration file and exit\n"
        "\n"
        "Keys: 0 Plant, 1 Dashboard, 2 Values, 3 Faults, 4 Events, 5 History, 6 Battery,\n"
        "7 Device, 8 Link, 9 Health; Tab/Shift-Tab next/previous pane, ? h F1 help,\n"
        "p pause, t theme, s snapshot, r reconnect now, Ctrl-L repaint, q F10 quit; with\n"
        "several units [ ] the previous/next unit; / filters the list on Values, Faults,\n"
        "Events, Device, Link and Health. Plant (several units): Enter opens the selected\n"
        "unit. Values: k kind filter, Enter detail, Space open/close a group. Events: End\n"
        "loads older, Enter shows one. History: Left/Right or [ ], d m y, g go to a date,\n"
        "T today. Link: arrows scroll, Enter shows a frame, f freeze, w write the log to a\n"
        "file. Health: Enter shows the evidence.\n"
        "\n"
        "The monitor keeps the last 15 minutes of traffic in memory: s writes them beside\n"
        "the snapshot as a recording (rcttop replay FILE shows it again, rcttop decode FILE\n"
        "lists its frames).\n"
        "\n"
        "NO_COLOR in the environment turns colours off. rcttop never writes to the device.\n",
    .options = monitor_options,
    .shortopts = "H:P:r:t:",
    .run = cmd_monitor,
};

const struct cli_command cli_cmd_replay = {
    .name = "replay",
    .summary = "the monitor fed from a recording (--record, or one a snapshot wrote)",
    .usage =
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
    .options = replay_options,
    .shortopts = "",
    .run = cmd_replay,
};
