/* Pane 5, history: the device's own logger series as charts with a time axis: a day of
 * 5-minute data (PV, house, grid feed and draw, battery, SOC), or per-day energies of a
 * month, or per-month energies of a year. Loaded through the history pager, with its
 * progress shown, and cached for the session. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/registry.h"
#include "tui/app.h"
#include "widgets/spark.h"
#include "widgets/text.h"

enum span { SPAN_DAY, SPAN_MONTH, SPAN_YEAR };

struct series {
    const char *label;
    const char *names[3];        /* day, month, year series */
    enum wrole role;
    bool fraction;               /* SOC: 0..1 shown as percent */
    bool signed_values;
};

static const struct series series_list[] = {
    {"PV A", {"logger.minutes_ea_log_ts", "logger.day_ea_log_ts", "logger.month_ea_log_ts"}, WROLE_GRAPH1, false, false},
    {"PV B", {"logger.minutes_eb_log_ts", "logger.day_eb_log_ts", "logger.month_eb_log_ts"}, WROLE_GRAPH1, false, false},
    {"House", {"logger.minutes_eload_log_ts", "logger.day_eload_log_ts", "logger.month_eload_log_ts"}, WROLE_GRAPH2, false, false},
    {"Grid feed", {"logger.minutes_egrid_feed_log_ts", "logger.day_egrid_feed_log_ts", "logger.month_egrid_feed_log_ts"}, WROLE_GRAPH4, false, false},
    {"Grid draw", {"logger.minutes_egrid_load_log_ts", "logger.day_egrid_load_log_ts", "logger.month_egrid_load_log_ts"}, WROLE_GRAPH3, false, false},
    {"Battery", {"logger.minutes_ebat_log_ts", NULL, NULL}, WROLE_GRAPH5, false, true},
    {"SOC", {"logger.minutes_soc_log_ts", NULL, NULL}, WROLE_GRAPH5, true, false},
};
#define NSERIES (sizeof series_list / sizeof series_list[0])
#define CACHE_MAX 48
/* A day of 5-minute data is about 7 pages; this only stops a device that never ends. */
#define HISTORY_PANE_MAX_PAGES 64

struct cached {
    uint32_t oid;
    int64_t start;
    size_t n;
    struct rct_ts_point *points;
    bool failed;
};

struct history_state {
    enum span span;
    int offset;                   /* periods back from the current one */
    struct cached cache[CACHE_MAX];
    unsigned cache_next;
    bool loading;
    uint64_t walk;                /* the ticket of the series loading now */
    uint32_t loading_oid;
    int64_t loading_start;
};

static void *history_create(struct app *app)
{
    (void)app;
    return calloc(1, sizeof(struct history_state));
}

static void history_destroy(void *state)
{
    struct history_state *s = state;
    if (!s)
        return;
    for (unsigned i = 0; i < CACHE_MAX; i++)
        free(s->cache[i].points);
    free(s);
}

/* The period shown: local midnight to midnight, month or year, `offset` periods back. */
static void period(const struct history_state *s, int64_t *start, int64_t *end)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    if (s->span == SPAN_DAY) {
        tm.tm_mday -= s->offset;
        *start = mktime(&tm);
        tm.tm_mday += 1;
    } else if (s->span == SPAN_MONTH) {
        tm.tm_mday = 1;
        tm.tm_mon -= s->offset;
        *start = mktime(&tm);
        tm.tm_mon += 1;
    } else {
        tm.tm_mday = 1;
        tm.tm_mon = 0;
        tm.tm_year -= s->offset;
        *start = mktime(&tm);
        tm.tm_year += 1;
    }
    tm.tm_isdst = -1;
    *end = mktime(&tm);
}

static const struct cached *find(const struct history_state *s, uint32_t oid, int64_t start)
{
    for (unsigned i = 0; i < CACHE_MAX; i++)
        if (s->cache[i].points && s->cache[i].oid == oid && s->cache[i].start == start)
            return &s->cache[i];
        else if (s->cache[i].failed && s->cache[i].oid == oid && s->cache[i].start == start)
            return &s->cache[i];
    return NULL;
}

/* Files our walk's points in the cache once it has ended. A walk cancelled by another
 * pane leaves nothing behind: the series is asked for again when this pane is drawn. */
static void collect(struct app *app, struct history_state *s)
{
    if (!s->loading)
        return;
    enum walk_state state = walk_state_of(&app->walks, s->walk);
    if (state == WALK_RUNNING)
        return;
    s->loading = false;
    const struct history_pager *p = walk_pages(&app->walks, s->walk);
    if (state == WALK_LOST || !p || p->type != RCT_TYPE_TIMESERIES || p->oid != s->loading_oid)
        return;
    struct cached *c = &s->cache[s->cache_next];
    s->cache_next = (s->cache_next + 1) % CACHE_MAX;
    free(c->points);
    memset(c, 0, sizeof *c);
    c->oid = s->loading_oid;
    c->start = s->loading_start;
    c->failed = state == WALK_FAILED && p->n == 0;
    if (!c->failed) {
        c->n = p->n;
        c->points = malloc((c->n ? c->n : 1) * sizeof *c->points);
        if (!c->points)
            c->n = 0;
        else if (c->n)
            memcpy(c->points, p->points, c->n * sizeof *c->points);
    }
}

/* Starts loading the first series of this period that is not cached yet. */
static void load_next(struct app *app, struct history_state *s, int64_t start, int64_t end,
                      unsigned *done)
{
    *done = 0;
    for (size_t i = 0; i < NSERIES; i++) {
        const char *name = series_list[i].names[s->span];
        if (!name)
            continue;
        const struct rct_oid_info *info = rct_registry_by_name(name);
        if (find(s, info->oid, start)) {
            (*done)++;
            continue;
        }
        if (!s->loading && (s->walk = app_history_start(app, info->oid, start, end - 1,
                                                         HISTORY_PANE_MAX_PAGES))) {
            s->loading = true;
            s->loading_oid = info->oid;
            s->loading_start = start;
        }
        return;
    }
}

static void history_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct history_state *s = state;
    const struct wglyphs *g = app->glyphs;
    collect(app, s);
    int64_t start, end;
    period(s, &start, &end);
    unsigned done;
    load_next(app, s, start, end, &done);
    unsigned wanted = 0;
    for (size_t i = 0; i < NSERIES; i++)
        wanted += series_list[i].names[s->span] != NULL;

    char title[160], when[32];
    time_t t = (time_t)start;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, s->span == SPAN_DAY ? "%a %Y-%m-%d" : s->span == SPAN_MONTH ? "%B %Y" : "%Y", &tm);
    snprintf(title, sizeof title, "%s of %s   %s", s->span == SPAN_DAY ? "5-minute data" :
             s->span == SPAN_MONTH ? "energy per day" : "energy per month", when,
             done < wanted ? "loading from the device" : "from the device's own log");
    text_put(win, area.y, area.x + 1, area.w - 2, title, app_attr(app, WROLE_TITLE), g);
    if (done < wanted) {
        char prog[64];
        const struct history_pager *p = walk_pages(&app->walks, s->walk);
        snprintf(prog, sizeof prog, "%u of %u series, %.0f %%", done, wanted,
                 100.0 * (p && s->loading ? history_pager_progress(p) : 0.0));
        text_put_right(win, area.y, area.x, area.w - 2, prog, app_attr(app, WROLE_WARN), g);
    }
    int label_w = 10, value_w = 12;
    int width = area.w - label_w - value_w - 2;
    if (width < 8)
        return;
    int rows_each = (area.h - 3) / (int)wanted;
    if (rows_each > 3)
        rows_each = 3;
    if (rows_each < 1)
        rows_each = 1;
    static double values[512];
    int y = area.y + 1;
    for (size_t i = 0; i < NSERIES && y + rows_each <= area.y + area.h - 1; i++) {
        const char *name = series_list[i].names[s->span];
        if (!name)
            continue;
        const struct rct_oid_info *info = rct_registry_by_name(name);
        const struct cached *c = find(s, info->oid, start);
        text_put(win, y, area.x + 1, label_w, series_list[i].label, app_attr(app, WROLE_LABEL), g);
        if (!c || c->failed) {
            text_put(win, y, area.x + 1 + label_w, width, c ? "no answer" : g->ellipsis,
                     app_attr(app, c ? WROLE_ERROR : WROLE_STALE), g);
            y += rows_each;
            continue;
        }
        /* Average the points into one column per slice of the period. */
        int w = width > 512 ? 512 : width;
        static int counts[512];
        for (int k = 0; k < w; k++) {
            values[k] = 0;
            counts[k] = 0;
        }
        double total = 0;
        for (size_t k = 0; k < c->n; k++) {
            int col = (int)((double)((int64_t)c->points[k].ts - start) * w / (double)(end - start));
            if (col < 0 || col >= w || !isfinite(c->points[k].value))
                continue;
            double v = c->points[k].value * (series_list[i].fraction ? 100.0 : 1.0);
            values[col] += v;
            counts[col]++;
            total += c->points[k].value;
        }
        for (int k = 0; k < w; k++)
            values[k] = counts[k] ? values[k] / counts[k] : NAN;
        double lo = 0, hi = 0;
        spark_range(values, (size_t)w, &lo, &hi);
        double peak = hi;
        if (series_list[i].signed_values) {
            double m = fmax(fabs(lo), fabs(hi));
            lo = -m;
            hi = m;
        } else {
            lo = 0;
        }
        if (series_list[i].fraction)
            hi = 100;
        if (hi <= lo)
            hi = lo + 1;  /* all zero: an empty chart, not a half-height one */
        chart_draw(win, y, area.x + 1 + label_w, rows_each, w, values, (size_t)w, lo, hi,
                   app_attr(app, series_list[i].role), g);
        char sum[32];
        if (c->n == 0)
            snprintf(sum, sizeof sum, "no data");
        else if (series_list[i].fraction)
            snprintf(sum, sizeof sum, "max %.0f %%", peak);
        else if (s->span == SPAN_DAY)
            snprintf(sum, sizeof sum, "%.1f kWh", total / 12.0 / 1000.0);  /* 5-min W averages */
        else
            snprintf(sum, sizeof sum, "%.1f kWh", total / 1000.0);
        text_put_right(win, y, area.x + 1 + label_w + w, value_w, sum, app_attr(app, WROLE_VALUE), g);
        y += rows_each;
    }
    /* The time axis. */
    int axis_y = y;
    if (axis_y < area.y + area.h) {
        int ticks = s->span == SPAN_DAY ? 4 : s->span == SPAN_MONTH ? 4 : 4;
        for (int k = 0; k <= ticks; k++) {
            int x = area.x + 1 + label_w + k * (width - 1) / ticks;
            char lab[16];
            if (s->span == SPAN_DAY)
                snprintf(lab, sizeof lab, "%02d:00", k * 24 / ticks);
            else if (s->span == SPAN_MONTH)
                snprintf(lab, sizeof lab, "%d.", 1 + k * 28 / ticks);
            else
                snprintf(lab, sizeof lab, "%s", (const char *[]){"Jan", "Apr", "Jul", "Oct", "Dec"}[k]);
            text_put(win, axis_y, x > area.x + area.w - 6 ? area.x + area.w - 6 : x, 6, lab,
                     app_attr(app, WROLE_STALE), g);
        }
    }
}

static bool history_key(struct app *app, void *state, int ch)
{
    (void)app;
    struct history_state *s = state;
    switch (ch) {
    case KEY_LEFT: s->offset++; return true;
    case KEY_RIGHT: if (s->offset > 0) s->offset--; return true;
    case 'd': s->span = SPAN_DAY; s->offset = 0; return true;
    case 'm': s->span = SPAN_MONTH; s->offset = 0; return true;
    case 'y': s->span = SPAN_YEAR; s->offset = 0; return true;
    default: return false;
    }
}

const struct view view_history = {
    .title = "History",
    .digit = '5',
    .create = history_create,
    .destroy = history_destroy,
    .draw = history_draw,
    .key = history_key,
    .help = "\t\nLeft Right\tprevious / next day (month, year)\n"
            "d m y\tday of 5-minute data, month of days, year of months\n",
};
