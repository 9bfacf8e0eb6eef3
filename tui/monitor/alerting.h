/* Alerts in the monitor: the same engine as `rcttop watch`, judged once a second from
 * what the monitor knows; each event is kept for the Health pane and the status bar, said
 * in the key bar, rung once on the bell when asked (--bell) and handed to the hook
 * (--on-alert), whose outcome goes to the Link pane's log. */
#ifndef RCT_ALERTING_H
#define RCT_ALERTING_H

#include <stdbool.h>

struct app;
struct alert_settings;

/* False after saying why (a hook that cannot be run). */
bool alerting_open(struct app *app, const struct alert_settings *settings);
void alerting_tick(struct app *app);
/* Another device: what fired for the last one is forgotten. */
void alerting_forget(struct app *app);
void alerting_close(struct app *app);

#endif
