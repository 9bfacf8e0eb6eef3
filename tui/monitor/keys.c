/* The monitor's key map: the keys every pane shares (quit, help, pause, reconnect, theme,
 * snapshot, switching panes, the mouse); the replay's keys come first, the rest are the pane's. */
#include "tui/monitor/keys.h"

#include <stdio.h>

#include "tui/config/themes.h"
#include "tui/monitor/bars.h"
#include "tui/monitor/replay_driver.h"
#include "tui/monitor/snapshot.h"
#include "tui/monitor/textbox.h"

/* A pane's state is made when the pane is first opened: panes never opened cost nothing
 * (the Values and Device panes index the whole registry). */
bool keys_open_pane(struct app *app, int index)
{
    const struct view *v = app->views[index];
    if (app->view_state[index] || !v->create)
        return true;
    app->view_state[index] = v->create(app);
    return app->view_state[index] != NULL;
}

static void switch_view(struct app *app, int index)
{
    if (index < 0 || index >= (int)app->nviews || index == app->current_view)
        return;
    if (!keys_open_pane(app, index)) {
        app_note(app, " out of memory: the %s pane cannot open", app->views[index]->title);
        return;
    }
    app->current_view = index;
    app->dirty = true;
}

bool keys_show_unit(struct app *app, size_t index, int digit)
{
    if (index >= app->ndevices)
        return false;
    if (index != app->current) {
        /* A pane's state is about the unit it showed (its selection, its history walk):
         * the next unit's panes start afresh. A pane of every unit keeps its own. */
        for (size_t i = 0; i < app->nviews; i++)
            if (!app->views[i]->every_unit && app->view_state[i]) {
                if (app->views[i]->destroy)
                    app->views[i]->destroy(app->view_state[i]);
                app->view_state[i] = NULL;
            }
        app->current = index;
        app->watched_hash = 0;
        app->linklog_frozen = false;
    }
    int target = app->current_view;
    for (size_t i = 0; digit && i < app->nviews; i++)
        if (app->views[i]->digit == digit)
            target = (int)i;
    if (!keys_open_pane(app, app->current_view) || !keys_open_pane(app, target)) {
        app_note(app, " out of memory: the %s pane cannot open", app->views[target]->title);
        return false;
    }
    app->current_view = target;
    app_note(app, " unit %zu of %zu: %s", index + 1, app->ndevices, app_device(app)->opt.label);
    app->dirty = true;
    return true;
}

static void cycle_theme(struct app *app)
{
    size_t n = themes_builtin_count();
    app->theme_index = (app->theme_index + 1) % n;
    char err[256];
    struct wtheme next;
    if (!themes_load(themes_builtin_name(app->theme_index), &next, err, sizeof err)) {
        app_note(app, " theme: %s", err);
        return;
    }
    app->theme = next;
    wtheme_apply(&app->theme, app->colour_mode);
    wtheme_fit_terminal(&app->theme, termattrs());
    app_note(app, " theme: %s%s", app->theme.name,
             app->colour_mode == WCOLOUR_MONO ? " (no colours on this terminal)" : "");
}

void keys_handle(struct app *app, int ch)
{
    const struct view *v = app->views[app->current_view];
    void *st = app->view_state[app->current_view];
    if (app->help_open) {
        app->dirty = true;
        if (!textbox_key(ch, &app->help_scroll))
            app->help_open = false;
        return;
    }
    if (v->text_entry && v->text_entry(st)) {
        if (v->key(app, st, ch))
            app->dirty = true;
        return;
    }
    if (app->replay && replay_driver_key(app, ch)) {
        app->dirty = true;
        return;
    }
    switch (ch) {
    case 'q': case 'Q': case KEY_F(10): app->quit = true; return;
    case '?': case 'h': case KEY_F(1):
        app->help_open = true;
        app->help_scroll = 0;
        app->dirty = true;
        return;
    case 'r':
        if (app->replay || app_device(app)->opt.demo) {
            app_note(app, " r: nothing to reconnect to here");
        } else if (session_state(app_device(app)->session) == LINK_OFFLINE) {
            /* In the Link pane's log too: a later message (an alert resolving as the
             * device answers) soon takes the status line. */
            knows_link_note(&app_device(app)->knows, "reconnecting now (r pressed)");
            session_retry_now(app_device(app)->session);
            app_note(app, " reconnecting now");
        } else {
            char words[96];
            app_note(app, " r: the link is %s; nothing to retry",
                     knows_link_words(&app_device(app)->knows, session_state(app_device(app)->session), words, sizeof words));
        }
        return;
    case 'p': case 'P':
        app->paused = !app->paused;
        app->dirty = true;
        return;
    case 12:  /* Ctrl-L */
        clearok(curscr, TRUE);
        app->dirty = true;
        return;
    case 't': cycle_theme(app); return;
    case 's': {
        char where[1200];
        snapshot_write(app, where, sizeof where);
        app_note(app, " %s", where);
        return;
    }
    case ']': case '[':
        if (app->ndevices < 2) {  /* one unit: the pane's (the History pane's periods) */
            if (v->key && v->key(app, st, ch))
                app->dirty = true;
            else
                app_note(app, " %c: one unit here (rcttop --host A --host B, or --plant NAME)", ch);
            return;
        }
        keys_show_unit(app, (app->current + (ch == ']' ? 1 : app->ndevices - 1)) % app->ndevices, 0);
        return;
    case '\t': switch_view(app, (app->current_view + 1) % (int)app->nviews); return;
    case KEY_BTAB: switch_view(app, (app->current_view + (int)app->nviews - 1) % (int)app->nviews); return;
    case KEY_RESIZE: app->dirty = true; return;
    case KEY_MOUSE: {
        MEVENT m;
        if (getmouse(&m) != OK)
            return;
        if (m.y == 1 && (m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) {
            switch_view(app, bars_tab_at(app, m.x));
            return;
        }
        /* The wheel is three lines of Up or Down to the pane; a click is the pane's. */
        int wheel = m.bstate & BUTTON4_PRESSED ? KEY_UP : m.bstate & BUTTON5_PRESSED ? KEY_DOWN : 0;
        for (int i = 0; wheel && i < 3 && v->key; i++)
            app->dirty |= v->key(app, st, wheel);
        if (!wheel && v->click && (m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) &&
            v->click(app, st, m.y, m.x))
            app->dirty = true;
        return;
    }
    default:
        break;
    }
    if (ch >= '0' && ch <= '9') {
        for (size_t i = 0; i < app->nviews; i++)
            if (app->views[i]->digit == ch) {
                switch_view(app, (int)i);
                return;
            }
        app_note(app, " pane %c is not in this version of rcttop", ch);
        return;
    }
    if (v->key && v->key(app, st, ch))
        app->dirty = true;
}
