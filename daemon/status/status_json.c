/* json-c glue of the status service; see status_json.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "status/status_json.h"

struct json_object *status_json_bytes(const void *s, size_t len)
{
	const unsigned char *in = s;
	struct json_object *v;
	char *u;
	size_t i, n = 0;

	/* at most two UTF-8 bytes per input byte; json-c takes an int length */
	if (len > (size_t)(INT32_MAX / 2))
		return NULL;
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
	u[n] = '\0';
	v = json_object_new_string_len(u, (int)n);
	free(u);
	return v;
}

int status_json_text(struct json_object *v, size_t max, char **out,
		     size_t *len)
{
	const char *t;
	size_t n = 0;
	char *copy;

	t = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (!t)
		return -ENOMEM;
	if (n > max)
		return -EMSGSIZE;
	copy = malloc(n + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, t, n);
	copy[n] = '\0';
	*out = copy;
	*len = n;
	return 0;
}
