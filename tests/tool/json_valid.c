/* Exit 0 when stdin holds one valid JSON value as cpgd-tool reads a reply
 * (tools/cpgd_tool_json.h), for shell tests on machines without another
 * JSON tool. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tools/cpgd_tool_json.h"

int main(void)
{
	static char buf[TJ_MAX_INPUT + 1];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	char err[200];
	json_t *v;

	if (n > TJ_MAX_INPUT || tj_parse(buf, n, &v, err, sizeof(err)) < 0) {
		fprintf(stderr, "json_valid: %s\n",
			n > TJ_MAX_INPUT ? "too large" : err);
		return 1;
	}
	json_decref(v);
	return 0;
}
