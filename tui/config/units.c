/* The units a command follows: see units.h. */
#include "tui/config/units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tui/format/args.h"

bool units_from_hosts(const char *const *hosts, size_t n, uint16_t default_port,
                      struct unit_list *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    if (n > CONFIG_PLANT_UNITS_MAX) {
        snprintf(err, cap, "at most %d units (%zu given)", CONFIG_PLANT_UNITS_MAX, n);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        struct unit_spec *u = &out->units[i];
        const char *why;
        u->port = default_port;
        u->offline_from_min = u->offline_to_min = -1;
        if (!args_parse_host_port(hosts[i], u->host, sizeof u->host, &u->port, &why)) {
            snprintf(err, cap, "--host '%.200s' %s", hosts[i], why);
            return false;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(out->units[k].host, u->host) == 0 && out->units[k].port == u->port) {
                snprintf(err, cap, "--host %.200s:%u is given twice", u->host, (unsigned)u->port);
                return false;
            }
    }
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        struct unit_spec *u = &out->units[i];
        bool shared = false;
        for (size_t k = 0; k < n; k++)
            shared |= k != i && strcmp(out->units[k].host, u->host) == 0;
        /* Through a copy: the label and the host share one object, and GCC's
           restrict check cannot tell the two fields apart. */
        char host[sizeof u->host];
        memcpy(host, u->host, sizeof host);
        if (shared)
            snprintf(u->label, sizeof u->label, "%.50s:%u", host, (unsigned)u->port);
        else
            snprintf(u->label, sizeof u->label, "%.63s", host);
    }
    return true;
}

void units_from_device(const struct config_device *d, struct unit_spec *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", d->name);
    snprintf(out->host, sizeof out->host, "%s", d->host);
    out->port = (uint16_t)d->port;
    snprintf(out->label, sizeof out->label, "%s", config_device_label(d));
    out->rate = d->rate;
    out->timeout = d->timeout;
    snprintf(out->clock, sizeof out->clock, "%s", d->clock);
    out->offline_from_min = d->offline_from_min;
    out->offline_to_min = d->offline_to_min;
}

bool units_from_plant(const struct config *cfg, const char *name, struct unit_list *out,
                      char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    const struct config_plant *p = config_find_plant(cfg, name);
    if (!p) {
        snprintf(err, cap, "no plant '%.64s' in %s", name,
                 cfg->path[0] ? cfg->path : "the configuration (there is no config file)");
        return false;
    }
    const struct config_device *devs[CONFIG_PLANT_UNITS_MAX];
    char why[300];
    int n = config_plant_devices(cfg, p, devs, CONFIG_PLANT_UNITS_MAX, why, sizeof why);
    if (n < 0) {
        snprintf(err, cap, "[plant:%s] devices: %s", p->name, why);
        return false;
    }
    snprintf(out->plant, sizeof out->plant, "%s", p->name);
    snprintf(out->label, sizeof out->label, "%s", p->label[0] ? p->label : p->name);
    for (int i = 0; i < n; i++)
        units_from_device(devs[i], &out->units[i]);
    out->n = (size_t)n;
    return true;
}

bool units_record_path(const char *path, const char *label, char *out, size_t cap)
{
    char safe[64];
    size_t k = 0;
    for (const char *c = label; *c && k + 1 < sizeof safe; c++)
        safe[k++] = isalnum((unsigned char)*c) || *c == '-' || *c == '_' ? *c : '_';
    safe[k] = '\0';
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    int stem = !dot || dot == (slash ? slash + 1 : path) ? (int)strlen(path) : (int)(dot - path);
    return snprintf(out, cap, "%.*s.%s%s", stem, path, safe, path + stem) < (int)cap;
}
