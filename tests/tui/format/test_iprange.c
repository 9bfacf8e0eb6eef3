/* Scan ranges: CIDR blocks of every prefix length, FIRST-LAST in both spellings, one
 * address, their sizes and host counts, and the input that must be refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tui/format/iprange.h"

static struct iprange parsed(const char *text)
{
    struct iprange r;
    const char *why = NULL;
    cr_assert(iprange_parse(text, &r, &why), "'%s' refused: %s", text, why ? why : "?");
    return r;
}

static const char *refused(const char *text)
{
    struct iprange r;
    const char *why = NULL;
    cr_assert_not(iprange_parse(text, &r, &why), "'%s' accepted", text);
    cr_assert_not_null(why);
    cr_assert_gt(strlen(why), 0);
    return why;
}

static void expect_range(const char *text, const char *first, const char *last)
{
    struct iprange r = parsed(text);
    char a[16], b[16];
    cr_expect_str_eq(iprange_format(r.first, a, sizeof a), first, "%s first", text);
    cr_expect_str_eq(iprange_format(r.last, b, sizeof b), last, "%s last", text);
}

Test(iprange, every_prefix_length_has_its_size)
{
    for (int prefix = 0; prefix <= 32; prefix++) {
        char text[32];
        snprintf(text, sizeof text, "0.0.0.0/%d", prefix);
        struct iprange r = parsed(text);
        cr_expect_eq(r.prefix, prefix);
        cr_expect_eq(iprange_size(&r), (uint64_t)1 << (32 - prefix), "/%d", prefix);
        cr_expect_eq(r.first, 0u);
        cr_expect_eq(r.last, (uint32_t)(((uint64_t)1 << (32 - prefix)) - 1), "/%d", prefix);
    }
}

Test(iprange, blocks_span_their_addresses)
{
    expect_range("127.0.0.0/29", "127.0.0.0", "127.0.0.7");
    expect_range("192.168.1.0/24", "192.168.1.0", "192.168.1.255");
    expect_range("10.0.0.0/8", "10.0.0.0", "10.255.255.255");
    expect_range("127.0.0.5/32", "127.0.0.5", "127.0.0.5");
    expect_range("0.0.0.0/0", "0.0.0.0", "255.255.255.255");
    cr_expect_eq(iprange_size(&(struct iprange){0}), 1u);
    struct iprange r = parsed("172.16.0.0/22");
    cr_expect_eq(iprange_size(&r), 1024u);
}

Test(iprange, hosts_leave_out_network_and_broadcast_of_wide_blocks)
{
    uint32_t first, last;
    char a[16], b[16];
    struct iprange r = parsed("192.168.1.0/24");
    cr_expect_eq(iprange_hosts(&r, &first, &last), 254u);
    cr_expect_str_eq(iprange_format(first, a, sizeof a), "192.168.1.1");
    cr_expect_str_eq(iprange_format(last, b, sizeof b), "192.168.1.254");
    r = parsed("127.0.0.0/30");
    cr_expect_eq(iprange_hosts(&r, &first, &last), 2u);
    r = parsed("127.0.0.0/31");  /* point to point: both are hosts (RFC 3021) */
    cr_expect_eq(iprange_hosts(&r, &first, &last), 2u);
    r = parsed("127.0.0.9/32");
    cr_expect_eq(iprange_hosts(&r, &first, &last), 1u);
    cr_expect_eq(first, last);
    r = parsed("127.0.0.0-127.0.0.255");  /* a range is taken as written */
    cr_expect_eq(iprange_hosts(&r, &first, &last), 256u);
}

Test(iprange, first_last_in_both_spellings)
{
    expect_range("127.0.0.1-127.0.0.8", "127.0.0.1", "127.0.0.8");
    expect_range("127.0.0.1-8", "127.0.0.1", "127.0.0.8");
    expect_range("10.0.0.250-10.0.1.5", "10.0.0.250", "10.0.1.5");
    expect_range("10.0.0.7-10.0.0.7", "10.0.0.7", "10.0.0.7");
    struct iprange r = parsed("10.0.0.250-10.0.1.5");
    cr_expect_eq(iprange_size(&r), 12u);
    cr_expect_eq(r.prefix, -1);
    r = parsed("0.0.0.0-255.255.255.255");
    cr_expect_eq(iprange_size(&r), (uint64_t)1 << 32);
}

Test(iprange, one_address)
{
    struct iprange r = parsed("127.0.0.3");
    cr_expect_eq(iprange_size(&r), 1u);
    cr_expect_eq(r.first, 0x7F000003u);
    cr_expect_eq(r.prefix, -1);
    expect_range("255.255.255.255", "255.255.255.255", "255.255.255.255");
}

Test(iprange, malformed_input_is_refused)
{
    const char *bad[] = {"", "localhost", "127.0.0", "127.0.0.1.2", "127.0.0.256", "127.0.0.-1",
                         "127.0.00.1", "127.0.0.01", "0127.0.0.1", " 127.0.0.1", "127.0.0.1 ",
                         "127..0.1", "127.0.0.1/", "127.0.0.0/33", "127.0.0.0/-1", "127.0.0.0/024",
                         "127.0.0.0/8x", "127.0.0.1-", "127.0.0.1-256", "127.0.0.1-127.0.0.1.1",
                         "127.0.0.1--8", "127.0.0.1-8-9", "127.0.0.1,127.0.0.2", "::1",
                         "127.0.0.1/24-30", "1234.0.0.1", "0x7f.0.0.1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(bad[i]);
}

Test(iprange, reasons_name_the_fault)
{
    cr_expect(strstr(refused("127.0.0.0/33"), "prefix"));
    cr_expect(strstr(refused("127.0.0.9-3"), "ends before"));
    cr_expect(strstr(refused("127.0.0.9-127.0.0.3"), "ends before"));
    cr_expect(strstr(refused("192.168.1.7/24"), "host bits"));
    cr_expect(strstr(refused("router"), "IPv4"));
}

Test(iprange, format_round_trips)
{
    const char *texts[] = {"0.0.0.0", "1.2.3.4", "127.0.0.1", "255.255.255.255", "10.200.30.4"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char buf[16];
        struct iprange r = parsed(texts[i]);
        cr_expect_str_eq(iprange_format(r.first, buf, sizeof buf), texts[i]);
    }
}
