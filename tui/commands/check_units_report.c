/* The report over several units: see check_units_report.h. */
#include "tui/commands/check_units_report.h"

#include <math.h>
#include <string.h>

#include "tui/format/json.h"

static int rank(int status)
{
    /* max_state_alt: OK < UNKNOWN < WARNING < CRITICAL */
    return status == CHECK_CRITICAL ? 3 : status == CHECK_WARNING ? 2 : status == CHECK_UNKNOWN ? 1 : 0;
}

int check_status_worst(int a, int b)
{
    return rank(a) >= rank(b) ? a : b;
}

int check_status_of_findings(const struct health_finding *f, size_t n)
{
    enum health_severity worst = n ? health_worst(f, n) : HEALTH_OK;
    return worst == HEALTH_CRITICAL ? CHECK_CRITICAL : worst == HEALTH_WARNING ? CHECK_WARNING : CHECK_OK;
}

void check_perf_prefix(struct check_perf *p, size_t n, const char *unit)
{
    for (size_t i = 0; i < n; i++) {
        char label[sizeof p[i].label];
        snprintf(label, sizeof label, "%.60s:%.38s", unit, p[i].label);
        for (char *c = label; *c; c++)
            if (*c == '=' || *c == '\'')
                *c = '_';
        memcpy(p[i].label, label, sizeof label);
    }
}

int check_units_status(const struct check_unit_report *u, size_t n, const struct check_plant_report *plant)
{
    int status = CHECK_OK;
    for (size_t i = 0; i < n; i++)
        status = check_status_worst(status, u[i].status);
    if (plant)
        status = check_status_worst(status, check_status_of_findings(plant->findings, plant->nf));
    return status;
}

/* One problem of the first line: "unit: text". */
static void problem(FILE *out, int *shown, const char *unit, const char *text)
{
    fputs((*shown)++ ? "; " : "", out);
    check_put_plain(unit, out);
    fputs(": ", out);
    check_put_plain(text, out);
}

#define FIRST_LINE_PROBLEMS 6

void check_units_first_line(int status, const struct check_unit_report *u, size_t n,
                            const struct check_plant_report *plant, FILE *out)
{
    fprintf(out, "RCT %s - ", check_status_name(status));
    int shown = 0, problems = 0, checks = 0;
    /* Worst first: the criticals of every unit and the plant, then what could not be
     * judged, then the warnings. */
    static const int order[] = {CHECK_CRITICAL, CHECK_UNKNOWN, CHECK_WARNING};
    for (int o = 0; o < 3; o++) {
        for (size_t i = 0; i < n; i++) {
            if (order[o] == CHECK_UNKNOWN) {
                if (u[i].status != CHECK_UNKNOWN)
                    continue;
                problems++;
                if (shown < FIRST_LINE_PROBLEMS)
                    problem(out, &shown, u[i].label, u[i].offline ? "offline" : u[i].why);
                continue;
            }
            enum health_severity want = order[o] == CHECK_CRITICAL ? HEALTH_CRITICAL : HEALTH_WARNING;
            for (size_t k = 0; k < u[i].nf; k++)
                if (u[i].findings[k].severity == want && ++problems && shown < FIRST_LINE_PROBLEMS)
                    problem(out, &shown, u[i].label, u[i].findings[k].title);
        }
        if (order[o] == CHECK_UNKNOWN || !plant)
            continue;
        enum health_severity want = order[o] == CHECK_CRITICAL ? HEALTH_CRITICAL : HEALTH_WARNING;
        for (size_t k = 0; k < plant->nf; k++)
            if (plant->findings[k].severity == want && ++problems && shown < FIRST_LINE_PROBLEMS)
                problem(out, &shown, plant->label, plant->findings[k].title);
    }
    for (size_t i = 0; i < n; i++)
        checks += (int)u[i].nf;
    if (!problems)
        fprintf(out, "%zu units, no problems found (%d checks)", n, checks + (plant ? (int)plant->nf : 0));
    else if (problems > shown)
        fprintf(out, "; and %d more", problems - shown);
}

static void finding_lines(const char *unit, const struct health_finding *f, size_t n, FILE *out)
{
    for (size_t i = 0; i < n; i++) {
        char id[160];
        snprintf(id, sizeof id, "%.60s:%.90s", unit, f[i].id);
        fprintf(out, "%-8s  %-30s  %s\n", health_severity_name(f[i].severity), id, f[i].title);
        fprintf(out, "%-8s  %-30s  %s\n", "", "", f[i].detail);
    }
}

void check_units_print_text(int status, const struct check_unit_report *u, size_t n,
                            const struct check_plant_report *plant, FILE *out)
{
    check_units_first_line(status, u, n, plant, out);
    fputs(" |", out);
    for (size_t i = 0; i < n; i++)
        if (u[i].np) {
            fputc(' ', out);
            check_put_perf(u[i].perf, u[i].np, out);
        }
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s (%s): %s%s%s\n", u[i].label, u[i].dev.address, check_status_name(u[i].status),
                u[i].why && u[i].why[0] ? " - " : "", u[i].why ? u[i].why : "");
        finding_lines(u[i].label, u[i].findings, u[i].nf, out);
    }
    if (plant && plant->nf) {
        fprintf(out, "%s: %s\n", plant->label,
                check_status_name(check_status_of_findings(plant->findings, plant->nf)));
        finding_lines(plant->label, plant->findings, plant->nf, out);
    }
}

static void json_total(struct json *j, const char *name, const struct plant_total *t)
{
    char text[200];
    json_key(j, name);
    json_object(j);
    json_key(j, "known");
    json_bool(j, t->known);
    if (t->known) {
        json_key(j, "value");
        json_number(j, round(t->value));
    }
    json_key(j, "counted");
    json_int(j, t->counted);
    json_key(j, "not_current");
    json_int(j, t->not_current);
    json_key(j, "source");
    json_string(j, t->source);
    json_key(j, "text");
    json_string(j, plant_total_text(t, text, sizeof text));
    json_end(j);
}

static void json_unit(struct json *j, const struct check_unit_report *u)
{
    static const char *const lower[] = {"ok", "warning", "critical", "unknown"};
    json_object(j);
    json_key(j, "label");
    json_string(j, u->label);
    json_key(j, "host");
    json_string(j, u->host);
    json_key(j, "port");
    json_int(j, u->port);
    json_key(j, "address");
    json_string(j, u->dev.address);
    const char *names[] = {"model", "serial", "firmware"};
    const char *values[] = {u->dev.model, u->dev.serial, u->dev.firmware};
    for (int i = 0; i < 3; i++)
        if (values[i][0]) {
            json_key(j, names[i]);
            json_string(j, values[i]);
        }
    json_key(j, "status");
    json_string(j, lower[u->status >= 0 && u->status <= 3 ? u->status : 3]);
    json_key(j, "online");
    json_bool(j, !u->offline);
    if (u->why && u->why[0]) {
        json_key(j, "reason");
        json_string(j, u->why);
    }
    json_key(j, "findings");
    json_array(j);
    for (size_t k = 0; k < u->nf; k++)
        check_json_finding(j, &u->findings[k], NULL);
    json_end(j);
    json_key(j, "perfdata");
    json_array(j);
    for (size_t k = 0; k < u->np; k++)
        check_json_perf(j, &u->perf[k]);
    json_end(j);
    json_end(j);
}

void check_units_print_json(int status, double seconds, const struct check_unit_report *u, size_t n,
                            const struct check_plant_report *plant, FILE *out)
{
    struct json j;
    json_open(&j, out);
    check_json_head(&j, status);
    json_key(&j, "duration_s");
    json_number(&j, round(seconds * 10) / 10);
    json_key(&j, "devices");
    json_array(&j);
    for (size_t i = 0; i < n; i++)
        json_unit(&j, &u[i]);
    json_end(&j);
    if (plant) {
        json_key(&j, "plant");
        json_object(&j);
        json_key(&j, "label");
        json_string(&j, plant->label);
        json_key(&j, "findings");
        json_array(&j);
        for (size_t k = 0; k < plant->nf; k++)
            check_json_finding(&j, &plant->findings[k], NULL);
        json_end(&j);
        if (plant->totals) {
            json_key(&j, "totals");
            json_object(&j);
            json_total(&j, "pv", &plant->totals->pv);
            json_total(&j, "battery", &plant->totals->battery);
            json_total(&j, "house", &plant->totals->house);
            json_total(&j, "grid", &plant->totals->grid);
            json_total(&j, "external", &plant->totals->external);
            json_end(&j);
        }
        json_end(&j);
    }
    /* Every finding and figure once more in one list each, named by unit, as one device's
     * document has them. */
    json_key(&j, "findings");
    json_array(&j);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < u[i].nf; k++)
            check_json_finding(&j, &u[i].findings[k], u[i].label);
    for (size_t k = 0; plant && k < plant->nf; k++)
        check_json_finding(&j, &plant->findings[k], plant->label);
    json_end(&j);
    json_key(&j, "perfdata");
    json_array(&j);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < u[i].np; k++)
            check_json_perf(&j, &u[i].perf[k]);
    json_end(&j);
    json_end(&j);
    fputc('\n', out);
}
