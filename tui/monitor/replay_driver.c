/* The replay driver: see replay.h. */
#include "tui/monitor/replay_driver.h"

#include <ctype.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/core/clock.h"
#include "proto/capture/replay.h"
#include "tui/monitor/app.h"
#include "tui/format/timearg.h"
#include "widgets/text.h"

#define FRAME_US 40000            /* how often playing moves on (host time) */
/* Left and Right move a twentieth of the recording, one second to one minute: a short
 * recording gets steps to match. Shift, < and > ten steps. */
static int64_t step_us(const struct replay_driver *d);
#define STEP_MIN_US 1000000LL
#define STEP_MAX_US (60 * 1000000LL)

static const double speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64};
#define NSPEEDS (sizeof speeds / sizeof speeds[0])

struct replay_driver {
    struct replay *rec;
    struct replay_pages *pages;
    size_t next;                 /* the first record not yet handed over */
    int64_t pos;                 /* position: the recording's monotonic clock (us) */
    int64_t tick_at, tick_us;    /* the live monitor's ticks, on the recorded clock */
    int64_t fed_at;              /* the time of the last record handed over */
    int speed;                   /* index into speeds */
    bool playing, ended;
    int64_t host_last_us;
    struct event *timer;
    bool typing;
    char input[48];
    char warning[300];
};

bool replay_driver_open(struct app *app, struct device_options *dev)
{
    struct replay_driver *d = calloc(1, sizeof *d);
    char err[1200];
    if (!d || !(d->pages = replay_pages_new())) {
        fprintf(stderr, "rcttop: out of memory\n");
        free(d);
        return false;
    }
    d->rec = replay_load(app->opt->replay_path, err, sizeof err, d->warning, sizeof d->warning);
    if (!d->rec) {
        fprintf(stderr, "rcttop: %s\n", err);
        replay_pages_free(d->pages);
        free(d);
        return false;
    }
    char host[256], options[256];
    replay_header(d->rec, "host", host, sizeof host);
    replay_header(d->rec, "options", options, sizeof options);
    /* The header is a file's text, drawn in the status bar. */
    rct_sanitize(host[0] ? host : "recording", strlen(host[0] ? host : "recording"),
                 dev->label, sizeof dev->label);
    dev->demo = false;
    /* The link as it was configured, so its estimates and timeouts come out the same. */
    double rate, timeout;
    int retries;
    bool listen_only;
    if (record_header_options(options, &rate, &timeout, &retries, &listen_only)) {
        dev->rate = rate;
        dev->timeout = timeout;
        dev->retries = retries;
    }
    dev->listen_only = listen_only;
    dev->replay = true;  /* no connection, no recorder, no simulator */
    double speed = app->opt->replay_speed > 0 ? app->opt->replay_speed : 1;
    d->speed = 2;
    for (int i = 0; i < (int)NSPEEDS; i++)
        if (speeds[i] <= speed + 1e-9)
            d->speed = i;
    int refresh = app->opt->cfg.refresh > 0 ? app->opt->cfg.refresh : 4;
    d->tick_us = 1000000 / refresh;
    replay_pages_index(d->pages, d->rec);
    app->replay = d;
    return true;
}

static enum walk_source_answer answer_from_recording(void *ctx, uint32_t oid, uint32_t ts,
                                                     const uint8_t **payload, uint16_t *len)
{
    struct replay_driver *d = ctx;
    switch (replay_pages_answer(d->pages, oid, ts, d->pos, payload, len)) {
    case REPLAY_PAGE_FOUND: return WALK_SOURCE_PAGE;
    case REPLAY_PAGE_LATER: return WALK_SOURCE_LATER;
    default: return WALK_SOURCE_NONE;
    }
}

void replay_driver_attach_walks(struct app *app)
{
    walk_set_source(&app_device(app)->walks, answer_from_recording, app->replay);
}

static void set_clock(struct replay_driver *d, int64_t mono)
{
    clock_set_replay(mono, replay_unix_at(d->rec, mono));
}

/* The live monitor looked at its store every tick; so does the replay, on recorded time.
 * Once nothing has come for longer than it takes to call the device silent, further ticks
 * change nothing: a gap of hours (or a damaged file's centuries) is skipped to its end. */
static void run_ticks(struct app *app, int64_t upto)
{
    struct replay_driver *d = app->replay;
    int64_t settled = d->fed_at + app_device(app)->knows.silent_after_ms * 1000 + 2 * d->tick_us;
    while (d->tick_at <= upto) {
        if (d->tick_at > settled && upto - d->tick_at >= d->tick_us)
            d->tick_at += (upto - d->tick_at) / d->tick_us * d->tick_us;
        set_clock(d, d->tick_at);
        device_tick(app_device(app));
        d->tick_at += d->tick_us;
    }
}

static void advance(struct app *app, int64_t target)
{
    struct replay_driver *d = app->replay;
    size_t n = replay_count(d->rec);
    while (d->next < n) {
        const struct record_entry *e = replay_record(d->rec, d->next);
        if (e->mono_us > target)
            break;
        run_ticks(app, e->mono_us);
        clock_set_replay(e->mono_us, e->unix_us);
        session_replay(app_device(app)->session, e->kind, e->data, e->len);
        d->fed_at = e->mono_us;
        d->next++;
    }
    run_ticks(app, target);
    d->pos = target;
    set_clock(d, target);
    device_catch_up(app_device(app));
    app->dirty = true;
}

/* Forgets everything learned from the recording so far. */
static void start_over(struct app *app)
{
    if (!device_forget(app_device(app))) {
        endwin();
        fprintf(stderr, "rcttop: out of memory\n");
        exit(2);
    }
    app->watched_hash = 0;
    app->drawn_generation = 0;
    app->dirty = true;
}

static void seek(struct app *app, int64_t target)
{
    struct replay_driver *d = app->replay;
    int64_t first = replay_first_mono_us(d->rec), last = replay_last_mono_us(d->rec);
    if (target < first)
        target = first;
    if (target > last)
        target = last;
    if (target < d->pos) {
        /* What the device said cannot be unsaid: start over and play up to the target. */
        start_over(app);
        replay_driver_attach_walks(app);
        d->next = 0;
        d->tick_at = first + d->tick_us;
        d->fed_at = first;
        d->pos = first;
    }
    advance(app, target);
    d->ended = target >= last;
    if (d->ended)
        d->playing = false;
    d->host_last_us = clock_host_mono_us();
}

static void on_frame(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct app *app = arg;
    struct replay_driver *d = app->replay;
    int64_t host = clock_host_mono_us();
    int64_t elapsed = host - d->host_last_us;
    d->host_last_us = host;
    if (!d->playing)
        return;
    int64_t target = d->pos + (int64_t)((double)elapsed * speeds[d->speed]);
    seek(app, target);
    if (d->ended)
        app_note(app, " end of the recording: g or Left to go back, q to quit");
}

void replay_driver_start(struct app *app)
{
    struct replay_driver *d = app->replay;
    int64_t first = replay_first_mono_us(d->rec);
    app_device(app)->knows.started_ms = first / 1000;
    d->pos = first;
    d->tick_at = first + d->tick_us;
    d->fed_at = first;
    set_clock(d, first);
    int64_t start = first;
    int64_t at_us;
    if (app->opt->replay_at[0] &&
        replay_parse_time(app->opt->replay_at, replay_unix_at(d->rec, first), &at_us))
        start = at_us == INT64_MIN ? first
                : at_us == INT64_MAX ? replay_last_mono_us(d->rec) : replay_mono_at(d->rec, at_us);
    d->playing = !app->opt->replay_paused;
    advance(app, start);
    d->ended = replay_count(d->rec) == 0 || start >= replay_last_mono_us(d->rec);
    if (d->ended)
        d->playing = false;
    d->host_last_us = clock_host_mono_us();
    d->timer = event_new(app->base, -1, EV_PERSIST, on_frame, app);
    struct timeval tv = {0, FRAME_US};
    if (d->timer)
        event_add(d->timer, &tv);
    if (d->warning[0])
        app_note(app, " %s", d->warning);
}

void replay_driver_free(struct app *app)
{
    struct replay_driver *d = app->replay;
    if (!d)
        return;
    if (d->timer)
        event_free(d->timer);
    replay_pages_free(d->pages);
    replay_free(d->rec);
    free(d);
    app->replay = NULL;
    clock_live();
}

static const char *span_text(int64_t us, char *buf, size_t cap)
{
    long long s = (long long)(us / 1000000);
    if (s >= 3600)
        snprintf(buf, cap, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, cap, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

static int64_t step_us(const struct replay_driver *d)
{
    int64_t len = replay_last_mono_us(d->rec) - replay_first_mono_us(d->rec);
    int64_t step = len / 20;
    return step < STEP_MIN_US ? STEP_MIN_US : step > STEP_MAX_US ? STEP_MAX_US : step;
}

static const char *speed_text(double speed, char *buf, size_t cap)
{
    if (speed < 1)
        snprintf(buf, cap, "x1/%d", (int)(1 / speed + 0.5));
    else
        snprintf(buf, cap, "x%g", speed);
    return buf;
}

void replay_driver_status(struct app *app, char *buf, size_t cap, int cols)
{
    struct replay_driver *d = app->replay;
    int64_t first = replay_first_mono_us(d->rec), last = replay_last_mono_us(d->rec);
    char at[24], total[24], when[32], speed[16];
    span_text(d->pos - first, at, sizeof at);
    span_text(last - first, total, sizeof total);
    time_t t = (time_t)(session_unix_ms() / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, cols >= 100 ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
    char paused[32];
    snprintf(paused, sizeof paused, "PAUSED %s", speed_text(speeds[d->speed], speed, sizeof speed));
    const char *state = d->ended ? "END" : d->playing ? speed_text(speeds[d->speed], speed, sizeof speed)
                                                      : paused;
    if (cols >= 70)
        snprintf(buf, cap, " REPLAY %s %s %s/%s ", when, state, at, total);
    else if (cols >= 50)
        snprintf(buf, cap, " REPLAY %s %s ", when, state);
    else
        snprintf(buf, cap, " REPLAY %s ", d->playing ? when : state);
}

bool replay_driver_prompt(struct app *app, int row, int cols)
{
    struct replay_driver *d = app->replay;
    if (!d->typing)
        return false;
    char line[160];
    snprintf(line, sizeof line, cols >= 70 ? " go to (HH:MM:SS, YYYY-MM-DD HH:MM, start, end): %s_"
                                           : " go to: %s_", d->input);
    text_put(stdscr, row, 0, cols, line, app_attr(app, WROLE_WARN), app->glyphs);
    return true;
}

/* A fraction of a second, 1 to 6 digits, as microseconds; false if it is not one. */
static bool parse_fraction(const char **p, int *us)
{
    int digits = 0;
    *us = 0;
    for (; isdigit((unsigned char)**p) && digits < 6; (*p)++, digits++)
        *us = *us * 10 + (**p - '0');
    if (digits == 0)
        return false;
    for (; digits < 6; digits++)
        *us *= 10;
    return true;
}

/* Seconds and microseconds after "HH:MM": "", ":SS" or ":SS.ffffff" (1 to 6 digits). */
static bool parse_clock(const char *p, int *h, int *m, int *sec, int *us)
{
    int used = 0;
    *sec = *us = 0;
    if (sscanf(p, "%2d:%2d%n", h, m, &used) != 2 || used != 5)
        return false;
    p += used;
    if (*p == ':') {
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
            return false;
        *sec = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3;
        if (*p == '.') {
            p++;
            if (!parse_fraction(&p, us))
                return false;
        }
    }
    return *p == '\0' && *h >= 0 && *h < 24 && *m >= 0 && *m < 60 && *sec < 61;
}

bool replay_parse_time(const char *text, int64_t day_of_unix_us, int64_t *unix_us)
{
    while (*text == ' ')
        text++;
    if (!strcmp(text, "start")) {
        *unix_us = INT64_MIN;
        return true;
    }
    if (!strcmp(text, "end")) {
        *unix_us = INT64_MAX;
        return true;
    }
    int h, m, sec, us;
    if (parse_clock(text, &h, &m, &sec, &us)) {
        time_t day = (time_t)(day_of_unix_us / 1000000);
        struct tm tm;
        localtime_r(&day, &tm);
        tm.tm_hour = h;
        tm.tm_min = m;
        tm.tm_sec = sec;
        tm.tm_isdst = -1;
        *unix_us = (int64_t)mktime(&tm) * 1000000 + us;
        return true;
    }
    /* A date and a time: the date's part through timearg, the fraction kept aside. */
    char copy[48];
    snprintf(copy, sizeof copy, "%s", text);
    int frac_us = 0;
    char *dot = strrchr(copy, '.');
    if (dot && strchr(copy, ':') && dot > strrchr(copy, ':')) {
        const char *p = dot + 1;
        if (!parse_fraction(&p, &frac_us) || *p)
            return false;
        *dot = '\0';
    }
    int64_t s;
    if (strlen(copy) < 12 || !timearg_parse(copy, &s))
        return false;  /* a bare date would be midnight: ask for a time */
    *unix_us = s * 1000000 + frac_us;
    return true;
}

static void go_to_typed(struct app *app)
{
    struct replay_driver *d = app->replay;
    int64_t unix_us;
    if (!replay_parse_time(d->input, session_unix_ms() * 1000, &unix_us)) {
        app_note(app, " not a time: '%s' (HH:MM[:SS], YYYY-MM-DD HH:MM[:SS], start, end)", d->input);
        return;
    }
    int64_t first = replay_first_mono_us(d->rec), last = replay_last_mono_us(d->rec);
    int64_t target = unix_us == INT64_MIN ? first : unix_us == INT64_MAX ? last
                                                   : replay_mono_at(d->rec, unix_us);
    if (unix_us != INT64_MIN && unix_us != INT64_MAX) {
        if (unix_us < replay_unix_at(d->rec, first))
            app_note(app, " before the recording: at its start");
        else if (unix_us > replay_unix_at(d->rec, last))
            app_note(app, " after the recording: at its end");
    }
    seek(app, target);
}

static bool typing_key(struct app *app, int ch)
{
    struct replay_driver *d = app->replay;
    size_t n = strlen(d->input);
    if (ch == 27) {
        d->typing = false;
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        d->typing = false;
        if (n)
            go_to_typed(app);
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (n)
            d->input[n - 1] = '\0';
    } else if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof d->input) {
        d->input[n] = (char)ch;
        d->input[n + 1] = '\0';
    }
    return true;
}

bool replay_driver_key(struct app *app, int ch)
{
    struct replay_driver *d = app->replay;
    if (d->typing)
        return typing_key(app, ch);
    char speed[16];
    switch (ch) {
    case ' ': case 'p': case 'P':
        if (d->ended && !d->playing) {
            app_note(app, " end of the recording: g or Left to go back");
            return true;
        }
        d->playing = !d->playing;
        d->host_last_us = clock_host_mono_us();
        return true;
    case KEY_LEFT: case KEY_RIGHT: case KEY_SLEFT: case KEY_SRIGHT: case '<': case '>': {
        int64_t by = step_us(d) * (ch == KEY_LEFT || ch == KEY_RIGHT ? 1 : 10);
        bool back = ch == KEY_LEFT || ch == KEY_SLEFT || ch == '<';
        char span[24];
        seek(app, d->pos + (back ? -by : by));
        span_text(by, span, sizeof span);
        app_note(app, " %s %s", back ? "back" : "forward", span);
        return true;
    }
    case '+': case '=': case '-': case '_':
        if ((ch == '+' || ch == '=') && d->speed + 1 < (int)NSPEEDS)
            d->speed++;
        else if ((ch == '-' || ch == '_') && d->speed > 0)
            d->speed--;
        /* Paused, the status bar shows the speed too; the note says it was taken. */
        app_note(app, " replay speed %s%s", speed_text(speeds[d->speed], speed, sizeof speed),
                 d->playing ? "" : " (paused: Space plays)");
        return true;
    case 'g': case 'G':
        d->typing = true;
        d->input[0] = '\0';
        return true;
    default:
        return false;
    }
}
