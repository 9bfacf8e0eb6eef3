/* `check` over several units (--host repeated, --plant): one Monitoring Plugins result.
 * Each unit is read on its own connection, all in parallel (check_units.h), judged as
 * one device is (check_judge.h), and the plant's findings and totals come from what they
 * read (tui/plant); the report says which unit each problem is of (check_units_report.h). */
#ifndef RCT_CHECK_PLANT_H
#define RCT_CHECK_PLANT_H

#include "tui/commands/check_judge.h"
#include "tui/config/units.h"

/* Reads, judges and prints; returns the exit status. */
int check_plant_run(struct check_run *r, const struct health_thresholds *t, const struct unit_list *list);

#endif
