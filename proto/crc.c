/* CRC-16/CCITT-FALSE as used by RCT Power devices, including their odd-length quirk.
 * Table-driven: the decoder runs it over every frame of large captures. */
#include "proto/crc.h"

static uint16_t crc_table[256];
static int crc_table_ready;

static void crc_build_table(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t crc = (uint16_t)(i << 8);
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        crc_table[i] = crc;
    }
    crc_table_ready = 1;
}

uint16_t rct_crc16(const uint8_t *data, size_t len)
{
    /* The table is a pure function of constants; a racing first call writes the same
     * values, so no lock is needed. */
    if (!crc_table_ready)
        crc_build_table();
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < len; i++)
        crc = (uint16_t)((crc << 8) ^ crc_table[((crc >> 8) ^ data[i]) & 0xFF]);
    if (len & 1u)
        crc = (uint16_t)((crc << 8) ^ crc_table[(crc >> 8) & 0xFF]);
    return crc;
}
