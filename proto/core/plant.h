/* The device's place in a plant of several inverters, as it says itself:
 * wifi.sockb_protocol (0 standalone, 1 master, 2 slave) and, for a slave, its master's
 * address (wifi.sockb_ip). Another value is shown raw, never guessed. */
#ifndef RCT_PLANT_H
#define RCT_PLANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/store.h"

enum plant_role { PLANT_NOT_READ = -1, PLANT_STANDALONE = 0, PLANT_MASTER = 1, PLANT_SLAVE = 2,
                  PLANT_OTHER = 3 };

enum plant_role plant_role(const struct store *store, int *raw);
/* "standalone", "master", "slave of 192.168.1.60" (or "slave" while its master's address
 * is not read), "role 7 (raw, not documented)"; "" while not read. */
const char *plant_role_text(const struct store *store, char *buf, size_t cap);

/* One record of the master's net.slave_data (0xC0A7074F), as one peer decodes it on
 * firmware 2.3.5687: 108 bytes, every number little-endian, unlike the rest of the
 * protocol. Texts are NUL-terminated copies of the fixed fields, not yet sanitised.
 * How a master reports several slaves through the one OID is not known; rcttop's
 * simulator sends one record after another. Equipment bits and the fault index are
 * shown raw: their meaning is not documented. */
#define PLANT_SLAVE_DATA_SIZE 108
#define PLANT_SLAVE_EQUIP_PV 0x01       /* the simulator's convention, not the vendor's */
#define PLANT_SLAVE_EQUIP_BATTERY 0x02
struct plant_slave_data {
    uint32_t network_id;
    char name[25];
    float ac_power_w, battery_power_w, soc;   /* soc as a ratio 0..1 */
    uint16_t fault_index;
    uint8_t equipment, state;
    float external_power_w;
    char software_version[17];
    char serial[17];
    uint32_t completeness, bms_software_version;
};
/* False (and *out untouched) unless n is exactly one record's size. */
bool plant_slave_data_decode(const uint8_t *p, size_t n, struct plant_slave_data *out);
/* The record's 108 bytes (reserved ones zero); texts longer than their field are cut. */
void plant_slave_data_encode(const struct plant_slave_data *in, uint8_t out[PLANT_SLAVE_DATA_SIZE]);

#endif
