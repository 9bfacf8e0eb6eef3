/* Judging what a check read: see check_judge.h. */
#include "tui/commands/check_judge.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "tui/commands/check_state.h"
#include "tui/format/timearg.h"

double check_mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void totals_compare(const struct check_run *r, const struct store *store, const char *serial,
                           double *before, char *basis, size_t basis_cap, char *note, size_t note_cap)
{
    const char *const *names = health_total_names();
    size_t n = 0;
    while (names[n])
        n++;
    for (size_t i = 0; i < n; i++)
        before[i] = NAN;
    char why[600], path[1100];
    if (!serial[0]) {
        snprintf(note, note_cap, "the inverter's serial was not read, so earlier totals cannot be found");
        return;
    }
    check_totals_path(serial, path, sizeof path);
    if (!check_totals_load(serial, names, before, n, why, sizeof why))
        snprintf(note, note_cap, "%.300s; this run's totals are kept in %.400s for the next check", why, path);
    struct stat st;
    snprintf(basis, basis_cap, "the last check");
    if (stat(path, &st) == 0) {
        char when[40];
        timearg_format((int64_t)st.st_mtime, false, when, sizeof when);
        snprintf(basis, basis_cap, "the last check (%s)", when);
    }
    if (r->o.replay_path[0])
        return;  /* a recording is the past: it must not overwrite what the device has now */
    double now[16];
    for (size_t i = 0; i < n && i < 16; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(names[i]);
        if (!info || !store_number(store, info->oid, &now[i]))
            now[i] = NAN;
    }
    if (!check_totals_save(serial, names, now, n, why, sizeof why)) {
        fprintf(stderr, "rcttop check: cannot keep the energy totals: %s\n", why);
        snprintf(note + strlen(note), note_cap - strlen(note), "%s(cannot keep them: %s)",
                 note[0] ? "; " : "", why);
    }
}

int check_judge(const struct check_run *r, const struct health_thresholds *t, struct check_reads *k,
                struct check_device *dev, struct health_finding *findings, size_t *nfound,
                struct check_perf *perf, size_t *nperf, char *why, size_t cap)
{
    check_device_identity(k->store, dev);
    double before[16];
    char basis[96] = "", note[1400] = "";
    totals_compare(r, k->store, dev->serial, before, basis, sizeof basis, note, sizeof note);
    struct health_input in = {
        .store = k->store, .now_unix = (int64_t)time(NULL), .clock_mode = r->o.clock_mode,
        .events_read = k->events_read, .events = k->pager.rows, .nevents = k->pager.n, .totals_before = before,
        .totals_basis = basis, .totals_note = note, .link = r->o.replay_path[0] ? NULL : &k->link,
        .srtt_ms = k->srtt_ms, .link_minutes = k->seconds / 60.0};
    size_t nf = health_evaluate(&in, t, r->only, findings, FINDINGS_MAX - CHECK_USER_MAX - 1);
    *nfound = nf;
    *nperf = 0;
    /* The fault state is the core of a check: not read means no verdict at all. */
    for (size_t i = 0; i < nf; i++)
        if (!strcmp(findings[i].id, "faults") && findings[i].severity != HEALTH_OK) {
            snprintf(why, cap, "the fault words could not be read (%s)", findings[i].detail);
            return CHECK_UNKNOWN;
        }
    if (k->out_of_time) {
        struct health_finding *f = &findings[nf++];
        health_findings_release(f, 1);
        memset(f, 0, sizeof *f);
        snprintf(f->id, sizeof f->id, "check.time_budget");
        f->severity = HEALTH_INFO;
        snprintf(f->title, sizeof f->title, "the %.0f s budget (-t) ran out before every read", r->budget_s);
        health_finding_set_detail(f, "rules whose inputs came too late say 'not available'");
    }
    size_t np = check_perfdata(k->store, findings, nf, t, k->srtt_ms, r->user, r->nuser, perf, CHECK_PERF_MAX);
    nf += check_user_findings(perf, np, r->user, r->nuser, findings, nf, FINDINGS_MAX);
    *nfound = nf;
    *nperf = np;
    if (nf == 0) {
        snprintf(why, cap, "no rule was run (--only, --skip)");
        return CHECK_UNKNOWN;
    }
    health_sort_worst_first(findings, nf);  /* the user's thresholds join in their place */
    return CLI_EXIT_OK;
}

/* What a check of several units reads first: what the rules need, who the unit is, and
 * what the plant findings and totals are made of. */
