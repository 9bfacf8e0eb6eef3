/* The option table, as tmux's options-table.c: each key's section, type, typed default,
 * range or choices, field and help. Defaults, the sample, --help and the man page follow it. */
#include "tui/config/options.h"

#include <stdio.h>
#include <string.h>

#include "proto/core/devclock.h"
#include "tui/alerts/alerts.h"
#include "tui/config/config.h"
#include "tui/diagnosis/health.h"

#define FIELD(type, member) .field = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define GENERAL(name, member) .scope = OPTION_GENERAL, .key = name, FIELD(struct config, member)
#define DEVICE(name, member) .scope = OPTION_DEVICE, .key = name, FIELD(struct config_device, member)
#define CHECK(name, member) .scope = OPTION_CHECK, .key = name, FIELD(struct health_thresholds, member)
#define ALERTS(name, member) .scope = OPTION_ALERTS, .key = name, FIELD(struct alert_settings, member)
#define PLANT(name, member) .scope = OPTION_PLANT, .key = name, FIELD(struct config_plant, member)
/* The default is written once: the compiler reads it as a value, the sample as text. */
#define BOOL(def) .type = OPTION_BOOL, .number = (def), .text = #def
#define INT(def, lo, hi) .type = OPTION_INT, .number = (def), .text = #def, .min = (lo), .max = (hi)
#define DOUBLE(def, lo, hi) .type = OPTION_DOUBLE, .number = (def), .text = #def, .min = (lo), .max = (hi)
#define STRING(def) .type = OPTION_STRING, .text = (def)
#define CHOICE(def, each) .type = OPTION_CHOICE, .text = (def), .choice = (each)
#define COMMAND(def) .type = OPTION_COMMAND, .text = (def)
/* An alert window: its start goes in the row's field, its end in end_member. */
#define WINDOW(def, end_member) .type = OPTION_WINDOW, .text = (def), \
    .field_end = offsetof(struct alert_settings, end_member)
#define DEVICE_WINDOW(def, end_member) .type = OPTION_WINDOW, .text = (def), \
    .field_end = offsetof(struct config_device, end_member)

/* The PV strings [check] strings may name. (The clocks' choices are the device clock's
 * own mode names, devclock_mode_name: what the file accepts is what the clock knows.) */
static const char *pv_strings_choice(size_t index)
{
    static const char *const strings[] = {"", "A", "B", "AB"};
    return index < sizeof strings / sizeof strings[0] ? strings[index] : NULL;
}

static const struct option_def options[] = {
    {GENERAL("device", device), STRING(""), .help = "device section to open when none is given (empty: the simulated demo)"},
    {GENERAL("plant", plant), STRING(""), .help = "plant section to open when none is given (before device)"},
    {GENERAL("rate", rate), DOUBLE(4, 0.1, 10000), .help = "requests per second; real devices sustain about 4"},
    {GENERAL("timeout", timeout), DOUBLE(2, 0.05, 600), .help = "seconds to wait for an answer or a connection"},
    {GENERAL("retries", retries), INT(3, 0, 10), .help = "further attempts when an answer does not come"},
    {GENERAL("theme", theme), STRING("default"), .help = "default, light, monochrome, colorblind, or a path to a theme file"},
    {GENERAL("ascii", ascii), BOOL(false), .help = "ASCII glyphs instead of UTF-8 box drawing and blocks"},
    /* On, as in htop: a click on a tab is what a first user tries. */
    {GENERAL("mouse", mouse), BOOL(true), .help = "the mouse: click a tab or a row, the wheel scrolls (hold Shift to select text)"},
    {GENERAL("refresh", refresh), INT(4, 1, 30), .help = "screen updates per second, at most"},
    {GENERAL("history_minutes", history_minutes), INT(15, 1, 120), .help = "minutes of live history in the sparklines"},
    {GENERAL("clock", clock), CHOICE("auto", devclock_mode_name), .help = "how device timestamps are meant: auto (local time when its daylight-saving flag is set), utc, local"},
    {DEVICE("host", host), STRING(""), .min = 1, .example = "192.168.1.50", .help = "address of the inverter (required)"},
    {DEVICE("port", port), INT(8899, 1, 65535), .help = "TCP port"},
    {DEVICE("rate", rate), DOUBLE(0, 0.1, 10000), .inherits = true, .help = "requests per second for this device"},
    {DEVICE("timeout", timeout), DOUBLE(0, 0.05, 600), .inherits = true, .help = "seconds to wait for this device"},
    {DEVICE("label", label), STRING(""), .example = "Home", .help = "name shown in the status bar"},
    {DEVICE("clock", clock), CHOICE("", devclock_mode_name), .inherits = true, .example = "auto", .help = "auto, utc or local for this device"},
    {DEVICE("expected_offline", offline_from_min), DEVICE_WINDOW("", offline_to_min), .inherits = true,
     .help = "HH:MM-HH:MM local time when this unit is expected offline (default: [alerts] expected_offline)"},
    /* The diagnosis thresholds; the README says where each default comes from. */
    /* The whole check, well inside the engines' 60 s. */
    {CHECK("timeout", check_timeout_s), DOUBLE(45, 1, 3600), .help = "seconds for the whole check (rcttop check -t), connecting and reading"},
    /* Typical warranty: 80 % after 10 years. */
    {CHECK("soh_warning", soh_warning), DOUBLE(80, 0, 100), .help = "battery state of health (%) below which to warn"},
    {CHECK("soh_critical", soh_critical), DOUBLE(70, 0, 100), .help = "... and to raise a critical finding"},
    /* 38 mV is normal on real towers; LFP cells in balance stay within ~50 mV on the flat. */
    {CHECK("cell_spread_warning_mv", cell_spread_warning_mv), DOUBLE(80, 1, 1000), .help = "cell voltage spread within a module (mV) to warn at, where the LFP curve is flat"},
    {CHECK("cell_spread_critical_mv", cell_spread_critical_mv), DOUBLE(150, 1, 1000), .help = "... critical"},
    /* LFP datasheets: discharge cut-off 2.5-2.8 V, charge cut-off 3.6-3.65 V. */
    {CHECK("cell_low_warning_v", cell_low_warning_v), DOUBLE(3.0, 1, 5), .help = "a cell below this voltage (V) is a warning"},
    {CHECK("cell_low_critical_v", cell_low_critical_v), DOUBLE(2.8, 1, 5), .help = "... critical"},
    {CHECK("cell_high_warning_v", cell_high_warning_v), DOUBLE(3.55, 1, 5), .help = "a cell above this voltage (V) is a warning"},
    {CHECK("cell_high_critical_v", cell_high_critical_v), DOUBLE(3.65, 1, 5), .help = "... critical"},
    /* The LFP curve is flat between about 15 and 90 %. */
    {CHECK("cell_flat_soc_low", cell_flat_soc_low), DOUBLE(15, 0, 100), .help = "judge the spread only above this SOC (%) ..."},
    {CHECK("cell_flat_soc_high", cell_flat_soc_high), DOUBLE(90, 0, 100), .help = "... below this SOC (%) ..."},
    {CHECK("cell_flat_current_a", cell_flat_current_a), DOUBLE(10, 0, 1000), .help = "... and below this battery current (A)"},
    /* LFP charging below ~5 °C is derated; datasheets: operation up to 45-50 °C. */
    {CHECK("cell_temp_low", cell_temp_low), DOUBLE(5, -40, 60), .help = "cell temperature (°C) below which to say charging is derated"},
    {CHECK("cell_temp_high", cell_temp_high), DOUBLE(45, 0, 100), .help = "cell temperature (°C) above which to warn"},
    {CHECK("cell_temp_critical", cell_temp_critical), DOUBLE(55, 0, 100), .help = "... critical"},
    {CHECK("cell_temp_spread", cell_temp_spread), DOUBLE(8, 1, 50), .help = "temperature spread within a module (°C) to warn at"},
    {CHECK("resistance_outlier", resistance_outlier), DOUBLE(1.5, 1.05, 10), .help = "a cell's resistance above this times the module's median"},
    /* The device's own r_min is the hard limit. */
    {CHECK("riso_margin", riso_margin), DOUBLE(2, 1, 100), .help = "warn when insulation is below the device's r_min times this"},
    /* Of 230 V: 4.6 V inside the tightest limit. */
    {CHECK("grid_voltage_margin_percent", grid_voltage_margin_percent), DOUBLE(2, 0, 20), .help = "warn within this share (%) of 230 V inside the tightest voltage limit"},
    {CHECK("grid_frequency_margin_hz", grid_frequency_margin_hz), DOUBLE(0.05, 0, 5), .help = "warn within this many Hz inside the tightest frequency limit"},
    {CHECK("pv_string_min_w", pv_string_min_w), DOUBLE(500, 10, 100000), .help = "a string with voltage and no power is a warning while the other makes this (W)"},
    /* Open-circuit voltage appears with the faintest light. */
    {CHECK("pv_dead_v", pv_dead_v), DOUBLE(20, 0, 1000), .help = "a string at or below this voltage (V) sees no light"},
    {CHECK("pv_light_v", pv_light_v), DOUBLE(100, 1, 1500), .help = "a string at or above this voltage (V) sees light"},
    {CHECK("strings", pv_strings), CHOICE("", pv_strings_choice), .help = "PV strings in use: A, B or AB (empty: the device's own setting)"},
    {CHECK("skip", skip), STRING(""), .help = "rules switched off, comma-separated ids or prefixes (e.g. events,link)"},
    {CHECK("clock_warning_s", clock_warning_s), DOUBLE(300, 1, 86400), .help = "device clock drift beyond its zone (s) to warn at"},
    {CHECK("event_recurrences", event_recurrences), INT(3, 1, 1000), .help = "events of one kind in 7 days to warn at"},
    {CHECK("answer_ratio_warning", answer_ratio_warning), DOUBLE(0.9, 0, 1), .help = "share of requests answered below which to warn"},
    {CHECK("rtt_warning_ms", rtt_warning_ms), DOUBLE(1000, 1, 60000), .help = "round trip (ms) above which to warn"},
    {CHECK("foreign_per_minute", foreign_per_minute), DOUBLE(6, 0, 10000), .help = "answers a minute to another client before saying so"},
    /* Alerts: the monitor and `rcttop watch`. */
    {ALERTS("command", command), COMMAND(""), .help = "program run for each alert, with its arguments (no shell): the event in RCTTOP_* variables and as JSON on stdin"},
    {ALERTS("bell", ring_bell), BOOL(false), .help = "the monitor rings the terminal bell once per alert into warning or critical"},
    /* A few polls of the fault words (every 5 s): no single bad read. */
    {ALERTS("hold", hold_s), DOUBLE(10, 0, 3600), .help = "seconds a condition must hold before it fires or resolves"},
    {ALERTS("hook_timeout", hook_timeout_s), DOUBLE(30, 1, 3600), .help = "seconds before a hook still running is killed"},
    {ALERTS("soc_below", soc_below), DOUBLE(0, 0, 100), .help = "an alert when the battery SOC (%) falls below this (0: none)"},
    {ALERTS("soc_above", soc_above), DOUBLE(0, 0, 100), .help = "... resolved only above this (%), so it does not flap"},
    {ALERTS("towers", towers), BOOL(true), .help = "an alert when a battery tower seen before is gone"},
    {ALERTS("expected_offline", offline_from_min), WINDOW("", offline_to_min),
     .help = "HH:MM-HH:MM local time when offline is expected (a PV-only slave at night): offline is info then"},
    {PLANT("devices", devices), STRING(""), .min = 1, .example = "home garage",
     .help = "the [device:NAME] sections of the plant's units, the master first (required)"},
    {PLANT("label", label), STRING(""), .example = "Home", .help = "name shown in the status bar"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char *const section_names[] = {
    [OPTION_GENERAL] = "general", [OPTION_DEVICE] = "device:", [OPTION_CHECK] = "check",
    [OPTION_ALERTS] = "alerts", [OPTION_PLANT] = "plant:"};

const char *options_section_name(enum option_scope scope)
{
    return section_names[scope];
}

bool options_section_scope(const char *name, enum option_scope *scope)
{
    for (size_t s = 0; s < sizeof section_names / sizeof section_names[0]; s++) {
        size_t len = strlen(section_names[s]);
        bool prefix = section_names[s][len - 1] == ':';
        if (prefix ? strncmp(name, section_names[s], len) == 0 : strcmp(name, section_names[s]) == 0) {
            *scope = (enum option_scope)s;
            return true;
        }
    }
    return false;
}

size_t options_count(void)
{
    return NOPTIONS;
}

const struct option_def *options_at(size_t i)
{
    return i < NOPTIONS ? &options[i] : NULL;
}

const struct option_def *options_find(enum option_scope scope, const char *key)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].scope == scope && strcmp(options[i].key, key) == 0)
            return &options[i];
    return NULL;
}

void options_text_limits(const struct option_def *o, size_t *min_len, size_t *max_len)
{
    if (o->type == OPTION_WINDOW) {
        *min_len = 0;
        *max_len = sizeof "HH:MM-HH:MM" - 1;
    } else if (o->type == OPTION_CHOICE) {
        *min_len = (size_t)-1;
        *max_len = 0;
        const char *c;
        for (size_t i = 0; (c = o->choice(i)); i++) {
            size_t n = strlen(c);
            *min_len = n < *min_len ? n : *min_len;
            *max_len = n > *max_len ? n : *max_len;
        }
    } else {
        *min_len = (size_t)o->min;
        *max_len = o->size - 1;
    }
}

const char *options_choice_list(const struct option_def *o, char *buf, size_t cap)
{
    size_t said = 0, count = 0;
    const char *c;
    for (size_t i = 0; (c = o->choice(i)); i++)
        count += c[0] != '\0';
    buf[0] = '\0';
    for (size_t i = 0; (c = o->choice(i)); i++) {
        if (!c[0])
            continue;
        size_t len = strlen(buf);
        const char *sep = said == 0 ? "" : said + 1 == count ? " or " : ", ";
        snprintf(buf + len, cap - len, "%s%s", sep, c);
        said++;
    }
    return buf;
}

void options_set_defaults(enum option_scope scope, void *base)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option_def *o = &options[i];
        if (o->scope != scope)
            continue;
        char *dest = (char *)base + o->field;
        switch (o->type) {
        case OPTION_BOOL: *(bool *)dest = o->number != 0; break;
        case OPTION_INT: *(int *)dest = (int)o->number; break;
        case OPTION_DOUBLE: *(double *)dest = o->number; break;
        case OPTION_STRING:
        case OPTION_CHOICE:
        case OPTION_COMMAND: snprintf(dest, o->size, "%s", o->text); break;
        case OPTION_WINDOW:
            if (!o->text[0] || !alert_parse_window(o->text, (int *)dest, (int *)((char *)base + o->field_end)))
                *(int *)dest = *(int *)((char *)base + o->field_end) = -1;
            break;
        }
    }
}

void config_default_thresholds(struct health_thresholds *t)
{
    memset(t, 0, sizeof *t);
    options_set_defaults(OPTION_CHECK, t);
}

void config_default_alert_settings(struct alert_settings *s)
{
    memset(s, 0, sizeof *s);
    options_set_defaults(OPTION_ALERTS, s);
}

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    options_set_defaults(OPTION_GENERAL, cfg);
    config_default_thresholds(&cfg->check);
    config_default_alert_settings(&cfg->alerts);
}
