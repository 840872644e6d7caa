/* Requests built byte by byte; responses and events decoded, including
 * truncated, oversized and inconsistent ones. */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_err.h"
#include "cpg_wire.h"
#include "lib_events.h"
#include "unit/check_main.h"

#define U32(b, off) cpg_wire_get_u32(b, off)
#define U64(b, off) cpg_wire_get_u64(b, off)

/* Bytes in [from, to) are all zero (padding and unused space). */
static int zero(const uint8_t *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (b[i])
			return 0;
	return 1;
}

static void assert_name(const uint8_t *b, size_t off, const char *s)
{
	ck_assert_uint_eq(U32(b, off), strlen(s));
	ck_assert(zero(b, off + 4, off + 8));
	ck_assert_mem_eq(b + off + 8, s, strlen(s));
	ck_assert(zero(b, off + 8 + strlen(s), off + 136));
}

START_TEST(requests)
{
	struct cpg_name g = ev_name("group-a");
	uint8_t b[256];

	memset(b, 0xee, sizeof(b));
	cpg_wire_join(b, &g, 4242, 1);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_JOIN);
	ck_assert_uint_eq(U32(b, 8), 168);
	ck_assert(zero(b, 4, 8) && zero(b, 12, 16));
	assert_name(b, 16, "group-a");
	ck_assert_uint_eq(U32(b, 152), 4242);
	ck_assert_uint_eq(U32(b, 160), 1);
	ck_assert(zero(b, 156, 160) && zero(b, 164, 168));
	ck_assert_uint_eq(b[168], 0xee);	/* nothing beyond its size */

	memset(b, 0xee, sizeof(b));
	cpg_wire_leave(b, &g, 77);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_LEAVE);
	ck_assert_uint_eq(U32(b, 8), 160);
	assert_name(b, 16, "group-a");
	ck_assert_uint_eq(U32(b, 152), 77);
	ck_assert_uint_eq(b[160], 0xee);

	memset(b, 0xee, sizeof(b));
	cpg_wire_membership(b, &g);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_MEMBERSHIP);
	ck_assert_uint_eq(U32(b, 8), 152);
	assert_name(b, 16, "group-a");
	ck_assert_uint_eq(b[152], 0xee);

	memset(b, 0xee, sizeof(b));
	cpg_wire_bare(b, CPG_REQ_LOCAL_GET);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_LOCAL_GET);
	ck_assert_uint_eq(U32(b, 8), 16);
	ck_assert_uint_eq(b[16], 0xee);
	cpg_wire_bare(b, CPG_REQ_FINALIZE);
	ck_assert_uint_eq(U32(b, 0), 8);

	memset(b, 0xee, sizeof(b));
	cpg_wire_iter_init(b, &g, CPG_ITERATION_ONE_GROUP);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_ITER_INIT);
	ck_assert_uint_eq(U32(b, 8), 160);
	assert_name(b, 16, "group-a");
	ck_assert_uint_eq(U32(b, 152), 2);
	cpg_wire_iter_init(b, NULL, CPG_ITERATION_ALL);
	ck_assert(zero(b, 16, 152));
	ck_assert_uint_eq(U32(b, 152), 3);

	cpg_wire_iter_handle(b, CPG_REQ_ITER_NEXT, 0x1122334455667788ULL);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_ITER_NEXT);
	ck_assert_uint_eq(U32(b, 8), 24);
	ck_assert_uint_eq(U64(b, 16), 0x1122334455667788ULL);
	cpg_wire_iter_handle(b, CPG_REQ_ITER_FINALIZE, 5);
	ck_assert_uint_eq(U32(b, 0), 7);
}
END_TEST

START_TEST(mcast_headers)
{
	uint8_t b[64];

	memset(b, 0xee, sizeof(b));
	cpg_wire_mcast_hdr(b, CPG_TYPE_AGREED, 1000);
	/* a response-sized header: id, size, error */
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_MCAST);
	ck_assert_uint_eq(U32(b, 8), 1040);
	ck_assert_uint_eq(U32(b, 16), 0);
	ck_assert_uint_eq(U32(b, 24), CPG_TYPE_AGREED);
	ck_assert_uint_eq(U32(b, 32), 1000);
	ck_assert(zero(b, 36, 40));
	ck_assert_uint_eq(b[40], 0xee);

	memset(b, 0xee, sizeof(b));
	cpg_wire_partial_hdr(b, CPG_TYPE_SAFE, 3000000, 1047552, CPG_FRAG_CONTINUED);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_PARTIAL_MCAST);
	ck_assert_uint_eq(U32(b, 8), 56 + 1047552);
	ck_assert_uint_eq(U32(b, 24), CPG_TYPE_SAFE);
	ck_assert_uint_eq(U32(b, 32), 3000000);
	ck_assert_uint_eq(U32(b, 40), 1047552);
	ck_assert_uint_eq(U32(b, 48), 2);
	ck_assert(zero(b, 52, 56));
	ck_assert_uint_eq(b[56], 0xee);
}
END_TEST

START_TEST(zero_copy_requests)
{
	uint8_t b[200];
	char long_path[200];

	memset(b, 0xee, sizeof(b));
	ck_assert_int_eq(cpg_wire_zc_alloc(b, 4152,
		"/dev/shm/corosync_zerocopy-abcdef"), 0);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_ZC_ALLOC);
	ck_assert_uint_eq(U32(b, 8), 152);
	ck_assert_uint_eq(U64(b, 16), 4152);
	ck_assert_str_eq((char *)b + 24, "/dev/shm/corosync_zerocopy-abcdef");
	ck_assert(zero(b, 24 + 33, 152));
	memset(long_path, 'x', sizeof(long_path));
	long_path[128] = '\0';
	ck_assert_int_eq(cpg_wire_zc_alloc(b, 1, long_path), -ENAMETOOLONG);
	long_path[127] = '\0';
	ck_assert_int_eq(cpg_wire_zc_alloc(b, 1, long_path), 0);

	cpg_wire_zc_free(b, 4152, 0x7f0011223344ULL);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_ZC_FREE);
	ck_assert_uint_eq(U32(b, 8), 32);
	ck_assert_uint_eq(U64(b, 16), 4152);
	ck_assert_uint_eq(U64(b, 24), 0x7f0011223344ULL);

	cpg_wire_zc_execute(b, 0x7f0011223344ULL);
	ck_assert_uint_eq(U32(b, 0), CPG_REQ_ZC_EXECUTE);
	ck_assert_uint_eq(U32(b, 8), 24);
	ck_assert_uint_eq(U64(b, 16), 0x7f0011223344ULL);

	memset(b, 0, sizeof(b));
	cpg_wire_zc_hdr_set(b, 4152);
	ck_assert_uint_eq(U32(b, 0), 4152);
	cpg_wire_put_u64(b, 8, 0xabcdef);
	ck_assert_uint_eq(cpg_wire_zc_server_address(b), 0xabcdef);
}
END_TEST

START_TEST(responses)
{
	uint8_t b[CPG_WIRE_MEMBERSHIP_RES_SIZE];
	struct cpg_address list[4];
	struct cpg_iteration_description_t d;
	uint32_t v32;
	uint64_t v64;
	size_t n;

	cpg_wire_put_res_hdr(b, CPG_RES_JOIN, 24, CS_OK);
	ck_assert_int_eq(cpg_wire_res_check(b, 24, CPG_RES_JOIN, 24), 0);
	/* wrong id, size field not the received length, short */
	ck_assert_int_eq(cpg_wire_res_check(b, 24, CPG_RES_LEAVE, 24), -EBADMSG);
	ck_assert_int_eq(cpg_wire_res_check(b, 32, CPG_RES_JOIN, 24), -EBADMSG);
	ck_assert_int_eq(cpg_wire_res_check(b, 23, CPG_RES_JOIN, 0), -EBADMSG);
	/* the daemon's refusal comes through exactly */
	cpg_wire_put_res_hdr(b, CPG_RES_JOIN, 24, CS_ERR_EXIST);
	ck_assert_int_eq(cpg_err_to_cs(cpg_wire_res_check(b, 24, CPG_RES_JOIN,
		24)), CS_ERR_EXIST);
	/* an answer shorter than its fields is malformed, a refusal is not */
	cpg_wire_put_res_hdr(b, CPG_RES_ITER_NEXT, 24, CS_ERR_NO_SECTIONS);
	ck_assert_int_eq(cpg_err_to_cs(cpg_wire_res_check(b, 24,
		CPG_RES_ITER_NEXT, 168)), CS_ERR_NO_SECTIONS);
	cpg_wire_put_res_hdr(b, CPG_RES_ITER_NEXT, 24, CS_OK);
	ck_assert_int_eq(cpg_wire_res_check(b, 24, CPG_RES_ITER_NEXT, 168),
		-EBADMSG);

	cpg_wire_put_res_hdr(b, CPG_RES_LOCAL_GET, 32, CS_OK);
	cpg_wire_put_u32(b, 24, 7);
	ck_assert_int_eq(cpg_wire_res_check(b, 32, CPG_RES_LOCAL_GET, 28), 0);
	ck_assert_int_eq(cpg_wire_res_local_nodeid(b, 32, &v32), 0);
	ck_assert_uint_eq(v32, 7);

	cpg_wire_put_res_hdr(b, CPG_RES_ITER_INIT, 32, CS_OK);
	cpg_wire_put_u64(b, 24, 0x99aabbccddULL);
	ck_assert_int_eq(cpg_wire_res_iter_handle(b, 32, &v64), 0);
	ck_assert_uint_eq(v64, 0x99aabbccddULL);

	{
		struct cpg_name g = ev_name("gg");

		memset(b, 0, 168);
		cpg_wire_put_res_hdr(b, CPG_RES_ITER_NEXT, 168, CS_OK);
		cpg_wire_put_name(b, 24, &g);
		cpg_wire_put_u32(b, 160, 3);
		cpg_wire_put_u32(b, 164, 999);
		ck_assert_int_eq(cpg_wire_res_iter_desc(b, 168, &d), 0);
		ck_assert_uint_eq(d.group.length, 2);
		ck_assert_mem_eq(d.group.value, "gg", 2);
		ck_assert_uint_eq(d.nodeid, 3);
		ck_assert_uint_eq(d.pid, 999);
		/* a name length beyond the field is clamped */
		cpg_wire_put_u32(b, 24, 5000);
		ck_assert_int_eq(cpg_wire_res_iter_desc(b, 168, &d), 0);
		ck_assert_uint_eq(d.group.length, CPG_MAX_NAME_LENGTH);
	}

	memset(b, 0, sizeof(b));
	cpg_wire_put_res_hdr(b, CPG_RES_MEMBERSHIP, sizeof(b), CS_OK);
	cpg_wire_put_u32(b, 24, 3);
	for (uint32_t i = 0; i < 3; i++) {
		cpg_wire_put_u32(b, 32 + i * 24, 10 + i);
		cpg_wire_put_u32(b, 32 + i * 24 + 8, 100 + i);
		cpg_wire_put_u32(b, 32 + i * 24 + 16, 1);
	}
	ck_assert_int_eq(cpg_wire_res_members(b, sizeof(b), list, 4, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(list[2].nodeid, 12);
	ck_assert_uint_eq(list[2].pid, 102);
	ck_assert_uint_eq(list[2].reason, 1);
	/* no more than the caller has room for */
	ck_assert_int_eq(cpg_wire_res_members(b, sizeof(b), list, 2, &n), 0);
	ck_assert_uint_eq(n, 2);
	/* a count beyond what was received, or beyond the protocol's room */
	ck_assert_int_eq(cpg_wire_res_members(b, 32 + 2 * 24, list, 4, &n),
		-EBADMSG);
	cpg_wire_put_u32(b, 24, 385);
	ck_assert_int_eq(cpg_wire_res_members(b, sizeof(b), list, 4, &n),
		-EBADMSG);
	cpg_wire_put_u32(b, 24, 0xffffffff);
	ck_assert_int_eq(cpg_wire_res_members(b, sizeof(b), list, 4, &n),
		-EBADMSG);
}
END_TEST

/*
 * Every field of a response is read only when the bytes are there: a
 * response cut anywhere before the end of a field, or a count larger than
 * the entries that follow, is malformed, and nothing is read past len
 * (the bytes beyond it are poisoned and would show in the result).
 */
START_TEST(truncated_responses)
{
	uint8_t b[CPG_WIRE_MEMBERSHIP_RES_SIZE];
	struct cpg_address list[4];
	struct cpg_iteration_description_t d;
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	size_t len, n = 99;

	memset(b, 0xee, sizeof(b));
	for (len = 0; len < 28; len++)
		ck_assert_int_eq(cpg_wire_res_local_nodeid(b, len, &v32),
			-EBADMSG);
	for (len = 0; len < 32; len++)
		ck_assert_int_eq(cpg_wire_res_iter_handle(b, len, &v64),
			-EBADMSG);
	for (len = 0; len < CPG_WIRE_ITER_NEXT_RES_SIZE; len++)
		ck_assert_int_eq(cpg_wire_res_iter_desc(b, len, &d), -EBADMSG);
	ck_assert_uint_eq(v32, 0);
	ck_assert_uint_eq(v64, 0);

	/* a membership response cut before its count or before its list */
	memset(b, 0, sizeof(b));
	cpg_wire_put_res_hdr(b, CPG_RES_MEMBERSHIP, 32 + 2 * 24, CS_OK);
	cpg_wire_put_u32(b, 24, 2);
	for (len = 0; len < 32; len++)
		ck_assert_int_eq(cpg_wire_res_members(b, len, list, 4, &n),
			-EBADMSG);
	/* a count larger than the entries that follow, by one byte or more,
	 * even when the caller has room for fewer */
	for (len = 32; len < 32 + 2 * 24; len++) {
		ck_assert_int_eq(cpg_wire_res_members(b, len, list, 4, &n),
			-EBADMSG);
		ck_assert_int_eq(cpg_wire_res_members(b, len, list, 1, &n),
			-EBADMSG);
	}
	ck_assert_uint_eq(n, 99);
	ck_assert_int_eq(cpg_wire_res_members(b, 32 + 2 * 24, list, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	/* no count at all: an empty group */
	cpg_wire_put_u32(b, 24, 0);
	ck_assert_int_eq(cpg_wire_res_members(b, 32, list, 4, &n), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(zero_copy_responses)
{
	uint8_t b[32];

	/* what corosync 3.1 sends: a header it never filled in */
	memset(b, 0, sizeof(b));
	cpg_wire_put_u32(b, 8, 24);
	cpg_wire_put_u32(b, 16, 0xd82c1208);
	ck_assert_int_eq(cpg_wire_res_zc(b, 24, CPG_RES_ZC_ALLOC), 0);
	/* a real answer is believed */
	cpg_wire_put_res_hdr(b, CPG_RES_ZC_ALLOC, 24, CS_ERR_NO_MEMORY);
	ck_assert_int_eq(cpg_err_to_cs(cpg_wire_res_zc(b, 24, CPG_RES_ZC_ALLOC)),
		CS_ERR_NO_MEMORY);
	cpg_wire_put_res_hdr(b, CPG_RES_ZC_FREE, 24, CS_OK);
	ck_assert_int_eq(cpg_wire_res_zc(b, 24, CPG_RES_ZC_FREE), 0);
	ck_assert_int_eq(cpg_wire_res_zc(b, 20, CPG_RES_ZC_FREE), -EBADMSG);
}
END_TEST

/* Cut an event to len bytes, with its size field saying so. */
static int decode_cut(uint8_t *b, size_t len, struct cpg_event *ev)
{
	if (len >= 12)
		cpg_wire_put_u32(b, 8, (uint32_t)len);
	return cpg_wire_event_decode(b, len, ev);
}

START_TEST(event_deliver)
{
	uint8_t b[512];
	struct cpg_event ev;
	size_t len = ev_deliver(b, "grp", 3, 4567, "hello", 5);

	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), 0);
	ck_assert_int_eq(ev.id, CPG_EV_DELIVER);
	ck_assert_uint_eq(ev.group.length, 3);
	ck_assert_mem_eq(ev.group.value, "grp", 3);
	ck_assert_uint_eq(ev.nodeid, 3);
	ck_assert_uint_eq(ev.pid, 4567);
	ck_assert_uint_eq(ev.data_len, 5);
	ck_assert_mem_eq(ev.data, "hello", 5);
	ck_assert_ptr_eq(ev.data, b + 184);
	cpg_wire_event_release(&ev);

	/* an empty message is fine */
	len = ev_deliver(b, "grp", 3, 4567, "", 0);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), 0);
	ck_assert_uint_eq(ev.data_len, 0);

	/* size field disagreeing with what was received */
	len = ev_deliver(b, "grp", 3, 4567, "hello", 5);
	ck_assert_int_eq(cpg_wire_event_decode(b, len - 1, &ev), -EBADMSG);
	ck_assert_int_eq(cpg_wire_event_decode(b, len + 1, &ev), -EBADMSG);
	/* msglen saying more, or less, than the payload */
	cpg_wire_put_u32(b, 160, 6);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	cpg_wire_put_u32(b, 160, 4);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	cpg_wire_put_u32(b, 160, 0xffffffff);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	/* a group name longer than its field */
	len = ev_deliver(b, "grp", 3, 4567, "hello", 5);
	cpg_wire_put_u32(b, 24, 129);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	/* every truncation */
	for (size_t cut = 0; cut < 184; cut++) {
		ev_deliver(b, "grp", 3, 4567, "hello", 5);
		ck_assert_int_eq(decode_cut(b, cut, &ev), -EBADMSG);
	}
}
END_TEST

START_TEST(event_confchg)
{
	uint8_t b[2048];
	struct cpg_event ev;
	size_t len = ev_confchg(b, 3, 1, 2);

	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), 0);
	ck_assert_int_eq(ev.id, CPG_EV_CONFCHG);
	ck_assert_uint_eq(ev.n_members, 3);
	ck_assert_uint_eq(ev.n_left, 1);
	ck_assert_uint_eq(ev.n_joined, 2);
	ck_assert_uint_eq(ev.members[0].pid, 1000);
	ck_assert_uint_eq(ev.members[2].pid, 1002);
	ck_assert_uint_eq(ev.left[0].pid, 2003);
	ck_assert_uint_eq(ev.left[0].reason, CPG_REASON_LEAVE);
	ck_assert_uint_eq(ev.joined[0].pid, 3004);
	ck_assert_uint_eq(ev.joined[1].pid, 3005);
	ck_assert_uint_eq(ev.joined[1].reason, CPG_REASON_JOIN);
	cpg_wire_event_release(&ev);

	len = ev_confchg(b, 0, 0, 0);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), 0);
	ck_assert_ptr_nonnull(ev.members);
	cpg_wire_event_release(&ev);

	/* counts beyond the received entries, one by one and summed */
	len = ev_confchg(b, 3, 1, 2);
	for (int field = 0; field < 3; field++) {
		ev_confchg(b, 3, 1, 2);
		cpg_wire_put_u32(b, 160 + field * 8, 7);
		ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
		cpg_wire_put_u32(b, 160 + field * 8, 0xffffffff);
		ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	}
	ev_confchg(b, 3, 1, 2);
	cpg_wire_put_u32(b, 160, 0x80000000);
	cpg_wire_put_u32(b, 168, 0x80000000);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	/* every truncation of the entries */
	for (size_t cut = 0; cut < len; cut++) {
		ev_confchg(b, 3, 1, 2);
		ck_assert_int_eq(decode_cut(b, cut, &ev), -EBADMSG);
	}
	/* more room than entries (oversized) is fine: counts rule */
	len = ev_confchg(b, 3, 1, 2);
	cpg_wire_put_u32(b, 8, (uint32_t)len + 48);
	ck_assert_int_eq(cpg_wire_event_decode(b, len + 48, &ev), 0);
	ck_assert_uint_eq(ev.n_members, 3);
	cpg_wire_event_release(&ev);
}
END_TEST

START_TEST(event_partial)
{
	uint8_t b[1024];
	struct cpg_event ev;
	size_t len = ev_partial(b, 1000, 300, CPG_FRAG_FIRST);

	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), 0);
	ck_assert_int_eq(ev.id, CPG_EV_PARTIAL_DELIVER);
	ck_assert_uint_eq(ev.msglen, 1000);
	ck_assert_uint_eq(ev.data_len, 300);
	ck_assert_uint_eq(ev.nodeid, 2);
	ck_assert_uint_eq(ev.pid, 55);
	ck_assert_uint_eq(ev.frag_type, CPG_FRAG_FIRST);
	ck_assert_ptr_eq(ev.data, b + 200);

	/* fraglen other than the payload, beyond the total, bad types */
	cpg_wire_put_u32(b, 168, 301);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	len = ev_partial(b, 200, 300, CPG_FRAG_FIRST);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	len = ev_partial(b, 1000, 300, 0);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	len = ev_partial(b, 1000, 300, 4);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	for (size_t cut = 0; cut < 200; cut++) {
		ev_partial(b, 1000, 300, CPG_FRAG_LAST);
		ck_assert_int_eq(decode_cut(b, cut, &ev), -EBADMSG);
	}
}
END_TEST

START_TEST(event_totem_and_flow)
{
	uint8_t b[1024];
	struct cpg_event ev;
	size_t len = ev_totem(b, 3, 3);

	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), 0);
	ck_assert_int_eq(ev.id, CPG_EV_TOTEM_CONFCHG);
	ck_assert_uint_eq(ev.ring.nodeid, 1);
	ck_assert_uint_eq(ev.ring.seq, 0x1234);
	ck_assert_uint_eq(ev.n_nodes, 3);
	ck_assert_uint_eq(ev.nodes[2], 3);
	cpg_wire_event_release(&ev);
	/* a fixed-size array with room to spare */
	len = ev_totem(b, 2, 128);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), 0);
	ck_assert_uint_eq(ev.n_nodes, 2);
	cpg_wire_event_release(&ev);
	/* more nodes than were received */
	len = ev_totem(b, 4, 3);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	len = ev_totem(b, 0xffffffff, 3);
	ck_assert_int_eq(cpg_wire_event_decode(b, len, &ev), -EBADMSG);
	for (size_t cut = 0; cut < 44 + 12; cut++) {
		ev_totem(b, 3, 3);
		ck_assert_int_eq(decode_cut(b, cut, &ev), -EBADMSG);
	}

	ev_flow(b, 1);
	ck_assert_int_eq(cpg_wire_event_decode(b, 32, &ev), 0);
	ck_assert_int_eq(ev.id, CPG_EV_FLOWCONTROL);
	ck_assert_uint_eq(ev.flow_control, 1);
	ck_assert_int_eq(decode_cut(b, 27, &ev), -EBADMSG);

	/* an id that is no event */
	cpg_wire_put_res_hdr(b, CPG_RES_JOIN, 32, CS_OK);
	ck_assert_int_eq(cpg_wire_event_decode(b, 32, &ev), -ENOTSUP);
	cpg_wire_put_res_hdr(b, 0x7fffffff, 32, CS_OK);
	ck_assert_int_eq(cpg_wire_event_decode(b, 32, &ev), -ENOTSUP);
}
END_TEST

/* Random bytes with a consistent size field: decoding never crashes
 * and whatever it accepts lies within the buffer. */
START_TEST(event_random)
{
	static const uint32_t ids[] = { 4, 5, 8, 13, 17, 3, 99 };
	uint8_t *b = malloc(4096);
	unsigned int seed = 12345;

	for (int round = 0; round < 200000; round++) {
		size_t len = (size_t)rand_r(&seed) % 600;
		struct cpg_event ev;

		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)rand_r(&seed);
		/* small counts now and then, so some events decode */
		if (len >= 200 && rand_r(&seed) % 2) {
			cpg_wire_put_u32(b, 24, rand_r(&seed) % 130);
			cpg_wire_put_u32(b, 160, rand_r(&seed) % 8);
			cpg_wire_put_u32(b, 168, rand_r(&seed) % 8);
			cpg_wire_put_u32(b, 176, rand_r(&seed) % 8);
		}
		if (len >= 24) {
			cpg_wire_put_u32(b, 0, ids[rand_r(&seed) % 7]);
			cpg_wire_put_u32(b, 8, (uint32_t)len);
		}
		if (cpg_wire_event_decode(b, len, &ev) == 0) {
			if (ev.data) {
				ck_assert((uint8_t *)ev.data >= b);
				ck_assert((uint8_t *)ev.data + ev.data_len <= b + len);
			}
			ck_assert_uint_le((ev.n_members + ev.n_left + ev.n_joined)
				* 24, len);
			ck_assert_uint_le(ev.group.length, CPG_MAX_NAME_LENGTH);
			cpg_wire_event_release(&ev);
		}
	}
	free(b);
}
END_TEST


/* A batch of a deliver ("ab", 2 bytes, padded to 8) and a flow event. */
static size_t make_batch(uint8_t *b)
{
	size_t off = CPG_WIRE_BATCH_HDR, n;

	memset(b, 0, 1024);
	n = ev_deliver(b + off, "grp", 1, 2, "ab", 2);
	off += (n + 7) & ~(size_t)7;
	n = ev_flow(b + off, 1);
	off += (n + 7) & ~(size_t)7;
	cpg_wire_put_res_hdr(b, CPG_EV_BATCH, (uint32_t)off, CS_OK);
	cpg_wire_put_u32(b, 24, 2);
	return off;
}

START_TEST(fast_path)
{
	uint8_t b[1024], req[CPG_WIRE_FAST_HELLO_SIZE];
	struct cpg_batch bt;
	struct cpg_event ev;
	uint8_t *item;
	size_t len, ilen;
	uint32_t v = 0;

	cpg_wire_fast_hello(req, 1);
	ck_assert_uint_eq(U32(req, 0), 0x43504700u);
	ck_assert_uint_eq(U32(req, 8), 24);
	ck_assert_uint_eq(U32(req, 16), 1);
	ck_assert_uint_eq(U32(req, 20), 0);

	/* accepted; refused as corosync refuses an unknown request; odd */
	memset(b, 0, sizeof(b));
	cpg_wire_put_res_hdr(b, CPG_RES_FAST_HELLO, 32, CS_OK);
	cpg_wire_put_u32(b, 24, 1);
	ck_assert_int_eq(cpg_wire_res_fast_hello(b, 32, &v), 1);
	ck_assert_uint_eq(v, 1);
	cpg_wire_put_u32(b, 24, 2);		/* the request ring too */
	ck_assert_int_eq(cpg_wire_res_fast_hello(b, 32, &v), 1);
	ck_assert_uint_eq(v, 2);
	cpg_wire_put_u32(b, 24, 3);		/* a version we do not speak */
	ck_assert_int_eq(cpg_wire_res_fast_hello(b, 32, &v), 0);
	cpg_wire_put_res_hdr(b, 0, 24, CS_ERR_INVALID_PARAM);
	ck_assert_int_eq(cpg_wire_res_fast_hello(b, 24, &v), 0);
	cpg_wire_put_res_hdr(b, CPG_RES_FAST_HELLO, 24, CS_ERR_EXIST);
	ck_assert_int_eq(cpg_wire_res_fast_hello(b, 24, &v), 0);
	ck_assert_int_eq(cpg_wire_res_fast_hello(b, 10, &v), -EBADMSG);

	/* a good batch: two items, then done */
	len = make_batch(b);
	ck_assert(cpg_wire_is_batch(b, len));
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), 0);
	ck_assert_int_eq(cpg_wire_batch_next(&bt, &item, &ilen), 1);
	ck_assert_ptr_eq(item, b + 32);
	ck_assert_int_eq(cpg_wire_event_decode(item, ilen, &ev), 0);
	ck_assert_int_eq(ev.id, CPG_EV_DELIVER);
	ck_assert_mem_eq(ev.data, "ab", 2);
	cpg_wire_event_release(&ev);
	ck_assert(cpg_wire_batch_pending(&bt));
	ck_assert_int_eq(cpg_wire_batch_next(&bt, &item, &ilen), 1);
	ck_assert_int_eq(cpg_wire_event_decode(item, ilen, &ev), 0);
	ck_assert_int_eq(ev.id, CPG_EV_FLOWCONTROL);
	ck_assert_int_eq(cpg_wire_batch_next(&bt, &item, &ilen), 0);
	ck_assert(!cpg_wire_batch_pending(&bt));

	/* malformed headers: nothing kept */
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len - 8), -EBADMSG);
	cpg_wire_put_u32(b, 24, 0);
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), -EBADMSG);
	cpg_wire_put_u32(b, 24, 1000);
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), -EBADMSG);
	ck_assert(!cpg_wire_batch_pending(&bt));
	len = make_batch(b);
	cpg_wire_put_u32(b, 28, 1);
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), -EBADMSG);

	/* an item claiming more than the batch holds: the rest dropped */
	len = make_batch(b);
	cpg_wire_put_u32(b, 32 + 8, 4096);
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), 0);
	ck_assert_int_eq(cpg_wire_batch_next(&bt, &item, &ilen), -EBADMSG);
	ck_assert(!cpg_wire_batch_pending(&bt));
	/* an item shorter than a header */
	len = make_batch(b);
	cpg_wire_put_u32(b, 32 + 8, 8);
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), 0);
	ck_assert_int_eq(cpg_wire_batch_next(&bt, &item, &ilen), -EBADMSG);
	/* a batch inside a batch */
	len = make_batch(b);
	cpg_wire_put_u32(b, 32, CPG_EV_BATCH);
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), 0);
	ck_assert_int_eq(cpg_wire_batch_next(&bt, &item, &ilen), -EBADMSG);
	/* fewer items than counted, bytes left over after the last */
	len = make_batch(b);
	cpg_wire_put_u32(b, 24, 1);
	ck_assert_int_eq(cpg_wire_batch_open(&bt, b, len), 0);
	ck_assert_int_eq(cpg_wire_batch_next(&bt, &item, &ilen), -EBADMSG);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { requests, mcast_headers, zero_copy_requests,
		responses, truncated_responses, zero_copy_responses,
		event_deliver, event_confchg,
		event_partial, event_totem_and_flow, event_random, fast_path,
		NULL };

	return unit_suite_of("lib_wire", "wire", 30, tests);
}
