/* The watch's second-by-second judgement, its JSON Lines, and the replay of a recording. */
#include "tui/commands/watch_core.h"

#include <errno.h>
#include <event2/event.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/capture/record.h"
#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/core/towers.h"
#include "tui/commands/cli_options.h"
#include "tui/format/json.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

void watch_core_init(struct watch_core *w, const struct alert_settings *settings,
                     const struct health_thresholds *t, enum devclock_mode clock_mode,
                     const char *host, uint16_t port, const char *label, double samples_s)
{
    memset(w, 0, sizeof *w);
    w->samples_s = samples_s;
    w->settings = *settings;
    w->thresholds = *t;
    w->clock_mode = clock_mode;
    alert_engine_init(&w->engine, settings);
    alert_device_init(&w->dev, host, port, label);
    for (int i = 0; i < 8; i++)
        w->totals_first[i] = NAN;
    w->silent_after_s = 10;
}

static void report_hook(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "rcttop watch: %s\n", line);
}

bool watch_core_start(struct watch_core *w, struct event_base *base)
{
    if (!w->settings.command[0])
        return true;
    w->hook = hook_runner_new(base, w->settings.command, w->settings.hook_timeout_s, report_hook, w);
    if (!w->hook) {
        fprintf(stderr, "rcttop watch: out of memory\n");
        return false;
    }
    return true;
}

void watch_core_stop(struct watch_core *w, struct event_base *base)
{
    /* An alert already sent on its way is delivered: a Ctrl-C right after it does not
     * cut the notification short. Each run ends by its timeout at the latest. */
    while (w->hook && hook_runner_busy(w->hook) && base)
        event_base_loop(base, EVLOOP_ONCE);
    hook_runner_free(w->hook);
    w->hook = NULL;
}

static const char *const figure_names[] = {
    "battery.soc", "battery.soh", "dc_conv.dc_conv_struct[0].p_dc_lp",
    "dc_conv.dc_conv_struct[1].p_dc_lp", "g_sync.p_acc_lp", "g_sync.p_ac_grid_sum_lp",
    "g_sync.p_ac_load_sum_lp", "g_sync.p_ac_sum_lp", "g_sync.u_l_rms[0]", "g_sync.u_l_rms[1]",
    "g_sync.u_l_rms[2]", "grid_pll[0].f", NULL};

size_t watch_core_figure_oids(uint32_t *out, size_t max)
{
    size_t n = 0;
    for (int i = 0; figure_names[i] && n < max; i++)
        out[n++] = rct_registry_by_name(figure_names[i])->oid;
    return n;
}

/* A value read within `fresh_s` of now, as shown (fractions as percent). */
static bool fresh_number(const struct store *store, const char *name, int64_t now, double fresh_s, double *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    const struct store_entry *e = info ? store_get(store, info->oid) : NULL;
    return e && e->has_value && (double)(now - e->updated_unix) <= fresh_s && valfmt_store_number(store, name, v);
}

static void serial_of(struct watch_core *w, const struct store *store)
{
    static struct rct_value v;
    const struct rct_oid_info *info = rct_registry_by_name("inverter_sn");
    if (!w->dev.serial[0] && store_value(store, info->oid, &v) && v.type == RCT_TYPE_STRING)
        rct_sanitize(v.u.s.text, v.u.s.len, w->dev.serial, sizeof w->dev.serial);
}

static void judge_findings(struct watch_core *w, const struct store *store, const struct watch_moment *m)
{
    if (store_generation(store) == w->findings_generation)
        return;
    w->findings_generation = store_generation(store);
    const char *const *totals = health_total_names();
    for (int i = 0; totals[i] && i < 8; i++) {
        double v;
        if (!isfinite(w->totals_first[i]) && fresh_number(store, totals[i], m->now_unix, 1e9, &v))
            w->totals_first[i] = v;
    }
    struct health_input in = {
        .store = store, .now_unix = m->now_unix, .clock_mode = w->clock_mode,
        .events_not_asked = true, .totals_before = w->totals_first,
        .totals_basis = "the start of the watch", .link = m->link, .srtt_ms = m->srtt_ms,
        .link_minutes = 1};
    w->nfindings = health_evaluate(&in, &w->thresholds, NULL, w->findings, WATCH_FINDINGS_MAX);
}

static bool faults_current(const struct store *store, int64_t now, uint32_t words[4])
{
    for (unsigned k = 0; k < 4; k++) {
        const struct store_entry *e = store_get(store, rct_fault_word_oid(k));
        double v;
        /* Polled every 5 s: three periods and a margin. */
        if (!e || !e->has_value || now - e->updated_unix > 20 || !store_number(store, rct_fault_word_oid(k), &v))
            return false;
        words[k] = (uint32_t)v;
    }
    return true;
}

/* A figure as precise as the device measures, or null when it is not current. */
static void put_number(struct json *j, const char *key, bool have, double v, int decimals)
{
    json_key(j, key);
    if (have)
        json_fixed(j, v, decimals);
    else
        json_null(j);
}

/* The device as a sample names it (address, serial) or the last line (with the label). */
static void put_device(struct json *j, const struct alert_device *dev, bool label)
{
    json_key(j, "device");
    json_object(j);
    json_key(j, "address");
    json_string(j, dev->address);
    if (label) {
        json_key(j, "label");
        json_string(j, dev->label);
    }
    json_key(j, "serial");
    json_string(j, dev->serial);
    json_end(j);
}

static void write_sample(struct watch_core *w, const struct store *store, const struct watch_moment *m,
                         bool online, int faults)
{
    char when[40];
    double fresh = fmax(30, 3 * w->samples_s), v, a, b;
    struct json j;
    json_open(&j, stdout);
    json_object(&j);
    json_key(&j, "time");
    json_string(&j, timearg_iso(m->now_unix, when, sizeof when));
    json_key(&j, "type");
    json_string(&j, "sample");
    alert_write_unit(&j, &w->dev);
    put_device(&j, &w->dev, false);
    json_key(&j, "online");
    json_bool(&j, online);
    /* Only what is current: a figure of a device that went silent is null, never old. */
    static const struct { const char *key, *name; int decimals; } figures[] = {
        {"soc", "battery.soc", 1}, {"soh", "battery.soh", 1}, {"battery_w", "g_sync.p_acc_lp", 0},
        {"grid_w", "g_sync.p_ac_grid_sum_lp", 0}, {"load_w", "g_sync.p_ac_load_sum_lp", 0},
        {"ac_w", "g_sync.p_ac_sum_lp", 0}, {"grid_hz", "grid_pll[0].f", 2}};
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        bool have = online && fresh_number(store, figures[i].name, m->now_unix, fresh, &v);
        put_number(&j, figures[i].key, have, have ? v : 0, figures[i].decimals);
    }
    bool pv = online && fresh_number(store, "dc_conv.dc_conv_struct[0].p_dc_lp", m->now_unix, fresh, &a) &&
              fresh_number(store, "dc_conv.dc_conv_struct[1].p_dc_lp", m->now_unix, fresh, &b);
    put_number(&j, "pv_w", pv, pv ? a + b : 0, 0);
    json_key(&j, "grid_v");
    json_array(&j);
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof name, "g_sync.u_l_rms[%d]", k);
        if (online && fresh_number(store, name, m->now_unix, fresh, &v))
            json_fixed(&j, v, 1);
        else
            json_null(&j);
    }
    json_end(&j);
    put_number(&j, "faults", faults >= 0, faults, 0);
    size_t serious = 0, firing = alert_engine_firing(&w->engine, &serious);
    json_key(&j, "alerts_firing");
    json_uint(&j, firing);
    json_end(&j);
    putchar('\n');
}

bool watch_core_tick(struct watch_core *w, const struct store *store, const struct watch_moment *m)
{
    serial_of(w, store);
    bool online = m->connected && m->last_answer_unix > 0 &&
                  (double)(m->now_unix - m->last_answer_unix) <= w->silent_after_s;
    w->ever_online |= online;
    w->offline_known |= m->link_verdict;
    judge_findings(w, store, m);
    char cause[256];
    if (!m->connected)
        snprintf(cause, sizeof cause, "%s", m->cause ? m->cause : "not connected");
    else
        snprintf(cause, sizeof cause, "no answer for %lld s", (long long)(m->now_unix - m->last_answer_unix));
    struct alert_input in = {.now_unix = m->now_unix, .online_known = w->ever_online || w->offline_known,
                             .online = online, .offline_cause = cause,
                             .offline_since_unix = m->quiet_since_unix, .findings_current = online,
                             .findings = w->findings, .nfindings = w->nfindings, .soc = NAN, .towers = -1};
    in.faults_current = online && faults_current(store, m->now_unix, in.fault_words);
    double v;
    if (online && fresh_number(store, "battery.soc", m->now_unix, fmax(30, 3 * w->samples_s), &v))
        in.soc = v;
    int which[TOWERS_MAX];
    if (online && tower_state(store, 0) != TOWER_NOT_READ)
        in.towers = towers_none(store) ? 0 : towers_present(store, which);
    time_t t = (time_t)m->now_unix;
    struct tm tm;
    in.local_minute = localtime_r(&t, &tm) ? tm.tm_hour * 60 + tm.tm_min : -1;
    struct alert_event events[32];
    size_t n = alert_engine_tick(&w->engine, &in, events, 32);
    for (size_t i = 0; i < n; i++) {
        alert_write_json(&events[i], &w->dev, stdout);
        fputc('\n', stdout);
        w->events_written++;
        if (w->hook)
            hook_runner_fire(w->hook, &events[i], &w->dev);
    }
    if (w->samples_s > 0 && (double)(m->now_unix - w->last_sample_unix) >= w->samples_s) {
        w->last_sample_unix = m->now_unix;
        int faults = -1;
        if (in.faults_current) {
            faults = 0;
            for (int k = 0; k < 128; k++)
                faults += (int)((in.fault_words[k / 32] >> (k % 32)) & 1u);
        }
        write_sample(w, store, m, online, faults);
    }
    return fflush(stdout) == 0 && !ferror(stdout);
}

void watch_core_give_up(struct watch_core *w, const struct watch_moment *m, double after_s)
{
    char message[600], when[40], since[40];
    const char *cause = m->connected ? "no answer" : m->cause && m->cause[0] ? m->cause : "not connected";
    snprintf(message, sizeof message, "no answer from %s for %g s (%s): giving up (--give-up-after)",
             w->dev.address, after_s, cause);
    struct json j;
    json_open(&j, stdout);
    json_object(&j);
    json_key(&j, "time");
    json_string(&j, timearg_iso(m->now_unix, when, sizeof when));
    json_key(&j, "type");
    json_string(&j, "give_up");
    alert_write_unit(&j, &w->dev);
    json_key(&j, "message");
    json_string(&j, message);
    json_key(&j, "cause");
    json_string(&j, cause);
    json_key(&j, "since");
    json_string(&j, timearg_iso(m->quiet_since_unix > 0 ? m->quiet_since_unix : m->now_unix, since, sizeof since));
    put_device(&j, &w->dev, true);
    json_end(&j);
    putchar('\n');
    fflush(stdout);
    fprintf(stderr, "rcttop watch: %s\n", message);
}

/* --replay: the recording's answers into a store at their recorded times, the judgement
 * at every recorded second in between. */
struct replay_pass {
    struct watch_core *w;
    struct event_base *base;       /* for the hooks' children */
    struct store *store;
    struct rct_decoder dec;
    int64_t entry_unix, next_tick, last_answer;
    bool connected, started, broken;
    char cause[200];
};

static void replay_frame(const struct rct_frame *f, void *arg)
{
    struct replay_pass *p = arg;
    if (f->error != RCT_FRAME_OK || f->plant || !rct_command_is_response(f->command))
        return;
    if (store_put(p->store, f->oid, f->payload, f->payload_len, p->entry_unix * 1000, p->entry_unix) == RCT_VALUE_OK)
        p->last_answer = p->entry_unix;
}

static void replay_until(struct replay_pass *p, int64_t unix_s)
{
    /* A long gap (a recording paused, or a damaged time) is judged at its ends, not at
     * each of its seconds: the hold needs only a few of them. */
    if (unix_s - p->next_tick > 600) {
        struct watch_moment m = {.now_unix = p->next_tick, .connected = p->connected,
                                 .last_answer_unix = p->last_answer, .cause = p->cause, .srtt_ms = -1,
                                 .quiet_since_unix = p->last_answer};
        p->broken |= !watch_core_tick(p->w, p->store, &m);
        p->next_tick = unix_s - 600;
    }
    while (!p->broken && p->next_tick <= unix_s) {
        struct watch_moment m = {.now_unix = p->next_tick, .connected = p->connected,
                                 .last_answer_unix = p->last_answer, .cause = p->cause, .srtt_ms = -1,
                                 .quiet_since_unix = p->last_answer};
        if (!watch_core_tick(p->w, p->store, &m))
            p->broken = true;
        event_base_loop(p->base, EVLOOP_NONBLOCK);   /* hooks that ended */
        p->next_tick++;
    }
}

static void replay_entry(const struct record_entry *e, void *arg)
{
    struct replay_pass *p = arg;
    int64_t at = e->unix_us / 1000000;
    at = at > 253402300799LL ? 253402300799LL : at < 0 ? 0 : at;   /* an untrusted number */
    if (!p->started) {
        p->started = true;
        p->next_tick = at;
    }
    replay_until(p, at - 1);
    p->entry_unix = at;
    if (e->kind == '!') {
        char note[200];
        size_t n = e->data ? (e->len < 199 ? e->len : 199) : 0;
        memcpy(note, e->data ? (const char *)e->data : "", n);
        note[n] = '\0';
        if (!strncmp(note, "connected", 9)) {
            p->connected = true;
            rct_decoder_init(&p->dec);
        } else if (!strncmp(note, "disconnected", 12)) {
            p->connected = false;
            snprintf(p->cause, sizeof p->cause, "%s", note);
        }
    } else if (e->kind == '<') {
        rct_decoder_feed(&p->dec, e->data, e->len, replay_frame, p);
    }
}

int watch_replay_run(struct watch_core *w, const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return cli_usage_error("watch", "cannot open the recording '%s': %s", path, strerror(errno));
    static struct replay_pass p;
    memset(&p, 0, sizeof p);
    struct event_base *base = event_base_new();
    if (!base || !watch_core_start(w, base)) {
        fclose(in);
        if (base)
            event_base_free(base);
        return CLI_EXIT_USAGE;
    }
    p.base = base;
    p.w = w;
    p.store = store_new();
    rct_decoder_init(&p.dec);
    snprintf(p.cause, sizeof p.cause, "not connected");
    /* A recording is one stretch of watching: silence is judged on its own clock. */
    w->silent_after_s = 15;
    char header[2048], err[256];
    bool ok = record_read(in, replay_entry, &p, header, sizeof header, err, sizeof err);
    fclose(in);
    /* The end of the recording: the last second, then what its hold time needs to settle. */
    if (p.started)
        replay_until(&p, p.entry_unix + 1);
    store_free(p.store);
    watch_core_stop(w, base);
    event_base_free(base);
    if (!ok && !p.started)
        return cli_usage_error("watch", "%s: %s", path, err);
    if (!ok)
        fprintf(stderr, "rcttop watch: %s: %s (what came before was judged)\n", path, err);
    if (p.broken)
        return 141;
    return w->ever_online ? CLI_EXIT_OK : cli_usage_error("watch", "%s: the device never answered in it", path);
}
