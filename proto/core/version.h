/* The program's version as every output names it: the release, and the git revision
 * when it was built from a git checkout, so a report says exactly which build wrote it. */
#ifndef RCT_VERSION_H
#define RCT_VERSION_H

/* "0.1.0 (git 1a2b3c4d5e6f)", "0.1.0 (git 1a2b3c4d5e6f-dirty)" or, outside git, "0.1.0". */
const char *rct_version(void);

#endif
