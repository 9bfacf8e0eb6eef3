/* libFuzzer target: arbitrary bytes as the --config file through config_load (iniparser
 * plus the options table): never a crash, and errors come back in err, never on stderr. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "tui/config/config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_stderr_init();
    return 0;
}

static void check_string(const char *s, size_t cap)
{
    if (memchr(s, 0, cap) == NULL)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;

    static struct config cfg;
    config_defaults(&cfg);
    char err[512];
    memset(err, 'X', sizeof err);
    err[sizeof err - 1] = '\0';
    fuzz_stderr_begin();
    bool ok = config_load(&cfg, path, err, sizeof err);
    size_t printed = fuzz_stderr_end(true);
    close(fd);
    if (printed)
        __builtin_trap();   /* the loader printed instead of returning the error */

    check_string(err, sizeof err);
    if (!ok) {
        /* An error is one line that names the file. */
        if (err[0] == 'X' || strchr(err, '\n') || strstr(err, path) == NULL)
            __builtin_trap();
        return 0;
    }
    /* Loaded: every value is in range, every string terminated, the device exists. */
    check_string(cfg.path, sizeof cfg.path);
    check_string(cfg.device, sizeof cfg.device);
    check_string(cfg.theme, sizeof cfg.theme);
    if (cfg.rate < 0.1 || cfg.rate > 10000 || cfg.timeout < 0.05 || cfg.timeout > 600 ||
        cfg.retries < 0 || cfg.retries > 10 || cfg.refresh < 1 || cfg.refresh > 30 ||
        cfg.history_minutes < 1 || cfg.history_minutes > 120 || cfg.ndevices < 0 ||
        cfg.ndevices > CONFIG_MAX_DEVICES)
        __builtin_trap();
    if (cfg.device[0] && !config_find_device(&cfg, cfg.device))
        __builtin_trap();
    for (int i = 0; i < cfg.ndevices; i++) {
        const struct config_device *d = &cfg.devices[i];
        check_string(d->name, sizeof d->name);
        check_string(d->host, sizeof d->host);
        check_string(d->label, sizeof d->label);
        if (!d->name[0] || !d->host[0] || d->port < 1 || d->port > 65535 ||
            (d->rate != 0 && (d->rate < 0.1 || d->rate > 10000)) ||
            (d->timeout != 0 && (d->timeout < 0.05 || d->timeout > 600)))
            __builtin_trap();
        if (config_find_device(&cfg, d->name) == NULL)
            __builtin_trap();
    }
    return 0;
}
