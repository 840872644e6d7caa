/* The ordering layer's upcalls: routing delivered messages to the local
 * clients of their groups, and configurations to every client. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "evs/evs_int.h"
#include "evs/evs_msg.h"
#include "util/log.h"

void evs_on_deliver(void *arg, uint32_t sender, const void *msg, size_t len)
{
	struct evs *e = arg;
	struct evs_client *cl;
	struct evs_msg m;
	char head[24];

	if (evs_msg_decode(msg, len, &m) < 0) {
		log_warning(LOG_T_EVS, "malformed message of node %u dropped",
			    (unsigned)sender);
		return;
	}
	/* the delivery trace; see order/order_mux.h */
	if (log_trace_on(LOG_T_EVS))
		log_at_(LOG_TRACE, LOG_T_EVS, "deliver evs node %u pid %u "
			"frag %u len %zu head %s", (unsigned)sender,
			(unsigned)m.pid, (unsigned)m.frag, m.len,
			log_head(head, sizeof(head), m.payload, m.len));
	for (cl = e->clients; cl; cl = cl->next) {
		if (cl->finalized || !e->sink.deliver ||
		    !evs_gset_matches(&cl->groups, m.groups, m.n_groups))
			continue;
		e->sink.deliver(e->sink.arg, cl->conn, sender, m.pid,
				m.msglen, m.frag, m.payload, m.len);
	}
}

static void tell(struct evs *e, struct evs_client *cl,
		 const struct evs_conf *c)
{
	if (!cl->finalized && cl->conn && e->sink.confchg)
		e->sink.confchg(e->sink.arg, cl->conn, c);
}

void evs_send_current(struct evs *e, struct evs_client *cl)
{
	if (e->have_conf)
		tell(e, cl, &e->cur);
}

void evs_on_membership(void *arg, const struct order_membership *m)
{
	struct evs *e = arg;
	struct evs_client *cl;
	struct evs_conf c;
	uint32_t *members;

	if (m->type != ORDER_CONF_REGULAR)
		return;
	members = malloc((m->n_members ? m->n_members : 1) * sizeof(*members));
	if (!members) {
		log_error(LOG_T_EVS, "no memory for a configuration");
		return;
	}
	if (m->n_members)
		memcpy(members, m->members, m->n_members * sizeof(*members));
	free(e->members);
	e->members = members;
	e->cur.ring_rep = m->ring.rep;
	e->cur.ring_seq = m->ring.seq;
	e->cur.members = members;
	e->cur.n_members = m->n_members;
	e->have_conf = 1;
	/* the clients are told who left and joined as well */
	c = e->cur;
	c.left = m->left;
	c.n_left = m->n_left;
	c.joined = m->joined;
	c.n_joined = m->n_joined;
	for (cl = e->clients; cl; cl = cl->next)
		tell(e, cl, &c);
}

void evs_on_flow(void *arg, int blocked)
{
	struct evs *e = arg;

	if (e->sink.flow)
		e->sink.flow(e->sink.arg, blocked);
}
