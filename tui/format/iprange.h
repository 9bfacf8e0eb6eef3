/* An IPv4 address range as people write it for a scan: a CIDR block (192.168.1.0/24),
 * FIRST-LAST (192.168.1.10-192.168.1.40, or 192.168.1.10-40 with the last octet only) or
 * one address. Parsing and counting only, nothing printed, nothing connected. */
#ifndef RCT_IPRANGE_H
#define RCT_IPRANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Addresses in host byte order, first <= last, both included. */
struct iprange {
    uint32_t first, last;
    int prefix;          /* the CIDR prefix length, -1 for FIRST-LAST or one address */
};

/* False with *why set (a short phrase) when text is none of the three forms: octets are
 * 0..255 in plain decimal without leading zeros, a prefix is 0..32, FIRST <= LAST. A CIDR
 * block whose address has host bits set is refused (192.168.1.7/24: which was meant?). */
bool iprange_parse(const char *text, struct iprange *out, const char **why);

/* How many addresses the range holds (2^32 for 0.0.0.0/0, hence 64 bits). */
uint64_t iprange_size(const struct iprange *range);

/* The addresses a scan tries: a block of /30 or wider leaves out its network and
 * broadcast address (no host answers there); FIRST-LAST and /31, /32 are taken whole. */
uint64_t iprange_hosts(const struct iprange *range, uint32_t *first, uint32_t *last);

/* Dotted quad of a host-order address; buf needs 16 bytes. */
const char *iprange_format(uint32_t address, char *buf, size_t cap);

#endif
