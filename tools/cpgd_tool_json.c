/* cpgd-tool's reading of the reply with jansson; see cpgd_tool_json.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpgd_tool_json.h"

int tj_parse(const char *text, size_t len, json_t **out, char *err,
	     size_t errlen)
{
	json_error_t e;
	json_t *v;

	*out = NULL;
	if (len > TJ_MAX_INPUT) {
		snprintf(err, errlen, "reply too large");
		return -1;
	}
	/* any value at the top (the printer checks for an object); \u0000
	 * is a byte of a name like any other */
	v = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (!v) {
		snprintf(err, errlen, "%s at byte %d", e.text[0] ? e.text :
			 "invalid JSON", e.position);
		return -1;
	}
	*out = v;
	return 0;
}

bool tj_uint(const json_t *v, uint64_t max, uint64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return false;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return false;
	*out = (uint64_t)i;
	return true;
}

char *tj_bytes(const json_t *v, size_t *len)
{
	const unsigned char *s;
	size_t i, n, o = 0;
	char *b;

	if (!json_is_string(v))
		return NULL;
	s = (const unsigned char *)json_string_value(v);
	n = json_string_length(v);
	b = malloc(n + 1);
	if (!b)
		return NULL;
	/* valid UTF-8 (jansson checks): a two-byte sequence for U+0080..
	 * U+00FF starts with 0xc2 or 0xc3 and becomes that one byte */
	for (i = 0; i < n; i++) {
		if ((s[i] == 0xc2 || s[i] == 0xc3) && i + 1 < n) {
			b[o++] = (char)(((s[i] & 0x03) << 6) | (s[i + 1] & 0x3f));
			i++;
		} else {
			b[o++] = (char)s[i];
		}
	}
	b[o] = '\0';
	*len = o;
	return b;
}
