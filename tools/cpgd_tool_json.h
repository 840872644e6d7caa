/*
 * cpgd-tool's reading of the daemon's reply, with json-c: the reply text
 * into a tree, and the values the printer needs out of it.  The reply is
 * untrusted input: its size and nesting are bounded, the text must be one
 * JSON value in valid UTF-8 and nothing after it, so a broken or hostile
 * reply ends in an error message, never a crash.
 *
 * Strings come back as bytes: each code point below U+0100 is one byte
 * (the daemon writes each byte of a name as the code point of its value,
 * see daemon/status/status_json.h), higher code points stay UTF-8.
 */
#ifndef CPGD_TOOL_JSON_H
#define CPGD_TOOL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define TJ_MAX_INPUT (16u * 1024 * 1024)
#define TJ_MAX_DEPTH 32

/* 0 and *out (free with json_object_put()), or -1 with a reason in err.
 * A JSON null at the top level is a valid reply of no use: *out is then
 * NULL too. */
int tj_parse(const char *text, size_t len, struct json_object **out,
	     char *err, size_t errlen);

/* The member `key` of an object; NULL if v is not an object, lacks it, or
 * it is null (tj_has() tells the last two apart). */
struct json_object *tj_get(const struct json_object *v, const char *key);
/* v is an object with a member `key` (perhaps null). */
bool tj_has(const struct json_object *v, const char *key);
/* v is a non-negative integer that fits in max. */
bool tj_uint(const struct json_object *v, uint64_t max, uint64_t *out);
/* v is a string: its bytes (malloc'd, NUL-terminated, for free()) and
 * their number in *len; NULL if v is not a string or out of memory. */
char *tj_bytes(const struct json_object *v, size_t *len);

#endif
