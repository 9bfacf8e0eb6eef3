/* A small RFC 4180 CSV reader for test data tables (tests/data/): quoted fields,
 * doubled quotes, commas and newlines inside quotes. Header-only, tests only. */
#ifndef RCT_TEST_CSV_READER_H
#define RCT_TEST_CSV_READER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_FIELDS 16
#define CSV_MAX_FIELD 4096

struct csv_row {
    int nfields;
    char field[CSV_MAX_FIELDS][CSV_MAX_FIELD];
};

/* Reads one record; returns 0 at EOF, 1 otherwise. */
static inline int csv_read_row(FILE *f, struct csv_row *row)
{
    int c, nf = 0;
    size_t len = 0;
    int quoted = 0, any = 0;
    row->nfields = 0;
    row->field[0][0] = '\0';
    while ((c = fgetc(f)) != EOF) {
        any = 1;
        if (quoted) {
            if (c == '"') {
                int d = fgetc(f);
                if (d == '"') {
                    if (len + 1 < CSV_MAX_FIELD) row->field[nf][len++] = '"';
                } else {
                    quoted = 0;
                    if (d != EOF) ungetc(d, f);
                }
            } else if (len + 1 < CSV_MAX_FIELD) {
                row->field[nf][len++] = (char)c;
            }
            continue;
        }
        if (c == '"') {
            quoted = 1;
        } else if (c == ',') {
            row->field[nf][len] = '\0';
            if (nf + 1 < CSV_MAX_FIELDS) nf++;
            len = 0;
            row->field[nf][0] = '\0';
        } else if (c == '\n') {
            break;
        } else if (c != '\r' && len + 1 < CSV_MAX_FIELD) {
            row->field[nf][len++] = (char)c;
        }
    }
    if (!any)
        return 0;
    row->field[nf][len] = '\0';
    row->nfields = nf + 1;
    return 1;
}

/* Column index by header name, or -1. */
static inline int csv_column(const struct csv_row *header, const char *name)
{
    for (int i = 0; i < header->nfields; i++)
        if (strcmp(header->field[i], name) == 0)
            return i;
    return -1;
}

/* Hex text (no separators) to bytes; returns the byte count or -1. */
static inline long csv_hex_to_bytes(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    return (long)(n / 2);
}

#endif
