/* The EVS client protocol as both sides speak it: requests built by the
 * library (lib/evs_wire.c) decode in the daemon (daemon/ipc/ipc_evs_codec.c)
 * and events the daemon encodes decode in the library; malformed requests
 * are told apart (-EPROTO, -ENOSYS, -EBADMSG, -E2BIG). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "cpg_err.h"
#include "cpg_wire.h"
#include "evs_wire.h"
#include "ipc/ipc_evs_codec.h"
#include "lib_events.h"
#include "unit/check_main.h"

static uint8_t buf[EVS_IPC_MCAST_HDR + 3 * 32 + 64];

START_TEST(groups_request)
{
	struct ipc_evs_req q;
	size_t len = EVS_IPC_GROUPS_REQ_HDR + 2 * 32;

	evs_wire_groups_hdr(buf, EVS_IPC_JOIN, 2);
	memset(buf + EVS_IPC_GROUPS_REQ_HDR, 'g', 64);
	ck_assert_int_eq(ipc_evs_req_decode(buf, len, &q), 0);
	ck_assert_uint_eq(q.id, EVS_IPC_JOIN);
	ck_assert_uint_eq(q.n_groups, 2);
	ck_assert_ptr_eq(q.groups, buf + EVS_IPC_GROUPS_REQ_HDR);
	/* the count and the size disagree */
	cpg_wire_put_u32(buf, 16, 3);
	ck_assert_int_eq(ipc_evs_req_decode(buf, len, &q), -EBADMSG);
	cpg_wire_put_u32(buf, 16, 1);
	ck_assert_int_eq(ipc_evs_req_decode(buf, len, &q), -EBADMSG);
	cpg_wire_put_u32(buf, 16, 1025);
	ck_assert_int_eq(ipc_evs_req_decode(buf, len, &q), -E2BIG);
	/* the header's size is not the length */
	ck_assert_int_eq(ipc_evs_req_decode(buf, len - 1, &q), -EPROTO);
	ck_assert_int_eq(ipc_evs_req_decode(buf, 8, &q), -EPROTO);
}
END_TEST

START_TEST(mcast_request)
{
	struct ipc_evs_req q;
	size_t len = EVS_IPC_MCAST_HDR + 32 + 5;

	evs_wire_mcast_hdr(buf, 3, 0, 1, EVS_FRAG_FIRST, 100, 5);
	memset(buf + EVS_IPC_MCAST_HDR, 'g', 32);
	memcpy(buf + EVS_IPC_MCAST_HDR + 32, "hello", 5);
	ck_assert_int_eq(ipc_evs_req_decode(buf, len, &q), 0);
	ck_assert_uint_eq(q.id, EVS_IPC_MCAST);
	ck_assert_uint_eq(q.guarantee, 3);
	ck_assert_uint_eq(q.joined, 0);
	ck_assert_uint_eq(q.n_groups, 1);
	ck_assert_uint_eq(q.frag, EVS_FRAG_FIRST);
	ck_assert_uint_eq(q.msglen, 100);
	ck_assert_uint_eq(q.payload_len, 5);
	ck_assert_int_eq(memcmp(q.payload, "hello", 5), 0);
	/* fraglen that is not what follows */
	cpg_wire_put_u32(buf, 36, 4);
	ck_assert_int_eq(ipc_evs_req_decode(buf, len, &q), -EBADMSG);
	/* joined must be 0 or 1 */
	evs_wire_mcast_hdr(buf, 2, 1, 0, EVS_FRAG_NONE, 5, 5);
	ck_assert_int_eq(ipc_evs_req_decode(buf, EVS_IPC_MCAST_HDR + 5, &q), 0);
	ck_assert_uint_eq(q.joined, 1);
	cpg_wire_put_u32(buf, 20, 2);
	ck_assert_int_eq(ipc_evs_req_decode(buf, EVS_IPC_MCAST_HDR + 5, &q),
			 -EBADMSG);
	/* too short for its fixed part */
	cpg_wire_put_u32(buf, 8, 30);
	ck_assert_int_eq(ipc_evs_req_decode(buf, 30, &q), -EBADMSG);
}
END_TEST

START_TEST(bare_and_unknown)
{
	struct ipc_evs_req q;

	evs_wire_bare(buf, EVS_IPC_MEMBERSHIP);
	ck_assert_int_eq(ipc_evs_req_decode(buf, EVS_IPC_REQ_HDR, &q), 0);
	evs_wire_bare(buf, EVS_IPC_FINALIZE);
	ck_assert_int_eq(ipc_evs_req_decode(buf, EVS_IPC_REQ_HDR, &q), 0);
	cpg_wire_put_u32(buf, 8, EVS_IPC_REQ_HDR + 4);
	ck_assert_int_eq(ipc_evs_req_decode(buf, EVS_IPC_REQ_HDR + 4, &q),
			 -EBADMSG);
	evs_wire_bare(buf, 77);
	ck_assert_int_eq(ipc_evs_req_decode(buf, EVS_IPC_REQ_HDR, &q), -ENOSYS);
	ck_assert_uint_eq(q.id, 77);
}
END_TEST

START_TEST(responses)
{
	static const uint32_t m[3] = { 1, 2, 9 };
	uint8_t big[EVS_IPC_MEMBERSHIP_RES_HDR + 12];
	unsigned int list[3];
	uint32_t nodeid;
	size_t n;
	int len;

	len = ipc_evs_res_membership(big, sizeof(big), 1, 2, m, 3);
	ck_assert_int_eq(len, (int)sizeof(big));
	ck_assert_int_eq(cpg_wire_res_check(big, (size_t)len,
			 (enum cpg_res_id)EVS_IPC_MEMBERSHIP,
			 EVS_IPC_MEMBERSHIP_RES_HDR), 0);
	ck_assert_int_eq(evs_wire_res_membership(big, (size_t)len, &nodeid,
			 list, 3, &n), 0);
	ck_assert_uint_eq(nodeid, 2);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(list[2], 9);
	ck_assert_int_eq(evs_wire_res_membership(big, (size_t)len, &nodeid,
			 list, 2, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(evs_wire_res_membership(big, (size_t)len - 4, &nodeid,
			 list, 3, &n), -EBADMSG);
	ck_assert_int_eq(ipc_evs_res_membership(big, sizeof(big) - 1, 1, 2, m,
			 3), -EMSGSIZE);
	/* a refusal reaches the library as that cs_error_t */
	ipc_evs_res(big, EVS_IPC_JOIN, ipc_evs_cs_error(-ENOENT));
	ck_assert_int_eq(cpg_wire_res_check(big, EVS_IPC_RES_HDR,
			 (enum cpg_res_id)EVS_IPC_JOIN, EVS_IPC_RES_HDR),
			 cpg_err_from_cs(CS_ERR_NOT_EXIST));
	ck_assert_uint_eq(ipc_evs_cs_error(-EAGAIN), CS_ERR_TRY_AGAIN);
	ck_assert_uint_eq(ipc_evs_cs_error(-E2BIG), CS_ERR_TOO_BIG);
	ck_assert_uint_eq(ipc_evs_cs_error(-ENOSPC), CS_ERR_NO_RESOURCES);
	ck_assert_uint_eq(ipc_evs_cs_error(-EINVAL), CS_ERR_INVALID_PARAM);
}
END_TEST

START_TEST(events)
{
	static const uint32_t m[3] = { 1, 2, 9 }, l[1] = { 4 };
	struct evs_conf c = { 2, 77, m, 3, l, 1, m + 2, 1 };
	uint8_t ev[EVS_IPC_DELIVER_HDR + 5];
	struct evs_event e;
	size_t size = ipc_evs_ev_confchg_size(&c);
	uint8_t *cb = malloc(size);

	ipc_evs_ev_confchg(cb, &c);
	ck_assert_int_eq(evs_wire_event_decode(cb, size, &e), 0);
	ck_assert_uint_eq(e.id, EVS_IPC_EV_CONFCHG);
	ck_assert_uint_eq(e.ring.nodeid, 2);
	ck_assert_uint_eq(e.ring.seq, 77);
	ck_assert_uint_eq(e.n_members, 3);
	ck_assert_uint_eq(e.n_left, 1);
	ck_assert_uint_eq(e.left[0], 4);
	ck_assert_uint_eq(e.n_joined, 1);
	ck_assert_uint_eq(e.joined[0], 9);
	evs_wire_event_release(&e);
	ck_assert_int_eq(evs_wire_event_decode(cb, size - 4, &e), -EBADMSG);
	free(cb);

	ipc_evs_ev_deliver_hdr(ev, 5, 6, 5, EVS_FRAG_NONE, 5);
	memcpy(ev + EVS_IPC_DELIVER_HDR, "hello", 5);
	ck_assert_int_eq(evs_wire_event_decode(ev, sizeof(ev), &e), 0);
	ck_assert_uint_eq(e.nodeid, 5);
	ck_assert_uint_eq(e.pid, 6);
	ck_assert_uint_eq(e.data_len, 5);
	ck_assert_int_eq(memcmp(e.data, "hello", 5), 0);
	/* a whole message must be as long as it says */
	ipc_evs_ev_deliver_hdr(ev, 5, 6, 9, EVS_FRAG_NONE, 5);
	ck_assert_int_eq(evs_wire_event_decode(ev, sizeof(ev), &e), -EBADMSG);
	ipc_evs_ev_deliver_hdr(ev, 5, 6, 9, EVS_FRAG_FIRST, 5);
	ck_assert_int_eq(evs_wire_event_decode(ev, sizeof(ev), &e), 0);
	ck_assert_uint_eq(e.frag, EVS_FRAG_FIRST);
	cpg_wire_put_u32(ev, 0, 99);
	ck_assert_int_eq(evs_wire_event_decode(ev, sizeof(ev), &e), -ENOTSUP);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { groups_request, mcast_request,
		bare_and_unknown, responses, events, NULL };

	return unit_suite_of("evs_proto", "proto", 30, tests);
}
