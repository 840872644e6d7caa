/* One-node sequencer: a FIFO drained from the main loop.  See order_local.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "order/order_local.h"
#include "util/err.h"
#include "util/log.h"
#include "util/ring_seq.h"

struct ol_msg {
	struct ol_msg *next;
	size_t len;
	uint8_t data[];
};

struct order_local {
	struct order base;		/* first: order.h's promise */
	qb_loop_t *loop;
	uint32_t nodeid;
	uint64_t ring_seq;
	struct order_local_limits lim;
	struct ol_msg *head, *tail;
	size_t n_msgs, n_bytes;
	int efd;			/* readable while there is work */
	int armed;
	int conf_pending;		/* the first REGULAR not reported yet */
	int blocked;			/* flow state last reported */
	int want_blocked;		/* the backlog is over its high mark */
	int held;			/* order_hold(): a client is behind */
};

static const struct order_local_limits default_limits = {
	.high_msgs = 2048, .low_msgs = 512, .max_msgs = 1 << 20,
	.high_bytes = 32u << 20, .low_bytes = 8u << 20,
	.max_bytes = 1024u << 20,
	.max_msg_size = 32u << 20,
	.batch = 256,
};

static struct order_local *ol_of(struct order *o)
{
	return (struct order_local *)o;
}

static const struct order_local *ol_of_c(const struct order *o)
{
	return (const struct order_local *)o;
}

/*
 * Work is signalled through an eventfd the loop polls: it stays readable
 * until the queue is empty, so the loop keeps coming back between its other
 * sources.  (A libqb job or timer added from inside a dispatch is not
 * always seen before the loop goes to sleep.)
 */
static void ol_schedule(struct order_local *ol)
{
	uint64_t one = 1;

	if (ol->armed)
		return;
	if (write(ol->efd, &one, sizeof(one)) == (ssize_t)sizeof(one))
		ol->armed = 1;
	else
		log_error_errno(LOG_T_ORDER, errno, "cannot signal the delivery");
}

static void ol_disarm(struct order_local *ol)
{
	uint64_t v;

	if (read(ol->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_error_errno(LOG_T_ORDER, errno, "cannot clear the delivery signal");
	ol->armed = 0;
}

static int ol_over_high(const struct order_local *ol)
{
	return ol->n_msgs >= ol->lim.high_msgs ||
	       ol->n_bytes >= ol->lim.high_bytes;
}

static int ol_under_low(const struct order_local *ol)
{
	return ol->n_msgs <= ol->lim.low_msgs &&
	       ol->n_bytes <= ol->lim.low_bytes;
}

static int ol_mcast(struct order *o, const struct iovec *iov,
		    unsigned int iovcnt, enum order_guarantee g)
{
	struct order_local *ol = ol_of(o);
	struct ol_msg *m;
	size_t len = 0, off = 0;
	unsigned int i;

	(void)g;	/* one node: every message is safe once queued */
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > ol->lim.max_msg_size - len)
			return -EMSGSIZE;
		len += iov[i].iov_len;
	}
	if (ol->n_msgs >= ol->lim.max_msgs ||
	    len > ol->lim.max_bytes - ol->n_bytes)
		return -EAGAIN;
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len)
			memcpy(m->data + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	m->len = len;
	m->next = NULL;
	if (ol->tail)
		ol->tail->next = m;
	else
		ol->head = m;
	ol->tail = m;
	ol->n_msgs++;
	ol->n_bytes += len;
	if (ol_over_high(ol))
		ol->want_blocked = 1;
	ol_schedule(ol);
	return 0;
}

static void ol_report_conf(struct order_local *ol)
{
	const uint32_t me = ol->nodeid;
	struct order_membership m = {
		.type = ORDER_CONF_REGULAR,
		.ring = { .rep = ol->nodeid, .seq = ol->ring_seq },
		.members = &me, .n_members = 1,
		.left = NULL, .n_left = 0,
		.joined = &me, .n_joined = 1,
	};

	ol->conf_pending = 0;
	order_report_membership(&ol->base, &m);
}

/* The flow state to report: backlog over its mark, or a hold. */
static int ol_want(const struct order_local *ol)
{
	return ol->want_blocked || ol->held;
}

static void ol_report_flow(struct order_local *ol)
{
	if (ol_want(ol) == ol->blocked)
		return;
	ol->blocked = ol_want(ol);
	log_debug(LOG_T_ORDER, "flow control %s (%zu messages, %zu bytes "
		  "queued%s)", ol->blocked ? "on" : "off", ol->n_msgs,
		  ol->n_bytes, ol->held ? ", a client is behind" : "");
	if (ol->base.user.flow)
		ol->base.user.flow(ol->base.user.arg, ol->blocked);
}

static int32_t ol_dispatch(int32_t fd, int32_t revents, void *data)
{
	struct order_local *ol = data;
	unsigned int n = 0;

	(void)fd;
	(void)revents;
	if (ol->conf_pending)
		ol_report_conf(ol);
	ol_report_flow(ol);
	while (ol->head && n < ol->lim.batch) {
		struct ol_msg *m = ol->head;

		ol->head = m->next;
		if (!ol->head)
			ol->tail = NULL;
		ol->n_msgs--;
		ol->n_bytes -= m->len;
		if (ol->base.user.deliver)
			ol->base.user.deliver(ol->base.user.arg, ol->nodeid,
					      m->data, m->len);
		free(m);
		n++;
	}
	if (ol->want_blocked && ol_under_low(ol))
		ol->want_blocked = 0;
	ol_report_flow(ol);
	if (!ol->head && ol_want(ol) == ol->blocked)
		ol_disarm(ol);
	return 0;
}

static uint32_t ol_nodeid(const struct order *o)
{
	return ol_of_c(o)->nodeid;
}

static size_t ol_max_msg_size(const struct order *o)
{
	return ol_of_c(o)->lim.max_msg_size;
}

static int ol_flow_blocked(const struct order *o)
{
	const struct order_local *ol = ol_of_c(o);

	return ol_want(ol) || ol->blocked;
}

/* One node: holding is reporting flow(1) to our own user. */
static void ol_hold(struct order *o, int on)
{
	struct order_local *ol = ol_of(o);

	ol->held = on ? 1 : 0;
	if (ol_want(ol) != ol->blocked)
		ol_schedule(ol);
}

static void ol_destroy(struct order *o)
{
	struct order_local *ol = ol_of(o);

	qb_loop_poll_del(ol->loop, ol->efd);
	close(ol->efd);
	while (ol->head) {
		struct ol_msg *m = ol->head;

		ol->head = m->next;
		free(m);
	}
	free(ol);
}

static const struct order_ops ol_ops = {
	.mcast = ol_mcast,
	.nodeid = ol_nodeid,
	.max_msg_size = ol_max_msg_size,
	.flow_blocked = ol_flow_blocked,
	.hold = ol_hold,
	.destroy = ol_destroy,
};

/* The last ring sequence plus one, recorded before it is used. */
static uint64_t ol_next_seq(const char *state_dir)
{
	uint64_t seq = 0;
	int rc;

	if (!state_dir)
		return 1;
	rc = ring_seq_load(state_dir, &seq);
	if (rc < 0)
		log_warning_errno(LOG_T_ORDER, rc, "cannot read the ring sequence in %s",
				  state_dir);
	seq += 1;
	rc = ring_seq_store(state_dir, seq);
	if (rc < 0)
		log_warning_errno(LOG_T_ORDER, rc, "cannot record the ring sequence in %s",
				  state_dir);
	return seq;
}

int order_local_new(qb_loop_t *loop, uint32_t nodeid, const char *state_dir,
		    const struct order_local_limits *limits,
		    struct order **out, struct err *e)
{
	struct order_local *ol;
	int rc;

	*out = NULL;
	if (nodeid == 0)
		return err_set(e, -EINVAL, "node id 0");
	ol = calloc(1, sizeof(*ol));
	if (!ol)
		return err_set(e, -ENOMEM, "out of memory");
	ol->base.ops = &ol_ops;
	ol->loop = loop;
	ol->nodeid = nodeid;
	ol->lim = limits ? *limits : default_limits;
	ol->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ol->efd < 0) {
		rc = -errno;
		free(ol);
		return err_set(e, rc, "eventfd: %s", strerror(-rc));
	}
	/* the clients' requests' priority: a leave is ordered before the
	 * join that follows it is read */
	rc = qb_loop_poll_add(loop, QB_LOOP_HIGH, ol->efd, POLLIN, ol,
			      ol_dispatch);
	if (rc < 0) {
		close(ol->efd);
		free(ol);
		return err_set(e, rc, "cannot watch the delivery signal");
	}
	ol->ring_seq = ol_next_seq(state_dir);
	ol->conf_pending = 1;
	ol_schedule(ol);
	*out = &ol->base;
	return 0;
}
