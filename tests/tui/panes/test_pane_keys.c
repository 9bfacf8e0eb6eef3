/* The pane table (each pane's digit, title and help lines) is where the monitor's keys are
 * written once: the README's Keys table, the man page's KEYS section and the "Keys:"
 * paragraph of `rcttop help monitor` must agree with it, and these tests say where not. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/commands/cli.h"
#include "tui/monitor/app.h"
#include "tui/panes/panes.h"

#define MAX_KEYS 32
#define KEY_LEN 24

struct keys {
    char key[MAX_KEYS][KEY_LEN];
    size_t n;
};

static char *read_source(const char *path)
{
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", RCT_SOURCE_DIR, path);
    FILE *f = fopen(full, "rb");
    cr_assert(f, "cannot open %s", full);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = calloc(1, (size_t)size + 1);
    cr_assert(text);
    cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return text;
}

/* The text from `start` (included) to `end` (excluded, or the end of the text). */
static char *between(const char *text, const char *start, const char *end)
{
    const char *a = strstr(text, start);
    cr_assert(a, "no '%s'", start);
    const char *b = strstr(a + strlen(start), end);
    size_t n = b ? (size_t)(b - a) : strlen(a);
    char *out = calloc(1, n + 1);
    cr_assert(out);
    memcpy(out, a, n);
    return out;
}

/* A key as help lines and documents name it: one character, or a key's name. Words such
 * as "at the bottom", "(dashboard)" or "RO" (a mark on screen) are not keys. */
static bool is_key(const char *word)
{
    static const char *const names[] = {"Up",    "Down", "Left",      "Right", "PgUp",
                                        "PgDn",  "Home", "End",       "Enter", "Esc",
                                        "Space", "Tab",  "Shift-Tab", "F1",    "F10"};
    if (strlen(word) == 1)
        return !isspace((unsigned char)word[0]);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(word, names[i]) == 0)
            return true;
    return false;
}

static bool keys_have(const struct keys *k, const char *key)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->key[i], key) == 0)
            return true;
    return false;
}

static void add_key(struct keys *k, const char *word)
{
    if (is_key(word) && !keys_have(k, word) && k->n < MAX_KEYS)
        snprintf(k->key[k->n++], KEY_LEN, "%s", word);
}

/* Splits text at any of the separators and adds each word that is a key. */
static void add_words(struct keys *k, const char *text, size_t len, const char *separators)
{
    char word[KEY_LEN];
    size_t n = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || strchr(separators, text[i])) {
            word[n] = '\0';
            if (n)
                add_key(k, word);
            n = 0;
        } else if (n + 1 < sizeof word) {
            word[n++] = text[i];
        }
    }
}

/* The keys of a pane: the key column ("Up Down PgUp PgDn\tmove...") of its help lines. */
static struct keys pane_keys(const struct view *v)
{
    struct keys k = {.n = 0};
    for (const char *line = v->help; line && *line;) {
        const char *tab = strchr(line, '\t');
        const char *eol = strchr(line, '\n');
        if (!eol)
            eol = line + strlen(line);
        if (tab && tab < eol)
            add_words(&k, line, (size_t)(tab - line), " ,");
        line = *eol ? eol + 1 : eol;
    }
    return k;
}

/* Whether text names the pane: its title as a whole word. */
static bool names_pane(const char *text, const char *title)
{
    size_t n = strlen(title);
    for (const char *p = strstr(text, title); p; p = strstr(p + 1, title)) {
        bool starts = p == text || !isalpha((unsigned char)p[-1]);
        if (starts && !isalpha((unsigned char)p[n]))
            return true;
    }
    return false;
}

/* One key list of a document and the text that says where its keys work. */
struct doc_row {
    struct keys keys;
    char where[512];
};

/* The README's Keys table: `key` cells (arrows as the README draws them) and the panes
 * in the "where" cell. */
static size_t readme_rows(struct doc_row *rows, size_t max)
{
    char *readme = read_source("README.md");
    char *table = between(readme, "### Keys\n", "\n\n###");
    size_t n = 0;
    for (char *line = strtok(table, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        if (line[0] != '|' || strstr(line, "|---"))
            continue;
        char *cell_keys = line + 1, *bar = strchr(cell_keys, '|');
        if (!bar)
            continue;
        *bar = '\0';
        char *cell_where = bar + 1;
        bar = strchr(cell_where, '|');
        if (!bar)
            continue;
        *bar = '\0';
        struct doc_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        snprintf(r->where, sizeof r->where, "%s", cell_where);
        for (char *a = strchr(cell_keys, '`'); a; a = strchr(a + 1, '`')) {
            char *b = strchr(a + 1, '`');
            if (!b)
                break;
            *b = '\0';
            static const char *const arrows[][2] = {
                {"\u2191", "Up"}, {"\u2193", "Down"}, {"\u2190", "Left"}, {"\u2192", "Right"}};
            const char *key = a + 1;
            for (size_t i = 0; i < 4; i++)
                if (strcmp(key, arrows[i][0]) == 0)
                    key = arrows[i][1];
            add_key(&r->keys, key);
            a = b;
        }
    }
    free(table);
    free(readme);
    return n;
}

/* The man page's KEYS section: each .TP paragraph's .B line of keys and its text. */
static size_t man_rows(struct doc_row *rows, size_t max)
{
    char *man = read_source("assets/rcttop.1");
    char *keys = between(man, ".SH KEYS\n", "\n.SH ");
    size_t n = 0;
    for (char *p = strstr(keys, ".TP\n.B "); p && n < max; p = strstr(p + 1, ".TP\n.B ")) {
        char *line = p + strlen(".TP\n.B ");
        char *eol = strchr(line, '\n');
        cr_assert(eol);
        struct doc_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        char list[256];
        snprintf(list, sizeof list, "%.*s", (int)(eol - line), line);
        for (char *esc = strstr(list, "\\-"); esc; esc = strstr(esc, "\\-"))
            memmove(esc, esc + 1, strlen(esc));   /* roff's \- is a - key */
        add_words(&r->keys, list, strlen(list), " ,");
        char *next = strstr(eol, "\n.TP");
        snprintf(r->where, sizeof r->where, "%.*s",
                 (int)(next ? (size_t)(next - eol) : strlen(eol)), eol);
    }
    free(keys);
    free(man);
    return n;
}

/* Every key of every pane is in a row of the document that names the pane (or says the
 * key works everywhere). */
static void every_pane_key_is_documented(const char *document, const struct doc_row *rows,
                                         size_t nrows)
{
    size_t checked = 0;
    for (size_t p = 0; p < panes_count; p++) {
        struct keys keys = pane_keys(panes[p]);
        for (size_t i = 0; i < keys.n; i++, checked++) {
            bool found = false;
            for (size_t r = 0; r < nrows && !found; r++)
                found = keys_have(&rows[r].keys, keys.key[i]) &&
                        (names_pane(rows[r].where, panes[p]->title) ||
                         strstr(rows[r].where, "everywhere"));
            cr_expect(found, "%s: no key %s for the %s pane (its help has it)", document,
                      keys.key[i], panes[p]->title);
        }
    }
    cr_assert_gt(checked, 30, "the pane table's help lines gave only %zu keys", checked);
}

Test(pane_keys, the_readme_keys_table_has_every_key_of_every_pane)
{
    static struct doc_row rows[64];
    size_t n = readme_rows(rows, 64);
    cr_assert_gt(n, 10, "the README's Keys table has %zu rows", n);
    every_pane_key_is_documented("README.md", rows, n);
    char digits[64];
    snprintf(digits, sizeof digits, "`%c` .. `%c`", panes[0]->digit,
             panes[panes_count - 1]->digit);
    char *readme = read_source("README.md");
    char *table = between(readme, "### Keys\n", "\n\n###");
    cr_expect(strstr(table, digits), "README.md: the Keys table has no %s row", digits);
    free(table);
    free(readme);
}

Test(pane_keys, the_man_page_keys_section_has_every_key_of_every_pane)
{
    static struct doc_row rows[64];
    size_t n = man_rows(rows, 64);
    cr_assert_gt(n, 10, "the man page's KEYS section has %zu paragraphs", n);
    every_pane_key_is_documented("assets/rcttop.1", rows, n);
    char digits[64] = "", titles[512] = "";
    for (size_t p = 0; p < panes_count; p++) {
        snprintf(digits + strlen(digits), sizeof digits - strlen(digits), "%s%c", p ? " " : "",
                 panes[p]->digit);
        snprintf(titles + strlen(titles), sizeof titles - strlen(titles), "%s%s",
                 p ? ", " : "", panes[p]->title);
    }
    char expected[700];
    snprintf(expected, sizeof expected, ".B %s\n%s.\n", digits, titles);
    char *man = read_source("assets/rcttop.1");
    cr_expect(strstr(man, expected), "assets/rcttop.1: KEYS does not start with\n%s", expected);
    free(man);
}

/* `rcttop help monitor`'s "Keys:" paragraph, on one line. */
static char *usage_keys(void)
{
    const struct cli_command *monitor = cli_command_find("monitor");
    cr_assert(monitor);
    char *para = between(monitor->usage, "Keys: ", "\n\n");
    for (char *c = para; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return para;
}

Test(pane_keys, the_monitor_usage_names_the_panes_in_tab_order)
{
    char expected[512] = "Keys: ";
    for (size_t p = 0; p < panes_count; p++)
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%c %s%s",
                 panes[p]->digit, panes[p]->title, p + 1 < panes_count ? ", " : ";");
    char *para = usage_keys();
    cr_expect(strncmp(para, expected, strlen(expected)) == 0,
              "rcttop help monitor: the Keys paragraph does not start with '%s'", expected);
    free(para);
}

/* The usage is a summary: it need not name every key, but a key it names for a pane
 * ("Values: k kind filter, Enter detail") is one of that pane's keys. */
Test(pane_keys, a_key_the_monitor_usage_names_for_a_pane_is_that_panes)
{
    char *para = usage_keys();
    size_t checked = 0;
    for (size_t p = 0; p < panes_count; p++) {
        char label[64];
        snprintf(label, sizeof label, " %s: ", panes[p]->title);
        const char *at = strstr(para, label);
        if (!at)
            continue;
        at += strlen(label);
        const char *end = strstr(at, ". ");
        if (!end)
            end = at + strlen(at);
        struct keys own = pane_keys(panes[p]);
        /* Each item's first word names the key(s): "Left/Right or [ ]", "k kind filter". */
        for (const char *item = at; item < end;) {
            const char *stop = strstr(item, ", ");
            if (!stop || stop > end)
                stop = end;
            struct keys said = {.n = 0};
            add_words(&said, item, strcspn(item, " ") < (size_t)(stop - item)
                                       ? strcspn(item, " ") : (size_t)(stop - item), "/");
            for (size_t i = 0; i < said.n; i++, checked++)
                cr_expect(keys_have(&own, said.key[i]),
                          "rcttop help monitor: %s is named for the %s pane, which has no such key",
                          said.key[i], panes[p]->title);
            item = stop == end ? end : stop + 2;
        }
    }
    cr_assert_gt(checked, 5, "the Keys paragraph named only %zu pane keys", checked);
    free(para);
}

Test(pane_keys, the_monitor_usage_says_which_panes_filter_with_a_slash)
{
    char *para = usage_keys();
    const char *at = strstr(para, "/ filters the list on ");
    cr_assert(at, "rcttop help monitor: no '/ filters the list on'");
    at += strlen("/ filters the list on ");
    char list[256];
    snprintf(list, sizeof list, "%.*s", (int)strcspn(at, "."), at);
    for (size_t p = 0; p < panes_count; p++) {
        struct keys own = pane_keys(panes[p]);
        cr_expect_eq(keys_have(&own, "/"), names_pane(list, panes[p]->title),
                     "rcttop help monitor: '/ filters the list on %s' and the %s pane %s '/'",
                     list, panes[p]->title, keys_have(&own, "/") ? "has" : "has no");
    }
    free(para);
}
