/* The emitters and the reply layout; see status.h and status_proto.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "status/status.h"

enum section { SECT_NONE, SECT_GROUPS, SECT_RING, SECT_LINKS, SECT_COUNTERS,
	SECT_EVS };

/* A group name is at most 128 bytes in CPG; anything longer is refused. */
#define STATUS_NAME_MAX 256
#define STATUS_COUNTER_NAME_MAX 64

struct status_out {
	struct status_json *w;
	enum section sect;
	/* groups: the group whose members are being written */
	bool grp_open;
	size_t grp_len;
	unsigned char grp_name[STATUS_NAME_MAX];
	/* links: the node whose links are being written */
	bool node_open;
	uint32_t node;
	/* ring: written once */
	bool ring_done;
	int err;	/* misuse by a source */
};

static bool usable(struct status_out *o, enum section s)
{
	if (o->err || status_json_error(o->w))
		return false;
	if (o->sect != s) {
		o->err = -EINVAL;
		return false;
	}
	return true;
}

static void group_close(struct status_out *o)
{
	if (!o->grp_open)
		return;
	status_json_arr_end(o->w);
	status_json_obj_end(o->w);
	o->grp_open = false;
}

void status_group_member(struct status_out *o, const void *name,
			 size_t name_len, uint32_t nodeid, uint32_t pid)
{
	if (!usable(o, SECT_GROUPS))
		return;
	if (name_len > STATUS_NAME_MAX) {
		o->err = -ENAMETOOLONG;
		return;
	}
	if (!o->grp_open || o->grp_len != name_len ||
	    memcmp(o->grp_name, name, name_len) != 0) {
		group_close(o);
		status_json_obj_begin(o->w, NULL);
		status_json_bytes(o->w, "name", name, name_len);
		status_json_arr_begin(o->w, "members");
		memcpy(o->grp_name, name, name_len);
		o->grp_len = name_len;
		o->grp_open = true;
	}
	status_json_obj_begin(o->w, NULL);
	status_json_u64(o->w, "nodeid", nodeid);
	status_json_u64(o->w, "pid", pid);
	status_json_obj_end(o->w);
}

void status_ring(struct status_out *o, uint32_t rep, uint64_t seq,
		 const uint32_t *members, size_t n_members,
		 uint32_t this_nodeid)
{
	size_t i;

	if (!usable(o, SECT_RING))
		return;
	if (o->ring_done) {
		o->err = -EINVAL;
		return;
	}
	o->ring_done = true;
	status_json_obj_begin(o->w, "ring");
	status_json_u64(o->w, "rep", rep);
	status_json_u64(o->w, "seq", seq);
	status_json_arr_begin(o->w, "members");
	for (i = 0; i < n_members; i++)
		status_json_u64(o->w, NULL, members[i]);
	status_json_arr_end(o->w);
	status_json_u64(o->w, "this_nodeid", this_nodeid);
	status_json_obj_end(o->w);
}

static void node_close(struct status_out *o)
{
	if (!o->node_open)
		return;
	status_json_arr_end(o->w);
	status_json_obj_end(o->w);
	o->node_open = false;
}

void status_link(struct status_out *o, uint32_t nodeid,
		 const struct status_link *l)
{
	if (!usable(o, SECT_LINKS))
		return;
	if (!o->node_open || o->node != nodeid) {
		node_close(o);
		status_json_obj_begin(o->w, NULL);
		status_json_u64(o->w, "nodeid", nodeid);
		status_json_arr_begin(o->w, "links");
		o->node = nodeid;
		o->node_open = true;
	}
	status_json_obj_begin(o->w, NULL);
	status_json_u64(o->w, "link", l->link);
	status_json_bool(o->w, "enabled", l->enabled);
	status_json_bool(o->w, "connected", l->connected);
	status_json_str(o->w, "src", l->src ? l->src : "");
	status_json_str(o->w, "dst", l->dst ? l->dst : "");
	status_json_u64(o->w, "latency_us", l->latency_us);
	status_json_obj_end(o->w);
}

void status_evs_client(struct status_out *o, uint32_t pid,
		       const void *groups, size_t n_groups)
{
	const unsigned char *g = groups;

	if (!usable(o, SECT_EVS))
		return;
	status_json_obj_begin(o->w, NULL);
	status_json_u64(o->w, "pid", pid);
	status_json_arr_begin(o->w, "groups");
	for (size_t i = 0; i < n_groups; i++) {
		const unsigned char *k = g + i * 32;
		size_t len = 32;

		while (len > 0 && k[len - 1] == 0)
			len--;
		status_json_bytes(o->w, NULL, k, len);
	}
	status_json_arr_end(o->w);
	status_json_obj_end(o->w);
}

static bool counter_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > STATUS_COUNTER_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

void status_counter(struct status_out *o, const char *name, uint64_t v)
{
	if (!usable(o, SECT_COUNTERS))
		return;
	if (!name || !counter_name_ok(name)) {
		o->err = -EINVAL;
		return;
	}
	status_json_u64(o->w, name, v);
}

/* The first error among the source's return, misuse and the writer. */
static int section_error(struct status_out *o, int rc)
{
	if (rc < 0)
		return rc;
	if (o->err)
		return o->err;
	return status_json_error(o->w);
}

int status_build(const struct status_sources *src, uint32_t mask,
		 struct status_json *w)
{
	struct status_out o;
	size_t i;
	int rc = 0;

	memset(&o, 0, sizeof(o));
	o.w = w;
	if (mask == 0)
		mask = STATUS_SECT_ALL;
	status_json_obj_begin(w, NULL);
	status_json_u64(w, "version", STATUS_PROTO_VERSION);

	if (mask & STATUS_SECT_GROUPS) {
		if (src->groups) {
			status_json_arr_begin(w, "groups");
			o.sect = SECT_GROUPS;
			rc = section_error(&o, src->groups(src->groups_arg, &o));
			if (rc < 0)
				return rc;
			group_close(&o);
			status_json_arr_end(w);
		} else {
			status_json_null(w, "groups");
		}
	}
	if (mask & STATUS_SECT_RING) {
		if (src->ring) {
			o.sect = SECT_RING;
			rc = section_error(&o, src->ring(src->ring_arg, &o));
			if (rc < 0)
				return rc;
		}
		if (!o.ring_done)
			status_json_null(w, "ring");
	}
	if (mask & STATUS_SECT_LINKS) {
		if (src->links) {
			status_json_arr_begin(w, "links");
			o.sect = SECT_LINKS;
			rc = section_error(&o, src->links(src->links_arg, &o));
			if (rc < 0)
				return rc;
			node_close(&o);
			status_json_arr_end(w);
		} else {
			status_json_null(w, "links");
		}
	}
	if (mask & STATUS_SECT_COUNTERS) {
		bool any = false;

		for (i = 0; i < STATUS_MAX_COUNTER_SOURCES; i++)
			any = any || src->counters[i].fn;
		if (any) {
			status_json_obj_begin(w, "counters");
			o.sect = SECT_COUNTERS;
			for (i = 0; i < STATUS_MAX_COUNTER_SOURCES; i++) {
				const struct status_counter_source *c =
					&src->counters[i];

				if (!c->fn)
					continue;
				rc = section_error(&o, c->fn(c->arg, &o));
				if (rc < 0)
					return rc;
			}
			status_json_obj_end(w);
		} else {
			status_json_null(w, "counters");
		}
	}
	if (mask & STATUS_SECT_EVS) {
		if (src->evs) {
			status_json_arr_begin(w, "evs");
			o.sect = SECT_EVS;
			rc = section_error(&o, src->evs(src->evs_arg, &o));
			if (rc < 0)
				return rc;
			status_json_arr_end(w);
		} else {
			status_json_null(w, "evs");
		}
	}
	o.sect = SECT_NONE;
	status_json_obj_end(w);
	return status_json_finish(w);
}
