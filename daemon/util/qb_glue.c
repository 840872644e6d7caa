/* libqb services on the default main loop.  See qb_glue.h. */
#include "config.h"

#include <poll.h>
#include <stddef.h>
#include <qb/qbloop.h>

#include "util/qb_glue.h"

/*
 * While flow control holds a service's clients back, libqb moves their
 * connections to QB_LOOP_LOW and stops reading them, but leaves their
 * notification sockets readable: polled for input, they would wake the
 * loop at once on every turn.  At QB_LOOP_LOW they are polled only for
 * hang-up (which epoll always reports) and for room to write
 * notifications; libqb restores input when it lifts flow control.
 */
static int32_t events_at(enum qb_loop_priority p, int32_t events)
{
	return p == QB_LOOP_LOW ? events & ~POLLIN : events;
}

static int32_t glue_job_add(enum qb_loop_priority p, void *data,
			    qb_loop_job_dispatch_fn fn)
{
	return qb_loop_job_add(NULL, p, data, fn);
}

static int32_t glue_dispatch_add(enum qb_loop_priority p, int32_t fd,
				 int32_t events, void *data,
				 qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_add(NULL, p, fd, events_at(p, events), data, fn);
}

static int32_t glue_dispatch_mod(enum qb_loop_priority p, int32_t fd,
				 int32_t events, void *data,
				 qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_mod(NULL, p, fd, events_at(p, events), data, fn);
}

static int32_t glue_dispatch_del(int32_t fd)
{
	return qb_loop_poll_del(NULL, fd);
}

void qb_glue_attach(qb_ipcs_service_t *svc)
{
	struct qb_ipcs_poll_handlers ph = {
		.job_add = glue_job_add,
		.dispatch_add = glue_dispatch_add,
		.dispatch_mod = glue_dispatch_mod,
		.dispatch_del = glue_dispatch_del,
	};

	/* libqb copies the handlers */
	qb_ipcs_poll_handlers_set(svc, &ph);
}
