/* Shell completion. The scripts `rcttop completion bash|zsh` print hold no lists: at each
 * Tab they ask the program (`rcttop __complete INDEX WORDS...`), which answers from the
 * tables it runs on: its commands, each command's own getopt table, the OID registry, the
 * themes, the simulator's profiles and the devices of the configuration. An installed
 * completion never falls out of step with the binary beside it. */
#include "tui/commands/completion.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/devclock.h"
#include "proto/sim/sim.h"
#include "tui/commands/cli_options.h"
#include "tui/config/config.h"
#include "tui/config/themes.h"

/* Exit status that tells the script to complete file names instead. */
#define COMPLETE_FILES 3

static const char bash_script[] =
    "# bash completion for rcttop. Every list comes from the program itself\n"
    "# (rcttop __complete), so it always matches the rcttop it completes.\n"
    "_rcttop() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} out rc\n"
    "    out=$(\"${COMP_WORDS[0]}\" __complete \"$COMP_CWORD\" \"${COMP_WORDS[@]}\" 2>/dev/null)\n"
    "    rc=$?\n"
    "    if [ \"$rc\" = 3 ]; then\n"
    "        compopt -o filenames 2>/dev/null\n"
    "        local IFS=$'\\n'\n"
    "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
    "        return 0\n"
    "    fi\n"
    "    local IFS=$'\\n'\n"
    "    COMPREPLY=($out)\n"
    "}\n"
    "complete -F _rcttop rcttop\n";

static const char zsh_script[] =
    "#compdef rcttop\n"
    "# zsh completion for rcttop. Every list comes from the program itself\n"
    "# (rcttop __complete), so it always matches the rcttop it completes.\n"
    "_rcttop() {\n"
    "    local out rc\n"
    "    out=$(\"${words[1]}\" __complete $((CURRENT - 1)) \"${words[@]}\" 2>/dev/null)\n"
    "    rc=$?\n"
    "    if (( rc == 3 )); then\n"
    "        _files\n"
    "        return\n"
    "    fi\n"
    "    compadd -- ${(f)out}\n"
    "}\n"
    "_rcttop \"$@\"\n";

static int cmd_completion(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "bash") != 0 && strcmp(argv[1], "zsh") != 0))
        return cli_usage_error("completion", "which shell? (rcttop completion bash|zsh)");
    fputs(strcmp(argv[1], "bash") == 0 ? bash_script : zsh_script, stdout);
    return CLI_EXIT_OK;
}

static const char *prefix;
static const struct cli_command *const *commands;
static size_t ncommands;

static const struct cli_command *command_named(const char *name)
{
    for (size_t i = 0; i < ncommands; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    return NULL;
}

static void offer(const char *word)
{
    if (word && !strncmp(word, prefix, strlen(prefix)))
        printf("%s\n", word);
}

static void offer_commands(void)
{
    for (size_t i = 0; i < ncommands; i++)
        offer(commands[i]->name);
    offer("help");
}

static void offer_oids(bool history)
{
    for (size_t i = 0; i < rct_registry_count(); i++) {
        const struct rct_oid_info *info = rct_registry_at(i);
        bool series = info->response_type == RCT_TYPE_TIMESERIES;
        if (history ? series : info->kind != RCT_KIND_HISTORY)
            offer(info->name);
    }
}

static void offer_groups(void)
{
    const char *last = NULL;
    for (size_t i = 0; i < rct_registry_count(); i++) {
        const char *g = rct_registry_at(i)->group;
        /* Listed once each; the registry keeps a group's OIDs together. */
        bool seen = last && !strcmp(last, g);
        for (size_t j = 0; !seen && j < i; j++)
            seen = !strcmp(rct_registry_at(j)->group, g);
        if (!seen)
            offer(g);
        last = g;
    }
}

/* The [device:NAME] (or, plants, the [plant:NAME]) sections of the configuration. */
static void offer_sections(const char *config_path, bool plants)
{
    static struct config cfg;
    char err[512];
    config_defaults(&cfg);
    if (!config_load(&cfg, config_path, err, sizeof err))
        return;
    for (size_t i = 0; !plants && i < sizeof cfg.devices / sizeof cfg.devices[0]; i++)
        if (cfg.devices[i].name[0])
            offer(cfg.devices[i].name);
    for (size_t i = 0; plants && i < sizeof cfg.plants / sizeof cfg.plants[0]; i++)
        if (cfg.plants[i].name[0])
            offer(cfg.plants[i].name);
}

/* The values an option of cmd takes, where they form a list; false for a file name. */
static bool offer_values(const struct cli_command *cmd, const char *option, const char *config_path)
{
    const char *name = option + (option[1] == '-' ? 2 : 1);
    if (!strcmp(name, "config") || !strcmp(name, "record") || !strcmp(name, "replay") ||
        !strcmp(name, "script") || !strcmp(name, "on-alert"))
        return false;
    if (!strcmp(name, "group") || !strcmp(name, "g")) {
        offer_groups();
    } else if (!strcmp(name, "kind") || !strcmp(name, "k")) {
        for (int k = 0; k < RCT_KIND_COUNT; k++)
            offer(rct_kind_name((enum rct_kind)k));
    } else if (!strcmp(name, "format") || !strcmp(name, "f")) {
        for (size_t i = 0; cli_format_name(i); i++)
            offer(cli_format_name(i));
        if (!strcmp(cmd->name, "scan"))
            offer("ini");  /* scan's own: the units as configuration sections */
    } else if (!strcmp(name, "theme")) {
        for (size_t i = 0; i < themes_builtin_count(); i++)
            offer(themes_builtin_name(i));
        return true;
    } else if (!strcmp(name, "device")) {
        offer_sections(config_path, false);
    } else if (!strcmp(name, "plant") && strcmp(cmd->name, "sim") != 0) {
        offer_sections(config_path, true);  /* the simulator's --plant is a profile list */
    } else if (!strcmp(name, "profile") || !strcmp(name, "plant")) {
        if (!strcmp(name, "plant"))
            offer("master");  /* the storage system that leads the plant */
        for (size_t i = 0; sim_profile_name(i); i++)
            offer(sim_profile_name(i));
    } else if (!strcmp(name, "clock")) {
        /* The simulator keeps a clock of one kind or the other; the others read one. */
        bool sim = !strcmp(cmd->name, "sim");
        for (size_t i = 0; devclock_mode_name(i); i++)
            if (!sim || i != DEVCLOCK_AUTO)
                offer(devclock_mode_name(i));
    } else if (!strcmp(name, "role")) {
        for (size_t i = 0; sim_role_name(i); i++)
            offer(sim_role_name(i));
    }
    return true;
}

/* The command's long options starting with `arg`, one a line, from the table its getopt
 * reads, and --help and --version, which every command takes; false for a command
 * without options. */
static bool offer_options(const struct cli_command *cmd, const char *arg)
{
    if (!cmd->options)
        return false;
    size_t plen = strlen(arg);
    static const char *const everywhere[] = {"--help", "--version"};
    for (size_t i = 0; i < 2; i++)
        if (!strncmp(everywhere[i], arg, plen))
            printf("%s\n", everywhere[i]);
    for (const struct option *o = cmd->options; o->name; o++) {
        bool matches = plen < 2 || (!strncmp(arg, "--", 2) && !strncmp(o->name, arg + 2, plen - 2));
        if (matches && strcmp(o->name, "help") && strcmp(o->name, "version"))
            printf("--%s\n", o->name);
    }
    return fflush(stdout) == 0;
}

/* Whether the command's option `arg` (--name or -x) is one that takes a value. */
static bool takes_value(const struct cli_command *cmd, const char *arg)
{
    if (!cmd->options)
        return false;
    if (arg[0] == '-' && arg[1] == '-') {
        for (const struct option *o = cmd->options; o->name; o++)
            if (!strcmp(o->name, arg + 2))
                return o->has_arg == required_argument;
    } else if (arg[0] == '-' && arg[1] && !arg[2] && arg[1] != ':') {
        const char *at = strchr(cmd->shortopts, arg[1]);
        return at && at[1] == ':';
    }
    return false;
}

int cli_complete(int argc, char **argv, const struct cli_command *const *table, size_t count)
{
    commands = table;
    ncommands = count;
    if (argc < 2)
        return CLI_EXIT_USAGE;
    int at = atoi(argv[0]);
    char **w = argv + 1;
    int n = argc - 1;
    if (at < 1 || at > n)
        return CLI_EXIT_USAGE;
    prefix = at < n ? w[at] : "";
    const char *prev = w[at - 1];
    if (!strcmp(prev, "=") && at >= 3)  /* bash splits --format=js at the '=' */
        prev = w[at - 2];
    if (!strcmp(prefix, "="))
        prefix = "";
    /* The command is the first word after rcttop; without one, the monitor's options. */
    const struct cli_command *cmd = n > 1 && at > 1 ? command_named(w[1]) : NULL;
    bool help = n > 1 && at > 1 && !strcmp(w[1], "help");
    const char *config_path = NULL;
    for (int i = 1; i + 1 < at; i++)
        if (!strcmp(w[i], "--config"))
            config_path = w[i + 1];
    if (at == 1 && prefix[0] != '-') {
        offer_commands();
        return CLI_EXIT_OK;
    }
    if (help) {
        if (at == 2) {
            offer_commands();
            offer("config");
        }
        return CLI_EXIT_OK;
    }
    const struct cli_command *options_of = cmd ? cmd : command_named("monitor");
    if (!options_of)
        return CLI_EXIT_OK;
    if (prev[0] == '-' && at >= 2 && takes_value(options_of, prev))
        return offer_values(options_of, prev, config_path) ? CLI_EXIT_OK : COMPLETE_FILES;
    if (prefix[0] == '-')
        return offer_options(options_of, prefix) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (!cmd)
        return CLI_EXIT_OK;
    if (!strcmp(cmd->name, "get"))
        offer_oids(false);
    else if (!strcmp(cmd->name, "history"))
        offer_oids(true);
    else if (!strcmp(cmd->name, "decode") || !strcmp(cmd->name, "replay"))
        return COMPLETE_FILES;
    else if (!strcmp(cmd->name, "completion") && at == 2) {
        offer("bash");
        offer("zsh");
    }
    return CLI_EXIT_OK;
}

const struct cli_command cli_cmd_completion = {
    .name = "completion",
    .summary = "shell completion for bash or zsh: commands, options, OID names",
    .usage =
        "usage: rcttop completion bash|zsh\n"
        "\n"
        "Prints the completion script for the shell. It holds no lists: at each Tab it asks\n"
        "this rcttop, which answers from its own tables (commands, each command's options,\n"
        "OID names for get and history, groups, kinds, formats, themes, simulator profiles,\n"
        "the devices of the configuration). The Debian package installs both scripts.\n"
        "\n"
        "  bash: source <(rcttop completion bash)      (or put it in\n"
        "        ~/.local/share/bash-completion/completions/rcttop)\n"
        "  zsh:  rcttop completion zsh > ~/.zfunc/_rcttop   (with ~/.zfunc in fpath)\n"
        "\n"
        "example: rcttop get battery.s<Tab>\n",
    .options = NULL,
    .shortopts = NULL,
    .run = cmd_completion,
};
