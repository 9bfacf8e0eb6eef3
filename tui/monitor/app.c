/* The helpers panes draw with: colours by role, a value as a person reads it, notes in
 * the key bar, the device's clock against the host's, and starting a history walk. */
#include "tui/monitor/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/core/clock.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

attr_t app_attr(const struct app *app, enum wrole role)
{
    return app->theme.attr[role];
}

int64_t app_ui_ms(void)
{
    return clock_host_mono_us() / 1000;
}

void app_note(struct app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->message, sizeof app->message, fmt, ap);
    va_end(ap);
    app->message_until_ms = app_ui_ms() + 4000;
    app->dirty = true;
}

const char *app_value_text(struct app *app, uint32_t oid, char *buf, size_t cap,
                           enum wrole *role)
{
    const struct store *store = app_device(app)->store;
    const struct store_entry *e = store_get(store, oid);
    static struct rct_value value;  /* large; the UI runs on one thread */
    if (!e || !e->has_value || !store_value(store, oid, &value)) {
        snprintf(buf, cap, "%s", app_missing_text(app, oid, role));
        return buf;
    }
    *role = e->state == STORE_FRESH ? WROLE_VALUE : WROLE_STALE;
    return valfmt_display(e->info, &value, buf, cap);
}

const char *app_missing_text(const struct app *app, uint32_t oid, enum wrole *role)
{
    const struct store_entry *e = store_get(app_device(app)->store, oid);
    bool failed = e && e->state == STORE_ERROR;
    bool unknown = e && e->state == STORE_UNSUPPORTED;
    *role = failed ? WROLE_ERROR : unknown ? WROLE_LABEL : WROLE_STALE;
    return failed ? "--" : unknown ? "not supported" : app->glyphs->ellipsis;
}

enum wrole app_role_for(const struct app *app, uint32_t oid, enum wrole role)
{
    const struct store_entry *e = store_get(app_device(app)->store, oid);
    return e && e->has_value && e->state == STORE_FRESH ? role : WROLE_STALE;
}

bool app_number(struct app *app, const char *name, double *out)
{
    return knows_number(app_device(app)->store, name, out);
}

bool app_faults_current(const struct app *app, int64_t *read_unix_s)
{
    const struct device *dev = app_device(app);
    return knows_faults_current(&dev->knows, dev->store, session_state(dev->session), read_unix_s);
}

int64_t app_device_now(struct app *app)
{
    return devclock_now(app_devclock(app), session_unix_ms() / 1000);
}

const struct devclock *app_devclock(struct app *app)
{
    return device_devclock(app_device(app));
}

const char *app_clock_note(struct app *app, char *buf, size_t cap)
{
    const struct devclock *dc = app_devclock(app);
    buf[0] = '\0';
    if (!dc->read)
        return buf;
    char span[32], zone[48];
    size_t n = 0;
    if (dc->zoned)
        n = (size_t)snprintf(buf, cap, "device time %s", devclock_zone_text(dc, zone, sizeof zone));
    if ((dc->drift_s <= -60 || dc->drift_s >= 60) && n < cap)
        snprintf(buf + n, cap - n, "%sdevice clock %s %s", n ? ", " : "",
                 timearg_span_words(dc->drift_s, span, sizeof span), dc->drift_s < 0 ? "behind" : "ahead");
    return buf;
}

bool app_is_fresh(const struct app *app, const char *name)
{
    return knows_fresh(app_device(app)->store, name);
}

const char *app_clock_text(int64_t unix_s, char *buf, size_t cap)
{
    return knows_clock_text(unix_s, buf, cap);
}

uint64_t app_history_start(struct app *app, uint32_t oid, int64_t since, int64_t until,
                           unsigned max_pages)
{
    uint64_t ticket = device_history_start(app_device(app), oid, since, until, max_pages);
    if (ticket && app->replay)
        app->redraw_now = true;  /* a recorded walk has ended already: show it, load the next */
    return ticket;
}
