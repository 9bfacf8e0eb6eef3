/* The alert hook: a program run for each alert with execvp (no shell, no templating), the
 * event in RCTTOP_* environment variables and as one JSON object on its stdin. It never
 * blocks polling or drawing: children are watched through the event loop, at most one runs
 * per event kind (the next waits its turn), one that outlives its timeout is killed with
 * its process group, and what became of each (exit status, the start of its stderr) is
 * reported through a callback for the Link pane or standard error. */
#ifndef RCT_HOOK_H
#define RCT_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tui/alerts/alerts.h"

struct event_base;

/* Who the device is, for the variables and the JSON. */
struct alert_device {
    char address[300];     /* host:port, "demo" for the simulated one */
    char label[64];        /* how the user names it; never empty */
    char serial[64];       /* "" until the device said it */
    /* `watch` over several units: every line names its unit, {"unit":{"label", "host",
     * "port", "serial"}}; off for one device, whose lines stay as they were. */
    bool unit_line;
    char host[256];
    uint16_t port;
};
/* The one way the monitor and `watch` name a device in their alerts: the address as
 * host:port (host NULL or "": the demo), the label as given or else the host. */
void alert_device_init(struct alert_device *d, const char *host, uint16_t port, const char *label);

/* The RCTTOP_* variables a hook run gets for an event, in a fixed order. */
#define HOOK_VARS 12
struct hook_var {
    const char *name;      /* "RCTTOP_EVENT", ... */
    char value[320];
};
void hook_environment(const struct alert_event *ev, const struct alert_device *dev,
                      struct hook_var vars[HOOK_VARS]);

/* One JSON object (no newline) for an event: the line `watch` writes and the hook reads. */
void alert_write_json(const struct alert_event *ev, const struct alert_device *dev, FILE *out);
/* The "unit" member of a line, when dev->unit_line is set. */
struct json;
void alert_write_unit(struct json *j, const struct alert_device *dev);

/* Splits a command line into words at spaces (no quoting, no expansion). False with why
 * when it is empty or its program cannot be found or run. */
bool hook_check_command(const char *command, char *why, size_t cap);

typedef void (*hook_report_fn)(void *ctx, const char *line);

struct hook_runner;
struct hook_runner *hook_runner_new(struct event_base *base, const char *command,
                                    double timeout_s, hook_report_fn report, void *ctx);
/* Queues a run for ev (started at once unless one of its kind is running). */
void hook_runner_fire(struct hook_runner *h, const struct alert_event *ev,
                      const struct alert_device *dev);
/* Runs started, and the ones still running or waiting. */
unsigned hook_runner_started(const struct hook_runner *h);
unsigned hook_runner_busy(const struct hook_runner *h);
/* Kills what still runs (its process group) and frees. */
void hook_runner_free(struct hook_runner *h);

#endif
