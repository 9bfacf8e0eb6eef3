/* The options every device command shares: parsing them, and taking what the command
 * line left unset from the configuration. */
#include "tui/commands/oneshot_options.h"

#include <stdio.h>
#include <string.h>

#include "proto/core/session.h"
#include "tui/config/config.h"
#include "tui/format/args.h"

void oneshot_default_options(struct oneshot_options *opts)
{
    memset(opts, 0, sizeof *opts);
    struct session_config link;  /* the protocol's defaults (a test holds the options' to them) */
    session_default_config(&link);
    snprintf(opts->host, sizeof opts->host, "%s", link.host);
    opts->port = link.port;
    opts->rate = link.link.rate;
    opts->timeout_s = (double)link.link.timeout_ms / 1000.0;
    opts->retries = link.link.retries;
    opts->format = CLI_FORMAT_TEXT;
    opts->progress = true;
    opts->max_pages = ONESHOT_DEFAULT_MAX_PAGES;
    opts->max_time_s = ONESHOT_DEFAULT_MAX_TIME_S;
    opts->wait_s = 30;
}

int oneshot_option(const char *command, int opt, const char *arg, struct oneshot_options *o)
{
    double v;
    const char *why;
    switch (opt) {
    case 'H':
        if (!args_parse_host_port(arg, o->host, sizeof o->host, &o->port, &why)) {
            cli_usage_error(command, "--host '%s' %s", arg, why);
            return -1;
        }
        o->given |= ONESHOT_GIVEN_HOST;
        return 1;
    case 'P':
    case 'p':
        if (!cli_parse_integer(command, "--port", arg, 1, 65535, &v))
            return -1;
        o->port = (uint16_t)v;
        o->given |= ONESHOT_GIVEN_PORT;
        return 1;
    case 'r':
        o->given |= ONESHOT_GIVEN_RATE;
        return cli_parse_setting(command, "--rate", "general", "rate", arg, &o->rate) ? 1 : -1;
    case 't':
    case 1009:
        o->given |= ONESHOT_GIVEN_TIMEOUT;
        return cli_parse_setting(command, opt == 't' ? "--timeout" : "--answer-timeout",
                                 "general", "timeout", arg, &o->timeout_s) ? 1 : -1;
    case 1000:
        if (!cli_parse_setting(command, "--retries", "general", "retries", arg, &v))
            return -1;
        o->retries = (int)v;
        o->given |= ONESHOT_GIVEN_RETRIES;
        return 1;
    case 'f':
        if (!cli_format_parse(arg, &o->format)) {
            cli_usage_error(command, "unknown format '%s' (text, csv or json)", arg);
            return -1;
        }
        return 1;
    case 'v':
        o->verbose = true;
        return 1;
    case 1001:
        o->listen_only = true;
        return 1;
    case 1002:
        return cli_parse_number(command, "--wait", arg, 0.1, 86400, &o->wait_s) ? 1 : -1;
    case 1003:
        snprintf(o->record_path, sizeof o->record_path, "%s", arg);
        return 1;
    case 1010:
        o->record_force = true;
        return 1;
    case 1004:
        return cli_parse_number(command, "--record-max", arg, 0.01, 1e6, &o->record_max_mb) ? 1 : -1;
    case 1005:
        snprintf(o->replay_path, sizeof o->replay_path, "%s", arg);
        return 1;
    case 1006:
        snprintf(o->device, sizeof o->device, "%s", arg);
        return 1;
    case 1007:
        snprintf(o->config_path, sizeof o->config_path, "%s", arg);
        return 1;
    case 1008:
        if (!devclock_mode_from_name(arg, &o->clock_mode)) {
            cli_usage_error(command, "--clock wants auto, utc or local, not '%s'", arg);
            return -1;
        }
        o->given |= ONESHOT_GIVEN_CLOCK;
        return 1;
    default:
        return 0;
    }
}

bool oneshot_apply_config(const char *command, struct oneshot_options *o, struct config *out)
{
    static struct config cfg;
    config_defaults(&cfg);
    char err[1400];
    if (!config_load(&cfg, o->config_path[0] ? o->config_path : NULL, err, sizeof err)) {
        cli_usage_error(command, "%s", err);
        return false;
    }
    if (out)
        *out = cfg;
    if (o->replay_path[0])
        return true;  /* a recording names its own device */
    if (!(o->given & ONESHOT_GIVEN_RATE))
        o->rate = cfg.rate;
    if (!(o->given & ONESHOT_GIVEN_TIMEOUT))
        o->timeout_s = cfg.timeout;
    if (!(o->given & ONESHOT_GIVEN_RETRIES))
        o->retries = cfg.retries;
    if (!(o->given & ONESHOT_GIVEN_CLOCK))
        devclock_mode_from_name(cfg.clock, &o->clock_mode);
    const char *name = o->device[0] ? o->device : !(o->given & ONESHOT_GIVEN_HOST) ? cfg.device : "";
    if (!name[0])
        return true;
    if (o->device[0] && (o->given & ONESHOT_GIVEN_HOST)) {
        cli_usage_error(command, "--device and --host exclude each other");
        return false;
    }
    const struct config_device *d = config_find_device(&cfg, name);
    if (!d) {
        cli_usage_error(command, "no device '%s' in %s", name,
                        cfg.path[0] ? cfg.path : "the configuration (there is no config file)");
        return false;
    }
    snprintf(o->host, sizeof o->host, "%s", d->host);
    snprintf(o->label, sizeof o->label, "%s", config_device_label(d));
    if (!(o->given & ONESHOT_GIVEN_PORT))
        o->port = (uint16_t)d->port;
    if (d->rate > 0 && !(o->given & ONESHOT_GIVEN_RATE))
        o->rate = d->rate;
    if (d->timeout > 0 && !(o->given & ONESHOT_GIVEN_TIMEOUT))
        o->timeout_s = d->timeout;
    if (d->clock[0] && !(o->given & ONESHOT_GIVEN_CLOCK))
        devclock_mode_from_name(d->clock, &o->clock_mode);
    return true;
}

