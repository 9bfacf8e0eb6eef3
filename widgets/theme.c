/* Role-based colours with graceful fallback: 256 colours, 8 colours, or attributes only,
 * so no meaning ever depends on colour alone. */
#include "widgets/theme.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[WROLE_COUNT] = {
    "value", "unit", "label", "title", "border", "stale", "error", "fault_active",
    "read_only", "ok", "warn", "tab", "tab_active", "status", "highlight",
    "graph1", "graph2", "graph3", "graph4", "graph5",
};

const char *wrole_name(enum wrole role)
{
    return (unsigned)role < WROLE_COUNT ? role_names[role] : "?";
}

bool wrole_from_name(const char *name, enum wrole *out)
{
    for (int r = 0; r < WROLE_COUNT; r++)
        if (strcmp(name, role_names[r]) == 0) {
            *out = (enum wrole)r;
            return true;
        }
    return false;
}

static const char *const basic_names[8] = {"black", "red", "green", "yellow",
                                           "blue", "magenta", "cyan", "white"};

/* The xterm palette's RGB for a colour number. */
static void xterm_rgb(int c, int *r, int *g, int *b)
{
    static const int basic[16][3] = {
        {0, 0, 0}, {205, 0, 0}, {0, 205, 0}, {205, 205, 0}, {0, 0, 238}, {205, 0, 205},
        {0, 205, 205}, {229, 229, 229}, {127, 127, 127}, {255, 0, 0}, {0, 255, 0},
        {255, 255, 0}, {92, 92, 255}, {255, 0, 255}, {0, 255, 255}, {255, 255, 255}};
    if (c < 16) {
        *r = basic[c][0];
        *g = basic[c][1];
        *b = basic[c][2];
    } else if (c < 232) {
        static const int steps[6] = {0, 95, 135, 175, 215, 255};
        c -= 16;
        *r = steps[c / 36];
        *g = steps[c / 6 % 6];
        *b = steps[c % 6];
    } else {
        *r = *g = *b = 8 + (c - 232) * 10;
    }
}

/* The palette entry in [first, last) closest to an RGB value. */
static short nearest_in(int first, int last, int r, int g, int b)
{
    short best = (short)first;
    long best_d = -1;
    for (int c = first; c < last; c++) {
        int cr, cg, cb;
        xterm_rgb(c, &cr, &cg, &cb);
        long d = (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) + (long)(cb - b) * (cb - b);
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = (short)c;
        }
    }
    return best;
}

short wtheme_nearest_256(int r, int g, int b)
{
    return nearest_in(16, 256, r, g, b);  /* 0-15 vary between terminals: skip them */
}

short wtheme_to_8(short colour)
{
    if (colour < 0)
        return -1;
    if (colour < 8)
        return colour;
    if (colour < 16)
        return (short)(colour - 8);
    int r, g, b;
    xterm_rgb(colour, &r, &g, &b);
    return nearest_in(0, 8, r, g, b);
}

static bool parse_colour(const char *word, short *out)
{
    if (strcmp(word, "default") == 0) {
        *out = -1;
        return true;
    }
    for (int i = 0; i < 8; i++) {
        if (strcmp(word, basic_names[i]) == 0) {
            *out = (short)i;
            return true;
        }
        if (strncmp(word, "bright_", 7) == 0 && strcmp(word + 7, basic_names[i]) == 0) {
            *out = (short)(i + 8);
            return true;
        }
    }
    if (word[0] == '#' && strlen(word) == 7 && strspn(word + 1, "0123456789abcdefABCDEF") == 6) {
        long rgb = strtol(word + 1, NULL, 16);
        *out = wtheme_nearest_256((int)(rgb >> 16), (int)(rgb >> 8 & 0xFF), (int)(rgb & 0xFF));
        return true;
    }
    if (word[0] && strspn(word, "0123456789") == strlen(word) && strlen(word) <= 3) {
        int v = atoi(word);
        if (v <= 255) {
            *out = (short)v;
            return true;
        }
    }
    return false;
}

bool wtheme_parse_spec(const char *text, struct wcolour_spec *out, char *err, size_t errcap)
{
    char buf[128];
    if (strlen(text) >= sizeof buf) {
        snprintf(err, errcap, "too long");
        return false;
    }
    snprintf(buf, sizeof buf, "%s", text);
    *out = (struct wcolour_spec){true, -1, -1, 0};
    char *attrs = strchr(buf, ',');
    if (attrs)
        *attrs++ = '\0';
    char *words[3];
    int n = 0;
    for (char *tok = strtok(buf, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (n == 3) {
            snprintf(err, errcap, "expected 'FG', 'FG on BG' or ',attributes'");
            return false;
        }
        words[n++] = tok;
    }
    if (n == 2 || (n == 3 && strcmp(words[1], "on") != 0)) {
        snprintf(err, errcap, "expected 'FG on BG'");
        return false;
    }
    if (n >= 1 && !parse_colour(words[0], &out->fg)) {
        snprintf(err, errcap, "unknown colour '%s'", words[0]);
        return false;
    }
    if (n == 3 && !parse_colour(words[2], &out->bg)) {
        snprintf(err, errcap, "unknown colour '%s'", words[2]);
        return false;
    }
    while (attrs && *attrs) {
        char *next = strchr(attrs, ',');
        if (next)
            *next++ = '\0';
        while (isspace((unsigned char)*attrs))
            attrs++;
        char *end = attrs + strlen(attrs);
        while (end > attrs && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (strcmp(attrs, "bold") == 0) out->attrs |= WATTR_BOLD;
        else if (strcmp(attrs, "dim") == 0) out->attrs |= WATTR_DIM;
        else if (strcmp(attrs, "reverse") == 0) out->attrs |= WATTR_REVERSE;
        else if (strcmp(attrs, "underline") == 0) out->attrs |= WATTR_UNDERLINE;
        else if (*attrs) {
            snprintf(err, errcap, "unknown attribute '%s' (bold, dim, reverse, underline)", attrs);
            return false;
        }
        attrs = next;
    }
    return true;
}

attr_t wtheme_mono_attr(enum wrole role)
{
    switch (role) {
    case WROLE_TITLE: return A_BOLD;
    case WROLE_STALE: case WROLE_READ_ONLY: case WROLE_BORDER: case WROLE_UNIT: return A_DIM;
    case WROLE_ERROR: case WROLE_WARN: return A_BOLD;
    case WROLE_FAULT_ACTIVE: return A_REVERSE | A_BOLD;
    case WROLE_TAB_ACTIVE: case WROLE_HIGHLIGHT: case WROLE_STATUS: return A_REVERSE;
    default: return A_NORMAL;
    }
}

static attr_t spec_attrs(unsigned a)
{
    attr_t out = A_NORMAL;
    if (a & WATTR_BOLD) out |= A_BOLD;
    if (a & WATTR_DIM) out |= A_DIM;
    if (a & WATTR_REVERSE) out |= A_REVERSE;
    if (a & WATTR_UNDERLINE) out |= A_UNDERLINE;
    return out;
}

/* Greys have no place among 8 colours (the nearest is black, or even yellow): a light
 * grey becomes white, a dark one the terminal's own colour, dimmed. Returns true and
 * sets *out (and *extra) for greys. */
static bool grey_to_8(short colour, short *out, attr_t *extra)
{
    if (colour < 0 || colour == 0 || (colour > 0 && colour < 8) || colour == 15)
        return false;
    int r, g, b;
    xterm_rgb(colour, &r, &g, &b);
    if (abs(r - g) > 16 || abs(g - b) > 16)
        return false;
    if (r >= 160) {
        *out = 7;
    } else {
        *out = -1;
        *extra |= A_DIM;
    }
    return true;
}

/* Eight colours: no text black on the default or a black background (invisible on dark
 * screens), and bars on a dark background shown reversed instead. */
static void readable_8(const struct wcolour_spec *s, short *fg, short *bg, attr_t *extra)
{
    short f = s->fg, b = s->bg;
    bool dark_bg = b == 0 || (grey_to_8(b, &b, &(attr_t){0}) && b == -1);
    if (!grey_to_8(f, &f, extra))
        f = wtheme_to_8(f);
    if (dark_bg) {
        /* "white on dark grey" and the like: a bar in reverse video reads everywhere. */
        *fg = -1;
        *bg = -1;
        *extra |= A_REVERSE;
        return;
    }
    if (b >= 0 && b != 7)
        b = wtheme_to_8(b);
    if (f == 0 && (b == -1 || b == 0))
        f = -1;  /* black text on the screen's background */
    *fg = f;
    *bg = b;
}

void wtheme_apply(struct wtheme *theme, enum wcolour_mode mode)
{
    for (int r = 0; r < WROLE_COUNT; r++) {
        const struct wcolour_spec *s = &theme->spec[r];
        if (mode == WCOLOUR_MONO || !s->set) {
            theme->attr[r] = wtheme_mono_attr((enum wrole)r);
            continue;
        }
        short fg = s->fg, bg = s->bg;
        attr_t extra = 0;
        if (mode == WCOLOUR_8)
            readable_8(s, &fg, &bg, &extra);
        attr_t a = spec_attrs(s->attrs) | extra;
        if (fg == -1 && bg == -1) {
            theme->attr[r] = a;
            continue;
        }
        init_pair((short)(r + 1), fg, bg);
        theme->attr[r] = a | COLOR_PAIR(r + 1);
    }
}

void wtheme_fit_terminal(struct wtheme *theme, attr_t supported)
{
    if (supported & A_DIM)
        return;
    for (int r = 0; r < WROLE_COUNT; r++) {
        if (!(theme->attr[r] & A_DIM) && r != WROLE_STALE)
            continue;
        theme->attr[r] &= ~A_DIM;
        if (r == WROLE_STALE)
            theme->attr[r] |= A_UNDERLINE;
    }
}
