/* What `rcttop check` makes of what it read from one device: the energy totals against
 * the last check's, the rules' findings, the figures as perfdata and the user's -w/-c
 * thresholds, worst first. The same for one device and for each unit of a plant. */
#ifndef RCT_CHECK_JUDGE_H
#define RCT_CHECK_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/commands/check_report.h"
#include "tui/commands/check_units.h"
#include "tui/commands/oneshot_options.h"
#include "tui/config/units.h"
#include "tui/diagnosis/health.h"

#define FINDINGS_MAX 120

/* One check's settings, as the command line and the configuration give them. */
struct check_run {
    struct oneshot_options o;
    const char *only;
    char skip[256];
    double budget_s;
    bool budget_given;
    struct check_user_threshold user[CHECK_USER_MAX];
    size_t nuser;
    double started;
    const char *hosts[CONFIG_PLANT_UNITS_MAX];   /* --host, repeated for several units */
    size_t nhosts;
    const char *plant;                           /* --plant NAME */
};

/* Seconds on the monotonic clock. */
double check_mono_s(void);

/* From what was read to the findings and the figures, worst first. CLI_EXIT_OK, or
 * CHECK_UNKNOWN with why (the fault words unread, no rule run). */
int check_judge(const struct check_run *r, const struct health_thresholds *t, struct check_reads *k,
                struct check_device *dev, struct health_finding *findings, size_t *nfound,
                struct check_perf *perf, size_t *nperf, char *why, size_t cap);

#endif
