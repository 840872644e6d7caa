/*
 * The CPG layer's upcalls that become a client's events: each is encoded
 * (ipc_codec.h) and queued on its connection with ipc_conn_event(); see
 * ipc_events_sink() in ipc_int.h.  A connection whose event cannot be
 * built for want of memory is closed: it would miss a message.
 */
#include "config.h"

#include <stdlib.h>
#include <sys/uio.h>

#include "ipc/ipc_codec.h"
#include "ipc/ipc_int.h"

/* A header built here, then the payload as the CPG layer holds it. */
static void event_hdr_payload(void *conn, const void *hdr, size_t hdr_len,
			      const void *payload, size_t len)
{
	struct iovec iov[2] = {
		{ (void *)hdr, hdr_len },
		{ (void *)payload, len },
	};

	ipc_conn_event(conn, iov, 2);
}

/* A whole event of size bytes in buf; len is what its encoder returned. */
static void event_whole(void *conn, void *buf, size_t size, int len)
{
	struct iovec iov = { buf, size };

	if (len > 0)
		ipc_conn_event(conn, &iov, 1);
	free(buf);
}

static void *event_buf(void *conn, size_t size, const char *what)
{
	void *buf = malloc(size);

	if (!buf)
		ipc_conn_kill(conn, what);
	return buf;
}

static void sink_confchg(void *arg, void *conn, const struct grp_gname *g,
			 const struct grp_addr *members, size_t n_members,
			 const struct grp_addr *left, size_t n_left,
			 const struct grp_addr *joined, size_t n_joined)
{
	size_t size = ipc_ev_confchg_size(n_members, n_left, n_joined);
	void *buf = event_buf(conn, size, "no memory for a confchg");

	if (buf)
		event_whole(conn, buf, size,
			    ipc_ev_confchg(buf, size, g, members, n_members,
					   left, n_left, joined, n_joined));
}

static void sink_deliver(void *arg, void *conn, const struct grp_gname *g,
			 uint32_t nodeid, uint32_t pid, const void *msg,
			 size_t len)
{
	uint8_t hdr[CPG_WIRE_DELIVER_HDR];

	if (ipc_ev_deliver_hdr(hdr, sizeof(hdr), g, nodeid, pid, len) >= 0)
		event_hdr_payload(conn, hdr, sizeof(hdr), msg, len);
}

static void sink_partial(void *arg, void *conn, const struct grp_gname *g,
			 uint32_t nodeid, uint32_t pid, uint32_t msglen,
			 uint32_t type, const void *frag, size_t fraglen)
{
	uint8_t hdr[CPG_WIRE_PARTIAL_DELIVER_HDR];

	if (ipc_ev_partial_hdr(hdr, sizeof(hdr), g, nodeid, pid, msglen, type,
			       fraglen) >= 0)
		event_hdr_payload(conn, hdr, sizeof(hdr), frag, fraglen);
}

static void sink_totem(void *arg, void *conn, uint32_t rep, uint64_t seq,
		       const uint32_t *members, size_t n)
{
	size_t size = ipc_ev_totem_size(n);
	void *buf = event_buf(conn, size, "no memory for a totem confchg");

	if (buf)
		event_whole(conn, buf, size,
			    ipc_ev_totem(buf, size, rep, seq, members, n));
}

void ipc_events_sink(struct grp_sink *sink)
{
	sink->confchg = sink_confchg;
	sink->deliver = sink_deliver;
	sink->partial = sink_partial;
	sink->totem_confchg = sink_totem;
}
