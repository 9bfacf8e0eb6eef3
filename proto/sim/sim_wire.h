/* The simulator's wire words: big-endian 32-bit words and the bits of a float, as the
 * device's payloads carry them, for its values (sim_values.c) and logs (sim_history.c). */
#ifndef RCT_SIM_WIRE_H
#define RCT_SIM_WIRE_H

#include <stdint.h>

/* Writes v at p, most significant byte first. */
void put_be32(uint8_t *p, uint32_t v);
/* The IEEE 754 bits of f, to be written as a word. */
uint32_t float_bits(float f);

#endif
