/* Alerts: conditions observed at each tick, held for the hold time before they fire or
 * resolve. */
#include "tui/alerts/alerts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/format/timearg.h"

bool alert_parse_window(const char *text, int *from_min, int *to_min)
{
    int h1, m1, h2, m2;
    char tail;
    if (sscanf(text, "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) != 4 || h1 < 0 || h1 > 23 ||
        h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 || (h2 == 24 && m2 != 0))
        return false;
    *from_min = h1 * 60 + m1;
    *to_min = h2 * 60 + m2;
    return *from_min != *to_min;
}

const char *alert_state_name(enum alert_state s)
{
    return s == ALERT_FIRING ? "firing" : "resolved";
}

void alert_engine_init(struct alert_engine *e, const struct alert_settings *s)
{
    memset(e, 0, sizeof *e);
    e->settings = *s;
}

static struct alert_track *track_of(struct alert_engine *e, const char *key, bool create)
{
    for (size_t i = 0; i < e->ntracks; i++)
        if (!strcmp(e->tracks[i].key, key))
            return &e->tracks[i];
    if (!create || e->ntracks >= ALERT_TRACKS_MAX)
        return NULL;
    struct alert_track *t = &e->tracks[e->ntracks++];
    memset(t, 0, sizeof *t);
    snprintf(t->key, sizeof t->key, "%s", key);
    return t;
}

/* One condition as observed now, with the words its event would carry. */
struct condition {
    bool active;
    struct alert_event words;
};

static void words(struct alert_event *w, const char *event, const char *key, enum health_severity sev,
                  double value, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void words(struct alert_event *w, const char *event, const char *key, enum health_severity sev,
                  double value, const char *fmt, ...)
{
    memset(w, 0, sizeof *w);
    snprintf(w->event, sizeof w->event, "%s", event);
    snprintf(w->key, sizeof w->key, "%s", key);
    w->severity = sev;
    w->value = value;
    w->fault_bit = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->message, sizeof w->message, fmt, ap);
    va_end(ap);
}

struct tick {
    struct alert_engine *e;
    const struct alert_input *in;
    struct alert_event *out;
    size_t n, max;
};

static void emit(struct tick *t, const struct alert_event *ev)
{
    if (t->n < t->max)
        t->out[t->n++] = *ev;
}

/* The condition observed now: moves its track and emits what crossed the hold time. */
static void observe(struct tick *t, const struct condition *c)
{
    struct alert_track *tr = track_of(t->e, c->words.key, c->active);
    if (!tr)
        return;
    int64_t now = t->in->now_unix;
    if (tr->changed_unix == 0 || c->active != tr->active) {
        tr->active = c->active;
        tr->changed_unix = now;
    }
    int64_t held = now - tr->changed_unix;
    /* Offline is already held by the silence that decides it (no answer for the monitor's
     * silence limit); the hold then only keeps "online again" from flapping. */
    double hold = t->e->settings.hold_s;
    if (c->active && !strcmp(c->words.event, "offline"))
        hold = 0;
    bool long_enough = (double)held >= hold;
    if (c->active && long_enough &&
        (!tr->fired || c->words.severity > tr->last.severity)) {
        /* Fires once; fires again only when it grows worse (a warning turned critical). */
        struct alert_event ev = c->words;
        /* A condition may know it began before it was observed (offline: the last answer). */
        int64_t began = c->words.since_unix > 0 && c->words.since_unix < tr->changed_unix
                            ? c->words.since_unix : tr->changed_unix;
        ev.state = ALERT_FIRING;
        ev.since_unix = tr->fired ? tr->fired_since : began;
        ev.time_unix = now;
        if (!tr->fired)
            tr->fired_since = began;
        tr->fired = true;
        tr->last = ev;
        emit(t, &ev);
    } else if (c->active && tr->fired) {
        tr->last.value = c->words.value;   /* the latest figure, for the resolved message */
    } else if (!c->active && tr->fired && long_enough) {
        struct alert_event ev = tr->last;
        ev.state = ALERT_RESOLVED;
        ev.time_unix = now;
        ev.since_unix = tr->fired_since;
        ev.duration_s = tr->changed_unix - tr->fired_since;
        char lasted[32];
        timearg_span_words(ev.duration_s, lasted, sizeof lasted);
        char was[256];
        snprintf(was, sizeof was, "%s", ev.message);
        snprintf(ev.message, sizeof ev.message, "%.200s (resolved after %s)", was, lasted);
        if (strcmp(ev.event, "offline") == 0)
            snprintf(ev.message, sizeof ev.message, "device online again after %s offline", lasted);
        ev.value = c->words.value;
        tr->fired = false;
        emit(t, &ev);
    }
}

bool alert_offline_expected(const struct alert_settings *s, int minute)
{
    if (s->offline_from_min < 0 || minute < 0)
        return false;
    if (s->offline_from_min < s->offline_to_min)
        return minute >= s->offline_from_min && minute < s->offline_to_min;
    return minute >= s->offline_from_min || minute < s->offline_to_min;   /* over midnight */
}

static void observe_link(struct tick *t)
{
    const struct alert_input *in = t->in;
    if (!in->online_known)
        return;
    bool expected = alert_offline_expected(&t->e->settings, in->local_minute);
    struct condition c = {.active = !in->online};
    const char *cause = in->offline_cause && in->offline_cause[0] ? in->offline_cause : "no answer";
    words(&c.words, "offline", "offline", expected ? HEALTH_INFO : HEALTH_WARNING, NAN,
          "device offline: %.160s%s", cause, expected ? " (in the expected offline window)" : "");
    snprintf(c.words.cause, sizeof c.words.cause, "%s", cause);
    c.words.since_unix = in->offline_since_unix;
    observe(t, &c);
}

static void observe_faults(struct tick *t)
{
    const struct alert_input *in = t->in;
    if (!in->faults_current)
        return;   /* not read, or not current: no fault is "cleared" by not knowing */
    for (unsigned bit = 0; bit < 128; bit++) {
        bool set = (in->fault_words[bit / 32] >> (bit % 32)) & 1u;
        char key[16];
        snprintf(key, sizeof key, "fault.%u", bit);
        if (!set && !track_of(t->e, key, false))
            continue;
        const char *label = rct_fault_label(bit), *cat = rct_fault_category(bit);
        struct condition c = {.active = set};
        words(&c.words, "fault", key, health_fault_severity(bit), bit, "fault %u: %.180s (%s)", bit,
              label ? label : "no label known", cat ? cat : "?");
        c.words.fault_bit = (int)bit;
        snprintf(c.words.category, sizeof c.words.category, "%s", cat ? cat : "");
        snprintf(c.words.value_text, sizeof c.words.value_text, "%u", bit);
        observe(t, &c);
    }
}

static void observe_findings(struct tick *t)
{
    const struct alert_input *in = t->in;
    if (!in->findings_current)
        return;
    /* Fault bits have their own events; the link's health is the offline event (its
     * answer ratio counts since the start, so one outage would weigh for hours). */
    for (size_t i = 0; i < in->nfindings; i++) {
        const struct health_finding *f = &in->findings[i];
        if (!strncmp(f->id, "faults", 6) || !strncmp(f->id, "link", 4) ||
            (f->severity != HEALTH_WARNING && f->severity != HEALTH_CRITICAL))
            continue;
        char key[64];
        snprintf(key, sizeof key, "finding.%s", f->id);
        struct condition c = {.active = true};
        words(&c.words, "finding", key, f->severity, NAN, "%s", f->title);
        snprintf(c.words.rule, sizeof c.words.rule, "%s", f->id);
        if (f->nevidence)
            snprintf(c.words.value_text, sizeof c.words.value_text, "%s", f->evidence[0].value);
        observe(t, &c);
    }
    /* Findings tracked but no longer raised are gone now. */
    for (size_t k = 0; k < t->e->ntracks; k++) {
        struct alert_track *tr = &t->e->tracks[k];
        if (strncmp(tr->key, "finding.", 8) != 0)
            continue;
        bool raised = false;
        for (size_t i = 0; i < in->nfindings && !raised; i++)
            raised = !strcmp(in->findings[i].id, tr->key + 8) &&
                     (in->findings[i].severity == HEALTH_WARNING || in->findings[i].severity == HEALTH_CRITICAL);
        if (raised)
            continue;
        struct condition c = {.active = false, .words = tr->last};
        observe(t, &c);
    }
}

static void observe_figures(struct tick *t)
{
    const struct alert_input *in = t->in;
    const struct alert_settings *s = &t->e->settings;
    if (s->soc_below > 0 && isfinite(in->soc)) {
        struct alert_track *tr = track_of(t->e, "soc_low", false);
        /* Hysteresis: below soc_below starts it, only above soc_above ends it. */
        bool was = tr && tr->active;
        double above = s->soc_above > s->soc_below ? s->soc_above : s->soc_below;
        struct condition c = {.active = in->soc < s->soc_below || (was && in->soc <= above)};
        words(&c.words, "soc_low", "soc_low", HEALTH_WARNING, in->soc, "battery SOC %.1f %% below %.0f %%",
              in->soc, s->soc_below);
        snprintf(c.words.value_text, sizeof c.words.value_text, "%.1f", in->soc);
        observe(t, &c);
    }
    if (s->towers && in->towers >= 0) {
        if (in->towers > t->e->towers_seen)
            t->e->towers_seen = in->towers;
        if (t->e->towers_seen > 0) {
            struct condition c = {.active = in->towers < t->e->towers_seen};
            words(&c.words, "tower_missing", "tower_missing", HEALTH_WARNING, in->towers,
                  "a battery tower is missing: %d of %d present", in->towers, t->e->towers_seen);
            snprintf(c.words.value_text, sizeof c.words.value_text, "%d", in->towers);
            observe(t, &c);
        }
    }
}

size_t alert_engine_tick(struct alert_engine *e, const struct alert_input *in,
                         struct alert_event *out, size_t max)
{
    struct tick t = {e, in, out, 0, max};
    observe_link(&t);
    observe_faults(&t);
    observe_findings(&t);
    observe_figures(&t);
    return t.n;
}

size_t alert_engine_firing(const struct alert_engine *e, size_t *serious)
{
    size_t n = 0, s = 0;
    for (size_t i = 0; i < e->ntracks; i++)
        if (e->tracks[i].fired) {
            n++;
            s += e->tracks[i].last.severity == HEALTH_WARNING || e->tracks[i].last.severity == HEALTH_CRITICAL;
        }
    if (serious)
        *serious = s;
    return n;
}
