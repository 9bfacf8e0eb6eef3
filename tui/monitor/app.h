/* The monitor: owns the event loop wiring (session or in-process simulator, keys,
 * SIGWINCH, the redraw timer), the status bar, tabs and help overlay, and the table of
 * panes. Callbacks only record; the redraw timer is the only place that draws. */
#ifndef RCT_APP_H
#define RCT_APP_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "proto/core/history.h"
#include "proto/core/walk.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "tui/config/config.h"
#include "tui/diagnosis/health.h"
#include "widgets/glyphs.h"
#include "widgets/layout.h"
#include "widgets/theme.h"

struct app;

/* One pane: a file tui/view_*.c and one entry in the table in app.c. */
struct view {
    const char *title;              /* tab text */
    const char *short_title;        /* where the full ones do not fit (NULL: the same) */
    int digit;                      /* the key that opens it: '1' .. '9' */
    void *(*create)(struct app *app);
    void (*destroy)(void *state);
    void (*draw)(struct app *app, void *state, WINDOW *win, struct wrect area);
    /* Returns true if the key was the pane's. */
    bool (*key)(struct app *app, void *state, int ch);
    /* OIDs on screen now (read first by the scheduler); returns how many. */
    size_t (*visible_oids)(struct app *app, void *state, uint32_t *out, size_t max);
    /* The pane's own keys for the help overlay: "key\tdescription" lines. */
    const char *help;
    /* True while the pane captures all printable keys (e.g. typing a search). */
    bool (*text_entry)(void *state);
};

#define LINKLOG_SIZE 256

struct linklog_entry {
    int64_t unix_ms;
    bool is_state;                 /* a connection event (note says which), not a frame */
    char note[128];
    uint8_t raw[64];               /* the frame's payload (first 64 bytes) */
    uint16_t raw_len;
    enum session_frame_class cls;
    uint8_t command;
    uint32_t oid;
    int64_t rtt_ms;
    int attempt, max_attempts;
    char value[48];
};

#define FAULT_CHANGES_MAX 64

struct fault_change {
    int64_t unix_s;
    unsigned bit;
    bool active;
};

struct app_options {
    struct config cfg;
    bool demo;
    char host[256];
    uint16_t port;
    char device_label[300];
    double rate, timeout;
    int retries;
    char theme[256];
    bool ascii, mouse;
    bool listen_only;              /* send nothing; show what other clients' answers bring */
    char record_path[1024];        /* --record: every byte both ways (rcttop decode FILE) */
    double record_max_mb;
    /* rcttop replay FILE: the monitor fed from a recording */
    char replay_path[1024];
    double replay_speed;           /* 1 = as fast as it was recorded */
    char replay_at[64];            /* start at this recorded time ("": the beginning) */
    bool replay_paused;
};

struct replay_driver;

struct app {
    struct app_options opt;
    struct event_base *base;
    struct store *store;
    struct scheduler *sched;
    struct session *session;
    struct sim *sim;               /* demo mode only */
    struct recorder *recorder;     /* --record, and the last 15 minutes kept in memory */
    struct replay_driver *replay;  /* rcttop replay: position, speed, recorded pages */
    struct session_config session_cfg;
    uint64_t pages_generation;     /* replay: history pages reached or forgotten (panes reload) */
    uint64_t stale_marked_generation;
    SCREEN *screen;
    struct wtheme theme;
    enum wcolour_mode colour_mode;
    const struct wglyphs *glyphs;
    size_t theme_index;
    int current_view;
    void **view_state;
    bool help_open;
    int help_scroll;
    bool paused;
    bool dirty;                    /* force a redraw */
    bool redraw_now;               /* draw again at once (a replayed walk ended in the draw) */
    bool quit;
    uint64_t drawn_generation;
    int64_t drawn_second;
    uint32_t watched_hash;
    /* the link, as the Link pane shows it */
    struct linklog_entry linklog[LINKLOG_SIZE];
    unsigned linklog_head, linklog_len;
    uint64_t linklog_added;        /* rows ever added (the Link pane keeps its place) */
    bool linklog_frozen;
    enum link_state last_link_state;
    /* faults seen this session */
    uint32_t fault_words[4];
    bool fault_known;
    int64_t fault_since[128];
    struct fault_change fault_changes[FAULT_CHANGES_MAX];
    unsigned fault_changes_len;
    /* one history walk at a time; its pages reach only the pane holding its ticket */
    struct walk_broker walks;
    /* the one truth about whether what is shown is current */
    bool silent;                   /* nothing heard for longer than silent_after_ms */
    int64_t silent_after_ms;
    int64_t last_heard_unix_ms;    /* wall clock of the newest reading; 0 = never */
    /* the diagnosis, kept current from the store (the Health pane, the dashboard line) */
    struct health_thresholds thresholds;
    struct health_finding findings[96];
    size_t nfindings;
    uint64_t findings_generation;
    double totals_first[8];        /* energy totals as first read, for "went backwards" */
    char message[160];             /* a transient note in the key bar */
    int64_t message_until_ms;
    int64_t started_ms;            /* on the clock (the recording's in a replay) */
    int64_t ui_started_ms;         /* app_ui_ms() at start */
};

size_t app_view_count(void);
const struct view *app_view_at(size_t index);
int app_run(const struct app_options *opts);

/* Helpers for panes. */
attr_t app_attr(const struct app *app, enum wrole role);
/* Value of an OID as a person reads it, or "…"/"--"; *role says how to draw it
 * (value, stale, error). */
const char *app_value_text(struct app *app, uint32_t oid, char *buf, size_t cap,
                           enum wrole *role);
/* The scaled number of an OID if it has a value (fresh or stale). */
bool app_number(struct app *app, const char *name, double *out);
void app_note(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Number of active fault bits (or -1 when the fault words are not read yet). */
int app_active_faults(const struct app *app);
/* True when the fault words on screen are the device's state now: read recently, the
 * link up and the device answering. Otherwise the fault state is unknown and panes say
 * so (never "no active faults"). *read_unix_s: when they were last read (0 = never). */
bool app_faults_current(const struct app *app, int64_t *read_unix_s);
/* True if the named OID's value is fresh (read recently from a device that answers). */
bool app_is_fresh(const struct app *app, const char *name);
/* The device's clock (flash_rtc.time_stamp) against the host's: true with *offset_s
 * (device minus host, seconds) once it has been read. Devices are often an hour off. */
bool app_clock_offset(const struct app *app, int64_t *offset_s);
/* "Now" on the device's clock (the host's until the device clock is read): what
 * "today" means for the device's own logs. */
int64_t app_device_now(const struct app *app);
/* "device clock 58 min behind" (empty when within a minute or unknown). */
const char *app_clock_note(const struct app *app, char *buf, size_t cap);
/* "HH:MM:SS" (today) or "YYYY-MM-DD HH:MM" of a wall-clock time, local. */
const char *app_clock_text(int64_t unix_s, char *buf, size_t cap);
/* Starts paging a history OID for the calling pane and returns the walk's ticket (0 if
 * the range is empty); a walk another pane started is cancelled and its ticket reads
 * WALK_LOST. Panes read their walk through walk_state_of/walk_pages(&app->walks, ticket).
 * max_pages 0 = until the range is covered. */
uint64_t app_history_start(struct app *app, uint32_t oid, int64_t since, int64_t until,
                           unsigned max_pages);
/* A centred box of "key\ttext" lines over the pane: as wide as it needs up to the
 * terminal, long lines wrapped, scrolled by *scroll (the help, and every detail view). */
void app_text_box(struct app *app, const char *title, const char *text, int *scroll);
/* Scroll keys for such a box; false for any other key (which usually closes it). */
bool app_text_box_key(int ch, int *scroll);
/* Counts of current findings by severity (warning and critical, faults.* left out: the
 * fault mark covers those). */
void app_health_counts(const struct app *app, int *critical, int *warning);
/* Brings what is derived from the store up to the clock: staleness, silence, faults,
 * totals and the findings. The replay calls it as recorded time passes. */
void app_catch_up(struct app *app);
/* The part of app_catch_up that depends on when it runs (the replay runs it at every
 * tick of recorded time it skips over, as the live monitor did). */
void app_track_tick(struct app *app);
/* Replay: forgets everything learned from the device (a seek backwards starts over). */
void app_forget_device(struct app *app);
/* The interface's own time (host clock, ms), for notes and banners, even in a replay. */
int64_t app_ui_ms(void);
/* Writes a support snapshot (text and JSON); returns false with a reason in buf. */
bool app_snapshot(struct app *app, char *buf, size_t cap);

#endif
