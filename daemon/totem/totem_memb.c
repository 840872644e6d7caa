/*
 * Membership: gather (agree on who is reachable by exchanging join
 * messages), commit (the commit token goes round twice: first collecting
 * every member's old-ring state, then moving everyone to recovery),
 * recovery (members of the same old ring replay its messages in the new
 * ring until all of them hold the same set), and install (deliver the old
 * ring's rest, report the transitional then the regular configuration).
 * Merge detection and reaction to foreign rings live here too.
 */
#include <string.h>

#include "totem/totem_int.h"

/* Our join: proc and fail sets; `leaving` adds us to the fail set. */
static void send_join_sets(struct totem *t, int leaving)
{
	struct tw_join j;
	struct tm_set proc = t->proc, fail = t->fail;
	int len;

	if (leaving) {
		uint16_t i;

		/* every node we know of hears that we go */
		for (i = 0; t->have_ring && i < t->inst.memb.n; i++)
			tm_set_add(&proc, t->inst.memb.id[i]);
		tm_set_add(&proc, t->me);
		tm_set_add(&fail, t->me);
	}
	memset(&j, 0, sizeof(j));
	j.h.type = TW_JOIN;
	j.h.sender = t->me;
	if (t->have_ring)
		j.h.ring = t->inst.id;
	j.max_seq = t->max_seq;
	if (j.max_seq < j.h.ring.seq)
		j.max_seq = j.h.ring.seq;
	j.n_proc = proc.n;
	memcpy(j.proc, proc.id, proc.n * sizeof(uint32_t));
	j.n_fail = fail.n;
	memcpy(j.fail, fail.id, fail.n * sizeof(uint32_t));
	len = tw_encode_join(t->pkt, TW_MAX_PKT, &j);
	if (len > 0) {
		t->join_sent_at = t->now;
		tm_send(t, TOTEM_TO_ALL, t->pkt, (size_t)len);
		if (leaving)
			tm_send(t, TOTEM_TO_ALL, t->pkt, (size_t)len);
	}
}

static void send_join(struct totem *t)
{
	send_join_sets(t, 0);
}

/*
 * Leaving: a join naming ourselves failed.  Receivers merge it like any
 * join (merge_join), so we go to their fail set, they gather and agree
 * without us after one join interval, with no token or consensus timeout.
 */
void tm_memb_leave(struct totem *t)
{
	tm_log(t, TOTEM_LOG_INFO, "leaving the ring");
	send_join_sets(t, 1);
}

static uint64_t consensus_ms(const struct totem *t)
{
	size_t n = t->proc.n > t->inst.memb.n ? t->proc.n : t->inst.memb.n;

	if (t->consensus_ms)
		return t->consensus_ms;
	return tm_token_timeout_ms(t, n) * 12 / 10;
}

void tm_memb_consensus_restart(struct totem *t)
{
	tm_timer_arm(t, TOTEM_TIMER_CONSENSUS, consensus_ms(t));
}

void tm_memb_gather(struct totem *t, int from_operational)
{
	if (t->state == TM_RECOVERY)
		tm_store_free(&t->nr.store);
	if (from_operational) {
		t->proc = t->inst.memb;
		tm_set_add(&t->proc, t->me);
		t->fail.n = 0;
	}
	tm_token_stop(t);
	tm_timer_cancel(t, TOTEM_TIMER_TOKEN_LOSS);
	tm_timer_cancel(t, TOTEM_TIMER_MERGE);
	if (t->state != TM_GATHER)
		tm_log(t, TOTEM_LOG_DEBUG, "entering gather");
	t->state = TM_GATHER;
	t->consensus.n = 0;
	tm_set_add(&t->consensus, t->me);
	t->consensus_reached = 0;
	t->commit_sent = 0;
	t->commit_resends = 0;
	t->gather_waited = 0;
	t->heard.n = 0;
	tm_order_queue_rewind(t);
	send_join(t);
	tm_timer_arm(t, TOTEM_TIMER_JOIN, t->join_ms);
	tm_timer_arm(t, TOTEM_TIMER_CONSENSUS, consensus_ms(t));
}

static void forward_commit(struct totem *t, struct tw_commit *c);

static void recovery_enter(struct totem *t, const struct tw_commit *c)
{
	uint32_t low = UINT32_MAX, high = 0, safe = 0;
	uint16_t i;

	t->commit = *c;
	tm_store_free(&t->nr.store);
	if (tm_store_init(&t->nr.store)) {
		tm_log(t, TOTEM_LOG_ERROR, "no memory for a new ring");
		tm_memb_gather(t, 0);
		return;
	}
	t->state = TM_RECOVERY;
	t->nr.id = c->h.ring;
	t->nr.memb.n = 0;
	t->trans.n = 0;
	for (i = 0; i < c->n; i++) {
		const struct tw_memb_entry *e = &c->m[i];

		tm_set_add(&t->nr.memb, e->node);
		if (!t->have_ring || !tm_ring_eq(&e->old_ring, &t->inst.id))
			continue;
		tm_set_add(&t->trans, e->node);
		if (e->old_aru < low)
			low = e->old_aru;
		if (e->old_high > high)
			high = e->old_high;
		if (e->old_safe > safe)
			safe = e->old_safe;
	}
	/* Replay what some survivor may lack: above the lowest aru. */
	if (t->trans.n) {
		t->rec_next = low + 1;
		t->rec_high = high;
	} else {
		t->rec_next = 1;
		t->rec_high = 0;
	}
	/* Whatever one survivor saw safe, every old member held. */
	t->trans_safe = safe;
	t->nr.safe_aru = 0;
	t->rec_token_made = 0;
	t->last_token_seq = 0;
	t->backlog_contrib = 0;
	tm_token_stop(t);
	tm_timer_cancel(t, TOTEM_TIMER_JOIN);
	tm_timer_cancel(t, TOTEM_TIMER_CONSENSUS);
	tm_timer_arm(t, TOTEM_TIMER_TOKEN_LOSS,
		     tm_token_timeout_ms(t, t->nr.memb.n));
	tm_log(t, TOTEM_LOG_DEBUG, "recovery of ring %u:%llu, replay %u..%u",
	       c->h.ring.rep, (unsigned long long)c->h.ring.seq, t->rec_next,
	       t->rec_high);
}

static int commit_index(const struct tw_commit *c, uint32_t node)
{
	uint16_t i;

	for (i = 0; i < c->n; i++)
		if (c->m[i].node == node)
			return i;
	return -1;
}

static int commit_matches(const struct tw_commit *c, const struct tm_set *s)
{
	uint16_t i;

	if (c->n != s->n)
		return 0;
	for (i = 0; i < c->n; i++)
		if (c->m[i].node != s->id[i])
			return 0;
	return 1;
}

static void commit_accept(struct totem *t, struct tw_commit *c)
{
	struct tm_set memb;
	int i;

	tm_set_minus(&memb, &t->proc, &t->fail);
	if (!commit_matches(c, &memb))
		return;
	if (t->have_ring && c->h.ring.seq <= t->inst.id.seq)
		return;
	i = commit_index(c, t->me);
	if (i < 0 || c->m[i].filled)
		return;
	/* The new ring's seq is on disk before anyone can see it used. */
	if (c->h.ring.seq > t->persisted_seq) {
		t->ops->persist_seq(t->arg, c->h.ring.seq);
		t->persisted_seq = c->h.ring.seq;
	}
	if (c->h.ring.seq > t->max_seq)
		t->max_seq = c->h.ring.seq;
	if (t->have_ring)
		c->m[i].old_ring = t->inst.id;
	else
		memset(&c->m[i].old_ring, 0, sizeof(c->m[i].old_ring));
	c->m[i].old_aru = t->inst.store.aru;
	c->m[i].old_high = t->inst.store.high;
	c->m[i].old_safe = t->inst.safe_aru;
	c->m[i].filled = 1;
	t->commit = *c;
	t->state = TM_COMMIT;
	tm_timer_cancel(t, TOTEM_TIMER_JOIN);
	tm_timer_cancel(t, TOTEM_TIMER_CONSENSUS);
	tm_timer_arm(t, TOTEM_TIMER_TOKEN_LOSS,
		     tm_token_timeout_ms(t, c->n));
	forward_commit(t, c);
}

static int commit_full(const struct tw_commit *c)
{
	uint16_t i;

	for (i = 0; i < c->n; i++)
		if (!c->m[i].filled)
			return 0;
	return 1;
}

void tm_memb_commit_recv(struct totem *t, const struct tw_commit *in)
{
	struct tw_commit c = *in;
	int rep = c.m[0].node == t->me;

	switch (t->state) {
	case TM_GATHER:
		if (c.rotation == 0)
			commit_accept(t, &c);
		break;
	case TM_COMMIT:
		if (!tm_ring_eq(&c.h.ring, &t->commit.h.ring))
			break;
		if (c.rotation == 0 && rep && commit_full(&c)) {
			c.rotation = 1;
			recovery_enter(t, &c);
			forward_commit(t, &c);
		} else if (c.rotation == 1 && !rep && commit_full(&c)) {
			recovery_enter(t, &c);
			forward_commit(t, &c);
		}
		break;
	case TM_RECOVERY:
		if (tm_ring_eq(&c.h.ring, &t->nr.id) && c.rotation == 1 &&
		    rep && !t->rec_token_made) {
			t->rec_token_made = 1;
			tm_token_first(t);
		}
		break;
	case TM_OPERATIONAL:
		break;
	}
}

static void forward_commit(struct totem *t, struct tw_commit *c)
{
	struct tm_set memb;
	uint32_t next;
	int len;
	uint16_t i;

	memb.n = 0;
	for (i = 0; i < c->n; i++)
		tm_set_add(&memb, c->m[i].node);
	next = tm_set_next(&memb, t->me);
	c->h.sender = t->me;
	if (next == t->me) {
		tm_memb_commit_recv(t, c);
		return;
	}
	len = tw_encode_commit(t->pkt, TW_MAX_PKT, c);
	if (len > 0)
		tm_send(t, next, t->pkt, (size_t)len);
}

/*
 * The link to node is up again.  If we forwarded the commit token to it
 * and the new ring has no token yet, the transport may have dropped the
 * commit while the link was down (a node that just started or came back
 * from a cut agrees through the others' joins before its own links are
 * up): send it again now rather than lose the formation to a token
 * timeout.  A duplicate commit token is ignored by its receiver.
 */
static void send_merge_probe(struct totem *t, uint32_t to);

/* After a commit token resent at link-up: this many more, this far apart
 * (knet's ping interval is at most 200 ms by default). */
#define COMMIT_RESENDS 3
#define COMMIT_RESEND_MS 150

void tm_memb_link_up(struct totem *t, uint32_t node)
{
	struct tm_set memb;
	struct tw_commit c;
	uint16_t i;
	int len;

	/* A node of another ring (one that restarted or was cut off) can now
	 * hear us: the ring's representative announces the ring to it at once
	 * instead of at the next merge probe, up to merge_ms later; it gathers
	 * on seeing a foreign ring, as at any probe. */
	if (t->state == TM_OPERATIONAL && t->inst.memb.id[0] == t->me &&
	    !tm_set_has(&t->inst.memb, node)) {
		tm_log(t, TOTEM_LOG_DEBUG, "node %u reachable: merge probe", node);
		send_merge_probe(t, node);
		return;
	}
	if (t->state != TM_COMMIT &&
	    (t->state != TM_RECOVERY || t->last_token_seq))
		return;
	memb.n = 0;
	for (i = 0; i < t->commit.n; i++)
		tm_set_add(&memb, t->commit.m[i].node);
	if (tm_set_next(&memb, t->me) != node || node == t->me)
		return;
	c = t->commit;
	c.h.sender = t->me;
	len = tw_encode_commit(t->pkt, TW_MAX_PKT, &c);
	if (len > 0) {
		tm_log(t, TOTEM_LOG_DEBUG, "commit token sent again to %u", node);
		tm_send(t, node, t->pkt, (size_t)len);
	}
	/* The receiver's transport may see our link up a ping interval
	 * later than ours sees its, and drops what we send until then: send
	 * it a few more times (the join timer is idle until the ring forms). */
	t->commit_resends = COMMIT_RESENDS;
	tm_timer_arm(t, TOTEM_TIMER_JOIN, COMMIT_RESEND_MS);
}

/* The join timer while the ring forms: the commit token again to the next
 * node, after a resend at link-up (tm_memb_link_up). */
static void commit_resend_fire(struct totem *t)
{
	struct tm_set memb;
	struct tw_commit c;
	uint32_t next;
	uint16_t i;
	int len;

	if (!t->commit_resends || (t->state != TM_COMMIT &&
	    (t->state != TM_RECOVERY || t->last_token_seq))) {
		t->commit_resends = 0;
		return;
	}
	t->commit_resends--;
	memb.n = 0;
	for (i = 0; i < t->commit.n; i++)
		tm_set_add(&memb, t->commit.m[i].node);
	next = tm_set_next(&memb, t->me);
	c = t->commit;
	c.h.sender = t->me;
	len = tw_encode_commit(t->pkt, TW_MAX_PKT, &c);
	if (next != t->me && len > 0)
		tm_send(t, next, t->pkt, (size_t)len);
	if (t->commit_resends)
		tm_timer_arm(t, TOTEM_TIMER_JOIN, COMMIT_RESEND_MS);
}

static void check_consensus(struct totem *t)
{
	struct tm_set memb;
	struct tw_commit c;
	uint16_t i;

	if (t->state != TM_GATHER || !t->gather_waited)
		return;
	tm_set_minus(&memb, &t->proc, &t->fail);
	for (i = 0; i < memb.n; i++)
		if (!tm_set_has(&t->consensus, memb.id[i]))
			return;
	t->consensus_reached = 1;
	if (memb.id[0] != t->me || t->commit_sent)
		return;
	t->commit_sent = 1;
	memset(&c, 0, sizeof(c));
	c.h.type = TW_COMMIT;
	c.h.sender = t->me;
	c.h.ring.rep = t->me;
	c.h.ring.seq = (t->max_seq > t->persisted_seq ? t->max_seq
						      : t->persisted_seq) + 4;
	c.n = memb.n;
	for (i = 0; i < memb.n; i++)
		c.m[i].node = memb.id[i];
	tm_log(t, TOTEM_LOG_DEBUG, "consensus on %u members, forming %u:%llu",
	       memb.n, t->me, (unsigned long long)c.h.ring.seq);
	commit_accept(t, &c);
}

static void merge_join(struct totem *t, const struct tw_join *j)
{
	struct tm_set jp, jf;
	uint32_t q = j->h.sender;
	int changed = 0;

	if (q == t->me || tm_set_has(&t->fail, q))
		return;
	tm_set_add(&t->heard, q);
	if (j->max_seq > t->max_seq)
		t->max_seq = j->max_seq;
	tm_set_from(&jp, j->proc, j->n_proc);
	tm_set_from(&jf, j->fail, j->n_fail);
	if (tm_set_has(&jf, t->me)) {
		/* It has not heard us yet, or cannot: our joins tell it we
		 * live; our consensus timeout settles the second case. */
		if (!tm_set_has(&t->proc, q)) {
			tm_set_add(&t->proc, q);
			changed = 1;
		}
	} else {
		if (tm_set_union(&t->proc, &jp))
			changed = 1;
		if (tm_set_union(&t->fail, &jf))
			changed = 1;
		if (!tm_set_has(&t->proc, q)) {
			tm_set_add(&t->proc, q);
			changed = 1;
		}
	}
	if (changed) {
		t->consensus.n = 0;
		tm_set_add(&t->consensus, t->me);
		t->consensus_reached = 0;
		/* At most one join per quarter join interval: when many nodes
		 * start at once, every join received adds a node, and a join
		 * sent for each would be n^2 broadcasts.  The join timer,
		 * always armed in gather, sends the sets as they are then. */
		if (t->now - t->join_sent_at >= (uint64_t)t->join_ms * 250)
			send_join(t);
		/* The others need time to answer our new sets: a consensus
		 * timeout now would fail every live node whose answer is still
		 * on its way (all timers fire together when a token loss sent
		 * everyone to gather at once).  Sets only grow during a gather,
		 * so this restart happens a bounded number of times. */
		tm_timer_arm(t, TOTEM_TIMER_CONSENSUS, consensus_ms(t));
	}
	if (!tm_set_has(&jf, t->me) && tm_set_eq(&jp, &t->proc) &&
	    tm_set_eq(&jf, &t->fail))
		tm_set_add(&t->consensus, q);
	check_consensus(t);
}

/*
 * A join from a member of the ring our last commit formed, sent after it
 * installed that ring (its ring id is that one or newer), while we have
 * not: the gather that formed the ring is over, and so is its fail set.
 * The sender gathers afresh, as we would have after installing; keeping
 * the old fail set would hand it back to the sender and fail again the
 * very node it gathers for, ring after ring while we lag behind.
 */
static void end_formation(struct totem *t, const struct tw_join *j)
{
	struct tm_set p;

	if (t->state == TM_OPERATIONAL || !t->fail.n || !t->commit.n ||
	    commit_index(&t->commit, j->h.sender) < 0 ||
	    (t->have_ring && t->commit.h.ring.seq <= t->inst.id.seq) ||
	    j->h.ring.seq < t->commit.h.ring.seq ||
	    t->formation_ended == t->commit.h.ring.seq)
		return;
	/* once: what fails after this is failed in the new gather */
	t->formation_ended = t->commit.h.ring.seq;
	tm_log(t, TOTEM_LOG_DEBUG, "ring %u:%llu installed by %u: fail set cleared",
	       t->commit.h.ring.rep, (unsigned long long)t->commit.h.ring.seq,
	       j->h.sender);
	/* The nodes it failed go from our proc set too: the sender gathers
	 * from the ring's members, and a dead node kept here would hold the
	 * new gather until the consensus timeout.  A live one sends a join
	 * and is merged again. */
	tm_set_minus(&p, &t->proc, &t->fail);
	t->proc = p;
	t->fail.n = 0;
	if (t->state != TM_GATHER)
		return;		/* the caller goes back to gather */
	t->consensus.n = 0;
	tm_set_add(&t->consensus, t->me);
	t->consensus_reached = 0;
	t->commit_sent = 0;
	send_join(t);
	tm_timer_arm(t, TOTEM_TIMER_CONSENSUS, consensus_ms(t));
}

void tm_memb_join_recv(struct totem *t, const struct tw_join *j)
{
	uint32_t q = j->h.sender;
	struct tm_set jp, jf, jm;

	if (q == t->me)
		return;
	end_formation(t, j);
	tm_set_from(&jp, j->proc, j->n_proc);
	tm_set_from(&jf, j->fail, j->n_fail);
	switch (t->state) {
	case TM_OPERATIONAL:
		tm_set_minus(&jm, &jp, &jf);
		/* A join from the gather that formed this ring, still in
		 * flight: nothing new.  (One with max_seq at or above this
		 * ring's seq was sent after its sender took our commit: a
		 * new gather.) */
		if (tm_set_has(&t->inst.memb, q) &&
		    j->h.ring.seq < t->inst.id.seq &&
		    j->max_seq < t->inst.id.seq &&
		    tm_set_eq(&jm, &t->inst.memb) &&
		    t->now - t->installed_at < (uint64_t)t->token_ms * 1000)
			return;
		tm_log(t, TOTEM_LOG_DEBUG, "join from %u: gather", q);
		tm_memb_gather(t, 1);
		break;
	case TM_GATHER:
		break;
	case TM_COMMIT:
	case TM_RECOVERY:
		if (tm_set_has(&t->fail, q))
			return;
		/* Same sets: a join of the gather that agreed on this commit,
		 * still in flight -- unless its max_seq shows the sender took
		 * this commit already and has gone back to gather since.  Its
		 * new gather needs our answer: ignoring it until our token
		 * timeout would leave the sender alone with its consensus
		 * timer, which under late timers fails us all. */
		if (tm_set_eq(&jp, &t->proc) && tm_set_eq(&jf, &t->fail) &&
		    j->max_seq < t->commit.h.ring.seq)
			return;
		tm_log(t, TOTEM_LOG_DEBUG, "join from %u: back to gather", q);
		tm_memb_gather(t, 0);
		break;
	}
	merge_join(t, j);
}

/*
 * The transport's evidence, once a gather has waited one join interval (so
 * the joins already on their way are in): a member of the lost ring that is
 * unreachable on every link and has not sent a join in this gather is
 * failed now.  The consensus timeout would fail it too, a token timeout
 * and more later; a node that answers keeps that timeout (it may be slow,
 * not dead), and a node that is not of our ring is never failed this way,
 * so evidence that lags cannot keep a newcomer out.  1: the fail set grew.
 */
static int evidence_apply(struct totem *t)
{
	uint16_t i;
	int changed = 0;

	if (t->state != TM_GATHER || !t->gather_waited || !t->have_ring ||
	    !t->unreach.n || t->now < t->stall_quiet_until)
		return 0;
	for (i = 0; i < t->proc.n; i++) {
		uint32_t id = t->proc.id[i];

		if (id == t->me || !tm_set_has(&t->unreach, id) ||
		    tm_set_has(&t->fail, id) || tm_set_has(&t->heard, id) ||
		    !tm_set_has(&t->inst.memb, id))
			continue;
		tm_set_add(&t->fail, id);
		tm_log(t, TOTEM_LOG_DEBUG, "node %u unreachable: failed", id);
		changed = 1;
	}
	if (changed) {
		t->consensus.n = 0;
		tm_set_add(&t->consensus, t->me);
		t->consensus_reached = 0;
		/* the others take our new fail set from our join and answer
		 * it; the timeout is the fallback, as in merge_join */
		tm_timer_arm(t, TOTEM_TIMER_CONSENSUS, consensus_ms(t));
	}
	return changed;
}

void tm_memb_evidence(struct totem *t)
{
	if (!evidence_apply(t))
		return;
	send_join(t);
	check_consensus(t);
}

void tm_memb_join_fire(struct totem *t)
{
	if (t->state != TM_GATHER) {
		commit_resend_fire(t);
		return;
	}
	t->gather_waited = 1;
	(void)evidence_apply(t);
	send_join(t);
	tm_timer_arm(t, TOTEM_TIMER_JOIN, t->join_ms);
	check_consensus(t);
}

void tm_memb_consensus_fire(struct totem *t)
{
	struct tm_set memb;
	uint16_t i;

	if (t->state != TM_GATHER)
		return;
	tm_set_minus(&memb, &t->proc, &t->fail);
	if (t->consensus_reached) {
		/* agreed, but the commit token never came */
		if (memb.id[0] != t->me)
			tm_set_add(&t->fail, memb.id[0]);
	} else {
		for (i = 0; i < memb.n; i++)
			if (!tm_set_has(&t->consensus, memb.id[i]))
				tm_set_add(&t->fail, memb.id[i]);
	}
	tm_log(t, TOTEM_LOG_DEBUG, "consensus timeout: %u failed", t->fail.n);
	t->consensus.n = 0;
	tm_set_add(&t->consensus, t->me);
	t->consensus_reached = 0;
	t->commit_sent = 0;
	t->gather_waited = 1;
	send_join(t);
	tm_timer_arm(t, TOTEM_TIMER_CONSENSUS, consensus_ms(t));
	check_consensus(t);
}

/* Announce our ring (header only) to one node or to all. */
static void send_merge_probe(struct totem *t, uint32_t to)
{
	struct tw_hdr h;
	int len;

	h.type = TW_MERGE;
	h.sender = t->me;
	h.ring = t->inst.id;
	len = tw_encode_short(t->pkt, TW_MAX_PKT, &h);
	if (len > 0)
		tm_send(t, to, t->pkt, (size_t)len);
}

void tm_memb_merge_fire(struct totem *t)
{
	if (t->state != TM_OPERATIONAL || t->inst.memb.id[0] != t->me)
		return;
	send_merge_probe(t, TOTEM_TO_ALL);
	tm_timer_arm(t, TOTEM_TIMER_MERGE, t->merge_ms);
}

/* A packet of another ring reached us while operational. */
void tm_memb_foreign(struct totem *t, const struct tw_hdr *h)
{
	if (t->state != TM_OPERATIONAL)
		return;
	if (tm_set_has(&t->inst.memb, h->sender) &&
	    h->ring.seq <= t->inst.id.seq)
		return;		/* late packet of one of our older rings */
	tm_log(t, TOTEM_LOG_DEBUG, "ring %u:%llu of node %u seen: gather",
	       h->ring.rep, (unsigned long long)h->ring.seq, h->sender);
	tm_memb_gather(t, 1);
	if (!tm_set_has(&t->proc, h->sender)) {
		tm_set_add(&t->proc, h->sender);
		send_join(t);
	}
}

/* A replayed old-ring message: keep it if it is of our old ring. */
void tm_memb_recovery_mcast(struct totem *t, const struct tw_mcast *m)
{
	struct tw_mcast in = *m;

	if (!t->have_ring || !tm_ring_eq(&m->old_ring, &t->inst.id))
		return;
	in.seq = m->old_seq;
	in.flags = m->old_flags;
	memset(&in.old_ring, 0, sizeof(in.old_ring));
	in.old_seq = 0;
	in.old_flags = 0;
	(void)tm_store_put(&t->inst.store, &in);
}

int tm_memb_replay_pending(const struct totem *t)
{
	return t->rec_next <= t->rec_high;
}

uint32_t tm_memb_replay(struct totem *t, uint32_t budget, uint32_t *seq)
{
	uint32_t count = 0;

	while (count < budget && t->rec_next <= t->rec_high) {
		struct tm_msg *om = tm_store_get(&t->inst.store, t->rec_next);
		struct tw_mcast m;
		int len;

		t->rec_next++;
		if (!om)
			continue;
		memset(&m, 0, sizeof(m));
		m.h.type = TW_MCAST;
		m.h.sender = t->me;
		m.h.ring = t->nr.id;
		m.seq = *seq + 1;
		m.flags = TW_MF_ENCAP;
		m.origin = om->origin;
		m.old_ring = t->inst.id;
		m.old_seq = om->seq;
		m.old_flags = om->flags & TW_MF_SAFE;
		m.body = om->body;
		m.body_len = om->body_len;
		len = tw_encode_mcast(t->pkt, TW_MAX_PKT, &m);
		if (len < 0 || tm_store_put(&t->nr.store, &m) < 0)
			break;
		tm_send(t, TOTEM_TO_ALL, t->pkt, (size_t)len);
		(*seq)++;
		count++;
	}
	return count;
}

static void report(struct totem *t, enum totem_conf_type type,
		   const struct tm_set *memb)
{
	struct tm_set left, joined;
	struct totem_conf c;

	tm_set_minus(&left, &t->last_reg, memb);
	tm_set_minus(&joined, memb, &t->last_reg);
	memset(&c, 0, sizeof(c));
	c.type = type;
	c.ring = t->nr.id;
	c.members = memb->id;
	c.n_members = memb->n;
	c.left = left.id;
	c.n_left = left.n;
	c.joined = joined.id;
	c.n_joined = type == TOTEM_CONF_REGULAR ? joined.n : 0;
	t->ops->conf(t->arg, &c);
}

void tm_memb_install(struct totem *t)
{
	/* The old ring's messages, which all survivors now hold: those that
	 * belong to the old configuration, then the transitional one, then
	 * the rest in it. */
	if (t->have_ring && t->old_before_trans) {
		tm_order_deliver(t, TM_DLV_TRANS);
		report(t, TOTEM_CONF_TRANSITIONAL, &t->trans);
	} else if (t->have_ring) {
		tm_order_deliver(t, TM_DLV_REG_END);
		report(t, TOTEM_CONF_TRANSITIONAL, &t->trans);
		tm_order_deliver(t, TM_DLV_TRANS);
	}
	tm_order_reasm_reset(t);
	tm_store_free(&t->inst.store);
	t->inst = t->nr;
	memset(&t->nr.store, 0, sizeof(t->nr.store));
	t->have_ring = 1;
	t->installed_at = t->now;
	t->state = TM_OPERATIONAL;
	report(t, TOTEM_CONF_REGULAR, &t->inst.memb);
	t->last_reg = t->inst.memb;
	t->proc = t->inst.memb;
	t->fail.n = 0;
	tm_log(t, TOTEM_LOG_INFO, "ring %u:%llu installed, %u members",
	       t->inst.id.rep, (unsigned long long)t->inst.id.seq,
	       t->inst.memb.n);
	if (t->inst.memb.id[0] == t->me)
		tm_timer_arm(t, TOTEM_TIMER_MERGE, t->merge_ms);
}
