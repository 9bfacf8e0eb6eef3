/* Signed series (grid, battery): what is below zero is drawn, hanging from the top of the
 * cell or below a taller chart's zero line, in UTF-8 and in ASCII; never as the small
 * positive bar of the range's minimum. */
#include <criterion/criterion.h>
#include <curses.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/spark.h"

Test(signed_sparkline, values_below_zero_hang_and_mirror_those_above)
{
    double v[] = {-400, 0, 400, 2000, NAN, -2000};
    int levels[6];
    size_t data = spark_levels(v, 6, -2000, 2000, 6, levels);
    cr_assert_eq(data, 5);
    cr_assert_lt(levels[0], 0, "-400 W (fed in) hangs: %d", levels[0]);
    cr_assert_eq(levels[0], -levels[2], "-400 and +400 the same size, opposite ways");
    cr_assert_eq(levels[1], 1, "zero stands on the baseline");
    cr_assert_eq(levels[3], 7, "the top of the range: 7, never a full cell");
    cr_assert_eq(levels[4], 0, "NaN is a gap");
    cr_assert_eq(levels[5], -7);
    /* A range with a little below zero: the small negative is still visible. */
    double w[] = {-40, 2000};
    spark_levels(w, 2, -40, 2000, 2, levels);
    cr_assert_eq(levels[0], -1);
    cr_assert_eq(levels[1], 7);
    /* Unsigned ranges are as before: the minimum is a visible bar, the top a full cell. */
    double u[] = {0, 10};
    spark_levels(u, 2, 0, 10, 2, levels);
    cr_assert_eq(levels[0], 1);
    cr_assert_eq(levels[1], 8);
}

Test(signed_chart, the_zero_line_lies_between_rows_what_is_below_hangs_from_it)
{
    /* 4 rows over -400..1200: one row below the zero line, three above, one scale. */
    for (int row = 0; row < 3; row++) {
        cr_assert_eq(chart_cell_level(-400, -400, 1200, 4, row), 0, "nothing above zero for -400");
        cr_assert_eq(chart_cell_level(1200, -400, 1200, 4, row), 8, "1200 fills the rows above zero");
    }
    cr_assert_eq(chart_cell_level(-400, -400, 1200, 4, 3), -8, "-400 fills the row below zero");
    cr_assert_eq(chart_cell_level(1200, -400, 1200, 4, 3), 0);
    cr_assert_eq(chart_cell_level(-200, -400, 1200, 4, 3), -4, "half of it: half the row, hanging");
    cr_assert_eq(chart_cell_level(200, -400, 1200, 4, 2), 4, "the same 200 W above: half a row");
    cr_assert_eq(chart_cell_level(0, -400, 1200, 4, 2), 1, "zero: the lowest eighth above the line");
    /* Symmetric (the History pane's): two rows each way; all below zero: hanging from the top. */
    cr_assert_eq(chart_cell_level(-1000, -1000, 1000, 4, 3), -8);
    cr_assert_eq(chart_cell_level(-1000, -1000, 1000, 4, 1), 0);
    cr_assert_eq(chart_cell_level(-500, -1000, 0, 2, 0), -8);
    cr_assert_eq(chart_cell_level(-500, -1000, 0, 2, 1), 0);
    cr_assert_eq(chart_cell_level(NAN, -1000, 1000, 4, 3), 0);
    /* One row: the sparkline's cell. */
    cr_assert_eq(chart_cell_level(-2000, -2000, 2000, 1, 0), -7);
    /* Unsigned as before: a bar standing on the floor. */
    cr_assert_eq(chart_cell_level(10, 0, 10, 2, 0), 8);
    cr_assert_eq(chart_cell_level(0, 0, 10, 2, 1), 1);
}

/* Draws {-2000, -400, 400} into a real screen; cell i's glyph and whether it is reversed. */
static void render(bool utf8, char glyph[3][8], bool reversed[3])
{
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    cr_assert_not_null(scr);
    set_term(scr);
    WINDOW *win = newwin(3, 10, 0, 0);
    double v[] = {-2000, -400, 400};
    spark_draw(win, 1, 1, 3, v, 3, -2000, 2000, A_BOLD, glyphs_get(utf8));
    for (int i = 0; i < 3; i++) {
        cchar_t cell;
        cr_assert_eq(mvwin_wch(win, 1, 1 + i, &cell), OK);
        wchar_t wch[CCHARW_MAX + 1];
        attr_t attrs;
        short pair;
        getcchar(&cell, wch, &attrs, &pair, NULL);
        wcstombs(glyph[i], wch, 8);
        reversed[i] = attrs & A_REVERSE;
        cr_assert(attrs & A_BOLD, "the series' attribute is kept");
    }
    cr_assert_eq(getattrs(win), A_NORMAL, "the window's attribute is left as it was");
    delwin(win);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

Test(signed_render, utf8_hangs_the_block_in_reverse_video)
{
    char glyph[3][8];
    bool reversed[3];
    render(true, glyph, reversed);
    /* Reversed, the lower block of 8-k eighths leaves k eighths lit at the top. */
    cr_assert_str_eq(glyph[0], "▁");
    cr_assert(reversed[0], "-2000: seven eighths hanging");
    cr_assert_str_eq(glyph[1], "▆");
    cr_assert(reversed[1], "-400: two eighths hanging");
    cr_assert_str_eq(glyph[2], "▂", "+400: two eighths standing");
    cr_assert_not(reversed[2]);
}

Test(signed_render, ascii_marks_what_is_below_zero_with_glyphs_of_its_own)
{
    char glyph[3][8];
    bool reversed[3];
    render(false, glyph, reversed);
    const char *standing = " .,-~=+*#";
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(strlen(glyph[i]), 1);
        cr_assert_null(strchr(standing, glyph[i][0]), "'%s' below zero looks like a bar above it", glyph[i]);
        cr_assert_not(reversed[i], "ASCII needs no reverse video");
    }
    cr_assert_str_eq(glyph[0], "V");
    cr_assert_str_eq(glyph[1], "'");
    cr_assert_str_eq(glyph[2], ",");
}
