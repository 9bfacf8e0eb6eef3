/* Configuration: one table of options (tui/config/options.c) gives the defaults, the INI
 * parsing and checks, the sample, the help and the man page's CONFIGURATION section.
 * [general], named [device:NAME] sections, [check] and [alerts]. */
#ifndef RCT_CONFIG_H
#define RCT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_MAX_DEVICES 32
#define CONFIG_MAX_PLANTS 16
/* Most units one plant holds (the monitor, `watch` and `check` follow them all at once). */
#define CONFIG_PLANT_UNITS_MAX 16

struct config_device {
    char name[64];
    char host[256];
    int port;
    double rate;          /* 0 = the general rate */
    double timeout;       /* 0 = the general timeout */
    char label[64];
    char clock[8];        /* "" = the general clock */
    /* Its own expected_offline window, minutes of the local day; -1 both: [alerts]'. A
     * plant's PV-only slave sleeps at night, its master must not. */
    int offline_from_min, offline_to_min;
};

/* [plant:NAME]: units that work together, named by their [device:NAME] sections. */
struct config_plant {
    char name[64];
    char devices[1024];   /* the device sections' names, separated by spaces or commas */
    char label[64];
};

#include "tui/alerts/alerts.h"
#include "tui/diagnosis/health.h"

struct config {
    char path[1024];      /* file read, or "" when none */
    char device[64];      /* default device name */
    char plant[64];       /* default plant name (wins over device) */
    double rate;
    double timeout;
    int retries;
    char theme[256];
    bool ascii;
    bool mouse;
    int refresh;          /* screen updates per second, at most */
    int history_minutes;  /* length of the dashboard's sparklines */
    char clock[8];        /* auto, utc, local: how device timestamps are meant */
    int ndevices;
    struct config_device devices[CONFIG_MAX_DEVICES];
    int nplants;
    struct config_plant plants[CONFIG_MAX_PLANTS];
    /* [check]: the diagnosis rules' thresholds, the defaults with what the file set */
    struct health_thresholds check;
    /* [alerts] */
    struct alert_settings alerts;
};

/* The thresholds the rules use: the table's defaults with what [check] set. */
void config_check_thresholds(const struct config *cfg, struct health_thresholds *t);

/* The table's defaults: [general] (with [check] and [alerts]), and those two alone. */
void config_defaults(struct config *cfg);
void config_default_thresholds(struct health_thresholds *t);
void config_default_alert_settings(struct alert_settings *s);
/* Loads path (explicit = from --config: a missing file is an error), or the XDG
 * location when path is NULL (a missing file is fine). On error writes one line naming
 * the file and key into err and returns false. */
bool config_load(struct config *cfg, const char *path, char *err, size_t errcap);
const struct config_device *config_find_device(const struct config *cfg, const char *name);
const struct config_plant *config_find_plant(const struct config *cfg, const char *name);
/* The devices of a plant, in the order the section names them: how many (at most max),
 * or -1 after writing why into err (a name without its [device:NAME] section, one named
 * twice, too many). */
int config_plant_devices(const struct config *cfg, const struct config_plant *p,
                         const struct config_device **out, int max, char *err, size_t cap);
/* How the monitor, `watch` and the alerts name a configured device: its label, else the
 * name of its section. */
const char *config_device_label(const struct config_device *d);
/* The range the configuration allows for the number [section] key ("general", "check"),
 * and whether it is a whole number, so a command-line option setting the same thing
 * takes the same values. False for no such number. */
bool config_number_range(const char *section, const char *key, double *min, double *max,
                         bool *whole);
/* The default of [section] key as the configuration writes it ("4", "auto"), or NULL for
 * no such key. */
const char *config_default_text(const char *section, const char *key);
/* The sample configuration, generated from the options table. */
void config_write_sample(FILE *out);
/* `rcttop help config`: each section, each key with its default, its meaning wrapped
 * below it at 80 columns. */
void config_write_help(FILE *out);
/* The options part of the man page's CONFIGURATION section, in roff. */
void config_write_man(FILE *out);

#endif
