/* The emitters and the reply layout; see status.h and status_proto.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "status/status.h"
#include "status/status_json.h"

enum section { SECT_NONE, SECT_GROUPS, SECT_RING, SECT_LINKS, SECT_COUNTERS,
	SECT_EVS };

/* A group name is at most 128 bytes in CPG; anything longer is refused. */
#define STATUS_NAME_MAX 256
#define STATUS_COUNTER_NAME_MAX 64

struct status_out {
	enum section sect;
	json_t *root;	/* the reply object (ring goes here) */
	json_t *list;	/* the section's list or counters */
	/* groups: the group whose members are being written */
	bool grp_open;
	size_t grp_len;
	unsigned char grp_name[STATUS_NAME_MAX];
	json_t *members;
	/* links: the node whose links are being written */
	bool node_open;
	uint32_t node;
	json_t *node_links;
	/* ring: written once */
	bool ring_done;
	int err;	/* the first error: misuse by a source, or -ENOMEM */
};

static bool usable(struct status_out *o, enum section s)
{
	if (o->err)
		return false;
	if (o->sect != s) {
		o->err = -EINVAL;
		return false;
	}
	return true;
}

/* Adds v (a new value, or NULL when its allocation failed) to the object
 * `to` under key, or to the end of the array `to` when key is NULL.
 * v, or NULL after an error (sticky in o; v is then freed). */
static json_t *add(struct status_out *o, json_t *to, const char *key,
		   json_t *v)
{
	int rc;

	if (o->err || !v) {
		json_decref(v);
		if (!o->err)
			o->err = -ENOMEM;
		return NULL;
	}
	/* on failure these free v themselves */
	rc = key ? json_object_set_new(to, key, v) : json_array_append_new(to, v);
	if (rc < 0) {
		o->err = -ENOMEM;
		return NULL;
	}
	return v;
}

static void add_null(struct status_out *o, const char *key)
{
	add(o, o->root, key, json_null());
}

static void add_u64(struct status_out *o, json_t *to, const char *key,
		    uint64_t v)
{
	add(o, to, key, status_json_u64(v));
}

void status_group_member(struct status_out *o, const void *name,
			 size_t name_len, uint32_t nodeid, uint32_t pid)
{
	json_t *grp, *m;

	if (!usable(o, SECT_GROUPS))
		return;
	if (name_len > STATUS_NAME_MAX) {
		o->err = -ENAMETOOLONG;
		return;
	}
	if (!o->grp_open || o->grp_len != name_len ||
	    memcmp(o->grp_name, name, name_len) != 0) {
		o->grp_open = false;
		grp = add(o, o->list, NULL, json_object());
		if (!grp)
			return;
		add(o, grp, "name", status_json_bytes(name, name_len));
		o->members = add(o, grp, "members", json_array());
		if (!o->members)
			return;
		memcpy(o->grp_name, name, name_len);
		o->grp_len = name_len;
		o->grp_open = true;
	}
	m = add(o, o->members, NULL, json_object());
	if (!m)
		return;
	add_u64(o, m, "nodeid", nodeid);
	add_u64(o, m, "pid", pid);
}

void status_ring(struct status_out *o, uint32_t rep, uint64_t seq,
		 const uint32_t *members, size_t n_members,
		 uint32_t this_nodeid)
{
	json_t *r, *ms;
	size_t i;

	if (!usable(o, SECT_RING))
		return;
	if (o->ring_done) {
		o->err = -EINVAL;
		return;
	}
	o->ring_done = true;
	r = add(o, o->root, "ring", json_object());
	if (!r)
		return;
	add_u64(o, r, "rep", rep);
	add_u64(o, r, "seq", seq);
	ms = add(o, r, "members", json_array());
	for (i = 0; ms && i < n_members; i++)
		add_u64(o, ms, NULL, members[i]);
	add_u64(o, r, "this_nodeid", this_nodeid);
}

void status_link(struct status_out *o, uint32_t nodeid,
		 const struct status_link *l)
{
	json_t *n, *lk;

	if (!usable(o, SECT_LINKS))
		return;
	if (!o->node_open || o->node != nodeid) {
		o->node_open = false;
		n = add(o, o->list, NULL, json_object());
		if (!n)
			return;
		add_u64(o, n, "nodeid", nodeid);
		o->node_links = add(o, n, "links", json_array());
		if (!o->node_links)
			return;
		o->node = nodeid;
		o->node_open = true;
	}
	lk = add(o, o->node_links, NULL, json_object());
	if (!lk)
		return;
	add_u64(o, lk, "link", l->link);
	add(o, lk, "enabled", json_boolean(l->enabled));
	add(o, lk, "connected", json_boolean(l->connected));
	add(o, lk, "src", status_json_bytes(l->src ? l->src : "",
					    l->src ? strlen(l->src) : 0));
	add(o, lk, "dst", status_json_bytes(l->dst ? l->dst : "",
					    l->dst ? strlen(l->dst) : 0));
	add_u64(o, lk, "latency_us", l->latency_us);
}

void status_evs_client(struct status_out *o, uint32_t pid,
		       const void *groups, size_t n_groups)
{
	const unsigned char *g = groups;
	json_t *c, *gs;

	if (!usable(o, SECT_EVS))
		return;
	c = add(o, o->list, NULL, json_object());
	if (!c)
		return;
	add_u64(o, c, "pid", pid);
	gs = add(o, c, "groups", json_array());
	for (size_t i = 0; gs && i < n_groups; i++) {
		const unsigned char *k = g + i * 32;
		size_t len = 32;

		while (len > 0 && k[len - 1] == 0)
			len--;
		add(o, gs, NULL, status_json_bytes(k, len));
	}
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
	add_u64(o, o->list, name, v);
}

void status_counter_fields(struct status_out *o, const struct status_field *f,
			   size_t n, const void *stats)
{
	size_t i;
	uint64_t v;

	for (i = 0; i < n; i++) {
		memcpy(&v, (const char *)stats + f[i].off, sizeof(v));
		status_counter(o, f[i].name, v);
	}
}

/* Opens a list (or object) section under key; the source then fills it. */
static void section_begin(struct status_out *o, enum section s,
			  const char *key, json_t *v)
{
	o->list = add(o, o->root, key, v);
	o->sect = s;
	o->grp_open = o->node_open = false;
}

/* The first error among the source's return, misuse and allocation. */
static int section_end(struct status_out *o, int rc)
{
	o->sect = SECT_NONE;
	o->list = NULL;
	if (rc < 0)
		return rc;
	return o->err;
}

/* A list section filled by its source, or null when there is none. */
static int list_section(struct status_out *o, enum section s,
			const char *key, int (*fn)(void *, struct status_out *),
			void *arg)
{
	if (!fn) {
		add_null(o, key);
		return o->err;
	}
	section_begin(o, s, key, json_array());
	return section_end(o, o->err ? o->err : fn(arg, o));
}

static int counters_section(const struct status_sources *src,
			    struct status_out *o)
{
	bool any = false;
	size_t i;
	int rc;

	for (i = 0; i < STATUS_MAX_COUNTER_SOURCES; i++)
		any = any || src->counters[i].fn;
	if (!any) {
		add_null(o, "counters");
		return o->err;
	}
	section_begin(o, SECT_COUNTERS, "counters", json_object());
	for (i = 0; i < STATUS_MAX_COUNTER_SOURCES && !o->err; i++) {
		const struct status_counter_source *c = &src->counters[i];

		if (c->fn && (rc = c->fn(c->arg, o)) < 0)
			return section_end(o, rc);
	}
	return section_end(o, 0);
}

/* The sections of the reply, in their order, into o->root. */
static int build_tree(const struct status_sources *src, uint32_t mask,
		      struct status_out *o)
{
	int rc = 0;

	if (mask & STATUS_SECT_GROUPS)
		rc = list_section(o, SECT_GROUPS, "groups", src->groups,
				  src->groups_arg);
	if (rc == 0 && (mask & STATUS_SECT_RING)) {
		if (src->ring) {
			o->sect = SECT_RING;
			rc = section_end(o, o->err ? o->err :
					 src->ring(src->ring_arg, o));
		}
		if (rc == 0 && !o->ring_done)
			add_null(o, "ring");
	}
	if (rc == 0 && (mask & STATUS_SECT_LINKS))
		rc = list_section(o, SECT_LINKS, "links", src->links,
				  src->links_arg);
	if (rc == 0 && (mask & STATUS_SECT_COUNTERS))
		rc = counters_section(src, o);
	if (rc == 0 && (mask & STATUS_SECT_EVS))
		rc = list_section(o, SECT_EVS, "evs", src->evs, src->evs_arg);
	return rc < 0 ? rc : o->err;
}

int status_build(const struct status_sources *src, uint32_t mask,
		 size_t max, char **text, size_t *len)
{
	struct status_out o;
	int rc;

	memset(&o, 0, sizeof(o));
	*text = NULL;
	*len = 0;
	if (mask == 0)
		mask = STATUS_SECT_ALL;
	o.root = json_object();
	if (!o.root)
		return -ENOMEM;
	add_u64(&o, o.root, "version", STATUS_PROTO_VERSION);
	rc = build_tree(src, mask, &o);
	if (rc == 0)
		rc = status_json_text(o.root, max, text, len);
	json_decref(o.root);
	return rc;
}
