/* Widget logic without a terminal: layout, sparkline levels (gaps, not zeros), gauges,
 * text fitting and grouping, theme specs and colour fallback; and one real render. */
#include <criterion/criterion.h>
#include <curses.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets/box.h"
#include "widgets/layout.h"
#include "widgets/spark.h"
#include "widgets/text.h"
#include "widgets/theme.h"

Test(layout, splits_never_produce_negative_sizes)
{
    struct wrect r = {2, 0, 10, 80}, a, b;
    layout_split_columns(r, 44, &a, &b);
    cr_assert_eq(a.w, 44);
    cr_assert_eq(b.x, 44);
    cr_assert_eq(b.w, 36);
    layout_split_columns(r, 200, &a, &b);
    cr_assert_eq(a.w, 80);
    cr_assert_eq(b.w, 0);
    layout_split_rows(r, -3, &a, &b);
    cr_assert_eq(a.h, 0);
    cr_assert_eq(b.h, 10);
    struct wrect tiny = layout_inner((struct wrect){0, 0, 1, 1});
    cr_assert_eq(tiny.h, 0);
    cr_assert_eq(tiny.w, 0);
}

Test(sparkline, draws_missing_samples_as_gaps_not_zero)
{
    double v[] = {0, NAN, 10, 5};
    int levels[6];
    size_t data = spark_levels(v, 4, 0, 10, 6, levels);
    cr_assert_eq(data, 3);
    cr_assert_eq(levels[0], 0, "no data yet: blank");
    cr_assert_eq(levels[1], 0);
    cr_assert_eq(levels[2], 1, "the minimum is still a visible bar");
    cr_assert_eq(levels[3], 0, "NaN is a gap");
    cr_assert_eq(levels[4], 8);
    cr_assert(levels[5] > 1 && levels[5] < 8);
}

Test(sparkline, draws_a_flat_line_on_the_baseline_and_finds_the_range)
{
    double v[] = {3, 3, 3};
    int levels[3];
    spark_levels(v, 3, 3, 3, 3, levels);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(levels[i], 1, "zero (or any flat line) on the baseline, not half height");
    double lo, hi, w[] = {NAN, -2, 7, NAN};
    cr_assert(spark_range(w, 4, &lo, &hi));
    cr_assert_float_eq(lo, -2, 1e-9);
    cr_assert_float_eq(hi, 7, 1e-9);
    double none[] = {NAN, NAN};
    cr_assert_not(spark_range(none, 2, &lo, &hi));
}

Test(gauge, fills_in_proportion_and_marks_unknown)
{
    cr_assert_eq(gauge_cells(0.5, 20), 10);
    cr_assert_eq(gauge_cells(1.7, 20), 20);
    cr_assert_eq(gauge_cells(-1, 20), 0);
    cr_assert_eq(gauge_cells(NAN, 20), -1);
}

Test(text, cuts_to_the_column_with_a_visible_ellipsis)
{
    setlocale(LC_ALL, "C.UTF-8");
    char buf[64];
    const struct wglyphs *u = glyphs_get(true), *a = glyphs_get(false);
    cr_assert_str_eq(text_fit("battery.soc", 20, u, buf, sizeof buf), "battery.soc");
    cr_assert_str_eq(text_fit("battery.soc_target", 8, u, buf, sizeof buf), "battery…");
    cr_assert_eq(text_width(buf), 8);
    cr_assert_str_eq(text_fit("battery.soc_target", 8, a, buf, sizeof buf), "batte...");
    cr_assert_eq(text_width("23 °C"), 5);
    cr_assert_str_eq(text_fit("abc", 0, u, buf, sizeof buf), "");
}

Test(text, groups_thousands_like_the_dashboard)
{
    char buf[32];
    cr_assert_str_eq(text_group("2431", buf, sizeof buf), "2 431");
    cr_assert_str_eq(text_group("-1234567.5", buf, sizeof buf), "-1 234 567.5");
    cr_assert_str_eq(text_group("999", buf, sizeof buf), "999");
}

Test(theme, parses_role_specs_and_rejects_nonsense_with_a_reason)
{
    struct wcolour_spec s;
    char err[128];
    cr_assert(wtheme_parse_spec("white on red,bold", &s, err, sizeof err));
    cr_assert_eq(s.fg, 7);
    cr_assert_eq(s.bg, 1);
    cr_assert_eq(s.attrs, WATTR_BOLD);
    cr_assert(wtheme_parse_spec("244, dim", &s, err, sizeof err));
    cr_assert_eq(s.fg, 244);
    cr_assert_eq(s.attrs, WATTR_DIM);
    cr_assert(wtheme_parse_spec("#E69F00", &s, err, sizeof err));
    cr_assert_eq(s.fg, 178, "nearest cube colour to Okabe-Ito orange");
    cr_assert(wtheme_parse_spec("default", &s, err, sizeof err));
    cr_assert_eq(s.fg, -1);
    cr_assert_not(wtheme_parse_spec("purple", &s, err, sizeof err));
    cr_assert(strstr(err, "purple"), "%s", err);
    cr_assert_not(wtheme_parse_spec("red on", &s, err, sizeof err));
    cr_assert_not(wtheme_parse_spec("red,blink", &s, err, sizeof err));
    cr_assert(strstr(err, "blink"));
    cr_assert_not(wtheme_parse_spec("300", &s, err, sizeof err));
}

Test(theme, maps_256_colours_down_to_8_and_keeps_roles_readable_without_colour)
{
    cr_assert_eq(wtheme_to_8(196), 1, "bright red -> red");
    cr_assert_eq(wtheme_to_8(46), 2, "green");
    cr_assert_eq(wtheme_to_8(12), 4);
    cr_assert_eq(wtheme_to_8(-1), -1);
    cr_assert_eq(wtheme_nearest_256(255, 0, 0), 196);
    cr_assert(wtheme_mono_attr(WROLE_FAULT_ACTIVE) & A_REVERSE);
    cr_assert(wtheme_mono_attr(WROLE_READ_ONLY) & A_DIM);
    enum wrole r;
    cr_assert(wrole_from_name("fault_active", &r));
    cr_assert_eq(r, WROLE_FAULT_ACTIVE);
    cr_assert_str_eq(wrole_name(WROLE_GRAPH5), "graph5");
}

Test(theme, stale_is_underlined_where_the_terminal_has_no_dim)
{
    struct wtheme t;
    memset(&t, 0, sizeof t);
    for (int r = 0; r < WROLE_COUNT; r++)
        t.attr[r] = wtheme_mono_attr((enum wrole)r);
    struct wtheme with_dim = t;
    wtheme_fit_terminal(&with_dim, A_DIM | A_UNDERLINE | A_BOLD);
    cr_assert_eq(with_dim.attr[WROLE_STALE], A_DIM, "a terminal with dim keeps it");
    wtheme_fit_terminal(&t, A_UNDERLINE | A_BOLD | A_REVERSE);
    cr_assert(t.attr[WROLE_STALE] & A_UNDERLINE, "vt220: stale gets a second cue");
    cr_assert_not(t.attr[WROLE_STALE] & A_DIM);
    cr_assert_eq(t.attr[WROLE_VALUE], A_NORMAL, "fresh values stay plain");
    cr_assert_neq(t.attr[WROLE_STALE], t.attr[WROLE_VALUE]);
}

Test(render, draws_a_titled_box_and_a_sparkline_into_a_real_ncurses_screen)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("TERM", "xterm-256color", 1);
    FILE *out = fopen("/dev/null", "w");
    FILE *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    cr_assert_not_null(scr);
    set_term(scr);
    WINDOW *win = newwin(6, 30, 0, 0);
    const struct wglyphs *g = glyphs_get(false);
    box_draw(win, (struct wrect){0, 0, 6, 30}, "Battery", A_NORMAL, A_BOLD, g);
    double v[] = {0, 5, 10};
    spark_draw(win, 2, 2, 3, v, 3, 0, 10, A_NORMAL, g);
    text_put(win, 3, 2, 10, "a very long label", A_NORMAL, g);
    char line[64];
    mvwinnstr(win, 0, 0, line, 30);
    cr_assert(strncmp(line, "+ Battery -", 11) == 0, "'%s'", line);
    mvwinnstr(win, 2, 2, line, 3);
    cr_assert_str_eq(line, ".=#");
    mvwinnstr(win, 3, 2, line, 10);
    cr_assert_str_eq(line, "a very ...");
    delwin(win);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}
