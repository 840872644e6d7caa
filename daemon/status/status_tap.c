/* The ring tap between the ordering layer and its user; see
 * status_sources.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "status/status_sources.h"

static void tap_deliver(void *arg, uint32_t sender, const void *msg,
			size_t len)
{
	struct status_tap *t = arg;

	t->delivered_msgs++;
	t->delivered_bytes += len;
	if (t->inner.deliver)
		t->inner.deliver(t->inner.arg, sender, msg, len);
}

static void remember_ring(struct status_tap *t,
			  const struct order_membership *m)
{
	if (m->n_members > t->cap) {
		uint32_t *p = realloc(t->members,
				      m->n_members * sizeof(*p));

		if (!p) {
			/* better no ring than a wrong one */
			t->have_ring = false;
			return;
		}
		t->members = p;
		t->cap = m->n_members;
	}
	if (m->n_members)
		memcpy(t->members, m->members,
		       m->n_members * sizeof(*t->members));
	t->n_members = m->n_members;
	t->ring = m->ring;
	t->have_ring = true;
}

static void tap_membership(void *arg, const struct order_membership *m)
{
	struct status_tap *t = arg;

	if (m->type == ORDER_CONF_REGULAR) {
		t->configurations++;
		remember_ring(t, m);
	}
	if (t->inner.membership)
		t->inner.membership(t->inner.arg, m);
}

static void tap_flow(void *arg, int blocked)
{
	struct status_tap *t = arg;

	if (blocked)
		t->flow_blocked_events++;
	if (t->inner.flow)
		t->inner.flow(t->inner.arg, blocked);
}

void status_tap_install(struct status_tap *t, struct order *o)
{
	memset(t, 0, sizeof(*t));
	t->order = o;
	t->inner = o->user;
	o->user.deliver = tap_deliver;
	o->user.membership = tap_membership;
	o->user.flow = tap_flow;
	o->user.arg = t;
}

void status_tap_remove(struct status_tap *t)
{
	if (t->order && t->order->user.arg == t)
		t->order->user = t->inner;
	free(t->members);
	memset(t, 0, sizeof(*t));
}

int status_src_ring(void *arg, struct status_out *out)
{
	struct status_tap *t = arg;

	if (t->have_ring)
		status_ring(out, t->ring.rep, t->ring.seq, t->members,
			    t->n_members, order_nodeid(t->order));
	return 0;
}

int status_src_tap_counters(void *arg, struct status_out *out)
{
	struct status_tap *t = arg;

	status_counter(out, "delivered_msgs", t->delivered_msgs);
	status_counter(out, "delivered_bytes", t->delivered_bytes);
	status_counter(out, "configurations", t->configurations);
	status_counter(out, "flow_blocked_events", t->flow_blocked_events);
	return 0;
}
