/* The device's place in a plant of several inverters, as it says itself:
 * wifi.sockb_protocol (0 standalone, 1 master, 2 slave) and, for a slave, its master's
 * address (wifi.sockb_ip). Another value is shown raw, never guessed. */
#ifndef RCT_PLANT_H
#define RCT_PLANT_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/core/store.h"

enum plant_role { PLANT_NOT_READ = -1, PLANT_STANDALONE = 0, PLANT_MASTER = 1, PLANT_SLAVE = 2,
                  PLANT_OTHER = 3 };

enum plant_role plant_role(const struct store *store, int *raw);
/* "standalone", "master", "slave of 192.168.1.60" (or "slave" while its master's address
 * is not read), "role 7 (raw, not documented)"; "" while not read. */
const char *plant_role_text(const struct store *store, char *buf, size_t cap);

#endif
