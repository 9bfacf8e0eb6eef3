/* The list of commands and the main help. Each tui/commands/cmd_*.c defines its own
 * entry (name, summary, usage, options, run); adding a command is its file, its name in
 * cli.h and a line in the list below. */
#include "tui/commands/cli.h"
#include "proto/core/version.h"

#include <stdlib.h>
#include <string.h>

#include "tui/config/config.h"

const struct cli_command *const cli_commands[] = {
    &cli_cmd_monitor, &cli_cmd_replay, &cli_cmd_decode, &cli_cmd_list,    &cli_cmd_sim,
    &cli_cmd_get,     &cli_cmd_dump,   &cli_cmd_faults, &cli_cmd_events,  &cli_cmd_history,
    &cli_cmd_watch,   &cli_cmd_check,  &cli_cmd_scan,   &cli_cmd_completion,
};
const size_t cli_commands_count = sizeof cli_commands / sizeof cli_commands[0];

const struct cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_commands_count; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i];
    return NULL;
}

/* One placeholder's text ("general.rate", "general.rate:range"), false when none fits. */
static bool fill(const char *name, char *out, size_t cap)
{
    char section[32], key[64];
    const char *dot = strchr(name, '.');
    const char *colon = dot ? strchr(dot, ':') : NULL;
    if (!dot)
        return false;
    size_t key_len = colon ? (size_t)(colon - dot - 1) : strlen(dot + 1);
    if ((size_t)(dot - name) >= sizeof section || key_len >= sizeof key)
        return false;
    snprintf(section, sizeof section, "%.*s", (int)(dot - name), name);
    snprintf(key, sizeof key, "%.*s", (int)key_len, dot + 1);
    if (strcmp(section, "device") == 0)
        snprintf(section, sizeof section, "device:NAME");  /* any device section */
    if (colon) {
        double min, max;
        bool whole;
        if (strcmp(colon, ":range") != 0 || !config_number_range(section, key, &min, &max, &whole))
            return false;
        snprintf(out, cap, "%g..%g", min, max);
        return true;
    }
    const char *text = config_default_text(section, key);
    if (!text || !text[0])
        return false;
    snprintf(out, cap, "%s", text);
    return true;
}

void cli_print_usage(const char *usage, FILE *out)
{
    const char *p = usage;
    for (const char *at; (at = strstr(p, "%{"));) {
        const char *end = strchr(at, '}');
        char name[100], text[100];
        fwrite(p, 1, (size_t)(at - p), out);
        if (end && (size_t)(end - at - 2) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(end - at - 2), at + 2);
            if (fill(name, text, sizeof text)) {
                fputs(text, out);
                p = end + 1;
                continue;
            }
        }
        fputs("%{", out);
        p = at + 2;
    }
    fputs(p, out);
}

void cli_print_main_help(FILE *out)
{
    fprintf(out,
            "rcttop %s: a read-only monitor and diagnosis tool for RCT Power inverters\n"
            "\n"
            "usage: rcttop [OPTIONS]              interactive monitor\n"
            "       rcttop COMMAND [OPTIONS]      one-shot command\n"
            "       rcttop help COMMAND           help for one command\n"
            "       rcttop help config            every configuration key and its default\n"
            "\n"
            "commands:\n",
            rct_version());
    for (size_t i = 0; i < cli_commands_count; i++)
        fprintf(out, "  %-9s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    /* The options part through the placeholders, as a command's usage is. */
    cli_print_usage("\n"
            "monitor options (all of them: rcttop help monitor):\n"
            "  -H, --host HOST[:PORT]  the inverter (port %{device.port} by default)\n"
            "      --device NAME       a [device:NAME] section of the configuration\n"
            "      --demo              the built-in simulated inverter (the default without a\n"
            "                          device)\n"
            "      --config FILE       configuration file\n"
            "  -r, --rate N            requests per second (default %{general.rate})\n"
            "      --record FILE       record every byte both ways\n"
            "      --version           the version\n"
            "\n"
            "rcttop never writes to the inverter: the only frames it sends are reads and\n"
            "history queries.\n", out);
}
