/*
 * libFuzzer on the daemon's reader of a client's request ring
 * (daemon/ipc/ipc_ring_parse.c): the input is the ring's indices (head,
 * tail: 16 bytes) and its data; every entry read is checked against what
 * the reader promises, until it finds the ring empty or refuses it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/ipc_proto.h"
#include "ipc/ipc_ring_parse.h"

#define SIZE 4096u
#define ROOM 2048u

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint8_t ring[SIZE], out[ROOM];
	uint64_t head, tail;
	unsigned int i;

	if (n < 16)
		return 0;
	memcpy(&head, d, 8);
	memcpy(&tail, d + 8, 8);
	/* small indices make the interesting cases likely */
	head %= 4 * SIZE;
	tail = head + tail % (2 * SIZE);
	memset(ring, 0, sizeof(ring));
	memcpy(ring, d + 16, n - 16 < SIZE ? n - 16 : SIZE);
	for (i = 0; i < SIZE; i++) {
		size_t len = 0;
		uint32_t id, size;
		int rc = ipc_ring_next(ring, SIZE, head, tail, out, ROOM, &len,
				       NULL);

		if (rc == -EAGAIN && head != tail)
			abort();
		if (rc < 0)
			break;
		memcpy(&id, out, 4);
		memcpy(&size, out + CPG_WIRE_HDR_SIZE, 4);
		if (id != CPG_REQ_MCAST || size != len ||
		    len < CPG_WIRE_MCAST_HDR || len > ROOM ||
		    ipc_ring_step(len) > tail - head)
			abort();
		head += ipc_ring_step(len);
	}
	return 0;
}
