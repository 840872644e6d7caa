/*
 * Acting on what the ordering layer delivers: joins, leaves, data and
 * configuration changes, in agreed order.  See grp.h and grp_msg.h.
 *
 * Ring changes.  A TRANSITIONAL configuration removes the members of the
 * nodes that are gone, one NODEDOWN confchg per group.  A REGULAR one
 * (which does the same, in case no transitional came first) records the
 * ring, sends every connection a totem confchg, and, when nodes new to
 * this one joined, multicasts a SYNC listing every member this node knows
 * of: its own and those of the nodes that moved with it into the ring.  A
 * SYNC from a node in the `joined` list of the last REGULAR configuration
 * adds, with NODEUP, the members it lists on nodes that are new to us; any
 * other entry tells nothing new.  Every node that moved with a joined node
 * speaks for it, so a node listed in the ring that never installs it (it
 * failed during the change, and so sends nothing there) is not learnt by
 * some nodes and kept by others: its members are learnt from the first
 * SYNC of its partition, at the same point of the agreed order everywhere.
 * Since a node's SYNC is its first message after the change (it is sent
 * from the REGULAR upcall), the ordering layer's FIFO per sender puts it
 * before that node's data in the new ring, provided the node multicasts
 * nothing between forming the ring and delivering REGULAR to this layer.
 *
 * Messages a node queued before the ring changed are ordered before its
 * SYNC, though, and a SYNC lists members as they were at the change: a
 * LEAVE among those messages is applied by its partition after the SYNC was
 * made.  So the leaves of joined nodes' members are recorded until the
 * next REGULAR configuration, and a SYNC does not bring those back (a
 * member that joins again sends a JOIN, which is applied as usual).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grp/grp_int.h"
#include "grp/grp_msg.h"
#include "util/log.h"

static void on_join(struct grp *c, uint32_t nodeid, uint32_t pid,
		    const struct grp_gname *g, uint32_t reason)
{
	struct grp_addr joined = { .nodeid = nodeid, .pid = pid,
				   .reason = reason };
	struct grp_group *grp = grp_group_get(c, g);
	struct grp_client *cl;

	if (!grp) {
		log_error(LOG_T_CPG, "no memory for a group");
		return;
	}
	if (grp_group_member_find(grp, nodeid, pid) >= 0)
		return;
	if (grp_group_member_add(grp, nodeid, pid) < 0) {
		log_error(LOG_T_CPG, "no memory for a member");
		grp_group_put(c, grp);
		return;
	}
	if (nodeid == c->nodeid) {
		for (cl = grp->clients; cl; cl = cl->g_next)
			if (cl->state == CL_JOIN_STARTED && cl->pid == pid)
				cl->state = CL_JOINED;
	}
	grp_group_notify(c, grp, NULL, 0, &joined, 1);
	for (cl = grp->clients; cl; cl = cl->g_next) {
		if (cl->state == CL_JOINED && !cl->totem_conf_sent &&
		    (cl->flags & GRP_JOIN_INITIAL_TOTEM_CONF)) {
			cl->totem_conf_sent = 1;
			grp_send_totem_conf(c, cl);
		}
	}
}

static long joined_index(const struct grp *c, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < c->n_joined; i++)
		if (c->joined[i] == nodeid)
			return (long)i;
	return -1;
}

/* A member of a joined node left: its SYNC must not bring it back. */
static void departed_add(struct grp *c, uint32_t nodeid, uint32_t pid,
			 const struct grp_gname *g)
{
	if (joined_index(c, nodeid) < 0)
		return;
	if (c->n_departed == c->cap_departed) {
		size_t cap = c->cap_departed ? 2 * c->cap_departed : 8;
		struct grp_iter_ent *p = realloc(c->departed, cap * sizeof(*p));

		if (!p) {
			log_error(LOG_T_CPG, "no memory to note a leave");
			return;
		}
		c->departed = p;
		c->cap_departed = cap;
	}
	c->departed[c->n_departed].name = *g;
	c->departed[c->n_departed].nodeid = nodeid;
	c->departed[c->n_departed].pid = pid;
	c->n_departed++;
}

static int departed_has(const struct grp *c, uint32_t nodeid, uint32_t pid,
			const struct grp_gname *g)
{
	size_t i;

	for (i = 0; i < c->n_departed; i++)
		if (c->departed[i].nodeid == nodeid &&
		    c->departed[i].pid == pid &&
		    grp_gname_eq(&c->departed[i].name, g))
			return 1;
	return 0;
}

static void on_leave(struct grp *c, uint32_t nodeid, uint32_t pid,
		     const struct grp_gname *g, uint32_t reason)
{
	struct grp_addr left = { .nodeid = nodeid, .pid = pid,
				 .reason = reason };
	struct grp_group *grp = grp_group_find(c, g);
	struct grp_client *cl, *next;
	long idx;

	departed_add(c, nodeid, pid, g);
	if (!grp)
		return;
	idx = grp_group_member_find(grp, nodeid, pid);
	if (idx < 0)
		return;
	grp_group_member_del(grp, (size_t)idx);
	grp_group_notify(c, grp, &left, 1, NULL, 0);
	if (nodeid == c->nodeid && reason == CPG_REASON_LEAVE) {
		for (cl = grp->clients; cl; cl = next) {
			next = cl->g_next;
			if (cl->state == CL_LEAVE_STARTED && cl->pid == pid) {
				cl->state = CL_UNJOINED;
				cl->pid = 0;
				/* may free grp: nothing touches it after */
				grp_group_detach(cl);
				return;
			}
		}
	}
	grp_group_put(c, grp);
}

/* A message longer than a client may take in one event (collected whole
 * from fragments) goes to it as consecutive fragments. */
static void deliver_split(struct grp *c, struct grp_client *cl,
			  const struct grp_group *grp, uint32_t nodeid,
			  const struct grp_msg *m)
{
	const uint8_t *p = m->payload;
	size_t off = 0, n;
	uint32_t type;

	if (m->payload_len <= c->max_payload) {
		if (c->sink.deliver)
			c->sink.deliver(c->sink.arg, cl->conn, &grp->name,
					nodeid, m->pid, m->payload,
					m->payload_len);
		return;
	}
	while (off < m->payload_len && c->sink.partial) {
		n = m->payload_len - off;
		if (n > c->max_payload)
			n = c->max_payload;
		type = off == 0 ? CPG_FRAG_FIRST :
		       off + n == m->payload_len ? CPG_FRAG_LAST :
						   CPG_FRAG_CONTINUED;
		c->sink.partial(c->sink.arg, cl->conn, &grp->name, nodeid,
				m->pid, (uint32_t)m->payload_len, type,
				p + off, n);
		off += n;
	}
}

static int node_in(const uint32_t *list, size_t n, uint32_t nodeid);

static long grp_group_member_find_name(const struct grp *c,
				       const struct grp_gname *g,
				       uint32_t nodeid, uint32_t pid)
{
	const struct grp_group *grp = grp_group_find(c, g);

	return grp ? grp_group_member_find(grp, nodeid, pid) : -1;
}

static void on_data(struct grp *c, uint32_t nodeid, const struct grp_msg *m)
{
	struct grp_group *grp = grp_group_find(c, &m->group);
	struct grp_client *cl;

	if (grp_group_member_find_name(c, &m->group, nodeid, m->pid) < 0) {
		/* A node new to this ring may have ordered messages of its
		 * members before its member list (they were queued before the
		 * ring changed): every node that has not learnt that member yet
		 * learns it here, at the same point of the agreed order, so
		 * nothing is lost and all views stay the same. */
		if (!node_in(c->joined, c->n_joined, nodeid)) {
			log_debug(LOG_T_CPG, "message from %u/%u, not a member: dropped",
				  nodeid, m->pid);
			return;
		}
		on_join(c, nodeid, m->pid, &m->group, CPG_REASON_NODEUP);
		grp = grp_group_find(c, &m->group);
	}
	if (!grp)
		return;
	for (cl = grp->clients; cl; cl = cl->g_next) {
		if (cl->finalized ||
		    (cl->state != CL_JOINED && cl->state != CL_LEAVE_STARTED))
			continue;
		if (m->type == GRP_MSG_DATA) {
			deliver_split(c, cl, grp, nodeid, m);
		} else if (c->sink.partial) {
			c->sink.partial(c->sink.arg, cl->conn, &grp->name,
					nodeid, m->pid, m->msglen,
					m->frag_type, m->payload,
					m->payload_len);
		}
	}
}

static int node_in(const uint32_t *list, size_t n, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == nodeid)
			return 1;
	return 0;
}

static void on_sync(struct grp *c, uint32_t sender, struct grp_msg *m)
{
	struct grp_gname g;
	uint32_t nodeid, pid;
	int rc;

	/* Only a node new to us tells us something we do not know, and only
	 * of the members on nodes new to us (on_join skips known ones). */
	if (sender == c->nodeid || joined_index(c, sender) < 0)
		return;
	while ((rc = grp_msg_sync_next(m, &nodeid, &pid, &g)) == 0)
		if (joined_index(c, nodeid) >= 0 &&
		    !departed_has(c, nodeid, pid, &g))
			on_join(c, nodeid, pid, &g, CPG_REASON_NODEUP);
	if (rc != -ENODATA)
		log_warning(LOG_T_CPG, "malformed member list from node %u",
			    sender);
}

void grp_on_deliver(void *arg, uint32_t sender, const void *buf, size_t len)
{
	struct grp *c = arg;
	struct grp_msg m;
	char head[24];

	if (grp_msg_decode(buf, len, &m) < 0) {
		log_warning(LOG_T_CPG, "malformed message (%zu bytes) from node %u dropped",
			    len, sender);
		return;
	}
	switch (m.type) {
	case GRP_MSG_JOIN:
		on_join(c, sender, m.pid, &m.group, CPG_REASON_JOIN);
		break;
	case GRP_MSG_LEAVE:
		on_leave(c, sender, m.pid, &m.group, m.reason);
		break;
	case GRP_MSG_DATA:
	case GRP_MSG_FRAG:
		/* the delivery trace; see order/order_mux.h */
		if (log_trace_on(LOG_T_CPG))
			log_at_(LOG_TRACE, LOG_T_CPG, "deliver cpg node %u "
				"pid %u type %u len %zu head %s",
				(unsigned)sender, (unsigned)m.pid,
				(unsigned)m.type, m.payload_len,
				log_head(head, sizeof(head), m.payload,
					 m.payload_len));
		on_data(c, sender, &m);
		break;
	case GRP_MSG_SYNC:
		on_sync(c, sender, &m);
		break;
	default:
		break;
	}
	grp_pending_flush(c);
}

/* Members on nodes outside `nodes` leave their groups with NODEDOWN. */
static void drop_gone_nodes(struct grp *c, const uint32_t *nodes, size_t n)
{
	struct grp_group *grp, *next;

	for (grp = c->groups; grp; grp = next) {
		struct grp_addr *left;
		size_t i, n_left = 0;

		next = grp->next;
		left = calloc(grp->n ? grp->n : 1, sizeof(*left));
		if (!left) {
			log_error(LOG_T_CPG, "no memory for a node-down confchg");
			continue;
		}
		for (i = 0; i < grp->n;) {
			if (node_in(nodes, n, grp->m[i].nodeid)) {
				i++;
				continue;
			}
			left[n_left].nodeid = grp->m[i].nodeid;
			left[n_left].pid = grp->m[i].pid;
			left[n_left].reason = CPG_REASON_NODEDOWN;
			n_left++;
			grp_group_member_del(grp, i);
		}
		if (n_left)
			grp_group_notify(c, grp, left, n_left, NULL, 0);
		free(left);
		grp_group_put(c, grp);
	}
}

static int copy_nodes(uint32_t **dst, size_t *n_dst, const uint32_t *src,
		      size_t n)
{
	uint32_t *p = NULL;

	if (n) {
		p = malloc(n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memcpy(p, src, n * sizeof(*p));
	}
	free(*dst);
	*dst = p;
	*n_dst = n;
	return 0;
}

/* Tell the nodes new to the ring which members we know: at the REGULAR
 * upcall those are the members of this node and of the nodes that moved
 * with it (the others were dropped at the change, and nothing of this ring
 * has been delivered yet). */
static void send_sync(struct grp *c)
{
	struct grp_group *grp;
	struct wire_wr w;
	uint8_t *buf;
	size_t i, n = 0;
	int rc;

	for (grp = c->groups; grp; grp = grp->next)
		n += grp->n;
	if (n == 0 || n > UINT32_MAX)
		return;
	buf = malloc(grp_msg_sync_size(n));
	if (!buf) {
		log_error(LOG_T_CPG, "no memory for the member list");
		return;
	}
	wire_wr_init(&w, buf, grp_msg_sync_size(n));
	grp_msg_sync_begin(&w, (uint32_t)n);
	for (grp = c->groups; grp; grp = grp->next)
		for (i = 0; i < grp->n; i++)
			grp_msg_sync_add(&w, grp->m[i].nodeid, grp->m[i].pid,
					 &grp->name);
	if (w.err) {
		free(buf);
		return;
	}
	rc = grp_send_ctl(c, buf, w.off);
	if (rc < 0)
		log_error_errno(LOG_T_CPG, rc, "cannot send the member list");
	free(buf);
}

/*
 * The nodes new to us in a REGULAR configuration: those that did not move
 * with us from our previous ring, i.e. are not in the TRANSITIONAL
 * configuration just before it (or, without one, not in the previous ring).
 * Not the ordering layer's joined list, which is relative to the previous
 * REGULAR configuration: a node that was with us, fell into a ring of its
 * own and came back is in neither, yet its members were dropped at the
 * transitional configuration and must be learnt again from its member list.
 */
static int new_nodes(struct grp *c, const struct order_membership *m)
{
	const uint32_t *base = c->have_carried ? c->carried : c->ring;
	size_t n_base = c->have_carried ? c->n_carried : c->n_ring;
	uint32_t *p = NULL;
	size_t i, n = 0;

	if (m->n_members) {
		p = malloc(m->n_members * sizeof(*p));
		if (!p)
			return -ENOMEM;
	}
	for (i = 0; i < m->n_members; i++)
		if (m->members[i] != c->nodeid &&
		    !node_in(base, n_base, m->members[i]))
			p[n++] = m->members[i];
	free(c->joined);
	c->joined = p;
	c->n_joined = n;
	c->n_departed = 0;
	return 0;
}

void grp_on_membership(void *arg, const struct order_membership *m)
{
	struct grp *c = arg;
	struct grp_client *cl;

	drop_gone_nodes(c, m->members, m->n_members);
	if (m->type != ORDER_CONF_REGULAR) {
		if (copy_nodes(&c->carried, &c->n_carried, m->members,
			       m->n_members) < 0)
			log_error(LOG_T_CPG, "no memory for the ring's member list");
		c->have_carried = 1;
		return;
	}
	if (new_nodes(c, m) < 0 ||
	    copy_nodes(&c->ring, &c->n_ring, m->members, m->n_members) < 0)
		log_error(LOG_T_CPG, "no memory for the ring's member list");
	c->have_carried = 0;
	c->ring_rep = m->ring.rep;
	c->ring_seq = m->ring.seq;
	log_notice(LOG_T_CPG, "ring %u/%llu: %zu node(s), %zu new to us",
		   m->ring.rep, (unsigned long long)m->ring.seq, m->n_members,
		   c->n_joined);
	for (cl = c->clients; cl; cl = cl->next)
		grp_send_totem_conf(c, cl);
	if (c->n_joined)
		send_sync(c);
}

void grp_on_flow(void *arg, int blocked)
{
	struct grp *c = arg;

	if (!blocked)
		grp_pending_flush(c);
	if (c->sink.flow)
		c->sink.flow(c->sink.arg, blocked);
}
