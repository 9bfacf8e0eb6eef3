/* The engine under `rcttop scan`: every address of a range tried on one event loop, a
 * bounded number at a time, each through its own session (the read-only request
 * builders, the link's timeouts): does it accept TCP, does it answer RCT frames, and
 * what are its serial, model and plant role. Nothing but reads is ever sent. */
#ifndef RCT_SCAN_PROBE_H
#define RCT_SCAN_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/plant.h"

enum scan_outcome {
    SCAN_CLOSED = 0,      /* refused, unreachable or no answer to the connect */
    SCAN_OPEN_NOT_RCT,    /* accepted TCP, then no RCT answer (or it hung up) */
    SCAN_UNIT,            /* answered RCT frames */
};

struct scan_result {
    uint32_t address;               /* host byte order */
    enum scan_outcome outcome;
    char serial[64], model[64];     /* inverter_sn, android_description ("" unread) */
    enum plant_role role;           /* wifi.sockb_protocol */
    int role_raw;                   /* its value, -1 unread */
    char role_text[96];             /* plant_role_text: "slave of 192.168.1.60" */
    char master_ip[48];             /* wifi.sockb_ip ("" unread or empty) */
    long master_port;               /* a slave's wifi.sockb_port, else -1 */
    char detail[160];               /* why it is not a unit, or what went unread */
    double seconds;                 /* from the connect to the verdict */
    bool decided;                   /* false only for an address a signal cut short */
};

struct scan_options {
    uint32_t first, last;           /* host order, both tried */
    uint16_t port;
    int concurrency;                /* addresses tried at once */
    double timeout_s;               /* the connect, and each answer */
    int retries;                    /* further attempts per request */
    double rate;                    /* requests per second to one unit */
    /* Called after each verdict (NULL: none): done of total, units among them. */
    void (*progress)(void *ctx, size_t done, size_t total, size_t units);
    void *progress_ctx;
};

/* The OIDs read from each unit, in the order asked. */
extern const char *const scan_identity_oids[];
extern const size_t scan_identity_count;

/* Tries every address; *results (caller frees) holds one verdict per address in address
 * order, *n of them (fewer after a signal: the ones reached). Returns 0, or 128 + the
 * signal (SIGINT, SIGTERM, SIGHUP) that stopped it; -1 with err filled when it could not
 * start (out of memory). */
int scan_run(const struct scan_options *opts, struct scan_result **results, size_t *n, char *err,
             size_t cap);

#endif
