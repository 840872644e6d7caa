/*
 * libFuzzer target for cpgd-tool's reading of the daemon's reply (the one
 * place that parses untrusted JSON): any bytes either parse or give an
 * error, and whatever parses can be printed in every way the tool prints,
 * never a crash, a leak or a read out of bounds.  The same bytes, written
 * as a group name by the daemon's reply builder, must read back as exactly
 * those bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status/status.h"
#include "status/status_proto.h"
#include "tools/cpgd_tool_fmt.h"
#include "tools/cpgd_tool_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct name {
	const uint8_t *p;
	size_t len;
};

static void print_all_ways(const json_t *v, FILE *out)
{
	struct tool_opts o[4];
	char err[200];
	unsigned s;
	int i;

	memset(o, 0, sizeof(o));
	o[1].delim = ",";
	o[2].names_only = true;
	o[3].raw_names = true;
	for (i = 0; i < 4; i++)
		for (s = 1; s <= (STATUS_SECT_ALL | STATUS_SECT_EVS); s++)
			tool_print(v, s, &o[i], out, err, sizeof(err));
}

static int one_group(void *arg, struct status_out *o)
{
	const struct name *n = arg;

	status_group_member(o, n->p, n->len, 1, 2);
	return 0;
}

static void round_trip(const uint8_t *data, size_t size)
{
	struct status_sources src;
	struct name n = { data, size < 256 ? size : 256 };
	json_t *v;
	char err[200], *text, *b;
	size_t len, blen;

	memset(&src, 0, sizeof(src));
	src.groups = one_group;
	src.groups_arg = &n;
	if (status_build(&src, STATUS_SECT_GROUPS, 1 << 16, &text, &len) != 0)
		abort();
	if (tj_parse(text, len, &v, err, sizeof(err)) != 0)
		abort();
	b = tj_bytes(json_object_get(json_array_get(json_object_get(v, "groups"), 0),
			    "name"), &blen);
	if (!b || blen != n.len || (blen && memcmp(b, data, blen) != 0))
		abort();
	free(b);
	json_decref(v);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	json_t *v;
	char err[200];

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	err[0] = '\0';
	if (tj_parse((const char *)data, size, &v, err, sizeof(err)) == 0) {
		print_all_ways(v, sink);
		json_decref(v);
	} else if (err[0] == '\0') {
		abort();	/* an error always says why */
	}
	round_trip(data, size);
	return 0;
}
