/* The units found as configuration sections: see scan_ini.h. */
#include "tui/commands/scan_ini.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "proto/core/version.h"
#include "tui/config/config.h"
#include "tui/format/iprange.h"

#define SCAN_INI_DEFAULT_PORT 8899  /* [device] port's default: said only when another */

struct unit {
    const struct scan_result *r;
    char name[40];    /* the [device:NAME] */
    char label[64];
    char ip[16];
    bool in_plant;
};

/* A section name from a device's text: lower case (iniparser folds section names), letters,
 * digits and '-' only, so no serial can break the file. */
static void name_from(const char *text, char *out, size_t cap)
{
    size_t n = snprintf(out, cap, "unit-");
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 1 < cap; p++)
        out[n++] = isalnum(*p) ? (char)tolower(*p) : '-';
    out[n] = '\0';
}

/* A label is a value on one line: what would end it early (a comment, a quote) goes. */
static void label_from(const char *text, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 1 < cap; p++)
        out[n++] = *p < 0x20 || strchr(";#\"=[]\\", *p) ? ' ' : (char)*p;
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

static bool name_taken(const struct unit *u, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(u[i].name, name) == 0)
            return true;
    return false;
}

static size_t collect(const struct scan_result *results, size_t n, struct unit *u, size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < n && count < max; i++) {
        if (results[i].outcome != SCAN_UNIT)
            continue;
        struct unit *x = &u[count];
        memset(x, 0, sizeof *x);
        x->r = &results[i];
        iprange_format(results[i].address, x->ip, sizeof x->ip);
        name_from(results[i].serial[0] ? results[i].serial : x->ip, x->name, sizeof x->name);
        if (name_taken(u, count, x->name)) {  /* two units, one serial: the address tells */
            char base[sizeof x->name];
            memcpy(base, x->name, sizeof base);
            for (unsigned k = 2; name_taken(u, count, x->name); k++)
                snprintf(x->name, sizeof x->name, "%.30s-%u", base, k);
        }
        count++;
    }
    /* The model names a unit for people; where several share it, the serial sets them apart. */
    for (size_t i = 0; i < count; i++) {
        const struct scan_result *r = u[i].r;
        bool shared = false;
        for (size_t k = 0; k < count; k++)
            shared |= k != i && r->model[0] && strcmp(u[k].r->model, r->model) == 0;
        char text[160];
        if (!r->model[0])
            snprintf(text, sizeof text, "%s", r->serial[0] ? r->serial : u[i].ip);
        else if (shared)
            snprintf(text, sizeof text, "%.63s %.63s", r->model, r->serial[0] ? r->serial : u[i].ip);
        else
            snprintf(text, sizeof text, "%s", r->model);
        label_from(text, u[i].label, sizeof u[i].label);
    }
    return count;
}

/* A slave belongs to the master at its wifi.sockb_ip; with one master found, every slave
 * does (a master behind NAT, or reached by another address, still holds the plant). */
static bool belongs_to(const struct unit *slave, const struct unit *master, size_t masters)
{
    return masters == 1 || strcmp(slave->r->master_ip, master->ip) == 0;
}

static void write_plants(struct unit *u, size_t count, FILE *out)
{
    size_t masters = 0;
    for (size_t i = 0; i < count; i++)
        masters += u[i].r->role == PLANT_MASTER;
    for (size_t m = 0; m < count; m++) {
        if (u[m].r->role != PLANT_MASTER)
            continue;
        char devices[CONFIG_PLANT_UNITS_MAX * 41] = "";
        size_t len = (size_t)snprintf(devices, sizeof devices, "%s", u[m].name);
        int units = 1;
        for (size_t s = 0; s < count && units < CONFIG_PLANT_UNITS_MAX; s++) {
            if (u[s].r->role != PLANT_SLAVE || u[s].in_plant || !belongs_to(&u[s], &u[m], masters))
                continue;
            u[s].in_plant = true;
            len += (size_t)snprintf(devices + len, sizeof devices - len, " %s", u[s].name);
            units++;
        }
        if (units == 1)
            continue;  /* a master without a slave found is a device, not yet a plant */
        u[m].in_plant = true;
        fprintf(out, "\n; %s (master) and %d slave%s\n[plant:plant-%s]\ndevices = %s\nlabel = %.50s plant\n",
                u[m].ip, units - 1, units == 2 ? "" : "s", u[m].name + strlen("unit-"), devices,
                u[m].label);
    }
    for (size_t s = 0; s < count; s++)
        if (u[s].r->role == PLANT_SLAVE && !u[s].in_plant) {
            char master[sizeof u[s].r->master_ip];
            label_from(u[s].r->master_ip[0] ? u[s].r->master_ip : "a master it does not name", master,
                       sizeof master);
            fprintf(out, "\n; %s is a slave of %s, which was not found in this range\n", u[s].ip, master);
        }
}

void scan_ini_write(const struct scan_result *results, size_t n, uint16_t port, const char *range,
                    FILE *out)
{
    static struct unit u[CONFIG_MAX_DEVICES];
    size_t all = 0;
    for (size_t i = 0; i < n; i++)
        all += results[i].outcome == SCAN_UNIT;
    size_t count = collect(results, n, u, CONFIG_MAX_DEVICES);
    fprintf(out, "; rcttop %s: scan %s found %zu unit%s on port %u\n", rct_version(), range, all,
            all == 1 ? "" : "s", (unsigned)port);
    fputs("; open one with: rcttop --config FILE --device NAME (or --plant NAME)\n", out);
    if (count < all)
        fprintf(out, "; only the first %zu are written: a configuration holds %d devices\n", count,
                CONFIG_MAX_DEVICES);
    for (size_t i = 0; i < count; i++) {
        const struct scan_result *r = u[i].r;
        char serial[sizeof r->serial], role[sizeof r->role_text];  /* a comment is one line too */
        label_from(r->serial[0] ? r->serial : "not read", serial, sizeof serial);
        label_from(r->role_text[0] ? r->role_text : "role not read", role, sizeof role);
        fprintf(out, "\n; serial %s, %s\n[device:%s]\nhost = %s\n", serial, role, u[i].name, u[i].ip);
        if (port != SCAN_INI_DEFAULT_PORT)
            fprintf(out, "port = %u\n", (unsigned)port);
        if (u[i].label[0])
            fprintf(out, "label = %s\n", u[i].label);
    }
    write_plants(u, count, out);
}
