/* Sending without waiting for the event loop's next turn: on a socket whose queue is
 * empty the bytes go out at once (one wake-up less per request and per answer, most of
 * a loopback round trip); anything else is queued on the bufferevent as usual. */
#ifndef RCT_NETIO_H
#define RCT_NETIO_H

#include <stddef.h>

struct bufferevent;

void rct_send_now(struct bufferevent *bev, const void *data, size_t len);

#endif
