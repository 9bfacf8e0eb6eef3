/* The simulator's own logs: day/month/year timeseries pages and event-table pages for
 * any past timestamp, from the same model the live values come from. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/sim/sim_internal.h"
#include "proto/sim/sim_wire.h"

#define INSTALL_DAYS 400

static double series_value(struct sim *sim, const char *name, double t, double span_s)
{
    struct sim_plant p;
    sim_plant_at(sim, t, &p);
    const char *stem = strchr(name, '_');
    stem = stem ? stem + 1 : name;  /* after "minutes_" / "day_" / ... */
    if (strncmp(name, "logger.minutes_", 15) == 0) {
        if (strcmp(stem, "soc_log_ts") == 0) return p.soc;
        if (strcmp(stem, "soc_targ_log_ts") == 0) return p.elev > 0 ? 0.97 : 0.07;
        if (strcmp(stem, "ua_log_ts") == 0) return p.pv_a > 1 ? 420 + 80 * p.elev : 4;
        if (strcmp(stem, "ub_log_ts") == 0) return p.pv_b > 1 ? 390 + 70 * p.elev : 3;
        if (strncmp(stem, "ul", 2) == 0) return p.u_l[(stem[2] - '1') % 3];
        if (strcmp(stem, "ubat_log_ts") == 0) return 350 + 80 * p.soc;
        if (strcmp(stem, "temp_log_ts") == 0) return 31 + (p.pv_a + p.pv_b) / 260;
        if (strcmp(stem, "temp2_log_ts") == 0) return 29 + (p.pv_a + p.pv_b) / 300;
        if (strcmp(stem, "temp_bat_log_ts") == 0) return 22 + fabs(p.bat) / 900;
        if (strcmp(stem, "ea_log_ts") == 0) return p.pv_a;
        if (strcmp(stem, "eb_log_ts") == 0) return p.pv_b;
        if (strncmp(stem, "eac", 3) == 0) return stem[3] == '_' ? p.ac : p.ac / 3;
        if (strcmp(stem, "eload_log_ts") == 0) return p.load;
        if (strcmp(stem, "egrid_feed_log_ts") == 0) return p.grid < 0 ? -p.grid : 0;
        if (strcmp(stem, "egrid_load_log_ts") == 0) return p.grid > 0 ? p.grid : 0;
        if (strcmp(stem, "ebat_log_ts") == 0) return p.bat;
        return 0;
    }
    /* day/month/year series: the energy of the period that starts at t. */
    struct sim_plant end;
    sim_plant_at(sim, t + span_s - 1, &end);
    const struct sim_totals *a = span_s <= 86400 ? &end.day : span_s <= 31 * 86400 ? &end.month
                                                                                 : &end.year;
    if (strstr(stem, "ea_log")) return a->pv_a;
    if (strstr(stem, "eb_log")) return a->pv_b;
    if (strstr(stem, "eload")) return a->load;
    if (strstr(stem, "egrid_feed")) return a->feed;
    if (strstr(stem, "egrid_load")) return a->grid_load;
    if (strstr(stem, "eext")) return 0;
    return a->ac;
}

/* Start of the period that contains t, and its length, for a series' resolution. */
static double period_start(const char *name, double t, double *span)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (strncmp(name, "logger.minutes_", 15) == 0) {
        *span = 300;
        return floor(t / 300) * 300;
    }
    if (strncmp(name, "logger.day_", 11) == 0) {
        *span = 86400;
        return floor(t / 86400) * 86400;
    }
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_mday = 1;
    if (strncmp(name, "logger.month_", 13) == 0) {
        *span = 28 * 86400;
        return (double)timegm(&tm);
    }
    tm.tm_mon = 0;
    *span = 365 * 86400;
    return (double)timegm(&tm);
}

static double previous_period(const char *name, double start)
{
    double span;
    return period_start(name, start - 1, &span);
}

static bool timeseries_page(struct sim *sim, const struct rct_oid_info *info, uint32_t before,
                            uint8_t *out, size_t cap, size_t *len)
{
    unsigned want = sim->cfg.page_points;
    if (want > (cap - 4) / 8)
        want = (unsigned)((cap - 4) / 8);
    put_be32(out, before);
    /* Pages are on the device's own clock (its wall time when it keeps local time). */
    double now = sim_device_time(sim, sim_now(sim));
    double limit = (double)before - 1 < now ? (double)before - 1 : now;
    double oldest = sim_device_time(sim, sim->start_unix) - INSTALL_DAYS * 86400.0;
    double span;
    double t = period_start(info->name, limit, &span);
    /* Only completed periods are logged. */
    if (t + span > now + 1)
        t = previous_period(info->name, t);
    double stamps[1024];
    unsigned n = 0;
    /* A period the installation reaches into was logged (partly), like a real device's. */
    while (n < want && n < 1024 && t + span > oldest) {
        stamps[n++] = t;
        t = previous_period(info->name, t);
    }
    for (unsigned k = 0; k < n; k++) {
        double ts = stamps[n - 1 - k];  /* oldest first within the page */
        double s;
        period_start(info->name, ts, &s);
        put_be32(out + 4 + k * 8, (uint32_t)ts);
        put_be32(out + 8 + k * 8, float_bits((float)series_value(sim, info->name, sim_true_time(sim, ts), s)));
    }
    *len = 4 + (size_t)n * 8;
    return true;
}

/* Up to max events of day `day`, deterministic; returns how many. */
static unsigned day_events(struct sim *sim, int64_t day, struct rct_event_row *rows,
                           unsigned max)
{
    uint32_t seed = sim->cfg.seed;
    uint32_t h = sim_hash(seed, 70, (uint32_t)day);
    unsigned count = h % 5 == 0 ? 2 : h % 3 == 0 ? 1 : 0;
    unsigned n = 0;
    /* The week before the start is calm (a healthy site), unless grid losses are asked for:
     * then one a day, the newest first. */
    double start = sim_device_time(sim, sim->start_unix);
    int64_t start_day = (int64_t)floor(start / 86400);
    if (day > start_day - 7 && day <= start_day) {
        count = 0;
        if (start_day - day < sim->cfg.cond.grid_losses && n < max) {
            uint32_t ts = (uint32_t)(day * 86400 + 3600 * 2);
            if (day < start_day || ts < start)
                rows[n++] = (struct rct_event_row){0x5A, ts, ts + 240, 3, 0};
        }
    }
    for (unsigned k = 0; k < count && n < max; k++) {
        uint32_t r = sim_hash(seed, 71 + k, (uint32_t)day);
        struct rct_event_row *row = &rows[n++];
        row->ts = (uint32_t)(day * 86400 + r % 86000);
        switch (r % 6) {
        case 0:
            *row = (struct rct_event_row){0x5A, row->ts, row->ts + 30 + r % 600, 3, 0};
            break;
        case 1:
            *row = (struct rct_event_row){0x50, row->ts, row->ts + 5 + r % 60,
                                          float_bits(253.0f + (float)(r % 40) / 10), 0};
            break;
        case 2:
            *row = (struct rct_event_row){0x4F, row->ts, row->ts + 5 + r % 60,
                                          float_bits(183.0f + (float)(r % 20) / 10), 0};
            break;
        case 3:
            *row = (struct rct_event_row){0x73, row->ts, 0xCE266F0F,
                                          float_bits(0.07f), float_bits(0.10f)};
            break;
        case 4:
            *row = (struct rct_event_row){0x73, row->ts, 0x29BDA75F, 255, 128};
            break;
        default:
            *row = (struct rct_event_row){0x76, row->ts, row->ts + 90, 0, 0};
            break;
        }
    }
    if (day == (int64_t)floor((start - 200 * 86400.0) / 86400) && n < max)
        rows[n++] = (struct rct_event_row){0x77, (uint32_t)(day * 86400 + 3 * 3600), 0, 5600,
                                           5685};
    return n;
}

static bool event_page(struct sim *sim, uint32_t before, uint8_t *out, size_t cap, size_t *len)
{
    unsigned want = sim->cfg.page_events;
    if (want > (cap - 4) / 20)
        want = (unsigned)((cap - 4) / 20);
    put_be32(out, before);
    /* Event times are on the device's clock, like its logs. */
    double now = sim_device_time(sim, sim_now(sim)), start = sim_device_time(sim, sim->start_unix);
    struct rct_event_row picked[128];
    unsigned n = 0;
    if (want > 128)
        want = 128;
    /* Active faults have an open event that started with them. */
    uint32_t words[4];
    sim_fault_words(sim, sim_now(sim), words);
    for (unsigned bit = 0; bit < 128 && n < want; bit++)
        if (words[bit / 32] & (1u << (bit % 32))) {
            uint32_t ts = (uint32_t)start;
            if (sim->cfg.faults_cycle_s > 0 && bit == 16 && !(sim->cfg.faults[0] & (1u << 16)))
                ts = (uint32_t)(now - fmod(now - start, sim->cfg.faults_cycle_s));
            if (ts < before && ts <= now)
                picked[n++] = (struct rct_event_row){bit, ts, 0, 0, 0};
        }
    int64_t oldest_day = (int64_t)floor((start - INSTALL_DAYS * 86400.0) / 86400);
    int64_t day = (int64_t)floor(((double)before - 1) / 86400);
    for (; day >= oldest_day && n < want; day--) {
        struct rct_event_row rows[4];
        unsigned k = day_events(sim, day, rows, 4);
        /* Newest of the day first, so a page holds the newest rows before `before`. */
        for (unsigned j = k; j-- > 0 && n < want;)
            if (rows[j].ts < before && rows[j].ts <= now)
                picked[n++] = rows[j];
    }
    for (unsigned k = 0; k < n; k++) {
        const struct rct_event_row *r = &picked[n - 1 - k];
        uint8_t *p = out + 4 + k * 20;
        put_be32(p, r->type);
        put_be32(p + 4, r->ts);
        put_be32(p + 8, r->e2);
        put_be32(p + 12, r->e3);
        put_be32(p + 16, r->e4);
    }
    *len = 4 + (size_t)n * 20;
    return true;
}

bool sim_history_payload(struct sim *sim, uint32_t oid, uint32_t before_ts, uint8_t *out,
                         size_t cap, size_t *len)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    if (!info || !rct_registry_is_history(info) || cap < 4)
        return false;
    if (info->response_type == RCT_TYPE_EVENT_TABLE)
        return event_page(sim, before_ts, out, cap, len);
    return timeseries_page(sim, info, before_ts, out, cap, len);
}
