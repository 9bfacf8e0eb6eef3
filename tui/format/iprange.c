/* IPv4 ranges for `rcttop scan`: see iprange.h. */
#include "tui/format/iprange.h"

#include <stdio.h>
#include <string.h>

/* A decimal number of at most `digits` digits, no sign, no leading zero; returns the
 * character after it, NULL when there is none. */
static const char *decimal(const char *p, int digits, unsigned *out)
{
    unsigned v = 0;
    int n = 0;
    while (p[n] >= '0' && p[n] <= '9') {
        if (n == digits)
            return NULL;
        v = v * 10 + (unsigned)(p[n] - '0');
        n++;
    }
    if (n == 0 || (n > 1 && p[0] == '0'))
        return NULL;
    *out = v;
    return p + n;
}

/* A dotted quad at p; returns the character after it, NULL when p holds none. */
static const char *address(const char *p, uint32_t *out)
{
    uint32_t a = 0;
    for (int i = 0; i < 4; i++) {
        unsigned octet;
        if (i && *p++ != '.')
            return NULL;
        p = decimal(p, 3, &octet);
        if (!p || octet > 255)
            return NULL;
        a = a << 8 | octet;
    }
    *out = a;
    return p;
}

static bool refuse(const char **why, const char *text)
{
    *why = text;
    return false;
}

bool iprange_parse(const char *text, struct iprange *out, const char **why)
{
    uint32_t first;
    const char *p = address(text, &first);
    if (!p)
        return refuse(why, "is not an IPv4 address, CIDR block or FIRST-LAST range");
    out->first = out->last = first;
    out->prefix = -1;
    if (*p == '\0')
        return true;
    if (*p == '/') {
        unsigned prefix;
        const char *end = decimal(p + 1, 2, &prefix);
        if (!end || *end || prefix > 32)
            return refuse(why, "has a prefix length that is not 0..32");
        uint32_t host_bits = prefix == 32 ? 0 : prefix == 0 ? UINT32_MAX : (UINT32_MAX >> prefix);
        if (first & host_bits)
            return refuse(why, "has host bits set (write the block's first address)");
        out->prefix = (int)prefix;
        out->last = first | host_bits;
        return true;
    }
    if (*p != '-')
        return refuse(why, "is not an IPv4 address, CIDR block or FIRST-LAST range");
    uint32_t last;
    const char *end = address(p + 1, &last);
    if (!end) {
        /* 192.168.1.10-40: the last octet only, the first three as FIRST's. */
        unsigned octet;
        end = decimal(p + 1, 3, &octet);
        if (!end || octet > 255)
            return refuse(why, "does not end in an address or a last octet 0..255");
        last = (first & 0xFFFFFF00u) | octet;
    }
    if (*end)
        return refuse(why, "has something after the range's last address");
    if (last < first)
        return refuse(why, "ends before it starts");
    out->last = last;
    return true;
}

uint64_t iprange_size(const struct iprange *range)
{
    return (uint64_t)range->last - range->first + 1;
}

uint64_t iprange_hosts(const struct iprange *range, uint32_t *first, uint32_t *last)
{
    *first = range->first;
    *last = range->last;
    if (range->prefix >= 0 && range->prefix <= 30) {
        (*first)++;
        (*last)--;
    }
    return (uint64_t)*last - *first + 1;
}

const char *iprange_format(uint32_t a, char *buf, size_t cap)
{
    snprintf(buf, cap, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255u, (a >> 8) & 255u, a & 255u);
    return buf;
}
