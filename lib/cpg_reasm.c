#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_reasm.h"
#include "cpg_wire.h"

void cpg_reasm_init(struct cpg_reasm *r)
{
	r->slots = NULL;
	r->n_slots = 0;
}

void cpg_reasm_fini(struct cpg_reasm *r)
{
	for (size_t i = 0; i < r->n_slots; i++)
		free(r->slots[i].buf);
	free(r->slots);
	cpg_reasm_init(r);
}

static struct cpg_reasm_slot *find(struct cpg_reasm *r, uint32_t nodeid,
	uint32_t pid)
{
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].nodeid == nodeid && r->slots[i].pid == pid)
			return &r->slots[i];
	return NULL;
}

/* Forget a sender's message; the slot array stays dense. */
static void drop(struct cpg_reasm *r, struct cpg_reasm_slot *s)
{
	free(s->buf);
	*s = r->slots[--r->n_slots];
	if (r->n_slots == 0) {
		free(r->slots);
		r->slots = NULL;
	}
}

static int start(struct cpg_reasm *r, uint32_t nodeid, uint32_t pid,
	uint32_t msglen, struct cpg_reasm_slot **out)
{
	struct cpg_reasm_slot *slots;

	if (msglen == 0 || msglen > CPG_REASM_MAX_MSG)
		return -EBADMSG;
	slots = realloc(r->slots, (r->n_slots + 1) * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	r->slots = slots;
	*out = &slots[r->n_slots++];
	**out = (struct cpg_reasm_slot){
		.nodeid = nodeid, .pid = pid, .msglen = msglen,
	};
	return 0;
}

/* Make room for len more bytes: doubling, never beyond the total. */
static int grow(struct cpg_reasm_slot *s, size_t len)
{
	size_t need = (size_t)s->have + len, room = s->room;
	uint8_t *buf;

	if (need <= room)
		return 0;
	while (room < need)
		room = room ? room * 2 : 65536;
	if (room > s->msglen)
		room = s->msglen;
	buf = realloc(s->buf, room);
	if (!buf)
		return -ENOMEM;
	s->buf = buf;
	s->room = (uint32_t)room;
	return 0;
}

int cpg_reasm_add(struct cpg_reasm *r, uint32_t nodeid, uint32_t pid,
	uint32_t type, uint32_t msglen, const void *frag, size_t fraglen,
	void **msg, size_t *len)
{
	struct cpg_reasm_slot *s = find(r, nodeid, pid);
	int rc;

	if (type == CPG_FRAG_FIRST) {
		/* a new start abandons whatever this sender had under way */
		if (s)
			drop(r, s);
		rc = start(r, nodeid, pid, msglen, &s);
		if (rc < 0)
			return rc;
	} else if (type != CPG_FRAG_CONTINUED && type != CPG_FRAG_LAST) {
		if (s)
			drop(r, s);
		return -EBADMSG;
	} else if (!s) {
		return -EBADMSG;
	}

	if (s->msglen != msglen || fraglen > s->msglen - s->have ||
	    (type == CPG_FRAG_LAST && s->have + fraglen != s->msglen)) {
		drop(r, s);
		return -EBADMSG;
	}
	if (grow(s, fraglen) < 0) {
		drop(r, s);
		return -ENOMEM;
	}
	if (fraglen > 0)
		memcpy(s->buf + s->have, frag, fraglen);
	s->have += (uint32_t)fraglen;
	if (type != CPG_FRAG_LAST)
		return 0;

	*msg = s->buf;
	*len = s->msglen;
	s->buf = NULL;
	drop(r, s);
	return 1;
}

size_t cpg_reasm_pending(const struct cpg_reasm *r)
{
	return r->n_slots;
}
