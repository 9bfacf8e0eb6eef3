/* INI configuration through iniparser, validated against the options table: an unknown
 * section or key, or a value out of range, is an error naming the file and the key. */
#define _GNU_SOURCE
#include "tui/config/config.h"

#include <iniparser/dictionary.h>
#include <iniparser/iniparser.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tui/format/args.h"
#include "tui/alerts/hook.h"
#include "tui/diagnosis/health.h"
#include "tui/config/inifile.h"

enum opt_type { OPT_STRING, OPT_DOUBLE, OPT_INT, OPT_BOOL };
enum opt_scope { SCOPE_GENERAL, SCOPE_DEVICE, SCOPE_CHECK, SCOPE_ALERTS };

struct option_def {
    enum opt_scope scope;
    const char *key;
    enum opt_type type;
    double min, max;
    const char *def;      /* as written in the sample */
    const char *help;
    size_t field;         /* [check]: where in struct health_thresholds */
};
#define TH(name) offsetof(struct health_thresholds, name)
#define AL(name) offsetof(struct alert_settings, name)

static const struct option_def options[] = {
    {SCOPE_GENERAL, "device", OPT_STRING, 0, 63, "", "device section to open when none is given (empty: the simulated demo)", 0},
    {SCOPE_GENERAL, "rate", OPT_DOUBLE, 0.1, 10000, "4", "requests per second; real devices sustain about 4", 0},
    {SCOPE_GENERAL, "timeout", OPT_DOUBLE, 0.05, 600, "2", "seconds to wait for an answer or a connection", 0},
    {SCOPE_GENERAL, "retries", OPT_INT, 0, 10, "3", "further attempts when an answer does not come", 0},
    {SCOPE_GENERAL, "theme", OPT_STRING, 0, 255, "default", "default, light, monochrome, colorblind, or a path to a theme file", 0},
    {SCOPE_GENERAL, "ascii", OPT_BOOL, 0, 1, "false", "ASCII glyphs instead of UTF-8 box drawing and blocks", 0},
    {SCOPE_GENERAL, "mouse", OPT_BOOL, 0, 1, "true", "the mouse: click a tab or a row, the wheel scrolls (hold Shift to select text)", 0},
    {SCOPE_GENERAL, "refresh", OPT_INT, 1, 30, "4", "screen updates per second, at most", 0},
    {SCOPE_GENERAL, "history_minutes", OPT_INT, 1, 120, "15", "minutes of live history in the sparklines", 0},
    {SCOPE_GENERAL, "clock", OPT_STRING, 3, 5, "auto", "how device timestamps are meant: auto (local time when its daylight-saving flag is set), utc, local", 0},
    {SCOPE_DEVICE, "host", OPT_STRING, 1, 255, "192.168.1.50", "address of the inverter (required)", 0},
    {SCOPE_DEVICE, "port", OPT_INT, 1, 65535, "8899", "TCP port", 0},
    {SCOPE_DEVICE, "rate", OPT_DOUBLE, 0.1, 10000, "4", "requests per second for this device", 0},
    {SCOPE_DEVICE, "timeout", OPT_DOUBLE, 0.05, 600, "2", "seconds to wait for this device", 0},
    {SCOPE_DEVICE, "label", OPT_STRING, 0, 63, "Home", "name shown in the status bar", 0},
    {SCOPE_DEVICE, "clock", OPT_STRING, 3, 5, "auto", "auto, utc or local for this device", 0},
    /* The diagnosis thresholds; the README says where each default comes from. */
    {SCOPE_CHECK, "timeout", OPT_DOUBLE, 1, 3600, "45", "seconds for the whole check (rcttop check -t), connecting and reading", TH(check_timeout_s)},
    {SCOPE_CHECK, "soh_warning", OPT_DOUBLE, 0, 100, "80", "battery state of health (%) below which to warn", TH(soh_warning)},
    {SCOPE_CHECK, "soh_critical", OPT_DOUBLE, 0, 100, "70", "... and to raise a critical finding", TH(soh_critical)},
    {SCOPE_CHECK, "cell_spread_warning_mv", OPT_DOUBLE, 1, 1000, "80", "cell voltage spread within a module (mV) to warn at, where the LFP curve is flat", TH(cell_spread_warning_mv)},
    {SCOPE_CHECK, "cell_spread_critical_mv", OPT_DOUBLE, 1, 1000, "150", "... critical", TH(cell_spread_critical_mv)},
    {SCOPE_CHECK, "cell_low_warning_v", OPT_DOUBLE, 1, 5, "3.0", "a cell below this voltage (V) is a warning", TH(cell_low_warning_v)},
    {SCOPE_CHECK, "cell_low_critical_v", OPT_DOUBLE, 1, 5, "2.8", "... critical", TH(cell_low_critical_v)},
    {SCOPE_CHECK, "cell_high_warning_v", OPT_DOUBLE, 1, 5, "3.55", "a cell above this voltage (V) is a warning", TH(cell_high_warning_v)},
    {SCOPE_CHECK, "cell_high_critical_v", OPT_DOUBLE, 1, 5, "3.65", "... critical", TH(cell_high_critical_v)},
    {SCOPE_CHECK, "cell_flat_soc_low", OPT_DOUBLE, 0, 100, "15", "judge the spread only above this SOC (%) ...", TH(cell_flat_soc_low)},
    {SCOPE_CHECK, "cell_flat_soc_high", OPT_DOUBLE, 0, 100, "90", "... below this SOC (%) ...", TH(cell_flat_soc_high)},
    {SCOPE_CHECK, "cell_flat_current_a", OPT_DOUBLE, 0, 1000, "10", "... and below this battery current (A)", TH(cell_flat_current_a)},
    {SCOPE_CHECK, "cell_temp_low", OPT_DOUBLE, -40, 60, "5", "cell temperature (°C) below which to say charging is derated", TH(cell_temp_low)},
    {SCOPE_CHECK, "cell_temp_high", OPT_DOUBLE, 0, 100, "45", "cell temperature (°C) above which to warn", TH(cell_temp_high)},
    {SCOPE_CHECK, "cell_temp_critical", OPT_DOUBLE, 0, 100, "55", "... critical", TH(cell_temp_critical)},
    {SCOPE_CHECK, "cell_temp_spread", OPT_DOUBLE, 1, 50, "8", "temperature spread within a module (°C) to warn at", TH(cell_temp_spread)},
    {SCOPE_CHECK, "resistance_outlier", OPT_DOUBLE, 1.05, 10, "1.5", "a cell's resistance above this times the module's median", TH(resistance_outlier)},
    {SCOPE_CHECK, "riso_margin", OPT_DOUBLE, 1, 100, "2", "warn when insulation is below the device's r_min times this", TH(riso_margin)},
    {SCOPE_CHECK, "grid_voltage_margin_percent", OPT_DOUBLE, 0, 20, "2", "warn within this share (%) of 230 V inside the tightest voltage limit", TH(grid_voltage_margin_percent)},
    {SCOPE_CHECK, "grid_frequency_margin_hz", OPT_DOUBLE, 0, 5, "0.05", "warn within this many Hz inside the tightest frequency limit", TH(grid_frequency_margin_hz)},
    {SCOPE_CHECK, "pv_string_min_w", OPT_DOUBLE, 10, 100000, "500", "a string with voltage and no power is a warning while the other makes this (W)", TH(pv_string_min_w)},
    {SCOPE_CHECK, "pv_dead_v", OPT_DOUBLE, 0, 1000, "20", "a string at or below this voltage (V) sees no light", TH(pv_dead_v)},
    {SCOPE_CHECK, "pv_light_v", OPT_DOUBLE, 1, 1500, "100", "a string at or above this voltage (V) sees light", TH(pv_light_v)},
    {SCOPE_CHECK, "strings", OPT_STRING, 0, 2, "", "PV strings in use: A, B or AB (empty: the device's own setting)", TH(pv_strings)},
    {SCOPE_CHECK, "skip", OPT_STRING, 0, 255, "", "rules switched off, comma-separated ids or prefixes (e.g. events,link)", TH(skip)},
    {SCOPE_CHECK, "clock_warning_s", OPT_DOUBLE, 1, 86400, "300", "device clock drift beyond its zone (s) to warn at", TH(clock_warning_s)},
    {SCOPE_CHECK, "event_recurrences", OPT_INT, 1, 1000, "3", "events of one kind in 7 days to warn at", TH(event_recurrences)},
    {SCOPE_CHECK, "answer_ratio_warning", OPT_DOUBLE, 0, 1, "0.9", "share of requests answered below which to warn", TH(answer_ratio_warning)},
    {SCOPE_CHECK, "rtt_warning_ms", OPT_DOUBLE, 1, 60000, "1000", "round trip (ms) above which to warn", TH(rtt_warning_ms)},
    {SCOPE_CHECK, "foreign_per_minute", OPT_DOUBLE, 0, 10000, "6", "answers a minute to another client before saying so", TH(foreign_per_minute)},
    /* Alerts: the monitor and `rcttop watch`. */
    {SCOPE_ALERTS, "command", OPT_STRING, 0, 511, "", "program run for each alert, with its arguments (no shell): the event in RCTTOP_* variables and as JSON on stdin", AL(command)},
    {SCOPE_ALERTS, "bell", OPT_BOOL, 0, 1, "false", "the monitor rings the terminal bell once per alert into warning or critical", AL(ring_bell)},
    {SCOPE_ALERTS, "hold", OPT_DOUBLE, 0, 3600, "10", "seconds a condition must hold before it fires or resolves", AL(hold_s)},
    {SCOPE_ALERTS, "hook_timeout", OPT_DOUBLE, 1, 3600, "30", "seconds before a hook still running is killed", AL(hook_timeout_s)},
    {SCOPE_ALERTS, "soc_below", OPT_DOUBLE, 0, 100, "0", "an alert when the battery SOC (%) falls below this (0: none)", AL(soc_below)},
    {SCOPE_ALERTS, "soc_above", OPT_DOUBLE, 0, 100, "0", "... resolved only above this (%), so it does not flap", AL(soc_above)},
    {SCOPE_ALERTS, "towers", OPT_BOOL, 0, 1, "true", "an alert when a battery tower seen before is gone", AL(towers)},
    {SCOPE_ALERTS, "expected_offline", OPT_STRING, 0, 11, "", "HH:MM-HH:MM local time when offline is expected (a PV-only slave at night): offline is info then", 0},
};
#define NOPTIONS (sizeof options / sizeof options[0])

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->rate = 4;
    cfg->timeout = 2;
    cfg->retries = 3;
    snprintf(cfg->theme, sizeof cfg->theme, "default");
    cfg->refresh = 4;
    cfg->history_minutes = 15;
    snprintf(cfg->clock, sizeof cfg->clock, "auto");
    alert_default_settings(&cfg->alerts);
}

static const struct option_def *find_option(enum opt_scope scope, const char *key)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].scope == scope && strcmp(options[i].key, key) == 0)
            return &options[i];
    return NULL;
}

static bool fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return false;
}

/* "FILE: line N: [SECTION] KEY" for messages; the value itself is never repeated. */
static const char *locate(const struct config *cfg, const char *section, const char *key,
                          char *buf, size_t cap)
{
    int line = inifile_line_of(cfg->path, section, key);
    char at[32] = "";
    if (line > 0)
        snprintf(at, sizeof at, " line %d:", line);
    char sec[48], name[48];
    snprintf(buf, cap, "%s:%s [%s] %s", cfg->path, at, inifile_visible(section, sec, sizeof sec),
             inifile_visible(key, name, sizeof name));
    return buf;
}

/* Checks one value against its definition and stores it where `dest` points. */
static bool take_value(const struct config *cfg, const char *section, const struct option_def *o,
                       const char *text, void *dest, size_t dest_cap, char *err, size_t cap)
{
    char at[1200];
    double v;
    switch (o->type) {
    case OPT_STRING:
        if (strlen(text) > (size_t)o->max || strlen(text) < (size_t)o->min || strlen(text) >= dest_cap)
            return fail(err, cap, "%s: %s", locate(cfg, section, o->key, at, sizeof at),
                        strlen(text) < (size_t)o->min ? "must not be empty" : "too long");
        for (const unsigned char *p = (const unsigned char *)text; *p; p++)
            if (*p < 0x20 || *p == 0x7f)
                return fail(err, cap, "%s: has a control character",
                            locate(cfg, section, o->key, at, sizeof at));
        if (!strcmp(o->key, "clock") && strcmp(text, "auto") && strcmp(text, "utc") && strcmp(text, "local"))
            return fail(err, cap, "%s: must be auto, utc or local", locate(cfg, section, o->key, at, sizeof at));
        if (!strcmp(o->key, "expected_offline") && text[0]) {
            int from, to;
            if (!alert_parse_window(text, &from, &to))
                return fail(err, cap, "%s: must be HH:MM-HH:MM (e.g. 21:30-06:00)", locate(cfg, section, o->key, at, sizeof at));
        }
        if (!strcmp(o->key, "command") && o->scope == SCOPE_ALERTS && text[0]) {
            char why[300];
            if (!hook_check_command(text, why, sizeof why))
                return fail(err, cap, "%s: %s", locate(cfg, section, o->key, at, sizeof at), why);
        }
        if (!strcmp(o->key, "strings") && strcmp(text, "") && strcmp(text, "A") && strcmp(text, "B") && strcmp(text, "AB"))
            return fail(err, cap, "%s: must be A, B or AB", locate(cfg, section, o->key, at, sizeof at));
        snprintf(dest, dest_cap, "%s", text);
        return true;
    case OPT_DOUBLE:
        if (!args_decimal(text, false, &v) || v < o->min || v > o->max)
            return fail(err, cap, "%s: must be a number from %g to %g",
                        locate(cfg, section, o->key, at, sizeof at), o->min, o->max);
        *(double *)dest = v;
        return true;
    case OPT_INT:
        if (!args_decimal(text, true, &v) || v < o->min || v > o->max)
            return fail(err, cap, "%s: must be a whole number from %g to %g",
                        locate(cfg, section, o->key, at, sizeof at), o->min, o->max);
        *(int *)dest = (int)v;
        return true;
    case OPT_BOOL:
        if (strcasecmp(text, "true") == 0 || strcasecmp(text, "yes") == 0 || strcmp(text, "1") == 0)
            *(bool *)dest = true;
        else if (strcasecmp(text, "false") == 0 || strcasecmp(text, "no") == 0 || strcmp(text, "0") == 0)
            *(bool *)dest = false;
        else
            return fail(err, cap, "%s: must be true or false",
                        locate(cfg, section, o->key, at, sizeof at));
        return true;
    }
    return false;
}

static void *general_field(struct config *cfg, const char *key, size_t *cap)
{
    *cap = 0;
    if (strcmp(key, "device") == 0) { *cap = sizeof cfg->device; return cfg->device; }
    if (strcmp(key, "rate") == 0) return &cfg->rate;
    if (strcmp(key, "timeout") == 0) return &cfg->timeout;
    if (strcmp(key, "retries") == 0) return &cfg->retries;
    if (strcmp(key, "theme") == 0) { *cap = sizeof cfg->theme; return cfg->theme; }
    if (strcmp(key, "ascii") == 0) return &cfg->ascii;
    if (strcmp(key, "mouse") == 0) return &cfg->mouse;
    if (strcmp(key, "refresh") == 0) return &cfg->refresh;
    if (strcmp(key, "history_minutes") == 0) return &cfg->history_minutes;
    if (strcmp(key, "clock") == 0) { *cap = sizeof cfg->clock; return cfg->clock; }
    return NULL;
}

/* [check] values go straight into the thresholds the rules use (defaults first). */
static void *check_field(struct config *cfg, const struct option_def *o, size_t *cap)
{
    if (!cfg->check_loaded) {
        health_default_thresholds(&cfg->check);
        cfg->check_loaded = true;
    }
    *cap = o->type == OPT_STRING ? (size_t)o->max + 1 : sizeof(double);
    return (char *)&cfg->check + o->field;
}

static void *alerts_field(struct config *cfg, const struct option_def *o, size_t *cap)
{
    if (!strcmp(o->key, "expected_offline")) {
        *cap = sizeof cfg->alerts_window;
        return cfg->alerts_window;
    }
    *cap = o->type == OPT_STRING ? (size_t)o->max + 1 : o->type == OPT_BOOL ? sizeof(bool) : sizeof(double);
    return (char *)&cfg->alerts + o->field;
}

void config_check_thresholds(const struct config *cfg, struct health_thresholds *t)
{
    if (cfg->check_loaded)
        *t = cfg->check;
}

static void *device_field(struct config_device *d, const char *key, size_t *cap)
{
    *cap = 0;
    if (strcmp(key, "host") == 0) { *cap = sizeof d->host; return d->host; }
    if (strcmp(key, "port") == 0) return &d->port;
    if (strcmp(key, "rate") == 0) return &d->rate;
    if (strcmp(key, "timeout") == 0) return &d->timeout;
    if (strcmp(key, "label") == 0) { *cap = sizeof d->label; return d->label; }
    if (strcmp(key, "clock") == 0) { *cap = sizeof d->clock; return d->clock; }
    return NULL;
}

static bool load_section(struct config *cfg, dictionary *ini, const char *section, char *err,
                         size_t cap)
{
    bool is_device = strncmp(section, "device:", 7) == 0;
    bool is_check = strcmp(section, "check") == 0, is_alerts = strcmp(section, "alerts") == 0;
    if (!is_device && !is_check && !is_alerts && strcmp(section, "general") != 0)
    {
        char sec[48];
        return fail(err, cap, "%s: unknown section [%s] (use [general], [check], [alerts] or "
                    "[device:NAME])", cfg->path, inifile_visible(section, sec, sizeof sec));
    }
    struct config_device *dev = NULL;
    if (is_device) {
        if (section[7] == '\0' || strlen(section + 7) >= sizeof dev->name)
            return fail(err, cap, "%s: [%s]: the device needs a short name", cfg->path, section);
        if (cfg->ndevices >= CONFIG_MAX_DEVICES)
            return fail(err, cap, "%s: more than %d devices", cfg->path, CONFIG_MAX_DEVICES);
        dev = &cfg->devices[cfg->ndevices++];
        memset(dev, 0, sizeof *dev);
        snprintf(dev->name, sizeof dev->name, "%s", section + 7);
        dev->port = 8899;
    }
    /* iniparser joins section and key with ':', and counts only colon-free names as
     * sections, so [device:NAME] keys are found by walking the entries directly. */
    size_t prefix = strlen(section);
    bool ok = true;
    for (ssize_t i = 0; i < ini->size && ok; i++) {
        const char *full = ini->key[i];
        if (!full || !ini->val[i] || strncmp(full, section, prefix) != 0 || full[prefix] != ':')
            continue;
        const char *key = full + prefix + 1;
        if (strchr(key, ':'))
            continue;  /* belongs to a longer section name */
        const struct option_def *o = find_option(is_device ? SCOPE_DEVICE : is_check ? SCOPE_CHECK
                                                 : is_alerts ? SCOPE_ALERTS : SCOPE_GENERAL, key);
        if (!o) {
            char at[1200];
            ok = fail(err, cap, "%s: unknown key", locate(cfg, section, key, at, sizeof at));
            break;
        }
        size_t dest_cap;
        void *dest = is_device  ? device_field(dev, key, &dest_cap)
                     : is_check ? check_field(cfg, o, &dest_cap)
                     : is_alerts ? alerts_field(cfg, o, &dest_cap)
                                : general_field(cfg, key, &dest_cap);
        ok = take_value(cfg, section, o, ini->val[i], dest, dest_cap, err, cap);
    }
    if (ok && dev && !dev->host[0])
        ok = fail(err, cap, "%s: [%s] host: missing (every device needs one)", cfg->path, section);
    if (ok && dev) {
        char host[256], at[1200];
        uint16_t port = (uint16_t)dev->port;
        const char *why;
        if (!args_parse_host_port(dev->host, host, sizeof host, &port, &why) || port != dev->port)
            ok = fail(err, cap, "%s: %s", locate(cfg, section, "host", at, sizeof at),
                      port != dev->port ? "give the port as port = N" : why);
    }
    return ok;
}

bool config_load(struct config *cfg, const char *path, char *err, size_t errcap)
{
    char guess[1024];
    bool explicit_path = path != NULL;
    if (!path) {
        const char *xdg = getenv("XDG_CONFIG_HOME");
        const char *home = getenv("HOME");
        if (xdg && *xdg)
            snprintf(guess, sizeof guess, "%s/rcttop/config.ini", xdg);
        else if (home && *home)
            snprintf(guess, sizeof guess, "%s/.config/rcttop/config.ini", home);
        else
            return true;
        if (access(guess, F_OK) != 0)
            return true;
        path = guess;
    }
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    dictionary *ini = inifile_load(path, "configuration file", err, errcap);
    if (!ini) {
        if (!explicit_path && strlen(err) + 40 < errcap)
            strcat(err, " (remove it or fix it)");
        return false;
    }
    bool ok = true;
    /* Sections are the entries without a value. */
    for (ssize_t i = 0; i < ini->size && ok; i++)
        if (ini->key[i] && !ini->val[i])
            ok = load_section(cfg, ini, ini->key[i], err, errcap);
    iniparser_freedict(ini);
    if (ok && cfg->alerts_window[0])
        alert_parse_window(cfg->alerts_window, &cfg->alerts.offline_from_min, &cfg->alerts.offline_to_min);
    if (ok && cfg->device[0] && !config_find_device(cfg, cfg->device))
        ok = fail(err, errcap, "%s: [general] device = %s: no [device:%s] section", path,
                  cfg->device, cfg->device);
    return ok;
}

const struct config_device *config_find_device(const struct config *cfg, const char *name)
{
    for (int i = 0; i < cfg->ndevices; i++)
        if (strcmp(cfg->devices[i].name, name) == 0)
            return &cfg->devices[i];
    return NULL;
}

static void write_option(FILE *out, const struct option_def *o, bool commented)
{
    fprintf(out, "; %s", o->help);
    if (o->type == OPT_DOUBLE || o->type == OPT_INT)
        fprintf(out, " (%g..%g)", o->min, o->max);
    fprintf(out, "\n%s%s = %s\n", commented ? ";" : "", o->key, o->def);
}

void config_write_sample(FILE *out)
{
    fputs("; rcttop configuration: $XDG_CONFIG_HOME/rcttop/config.ini or\n"
          "; ~/.config/rcttop/config.ini, or any file given with --config.\n"
          "; Generated from rcttop's option table (rcttop monitor --print-sample-config).\n"
          "\n[general]\n", out);
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].scope == SCOPE_GENERAL)
            write_option(out, &options[i], strcmp(options[i].key, "device") == 0);
    fputs("\n; One section per inverter; open one with --device NAME.\n[device:home]\n", out);
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].scope == SCOPE_DEVICE)
            write_option(out, &options[i], strcmp(options[i].key, "rate") == 0 ||
                                               strcmp(options[i].key, "timeout") == 0);
    fputs("\n; Thresholds of `rcttop check` and the Health pane (defaults shown).\n[check]\n", out);
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].scope == SCOPE_CHECK)
            write_option(out, &options[i], true);
    fputs("\n; Alerts of the monitor and `rcttop watch` (defaults shown).\n[alerts]\n", out);
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].scope == SCOPE_ALERTS)
            write_option(out, &options[i], true);
}

void config_write_help(FILE *out)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option_def *o = &options[i];
        char left[64];
        snprintf(left, sizeof left, "%s %s = %s", o->scope == SCOPE_GENERAL ? "[general]"
                                                  : o->scope == SCOPE_CHECK ? "[check]"
                                                  : o->scope == SCOPE_ALERTS ? "[alerts]" : "[device:NAME]",
                 o->key, o->def[0] ? o->def : "\"\"");
        fprintf(out, "  %-36s %s\n", left, o->help);
    }
}
