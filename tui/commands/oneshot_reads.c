/* The one-phase runs of `get`, `dump`, `faults` and `history`: a link opened, one read
 * or one walk, closed. */
#include <stdlib.h>

#include "tui/commands/cli_options.h"
#include "tui/commands/oneshot.h"

int oneshot_read(const char *command, const struct oneshot_options *opts, const uint32_t *oids,
                 size_t n, struct store **store)
{
    *store = store_new();
    if (!*store)
        return cli_usage_error(command, "out of memory");
    if (opts->replay_path[0])
        return oneshot_read_replay(command, opts, *store);
    struct oneshot_link *link = oneshot_link_open(command, opts, *store, 0);
    if (!link)
        return CLI_EXIT_USAGE;
    int status = oneshot_link_read(link, oids, n);
    oneshot_link_close(link);
    return status;
}

int oneshot_history(const char *command, const struct oneshot_options *opts,
                    struct history_pager *pager)
{
    if (opts->replay_path[0])
        return cli_usage_error(command, "history is not replayed from recordings yet; "
                                        "use 'rcttop decode FILE'");
    if (opts->listen_only)
        return cli_usage_error(command, "history is paged on request: not with --listen-only");
    struct store *store = store_new();
    if (!store)
        return cli_usage_error(command, "out of memory");
    struct oneshot_link *link = oneshot_link_open(command, opts, store, 0);
    int status = link ? oneshot_link_history(link, pager) : CLI_EXIT_USAGE;
    oneshot_link_close(link);
    store_free(store);
    return status;
}
