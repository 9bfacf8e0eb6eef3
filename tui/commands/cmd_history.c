/* `rcttop events` and `rcttop history`: the device's own event log and logger series,
 * paged backwards with the history pager and printed newest first (events) or oldest
 * first (series), decoded per type. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto/core/history.h"
#include "proto/codec/registry.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/format/eventfmt.h"
#include "tui/commands/oneshot.h"
#include "tui/format/json.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

#define EVENT_TABLE_OID 0x6F3876BCu

enum { OPT_SINCE = 2000, OPT_UNTIL, OPT_MAX_PAGES, OPT_MAX_TIME };

/* The device's clock (flash_rtc.time_stamp and its daylight-saving flag): its logs follow
 * it, in the zone it keeps, and it is often off from the host's. *now is the device's
 * "now" on its own scale; falls back to the host's clock with a note when the device
 * does not say. Returns a oneshot status (2: unreachable, stop). */
static int device_clock(const char *command, const struct oneshot_options *o, int64_t *now,
                        struct devclock *dc)
{
    if (o->clock_mode == DEVCLOCK_UTC) {
        /* Said to be UTC: nothing to learn from the device before its logs. */
        devclock_judge(dc, o->clock_mode, NULL);
        *now = devclock_now(dc, (int64_t)time(NULL));
        return CLI_EXIT_OK;
    }
    /* The clock helps but is not needed: asked twice, and the daylight-saving flag only
     * from a device that told its time, so a device that answers neither costs seconds. */
    struct oneshot_options quiet = *o;
    quiet.progress = false;
    quiet.optional_reads = true;
    if (quiet.retries > 1)
        quiet.retries = 1;
    uint32_t stamp = rct_registry_by_name("flash_rtc.time_stamp")->oid;
    uint32_t flag = rct_registry_by_name("flash_rtc.flag_time_auto_switch")->oid;
    struct store *store = NULL;
    int status = oneshot_read(command, &quiet, &stamp, 1, &store);
    const struct store_entry *e = status == CLI_EXIT_OK ? store_get(store, stamp) : NULL;
    if (e && e->has_value) {
        store_free(store);
        uint32_t both[2] = {stamp, flag};
        status = oneshot_read(command, &quiet, both, 2, &store);
    }
    devclock_judge(dc, o->clock_mode, status == CLI_EXIT_OK ? store : NULL);
    *now = devclock_now(dc, (int64_t)time(NULL));
    char span[32], zone[48];
    if (dc->read) {
        if (dc->zoned)
            fprintf(stderr, "rcttop %s: the device keeps local time (%s; %s); times are its wall "
                    "time\n", command, devclock_zone_text(dc, zone, sizeof zone), dc->basis);
        if (dc->drift_s <= -60 || dc->drift_s >= 60)
            fprintf(stderr, "rcttop %s: the device clock is %s %s; ranges follow the device\n", command,
                    timearg_span_words(dc->drift_s, span, sizeof span), dc->drift_s < 0 ? "behind" : "ahead");
    } else if (status == CLI_EXIT_OK) {
        fprintf(stderr, "rcttop %s: device clock not read (flash_rtc.time_stamp unanswered): times "
                "taken as %s, ranges follow this computer's clock\n", command,
                o->clock_mode == DEVCLOCK_LOCAL ? "this computer's local time" : "UTC");
    }
    store_free(store);
    return cli_interrupted(status) || status == CLI_EXIT_USAGE ? status : CLI_EXIT_OK;
}

/* A time typed on the command line (this computer's wall time) on the device's scale:
 * a device keeping local time stamps that wall time as if it were UTC. */
static int64_t typed_to_device(const struct devclock *dc, int64_t unix_s)
{
    if (!dc->zoned)
        return unix_s;
    time_t t = (time_t)unix_s;
    struct tm tm;
    return localtime_r(&t, &tm) ? unix_s + tm.tm_gmtoff : unix_s;
}

/* events and history: the shared options and a time range. */
static const struct option range_options[] = {
    ONESHOT_LONG_OPTIONS,
    {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"max-pages", required_argument, NULL, OPT_MAX_PAGES},
    {"max-time", required_argument, NULL, OPT_MAX_TIME},
    {NULL, 0, NULL, 0}};

/* Parses the shared options plus --since/--until; returns -1 on error (printed). */
static int parse_range(const char *command, int argc, char **argv, struct oneshot_options *o,
                       int64_t *since, int64_t *until, bool *since_given, bool *until_given)
{
    optind = 0;
    int c;
    while ((c = cli_getopt(command, argc, argv, ONESHOT_SHORT_OPTIONS, range_options)) != -1) {
        if (c == OPT_SINCE || c == OPT_UNTIL) {
            int64_t t;
            if (!timearg_parse(optarg, &t)) {
                cli_usage_error(command, "%s wants UNIX seconds, an ISO-8601 date or datetime "
                                         "(2026-06-21, 2026-06-21T12:00, ...Z) or a time ago "
                                         "(-30min, -2h, -1d, -1w), not '%s'",
                                c == OPT_SINCE ? "--since" : "--until", optarg);
                return -1;
            }
            if (c == OPT_SINCE) {
                *since = t;
                *since_given = true;
            } else {
                *until = t;
                *until_given = true;
            }
        } else if (c == OPT_MAX_PAGES) {
            double v;
            if (!cli_parse_integer(command, "--max-pages", optarg, 1, 1000000, &v))
                return -1;
            o->max_pages = (unsigned)v;
        } else if (c == OPT_MAX_TIME) {
            if (!cli_parse_number(command, "--max-time", optarg, 1, 86400, &o->max_time_s))
                return -1;
        } else if (oneshot_option(command, c, optarg, o) <= 0) {
            return -1;
        }
    }
    if (o->listen_only) {
        cli_usage_error(command, "the device's logs are read by request: not with --listen-only");
        return -1;
    }
    if (!oneshot_apply_config(command, o, NULL))
        return -1;
    if (*since > *until && *until_given) {
        cli_usage_error(command, "--since is after --until");
        return -1;
    }
    return 0;
}

static int cmd_events(int argc, char **argv)
{
    struct oneshot_options o;
    oneshot_default_options(&o);
    int64_t until = (int64_t)time(NULL), since = 0;
    bool since_given = false, until_given = false;
    if (parse_range("events", argc, argv, &o, &since, &until, &since_given, &until_given) < 0)
        return CLI_EXIT_USAGE;
    if (optind < argc)
        return cli_usage_error("events", "unexpected argument '%s'", argv[optind]);
    struct devclock dc;
    int64_t now;
    int clock_status = device_clock("events", &o, &now, &dc);
    if (clock_status != CLI_EXIT_OK)
        return clock_status;
    if (since_given)
        since = typed_to_device(&dc, since);
    if (until_given)
        until = typed_to_device(&dc, until);
    else
        until = now + 60;  /* what the device logged up to now, whatever its clock says */
    struct history_pager pager;
    if (!history_pager_init(&pager, EVENT_TABLE_OID, since, until))
        return cli_usage_error("events", "empty time range");
    int status = oneshot_history("events", &o, &pager);
    if (status == CLI_EXIT_OK || status == CLI_EXIT_PARTIAL || cli_interrupted(status)) {
        if (o.format == CLI_FORMAT_CSV)
            puts("ts,time,type,name,detail");
        struct event_view ev;
        char detail[512], when[40];
        for (size_t i = 0; i < pager.n; i++) {
            eventfmt_decode(&pager.rows[i], &ev);
            if (o.format == CLI_FORMAT_JSON) {
                eventfmt_write_json(&ev, stdout);
                putchar('\n');
                continue;
            }
            eventfmt_detail(&ev, &dc, detail, sizeof detail);
            devclock_format(&dc, ev.ts, when, sizeof when);
            if (o.format == CLI_FORMAT_CSV) {
                printf("%" PRId64 ",%s,%" PRIu32 ",", ev.ts, when, ev.type);
                cli_csv_field(ev.name ? ev.name : "", stdout);
                putchar(',');
                cli_csv_field(detail, stdout);
                putchar('\n');
            } else {
                printf("%s  %s\n", when, detail);
            }
        }
        if (o.format == CLI_FORMAT_TEXT && pager.n == 0 && status == CLI_EXIT_OK)
            puts("no events in that range");
    }
    history_pager_free(&pager);
    return status;
}

static int cmd_history(int argc, char **argv)
{
    struct oneshot_options o;
    oneshot_default_options(&o);
    int64_t until = (int64_t)time(NULL), since = 0;
    bool since_given = false, until_given = false;
    if (parse_range("history", argc, argv, &o, &since, &until, &since_given, &until_given) < 0)
        return CLI_EXIT_USAGE;
    if (optind >= argc)
        return cli_usage_error("history", "name a series, e.g. logger.minutes_soc_log_ts "
                                          "(see 'rcttop list --kind history')");
    if (argc - optind > 1)
        return cli_usage_error("history", "one series at a time ('%s' is one too many)", argv[optind + 1]);
    const struct rct_oid_info *info = rct_registry_lookup(argv[optind]);
    if (!info || info->response_type != RCT_TYPE_TIMESERIES)
        return cli_usage_error("history", "'%s' is not a logger series (see 'rcttop list --kind history')",
                               argv[optind]);
    struct devclock dc;
    int64_t now;
    int clock_status = device_clock("history", &o, &now, &dc);
    if (clock_status != CLI_EXIT_OK)
        return clock_status;
    until = until_given ? typed_to_device(&dc, until) : now;
    since = since_given ? typed_to_device(&dc, since) : until - 86400;
    if (since > until)
        return cli_usage_error("history", "--since is after the device's now");
    struct history_pager pager;
    if (!history_pager_init(&pager, info->oid, since, until))
        return cli_usage_error("history", "empty time range");
    int status = oneshot_history("history", &o, &pager);
    if (status == CLI_EXIT_OK || status == CLI_EXIT_PARTIAL || cli_interrupted(status)) {
        /* What the series is and its unit, once: the registry's words or the name's parts. */
        char what[96];
        const char *unit = valfmt_series(info, what, sizeof what);
        bool fraction = valfmt_is_fraction(info);
        const char *machine_unit = fraction ? "" : unit;  /* 0..1 stays 0..1, without "%" */
        if (o.format == CLI_FORMAT_CSV)
            puts("ts,time,value,unit");
        else if (o.format == CLI_FORMAT_TEXT)
            printf("%s: %s (%s%s)\n", info->name, what, unit[0] ? "" : "unit not documented",
                   fraction ? "percent" : unit);
        char when[40], num[48];
        for (size_t i = 0; i < pager.n; i++) {
            const struct rct_ts_point *p = &pager.points[i];
            rct_format_float(p->value, num, sizeof num);
            if (o.format == CLI_FORMAT_JSON) {
                struct json j;
                json_open(&j, stdout);
                json_object(&j);
                json_key(&j, "ts");
                json_uint(&j, p->ts);
                json_key(&j, "value");
                json_float(&j, p->value);
                json_key(&j, "unit");
                json_string(&j, machine_unit[0] ? machine_unit : NULL);
                json_end(&j);
                putchar('\n');
            } else if (o.format == CLI_FORMAT_CSV) {
                printf("%" PRIu32 ",%s,%s,", p->ts, devclock_format(&dc, p->ts, when, sizeof when), num);
                cli_csv_field(machine_unit, stdout);
                putchar('\n');
            } else {
                if (fraction)
                    snprintf(num, sizeof num, "%.2f", p->value * 100.0);
                printf("%s  %s%s%s\n", devclock_format(&dc, p->ts, when, sizeof when), num,
                       unit[0] ? " " : "", unit);
            }
        }
        char from[40], to[40];
        if (pager.n == 0 && status == CLI_EXIT_OK)
            fprintf(stderr, "rcttop history: the device has no %s points from %s to %s (it "
                    "answered %u page%s; a series logs a period once it is over)\n", info->name,
                    devclock_format(&dc, since, from, sizeof from),
                    devclock_format(&dc, until, to, sizeof to), pager.pages,
                    pager.pages == 1 ? "" : "s");
        else if (o.format == CLI_FORMAT_TEXT)
            fprintf(stderr, "%zu points in %u pages\n", pager.n, pager.pages);
    }
    history_pager_free(&pager);
    return status;
}

/* The history walks' part of the usage texts of events and history. */
#define WALK_OPTIONS_HELP                                                            \
    "      --max-pages N       stop after N answer pages (default 1000)\n"           \
    "      --max-time S        stop after S seconds (default 300)\n"                 \
    "\n"                                                                           \
    "A walk that stops early (the device stops answering, sends a page that does not\n" \
    "decode, or a budget runs out) still prints what it read, says why on standard\n" \
    "error and exits 1. Exit status: 0 the whole range was read, 1 partial, 2 nothing\n" \
    "could be read, 130 interrupted. A long walk shows how far back it is on stderr.\n\n"

const struct cli_command cli_cmd_events = {
    .name = "events",
    .summary = "the device's event log, newest first",
    .usage =
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
    .options = range_options,
    .shortopts = ONESHOT_SHORT_OPTIONS,
    .run = cmd_events,
};

const struct cli_command cli_cmd_history = {
    .name = "history",
    .summary = "a logger series from the device's own history",
    .usage =
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
    .options = range_options,
    .shortopts = ONESHOT_SHORT_OPTIONS,
    .run = cmd_history,
};
