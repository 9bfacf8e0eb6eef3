/* net.slave_data records: 108 bytes, little-endian, decoded only at their exact size. */
#include <criterion/criterion.h>
#include <string.h>

#include "proto/core/plant.h"

/* A record written byte by byte as PROTOCOL.md lays it out. */
static void handmade(uint8_t r[PLANT_SLAVE_DATA_SIZE])
{
    memset(r, 0, PLANT_SLAVE_DATA_SIZE);
    r[0] = 0x02; r[1] = 0x01;                      /* network id 0x0102 */
    memcpy(r + 4, "PS AC 6.0", 9);
    r[28] = 0x00; r[29] = 0x00; r[30] = 0xfa; r[31] = 0x44;   /* 2000.0f */
    r[32] = 0x00; r[33] = 0x00; r[34] = 0x48; r[35] = 0xc3;   /* -200.0f */
    r[36] = 0x00; r[37] = 0x00; r[38] = 0x00; r[39] = 0x3f;   /* 0.5f */
    r[40] = 0x11; r[41] = 0x00;                    /* fault index 17 */
    r[42] = 0x02;
    r[43] = 13;
    memcpy(r + 48, "RCT-W 3.5.5689", 14);
    memcpy(r + 64, "0718264689", 10);
    r[80] = 1;
    r[84] = 0x5b; r[85] = 0x0c;                    /* 3163 */
}

Test(plant_slave_data, decodes_every_field_little_endian)
{
    uint8_t r[PLANT_SLAVE_DATA_SIZE];
    handmade(r);
    struct plant_slave_data d;
    cr_assert(plant_slave_data_decode(r, sizeof r, &d));
    cr_assert_eq(d.network_id, 0x0102u);
    cr_assert_str_eq(d.name, "PS AC 6.0");
    cr_assert_float_eq(d.ac_power_w, 2000.0f, 1e-3);
    cr_assert_float_eq(d.battery_power_w, -200.0f, 1e-3);
    cr_assert_float_eq(d.soc, 0.5f, 1e-6);
    cr_assert_eq(d.fault_index, 17);
    cr_assert_eq(d.equipment, 2);
    cr_assert_eq(d.state, 13);
    cr_assert_str_eq(d.software_version, "RCT-W 3.5.5689");
    cr_assert_str_eq(d.serial, "0718264689");
    cr_assert_eq(d.completeness, 1u);
    cr_assert_eq(d.bms_software_version, 3163u);
}

Test(plant_slave_data, refuses_any_other_length_and_leaves_the_output_alone)
{
    uint8_t r[PLANT_SLAVE_DATA_SIZE + 1];
    handmade(r);
    struct plant_slave_data d = {.network_id = 77};
    cr_assert_not(plant_slave_data_decode(r, PLANT_SLAVE_DATA_SIZE - 1, &d));
    cr_assert_not(plant_slave_data_decode(r, PLANT_SLAVE_DATA_SIZE + 1, &d));
    cr_assert_not(plant_slave_data_decode(r, 0, &d));
    cr_assert_not(plant_slave_data_decode(NULL, PLANT_SLAVE_DATA_SIZE, &d));
    cr_assert_not(plant_slave_data_decode(r, 2 * PLANT_SLAVE_DATA_SIZE, &d), "two records are not one");
    cr_assert_eq(d.network_id, 77u);
}

Test(plant_slave_data, texts_filling_their_field_stop_at_its_end)
{
    uint8_t r[PLANT_SLAVE_DATA_SIZE];
    memset(r, 'A', sizeof r);  /* no NUL anywhere */
    struct plant_slave_data d;
    cr_assert(plant_slave_data_decode(r, sizeof r, &d));
    cr_assert_eq(strlen(d.name), 24);
    cr_assert_eq(strlen(d.software_version), 16);
    cr_assert_eq(strlen(d.serial), 16);
}

Test(plant_slave_data, encoding_and_decoding_round_trip)
{
    uint8_t r[PLANT_SLAVE_DATA_SIZE], again[PLANT_SLAVE_DATA_SIZE];
    handmade(r);
    struct plant_slave_data d;
    cr_assert(plant_slave_data_decode(r, sizeof r, &d));
    plant_slave_data_encode(&d, again);
    cr_assert_arr_eq(r, again, sizeof r);
}
