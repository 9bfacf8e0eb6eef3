/* Pane 5, history: the device's own logger series as charts with a time axis: a day of
 * 5-minute data (PV, house, grid feed and draw, battery, SOC), or per-day energies of a
 * month, or per-month energies of a year. "Today" is the device's today (its clock, not
 * the host's). Loaded through a history walk, with its progress shown, and cached. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "tui/monitor/app.h"
#include "tui/format/timearg.h"
#include "widgets/spark.h"
#include "widgets/text.h"

enum span { SPAN_DAY, SPAN_MONTH, SPAN_YEAR };

struct series {
    const char *label;
    const char *names[3];        /* day, month, year series */
    /* live counters for the period still running: per-day and per-month energy */
    const char *today, *this_month;
    enum wrole role;
    bool fraction;               /* SOC: 0..1 shown as percent */
    bool signed_values;
};

static const struct series series_list[] = {
    {"PV A", {"logger.minutes_ea_log_ts", "logger.day_ea_log_ts", "logger.month_ea_log_ts"},
     "energy.e_dc_day[0]", "energy.e_dc_month[0]", WROLE_GRAPH1, false, false},
    {"PV B", {"logger.minutes_eb_log_ts", "logger.day_eb_log_ts", "logger.month_eb_log_ts"},
     "energy.e_dc_day[1]", "energy.e_dc_month[1]", WROLE_GRAPH1, false, false},
    {"House", {"logger.minutes_eload_log_ts", "logger.day_eload_log_ts", "logger.month_eload_log_ts"},
     "energy.e_load_day", "energy.e_load_month", WROLE_GRAPH2, false, false},
    {"Grid feed", {"logger.minutes_egrid_feed_log_ts", "logger.day_egrid_feed_log_ts",
                   "logger.month_egrid_feed_log_ts"},
     "energy.e_grid_feed_day", "energy.e_grid_feed_month", WROLE_GRAPH4, false, false},
    {"Grid draw", {"logger.minutes_egrid_load_log_ts", "logger.day_egrid_load_log_ts",
                   "logger.month_egrid_load_log_ts"},
     "energy.e_grid_load_day", "energy.e_grid_load_month", WROLE_GRAPH3, false, false},
    {"Battery", {"logger.minutes_ebat_log_ts", NULL, NULL}, NULL, NULL, WROLE_GRAPH5, false, true},
    {"SOC", {"logger.minutes_soc_log_ts", NULL, NULL}, NULL, NULL, WROLE_GRAPH5, true, false},
};
#define NSERIES (sizeof series_list / sizeof series_list[0])
#define CACHE_MAX 48
/* A day of 5-minute data is about 7 pages; this only stops a device that never ends. */
#define HISTORY_PANE_MAX_PAGES 64
/* The period still running is asked again after this long (new points come in). */
#define REFRESH_S 300
#define MAX_COLS 1024

struct cached {
    uint32_t oid;
    int64_t start;
    int64_t loaded_at;            /* device time of the load */
    size_t n;
    struct rct_ts_point *points;
    bool failed;
};

struct history_state {
    enum span span;
    bool follow;                  /* show the period containing the device's now */
    int64_t anchor;               /* otherwise a moment inside the shown period */
    struct cached cache[CACHE_MAX];
    unsigned cache_next;
    bool loading;
    uint64_t walk;                /* the ticket of the series loading now */
    uint32_t loading_oid;
    int64_t loading_start;
    bool typing;                  /* `g`: a date being typed */
    char input[40];
    char note[96];                /* why the last typed date was refused */
    uint64_t pages_generation;    /* replay: the recorded pages the cache was filled from */
};

static void *history_create(struct app *app)
{
    (void)app;
    struct history_state *s = calloc(1, sizeof *s);
    if (s)
        s->follow = true;
    return s;
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

/* The period containing t (the device's midnight to midnight, month or year: its logs
 * follow its wall clock). */
static void period_of(const struct devclock *dc, enum span span, int64_t t, int64_t *start, int64_t *end)
{
    struct tm tm;
    devclock_wall(dc, t, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    if (span != SPAN_DAY)
        tm.tm_mday = 1;
    if (span == SPAN_YEAR)
        tm.tm_mon = 0;
    *start = devclock_from_wall(dc, &tm);
    if (span == SPAN_DAY)
        tm.tm_mday += 1;
    else if (span == SPAN_MONTH)
        tm.tm_mon += 1;
    else
        tm.tm_year += 1;
    *end = devclock_from_wall(dc, &tm);
}

static void shown_period(struct app *app, const struct history_state *s, int64_t *start,
                         int64_t *end)
{
    period_of(app_devclock(app), s->span, s->follow ? app_device_now(app) : s->anchor, start, end);
}

static bool is_current(struct app *app, const struct history_state *s)
{
    int64_t start, end, now = app_device_now(app);
    shown_period(app, s, &start, &end);
    return now >= start && now < end;
}

static struct cached *find(struct history_state *s, uint32_t oid, int64_t start)
{
    for (unsigned i = 0; i < CACHE_MAX; i++)
        if ((s->cache[i].points || s->cache[i].failed) && s->cache[i].oid == oid &&
            s->cache[i].start == start)
            return &s->cache[i];
    return NULL;
}

/* Files our walk's points in the cache once it has ended. A walk cancelled by another
 * pane leaves nothing behind: the series is asked for again when this pane is drawn. */
static void collect(struct app *app, struct history_state *s)
{
    if (!s->loading)
        return;
    enum walk_state state = walk_state_of(&app_device(app)->walks, s->walk);
    if (state == WALK_RUNNING)
        return;
    s->loading = false;
    const struct history_pager *p = walk_pages(&app_device(app)->walks, s->walk);
    if (state == WALK_LOST || !p || p->type != RCT_TYPE_TIMESERIES || p->oid != s->loading_oid)
        return;
    struct cached *c = find(s, s->loading_oid, s->loading_start);
    if (!c) {
        c = &s->cache[s->cache_next];
        s->cache_next = (s->cache_next + 1) % CACHE_MAX;
    }
    free(c->points);
    memset(c, 0, sizeof *c);
    c->oid = s->loading_oid;
    c->start = s->loading_start;
    c->loaded_at = app_device_now(app);
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

/* Starts loading the first series of this period that is not cached (or, for the period
 * still running, not refreshed lately); *done counts the series that are there. */
static void load_next(struct app *app, struct history_state *s, int64_t start, int64_t end,
                      unsigned *done)
{
    *done = 0;
    bool current = is_current(app, s);
    int64_t now = app_device_now(app);
    for (size_t i = 0; i < NSERIES; i++) {
        const char *name = series_list[i].names[s->span];
        if (!name)
            continue;
        const struct rct_oid_info *info = rct_registry_by_name(name);
        const struct cached *c = find(s, info->oid, start);
        bool refresh = c && current && now - c->loaded_at > REFRESH_S;
        if (c && !refresh) {
            (*done)++;
            continue;
        }
        if (c)
            (*done)++;  /* shown while it is asked again */
        if (!s->loading && (s->walk = app_history_start(app, info->oid, start, end - 1,
                                                         HISTORY_PANE_MAX_PAGES))) {
            s->loading = true;
            s->loading_oid = info->oid;
            s->loading_start = start;
        }
        if (!c)
            return;
    }
}

/* Length of the period a point of this span's series stands for. */
static int64_t point_span(const struct devclock *dc, enum span span, int64_t ts)
{
    if (span == SPAN_DAY)
        return 300;
    int64_t a, b;
    period_of(dc, span == SPAN_MONTH ? SPAN_DAY : SPAN_MONTH, ts, &a, &b);
    return b - a;
}

/* One value per column: the point whose period covers the column's middle, so bars are
 * continuous at any width; NaN only where the device logged nothing. */
static void columns(const struct devclock *dc, const struct cached *c, enum span span, int64_t start, int64_t end, int w,
                    double scale, double *out)
{
    size_t k = 0;
    for (int col = 0; col < w; col++) {
        int64_t mid = start + (int64_t)(((double)col + 0.5) * (double)(end - start) / w);
        while (k + 1 < c->n && (int64_t)c->points[k + 1].ts <= mid)
            k++;
        out[col] = NAN;
        if (c->n && (int64_t)c->points[k].ts <= mid &&
            mid < (int64_t)c->points[k].ts + point_span(dc, span, c->points[k].ts) &&
            isfinite(c->points[k].value))
            out[col] = c->points[k].value * scale;
    }
}

/* The running period's bucket from the live counter when the log has no point for it
 * yet (devices log a day or a month once it is over). */
static bool live_bucket(struct app *app, const struct history_state *s, const struct series *se,
                        int64_t start, int64_t end, int w, double *out)
{
    const char *name = s->span == SPAN_MONTH ? se->today : s->span == SPAN_YEAR ? se->this_month : NULL;
    double v;
    if (!name || !app_number(app, name, &v))
        return false;
    int64_t now = app_device_now(app), b0, b1;
    period_of(app_devclock(app), s->span == SPAN_MONTH ? SPAN_DAY : SPAN_MONTH, now, &b0, &b1);
    if (now < start || now >= end)
        return false;
    int from = (int)((double)(b0 - start) * w / (double)(end - start));
    int to = (int)ceil((double)(b1 - start) * w / (double)(end - start));
    bool filled = false;
    for (int col = from < 0 ? 0 : from; col < to && col < w; col++)
        if (isnan(out[col])) {
            out[col] = fabs(v);
            filled = true;
        }
    return filled;
}

static double sum_of(const struct cached *c, enum span span, bool fraction)
{
    double total = 0;
    for (size_t k = 0; k < c->n; k++)
        if (isfinite(c->points[k].value))
            total += c->points[k].value;
    if (fraction)
        return total;
    return span == SPAN_DAY ? total / 12.0 : total;  /* 5-minute W averages -> Wh */
}

/* Tick labels that never touch: as many as fit, at round positions of the period. */
static void draw_axis(struct app *app, WINDOW *win, int y, int x, int w, enum span span,
                      int64_t start, int64_t end)
{
    const struct wglyphs *g = app->glyphs;
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int label_w = span == SPAN_DAY ? 5 : 3;
    int max_ticks = w / (label_w + 2);
    if (max_ticks < 2)
        return;
    /* Candidate steps, finest first: hours for a day, days for a month, months for a year. */
    static const int day_steps[] = {1, 2, 3, 4, 6, 8, 12};
    static const int month_steps[] = {1, 2, 7, 14};
    static const int year_steps[] = {1, 2, 3, 6};
    const int *steps = span == SPAN_DAY ? day_steps : span == SPAN_MONTH ? month_steps : year_steps;
    int nsteps = span == SPAN_DAY ? 7 : span == SPAN_MONTH ? 4 : 4;
    int units = span == SPAN_DAY ? 24 : span == SPAN_MONTH ? 31 : 12;
    int step = steps[nsteps - 1];
    for (int i = 0; i < nsteps; i++)
        if (units / steps[i] + 1 <= max_ticks) {
            step = steps[i];
            break;
        }
    int last_end = x - 1;
    for (int u = 0; u <= units; u += step) {
        time_t t;
        char lab[16];
        struct tm tm;
        devclock_wall(app_devclock(app), start, &tm);
        if (span == SPAN_DAY) {
            tm.tm_hour = u;
            snprintf(lab, sizeof lab, "%02d:00", u);
        } else if (span == SPAN_MONTH) {
            tm.tm_mday = 1 + u;
            snprintf(lab, sizeof lab, "%d", 1 + u);
        } else {
            tm.tm_mon = u;
            snprintf(lab, sizeof lab, "%s", months[u % 12]);
        }
        t = (time_t)devclock_from_wall(app_devclock(app), &tm);
        if ((int64_t)t > end || (span != SPAN_DAY && (int64_t)t >= end))
            break;
        int col = x + (int)((double)((int64_t)t - start) * (w - 1) / (double)(end - start));
        int lw = text_width(lab);
        int lx = col - lw / 2;
        if (lx < x)
            lx = x;
        if (lx + lw > x + w)
            lx = x + w - lw;
        if (lx <= last_end + 1)
            continue;  /* would touch the previous label */
        text_put(win, y, lx, lw, lab, app_attr(app, WROLE_STALE), g);
        last_end = lx + lw - 1;
    }
}

/* The title line: what and when, then (where they fit) the device clock and progress. */
static void draw_title(struct app *app, struct history_state *s, WINDOW *win, struct wrect area,
                       int64_t start, unsigned done, unsigned wanted)
{
    const struct wglyphs *g = app->glyphs;
    char when[40], title[200], extra[160] = "", clock[80];
    struct tm tm;
    devclock_wall(app_devclock(app), start, &tm);
    strftime(when, sizeof when, s->span == SPAN_DAY ? "%a %Y-%m-%d" : s->span == SPAN_MONTH ? "%B %Y" : "%Y", &tm);
    bool current = is_current(app, s);
    snprintf(title, sizeof title, "%s %s%s", s->span == SPAN_DAY ? "5-minute data of" :
             s->span == SPAN_MONTH ? "Energy per day," : "Energy per month,", when,
             current ? (s->span == SPAN_DAY ? " (today)" : " (so far)") : "");
    app_clock_note(app, clock, sizeof clock);
    if (s->typing) {
        snprintf(title, sizeof title, "Go to date (YYYY-MM-DD, Enter; Esc cancels): %s_", s->input);
    } else if (done < wanted && !app_device(app)->opt.listen_only) {
        const struct history_pager *p = s->loading ? walk_pages(&app_device(app)->walks, s->walk) : NULL;
        snprintf(extra, sizeof extra, "loading %u of %u, %.0f %%", done + 1, wanted,
                 100.0 * (p ? history_pager_progress(p) : 0.0));
    } else if (app_device(app)->opt.listen_only) {
        snprintf(extra, sizeof extra, "listen-only: history is read by request, none is sent");
    } else if (s->note[0]) {
        snprintf(extra, sizeof extra, "%s", s->note);
    } else if (clock[0]) {
        snprintf(extra, sizeof extra, "%s", clock);
    }
    int tw = text_width(title), ew = text_width(extra);
    text_put(win, area.y, area.x + 1, area.w - 2, title,
             app_attr(app, s->typing ? WROLE_HIGHLIGHT : WROLE_TITLE), g);
    if (ew && !s->typing && tw + ew + 4 <= area.w)
        text_put_right(win, area.y, area.x, area.w - 1, extra,
                       app_attr(app, done < wanted || s->note[0] ? WROLE_WARN : WROLE_STALE), g);
}

/* Replay: the pages reached changed (played on, or started over): load again from them. */
static void forget_if_pages_changed(struct app *app, struct history_state *s)
{
    if (!app->replay || s->pages_generation == app_device(app)->pages_generation)
        return;
    s->pages_generation = app_device(app)->pages_generation;
    for (unsigned i = 0; i < CACHE_MAX; i++)
        free(s->cache[i].points);
    memset(s->cache, 0, sizeof s->cache);
    s->cache_next = 0;
    s->loading = false;
}

static void history_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct history_state *s = state;
    const struct wglyphs *g = app->glyphs;
    forget_if_pages_changed(app, s);
    collect(app, s);
    int64_t start, end;
    shown_period(app, s, &start, &end);
    unsigned done, wanted = 0;
    load_next(app, s, start, end, &done);
    for (size_t i = 0; i < NSERIES; i++)
        wanted += series_list[i].names[s->span] != NULL;
    draw_title(app, s, win, area, start, done, wanted);

    int label_w = area.w >= 60 ? 10 : 6, value_w = area.w >= 60 ? 12 : 9;
    int width = area.w - label_w - value_w - 3;
    if (width > MAX_COLS)
        width = MAX_COLS;
    if (width < 4 || area.h < 3) {
        text_put(win, area.y + 1, area.x + 1, area.w - 2, "(wider, please)", app_attr(app, WROLE_STALE), g);
        return;
    }
    /* Rows: title, the charts, the axis. Taller terminals get taller charts. */
    int avail = area.h - 2;
    int rows_each = avail / (int)wanted;
    if (rows_each > 6)
        rows_each = 6;
    int shown = rows_each >= 1 ? (int)wanted : avail;
    if (rows_each < 1)
        rows_each = 1;
    static double values[MAX_COLS];
    int y = area.y + 1;
    int drawn = 0;
    for (size_t i = 0; i < NSERIES && drawn < shown; i++) {
        const struct series *se = &series_list[i];
        const char *name = se->names[s->span];
        if (!name)
            continue;
        drawn++;
        const struct rct_oid_info *info = rct_registry_by_name(name);
        const struct cached *c = find(s, info->oid, start);
        text_put(win, y, area.x + 1, label_w, se->label, app_attr(app, WROLE_LABEL), g);
        int vx = area.x + 2 + label_w;
        if (!c || c->failed) {
            text_put(win, y, vx, width, c ? (app->replay ? "not in the recording" : "no answer") : g->ellipsis,
                     app_attr(app, c ? WROLE_ERROR : WROLE_STALE), g);
            y += rows_each;
            continue;
        }
        columns(app_devclock(app), c, s->span, start, end, width, se->fraction ? 100.0 : 1.0, values);
        bool live = live_bucket(app, s, se, start, end, width, values);
        double lo = 0, hi = 0;
        spark_range(values, (size_t)width, &lo, &hi);
        double peak = hi;
        /* A signed series is drawn about zero (what was fed in hangs below the line);
         * without a value below zero it is drawn as any other. */
        if (se->signed_values) {
            lo = fmin(lo, 0);
            hi = fmax(hi, 0);
        } else {
            lo = 0;
        }
        if (se->fraction)
            hi = 100;
        if (hi <= lo)
            hi = lo + 1;  /* all zero: an empty chart on its baseline */
        chart_draw(win, y, vx, rows_each, width, values, (size_t)width, lo, hi,
                   app_attr(app, se->role), g);
        char sum[32];
        double total = sum_of(c, s->span, se->fraction);
        if (live && app_number(app, s->span == SPAN_MONTH ? se->today : se->this_month, &lo))
            total += fabs(lo);
        if (c->n == 0 && !live)
            snprintf(sum, sizeof sum, "no data");
        else if (se->fraction)
            snprintf(sum, sizeof sum, "max %.0f %%", peak);
        else
            snprintf(sum, sizeof sum, "%.1f kWh", total / 1000.0);
        text_put_right(win, y, vx + width, value_w, sum, app_attr(app, WROLE_VALUE), g);
        y += rows_each;
    }
    if (y < area.y + area.h)
        draw_axis(app, win, y, area.x + 2 + label_w, width, s->span, start, end);
}

static void step_period(struct app *app, struct history_state *s, int direction)
{
    int64_t start, end;
    shown_period(app, s, &start, &end);
    int64_t target = direction < 0 ? start - 1 : end;
    int64_t now_start, now_end;
    period_of(app_devclock(app), s->span, app_device_now(app), &now_start, &now_end);
    s->follow = target >= now_start;
    s->anchor = s->follow ? 0 : target;
}

static bool history_text_entry(void *state)
{
    const struct history_state *s = state;
    return s->typing;
}

static bool typing_key(struct app *app, struct history_state *s, int ch)
{
    size_t n = strlen(s->input);
    if (ch == 27) {
        s->typing = false;
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (n)
            s->input[n - 1] = '\0';
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        int64_t t;
        s->typing = false;
        struct tm wall = {0};
        if (!timearg_parse(s->input, &t) || sscanf(s->input, "%d-%d-%d", &wall.tm_year, &wall.tm_mon,
                                                   &wall.tm_mday) != 3) {
            snprintf(s->note, sizeof s->note, "not a date: use YYYY-MM-DD");
        } else {
            /* The date on the device's calendar. */
            wall.tm_year -= 1900;
            wall.tm_mon -= 1;
            wall.tm_hour = 12;
            t = devclock_from_wall(app_devclock(app), &wall);
            int64_t a, b;
            period_of(app_devclock(app), s->span, app_device_now(app), &a, &b);
            s->follow = t >= a && t < b;
            s->anchor = s->follow ? 0 : t;
        }
    } else if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof s->input) {
        s->input[n] = (char)ch;
        s->input[n + 1] = '\0';
    }
    return true;
}

static bool history_key(struct app *app, void *state, int ch)
{
    struct history_state *s = state;
    if (s->typing)
        return typing_key(app, s, ch);
    s->note[0] = '\0';
    switch (ch) {
    case KEY_LEFT: case '[': step_period(app, s, -1); return true;
    case KEY_RIGHT: case ']': step_period(app, s, +1); return true;
    case 'd': s->span = SPAN_DAY; return true;
    case 'm': s->span = SPAN_MONTH; return true;
    case 'y': s->span = SPAN_YEAR; return true;
    case 'g': s->typing = true; s->input[0] = '\0'; return true;
    case 'T': s->follow = true; s->anchor = 0; return true;
    default: return false;
    }
}

/* The live counters that complete the running day or month, and the device clock. */
static size_t history_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)app;
    const struct history_state *s = state;
    size_t n = 0;
    const struct rct_oid_info *clock = rct_registry_by_name("flash_rtc.time_stamp");
    if (clock && n < max)
        out[n++] = clock->oid;
    for (size_t i = 0; i < NSERIES && s->span != SPAN_DAY; i++) {
        const char *name = s->span == SPAN_MONTH ? series_list[i].today : series_list[i].this_month;
        const struct rct_oid_info *info = name ? rct_registry_by_name(name) : NULL;
        if (info && n < max)
            out[n++] = info->oid;
    }
    return n;
}

const struct view view_history = {
    .title = "History",
    .short_title = "Hist",
    .digit = '5',
    .create = history_create,
    .destroy = history_destroy,
    .draw = history_draw,
    .key = history_key,
    .visible_oids = history_visible,
    .text_entry = history_text_entry,
    .help = "\t\nLeft Right\tprevious / next day (month, year); also [ ] with one unit\n"
            "d m y\tday of 5-minute data, month of days, year of months\n"
            "g\tgo to a date (YYYY-MM-DD)\n"
            "T\tback to the device's today\n",
};
