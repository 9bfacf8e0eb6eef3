/* `rcttop list`: the compiled-in OID registry, filtered by text, group and kind, as a
 * table, CSV or JSON Lines. Needs no device. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/format/json.h"
#include "widgets/text.h"

static void print_csv_row(const struct rct_oid_info *info)
{
    printf("0x%08" PRIX32 ",", info->oid);
    cli_csv_field(info->name, stdout);
    putchar(',');
    cli_csv_field(info->group, stdout);
    printf(",%s,%s,%s,", rct_type_name(info->response_type), rct_kind_name(info->kind),
           info->unit);
    cli_csv_field(info->label, stdout);
    putchar('\n');
}

static void print_json_row(const struct rct_oid_info *info)
{
    struct json j;
    json_open(&j, stdout);
    json_object(&j);
    json_key(&j, "oid");
    json_stringf(&j, "0x%08" PRIX32, info->oid);
    json_key(&j, "name");
    json_string(&j, info->name);
    json_key(&j, "group");
    json_string(&j, info->group);
    json_key(&j, "type");
    json_string(&j, rct_type_name(info->response_type));
    json_key(&j, "request_type");
    json_string(&j, rct_type_name(info->request_type));
    json_key(&j, "kind");
    json_string(&j, rct_kind_name(info->kind));
    json_key(&j, "unit");
    json_string(&j, info->unit[0] ? info->unit : NULL);
    json_key(&j, "label");
    json_string(&j, info->label);
    json_end(&j);
    putchar('\n');
}

static const struct option list_options[] = {
    {"kind", required_argument, NULL, 'k'},
    {"group", required_argument, NULL, 'g'},
    {"format", required_argument, NULL, 'f'},
    {NULL, 0, NULL, 0},
};

static int cmd_list(int argc, char **argv)
{
    struct rct_registry_filter filter = {NULL, -1, NULL};
    enum cli_format format = CLI_FORMAT_TEXT;
    optind = 0;
    int c;
    while ((c = cli_getopt("list", argc, argv, cli_cmd_list.shortopts,
                           cli_cmd_list.options)) != -1) {
        switch (c) {
        case 'k': {
            enum rct_kind kind;
            if (!rct_kind_from_name(optarg, &kind))
                return cli_usage_error("list",
                                       "unknown kind '%s' (measurement, setting, identity, history)",
                                       optarg);
            filter.kind = (int)kind;
            break;
        }
        case 'g': filter.group = optarg; break;
        case 'f':
            if (!cli_format_parse(optarg, &format))
                return cli_usage_error("list", "unknown format '%s' (text, csv or json)", optarg);
            break;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind > 1)
        return cli_usage_error("list", "too many arguments: '%s' (one PATTERN at most)",
                               argv[optind + 1]);
    if (optind < argc)
        filter.text = argv[optind];
    if (filter.group) {
        bool known = false;
        for (size_t i = 0; i < rct_registry_count() && !known; i++)
            known = strcmp(rct_registry_at(i)->group, filter.group) == 0;
        if (!known)
            return cli_usage_error("list", "no group '%s' (the groups are the part of a name "
                                           "before the dot, e.g. battery, g_sync, power_mng)",
                                   filter.group);
    }
    /* An OID given by its number (what `get` accepts) lists that one OID. */
    const struct rct_oid_info *by_number = NULL;
    if (filter.text && (filter.text[0] == '0') && (filter.text[1] == 'x' || filter.text[1] == 'X')) {
        char *end;
        unsigned long id = strtoul(filter.text + 2, &end, 16);
        if (*end == '\0' && end != filter.text + 2 && id <= 0xFFFFFFFFul)
            by_number = rct_registry_by_id((uint32_t)id);
        if (!by_number)
            return cli_usage_error("list", "no OID 0x%08lX in the registry", id);
    }

    if (format == CLI_FORMAT_CSV)
        puts("oid,name,group,type,kind,unit,label");
    size_t shown = 0;
    if (by_number)
        filter.text = NULL;
    for (const struct rct_oid_info *info = by_number ? by_number : rct_registry_next(NULL, &filter);
         info; info = by_number ? NULL : rct_registry_next(info, &filter)) {
        shown++;
        if (format == CLI_FORMAT_CSV)
            print_csv_row(info);
        else if (format == CLI_FORMAT_JSON)
            print_json_row(info);
        else  /* units padded by display width: "°C" is two columns, three bytes */
            printf("0x%08" PRIX32 "  %-42s %-25s %-11s %s%*s %s\n", info->oid, info->name,
                   rct_type_name(info->response_type), rct_kind_name(info->kind), info->unit,
                   5 - text_width(info->unit) > 0 ? 5 - text_width(info->unit) : 0, "", info->label);
    }
    if (format == CLI_FORMAT_TEXT)
        fprintf(stderr, "%zu of %zu OIDs\n", shown, rct_registry_count());
    return shown ? CLI_EXIT_OK : CLI_EXIT_FOUND;
}

const struct cli_command cli_cmd_list = {
    .name = "list",
    .summary = "list the OID registry, filtered",
    .usage =
        "usage: rcttop list [PATTERN] [--kind K] [--group G] [--format text|csv|json]\n"
        "\n"
        "Lists the OIDs rcttop knows. PATTERN matches a substring of the name or label,\n"
        "case-insensitively. K is measurement, setting, identity or history.\n"
        "\n"
        "  -k, --kind K      only OIDs of that kind\n"
        "  -g, --group G     only OIDs of that group (e.g. battery)\n"
        "  -f, --format FMT  text (default), csv or json (JSON Lines)\n"
        "\n"
        "example: rcttop list soc --kind setting\n",
    .options = list_options,
    .shortopts = "k:g:f:",
    .run = cmd_list,
};
