/*
 * libFuzzer target for cpgd-tool's reading of a reply: any bytes either
 * parse or give an error, and whatever parses can be printed in every
 * way the tool prints, never a crash, a leak or a read out of bounds.
 * The same bytes, written as a string by the daemon's JSON builder, must
 * read back as exactly those bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status/status_json.h"
#include "status/status_proto.h"
#include "tools/cpgd_tool_fmt.h"
#include "tools/cpgd_tool_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void print_all_ways(const struct tj *v, FILE *out)
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

static void round_trip(const uint8_t *data, size_t size)
{
	struct status_json w;
	struct tj *v;
	char err[200];

	if (size > 512)
		size = 512;
	status_json_init(&w, 8 * 512);
	status_json_bytes(&w, NULL, data, size);
	if (status_json_finish(&w) != 0)
		abort();
	if (tj_parse(w.buf, w.len, &v, err, sizeof(err)) != 0)
		abort();
	if (v->type != TJ_STR || v->len != size ||
	    (size && memcmp(v->str, data, size) != 0))
		abort();
	tj_free(v);
	status_json_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct tj *v;
	char err[200];

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	if (tj_parse((const char *)data, size, &v, err, sizeof(err)) == 0) {
		print_all_ways(v, sink);
		tj_free(v);
	} else if (err[0] == '\0') {
		abort();	/* an error always says why */
	}
	round_trip(data, size);
	return 0;
}
