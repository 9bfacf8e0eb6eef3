#include "proto/core/version.h"

#include <stdio.h>

/* Generated at every build by assets/version.cmake: "" outside a git checkout. */
extern const char rct_git_revision[];

const char *rct_version(void)
{
    static char text[96];
    if (!rct_git_revision[0])
        return RCTTOP_VERSION;
    if (!text[0])
        snprintf(text, sizeof text, "%s (git %s)", RCTTOP_VERSION, rct_git_revision);
    return text;
}
