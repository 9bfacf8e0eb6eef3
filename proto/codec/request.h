/* The read-only request builders: the only public way to make a frame. They can build
 * READ, PLANT_READ, and WRITE of a 4-byte timestamp to a history OID; nothing else. */
#ifndef RCT_REQUEST_H
#define RCT_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#define RCT_REQUEST_MAX 32

struct rct_request {
    uint8_t bytes[RCT_REQUEST_MAX];
    size_t len;
    uint32_t oid;
};

enum rct_request_error {
    RCT_REQUEST_OK = 0,
    RCT_REQUEST_NOT_HISTORY,  /* history query refused: OID is not a timeseries/event table */
};
const char *rct_request_strerror(enum rct_request_error error);

void rct_request_read(uint32_t oid, struct rct_request *out);
void rct_request_plant_read(uint32_t address, uint32_t oid, struct rct_request *out);
/* Asks a logger timeseries or the event table for entries before unix_ts. */
enum rct_request_error rct_request_history(uint32_t oid, uint32_t unix_ts,
                                           struct rct_request *out);

#endif
