/* Build-time generator: turns assets/registry.csv, enums.csv, faults.csv and events.csv
 * into one C file of const tables, so the rcttop binary reads no data files at run time. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 16
#define MAX_FIELD 512
#define MAX_ROWS 2048

struct row {
    int n;
    char f[MAX_FIELDS][MAX_FIELD];
};

struct table {
    const char *path;
    int nrows;
    struct row header;
    struct row *rows;
};

static void die(const char *path, int line, const char *msg, const char *detail)
{
    fprintf(stderr, "%s:%d: %s%s%s\n", path, line, msg, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* RFC 4180: quoted fields, doubled quotes, separators and newlines inside quotes. */
static int read_row(FILE *in, struct row *r, const char *path, int line)
{
    int c, quoted = 0, any = 0;
    size_t len = 0;
    r->n = 0;
    while ((c = fgetc(in)) != EOF) {
        any = 1;
        if (quoted) {
            if (c == '"') {
                int d = fgetc(in);
                if (d != '"') {
                    quoted = 0;
                    if (d != EOF)
                        ungetc(d, in);
                    continue;
                }
            }
        } else if (c == '"') {
            quoted = 1;
            continue;
        } else if (c == ',' || c == '\n') {
            r->f[r->n][len] = '\0';
            if (++r->n >= MAX_FIELDS)
                die(path, line, "too many fields", NULL);
            len = 0;
            if (c == '\n')
                break;
            continue;
        } else if (c == '\r') {
            continue;
        }
        if (len + 1 >= MAX_FIELD)
            die(path, line, "field too long", NULL);
        r->f[r->n][len++] = (char)c;
    }
    if (!any)
        return 0;
    if (c == EOF) {
        r->f[r->n][len] = '\0';
        r->n++;
    }
    if (quoted)
        die(path, line, "unterminated quote", NULL);
    return 1;
}

static void load(struct table *t, const char *path)
{
    FILE *in = fopen(path, "r");
    if (!in)
        die(path, 0, "cannot open", NULL);
    t->path = path;
    t->rows = calloc(MAX_ROWS, sizeof *t->rows);
    if (!t->rows || !read_row(in, &t->header, path, 1))
        die(path, 1, "missing header", NULL);
    t->nrows = 0;
    while (t->nrows < MAX_ROWS && read_row(in, &t->rows[t->nrows], path, t->nrows + 2)) {
        struct row *r = &t->rows[t->nrows];
        if (r->n == 1 && r->f[0][0] == '\0')
            continue;
        if (r->n != t->header.n)
            die(path, t->nrows + 2, "wrong number of fields", NULL);
        t->nrows++;
    }
    fclose(in);
}

static int column(const struct table *t, const char *name)
{
    for (int i = 0; i < t->header.n; i++)
        if (strcmp(t->header.f[i], name) == 0)
            return i;
    die(t->path, 1, "missing column", name);
    return -1;
}

static unsigned long parse_hex(const struct table *t, int line, const char *text)
{
    char *end;
    if (strncmp(text, "0x", 2) != 0 || strlen(text) != 10)
        die(t->path, line, "not an 8-digit 0x OID", text);
    unsigned long v = strtoul(text + 2, &end, 16);
    if (*end)
        die(t->path, line, "bad hex", text);
    return v;
}

static const char *const type_names[] = {
    "bool", "uint8", "int8", "uint16", "int16", "uint32", "int32", "float", "enum", "string",
    "timeseries", "event_table", "battery_module_status", "battery_module_statistics",
    "battery_module_resistance", "unknown"};
static const char *const type_consts[] = {
    "RCT_TYPE_BOOL", "RCT_TYPE_UINT8", "RCT_TYPE_INT8", "RCT_TYPE_UINT16", "RCT_TYPE_INT16",
    "RCT_TYPE_UINT32", "RCT_TYPE_INT32", "RCT_TYPE_FLOAT", "RCT_TYPE_ENUM", "RCT_TYPE_STRING",
    "RCT_TYPE_TIMESERIES", "RCT_TYPE_EVENT_TABLE", "RCT_TYPE_BAT_STATUS",
    "RCT_TYPE_BAT_STATISTICS", "RCT_TYPE_BAT_RESISTANCE", "RCT_TYPE_UNKNOWN"};

static const char *type_const(const struct table *t, int line, const char *name)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(name, type_names[i]) == 0)
            return type_consts[i];
    die(t->path, line, "unknown type", name);
    return NULL;
}

static const char *kind_const(const struct table *t, int line, const char *name)
{
    static const char *const names[] = {"measurement", "setting", "identity", "history"};
    static const char *const consts[] = {"RCT_KIND_MEASUREMENT", "RCT_KIND_SETTING",
                                         "RCT_KIND_IDENTITY", "RCT_KIND_HISTORY"};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return consts[i];
    die(t->path, line, "unknown kind", name);
    return NULL;
}

/* A C string literal; every byte outside printable ASCII as an octal escape. */
static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f || *p == '?')
            fprintf(out, "\\%03o", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static const struct table *sort_table;
static int sort_col;

static int by_name(const void *a, const void *b)
{
    int ia = *(const int *)a, ib = *(const int *)b;
    return strcmp(sort_table->rows[ia].f[sort_col], sort_table->rows[ib].f[sort_col]);
}

static void emit_registry(FILE *out, struct table *t)
{
    int c_oid = column(t, "oid"), c_name = column(t, "name"), c_group = column(t, "group"),
        c_req = column(t, "request_type"), c_resp = column(t, "response_type"),
        c_unit = column(t, "unit"), c_label = column(t, "label"), c_kind = column(t, "kind");
    unsigned long prev = 0;
    fprintf(out, "const struct rct_oid_info rct_gen_registry[] = {\n");
    for (int i = 0; i < t->nrows; i++) {
        struct row *r = &t->rows[i];
        unsigned long oid = parse_hex(t, i + 2, r->f[c_oid]);
        if (i > 0 && oid <= prev)
            die(t->path, i + 2, "OIDs must be unique and sorted ascending", r->f[c_oid]);
        prev = oid;
        if (!r->f[c_name][0])
            die(t->path, i + 2, "empty name", NULL);
        fprintf(out, "    {0x%08lXu, ", oid);
        put_string(out, r->f[c_name]);
        fputs(", ", out);
        put_string(out, r->f[c_group]);
        fprintf(out, ", %s, %s, ", type_const(t, i + 2, r->f[c_req]),
                type_const(t, i + 2, r->f[c_resp]));
        put_string(out, r->f[c_unit]);
        fputs(", ", out);
        put_string(out, r->f[c_label]);
        fprintf(out, ", %s},\n", kind_const(t, i + 2, r->f[c_kind]));
    }
    fprintf(out, "};\nconst size_t rct_gen_registry_count = %d;\n\n", t->nrows);

    int *order = malloc(sizeof *order * (size_t)t->nrows);
    for (int i = 0; i < t->nrows; i++)
        order[i] = i;
    sort_table = t;
    sort_col = c_name;
    qsort(order, (size_t)t->nrows, sizeof *order, by_name);
    for (int i = 1; i < t->nrows; i++)
        if (strcmp(t->rows[order[i]].f[c_name], t->rows[order[i - 1]].f[c_name]) == 0)
            die(t->path, order[i] + 2, "duplicate name", t->rows[order[i]].f[c_name]);
    fprintf(out, "const unsigned short rct_gen_registry_by_name[] = {");
    for (int i = 0; i < t->nrows; i++)
        fprintf(out, "%s%d", i == 0 ? "\n    " : i % 16 ? ", " : ",\n    ", order[i]);
    fprintf(out, "\n};\n\n");
    free(order);
}

struct enum_entry { unsigned long oid, value; int row; };

static int by_oid_value(const void *a, const void *b)
{
    const struct enum_entry *x = a, *y = b;
    if (x->oid != y->oid)
        return x->oid < y->oid ? -1 : 1;
    return (x->value > y->value) - (x->value < y->value);
}

static void emit_enums(FILE *out, struct table *t)
{
    int c_oid = column(t, "oid"), c_value = column(t, "value"), c_label = column(t, "label");
    struct enum_entry *e = calloc((size_t)t->nrows + 1, sizeof *e);
    for (int i = 0; i < t->nrows; i++) {
        e[i].oid = parse_hex(t, i + 2, t->rows[i].f[c_oid]);
        char *end;
        e[i].value = strtoul(t->rows[i].f[c_value], &end, 10);
        if (*end || !t->rows[i].f[c_value][0])
            die(t->path, i + 2, "bad enum value", t->rows[i].f[c_value]);
        e[i].row = i;
    }
    qsort(e, (size_t)t->nrows, sizeof *e, by_oid_value);
    fprintf(out, "const struct rct_enum_label rct_gen_enums[] = {\n");
    for (int i = 0; i < t->nrows; i++) {
        if (i > 0 && e[i].oid == e[i - 1].oid && e[i].value == e[i - 1].value)
            die(t->path, e[i].row + 2, "duplicate enum value", NULL);
        fprintf(out, "    {0x%08lXu, %luu, ", e[i].oid, e[i].value);
        put_string(out, t->rows[e[i].row].f[c_label]);
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t rct_gen_enum_count = %d;\n\n", t->nrows);
    free(e);
}

static void emit_faults(FILE *out, struct table *t)
{
    int c_bit = column(t, "bit"), c_label = column(t, "label"), c_cat = column(t, "category");
    const char *labels[130] = {0}, *categories[130] = {0};
    for (int i = 0; i < t->nrows; i++) {
        char *end;
        long bit = strtol(t->rows[i].f[c_bit], &end, 10);
        if (*end || bit < 0 || bit >= 130)
            die(t->path, i + 2, "bad fault bit", t->rows[i].f[c_bit]);
        if (labels[bit])
            die(t->path, i + 2, "duplicate fault bit", t->rows[i].f[c_bit]);
        labels[bit] = t->rows[i].f[c_label];
        categories[bit] = t->rows[i].f[c_cat];
        static const char *const known[] = {"grid", "battery", "pv_insulation", "hardware",
                                            "communication", "information", "safety", "routine"};
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= strcmp(known[k], categories[bit]) == 0;
        if (!ok)
            die(t->path, i + 2, "unknown fault category", categories[bit]);
    }
    /* Bits 128 and 129 are documented but have no word in fault[0..3].flt. */
    fprintf(out, "const char *const rct_gen_fault_labels[128] = {\n");
    for (int bit = 0; bit < 128; bit++) {
        fputs("    ", out);
        if (labels[bit])
            put_string(out, labels[bit]);
        else
            fputs("0", out);
        fputs(",\n", out);
    }
    fprintf(out, "};\n\n");
    fprintf(out, "const char *const rct_gen_fault_categories[128] = {\n");
    for (int bit = 0; bit < 128; bit++) {
        fputs("    ", out);
        put_string(out, categories[bit] ? categories[bit] : "hardware");
        fputs(",\n", out);
    }
    fprintf(out, "};\n\n");
}

static void emit_events(FILE *out, struct table *t)
{
    int c_type = column(t, "type_hex"), c_name = column(t, "name"),
        c_e2 = column(t, "element2"), c_e3 = column(t, "element3"), c_e4 = column(t, "element4");
    fprintf(out, "const struct rct_event_type rct_gen_event_types[] = {\n");
    long prev = -1;
    for (int i = 0; i < t->nrows; i++) {
        struct row *r = &t->rows[i];
        char *end;
        long type = strtol(r->f[c_type], &end, 16);
        if (*end || type < 0 || type > 255 || type <= prev)
            die(t->path, i + 2, "event types must be unique, sorted, 0x00..0xFF", r->f[c_type]);
        prev = type;
        fprintf(out, "    {0x%02lX, ", type);
        put_string(out, r->f[c_name]);
        fputs(", {", out);
        put_string(out, r->f[c_e2]);
        fputs(", ", out);
        put_string(out, r->f[c_e3]);
        fputs(", ", out);
        put_string(out, r->f[c_e4]);
        fputs("}},\n", out);
    }
    fprintf(out, "};\nconst size_t rct_gen_event_type_count = %d;\n", t->nrows);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s registry.csv enums.csv faults.csv events.csv out.c\n", argv[0]);
        return 2;
    }
    struct table registry, enums, faults, events;
    load(&registry, argv[1]);
    load(&enums, argv[2]);
    load(&faults, argv[3]);
    load(&events, argv[4]);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[5]);
    FILE *out = fopen(tmp, "w");
    if (!out)
        die(tmp, 0, "cannot write", NULL);
    fprintf(out, "/* Generated by assets/gen_tables.c from assets/ CSV files; do not edit. */\n"
                 "#include \"proto/codec/registry.h\"\n\n");
    emit_registry(out, &registry);
    emit_enums(out, &enums);
    emit_faults(out, &faults);
    emit_events(out, &events);
    if (fclose(out) != 0 || rename(tmp, argv[5]) != 0)
        die(argv[5], 0, "cannot write", NULL);
    free(registry.rows);
    free(enums.rows);
    free(faults.rows);
    free(events.rows);
    return 0;
}
