/* The `/` of every list pane: type to keep only the rows that contain the text (any
 * case), Enter keeps the filter and returns to the list, Esc clears it. Plain data: the
 * pane asks whether a row's text matches and draws the prompt where it has room. */
#ifndef RCT_LISTFILTER_H
#define RCT_LISTFILTER_H

#include <stdbool.h>

struct list_filter {
    char text[64];
    bool typing;
};

/* Takes '/' (start typing), the keys typed while typing, and Esc while a filter is set.
 * True when the key was the filter's; *changed says the rows to show changed. */
bool list_filter_key(struct list_filter *f, int ch, bool *changed);
/* True when the row's text contains the filter (always, with no filter). */
bool list_filter_matches(const struct list_filter *f, const char *row_text);
/* True while something filters the rows or the user types. */
bool list_filter_active(const struct list_filter *f);
/* "/ text_" while typing or filtering, with "N of M" when counts are given (total >= 0);
 * "" when there is nothing to say. */
const char *list_filter_prompt(const struct list_filter *f, int shown, int total, char *buf,
                               int cap);

#endif
