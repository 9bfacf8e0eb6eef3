/* A device's alerts: the engine of tui/alerts (the same as `rcttop watch`) judged once a
 * second on what is known about the device; each event is kept in its knows, handed to
 * the owner (the monitor notes it and rings the bell) and to the hook (--on-alert), whose
 * outcome goes to the link log. */
#ifndef RCT_DEVICE_ALERTS_H
#define RCT_DEVICE_ALERTS_H

#include <stdbool.h>
#include <stddef.h>

struct device;
struct alert_settings;

/* False after writing why into err (a hook that cannot be run). */
bool device_alerts_open(struct device *dev, const struct alert_settings *settings, char *err,
                        size_t cap);
void device_alerts_tick(struct device *dev);
/* Another device, or a replay started over: what fired before is forgotten. */
void device_alerts_forget(struct device *dev);
void device_alerts_close(struct device *dev);

#endif
