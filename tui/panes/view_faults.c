/* Pane 3, faults: the active fault bits first (bit, word, label, since when seen), the
 * changes seen this session, then all 128 bits to browse; unlabelled bits as "bit N". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "tui/monitor/app.h"
#include "tui/monitor/listfilter.h"
#include "tui/format/timearg.h"
#include "widgets/text.h"

struct faults_state {
    int scroll;
    int page;
    struct list_filter filter;
};

static void *faults_create(struct app *app)
{
    (void)app;
    return calloc(1, sizeof(struct faults_state));
}

static void faults_destroy(void *state)
{
    free(state);
}

static const char *label_of(unsigned bit, char *buf, size_t cap)
{
    const char *label = rct_fault_label(bit);
    if (label)
        return label;
    snprintf(buf, cap, "bit %u", bit);
    return buf;
}

static void faults_draw(struct app *app, void *state, WINDOW *win, struct wrect area)
{
    struct faults_state *s = state;
    const struct wglyphs *g = app->glyphs;
    /* The page is a list of lines; scrolling moves over all of them. */
    char lines[256][160];
    enum wrole roles[256];
    int n = 0;
    int active = knows_active_faults(&app_device(app)->knows);
    char buf[32], when[40];
#define LINE(role, ...)                                                      \
    do {                                                                     \
        if (n < 256) {                                                       \
            snprintf(lines[n], sizeof lines[n], __VA_ARGS__);                \
            roles[n++] = role;                                               \
        }                                                                    \
    } while (0)
    int64_t read_at;
    bool current = app_faults_current(app, &read_at);
    if (active < 0) {
        LINE(WROLE_STALE, "Fault words not read yet %s", g->ellipsis);
    } else {
        if (current)
            LINE(WROLE_TITLE, "Active now (%d)", active);
        else
            LINE(WROLE_WARN, "Fault state unknown (no answer); at %s %d active:",
                 app_clock_text(read_at, when, sizeof when), active);
        for (unsigned bit = 0; bit < 128; bit++) {
            if (!(app_device(app)->knows.fault_words[bit / 32] & (1u << (bit % 32))))
                continue;
            timearg_format(app_device(app)->knows.fault_since[bit], false, when, sizeof when);
            LINE(WROLE_FAULT_ACTIVE, " %3u  fault[%u] bit %-2u  %-48.48s seen since %s", bit, bit / 32,
                 bit % 32, label_of(bit, buf, sizeof buf), when + 11);
        }
        if (active == 0)
            LINE(current ? WROLE_OK : WROLE_STALE, current ? "  no active faults" : "  none then");
    }
    LINE(WROLE_VALUE, "%s", "");
    LINE(WROLE_TITLE, "This session (%u change%s)", app_device(app)->knows.fault_changes_len,
         app_device(app)->knows.fault_changes_len == 1 ? "" : "s");
    for (unsigned i = app_device(app)->knows.fault_changes_len; i-- > 0;) {
        const struct fault_change *c = &app_device(app)->knows.fault_changes[i];
        timearg_format(c->unix_s, false, when, sizeof when);
        LINE(c->active ? WROLE_ERROR : WROLE_OK, "  %s  %-8s %3u  %s", when + 11,
             c->active ? "active" : "cleared", c->bit, label_of(c->bit, buf, sizeof buf));
    }
    LINE(WROLE_VALUE, "%s", "");
    LINE(WROLE_TITLE, "All bits (scroll with Up/Down/PgUp/PgDn)");
    for (unsigned bit = 0; bit < 128; bit++) {
        bool on = active > 0 && (app_device(app)->knows.fault_words[bit / 32] & (1u << (bit % 32)));
        LINE(on ? WROLE_FAULT_ACTIVE : rct_fault_label(bit) ? WROLE_LABEL : WROLE_STALE,
             " %3u  fault[%u] bit %-2u  %s%s", bit, bit / 32, bit % 32, on ? "ACTIVE  " : "",
             label_of(bit, buf, sizeof buf));
    }
#undef LINE
    if (list_filter_active(&s->filter)) {
        /* Only the lines with the text; the titles of their sections stay. */
        int kept = 0;
        for (int k = 0; k < n; k++) {
            if (roles[k] == WROLE_TITLE || roles[k] == WROLE_WARN || list_filter_matches(&s->filter, lines[k])) {
                if (kept != k) {
                    memcpy(lines[kept], lines[k], sizeof lines[kept]);
                    roles[kept] = roles[k];
                }
                kept++;
            }
        }
        n = kept;
        char prompt[120];
        list_filter_prompt(&s->filter, -1, -1, prompt, sizeof prompt);
        if (n < 256) {
            memmove(lines[1], lines[0], (size_t)n * sizeof lines[0]);
            memmove(roles + 1, roles, (size_t)n * sizeof roles[0]);
            snprintf(lines[0], sizeof lines[0], "%s", prompt);
            roles[0] = s->filter.typing ? WROLE_HIGHLIGHT : WROLE_LABEL;
            n++;
        }
    }
    s->page = area.h - 1;
    if (s->scroll > n - area.h)
        s->scroll = n - area.h;
    if (s->scroll < 0)
        s->scroll = 0;
    double age_s = -1;
    const struct store_entry *e = store_get(app_device(app)->store, rct_fault_word_oid(0));
    if (e && e->has_value)
        age_s = (double)(session_mono_ms() - e->updated_ms) / 1000.0;
    char head[96];
    if (age_s >= 0)
        snprintf(head, sizeof head, "fault words read %.0f s ago", age_s);
    else
        snprintf(head, sizeof head, "fault words not read yet");
    if (n > area.h) {
        size_t len = strlen(head);
        snprintf(head + len, sizeof head - len, ", lines %d-%d of %d", s->scroll + 1,
                 s->scroll + area.h < n ? s->scroll + area.h : n, n);
    }
    /* The age goes right of the first line only where both fit; else the line wins. */
    int head_w = text_width(head);
    bool head_fits = s->scroll > 0 || text_width(lines[0]) + head_w + 3 <= area.w;
    for (int i = 0; i < area.h && s->scroll + i < n; i++) {
        int k = s->scroll + i;
        int w = i == 0 && head_fits ? area.w - head_w - 3 : area.w - 2;
        text_put(win, area.y + i, area.x + 1, w, lines[k], app_attr(app, roles[k]), g);
    }
    if (head_fits)
        text_put_right(win, area.y, area.x, area.w - 1, head, app_attr(app, WROLE_STALE), g);
}

static bool faults_key(struct app *app, void *state, int ch)
{
    (void)app;
    struct faults_state *s = state;
    bool changed;
    if (list_filter_key(&s->filter, ch, &changed)) {
        if (changed)
            s->scroll = 0;
        return true;
    }
    switch (ch) {
    case KEY_UP: s->scroll--; return true;
    case KEY_DOWN: s->scroll++; return true;
    case KEY_PPAGE: s->scroll -= s->page; return true;
    case KEY_NPAGE: s->scroll += s->page; return true;
    case KEY_HOME: s->scroll = 0; return true;
    case KEY_END: s->scroll = 1 << 20; return true;
    default: return false;
    }
}

static size_t faults_visible(struct app *app, void *state, uint32_t *out, size_t max)
{
    (void)app;
    (void)state;
    size_t n = 0;
    for (unsigned w = 0; w < 4 && n < max; w++)
        out[n++] = rct_fault_word_oid(w);
    return n;
}

static bool faults_typing(void *state)
{
    return ((struct faults_state *)state)->filter.typing;
}

const struct view view_faults = {
    .title = "Faults",
    .digit = '3',
    .create = faults_create,
    .destroy = faults_destroy,
    .draw = faults_draw,
    .key = faults_key,
    .visible_oids = faults_visible,
    .text_entry = faults_typing,
    .help = "\t\nUp Down PgUp PgDn\tscroll through active faults, changes, all 128 bits\n"
            "/\tshow only the lines with this text, e.g. 'battery' or a bit number (Esc clears)\n",
};
