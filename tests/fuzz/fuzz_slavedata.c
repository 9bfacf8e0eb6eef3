/* libFuzzer target: any bytes through the net.slave_data decoder. It accepts exactly one
 * record's size; what it accepts encodes back and decodes to the same record, with every
 * text inside its field. */
#include <stdint.h>
#include <string.h>

#include "proto/core/plant.h"

static bool same_float(float a, float b)
{
    return memcmp(&a, &b, sizeof a) == 0;  /* NaN payloads too */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct plant_slave_data d, again;
    bool ok = plant_slave_data_decode(data, size, &d);
    if (ok != (size == PLANT_SLAVE_DATA_SIZE))
        __builtin_trap();
    if (!ok)
        return 0;
    if (strlen(d.name) > 24 || strlen(d.software_version) > 16 || strlen(d.serial) > 16)
        __builtin_trap();
    uint8_t bytes[PLANT_SLAVE_DATA_SIZE];
    plant_slave_data_encode(&d, bytes);
    if (!plant_slave_data_decode(bytes, sizeof bytes, &again))
        __builtin_trap();
    if (d.network_id != again.network_id || strcmp(d.name, again.name) ||
        !same_float(d.ac_power_w, again.ac_power_w) ||
        !same_float(d.battery_power_w, again.battery_power_w) || !same_float(d.soc, again.soc) ||
        d.fault_index != again.fault_index || d.equipment != again.equipment ||
        d.state != again.state || !same_float(d.external_power_w, again.external_power_w) ||
        strcmp(d.software_version, again.software_version) || strcmp(d.serial, again.serial) ||
        d.completeness != again.completeness || d.bms_software_version != again.bms_software_version)
        __builtin_trap();
    return 0;
}
