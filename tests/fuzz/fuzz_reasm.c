/*
 * libFuzzer target for the library's fragment reassembly (lib/cpg_reasm.c),
 * checked against a plain model of the rules in cpg_reasm.h: per sender, a
 * first fragment starts a message (abandoning any under way), continued and
 * last fragments must fit it, a last one must complete it exactly, anything
 * else drops the sender's message.  Every answer and every completed
 * message must match the model's; a mismatch aborts.
 *
 * Input: records of u8 sender (low 2 bits nodeid, next 2 bits pid; bit 7:
 * a 4-byte message length follows instead of 2), u8 type (mod 5), msglen,
 * u16 fragment length, fragment bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_reasm.h"
#include "cpg_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct model {
	int active;
	uint32_t msglen;
	uint32_t have;
	uint8_t *buf;
};

static int model_add(struct model *m, uint32_t type, uint32_t msglen,
		     const uint8_t *frag, size_t fraglen)
{
	if (type == CPG_FRAG_FIRST) {
		free(m->buf);
		memset(m, 0, sizeof(*m));
		if (msglen == 0 || msglen > CPG_REASM_MAX_MSG)
			return -EBADMSG;
		m->active = 1;
		m->msglen = msglen;
	} else if (type != CPG_FRAG_CONTINUED && type != CPG_FRAG_LAST) {
		free(m->buf);
		memset(m, 0, sizeof(*m));
		return -EBADMSG;
	} else if (!m->active) {
		return -EBADMSG;
	}
	if (m->msglen != msglen || fraglen > m->msglen - m->have ||
	    (type == CPG_FRAG_LAST && m->have + fraglen != m->msglen)) {
		free(m->buf);
		memset(m, 0, sizeof(*m));
		return -EBADMSG;
	}
	m->buf = realloc(m->buf, (size_t)m->have + fraglen + 1);
	if (!m->buf)
		abort();
	if (fraglen)
		memcpy(m->buf + m->have, frag, fraglen);
	m->have += (uint32_t)fraglen;
	return type == CPG_FRAG_LAST ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpg_reasm r;
	struct model models[16];
	size_t pos = 0, i, active;

	memset(models, 0, sizeof(models));
	cpg_reasm_init(&r);
	while (pos + 6 <= size) {
		uint8_t who = data[pos];
		uint32_t type = data[pos + 1] % 5, msglen;
		size_t fraglen;
		struct model *m = &models[who & 15];
		void *msg = NULL;
		size_t len = 0;
		int rc, want;

		pos += 2;
		if (who & 0x80) {
			if (pos + 6 > size)
				break;
			memcpy(&msglen, data + pos, 4);
			pos += 4;
		} else {
			msglen = (uint32_t)data[pos] | (uint32_t)data[pos + 1] << 8;
			pos += 2;
		}
		fraglen = (size_t)data[pos] | (size_t)data[pos + 1] << 8;
		pos += 2;
		if (fraglen > size - pos)
			fraglen = size - pos;
		want = model_add(m, type, msglen, data + pos, fraglen);
		rc = cpg_reasm_add(&r, who & 3, (who >> 2) & 3, type, msglen,
				   data + pos, fraglen, &msg, &len);
		pos += fraglen;
		if (rc != want)
			abort();
		if (rc == 1) {
			if (len != m->msglen || memcmp(msg, m->buf, len) != 0)
				abort();
			free(msg);
			free(m->buf);
			memset(m, 0, sizeof(*m));
		}
		for (i = 0, active = 0; i < 16; i++)
			active += models[i].active != 0;
		if (cpg_reasm_pending(&r) != active)
			abort();
	}
	cpg_reasm_fini(&r);
	for (i = 0; i < 16; i++)
		free(models[i].buf);
	return 0;
}
