/* CRC-16/CCITT-FALSE as used by RCT Power devices, including their odd-length quirk.
 * Slice-by-4 tables: the decoder runs it over every frame of large captures. */
#include "proto/codec/crc.h"

/* crc_tables[k][i]: the CRC contribution of byte i followed by k zero bytes. */
static uint16_t crc_tables[4][256];
static int crc_tables_ready;

static void crc_build_tables(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t crc = (uint16_t)(i << 8);
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        crc_tables[0][i] = crc;
    }
    for (int k = 1; k < 4; k++)
        for (unsigned i = 0; i < 256; i++) {
            uint16_t prev = crc_tables[k - 1][i];
            crc_tables[k][i] = (uint16_t)((prev << 8) ^ crc_tables[0][prev >> 8]);
        }
    crc_tables_ready = 1;
}

static uint16_t crc_byte(uint16_t crc, uint8_t byte)
{
    return (uint16_t)((crc << 8) ^ crc_tables[0][((crc >> 8) ^ byte) & 0xFF]);
}

uint16_t rct_crc16(const uint8_t *data, size_t len)
{
    /* The tables are a pure function of constants; a racing first call writes the same
     * values, so no lock is needed. */
    if (!crc_tables_ready)
        crc_build_tables();
    uint16_t crc = 0xFFFF;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        uint16_t x = (uint16_t)(crc ^ (data[i] << 8 | data[i + 1]));
        crc = (uint16_t)(crc_tables[3][x >> 8] ^ crc_tables[2][x & 0xFF] ^
                         crc_tables[1][data[i + 2]] ^ crc_tables[0][data[i + 3]]);
    }
    for (; i < len; i++)
        crc = crc_byte(crc, data[i]);
    if (len & 1u)
        crc = crc_byte(crc, 0);
    return crc;
}
