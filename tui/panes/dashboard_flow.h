/* The dashboard's power flow (see dashboard_flow.c): the readings it is drawn from and
 * the box that draws them. */
#ifndef RCT_DASHBOARD_FLOW_H
#define RCT_DASHBOARD_FLOW_H

#include <curses.h>

#include "tui/panes/dashboard_oids.h"
#include "widgets/layout.h"

struct app;

/* Columns the flow diagram takes. */
#define FLOW_W 41

/* One power reading as the dashboard shows it. */
struct power {
    double w;          /* NaN when unknown */
    char text[24];     /* magnitude: "1 250 W"; "…" or "--" when unknown */
    attr_t attr;       /* value, stale or error */
};

struct flow {
    struct power pv_a, pv_b, bat, inv, house, grid;
    int bat_dir;   /* +1 discharging (into the DC bus), -1 charging, 0 idle */
    int inv_dir;   /* +1 DC -> AC, -1 AC -> DC (charging from the grid) */
    int grid_dir;  /* +1 drawing from the grid, -1 feeding in */
    bool no_battery;  /* the device answers no battery OID: no battery branch at all */
};

/* The six powers and their directions, as the store has them now. */
void dashboard_read_flow(struct app *app, struct flow *f);
/* The "Power flow" box (a compact form below four rows). */
void dashboard_draw_flow(struct app *app, WINDOW *win, struct wrect r, const struct flow *f);
const char *dashboard_battery_direction(int dir, double w);
/* One power as the dashboard shows it (magnitude, and how to draw it). */
void dashboard_read_power(struct app *app, enum dash_oid which, struct power *p);

#endif
