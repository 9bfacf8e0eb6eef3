/* Colours by role, not by name: a theme maps each role to a colour spec; applying it to
 * the terminal's capabilities (256, 8 or no colours) yields one attribute per role. */
#ifndef WIDGETS_THEME_H
#define WIDGETS_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum wrole {
    WROLE_VALUE = 0, WROLE_UNIT, WROLE_LABEL, WROLE_TITLE, WROLE_BORDER, WROLE_STALE,
    WROLE_ERROR, WROLE_FAULT_ACTIVE, WROLE_READ_ONLY, WROLE_OK, WROLE_WARN, WROLE_TAB,
    WROLE_TAB_ACTIVE, WROLE_STATUS, WROLE_HIGHLIGHT,
    WROLE_GRAPH1, WROLE_GRAPH2, WROLE_GRAPH3, WROLE_GRAPH4, WROLE_GRAPH5,
    WROLE_COUNT
};
const char *wrole_name(enum wrole role);
bool wrole_from_name(const char *name, enum wrole *out);

enum wcolour_mode { WCOLOUR_MONO = 0, WCOLOUR_8, WCOLOUR_256 };

#define WATTR_BOLD 1u
#define WATTR_DIM 2u
#define WATTR_REVERSE 4u
#define WATTR_UNDERLINE 8u

struct wcolour_spec {
    bool set;
    short fg, bg;          /* 0..255, or -1 for the terminal's default */
    unsigned attrs;        /* WATTR_* */
};

struct wtheme {
    char name[64];
    struct wcolour_spec spec[WROLE_COUNT];
    attr_t attr[WROLE_COUNT];   /* filled by wtheme_apply */
};

/* Parses "FG[ on BG][,attr...]" (colour: name, bright_name, 0-255, #RRGGBB, default).
 * On error returns false and writes a short reason into err. */
bool wtheme_parse_spec(const char *text, struct wcolour_spec *out, char *err, size_t errcap);
/* Nearest xterm-256 colour to an RGB value, and nearest of the 8 basic colours. */
short wtheme_nearest_256(int r, int g, int b);
short wtheme_to_8(short colour);
/* Computes attributes for the mode, allocating colour pairs from 1 (needs start_color
 * for colour modes). Roles without a spec take the monochrome default. */
void wtheme_apply(struct wtheme *theme, enum wcolour_mode mode);
/* After wtheme_apply, for a terminal without dim (vt100, vt220, ansi, putty, rxvt: see
 * termattrs()): old values would look fresh there, so the stale role is underlined. */
void wtheme_fit_terminal(struct wtheme *theme, attr_t supported);
/* The attributes a role gets without colour: readable on any terminal. */
attr_t wtheme_mono_attr(enum wrole role);

#endif
