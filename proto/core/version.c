#include "proto/core/version.h"

#include "rct_version.h"  /* generated at every build by assets/version.cmake */

const char *rct_version(void)
{
    return RCTTOP_REVISION[0] ? RCTTOP_VERSION " (git " RCTTOP_REVISION ")" : RCTTOP_VERSION;
}
