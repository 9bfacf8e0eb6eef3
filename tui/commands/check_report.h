/* What `rcttop check` reports, the way Monitoring Plugins do (Nagios, Icinga, Checkmk):
 * the figures people graph as perfdata ('label'=value[UOM];warn;crit;min;max, numbers in
 * the C locale), -w/-c thresholds on them (Nagios ranges), the first line and details as
 * text, and the same as JSON (a schema version, numbers as numbers, ISO-8601 times). */
#ifndef RCT_CHECK_REPORT_H
#define RCT_CHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "proto/core/store.h"
#include "tui/diagnosis/health.h"

#define CHECK_SCHEMA "rcttop-check/1"
enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };

/* A Nagios range: alert outside start..end (inside with '@'); "10" is 0..10, "10:" is
 * 10 and up, "~:10" is up to 10. */
struct check_range {
    double start, end;
    bool inside;
    char text[40];
};
bool check_range_parse(const char *text, struct check_range *out);
bool check_range_alerts(const struct check_range *r, double v);

/* -w/-c: LABEL=RANGE[,LABEL=RANGE...] on the perfdata labels. */
#define CHECK_USER_MAX 24
struct check_user_threshold {
    char label[32];
    struct check_range range;
    bool critical;
};
/* Adds the thresholds in text; false with why (an unknown label, a bad range). */
bool check_thresholds_parse(const char *text, bool critical, struct check_user_threshold *list,
                            size_t *n, char *why, size_t cap);
/* The labels -w/-c know, comma-separated, for help and errors. */
const char *check_perf_labels(void);

struct check_perf {
    char label[100];          /* with several units: "UNIT:figure" */
    double value;
    int decimals;             /* as precise as the device measures, no float noise */
    const char *uom;          /* "", "%", "s", "c" */
    char warn[40], crit[40];  /* ranges, "" for none */
    char min[16], max[16];
};
#define CHECK_PERF_MAX 48
/* The figures, from what was read and the findings, with the rules' limits as warn/crit
 * (overridden by the user's). */
size_t check_perfdata(const struct store *store, const struct health_finding *f, size_t nf,
                      const struct health_thresholds *t, double srtt_ms,
                      const struct check_user_threshold *user, size_t nuser,
                      struct check_perf *out, size_t max);
/* Findings "threshold.LABEL" for the user's ranges a figure crosses (or cannot be judged
 * against, as information); returns how many were added at f[nf..]. */
size_t check_user_findings(const struct check_perf *perf, size_t np,
                           const struct check_user_threshold *user, size_t nuser,
                           struct health_finding *f, size_t nf, size_t max);

struct check_device {
    const char *address;      /* host:port as given */
    char model[128], serial[64], firmware[64];
    double seconds;           /* how long the check took */
};
void check_device_identity(const struct store *store, struct check_device *d);

/* The status line, perfdata and one block per finding; or the JSON document. */
void check_print_text(int status, const struct health_finding *f, size_t n,
                      const struct check_perf *perf, size_t np, FILE *out);
void check_print_json(int status, const struct check_device *d, const struct health_finding *f,
                      size_t n, const struct check_perf *perf, size_t np, FILE *out);
/* UNKNOWN with its reason on the first line of stdout (engines keep stdout, not stderr). */
int check_print_unknown(const char *why, bool json, FILE *out);

/* The parts the report over several units (check_units_report.h) is made of. */
struct json;
const char *check_status_name(int status);          /* "OK" .. "UNKNOWN" */
void check_put_plain(const char *text, FILE *out);  /* text safe for the first line */
void check_put_perf(const struct check_perf *p, size_t np, FILE *out);
void check_json_head(struct json *j, int status);   /* opens the document */
/* A finding; unit: its unit's label as a "unit" key (NULL: none). */
void check_json_finding(struct json *j, const struct health_finding *f, const char *unit);
void check_json_perf(struct json *j, const struct check_perf *p);

#endif
