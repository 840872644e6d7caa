/* Plain-text rendering of the status reply; see cpgd_tool_fmt.h. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
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

static bool u32_of(const json_t *obj, const char *key,
		   uint64_t *v)
{
	return tj_uint(json_object_get(obj, key), UINT32_MAX, v);
}

static size_t len_of(const json_t *arr)
{
	return json_array_size(arr);
}

static json_t *at(const json_t *arr, size_t i)
{
	return json_array_get(arr, i);
}

static int put_name(const json_t *nm, const struct tool_opts *o,
		    FILE *out, char *err, size_t errlen)
{
	char name[NAME_TEXT_MAX];
	size_t len;
	char *b = tj_bytes(nm, &len);

	if (!b)
		return bad(err, errlen, "out of memory");
	if (o->raw_names) {
		fwrite(b, 1, len, out);
	} else {
		tool_escape_name(b, len, name, sizeof(name));
		fputs(name, out);
	}
	free(b);
	return 0;
}

static int print_groups(const json_t *g, const struct tool_opts *o,
			FILE *out, char *err, size_t errlen)
{
	size_t i, j;

	if (json_is_null(g)) {
		fprintf(out, "Groups: not available\n");
		return 0;
	}
	if (!json_is_array(g))
		return bad(err, errlen, "\"groups\" is not a list");
	/* check the shape first so that no half table is printed */
	for (i = 0; i < len_of(g); i++) {
		const json_t *grp = at(g, i);
		const json_t *ms = json_object_get(grp, "members");
		uint64_t v;

		if (!json_is_string(json_object_get(grp, "name")) ||
		    !json_is_array(ms))
			return bad(err, errlen, "a group without name or members");
		for (j = 0; j < len_of(ms); j++)
			if (!u32_of(at(ms, j), "nodeid", &v) ||
			    !u32_of(at(ms, j), "pid", &v))
				return bad(err, errlen,
					   "a group member without nodeid or pid");
	}
	if (o->delim)
		fprintf(out, "GRP_NAME%sPID%sNODEID\n", o->delim, o->delim);
	else if (!o->names_only)
		fprintf(out, "%-30s %10s %10s\n", "Group Name", "PID", "Node ID");
	for (i = 0; i < len_of(g); i++) {
		const json_t *grp = at(g, i);
		const json_t *nm = json_object_get(grp, "name");
		const json_t *ms = json_object_get(grp, "members");

		if (!o->delim) {
			if (put_name(nm, o, out, err, errlen) < 0)
				return -1;
			fputc('\n', out);
			if (o->names_only)
				continue;
		}
		for (j = 0; j < len_of(ms); j++) {
			uint64_t nodeid, pid;

			u32_of(at(ms, j), "nodeid", &nodeid);
			u32_of(at(ms, j), "pid", &pid);
			if (o->delim) {
				if (put_name(nm, o, out, err, errlen) < 0)
					return -1;
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
static int print_evs(const json_t *e, const struct tool_opts *o,
		     FILE *out, char *err, size_t errlen)
{
	size_t i, j;
	uint64_t pid;

	if (json_is_null(e)) {
		fprintf(out, "EVS: not available\n");
		return 0;
	}
	if (!json_is_array(e))
		return bad(err, errlen, "\"evs\" is not a list");
	for (i = 0; i < len_of(e); i++) {
		const json_t *gs = json_object_get(at(e, i), "groups");

		if (!u32_of(at(e, i), "pid", &pid) || !json_is_array(gs))
			return bad(err, errlen, "an EVS client without pid or groups");
		for (j = 0; j < len_of(gs); j++)
			if (!json_is_string(at(gs, j)))
				return bad(err, errlen, "an EVS group that is not a string");
	}
	fprintf(out, "%10s %s\n", "EVS PID", "Groups");
	for (i = 0; i < len_of(e); i++) {
		const json_t *gs = json_object_get(at(e, i), "groups");

		u32_of(at(e, i), "pid", &pid);
		fprintf(out, "%10" PRIu64 "", pid);
		for (j = 0; j < len_of(gs); j++) {
			fputc(' ', out);
			if (put_name(at(gs, j), o, out, err, errlen) < 0)
				return -1;
		}
		fputc('\n', out);
	}
	return 0;
}

static int print_ring(const json_t *r, const struct tool_opts *o,
		      FILE *out, char *err, size_t errlen)
{
	const json_t *ms;
	uint64_t rep, seq, self;
	size_t i;

	(void)o;
	if (json_is_null(r)) {
		fprintf(out, "Ring: none formed yet\n");
		return 0;
	}
	ms = json_object_get(r, "members");
	if (!json_is_object(r) || !u32_of(r, "rep", &rep) ||
	    !tj_uint(json_object_get(r, "seq"), UINT64_MAX, &seq) ||
	    !u32_of(r, "this_nodeid", &self) || !json_is_array(ms))
		return bad(err, errlen, "\"ring\" lacks rep, seq, members or this_nodeid");
	fprintf(out, "Ring ID:       %" PRIu64 ".%" PRIu64
		"  (representative %" PRIu64 ", sequence %" PRIu64 ")\n",
		rep, seq, rep, seq);
	fprintf(out, "This node ID:  %" PRIu64 "\n", self);
	fprintf(out, "Members:       %zu\n", len_of(ms));
	fprintf(out, "%10s\n", "Node ID");
	for (i = 0; i < len_of(ms); i++) {
		uint64_t id;

		if (!tj_uint(at(ms, i), UINT32_MAX, &id))
			return bad(err, errlen, "a ring member is not a node id");
		fprintf(out, "%10" PRIu64 "%s\n", id,
			id == self ? " (this node)" : "");
	}
	return 0;
}

static const char *yes_no(const json_t *v)
{
	return json_is_true(v) ? "yes" : "no";
}

/* A link's address for the terminal, escaped; "?" when empty. */
static int addr_text(const json_t *v, char *out, size_t outlen,
		     char *err, size_t errlen)
{
	size_t len;
	char *b = tj_bytes(v, &len);

	if (!b)
		return bad(err, errlen, "out of memory");
	tool_escape_name(b, len, out, outlen);
	free(b);
	if (!out[0])
		snprintf(out, outlen, "?");
	return 0;
}

static int print_links(const json_t *l, const struct tool_opts *o,
		       FILE *out, char *err, size_t errlen)
{
	size_t i, j;

	(void)o;
	if (json_is_null(l)) {
		fprintf(out, "Links: none (no network transport on this node)\n");
		return 0;
	}
	if (!json_is_array(l))
		return bad(err, errlen, "\"links\" is not a list");
	fprintf(out, "%10s %4s %-7s %-9s %12s  %s\n", "Node ID", "Link",
		"Enabled", "Connected", "Latency(us)", "Source -> Destination");
	for (i = 0; i < len_of(l); i++) {
		const json_t *links = json_object_get(at(l, i), "links");
		uint64_t nodeid;

		if (!u32_of(at(l, i), "nodeid", &nodeid) ||
		    !json_is_array(links))
			return bad(err, errlen, "a links entry without nodeid or links");
		for (j = 0; j < len_of(links); j++) {
			const json_t *lk = at(links, j);
			const json_t *en = json_object_get(lk, "enabled");
			const json_t *co = json_object_get(lk, "connected");
			const json_t *src = json_object_get(lk, "src");
			const json_t *dst = json_object_get(lk, "dst");
			uint64_t link, lat;
			char s[NAME_TEXT_MAX], d[NAME_TEXT_MAX];

			if (!tj_uint(json_object_get(lk, "link"), 255, &link) ||
			    !tj_uint(json_object_get(lk, "latency_us"), UINT64_MAX, &lat) ||
			    !json_is_boolean(en) ||
			    !json_is_boolean(co) ||
			    !json_is_string(src) ||
			    !json_is_string(dst))
				return bad(err, errlen,
					   "a link of node %" PRIu64 " is incomplete",
					   nodeid);
			if (addr_text(src, s, sizeof(s), err, errlen) < 0 ||
			    addr_text(dst, d, sizeof(d), err, errlen) < 0)
				return -1;
			fprintf(out, "%10" PRIu64 " %4" PRIu64 " %-7s %-9s %12"
				PRIu64 "  %s -> %s\n", nodeid, link, yes_no(en),
				yes_no(co), lat, s, d);
		}
	}
	return 0;
}

static int print_counters(const json_t *c,
			  const struct tool_opts *o, FILE *out, char *err,
			  size_t errlen)
{
	size_t w = strlen("Counter");
	char name[NAME_TEXT_MAX];
	const char *key;
	json_t *v;

	(void)o;
	if (json_is_null(c)) {
		fprintf(out, "Counters: not available\n");
		return 0;
	}
	if (!json_is_object(c))
		return bad(err, errlen, "\"counters\" is not an object");
	json_object_foreach((json_t *)c, key, v)
		if (strlen(key) > w)
			w = strlen(key);
	if (w > 64)
		w = 64;
	fprintf(out, "%-*s %20s\n", (int)w, "Counter", "Value");
	json_object_foreach((json_t *)c, key, v) {
		uint64_t n;

		tool_escape_name(key, strlen(key), name, sizeof(name));
		if (!tj_uint(v, UINT64_MAX, &n))
			return bad(err, errlen, "counter %s is not a count", name);
		fprintf(out, "%-*s %20" PRIu64 "\n", (int)w, name, n);
	}
	return 0;
}

int tool_print(const json_t *root, unsigned sections,
	       const struct tool_opts *opts, FILE *out, char *err,
	       size_t errlen)
{
	static const struct tool_opts plain;
	static const struct {
		unsigned bit;
		const char *key;
		int (*print)(const json_t *,
			     const struct tool_opts *, FILE *, char *, size_t);
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

	if (!json_is_object(root))
		return bad(err, errlen, "the reply is not an object");
	if (!tj_uint(json_object_get(root, "version"), UINT32_MAX, &version) ||
	    version != STATUS_PROTO_VERSION)
		return bad(err, errlen, "unknown reply version");
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!(sections & parts[i].bit))
			continue;
		/* a section that is there but null is printed as unknown */
		if (!json_object_get(root, parts[i].key))
			return bad(err, errlen, "the reply has no \"%s\"",
				   parts[i].key);
		if (!first)
			fputc('\n', out);
		first = false;
		if (parts[i].print(json_object_get(root, parts[i].key),
				   opts ? opts : &plain, out, err, errlen) < 0)
			return -1;
	}
	return 0;
}
