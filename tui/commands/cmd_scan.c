/* `rcttop scan`: finds the RCT Power units of a network range. Every address is tried
 * (scan_probe), a bounded number at a time; what answers RCT frames is listed with its
 * serial, model and plant role as a table, CSV, JSON Lines, or as configuration sections
 * (scan_ini) that `rcttop --config` loads. Reads only, as everything else. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "proto/core/session.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/commands/scan_ini.h"
#include "tui/commands/scan_probe.h"
#include "tui/format/iprange.h"
#include "tui/format/json.h"

/* Wider ranges need --force: a /22 is a large home or office network. */
#define SCAN_UNFORCED_MAX 1024u
/* Not even with --force: a verdict is kept for every address tried. */
#define SCAN_FORCED_MAX 65536u
#define SCAN_DEFAULT_CONCURRENCY 64
#define SCAN_MAX_CONCURRENCY 512  /* one descriptor each, well inside the usual 1024 */
#define SCAN_DEFAULT_TIMEOUT_S 1.5
#define SCAN_DEFAULT_PORT 8899

enum { OPT_FORCE = 1000 };

static const struct option scan_options_table[] = {
    {"port", required_argument, NULL, 'P'},
    {"format", required_argument, NULL, 'f'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"concurrency", required_argument, NULL, 'c'},
    {"timeout", required_argument, NULL, 't'},
    {"rate", required_argument, NULL, 'r'},
    {"verbose", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

struct progress {
    bool on;
    int64_t drawn_ms;
    bool drawn;
};

static void draw_progress(void *ctx, size_t done, size_t total, size_t units)
{
    struct progress *p = ctx;
    if (!p->on)
        return;
    /* At most ten times a second, and at the end: a fast sweep of refusals would spend
     * more on the bar than on the network. */
    int64_t now = session_mono_ms();
    if (p->drawn && done != total && now - p->drawn_ms < 100)
        return;
    p->drawn_ms = now;
    p->drawn = true;
    int width = 30, filled = (int)((double)done / (double)total * width);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu, %zu unit%s\033[K", filled, "##############################",
            width - filled, "", done, total, units, units == 1 ? "" : "s");
}

static const char *outcome_name(enum scan_outcome o)
{
    return o == SCAN_UNIT ? "unit" : o == SCAN_OPEN_NOT_RCT ? "open, not RCT" : "closed";
}

static const char *role_name(const struct scan_result *r)
{
    switch (r->role) {
    case PLANT_STANDALONE: return "standalone";
    case PLANT_MASTER: return "master";
    case PLANT_SLAVE: return "slave";
    case PLANT_OTHER: return "other";
    default: return NULL;
    }
}

/* A result shown in this output: units always, an open port that is no unit only when
 * asked (-v) or in JSON, closed addresses never. */
static bool shown(const struct scan_result *r, enum cli_format format, bool verbose)
{
    return r->outcome == SCAN_UNIT ||
           (r->outcome == SCAN_OPEN_NOT_RCT && (verbose || format == CLI_FORMAT_JSON));
}

static void print_text(const struct scan_result *r, size_t n, uint16_t port, bool verbose)
{
    bool header = false;
    for (size_t i = 0; i < n; i++) {
        if (!shown(&r[i], CLI_FORMAT_TEXT, verbose))
            continue;
        if (!header)
            printf("%-21s %-12s %-16s %s\n", "ADDRESS", "SERIAL", "MODEL", "ROLE");
        header = true;
        char ip[16], where[24];
        iprange_format(r[i].address, ip, sizeof ip);
        if (port == SCAN_DEFAULT_PORT)
            snprintf(where, sizeof where, "%s", ip);
        else
            snprintf(where, sizeof where, "%s:%u", ip, (unsigned)port);
        if (r[i].outcome != SCAN_UNIT) {
            printf("%-21s %s (%s)\n", where, outcome_name(r[i].outcome), r[i].detail);
            continue;
        }
        printf("%-21s %-12s %-16s %s\n", where, r[i].serial[0] ? r[i].serial : "-",
               r[i].model[0] ? r[i].model : "-", r[i].role_text[0] ? r[i].role_text : "-");
    }
}

static void print_csv(const struct scan_result *r, size_t n, uint16_t port, bool verbose)
{
    puts("address,port,status,serial,model,role,master_ip,master_port");
    for (size_t i = 0; i < n; i++) {
        if (!shown(&r[i], CLI_FORMAT_CSV, verbose))
            continue;
        char ip[16];
        printf("%s,%u,", iprange_format(r[i].address, ip, sizeof ip), (unsigned)port);
        cli_csv_field(outcome_name(r[i].outcome), stdout);
        putchar(',');
        cli_csv_field(r[i].serial, stdout);
        putchar(',');
        cli_csv_field(r[i].model, stdout);
        printf(",%s,", role_name(&r[i]) ? role_name(&r[i]) : "");
        cli_csv_field(r[i].master_ip, stdout);
        if (r[i].master_port >= 0)
            printf(",%ld\n", r[i].master_port);
        else
            fputs(",\n", stdout);
    }
}

static void print_json(const struct scan_result *r, size_t n, uint16_t port)
{
    for (size_t i = 0; i < n; i++) {
        if (!shown(&r[i], CLI_FORMAT_JSON, false))
            continue;
        bool unit = r[i].outcome == SCAN_UNIT;
        char ip[16];
        struct json j;
        json_open(&j, stdout);
        json_object(&j);
        json_key(&j, "address");
        json_string(&j, iprange_format(r[i].address, ip, sizeof ip));
        json_key(&j, "port");
        json_int(&j, port);
        json_key(&j, "status");
        json_string(&j, outcome_name(r[i].outcome));
        json_key(&j, "serial");
        json_string(&j, unit && r[i].serial[0] ? r[i].serial : NULL);
        json_key(&j, "model");
        json_string(&j, unit && r[i].model[0] ? r[i].model : NULL);
        json_key(&j, "role");
        json_string(&j, unit ? role_name(&r[i]) : NULL);
        json_key(&j, "role_raw");
        if (r[i].role_raw >= 0)
            json_int(&j, r[i].role_raw);
        else
            json_null(&j);
        json_key(&j, "master_ip");
        json_string(&j, r[i].master_ip[0] ? r[i].master_ip : NULL);
        json_key(&j, "master_port");
        if (r[i].master_port >= 0)
            json_int(&j, r[i].master_port);
        else
            json_null(&j);
        json_key(&j, "detail");
        json_string(&j, r[i].detail[0] ? r[i].detail : NULL);
        json_key(&j, "seconds");
        json_fixed(&j, r[i].seconds, 3);
        json_end(&j);
        putchar('\n');
    }
}

struct scan_request {
    const char *range_text;
    struct iprange range;
    enum cli_format format;
    bool ini, force, verbose;
    struct scan_options probe;
};

static int parse_arguments(int argc, char **argv, struct scan_request *q)
{
    memset(q, 0, sizeof *q);
    q->probe.port = SCAN_DEFAULT_PORT;
    q->probe.concurrency = SCAN_DEFAULT_CONCURRENCY;
    q->probe.timeout_s = SCAN_DEFAULT_TIMEOUT_S;
    q->probe.retries = 1;  /* one lost answer is no reason to miss a unit */
    struct session_config link;
    session_default_config(&link);
    q->probe.rate = link.link.rate;  /* what real devices sustain, as for every command */
    optind = 0;
    int c;
    double v;
    while ((c = cli_getopt("scan", argc, argv, cli_cmd_scan.shortopts, cli_cmd_scan.options)) != -1) {
        switch (c) {
        case 'P':
        case 'p':
            if (!cli_parse_setting("scan", "--port", "device:NAME", "port", optarg, &v))
                return CLI_EXIT_USAGE;
            q->probe.port = (uint16_t)v;
            break;
        case 'f':
            q->ini = strcmp(optarg, "ini") == 0;
            if (!q->ini && !cli_format_parse(optarg, &q->format))
                return cli_usage_error("scan", "unknown format '%s' (text, ini, csv or json)", optarg);
            break;
        case OPT_FORCE: q->force = true; break;
        case 'c':
            if (!cli_parse_integer("scan", "--concurrency", optarg, 1, SCAN_MAX_CONCURRENCY, &v))
                return CLI_EXIT_USAGE;
            q->probe.concurrency = (int)v;
            break;
        case 't':
            if (!cli_parse_setting("scan", "--timeout", "general", "timeout", optarg, &q->probe.timeout_s))
                return CLI_EXIT_USAGE;
            break;
        case 'r':
            if (!cli_parse_setting("scan", "--rate", "general", "rate", optarg, &q->probe.rate))
                return CLI_EXIT_USAGE;
            break;
        case 'v': q->verbose = true; break;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (optind == argc)
        return cli_usage_error("scan", "which addresses? (e.g. rcttop scan 192.168.1.0/24)");
    if (argc - optind > 1)
        return cli_usage_error("scan", "too many arguments: '%s' (one range)", argv[optind + 1]);
    q->range_text = argv[optind];
    const char *why;
    if (!iprange_parse(q->range_text, &q->range, &why))
        return cli_usage_error("scan", "'%s' %s (e.g. 192.168.1.0/24, 192.168.1.10-40 or "
                               "192.168.1.50)", q->range_text, why);
    uint64_t size = iprange_size(&q->range);
    if (size > SCAN_FORCED_MAX)
        return cli_usage_error("scan", "'%s' holds %llu addresses: at most %u (a /16) are "
                               "scanned, even with --force", q->range_text,
                               (unsigned long long)size, SCAN_FORCED_MAX);
    if (size > SCAN_UNFORCED_MAX && !q->force)
        return cli_usage_error("scan", "'%s' holds %llu addresses, more than a /22 (%u): "
                               "narrow the range, or add --force", q->range_text,
                               (unsigned long long)size, SCAN_UNFORCED_MAX);
    iprange_hosts(&q->range, &q->probe.first, &q->probe.last);
    /* Out of descriptors, a connect fails at once and a unit would be missed unsaid. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
        (rlim_t)q->probe.concurrency + 16 > files.rlim_cur) {
        int fit = files.rlim_cur > 17 ? (int)(files.rlim_cur - 16) : 1;
        fprintf(stderr, "rcttop scan: %d at a time (--concurrency %d needs more open files than "
                "the limit of %llu)\n", fit, q->probe.concurrency, (unsigned long long)files.rlim_cur);
        q->probe.concurrency = fit;
    }
    return CLI_EXIT_OK;
}

static int cmd_scan(int argc, char **argv)
{
    struct scan_request q;
    int status = parse_arguments(argc, argv, &q);
    if (status != CLI_EXIT_OK)
        return status;
    struct progress bar = {.on = isatty(STDERR_FILENO) != 0};
    q.probe.progress = draw_progress;
    q.probe.progress_ctx = &bar;
    struct scan_result *results;
    size_t n;
    char err[200];
    int64_t started = session_mono_ms();
    status = scan_run(&q.probe, &results, &n, err, sizeof err);
    double seconds = (double)(session_mono_ms() - started) / 1000.0;
    if (bar.drawn)
        fputs("\r\033[K", stderr);
    if (status < 0)
        return cli_usage_error("scan", "%s", err);
    size_t units = 0, open = 0;
    for (size_t i = 0; i < n; i++) {
        units += results[i].outcome == SCAN_UNIT;
        open += results[i].outcome == SCAN_OPEN_NOT_RCT;
    }
    uint16_t port = q.probe.port;
    if (q.ini)
        scan_ini_write(results, n, port, q.range_text, stdout);
    else if (q.format == CLI_FORMAT_CSV)
        print_csv(results, n, port, q.verbose);
    else if (q.format == CLI_FORMAT_JSON)
        print_json(results, n, port);
    else
        print_text(results, n, port, q.verbose);
    uint64_t tried = (uint64_t)q.probe.last - q.probe.first + 1;
    /* The summary is the table's last line; beside machine output it goes to stderr. */
    FILE *summary = q.format == CLI_FORMAT_TEXT && !q.ini ? stdout : stderr;
    if (status)  /* a signal: the addresses with a verdict, of all */
        fprintf(summary, "%zu unit%s found in %zu of %llu addresses (%.1f s, interrupted)", units,
                units == 1 ? "" : "s", n, (unsigned long long)tried, seconds);
    else
        fprintf(summary, "%zu unit%s found in %llu address%s (%.1f s)", units, units == 1 ? "" : "s",
                (unsigned long long)tried, tried == 1 ? "" : "es", seconds);
    if (open && !q.verbose && q.format != CLI_FORMAT_JSON)
        fprintf(summary, "; %zu more accept%s TCP but do%s not answer RCT frames (-v lists them)",
                open, open == 1 ? "s" : "", open == 1 ? "es" : "");
    fputc('\n', summary);
    free(results);
    if (fflush(stdout) != 0)
        return cli_usage_error("scan", "could not write the output");
    if (status)
        return status;
    return units ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

const struct cli_command cli_cmd_scan = {
    .name = "scan",
    .summary = "find RCT Power units on a network range",
    .usage =
        "usage: rcttop scan CIDR|FIRST-LAST|ADDRESS [--port P] [--format text|ini|csv|json]\n"
        "                   [--force] [--concurrency N] [--timeout S] [--rate N] [-v]\n"
        "\n"
        "Tries every address of the range on the port, a few at a time, and reads from each\n"
        "that answers RCT frames its serial (inverter_sn), model (android_description) and\n"
        "plant role (wifi.sockb_protocol, and a slave's master: wifi.sockb_ip, sockb_port).\n"
        "Only reads are sent. A block of /30 or wider leaves out its network and broadcast\n"
        "address. Ranges: 192.168.1.0/24, 192.168.1.10-192.168.1.40, 192.168.1.10-40, or one\n"
        "address.\n"
        "\n"
        "  -P, --port P         the port to try (default %{device.port})\n"
        "  -f, --format FMT     text (default: a table and a summary line), ini ([device:NAME]\n"
        "                       sections, and a [plant:NAME] when a master and its slaves\n"
        "                       answer: a configuration file), csv or json (JSON Lines)\n"
        "      --force          scan a range wider than a /22 (1024 addresses; a /16 at most)\n"
        "  -c, --concurrency N  addresses tried at once (default 64, at most 512)\n"
        "  -t, --timeout S      seconds to wait for a connection and for each answer\n"
        "                       (default 1.5)\n"
        "  -r, --rate N         requests per second to one unit (default %{general.rate})\n"
        "  -v, --verbose        also list addresses that accept TCP but do not answer RCT\n"
        "                       frames (JSON always lists them, as \"open, not RCT\")\n"
        "\n"
        "A progress bar is drawn on standard error when it is a terminal.\n"
        "Exit status: 0 units found, 1 none found, 2 bad range or option, 130 interrupted.\n"
        "\n"
        "examples: rcttop scan 192.168.1.0/24\n"
        "          rcttop scan 192.168.1.0/24 --format ini > ~/.config/rcttop/config.ini\n",
    .options = scan_options_table,
    .shortopts = "P:p:f:c:t:r:v",
    .run = cmd_scan,
};
