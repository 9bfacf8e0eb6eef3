/* libFuzzer target: arbitrary bytes as the recording `get`, `dump`, `faults` and `check`
 * read with --replay (oneshot_read_replay), and the values it leaves through the formats
 * the commands print. Times at the limits of int64 must not overflow anywhere. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/core/store.h"
#include "tui/commands/oneshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The command reads a path: the input as a file that lives only in memory. */
    int fd = memfd_create("fuzz-recording", 0);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    struct oneshot_options o;
    oneshot_default_options(&o);
    snprintf(o.replay_path, sizeof o.replay_path, "/proc/self/fd/%d", fd);
    struct store *store = store_new();
    if (!store)
        __builtin_trap();
    oneshot_read_replay("fuzz", &o, store);
    /* Whatever it kept is printable as the commands print it. */
    static struct rct_value v;
    char text[512];
    for (size_t i = 0; i < store_count(store); i++) {
        const struct store_entry *e = store_at(store, i);
        if (!e || !e->has_value || !e->info)
            continue;
        if (store_value(store, e->oid, &v))
            rct_value_format(&v, text, sizeof text);
    }
    store_free(store);
    close(fd);
    return 0;
}
