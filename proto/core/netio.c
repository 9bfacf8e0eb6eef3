/* Direct sends beside a bufferevent. Order is kept: bytes go straight to the socket only
 * while nothing is queued before them. */
#include "proto/core/netio.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <sys/socket.h>
#include <sys/types.h>

void rct_send_now(struct bufferevent *bev, const void *data, size_t len)
{
    const char *p = data;
    evutil_socket_t fd = bufferevent_getfd(bev);
    if (fd >= 0 && evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
        ssize_t n = send(fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        }
    }
    /* The rest (or all, on a pair or a full socket) the usual way; an error shows there. */
    if (len)
        bufferevent_write(bev, p, len);
}
