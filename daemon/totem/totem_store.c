/* Messages of one ring, held by sequence number until every member has
 * them and they are delivered (then nobody can ask for them again). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "totem/totem_int.h"

int tm_store_init(struct tm_store *s)
{
	memset(s, 0, sizeof(*s));
	s->slot = calloc(TM_STORE_CAP, sizeof(*s->slot));
	return s->slot ? 0 : -ENOMEM;
}

void tm_store_free(struct tm_store *s)
{
	uint32_t i;

	if (!s->slot)
		return;
	for (i = 0; i < TM_STORE_CAP; i++)
		free(s->slot[i]);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

struct tm_msg *tm_store_get(const struct tm_store *s, uint32_t seq)
{
	if (!s->slot || seq <= s->base || seq - s->base > TM_STORE_CAP)
		return NULL;
	return s->slot[seq % TM_STORE_CAP];
}

int tm_store_put(struct tm_store *s, const struct tw_mcast *m)
{
	struct tm_msg *msg;

	if (!s->slot || m->seq <= s->base || m->seq - s->base > TM_STORE_CAP)
		return 0;
	if (s->slot[m->seq % TM_STORE_CAP])
		return 0;
	msg = malloc(sizeof(*msg) + m->body_len);
	if (!msg)
		return -ENOMEM;
	msg->seq = m->seq;
	msg->origin = m->origin;
	msg->flags = m->flags;
	msg->old_ring = m->old_ring;
	msg->old_seq = m->old_seq;
	msg->old_flags = m->old_flags;
	msg->body_len = m->body_len;
	memcpy(msg->body, m->body, m->body_len);
	s->slot[m->seq % TM_STORE_CAP] = msg;
	if (m->seq > s->high)
		s->high = m->seq;
	while (s->aru < s->high && tm_store_get(s, s->aru + 1))
		s->aru++;
	return 1;
}

void tm_store_gc(struct tm_store *s, uint32_t upto)
{
	if (!s->slot)
		return;
	if (upto > s->aru)
		upto = s->aru;
	if (upto > s->delivered)
		upto = s->delivered;
	while (s->base < upto) {
		s->base++;
		free(s->slot[s->base % TM_STORE_CAP]);
		s->slot[s->base % TM_STORE_CAP] = NULL;
	}
}
