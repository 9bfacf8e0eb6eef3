/* The plant role: see plant.h. */
#include "proto/core/plant.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* The offsets of the record's fields (PROTOCOL.md, plants). */
enum { SD_ID = 0, SD_NAME = 4, SD_AC = 28, SD_BATTERY = 32, SD_SOC = 36, SD_FAULT = 40,
       SD_EQUIP = 42, SD_STATE = 43, SD_EXTERNAL = 44, SD_SOFTWARE = 48, SD_SERIAL = 64,
       SD_COMPLETE = 80, SD_BMS = 84 };

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float le_float(const uint8_t *p)
{
    uint32_t bits = le32(p);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le_float(uint8_t *p, float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    put_le32(p, bits);
}

/* A fixed field to a C string: up to its first NUL, never past the field. */
static void copy_text(char *dst, const uint8_t *field, size_t width)
{
    size_t n = 0;
    while (n < width && field[n])
        n++;
    memcpy(dst, field, n);
    dst[n] = '\0';
}

bool plant_slave_data_decode(const uint8_t *p, size_t n, struct plant_slave_data *out)
{
    if (!p || n != PLANT_SLAVE_DATA_SIZE)
        return false;
    struct plant_slave_data d;
    d.network_id = le32(p + SD_ID);
    copy_text(d.name, p + SD_NAME, sizeof d.name - 1);
    d.ac_power_w = le_float(p + SD_AC);
    d.battery_power_w = le_float(p + SD_BATTERY);
    d.soc = le_float(p + SD_SOC);
    d.fault_index = (uint16_t)(p[SD_FAULT] | p[SD_FAULT + 1] << 8);
    d.equipment = p[SD_EQUIP];
    d.state = p[SD_STATE];
    d.external_power_w = le_float(p + SD_EXTERNAL);
    copy_text(d.software_version, p + SD_SOFTWARE, sizeof d.software_version - 1);
    copy_text(d.serial, p + SD_SERIAL, sizeof d.serial - 1);
    d.completeness = le32(p + SD_COMPLETE);
    d.bms_software_version = le32(p + SD_BMS);
    *out = d;
    return true;
}

void plant_slave_data_encode(const struct plant_slave_data *in, uint8_t out[PLANT_SLAVE_DATA_SIZE])
{
    memset(out, 0, PLANT_SLAVE_DATA_SIZE);
    put_le32(out + SD_ID, in->network_id);
    memcpy(out + SD_NAME, in->name, strnlen(in->name, sizeof in->name - 1));
    put_le_float(out + SD_AC, in->ac_power_w);
    put_le_float(out + SD_BATTERY, in->battery_power_w);
    put_le_float(out + SD_SOC, in->soc);
    out[SD_FAULT] = (uint8_t)in->fault_index;
    out[SD_FAULT + 1] = (uint8_t)(in->fault_index >> 8);
    out[SD_EQUIP] = in->equipment;
    out[SD_STATE] = in->state;
    put_le_float(out + SD_EXTERNAL, in->external_power_w);
    memcpy(out + SD_SOFTWARE, in->software_version,
           strnlen(in->software_version, sizeof in->software_version - 1));
    memcpy(out + SD_SERIAL, in->serial, strnlen(in->serial, sizeof in->serial - 1));
    put_le32(out + SD_COMPLETE, in->completeness);
    put_le32(out + SD_BMS, in->bms_software_version);
}
