/* What people type as arguments and configuration values: host[:port] and listen
 * addresses, and plain decimal numbers. Parsing only, nothing printed. */
#ifndef RCT_ARGS_H
#define RCT_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "HOST", "HOST:PORT", a bare IPv6 address or "[IPv6]:PORT"; the port stays as given
 * when absent and must be 1..65535 in digits. On failure *why says what is wrong. */
bool args_parse_host_port(const char *text, char *host, size_t host_cap, uint16_t *port,
                          const char **why);
/* The same for an address to listen on, where port 0 means "any free port". */
bool args_parse_listen_address(const char *text, char *host, size_t host_cap, uint16_t *port,
                               const char **why);
/* host:port as a person writes it back: [IPv6]:PORT for IPv6. */
const char *args_format_host_port(const char *host, uint16_t port, char *buf, size_t cap);
/* A plain decimal number: [-]digits[.digits] (integer: digits only), nothing else that
 * strtod takes (hex, exponents, '+', spaces, inf, nan). */
bool args_decimal(const char *text, bool integer, double *out);

#endif
