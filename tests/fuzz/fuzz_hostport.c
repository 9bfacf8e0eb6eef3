/* libFuzzer target: --host / --listen / config host values through the host:port parser;
 * whatever it accepts must print back and parse again to the same host and port. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/commands/cli_options.h"
#include "tui/format/args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (int listening = 0; listening < 2; listening++) {
        char host[256], again[256], printed[300];
        uint16_t port = 8899, port2 = 8899;
        const char *why = NULL;
        bool ok = listening ? args_parse_listen_address(text, host, sizeof host, &port, &why)
                            : args_parse_host_port(text, host, sizeof host, &port, &why);
        if (!ok) {
            if (!why)
                __builtin_trap();  /* a refusal always says why */
            continue;
        }
        if (!listening && port == 0)
            __builtin_trap();      /* port 0 is refused for devices */
        for (const char *p = host; *p; p++)
            if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
                __builtin_trap();  /* nothing unprintable reaches a resolver or a screen */
        args_format_host_port(host, port, printed, sizeof printed);
        ok = listening ? args_parse_listen_address(printed, again, sizeof again, &port2, &why)
                       : args_parse_host_port(printed, again, sizeof again, &port2, &why);
        if (!ok || strcmp(host, again) != 0 || port != port2)
            __builtin_trap();      /* printed back the way it parses */
    }
    free(text);
    return 0;
}
