/* The units a command follows: each --host given (the option repeats), the devices of a
 * [plant:NAME] section, or one [device:NAME]. One list for the monitor, `watch` and
 * `check`, so every command names and finds a plant's units the same way. */
#ifndef RCT_UNITS_H
#define RCT_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/config/config.h"

struct unit_spec {
    char name[64];         /* its [device:NAME] section, "" for a --host */
    char host[256];
    uint16_t port;
    char label[64];        /* how screens, alerts and output lines name it */
    double rate, timeout;  /* 0: the command's */
    char clock[8];         /* "": the command's */
    int offline_from_min, offline_to_min;  /* its expected_offline; -1: [alerts]' */
};

struct unit_list {
    char plant[64];        /* the [plant:NAME] followed, "" otherwise */
    char label[64];        /* the plant's label, else its name, else "" */
    size_t n;
    struct unit_spec units[CONFIG_PLANT_UNITS_MAX];
};

/* Units from --host values (HOST or HOST:PORT; default_port where none is given). Each is
 * labelled by its host, or host:port where two share a host. False after writing why
 * (a bad address, one given twice, too many). */
bool units_from_hosts(const char *const *hosts, size_t n, uint16_t default_port,
                      struct unit_list *out, char *err, size_t cap);
/* The units of [plant:NAME], in the section's order. */
bool units_from_plant(const struct config *cfg, const char *name, struct unit_list *out,
                      char *err, size_t cap);
/* The recording of one unit when a command following several records to path:
 * "plant.rctrec" and unit "master" record to "plant.master.rctrec" (the label made safe
 * for a file name). False when out is too small. */
bool units_record_path(const char *path, const char *label, char *out, size_t cap);
/* One configured device as a unit. */
void units_from_device(const struct config_device *d, struct unit_spec *out);

#endif
