/* Read-only by construction: every public frame builder, driven with every registry OID,
 * random OIDs, addresses and timestamps, yields only READ, PLANT_READ and history
 * queries; and no program source outside the codec can reach the generic encoder. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "proto/codec/request.h"

struct one {
    int n;
    struct rct_frame f;
};

static void keep(const struct rct_frame *f, void *ctx)
{
    struct one *o = ctx;
    o->n++;
    o->f = *f;
}

static struct rct_decoder dec;

static struct one decode_request(const struct rct_request *req)
{
    struct one o = {0};
    rct_decoder_init(&dec);
    rct_decoder_feed(&dec, req->bytes, req->len, keep, &o);
    return o;
}

/* Checks one built request against the read-only rules; returns its command. */
static uint8_t assert_allowed(const struct rct_request *req, uint32_t oid)
{
    cr_assert_gt(req->len, 0u);
    struct one o = decode_request(req);
    cr_assert_eq(o.n, 1, "a request is exactly one frame");
    cr_assert_eq(o.f.error, RCT_FRAME_OK);
    cr_assert_eq(o.f.oid, oid);
    switch (o.f.command) {
    case RCT_CMD_READ:
    case RCT_CMD_PLANT_READ:
        cr_assert_eq(o.f.payload_len, 0, "reads carry no payload");
        break;
    case RCT_CMD_WRITE: {
        const struct rct_oid_info *info = rct_registry_by_id(oid);
        cr_assert_not_null(info, "a WRITE only to a known OID");
        cr_assert(rct_registry_is_history(info), "a WRITE only to a history OID: %s",
                  info->name);
        cr_assert_eq(o.f.payload_len, 4, "a history query carries exactly a timestamp");
        break;
    }
    default:
        cr_assert_fail("command 0x%02x must never be built", o.f.command);
    }
    return o.f.command;
}

static const uint32_t timestamps[] = {0, 1, 0x2b2b2b2b, 0x2d2d2d2d, 1700000000, 0xffffffff};

Test(readonly, builders_make_only_reads_and_history_queries_for_every_registry_oid)
{
    int writes = 0, refused = 0;
    for (size_t i = 0; i < rct_registry_count(); i++) {
        const struct rct_oid_info *info = rct_registry_at(i);
        struct rct_request req;
        rct_request_read(info->oid, &req);
        cr_assert_eq(assert_allowed(&req, info->oid), RCT_CMD_READ);
        rct_request_plant_read(0x2b2d0001, info->oid, &req);
        cr_assert_eq(assert_allowed(&req, info->oid), RCT_CMD_PLANT_READ);
        for (size_t t = 0; t < sizeof timestamps / sizeof timestamps[0]; t++) {
            enum rct_request_error e = rct_request_history(info->oid, timestamps[t], &req);
            if (rct_registry_is_history(info)) {
                cr_assert_eq(e, RCT_REQUEST_OK);
                cr_assert_eq(assert_allowed(&req, info->oid), RCT_CMD_WRITE);
                struct one o = decode_request(&req);
                uint32_t ts = (uint32_t)o.f.payload[0] << 24 | (uint32_t)o.f.payload[1] << 16 |
                              (uint32_t)o.f.payload[2] << 8 | o.f.payload[3];
                cr_assert_eq(ts, timestamps[t]);
                writes++;
            } else {
                cr_assert_eq(e, RCT_REQUEST_NOT_HISTORY, "%s", info->name);
                cr_assert_eq(req.len, 0u, "a refused query leaves nothing to send");
                refused++;
            }
        }
    }
    cr_assert_gt(writes, 0);
    cr_assert_gt(refused, 0);
}

Test(readonly, builders_refuse_history_queries_for_oids_outside_the_registry)
{
    srand(99);
    for (int i = 0; i < 20000; i++) {
        uint32_t oid = (uint32_t)rand() << 16 ^ (uint32_t)rand();
        struct rct_request req;
        rct_request_read(oid, &req);
        assert_allowed(&req, oid);
        rct_request_plant_read((uint32_t)rand(), oid, &req);
        assert_allowed(&req, oid);
        if (!rct_registry_by_id(oid)) {
            cr_assert_eq(rct_request_history(oid, (uint32_t)rand(), &req),
                         RCT_REQUEST_NOT_HISTORY);
            cr_assert_eq(req.len, 0u);
        }
    }
}

/* Only the request builders and the simulator (the device's side) may include the
 * generic encoder. Scans every program source below proto/, tui/ and widgets/, in every
 * room (rel is the path from the top of the tree). */
static bool may_encode(const char *rel)
{
    return strcmp(rel, "proto/codec/request.c") == 0 || strcmp(rel, "proto/codec/frame.c") == 0 ||
           strcmp(rel, "proto/codec/frame_private.h") == 0 || strncmp(rel, "proto/sim/", 10) == 0;
}

static int scan_dir(const char *top, const char *rel, char *offenders, size_t cap)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", top, rel);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "cannot list %s", path);
    int scanned = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[1024];
        snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", top, sub);
        DIR *inner = opendir(file);
        if (inner) {
            closedir(inner);
            scanned += scan_dir(top, sub, offenders, cap);
            continue;
        }
        size_t n = strlen(e->d_name);
        if (n < 3 || (strcmp(e->d_name + n - 2, ".c") != 0 && strcmp(e->d_name + n - 2, ".h") != 0))
            continue;
        FILE *f = fopen(file, "r");
        cr_assert_not_null(f);
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            if ((strstr(line, "frame_private.h") || strstr(line, "rct_frame_encode")) &&
                !may_encode(sub)) {
                strncat(offenders, sub, cap - strlen(offenders) - 1);
                strncat(offenders, " ", cap - strlen(offenders) - 1);
                break;
            }
        }
        fclose(f);
        scanned++;
    }
    closedir(d);
    return scanned;
}

Test(readonly, no_program_source_but_the_builders_and_simulator_reaches_the_encoder)
{
    char offenders[4096] = "";
    int scanned = 0;
    scanned += scan_dir(RCT_SOURCE_DIR, "proto", offenders, sizeof offenders);
    scanned += scan_dir(RCT_SOURCE_DIR, "tui", offenders, sizeof offenders);
    scanned += scan_dir(RCT_SOURCE_DIR, "widgets", offenders, sizeof offenders);
    cr_assert_gt(scanned, 100, "only %d sources found below proto/, tui/ and widgets/", scanned);
    cr_assert_str_eq(offenders, "", "sources reaching the generic encoder: %s", offenders);
}
