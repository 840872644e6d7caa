/* Plain-text rendering of the status reply; see cpgd_tool_fmt.h. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "cpgd_tool_fmt.h"
#include "status/status_proto.h"

#define NAME_TEXT_MAX (4 * 256 + 1)

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void tool_escape_name(const char *name, size_t len, char *out,
		      size_t outlen)
{
	size_t i, o = 0;

	if (!outlen)
		return;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		char tmp[5];
		size_t n;

		if (c == '\\') {
			memcpy(tmp, "\\\\", 2);
			n = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			tmp[0] = (char)c;
			n = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			n = 4;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
}

static bool u32_of(const struct tj *obj, const char *key, uint64_t *v)
{
	return tj_uint(tj_get(obj, key), UINT32_MAX, v);
}

static void put_name(const struct tj *nm, const struct tool_opts *o,
		     FILE *out)
{
	char name[NAME_TEXT_MAX];

	if (o->raw_names) {
		fwrite(nm->str, 1, nm->len, out);
		return;
	}
	tool_escape_name(nm->str, nm->len, name, sizeof(name));
	fputs(name, out);
}

static int print_groups(const struct tj *g, const struct tool_opts *o,
			FILE *out, char *err, size_t errlen)
{
	const struct tj *grp, *m;

	if (g->type == TJ_NULL) {
		fprintf(out, "Groups: not available\n");
		return 0;
	}
	if (g->type != TJ_ARR)
		return bad(err, errlen, "\"groups\" is not a list");
	/* check the shape first so that no half table is printed */
	for (grp = g->first; grp; grp = grp->next) {
		const struct tj *nm = tj_get(grp, "name");
		const struct tj *ms = tj_get(grp, "members");
		uint64_t v;

		if (!nm || nm->type != TJ_STR || !ms || ms->type != TJ_ARR)
			return bad(err, errlen, "a group without name or members");
		for (m = ms->first; m; m = m->next)
			if (!u32_of(m, "nodeid", &v) || !u32_of(m, "pid", &v))
				return bad(err, errlen,
					   "a group member without nodeid or pid");
	}
	if (o->delim)
		fprintf(out, "GRP_NAME%sPID%sNODEID\n", o->delim, o->delim);
	else if (!o->names_only)
		fprintf(out, "%-30s %10s %10s\n", "Group Name", "PID", "Node ID");
	for (grp = g->first; grp; grp = grp->next) {
		const struct tj *nm = tj_get(grp, "name");

		if (!o->delim) {
			put_name(nm, o, out);
			fputc('\n', out);
			if (o->names_only)
				continue;
		}
		for (m = tj_get(grp, "members")->first; m; m = m->next) {
			uint64_t nodeid, pid;

			u32_of(m, "nodeid", &nodeid);
			u32_of(m, "pid", &pid);
			if (o->delim) {
				put_name(nm, o, out);
				fprintf(out, "%s%" PRIu64 "%s%" PRIu64 "\n",
					o->delim, pid, o->delim, nodeid);
			} else {
				fprintf(out, "%-30s %10" PRIu64 " %10" PRIu64
					"\n", "", pid, nodeid);
			}
		}
	}
	return 0;
}

/* EVS clients: pid, then the groups each joined, one per line. */
static int print_evs(const struct tj *e, const struct tool_opts *o,
		     FILE *out, char *err, size_t errlen)
{
	const struct tj *cl, *g;
	uint64_t pid;

	if (e->type == TJ_NULL) {
		fprintf(out, "EVS: not available\n");
		return 0;
	}
	if (e->type != TJ_ARR)
		return bad(err, errlen, "\"evs\" is not a list");
	for (cl = e->first; cl; cl = cl->next) {
		const struct tj *gs = tj_get(cl, "groups");

		if (!u32_of(cl, "pid", &pid) || !gs || gs->type != TJ_ARR)
			return bad(err, errlen, "an EVS client without pid or groups");
		for (g = gs->first; g; g = g->next)
			if (g->type != TJ_STR)
				return bad(err, errlen, "an EVS group that is not a string");
	}
	fprintf(out, "%10s %s\n", "EVS PID", "Groups");
	for (cl = e->first; cl; cl = cl->next) {
		u32_of(cl, "pid", &pid);
		fprintf(out, "%10" PRIu64 "", pid);
		for (g = tj_get(cl, "groups")->first; g; g = g->next) {
			fputc(' ', out);
			put_name(g, o, out);
		}
		fputc('\n', out);
	}
	return 0;
}

static int print_ring(const struct tj *r, const struct tool_opts *o,
		      FILE *out, char *err, size_t errlen)
{
	const struct tj *ms, *m;
	uint64_t rep, seq, self;

	(void)o;
	if (r->type == TJ_NULL) {
		fprintf(out, "Ring: none formed yet\n");
		return 0;
	}
	ms = tj_get(r, "members");
	if (r->type != TJ_OBJ || !u32_of(r, "rep", &rep) ||
	    !tj_uint(tj_get(r, "seq"), UINT64_MAX, &seq) ||
	    !u32_of(r, "this_nodeid", &self) || !ms || ms->type != TJ_ARR)
		return bad(err, errlen, "\"ring\" lacks rep, seq, members or this_nodeid");
	fprintf(out, "Ring ID:       %" PRIu64 ".%" PRIu64
		"  (representative %" PRIu64 ", sequence %" PRIu64 ")\n",
		rep, seq, rep, seq);
	fprintf(out, "This node ID:  %" PRIu64 "\n", self);
	fprintf(out, "Members:       %zu\n", ms->n);
	fprintf(out, "%10s\n", "Node ID");
	for (m = ms->first; m; m = m->next) {
		uint64_t id;

		if (!tj_uint(m, UINT32_MAX, &id))
			return bad(err, errlen, "a ring member is not a node id");
		fprintf(out, "%10" PRIu64 "%s\n", id,
			id == self ? " (this node)" : "");
	}
	return 0;
}

static const char *yes_no(const struct tj *v)
{
	return v->b ? "yes" : "no";
}

static int print_links(const struct tj *l, const struct tool_opts *o,
		       FILE *out, char *err, size_t errlen)
{
	const struct tj *node, *lk;

	(void)o;
	if (l->type == TJ_NULL) {
		fprintf(out, "Links: none (no network transport on this node)\n");
		return 0;
	}
	if (l->type != TJ_ARR)
		return bad(err, errlen, "\"links\" is not a list");
	fprintf(out, "%10s %4s %-7s %-9s %12s  %s\n", "Node ID", "Link",
		"Enabled", "Connected", "Latency(us)", "Source -> Destination");
	for (node = l->first; node; node = node->next) {
		const struct tj *links = tj_get(node, "links");
		uint64_t nodeid;

		if (!u32_of(node, "nodeid", &nodeid) || !links ||
		    links->type != TJ_ARR)
			return bad(err, errlen, "a links entry without nodeid or links");
		for (lk = links->first; lk; lk = lk->next) {
			const struct tj *en = tj_get(lk, "enabled");
			const struct tj *co = tj_get(lk, "connected");
			const struct tj *src = tj_get(lk, "src");
			const struct tj *dst = tj_get(lk, "dst");
			uint64_t link, lat;
			char s[NAME_TEXT_MAX], d[NAME_TEXT_MAX];

			if (!tj_uint(tj_get(lk, "link"), 255, &link) ||
			    !tj_uint(tj_get(lk, "latency_us"), UINT64_MAX, &lat) ||
			    !en || en->type != TJ_BOOL || !co ||
			    co->type != TJ_BOOL || !src || src->type != TJ_STR ||
			    !dst || dst->type != TJ_STR)
				return bad(err, errlen,
					   "a link of node %" PRIu64 " is incomplete",
					   nodeid);
			tool_escape_name(src->str, src->len, s, sizeof(s));
			tool_escape_name(dst->str, dst->len, d, sizeof(d));
			fprintf(out, "%10" PRIu64 " %4" PRIu64 " %-7s %-9s %12"
				PRIu64 "  %s -> %s\n", nodeid, link, yes_no(en),
				yes_no(co), lat, s[0] ? s : "?", d[0] ? d : "?");
		}
	}
	return 0;
}

static int print_counters(const struct tj *c, const struct tool_opts *o,
			  FILE *out, char *err, size_t errlen)
{
	const struct tj *v;
	size_t w = strlen("Counter");
	char name[NAME_TEXT_MAX];

	(void)o;
	if (c->type == TJ_NULL) {
		fprintf(out, "Counters: not available\n");
		return 0;
	}
	if (c->type != TJ_OBJ)
		return bad(err, errlen, "\"counters\" is not an object");
	for (v = c->first; v; v = v->next)
		if (v->key_len > w)
			w = v->key_len;
	if (w > 64)
		w = 64;
	fprintf(out, "%-*s %20s\n", (int)w, "Counter", "Value");
	for (v = c->first; v; v = v->next) {
		uint64_t n;

		tool_escape_name(v->key, v->key_len, name, sizeof(name));
		if (!tj_uint(v, UINT64_MAX, &n))
			return bad(err, errlen, "counter %s is not a count", name);
		fprintf(out, "%-*s %20" PRIu64 "\n", (int)w, name, n);
	}
	return 0;
}

int tool_print(const struct tj *root, unsigned sections,
	       const struct tool_opts *opts, FILE *out, char *err,
	       size_t errlen)
{
	static const struct tool_opts plain;
	static const struct {
		unsigned bit;
		const char *key;
		int (*print)(const struct tj *, const struct tool_opts *,
			     FILE *, char *, size_t);
	} parts[] = {
		{ STATUS_SECT_GROUPS, "groups", print_groups },
		{ STATUS_SECT_RING, "ring", print_ring },
		{ STATUS_SECT_LINKS, "links", print_links },
		{ STATUS_SECT_COUNTERS, "counters", print_counters },
		{ STATUS_SECT_EVS, "evs", print_evs },
	};
	uint64_t version;
	size_t i;
	bool first = true;

	if (!root || root->type != TJ_OBJ)
		return bad(err, errlen, "the reply is not an object");
	if (!tj_uint(tj_get(root, "version"), UINT32_MAX, &version) ||
	    version != STATUS_PROTO_VERSION)
		return bad(err, errlen, "unknown reply version");
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const struct tj *sec;

		if (!(sections & parts[i].bit))
			continue;
		sec = tj_get(root, parts[i].key);
		if (!sec)
			return bad(err, errlen, "the reply has no \"%s\"",
				   parts[i].key);
		if (!first)
			fputc('\n', out);
		first = false;
		if (parts[i].print(sec, opts ? opts : &plain, out, err,
				   errlen) < 0)
			return -1;
	}
	return 0;
}
