/* jansson glue of the status service; see status_json.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "status/status_json.h"

#define TEXT_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER | \
		    JSON_ENCODE_ANY)

json_t *status_json_bytes(const void *s, size_t len)
{
	const unsigned char *in = s;
	json_t *v;
	char *u;
	size_t i, n = 0;

	if (len > SIZE_MAX / 2 - 1)
		return NULL;
	/* at most two bytes of UTF-8 per byte */
	u = malloc(2 * len + 1);
	if (!u)
		return NULL;
	for (i = 0; i < len; i++) {
		if (in[i] < 0x80) {
			u[n++] = (char)in[i];
		} else {
			u[n++] = (char)(0xc0 | (in[i] >> 6));
			u[n++] = (char)(0x80 | (in[i] & 0x3f));
		}
	}
	v = json_stringn(u, n);
	free(u);
	return v;
}

json_t *status_json_u64(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

int status_json_text(const json_t *v, size_t max, char **out, size_t *len)
{
	size_t n;
	char *t;

	*out = NULL;
	*len = 0;
	/* first the size, then the text; 0 is jansson's error (out of
	 * memory: a reply is never empty) */
	n = json_dumpb(v, NULL, 0, TEXT_FLAGS);
	if (n == 0)
		return -ENOMEM;
	if (n > max)
		return -EMSGSIZE;
	t = malloc(n + 1);
	if (!t)
		return -ENOMEM;
	if (json_dumpb(v, t, n, TEXT_FLAGS) != n) {
		free(t);
		return -ENOMEM;
	}
	t[n] = '\0';
	*out = t;
	*len = n;
	return 0;
}
