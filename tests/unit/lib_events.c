/* Helper of the library tests: builds daemon events (lib_events.h). */
#include <config.h>

#include <string.h>

#include "cpg_wire.h"
#include "lib_events.h"

struct cpg_name ev_name(const char *s)
{
	struct cpg_name n;

	memset(&n, 0, sizeof(n));
	n.length = (uint32_t)strlen(s);
	memcpy(n.value, s, n.length);
	return n;
}

size_t ev_deliver(uint8_t *b, const char *group, uint32_t nodeid,
	uint32_t pid, const void *msg, uint32_t len)
{
	struct cpg_name g = ev_name(group);

	memset(b, 0, 184);
	cpg_wire_put_res_hdr(b, CPG_EV_DELIVER, 184 + len, CS_OK);
	cpg_wire_put_name(b, 24, &g);
	cpg_wire_put_u32(b, 160, len);
	cpg_wire_put_u32(b, 168, nodeid);
	cpg_wire_put_u32(b, 176, pid);
	memcpy(b + 184, msg, len);
	return 184 + len;
}

size_t ev_confchg(uint8_t *b, uint32_t m, uint32_t l, uint32_t j)
{
	struct cpg_name g = ev_name("cc");
	size_t len = 184 + (size_t)(m + l + j) * 24;

	memset(b, 0, len);
	cpg_wire_put_res_hdr(b, CPG_EV_CONFCHG, (uint32_t)len, CS_OK);
	cpg_wire_put_name(b, 24, &g);
	cpg_wire_put_u32(b, 160, m);
	cpg_wire_put_u32(b, 168, j);
	cpg_wire_put_u32(b, 176, l);
	/* wire order: members, left, joined; the pid tells which list */
	for (uint32_t i = 0; i < m + l + j; i++) {
		uint32_t pid = i < m ? 1000 + i : i < m + l ? 2000 + i : 3000 + i;

		cpg_wire_put_u32(b, 184 + i * 24, 1);
		cpg_wire_put_u32(b, 184 + i * 24 + 8, pid);
		cpg_wire_put_u32(b, 184 + i * 24 + 16,
			i < m ? 0 : i < m + l ? CPG_REASON_LEAVE : CPG_REASON_JOIN);
	}
	return len;
}

size_t ev_partial(uint8_t *b, uint32_t msglen, uint32_t fraglen,
	uint32_t type)
{
	struct cpg_name g = ev_name("pp");

	memset(b, 0, 200 + (size_t)fraglen);
	cpg_wire_put_res_hdr(b, CPG_EV_PARTIAL_DELIVER, 200 + fraglen, CS_OK);
	cpg_wire_put_name(b, 24, &g);
	cpg_wire_put_u32(b, 160, msglen);
	cpg_wire_put_u32(b, 168, fraglen);
	cpg_wire_put_u32(b, 176, 2);
	cpg_wire_put_u32(b, 184, 55);
	cpg_wire_put_u32(b, 192, type);
	memset(b + 200, 'f', fraglen);
	return 200 + (size_t)fraglen;
}

size_t ev_totem(uint8_t *b, uint32_t n, size_t room)
{
	size_t len = 44 + room * 4;

	memset(b, 0, len);
	cpg_wire_put_res_hdr(b, CPG_EV_TOTEM_CONFCHG, (uint32_t)len, CS_OK);
	cpg_wire_put_u32(b, 24, 1);
	cpg_wire_put_u64(b, 32, 0x1234);
	cpg_wire_put_u32(b, 40, n);
	for (uint32_t i = 0; i < n && i < room; i++)
		cpg_wire_put_u32(b, 44 + i * 4, i + 1);
	return len;
}

size_t ev_flow(uint8_t *b, uint32_t state)
{
	memset(b, 0, 32);
	cpg_wire_put_res_hdr(b, CPG_EV_FLOWCONTROL, 32, CS_OK);
	cpg_wire_put_u32(b, 24, state);
	return 32;
}
