/* Exit 0 when stdin holds one valid JSON value (cpgd-tool's reader), for
 * shell tests on machines without another JSON tool. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tools/cpgd_tool_json.h"

int main(void)
{
	static char buf[TJ_MAX_INPUT + 1];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	char err[200];
	struct tj *v;

	if (n > TJ_MAX_INPUT || tj_parse(buf, n, &v, err, sizeof(err)) < 0) {
		fprintf(stderr, "json_valid: %s\n",
			n > TJ_MAX_INPUT ? "too large" : err);
		return 1;
	}
	tj_free(v);
	return 0;
}
