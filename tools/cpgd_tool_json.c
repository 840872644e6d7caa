/* cpgd-tool's reading of the reply with json-c; see cpgd_tool_json.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "cpgd_tool_json.h"

static bool only_space(const char *p, size_t n)
{
	for (; n > 0; p++, n--)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
	return true;
}

int tj_parse(const char *text, size_t len, struct json_object **out,
	     char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *v;
	enum json_tokener_error e;
	size_t end;

	*out = NULL;
	if (len > TJ_MAX_INPUT) {
		snprintf(err, errlen, "reply too large");
		return -1;
	}
	tok = json_tokener_new_ex(TJ_MAX_DEPTH);
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	v = json_tokener_parse_ex(tok, text, (int)len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (e == json_tokener_continue) {
		/* a number at the very end ends only at a NUL */
		end = len;
		v = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
	}
	if (e != json_tokener_success) {
		snprintf(err, errlen, "%s at byte %zu",
			 json_tokener_error_desc(e), end);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	if (end > len || !only_space(text + end, len - end)) {
		snprintf(err, errlen, "trailing data at byte %zu", end);
		json_object_put(v);
		return -1;
	}
	*out = v;
	return 0;
}

struct json_object *tj_get(const struct json_object *v, const char *key)
{
	struct json_object *m = NULL;

	if (!json_object_object_get_ex(v, key, &m))
		return NULL;
	return m;
}

bool tj_has(const struct json_object *v, const char *key)
{
	return json_object_object_get_ex(v, key, NULL);
}

bool tj_uint(const struct json_object *v, uint64_t max, uint64_t *out)
{
	uint64_t u;

	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0)
		return false;
	u = json_object_get_uint64(v);
	if (u > max)
		return false;
	*out = u;
	return true;
}

char *tj_bytes(const struct json_object *v, size_t *len)
{
	const unsigned char *s;
	size_t i, n, o = 0;
	char *b;
	int sl;

	if (!json_object_is_type(v, json_type_string))
		return NULL;
	/* json-c's getter takes a non-const object but does not change it */
	s = (const unsigned char *)json_object_get_string((struct json_object *)v);
	sl = json_object_get_string_len(v);
	n = sl > 0 ? (size_t)sl : 0;
	b = malloc(n + 1);
	if (!b)
		return NULL;
	/* valid UTF-8 (the parser checked): a two-byte sequence for U+0080..
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
