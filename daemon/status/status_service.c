/* The libqb IPC service "cpgd-status"; see status.h and status_proto.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <qb/qbipcs.h>
#include <qb/qbloop.h>

#include "status/status.h"
#include "util/err.h"
#include "util/log.h"
#include "util/qb_glue.h"

struct status_service {
	struct status_sources src;
	qb_ipcs_service_t *svc;
};

static int32_t on_accept(qb_ipcs_connection_t *c, uid_t uid, gid_t gid)
{
	/* Group names and pids of every node are for the administrator. */
	if (uid != 0) {
		log_notice(LOG_T_IPC, "status: refused a client with uid %u",
			   (unsigned)uid);
		return -EACCES;
	}
	qb_ipcs_connection_auth_set(c, uid, gid, 0600);
	return 0;
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void reply(qb_ipcs_connection_t *c, int32_t error, const char *json,
		  size_t len)
{
	struct qb_ipc_response_header h;
	struct iovec iov[2];
	ssize_t rc;

	memset(&h, 0, sizeof(h));
	h.id = STATUS_REQ_GET;
	h.size = (int32_t)(sizeof(h) + len);
	h.error = error;
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)json;
	iov[1].iov_len = len;
	rc = qb_ipcs_response_sendv(c, iov, len ? 2 : 1);
	if (rc < 0)
		log_notice_errno(LOG_T_IPC, (int)rc, "status: cannot reply");
}

/* The largest JSON text that fits this connection's response buffer. */
static size_t reply_room(qb_ipcs_connection_t *c)
{
	int32_t buf = qb_ipcs_connection_get_buffer_size(c);
	size_t room;

	if (buf <= (int32_t)sizeof(struct qb_ipc_response_header))
		return 0;
	room = (size_t)buf - sizeof(struct qb_ipc_response_header);
	return room < STATUS_REPLY_MAX ? room : STATUS_REPLY_MAX;
}

static int32_t on_msg(qb_ipcs_connection_t *c, void *data, size_t size)
{
	struct status_service *s = qb_ipcs_connection_service_context_get(c);
	struct qb_ipc_request_header h;
	char *text = NULL;
	size_t len = 0;
	uint32_t mask = 0;
	int rc;

	if (!s || size < sizeof(h)) {
		reply(c, -EINVAL, NULL, 0);
		return 0;
	}
	memcpy(&h, data, sizeof(h));
	if (h.size < (int32_t)sizeof(h) || (size_t)h.size != size) {
		reply(c, -EINVAL, NULL, 0);
		return 0;
	}
	if (h.id != STATUS_REQ_GET) {
		reply(c, -ENOSYS, NULL, 0);
		return 0;
	}
	/* the only payload is the optional u32 section mask */
	if (size != sizeof(h) && size != sizeof(h) + 4) {
		reply(c, -EINVAL, NULL, 0);
		return 0;
	}
	if (size == sizeof(h) + 4)
		mask = get_le32((const unsigned char *)data + sizeof(h));
	if (mask & ~(STATUS_SECT_ALL | STATUS_SECT_EVS)) {
		reply(c, -EINVAL, NULL, 0);
		return 0;
	}
	rc = status_build(&s->src, mask, reply_room(c), &text, &len);
	if (rc < 0) {
		log_notice_errno(LOG_T_IPC, rc, "status: cannot build a reply");
		reply(c, rc, NULL, 0);
	} else {
		reply(c, 0, text, len);
	}
	free(text);
	return 0;
}

int status_new(const struct status_sources *src, struct status_service **out,
	       struct err *e)
{
	struct status_service *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return err_set(e, -ENOMEM, "out of memory");
	s->src = *src;
	*out = s;
	return 0;
}

int status_start(struct status_service *s)
{
	struct qb_ipcs_service_handlers h = {
		.connection_accept = on_accept,
		.msg_process = on_msg,
	};
	int rc;

	if (s->svc)
		return -EALREADY;
	s->svc = qb_ipcs_create(STATUS_SERVICE_NAME, 0, QB_IPC_SHM, &h);
	if (!s->svc)
		return errno ? -errno : -ENOMEM;
	qb_glue_attach(s->svc);
	qb_ipcs_service_context_set(s->svc, s);
	rc = qb_ipcs_run(s->svc);
	if (rc < 0) {
		qb_ipcs_destroy(s->svc);
		s->svc = NULL;
		return rc;
	}
	return 0;
}

void status_destroy(struct status_service *s)
{
	if (!s)
		return;
	if (s->svc)
		qb_ipcs_destroy(s->svc);
	free(s);
}
