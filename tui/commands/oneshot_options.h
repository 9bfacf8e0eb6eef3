/* The options every device command shares (host, port, rate, timeouts, retries, format,
 * recording, replay, listen-only, device, config, clock): their defaults, parsing, and
 * the configuration filling in what the command line left unset. */
#ifndef RCT_ONESHOT_OPTIONS_H
#define RCT_ONESHOT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/core/devclock.h"
#include "tui/commands/cli_options.h"

struct store;

struct oneshot_options {
    char host[256];
    uint16_t port;
    double rate;          /* requests per second */
    double timeout_s;     /* per request, and for connecting */
    int retries;
    enum cli_format format;
    bool verbose;         /* log every frame to standard error */
    bool progress;        /* a progress bar on standard error when it is a terminal */
    char record_path[1024];  /* --record: every byte both ways, for `decode` later */
    char replay_path[1024];  /* --replay: read the values from a recording, not a device */
    double record_max_mb;    /* --record-max: stop recording past this size (0: none) */
    bool record_force;       /* --force: --record may replace an existing regular file */
    bool listen_only;     /* send nothing; keep what other clients' answers bring ... */
    double wait_s;        /* ... for this long */
    unsigned max_pages;   /* history walks: stop after this many pages ... */
    double max_time_s;    /* ... or this many seconds (then the result is partial) */
    /* The device as the configuration names it (--device, else [general] device unless
     * --host is given); what the command line sets wins over the file. */
    char device[64];
    char label[64];           /* the device's name for people (config_device_label), "" for --host */
    char config_path[1024];   /* --config ("": the XDG location, missing is fine) */
    unsigned given;           /* ONESHOT_GIVEN_* set on the command line */
    enum devclock_mode clock_mode;  /* --clock, else the device's or [general] clock */
    /* Called after each of the command's requests ends (answered or given up), so what
     * is read can be printed as it comes (NULL: printed at the end). */
    void (*on_read)(void *ctx, const struct store *store);
    void *on_read_ctx;
    /* The values help but are not needed (a history walk's clock): a device that answers
     * none of them is no failure, and nothing is said about it here. */
    bool optional_reads;
};
enum { ONESHOT_GIVEN_HOST = 1, ONESHOT_GIVEN_PORT = 2, ONESHOT_GIVEN_RATE = 4,
       ONESHOT_GIVEN_TIMEOUT = 8, ONESHOT_GIVEN_RETRIES = 16, ONESHOT_GIVEN_CLOCK = 32 };
#define ONESHOT_DEFAULT_MAX_PAGES 1000
#define ONESHOT_DEFAULT_MAX_TIME_S 300
void oneshot_default_options(struct oneshot_options *opts);

/* The short and long options every device command shares; a command's own come after
 * them. OPT values start at 1000. */
#define ONESHOT_SHORT_OPTIONS "H:P:p:r:t:f:v"   /* -p is -P, as plugins have it */
#define ONESHOT_LONG_OPTIONS                                     \
    {"host", required_argument, NULL, 'H'},                      \
    {"port", required_argument, NULL, 'P'},                      \
    {"rate", required_argument, NULL, 'r'},                      \
    {"timeout", required_argument, NULL, 't'},                   \
    {"retries", required_argument, NULL, 1000},                  \
    {"format", required_argument, NULL, 'f'},                    \
    {"verbose", no_argument, NULL, 'v'},                        \
    {"listen-only", no_argument, NULL, 1001},                    \
    {"wait", required_argument, NULL, 1002},                     \
    {"record", required_argument, NULL, 1003},                   \
    {"record-max", required_argument, NULL, 1004},               \
    {"replay", required_argument, NULL, 1005},                   \
    {"device", required_argument, NULL, 1006},                   \
    {"config", required_argument, NULL, 1007},                   \
    {"clock", required_argument, NULL, 1008},                    \
    {"answer-timeout", required_argument, NULL, 1009},           \
    {"force", no_argument, NULL, 1010}
/* The shared options' part of each device command's usage text. */
#define DEVICE_OPTIONS_HELP                                                          \
    "  -H, --host HOST[:PORT]  the inverter (default: the configuration's default device,\n" \
    "                          else 127.0.0.1; port %{device.port})\n"             \
    "      --device NAME       a [device:NAME] section of the configuration\n"      \
    "      --config FILE       configuration file (default\n"                       \
    "                          $XDG_CONFIG_HOME/rcttop/config.ini, if there is one)\n" \
    "      --clock MODE        device timestamps are auto (local time when its\n"    \
    "                          daylight-saving flag is set), utc, or local (this TZ);\n" \
    "                          default %{general.clock}\n"                            \
    "  -P, -p, --port PORT     TCP port (default %{device.port})\n"                  \
    "  -r, --rate N            requests per second, %{general.rate:range} (default %{general.rate}: about what\n" \
    "                          real devices sustain; much more makes them drop answers)\n" \
    "  -t, --timeout S         seconds to wait for an answer or a connection (default %{general.timeout};\n" \
    "                          for check the whole run); --answer-timeout S the same\n" \
    "      --retries N         further attempts per OID (default %{general.retries})\n" \
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
/* Handles one of the shared options: 1 handled, 0 not shared, -1 error (printed). */
int oneshot_option(const char *command, int opt, const char *arg, struct oneshot_options *opts);
/* After the options: reads the configuration and takes the device, rate, timeout and
 * retries from it where the command line did not set them, like the monitor and `check`.
 * False after saying why (an unreadable file, an unknown device). cfg may be NULL. */
struct config;
bool oneshot_apply_config(const char *command, struct oneshot_options *opts, struct config *cfg);

#endif
