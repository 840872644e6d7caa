/*
 * The pure parts of daemon/net: our header and knet's destination filter
 * (which decides, in knet's threads, who gets a packet and whether a
 * received one is accepted).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/net_int.h"
#include "util/err.h"
#include "unit/check_main.h"

static struct net *fake_net(void)
{
	struct net *n = calloc(1, sizeof(*n));

	ck_assert_ptr_nonnull(n);
	n->local = 1;
	/* peers 2 and 3 */
	n->known[0] = (1u << 2) | (1u << 3);
	return n;
}

static void packet(uint8_t *buf, uint32_t src, uint32_t dst)
{
	struct net_header h = { .src = src, .dst = dst };

	memset(buf, 0xaa, 64);
	net_header_put(buf, &h);
}

START_TEST(header_round_trip)
{
	uint8_t buf[NET_HEADER_LEN];
	struct net_header h = { .src = 0x01020304, .dst = 0xa0b0c0d0 }, g;
	static const uint8_t want[NET_HEADER_LEN] = {
		1, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0,
	};

	net_header_put(buf, &h);
	ck_assert_mem_eq(buf, want, sizeof(want)); /* big endian on the wire */
	ck_assert_int_eq(net_header_get(buf, sizeof(buf), &g), 0);
	ck_assert_uint_eq(g.src, h.src);
	ck_assert_uint_eq(g.dst, h.dst);
	ck_assert_int_eq(net_header_get(buf, sizeof(buf) - 1, &g), -EBADMSG);
	ck_assert_int_eq(net_header_get(buf, 0, &g), -EBADMSG);
	buf[0] = 2;
	ck_assert_int_eq(net_header_get(buf, sizeof(buf), &g), -EBADMSG);
}
END_TEST

START_TEST(filter_tx)
{
	struct net *n = fake_net();
	uint8_t buf[64];
	knet_node_id_t dst[4] = { 0 };
	size_t entries = 0;
	int8_t ch = 0;

	packet(buf, 1, 0);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_TX, 1, 1, &ch, dst, &entries), 1);
	packet(buf, 1, 3);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_TX, 1, 1, &ch, dst, &entries), 0);
	ck_assert_uint_eq(entries, 1);
	ck_assert_uint_eq(dst[0], 3);
	packet(buf, 1, 4); /* not a peer */
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_TX, 1, 1, &ch, dst, &entries), -1);
	packet(buf, 1, 70000);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_TX, 1, 1, &ch, dst, &entries), -1);
	ck_assert_int_eq(net_filter_cb(n, buf, 5, KNET_NOTIFY_TX, 1, 1, &ch, dst, &entries), -1);
	ck_assert_int_eq(net_filter_cb(n, buf, -1, KNET_NOTIFY_TX, 1, 1, &ch, dst, &entries), -1);
	free(n);
}
END_TEST

START_TEST(filter_rx)
{
	struct net *n = fake_net();
	uint8_t buf[64];
	knet_node_id_t dst[4] = { 0 };
	size_t entries = 0;
	int8_t ch = 0;

	packet(buf, 2, 0);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_RX, 1, 2, &ch, dst, &entries), 1);
	/* claims to be 3 but knet got it from 2 */
	packet(buf, 3, 0);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_RX, 1, 2, &ch, dst, &entries), -1);
	/* a sender that is not in our nodelist */
	packet(buf, 9, 0);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_RX, 1, 9, &ch, dst, &entries), -1);
	packet(buf, 2, 1);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_RX, 1, 2, &ch, dst, &entries), 0);
	ck_assert_uint_eq(entries, 1);
	ck_assert_uint_eq(dst[0], 1);
	/* for someone else */
	packet(buf, 2, 3);
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_RX, 1, 2, &ch, dst, &entries), -1);
	packet(buf, 2, 0);
	buf[0] = 9; /* another header version */
	ck_assert_int_eq(net_filter_cb(n, buf, 64, KNET_NOTIFY_RX, 1, 2, &ch, dst, &entries), -1);
	free(n);
}
END_TEST

START_TEST(send_checks_before_knet)
{
	struct net *n = fake_net();
	static uint8_t big[NET_MAX_PAYLOAD + 1];

	/* refused before knet is touched (n->kh is NULL here) */
	ck_assert_int_eq(net_send_to(n, 4, "x", 1), -EHOSTUNREACH);
	ck_assert_int_eq(net_send_to(n, 1, "x", 1), -EHOSTUNREACH);
	ck_assert_int_eq(net_send_all(n, big, sizeof(big)), -EMSGSIZE);
	ck_assert_int_eq(net_send_to(n, 2, big, sizeof(big)), -EMSGSIZE);
	free(n);
}
END_TEST

START_TEST(create_rejects_bad_index)
{
	struct config cfg;
	struct net *n = (struct net *)&cfg;
	struct err e = { "" };

	ck_assert_int_eq(config_default_single_node(&cfg, &e), 0);
	ck_assert_int_eq(net_new(&cfg, 1, &n, &e), -EINVAL);
	ck_assert_ptr_null(n);
	ck_assert_str_eq(e.msg, "net: local node index 1 out of range");
	config_free(&cfg);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { header_round_trip, filter_tx, filter_rx,
		send_checks_before_knet, create_rejects_bad_index, NULL };

	return unit_suite_of("net_unit", "net", 10, tests);
}
