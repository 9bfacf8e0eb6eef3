/* `s` in any pane: a support snapshot of what rcttop knows now (identity, active
 * faults, every value read, link counters) as text and as JSON, side by side. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "tui/monitor/app.h"
#include "tui/monitor/snapshot.h"
#include "tui/config/outfile.h"
#include "tui/format/json.h"
#include "tui/format/valfmt.h"
#include "proto/core/version.h"

/* The lines after a composite's summary (which is in the value column already). */
struct composite_rows { FILE *out; int n; };

static void composite_row(void *ctx, const char *line)
{
    struct composite_rows *r = ctx;
    if (r->n++)
        fprintf(r->out, "       %s\n", line);
}

static bool write_pair(struct app *app, time_t taken, const char *stamp, char *buf, size_t cap)
{
    char txt[1024], json[1040];
    FILE *t = outfile_create("rcttop-snapshot", taken, ".txt", txt, sizeof txt, buf, cap);
    if (!t)
        return false;
    snprintf(json, sizeof json, "%.*s.json", (int)(strlen(txt) - 4), txt);
    FILE *j = outfile_open_new(json, buf, cap);
    if (!j) {
        fclose(t);
        unlink(txt);
        return false;
    }
    static struct rct_value v;
    char value[512];
    const struct session_counters *c = session_counters(app_device(app)->session);
    bool current = knows_data_current(&app_device(app)->knows, session_state(app_device(app)->session));
    char heard[40] = "never", link[96];
    if (app_device(app)->knows.last_heard_unix_ms)
        app_clock_text(app_device(app)->knows.last_heard_unix_ms / 1000, heard, sizeof heard);
    fprintf(t, "rcttop %s snapshot %s\ndevice: %s%s%s\nlink: %s\ndata: %s (last answer %s)\n\n",
            rct_version(), stamp, app_device(app)->opt.label, app_device(app)->opt.demo ? " (simulated)" : "",
            app->replay ? " (replayed from a recording, at its recorded time)" : "",
            knows_link_words(&app_device(app)->knows, session_state(app_device(app)->session), link, sizeof link),
            current ? "current" : "NOT CURRENT: the verdicts and values below are the last ones read", heard);
    struct json js;
    json_open(&js, j);
    json_object(&js);
    json_key(&js, "rcttop");
    json_string(&js, rct_version());
    json_key(&js, "time");
    json_string(&js, stamp);
    json_key(&js, "device");
    json_string(&js, app_device(app)->opt.label);
    json_key(&js, "demo");
    json_bool(&js, app_device(app)->opt.demo);
    json_key(&js, "current");
    json_bool(&js, current);
    json_key(&js, "link_state");
    json_string(&js, link_state_name(session_state(app_device(app)->session)));
    json_key(&js, "faults");
    json_array(&js);
    int active = knows_active_faults(&app_device(app)->knows);
    fprintf(t, "active faults: %s\n", active < 0 ? "unknown (fault words not read)" : active == 0 ? "none" : "");
    for (unsigned bit = 0; bit < 128 && active > 0; bit++) {
        if (!(app_device(app)->knows.fault_words[bit / 32] & (1u << (bit % 32))))
            continue;
        const char *label = rct_fault_label(bit);
        fprintf(t, "  bit %3u  fault[%u] bit %-2u  %s\n", bit, bit / 32, bit % 32, label ? label : "(no label)");
        json_object(&js);
        json_key(&js, "bit");
        json_uint(&js, bit);
        json_key(&js, "label");
        json_string(&js, label);
        json_end(&js);
    }
    fprintf(t, "\nlink: requests %" PRIu64 ", answers %" PRIu64 ", timeouts %" PRIu64
               ", CRC errors %" PRIu64 ", truncated %" PRIu64 ", foreign %" PRIu64
               ", unsolicited %" PRIu64 ", reconnects %" PRIu64 ", %.1f req/s\n\n",
            c->requests, c->answers, c->timeouts, c->crc_errors, c->truncated, c->foreign,
            c->unsolicited, c->reconnects, c->rate);
    json_end(&js);
    json_key(&js, "link");
    json_object(&js);
    const char *const counter_names[] = {"requests", "answers", "timeouts", "crc_errors", "truncated",
                                         "foreign", "unsolicited", "reconnects"};
    const uint64_t counters[] = {c->requests, c->answers, c->timeouts, c->crc_errors, c->truncated,
                                 c->foreign, c->unsolicited, c->reconnects};
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        json_key(&js, counter_names[i]);
        json_uint(&js, counters[i]);
    }
    json_end(&js);
    /* The Health pane's findings, worst first, with their evidence. */
    fputs("Findings (the Health pane)\n", t);
    json_key(&js, "findings");
    json_array(&js);
    for (size_t i = 0; i < app_device(app)->knows.nfindings; i++) {
        const struct health_finding *f = &app_device(app)->knows.findings[i];
        fprintf(t, "  %-8s %-30s %s\n  %-8s %-30s %s\n", health_severity_name(f->severity), f->id,
                f->title, "", "", f->detail);
        json_object(&js);
        json_key(&js, "id");
        json_string(&js, f->id);
        json_key(&js, "severity");
        json_string(&js, health_severity_name(f->severity));
        json_key(&js, "title");
        json_string(&js, f->title);
        json_key(&js, "detail");
        json_string(&js, f->detail);
        json_key(&js, "evidence");
        json_object(&js);
        for (int e = 0; e < f->nevidence; e++) {
            json_key(&js, f->evidence[e].name);
            json_string(&js, f->evidence[e].value);
        }
        json_end(&js);
        json_end(&js);
    }
    json_end(&js);
    json_key(&js, "values");
    json_array(&js);
    fputc('\n', t);
    int64_t now = session_mono_ms();
    /* In reading order (identity first, then by group and name), like `rcttop dump`. */
    size_t count = 0;
    const struct rct_oid_info **order = calloc(store_count(app_device(app)->store), sizeof *order);
    for (size_t i = 0; order && i < store_count(app_device(app)->store); i++) {
        const struct store_entry *e = store_at(app_device(app)->store, i);
        if (e->has_value && e->info)
            order[count++] = e->info;
    }
    if (order)
        qsort(order, count, sizeof *order, valfmt_reading_order);
    for (size_t i = 0; i < count; i++) {
        const struct store_entry *e = store_get(app_device(app)->store, order[i]->oid);
        if (!e->has_value || !e->info || !store_value(app_device(app)->store, e->oid, &v))
            continue;
        valfmt_display(e->info, &v, value, sizeof value);
        fprintf(t, "%-3s%-44s %-24s %-10s %llds\n", e->info->kind == RCT_KIND_SETTING ? "RO" : "",
                e->info->name, value, store_state_name(e->state), (long long)((now - e->updated_ms) / 1000));
        /* A module's cells and statistics whole, under their row. */
        struct composite_rows rows = {t, 0};
        valfmt_composite_lines(e->info, &v, app_devclock(app), composite_row, &rows);
        json_object(&js);
        json_key(&js, "name");
        json_string(&js, e->info->name);
        json_key(&js, "oid");
        json_stringf(&js, "0x%08" PRIX32, e->oid);
        json_key(&js, "kind");
        json_string(&js, rct_kind_name(e->info->kind));
        json_key(&js, "value");
        json_value(&js, &v);
        json_key(&js, "unit");
        json_string(&js, e->info->unit);
        json_key(&js, "state");
        json_string(&js, store_state_name(e->state));
        json_key(&js, "age_ms");
        json_int(&js, (long long)(now - e->updated_ms));
        json_end(&js);
    }
    free(order);
    /* What was asked and not had, told apart: support must not read "no answer" for an
     * OID that was simply not asked yet (those are not listed at all). */
    static const struct { enum store_state state; const char *title, *key; } lost[] = {
        {STORE_ERROR, "Asked, no usable answer", "unanswered"},
        {STORE_UNSUPPORTED, "Not supported by this device", "unsupported"},
    };
    for (size_t l = 0; l < sizeof lost / sizeof lost[0]; l++) {
        json_end(&js);
        json_key(&js, lost[l].key);
        json_array(&js);
        int listed = 0;
        for (size_t i = 0; i < store_count(app_device(app)->store); i++) {
            const struct store_entry *e = store_at(app_device(app)->store, i);
            if (e->has_value || !e->info || e->state != lost[l].state)
                continue;
            if (!listed)
                fprintf(t, "\n%s\n", lost[l].title);
            char why[96];
            fprintf(t, "   %-44s %s\n", e->info->name, store_error_text(e, why, sizeof why));
            listed++;
            json_string(&js, e->info->name);
        }
    }
    json_end(&js);
    json_end(&js);
    fputc('\n', j);
    bool ok = !ferror(t) && !ferror(j);
    ok &= fclose(t) == 0;
    ok &= fclose(j) == 0;
    if (!ok) {
        /* What was started is removed: no empty or half snapshot that looks like one. */
        int err = errno ? errno : EIO;
        unlink(txt);
        unlink(json);
        snprintf(buf, cap, "writing %s failed: %s", txt, strerror(err));
        return false;
    }
    /* The traffic behind it: the last 15 minutes the monitor kept, a recording of its own. */
    if (app_device(app)->recorder) {
        char rec[1040], rerr[256];
        snprintf(rec, sizeof rec, "%.*s.rctrec", (int)(strlen(txt) - 4), txt);
        recorder_note(app_device(app)->recorder, "snapshot");
        FILE *r = outfile_open_new(rec, rerr, sizeof rerr);
        bool written = r && recorder_write_kept(app_device(app)->recorder, r);
        if (r && fclose(r) != 0)
            written = false;
        if (!written) {
            if (r)
                unlink(rec);
            snprintf(buf, cap, "snapshot: %s (+ .json; the last 15 min could not be written: %s)",
                     txt, r ? strerror(errno) : rerr);
            return true;
        }
        snprintf(buf, cap, "snapshot: %s (+ .json, + .rctrec: the last 15 min)", txt);
        return true;
    }
    snprintf(buf, cap, "snapshot: %s (+ .json)", txt);
    return true;
}

bool snapshot_write(struct app *app, char *buf, size_t cap)
{
    char stamp[32];
    time_t now = (time_t)(session_unix_ms() / 1000);  /* a replay's snapshot is of its time */
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &tm);
    size_t n = strlen(stamp);  /* +hhmm -> +hh:mm, the extended form like the rest */
    if (n >= 5 && n + 2 <= sizeof stamp) {
        memmove(stamp + n - 1, stamp + n - 2, 3);
        stamp[n - 2] = ':';
    }
    return write_pair(app, now, stamp, buf, cap);
}
