/* `rcttop scan --format ini`: the units found as configuration sections, [device:NAME]
 * for each (named after its serial) and [plant:NAME] for a master with its slaves, in the
 * syntax tui/config loads, so the output can be the configuration file itself. */
#ifndef RCT_SCAN_INI_H
#define RCT_SCAN_INI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tui/commands/scan_probe.h"

void scan_ini_write(const struct scan_result *results, size_t n, uint16_t port, const char *range,
                    FILE *out);

#endif
