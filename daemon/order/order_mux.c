/* Several services on one ordering layer; see order_mux.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order/order_mux.h"
#include "util/err.h"
#include "util/log.h"

#define N_SERVICES (ORDER_MUX_LAST - ORDER_MUX_FIRST + 1)

struct mux_sub {
	struct order o;			/* first: what the service sees */
	struct order_mux *mux;
	uint8_t tag;
	int hold;			/* this service asks for a hold */
};

struct order_mux {
	struct order *base;
	struct mux_sub subs[N_SERVICES];
	uint64_t dropped;
};

static struct mux_sub *sub_of(const struct order *o)
{
	return (struct mux_sub *)o;
}

static int sub_mcast(struct order *o, const struct iovec *iov,
		     unsigned int iovcnt, enum order_guarantee g)
{
	struct mux_sub *s = sub_of(o);
	struct iovec few[8], *all = few;
	int rc;

	if (iovcnt + 1u > sizeof(few) / sizeof(few[0])) {
		all = malloc((iovcnt + 1u) * sizeof(*all));
		if (!all)
			return -ENOMEM;
	}
	all[0].iov_base = &s->tag;
	all[0].iov_len = ORDER_MUX_TAG_LEN;
	if (iovcnt)
		memcpy(all + 1, iov, iovcnt * sizeof(*iov));
	rc = order_mcast(s->mux->base, all, iovcnt + 1u, g);
	if (all != few)
		free(all);
	return rc;
}

static uint32_t sub_nodeid(const struct order *o)
{
	return order_nodeid(sub_of(o)->mux->base);
}

static size_t sub_max_msg_size(const struct order *o)
{
	size_t max = order_max_msg_size(sub_of(o)->mux->base);

	return max > ORDER_MUX_TAG_LEN ? max - ORDER_MUX_TAG_LEN : 0;
}

static int sub_flow_blocked(const struct order *o)
{
	return order_flow_blocked(sub_of(o)->mux->base);
}

/* The base holds the cluster while any service asks it to. */
static void sub_hold(struct order *o, int on)
{
	struct mux_sub *s = sub_of(o);
	int any = 0;

	s->hold = on ? 1 : 0;
	for (int i = 0; i < N_SERVICES; i++)
		any |= s->mux->subs[i].hold;
	order_hold(s->mux->base, any);
}

static void sub_destroy(struct order *o)
{
	(void)o;	/* owned by the multiplexer */
}

static const struct order_ops sub_ops = {
	.mcast = sub_mcast,
	.nodeid = sub_nodeid,
	.max_msg_size = sub_max_msg_size,
	.flow_blocked = sub_flow_blocked,
	.hold = sub_hold,
	.destroy = sub_destroy,
};

/* The configuration trace (subsystem "order" at level trace), between
 * the services' delivery traces, so that the one order of all services
 * can be seen from outside: the cluster tests make histories of it. */
static void trace_membership(const struct order_membership *mb)
{
	char list[12 * 64] = "-";
	size_t off = 0;

	for (size_t i = 0; i < mb->n_members && off + 12 < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%u",
					i ? "," : "", (unsigned)mb->members[i]);
	log_at_(LOG_TRACE, LOG_T_ORDER, "mux conf %s ring %u:%llu members %s",
		mb->type == ORDER_CONF_REGULAR ? "reg" : "trans",
		(unsigned)mb->ring.rep, (unsigned long long)mb->ring.seq, list);
}

static void mux_deliver(void *arg, uint32_t sender, const void *msg,
			size_t len)
{
	struct order_mux *m = arg;
	const uint8_t *p = msg;
	struct order_user *u;

	if (len < ORDER_MUX_TAG_LEN || p[0] < ORDER_MUX_FIRST ||
	    p[0] > ORDER_MUX_LAST) {
		m->dropped++;
		log_warning(LOG_T_ORDER, "message of node %u for no known "
			    "service dropped", (unsigned)sender);
		return;
	}
	u = &m->subs[p[0] - ORDER_MUX_FIRST].o.user;
	if (u->deliver)
		u->deliver(u->arg, sender, p + ORDER_MUX_TAG_LEN,
			   len - ORDER_MUX_TAG_LEN);
}

static void mux_membership(void *arg, const struct order_membership *mb)
{
	struct order_mux *m = arg;

	if (log_trace_on(LOG_T_ORDER))
		trace_membership(mb);
	for (int i = 0; i < N_SERVICES; i++) {
		struct order_user *u = &m->subs[i].o.user;

		if (u->membership)
			u->membership(u->arg, mb);
	}
}

static void mux_flow(void *arg, int blocked)
{
	struct order_mux *m = arg;

	for (int i = 0; i < N_SERVICES; i++) {
		struct order_user *u = &m->subs[i].o.user;

		if (u->flow)
			u->flow(u->arg, blocked);
	}
}

int order_mux_new(struct order *base, struct order_mux **out, struct err *e)
{
	struct order_mux *m;

	*out = NULL;
	if (!base)
		return err_set(e, -EINVAL, "no ordering layer");
	m = calloc(1, sizeof(*m));
	if (!m)
		return err_set(e, -ENOMEM, "out of memory");
	m->base = base;
	for (int i = 0; i < N_SERVICES; i++) {
		m->subs[i].o.ops = &sub_ops;
		m->subs[i].mux = m;
		m->subs[i].tag = (uint8_t)(ORDER_MUX_FIRST + i);
	}
	base->user.deliver = mux_deliver;
	base->user.membership = mux_membership;
	base->user.flow = mux_flow;
	base->user.arg = m;
	*out = m;
	return 0;
}

struct order *order_mux_service(struct order_mux *m, unsigned service)
{
	if (service < ORDER_MUX_FIRST || service > ORDER_MUX_LAST)
		return NULL;
	return &m->subs[service - ORDER_MUX_FIRST].o;
}

uint64_t order_mux_dropped(const struct order_mux *m)
{
	return m->dropped;
}

void order_mux_destroy(struct order_mux *m)
{
	if (!m)
		return;
	memset(&m->base->user, 0, sizeof(m->base->user));
	free(m);
}
