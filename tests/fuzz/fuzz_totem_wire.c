/*
 * libFuzzer target for the Totem decoder and the engine behind it.
 *
 * Each input is decoded with and without a node list; whatever decodes
 * must encode back to the same bytes.  Then the input, cut into packets
 * (first byte: source node, next two: length), is fed to an engine, which
 * must neither crash nor leak (run under ASan/UBSan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "totem/totem.h"
#include "totem/totem_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void f_send(void *a, uint32_t to, const void *p, size_t l) {}
static void f_arm(void *a, enum totem_timer t, uint64_t us) {}
static void f_cancel(void *a, enum totem_timer t) {}
static void f_deliver(void *a, uint32_t s, const void *m, size_t l,
		      enum totem_guarantee g) {}
static void f_conf(void *a, const struct totem_conf *c) {}
static void f_persist(void *a, uint64_t s) {}

static const struct totem_ops fops = {
	.send = f_send, .timer_arm = f_arm, .timer_cancel = f_cancel,
	.deliver = f_deliver, .conf = f_conf, .persist_seq = f_persist,
};

static void roundtrip(const uint8_t *data, size_t size,
		      const struct tw_limits *lim)
{
	static union tw_packet p;
	static uint8_t again[TW_MAX_PKT];
	int rc, n = -1;

	rc = tw_decode(data, size, lim, &p);
	switch (rc) {
	case TW_MCAST:
		n = tw_encode_mcast(again, sizeof(again), &p.mcast);
		break;
	case TW_TOKEN:
		n = tw_encode_token(again, sizeof(again), &p.token);
		break;
	case TW_JOIN:
		n = tw_encode_join(again, sizeof(again), &p.join);
		break;
	case TW_COMMIT:
		n = tw_encode_commit(again, sizeof(again), &p.commit);
		break;
	case TW_MERGE:
	case TW_HOLD_CANCEL:
		n = tw_encode_short(again, sizeof(again), &p.h);
		break;
	default:
		return;
	}
	if (n != (int)size || memcmp(again, data, size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t nodes[] = { 1, 2, 3, 4 };
	const struct tw_limits lim = { nodes, 4, 1400 };
	struct totem_config cfg;
	struct totem *t;
	size_t off = 0;
	uint64_t now = 0;

	roundtrip(data, size, NULL);
	roundtrip(data, size, &lim);

	memset(&cfg, 0, sizeof(cfg));
	cfg.nodeid = 2;
	totem_new(&cfg, &fops, NULL, 0, &t, NULL);
	if (!t)
		return 0;
	while (off + 3 <= size) {
		uint32_t from = data[off];
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];

		off += 3;
		if (len > size - off)
			len = size - off;
		totem_input_packet(t, from, data + off, len, now);
		off += len;
		now += 1000;
		if (from & 0x80)
			totem_input_timer(t, (enum totem_timer)(from % 7), now);
		if (from & 0x40)
			(void)totem_mcast(t, "x", 1, TOTEM_SAFE, now);
	}
	totem_destroy(t);
	return 0;
}
