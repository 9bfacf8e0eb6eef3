/* The simulator's wire words, in a file of their own so that its values and logs, which
 * the server calls, need nothing from the server (sim_wire.h). */
#include <string.h>

#include "proto/sim/sim_wire.h"

void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}
