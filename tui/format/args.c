/* What people type as arguments and configuration values: host[:port] and listen
 * addresses (IPv4, names, IPv6 with brackets), and plain decimal numbers. */
#include "tui/format/args.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits only, no sign, no spaces: what a person means by a port. */
static bool parse_port(const char *text, bool zero_ok, uint16_t *port)
{
    if (!*text || strlen(text) > 5 || strspn(text, "0123456789") != strlen(text))
        return false;
    long p = strtol(text, NULL, 10);
    if (p < (zero_ok ? 0 : 1) || p > 65535)
        return false;
    *port = (uint16_t)p;
    return true;
}

static bool valid_host_name(const char *name)
{
    /* Letters, digits, '-', '_' and '.': what DNS names and IPv4 addresses are made of. */
    if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
        strlen(name))
        return false;
    if (strspn(name, "0123456789.") == strlen(name)) {
        struct in_addr a;
        return inet_pton(AF_INET, name, &a) == 1;
    }
    return true;
}

static bool parse_address(const char *text, char *host, size_t host_cap, uint16_t *port,
                          bool zero_ok, const char **why)
{
    const char *start = text, *end, *port_text = NULL;
    bool v6 = false;
    *why = "wants HOST, HOST:PORT, IPv6 or [IPv6]:PORT";
    if (strstr(text, "://")) {
        /* A URL from a browser's address bar: the device speaks its own protocol on 8899. */
        *why = "is a URL: give the address alone, e.g. --host 192.168.1.50 (the device "
               "is read on TCP port 8899, not over HTTP)";
        return false;
    }
    if (text[0] == '[') {
        end = strchr(text, ']');
        if (!end)
            return false;
        start = text + 1;
        v6 = true;
        if (end[1] == ':')
            port_text = end + 2;
        else if (end[1] != '\0')
            return false;
    } else {
        const char *colon = strchr(text, ':');
        if (colon && strchr(colon + 1, ':')) {
            v6 = true;  /* a bare IPv6 address: no port without brackets */
            end = text + strlen(text);
        } else {
            end = colon ? colon : text + strlen(text);
            port_text = colon ? colon + 1 : NULL;
        }
    }
    size_t n = (size_t)(end - start);
    if (n == 0) {
        *why = "has no host name";
        return false;
    }
    if (n >= host_cap) {
        *why = "is too long for a host name";
        return false;
    }
    char name[256];
    if (n >= sizeof name)
        return false;
    memcpy(name, start, n);
    name[n] = '\0';
    if (v6) {
        struct in6_addr a;
        if (inet_pton(AF_INET6, name, &a) != 1) {
            *why = "is not an IPv6 address (write IPv6 with a port as [ADDRESS]:PORT)";
            return false;
        }
    } else if (!valid_host_name(name)) {
        *why = strspn(name, "0123456789.") == strlen(name)
                   ? "is not an IPv4 address"
                   : "is not a host name (letters, digits, '-', '.')";
        return false;
    }
    uint16_t p = *port;
    if (port_text && !parse_port(port_text, zero_ok, &p)) {
        *why = zero_ok ? "has a port that is not a whole number from 0 to 65535"
                       : "has a port that is not a whole number from 1 to 65535";
        return false;
    }
    memcpy(host, name, n + 1);
    *port = p;
    return true;
}

bool args_parse_host_port(const char *text, char *host, size_t host_cap, uint16_t *port,
                         const char **why)
{
    return parse_address(text, host, host_cap, port, false, why);
}

bool args_parse_listen_address(const char *text, char *host, size_t host_cap, uint16_t *port,
                              const char **why)
{
    return parse_address(text, host, host_cap, port, true, why);
}

const char *args_format_host_port(const char *host, uint16_t port, char *buf, size_t cap)
{
    snprintf(buf, cap, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
    return buf;
}

/* [-]digits[.digits], or [-].digits: a plain decimal number, nothing strtod also takes
 * (hex, exponents, inf, nan, spaces, '+'). */
static bool plain_decimal(const char *text, bool integer)
{
    const char *p = text;
    if (*p == '-')
        p++;
    size_t whole = strspn(p, "0123456789");
    p += whole;
    if (*p == '.' && !integer) {
        size_t frac = strspn(p + 1, "0123456789");
        if (frac == 0)
            return false;
        p += 1 + frac;
    } else if (whole == 0) {
        return false;
    }
    return *p == '\0';
}

bool args_decimal(const char *text, bool integer, double *out)
{
    if (!plain_decimal(text, integer))
        return false;
    *out = strtod(text, NULL);
    return true;
}
