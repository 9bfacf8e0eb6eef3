/* The report of a check over several units (a plant): one Monitoring Plugins result.
 * The status is the worst of every unit's and of the plant's findings, in the order
 * Monitoring::Plugin's max_state_alt has it (CRITICAL > WARNING > UNKNOWN > OK); the first
 * line names the unit of each problem ("RCT CRITICAL - ac: insulation ...; pi: offline");
 * perfdata labels carry their unit ("ac:soc") so they stay distinct. With one unit the
 * check reports as it always did (check_report.h). */
#ifndef RCT_CHECK_UNITS_REPORT_H
#define RCT_CHECK_UNITS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tui/commands/check_report.h"
#include "tui/plant/plant_view.h"

struct check_unit_report {
    const char *label;
    const char *host;
    unsigned port;
    struct check_device dev;             /* address, model, serial, firmware */
    int status;                          /* CHECK_OK .. CHECK_UNKNOWN, of this unit alone */
    bool offline;                        /* unreachable or silent */
    const char *why;                     /* UNKNOWN: the reason ("" otherwise) */
    const struct health_finding *findings;   /* worst first */
    size_t nf;
    const struct check_perf *perf;       /* labels prefixed already */
    size_t np;
};

struct check_plant_report {
    const char *label;                   /* the plant's label, else "plant" */
    const struct health_finding *findings;
    size_t nf;
    const struct plant_totals *totals;   /* NULL: not computed */
};

/* The worse of two statuses: CRITICAL > WARNING > UNKNOWN > OK. */
int check_status_worst(int a, int b);
/* A unit's status from its findings (worst first or not). */
int check_status_of_findings(const struct health_finding *f, size_t n);
/* Puts "UNIT:" before each label; what perfdata cannot hold in a label (= and ') becomes _. */
void check_perf_prefix(struct check_perf *p, size_t n, const char *unit);
/* The status over every unit and the plant. */
int check_units_status(const struct check_unit_report *u, size_t n, const struct check_plant_report *plant);
/* The first line, without perfdata and newline: "RCT STATUS - unit: problem; ...". */
void check_units_first_line(int status, const struct check_unit_report *u, size_t n,
                            const struct check_plant_report *plant, FILE *out);
/* The first line with every unit's perfdata, then one block per unit and the plant's. */
void check_units_print_text(int status, const struct check_unit_report *u, size_t n,
                            const struct check_plant_report *plant, FILE *out);
/* The JSON document: "devices" (one object per unit) and "plant" (its findings, totals). */
void check_units_print_json(int status, double seconds, const struct check_unit_report *u, size_t n,
                            const struct check_plant_report *plant, FILE *out);

#endif
