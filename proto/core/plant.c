/* The plant role: see plant.h. */
#include "proto/core/plant.h"

#include <math.h>
#include <stdio.h>

enum plant_role plant_role(const struct store *store, int *raw)
{
    const struct rct_oid_info *info = rct_registry_by_name("wifi.sockb_protocol");
    double v;
    *raw = -1;
    if (!info || !store_number(store, info->oid, &v) || !isfinite(v))
        return PLANT_NOT_READ;
    *raw = (int)v;
    return v == 0 ? PLANT_STANDALONE : v == 1 ? PLANT_MASTER : v == 2 ? PLANT_SLAVE : PLANT_OTHER;
}

const char *plant_role_text(const struct store *store, char *buf, size_t cap)
{
    int raw;
    static struct rct_value v;
    const struct rct_oid_info *ip = rct_registry_by_name("wifi.sockb_ip");
    switch (plant_role(store, &raw)) {
    case PLANT_NOT_READ: snprintf(buf, cap, "%s", ""); break;
    case PLANT_STANDALONE: snprintf(buf, cap, "standalone"); break;
    case PLANT_MASTER: snprintf(buf, cap, "master"); break;
    case PLANT_SLAVE:
        if (ip && store_value(store, ip->oid, &v) && v.type == RCT_TYPE_STRING && v.u.s.text[0]) {
            char clean[48];  /* a device's string is not trusted on a terminal */
            snprintf(buf, cap, "slave of %s", rct_sanitize(v.u.s.text, v.u.s.len, clean, sizeof clean));
        } else {
            snprintf(buf, cap, "slave");
        }
        break;
    default: snprintf(buf, cap, "role %d (raw, not documented)", raw); break;
    }
    return buf;
}
