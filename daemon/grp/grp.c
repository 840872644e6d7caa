/* The CPG instance, its clients and their requests; see grp.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grp/grp_int.h"
#include "grp/grp_msg.h"
#include "util/err.h"
#include "util/log.h"


int grp_new(struct order *o, const struct grp_sink *sink,
	    const struct grp_options *opts, struct grp **out, struct err *e)
{
	struct grp *c;

	*out = NULL;
	if (!o || !sink)
		return err_set(e, -EINVAL, "no ordering layer or sink");
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_set(e, -ENOMEM, "out of memory");
	c->order = o;
	c->sink = *sink;
	c->nodeid = order_nodeid(o);
	c->max_payload = opts && opts->max_payload ? opts->max_payload
						    : (1u << 20) - 1024;
	/* a message the ordering layer refuses would vanish: say so now */
	if (order_max_msg_size(o) < c->max_payload + GRP_MSG_HDR_MAX) {
		size_t want = c->max_payload;

		free(c);
		return err_set(e, -EMSGSIZE, "the ordering layer carries %zu "
			       "bytes, not a payload of %zu plus a header",
			       order_max_msg_size(o), want);
	}
	o->user.deliver = grp_on_deliver;
	o->user.membership = grp_on_membership;
	o->user.flow = grp_on_flow;
	o->user.arg = c;
	*out = c;
	return 0;
}

static void frag_reset(struct grp_client *cl)
{
	cl->frag_active = 0;
	free(cl->whole);
	cl->whole = NULL;
}

static void client_free(struct grp_client *cl)
{
	struct grp *c = cl->cpg;

	frag_reset(cl);
	grp_group_detach(cl);
	grp_iter_free_all(cl);
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		c->clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	free(cl);
}

void grp_destroy(struct grp *c)
{
	if (!c)
		return;
	memset(&c->order->user, 0, sizeof(c->order->user));
	while (c->clients)
		client_free(c->clients);
	grp_group_free_all(c);
	while (c->pend_head) {
		struct grp_pending *p = c->pend_head;

		c->pend_head = p->next;
		free(p);
	}
	free(c->ring);
	free(c->joined);
	free(c->departed);
	free(c->carried);
	free(c);
}

uint32_t grp_local_nodeid(const struct grp *c)
{
	return c->nodeid;
}

int grp_flow_blocked(const struct grp *c)
{
	return order_flow_blocked(c->order);
}

void grp_hold(struct grp *c, int on)
{
	order_hold(c->order, on);
}

int grp_client_new(struct grp *c, void *conn, uid_t uid,
		   struct grp_client **out, struct err *e)
{
	struct grp_client *cl = calloc(1, sizeof(*cl));

	*out = cl;
	if (!cl)
		return err_set(e, -ENOMEM, "no memory for a CPG client");
	cl->cpg = c;
	cl->conn = conn;
	cl->uid = uid;
	cl->next_handle = 1;
	cl->next = c->clients;
	if (c->clients)
		c->clients->prev = cl;
	c->clients = cl;
	return 0;
}

/* Encode a JOIN or LEAVE message for (pid, g) into buf. */
static int ctl_encode(uint8_t *buf, size_t cap, uint8_t type, uint32_t pid,
		      const struct grp_gname *g, uint32_t reason)
{
	struct grp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.pid = pid;
	m.group = *g;
	m.reason = reason;
	return grp_msg_encode_hdr(&m, buf, cap);
}

static int pending_add(struct grp *c, const void *msg, size_t len)
{
	struct grp_pending *p = malloc(sizeof(*p) + len);

	if (!p)
		return -ENOMEM;
	p->next = NULL;
	p->len = len;
	memcpy(p->data, msg, len);
	if (c->pend_tail)
		c->pend_tail->next = p;
	else
		c->pend_head = p;
	c->pend_tail = p;
	return 0;
}

void grp_pending_flush(struct grp *c)
{
	while (c->pend_head) {
		struct grp_pending *p = c->pend_head;
		struct iovec iov = { .iov_base = p->data, .iov_len = p->len };

		if (order_mcast(c->order, &iov, 1, ORDER_AGREED) == -EAGAIN)
			return;
		c->pend_head = p->next;
		if (!c->pend_head)
			c->pend_tail = NULL;
		free(p);
	}
}

int grp_send_ctl(struct grp *c, const void *msg, size_t len)
{
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	int rc;

	/* keep order behind anything already waiting */
	if (c->pend_head)
		return pending_add(c, msg, len);
	rc = order_mcast(c->order, &iov, 1, ORDER_AGREED);
	if (rc == -EAGAIN)
		return pending_add(c, msg, len);
	return rc;
}

void grp_send_totem_conf(struct grp *c, struct grp_client *cl)
{
	if (cl->finalized || !c->sink.totem_confchg)
		return;
	c->sink.totem_confchg(c->sink.arg, cl->conn, c->ring_rep, c->ring_seq,
			      c->ring, c->n_ring);
}

void grp_client_close(struct grp_client *cl)
{
	struct grp *c = cl->cpg;

	if (cl->state == CL_JOIN_STARTED || cl->state == CL_JOINED) {
		uint8_t buf[GRP_MSG_HDR_MAX];
		int len = ctl_encode(buf, sizeof(buf), GRP_MSG_LEAVE, cl->pid,
				     &cl->grp->name, CPG_REASON_PROCDOWN);

		if (len < 0 || grp_send_ctl(c, buf, (size_t)len) < 0)
			log_error(LOG_T_CPG, "cannot announce the end of pid %u",
				  cl->pid);
	}
	client_free(cl);
}

void grp_client_finalize(struct grp_client *cl)
{
	cl->finalized = 1;
}

int grp_join(struct grp_client *cl, const struct grp_gname *g, uint32_t pid,
	     uint32_t flags)
{
	struct grp *c = cl->cpg;
	struct grp_client *x;
	struct grp_group *grp;
	uint8_t buf[GRP_MSG_HDR_MAX];
	int len, rc;

	if (g->len > CPG_MAX_NAME_LENGTH)
		return -ENAMETOOLONG;
	if (cl->state == CL_LEAVE_STARTED)
		return -EBUSY;
	if (cl->state != CL_UNJOINED)
		return -EEXIST;
	for (x = c->clients; x; x = x->next)
		if (x->state != CL_UNJOINED && x->pid == pid &&
		    grp_gname_eq(&x->grp->name, g))
			return -EEXIST;
	grp = grp_group_find(c, g);
	if (grp && grp_group_member_find(grp, c->nodeid, pid) >= 0)
		return -EAGAIN;	/* its earlier leave is not delivered yet */
	len = ctl_encode(buf, sizeof(buf), GRP_MSG_JOIN, pid, g, 0);
	if (len < 0)
		return len;
	grp = grp_group_get(c, g);
	if (!grp)
		return -ENOMEM;
	/* a full ordering layer queues it (one per connection at most), as
	 * corosync takes a join whatever its queue holds */
	rc = grp_send_ctl(c, buf, (size_t)len);
	if (rc < 0) {
		grp_group_put(c, grp);
		return rc;
	}
	grp_group_attach(grp, cl);
	cl->state = CL_JOIN_STARTED;
	cl->pid = pid;
	cl->flags = flags;
	cl->totem_conf_sent = 0;
	frag_reset(cl);
	return 0;
}

int grp_leave(struct grp_client *cl, const struct grp_gname *g, uint32_t pid)
{
	struct grp *c = cl->cpg;
	uint8_t buf[GRP_MSG_HDR_MAX];
	int len, rc;

	(void)pid;	/* the pid given at join is the one that leaves */
	if (g->len > CPG_MAX_NAME_LENGTH)
		return -ENAMETOOLONG;
	switch (cl->state) {
	case CL_UNJOINED:
	case CL_LEAVE_STARTED:
		return -ENOENT;
	case CL_JOIN_STARTED:
		return -EBUSY;
	case CL_JOINED:
		break;
	}
	if (!grp_gname_eq(&cl->grp->name, g))
		return -ENOENT;
	len = ctl_encode(buf, sizeof(buf), GRP_MSG_LEAVE, cl->pid,
			 &cl->grp->name, CPG_REASON_LEAVE);
	if (len < 0)
		return len;
	/* queued when the ordering layer is full, as for a join */
	rc = grp_send_ctl(c, buf, (size_t)len);
	if (rc < 0)
		return rc;
	cl->state = CL_LEAVE_STARTED;
	frag_reset(cl);
	return 0;
}

static int may_send(const struct grp_client *cl)
{
	return cl->state == CL_JOIN_STARTED || cl->state == CL_JOINED;
}

static int send_data(struct grp_client *cl, struct grp_msg *m,
		     uint32_t guarantee)
{
	uint8_t buf[GRP_MSG_HDR_MAX];
	struct iovec iov[2];
	int len;

	m->pid = cl->pid;
	m->group = cl->grp->name;
	len = grp_msg_encode_hdr(m, buf, sizeof(buf));
	if (len < 0)
		return len;
	iov[0].iov_base = buf;
	iov[0].iov_len = (size_t)len;
	iov[1].iov_base = (void *)m->payload;
	iov[1].iov_len = m->payload_len;
	return order_mcast(cl->cpg->order, iov, 2,
			   guarantee == CPG_TYPE_SAFE ? ORDER_SAFE
							   : ORDER_AGREED);
}

int grp_mcast(struct grp_client *cl, uint32_t guarantee, const void *msg,
	      size_t len)
{
	struct grp_msg m;

	if (!may_send(cl))
		return -ENOENT;
	if (len > cl->cpg->max_payload)
		return -EMSGSIZE;
	memset(&m, 0, sizeof(m));
	m.type = GRP_MSG_DATA;
	m.payload = msg;
	m.payload_len = len;
	return send_data(cl, &m, guarantee);
}

static int partial_check(struct grp_client *cl, uint32_t msglen,
			 uint32_t type, size_t fraglen)
{
	if (type == CPG_FRAG_FIRST) {
		frag_reset(cl);
		cl->frag_active = 1;
		cl->frag_mark = cl->confchgs;
		cl->frag_msglen = msglen;
		cl->frag_sent = 0;
	} else if (type != CPG_FRAG_CONTINUED && type != CPG_FRAG_LAST) {
		return -EINVAL;
	} else if (!cl->frag_active) {
		return -EINVAL;
	}
	if (cl->frag_mark != cl->confchgs)
		return -EINTR;
	if (msglen != cl->frag_msglen || fraglen == 0 ||
	    fraglen > (size_t)(cl->frag_msglen - cl->frag_sent))
		return -EINVAL;
	if (fraglen > cl->cpg->max_payload)
		return -EMSGSIZE;
	if ((type == CPG_FRAG_LAST) !=
	    (cl->frag_sent + fraglen == cl->frag_msglen))
		return -EINVAL;
	return 0;
}

/* Collect the message whole if the ordering layer can carry it: it is then
 * ordered once and reaches each member's connection in one piece, so that
 * no other sender's fragments come between (a library reassembling per
 * connection needs that) and an abandoned message reaches nobody. */
static int whole_fits(const struct grp_client *cl, uint32_t msglen)
{
	return msglen <= GRP_WHOLE_MAX &&
	       (size_t)msglen + GRP_MSG_HDR_MAX <=
		       order_max_msg_size(cl->cpg->order);
}

static int partial_send(struct grp_client *cl, uint32_t guarantee,
			uint32_t msglen, uint32_t type, const void *frag,
			size_t fraglen)
{
	struct grp_msg m;

	memset(&m, 0, sizeof(m));
	if (type == CPG_FRAG_FIRST) {
		cl->frag_guarantee = guarantee;
		if (whole_fits(cl, msglen)) {
			cl->whole = malloc(msglen);
			if (!cl->whole)
				return -ENOMEM;
		}
	}
	if (cl->whole) {
		memcpy(cl->whole + cl->frag_sent, frag, fraglen);
		if (type != CPG_FRAG_LAST)
			return 0;
		m.type = GRP_MSG_DATA;
		m.payload = cl->whole;
		m.payload_len = msglen;
		return send_data(cl, &m, cl->frag_guarantee);
	}
	m.type = GRP_MSG_FRAG;
	m.msglen = msglen;
	m.frag_type = type;
	m.payload = frag;
	m.payload_len = fraglen;
	return send_data(cl, &m, guarantee);
}

int grp_partial(struct grp_client *cl, uint32_t guarantee, uint32_t msglen,
		uint32_t type, const void *frag, size_t fraglen)
{
	int rc;

	if (!may_send(cl))
		return -ENOENT;
	rc = partial_check(cl, msglen, type, fraglen);
	if (rc == 0)
		rc = partial_send(cl, guarantee, msglen, type, frag, fraglen);
	if (rc < 0) {
		/* Abandoned, the next message starts afresh; only a full
		 * ordering layer leaves room to send this fragment again
		 * (collected whole, only the last one can meet it). */
		if (rc != -EAGAIN)
			frag_reset(cl);
		return rc;
	}
	cl->frag_sent += (uint32_t)fraglen;
	if (type == CPG_FRAG_LAST)
		frag_reset(cl);
	return 0;
}
