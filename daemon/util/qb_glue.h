/*
 * libqb IPC services on the daemon's main loop.  libqb's poll callbacks
 * carry no loop, so they go to libqb's default loop: the first one the
 * process creates, which must be the daemon's.
 */
#ifndef CPGD_UTIL_QB_GLUE_H
#define CPGD_UTIL_QB_GLUE_H

#include <qb/qbipcs.h>

/* Give a service to the default loop: qb_ipcs_poll_handlers_set() with
 * handlers that add, change and remove its fds and jobs there.  A
 * connection that libqb's flow control parks at QB_LOOP_LOW is not polled
 * for input (it would wake the loop on every turn). */
void qb_glue_attach(qb_ipcs_service_t *svc);

#endif
