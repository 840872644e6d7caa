/* The EVS instance, its clients and their requests; see evs.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evs/evs_int.h"
#include "evs/evs_msg.h"
#include "util/err.h"
#include "util/log.h"

int evs_new(struct order *o, const struct evs_sink *sink, struct evs **out,
	    struct err *er)
{
	struct evs *e;

	*out = NULL;
	if (!o || !sink)
		return err_set(er, -EINVAL, "no ordering layer or sink");
	e = calloc(1, sizeof(*e));
	if (!e)
		return err_set(er, -ENOMEM, "out of memory");
	e->order = o;
	e->sink = *sink;
	e->nodeid = order_nodeid(o);
	o->user.deliver = evs_on_deliver;
	o->user.membership = evs_on_membership;
	o->user.flow = evs_on_flow;
	o->user.arg = e;
	*out = e;
	return 0;
}

static void frag_reset(struct evs_client *cl)
{
	cl->frag_active = 0;
	free(cl->frag_groups);
	cl->frag_groups = NULL;
	cl->frag_n_groups = 0;
}

static void client_free(struct evs_client *cl)
{
	struct evs *e = cl->evs;

	frag_reset(cl);
	evs_gset_free(&cl->groups);
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		e->clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	free(cl);
}

void evs_destroy(struct evs *e)
{
	if (!e)
		return;
	memset(&e->order->user, 0, sizeof(e->order->user));
	while (e->clients)
		client_free(e->clients);
	free(e->members);
	free(e);
}

uint32_t evs_local_nodeid(const struct evs *e)
{
	return e->nodeid;
}

int evs_flow_blocked(const struct evs *e)
{
	return order_flow_blocked(e->order);
}

int evs_client_new(struct evs *e, void *conn, uint32_t pid,
		   struct evs_client **out, struct err *err)
{
	struct evs_client *cl = calloc(1, sizeof(*cl));

	*out = cl;
	if (!cl)
		return err_set(err, -ENOMEM, "no memory for an EVS client");
	cl->evs = e;
	cl->conn = conn;
	cl->pid = pid;
	cl->next = e->clients;
	if (e->clients)
		e->clients->prev = cl;
	e->clients = cl;
	evs_send_current(e, cl);
	return 0;
}

void evs_client_close(struct evs_client *cl)
{
	if (cl)
		client_free(cl);
}

void evs_client_finalize(struct evs_client *cl)
{
	cl->finalized = 1;
}

static int groups_check(size_t n)
{
	if (n == 0)
		return -EINVAL;
	return n > EVS_GROUPS_MAX ? -E2BIG : 0;
}

int evs_client_join(struct evs_client *cl, const uint8_t *groups, size_t n)
{
	int rc = groups_check(n);

	if (rc == 0)
		rc = evs_gset_add(&cl->groups, groups, n, EVS_GROUPS_MAX);
	return rc;
}

int evs_client_leave(struct evs_client *cl, const uint8_t *groups, size_t n)
{
	int rc = groups_check(n);

	if (rc == 0)
		rc = evs_gset_remove(&cl->groups, groups, n);
	return rc;
}

/* Order one message or fragment for `groups`. */
static int send_msg(struct evs_client *cl, uint32_t guarantee,
		    const uint8_t *groups, size_t n_groups, uint32_t frag,
		    uint32_t msglen, const void *data, size_t len)
{
	struct evs *e = cl->evs;
	struct evs_msg m = {
		.guarantee = (uint8_t)guarantee,
		.frag = (uint8_t)frag,
		.pid = cl->pid,
		.msglen = msglen,
		.groups = groups,
		.n_groups = n_groups,
		.len = len,
	};
	size_t hdr_size = evs_msg_hdr_size(n_groups);
	struct iovec iov[2];
	uint8_t *hdr;
	int rc;

	if (hdr_size + len > order_max_msg_size(e->order))
		return -EMSGSIZE;
	hdr = malloc(hdr_size);
	if (!hdr)
		return -ENOMEM;
	rc = evs_msg_encode_hdr(&m, hdr, hdr_size);
	if (rc >= 0) {
		iov[0].iov_base = hdr;
		iov[0].iov_len = (size_t)rc;
		iov[1].iov_base = (void *)data;
		iov[1].iov_len = len;
		rc = order_mcast(e->order, iov, 2,
				 guarantee == EVS_GUARANTEE_SAFE ? ORDER_SAFE
								 : ORDER_AGREED);
	}
	free(hdr);
	return rc;
}

/* The groups a message goes to: the request's, or a copy of the
 * client's joined ones (*owned set, the caller frees it). */
static int target_groups(struct evs_client *cl, const struct evs_send *s,
			 const uint8_t **groups, size_t *n, uint8_t **owned)
{
	*owned = NULL;
	if (!s->joined) {
		int rc = groups_check(s->n_groups);

		if (rc < 0 || !s->groups)
			return rc < 0 ? rc : -EINVAL;
		*groups = s->groups;
		*n = s->n_groups;
		return 0;
	}
	if (s->n_groups != 0)
		return -EINVAL;
	*n = cl->groups.n;
	if (*n == 0) {
		*groups = NULL;
		return 0;
	}
	*owned = malloc(*n * EVS_GROUP_LEN);
	if (!*owned)
		return -ENOMEM;
	memcpy(*owned, cl->groups.keys, *n * EVS_GROUP_LEN);
	*groups = *owned;
	return 0;
}

static int mcast_first(struct evs_client *cl, const struct evs_send *s)
{
	const uint8_t *groups;
	uint8_t *owned;
	size_t n;
	int rc;

	if (s->msglen == 0 || s->len == 0 || s->msglen > EVS_MSG_MAX)
		return s->msglen > EVS_MSG_MAX ? -EMSGSIZE : -EINVAL;
	if ((s->frag == EVS_FRAG_WHOLE) != (s->len == s->msglen) ||
	    s->len > s->msglen)
		return -EINVAL;
	rc = target_groups(cl, s, &groups, &n, &owned);
	if (rc < 0)
		return rc;
	if (n == 0) {
		/* joined to nothing: it would reach nobody, but the rest of
		 * a fragmented message is still expected */
		if (s->frag == EVS_FRAG_BEGIN) {
			cl->frag_active = 1;
			cl->frag_guarantee = s->guarantee;
			cl->frag_msglen = s->msglen;
			cl->frag_sent = (uint32_t)s->len;
		}
		return 0;
	}
	if (evs_flow_blocked(cl->evs)) {
		free(owned);
		return -EAGAIN;
	}
	rc = send_msg(cl, s->guarantee, groups, n, s->frag, s->msglen,
		      s->data, s->len);
	if (rc == 0 && s->frag == EVS_FRAG_BEGIN) {
		if (!owned) {
			owned = malloc(n * EVS_GROUP_LEN);
			if (!owned)
				return -ENOMEM;
			memcpy(owned, groups, n * EVS_GROUP_LEN);
		}
		cl->frag_active = 1;
		cl->frag_groups = owned;
		cl->frag_n_groups = n;
		cl->frag_guarantee = s->guarantee;
		cl->frag_msglen = s->msglen;
		cl->frag_sent = (uint32_t)s->len;
		return 0;
	}
	free(owned);
	return rc;
}

static int mcast_more(struct evs_client *cl, const struct evs_send *s)
{
	uint32_t left = cl->frag_msglen - cl->frag_sent;
	int rc;

	if (s->msglen != cl->frag_msglen || s->len == 0 || s->len > left ||
	    (s->frag == EVS_FRAG_END) != (s->len == left)) {
		frag_reset(cl);
		return -EINVAL;
	}
	rc = cl->frag_n_groups == 0 ? 0
		: send_msg(cl, cl->frag_guarantee, cl->frag_groups,
			   cl->frag_n_groups, s->frag, s->msglen, s->data,
			   s->len);
	if (rc < 0)
		return rc;	/* the client may send this fragment again */
	cl->frag_sent += (uint32_t)s->len;
	if (s->frag == EVS_FRAG_END)
		frag_reset(cl);
	return 0;
}

int evs_client_mcast(struct evs_client *cl, const struct evs_send *s)
{
	if (s->guarantee > EVS_GUARANTEE_SAFE || s->frag > EVS_FRAG_END ||
	    (s->len > 0 && !s->data))
		return -EINVAL;
	if (s->frag == EVS_FRAG_WHOLE || s->frag == EVS_FRAG_BEGIN) {
		/* a new message abandons one under way */
		if (cl->frag_active) {
			log_debug(LOG_T_EVS, "pid %u abandoned a fragmented "
				  "message", (unsigned)cl->pid);
			frag_reset(cl);
		}
		return mcast_first(cl, s);
	}
	if (!cl->frag_active)
		return -EINVAL;
	return mcast_more(cl, s);
}

int evs_members(const struct evs *e, uint32_t *out, size_t max, size_t *n)
{
	size_t i;

	for (i = 0; i < e->n_members && i < max; i++)
		out[i] = e->members[i];
	*n = i;
	return 0;
}

int evs_clients_walk(const struct evs *e, evs_client_fn fn, void *arg)
{
	const struct evs_client *cl;
	int rc;

	for (cl = e->clients; cl; cl = cl->next) {
		if (!cl->conn)
			continue;
		rc = fn(arg, cl->pid, (const uint8_t *)cl->groups.keys,
			cl->groups.n);
		if (rc)
			return rc;
	}
	return 0;
}
