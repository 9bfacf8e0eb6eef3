/* The one table of diagnosis rules: its ids, the OIDs it lists, --only/--skip names, and
 * the documents that list the rules (README, `rcttop help check`) kept in step with it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/config/config.h"
#include "tui/diagnosis/health.h"

static bool contains(const uint32_t *oids, size_t n, uint32_t oid)
{
    for (size_t i = 0; i < n; i++)
        if (oids[i] == oid)
            return true;
    return false;
}

Test(rule_table, ids_are_unique_and_every_input_is_a_known_oid)
{
    size_t n;
    const struct health_rule *rules = health_rules(&n);
    cr_assert_geq(n, 15);
    for (size_t i = 0; i < n; i++) {
        cr_assert_not_null(rules[i].run, "%s", rules[i].id);
        cr_assert(rules[i].title[0], "%s has no title", rules[i].id);
        for (size_t k = i + 1; k < n; k++)
            cr_assert_str_neq(rules[i].id, rules[k].id);
        for (const char *const *name = rules[i].needs; *name; name++)
            cr_assert_not_null(rct_registry_by_name(*name), "%s reads %s", rules[i].id, *name);
    }
}

Test(rule_table, the_first_round_reads_every_listed_input_once)
{
    uint32_t oids[200];
    size_t n = health_needed_oids(NULL, oids, 200), nrules;
    const struct health_rule *rules = health_rules(&nrules);
    for (size_t i = 0; i < nrules; i++)
        for (const char *const *name = rules[i].needs; *name; name++)
            cr_assert(contains(oids, n, rct_registry_by_name(*name)->oid), "%s", *name);
    for (size_t i = 0; i < n; i++)
        cr_assert(!contains(oids + i + 1, n - i - 1, oids[i]), "0x%08X twice", oids[i]);
}

Test(rule_table, names_for_only_and_skip_are_the_ids_and_their_groups)
{
    char names[512], bad[64];
    health_rule_names(names, sizeof names);
    cr_assert_str_eq(names, "faults, battery, battery.soh, battery.cells, battery.temperature, "
                            "battery.resistance, battery.modules, battery.history, insulation, grid, "
                            "grid.voltage, grid.frequency, pv.strings, clock, events, energy.counters, link");
    size_t n;
    const struct health_rule *rules = health_rules(&n);
    for (size_t i = 0; i < n; i++)
        cr_assert(health_names_valid(rules[i].id, false, bad, sizeof bad), "%s", rules[i].id);
    cr_assert(health_names_valid("battery,grid", false, bad, sizeof bad));
    cr_assert_not(health_names_valid("faults,bat", false, bad, sizeof bad));
    cr_assert_str_eq(bad, "bat");
    cr_assert_not(health_names_valid("faults.bit105", false, bad, sizeof bad));
    cr_assert(health_names_valid("faults.bit105", true, bad, sizeof bad));
}

/* With --only one rule, every finding belongs to it (an empty store: no verdicts, only
 * why there is none). */
Test(rule_table, each_rule_runs_alone_under_its_id)
{
    struct store *st = store_new();
    struct health_thresholds th;
    config_default_thresholds(&th);
    struct health_input in = {.store = st, .now_unix = 1790000000};
    static struct health_finding out[64];
    size_t n;
    const struct health_rule *rules = health_rules(&n);
    for (size_t i = 0; i < n; i++) {
        size_t nf = health_evaluate(&in, &th, rules[i].id, out, 64);
        cr_assert_gt(nf, 0, "%s gave nothing", rules[i].id);
        for (size_t k = 0; k < nf; k++)
            cr_assert(health_ids_match(rules[i].id, out[k].id), "%s gave %s", rules[i].id, out[k].id);
    }
    store_free(st);
}

static char *read_all(FILE *in)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, in)) > 0;) {
        n += got;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
        cr_assert_not_null(buf);
    }
    buf[n] = '\0';
    return buf;
}

/* The README's table: the first cell of each row names one rule or more, in backquotes. */
static void readme_ids(char *ids, size_t cap)
{
    FILE *in = fopen(RCT_SOURCE_DIR "/README.md", "r");
    cr_assert_not_null(in);
    char *text = read_all(in);
    fclose(in);
    const char *start = strstr(text, "### The rules, their limits");
    cr_assert_not_null(start);
    const char *end = strstr(start, "\n\n| rule");
    end = end ? strstr(end + 2, "\n\n") : NULL;
    cr_assert_not_null(end);
    ids[0] = '\0';
    for (const char *line = strstr(start, "\n| `"); line && line < end; line = strstr(line + 1, "\n| `")) {
        const char *cell_end = strstr(line + 3, " |");
        for (const char *p = strchr(line + 3, '`'); p && p < cell_end; p = strchr(p + 1, '`')) {
            const char *q = strchr(p + 1, '`');
            snprintf(ids + strlen(ids), cap - strlen(ids), "%s%.*s", ids[0] ? "," : "", (int)(q - p - 1), p + 1);
            p = q;
        }
    }
    free(text);
}

static void table_ids(char *ids, size_t cap)
{
    size_t n;
    const struct health_rule *rules = health_rules(&n);
    ids[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(ids + strlen(ids), cap - strlen(ids), "%s%s", i ? "," : "", rules[i].id);
}

Test(rule_docs, the_readme_lists_every_rule_in_table_order)
{
    char want[1024], have[1024];
    table_ids(want, sizeof want);
    readme_ids(have, sizeof have);
    cr_assert_str_eq(have, want, "README rules table: %s\nthe rules table: %s", have, want);
}

/* `rcttop help check`: "Rules: a, b, ..., z. A rule whose ..." (wrapped lines). */
Test(rule_docs, help_check_lists_every_rule_in_table_order)
{
    FILE *in = popen("'" RCTTOP_BINARY "' help check", "r");
    cr_assert_not_null(in);
    char *text = read_all(in);
    pclose(in);
    const char *start = strstr(text, "\nRules: ");
    cr_assert_not_null(start, "%s", text);
    start += 8;
    const char *end = strstr(start, ". ");
    cr_assert_not_null(end);
    char have[1024];
    size_t n = 0;
    for (const char *p = start; p < end && n + 1 < sizeof have; p++)
        if (*p != ' ' && *p != '\n')
            have[n++] = *p;
    have[n] = '\0';
    char want[1024];
    table_ids(want, sizeof want);
    cr_assert_str_eq(have, want, "help check: %s\nthe rules table: %s", have, want);
    free(text);
}
