/* The read-only request builders. They wrap the private encoder with the only three
 * shapes of frame rcttop may ever send; every other command is unreachable from here. */
#include "proto/codec/request.h"

#include "proto/codec/frame.h"
#include "proto/codec/frame_private.h"
#include "proto/codec/registry.h"

const char *rct_request_strerror(enum rct_request_error error)
{
    switch (error) {
    case RCT_REQUEST_OK: return "ok";
    case RCT_REQUEST_NOT_HISTORY:
        return "refused: history queries go only to timeseries or event-table OIDs";
    }
    return "unknown error";
}

void rct_request_read(uint32_t oid, struct rct_request *out)
{
    out->oid = oid;
    out->len = rct_frame_encode(RCT_CMD_READ, 0, oid, NULL, 0, out->bytes, sizeof out->bytes);
}

void rct_request_plant_read(uint32_t address, uint32_t oid, struct rct_request *out)
{
    out->oid = oid;
    out->len = rct_frame_encode(RCT_CMD_PLANT_READ, address, oid, NULL, 0,
                                out->bytes, sizeof out->bytes);
}

enum rct_request_error rct_request_history(uint32_t oid, uint32_t unix_ts,
                                           struct rct_request *out)
{
    out->oid = oid;
    out->len = 0;
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    if (!info || !rct_registry_is_history(info))
        return RCT_REQUEST_NOT_HISTORY;
    uint8_t payload[4] = {(uint8_t)(unix_ts >> 24), (uint8_t)(unix_ts >> 16),
                          (uint8_t)(unix_ts >> 8), (uint8_t)unix_ts};
    out->len = rct_frame_encode(RCT_CMD_WRITE, 0, oid, payload, sizeof payload,
                                out->bytes, sizeof out->bytes);
    return RCT_REQUEST_OK;
}
