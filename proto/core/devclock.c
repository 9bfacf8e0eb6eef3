/* The device's clock: see devclock.h. */
#include "proto/core/devclock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUARTER_HOUR 900
#define ZONE_MAX_S (14 * 3600)
#define NOT_A_CLOCK 946684800.0   /* before 2000: an unset RTC, not a time */

static const char *const mode_names[] = {"auto", "utc", "local"};

const char *devclock_mode_name(size_t index)
{
    return index < sizeof mode_names / sizeof mode_names[0] ? mode_names[index] : NULL;
}

bool devclock_mode_from_name(const char *name, enum devclock_mode *out)
{
    for (size_t i = 0; i < sizeof mode_names / sizeof mode_names[0]; i++)
        if (name && !strcmp(name, mode_names[i])) {
            *out = (enum devclock_mode)i;
            return true;
        }
    return false;
}

static int64_t host_zone_at(int64_t unix_s)
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return 0;
    return tm.tm_gmtoff;
}

static bool number_of(const struct store *store, const char *name, double *out)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    return info && store_number(store, info->oid, out);
}

void devclock_judge(struct devclock *c, enum devclock_mode mode, const struct store *store)
{
    memset(c, 0, sizeof *c);
    const struct rct_oid_info *info = rct_registry_by_name("flash_rtc.time_stamp");
    const struct store_entry *e = info && store ? store_get(store, info->oid) : NULL;
    double dst = 0;
    bool dst_read = store && number_of(store, "flash_rtc.flag_time_auto_switch", &dst);
    if (mode == DEVCLOCK_LOCAL) {
        c->zoned = true;
        c->zone_s = host_zone_at(e && e->has_number ? e->updated_unix : (int64_t)time(NULL));
        snprintf(c->basis, sizeof c->basis, "clock = local: this computer's zone");
    } else if (mode == DEVCLOCK_UTC) {
        snprintf(c->basis, sizeof c->basis, "clock = utc");
    }
    if (!e || !e->has_number || e->number < NOT_A_CLOCK) {
        if (mode == DEVCLOCK_AUTO)
            snprintf(c->basis, sizeof c->basis, "clock = auto: the device's clock is not read yet");
        return;
    }
    c->read = true;
    c->offset_s = (int64_t)e->number - e->updated_unix;
    if (mode == DEVCLOCK_AUTO) {
        /* Round half away from zero to the nearest quarter hour. */
        int64_t q = (llabs(c->offset_s) + QUARTER_HOUR / 2) / QUARTER_HOUR * QUARTER_HOUR;
        int64_t zone = c->offset_s < 0 ? -q : q;
        if (dst_read && dst != 0 && llabs(zone) <= ZONE_MAX_S) {
            c->zoned = true;
            c->zone_s = zone;
            snprintf(c->basis, sizeof c->basis, "clock = auto: the daylight-saving flag is set, "
                     "so local time; its zone from the offset");
        } else {
            snprintf(c->basis, sizeof c->basis, "clock = auto: %s, so UTC",
                     dst_read ? "the daylight-saving flag is not set"
                              : "the daylight-saving flag is not read");
        }
    }
    c->drift_s = c->offset_s - c->zone_s;
}

void devclock_wall(const struct devclock *c, int64_t device_ts, struct tm *out)
{
    time_t t = (time_t)device_ts;
    memset(out, 0, sizeof *out);
    if (c && c->zoned)
        gmtime_r(&t, out);   /* wall time written as if it were UTC */
    else
        localtime_r(&t, out);
}

int64_t devclock_from_wall(const struct devclock *c, struct tm *wall)
{
    if (c && c->zoned)
        return (int64_t)timegm(wall);
    wall->tm_isdst = -1;
    return (int64_t)mktime(wall);
}

const char *devclock_format(const struct devclock *c, int64_t device_ts, char *buf, size_t cap)
{
    struct tm tm;
    devclock_wall(c, device_ts, &tm);
    if (!strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm) && cap)
        buf[0] = '\0';
    return buf;
}

const char *devclock_zone_text(const struct devclock *c, char *buf, size_t cap)
{
    if (!c || !c->zoned) {
        snprintf(buf, cap, "UTC (shown in this computer's time)");
        return buf;
    }
    int64_t z = llabs(c->zone_s);
    snprintf(buf, cap, "UTC%c%02lld:%02lld", c->zone_s < 0 ? '-' : '+', (long long)(z / 3600),
             (long long)(z % 3600 / 60));
    return buf;
}

int64_t devclock_now(const struct devclock *c, int64_t host_unix)
{
    return host_unix + (c && c->read ? c->offset_s : 0);
}
