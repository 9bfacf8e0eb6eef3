/* `check` over several units: see check_plant.h. */
#include "tui/commands/check_plant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/commands/check_state.h"
#include "tui/commands/check_units_report.h"
#include "tui/device/knows.h"
#include "tui/format/args.h"
#include "tui/plant/plant_view.h"

static size_t units_oids(const char *only, uint32_t *oids, size_t max)
{
    size_t n = health_needed_oids_of(NULL, only, oids, max - 3 - PLANT_OIDS_MAX);
    const char *id_names[] = {"android_description", "inverter_sn", "svnversion"};
    for (size_t i = 0; i < 3; i++)
        oids[n++] = rct_registry_by_name(id_names[i])->oid;
    uint32_t plant[PLANT_OIDS_MAX];
    size_t np = plant_oids(plant, PLANT_OIDS_MAX);
    for (size_t i = 0; i < np; i++) {
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = oids[k] == plant[i];
        if (!seen)
            oids[n++] = plant[i];
    }
    return n;
}

/* Everything a check of several units holds, on the heap (each unit's findings are large). */
struct units_run {
    struct check_unit_read reads[CONFIG_PLANT_UNITS_MAX];
    struct check_unit_report reports[CONFIG_PLANT_UNITS_MAX];
    struct health_finding findings[CONFIG_PLANT_UNITS_MAX][FINDINGS_MAX];
    struct check_perf perf[CONFIG_PLANT_UNITS_MAX][CHECK_PERF_MAX];
    char why[CONFIG_PLANT_UNITS_MAX][700];
    char address[CONFIG_PLANT_UNITS_MAX][300];
    struct device_knows knows[CONFIG_PLANT_UNITS_MAX];
    struct plant_unit plant_units[CONFIG_PLANT_UNITS_MAX];
    struct plant_row rows[CONFIG_PLANT_UNITS_MAX];
    struct plant_totals totals;
    struct health_finding plant_findings[PLANT_FINDINGS_MAX];
};

/* The plant's findings and totals over the units read. */
static size_t judge_plant(struct units_run *u, size_t n, const struct health_thresholds *t)
{
    for (size_t i = 0; i < n; i++) {
        struct check_unit_read *rd = &u->reads[i];
        knows_init(&u->knows[i], t, 3600 * 1000);
        enum link_state link = rd->offline ? LINK_OFFLINE : LINK_ONLINE;
        if (rd->k.store)
            knows_tick(&u->knows[i], rd->k.store);
        u->knows[i].last_link_state = link;
        u->plant_units[i] = (struct plant_unit){.label = rd->label, .host = rd->o.host, .port = rd->o.port,
                                                .store = rd->k.store, .knows = &u->knows[i], .link = link};
        plant_row_of(&u->plant_units[i], &u->rows[i]);
    }
    plant_totals_of(u->rows, n, &u->totals);
    return plant_findings(u->plant_units, u->rows, n, u->plant_findings, PLANT_FINDINGS_MAX);
}

int check_plant_run(struct check_run *r, const struct health_thresholds *t, const struct unit_list *list)
{
    if (r->o.replay_path[0] || r->o.record_path[0])
        return check_print_unknown("--replay and --record are for one unit: not with several --host or --plant",
                                   r->o.format == CLI_FORMAT_JSON, stdout);
    struct units_run *u = calloc(1, sizeof *u);
    if (!u)
        return check_print_unknown("out of memory", r->o.format == CLI_FORMAT_JSON, stdout);
    size_t n = list->n;
    int locks[CONFIG_PLANT_UNITS_MAX];
    for (size_t i = 0; i < n; i++) {
        struct check_unit_read *rd = &u->reads[i];
        const struct unit_spec *spec = &list->units[i];
        rd->o = r->o;
        snprintf(rd->o.host, sizeof rd->o.host, "%s", spec->host);
        rd->o.port = spec->port;
        if (spec->rate > 0 && !(r->o.given & ONESHOT_GIVEN_RATE))
            rd->o.rate = spec->rate;
        if (spec->timeout > 0 && !(r->o.given & ONESHOT_GIVEN_TIMEOUT))
            rd->o.timeout_s = spec->timeout;
        rd->label = spec->label;
        rd->events_wanted = (!r->only || health_ids_match(r->only, "events")) && !health_ids_match(r->skip, "events");
        rd->only = r->only;
        locks[i] = check_lock(spec->host, spec->port, fmin(15, r->budget_s / 3), u->why[i], sizeof u->why[i]);
        if (locks[i] == -2)
            fprintf(stderr, "rcttop check: %s: running without a lock: %s\n", spec->label, u->why[i]);
    }
    uint32_t oids[200];
    size_t noids = units_oids(r->only, oids, 200);
    /* The units another check holds are not read; the others share what is left of -t. */
    struct check_unit_read *to_read[CONFIG_PLANT_UNITS_MAX];
    size_t nread = 0;
    for (size_t i = 0; i < n; i++)
        if (locks[i] != -1)
            to_read[nread++] = &u->reads[i];
    static struct check_unit_read batch[CONFIG_PLANT_UNITS_MAX];
    for (size_t i = 0; i < nread; i++)
        batch[i] = *to_read[i];
    double left = r->budget_s - (check_mono_s() - r->started) - 0.3;
    int status = left > 0.5 ? check_units_read(batch, nread, oids, noids, left) : CLI_EXIT_OK;
    for (size_t i = 0; i < nread; i++) {
        *to_read[i] = batch[i];
        if (left <= 0.5) {
            to_read[i]->status = CHECK_UNKNOWN;
            snprintf(to_read[i]->why, sizeof to_read[i]->why, "no time left of the %.0f s budget (-t)", r->budget_s);
        }
    }
    for (size_t i = 0; i < n; i++)
        check_unlock(locks[i]);
    if (cli_interrupted(status)) {
        for (size_t i = 0; i < n; i++)
            history_pager_free(&u->reads[i].k.pager), store_free(u->reads[i].k.store);
        free(u);
        return status;
    }
    for (size_t i = 0; i < n; i++) {
        struct check_unit_read *rd = &u->reads[i];
        struct check_unit_report *rep = &u->reports[i];
        args_format_host_port(rd->o.host, rd->o.port, u->address[i], sizeof u->address[i]);
        *rep = (struct check_unit_report){.label = rd->label, .host = rd->o.host, .port = rd->o.port,
                                          .dev = {.address = u->address[i]}, .why = u->why[i],
                                          .findings = u->findings[i], .perf = u->perf[i]};
        if (locks[i] == -1) {
            rep->status = CHECK_UNKNOWN;  /* why: another check is running */
            continue;
        }
        snprintf(u->why[i], sizeof u->why[i], "%s", rd->why);
        rep->offline = rd->offline;
        if (rd->status != CLI_EXIT_OK) {
            rep->status = CHECK_UNKNOWN;
            continue;
        }
        u->why[i][0] = '\0';
        if (check_judge(r, t, &rd->k, &rep->dev, u->findings[i], &rep->nf, u->perf[i], &rep->np,
                  u->why[i], sizeof u->why[i]) != CLI_EXIT_OK) {
            rep->status = CHECK_UNKNOWN;
            rep->nf = 0;
            rep->np = 0;
            continue;
        }
        rep->status = check_status_of_findings(rep->findings, rep->nf);
        check_perf_prefix(u->perf[i], rep->np, rd->label);
    }
    struct check_plant_report plant = {.label = list->label[0] ? list->label : "plant",
                                       .findings = u->plant_findings, .totals = &u->totals};
    plant.nf = judge_plant(u, n, t);
    int exit_status = check_units_status(u->reports, n, &plant);
    if (r->o.format == CLI_FORMAT_JSON)
        check_units_print_json(exit_status, check_mono_s() - r->started, u->reports, n, &plant, stdout);
    else
        check_units_print_text(exit_status, u->reports, n, &plant, stdout);
    health_findings_release(u->plant_findings, plant.nf);
    for (size_t i = 0; i < n; i++) {
        health_findings_release(u->findings[i], FINDINGS_MAX);
        history_pager_free(&u->reads[i].k.pager);
        store_free(u->reads[i].k.store);
    }
    free(u);
    if (fflush(stdout) != 0 || ferror(stdout))
        return CHECK_UNKNOWN;
    return exit_status;
}

