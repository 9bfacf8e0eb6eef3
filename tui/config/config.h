/* Configuration: one table of options (name, type, range, default, help) drives the INI
 * parsing, range checks, the monitor's --help text and assets/rcttop.ini.sample, so
 * they cannot drift apart. [general] plus named [device:NAME] sections. */
#ifndef RCT_CONFIG_H
#define RCT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_MAX_DEVICES 32

struct config_device {
    char name[64];
    char host[256];
    int port;
    double rate;          /* 0 = the general rate */
    double timeout;       /* 0 = the general timeout */
    char label[64];
    char clock[8];        /* "" = the general clock */
};

#include "tui/alerts/alerts.h"
#include "tui/diagnosis/health.h"

struct config {
    char path[1024];      /* file read, or "" when none */
    char device[64];      /* default device name */
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
    /* [check]: the diagnosis rules' thresholds, the defaults with what the file set */
    struct health_thresholds check;
    bool check_loaded;
    /* [alerts] */
    struct alert_settings alerts;
    char alerts_window[16];        /* expected_offline as written */
};

/* Applies the [check] section's thresholds over the rules' defaults. */
void config_check_thresholds(const struct config *cfg, struct health_thresholds *t);

void config_defaults(struct config *cfg);
/* Loads path (explicit = from --config: a missing file is an error), or the XDG
 * location when path is NULL (a missing file is fine). On error writes one line naming
 * the file and key into err and returns false. */
bool config_load(struct config *cfg, const char *path, char *err, size_t errcap);
const struct config_device *config_find_device(const struct config *cfg, const char *name);
/* The sample configuration, generated from the options table. */
void config_write_sample(FILE *out);
/* Lines for --help: "  [general] rate = 4  (0.1..10000) requests per second ...". */
void config_write_help(FILE *out);

#endif
