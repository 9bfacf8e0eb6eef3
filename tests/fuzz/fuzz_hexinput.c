/* libFuzzer target: pasted hex dumps through hexdump_feed (the parser of `rcttop decode`),
 * whole and in input-chosen chunks, then the whole `rcttop decode` command on the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/format/hexdump.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* `decode` prints every frame to stdout and its usage errors to stderr; neither is
     * of interest here (libFuzzer reports on stderr, sanitizers on a duplicate of it). */
    if (!freopen("/dev/null", "w", stdout))
        return 0;
    fuzz_stderr_init();
    return 0;
}

/* Feeds text[0..len) in pieces of `chunk` bytes; each piece writes into a buffer of
 * exactly the documented capacity (len/2 + 1), on the heap so ASan sees any overflow. */
static size_t feed_chunked(struct hexdump_parser *p, const char *text, size_t len,
                           size_t chunk, uint8_t *out)
{
    size_t total = 0;
    for (size_t pos = 0; pos < len && !p->failed; pos += chunk) {
        size_t n = len - pos < chunk ? len - pos : chunk;
        uint8_t *piece = malloc(n / 2 + 1);
        if (!piece)
            return total;
        size_t got = hexdump_feed(p, text + pos, n, piece);
        if (got > n / 2 + 1)
            __builtin_trap();
        memcpy(out + total, piece, got);
        total += got;
        free(piece);
    }
    return total;
}

static void run_decode(const uint8_t *data, size_t size, uint8_t flags)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return;
    char *argv[8];
    int argc = 0;
    argv[argc++] = "decode";
    if (flags & 1)
        argv[argc++] = "--format=json";
    if (flags & 2)
        argv[argc++] = "--binary";
    if (flags & 4)
        argv[argc++] = "--stats";
    argv[argc++] = path;
    argv[argc] = NULL;
    const struct cli_command *cmd = cli_command_find("decode");
    if (!cmd)
        __builtin_trap();
    fuzz_stderr_begin();
    int status = cmd->run(argc, argv);
    fuzz_stderr_end(false);
    fflush(stdout);
    close(fd);
    /* 1: a recording or capture damaged part-way, its frames before the damage printed. */
    if (status != CLI_EXIT_OK && status != CLI_EXIT_PARTIAL && status != CLI_EXIT_USAGE)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    /* The first byte picks the chunk size and the decode options; the rest is the dump. */
    uint8_t flags = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    uint8_t *whole = malloc(len / 2 + 1), *pieces = malloc(len / 2 + 1);
    if (!whole || !pieces) {
        free(whole);
        free(pieces);
        return 0;
    }
    struct hexdump_parser a, b;
    hexdump_init(&a);
    size_t na = hexdump_feed(&a, text, len, whole);
    if (na > len / 2 + 1)
        __builtin_trap();
    hexdump_init(&b);
    size_t nb = feed_chunked(&b, text, len, (size_t)(flags >> 3) % 17 + 1, pieces);

    /* Streaming: how the text is split must not change what comes out. */
    if (na != nb || memcmp(whole, pieces, na) != 0 || a.failed != b.failed ||
        hexdump_dangling(&a) != hexdump_dangling(&b))
        __builtin_trap();
    if (a.failed && (a.bad_char != b.bad_char || a.bad_line != b.bad_line || a.bad_line == 0))
        __builtin_trap();
    /* A parse that got through counted every line. */
    if (!a.failed) {
        unsigned lines = 1;
        for (size_t i = 0; i < len; i++)
            lines += text[i] == '\n';
        if (a.line != lines)
            __builtin_trap();
    }
    free(whole);
    free(pieces);

    run_decode(data + 1, len, flags);
    return 0;
}
