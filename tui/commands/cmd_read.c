/* `rcttop get`, `dump` and `faults`: read OIDs once from a device and print them as
 * text, CSV or JSON Lines, with unit and age; OIDs that never answered are named. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "proto/codec/registry.h"
#include "proto/core/session.h"
#include "proto/core/store.h"
#include "proto/core/towers.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/commands/oneshot.h"
#include "tui/format/json.h"
#include "tui/format/valfmt.h"

static struct rct_value value;
static char text[16384];
/* How the device's timestamps read (the BMS's statistics carry some): judged from what
 * was read, the device clock when it came. */
static struct devclock device_clock;

/* A composite's lines: in text the first beside the name, the others indented under it;
 * in CSV one field, the lines joined by "; ". */
struct composite_out { enum cli_format format; const char *name; size_t lines; char *csv; size_t len, cap; };

static void composite_line(void *ctx, const char *line)
{
    struct composite_out *c = ctx;
    if (c->format == CLI_FORMAT_TEXT) {
        if (c->lines++ == 0)
            printf("%-40s %s\n", c->name, line);
        else
            printf("    %s\n", line);
        return;
    }
    size_t need = c->len + strlen(line) + 3;
    if (need > c->cap) {
        char *grown = realloc(c->csv, need * 2);
        if (!grown)
            return;
        c->csv = grown;
        c->cap = need * 2;
    }
    if (c->lines++) {
        memcpy(c->csv + c->len, "; ", 2);
        c->len += 2;
    }
    for (const char *p = line; *p; p++)  /* one field: the columns' padding goes */
        if (*p != ' ' || (c->len && c->csv[c->len - 1] != ' '))
            c->csv[c->len++] = *p;
    c->csv[c->len] = '\0';
}

static void print_reading(const struct oneshot_options *o, const struct store *store,
                          const struct rct_oid_info *info, int64_t now_ms)
{
    const struct store_entry *e = store_get(store, info->oid);
    bool ok = e && e->has_value && store_value(store, info->oid, &value);
    if (ok && value.type == RCT_TYPE_BAT_STATISTICS)
        devclock_judge(&device_clock, o->clock_mode, store);
    if (e && e->has_value && info->response_type == RCT_TYPE_UNKNOWN) {
        /* No known type: the payload as hex is the honest rendering. */
        value.type = RCT_TYPE_STRING;
        size_t n = 0;
        for (uint16_t i = 0; i < e->payload_len && n + 3 < sizeof value.u.s.text; i++)
            n += (size_t)snprintf(value.u.s.text + n, 3, "%02x", e->payload[i]);
        value.u.s.text[n] = '\0';
        value.u.s.len = (uint16_t)n;
        ok = true;
    }
    int64_t age = ok ? now_ms - e->updated_ms : -1;
    char why[96];
    const char *last = store_error_text(e, why, sizeof why);
    const char *error = ok ? NULL : last[0] ? last : "no answer";
    char safe[sizeof text];
    if (ok) {
        rct_value_format(&value, text, sizeof text);
        rct_sanitize(text, strlen(text), safe, sizeof safe);
    }
    switch (o->format) {
    case CLI_FORMAT_JSON: {
        struct json j;
        json_open(&j, stdout);
        json_object(&j);
        json_key(&j, "oid");
        json_stringf(&j, "0x%08" PRIX32, info->oid);
        json_key(&j, "name");
        json_string(&j, info->name);
        int tower, slot;
        if (valfmt_module_slot(info, &tower, &slot)) {
            /* Numbered as the device numbers its slots, as the panes do: module 0 is [0]. */
            json_key(&j, "tower");
            json_string(&j, tower_family(tower));
            json_key(&j, "module");
            json_int(&j, slot);
        }
        json_key(&j, "value");
        if (ok)
            json_value(&j, &value);
        else
            json_null(&j);
        /* A fraction the device sends as 0..1 (unit "%" in the registry) stays 0..1 in
         * machine output, and so carries no unit: never 0.93 paired with "%". */
        json_key(&j, "unit");
        json_string(&j, info->unit[0] && !valfmt_is_fraction(info) ? info->unit : NULL);
        json_key(&j, "age_ms");
        if (ok)
            json_int(&j, age);
        else
            json_null(&j);
        json_key(&j, "error");
        json_string(&j, error);
        json_end(&j);
        putchar('\n');
        break;
    }
    case CLI_FORMAT_CSV: {
        printf("0x%08" PRIX32 ",", info->oid);
        cli_csv_field(info->name, stdout);
        putchar(',');
        struct composite_out whole = {CLI_FORMAT_CSV, info->name, 0, NULL, 0, 0};
        if (ok && valfmt_composite_lines(info, &value, &device_clock, composite_line, &whole) && whole.csv)
            cli_csv_field(whole.csv, stdout);
        else
            cli_csv_field(ok ? safe : "", stdout);
        free(whole.csv);
        printf(",%s,", valfmt_is_fraction(info) ? "" : info->unit);
        if (ok)
            printf("%" PRId64 ",\n", age);
        else {
            putchar(',');
            cli_csv_field(error, stdout);
            putchar('\n');
        }
        break;
    }
    default:
        if (!ok) {
            printf("%-40s --  (%s)\n", info->name, error);
        } else if (value.type == RCT_TYPE_ENUM) {
            const char *label = rct_enum_label(info->oid, (uint32_t)value.u.i);
            printf("%-40s %s%s%s%s\n", info->name, safe, label ? " (" : "", label ? label : "",
                   label ? ")" : "");
        } else if (valfmt_is_fraction(info) && rct_type_is_scalar(value.type)) {
            double pct;
            valfmt_number(info, &value, &pct);
            printf("%-40s %s (%.2f %%)\n", info->name, safe, pct);
        } else if (value.type == RCT_TYPE_STRING) {
            printf("%-40s \"%s\"\n", info->name, safe);
        } else if (valfmt_composite_lines(info, &value, &device_clock, composite_line,
                                          &(struct composite_out){CLI_FORMAT_TEXT, info->name, 0, NULL, 0, 0})) {
            /* printed whole, a line per few cells */
        } else {
            /* The same format as every pane ("-1 664 W", "28 194.3 kWh", "3.20 MOhm");
             * the exact number is in --format csv and json. */
            char human[128];
            valfmt_display(info, &value, human, sizeof human);
            printf("%-40s %s\n", info->name, human);
        }
    }
}

static void print_csv_header(const struct oneshot_options *o)
{
    if (o->format == CLI_FORMAT_CSV)
        puts("oid,name,value,unit,age_ms,error");
}

/* Whether a request for this OID ran to its end (answered, timed out or refused). */
static bool was_asked(const struct store_entry *e)
{
    return e && (e->has_value || e->timeouts || e->decode_errors || e->error_why);
}

/* Rows printed as they are read, in order, when stdout is not a terminal (a terminal has
 * the progress bar): `dump | head -1` gets its line at once and the closed pipe then stops
 * the reading. A row without a value waits until the next one was asked: by then the
 * device has said whether it does not know the OID or did not answer. */
struct row_stream {
    const struct oneshot_options *o;
    const struct rct_oid_info *const *infos;
    size_t n, printed;
    bool header;
    int64_t flushed_ms;
};

static void stream_rows(void *ctx, const struct store *store)
{
    struct row_stream *s = ctx;
    int64_t now = session_mono_ms();
    size_t before = s->printed;
    while (s->printed < s->n) {
        const struct store_entry *e = store_get(store, s->infos[s->printed]->oid);
        bool final = e && (e->has_value || e->state == STORE_UNSUPPORTED ||
                           (was_asked(e) && s->printed + 1 < s->n &&
                            was_asked(store_get(store, s->infos[s->printed + 1]->oid))));
        if (!final)
            break;
        if (!s->header)
            print_csv_header(s->o);
        s->header = true;
        print_reading(s->o, store, s->infos[s->printed++], now);
    }
    /* The first rows at once, then at most ten writes a second. */
    if (s->printed > before && (before == 0 || now - s->flushed_ms >= 100)) {
        fflush(stdout);
        s->flushed_ms = now;
    }
}

static void stream_if_not_a_terminal(struct oneshot_options *o, struct row_stream *s,
                                     const struct rct_oid_info *const *infos, size_t n)
{
    *s = (struct row_stream){o, infos, n, 0, false, 0};
    if (!isatty(STDOUT_FILENO)) {
        o->on_read = stream_rows;
        o->on_read_ctx = s;
    }
}

/* Prints every OID in order from the stream's place (after Ctrl-C only those that were
 * asked); returns how many had no value, and on an interrupt says on stderr what was and
 * was not read. */
static size_t print_all(const char *command, const struct oneshot_options *o,
                        const struct store *store, const struct row_stream *stream,
                        bool interrupted)
{
    const struct rct_oid_info *const *infos = stream->infos;
    size_t n = stream->n;
    int64_t now = session_mono_ms();
    size_t missing = 0, read = 0, unasked = 0;
    if (!stream->header)
        print_csv_header(o);
    for (size_t i = 0; i < n; i++) {
        const struct store_entry *e = store_get(store, infos[i]->oid);
        if (interrupted && !was_asked(e)) {
            unasked++;
            continue;
        }
        if (i >= stream->printed)
            print_reading(o, store, infos[i], now);
        if (!e || !e->has_value)
            missing++;
        else
            read++;
    }
    if (interrupted)
        fprintf(stderr, "rcttop %s: interrupted: %zu of %zu read, %zu without an answer, %zu not "
                "asked\n", command, read, n, missing, unasked);
    return missing + unasked;
}

/* "0xDEADBEEF", an OID the registry does not know: reading it is as safe as any read,
 * so it is read and its answer shown raw (hex), with no meaning guessed. */
static const struct rct_oid_info *outside_registry(const char *arg)
{
    static struct rct_oid_info raw[16];
    static char names[16][12];
    static size_t used;
    char *end;
    if (strncasecmp(arg, "0x", 2) != 0 || strlen(arg) != 10 || used == 16)
        return NULL;
    unsigned long oid = strtoul(arg + 2, &end, 16);
    if (*end || strspn(arg + 2, "0123456789abcdefABCDEF") != 8)
        return NULL;
    snprintf(names[used], sizeof names[used], "0x%08lX", oid);
    raw[used] = (struct rct_oid_info){(uint32_t)oid, names[used], "", RCT_TYPE_UNKNOWN,
                                      RCT_TYPE_UNKNOWN, "", "not in the registry: shown raw",
                                      RCT_KIND_MEASUREMENT};
    return &raw[used++];
}

/* The BMS's statistics carry timestamps on the device's clock: with one of them asked, the
 * clock and its daylight-saving flag are read first (also when not asked, then not
 * printed), so their times read as the device's wall time. The rest keep their order.
 * oids has room for n + 2; returns how many to read. */
static size_t clock_first(const struct rct_oid_info *const *infos, size_t n, uint32_t *oids)
{
    const struct rct_oid_info *clock_oids[] = {rct_registry_by_name("flash_rtc.time_stamp"),
                                               rct_registry_by_name("flash_rtc.flag_time_auto_switch")};
    bool stats = false;
    for (size_t i = 0; i < n; i++)
        stats |= infos[i]->response_type == RCT_TYPE_BAT_STATISTICS;
    size_t k = 0;
    for (size_t c = 0; stats && c < 2; c++)
        oids[k++] = clock_oids[c]->oid;
    for (size_t i = 0; i < n; i++)
        if (!stats || (infos[i] != clock_oids[0] && infos[i] != clock_oids[1]))
            oids[k++] = infos[i]->oid;
    return k;
}

/* After the BMS's times were shown: how they were read, when the device did not say. */
static void say_clock_assumption(const char *command, const struct store *store,
                                 const struct rct_oid_info *const *infos, size_t n)
{
    bool stats = false;
    for (size_t i = 0; i < n; i++) {
        const struct store_entry *e = store_get(store, infos[i]->oid);
        stats |= infos[i]->response_type == RCT_TYPE_BAT_STATISTICS && e && e->has_value;
    }
    if (stats && !device_clock.read)
        fprintf(stderr, "rcttop %s: device clock not read: the BMS's times are taken as UTC, "
                "shown in this computer's time\n", command);
}

/* get and faults take the shared options alone. */
static const struct option shared_options[] = {ONESHOT_LONG_OPTIONS, {NULL, 0, NULL, 0}};

static int cmd_get(int argc, char **argv)
{
    struct oneshot_options o;
    oneshot_default_options(&o);
    optind = 0;
    int c;
    while ((c = cli_getopt("get", argc, argv, cli_cmd_get.shortopts, cli_cmd_get.options)) != -1) {
        int handled = oneshot_option("get", c, optarg, &o);
        if (handled <= 0)
            return CLI_EXIT_USAGE;
    }
    if (!oneshot_apply_config("get", &o, NULL))
        return CLI_EXIT_USAGE;
    if (optind >= argc)
        return cli_usage_error("get", "name at least one OID (a name like battery.soc, or 0x959930BF)");
    size_t n = (size_t)(argc - optind);
    const struct rct_oid_info **infos = calloc(n, sizeof *infos);
    uint32_t *oids = calloc(n + 2, sizeof *oids);
    if (!infos || !oids) {
        free(infos);
        free(oids);
        return cli_usage_error("get", "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        infos[i] = rct_registry_lookup(argv[optind + (int)i]);
        if (!infos[i])
            infos[i] = outside_registry(argv[optind + (int)i]);
        if (!infos[i] || infos[i]->kind == RCT_KIND_HISTORY) {
            int status = cli_usage_error(
                "get", infos[i] ? "'%s' is a history series: use 'rcttop history %s'"
                                : "no OID named '%s' (try 'rcttop list %s')",
                argv[optind + (int)i], argv[optind + (int)i]);
            free(infos);
            free(oids);
            return status;
        }
        oids[i] = infos[i]->oid;
    }
    o.progress = false;
    struct store *store = NULL;
    static struct row_stream stream;
    stream_if_not_a_terminal(&o, &stream, infos, n);
    int status = oneshot_read("get", &o, oids, clock_first(infos, n, oids), &store);
    if (status == CLI_EXIT_OK || cli_interrupted(status)) {
        size_t missing = print_all("get", &o, store, &stream, cli_interrupted(status));
        if (o.format == CLI_FORMAT_TEXT)
            say_clock_assumption("get", store, infos, n);
        if (status == CLI_EXIT_OK && missing)
            status = CLI_EXIT_PARTIAL;
    }
    store_free(store);
    free(infos);
    free(oids);
    return status;
}

static const struct option dump_options[] = {
    ONESHOT_LONG_OPTIONS,
    {"group", required_argument, NULL, 'g'},
    {"kind", required_argument, NULL, 'k'},
    {NULL, 0, NULL, 0}};

static int cmd_dump(int argc, char **argv)
{
    struct oneshot_options o;
    oneshot_default_options(&o);
    struct rct_registry_filter filter = {NULL, -1, NULL};
    optind = 0;
    int c;
    while ((c = cli_getopt("dump", argc, argv, cli_cmd_dump.shortopts,
                           cli_cmd_dump.options)) != -1) {
        if (c == 'g') {
            filter.group = optarg;
        } else if (c == 'k') {
            enum rct_kind kind;
            if (!rct_kind_from_name(optarg, &kind))
                return cli_usage_error("dump", "unknown kind '%s' (measurement, setting, identity, history)", optarg);
            filter.kind = (int)kind;
        } else if (oneshot_option("dump", c, optarg, &o) <= 0) {
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("dump", "unexpected argument '%s' (use --group or --kind)", argv[optind]);
    if (!oneshot_apply_config("dump", &o, NULL))
        return CLI_EXIT_USAGE;
    size_t n = 0, cap = rct_registry_count();
    const struct rct_oid_info **infos = calloc(cap, sizeof *infos);
    uint32_t *oids = calloc(cap + 2, sizeof *oids);
    if (!infos || !oids) {
        free(infos);
        free(oids);
        return cli_usage_error("dump", "out of memory");
    }
    for (const struct rct_oid_info *info = rct_registry_next(NULL, &filter); info;
         info = rct_registry_next(info, &filter)) {
        if (info->kind == RCT_KIND_HISTORY)
            continue;  /* paged series: 'rcttop history' and 'rcttop events' */
        infos[n] = info;
        oids[n++] = info->oid;
    }
    if (n == 0) {
        free(infos);
        free(oids);
        return cli_usage_error("dump", "no OID matches (see 'rcttop list')");
    }
    /* Read and printed in reading order: identity first, then by group and name. */
    qsort(infos, n, sizeof *infos, valfmt_reading_order);
    struct store *store = NULL;
    static struct row_stream stream;
    stream_if_not_a_terminal(&o, &stream, infos, n);
    int status = oneshot_read("dump", &o, oids, clock_first(infos, n, oids), &store);
    if ((status == CLI_EXIT_OK || cli_interrupted(status)) && o.format == CLI_FORMAT_TEXT)
        say_clock_assumption("dump", store, infos, n);
    if (cli_interrupted(status)) {
        print_all("dump", &o, store, &stream, true);
    } else if (status == CLI_EXIT_OK) {
        size_t missing = print_all("dump", &o, store, &stream, false);
        if (missing) {
            /* What the device does not know, apart from what it did not answer. */
            for (int pass = 0; pass < 2; pass++) {
                size_t k = 0;
                for (size_t i = 0; i < n; i++) {
                    const struct store_entry *e = store_get(store, infos[i]->oid);
                    bool unknown = e && !e->has_value && e->state == STORE_UNSUPPORTED;
                    if ((e && e->has_value) || unknown != (pass == 0))
                        continue;
                    if (k++ == 0)
                        fprintf(stderr, pass == 0 ? "not supported by this device:" : "never answered:");
                    fprintf(stderr, " %s", infos[i]->name);
                }
                if (k)
                    fprintf(stderr, " (%zu of %zu)\n", k, n);
            }
        } else {
            fprintf(stderr, "all %zu OIDs answered\n", n);
        }
    }
    store_free(store);
    free(infos);
    free(oids);
    return status;
}

static int cmd_faults(int argc, char **argv)
{
    struct oneshot_options o;
    oneshot_default_options(&o);
    optind = 0;
    int c;
    while ((c = cli_getopt("faults", argc, argv, cli_cmd_faults.shortopts,
                           cli_cmd_faults.options)) != -1)
        if (oneshot_option("faults", c, optarg, &o) <= 0)
            return CLI_EXIT_USAGE;
    if (optind < argc)
        return cli_usage_error("faults", "unexpected argument '%s'", argv[optind]);
    if (!oneshot_apply_config("faults", &o, NULL))
        return CLI_EXIT_USAGE;
    uint32_t oids[4];
    for (unsigned w = 0; w < 4; w++)
        oids[w] = rct_fault_word_oid(w);
    o.progress = false;
    struct store *store = NULL;
    int status = oneshot_read("faults", &o, oids, 4, &store);
    if (status != CLI_EXIT_OK) {
        store_free(store);
        return cli_interrupted(status) ? status : CLI_EXIT_USAGE;
    }
    uint32_t words[4];
    for (unsigned w = 0; w < 4; w++) {
        double v;
        if (!store_number(store, oids[w], &v)) {
            fprintf(stderr, "rcttop faults: fault[%u].flt could not be read: the fault state is unknown\n", w);
            store_free(store);
            return CLI_EXIT_USAGE;
        }
        words[w] = (uint32_t)v;
    }
    store_free(store);
    if (o.format == CLI_FORMAT_CSV)
        puts("bit,word,bit_in_word,label");
    int active = 0;
    for (unsigned bit = 0; bit < RCT_FAULT_BITS; bit++) {
        if (!(words[bit / 32] & (1u << (bit % 32))))
            continue;
        active++;
        const char *label = rct_fault_label(bit);
        char fallback[16];
        if (!label) {
            snprintf(fallback, sizeof fallback, "bit %u", bit);
            label = fallback;
        }
        if (o.format == CLI_FORMAT_JSON) {
            struct json j;
            json_open(&j, stdout);
            json_object(&j);
            json_key(&j, "bit");
            json_uint(&j, bit);
            json_key(&j, "word");
            json_uint(&j, bit / 32);
            json_key(&j, "bit_in_word");
            json_uint(&j, bit % 32);
            json_key(&j, "label");
            json_string(&j, label);
            json_end(&j);
            putchar('\n');
        } else if (o.format == CLI_FORMAT_CSV) {
            printf("%u,%u,%u,", bit, bit / 32, bit % 32);
            cli_csv_field(label, stdout);
            putchar('\n');
        } else {
            printf("%3u  fault[%u] bit %-2u  %s\n", bit, bit / 32, bit % 32, label);
        }
    }
    if (o.format == CLI_FORMAT_TEXT)
        printf(active ? "%d active fault%s\n" : "no active faults\n", active, active == 1 ? "" : "s");
    return active ? CLI_EXIT_FOUND : CLI_EXIT_OK;
}

const struct cli_command cli_cmd_get = {
    .name = "get",
    .summary = "read OIDs once and print them",
    .usage =
        "usage: rcttop get NAME|0xOID... [OPTIONS]\n"
        "\n"
        "Reads each OID once, in the order given, and prints value, unit and age.\n"
        "Exit status: 0 all read, 1 some did not answer, 2 the device could not be reached.\n"
        "\n" DEVICE_OPTIONS_HELP
        "\n"
        "example: rcttop get battery.soc g_sync.p_ac_grid_sum_lp --host 192.168.1.50\n",
    .options = shared_options,
    .shortopts = ONESHOT_SHORT_OPTIONS,
    .run = cmd_get,
};

const struct cli_command cli_cmd_dump = {
    .name = "dump",
    .summary = "read every OID (or a group or kind) once",
    .usage =
        "usage: rcttop dump [--group G] [--kind K] [OPTIONS]\n"
        "\n"
        "Reads every registry OID once (history series excepted: see 'history', 'events'),\n"
        "with a progress bar on standard error when it is a terminal, and lists the OIDs\n"
        "that never answered at the end. At the default %{general.rate} requests/s a full dump\n"
        "takes minutes.\n"
        "\n"
        "  -g, --group G           only OIDs of that group (e.g. battery)\n"
        "  -k, --kind K            measurement, setting or identity\n"
        DEVICE_OPTIONS_HELP
        "\n"
        "example: rcttop dump --group battery --format csv > battery.csv\n",
    .options = dump_options,
    .shortopts = ONESHOT_SHORT_OPTIONS "g:k:",
    .run = cmd_dump,
};

const struct cli_command cli_cmd_faults = {
    .name = "faults",
    .summary = "show active faults (exit 0 none, 1 active, 2 unreadable)",
    .usage =
        "usage: rcttop faults [OPTIONS]\n"
        "\n"
        "Reads fault[0..3].flt (128 fault bits) and prints each active fault with its label.\n"
        "Exit status: 0 no active faults, 1 active faults, 2 the device could not be read,\n"
        "for scripts and monitoring.\n"
        "\n" DEVICE_OPTIONS_HELP,
    .options = shared_options,
    .shortopts = ONESHOT_SHORT_OPTIONS,
    .run = cmd_faults,
};
