/* What every rule uses: whether --only wants it, adding a finding with its evidence,
 * why a rule has no verdict (not read yet, not supported, no answer), and reading numbers
 * from the store. */
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/diagnosis/rules.h"
#include "tui/format/valfmt.h"

const char *const rule_energy_totals[] = {
    "energy.e_ac_total", "energy.e_load_total", "energy.e_grid_feed_total",
    "energy.e_grid_load_total", "energy.e_dc_total[0]", "energy.e_dc_total[1]", NULL};

const char *const *health_total_names(void)
{
    return rule_energy_totals;
}

bool health_ids_match(const char *names, const char *id)
{
    const char *p = names;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len && strncmp(id, p, len) == 0 && (id[len] == '\0' || id[len] == '.'))
            return true;
        p += len + (comma ? 1 : 0);
    }
    return false;
}

/* Every detail text, in one list: a finding is a plain value, sorted and zeroed by its
 * holders, and its text stays reachable here until its slot is written again. */
struct detail_link { struct detail_link *prev, *next; };
struct detail_text { struct detail_link link; char text[]; };
static struct detail_link live_details = {&live_details, &live_details};
/* A detail that could not be allocated: empty, and never freed. */
static char no_detail[1];

static void detail_free(char *text)
{
    if (!text || text == no_detail)
        return;
    struct detail_text *d = (struct detail_text *)(text - offsetof(struct detail_text, text));
    d->link.prev->next = d->link.next;
    d->link.next->prev = d->link.prev;
    free(d);
}

__attribute__((format(printf, 2, 0)))
static void set_detail_v(struct health_finding *f, const char *fmt, va_list ap)
{
    detail_free(f->detail);
    f->detail = no_detail;
    va_list again;
    va_copy(again, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    struct detail_text *d = len >= 0 ? malloc(sizeof *d + (size_t)len + 1) : NULL;
    if (d) {
        vsnprintf(d->text, (size_t)len + 1, fmt, again);
        d->link.next = live_details.next;
        d->link.prev = &live_details;
        live_details.next->prev = &d->link;
        live_details.next = &d->link;
        f->detail = d->text;
    }
    va_end(again);
}

void health_finding_set_detail(struct health_finding *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_detail_v(f, fmt, ap);
    va_end(ap);
}

void health_findings_release(struct health_finding *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        if (f[i].detail) {  /* only those set: the rest of a long list stays untouched */
            detail_free(f[i].detail);
            f[i].detail = NULL;
        }
}

bool rule_wanted(const struct rule_ctx *c, const char *id)
{
    return !c->only || !*c->only || health_ids_match(c->only, id);
}

struct health_finding *rule_add(struct rule_ctx *c, const char *id, enum health_severity sev,
                                  const char *title, const char *fmt, ...)
{
    static struct health_finding dummy;
    /* A rule switched off ([check] skip, --skip) leaves no finding, even one fault bit. */
    if (c->n >= c->max || health_ids_match(c->t->skip, id))
        return &dummy;
    struct health_finding *f = &c->out[c->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->id, sizeof f->id, "%s", id);
    f->severity = sev;
    snprintf(f->title, sizeof f->title, "%s", title);
    va_list ap;
    va_start(ap, fmt);
    set_detail_v(f, fmt, ap);
    va_end(ap);
    return f;
}

void rule_evidence(struct health_finding *f, const char *name, const char *fmt, ...)
{
    if (f->nevidence >= HEALTH_EVIDENCE_MAX)
        return;
    struct health_evidence *e = &f->evidence[f->nevidence++];
    snprintf(e->name, sizeof e->name, "%s", name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->value, sizeof e->value, fmt, ap);
    va_end(ap);
}

enum rule_input rule_input_state(const struct rule_ctx *c, const char *name)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    const struct store_entry *e = info ? store_get(c->in->store, info->oid) : NULL;
    if (!e)
        return RULE_INPUT_PENDING;
    if (e->has_value)
        return RULE_INPUT_READ;
    if (e->state == STORE_UNSUPPORTED)
        return RULE_INPUT_UNSUPPORTED;
    if (e->timeouts || e->decode_errors || e->state == STORE_ERROR)
        return RULE_INPUT_NO_ANSWER;
    return RULE_INPUT_PENDING;
}

/* Three different things, never to be confused: nothing asked yet (or no answer yet),
 * a device that does not know the OID, and a device that did not answer it. */
void rule_not_available(struct rule_ctx *c, const char *id, const char *what, const char *probes)
{
    bool pending = false, unsupported = false, unanswered = !probes;
    char list[256];
    snprintf(list, sizeof list, "%s", probes ? probes : "");
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        enum rule_input state = rule_input_state(c, name);
        pending |= state == RULE_INPUT_PENDING;
        unsupported |= state == RULE_INPUT_UNSUPPORTED;
        unanswered |= state == RULE_INPUT_NO_ANSWER;
    }
    char title[96];
    if (pending) {
        snprintf(title, sizeof title, "%s: waiting for the first reading", id);
        rule_add(c, id, HEALTH_PENDING, title, "not read yet: %s", what);
    } else if (unsupported) {
        snprintf(title, sizeof title, "%s: not supported by this device", id);
        rule_add(c, id, HEALTH_INFO, title, "the device does not know %s (it answers other "
                 "requests, never this one)", what);
    } else if (unanswered) {
        snprintf(title, sizeof title, "%s: not available", id);
        rule_add(c, id, HEALTH_INFO, title, "the device did not answer %s", what);
    } else {
        snprintf(title, sizeof title, "%s: not available", id);
        rule_add(c, id, HEALTH_INFO, title, "read, but not usable: %s", what);
    }
}

void rule_pending(struct rule_ctx *c, const char *id, const char *what)
{
    char title[96];
    snprintf(title, sizeof title, "%s: waiting for the first reading", id);
    rule_add(c, id, HEALTH_PENDING, title, "not read yet: %s", what);
}

/* A number as shown (fractions as percent); false when the device has not sent it. */
bool rule_num(const struct rule_ctx *c, const char *name, double *v)
{
    return valfmt_store_number(c->in->store, name, v);
}

bool rule_composite(const struct rule_ctx *c, const char *name, struct rct_value *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    return info && store_value(c->in->store, info->oid, v);
}
