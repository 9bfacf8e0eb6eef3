/* INI configuration through iniparser, validated against the option table: an unknown
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
#include "tui/config/inifile.h"
#include "tui/config/options.h"

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

/* Checks the text of a string-like option: its length, no control character, and what
 * its type asks (one of the choices, a window, a command the hook can run). */
static bool take_text(const struct config *cfg, const char *section, const struct option_def *o,
                      const char *text, char *err, size_t cap)
{
    char at[1200], why[300];
    size_t min_len, max_len, len = strlen(text);
    options_text_limits(o, &min_len, &max_len);
    if (len > max_len || len < min_len)
        return fail(err, cap, "%s: %s", locate(cfg, section, o->key, at, sizeof at),
                    len < min_len ? "must not be empty" : "too long");
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return fail(err, cap, "%s: has a control character",
                        locate(cfg, section, o->key, at, sizeof at));
    int from, to;
    const char *choice;
    switch (o->type) {
    case OPTION_CHOICE:
        for (size_t i = 0; (choice = o->choice(i)); i++)
            if (strcmp(text, choice) == 0)
                return true;
        return fail(err, cap, "%s: must be %s", locate(cfg, section, o->key, at, sizeof at),
                    options_choice_list(o, why, sizeof why));
    case OPTION_WINDOW:
        if (text[0] && !alert_parse_window(text, &from, &to))
            return fail(err, cap, "%s: must be HH:MM-HH:MM (e.g. 21:30-06:00)",
                        locate(cfg, section, o->key, at, sizeof at));
        return true;
    case OPTION_COMMAND:
        if (text[0] && !hook_check_command(text, why, sizeof why))
            return fail(err, cap, "%s: %s", locate(cfg, section, o->key, at, sizeof at), why);
        return true;
    default:
        return true;
    }
}

/* Checks one value against its row and stores it in base, the row's struct. */
static bool take_value(const struct config *cfg, const char *section, const struct option_def *o,
                       const char *text, void *base, char *err, size_t cap)
{
    char at[1200];
    char *dest = (char *)base + o->field;
    double v;
    switch (o->type) {
    case OPTION_STRING:
    case OPTION_CHOICE:
    case OPTION_COMMAND:
        if (!take_text(cfg, section, o, text, err, cap))
            return false;
        snprintf(dest, o->size, "%s", text);
        return true;
    case OPTION_WINDOW:
        if (!take_text(cfg, section, o, text, err, cap))
            return false;
        if (text[0])
            alert_parse_window(text, (int *)dest, (int *)((char *)base + o->field_end));
        return true;
    case OPTION_DOUBLE:
        if (!args_decimal(text, false, &v) || v < o->min || v > o->max)
            return fail(err, cap, "%s: must be a number from %g to %g",
                        locate(cfg, section, o->key, at, sizeof at), o->min, o->max);
        *(double *)dest = v;
        return true;
    case OPTION_INT:
        if (!args_decimal(text, true, &v) || v < o->min || v > o->max)
            return fail(err, cap, "%s: must be a whole number from %g to %g",
                        locate(cfg, section, o->key, at, sizeof at), o->min, o->max);
        *(int *)dest = (int)v;
        return true;
    case OPTION_BOOL:
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

void config_check_thresholds(const struct config *cfg, struct health_thresholds *t)
{
    *t = cfg->check;
}

/* The struct a section's keys are stored in. */
static void *scope_base(struct config *cfg, void *named, enum option_scope scope)
{
    switch (scope) {
    case OPTION_GENERAL: return cfg;
    case OPTION_DEVICE:
    case OPTION_PLANT: return named;
    case OPTION_CHECK: return &cfg->check;
    case OPTION_ALERTS: return &cfg->alerts;
    }
    return NULL;
}

static bool load_section(struct config *cfg, dictionary *ini, const char *section, char *err,
                         size_t cap)
{
    enum option_scope scope;
    if (!options_section_scope(section, &scope)) {
        char sec[48];
        return fail(err, cap, "%s: unknown section [%s] (use [general], [check], [alerts] or "
                    "[device:NAME], [plant:NAME])", cfg->path, inifile_visible(section, sec, sizeof sec));
    }
    struct config_device *dev = NULL;
    if (scope == OPTION_DEVICE) {
        const char *name = section + strlen(options_section_name(OPTION_DEVICE));
        if (name[0] == '\0' || strlen(name) >= sizeof dev->name)
            return fail(err, cap, "%s: [%s]: the device needs a short name", cfg->path, section);
        if (cfg->ndevices >= CONFIG_MAX_DEVICES)
            return fail(err, cap, "%s: more than %d devices", cfg->path, CONFIG_MAX_DEVICES);
        dev = &cfg->devices[cfg->ndevices++];
        memset(dev, 0, sizeof *dev);
        options_set_defaults(OPTION_DEVICE, dev);
        snprintf(dev->name, sizeof dev->name, "%s", name);
    }
    struct config_plant *plant = NULL;
    if (scope == OPTION_PLANT) {
        const char *name = section + strlen(options_section_name(OPTION_PLANT));
        if (name[0] == '\0' || strlen(name) >= sizeof plant->name)
            return fail(err, cap, "%s: [%s]: the plant needs a short name", cfg->path, section);
        if (cfg->nplants >= CONFIG_MAX_PLANTS)
            return fail(err, cap, "%s: more than %d plants", cfg->path, CONFIG_MAX_PLANTS);
        plant = &cfg->plants[cfg->nplants++];
        memset(plant, 0, sizeof *plant);
        options_set_defaults(OPTION_PLANT, plant);
        snprintf(plant->name, sizeof plant->name, "%s", name);
    }
    void *base = scope_base(cfg, dev ? (void *)dev : (void *)plant, scope);
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
        const struct option_def *o = options_find(scope, key);
        if (!o) {
            char at[1200];
            ok = fail(err, cap, "%s: unknown key", locate(cfg, section, key, at, sizeof at));
            break;
        }
        ok = take_value(cfg, section, o, ini->val[i], base, err, cap);
    }
    if (ok && dev && !dev->host[0])
        ok = fail(err, cap, "%s: [%s] host: missing (every device needs one)", cfg->path, section);
    if (ok && plant && !plant->devices[0])
        ok = fail(err, cap, "%s: [%s] devices: missing (name the units' [device:NAME] sections)",
                  cfg->path, section);
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
    if (ok && cfg->device[0] && !config_find_device(cfg, cfg->device))
        ok = fail(err, errcap, "%s: [general] device = %s: no [device:%s] section", path,
                  cfg->device, cfg->device);
    if (ok && cfg->plant[0] && !config_find_plant(cfg, cfg->plant))
        ok = fail(err, errcap, "%s: [general] plant = %s: no [plant:%s] section", path,
                  cfg->plant, cfg->plant);
    for (int i = 0; ok && i < cfg->nplants; i++) {
        const struct config_device *units[CONFIG_PLANT_UNITS_MAX];
        char why[300];
        if (config_plant_devices(cfg, &cfg->plants[i], units, CONFIG_PLANT_UNITS_MAX, why, sizeof why) < 0)
            ok = fail(err, errcap, "%s: [plant:%s] devices: %s", path, cfg->plants[i].name, why);
    }
    return ok;
}

const struct config_plant *config_find_plant(const struct config *cfg, const char *name)
{
    for (int i = 0; i < cfg->nplants; i++)
        if (strcmp(cfg->plants[i].name, name) == 0)
            return &cfg->plants[i];
    return NULL;
}

int config_plant_devices(const struct config *cfg, const struct config_plant *p,
                         const struct config_device **out, int max, char *err, size_t cap)
{
    int n = 0;
    const char *at = p->devices;
    for (;;) {
        at += strspn(at, " ,\t");
        size_t len = strcspn(at, " ,\t");
        if (len == 0)
            break;
        char name[64], shown[64];
        if (len >= sizeof name) {
            snprintf(err, cap, "'%.20s...' is no device name", inifile_visible(at, shown, sizeof shown));
            return -1;
        }
        memcpy(name, at, len);
        name[len] = '\0';
        at += len;
        const struct config_device *d = config_find_device(cfg, name);
        if (!d) {
            snprintf(err, cap, "no [device:%s] section", inifile_visible(name, shown, sizeof shown));
            return -1;
        }
        for (int i = 0; i < n; i++)
            if (out[i] == d) {
                snprintf(err, cap, "%s is named twice", name);
                return -1;
            }
        if (n == max) {
            snprintf(err, cap, "more than %d units", max);
            return -1;
        }
        out[n++] = d;
    }
    if (n == 0)
        snprintf(err, cap, "names no device");
    return n ? n : -1;
}

const struct config_device *config_find_device(const struct config *cfg, const char *name)
{
    for (int i = 0; i < cfg->ndevices; i++)
        if (strcmp(cfg->devices[i].name, name) == 0)
            return &cfg->devices[i];
    return NULL;
}

const char *config_device_label(const struct config_device *d)
{
    return d->label[0] ? d->label : d->name;
}

bool config_number_range(const char *section, const char *key, double *min, double *max,
                         bool *whole)
{
    enum option_scope scope;
    const struct option_def *o = options_section_scope(section, &scope) ? options_find(scope, key) : NULL;
    if (!o || (o->type != OPTION_INT && o->type != OPTION_DOUBLE))
        return false;
    *min = o->min;
    *max = o->max;
    *whole = o->type == OPTION_INT;
    return true;
}

const char *config_default_text(const char *section, const char *key)
{
    enum option_scope scope;
    const struct option_def *o = options_section_scope(section, &scope) ? options_find(scope, key) : NULL;
    return o ? o->text : NULL;
}
