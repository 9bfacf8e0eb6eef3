/* What is known about one device: see knows.h. */
#include "tui/device/knows.h"

#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "tui/format/valfmt.h"

void knows_init(struct device_knows *k, const struct health_thresholds *t,
                int64_t silent_after_ms)
{
    /* k is zeroed already (see knows.h): clearing its logs again would only dirty
     * pages the kernel could leave unmapped until a row is written. */
    k->thresholds = *t;
    k->silent_after_ms = silent_after_ms;
    knows_forget(k);
}

void knows_forget(struct device_knows *k)
{
    k->linklog_head = k->linklog_len = 0;
    k->linklog_added = 0;
    k->last_link_state = LINK_OFFLINE;
    memset(k->fault_words, 0, sizeof k->fault_words);
    k->fault_known = false;
    memset(k->fault_since, 0, sizeof k->fault_since);
    k->fault_changes_len = 0;
    k->silent = false;
    k->last_heard_unix_ms = 0;
    memset(&k->link, 0, sizeof k->link);
    health_findings_release(k->findings, KNOWS_FINDINGS_MAX);
    k->nfindings = 0;
    k->findings_generation = 0;
    k->alerts_head = k->alerts_len = 0;
    k->alerts_firing = k->alerts_serious = 0;
    k->findings_traffic = 0;
    k->stale_marked_generation = 0;
    for (int i = 0; i < KNOWS_TOTALS_MAX; i++)
        k->totals_first[i] = NAN;
}

/* Nothing heard for longer than silent_after_ms: every value on every pane turns stale
 * at once (the store is the one truth the panes read), not one by one as they expire. */
static bool track_silence(struct device_knows *k, struct store *store)
{
    int64_t now = session_mono_ms();
    int64_t newest = store_newest_ms(store);
    int64_t since = newest > 0 ? newest : k->started_ms;
    k->last_heard_unix_ms = newest > 0 ? session_unix_ms() - (now - newest) : 0;
    bool silent = now - since > k->silent_after_ms;
    bool changed = silent != k->silent;
    k->silent = silent;
    if (silent && store_generation(store) != k->stale_marked_generation) {
        store_mark_all_stale(store);
        k->stale_marked_generation = store_generation(store);
    }
    return changed;
}

static bool track_faults(struct device_knows *k, const struct store *store)
{
    uint32_t words[4];
    int64_t read_at[4];
    for (unsigned w = 0; w < 4; w++) {
        double v;
        const struct store_entry *e = store_get(store, rct_fault_word_oid(w));
        if (!store_number(store, rct_fault_word_oid(w), &v) || !e)
            return false;
        words[w] = (uint32_t)v;
        read_at[w] = e->updated_unix;
    }
    bool changed = false;
    for (unsigned bit = 0; bit < 128; bit++) {
        int64_t now = read_at[bit / 32];  /* a change is seen when its word is read */
        bool was = k->fault_known && (k->fault_words[bit / 32] & (1u << (bit % 32)));
        bool is = words[bit / 32] & (1u << (bit % 32));
        if (was == is)
            continue;
        if (is)
            k->fault_since[bit] = now;
        if (k->fault_changes_len == FAULT_CHANGES_MAX) {
            memmove(k->fault_changes, k->fault_changes + 1,
                    (FAULT_CHANGES_MAX - 1) * sizeof k->fault_changes[0]);
            k->fault_changes_len--;
        }
        k->fault_changes[k->fault_changes_len++] = (struct fault_change){now, bit, is};
        changed = true;
    }
    memcpy(k->fault_words, words, sizeof words);
    k->fault_known = true;
    return changed;
}

/* Energy totals as first read, for the "went backwards" rule. */
static void track_totals(struct device_knows *k, const struct store *store)
{
    const char *const *totals = health_total_names();
    for (int i = 0; totals[i] && i < KNOWS_TOTALS_MAX; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(totals[i]);
        double v;
        if (isnan(k->totals_first[i]) && info && store_number(store, info->oid, &v))
            k->totals_first[i] = v;
    }
}

static void track_identity(struct device_knows *k, const struct store *store)
{
    static const char *const names[2] = {"android_description", "inverter_sn"};
    char *const kept[2] = {k->model, k->serial};
    static struct rct_value value;  /* large; one thread */
    for (int i = 0; i < 2; i++) {
        const struct rct_oid_info *info = rct_registry_by_name(names[i]);
        char text[sizeof k->model];
        if (info && store_value(store, info->oid, &value) &&
            valfmt_display(info, &value, text, sizeof text)[0])
            snprintf(kept[i], sizeof k->model, "%s", text);
    }
}

bool knows_tick(struct device_knows *k, struct store *store)
{
    bool changed = track_silence(k, store);
    changed |= track_faults(k, store);
    track_totals(k, store);
    track_identity(k, store);
    return changed;
}

/* The link window's minutes, moved on with what the session counts now. */
static double link_window_now(struct device_knows *k, const struct session *session)
{
    enum link_state state = session_state(session);
    bool here = !k->silent && (state == LINK_ONLINE || state == LINK_DEGRADED);
    return link_window_update(&k->link, session_counters(session), here, session_mono_ms());
}

/* The rules over what the monitor has read; the event log is `rcttop check`'s (the
 * monitor pages it only on demand). */
void knows_update_findings(struct device_knows *k, const struct store *store,
                           const struct session *session)
{
    /* The link rule reads the counters: a request sent changes a verdict as much as a
     * value read, so both say when to judge again (and a replay, fed the same events,
     * judges the same at the same moment). */
    const struct session_counters *c = session_counters(session);
    uint64_t gen = store_generation(store);
    uint64_t traffic = c->requests + c->answers + c->timeouts + c->crc_errors + c->foreign +
                       c->unsupported_requests;
    if (gen == k->findings_generation && traffic == k->findings_traffic)
        return;
    k->findings_generation = gen;
    k->findings_traffic = traffic;
    track_totals(k, store);
    double window_minutes = link_window_now(k, session);
    struct health_input in = {
        .store = store, .now_unix = session_unix_ms() / 1000, .clock_mode = k->clock_mode,
        .events_read = false, .events_not_asked = true,
        .totals_before = k->totals_first, .link = &k->link.window,
        .srtt_ms = session_srtt_ms(session), .link_minutes = window_minutes};
    k->nfindings = health_evaluate(&in, &k->thresholds, NULL, k->findings, KNOWS_FINDINGS_MAX);
}

/* A new row of the link log (the oldest goes when it is full). Rows keep coming while
 * the Link pane is frozen: freezing holds the view, not the record. */
static struct linklog_entry *linklog_add(struct device_knows *k)
{
    struct linklog_entry *e = &k->linklog[k->linklog_head];
    k->linklog_head = (k->linklog_head + 1) % LINKLOG_SIZE;
    if (k->linklog_len < LINKLOG_SIZE)
        k->linklog_len++;
    k->linklog_added++;
    memset(e, 0, sizeof *e);
    return e;
}

const struct linklog_entry *knows_linklog_at(const struct device_knows *k, unsigned index)
{
    return &k->linklog[(k->linklog_head + LINKLOG_SIZE - k->linklog_len + index) % LINKLOG_SIZE];
}

bool knows_link_state(struct device_knows *k, enum link_state state, const char *detail,
                      int64_t retry_in_ms)
{
    if (state == k->last_link_state && state != LINK_OFFLINE)
        return false;
    k->last_link_state = state;
    struct linklog_entry *e = linklog_add(k);
    e->unix_ms = session_unix_ms();
    e->is_state = true;
    if (state == LINK_OFFLINE)
        snprintf(e->note, sizeof e->note, "offline: %.60s, retry in %lld s", detail,
                 (long long)((retry_in_ms + 999) / 1000));
    else {
        char words[96];
        snprintf(e->note, sizeof e->note, "%s%s%.60s", knows_link_words(k, state, words, sizeof words),
                 detail[0] ? ": " : "", detail);
    }
    return true;
}

/* HH:MM:SS today, else the date too (as the panes write times). */
const char *knows_clock_text(int64_t unix_s, char *buf, size_t cap)
{
    time_t t = (time_t)unix_s, now = (time_t)(session_unix_ms() / 1000);
    struct tm tm, today;
    localtime_r(&t, &tm);
    localtime_r(&now, &today);
    bool same_day = tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday;
    strftime(buf, cap, same_day ? "%H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
    return buf;
}

const char *knows_link_words(const struct device_knows *k, enum link_state state, char *out, size_t cap)
{
    bool connected = state != LINK_OFFLINE && state != LINK_CONNECTING;
    char when[32];
    if (connected && k->last_heard_unix_ms > 0 && (k->silent || state == LINK_SILENT)) {
        int64_t quiet_s = (session_unix_ms() - k->last_heard_unix_ms) / 1000;
        knows_clock_text(k->last_heard_unix_ms / 1000, when, sizeof when);
        if (k->silent)
            snprintf(out, cap, "no answer for %lld s (last answer %s)", (long long)(quiet_s > 0 ? quiet_s : 0), when);
        else  /* a new connection to a device that answered a moment ago */
            snprintf(out, cap, "connected again (last answer %s)", when);
        return out;
    }
    snprintf(out, cap, "%s", link_state_name(state));
    return out;
}

void knows_link_note(struct device_knows *k, const char *text)
{
    struct linklog_entry *e = linklog_add(k);
    e->unix_ms = session_unix_ms();
    e->is_state = true;
    snprintf(e->note, sizeof e->note, "%s", text);
}

void knows_alert_add(struct device_knows *k, const struct alert_event *ev)
{
    k->alerts[k->alerts_head] = *ev;
    k->alerts_head = (k->alerts_head + 1) % KNOWS_ALERTS_MAX;
    if (k->alerts_len < KNOWS_ALERTS_MAX)
        k->alerts_len++;
}

const struct alert_event *knows_alert_at(const struct device_knows *k, unsigned newest_first)
{
    return &k->alerts[(k->alerts_head + KNOWS_ALERTS_MAX - 1 - newest_first) % KNOWS_ALERTS_MAX];
}

void knows_link_event(struct device_knows *k, const struct session_event *ev)
{
    struct linklog_entry *e = linklog_add(k);
    e->unix_ms = ev->unix_ms;
    e->cls = ev->cls;
    e->command = ev->command;
    e->oid = ev->oid;
    e->rtt_ms = ev->rtt_ms;
    e->attempt = ev->attempt;
    e->max_attempts = ev->max_attempts;
    if (ev->payload) {
        e->raw_len = ev->payload_len;
        memcpy(e->raw, ev->payload, ev->payload_len < sizeof e->raw ? ev->payload_len : sizeof e->raw);
    }
    const struct rct_oid_info *info = rct_registry_by_id(ev->oid);
    if (ev->payload && info && rct_type_is_scalar(info->response_type)) {
        struct rct_value v;
        if (rct_value_decode(info->response_type, ev->payload, ev->payload_len, &v) == RCT_VALUE_OK)
            valfmt_display(info, &v, e->value, sizeof e->value);
        else
            snprintf(e->value, sizeof e->value, "%u bytes", ev->payload_len);
    } else if (ev->cls == SESSION_CRC_ERROR) {
        snprintf(e->value, sizeof e->value, "crc %04X != %04X", ev->crc_received, ev->crc_computed);
    } else if (ev->payload_len) {
        snprintf(e->value, sizeof e->value, "%u bytes", ev->payload_len);
    }
}

int knows_active_faults(const struct device_knows *k)
{
    if (!k->fault_known)
        return -1;
    int n = 0;
    for (unsigned w = 0; w < 4; w++)
        n += __builtin_popcount(k->fault_words[w]);
    return n;
}

bool knows_faults_current(const struct device_knows *k, const struct store *store,
                          enum link_state state, int64_t *read_unix_s)
{
    bool current = k->fault_known && !k->silent;
    int64_t oldest = 0;
    for (unsigned w = 0; w < 4; w++) {
        const struct store_entry *e = store_get(store, rct_fault_word_oid(w));
        if (!e || !e->has_value) {
            current = false;
            oldest = 0;
            break;
        }
        current = current && e->state == STORE_FRESH;
        if (oldest == 0 || e->updated_unix < oldest)
            oldest = e->updated_unix;
    }
    current = current && (state == LINK_ONLINE || state == LINK_DEGRADED);
    if (read_unix_s)
        *read_unix_s = oldest;
    return current;
}

bool knows_data_current(const struct device_knows *k, enum link_state state)
{
    return !k->silent && (state == LINK_ONLINE || state == LINK_DEGRADED);
}

void knows_health_counts(const struct device_knows *k, int *critical, int *warning)
{
    *critical = *warning = 0;
    for (size_t i = 0; i < k->nfindings; i++) {
        if (!strncmp(k->findings[i].id, "faults", 6))
            continue;
        *critical += k->findings[i].severity == HEALTH_CRITICAL;
        *warning += k->findings[i].severity == HEALTH_WARNING;
    }
}

bool knows_number(const struct store *store, const char *name, double *out)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    if (!info)
        return false;
    const struct store_entry *e = store_get(store, info->oid);
    if (!e || !e->has_number)
        return false;
    *out = valfmt_is_fraction(info) ? e->number * 100.0 : e->number;
    return true;
}

bool knows_fresh(const struct store *store, const char *name)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    const struct store_entry *e = info ? store_get(store, info->oid) : NULL;
    return e && e->has_value && e->state == STORE_FRESH;
}
